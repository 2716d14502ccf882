//! The keeper's connection and its retries: an RPC failure (the node dropped, restarted or timed
//! out) is retried with exponential backoff on a fresh client (new connections), and a round
//! that still cannot complete is given up and tried again later; the keeper itself goes on.
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use credit_client::read::ReadError;
use credit_client::tx::TxError;
use serde_json::json;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::RpcClient;

use super::log::Log;

/// The first retry waits this long, each next one twice as long...
pub const FIRST_DELAY: Duration = Duration::from_millis(500);
/// ...up to this.
pub const MAX_DELAY: Duration = Duration::from_secs(30);
/// Attempts of one RPC step before the round is given up (0.5 + 1 + 2 + 4 + 8 s of waiting).
pub const ATTEMPTS: u32 = 6;

/// Why a step failed.
#[derive(Debug)]
pub enum Failure {
    /// The RPC did not answer (retried).
    Rpc(String),
    /// Anything else: an account that does not decode, a transaction the pipeline refuses.
    Other(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Rpc(e) => write!(f, "RPC: {e}"),
            Failure::Other(e) => write!(f, "{e}"),
        }
    }
}

impl From<ReadError> for Failure {
    fn from(e: ReadError) -> Failure {
        match e {
            ReadError::Rpc(e) => Failure::Rpc(e),
            other => Failure::Other(other.to_string()),
        }
    }
}

impl From<TxError> for Failure {
    fn from(e: TxError) -> Failure {
        match e {
            TxError::Rpc(e) => Failure::Rpc(e),
            // its blockhash expired before it landed: plan it again
            TxError::Expired(sig) => Failure::Rpc(format!("{sig} expired before it was confirmed")),
            other => Failure::Other(other.to_string()),
        }
    }
}

/// The delay before retry `n` (0-based): `FIRST_DELAY * 2^n`, at most `MAX_DELAY`.
pub fn delay(n: u32) -> Duration {
    FIRST_DELAY.saturating_mul(1u32.checked_shl(n).unwrap_or(u32::MAX)).min(MAX_DELAY)
}

/// Sleeps `d`, waking early when `stop` is set. True when stopped.
pub fn sleep_unless_stopped(d: Duration, stop: &AtomicBool) -> bool {
    let step = Duration::from_millis(50);
    let mut left = d;
    while !left.is_zero() {
        if stop.load(Ordering::SeqCst) {
            return true;
        }
        let now = left.min(step);
        std::thread::sleep(now);
        left -= now;
    }
    stop.load(Ordering::SeqCst)
}

/// The RPC endpoint and the client in use (replaced after a failure: a restarted node leaves
/// the old client's pooled connections dead).
pub struct Conn {
    url: String,
    commitment: CommitmentConfig,
    pub rpc: RpcClient,
}

impl Conn {
    pub fn new(url: &str, commitment: CommitmentConfig) -> Conn {
        Conn { url: url.into(), commitment, rpc: RpcClient::new_with_commitment(url.to_string(), commitment) }
    }

    pub fn reconnect(&mut self) {
        self.rpc = RpcClient::new_with_commitment(self.url.clone(), self.commitment);
    }

    /// Runs `step` until it succeeds, fails for another reason than the RPC, or has failed
    /// [`ATTEMPTS`] times (or the keeper is stopping), logging each retry.
    pub fn retry<T>(
        &mut self,
        what: &str,
        stop: &AtomicBool,
        log: &Log,
        mut step: impl FnMut(&RpcClient) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        let mut n = 0;
        loop {
            match step(&self.rpc) {
                Err(Failure::Rpc(e)) if n + 1 < ATTEMPTS && !stop.load(Ordering::SeqCst) => {
                    let wait = delay(n);
                    log.line(
                        "rpc_error",
                        &format!("{what}: {e}; retry {} of {} in {wait:?}", n + 1, ATTEMPTS - 1),
                        json!({ "during": what, "error": e, "retry": n + 1, "retryInMs": wait.as_millis() as u64 }),
                    );
                    if sleep_unless_stopped(wait, stop) {
                        return Err(Failure::Rpc(e));
                    }
                    self.reconnect();
                    n += 1;
                }
                other => return other,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        assert_eq!(delay(0), Duration::from_millis(500));
        assert_eq!(delay(1), Duration::from_secs(1));
        assert_eq!(delay(4), Duration::from_secs(8));
        assert_eq!(delay(6), MAX_DELAY);
        assert_eq!(delay(40), MAX_DELAY);
    }

    #[test]
    fn only_rpc_failures_are_retried_and_only_so_often() {
        let stop = AtomicBool::new(false);
        let log = Log::new(crate::context::Output::JsonCompact);
        // nothing listens on port 9 of loopback: every call fails as the RPC
        let mut conn = Conn::new("http://127.0.0.1:9", CommitmentConfig::confirmed());
        let mut calls = 0;
        let r: Result<(), Failure> = conn.retry("test", &stop, &log, |_| {
            calls += 1;
            if calls < 3 {
                Err(Failure::Rpc("down".into()))
            } else {
                Ok(())
            }
        });
        assert!(r.is_ok());
        assert_eq!(calls, 3);
        let mut calls = 0;
        let r: Result<(), Failure> = conn.retry("test", &stop, &log, |_| {
            calls += 1;
            Err(Failure::Other("no".into()))
        });
        assert!(matches!(r, Err(Failure::Other(_))));
        assert_eq!(calls, 1);
        // a stopping keeper does not wait for the next attempt
        stop.store(true, Ordering::SeqCst);
        let mut calls = 0;
        let r: Result<(), Failure> = conn.retry("test", &stop, &log, |_| {
            calls += 1;
            Err(Failure::Rpc("down".into()))
        });
        assert!(matches!(r, Err(Failure::Rpc(_))));
        assert_eq!(calls, 1);
    }
}
