//! The keeper's log: one line per event, for people, or with `--output json` (or
//! `json-compact`) one JSON object per line: `ts` (unix seconds), `event`, then the event's
//! fields. Events: `start`, `sent` / `simulated` (a crank, with what it cost), `unchanged` (the
//! simulation says a planned crank would change nothing: not sent), `refused` (the simulation
//! failed: not sent), `blocked` (a crank is due but would be refused, e.g. a stale price),
//! `failed` (sent and failed), `misconfigured`, `rpc_error` (retried), `round`, `stopping`,
//! `summary`.
use std::time::{SystemTime, UNIX_EPOCH};

use credit_client::tx::Outcome;
use serde_json::{json, Map, Value};

use crate::commands::output::utc_rfc3339;
use crate::context::Output;

/// Where the lines go and what they added up to.
pub struct Log {
    json: bool,
    pub totals: Totals,
}

/// Counts over the keeper's life (the `summary` line).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub rounds: u64,
    pub failed_rounds: u64,
    pub sent: u64,
    pub simulated: u64,
    pub unchanged: u64,
    pub refused: u64,
    pub blocked: u64,
    pub failed: u64,
    /// Fees of the cranks that landed, lamports.
    pub fees: u64,
    pub units: u64,
}

impl Totals {
    pub fn json(&self) -> Value {
        json!({
            "rounds": self.rounds,
            "failedRounds": self.failed_rounds,
            "sent": self.sent,
            "simulated": self.simulated,
            "unchanged": self.unchanged,
            "refused": self.refused,
            "blocked": self.blocked,
            "failed": self.failed,
            "feesLamports": self.fees,
            "unitsConsumed": self.units,
        })
    }

    /// A round's own counts, for its `round` line.
    pub fn round_json(&self) -> Value {
        let mut v = self.json();
        if let Value::Object(m) = &mut v {
            m.remove("rounds");
            m.remove("failedRounds");
        }
        v
    }

    /// The cranks: sent (and what they cost), simulated, not sent and why.
    pub fn cranks_text(&self) -> String {
        format!(
            "{} cranks sent ({} lamports in fees, {} compute units), {} simulated, {} unchanged, \
             {} refused, {} blocked, {} failed",
            self.sent,
            self.fees,
            self.units,
            self.simulated,
            self.unchanged,
            self.refused,
            self.blocked,
            self.failed
        )
    }

    pub fn text(&self) -> String {
        format!("{} rounds ({} failed); {}", self.rounds, self.failed_rounds, self.cranks_text())
    }

    /// The difference since `before` (a round's own counts).
    pub fn since(&self, before: &Totals) -> Totals {
        Totals {
            rounds: self.rounds - before.rounds,
            failed_rounds: self.failed_rounds - before.failed_rounds,
            sent: self.sent - before.sent,
            simulated: self.simulated - before.simulated,
            unchanged: self.unchanged - before.unchanged,
            refused: self.refused - before.refused,
            blocked: self.blocked - before.blocked,
            failed: self.failed - before.failed,
            fees: self.fees - before.fees,
            units: self.units - before.units,
        }
    }
}

impl Log {
    pub fn new(output: Output) -> Log {
        Log { json: output != Output::Display, totals: Totals::default() }
    }

    /// One line: `event`, `text` for people, `fields` (a JSON object) for scripts.
    pub fn line(&self, event: &str, text: &str, fields: Value) {
        let ts = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        if self.json {
            let mut all = Map::new();
            all.insert("ts".into(), ts.into());
            all.insert("event".into(), event.into());
            if let Value::Object(fields) = fields {
                all.extend(fields);
            }
            println!("{}", Value::Object(all));
        } else {
            println!("{} {event:<13} {text}", utc_rfc3339(ts as i64));
        }
    }

    /// A crank that went through the pipeline: what it cost (signature, units, fee).
    pub fn crank_outcome(&mut self, action: &str, address: &str, note: &str, outcome: &Outcome) {
        let mut fields = json!({ "action": action, "address": address, "note": note });
        let extra = outcome.to_json();
        for key in ["signature", "slot", "budget", "unitsConsumed", "fee"] {
            if let Some(v) = extra.get(key) {
                fields[key] = v.clone();
            }
        }
        let opt = |v: Option<u64>| v.map_or("?".to_string(), |v| v.to_string());
        match outcome {
            Outcome::Landed(l) => {
                self.totals.sent += 1;
                self.totals.fees += l.fee.unwrap_or(0);
                self.totals.units += l.units_consumed.unwrap_or(0);
                let text = format!(
                    "{action} {address} ({note}): {}; {} units (limit {}), fee {} lamports",
                    l.signature,
                    opt(l.units_consumed),
                    opt(l.budget.compute_unit_limit.map(u64::from)),
                    opt(l.fee)
                );
                self.line("sent", &text, fields);
            }
            Outcome::Simulated(s) => {
                self.totals.simulated += 1;
                let text =
                    format!("{action} {address} ({note}): {} units, nothing sent", opt(s.units_consumed));
                self.line("simulated", &text, fields);
            }
            Outcome::SignedOnly(_) => unreachable!("the keeper refuses --sign-only"),
        }
    }
}
