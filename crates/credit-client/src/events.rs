//! Events decoded from a transaction's logs, the way an indexer reads them: each
//! `Program data: <base64>` line holds one event (Anchor's `emit!`) or, for the market engine's
//! events, several back to back (`events_v2::log_events`: each an 8-byte discriminator then its
//! Borsh fields; the discriminator names the type, whose layout gives the length). Bytes that
//! decode as none of the program's events are skipped, never trusted.
use anchor_lang::{AnchorDeserialize, Discriminator};
use base64::Engine;
use compute_credits::events_v2::{
    DepositV2, FillV2, MarketFeesWithdrawn, OrderPlacedV2, OrderRemovedV2, SeatClaimedV2, WithdrawV2,
};

/// The length of the `U` at the start of `bytes`, if it starts with a whole `U`.
fn len_of<U: AnchorDeserialize + Discriminator>(bytes: &[u8]) -> Option<usize> {
    let mut rest = bytes.strip_prefix(U::DISCRIMINATOR)?;
    U::deserialize(&mut rest).ok()?;
    Some(bytes.len() - rest.len())
}

/// The events of one `Program data:` field: the market engine's events back to back, or one
/// event of another kind (the whole field).
pub fn split(mut bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = vec![];
    while !bytes.is_empty() {
        let len = len_of::<OrderPlacedV2>(bytes)
            .or_else(|| len_of::<OrderRemovedV2>(bytes))
            .or_else(|| len_of::<FillV2>(bytes))
            .or_else(|| len_of::<SeatClaimedV2>(bytes))
            .or_else(|| len_of::<DepositV2>(bytes))
            .or_else(|| len_of::<WithdrawV2>(bytes))
            .or_else(|| len_of::<MarketFeesWithdrawn>(bytes))
            .unwrap_or(bytes.len());
        out.push(&bytes[..len]);
        bytes = &bytes[len..];
    }
    out
}

/// Every event's bytes (discriminator first) in `logs`, in order.
pub fn raw_events(logs: &[String]) -> Vec<Vec<u8>> {
    logs.iter()
        .filter_map(|line| line.strip_prefix("Program data: "))
        .flat_map(|data| data.split(' '))
        .filter_map(|data| base64::engine::general_purpose::STANDARD.decode(data).ok())
        .flat_map(|bytes| split(&bytes).into_iter().map(<[u8]>::to_vec).collect::<Vec<_>>())
        .collect()
}

/// Every event of type `T` in `logs`, in order.
pub fn events<T: AnchorDeserialize + Discriminator>(logs: &[String]) -> Vec<T> {
    raw_events(logs).iter().filter_map(|bytes| decode::<T>(bytes)).collect()
}

/// `bytes` as a `T` if they carry `T`'s discriminator and a whole `T`.
pub fn decode<T: AnchorDeserialize + Discriminator>(bytes: &[u8]) -> Option<T> {
    let mut rest = bytes.strip_prefix(T::DISCRIMINATOR)?;
    T::deserialize(&mut rest).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::prelude::Pubkey;
    use anchor_lang::AnchorSerialize;

    fn fill(seq: u64) -> FillV2 {
        FillV2 {
            market: Pubkey::new_unique(),
            seq,
            maker_seat: 1,
            maker_side: 0,
            maker_seq: 7,
            taker_seat: None,
            price: 250,
            lots: 3,
            maker_fee: 1,
            taker_fee: 2,
        }
    }

    fn bytes(f: &FillV2) -> Vec<u8> {
        let mut out = FillV2::DISCRIMINATOR.to_vec();
        f.serialize(&mut out).unwrap();
        out
    }

    fn line(data: &[u8]) -> String {
        format!("Program data: {}", base64::engine::general_purpose::STANDARD.encode(data))
    }

    #[test]
    fn back_to_back_events_split_and_decode() {
        let (a, b) = (fill(1), fill(2));
        let logs = vec![line(&[bytes(&a), bytes(&b)].concat())];
        let fills = events::<FillV2>(&logs);
        assert_eq!(fills.iter().map(|f| f.seq).collect::<Vec<_>>(), vec![1, 2]);
    }

    #[test]
    fn foreign_and_truncated_data_is_skipped() {
        let good = bytes(&fill(9));
        let truncated = &good[..good.len() - 3];
        let logs = vec![
            "Program data: !!not base64!!".to_string(),
            line(truncated),
            line(&[1, 2, 3, 4, 5, 6, 7, 8, 9]),
            "Program log: Instruction: PlaceOrderV2".to_string(),
            line(&good),
        ];
        let fills = events::<FillV2>(&logs);
        assert_eq!(fills.len(), 1);
        assert_eq!(fills[0].seq, 9);
    }
}
