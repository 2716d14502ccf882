//! API keys: a holder proves it owns the channel's wallet by signing a message (ed25519, the
//! way wallets sign messages), and gets a key once. Only the key's SHA-256 is stored; a proof
//! is accepted once and only while fresh, so a copied proof cannot mint another key.
use sha2::{Digest, Sha256};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::Signature;

/// A proof is accepted this long around the gateway's clock.
pub const PROOF_WINDOW_SECS: i64 = 300;
const KEY_PREFIX: &str = "sk-cc-";

/// What a holder signs to get a key for `channel`.
pub fn issue_message(gateway: &Pubkey, channel: &Pubkey, holder: &Pubkey, issued_at: i64) -> String {
    format!(
        "compute-credits gateway: issue an API key\ngateway: {gateway}\nchannel: {channel}\nholder: {holder}\nissued-at: {issued_at}"
    )
}

/// What a holder signs to revoke key `id`.
pub fn revoke_message(gateway: &Pubkey, key_id: &str, holder: &Pubkey, issued_at: i64) -> String {
    format!(
        "compute-credits gateway: revoke an API key\ngateway: {gateway}\nkey: {key_id}\nholder: {holder}\nissued-at: {issued_at}"
    )
}

/// A parsed, signature-checked proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    pub action: Action,
    pub gateway: Pubkey,
    pub holder: Pubkey,
    pub issued_at: i64,
    /// SHA-256 of the signed message: the once-only record.
    pub hash: [u8; 32],
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Issue { channel: Pubkey },
    Revoke { key_id: String },
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("the message is not a gateway key message")]
    Malformed,
    #[error("the signature is not the holder's over this message")]
    BadSignature,
    #[error("the message is for another gateway")]
    OtherGateway,
    #[error("the message is stale or from the future (signed at {0})")]
    Stale(i64),
}

/// Checks `message` signed by `signature` (base58) for gateway `gateway` at `now`.
pub fn verify(gateway: &Pubkey, message: &str, signature: &str, now: i64) -> Result<Proof, ProofError> {
    let mut lines = message.split('\n');
    let head = lines.next().ok_or(ProofError::Malformed)?;
    let mut field = |name: &str| -> Result<String, ProofError> {
        let line = lines.next().ok_or(ProofError::Malformed)?;
        line.strip_prefix(name)
            .and_then(|v| v.strip_prefix(": "))
            .map(str::to_string)
            .ok_or(ProofError::Malformed)
    };
    let key = |v: String| v.parse::<Pubkey>().map_err(|_| ProofError::Malformed);
    let (gw, action, holder, issued_at) = match head {
        "compute-credits gateway: issue an API key" => {
            let gw = key(field("gateway")?)?;
            let channel = key(field("channel")?)?;
            (gw, Action::Issue { channel }, key(field("holder")?)?, field("issued-at")?)
        }
        "compute-credits gateway: revoke an API key" => {
            let gw = key(field("gateway")?)?;
            let key_id = field("key")?;
            (gw, Action::Revoke { key_id }, key(field("holder")?)?, field("issued-at")?)
        }
        _ => return Err(ProofError::Malformed),
    };
    if lines.next().is_some() {
        return Err(ProofError::Malformed);
    }
    let issued_at: i64 = issued_at.parse().map_err(|_| ProofError::Malformed)?;
    let sig: Signature = signature.parse().map_err(|_| ProofError::BadSignature)?;
    if !sig.verify(holder.as_ref(), message.as_bytes()) {
        return Err(ProofError::BadSignature);
    }
    if gw != *gateway {
        return Err(ProofError::OtherGateway);
    }
    if (now - issued_at).abs() > PROOF_WINDOW_SECS {
        return Err(ProofError::Stale(issued_at));
    }
    Ok(Proof { action, gateway: gw, holder, issued_at, hash: sha256(message.as_bytes()) })
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// A new key: (public id, the secret the holder is shown once, its hash).
pub fn new_key() -> (String, String, [u8; 32]) {
    let mut id = [0u8; 6];
    let mut secret = [0u8; 32];
    getrandom::getrandom(&mut id).expect("os randomness");
    getrandom::getrandom(&mut secret).expect("os randomness");
    let id = hex::encode(id);
    let key = format!("{KEY_PREFIX}{id}-{}", bs58::encode(secret).into_string());
    let hash = sha256(key.as_bytes());
    (id, key, hash)
}

/// The hash a presented key is looked up by; None if it is not shaped like ours.
pub fn presented(key: &str) -> Option<[u8; 32]> {
    key.starts_with(KEY_PREFIX).then(|| sha256(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_sdk::signature::{Keypair, Signer};

    fn signed(k: &Keypair, m: &str) -> String {
        k.sign_message(m.as_bytes()).to_string()
    }

    #[test]
    fn a_fresh_proof_of_the_holder_passes() {
        let (holder, gw, ch) = (Keypair::new(), Pubkey::new_unique(), Pubkey::new_unique());
        let m = issue_message(&gw, &ch, &holder.pubkey(), 1_000);
        let p = verify(&gw, &m, &signed(&holder, &m), 1_100).unwrap();
        assert_eq!(p.action, Action::Issue { channel: ch });
        assert_eq!(p.holder, holder.pubkey());
        assert_eq!(p.hash, sha256(m.as_bytes()));
    }

    #[test]
    fn forged_stale_foreign_or_altered_proofs_fail() {
        let (holder, thief, gw, ch) =
            (Keypair::new(), Keypair::new(), Pubkey::new_unique(), Pubkey::new_unique());
        let m = issue_message(&gw, &ch, &holder.pubkey(), 1_000);
        // Someone else's signature over the holder's message.
        assert_eq!(verify(&gw, &m, &signed(&thief, &m), 1_000), Err(ProofError::BadSignature));
        // The holder's signature over another channel's message.
        let other = issue_message(&gw, &Pubkey::new_unique(), &holder.pubkey(), 1_000);
        assert_eq!(verify(&gw, &other, &signed(&holder, &m), 1_000), Err(ProofError::BadSignature));
        // For another gateway.
        assert_eq!(
            verify(&Pubkey::new_unique(), &m, &signed(&holder, &m), 1_000),
            Err(ProofError::OtherGateway)
        );
        // Stale and future.
        assert_eq!(verify(&gw, &m, &signed(&holder, &m), 1_301), Err(ProofError::Stale(1_000)));
        assert_eq!(verify(&gw, &m, &signed(&holder, &m), 699), Err(ProofError::Stale(1_000)));
        // Trailing text, other headers, garbage signatures.
        let longer = format!("{m}\nextra: 1");
        assert_eq!(verify(&gw, &longer, &signed(&holder, &longer), 1_000), Err(ProofError::Malformed));
        assert_eq!(verify(&gw, "hello", &signed(&holder, "hello"), 1_000), Err(ProofError::Malformed));
        assert_eq!(verify(&gw, &m, "not-a-signature", 1_000), Err(ProofError::BadSignature));
    }

    #[test]
    fn revoke_proofs_name_the_key() {
        let (holder, gw) = (Keypair::new(), Pubkey::new_unique());
        let m = revoke_message(&gw, "a1b2c3", &holder.pubkey(), 5);
        let p = verify(&gw, &m, &signed(&holder, &m), 5).unwrap();
        assert_eq!(p.action, Action::Revoke { key_id: "a1b2c3".into() });
    }

    #[test]
    fn keys_are_random_and_hashed() {
        let (id1, k1, h1) = new_key();
        let (id2, k2, h2) = new_key();
        assert_ne!(k1, k2);
        assert_ne!(id1, id2);
        assert!(k1.starts_with(&format!("sk-cc-{id1}-")));
        assert_eq!(presented(&k1), Some(h1));
        assert_eq!(presented(&k2), Some(h2));
        assert_eq!(presented("sk-other"), None);
    }
}
