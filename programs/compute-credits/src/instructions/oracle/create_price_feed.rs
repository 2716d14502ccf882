use anchor_lang::prelude::*;
use anchor_lang::Discriminator;

use crate::constants::*;
use crate::error::CreditsError;
use crate::events::PriceFeedConfigured;
use crate::pda::create_pda;
use crate::state::{CreditClass, FeedKind, Platform, PriceFeed};

/// A feed's definition and guards, set by the admin within the protocol's bounds. The
/// exponent and the Pyth feed id (with the kind, an argument of its own) are fixed at creation:
/// `configure_price_feed` takes the same struct and refuses a changed value
/// (`FeedFieldImmutable`), so a configuration meant for another feed is never applied.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeedConfig {
    /// Decimal exponent of every price and confidence of the feed (e.g. -8). Fixed at creation.
    pub expo: i32,
    /// Native feeds: fresh observations needed for an aggregate (1..=8).
    pub min_publishers: u8,
    /// An observation or aggregate older than this is stale (1..=86,400 s).
    pub max_staleness_secs: u32,
    /// Confidence may be at most this share of the price (1..=2,000 bps).
    pub max_confidence_bps: u16,
    /// A move above this within `deviation_window_secs` of the last aggregate trips the breaker.
    pub max_deviation_bps: u16,
    /// At least 1 s: a zero window would compare no aggregate with its predecessor, turning
    /// the circuit breaker off.
    pub deviation_window_secs: u32,
    /// Pyth feeds: the price feed id every `PriceUpdateV2` must carry. Fixed at creation.
    pub pyth_feed_id: [u8; 32],
}

impl FeedConfig {
    pub fn validate(&self, kind: FeedKind) -> Result<()> {
        let ok = (credit_math::price::MIN_EXPO..=credit_math::price::MAX_EXPO).contains(&self.expo)
            && (1..=MAX_STALENESS_SECS).contains(&self.max_staleness_secs)
            && (1..=MAX_CONFIDENCE_BPS).contains(&self.max_confidence_bps)
            && self.max_deviation_bps > 0
            && self.deviation_window_secs > 0
            && match kind {
                FeedKind::Native => (1..=crate::state::MAX_PUBLISHERS as u8).contains(&self.min_publishers),
                FeedKind::Pyth => self.pyth_feed_id != [0; 32],
            };
        require!(ok, CreditsError::InvalidFeedConfig);
        Ok(())
    }

    /// Refuses a configuration whose fixed fields (kind, exponent, Pyth feed id) differ from
    /// the feed's: they are part of what every stored price means.
    pub fn require_same_identity(&self, kind: FeedKind, feed: &PriceFeed) -> Result<()> {
        require!(kind as u8 == feed.kind, CreditsError::FeedFieldImmutable);
        require!(self.expo == feed.expo, CreditsError::FeedFieldImmutable);
        require!(self.pyth_feed_id == feed.pyth_feed_id, CreditsError::FeedFieldImmutable);
        Ok(())
    }

    /// Writes the guards (everything but the fixed fields).
    pub fn apply_guards(&self, feed: &mut PriceFeed) {
        feed.min_publishers = self.min_publishers;
        feed.max_staleness_secs = self.max_staleness_secs;
        feed.max_confidence_bps = self.max_confidence_bps;
        feed.max_deviation_bps = self.max_deviation_bps;
        feed.deviation_window_secs = self.deviation_window_secs;
    }
}

#[derive(Accounts)]
pub struct CreatePriceFeed<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
    pub class: AccountLoader<'info, CreditClass>,
    /// CHECK: the feed PDA, created here (`AlreadyInitialized` if it exists).
    #[account(mut, seeds = [PRICE_FEED_SEED, class.key().as_ref()], bump)]
    pub price_feed: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl CreatePriceFeed<'_> {
    pub fn handler(ctx: Context<Self>, kind: FeedKind, config: FeedConfig) -> Result<()> {
        config.validate(kind)?;
        let class_key = ctx.accounts.class.key();
        let info = ctx.accounts.price_feed.to_account_info();
        create_pda(
            &ctx.accounts.admin.to_account_info(),
            &info,
            &ctx.accounts.system_program.to_account_info(),
            &[PRICE_FEED_SEED, class_key.as_ref(), &[ctx.bumps.price_feed]],
            PriceFeed::SPACE,
            PriceFeed::SPACE,
            &crate::ID,
        )?;
        let mut data = info.try_borrow_mut_data()?;
        data[..8].copy_from_slice(PriceFeed::DISCRIMINATOR);
        let feed: &mut PriceFeed = bytemuck::from_bytes_mut(&mut data[8..]);
        feed.class = class_key;
        feed.kind = kind as u8;
        feed.bump = ctx.bumps.price_feed;
        feed.expo = config.expo;
        feed.pyth_feed_id = config.pyth_feed_id;
        config.apply_guards(feed);
        emit!(PriceFeedConfigured {
            feed: info.key(),
            class: feed.class,
            kind: feed.kind,
            expo: config.expo,
            min_publishers: config.min_publishers,
            max_staleness_secs: config.max_staleness_secs,
            max_confidence_bps: config.max_confidence_bps,
            max_deviation_bps: config.max_deviation_bps,
        });
        Ok(())
    }
}
