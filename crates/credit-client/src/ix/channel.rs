//! Metering channels (issue 14): the provider's settlement key, and a channel's life: open,
//! top up, redeem batches, request close, release, finalize.
use anchor_lang::prelude::Pubkey;
use compute_credits::{accounts as acc, instruction as ix};
use compute_credits::{ChannelBumps, OpenChannelArgs};
use solana_sdk::instruction::Instruction;

use super::{build, SYSTEM_PROGRAM};
use crate::pda;
use crate::ChannelKeys;

/// The provider's authority names (or, with the default key, clears) its settlement key.
pub fn set_settlement_key(
    provider_authority: &Pubkey,
    class: &Pubkey,
    settlement_key: &Pubkey,
) -> Instruction {
    build(
        acc::SetSettlementKey {
            provider_authority: *provider_authority,
            provider: pda::provider(class, provider_authority),
        },
        ix::SetSettlementKey { settlement_key: *settlement_key },
    )
}

/// The holder opens the channel, moving `args.amount` from `holder_credits` (the canonical
/// bumps found here).
pub fn open_channel(k: &ChannelKeys, holder_credits: &Pubkey, args: OpenChannelArgs) -> Instruction {
    let bumps = pda::channel_bumps(&k.class, &k.credit_mint, &k.holder, &k.provider_authority);
    open_channel_with_bumps(k, holder_credits, args, bumps)
}

/// [`open_channel`] with the bumps given (a wrong one is refused: `WrongChannelAccount`,
/// `WrongHoldAccount`).
pub fn open_channel_with_bumps(
    k: &ChannelKeys,
    holder_credits: &Pubkey,
    args: OpenChannelArgs,
    bumps: ChannelBumps,
) -> Instruction {
    build(
        acc::OpenChannel {
            holder: k.holder,
            class: k.class,
            provider: k.provider,
            provider_authority: k.provider_authority,
            channel: k.channel,
            channel_vault: k.vault,
            credit_mint: k.credit_mint,
            holder_credits: *holder_credits,
            holder_holds: k.holder_holds,
            credit_token_program: k.credit_program,
            system_program: SYSTEM_PROGRAM,
        },
        ix::OpenChannel { args, bumps },
    )
}

/// The holder moves `amount` more from `holder_credits`, with the cap and expiry from now on.
pub fn top_up_channel(
    k: &ChannelKeys,
    holder_credits: &Pubkey,
    amount: u64,
    cap: u64,
    expiry_ts: i64,
) -> Instruction {
    build(
        acc::TopUpChannel {
            holder: k.holder,
            class: k.class,
            channel: k.channel,
            vault: k.vault,
            credit_mint: k.credit_mint,
            holder_credits: *holder_credits,
            holder_holds: k.holder_holds,
            credit_token_program: k.credit_program,
        },
        ix::TopUpChannel { amount, cap, expiry_ts },
    )
}

/// `authority` (the provider's authority or its settlement key) redeems batch `seq`.
pub fn redeem_from_channel(
    k: &ChannelKeys,
    authority: &Pubkey,
    seq: u64,
    amount: u64,
    usage_reference: [u8; 32],
) -> Instruction {
    build(
        acc::RedeemFromChannel {
            authority: *authority,
            class: k.class,
            provider: k.provider,
            channel: k.channel,
            vault: k.vault,
            credit_mint: k.credit_mint,
            holder_holds: k.holder_holds,
            credit_token_program: k.credit_program,
        },
        ix::RedeemFromChannel { seq, amount, usage_reference },
    )
}

/// The holder asks to close; the notice starts.
pub fn request_close(k: &ChannelKeys) -> Instruction {
    build(acc::RequestClose { holder: k.holder, channel: k.channel }, ix::RequestClose {})
}

/// The provider's authority ends the channel at once.
pub fn release_channel(k: &ChannelKeys) -> Instruction {
    build(
        acc::ReleaseChannel { provider_authority: k.provider_authority, channel: k.channel },
        ix::ReleaseChannel {},
    )
}

/// Anyone finalizes a stopped channel: the rest goes to `holder_credits` (the holder's).
pub fn finalize_channel(k: &ChannelKeys, holder_credits: &Pubkey) -> Instruction {
    build(
        acc::FinalizeChannel {
            holder: k.holder,
            class: k.class,
            channel: k.channel,
            vault: k.vault,
            credit_mint: k.credit_mint,
            holder_credits: *holder_credits,
            holder_holds: k.holder_holds,
            credit_token_program: k.credit_program,
        },
        ix::FinalizeChannel {},
    )
}
