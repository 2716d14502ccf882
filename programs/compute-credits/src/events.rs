//! One event per state change, so indexers and dashboards never have to diff accounts.
use anchor_lang::prelude::*;

#[event]
pub struct PlatformInitialized {
    pub admin: Pubkey,
    pub guardian: Pubkey,
    pub treasury: Pubkey,
}

#[event]
pub struct PlatformUpdated {
    pub guardian: Pubkey,
    pub treasury: Pubkey,
    pub purchase_fee_bps: u16,
    pub origination_fee_bps: u16,
}

#[event]
pub struct AdminTransferProposed {
    pub admin: Pubkey,
    pub pending_admin: Pubkey,
}

#[event]
pub struct AdminTransferred {
    pub previous_admin: Pubkey,
    pub admin: Pubkey,
}

#[event]
pub struct CreditClassCreated {
    pub class: Pubkey,
    pub class_id: u32,
    pub mint: Pubkey,
    pub token_program: Pubkey,
    pub quote_mint: Pubkey,
    pub decimals: u8,
    pub list_price: u64,
}

#[event]
pub struct CreditsPurchased {
    pub class: Pubkey,
    pub buyer: Pubkey,
    pub recipient: Pubkey,
    pub credits: u64,
    pub quote_paid: u64,
    pub fee: u64,
    pub minted_total: u64,
}

#[event]
pub struct ProviderRegistered {
    pub class: Pubkey,
    pub provider: Pubkey,
}

#[event]
pub struct ProviderRemoved {
    pub class: Pubkey,
    pub provider: Pubkey,
    pub redeemed_total: u64,
}

/// Compute was consumed: credits burned by a holder and a registered provider together.
#[event]
pub struct CreditsRedeemed {
    pub class: Pubkey,
    pub holder: Pubkey,
    pub provider: Pubkey,
    pub amount: u64,
    pub usage_reference: [u8; 32],
    pub burned_total: u64,
}

/// A credit account was blocked or unblocked through the class's freeze authority.
#[event]
pub struct CreditAccountFreezeChanged {
    pub class: Pubkey,
    pub account: Pubkey,
    pub owner: Pubkey,
    pub frozen: bool,
    /// Who asked: 0 = guardian (later: 1 = lender of record).
    pub authority_kind: u8,
    pub authority: Pubkey,
    pub reason: u16,
}

#[event]
pub struct ClassPauseChanged {
    pub class: Pubkey,
    pub paused: bool,
    pub by: Pubkey,
}

#[event]
pub struct PriceFeedConfigured {
    pub feed: Pubkey,
    pub class: Pubkey,
    /// 0 = native median, 1 = Pyth.
    pub kind: u8,
    pub expo: i32,
    pub min_publishers: u8,
    pub max_staleness_secs: u32,
    pub max_confidence_bps: u16,
    pub max_deviation_bps: u16,
}

#[event]
pub struct PublisherChanged {
    pub feed: Pubkey,
    pub publisher: Pubkey,
    pub added: bool,
    pub publisher_count: u8,
}

/// The feed's aggregate changed: keepers and dashboards follow the price from these.
#[event]
pub struct PriceAggregated {
    pub feed: Pubkey,
    pub class: Pubkey,
    pub price: u64,
    pub conf: u64,
    pub expo: i32,
    pub publish_time: i64,
    /// Fresh publishers behind a native aggregate (1 for Pyth).
    pub sources: u8,
}

#[event]
pub struct CircuitBreakerTripped {
    pub feed: Pubkey,
    pub class: Pubkey,
    pub last_price: u64,
    pub pending_price: u64,
    pub pending_conf: u64,
}

#[event]
pub struct CircuitBreakerResolved {
    pub feed: Pubkey,
    pub class: Pubkey,
    pub accepted: bool,
    pub price: u64,
}

#[event]
pub struct ClassPriceSourceChanged {
    pub class: Pubkey,
    /// Default (all zero) = the class's list price.
    pub price_feed: Pubkey,
}
