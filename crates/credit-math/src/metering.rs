//! What a metered request costs (issue 14's gateway): a model is priced in credit atoms per
//! 1,000 prompt and per 1,000 completion tokens. The cost rounds up (the provider is never paid
//! less than the usage), the reservation is the cost of the worst case, and the completion
//! budget is the largest the reservation can pay, so a finished request never costs more than
//! it held.
use crate::error::{MathError, MathResult};
use crate::CreditAtoms;

/// Tokens one request used (or may use, for a reservation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenUsage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// A model's price in credit atoms per 1,000 tokens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenPrice {
    pub prompt_per_1k: CreditAtoms,
    pub completion_per_1k: CreditAtoms,
}

impl TokenPrice {
    /// The usage's value in thousandths of an atom (exact, no rounding yet).
    fn milli_atoms(&self, usage: TokenUsage) -> MathResult<u128> {
        let prompt = u128::from(usage.prompt_tokens) * u128::from(self.prompt_per_1k.0);
        let completion = u128::from(usage.completion_tokens) * u128::from(self.completion_per_1k.0);
        prompt.checked_add(completion).ok_or(MathError::Overflow)
    }

    /// What `usage` costs, rounded up to a whole atom.
    pub fn cost_ceil(&self, usage: TokenUsage) -> MathResult<CreditAtoms> {
        let atoms = self.milli_atoms(usage)?.div_ceil(1_000);
        u64::try_from(atoms).map(CreditAtoms).map_err(|_| MathError::Overflow)
    }

    /// The most completion tokens `budget` pays for after `prompt_tokens`, capped at `wanted`:
    /// the largest `c <= wanted` with `cost_ceil(prompt, c) <= budget`. None when the prompt
    /// alone costs more than the budget.
    pub fn affordable_completion(&self, prompt_tokens: u64, budget: CreditAtoms, wanted: u64) -> Option<u64> {
        let room = u128::from(budget.0) * 1_000;
        let prompt = u128::from(prompt_tokens) * u128::from(self.prompt_per_1k.0);
        let left = room.checked_sub(prompt)?;
        if self.completion_per_1k.is_zero() {
            return Some(wanted);
        }
        let most = left / u128::from(self.completion_per_1k.0);
        Some(u64::try_from(most).unwrap_or(u64::MAX).min(wanted))
    }
}

impl TokenPrice {
    /// With `choices` answers to one prompt (OpenAI's `n`), the most completion tokens each may
    /// have: the largest `c <= wanted` with `cost_ceil(prompt, c * choices) <= budget`.
    pub fn affordable_per_choice(
        &self,
        prompt_tokens: u64,
        budget: CreditAtoms,
        wanted: u64,
        choices: u64,
    ) -> Option<u64> {
        let choices = choices.max(1);
        let total = self.affordable_completion(prompt_tokens, budget, wanted.saturating_mul(choices))?;
        Some(total / choices)
    }
}

/// A request's charge once its usage is known: the cost, capped at what it reserved (the
/// reservation is the most a request can take from a channel; a usage report beyond the
/// worst case is the upstream's error and the provider's loss). Returns (charge, capped).
pub fn charge(
    price: &TokenPrice,
    usage: TokenUsage,
    reserved: CreditAtoms,
) -> MathResult<(CreditAtoms, bool)> {
    let cost = price.cost_ceil(usage)?;
    Ok(if cost > reserved { (reserved, true) } else { (cost, false) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PRICE: TokenPrice =
        TokenPrice { prompt_per_1k: CreditAtoms(150), completion_per_1k: CreditAtoms(600) };

    #[test]
    fn cost_rounds_up_to_an_atom() {
        let u = |p, c| TokenUsage { prompt_tokens: p, completion_tokens: c };
        assert_eq!(PRICE.cost_ceil(u(0, 0)).unwrap(), CreditAtoms(0));
        // 1 prompt token = 0.15 atom -> 1 atom.
        assert_eq!(PRICE.cost_ceil(u(1, 0)).unwrap(), CreditAtoms(1));
        // 1,000 prompt + 1,000 completion = 750 atoms exactly.
        assert_eq!(PRICE.cost_ceil(u(1_000, 1_000)).unwrap(), CreditAtoms(750));
        // 20 prompt (3) + 7 completion (4.2) = 7.2 -> 8.
        assert_eq!(PRICE.cost_ceil(u(20, 7)).unwrap(), CreditAtoms(8));
        let huge =
            TokenPrice { prompt_per_1k: CreditAtoms(u64::MAX), completion_per_1k: CreditAtoms(u64::MAX) };
        assert_eq!(huge.cost_ceil(u(u64::MAX, u64::MAX)), Err(MathError::Overflow));
    }

    #[test]
    fn completion_budget() {
        // 100 atoms after a 200-token prompt (30 atoms): 70,000 milli / 600 = 116 tokens.
        assert_eq!(PRICE.affordable_completion(200, CreditAtoms(100), 4_096), Some(116));
        assert_eq!(PRICE.affordable_completion(200, CreditAtoms(100), 50), Some(50));
        // The prompt alone is over budget.
        assert_eq!(PRICE.affordable_completion(1_000, CreditAtoms(100), 10), None);
        // Free completions: whatever was wanted.
        let free = TokenPrice { prompt_per_1k: CreditAtoms(1), completion_per_1k: CreditAtoms(0) };
        assert_eq!(free.affordable_completion(10, CreditAtoms(1), 77), Some(77));
    }

    #[test]
    fn charge_is_capped_at_the_reservation() {
        let u = TokenUsage { prompt_tokens: 1_000, completion_tokens: 1_000 };
        assert_eq!(charge(&PRICE, u, CreditAtoms(1_000)).unwrap(), (CreditAtoms(750), false));
        assert_eq!(charge(&PRICE, u, CreditAtoms(700)).unwrap(), (CreditAtoms(700), true));
    }

    proptest! {
        #[test]
        fn cost_never_below_value_and_within_an_atom(p in 0u64..10_000_000, c in 0u64..10_000_000,
                                                     pp in 0u64..1_000_000, cp in 0u64..1_000_000) {
            let price = TokenPrice { prompt_per_1k: CreditAtoms(pp), completion_per_1k: CreditAtoms(cp) };
            let milli = u128::from(p) * u128::from(pp) + u128::from(c) * u128::from(cp);
            let cost = u128::from(price.cost_ceil(TokenUsage { prompt_tokens: p, completion_tokens: c }).unwrap().0);
            prop_assert!(cost * 1_000 >= milli);
            prop_assert!(cost * 1_000 < milli + 1_000);
        }

        #[test]
        fn each_choice_gets_the_largest_share_that_fits(p in 0u64..10_000, budget in 0u64..1_000_000,
                                                        pp in 0u64..10_000, cp in 1u64..10_000,
                                                        wanted in 1u64..10_000, n in 1u64..9) {
            let price = TokenPrice { prompt_per_1k: CreditAtoms(pp), completion_per_1k: CreditAtoms(cp) };
            let cost = |c: u64| price.cost_ceil(TokenUsage { prompt_tokens: p, completion_tokens: c * n }).unwrap().0;
            if let Some(c) = price.affordable_per_choice(p, CreditAtoms(budget), wanted, n) {
                prop_assert!(c <= wanted && cost(c) <= budget);
                if c < wanted {
                    prop_assert!(cost(c + 1) > budget);
                }
            }
        }

        #[test]
        fn affordable_completion_is_the_largest_that_fits(p in 0u64..100_000, budget in 0u64..1_000_000,
                                                          pp in 0u64..100_000, cp in 1u64..100_000,
                                                          wanted in 0u64..100_000) {
            let price = TokenPrice { prompt_per_1k: CreditAtoms(pp), completion_per_1k: CreditAtoms(cp) };
            let usage = |c| TokenUsage { prompt_tokens: p, completion_tokens: c };
            match price.affordable_completion(p, CreditAtoms(budget), wanted) {
                None => prop_assert!(price.cost_ceil(usage(0)).unwrap().0 > budget),
                Some(c) => {
                    prop_assert!(c <= wanted);
                    prop_assert!(price.cost_ceil(usage(c)).unwrap().0 <= budget);
                    if c < wanted {
                        prop_assert!(price.cost_ceil(usage(c + 1)).unwrap().0 > budget);
                    }
                }
            }
        }
    }
}
