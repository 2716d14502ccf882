//! Market v2's events: one per engine event (`credit_math::market::Event`), each with the
//! market-wide sequence number `seq`, so an indexer rebuilds the book, the balances and the tape
//! from events alone. Logged exactly as `emit!` logs them (`Program data:` = discriminator +
//! Borsh fields) but from a stack buffer: `emit!` allocates per event and the heap is never
//! freed within an instruction.
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

/// Logs `event` from a stack buffer.
pub fn log_event<T: AnchorSerialize + Discriminator>(event: &T) {
    let mut buf = [0u8; 160];
    let len = {
        let (disc, rest) = buf.split_at_mut(8);
        disc.copy_from_slice(T::DISCRIMINATOR);
        let mut w: &mut [u8] = rest;
        let room = w.len();
        event.serialize(&mut w).expect("every v2 event fits 152 bytes");
        8 + room - w.len()
    };
    anchor_lang::solana_program::log::sol_log_data(&[&buf[..len]]);
}

/// Logs each engine event of `market`, in order.
pub fn log_events(market: &Pubkey, events: &[Emitted]) {
    let market = *market;
    for e in events {
        let seq = e.seq;
        match e.event {
            Event::SeatClaimed { seat, owner } => {
                log_event(&SeatClaimedV2 { market, seq, seat, owner: Pubkey::new_from_array(owner) })
            }
            Event::Deposit { seat, base, quote } => {
                log_event(&DepositV2 { market, seq, seat, credits: base.0, quote: quote.0 })
            }
            Event::Withdraw { seat, base, quote } => {
                log_event(&WithdrawV2 { market, seq, seat, credits: base.0, quote: quote.0 })
            }
            Event::FeesWithdrawn { amount } => {
                log_event(&MarketFeesWithdrawn { market, seq, amount: amount.0 })
            }
            Event::OrderPlaced { seat, side, seq: order_seq, price, lots, expiry } => {
                log_event(&OrderPlacedV2 {
                    market,
                    seq,
                    seat,
                    side: side_code(side),
                    order_seq,
                    price: price.0,
                    lots: lots.0,
                    expiry,
                })
            }
            Event::OrderRemoved { seat, side, seq: order_seq, price, lots, expiry, reason } => {
                log_event(&OrderRemovedV2 {
                    market,
                    seq,
                    seat,
                    side: side_code(side),
                    order_seq,
                    price: price.0,
                    lots: lots.0,
                    expiry,
                    reason: reason_code(reason),
                })
            }
            Event::Fill {
                maker_seat,
                maker_side,
                maker_seq,
                taker_seat,
                price,
                lots,
                maker_fee,
                taker_fee,
            } => log_event(&FillV2 {
                market,
                seq,
                maker_seat,
                maker_side: side_code(maker_side),
                maker_seq,
                taker_seat,
                price: price.0,
                lots: lots.0,
                maker_fee: maker_fee.0,
                taker_fee: taker_fee.0,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stack-laid log is byte for byte what `emit!` would log.
    #[test]
    fn stack_log_matches_borsh() {
        let e = FillV2 {
            market: Pubkey::new_unique(),
            seq: 9,
            maker_seat: 3,
            maker_side: 1,
            maker_seq: 7,
            taker_seat: Some(4),
            price: 250,
            lots: 2,
            maker_fee: 5,
            taker_fee: 15,
        };
        let mut want = FillV2::DISCRIMINATOR.to_vec();
        e.serialize(&mut want).unwrap();
        assert!(want.len() <= 160);
        let mut buf = [0u8; 160];
        buf[..8].copy_from_slice(FillV2::DISCRIMINATOR);
        let mut w: &mut [u8] = &mut buf[8..];
        e.serialize(&mut w).unwrap();
        assert_eq!(&buf[..want.len()], &want[..]);
    }
}
