//! Holders, providers and the guardian over JSON-RPC, driven through the `app` binary: a
//! quote currency made with `token`, a purchase into a fresh wallet, redemptions co-signed
//! here and in two steps (--sign-only, then `submit`), balances, the guardian's freeze as a
//! wallet reads it (`jsonParsed`: state frozen) and the wallet's positions; refusals by name.
mod common;

use common::wallet_view::{amount, json_parsed};
use common::{TestNet, Wallet};
use compute_credits::state::Provider;
use credit_client::{pda, read};
use serde_json::json;
use solana_sdk::pubkey::Pubkey;

struct World {
    net: TestNet,
    guardian: Wallet,
    class: Pubkey,
    mint: Pubkey,
    quote: Pubkey,
}

/// A platform (1% purchase fee), a dollar-like quote mint, a Token-2022 class at $2.50.
fn world() -> World {
    let net = TestNet::start("holders");
    let admin = &net.authority;
    let guardian = net.wallet("guardian");
    net.ok(
        admin,
        &["platform", "init", "--guardian", &guardian.pubkey().to_string(), "--purchase-fee-bps", "100"],
    );
    let out = net.json(admin, &["token", "create-mint", "--decimals", "6"]);
    let quote: Pubkey = out["mint"].as_str().unwrap().parse().unwrap();
    let q = quote.to_string();
    let out = net.json(
        admin,
        &[
            "class",
            "create",
            "--name",
            "GPU",
            "--symbol",
            "GPU",
            "--uri",
            "https://x.y/g.json",
            "--unit",
            "GPU-hour",
            "--list-price",
            "2.50",
            "--quote-mint",
            &q,
        ],
    );
    let class: Pubkey = out["class"].as_str().unwrap().parse().unwrap();
    let mint = read::class(&net.rpc(), &class).unwrap().credit_mint;
    World { net, guardian, class, mint, quote }
}

#[test]
fn buy_redeem_freeze_and_read_the_wallet() {
    let w = world();
    let (net, admin) = (&w.net, &w.net.authority);
    let rpc = net.rpc();
    let q = w.quote.to_string();
    let (holder, provider, stranger) = (net.wallet("holder"), net.wallet("provider"), net.wallet("stranger"));
    let h = holder.pubkey().to_string();
    let program = anchor_spl::token_2022::ID;
    let holder_credits = pda::associated_token(&holder.pubkey(), &w.mint, &program);

    // dollars for the holder: mint-to creates its account
    net.ok(admin, &["token", "mint-to", &q, "1000", "--to", &h]);
    let holder_quote = pda::associated_token(&holder.pubkey(), &w.quote, &anchor_spl::token::ID);
    assert_eq!(amount(&rpc, &holder_quote), 1_000_000_000);
    assert_eq!(net.json(&holder, &["token", "balance", &q])["amount"], 1_000_000_000u64);

    // a purchase above the buyer's limit is refused by name, and nothing moves
    let err = net.fails(&holder, &["buy", "0", "100", "--max-price", "2.49"]);
    assert!(err.contains("PriceAboveLimit") && err.contains("price is above the buyer's limit"), "{err}");
    assert!(read::account(&rpc, &holder_credits).unwrap().is_none());
    // into a fresh wallet: its credit account (and the treasury's) made in the same transaction
    net.ok(&holder, &["buy", "0", "100", "--max-price", "2.50"]);
    assert_eq!(amount(&rpc, &holder_credits), 100_000_000);
    assert_eq!(amount(&rpc, &holder_quote), 1_000_000_000 - 252_500_000);
    let treasury_quote = pda::associated_token(&admin.pubkey(), &w.quote, &anchor_spl::token::ID);
    assert_eq!(amount(&rpc, &treasury_quote), 252_500_000);
    net.ok(&holder, &["buy", "0", "2500000atoms", "--max-price", "2500000atoms"]);
    assert_eq!(amount(&rpc, &holder_credits), 102_500_000);

    // redemption: an unregistered provider is refused; then both sign here
    let p = provider.pubkey().to_string();
    let err = net.fails(&holder, &["redeem", "0", "10", "--provider", provider.k(), "--usage", "job-1"]);
    // (no registration record: Anchor's zero-copy loader finds a system-owned empty account)
    assert!(
        err.contains("AccountOwnedByWrongProgram") && err.contains("caused by account: provider"),
        "{err}"
    );
    net.ok(admin, &["provider", "register", "0", &p]);
    net.ok(&holder, &["redeem", "0", "10", "--provider", provider.k(), "--usage", "job-1"]);
    assert_eq!(amount(&rpc, &holder_credits), 92_500_000);
    // the provider runs it, the holder's key given
    net.ok(
        &provider,
        &["redeem", "0", "2.5", "--provider", &p, "--holder-keypair", holder.k(), "--usage", "job-2"],
    );
    assert_eq!(amount(&rpc, &holder_credits), 90_000_000);
    // two parties, two machines: the holder signs only, the provider adds its signature and sends
    let signed =
        net.json(&holder, &["redeem", "0", "5", "--provider", &p, "--usage", "job-3", "--sign-only"]);
    assert_eq!(signed["absent"], json!([p]));
    let tx = signed["transaction"].as_str().unwrap();
    let err = net.fails(&stranger, &["submit", tx]);
    assert!(err.contains(&p), "the missing signer is named: {err}");
    net.ok(&provider, &["submit", tx]);
    assert_eq!(amount(&rpc, &holder_credits), 85_000_000);
    let record: Provider = read::program_account(&rpc, &pda::provider(&w.class, &provider.pubkey())).unwrap();
    assert_eq!(record.redeemed, 17_500_000);
    let c = read::class(&rpc, &w.class).unwrap();
    assert_eq!((c.minted, c.burned), (102_500_000, 17_500_000));

    let b = net.json(&stranger, &["balances", "--owner", &h]);
    assert_eq!(b["balances"][0]["amount"], 85_000_000u64);
    assert_eq!(b["balances"][0]["amountUi"], "85");

    // the guardian's freeze, by owner: a wallet sees the account frozen
    let err = net.fails(&stranger, &["guardian", "freeze", &h, "--class", "0", "--reason", "7"]);
    assert!(err.contains("NotGuardian"), "{err}");
    assert_eq!(json_parsed(&rpc, &holder_credits)["info"]["state"], "initialized");
    let out = net.json(&w.guardian, &["guardian", "freeze", &h, "--class", "0", "--reason", "7"]);
    assert_eq!(out["creditAccount"], holder_credits.to_string());
    assert_eq!(json_parsed(&rpc, &holder_credits)["info"]["state"], "frozen");
    let err = net.fails(&holder, &["redeem", "0", "1", "--provider", provider.k(), "--usage", "job-4"]);
    assert!(err.contains("CreditAccountFrozen"), "{err}");
    let pos = net.json(&stranger, &["wallet", &h]);
    let credits = &pos["credits"][0];
    assert_eq!((credits["frozen"].as_bool(), credits["amount"].as_u64()), (Some(true), Some(85_000_000)));
    assert_eq!(credits["heldBy"]["guardian"], true);
    assert_eq!(credits["heldBy"]["loans"], json!([]));
    assert!(net.ok(&stranger, &["wallet", &h]).contains("FROZEN by the guardian"));
    assert_eq!(pos["loansAsBorrower"], json!([]));
    assert_eq!(pos["seats"], json!([]));

    // thaw, naming the account itself
    net.ok(&w.guardian, &["guardian", "thaw", &holder_credits.to_string(), "--class", "0", "--reason", "7"]);
    assert_eq!(json_parsed(&rpc, &holder_credits)["info"]["state"], "initialized");
    let err = net.fails(&w.guardian, &["guardian", "thaw", &h, "--class", "0"]);
    assert!(err.contains("NotHeld"), "{err}");
    assert_eq!(net.json(&stranger, &["wallet", &h])["credits"][0]["frozen"], false);
}
