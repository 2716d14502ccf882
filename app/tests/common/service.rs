//! A long-running process a test starts (the gateway, the model server, llm-katan), ready when
//! it prints a line with a given prefix, killed when dropped.
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
