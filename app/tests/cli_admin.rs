//! The admin's, underwriter's and publishers' commands over JSON-RPC, driven through the `app`
//! binary: platform, roles, classes (the Token-2022 metadata as a wallet reads it), providers,
//! feeds, lending terms; each checked over RPC, and refusals by the program's error name.
mod common;

use common::wallet_view::{extension, json_parsed, key};
use common::TestNet;
use compute_credits::state::{LendingConfig, Provider, UnderwritingApproval};
use credit_client::{pda, read};
use serde_json::{json, Value};
use solana_sdk::pubkey::Pubkey;

#[test]
fn platform_roles_classes_feeds_and_lending() {
    let net = TestNet::start("admin");
    let admin = &net.authority;
    let (guardian, stranger, underwriter) =
        (net.wallet("guardian"), net.wallet("stranger"), net.wallet("underwriter"));
    let rpc = net.rpc();

    // only the upgrade authority initialises; it becomes admin
    let err = net.fails(&stranger, &["platform", "init"]);
    assert!(err.contains("NotUpgradeAuthority"), "{err}");
    let g = guardian.pubkey().to_string();
    net.ok(admin, &["platform", "init", "--guardian", &g, "--purchase-fee-bps", "100"]);
    let p = read::platform(&rpc).unwrap();
    assert_eq!(
        (p.admin, p.guardian, p.treasury, p.purchase_fee_bps),
        (admin.pubkey(), guardian.pubkey(), admin.pubkey(), 100)
    );
    let shown = net.json(&stranger, &["platform", "show"]);
    assert_eq!(shown["guardian"], g);
    assert_eq!(shown["underwriter"], Value::Null);
    net.ok(admin, &["platform", "update", "--origination-fee-bps", "50"]);
    let p = read::platform(&rpc).unwrap();
    assert_eq!((p.purchase_fee_bps, p.origination_fee_bps, p.guardian), (100, 50, guardian.pubkey()));

    // a quote currency the admin controls
    let mint = key(&net.json(admin, &["token", "create-mint", "--decimals", "6"])["mint"]);
    let m = mint.to_string();

    // classes: the admin's alone
    let create = common::create_h100_class(&m);
    let err = net.fails(&stranger, &create);
    assert!(err.contains("NotAdmin") && err.contains("signer is not the platform admin"), "{err}");
    let out = net.json(admin, &create);
    let class = key(&out["class"]);
    assert_eq!(class, pda::class(0));
    let c = read::class(&rpc, &class).unwrap();
    assert_eq!((c.list_price, c.decimals, c.unit()), (2_500_000, 6, "H100 GPU-hour"));
    assert_eq!(c.credit_token_program, anchor_spl::token_2022::ID);

    // what a wallet reads of the mint: Token-2022 metadata, over jsonParsed
    let parsed = json_parsed(&rpc, &c.credit_mint);
    let md = extension(&parsed, "tokenMetadata");
    assert_eq!(md["name"], "H100 GPU-hour credit");
    assert_eq!(md["symbol"], "H100H");
    assert_eq!(md["uri"], "https://example.com/h100.json");
    assert_eq!(md["updateAuthority"], class.to_string());
    assert_eq!(md["additionalMetadata"], json!([["unit", "H100 GPU-hour"]]));
    // ...and what `class show` prints of it, read over RPC the same way
    let shown = net.json(&stranger, &["class", "show", "0"]);
    assert_eq!(shown["metadata"]["name"], md["name"]);
    assert_eq!(shown["metadata"]["symbol"], md["symbol"]);
    assert_eq!(shown["metadata"]["uri"], md["uri"]);
    assert_eq!(shown["metadata"]["additionalMetadata"], md["additionalMetadata"]);
    assert_eq!(shown["supply"], parsed["info"]["supply"].as_str().unwrap().parse::<u64>().unwrap());
    assert_eq!((shown["listPriceUi"].as_str(), shown["paused"].as_bool()), (Some("2.5"), Some(false)));
    let text = net.ok(&stranger, &["class", "show", &class.to_string()]);
    assert!(
        text.contains("Symbol: H100H")
            && text.contains("unit: H100 GPU-hour")
            && text.contains("Price source: list price"),
        "{text}"
    );
    assert_eq!(net.json(&stranger, &["class", "list"])["classes"][0]["address"], class.to_string());

    // pause: admin or guardian; resume: the admin alone
    net.ok(&guardian, &["class", "pause", "0"]);
    assert!(read::class(&rpc, &class).unwrap().is_paused());
    assert_eq!(extension(&json_parsed(&rpc, &c.credit_mint), "pausableConfig")["paused"], true);
    let err = net.fails(&guardian, &["class", "resume", "0"]);
    assert!(err.contains("NotAdmin"), "{err}");
    net.ok(admin, &["class", "resume", "0"]);
    assert!(!read::class(&rpc, &class).unwrap().is_paused());

    // the underwriter's approvals
    let u = underwriter.pubkey().to_string();
    net.ok(admin, &["platform", "set-underwriter", &u]);
    let borrower = Pubkey::new_unique().to_string();
    let approve = [
        "underwriter",
        "approve",
        "--borrower",
        &borrower,
        "--class",
        "0",
        "--tier",
        "series-a",
        "--max-principal",
        "1000000",
        "--expires-in-days",
        "90",
    ];
    let err = net.fails(&stranger, &approve);
    assert!(err.contains("NotUnderwriter"), "{err}");
    net.ok(&underwriter, &approve);
    let approval = pda::approval(&borrower.parse().unwrap(), &mint);
    let a: UnderwritingApproval = read::program_account(&rpc, &approval).unwrap();
    assert_eq!((a.tier, a.max_principal, a.underwriter), (2, 1_000_000_000_000, underwriter.pubkey()));
    assert!(a.expires_at > net.now() + 89 * 86_400);
    let shown = net.json(&stranger, &["underwriter", "show", "--borrower", &borrower, "--quote-mint", &m]);
    assert_eq!(
        (shown["remaining"].as_u64(), shown["underwriterIsCurrent"].as_bool()),
        (Some(1_000_000_000_000), Some(true))
    );
    net.ok(&underwriter, &["underwriter", "revoke", "--borrower", &borrower, "--class", "0"]);
    assert!(read::account(&rpc, &approval).unwrap().is_none());

    // providers
    let provider = Pubkey::new_unique().to_string();
    let err = net.fails(&stranger, &["provider", "register", "0", &provider]);
    assert!(err.contains("NotAdmin"), "{err}");
    net.ok(admin, &["provider", "register", "0", &provider]);
    let record: Provider =
        read::program_account(&rpc, &pda::provider(&class, &provider.parse().unwrap())).unwrap();
    assert_eq!((record.class, record.redeemed), (class, 0));
    assert_eq!(read::class(&rpc, &class).unwrap().provider_count, 1);
    net.ok(admin, &["provider", "remove", "0", &provider]);
    assert_eq!(read::class(&rpc, &class).unwrap().provider_count, 0);

    // a native feed, its publisher, a price, the class priced by it
    let publisher = net.wallet("publisher");
    net.ok(admin, &["feed", "create", "0", "--max-staleness-secs", "600"]);
    net.ok(admin, &["feed", "add-publisher", "0", &publisher.pubkey().to_string()]);
    let err = net.fails(&stranger, &["feed", "submit", "0", "--price", "2.60", "--conf", "0.01"]);
    assert!(err.contains("NotPublisher"), "{err}");
    net.ok(&publisher, &["feed", "submit", "0", "--price", "2.60", "--conf", "0.01"]);
    let feed = read::price_feed(&rpc, &pda::price_feed(&class)).unwrap();
    assert_eq!(
        (feed.price, feed.conf, feed.expo, feed.max_staleness_secs),
        (260_000_000, 1_000_000, -8, 600)
    );
    net.ok(admin, &["feed", "configure", "0", "--max-confidence-bps", "300"]);
    let feed = read::price_feed(&rpc, &pda::price_feed(&class)).unwrap();
    assert_eq!((feed.max_confidence_bps, feed.max_staleness_secs), (300, 600));
    let err = net.fails(admin, &["feed", "resolve", "0", "--accept"]);
    assert!(err.contains("CircuitBreakerNotTripped"), "{err}");
    net.ok(admin, &["class", "use-feed", "0"]);
    assert_eq!(read::class(&rpc, &class).unwrap().price_feed, pda::price_feed(&class));
    assert_eq!(net.json(&stranger, &["feed", "show", "0"])["priceUi"], "2.6");
    assert!(net.ok(&stranger, &["class", "show", "0"]).contains("(2.6 ± 0.01)"));

    // lending terms: a file (what `show` prints) and flags over it; bad terms refused by name
    let file = net.dir.join("lending.json");
    std::fs::write(&file, r#"{ "period_secs": 3600, "grace_secs": 600 }"#).unwrap();
    let f = file.to_str().unwrap();
    let err = net.fails(admin, &["lending", "configure", "--file", f, "--min-periods", "3"]);
    assert!(err.contains("InvalidLendingConfig"), "{err}");
    net.ok(admin, &["lending", "configure", "--file", f, "--late-fee-bps", "300"]);
    let l: LendingConfig = read::lending_config(&rpc).unwrap();
    assert_eq!((l.period_secs, l.grace_secs, l.late_fee_bps, l.min_periods), (3_600, 600, 300, 6));
    let shown = net.json(&stranger, &["lending", "show"]);
    assert_eq!(shown["late_fee_bps"], 300);
    assert_eq!(shown["multipliers"].as_array().unwrap().len(), 80);
    std::fs::write(&file, serde_json::to_string(&shown).unwrap()).unwrap();
    net.ok(admin, &["lending", "configure", "--file", f, "--cure-secs", "999"]);
    assert_eq!(read::lending_config(&rpc).unwrap().cure_secs, 999);

    // the admin handover takes both steps
    let next = net.wallet("next-admin");
    net.ok(admin, &["platform", "propose-admin", &next.pubkey().to_string()]);
    let err = net.fails(&stranger, &["platform", "accept-admin"]);
    assert!(err.contains("NotPendingAdmin"), "{err}");
    net.ok(&next, &["platform", "accept-admin"]);
    assert_eq!(read::platform(&rpc).unwrap().admin, next.pubkey());
}
