use anchor_lang::prelude::*;

use crate::constants::CLASS_SEED;
use crate::error::CreditsError;

/// One kind of compute unit (e.g. "H100 GPU-hour") and its mint (`["class", id]`).
///
/// The class PDA is the mint authority, freeze authority, pause authority and metadata update
/// authority of its mint, so no key outside the program can mint, freeze or pause credits.
#[account]
#[derive(InitSpace)]
pub struct CreditClass {
    pub class_id: u32,
    pub credit_mint: Pubkey,
    /// SPL Token or Token-2022: the program that owns `mint`.
    pub credit_token_program: Pubkey,
    pub quote_mint: Pubkey,
    pub quote_token_program: Pubkey,
    /// Quote atoms per whole credit (10^decimals credit atoms), used while `price_feed` is unset.
    pub list_price: u64,
    /// When set, purchases are priced by this feed (price + confidence) instead of `list_price`.
    pub price_feed: Pubkey,
    /// Running totals: supply always equals `minted - burned`.
    pub minted: u64,
    pub burned: u64,
    pub decimals: u8,
    pub quote_decimals: u8,
    /// Set by `pause_class`; Token-2022 classes are also paused on the mint itself.
    pub paused: bool,
    pub provider_count: u16,
    pub bump: u8,
    pub mint_bump: u8,
    #[max_len(32)]
    pub unit: String,
}

impl CreditClass {
    pub fn signer_seeds(&self) -> [&[u8]; 3] {
        // The id bytes live in the account, so the slice outlives the call.
        [CLASS_SEED, bytemuck::bytes_of(&self.class_id), std::slice::from_ref(&self.bump)]
    }

    pub fn require_active(&self) -> Result<()> {
        require!(!self.paused, CreditsError::ClassPaused);
        Ok(())
    }

    pub fn is_token_2022(&self) -> bool {
        self.credit_token_program == anchor_spl::token_2022::ID
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
