//! Tokenized, blockable compute credits.
//!
//! A credit class is a mint whose mint, freeze and pause authorities are program PDAs. Buyers
//! purchase credits at the class's price, registered compute providers redeem (burn) them as
//! compute is consumed, and the freeze authority makes credits blockable collateral.
//! Domain math lives in the `credit-math` crate; this crate is accounts, checks and CPIs.
#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod error;
pub mod events;
pub mod instructions;
pub mod pda;
pub mod state;
pub mod token;

pub use instructions::*;
pub use state::FeeSettings;

declare_id!("DzBMirNNQmY6iXWfQTGkcLAvNczR7oRAakYqhBGCR13E");

#[program]
pub mod compute_credits {
    use super::*;

    // --- platform ----------------------------------------------------------------------------

    /// Creates the platform config (admin = signer, guardian, treasury, fees). Once only.
    pub fn initialize_platform(
        ctx: Context<InitializePlatform>,
        guardian: Pubkey,
        treasury: Pubkey,
        fees: FeeSettings,
    ) -> Result<()> {
        InitializePlatform::handler(ctx, guardian, treasury, fees)
    }

    /// Admin: proposes a new admin (step one of two).
    pub fn propose_admin(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
        ProposeAdmin::handler(ctx, new_admin)
    }

    /// Pending admin: accepts the admin role (step two of two).
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        AcceptAdmin::handler(ctx)
    }

    /// Admin: sets the guardian, treasury and fees.
    pub fn update_platform(
        ctx: Context<UpdatePlatform>,
        guardian: Pubkey,
        treasury: Pubkey,
        fees: FeeSettings,
    ) -> Result<()> {
        UpdatePlatform::handler(ctx, guardian, treasury, fees)
    }

    // --- credit classes ------------------------------------------------------------------------

    /// Admin: creates a credit class and its mint (Token-2022 with metadata and Pausable, or
    /// classic SPL Token), every authority held by the class PDA.
    pub fn create_credit_class(ctx: Context<CreateCreditClass>, args: CreateCreditClassArgs) -> Result<()> {
        CreateCreditClass::handler(ctx, args)
    }

    /// Buyer: pays list price plus fee into the treasury and receives freshly minted credits.
    pub fn purchase_credits(ctx: Context<PurchaseCredits>, amount: u64, max_price: u64) -> Result<()> {
        PurchaseCredits::handler(ctx, amount, max_price)
    }

    /// Admin: registers a compute provider for a class.
    pub fn register_provider(ctx: Context<RegisterProvider>, provider_authority: Pubkey) -> Result<()> {
        RegisterProvider::handler(ctx, provider_authority)
    }

    /// Admin: removes a provider (closes its registration).
    pub fn remove_provider(ctx: Context<RemoveProvider>) -> Result<()> {
        RemoveProvider::handler(ctx)
    }

    /// Holder + provider: burns credits for delivered compute and records the usage reference.
    pub fn redeem_credits(ctx: Context<RedeemCredits>, amount: u64, usage_reference: [u8; 32]) -> Result<()> {
        RedeemCredits::handler(ctx, amount, usage_reference)
    }

    /// Guardian: freezes one credit account (reason code recorded in the event).
    pub fn freeze_credits(ctx: Context<GuardianFreeze>, reason: u16) -> Result<()> {
        GuardianFreeze::freeze(ctx, reason)
    }

    /// Guardian: thaws one credit account.
    pub fn thaw_credits(ctx: Context<GuardianFreeze>, reason: u16) -> Result<()> {
        GuardianFreeze::thaw(ctx, reason)
    }

    /// Admin or guardian: pauses a class (Token-2022: on the mint itself).
    pub fn pause_class(ctx: Context<SetClassPaused>) -> Result<()> {
        SetClassPaused::pause(ctx)
    }

    /// Admin: resumes a paused class.
    pub fn resume_class(ctx: Context<SetClassPaused>) -> Result<()> {
        SetClassPaused::resume(ctx)
    }
}
