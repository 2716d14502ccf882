//! `app market ...` over JSON-RPC: the admin creates a class's market in one transaction;
//! traders claim seats (their index found by owner), deposit, place, cancel and batch orders,
//! trade and withdraw; a fresh wallet swaps; the book shows as a ladder and the fills come back
//! from the market's transactions' events; refusals come back by name.
mod common;
#[path = "common/world.rs"]
mod world;

use common::TestNet;
use credit_client::read;
use serde_json::json;
use world::{balance, World, CREDIT, USD};

#[test]
fn a_market_created_traded_and_read_through_the_cli() {
    let net = TestNet::start("market");
    let w = World::new(&net);
    let alice = w.wallet(&net, "alice", 1_000, 200);
    let bob = w.wallet(&net, "bob", 1_000, 0);
    let carol = w.wallet(&net, "carol", 100, 0);
    let class = w.class.to_string();
    let rpc = net.rpc();

    // only the admin creates a market
    let err = net.fails(&alice, &["market", "create", "--class", &class]);
    assert!(err.contains("NotAdmin"), "{err}");
    // the class by its id too: read, then refused by the program by name
    let err = net.fails(&alice, &["market", "create", "--class", "0"]);
    assert!(err.contains("NotAdmin"), "{err}");
    let out = net.json(&net.authority, &["market", "create", "--class", &class]);
    assert_eq!(out["outcome"], "landed", "{out}");
    let market = out["market"].as_str().unwrap().to_string();
    let m: solana_sdk::pubkey::Pubkey = market.parse().unwrap();
    let state = read::market(&rpc, &m).unwrap();
    assert_eq!(state.fixed.class, w.class);
    assert_eq!((state.header().lot_size, state.header().tick_size), (CREDIT, 10_000));

    // seats: alice is seat 0, bob seat 1; a second claim is refused before sending
    assert_eq!(net.json(&alice, &["market", "seat", &market])["seat"], 0);
    assert_eq!(net.json(&bob, &["market", "seat", &class])["seat"], 1);
    let err = net.fails(&alice, &["market", "seat", &market]);
    assert!(err.contains("already holds seat 0"), "{err}");

    net.ok(&alice, &["market", "deposit", &market, "credits", "100"]);
    net.ok(&bob, &["market", "deposit", &market, "quote", "500"]);
    let state = read::market(&rpc, &m).unwrap();
    assert_eq!(state.seats[0].base_free.0, 100 * CREDIT);
    assert_eq!(state.seats[1].quote_free.0, 500 * USD);

    // alice asks 10 at $2.60: it shows in the ladder (the market named by its class)
    let placed = net.json(
        &alice,
        &["market", "order", &market, "ask", "--price", "2.60", "--lots", "10", "--type", "post-only"],
    );
    let seq = placed["resting"][0].as_u64().expect("a resting order");
    let book = net.json(&alice, &["market", "show", &class]);
    assert_eq!(
        book["asks"],
        json!([{ "ticks": 260, "price": "2.6", "lots": 10, "credits": "10", "orders": 1 }])
    );
    assert_eq!(book["bids"], json!([]));
    assert_eq!(book["seat"]["orders"][0]["seq"], seq);
    // ...and by its class's id: the same market
    let by_id = net.json(&alice, &["market", "show", "0"]);
    assert_eq!((by_id["market"].as_str(), &by_id["asks"]), (Some(market.as_str()), &book["asks"]));
    let text = net.ok(&alice, &["market", "show", &market]);
    assert!(text.contains("2.6          10       1  ask"), "{text}");

    // a post-only bid that would cross is refused by name; bob then takes 4 lots
    let err = net.fails(
        &bob,
        &["market", "order", &market, "bid", "--price", "2.60", "--lots", "4", "--type", "post-only"],
    );
    assert!(err.contains("WouldCross"), "{err}");
    let taken = net
        .json(&bob, &["market", "order", &market, "bid", "--price", "260t", "--lots", "4", "--type", "ioc"]);
    assert_eq!(taken["filledLots"], 4, "{taken}");
    let trades = net.json(&carol, &["market", "trades", &market]);
    let fills = trades["fills"].as_array().unwrap();
    assert_eq!(fills.len(), 1, "{trades}");
    assert_eq!((fills[0]["price"].as_str(), fills[0]["lots"].as_u64()), (Some("2.6"), Some(4)));
    assert_eq!(fills[0]["takerSide"], "buy");
    assert_eq!((fills[0]["makerSeat"].as_u64(), fills[0]["takerSeat"].as_u64()), (Some(0), Some(1)));

    // alice cancels the rest: the book is empty
    net.ok(&alice, &["market", "cancel", &market, &seq.to_string()]);
    let book = net.json(&alice, &["market", "show", &market]);
    assert_eq!((book["asks"].clone(), book["bids"].clone()), (json!([]), json!([])));
    let err = net.fails(&alice, &["market", "cancel", &market, &seq.to_string()]);
    assert!(err.contains(&format!("no resting order #{seq}")), "{err}");

    // a batch places two post-only asks in one transaction
    net.ok(&alice, &["market", "batch", &market, "--place", "ask:2.70:5", "--place", "ask:280t:5"]);
    let book = net.json(&alice, &["market", "show", &market]);
    let asks: Vec<&str> =
        book["asks"].as_array().unwrap().iter().map(|l| l["price"].as_str().unwrap()).collect();
    assert_eq!(asks, ["2.7", "2.8"]);

    // carol has no credit account: the swap creates it in the same transaction
    assert_eq!(balance(&net, &w.credits_of(&carol.pubkey())), 0);
    net.ok(&carol, &["market", "swap", &market, "buy", "10", "--limit", "2.75"]);
    let bought = balance(&net, &w.credits_of(&carol.pubkey()));
    assert_eq!(bought, 3 * CREDIT, "$10 buys 3 lots at $2.70 plus the taker fee");
    let err =
        net.fails(&carol, &["market", "swap", &market, "buy", "10", "--limit", "2.75", "--min-out", "5"]);
    assert!(err.contains("SlippageExceeded") || err.contains("CannotFillCompletely"), "{err}");
    let err = net.fails(&carol, &["market", "swap", "0", "buy", "10", "--limit", "2.75", "--min-out", "5"]);
    assert!(err.contains("SlippageExceeded") || err.contains("CannotFillCompletely"), "{err}");

    // bob withdraws everything it bought; more than it has is refused by name
    let err = net.fails(&bob, &["market", "withdraw", &market, "credits", "5"]);
    assert!(err.contains("InsufficientBalance"), "{err}");
    net.ok(&bob, &["market", "withdraw", &market, "credits", "all"]);
    assert_eq!(balance(&net, &w.credits_of(&bob.pubkey())), 4 * CREDIT);
    net.ok(&alice, &["market", "batch", &market, "--cancel-all"]);
    assert_eq!(net.json(&alice, &["market", "show", &market])["asks"], json!([]));

    // fees go to the treasury's quote account
    let treasury = w.treasury_quote;
    let before = balance(&net, &treasury);
    let fees = read::market(&rpc, &m).unwrap().header().treasury_fees.0;
    assert!(fees > 0);
    net.ok(&carol, &["market", "withdraw-fees", &market]);
    assert_eq!(balance(&net, &treasury), before + fees);
}
