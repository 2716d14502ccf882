use anchor_lang::prelude::*;

use crate::error::CreditsError;

/// The platform underwriter's approval of one borrower for compute financing in one quote
/// currency (`["approval", borrower, quote_mint]`, created by `approve_borrower`).
///
/// The multiplier a financing issues is read from the underwriting table at the tier named
/// here, never at a tier the lender declares: a lender who posts financing to a second wallet of
/// its own cannot pick the multiplier. The approval is a credit line, not a one-shot ticket:
/// every accepted financing adds its principal to `used_principal`, and no acceptance may take
/// the total above `max_principal`; after `expires_at` none may be accepted at all. Only the
/// underwriter the platform names *now* counts: an approval signed by a previous underwriter is
/// refused (`WrongApproval`). Only `approve_borrower` creates accounts with this
/// discriminator, and only at the PDA, so owner + discriminator + the `borrower` and
/// `quote_mint` fields identify it without re-deriving the address.
#[account(zero_copy)]
#[derive(Debug, Default)]
pub struct UnderwritingApproval {
    /// The underwriter that signed it.
    pub underwriter: Pubkey,
    pub borrower: Pubkey,
    /// The quote currency `max_principal` is counted in (the class's quote mint).
    pub quote_mint: Pubkey,
    /// Quote atoms the borrower may borrow under this approval, all financings together.
    pub max_principal: u64,
    /// Principal of the financings accepted under it so far.
    pub used_principal: u64,
    /// Unix time after which no financing may be accepted under it.
    pub expires_at: i64,
    /// Borrower tier for the underwriting table: 0 pre-revenue, 1 seed, 2 Series A, 3 Series B+.
    pub tier: u8,
    pub bump: u8,
    pub _padding: [u8; 6],
}

const _: () = assert!(std::mem::size_of::<UnderwritingApproval>() == 128);

impl UnderwritingApproval {
    pub const SPACE: usize = 8 + std::mem::size_of::<UnderwritingApproval>();

    /// Principal still available under the approval.
    pub fn remaining(&self) -> u64 {
        self.max_principal.saturating_sub(self.used_principal)
    }

    /// The approval covers a financing of `principal` of `quote_mint` to `borrower` at `now`,
    /// signed by the platform's current `underwriter`.
    pub fn check(
        &self,
        underwriter: &Pubkey,
        borrower: &Pubkey,
        quote_mint: &Pubkey,
        principal: u64,
        now: i64,
    ) -> Result<()> {
        require!(
            self.underwriter == *underwriter && self.borrower == *borrower && self.quote_mint == *quote_mint,
            CreditsError::WrongApproval
        );
        require!(now <= self.expires_at, CreditsError::ApprovalExpired);
        require!(principal <= self.remaining(), CreditsError::ApprovalExceeded);
        Ok(())
    }

    /// Records an accepted financing of `principal` (after `check`).
    pub fn consume(&mut self, principal: u64) -> Result<()> {
        let used = self.used_principal.checked_add(principal).ok_or(CreditsError::MathOverflow)?;
        require!(used <= self.max_principal, CreditsError::ApprovalExceeded);
        self.used_principal = used;
        Ok(())
    }
}
