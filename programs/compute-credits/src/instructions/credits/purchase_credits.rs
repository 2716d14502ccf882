use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};
use credit_math::fixed::bps_ceil;
use credit_math::price::{value_ceil, Price};
use credit_math::quantities::one_unit;
use credit_math::CreditAtoms;

use crate::constants::PLATFORM;
use crate::error::{CreditsError, MathResultExt};
use crate::events::CreditsPurchased;
use crate::oracle;
use crate::state::{ClassRef, CreditClass, Platform, PriceFeed};
use crate::token::{self, MintRef};

#[derive(Accounts)]
pub struct PurchaseCredits<'info> {
    pub buyer: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut, has_one = credit_mint @ CreditsError::WrongClass, has_one = quote_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram,
              has_one = quote_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    /// CHECK: the class's mint (`has_one`); the token program checks it in the mint CPI.
    #[account(mut)]
    pub credit_mint: UncheckedAccount<'info>,
    /// CHECK: the class's quote mint (`has_one`); the token program checks it in the transfer.
    pub quote_mint: UncheckedAccount<'info>,
    /// The buyer pays from here.
    #[account(mut, token::mint = quote_mint, token::authority = buyer, token::token_program = quote_token_program)]
    pub buyer_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The platform treasury's account for the quote mint.
    #[account(mut, token::mint = quote_mint, token::token_program = quote_token_program,
              constraint = treasury_quote.owner == platform.load()?.treasury @ CreditsError::WrongTreasury)]
    pub treasury_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives the credits (any owner: credits can be bought for someone else).
    #[account(mut, token::mint = credit_mint, token::token_program = credit_token_program)]
    pub recipient_credits: Box<InterfaceAccount<'info, TokenAccount>>,
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub quote_token_program: Interface<'info, TokenInterface>,
    /// The class's feed when it is priced by an oracle; omitted for list-price classes.
    pub price_feed: Option<AccountLoader<'info, PriceFeed>>,
}

impl PurchaseCredits<'_> {
    /// The price a buyer pays per whole credit: the list price, or the oracle's price plus its
    /// confidence when the class is priced by a feed.
    fn unit_price(class: &ClassRef, feed: Option<&AccountLoader<PriceFeed>>) -> Result<Price> {
        if class.price_feed == Pubkey::default() {
            require!(feed.is_none(), CreditsError::WrongPriceSource);
            return Price::new(class.list_price, -i32::from(class.quote_decimals)).or_credits_err();
        }
        let feed = feed.ok_or(CreditsError::WrongPriceSource)?;
        require_keys_eq!(feed.key(), class.price_feed, CreditsError::WrongPriceSource);
        let checked = oracle::load_price(feed, &class.key(), Clock::get()?.unix_timestamp)?;
        checked.band.high().or_credits_err()
    }

    /// Buys `amount` credit atoms at the class's price (list price, or oracle price plus
    /// confidence) plus the purchase fee, refusing when one whole credit would cost more than
    /// `max_price` quote atoms (the buyer's slippage guard).
    pub fn handler(ctx: Context<Self>, amount: u64, max_price: u64) -> Result<()> {
        require!(amount > 0, CreditsError::ZeroAmount);
        let class = ClassRef::load(&ctx.accounts.class)?;
        class.require_active()?;
        require!(!ctx.accounts.recipient_credits.is_frozen(), CreditsError::CreditAccountFrozen);

        // The buyer pays the rounded-up cost at the high side of the price: the protocol never
        // sells an atom below its price.
        let price = Self::unit_price(&class, ctx.accounts.price_feed.as_ref())?;
        let (cd, qd) = (class.decimals, class.quote_decimals);
        let unit_cost =
            value_ceil(CreditAtoms(one_unit(cd).or_credits_err()?), price, cd, qd).or_credits_err()?.0;
        require!(unit_cost <= max_price, CreditsError::PriceAboveLimit);
        let cost = value_ceil(CreditAtoms(amount), price, cd, qd).or_credits_err()?.0;
        require!(cost > 0, CreditsError::ZeroAmount);
        let fee =
            bps_ceil(cost, u64::from(ctx.accounts.platform.load()?.purchase_fee_bps)).or_credits_err()?;
        let total = cost.checked_add(fee).ok_or(CreditsError::MathOverflow)?;

        token::transfer_checked(
            &ctx.accounts.quote_token_program.to_account_info(),
            &ctx.accounts.buyer_quote,
            MintRef::new(&ctx.accounts.quote_mint, class.quote_decimals),
            &ctx.accounts.treasury_quote,
            &ctx.accounts.buyer.to_account_info(),
            total,
        )?;
        token::mint_credits(
            &class,
            &ctx.accounts.credit_token_program.to_account_info(),
            MintRef::new(&ctx.accounts.credit_mint, class.decimals),
            &ctx.accounts.recipient_credits,
            amount,
        )?;
        let minted_total = {
            let mut class = ctx.accounts.class.load_mut()?;
            class.record_mint(amount)?;
            class.minted
        };
        emit!(CreditsPurchased {
            class: class.key(),
            buyer: ctx.accounts.buyer.key(),
            recipient: ctx.accounts.recipient_credits.key(),
            credits: amount,
            quote_paid: total,
            fee,
            minted_total,
        });
        Ok(())
    }
}
