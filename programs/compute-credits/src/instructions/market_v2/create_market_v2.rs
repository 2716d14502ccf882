use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenInterface};
use credit_math::market::{MarketHeader, MarketParams};
use credit_math::quantities::QuoteAtoms;

use crate::constants::*;
use crate::error::CreditsError;
use crate::events_v2::MarketV2Created;
use crate::pda::init_program_account;
use crate::state::{CreditClass, MarketV2, MarketV2Registration, Platform, MAX_ORDERS_PER_SEAT_V2};
use crate::token;

/// A v2 market's units, anti-spam bounds and fees.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketV2Params {
    /// Credit atoms per lot (the size step).
    pub lot_size: u64,
    /// Quote atoms per lot per tick (the price step).
    pub tick_size: u64,
    /// The least notional (quote atoms, fees excluded) a resting order may have.
    pub min_order_notional: u64,
    /// Resting orders one seat may have (1 to `MAX_ORDERS_PER_SEAT_V2`).
    pub max_orders_per_seat: u32,
    pub maker_fee_bps: u16,
    pub taker_fee_bps: u16,
}

impl MarketV2Params {
    pub fn header(&self) -> Result<MarketHeader> {
        let ok = self.min_order_notional > 0
            && self.max_orders_per_seat <= MAX_ORDERS_PER_SEAT_V2
            && self.maker_fee_bps <= MAX_FEE_BPS
            && self.taker_fee_bps <= MAX_FEE_BPS;
        require!(ok, CreditsError::InvalidMarketConfig);
        MarketHeader::new(MarketParams {
            lot_size: self.lot_size,
            tick_size: self.tick_size,
            min_order_notional: QuoteAtoms(self.min_order_notional),
            maker_fee_bps: self.maker_fee_bps,
            taker_fee_bps: self.taker_fee_bps,
            max_orders_per_seat: self.max_orders_per_seat,
        })
        .map_err(super::engine_error)
    }
}

/// Admin: initialises a client-allocated v2 market account (`MarketV2::SPACE` bytes, no seat)
/// for a class against its quote mint, with its vaults; one v2 market per pair.
#[derive(Accounts)]
pub struct CreateMarketV2<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass, has_one = quote_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram,
              has_one = quote_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    /// Allocated by the client at `MarketV2::SPACE` bytes, owned by this program, still zeroed.
    #[account(zero)]
    pub market: AccountLoader<'info, MarketV2>,
    /// CHECK: `["market_v2", class, quote_mint]`, created here: one v2 market per pair
    /// (`AlreadyInitialized` for a second one).
    #[account(mut, seeds = [MARKET_V2_SEED, class.key().as_ref(), quote_mint.key().as_ref()], bump)]
    pub registration: UncheckedAccount<'info>,
    /// CHECK: the PDA that owns the vaults (seeds checked).
    #[account(seeds = [MARKET_AUTHORITY_SEED, market.key().as_ref()], bump)]
    pub market_authority: UncheckedAccount<'info>,
    pub credit_mint: Box<InterfaceAccount<'info, Mint>>,
    pub quote_mint: Box<InterfaceAccount<'info, Mint>>,
    /// CHECK: `["base_vault", market]`, created here as the authority's credit token account.
    #[account(mut, seeds = [BASE_VAULT_SEED, market.key().as_ref()], bump)]
    pub base_vault: UncheckedAccount<'info>,
    /// CHECK: `["quote_vault", market]`, created here as the authority's quote token account.
    #[account(mut, seeds = [QUOTE_VAULT_SEED, market.key().as_ref()], bump)]
    pub quote_vault: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub quote_token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl CreateMarketV2<'_> {
    pub fn handler(ctx: Context<Self>, params: MarketV2Params) -> Result<()> {
        let header = params.header()?;
        let a = &ctx.accounts;
        require!(a.market.to_account_info().data_len() == MarketV2::SPACE, CreditsError::InvalidMarketConfig);
        let (payer, system) = (a.admin.to_account_info(), a.system_program.to_account_info());
        let (owner, market_key) = (a.market_authority.to_account_info(), a.market.key());
        token::create_token_account(
            &payer,
            &a.base_vault.to_account_info(),
            &system,
            &[BASE_VAULT_SEED, market_key.as_ref(), &[ctx.bumps.base_vault]],
            &a.credit_mint.to_account_info(),
            &owner,
            &a.credit_token_program.to_account_info(),
        )?;
        token::create_token_account(
            &payer,
            &a.quote_vault.to_account_info(),
            &system,
            &[QUOTE_VAULT_SEED, market_key.as_ref(), &[ctx.bumps.quote_vault]],
            &a.quote_mint.to_account_info(),
            &owner,
            &a.quote_token_program.to_account_info(),
        )?;
        let (class_key, quote_key) = (a.class.key(), a.quote_mint.key());
        init_program_account(
            &payer,
            &a.registration.to_account_info(),
            &system,
            &[MARKET_V2_SEED, class_key.as_ref(), quote_key.as_ref(), &[ctx.bumps.registration]],
            8 + MarketV2Registration::INIT_SPACE,
            &MarketV2Registration { market: market_key, bump: ctx.bumps.registration },
        )?;
        let mut m = a.market.load_init()?;
        m.class = class_key;
        m.credit_mint = a.credit_mint.key();
        m.quote_mint = quote_key;
        m.credit_token_program = a.credit_token_program.key();
        m.quote_token_program = a.quote_token_program.key();
        m.base_vault = a.base_vault.key();
        m.quote_vault = a.quote_vault.key();
        m.market_authority = a.market_authority.key();
        m.authority_bump = ctx.bumps.market_authority;
        m.credit_decimals = a.credit_mint.decimals;
        m.quote_decimals = a.quote_mint.decimals;
        *m.header_mut() = header;
        emit!(MarketV2Created {
            market: market_key,
            class: class_key,
            quote_mint: quote_key,
            lot_size: params.lot_size,
            tick_size: params.tick_size,
            min_order_notional: params.min_order_notional,
            max_orders_per_seat: params.max_orders_per_seat,
            maker_fee_bps: params.maker_fee_bps,
            taker_fee_bps: params.taker_fee_bps,
        });
        Ok(())
    }
}
