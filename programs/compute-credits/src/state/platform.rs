use anchor_lang::prelude::*;

use crate::constants::MAX_FEE_BPS;
use crate::error::CreditsError;

/// Fees the treasury collects, in basis points.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace)]
pub struct FeeSettings {
    /// Charged on top of the list price when credits are purchased.
    pub purchase_fee_bps: u16,
    /// Charged on loan principal at origination (used by the loan module).
    pub origination_fee_bps: u16,
}

impl FeeSettings {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.purchase_fee_bps <= MAX_FEE_BPS && self.origination_fee_bps <= MAX_FEE_BPS,
            CreditsError::FeeTooHigh
        );
        Ok(())
    }
}

/// The single platform config (`["platform"]`).
///
/// Only `initialize_platform` creates an account with this discriminator, and only at the PDA,
/// so Anchor's owner and discriminator checks already identify *the* platform: instructions do
/// not re-derive its address (a `create_program_address` costs 1,500 CU). The same holds for
/// `Provider` (created only at `["provider", class, authority]`, and checked by `has_one` on both
/// parts of its seeds) and `LendingConfig` (only at `["lending"]`). Zero-copy, like the class:
/// most instructions read it, and Borsh cost about 1,000 CU per read.
#[account(zero_copy)]
#[derive(Debug, Default)]
pub struct Platform {
    pub admin: Pubkey,
    /// Proposed by the admin, becomes admin when it signs `accept_admin`; default = none.
    pub pending_admin: Pubkey,
    /// May freeze/thaw credit accounts and pause classes in an emergency.
    pub guardian: Pubkey,
    /// Owner of the treasury's token accounts: purchase payments and fees go there.
    pub treasury: Pubkey,
    /// Signs `UnderwritingApproval`s: the borrower tier and principal limit compute financing
    /// needs (the multiplier comes from the tier). Default = none yet: no compute financing.
    /// Changing it (`set_underwriter`) invalidates every approval the previous key signed.
    pub underwriter: Pubkey,
    /// Classes created so far; the next class id.
    pub class_count: u32,
    /// `FeeSettings`, flattened so the account stays plain data.
    pub purchase_fee_bps: u16,
    pub origination_fee_bps: u16,
    pub bump: u8,
    pub _padding: [u8; 7],
}

const _: () = assert!(std::mem::size_of::<Platform>() == 176);

impl Platform {
    pub const SPACE: usize = 8 + std::mem::size_of::<Platform>();

    pub fn fees(&self) -> FeeSettings {
        FeeSettings { purchase_fee_bps: self.purchase_fee_bps, origination_fee_bps: self.origination_fee_bps }
    }

    pub fn set_fees(&mut self, fees: FeeSettings) {
        self.purchase_fee_bps = fees.purchase_fee_bps;
        self.origination_fee_bps = fees.origination_fee_bps;
    }
}
