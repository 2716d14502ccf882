//! A long-running process a test (or the benchmark) starts: the gateway, the model server,
//! llm-katan; ready when it prints a line with a given prefix, killed when dropped. Starters for
//! the two upstreams the tests use, from the files the repository's scripts install.
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Service {
    pub name: String,
    child: Child,
    /// What it printed after the ready line, line by line (stdout and stderr).
    pub lines: mpsc::Receiver<String>,
}

fn pump(stream: impl std::io::Read + Send + 'static, tx: mpsc::Sender<String>, echo: &'static str) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            eprintln!("{echo}{line}");
            if tx.send(line).is_err() {
                break;
            }
        }
    });
}

impl Service {
    /// Starts `cmd` and waits up to `wait` for a line starting with `ready`; returns the
    /// service and that line's rest.
    pub fn start(name: &str, mut cmd: Command, ready: &str, wait: Duration) -> (Service, String) {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        let (tx, lines) = mpsc::channel();
        let echo: &'static str = Box::leak(format!("[{name}] ").into_boxed_str());
        pump(child.stdout.take().expect("stdout"), tx.clone(), echo);
        pump(child.stderr.take().expect("stderr"), tx, echo);
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline
                .checked_duration_since(Instant::now())
                .unwrap_or_else(|| panic!("{name} printed no `{ready}` line in {wait:?}"));
            match lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix(ready) {
                        let rest = rest.to_string();
                        return (Service { name: name.into(), child, lines }, rest);
                    }
                }
                Err(_) => {
                    let status = child.try_wait().ok().flatten();
                    panic!("{name} did not become ready (exit status {status:?})");
                }
            }
        }
    }

    /// Kills it at once (SIGKILL: a crash, nothing flushed) and reaps it.
    pub fn crash(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM and wait (at most 30 s) for a clean exit.
    pub fn terminate(mut self) {
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: signalling our own child process
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "{} exited with {status}", self.name);
                return;
            }
            assert!(Instant::now() < deadline, "{} did not stop within 30 s of SIGTERM", self.name);
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The repository's root (this crate is `crates/gateway`).
pub fn repo() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

/// The model file `crates/gateway/scripts/fetch-model` puts in target/models (or `$CREDITS_MODEL`).
pub fn model_file() -> std::path::PathBuf {
    let path = std::env::var("CREDITS_MODEL")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| repo().join("target/models/SmolLM2-135M-Instruct.Q4_1.gguf"));
    assert!(
        path.exists(),
        "{}: run crates/gateway/scripts/fetch-model first (scripts/test does)",
        path.display()
    );
    path
}

/// The venv's python `crates/gateway/scripts/gateway-python` makes (llm-katan, openai).
pub fn python() -> std::path::PathBuf {
    let path = repo().join("target/gateway-venv/bin/python");
    assert!(
        path.exists(),
        "{}: run crates/gateway/scripts/gateway-python first (scripts/test does)",
        path.display()
    );
    path
}

/// Our node-llama-cpp adapter serving the SmolLM2 model (`extra`: more flags); returns the
/// service and its OpenAI base URL (`http://127.0.0.1:PORT/v1`).
pub fn model_server(extra: &[&str]) -> (Service, String) {
    let mut cmd = Command::new("node");
    cmd.arg(repo().join("crates/gateway/model-server/server.mjs"))
        .args(["--model", model_file().to_str().expect("utf-8 path"), "--host", "127.0.0.1", "--port", "0"])
        .args(extra);
    let (svc, url) = Service::start("model", cmd, "listening on ", Duration::from_secs(120));
    (svc, format!("{}/v1", url.trim()))
}

/// llm-katan 0.22.0's echo backend serving `model` (OpenAI provider only; `extra`: fault flags
/// such as `--rate-limit-after N`); returns the service and its OpenAI base URL.
pub fn katan(model: &str, extra: &[&str]) -> (Service, String) {
    let mut cmd = Command::new(python());
    cmd.args(["-m", "llm_katan.cli", "--model", model, "--backend", "echo", "--providers", "openai"])
        .args(["--host", "127.0.0.1", "--port", "0", "--stats-file", "", "--disable-dashboard"])
        .args(extra);
    let (svc, rest) = Service::start("katan", cmd, "INFO:     Uvicorn running on ", Duration::from_secs(60));
    let url = rest.split_whitespace().next().expect("katan's URL").to_string();
    (svc, format!("{url}/v1"))
}
