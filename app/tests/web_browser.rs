//! The web app in a real browser, as a newcomer meets it: `app localnet --web --seed` started
//! as a separate process (random ports, the sample world in a temporary directory), then the
//! Playwright scenarios of `web/e2e` in headless Debian Chromium with Wallet Standard test
//! wallets, and the TypeScript client's tests against the same world (`npm run test:world` in
//! clients/ts); the process is stopped by its pid. Needs `$SBF_OUT_DIR/compute_credits.so`, a
//! built `web/dist` (built by the command if missing), `npm ci` done in web/e2e and clients/ts,
//! and Chromium (`/usr/bin/chromium`, or `$CHROMIUM`).
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod common;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").to_path_buf()
}

/// `app localnet --web --seed DIR` on random ports, its output echoed and kept.
struct World {
    child: Child,
    dir: PathBuf,
    lines: mpsc::Receiver<String>,
}

impl World {
    fn start() -> World {
        let dir = std::env::temp_dir().join(format!("credits-web-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("world directory");
        let so = PathBuf::from(std::env::var("SBF_OUT_DIR").expect("SBF_OUT_DIR")).join("compute_credits.so");
        let mut child = Command::new(env!("CARGO_BIN_EXE_app"))
            .args(["localnet", "--web", "--seed", dir.to_str().unwrap()])
            .args(["--rpc-port", "0", "--ws-port", "0", "--web-port", "0", "--slot-ms", "100"])
            .args(["--program", so.to_str().unwrap()])
            .arg("--web-dist")
            .arg(repo().join("web/dist"))
            // no Solana CLI config of the machine's user leaks in
            .env("HOME", &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start app localnet --web --seed");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                println!("[localnet] {line}");
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        World { child, dir, lines }
    }

    fn world_json(&self) -> PathBuf {
        self.dir.join("world.json")
    }

    /// Waits for `world.json` (the seeding done), failing if the process exits first.
    fn wait_seeded(&mut self) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(600);
        while !self.world_json().exists() {
            if let Some(status) = self.child.try_wait().expect("wait") {
                panic!("app localnet exited ({status}) before writing world.json");
            }
            assert!(Instant::now() < deadline, "no world.json within 600 s");
            std::thread::sleep(Duration::from_millis(200));
        }
        let text = std::fs::read_to_string(self.world_json()).expect("world.json");
        serde_json::from_str(&text).expect("world.json is JSON")
    }

    /// Stops the process by its pid (SIGINT, as Ctrl-C) and checks it exited cleanly.
    fn stop(mut self) {
        common::node::interrupt_and_wait(&mut self.child, &self.lines);
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs `program args` in `dir` with the world's environment, output echoed; asserts exit 0.
fn run(dir: &Path, world: &Path, program: &str, args: &[&str]) {
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("CREDITS_WORLD", world)
        .env("APP_BIN", env!("CARGO_BIN_EXE_app"))
        .status()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    println!(
        "`{program} {}` in {}: {status} after {:.0} s",
        args.join(" "),
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    assert!(status.success(), "`{program} {}` failed: {status}", args.join(" "));
}

#[test]
fn the_web_app_in_a_real_browser() {
    let mut world = World::start();
    let seeded = world.wait_seeded();
    let app_url = seeded["appUrl"].as_str().expect("appUrl").to_string();
    assert!(app_url.starts_with("http://127.0.0.1:"), "{app_url}");
    let path = world.world_json();
    run(&repo(), &path, "node", &["--test", "--test-concurrency=1", "web/e2e/"]);
    run(&repo().join("clients/ts"), &path, "npm", &["run", "test:world"]);
    world.stop();
}
