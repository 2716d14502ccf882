use std::path::PathBuf;

use clap::Args;
use harness::{bench, Mode, TestContext};

use super::CliResult;

#[derive(Args)]
pub struct BenchArgs {
    /// Where to write the markdown table.
    #[arg(long, default_value = "docs/compute-units.md")]
    pub out: PathBuf,
    /// Where to write the budgets `cu_budgets` holds the `.so` to (measurement + 10%).
    #[arg(long, default_value = "tests/harness/cu_budgets.tsv")]
    pub budgets: PathBuf,
    /// Print the table without writing the file.
    #[arg(long)]
    pub dry_run: bool,
}

const HEADER: &str = "# Compute units

Measured by `cargo run -p app -- bench-cu` on the SBF `.so` built with the SBF kit
(`../shared/sbf/build-so programs/compute-credits target/deploy`), from each transaction's
`compute_units_consumed`. One instruction per transaction, no compute-budget instruction.
The kit's compiler route differs from Solana's platform-tools, so these figures are close to,
not equal to, what `anchor build` produces: use them for regressions and budgets.
`tests/cases/cu_budgets.rs` fails CI when an instruction exceeds its budget.

- **CPIs**: direct cross-program invocations the instruction makes.
- **token CPI CU**: compute consumed inside SPL Token / Token-2022 by those CPIs.
- **target**: the project's goal of at most 1.5x the token CPIs' compute plus 5,000; for the
  market v2 rows, issue 11's goals (`V2_GOALS` in `tests/harness/bench.rs`): place a resting
  order from balance 2,500, cancel one order 1,200, batch (cancel its 10 + place 10) 12,000,
  take 1 / 5 fills from balance 4,000 / 8,000, swap 1.5x the token CPIs + 5,000, deposit and
  withdraw 1.5x the token CPI + 4,000. A v2 row's budget is at most its goal.

";

pub async fn run(args: BenchArgs) -> CliResult {
    let mut ctx = TestContext::start_in(Mode::Sbf).await;
    let rows = bench::measure_all(&mut ctx).await;
    let table = format!("{HEADER}{}", bench::markdown_table(&rows));
    print!("{table}");
    if !args.dry_run {
        for (path, text) in [(&args.out, table), (&args.budgets, bench::budgets_tsv(&rows))] {
            std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(())
}
