//! Creating program-derived accounts in a way a lamport donation cannot block.
//!
//! `system_program::create_account` fails on an address that already holds lamports, and
//! Anchor 1.2's `init` then falls back to `CreateAccountAllowPrefund`, which runtimes without
//! that instruction refuse. Since our PDAs are predictable (`["class", id]`, the credit mint),
//! anyone could pre-fund one and block it forever. So the program creates its PDAs here: a
//! fresh address gets `create_account`; a pre-funded one is topped up, allocated and assigned,
//! all signed by the PDA. An address that already has data or an owner is refused by name.

use anchor_lang::prelude::*;
use anchor_lang::system_program::{self, Allocate, Assign, CreateAccount, Transfer};
use anchor_lang::{AccountSerialize, Discriminator};

use crate::error::CreditsError;

/// Creates `target` (a PDA with `seeds`) owned by `owner`, `space` bytes long and rent-exempt
/// for `funded_len` bytes (more than `space` when the owner grows it afterwards).
pub fn create_pda<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    seeds: &[&[u8]],
    space: usize,
    funded_len: usize,
    owner: &Pubkey,
) -> Result<()> {
    require!(target.data_is_empty() && *target.owner == system_program::ID, CreditsError::AlreadyInitialized);
    let rent = Rent::get()?.minimum_balance(funded_len);
    let current = target.lamports();
    let sys = system_program.key();
    if current == 0 {
        let signer = [seeds];
        let cpi = CpiContext::new_with_signer(
            sys,
            CreateAccount { from: payer.clone(), to: target.clone() },
            &signer,
        );
        return system_program::create_account(cpi, rent, space as u64, owner);
    }
    let top_up = rent.saturating_sub(current);
    if top_up > 0 {
        system_program::transfer(
            CpiContext::new(sys, Transfer { from: payer.clone(), to: target.clone() }),
            top_up,
        )?;
    }
    system_program::allocate(
        CpiContext::new_with_signer(sys, Allocate { account_to_allocate: target.clone() }, &[seeds]),
        space as u64,
    )?;
    system_program::assign(
        CpiContext::new_with_signer(sys, Assign { account_to_assign: target.clone() }, &[seeds]),
        owner,
    )
}

/// Creates a program account at a PDA and writes `value` (discriminator + data) into it.
pub fn init_program_account<'info, T: AccountSerialize + Discriminator>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    seeds: &[&[u8]],
    space: usize,
    value: &T,
) -> Result<()> {
    create_pda(payer, target, system_program, seeds, space, space, &crate::ID)?;
    let mut data = target.try_borrow_mut_data()?;
    value.try_serialize(&mut &mut data[..])
}

/// Creates a zero-copy program account at its PDA and writes `value` after the discriminator.
pub fn init_zero_copy_account<'info, T: bytemuck::Pod + Discriminator>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    seeds: &[&[u8]],
    value: &T,
) -> Result<()> {
    let space = 8 + std::mem::size_of::<T>();
    create_pda(payer, target, system_program, seeds, space, space, &crate::ID)?;
    let mut data = target.try_borrow_mut_data()?;
    data[..8].copy_from_slice(T::DISCRIMINATOR);
    data[8..].copy_from_slice(bytemuck::bytes_of(value));
    Ok(())
}

/// The hash a PDA of this program with `seeds + [bump]` would have (whether or not it lies off
/// the curve); `None` for more than 8 seeds.
#[cfg(target_os = "solana")]
fn pda_hash(seeds: &[&[u8]], bump: u8) -> Option<[u8; 32]> {
    const MARKER: &[u8] = b"ProgramDerivedAddress";
    if seeds.len() > 8 {
        return None;
    }
    let bump = [bump];
    let mut vals: [&[u8]; 11] = [&[]; 11];
    vals[..seeds.len()].copy_from_slice(seeds);
    vals[seeds.len()] = &bump;
    vals[seeds.len() + 1] = crate::ID.as_ref();
    vals[seeds.len() + 2] = MARKER;
    let n = seeds.len() + 3;
    let mut hash = [0u8; 32];
    extern "C" {
        fn sol_sha256(vals: *const u8, val_len: u64, hash_result: *mut u8) -> u64;
    }
    // SAFETY: `vals[..n]` are `&[u8]` (pointer, length) pairs, the layout the syscall reads;
    // `hash` has room for the 32-byte digest.
    #[allow(unsafe_code)]
    unsafe {
        sol_sha256(vals.as_ptr() as *const u8, n as u64, hash.as_mut_ptr());
    }
    Some(hash)
}

/// Whether `bytes` are a point of the ed25519 curve (an address with a private key, never a
/// PDA): the runtime's own test, as a syscall (159 CU).
#[cfg(target_os = "solana")]
fn on_curve(bytes: &[u8; 32]) -> bool {
    /// `CURVE25519_EDWARDS` of the curve25519 syscalls.
    const EDWARDS: u64 = 0;
    extern "C" {
        fn sol_curve_validate_point(curve_id: u64, point: *const u8, result: *mut u8) -> u64;
    }
    let mut unused = 0u8;
    // SAFETY: `bytes` is the 32-byte compressed point the syscall reads; it writes nothing.
    #[allow(unsafe_code)]
    let r = unsafe { sol_curve_validate_point(EDWARDS, bytes.as_ptr(), &mut unused) };
    r == 0
}

/// `key` is the PDA `seeds + [bump]` of this program, for a `bump` the program recorded itself
/// (the canonical one, found by `find_program_address` when it was recorded): one SHA-256
/// (about 150 CU on-chain) where `find_program_address` costs 1,500 CU per bump it tries.
/// A recorded canonical bump yields an off-curve address, so the hash alone is the address.
pub fn is_pda_with_bump(key: &Pubkey, seeds: &[&[u8]], bump: u8) -> bool {
    #[cfg(target_os = "solana")]
    {
        pda_hash(seeds, bump).is_some_and(|hash| hash == key.to_bytes())
    }
    #[cfg(not(target_os = "solana"))]
    {
        let mut with_bump: Vec<&[u8]> = seeds.to_vec();
        let bump = [bump];
        with_bump.push(&bump);
        Pubkey::create_program_address(&with_bump, &crate::ID).is_ok_and(|k| k == *key)
    }
}

/// `key` is the canonical PDA of `seeds` and `bump` its bump, for a `bump` a client supplied:
/// what `find_program_address` would return, proved rather than searched. Canonical means the
/// highest bump whose address lies off the curve: `bump`'s hash is `key` and off the curve, and
/// every higher bump's hash lies on it. Each bump costs a SHA-256 and a curve test (about
/// 330 CU) where the search pays `create_program_address` (1,500 CU) per bump it tries. A
/// non-canonical bump would name another, empty address: a hold record that never exists (a
/// freeze escaped), or a second channel for the same parties.
pub fn is_canonical_pda(key: &Pubkey, seeds: &[&[u8]], bump: u8) -> bool {
    #[cfg(target_os = "solana")]
    {
        let is_key = pda_hash(seeds, bump).is_some_and(|hash| hash == key.to_bytes() && !on_curve(&hash));
        // u16: no higher bump than 255
        is_key
            && (u16::from(bump) + 1..=u16::from(u8::MAX))
                .all(|higher| pda_hash(seeds, higher as u8).is_some_and(|hash| on_curve(&hash)))
    }
    #[cfg(not(target_os = "solana"))]
    {
        Pubkey::try_find_program_address(seeds, &crate::ID) == Some((*key, bump))
    }
}

/// How a generated client finds the accounts whose address Anchor's constraints do not state,
/// because the program checks them more cheaply than Anchor's `seeds` or `has_one` would: the
/// IDL generator (`app idl`) adds these to `idl/compute_credits.json` as `pda` seeds and
/// `relations`, and refuses an entry that names an unknown instruction, account, argument or
/// type, or an account Anchor already resolves. `clients/idl-check` proves the table against
/// the program with Anchor's TypeScript client (`crates/localnet/tests/idl_client.rs`).
///
/// Why not on-chain constraints: each of these accounts is identified by a stored key the
/// handler compares anyway (a feed's `class`, a hold record's `account` / `owner` and
/// `credit_mint`, a provider's `class` and `authority`, an approval's `borrower` and
/// `quote_mint`, the market's keys in the one borrow of its data), or derived once, when it is
/// created. An Anchor `seeds` constraint would add a `create_program_address` (1,500 CU) or a
/// bump search; `has_one` on a zero-copy account loads it again per key. And Anchor's IDL
/// builder cannot state a seed read from a loaded zero-copy account or a token account.
pub mod client_resolution {
    use crate::constants::{
        APPROVAL_SEED, CHANNEL_SEED, CHANNEL_VAULT_SEED, FREEZE_HOLD_SEED, OWNER_HOLDS_SEED, PRICE_FEED_SEED,
        PROVIDER_SEED,
    };

    /// One seed, as the IDL states it.
    #[derive(Clone, Copy, Debug)]
    pub enum Seed {
        Const(&'static [u8]),
        /// An account of the instruction (its key).
        Account(&'static str),
        /// A key stored in an account of the instruction: `path` = "account.field", read as
        /// `ty` (one of the program's account types, or `TokenAccount`).
        Field {
            path: &'static str,
            ty: &'static str,
        },
        /// An instruction argument (or a field of one: "terms.borrower").
        Arg(&'static str),
    }

    /// How the account is found.
    #[derive(Clone, Copy, Debug)]
    pub enum Resolution {
        Pda(&'static [Seed]),
        /// The key stored under the account's own name in this other account of the instruction.
        Relation(&'static str),
    }

    /// `account` of each of `instructions` resolves by `resolution`.
    #[derive(Clone, Copy, Debug)]
    pub struct Entry {
        pub account: &'static str,
        pub instructions: &'static [&'static str],
        pub resolution: Resolution,
    }

    const FEED_OF_CLASS: Resolution =
        Resolution::Pda(&[Seed::Const(PRICE_FEED_SEED), Seed::Account("class")]);
    const ON_MARKET: Resolution = Resolution::Relation("market");

    pub const ENTRIES: &[Entry] = &[
        // A feed is created only at `["price_feed", class]`; consumers compare its stored
        // `class` (`WrongPriceFeed`) or the class's stored `price_feed` (`WrongPriceSource`).
        Entry {
            account: "price_feed",
            instructions: &[
                "purchase_credits",
                "set_class_price_feed",
                "accept_loan",
                "update_loan",
                "freeze_collateral",
                "thaw_collateral",
                "liquidate_collateral",
                "withdraw_collateral",
                "top_up_collateral",
                "redeem_from_vault",
                "sell_collateral",
            ],
            resolution: FEED_OF_CLASS,
        },
        // Hold records: derived by the freeze routine when it creates them, then identified by
        // owner, discriminator and the keys they store (`WrongHoldAccount`).
        Entry {
            account: "freeze_hold",
            instructions: &["freeze_credits", "thaw_credits"],
            resolution: Resolution::Pda(&[Seed::Const(FREEZE_HOLD_SEED), Seed::Account("credit_account")]),
        },
        Entry {
            account: "freeze_hold",
            instructions: &["freeze_collateral"],
            resolution: Resolution::Pda(&[Seed::Const(FREEZE_HOLD_SEED), Seed::Account("borrower_credits")]),
        },
        Entry {
            account: "owner_holds",
            instructions: &["freeze_credits", "thaw_credits"],
            resolution: Resolution::Pda(&[
                Seed::Const(OWNER_HOLDS_SEED),
                Seed::Account("credit_mint"),
                Seed::Field { path: "credit_account.owner", ty: "TokenAccount" },
            ]),
        },
        Entry {
            account: "borrower_holds",
            instructions: &["freeze_collateral", "thaw_collateral", "release_collateral"],
            resolution: Resolution::Pda(&[
                Seed::Const(OWNER_HOLDS_SEED),
                Seed::Account("credit_mint"),
                Seed::Field { path: "loan.borrower", ty: "Loan" },
            ]),
        },
        // claim_seat derives it (and records the bump); withdraw checks it with that bump.
        Entry {
            account: "owner_holds",
            instructions: &["claim_seat"],
            resolution: Resolution::Pda(&[
                Seed::Const(OWNER_HOLDS_SEED),
                Seed::Field { path: "market.credit_mint", ty: "MarketV2" },
                Seed::Account("owner"),
            ]),
        },
        Entry {
            account: "trader_holds",
            instructions: &["withdraw"],
            resolution: Resolution::Pda(&[
                Seed::Const(OWNER_HOLDS_SEED),
                Seed::Field { path: "market.credit_mint", ty: "MarketV2" },
                Seed::Account("trader"),
            ]),
        },
        // A provider is created only at `["provider", class, authority]` and checked by both
        // stored keys (`WrongClass`, `NotProvider`).
        Entry {
            account: "provider",
            instructions: &["redeem_credits", "redeem_from_vault"],
            resolution: Resolution::Pda(&[
                Seed::Const(PROVIDER_SEED),
                Seed::Account("class"),
                Seed::Account("provider_authority"),
            ]),
        },
        // A channel records its holder's `owner_holds` bump at opening and checks the address
        // with it (`WrongHoldAccount`).
        Entry {
            account: "holder_holds",
            instructions: &["top_up_channel", "finalize_channel"],
            resolution: Resolution::Pda(&[
                Seed::Const(OWNER_HOLDS_SEED),
                Seed::Account("credit_mint"),
                Seed::Account("holder"),
            ]),
        },
        Entry {
            account: "holder_holds",
            instructions: &["redeem_from_channel"],
            resolution: Resolution::Pda(&[
                Seed::Const(OWNER_HOLDS_SEED),
                Seed::Account("credit_mint"),
                Seed::Field { path: "channel.holder", ty: "MeteringChannel" },
            ]),
        },
        // open_channel proves the canonical bumps its client passes (`is_canonical_pda`) rather
        // than deriving with Anchor's `seeds` (a bump search each).
        Entry {
            account: "channel",
            instructions: &["open_channel"],
            resolution: Resolution::Pda(&[
                Seed::Const(CHANNEL_SEED),
                Seed::Account("class"),
                Seed::Account("holder"),
                Seed::Account("provider_authority"),
            ]),
        },
        Entry {
            account: "channel_vault",
            instructions: &["open_channel"],
            resolution: Resolution::Pda(&[Seed::Const(CHANNEL_VAULT_SEED), Seed::Account("channel")]),
        },
        Entry {
            account: "holder_holds",
            instructions: &["open_channel"],
            resolution: Resolution::Pda(&[
                Seed::Const(OWNER_HOLDS_SEED),
                Seed::Account("credit_mint"),
                Seed::Account("holder"),
            ]),
        },
        // finalize_channel compares the channel's stored keys and its class's in one load of
        // each (no `has_one`, which loads a zero-copy account again per key).
        Entry {
            account: "holder",
            instructions: &["finalize_channel"],
            resolution: Resolution::Relation("channel"),
        },
        Entry {
            account: "class",
            instructions: &["finalize_channel"],
            resolution: Resolution::Relation("channel"),
        },
        Entry {
            account: "vault",
            instructions: &["finalize_channel"],
            resolution: Resolution::Relation("channel"),
        },
        Entry {
            account: "credit_mint",
            instructions: &["finalize_channel"],
            resolution: Resolution::Relation("class"),
        },
        Entry {
            account: "credit_token_program",
            instructions: &["finalize_channel"],
            resolution: Resolution::Relation("class"),
        },
        // The provider registration a channel is opened to, checked by its stored keys.
        Entry {
            account: "provider",
            instructions: &["open_channel"],
            resolution: Resolution::Pda(&[
                Seed::Const(PROVIDER_SEED),
                Seed::Account("class"),
                Seed::Account("provider_authority"),
            ]),
        },
        // An approval is created only at `["approval", borrower, quote_mint]` and checked by
        // its stored keys.
        Entry {
            account: "approval",
            instructions: &["accept_loan"],
            resolution: Resolution::Pda(&[
                Seed::Const(APPROVAL_SEED),
                Seed::Account("borrower"),
                Seed::Account("quote_mint"),
            ]),
        },
        Entry {
            account: "approval",
            instructions: &["post_loan_offer"],
            resolution: Resolution::Pda(&[
                Seed::Const(APPROVAL_SEED),
                Seed::Arg("terms.borrower"),
                Seed::Account("quote_mint"),
            ]),
        },
        // The market's keys, compared in the one borrow of its data the handler takes.
        Entry {
            account: "class",
            instructions: &["place_order_v2", "batch_orders", "deposit", "withdraw", "swap"],
            resolution: ON_MARKET,
        },
        Entry {
            account: "market_authority",
            instructions: &["swap", "withdraw", "withdraw_market_fees"],
            resolution: ON_MARKET,
        },
        Entry { account: "base_vault", instructions: &["swap"], resolution: ON_MARKET },
        Entry {
            account: "quote_vault",
            instructions: &["swap", "withdraw_market_fees"],
            resolution: ON_MARKET,
        },
        Entry { account: "credit_mint", instructions: &["swap"], resolution: ON_MARKET },
        Entry {
            account: "quote_mint",
            instructions: &["swap", "withdraw_market_fees"],
            resolution: ON_MARKET,
        },
        Entry { account: "credit_token_program", instructions: &["swap"], resolution: ON_MARKET },
        Entry {
            account: "quote_token_program",
            instructions: &["swap", "withdraw_market_fees"],
            resolution: ON_MARKET,
        },
    ];
}
