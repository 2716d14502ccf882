//! Metering channels: a holder escrows credits for one provider, who burns them batch by batch
//! as it meters usage, without the holder's signature on each batch (issue 14).
//!
//! The rules a redemption must pass live here, once: the sequence number (a retried batch can
//! never burn twice, a skipped one is refused), the lifetime cap, the per-period cap, the vault's
//! balance, the expiry and the holder's notice. The program stores [`ChannelTerms`] and
//! [`ChannelMeter`] and calls [`ChannelMeter::redeem`]; the gateway calls
//! [`ChannelMeter::headroom`] to know what the channel can still pay.
use crate::quantities::CreditAtoms;

/// What the holder agreed to when opening (or topping up) the channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelTerms {
    /// The most the provider may redeem over the channel's life.
    pub cap: CreditAtoms,
    /// The most per period; zero: no per-period cap.
    pub period_cap: CreditAtoms,
    /// The period's length in seconds (ignored without a period cap).
    pub period_secs: u32,
    /// No redemption at or after this time.
    pub expiry_ts: i64,
    /// After the holder asks to close, the provider may still redeem for this long (it settles
    /// what it already served).
    pub notice_secs: u32,
}

/// What has happened on the channel since it opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChannelMeter {
    pub redeemed: CreditAtoms,
    /// Start of the current period window (windows are aligned to the opening time).
    pub period_start: i64,
    pub period_redeemed: CreditAtoms,
    /// The sequence number the next redemption must carry.
    pub next_seq: u64,
    /// When the holder asked to close; zero: not asked.
    pub close_requested_at: i64,
    /// The provider ended the channel early.
    pub released: bool,
}

/// Why a channel operation is refused (the program maps each to a named error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelRefusal {
    /// `seq` is not the channel's next sequence number (a replay or a skip).
    WrongSequence,
    ZeroAmount,
    /// Past the lifetime cap.
    OverCap,
    /// Past the per-period cap.
    OverPeriodCap,
    /// More than the vault holds.
    OverBalance,
    /// At or after the expiry.
    Expired,
    /// The notice ran out or the provider released the channel.
    ChannelClosed,
    /// The holder already asked to close (a second request, or a top-up while closing).
    ChannelClosing,
    /// Finalizing before the channel stopped being redeemable.
    ChannelStillOpen,
    /// Terms that cannot work (zero cap, a period cap without a period, an expiry in the past,
    /// a cap lowered below what was redeemed).
    InvalidTerms,
    Overflow,
}

pub type ChannelResult<T> = Result<T, ChannelRefusal>;

impl ChannelTerms {
    /// Checks terms at opening time `now`.
    pub fn validate(&self, now: i64) -> ChannelResult<()> {
        let period_ok = self.period_cap.is_zero() || self.period_secs > 0;
        if self.cap.is_zero() || !period_ok || self.expiry_ts <= now {
            return Err(ChannelRefusal::InvalidTerms);
        }
        Ok(())
    }
}

impl ChannelMeter {
    /// A channel opened at `now`.
    pub fn opened(now: i64) -> ChannelMeter {
        ChannelMeter { period_start: now, ..ChannelMeter::default() }
    }

    /// The time from which nothing can be redeemed any more.
    pub fn redeemable_until(&self, terms: &ChannelTerms) -> i64 {
        if self.released {
            return i64::MIN;
        }
        let notice_end = match self.close_requested_at {
            0 => i64::MAX,
            at => at.saturating_add(i64::from(terms.notice_secs)),
        };
        terms.expiry_ts.min(notice_end)
    }

    /// Moves the period window forward to the one containing `now` (whole periods only).
    fn roll_period(&mut self, terms: &ChannelTerms, now: i64) {
        if terms.period_cap.is_zero() || terms.period_secs == 0 || now < self.period_start {
            return;
        }
        let len = i64::from(terms.period_secs);
        let elapsed = (now - self.period_start) / len;
        if elapsed > 0 {
            self.period_start = self.period_start.saturating_add(elapsed.saturating_mul(len));
            self.period_redeemed = CreditAtoms::ZERO;
        }
    }

    /// What the provider may redeem at `now` with `vault` credits in the vault: the least of
    /// the cap's, the period's and the vault's room; zero once the channel stopped.
    pub fn headroom(&self, terms: &ChannelTerms, now: i64, vault: CreditAtoms) -> CreditAtoms {
        if now >= self.redeemable_until(terms) {
            return CreditAtoms::ZERO;
        }
        let mut meter = *self;
        meter.roll_period(terms, now);
        let mut room = terms.cap.saturating_sub(meter.redeemed).min(vault);
        if !terms.period_cap.is_zero() {
            room = room.min(terms.period_cap.saturating_sub(meter.period_redeemed));
        }
        room
    }

    /// Records redemption `seq` of `amount` at `now` from a vault holding `vault` credits, or
    /// refuses it and leaves the meter as it was.
    pub fn redeem(
        &mut self,
        terms: &ChannelTerms,
        now: i64,
        seq: u64,
        amount: CreditAtoms,
        vault: CreditAtoms,
    ) -> ChannelResult<()> {
        if seq != self.next_seq {
            return Err(ChannelRefusal::WrongSequence);
        }
        if amount.is_zero() {
            return Err(ChannelRefusal::ZeroAmount);
        }
        if self.released || (self.close_requested_at != 0 && now >= self.redeemable_until(terms)) {
            return Err(ChannelRefusal::ChannelClosed);
        }
        if now >= terms.expiry_ts {
            return Err(ChannelRefusal::Expired);
        }
        let mut next = *self;
        next.roll_period(terms, now);
        let redeemed = next.redeemed.checked_add(amount).map_err(|_| ChannelRefusal::Overflow)?;
        if redeemed > terms.cap {
            return Err(ChannelRefusal::OverCap);
        }
        let period_redeemed =
            next.period_redeemed.checked_add(amount).map_err(|_| ChannelRefusal::Overflow)?;
        if !terms.period_cap.is_zero() && period_redeemed > terms.period_cap {
            return Err(ChannelRefusal::OverPeriodCap);
        }
        if amount > vault {
            return Err(ChannelRefusal::OverBalance);
        }
        next.redeemed = redeemed;
        next.period_redeemed = period_redeemed;
        next.next_seq = seq.checked_add(1).ok_or(ChannelRefusal::Overflow)?;
        *self = next;
        Ok(())
    }

    /// The holder asks to close at `now`: the notice starts.
    pub fn request_close(&mut self, now: i64) -> ChannelResult<()> {
        if self.close_requested_at != 0 {
            return Err(ChannelRefusal::ChannelClosing);
        }
        // zero means "not asked": a request at time 0 is recorded as 1
        self.close_requested_at = now.max(1);
        Ok(())
    }

    /// True once nothing can be redeemed: released, notice over, or expired.
    pub fn can_finalize(&self, terms: &ChannelTerms, now: i64) -> bool {
        now >= self.redeemable_until(terms)
    }

    /// The average burn since opening: credits redeemed per hour over the `now - opened_at`
    /// seconds the channel has been open, rounded down. None before any time has passed (or
    /// when the rate does not fit in atoms). One rule for every reader (`app channel show`, the
    /// demo, the TypeScript client's `burnPerHour`).
    pub fn burn_per_hour(&self, opened_at: i64, now: i64) -> Option<CreditAtoms> {
        let elapsed = now.checked_sub(opened_at).filter(|s| *s > 0)?;
        let per_hour = u128::from(self.redeemed.0) * 3_600 / elapsed as u128;
        u64::try_from(per_hour).ok().map(CreditAtoms)
    }

    /// A top-up's new terms: a higher (or equal) cap and a later (or equal) expiry; refused
    /// while closing or once stopped.
    pub fn extend(
        &self,
        terms: &ChannelTerms,
        now: i64,
        cap: CreditAtoms,
        expiry_ts: i64,
    ) -> ChannelResult<ChannelTerms> {
        if self.close_requested_at != 0 {
            return Err(ChannelRefusal::ChannelClosing);
        }
        if self.can_finalize(terms, now) {
            return Err(ChannelRefusal::ChannelClosed);
        }
        if cap < terms.cap || expiry_ts < terms.expiry_ts {
            return Err(ChannelRefusal::InvalidTerms);
        }
        Ok(ChannelTerms { cap, expiry_ts, ..*terms })
    }
}

#[cfg(test)]
#[path = "channel_tests.rs"]
mod tests;
