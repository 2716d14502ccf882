use anchor_lang::prelude::*;
use credit_math::quantities::{CreditAtoms, QuoteAtoms};

use super::MarketAsset;
use crate::error::CreditsError;
use crate::events_v2::log_events;
use crate::state::{owned_seat, require_class_active, split_market, MarketV2};
use crate::token::{self, MintRef};

/// Trader: moves `amount` of one token from its wallet into its seat's free balance (one
/// token CPI). Credits only while the class is not paused (the class-pause rule); quote always.
/// Accounts are hand-checked against the market: its vault, mint and token program for the
/// asset (`WrongMarketAccount`, `WrongClass`, `WrongTokenProgram`); the token program checks
/// the source account, its mint and the trader's authority.
#[derive(Accounts)]
pub struct Deposit<'info> {
    pub trader: Signer<'info>,
    #[account(mut)]
    pub market: AccountLoader<'info, MarketV2>,
    /// CHECK: the market's class (key checked); only its `paused` byte is read, for credits.
    pub class: UncheckedAccount<'info>,
    /// CHECK: the trader's token account of the asset; the token program checks it.
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

/// The market's vault, mint, token program and decimals for `asset`.
pub fn asset_keys(m: &MarketV2, asset: MarketAsset) -> (Pubkey, Pubkey, Pubkey, u8) {
    match asset {
        MarketAsset::Credits => (m.base_vault, m.credit_mint, m.credit_token_program, m.credit_decimals),
        MarketAsset::Quote => (m.quote_vault, m.quote_mint, m.quote_token_program, m.quote_decimals),
    }
}

/// Checks the vault, mint and token program a deposit or withdrawal names; returns the decimals.
pub fn check_asset_accounts(
    m: &MarketV2,
    asset: MarketAsset,
    vault: &Pubkey,
    mint: &Pubkey,
    program: &Pubkey,
) -> Result<u8> {
    let (want_vault, want_mint, want_program, decimals) = asset_keys(m, asset);
    require_keys_eq!(*vault, want_vault, CreditsError::WrongMarketAccount);
    require_keys_eq!(*mint, want_mint, CreditsError::WrongClass);
    require_keys_eq!(*program, want_program, CreditsError::WrongTokenProgram);
    Ok(decimals)
}

/// `amount` of `asset` as the engine's (credits, quote) pair.
pub fn amounts(asset: MarketAsset, amount: u64) -> (CreditAtoms, QuoteAtoms) {
    match asset {
        MarketAsset::Credits => (CreditAtoms(amount), QuoteAtoms(0)),
        MarketAsset::Quote => (CreditAtoms(0), QuoteAtoms(amount)),
    }
}

impl Deposit<'_> {
    pub fn handler(ctx: Context<Self>, seat: u32, asset: MarketAsset, amount: u64) -> Result<()> {
        let a = &ctx.accounts;
        let (trader, market_key) = (a.trader.key(), a.market.key());
        let decimals = {
            let info = a.market.to_account_info();
            let mut data = info.try_borrow_mut_data()?;
            let (m, seats) = split_market(&mut data)?;
            let decimals = check_asset_accounts(m, asset, a.vault.key, a.mint.key, a.token_program.key)?;
            if asset == MarketAsset::Credits {
                require_class_active(&a.class, m)?;
            }
            owned_seat(seats, m.header().seat_count, seat, &trader)?;
            let mut events = Vec::with_capacity(1);
            let (credits, quote) = amounts(asset, amount);
            m.engine(seats).deposit(seat, credits, quote, &mut events).map_err(super::engine_error)?;
            log_events(&market_key, &events);
            decimals
        };
        token::transfer_checked(
            &a.token_program.to_account_info(),
            &a.trader_token,
            MintRef::new(&a.mint, decimals),
            &a.vault,
            &a.trader.to_account_info(),
            amount,
        )
    }
}
