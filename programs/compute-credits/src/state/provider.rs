use anchor_lang::prelude::*;

/// A compute provider allowed to redeem (burn) credits of one class
/// (`["provider", class, authority]`). Closing it revokes the registration.
#[account]
#[derive(InitSpace)]
pub struct Provider {
    pub class: Pubkey,
    pub authority: Pubkey,
    /// Credit atoms this provider has redeemed.
    pub redeemed: u64,
    pub bump: u8,
}
