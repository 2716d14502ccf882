//! What both backends share: the status names stored, the range checks of amounts (u64 in
//! signed 64-bit columns), the exact sum of amounts, and a batch's usage reference.
use sha2::{Digest, Sha256};
use solana_sdk::pubkey::Pubkey;

use super::{BatchStatus, ReceiptStatus, StoreError, StoreResult};

pub(crate) fn receipt_status(name: &str) -> StoreResult<ReceiptStatus> {
    Ok(match name {
        "reserved" => ReceiptStatus::Reserved,
        "final" => ReceiptStatus::Final,
        "batched" => ReceiptStatus::Batched,
        "void" => ReceiptStatus::Void,
        other => return Err(StoreError::Backend(format!("unknown receipt status `{other}`"))),
    })
}

pub(crate) fn batch_status(name: &str) -> StoreResult<BatchStatus> {
    Ok(match name {
        "pending" => BatchStatus::Pending,
        "settled" => BatchStatus::Settled,
        "failed" => BatchStatus::Failed,
        other => return Err(StoreError::Backend(format!("unknown batch status `{other}`"))),
    })
}

/// A u64 as the signed 64-bit integer both backends store; above `i64::MAX` it is refused.
pub(crate) fn to_i64(what: &str, v: u64) -> StoreResult<i64> {
    i64::try_from(v).map_err(|_| StoreError::Backend(format!("{what} {v} is over the storable i64::MAX")))
}

/// A stored integer back as a u64 (never negative: the columns are checked).
pub(crate) fn to_u64(what: &str, v: i64) -> StoreResult<u64> {
    u64::try_from(v).map_err(|_| StoreError::Backend(format!("stored {what} {v} is negative")))
}

pub(crate) fn pubkey(text: &str) -> StoreResult<Pubkey> {
    text.parse().map_err(|_| StoreError::Backend(format!("stored key `{text}` is not base58")))
}

pub(crate) fn hash32(what: &str, bytes: &[u8]) -> StoreResult<[u8; 32]> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Backend(format!("stored {what} is {} bytes, not 32", bytes.len())))
}

/// Sums of non-negative 64-bit amounts are taken in SQL as two sums that cannot overflow a
/// signed 64-bit integer: of the high 32 bits and of the low 32 bits of each amount (each term
/// is below 2^32, so 2^31 rows fit). This puts them together exactly.
pub(crate) fn join_split_sum(high: i64, low: i64) -> StoreResult<u128> {
    let (high, low) = (to_u64("sum", high)?, to_u64("sum", low)?);
    Ok((u128::from(high) << 32) + u128::from(low))
}

/// The SQL of the two sums over column `x` of a subquery (`>>` and `&` on 64-bit integers in
/// both backends), each cast with `cast` (PostgreSQL's SUM of BIGINT is NUMERIC: `::BIGINT`).
pub(crate) fn split_sums(cast: &str) -> String {
    format!("COALESCE(SUM(x >> 32), 0){cast}, COALESCE(SUM(x & 4294967295), 0){cast}")
}

/// `usage_reference` of a batch: SHA-256 over its receipt ids joined by `\n`, in batch order.
pub fn usage_reference<S: AsRef<str>>(receipt_ids: &[S]) -> [u8; 32] {
    let mut h = Sha256::new();
    for (i, id) in receipt_ids.iter().enumerate() {
        if i > 0 {
            h.update(b"\n");
        }
        h.update(id.as_ref().as_bytes());
    }
    h.finalize().into()
}

/// The receipts a new batch takes, from the channel's Final receipts as `(order key, id,
/// cost)`: the oldest `max_receipts` that cost something, and with them every Final receipt
/// that costs nothing (they ride along: a batch of zero is never made, since the program refuses
/// `ZeroAmount`). None when nothing costs anything. Returns the ids in batch order (oldest
/// first) and the amount.
pub(crate) fn pick_batch<K: Ord + Copy>(
    mut paying: Vec<(K, String, u64)>,
    free: Vec<(K, String, u64)>,
) -> StoreResult<Option<(Vec<String>, u64)>> {
    if paying.is_empty() {
        return Ok(None);
    }
    let mut amount: u64 = 0;
    for (_, _, cost) in &paying {
        amount = amount
            .checked_add(*cost)
            .ok_or_else(|| StoreError::Backend("a batch's amount overflows u64".into()))?;
    }
    to_i64("batch amount", amount)?;
    paying.extend(free);
    paying.sort_by_key(|(k, _, _)| *k);
    Ok(Some((paying.into_iter().map(|(_, id, _)| id).collect(), amount)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_sums_are_exact_past_i64() {
        let big = i64::MAX as u64;
        let (mut high, mut low) = (0i64, 0i64);
        for v in [big, big, 7] {
            high += (v >> 32) as i64;
            low += (v & 0xffff_ffff) as i64;
        }
        assert_eq!(join_split_sum(high, low).unwrap(), 2 * u128::from(big) + 7);
    }

    #[test]
    fn the_usage_reference_is_sha256_of_the_ids_joined_by_newlines() {
        let expected: [u8; 32] = Sha256::digest(b"a\nbc\nd").into();
        assert_eq!(usage_reference(&["a", "bc", "d"]), expected);
        let one: [u8; 32] = Sha256::digest(b"only").into();
        assert_eq!(usage_reference(&["only"]), one);
    }

    #[test]
    fn amounts_above_i64_max_are_refused() {
        assert_eq!(to_i64("x", i64::MAX as u64).unwrap(), i64::MAX);
        assert!(matches!(to_i64("x", i64::MAX as u64 + 1), Err(StoreError::Backend(_))));
        assert!(to_u64("x", -1).is_err());
    }
}
