//! Every program-derived address of the protocol, from the program's own seed constants.
use anchor_lang::prelude::{AccountMeta, Pubkey};
use compute_credits::constants::*;

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &compute_credits::ID).0
}

/// `["platform"]`: the one platform of the program.
pub fn platform() -> Pubkey {
    pda(&[PLATFORM_SEED])
}

/// `["lending"]`: the platform's lending terms.
pub fn lending_config() -> Pubkey {
    pda(&[LENDING_SEED])
}

pub fn class(class_id: u32) -> Pubkey {
    pda(&[CLASS_SEED, &class_id.to_le_bytes()])
}

pub fn credit_mint(class: &Pubkey) -> Pubkey {
    pda(&[CREDIT_MINT_SEED, class.as_ref()])
}

pub fn price_feed(class: &Pubkey) -> Pubkey {
    pda(&[PRICE_FEED_SEED, class.as_ref()])
}

/// The underwriter's approval of `borrower` for compute financing in `quote_mint`.
pub fn approval(borrower: &Pubkey, quote_mint: &Pubkey) -> Pubkey {
    pda(&[APPROVAL_SEED, borrower.as_ref(), quote_mint.as_ref()])
}

pub fn provider(class: &Pubkey, authority: &Pubkey) -> Pubkey {
    pda(&[PROVIDER_SEED, class.as_ref(), authority.as_ref()])
}

/// `["channel", class, holder, provider_authority]`: a metering channel.
pub fn channel(class: &Pubkey, holder: &Pubkey, provider_authority: &Pubkey) -> Pubkey {
    pda(&[CHANNEL_SEED, class.as_ref(), holder.as_ref(), provider_authority.as_ref()])
}

/// `["channel_vault", channel]`: a metering channel's credit account.
pub fn channel_vault(channel: &Pubkey) -> Pubkey {
    pda(&[CHANNEL_VAULT_SEED, channel.as_ref()])
}

/// The canonical bumps `open_channel` takes (it proves them rather than searching): the
/// channel's, its vault's and the holder's `["owner_holds", credit_mint, holder]`.
pub fn channel_bumps(
    class: &Pubkey,
    credit_mint: &Pubkey,
    holder: &Pubkey,
    provider_authority: &Pubkey,
) -> compute_credits::ChannelBumps {
    let bump = |seeds: &[&[u8]]| Pubkey::find_program_address(seeds, &compute_credits::ID).1;
    let channel = self::channel(class, holder, provider_authority);
    compute_credits::ChannelBumps {
        channel_bump: bump(&[CHANNEL_SEED, class.as_ref(), holder.as_ref(), provider_authority.as_ref()]),
        vault_bump: bump(&[CHANNEL_VAULT_SEED, channel.as_ref()]),
        holds_bump: bump(&[OWNER_HOLDS_SEED, credit_mint.as_ref(), holder.as_ref()]),
    }
}

/// `["freeze_hold", token_account]`: who holds the freeze of a credit account.
pub fn freeze_hold(account: &Pubkey) -> Pubkey {
    pda(&[FREEZE_HOLD_SEED, account.as_ref()])
}

/// `["owner_holds", credit_mint, owner]`: holds in force on a wallet's accounts of a mint.
pub fn owner_holds(credit_mint: &Pubkey, owner: &Pubkey) -> Pubkey {
    pda(&[OWNER_HOLDS_SEED, credit_mint.as_ref(), owner.as_ref()])
}

/// `["loan", lender, loan_id]`.
pub fn loan(lender: &Pubkey, loan_id: u64) -> Pubkey {
    pda(&[LOAN_SEED, lender.as_ref(), &loan_id.to_le_bytes()])
}

/// `["escrow", loan]`: the loan's quote account (the offered principal).
pub fn escrow(loan: &Pubkey) -> Pubkey {
    pda(&[ESCROW_SEED, loan.as_ref()])
}

/// `["vault", loan]`: the loan's credit account (the collateral).
pub fn vault(loan: &Pubkey) -> Pubkey {
    pda(&[VAULT_SEED, loan.as_ref()])
}

/// `["market_v2", class, quote_mint]`: the one market of a class in a quote currency.
pub fn market_registration(class: &Pubkey, quote_mint: &Pubkey) -> Pubkey {
    pda(&[MARKET_V2_SEED, class.as_ref(), quote_mint.as_ref()])
}

pub fn market_authority(market: &Pubkey) -> Pubkey {
    pda(&[MARKET_AUTHORITY_SEED, market.as_ref()])
}

pub fn base_vault(market: &Pubkey) -> Pubkey {
    pda(&[BASE_VAULT_SEED, market.as_ref()])
}

pub fn quote_vault(market: &Pubkey) -> Pubkey {
    pda(&[QUOTE_VAULT_SEED, market.as_ref()])
}

/// `["seat", market, owner]`: the record of `owner`'s seat (a trader's, or a loan's).
pub fn seat_record(market: &Pubkey, owner: &Pubkey) -> Pubkey {
    pda(&[SEAT_SEED, market.as_ref(), owner.as_ref()])
}

/// The associated token account of `owner` for `mint` under `token_program`.
pub fn associated_token(owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(
        &[owner.as_ref(), token_program.as_ref(), mint.as_ref()],
        &anchor_spl::associated_token::ID,
    )
    .0
}

/// A credit account with its freeze-hold record, as remaining accounts (both writable).
pub fn held_pair(account: &Pubkey) -> [AccountMeta; 2] {
    [AccountMeta::new(*account, false), AccountMeta::new(freeze_hold(account), false)]
}
