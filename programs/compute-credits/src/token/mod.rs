//! Every token CPI the program makes, in one place: transfers, mints, burns, and the freeze
//! routine. Each wrapper takes the class whose PDA signs, so seeds are never assembled twice.
pub mod extensions;
pub mod freeze;

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Burn, CloseAccount, Mint, MintTo, TokenAccount, TransferChecked};

use crate::state::CreditClass;

/// Moves `amount` from `from` to `to`, authorised by the signer `authority`.
pub fn transfer_checked<'info>(
    token_program: &AccountInfo<'info>,
    from: &InterfaceAccount<'info, TokenAccount>,
    mint: &InterfaceAccount<'info, Mint>,
    to: &InterfaceAccount<'info, TokenAccount>,
    authority: &AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    token_interface::transfer_checked(
        CpiContext::new(
            token_program.key(),
            TransferChecked {
                from: from.to_account_info(),
                mint: mint.to_account_info(),
                to: to.to_account_info(),
                authority: authority.clone(),
            },
        ),
        amount,
        mint.decimals,
    )
}

/// Mints fresh credits of `class` to `to`, signed by the class PDA (the mint authority).
pub fn mint_credits<'info>(
    class: &Account<'info, CreditClass>,
    token_program: &AccountInfo<'info>,
    mint: &InterfaceAccount<'info, Mint>,
    to: &InterfaceAccount<'info, TokenAccount>,
    amount: u64,
) -> Result<()> {
    let seeds = class.signer_seeds();
    token_interface::mint_to(
        CpiContext::new_with_signer(
            token_program.key(),
            MintTo {
                mint: mint.to_account_info(),
                to: to.to_account_info(),
                authority: class.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
    )
}

/// Burns credits from `from`, authorised by its owner `authority` (a signer of the transaction).
pub fn burn_credits<'info>(
    token_program: &AccountInfo<'info>,
    mint: &InterfaceAccount<'info, Mint>,
    from: &InterfaceAccount<'info, TokenAccount>,
    authority: &AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    token_interface::burn(
        CpiContext::new(
            token_program.key(),
            Burn { mint: mint.to_account_info(), from: from.to_account_info(), authority: authority.clone() },
        ),
        amount,
    )
}

/// Moves `amount` out of an account owned by a program PDA (`authority`, signing with `seeds`):
/// a loan's escrow or collateral vault.
pub fn transfer_signed<'info>(
    token_program: &AccountInfo<'info>,
    from: &InterfaceAccount<'info, TokenAccount>,
    mint: &InterfaceAccount<'info, Mint>,
    to: &InterfaceAccount<'info, TokenAccount>,
    authority: &AccountInfo<'info>,
    seeds: &[&[u8]],
    amount: u64,
) -> Result<()> {
    token_interface::transfer_checked(
        CpiContext::new_with_signer(
            token_program.key(),
            TransferChecked {
                from: from.to_account_info(),
                mint: mint.to_account_info(),
                to: to.to_account_info(),
                authority: authority.clone(),
            },
            &[seeds],
        ),
        amount,
        mint.decimals,
    )
}

/// Burns credits held by a program PDA (a loan's vault), signed with `seeds`.
pub fn burn_signed<'info>(
    token_program: &AccountInfo<'info>,
    mint: &InterfaceAccount<'info, Mint>,
    from: &InterfaceAccount<'info, TokenAccount>,
    authority: &AccountInfo<'info>,
    seeds: &[&[u8]],
    amount: u64,
) -> Result<()> {
    token_interface::burn(
        CpiContext::new_with_signer(
            token_program.key(),
            Burn { mint: mint.to_account_info(), from: from.to_account_info(), authority: authority.clone() },
            &[seeds],
        ),
        amount,
    )
}

/// Closes an empty token account owned by a program PDA; its rent goes to `destination`.
pub fn close_signed<'info>(
    token_program: &AccountInfo<'info>,
    account: &InterfaceAccount<'info, TokenAccount>,
    destination: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    seeds: &[&[u8]],
) -> Result<()> {
    token_interface::close_account(CpiContext::new_with_signer(
        token_program.key(),
        CloseAccount {
            account: account.to_account_info(),
            destination: destination.clone(),
            authority: authority.clone(),
        },
        &[seeds],
    ))
}
