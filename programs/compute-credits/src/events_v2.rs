//! Market v2's events: one per engine event (`credit_math::market::Event`), each with the
//! market-wide sequence number `seq`, so an indexer rebuilds the book, the balances and the tape
//! from events alone. Each event is laid out exactly as `emit!` logs it (discriminator + Borsh
//! fields); an instruction's engine events are logged back to back in one `sol_log_data` slice
//! (one `Program data:` line, see `log_events`).
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use credit_math::book::Side;
use credit_math::market::{Emitted, Event, RemoveReason};

/// `side` fields: 0 = bid, 1 = ask.
pub fn side_code(side: Side) -> u8 {
    match side {
        Side::Bid => 0,
        Side::Ask => 1,
    }
}

/// `OrderRemovedV2::reason`.
pub fn reason_code(reason: RemoveReason) -> u8 {
    match reason {
        RemoveReason::Cancelled => 0,
        RemoveReason::Expired => 1,
        RemoveReason::SelfTrade => 2,
        RemoveReason::Evicted => 3,
        RemoveReason::Dust => 4,
        RemoveReason::OwnerFrozen => 5,
    }
}

#[event]
pub struct MarketV2Created {
    pub market: Pubkey,
    pub class: Pubkey,
    pub quote_mint: Pubkey,
    pub lot_size: u64,
    pub tick_size: u64,
    pub min_order_notional: u64,
    pub max_orders_per_seat: u32,
    pub maker_fee_bps: u16,
    pub taker_fee_bps: u16,
}

#[event]
pub struct SeatClaimedV2 {
    pub market: Pubkey,
    pub seq: u64,
    pub seat: u32,
    pub owner: Pubkey,
}

/// Atoms moved into (`DepositV2`) or out of (`WithdrawV2`) a seat's free balances.
#[event]
pub struct DepositV2 {
    pub market: Pubkey,
    pub seq: u64,
    pub seat: u32,
    pub credits: u64,
    pub quote: u64,
}

#[event]
pub struct WithdrawV2 {
    pub market: Pubkey,
    pub seq: u64,
    pub seat: u32,
    pub credits: u64,
    pub quote: u64,
}

#[event]
pub struct MarketFeesWithdrawn {
    pub market: Pubkey,
    pub seq: u64,
    pub amount: u64,
}

/// An order rests: `order_seq` names it (with side and price) from now on.
#[event]
pub struct OrderPlacedV2 {
    pub market: Pubkey,
    pub seq: u64,
    pub seat: u32,
    pub side: u8,
    pub order_seq: u64,
    pub price: u64,
    pub lots: u64,
    pub expiry: i64,
}

/// `lots` left the resting order `order_seq` without trading (all of it unless `reason` is a
/// self-trade decrement). Reasons: 0 cancelled, 1 expired, 2 self-trade, 3 evicted, 4 dust,
/// 5 owner frozen.
#[event]
pub struct OrderRemovedV2 {
    pub market: Pubkey,
    pub seq: u64,
    pub seat: u32,
    pub side: u8,
    pub order_seq: u64,
    pub price: u64,
    pub lots: u64,
    pub expiry: i64,
    pub reason: u8,
}

/// A trade at the maker's price; `taker_seat` is `None` for a swap.
#[event]
pub struct FillV2 {
    pub market: Pubkey,
    pub seq: u64,
    pub maker_seat: u32,
    pub maker_side: u8,
    pub maker_seq: u64,
    pub taker_seat: Option<u32>,
    pub price: u64,
    pub lots: u64,
    pub maker_fee: u64,
    pub taker_fee: u64,
}

/// `cancel_frozen_orders_v2` flagged a seat frozen, or `clear_seat_freeze` cleared it.
#[event]
pub struct SeatFreezeChanged {
    pub market: Pubkey,
    pub seat: u32,
    pub owner: Pubkey,
    pub frozen: bool,
}

/// The most bytes one v2 event takes (discriminator included).
pub const MAX_EVENT_BYTES: usize = 160;

/// Logs one event on its own `Program data:` line, byte for byte what `emit!` logs.
pub fn log_event<T: AnchorSerialize + Discriminator>(event: &T) {
    let mut buf = Vec::with_capacity(MAX_EVENT_BYTES);
    buf.extend_from_slice(T::DISCRIMINATOR);
    event.serialize(&mut buf).expect("a Vec takes every write");
    anchor_lang::solana_program::log::sol_log_data(&[&buf]);
}

/// Writes one event's Borsh bytes by hand: every field is fixed-size little-endian (Borsh's
/// layout), `Option<u32>` a tag byte then the value. Each event is written into a window of
/// `MAX_EVENT_BYTES` of the log buffer from offset 0, so every offset is a compile-time
/// constant (no bounds checks, no copy). Borsh's generic writer costs a few hundred CU an event
/// on SBF.
struct Writer<'a> {
    buf: &'a mut [u8; MAX_EVENT_BYTES],
    at: usize,
}

impl Writer<'_> {
    #[inline(always)]
    fn bytes(&mut self, b: &[u8]) {
        self.buf[self.at..self.at + b.len()].copy_from_slice(b);
        self.at += b.len();
    }
    #[inline(always)]
    fn u8(&mut self, v: u8) {
        self.buf[self.at] = v;
        self.at += 1;
    }
    #[inline(always)]
    fn u32(&mut self, v: u32) {
        self.bytes(&v.to_le_bytes());
    }
    #[inline(always)]
    fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
    #[inline(always)]
    fn i64(&mut self, v: i64) {
        self.bytes(&v.to_le_bytes());
    }
    /// Discriminator, market, event sequence number: every engine event starts so.
    #[inline(always)]
    fn head(&mut self, disc: &[u8], market: &Pubkey, seq: u64) {
        self.bytes(disc);
        self.bytes(market.as_ref());
        self.u64(seq);
    }
}

/// Appends `e` to `out` at `*at`, laid out exactly as Borsh serializes its program event (see
/// the tests).
#[inline(always)]
///
/// `out` has `MAX_EVENT_BYTES` from `*at` on: the log buffer holds that much per event, and
/// every event takes at most that (the tests check each kind).
fn write_event(out: &mut [u8], at: &mut usize, market: &Pubkey, e: &Emitted) {
    let window: &mut [u8; MAX_EVENT_BYTES] =
        (&mut out[*at..*at + MAX_EVENT_BYTES]).try_into().expect("a window of MAX_EVENT_BYTES");
    let mut w = Writer { buf: window, at: 0 };
    write_fields(&mut w, market, e);
    *at += w.at;
}

#[inline(always)]
fn write_fields(w: &mut Writer, market: &Pubkey, e: &Emitted) {
    let seq = e.seq;
    match e.event {
        Event::SeatClaimed { seat, owner } => {
            w.head(SeatClaimedV2::DISCRIMINATOR, market, seq);
            w.u32(seat);
            w.bytes(&owner);
        }
        Event::Deposit { seat, base, quote } => {
            w.head(DepositV2::DISCRIMINATOR, market, seq);
            w.u32(seat);
            w.u64(base.0);
            w.u64(quote.0);
        }
        Event::Withdraw { seat, base, quote } => {
            w.head(WithdrawV2::DISCRIMINATOR, market, seq);
            w.u32(seat);
            w.u64(base.0);
            w.u64(quote.0);
        }
        Event::FeesWithdrawn { amount } => {
            w.head(MarketFeesWithdrawn::DISCRIMINATOR, market, seq);
            w.u64(amount.0);
        }
        Event::OrderPlaced { seat, side, seq: order_seq, price, lots, expiry } => {
            w.head(OrderPlacedV2::DISCRIMINATOR, market, seq);
            w.u32(seat);
            w.u8(side_code(side));
            w.u64(order_seq);
            w.u64(price.0);
            w.u64(lots.0);
            w.i64(expiry);
        }
        Event::OrderRemoved { seat, side, seq: order_seq, price, lots, expiry, reason } => {
            w.head(OrderRemovedV2::DISCRIMINATOR, market, seq);
            w.u32(seat);
            w.u8(side_code(side));
            w.u64(order_seq);
            w.u64(price.0);
            w.u64(lots.0);
            w.i64(expiry);
            w.u8(reason_code(reason));
        }
        Event::Fill { maker_seat, maker_side, maker_seq, taker_seat, price, lots, maker_fee, taker_fee } => {
            w.head(FillV2::DISCRIMINATOR, market, seq);
            w.u32(maker_seat);
            w.u8(side_code(maker_side));
            w.u64(maker_seq);
            match taker_seat {
                Some(t) => {
                    w.u8(1);
                    w.u32(t);
                }
                None => w.u8(0),
            }
            w.u64(price.0);
            w.u64(lots.0);
            w.u64(maker_fee.0);
            w.u64(taker_fee.0);
        }
    }
}

/// Logs each engine event of `market`, in order, as ONE `sol_log_data` slice: the log line is
/// `Program data: <base64>` of the events' bytes back to back, each laid out exactly as
/// `emit!` would log it (8-byte discriminator, then Borsh fields). The syscall costs 100 CU per
/// call, 100 per slice and 1 per byte, so one slice for all of an instruction's events saves
/// 200 CU an event over `emit!`'s one call each. An indexer reads the events in sequence: each
/// discriminator names the event, whose Borsh layout gives its length (every field is
/// fixed-size but `FillV2::taker_seat`, an `Option<u32>`: a tag byte, then 4 bytes if set).
/// `tests/harness/events.rs` decodes it so.
pub fn log_events(market: &Pubkey, events: &[Emitted]) {
    if events.is_empty() {
        return;
    }
    // one or two events (a cancel, a resting order, a fill) on the stack; more on the heap
    let mut stack = [0u8; 2 * MAX_EVENT_BYTES];
    let mut heap;
    let buf: &mut [u8] = if events.len() <= 2 {
        &mut stack
    } else {
        heap = vec![0u8; events.len() * MAX_EVENT_BYTES];
        &mut heap
    };
    let mut len = 0;
    for e in events {
        write_event(buf, &mut len, market, e);
    }
    anchor_lang::solana_program::log::sol_log_data(&[&buf[..len]]);
}

#[cfg(test)]
mod tests {
    use super::*;

    use credit_math::book::{BaseLots, Ticks};
    use credit_math::quantities::{CreditAtoms, QuoteAtoms};

    fn borsh<T: AnchorSerialize + Discriminator>(e: &T) -> Vec<u8> {
        let mut want = T::DISCRIMINATOR.to_vec();
        e.serialize(&mut want).unwrap();
        assert!(want.len() <= MAX_EVENT_BYTES);
        want
    }

    fn written(market: &Pubkey, seq: u64, event: Event) -> Vec<u8> {
        let mut buf = [0u8; MAX_EVENT_BYTES];
        let mut at = 0;
        write_event(&mut buf, &mut at, market, &Emitted { seq, event });
        buf[..at].to_vec()
    }

    /// Each event's hand-written bytes are byte for byte what `emit!` (Borsh) would log.
    #[test]
    fn written_events_match_borsh() {
        let market = Pubkey::new_unique();
        let owner = Pubkey::new_unique();
        for taker_seat in [Some(4), None] {
            let e = Event::Fill {
                maker_seat: 3,
                maker_side: Side::Ask,
                maker_seq: 7,
                taker_seat,
                price: Ticks(250),
                lots: BaseLots(2),
                maker_fee: QuoteAtoms(5),
                taker_fee: QuoteAtoms(15),
            };
            let want = FillV2 {
                market,
                seq: 9,
                maker_seat: 3,
                maker_side: 1,
                maker_seq: 7,
                taker_seat,
                price: 250,
                lots: 2,
                maker_fee: 5,
                taker_fee: 15,
            };
            assert_eq!(written(&market, 9, e), borsh(&want));
        }
        let placed = Event::OrderPlaced {
            seat: 2,
            side: Side::Bid,
            seq: 11,
            price: Ticks(99),
            lots: BaseLots(3),
            expiry: -5,
        };
        let want =
            OrderPlacedV2 { market, seq: 1, seat: 2, side: 0, order_seq: 11, price: 99, lots: 3, expiry: -5 };
        assert_eq!(written(&market, 1, placed), borsh(&want));
        let removed = Event::OrderRemoved {
            seat: 2,
            side: Side::Ask,
            seq: 11,
            price: Ticks(99),
            lots: BaseLots(3),
            expiry: 77,
            reason: RemoveReason::Evicted,
        };
        let want = OrderRemovedV2 {
            market,
            seq: 2,
            seat: 2,
            side: 1,
            order_seq: 11,
            price: 99,
            lots: 3,
            expiry: 77,
            reason: 3,
        };
        assert_eq!(written(&market, 2, removed), borsh(&want));
        let claimed = Event::SeatClaimed { seat: 6, owner: owner.to_bytes() };
        assert_eq!(written(&market, 3, claimed), borsh(&SeatClaimedV2 { market, seq: 3, seat: 6, owner }));
        let dep = Event::Deposit { seat: 6, base: CreditAtoms(8), quote: QuoteAtoms(9) };
        let want = DepositV2 { market, seq: 4, seat: 6, credits: 8, quote: 9 };
        assert_eq!(written(&market, 4, dep), borsh(&want));
        let wd = Event::Withdraw { seat: 6, base: CreditAtoms(8), quote: QuoteAtoms(9) };
        let want = WithdrawV2 { market, seq: 5, seat: 6, credits: 8, quote: 9 };
        assert_eq!(written(&market, 5, wd), borsh(&want));
        let fees = Event::FeesWithdrawn { amount: QuoteAtoms(12) };
        assert_eq!(written(&market, 6, fees), borsh(&MarketFeesWithdrawn { market, seq: 6, amount: 12 }));
    }
}
