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
    /// A key the provider names to redeem from its metering channels in its place (a hot key
    /// on the gateway); the default key: none.
    pub settlement_key: Pubkey,
}

const _: () = assert!(std::mem::size_of::<Provider>() == 112);
const _: () = assert!(std::mem::offset_of!(Provider, redeemed) == 64);
const _: () = assert!(std::mem::offset_of!(Provider, settlement_key) == 80);

impl Provider {
    pub const SPACE: usize = 8 + std::mem::size_of::<Provider>();

    /// Whether `signer` may redeem for this provider from a metering channel: its authority,
    /// or the settlement key it named.
    pub fn may_settle(&self, signer: &Pubkey) -> bool {
        *signer == self.authority
            || (self.settlement_key != Pubkey::default() && *signer == self.settlement_key)
    }

    /// Records a redemption of `amount` atoms by this provider (every path that burns credits
    /// for delivered compute: one rule, one place).
    pub fn record_redemption(&mut self, amount: u64) -> Result<()> {
        self.redeemed = self.redeemed.checked_add(amount).ok_or(crate::error::CreditsError::MathOverflow)?;
        Ok(())
    }
}
