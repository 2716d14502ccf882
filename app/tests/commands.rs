//! The README's commands, run as a user runs them (the built binary), natively: the demo
//! completes, and the example market script trades on market v2 with the figures it prints.
use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_app"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("the app runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "app {args:?} failed:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
    text
}

#[test]
fn demo_runs_to_the_end() {
    let out = run(&["demo"]);
    for line in [
        "the lab received 400.000000 GPU-hours and paid $998.99",
        "post-only @ $2.49: WouldCross (6093)",
        "reseller: +$746.25",
        "withdrawing its GPU-hours while frozen: SeatFrozen (6129)",
        "treasury +$3.98",
        "Demo complete.",
    ] {
        assert!(out.contains(line), "the demo's report lacks {line:?}:\n{out}");
    }
}

#[test]
fn market_script_trades_from_balances() {
    let out = run(&["market-sim", "--script", "app/examples/market.txt"]);
    for line in [
        "> swap carol buy 1000 2.50 400\nok: GPU-hours +400, dollars -$998.99",
        "> place carol bid post-only 2.49 10\nrefused: WouldCross (6093)",
        "> place carol bid fok 2.60 1000\nrefused: CannotFillCompletely (6094)",
        "> swap bob sell 40 2.40 98\nok: GPU-hours -40, dollars +$98.50",
        "> withdraw bob quote 100000\nrefused: InsufficientBalance (6125)",
        "             $2.47 x 60     #7    carol",
        "treasury fees in the market: $4.88",
    ] {
        assert!(out.contains(line), "the market script's report lacks {line:?}:\n{out}");
    }
}
