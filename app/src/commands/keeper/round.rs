//! One round of the keeper: refresh the configured Pyth feeds, then crank every open loan whose
//! deadline passed, then pull frozen traders' orders and prune expired ones in every market.
//! Each decision is `credit_client::keeper`'s; each crank goes through [`super::crank::run`].
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use compute_credits::{FeedKind, OrderSide, MAX_PRUNE};
use credit_client::keeper::{self, LoanDecision, MarketAction};
use credit_client::tx::Options;
use credit_client::{ix, read, LoanKeys, MarketKeys};
use serde_json::json;
use solana_sdk::signature::Signer;

use super::crank::{self, Crank, Done};
use super::log::Log;
use super::retry::{Conn, Failure};

/// The keeper's state between rounds.
pub struct Keeper<'a> {
    pub conn: Conn,
    pub payer: &'a dyn Signer,
    pub options: Options,
    /// Pyth-priced feeds and the `PriceUpdateV2` account each is refreshed from.
    pub pyth: Vec<(Pubkey, Pubkey)>,
    pub log: Log,
    pub stop: Arc<AtomicBool>,
    /// What was last said about a blocked loan (said again only when it changes).
    blocked: HashMap<Pubkey, String>,
}

fn side_name(side: OrderSide) -> &'static str {
    match side {
        OrderSide::Bid => "bids",
        OrderSide::Ask => "asks",
    }
}

impl<'a> Keeper<'a> {
    pub fn new(
        conn: Conn,
        payer: &'a dyn Signer,
        options: Options,
        pyth: Vec<(Pubkey, Pubkey)>,
        log: Log,
    ) -> Self {
        Keeper {
            conn,
            payer,
            options,
            pyth,
            log,
            stop: Arc::new(AtomicBool::new(false)),
            blocked: HashMap::new(),
        }
    }

    pub fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// One round. Stops early (between cranks) when the keeper is stopping.
    pub fn round(&mut self) -> Result<(), Failure> {
        let now = self.conn.retry("read the clock", &self.stop, &self.log, |rpc| Ok(read::now(rpc)?))?;
        self.refresh_pyth()?;
        self.crank_loans()?;
        self.crank_markets(now)
    }

    /// Simulates and sends `c` (retried on RPC failures) and logs what became of it.
    fn crank(&mut self, c: Crank) -> Result<(), Failure> {
        if self.stopping() {
            return Ok(());
        }
        let (payer, options) = (self.payer, &self.options);
        let done =
            self.conn.retry(c.action, &self.stop, &self.log, |rpc| crank::run(rpc, payer, options, &c))?;
        let address = c.address.to_string();
        let fields = |reason: Option<&str>| json!({ "action": c.action, "address": address, "note": c.note, "reason": reason });
        match done {
            Done::Sent(outcome) => self.log.crank_outcome(c.action, &address, &c.note, &outcome),
            Done::Unchanged => {
                self.log.totals.unchanged += 1;
                let text =
                    format!("{} {address} ({}): the simulation changes nothing; not sent", c.action, c.note);
                self.log.line("unchanged", &text, fields(None));
            }
            Done::Refused(e) => {
                self.log.totals.refused += 1;
                let text =
                    format!("{} {address} ({}): the simulation fails, not sent: {e}", c.action, c.note);
                self.log.line("refused", &text, fields(Some(&e)));
            }
            Done::Failed(e) => {
                self.log.totals.failed += 1;
                self.log.line(
                    "failed",
                    &format!("{} {address} ({}): {e}", c.action, c.note),
                    fields(Some(&e)),
                );
            }
        }
        Ok(())
    }

    /// `refresh_pyth_price` for every configured feed whose update is newer than its price.
    fn refresh_pyth(&mut self) -> Result<(), Failure> {
        for (feed, update) in self.pyth.clone() {
            let (state, data) = self.conn.retry("read a Pyth feed", &self.stop, &self.log, |rpc| {
                let state = read::price_feed(rpc, &feed)?;
                let data = read::account(rpc, &update)?.map(|a| a.data);
                Ok((state, data))
            })?;
            let decided = match data {
                None => Err(format!("the price update account {update} does not exist")),
                Some(data) => keeper::pyth_refresh(&state, &data),
            };
            match decided {
                Ok(None) => {}
                Ok(Some(r)) => self.crank(Crank {
                    action: "refresh_pyth_price",
                    address: feed,
                    note: format!("publish time {} -> {}", r.feed_publish_time, r.update_publish_time),
                    ix: ix::refresh_pyth_price(&feed, &update),
                })?,
                Err(why) => self.log.line(
                    "misconfigured",
                    &format!("--pyth {feed}={update}: {why}"),
                    json!({ "feed": feed.to_string(), "priceUpdate": update.to_string(), "reason": why }),
                ),
            }
        }
        Ok(())
    }

    /// `update_loan` for every open loan a crank would change now.
    fn crank_loans(&mut self) -> Result<(), Failure> {
        let loans =
            self.conn.retry("find loans", &self.stop, &self.log, |rpc| Ok(read::loans(rpc, None, None)?))?;
        for (address, _) in loans.into_iter().filter(|(_, l)| l.status().is_open()) {
            if self.stopping() {
                return Ok(());
            }
            let report = self
                .conn
                .retry("read a loan", &self.stop, &self.log, |rpc| Ok(read::loan_report(rpc, &address)?))?;
            match keeper::loan_decision(&report) {
                LoanDecision::Idle => {
                    self.blocked.remove(&address);
                }
                LoanDecision::Crank { from, to } => {
                    self.blocked.remove(&address);
                    let k =
                        LoanKeys::from_state(address, &report.loan, &report.class, &Pubkey::default(), None);
                    let note =
                        if from == to { format!("{from:?}, accrues") } else { format!("{from:?} -> {to:?}") };
                    self.crank(Crank { action: "update_loan", address, note, ix: ix::update_loan(&k) })?;
                }
                LoanDecision::Blocked { due, reason } => {
                    let feed = credit_client::pda::price_feed(&report.loan.class);
                    let kind = self
                        .conn
                        .retry("read a feed", &self.stop, &self.log, |rpc| Ok(read::price_feed(rpc, &feed)?))
                        .map(|f| f.feed_kind())
                        .ok();
                    let hint = match kind {
                        Some(FeedKind::Pyth) if !self.pyth.iter().any(|(f, _)| *f == feed) => {
                            format!("a Pyth feed: give --pyth {feed}=<PriceUpdateV2 account>")
                        }
                        Some(FeedKind::Pyth) => "its Pyth update is not fresh enough either".into(),
                        _ => format!("waiting for the publishers of feed {feed}"),
                    };
                    let key = format!("{due:?} {reason}");
                    if self.blocked.get(&address) != Some(&key) {
                        self.log.totals.blocked += 1;
                        let (from, loan) = (report.status, address.to_string());
                        self.log.line(
                            "blocked",
                            &format!("update_loan {loan} ({from:?} -> {due:?}) would be refused: {reason} ({hint})"),
                            json!({ "action": "update_loan", "address": loan, "note": format!("{from:?} -> {due:?}"),
                                    "reason": reason, "hint": hint }),
                        );
                        self.blocked.insert(address, key);
                    }
                }
            }
        }
        Ok(())
    }

    /// `cancel_frozen_orders_v2` for every seat with resting orders whose owner has a frozen
    /// credit account, `prune_expired` for every side with expired orders.
    fn crank_markets(&mut self, now: i64) -> Result<(), Failure> {
        let markets =
            self.conn.retry("find markets", &self.stop, &self.log, |rpc| Ok(read::markets(rpc)?))?;
        for (address, m) in markets {
            if self.stopping() {
                return Ok(());
            }
            let (mint, program) = (m.fixed.credit_mint, m.fixed.credit_token_program);
            let frozen = self.conn.retry("find frozen credit accounts", &self.stop, &self.log, |rpc| {
                Ok(keeper::frozen_accounts(rpc, &mint, &program)?)
            })?;
            let k = MarketKeys::from_state(address, &m.fixed, &Pubkey::default());
            for action in keeper::market_actions(&m, &frozen, now) {
                match action {
                    MarketAction::PullFrozen { seat, owner, frozen_account, orders } => {
                        self.crank(Crank {
                            action: "cancel_frozen_orders_v2",
                            address,
                            note: format!(
                                "seat {seat} of {owner}: {orders} resting orders, {frozen_account} frozen"
                            ),
                            ix: ix::cancel_frozen_orders_v2(&k, &frozen_account, &owner),
                        })?
                    }
                    MarketAction::Prune { side, expired } => {
                        for _ in 0..expired.div_ceil(MAX_PRUNE) {
                            self.crank(Crank {
                                action: "prune_expired",
                                address,
                                note: format!("{expired} expired {}", side_name(side)),
                                ix: ix::prune_expired(&k, side, MAX_PRUNE),
                            })?;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
