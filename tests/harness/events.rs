//! Events decoded from a transaction's logs, the way an indexer reads them: each
//! `Program data: <base64>` line holds one event (Anchor's `emit!`) or, for market v2's engine
//! events, several back to back (`events_v2::log_events`: each an 8-byte discriminator then
//! its Borsh fields; the discriminator names the type, whose layout gives the length). Only the
//! `.so` records program logs: natively the program is a builtin and its transactions carry
//! none.
use anchor_lang::{AnchorDeserialize, Discriminator};
use base64::Engine;
use compute_credits::events_v2::{
    DepositV2, FillV2, MarketFeesWithdrawn, OrderPlacedV2, OrderRemovedV2, SeatClaimedV2, WithdrawV2,
};

/// The length of the `U` at the start of `bytes`, if it starts with `U`'s discriminator.
fn len_of<U: AnchorDeserialize + Discriminator>(bytes: &[u8]) -> Option<usize> {
    let mut rest = bytes.strip_prefix(U::DISCRIMINATOR)?;
    U::deserialize(&mut rest).expect("an event of the program's layout");
    Some(bytes.len() - rest.len())
}

/// The events of one `Program data:` field: the market v2 engine events back to back, or one
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

/// Every event of type `T` in `logs`, in order.
pub fn events<T: AnchorDeserialize + Discriminator>(logs: &[String]) -> Vec<T> {
    logs.iter()
        .filter_map(|line| line.strip_prefix("Program data: "))
        .flat_map(|data| data.split(' '))
        .filter_map(|data| base64::engine::general_purpose::STANDARD.decode(data).ok())
        .flat_map(|bytes| split(&bytes).into_iter().map(<[u8]>::to_vec).collect::<Vec<_>>())
        .filter(|bytes| bytes.starts_with(T::DISCRIMINATOR))
        .map(|bytes| {
            T::deserialize(&mut &bytes[T::DISCRIMINATOR.len()..]).expect("an event of the program's layout")
        })
        .collect()
}
