//! `lending`: the platform's lending terms and underwriting table (`["lending"]`). `configure`
//! (admin) takes a JSON file (`lending show --output json` prints one) and/or flags, over the
//! terms in force (or the protocol's defaults when there are none yet); `show` prints them.
use clap::{Args, Subcommand};
use compute_credits::state::LendingConfig;
use compute_credits::LendingParams;
use credit_client::{defaults, ix, pda, read};
use credit_math::underwriting::TABLE_LEN;
use serde_json::{json, Value};

use super::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct LendingArgs {
    #[command(subcommand)]
    pub command: LendingCommand,
}

#[derive(Subcommand)]
pub enum LendingCommand {
    /// Publish the lending terms (admin). Order: the terms in force (else the defaults), then
    /// the --file's keys, then the flags.
    Configure {
        /// A JSON object with any of the fields below by their snake_case names, and
        /// `multipliers` (80 entries, bps); `lending show --output json` prints one.
        #[arg(long, value_name = "PATH")]
        file: Option<std::path::PathBuf>,
        /// Start from the protocol's defaults instead of the terms in force.
        #[arg(long)]
        defaults: bool,
        #[command(flatten)]
        flags: ParamFlags,
    },
    /// Print the lending terms in force.
    Show,
}

macro_rules! params {
    ($($field:ident: $ty:ty, $doc:literal;)*) => {
        /// Each field of the lending terms (not given: unchanged).
        #[derive(Args)]
        pub struct ParamFlags {
            $( #[doc = $doc] #[arg(long)] pub $field: Option<$ty>, )*
        }

        fn apply_flags(p: &mut LendingParams, f: &ParamFlags) {
            $( if let Some(v) = f.$field { p.$field = v; } )*
        }

        fn from_config(c: &LendingConfig) -> LendingParams {
            LendingParams { $( $field: c.$field, )* multipliers: c.multipliers }
        }

        fn to_json(p: &LendingParams) -> Value {
            let mut m = serde_json::Map::new();
            $( m.insert(stringify!($field).into(), json!(p.$field)); )*
            m.insert("multipliers".into(), json!(p.multipliers.to_vec()));
            Value::Object(m)
        }

        fn apply_json(p: &mut LendingParams, v: &Value) -> Result<(), String> {
            let obj = v.as_object().ok_or("the lending file is a JSON object")?;
            for (k, x) in obj {
                let bad = |e: serde_json::Error| format!("lending file, `{k}`: {e}");
                match k.as_str() {
                    $( stringify!($field) => p.$field = serde_json::from_value(x.clone()).map_err(bad)?, )*
                    "multipliers" => {
                        let t: Vec<u16> = serde_json::from_value(x.clone()).map_err(bad)?;
                        p.multipliers = <[u16; TABLE_LEN]>::try_from(t.as_slice())
                            .map_err(|_| format!("lending file: `multipliers` has {} entries, not {TABLE_LEN}", t.len()))?;
                    }
                    other => return Err(format!("lending file: unknown field `{other}`")),
                }
            }
            Ok(())
        }

        fn describe(p: &LendingParams) -> String {
            let mut s = String::new();
            $( s.push_str(&format!("\n{}: {}", stringify!($field), p.$field)); )*
            s
        }
    };
}

params! {
    min_principal: u64, "Smallest principal, in whole quote units (default 100,000).";
    max_principal: u64, "Largest principal, in whole quote units (default 10,000,000).";
    min_apr_bps: u16, "Lowest APR, bps (default 800).";
    max_apr_bps: u16, "Highest APR, bps (default 1,200).";
    min_periods: u16, "Fewest installments (6..=36; default 6).";
    max_periods: u16, "Most installments (default 36).";
    period_secs: u32, "Seconds between installments (default 30 days).";
    grace_secs: u32, "Grace after a due date before it is late, seconds (default 5 days).";
    cure_secs: u32, "Window to cure a delinquency, seconds (default 10 days).";
    margin_call_secs: u32, "Window to answer a margin call, seconds (default 3 days).";
    late_fee_bps: u16, "Late fee on a missed installment, bps (default 200).";
    prepay_fee_bps: u16, "Prepayment fee, bps (default 100).";
    prepay_periods: u16, "Installments during which prepayment is charged (default 12).";
    liquidation_discount_bps: u16, "Liquidation discount, bps (default 500).";
    min_initial_bps: u16, "Least coverage at origination, bps (default 12,500).";
    min_maintenance_bps: u16, "Least maintenance line, bps (default 11,000).";
    min_liquidation_bps: u16, "Least liquidation line, bps (default 10,500).";
}

pub fn run(ctx: &Context, args: LendingArgs) -> CliResult {
    match args.command {
        LendingCommand::Configure { file, defaults: from_defaults, flags } => {
            let admin = ctx.signer()?;
            let mut params = match read::lending_config(&ctx.rpc) {
                Ok(c) if !from_defaults => from_config(&c),
                _ => defaults::lending_params(),
            };
            if let Some(path) = file {
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                let v: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
                apply_json(&mut params, &v)?;
            }
            apply_flags(&mut params, &flags);
            ctx.run(&[ix::configure_lending(&admin.pubkey(), params)], &[admin])?;
        }
        LendingCommand::Show => {
            let c = read::lending_config(&ctx.rpc).map_err(|e| {
                format!("lending terms: {e} (the admin publishes them with `app lending configure`)")
            })?;
            let p = from_config(&c);
            let (lo, hi) = (p.multipliers.iter().min().copied(), p.multipliers.iter().max().copied());
            let x =
                |bps: Option<u16>| bps.map_or("-".into(), |b| format!("{}.{:04}x", b / 10_000, b % 10_000));
            let text = format!(
                "Lending terms: {}{}\nmultipliers: {TABLE_LEN} entries, {} to {}",
                pda::lending_config(),
                describe(&p),
                x(lo),
                x(hi)
            );
            ctx.print(&text, &to_json(&p));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lending_file_round_trips_and_refuses_unknown_fields() {
        let p = defaults::lending_params();
        let mut q = LendingParams { min_principal: 1, multipliers: [0; TABLE_LEN], ..p };
        apply_json(&mut q, &to_json(&p)).unwrap();
        assert_eq!(q, p);
        apply_json(&mut q, &json!({ "grace_secs": 7 })).unwrap();
        assert_eq!(q.grace_secs, 7);
        assert!(apply_json(&mut q, &json!({ "grace": 7 })).unwrap_err().contains("unknown field `grace`"));
        assert!(apply_json(&mut q, &json!({ "multipliers": [1, 2] })).unwrap_err().contains("2 entries"));
        assert!(apply_json(&mut q, &json!({ "min_apr_bps": -1 })).is_err());
    }
}
