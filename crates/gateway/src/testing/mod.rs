//! Helpers for the gateway's tests and the end-to-end tests that reuse them (plain code, no
//! test framework): a throwaway PostgreSQL server ([`pg::PgServer`]), processes started for a
//! test ([`service::Service`]) with the model server and llm-katan.
pub mod pg;
pub mod service;
