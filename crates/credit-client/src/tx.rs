//! One pipeline for every transaction the CLI and the keeper send (legacy transactions only:
//! every user action fits one).
//!
//! [`Pipeline::run`] takes a command's instructions and signers and, by [`Options`]:
//! 1. the priority fee: none, a number of micro-lamports per compute unit, or `auto`: the
//!    [`PRIORITY_FEE_PERCENTILE`]th percentile (nearest rank) of `getRecentPrioritizationFees`
//!    over the transaction's writable accounts (the last 150 slots, zeros included; none when
//!    that is 0);
//! 2. the compute-unit limit: given, or from a simulation of the transaction (at the maximum
//!    limit, with its priority fee) plus [`CU_MARGIN_PERCENT`]% plus [`CU_MARGIN_FLAT`] units,
//!    since the accounts may change before it lands (at most [`MAX_COMPUTE_UNIT_LIMIT`]);
//! 3. then, by mode: **send** and confirm at the commitment; **simulate** (logs and units,
//!    nothing sent); or **sign-only**: sign with the keys at hand and print the transaction and
//!    its message in base64 with the signers still missing (`--blockhash` signs offline: no RPC
//!    call at all, so no simulation and no `auto` fee).
//!
//! [`Pipeline::submit`] takes a transaction signed elsewhere, adds the signatures of the keys
//! given, and sends it (or simulates it, or prints it again for the next signer).
//!
//! A failure is a [`TxError::Failed`] with the error's name and message ([`crate::errors`]).
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use solana_commitment_config::CommitmentConfig;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind};
use solana_rpc_client_api::config::{
    RpcSendTransactionConfig, RpcSimulateTransactionConfig, RpcTransactionConfig,
};
use solana_rpc_client_api::request::{RpcError, RpcResponseErrorData};
use solana_sdk::hash::Hash;
use solana_sdk::instruction::Instruction;
use solana_sdk::message::Message;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Signature, Signer};
use solana_sdk::transaction::{Transaction, TransactionError};
use solana_transaction_status_client_types::{TransactionConfirmationStatus, UiTransactionEncoding};

use crate::errors::{explain, Explained};

/// The simulated units are raised by this percentage...
pub const CU_MARGIN_PERCENT: u64 = 10;
/// ...plus this many units.
pub const CU_MARGIN_FLAT: u64 = 1_000;
/// A transaction's maximum compute-unit limit.
pub const MAX_COMPUTE_UNIT_LIMIT: u32 = 1_400_000;
/// `auto` priority fee: this percentile of the recent per-slot fees.
pub const PRIORITY_FEE_PERCENTILE: usize = 75;
/// `getRecentPrioritizationFees` takes at most this many accounts.
const MAX_FEE_ACCOUNTS: usize = 128;
/// How long a sent transaction may take to reach the commitment before its blockhash is checked
/// and it is sent again.
const RESEND_EVERY: Duration = Duration::from_secs(2);
const POLL_EVERY: Duration = Duration::from_millis(200);
/// Give up waiting for a confirmation after this long (a blockhash lives ~60-90 s).
const CONFIRM_TIMEOUT: Duration = Duration::from_secs(120);

/// The compute-unit limit a transaction asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ComputeUnitLimit {
    /// Simulated units plus the margin; none when signing offline.
    #[default]
    Simulate,
    Fixed(u32),
}

impl std::str::FromStr for ComputeUnitLimit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" | "simulate" => Ok(ComputeUnitLimit::Simulate),
            n => match n.replace('_', "").parse::<u32>() {
                Ok(0) => Err("a compute-unit limit of 0 cannot run anything".into()),
                Ok(n) if n <= MAX_COMPUTE_UNIT_LIMIT => Ok(ComputeUnitLimit::Fixed(n)),
                _ => Err(format!("compute-unit limit `{s}`: auto or 1..={MAX_COMPUTE_UNIT_LIMIT}")),
            },
        }
    }
}

/// The priority fee a transaction offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PriorityFee {
    /// No compute-unit price instruction.
    None,
    /// From recent prioritization fees (see the module docs).
    #[default]
    Auto,
    /// Micro-lamports per compute unit.
    MicroLamports(u64),
}

impl std::str::FromStr for PriorityFee {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(PriorityFee::Auto),
            "0" | "none" => Ok(PriorityFee::None),
            n => n
                .replace('_', "")
                .parse::<u64>()
                .map(PriorityFee::MicroLamports)
                .map_err(|_| format!("priority fee `{s}`: auto, 0 or micro-lamports per compute unit")),
        }
    }
}

/// What to do with a transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Send,
    Simulate,
    SignOnly,
}

/// How every transaction of a command is built and what happens to it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Options {
    pub commitment: CommitmentConfig,
    pub compute_unit_limit: ComputeUnitLimit,
    pub priority_fee: PriorityFee,
    pub mode: Mode,
    /// Sign with this blockhash instead of the cluster's latest (`--blockhash`): with
    /// `--sign-only`, nothing is asked of the RPC.
    pub blockhash: Option<Hash>,
}

impl Options {
    fn offline(&self) -> bool {
        self.mode == Mode::SignOnly && self.blockhash.is_some()
    }
}

/// The compute-budget settings a transaction was built with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Budget {
    pub compute_unit_limit: Option<u32>,
    pub micro_lamports: Option<u64>,
}

/// A transaction that landed at the commitment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Landed {
    pub signature: Signature,
    pub slot: Option<u64>,
    pub budget: Budget,
    pub units_consumed: Option<u64>,
    /// Lamports.
    pub fee: Option<u64>,
    /// The program logs: the program's events are the `Program data:` lines (Anchor's `emit!`).
    pub logs: Vec<String>,
}

/// A simulation: what would happen, nothing sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Simulated {
    pub budget: Budget,
    pub units_consumed: Option<u64>,
    /// Lamports, when the node reports it.
    pub fee: Option<u64>,
    pub logs: Vec<String>,
}

/// A transaction signed by the keys at hand, for the others to sign and someone to submit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedOnly {
    pub budget: Budget,
    pub blockhash: Hash,
    /// The transaction (signatures and message), base64: what `submit` takes.
    pub transaction: String,
    /// The message alone, base64: what every signer signs, and what a multisig proposal carries.
    pub message: String,
    /// The signatures made here.
    pub signed: Vec<(Pubkey, Signature)>,
    /// The signers whose signatures are still missing.
    pub missing: Vec<Pubkey>,
    /// Why a setting differs from what was asked (e.g. `auto` fee while signing offline).
    pub notes: Vec<String>,
}

/// What a transaction came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Landed(Landed),
    Simulated(Simulated),
    SignedOnly(SignedOnly),
}

impl Outcome {
    /// The program logs of a landed or simulated transaction (the hook for decoding events).
    pub fn logs(&self) -> &[String] {
        match self {
            Outcome::Landed(l) => &l.logs,
            Outcome::Simulated(s) => &s.logs,
            Outcome::SignedOnly(_) => &[],
        }
    }

    pub fn signature(&self) -> Option<Signature> {
        match self {
            Outcome::Landed(l) => Some(l.signature),
            _ => None,
        }
    }

    /// For `--output json`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        let budget = |b: &Budget| json!({ "computeUnitLimit": b.compute_unit_limit, "microLamportsPerCu": b.micro_lamports });
        match self {
            Outcome::Landed(l) => json!({
                "outcome": "landed",
                "signature": l.signature.to_string(),
                "slot": l.slot,
                "budget": budget(&l.budget),
                "unitsConsumed": l.units_consumed,
                "fee": l.fee,
                "logs": l.logs,
            }),
            Outcome::Simulated(s) => json!({
                "outcome": "simulated",
                "budget": budget(&s.budget),
                "unitsConsumed": s.units_consumed,
                "fee": s.fee,
                "logs": s.logs,
            }),
            Outcome::SignedOnly(s) => json!({
                "outcome": "signedOnly",
                "budget": budget(&s.budget),
                "blockhash": s.blockhash.to_string(),
                "transaction": s.transaction,
                "message": s.message,
                "signers": s.signed.iter().map(|(k, sig)| format!("{k}={sig}")).collect::<Vec<_>>(),
                "absent": s.missing.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
                "notes": s.notes,
            }),
        }
    }
}

impl std::fmt::Display for Outcome {
    /// The Solana CLI's shape: `Signature: ...`, or sign-only's `Blockhash:`, `Signers
    /// (Pubkey=Signature):` and `Absent Signers (Pubkey):`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let budget = |f: &mut std::fmt::Formatter<'_>, b: &Budget| -> std::fmt::Result {
            match b.compute_unit_limit {
                Some(l) => write!(f, "Compute unit limit: {l}")?,
                None => write!(f, "Compute unit limit: default (no instruction)")?,
            }
            match b.micro_lamports {
                Some(p) => writeln!(f, ", priority fee: {p} micro-lamports/CU"),
                None => writeln!(f, ", priority fee: none"),
            }
        };
        let opt = |v: Option<u64>| v.map_or("unknown".to_string(), |v| v.to_string());
        match self {
            Outcome::Landed(l) => {
                writeln!(f, "Signature: {}", l.signature)?;
                budget(f, &l.budget)?;
                write!(f, "Units consumed: {}, fee: {} lamports", opt(l.units_consumed), opt(l.fee))
            }
            Outcome::Simulated(s) => {
                writeln!(f, "Simulation (nothing sent):")?;
                for line in &s.logs {
                    writeln!(f, "  {line}")?;
                }
                budget(f, &s.budget)?;
                write!(f, "Units consumed: {}", opt(s.units_consumed))?;
                if let Some(fee) = s.fee {
                    write!(f, ", fee: {fee} lamports")?;
                }
                Ok(())
            }
            Outcome::SignedOnly(s) => {
                writeln!(f, "Blockhash: {}", s.blockhash)?;
                budget(f, &s.budget)?;
                for note in &s.notes {
                    writeln!(f, "Note: {note}")?;
                }
                if !s.signed.is_empty() {
                    writeln!(f, "Signers (Pubkey=Signature):")?;
                    for (k, sig) in &s.signed {
                        writeln!(f, "  {k}={sig}")?;
                    }
                }
                if !s.missing.is_empty() {
                    writeln!(f, "Absent Signers (Pubkey):")?;
                    for k in &s.missing {
                        writeln!(f, "  {k}")?;
                    }
                }
                writeln!(f, "Transaction (base64): {}", s.transaction)?;
                write!(f, "Message (base64): {}", s.message)
            }
        }
    }
}

/// Why a transaction did not go through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxError {
    /// It ran (or was simulated) and failed: by name, message and logs.
    Failed(Explained),
    /// The RPC did not answer, or refused the request.
    Rpc(String),
    /// Not sendable as it is (a missing signature, a transaction that does not decode...).
    Invalid(String),
    /// Sent, but its blockhash expired before it reached the commitment.
    Expired(Signature),
}

impl std::fmt::Display for TxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TxError::Failed(e) => write!(f, "{e}"),
            TxError::Rpc(e) => write!(f, "RPC: {e}"),
            TxError::Invalid(e) => write!(f, "{e}"),
            TxError::Expired(sig) => {
                write!(f, "transaction {sig} expired before it was confirmed (its blockhash is too old); sign it again")
            }
        }
    }
}

impl std::error::Error for TxError {}

impl From<TxError> for String {
    fn from(e: TxError) -> String {
        e.to_string()
    }
}

/// An RPC failure, explained when it carries a transaction error (a refused preflight).
fn rpc_failure(e: ClientError, programs: &[Pubkey]) -> TxError {
    if let ErrorKind::RpcError(RpcError::RpcResponseError {
        data: RpcResponseErrorData::SendTransactionPreflightFailure(sim),
        ..
    }) = e.kind()
    {
        if let Some(err) = &sim.err {
            let err: TransactionError = err.clone().into();
            return TxError::Failed(explain(&err, programs, sim.logs.as_deref().unwrap_or(&[])));
        }
    }
    if let Some(err) = e.get_transaction_error() {
        return TxError::Failed(explain(&err, programs, &[]));
    }
    TxError::Rpc(e.to_string())
}

/// The program each instruction of `message` calls, by index.
pub fn programs_of(message: &Message) -> Vec<Pubkey> {
    message
        .instructions
        .iter()
        .map(|ix| message.account_keys.get(usize::from(ix.program_id_index)).copied().unwrap_or_default())
        .collect()
}

/// The limit for `units` simulated: plus the margin, at most the maximum.
pub fn limit_with_margin(units: u64) -> u32 {
    let raised =
        units.saturating_add(units.saturating_mul(CU_MARGIN_PERCENT) / 100).saturating_add(CU_MARGIN_FLAT);
    u32::try_from(raised).unwrap_or(u32::MAX).min(MAX_COMPUTE_UNIT_LIMIT)
}

/// The [`PRIORITY_FEE_PERCENTILE`]th percentile (nearest rank) of per-slot fees; 0 for none.
pub fn fee_percentile(fees: &[u64]) -> u64 {
    if fees.is_empty() {
        return 0;
    }
    let mut sorted = fees.to_vec();
    sorted.sort_unstable();
    // nearest rank: the smallest value with at least p% of the values at or below it
    let rank = (PRIORITY_FEE_PERCENTILE * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// The writable accounts of `instructions` paid by `payer` (what a priority fee competes for).
fn writable_accounts(instructions: &[Instruction], payer: &Pubkey) -> Vec<Pubkey> {
    let mut keys = vec![*payer];
    for meta in instructions.iter().flat_map(|ix| &ix.accounts) {
        if meta.is_writable && !keys.contains(&meta.pubkey) {
            keys.push(meta.pubkey);
        }
    }
    keys.truncate(MAX_FEE_ACCOUNTS);
    keys
}

/// The compute-budget instructions and then the command's.
pub fn with_budget(instructions: &[Instruction], budget: Budget) -> Vec<Instruction> {
    let mut all = vec![];
    if let Some(limit) = budget.compute_unit_limit {
        all.push(ComputeBudgetInstruction::set_compute_unit_limit(limit));
    }
    if let Some(price) = budget.micro_lamports {
        all.push(ComputeBudgetInstruction::set_compute_unit_price(price));
    }
    all.extend_from_slice(instructions);
    all
}

/// Signatures by their signers.
type Signatures = Vec<(Pubkey, Signature)>;

/// Signs `tx` with every signer that is one of its required signers (others are ignored; a
/// key that signs elsewhere leaves its slot empty). Returns the signatures made here and the
/// signers still missing.
fn sign(tx: &mut Transaction, signers: &[&dyn Signer]) -> Result<(Signatures, Vec<Pubkey>), TxError> {
    let required = usize::from(tx.message.header.num_required_signatures);
    let message = tx.message_data();
    let mut signed = vec![];
    for (i, key) in tx.message.account_keys.iter().take(required).enumerate() {
        for signer in signers.iter().filter(|s| s.pubkey() == *key) {
            let sig = signer
                .try_sign_message(&message)
                .map_err(|e| TxError::Invalid(format!("{key} cannot sign this message: {e}")))?;
            if sig != Signature::default() {
                tx.signatures[i] = sig;
                signed.push((*key, sig));
                break;
            }
        }
    }
    let missing = tx
        .message
        .account_keys
        .iter()
        .zip(&tx.signatures)
        .take(required)
        .filter(|(_, sig)| **sig == Signature::default())
        .map(|(k, _)| *k)
        .collect();
    Ok((signed, missing))
}

/// Every signature present must be valid for the message (a transaction changed after it was
/// signed is refused here rather than by the cluster).
fn check_signatures(tx: &Transaction) -> Result<(), TxError> {
    let message = tx.message_data();
    for (key, sig) in tx.message.account_keys.iter().zip(&tx.signatures) {
        if *sig != Signature::default() && !sig.verify(key.as_ref(), &message) {
            return Err(TxError::Invalid(format!(
                "the signature of {key} is not for this message (was the transaction changed after it was signed?)"
            )));
        }
    }
    Ok(())
}

/// A transaction as `--sign-only` printed it (base64 or base58), e.g. read from a file or stdin.
pub fn decode_transaction(text: &str) -> Result<Transaction, TxError> {
    let text = text.trim();
    // base58's alphabet is within base64's: take whichever decoding is a transaction
    let mut tried = None;
    for bytes in [B64.decode(text).ok(), bs58::decode(text).into_vec().ok()].into_iter().flatten() {
        match bincode::deserialize::<Transaction>(&bytes) {
            Ok(tx) if tx.signatures.len() == usize::from(tx.message.header.num_required_signatures) => {
                return Ok(tx)
            }
            Ok(_) => tried = Some("its signatures do not match its message".to_string()),
            Err(e) => tried = tried.or(Some(e.to_string())),
        }
    }
    Err(TxError::Invalid(match tried {
        Some(why) => format!("not a legacy transaction: {why}"),
        None => "not a base64 (or base58) transaction".into(),
    }))
}

/// The transaction and its message, base64.
pub fn encode_transaction(tx: &Transaction) -> (String, String) {
    let bytes = bincode::serialize(tx).expect("a transaction serializes");
    (B64.encode(bytes), B64.encode(tx.message_data()))
}

/// Sends transactions for a command: its RPC client, its fee payer and its [`Options`].
pub struct Pipeline<'a> {
    pub rpc: &'a RpcClient,
    pub fee_payer: &'a dyn Signer,
    pub options: Options,
}

impl<'a> Pipeline<'a> {
    pub fn new(rpc: &'a RpcClient, fee_payer: &'a dyn Signer, options: Options) -> Self {
        Pipeline { rpc, fee_payer, options }
    }

    /// Builds, budgets and signs a transaction of `instructions` (fee payer first, then
    /// `signers`; duplicates and keys the transaction does not need are ignored), then sends,
    /// simulates or prints it by the mode.
    pub fn run(&self, instructions: &[Instruction], signers: &[&dyn Signer]) -> Result<Outcome, TxError> {
        let payer = self.fee_payer.pubkey();
        let mut notes = vec![];
        let micro_lamports = match self.options.priority_fee {
            PriorityFee::None => None,
            PriorityFee::MicroLamports(p) => Some(p),
            PriorityFee::Auto if self.options.offline() => {
                notes.push(
                    "priority fee `auto` needs the RPC: none while signing offline (give a number)".into(),
                );
                None
            }
            PriorityFee::Auto => {
                let fees = self
                    .rpc
                    .get_recent_prioritization_fees(&writable_accounts(instructions, &payer))
                    .map_err(|e| TxError::Rpc(format!("getRecentPrioritizationFees: {e}")))?;
                let fees: Vec<u64> = fees.iter().map(|f| f.prioritization_fee).collect();
                Some(fee_percentile(&fees)).filter(|p| *p > 0)
            }
        };
        let mut simulated = None;
        let compute_unit_limit = match self.options.compute_unit_limit {
            ComputeUnitLimit::Fixed(n) => Some(n),
            ComputeUnitLimit::Simulate if self.options.offline() => {
                notes.push("compute-unit limit needs a simulation: the default while signing offline (give --compute-unit-limit)".into());
                None
            }
            ComputeUnitLimit::Simulate => {
                let probe = Budget { compute_unit_limit: Some(MAX_COMPUTE_UNIT_LIMIT), micro_lamports };
                let message = Message::new(&with_budget(instructions, probe), Some(&payer));
                let sim = self.simulate(&Transaction::new_unsigned(message))?;
                let units = sim
                    .units_consumed
                    .ok_or_else(|| TxError::Rpc("the simulation reported no units".into()))?;
                let limit = limit_with_margin(units);
                simulated = Some(Simulated {
                    budget: Budget { compute_unit_limit: Some(limit), micro_lamports },
                    ..sim
                });
                Some(limit)
            }
        };
        let budget = Budget { compute_unit_limit, micro_lamports };
        if self.options.mode == Mode::Simulate {
            if let Some(sim) = simulated {
                return Ok(Outcome::Simulated(sim));
            }
            let message = Message::new(&with_budget(instructions, budget), Some(&payer));
            return Ok(Outcome::Simulated(Simulated {
                budget,
                ..self.simulate(&Transaction::new_unsigned(message))?
            }));
        }
        let blockhash = match self.options.blockhash {
            Some(h) => h,
            None => self
                .rpc
                .get_latest_blockhash()
                .map_err(|e| TxError::Rpc(format!("getLatestBlockhash: {e}")))?,
        };
        let message =
            Message::new_with_blockhash(&with_budget(instructions, budget), Some(&payer), &blockhash);
        let mut tx = Transaction::new_unsigned(message);
        let mut all: Vec<&dyn Signer> = vec![self.fee_payer];
        all.extend_from_slice(signers);
        let (signed, missing) = sign(&mut tx, &all)?;
        if self.options.mode == Mode::SignOnly {
            let (transaction, message) = encode_transaction(&tx);
            return Ok(Outcome::SignedOnly(SignedOnly {
                budget,
                blockhash,
                transaction,
                message,
                signed,
                missing,
                notes,
            }));
        }
        if !missing.is_empty() {
            return Err(missing_signers(&missing));
        }
        self.send_and_confirm(&tx, budget).map(Outcome::Landed)
    }

    /// A transaction signed elsewhere: adds the signatures of `signers` (those it needs), checks
    /// the ones it has, then sends it (or simulates it, or prints it again with `--sign-only`
    /// for the next signer). Its compute budget is what its signers signed.
    pub fn submit(&self, mut tx: Transaction, signers: &[&dyn Signer]) -> Result<Outcome, TxError> {
        check_signatures(&tx)?;
        let (_, missing) = sign(&mut tx, signers)?;
        let budget = budget_of(&tx.message);
        match self.options.mode {
            Mode::SignOnly => {
                let (transaction, message) = encode_transaction(&tx);
                let signed = tx
                    .message
                    .account_keys
                    .iter()
                    .zip(&tx.signatures)
                    .filter(|(_, s)| **s != Signature::default())
                    .map(|(k, s)| (*k, *s))
                    .collect();
                let blockhash = tx.message.recent_blockhash;
                Ok(Outcome::SignedOnly(SignedOnly {
                    budget,
                    blockhash,
                    transaction,
                    message,
                    signed,
                    missing,
                    notes: vec![],
                }))
            }
            Mode::Simulate => Ok(Outcome::Simulated(Simulated { budget, ..self.simulate(&tx)? })),
            Mode::Send if !missing.is_empty() => Err(missing_signers(&missing)),
            Mode::Send => self.send_and_confirm(&tx, budget).map(Outcome::Landed),
        }
    }

    /// Simulates `tx` at the commitment (signatures not verified, the latest blockhash in place
    /// of its own); a failure comes back explained.
    pub fn simulate(&self, tx: &Transaction) -> Result<Simulated, TxError> {
        self.simulate_reading(tx, &[]).map(|(sim, _)| sim)
    }

    /// [`Pipeline::simulate`], reading back `addresses` as the transaction would leave them
    /// (`None`: the node returned nothing for it; a node that returns only the accounts a
    /// transaction wrote, as surfpool does, leaves the others `None`). What a keeper asks before
    /// sending a crank: would it change anything?
    pub fn simulate_reading(
        &self,
        tx: &Transaction,
        addresses: &[Pubkey],
    ) -> Result<(Simulated, Vec<Option<solana_sdk::account::Account>>), TxError> {
        use solana_rpc_client_api::config::RpcSimulateTransactionAccountsConfig;
        let accounts = (!addresses.is_empty()).then(|| RpcSimulateTransactionAccountsConfig {
            encoding: Some(solana_rpc_client_api::response::UiAccountEncoding::Base64),
            addresses: addresses.iter().map(|a| a.to_string()).collect(),
        });
        let config = RpcSimulateTransactionConfig {
            sig_verify: false,
            replace_recent_blockhash: true,
            commitment: Some(self.options.commitment),
            encoding: Some(UiTransactionEncoding::Base64),
            accounts,
            ..RpcSimulateTransactionConfig::default()
        };
        let programs = programs_of(&tx.message);
        let sim = self
            .rpc
            .simulate_transaction_with_config(tx, config)
            .map_err(|e| rpc_failure(e, &programs))?
            .value;
        let logs = sim.logs.unwrap_or_default();
        if let Some(err) = sim.err {
            return Err(TxError::Failed(explain(&err.into(), &programs, &logs)));
        }
        let after = match sim.accounts {
            Some(list) => list.into_iter().map(|a| a.and_then(|ui| ui.decode())).collect(),
            None => vec![None; addresses.len()],
        };
        let simulated = Simulated {
            budget: budget_of(&tx.message),
            units_consumed: sim.units_consumed,
            fee: sim.fee,
            logs,
        };
        Ok((simulated, after))
    }

    /// Sends `tx` (preflight at the commitment), resends it until it reaches the commitment
    /// or its blockhash expires, and reads back its fee, units and logs.
    pub fn send_and_confirm(&self, tx: &Transaction, budget: Budget) -> Result<Landed, TxError> {
        let programs = programs_of(&tx.message);
        let commitment = self.options.commitment;
        let send = |skip_preflight: bool| {
            self.rpc.send_transaction_with_config(
                tx,
                RpcSendTransactionConfig {
                    skip_preflight,
                    preflight_commitment: Some(commitment.commitment),
                    encoding: Some(UiTransactionEncoding::Base64),
                    ..RpcSendTransactionConfig::default()
                },
            )
        };
        let signature = send(false).map_err(|e| rpc_failure(e, &programs))?;
        let started = Instant::now();
        let mut last_send = Instant::now();
        loop {
            let status = self
                .rpc
                .get_signature_statuses(&[signature])
                .map_err(|e| TxError::Rpc(format!("getSignatureStatuses: {e}")))?
                .value
                .into_iter()
                .next()
                .flatten();
            if let Some(status) = status {
                if let Some(err) = &status.err {
                    let logs = self.landed_meta(&signature).map(|m| m.2).unwrap_or_default();
                    return Err(TxError::Failed(explain(err, &programs, &logs)));
                }
                let reached = match status.confirmation_status {
                    Some(TransactionConfirmationStatus::Finalized) => true,
                    Some(TransactionConfirmationStatus::Confirmed) => !commitment.is_finalized(),
                    Some(TransactionConfirmationStatus::Processed) => {
                        !commitment.is_finalized() && !commitment.is_confirmed()
                    }
                    None => status.satisfies_commitment(commitment),
                };
                if reached {
                    break;
                }
            } else if last_send.elapsed() >= RESEND_EVERY {
                let valid = self
                    .rpc
                    .is_blockhash_valid(&tx.message.recent_blockhash, CommitmentConfig::processed())
                    .map_err(|e| TxError::Rpc(format!("isBlockhashValid: {e}")))?;
                if !valid {
                    return Err(TxError::Expired(signature));
                }
                // a resend of the same signed bytes is harmless: it lands at most once
                let _ = send(true);
                last_send = Instant::now();
            }
            if started.elapsed() > CONFIRM_TIMEOUT {
                return Err(TxError::Expired(signature));
            }
            std::thread::sleep(POLL_EVERY);
        }
        let (slot, fee, logs, units_consumed) = match self.landed_meta(&signature) {
            Some((slot, fee, logs, units)) => (Some(slot), Some(fee), logs, units),
            None => (None, None, vec![], None),
        };
        Ok(Landed { signature, slot, budget, units_consumed, fee, logs })
    }

    /// The slot, fee, logs and units of a landed transaction (`getTransaction`, at least
    /// `confirmed`: it serves nothing less), tried for a few seconds.
    fn landed_meta(&self, signature: &Signature) -> Option<(u64, u64, Vec<String>, Option<u64>)> {
        let commitment = if self.options.commitment.is_finalized() {
            CommitmentConfig::finalized()
        } else {
            CommitmentConfig::confirmed()
        };
        let config = RpcTransactionConfig {
            encoding: Some(UiTransactionEncoding::Base64),
            commitment: Some(commitment),
            max_supported_transaction_version: Some(0),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(tx) = self.rpc.get_transaction_with_config(signature, config) {
                let meta = tx.transaction.meta?;
                let logs: Option<Vec<String>> = meta.log_messages.into();
                let units: Option<u64> = meta.compute_units_consumed.into();
                return Some((tx.slot, meta.fee, logs.unwrap_or_default(), units));
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(POLL_EVERY);
        }
    }
}

fn missing_signers(missing: &[Pubkey]) -> TxError {
    let keys: Vec<String> = missing.iter().map(|k| k.to_string()).collect();
    TxError::Invalid(format!(
        "missing signatures of {} (sign with --sign-only and `submit` what the others signed)",
        keys.join(", ")
    ))
}

/// The compute budget a message carries.
pub fn budget_of(message: &Message) -> Budget {
    let mut budget = Budget::default();
    for ix in &message.instructions {
        if message.account_keys.get(usize::from(ix.program_id_index))
            != Some(&solana_compute_budget_interface::ID)
        {
            continue;
        }
        // ComputeBudgetInstruction's Borsh layout: a tag byte, then the value little-endian
        match ix.data.split_first() {
            Some((2, rest)) if rest.len() == 4 => {
                budget.compute_unit_limit = Some(u32::from_le_bytes(rest.try_into().expect("4 bytes")))
            }
            Some((3, rest)) if rest.len() == 8 => {
                budget.micro_lamports = Some(u64::from_le_bytes(rest.try_into().expect("8 bytes")))
            }
            _ => {}
        }
    }
    budget
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_sdk::instruction::AccountMeta;
    use solana_sdk::signature::{Keypair, NullSigner};

    #[test]
    fn the_margin_is_ten_percent_and_a_thousand_units() {
        assert_eq!(limit_with_margin(0), 1_000);
        assert_eq!(limit_with_margin(50_000), 56_000);
        assert_eq!(limit_with_margin(123_456), 136_801);
        assert_eq!(limit_with_margin(1_300_000), MAX_COMPUTE_UNIT_LIMIT);
        assert_eq!(limit_with_margin(u64::MAX), MAX_COMPUTE_UNIT_LIMIT);
    }

    #[test]
    fn auto_fee_is_the_75th_percentile_nearest_rank() {
        assert_eq!(fee_percentile(&[]), 0);
        assert_eq!(fee_percentile(&[7]), 7);
        assert_eq!(fee_percentile(&[0, 0, 0, 100]), 0, "3 of 4 slots paid nothing");
        assert_eq!(fee_percentile(&[0, 0, 100, 100]), 100);
        let hundred: Vec<u64> = (1..=100).rev().collect();
        assert_eq!(fee_percentile(&hundred), 75);
        assert_eq!(fee_percentile(&[5, 1, 3, 2, 4]), 4);
    }

    #[test]
    fn flags_parse() {
        assert_eq!("auto".parse::<PriorityFee>(), Ok(PriorityFee::Auto));
        assert_eq!("0".parse::<PriorityFee>(), Ok(PriorityFee::None));
        assert_eq!("10_000".parse::<PriorityFee>(), Ok(PriorityFee::MicroLamports(10_000)));
        assert!("-1".parse::<PriorityFee>().is_err());
        assert_eq!("auto".parse::<ComputeUnitLimit>(), Ok(ComputeUnitLimit::Simulate));
        assert_eq!("200000".parse::<ComputeUnitLimit>(), Ok(ComputeUnitLimit::Fixed(200_000)));
        assert!("0".parse::<ComputeUnitLimit>().is_err());
        assert!("1400001".parse::<ComputeUnitLimit>().is_err());
    }

    #[test]
    fn budget_instructions_go_first_and_read_back() {
        let ix = Instruction::new_with_bytes(Pubkey::new_unique(), &[1], vec![]);
        let budget = Budget { compute_unit_limit: Some(56_000), micro_lamports: Some(1_234) };
        let all = with_budget(std::slice::from_ref(&ix), budget);
        assert_eq!(all.len(), 3);
        assert_eq!(all[2], ix);
        let payer = Pubkey::new_unique();
        assert_eq!(budget_of(&Message::new(&all, Some(&payer))), budget);
        assert_eq!(budget_of(&Message::new(std::slice::from_ref(&ix), Some(&payer))), Budget::default());
        let limit_only = Budget { compute_unit_limit: Some(9), micro_lamports: None };
        assert_eq!(budget_of(&Message::new(&with_budget(&[ix], limit_only), Some(&payer))), limit_only);
    }

    #[test]
    fn writable_accounts_start_with_the_payer_once_each() {
        let (payer, a, b, c) =
            (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let ix = Instruction::new_with_bytes(
            Pubkey::new_unique(),
            &[],
            vec![
                AccountMeta::new(a, false),
                AccountMeta::new_readonly(b, false),
                AccountMeta::new(payer, true),
                AccountMeta::new(a, false),
                AccountMeta::new(c, true),
            ],
        );
        assert_eq!(writable_accounts(&[ix], &payer), vec![payer, a, c]);
    }

    /// Sign-only by one key, completed by another, as `submit` does it; a changed message is refused.
    #[test]
    fn partial_signatures_combine_and_are_checked() {
        let (payer, authority) = (Keypair::new(), Keypair::new());
        let ix = Instruction::new_with_bytes(
            Pubkey::new_unique(),
            &[7],
            vec![AccountMeta::new_readonly(authority.pubkey(), true)],
        );
        let blockhash = Hash::new_unique();
        let mut tx =
            Transaction::new_unsigned(Message::new_with_blockhash(&[ix], Some(&payer.pubkey()), &blockhash));
        let payer_elsewhere = NullSigner::new(&payer.pubkey());
        let stranger = Keypair::new();
        let (signed, missing) = sign(&mut tx, &[&payer_elsewhere, &authority, &stranger]).unwrap();
        assert_eq!(signed, vec![(authority.pubkey(), tx.signatures[1])]);
        assert_eq!(missing, vec![payer.pubkey()]);

        let (b64, message) = encode_transaction(&tx);
        assert_eq!(B64.decode(&message).unwrap(), tx.message_data());
        let mut back = decode_transaction(&format!("{b64}\n")).unwrap();
        assert_eq!(back, tx);
        check_signatures(&back).unwrap();
        let (_, missing) = sign(&mut back, &[&payer]).unwrap();
        assert!(missing.is_empty());
        back.verify().expect("every signature valid");
        // base58 is read too
        let b58 = bs58::encode(bincode::serialize(&back).unwrap()).into_string();
        assert_eq!(decode_transaction(&b58).unwrap(), back);

        let mut changed = back.clone();
        changed.message.instructions[0].data = vec![8];
        assert!(check_signatures(&changed).unwrap_err().to_string().contains("not for this message"));
        assert!(decode_transaction("not a transaction").is_err());
    }
}
