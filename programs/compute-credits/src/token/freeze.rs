//! Blockable credits: the one routine that freezes or thaws a credit token account.
//!
//! The class PDA is the freeze authority of every credit mint. Callers do not get to call the
//! token program directly: they present a [`FreezeGrant`], which can only be built by checking
//! who is asking and why, and the routine re-checks that the grant allows this exact change.
//! The guardian is the first kind of grant; the lender of a defaulted loan is added by the
//! loan module through the same path.

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, FreezeAccount, ThawAccount, TokenAccount};

use crate::error::CreditsError;
use crate::events::CreditAccountFreezeChanged;
use crate::state::{ClassRef, Platform};

/// Why the program is allowed to change a credit account's frozen state.
#[derive(Clone, Copy)]
pub enum FreezeGrant {
    /// The platform's emergency guardian, with a reason code for the record.
    Guardian { guardian: Pubkey, reason: u16 },
    /// The loan itself, acting for its lender of record (freeze on default) or on its own
    /// behalf (thaw on cure, repayment or completed liquidation): only the loan's collateral
    /// vault and the borrower's credit accounts. The loan module builds it only after checking
    /// the loan's status and, for a freeze, the lender's signature.
    Loan { loan: Pubkey, actor: Pubkey, borrower: Pubkey, vault: Pubkey, reason: u16 },
}

/// Reason codes the loan module records.
pub const REASON_LOAN_DEFAULT: u16 = 100;
pub const REASON_LOAN_RELEASED: u16 = 101;

impl FreezeGrant {
    /// Checks that `signer` is the platform's guardian.
    pub fn guardian(platform: &Platform, signer: &Signer, reason: u16) -> Result<Self> {
        require_keys_eq!(signer.key(), platform.guardian, CreditsError::NotGuardian);
        Ok(FreezeGrant::Guardian { guardian: signer.key(), reason })
    }

    fn kind(&self) -> u8 {
        match self {
            FreezeGrant::Guardian { .. } => 0,
            FreezeGrant::Loan { .. } => 1,
        }
    }

    fn authority(&self) -> Pubkey {
        match self {
            FreezeGrant::Guardian { guardian, .. } => *guardian,
            FreezeGrant::Loan { actor, .. } => *actor,
        }
    }

    fn reason(&self) -> u16 {
        match self {
            FreezeGrant::Guardian { reason, .. } | FreezeGrant::Loan { reason, .. } => *reason,
        }
    }

    /// The policy check: may this grant move `account` (at `key`) to `frozen`?
    fn permits(&self, key: &Pubkey, account: &TokenAccount, _frozen: bool) -> Result<()> {
        match self {
            // The guardian may block or unblock any account of the class.
            FreezeGrant::Guardian { .. } => Ok(()),
            // A loan reaches only its own vault and its borrower's accounts.
            FreezeGrant::Loan { loan, borrower, vault, .. } => {
                let ok = (key == vault && account.owner == *loan) || account.owner == *borrower;
                require!(ok, CreditsError::WrongLoanAccount);
                Ok(())
            }
        }
    }
}

/// Freezes (`frozen = true`) or thaws a credit token account of `class`, by CPI signed by the
/// class PDA, and emits [`CreditAccountFreezeChanged`].
pub fn set_credit_account_frozen<'info>(
    grant: FreezeGrant,
    class: &ClassRef<'info>,
    token_program: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    account: &InterfaceAccount<'info, TokenAccount>,
    frozen: bool,
) -> Result<()> {
    require_keys_eq!(mint.key(), class.credit_mint, CreditsError::WrongClass);
    require_keys_eq!(account.mint, class.credit_mint, CreditsError::WrongClass);
    if frozen {
        require!(!account.is_frozen(), CreditsError::CreditAccountFrozen);
    } else {
        require!(account.is_frozen(), CreditsError::CreditAccountNotFrozen);
    }
    grant.permits(&account.key(), account, frozen)?;

    let seeds = class.signer_seeds();
    let (program, account_info, mint_info, authority) =
        (token_program.key(), account.to_account_info(), mint.clone(), class.to_account_info());
    if frozen {
        token_interface::freeze_account(CpiContext::new_with_signer(
            program,
            FreezeAccount { account: account_info, mint: mint_info, authority },
            &[&seeds],
        ))?;
    } else {
        token_interface::thaw_account(CpiContext::new_with_signer(
            program,
            ThawAccount { account: account_info, mint: mint_info, authority },
            &[&seeds],
        ))?;
    }
    emit!(CreditAccountFreezeChanged {
        class: class.key(),
        account: account.key(),
        owner: account.owner,
        frozen,
        authority_kind: grant.kind(),
        authority: grant.authority(),
        reason: grant.reason(),
    });
    Ok(())
}
