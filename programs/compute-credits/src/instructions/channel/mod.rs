//! Metering channels (issue 14): a holder escrows credits once for one provider, who redeems
//! them batch by batch as it meters usage, without the holder's signature on each batch. The
//! rules (sequence numbers, caps, expiry, notice) are `credit_math::channel`'s; these
//! instructions hold the accounts, the checks and the CPIs.
//!
//! What the class pause and the freeze holds do to an open channel:
//! - a paused class stops everything that moves its credits: no opening, top-up, redemption or
//!   finalization (`ClassPaused`); a close request and a release move nothing and stay open,
//!   and time does not stop (the notice and the expiry run on);
//! - a holder under any freeze hold (the guardian's, or a lender's on default: issue 7) opens
//!   and tops up nothing, the provider redeems nothing from its channels, and the remainder
//!   stays in the vault at finalization (`OwnerUnderHold`) until the hold is lifted: escrowed
//!   credits are the holder's credits, and a hold must reach them. The provider's risk is what
//!   it served since its last settlement;
//! - collateral in a loan's vault cannot fund a channel: the source is the holder's own credit
//!   account (the loan's vault is owned by the loan PDA); `redeem_from_vault` is that path.
pub mod finalize_channel;
pub mod open_channel;
pub mod redeem_from_channel;
pub mod release_channel;
pub mod request_close;
pub mod set_settlement_key;
pub mod top_up_channel;

pub use finalize_channel::*;
pub use open_channel::*;
pub use redeem_from_channel::*;
pub use release_channel::*;
pub use request_close::*;
pub use set_settlement_key::*;
pub use top_up_channel::*;

use anchor_lang::prelude::*;

use crate::constants::OWNER_HOLDS_SEED;
use crate::error::CreditsError;
use crate::pda::is_pda_with_bump;
use crate::state::MeteringChannel;
use crate::token::freeze::owner_is_held;

/// Whether the channel's holder is under any freeze hold, from its
/// `["owner_holds", credit_mint, holder]` record (address checked with the bump the channel
/// recorded at opening: `WrongHoldAccount`; a record that does not exist: no hold).
pub fn holder_is_held(channel: &MeteringChannel, holds: &AccountInfo, credit_mint: &Pubkey) -> Result<bool> {
    let seeds = [OWNER_HOLDS_SEED, credit_mint.as_ref(), channel.holder.as_ref()];
    require!(is_pda_with_bump(holds.key, &seeds, channel.holds_bump), CreditsError::WrongHoldAccount);
    owner_is_held(holds, &channel.holder, credit_mint)
}

/// Checks that `info` is a credit account of `owner`, of `mint`, under `token_program`, read in
/// place (the token programs' base layout: mint at 0..32, owner at 32..64, state at byte 108;
/// Token-2022's account type at byte 165) rather than deserialised with its extensions, and
/// returns whether it is frozen. Refused with the error codes Anchor's `token::mint` /
/// `token::authority` constraints give (`ConstraintTokenMint`, `ConstraintTokenOwner`); the
/// token program checks the account again in the CPI.
pub fn owned_credit_account(
    info: &AccountInfo,
    mint: &Pubkey,
    owner: &Pubkey,
    token_program: &Pubkey,
) -> Result<bool> {
    use anchor_lang::error::ErrorCode;
    require_keys_eq!(*info.owner, *token_program, ErrorCode::AccountOwnedByWrongProgram);
    let data = info.try_borrow_data()?;
    // `spl_token::state::Account::LEN`; past it, Token-2022's account type (2: an account)
    const BASE: usize = 165;
    let is_account = data.len() == BASE || (data.len() > BASE && data[BASE] == 2);
    require!(is_account && data[108] != 0, ErrorCode::AccountDidNotDeserialize);
    require!(data[..32] == mint.to_bytes(), ErrorCode::ConstraintTokenMint);
    require!(data[32..64] == owner.to_bytes(), ErrorCode::ConstraintTokenOwner);
    Ok(data[108] == 2)
}

/// The vault's balance, read from a token account whose key the channel recorded (the token
/// program's base layout: `amount` at bytes 64..72), without deserialising it.
pub fn vault_amount(vault: &AccountInfo) -> Result<u64> {
    let data = vault.try_borrow_data()?;
    let bytes: [u8; 8] =
        data.get(64..72).and_then(|b| b.try_into().ok()).ok_or(CreditsError::WrongChannelAccount)?;
    Ok(u64::from_le_bytes(bytes))
}
