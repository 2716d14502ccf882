//! Deploying (or upgrading) a program through the upgradeable loader's buffer instructions, as
//! `solana program deploy` does, on any cluster: create a buffer, write the `.so` into it in
//! transaction-sized chunks (sent in waves, then confirmed, resending what did not land), then
//! `DeployWithMaxDataLen` (a new program) or `Upgrade` (an existing one, by its authority).
use std::collections::HashSet;
use std::time::{Duration, Instant};

use solana_loader_v3_interface::instruction as loader;
use solana_loader_v3_interface::state::UpgradeableLoaderState;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::RpcSendTransactionConfig;
use solana_sdk::hash::Hash;
use solana_sdk::instruction::Instruction;
use solana_sdk::message::Message;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signature, Signer};
use solana_sdk::transaction::Transaction;

/// A legacy transaction's size limit.
const PACKET: usize = 1232;
/// Writes in flight before their confirmations are awaited.
const WAVE: usize = 64;

/// What a deployment did.
#[derive(Debug)]
pub struct Deployed {
    pub program_id: Pubkey,
    pub upgraded: bool,
    pub buffer: Pubkey,
    pub transactions: usize,
}

fn rpc_err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn send(
    rpc: &RpcClient,
    ixs: &[Instruction],
    payer: &dyn Signer,
    signers: &[&dyn Signer],
) -> Result<Signature, String> {
    let blockhash = rpc.get_latest_blockhash().map_err(rpc_err)?;
    let mut all: Vec<&dyn Signer> = vec![payer];
    all.extend(signers.iter().copied().filter(|k| k.pubkey() != payer.pubkey()));
    let tx = Transaction::new_signed_with_payer(ixs, Some(&payer.pubkey()), &all, blockhash);
    rpc.send_and_confirm_transaction(&tx).map_err(|e| format!("{e}"))
}

/// The largest chunk a `Write` transaction (fee payer + buffer authority) can carry.
fn chunk_size(buffer: &Pubkey, payer: &Pubkey, authority: &Pubkey) -> usize {
    let empty = loader::write(buffer, authority, 0, vec![]);
    let message = Message::new_with_blockhash(&[empty], Some(payer), &Hash::default());
    let signatures = message.header.num_required_signatures as usize;
    // a signature is 64 bytes plus its compact count; the bytes' length prefix may take 2 more
    let base = 1 + 64 * signatures + message.serialize().len() + 2;
    PACKET - base
}

/// Writes `so` into `buffer` in waves: send a wave without waiting, poll its signatures, and
/// resend (with a fresh blockhash) whatever has not landed. A `Write` of the same bytes at the
/// same offset is idempotent, so a late duplicate is harmless. Returns the transactions sent.
fn write_buffer(
    rpc: &RpcClient,
    so: &[u8],
    buffer: &Pubkey,
    payer: &dyn Signer,
    authority: &dyn Signer,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<usize, String> {
    let size = chunk_size(buffer, &payer.pubkey(), &authority.pubkey());
    let chunks: Vec<(u32, &[u8])> =
        so.chunks(size).enumerate().map(|(i, c)| ((i * size) as u32, c)).collect();
    let signers: Vec<&dyn Signer> =
        if authority.pubkey() == payer.pubkey() { vec![payer] } else { vec![payer, authority] };
    let (total, mut done, mut sent) = (chunks.len(), 0, 0);
    let no_preflight =
        RpcSendTransactionConfig { skip_preflight: true, ..RpcSendTransactionConfig::default() };
    for wave in chunks.chunks(WAVE) {
        let mut todo: Vec<usize> = (0..wave.len()).collect();
        for _attempt in 0..5 {
            if todo.is_empty() {
                break;
            }
            let blockhash = rpc.get_latest_blockhash().map_err(rpc_err)?;
            let mut pending: Vec<(usize, Signature)> = vec![];
            for &i in &todo {
                let (offset, bytes) = wave[i];
                let ix = loader::write(buffer, &authority.pubkey(), offset, bytes.to_vec());
                let tx =
                    Transaction::new_signed_with_payer(&[ix], Some(&payer.pubkey()), &signers, blockhash);
                sent += 1;
                // no preflight (the write is checked when it runs, as the Solana CLI sends
                // them); a send refused here is retried below like one that never landed
                if let Ok(sig) = rpc.send_transaction_with_config(&tx, no_preflight) {
                    pending.push((i, sig));
                }
            }
            let mut landed: HashSet<usize> = HashSet::new();
            let deadline = Instant::now() + Duration::from_secs(30);
            while landed.len() < pending.len() && Instant::now() < deadline {
                let waiting: Vec<&(usize, Signature)> =
                    pending.iter().filter(|(i, _)| !landed.contains(i)).collect();
                for part in waiting.chunks(256) {
                    let sigs: Vec<Signature> = part.iter().map(|(_, s)| *s).collect();
                    let statuses = rpc.get_signature_statuses(&sigs).map_err(rpc_err)?.value;
                    for ((i, _), status) in part.iter().zip(statuses) {
                        match status {
                            Some(s) if s.err.is_some() => {
                                return Err(format!("buffer write failed: {:?}", s.err))
                            }
                            Some(_) => {
                                landed.insert(*i);
                            }
                            None => {}
                        }
                    }
                }
                if landed.len() < pending.len() {
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
            done += landed.len();
            progress(done, total);
            todo.retain(|i| !landed.contains(i));
        }
        if !todo.is_empty() {
            return Err(format!("{} buffer writes did not land after 5 attempts", todo.len()));
        }
    }
    Ok(sent)
}

/// Deploys `so` at `program` (a new program: its keypair signs) or upgrades it (an existing
/// program whose upgrade authority is `authority`). `payer` pays the buffer's and the program's
/// rent; a new program's ProgramData is sized for `max_len` bytes (at least the `.so`'s).
pub fn deploy(
    rpc: &RpcClient,
    so: &[u8],
    program: &dyn Signer,
    payer: &dyn Signer,
    authority: &dyn Signer,
    max_len: Option<usize>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Deployed, String> {
    let program_id = program.pubkey();
    let existing = rpc.get_account(&program_id).ok();
    let buffer = Keypair::new();
    let rent = rpc
        .get_minimum_balance_for_rent_exemption(UpgradeableLoaderState::size_of_buffer(so.len()))
        .map_err(rpc_err)?;
    let create =
        loader::create_buffer(&payer.pubkey(), &buffer.pubkey(), &authority.pubkey(), rent, so.len())
            .map_err(rpc_err)?;
    send(rpc, &create, payer, &[&buffer])?;
    let writes = write_buffer(rpc, so, &buffer.pubkey(), payer, authority, progress)?;
    let upgraded = existing.is_some();
    if upgraded {
        let ix = loader::upgrade(&program_id, &buffer.pubkey(), &authority.pubkey(), &payer.pubkey());
        send(rpc, &[ix], payer, &[authority])?;
    } else {
        let lamports = rpc
            .get_minimum_balance_for_rent_exemption(UpgradeableLoaderState::size_of_program())
            .map_err(rpc_err)?;
        let len = max_len.unwrap_or(so.len()).max(so.len());
        let ixs = loader::deploy_with_max_program_len(
            &payer.pubkey(),
            &program_id,
            &buffer.pubkey(),
            &authority.pubkey(),
            lamports,
            len,
        )
        .map_err(rpc_err)?;
        send(rpc, &ixs, payer, &[program, authority])?;
    }
    Ok(Deployed { program_id, upgraded, buffer: buffer.pubkey(), transactions: writes + 2 })
}
