//! Events decoded from a transaction's logs (`Program data: <base64>`, Anchor's `emit!`), the
//! way an indexer reads them. Only the `.so` records program logs: natively the program is a
//! builtin and its transactions carry none.
use anchor_lang::{AnchorDeserialize, Discriminator};
use base64::Engine;

/// Every event of type `T` in `logs`, in order.
pub fn events<T: AnchorDeserialize + Discriminator>(logs: &[String]) -> Vec<T> {
    logs.iter()
        .filter_map(|line| line.strip_prefix("Program data: "))
        .filter_map(|data| base64::engine::general_purpose::STANDARD.decode(data).ok())
        .filter(|bytes| bytes.starts_with(T::DISCRIMINATOR))
        .map(|bytes| {
            T::deserialize(&mut &bytes[T::DISCRIMINATOR.len()..]).expect("an event of the program's layout")
        })
        .collect()
}
