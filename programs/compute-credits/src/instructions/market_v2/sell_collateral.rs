use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};
use credit_math::book::{BaseLots, OrderKind, Side, Ticks};
use credit_math::fixed::checked_mul_u64;
use credit_math::market::OrderRequest;
use credit_math::price::value_floor;
use credit_math::recovery::{plan_rest, plan_sale, SaleMarket};
use credit_math::{Bps, CreditAtoms, QuoteAtoms};

use super::loan_seat::{get_or_claim, loan_seat};
use super::{engine_error, event_buffer};
use crate::constants::{MARKET_AUTHORITY_SEED, MAX_SALE_REST_SECS, SEAT_SEED};
use crate::error::{CreditsError, MathResultExt};
use crate::events::CollateralSold;
use crate::events_v2::log_events;
use crate::loans::{book_recovery, enforceable_debt, recovery_price};
use crate::oracle;
use crate::state::{seat_is_frozen, split_market, ClassRef, CreditClass, Loan, MarketV2, PriceFeed};
use crate::token::{self, MintRef};
use crate::OrderType;

/// The lender of record sells collateral of a defaulted or liquidatable loan on the v2 market,
/// from the loan's own seat (`["seat", market, loan]`, owner = the loan PDA; claimed here when
/// absent, the lender paying its rent).
///
/// **Immediate part** (every order type): takes bids at or above the floor (the oracle's low
/// price less the loan's discount per lot, rounded up: `SaleBelowFloor`), capped at the
/// notional that nets the debt after the taker fee (`credit_math::recovery::plan_sale`);
/// fill-or-kill refuses unless the cap or all lots fill (`CannotFillCompletely`).
///
/// **Resting part** (`Limit` only, with an `expiry` in the future and at most
/// `MAX_SALE_REST_SECS` away: `SaleExpiryOutOfRange`): when debt is left, the lots that net it
/// at `price_ticks` after the larger fee (`plan_rest`; a capped order never rests, so a rest is
/// sized in lots) are offered at `price_ticks` (>= the floor) from the loan's seat (nothing
/// rests when that is below the market's minimum notional). Their
/// credits stay collateral (`Loan::sale_credits`) until `settle_loan_sale` books the fills.
/// Post-only is refused (`SaleMustNotRest`): a sale takes what crosses first.
///
/// Proceeds of the immediate part go through the loan's waterfall now (`book_recovery`): to
/// the lender of record up to the debt, the rest to the borrower; unsold credits go back to the
/// vault. One sale at a time: refused while the loan's seat still holds one (`LoanSaleOpen`;
/// `settle_loan_sale` first). Refused while the class or market is paused, the vault is frozen
/// or the loan's seat is flagged frozen.
#[derive(Accounts)]
pub struct SellCollateral<'info> {
    /// The lender of record; pays the loan seat's rent when it is claimed.
    #[account(mut)]
    pub lender: Signer<'info>,
    #[account(mut, has_one = lender @ CreditsError::NotLender, has_one = class @ CreditsError::WrongClass,
              has_one = vault @ CreditsError::WrongLoanAccount)]
    pub loan: AccountLoader<'info, Loan>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram,
              has_one = quote_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    pub price_feed: AccountLoader<'info, PriceFeed>,
    #[account(mut, has_one = class @ CreditsError::WrongClass, has_one = quote_mint @ CreditsError::WrongClass,
              has_one = base_vault @ CreditsError::WrongMarketAccount, has_one = quote_vault @ CreditsError::WrongMarketAccount,
              has_one = market_authority @ CreditsError::WrongMarketAccount)]
    pub market: AccountLoader<'info, MarketV2>,
    /// CHECK: `["seat", market, loan]` (seeds checked): the loan's seat record, created here
    /// when the loan has no seat yet.
    #[account(mut, seeds = [SEAT_SEED, market.key().as_ref(), loan.key().as_ref()], bump)]
    pub loan_seat: UncheckedAccount<'info>,
    /// CHECK: the vaults' owner, `market.market_authority` (`has_one`); signs payouts.
    pub market_authority: UncheckedAccount<'info>,
    /// CHECK: the credit mint, its key checked against the class (with its decimals); the
    /// token program checks it again in every CPI.
    pub credit_mint: UncheckedAccount<'info>,
    /// CHECK: the quote mint, its key checked against the market (with its decimals); the
    /// token program checks it again in every CPI.
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
    /// A quote account of the lender of record: receives what repays the debt.
    #[account(mut, token::mint = quote_mint, token::token_program = quote_token_program)]
    pub lender_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    /// A quote account of the borrower: receives proceeds beyond the debt.
    #[account(mut, token::mint = quote_mint, token::token_program = quote_token_program)]
    pub borrower_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub quote_token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

/// What the sale did to the loan's seat, in atoms.
struct SaleFlows {
    /// Credits the vault sends to the market (those sold plus those resting).
    to_market: u64,
    sold: u64,
    proceeds: u64,
    resting: u64,
}

impl SellCollateral<'_> {
    pub fn handler(
        ctx: Context<Self>,
        order_type: OrderType,
        price_ticks: u64,
        lots: u64,
        expiry: i64,
    ) -> Result<()> {
        let a = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let (kind, rests) = match order_type {
            OrderType::ImmediateOrCancel => (OrderKind::ImmediateOrCancel, false),
            OrderType::FillOrKill => (OrderKind::FillOrKill, false),
            OrderType::Limit => (OrderKind::ImmediateOrCancel, true),
            OrderType::PostOnly => return err!(CreditsError::SaleMustNotRest),
        };
        let expiry_ok = if rests { expiry > now && expiry - now <= MAX_SALE_REST_SECS } else { expiry == 0 };
        require!(expiry_ok, CreditsError::SaleExpiryOutOfRange);
        let class = ClassRef::load(&a.class)?;
        class.require_active()?;
        require!(!a.vault.is_frozen(), CreditsError::CreditAccountFrozen);
        let (loan_key, market_key) = (a.loan.key(), a.market.key());
        let in_vault = a.vault.amount;
        let low = oracle::load_price(&a.price_feed, &a.class.key(), now)?.band.low();
        let value =
            value_floor(CreditAtoms(in_vault), low, class.decimals, class.quote_decimals).or_credits_err()?;
        let (signer, debt, price, borrower, lender) = {
            let mut loan = a.loan.load_mut()?;
            require!(loan.sale_credits == 0, CreditsError::LoanSaleOpen);
            let debt = enforceable_debt(loan_key, &mut loan, value.0, in_vault, now)?;
            (loan.signer(), debt, recovery_price(&loan, &class, low)?, loan.borrower, loan.lender)
        };
        require_keys_eq!(a.lender_quote.owner, lender, CreditsError::WrongLoanAccount);
        require_keys_eq!(a.borrower_quote.owner, borrower, CreditsError::WrongLoanAccount);
        {
            let m = a.market.load()?;
            m.require_open()?;
            require!(price_ticks > 0 && lots > 0, CreditsError::InvalidOrder);
        }
        let seat = get_or_claim(
            &a.market,
            &a.loan_seat.to_account_info(),
            ctx.bumps.loan_seat,
            &loan_key,
            &a.lender.to_account_info(),
            &a.system_program.to_account_info(),
        )?;

        let (flows, bump) = {
            let info = a.market.to_account_info();
            let mut data = info.try_borrow_mut_data()?;
            let (m, seats) = split_market(&mut data)?;
            let h = *m.header();
            let s = loan_seat(seats, h.seat_count, seat, &loan_key)?;
            require!(!seat_is_frozen(s), CreditsError::SeatFrozen);
            let venue =
                SaleMarket { lot_size: h.lot_size, tick_size: h.tick_size, taker_fee: Bps(h.taker_fee_bps) };
            let plan = plan_sale(&price, venue, QuoteAtoms(debt), CreditAtoms(in_vault), BaseLots(lots))
                .or_credits_err()?;
            require!(price_ticks >= plan.floor.0, CreditsError::SaleBelowFloor);
            require!(plan.lots.0 > 0, CreditsError::NothingRecovered);
            // the most the sale may offer: what was asked and what the vault holds, in lots
            let offered = lots.min(in_vault / h.lot_size);
            let deposit = offered * h.lot_size;
            let mut events = event_buffer();
            let mut engine = m.engine(seats);
            engine.deposit(seat, CreditAtoms(deposit), QuoteAtoms(0), &mut events).map_err(engine_error)?;
            let take = OrderRequest {
                max_quote: plan.max_quote,
                ..OrderRequest::new(Side::Ask, kind, Ticks(price_ticks), plan.lots)
            };
            let taken = engine.place(seat, take, now, &mut events).map_err(engine_error)?;
            if rests {
                let net = taken.notional.0 - taken.taker_fee.0;
                let left = debt.saturating_sub(net);
                let available = BaseLots(offered - taken.filled.0);
                let lots =
                    plan_rest(venue, Bps(h.maker_fee_bps), Ticks(price_ticks), QuoteAtoms(left), available)
                        .or_credits_err()?;
                // a rest below the market's minimum notional would be refused: only the
                // immediate part then (what is left of the debt is that small)
                let notional = checked_mul_u64(lots.0, price_ticks)
                    .and_then(|q| checked_mul_u64(q, h.tick_size))
                    .unwrap_or(u64::MAX);
                if lots.0 > 0 && notional >= h.min_order_notional.0 {
                    let rest = OrderRequest {
                        expiry,
                        ..OrderRequest::new(Side::Ask, OrderKind::Limit, Ticks(price_ticks), lots)
                    };
                    engine.place(seat, rest, now, &mut events).map_err(engine_error)?;
                }
            }
            // a rest that crossed bids better than its price may already net the debt: then
            // nothing of it may stay on the book (the loan is paid off)
            if engine.seats[seat as usize].quote_free.0 >= debt {
                engine.cancel_all(seat, &mut events).map_err(engine_error)?;
            }
            // proceeds and unsold credits leave the seat; what rests stays
            let s = engine.seats[seat as usize];
            let (free, proceeds, resting) = (s.base_free.0, s.quote_free.0, s.base_locked.0);
            if free > 0 || proceeds > 0 {
                engine
                    .withdraw(seat, CreditAtoms(free), QuoteAtoms(proceeds), &mut events)
                    .map_err(engine_error)?;
            }
            log_events(&market_key, &events);
            let flows =
                SaleFlows { to_market: deposit - free, sold: deposit - free - resting, proceeds, resting };
            (flows, m.authority_bump)
        };
        require!(flows.to_market <= in_vault, CreditsError::InsufficientCoverage);
        let repaid = flows.proceeds.min(debt);
        let surplus = flows.proceeds - repaid;
        let status = {
            let mut loan = a.loan.load_mut()?;
            // a sale that only rests books nothing yet; one that neither fills nor rests repays
            // nothing (`NothingRecovered`)
            if flows.proceeds > 0 || flows.resting == 0 {
                let left = in_vault - flows.to_market + flows.resting;
                book_recovery(&mut loan, repaid, flows.sold, left)?;
            }
            loan.sale_credits = flows.resting;
            loan.ledger.status
        };

        let (credit_program, quote_program) =
            (a.credit_token_program.to_account_info(), a.quote_token_program.to_account_info());
        if flows.to_market > 0 {
            token::transfer_signed(
                &credit_program,
                &a.vault,
                MintRef::new(&a.credit_mint, class.decimals),
                &a.base_vault,
                &a.loan.to_account_info(),
                &signer.seeds(),
                flows.to_market,
            )?;
        }
        let market_seeds: [&[u8]; 3] = [MARKET_AUTHORITY_SEED, market_key.as_ref(), &[bump]];
        let authority = a.market_authority.to_account_info();
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
        emit!(CollateralSold {
            loan: loan_key,
            market: market_key,
            credits_sold: flows.sold,
            proceeds: flows.proceeds,
            debt_repaid: repaid,
            surplus,
            status,
        });
        Ok(())
    }
}
