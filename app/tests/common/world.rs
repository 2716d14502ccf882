//! The protocol world the CLI's tests over JSON-RPC start from, set up with the client crate's
//! builders through the one transaction pipeline (not the CLI's admin commands, which cli_admin
//! covers): a platform whose admin is the upgrade authority, a USDC-like SPL quote mint the admin
//! controls, a Token-2022 class priced by a native feed with one publisher, the protocol's
//! default lending terms on an hourly clock (loans from $100), and funded wallets.
#![allow(dead_code)]

use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use anchor_spl::token::spl_token;
use compute_credits::{CreateCreditClassArgs, FeeSettings, FeedConfig, FeedKind, LendingParams};
use credit_client::defaults::{self, Periods};
use credit_client::ix::{self, Purchase};
use credit_client::tx::{ComputeUnitLimit, Mode, Options, Pipeline, PriorityFee};
use credit_client::{pda, ClassKeys};
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
/// The lending clock: an hour stands for a month.
pub const PERIOD: u32 = Periods::HOURLY.period_secs;
pub const GRACE: u32 = Periods::HOURLY.grace_secs;
pub const CURE: u32 = Periods::HOURLY.cure_secs;

pub struct World {
    pub quote_mint: Pubkey,
    pub class: Pubkey,
    pub credit_mint: Pubkey,
    pub feed: Pubkey,
    pub guardian: Wallet,
    pub publisher: Wallet,
    pub treasury: Pubkey,
    pub treasury_quote: Pubkey,
}

/// Sends `ixs` signed by `signers` (the first pays) through the pipeline at a fixed budget;
/// panics with the named error if it fails.
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

/// The protocol's default lending terms on the hourly clock, loans from $100 (the tests lend
/// hundreds, not hundreds of thousands).
pub fn lending_params() -> LendingParams {
    LendingParams { min_principal: 100, ..defaults::lending_params_with(Periods::HOURLY) }
}

/// An H100 GPU-hour class at a $2.50 list price, 6 decimals.
pub fn class_args(class_id: u32) -> CreateCreditClassArgs {
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

/// A feed with exponent -8, stale after two minutes, 2% confidence and 20% deviation bounds.
pub fn feed_config(min_publishers: u8, pyth_feed_id: [u8; 32]) -> FeedConfig {
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

impl World {
    pub fn new(net: &TestNet) -> World {
        let admin = &net.authority.key;
        let a = admin.pubkey();
        let rpc = net.rpc();
        let (guardian, publisher) = (net.wallet("guardian"), net.wallet("publisher"));
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
        let treasury = Keypair::new().pubkey();
        let treasury_ata =
            create_associated_token_account_idempotent(&a, &treasury, &quote_mint, &spl_token::ID);
        let init = ix::initialize_platform(&a, &guardian.pubkey(), &treasury, fees);
        send(net, &[init, treasury_ata], &[admin]);
        let class = pda::class(0);
        let feed = pda::price_feed(&class);
        send(
            net,
            &[
                ix::create_credit_class(&a, class_args(0), &quote_mint, &token_2022(), &spl_token::ID),
                ix::configure_lending(&a, lending_params()),
                ix::create_price_feed(&a, &class, FeedKind::Native, feed_config(1, [0; 32])),
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
            publisher,
            treasury,
            treasury_quote: ata(&treasury, &quote_mint, &spl_token::ID),
        };
        w.publish(net);
        send(net, &[ix::set_class_price_feed(&a, &class, &feed, true)], &[admin]);
        w
    }

    /// The class's keys in the world's quote currency.
    pub fn class_keys(&self) -> ClassKeys {
        ClassKeys {
            class: self.class,
            credit_mint: self.credit_mint,
            quote_mint: self.quote_mint,
            credit_program: token_2022(),
            quote_program: spl_token::ID,
        }
    }

    /// The publisher reports $2.50 +- $0.01 now (prices go stale after two minutes).
    pub fn publish(&self, net: &TestNet) {
        let ix = ix::submit_price(&self.publisher.pubkey(), &self.feed, PRICE, CONF);
        send(net, &[ix], &[&self.publisher.key]);
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
                treasury_quote: self.treasury_quote,
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
