//! A client generated from the IDL alone drives the program over JSON-RPC (issue 12, "A client
//! crate": every fixed or derivable account resolvable from the IDL). `clients/idl-check` is
//! Anchor's TypeScript client (`@anchor-lang/core`) over `idl/compute_credits.json`: it passes
//! only the accounts the IDL cannot resolve (the acted-on class, feed, market, loan, the
//! user's token accounts, choices of token program), so an address, seed or relation missing
//! from the IDL, or one the program disagrees with, fails it. Needs the `.so` (`SBF_OUT_DIR`)
//! and `npm ci` in `clients/idl-check` (`scripts/test` does both).
use std::path::PathBuf;
use std::process::Command;

use localnet::{Blocks, Localnet, Options};
use solana_sdk::signature::{Keypair, Signer};

fn program_so() -> Vec<u8> {
    let dir =
        std::env::var("SBF_OUT_DIR").expect("SBF_OUT_DIR: the directory of the kit-built compute_credits.so");
    let path = std::path::Path::new(&dir).join("compute_credits.so");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn anchors_typescript_client_resolves_every_derivable_account_from_the_idl() {
    let client = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../clients/idl-check");
    assert!(
        client.join("node_modules/@anchor-lang/core").is_dir(),
        "run npm ci in clients/idl-check ({})",
        client.display()
    );
    let authority = Keypair::new();
    let options = Options {
        rpc_port: 0,
        ws_port: 0,
        blocks: Blocks::Transaction,
        airdrop: vec![authority.pubkey()],
        ..Options::default()
    };
    let mut net = Localnet::start(options).expect("localnet starts");
    net.write_program(&compute_credits::ID, &program_so(), &authority.pubkey()).expect("program written");

    let dir = std::env::temp_dir().join(format!("idl-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let keypair = dir.join("authority.json");
    let bytes: Vec<String> = authority.to_bytes().iter().map(u8::to_string).collect();
    std::fs::write(&keypair, format!("[{}]", bytes.join(","))).unwrap();

    let out = Command::new("node")
        .arg(client.join("check.js"))
        .arg(net.rpc_url())
        .arg(&keypair)
        .arg(net.ws_url())
        .current_dir(&client)
        .output()
        .expect("node runs (Node 20 on PATH)");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    eprintln!("{stdout}{stderr}");
    std::fs::remove_dir_all(&dir).ok();
    net.stop().expect("stops");
    assert!(out.status.success(), "the IDL client failed: {stderr}");
    for step in [
        "initialize_platform",
        "update_platform",
        "freeze_credits",
        "swap",
        "post_loan_offer",
        "cancel_loan_offer",
        "repay_loan",
    ] {
        assert!(stdout.contains(&format!("ok {step}")), "{step} ran");
    }
    assert!(stdout.contains("update_platform by a stranger: NotAdmin"), "the named refusal");
}
