//! The sample world's pieces, shared by `app localnet --seed` (the newcomer's world behind the
//! web app) and the CLI's tests over JSON-RPC: an H100 GPU-hour class, a native feed's terms,
//! the default lending terms on the hourly clock, a USDC-like SPL mint, and one way to send a
//! setup transaction (a fixed budget, no priority fee, errors by name).
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use anchor_spl::token::spl_token;
use compute_credits::{CreateCreditClassArgs, FeedConfig, LendingParams};
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::instruction::Instruction;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::Signer;

use crate::defaults::{self, Periods};
use crate::ix::Purchase;
use crate::tx::{ComputeUnitLimit, Mode, Options, Pipeline, PriorityFee};
use crate::{pda, ClassKeys};

/// Quote atoms per dollar, credit atoms per credit (both 6 decimals).
pub const USD: u64 = 1_000_000;
pub const CREDIT: u64 = 1_000_000;
/// $2.50 a credit (exponent -8), +- $0.01.
pub const PRICE: i64 = 250_000_000;
pub const CONF: u64 = 1_000_000;
/// An SPL mint's size (the base layout, no extensions).
const MINT_SPACE: usize = 82;

/// Sends `ixs` signed by `signers` (the first pays) at a fixed budget of 1.4M units, no
/// priority fee, confirmed; a failure comes back with the program error's name.
pub fn send(rpc: &RpcClient, ixs: &[Instruction], signers: &[&dyn Signer]) -> Result<(), String> {
    let options = Options {
        commitment: CommitmentConfig::confirmed(),
        compute_unit_limit: ComputeUnitLimit::Fixed(1_400_000),
        priority_fee: PriorityFee::None,
        mode: Mode::Send,
        blockhash: None,
    };
    Pipeline::new(rpc, signers[0], options).run(ixs, &signers[1..]).map(drop).map_err(|e| e.to_string())
}

/// The protocol's default lending terms on the hourly clock, loans from $100 (samples lend
/// hundreds, not hundreds of thousands).
pub fn lending_params() -> LendingParams {
    LendingParams { min_principal: 100, ..defaults::lending_params_with(Periods::HOURLY) }
}

/// An H100 GPU-hour class at a $2.50 list price, 6 decimals.
pub fn class_args(class_id: u32) -> CreateCreditClassArgs {
    CreateCreditClassArgs {
        class_id,
        name: "H100 GPU-hour".into(),
        symbol: "H100H".into(),
        uri: "https://credits.example/h100.json".into(),
        unit: "H100 GPU-hour".into(),
        decimals: 6,
        list_price: 2_500_000,
    }
}

/// A feed with exponent -8, 2% confidence and 20% deviation bounds, stale after
/// `max_staleness_secs`.
pub fn feed_config(min_publishers: u8, pyth_feed_id: [u8; 32], max_staleness_secs: u32) -> FeedConfig {
    FeedConfig {
        expo: -8,
        min_publishers,
        max_staleness_secs,
        max_confidence_bps: 200,
        max_deviation_bps: 2_000,
        deviation_window_secs: 600,
        pyth_feed_id,
    }
}

/// Creates the SPL mint `mint` (6 decimals, `authority` mints), paid by `payer`.
pub fn create_spl_mint(
    rpc: &RpcClient,
    payer: &Pubkey,
    mint: &Pubkey,
    authority: &Pubkey,
) -> Result<[Instruction; 2], String> {
    let rent = rpc.get_minimum_balance_for_rent_exemption(MINT_SPACE).map_err(|e| e.to_string())?;
    let create = solana_system_interface::instruction::create_account(
        payer,
        mint,
        rent,
        MINT_SPACE as u64,
        &spl_token::ID,
    );
    let init = spl_token::instruction::initialize_mint2(&spl_token::ID, mint, authority, None, 6)
        .map_err(|e| e.to_string())?;
    Ok([create, init])
}

/// Creates `owner`'s associated account of the SPL `quote_mint` if missing (paid by `payer`).
pub fn create_quote_account(payer: &Pubkey, owner: &Pubkey, quote_mint: &Pubkey) -> Instruction {
    create_associated_token_account_idempotent(payer, owner, quote_mint, &spl_token::ID)
}

/// `owner`'s quote account created if missing and `atoms` minted into it by the mint's
/// `authority` (who pays).
pub fn mint_quote(
    authority: &Pubkey,
    quote_mint: &Pubkey,
    owner: &Pubkey,
    atoms: u64,
) -> Result<[Instruction; 2], String> {
    let create = create_quote_account(authority, owner, quote_mint);
    let account = pda::associated_token(owner, quote_mint, &spl_token::ID);
    let mint = spl_token::instruction::mint_to(&spl_token::ID, quote_mint, &account, authority, &[], atoms)
        .map_err(|e| e.to_string())?;
    Ok([create, mint])
}

/// `buyer`'s purchase of `class` credits into its associated account, paid from its associated
/// quote account, priced by `price_feed` when the class uses one.
pub fn purchase(
    k: &ClassKeys,
    buyer: &Pubkey,
    treasury_quote: &Pubkey,
    price_feed: Option<Pubkey>,
) -> Purchase {
    Purchase {
        buyer: *buyer,
        class: k.class,
        credit_mint: k.credit_mint,
        quote_mint: k.quote_mint,
        buyer_quote: pda::associated_token(buyer, &k.quote_mint, &k.quote_program),
        treasury_quote: *treasury_quote,
        recipient_credits: pda::associated_token(buyer, &k.credit_mint, &k.credit_program),
        credit_token_program: k.credit_program,
        quote_token_program: k.quote_program,
        price_feed,
    }
}

/// Creates `owner`'s associated credit account if missing (paid by the owner).
pub fn create_credit_account(k: &ClassKeys, owner: &Pubkey) -> Instruction {
    create_associated_token_account_idempotent(owner, owner, &k.credit_mint, &k.credit_program)
}
