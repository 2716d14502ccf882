use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};
use credit_math::fixed::mul_div_floor;
use credit_math::price::value_floor;
use credit_math::recovery::plan_seizure;
use credit_math::{CreditAtoms, QuoteAtoms};

use crate::constants::OWNER_HOLDS_SEED;
use crate::error::{CreditsError, MathResultExt};
use crate::events::CollateralLiquidated;
use crate::loans::{book_recovery, enforceable_debt, recovery_price};
use crate::state::{ClassRef, CreditClass, Loan, PriceFeed};
use crate::token::freeze::owner_is_held;
use crate::token::MintRef;
use crate::{oracle, token};

/// The lender of a defaulted or liquidatable loan takes collateral credits in kind: the fewest
/// whose value at the oracle's low price, less the liquidation discount, covers the whole debt
/// (at most `max_credits`). Proceeds apply fees, then interest, then principal. What the debt
/// does not need stays in the vault for the borrower (`release_collateral` returns it and lifts
/// the loan's freeze holds); when the vault runs dry first, the rest of the debt is written off.
#[derive(Accounts)]
pub struct LiquidateCollateral<'info> {
    pub lender: Signer<'info>,
    #[account(mut, has_one = lender @ CreditsError::NotLender, has_one = class @ CreditsError::WrongClass,
              has_one = vault @ CreditsError::WrongLoanAccount)]
    pub loan: AccountLoader<'info, Loan>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    pub price_feed: AccountLoader<'info, PriceFeed>,
    /// CHECK: the credit mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub credit_mint: UncheckedAccount<'info>,
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives the seized credits.
    #[account(mut, token::mint = credit_mint, token::authority = lender, token::token_program = credit_token_program)]
    pub lender_credits: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: `["owner_holds", credit_mint, lender]` (seeds checked); may not exist. A lender
    /// under a freeze hold takes no credits out of custody.
    #[account(seeds = [OWNER_HOLDS_SEED, credit_mint.key().as_ref(), lender.key().as_ref()], bump)]
    pub lender_holds: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
}

impl LiquidateCollateral<'_> {
    pub fn handler(ctx: Context<Self>, max_credits: u64) -> Result<()> {
        require!(max_credits > 0, CreditsError::ZeroAmount);
        let now = Clock::get()?.unix_timestamp;
        let a = &ctx.accounts;
        let class = ClassRef::load(&a.class)?;
        class.require_active()?;
        require!(
            !owner_is_held(&a.lender_holds.to_account_info(), &a.lender.key(), &class.credit_mint)?,
            CreditsError::OwnerUnderHold
        );
        let in_vault = a.vault.amount;
        // collateral resting in a sale on the market is the loan's too: valued, and not written
        // off while it is there
        let on_market = a.loan.load()?.sale_credits;
        let collateral = in_vault.checked_add(on_market).ok_or(CreditsError::MathOverflow)?;
        let low = oracle::load_price(&a.price_feed, &a.class.key(), now)?.band.low();
        let value = value_floor(CreditAtoms(collateral), low, class.decimals, class.quote_decimals)
            .or_credits_err()?;

        let (signer, seizure) = {
            let mut loan = a.loan.load_mut()?;
            let debt = enforceable_debt(a.loan.key(), &mut loan, value.0, collateral, now)?;
            let price = recovery_price(&loan, &class, low)?;
            let seizure =
                plan_seizure(&price, QuoteAtoms(debt), CreditAtoms(in_vault), CreditAtoms(max_credits))
                    .or_credits_err()?;
            (loan.signer(), seizure)
        };
        let (seized, repaid) = (seizure.credits.0, seizure.repaid.0);
        let left = in_vault - seized;
        let (outcome, lender, recovery_rate_bps, status) = {
            let mut loan = a.loan.load_mut()?;
            let outcome = book_recovery(&mut loan, repaid, seized, left + on_market)?;
            let rate =
                mul_div_floor(loan.recovered, 10_000, loan.debt_at_recovery.max(1)).or_credits_err()?;
            (outcome, loan.lender, rate, loan.ledger.status)
        };
        if seized > 0 {
            token::transfer_signed(
                &a.credit_token_program.to_account_info(),
                &a.vault,
                MintRef::new(&a.credit_mint, class.decimals),
                &a.lender_credits,
                &a.loan.to_account_info(),
                &signer.seeds(),
                seized,
            )?;
        }
        emit!(CollateralLiquidated {
            loan: a.loan.key(),
            lender,
            credits_seized: seized,
            debt_repaid: repaid,
            surplus_credits: if outcome.done && outcome.written_off == 0 { left } else { 0 },
            written_off: outcome.written_off,
            recovery_rate_bps,
            status,
        });
        Ok(())
    }
}
