//! End to end, as a user meets the protocol: the local network started as a separate process
//! (`app localnet`, the `.so` under the upgradeable loader with the deployer as upgrade
//! authority), the whole lifecycle driven through the CLI binary as subprocesses, results
//! checked over JSON-RPC (including what a wallet sees: `jsonParsed` Token-2022 metadata and a
//! frozen account), and the network stopped by its pid.
mod common;

use common::node::LocalnetProcess;
use common::wallet_view::{amount, extension, json_parsed, key};
use common::{Cli, Wallet};
use credit_client::{pda, read};
use serde_json::{json, Value};
use solana_sdk::pubkey::Pubkey;

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
    let q = quote.to_string();
    let create = common::create_h100_class(&q);
    let class = key(&cli.json(admin, &create)["class"]);
    assert_eq!(class, pda::class(0));
    let mint = read::class(&node.rpc(), &class).unwrap().credit_mint;

    // what a wallet shows of the credit: the Token-2022 metadata the program wrote
    let parsed = json_parsed(&node.rpc(), &mint);
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
    let rpc = node.rpc();
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
    assert_eq!(amount(&rpc, &holder_credits), 400_000_000);
    cli.ok(&r.admin, &["provider", "register", "0", &r.provider.pubkey().to_string()]);
    cli.ok(&r.holder, &["redeem", "0", "120", "--provider", r.provider.k(), "--usage", "job-2026-12-03"]);
    assert_eq!(amount(&rpc, &holder_credits), 280_000_000);
    let c = read::class(&node.rpc(), &class).unwrap();
    assert_eq!((c.minted, c.burned), (400_000_000, 120_000_000));

    // the guardian freezes the holder: the wallet sees the account frozen, the token program
    // refuses a transfer; the thaw lets it move again
    cli.ok(&r.guardian, &["guardian", "freeze", &h, "--class", "0", "--reason", "1"]);
    assert_eq!(json_parsed(&rpc, &holder_credits)["info"]["state"], "frozen");
    let err = cli.fails(&r.holder, &["redeem", "0", "1", "--provider", r.provider.k(), "--usage", "job-x"]);
    assert!(err.contains("CreditAccountFrozen"), "{err}");
    cli.ok(&r.guardian, &["guardian", "thaw", &h, "--class", "0", "--reason", "1"]);
    assert_eq!(json_parsed(&rpc, &holder_credits)["info"]["state"], "initialized");

    // compute financing: the underwriter approves the startup, a lender offers $250,000 at 9%
    // over 12 months, the startup accepts and the credits are minted into the loan's vault
    let (lender, startup) = (node.wallet("lender"), node.wallet("startup"));
    let (l, s) = (lender.pubkey().to_string(), startup.pubkey().to_string());
    cli.ok(&r.admin, &["token", "mint-to", &q, "300000", "--to", &l]);
    cli.ok(&r.admin, &["token", "mint-to", &q, "100", "--to", &s]);
    let approve = ["underwriter", "approve", "--borrower", &s, "--class", "0", "--tier", "series-a"];
    cli.ok(
        &r.underwriter,
        &[&approve[..], &["--max-principal", "1000000", "--expires-in-days", "365"]].concat(),
    );
    let offer = [
        "loan",
        "offer",
        "--class",
        &class.to_string(),
        "--kind",
        "financing",
        "--borrower",
        &s,
        "--principal",
        "250000",
        "--apr",
        "9",
        "--periods",
        "12",
    ];
    let loan = key(&cli.json(&lender, &offer)["loan"]);
    let ln = loan.to_string();
    cli.ok(&startup, &["loan", "accept", &ln]);
    let vault_credits = amount(&rpc, &pda::vault(&loan));
    assert!(
        vault_credits > 100_000_000_000,
        "$250,000 at 1.35x buys over 100,000 GPU-hours: {vault_credits}"
    );
    assert_eq!(read::loan(&node.rpc(), &loan).unwrap().status(), credit_math::ledger::LoanStatus::Current);
    // the startup also holds credits of its own (bought): the lender's freeze will reach them
    cli.ok(&startup, &["buy", "0", "10", "--max-price", "2.60"]);
    let startup_credits = pda::associated_token(&startup.pubkey(), &mint, &t22);

    // the first installment is missed: past its due date, grace and cure (time travel); the
    // publisher's price is fresh; the keeper finds the loan and cranks it into default
    let lending = cli.json(&r.admin, &["lending", "show"]);
    let late = lending["period_secs"].as_i64().unwrap()
        + lending["grace_secs"].as_i64().unwrap()
        + lending["cure_secs"].as_i64().unwrap();
    node.time_travel_to(node.now() + late + 60);
    cli.ok(&r.publisher, &["feed", "submit", "0", "--price", "2.40", "--conf", "0.01"]);
    let kept = cli.ok(&stranger, &["keeper", "--once"]);
    assert!(kept.contains(&ln), "the keeper logged its crank of the loan: {kept}");
    let state = read::loan(&node.rpc(), &loan).unwrap();
    assert_eq!(state.status(), credit_math::ledger::LoanStatus::Defaulted);
    let again = cli.ok(&stranger, &["keeper", "--once"]);
    assert!(!again.contains("update_loan"), "nothing left to crank: {again}");

    // the lender's freeze, signed elsewhere (a cold key or a multisig member): --sign-only with
    // its public key prints the transaction; `submit` with its keypair sends it
    let out = cli.run_k(&l, &["loan", "freeze", &ln, "--sign-only", "--output", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let signed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(signed["absent"], json!([l]));
    assert_eq!(json_parsed(&rpc, &startup_credits)["info"]["state"], "initialized");
    let landed = cli.json(&lender, &["submit", signed["transaction"].as_str().unwrap()]);
    assert_eq!(landed["outcome"], "landed", "{landed}");
    // what the startup's wallet shows: the account frozen, and by whom
    assert_eq!(json_parsed(&rpc, &startup_credits)["info"]["state"], "frozen");
    let pos = cli.json(&stranger, &["wallet", &s]);
    assert_eq!(pos["credits"][0]["frozen"], true);
    assert_eq!(pos["credits"][0]["heldBy"]["loans"], json!([ln]));

    // the market: a trader bids; the lender sells part of the collateral into the bid from the
    // loan's seat, then liquidates the credits that cover the rest of the debt
    let market = cli.json(&r.admin, &["market", "create", "--class", &class.to_string()])["market"]
        .as_str()
        .unwrap()
        .to_string();
    let trader = node.wallet("trader");
    let t = trader.pubkey().to_string();
    cli.ok(&r.admin, &["token", "mint-to", &q, "50000", "--to", &t]);
    cli.ok(&trader, &["market", "seat", &market]);
    cli.ok(&trader, &["market", "deposit", &market, "quote", "25000"]);
    let bid = ["market", "order", &market, "bid", "--price", "2.30", "--lots", "5000", "--type", "post-only"];
    cli.ok(&trader, &bid);
    let book = cli.json(&stranger, &["market", "show", &market]);
    assert_eq!(book["bids"][0]["lots"], 5000, "{book}");
    let lender_quote = pda::associated_token(&lender.pubkey(), &quote, &anchor_spl::token::ID);
    let before = amount(&rpc, &lender_quote);
    cli.ok(&lender, &["loan", "sell", &ln, "--price", "2.30", "--lots", "1000", "--type", "ioc"]);
    assert!(amount(&rpc, &lender_quote) > before + 2_200_000_000, "the sale's proceeds reached the lender");
    let trades = cli.json(&stranger, &["market", "trades", &market]);
    let fills = trades["fills"].as_array().unwrap();
    assert!(!fills.is_empty() && fills.iter().all(|f| f["ticks"] == 230), "{trades}");
    cli.ok(&lender, &["loan", "liquidate", &ln]);
    let state = read::loan(&node.rpc(), &loan).unwrap();
    assert_eq!(state.status(), credit_math::ledger::LoanStatus::Liquidated, "the debt is recovered");
    let lender_credits = pda::associated_token(&lender.pubkey(), &mint, &t22);
    assert!(amount(&rpc, &lender_credits) > 0, "the lender holds the seized credits");
    // the rest of the vault goes back to the startup and its account is thawed
    cli.ok(&lender, &["loan", "release", &ln]);
    assert_eq!(json_parsed(&rpc, &startup_credits)["info"]["state"], "initialized");

    // a trader's order placed and cancelled: the book follows
    let out = cli.json(
        &trader,
        &["market", "order", &market, "bid", "--price", "2.20", "--lots", "10", "--type", "post-only"],
    );
    let seq = out["resting"][0]
        .as_u64()
        .unwrap_or_else(|| panic!("the order's sequence number: {out}"))
        .to_string();
    let book = cli.json(&stranger, &["market", "show", &market]);
    assert!(book["bids"].as_array().unwrap().iter().any(|l| l["ticks"] == 220), "{book}");
    cli.ok(&trader, &["market", "cancel", &market, &seq]);
    let book = cli.json(&stranger, &["market", "show", &market]);
    assert!(book["bids"].as_array().unwrap().iter().all(|l| l["ticks"] != 220), "{book}");

    node.stop();
}
