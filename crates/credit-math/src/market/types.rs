//! Requests, outcomes, events and errors of the v2 engine.
use crate::book::{BaseLots, OrderKind, QuoteLots, Side, Ticks};
use crate::quantities::{CreditAtoms, QuoteAtoms};

/// Why the engine refused a call. Nothing changed when it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarketError {
    /// Zero lot or tick size, a fee of 100% or more, or no order allowed per seat.
    InvalidParams,
    /// No seat at that index.
    InvalidSeat,
    /// The hint names a seat that this owner already holds.
    DuplicateSeat,
    /// The caller did not provide the slot for a new seat (the program grows the account first).
    NoSeatSpace,
    /// A deposit or withdrawal of nothing.
    ZeroAmount,
    /// The seat's free balance cannot pay for this (or a withdrawal exceeds it).
    InsufficientBalance,
    /// The side is full and the order is priced no better than its worst order.
    BookFull,
    /// The seat already rests `max_orders_per_seat` orders.
    TooManyOrders,
    /// The order would rest below the market's minimum notional and traded nothing.
    BelowMinimumNotional,
    /// A post-only order would cross (or the book could not be cleared of expired orders
    /// within the removal limit to show it does not).
    WouldCross,
    /// A fill-or-kill order cannot be filled completely.
    CannotFillCompletely,
    /// Zero size or price, an expiry already past, a size whose notional overflows, or an
    /// order kind not allowed here (a batch takes post-only orders only).
    InvalidOrder,
    /// No order of this seat at that side, price and sequence number.
    OrderNotFound,
    /// A swap would pay out less than its minimum.
    SlippageExceeded,
    /// An amount does not fit its integer type.
    Overflow,
}

/// What a seat does when its order meets one of its own resting orders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SelfTrade {
    /// Cancel the resting order and go on matching (v1's behaviour).
    #[default]
    CancelResting,
    /// Stop matching and cancel the incoming order's remainder (fills so far stand).
    CancelTaker,
    /// Reduce both by the smaller size, trading nothing, and go on matching.
    DecrementBoth,
}

/// An incoming order from a seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderRequest {
    pub side: Side,
    pub kind: OrderKind,
    /// The worst price accepted; the price a remainder rests at.
    pub limit: Ticks,
    pub lots: BaseLots,
    /// 0 = good until cancelled; otherwise the resting remainder is void from this time on.
    pub expiry: i64,
    pub self_trade: SelfTrade,
    /// The most notional this order may trade, in quote lots (ticks x lots) as in v1
    /// (`NO_QUOTE_CAP`: none). Matching stops once reached; the last fill is cut to the fewest
    /// lots that reach it; a capped order never rests (liquidation sales use it).
    pub max_quote: QuoteLots,
}

impl OrderRequest {
    pub const NO_QUOTE_CAP: QuoteLots = QuoteLots(u64::MAX);

    /// A good-until-cancelled order with the default self-trade policy and no cap.
    pub fn new(side: Side, kind: OrderKind, limit: Ticks, lots: BaseLots) -> Self {
        Self {
            side,
            kind,
            limit,
            lots,
            expiry: 0,
            self_trade: SelfTrade::CancelResting,
            max_quote: Self::NO_QUOTE_CAP,
        }
    }
}

/// Names one resting order of the calling seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CancelRequest {
    pub side: Side,
    pub price: Ticks,
    pub seq: u64,
}

/// Which orders a batch cancels before it places.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchCancels<'a> {
    None,
    All,
    These(&'a [CancelRequest]),
}

/// How far one match may go (the program's compute budget): fills, and removals of expired or
/// own orders met on the way. Removals are cheaper than fills, so their limit is larger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatchLimits {
    pub max_fills: u32,
    pub max_removals: u32,
}

/// Why an order left the book without (entirely) trading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemoveReason {
    Cancelled,
    Expired,
    /// Self-trade prevention cancelled it, or (`DecrementBoth`) reduced it by `lots`.
    SelfTrade,
    /// Pushed out of a full side by a better-priced order.
    Evicted,
    /// A partial fill or decrement left it below the minimum notional.
    Dust,
    /// Its owner is frozen (`remove_owner`).
    OwnerFrozen,
}

/// One state change. The program logs each; an indexer rebuilds the book, balances and tape
/// from them alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    SeatClaimed {
        seat: u32,
        owner: [u8; 32],
    },
    Deposit {
        seat: u32,
        base: CreditAtoms,
        quote: QuoteAtoms,
    },
    Withdraw {
        seat: u32,
        base: CreditAtoms,
        quote: QuoteAtoms,
    },
    FeesWithdrawn {
        amount: QuoteAtoms,
    },
    OrderPlaced {
        seat: u32,
        side: Side,
        seq: u64,
        price: Ticks,
        lots: BaseLots,
        expiry: i64,
    },
    /// `lots` left the resting order `seq` (all of it unless the reason is a decrement).
    OrderRemoved {
        seat: u32,
        side: Side,
        seq: u64,
        price: Ticks,
        lots: BaseLots,
        expiry: i64,
        reason: RemoveReason,
    },
    /// A trade at the maker's price. `taker_seat` is `None` for a swap.
    Fill {
        maker_seat: u32,
        maker_side: Side,
        maker_seq: u64,
        taker_seat: Option<u32>,
        price: Ticks,
        lots: BaseLots,
        maker_fee: QuoteAtoms,
        taker_fee: QuoteAtoms,
    },
}

/// An event with its market-wide sequence number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Emitted {
    pub seq: u64,
    pub event: Event,
}

/// What `place` did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlaceOutcome {
    pub filled: BaseLots,
    /// Notional traded, before fees.
    pub notional: QuoteAtoms,
    pub taker_fee: QuoteAtoms,
    /// Sequence number of the resting remainder.
    pub rested: Option<u64>,
    pub rested_lots: BaseLots,
    /// Lots neither filled, rested nor decremented: an IOC remainder, a remainder below the
    /// minimum notional, a capped or self-trade-aborted order, or matching out of steps.
    pub dropped: BaseLots,
}

/// What a swap moves through the vaults.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SwapOutcome {
    /// Atoms of the input token the vault takes (at most `amount_in`).
    pub taken_in: u64,
    /// Atoms of the output token the vault pays out (at least `min_out`).
    pub paid_out: u64,
    pub lots: BaseLots,
    pub notional: QuoteAtoms,
    pub taker_fee: QuoteAtoms,
}
