//! Market builders and fixtures: a market on a credit class, traders with credits and quote,
//! and the book decoded from the account.
use anchor_lang::prelude::Pubkey;
use anchor_lang::{InstructionData, ToAccountMetas};
use compute_credits::constants::{BASE_VAULT_SEED, MARKET_AUTHORITY_SEED, MARKET_SEED, QUOTE_VAULT_SEED};
use compute_credits::state::{Market, MarketBook};
use compute_credits::{accounts as acc, instruction as ix, MarketParams, OrderArgs, OrderSide, OrderType};
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::{Keypair, Signer};

use crate::builders::{platform_pda, SYSTEM_PROGRAM};
use crate::context::{TestContext, TxResult};
use crate::fixtures::{ClassFixture, PlatformFixture, TokenKind, User};
use crate::loans::USD;

/// One credit per lot, $0.01 per tick: 250 ticks = $2.50 a GPU-hour.
pub const LOT: u64 = 1_000_000;
pub const TICK: u64 = 10_000;
pub const MAKER_FEE_BPS: u16 = 10;
pub const TAKER_FEE_BPS: u16 = 30;

/// Quote atoms of a fee per lot at `price` ticks, rounded up (the program's `fee_per_lot`).
pub fn fee_per_lot(price: u64, bps: u16) -> u64 {
    (price * TICK * u64::from(bps)).div_ceil(10_000)
}

pub fn market_params() -> MarketParams {
    MarketParams {
        lot_size: LOT,
        tick_size: TICK,
        min_lots: 1,
        maker_fee_bps: MAKER_FEE_BPS,
        taker_fee_bps: TAKER_FEE_BPS,
    }
}

pub fn market_authority(market: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[MARKET_AUTHORITY_SEED, market.as_ref()], &compute_credits::ID).0
}

/// Every key a market instruction names.
#[derive(Clone, Copy, Debug)]
pub struct MarketKeys {
    pub market: Pubkey,
    pub registration: Pubkey,
    pub authority: Pubkey,
    pub class: Pubkey,
    pub credit_mint: Pubkey,
    pub quote_mint: Pubkey,
    pub base_vault: Pubkey,
    pub quote_vault: Pubkey,
    pub treasury_quote: Pubkey,
    pub credit_program: Pubkey,
    pub quote_program: Pubkey,
}

impl MarketKeys {
    pub fn new(f: &PlatformFixture, c: &ClassFixture, market: Pubkey) -> Self {
        let authority = market_authority(&market);
        let registration = Pubkey::find_program_address(
            &[MARKET_SEED, c.class.as_ref(), f.quote_mint.as_ref()],
            &compute_credits::ID,
        )
        .0;
        MarketKeys {
            market,
            registration,
            authority,
            class: c.class,
            credit_mint: c.mint,
            quote_mint: f.quote_mint,
            base_vault: Pubkey::find_program_address(
                &[BASE_VAULT_SEED, market.as_ref()],
                &compute_credits::ID,
            )
            .0,
            quote_vault: Pubkey::find_program_address(
                &[QUOTE_VAULT_SEED, market.as_ref()],
                &compute_credits::ID,
            )
            .0,
            treasury_quote: f.treasury_quote,
            credit_program: c.program,
            quote_program: f.quote_program,
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

pub fn create_market(admin: &Pubkey, k: &MarketKeys, params: MarketParams) -> Instruction {
    build(
        acc::CreateMarket {
            admin: *admin,
            platform: platform_pda(),
            class: k.class,
            market: k.market,
            registration: k.registration,
            market_authority: k.authority,
            credit_mint: k.credit_mint,
            quote_mint: k.quote_mint,
            base_vault: k.base_vault,
            quote_vault: k.quote_vault,
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
            system_program: SYSTEM_PROGRAM,
        },
        ix::CreateMarket { params },
    )
}

pub fn place_order(k: &MarketKeys, trader: &User, args: OrderArgs) -> Instruction {
    build(
        acc::PlaceOrder {
            trader: trader.pubkey(),
            platform: platform_pda(),
            market: k.market,
            market_authority: k.authority,
            class: k.class,
            credit_mint: k.credit_mint,
            quote_mint: k.quote_mint,
            trader_credits: trader.credits,
            trader_quote: trader.quote,
            base_vault: k.base_vault,
            quote_vault: k.quote_vault,
            treasury_quote: k.treasury_quote,
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
        },
        ix::PlaceOrder { args },
    )
}

pub fn cancel_order(
    k: &MarketKeys,
    trader: &Pubkey,
    side: OrderSide,
    price_ticks: u64,
    seq: u64,
) -> Instruction {
    build(acc::CancelOrder { trader: *trader, market: k.market }, ix::CancelOrder { side, price_ticks, seq })
}

/// Pulls the resting orders of the owner of the frozen credit account `frozen_account`.
pub fn cancel_frozen_orders(k: &MarketKeys, frozen_account: &Pubkey) -> Instruction {
    build(
        acc::CancelFrozenOrders { market: k.market, frozen_account: *frozen_account },
        ix::CancelFrozenOrders {},
    )
}

pub fn settle_funds(k: &MarketKeys, trader: &User) -> Instruction {
    build(
        acc::SettleFunds {
            trader: trader.pubkey(),
            market: k.market,
            class: k.class,
            trader_holds: crate::builders::owner_holds_pda(&k.credit_mint, &trader.pubkey()),
            market_authority: k.authority,
            credit_mint: k.credit_mint,
            quote_mint: k.quote_mint,
            trader_credits: trader.credits,
            trader_quote: trader.quote,
            base_vault: k.base_vault,
            quote_vault: k.quote_vault,
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
        },
        ix::SettleFunds {},
    )
}

pub fn set_market_paused(authority: &Pubkey, k: &MarketKeys, paused: bool) -> Instruction {
    build(
        acc::SetMarketPaused { authority: *authority, platform: platform_pda(), market: k.market },
        ix::SetMarketPaused { paused },
    )
}

pub fn order(side: OrderSide, order_type: OrderType, price_ticks: u64, lots: u64) -> OrderArgs {
    OrderArgs { side, order_type, price_ticks, lots, expiry: 0 }
}

/// A platform, a credit class, a market on it and three funded traders.
pub struct MarketWorld {
    pub f: PlatformFixture,
    pub c: ClassFixture,
    pub k: MarketKeys,
    pub traders: Vec<User>,
}

impl MarketWorld {
    pub async fn new(ctx: &mut TestContext, kind: TokenKind) -> MarketWorld {
        let f = PlatformFixture::new(ctx, TokenKind::Spl).await;
        let c = f.create_class(ctx, kind).await;
        let market = ctx.keypair();
        let k = MarketKeys::new(&f, &c, market.pubkey());
        let r = create_market_account(ctx, &f, &market, &k, market_params()).await;
        assert!(r.is_ok(), "create_market: {:?}\n{:#?}", r.result, r.logs);
        let mut traders = vec![];
        for _ in 0..3 {
            let t = f.user(ctx, &c, 100_000 * USD).await;
            f.buy(ctx, &c, &t, 10_000 * LOT).await.unwrap();
            traders.push(t);
        }
        MarketWorld { f, c, k, traders }
    }

    pub async fn place(&self, ctx: &mut TestContext, trader: usize, args: OrderArgs) -> TxResult {
        let t = &self.traders[trader];
        ctx.send(&[place_order(&self.k, t, args)], &[&t.key]).await
    }
}

/// Allocates the market account (too large for a CPI) and initialises it, in one transaction.
pub async fn create_market_account(
    ctx: &mut TestContext,
    f: &PlatformFixture,
    market: &Keypair,
    k: &MarketKeys,
    params: MarketParams,
) -> TxResult {
    let rent = ctx.ctx.banks_client.get_rent().await.unwrap().minimum_balance(Market::SPACE);
    let alloc = anchor_lang::solana_program::system_instruction::create_account(
        &f.admin.pubkey(),
        &market.pubkey(),
        rent,
        Market::SPACE as u64,
        &compute_credits::ID,
    );
    ctx.send(&[alloc, create_market(&f.admin.pubkey(), k, params)], &[&f.admin, market]).await
}

/// The market account as stored.
pub async fn market_state(ctx: &mut TestContext, market: &Pubkey) -> Box<Market> {
    let acc = ctx.account(*market).await.expect("market exists");
    Box::new(*bytemuck::from_bytes::<Market>(&acc.data[8..]))
}

pub fn book(m: &Market) -> Box<MarketBook> {
    Box::new(*m.book())
}

/// A market on `c` (allocated and initialised), for worlds that already have a platform.
pub async fn open_market(ctx: &mut TestContext, f: &PlatformFixture, c: &ClassFixture) -> MarketKeys {
    let market = ctx.keypair();
    let k = MarketKeys::new(f, c, market.pubkey());
    let r = create_market_account(ctx, f, &market, &k, market_params()).await;
    assert!(r.is_ok(), "create_market: {:?}", r.result);
    k
}

/// A defaulted $100,000 compute-financing loan in `w` (past grace and cure, fresh price) and a
/// market on its class with a buyer's bids: 20,000 GPU-hours at $2.45 and 30,000 at $2.40.
pub async fn defaulted_loan_with_bids(
    ctx: &mut TestContext,
    w: &mut crate::loans::LoanWorld,
) -> (crate::loans::LoanKeys, MarketKeys, User) {
    use crate::loans::*;
    let terms = compute_credits::OfferTerms {
        principal: 100_000 * USD,
        apr_bps: 1_200,
        periods: 12,
        borrower_tier: 0,
        ..seed_terms(0, compute_credits::LoanKind::ComputeFinancing, 1)
    };
    let k = w.originate(ctx, terms, 0).await;
    let mk = open_market(ctx, &w.f, &w.c).await;
    let buyer = w.f.user(ctx, &w.c, 1_000_000 * USD).await;
    for (price, lots) in [(245, 20_000), (240, 30_000)] {
        let ix = place_order(&mk, &buyer, order(OrderSide::Bid, OrderType::Limit, price, lots));
        ctx.send(&[ix], &[&buyer.key]).await.result.unwrap();
    }
    let due = ledger(ctx, &k.loan).await.due_ts(1).unwrap();
    let now = ctx.now().await;
    w.advance(ctx, due + i64::from(GRACE + CURE) + 1 - now, PRICE).await;
    (k, mk, buyer)
}
