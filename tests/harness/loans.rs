//! Loan fixtures: the default lending parameters (short periods so tests move the clock in
//! hours, not months), the keys of a fixture's loan, and a world that takes a loan from offer to
//! origination. The builders are `credit_client::ix::loans`, re-exported here.
use anchor_lang::prelude::Pubkey;
use compute_credits::{LendingParams, LoanKind, OfferTerms};
use credit_math::ledger::{LoanLedger, LoanStatus};
use solana_sdk::signature::Signer;

use credit_client::defaults::{self, Periods};
pub use credit_client::ix::loans::*;
pub use credit_client::pda::{lending_config as lending_pda, loan as loan_pda};
pub use credit_client::{ClassKeys, LoanKeys};

use crate::context::{TestContext, TxResult};
use crate::fixtures::{ClassFixture, PlatformFixture, User};
use crate::oracle::NativeFeed;

/// One installment period in the tests: an hour stands for a month.
pub const PERIOD: u32 = Periods::HOURLY.period_secs;
pub const GRACE: u32 = Periods::HOURLY.grace_secs;
pub const CURE: u32 = Periods::HOURLY.cure_secs;
pub const MARGIN_CALL: u32 = Periods::HOURLY.margin_call_secs;
/// Quote atoms per dollar (6 decimals).
pub const USD: u64 = 1_000_000;

/// The protocol's default terms (`credit_client::defaults`: $100K..$10M, 8%..12% APR, 6..36
/// installments, 125/110/105%) on the tests' hourly clock.
pub fn default_lending_params() -> LendingParams {
    defaults::lending_params_with(Periods::HOURLY)
}

/// The class keys of a fixture's class in the platform's quote currency.
pub fn class_keys(f: &PlatformFixture, c: &ClassFixture) -> ClassKeys {
    ClassKeys {
        class: c.class,
        credit_mint: c.mint,
        quote_mint: f.quote_mint,
        credit_program: c.program,
        quote_program: f.quote_program,
    }
}

/// The keys of loan `loan_id` of `lender` on a fixture's class.
pub fn loan_keys(
    f: &PlatformFixture,
    c: &ClassFixture,
    lender: &User,
    borrower: &Pubkey,
    loan_id: u64,
) -> LoanKeys {
    LoanKeys::new(&class_keys(f, c), &lender.pubkey(), &lender.quote, borrower, loan_id, &f.treasury_quote)
}

/// Terms of the seed loan: $1,000,000, 10% APR, 24 months, Series A, 150/120/110%. Open
/// (no borrower named): `LoanWorld::offer` names its borrower for compute financing.
pub fn seed_terms(loan_id: u64, kind: LoanKind, schedule: u8) -> OfferTerms {
    OfferTerms {
        loan_id,
        borrower: Pubkey::default(),
        kind,
        schedule,
        principal: 1_000_000 * USD,
        apr_bps: 1_000,
        periods: 24,
        borrower_tier: 2,
        initial_bps: 15_000,
        maintenance_bps: 12_000,
        liquidation_bps: 11_000,
    }
}

/// A platform with a lending config, an oracle-priced class and funded parties.
pub struct LoanWorld {
    pub f: PlatformFixture,
    pub c: ClassFixture,
    pub feed: NativeFeed,
    pub lender: User,
    pub borrower: User,
    next_id: u64,
    /// The tier of the borrower's current approval, if it has one.
    approved_tier: Option<u8>,
}

/// The world's approvals allow $100M in all and last a century: tests that are not about the
/// approval never run into its limits.
pub const APPROVAL_MAX: u64 = 100_000_000 * USD;
pub const APPROVAL_SECS: i64 = 100 * 365 * 86_400;

/// Feed prices use exponent -8: $2.50 per GPU-hour, +- $0.01.
pub const PRICE: i64 = 250_000_000;
pub const CONF: u64 = 1_000_000;

impl LoanWorld {
    pub async fn new(ctx: &mut TestContext, kind: crate::fixtures::TokenKind) -> LoanWorld {
        let f = PlatformFixture::new(ctx, crate::fixtures::TokenKind::Spl).await;
        let c = f.create_class(ctx, kind).await;
        ctx.send(&[configure_lending(&f.admin.pubkey(), default_lending_params())], &[&f.admin])
            .await
            .unwrap();
        let feed = f.native_feed(ctx, &c, 1, 1).await;
        let lender = f.user(ctx, &c, 20_000_000 * USD).await;
        let borrower = f.user(ctx, &c, 3_000_000 * USD).await;
        let mut w = LoanWorld { f, c, feed, lender, borrower, next_id: 0, approved_tier: None };
        w.set_price(ctx, PRICE).await;
        w
    }

    /// The single publisher reports `price` (exponent -8) now.
    pub async fn set_price(&mut self, ctx: &mut TestContext, price: i64) {
        self.feed.submit_all(ctx, &[price], CONF).await;
    }

    /// A fresh price after the clock moved (prices go stale in two minutes).
    pub async fn advance(&mut self, ctx: &mut TestContext, secs: i64, price: i64) {
        ctx.advance_clock(secs).await;
        self.set_price(ctx, price).await;
    }

    pub fn keys(&mut self) -> LoanKeys {
        self.next_id += 1;
        loan_keys(&self.f, &self.c, &self.lender, &self.borrower.pubkey(), self.next_id)
    }

    /// The underwriter approves the world's borrower at `tier` (replacing an approval at
    /// another tier; the running total starts again), with the world's limits.
    pub async fn approve(&mut self, ctx: &mut TestContext, tier: u8) {
        if self.approved_tier == Some(tier) {
            return;
        }
        let borrower = self.borrower.pubkey();
        if self.approved_tier.is_some() {
            self.f.revoke(ctx, &borrower).await.unwrap();
        }
        let expires_at = ctx.now().await + APPROVAL_SECS;
        self.f.approve(ctx, &borrower, tier, APPROVAL_MAX, expires_at).await.unwrap();
        self.approved_tier = Some(tier);
    }

    /// Posts `terms` from the world's lender. Compute financing is offered to the world's
    /// borrower (named if the terms leave it open), approved by the underwriter at the terms'
    /// tier first.
    pub async fn offer(&mut self, ctx: &mut TestContext, terms: OfferTerms) -> (LoanKeys, TxResult) {
        let mut k = self.keys();
        let mut terms = OfferTerms { loan_id: k.loan_id, ..terms };
        if terms.kind == LoanKind::ComputeFinancing {
            if terms.borrower == Pubkey::default() {
                terms.borrower = self.borrower.pubkey();
            }
            if terms.borrower == self.borrower.pubkey() {
                self.approve(ctx, terms.borrower_tier).await;
            }
        }
        k.loan_id = terms.loan_id;
        let r = ctx.send(&[post_loan_offer(&k, terms)], &[&self.lender.key]).await;
        (k, r)
    }

    /// Offers `terms` and has the borrower accept (pledging `pledge` for credit-backed loans).
    pub async fn originate(&mut self, ctx: &mut TestContext, terms: OfferTerms, pledge: u64) -> LoanKeys {
        let (k, r) = self.offer(ctx, terms).await;
        r.result.unwrap();
        let r = self.accept(ctx, &k, terms.kind, pledge).await;
        assert!(r.is_ok(), "accept failed: {:?}\n{:#?}", r.result, r.logs);
        k
    }

    pub async fn accept(
        &mut self,
        ctx: &mut TestContext,
        k: &LoanKeys,
        kind: LoanKind,
        pledge: u64,
    ) -> TxResult {
        let ix = match kind {
            LoanKind::ComputeFinancing => accept_loan(k, &self.f.treasury_quote, None, 0, 0),
            LoanKind::CreditBacked => {
                accept_loan(k, &self.borrower.quote, Some(self.borrower.credits), pledge, 0)
            }
        };
        ctx.send(&[ix], &[&self.borrower.key]).await
    }

    /// The borrower pays up to `amount` from its own quote account.
    pub async fn repay(&mut self, ctx: &mut TestContext, k: &LoanKeys, amount: u64) -> TxResult {
        ctx.send(
            &[repay_loan(k, &self.borrower.pubkey(), &self.borrower.quote, amount)],
            &[&self.borrower.key],
        )
        .await
    }

    pub async fn crank(&mut self, ctx: &mut TestContext, k: &LoanKeys) -> TxResult {
        ctx.send(&[update_loan(k)], &[]).await
    }
}

/// The loan account as the program stores it.
pub async fn loan_state(ctx: &mut TestContext, loan: &Pubkey) -> compute_credits::state::Loan {
    let acc = ctx.account(*loan).await.expect("loan exists");
    *bytemuck::from_bytes(&acc.data[8..])
}

pub async fn ledger(ctx: &mut TestContext, loan: &Pubkey) -> LoanLedger {
    loan_state(ctx, loan).await.ledger()
}

pub async fn status(ctx: &mut TestContext, loan: &Pubkey) -> LoanStatus {
    loan_state(ctx, loan).await.status()
}

/// The underwriter's approval as the program stores it.
pub async fn approval_state(
    ctx: &mut TestContext,
    approval: &Pubkey,
) -> compute_credits::state::UnderwritingApproval {
    let acc = ctx.account(*approval).await.expect("approval exists");
    *bytemuck::from_bytes(&acc.data[8..])
}
