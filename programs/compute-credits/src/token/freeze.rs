//! Blockable credits: the one routine that freezes or thaws a credit token account.
//!
//! The class PDA is the freeze authority of every credit mint. Callers do not get to call the
//! token program directly: they present a [`FreezeGrant`], which can only be built by checking
//! who is asking and why, and place or lift a **hold** (`credit_math::holds`) for it. The
//! account is frozen while any hold remains; a thaw lifts only the caller's own hold. Every
//! hold is recorded twice: per token account ([`FreezeHold`]: the guardian's flag, the number
//! of loans) and per owner ([`OwnerHolds`]: how many holds are in force on the wallet), so
//! custody paths can refuse to hand credits to a wallet under a hold.

use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use anchor_spl::token_interface::{self, FreezeAccount, ThawAccount, TokenAccount};
use credit_math::holds::{Holder, TokenAction};

use crate::constants::{FREEZE_HOLD_SEED, OWNER_HOLDS_SEED};
use crate::error::{CreditsError, MathResultExt};
use crate::events::CreditAccountFreezeChanged;
use crate::pda::init_zero_copy_account;
use crate::state::{ClassRef, FreezeHold, OwnerHolds, Platform};

/// Why the program is allowed to place or lift a hold on a credit account.
#[derive(Clone, Copy)]
pub enum FreezeGrant {
    /// The platform's emergency guardian, with a reason code for the record.
    Guardian { guardian: Pubkey, reason: u16 },
    /// A loan, acting for its lender of record (a hold on default) or on its own behalf (lifting
    /// its holds on cure, repayment or completed liquidation): only its borrower's accounts.
    /// The loan module builds it only after checking the loan's status and, to place a hold,
    /// the lender's signature; the loan lists the accounts it holds.
    Loan { loan: Pubkey, actor: Pubkey, borrower: Pubkey, reason: u16 },
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

    fn holder(&self) -> Holder {
        match self {
            FreezeGrant::Guardian { .. } => Holder::Guardian,
            FreezeGrant::Loan { .. } => Holder::Loan,
        }
    }

    /// The holder's key: the guardian, or the loan.
    fn holder_key(&self) -> Pubkey {
        match self {
            FreezeGrant::Guardian { guardian, .. } => *guardian,
            FreezeGrant::Loan { loan, .. } => *loan,
        }
    }

    fn actor(&self) -> Pubkey {
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

    /// The policy check: may this grant hold `account`?
    fn permits(&self, account: &TokenAccount) -> Result<()> {
        match self {
            // The guardian may block or unblock any account of the class.
            FreezeGrant::Guardian { .. } => Ok(()),
            // A loan reaches only its borrower's accounts.
            FreezeGrant::Loan { borrower, .. } => {
                require_keys_eq!(account.owner, *borrower, CreditsError::WrongLoanAccount);
                Ok(())
            }
        }
    }
}

/// What a hold change needs besides the account: the class (freeze authority), its token
/// program and mint, and the owner's [`OwnerHolds`] record.
pub struct HoldContext<'a, 'info> {
    pub class: &'a ClassRef<'info>,
    pub token_program: &'a AccountInfo<'info>,
    pub mint: &'a AccountInfo<'info>,
    pub owner_holds: &'a AccountInfo<'info>,
}

/// Who pays for hold records created by a freeze.
pub struct RecordPayer<'a, 'info> {
    pub payer: &'a AccountInfo<'info>,
    pub system_program: &'a AccountInfo<'info>,
}

fn read_record<T: bytemuck::Pod + Discriminator>(info: &AccountInfo) -> Result<T> {
    require_keys_eq!(*info.owner, crate::ID, CreditsError::WrongHoldAccount);
    let data = info.try_borrow_data()?;
    require!(
        data.len() == 8 + std::mem::size_of::<T>() && data[..8] == *T::DISCRIMINATOR,
        CreditsError::WrongHoldAccount
    );
    Ok(bytemuck::pod_read_unaligned(&data[8..]))
}

fn write_record<T: bytemuck::Pod>(info: &AccountInfo, value: &T) -> Result<()> {
    info.try_borrow_mut_data()?[8..].copy_from_slice(bytemuck::bytes_of(value));
    Ok(())
}

/// Reads a program account, or creates it at its PDA when it does not exist yet (only a
/// freeze does, with a payer). An existing record is identified by owner, discriminator and
/// `matches` (records are only ever created at their PDA, so comparing the keys it stores is
/// enough); a new one by deriving its address.
fn open_record<'info, T: bytemuck::Pod + Discriminator>(
    info: &AccountInfo<'info>,
    seeds: &[&[u8]],
    payer: Option<&RecordPayer<'_, 'info>>,
    make: impl FnOnce(u8) -> T,
    matches: impl FnOnce(&T) -> bool,
) -> Result<T> {
    if *info.owner == crate::ID {
        let record: T = read_record(info)?;
        require!(matches(&record), CreditsError::WrongHoldAccount);
        return Ok(record);
    }
    let Some(p) = payer else { return err!(CreditsError::NotHeld) };
    let (address, bump) = Pubkey::find_program_address(seeds, &crate::ID);
    require_keys_eq!(address, info.key(), CreditsError::WrongHoldAccount);
    let record = make(bump);
    let bump = [bump];
    let mut signer: Vec<&[u8]> = seeds.to_vec();
    signer.push(&bump);
    init_zero_copy_account(p.payer, info, p.system_program, &signer, &record)?;
    Ok(record)
}

/// Loads (or, with a payer, creates) the hold records of `account`.
fn open_records<'info>(
    ctx: &HoldContext<'_, 'info>,
    account: &InterfaceAccount<'info, TokenAccount>,
    hold: &AccountInfo<'info>,
    payer: Option<&RecordPayer<'_, 'info>>,
) -> Result<(FreezeHold, OwnerHolds)> {
    let (key, owner, mint) = (account.key(), account.owner, account.mint);
    let fh = open_record(
        hold,
        &[FREEZE_HOLD_SEED, key.as_ref()],
        payer,
        |bump| FreezeHold { account: key, owner, credit_mint: mint, bump, ..Default::default() },
        |r: &FreezeHold| r.account == key,
    )?;
    let oh = open_record(
        ctx.owner_holds,
        &[OWNER_HOLDS_SEED, mint.as_ref(), owner.as_ref()],
        payer,
        |bump| OwnerHolds { owner, credit_mint: mint, bump, ..Default::default() },
        |r: &OwnerHolds| r.owner == owner && r.credit_mint == mint,
    )?;
    Ok((fh, oh))
}

/// Places `grant`'s hold on `account` (frozen now if it was not), recording it; the records
/// are created on first use, paid by `payer`.
pub fn place_hold<'info>(
    grant: FreezeGrant,
    ctx: &HoldContext<'_, 'info>,
    account: &InterfaceAccount<'info, TokenAccount>,
    hold: &AccountInfo<'info>,
    payer: &RecordPayer<'_, 'info>,
) -> Result<()> {
    change_hold(grant, ctx, account, hold, Some(payer), true)
}

/// Lifts `grant`'s hold on `account`; the token account thaws when no hold remains.
pub fn lift_hold<'info>(
    grant: FreezeGrant,
    ctx: &HoldContext<'_, 'info>,
    account: &InterfaceAccount<'info, TokenAccount>,
    hold: &AccountInfo<'info>,
) -> Result<()> {
    change_hold(grant, ctx, account, hold, None, false)
}

fn change_hold<'info>(
    grant: FreezeGrant,
    ctx: &HoldContext<'_, 'info>,
    account: &InterfaceAccount<'info, TokenAccount>,
    hold: &AccountInfo<'info>,
    payer: Option<&RecordPayer<'_, 'info>>,
    place: bool,
) -> Result<()> {
    let class = ctx.class;
    require_keys_eq!(ctx.mint.key(), class.credit_mint, CreditsError::WrongClass);
    require_keys_eq!(account.mint, class.credit_mint, CreditsError::WrongClass);
    grant.permits(account)?;
    let (mut fh, mut oh) = open_records(ctx, account, hold, payer)?;
    let mut holds = fh.holds();
    let holder = grant.holder();
    let action = if place {
        let r = holds.place(holder);
        if r.is_err() {
            return err!(CreditsError::AlreadyHeld);
        }
        oh.holds = oh.holds.checked_add(1).ok_or(CreditsError::MathOverflow)?;
        r.or_credits_err()?
    } else {
        let r = holds.lift(holder);
        if r.is_err() {
            return err!(CreditsError::NotHeld);
        }
        oh.holds = oh.holds.checked_sub(1).ok_or(CreditsError::NotHeld)?;
        r.or_credits_err()?
    };
    fh.set_holds(holds);
    // an account whose holds had all been lifted may have changed owner since; a held one cannot
    fh.owner = account.owner;
    write_record(hold, &fh)?;
    write_record(ctx.owner_holds, &oh)?;

    let seeds = class.signer_seeds();
    let (program, account_info, mint_info, authority) =
        (ctx.token_program.key(), account.to_account_info(), ctx.mint.clone(), class.to_account_info());
    match action {
        TokenAction::Freeze => {
            // every freeze goes through a hold, so an unheld account is not frozen
            require!(!account.is_frozen(), CreditsError::CreditAccountFrozen);
            token_interface::freeze_account(CpiContext::new_with_signer(
                program,
                FreezeAccount { account: account_info, mint: mint_info, authority },
                &[&seeds],
            ))?;
        }
        TokenAction::Thaw => {
            token_interface::thaw_account(CpiContext::new_with_signer(
                program,
                ThawAccount { account: account_info, mint: mint_info, authority },
                &[&seeds],
            ))?;
        }
        TokenAction::Nothing => {}
    }
    emit!(CreditAccountFreezeChanged {
        class: class.key(),
        account: account.key(),
        owner: account.owner,
        frozen: holds.is_held(),
        hold_placed: place,
        holder_kind: grant.holder() as u8,
        holder: grant.holder_key(),
        authority: grant.actor(),
        reason: grant.reason(),
        guardian_hold: holds.guardian,
        loan_holds: holds.loans,
    });
    Ok(())
}

/// Whether the owner behind an [`OwnerHolds`] address is under any hold. The address must be
/// `["owner_holds", mint, owner]` (the caller derives or compares it); a record that does not
/// exist yet means no hold was ever placed.
pub fn owner_is_held(info: &AccountInfo, owner: &Pubkey, mint: &Pubkey) -> Result<bool> {
    if info.data_is_empty() && *info.owner == anchor_lang::system_program::ID {
        return Ok(false);
    }
    let record: OwnerHolds = read_record(info)?;
    require!(record.owner == *owner && record.credit_mint == *mint, CreditsError::WrongHoldAccount);
    Ok(record.holds > 0)
}
