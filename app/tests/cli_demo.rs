//! `app demo -u <URL>`: the whole lifecycle demo over JSON-RPC against a local network with the
//! `.so`, as a user runs it, and its results read back over RPC.
mod common;

use common::TestNet;
use compute_credits::state::{CreditClass, Platform};

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_runs_over_json_rpc() {
    let net = TestNet::start("demo");
    let out = net.run(&net.authority, &["demo"]);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "demo over RPC failed:\nstdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stdout.contains("over JSON-RPC at"), "{stdout}");
    assert!(stdout.contains("Demo complete."), "{stdout}");

    // what the demo did is on the cluster: the platform it initialised (its admin is the
    // deployer) and the class it created, with credits minted and burned
    let rpc = net.rpc();
    let platform: Platform = credit_client::read::platform(&rpc).expect("the platform");
    assert_eq!(platform.admin, net.authority.pubkey());
    let classes = credit_client::read::classes(&rpc).expect("classes");
    assert_eq!(classes.len(), 1, "the demo creates one class");
    let class: &CreditClass = &classes[0].1;
    assert!(class.minted > 0 && class.burned > 0, "minted {} burned {}", class.minted, class.burned);
    let lending = credit_client::read::lending_config(&rpc).expect("the lending terms");
    assert_eq!((lending.min_apr_bps, lending.max_apr_bps), (800, 1_200));
    // its loans were repaid or liquidated and released: their accounts are closed
    assert!(credit_client::read::loans(&rpc, None, None).expect("loans").is_empty());
    // its metering channel was finalized: the channel and its vault are closed
    assert!(credit_client::read::channels(&rpc, None, None).expect("channels").is_empty());
    assert!(stdout.contains("refused: WrongSequence"), "the replayed batch: {stdout}");
    let markets = credit_client::read::markets(&rpc).expect("markets");
    assert_eq!(markets.len(), 1, "the demo opens one market");
    assert!(markets[0].1.header().seat_count >= 4, "its traders and the loan's seat");

    // a second run is refused by name: one platform per program
    let again = net.run(&net.authority, &["demo"]);
    assert!(!again.status.success());
    let text = String::from_utf8_lossy(&again.stdout).to_string() + &String::from_utf8_lossy(&again.stderr);
    assert!(text.contains("AlreadyInitialized") || text.contains("already in use"), "{text}");
}
