use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};
use credit_math::book::{BaseLots, OrderKind, OrderRequest, Side, Ticks};
use credit_math::price::value_floor;
use credit_math::recovery::{plan_sale, SaleMarket};
use credit_math::{Bps, CreditAtoms, QuoteAtoms};

use crate::constants::*;
use crate::error::{CreditsError, MathResultExt};
use crate::events::CollateralSold;
use crate::instructions::market::place_order::{book_error, OrderType};
use crate::loans::{book_recovery, enforceable_debt, recovery_price};
use crate::oracle;
use crate::settlement::settle;
use crate::state::{ClassRef, CreditClass, Loan, Market, Platform, PriceFeed};
use crate::token::{self, MintRef};

/// The owner tag a sale carries in the matching engine: no seat's tag (seat tags are an index
/// followed by zeros), so a sale needs no seat and matches every resting order.
const SALE_TAG: [u8; 32] = [0xff; 32];

/// The lender of a defaulted or liquidatable loan sells collateral from the loan's vault on the
/// market (immediate-or-cancel or fill-or-kill: a sale never rests). Bounded like an in-kind
/// seizure (`credit_math::recovery`): never below the oracle's low price less the loan's
/// discount per lot (`SaleBelowFloor`), never more notional than nets the debt after the taker
/// fee (plus at most one lot). The proceeds pay the loan down through its waterfall to the
/// lender of record; anything beyond the debt goes to the borrower, and unsold credits stay in
/// the vault for the borrower.
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
        class.require_active()?;
        let in_vault = a.vault.amount;
        let low = oracle::load_price(&a.price_feed, &a.class.key(), now)?.band.low();
        let value =
            value_floor(CreditAtoms(in_vault), low, class.decimals, class.quote_decimals).or_credits_err()?;
        let (loan_key, market_key) = (a.loan.key(), a.market.key());
        let (signer, debt, price) = {
            let mut loan = a.loan.load_mut()?;
            require_keys_eq!(a.borrower_quote.owner, loan.borrower, CreditsError::WrongLoanAccount);
            let debt = enforceable_debt(loan_key, &mut loan, value.0, in_vault, now)?;
            (loan.signer(), debt, recovery_price(&loan, &class, low)?)
        };

        let (flows, market_bump) = {
            let mut m = a.market.load_mut()?;
            require!(m.paused == 0, CreditsError::MarketPaused);
            require!(price_ticks > 0 && lots >= m.min_lots, CreditsError::InvalidOrder);
            let venue =
                SaleMarket { lot_size: m.lot_size, tick_size: m.tick_size, taker_fee: Bps(m.taker_fee_bps) };
            let plan = plan_sale(&price, venue, QuoteAtoms(debt), CreditAtoms(in_vault), BaseLots(lots))
                .or_credits_err()?;
            require!(price_ticks >= plan.floor.0, CreditsError::SaleBelowFloor);
            require!(plan.lots.0 > 0, CreditsError::NothingRecovered);
            let req = OrderRequest {
                side: Side::Ask,
                kind,
                limit: Ticks(price_ticks),
                lots: plan.lots,
                owner: SALE_TAG,
                expiry: 0,
                max_quote: plan.max_quote,
            };
            let out = m.book_mut().place(req, now, MAX_MATCH_STEPS).map_err(book_error)?;
            let flows = settle(&mut m, None, Side::Ask, price_ticks, &out, &mut Vec::new())?;
            (flows, m.authority_bump)
        };
        require!(flows.base_in <= in_vault, CreditsError::InsufficientCoverage);
        let repaid = flows.quote_out.min(debt);
        let surplus = flows.quote_out - repaid;
        let left = in_vault - flows.base_in;
        let status = {
            let mut loan = a.loan.load_mut()?;
            book_recovery(&mut loan, repaid, flows.base_in, left)?;
            loan.ledger.status
        };

        let (credit_program, quote_program) =
            (a.credit_token_program.to_account_info(), a.quote_token_program.to_account_info());
        if flows.base_in > 0 {
            token::transfer_signed(
                &credit_program,
                &a.vault,
                MintRef::new(&a.credit_mint, class.decimals),
                &a.base_vault,
                &a.loan.to_account_info(),
                &signer.seeds(),
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
        emit!(CollateralSold {
            loan: loan_key,
            market: market_key,
            credits_sold: flows.base_in,
            proceeds: flows.quote_out,
            debt_repaid: repaid,
            surplus,
            status,
        });
        Ok(())
    }
}
