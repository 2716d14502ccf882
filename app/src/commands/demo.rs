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

fn usd(atoms: u64) -> String {
    format!("${}.{:02}", atoms / 1_000_000, (atoms % 1_000_000) / 10_000)
}

fn credits(atoms: u64) -> String {
    format!("{}.{:06}", atoms / 1_000_000, atoms % 1_000_000)
}

fn step(n: &mut u32, text: &str) {
    *n += 1;
    println!("\n{n:>2}. {text}");
}

fn ok(r: &TxResult) -> Result<(), String> {
    match &r.result {
        Ok(()) => Ok(()),
        Err(e) => Err(format!("unexpected failure: {e:?}\n{:#?}", r.logs)),
    }
}

pub async fn run(args: DemoArgs) -> CliResult {
    let mode = if args.sbf { Mode::Sbf } else { Mode::Native };
    let mut ctx = TestContext::start_in(mode).await;
    let mut n = 0;
    println!("Compute credits demo on an embedded bank ({mode:?} program, real SPL Token / Token-2022 / ATA programs)");

    step(&mut n, "Initialise the platform: admin, emergency guardian, treasury; 1% purchase fee");
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    println!("    platform {}  admin {}", f.platform, f.admin.pubkey());
    println!("    quote currency (USDC-like, SPL Token, 6 decimals) {}", f.quote_mint);

    step(&mut n, "Create the credit class \"H100 GPU-hour\" (Token-2022 mint with metadata + Pausable)");
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    println!("    class {}  mint {}", c.class, c.mint);
    println!(
        "    mint, freeze, pause and metadata authority: the class PDA (no private key can mint or freeze)"
    );
    println!("    list price {} per GPU-hour", usd(c.list_price));

    step(&mut n, "An AI startup buys 400 GPU-hours at the list price (pays into the treasury, credits minted atomically)");
    let startup = f.user(&mut ctx, &c, 2_000_000_000).await;
    ok(&f.buy(&mut ctx, &c, &startup, 400_000_000).await)?;
    println!(
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
    println!(
        "    startup holds {} credits; class minted {} burned {}; supply {}",
        credits(ctx.balance(startup.credits).await),
        credits(class.minted),
        credits(class.burned),
        credits(ctx.mint_supply(c.mint).await)
    );

    step(&mut n, "The guardian freezes the startup's credit account (reason code 1)");
    let g = f.guardian.pubkey();
    ok(&ctx
        .send(&[freeze_credits(&g, &c.class, &c.mint, &startup.credits, &c.program, 1)], &[&f.guardian])
        .await)?;
    println!("    frozen: {}", ctx.token_account(startup.credits).await.frozen);

    step(&mut n, "The startup tries to transfer 10 credits to another wallet");
    let other = f.user(&mut ctx, &c, 0).await;
    let r = ctx.raw_transfer(&c, &startup.credits, &other.credits, &startup.key, 10_000_000).await;
    if custom_code(&r) != Some(TokenError::AccountFrozen as u32) {
        return Err(format!("the transfer should have been refused as frozen: {:?}", r.result));
    }
    println!("    refused by Token-2022 itself: AccountFrozen");

    step(&mut n, "The guardian thaws the account; the same transfer goes through");
    ok(&ctx
        .send(&[thaw_credits(&g, &c.class, &c.mint, &startup.credits, &c.program, 1)], &[&f.guardian])
        .await)?;
    ok(&ctx.raw_transfer(&c, &startup.credits, &other.credits, &startup.key, 10_000_000).await)?;
    println!("    other wallet holds {} credits", credits(ctx.balance(other.credits).await));

    step(&mut n, "The guardian pauses the class: the mint itself stops every transfer");
    ok(&ctx.send(&[pause_class(&g, &c.class, &c.mint, &c.program)], &[&f.guardian]).await)?;
    let r = ctx.raw_transfer(&c, &startup.credits, &other.credits, &startup.key, 1_000_000).await;
    if custom_code(&r) != Some(TokenError::MintPaused as u32) {
        return Err(format!("the transfer should have been refused as paused: {:?}", r.result));
    }
    println!("    transfer refused by Token-2022: MintPaused");

    step(&mut n, "The admin resumes the class");
    ok(&ctx.send(&[resume_class(&f.admin.pubkey(), &c.class, &c.mint, &c.program)], &[&f.admin]).await)?;
    ok(&ctx.raw_transfer(&c, &startup.credits, &other.credits, &startup.key, 1_000_000).await)?;
    println!("    transfers flow again");

    println!("\nDemo complete.");
    Ok(())
}
