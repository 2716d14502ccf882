//! `loan show` (terms, schedule, status stored and now, coverage, vault, holds) and
//! `loan list`.
use anchor_lang::prelude::Pubkey;
use clap::Args;
use credit_client::read::{self, InstallmentState, LoanReport};
use credit_math::ledger::LoanStatus;
use serde_json::{json, Value};

use super::LoanRef;
use crate::commands::output::{percent, short, units, utc};
use crate::commands::CliResult;
use crate::context::Context;

fn kind_name(kind: u8) -> &'static str {
    if kind == 1 {
        "credit-backed"
    } else {
        "financing"
    }
}

fn schedule_name(s: u8) -> &'static str {
    match s {
        0 => "level",
        1 => "interest-only",
        _ => "straight-line",
    }
}

fn state_name(s: InstallmentState) -> &'static str {
    match s {
        InstallmentState::Paid => "paid",
        InstallmentState::Due => "due",
        InstallmentState::Upcoming => "upcoming",
    }
}

fn status(s: Option<LoanStatus>) -> Value {
    s.map_or(Value::Null, |s| json!(format!("{s:?}")))
}

fn report_json(r: &LoanReport) -> Value {
    let (l, g) = (&r.loan, &r.ledger_now);
    let now = g;
    let (qd, cd) = (r.class.quote_decimals, r.class.decimals);
    let q = |atoms: u64| json!({ "atoms": atoms, "amount": units(atoms, qd) });
    let c = |atoms: u64| json!({ "atoms": atoms, "amount": units(atoms, cd) });
    let held: Vec<String> = l.held_accounts().iter().map(|k| k.to_string()).collect();
    json!({
        "loan": r.address.to_string(),
        "loanId": l.loan_id,
        "lender": l.lender.to_string(),
        "borrower": l.borrower.to_string(),
        "class": l.class.to_string(),
        "kind": kind_name(l.kind),
        "scheduleKind": schedule_name(g.schedule),
        "principal": q(g.principal),
        "aprBps": g.apr_bps,
        "periods": g.periods,
        "periodSecs": g.period_secs,
        "startTs": g.start_ts,
        "multiplierBps": l.multiplier_bps,
        "initialBps": l.initial_bps,
        "maintenanceBps": g.maintenance_bps,
        "liquidationBps": g.liquidation_bps,
        "status": format!("{:?}", r.status),
        "statusNow": status(r.status_now),
        "crankRefusal": r.crank_refusal,
        "crankWouldChangeStatus": r.crank_would_change_status(),
        "now": r.now,
        "debtNow": q(now.debt().unwrap_or(0)),
        "principalOutstanding": q(now.principal_outstanding),
        "principalDue": q(now.principal_due),
        "interestDue": q(now.interest_due),
        "feesDue": q(now.fees_due),
        "paid": { "principal": q(now.principal_paid), "interest": q(now.interest_paid), "fees": q(now.fees_paid) },
        "vaultCredits": c(r.vault_credits),
        "saleCredits": c(l.sale_credits),
        "collateralValue": r.collateral_value.map(q),
        "coverageBps": r.coverage_bps,
        "frozen": l.frozen == 1,
        "held": held,
        "schedule": r.schedule.iter().map(|row| json!({
            "k": row.k, "dueTs": row.due_ts, "principal": q(row.principal),
            "interest": q(row.interest), "state": state_name(row.state),
        })).collect::<Vec<_>>(),
    })
}

fn report_text(r: &LoanReport) -> String {
    let (l, g) = (&r.loan, &r.ledger_now);
    let (qd, cd) = (r.class.quote_decimals, r.class.decimals);
    let q = |atoms: u64| units(atoms, qd);
    let mut s = format!("Loan {} (id {}), {}\n", r.address, l.loan_id, kind_name(l.kind));
    s += &format!("  lender    {}\n  borrower  {}\n  class     {}\n", l.lender, l.borrower, l.class);
    s += &format!(
        "  terms     principal {} at {} APR, {} {} installments every {}s; multiplier {}x\n",
        q(g.principal),
        percent(u64::from(g.apr_bps)),
        g.periods,
        schedule_name(g.schedule),
        g.period_secs,
        units(u64::from(l.multiplier_bps), 4),
    );
    s += &format!(
        "  coverage  initial {}, maintenance {}, liquidation {}\n",
        percent(u64::from(l.initial_bps)),
        percent(u64::from(g.maintenance_bps)),
        percent(u64::from(g.liquidation_bps)),
    );
    let now = match (r.status_now, &r.crank_refusal) {
        (Some(n), _) => format!("{n:?}"),
        (None, Some(why)) => format!("a crank is refused now ({why})"),
        (None, None) => "-".into(),
    };
    s += &format!("  status    {:?} (stored); {now} (a crank now, {})\n", r.status, utc(r.now));
    s += &format!(
        "  owed now  {} (principal outstanding {}, due: principal {}, interest {}, fees {})\n",
        q(g.debt().unwrap_or(0)),
        q(g.principal_outstanding),
        q(g.principal_due),
        q(g.interest_due),
        q(g.fees_due),
    );
    s += &format!(
        "  paid      principal {}, interest {}, fees {}\n",
        q(g.principal_paid),
        q(g.interest_paid),
        q(g.fees_paid)
    );
    let value = r.collateral_value.map_or("unpriced".into(), q);
    let ratio = r.coverage_bps.map_or("-".into(), percent);
    s += &format!(
        "  vault     {} credits (+{} in a market sale), worth {value}: coverage {ratio} vs maintenance {} / liquidation {}\n",
        units(r.vault_credits, cd),
        units(l.sale_credits, cd),
        percent(u64::from(g.maintenance_bps)),
        percent(u64::from(g.liquidation_bps)),
    );
    let held: Vec<String> = l.held_accounts().iter().map(|k| k.to_string()).collect();
    s += &format!("  holds     {}\n", if held.is_empty() { "none".into() } else { held.join(", ") });
    s += "  schedule   #  due (UTC)              principal        interest  state\n";
    for row in &r.schedule {
        s += &format!(
            "           {:>2}  {}  {:>14}  {:>14}  {}\n",
            row.k,
            utc(row.due_ts),
            q(row.principal),
            q(row.interest),
            state_name(row.state)
        );
    }
    s.trim_end().to_string()
}

pub fn show(ctx: &Context, a: LoanRef) -> CliResult {
    let r = read::loan_report(&ctx.rpc, &a.loan).map_err(|e| e.to_string())?;
    ctx.print(&report_text(&r), &report_json(&r));
    Ok(())
}

#[derive(Args)]
pub struct ListArgs {
    /// Only loans of this lender.
    #[arg(long)]
    pub lender: Option<Pubkey>,
    /// Only loans of this borrower.
    #[arg(long)]
    pub borrower: Option<Pubkey>,
}

pub fn list(ctx: &Context, a: ListArgs) -> CliResult {
    let mut loans =
        read::loans(&ctx.rpc, a.lender.as_ref(), a.borrower.as_ref()).map_err(|e| e.to_string())?;
    loans.sort_by_key(|(k, l)| (l.lender, l.loan_id, *k));
    let mut text = format!(
        "{:<44}  {:>4}  {:<13}  {:<13}  {:<11}  {:>16}  lender / borrower",
        "loan", "id", "kind", "status", "frozen", "principal"
    );
    let mut rows = vec![];
    for (key, l) in &loans {
        let g = l.ledger();
        let principal = units(g.principal, l.quote_decimals);
        text += &format!(
            "\n{:<44}  {:>4}  {:<13}  {:<13}  {:<11}  {:>16}  {} / {}",
            key.to_string(),
            l.loan_id,
            kind_name(l.kind),
            format!("{:?}", l.status()),
            if l.frozen == 1 { "frozen" } else { "-" },
            principal,
            short(&l.lender),
            short(&l.borrower),
        );
        rows.push(json!({
            "loan": key.to_string(), "loanId": l.loan_id, "lender": l.lender.to_string(),
            "borrower": l.borrower.to_string(), "class": l.class.to_string(), "kind": kind_name(l.kind),
            "status": format!("{:?}", l.status()), "frozen": l.frozen == 1,
            "principal": { "atoms": g.principal, "amount": principal },
        }));
    }
    if loans.is_empty() {
        text = "no loans".into();
    }
    ctx.print(&text, &json!({ "loans": rows }));
    Ok(())
}
