//! A loan's freeze holds on its borrower's accounts: placed by the lender of record on
//! default, lifted (by anyone) once the loan is cured, repaid or liquidated. The loan lists the
//! accounts it holds, so it lifts exactly its own holds and never another holder's.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::error::CreditsError;
use crate::state::Loan;
use crate::token::freeze::{lift_hold, place_hold, FreezeGrant, HeldAccount, HoldContext, RecordPayer};

/// A borrower token account (open, or closed since it was held) with its
/// `["freeze_hold", account]` record.
pub type HeldPair<'info> = (HeldAccount<'info>, &'info AccountInfo<'info>);

/// `(token account, freeze-hold record)` pairs passed as remaining accounts (both writable).
pub fn held_pairs<'info>(infos: &'info [AccountInfo<'info>]) -> Result<Vec<HeldPair<'info>>> {
    require!(infos.len().is_multiple_of(2), CreditsError::WrongHoldAccount);
    infos.chunks_exact(2).map(|pair| Ok((HeldAccount::from_info(&pair[0])?, &pair[1]))).collect()
}

/// The open token account of a pair a hold is to be placed on (`NothingToHold` if closed).
pub fn open_account<'a, 'info>(
    account: &'a HeldAccount<'info>,
) -> Result<&'a InterfaceAccount<'info, TokenAccount>> {
    match account {
        HeldAccount::Open(a) => Ok(a),
        HeldAccount::Closed(_) => err!(CreditsError::NothingToHold),
    }
}

/// Places the loan's hold on each account, recording it in the loan. An account the loan
/// already holds is frozen again if it was closed and re-created since (`AlreadyHeld` if it is
/// frozen, and for an account named twice).
pub fn place_loan_holds<'info>(
    loan: &AccountLoader<'info, Loan>,
    grant: FreezeGrant,
    ctx: &HoldContext<'_, 'info>,
    payer: &RecordPayer<'_, 'info>,
    accounts: &[(&InterfaceAccount<'info, TokenAccount>, &AccountInfo<'info>)],
) -> Result<()> {
    for (i, (account, record)) in accounts.iter().enumerate() {
        let key = account.key();
        require!(accounts[..i].iter().all(|(a, _)| a.key() != key), CreditsError::AlreadyHeld);
        let listed = loan.load()?.held_accounts().contains(&key);
        if !listed {
            loan.load_mut()?.add_held(key)?;
        }
        place_hold(grant, ctx, account, record, payer, listed)?;
    }
    Ok(())
}

/// Lifts the loan's hold on each account (each must be on the loan's list: `NotHeld`).
pub fn lift_loan_holds<'info>(
    loan: &AccountLoader<'info, Loan>,
    grant: FreezeGrant,
    ctx: &HoldContext<'_, 'info>,
    accounts: &[HeldPair<'info>],
) -> Result<()> {
    for (account, record) in accounts {
        loan.load_mut()?.remove_held(&account.key())?;
        lift_hold(grant, ctx, account, record)?;
    }
    Ok(())
}
