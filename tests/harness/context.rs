use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::bpf_loader_upgradeable::{self, UpgradeableLoaderState};
use compute_credits::constants::PROGRAM_DATA;
use solana_program_test::{processor, BanksClientError, ProgramTest, ProgramTestContext};
use solana_sdk::{
    account::Account,
    clock::Clock,
    instruction::Instruction,
    rent::Rent,
    signature::{Keypair, Signer},
    transaction::{Transaction, TransactionError},
};

/// Which build of the program a test runs against. Chosen once per process by
/// `CREDITS_TEST_MODE` (`native`, the default, or `sbf`), never silently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The program compiled into the test binary, run through `processor!`.
    Native,
    /// `$SBF_OUT_DIR/compute_credits.so` (default `target/deploy`), run in the real SBF VM.
    Sbf,
}

impl Mode {
    pub fn from_env() -> Mode {
        match std::env::var("CREDITS_TEST_MODE").as_deref() {
            Ok("sbf") => Mode::Sbf,
            Ok("native") | Err(_) => Mode::Native,
            Ok(other) => panic!("CREDITS_TEST_MODE must be `native` or `sbf`, not `{other}`"),
        }
    }
}

/// Where the `.so` is expected: `$SBF_OUT_DIR`, else `<workspace>/target/deploy`.
pub fn sbf_out_dir() -> PathBuf {
    std::env::var_os("SBF_OUT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/deploy")))
}

fn native_entry(
    program_id: &Pubkey,
    accounts: &[anchor_lang::prelude::AccountInfo],
    data: &[u8],
) -> anchor_lang::solana_program::entrypoint::ProgramResult {
    // Anchor's `entry` wants one lifetime for the slice and its elements; program-test keeps
    // the accounts alive for the whole call, so widening the lifetime is sound here.
    let accounts: &'static [anchor_lang::prelude::AccountInfo<'static>] =
        unsafe { std::mem::transmute(accounts) };
    let program_id: &'static Pubkey = unsafe { std::mem::transmute(program_id) };
    let data: &'static [u8] = unsafe { std::mem::transmute(data) };
    compute_credits::process_instruction(program_id, accounts, data)
}

/// The outcome of one transaction, with what its metadata says.
#[derive(Debug, Clone)]
pub struct TxResult {
    pub result: Result<(), TransactionError>,
    pub compute_units: u64,
    pub logs: Vec<String>,
    /// Serialized size of the signed legacy transaction (limit 1,232 bytes).
    pub tx_bytes: usize,
    pub account_count: usize,
}

impl TxResult {
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }

    /// Panics with the logs when the transaction failed.
    pub fn unwrap(self) -> TxResult {
        assert!(self.result.is_ok(), "transaction failed: {:?}\nlogs: {:#?}", self.result, self.logs);
        self
    }
}

/// Where a context's transactions go: program-test's in-process bank, or a JSON-RPC endpoint
/// (`TestContext::connect`: the demo's `--url`).
pub enum Backend {
    Bank(Box<ProgramTestContext>),
    Rpc(Box<crate::rpc::RpcBackend>),
}

pub struct TestContext {
    pub backend: Backend,
    pub mode: Mode,
    slot: u64,
    /// Counter behind [`TestContext::keypair`].
    keys: u64,
}

/// Secret of the program's upgrade authority in every bank the harness starts (outside the
/// [`TestContext::keypair`] sequence, which starts at 1 and uses another pattern).
const UPGRADE_AUTHORITY_SECRET: [u8; 32] = [0xa5; 32];
/// What the upgrade authority holds at genesis: it pays for the platform and the classes.
pub const UPGRADE_AUTHORITY_LAMPORTS: u64 = 1_000 * 1_000_000_000;

/// The program's upgrade authority: the only key `initialize_platform` accepts. The same key in
/// every bank, funded at genesis.
pub fn upgrade_authority() -> Keypair {
    Keypair::new_from_array(UPGRADE_AUTHORITY_SECRET)
}

/// The upgradeable loader's `ProgramData` account for our program: the bincode
/// `UpgradeableLoaderState::ProgramData { slot: 0, upgrade_authority_address }` header in the
/// loader's fixed 45-byte metadata area, then `elf` (empty natively, where the program runs as
/// a builtin). The loader reads the ELF at offset 45 whatever the authority's encoding.
pub fn program_data_account(elf: &[u8], upgrade_authority_address: Option<Pubkey>) -> Account {
    let mut data = program_data_header(upgrade_authority_address);
    data.extend_from_slice(elf);
    Account {
        lamports: Rent::default().minimum_balance(data.len()).max(1),
        data,
        owner: bpf_loader_upgradeable::ID,
        executable: false,
        rent_epoch: u64::MAX,
    }
}

/// The 45-byte metadata area of a `ProgramData` account naming `upgrade_authority_address`.
pub fn program_data_header(upgrade_authority_address: Option<Pubkey>) -> Vec<u8> {
    let mut header = vec![0u8; UpgradeableLoaderState::size_of_programdata_metadata()];
    let state = UpgradeableLoaderState::ProgramData { slot: 0, upgrade_authority_address };
    bincode::serialize_into(&mut header[..], &state).expect("ProgramData header");
    header
}

/// The program account of an upgradeable deployment: `UpgradeableLoaderState::Program`
/// pointing at [`PROGRAM_DATA`].
fn upgradeable_program_account() -> Account {
    let data = bincode::serialize(&UpgradeableLoaderState::Program { programdata_address: PROGRAM_DATA })
        .expect("Program state");
    Account {
        lamports: Rent::default().minimum_balance(data.len()),
        data,
        owner: bpf_loader_upgradeable::ID,
        executable: true,
        rent_epoch: u64::MAX,
    }
}

impl TestContext {
    /// Starts a bank in the mode `CREDITS_TEST_MODE` selects.
    pub async fn start() -> TestContext {
        Self::start_in(Mode::from_env()).await
    }

    pub async fn start_in(mode: Mode) -> TestContext {
        Self::start_with_accounts(mode, vec![]).await
    }

    /// Starts a bank with extra genesis accounts (e.g. oracle accounts owned by other programs).
    pub async fn start_with_accounts(mode: Mode, accounts: Vec<(Pubkey, Account)>) -> TestContext {
        // prefer_bpf BEFORE add_program: `ProgramTest::new` would pick the .so whenever
        // SBF_OUT_DIR is set, whatever prefer_bpf said afterwards.
        if std::env::var_os("RUST_LOG").is_none() {
            // program-test logs every instruction at debug level otherwise
            std::env::set_var("RUST_LOG", "error");
        }
        let mut pt = ProgramTest::default();
        pt.prefer_bpf(mode == Mode::Sbf);
        // The program as a cluster has it after `anchor deploy`: under the upgradeable loader,
        // its ProgramData naming the harness's upgrade authority (`initialize_platform` checks
        // it). program-test's own `add_program` would deploy the .so under the non-upgradeable
        // loader (no ProgramData), and `add_upgradeable_program_to_genesis` names the default
        // key as authority, so the harness writes both accounts itself.
        let authority = Some(upgrade_authority().pubkey());
        match mode {
            Mode::Sbf => {
                let dir = sbf_out_dir();
                let so = dir.join("compute_credits.so");
                assert!(
                    so.exists(),
                    "CREDITS_TEST_MODE=sbf but {} does not exist: build it with \
                     `../shared/sbf/build-so programs/compute-credits target/deploy`",
                    so.display()
                );
                let elf = std::fs::read(&so).expect("read the .so");
                pt.add_genesis_account(compute_credits::ID, upgradeable_program_account());
                pt.add_genesis_account(PROGRAM_DATA, program_data_account(&elf, authority));
            }
            Mode::Native => {
                // the program is a builtin; its ProgramData stands beside it with no ELF
                pt.add_program("compute_credits", compute_credits::ID, processor!(native_entry));
                pt.add_genesis_account(PROGRAM_DATA, program_data_account(&[], authority));
            }
        }
        pt.add_genesis_account(
            upgrade_authority().pubkey(),
            Account::new(UPGRADE_AUTHORITY_LAMPORTS, 0, &anchor_lang::system_program::ID),
        );
        for (key, account) in accounts {
            pt.add_account(key, account);
        }
        let ctx = pt.start_with_context().await;
        TestContext { backend: Backend::Bank(Box::new(ctx)), mode, slot: 1, keys: 0 }
    }

    /// A context on the JSON-RPC endpoint `url`, paying (and holding the program's upgrade
    /// authority) with `payer`.
    pub async fn connect(url: &str, payer: Keypair) -> Result<TestContext, String> {
        let rpc = crate::rpc::RpcBackend::connect(url, payer).await?;
        Ok(TestContext { backend: Backend::Rpc(Box::new(rpc)), mode: Mode::Sbf, slot: 0, keys: 0 })
    }

    /// The in-process bank (panics on an RPC context: only bank-level tools need it).
    pub fn bank(&mut self) -> &mut ProgramTestContext {
        match &mut self.backend {
            Backend::Bank(b) => b,
            Backend::Rpc(r) => panic!("this needs program-test's bank, not the RPC endpoint {}", r.url()),
        }
    }

    pub fn is_rpc(&self) -> bool {
        matches!(self.backend, Backend::Rpc(_))
    }

    pub fn payer(&self) -> &Keypair {
        match &self.backend {
            Backend::Bank(b) => &b.payer,
            Backend::Rpc(r) => r.payer(),
        }
    }

    /// The program's upgrade authority (see [`upgrade_authority`]); over RPC, the payer.
    pub fn upgrade_authority(&self) -> Keypair {
        match &self.backend {
            Backend::Bank(_) => upgrade_authority(),
            Backend::Rpc(r) => r.payer().insecure_clone(),
        }
    }

    pub async fn rent(&mut self) -> Rent {
        match &mut self.backend {
            Backend::Bank(b) => b.banks_client.get_rent().await.expect("rent"),
            Backend::Rpc(r) => r.rent().await,
        }
    }

    /// Lamports that keep an account of `len` bytes rent-exempt.
    pub async fn rent_exempt(&mut self, len: usize) -> u64 {
        self.rent().await.minimum_balance(len)
    }

    /// Rewrites the upgrade authority recorded in the program's ProgramData, as the loader's
    /// `SetAuthority` would (`None`: the program becomes immutable). The ELF and the deployment
    /// slot stay, so on the `.so` the program keeps running.
    pub async fn set_upgrade_authority(&mut self, authority: Option<Pubkey>) {
        let mut account = self.account(PROGRAM_DATA).await.expect("ProgramData at genesis");
        let header = program_data_header(authority);
        account.data[..header.len()].copy_from_slice(&header);
        self.set_account(PROGRAM_DATA, account);
    }

    /// Signs with the payer plus `signers` and processes one legacy transaction. A transaction
    /// identical to an earlier one is re-sent under a fresh blockhash instead of being dropped.
    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TxResult {
        if let Backend::Rpc(r) = &mut self.backend {
            return r.send(ixs, signers).await;
        }
        for _ in 0..3 {
            let blockhash = self.bank().banks_client.get_latest_blockhash().await.expect("blockhash");
            // Only keys the message asks for: attack tests drop a signer flag and keep the keypair.
            let required: Vec<Pubkey> = ixs
                .iter()
                .flat_map(|ix| ix.accounts.iter().filter(|m| m.is_signer).map(|m| m.pubkey))
                .collect();
            let payer = self.payer().insecure_clone();
            let mut all: Vec<&Keypair> = vec![&payer];
            all.extend(
                signers
                    .iter()
                    .copied()
                    .filter(|k| k.pubkey() != payer.pubkey() && required.contains(&k.pubkey())),
            );
            let tx = Transaction::new_signed_with_payer(ixs, Some(&payer.pubkey()), &all, blockhash);
            let tx_bytes = bincode_len(&tx);
            let account_count = tx.message.account_keys.len();
            match self.bank().banks_client.process_transaction_with_metadata(tx).await {
                Ok(r) => match r.metadata {
                    Some(meta) => {
                        return TxResult {
                            result: r.result,
                            compute_units: meta.compute_units_consumed,
                            logs: meta.log_messages,
                            tx_bytes,
                            account_count,
                        }
                    }
                    None if r.result == Err(TransactionError::AlreadyProcessed) => self.next_slot().await,
                    None => {
                        return TxResult {
                            result: r.result,
                            compute_units: 0,
                            logs: vec![],
                            tx_bytes,
                            account_count,
                        }
                    }
                },
                Err(BanksClientError::TransactionError(e)) => {
                    return TxResult {
                        result: Err(e),
                        compute_units: 0,
                        logs: vec![],
                        tx_bytes,
                        account_count,
                    }
                }
                Err(e) => panic!("banks client: {e:?}"),
            }
        }
        panic!("transaction kept being refused as already processed")
    }

    /// Moves the bank to the next slot (a new blockhash).
    pub async fn next_slot(&mut self) {
        if let Backend::Rpc(r) = &mut self.backend {
            return r.next_blockhash().await;
        }
        self.slot += 1;
        let slot = self.slot.max(self.current_slot().await + 1);
        self.slot = slot;
        self.bank().warp_to_slot(slot).expect("warp");
    }

    pub async fn current_slot(&mut self) -> u64 {
        self.clock().await.slot
    }

    pub async fn clock(&mut self) -> Clock {
        match &mut self.backend {
            Backend::Bank(b) => b.banks_client.get_sysvar::<Clock>().await.expect("clock"),
            Backend::Rpc(r) => r.clock().await,
        }
    }

    pub async fn now(&mut self) -> i64 {
        self.clock().await.unix_timestamp
    }

    /// Moves the clock `secs` seconds forward (and the bank one slot, so blockhashes change).
    pub async fn advance_clock(&mut self, secs: i64) {
        if let Backend::Rpc(r) = &mut self.backend {
            return r.advance_clock(secs).await;
        }
        let before = self.clock().await;
        self.next_slot().await;
        let mut clock = self.clock().await;
        clock.unix_timestamp = before.unix_timestamp + secs;
        self.bank().set_sysvar(&clock);
    }

    pub async fn account(&mut self, key: Pubkey) -> Option<Account> {
        match &mut self.backend {
            Backend::Bank(b) => b.banks_client.get_account(key).await.expect("get_account"),
            Backend::Rpc(r) => r.account(&key).await,
        }
    }

    pub async fn lamports(&mut self, key: Pubkey) -> u64 {
        self.account(key).await.map(|a| a.lamports).unwrap_or(0)
    }

    /// Deserializes an Anchor account (checks the discriminator).
    pub async fn anchor_account<T: anchor_lang::AccountDeserialize>(&mut self, key: Pubkey) -> T {
        let acc = self.account(key).await.unwrap_or_else(|| panic!("account {key} does not exist"));
        T::try_deserialize(&mut acc.data.as_slice()).expect("deserialize")
    }

    /// Overwrites an account directly in the bank (forged oracle accounts and the like).
    pub fn set_account(&mut self, key: Pubkey, account: Account) {
        self.bank().set_account(&key, &account.into());
    }

    /// The next of a fixed sequence of keypairs. PDA bump searches cost 1,500 CU per failed
    /// bump and depend on the keys in the seeds, so random keys would make the compute-unit
    /// budgets flaky; a fixed sequence makes every run, on every machine, measure the same.
    pub fn keypair(&mut self) -> Keypair {
        if self.is_rpc() {
            // a cluster outlives the run: a fixed sequence would collide with the last run's keys
            return Keypair::new();
        }
        self.keys += 1;
        let mut secret = [0x5au8; 32];
        secret[..8].copy_from_slice(&self.keys.to_le_bytes());
        Keypair::new_from_array(secret)
    }

    /// A new keypair holding `sol` lamports.
    pub async fn funded_keypair(&mut self, lamports: u64) -> Keypair {
        let k = self.keypair();
        let ix = anchor_lang::solana_program::system_instruction::transfer(
            &self.payer().pubkey(),
            &k.pubkey(),
            lamports,
        );
        self.send(&[ix], &[]).await.unwrap();
        k
    }
}

fn bincode_len(tx: &Transaction) -> usize {
    // Legacy wire format: signatures (compact-u16 length + 64 bytes each) + message.
    let sigs = tx.signatures.len();
    compact_len(sigs) + 64 * sigs + tx.message.serialize().len()
}

fn compact_len(n: usize) -> usize {
    match n {
        0..=0x7f => 1,
        0x80..=0x3fff => 2,
        _ => 3,
    }
}
