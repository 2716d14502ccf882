use anchor_lang::prelude::*;
use credit_math::holds::AccountHolds;

/// Who holds the freeze of one credit token account (`["freeze_hold", token_account]`).
///
/// Token accounts record only *that* they are frozen. Every freeze the program makes is a hold
/// recorded here, with its holder: the guardian (a flag) or loans (a count; each loan lists the
/// accounts it holds in its own account, so only the loan that placed a hold can lift it). The
/// token account is frozen exactly while a hold remains. Created by the first freeze, kept
/// (empty) afterwards so a later freeze of the same account costs no rent.
#[account(zero_copy)]
#[derive(Debug, Default)]
pub struct FreezeHold {
    /// The held token account.
    pub account: Pubkey,
    /// Its owner (a frozen account cannot change owner) and mint.
    pub owner: Pubkey,
    pub credit_mint: Pubkey,
    /// Loans holding the account.
    pub loans: u16,
    /// 1 while the guardian holds it.
    pub guardian: u8,
    pub bump: u8,
    pub _padding: [u8; 4],
}

const _: () = assert!(std::mem::size_of::<FreezeHold>() == 104);

impl FreezeHold {
    pub const SPACE: usize = 8 + std::mem::size_of::<FreezeHold>();

    pub fn holds(&self) -> AccountHolds {
        AccountHolds { guardian: self.guardian != 0, loans: self.loans }
    }

    pub fn set_holds(&mut self, holds: AccountHolds) {
        self.guardian = u8::from(holds.guardian);
        self.loans = holds.loans;
    }
}

/// How many holds are in force on one wallet's accounts of one credit mint
/// (`["owner_holds", credit_mint, owner]`). While any is, credits in the program's custody
/// that belong to the wallet (a market seat's balance, collateral a loan returns) stay there:
/// otherwise a frozen holder would open a fresh token account and take them out.
#[account(zero_copy)]
#[derive(Debug, Default)]
pub struct OwnerHolds {
    pub owner: Pubkey,
    pub credit_mint: Pubkey,
    pub holds: u32,
    pub bump: u8,
    pub _padding: [u8; 3],
}

const _: () = assert!(std::mem::size_of::<OwnerHolds>() == 72);

impl OwnerHolds {
    pub const SPACE: usize = 8 + std::mem::size_of::<OwnerHolds>();
}
