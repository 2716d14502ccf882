//! Attacks on metering channels (issue 14): each refused with its named error, nothing changed.
use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use compute_credits::error::CreditsError;
use compute_credits::ChannelBumps;
use compute_credits::{LoanKind, OfferTerms};
use credit_client::pda;
use harness::builders::*;
use harness::channel::*;
use harness::fixtures::*;
use harness::{refused, TestContext};
use solana_sdk::signature::{Keypair, Signer};

/// A world with the holder's channel open: 10 credits escrowed, the cap at `cap`.
async fn open_world(ctx: &mut TestContext, kind: TokenKind, cap: u64) -> ChannelWorld {
    let w = ChannelWorld::new(ctx, kind).await;
    let mut args = w.terms(ctx, 10 * CREDIT).await;
    args.cap = cap;
    w.open(ctx, args).await.unwrap();
    w
}

fn redeem_ix(
    w: &ChannelWorld,
    signer: &Pubkey,
    seq: u64,
    amount: u64,
) -> solana_sdk::instruction::Instruction {
    redeem_from_channel(&w.k, signer, seq, amount, usage(seq))
}

#[tokio::test]
async fn a_provider_cannot_over_redeem() {
    let mut ctx = TestContext::start().await;
    // the cap: 5 credits of 10 escrowed
    let w = open_world(&mut ctx, TokenKind::Token2022, 5 * CREDIT).await;
    let keys = w.touched();
    let p = w.provider.pubkey();
    w.redeem(&mut ctx, &w.provider, 0, 4 * CREDIT).await.unwrap();
    refused(
        &mut ctx,
        redeem_ix(&w, &p, 1, CREDIT + 1),
        &[&w.provider],
        CreditsError::ChannelCapExceeded,
        &keys,
    )
    .await;
    // zero: a batch that burns nothing but moves the sequence
    refused(&mut ctx, redeem_ix(&w, &p, 1, 0), &[&w.provider], CreditsError::ZeroAmount, &keys).await;
    w.redeem(&mut ctx, &w.provider, 1, CREDIT).await.unwrap();

    // the balance: a cap of 20 over 10 escrowed
    let mut ctx = TestContext::start().await;
    let w = open_world(&mut ctx, TokenKind::Spl, 20 * CREDIT).await;
    let keys = w.touched();
    let ix = redeem_ix(&w, &w.provider.pubkey(), 0, 10 * CREDIT + 1);
    refused(&mut ctx, ix, &[&w.provider], CreditsError::ChannelBalanceExceeded, &keys).await;
    // the vault emptied: nothing more, whatever the cap says
    w.redeem(&mut ctx, &w.provider, 0, 10 * CREDIT).await.unwrap();
    let ix = redeem_ix(&w, &w.provider.pubkey(), 1, 1);
    refused(&mut ctx, ix, &[&w.provider], CreditsError::ChannelBalanceExceeded, &keys).await;

    // the period cap
    let mut ctx = TestContext::start().await;
    let w = ChannelWorld::new(&mut ctx, TokenKind::Token2022).await;
    let mut args = w.terms(&mut ctx, 10 * CREDIT).await;
    (args.period_cap, args.period_secs) = (3 * CREDIT, HOUR as u32);
    w.open(&mut ctx, args).await.unwrap();
    let keys = w.touched();
    w.redeem(&mut ctx, &w.provider, 0, 2 * CREDIT).await.unwrap();
    let ix = redeem_ix(&w, &w.provider.pubkey(), 1, CREDIT + 1);
    refused(&mut ctx, ix, &[&w.provider], CreditsError::PeriodCapExceeded, &keys).await;

    // after expiry
    ctx.advance_clock(DAY).await;
    let ix = redeem_ix(&w, &w.provider.pubkey(), 1, 1);
    refused(&mut ctx, ix, &[&w.provider], CreditsError::ChannelExpired, &keys).await;
}

#[tokio::test]
async fn a_batch_is_never_burned_twice_nor_skipped() {
    let mut ctx = TestContext::start().await;
    let w = open_world(&mut ctx, TokenKind::Token2022, 10 * CREDIT).await;
    let keys = w.touched();
    let p = w.provider.pubkey();
    w.redeem(&mut ctx, &w.provider, 0, CREDIT).await.unwrap();
    // the same batch retried (a new blockhash: the runtime would not dedupe it)
    ctx.next_slot().await;
    refused(&mut ctx, redeem_ix(&w, &p, 0, CREDIT), &[&w.provider], CreditsError::WrongSequence, &keys).await;
    // a skipped number
    refused(&mut ctx, redeem_ix(&w, &p, 2, CREDIT), &[&w.provider], CreditsError::WrongSequence, &keys).await;
    refused(
        &mut ctx,
        redeem_ix(&w, &p, u64::MAX, CREDIT),
        &[&w.provider],
        CreditsError::WrongSequence,
        &keys,
    )
    .await;
    w.redeem(&mut ctx, &w.provider, 1, CREDIT).await.unwrap();
    assert_eq!(ctx.balance(w.k.vault).await, 8 * CREDIT);
}

#[tokio::test]
async fn only_the_provider_or_its_settlement_key_redeems() {
    let mut ctx = TestContext::start().await;
    let w = open_world(&mut ctx, TokenKind::Spl, 10 * CREDIT).await;
    let keys = w.touched();
    let stranger = ctx.funded_keypair(SOL).await;
    let other = w.f.provider(&mut ctx, &w.c).await;
    let mut keys_other = keys.clone();
    keys_other.push(provider_pda(&w.c.class, &other.pubkey()));

    // a stranger; the holder itself; another registered provider of the class
    for who in [&stranger, &w.holder.key, &other] {
        let ix = redeem_ix(&w, &who.pubkey(), 0, CREDIT);
        refused(&mut ctx, ix, &[who], CreditsError::NotProvider, &keys_other).await;
    }
    // the other provider with its own registration: not the channel's provider
    let ix = replace_account(
        redeem_ix(&w, &other.pubkey(), 0, CREDIT),
        &w.k.provider,
        &provider_pda(&w.c.class, &other.pubkey()),
    );
    refused(&mut ctx, ix, &[&other], CreditsError::NotProvider, &keys_other).await;
    // the provider's signature missing
    let ix = without_signer(redeem_ix(&w, &w.provider.pubkey(), 0, CREDIT), &w.provider.pubkey());
    refused(&mut ctx, ix, &[], AnchorError::AccountNotSigner, &keys).await;

    // only the provider's authority names a settlement key
    let mut pkeys = keys.clone();
    pkeys.push(provider_pda(&w.c.class, &other.pubkey()));
    let ix = replace_account(
        set_settlement_key(&w.provider.pubkey(), &w.c.class, &stranger.pubkey()),
        &w.provider.pubkey(),
        &stranger.pubkey(),
    );
    refused(&mut ctx, ix, &[&stranger], CreditsError::NotProvider, &pkeys).await;
    // another provider cannot name one for this registration
    let ix = replace_account(
        set_settlement_key(&other.pubkey(), &w.c.class, &other.pubkey()),
        &provider_pda(&w.c.class, &other.pubkey()),
        &w.k.provider,
    );
    refused(&mut ctx, ix, &[&other], CreditsError::NotProvider, &pkeys).await;

    // a settlement key that is the holder's wallet still cannot redeem its own channel
    ctx.send(&[set_settlement_key(&w.provider.pubkey(), &w.c.class, &w.holder.pubkey())], &[&w.provider])
        .await
        .unwrap();
    let ix = redeem_ix(&w, &w.holder.pubkey(), 0, CREDIT);
    refused(&mut ctx, ix, &[&w.holder.key], CreditsError::SelfRedemption, &keys).await;

    // only the provider's authority releases: not a stranger, the holder or another provider
    for who in [&stranger, &w.holder.key, &other] {
        let ix = replace_account(release_channel(&w.k), &w.provider.pubkey(), &who.pubkey());
        refused(&mut ctx, ix, &[who], CreditsError::NotProvider, &keys).await;
    }
}

#[tokio::test]
async fn the_holder_cannot_race_the_close() {
    let mut ctx = TestContext::start().await;
    let w = open_world(&mut ctx, TokenKind::Token2022, 20 * CREDIT).await;
    let keys = w.touched();
    let stranger = ctx.funded_keypair(SOL).await;
    // only the holder asks to close
    let ix = replace_account(request_close(&w.k), &w.holder.pubkey(), &stranger.pubkey());
    refused(&mut ctx, ix, &[&stranger], CreditsError::NotChannelHolder, &keys).await;
    let ix = replace_account(request_close(&w.k), &w.holder.pubkey(), &w.provider.pubkey());
    refused(&mut ctx, ix, &[&w.provider], CreditsError::NotChannelHolder, &keys).await;

    ctx.send(&[request_close(&w.k)], &[&w.holder.key]).await.unwrap();
    let keys = w.touched();
    // finalizing during the notice, a second request (restarting the notice), a top-up
    refused(&mut ctx, finalize_channel(&w.k, &w.holder.credits), &[], CreditsError::ChannelStillOpen, &keys)
        .await;
    ctx.next_slot().await;
    refused(&mut ctx, request_close(&w.k), &[&w.holder.key], CreditsError::ChannelClosing, &keys).await;
    let expiry = channel_state(&mut ctx, &w.k.channel).await.terms.expiry_ts;
    let ix = top_up_channel(&w.k, &w.holder.credits, CREDIT, 20 * CREDIT, expiry);
    refused(&mut ctx, ix, &[&w.holder.key], CreditsError::ChannelClosing, &keys).await;
    // the provider settles what it served during the notice
    ctx.advance_clock(HOUR - 1).await;
    w.redeem(&mut ctx, &w.provider, 0, 2 * CREDIT).await.unwrap();
    ctx.advance_clock(1).await;
    let keys = w.touched();
    let ix = redeem_ix(&w, &w.provider.pubkey(), 1, CREDIT);
    refused(&mut ctx, ix, &[&w.provider], CreditsError::ChannelClosed, &keys).await;
    w.finalize(&mut ctx).await.unwrap();
    assert_eq!(ctx.balance(w.holder.credits).await, HOLDER_CREDITS - 2 * CREDIT);
}

#[tokio::test]
async fn top_ups_only_extend_and_only_the_holder_makes_them() {
    let mut ctx = TestContext::start().await;
    let w = open_world(&mut ctx, TokenKind::Spl, 10 * CREDIT).await;
    let keys = w.touched();
    let expiry = channel_state(&mut ctx, &w.k.channel).await.terms.expiry_ts;
    let h = [&w.holder.key];
    // a lower cap, an earlier expiry
    let ix = top_up_channel(&w.k, &w.holder.credits, CREDIT, 10 * CREDIT - 1, expiry);
    refused(&mut ctx, ix, &h, CreditsError::InvalidChannelTerms, &keys).await;
    let ix = top_up_channel(&w.k, &w.holder.credits, CREDIT, 10 * CREDIT, expiry - 1);
    refused(&mut ctx, ix, &h, CreditsError::InvalidChannelTerms, &keys).await;
    // nothing moved and nothing extended
    let ix = top_up_channel(&w.k, &w.holder.credits, 0, 10 * CREDIT, expiry);
    refused(&mut ctx, ix, &h, CreditsError::ZeroAmount, &keys).await;
    // a stranger topping up from its own account (to extend someone's channel)
    let stranger = w.f.user(&mut ctx, &w.c, 1_000_000_000).await;
    w.f.buy(&mut ctx, &w.c, &stranger, 5 * CREDIT).await.unwrap();
    let mut k = w.k;
    k.holder = stranger.pubkey();
    let ix = top_up_channel(&k, &stranger.credits, CREDIT, 20 * CREDIT, expiry);
    let mut skeys = keys.clone();
    skeys.push(stranger.credits);
    refused(&mut ctx, ix, &[&stranger.key], CreditsError::NotChannelHolder, &skeys).await;
    // the holder from someone else's account
    let ix = top_up_channel(&w.k, &stranger.credits, CREDIT, 20 * CREDIT, expiry);
    refused(&mut ctx, ix, &h, AnchorError::ConstraintTokenOwner, &skeys).await;
    // a top-up that only extends the expiry is fine
    ctx.send(&[top_up_channel(&w.k, &w.holder.credits, 0, 10 * CREDIT, expiry + DAY)], &h).await.unwrap();
    // once expired, nothing revives it
    ctx.advance_clock(DAY * 2).await;
    let keys = w.touched();
    let ix = top_up_channel(&w.k, &w.holder.credits, CREDIT, 20 * CREDIT, expiry + 3 * DAY);
    refused(&mut ctx, ix, &h, CreditsError::ChannelClosed, &keys).await;
}

#[tokio::test]
async fn a_channel_of_another_class_is_refused() {
    let mut ctx = TestContext::start().await;
    let w = open_world(&mut ctx, TokenKind::Token2022, 10 * CREDIT).await;
    let other = w.f.create_class(&mut ctx, TokenKind::Token2022).await;
    let other_provider = w.f.provider(&mut ctx, &other).await;
    // the channel passed with the other class (its mint, its provider registration)
    let mut k = w.k;
    (k.class, k.credit_mint) = (other.class, other.mint);
    let mut keys = w.touched();
    keys.extend([other.class, other.mint]);
    let ix = redeem_from_channel(&k, &w.provider.pubkey(), 0, CREDIT, usage(0));
    refused(&mut ctx, ix, &[&w.provider], CreditsError::WrongClass, &keys).await;
    let mut k2 = k;
    k2.provider = provider_pda(&other.class, &other_provider.pubkey());
    keys.push(k2.provider);
    let ix = redeem_from_channel(&k2, &other_provider.pubkey(), 0, CREDIT, usage(0));
    refused(&mut ctx, ix, &[&other_provider], CreditsError::WrongClass, &keys).await;
    let expiry = channel_state(&mut ctx, &w.k.channel).await.terms.expiry_ts;
    let other_credits = ctx.ata(&w.holder.pubkey(), &other.mint, &other.program).await;
    keys.push(other_credits);
    let ix = top_up_channel(&k, &other_credits, 0, 20 * CREDIT, expiry);
    refused(&mut ctx, ix, &[&w.holder.key], CreditsError::WrongClass, &keys).await;
    ctx.send(&[release_channel(&w.k)], &[&w.provider]).await.unwrap();
    let keys = [keys, w.touched()].concat();
    refused(&mut ctx, finalize_channel(&k, &other_credits), &[], CreditsError::WrongClass, &keys).await;
    // a class whose mint is swapped for the channel's
    let ix = replace_account(redeem_ix(&w, &w.provider.pubkey(), 0, CREDIT), &w.c.mint, &other.mint);
    refused(&mut ctx, ix, &[&w.provider], CreditsError::WrongClass, &keys).await;
}

#[tokio::test]
async fn substituted_vaults_holders_and_hold_records_are_refused() {
    let mut ctx = TestContext::start().await;
    let w = open_world(&mut ctx, TokenKind::Spl, 10 * CREDIT).await;
    // a second channel of another holder to the same provider
    let other = w.f.user(&mut ctx, &w.c, 1_000_000_000).await;
    w.f.buy(&mut ctx, &w.c, &other, 10 * CREDIT).await.unwrap();
    let ok = ChannelWorld::keys_of(&w.c, &other.pubkey(), &w.provider.pubkey());
    let args = w.terms(&mut ctx, 5 * CREDIT).await;
    ctx.send(&[open_channel(&ok, &other.credits, args)], &[&other.key]).await.unwrap();
    let keys = [w.touched(), vec![ok.channel, ok.vault, other.credits]].concat();
    let p = w.provider.pubkey();
    // the other channel's vault burned against this channel's meter
    let ix = replace_account(redeem_ix(&w, &p, 0, CREDIT), &w.k.vault, &ok.vault);
    refused(&mut ctx, ix, &[&w.provider], CreditsError::WrongChannelAccount, &keys).await;
    // a hold record of another wallet (one without holds), or not a PDA at all
    let ix = replace_account(redeem_ix(&w, &p, 0, CREDIT), &w.k.holder_holds, &ok.holder_holds);
    refused(&mut ctx, ix, &[&w.provider], CreditsError::WrongHoldAccount, &keys).await;
    let ix = replace_account(redeem_ix(&w, &p, 0, CREDIT), &w.k.holder_holds, &Keypair::new().pubkey());
    refused(&mut ctx, ix, &[&w.provider], CreditsError::WrongHoldAccount, &keys).await;
    // opening with a hold record of another wallet
    let third = w.f.provider(&mut ctx, &w.c).await;
    let mut k3 = ChannelWorld::keys_of(&w.c, &w.holder.pubkey(), &third.pubkey());
    k3.holder_holds = ok.holder_holds;
    let args = w.terms(&mut ctx, CREDIT).await;
    let ix = open_channel(&k3, &w.holder.credits, args);
    refused(&mut ctx, ix, &[&w.holder.key], CreditsError::WrongHoldAccount, &keys).await;

    ctx.send(&[release_channel(&w.k)], &[&w.provider]).await.unwrap();
    let keys = [keys, w.touched()].concat();
    // finalize: the rest to another wallet's account, the rent to another wallet
    let ix = finalize_channel(&w.k, &other.credits);
    refused(&mut ctx, ix, &[], AnchorError::ConstraintTokenOwner, &keys).await;
    let ix = replace_account(finalize_channel(&w.k, &other.credits), &w.holder.pubkey(), &other.pubkey());
    refused(&mut ctx, ix, &[], CreditsError::WrongChannelAccount, &keys).await;
    let ix = replace_account(finalize_channel(&w.k, &w.holder.credits), &w.k.vault, &ok.vault);
    refused(&mut ctx, ix, &[], CreditsError::WrongChannelAccount, &keys).await;
    w.finalize(&mut ctx).await.unwrap();
}

#[tokio::test]
async fn dust_bad_terms_and_self_dealing_cannot_open_a_channel() {
    let mut ctx = TestContext::start().await;
    let w = ChannelWorld::new(&mut ctx, TokenKind::Token2022).await;
    let keys = w.touched();
    let h = [&w.holder.key];
    let good = w.terms(&mut ctx, 10 * CREDIT).await;
    let now = ctx.now().await;
    let open = |args| open_channel(&w.k, &w.holder.credits, args);
    refused(
        &mut ctx,
        open(compute_credits::OpenChannelArgs { amount: CREDIT - 1, ..good }),
        &h,
        CreditsError::ChannelDust,
        &keys,
    )
    .await;
    for bad in [
        compute_credits::OpenChannelArgs { cap: 0, ..good },
        compute_credits::OpenChannelArgs { period_cap: CREDIT, period_secs: 0, ..good },
        compute_credits::OpenChannelArgs { expiry_ts: now, ..good },
    ] {
        refused(&mut ctx, open(bad), &h, CreditsError::InvalidChannelTerms, &keys).await;
    }
    // more than the holder has: the token program refuses (insufficient funds, code 1)
    refused(
        &mut ctx,
        open(compute_credits::OpenChannelArgs { amount: HOLDER_CREDITS + 1, ..good }),
        &h,
        1u32,
        &keys,
    )
    .await;
    // a provider opening a channel to itself
    let p = &w.provider;
    let p_credits = ctx.ata(&p.pubkey(), &w.c.mint, &w.c.program).await;
    ctx.raw_transfer(&w.c, &w.holder.credits, &p_credits, &w.holder.key, 5 * CREDIT).await.unwrap();
    let selfk = ChannelWorld::keys_of(&w.c, &p.pubkey(), &p.pubkey());
    let ix = open_channel(&selfk, &p_credits, w.terms(&mut ctx, 2 * CREDIT).await);
    refused(&mut ctx, ix, &[p], CreditsError::SelfRedemption, &[p_credits, selfk.channel]).await;
    // to an unregistered "provider"
    let stranger = ctx.funded_keypair(SOL).await;
    let k = ChannelWorld::keys_of(&w.c, &w.holder.pubkey(), &stranger.pubkey());
    let ix = open_channel(&k, &w.holder.credits, good);
    refused(&mut ctx, ix, &h, AnchorError::AccountOwnedByWrongProgram, &[k.channel, w.holder.credits]).await;
    // a registration of this provider passed for another authority
    let ix = replace_account(open_channel(&k, &w.holder.credits, good), &k.provider, &w.k.provider);
    refused(&mut ctx, ix, &h, CreditsError::NotProvider, &[k.channel, w.holder.credits]).await;

    // opened once: a second open of the same channel is refused
    w.open(&mut ctx, good).await.unwrap();
    let keys = w.touched();
    ctx.next_slot().await;
    refused(&mut ctx, open(good), &h, CreditsError::AlreadyInitialized, &keys).await;
}

#[tokio::test]
async fn a_loan_vault_cannot_fund_a_channel() {
    use harness::loans::*;
    let mut ctx = TestContext::start().await;
    let mut lw = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let terms = OfferTerms {
        principal: 100_000 * USD,
        periods: 12,
        maintenance_bps: 0,
        liquidation_bps: 0,
        initial_bps: 0,
        ..seed_terms(0, LoanKind::ComputeFinancing, 1)
    };
    let loan = lw.originate(&mut ctx, terms, 0).await;
    assert!(ctx.balance(loan.vault).await > 10 * CREDIT);
    let provider = lw.f.provider(&mut ctx, &lw.c).await;
    let b = &lw.borrower;
    let k = ChannelWorld::keys_of(&lw.c, &b.pubkey(), &provider.pubkey());
    let args = compute_credits::OpenChannelArgs {
        amount: 10 * CREDIT,
        cap: 10 * CREDIT,
        period_cap: 0,
        period_secs: 0,
        expiry_ts: ctx.now().await + DAY,
        notice_secs: 60,
    };
    let keys = [loan.vault, loan.loan, k.channel, k.vault, lw.c.mint];
    refused(
        &mut ctx,
        open_channel(&k, &loan.vault, args),
        &[&b.key],
        AnchorError::ConstraintTokenOwner,
        &keys,
    )
    .await;
}

#[tokio::test]
async fn a_frozen_holder_opens_redeems_and_finalizes_nothing_until_thawed() {
    let mut ctx = TestContext::start().await;
    let w = open_world(&mut ctx, TokenKind::Token2022, 10 * CREDIT).await;
    // a second account of the holder, unfrozen: the hold is on the wallet, not the account
    let spare = ctx.token_account_for(&w.holder.pubkey(), &w.c.mint, &w.c.program).await;
    ctx.raw_transfer(&w.c, &w.holder.credits, &spare, &w.holder.key, 5 * CREDIT).await.unwrap();
    let g = w.f.guardian.pubkey();
    let target = (&w.holder.pubkey(), &w.holder.credits);
    let freeze = freeze_credits(&g, &w.c.class, &w.c.mint, target, &w.c.program, 1);
    let thaw = thaw_credits(&g, &w.c.class, &w.c.mint, target, &w.c.program, 2);
    ctx.send(std::slice::from_ref(&freeze), &[&w.f.guardian]).await.unwrap();
    let keys = [w.touched(), vec![spare]].concat();
    let h = [&w.holder.key];

    // no metering: the provider's batch waits for the thaw
    let ix = redeem_ix(&w, &w.provider.pubkey(), 0, CREDIT);
    refused(&mut ctx, ix, &[&w.provider], CreditsError::OwnerUnderHold, &keys).await;
    // no top-up (from the frozen account, or the spare one), no new channel
    let expiry = channel_state(&mut ctx, &w.k.channel).await.terms.expiry_ts;
    let ix = top_up_channel(&w.k, &w.holder.credits, CREDIT, 10 * CREDIT, expiry);
    refused(&mut ctx, ix, &h, CreditsError::CreditAccountFrozen, &keys).await;
    let ix = top_up_channel(&w.k, &spare, CREDIT, 10 * CREDIT, expiry);
    refused(&mut ctx, ix, &h, CreditsError::OwnerUnderHold, &keys).await;
    let other = w.f.provider(&mut ctx, &w.c).await;
    let k2 = ChannelWorld::keys_of(&w.c, &w.holder.pubkey(), &other.pubkey());
    let args = w.terms(&mut ctx, CREDIT).await;
    let keys2 = [keys.clone(), vec![k2.channel, k2.vault]].concat();
    refused(&mut ctx, open_channel(&k2, &spare, args), &h, CreditsError::OwnerUnderHold, &keys2).await;
    refused(
        &mut ctx,
        open_channel(&k2, &w.holder.credits, args),
        &h,
        CreditsError::CreditAccountFrozen,
        &keys2,
    )
    .await;

    // thawed: metering resumes
    ctx.send(std::slice::from_ref(&thaw), &[&w.f.guardian]).await.unwrap();
    w.redeem(&mut ctx, &w.provider, 0, CREDIT).await.unwrap();
    // frozen again, the channel stops (a close request moves nothing, so it is allowed)
    ctx.send(&[request_close(&w.k)], &h).await.unwrap();
    ctx.next_slot().await;
    ctx.send(&[freeze], &[&w.f.guardian]).await.unwrap();
    ctx.advance_clock(HOUR).await;
    let keys = [w.touched(), vec![spare]].concat();
    refused(&mut ctx, finalize_channel(&w.k, &spare), &[], CreditsError::OwnerUnderHold, &keys).await;
    ctx.next_slot().await;
    ctx.send(&[thaw], &[&w.f.guardian]).await.unwrap();
    ctx.send(&[finalize_channel(&w.k, &spare)], &[]).await.unwrap();
    assert_eq!(ctx.balance(spare).await, 5 * CREDIT + 9 * CREDIT);
}

#[tokio::test]
async fn a_paused_class_stops_every_channel_move() {
    for kind in [TokenKind::Token2022, TokenKind::Spl] {
        let mut ctx = TestContext::start().await;
        let w = open_world(&mut ctx, kind, 10 * CREDIT).await;
        let g = w.f.guardian.pubkey();
        ctx.send(&[pause_class(&g, &w.c.class, &w.c.mint, &w.c.program)], &[&w.f.guardian]).await.unwrap();
        let keys = w.touched();
        let h = [&w.holder.key];
        let ix = redeem_ix(&w, &w.provider.pubkey(), 0, CREDIT);
        refused(&mut ctx, ix, &[&w.provider], CreditsError::ClassPaused, &keys).await;
        let expiry = channel_state(&mut ctx, &w.k.channel).await.terms.expiry_ts;
        let ix = top_up_channel(&w.k, &w.holder.credits, CREDIT, 10 * CREDIT, expiry);
        refused(&mut ctx, ix, &h, CreditsError::ClassPaused, &keys).await;
        let other = w.f.provider(&mut ctx, &w.c).await;
        let k2 = ChannelWorld::keys_of(&w.c, &w.holder.pubkey(), &other.pubkey());
        let args = w.terms(&mut ctx, CREDIT).await;
        let keys2 = [keys.clone(), vec![k2.channel, k2.vault]].concat();
        refused(&mut ctx, open_channel(&k2, &w.holder.credits, args), &h, CreditsError::ClassPaused, &keys2)
            .await;
        // closing moves nothing: allowed; finalizing moves credits: not
        ctx.send(&[release_channel(&w.k)], &[&w.provider]).await.unwrap();
        let keys = w.touched();
        refused(&mut ctx, finalize_channel(&w.k, &w.holder.credits), &[], CreditsError::ClassPaused, &keys)
            .await;
        ctx.send(&[resume_class(&w.f.admin.pubkey(), &w.c.class, &w.c.mint, &w.c.program)], &[&w.f.admin])
            .await
            .unwrap();
        w.finalize(&mut ctx).await.unwrap();
        assert_eq!(ctx.balance(w.holder.credits).await, HOLDER_CREDITS);
    }
}

/// A bump below `seeds`' canonical one whose address is still off the curve (a valid PDA the
/// program must not accept in place of the canonical one), and that address.
fn lower_pda(seeds: &[&[u8]]) -> (Pubkey, u8) {
    let (_, canonical) = Pubkey::find_program_address(seeds, &compute_credits::ID);
    (0..canonical)
        .rev()
        .find_map(|b| {
            let bump = [b];
            let with_bump = [seeds, &[&bump[..]]].concat();
            Pubkey::create_program_address(&with_bump, &compute_credits::ID).ok().map(|k| (k, b))
        })
        .expect("a lower off-curve bump")
}

#[tokio::test]
async fn open_channel_takes_only_the_canonical_bumps() {
    use compute_credits::constants::{CHANNEL_SEED, CHANNEL_VAULT_SEED, OWNER_HOLDS_SEED};
    let mut ctx = TestContext::start().await;
    let w = ChannelWorld::new(&mut ctx, TokenKind::Token2022).await;
    let (k, h) = (w.k, [&w.holder.key]);
    let (holder, p) = (w.holder.pubkey(), w.provider.pubkey());
    let good = pda::channel_bumps(&k.class, &k.credit_mint, &holder, &p);
    let args = w.terms(&mut ctx, 2 * CREDIT).await;
    let open = |k: &ChannelKeys, bumps| open_channel_with_bumps(k, &w.holder.credits, args, bumps);

    // the right addresses with a wrong bump each
    let keys = w.touched();
    for bumps in [
        ChannelBumps { channel_bump: good.channel_bump.wrapping_sub(1), ..good },
        ChannelBumps { vault_bump: good.vault_bump.wrapping_sub(1), ..good },
        ChannelBumps { holds_bump: good.holds_bump.wrapping_sub(1), ..good },
    ] {
        let name = if bumps.holds_bump == good.holds_bump {
            CreditsError::WrongChannelAccount
        } else {
            CreditsError::WrongHoldAccount
        };
        refused(&mut ctx, open(&k, bumps), &h, name, &keys).await;
    }
    // a second channel for the same parties at a lower bump's address, or a second vault
    let (channel2, bump2) = lower_pda(&[CHANNEL_SEED, k.class.as_ref(), holder.as_ref(), p.as_ref()]);
    let k2 = ChannelKeys { channel: channel2, vault: pda::channel_vault(&channel2), ..k };
    let vault2_bump =
        Pubkey::find_program_address(&[CHANNEL_VAULT_SEED, channel2.as_ref()], &compute_credits::ID).1;
    let keys2 = [keys.clone(), vec![k2.channel, k2.vault]].concat();
    let bumps = ChannelBumps { channel_bump: bump2, vault_bump: vault2_bump, ..good };
    refused(&mut ctx, open(&k2, bumps), &h, CreditsError::WrongChannelAccount, &keys2).await;
    let (vault2, vbump2) = lower_pda(&[CHANNEL_VAULT_SEED, k.channel.as_ref()]);
    let k3 = ChannelKeys { vault: vault2, ..k };
    let keys3 = [keys.clone(), vec![vault2]].concat();
    let bumps = ChannelBumps { vault_bump: vbump2, ..good };
    refused(&mut ctx, open(&k3, bumps), &h, CreditsError::WrongChannelAccount, &keys3).await;

    // the guardian holds the holder (a funded, unfrozen second account of it would otherwise
    // open): a lower bump's hold address (a record that never exists) does not escape the hold
    let spare = ctx.token_account_for(&holder, &w.c.mint, &w.c.program).await;
    ctx.raw_transfer(&w.c, &w.holder.credits, &spare, &w.holder.key, 5 * CREDIT).await.unwrap();
    let g = w.f.guardian.pubkey();
    let target = (&holder, &w.holder.credits);
    ctx.send(&[freeze_credits(&g, &w.c.class, &w.c.mint, target, &w.c.program, 1)], &[&w.f.guardian])
        .await
        .unwrap();
    let (holds2, hbump2) = lower_pda(&[OWNER_HOLDS_SEED, k.credit_mint.as_ref(), holder.as_ref()]);
    let k4 = ChannelKeys { holder_holds: holds2, ..k };
    let ix = open_channel_with_bumps(&k4, &spare, args, ChannelBumps { holds_bump: hbump2, ..good });
    let keys4 = [keys.clone(), vec![spare, holds2, k.holder_holds]].concat();
    refused(&mut ctx, ix, &h, CreditsError::WrongHoldAccount, &keys4).await;
    // with the canonical record it is the hold that refuses
    let ix = open_channel(&k, &spare, args);
    refused(&mut ctx, ix, &h, CreditsError::OwnerUnderHold, &keys4).await;
}
