//! The sample world's market on the H100 class: a maker rests three asks and three bids; a
//! trader claims a seat, deposits both assets and trades against the maker both ways (the tape).
use std::path::Path;

use compute_credits::state::MarketV2;
use compute_credits::{MarketAsset, MarketV2Params, OrderSide, OrderType};
use credit_client::sample::USD;
use credit_client::{ix, pda, read, MarketKeys};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::Signer;
use solana_system_interface::instruction::create_account;

use super::seed::{keypair, Seeder};

/// A credit a lot, a cent a tick: prices in ticks are cents.
const PARAMS: MarketV2Params = MarketV2Params {
    lot_size: 1_000_000,
    tick_size: 10_000,
    min_order_notional: USD,
    max_orders_per_seat: 16,
    maker_fee_bps: 10,
    taker_fee_bps: 30,
};

/// The maker's book: (side, cents, credits).
const MAKER_ORDERS: [(OrderSide, u64, u64); 6] = [
    (OrderSide::Ask, 260, 50),
    (OrderSide::Ask, 270, 80),
    (OrderSide::Ask, 285, 100),
    (OrderSide::Bid, 240, 50),
    (OrderSide::Bid, 230, 80),
    (OrderSide::Bid, 215, 100),
];

fn seat_of(s: &Seeder, market: &Pubkey, owner: &Pubkey) -> Result<u32, String> {
    let state = read::market(&s.rpc, market).map_err(|e| e.to_string())?;
    let seat = state.seats.iter().position(|seat| seat.owner == owner.to_bytes());
    seat.map(|i| i as u32).ok_or_else(|| format!("seeding: no seat of {owner} on {market}"))
}

/// `name` claims a seat and deposits `credits` and `dollars`; returns the seat.
fn seat_with_funds(
    s: &Seeder,
    k: &MarketKeys,
    name: &str,
    credits: u64,
    dollars: u64,
) -> Result<u32, String> {
    let who = s.role(name);
    let me = who.pubkey();
    s.send("seat", &[ix::claim_seat(k, &me)], &[who])?;
    let seat = seat_of(s, &k.market, &me)?;
    let credits_account = pda::associated_token(&me, &k.credit_mint, &k.credit_program);
    let quote_account = pda::associated_token(&me, &k.quote_mint, &k.quote_program);
    let deposits = [
        ix::deposit(k, &me, &credits_account, seat, MarketAsset::Credits, credits * USD),
        ix::deposit(k, &me, &quote_account, seat, MarketAsset::Quote, dollars * USD),
    ];
    s.send("deposit", &deposits, &[who])?;
    Ok(seat)
}

/// Creates the market (its account's keypair `DIR/market.json`), the maker's book and the
/// trader's two trades; returns the market's address.
pub fn market(s: &Seeder, dir: &Path) -> Result<Pubkey, String> {
    let (account, _) = keypair(dir, "market")?;
    let a = s.admin.pubkey();
    let k = MarketKeys::new(&s.class, account.pubkey(), &s.treasury_quote);
    let rent = s.rpc.get_minimum_balance_for_rent_exemption(MarketV2::SPACE).map_err(|e| e.to_string())?;
    let create = create_account(&a, &k.market, rent, MarketV2::SPACE as u64, &compute_credits::ID);
    s.send("market", &[create, ix::create_market_v2(&a, &k, PARAMS)], &[s.admin, &account])?;

    let seat = seat_with_funds(s, &k, "maker", 250, 2_000)?;
    let orders: Vec<_> = MAKER_ORDERS
        .iter()
        .map(|&(side, cents, credits)| {
            let order = ix::limit_v2(seat, side, OrderType::PostOnly, cents, credits);
            ix::place_order_v2(&k, &s.role("maker").pubkey(), order)
        })
        .collect();
    s.send("maker orders", &orders, &[s.role("maker")])?;

    // the trader lifts 10 of the best ask and hits 5 of the best bid: two fills on the tape
    let seat = seat_with_funds(s, &k, "trader", 150, 4_000)?;
    let trader = s.role("trader");
    for (side, cents, credits) in [(OrderSide::Bid, 260, 10), (OrderSide::Ask, 240, 5)] {
        let order = ix::limit_v2(seat, side, OrderType::ImmediateOrCancel, cents, credits);
        s.send("trade", &[ix::place_order_v2(&k, &trader.pubkey(), order)], &[trader])?;
    }
    Ok(k.market)
}
