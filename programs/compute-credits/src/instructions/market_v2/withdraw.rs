use anchor_lang::prelude::*;

use super::deposit::{amounts, check_asset_accounts};
use super::MarketAsset;
use crate::constants::{MARKET_AUTHORITY_SEED, OWNER_HOLDS_SEED};
use crate::error::CreditsError;
use crate::events_v2::log_events;
use crate::pda::is_pda_with_bump;
use crate::state::{
    owned_seat, require_class_active, seat_holds_bump, seat_is_frozen, split_market, MarketV2,
};
use crate::token::freeze::owner_is_held;
use crate::token::{self, MintRef};

/// Trader: moves `amount` of one token from its seat's free balance to any token account of
/// that mint (one token CPI, signed by the market authority). Quote always leaves. Credits
/// leave only while the class and the market are not paused (`ClassPaused`, `MarketPaused`),
/// the seat is not flagged frozen (`SeatFrozen`) and the owner is under no freeze hold
/// (`OwnerUnderHold`, from its `["owner_holds", credit_mint, owner]` record, as v1's
/// `settle_funds`; its address checked with the bump the seat recorded at claim time): a fresh
/// token account would otherwise take a frozen owner's credits out.
#[derive(Accounts)]
pub struct Withdraw<'info> {
    pub trader: Signer<'info>,
    #[account(mut)]
    pub market: AccountLoader<'info, MarketV2>,
    /// CHECK: the market's class (key checked); only its `paused` byte is read, for credits.
    pub class: UncheckedAccount<'info>,
    /// CHECK: `["owner_holds", credit_mint, trader]` (address checked for credits); may not
    /// exist. Unused for quote.
    pub trader_holds: UncheckedAccount<'info>,
    /// CHECK: the vaults' owner (key checked against the market); signs the payout.
    pub market_authority: UncheckedAccount<'info>,
    /// CHECK: the receiving token account; the token program checks its mint.
    #[account(mut)]
    pub trader_token: UncheckedAccount<'info>,
    /// CHECK: the market's vault of the asset (key checked).
    #[account(mut)]
    pub vault: UncheckedAccount<'info>,
    /// CHECK: the asset's mint (key checked against the market, which recorded its decimals).
    pub mint: UncheckedAccount<'info>,
    /// CHECK: the asset's token program (key checked against the market).
    pub token_program: UncheckedAccount<'info>,
}

impl Withdraw<'_> {
    pub fn handler(ctx: Context<Self>, seat: u32, asset: MarketAsset, amount: u64) -> Result<()> {
        let a = &ctx.accounts;
        let (trader, market_key) = (a.trader.key(), a.market.key());
        let (decimals, bump) = {
            let info = a.market.to_account_info();
            let mut data = info.try_borrow_mut_data()?;
            let (m, seats) = split_market(&mut data)?;
            let decimals = check_asset_accounts(m, asset, a.vault.key, a.mint.key, a.token_program.key)?;
            require_keys_eq!(a.market_authority.key(), m.market_authority, CreditsError::WrongMarketAccount);
            let count = m.header().seat_count;
            let s = owned_seat(seats, count, seat, &trader)?;
            if asset == MarketAsset::Credits {
                require_class_active(&a.class, m)?;
                m.require_open()?;
                require!(!seat_is_frozen(s), CreditsError::SeatFrozen);
                let seeds = [OWNER_HOLDS_SEED, m.credit_mint.as_ref(), trader.as_ref()];
                let is_holds = is_pda_with_bump(a.trader_holds.key, &seeds, seat_holds_bump(s));
                require!(is_holds, CreditsError::WrongHoldAccount);
                let held = owner_is_held(&a.trader_holds.to_account_info(), &trader, &m.credit_mint)?;
                require!(!held, CreditsError::OwnerUnderHold);
            }
            let mut events = Vec::with_capacity(1);
            let (credits, quote) = amounts(asset, amount);
            m.engine(seats).withdraw(seat, credits, quote, &mut events).map_err(super::engine_error)?;
            log_events(&market_key, &events);
            (decimals, m.authority_bump)
        };
        let seeds: [&[u8]; 3] = [MARKET_AUTHORITY_SEED, market_key.as_ref(), &[bump]];
        token::transfer_signed(
            &a.token_program.to_account_info(),
            &a.vault,
            MintRef::new(&a.mint, decimals),
            &a.trader_token,
            &a.market_authority.to_account_info(),
            &seeds,
            amount,
        )
    }
}
