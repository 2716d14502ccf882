use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;
use credit_math::quantities::QuoteAtoms;

use crate::constants::{MARKET_AUTHORITY_SEED, PLATFORM};
use crate::error::CreditsError;
use crate::events_v2::log_events;
use crate::state::{split_market, MarketV2, Platform};
use crate::token::{self, MintRef};

/// Anyone: pays `amount` of the treasury's fee balance in a v2 market (maker and taker fees,
/// held in the quote vault) to a quote account of the platform's treasury (`WrongTreasury`):
/// fills credit the treasury in place, so they need no CPI.
#[derive(Accounts)]
pub struct WithdrawMarketFees<'info> {
    #[account(address = PLATFORM @ CreditsError::WrongPlatform)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut)]
    pub market: AccountLoader<'info, MarketV2>,
    /// CHECK: the vaults' owner (key checked against the market); signs the payout.
    pub market_authority: UncheckedAccount<'info>,
    /// CHECK: key checked against the market.
    #[account(mut)]
    pub quote_vault: UncheckedAccount<'info>,
    /// CHECK: key checked against the market (which recorded its decimals).
    pub quote_mint: UncheckedAccount<'info>,
    #[account(mut, constraint = treasury_quote.owner == platform.load()?.treasury @ CreditsError::WrongTreasury)]
    pub treasury_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: key checked against the market.
    pub quote_token_program: UncheckedAccount<'info>,
}

impl WithdrawMarketFees<'_> {
    pub fn handler(ctx: Context<Self>, amount: u64) -> Result<()> {
        let a = &ctx.accounts;
        let market_key = a.market.key();
        let (bump, decimals) = {
            let info = a.market.to_account_info();
            let mut data = info.try_borrow_mut_data()?;
            let (m, seats) = split_market(&mut data)?;
            require_keys_eq!(a.quote_vault.key(), m.quote_vault, CreditsError::WrongMarketAccount);
            require_keys_eq!(a.market_authority.key(), m.market_authority, CreditsError::WrongMarketAccount);
            require_keys_eq!(a.quote_mint.key(), m.quote_mint, CreditsError::WrongClass);
            require_keys_eq!(
                a.quote_token_program.key(),
                m.quote_token_program,
                CreditsError::WrongTokenProgram
            );
            let mut events = Vec::with_capacity(1);
            m.engine(seats).withdraw_fees(QuoteAtoms(amount), &mut events).map_err(super::engine_error)?;
            log_events(&market_key, &events);
            (m.authority_bump, m.quote_decimals)
        };
        let seeds: [&[u8]; 3] = [MARKET_AUTHORITY_SEED, market_key.as_ref(), &[bump]];
        token::transfer_signed(
            &a.quote_token_program.to_account_info(),
            &a.quote_vault,
            MintRef::new(&a.quote_mint, decimals),
            &a.treasury_quote,
            &a.market_authority.to_account_info(),
            &seeds,
            amount,
        )
    }
}
