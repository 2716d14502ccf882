//! Freeze holds: who keeps a credit token account frozen.
//!
//! A token account says only *that* it is frozen, not who froze it. The program therefore
//! records every freeze as a hold with its holder: the guardian, or a specific loan (which
//! lists the accounts it holds). An account is frozen while at least one hold remains; a thaw
//! lifts only the caller's own hold, and the token account thaws when the last one goes. The
//! same counts, summed per owner, tell whether a wallet is under any hold at all (its market
//! balances and returned collateral cannot leave custody then).
use crate::error::{MathError, MathResult};

/// Who holds a freeze.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    Guardian,
    /// A loan; the loan itself records which accounts it holds, so one account can be held by
    /// several loans (one hold each).
    Loan,
}

/// The holds on one token account.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AccountHolds {
    pub guardian: bool,
    pub loans: u16,
}

/// What a change of holds asks of the token program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenAction {
    Freeze,
    Thaw,
    /// The account stays as it is (another hold keeps it frozen, or it already was).
    Nothing,
}

impl AccountHolds {
    pub fn is_held(&self) -> bool {
        self.guardian || self.loans > 0
    }

    /// Adds `holder`'s hold. The guardian holds an account at most once (`OutOfRange`); a loan
    /// checks its own list before adding.
    pub fn place(&mut self, holder: Holder) -> MathResult<TokenAction> {
        let was_held = self.is_held();
        match holder {
            Holder::Guardian if self.guardian => return Err(MathError::OutOfRange),
            Holder::Guardian => self.guardian = true,
            Holder::Loan => self.loans = self.loans.checked_add(1).ok_or(MathError::Overflow)?,
        }
        Ok(if was_held { TokenAction::Nothing } else { TokenAction::Freeze })
    }

    /// Lifts `holder`'s hold; `OutOfRange` if it holds none.
    pub fn lift(&mut self, holder: Holder) -> MathResult<TokenAction> {
        match holder {
            Holder::Guardian if !self.guardian => return Err(MathError::OutOfRange),
            Holder::Guardian => self.guardian = false,
            Holder::Loan => self.loans = self.loans.checked_sub(1).ok_or(MathError::OutOfRange)?,
        }
        Ok(if self.is_held() { TokenAction::Nothing } else { TokenAction::Thaw })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_thaw_lifts_only_its_own_hold() {
        let mut h = AccountHolds::default();
        assert_eq!(h.place(Holder::Guardian), Ok(TokenAction::Freeze));
        assert_eq!(h.place(Holder::Loan), Ok(TokenAction::Nothing));
        // the loan's release leaves the guardian's freeze in place
        assert_eq!(h.lift(Holder::Loan), Ok(TokenAction::Nothing));
        assert!(h.is_held());
        assert_eq!(h.lift(Holder::Loan), Err(MathError::OutOfRange));
        assert_eq!(h.place(Holder::Guardian), Err(MathError::OutOfRange));
        assert_eq!(h.lift(Holder::Guardian), Ok(TokenAction::Thaw));
        assert_eq!(h.lift(Holder::Guardian), Err(MathError::OutOfRange));
    }

    proptest! {
        /// Against a model: the account is frozen exactly while some hold remains, and the token
        /// program is asked to act only on the transitions.
        #[test]
        fn frozen_exactly_while_held(ops in proptest::collection::vec((any::<bool>(), any::<bool>()), 1..60)) {
            let mut h = AccountHolds::default();
            let (mut guardian, mut loans, mut frozen) = (false, 0u16, false);
            for (place, by_guardian) in ops {
                let holder = if by_guardian { Holder::Guardian } else { Holder::Loan };
                let r = if place { h.place(holder) } else { h.lift(holder) };
                let allowed = match (place, by_guardian) {
                    (true, true) => !guardian,
                    (false, true) => guardian,
                    (true, false) => true,
                    (false, false) => loans > 0,
                };
                prop_assert_eq!(r.is_ok(), allowed);
                if let Ok(action) = r {
                    match (place, by_guardian) {
                        (true, true) => guardian = true,
                        (false, true) => guardian = false,
                        (true, false) => loans += 1,
                        (false, false) => loans -= 1,
                    }
                    let held = guardian || loans > 0;
                    let want = match (frozen, held) {
                        (false, true) => TokenAction::Freeze,
                        (true, false) => TokenAction::Thaw,
                        _ => TokenAction::Nothing,
                    };
                    prop_assert_eq!(action, want);
                    frozen = held;
                }
                prop_assert_eq!(h, AccountHolds { guardian, loans });
            }
        }
    }
}
