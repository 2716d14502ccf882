//! The transaction pipeline (`credit_client::tx`) against the local network over JSON-RPC: a
//! simulation's units and logs, a sent transaction carrying the compute-unit limit from its
//! simulation and the priority fee asked for, sign-only by a key that is not the fee payer then
//! `submit` by the fee payer (online and with an offline blockhash), and the program's errors by
//! name and message. Needs the `.so` (`SBF_OUT_DIR`), as `localnet.rs`.
use anchor_lang::AccountDeserialize;
use compute_credits::error::CreditsError;
use compute_credits::state::Platform;
use credit_client::ix::initialize_platform;
use credit_client::pda::platform as platform_pda;
use credit_client::tx::{
    budget_of, decode_transaction, fee_percentile, limit_with_margin, Budget, ComputeUnitLimit, Mode,
    Options, Outcome, Pipeline, PriorityFee, TxError,
};
use localnet::{Blocks, Localnet, Options as NetOptions};
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::RpcTransactionConfig;
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::{Keypair, NullSigner, Signer};
use solana_sdk::transaction::Transaction;

fn program_so() -> Vec<u8> {
    let dir =
        std::env::var("SBF_OUT_DIR").expect("SBF_OUT_DIR: the directory of the kit-built compute_credits.so");
    let path = std::path::Path::new(&dir).join("compute_credits.so");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// A local network with the program, its upgrade authority and a separate fee payer funded.
struct Net {
    net: Localnet,
    authority: Keypair,
    payer: Keypair,
    stranger: Keypair,
}

fn start() -> Net {
    let (authority, payer, stranger) = (Keypair::new(), Keypair::new(), Keypair::new());
    let options = NetOptions {
        rpc_port: 0,
        ws_port: 0,
        blocks: Blocks::Transaction,
        airdrop: vec![authority.pubkey(), payer.pubkey(), stranger.pubkey()],
        ..NetOptions::default()
    };
    let net = Localnet::start(options).expect("localnet starts");
    net.write_program(&compute_credits::ID, &program_so(), &authority.pubkey()).expect("program written");
    Net { net, authority, payer, stranger }
}

fn init(admin: &Keypair) -> Instruction {
    initialize_platform(
        &admin.pubkey(),
        &Keypair::new().pubkey(),
        &Keypair::new().pubkey(),
        compute_credits::FeeSettings { purchase_fee_bps: 100, origination_fee_bps: 50 },
    )
}

fn options(mode: Mode, compute_unit_limit: ComputeUnitLimit, priority_fee: PriorityFee) -> Options {
    Options { mode, compute_unit_limit, priority_fee, ..Options::default() }
}

fn platform(rpc: &RpcClient) -> Option<Platform> {
    let account = rpc.get_account(&platform_pda()).ok()?;
    Some(Platform::try_deserialize(&mut &account.data[..]).expect("a Platform"))
}

/// The transaction as it landed, decoded from `getTransaction`.
fn landed_transaction(rpc: &RpcClient, outcome: &Outcome) -> Transaction {
    let config = RpcTransactionConfig {
        encoding: Some(solana_transaction_status_client_types::UiTransactionEncoding::Base64),
        ..RpcTransactionConfig::default()
    };
    let tx = rpc
        .get_transaction_with_config(&outcome.signature().expect("landed"), config)
        .expect("getTransaction");
    tx.transaction.transaction.decode().expect("decodes").into_legacy_transaction().expect("legacy")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_simulation_reports_units_and_logs_and_sends_nothing() {
    let n = start();
    let rpc = n.net.rpc();
    let pipeline = Pipeline::new(
        &rpc,
        &n.authority,
        options(Mode::Simulate, ComputeUnitLimit::Simulate, PriorityFee::MicroLamports(1)),
    );
    let Outcome::Simulated(sim) = pipeline.run(&[init(&n.authority)], &[]).expect("simulates") else {
        panic!("a simulation")
    };
    let units = sim.units_consumed.expect("units");
    assert!(units > 1_000, "{units}");
    assert_eq!(
        sim.budget,
        Budget { compute_unit_limit: Some(limit_with_margin(units)), micro_lamports: Some(1) }
    );
    let invoke = format!("Program {} invoke [1]", compute_credits::ID);
    assert!(sim.logs.contains(&invoke), "{:#?}", sim.logs);
    assert!(sim.logs.iter().any(|l| l.contains("Instruction: InitializePlatform")), "{:#?}", sim.logs);
    assert!(platform(&rpc).is_none(), "a simulation changes nothing");

    // with a fixed limit the simulation runs at that limit
    let fixed = Pipeline::new(
        &rpc,
        &n.authority,
        options(Mode::Simulate, ComputeUnitLimit::Fixed(150_000), PriorityFee::None),
    );
    let Outcome::Simulated(sim) = fixed.run(&[init(&n.authority)], &[]).unwrap() else {
        panic!("a simulation")
    };
    assert_eq!(sim.budget, Budget { compute_unit_limit: Some(150_000), micro_lamports: None });
    assert!(sim.units_consumed.unwrap() > 1_000);
    assert!(platform(&rpc).is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sent_transaction_carries_its_simulated_limit_and_priority_fee() {
    let n = start();
    let rpc = n.net.rpc();
    let price = 25_000;
    let pipeline = Pipeline::new(
        &rpc,
        &n.payer,
        options(Mode::Send, ComputeUnitLimit::Simulate, PriorityFee::MicroLamports(price)),
    );
    let outcome = pipeline.run(&[init(&n.authority)], &[&n.authority]).expect("lands");
    let Outcome::Landed(landed) = &outcome else { panic!("landed") };
    let units = landed.units_consumed.expect("units consumed");
    let limit = landed.budget.compute_unit_limit.expect("a limit");
    // the simulation ran the same instructions: its units are the landed ones
    assert_eq!(limit, limit_with_margin(units), "limit {limit} for {units} units");
    assert_eq!(landed.budget.micro_lamports, Some(price));
    assert!(landed.logs.iter().any(|l| l.contains("Instruction: InitializePlatform")), "{:#?}", landed.logs);
    assert_eq!(platform(&rpc).expect("the platform").admin, n.authority.pubkey());

    // what landed: the two compute-budget instructions first, then ours; two signatures
    let tx = landed_transaction(&rpc, &outcome);
    let ixs = tx.message.instructions.len();
    assert_eq!(ixs, 3);
    let compiled = |i: usize| {
        let ix = &tx.message.instructions[i];
        (tx.message.account_keys[usize::from(ix.program_id_index)], ix.data.clone())
    };
    let limit_ix = ComputeBudgetInstruction::set_compute_unit_limit(limit);
    let price_ix = ComputeBudgetInstruction::set_compute_unit_price(price);
    assert_eq!(compiled(0), (limit_ix.program_id, limit_ix.data));
    assert_eq!(compiled(1), (price_ix.program_id, price_ix.data));
    assert_eq!(compiled(2).0, compute_credits::ID);
    assert_eq!(budget_of(&tx.message), landed.budget);
    assert_eq!(tx.message.account_keys[0], n.payer.pubkey(), "the fee payer pays");
    // the fee the node charged: 5,000 lamports per signature (a validator adds price x limit,
    // about `priority` lamports here; surfpool charges signatures only)
    let priority = (u64::from(limit) * price).div_ceil(1_000_000);
    let fee = landed.fee.expect("the fee");
    assert!(fee == 2 * 5_000 || fee == 2 * 5_000 + priority, "fee {fee}");

    // `auto`: the 75th percentile of the node's recent fees over the writable accounts (here
    // the payer's, who just paid `price`)
    let transfer =
        solana_system_interface::instruction::transfer(&n.payer.pubkey(), &n.stranger.pubkey(), 1_000);
    let recent: Vec<u64> = rpc
        .get_recent_prioritization_fees(&[n.payer.pubkey(), n.stranger.pubkey()])
        .unwrap()
        .iter()
        .map(|f| f.prioritization_fee)
        .collect();
    assert!(recent.contains(&price), "{recent:?}");
    let expected = Some(fee_percentile(&recent)).filter(|p| *p > 0);
    let auto =
        Pipeline::new(&rpc, &n.payer, options(Mode::Send, ComputeUnitLimit::Simulate, PriorityFee::Auto));
    let outcome = auto.run(&[transfer], &[]).expect("lands");
    let Outcome::Landed(landed) = &outcome else { panic!("landed") };
    assert_eq!(landed.budget.micro_lamports, expected, "from {recent:?}");
    assert!(expected.is_some(), "a fee was paid on the payer's account: {recent:?}");
    assert_eq!(budget_of(&landed_transaction(&rpc, &outcome).message), landed.budget);
}

/// The multisig / offline flow: the authority signs only (the fee payer's key is elsewhere),
/// the fee payer adds its signature and submits.
#[tokio::test(flavor = "multi_thread")]
async fn sign_only_by_the_authority_then_submit_by_the_fee_payer() {
    let n = start();
    let rpc = n.net.rpc();
    let payer_elsewhere = NullSigner::new(&n.payer.pubkey());
    let sign_only = Pipeline::new(
        &rpc,
        &payer_elsewhere,
        options(Mode::SignOnly, ComputeUnitLimit::Simulate, PriorityFee::MicroLamports(1_000)),
    );
    let Outcome::SignedOnly(signed) = sign_only.run(&[init(&n.authority)], &[&n.authority]).expect("signs")
    else {
        panic!("sign-only")
    };
    assert_eq!(signed.missing, vec![n.payer.pubkey()]);
    assert_eq!(signed.signed.len(), 1);
    assert_eq!(signed.signed[0].0, n.authority.pubkey());
    assert!(signed.budget.compute_unit_limit.is_some(), "simulated before signing");
    assert!(platform(&rpc).is_none(), "nothing sent");

    // sending it as it is: the fee payer's signature is missing
    let send = Pipeline::new(
        &rpc,
        &payer_elsewhere,
        options(Mode::Send, ComputeUnitLimit::Simulate, PriorityFee::None),
    );
    let tx = decode_transaction(&signed.transaction).expect("decodes");
    let refused = send.submit(tx.clone(), &[]).unwrap_err();
    assert!(refused.to_string().contains(&n.payer.pubkey().to_string()), "{refused}");
    // a key the transaction does not need adds nothing
    assert!(send.submit(tx.clone(), &[&n.stranger]).is_err());

    // `submit` with the fee payer: lands as it was signed (the budget the authority signed)
    let Outcome::Landed(landed) = send.submit(tx, &[&n.payer]).expect("lands") else { panic!("landed") };
    assert_eq!(landed.budget, signed.budget);
    assert_eq!(platform(&rpc).expect("the platform").admin, n.authority.pubkey());
}

/// `--sign-only --blockhash`: nothing is asked of the RPC (this pipeline's endpoint is closed),
/// no simulation and no `auto` fee; the transaction is then completed and sent where the
/// cluster is.
#[tokio::test(flavor = "multi_thread")]
async fn sign_only_offline_with_a_given_blockhash() {
    let n = start();
    let rpc = n.net.rpc();
    let closed = RpcClient::new("http://127.0.0.1:9".to_string());
    let blockhash = rpc.get_latest_blockhash().unwrap();
    let offline = Options {
        blockhash: Some(blockhash),
        ..options(Mode::SignOnly, ComputeUnitLimit::Simulate, PriorityFee::Auto)
    };
    let payer_elsewhere = NullSigner::new(&n.payer.pubkey());
    let Outcome::SignedOnly(signed) = Pipeline::new(&closed, &payer_elsewhere, offline)
        .run(&[init(&n.authority)], &[&n.authority])
        .expect("signs offline")
    else {
        panic!("sign-only")
    };
    assert_eq!(signed.blockhash, blockhash);
    assert_eq!(signed.budget, Budget::default());
    assert_eq!(signed.notes.len(), 2, "{:?}", signed.notes);
    assert_eq!(signed.missing, vec![n.payer.pubkey()]);

    let tx = decode_transaction(&signed.transaction).unwrap();
    let send = Pipeline::new(
        &rpc,
        &payer_elsewhere,
        options(Mode::Send, ComputeUnitLimit::Simulate, PriorityFee::None),
    );
    let landed = send.submit(tx, &[&n.payer]).expect("lands");
    assert!(landed.signature().is_some());
    assert_eq!(platform(&rpc).expect("the platform").admin, n.authority.pubkey());
}

#[tokio::test(flavor = "multi_thread")]
async fn program_errors_come_back_by_name_and_message() {
    let n = start();
    let rpc = n.net.rpc();
    let not_authority = CreditsError::NotUpgradeAuthority;
    let check = |e: TxError, index: u8| {
        let TxError::Failed(e) = e else { panic!("a failure explained: {e}") };
        assert_eq!(e.name, not_authority.name());
        assert_eq!(e.message, not_authority.to_string());
        assert_eq!(e.code, Some(not_authority as u32 + 6000));
        assert_eq!(e.program, Some(compute_credits::ID));
        assert_eq!(e.instruction, Some(index));
        assert!(e.logs.iter().any(|l| l.contains("NotUpgradeAuthority")), "{:#?}", e.logs);
        let shown = e.to_string();
        assert!(
            shown.contains("NotUpgradeAuthority") && shown.contains(&not_authority.to_string()),
            "{shown}"
        );
    };
    // refused by the simulation that sizes the limit: [limit, price, ours]
    let simulated = Pipeline::new(
        &rpc,
        &n.stranger,
        options(Mode::Send, ComputeUnitLimit::Simulate, PriorityFee::MicroLamports(1)),
    );
    check(simulated.run(&[init(&n.stranger)], &[]).unwrap_err(), 2);
    // refused by the node's preflight (a fixed limit: no simulation of ours): [limit, ours]
    let preflight = Pipeline::new(
        &rpc,
        &n.stranger,
        options(Mode::Send, ComputeUnitLimit::Fixed(200_000), PriorityFee::None),
    );
    check(preflight.run(&[init(&n.stranger)], &[]).unwrap_err(), 1);
    // and by --simulate
    let simulate = Pipeline::new(
        &rpc,
        &n.stranger,
        options(Mode::Simulate, ComputeUnitLimit::Fixed(200_000), PriorityFee::None),
    );
    check(simulate.run(&[init(&n.stranger)], &[]).unwrap_err(), 1);
    assert!(platform(&rpc).is_none(), "a refused initialisation leaves no platform");

    // initialising twice: the program's AlreadyInitialized
    let ok =
        Pipeline::new(&rpc, &n.authority, options(Mode::Send, ComputeUnitLimit::Simulate, PriorityFee::None));
    ok.run(&[init(&n.authority)], &[]).expect("the authority initialises");
    let TxError::Failed(again) = ok.run(&[init(&n.authority)], &[]).unwrap_err() else { panic!("explained") };
    assert_eq!(again.name, CreditsError::AlreadyInitialized.name(), "{again}");
}
