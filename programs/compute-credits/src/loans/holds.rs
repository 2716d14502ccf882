//! A loan's freeze holds on its borrower's accounts: placed by the lender of record on
//! default, lifted (by anyone) once the loan is cured, repaid or liquidated. The loan lists the
//! accounts it holds, so it lifts exactly its own holds and never another holder's.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::error::CreditsError;
use crate::state::Loan;
use crate::token::freeze::{lift_hold, place_hold, FreezeGrant, HoldContext, RecordPayer};

/// A borrower token account with its `["freeze_hold", account]` record.
pub type HeldPair<'info> = (Box<InterfaceAccount<'info, TokenAccount>>, &'info AccountInfo<'info>);

/// `(token account, freeze-hold record)` pairs passed as remaining accounts (both writable).
pub fn held_pairs<'info>(infos: &'info [AccountInfo<'info>]) -> Result<Vec<HeldPair<'info>>> {
    require!(infos.len().is_multiple_of(2), CreditsError::WrongHoldAccount);
    infos
        .chunks_exact(2)
        .map(|pair| Ok((Box::new(InterfaceAccount::<TokenAccount>::try_from(&pair[0])?), &pair[1])))
        .collect()
}

/// Places the loan's hold on each account (recorded in the loan first, so an account named
/// twice is refused with `AlreadyHeld`).
pub fn place_loan_holds<'info>(
    loan: &AccountLoader<'info, Loan>,
    grant: FreezeGrant,
    ctx: &HoldContext<'_, 'info>,
    payer: &RecordPayer<'_, 'info>,
    accounts: &[(&InterfaceAccount<'info, TokenAccount>, &AccountInfo<'info>)],
) -> Result<()> {
    for (account, record) in accounts {
        loan.load_mut()?.add_held(account.key())?;
        place_hold(grant, ctx, account, record, payer)?;
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
