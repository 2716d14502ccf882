//! Every token CPI the program makes, in one place: transfers, mints, burns, and the freeze
//! routine. Each wrapper takes the class whose PDA signs, so seeds are never assembled twice.
pub mod extensions;
pub mod freeze;

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Burn, CloseAccount, Mint, MintTo, TokenAccount, TransferChecked};

use crate::state::ClassRef;

/// A mint as a CPI needs it: the account and its decimals. Built from a deserialised mint, or
/// from a plain account whose key the caller checked against its class, which recorded the
/// decimals when it was created: deserialising a mint costs about 1,000 CU, and the token
/// program checks the mint and the decimals again anyway.
#[derive(Clone)]
pub struct MintRef<'info> {
    pub info: AccountInfo<'info>,
    pub decimals: u8,
}

impl<'info> MintRef<'info> {
    pub fn new(info: &impl ToAccountInfo<'info>, decimals: u8) -> Self {
        MintRef { info: info.to_account_info(), decimals }
    }
}

impl<'info> From<&InterfaceAccount<'info, Mint>> for MintRef<'info> {
    fn from(mint: &InterfaceAccount<'info, Mint>) -> Self {
        MintRef { info: mint.to_account_info(), decimals: mint.decimals }
    }
}

impl<'info> From<&Box<InterfaceAccount<'info, Mint>>> for MintRef<'info> {
    fn from(mint: &Box<InterfaceAccount<'info, Mint>>) -> Self {
        MintRef::from(&**mint)
    }
}

/// A token account as a CPI needs it. Deserialised accounts (`InterfaceAccount`) where the
/// instruction reads or constrains their fields; plain accounts where their key is already
/// checked against the loan or market that recorded it and only the token program, which checks
/// everything again, uses them (deserialising a token account costs about 1,000 CU).
pub trait TokenAccountRef<'info> {
    fn info(&self) -> AccountInfo<'info>;
}

impl<'info> TokenAccountRef<'info> for InterfaceAccount<'info, TokenAccount> {
    fn info(&self) -> AccountInfo<'info> {
        self.to_account_info()
    }
}

impl<'info> TokenAccountRef<'info> for Box<InterfaceAccount<'info, TokenAccount>> {
    fn info(&self) -> AccountInfo<'info> {
        self.to_account_info()
    }
}

impl<'info> TokenAccountRef<'info> for UncheckedAccount<'info> {
    fn info(&self) -> AccountInfo<'info> {
        self.to_account_info()
    }
}

/// The one `transfer_checked` CPI; `seeds` is empty for a signer authority, or the PDA's seeds.
fn transfer_cpi<'info>(
    token_program: &AccountInfo<'info>,
    from: AccountInfo<'info>,
    mint: impl Into<MintRef<'info>>,
    to: AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    seeds: &[&[&[u8]]],
    amount: u64,
) -> Result<()> {
    let mint = mint.into();
    let accounts = TransferChecked { from, mint: mint.info, to, authority: authority.clone() };
    token_interface::transfer_checked(
        CpiContext::new_with_signer(token_program.key(), accounts, seeds),
        amount,
        mint.decimals,
    )
}

/// Moves `amount` from `from` to `to`, authorised by the signer `authority`.
pub fn transfer_checked<'info>(
    token_program: &AccountInfo<'info>,
    from: &impl TokenAccountRef<'info>,
    mint: impl Into<MintRef<'info>>,
    to: &impl TokenAccountRef<'info>,
    authority: &AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    transfer_cpi(token_program, from.info(), mint, to.info(), authority, &[], amount)
}

/// Mints fresh credits of `class` to `to`, signed by the class PDA (the mint authority).
pub fn mint_credits<'info>(
    class: &ClassRef<'info>,
    token_program: &AccountInfo<'info>,
    mint: impl Into<MintRef<'info>>,
    to: &impl TokenAccountRef<'info>,
    amount: u64,
) -> Result<()> {
    let seeds = class.signer_seeds();
    token_interface::mint_to(
        CpiContext::new_with_signer(
            token_program.key(),
            MintTo { mint: mint.into().info, to: to.info(), authority: class.to_account_info() },
            &[&seeds],
        ),
        amount,
    )
}

/// Burns credits from `from`, authorised by its owner `authority` (a signer of the transaction).
pub fn burn_credits<'info>(
    token_program: &AccountInfo<'info>,
    mint: impl Into<MintRef<'info>>,
    from: &impl TokenAccountRef<'info>,
    authority: &AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    token_interface::burn(
        CpiContext::new(
            token_program.key(),
            Burn { mint: mint.into().info, from: from.info(), authority: authority.clone() },
        ),
        amount,
    )
}

/// Moves `amount` out of an account owned by a program PDA (`authority`, signing with `seeds`):
/// a loan's escrow or collateral vault.
pub fn transfer_signed<'info>(
    token_program: &AccountInfo<'info>,
    from: &impl TokenAccountRef<'info>,
    mint: impl Into<MintRef<'info>>,
    to: &impl TokenAccountRef<'info>,
    authority: &AccountInfo<'info>,
    seeds: &[&[u8]],
    amount: u64,
) -> Result<()> {
    transfer_cpi(token_program, from.info(), mint, to.info(), authority, &[seeds], amount)
}

/// Burns credits held by a program PDA (a loan's vault), signed with `seeds`.
pub fn burn_signed<'info>(
    token_program: &AccountInfo<'info>,
    mint: impl Into<MintRef<'info>>,
    from: &impl TokenAccountRef<'info>,
    authority: &AccountInfo<'info>,
    seeds: &[&[u8]],
    amount: u64,
) -> Result<()> {
    token_interface::burn(
        CpiContext::new_with_signer(
            token_program.key(),
            Burn { mint: mint.into().info, from: from.info(), authority: authority.clone() },
            &[seeds],
        ),
        amount,
    )
}

/// Closes an empty token account owned by a program PDA; its rent goes to `destination`.
pub fn close_signed<'info>(
    token_program: &AccountInfo<'info>,
    account: &impl TokenAccountRef<'info>,
    destination: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    seeds: &[&[u8]],
) -> Result<()> {
    token_interface::close_account(CpiContext::new_with_signer(
        token_program.key(),
        CloseAccount {
            account: account.info(),
            destination: destination.clone(),
            authority: authority.clone(),
        },
        &[seeds],
    ))
}

/// Creates `account`, a PDA of this program (`seeds`), as a token account of `mint` owned by
/// `owner`, sized for the extensions the mint requires of its accounts (Token-2022's Pausable
/// needs PausableAccount; the token program initialises them). A pre-funded address is handled
/// like every PDA we create (`pda::create_pda`). About a fifth of the ATA program's cost: no bump
/// search and one CPI to the token program instead of four.
#[allow(clippy::too_many_arguments)]
pub fn create_token_account<'info>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    seeds: &[&[u8]],
    mint: &AccountInfo<'info>,
    owner: &AccountInfo<'info>,
    token_program: &AccountInfo<'info>,
) -> Result<()> {
    use anchor_spl::token_2022::spl_token_2022::extension::{
        BaseStateWithExtensions, ExtensionType, StateWithExtensions,
    };
    use anchor_spl::token_2022::spl_token_2022::state::{Account as AccountState, Mint as MintState};
    let space = if token_program.key() == anchor_spl::token_2022::ID {
        let data = mint.try_borrow_data()?;
        let mint_extensions = StateWithExtensions::<MintState>::unpack(&data)?.get_extension_types()?;
        let required = ExtensionType::get_required_init_account_extensions(&mint_extensions);
        ExtensionType::try_calculate_account_len::<AccountState>(&required)?
    } else {
        // `spl_token::state::Account::LEN`
        165
    };
    crate::pda::create_pda(payer, account, system_program, seeds, space, space, &token_program.key())?;
    token_interface::initialize_account3(CpiContext::new(
        token_program.key(),
        token_interface::InitializeAccount3 {
            account: account.clone(),
            mint: mint.clone(),
            authority: owner.clone(),
        },
    ))
}
