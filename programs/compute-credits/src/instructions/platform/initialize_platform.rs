use anchor_lang::prelude::*;
use anchor_lang::solana_program::bpf_loader_upgradeable;

use crate::constants::{PLATFORM_SEED, PROGRAM_DATA};
use crate::error::CreditsError;
use crate::events::PlatformInitialized;
use crate::pda::init_zero_copy_account;
use crate::state::{FeeSettings, Platform};

/// Creates the platform; only the program's upgrade authority may, so the first caller after a
/// deploy cannot make itself admin. The authority is read from the program's ProgramData
/// account (fixed address, owned by the upgradeable loader, in the `ProgramData` state) and
/// becomes the admin; it can hand the role on with `propose_admin` / `accept_admin`. An
/// immutable program (no upgrade authority) cannot be initialised.
#[derive(Accounts)]
pub struct InitializePlatform<'info> {
    /// The program's upgrade authority; becomes the platform admin.
    #[account(mut)]
    pub admin: Signer<'info>,
    /// CHECK: the platform PDA, created here; an existing platform is refused
    /// (`AlreadyInitialized`), so it can be created only once.
    #[account(mut, seeds = [PLATFORM_SEED], bump)]
    pub platform: UncheckedAccount<'info>,
    /// This program's ProgramData (a fixed address, so clients resolve it from the IDL).
    /// CHECK: address pinned here; owner, state, authority in `require_upgrade_authority`.
    #[account(address = PROGRAM_DATA @ CreditsError::InvalidProgramData)]
    pub program_data: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl InitializePlatform<'_> {
    pub fn handler(ctx: Context<Self>, guardian: Pubkey, treasury: Pubkey, fees: FeeSettings) -> Result<()> {
        require_upgrade_authority(&ctx.accounts.program_data, &ctx.accounts.admin.key())?;
        require!(guardian != Pubkey::default() && treasury != Pubkey::default(), CreditsError::DefaultKey);
        fees.validate()?;
        let mut platform = Platform {
            admin: ctx.accounts.admin.key(),
            guardian,
            treasury,
            bump: ctx.bumps.platform,
            ..Default::default()
        };
        platform.set_fees(fees);
        init_zero_copy_account(
            &ctx.accounts.admin.to_account_info(),
            &ctx.accounts.platform.to_account_info(),
            &ctx.accounts.system_program.to_account_info(),
            &[PLATFORM_SEED, &[platform.bump]],
            &platform,
        )?;
        emit!(PlatformInitialized { admin: platform.admin, guardian, treasury });
        Ok(())
    }
}

/// `signer` is the upgrade authority recorded in `program_data` (already pinned to
/// [`PROGRAM_DATA`]): owned by the upgradeable loader (`InvalidProgramData`), in the
/// `ProgramData` state (`InvalidProgramData`), with `upgrade_authority_address ==
/// Some(signer)` (`NotUpgradeAuthority`, also when the program is immutable).
pub fn require_upgrade_authority(program_data: &AccountInfo, signer: &Pubkey) -> Result<()> {
    require_keys_eq!(*program_data.owner, bpf_loader_upgradeable::ID, CreditsError::InvalidProgramData);
    let data = program_data.try_borrow_data()?;
    let authority = program_data_authority(&data).ok_or(CreditsError::InvalidProgramData)?;
    require!(authority == Some(*signer), CreditsError::NotUpgradeAuthority);
    Ok(())
}

/// The upgrade authority of a ProgramData account's data, `None` inside when the program is
/// immutable; `None` outside when the data is not the `ProgramData` state. The layout is
/// bincode's `UpgradeableLoaderState::ProgramData { slot, upgrade_authority_address }`: a u32
/// tag (3), the slot (u64), then the `Option<Pubkey>` (a tag byte 0 or 1, then the key); the
/// ELF follows at byte 45. Read by hand: the bincode/serde path pulls float formatting into
/// the program, which the SBF backend cannot lower, and costs more (tested against Anchor's
/// deserializer below).
pub fn program_data_authority(data: &[u8]) -> Option<Option<Pubkey>> {
    const PROGRAM_DATA_TAG: u32 = 3;
    let tag = u32::from_le_bytes(data.get(..4)?.try_into().ok()?);
    if tag != PROGRAM_DATA_TAG {
        return None;
    }
    match data.get(12)? {
        0 => Some(None),
        1 => Some(Some(Pubkey::try_from(data.get(13..45)?).ok()?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `UpgradeableLoaderState` in bincode, written by hand: a u32 tag, then the fields.
    fn state(tag: u32, body: &[u8]) -> Vec<u8> {
        let mut d = tag.to_le_bytes().to_vec();
        d.extend_from_slice(body);
        d
    }

    fn program_data(authority: Option<Pubkey>) -> Vec<u8> {
        let mut body = 7u64.to_le_bytes().to_vec(); // deployment slot
        match authority {
            Some(k) => {
                body.push(1);
                body.extend_from_slice(k.as_ref());
            }
            None => body.push(0),
        }
        let mut d = state(3, &body);
        d.resize(45, 0);
        d.extend_from_slice(b"\x7fELF the program"); // the ELF follows the metadata
        d
    }

    fn check(owner: Pubkey, mut data: Vec<u8>, signer: &Pubkey) -> Result<()> {
        let (key, mut lamports) = (PROGRAM_DATA, 1_000_000u64);
        let info = AccountInfo::new(&key, false, false, &mut lamports, &mut data, &owner, false);
        require_upgrade_authority(&info, signer)
    }

    fn code(r: Result<()>) -> Option<u32> {
        match r {
            Err(anchor_lang::error::Error::AnchorError(e)) => Some(e.error_code_number),
            _ => None,
        }
    }

    #[test]
    fn only_the_recorded_upgrade_authority_passes() {
        let (authority, stranger) = (Pubkey::new_unique(), Pubkey::new_unique());
        let loader = bpf_loader_upgradeable::ID;
        assert!(check(loader, program_data(Some(authority)), &authority).is_ok());
        let not_authority = Some(CreditsError::NotUpgradeAuthority as u32 + 6000);
        let invalid = Some(CreditsError::InvalidProgramData as u32 + 6000);
        assert_eq!(code(check(loader, program_data(Some(authority)), &stranger)), not_authority);
        // an immutable program has no authority: nobody can initialise
        assert_eq!(code(check(loader, program_data(None), &authority)), not_authority);
        assert_eq!(code(check(loader, program_data(None), &Pubkey::default())), not_authority);
        // the right bytes under another owner
        let system = anchor_lang::system_program::ID;
        assert_eq!(code(check(system, program_data(Some(authority)), &authority)), invalid);
        assert_eq!(code(check(crate::ID, program_data(Some(authority)), &authority)), invalid);
        // other loader states: uninitialised, a buffer whose authority is the signer, a
        // program account; and data too short to hold a state
        assert_eq!(code(check(loader, state(0, &[]), &authority)), invalid);
        let mut buffer = vec![1];
        buffer.extend_from_slice(authority.as_ref());
        assert_eq!(code(check(loader, state(1, &buffer), &authority)), invalid);
        assert_eq!(code(check(loader, state(2, authority.as_ref()), &authority)), invalid);
        assert_eq!(code(check(loader, vec![3, 0, 0], &authority)), invalid);
        assert_eq!(code(check(loader, vec![], &authority)), invalid);
    }

    /// The hand-written parser reads what Anchor's bincode deserializer reads, for valid
    /// states, other states, bad option tags and every truncation.
    #[test]
    fn the_parser_agrees_with_bincode() {
        let authority = Pubkey::new_unique();
        let mut inputs =
            vec![program_data(Some(authority)), program_data(None), state(0, &[]), state(2, &[7; 32])];
        let mut bad_option = program_data(Some(authority));
        bad_option[12] = 2;
        inputs.push(bad_option);
        let full = program_data(Some(authority));
        inputs.extend((0..46).map(|n| full[..n].to_vec()));
        let none = program_data(None);
        inputs.extend((0..14).map(|n| none[..n].to_vec()));
        for data in inputs {
            let anchor =
                ProgramData::try_deserialize(&mut &data[..]).ok().map(|p| p.upgrade_authority_address);
            assert_eq!(program_data_authority(&data), anchor, "{data:?}");
        }
    }
}
