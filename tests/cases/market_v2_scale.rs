//! Market v2 at scale and against v1's two jams: a side full of one-tick bids (a better bid
//! still rests, evicting the worst), squatter seats (they block nobody), a thousand traders
//! with seats trading; events decoded on the `.so` rebuild the book.
use compute_credits::error::CreditsError;
use compute_credits::events_v2::{FillV2, OrderPlacedV2, OrderRemovedV2};
use compute_credits::state::{MarketV2, V2_BOOK_CAPACITY};
use compute_credits::{MarketAsset, OrderSide, OrderType};
use harness::market::LOT;
use harness::market_v2::*;
use harness::market_v2_ix::*;
use harness::{Mode, TestContext, TokenKind, TxResult};
use solana_sdk::signature::Signer;
use std::collections::BTreeMap;

use harness::refused;

const USD: u64 = 1_000_000;

/// v1's jam: one wallet rests 256 one-tick bids ($2.56) and honest bids fail with `BookFull`.
/// In v2 a one-tick bid must be worth the minimum notional ($1: 100 lots) and a seat rests at
/// most 16, so the jam takes 16 seats and $256 of locked quote, and a bid one tick better
/// still rests by evicting the worst.
#[tokio::test]
async fn a_side_of_one_tick_bids_does_not_jam_v2() {
    let mut ctx = TestContext::start().await;
    let squatters = V2_BOOK_CAPACITY / MAX_ORDERS_PER_SEAT as usize;
    let mut w = V2World::new(&mut ctx, TokenKind::Spl, squatters).await;
    for i in 0..squatters {
        w.fund(&mut ctx, i, 0, 20 * USD).await;
        let (t, seat) = (&w.traders[i], w.seats[i]);
        let ixs: Vec<_> = (0..MAX_ORDERS_PER_SEAT)
            .map(|_| {
                place_order_v2(&w.k, &t.pubkey(), limit_v2(seat, OrderSide::Bid, OrderType::Limit, 1, 100))
            })
            .collect();
        ctx.send(&ixs, &[&t.key]).await.unwrap();
    }
    let m = market_v2_state(&mut ctx, &w.k.market).await;
    assert_eq!(m.bids().len as usize, V2_BOOK_CAPACITY, "the side is full");
    let locked: u64 = m.seats.iter().map(|s| s.quote_locked.0).sum();
    assert_eq!(locked, 256 * bid_lock(1, 100), "the jam locks $256.26, not $2.56");
    let worst = m.bids().orders()[0];

    let h = w.add_trader(&mut ctx).await;
    w.fund(&mut ctx, h, 0, 100 * USD).await;
    let (t, seat, k) = (&w.traders[h], w.seats[h], &w.k);
    // priced no better than the worst: refused, nothing changed
    let ix = place_order_v2(k, &t.pubkey(), limit_v2(seat, OrderSide::Bid, OrderType::Limit, 1, 100));
    refused(&mut ctx, ix, &[&t.key], CreditsError::BookFull, &[k.market]).await;
    // one tick better: rests, the worst is evicted and its lock returns to its seat
    let ix = place_order_v2(k, &t.pubkey(), limit_v2(seat, OrderSide::Bid, OrderType::Limit, 2, 50));
    let r = ctx.send(&[ix], &[&t.key]).await.unwrap();
    let m = market_v2_state(&mut ctx, &k.market).await;
    assert_eq!(m.bids().len as usize, V2_BOOK_CAPACITY);
    assert_eq!(m.bids().best().map(|o| (o.seat, o.price.0, o.lots.0)), Some((seat, 2, 50)));
    assert!(m.bids().orders().iter().all(|o| o.seq != worst.seq), "the worst bid is gone");
    let victim = m.seats[worst.seat as usize];
    assert_eq!((victim.order_count, victim.quote_locked.0), (15, 15 * bid_lock(1, 100)));
    assert_vaults_match(&mut ctx, k).await;
    if ctx.mode == Mode::Sbf {
        let removed = harness::events::events::<OrderRemovedV2>(&r.logs);
        assert_eq!(removed.len(), 1);
        assert_eq!((removed[0].order_seq, removed[0].seat, removed[0].reason), (worst.seq, worst.seat, 3));
        let placed = harness::events::events::<OrderPlacedV2>(&r.logs);
        assert_eq!((placed.len(), placed[0].seq), (1, removed[0].seq + 1));
    }
}

/// v1's other jam: 63 one-tick bids took every seat. v2 has no seat limit: 63 squatter seats
/// cost their owners rent and block nobody, neither newcomers nor seatless takers.
#[tokio::test]
async fn squatter_seats_block_nobody() {
    let mut ctx = TestContext::start().await;
    let mut w = V2World::new(&mut ctx, TokenKind::Spl, 0).await;
    for _ in 0..63 {
        let s = ctx.funded_keypair(1_000_000_000).await;
        ctx.send(&[claim_seat(&w.k, &s.pubkey())], &[&s]).await.unwrap();
    }
    let (a, b) = (w.add_trader(&mut ctx).await, w.add_trader(&mut ctx).await);
    assert_eq!((w.seats[a], w.seats[b]), (63, 64));
    w.fund(&mut ctx, a, 0, 100 * USD).await;
    w.fund(&mut ctx, b, 10 * LOT, 0).await;
    let k = &w.k;
    let (ta, tb) = (&w.traders[a], &w.traders[b]);
    let bid = limit_v2(w.seats[a], OrderSide::Bid, OrderType::Limit, 250, 4);
    ctx.send(&[place_order_v2(k, &ta.pubkey(), bid)], &[&ta.key]).await.unwrap();
    let ask = limit_v2(w.seats[b], OrderSide::Ask, OrderType::ImmediateOrCancel, 250, 2);
    ctx.send(&[place_order_v2(k, &tb.pubkey(), ask)], &[&tb.key]).await.unwrap();
    let taker = w.f.user(&mut ctx, &w.c, 100 * USD).await;
    w.f.buy(&mut ctx, &w.c, &taker, 5 * LOT).await.unwrap();
    ctx.send(&[swap(k, &taker, OrderSide::Ask, 2 * LOT, 1, 250)], &[&taker.key]).await.unwrap();
    let m = market_v2_state(&mut ctx, &k.market).await;
    assert_eq!((m.header().seat_count, m.len), (65, MarketV2::space_with(65)));
    assert_eq!(m.seats[w.seats[a] as usize].base_free.0, 4 * LOT, "the newcomer bought from both");
    assert_eq!(m.bids().len, 0);
    assert_vaults_match(&mut ctx, k).await;
}

/// The scale: a thousand distinct traders claim seats, deposit and trade (pairs: a
/// bid that rests, an IOC ask that takes part of it), in one market account that grows to
/// 1,000 seats. Balances, totals and vaults agree at the end.
#[tokio::test]
async fn a_thousand_traders_claim_seats_and_trade() {
    let mut ctx = TestContext::start().await;
    let mut w = V2World::new(&mut ctx, TokenKind::Spl, 0).await;
    let k = w.k;
    let mut fills = 0;
    for i in 0..1_000u64 {
        let t = w.f.user(&mut ctx, &w.c, 10 * USD).await;
        let seat = i as u32;
        let mut ixs = vec![claim_seat(&k, &t.pubkey())];
        if i % 2 == 0 {
            ixs.push(deposit(&k, &t, seat, MarketAsset::Quote, 10 * USD));
            // 2 lots at $2.00..$2.49: the book's best moves around
            ixs.push(place_order_v2(
                &k,
                &t.pubkey(),
                limit_v2(seat, OrderSide::Bid, OrderType::Limit, 200 + (i * 7) % 50, 2),
            ));
        } else {
            w.f.buy(&mut ctx, &w.c, &t, LOT).await.unwrap();
            ixs.push(deposit(&k, &t, seat, MarketAsset::Credits, LOT));
            ixs.push(place_order_v2(
                &k,
                &t.pubkey(),
                limit_v2(seat, OrderSide::Ask, OrderType::ImmediateOrCancel, 1, 1),
            ));
            fills += 1;
        }
        let r: TxResult = ctx.send(&ixs, &[&t.key]).await;
        assert!(r.is_ok(), "trader {i}: {:?}", r.result);
        w.traders.push(t);
        w.seats.push(seat);
    }
    let m = market_v2_state(&mut ctx, &k.market).await;
    let h = m.header();
    assert_eq!((h.seat_count, m.len), (1_000, MarketV2::space_with(1_000)));
    for (i, t) in w.traders.iter().enumerate() {
        assert_eq!(m.seats[i].owner, t.pubkey().to_bytes());
    }
    let sold: u64 = m.seats.iter().skip(1).step_by(2).map(|s| s.base_free.0).sum();
    let bought: u64 = m.seats.iter().step_by(2).map(|s| s.base_free.0).sum();
    assert_eq!((sold, bought), (0, fills * LOT), "every ask filled one lot against a bid");
    let resting: u64 = m.bids().orders().iter().map(|o| o.lots.0).sum();
    assert_eq!(resting, 500 * 2 - fills, "what the asks did not take rests");
    let base: u64 = m.seats.iter().map(|s| s.base_free.0 + s.base_locked.0).sum();
    let quote: u64 = m.seats.iter().map(|s| s.quote_free.0 + s.quote_locked.0).sum();
    assert_eq!((base, quote + h.treasury_fees.0), (h.base_total.0, h.quote_total.0));
    assert_vaults_match(&mut ctx, &k).await;
}

/// Every order change is an event with a market-wide sequence number: on the `.so` (where the
/// program's logs are recorded) the events alone rebuild the resting book.
#[tokio::test]
async fn events_rebuild_the_book() {
    let mut ctx = TestContext::start().await;
    let w = V2World::new(&mut ctx, TokenKind::Token2022, 3).await;
    for i in 0..3 {
        w.fund(&mut ctx, i, 100 * LOT, 1_000 * USD).await;
    }
    let k = &w.k;
    let (t0, t1, t2) = (&w.traders[0], &w.traders[1], &w.traders[2]);
    let (s0, s1, s2) = (w.seats[0], w.seats[1], w.seats[2]);
    let mut logs = vec![];
    let steps = [
        (place_order_v2(k, &t0.pubkey(), limit_v2(s0, OrderSide::Bid, OrderType::Limit, 240, 5)), t0),
        (place_order_v2(k, &t0.pubkey(), limit_v2(s0, OrderSide::Bid, OrderType::Limit, 245, 5)), t0),
        (place_order_v2(k, &t1.pubkey(), limit_v2(s1, OrderSide::Ask, OrderType::Limit, 260, 8)), t1),
        (place_order_v2(k, &t2.pubkey(), limit_v2(s2, OrderSide::Ask, OrderType::Limit, 240, 7)), t2),
        (
            batch_orders(
                k,
                &t0.pubkey(),
                s0,
                true,
                vec![],
                vec![post(OrderSide::Bid, 230, 4), post(OrderSide::Ask, 259, 3)],
            ),
            t0,
        ),
        (place_order_v2(k, &t2.pubkey(), limit_v2(s2, OrderSide::Bid, OrderType::Limit, 262, 4)), t2),
        (cancel_all_orders(k, &t1.pubkey(), s1), t1),
    ];
    for (ix, t) in steps {
        let r = ctx.send(&[ix], &[&t.key]).await.unwrap();
        logs.extend(r.logs);
    }
    let m = market_v2_state(&mut ctx, &k.market).await;
    assert_vaults_match(&mut ctx, k).await;
    if ctx.mode != Mode::Sbf {
        assert!(logs.iter().all(|l| !l.starts_with("Program data: ")), "a builtin records no logs");
        return;
    }
    // (side, order seq) -> lots, from the events alone
    let mut book: BTreeMap<(u8, u64), (u32, u64, u64)> = BTreeMap::new();
    let mut seqs = vec![];
    let placed = harness::events::events::<OrderPlacedV2>(&logs);
    let removed = harness::events::events::<OrderRemovedV2>(&logs);
    let fills = harness::events::events::<FillV2>(&logs);
    let mut all: Vec<(u64, u8, usize)> = placed.iter().enumerate().map(|(i, e)| (e.seq, 0, i)).collect();
    all.extend(removed.iter().enumerate().map(|(i, e)| (e.seq, 1, i)));
    all.extend(fills.iter().enumerate().map(|(i, e)| (e.seq, 2, i)));
    all.sort_unstable();
    for (seq, kind, i) in all {
        seqs.push(seq);
        match kind {
            0 => {
                let e = &placed[i];
                book.insert((e.side, e.order_seq), (e.seat, e.price, e.lots));
            }
            1 => {
                let e = &removed[i];
                let o = book.get_mut(&(e.side, e.order_seq)).expect("removed a known order");
                o.2 -= e.lots;
                if o.2 == 0 {
                    book.remove(&(e.side, e.order_seq));
                }
            }
            _ => {
                let e = &fills[i];
                let o = book.get_mut(&(e.maker_side, e.maker_seq)).expect("filled a known order");
                o.2 -= e.lots;
                if o.2 == 0 {
                    book.remove(&(e.maker_side, e.maker_seq));
                }
            }
        }
    }
    assert!(placed.iter().chain([]).all(|e| e.market == k.market));
    let first = seqs[0];
    assert_eq!(seqs, (first..first + seqs.len() as u64).collect::<Vec<_>>(), "contiguous sequence numbers");
    assert_eq!(first + seqs.len() as u64, m.header().next_event_seq);
    let mut state: BTreeMap<(u8, u64), (u32, u64, u64)> = BTreeMap::new();
    for (side, sb) in [(0u8, m.bids()), (1u8, m.asks())] {
        for o in sb.orders() {
            state.insert((side, o.seq), (o.seat, o.price.0, o.lots.0));
        }
    }
    assert_eq!(book, state, "the events rebuild the book");
    assert!(!fills.is_empty() && fills.iter().all(|f| f.taker_seat.is_some()));
}
