//! Ready-made worlds: a platform with its quote currency and treasury, classes, funded users.
use anchor_lang::prelude::Pubkey;
use compute_credits::{ApprovalTerms, CreateCreditClassArgs, FeeSettings};
use solana_sdk::signature::{Keypair, Signer};

use crate::builders::{self, Purchase, Redeem};
use crate::context::{TestContext, TxResult};
use crate::token::{SPL_TOKEN, TOKEN_2022};

/// Which token program a mint lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Spl,
    Token2022,
}

impl TokenKind {
    pub fn program(self) -> Pubkey {
        match self {
            TokenKind::Spl => SPL_TOKEN,
            TokenKind::Token2022 => TOKEN_2022,
        }
    }
}

pub const QUOTE_DECIMALS: u8 = 6;
pub const CREDIT_DECIMALS: u8 = 6;
/// $2.50 per GPU-hour in quote atoms.
pub const LIST_PRICE: u64 = 2_500_000;
pub const PURCHASE_FEE_BPS: u16 = 100;
pub const ORIGINATION_FEE_BPS: u16 = 50;
pub const SOL: u64 = 1_000_000_000;

/// The fixtures' underwriter: a fixed key outside `TestContext::keypair`'s sequence, so naming
/// it moves no other key (keys decide PDA bump searches, and so the measured compute units).
pub fn underwriter_keypair() -> Keypair {
    Keypair::new_from_array([0x75; 32])
}

pub fn default_fees() -> FeeSettings {
    FeeSettings { purchase_fee_bps: PURCHASE_FEE_BPS, origination_fee_bps: ORIGINATION_FEE_BPS }
}

/// A platform (admin, guardian, treasury) with a USDC-like quote mint the payer controls.
pub struct PlatformFixture {
    pub admin: Keypair,
    pub guardian: Keypair,
    pub treasury: Keypair,
    /// Signs borrower approvals for compute financing (named by `new`).
    pub underwriter: Keypair,
    pub platform: Pubkey,
    pub quote_mint: Pubkey,
    pub quote_program: Pubkey,
    pub treasury_quote: Pubkey,
}

/// A credit class and its mint.
#[derive(Clone, Copy, Debug)]
pub struct ClassFixture {
    pub class_id: u32,
    pub class: Pubkey,
    pub mint: Pubkey,
    pub program: Pubkey,
    pub kind: TokenKind,
    pub decimals: u8,
    pub list_price: u64,
}

/// A wallet with quote tokens and a credit account of one class.
pub struct User {
    pub key: Keypair,
    pub quote: Pubkey,
    pub credits: Pubkey,
}

impl Clone for User {
    fn clone(&self) -> Self {
        User { key: self.key.insecure_clone(), quote: self.quote, credits: self.credits }
    }
}

impl User {
    pub fn pubkey(&self) -> Pubkey {
        self.key.pubkey()
    }
}

pub fn class_args(class_id: u32, list_price: u64) -> CreateCreditClassArgs {
    CreateCreditClassArgs {
        class_id,
        name: "H100 GPU-hour".into(),
        symbol: "H100H".into(),
        uri: "https://credits.example/h100.json".into(),
        unit: "H100 GPU-hour".into(),
        decimals: CREDIT_DECIMALS,
        list_price,
    }
}

impl PlatformFixture {
    /// Keys and a quote mint, but no `initialize_platform` yet. The admin is the program's
    /// upgrade authority (funded at genesis), the only key `initialize_platform` accepts.
    pub async fn keys(ctx: &mut TestContext, quote: TokenKind) -> PlatformFixture {
        let admin = ctx.upgrade_authority();
        let guardian = ctx.funded_keypair(SOL).await;
        let treasury = ctx.keypair();
        let quote_mint = ctx.create_mint(quote.program(), QUOTE_DECIMALS).await;
        let treasury_quote = ctx.ata(&treasury.pubkey(), &quote_mint, &quote.program()).await;
        PlatformFixture {
            admin,
            guardian,
            treasury,
            underwriter: underwriter_keypair(),
            platform: builders::platform_pda(),
            quote_mint,
            quote_program: quote.program(),
            treasury_quote,
        }
    }

    /// An initialised platform with the default fees and its underwriter named.
    pub async fn new(ctx: &mut TestContext, quote: TokenKind) -> PlatformFixture {
        let f = Self::keys(ctx, quote).await;
        let ix = builders::initialize_platform(
            &f.admin.pubkey(),
            &f.guardian.pubkey(),
            &f.treasury.pubkey(),
            default_fees(),
        );
        ctx.send(&[ix], &[&f.admin]).await.unwrap();
        let fund = anchor_lang::solana_program::system_instruction::transfer(
            &ctx.payer().pubkey(),
            &f.underwriter.pubkey(),
            SOL,
        );
        let name = builders::set_underwriter(&f.admin.pubkey(), &f.underwriter.pubkey());
        ctx.send(&[fund, name], &[&f.admin]).await.unwrap();
        f
    }

    /// The underwriter approves `borrower` for compute financing in this platform's quote
    /// currency: `tier`, up to `max_principal` quote atoms in all, until `expires_at`.
    pub async fn approve(
        &self,
        ctx: &mut TestContext,
        borrower: &Pubkey,
        tier: u8,
        max_principal: u64,
        expires_at: i64,
    ) -> TxResult {
        let terms = ApprovalTerms {
            borrower: *borrower,
            quote_mint: self.quote_mint,
            tier,
            max_principal,
            expires_at,
        };
        let ix = builders::approve_borrower(&self.underwriter.pubkey(), terms);
        ctx.send(&[ix], &[&self.underwriter]).await
    }

    /// The underwriter withdraws its approval of `borrower` in this platform's quote currency.
    pub async fn revoke(&self, ctx: &mut TestContext, borrower: &Pubkey) -> TxResult {
        let approval = builders::approval_pda(borrower, &self.quote_mint);
        let ix = builders::revoke_approval(&self.underwriter.pubkey(), &approval);
        ctx.send(&[ix], &[&self.underwriter]).await
    }

    pub fn create_class_ix(
        &self,
        class_id: u32,
        kind: TokenKind,
        list_price: u64,
    ) -> solana_sdk::instruction::Instruction {
        builders::create_credit_class(
            &self.admin.pubkey(),
            class_args(class_id, list_price),
            &self.quote_mint,
            &kind.program(),
            &self.quote_program,
        )
    }

    pub fn class_fixture(&self, class_id: u32, kind: TokenKind, list_price: u64) -> ClassFixture {
        let class = builders::class_pda(class_id);
        ClassFixture {
            class_id,
            class,
            mint: builders::credit_mint_pda(&class),
            program: kind.program(),
            kind,
            decimals: CREDIT_DECIMALS,
            list_price,
        }
    }

    /// Creates the next class (ids are sequential).
    pub async fn create_class(&self, ctx: &mut TestContext, kind: TokenKind) -> ClassFixture {
        let platform: compute_credits::state::Platform = ctx.anchor_account(self.platform).await;
        let id = platform.class_count;
        ctx.send(&[self.create_class_ix(id, kind, LIST_PRICE)], &[&self.admin]).await.unwrap();
        self.class_fixture(id, kind, LIST_PRICE)
    }

    /// A funded wallet holding `quote_amount` quote atoms and an empty credit account.
    pub async fn user(&self, ctx: &mut TestContext, class: &ClassFixture, quote_amount: u64) -> User {
        let key = ctx.funded_keypair(SOL).await;
        let quote = ctx.ata(&key.pubkey(), &self.quote_mint, &self.quote_program).await;
        if quote_amount > 0 {
            ctx.mint_to(&self.quote_mint, &self.quote_program, &quote, quote_amount).await;
        }
        let credits = ctx.ata(&key.pubkey(), &class.mint, &class.program).await;
        User { key, quote, credits }
    }

    pub fn purchase(&self, class: &ClassFixture, buyer: &User) -> Purchase {
        Purchase {
            buyer: buyer.pubkey(),
            class: class.class,
            credit_mint: class.mint,
            quote_mint: self.quote_mint,
            buyer_quote: buyer.quote,
            treasury_quote: self.treasury_quote,
            recipient_credits: buyer.credits,
            credit_token_program: class.program,
            quote_token_program: self.quote_program,
            price_feed: None,
        }
    }

    /// Buys `amount` credit atoms for `buyer` at the list price.
    pub async fn buy(
        &self,
        ctx: &mut TestContext,
        class: &ClassFixture,
        buyer: &User,
        amount: u64,
    ) -> TxResult {
        let ix = builders::purchase_credits(&self.purchase(class, buyer), amount, class.list_price);
        ctx.send(&[ix], &[&buyer.key]).await
    }

    /// Registers a new provider for `class` and returns its keypair.
    pub async fn provider(&self, ctx: &mut TestContext, class: &ClassFixture) -> Keypair {
        let provider = ctx.funded_keypair(SOL).await;
        let ix = builders::register_provider(&self.admin.pubkey(), &class.class, &provider.pubkey());
        ctx.send(&[ix], &[&self.admin]).await.unwrap();
        provider
    }

    pub fn redeem(&self, class: &ClassFixture, holder: &User, provider: &Pubkey) -> Redeem {
        Redeem {
            holder: holder.pubkey(),
            provider_authority: *provider,
            class: class.class,
            credit_mint: class.mint,
            holder_credits: holder.credits,
            credit_token_program: class.program,
        }
    }
}
