use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

use crate::constants::OWNER_HOLDS_SEED;
use crate::error::CreditsError;
use crate::events::CollateralMoved;
use crate::loans::check_borrower_move;
use crate::state::{ClassRef, CreditClass, Loan, PriceFeed, Provider};
use crate::token::{self, MintRef};

/// The borrower consumes collateral credits straight from the vault: a registered provider
/// co-signs and the credits burn, while coverage after the burn stays at or above maintenance.
/// Vault credits never reach a third party while the loan is open. The provider is never the
/// borrower itself (`SelfRedemption`): a borrower registered as a provider would otherwise burn
/// the lender's collateral against "compute" it delivered to itself. The loan is re-measured
/// first (see `check_borrower_move`).
#[derive(Accounts)]
pub struct RedeemFromVault<'info> {
    pub borrower: Signer<'info>,
    #[account(constraint = provider_authority.key() != borrower.key() @ CreditsError::SelfRedemption)]
    pub provider_authority: Signer<'info>,
    #[account(mut, has_one = borrower @ CreditsError::NotBorrower, has_one = class @ CreditsError::WrongClass,
              has_one = vault @ CreditsError::WrongLoanAccount)]
    pub loan: AccountLoader<'info, Loan>,
    #[account(mut, has_one = credit_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    #[account(mut, has_one = class @ CreditsError::WrongClass,
              constraint = provider.load()?.authority == provider_authority.key() @ CreditsError::NotProvider)]
    pub provider: AccountLoader<'info, Provider>,
    pub price_feed: Option<AccountLoader<'info, PriceFeed>>,
    /// CHECK: the credit mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    #[account(mut)]
    pub credit_mint: UncheckedAccount<'info>,
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: `["owner_holds", credit_mint, borrower]` (seeds checked); may not exist. A
    /// borrower under any freeze hold consumes no vault credits.
    #[account(seeds = [OWNER_HOLDS_SEED, credit_mint.key().as_ref(), borrower.key().as_ref()], bump)]
    pub borrower_holds: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
}

impl RedeemFromVault<'_> {
    pub fn handler(mut ctx: Context<Self>, amount: u64, usage_reference: [u8; 32]) -> Result<()> {
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
        token::burn_signed(
            &a.credit_token_program.to_account_info(),
            MintRef::new(&a.credit_mint, class.decimals),
            &a.vault,
            &a.loan.to_account_info(),
            &seeds,
            amount,
        )?;
        let a = &mut ctx.accounts;
        crate::instructions::credits::record_redemption(
            &a.provider,
            &a.class,
            a.borrower.key(),
            a.provider_authority.key(),
            amount,
            usage_reference,
        )?;
        emit!(CollateralMoved {
            loan: a.loan.key(),
            direction: 2,
            amount,
            vault_balance: left,
            provider: a.provider_authority.key(),
            usage_reference,
        });
        Ok(())
    }
}
