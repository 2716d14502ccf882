use anchor_lang::prelude::*;
use credit_math::underwriting::BORROWER_TIERS;

use crate::constants::{APPROVAL_SEED, PLATFORM};
use crate::error::CreditsError;
use crate::events::BorrowerApproved;
use crate::pda::init_zero_copy_account;
use crate::state::{Platform, UnderwritingApproval};

/// What the underwriter approves: a borrower, its tier, and how much compute financing it may
/// take in one quote currency, in all, until when.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApprovalTerms {
    pub borrower: Pubkey,
    /// The quote mint `max_principal` is counted in (the classes' quote currency).
    pub quote_mint: Pubkey,
    /// 0 pre-revenue, 1 seed, 2 Series A, 3 Series B+.
    pub tier: u8,
    /// Quote atoms, all financings under this approval together.
    pub max_principal: u64,
    /// Unix time; no financing may be accepted under the approval after it.
    pub expires_at: i64,
}

/// The platform's underwriter approves a borrower for compute financing: creates
/// `["approval", borrower, quote_mint]` (rent paid by the underwriter). One approval per
/// borrower and quote currency; to change it, revoke it and approve again.
#[derive(Accounts)]
#[instruction(terms: ApprovalTerms)]
pub struct ApproveBorrower<'info> {
    #[account(mut)]
    pub underwriter: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, has_one = underwriter @ CreditsError::NotUnderwriter)]
    pub platform: AccountLoader<'info, Platform>,
    /// CHECK: the approval PDA, created here (`AlreadyInitialized` if the borrower already has
    /// one in this quote currency).
    #[account(mut, seeds = [APPROVAL_SEED, terms.borrower.as_ref(), terms.quote_mint.as_ref()], bump)]
    pub approval: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl ApproveBorrower<'_> {
    pub fn handler(ctx: Context<Self>, terms: ApprovalTerms) -> Result<()> {
        require!(
            terms.borrower != Pubkey::default() && terms.quote_mint != Pubkey::default(),
            CreditsError::DefaultKey
        );
        require!(usize::from(terms.tier) < BORROWER_TIERS, CreditsError::InvalidLoanTerms);
        require!(terms.max_principal > 0, CreditsError::ZeroAmount);
        require!(terms.expires_at > Clock::get()?.unix_timestamp, CreditsError::ApprovalExpired);
        let approval = UnderwritingApproval {
            underwriter: ctx.accounts.underwriter.key(),
            borrower: terms.borrower,
            quote_mint: terms.quote_mint,
            max_principal: terms.max_principal,
            used_principal: 0,
            expires_at: terms.expires_at,
            tier: terms.tier,
            bump: ctx.bumps.approval,
            _padding: [0; 6],
        };
        init_zero_copy_account(
            &ctx.accounts.underwriter.to_account_info(),
            &ctx.accounts.approval.to_account_info(),
            &ctx.accounts.system_program.to_account_info(),
            &[APPROVAL_SEED, terms.borrower.as_ref(), terms.quote_mint.as_ref(), &[approval.bump]],
            &approval,
        )?;
        emit!(BorrowerApproved {
            approval: ctx.accounts.approval.key(),
            underwriter: approval.underwriter,
            borrower: terms.borrower,
            quote_mint: terms.quote_mint,
            tier: terms.tier,
            max_principal: terms.max_principal,
            expires_at: terms.expires_at,
        });
        Ok(())
    }
}
