//! The protocol's default lending terms (issue 3): $100K..$10M, 8%..12% APR, 6..36 monthly
//! installments, 5 days' grace, 10 days' cure, 3 days to answer a margin call, a 2% late fee, a
//! 1% prepayment fee in the first 12 installments, a 5% liquidation discount, coverage of at
//! least 125% / 110% / 105% (initial / maintenance / liquidation) and the default multiplier
//! table. What `app lending configure --defaults` publishes; the tests and the demo take the
//! same terms on an hourly clock ([`Periods::HOURLY`]).
use compute_credits::LendingParams;
use credit_math::underwriting::default_table;

const HOUR: u32 = 3_600;
const DAY: u32 = 24 * HOUR;

/// A loan's clock, in seconds: the time between installments and the windows that follow a
/// missed one or a margin call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Periods {
    pub period_secs: u32,
    pub grace_secs: u32,
    pub cure_secs: u32,
    pub margin_call_secs: u32,
}

impl Periods {
    /// The protocol's: 30-day periods, 5 days' grace, 10 days' cure, 3 days' margin call.
    pub const MONTHLY: Periods = Periods {
        period_secs: 30 * DAY,
        grace_secs: 5 * DAY,
        cure_secs: 10 * DAY,
        margin_call_secs: 3 * DAY,
    };
    /// An hour stands for a month (grace 10 minutes, cure 20, margin call 15): for tests and the
    /// demo, which move a local clock in hours.
    pub const HOURLY: Periods =
        Periods { period_secs: HOUR, grace_secs: 600, cure_secs: 1_200, margin_call_secs: 900 };
}

/// The protocol's default lending terms, with monthly installments.
pub fn lending_params() -> LendingParams {
    lending_params_with(Periods::MONTHLY)
}

/// The default lending terms on another clock (every other term unchanged).
pub fn lending_params_with(periods: Periods) -> LendingParams {
    LendingParams {
        min_principal: 100_000,
        max_principal: 10_000_000,
        min_apr_bps: 800,
        max_apr_bps: 1_200,
        min_periods: 6,
        max_periods: 36,
        period_secs: periods.period_secs,
        grace_secs: periods.grace_secs,
        cure_secs: periods.cure_secs,
        margin_call_secs: periods.margin_call_secs,
        late_fee_bps: 200,
        prepay_fee_bps: 100,
        prepay_periods: 12,
        liquidation_discount_bps: 500,
        min_initial_bps: 12_500,
        min_maintenance_bps: 11_000,
        min_liquidation_bps: 10_500,
        multipliers: default_table(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_issues_and_the_program_accepts_them() {
        let p = lending_params();
        assert_eq!((p.min_principal, p.max_principal), (100_000, 10_000_000));
        assert_eq!((p.min_apr_bps, p.max_apr_bps, p.min_periods, p.max_periods), (800, 1_200, 6, 36));
        assert_eq!(
            (p.period_secs, p.grace_secs, p.cure_secs, p.margin_call_secs),
            (2_592_000, 432_000, 864_000, 259_200)
        );
        assert_eq!(
            (p.late_fee_bps, p.prepay_fee_bps, p.prepay_periods, p.liquidation_discount_bps),
            (200, 100, 12, 500)
        );
        assert_eq!(
            (p.min_initial_bps, p.min_maintenance_bps, p.min_liquidation_bps),
            (12_500, 11_000, 10_500)
        );
        assert_eq!(p.multipliers, default_table());
        assert!(p.validate().is_ok());
    }

    #[test]
    fn another_clock_changes_the_periods_alone() {
        let hourly = lending_params_with(Periods::HOURLY);
        assert_eq!(
            (hourly.period_secs, hourly.grace_secs, hourly.cure_secs, hourly.margin_call_secs),
            (3_600, 600, 1_200, 900)
        );
        let monthly = Periods::MONTHLY;
        let back = LendingParams {
            period_secs: monthly.period_secs,
            grace_secs: monthly.grace_secs,
            cure_secs: monthly.cure_secs,
            margin_call_secs: monthly.margin_call_secs,
            ..hourly
        };
        assert_eq!(back, lending_params());
        assert!(hourly.validate().is_ok());
    }
}
