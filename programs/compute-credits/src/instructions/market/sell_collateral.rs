use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};
use credit_math::book::{BaseLots, OrderKind, OrderRequest, Side, Ticks};
use credit_math::ledger::LoanStatus;

use crate::constants::*;
use crate::error::{CreditsError, MathResultExt};
use crate::events::CollateralSold;
use crate::instructions::market::place_order::{book_error, OrderType};
use crate::loans::{collateral_value, evaluate};
use crate::settlement::settle;
use crate::state::{seat_tag, ClassRef, CreditClass, Loan, Market, Platform, PriceFeed};
use crate::token::freeze::{
    set_credit_account_frozen, FreezeGrant, REASON_LOAN_DEFAULT, REASON_LOAN_RELEASED,
};
use crate::token::{self, MintRef};

/// The lender of a defaulted or liquidatable loan sells collateral from the loan's vault on the
/// market (immediate-or-cancel or fill-or-kill: a sale never rests). The proceeds pay the loan
/// down through its waterfall (fees, interest, principal) to the lender of record; anything
/// beyond the debt goes to the borrower.
#[derive(Accounts)]
pub struct SellCollateral<'info> {
    pub lender: Signer<'info>,
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut, has_one = lender @ CreditsError::NotLender, has_one = class @ CreditsError::WrongClass,
              has_one = vault @ CreditsError::WrongLoanAccount, has_one = lender_quote @ CreditsError::WrongLoanAccount)]
    pub loan: AccountLoader<'info, Loan>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass,
              constraint = class.load()?.credit_token_program == credit_token_program.key() @ CreditsError::WrongTokenProgram,
              constraint = class.load()?.quote_token_program == quote_token_program.key() @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    pub price_feed: AccountLoader<'info, PriceFeed>,
    #[account(mut, has_one = class @ CreditsError::WrongClass, has_one = quote_mint @ CreditsError::WrongClass,
              has_one = base_vault @ CreditsError::WrongMarketAccount, has_one = quote_vault @ CreditsError::WrongMarketAccount,
              has_one = market_authority @ CreditsError::WrongMarketAccount)]
    pub market: AccountLoader<'info, Market>,
    /// CHECK: the vaults' owner, `market.market_authority` (`has_one`); signs payouts.
    pub market_authority: UncheckedAccount<'info>,
    /// CHECK: the credit mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub credit_mint: UncheckedAccount<'info>,
    /// CHECK: the quote mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub quote_mint: UncheckedAccount<'info>,
    /// The loan's collateral vault.
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: its key is checked against the market (`has_one`); only token CPIs use it.
    #[account(mut)]
    pub base_vault: UncheckedAccount<'info>,
    /// CHECK: its key is checked against the market (`has_one`); only token CPIs use it.
    #[account(mut)]
    pub quote_vault: UncheckedAccount<'info>,
    #[account(mut, token::mint = quote_mint, token::token_program = quote_token_program,
              constraint = treasury_quote.owner == platform.load()?.treasury @ CreditsError::WrongTreasury)]
    pub treasury_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub lender_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives proceeds beyond the debt.
    #[account(mut, token::mint = quote_mint, token::token_program = quote_token_program)]
    pub borrower_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub quote_token_program: Interface<'info, TokenInterface>,
}

impl SellCollateral<'_> {
    pub fn handler(ctx: Context<Self>, order_type: OrderType, price_ticks: u64, lots: u64) -> Result<()> {
        let a = &ctx.accounts;
        let kind = match order_type {
            OrderType::ImmediateOrCancel => OrderKind::ImmediateOrCancel,
            OrderType::FillOrKill => OrderKind::FillOrKill,
            _ => return err!(CreditsError::SaleMustNotRest),
        };
        let now = Clock::get()?.unix_timestamp;
        let class = ClassRef::load(&a.class)?;
        let in_vault = a.vault.amount;
        let value = collateral_value(&class, &a.price_feed, in_vault, now)?;
        let (loan_key, market_key) = (a.loan.key(), a.market.key());
        let (signer, borrower, was_frozen, debt) = {
            let mut loan = a.loan.load_mut()?;
            require!(loan.status().is_open(), CreditsError::LoanNotOpen);
            require_keys_eq!(a.borrower_quote.owner, loan.borrower, CreditsError::WrongLoanAccount);
            let status = evaluate(loan_key, &mut loan, Some(value), in_vault, now)?;
            require!(status.is_enforceable(), CreditsError::LoanNotEnforceable);
            let debt = loan.ledger().debt().or_credits_err()?;
            if loan.debt_at_recovery == 0 {
                loan.debt_at_recovery = debt;
            }
            (loan.signer(), loan.borrower, loan.frozen != 0, debt)
        };

        let (flows, market_bump) = {
            let mut m = a.market.load_mut()?;
            require!(m.paused == 0, CreditsError::MarketPaused);
            require!(price_ticks > 0 && lots >= m.min_lots, CreditsError::InvalidOrder);
            let seat = m.seat_or_new(&loan_key)?;
            let req = OrderRequest {
                side: Side::Ask,
                kind,
                limit: Ticks(price_ticks),
                lots: BaseLots(lots),
                owner: seat_tag(seat),
                expiry: 0,
            };
            let out = m.book_mut().place(req, now, MAX_MATCH_STEPS).map_err(book_error)?;
            let flows = settle(&mut m, None, Side::Ask, price_ticks, &out, &mut Vec::new())?;
            (flows, m.authority_bump)
        };
        require!(flows.base_in <= in_vault, CreditsError::InsufficientCoverage);
        let repaid = flows.quote_out.min(debt);
        let surplus = flows.quote_out - repaid;

        let (credit_program, quote_program) =
            (a.credit_token_program.to_account_info(), a.quote_token_program.to_account_info());
        let loan_info = a.loan.to_account_info();
        let loan_seeds = signer.seeds();
        let (lender_key, vault_key) = (a.lender.key(), a.vault.key());
        let grant = move |reason| FreezeGrant::Loan {
            loan: loan_key,
            actor: lender_key,
            borrower,
            vault: vault_key,
            reason,
        };
        if a.vault.is_frozen() {
            set_credit_account_frozen(
                grant(REASON_LOAN_RELEASED),
                &class,
                &credit_program,
                &a.credit_mint.to_account_info(),
                &a.vault,
                false,
            )?;
        }
        if flows.base_in > 0 {
            token::transfer_signed(
                &credit_program,
                &a.vault,
                MintRef::new(&a.credit_mint, class.decimals),
                &a.base_vault,
                &loan_info,
                &loan_seeds,
                flows.base_in,
            )?;
        }
        let market_seeds: [&[u8]; 3] = [MARKET_AUTHORITY_SEED, market_key.as_ref(), &[market_bump]];
        let authority = a.market_authority.to_account_info();
        for (to, amount) in
            [(&a.treasury_quote, flows.fees), (&a.lender_quote, repaid), (&a.borrower_quote, surplus)]
        {
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

        let mut loan = a.loan.load_mut()?;
        let mut ledger = loan.ledger();
        ledger.recover(repaid).or_credits_err()?;
        let left = in_vault - flows.base_in;
        if ledger.debt().or_credits_err()? == 0 {
            ledger.status = LoanStatus::Liquidated as u8;
        } else if left == 0 {
            loan.written_off = ledger.write_off().or_credits_err()?;
        }
        loan.set_ledger(ledger);
        loan.credits_seized =
            loan.credits_seized.checked_add(flows.base_in).ok_or(CreditsError::MathOverflow)?;
        loan.recovered = loan.recovered.checked_add(repaid).ok_or(CreditsError::MathOverflow)?;
        let open = loan.status().is_open();
        drop(loan);
        if was_frozen && open && left > 0 {
            ctx.accounts.vault.reload()?;
            let a = &ctx.accounts;
            set_credit_account_frozen(
                grant(REASON_LOAN_DEFAULT),
                &class,
                &credit_program,
                &a.credit_mint.to_account_info(),
                &a.vault,
                true,
            )?;
        }
        emit!(CollateralSold {
            loan: loan_key,
            market: market_key,
            credits_sold: flows.base_in,
            proceeds: flows.quote_out,
            debt_repaid: repaid,
            surplus,
            status: ledger.status,
        });
        Ok(())
    }
}
