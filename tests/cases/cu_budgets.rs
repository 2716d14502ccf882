//! Compute-unit budgets and transaction sizes, from the same cases `app bench-cu` measures.
use harness::bench::{budget, budgets, measure_all, DEFAULT_INSTRUCTION_CU, MAX_TX_BYTES};
use harness::{Mode, TestContext};

/// Market v2 cases not yet within 20% from 10 resting orders to a full book (the list may only
/// shrink: a case that became flat fails below until it is taken off). None: resting at full
/// capacity evicts the side's worst order (one more event, its lock released) and the requote
/// (10 named cancels and 10 places) does 20 binary searches of log2(capacity) + 1 steps; both
/// stay within 20% (figures in docs/compute-units.md). `cancel_all` (the instruction, or a
/// batch's flag) scans the book and is measured apart, without a flatness claim.
const V2_NOT_YET_FLAT: &[&str] = &[];

/// Measured market v2 cases over issue 11's goal (`V2_GOALS`) on the `.so`, by full name:
/// their budgets hold them where they are, and the list may only shrink (a case that meets its
/// goal fails here until it is taken off). None.
const V2_GOALS_NOT_YET_MET: &[&str] = &[];

#[tokio::test]
async fn every_instruction_stays_within_budget_and_fits_a_legacy_transaction() {
    let mut ctx = TestContext::start().await;
    let rows = measure_all(&mut ctx).await;
    assert!(rows.len() >= 15, "every instruction is measured");
    // every budget, the accrual worst cases included, fits one instruction's default compute
    for (name, limit) in budgets() {
        assert!(limit < DEFAULT_INSTRUCTION_CU, "{name}: budget {limit} does not fit the default limit");
    }
    for name in [
        "update_loan (36 installments missed, level payment)",
        "update_loan (36 installments missed, interest-only)",
        "update_loan (36 installments missed, straight-line)",
    ] {
        assert!(rows.iter().any(|m| m.instruction == name), "{name} is measured");
    }
    for m in &rows {
        assert!(m.tx_bytes <= MAX_TX_BYTES, "{} needs {} bytes", m.instruction, m.tx_bytes);
        let limit = budget(m.instruction).unwrap_or_else(|| panic!("no CU budget for {}", m.instruction));
        if ctx.mode == Mode::Sbf {
            // natively the program is a builtin and its own compute is not metered
            assert!(
                m.compute_units <= limit,
                "{} used {} CU, budget {}",
                m.instruction,
                m.compute_units,
                limit
            );
        }
    }
    if ctx.mode == Mode::Sbf {
        // the book's cost does not grow with its depth: every case from 10 resting orders to
        // full capacity (512), within 20% (a fixed tolerance is too tight for operations of
        // 1-2,000 CU)
        let cu = |name: &str| rows.iter().find(|m| m.instruction == name).map(|m| m.compute_units).unwrap();
        let v2: Vec<&str> = rows.iter().filter_map(|m| m.instruction.strip_suffix(", 10 resting)")).collect();
        assert!(v2.len() >= 9, "the v2 cases are measured at both depths: {v2:?}");
        for op in v2 {
            let (shallow, deep) =
                (cu(&format!("{op}, 10 resting)")), cu(&format!("{op}, 512 resting, full)")));
            let flat = deep <= shallow + shallow / 5;
            // Market v2 is being wired in (issue "Market v2", open): these two do not meet the
            // goal yet and are tabled as such in README "Compute units". They must not get
            // worse (their budgets hold them), and the list may only shrink: a case that became
            // flat fails here until it is taken off.
            if V2_NOT_YET_FLAT.contains(&op) {
                assert!(!flat, "{op} is flat now ({deep} vs {shallow}): take it off V2_NOT_YET_FLAT");
            } else {
                assert!(flat, "{op}: {deep} CU at full capacity vs {shallow} with 10");
            }
        }
        // market v2: issue 11's goals (`V2_GOALS`), at 10 resting orders and at full capacity
        let goals: Vec<_> = rows.iter().filter_map(|m| Some((m, m.v2_goal()?))).collect();
        assert!(goals.len() >= 18, "the v2 goals are measured at both depths");
        for (m, goal) in goals {
            let met = m.compute_units <= goal;
            if V2_GOALS_NOT_YET_MET.contains(&m.instruction) {
                assert!(!met, "{} meets its goal now: take it off V2_GOALS_NOT_YET_MET", m.instruction);
            } else {
                assert!(met, "{} used {} CU, issue 11's goal {goal}", m.instruction, m.compute_units);
            }
        }
        // every measured case, the accrual worst cases included, fits the default compute
        for m in &rows {
            assert!(
                m.compute_units < DEFAULT_INSTRUCTION_CU,
                "{} used {} CU",
                m.instruction,
                m.compute_units
            );
        }
    }
}
