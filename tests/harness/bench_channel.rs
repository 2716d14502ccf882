//! The metering-channel instructions' representative cases for the compute-unit table, on a
//! fresh bank (the channel world brings its own platform).
use solana_sdk::signature::Signer;

use crate::bench::{measure, Measurement};
use crate::channel::*;
use crate::context::TestContext;
use crate::fixtures::{TokenKind, SOL};

pub async fn measure_channels(mode: crate::Mode) -> Vec<Measurement> {
    let mut out = vec![];
    let ctx = &mut TestContext::start_in(mode).await;
    let w = ChannelWorld::new(ctx, TokenKind::Token2022).await;
    let hot = ctx.funded_keypair(SOL).await;
    let p = w.provider.pubkey();
    let r = ctx.send(&[set_settlement_key(&p, &w.c.class, &hot.pubkey())], &[&w.provider]).await;
    out.push(measure("set_settlement_key", &r));
    let mut args = w.terms(ctx, 10 * CREDIT).await;
    args.cap = 20 * CREDIT;
    (args.period_cap, args.period_secs) = (5 * CREDIT, HOUR as u32);
    let r = w.open(ctx, args).await;
    out.push(measure("open_channel (Token-2022)", &r));
    let r = w.redeem(ctx, &w.provider, 0, CREDIT).await;
    out.push(measure("redeem_from_channel (provider)", &r));
    let r = w.redeem(ctx, &hot, 1, CREDIT).await;
    out.push(measure("redeem_from_channel (settlement key)", &r));
    let ix = top_up_channel(&w.k, &w.holder.credits, CREDIT, 25 * CREDIT, args.expiry_ts + DAY);
    let r = ctx.send(&[ix], &[&w.holder.key]).await;
    out.push(measure("top_up_channel", &r));
    let r = ctx.send(&[request_close(&w.k)], &[&w.holder.key]).await;
    out.push(measure("request_close", &r));
    let r = ctx.send(&[release_channel(&w.k)], &[&w.provider]).await;
    out.push(measure("release_channel", &r));
    let r = w.finalize(ctx).await;
    out.push(measure("finalize_channel", &r));

    // classic SPL Token, on its own bank (the world brings its own platform)
    let ctx = &mut TestContext::start_in(mode).await;
    let w = ChannelWorld::new(ctx, TokenKind::Spl).await;
    let r = w.open_amount(ctx, 10 * CREDIT).await;
    out.push(measure("open_channel (SPL Token)", &r));
    out
}
