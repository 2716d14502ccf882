use proptest::prelude::*;

use super::*;

const T0: i64 = 1_000_000;
const HOUR: u32 = 3_600;

fn c(atoms: u64) -> CreditAtoms {
    CreditAtoms(atoms)
}

/// 1,000 credits over the life, 100 an hour, a day long, an hour's notice.
fn terms() -> ChannelTerms {
    ChannelTerms {
        cap: c(1_000),
        period_cap: c(100),
        period_secs: HOUR,
        expiry_ts: T0 + 24 * i64::from(HOUR),
        notice_secs: HOUR,
    }
}

#[test]
fn terms_that_cannot_work_are_refused() {
    let t = terms();
    assert_eq!(t.validate(T0), Ok(()));
    assert_eq!(ChannelTerms { cap: c(0), ..t }.validate(T0), Err(ChannelRefusal::InvalidTerms));
    assert_eq!(ChannelTerms { period_secs: 0, ..t }.validate(T0), Err(ChannelRefusal::InvalidTerms));
    assert_eq!(ChannelTerms { period_cap: c(0), period_secs: 0, ..t }.validate(T0), Ok(()));
    assert_eq!(ChannelTerms { expiry_ts: T0, ..t }.validate(T0), Err(ChannelRefusal::InvalidTerms));
}

#[test]
fn a_batch_is_redeemed_once_and_in_order() {
    let t = terms();
    let mut m = ChannelMeter::opened(T0);
    assert_eq!(m.redeem(&t, T0 + 1, 0, c(40), c(500)), Ok(()));
    let after_first = m;
    // a retried batch carries the same sequence number: refused, nothing burns twice
    assert_eq!(m.redeem(&t, T0 + 2, 0, c(40), c(460)), Err(ChannelRefusal::WrongSequence));
    // a skipped one is refused too
    assert_eq!(m.redeem(&t, T0 + 2, 2, c(1), c(460)), Err(ChannelRefusal::WrongSequence));
    assert_eq!(m, after_first);
    assert_eq!(m.redeem(&t, T0 + 3, 1, c(10), c(460)), Ok(()));
    assert_eq!((m.redeemed, m.period_redeemed, m.next_seq), (c(50), c(50), 2));
}

#[test]
fn caps_and_balance_bind_and_refusals_change_nothing() {
    let t = terms();
    let mut m = ChannelMeter::opened(T0);
    assert_eq!(m.redeem(&t, T0, 0, c(0), c(500)), Err(ChannelRefusal::ZeroAmount));
    assert_eq!(m.redeem(&t, T0, 0, c(101), c(500)), Err(ChannelRefusal::OverPeriodCap));
    assert_eq!(m.redeem(&t, T0, 0, c(60), c(59)), Err(ChannelRefusal::OverBalance));
    assert_eq!(m, ChannelMeter::opened(T0));
    assert_eq!(m.redeem(&t, T0, 0, c(100), c(500)), Ok(()));
    assert_eq!(m.redeem(&t, T0 + 10, 1, c(1), c(400)), Err(ChannelRefusal::OverPeriodCap));
    // the next hour's window opens a fresh period allowance
    assert_eq!(m.redeem(&t, T0 + i64::from(HOUR), 1, c(100), c(400)), Ok(()));
    assert_eq!(m.period_start, T0 + i64::from(HOUR));
    // the lifetime cap binds across periods
    let no_period = ChannelTerms { period_cap: c(0), period_secs: 0, ..t };
    let mut m = ChannelMeter::opened(T0);
    assert_eq!(m.redeem(&no_period, T0, 0, c(1_000), c(2_000)), Ok(()));
    assert_eq!(m.redeem(&no_period, T0, 1, c(1), c(1_000)), Err(ChannelRefusal::OverCap));
}

#[test]
fn nothing_redeems_after_expiry_notice_or_release() {
    let t = terms();
    let mut m = ChannelMeter::opened(T0);
    assert_eq!(m.redeem(&t, t.expiry_ts, 0, c(1), c(500)), Err(ChannelRefusal::Expired));
    assert!(m.can_finalize(&t, t.expiry_ts));
    assert!(!m.can_finalize(&t, t.expiry_ts - 1));

    // the holder asks to close: the provider settles during the notice, not after
    let asked = T0 + 100;
    assert_eq!(m.request_close(asked), Ok(()));
    assert_eq!(m.request_close(asked + 1), Err(ChannelRefusal::ChannelClosing));
    assert!(!m.can_finalize(&t, asked + i64::from(HOUR) - 1));
    assert_eq!(m.redeem(&t, asked + i64::from(HOUR) - 1, 0, c(5), c(500)), Ok(()));
    assert_eq!(m.redeem(&t, asked + i64::from(HOUR), 1, c(5), c(495)), Err(ChannelRefusal::ChannelClosed));
    assert!(m.can_finalize(&t, asked + i64::from(HOUR)));

    let mut m = ChannelMeter::opened(T0);
    m.released = true;
    assert_eq!(m.redeem(&t, T0 + 1, 0, c(1), c(500)), Err(ChannelRefusal::ChannelClosed));
    assert!(m.can_finalize(&t, T0 + 1));
    assert_eq!(m.headroom(&t, T0 + 1, c(500)), c(0));
}

#[test]
fn top_ups_only_extend_and_not_while_closing() {
    let t = terms();
    let mut m = ChannelMeter::opened(T0);
    let longer = m.extend(&t, T0 + 1, c(2_000), t.expiry_ts + 10).unwrap();
    assert_eq!((longer.cap, longer.expiry_ts, longer.period_cap), (c(2_000), t.expiry_ts + 10, t.period_cap));
    assert_eq!(m.extend(&t, T0 + 1, c(999), t.expiry_ts), Err(ChannelRefusal::InvalidTerms));
    assert_eq!(m.extend(&t, T0 + 1, c(1_000), t.expiry_ts - 1), Err(ChannelRefusal::InvalidTerms));
    assert_eq!(m.extend(&t, t.expiry_ts, c(2_000), t.expiry_ts + 10), Err(ChannelRefusal::ChannelClosed));
    m.request_close(T0 + 2).unwrap();
    assert_eq!(m.extend(&t, T0 + 3, c(2_000), t.expiry_ts), Err(ChannelRefusal::ChannelClosing));
}

#[test]
fn burn_per_hour_is_the_average_since_opening_rounded_down() {
    let burned = |atoms| ChannelMeter { redeemed: c(atoms), ..ChannelMeter::opened(T0) };
    assert_eq!(burned(3_000_000).burn_per_hour(T0, T0 + 3_600), Some(c(3_000_000)));
    assert_eq!(burned(3_000_000).burn_per_hour(T0, T0 + 1_800), Some(c(6_000_000)));
    // 8.25 credits over 50 minutes: 9.9 an hour
    assert_eq!(burned(8_250_000).burn_per_hour(T0, T0 + 3_000), Some(c(9_900_000)));
    // rounded down: one atom over two hours is none an hour
    assert_eq!(burned(1).burn_per_hour(T0, T0 + 7_200), Some(c(0)));
    assert_eq!(burned(7).burn_per_hour(T0, T0 + 3), Some(c(8_400)));
    assert_eq!(burned(0).burn_per_hour(T0, T0 + 10), Some(c(0)));
    // no time, or a clock before the opening: no rate
    assert_eq!(burned(5).burn_per_hour(T0, T0), None);
    assert_eq!(burned(5).burn_per_hour(T0, T0 - 1), None);
    assert_eq!(burned(5).burn_per_hour(i64::MIN, i64::MAX), None);
    // a rate past u64 atoms: none
    assert_eq!(burned(u64::MAX).burn_per_hour(T0, T0 + 1), None);
    assert_eq!(burned(u64::MAX).burn_per_hour(T0, T0 + 3_600), Some(c(u64::MAX)));
}

proptest! {
    /// The rate times the hours never exceeds what was redeemed, and one more atom an hour
    /// would: the floor of redeemed * 3600 / elapsed, exactly.
    #[test]
    fn burn_per_hour_is_the_floor(redeemed in 0u64..=u64::MAX / 3_600, elapsed in 1i64..100_000_000) {
        let m = ChannelMeter { redeemed: c(redeemed), ..ChannelMeter::opened(T0) };
        let rate = u128::from(m.burn_per_hour(T0, T0 + elapsed).expect("a rate").0);
        let (burned, secs) = (u128::from(redeemed) * 3_600, elapsed as u128);
        prop_assert!(rate * secs <= burned);
        prop_assert!((rate + 1) * secs > burned);
    }


    /// Whatever batches a provider sends, in whatever order and timing, the total burned never
    /// exceeds the cap or the deposits, each period's burn never exceeds the period cap, and the
    /// sequence numbers accepted are exactly 0, 1, 2, ... with no gap or repeat.
    #[test]
    fn no_sequence_of_batches_breaks_a_limit(
        deposit in 1u64..5_000,
        batches in proptest::collection::vec((0u64..4, 0u64..150, 0i64..2_000), 1..60),
    ) {
        let t = ChannelTerms { cap: c(1_000), period_cap: c(100), period_secs: 600, expiry_ts: T0 + 20_000, notice_secs: 60 };
        let mut m = ChannelMeter::opened(T0);
        let (mut vault, mut now, mut accepted) = (deposit, T0, 0u64);
        let mut burned_in_window: std::collections::BTreeMap<i64, u64> = Default::default();
        for (seq_offset, amount, dt) in batches {
            now += dt;
            let seq = m.next_seq + seq_offset.saturating_sub(2); // mostly right, sometimes stale
            let room = m.headroom(&t, now, c(vault));
            match m.redeem(&t, now, seq, c(amount), c(vault)) {
                Ok(()) => {
                    prop_assert_eq!(seq, accepted);
                    prop_assert!(amount <= room.0, "redeemed {} with headroom {}", amount, room.0);
                    accepted += 1;
                    vault -= amount;
                    *burned_in_window.entry((now - T0) / 600).or_default() += amount;
                }
                Err(_) => prop_assert!(seq != accepted || amount == 0 || amount > room.0 || now >= t.expiry_ts),
            }
        }
        prop_assert_eq!(m.next_seq, accepted);
        prop_assert!(m.redeemed.0 <= t.cap.0 && m.redeemed.0 <= deposit);
        prop_assert_eq!(deposit - vault, m.redeemed.0);
        for burned in burned_in_window.values() {
            prop_assert!(*burned <= t.period_cap.0);
        }
    }
}
