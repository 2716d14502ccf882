//! The integration suite. Every test runs against the build `CREDITS_TEST_MODE` selects
//! (`native` by default, `sbf` for the real `.so`), through the shared `harness` crate.
#![allow(deprecated)]

mod attack_channel;
mod attack_credits;
mod attack_loans;
mod attack_market_v2;
mod attack_market_v2_frozen;
mod attack_market_v2_funds;
mod attack_market_v2_hot_path;
mod attack_market_v2_orders;
mod attack_oracle;
mod attack_platform;
mod attack_underwriting;
mod borrower_moves;
mod channel;
mod credit_classes;
mod cu_budgets;
mod freeze_holds;
mod freeze_pause;
mod invariants;
mod liquidation_sales;
mod loans;
mod market_v2;
mod market_v2_prune;
mod market_v2_scale;
mod market_v2_swap;
mod oracle;
mod platform;
mod purchase_redeem;
mod sbf_mode;
mod soak;
