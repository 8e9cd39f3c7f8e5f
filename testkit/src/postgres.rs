//! A throwaway PostgreSQL cluster for tests: Debian's server binaries run as the `postgres`
//! user (PostgreSQL refuses root) on a free loopback port, in a temp directory that goes when
//! the value drops. Ready when `pg_isready` says so, never after a guessed wait.

use std::{
    path::PathBuf,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

use crate::free_port;

/// Debian installs one major version's binaries here.
fn bin(name: &str) -> Result<PathBuf> {
    let root = std::path::Path::new("/usr/lib/postgresql");
    let mut versions: Vec<PathBuf> = std::fs::read_dir(root)
        .with_context(|| format!("{}: install Debian's postgresql (the README's test command does)", root.display()))?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin").join(name)))
        .filter(|p| p.exists())
        .collect();
    versions.sort();
    versions.pop().with_context(|| format!("no {name} under {}", root.display()))
}

/// Runs `program args…` as the `postgres` user.
fn as_postgres(program: &std::path::Path, args: &[&str]) -> Command {
    let mut command = Command::new("runuser");
    command.args(["-u", "postgres", "--"]).arg(program).args(args).stdin(Stdio::null());
    command
}

pub struct Postgres {
    pub port: u16,
    dir: tempfile::TempDir,
}

impl Postgres {
    /// Creates a cluster with a `mirror` database (trust authentication on loopback) and starts it.
    pub fn start() -> Result<Self> {
        let dir = tempfile::Builder::new().prefix("pg-").tempdir()?;
        let data = dir.path().join("data");
        let chown = Command::new("chown").args(["postgres:postgres"]).arg(dir.path()).status()?;
        if !chown.success() {
            bail!("chown postgres {}", dir.path().display());
        }
        let data_text = data.display().to_string();
        let init = as_postgres(&bin("initdb")?, &["-D", &data_text, "-A", "trust", "-U", "postgres", "--no-sync"])
            .stdout(Stdio::null())
            .output()?;
        if !init.status.success() {
            bail!("initdb: {}", String::from_utf8_lossy(&init.stderr));
        }
        let port = free_port()?;
        let options = format!("-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", dir.path().display());
        let log = dir.path().join("postgres.log").display().to_string();
        let start = as_postgres(&bin("pg_ctl")?, &["-D", &data_text, "-o", &options, "-l", &log, "start"])
            .stdout(Stdio::null())
            .output()?;
        if !start.status.success() {
            bail!(
                "pg_ctl start: {} {}",
                String::from_utf8_lossy(&start.stderr),
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        let server = Self { port, dir };
        server.wait_ready(Duration::from_secs(30))?;
        let port_text = port.to_string();
        let created =
            as_postgres(&bin("createdb")?, &["-h", "127.0.0.1", "-p", &port_text, "-U", "postgres", "mirror"])
                .output()?;
        if !created.status.success() {
            bail!("createdb: {}", String::from_utf8_lossy(&created.stderr));
        }
        Ok(server)
    }

    fn wait_ready(&self, limit: Duration) -> Result<()> {
        let deadline = Instant::now() + limit;
        let port = self.port.to_string();
        let ready = bin("pg_isready")?;
        loop {
            let status = Command::new(&ready).args(["-h", "127.0.0.1", "-p", &port, "-q"]).status()?;
            if status.success() {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("PostgreSQL not ready after {limit:?}: {}", self.log());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The URL of the `mirror` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/mirror", self.port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("postgres.log")).unwrap_or_default()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Ok(pg_ctl) = bin("pg_ctl") {
            let data = self.dir.path().join("data").display().to_string();
            let _ = as_postgres(&pg_ctl, &["-D", &data, "-m", "immediate", "stop"]).stdout(Stdio::null()).status();
        }
    }
}
