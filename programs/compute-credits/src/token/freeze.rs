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
use credit_math::holds::Holder;

use crate::constants::{FREEZE_HOLD_SEED, OWNER_HOLDS_SEED};
use crate::error::CreditsError;
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

    /// The policy check: may this grant hold an account of `owner`?
    fn permits(&self, owner: &Pubkey) -> Result<()> {
        match self {
            // The guardian may block or unblock any account of the class.
            FreezeGrant::Guardian { .. } => Ok(()),
            // A loan reaches only its borrower's accounts.
            FreezeGrant::Loan { borrower, .. } => {
                require_keys_eq!(*owner, *borrower, CreditsError::WrongLoanAccount);
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

/// A held credit token account: open, or closed since it was held (token programs let an
/// owner close a frozen account whose balance is zero). A closed account's holds can still be
/// lifted (bookkeeping only), so nothing is stranded; a re-created one is frozen again by the
/// next hold placed on it (`place_hold` with `listed`), and its owner stays counted meanwhile.
pub enum HeldAccount<'info> {
    Open(Box<InterfaceAccount<'info, TokenAccount>>),
    Closed(AccountInfo<'info>),
}

impl<'info> HeldAccount<'info> {
    /// An account passed by a client: closed when it holds no data and belongs to the system
    /// program; otherwise it must be a token account.
    pub fn from_info(info: &'info AccountInfo<'info>) -> Result<Self> {
        if info.data_is_empty() && *info.owner == anchor_lang::system_program::ID {
            return Ok(HeldAccount::Closed(info.clone()));
        }
        Ok(HeldAccount::Open(Box::new(InterfaceAccount::<TokenAccount>::try_from(info)?)))
    }

    pub fn key(&self) -> Pubkey {
        match self {
            HeldAccount::Open(a) => a.key(),
            HeldAccount::Closed(info) => info.key(),
        }
    }
}

fn freeze_hold_record<'info>(
    hold: &AccountInfo<'info>,
    account: &InterfaceAccount<'info, TokenAccount>,
    payer: &RecordPayer<'_, 'info>,
) -> Result<FreezeHold> {
    let (key, owner, mint) = (account.key(), account.owner, account.mint);
    open_record(
        hold,
        &[FREEZE_HOLD_SEED, key.as_ref()],
        Some(payer),
        |bump| FreezeHold { account: key, owner, credit_mint: mint, bump, ..Default::default() },
        |r: &FreezeHold| r.account == key,
    )
}

fn owner_holds_record<'info>(
    ctx: &HoldContext<'_, 'info>,
    owner: Pubkey,
    mint: Pubkey,
    payer: Option<&RecordPayer<'_, 'info>>,
) -> Result<OwnerHolds> {
    open_record(
        ctx.owner_holds,
        &[OWNER_HOLDS_SEED, mint.as_ref(), owner.as_ref()],
        payer,
        |bump| OwnerHolds { owner, credit_mint: mint, bump, ..Default::default() },
        |r: &OwnerHolds| r.owner == owner && r.credit_mint == mint,
    )
}

fn set_frozen<'info>(
    ctx: &HoldContext<'_, 'info>,
    account: &InterfaceAccount<'info, TokenAccount>,
    frozen: bool,
) -> Result<()> {
    let seeds = ctx.class.signer_seeds();
    let (program, account, mint, authority) =
        (ctx.token_program.key(), account.to_account_info(), ctx.mint.clone(), ctx.class.to_account_info());
    if frozen {
        token_interface::freeze_account(CpiContext::new_with_signer(
            program,
            FreezeAccount { account, mint, authority },
            &[&seeds],
        ))
    } else {
        token_interface::thaw_account(CpiContext::new_with_signer(
            program,
            ThawAccount { account, mint, authority },
            &[&seeds],
        ))
    }
}

/// Places `grant`'s hold on `account` and makes sure it is frozen; the records are created on
/// first use, paid by `payer`. `listed`: the holder already holds the account (a loan that
/// lists it): allowed only to freeze again an account re-created since (`AlreadyHeld` if it is
/// frozen), with no second count.
pub fn place_hold<'info>(
    grant: FreezeGrant,
    ctx: &HoldContext<'_, 'info>,
    account: &InterfaceAccount<'info, TokenAccount>,
    hold: &AccountInfo<'info>,
    payer: &RecordPayer<'_, 'info>,
    listed: bool,
) -> Result<()> {
    let class = ctx.class;
    require_keys_eq!(ctx.mint.key(), class.credit_mint, CreditsError::WrongClass);
    require_keys_eq!(account.mint, class.credit_mint, CreditsError::WrongClass);
    grant.permits(&account.owner)?;
    let mut fh = freeze_hold_record(hold, account, payer)?;
    let mut holds = fh.holds();
    let refresh = listed || (grant.holder() == Holder::Guardian && holds.guardian);
    if refresh {
        // the holder's hold is recorded: only an account re-created since needs freezing again
        require!(!account.is_frozen(), CreditsError::AlreadyHeld);
        require!(
            holds.is_held() && fh.owner == account.owner && fh.credit_mint == account.mint,
            CreditsError::WrongHoldAccount
        );
    } else {
        if !holds.is_held() {
            // a record with no hold may belong to an earlier account at this address
            fh.owner = account.owner;
            fh.credit_mint = account.mint;
        }
        require!(fh.owner == account.owner && fh.credit_mint == account.mint, CreditsError::WrongHoldAccount);
        holds.place(grant.holder()).map_err(|_| error!(CreditsError::AlreadyHeld))?;
        let mut oh = owner_holds_record(ctx, account.owner, account.mint, Some(payer))?;
        oh.holds = oh.holds.checked_add(1).ok_or(CreditsError::MathOverflow)?;
        write_record(ctx.owner_holds, &oh)?;
        fh.set_holds(holds);
        write_record(hold, &fh)?;
    }
    // frozen while any hold remains, whatever the account went through before
    if !account.is_frozen() {
        set_frozen(ctx, account, true)?;
    }
    emit_change(ctx, grant, account.key(), account.owner, true, holds, true);
    Ok(())
}

/// Lifts `grant`'s hold on `account` (open, or closed since it was held); an open account
/// thaws when no hold remains. The owner counted is the one the record holds.
pub fn lift_hold<'info>(
    grant: FreezeGrant,
    ctx: &HoldContext<'_, 'info>,
    account: &HeldAccount<'info>,
    hold: &AccountInfo<'info>,
) -> Result<()> {
    let class = ctx.class;
    require_keys_eq!(ctx.mint.key(), class.credit_mint, CreditsError::WrongClass);
    let key = account.key();
    let mut fh = open_record(
        hold,
        &[FREEZE_HOLD_SEED, key.as_ref()],
        None,
        |_| FreezeHold::default(),
        |r: &FreezeHold| r.account == key,
    )?;
    require_keys_eq!(fh.credit_mint, class.credit_mint, CreditsError::WrongClass);
    grant.permits(&fh.owner)?;
    let mut holds = fh.holds();
    holds.lift(grant.holder()).map_err(|_| error!(CreditsError::NotHeld))?;
    let mut oh = owner_holds_record(ctx, fh.owner, fh.credit_mint, None)?;
    oh.holds = oh.holds.checked_sub(1).ok_or(CreditsError::NotHeld)?;
    write_record(ctx.owner_holds, &oh)?;
    fh.set_holds(holds);
    write_record(hold, &fh)?;
    let frozen = match account {
        HeldAccount::Open(a) if !holds.is_held() && a.is_frozen() => {
            require_keys_eq!(a.mint, class.credit_mint, CreditsError::WrongClass);
            set_frozen(ctx, a, false)?;
            false
        }
        HeldAccount::Open(a) => a.is_frozen(),
        HeldAccount::Closed(_) => false,
    };
    emit_change(ctx, grant, key, fh.owner, false, holds, frozen);
    Ok(())
}

fn emit_change(
    ctx: &HoldContext,
    grant: FreezeGrant,
    account: Pubkey,
    owner: Pubkey,
    placed: bool,
    holds: credit_math::holds::AccountHolds,
    frozen: bool,
) {
    emit!(CreditAccountFreezeChanged {
        class: ctx.class.key(),
        account,
        owner,
        frozen,
        hold_placed: placed,
        holder_kind: grant.holder() as u8,
        holder: grant.holder_key(),
        authority: grant.actor(),
        reason: grant.reason(),
        guardian_hold: holds.guardian,
        loan_holds: holds.loans,
    });
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
