//! The lifecycle demo: every capability that exists, on an embedded bank, told step by step.
use anchor_spl::token_2022::spl_token_2022::error::TokenError;
use clap::Args;
use compute_credits::state::CreditClass;
use harness::builders::*;
use harness::fixtures::*;
use harness::{custom_code, Mode, TestContext, TxResult};
use solana_sdk::signature::Signer;

use super::CliResult;

#[derive(Args)]
pub struct DemoArgs {
    /// Run on the SBF `.so` (target/deploy) instead of the native build.
    #[arg(long)]
    pub sbf: bool,
}

mod channel;
mod loans;
pub mod market;

use super::calculate::usd;
use super::open_report;

fn credits(atoms: u64) -> String {
    format!("{}.{:06}", atoms / 1_000_000, atoms % 1_000_000)
}

/// Feed prices use exponent -8.
fn usd8(mantissa: u64) -> String {
    format!("${}.{:04}", mantissa / 100_000_000, (mantissa % 100_000_000) / 10_000)
}

fn short(key: &anchor_lang::prelude::Pubkey) -> String {
    key.to_string()[..8].to_string()
}

/// The program error's name, looked up in the committed IDL (the same file clients decode with).
pub fn error_name(r: &TxResult) -> String {
    let Some(code) = custom_code(r) else { return format!("{:?}", r.result) };
    let idl: serde_json::Value = serde_json::from_str(include_str!("../../../../idl/compute_credits.json"))
        .expect("committed IDL parses");
    idl["errors"]
        .as_array()
        .and_then(|errors| errors.iter().find(|e| e["code"].as_u64() == Some(u64::from(code))))
        .and_then(|e| e["name"].as_str())
        .map(|name| format!("{name} ({code})"))
        .unwrap_or_else(|| format!("error {code}"))
}

async fn feed_state(
    ctx: &mut TestContext,
    feed: anchor_lang::prelude::Pubkey,
) -> compute_credits::state::PriceFeed {
    let acc = ctx.account(feed).await.expect("feed");
    *anchor_lang::__private::bytemuck::from_bytes(&acc.data[8..])
}

fn step(n: &mut u32, text: &str) {
    *n += 1;
    say!("\n{n:>2}. {text}");
}

fn ok(r: &TxResult) -> Result<(), String> {
    match &r.result {
        Ok(()) => Ok(()),
        Err(e) => Err(format!("unexpected failure: {e:?}\n{:#?}", r.logs)),
    }
}

/// The demo runs on an embedded bank, or over JSON-RPC when `-u` is given: a fresh deployment
/// whose upgrade authority is `-k` (the demo initialises the platform); the steps that wait for
/// a due date need time travel (`app localnet`).
pub async fn run(args: DemoArgs, global: &crate::context::GlobalArgs) -> CliResult {
    let mode = if args.sbf { Mode::Sbf } else { Mode::Native };
    open_report()?;
    let url = match global.url {
        None => None,
        Some(_) => {
            let settings = crate::context::Context::new(global)?.settings;
            let payer = credit_client::config::read_keypair(&settings.keypair)?;
            Some((settings.json_rpc_url, payer))
        }
    };
    let mut ctx = match url {
        None => TestContext::start_in(mode).await,
        Some((url, payer)) => TestContext::connect(&url, payer).await?,
    };
    let mut n = 0;
    match &global.url {
        None => say!(
            "Compute credits demo on an embedded bank ({mode:?} program, real SPL Token / Token-2022 / ATA programs)"
        ),
        Some(_) => say!(
            "Compute credits demo over JSON-RPC at {} (payer and upgrade authority {})",
            crate::context::Context::new(global)?.settings.json_rpc_url,
            ctx.payer().pubkey()
        ),
    }

    step(
        &mut n,
        "Initialise the platform, signed by the program's upgrade authority (it becomes admin): guardian, treasury, 1% purchase fee; the admin names the underwriter",
    );
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    say!("    platform {}  admin {}  underwriter {}", f.platform, f.admin.pubkey(), f.underwriter.pubkey());
    say!("    quote currency (USDC-like, SPL Token, 6 decimals) {}", f.quote_mint);

    step(&mut n, "Create the credit class \"H100 GPU-hour\" (Token-2022 mint with metadata + Pausable)");
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    say!("    class {}  mint {}", c.class, c.mint);
    say!("    mint, freeze, pause and metadata authority: the class PDA (no private key can mint or freeze)");
    say!("    list price {} per GPU-hour", usd(c.list_price));

    step(&mut n, "An AI startup buys 400 GPU-hours at the list price (pays into the treasury, credits minted atomically)");
    let startup = f.user(&mut ctx, &c, 2_000_000_000).await;
    ok(&f.buy(&mut ctx, &c, &startup, 400_000_000).await)?;
    say!(
        "    startup: {} credits, {} left; treasury received {}",
        credits(ctx.balance(startup.credits).await),
        usd(ctx.balance(startup.quote).await),
        usd(ctx.balance(f.treasury_quote).await)
    );

    step(&mut n, "A registered compute provider redeems 120 GPU-hours of consumed compute (credits burned)");
    let provider = f.provider(&mut ctx, &c).await;
    let mut usage = [0u8; 32];
    usage[..14].copy_from_slice(b"job-2026-11-24");
    let ix = redeem_credits(&f.redeem(&c, &startup, &provider.pubkey()), 120_000_000, usage);
    ok(&ctx.send(&[ix], &[&startup.key, &provider]).await)?;
    let class: CreditClass = ctx.anchor_account(c.class).await;
    say!(
        "    startup holds {} credits; class minted {} burned {}; supply {}",
        credits(ctx.balance(startup.credits).await),
        credits(class.minted),
        credits(class.burned),
        credits(ctx.mint_supply(c.mint).await)
    );

    channel::run(&mut ctx, &c, &startup, &provider, &mut n).await?;

    step(&mut n, "The guardian freezes the startup's credit account (reason code 1)");
    let g = f.guardian.pubkey();
    ok(&ctx
        .send(
            &[freeze_credits(&g, &c.class, &c.mint, (&startup.pubkey(), &startup.credits), &c.program, 1)],
            &[&f.guardian],
        )
        .await)?;
    say!("    frozen: {}", ctx.token_account(startup.credits).await.frozen);

    step(&mut n, "The startup tries to transfer 10 credits to another wallet");
    let other = f.user(&mut ctx, &c, 0).await;
    let r = ctx.raw_transfer(&c, &startup.credits, &other.credits, &startup.key, 10_000_000).await;
    if custom_code(&r) != Some(TokenError::AccountFrozen as u32) {
        return Err(format!("the transfer should have been refused as frozen: {:?}", r.result));
    }
    say!("    refused by Token-2022 itself: AccountFrozen");

    step(&mut n, "The guardian thaws the account; the same transfer goes through");
    ok(&ctx
        .send(
            &[thaw_credits(&g, &c.class, &c.mint, (&startup.pubkey(), &startup.credits), &c.program, 1)],
            &[&f.guardian],
        )
        .await)?;
    ok(&ctx.raw_transfer(&c, &startup.credits, &other.credits, &startup.key, 10_000_000).await)?;
    say!("    other wallet holds {} credits", credits(ctx.balance(other.credits).await));

    step(&mut n, "The guardian pauses the class: the mint itself stops every transfer");
    ok(&ctx.send(&[pause_class(&g, &c.class, &c.mint, &c.program)], &[&f.guardian]).await)?;
    let r = ctx.raw_transfer(&c, &startup.credits, &other.credits, &startup.key, 1_000_000).await;
    if custom_code(&r) != Some(TokenError::MintPaused as u32) {
        return Err(format!("the transfer should have been refused as paused: {:?}", r.result));
    }
    say!("    transfer refused by Token-2022: MintPaused");

    step(&mut n, "The admin resumes the class");
    ok(&ctx.send(&[resume_class(&f.admin.pubkey(), &c.class, &c.mint, &c.program)], &[&f.admin]).await)?;
    ok(&ctx.raw_transfer(&c, &startup.credits, &other.credits, &startup.key, 1_000_000).await)?;
    say!("    transfers flow again");

    step(&mut n, "A GPU-hour price feed: five publishers, the median of fresh observations (quorum 3)");
    let nf = f.native_feed(&mut ctx, &c, 5, 3).await;
    let reports = [248_000_000i64, 250_000_000, 251_000_000, 253_000_000, 890_000_000];
    for (p, price) in nf.publishers.iter().zip(reports) {
        ok(&ctx.send(&[submit_price(&p.pubkey(), &nf.feed, price, 1_000_000)], &[p]).await)?;
        say!("    publisher {} reports {}", short(&p.pubkey()), usd8(price as u64));
    }
    let feed = feed_state(&mut ctx, nf.feed).await;
    say!(
        "    aggregate {} ± {} (the $8.90 outlier cannot move the median)",
        usd8(feed.price),
        usd8(feed.conf)
    );

    step(&mut n, "The class switches to oracle pricing; a purchase pays price + confidence");
    f.price_by_feed(&mut ctx, &c, &nf.feed).await;
    let mut p = f.purchase(&c, &startup);
    p.price_feed = Some(nf.feed);
    let before = ctx.balance(startup.quote).await;
    ok(&ctx.send(&[purchase_credits(&p, 10_000_000, 3_000_000)], &[&startup.key]).await)?;
    say!("    10 GPU-hours cost {} including the 1% fee", usd(before - ctx.balance(startup.quote).await));

    step(&mut n, "Two publishers report $4.00 (+60%) within a minute: the circuit breaker holds the jump");
    ctx.advance_clock(30).await;
    for p in &nf.publishers[..2] {
        ok(&ctx.send(&[submit_price(&p.pubkey(), &nf.feed, 400_000_000, 1_000_000)], &[p]).await)?;
    }
    let feed = feed_state(&mut ctx, nf.feed).await;
    say!(
        "    tripped: {}, price held at {}, pending {}",
        feed.is_tripped(),
        usd8(feed.price),
        usd8(feed.pending_price)
    );
    let r = ctx.send(&[purchase_credits(&p, 1_000_000, 10_000_000)], &[&startup.key]).await;
    say!("    purchases refused meanwhile: {}", error_name(&r));
    ok(&ctx.send(&[resolve_circuit_breaker(&f.admin.pubkey(), &nf.feed, false)], &[&f.admin]).await)?;
    say!(
        "    the admin rejects the jump; the feed resumes at {}",
        usd8(feed_state(&mut ctx, nf.feed).await.price)
    );

    loans::run(&mut ctx, &f, &c, &nf, &startup, &provider, &mut n).await?;
    market::run(&mut ctx, &f, &c, &nf, &startup, &mut n).await?;

    say!("\nDemo complete.");
    Ok(())
}
