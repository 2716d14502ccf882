//! One builder per instruction: the accounts in the order the program declares them, from
//! Anchor's generated `accounts::` and `instruction::` types. Attack tests mutate the result.
use anchor_lang::prelude::Pubkey;
use anchor_lang::{InstructionData, ToAccountMetas};
use compute_credits::{
    accounts as acc, constants::*, instruction as ix, ApprovalTerms, CreateCreditClassArgs, FeeSettings,
    FeedConfig, FeedKind,
};
use solana_sdk::instruction::{AccountMeta, Instruction};

pub const SYSTEM_PROGRAM: Pubkey = anchor_lang::system_program::ID;

pub fn platform_pda() -> Pubkey {
    Pubkey::find_program_address(&[PLATFORM_SEED], &compute_credits::ID).0
}

pub fn class_pda(class_id: u32) -> Pubkey {
    Pubkey::find_program_address(&[CLASS_SEED, &class_id.to_le_bytes()], &compute_credits::ID).0
}

pub fn credit_mint_pda(class: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[CREDIT_MINT_SEED, class.as_ref()], &compute_credits::ID).0
}

pub fn price_feed_pda(class: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[PRICE_FEED_SEED, class.as_ref()], &compute_credits::ID).0
}

/// The underwriter's approval of `borrower` for compute financing in `quote_mint`.
pub fn approval_pda(borrower: &Pubkey, quote_mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(
        &[APPROVAL_SEED, borrower.as_ref(), quote_mint.as_ref()],
        &compute_credits::ID,
    )
    .0
}

pub fn provider_pda(class: &Pubkey, authority: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[PROVIDER_SEED, class.as_ref(), authority.as_ref()], &compute_credits::ID).0
}

/// `["freeze_hold", token_account]`: who holds the freeze of a credit account.
pub fn freeze_hold_pda(account: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[FREEZE_HOLD_SEED, account.as_ref()], &compute_credits::ID).0
}

/// `["owner_holds", credit_mint, owner]`: holds in force on a wallet's accounts of a mint.
pub fn owner_holds_pda(credit_mint: &Pubkey, owner: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(
        &[OWNER_HOLDS_SEED, credit_mint.as_ref(), owner.as_ref()],
        &compute_credits::ID,
    )
    .0
}

/// A credit account with its freeze-hold record, as remaining accounts (both writable).
pub fn held_pair(account: &Pubkey) -> [AccountMeta; 2] {
    [AccountMeta::new(*account, false), AccountMeta::new(freeze_hold_pda(account), false)]
}

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: compute_credits::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

/// Marks `key` as not signing (the "missing signer" attack).
pub fn without_signer(mut ix: Instruction, key: &Pubkey) -> Instruction {
    for m in ix.accounts.iter_mut().filter(|m| m.pubkey == *key) {
        m.is_signer = false;
    }
    ix
}

/// Replaces every occurrence of account `from` by `to` (substitution attacks).
pub fn replace_account(mut ix: Instruction, from: &Pubkey, to: &Pubkey) -> Instruction {
    for m in ix.accounts.iter_mut().filter(|m| m.pubkey == *from) {
        m.pubkey = *to;
    }
    ix
}

/// Replaces the account at `index` (for duplicates where two slots hold the same key).
pub fn replace_at(mut ix: Instruction, index: usize, to: &Pubkey) -> Instruction {
    ix.accounts[index].pubkey = *to;
    ix
}

pub fn with_extra_accounts(mut ix: Instruction, extra: &[AccountMeta]) -> Instruction {
    ix.accounts.extend_from_slice(extra);
    ix
}

pub fn initialize_platform(
    admin: &Pubkey,
    guardian: &Pubkey,
    treasury: &Pubkey,
    fees: FeeSettings,
) -> Instruction {
    build(
        acc::InitializePlatform {
            admin: *admin,
            platform: platform_pda(),
            program_data: PROGRAM_DATA,
            system_program: SYSTEM_PROGRAM,
        },
        ix::InitializePlatform { guardian: *guardian, treasury: *treasury, fees },
    )
}

pub fn propose_admin(admin: &Pubkey, new_admin: &Pubkey) -> Instruction {
    build(
        acc::ProposeAdmin { admin: *admin, platform: platform_pda() },
        ix::ProposeAdmin { new_admin: *new_admin },
    )
}

pub fn accept_admin(pending_admin: &Pubkey) -> Instruction {
    build(acc::AcceptAdmin { pending_admin: *pending_admin, platform: platform_pda() }, ix::AcceptAdmin {})
}

pub fn update_platform(
    admin: &Pubkey,
    guardian: &Pubkey,
    treasury: &Pubkey,
    fees: FeeSettings,
) -> Instruction {
    build(
        acc::UpdatePlatform { admin: *admin, platform: platform_pda() },
        ix::UpdatePlatform { guardian: *guardian, treasury: *treasury, fees },
    )
}

pub fn set_underwriter(admin: &Pubkey, underwriter: &Pubkey) -> Instruction {
    build(
        acc::SetUnderwriter { admin: *admin, platform: platform_pda() },
        ix::SetUnderwriter { underwriter: *underwriter },
    )
}

pub fn approve_borrower(underwriter: &Pubkey, terms: ApprovalTerms) -> Instruction {
    build(
        acc::ApproveBorrower {
            underwriter: *underwriter,
            platform: platform_pda(),
            approval: approval_pda(&terms.borrower, &terms.quote_mint),
            system_program: SYSTEM_PROGRAM,
        },
        ix::ApproveBorrower { terms },
    )
}

pub fn revoke_approval(underwriter: &Pubkey, approval: &Pubkey) -> Instruction {
    build(
        acc::RevokeApproval { underwriter: *underwriter, platform: platform_pda(), approval: *approval },
        ix::RevokeApproval {},
    )
}

pub fn create_credit_class(
    admin: &Pubkey,
    args: CreateCreditClassArgs,
    quote_mint: &Pubkey,
    credit_token_program: &Pubkey,
    quote_token_program: &Pubkey,
) -> Instruction {
    let class = class_pda(args.class_id);
    build(
        acc::CreateCreditClass {
            admin: *admin,
            platform: platform_pda(),
            class,
            credit_mint: credit_mint_pda(&class),
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
            platform: platform_pda(),
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
            platform: platform_pda(),
            class: *class,
            provider: provider_pda(class, provider_authority),
            system_program: SYSTEM_PROGRAM,
        },
        ix::RegisterProvider { provider_authority: *provider_authority },
    )
}

pub fn remove_provider(admin: &Pubkey, class: &Pubkey, provider_authority: &Pubkey) -> Instruction {
    build(
        acc::RemoveProvider {
            admin: *admin,
            platform: platform_pda(),
            class: *class,
            provider: provider_pda(class, provider_authority),
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
            provider: provider_pda(&r.class, &r.provider_authority),
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
        platform: platform_pda(),
        class: *class,
        credit_mint: *credit_mint,
        credit_account: *credit_account,
        freeze_hold: freeze_hold_pda(credit_account),
        owner_holds: owner_holds_pda(credit_mint, owner),
        credit_token_program: *program,
        system_program: anchor_lang::system_program::ID,
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
        platform: platform_pda(),
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

pub fn create_price_feed(admin: &Pubkey, class: &Pubkey, kind: FeedKind, config: FeedConfig) -> Instruction {
    build(
        acc::CreatePriceFeed {
            admin: *admin,
            platform: platform_pda(),
            class: *class,
            price_feed: price_feed_pda(class),
            system_program: SYSTEM_PROGRAM,
        },
        ix::CreatePriceFeed { kind, config },
    )
}

/// `kind` and the config's exponent and Pyth feed id restate the feed's own (fixed at
/// creation); only the guards may differ.
pub fn configure_price_feed(
    admin: &Pubkey,
    feed: &Pubkey,
    kind: FeedKind,
    config: FeedConfig,
) -> Instruction {
    build(
        acc::ConfigurePriceFeed { admin: *admin, platform: platform_pda(), price_feed: *feed },
        ix::ConfigurePriceFeed { kind, config },
    )
}

pub fn add_publisher(admin: &Pubkey, feed: &Pubkey, publisher: &Pubkey) -> Instruction {
    build(
        acc::ManagePublisher { admin: *admin, platform: platform_pda(), price_feed: *feed },
        ix::AddPublisher { publisher: *publisher },
    )
}

pub fn remove_publisher(admin: &Pubkey, feed: &Pubkey, publisher: &Pubkey) -> Instruction {
    build(
        acc::ManagePublisher { admin: *admin, platform: platform_pda(), price_feed: *feed },
        ix::RemovePublisher { publisher: *publisher },
    )
}

pub fn submit_price(publisher: &Pubkey, feed: &Pubkey, price: i64, conf: u64) -> Instruction {
    build(acc::SubmitPrice { publisher: *publisher, price_feed: *feed }, ix::SubmitPrice { price, conf })
}

pub fn refresh_pyth_price(feed: &Pubkey, price_update: &Pubkey) -> Instruction {
    build(acc::RefreshPythPrice { price_feed: *feed, price_update: *price_update }, ix::RefreshPythPrice {})
}

pub fn resolve_circuit_breaker(admin: &Pubkey, feed: &Pubkey, accept: bool) -> Instruction {
    build(
        acc::ResolveCircuitBreaker { admin: *admin, platform: platform_pda(), price_feed: *feed },
        ix::ResolveCircuitBreaker { accept },
    )
}

pub fn set_class_price_feed(admin: &Pubkey, class: &Pubkey, feed: &Pubkey, use_feed: bool) -> Instruction {
    build(
        acc::SetClassPriceFeed { admin: *admin, platform: platform_pda(), class: *class, price_feed: *feed },
        ix::SetClassPriceFeed { use_feed },
    )
}
