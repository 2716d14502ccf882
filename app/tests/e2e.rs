//! End to end, as a user meets the protocol: the local network started as a separate process
//! (`app localnet`, the `.so` under the upgradeable loader with the deployer as upgrade
//! authority), the whole lifecycle driven through the CLI binary as subprocesses, results
//! checked over JSON-RPC (including what a wallet sees: `jsonParsed` Token-2022 metadata and a
//! frozen account), and the network stopped by its pid.
mod common;

use common::node::LocalnetProcess;
use common::{Cli, Wallet};
use credit_client::{pda, read};
use serde_json::{json, Value};
use solana_rpc_client::api::request::RpcRequest;
use solana_sdk::pubkey::Pubkey;

/// An account as a wallet reads it (`getAccountInfo`, `jsonParsed`).
fn json_parsed(node: &LocalnetProcess, key: &Pubkey) -> Value {
    node.rpc()
        .send::<Value>(
            RpcRequest::GetAccountInfo,
            json!([key.to_string(), { "encoding": "jsonParsed", "commitment": "confirmed" }]),
        )
        .expect("getAccountInfo")["value"]["data"]["parsed"]
        .clone()
}

fn extension<'a>(parsed: &'a Value, name: &str) -> &'a Value {
    parsed["info"]["extensions"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["extension"] == name))
        .map(|e| &e["state"])
        .unwrap_or_else(|| panic!("no {name} extension in {parsed:#}"))
}

fn key(v: &Value) -> Pubkey {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}")).parse().expect("a pubkey")
}

fn amount(node: &LocalnetProcess, account: &Pubkey) -> u64 {
    read::token_amount(&node.rpc(), account).unwrap().unwrap_or_else(|| panic!("no token account {account}"))
}

/// The roles of the lifecycle, each a keypair file the CLI signs with.
struct Roles {
    admin: Wallet,
    guardian: Wallet,
    underwriter: Wallet,
    publisher: Wallet,
    provider: Wallet,
    holder: Wallet,
}

/// Platform, quote currency, a Token-2022 class with its metadata, a priced feed, lending
/// terms, an underwriter: the admin's day one, through the CLI.
fn day_one(node: &LocalnetProcess, cli: &Cli, r: &Roles) -> (Pubkey, Pubkey) {
    let admin = &r.admin;
    cli.ok(
        admin,
        &["platform", "init", "--guardian", &r.guardian.pubkey().to_string(), "--purchase-fee-bps", "100"],
    );
    let quote = key(&cli.json(admin, &["token", "create-mint", "--decimals", "6"])["mint"]);
    let create = [
        "class",
        "create",
        "--name",
        "H100 GPU-hour credit",
        "--symbol",
        "H100H",
        "--uri",
        "https://example.com/h100.json",
        "--unit",
        "H100 GPU-hour",
        "--list-price",
        "2.50",
        "--quote-mint",
        &quote.to_string(),
    ];
    let class = key(&cli.json(admin, &create)["class"]);
    assert_eq!(class, pda::class(0));
    let mint = read::class(&node.rpc(), &class).unwrap().credit_mint;

    // what a wallet shows of the credit: the Token-2022 metadata the program wrote
    let parsed = json_parsed(node, &mint);
    assert_eq!(parsed["info"]["mintAuthority"], class.to_string());
    assert_eq!(parsed["info"]["freezeAuthority"], class.to_string());
    let md = extension(&parsed, "tokenMetadata");
    assert_eq!((md["name"].as_str(), md["symbol"].as_str()), (Some("H100 GPU-hour credit"), Some("H100H")));
    assert_eq!(md["additionalMetadata"], json!([["unit", "H100 GPU-hour"]]));

    // the GPU-hour price: a publisher's feed; purchases priced by it
    cli.ok(admin, &["feed", "create", "0", "--max-staleness-secs", "600"]);
    cli.ok(admin, &["feed", "add-publisher", "0", &r.publisher.pubkey().to_string()]);
    cli.ok(&r.publisher, &["feed", "submit", "0", "--price", "2.50", "--conf", "0.01"]);
    cli.ok(admin, &["class", "use-feed", "0"]);
    assert_eq!(cli.json(admin, &["feed", "show", "0"])["priceUi"], "2.5");

    // lending terms (the defaults: 30-day periods, 5 days' grace, 10 days' cure) and an underwriter
    cli.ok(admin, &["lending", "configure", "--defaults"]);
    cli.ok(admin, &["platform", "set-underwriter", &r.underwriter.pubkey().to_string()]);
    (class, quote)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_lifecycle_through_the_cli() {
    let node = LocalnetProcess::start("lifecycle");
    let cli = node.cli();
    // the deployer is the admin: only the upgrade authority may initialise the platform
    let stranger = node.wallet("stranger");
    let err = cli.fails(&stranger, &["platform", "init"]);
    assert!(err.contains("NotUpgradeAuthority"), "{err}");
    let r = Roles {
        admin: Wallet { key: node.authority.key.insecure_clone(), path: node.authority.path.clone() },
        guardian: node.wallet("guardian"),
        underwriter: node.wallet("underwriter"),
        publisher: node.wallet("publisher"),
        provider: node.wallet("provider"),
        holder: node.wallet("holder"),
    };
    // the deployer is the admin: only the upgrade authority may initialise the platform
    let err = cli.fails(&r.admin, &["platform", "init"]);
    assert!(err.contains("NotUpgradeAuthority"), "{err}");
    let r = Roles {
        admin: Wallet { key: node.authority.key.insecure_clone(), path: node.authority.path.clone() },
        ..r
    };
    let (class, quote) = day_one(&node, &cli, &r);
    let q = quote.to_string();
    let mint = read::class(&node.rpc(), &class).unwrap().credit_mint;
    let t22 = anchor_spl::token_2022::ID;

    // a holder buys credits at the feed's price and a provider redeems what it served
    let h = r.holder.pubkey().to_string();
    cli.ok(&r.admin, &["token", "mint-to", &q, "10000", "--to", &h]);
    cli.ok(&r.holder, &["buy", "0", "400", "--max-price", "2.60"]);
    let holder_credits = pda::associated_token(&r.holder.pubkey(), &mint, &t22);
    assert_eq!(amount(&node, &holder_credits), 400_000_000);
    cli.ok(&r.admin, &["provider", "register", "0", &r.provider.pubkey().to_string()]);
    cli.ok(&r.holder, &["redeem", "0", "120", "--provider", r.provider.k(), "--usage", "job-2026-12-03"]);
    assert_eq!(amount(&node, &holder_credits), 280_000_000);
    let c = read::class(&node.rpc(), &class).unwrap();
    assert_eq!((c.minted, c.burned), (400_000_000, 120_000_000));

    // the guardian freezes the holder: the wallet sees the account frozen, the token program
    // refuses a transfer; the thaw lets it move again
    cli.ok(&r.guardian, &["guardian", "freeze", &h, "--class", "0", "--reason", "1"]);
    assert_eq!(json_parsed(&node, &holder_credits)["info"]["state"], "frozen");
    let err = cli.fails(&r.holder, &["redeem", "0", "1", "--provider", r.provider.k(), "--usage", "job-x"]);
    assert!(err.contains("CreditAccountFrozen"), "{err}");
    cli.ok(&r.guardian, &["guardian", "thaw", &h, "--class", "0", "--reason", "1"]);
    assert_eq!(json_parsed(&node, &holder_credits)["info"]["state"], "initialized");

    node.stop();
}
