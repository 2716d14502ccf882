use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenInterface};

use crate::constants::*;
use crate::error::CreditsError;
use crate::events::MarketCreated;
use crate::pda::init_program_account;
use crate::state::{CreditClass, Market, MarketRegistration, Platform};
use crate::token;

/// A market's units and fees.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketParams {
    /// Credit atoms per lot (the size step).
    pub lot_size: u64,
    /// Quote atoms per lot per tick (the price step).
    pub tick_size: u64,
    /// Smallest order, in lots.
    pub min_lots: u64,
    pub maker_fee_bps: u16,
    pub taker_fee_bps: u16,
}

impl MarketParams {
    pub fn validate(&self) -> Result<()> {
        let ok = self.lot_size > 0
            && self.tick_size > 0
            && self.min_lots > 0
            && self.maker_fee_bps <= MAX_FEE_BPS
            && self.taker_fee_bps <= MAX_FEE_BPS;
        require!(ok, CreditsError::InvalidMarketConfig);
        Ok(())
    }
}

#[derive(Accounts)]
pub struct CreateMarket<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass, has_one = quote_mint @ CreditsError::WrongClass,
              constraint = class.load()?.credit_token_program == credit_token_program.key() @ CreditsError::WrongTokenProgram,
              constraint = class.load()?.quote_token_program == quote_token_program.key() @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    /// Allocated by the client at `Market::SPACE` bytes, owned by this program, still zeroed.
    #[account(zero)]
    pub market: AccountLoader<'info, Market>,
    /// CHECK: `["market", class, quote_mint]`, created here: one market per pair
    /// (`AlreadyInitialized` for a second one).
    #[account(mut, seeds = [MARKET_SEED, class.key().as_ref(), quote_mint.key().as_ref()], bump)]
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

impl CreateMarket<'_> {
    pub fn handler(ctx: Context<Self>, params: MarketParams) -> Result<()> {
        params.validate()?;
        let a = &ctx.accounts;
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
            &[MARKET_SEED, class_key.as_ref(), quote_key.as_ref(), &[ctx.bumps.registration]],
            8 + MarketRegistration::INIT_SPACE,
            &MarketRegistration { market: a.market.key(), bump: ctx.bumps.registration },
        )?;
        let mut m = a.market.load_init()?;
        m.class = a.class.key();
        m.credit_mint = a.credit_mint.key();
        m.quote_mint = a.quote_mint.key();
        m.base_vault = a.base_vault.key();
        m.quote_vault = a.quote_vault.key();
        m.market_authority = a.market_authority.key();
        m.lot_size = params.lot_size;
        m.tick_size = params.tick_size;
        m.min_lots = params.min_lots;
        m.maker_fee_bps = params.maker_fee_bps;
        m.taker_fee_bps = params.taker_fee_bps;
        m.authority_bump = ctx.bumps.market_authority;
        m.credit_decimals = a.credit_mint.decimals;
        m.quote_decimals = a.quote_mint.decimals;
        m.book_mut().next_seq = 1;
        emit!(MarketCreated {
            market: a.market.key(),
            class: m.class,
            quote_mint: m.quote_mint,
            lot_size: params.lot_size,
            tick_size: params.tick_size,
            min_lots: params.min_lots,
            maker_fee_bps: params.maker_fee_bps,
            taker_fee_bps: params.taker_fee_bps,
        });
        Ok(())
    }
}
