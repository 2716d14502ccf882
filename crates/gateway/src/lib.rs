//! The usage gateway (issue 14): OpenAI-compatible endpoints in front of model upstreams, paid
//! from metering channels. Every request reserves its worst-case cost first, writes a durable
//! receipt, and the settlement worker redeems receipts in batches with the channel's sequence
//! number, so nothing is lost or burned twice across restarts and RPC failures.
pub mod settlement;
pub mod store;
pub mod testing;
