//! Pyth pull-oracle `PriceUpdateV2` accounts, parsed from their documented layout (the
//! receiver SDK does not build against Anchor 1.2 / Solana 3.x).
//!
//! Layout (pyth-solana-receiver-sdk `price_update.rs`, pythnet-sdk `PriceFeedMessage`), all
//! little-endian, Borsh after Anchor's 8-byte discriminator:
//! `write_authority: [u8; 32]`, `verification_level: enum { Partial { num_signatures: u8 } = 0,
//! Full = 1 }`, `price_message: { feed_id: [u8; 32], price: i64, conf: u64, exponent: i32,
//! publish_time: i64, prev_publish_time: i64, ema_price: i64, ema_conf: u64 }`,
//! `posted_slot: u64`. The receiver allocates 134 bytes (room for the `Partial` variant), so a
//! `Full` account carries one byte of padding at the end.

use crate::median::{check_band, OracleError};
use crate::price::PriceBand;

/// `rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ`, the Pyth Solana receiver program.
pub const PYTH_RECEIVER_PROGRAM_ID: [u8; 32] = [
    12, 183, 250, 187, 82, 247, 166, 72, 187, 91, 49, 125, 154, 1, 139, 144, 87, 203, 2, 71, 116, 250, 254,
    1, 230, 196, 223, 152, 204, 56, 88, 129,
];

/// `sha256("account:PriceUpdateV2")[..8]`, Anchor's account discriminator.
pub const PRICE_UPDATE_V2_DISCRIMINATOR: [u8; 8] = [34, 241, 35, 99, 157, 126, 244, 205];

/// Bytes the receiver allocates for a `PriceUpdateV2`.
pub const PRICE_UPDATE_V2_LEN: usize = 8 + 32 + 2 + 32 + 8 + 8 + 4 + 8 + 8 + 8 + 8 + 8;

/// The fields of a `PriceUpdateV2` a consumer needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriceUpdateV2 {
    pub write_authority: [u8; 32],
    /// `None` = Full verification; `Some(n)` = Partial with `n` guardian signatures.
    pub partial_signatures: Option<u8>,
    pub feed_id: [u8; 32],
    pub price: i64,
    pub conf: u64,
    pub exponent: i32,
    pub publish_time: i64,
    pub prev_publish_time: i64,
    pub ema_price: i64,
    pub ema_conf: u64,
    pub posted_slot: u64,
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], OracleError> {
        let (head, rest) = self.0.split_first_chunk::<N>().ok_or(OracleError::InvalidAccount)?;
        self.0 = rest;
        Ok(*head)
    }
}

/// Parses the account data; refuses a wrong discriminator, a short account or a bad enum tag.
pub fn parse_price_update_v2(data: &[u8]) -> Result<PriceUpdateV2, OracleError> {
    let mut r = Reader(data);
    if r.take::<8>()? != PRICE_UPDATE_V2_DISCRIMINATOR {
        return Err(OracleError::InvalidAccount);
    }
    let write_authority = r.take::<32>()?;
    let partial_signatures = match r.take::<1>()?[0] {
        0 => Some(r.take::<1>()?[0]),
        1 => None,
        _ => return Err(OracleError::InvalidAccount),
    };
    Ok(PriceUpdateV2 {
        write_authority,
        partial_signatures,
        feed_id: r.take::<32>()?,
        price: i64::from_le_bytes(r.take()?),
        conf: u64::from_le_bytes(r.take()?),
        exponent: i32::from_le_bytes(r.take()?),
        publish_time: i64::from_le_bytes(r.take()?),
        prev_publish_time: i64::from_le_bytes(r.take()?),
        ema_price: i64::from_le_bytes(r.take()?),
        ema_conf: u64::from_le_bytes(r.take()?),
        posted_slot: u64::from_le_bytes(r.take()?),
    })
}

/// Serialises an update the way the receiver stores it (padded to `PRICE_UPDATE_V2_LEN`).
pub fn encode_price_update_v2(u: &PriceUpdateV2) -> Vec<u8> {
    let mut d = Vec::with_capacity(PRICE_UPDATE_V2_LEN);
    d.extend_from_slice(&PRICE_UPDATE_V2_DISCRIMINATOR);
    d.extend_from_slice(&u.write_authority);
    match u.partial_signatures {
        Some(n) => d.extend_from_slice(&[0, n]),
        None => d.push(1),
    }
    d.extend_from_slice(&u.feed_id);
    d.extend_from_slice(&u.price.to_le_bytes());
    d.extend_from_slice(&u.conf.to_le_bytes());
    d.extend_from_slice(&u.exponent.to_le_bytes());
    d.extend_from_slice(&u.publish_time.to_le_bytes());
    d.extend_from_slice(&u.prev_publish_time.to_le_bytes());
    d.extend_from_slice(&u.ema_price.to_le_bytes());
    d.extend_from_slice(&u.ema_conf.to_le_bytes());
    d.extend_from_slice(&u.posted_slot.to_le_bytes());
    d.resize(PRICE_UPDATE_V2_LEN, 0);
    d
}

/// Checks an update for a consumer: full verification, the expected feed id, a publish time
/// neither in the future nor older than `max_staleness_secs`, and a positive price with a
/// confidence inside `max_confidence_bps`. Returns the band (in the update's exponent) and
/// the publish time.
pub fn check_pyth(
    u: &PriceUpdateV2,
    expected_feed_id: &[u8; 32],
    now: i64,
    max_staleness_secs: u32,
    max_confidence_bps: u16,
) -> Result<(PriceBand, i64), OracleError> {
    if u.partial_signatures.is_some() {
        return Err(OracleError::PartialVerification);
    }
    if u.feed_id != *expected_feed_id {
        return Err(OracleError::WrongFeedId);
    }
    if u.publish_time > now || now - u.publish_time > i64::from(max_staleness_secs) {
        return Err(OracleError::Stale);
    }
    let band = check_band(u.price, u.conf, u.exponent, max_confidence_bps)?;
    Ok((band, u.publish_time))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::price::{value_floor, Price};
    use crate::CreditAtoms;

    fn b58_decode(s: &str) -> Vec<u8> {
        const ALPHABET: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        let mut out = vec![0u8; 32];
        for c in s.chars() {
            let mut carry = ALPHABET.find(c).unwrap() as u32;
            for b in out.iter_mut().rev() {
                carry += *b as u32 * 58;
                *b = carry as u8;
                carry >>= 8;
            }
        }
        out
    }

    fn update() -> PriceUpdateV2 {
        PriceUpdateV2 {
            write_authority: [9; 32],
            partial_signatures: None,
            feed_id: [0xab; 32],
            price: 250_000_000,
            conf: 500_000,
            exponent: -8,
            publish_time: 1_000,
            prev_publish_time: 999,
            ema_price: 249_000_000,
            ema_conf: 400_000,
            posted_slot: 77,
        }
    }

    #[test]
    fn constants_match_their_sources() {
        assert_eq!(b58_decode("rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ"), PYTH_RECEIVER_PROGRAM_ID);
        assert_eq!(PRICE_UPDATE_V2_LEN, 134);
    }

    #[test]
    fn roundtrip_full_and_partial() {
        let u = update();
        let bytes = encode_price_update_v2(&u);
        assert_eq!(bytes.len(), 134);
        assert_eq!(parse_price_update_v2(&bytes), Ok(u));
        let p = PriceUpdateV2 { partial_signatures: Some(3), ..u };
        assert_eq!(parse_price_update_v2(&encode_price_update_v2(&p)), Ok(p));
    }

    #[test]
    fn malformed_accounts_are_refused() {
        let mut bytes = encode_price_update_v2(&update());
        assert_eq!(parse_price_update_v2(&bytes[..100]), Err(OracleError::InvalidAccount));
        bytes[40] = 2;
        assert_eq!(parse_price_update_v2(&bytes), Err(OracleError::InvalidAccount));
        bytes[40] = 1;
        bytes[0] ^= 0xff;
        assert_eq!(parse_price_update_v2(&bytes), Err(OracleError::InvalidAccount));
    }

    #[test]
    fn each_check_refuses_by_name() {
        let u = update();
        let id = [0xab; 32];
        assert!(check_pyth(&u, &id, 1_000, 60, 200).is_ok());
        let partial = PriceUpdateV2 { partial_signatures: Some(13), ..u };
        assert_eq!(check_pyth(&partial, &id, 1_000, 60, 200), Err(OracleError::PartialVerification));
        assert_eq!(check_pyth(&u, &[1; 32], 1_000, 60, 200), Err(OracleError::WrongFeedId));
        assert_eq!(check_pyth(&u, &id, 1_061, 60, 200), Err(OracleError::Stale));
        assert_eq!(check_pyth(&u, &id, 999, 60, 200), Err(OracleError::Stale));
        let neg = PriceUpdateV2 { price: -1, ..u };
        assert_eq!(check_pyth(&neg, &id, 1_000, 60, 200), Err(OracleError::InvalidPrice));
        assert_eq!(check_pyth(&u, &id, 1_000, 60, 19), Err(OracleError::ConfidenceTooWide));
    }

    #[test]
    fn exponent_converts_exactly() {
        // 250_000_000 * 10^-8 = $2.50 per GPU-hour; one credit (6 decimals) in USDC atoms
        let (band, _) = check_pyth(&update(), &[0xab; 32], 1_000, 60, 200).unwrap();
        let p = Price::new(band.mantissa, band.expo).unwrap();
        assert_eq!(value_floor(CreditAtoms(1_000_000), p, 6, 6).unwrap().0, 2_500_000);
    }
}
