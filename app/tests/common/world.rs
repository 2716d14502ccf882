//! The protocol world the CLI's tests over JSON-RPC start from, set up with the client crate's
//! builders through the one transaction pipeline (not the CLI's admin commands, which cli_admin
//! covers): a platform whose admin is the upgrade authority, a USDC-like SPL quote mint the admin
//! controls, a Token-2022 class priced by a native feed with one publisher, the protocol's
//! default lending terms on an hourly clock (loans from $100), and funded wallets.
#![allow(dead_code)]

use anchor_spl::token::spl_token;
use compute_credits::{FeeSettings, FeedConfig, FeedKind};
use credit_client::defaults::Periods;
use credit_client::ix;
use credit_client::sample::{self, purchase};
pub use credit_client::sample::{class_args, lending_params, CONF, CREDIT, PRICE, USD};
use credit_client::{pda, ClassKeys};
use solana_sdk::instruction::Instruction;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

use crate::common::{TestNet, Wallet};

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
    if let Err(e) = sample::send(&net.rpc(), ixs, signers) {
        panic!("setup transaction failed: {e}");
    }
}

pub fn ata(owner: &Pubkey, mint: &Pubkey, program: &Pubkey) -> Pubkey {
    pda::associated_token(owner, mint, program)
}

pub fn token_2022() -> Pubkey {
    anchor_spl::token_2022::ID
}

/// The sample feed, stale after two minutes.
pub fn feed_config(min_publishers: u8, pyth_feed_id: [u8; 32]) -> FeedConfig {
    sample::feed_config(min_publishers, pyth_feed_id, 120)
}

impl World {
    pub fn new(net: &TestNet) -> World {
        let admin = &net.authority.key;
        let a = admin.pubkey();
        let rpc = net.rpc();
        let (guardian, publisher) = (net.wallet("guardian"), net.wallet("publisher"));
        // the quote currency: an SPL mint the admin controls
        let mint = Keypair::new();
        let create = sample::create_spl_mint(&rpc, &a, &mint.pubkey(), &a).expect("mint");
        send(net, &create, &[admin, &mint]);
        let quote_mint = mint.pubkey();
        let fees = FeeSettings { purchase_fee_bps: 100, origination_fee_bps: 50 };
        let treasury = Keypair::new().pubkey();
        let treasury_ata = sample::create_quote_account(&a, &treasury, &quote_mint);
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
        let fund = sample::mint_quote(&admin.pubkey(), &self.quote_mint, &me, dollars * USD).expect("ix");
        send(net, &fund, &[admin]);
        if credits > 0 {
            let k = self.class_keys();
            let p = purchase(&k, &me, &self.treasury_quote, Some(self.feed));
            let buy = ix::purchase_credits(&p, credits * CREDIT, 3 * USD);
            send(net, &[sample::create_credit_account(&k, &me), buy], &[&w.key]);
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
