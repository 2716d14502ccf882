use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

use crate::constants::PLATFORM;
use crate::error::CreditsError;
use crate::state::{ClassRef, CreditClass, Platform};
use crate::token::freeze::{lift_hold, place_hold, FreezeGrant, HeldAccount, HoldContext, RecordPayer};

/// The guardian places (or lifts) its hold on one credit account of a class, with a reason
/// code. The account is frozen while any hold remains: lifting the guardian's hold leaves an
/// account a loan holds frozen. A hold on an account closed since can still be lifted.
#[derive(Accounts)]
pub struct GuardianFreeze<'info> {
    /// Pays for the hold records on a first freeze.
    #[account(mut)]
    pub guardian: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    /// CHECK: the class's mint (`has_one` above); the token program checks it against the account.
    pub credit_mint: UncheckedAccount<'info>,
    /// CHECK: a credit token account of the class (parsed and checked here: owned by the
    /// class's token program, of its mint), or, to lift a hold, an account closed since.
    #[account(mut)]
    pub credit_account: UncheckedAccount<'info>,
    /// CHECK: `["freeze_hold", credit_account]`, created on first use; checked by the freeze
    /// routine (address when created, owner, type and recorded account after).
    #[account(mut)]
    pub freeze_hold: UncheckedAccount<'info>,
    /// CHECK: `["owner_holds", credit_mint, owner]`, created on first use; checked likewise.
    #[account(mut)]
    pub owner_holds: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl<'info> GuardianFreeze<'info> {
    pub fn freeze(ctx: Context<'info, Self>, reason: u16) -> Result<()> {
        set_held(ctx, reason, true)
    }

    pub fn thaw(ctx: Context<'info, Self>, reason: u16) -> Result<()> {
        set_held(ctx, reason, false)
    }
}

fn set_held<'info>(ctx: Context<'info, GuardianFreeze<'info>>, reason: u16, hold: bool) -> Result<()> {
    let a: &'info GuardianFreeze<'info> = ctx.accounts;
    let grant = FreezeGrant::guardian(&*a.platform.load()?, &a.guardian, reason)?;
    let class = ClassRef::load(&a.class)?;
    let account = HeldAccount::from_info(a.credit_account.as_ref())?;
    if let HeldAccount::Open(token) = &account {
        require_keys_eq!(
            *token.to_account_info().owner,
            a.credit_token_program.key(),
            CreditsError::WrongTokenProgram
        );
        require_keys_eq!(token.mint, class.credit_mint, CreditsError::WrongClass);
    }
    let (program, mint, owner_holds) = (
        a.credit_token_program.to_account_info(),
        a.credit_mint.to_account_info(),
        a.owner_holds.to_account_info(),
    );
    let hold_ctx =
        HoldContext { class: &class, token_program: &program, mint: &mint, owner_holds: &owner_holds };
    let record = a.freeze_hold.to_account_info();
    if hold {
        let HeldAccount::Open(token) = &account else { return err!(CreditsError::NothingToHold) };
        let (payer, system_program) = (a.guardian.to_account_info(), a.system_program.to_account_info());
        let payer = RecordPayer { payer: &payer, system_program: &system_program };
        place_hold(grant, &hold_ctx, token, &record, &payer, false)
    } else {
        lift_hold(grant, &hold_ctx, &account, &record)
    }
}
