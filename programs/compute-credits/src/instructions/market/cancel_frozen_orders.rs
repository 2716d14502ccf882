use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::error::CreditsError;
use crate::events::FrozenOrdersCancelled;
use crate::state::{seat_tag, Market};

/// Anyone: pulls every resting order of the owner of a **frozen** credit account of this
/// market's class, so a blocked trader's orders cannot fill. Their locks become free balances
/// in the seat (withdrawable only into an account that is not frozen).
///
/// The taker of a fill never sees the maker's token account, so a freeze alone cannot stop a
/// resting order; whoever freezes (the guardian, a lender on default) puts this instruction in
/// the same transaction as the freeze, and keepers can run it at any time afterwards.
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
        let mut m = ctx.accounts.market.load_mut()?;
        let seat = m.seat_of(&owner).ok_or(CreditsError::NoSeat)?;
        let (bids, asks) = m.book_mut().remove_owner(&seat_tag(seat));
        require!(bids + asks > 0, CreditsError::OrderNotFound);
        // A seat's locked balances are exactly what its resting orders hold, and it has none
        // left: everything locked is free again.
        let s = &mut m.seats[seat];
        let (credits, quote) = (s.base_locked, s.quote_locked);
        s.base_free = s.base_free.checked_add(credits).ok_or(CreditsError::MathOverflow)?;
        s.quote_free = s.quote_free.checked_add(quote).ok_or(CreditsError::MathOverflow)?;
        (s.base_locked, s.quote_locked) = (0, 0);
        emit!(FrozenOrdersCancelled {
            market: ctx.accounts.market.key(),
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
