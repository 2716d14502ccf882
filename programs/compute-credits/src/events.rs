//! One event per state change, so indexers and dashboards never have to diff accounts.
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;

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

/// The admin named the underwriter; approvals signed by the previous one stop counting.
#[event]
pub struct UnderwriterSet {
    pub previous_underwriter: Pubkey,
    pub underwriter: Pubkey,
}

/// The underwriter approved a borrower for compute financing.
#[event]
pub struct BorrowerApproved {
    pub approval: Pubkey,
    pub underwriter: Pubkey,
    pub borrower: Pubkey,
    pub quote_mint: Pubkey,
    pub tier: u8,
    pub max_principal: u64,
    pub expires_at: i64,
}

/// The underwriter withdrew an approval (loans already accepted under it are unaffected).
#[event]
pub struct ApprovalRevoked {
    pub approval: Pubkey,
    pub borrower: Pubkey,
    pub quote_mint: Pubkey,
    pub used_principal: u64,
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
    /// The token account's state after the change: frozen while any hold remains.
    pub frozen: bool,
    /// A hold was placed (true) or lifted (false).
    pub hold_placed: bool,
    /// 0 = the guardian, 1 = a loan.
    pub holder_kind: u8,
    /// The guardian's key, or the loan's.
    pub holder: Pubkey,
    /// Who signed (the guardian, the lender of record) or the loan itself for its own thaws.
    pub authority: Pubkey,
    pub reason: u16,
    /// The holds that remain on the account.
    pub guardian_hold: bool,
    pub loan_holds: u16,
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

/// A publisher's removal left fewer fresh observations than the quorum: the feed's aggregate
/// was cleared and reads fail `NoPrice` until a quorum submits again.
#[event]
pub struct PriceAggregateCleared {
    pub feed: Pubkey,
    pub class: Pubkey,
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

// --- loans ---------------------------------------------------------------------------------

#[event]
pub struct LendingConfigured {
    pub min_principal: u64,
    pub max_principal: u64,
    pub min_apr_bps: u16,
    pub max_apr_bps: u16,
    pub period_secs: u32,
}

#[event]
pub struct LoanOffered {
    pub loan: Pubkey,
    pub lender: Pubkey,
    pub borrower: Pubkey,
    pub class: Pubkey,
    pub kind: u8,
    pub schedule: u8,
    pub principal: u64,
    pub apr_bps: u16,
    pub periods: u16,
    pub multiplier_bps: u16,
    pub initial_bps: u16,
    pub maintenance_bps: u16,
    pub liquidation_bps: u16,
}

#[event]
pub struct LoanOfferCancelled {
    pub loan: Pubkey,
    pub lender: Pubkey,
    pub refunded: u64,
}

#[event]
pub struct LoanOriginated {
    pub loan: Pubkey,
    pub borrower: Pubkey,
    pub kind: u8,
    pub principal: u64,
    /// Credits minted into (compute financing) or pledged to (credit-backed) the vault.
    pub collateral_credits: u64,
    /// Quote value of the collateral at the low side of the oracle band.
    pub collateral_value: u64,
    /// Taken from the principal for the treasury (credit-backed loans); the borrower received
    /// `principal - origination_fee` and owes `principal`.
    pub origination_fee: u64,
    pub start_ts: i64,
}

#[event]
pub struct LoanPayment {
    pub loan: Pubkey,
    pub payer: Pubkey,
    pub fees: u64,
    pub interest: u64,
    pub principal: u64,
    pub prepaid: u64,
    pub prepay_fee: u64,
    pub principal_outstanding: u64,
    pub status: u8,
}

/// Every status transition (crank, payment, price move, recovery).
#[event]
pub struct LoanStatusChanged {
    pub loan: Pubkey,
    pub from: u8,
    pub to: u8,
    pub debt: u64,
    pub collateral_credits: u64,
    pub margin_call_deadline: i64,
}

/// Collateral moved by the borrower: withdrawn, topped up, or consumed through a provider's
/// redemption.
#[event]
pub struct CollateralMoved {
    pub loan: Pubkey,
    /// 0 = withdrawn to the borrower, 1 = topped up, 2 = redeemed (burned) by a provider.
    pub direction: u8,
    pub amount: u64,
    pub vault_balance: u64,
    pub provider: Pubkey,
    pub usage_reference: [u8; 32],
}

#[event]
pub struct CollateralLiquidated {
    pub loan: Pubkey,
    pub lender: Pubkey,
    pub credits_seized: u64,
    pub debt_repaid: u64,
    pub surplus_credits: u64,
    pub written_off: u64,
    pub recovery_rate_bps: u64,
    pub status: u8,
}

#[event]
pub struct LoanClosed {
    pub loan: Pubkey,
    pub status: u8,
    pub credits_released: u64,
}

// --- market --------------------------------------------------------------------------------

#[event]
pub struct MarketPauseChanged {
    pub market: Pubkey,
    pub paused: bool,
}

/// The lender sold collateral on the market: proceeds paid the loan down through its waterfall.
#[event]
pub struct CollateralSold {
    pub loan: Pubkey,
    pub market: Pubkey,
    pub credits_sold: u64,
    /// Quote atoms after the taker fee.
    pub proceeds: u64,
    /// Part of the proceeds that paid the debt (to the lender of record).
    pub debt_repaid: u64,
    /// Part beyond the debt (to the borrower).
    pub surplus: u64,
    pub status: u8,
}

// --- metering channels -----------------------------------------------------------------------

/// The provider named (or cleared: the default key) the key that may redeem from its metering
/// channels in its place.
#[event]
pub struct SettlementKeySet {
    pub class: Pubkey,
    pub provider: Pubkey,
    pub settlement_key: Pubkey,
}

/// A holder opened a metering channel to a provider and escrowed `amount` credit atoms.
#[event]
pub struct ChannelOpened {
    pub channel: Pubkey,
    pub class: Pubkey,
    pub holder: Pubkey,
    /// The provider's authority.
    pub provider: Pubkey,
    pub amount: u64,
    pub cap: u64,
    pub period_cap: u64,
    pub period_secs: u32,
    pub expiry_ts: i64,
    pub notice_secs: u32,
}

/// The holder topped a channel up and/or raised its cap or extended its expiry.
#[event]
pub struct ChannelToppedUp {
    pub channel: Pubkey,
    pub amount: u64,
    pub cap: u64,
    pub expiry_ts: i64,
    /// Credits moved in over the channel's life.
    pub deposited: u64,
}

/// The holder asked to close: the provider may redeem until `redeemable_until`.
#[event]
pub struct ChannelCloseRequested {
    pub channel: Pubkey,
    pub requested_at: i64,
    pub redeemable_until: i64,
}

/// The provider ended the channel early: nothing more can be redeemed.
#[event]
pub struct ChannelReleased {
    pub channel: Pubkey,
    pub redeemed: u64,
}

/// The channel closed: the vault's remainder went back to the holder.
#[event]
pub struct ChannelFinalized {
    pub channel: Pubkey,
    pub holder: Pubkey,
    pub refunded: u64,
    pub redeemed: u64,
    pub deposited: u64,
}
