//! The hand-checked account path of the hot market instructions (`hot_path.rs`:
//! `place_order_v2`, `cancel_order_v2`, `cancel_all_orders`, `batch_orders`, dispatched before
//! Anchor): every check Anchor made is made by hand, in Anchor's order, with Anchor's error
//! code, and refuses with nothing changed. Also `withdraw`'s holds address, now checked with the
//! bump the seat recorded.
use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use compute_credits::error::CreditsError;
use compute_credits::{CancelArgs, MarketAsset, OrderSide, OrderType};
use harness::builders::{owner_holds_pda, replace_account, without_signer};
use harness::market::LOT;
use harness::market_v2::*;
use harness::market_v2_ix::*;
use harness::{TestContext, TokenKind};
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::Signer;

use harness::refused;

const USD: u64 = 1_000_000;

/// `ix` with the account `key` read-only.
fn read_only(mut ix: Instruction, key: &Pubkey) -> Instruction {
    for m in ix.accounts.iter_mut().filter(|m| m.pubkey == *key) {
        m.is_writable = false;
    }
    ix
}

/// `ix` with only its first `n` accounts.
fn first_accounts(mut ix: Instruction, n: usize) -> Instruction {
    ix.accounts.truncate(n);
    ix
}

/// `ix` with its data cut after the discriminator and `keep` more bytes.
fn cut_data(mut ix: Instruction, keep: usize) -> Instruction {
    ix.data.truncate(8 + keep);
    ix
}

#[tokio::test]
async fn hot_path_checks_every_account_by_hand() {
    let mut ctx = TestContext::start().await;
    let w = V2World::new(&mut ctx, TokenKind::Spl, 2).await;
    w.fund(&mut ctx, 0, 100 * LOT, 1_000 * USD).await;
    let (t, seat, k) = (&w.traders[0], w.seats[0], &w.k);
    let ix = place_order_v2(k, &t.pubkey(), limit_v2(seat, OrderSide::Bid, OrderType::Limit, 200, 10));
    ctx.send(&[ix], &[&t.key]).await.unwrap();
    let bid_seq = market_v2_state(&mut ctx, &k.market).await.bids().orders()[0].seq;
    // another v2 market (another class) whose seat 0 is someone else's
    let other = w.f.create_class(&mut ctx, TokenKind::Spl).await;
    let k2 = open_market_v2(&mut ctx, &w.f, &other).await;
    let stranger = w.f.user(&mut ctx, &other, 1_000 * USD).await;
    ctx.send(&[claim_seat(&k2, &stranger.pubkey())], &[&stranger.key]).await.unwrap();
    let keys = [k.market, k.class, k2.market];

    let bid = limit_v2(seat, OrderSide::Bid, OrderType::Limit, 250, 10);
    let cancel = CancelArgs { side: OrderSide::Bid, price_ticks: 200, seq: bid_seq };
    let hot: Vec<(&str, Instruction)> = vec![
        ("place_order_v2", place_order_v2(k, &t.pubkey(), bid)),
        ("cancel_order_v2", cancel_order_v2(k, &t.pubkey(), seat, OrderSide::Bid, 200, bid_seq)),
        ("cancel_all_orders", cancel_all_orders(k, &t.pubkey(), seat)),
        (
            "batch_orders",
            batch_orders(k, &t.pubkey(), seat, false, vec![cancel], vec![post(OrderSide::Bid, 210, 10)]),
        ),
    ];
    let system_account = ctx.funded_keypair(1_000_000_000).await.pubkey();
    for (name, ix) in hot {
        println!("{name}");
        // the trader did not sign
        let bad = without_signer(ix.clone(), &t.pubkey());
        refused(&mut ctx, bad, &[], AnchorError::AccountNotSigner, &keys).await;
        // the market: an account of another program, one of ours of another type, read-only
        let bad = replace_account(ix.clone(), &k.market, &system_account);
        refused(&mut ctx, bad, &[&t.key], AnchorError::AccountOwnedByWrongProgram, &keys).await;
        let bad = replace_account(ix.clone(), &k.market, &k.base_vault);
        refused(&mut ctx, bad, &[&t.key], AnchorError::AccountOwnedByWrongProgram, &keys).await;
        let bad = replace_account(ix.clone(), &k.market, &k.class);
        refused(&mut ctx, bad, &[&t.key], AnchorError::AccountDiscriminatorMismatch, &keys).await;
        let bad = replace_account(ix.clone(), &k.market, &w.f.platform);
        refused(&mut ctx, bad, &[&t.key], AnchorError::AccountDiscriminatorMismatch, &keys).await;
        let bad = read_only(ix.clone(), &k.market);
        refused(&mut ctx, bad, &[&t.key], AnchorError::ConstraintMut, &keys).await;
        // too few accounts, arguments that do not decode
        let bad = first_accounts(ix.clone(), 1);
        refused(&mut ctx, bad, &[&t.key], AnchorError::AccountNotEnoughKeys, &keys).await;
        let bad = cut_data(ix.clone(), 2);
        refused(&mut ctx, bad, &[&t.key], AnchorError::InstructionDidNotDeserialize, &keys).await;
        // another market: the trader holds no seat there (seat 0 is the stranger's)
        let bad = replace_account(ix.clone(), &k.market, &k2.market);
        let code = if name == "place_order_v2" {
            // the class is checked against the market first
            CreditsError::WrongClass
        } else {
            CreditsError::NotSeatOwner
        };
        refused(&mut ctx, bad, &[&t.key], code, &keys).await;
    }
    // the class slot: another class, the market itself
    for ix in [
        place_order_v2(k, &t.pubkey(), bid),
        batch_orders(k, &t.pubkey(), seat, false, vec![], vec![post(OrderSide::Bid, 210, 10)]),
    ] {
        let bad = replace_account(ix.clone(), &k.class, &other.class);
        refused(&mut ctx, bad, &[&t.key], CreditsError::WrongClass, &keys).await;
        let bad = first_accounts(ix.clone(), 2);
        refused(&mut ctx, bad, &[&t.key], AnchorError::AccountNotEnoughKeys, &keys).await;
    }
    // an invalid enum value in the arguments (the side of `cancel_order_v2`: byte 4)
    let mut bad = cancel_order_v2(k, &t.pubkey(), seat, OrderSide::Bid, 200, bid_seq);
    bad.data[8 + 4] = 7;
    refused(&mut ctx, bad, &[&t.key], AnchorError::InstructionDidNotDeserialize, &keys).await;
    // every check passed: the same instructions work
    let ix = cancel_order_v2(k, &t.pubkey(), seat, OrderSide::Bid, 200, bid_seq);
    ctx.send(&[ix], &[&t.key]).await.unwrap();
    assert_vaults_match(&mut ctx, k).await;
}

#[tokio::test]
async fn withdraw_checks_the_holds_address_with_the_recorded_bump() {
    let mut ctx = TestContext::start().await;
    let w = V2World::new(&mut ctx, TokenKind::Spl, 1).await;
    w.fund(&mut ctx, 0, 100 * LOT, 0).await;
    let (t, seat, k) = (&w.traders[0], w.seats[0], &w.k);
    let holds = owner_holds_pda(&k.credit_mint, &t.pubkey());
    // the same seeds at another (valid, non-canonical) bump: not the record's address
    let (_, canonical) = Pubkey::find_program_address(
        &[b"owner_holds", k.credit_mint.as_ref(), t.pubkey().as_ref()],
        &compute_credits::ID,
    );
    let other_bump = (0..canonical)
        .rev()
        .find_map(|b| {
            Pubkey::create_program_address(
                &[b"owner_holds", k.credit_mint.as_ref(), t.pubkey().as_ref(), &[b]],
                &compute_credits::ID,
            )
            .ok()
        })
        .expect("another bump gives an address");
    let wd = withdraw(k, t, seat, MarketAsset::Credits, LOT);
    let keys = [k.market, k.base_vault, t.credits];
    for fake in [other_bump, Pubkey::new_unique(), k.market] {
        let bad = replace_account(wd.clone(), &holds, &fake);
        refused(&mut ctx, bad, &[&t.key], CreditsError::WrongHoldAccount, &keys).await;
    }
    ctx.send(&[wd], &[&t.key]).await.unwrap();
    assert_vaults_match(&mut ctx, k).await;
}
