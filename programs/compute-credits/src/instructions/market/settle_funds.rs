use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

use crate::constants::{MARKET_AUTHORITY_SEED, OWNER_HOLDS_SEED};
use crate::error::CreditsError;
use crate::events::FundsSettled;
use crate::state::{CreditClass, Market};
use crate::token::freeze::owner_is_held;
use crate::token::{self, MintRef};

/// A trader withdraws its free balances (maker proceeds, cancelled and expired orders' locks)
/// to its own accounts. Credits stay in the seat while the trader is under any freeze hold
/// (`OwnerUnderHold`: a fresh token account would otherwise take them out) or the class is
/// paused (`ClassPaused`); quote always leaves.
#[derive(Accounts)]
pub struct SettleFunds<'info> {
    pub trader: Signer<'info>,
    #[account(mut, has_one = class @ CreditsError::WrongClass, has_one = credit_mint @ CreditsError::WrongClass, has_one = quote_mint @ CreditsError::WrongClass,
              has_one = base_vault @ CreditsError::WrongMarketAccount, has_one = quote_vault @ CreditsError::WrongMarketAccount,
              has_one = market_authority @ CreditsError::WrongMarketAccount)]
    pub market: AccountLoader<'info, Market>,
    pub class: AccountLoader<'info, CreditClass>,
    /// CHECK: `["owner_holds", credit_mint, trader]` (seeds checked); may not exist.
    #[account(seeds = [OWNER_HOLDS_SEED, credit_mint.key().as_ref(), trader.key().as_ref()], bump)]
    pub trader_holds: UncheckedAccount<'info>,
    /// CHECK: the vaults' owner, `market.market_authority` (`has_one`); signs payouts.
    pub market_authority: UncheckedAccount<'info>,
    /// CHECK: the credit mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub credit_mint: UncheckedAccount<'info>,
    /// CHECK: the quote mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub quote_mint: UncheckedAccount<'info>,
    #[account(mut, token::mint = credit_mint, token::authority = trader, token::token_program = credit_token_program)]
    pub trader_credits: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, token::mint = quote_mint, token::authority = trader, token::token_program = quote_token_program)]
    pub trader_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: its key is checked against the market (`has_one`); only token CPIs use it.
    #[account(mut)]
    pub base_vault: UncheckedAccount<'info>,
    /// CHECK: its key is checked against the market (`has_one`); only token CPIs use it.
    #[account(mut)]
    pub quote_vault: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub quote_token_program: Interface<'info, TokenInterface>,
}

impl SettleFunds<'_> {
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = &ctx.accounts;
        let trader = a.trader.key();
        let market_key = a.market.key();
        // why the seat's credits cannot leave now, if they cannot (checked only when it has some)
        let base_free = {
            let m = a.market.load()?;
            let seat = m.seat_of(&trader).ok_or(CreditsError::NoSeat)?;
            m.seats[seat].base_free
        };
        let held_back = if base_free == 0 {
            None
        } else if a.trader_credits.is_frozen() {
            Some(CreditsError::CreditAccountFrozen)
        } else if a.class.load()?.is_paused() {
            Some(CreditsError::ClassPaused)
        } else if owner_is_held(&a.trader_holds.to_account_info(), &trader, &a.credit_mint.key())? {
            Some(CreditsError::OwnerUnderHold)
        } else {
            None
        };
        let (credits, quote, bump, credit_decimals, quote_decimals) = {
            let mut m = a.market.load_mut()?;
            let seat = m.seat_of(&trader).ok_or(CreditsError::NoSeat)?;
            let s = &mut m.seats[seat];
            // quote always leaves; credits stay in the seat while held back
            let credits = if held_back.is_none() { std::mem::take(&mut s.base_free) } else { 0 };
            let quote = std::mem::take(&mut s.quote_free);
            (credits, quote, m.authority_bump, m.credit_decimals, m.quote_decimals)
        };
        if let (Some(reason), 0) = (held_back, quote) {
            // nothing else to pay: say why nothing moved
            return Err(error!(reason));
        }
        let seeds: [&[u8]; 3] = [MARKET_AUTHORITY_SEED, market_key.as_ref(), &[bump]];
        let authority = a.market_authority.to_account_info();
        if credits > 0 {
            let program = a.credit_token_program.to_account_info();
            token::transfer_signed(
                &program,
                &a.base_vault,
                MintRef::new(&a.credit_mint, credit_decimals),
                &a.trader_credits,
                &authority,
                &seeds,
                credits,
            )?;
        }
        if quote > 0 {
            let program = a.quote_token_program.to_account_info();
            token::transfer_signed(
                &program,
                &a.quote_vault,
                MintRef::new(&a.quote_mint, quote_decimals),
                &a.trader_quote,
                &authority,
                &seeds,
                quote,
            )?;
        }
        emit!(FundsSettled { market: market_key, trader, credits, quote });
        Ok(())
    }
}
