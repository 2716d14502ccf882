//! Credit classes and their credits: creation, purchase, providers and redemption, the
//! guardian's freeze, pausing a class.
use anchor_lang::prelude::Pubkey;
use compute_credits::CreateCreditClassArgs;
use compute_credits::{accounts as acc, instruction as ix};
use solana_sdk::instruction::Instruction;

use super::{build, SYSTEM_PROGRAM};
use crate::pda;

pub fn create_credit_class(
    admin: &Pubkey,
    args: CreateCreditClassArgs,
    quote_mint: &Pubkey,
    credit_token_program: &Pubkey,
    quote_token_program: &Pubkey,
) -> Instruction {
    let class = pda::class(args.class_id);
    build(
        acc::CreateCreditClass {
            admin: *admin,
            platform: pda::platform(),
            class,
            credit_mint: pda::credit_mint(&class),
            quote_mint: *quote_mint,
            credit_token_program: *credit_token_program,
            quote_token_program: *quote_token_program,
            system_program: SYSTEM_PROGRAM,
        },
        ix::CreateCreditClass { args },
    )
}

/// Accounts of a purchase.
pub struct Purchase {
    pub buyer: Pubkey,
    pub class: Pubkey,
    pub credit_mint: Pubkey,
    pub quote_mint: Pubkey,
    pub buyer_quote: Pubkey,
    pub treasury_quote: Pubkey,
    pub recipient_credits: Pubkey,
    pub credit_token_program: Pubkey,
    pub quote_token_program: Pubkey,
    /// The class's feed, for oracle-priced classes.
    pub price_feed: Option<Pubkey>,
}

pub fn purchase_credits(p: &Purchase, amount: u64, max_price: u64) -> Instruction {
    build(
        acc::PurchaseCredits {
            buyer: p.buyer,
            platform: pda::platform(),
            class: p.class,
            credit_mint: p.credit_mint,
            quote_mint: p.quote_mint,
            buyer_quote: p.buyer_quote,
            treasury_quote: p.treasury_quote,
            recipient_credits: p.recipient_credits,
            credit_token_program: p.credit_token_program,
            quote_token_program: p.quote_token_program,
            price_feed: p.price_feed,
        },
        ix::PurchaseCredits { amount, max_price },
    )
}

pub fn register_provider(admin: &Pubkey, class: &Pubkey, provider_authority: &Pubkey) -> Instruction {
    build(
        acc::RegisterProvider {
            admin: *admin,
            platform: pda::platform(),
            class: *class,
            provider: pda::provider(class, provider_authority),
            system_program: SYSTEM_PROGRAM,
        },
        ix::RegisterProvider { provider_authority: *provider_authority },
    )
}

pub fn remove_provider(admin: &Pubkey, class: &Pubkey, provider_authority: &Pubkey) -> Instruction {
    build(
        acc::RemoveProvider {
            admin: *admin,
            platform: pda::platform(),
            class: *class,
            provider: pda::provider(class, provider_authority),
        },
        ix::RemoveProvider {},
    )
}

/// Accounts of a redemption.
pub struct Redeem {
    pub holder: Pubkey,
    pub provider_authority: Pubkey,
    pub class: Pubkey,
    pub credit_mint: Pubkey,
    pub holder_credits: Pubkey,
    pub credit_token_program: Pubkey,
}

pub fn redeem_credits(r: &Redeem, amount: u64, usage_reference: [u8; 32]) -> Instruction {
    build(
        acc::RedeemCredits {
            holder: r.holder,
            provider_authority: r.provider_authority,
            class: r.class,
            provider: pda::provider(&r.class, &r.provider_authority),
            credit_mint: r.credit_mint,
            holder_credits: r.holder_credits,
            credit_token_program: r.credit_token_program,
        },
        ix::RedeemCredits { amount, usage_reference },
    )
}

fn guardian_accounts(
    guardian: &Pubkey,
    class: &Pubkey,
    credit_mint: &Pubkey,
    owner: &Pubkey,
    credit_account: &Pubkey,
    program: &Pubkey,
) -> acc::GuardianFreeze {
    acc::GuardianFreeze {
        guardian: *guardian,
        platform: pda::platform(),
        class: *class,
        credit_mint: *credit_mint,
        credit_account: *credit_account,
        freeze_hold: pda::freeze_hold(credit_account),
        owner_holds: pda::owner_holds(credit_mint, owner),
        credit_token_program: *program,
        system_program: SYSTEM_PROGRAM,
    }
}

/// The guardian's hold on `credit_account` (owned by `owner`).
pub fn freeze_credits(
    guardian: &Pubkey,
    class: &Pubkey,
    credit_mint: &Pubkey,
    (owner, credit_account): (&Pubkey, &Pubkey),
    program: &Pubkey,
    reason: u16,
) -> Instruction {
    build(
        guardian_accounts(guardian, class, credit_mint, owner, credit_account, program),
        ix::FreezeCredits { reason },
    )
}

/// Lifts the guardian's hold on `credit_account` (owned by `owner`).
pub fn thaw_credits(
    guardian: &Pubkey,
    class: &Pubkey,
    credit_mint: &Pubkey,
    (owner, credit_account): (&Pubkey, &Pubkey),
    program: &Pubkey,
    reason: u16,
) -> Instruction {
    build(
        guardian_accounts(guardian, class, credit_mint, owner, credit_account, program),
        ix::ThawCredits { reason },
    )
}

fn pause_accounts(
    authority: &Pubkey,
    class: &Pubkey,
    credit_mint: &Pubkey,
    program: &Pubkey,
) -> acc::SetClassPaused {
    acc::SetClassPaused {
        authority: *authority,
        platform: pda::platform(),
        class: *class,
        credit_mint: *credit_mint,
        credit_token_program: *program,
    }
}

pub fn pause_class(
    authority: &Pubkey,
    class: &Pubkey,
    credit_mint: &Pubkey,
    program: &Pubkey,
) -> Instruction {
    build(pause_accounts(authority, class, credit_mint, program), ix::PauseClass {})
}

pub fn resume_class(
    authority: &Pubkey,
    class: &Pubkey,
    credit_mint: &Pubkey,
    program: &Pubkey,
) -> Instruction {
    build(pause_accounts(authority, class, credit_mint, program), ix::ResumeClass {})
}
