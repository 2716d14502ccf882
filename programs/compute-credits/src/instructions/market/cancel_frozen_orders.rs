use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::error::CreditsError;
use crate::events::{FrozenOrdersCancelled, OrderRemovedLog};
use crate::state::{seat_tag, Market};

/// Why an order left the book without a trade (`OrderRemoved::reason`).
pub const REMOVED_OWNER_FROZEN: u8 = 3;

/// Anyone: pulls every resting order of the owner of a **frozen** credit account of this
/// market's class, so a blocked trader's orders cannot fill. Their locks become free balances
/// in the seat (credits withdrawable only once no freeze hold remains on the owner).
///
/// The taker of a fill never sees the maker's token account, so a freeze alone cannot stop a
/// resting order; whoever freezes (the guardian, a lender on default) puts this instruction in
/// the same transaction as the freeze, and keepers can run it at any time afterwards. With
/// nothing to pull (no seat, no resting order) it succeeds and changes nothing, so the frozen
/// trader cannot make the freezer's transaction fail by cancelling its orders first.
#[derive(Accounts)]
pub struct CancelFrozenOrders<'info> {
    #[account(mut)]
    pub market: AccountLoader<'info, Market>,
    /// A frozen credit account of the market's class; its owner's orders are pulled.
    #[account(constraint = frozen_account.mint == market.load()?.credit_mint @ CreditsError::WrongClass)]
    pub frozen_account: Box<InterfaceAccount<'info, TokenAccount>>,
}

impl CancelFrozenOrders<'_> {
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let account = &ctx.accounts.frozen_account;
        require!(account.is_frozen(), CreditsError::CreditAccountNotFrozen);
        let owner = account.owner;
        let market = ctx.accounts.market.key();
        let mut m = ctx.accounts.market.load_mut()?;
        let Some(seat) = m.seat_of(&owner) else { return Ok(()) };
        let tag = seat_tag(seat);
        // one `OrderRemoved` per pulled order, its constant part laid out once
        let mut event = OrderRemovedLog::new(market, owner, REMOVED_OWNER_FROZEN);
        let mut emit_removed = |o: &credit_math::book::RestingOrder| event.log(o.seq, o.lots.0);
        let book = m.book_mut();
        let bids = book.bids.remove_owner_with(&tag, &mut emit_removed);
        let asks = book.asks.remove_owner_with(&tag, &mut emit_removed);
        if bids + asks == 0 {
            return Ok(());
        }
        // A seat's locked balances are exactly what its resting orders hold, and it has none
        // left: everything locked is free again.
        let s = &mut m.seats[seat];
        let (credits, quote) = (s.base_locked, s.quote_locked);
        s.base_free = s.base_free.checked_add(credits).ok_or(CreditsError::MathOverflow)?;
        s.quote_free = s.quote_free.checked_add(quote).ok_or(CreditsError::MathOverflow)?;
        (s.base_locked, s.quote_locked) = (0, 0);
        emit!(FrozenOrdersCancelled {
            market,
            owner,
            frozen_account: account.key(),
            bids: bids as u16,
            asks: asks as u16,
            credits,
            quote,
        });
        Ok(())
    }
}
