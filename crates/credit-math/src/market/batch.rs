//! `batch`: cancel some or all of a seat's orders and place several post-only orders, all or
//! nothing (a market maker's requote).
//!
//! The parts run in order through `cancel` / `cancel_all` / `place`, each of which refuses
//! without changing anything. If a later part refuses, the earlier ones are undone exactly
//! from the events they emitted, newest first: a removed order is put back at its priority
//! with its lock, a placed order is taken out with its lock, and the header (sequence
//! numbers) is restored. Post-only orders never fill, so a batch emits only removals and
//! placements, each of which carries all it takes to reverse it; reinserting an order
//! restores the side bit for bit (sequence numbers are unique, slots past `len` are zero).
//! The undo path runs only on a refusal (on-chain the transaction is refused as well).
use super::fees::Params;
use super::{
    lock, unlock, BatchCancels, Emitted, Event, MarketError, MarketMut, Order, OrderKind, OrderRequest,
    RemoveReason,
};

impl<const N: usize> MarketMut<'_, N> {
    /// Cancels (`cancels`), then places `places` (each must be post-only, else `InvalidOrder`
    /// before anything runs), for `seat`. On any refusal nothing has changed. A post-only order
    /// that is accepted rests: the `OrderPlaced` events carry the new sequence numbers.
    pub fn batch(
        &mut self,
        seat: u32,
        cancels: BatchCancels<'_>,
        places: &[OrderRequest],
        now: i64,
        events: &mut Vec<Emitted>,
    ) -> Result<(), MarketError> {
        let i = self.check_seat(seat)?;
        // the parameters a batch reads (sizes, fees) do not change while it runs
        let p = Params::of(self.header);
        if places.iter().any(|p| p.kind != OrderKind::PostOnly) {
            return Err(MarketError::InvalidOrder);
        }
        let (header, mark) = (*self.header, events.len());
        let run = |m: &mut Self, events: &mut Vec<Emitted>| -> Result<(), MarketError> {
            match cancels {
                BatchCancels::None => {}
                BatchCancels::All => {
                    m.cancel_all(seat, events)?;
                }
                BatchCancels::These(list) => {
                    for c in list {
                        m.cancel_checked(i, seat, &p, c.side, c.price, c.seq, events)?;
                    }
                }
            }
            for o in places {
                m.place_checked(i, seat, &p, *o, now, events)?;
            }
            Ok(())
        };
        let result = run(self, events);
        if result.is_err() {
            for e in events[mark..].iter().rev() {
                self.undo(&e.event);
            }
            events.truncate(mark);
            *self.header = header;
        }
        result
    }

    /// Reverses one removal or placement (see the module note).
    fn undo(&mut self, event: &Event) {
        let p = Params::of(self.header);
        match *event {
            Event::OrderRemoved { seat, side, seq, price, lots, expiry, reason } => {
                debug_assert!(matches!(
                    reason,
                    RemoveReason::Cancelled | RemoveReason::Expired | RemoveReason::Evicted
                ));
                let order = Order { price, lots, seq, expiry, seat, _reserved: [0; 4] };
                self.side_mut(side).insert(side, order);
                let s = &mut self.seats[seat as usize];
                lock(s, side, p.lock(side, price, lots).expect("lock of a resting order"));
                s.order_count += 1;
            }
            Event::OrderPlaced { seat, side, seq, price, lots, .. } => {
                let book = self.side_mut(side);
                let at = book.find(side, price, seq).expect("the order this batch placed");
                book.remove_at(at);
                let s = &mut self.seats[seat as usize];
                unlock(s, side, p.lock(side, price, lots).expect("lock of a resting order"));
                s.order_count -= 1;
            }
            // a batch cancels and places post-only orders: it neither trades nor moves balances
            _ => unreachable!("a batch emitted {event:?}"),
        }
    }
}
