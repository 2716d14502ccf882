//! Aggregation of a native publisher set, after Pyth's algorithm: every fresh publisher casts
//! three votes (`p - c`, `p`, `p + c`); the aggregate is the median vote and its confidence the
//! distance to the farther of the 25th / 75th percentile votes, so disagreement between
//! publishers widens the band instead of hiding in it. One outlier among three moves the
//! median at most to the nearer honest publisher's band.

use crate::price::{PriceBand, MAX_EXPO, MIN_EXPO};

/// Why an oracle price was refused. The program maps each to a named error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OracleError {
    /// Fewer fresh, valid observations than the quorum.
    NoQuorum,
    /// Older than the allowed staleness, or from the future.
    Stale,
    /// Zero or negative price, confidence not below the price, or exponent out of range.
    InvalidPrice,
    /// Confidence wider than the allowed share of the price.
    ConfidenceTooWide,
    /// Not a `PriceUpdateV2` (discriminator, length or enum tag).
    InvalidAccount,
    /// A `PriceUpdateV2` of another price feed id.
    WrongFeedId,
    /// A `PriceUpdateV2` whose Wormhole verification is only partial.
    PartialVerification,
}

/// Most publishers a feed may have; bounds the stack arrays below.
pub const MAX_OBSERVATIONS: usize = 16;

/// One publisher's latest observation, in the feed's exponent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Observation {
    pub price: i64,
    pub conf: u64,
    pub publish_time: i64,
}

/// The median of the fresh observations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Aggregate {
    pub price: u64,
    pub conf: u64,
    /// The oldest fresh observation's time: the aggregate is no fresher than its inputs.
    pub publish_time: i64,
    pub fresh: u8,
}

fn is_fresh(o: &Observation, now: i64, max_staleness_secs: u32) -> bool {
    o.publish_time <= now && now - o.publish_time <= i64::from(max_staleness_secs)
}

/// Median-of-votes aggregate of the observations that are fresh at `now` and valid
/// (`price > 0`, `conf < price`). Duplicated publishers are the caller's concern: the feed
/// keeps one slot per publisher key. Uses at most `MAX_OBSERVATIONS` observations.
pub fn aggregate(
    observations: &[Observation],
    now: i64,
    max_staleness_secs: u32,
    min_publishers: u8,
) -> Result<Aggregate, OracleError> {
    let mut votes = [0u64; 3 * MAX_OBSERVATIONS];
    let (mut n, mut fresh, mut oldest) = (0usize, 0u8, i64::MAX);
    for o in observations.iter().take(MAX_OBSERVATIONS) {
        if !is_fresh(o, now, max_staleness_secs) || o.price <= 0 || o.conf >= o.price as u64 {
            continue;
        }
        let p = o.price as u64;
        // p + c < 2p <= 2 * i64::MAX < u64::MAX: no overflow
        votes[n..n + 3].copy_from_slice(&[p - o.conf, p, p + o.conf]);
        n += 3;
        fresh += 1;
        oldest = oldest.min(o.publish_time);
    }
    if fresh == 0 || fresh < min_publishers.max(1) {
        return Err(OracleError::NoQuorum);
    }
    let votes = &mut votes[..n];
    insertion_sort(votes);
    let price = median_sorted(votes);
    let (p25, p75) = (votes[(n - 1) / 4], votes[n - 1 - (n - 1) / 4]);
    let conf = (price - p25.min(price)).max(p75.saturating_sub(price));
    Ok(Aggregate { price, conf, publish_time: oldest, fresh })
}

/// At most 48 elements: insertion sort is small, allocation-free and cheap on-chain.
fn insertion_sort(v: &mut [u64]) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && v[j - 1] > v[j] {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Median of a sorted, non-empty slice; an even count takes the mean of the two middles,
/// rounded down, without overflow.
fn median_sorted(v: &[u64]) -> u64 {
    let n = v.len();
    if n % 2 == 1 {
        return v[n / 2];
    }
    let (a, b) = (v[n / 2 - 1], v[n / 2]);
    a / 2 + b / 2 + (a % 2 + b % 2) / 2
}

/// `ceil(|new - old| * 10_000 / old)`, saturating; `u64::MAX` when `old` is zero.
pub fn deviation_bps_ceil(old: u64, new: u64) -> u64 {
    if old == 0 {
        return u64::MAX;
    }
    let diff = old.abs_diff(new) as u128 * 10_000;
    u64::try_from(crate::fixed::div_ceil_u128(diff, old as u128).unwrap_or(u128::MAX)).unwrap_or(u64::MAX)
}

/// `ceil(conf * 10_000 / price)`, saturating; `u64::MAX` when `price` is zero.
pub fn confidence_bps_ceil(price: u64, conf: u64) -> u64 {
    if price == 0 {
        return u64::MAX;
    }
    let n = crate::fixed::wide_mul(conf, 10_000);
    u64::try_from(crate::fixed::div_ceil_u128(n, price as u128).unwrap_or(u128::MAX)).unwrap_or(u64::MAX)
}

/// Checks one price with its confidence: positive, exponent in range, `conf < price`, and
/// confidence within `max_confidence_bps` of the price.
pub fn check_band(
    price: i64,
    conf: u64,
    expo: i32,
    max_confidence_bps: u16,
) -> Result<PriceBand, OracleError> {
    if price <= 0 || !(MIN_EXPO..=MAX_EXPO).contains(&expo) {
        return Err(OracleError::InvalidPrice);
    }
    let price = price as u64;
    if confidence_bps_ceil(price, conf) > u64::from(max_confidence_bps) {
        return Err(OracleError::ConfidenceTooWide);
    }
    PriceBand::new(price, conf, expo).map_err(|_| OracleError::InvalidPrice)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn obs(price: i64, conf: u64, t: i64) -> Observation {
        Observation { price, conf, publish_time: t }
    }

    #[test]
    fn one_outlier_in_three_is_bounded() {
        let a = aggregate(&[obs(250, 1, 100), obs(252, 1, 100), obs(99_999, 1, 100)], 100, 60, 2).unwrap();
        assert_eq!((a.price, a.fresh), (252, 3));
        let a = aggregate(&[obs(250, 1, 100), obs(252, 1, 100), obs(1, 0, 100)], 100, 60, 2).unwrap();
        assert_eq!(a.price, 250);
    }

    #[test]
    fn two_outliers_in_five_are_bounded() {
        let o = [obs(100, 1, 9), obs(101, 1, 9), obs(102, 1, 9), obs(1, 0, 9), obs(10_000, 1, 9)];
        let a = aggregate(&o, 10, 60, 3).unwrap();
        assert!((100..=102).contains(&a.price), "{a:?}");
    }

    #[test]
    fn stale_and_future_observations_drop_out_and_quorum_holds() {
        let o = [obs(200, 1, 0), obs(300, 1, 90), obs(400, 1, 100), obs(500, 1, 101)];
        // at t=100 with 60 s staleness: 200 is stale, 500 is in the future
        let a = aggregate(&o, 100, 60, 2).unwrap();
        assert_eq!((a.price, a.fresh, a.publish_time), (350, 2, 90));
        assert_eq!(aggregate(&o, 100, 60, 3), Err(OracleError::NoQuorum));
        assert_eq!(aggregate(&[], 100, 60, 0), Err(OracleError::NoQuorum));
        // invalid observations never count
        assert_eq!(
            aggregate(&[obs(0, 0, 100), obs(-5, 0, 100), obs(5, 5, 100)], 100, 60, 1),
            Err(OracleError::NoQuorum)
        );
    }

    #[test]
    fn confidence_covers_the_spread() {
        let same = aggregate(&[obs(1000, 10, 5), obs(1000, 10, 5), obs(1000, 10, 5)], 5, 60, 1).unwrap();
        assert_eq!((same.price, same.conf), (1000, 10));
        let spread = aggregate(&[obs(900, 10, 5), obs(1000, 10, 5), obs(1100, 10, 5)], 5, 60, 1).unwrap();
        assert_eq!(spread.price, 1000);
        assert!(spread.conf >= 90, "{spread:?}");
    }

    #[test]
    fn even_counts_near_the_top_do_not_overflow() {
        let m = i64::MAX;
        let a = aggregate(&[obs(m, 0, 1), obs(m - 1, 0, 1)], 1, 60, 1).unwrap();
        assert_eq!(a.price, (m - 1) as u64);
        assert_eq!(median_sorted(&[u64::MAX, u64::MAX]), u64::MAX);
        assert_eq!(median_sorted(&[3, 4]), 3);
    }

    #[test]
    fn deviation_and_band_checks() {
        assert_eq!(deviation_bps_ceil(100, 120), 2_000);
        assert_eq!(deviation_bps_ceil(3, 4), 3_334);
        assert_eq!(deviation_bps_ceil(0, 1), u64::MAX);
        assert_eq!(confidence_bps_ceil(250, 5), 200);
        assert_eq!(check_band(250, 5, -2, 200).unwrap().conf, 5);
        assert_eq!(check_band(250, 6, -2, 200), Err(OracleError::ConfidenceTooWide));
        assert_eq!(check_band(0, 0, -2, 200), Err(OracleError::InvalidPrice));
        assert_eq!(check_band(-1, 0, -2, 200), Err(OracleError::InvalidPrice));
        assert_eq!(check_band(1, 0, 11, 200), Err(OracleError::InvalidPrice));
        assert_eq!(check_band(10, 10, 0, 10_000), Err(OracleError::InvalidPrice));
    }

    proptest! {
        #[test]
        fn aggregate_is_bounded_and_order_free(
            prices in proptest::collection::vec(1i64..1_000_000_000, 1..16),
            conf_div in 2u64..1000,
            rot in 0usize..16,
        ) {
            let o: Vec<Observation> = prices.iter().map(|&p| obs(p, p as u64 / conf_div, 50)).collect();
            let a = aggregate(&o, 50, 60, 1).unwrap();
            let lo = o.iter().map(|x| x.price as u64 - x.conf).min().unwrap();
            let hi = o.iter().map(|x| x.price as u64 + x.conf).max().unwrap();
            prop_assert!(lo <= a.price && a.price <= hi);
            let mut r = o.clone();
            r.rotate_left(rot % o.len());
            r.reverse();
            prop_assert_eq!(aggregate(&r, 50, 60, 1).unwrap(), a);
        }
    }
}
