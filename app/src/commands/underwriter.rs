//! `underwriter`: the platform underwriter approves a borrower for compute financing in one
//! quote currency (tier, principal limit, expiry), revokes the approval, and anyone reads it.
use clap::{Args, Subcommand, ValueEnum};
use compute_credits::state::UnderwritingApproval;
use compute_credits::ApprovalTerms;
use credit_client::{ix, pda, read};
use serde_json::json;
use solana_sdk::pubkey::Pubkey;

use super::accounts::{load_class, mint};
use super::args::{Amount, ClassArg};
use super::output::units;
use super::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct UnderwriterArgs {
    #[command(subcommand)]
    pub command: UnderwriterCommand,
}

/// The borrower's tier in the underwriting table (it sets the multiplier).
#[derive(Clone, Copy, ValueEnum)]
pub enum Tier {
    PreRevenue,
    Seed,
    SeriesA,
    SeriesBPlus,
}

/// Whose approval, in which quote currency.
#[derive(Args)]
pub struct Which {
    /// The borrower.
    #[arg(long)]
    pub borrower: Pubkey,
    /// The quote currency's mint (or give --class to use its quote mint).
    #[arg(long, required_unless_present = "class", conflicts_with = "class")]
    pub quote_mint: Option<Pubkey>,
    /// A class (id or address) whose quote mint the approval counts in.
    #[arg(long)]
    pub class: Option<ClassArg>,
}

impl Which {
    fn quote_mint(&self, ctx: &Context) -> Result<Pubkey, String> {
        match (&self.quote_mint, &self.class) {
            (Some(q), _) => Ok(*q),
            (None, Some(c)) => Ok(load_class(ctx, c)?.1.quote_mint),
            (None, None) => Err("give --quote-mint or --class".into()),
        }
    }
}

#[derive(Subcommand)]
pub enum UnderwriterCommand {
    /// Approve a borrower (signer: the platform's underwriter; it pays the approval's rent).
    Approve {
        #[command(flatten)]
        which: Which,
        #[arg(long, value_enum)]
        tier: Tier,
        /// Financing the borrower may take under it, all loans together: quote units (e.g.
        /// 1000000) or exact atoms (1000000000000atoms).
        #[arg(long)]
        max_principal: Amount,
        /// Unix time after which no financing may be accepted under it.
        #[arg(long, required_unless_present = "expires_in_days", conflicts_with = "expires_in_days")]
        expires_at: Option<i64>,
        /// Or: that many days from the cluster's clock.
        #[arg(long)]
        expires_in_days: Option<u32>,
    },
    /// Revoke an approval (signer: the underwriter; the rent returns to it).
    Revoke {
        #[command(flatten)]
        which: Which,
    },
    /// Print an approval: tier, limit, used, expiry, who signed it.
    Show {
        #[command(flatten)]
        which: Which,
    },
}

pub fn run(ctx: &Context, args: UnderwriterArgs) -> CliResult {
    match args.command {
        UnderwriterCommand::Approve { which, tier, max_principal, expires_at, expires_in_days } => {
            let underwriter = ctx.signer()?;
            let quote_mint = which.quote_mint(ctx)?;
            let (_, q) = mint(ctx, &quote_mint)?;
            let expires_at = match (expires_at, expires_in_days) {
                (Some(t), _) => t,
                (None, Some(days)) => {
                    read::now(&ctx.rpc).map_err(|e| e.to_string())? + i64::from(days) * 86_400
                }
                (None, None) => return Err("give --expires-at or --expires-in-days".into()),
            };
            let terms = ApprovalTerms {
                borrower: which.borrower,
                quote_mint,
                tier: tier as u8,
                max_principal: max_principal.atoms(q.decimals)?,
                expires_at,
            };
            ctx.run(&[ix::approve_borrower(&underwriter.pubkey(), terms)], &[underwriter])?;
        }
        UnderwriterCommand::Revoke { which } => {
            let underwriter = ctx.signer()?;
            let approval = pda::approval(&which.borrower, &which.quote_mint(ctx)?);
            ctx.run(&[ix::revoke_approval(&underwriter.pubkey(), &approval)], &[underwriter])?;
        }
        UnderwriterCommand::Show { which } => {
            let quote_mint = which.quote_mint(ctx)?;
            let address = pda::approval(&which.borrower, &quote_mint);
            let a: UnderwritingApproval = read::program_account(&ctx.rpc, &address)
                .map_err(|e| format!("approval of {} in {quote_mint}: {e}", which.borrower))?;
            let d = mint(ctx, &quote_mint)?.1.decimals;
            let tier = ["pre-revenue", "seed", "series-a", "series-b-plus"].get(usize::from(a.tier)).copied();
            let current = read::platform(&ctx.rpc).map(|p| p.underwriter == a.underwriter).unwrap_or(false);
            ctx.print(
                &format!(
                    "Approval: {address}\nBorrower: {}\nQuote mint: {}\nTier: {}\nMax principal: {}\n\
                     Used: {}\nRemaining: {}\nExpires at: {}\nUnderwriter: {}{}",
                    a.borrower,
                    a.quote_mint,
                    tier.unwrap_or("unknown"),
                    units(a.max_principal, d),
                    units(a.used_principal, d),
                    units(a.remaining(), d),
                    a.expires_at,
                    a.underwriter,
                    if current { "" } else { " (no longer the platform's underwriter: void)" }
                ),
                &json!({
                    "address": address.to_string(),
                    "borrower": a.borrower.to_string(),
                    "quoteMint": a.quote_mint.to_string(),
                    "tier": a.tier,
                    "maxPrincipal": a.max_principal,
                    "usedPrincipal": a.used_principal,
                    "remaining": a.remaining(),
                    "expiresAt": a.expires_at,
                    "underwriter": a.underwriter.to_string(),
                    "underwriterIsCurrent": current,
                }),
            );
        }
    }
    Ok(())
}
