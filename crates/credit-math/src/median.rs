//! Aggregation of a native publisher set, after Pyth's algorithm for the price: every fresh
//! publisher casts three votes (`p - c`, `p`, `p + c`) and the aggregate is the median vote.
//! One outlier among three moves the median at most to the nearer honest publisher's band;
//! in general, while honest publishers are a strict majority, the median lies within their
//! votes.
//!
//! **Confidence** is robust in the same way: each fresh publisher's distance to the aggregate
//! is the far edge of its own band, `|p_i - m| + c_i`, and the aggregate confidence is the
//! median of those distances (the upper one for an even count). Disagreement among most
//! publishers widens the band; a minority cannot. While honest publishers are a strict
//! majority, the confidence is at most the largest honest distance, so it never exceeds the
//! spread of the honest bands however far an outlier sits: one outlier in three (or two in
//! five) can neither move the price outside the honest range nor make the feed unusable by
//! widening its confidence past `max_confidence_bps`. (Pyth's own rule, the 25th-75th
//! percentile of the votes, lets one outlier in three set the band: with three publishers
//! the 75th percentile vote is the outlier's.)

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
    let mut bands = [(0u64, 0u64); MAX_OBSERVATIONS];
    let (mut n, mut fresh, mut oldest) = (0usize, 0u8, i64::MAX);
    for o in observations.iter().take(MAX_OBSERVATIONS) {
        if !is_fresh(o, now, max_staleness_secs) || o.price <= 0 || o.conf >= o.price as u64 {
            continue;
        }
        let p = o.price as u64;
        // p + c < 2p <= 2 * i64::MAX < u64::MAX: no overflow
        votes[n..n + 3].copy_from_slice(&[p - o.conf, p, p + o.conf]);
        bands[usize::from(fresh)] = (p, o.conf);
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
    let conf = robust_confidence(&bands[..usize::from(fresh)], price);
    Ok(Aggregate { price, conf, publish_time: oldest, fresh })
}

/// The aggregate confidence around `price`: the median over publishers of `|p_i - price| + c_i`
/// (the upper median for an even count, so a tie between two camps takes the wider band).
/// With `h` honest publishers out of `n`, `h > n / 2`, the result is at most the largest honest
/// distance: the `(n/2 + 1)`-th smallest distance cannot exceed the `h`-th smallest honest one.
/// `bands` is non-empty and holds `(price, conf)` with `conf < price`.
pub fn robust_confidence(bands: &[(u64, u64)], price: u64) -> u64 {
    let mut distances = [0u64; MAX_OBSERVATIONS];
    let n = bands.len().min(MAX_OBSERVATIONS);
    if n == 0 {
        return 0;
    }
    for (d, &(p, c)) in distances.iter_mut().zip(&bands[..n]) {
        *d = p.abs_diff(price).saturating_add(c);
    }
    let distances = &mut distances[..n];
    insertion_sort(distances);
    distances[n / 2]
}

/// At most 48 elements (votes) or 16 (distances): insertion sort is small, allocation-free and cheap on-chain.
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
        // distances 1 (252 +- 1), 3 (250 +- 1), 99_748: the median distance is an honest one.
        // (The 25th-75th percentile rule gave 99_746: every read refused as too wide.)
        assert_eq!(a.conf, 3);
        assert!(confidence_bps_ceil(a.price, a.conf) <= 200);
        let a = aggregate(&[obs(250, 1, 100), obs(252, 1, 100), obs(1, 0, 100)], 100, 60, 2).unwrap();
        assert_eq!((a.price, a.conf), (250, 3));
    }

    #[test]
    fn two_outliers_in_five_are_bounded() {
        let o = [obs(100, 1, 9), obs(101, 1, 9), obs(102, 1, 9), obs(1, 0, 9), obs(10_000, 1, 9)];
        let a = aggregate(&o, 10, 60, 3).unwrap();
        assert!((100..=102).contains(&a.price), "{a:?}");
        assert_eq!(a.conf, 2);
        // one outlier in five
        let o = [obs(100, 1, 9), obs(101, 1, 9), obs(102, 1, 9), obs(103, 1, 9), obs(i64::MAX, 1, 9)];
        let a = aggregate(&o, 10, 60, 3).unwrap();
        assert_eq!((a.price, a.conf), (102, 2));
    }

    #[test]
    fn an_outlier_cannot_narrow_the_band_below_the_honest_disagreement() {
        // two honest publishers disagree; a third sits exactly on the median with no band
        let a = aggregate(&[obs(900, 10, 5), obs(1_100, 10, 5), obs(1_000, 0, 5)], 5, 60, 1).unwrap();
        assert_eq!((a.price, a.conf), (1_000, 110));
    }

    #[test]
    fn even_counts_take_the_wider_middle_distance() {
        // two publishers: nobody can tell which one is right, the band covers both
        let a = aggregate(&[obs(1_000, 10, 5), obs(1_200, 10, 5)], 5, 60, 1).unwrap();
        assert_eq!((a.price, a.conf), (1_100, 110));
        assert_eq!(robust_confidence(&[(10, 1), (20, 1), (30, 1), (40, 1)], 25), 16);
        assert_eq!(robust_confidence(&[], 25), 0);
        assert_eq!(robust_confidence(&[(u64::MAX, u64::MAX - 1)], 0), u64::MAX);
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
        // a majority disagreeing widens the band to cover it
        assert_eq!(spread.conf, 110);
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

        /// A strict minority of outliers (one in three, two in five, up to seven in sixteen),
        /// anywhere in the valid range, neither moves the price outside the honest votes nor
        /// widens the confidence beyond the honest bands: a feed whose honest publishers agree
        /// within the cap stays usable.
        #[test]
        fn a_minority_of_outliers_cannot_make_the_feed_unusable(
            base in 1_000_000i64..1_000_000_000_000,
            honest in proptest::collection::vec((-1_000i64..=1_000, 0u64..=1_000), 2..=9),
            outliers in proptest::collection::vec((1i64..=i64::MAX, 0u64..=u64::MAX), 1..=8),
            seed in 0usize..64,
        ) {
            let h = honest.len();
            let bad = outliers.len().min(h - 1).min(MAX_OBSERVATIONS - h);
            prop_assume!(bad >= 1);
            // honest: within +-0.1% of the base price, each with a confidence up to 0.1%
            let mut o: Vec<Observation> = honest
                .iter()
                .map(|&(j, c)| obs(base + base / 1_000_000 * j, base as u64 / 1_000_000 * c, 50))
                .collect();
            let lo = o.iter().map(|x| x.price as u64 - x.conf).min().unwrap();
            let hi = o.iter().map(|x| x.price as u64 + x.conf).max().unwrap();
            for &(p, c) in &outliers[..bad] {
                o.insert(seed % (o.len() + 1), obs(p, c % p as u64, 50));
            }
            let a = aggregate(&o, 50, 60, 1).unwrap();
            prop_assert!(lo <= a.price && a.price <= hi, "{a:?} outside [{lo}, {hi}]");
            // at most the honest bands' spread around the price
            prop_assert!(a.conf <= hi - lo, "{a:?}: conf above the honest spread {}", hi - lo);
            // honest spread <= 0.4% of the price: usable under a 40 bps cap, let alone 200
            prop_assert!(confidence_bps_ceil(a.price, a.conf) <= 41, "{a:?}");
        }

        /// With one outlier among three or five exactly, whatever the outlier reports.
        #[test]
        fn one_outlier_in_three_or_five(
            base in 1_000i64..1_000_000_000_000,
            five in any::<bool>(),
            p in 1i64..=i64::MAX, c in 0u64..=u64::MAX, at in 0usize..5,
        ) {
            let n_honest = if five { 4 } else { 2 };
            let mut o: Vec<Observation> =
                (0..n_honest).map(|i| obs(base + i, base as u64 / 500, 7)).collect();
            o.insert(at % (n_honest as usize + 1), obs(p, c % p as u64, 7));
            let a = aggregate(&o, 7, 60, 3).unwrap();
            let (lo, hi) = ((base - base / 500) as u64, (base + n_honest - 1 + base / 500) as u64);
            prop_assert!(lo <= a.price && a.price <= hi);
            prop_assert!(a.conf <= hi - lo);
        }
    }
}
