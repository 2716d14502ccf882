//! The market's hot instructions, dispatched before Anchor's (issue 11, "Compute units":
//! "hand-checked accounts with the same checks, keeping the named errors").
//!
//! `place_order_v2`, `cancel_order_v2`, `cancel_all_orders` and `batch_orders` take two or
//! three accounts and no CPI; Anchor's dispatch, instruction-name log, account wrappers and
//! exit cost several hundred CU around a handler of about as much. `process_instruction`
//! (the program's entrypoint, and the native test harness's) runs these four here and every
//! other instruction through Anchor's `entry`, unchanged. The instructions stay in
//! `#[program]` (same names, accounts and arguments in the IDL; their Anchor handlers call the
//! same `process_*` functions), so clients see no difference.
//!
//! The checks are Anchor's, in Anchor's order and with Anchor's error codes:
//! - the declared program id (`DeclaredProgramIdMismatch`);
//! - the arguments, Borsh-decoded by the instruction's own Anchor type
//!   (`InstructionDidNotDeserialize`);
//! - enough accounts (`AccountNotEnoughKeys`);
//! - `trader` signed (`AccountNotSigner`);
//! - `market` owned by this program (`AccountOwnedByWrongProgram`), at least 8 bytes
//!   (`AccountDiscriminatorNotFound`) starting with `MarketV2`'s discriminator
//!   (`AccountDiscriminatorMismatch`), then writable (`ConstraintMut`);
//! - `class` (`place_order_v2`, `batch_orders`): checked in the handler as before (its key is
//!   the market's, `WrongClass`; its `paused` byte read in place).
use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;

use crate::instruction as ix;
use crate::instructions::market_v2::{
    process_batch_orders, process_cancel_all_orders, process_cancel_order_v2, process_place_order_v2,
};
use crate::state::MarketV2;

/// The program's instruction processor: the hot market instructions here, every other one
/// through Anchor's `entry`. Errors are logged as Anchor logs them.
pub fn process_instruction<'info>(
    program_id: &'info Pubkey,
    accounts: &'info [AccountInfo<'info>],
    data: &'info [u8],
) -> std::result::Result<(), ProgramError> {
    match hot(program_id, accounts, data) {
        Some(result) => result.map_err(|e| {
            e.log();
            e.into()
        }),
        None => crate::entry(program_id, accounts, data),
    }
}

/// Runs `data` if it is one of the hot instructions.
fn hot(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> Option<Result<()>> {
    let disc = data.get(..8)?;
    let run: fn(&[AccountInfo], &[u8]) -> Result<()> = if disc == ix::PlaceOrderV2::DISCRIMINATOR {
        place_order_v2
    } else if disc == ix::CancelOrderV2::DISCRIMINATOR {
        cancel_order_v2
    } else if disc == ix::BatchOrders::DISCRIMINATOR {
        batch_orders
    } else if disc == ix::CancelAllOrders::DISCRIMINATOR {
        cancel_all_orders
    } else {
        return None;
    };
    if *program_id != crate::ID {
        return Some(Err(ErrorCode::DeclaredProgramIdMismatch.into()));
    }
    Some(run(accounts, &data[8..]))
}

/// The instruction's arguments, as Anchor decodes them.
fn args<T: AnchorDeserialize>(mut data: &[u8]) -> Result<T> {
    T::deserialize(&mut data).map_err(|_| ErrorCode::InstructionDidNotDeserialize.into())
}

/// `(trader, market)`, then the rest: Anchor's `Signer` and `#[account(mut)]
/// AccountLoader<MarketV2>` checks, in its order (every field's type, then constraints).
fn trader_and_market<'a, 'info>(
    accounts: &'a [AccountInfo<'info>],
    needed: usize,
) -> Result<(&'a AccountInfo<'info>, &'a AccountInfo<'info>, &'a [AccountInfo<'info>])> {
    if accounts.len() < needed {
        return Err(ErrorCode::AccountNotEnoughKeys.into());
    }
    let (trader, market) = (&accounts[0], &accounts[1]);
    if !trader.is_signer {
        return Err(Error::from(ErrorCode::AccountNotSigner).with_account_name("trader"));
    }
    if *market.owner != crate::ID {
        return Err(Error::from(ErrorCode::AccountOwnedByWrongProgram)
            .with_pubkeys((*market.owner, crate::ID))
            .with_account_name("market"));
    }
    {
        let data = market.try_borrow_data()?;
        if data.len() < 8 {
            return Err(Error::from(ErrorCode::AccountDiscriminatorNotFound).with_account_name("market"));
        }
        if &data[..8] != MarketV2::DISCRIMINATOR {
            return Err(Error::from(ErrorCode::AccountDiscriminatorMismatch).with_account_name("market"));
        }
    }
    if !market.is_writable {
        return Err(Error::from(ErrorCode::ConstraintMut).with_account_name("market"));
    }
    Ok((trader, market, &accounts[2..]))
}

fn place_order_v2(accounts: &[AccountInfo], data: &[u8]) -> Result<()> {
    let ix::PlaceOrderV2 { args: a } = args(data)?;
    let (trader, market, rest) = trader_and_market(accounts, 3)?;
    process_place_order_v2(trader.key, market, &rest[0], a)
}

fn cancel_order_v2(accounts: &[AccountInfo], data: &[u8]) -> Result<()> {
    let ix::CancelOrderV2 { seat, side, price_ticks, seq } = args(data)?;
    let (trader, market, _) = trader_and_market(accounts, 2)?;
    process_cancel_order_v2(trader.key, market, seat, side, price_ticks, seq)
}

fn batch_orders(accounts: &[AccountInfo], data: &[u8]) -> Result<()> {
    let ix::BatchOrders { seat, cancel_all, cancels, places } = args(data)?;
    let (trader, market, rest) = trader_and_market(accounts, 3)?;
    process_batch_orders(trader.key, market, &rest[0], seat, cancel_all, &cancels, &places)
}

fn cancel_all_orders(accounts: &[AccountInfo], data: &[u8]) -> Result<()> {
    let ix::CancelAllOrders { seat } = args(data)?;
    let (trader, market, _) = trader_and_market(accounts, 2)?;
    process_cancel_all_orders(trader.key, market, seat)
}

/// The program's entrypoint (Anchor's is not generated: the `hot-path` feature enables
/// `no-entrypoint`): the runtime's input deserialized as Solana's `entrypoint!` does, then
/// `process_instruction`.
#[cfg(all(target_os = "solana", feature = "hot-path", not(feature = "cpi")))]
mod program_entrypoint {
    use anchor_lang::solana_program::entrypoint as sol;

    /// # Safety
    /// Called by the runtime with its serialized input.
    #[no_mangle]
    #[allow(unsafe_code)]
    pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
        let (program_id, accounts, data) = unsafe { sol::deserialize(input) };
        match super::process_instruction(program_id, &accounts, data) {
            Ok(()) => sol::SUCCESS,
            Err(error) => error.into(),
        }
    }

    sol::custom_heap_default!();
    sol::custom_panic_default!();
}
