use anchor_lang::prelude::*;

/// A compute provider allowed to redeem (burn) credits of one class
/// (`["provider", class, authority]`). Closing it revokes the registration. Zero-copy: every
/// redemption updates `redeemed`, and a Borsh write-back cost about 1,000 CU.
#[account(zero_copy)]
#[derive(Debug, Default)]
pub struct Provider {
    pub class: Pubkey,
    pub authority: Pubkey,
    /// Credit atoms this provider has redeemed.
    pub redeemed: u64,
    pub bump: u8,
    pub _padding: [u8; 7],
}

const _: () = assert!(std::mem::size_of::<Provider>() == 80);

impl Provider {
    pub const SPACE: usize = 8 + std::mem::size_of::<Provider>();
}
