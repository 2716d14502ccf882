//! Loan builders and fixtures: one builder per loan instruction over a [`LoanKeys`] bundle, the
//! default lending parameters (short periods so tests move the clock in hours, not months), and
//! a fixture that takes a loan from offer to origination.
use anchor_lang::prelude::Pubkey;
use anchor_lang::{InstructionData, ToAccountMetas};
use compute_credits::constants::{ESCROW_SEED, LENDING_SEED, LOAN_SEED, VAULT_SEED};
use compute_credits::{accounts as acc, instruction as ix, LendingParams, LoanKind, OfferTerms};
use credit_math::ledger::{LoanLedger, LoanStatus};
use solana_sdk::instruction::{AccountMeta, Instruction};
use solana_sdk::signature::Signer;

use crate::builders::{
    approval_pda, freeze_hold_pda, held_pair, owner_holds_pda, platform_pda, price_feed_pda, provider_pda,
    with_extra_accounts, SYSTEM_PROGRAM,
};
use crate::context::{TestContext, TxResult};
use crate::fixtures::{ClassFixture, PlatformFixture, User};
use crate::oracle::NativeFeed;

/// One installment period in the tests: an hour stands for a month.
pub const PERIOD: u32 = 3_600;
pub const GRACE: u32 = 600;
pub const CURE: u32 = 1_200;
pub const MARGIN_CALL: u32 = 900;
/// Quote atoms per dollar (6 decimals).
pub const USD: u64 = 1_000_000;

pub fn lending_pda() -> Pubkey {
    Pubkey::find_program_address(&[LENDING_SEED], &compute_credits::ID).0
}

pub fn loan_pda(lender: &Pubkey, loan_id: u64) -> Pubkey {
    Pubkey::find_program_address(&[LOAN_SEED, lender.as_ref(), &loan_id.to_le_bytes()], &compute_credits::ID)
        .0
}

/// The platform defaults of the issue: $100K..$10M, 8%..12% APR, 6..36 months, 150/120/110%.
pub fn default_lending_params() -> LendingParams {
    LendingParams {
        min_principal: 100_000,
        max_principal: 10_000_000,
        min_apr_bps: 800,
        max_apr_bps: 1_200,
        min_periods: 6,
        max_periods: 36,
        period_secs: PERIOD,
        grace_secs: GRACE,
        cure_secs: CURE,
        margin_call_secs: MARGIN_CALL,
        late_fee_bps: 200,
        prepay_fee_bps: 100,
        prepay_periods: 12,
        liquidation_discount_bps: 500,
        min_initial_bps: 12_500,
        min_maintenance_bps: 11_000,
        min_liquidation_bps: 10_500,
        multipliers: credit_math::underwriting::default_table(),
    }
}

/// Every key a loan instruction names.
#[derive(Clone, Copy, Debug)]
pub struct LoanKeys {
    pub loan: Pubkey,
    pub loan_id: u64,
    pub lender: Pubkey,
    pub borrower: Pubkey,
    pub class: Pubkey,
    pub credit_mint: Pubkey,
    pub quote_mint: Pubkey,
    pub escrow: Pubkey,
    pub vault: Pubkey,
    pub lender_quote: Pubkey,
    pub credit_program: Pubkey,
    pub quote_program: Pubkey,
    pub price_feed: Pubkey,
    /// The platform treasury's quote account (origination fees of credit-backed loans).
    pub treasury_quote: Pubkey,
    /// The underwriter's approval of `borrower` in the quote currency (compute financing).
    pub approval: Pubkey,
}

impl LoanKeys {
    pub fn new(
        f: &PlatformFixture,
        c: &ClassFixture,
        lender: &User,
        borrower: &Pubkey,
        loan_id: u64,
    ) -> Self {
        let loan = loan_pda(&lender.pubkey(), loan_id);
        LoanKeys {
            loan,
            loan_id,
            lender: lender.pubkey(),
            borrower: *borrower,
            class: c.class,
            credit_mint: c.mint,
            quote_mint: f.quote_mint,
            escrow: Pubkey::find_program_address(&[ESCROW_SEED, loan.as_ref()], &compute_credits::ID).0,
            vault: Pubkey::find_program_address(&[VAULT_SEED, loan.as_ref()], &compute_credits::ID).0,
            lender_quote: lender.quote,
            credit_program: c.program,
            quote_program: f.quote_program,
            price_feed: price_feed_pda(&c.class),
            treasury_quote: f.treasury_quote,
            approval: approval_pda(borrower, &f.quote_mint),
        }
    }
}

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: compute_credits::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

pub fn configure_lending(admin: &Pubkey, params: LendingParams) -> Instruction {
    build(
        acc::ConfigureLending {
            admin: *admin,
            platform: platform_pda(),
            lending_config: lending_pda(),
            system_program: SYSTEM_PROGRAM,
        },
        ix::ConfigureLending { params },
    )
}

/// Compute financing passes the approval of `k.borrower`; credit-backed offers pass none.
pub fn post_loan_offer(k: &LoanKeys, terms: OfferTerms) -> Instruction {
    build(
        acc::PostLoanOffer {
            lender: k.lender,
            platform: platform_pda(),
            lending_config: lending_pda(),
            class: k.class,
            loan: k.loan,
            credit_mint: k.credit_mint,
            quote_mint: k.quote_mint,
            lender_quote: k.lender_quote,
            escrow: k.escrow,
            vault: k.vault,
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
            system_program: SYSTEM_PROGRAM,
            approval: (terms.kind == LoanKind::ComputeFinancing).then_some(k.approval),
        },
        ix::PostLoanOffer { terms },
    )
}

pub fn cancel_loan_offer(k: &LoanKeys) -> Instruction {
    build(
        acc::CancelLoanOffer {
            lender: k.lender,
            loan: k.loan,
            quote_mint: k.quote_mint,
            escrow: k.escrow,
            vault: k.vault,
            lender_quote: k.lender_quote,
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
        },
        ix::CancelLoanOffer {},
    )
}

/// Credit-backed when `borrower_credits` is given (with the treasury's account for the fee);
/// compute financing otherwise (with the approval of `k.borrower`). `min_credits` is the
/// borrower's slippage guard.
pub fn accept_loan(
    k: &LoanKeys,
    principal_destination: &Pubkey,
    borrower_credits: Option<Pubkey>,
    pledge: u64,
    min_credits: u64,
) -> Instruction {
    build(
        acc::AcceptLoan {
            borrower: k.borrower,
            platform: platform_pda(),
            class: k.class,
            loan: k.loan,
            price_feed: k.price_feed,
            credit_mint: k.credit_mint,
            quote_mint: k.quote_mint,
            escrow: k.escrow,
            vault: k.vault,
            principal_destination: *principal_destination,
            borrower_credits,
            // credit-backed loans (the ones with a pledge source) pay the origination fee
            treasury_quote: borrower_credits.map(|_| k.treasury_quote),
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
            approval: borrower_credits.is_none().then_some(k.approval),
        },
        ix::AcceptLoan { pledge, min_credits },
    )
}

pub fn repay_loan(k: &LoanKeys, payer: &Pubkey, payer_quote: &Pubkey, max_amount: u64) -> Instruction {
    build(
        acc::RepayLoan {
            payer: *payer,
            loan: k.loan,
            class: k.class,
            quote_mint: k.quote_mint,
            payer_quote: *payer_quote,
            lender_quote: k.lender_quote,
            quote_token_program: k.quote_program,
        },
        ix::RepayLoan { max_amount },
    )
}

pub fn update_loan(k: &LoanKeys) -> Instruction {
    build(
        acc::UpdateLoan { loan: k.loan, class: k.class, price_feed: k.price_feed, vault: k.vault },
        ix::UpdateLoan {},
    )
}

/// The lender's freeze hold on `borrower_credits`, plus any `more` borrower accounts.
pub fn freeze_collateral(k: &LoanKeys, lender: &Pubkey, borrower_credits: &Pubkey) -> Instruction {
    freeze_collateral_more(k, lender, borrower_credits, &[])
}

pub fn freeze_collateral_more(
    k: &LoanKeys,
    lender: &Pubkey,
    borrower_credits: &Pubkey,
    more: &[Pubkey],
) -> Instruction {
    let ix = build(
        acc::FreezeCollateral {
            lender: *lender,
            loan: k.loan,
            class: k.class,
            price_feed: k.price_feed,
            credit_mint: k.credit_mint,
            vault: k.vault,
            borrower_credits: *borrower_credits,
            freeze_hold: freeze_hold_pda(borrower_credits),
            borrower_holds: owner_holds_pda(&k.credit_mint, &k.borrower),
            credit_token_program: k.credit_program,
            system_program: SYSTEM_PROGRAM,
        },
        ix::FreezeCollateral {},
    );
    with_held(ix, more)
}

fn with_held(ix: Instruction, held: &[Pubkey]) -> Instruction {
    let extra: Vec<AccountMeta> = held.iter().flat_map(held_pair).collect();
    with_extra_accounts(ix, &extra)
}

/// Lifts the loan's holds on `held` (anyone may send it).
pub fn thaw_collateral(k: &LoanKeys, held: &[Pubkey]) -> Instruction {
    let ix = build(
        acc::ThawCollateral {
            loan: k.loan,
            class: k.class,
            price_feed: k.price_feed,
            credit_mint: k.credit_mint,
            vault: k.vault,
            borrower_holds: owner_holds_pda(&k.credit_mint, &k.borrower),
            credit_token_program: k.credit_program,
        },
        ix::ThawCollateral {},
    );
    with_held(ix, held)
}

pub fn liquidate_collateral(k: &LoanKeys, lender_credits: &Pubkey, max_credits: u64) -> Instruction {
    build(
        acc::LiquidateCollateral {
            lender: k.lender,
            loan: k.loan,
            class: k.class,
            price_feed: k.price_feed,
            credit_mint: k.credit_mint,
            vault: k.vault,
            lender_credits: *lender_credits,
            lender_holds: owner_holds_pda(&k.credit_mint, &k.lender),
            credit_token_program: k.credit_program,
        },
        ix::LiquidateCollateral { max_credits },
    )
}

/// Closes a repaid or liquidated loan, lifting its holds on `held` first.
pub fn release_collateral(k: &LoanKeys, borrower_credits: &Pubkey, held: &[Pubkey]) -> Instruction {
    let ix = build(
        acc::ReleaseCollateral {
            loan: k.loan,
            lender: k.lender,
            class: k.class,
            credit_mint: k.credit_mint,
            quote_mint: k.quote_mint,
            vault: k.vault,
            escrow: k.escrow,
            lender_quote: k.lender_quote,
            borrower_credits: *borrower_credits,
            borrower_holds: owner_holds_pda(&k.credit_mint, &k.borrower),
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
        },
        ix::ReleaseCollateral {},
    );
    with_held(ix, held)
}

fn move_collateral(k: &LoanKeys, borrower_credits: &Pubkey, with_feed: bool) -> acc::MoveCollateral {
    acc::MoveCollateral {
        borrower: k.borrower,
        loan: k.loan,
        class: k.class,
        price_feed: with_feed.then_some(k.price_feed),
        credit_mint: k.credit_mint,
        vault: k.vault,
        borrower_credits: *borrower_credits,
        borrower_holds: owner_holds_pda(&k.credit_mint, &k.borrower),
        credit_token_program: k.credit_program,
    }
}

pub fn withdraw_collateral(
    k: &LoanKeys,
    borrower_credits: &Pubkey,
    amount: u64,
    with_feed: bool,
) -> Instruction {
    build(move_collateral(k, borrower_credits, with_feed), ix::WithdrawCollateral { amount })
}

pub fn top_up_collateral(k: &LoanKeys, borrower_credits: &Pubkey, amount: u64) -> Instruction {
    build(move_collateral(k, borrower_credits, false), ix::TopUpCollateral { amount })
}

pub fn redeem_from_vault(
    k: &LoanKeys,
    provider_authority: &Pubkey,
    amount: u64,
    usage_reference: [u8; 32],
    with_feed: bool,
) -> Instruction {
    build(
        acc::RedeemFromVault {
            borrower: k.borrower,
            provider_authority: *provider_authority,
            loan: k.loan,
            class: k.class,
            provider: provider_pda(&k.class, provider_authority),
            price_feed: with_feed.then_some(k.price_feed),
            credit_mint: k.credit_mint,
            vault: k.vault,
            borrower_holds: owner_holds_pda(&k.credit_mint, &k.borrower),
            credit_token_program: k.credit_program,
        },
        ix::RedeemFromVault { amount, usage_reference },
    )
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
        LoanKeys::new(&self.f, &self.c, &self.lender, &self.borrower.pubkey(), self.next_id)
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
