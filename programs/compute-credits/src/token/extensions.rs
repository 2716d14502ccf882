//! Token-2022 extension allowlist for mints the program did not create (the quote currency).
//!
//! A quote mint with a transfer fee would deliver less than the program books; a transfer hook,
//! permanent delegate or pausable quote could move or block treasury and vault funds behind the
//! program's back; a default-frozen state or confidential transfers break atomic settlement; a
//! close authority lets an issuer delete the mint under open positions. Those are rejected.
//! Metadata-only extensions change nothing about balances and are accepted.

use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, ExtensionType, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::Mint as MintState;
use anchor_spl::token_interface::Mint;

use crate::error::CreditsError;

/// Extensions a foreign (quote) mint may carry.
pub const ALLOWED_MINT_EXTENSIONS: &[ExtensionType] = &[
    ExtensionType::MetadataPointer,
    ExtensionType::TokenMetadata,
    ExtensionType::GroupPointer,
    ExtensionType::GroupMemberPointer,
    ExtensionType::TokenGroup,
    ExtensionType::TokenGroupMember,
];

/// Rejects a Token-2022 mint carrying any extension outside [`ALLOWED_MINT_EXTENSIONS`].
/// Classic SPL Token mints have no extensions and always pass.
pub fn require_supported_quote_mint(mint: &InterfaceAccount<Mint>) -> Result<()> {
    let info = mint.to_account_info();
    if *info.owner != anchor_spl::token_2022::ID {
        return Ok(());
    }
    let data = info.try_borrow_data()?;
    let state = StateWithExtensions::<MintState>::unpack(&data)?;
    for ext in state.get_extension_types()? {
        require!(ALLOWED_MINT_EXTENSIONS.contains(&ext), CreditsError::UnsupportedMintExtension);
    }
    Ok(())
}
