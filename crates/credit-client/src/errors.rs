//! A failed transaction or simulation explained by name and message, never by a raw code alone:
//! the instruction that failed, the program that raised the error (the innermost one that
//! failed, from the logs: a Token-2022 error inside our instruction is Token-2022's), its error's
//! name and message, and the last program logs.
//!
//! Custom codes by program:
//! - this program: 6000+ from the committed IDL (`idl/compute_credits.json`, embedded at build
//!   time; `app idl --check` keeps it equal to `CreditsError`), and Anchor's own framework codes
//!   (100..=5000, `anchor_lang::error::ErrorCode`, names and messages from Anchor itself);
//! - SPL Token and Token-2022: their `TokenError`; the System program: its `SystemError`;
//! - any other program: the code with the program's address.
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use anchor_lang::error::ErrorCode as AnchorCode;
use solana_sdk::instruction::InstructionError;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::transaction::TransactionError;

/// How many of the last program logs an explanation prints.
pub const LOG_TAIL: usize = 12;

const IDL: &str = include_str!("../../../idl/compute_credits.json");

/// A failure, explained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explained {
    /// The failing instruction's index in the transaction (compute-budget instructions count).
    pub instruction: Option<u8>,
    /// The program that raised the error.
    pub program: Option<Pubkey>,
    /// The custom error code, when the error is one.
    pub code: Option<u32>,
    /// e.g. `NotUpgradeAuthority`, `InsufficientFunds`, `BlockhashNotFound`.
    pub name: String,
    pub message: String,
    /// Every log line the run produced (the display shows the last [`LOG_TAIL`]).
    pub logs: Vec<String>,
}

impl fmt::Display for Explained {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(i) = self.instruction {
            write!(f, "instruction {i}")?;
            if let Some(p) = self.program {
                write!(f, " ({})", program_name(&p))?;
            }
            write!(f, " failed: ")?;
        }
        write!(f, "{}", self.name)?;
        if let Some(code) = self.code {
            write!(f, " (error {code}, {code:#x})")?;
        }
        write!(f, ": {}", self.message)?;
        let tail = &self.logs[self.logs.len().saturating_sub(LOG_TAIL)..];
        if !tail.is_empty() {
            write!(f, "\nlast program logs:")?;
            if tail.len() < self.logs.len() {
                write!(f, "\n  ... ({} earlier lines)", self.logs.len() - tail.len())?;
            }
            for line in tail {
                write!(f, "\n  {line}")?;
            }
        }
        Ok(())
    }
}

/// A readable name for the programs a transaction here usually calls.
pub fn program_name(program: &Pubkey) -> String {
    let known = [
        (compute_credits::ID, "compute-credits"),
        (spl_token_interface::ID, "SPL Token"),
        (spl_token_2022_interface::ID, "Token-2022"),
        (solana_system_interface::program::ID, "System"),
        (solana_compute_budget_interface::ID, "Compute Budget"),
        (anchor_lang::solana_program::bpf_loader_upgradeable::ID, "BPF Upgradeable Loader"),
    ];
    match known.iter().find(|(id, _)| id == program) {
        Some((_, name)) => format!("{name} {program}"),
        None => program.to_string(),
    }
}

/// Explains `err` of a transaction whose instructions call `programs` (by index), from the
/// run's `logs` (empty when there are none).
pub fn explain(err: &TransactionError, programs: &[Pubkey], logs: &[String]) -> Explained {
    let logs = logs.to_vec();
    let TransactionError::InstructionError(index, ix_err) = err else {
        return Explained {
            instruction: None,
            program: None,
            code: None,
            name: variant_name(err),
            message: err.to_string(),
            logs,
        };
    };
    let program = failed_program(&logs).or_else(|| programs.get(usize::from(*index)).copied());
    let (code, name, message) = match ix_err {
        InstructionError::Custom(code) => {
            let (name, message) = match program {
                Some(p) => custom_error(&p, *code),
                None => None,
            }
            .unwrap_or_else(|| ("Custom".to_string(), format!("custom program error {code:#x}")));
            (Some(*code), name, message)
        }
        other => (None, variant_name(other), other.to_string()),
    };
    Explained { instruction: Some(*index), program, code, name, message, logs }
}

/// The innermost program that failed: the first `Program <id> failed: ...` line (a failing CPI
/// logs its own failure before its caller's).
fn failed_program(logs: &[String]) -> Option<Pubkey> {
    logs.iter().find_map(|line| {
        let rest = line.strip_prefix("Program ")?;
        let (id, tail) = rest.split_once(' ')?;
        tail.starts_with("failed").then(|| Pubkey::from_str(id).ok()).flatten()
    })
}

/// The name of an enum value from its `Debug` form (`InsufficientFunds`, `Custom(3)` -> `Custom`).
fn variant_name(value: &impl fmt::Debug) -> String {
    let debug = format!("{value:?}");
    debug.split(['(', ' ', '{']).next().unwrap_or(&debug).to_string()
}

/// The name and message of custom error `code` raised by `program`, when the program is one
/// this client knows.
pub fn custom_error(program: &Pubkey, code: u32) -> Option<(String, String)> {
    if *program == compute_credits::ID {
        return program_error(code).or_else(|| anchor_error(code));
    }
    if *program == spl_token_2022_interface::ID {
        let e = spl_token_2022_interface::error::TokenError::try_from(code).ok()?;
        return Some((variant_name(&e), e.to_string()));
    }
    if *program == spl_token_interface::ID {
        let e = spl_token_interface::error::TokenError::try_from(code).ok()?;
        return Some((variant_name(&e), e.to_string()));
    }
    if *program == solana_system_interface::program::ID {
        let e = solana_system_interface::error::SystemError::try_from(code).ok()?;
        return Some((variant_name(&e), e.to_string()));
    }
    None
}

/// `CreditsError`'s codes, names and messages, as the IDL lists them.
fn idl_errors() -> &'static [(u32, String, String)] {
    static ERRORS: OnceLock<Vec<(u32, String, String)>> = OnceLock::new();
    ERRORS.get_or_init(|| {
        let idl: serde_json::Value = serde_json::from_str(IDL).expect("the committed IDL is JSON");
        idl["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| {
                        let code = u32::try_from(e["code"].as_u64()?).ok()?;
                        Some((
                            code,
                            e["name"].as_str()?.to_string(),
                            e["msg"].as_str().unwrap_or("").to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// One of this program's own errors (`CreditsError`, 6000 and up).
pub fn program_error(code: u32) -> Option<(String, String)> {
    idl_errors().iter().find(|(c, _, _)| *c == code).map(|(_, n, m)| (n.clone(), m.clone()))
}

/// Every framework error of Anchor 1.2.2 (`anchor_lang::error::ErrorCode`).
const ANCHOR_ERRORS: &[AnchorCode] = {
    use AnchorCode::*;
    &[
        InstructionMissing,
        InstructionFallbackNotFound,
        InstructionDidNotDeserialize,
        InstructionDidNotSerialize,
        IdlInstructionStub,
        IdlInstructionInvalidProgram,
        IdlAccountNotEmpty,
        EventInstructionStub,
        ConstraintMut,
        ConstraintHasOne,
        ConstraintSigner,
        ConstraintRaw,
        ConstraintOwner,
        ConstraintRentExempt,
        ConstraintSeeds,
        ConstraintExecutable,
        ConstraintState,
        ConstraintAssociated,
        ConstraintAssociatedInit,
        ConstraintClose,
        ConstraintAddress,
        ConstraintZero,
        ConstraintTokenMint,
        ConstraintTokenOwner,
        ConstraintMintMintAuthority,
        ConstraintMintFreezeAuthority,
        ConstraintMintDecimals,
        ConstraintSpace,
        ConstraintAccountIsNone,
        ConstraintTokenTokenProgram,
        ConstraintMintTokenProgram,
        ConstraintAssociatedTokenTokenProgram,
        ConstraintMintGroupPointerExtension,
        ConstraintMintGroupPointerExtensionAuthority,
        ConstraintMintGroupPointerExtensionGroupAddress,
        ConstraintMintGroupMemberPointerExtension,
        ConstraintMintGroupMemberPointerExtensionAuthority,
        ConstraintMintGroupMemberPointerExtensionMemberAddress,
        ConstraintMintMetadataPointerExtension,
        ConstraintMintMetadataPointerExtensionAuthority,
        ConstraintMintMetadataPointerExtensionMetadataAddress,
        ConstraintMintCloseAuthorityExtension,
        ConstraintMintCloseAuthorityExtensionAuthority,
        ConstraintMintPermanentDelegateExtension,
        ConstraintMintPermanentDelegateExtensionDelegate,
        ConstraintMintTransferHookExtension,
        ConstraintMintTransferHookExtensionAuthority,
        ConstraintMintTransferHookExtensionProgramId,
        ConstraintDuplicateMutableAccount,
        AccountAlreadyMigrated,
        AccountNotMigrated,
        ConstraintMintPausableExtension,
        ConstraintMintPausableAuthority,
        RequireViolated,
        RequireEqViolated,
        RequireKeysEqViolated,
        RequireNeqViolated,
        RequireKeysNeqViolated,
        RequireGtViolated,
        RequireGteViolated,
        AccountDiscriminatorAlreadySet,
        AccountDiscriminatorNotFound,
        AccountDiscriminatorMismatch,
        AccountDidNotDeserialize,
        AccountDidNotSerialize,
        AccountNotEnoughKeys,
        AccountNotMutable,
        AccountOwnedByWrongProgram,
        InvalidProgramId,
        InvalidProgramExecutable,
        AccountNotSigner,
        AccountNotSystemOwned,
        AccountNotInitialized,
        AccountNotProgramData,
        AccountNotAssociatedTokenAccount,
        AccountSysvarMismatch,
        AccountReallocExceedsLimit,
        AccountDuplicateReallocs,
        DeclaredProgramIdMismatch,
        TryingToInitPayerAsProgramAccount,
        InvalidNumericConversion,
        Deprecated,
    ]
};

/// One of Anchor's framework errors (100..=5000), by Anchor's own name and message.
pub fn anchor_error(code: u32) -> Option<(String, String)> {
    ANCHOR_ERRORS.iter().find(|e| u32::from(**e) == code).map(|e| (e.name(), e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use compute_credits::error::CreditsError;

    fn ours(e: CreditsError) -> (String, String) {
        (e.name(), e.to_string())
    }

    #[test]
    fn our_errors_by_name_and_message() {
        for e in [
            CreditsError::NotAdmin,
            CreditsError::NotUpgradeAuthority,
            CreditsError::AlreadyInitialized,
            CreditsError::CreditAccountFrozen,
            CreditsError::NothingToPrune,
        ] {
            let code = e as u32 + 6000;
            assert_eq!(program_error(code), Some(ours(e)), "{code}");
            assert_eq!(custom_error(&compute_credits::ID, code), Some(ours(e)));
        }
        // every IDL entry is in our range, once
        let codes: Vec<u32> = idl_errors().iter().map(|(c, _, _)| *c).collect();
        assert!(codes.len() > 100 && codes.iter().all(|c| *c >= 6000));
        let mut unique = codes.clone();
        unique.dedup();
        assert_eq!(unique, codes);
        assert_eq!(program_error(5999), None);
    }

    #[test]
    fn anchor_framework_errors_by_name_and_message() {
        assert_eq!(ANCHOR_ERRORS.len(), 82);
        assert_eq!(
            anchor_error(2006),
            Some(("ConstraintSeeds".into(), "A seeds constraint was violated".into()))
        );
        assert_eq!(anchor_error(3012).unwrap().0, "AccountNotInitialized");
        assert_eq!(anchor_error(4100).unwrap().0, "DeclaredProgramIdMismatch");
        assert_eq!(anchor_error(100).unwrap().0, "InstructionMissing");
        assert_eq!(anchor_error(5000).unwrap().0, "Deprecated");
        assert_eq!(anchor_error(99), None);
        // our program's custom codes fall back on Anchor's below 6000
        assert_eq!(custom_error(&compute_credits::ID, 3012).unwrap().0, "AccountNotInitialized");
        // the list has every variant once and in code order
        let codes: Vec<u32> = ANCHOR_ERRORS.iter().map(|e| u32::from(*e)).collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "{codes:?}");
    }

    #[test]
    fn token_and_system_errors_by_name_and_message() {
        let (name, msg) = custom_error(&spl_token_2022_interface::ID, 1).unwrap();
        assert_eq!(name, "InsufficientFunds");
        assert_eq!(msg, "Insufficient funds");
        assert_eq!(custom_error(&spl_token_2022_interface::ID, 17).unwrap().0, "AccountFrozen");
        assert_eq!(custom_error(&spl_token_interface::ID, 17).unwrap().0, "AccountFrozen");
        let (name, msg) = custom_error(&solana_system_interface::program::ID, 0).unwrap();
        assert_eq!(name, "AccountAlreadyInUse");
        assert!(msg.contains("already exists"), "{msg}");
        assert_eq!(custom_error(&Pubkey::new_unique(), 1), None);
    }

    fn logs(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn an_error_of_ours_names_its_instruction_program_and_logs() {
        let code = CreditsError::NotUpgradeAuthority as u32 + 6000;
        let err = TransactionError::InstructionError(2, InstructionError::Custom(code));
        let budget = solana_compute_budget_interface::ID;
        let run = logs(&[
            "Program ComputeBudget111111111111111111111111111111 invoke [1]",
            "Program ComputeBudget111111111111111111111111111111 success",
            &format!("Program {} invoke [1]", compute_credits::ID),
            "Program log: AnchorError occurred. Error Code: NotUpgradeAuthority.",
            &format!("Program {} failed: custom program error: {code:#x}", compute_credits::ID),
        ]);
        let e = explain(&err, &[budget, budget, compute_credits::ID], &run);
        assert_eq!(e.instruction, Some(2));
        assert_eq!(e.program, Some(compute_credits::ID));
        assert_eq!(e.code, Some(code));
        assert_eq!((e.name.clone(), e.message.clone()), ours(CreditsError::NotUpgradeAuthority));
        let shown = e.to_string();
        assert!(shown.starts_with("instruction 2 (compute-credits "), "{shown}");
        assert!(shown.contains("NotUpgradeAuthority (error"), "{shown}");
        assert!(shown.contains(&CreditsError::NotUpgradeAuthority.to_string()), "{shown}");
        assert!(shown.contains("last program logs:\n  Program ComputeBudget"), "{shown}");
    }

    #[test]
    fn a_token_error_inside_our_instruction_is_the_token_programs() {
        let t22 = spl_token_2022_interface::ID;
        let err = TransactionError::InstructionError(0, InstructionError::Custom(17));
        let run = logs(&[
            &format!("Program {} invoke [1]", compute_credits::ID),
            &format!("Program {t22} invoke [2]"),
            "Program log: Error: Account is frozen",
            &format!("Program {t22} failed: custom program error: 0x11"),
            &format!("Program {} failed: custom program error: 0x11", compute_credits::ID),
        ]);
        let e = explain(&err, &[compute_credits::ID], &run);
        assert_eq!(e.program, Some(t22));
        assert_eq!(e.name, "AccountFrozen");
        assert_eq!(e.message, "Account is frozen");
        // without logs, the instruction's own program is the best guess
        let e = explain(&err, &[compute_credits::ID], &[]);
        assert_eq!(e.program, Some(compute_credits::ID));
        assert_eq!(e.name, "Custom", "17 is no error of ours: {e}");
        assert!(e.message.contains("0x11"));
    }

    #[test]
    fn instruction_and_transaction_errors_by_name() {
        let err = TransactionError::InstructionError(1, InstructionError::MissingRequiredSignature);
        let e = explain(&err, &[Pubkey::new_unique(), compute_credits::ID], &[]);
        assert_eq!(e.name, "MissingRequiredSignature");
        assert_eq!(e.code, None);
        assert!(e.to_string().contains("instruction 1 (compute-credits"), "{e}");
        let e = explain(&TransactionError::BlockhashNotFound, &[], &[]);
        assert_eq!(e.instruction, None);
        assert_eq!(e.name, "BlockhashNotFound");
        assert_eq!(e.to_string(), format!("BlockhashNotFound: {}", TransactionError::BlockhashNotFound));
        let e = explain(&TransactionError::InsufficientFundsForFee, &[], &[]);
        assert_eq!(e.name, "InsufficientFundsForFee");
        let e = explain(
            &TransactionError::InstructionError(0, InstructionError::Custom(1)),
            &[solana_system_interface::program::ID],
            &[],
        );
        assert_eq!(e.name, "ResultWithNegativeLamports");
    }

    #[test]
    fn long_logs_show_their_tail() {
        let many: Vec<String> = (0..40).map(|i| format!("Program log: line {i}")).collect();
        let e = explain(&TransactionError::AccountInUse, &[], &many);
        let shown = e.to_string();
        assert!(
            shown.contains("(28 earlier lines)") && shown.contains("line 39") && !shown.contains("line 27\n"),
            "{shown}"
        );
    }
}
