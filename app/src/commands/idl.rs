use std::path::PathBuf;

use anchor_lang_idl::types::{
    Idl, IdlInstruction, IdlInstructionAccount, IdlInstructionAccountItem, IdlPda, IdlSeed, IdlSeedAccount,
    IdlSeedArg, IdlSeedConst,
};
use clap::Args;
use compute_credits::pda::client_resolution::{Entry, Resolution, Seed};

use super::CliResult;

#[derive(Args)]
pub struct IdlArgs {
    /// Fail if the committed IDL differs from the one the code generates.
    #[arg(long)]
    pub check: bool,
    /// The committed IDL.
    #[arg(long, default_value = "idl/compute_credits.json")]
    pub path: PathBuf,
}

/// Builds the IDL the way `anchor idl build` does (the program's `idl-build` feature prints it
/// from a test), in its own target directory so it never blocks or invalidates the main build.
pub fn run(args: IdlArgs) -> CliResult {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let program = root.join("programs/compute-credits");
    std::env::set_var("CARGO_TARGET_DIR", root.join("target/idl"));
    // anchor-lang-idl turns RUSTUP_TOOLCHAIN (set by rustup's cargo proxy) into a toolchain
    // install attempt; the nested cargo must simply use the toolchain that runs us.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    let mut idl = anchor_lang_idl::build::IdlBuilder::new()
        .program_path(program)
        .resolution(true)
        .build()
        .map_err(|e| format!("building the IDL: {e}"))?;
    add_client_resolution(&mut idl, compute_credits::pda::client_resolution::ENTRIES)?;
    let json = serde_json::to_string_pretty(&idl).map_err(|e| e.to_string())? + "\n";
    let path = root.join(&args.path);
    if args.check {
        let committed =
            std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        if committed != json {
            return Err(format!(
                "{} is out of date: run `cargo run -p app -- idl` and commit the result",
                args.path.display()
            ));
        }
        eprintln!("{} is up to date", args.path.display());
    } else {
        std::fs::write(&path, json).map_err(|e| format!("writing {}: {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// Adds the program's table of seeds and relations that Anchor's constraints do not state
/// (`compute_credits::pda::client_resolution`) to the IDL. Refuses an entry naming an unknown
/// instruction, account, argument or account type, and one for an account Anchor already
/// resolves (the entry is stale: drop it).
pub fn add_client_resolution(idl: &mut Idl, entries: &[Entry]) -> CliResult {
    let types: Vec<String> = idl.types.iter().map(|t| t.name.clone()).collect();
    for entry in entries {
        for &ix_name in entry.instructions {
            let ix = idl
                .instructions
                .iter_mut()
                .find(|ix| ix.name == ix_name)
                .ok_or_else(|| format!("client_resolution: no instruction {ix_name}"))?;
            let names = account_names(ix);
            let args: Vec<String> = ix.args.iter().map(|a| a.name.clone()).collect();
            let where_ = format!("client_resolution: {ix_name}.{}", entry.account);
            let account =
                single_account(ix, entry.account).ok_or_else(|| format!("{where_}: no such account"))?;
            if account.address.is_some() || account.pda.is_some() || !account.relations.is_empty() {
                return Err(format!("{where_}: Anchor already resolves it; remove the entry"));
            }
            let known = |name: &str| names.iter().any(|n| n == name);
            match entry.resolution {
                Resolution::Relation(on) => {
                    if !known(on) {
                        return Err(format!("{where_}: relation on unknown account {on}"));
                    }
                    account.relations = vec![on.to_string()];
                }
                Resolution::Pda(seeds) => {
                    let seeds = seeds
                        .iter()
                        .map(|seed| match *seed {
                            Seed::Const(value) => Ok(IdlSeed::Const(IdlSeedConst { value: value.to_vec() })),
                            Seed::Account(name) if known(name) => {
                                Ok(IdlSeed::Account(IdlSeedAccount { path: name.into(), account: None }))
                            }
                            Seed::Field { path, ty } => {
                                let (name, field) = path.split_once('.').unwrap_or((path, ""));
                                let ty_known = ty == "TokenAccount" || types.iter().any(|t| t == ty);
                                if !known(name) || field.is_empty() || !ty_known {
                                    return Err(format!("{where_}: bad seed {path} ({ty})"));
                                }
                                Ok(IdlSeed::Account(IdlSeedAccount {
                                    path: path.into(),
                                    account: Some(ty.into()),
                                }))
                            }
                            Seed::Arg(path)
                                if args.iter().any(|a| Some(a.as_str()) == path.split('.').next()) =>
                            {
                                Ok(IdlSeed::Arg(IdlSeedArg { path: path.into() }))
                            }
                            other => Err(format!("{where_}: unknown seed {other:?}")),
                        })
                        .collect::<Result<Vec<_>, String>>()?;
                    account.pda = Some(IdlPda { seeds, program: None });
                }
            }
        }
    }
    Ok(())
}

fn account_names(ix: &IdlInstruction) -> Vec<String> {
    ix.accounts
        .iter()
        .filter_map(|a| match a {
            IdlInstructionAccountItem::Single(a) => Some(a.name.clone()),
            IdlInstructionAccountItem::Composite(_) => None,
        })
        .collect()
}

fn single_account<'a>(ix: &'a mut IdlInstruction, name: &str) -> Option<&'a mut IdlInstructionAccount> {
    ix.accounts.iter_mut().find_map(|a| match a {
        IdlInstructionAccountItem::Single(a) if a.name == name => Some(a),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use compute_credits::pda::client_resolution::ENTRIES;

    /// The committed IDL, stripped of what the table added, takes the table again (so every
    /// entry names a real instruction, account, argument and type), and a stale entry (for an
    /// account Anchor already resolves) is refused.
    #[test]
    fn the_table_applies_to_the_idl_and_refuses_stale_entries() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../idl/compute_credits.json");
        let committed: Idl = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut stripped = committed.clone();
        for entry in ENTRIES {
            for ix in entry.instructions {
                let ix = stripped.instructions.iter_mut().find(|i| i.name == *ix).unwrap();
                let account = single_account(ix, entry.account).unwrap();
                account.pda = None;
                account.relations.clear();
            }
        }
        add_client_resolution(&mut stripped, ENTRIES).unwrap();
        assert_eq!(stripped, committed, "run `cargo run -p app -- idl`");
        // applying it twice: every account is already resolved
        let err = add_client_resolution(&mut stripped, ENTRIES).unwrap_err();
        assert!(err.contains("already resolves"), "{err}");
        let unknown = [Entry {
            account: "price_feed",
            instructions: &["no_such_instruction"],
            resolution: Resolution::Relation("class"),
        }];
        assert!(add_client_resolution(&mut committed.clone(), &unknown).is_err());
    }
}
