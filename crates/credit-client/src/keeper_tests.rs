//! The keeper decisions' unit tests.
use super::*;

fn token_account(mint: &Pubkey, owner: &Pubkey, state: u8, len: usize) -> Vec<u8> {
    let mut d = vec![0u8; len.max(TOKEN_ACCOUNT_LEN)];
    d[..32].copy_from_slice(mint.as_ref());
    d[32..64].copy_from_slice(owner.as_ref());
    d[TOKEN_STATE_OFFSET] = state;
    if len > TOKEN_ACCOUNT_LEN {
        d[TOKEN_ACCOUNT_LEN] = TOKEN_2022_ACCOUNT_TYPE;
    }
    d.truncate(len);
    d
}

#[test]
fn frozen_owner_reads_the_base_layout_of_either_program() {
    let (mint, owner) = (Pubkey::new_unique(), Pubkey::new_unique());
    assert_eq!(frozen_owner(&token_account(&mint, &owner, 2, 165), &mint), Some(owner));
    assert_eq!(frozen_owner(&token_account(&mint, &owner, 2, 182), &mint), Some(owner));
    assert_eq!(frozen_owner(&token_account(&mint, &owner, 1, 165), &mint), None, "initialized");
    assert_eq!(frozen_owner(&token_account(&mint, &owner, 2, 165), &owner), None, "another mint");
    assert_eq!(frozen_owner(&token_account(&mint, &owner, 2, 100), &mint), None, "too short");
    let mut mint_like = token_account(&mint, &owner, 2, 182);
    mint_like[TOKEN_ACCOUNT_LEN] = 1; // Token-2022's AccountType::Mint
    assert_eq!(frozen_owner(&mint_like, &mint), None);
}

fn feed(kind: FeedKind, publish_time: i64) -> PriceFeed {
    let mut f: PriceFeed = bytemuck::Zeroable::zeroed();
    f.kind = kind as u8;
    f.publish_time = publish_time;
    f.pyth_feed_id = [0xab; 32];
    f
}

fn update(feed_id: [u8; 32], publish_time: i64) -> Vec<u8> {
    credit_math::pyth::encode_price_update_v2(&credit_math::pyth::PriceUpdateV2 {
        write_authority: [7; 32],
        partial_signatures: None,
        feed_id,
        price: 250_000_000,
        conf: 1_000_000,
        exponent: -8,
        publish_time,
        prev_publish_time: publish_time - 1,
        ema_price: 250_000_000,
        ema_conf: 1_000_000,
        posted_slot: 1,
    })
}

#[test]
fn a_pyth_refresh_is_due_only_for_a_newer_update_of_the_feeds_id() {
    let f = feed(FeedKind::Pyth, 1_000);
    assert_eq!(
        pyth_refresh(&f, &update([0xab; 32], 1_001)),
        Ok(Some(PythRefresh { feed_publish_time: 1_000, update_publish_time: 1_001 }))
    );
    assert_eq!(pyth_refresh(&f, &update([0xab; 32], 1_000)), Ok(None));
    assert_eq!(pyth_refresh(&f, &update([0xab; 32], 999)), Ok(None));
    assert!(pyth_refresh(&f, &update([0xcd; 32], 2_000)).unwrap_err().contains("feed id"));
    assert!(pyth_refresh(&f, &[0u8; 10]).is_err());
    assert!(pyth_refresh(&feed(FeedKind::Native, 0), &update([0xab; 32], 5)).is_err());
    // a price the circuit breaker holds back counts as seen
    let mut tripped = feed(FeedKind::Pyth, 1_000);
    tripped.tripped = 1;
    tripped.pending_publish_time = 1_500;
    assert_eq!(newest_publish_time(&tripped), 1_500);
    assert_eq!(pyth_refresh(&tripped, &update([0xab; 32], 1_200)), Ok(None));
}

fn report(ledger: credit_math::ledger::LoanLedger, now: i64, with_price: bool) -> LoanReport {
    let mut loan: compute_credits::state::Loan = bytemuck::Zeroable::zeroed();
    loan.set_ledger(ledger);
    let status = loan.status();
    let mut ledger_now = ledger;
    let (status_now, crank_refusal) = if with_price {
        (Some(ledger_now.evaluate(now, Some(u64::MAX / 4)).unwrap()), None)
    } else {
        let _ = ledger_now.accrue(now);
        (None, Some("StalePrice: the price is stale".to_string()))
    };
    LoanReport {
        address: Pubkey::new_unique(),
        loan,
        class: bytemuck::Zeroable::zeroed(),
        status,
        status_now,
        crank_refusal,
        ledger_now,
        vault_credits: 0,
        collateral_value: None,
        coverage_bps: None,
        schedule: vec![],
        now,
    }
}

/// A current loan of six hourly installments from t = 0: grace 600 s, cure 1,200 s.
fn current_loan() -> credit_math::ledger::LoanLedger {
    credit_math::ledger::LoanLedger {
        principal: 1_000_000_000,
        start_ts: 0,
        period_secs: 3_600,
        grace_secs: 600,
        cure_secs: 1_200,
        margin_call_secs: 900,
        apr_bps: 1_000,
        periods: 6,
        late_fee_bps: 200,
        maintenance_bps: 12_000,
        liquidation_bps: 11_000,
        status: LoanStatus::Current as u8,
        coverage_status: LoanStatus::Current as u8,
        principal_outstanding: 1_000_000_000,
        ..Default::default()
    }
}

#[test]
fn a_crank_is_due_when_a_deadline_passed() {
    use LoanStatus::*;
    let l = current_loan();
    // before the first installment: nothing to do
    assert_eq!(loan_decision(&report(l, 3_599, true)), LoanDecision::Idle);
    // nor for a new loan's first coverage measurement alone
    let unmeasured = LoanLedger { coverage_status: 0, ..l };
    assert_eq!(loan_decision(&report(unmeasured, 3_599, true)), LoanDecision::Idle);
    // installment 1 falls due: the crank accrues it (the status stays current)
    assert_eq!(loan_decision(&report(l, 3_600, true)), LoanDecision::Crank { from: Current, to: Current });
    // past the grace period, past grace + cure
    assert_eq!(loan_decision(&report(l, 4_201, true)), LoanDecision::Crank { from: Current, to: Delinquent });
    assert_eq!(loan_decision(&report(l, 5_401, true)), LoanDecision::Crank { from: Current, to: Defaulted });
    // once cranked, the same moment needs nothing more
    let mut cranked = l;
    cranked.evaluate(5_401, Some(u64::MAX / 4)).unwrap();
    assert_eq!(loan_decision(&report(cranked, 5_401, true)), LoanDecision::Idle);
    // without a usable price: blocked when time alone would change it, idle otherwise
    match loan_decision(&report(l, 5_401, false)) {
        LoanDecision::Blocked { due: Defaulted, reason } => assert!(reason.starts_with("StalePrice")),
        other => panic!("{other:?}"),
    }
    assert_eq!(loan_decision(&report(l, 3_000, false)), LoanDecision::Idle);
    // a closed loan is never cranked
    let repaid = credit_math::ledger::LoanLedger { status: Repaid as u8, ..l };
    assert_eq!(loan_decision(&report(repaid, 99_999, true)), LoanDecision::Idle);
}

fn market(bids: &[(i64, u32)], seats: &[(Pubkey, u32)]) -> MarketState {
    use credit_math::market::{Order, Seat};
    let mut fixed: compute_credits::state::MarketV2 = bytemuck::Zeroable::zeroed();
    let mut book: compute_credits::state::BookSideV2 = bytemuck::Zeroable::zeroed();
    for (i, (expiry, seat)) in bids.iter().enumerate() {
        book.orders[i] =
            Order { expiry: *expiry, seat: *seat, lots: credit_math::book::BaseLots(1), ..Order::default() };
    }
    book.len = bids.len() as u64;
    fixed.bids.copy_from_slice(bytemuck::bytes_of(&book));
    let seats = seats
        .iter()
        .map(|(owner, orders)| Seat { owner: owner.to_bytes(), order_count: *orders, ..Seat::default() })
        .collect();
    MarketState { fixed: Box::new(fixed), seats, len: 0 }
}

#[test]
fn frozen_seats_with_orders_are_pulled_and_expired_sides_pruned() {
    let (alice, bob, carol) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
    let frozen = [
        FrozenAccount { account: Pubkey::new_unique(), owner: bob },
        FrozenAccount { account: Pubkey::new_unique(), owner: carol },
    ];
    // alice rests a good-till-cancelled bid and one expiring at 100; bob (frozen) rests one;
    // carol (frozen) has nothing resting
    let m = market(&[(0, 0), (100, 0), (0, 1)], &[(alice, 2), (bob, 1), (carol, 0)]);
    let pull = MarketAction::PullFrozen { seat: 1, owner: bob, frozen_account: frozen[0].account, orders: 1 };
    assert_eq!(market_actions(&m, &frozen, 99), vec![pull]);
    assert_eq!(
        market_actions(&m, &frozen, 100),
        vec![pull, MarketAction::Prune { side: OrderSide::Bid, expired: 1 }]
    );
    assert_eq!(market_actions(&m, &[], 99), vec![]);
    // once bob's seat is flagged frozen, its bid is its right: nothing to pull
    let mut flagged = market(&[(0, 0), (0, 1)], &[(alice, 1), (bob, 1)]);
    compute_credits::state::set_seat_frozen(&mut flagged.seats[1], true);
    assert_eq!(market_actions(&flagged, &frozen, 99), vec![]);
    // unless it still rests an ask (placed before the flag)
    let mut book: compute_credits::state::BookSideV2 = bytemuck::Zeroable::zeroed();
    book.orders[0] =
        credit_math::market::Order { seat: 1, lots: credit_math::book::BaseLots(1), ..Default::default() };
    book.len = 1;
    flagged.fixed.asks.copy_from_slice(bytemuck::bytes_of(&book));
    flagged.seats[1].order_count = 2;
    let pull = MarketAction::PullFrozen { seat: 1, owner: bob, frozen_account: frozen[0].account, orders: 2 };
    assert_eq!(market_actions(&flagged, &frozen, 99), vec![pull]);
}
