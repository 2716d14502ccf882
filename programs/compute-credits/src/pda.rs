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

/// `key` is the PDA `seeds + [bump]` of this program, for a `bump` the program recorded itself
/// (the canonical one, found by `find_program_address` when it was recorded): one SHA-256
/// (about 150 CU on-chain) where `find_program_address` costs 1,500 CU per bump it tries.
/// A recorded canonical bump yields an off-curve address, so the hash alone is the address.
pub fn is_pda_with_bump(key: &Pubkey, seeds: &[&[u8]], bump: u8) -> bool {
    #[cfg(target_os = "solana")]
    {
        const MARKER: &[u8] = b"ProgramDerivedAddress";
        if seeds.len() > 8 {
            return false;
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
        hash == key.to_bytes()
    }
    #[cfg(not(target_os = "solana"))]
    {
        let mut with_bump: Vec<&[u8]> = seeds.to_vec();
        let bump = [bump];
        with_bump.push(&bump);
        Pubkey::create_program_address(&with_bump, &crate::ID).is_ok_and(|k| k == *key)
    }
}
