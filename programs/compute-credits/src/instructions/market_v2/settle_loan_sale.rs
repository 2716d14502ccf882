use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};
use credit_math::{CreditAtoms, QuoteAtoms};

use super::loan_seat::{loan_seat, recorded_index};
use super::{engine_error, event_buffer};
use crate::constants::{MARKET_AUTHORITY_SEED, SEAT_SEED};
use crate::error::{CreditsError, MathResultExt};
use crate::events::CollateralSold;
use crate::events_v2::log_events;
use crate::loans::{book_recovery, evaluate};
use crate::state::{split_market, ClassRef, CreditClass, Loan, MarketV2};
use crate::token::{self, MintRef};

/// Anyone (permissionless; `cancel_orders` needs the lender of record): settles a liquidation
/// sale resting in the loan's seat (`["seat", market, loan]`). The seat's quote proceeds leave
/// only through the loan's waterfall (`book_recovery`: up to the debt to a quote account of the
/// lender of record, the rest to one of the borrower; all to the borrower once the loan is
/// closed), and the seat's free credits (expired, cancelled or dust-removed remainders) go back
/// to the loan's vault (they wait in the seat while the vault is frozen). Never to any other
/// wallet.
///
/// The sale's resting orders are pulled (their credits back to the vault) when the lender asks
/// (`cancel_orders`), and always once the loan is closed (repaid, liquidated, written off) or
/// no longer enforceable (cured): a borrower who pays up can pull the sale of its collateral.
/// With nothing to do (no proceeds, no free credits, nothing to pull) it is refused
/// (`NothingToSettle`). Refused while the class is paused (it changes who is owed what).
#[derive(Accounts)]
pub struct SettleLoanSale<'info> {
    pub caller: Signer<'info>,
    #[account(mut, has_one = class @ CreditsError::WrongClass, has_one = vault @ CreditsError::WrongLoanAccount)]
    pub loan: AccountLoader<'info, Loan>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram,
              has_one = quote_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    #[account(mut, has_one = class @ CreditsError::WrongClass, has_one = quote_mint @ CreditsError::WrongClass,
              has_one = base_vault @ CreditsError::WrongMarketAccount, has_one = quote_vault @ CreditsError::WrongMarketAccount,
              has_one = market_authority @ CreditsError::WrongMarketAccount)]
    pub market: AccountLoader<'info, MarketV2>,
    /// CHECK: `["seat", market, loan]` (seeds checked): the loan's seat record.
    #[account(seeds = [SEAT_SEED, market.key().as_ref(), loan.key().as_ref()], bump)]
    pub loan_seat: UncheckedAccount<'info>,
    /// CHECK: the vaults' owner, `market.market_authority` (`has_one`); signs payouts.
    pub market_authority: UncheckedAccount<'info>,
    /// CHECK: the credit mint, its key checked against the class (with its decimals); the
    /// token program checks it again in every CPI.
    pub credit_mint: UncheckedAccount<'info>,
    /// CHECK: the quote mint, its key checked against the market (with its decimals); the
    /// token program checks it again in every CPI.
    pub quote_mint: UncheckedAccount<'info>,
    /// The loan's collateral vault: receives the seat's free credits.
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: its key is checked against the market (`has_one`); only token CPIs use it.
    #[account(mut)]
    pub base_vault: UncheckedAccount<'info>,
    /// CHECK: its key is checked against the market (`has_one`); only token CPIs use it.
    #[account(mut)]
    pub quote_vault: UncheckedAccount<'info>,
    /// A quote account of the lender of record (`WrongLoanAccount` otherwise).
    #[account(mut, token::mint = quote_mint, token::token_program = quote_token_program)]
    pub lender_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    /// A quote account of the borrower (`WrongLoanAccount` otherwise).
    #[account(mut, token::mint = quote_mint, token::token_program = quote_token_program)]
    pub borrower_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub quote_token_program: Interface<'info, TokenInterface>,
}

impl SettleLoanSale<'_> {
    pub fn handler(ctx: Context<Self>, cancel_orders: bool) -> Result<()> {
        let a = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let class = ClassRef::load(&a.class)?;
        class.require_active()?;
        let (loan_key, market_key) = (a.loan.key(), a.market.key());
        let (on_market, lender, borrower) = {
            let loan = a.loan.load()?;
            (loan.sale_credits, loan.lender, loan.borrower)
        };
        require!(!cancel_orders || a.caller.key() == lender, CreditsError::NotLender);
        require_keys_eq!(a.lender_quote.owner, lender, CreditsError::WrongLoanAccount);
        require_keys_eq!(a.borrower_quote.owner, borrower, CreditsError::WrongLoanAccount);
        require!(on_market > 0, CreditsError::NothingToSettle);
        let seat = recorded_index(&a.loan_seat.to_account_info())?.ok_or(CreditsError::NoSeat)?;
        let in_vault = a.vault.amount;
        let vault_open = !a.vault.is_frozen();

        // the loan as it stands now (accrued; coverage as last measured)
        let (open, enforceable, debt) = {
            let mut loan = a.loan.load_mut()?;
            let status = loan.status();
            if status.is_open() {
                let status = evaluate(loan_key, &mut loan, None, in_vault + on_market, now)?;
                let debt = loan.ledger().debt().or_credits_err()?;
                (true, status.is_enforceable(), debt)
            } else {
                (false, false, 0)
            }
        };

        let (proceeds, returned, sold, left_in_seat, bump) = {
            let info = a.market.to_account_info();
            let mut data = info.try_borrow_mut_data()?;
            let (m, seats) = split_market(&mut data)?;
            let count = m.header().seat_count;
            let s = *loan_seat(seats, count, seat, &loan_key)?;
            let in_seat = s.base_free.0 + s.base_locked.0;
            let sold = on_market.checked_sub(in_seat).ok_or(CreditsError::MathOverflow)?;
            let proceeds = s.quote_free.0;
            // the sale ends when the lender says so, the loan closes or is paid off by these
            // proceeds, or it is no longer enforceable
            let pays_off = open && proceeds >= debt;
            let pull = s.order_count > 0 && (cancel_orders || !open || !enforceable || pays_off);
            let returning = vault_open && (s.base_free.0 > 0 || pull);
            require!(proceeds > 0 || pull || returning, CreditsError::NothingToSettle);
            let mut events = event_buffer();
            let mut engine = m.engine(seats);
            if pull {
                engine.cancel_all(seat, &mut events).map_err(engine_error)?;
            }
            let s = engine.seats[seat as usize];
            let returned = if vault_open { s.base_free.0 } else { 0 };
            if returned > 0 || proceeds > 0 {
                engine
                    .withdraw(seat, CreditAtoms(returned), QuoteAtoms(proceeds), &mut events)
                    .map_err(engine_error)?;
            }
            log_events(&market_key, &events);
            let s = engine.seats[seat as usize];
            (proceeds, returned, sold, s.base_free.0 + s.base_locked.0, m.authority_bump)
        };

        let (repaid, status) = {
            let mut loan = a.loan.load_mut()?;
            let repaid = if open && proceeds > 0 {
                let repaid = proceeds.min(debt);
                // the collateral left: the vault (with what comes back) and what still rests
                book_recovery(&mut loan, repaid, sold, in_vault + returned + left_in_seat)?;
                repaid
            } else {
                0
            };
            loan.sale_credits = left_in_seat;
            (repaid, loan.ledger.status)
        };
        let surplus = proceeds - repaid;

        let market_seeds: [&[u8]; 3] = [MARKET_AUTHORITY_SEED, market_key.as_ref(), &[bump]];
        let authority = a.market_authority.to_account_info();
        if returned > 0 {
            token::transfer_signed(
                &a.credit_token_program.to_account_info(),
                &a.base_vault,
                MintRef::new(&a.credit_mint, class.decimals),
                &a.vault,
                &authority,
                &market_seeds,
                returned,
            )?;
        }
        let quote_program = a.quote_token_program.to_account_info();
        for (to, amount) in [(&a.lender_quote, repaid), (&a.borrower_quote, surplus)] {
            if amount > 0 {
                token::transfer_signed(
                    &quote_program,
                    &a.quote_vault,
                    MintRef::new(&a.quote_mint, class.quote_decimals),
                    to,
                    &authority,
                    &market_seeds,
                    amount,
                )?;
            }
        }
        if proceeds > 0 {
            emit!(CollateralSold {
                loan: loan_key,
                market: market_key,
                credits_sold: sold,
                proceeds,
                debt_repaid: repaid,
                surplus,
                status,
            });
        }
        Ok(())
    }
}
