//! The local network as a client meets it: JSON-RPC on loopback, the `.so` under the upgradeable
//! loader with a real upgrade authority, transactions that run it and come back with the
//! program's named errors, time travel, a clean stop. Needs the `.so` built by the SBF kit
//! (`SBF_OUT_DIR`, as the suite's `.so` run): `scripts/test` runs it after the SBF build.
use std::net::TcpListener;

use anchor_lang::AccountDeserialize;
use compute_credits::constants::PROGRAM_DATA;
use compute_credits::error::CreditsError;
use compute_credits::state::Platform;
use credit_client::ix::initialize_platform;
use credit_client::pda::platform as platform_pda;
use localnet::{Blocks, Localnet, Options};
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::instruction::Instruction;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;

fn program_so() -> Vec<u8> {
    let dir =
        std::env::var("SBF_OUT_DIR").expect("SBF_OUT_DIR: the directory of the kit-built compute_credits.so");
    let path = std::path::Path::new(&dir).join("compute_credits.so");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn send(rpc: &RpcClient, ix: Instruction, payer: &Keypair) -> Result<(), String> {
    let blockhash = rpc.get_latest_blockhash().map_err(|e| e.to_string())?;
    let tx = Transaction::new_signed_with_payer(&[ix], Some(&payer.pubkey()), &[payer], blockhash);
    rpc.send_and_confirm_transaction(&tx).map(drop).map_err(|e| format!("{e:?}"))
}

/// The custom error code a refused transaction carries, from its RPC error.
fn custom_code(err: &str) -> Option<u32> {
    let at = err.find("Custom(")? + "Custom(".len();
    err[at..].split(')').next()?.parse().ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn serves_the_program_with_its_upgrade_authority() {
    let authority = Keypair::new();
    let stranger = Keypair::new();
    let options = Options {
        rpc_port: 0,
        ws_port: 0,
        blocks: Blocks::Transaction,
        airdrop: vec![authority.pubkey(), stranger.pubkey()],
        ..Options::default()
    };
    let mut net = Localnet::start(options).expect("localnet starts");
    assert!(net.rpc_url().starts_with("http://127.0.0.1:") && net.ws_url().starts_with("ws://127.0.0.1:"));
    net.write_program(&compute_credits::ID, &program_so(), &authority.pubkey()).expect("program written");
    let rpc = net.rpc();

    // what `solana program show` reads: the program under the upgradeable loader, its
    // ProgramData at the derived address, naming our authority
    let program = rpc.get_account(&compute_credits::ID).expect("program account");
    assert!(program.executable);
    assert_eq!(program.owner, anchor_lang::solana_program::bpf_loader_upgradeable::ID);
    let data = rpc.get_account(&PROGRAM_DATA).expect("ProgramData").data;
    // UpgradeableLoaderState::ProgramData: tag 3 (u32), slot (u64), Option<Pubkey>
    assert_eq!(data[..4], 3u32.to_le_bytes());
    assert_eq!(data[12], 1, "an upgrade authority is set");
    assert_eq!(Pubkey::try_from(&data[13..45]).unwrap(), authority.pubkey());

    // only the upgrade authority initialises the platform (issue 7), over the wire
    let init = |admin: &Keypair| {
        initialize_platform(
            &admin.pubkey(),
            &Keypair::new().pubkey(),
            &Keypair::new().pubkey(),
            compute_credits::FeeSettings { purchase_fee_bps: 100, origination_fee_bps: 50 },
        )
    };
    let refused = send(&rpc, init(&stranger), &stranger).unwrap_err();
    assert_eq!(custom_code(&refused), Some(CreditsError::NotUpgradeAuthority as u32 + 6000), "{refused}");
    assert!(rpc.get_account(&platform_pda()).is_err(), "a refused initialisation leaves no platform");
    send(&rpc, init(&authority), &authority).expect("the upgrade authority initialises");
    let platform =
        Platform::try_deserialize(&mut &rpc.get_account(&platform_pda()).unwrap().data[..]).unwrap();
    assert_eq!(platform.admin, authority.pubkey());
    let again = send(&rpc, init(&authority), &authority).unwrap_err();
    assert_eq!(custom_code(&again), Some(CreditsError::AlreadyInitialized as u32 + 6000), "{again}");

    // time travel: the Clock sysvar a transaction sees moves a day ahead
    let clock = |rpc: &RpcClient| -> i64 {
        let data = rpc.get_account(&solana_sdk::sysvar::clock::id()).unwrap().data;
        i64::from_le_bytes(data[32..40].try_into().unwrap())
    };
    let before = clock(&rpc);
    net.time_travel_to(before + 86_400).expect("time travel");
    let after = clock(&rpc);
    assert!((before + 86_400..before + 86_460).contains(&after), "clock {before} -> {after}");

    // a clean stop frees the ports
    let port: u16 = net.rpc_url().rsplit(':').next().unwrap().parse().unwrap();
    net.stop().expect("stops");
    assert!(TcpListener::bind(("127.0.0.1", port)).is_ok(), "the RPC port is free again");
}

/// `deploy` as `solana program deploy` does it, through the loader's buffer: a new program
/// (its keypair signs), then an upgrade by its authority. The program is our `.so` at a fresh
/// address, so it runs and refuses with Anchor's `DeclaredProgramIdMismatch`: the bytes loaded
/// are ours and executable.
#[tokio::test(flavor = "multi_thread")]
async fn deploys_and_upgrades_through_the_loader_buffer() {
    let (payer, authority, program) = (Keypair::new(), Keypair::new(), Keypair::new());
    let options = Options {
        rpc_port: 0,
        ws_port: 0,
        blocks: Blocks::Transaction,
        airdrop: vec![payer.pubkey(), authority.pubkey()],
        ..Options::default()
    };
    let net = Localnet::start(options).expect("localnet starts");
    let rpc = net.rpc();
    let so = program_so();
    let started = std::time::Instant::now();
    let mut last = (0, usize::MAX);
    let d =
        credit_client::deploy::deploy(&rpc, &so, &program, &payer, &authority, None, &mut |done, total| {
            assert!(done >= last.0 && done <= total, "progress {done}/{total} after {last:?}");
            last = (done, total);
        })
        .expect("deployed");
    eprintln!("deployed {} bytes in {} transactions, {:?}", so.len(), d.transactions, started.elapsed());
    assert!(!d.upgraded);
    assert_eq!(last.0, last.1, "every chunk landed");
    let program_data = solana_loader_v3_interface_address(&program.pubkey());
    let data = rpc.get_account(&program_data).expect("ProgramData").data;
    assert_eq!(Pubkey::try_from(&data[13..45]).unwrap(), authority.pubkey());
    assert_eq!(&data[45..45 + so.len()], &so[..], "ProgramData holds the .so");
    let ix = Instruction { program_id: program.pubkey(), ..init_at(&authority) };
    let refused = send(&rpc, ix, &authority).unwrap_err();
    assert_eq!(custom_code(&refused), Some(4100), "DeclaredProgramIdMismatch: {refused}");

    // an upgrade by the authority: ProgramData records the slot it was deployed in
    let slot = |data: &[u8]| u64::from_le_bytes(data[4..12].try_into().unwrap());
    let d = credit_client::deploy::deploy(&rpc, &so, &program, &payer, &authority, None, &mut |_, _| {})
        .expect("upgraded");
    assert!(d.upgraded);
    eprintln!("upgraded in {:?}", started.elapsed());
    let upgraded = rpc.get_account(&program_data).expect("ProgramData").data;
    assert!(slot(&upgraded) > slot(&data), "a new deployment slot");
    assert_eq!(&upgraded[45..45 + so.len()], &so[..], "ProgramData holds the upgrade");
}

fn init_at(admin: &Keypair) -> Instruction {
    initialize_platform(
        &admin.pubkey(),
        &Keypair::new().pubkey(),
        &Keypair::new().pubkey(),
        compute_credits::FeeSettings { purchase_fee_bps: 100, origination_fee_bps: 50 },
    )
}

fn solana_loader_v3_interface_address(program: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(
        &[program.as_ref()],
        &anchor_lang::solana_program::bpf_loader_upgradeable::ID,
    )
    .0
}
