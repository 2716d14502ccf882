use crate::constants::PLATFORM;
use crate::error::CreditsError;
use crate::events::ClassPriceSourceChanged;
use crate::state::{CreditClass, Platform, PriceFeed};
use anchor_lang::prelude::*;

/// Admin: prices a class by its oracle feed (`use_feed = true`) or by its list price again.
#[derive(Accounts)]
pub struct SetClassPriceFeed<'info> {
    pub admin: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut)]
    pub class: AccountLoader<'info, CreditClass>,
    pub price_feed: AccountLoader<'info, PriceFeed>,
}

impl SetClassPriceFeed<'_> {
    pub fn handler(ctx: Context<Self>, use_feed: bool) -> Result<()> {
        let feed = ctx.accounts.price_feed.load()?;
        let class_key = ctx.accounts.class.key();
        require_keys_eq!(feed.class, class_key, CreditsError::WrongPriceFeed);
        let price_feed = if use_feed { ctx.accounts.price_feed.key() } else { Pubkey::default() };
        ctx.accounts.class.load_mut()?.price_feed = price_feed;
        emit!(ClassPriceSourceChanged { class: class_key, price_feed });
        Ok(())
    }
}
