//! Helpers for the gateway's tests and the end-to-end tests that reuse them (plain code, no
//! test framework): a throwaway PostgreSQL server ([`pg::PgServer`]).
pub mod pg;
