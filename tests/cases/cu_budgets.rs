//! Compute-unit budgets and transaction sizes, from the same cases `app bench-cu` measures.
use harness::bench::{budget, measure_all, MAX_TX_BYTES};
use harness::{Mode, TestContext};

#[tokio::test]
async fn every_instruction_stays_within_budget_and_fits_a_legacy_transaction() {
    let mut ctx = TestContext::start().await;
    let rows = measure_all(&mut ctx).await;
    assert!(rows.len() >= 15, "every instruction is measured");
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
}
