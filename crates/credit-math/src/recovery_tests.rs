use super::*;
use crate::book::{Book, OrderKind, OrderRequest, Side};
use crate::schedule::ScheduleKind;
use proptest::prelude::*;

const USD: u64 = 1_000_000;

fn price(m: u64, e: i32, d: u16, cd: u8, qd: u8) -> RecoveryPrice {
    RecoveryPrice::new(Price::new(m, e).unwrap(), Bps(d), cd, qd).unwrap()
}

fn ledger(principal: u64) -> LoanLedger {
    LoanLedger {
        principal,
        start_ts: 1_000,
        period_secs: 2_592_000,
        apr_bps: 1_000,
        periods: 12,
        schedule: ScheduleKind::InterestOnly as u8,
        status: LoanStatus::Defaulted as u8,
        principal_outstanding: principal,
        ..Default::default()
    }
}

/// `ceil(debt / (1 - discount))`: the value at the low price that covers the debt.
fn gross(p: &RecoveryPrice, debt: u64) -> u64 {
    mul_div_ceil(debt, BPS_ONE, BPS_ONE - p.discount.get()).unwrap()
}

#[test]
fn seizure_of_the_seed_loan() {
    // $100,000 of debt, $2.00 per GPU-hour low price, 5% discount, 6-decimal credits and quote:
    // 52,631.578948 GPU-hours (rounded up to the atom) cover it
    let p = price(200, -2, 500, 6, 6);
    let s = plan_seizure(&p, QuoteAtoms(100_000 * USD), CreditAtoms(60_000 * USD), CreditAtoms(u64::MAX))
        .unwrap();
    assert_eq!(s.credits, CreditAtoms(52_631_578_948));
    assert_eq!(s.repaid, QuoteAtoms(100_000 * USD));
    assert!(p.credited_value(CreditAtoms(s.credits.0 - 1)).unwrap() < QuoteAtoms(100_000 * USD));
    // a vault short of the debt gives everything and repays what it is worth
    let s = plan_seizure(&p, QuoteAtoms(100_000 * USD), CreditAtoms(50_000 * USD), CreditAtoms(u64::MAX))
        .unwrap();
    assert_eq!((s.credits, s.repaid), (CreditAtoms(50_000 * USD), QuoteAtoms(95_000 * USD)));
}

#[test]
fn sale_floor_rounds_against_the_seller() {
    // one lot = 1 GPU-hour (10^6 atoms) at $2.00 less 5% = $1.90; ticks of $0.01
    let p = price(200, -2, 500, 6, 6);
    assert_eq!(p.sale_floor(USD, 10_000).unwrap(), Ticks(190));
    // $1.905 per lot rounds up to 191 ticks
    let p = price(2_005, -3, 500, 6, 6);
    assert_eq!(p.sale_floor(USD, 10_000).unwrap(), Ticks(191));
    assert_eq!(p.sale_floor(USD, 0), Err(MathError::DivideByZero));
}

#[test]
fn dust_recovery_is_refused_and_does_not_latch() {
    let mut l = ledger(100 * USD);
    assert_eq!(settle_recovery(&mut l, QuoteAtoms(0), CreditAtoms(5)), Err(MathError::OutOfRange));
    assert_eq!(l.recovering, 0);
    // an empty vault writes the debt off even though nothing was repaid
    let out = settle_recovery(&mut l, QuoteAtoms(0), CreditAtoms(0)).unwrap();
    assert_eq!((out.written_off, out.done), (100 * USD, true));
    assert_eq!(l.status, LoanStatus::Liquidated as u8);
}

#[test]
fn recovery_closes_when_the_debt_is_paid_and_keeps_the_rest_for_the_borrower() {
    let mut l = ledger(100 * USD);
    l.interest_due = 5;
    l.fees_due = 7;
    let out = settle_recovery(&mut l, QuoteAtoms(40 * USD), CreditAtoms(10)).unwrap();
    assert_eq!((out.applied.fees, out.applied.interest, out.done), (7, 5, false));
    assert_eq!(l.recovering, 1);
    let out = settle_recovery(&mut l, QuoteAtoms(60 * USD + 12), CreditAtoms(10)).unwrap();
    assert!(out.done);
    assert_eq!(out.written_off, 0);
    assert_eq!(l.status, LoanStatus::Liquidated as u8);
}

#[test]
fn a_capped_sale_stops_at_the_debt() {
    // bids far above the floor: the sale stops once the notional nets the debt
    let p = price(200, -2, 500, 6, 6);
    let market = SaleMarket { lot_size: USD, tick_size: 10_000, taker_fee: Bps(30) };
    let mut book = Book::<16>::default();
    let bid = |price, lots, o: u8| OrderRequest {
        side: Side::Bid,
        kind: OrderKind::Limit,
        limit: Ticks(price),
        lots: BaseLots(lots),
        owner: [o; 32],
        expiry: 0,
        max_quote: OrderRequest::NO_QUOTE_CAP,
    };
    book.place(bid(400, 1_000, 1), 0, 16).unwrap();
    let debt = QuoteAtoms(100 * USD);
    let plan = plan_sale(&p, market, debt, CreditAtoms(1_000 * USD), BaseLots(1_000)).unwrap();
    assert_eq!(plan.floor, Ticks(190));
    let ask = OrderRequest {
        side: Side::Ask,
        kind: OrderKind::ImmediateOrCancel,
        limit: plan.floor,
        lots: plan.lots,
        owner: [9; 32],
        expiry: 0,
        max_quote: plan.max_quote,
    };
    let out = book.place(ask, 0, 16).unwrap();
    // $100 / (1 - 0.3%) = $100.31 at $4.00 a lot: 26 lots, not the 53 the floor would need
    assert_eq!(out.filled, BaseLots(26));
}

fn net_proceeds(fills: &[(u64, u64)], tick: u64, fee: u64) -> u64 {
    fills
        .iter()
        .map(|&(price, lots)| {
            let per_lot = price * tick;
            (per_lot - mul_div_ceil(per_lot, fee, BPS_ONE).unwrap()) * lots
        })
        .sum()
}

proptest! {
    #[test]
    fn a_seizure_covers_the_debt_with_the_fewest_credits(
        m in 1u64..1u64 << 32, e in -10i32..2, d in 0u16..2_000, cd in 0u8..10, qd in 0u8..9,
        debt in 0u64..1u64 << 44,
    ) {
        let p = price(m, e, d, cd, qd);
        let Ok(c) = p.credits_to_cover(QuoteAtoms(debt)) else { return Ok(()) };
        let Ok(credited) = p.credited_value(c) else { return Ok(()) };
        prop_assert!(credited.0 >= debt);
        if c.0 > 0 {
            prop_assert!(p.credited_value(CreditAtoms(c.0 - 1))?.0 < debt);
        }
        // the lender never receives more than debt / (1 - discount) of value at the low
        // price, to within the rounding of one credit atom
        let one_atom = value_ceil(CreditAtoms(1), p.low, cd, qd)?.0;
        prop_assert!(p.value_at_low(c)?.0 <= gross(&p, debt) + one_atom);
    }

    #[test]
    fn a_seizure_never_takes_more_than_allowed(
        m in 1u64..1u64 << 32, e in -10i32..2, d in 0u16..2_000, debt in 1u64..1u64 << 44,
        vault in 0u64..1u64 << 50, cap in 1u64..1u64 << 50,
    ) {
        let p = price(m, e, d, 6, 6);
        let Ok(s) = plan_seizure(&p, QuoteAtoms(debt), CreditAtoms(vault), CreditAtoms(cap)) else { return Ok(()) };
        prop_assert!(s.credits.0 <= vault.min(cap));
        prop_assert!(s.repaid.0 <= debt);
        prop_assert_eq!(s.repaid, p.credited_value(s.credits)?.min(QuoteAtoms(debt)));
    }

    #[test]
    fn a_sale_trades_at_or_above_the_floor_and_nets_at_most_the_debt_plus_a_lot(
        m in 50u64..500, d in 0u16..2_000, fee in 0u16..100, debt in 1u64..1_000 * USD,
        bids in proptest::collection::vec((0u64..300, 1u64..200), 1..12), vault_lots in 1u64..5_000,
        requested in 1u64..5_000,
    ) {
        let (lot_size, tick) = (USD, 10_000u64);
        let p = price(m, -2, d, 6, 6);
        let market = SaleMarket { lot_size, tick_size: tick, taker_fee: Bps(fee) };
        let plan = plan_sale(&p, market, QuoteAtoms(debt), CreditAtoms(vault_lots * lot_size), BaseLots(requested))?;
        // the floor is the discounted low value of a lot, rounded up
        prop_assert!(plan.floor.0 * tick >= p.credited_value(CreditAtoms(lot_size))?.0);
        let mut book = Box::new(Book::<16>::default());
        for (i, (above, lots)) in bids.iter().enumerate() {
            // bids around the floor, some below it
            let price = (plan.floor.0 + above).saturating_sub(100).max(1);
            let req = OrderRequest {
                side: Side::Bid, kind: OrderKind::Limit, limit: Ticks(price), lots: BaseLots(*lots),
                owner: [i as u8 + 1; 32], expiry: 0, max_quote: OrderRequest::NO_QUOTE_CAP,
            };
            let _ = book.place(req, 0, 16);
        }
        if plan.lots.0 == 0 {
            return Ok(());
        }
        let ask = OrderRequest {
            side: Side::Ask, kind: OrderKind::ImmediateOrCancel, limit: plan.floor, lots: plan.lots,
            owner: [0; 32], expiry: 0, max_quote: plan.max_quote,
        };
        let out = book.place(ask, 0, 16).unwrap();
        let fills: Vec<(u64, u64)> = out.fills.iter().map(|f| (f.price.0, f.lots.0)).collect();
        prop_assert!(fills.iter().all(|&(price, _)| price >= plan.floor.0));
        prop_assert!(out.filled.0 <= requested.min(vault_lots));
        let net = net_proceeds(&fills, tick, u64::from(fee));
        let sold_out = out.filled == plan.lots || out.filled.0 == requested.min(vault_lots);
        let book_dry = book.bids.best().is_none_or(|b| b.price < plan.floor);
        // the debt is netted, unless the vault, the request or the book ran out first
        prop_assert!(net >= debt || sold_out || book_dry);
        // never more than one lot beyond what nets the debt
        if let Some(&(last_price, _)) = fills.last() {
            prop_assert!(net < debt + requested.min(vault_lots) + last_price * tick + 1);
        }
    }
}

#[test]
fn a_rest_of_the_seed_loan_nets_the_debt_at_its_price() {
    // lot 1 GPU-hour, tick $0.0001: 24,000 ticks = $2.40 a lot; fees 0.10% maker, 0.30% taker:
    // a lot nets $2.40 less $0.0072 = $2.3928
    let market = SaleMarket { lot_size: USD, tick_size: 100, taker_fee: Bps(30) };
    let rest =
        plan_rest(market, Bps(10), Ticks(24_000), QuoteAtoms(1_000 * USD), BaseLots(u64::MAX)).unwrap();
    assert_eq!(rest, BaseLots(418)); // 1,000 / 2.3928 = 417.92
    let net = 24_000 * 100 - mul_div_ceil(24_000 * 100, 30, BPS_ONE).unwrap();
    assert!(417 * net < 1_000 * USD && 418 * net >= 1_000 * USD);
    // no more than the vault holds; nothing for no debt
    assert_eq!(
        plan_rest(market, Bps(10), Ticks(24_000), QuoteAtoms(1_000 * USD), BaseLots(100)),
        Ok(BaseLots(100))
    );
    assert_eq!(plan_rest(market, Bps(10), Ticks(24_000), QuoteAtoms(0), BaseLots(100)), Ok(BaseLots(0)));
    // a lot that nets nothing cannot be sized
    let tiny = SaleMarket { lot_size: USD, tick_size: 1, taker_fee: Bps(30) };
    assert_eq!(plan_rest(tiny, Bps(10), Ticks(1), QuoteAtoms(USD), BaseLots(10)), Err(MathError::OutOfRange));
}

proptest! {
    /// A resting sale of `plan_rest` lots, filled whole at its limit or better (as a maker, lot
    /// fees rounded up per lot; or as a taker, rounded up once per fill, in any split), nets at
    /// least the debt; one lot fewer at the limit would not have, with the worse fee.
    #[test]
    fn a_rest_filled_at_its_price_or_better_nets_the_debt_and_no_lot_more(
        tick in 1u64..1_000, limit in 1u64..100_000, better in 0u64..1_000, maker in 0u16..500,
        taker in 0u16..500, debt in 0u64..1u64 << 40, split in 1u64..8,
    ) {
        let market = SaleMarket { lot_size: USD, tick_size: tick, taker_fee: Bps(taker) };
        let Ok(r) = plan_rest(market, Bps(maker), Ticks(limit), QuoteAtoms(debt), BaseLots(u64::MAX)) else {
            // only when a lot nets nothing at the limit
            let lp = limit * tick;
            prop_assert!(lp <= mul_div_ceil(lp, u64::from(maker.max(taker)), BPS_ONE)?);
            return Ok(());
        };
        let r = r.0;
        for price in [limit, limit + better] {
            let lp = price * tick;
            // as a maker: the fee per lot, rounded up
            let maker_net = r * (lp - mul_div_ceil(lp, u64::from(maker), BPS_ONE)?);
            prop_assert!(maker_net >= debt, "maker {} < {}", maker_net, debt);
            // as a taker, in `split` fills
            let mut taker_net = 0;
            let mut left = r;
            for i in 0..split {
                let q = if i + 1 == split { left } else { left / 2 };
                left -= q;
                let notional = q * lp;
                taker_net += notional - mul_div_ceil(notional, u64::from(taker), BPS_ONE)?;
            }
            prop_assert!(taker_net >= debt, "taker {} < {}", taker_net, debt);
        }
        if r > 0 {
            let lp = limit * tick;
            let worst = lp - mul_div_ceil(lp, u64::from(maker.max(taker)), BPS_ONE)?;
            prop_assert!((r - 1) * worst < debt);
        }
    }
}
