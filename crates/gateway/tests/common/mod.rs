//! The chain the gateway's tests run on: surfpool in process with the kit-built `.so`
//! (`SBF_OUT_DIR`), a Token-2022 class sold at its list price, a provider whose gateway holds a
//! settlement key, and holders with channels to it.
#![allow(dead_code)]
use std::sync::Arc;

use anchor_spl::token::spl_token;
use compute_credits::{FeeSettings, OpenChannelArgs};
use credit_client::sample::{self, class_args, CREDIT, USD};
use credit_client::{ix, pda, read, ChannelKeys, ClassKeys};
use localnet::{Blocks, Localnet, Options as NetOptions};
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

pub fn program_so() -> Vec<u8> {
    let dir =
        std::env::var("SBF_OUT_DIR").expect("SBF_OUT_DIR: the directory of the kit-built compute_credits.so");
    let path = std::path::Path::new(&dir).join("compute_credits.so");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// The world: `holder`'s channel to `provider` escrows 50 credits with a cap of 40, for 30
/// days, with an hour's notice.
pub struct World {
    pub net: Localnet,
    pub admin: Keypair,
    pub guardian: Keypair,
    pub class: ClassKeys,
    pub treasury_quote: Pubkey,
    pub holder: Keypair,
    pub provider: Keypair,
    pub settlement_key: Arc<Keypair>,
    pub channel: Pubkey,
    pub vault: Pubkey,
}

pub fn send(rpc: &RpcClient, ixs: &[solana_sdk::instruction::Instruction], signers: &[&dyn Signer]) {
    sample::send(rpc, ixs, signers).unwrap_or_else(|e| panic!("setup transaction failed: {e}"));
}

/// The default terms: 50 credits in, a cap of 40, 30 days, an hour's notice.
pub fn terms(now: i64) -> OpenChannelArgs {
    OpenChannelArgs {
        amount: 50 * CREDIT,
        cap: 40 * CREDIT,
        period_cap: 0,
        period_secs: 0,
        expiry_ts: now + 30 * 86_400,
        notice_secs: 3_600,
    }
}

impl World {
    pub fn new() -> World {
        let (admin, guardian, provider) = (Keypair::new(), Keypair::new(), Keypair::new());
        let settlement_key = Arc::new(Keypair::new());
        let options = NetOptions {
            rpc_port: 0,
            ws_port: 0,
            blocks: Blocks::Transaction,
            airdrop: vec![admin.pubkey(), guardian.pubkey(), provider.pubkey(), settlement_key.pubkey()],
            ..NetOptions::default()
        };
        let net = Localnet::start(options).expect("localnet starts");
        net.write_program(&compute_credits::ID, &program_so(), &admin.pubkey()).expect("program written");
        let rpc = net.rpc();
        let a = admin.pubkey();
        let mint = Keypair::new();
        send(&rpc, &sample::create_spl_mint(&rpc, &a, &mint.pubkey(), &a).unwrap(), &[&admin, &mint]);
        let quote_mint = mint.pubkey();
        let treasury = Keypair::new().pubkey();
        let fees = FeeSettings { purchase_fee_bps: 100, origination_fee_bps: 50 };
        send(
            &rpc,
            &[
                ix::initialize_platform(&a, &guardian.pubkey(), &treasury, fees),
                sample::create_quote_account(&a, &treasury, &quote_mint),
            ],
            &[&admin],
        );
        let class = pda::class(0);
        let t22 = anchor_spl::token_2022::ID;
        send(
            &rpc,
            &[ix::create_credit_class(&a, class_args(0), &quote_mint, &t22, &spl_token::ID)],
            &[&admin],
        );
        let k = ClassKeys {
            class,
            credit_mint: pda::credit_mint(&class),
            quote_mint,
            credit_program: t22,
            quote_program: spl_token::ID,
        };
        let treasury_quote = pda::associated_token(&treasury, &quote_mint, &spl_token::ID);
        // the provider is registered and names its gateway's settlement key
        let p = provider.pubkey();
        send(&rpc, &[ix::register_provider(&a, &class, &p)], &[&admin]);
        send(&rpc, &[ix::channel::set_settlement_key(&p, &class, &settlement_key.pubkey())], &[&provider]);
        let placeholder = Keypair::new();
        let mut w = World {
            net,
            admin,
            guardian,
            class: k,
            treasury_quote,
            holder: placeholder,
            provider,
            settlement_key,
            channel: Pubkey::default(),
            vault: Pubkey::default(),
        };
        let now = read::now(&w.rpc()).unwrap();
        let (holder, keys) = w.holder_with_channel(100, terms(now));
        (w.holder, w.channel, w.vault) = (holder, keys.channel, keys.vault);
        w
    }

    pub fn rpc(&self) -> RpcClient {
        self.net.rpc()
    }

    /// A new holder who bought `credits` at the list price and opened a channel to the
    /// provider on `args`.
    pub fn holder_with_channel(&self, credits: u64, args: OpenChannelArgs) -> (Keypair, ChannelKeys) {
        let (rpc, k) = (self.rpc(), &self.class);
        let holder = Keypair::new();
        let h = holder.pubkey();
        self.net.fund_sol(&h, 10_000_000_000).expect("fund");
        send(
            &rpc,
            &sample::mint_quote(&self.admin.pubkey(), &k.quote_mint, &h, 1_000 * USD).unwrap(),
            &[&self.admin],
        );
        let buy = ix::purchase_credits(
            &sample::purchase(k, &h, &self.treasury_quote, None),
            credits * CREDIT,
            3 * USD,
        );
        send(&rpc, &[sample::create_credit_account(k, &h), buy], &[&holder]);
        let keys = ChannelKeys::new(&k.class, &k.credit_mint, &k.credit_program, &h, &self.provider.pubkey());
        let holder_credits = pda::associated_token(&h, &k.credit_mint, &k.credit_program);
        send(&rpc, &[ix::channel::open_channel(&keys, &holder_credits, args)], &[&holder]);
        (holder, keys)
    }

    pub fn credits_of(&self, owner: &Pubkey) -> Pubkey {
        pda::associated_token(owner, &self.class.credit_mint, &self.class.credit_program)
    }

    pub fn vault_balance(&self) -> u64 {
        read::token_amount(&self.rpc(), &self.vault).unwrap().unwrap_or(0)
    }

    pub fn next_seq(&self) -> u64 {
        read::channel(&self.rpc(), &self.channel).unwrap().meter.next_seq
    }

    pub fn now(&self) -> i64 {
        read::now(&self.rpc()).unwrap()
    }
}
