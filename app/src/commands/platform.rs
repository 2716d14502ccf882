//! `platform`: the admin's commands. `init` (signed by the program's upgrade authority, who
//! becomes admin), `show`, `update` (guardian, treasury, fees), the two-step admin handover
//! (`propose-admin`, `accept-admin`) and `set-underwriter`.
use clap::{Args, Subcommand};
use compute_credits::FeeSettings;
use credit_client::{ix, pda, read};
use serde_json::json;
use solana_sdk::pubkey::Pubkey;

use super::output::key_or_none;
use super::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct PlatformArgs {
    #[command(subcommand)]
    pub command: PlatformCommand,
}

#[derive(Args)]
pub struct FeeFlags {
    /// Fee on purchases, in basis points on top of the price (100 = 1%; at most 1,000).
    #[arg(long, value_name = "BPS")]
    pub purchase_fee_bps: Option<u16>,
    /// Fee on credit-backed loan principal at origination, in basis points (at most 1,000).
    #[arg(long, value_name = "BPS")]
    pub origination_fee_bps: Option<u16>,
}

#[derive(Subcommand)]
pub enum PlatformCommand {
    /// Create the platform. The signer (-k) must be the program's upgrade authority; it becomes
    /// the admin.
    Init {
        /// May freeze and thaw credit accounts and pause classes. Default: the signer.
        #[arg(long)]
        guardian: Option<Pubkey>,
        /// Owns the treasury's token accounts (payments and fees). Default: the signer.
        #[arg(long)]
        treasury: Option<Pubkey>,
        #[command(flatten)]
        fees: FeeFlags,
    },
    /// Print the platform: admin, pending admin, guardian, treasury, underwriter, fees.
    Show,
    /// Change the guardian, the treasury or the fees (what is not given stays). Admin only.
    Update {
        #[arg(long)]
        guardian: Option<Pubkey>,
        #[arg(long)]
        treasury: Option<Pubkey>,
        #[command(flatten)]
        fees: FeeFlags,
    },
    /// Propose a new admin (it becomes admin when it signs `accept-admin`). Admin only.
    ProposeAdmin { new_admin: Pubkey },
    /// Become admin: the signer must be the proposed admin.
    AcceptAdmin,
    /// Name the underwriter that approves borrowers for compute financing (approvals signed by
    /// a previous underwriter stop counting). Admin only.
    SetUnderwriter { underwriter: Pubkey },
}

pub fn run(ctx: &Context, args: PlatformArgs) -> CliResult {
    match args.command {
        PlatformCommand::Init { guardian, treasury, fees } => {
            let admin = ctx.signer()?;
            let fees = FeeSettings {
                purchase_fee_bps: fees.purchase_fee_bps.unwrap_or(0),
                origination_fee_bps: fees.origination_fee_bps.unwrap_or(0),
            };
            let me = admin.pubkey();
            let ix = ix::initialize_platform(&me, &guardian.unwrap_or(me), &treasury.unwrap_or(me), fees);
            ctx.run(&[ix], &[admin])?;
        }
        PlatformCommand::Show => show(ctx)?,
        PlatformCommand::Update { guardian, treasury, fees } => {
            let admin = ctx.signer()?;
            let p = read::platform(&ctx.rpc).map_err(|e| format!("platform: {e}"))?;
            let fees = FeeSettings {
                purchase_fee_bps: fees.purchase_fee_bps.unwrap_or(p.purchase_fee_bps),
                origination_fee_bps: fees.origination_fee_bps.unwrap_or(p.origination_fee_bps),
            };
            let ix = ix::update_platform(
                &admin.pubkey(),
                &guardian.unwrap_or(p.guardian),
                &treasury.unwrap_or(p.treasury),
                fees,
            );
            ctx.run(&[ix], &[admin])?;
        }
        PlatformCommand::ProposeAdmin { new_admin } => {
            let admin = ctx.signer()?;
            ctx.run(&[ix::propose_admin(&admin.pubkey(), &new_admin)], &[admin])?;
        }
        PlatformCommand::AcceptAdmin => {
            let pending = ctx.signer()?;
            ctx.run(&[ix::accept_admin(&pending.pubkey())], &[pending])?;
        }
        PlatformCommand::SetUnderwriter { underwriter } => {
            let admin = ctx.signer()?;
            ctx.run(&[ix::set_underwriter(&admin.pubkey(), &underwriter)], &[admin])?;
        }
    }
    Ok(())
}

fn show(ctx: &Context) -> CliResult {
    let p = read::platform(&ctx.rpc)
        .map_err(|e| format!("platform: {e} (is the program deployed and `app platform init` done?)"))?;
    let address = pda::platform();
    let text = format!(
        "Platform: {address}\nAdmin: {}\nPending admin: {}\nGuardian: {}\nTreasury: {}\nUnderwriter: {}\n\
         Classes: {}\nPurchase fee: {} bps\nOrigination fee: {} bps",
        p.admin,
        key_or_none(&p.pending_admin),
        p.guardian,
        p.treasury,
        key_or_none(&p.underwriter),
        p.class_count,
        p.purchase_fee_bps,
        p.origination_fee_bps
    );
    let opt = |k: &Pubkey| (*k != Pubkey::default()).then(|| k.to_string());
    ctx.print(
        &text,
        &json!({
            "address": address.to_string(),
            "admin": p.admin.to_string(),
            "pendingAdmin": opt(&p.pending_admin),
            "guardian": p.guardian.to_string(),
            "treasury": p.treasury.to_string(),
            "underwriter": opt(&p.underwriter),
            "classCount": p.class_count,
            "purchaseFeeBps": p.purchase_fee_bps,
            "originationFeeBps": p.origination_fee_bps,
        }),
    );
    Ok(())
}
