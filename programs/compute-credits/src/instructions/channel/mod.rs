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

/// The vault's balance, read from a token account whose key the channel recorded (the token
/// program's base layout: `amount` at bytes 64..72), without deserialising it.
pub fn vault_amount(vault: &AccountInfo) -> Result<u64> {
    let data = vault.try_borrow_data()?;
    let bytes: [u8; 8] =
        data.get(64..72).and_then(|b| b.try_into().ok()).ok_or(CreditsError::WrongChannelAccount)?;
    Ok(u64::from_le_bytes(bytes))
}
