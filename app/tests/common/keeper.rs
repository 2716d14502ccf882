//! The keeper tests' world, set up over JSON-RPC with credit-client's builders through the one
//! transaction pipeline: a platform, a Token-2022 class with a native price feed, a financed loan
//! (compute financing, an hour a period), and a Pyth-priced class (the market is in
//! `keeper_market.rs`).
use anchor_lang::prelude::Pubkey;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use anchor_spl::token::spl_token;
use anchor_spl::token_2022::spl_token_2022;
use compute_credits::state::PriceFeed;
use compute_credits::{
    ApprovalTerms, CreateCreditClassArgs, FeeSettings, FeedConfig, FeedKind, LendingParams, LoanKind,
    OfferTerms,
};
use credit_client::ix;
use credit_client::tx::{ComputeUnitLimit, Mode, Options, Pipeline, PriorityFee};
use credit_client::{pda, read, ClassKeys, LoanKeys};
use credit_math::ledger::LoanStatus;
use serde_json::json;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::{Keypair, Signer};
use solana_system_interface::instruction::create_account;

use super::{TestNet, Wallet};

pub const USD: u64 = 1_000_000;
pub const PERIOD: u32 = 3_600;
pub const GRACE: u32 = 600;
pub const CURE: u32 = 1_200;
/// $2.50 a GPU-hour, exponent -8.
pub const PRICE: i64 = 250_000_000;
pub const CONF: u64 = 1_000_000;
pub const PYTH_FEED_ID: [u8; 32] = [0xab; 32];

/// Sends `ixs` paid by `payer`, signed by `signers` too; panics with the error by name.
pub fn send(rpc: &RpcClient, payer: &Keypair, ixs: &[Instruction], signers: &[&Keypair]) {
    let options = Options {
        commitment: CommitmentConfig::confirmed(),
        compute_unit_limit: ComputeUnitLimit::Fixed(1_400_000),
        priority_fee: PriorityFee::None,
        mode: Mode::Send,
        blockhash: None,
    };
    let signers: Vec<&dyn Signer> = signers.iter().map(|k| *k as &dyn Signer).collect();
    if let Err(e) = Pipeline::new(rpc, payer, options).run(ixs, &signers) {
        panic!("setup transaction failed: {e}");
    }
}

fn feed_config(min_publishers: u8, pyth_feed_id: [u8; 32]) -> FeedConfig {
    FeedConfig {
        expo: -8,
        min_publishers,
        max_staleness_secs: 120,
        max_confidence_bps: 200,
        max_deviation_bps: 2_000,
        deviation_window_secs: 600,
        pyth_feed_id,
    }
}

fn lending_params() -> LendingParams {
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
        margin_call_secs: 900,
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

fn class_args(class_id: u32) -> CreateCreditClassArgs {
    CreateCreditClassArgs {
        class_id,
        name: "H100 GPU-hour".into(),
        symbol: "H100H".into(),
        uri: "https://credits.example/h100.json".into(),
        unit: "H100 GPU-hour".into(),
        decimals: 6,
        list_price: 2_500_000,
    }
}

/// A platform with a class, its feed and publisher, and one financed loan.
pub struct World {
    pub url: String,
    pub guardian: Wallet,
    pub publisher: Wallet,
    pub borrower: Wallet,
    pub quote_mint: Pubkey,
    pub treasury_quote: Pubkey,
    pub class: ClassKeys,
    pub feed: Pubkey,
    pub loan: LoanKeys,
}

impl World {
    /// Everything up to an accepted $1,000,000 compute financing of six hourly installments.
    pub fn new(tn: &TestNet) -> World {
        let rpc = tn.rpc();
        let admin = &tn.authority.key;
        let (guardian, underwriter, publisher) =
            (tn.wallet("guardian"), tn.wallet("underwriter"), tn.wallet("publisher"));
        let (lender, borrower) = (tn.wallet("lender"), tn.wallet("borrower"));
        // a USDC-like quote mint the admin controls
        let quote = Keypair::new();
        let rent = rpc.get_minimum_balance_for_rent_exemption(82).unwrap();
        let create = create_account(&admin.pubkey(), &quote.pubkey(), rent, 82, &spl_token::ID);
        let init = spl_token_2022::instruction::initialize_mint2(
            &spl_token::ID,
            &quote.pubkey(),
            &admin.pubkey(),
            None,
            6,
        )
        .unwrap();
        send(&rpc, admin, &[create, init], &[&quote]);
        let quote_mint = quote.pubkey();
        let treasury = Keypair::new().pubkey();
        let treasury_quote = pda::associated_token(&treasury, &quote_mint, &spl_token::ID);
        let fees = FeeSettings { purchase_fee_bps: 100, origination_fee_bps: 50 };
        send(
            &rpc,
            admin,
            &[
                create_associated_token_account_idempotent(
                    &admin.pubkey(),
                    &treasury,
                    &quote_mint,
                    &spl_token::ID,
                ),
                ix::initialize_platform(&admin.pubkey(), &guardian.pubkey(), &treasury, fees),
                ix::set_underwriter(&admin.pubkey(), &underwriter.pubkey()),
                ix::configure_lending(&admin.pubkey(), lending_params()),
            ],
            &[],
        );
        let class_addr = pda::class(0);
        let class = ClassKeys {
            class: class_addr,
            credit_mint: pda::credit_mint(&class_addr),
            quote_mint,
            credit_program: spl_token_2022::ID,
            quote_program: spl_token::ID,
        };
        let feed = pda::price_feed(&class_addr);
        send(
            &rpc,
            admin,
            &[
                ix::create_credit_class(
                    &admin.pubkey(),
                    class_args(0),
                    &quote_mint,
                    &class.credit_program,
                    &spl_token::ID,
                ),
                ix::create_price_feed(
                    &admin.pubkey(),
                    &class_addr,
                    FeedKind::Native,
                    feed_config(1, [0; 32]),
                ),
                ix::add_publisher(&admin.pubkey(), &feed, &publisher.pubkey()),
            ],
            &[],
        );
        let lender_quote = pda::associated_token(&lender.pubkey(), &quote_mint, &spl_token::ID);
        send(
            &rpc,
            admin,
            &[
                create_associated_token_account_idempotent(
                    &admin.pubkey(),
                    &lender.pubkey(),
                    &quote_mint,
                    &spl_token::ID,
                ),
                spl_token_2022::instruction::mint_to(
                    &spl_token::ID,
                    &quote_mint,
                    &lender_quote,
                    &admin.pubkey(),
                    &[],
                    2_000_000 * USD,
                )
                .unwrap(),
            ],
            &[],
        );
        let now = tn.now();
        let terms = ApprovalTerms {
            borrower: borrower.pubkey(),
            quote_mint,
            tier: 2,
            max_principal: 10_000_000 * USD,
            expires_at: now + 100 * 365 * 86_400,
        };
        send(&rpc, &underwriter.key, &[ix::approve_borrower(&underwriter.pubkey(), terms)], &[]);
        let loan =
            LoanKeys::new(&class, &lender.pubkey(), &lender_quote, &borrower.pubkey(), 1, &treasury_quote);
        let offer = OfferTerms {
            loan_id: 1,
            borrower: borrower.pubkey(),
            kind: LoanKind::ComputeFinancing,
            schedule: 0,
            principal: 1_000_000 * USD,
            apr_bps: 1_000,
            periods: 6,
            borrower_tier: 2,
            initial_bps: 15_000,
            maintenance_bps: 12_000,
            liquidation_bps: 11_000,
        };
        send(&rpc, &lender.key, &[ix::post_loan_offer(&loan, offer)], &[]);
        let world = World {
            url: tn.url().to_string(),
            guardian,
            publisher,
            borrower,
            quote_mint,
            treasury_quote,
            class,
            feed,
            loan,
        };
        world.submit_price();
        send(&rpc, &world.borrower.key, &[ix::accept_loan(&loan, &treasury_quote, None, 0, 0)], &[]);
        assert_eq!(world.loan_status(&rpc), LoanStatus::Current);
        world
    }

    /// The publisher reports $2.50 now.
    pub fn submit_price(&self) {
        let rpc = RpcClient::new_with_commitment(self.url.clone(), CommitmentConfig::confirmed());
        send(
            &rpc,
            &self.publisher.key,
            &[ix::submit_price(&self.publisher.pubkey(), &self.feed, PRICE, CONF)],
            &[],
        );
    }

    pub fn loan_status(&self, rpc: &RpcClient) -> LoanStatus {
        read::loan(rpc, &self.loan.loan).expect("loan").status()
    }

    /// The moment the loan's first installment is past its grace and cure windows.
    pub fn default_time(&self, rpc: &RpcClient) -> i64 {
        let ledger = read::loan(rpc, &self.loan.loan).expect("loan").ledger();
        ledger.due_ts(1).unwrap() + i64::from(GRACE + CURE) + 1
    }
}

/// A second class priced by Pyth (feed id [`PYTH_FEED_ID`]); returns its feed.
pub fn pyth_class(tn: &TestNet, w: &World) -> Pubkey {
    let admin = &tn.authority.key;
    let class = pda::class(1);
    let ixs = [
        ix::create_credit_class(
            &admin.pubkey(),
            class_args(1),
            &w.quote_mint,
            &spl_token_2022::ID,
            &spl_token::ID,
        ),
        ix::create_price_feed(&admin.pubkey(), &class, FeedKind::Pyth, feed_config(0, PYTH_FEED_ID)),
    ];
    send(&tn.rpc(), admin, &ixs, &[]);
    pda::price_feed(&class)
}

/// Writes a fully verified `PriceUpdateV2` at `address`, owned by the Pyth receiver, published at
/// `publish_time`.
pub fn write_pyth_update(tn: &TestNet, address: &Pubkey, publish_time: i64) {
    let data = credit_math::pyth::encode_price_update_v2(&credit_math::pyth::PriceUpdateV2 {
        write_authority: [7; 32],
        partial_signatures: None,
        feed_id: PYTH_FEED_ID,
        price: PRICE,
        conf: CONF,
        exponent: -8,
        publish_time,
        prev_publish_time: publish_time - 1,
        ema_price: PRICE,
        ema_conf: CONF,
        posted_slot: 1,
    });
    let hex: String = data.iter().map(|b| format!("{b:02x}")).collect();
    let owner = compute_credits::constants::PYTH_RECEIVER_PROGRAM_ID;
    let account = json!([address.to_string(), {
        "lamports": 10_000_000u64, "data": hex, "owner": owner.to_string(), "executable": false
    }]);
    tn.net.cheat("surfnet_setAccount", account).expect("write the price update");
}

pub fn feed_state(rpc: &RpcClient, feed: &Pubkey) -> PriceFeed {
    read::price_feed(rpc, feed).expect("feed")
}
