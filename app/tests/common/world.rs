//! A protocol world on the local network, set up with the client crate's builders over RPC
//! (not the CLI's admin commands, which another test covers): a platform whose admin is the
//! upgrade authority, a USDC-like SPL quote mint the admin controls, a Token-2022 class priced by
//! a native feed with one publisher, lending terms with hour-long periods, and funded wallets.
#![allow(dead_code)]

use std::process::{Command, Output};

use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use anchor_spl::token::spl_token;
use compute_credits::{CreateCreditClassArgs, FeeSettings, FeedConfig, FeedKind, LendingParams};
use credit_client::ix::{self, Purchase};
use credit_client::pda;
use credit_client::tx::{ComputeUnitLimit, Mode, Options, Pipeline, PriorityFee};
use solana_commitment_config::CommitmentConfig;
use solana_sdk::instruction::Instruction;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

use crate::common::{TestNet, Wallet};

/// Quote atoms per dollar, credit atoms per credit (both 6 decimals).
pub const USD: u64 = 1_000_000;
pub const CREDIT: u64 = 1_000_000;
/// $2.50 a credit (exponent -8), +- $0.01.
pub const PRICE: i64 = 250_000_000;
pub const CONF: u64 = 1_000_000;
pub const PERIOD: u32 = 3_600;
pub const GRACE: u32 = 600;
pub const CURE: u32 = 1_200;

pub struct World {
    pub quote_mint: Pubkey,
    pub class: Pubkey,
    pub credit_mint: Pubkey,
    pub feed: Pubkey,
    pub guardian: Keypair,
    pub treasury: Keypair,
    pub publisher: Keypair,
}

/// Sends `ixs` signed by `signers` (the first pays), at a fixed budget; panics with the named
/// error if it fails.
pub fn send(net: &TestNet, ixs: &[Instruction], signers: &[&dyn Signer]) {
    let rpc = net.rpc();
    let options = Options {
        commitment: CommitmentConfig::confirmed(),
        compute_unit_limit: ComputeUnitLimit::Fixed(1_400_000),
        priority_fee: PriorityFee::None,
        mode: Mode::Send,
        blockhash: None,
    };
    let pipeline = Pipeline::new(&rpc, signers[0], options);
    if let Err(e) = pipeline.run(ixs, &signers[1..]) {
        panic!("setup transaction failed: {e}");
    }
}

pub fn ata(owner: &Pubkey, mint: &Pubkey, program: &Pubkey) -> Pubkey {
    pda::associated_token(owner, mint, program)
}

pub fn token_2022() -> Pubkey {
    anchor_spl::token_2022::ID
}

fn lending_params() -> LendingParams {
    LendingParams {
        min_principal: 100,
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

impl World {
    pub fn new(net: &TestNet) -> World {
        let admin = &net.authority.key;
        let a = admin.pubkey();
        let rpc = net.rpc();
        let (guardian, treasury, publisher) = (Keypair::new(), Keypair::new(), Keypair::new());
        net.net.fund_sol(&publisher.pubkey(), 10 * crate::common::SOL).expect("fund");
        // the quote currency: an SPL mint the admin controls
        let mint = Keypair::new();
        let rent = rpc.get_minimum_balance_for_rent_exemption(82).expect("rent");
        let create = solana_system_interface::instruction::create_account(
            &a,
            &mint.pubkey(),
            rent,
            82,
            &spl_token::ID,
        );
        let init = spl_token::instruction::initialize_mint2(&spl_token::ID, &mint.pubkey(), &a, None, 6)
            .expect("ix");
        send(net, &[create, init], &[admin, &mint]);
        let quote_mint = mint.pubkey();
        let fees = FeeSettings { purchase_fee_bps: 100, origination_fee_bps: 50 };
        let treasury_ata =
            create_associated_token_account_idempotent(&a, &treasury.pubkey(), &quote_mint, &spl_token::ID);
        let init = ix::initialize_platform(&a, &guardian.pubkey(), &treasury.pubkey(), fees);
        send(net, &[init, treasury_ata], &[admin]);
        let args = CreateCreditClassArgs {
            class_id: 0,
            name: "H100 GPU-hour".into(),
            symbol: "H100H".into(),
            uri: "https://credits.example/h100.json".into(),
            unit: "H100 GPU-hour".into(),
            decimals: 6,
            list_price: 2_500_000,
        };
        let class = pda::class(0);
        let feed = pda::price_feed(&class);
        let config = FeedConfig {
            expo: -8,
            min_publishers: 1,
            max_staleness_secs: 120,
            max_confidence_bps: 200,
            max_deviation_bps: 2_000,
            deviation_window_secs: 600,
            pyth_feed_id: [0; 32],
        };
        send(
            net,
            &[
                ix::create_credit_class(&a, args, &quote_mint, &token_2022(), &spl_token::ID),
                ix::configure_lending(&a, lending_params()),
                ix::create_price_feed(&a, &class, FeedKind::Native, config),
                ix::add_publisher(&a, &feed, &publisher.pubkey()),
            ],
            &[admin],
        );
        let w = World {
            quote_mint,
            class,
            credit_mint: pda::credit_mint(&class),
            feed,
            guardian,
            treasury,
            publisher,
        };
        w.publish(net);
        send(net, &[ix::set_class_price_feed(&a, &class, &feed, true)], &[admin]);
        w
    }

    /// The publisher reports $2.50 +- $0.01 now (prices go stale after two minutes).
    pub fn publish(&self, net: &TestNet) {
        send(net, &[ix::submit_price(&self.publisher.pubkey(), &self.feed, PRICE, CONF)], &[&self.publisher]);
    }

    pub fn quote_of(&self, owner: &Pubkey) -> Pubkey {
        ata(owner, &self.quote_mint, &spl_token::ID)
    }

    pub fn credits_of(&self, owner: &Pubkey) -> Pubkey {
        ata(owner, &self.credit_mint, &token_2022())
    }

    /// A wallet with `dollars` of quote and `credits` bought at the feed's price.
    pub fn wallet(&self, net: &TestNet, name: &str, dollars: u64, credits: u64) -> Wallet {
        let w = net.wallet(name);
        let (admin, me) = (&net.authority.key, w.pubkey());
        let quote = self.quote_of(&me);
        let create = create_associated_token_account_idempotent(
            &admin.pubkey(),
            &me,
            &self.quote_mint,
            &spl_token::ID,
        );
        let mint = spl_token::instruction::mint_to(
            &spl_token::ID,
            &self.quote_mint,
            &quote,
            &admin.pubkey(),
            &[],
            dollars * USD,
        )
        .expect("ix");
        send(net, &[create, mint], &[admin]);
        if credits > 0 {
            let create =
                create_associated_token_account_idempotent(&me, &me, &self.credit_mint, &token_2022());
            let p = Purchase {
                buyer: me,
                class: self.class,
                credit_mint: self.credit_mint,
                quote_mint: self.quote_mint,
                buyer_quote: quote,
                treasury_quote: self.quote_of(&self.treasury.pubkey()),
                recipient_credits: self.credits_of(&me),
                credit_token_program: token_2022(),
                quote_token_program: spl_token::ID,
                price_feed: Some(self.feed),
            };
            send(net, &[create, ix::purchase_credits(&p, credits * CREDIT, 3 * USD)], &[&w.key]);
        }
        w
    }
}

/// A token account's amount (0 when it does not exist).
pub fn balance(net: &TestNet, account: &Pubkey) -> u64 {
    credit_client::read::token_amount(&net.rpc(), account).expect("read").unwrap_or(0)
}

/// True when the token account is frozen (the base layout's state byte, either program).
pub fn is_frozen(net: &TestNet, account: &Pubkey) -> bool {
    let acc = net.rpc().get_account(account).expect("token account");
    acc.data[108] == 2
}

/// Runs `app -u <url> -k <key> args...`, where `key` may be a public key (a signer elsewhere).
pub fn run_as(net: &TestNet, key: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_app"))
        .args(["-u", net.url(), "-k", key])
        .args(args)
        .env("HOME", &net.dir)
        .output()
        .expect("run the app binary")
}
