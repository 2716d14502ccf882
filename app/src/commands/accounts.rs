//! The accounts the commands read or create, one rule each: a class, a raw account, a mint and
//! token accounts under either token program, and associated token accounts (their address,
//! and their idempotent creation in the same transaction).
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use anchor_spl::token_2022::spl_token_2022;
use compute_credits::state::CreditClass;
use credit_client::read;
use solana_sdk::instruction::Instruction;
use solana_sdk::pubkey::Pubkey;

use super::args::ClassArg;
use crate::context::Context;

/// `owner`'s associated token account of `mint`.
pub fn ata(owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
    credit_client::pda::associated_token(owner, mint, token_program)
}

/// Creates `owner`'s associated token account of `mint` if it is missing (paid by `payer`).
pub fn create_ata(payer: &Pubkey, owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Instruction {
    create_associated_token_account_idempotent(payer, owner, mint, token_program)
}

/// Reads a class: its address and state.
pub fn load_class(ctx: &Context, class: &ClassArg) -> Result<(Pubkey, CreditClass), String> {
    let state = read::class(&ctx.rpc, &class.0).map_err(|e| format!("class {}: {e}", class.0))?;
    Ok((class.0, state))
}

/// A raw account that must exist.
pub fn account(ctx: &Context, key: &Pubkey) -> Result<solana_sdk::account::Account, String> {
    read::account(&ctx.rpc, key)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("account {key} does not exist"))
}

/// A mint (either token program): its owner program and decoded base state.
pub fn mint(ctx: &Context, mint: &Pubkey) -> Result<(Pubkey, spl_token_2022::state::Mint), String> {
    use spl_token_2022::extension::StateWithExtensions;
    let acc = account(ctx, mint)?;
    let state = StateWithExtensions::<spl_token_2022::state::Mint>::unpack(&acc.data)
        .map_err(|e| format!("{mint} is not a mint: {e}"))?;
    Ok((acc.owner, state.base))
}

/// A token account (either token program), `None` if it does not exist.
pub fn token_account(ctx: &Context, key: &Pubkey) -> Result<Option<spl_token_2022::state::Account>, String> {
    use spl_token_2022::extension::StateWithExtensions;
    let Some(acc) = read::account(&ctx.rpc, key).map_err(|e| e.to_string())? else { return Ok(None) };
    StateWithExtensions::<spl_token_2022::state::Account>::unpack(&acc.data)
        .map(|s| Some(s.base))
        .map_err(|e| format!("{key} is not a token account: {e}"))
}

/// Every token account `owner` owns under either token program: address, program, state.
pub fn token_accounts_of(
    ctx: &Context,
    owner: &Pubkey,
) -> Result<Vec<(Pubkey, Pubkey, spl_token_2022::state::Account)>, String> {
    use solana_rpc_client::api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
    use solana_rpc_client::api::filter::{Memcmp, RpcFilterType};
    use spl_token_2022::extension::StateWithExtensions;
    let mut out = vec![];
    for program in [anchor_spl::token::ID, anchor_spl::token_2022::ID] {
        let config = RpcProgramAccountsConfig {
            // a token account's owner sits at byte 32 under both programs
            filters: Some(vec![RpcFilterType::Memcmp(Memcmp::new_raw_bytes(32, owner.to_bytes().to_vec()))]),
            account_config: RpcAccountInfoConfig {
                encoding: Some(solana_rpc_client::api::response::UiAccountEncoding::Base64),
                commitment: Some(ctx.rpc.commitment()),
                ..RpcAccountInfoConfig::default()
            },
            ..RpcProgramAccountsConfig::default()
        };
        let found = ctx
            .rpc
            .get_program_ui_accounts_with_config(&program, config)
            .map_err(|e| format!("getProgramAccounts: {e}"))?;
        for (key, ui) in found {
            let Some(acc) = ui.decode::<solana_sdk::account::Account>() else { continue };
            // mints (and anything else) that happen to match the filter do not unpack
            if let Ok(state) = StateWithExtensions::<spl_token_2022::state::Account>::unpack(&acc.data) {
                if state.base.owner == *owner {
                    out.push((key, program, state.base));
                }
            }
        }
    }
    Ok(out)
}
