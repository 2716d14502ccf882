//! Price feeds: creation, guards, publishers, prices, Pyth refreshes, the circuit breaker.
use anchor_lang::prelude::Pubkey;
use compute_credits::{accounts as acc, instruction as ix};
use compute_credits::{FeedConfig, FeedKind};
use solana_sdk::instruction::Instruction;

use super::{build, SYSTEM_PROGRAM};
use crate::pda;

pub fn create_price_feed(admin: &Pubkey, class: &Pubkey, kind: FeedKind, config: FeedConfig) -> Instruction {
    build(
        acc::CreatePriceFeed {
            admin: *admin,
            platform: pda::platform(),
            class: *class,
            price_feed: pda::price_feed(class),
            system_program: SYSTEM_PROGRAM,
        },
        ix::CreatePriceFeed { kind, config },
    )
}

/// `kind` and the config's exponent and Pyth feed id restate the feed's own (fixed at
/// creation); only the guards may differ.
pub fn configure_price_feed(
    admin: &Pubkey,
    feed: &Pubkey,
    kind: FeedKind,
    config: FeedConfig,
) -> Instruction {
    build(
        acc::ConfigurePriceFeed { admin: *admin, platform: pda::platform(), price_feed: *feed },
        ix::ConfigurePriceFeed { kind, config },
    )
}

pub fn add_publisher(admin: &Pubkey, feed: &Pubkey, publisher: &Pubkey) -> Instruction {
    build(
        acc::ManagePublisher { admin: *admin, platform: pda::platform(), price_feed: *feed },
        ix::AddPublisher { publisher: *publisher },
    )
}

pub fn remove_publisher(admin: &Pubkey, feed: &Pubkey, publisher: &Pubkey) -> Instruction {
    build(
        acc::ManagePublisher { admin: *admin, platform: pda::platform(), price_feed: *feed },
        ix::RemovePublisher { publisher: *publisher },
    )
}

pub fn submit_price(publisher: &Pubkey, feed: &Pubkey, price: i64, conf: u64) -> Instruction {
    build(acc::SubmitPrice { publisher: *publisher, price_feed: *feed }, ix::SubmitPrice { price, conf })
}

pub fn refresh_pyth_price(feed: &Pubkey, price_update: &Pubkey) -> Instruction {
    build(acc::RefreshPythPrice { price_feed: *feed, price_update: *price_update }, ix::RefreshPythPrice {})
}

pub fn resolve_circuit_breaker(admin: &Pubkey, feed: &Pubkey, accept: bool) -> Instruction {
    build(
        acc::ResolveCircuitBreaker { admin: *admin, platform: pda::platform(), price_feed: *feed },
        ix::ResolveCircuitBreaker { accept },
    )
}

pub fn set_class_price_feed(admin: &Pubkey, class: &Pubkey, feed: &Pubkey, use_feed: bool) -> Instruction {
    build(
        acc::SetClassPriceFeed { admin: *admin, platform: pda::platform(), class: *class, price_feed: *feed },
        ix::SetClassPriceFeed { use_feed },
    )
}
