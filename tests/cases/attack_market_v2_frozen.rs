//! Attacks on the v2 frozen rule ported from market v1's `cancel_frozen_orders_attacks` (H12):
//! accounts that are not a market or not a token account, a frozen owner with no seat or no
//! order (a no-op that succeeds), and the reproduced attack: the target cancels its own order
//! first, in the same slot as the freeze and the pull, and the freeze still lands.
use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use compute_credits::error::CreditsError;
use compute_credits::{OrderSide, OrderType};
use harness::builders::{freeze_credits, replace_account};
use harness::market::LOT;
use harness::market_v2::*;
use harness::market_v2_ix::*;
use harness::{TestContext, TokenKind};
use solana_sdk::signature::Signer;

use harness::refused;

const USD: u64 = 1_000_000;

#[tokio::test]
async fn cancel_frozen_orders_v2_attacks() {
    let mut ctx = TestContext::start().await;
    let w = V2World::new(&mut ctx, TokenKind::Token2022, 2).await;
    w.fund(&mut ctx, 0, 100 * LOT, 0).await;
    w.fund(&mut ctx, 1, 0, 1_000 * USD).await;
    let (t0, t1, k) = (w.traders[0].clone(), w.traders[1].clone(), w.k);
    let (s0, s1) = (w.seats[0], w.seats[1]);
    let ask = place_order_v2(&k, &t0.pubkey(), limit_v2(s0, OrderSide::Ask, OrderType::Limit, 250, 10));
    ctx.send(&[ask], &[&t0.key]).await.unwrap();
    let keys = [k.market, k.base_vault, k.quote_vault, t0.credits];
    let g = w.f.guardian.insecure_clone();
    let freeze = |owner: &Pubkey, account: &Pubkey| {
        freeze_credits(&g.pubkey(), &k.class, &k.credit_mint, (owner, account), &k.credit_program, 1)
    };
    // a market that is not a market account; a frozen account that is not a token account
    let ix =
        replace_account(cancel_frozen_orders_v2(&k, &t0.credits, &t0.pubkey()), &k.market, &k.registration);
    refused(&mut ctx, ix, &[], AnchorError::AccountDiscriminatorMismatch, &keys).await;
    let ix = cancel_frozen_orders_v2(&k, &k.market, &t0.pubkey());
    refused(&mut ctx, ix, &[], AnchorError::AccountOwnedByWrongProgram, &keys).await;

    // a frozen owner with no seat: a no-op that succeeds, so the target cannot make the
    // freezer's transaction fail
    let t2 = w.f.user(&mut ctx, &w.c, 0).await;
    ctx.send(&[freeze(&t2.pubkey(), &t2.credits)], &[&g]).await.unwrap();
    let before = ctx.snapshot(&keys).await;
    ctx.send(&[cancel_frozen_orders_v2(&k, &t2.credits, &t2.pubkey())], &[]).await.unwrap();
    ctx.assert_unchanged(&before).await;

    // the reproduced attack: the trader cancels its bid first, in the same slot as the freeze
    // and the pull; they still land (the seat is flagged, nothing else moves)
    let bid = place_order_v2(&k, &t1.pubkey(), limit_v2(s1, OrderSide::Bid, OrderType::Limit, 240, 10));
    ctx.send(&[bid], &[&t1.key]).await.unwrap();
    let seq = market_v2_state(&mut ctx, &k.market).await.bids().best().unwrap().seq;
    let cancel = cancel_order_v2(&k, &t1.pubkey(), s1, OrderSide::Bid, 240, seq);
    ctx.send(&[cancel], &[&t1.key]).await.unwrap();
    let before = market_v2_state(&mut ctx, &k.market).await;
    let pull = cancel_frozen_orders_v2(&k, &t1.credits, &t1.pubkey());
    ctx.send(&[freeze(&t1.pubkey(), &t1.credits), pull], &[&g]).await.unwrap();
    assert!(ctx.token_account(t1.credits).await.frozen);
    let after = market_v2_state(&mut ctx, &k.market).await;
    assert_eq!(after.seats[s1 as usize].base_free, before.seats[s1 as usize].base_free);
    assert_eq!(after.seats[s1 as usize].quote_free, before.seats[s1 as usize].quote_free);
    assert_eq!(after.bids().len, before.bids().len);

    // a frozen maker's ask is pulled; a second call with nothing left changes nothing
    ctx.send(&[freeze(&t0.pubkey(), &t0.credits)], &[&g]).await.unwrap();
    ctx.send(&[cancel_frozen_orders_v2(&k, &t0.credits, &t0.pubkey())], &[]).await.unwrap();
    let m = market_v2_state(&mut ctx, &k.market).await;
    assert_eq!((m.asks().len, m.seats[s0 as usize].base_free.0), (0, 100 * LOT));
    let before = ctx.snapshot(&keys).await;
    ctx.send(&[cancel_frozen_orders_v2(&k, &t0.credits, &t0.pubkey())], &[]).await.unwrap();
    ctx.assert_unchanged(&before).await;
    // and the flagged seat places no ask
    let ask = place_order_v2(&k, &t0.pubkey(), limit_v2(s0, OrderSide::Ask, OrderType::Limit, 255, 2));
    refused(&mut ctx, ask, &[&t0.key], CreditsError::SeatFrozen, &keys).await;
}

/// Ported from market v1 (reinitialisation row): lamports sent ahead of time to a v2 market's
/// vault addresses do not block the market, and the vaults work.
#[tokio::test]
async fn prefunded_vault_addresses_do_not_block_a_v2_market() {
    let mut ctx = TestContext::start().await;
    let f = harness::PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let market = ctx.keypair();
    let k = market_v2_keys(&f, &c, market.pubkey());
    let griefer = ctx.payer().pubkey();
    for target in [k.base_vault, k.quote_vault] {
        let ix = anchor_lang::solana_program::system_instruction::transfer(&griefer, &target, 1_000_000);
        ctx.send(&[ix], &[]).await.unwrap();
    }
    let r = create_market_v2_account(&mut ctx, &f.admin, &market, &k, market_v2_params()).await;
    assert!(r.is_ok(), "create_market_v2: {:?}", r.result);
    // the vaults work: a deposit moves credits into the base vault
    let t = f.user(&mut ctx, &c, 100_000 * USD).await;
    f.buy(&mut ctx, &c, &t, 10 * LOT).await.unwrap();
    ctx.send(&[claim_seat(&k, &t.pubkey())], &[&t.key]).await.unwrap();
    let ix = deposit(&k, &t, 0, compute_credits::MarketAsset::Credits, 10 * LOT);
    ctx.send(&[ix], &[&t.key]).await.unwrap();
    assert_eq!(ctx.balance(k.base_vault).await, 10 * LOT);
}
