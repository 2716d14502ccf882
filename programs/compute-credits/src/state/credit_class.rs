use anchor_lang::prelude::*;
use std::ops::Deref;

use crate::constants::{CLASS_SEED, MAX_UNIT_LEN};
use crate::error::CreditsError;

/// One kind of compute unit (e.g. "H100 GPU-hour") and its mint (`["class", id]`).
///
/// The class PDA is the mint authority, freeze authority, pause authority and metadata update
/// authority of its mint, so no key outside the program can mint, freeze or pause credits.
/// Zero-copy: nearly every instruction reads the class, and reading it in place costs nothing,
/// where Borsh cost about 1,000 CU to load and as much again to write back.
#[account(zero_copy)]
#[derive(Debug, Default)]
pub struct CreditClass {
    pub credit_mint: Pubkey,
    /// SPL Token or Token-2022: the program that owns `credit_mint`.
    pub credit_token_program: Pubkey,
    pub quote_mint: Pubkey,
    pub quote_token_program: Pubkey,
    /// When set, purchases are priced by this feed (price + confidence) instead of `list_price`.
    pub price_feed: Pubkey,
    /// Quote atoms per whole credit (10^decimals credit atoms), used while `price_feed` is unset.
    pub list_price: u64,
    /// Running totals: supply always equals `minted - burned`.
    pub minted: u64,
    pub burned: u64,
    pub class_id: u32,
    pub provider_count: u16,
    pub decimals: u8,
    pub quote_decimals: u8,
    /// Set by `pause_class` (1); Token-2022 classes are also paused on the mint itself.
    pub paused: u8,
    pub bump: u8,
    pub mint_bump: u8,
    /// The first `unit_len` bytes of `unit` are the unit's UTF-8 name.
    pub unit_len: u8,
    pub unit: [u8; 32],
    pub _padding: [u8; 4],
}

const _: () = assert!(std::mem::size_of::<CreditClass>() == 232 && MAX_UNIT_LEN <= 32);

impl CreditClass {
    pub const SPACE: usize = 8 + std::mem::size_of::<CreditClass>();

    pub fn signer_seeds(&self) -> [&[u8]; 3] {
        // The id bytes live in the account, so the slice outlives the call.
        [CLASS_SEED, bytemuck::bytes_of(&self.class_id), std::slice::from_ref(&self.bump)]
    }

    /// The class-pause rule, the same on both token programs: while a class is paused no
    /// instruction moves, mints or burns its credits or changes who is owed what by them, for
    /// anyone (purchase, redemption, loan offers and acceptance, collateral moves, the lender's
    /// freeze, thaw, liquidation, sale and release, orders, a seat's credit withdrawal). What
    /// stays open: the guardian's freezes, exits that return a party's own quote or cancel its
    /// own intent (cancelling orders and offers, settling quote), payments in the quote
    /// currency and the crank: time does not stop, so a borrower can always pay.
    pub fn require_active(&self) -> Result<()> {
        require!(self.paused == 0, CreditsError::ClassPaused);
        Ok(())
    }

    pub fn is_paused(&self) -> bool {
        self.paused != 0
    }

    pub fn is_token_2022(&self) -> bool {
        self.credit_token_program == anchor_spl::token_2022::ID
    }

    /// The unit's name ("H100 GPU-hour").
    pub fn unit(&self) -> &str {
        let len = usize::from(self.unit_len).min(self.unit.len());
        std::str::from_utf8(&self.unit[..len]).unwrap_or_default()
    }

    pub fn set_unit(&mut self, unit: &str) {
        let len = unit.len().min(self.unit.len());
        self.unit[..len].copy_from_slice(&unit.as_bytes()[..len]);
        self.unit_len = len as u8;
    }

    pub fn record_mint(&mut self, amount: u64) -> Result<()> {
        self.minted = self.minted.checked_add(amount).ok_or(CreditsError::MathOverflow)?;
        Ok(())
    }

    pub fn record_burn(&mut self, amount: u64) -> Result<()> {
        self.burned = self.burned.checked_add(amount).ok_or(CreditsError::MathOverflow)?;
        Ok(())
    }
}

/// A class as an instruction uses it: its account (the PDA signs CPIs) and a copy of its data
/// taken once at the start, so no borrow of the account is held across a CPI. Changes go
/// through `AccountLoader::load_mut`.
pub struct ClassRef<'info> {
    pub info: AccountInfo<'info>,
    data: CreditClass,
}

impl<'info> ClassRef<'info> {
    pub fn load(loader: &AccountLoader<'info, CreditClass>) -> Result<Self> {
        Ok(ClassRef { info: loader.to_account_info(), data: *loader.load()? })
    }

    pub fn key(&self) -> Pubkey {
        *self.info.key
    }
}

impl Deref for ClassRef<'_> {
    type Target = CreditClass;

    fn deref(&self) -> &CreditClass {
        &self.data
    }
}

impl<'info> AsRef<AccountInfo<'info>> for ClassRef<'info> {
    fn as_ref(&self) -> &AccountInfo<'info> {
        &self.info
    }
}
