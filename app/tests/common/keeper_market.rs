//! The keeper tests' market: one trader rests an ask and is then frozen by the guardian, another
//! rests a bid that expires.
use anchor_lang::prelude::Pubkey;
use compute_credits::state::MarketV2;
use compute_credits::{
    MarketAsset, MarketV2Params, OrderSide, OrderType, PlaceOrderV2Args, SelfTradeBehavior,
};
use credit_client::{ix, read, MarketKeys};
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::signature::{Keypair, Signer};
use solana_system_interface::instruction::create_account;

use super::{TestNet, Wallet};
use crate::world::{send, token_2022, World, USD};

/// A market on the world's class: `seller` rests an ask (good until cancelled), `bidder` a bid
/// expiring at `bid_expiry`.
pub struct MarketWorld {
    pub k: MarketKeys,
    pub seller: Wallet,
    pub seller_credits: Pubkey,
}

fn seat_of(rpc: &RpcClient, market: &Pubkey) -> u32 {
    read::market(rpc, market).expect("market").header().seat_count - 1
}

impl MarketWorld {
    pub fn new(tn: &TestNet, w: &World, bid_expiry: i64) -> MarketWorld {
        let rpc = tn.rpc();
        let admin = &tn.authority.key;
        let market = Keypair::new();
        let k = MarketKeys::new(&w.class_keys(), market.pubkey(), &w.treasury_quote);
        let rent = rpc.get_minimum_balance_for_rent_exemption(MarketV2::SPACE).unwrap();
        let params = MarketV2Params {
            lot_size: 1_000_000,
            tick_size: 10_000,
            min_order_notional: USD,
            max_orders_per_seat: 16,
            maker_fee_bps: 10,
            taker_fee_bps: 30,
        };
        send(
            tn,
            &[
                create_account(
                    &admin.pubkey(),
                    &market.pubkey(),
                    rent,
                    MarketV2::SPACE as u64,
                    &compute_credits::ID,
                ),
                ix::create_market_v2(&admin.pubkey(), &k, params),
            ],
            &[admin, &market],
        );
        // the seller buys 20 GPU-hours at the feed's price, deposits them and asks $4.00 for 10
        let seller = w.wallet(tn, "seller", 1_000, 20);
        let bidder = w.wallet(tn, "bidder", 1_000, 0);
        let (s, seller_credits) = (seller.pubkey(), w.credits_of(&seller.pubkey()));
        send(tn, &[ix::claim_seat(&k, &s)], &[&seller.key]);
        let seat = seat_of(&rpc, &k.market);
        let ask = ix::limit_v2(seat, OrderSide::Ask, OrderType::Limit, 400, 10);
        send(
            tn,
            &[
                ix::deposit(&k, &s, &seller_credits, seat, MarketAsset::Credits, 20 * USD),
                ix::place_order_v2(&k, &s, ask),
            ],
            &[&seller.key],
        );
        // the bidder bids $1.00 for 10 until `bid_expiry`
        let b = bidder.pubkey();
        send(tn, &[ix::claim_seat(&k, &b)], &[&bidder.key]);
        let seat = seat_of(&rpc, &k.market);
        let bid = PlaceOrderV2Args {
            seat,
            side: OrderSide::Bid,
            order_type: OrderType::Limit,
            price_ticks: 100,
            lots: 10,
            expiry: bid_expiry,
            self_trade: SelfTradeBehavior::CancelProvide,
        };
        send(
            tn,
            &[
                ix::deposit(&k, &b, &w.quote_of(&b), seat, MarketAsset::Quote, 100 * USD),
                ix::place_order_v2(&k, &b, bid),
            ],
            &[&bidder.key],
        );
        MarketWorld { k, seller, seller_credits }
    }

    /// The guardian freezes the seller's credit account (the market does not know yet).
    pub fn freeze_seller(&self, tn: &TestNet, w: &World) {
        let ix = ix::freeze_credits(
            &w.guardian.pubkey(),
            &w.class,
            &w.credit_mint,
            (&self.seller.pubkey(), &self.seller_credits),
            &token_2022(),
            1,
        );
        send(tn, &[ix], &[&w.guardian.key]);
    }
}

impl MarketWorld {
    /// The (frozen) seller deposits $50 and bids $1.50 for 10, good until cancelled: a frozen
    /// seat may bid.
    pub fn seller_bids(&self, tn: &TestNet, w: &World) {
        let rpc = tn.rpc();
        let s = self.seller.pubkey();
        let seat = read::market(&rpc, &self.k.market)
            .expect("market")
            .seats
            .iter()
            .position(|seat| seat.owner == s.to_bytes())
            .expect("the seller's seat") as u32;
        let quote = w.quote_of(&s);
        let bid = ix::limit_v2(seat, OrderSide::Bid, OrderType::Limit, 150, 10);
        let ixs = [
            ix::deposit(&self.k, &s, &quote, seat, MarketAsset::Quote, 50 * USD),
            ix::place_order_v2(&self.k, &s, bid),
        ];
        send(tn, &ixs, &[&self.seller.key]);
    }
}
