use anchor_lang::prelude::*;
use credit_math::book::Ticks;

use super::{engine_side, event_buffer};
use crate::constants::MARKET_AUTHORITY_SEED;
use crate::error::CreditsError;
use crate::events_v2::log_events;
use crate::state::{require_class_active, split_market, MarketV2};
use crate::token::{self, MintRef};
use crate::OrderSide;

/// A seatless taker (the interface aggregators route through): exact input, minimum output.
/// `Bid` spends up to `amount_in` quote atoms (taker fees included) on credits; `Ask` sells
/// `amount_in` credit atoms (whole lots: the rest stays in the wallet). Matched like an
/// immediate-or-cancel order up to `limit_price_ticks`; refused below `min_out`
/// (`SlippageExceeded`). Tokens move wallet → vault → wallet: two token CPIs. Refused while
/// the class or market is paused.
#[derive(Accounts)]
pub struct Swap<'info> {
    pub taker: Signer<'info>,
    #[account(mut)]
    pub market: AccountLoader<'info, MarketV2>,
    /// CHECK: the market's class (key checked); only its `paused` byte is read.
    pub class: UncheckedAccount<'info>,
    /// CHECK: the vaults' owner (key checked against the market); signs the payout.
    pub market_authority: UncheckedAccount<'info>,
    /// CHECK: the taker's credit account; the token program checks it.
    #[account(mut)]
    pub taker_credits: UncheckedAccount<'info>,
    /// CHECK: the taker's quote account; the token program checks it.
    #[account(mut)]
    pub taker_quote: UncheckedAccount<'info>,
    /// CHECK: key checked against the market.
    #[account(mut)]
    pub base_vault: UncheckedAccount<'info>,
    /// CHECK: key checked against the market.
    #[account(mut)]
    pub quote_vault: UncheckedAccount<'info>,
    /// CHECK: key checked against the market (which recorded its decimals).
    pub credit_mint: UncheckedAccount<'info>,
    /// CHECK: key checked against the market (which recorded its decimals).
    pub quote_mint: UncheckedAccount<'info>,
    /// CHECK: key checked against the market.
    pub credit_token_program: UncheckedAccount<'info>,
    /// CHECK: key checked against the market.
    pub quote_token_program: UncheckedAccount<'info>,
}

impl Swap<'_> {
    pub fn handler(
        ctx: Context<Self>,
        side: OrderSide,
        amount_in: u64,
        min_out: u64,
        limit_price_ticks: u64,
    ) -> Result<()> {
        let a = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let market_key = a.market.key();
        let (out, bump, credit_decimals, quote_decimals) = {
            let info = a.market.to_account_info();
            let mut data = info.try_borrow_mut_data()?;
            let (m, seats) = split_market(&mut data)?;
            require_keys_eq!(a.base_vault.key(), m.base_vault, CreditsError::WrongMarketAccount);
            require_keys_eq!(a.quote_vault.key(), m.quote_vault, CreditsError::WrongMarketAccount);
            require_keys_eq!(a.market_authority.key(), m.market_authority, CreditsError::WrongMarketAccount);
            require_keys_eq!(a.credit_mint.key(), m.credit_mint, CreditsError::WrongClass);
            require_keys_eq!(a.quote_mint.key(), m.quote_mint, CreditsError::WrongClass);
            require_keys_eq!(
                a.credit_token_program.key(),
                m.credit_token_program,
                CreditsError::WrongTokenProgram
            );
            require_keys_eq!(
                a.quote_token_program.key(),
                m.quote_token_program,
                CreditsError::WrongTokenProgram
            );
            require_class_active(&a.class, m)?;
            m.require_open()?;
            let mut events = event_buffer();
            let out = m
                .engine(seats)
                .swap(engine_side(side), amount_in, min_out, Ticks(limit_price_ticks), now, &mut events)
                .map_err(super::engine_error)?;
            log_events(&market_key, &events);
            (out, m.authority_bump, m.credit_decimals, m.quote_decimals)
        };
        let credits =
            (a.credit_token_program.to_account_info(), MintRef::new(&a.credit_mint, credit_decimals));
        let quote = (a.quote_token_program.to_account_info(), MintRef::new(&a.quote_mint, quote_decimals));
        let ((in_program, in_mint, from, in_vault), (out_program, out_mint, out_vault, to)) = match side {
            OrderSide::Bid => (
                (quote.0, quote.1, &a.taker_quote, &a.quote_vault),
                (credits.0, credits.1, &a.base_vault, &a.taker_credits),
            ),
            OrderSide::Ask => (
                (credits.0, credits.1, &a.taker_credits, &a.base_vault),
                (quote.0, quote.1, &a.quote_vault, &a.taker_quote),
            ),
        };
        if out.taken_in > 0 {
            token::transfer_checked(
                &in_program,
                from,
                in_mint,
                in_vault,
                &a.taker.to_account_info(),
                out.taken_in,
            )?;
        }
        if out.paid_out > 0 {
            let seeds: [&[u8]; 3] = [MARKET_AUTHORITY_SEED, market_key.as_ref(), &[bump]];
            let authority = a.market_authority.to_account_info();
            token::transfer_signed(&out_program, out_vault, out_mint, to, &authority, &seeds, out.paid_out)?;
        }
        Ok(())
    }
}
