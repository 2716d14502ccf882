//! The demo's metering-channel act (issue 14): the holder escrows credits once, the provider
//! meters batches alone, a replayed batch is refused by name, the notice runs, the rest returns.
use compute_credits::state::CreditClass;
use compute_credits::OpenChannelArgs;
use credit_math::CreditAtoms;
use harness::channel::*;
use harness::fixtures::{ClassFixture, User};
use harness::TestContext;
use solana_sdk::signature::{Keypair, Signer};

use super::{credits, error_name, ok, step};
use crate::commands::channel::show::usage_text;
use crate::commands::CliResult;

/// The vault's balance, the headroom now and the burn rate since opening.
async fn meter_line(ctx: &mut TestContext, k: &ChannelKeys) -> String {
    let ch = channel_state(ctx, &k.channel).await;
    let (now, vault) = (ctx.now().await, ctx.balance(k.vault).await);
    let headroom = ch.meter().headroom(&ch.terms(), now, CreditAtoms(vault)).0;
    // the one burn-rate rule `app channel show` and the web app use
    let rate = ch.meter().burn_per_hour(ch.opened_at, now).map_or("-".into(), |r| credits(r.0));
    format!(
        "vault {} | redeemed {} | headroom {} | burn rate {rate} GPU-hours per hour",
        credits(vault),
        credits(ch.meter.redeemed.0),
        credits(headroom),
    )
}

pub async fn run(
    ctx: &mut TestContext,
    c: &ClassFixture,
    startup: &User,
    provider: &Keypair,
    n: &mut u32,
) -> CliResult {
    step(
        n,
        "The startup opens a metering channel to the provider: 30 GPU-hours escrowed once, cap 30, at most 10 per hour, 30 days, an hour's notice",
    );
    let k = ChannelKeys::new(&c.class, &c.mint, &c.program, &startup.pubkey(), &provider.pubkey());
    let args = OpenChannelArgs {
        amount: 30 * CREDIT,
        cap: 30 * CREDIT,
        period_cap: 10 * CREDIT,
        period_secs: HOUR as u32,
        expiry_ts: ctx.now().await + 30 * DAY,
        notice_secs: HOUR as u32,
    };
    ok(&ctx.send(&[open_channel(&k, &startup.credits, args)], &[&startup.key]).await)?;
    say!(
        "    channel {}  vault {} (owned by the channel PDA: escrow, not a revocable delegate)",
        k.channel,
        k.vault
    );
    say!("    startup holds {} credits outside the channel", credits(ctx.balance(startup.credits).await));

    step(n, "The provider's gateway meters three batches and redeems each alone, with the channel's next sequence number");
    for (seq, amount, reference) in [
        (0u64, 2_500_000u64, "gw-batch-0001"),
        (1, 4_000_000, "gw-batch-0002"),
        (2, 1_750_000, "gw-batch-0003"),
    ] {
        ctx.advance_clock(10 * 60).await;
        let mut usage = [0u8; 32];
        usage[..reference.len()].copy_from_slice(reference.as_bytes());
        let r =
            ctx.send(&[redeem_from_channel(&k, &provider.pubkey(), seq, amount, usage)], &[provider]).await;
        ok(&r)?;
        // the same CreditsRedeemed event as a co-signed redemption (its logs go to the bank)
        let class: CreditClass = ctx.anchor_account(c.class).await;
        say!(
            "    batch {seq}: {} burned ({}); the class has burned {} in all",
            credits(amount),
            usage_text(&usage),
            credits(class.burned)
        );
        say!("      {}", meter_line(ctx, &k).await);
    }

    step(n, "The gateway retries batch 1 after a timeout: the sequence number makes it a no-op");
    let mut usage = [0u8; 32];
    usage[..13].copy_from_slice(b"gw-batch-0002");
    let r = ctx.send(&[redeem_from_channel(&k, &provider.pubkey(), 1, 4_000_000, usage)], &[provider]).await;
    if r.result.is_ok() {
        return Err("a replayed batch must be refused".into());
    }
    say!("    refused: {}; nothing burned twice", error_name(&r));
    say!("    {}", meter_line(ctx, &k).await);

    step(n, "The startup asks to close: the provider may settle what it served during the hour's notice, then anyone finalizes");
    ok(&ctx.send(&[request_close(&k)], &[&startup.key]).await)?;
    let r = ctx.send(&[finalize_channel(&k, &startup.credits)], &[]).await;
    say!("    finalize during the notice: refused, {}", error_name(&r));
    ctx.advance_clock(HOUR).await;
    let before = ctx.balance(startup.credits).await;
    let vault = ctx.balance(k.vault).await;
    ok(&ctx.send(&[finalize_channel(&k, &startup.credits)], &[]).await)?;
    say!(
        "    after the notice: {} returned to the startup ({} -> {} credits); channel and vault closed, rent back",
        credits(vault),
        credits(before),
        credits(ctx.balance(startup.credits).await)
    );
    Ok(())
}
