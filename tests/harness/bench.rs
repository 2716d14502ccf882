//! Compute-unit measurements: one representative case per instruction, each read from the
//! transaction metadata. The CLI's `bench-cu` writes them to `docs/compute-units.md`; the
//! suite's `cu_budgets` test holds every instruction under its budget on the `.so`.
use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::Signer;

use crate::builders::*;
use crate::context::{TestContext, TxResult};
use crate::fixtures::*;

/// The legacy transaction size limit (no lookup tables).
pub const MAX_TX_BYTES: usize = 1_232;

/// Compute-unit budget per instruction on the `.so`: the measured figure in
/// `docs/compute-units.md` plus 10%, rounded up to 500 (`budget_for`). Both files are written
/// by `cargo run -p app -- bench-cu`; a change that costs more fails `cu_budgets`, and a
/// deliberate increase regenerates them together.
pub const CU_BUDGETS: &str = include_str!("cu_budgets.tsv");

/// The budget `bench-cu` records for a measurement of `cu`.
pub fn budget_for(cu: u64) -> u64 {
    (cu + cu / 10).div_ceil(500) * 500
}

/// What one instruction may use without a compute-budget instruction: every loan instruction,
/// in its worst case (a whole term of missed installments accrued at once), must fit it, or a
/// defaulted loan could not be cranked, frozen or liquidated.
pub const DEFAULT_INSTRUCTION_CU: u64 = 200_000;

/// Every (instruction, budget) of `cu_budgets.tsv`.
pub fn budgets() -> impl Iterator<Item = (&'static str, u64)> {
    CU_BUDGETS.lines().filter_map(|l| l.split_once('\t')).filter_map(|(n, b)| Some((n, b.parse().ok()?)))
}

pub fn budget(instruction: &str) -> Option<u64> {
    CU_BUDGETS
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .find(|(n, _)| *n == instruction)
        .and_then(|(_, b)| b.parse().ok())
}

/// The budget file for `rows` (instruction TAB budget, one a line). A row that meets one of
/// issue 11's goals (`Measurement::v2_goal`) is budgeted at most its goal, so CI holds it there;
/// one that does not yet is budgeted as any other (it must not get worse).
pub fn budgets_tsv(rows: &[Measurement]) -> String {
    rows.iter()
        .map(|m| {
            let budget = budget_for(m.compute_units);
            let budget = match m.v2_goal() {
                Some(goal) if m.compute_units <= goal => budget.min(goal),
                _ => budget,
            };
            format!("{}\t{}\n", m.instruction, budget)
        })
        .collect()
}

/// What one instruction cost.
#[derive(Clone, Debug)]
pub struct Measurement {
    pub instruction: &'static str,
    /// Compute units of the whole transaction (one instruction, no compute-budget ix).
    pub compute_units: u64,
    /// Direct CPIs the instruction made (`invoke [2]` in the logs).
    pub cpis: usize,
    /// Compute units the token programs consumed in those CPIs.
    pub token_cpi_units: u64,
    pub accounts: usize,
    pub tx_bytes: usize,
}

/// Market v2's compute goals (issue 11, "Compute units"), by the start of a row's name:
/// a fixed figure, or `None` for "1.5x the token CPIs' compute plus 4,000" (deposit and
/// withdraw). Each holds at 10 resting orders and at full capacity; `swap` keeps the general
/// target (1.5x the token CPIs plus 5,000).
pub const V2_GOALS: &[(&str, Option<u64>)] = &[
    ("place_order_v2 (rests from balance", Some(2_500)),
    ("cancel_order_v2 (own order", Some(1_200)),
    ("batch_orders (cancel its 10 + place 10", Some(12_000)),
    ("place_order_v2 (takes 1 fill from balance", Some(4_000)),
    ("place_order_v2 (takes 5 fills from balance", Some(8_000)),
    ("deposit (", None),
    ("withdraw (", None),
];

impl Measurement {
    /// The row's goal: issue 11's for the market v2 rows it names (`V2_GOALS`), otherwise the
    /// guide's target of at most 1.5x the token CPIs' compute plus 5,000.
    pub fn target(&self) -> u64 {
        match self.v2_goal() {
            Some(goal) => goal,
            None => self.token_cpi_units * 3 / 2 + 5_000,
        }
    }

    /// Issue 11's goal for this row, if it states one (`V2_GOALS`, and `swap`'s 1.5x the
    /// token CPIs plus 5,000).
    pub fn v2_goal(&self) -> Option<u64> {
        if self.instruction.starts_with("swap (") {
            return Some(self.token_cpi_units * 3 / 2 + 5_000);
        }
        V2_GOALS
            .iter()
            .find(|(prefix, _)| self.instruction.starts_with(prefix))
            .map(|(_, goal)| goal.unwrap_or(self.token_cpi_units * 3 / 2 + 4_000))
    }
}

pub(crate) fn measure(instruction: &'static str, r: &TxResult) -> Measurement {
    assert!(r.result.is_ok(), "{instruction} failed: {:?}\n{:#?}", r.result, r.logs);
    let token_programs = [crate::token::SPL_TOKEN.to_string(), crate::token::TOKEN_2022.to_string()];
    let mut depth = 0usize;
    let (mut cpis, mut token_cpi_units) = (0, 0);
    let mut stack: Vec<String> = vec![];
    for line in &r.logs {
        let Some(rest) = line.strip_prefix("Program ") else { continue };
        let mut words = rest.split_whitespace();
        let (Some(program), Some(verb)) = (words.next(), words.next()) else { continue };
        match verb {
            "invoke" => {
                depth += 1;
                stack.push(program.to_string());
                if depth == 2 {
                    cpis += 1;
                }
            }
            "consumed" if depth == 2 && token_programs.iter().any(|t| t == program) => {
                token_cpi_units += words.next().and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
            }
            "success" | "failed:" => {
                stack.pop();
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    Measurement {
        instruction,
        compute_units: r.compute_units,
        cpis,
        token_cpi_units,
        accounts: r.account_count,
        tx_bytes: r.tx_bytes,
    }
}

/// Runs each instruction's representative case once and returns what it cost.
pub async fn measure_all(ctx: &mut TestContext) -> Vec<Measurement> {
    let mut out = vec![];
    let f = PlatformFixture::keys(ctx, TokenKind::Spl).await;
    let (admin, guardian, treasury) = (f.admin.pubkey(), f.guardian.pubkey(), f.treasury.pubkey());

    let r = ctx.send(&[initialize_platform(&admin, &guardian, &treasury, default_fees())], &[&f.admin]).await;
    out.push(measure("initialize_platform", &r));
    let r = ctx.send(&[update_platform(&admin, &guardian, &treasury, default_fees())], &[&f.admin]).await;
    out.push(measure("update_platform", &r));
    // a key outside the keypair sequence, so no later key (and bump search) moves
    let underwriter = underwriter_keypair().pubkey();
    let r = ctx.send(&[set_underwriter(&admin, &underwriter)], &[&f.admin]).await;
    out.push(measure("set_underwriter", &r));
    let next = ctx.funded_keypair(SOL).await;
    let r = ctx.send(&[propose_admin(&admin, &next.pubkey())], &[&f.admin]).await;
    out.push(measure("propose_admin", &r));
    let r = ctx.send(&[accept_admin(&next.pubkey())], &[&next]).await;
    out.push(measure("accept_admin", &r));
    // hand the platform back so the fixture's admin keeps working
    ctx.send(&[propose_admin(&next.pubkey(), &admin)], &[&next]).await.unwrap();
    ctx.send(&[accept_admin(&admin)], &[&f.admin]).await.unwrap();

    let r = ctx.send(&[f.create_class_ix(0, TokenKind::Token2022, LIST_PRICE)], &[&f.admin]).await;
    out.push(measure("create_credit_class (Token-2022)", &r));
    let r = ctx.send(&[f.create_class_ix(1, TokenKind::Spl, LIST_PRICE)], &[&f.admin]).await;
    out.push(measure("create_credit_class (SPL Token)", &r));
    let c = f.class_fixture(0, TokenKind::Token2022, LIST_PRICE);
    let classic = f.class_fixture(1, TokenKind::Spl, LIST_PRICE);

    let buyer = f.user(ctx, &c, 1_000_000_000).await;
    let r = f.buy(ctx, &c, &buyer, 10_000_000).await;
    out.push(measure("purchase_credits (Token-2022)", &r));
    let classic_buyer = f.user(ctx, &classic, 1_000_000_000).await;
    let r = f.buy(ctx, &classic, &classic_buyer, 10_000_000).await;
    out.push(measure("purchase_credits (SPL Token)", &r));

    let provider = ctx.funded_keypair(SOL).await;
    let r = ctx.send(&[register_provider(&admin, &c.class, &provider.pubkey())], &[&f.admin]).await;
    out.push(measure("register_provider", &r));
    let ix = redeem_credits(&f.redeem(&c, &buyer, &provider.pubkey()), 1_000_000, [1; 32]);
    let r = ctx.send(&[ix], &[&buyer.key, &provider]).await;
    out.push(measure("redeem_credits", &r));

    let r = ctx
        .send(
            &[freeze_credits(&guardian, &c.class, &c.mint, (&buyer.pubkey(), &buyer.credits), &c.program, 1)],
            &[&f.guardian],
        )
        .await;
    out.push(measure("freeze_credits", &r));
    let r = ctx
        .send(
            &[thaw_credits(&guardian, &c.class, &c.mint, (&buyer.pubkey(), &buyer.credits), &c.program, 1)],
            &[&f.guardian],
        )
        .await;
    out.push(measure("thaw_credits", &r));
    let r = ctx.send(&[pause_class(&guardian, &c.class, &c.mint, &c.program)], &[&f.guardian]).await;
    out.push(measure("pause_class", &r));
    let r = ctx.send(&[resume_class(&admin, &c.class, &c.mint, &c.program)], &[&f.admin]).await;
    out.push(measure("resume_class", &r));
    let r = ctx.send(&[remove_provider(&admin, &c.class, &provider.pubkey())], &[&f.admin]).await;
    out.push(measure("remove_provider", &r));
    let _: Pubkey = classic_buyer.pubkey();

    // oracle: a native feed with three publishers, then a Pyth feed on the classic class
    use crate::oracle::{native_config, pyth_config, PythUpdate};
    use compute_credits::FeedKind;
    let feed = price_feed_pda(&c.class);
    let r = ctx
        .send(&[create_price_feed(&admin, &c.class, FeedKind::Native, native_config(2))], &[&f.admin])
        .await;
    out.push(measure("create_price_feed", &r));
    let mut publishers = vec![];
    for i in 0..3 {
        let p = ctx.funded_keypair(SOL).await;
        let r = ctx.send(&[add_publisher(&admin, &feed, &p.pubkey())], &[&f.admin]).await;
        if i == 2 {
            out.push(measure("add_publisher", &r));
        }
        publishers.push(p);
    }
    let r = ctx
        .send(&[configure_price_feed(&admin, &feed, FeedKind::Native, native_config(2))], &[&f.admin])
        .await;
    out.push(measure("configure_price_feed", &r));
    for (i, p) in publishers.iter().enumerate() {
        let r = ctx.send(&[submit_price(&p.pubkey(), &feed, 250_000_000 + i as i64, 1_000_000)], &[p]).await;
        if i == 2 {
            out.push(measure("submit_price (3 publishers, median)", &r));
        }
    }
    let r = ctx.send(&[set_class_price_feed(&admin, &c.class, &feed, true)], &[&f.admin]).await;
    out.push(measure("set_class_price_feed", &r));
    let mut p = f.purchase(&c, &buyer);
    p.price_feed = Some(feed);
    let r = ctx.send(&[purchase_credits(&p, 1_000_000, u64::MAX)], &[&buyer.key]).await;
    out.push(measure("purchase_credits (oracle price)", &r));
    let r = ctx.send(&[remove_publisher(&admin, &feed, &publishers[2].pubkey())], &[&f.admin]).await;
    out.push(measure("remove_publisher", &r));
    // a +50% jump trips the breaker; the admin accepts it
    let r = ctx
        .send(&[submit_price(&publishers[0].pubkey(), &feed, 400_000_000, 1_000_000)], &[&publishers[0]])
        .await;
    assert!(r.is_ok());
    let r = ctx
        .send(&[submit_price(&publishers[1].pubkey(), &feed, 400_000_000, 1_000_000)], &[&publishers[1]])
        .await;
    assert!(r.is_ok());
    let r = ctx.send(&[resolve_circuit_breaker(&admin, &feed, true)], &[&f.admin]).await;
    out.push(measure("resolve_circuit_breaker", &r));

    let pyth_feed = price_feed_pda(&classic.class);
    let r = ctx
        .send(&[create_price_feed(&admin, &classic.class, FeedKind::Pyth, pyth_config())], &[&f.admin])
        .await;
    assert!(r.is_ok(), "{:?}", r.result);
    let update = Pubkey::new_from_array([0x7e; 32]);
    let now = ctx.now().await;
    ctx.set_account(update, PythUpdate::new(250_000_000, 500_000, now).account());
    let r = ctx.send(&[refresh_pyth_price(&pyth_feed, &update)], &[]).await;
    out.push(measure("refresh_pyth_price", &r));
    out.extend(crate::bench_loans::measure_loans(ctx.mode).await);
    out.extend(crate::bench_market_v2::measure_market_v2(ctx.mode).await);
    out.extend(crate::bench_channel::measure_channels(ctx.mode).await);
    out
}

/// The markdown table committed as `docs/compute-units.md`.
pub fn markdown_table(rows: &[Measurement]) -> String {
    let mut s = String::from(
        "| instruction | CU | CPIs | token CPI CU | target | accounts | tx bytes |\n\
         |---|---:|---:|---:|---:|---:|---:|\n",
    );
    for m in rows {
        let verdict = if m.compute_units <= m.target() { "" } else { " (over)" };
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {}{} | {} | {} |\n",
            m.instruction,
            m.compute_units,
            m.cpis,
            m.token_cpi_units,
            m.target(),
            verdict,
            m.accounts,
            m.tx_bytes
        ));
    }
    s
}
