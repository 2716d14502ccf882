//! `app loan ...` over JSON-RPC, as a lender and a borrower run it: a credit-backed loan offered,
//! accepted, read back (terms, schedule, status now, coverage), refused to a stranger and while
//! current by name, defaulted by time travel, frozen by the lender signing elsewhere
//! (`--sign-only` with its public key, then `app submit` with its keypair), listed, partly sold
//! on the class's market, liquidated.
mod common;
#[path = "common/world.rs"]
mod world;

use common::TestNet;
use credit_client::{pda, read};

use world::{balance, is_frozen, World, CREDIT, CURE, GRACE, PERIOD, USD};

#[test]
fn a_loan_from_offer_to_a_freeze_signed_elsewhere_and_liquidation() {
    let net = TestNet::start("loans");
    let w = World::new(&net);
    let lender = w.wallet(&net, "lender", 10_000, 0);
    let borrower = w.wallet(&net, "borrower", 5_000, 1_000);
    let stranger = w.wallet(&net, "stranger", 0, 0);
    let class = w.class.to_string();
    let (b, l) = (borrower.pubkey(), lender.pubkey());
    let rpc = net.rpc();

    // the lender offers $1,000 against credits at 150% / 120% / 110%
    let lender_quote_before = balance(&net, &w.quote_of(&l));
    let out = net.json(
        &lender,
        &[
            "loan",
            "offer",
            "--class",
            &class,
            "--kind",
            "credit-backed",
            "--borrower",
            &b.to_string(),
            "--principal",
            "1000",
            "--apr",
            "10",
            "--periods",
            "6",
            "--initial",
            "150",
            "--maintenance",
            "120",
            "--liquidation",
            "110",
        ],
    );
    assert_eq!(out["outcome"], "landed", "{out}");
    assert_eq!(out["loanId"], 1);
    let loan: solana_sdk::pubkey::Pubkey = out["loan"].as_str().unwrap().parse().unwrap();
    assert_eq!(loan, pda::loan(&l, 1));
    assert_eq!(balance(&net, &pda::escrow(&loan)), 1_000 * USD);
    assert_eq!(balance(&net, &w.quote_of(&l)), lender_quote_before - 1_000 * USD);

    // the borrower pledges 700 credits (worth $1,743 at $2.49) and receives the principal
    // less the 0.5% origination fee
    let borrower_quote_before = balance(&net, &w.quote_of(&b));
    net.ok(&borrower, &["loan", "accept", &loan.to_string(), "--pledge", "700"]);
    assert_eq!(balance(&net, &pda::vault(&loan)), 700 * CREDIT);
    assert_eq!(balance(&net, &w.quote_of(&b)), borrower_quote_before + 995 * USD);
    let state = read::loan(&rpc, &loan).unwrap();
    assert_eq!(state.borrower, b);
    assert_eq!(state.status(), credit_math::ledger::LoanStatus::Current);

    let show = net.json(&stranger, &["loan", "show", &loan.to_string()]);
    assert_eq!(show["status"], "Current");
    assert_eq!(show["statusNow"], "Current");
    assert_eq!(show["kind"], "credit-backed");
    assert_eq!(show["principal"]["atoms"], 1_000 * USD);
    assert_eq!(show["vaultCredits"]["amount"], "700");
    let rows = show["schedule"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| r["state"] == "upcoming"), "{show}");
    // 700 credits at $2.49 over $1,000 owed: 174.3%
    assert_eq!(show["coverageBps"], 17_430);
    let text = net.ok(&stranger, &["loan", "show", &loan.to_string()]);
    assert!(text.contains("coverage 174.3% vs maintenance 120% / liquidation 110%"), "{text}");

    // refusals by name, nothing frozen: a stranger is not the lender; the lender cannot
    // freeze a current loan
    let held_account = w.credits_of(&b);
    let err = net.fails(&stranger, &["loan", "freeze", &loan.to_string()]);
    assert!(err.contains("NotLender"), "{err}");
    let err = net.fails(&lender, &["loan", "freeze", &loan.to_string()]);
    assert!(err.contains("LoanNotEnforceable"), "{err}");
    assert!(!is_frozen(&net, &held_account));
    assert_eq!(read::loan(&rpc, &loan).unwrap().held_count, 0);

    // no installment is paid: past the first due date, its grace and the cure window
    net.time_travel_to(net.now() + i64::from(PERIOD + GRACE + CURE) + 60);
    w.publish(&net);
    let show = net.json(&stranger, &["loan", "show", &loan.to_string()]);
    assert_eq!(show["status"], "Current", "stored until cranked: {show}");
    assert_eq!(show["statusNow"], "Defaulted", "{show}");
    assert_eq!(show["crankWouldChangeStatus"], true);
    assert_eq!(show["schedule"][0]["state"], "due");

    // the lender signs elsewhere: --sign-only with its public key, then submit with its keypair
    let out = net
        .cli()
        .run_k(&l.to_string(), &["loan", "freeze", &loan.to_string(), "--sign-only", "--output", "json"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "sign-only failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let signed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(signed["outcome"], "signedOnly");
    assert_eq!(signed["absent"], serde_json::json!([l.to_string()]));
    assert!(!is_frozen(&net, &held_account), "signing sends nothing");
    let landed = net.json(&lender, &["submit", signed["transaction"].as_str().unwrap()]);
    assert_eq!(landed["outcome"], "landed", "{landed}");
    assert!(is_frozen(&net, &held_account), "the borrower's credit account is frozen");
    let state = read::loan(&rpc, &loan).unwrap();
    assert_eq!(state.held_accounts(), &[held_account]);
    assert_eq!(state.status(), credit_math::ledger::LoanStatus::Defaulted);

    let list = net.json(&stranger, &["loan", "list", "--lender", &l.to_string()]);
    let loans = list["loans"].as_array().unwrap();
    assert_eq!(loans.len(), 1, "{list}");
    assert_eq!(loans[0]["loan"], loan.to_string());
    assert_eq!(loans[0]["status"], "Defaulted");
    assert_eq!(loans[0]["frozen"], true);
    let none = net.json(&stranger, &["loan", "list", "--borrower", &stranger.pubkey().to_string()]);
    assert_eq!(none["loans"], serde_json::json!([]));

    // the lender sells 10 credits into a bid on the class's market (the loan's own seat):
    // the proceeds go through the loan's waterfall at once, so there is nothing left to settle
    let admin = &net.authority;
    let market =
        net.json(admin, &["market", "create", "--class", &class])["market"].as_str().unwrap().to_string();
    let bidder = w.wallet(&net, "bidder", 1_000, 0);
    net.ok(&bidder, &["market", "seat", &market]);
    net.ok(&bidder, &["market", "deposit", &market, "quote", "500"]);
    net.ok(
        &bidder,
        &["market", "order", &market, "bid", "--price", "2.40", "--lots", "50", "--type", "post-only"],
    );
    let err = net.fails(&stranger, &["loan", "sell", &loan.to_string(), "--price", "2.40", "--lots", "10"]);
    assert!(err.contains("NotLender"), "{err}");
    let lender_quote = balance(&net, &w.quote_of(&l));
    let sold = net.json(&lender, &["loan", "sell", &loan.to_string(), "--price", "2.40", "--lots", "10"]);
    assert_eq!(sold["market"], market);
    assert_eq!(balance(&net, &pda::vault(&loan)), 690 * CREDIT);
    let proceeds = balance(&net, &w.quote_of(&l)) - lender_quote;
    assert!(
        proceeds > 23 * USD && proceeds <= 24 * USD,
        "10 credits at $2.40 less the taker fee: {proceeds}"
    );
    let state = read::loan(&rpc, &loan).unwrap();
    assert_eq!(
        (state.sale_credits, state.credits_seized),
        (0, 10 * CREDIT),
        "sold credits count as recovered"
    );
    let err = net.fails(&stranger, &["loan", "settle-sale", &loan.to_string()]);
    assert!(err.contains("NothingToSettle"), "{err}");

    // the lender liquidates: credits into its own (new) credit account, in the same transaction
    let err = net.fails(&stranger, &["loan", "liquidate", &loan.to_string()]);
    assert!(err.contains("NotLender"), "{err}");
    net.ok(&lender, &["loan", "liquidate", &loan.to_string()]);
    let seized = balance(&net, &w.credits_of(&l));
    assert!(seized > 0 && seized < 690 * CREDIT, "seized {seized}");
    assert_eq!(balance(&net, &pda::vault(&loan)), 690 * CREDIT - seized);
    assert_eq!(read::loan(&rpc, &loan).unwrap().credits_seized, 10 * CREDIT + seized);
}

#[test]
fn offers_cancelled_and_loans_repaid_then_released() {
    let net = TestNet::start("loans-repaid");
    let w = World::new(&net);
    let lender = w.wallet(&net, "lender", 10_000, 0);
    let borrower = w.wallet(&net, "borrower", 5_000, 1_000);
    let (b, l) = (borrower.pubkey(), lender.pubkey());
    let class = w.class.to_string();
    let offer_in = |class: &str, id: &str| {
        let args = [
            "loan",
            "offer",
            "--class",
            class,
            "--kind",
            "credit-backed",
            "--principal",
            "500",
            "--apr",
            "9.5",
            "--periods",
            "6",
            "--schedule",
            "interest-only",
            "--loan-id",
            id,
        ];
        let out = net.json(&lender, &args);
        out["loan"].as_str().unwrap().to_string()
    };
    let offer = |id: &str| offer_in(&class, id);
    let rpc = net.rpc();
    let quote_before = balance(&net, &w.quote_of(&l));

    // an open offer nobody took: cancelled, the principal back and the account closed
    let first = offer("7");
    assert_eq!(balance(&net, &w.quote_of(&l)), quote_before - 500 * USD);
    let err = net.fails(&borrower, &["loan", "cancel", &first]);
    assert!(err.contains("NotLender"), "{err}");
    net.ok(&lender, &["loan", "cancel", &first]);
    assert_eq!(balance(&net, &w.quote_of(&l)), quote_before);
    assert!(read::account(&rpc, &first.parse().unwrap()).unwrap().is_none());

    // the class named by its id: the same class
    let by_id = offer_in("0", "9");
    assert_eq!(read::loan(&rpc, &by_id.parse().unwrap()).unwrap().class, w.class);
    net.ok(&lender, &["loan", "cancel", &by_id]);
    assert_eq!(balance(&net, &w.quote_of(&l)), quote_before);

    // an open offer (the platform's minimum ratios): the borrower takes it, repays all, and the
    // release returns its collateral
    let second = offer("8");
    let show = net.json(&borrower, &["loan", "show", &second]);
    assert_eq!((show["initialBps"].as_u64(), show["maintenanceBps"].as_u64()), (Some(12_500), Some(11_000)));
    assert_eq!(show["borrower"], solana_sdk::pubkey::Pubkey::default().to_string());
    let credits_before = balance(&net, &w.credits_of(&b));
    net.ok(&borrower, &["loan", "accept", &second, "--pledge", "300000000atoms"]);
    assert_eq!(balance(&net, &w.credits_of(&b)), credits_before - 300 * CREDIT);
    let err = net.fails(&borrower, &["loan", "release", &second]);
    assert!(err.contains("LoanNotClosed"), "{err}");
    net.ok(&borrower, &["loan", "update", &second]);
    net.ok(&borrower, &["loan", "repay", &second, "all"]);
    let loan = read::loan(&rpc, &second.parse().unwrap()).unwrap();
    assert_eq!(loan.status(), credit_math::ledger::LoanStatus::Repaid);
    assert_eq!(loan.ledger().principal_outstanding, 0);
    net.ok(&lender, &["loan", "release", &second]);
    assert_eq!(balance(&net, &w.credits_of(&b)), credits_before);
    let list = net.json(&lender, &["loan", "list", "--borrower", &b.to_string()]);
    assert_eq!(list["loans"], serde_json::json!([]), "released loans are closed");
}
