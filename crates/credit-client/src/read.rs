//! Reading the protocol over JSON-RPC: accounts by address, every account of a kind
//! (`getProgramAccounts` filtered by discriminator and a key), and the reports a user asks for
//! (a loan's schedule, coverage and what the crank would make of it now; a market's book and
//! recent fills; a class's Token-2022 metadata and supply), computed with the same functions
//! the program runs (`credit_math`, `oracle::check_aggregate`).
use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use bytemuck::Pod;
use compute_credits::state::{
    CreditClass, LendingConfig, Loan, MarketV2, MeteringChannel, Platform, PriceFeed,
};
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::{GetConfirmedSignaturesForAddress2Config, RpcClient};
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcTransactionConfig};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use solana_sdk::account::Account;

use crate::state::{zero_copy, DecodeError, MarketState};

/// What a read can fail with.
#[derive(Debug)]
pub enum ReadError {
    Missing(Pubkey),
    NotOurs { key: Pubkey, owner: Pubkey },
    Decode { key: Pubkey, error: DecodeError },
    Rpc(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Missing(k) => write!(f, "account {k} does not exist"),
            ReadError::NotOurs { key, owner } => {
                write!(f, "account {key} is owned by {owner}, not by the program {}", compute_credits::ID)
            }
            ReadError::Decode { key, error } => write!(f, "account {key}: {error}"),
            ReadError::Rpc(e) => write!(f, "RPC: {e}"),
        }
    }
}

impl std::error::Error for ReadError {}

pub type ReadResult<T> = Result<T, ReadError>;

fn rpc_err(e: impl std::fmt::Display) -> ReadError {
    ReadError::Rpc(e.to_string())
}

/// The raw account at `key`, `None` when it does not exist.
pub fn account(rpc: &RpcClient, key: &Pubkey) -> ReadResult<Option<Account>> {
    Ok(rpc.get_account_with_commitment(key, rpc.commitment()).map_err(rpc_err)?.value)
}

/// The program's zero-copy account `T` at `key` (owner and discriminator checked).
pub fn program_account<T: Pod + Discriminator>(rpc: &RpcClient, key: &Pubkey) -> ReadResult<T> {
    let acc = account(rpc, key)?.ok_or(ReadError::Missing(*key))?;
    if acc.owner != compute_credits::ID {
        return Err(ReadError::NotOurs { key: *key, owner: acc.owner });
    }
    zero_copy::<T>(&acc.data).map_err(|error| ReadError::Decode { key: *key, error })
}

pub fn platform(rpc: &RpcClient) -> ReadResult<Platform> {
    program_account(rpc, &crate::pda::platform())
}

pub fn lending_config(rpc: &RpcClient) -> ReadResult<LendingConfig> {
    program_account(rpc, &crate::pda::lending_config())
}

pub fn class(rpc: &RpcClient, class: &Pubkey) -> ReadResult<CreditClass> {
    program_account(rpc, class)
}

pub fn price_feed(rpc: &RpcClient, feed: &Pubkey) -> ReadResult<PriceFeed> {
    program_account(rpc, feed)
}

pub fn loan(rpc: &RpcClient, loan: &Pubkey) -> ReadResult<Loan> {
    program_account(rpc, loan)
}

pub fn market(rpc: &RpcClient, market: &Pubkey) -> ReadResult<MarketState> {
    let acc = account(rpc, market)?.ok_or(ReadError::Missing(*market))?;
    if acc.owner != compute_credits::ID {
        return Err(ReadError::NotOurs { key: *market, owner: acc.owner });
    }
    MarketState::decode(&acc.data).map_err(|error| ReadError::Decode { key: *market, error })
}

/// A memcmp filter on a key stored at `offset` of an account's data (discriminator included).
pub fn key_at(offset: usize, key: &Pubkey) -> RpcFilterType {
    RpcFilterType::Memcmp(Memcmp::new_raw_bytes(offset, key.to_bytes().to_vec()))
}

/// Every program account of type `T` matching `filters`, with its address.
pub fn all_raw<T: Discriminator>(
    rpc: &RpcClient,
    filters: Vec<RpcFilterType>,
) -> ReadResult<Vec<(Pubkey, Account)>> {
    let mut all = vec![RpcFilterType::Memcmp(Memcmp::new_raw_bytes(0, T::DISCRIMINATOR.to_vec()))];
    all.extend(filters);
    let config = RpcProgramAccountsConfig {
        filters: Some(all),
        account_config: RpcAccountInfoConfig {
            encoding: Some(solana_rpc_client_api::response::UiAccountEncoding::Base64),
            commitment: Some(rpc.commitment()),
            ..RpcAccountInfoConfig::default()
        },
        ..RpcProgramAccountsConfig::default()
    };
    rpc.get_program_ui_accounts_with_config(&compute_credits::ID, config)
        .map_err(rpc_err)?
        .into_iter()
        .map(|(key, ui)| {
            ui.decode::<Account>()
                .map(|a| (key, a))
                .ok_or_else(|| rpc_err(format!("account {key}: undecodable data")))
        })
        .collect()
}

/// Every zero-copy program account of type `T` matching `filters`, decoded.
pub fn all<T: Pod + Discriminator>(
    rpc: &RpcClient,
    filters: Vec<RpcFilterType>,
) -> ReadResult<Vec<(Pubkey, T)>> {
    all_raw::<T>(rpc, filters)?
        .into_iter()
        .map(|(key, a)| {
            zero_copy::<T>(&a.data).map(|t| (key, t)).map_err(|error| ReadError::Decode { key, error })
        })
        .collect()
}

/// Offsets of the keys a loan is found by (discriminator included).
pub const LOAN_LENDER_OFFSET: usize = 8 + std::mem::offset_of!(Loan, lender);
pub const LOAN_BORROWER_OFFSET: usize = 8 + std::mem::offset_of!(Loan, borrower);

/// Loans, optionally only those of `lender` and/or `borrower`.
pub fn loans(
    rpc: &RpcClient,
    lender: Option<&Pubkey>,
    borrower: Option<&Pubkey>,
) -> ReadResult<Vec<(Pubkey, Loan)>> {
    let mut filters = vec![];
    if let Some(l) = lender {
        filters.push(key_at(LOAN_LENDER_OFFSET, l));
    }
    if let Some(b) = borrower {
        filters.push(key_at(LOAN_BORROWER_OFFSET, b));
    }
    all::<Loan>(rpc, filters)
}

pub fn channel(rpc: &RpcClient, channel: &Pubkey) -> ReadResult<MeteringChannel> {
    program_account(rpc, channel)
}

/// Offsets of the keys a metering channel is found by (discriminator included).
pub const CHANNEL_HOLDER_OFFSET: usize = 8 + std::mem::offset_of!(MeteringChannel, holder);
pub const CHANNEL_PROVIDER_AUTHORITY_OFFSET: usize =
    8 + std::mem::offset_of!(MeteringChannel, provider_authority);

/// Metering channels, optionally only those of `holder` and/or to `provider_authority`.
pub fn channels(
    rpc: &RpcClient,
    holder: Option<&Pubkey>,
    provider_authority: Option<&Pubkey>,
) -> ReadResult<Vec<(Pubkey, MeteringChannel)>> {
    let mut filters = vec![];
    if let Some(h) = holder {
        filters.push(key_at(CHANNEL_HOLDER_OFFSET, h));
    }
    if let Some(p) = provider_authority {
        filters.push(key_at(CHANNEL_PROVIDER_AUTHORITY_OFFSET, p));
    }
    all::<MeteringChannel>(rpc, filters)
}

pub fn classes(rpc: &RpcClient) -> ReadResult<Vec<(Pubkey, CreditClass)>> {
    all::<CreditClass>(rpc, vec![])
}

/// Every market, decoded with its seats.
pub fn markets(rpc: &RpcClient) -> ReadResult<Vec<(Pubkey, MarketState)>> {
    all_raw::<MarketV2>(rpc, vec![])?
        .into_iter()
        .map(|(key, a)| {
            MarketState::decode(&a.data).map(|m| (key, m)).map_err(|error| ReadError::Decode { key, error })
        })
        .collect()
}

/// The cluster's clock (the Clock sysvar), as the program sees it.
pub fn now(rpc: &RpcClient) -> ReadResult<i64> {
    let acc = account(rpc, &solana_sdk::sysvar::clock::ID)?
        .ok_or(ReadError::Missing(solana_sdk::sysvar::clock::ID))?;
    let clock: solana_sdk::clock::Clock = bincode::deserialize(&acc.data).map_err(rpc_err)?;
    Ok(clock.unix_timestamp)
}

/// A landed transaction that named an address: its signature, block time (if the node keeps
/// it) and logs.
#[derive(Clone, Debug)]
pub struct RecentTransaction {
    pub signature: String,
    pub block_time: Option<i64>,
    pub logs: Vec<String>,
}

/// The logs of the `limit` most recent transactions that named `address`, newest first.
pub fn recent_logs(
    rpc: &RpcClient,
    address: &Pubkey,
    limit: usize,
) -> ReadResult<Vec<(String, Vec<String>)>> {
    let txs = recent_transactions(rpc, address, limit)?;
    Ok(txs.into_iter().map(|t| (t.signature, t.logs)).collect())
}

/// The `limit` most recent successful transactions that named `address`, newest first.
pub fn recent_transactions(
    rpc: &RpcClient,
    address: &Pubkey,
    limit: usize,
) -> ReadResult<Vec<RecentTransaction>> {
    let config = GetConfirmedSignaturesForAddress2Config {
        limit: Some(limit),
        commitment: Some(CommitmentConfig::confirmed()),
        ..GetConfirmedSignaturesForAddress2Config::default()
    };
    let signatures = rpc.get_signatures_for_address_with_config(address, config).map_err(rpc_err)?;
    let mut out = vec![];
    for s in signatures.into_iter().filter(|s| s.err.is_none()) {
        let sig: solana_sdk::signature::Signature = s.signature.parse().map_err(rpc_err)?;
        let tx = rpc
            .get_transaction_with_config(
                &sig,
                RpcTransactionConfig {
                    encoding: Some(solana_rpc_client_api::config::UiTransactionEncoding::Base64),
                    commitment: Some(CommitmentConfig::confirmed()),
                    max_supported_transaction_version: Some(0),
                },
            )
            .map_err(rpc_err)?;
        let logs: Option<Vec<String>> = tx.transaction.meta.and_then(|m| m.log_messages.into());
        let block_time = s.block_time.or(tx.block_time);
        out.push(RecentTransaction { signature: s.signature, block_time, logs: logs.unwrap_or_default() });
    }
    Ok(out)
}

/// Where an installment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstallmentState {
    /// Charged and settled.
    Paid,
    /// Charged and (at least partly) unpaid.
    Due,
    /// Not yet charged.
    Upcoming,
}

/// One row of a loan's schedule: the installment as originated, its due time and state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstallmentRow {
    pub k: u16,
    pub due_ts: i64,
    pub principal: u64,
    pub interest: u64,
    pub state: InstallmentState,
}

/// A loan as its borrower and lender read it: the stored state and what `update_loan` would
/// make of it now (the same ledger arithmetic and collateral valuation the program runs).
#[derive(Clone, Debug)]
pub struct LoanReport {
    pub address: Pubkey,
    pub loan: Loan,
    pub class: CreditClass,
    /// The status the account holds.
    pub status: credit_math::ledger::LoanStatus,
    /// The status a crank would write now; `None` when the crank would be refused (see
    /// `crank_refusal`).
    pub status_now: Option<credit_math::ledger::LoanStatus>,
    /// Why `update_loan` would fail now (e.g. the feed's price is stale), by name.
    pub crank_refusal: Option<String>,
    /// The ledger accrued to now (installments and late fees charged as the crank would).
    pub ledger_now: credit_math::ledger::LoanLedger,
    pub vault_credits: u64,
    /// Collateral value at the low side of the oracle band, when the feed has a usable price.
    pub collateral_value: Option<u64>,
    /// Collateral value over debt, in basis points (floor), when priced and in debt.
    pub coverage_bps: Option<u64>,
    pub schedule: Vec<InstallmentRow>,
    pub now: i64,
}

impl LoanReport {
    /// True when a crank now would change the stored status (what a keeper acts on).
    pub fn crank_would_change_status(&self) -> bool {
        self.status_now.is_some_and(|s| s != self.status)
    }
}

/// The token amount of a token account (either token program), `None` if it does not exist.
pub fn token_amount(rpc: &RpcClient, account: &Pubkey) -> ReadResult<Option<u64>> {
    let Some(acc) = self::account(rpc, account)? else { return Ok(None) };
    crate::state::token_account_amount(&acc.data)
        .map(Some)
        .ok_or(ReadError::Decode { key: *account, error: DecodeError::WrongType("token account") })
}

/// Reads loan `address` and reports it at the cluster's time.
pub fn loan_report(rpc: &RpcClient, address: &Pubkey) -> ReadResult<LoanReport> {
    let loan = self::loan(rpc, address)?;
    let class = self::class(rpc, &loan.class)?;
    // loans value collateral through the class's feed PDA whatever prices its purchases
    let feed = self::price_feed(rpc, &crate::pda::price_feed(&loan.class)).ok();
    let now = self::now(rpc)?;
    let vault_credits = token_amount(rpc, &loan.vault)?.unwrap_or(0);
    let status = loan.status();
    let value = match &feed {
        Some(feed) => {
            compute_credits::loans::collateral_value_off_chain(&loan.class, &class, feed, vault_credits, now)
        }
        None => Err(compute_credits::error::CreditsError::WrongPriceFeed.into()),
    };
    let (collateral_value, price_refusal) = match value {
        Ok(v) => (Some(v), None),
        Err(e) => (None, Some(crate::describe_error(&e))),
    };
    let mut ledger_now = loan.ledger();
    let (status_now, crank_refusal) = if !status.is_open() {
        (None, Some("LoanNotOpen: the loan is not open".to_string()))
    } else if let Some(refusal) = price_refusal {
        // update_loan values the collateral first: without a usable price it is refused
        let _ = ledger_now.accrue(now);
        (None, Some(refusal))
    } else {
        match ledger_now.evaluate(now, collateral_value) {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(format!("{e:?}"))),
        }
    };
    let debt = ledger_now.debt().unwrap_or(0);
    let coverage_bps = match (collateral_value, debt) {
        (Some(v), d) if d > 0 => credit_math::coverage::coverage_bps_floor(v, d).ok(),
        _ => None,
    };
    let schedule = schedule_rows(&ledger_now);
    Ok(LoanReport {
        address: *address,
        loan,
        class,
        status,
        status_now,
        crank_refusal,
        ledger_now,
        vault_credits,
        collateral_value,
        coverage_bps,
        schedule,
        now,
    })
}

/// The schedule as originated, each installment marked paid, due or upcoming: the unpaid
/// amount charged so far covers the latest charged installments first.
pub fn schedule_rows(ledger: &credit_math::ledger::LoanLedger) -> Vec<InstallmentRow> {
    let Ok(terms) = ledger.terms() else { return vec![] };
    let Ok(rows) = credit_math::schedule::full_schedule(&terms) else { return vec![] };
    let mut unpaid = ledger.principal_due.saturating_add(ledger.interest_due);
    let mut out: Vec<InstallmentRow> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let k = i as u16 + 1;
            InstallmentRow {
                k,
                due_ts: ledger.due_ts(k).unwrap_or(i64::MAX),
                principal: r.principal,
                interest: r.interest,
                state: InstallmentState::Upcoming,
            }
        })
        .collect();
    for row in out.iter_mut().take(usize::from(ledger.periods_accrued)).rev() {
        let total = row.principal.saturating_add(row.interest);
        row.state = if unpaid > 0 { InstallmentState::Due } else { InstallmentState::Paid };
        unpaid = unpaid.saturating_sub(total);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use credit_math::ledger::LoanLedger;

    /// $1,200 straight-line over 3 periods at 12% APR, starting at t=1,000, a period of 100 s.
    fn ledger(periods_accrued: u16, principal_due: u64, interest_due: u64) -> LoanLedger {
        LoanLedger {
            principal: 1_200_000_000,
            principal_outstanding: 1_200_000_000,
            apr_bps: 1_200,
            periods: 3,
            schedule: credit_math::schedule::ScheduleKind::StraightLine as u8,
            start_ts: 1_000,
            period_secs: 100,
            periods_accrued,
            principal_due,
            interest_due,
            ..LoanLedger::default()
        }
    }

    #[test]
    fn the_unpaid_amount_marks_the_latest_charged_installments_due() {
        let rows = schedule_rows(&ledger(0, 0, 0));
        assert_eq!(rows.len(), 3);
        assert_eq!(rows.iter().map(|r| r.due_ts).collect::<Vec<_>>(), vec![1_100, 1_200, 1_300]);
        assert!(rows.iter().all(|r| r.state == InstallmentState::Upcoming && r.principal == 400_000_000));

        // two charged, one installment's worth unpaid: the first is paid, the second due
        let second = rows[1].principal + rows[1].interest;
        let rows = schedule_rows(&ledger(2, 400_000_000, second - 400_000_000));
        let states: Vec<_> = rows.iter().map(|r| r.state).collect();
        assert_eq!(states, vec![InstallmentState::Paid, InstallmentState::Due, InstallmentState::Upcoming]);

        // two charged, more than one unpaid: both due
        let rows = schedule_rows(&ledger(2, 800_000_000, 1));
        assert_eq!(rows[0].state, InstallmentState::Due);
        assert_eq!(rows[1].state, InstallmentState::Due);

        // two charged, all paid
        let rows = schedule_rows(&ledger(2, 0, 0));
        assert_eq!(rows[0].state, InstallmentState::Paid);
        assert_eq!(rows[1].state, InstallmentState::Paid);
    }
}
