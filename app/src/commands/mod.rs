//! The CLI's subcommands. Reports of the commands that run a bank go through `say!`.

/// Where reports go: a copy of stdout taken before the bank starts (see [`open_report`]).
#[cfg(feature = "embedded")]
pub static REPORT: std::sync::OnceLock<std::sync::Mutex<std::fs::File>> = std::sync::OnceLock::new();

#[cfg(feature = "embedded")]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        // format first: the arguments may await, and the lock must not be held across that
        let line = format!($($arg)*);
        let mut out = $crate::commands::REPORT.get().expect("report opened").lock().expect("report lock");
        let _ = writeln!(out, "{line}");
    }};
}

/// Natively the program is linked into this process and solana-msg prints its `msg!` logs to
/// stdout, which would bury the report. The report keeps its own copy of stdout and fd 1 goes
/// to /dev/null while the bank runs (on the `.so` the logs go to the bank's log collector).
#[cfg(feature = "embedded")]
pub fn open_report() -> Result<(), String> {
    use std::os::fd::{AsRawFd, FromRawFd};
    let stdout = std::io::stdout();
    let _ = std::io::Write::flush(&mut stdout.lock());
    // SAFETY: dup/dup2 on descriptors this process owns; the duplicate is handed to a File once.
    let copy = unsafe { libc::dup(stdout.as_raw_fd()) };
    if copy < 0 {
        return Err("cannot duplicate stdout".into());
    }
    let null = std::fs::OpenOptions::new().write(true).open("/dev/null").map_err(|e| e.to_string())?;
    if unsafe { libc::dup2(null.as_raw_fd(), stdout.as_raw_fd()) } < 0 {
        return Err("cannot silence program logs".into());
    }
    let file = unsafe { std::fs::File::from_raw_fd(copy) };
    REPORT.set(std::sync::Mutex::new(file)).map_err(|_| "report opened twice".to_string())
}

pub mod accounts;
pub mod args;
#[cfg(feature = "embedded")]
pub mod bench;
pub mod calculate;
pub mod channel;
pub mod class;
#[cfg(feature = "embedded")]
pub mod demo;
pub mod deploy;
pub mod feed;
pub mod gateway;
pub mod guardian;
pub mod holder;
pub mod idl;
pub mod keeper;
pub mod lending;
pub mod loan;
pub mod localnet;
pub mod market;
#[cfg(feature = "embedded")]
pub mod market_sim;
pub mod output;
pub mod platform;
pub mod provider;
pub mod submit;
pub mod token;
pub mod underwriter;
pub mod wallet;
pub mod web;

/// Errors the CLI prints before exiting non-zero.
pub type CliResult = Result<(), String>;
