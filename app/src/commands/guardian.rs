//! `guardian`: the platform guardian's hold on a credit account (`freeze`), and lifting it
//! (`thaw`; an account a loan also holds stays frozen). The account is named directly, or by
//! its owner (then the owner's associated account of the class's mint).
use clap::{Args, Subcommand};
use compute_credits::state::FreezeHold;
use credit_client::{ix, pda, read};
use solana_sdk::pubkey::Pubkey;

use super::accounts::{ata, load_class, token_account};
use super::args::ClassArg;
use super::output::{self, fact};
use super::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct GuardianArgs {
    #[command(subcommand)]
    pub command: GuardianCommand,
}

#[derive(Args)]
pub struct Target {
    /// A credit token account of the class, or a wallet (then its associated account).
    #[arg(value_name = "CREDIT_ACCOUNT_OR_OWNER")]
    pub target: Pubkey,
    /// The class (id or address).
    #[arg(long)]
    pub class: ClassArg,
    /// Reason code recorded in the event (the platform's own numbering).
    #[arg(long, default_value_t = 0)]
    pub reason: u16,
}

#[derive(Subcommand)]
pub enum GuardianCommand {
    /// Freeze a credit account (signer: the platform's guardian; it pays the hold records).
    Freeze(Target),
    /// Lift the guardian's hold (signer: the guardian).
    Thaw(Target),
}

/// (owner, credit account) of what the user named.
fn resolve(
    ctx: &Context,
    target: &Pubkey,
    mint: &Pubkey,
    program: &Pubkey,
) -> Result<(Pubkey, Pubkey), String> {
    if let Ok(Some(acc)) = token_account(ctx, target) {
        if acc.mint != *mint {
            return Err(format!(
                "{target} is a token account of mint {}, not of the class's {mint}",
                acc.mint
            ));
        }
        return Ok((acc.owner, *target));
    }
    // an account closed since its freeze: its hold record names the owner
    if let Ok(hold) = read::program_account::<FreezeHold>(&ctx.rpc, &pda::freeze_hold(target)) {
        return Ok((hold.owner, *target));
    }
    Ok((*target, ata(target, mint, program)))
}

pub fn run(ctx: &Context, args: GuardianArgs) -> CliResult {
    let (freeze, t) = match args.command {
        GuardianCommand::Freeze(t) => (true, t),
        GuardianCommand::Thaw(t) => (false, t),
    };
    let guardian = ctx.signer()?;
    let (class, c) = load_class(ctx, &t.class)?;
    let (owner, account) = resolve(ctx, &t.target, &c.credit_mint, &c.credit_token_program)?;
    let build = if freeze { ix::freeze_credits } else { ix::thaw_credits };
    let ix = build(
        &guardian.pubkey(),
        &class,
        &c.credit_mint,
        (&owner, &account),
        &c.credit_token_program,
        t.reason,
    );
    output::run(ctx, &[ix], &[guardian], &[fact("creditAccount", account), fact("owner", owner)])?;
    Ok(())
}
