//! The platform and its roles: initialisation, admin handover, fees, the underwriter and its
//! approvals.
use anchor_lang::prelude::Pubkey;
use compute_credits::constants::PROGRAM_DATA;
use compute_credits::{accounts as acc, instruction as ix};
use compute_credits::{ApprovalTerms, FeeSettings};
use solana_sdk::instruction::Instruction;

use super::{build, SYSTEM_PROGRAM};
use crate::pda;

pub fn initialize_platform(
    admin: &Pubkey,
    guardian: &Pubkey,
    treasury: &Pubkey,
    fees: FeeSettings,
) -> Instruction {
    build(
        acc::InitializePlatform {
            admin: *admin,
            platform: pda::platform(),
            program_data: PROGRAM_DATA,
            system_program: SYSTEM_PROGRAM,
        },
        ix::InitializePlatform { guardian: *guardian, treasury: *treasury, fees },
    )
}

pub fn propose_admin(admin: &Pubkey, new_admin: &Pubkey) -> Instruction {
    build(
        acc::ProposeAdmin { admin: *admin, platform: pda::platform() },
        ix::ProposeAdmin { new_admin: *new_admin },
    )
}

pub fn accept_admin(pending_admin: &Pubkey) -> Instruction {
    build(acc::AcceptAdmin { pending_admin: *pending_admin, platform: pda::platform() }, ix::AcceptAdmin {})
}

pub fn update_platform(
    admin: &Pubkey,
    guardian: &Pubkey,
    treasury: &Pubkey,
    fees: FeeSettings,
) -> Instruction {
    build(
        acc::UpdatePlatform { admin: *admin, platform: pda::platform() },
        ix::UpdatePlatform { guardian: *guardian, treasury: *treasury, fees },
    )
}

pub fn set_underwriter(admin: &Pubkey, underwriter: &Pubkey) -> Instruction {
    build(
        acc::SetUnderwriter { admin: *admin, platform: pda::platform() },
        ix::SetUnderwriter { underwriter: *underwriter },
    )
}

pub fn approve_borrower(underwriter: &Pubkey, terms: ApprovalTerms) -> Instruction {
    build(
        acc::ApproveBorrower {
            underwriter: *underwriter,
            platform: pda::platform(),
            approval: pda::approval(&terms.borrower, &terms.quote_mint),
            system_program: SYSTEM_PROGRAM,
        },
        ix::ApproveBorrower { terms },
    )
}

pub fn revoke_approval(underwriter: &Pubkey, approval: &Pubkey) -> Instruction {
    build(
        acc::RevokeApproval { underwriter: *underwriter, platform: pda::platform(), approval: *approval },
        ix::RevokeApproval {},
    )
}
