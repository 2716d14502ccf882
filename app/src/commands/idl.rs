use std::path::PathBuf;

use clap::Args;

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
    let idl = anchor_lang_idl::build::IdlBuilder::new()
        .program_path(program)
        .resolution(true)
        .build()
        .map_err(|e| format!("building the IDL: {e}"))?;
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
