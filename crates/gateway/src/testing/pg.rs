//! A throwaway PostgreSQL server from Debian's `postgresql` package, for tests: `initdb` into a
//! fresh directory (trust authentication, user `postgres`), `pg_ctl start` on 127.0.0.1 with a
//! free port and the unix socket in that directory, databases made with `createdb`; stopped and
//! removed when the [`PgServer`] is dropped.
//!
//! The binaries are found on `PATH`, then in `/usr/lib/postgresql/<newest>/bin`. Missing
//! binaries are an error that says to install `postgresql` (the tests fail, never skip).
//! `initdb` refuses to run as root: as root every server command runs as the `postgres` user
//! (`runuser -u postgres --`), which owns the directory.
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

/// A running server. Stops (fast: `-m immediate`) and deletes its directory when dropped.
pub struct PgServer {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    run_as: Option<String>,
    stopped: bool,
}

const INSTALL: &str =
    "PostgreSQL's server binaries (initdb, pg_ctl, createdb) are missing: install Debian's \
     `postgresql` package (apt-get install -y postgresql)";

/// The directory holding `initdb`, `pg_ctl` and `createdb`.
pub fn find_bin_dir() -> Result<PathBuf, String> {
    let has_all = |d: &Path| ["initdb", "pg_ctl", "createdb"].iter().all(|b| d.join(b).is_file());
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if has_all(&dir) {
                return Ok(dir);
            }
            // /usr/local/bin/initdb may be a link into the versioned directory; follow it
            if let Ok(real) = std::fs::canonicalize(dir.join("initdb")) {
                if let Some(parent) = real.parent().filter(|p| has_all(p)) {
                    return Ok(parent.to_path_buf());
                }
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| INSTALL.to_string())?
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse::<u32>().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| has_all(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or_else(|| INSTALL.to_string())
}

fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn id_of(user: &str, flag: &str) -> Result<u32, String> {
    let out = Command::new("id").args([flag, user]).output().map_err(|e| format!("id: {e}"))?;
    String::from_utf8_lossy(&out.stdout).trim().parse().map_err(|_| {
        format!("no user `{user}` to run PostgreSQL as root with ({INSTALL}; it creates the user)")
    })
}

fn check(what: &str, out: std::io::Result<Output>) -> Result<Output, String> {
    let out = out.map_err(|e| format!("{what}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(out)
}

impl PgServer {
    /// Makes a cluster in a fresh temporary directory and starts it.
    pub fn start() -> Result<PgServer, String> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let bin = find_bin_dir()?;
        let dir = std::env::temp_dir().join(format!(
            "gateway-pg-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{dir:?}: {e}"))?;
        let run_as = if is_root() {
            let (uid, gid) = (id_of("postgres", "-u")?, id_of("postgres", "-g")?);
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid))
                .map_err(|e| format!("chown {dir:?}: {e}"))?;
            Some("postgres".to_string())
        } else {
            None
        };
        let mut server = PgServer { bin, dir, port: 0, run_as, stopped: true };
        let data = server.dir.join("data");
        let data = data.to_str().ok_or("temporary directory is not UTF-8")?.to_string();
        check(
            "initdb",
            server
                .command("initdb")
                .args([
                    "-D",
                    &data,
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync",
                ])
                .output(),
        )?;
        // a port picked free may be taken before the server binds it: try a few
        let mut last = String::new();
        for _ in 0..5 {
            server.port = free_port()?;
            let options = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                server.port,
                server.dir.display()
            );
            let log = server.dir.join("server.log");
            let started = server
                .command("pg_ctl")
                .args([
                    "-D",
                    &data,
                    "-l",
                    log.to_str().unwrap_or("server.log"),
                    "-o",
                    &options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ])
                .output();
            match check("pg_ctl start", started) {
                Ok(_) => {
                    server.stopped = false;
                    return Ok(server);
                }
                Err(e) => last = format!("{e}\n{}", std::fs::read_to_string(&log).unwrap_or_default()),
            }
        }
        Err(last)
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The connection string of database `dbname` (user `postgres`, no password).
    pub fn url(&self, dbname: &str) -> String {
        format!("host=127.0.0.1 port={} user=postgres dbname={dbname}", self.port)
    }

    /// Creates database `name` and returns its connection string.
    pub fn create_database(&self, name: &str) -> Result<String, String> {
        let port = self.port.to_string();
        check(
            &format!("createdb {name}"),
            self.command("createdb").args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", name]).output(),
        )?;
        Ok(self.url(name))
    }

    /// Stops the server now (also done on drop).
    pub fn stop(&mut self) -> Result<(), String> {
        if self.stopped {
            return Ok(());
        }
        self.stopped = true;
        let data = self.dir.join("data");
        check(
            "pg_ctl stop",
            self.command("pg_ctl").arg("-D").arg(&data).args(["-m", "immediate", "-w", "stop"]).output(),
        )
        .map(drop)
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            eprintln!("{e}");
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
