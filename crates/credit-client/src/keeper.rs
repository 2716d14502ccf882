//! What a keeper should do, decided from what the chain holds: when `update_loan` is due, when
//! a Pyth update is newer than a feed's price, which seats hold a frozen trader's resting
//! orders, which book sides hold expired orders. Pure functions over decoded accounts (plus the
//! one `getProgramAccounts` that finds a mint's frozen token accounts), so any client (the CLI's
//! `app keeper`, a web app's status panel) decides the same way.
use anchor_lang::prelude::Pubkey;
use compute_credits::state::{seat_is_frozen, PriceFeed};
use compute_credits::{FeedKind, OrderSide};
use credit_math::ledger::{LoanLedger, LoanStatus};
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use solana_sdk::account::Account;

use crate::read::{LoanReport, ReadError, ReadResult};
use crate::state::MarketState;

/// What a keeper makes of a loan now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoanDecision {
    /// A crank now would change nothing (or the loan is not open).
    Idle,
    /// A crank now would move the loan from `from` to `to` (equal when only the accrued
    /// amounts or a margin-call deadline change).
    Crank { from: LoanStatus, to: LoanStatus },
    /// A deadline passed (time alone would move the loan to `due`, or accrue it) but the crank
    /// would be refused now, for `reason` (e.g. the feed's price is stale).
    Blocked { due: LoanStatus, reason: String },
}

/// True when `after` differs from `before` in more than the remembered coverage measurement
/// (`coverage_status`): the status, an accrued amount, a deadline. A crank that would only
/// record a coverage measurement (a new loan's first) is not worth a transaction; one that
/// changes the status because of it is.
pub fn ledger_moved(before: &LoanLedger, after: &LoanLedger) -> bool {
    let strip = |l: &LoanLedger| LoanLedger { coverage_status: 0, ..*l };
    strip(before) != strip(after)
}

/// Decides from `r` (what `read::loan_report` computed with the program's own arithmetic).
pub fn loan_decision(r: &LoanReport) -> LoanDecision {
    if !r.status.is_open() {
        return LoanDecision::Idle;
    }
    let stored = r.loan.ledger();
    match r.status_now {
        Some(to) if to != r.status || ledger_moved(&stored, &r.ledger_now) => {
            LoanDecision::Crank { from: r.status, to }
        }
        Some(_) => LoanDecision::Idle,
        None => {
            // refused (e.g. no usable price): would time alone change the loan?
            let mut by_time = stored;
            match by_time.evaluate(r.now, None) {
                Ok(due) if due != r.status || ledger_moved(&stored, &by_time) => LoanDecision::Blocked {
                    due,
                    reason: r.crank_refusal.clone().unwrap_or_else(|| "refused".into()),
                },
                _ => LoanDecision::Idle,
            }
        }
    }
}

/// The newest publish time a feed has seen: its price's, or the one the circuit breaker holds
/// back (`refresh_pyth_price` refuses an update that is not newer than this).
pub fn newest_publish_time(feed: &PriceFeed) -> i64 {
    feed.publish_time.max(if feed.is_tripped() { feed.pending_publish_time } else { 0 })
}

/// A Pyth refresh that is due: the update's publish time is newer than the feed's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PythRefresh {
    pub feed_publish_time: i64,
    pub update_publish_time: i64,
}

/// Whether `refresh_pyth_price(feed, update)` would bring anything new: `Ok(None)` when the
/// update is not newer; an error when the feed is not a Pyth feed or the update does not parse.
pub fn pyth_refresh(feed: &PriceFeed, update_data: &[u8]) -> Result<Option<PythRefresh>, String> {
    if feed.feed_kind() != FeedKind::Pyth {
        return Err("not a Pyth feed (its prices come from publishers)".into());
    }
    let update = credit_math::pyth::parse_price_update_v2(update_data)
        .map_err(|e| format!("not a Pyth PriceUpdateV2 account: {e:?}"))?;
    if update.feed_id != feed.pyth_feed_id {
        return Err("the update carries another Pyth feed id than the feed's".into());
    }
    let newest = newest_publish_time(feed);
    Ok((update.publish_time > newest)
        .then_some(PythRefresh { feed_publish_time: newest, update_publish_time: update.publish_time }))
}

/// Byte offset of `state` in a token account (both token programs' base layout: mint, owner,
/// amount, delegate).
pub const TOKEN_STATE_OFFSET: usize = 108;
/// `AccountState::Frozen`.
pub const TOKEN_STATE_FROZEN: u8 = 2;
const TOKEN_ACCOUNT_LEN: usize = 165;
/// Token-2022's account-type byte after the base layout (accounts with extensions).
const TOKEN_2022_ACCOUNT_TYPE: u8 = 2;

/// The owner of `data` if it is a frozen token account of `mint`.
pub fn frozen_owner(data: &[u8], mint: &Pubkey) -> Option<Pubkey> {
    if data.len() < TOKEN_ACCOUNT_LEN || data[..32] != mint.to_bytes() {
        return None;
    }
    // a Token-2022 account longer than the base layout says it is an account, not a mint
    if data.len() > TOKEN_ACCOUNT_LEN && data[TOKEN_ACCOUNT_LEN] != TOKEN_2022_ACCOUNT_TYPE {
        return None;
    }
    if data[TOKEN_STATE_OFFSET] != TOKEN_STATE_FROZEN {
        return None;
    }
    Some(Pubkey::new_from_array(data[32..64].try_into().expect("32 bytes")))
}

/// A frozen credit account and its owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrozenAccount {
    pub account: Pubkey,
    pub owner: Pubkey,
}

/// Every frozen token account of `mint` (one `getProgramAccounts` on its token program,
/// filtered by mint and state).
pub fn frozen_accounts(
    rpc: &RpcClient,
    mint: &Pubkey,
    token_program: &Pubkey,
) -> ReadResult<Vec<FrozenAccount>> {
    let config = RpcProgramAccountsConfig {
        filters: Some(vec![
            RpcFilterType::Memcmp(Memcmp::new_raw_bytes(0, mint.to_bytes().to_vec())),
            RpcFilterType::Memcmp(Memcmp::new_raw_bytes(TOKEN_STATE_OFFSET, vec![TOKEN_STATE_FROZEN])),
        ]),
        account_config: RpcAccountInfoConfig {
            encoding: Some(solana_rpc_client_api::response::UiAccountEncoding::Base64),
            commitment: Some(rpc.commitment()),
            ..RpcAccountInfoConfig::default()
        },
        ..RpcProgramAccountsConfig::default()
    };
    let found = rpc
        .get_program_ui_accounts_with_config(token_program, config)
        .map_err(|e| ReadError::Rpc(e.to_string()))?;
    Ok(found
        .into_iter()
        .filter_map(|(account, ui)| {
            let data = ui.decode::<Account>()?.data;
            frozen_owner(&data, mint).map(|owner| FrozenAccount { account, owner })
        })
        .collect())
}

/// A crank a market needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarketAction {
    /// `cancel_frozen_orders_v2` with `frozen_account`: seat `seat` of `owner` has
    /// `orders` resting orders and a frozen credit account.
    PullFrozen { seat: u32, owner: Pubkey, frozen_account: Pubkey, orders: u32 },
    /// `prune_expired` on `side`: `expired` orders there are void since `now`.
    Prune { side: OrderSide, expired: u32 },
}

/// The cranks market `m` needs at time `now`, given the frozen credit accounts of its class:
/// every seat with resting orders whose owner has a frozen account, not yet flagged frozen (or
/// flagged but still resting an ask), then every side with expired orders. A flagged seat's
/// bids are left alone: the program lets a frozen seat bid (it refuses only its asks and credit
/// withdrawals), so pulling them round after round would forbid what the program allows.
pub fn market_actions(m: &MarketState, frozen: &[FrozenAccount], now: i64) -> Vec<MarketAction> {
    let mut out = vec![];
    let asks = m.asks();
    for (i, seat) in m.seats.iter().enumerate() {
        if seat.order_count == 0 {
            continue;
        }
        let flagged_without_asks =
            seat_is_frozen(seat) && !asks.orders().iter().any(|o| o.seat as usize == i);
        if flagged_without_asks {
            continue;
        }
        let owner = Pubkey::new_from_array(seat.owner);
        if let Some(f) = frozen.iter().find(|f| f.owner == owner) {
            out.push(MarketAction::PullFrozen {
                seat: i as u32,
                owner,
                frozen_account: f.account,
                orders: seat.order_count,
            });
        }
    }
    for (side, book) in [(OrderSide::Bid, m.bids()), (OrderSide::Ask, m.asks())] {
        let expired = book.orders().iter().filter(|o| o.is_expired(now)).count() as u32;
        if expired > 0 {
            out.push(MarketAction::Prune { side, expired });
        }
    }
    out
}

#[cfg(test)]
#[path = "keeper_tests.rs"]
mod tests;
