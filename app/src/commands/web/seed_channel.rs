//! The sample world's metering channel (issue 14): the holder escrows 30 credits once for the
//! seeded provider (cap 30, at most 10 an hour, 30 days, an hour's notice); the provider names
//! a settlement key (the `settlement` role, as a gateway would hold it), which redeems two
//! batches at once and a third after the loans moved the clock, so the channel shows a vault
//! balance, a redeemed total, batches at different times and a burn rate.
use compute_credits::OpenChannelArgs;
use credit_client::ix::channel as ix;
use credit_client::sample::CREDIT;
use credit_client::ChannelKeys;
use solana_sdk::signature::Signer;

use super::seed::{usage_reference, Seeder};

const HOUR: u32 = 3_600;
const DAY: i64 = 86_400;

/// The gateway's batches: (credit atoms, usage reference).
pub const BATCHES: [(u64, &str); 3] =
    [(2_500_000, "gw-batch-0001"), (4_000_000, "gw-batch-0002"), (1_750_000, "gw-batch-0003")];

fn keys(s: &Seeder) -> ChannelKeys {
    let c = &s.class;
    ChannelKeys::new(
        &c.class,
        &c.credit_mint,
        &c.credit_program,
        &s.role("holder").pubkey(),
        &s.role("provider").pubkey(),
    )
}

/// The provider names its settlement key; the holder opens the channel; the first two batches.
pub fn open(s: &Seeder) -> Result<ChannelKeys, String> {
    let (holder, provider, settlement) = (s.role("holder"), s.role("provider"), s.role("settlement"));
    let set = ix::set_settlement_key(&provider.pubkey(), &s.class.class, &settlement.pubkey());
    s.send("settlement key", &[set], &[provider])?;
    let k = keys(s);
    let args = OpenChannelArgs {
        amount: 30 * CREDIT,
        cap: 30 * CREDIT,
        period_cap: 10 * CREDIT,
        period_secs: HOUR,
        expiry_ts: s.now()? + 30 * DAY,
        notice_secs: HOUR,
    };
    let from = credit_client::pda::associated_token(&holder.pubkey(), &k.credit_mint, &k.credit_program);
    s.send("channel", &[ix::open_channel(&k, &from, args)], &[holder])?;
    for seq in 0..2 {
        redeem(s, &k, seq)?;
    }
    Ok(k)
}

/// Batch `seq` of [`BATCHES`], redeemed by the settlement key alone.
pub fn redeem(s: &Seeder, k: &ChannelKeys, seq: u64) -> Result<(), String> {
    let settlement = s.role("settlement");
    let (amount, usage) = BATCHES[seq as usize];
    let redeem = ix::redeem_from_channel(k, &settlement.pubkey(), seq, amount, usage_reference(usage));
    s.send("channel batch", &[redeem], &[settlement])
}
