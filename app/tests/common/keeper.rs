//! What the keeper's tests add to the common world (`world.rs`): a financed loan (compute
//! financing, an hour a period) and a Pyth-priced class with its price updates (the market is in
//! `keeper_market.rs`).
use anchor_lang::prelude::Pubkey;
use anchor_spl::token::spl_token;
use compute_credits::state::PriceFeed;
use compute_credits::{ApprovalTerms, FeedKind, LoanKind, OfferTerms};
use credit_client::{ix, pda, read, LoanKeys};
use credit_math::ledger::LoanStatus;
use serde_json::json;
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::signature::Signer;

use super::TestNet;
use crate::world::{class_args, feed_config, send, token_2022, World, CONF, CURE, GRACE, PRICE, USD};

pub const PYTH_FEED_ID: [u8; 32] = [0xab; 32];

/// A loan a borrower accepted.
pub struct Financed {
    pub loan: LoanKeys,
}

impl Financed {
    /// An underwriter approves the borrower; a lender with $2,000,000 offers a $1,000,000
    /// compute financing of six hourly installments; the borrower accepts at the feed's price.
    pub fn new(tn: &TestNet, w: &World) -> Financed {
        let admin = &tn.authority.key;
        let underwriter = tn.wallet("underwriter");
        send(tn, &[ix::set_underwriter(&admin.pubkey(), &underwriter.pubkey())], &[admin]);
        let lender = w.wallet(tn, "lender", 2_000_000, 0);
        let borrower = tn.wallet("borrower");
        let terms = ApprovalTerms {
            borrower: borrower.pubkey(),
            quote_mint: w.quote_mint,
            tier: 2,
            max_principal: 10_000_000 * USD,
            expires_at: tn.now() + 100 * 365 * 86_400,
        };
        send(tn, &[ix::approve_borrower(&underwriter.pubkey(), terms)], &[&underwriter.key]);
        let (class, lender_quote) = (w.class_keys(), w.quote_of(&lender.pubkey()));
        let loan =
            LoanKeys::new(&class, &lender.pubkey(), &lender_quote, &borrower.pubkey(), 1, &w.treasury_quote);
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
        send(tn, &[ix::post_loan_offer(&loan, offer)], &[&lender.key]);
        w.publish(tn);
        send(tn, &[ix::accept_loan(&loan, &w.treasury_quote, None, 0, 0)], &[&borrower.key]);
        let financed = Financed { loan };
        assert_eq!(financed.status(&tn.rpc()), LoanStatus::Current);
        financed
    }

    pub fn status(&self, rpc: &RpcClient) -> LoanStatus {
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
        ix::create_credit_class(&admin.pubkey(), class_args(1), &w.quote_mint, &token_2022(), &spl_token::ID),
        ix::create_price_feed(&admin.pubkey(), &class, FeedKind::Pyth, feed_config(0, PYTH_FEED_ID)),
    ];
    send(tn, &ixs, &[admin]);
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
