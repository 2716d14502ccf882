use crate::constants::PLATFORM;
use crate::error::CreditsError;
use crate::events::ApprovalRevoked;
use crate::state::{Platform, UnderwritingApproval};
use anchor_lang::prelude::*;

/// The platform's underwriter withdraws an approval: the account closes (rent to the
/// underwriter) and no further financing can be accepted under it. Loans already accepted are
/// unaffected; offers posted under it can no longer be accepted.
#[derive(Accounts)]
pub struct RevokeApproval<'info> {
    #[account(mut)]
    pub underwriter: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, has_one = underwriter @ CreditsError::NotUnderwriter)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut, close = underwriter)]
    pub approval: AccountLoader<'info, UnderwritingApproval>,
}

impl RevokeApproval<'_> {
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let approval = ctx.accounts.approval.load()?;
        emit!(ApprovalRevoked {
            approval: ctx.accounts.approval.key(),
            borrower: approval.borrower,
            quote_mint: approval.quote_mint,
            used_principal: approval.used_principal,
        });
        Ok(())
    }
}
