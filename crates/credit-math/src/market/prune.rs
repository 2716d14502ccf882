//! `prune_expired`: the crank that clears expired orders from a side (without it they leave
//! only when matching meets them, or by their owner's cancel).
use super::fees::Params;
use super::{emit, removed_event, unlock, Emitted, MarketError, MarketMut, Order, RemoveReason};
use crate::book::Side;

impl<const N: usize> MarketMut<'_, N> {
    /// Removes up to `max` expired orders from `side`, worst first: each one's lock returns to
    /// its seat's free balance, with one `OrderRemoved` event (reason `Expired`). Unexpired
    /// orders stay, in order. Returns how many went (0 when none had expired: nothing changed).
    /// Refuses `max == 0` (`ZeroAmount`). One pass over the side (O(len)): a crank.
    pub fn prune_expired(
        &mut self,
        side: Side,
        max: u32,
        now: i64,
        events: &mut Vec<Emitted>,
    ) -> Result<u32, MarketError> {
        if max == 0 {
            return Err(MarketError::ZeroAmount);
        }
        let p = Params::of(self.header);
        let book = match side {
            Side::Bid => &mut *self.bids,
            Side::Ask => &mut *self.asks,
        };
        let (header, seats) = (&mut *self.header, &mut *self.seats);
        let len = book.len as usize;
        let (mut kept, mut removed) = (0, 0u32);
        for i in 0..len {
            let o = book.orders[i];
            if removed < max && o.is_expired(now) {
                // a resting order's lock was computed when it was placed: it fits
                let release = p.lock(side, o.price, o.lots).expect("lock of a resting order");
                let s = &mut seats[o.seat as usize];
                unlock(s, side, release);
                s.order_count -= 1;
                emit(header, events, removed_event(side, &o, o.lots.0, RemoveReason::Expired));
                removed += 1;
            } else {
                if kept != i {
                    book.orders[kept] = o;
                }
                kept += 1;
            }
        }
        book.orders[kept..len].fill(Order::default());
        book.len = kept as u64;
        Ok(removed)
    }
}
