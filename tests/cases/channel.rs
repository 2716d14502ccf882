//! Metering channels (issue 14), the paths that work: open, batches redeemed by the provider
//! alone (events decoded on the `.so`), top-up, close with notice, redemption during the
//! notice, finalization refunding exactly the rest; an early release; a settlement key; the
//! period window; expiry.
use anchor_lang::prelude::Pubkey;
use compute_credits::error::CreditsError;
use compute_credits::events::CreditsRedeemed;
use compute_credits::state::{CreditClass, Provider};
use harness::builders::replace_account;
use harness::channel::*;
use harness::fixtures::*;
use harness::{assert_error, Mode, TestContext};
use solana_sdk::signature::Signer;

/// The `CreditsRedeemed` event of a redemption (on the `.so`: natively no logs are recorded).
fn assert_redeemed_event(
    ctx: &TestContext,
    r: &harness::TxResult,
    w: &ChannelWorld,
    amount: u64,
    seq: u64,
    burned: u64,
) {
    if ctx.mode != Mode::Sbf {
        return;
    }
    let events = harness::events::events::<CreditsRedeemed>(&r.logs);
    assert_eq!(events.len(), 1, "one CreditsRedeemed: {:#?}", r.logs);
    let e = &events[0];
    assert_eq!(
        (e.class, e.holder, e.provider, e.amount, e.usage_reference, e.burned_total),
        (w.c.class, w.holder.pubkey(), w.provider.pubkey(), amount, usage(seq), burned)
    );
}

async fn metering_then_close(kind: TokenKind) {
    let mut ctx = TestContext::start().await;
    let w = ChannelWorld::new(&mut ctx, kind).await;
    let holder_lamports = ctx.lamports(w.holder.pubkey()).await;
    let mut args = w.terms(&mut ctx, 10 * CREDIT).await;
    args.cap = 20 * CREDIT;
    w.open(&mut ctx, args).await.unwrap();
    assert_eq!(ctx.balance(w.k.vault).await, 10 * CREDIT);
    assert_eq!(ctx.balance(w.holder.credits).await, HOLDER_CREDITS - 10 * CREDIT);
    let vault = ctx.token_account(w.k.vault).await;
    assert_eq!((vault.owner, vault.mint), (w.k.channel, w.c.mint));
    let ch = channel_state(&mut ctx, &w.k.channel).await;
    assert_eq!(
        (ch.holder, ch.provider, ch.provider_authority, ch.class, ch.vault),
        (w.holder.pubkey(), w.k.provider, w.provider.pubkey(), w.c.class, w.k.vault)
    );
    assert_eq!((ch.deposited.0, ch.terms.cap.0, ch.meter.next_seq), (10 * CREDIT, 20 * CREDIT, 0));
    let rents = ctx.lamports(w.k.channel).await + ctx.lamports(w.k.vault).await;
    assert_eq!(ctx.lamports(w.holder.pubkey()).await, holder_lamports - rents, "the holder pays both rents");

    // three batches, the provider's signature alone
    let mut burned = 0;
    for (seq, amount) in [(0, CREDIT), (1, 2 * CREDIT), (2, CREDIT / 2)] {
        let r = w.redeem(&mut ctx, &w.provider, seq, amount).await.unwrap();
        burned += amount;
        assert_redeemed_event(&ctx, &r, &w, amount, seq, burned);
    }
    assert_eq!(ctx.balance(w.k.vault).await, 10 * CREDIT - burned);
    let ch = channel_state(&mut ctx, &w.k.channel).await;
    assert_eq!((ch.meter.redeemed.0, ch.meter.next_seq), (burned, 3));
    let p: Provider = ctx.anchor_account(w.k.provider).await;
    assert_eq!(p.redeemed, burned);
    let class: CreditClass = ctx.anchor_account(w.c.class).await;
    assert_eq!(class.burned, burned);
    assert_eq!(ctx.mint_supply(w.c.mint).await, class.minted - class.burned);

    // top-up: 5 more credits, a higher cap, a later expiry
    let expiry = args.expiry_ts + DAY;
    ctx.send(&[top_up_channel(&w.k, &w.holder.credits, 5 * CREDIT, 25 * CREDIT, expiry)], &[&w.holder.key])
        .await
        .unwrap();
    let ch = channel_state(&mut ctx, &w.k.channel).await;
    assert_eq!((ch.deposited.0, ch.terms.cap.0, ch.terms.expiry_ts), (15 * CREDIT, 25 * CREDIT, expiry));
    assert_eq!(ctx.balance(w.k.vault).await, 15 * CREDIT - burned);

    // the holder asks to close: during the notice the provider still settles what it served
    ctx.send(&[request_close(&w.k)], &[&w.holder.key]).await.unwrap();
    assert_error(&w.finalize(&mut ctx).await, CreditsError::ChannelStillOpen);
    ctx.advance_clock(HOUR - 10).await;
    w.redeem(&mut ctx, &w.provider, 3, CREDIT).await.unwrap();
    burned += CREDIT;
    ctx.advance_clock(10).await;
    assert_error(&w.redeem(&mut ctx, &w.provider, 4, 1).await, CreditsError::ChannelClosed);

    // anyone finalizes: exactly the rest goes back, both accounts close, rents to the holder
    let before = ctx.balance(w.holder.credits).await;
    let lamports = ctx.lamports(w.holder.pubkey()).await;
    w.finalize(&mut ctx).await.unwrap();
    assert_eq!(ctx.balance(w.holder.credits).await, before + 15 * CREDIT - burned);
    assert_eq!(ctx.balance(w.holder.credits).await, HOLDER_CREDITS - burned);
    assert!(ctx.account(w.k.channel).await.is_none() && ctx.account(w.k.vault).await.is_none());
    assert_eq!(ctx.lamports(w.holder.pubkey()).await, lamports + rents);
    let class: CreditClass = ctx.anchor_account(w.c.class).await;
    assert_eq!(class.burned, burned);
    assert_eq!(ctx.mint_supply(w.c.mint).await, class.minted - class.burned);

    // the same holder and provider can open again: a fresh meter
    w.open_amount(&mut ctx, CREDIT).await.unwrap();
    assert_eq!(channel_state(&mut ctx, &w.k.channel).await.meter.next_seq, 0);
    w.redeem(&mut ctx, &w.provider, 0, CREDIT).await.unwrap();
}

#[tokio::test]
async fn a_channel_meters_batches_then_closes_with_notice_token_2022() {
    metering_then_close(TokenKind::Token2022).await
}

#[tokio::test]
async fn a_channel_meters_batches_then_closes_with_notice_classic_spl() {
    metering_then_close(TokenKind::Spl).await
}

#[tokio::test]
async fn the_provider_releases_a_channel_early() {
    let mut ctx = TestContext::start().await;
    let w = ChannelWorld::new(&mut ctx, TokenKind::Token2022).await;
    w.open_amount(&mut ctx, 10 * CREDIT).await.unwrap();
    w.redeem(&mut ctx, &w.provider, 0, 3 * CREDIT).await.unwrap();
    ctx.send(&[release_channel(&w.k)], &[&w.provider]).await.unwrap();
    assert_error(&w.redeem(&mut ctx, &w.provider, 1, CREDIT).await, CreditsError::ChannelClosed);
    assert_error(&ctx.send(&[release_channel(&w.k)], &[&w.provider]).await, CreditsError::ChannelClosed);
    // no notice to wait for
    w.finalize(&mut ctx).await.unwrap();
    assert_eq!(ctx.balance(w.holder.credits).await, HOLDER_CREDITS - 3 * CREDIT);
    assert!(ctx.account(w.k.channel).await.is_none());
}

#[tokio::test]
async fn a_settlement_key_redeems_in_the_providers_place() {
    let mut ctx = TestContext::start().await;
    let w = ChannelWorld::new(&mut ctx, TokenKind::Spl).await;
    let hot = ctx.funded_keypair(SOL).await;
    w.open_amount(&mut ctx, 10 * CREDIT).await.unwrap();
    assert_error(&w.redeem(&mut ctx, &hot, 0, CREDIT).await, CreditsError::NotProvider);
    ctx.send(&[set_settlement_key(&w.provider.pubkey(), &w.c.class, &hot.pubkey())], &[&w.provider])
        .await
        .unwrap();
    let p: Provider = ctx.anchor_account(w.k.provider).await;
    assert_eq!(p.settlement_key, hot.pubkey());
    // the event names the provider's authority, not the key that signed
    let r = w.redeem(&mut ctx, &hot, 0, CREDIT).await.unwrap();
    assert_redeemed_event(&ctx, &r, &w, CREDIT, 0, CREDIT);
    // the authority still redeems too (one sequence for both)
    w.redeem(&mut ctx, &w.provider, 1, CREDIT).await.unwrap();
    let p: Provider = ctx.anchor_account(w.k.provider).await;
    assert_eq!(p.redeemed, 2 * CREDIT);
    // the key settles; it does not release
    let ix = replace_account(release_channel(&w.k), &w.provider.pubkey(), &hot.pubkey());
    assert_error(&ctx.send(&[ix], &[&hot]).await, CreditsError::NotProvider);
    // cleared: the default key names nobody
    ctx.send(&[set_settlement_key(&w.provider.pubkey(), &w.c.class, &Pubkey::default())], &[&w.provider])
        .await
        .unwrap();
    assert_error(&w.redeem(&mut ctx, &hot, 2, CREDIT).await, CreditsError::NotProvider);
}

#[tokio::test]
async fn the_period_cap_resets_each_period() {
    let mut ctx = TestContext::start().await;
    let w = ChannelWorld::new(&mut ctx, TokenKind::Token2022).await;
    let mut args = w.terms(&mut ctx, 10 * CREDIT).await;
    (args.period_cap, args.period_secs) = (2 * CREDIT, HOUR as u32);
    w.open(&mut ctx, args).await.unwrap();
    w.redeem(&mut ctx, &w.provider, 0, 2 * CREDIT).await.unwrap();
    assert_error(&w.redeem(&mut ctx, &w.provider, 1, 1).await, CreditsError::PeriodCapExceeded);
    ctx.advance_clock(HOUR).await;
    w.redeem(&mut ctx, &w.provider, 1, 2 * CREDIT).await.unwrap();
    let ch = channel_state(&mut ctx, &w.k.channel).await;
    assert_eq!((ch.meter.redeemed.0, ch.meter.period_redeemed.0), (4 * CREDIT, 2 * CREDIT));
}

#[tokio::test]
async fn an_expired_channel_is_finalized_without_a_close_request() {
    let mut ctx = TestContext::start().await;
    let w = ChannelWorld::new(&mut ctx, TokenKind::Spl).await;
    w.open_amount(&mut ctx, 10 * CREDIT).await.unwrap();
    w.redeem(&mut ctx, &w.provider, 0, CREDIT).await.unwrap();
    assert_error(&w.finalize(&mut ctx).await, CreditsError::ChannelStillOpen);
    ctx.advance_clock(DAY).await;
    assert_error(&w.redeem(&mut ctx, &w.provider, 1, CREDIT).await, CreditsError::ChannelExpired);
    w.finalize(&mut ctx).await.unwrap();
    assert_eq!(ctx.balance(w.holder.credits).await, HOLDER_CREDITS - CREDIT);
}
