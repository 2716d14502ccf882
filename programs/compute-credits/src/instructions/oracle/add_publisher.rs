use anchor_lang::prelude::*;

use crate::error::CreditsError;
use crate::events::PublisherChanged;
use crate::state::{FeedKind, Platform, PriceFeed, PublisherSlot, MAX_PUBLISHERS};

/// Admin: adds a publisher to a native feed (at most 8; one slot per key, so a duplicate
/// publisher can never count twice towards the median).
#[derive(Accounts)]
pub struct ManagePublisher<'info> {
    pub admin: Signer<'info>,
    #[account(has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut)]
    pub price_feed: AccountLoader<'info, PriceFeed>,
}

impl ManagePublisher<'_> {
    pub fn add(ctx: Context<Self>, publisher: Pubkey) -> Result<()> {
        let mut feed = ctx.accounts.price_feed.load_mut()?;
        require!(feed.feed_kind() == FeedKind::Native, CreditsError::WrongFeedKind);
        require!(publisher != Pubkey::default(), CreditsError::DefaultKey);
        require!(feed.publisher_index(&publisher).is_none(), CreditsError::PublisherAlreadyAdded);
        let n = feed.publisher_count as usize;
        require!(n < MAX_PUBLISHERS, CreditsError::PublisherSetFull);
        feed.publishers[n] = PublisherSlot { authority: publisher, ..Default::default() };
        feed.publisher_count += 1;
        emit!(PublisherChanged {
            feed: ctx.accounts.price_feed.key(),
            publisher,
            added: true,
            publisher_count: feed.publisher_count
        });
        Ok(())
    }

    /// Removes a publisher; its observation leaves the median at once. The quorum may not
    /// exceed the publishers left.
    pub fn remove(ctx: Context<Self>, publisher: Pubkey) -> Result<()> {
        let mut feed = ctx.accounts.price_feed.load_mut()?;
        let i = feed.publisher_index(&publisher).ok_or(CreditsError::NotPublisher)?;
        let n = feed.publisher_count as usize;
        require!(n > feed.min_publishers as usize, CreditsError::InvalidFeedConfig);
        feed.publishers.copy_within(i + 1..n, i);
        feed.publishers[n - 1] = PublisherSlot::default();
        feed.publisher_count -= 1;
        emit!(PublisherChanged {
            feed: ctx.accounts.price_feed.key(),
            publisher,
            added: false,
            publisher_count: feed.publisher_count
        });
        Ok(())
    }
}
