pub mod bench;
pub mod calculate;
pub mod demo;
pub mod idl;

/// Errors the CLI prints before exiting non-zero.
pub type CliResult = Result<(), String>;
