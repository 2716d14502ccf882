//! Invariants at scale: random sequences through the whole program (purchases, redemptions,
//! guardian freezes, loans of both kinds with price moves, payments, cranks, collateral moves,
//! the lender's freezes, liquidations and sales, releases, orders, cancels and withdrawals),
//! with adversarial choices (the same wallet on two sides, dust amounts, every call in any
//! order), checking after every step that nothing is created, lost or mis-booked:
//! - supply = minted − burned = every credit atom in a wallet, a loan's vault or the market;
//! - every quote atom is in a wallet, the treasury, an escrow or the market;
//! - the market's vaults equal its seats, and the seats' locks equal the book;
//! - every frozen account is held, and the holds per owner add up;
//! - each loan's vault holds what its moves left, its principal is paid or outstanding, and its
//!   lender received exactly what the ledger says was paid (no rounding profit).
//!
//! Five seeds of 2,000 steps run in every test run (10,000 steps); `scripts/soak` runs more
//! (`CREDITS_SOAK_STEPS` steps for each seed, and `CREDITS_SOAK_SEEDS` further seeds).
use compute_credits::error::CreditsError;
use compute_credits::state::{FreezeHold, OwnerHolds};
use compute_credits::{LoanKind, MarketAsset, OfferTerms, OrderSide, OrderType};
use credit_math::ledger::LoanStatus;
use harness::builders::*;
use harness::fixtures::*;
use harness::loan_sales::{sell_collateral, settle_loan_sale};
use harness::loans::*;
use harness::market::{fee_per_lot, MarketKeys, LOT, MAKER_FEE_BPS, TAKER_FEE_BPS, TICK};
use harness::market_v2::{market_v2_state, open_market_v2};
use harness::market_v2_ix::*;
use harness::oracle::NativeFeed;
use harness::{assert_error, TestContext};
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::{Keypair, Signer};

/// xorshift: deterministic, so a failure replays exactly from its seed and step.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// An amount up to `max`, often dust or everything.
    fn amount(&mut self, max: u64) -> u64 {
        match self.below(6) {
            0 => 1,
            1 => max,
            2 => max / 2,
            _ => 1 + self.below(max.max(1)),
        }
    }
}

const USERS: usize = 4;
const QUOTE_EACH: u64 = 200_000_000 * USD;

struct SoakLoan {
    k: LoanKeys,
    lender: usize,
    borrower: usize,
    kind: LoanKind,
    accepted: bool,
    /// Its account is gone (released, or the offer withdrawn).
    closed: bool,
    /// Credits the borrower moved in (top-ups) and out (withdrawals) of the vault.
    moved_in: u64,
    moved_out: u64,
    /// Quote the lender received from payments and sales; the debt sales and seizures repaid.
    lender_received: u64,
    recovered_by_sale: u64,
    recovered_in_kind: u64,
}

struct Soak {
    f: PlatformFixture,
    c: ClassFixture,
    feed: NativeFeed,
    /// A v2 market on the class; each user has a seat in it (`seats[u]`).
    mk: MarketKeys,
    seats: Vec<u32>,
    provider: Keypair,
    users: Vec<User>,
    /// A second credit account of each user, which a lender may find later.
    extra: Vec<anchor_lang::prelude::Pubkey>,
    loans: Vec<SoakLoan>,
    next_id: u64,
    price: i64,
}

impl Soak {
    async fn new(ctx: &mut TestContext, kind: TokenKind) -> Soak {
        let f = PlatformFixture::new(ctx, TokenKind::Spl).await;
        let c = f.create_class(ctx, kind).await;
        ctx.send(&[configure_lending(&f.admin.pubkey(), default_lending_params())], &[&f.admin])
            .await
            .unwrap();
        let feed = f.native_feed(ctx, &c, 1, 1).await;
        let mk = open_market_v2(ctx, &f, &c).await;
        let provider = f.provider(ctx, &c).await;
        let (mut users, mut extra) = (vec![], vec![]);
        let expires = ctx.now().await + APPROVAL_SECS;
        for i in 0..USERS {
            let u = f.user(ctx, &c, QUOTE_EACH).await;
            extra.push(ctx.token_account_for(&u.pubkey(), &c.mint, &c.program).await);
            f.approve(ctx, &u.pubkey(), (i % 4) as u8, APPROVAL_MAX, expires).await.unwrap();
            ctx.send(&[claim_seat(&mk, &u.pubkey())], &[&u.key]).await.unwrap();
            users.push(u);
        }
        let seats = (0..USERS as u32).collect();
        let mut s =
            Soak { f, c, feed, mk, seats, provider, users, extra, loans: vec![], next_id: 0, price: PRICE };
        s.set_price(ctx, PRICE).await;
        s
    }

    async fn set_price(&mut self, ctx: &mut TestContext, price: i64) {
        self.price = price;
        self.feed.submit_all(ctx, &[price], CONF).await;
    }

    fn tier(&self, user: usize) -> u8 {
        (user % 4) as u8
    }

    /// Every credit account the run knows of, with its owner.
    fn credit_accounts(&self) -> Vec<(usize, anchor_lang::prelude::Pubkey)> {
        (0..USERS).flat_map(|u| [(u, self.users[u].credits), (u, self.extra[u])]).collect()
    }
}

async fn send(ctx: &mut TestContext, ix: Instruction, signers: &[&Keypair]) -> bool {
    ctx.send(&[ix], signers).await.is_ok()
}

/// One random step. Returns what it tried, for the failure message.
async fn step(ctx: &mut TestContext, s: &mut Soak, rng: &mut Rng) -> String {
    let u = rng.below(USERS as u64) as usize;
    let user = s.users[u].clone();
    // mostly a live loan in the right state; now and then any loan, closed ones included
    let pick = |rng: &mut Rng, s: &Soak, offered: bool| {
        if rng.below(8) == 0 && !s.loans.is_empty() {
            return Some(rng.below(s.loans.len() as u64) as usize);
        }
        let live: Vec<usize> =
            (0..s.loans.len()).filter(|&i| !s.loans[i].closed && s.loans[i].accepted != offered).collect();
        (!live.is_empty()).then(|| live[rng.below(live.len() as u64) as usize])
    };
    match rng.below(20) {
        0 => {
            let amount = rng.amount(20_000 * USD);
            send(ctx, purchase_credits(&s.f.purchase(&s.c, &user), amount, s.c.list_price), &[&user.key])
                .await;
            format!("buy {u} {amount}")
        }
        1 => {
            let held = ctx.balance(user.credits).await;
            let amount = rng.amount(held);
            let ix = redeem_credits(&s.f.redeem(&s.c, &user, &s.provider.pubkey()), amount, [7; 32]);
            send(ctx, ix, &[&user.key, &s.provider]).await;
            format!("redeem {u} {amount}")
        }
        2 => {
            // the guardian toggles its hold on one of the user's accounts
            let account = if rng.below(2) == 0 { user.credits } else { s.extra[u] };
            let held = match ctx.account(freeze_hold_pda(&account)).await {
                Some(_) => ctx.anchor_account::<FreezeHold>(freeze_hold_pda(&account)).await.guardian != 0,
                None => false,
            };
            let (g, c) = (s.f.guardian.pubkey(), &s.c);
            let ix = if held {
                thaw_credits(&g, &c.class, &c.mint, (&user.pubkey(), &account), &c.program, 1)
            } else {
                freeze_credits(&g, &c.class, &c.mint, (&user.pubkey(), &account), &c.program, 1)
            };
            assert!(send(ctx, ix, &[&s.f.guardian]).await, "the guardian's toggle always goes through");
            format!("guardian {} {u}", if held { "thaws" } else { "freezes" })
        }
        3 | 4 => {
            // an offer, sometimes to oneself (always refused); at most a dozen loans live at once
            let mut live = 0;
            for l in &s.loans {
                live += usize::from(ctx.account(l.k.loan).await.is_some());
            }
            if live >= 12 {
                // the lender of an offer nobody took withdraws it instead
                let Some(i) = pick(rng, s, true) else { return "no loan".into() };
                let (k, lender) = (s.loans[i].k, s.users[s.loans[i].lender].clone());
                let ok = send(ctx, cancel_loan_offer(&k), &[&lender.key]).await;
                return format!("withdraw-offer {i} ok={ok}");
            }
            let b = rng.below(USERS as u64) as usize;
            let kind = if rng.below(2) == 0 { LoanKind::ComputeFinancing } else { LoanKind::CreditBacked };
            s.next_id += 1;
            let k = harness::loans::loan_keys(&s.f, &s.c, &user, &s.users[b].pubkey(), s.next_id);
            let terms = OfferTerms {
                loan_id: s.next_id,
                borrower: s.users[b].pubkey(),
                principal: (100_000 + rng.below(200_000)) * USD,
                apr_bps: 800 + rng.below(401) as u16,
                periods: 6 + rng.below(31) as u16,
                borrower_tier: s.tier(b),
                schedule: rng.below(3) as u8,
                maintenance_bps: if kind == LoanKind::ComputeFinancing && rng.below(3) == 0 {
                    0
                } else {
                    12_000
                },
                liquidation_bps: 0,
                ..seed_terms(0, kind, 0)
            };
            let terms = OfferTerms {
                liquidation_bps: if terms.maintenance_bps == 0 { 0 } else { 11_000 },
                initial_bps: if kind == LoanKind::CreditBacked { 15_000 } else { 0 },
                ..terms
            };
            let r = ctx.send(&[post_loan_offer(&k, terms)], &[&user.key]).await;
            if b == u {
                assert_error(&r, CreditsError::LenderIsBorrower);
            } else if r.is_ok() {
                let loan = SoakLoan {
                    k,
                    lender: u,
                    borrower: b,
                    kind,
                    accepted: false,
                    closed: false,
                    moved_in: 0,
                    moved_out: 0,
                    lender_received: 0,
                    recovered_by_sale: 0,
                    recovered_in_kind: 0,
                };
                s.loans.push(loan);
            }
            format!("offer {u}->{b} {kind:?} ok={}", r.is_ok())
        }
        5 => {
            let Some(i) = pick(rng, s, true) else { return "no loan".into() };
            let l = &s.loans[i];
            let b = s.users[l.borrower].clone();
            let ix = match l.kind {
                LoanKind::ComputeFinancing => accept_loan(&l.k, &s.f.treasury_quote, None, 0, 0),
                LoanKind::CreditBacked => {
                    // buy a pledge near the initial ratio, sometimes short of it
                    let need = 65_000 * USD * (l.k.loan_id % 3 + 1);
                    send(ctx, purchase_credits(&s.f.purchase(&s.c, &b), need, s.c.list_price), &[&b.key])
                        .await;
                    let pledge = rng.amount(ctx.balance(b.credits).await);
                    accept_loan(&l.k, &b.quote, Some(b.credits), pledge, 0)
                }
            };
            let ok = send(ctx, ix, &[&b.key]).await;
            if ok {
                s.loans[i].accepted = true;
            }
            format!("accept {i} ok={ok}")
        }
        6 => {
            let Some(i) = pick(rng, s, false) else { return "no loan".into() };
            let l = &s.loans[i];
            let payer = s.users[l.borrower].clone();
            let lender_quote = s.users[l.lender].quote;
            let due = match ctx.account(l.k.loan).await {
                Some(_) => ledger(ctx, &l.k.loan).await.amount_due().unwrap_or(0),
                None => 0,
            };
            let amount = match rng.below(6) {
                0 => 1,
                1..=3 => due.max(1),
                4 => u64::MAX,
                _ => rng.amount(500_000 * USD),
            };
            let before = ctx.balance(lender_quote).await;
            let ok = send(ctx, repay_loan(&l.k, &payer.pubkey(), &payer.quote, amount), &[&payer.key]).await;
            let received = ctx.balance(lender_quote).await - before;
            s.loans[i].lender_received += received;
            format!("repay {i} {amount} ok={ok} received={received}")
        }
        7 => {
            let Some(i) = pick(rng, s, false) else { return "no loan".into() };
            let ok = send(ctx, update_loan(&s.loans[i].k), &[]).await;
            format!("crank {i} ok={ok}")
        }
        8 => {
            let Some(i) = pick(rng, s, false) else { return "no loan".into() };
            let l = &s.loans[i];
            let b = s.users[l.borrower].clone();
            let out = rng.below(2) == 0;
            let amount = if out {
                let in_vault = match ctx.account(l.k.vault).await {
                    Some(_) => ctx.balance(l.k.vault).await,
                    None => 0,
                };
                rng.amount(in_vault / 20)
            } else {
                rng.amount(ctx.balance(b.credits).await)
            };
            let ix = if out {
                withdraw_collateral(&l.k, &b.credits, amount, rng.below(4) != 0)
            } else {
                top_up_collateral(&l.k, &b.credits, amount)
            };
            let ok = send(ctx, ix, &[&b.key]).await;
            if ok && out {
                s.loans[i].moved_out += amount;
            } else if ok {
                s.loans[i].moved_in += amount;
            }
            format!("{} {i} {amount} ok={ok}", if out { "withdraw" } else { "top up" })
        }
        9 => {
            // the lender (or, adversarially, the borrower) freezes one or both accounts
            let Some(i) = pick(rng, s, false) else { return "no loan".into() };
            let l = &s.loans[i];
            let who = if rng.below(5) == 0 { l.borrower } else { l.lender };
            let signer = s.users[who].clone();
            let b = l.borrower;
            let ix = match rng.below(3) {
                0 => freeze_collateral(&l.k, &signer.pubkey(), &s.users[b].credits),
                1 => freeze_collateral(&l.k, &signer.pubkey(), &s.extra[b]),
                _ => freeze_collateral_more(&l.k, &signer.pubkey(), &s.users[b].credits, &[s.extra[b]]),
            };
            let ok = send(ctx, ix, &[&signer.key]).await;
            assert!(!ok || who == l.lender, "only the lender of record freezes");
            format!("freeze {i} by {who} ok={ok}")
        }
        10 | 11 => {
            // release or thaw, naming what the loan holds
            let Some(i) = pick(rng, s, false) else { return "no loan".into() };
            let l = &s.loans[i];
            let held: Vec<_> = match ctx.account(l.k.loan).await {
                Some(_) => loan_state(ctx, &l.k.loan).await.held_accounts().to_vec(),
                None => vec![],
            };
            let b = s.users[l.borrower].clone();
            let destination = if rng.below(2) == 0 { b.credits } else { s.extra[l.borrower] };
            let release = rng.below(2) == 0;
            let ix = if release {
                release_collateral(&l.k, &destination, &held)
            } else {
                thaw_collateral(&l.k, &held)
            };
            let ok = send(ctx, ix, &[]).await;
            format!("{} {i} ok={ok}", if release { "release" } else { "thaw" })
        }
        12 => {
            // in-kind liquidation, never more than covers the debt
            let Some(i) = pick(rng, s, false) else { return "no loan".into() };
            let l = &s.loans[i];
            let lender = s.users[l.lender].clone();
            let max = match rng.below(3) {
                0 => 1,
                1 => u64::MAX,
                _ => rng.amount(100_000 * USD),
            };
            let before = match ctx.account(l.k.loan).await {
                Some(_) => Some(loan_state(ctx, &l.k.loan).await),
                None => None,
            };
            let ok = send(ctx, liquidate_collateral(&l.k, &lender.credits, max), &[&lender.key]).await;
            if ok {
                let (before, after) = (before.unwrap(), loan_state(ctx, &l.k.loan).await);
                let repaid = after.recovered - before.recovered;
                let seized = after.credits_seized - before.credits_seized;
                assert!(repaid > 0 || ctx.balance(l.k.vault).await == 0, "a seizure repays something");
                assert!(seized <= max);
                s.loans[i].recovered_in_kind += repaid;
            }
            format!("liquidate {i} max {max} ok={ok}")
        }
        13 => {
            // a sale on the market from the loan's seat, at any price the lender names,
            // immediate or resting; or anyone settles a loan's sale
            let Some(i) = pick(rng, s, false) else { return "no loan".into() };
            let (k, lender, borrower) =
                (s.loans[i].k, s.users[s.loans[i].lender].clone(), s.users[s.loans[i].borrower].clone());
            let before = (ctx.balance(lender.quote).await, ctx.balance(borrower.quote).await);
            let loan_before = match ctx.account(k.loan).await {
                Some(_) => Some(loan_state(ctx, &k.loan).await),
                None => None,
            };
            let price = 200 + rng.below(80);
            let settling = rng.below(3) == 0;
            let (ok, what) = if settling {
                let cancel = rng.below(2) == 0;
                let ix = settle_loan_sale(&user.pubkey(), &k, &s.mk, &borrower.quote, cancel);
                let ok = send(ctx, ix, &[&user.key]).await;
                if cancel && user.pubkey() != lender.pubkey() {
                    assert!(!ok, "only the lender pulls a sale");
                }
                (ok, format!("settle-sale {i} by {u} cancel={cancel} ok={ok}"))
            } else {
                let lots = rng.amount(50_000);
                let (order_type, expiry) = match rng.below(4) {
                    0 => (OrderType::FillOrKill, 0),
                    1 => (OrderType::Limit, ctx.now().await + 1 + rng.below(3_600) as i64),
                    _ => (OrderType::ImmediateOrCancel, 0),
                };
                let ix = sell_collateral(&k, &s.mk, &borrower.quote, order_type, price, lots, expiry);
                let ok = send(ctx, ix, &[&lender.key]).await;
                (ok, format!("sell {i} {order_type:?} {lots} @ {price} ok={ok}"))
            };
            let received = ctx.balance(lender.quote).await - before.0;
            s.loans[i].lender_received += received;
            if ok {
                let (was, loan) = (loan_before.unwrap(), loan_state(ctx, &k.loan).await);
                let surplus = ctx.balance(borrower.quote).await - before.1;
                let repaid = loan.recovered - was.recovered;
                assert_eq!(repaid, received, "what a sale repays goes to the lender");
                s.loans[i].recovered_by_sale += repaid;
                let sold = (loan.credits_seized - was.credits_seized) / LOT;
                if !settling {
                    assert!(repaid > 0 || loan.sale_credits > 0, "a sale repays something or rests");
                    // never under the floor: proceeds per lot sold at least the floor's net
                    let feed: compute_credits::state::PriceFeed = ctx.anchor_account(s.feed.feed).await;
                    let low = credit_math::price::Price::new(feed.price - feed.conf, feed.expo).unwrap();
                    let price =
                        credit_math::recovery::RecoveryPrice::new(low, credit_math::Bps(500), 6, 6).unwrap();
                    let floor = price.sale_floor(LOT, TICK).unwrap().0;
                    assert!(received + surplus >= sold * (floor * TICK - fee_per_lot(floor, TAKER_FEE_BPS)));
                }
            }
            what
        }
        14 => {
            // a deposit of either token into the user's seat (credits: at most half the wallet,
            // so the user still has some to top up its loans with)
            let (asset, held) = if rng.below(2) == 0 {
                (MarketAsset::Credits, ctx.balance(user.credits).await / 2)
            } else {
                (MarketAsset::Quote, ctx.balance(user.quote).await.min(2_000_000 * USD))
            };
            let amount = rng.amount(held);
            let ok = send(ctx, deposit(&s.mk, &user, s.seats[u], asset, amount), &[&user.key]).await;
            format!("deposit {u} {asset:?} {amount} ok={ok}")
        }
        15 => {
            let side = if rng.below(2) == 0 { OrderSide::Bid } else { OrderSide::Ask };
            let order_type = match rng.below(6) {
                0 => OrderType::PostOnly,
                1 => OrderType::ImmediateOrCancel,
                2 => OrderType::FillOrKill,
                _ => OrderType::Limit,
            };
            let price = 235 + rng.below(30);
            let lots = rng.amount(3_000);
            let ix =
                place_order_v2(&s.mk, &user.pubkey(), limit_v2(s.seats[u], side, order_type, price, lots));
            let ok = send(ctx, ix, &[&user.key]).await;
            format!("order {u} {side:?} {order_type:?} {lots} @ {price} ok={ok}")
        }
        16 => {
            // cancel one of the user's resting orders, or withdraw, credits possibly into the
            // second account
            let m = market_v2_state(ctx, &s.mk.market).await;
            let seat = s.seats[u];
            let (bids, asks) = (m.bids(), m.asks());
            let mine: Vec<_> = bids
                .orders()
                .iter()
                .map(|o| (OrderSide::Bid, *o))
                .chain(asks.orders().iter().map(|o| (OrderSide::Ask, *o)))
                .filter(|(_, o)| o.seat == seat)
                .collect();
            if mine.is_empty() || rng.below(2) == 0 {
                let st = m.seats[seat as usize];
                let (asset, free) = if rng.below(2) == 0 {
                    (MarketAsset::Credits, st.base_free.0)
                } else {
                    (MarketAsset::Quote, st.quote_free.0)
                };
                let to = User {
                    credits: if rng.below(2) == 0 { user.credits } else { s.extra[u] },
                    ..user.clone()
                };
                let amount = rng.amount(free);
                let ok = send(ctx, withdraw(&s.mk, &to, seat, asset, amount), &[&user.key]).await;
                return format!("market-withdraw {u} {asset:?} {amount} ok={ok}");
            }
            let (side, o) = mine[rng.below(mine.len() as u64) as usize];
            let ix = cancel_order_v2(&s.mk, &user.pubkey(), seat, side, o.price.0, o.seq);
            assert!(send(ctx, ix, &[&user.key]).await, "an owner can always cancel its order");
            format!("cancel {u} #{}", o.seq)
        }
        17 => {
            let ix = cancel_frozen_orders_v2(&s.mk, &user.credits, &user.pubkey());
            let ok = send(ctx, ix, &[]).await;
            assert_eq!(
                ok,
                ctx.token_account(user.credits).await.frozen,
                "pulls succeed exactly for frozen owners"
            );
            if !ok && rng.below(2) == 0 {
                // thawed: its seat's flag can be cleared
                let ok = send(ctx, clear_seat_freeze(&s.mk, &user.pubkey(), s.seats[u]), &[]).await;
                return format!("clear {u} ok={ok}");
            }
            format!("pull {u} ok={ok}")
        }
        _ => {
            // time passes (often past due dates) and the price moves within the breaker's bounds
            let dt = match rng.below(4) {
                0 => 1 + rng.below(120),
                1 => i64::from(PERIOD) as u64 + rng.below(i64::from(GRACE + CURE) as u64 + 600),
                _ => 60 + rng.below(1_800),
            };
            ctx.advance_clock(dt as i64).await;
            let moved = s.price * (9_200 + rng.below(1_601) as i64) / 10_000;
            let price = moved.clamp(100_000_000, 400_000_000);
            s.set_price(ctx, price).await;
            format!("time +{dt}s, price {price}")
        }
    }
}

/// Every invariant of the header, read from the bank.
async fn check(ctx: &mut TestContext, s: &mut Soak, what: &str) {
    // credits: supply = minted - burned = wallets + open vaults + the market
    let class: compute_credits::state::CreditClass = ctx.anchor_account(s.c.class).await;
    let supply = ctx.mint_supply(s.c.mint).await;
    assert_eq!(supply, class.minted - class.burned, "{what}: supply");
    let mut credits = ctx.balance(s.mk.base_vault).await;
    for (_, account) in s.credit_accounts() {
        credits += ctx.balance(account).await;
    }
    let mut quote = ctx.balance(s.f.treasury_quote).await + ctx.balance(s.mk.quote_vault).await;
    for u in &s.users {
        quote += ctx.balance(u.quote).await;
    }
    let mut states = Vec::with_capacity(s.loans.len());
    let mut closed = Vec::with_capacity(s.loans.len());
    for l in &s.loans {
        if ctx.account(l.k.loan).await.is_none() {
            assert!(ctx.account(l.k.vault).await.is_none() && ctx.account(l.k.escrow).await.is_none());
            states.push(None);
            closed.push(true);
            continue;
        }
        let vault = ctx.balance(l.k.vault).await;
        credits += vault;
        quote += ctx.balance(l.k.escrow).await;
        let loan = loan_state(ctx, &l.k.loan).await;
        let ledger = loan.ledger();
        if l.accepted {
            // the vault holds what origination put in, less what left, plus top-ups
            // (and what is out on the market in a sale)
            let expected = loan.credits_at_origination + l.moved_in
                - l.moved_out
                - loan.credits_seized
                - loan.sale_credits;
            assert_eq!(vault, expected, "{what}: vault of loan {}", l.k.loan_id);
            // principal is paid, outstanding, or (after a shortfall) written off
            let principal = ledger.principal_paid + ledger.principal_outstanding;
            if loan.written_off == 0 {
                assert_eq!(principal, ledger.principal, "{what}: principal");
            } else {
                assert!(
                    principal <= ledger.principal && ledger.principal_outstanding == 0,
                    "{what}: write-off"
                );
            }
            // the lender received exactly what the ledger booked, less what it took in kind
            let booked = ledger.principal_paid + ledger.interest_paid + ledger.fees_paid;
            assert_eq!(
                l.lender_received + l.recovered_in_kind,
                booked,
                "{what}: lender of loan {}",
                l.k.loan_id
            );
            assert_eq!(loan.recovered, l.recovered_in_kind + l.recovered_by_sale, "{what}: recovered");
        } else {
            assert_eq!(loan.status(), LoanStatus::Offered);
        }
        states.push(Some(loan));
        closed.push(false);
    }
    for (l, gone) in s.loans.iter_mut().zip(closed) {
        l.closed = gone;
    }
    assert_eq!(credits, supply, "{what}: every credit atom is somewhere known");
    assert_eq!(quote, USERS as u64 * QUOTE_EACH, "{what}: every quote atom is somewhere known");

    // the market: vaults = the header's totals = seats (+ the treasury's fees); locks = the
    // book; each loan's seat holds no more than the loan counts on the market
    let m = market_v2_state(ctx, &s.mk.market).await;
    let h = m.header();
    let seats = &m.seats[..h.seat_count as usize];
    let (base, quote_seats): (u64, u64) = seats.iter().fold((0, 0), |(b, q), st| {
        (b + st.base_free.0 + st.base_locked.0, q + st.quote_free.0 + st.quote_locked.0)
    });
    assert_eq!(ctx.balance(s.mk.base_vault).await, base, "{what}: base vault");
    assert_eq!(h.base_total.0, base, "{what}: base total");
    assert_eq!(ctx.balance(s.mk.quote_vault).await, quote_seats + h.treasury_fees.0, "{what}: quote vault");
    assert_eq!(h.quote_total.0, quote_seats + h.treasury_fees.0, "{what}: quote total");
    let (bids, asks) = (m.bids(), m.asks());
    for (i, st) in seats.iter().enumerate() {
        let ask_lock: u64 = asks.orders().iter().filter(|o| o.seat == i as u32).map(|o| o.lots.0 * LOT).sum();
        let bid_lock: u64 = bids
            .orders()
            .iter()
            .filter(|o| o.seat == i as u32)
            .map(|o| o.lots.0 * (o.price.0 * TICK + fee_per_lot(o.price.0, MAKER_FEE_BPS)))
            .sum();
        assert_eq!((st.base_locked.0, st.quote_locked.0), (ask_lock, bid_lock), "{what}: locks of seat {i}");
        if let Some(Some(loan)) =
            s.loans.iter().zip(&states).find(|(l, _)| l.k.loan.to_bytes() == st.owner).map(|(_, st)| st)
        {
            assert!(st.base_free.0 + st.base_locked.0 <= loan.sale_credits, "{what}: loan seat {i}");
            assert_eq!(st.quote_locked.0, 0, "{what}: a loan's seat never bids");
        }
    }

    // holds: frozen exactly while held; per owner, the holds add up
    let mut per_owner = [0u32; USERS];
    for (owner, account) in s.credit_accounts() {
        let frozen = ctx.token_account(account).await.frozen;
        let record = freeze_hold_pda(&account);
        let (guardian, loans) = match ctx.account(record).await {
            Some(_) => {
                let h: FreezeHold = ctx.anchor_account(record).await;
                (h.guardian != 0, u32::from(h.loans))
            }
            None => (false, 0),
        };
        assert_eq!(frozen, guardian || loans > 0, "{what}: frozen exactly while held");
        per_owner[owner] += u32::from(guardian) + loans;
        let listed: usize = states
            .iter()
            .flatten()
            .map(|l| l.held_accounts().iter().filter(|k| **k == account).count())
            .sum();
        assert_eq!(listed as u32, loans, "{what}: the loans that hold the account list it");
    }
    for (u, user) in s.users.iter().enumerate() {
        let record = owner_holds_pda(&s.c.mint, &user.pubkey());
        let holds = match ctx.account(record).await {
            Some(_) => ctx.anchor_account::<OwnerHolds>(record).await.holds,
            None => 0,
        };
        assert_eq!(holds, per_owner[u], "{what}: holds of owner {u}");
    }
}

async fn soak(seed: u64, kind: TokenKind) {
    let steps: usize = std::env::var("CREDITS_SOAK_STEPS").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000);
    let mut ctx = TestContext::start().await;
    let mut s = Soak::new(&mut ctx, kind).await;
    let mut rng = Rng(seed);
    let mut tally = std::collections::BTreeMap::<String, (u32, u32)>::new();
    for i in 0..steps {
        let what = step(&mut ctx, &mut s, &mut rng).await;
        check(&mut ctx, &mut s, &format!("seed {seed:#x} step {i}: {what}")).await;
        let action = what.split_whitespace().next().unwrap_or_default().to_string();
        let entry = tally.entry(action).or_default();
        entry.0 += 1;
        entry.1 += u32::from(!what.contains("ok=false"));
    }
    println!("seed {seed:#x}: {tally:?}");
    // the run reached every family: a soak whose actions all fail would prove nothing
    if steps >= 2_000 {
        for action in [
            "accept",
            "repay",
            "freeze",
            "thaw",
            "liquidate",
            "release",
            "order",
            "deposit",
            "market-withdraw",
            "top",
        ] {
            let (_, ok) = tally.get(action).copied().unwrap_or_default();
            assert!(ok >= 1, "seed {seed:#x}: no successful {action} in {steps} steps: {tally:?}");
        }
    }
}

#[tokio::test]
async fn soak_seed_1() {
    soak(0x5eed_0001_c0ff_ee01, TokenKind::Token2022).await;
    // `scripts/soak`: `CREDITS_SOAK_SEEDS` more seeds here (none in the normal run)
    let more: u64 = std::env::var("CREDITS_SOAK_SEEDS").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    for n in 0..more {
        let kind = if n % 2 == 0 { TokenKind::Token2022 } else { TokenKind::Spl };
        soak(0x50a6_0000_0000_0001 + n * 0x9e37_79b9, kind).await;
    }
}

#[tokio::test]
async fn soak_seed_2() {
    soak(0x5eed_0002_badc_0ff2, TokenKind::Spl).await;
}

#[tokio::test]
async fn soak_seed_3() {
    soak(0x5eed_0003_feed_beef, TokenKind::Token2022).await;
}

#[tokio::test]
async fn soak_seed_4() {
    soak(0x5eed_0004_dead_f00d, TokenKind::Spl).await;
}

#[tokio::test]
async fn soak_seed_5() {
    soak(0x5eed_0005_0ddb_a11f, TokenKind::Token2022).await;
}
