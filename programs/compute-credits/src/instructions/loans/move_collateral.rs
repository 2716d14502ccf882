use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

use crate::constants::OWNER_HOLDS_SEED;
use crate::error::CreditsError;
use crate::events::CollateralMoved;
use crate::loans::check_borrower_move;
use crate::state::{ClassRef, CreditClass, Loan, PriceFeed};
use crate::token::{self, MintRef};

/// The borrower moves collateral between the vault and its own credit account.
#[derive(Accounts)]
pub struct MoveCollateral<'info> {
    pub borrower: Signer<'info>,
    #[account(mut, has_one = borrower @ CreditsError::NotBorrower, has_one = class @ CreditsError::WrongClass,
              has_one = vault @ CreditsError::WrongLoanAccount)]
    pub loan: AccountLoader<'info, Loan>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    /// Needed when the loan has a maintenance ratio (withdrawals are checked against it).
    pub price_feed: Option<AccountLoader<'info, PriceFeed>>,
    /// CHECK: the credit mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub credit_mint: UncheckedAccount<'info>,
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, token::mint = credit_mint, token::authority = borrower, token::token_program = credit_token_program)]
    pub borrower_credits: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: `["owner_holds", credit_mint, borrower]` (seeds checked); may not exist. A
    /// borrower under any freeze hold takes no credits out of the vault.
    #[account(seeds = [OWNER_HOLDS_SEED, credit_mint.key().as_ref(), borrower.key().as_ref()], bump)]
    pub borrower_holds: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
}

impl MoveCollateral<'_> {
    /// Withdraws `amount` credits to the borrower's wallet while the loan, re-measured now, is
    /// current, not frozen, and coverage after the move stays at or above maintenance.
    pub fn withdraw(ctx: Context<Self>, amount: u64) -> Result<()> {
        let a = &ctx.accounts;
        let class = ClassRef::load(&a.class)?;
        let (signer, left) = check_borrower_move(
            &a.loan,
            &class,
            a.price_feed.as_ref(),
            &a.borrower_holds,
            a.vault.amount,
            amount,
        )?;
        let seeds = signer.seeds();
        token::transfer_signed(
            &a.credit_token_program.to_account_info(),
            &a.vault,
            MintRef::new(&a.credit_mint, class.decimals),
            &a.borrower_credits,
            &a.loan.to_account_info(),
            &seeds,
            amount,
        )?;
        emit!(CollateralMoved {
            loan: a.loan.key(),
            direction: 0,
            amount,
            vault_balance: left,
            provider: Pubkey::default(),
            usage_reference: [0; 32],
        });
        Ok(())
    }

    /// Adds `amount` credits from the borrower's wallet to the vault (restores coverage; the
    /// crank then cures a margin call).
    pub fn top_up(ctx: Context<Self>, amount: u64) -> Result<()> {
        require!(amount > 0, CreditsError::ZeroAmount);
        let a = &ctx.accounts;
        let class = ClassRef::load(&a.class)?;
        class.require_active()?;
        require!(a.loan.load()?.status().is_open(), CreditsError::LoanNotOpen);
        token::transfer_checked(
            &a.credit_token_program.to_account_info(),
            &a.borrower_credits,
            MintRef::new(&a.credit_mint, class.decimals),
            &a.vault,
            &a.borrower.to_account_info(),
            amount,
        )?;
        emit!(CollateralMoved {
            loan: a.loan.key(),
            direction: 1,
            amount,
            vault_balance: a.vault.amount.checked_add(amount).ok_or(CreditsError::MathOverflow)?,
            provider: Pubkey::default(),
            usage_reference: [0; 32],
        });
        Ok(())
    }
}
