//! The protocol's client over JSON-RPC. Today: deploying the program through the upgradeable
//! loader (`deploy`). The instruction builders, PDAs and account and event decoding move here
//! from the test harness next (issue "Reach the program over RPC").
pub mod deploy;
