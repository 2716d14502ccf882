//! The keeper tests' market: one trader rests an ask and is then frozen by the guardian, another
//! rests a bid that expires.
use anchor_lang::prelude::Pubkey;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use anchor_spl::token::spl_token;
use anchor_spl::token_2022::spl_token_2022;
use compute_credits::state::MarketV2;
use compute_credits::{
    MarketAsset, MarketV2Params, OrderSide, OrderType, PlaceOrderV2Args, SelfTradeBehavior,
};
use credit_client::ix::{self, Purchase};
use credit_client::{pda, read, MarketKeys};
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::signature::{Keypair, Signer};
use solana_system_interface::instruction::create_account;

use super::{TestNet, Wallet};
use crate::keeper_world::{send, World, USD};

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
        let k = MarketKeys::new(&w.class, market.pubkey(), &w.treasury_quote);
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
            &rpc,
            admin,
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
            &[&market],
        );
        let (seller, bidder) = (tn.wallet("seller"), tn.wallet("bidder"));
        let quote_of = |o: &Pubkey| pda::associated_token(o, &w.quote_mint, &spl_token::ID);
        let credits_of = |o: &Pubkey| pda::associated_token(o, &w.class.credit_mint, &spl_token_2022::ID);
        for who in [&seller, &bidder] {
            send(
                &rpc,
                admin,
                &[
                    create_associated_token_account_idempotent(
                        &admin.pubkey(),
                        &who.pubkey(),
                        &w.quote_mint,
                        &spl_token::ID,
                    ),
                    create_associated_token_account_idempotent(
                        &admin.pubkey(),
                        &who.pubkey(),
                        &w.class.credit_mint,
                        &spl_token_2022::ID,
                    ),
                    spl_token_2022::instruction::mint_to(
                        &spl_token::ID,
                        &w.quote_mint,
                        &quote_of(&who.pubkey()),
                        &admin.pubkey(),
                        &[],
                        1_000 * USD,
                    )
                    .unwrap(),
                ],
                &[],
            );
        }
        // the seller buys 20 GPU-hours, deposits them and asks $4.00 for 10
        let (s, seller_credits) = (seller.pubkey(), credits_of(&seller.pubkey()));
        let purchase = Purchase {
            buyer: s,
            class: w.class.class,
            credit_mint: w.class.credit_mint,
            quote_mint: w.quote_mint,
            buyer_quote: quote_of(&s),
            treasury_quote: w.treasury_quote,
            recipient_credits: seller_credits,
            credit_token_program: spl_token_2022::ID,
            quote_token_program: spl_token::ID,
            price_feed: None,
        };
        send(
            &rpc,
            &seller.key,
            &[ix::purchase_credits(&purchase, 20 * USD, 2_500_000), ix::claim_seat(&k, &s)],
            &[],
        );
        let seat = seat_of(&rpc, &k.market);
        let ask = ix::limit_v2(seat, OrderSide::Ask, OrderType::Limit, 400, 10);
        send(
            &rpc,
            &seller.key,
            &[
                ix::deposit(&k, &s, &seller_credits, seat, MarketAsset::Credits, 20 * USD),
                ix::place_order_v2(&k, &s, ask),
            ],
            &[],
        );
        // the bidder bids $1.00 for 10 until `bid_expiry`
        let b = bidder.pubkey();
        send(&rpc, &bidder.key, &[ix::claim_seat(&k, &b)], &[]);
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
            &rpc,
            &bidder.key,
            &[
                ix::deposit(&k, &b, &quote_of(&b), seat, MarketAsset::Quote, 100 * USD),
                ix::place_order_v2(&k, &b, bid),
            ],
            &[],
        );
        MarketWorld { k, seller, seller_credits }
    }

    /// The guardian freezes the seller's credit account (the market does not know yet).
    pub fn freeze_seller(&self, tn: &TestNet, w: &World) {
        let ix = ix::freeze_credits(
            &w.guardian.pubkey(),
            &w.class.class,
            &w.class.credit_mint,
            (&self.seller.pubkey(), &self.seller_credits),
            &spl_token_2022::ID,
            1,
        );
        send(&tn.rpc(), &w.guardian.key, &[ix], &[]);
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
        let quote = pda::associated_token(&s, &w.quote_mint, &spl_token::ID);
        let bid = ix::limit_v2(seat, OrderSide::Bid, OrderType::Limit, 150, 10);
        let ixs = [
            ix::deposit(&self.k, &s, &quote, seat, MarketAsset::Quote, 50 * USD),
            ix::place_order_v2(&self.k, &s, bid),
        ];
        send(&rpc, &self.seller.key, &ixs, &[]);
    }
}
