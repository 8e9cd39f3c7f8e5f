//! The relay binary, run from an empty working directory, shares a session end to end and
//! leaves that directory empty: no frame, nothing derived from one, ever touches disk.

mod support;

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::Duration,
};

use futures_util::SinkExt;
use protocol::share::KioskToRelay;
use support::*;
use tokio_tungstenite::tungstenite::Message;

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        }
        found.push(path);
    }
    found
}

#[tokio::test]
async fn a_shared_and_ended_session_leaves_the_working_directory_empty() {
    let base = std::env::temp_dir().join(format!("relay-disk-{}", std::process::id()));
    let (work, etc) = (base.join("work"), base.join("etc"));
    assert!(std::fs::create_dir_all(&work).is_ok() && std::fs::create_dir_all(&etc).is_ok());
    let config_path = etc.join("relay.toml");
    let config =
        format!("listen = \"127.0.0.1:0\"\npublic_url = \"http://127.0.0.1\"\n[kiosk_keys]\n{KIOSK} = \"{KEY}\"\n");
    assert!(std::fs::write(&config_path, config).is_ok());

    let child = Command::new(env!("CARGO_BIN_EXE_relay"))
        .arg("--config")
        .arg(&config_path)
        .current_dir(&work)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn();
    let Ok(child) = child else { panic!("cannot start the relay: {child:?}") };
    // Killed however the test ends, so a failed assertion leaves no relay running.
    let mut child = KillOnDrop(child);
    let Some(stdout) = child.0.stdout.take() else { panic!("no stdout") };
    let mut first_line = String::new();
    let _ = BufReader::new(stdout).read_line(&mut first_line);
    let Some(addr) = first_line.trim().strip_prefix("listening on ").map(str::to_string) else {
        panic!("unexpected first line {first_line:?}")
    };

    let relay = TestRelay { addr: addr.parse().unwrap_or_else(|_| panic!("bad address {addr}")), http: http_client() };
    let share = relay.create(KIOSK, KEY).await;
    let viewer_url = share.viewer_url.replace("http://127.0.0.1", &format!("http://{addr}"));
    let Ok(mut kiosk) = relay.kiosk_stream(&share.session_id, &share.kiosk_token).await else { panic!("kiosk") };
    let Ok(mut viewer) = relay.viewer(&viewer_url).await else { panic!("viewer") };
    for seq in 0..30 {
        assert!(kiosk.send(Message::Binary(fake_jpeg(seq, 50_000).into())).await.is_ok());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(next_frame(&mut viewer, Duration::from_secs(2)).await.is_some());
    assert_eq!(relay.metric("relay_frames_held").await, 1);
    send_json(&mut kiosk, &KioskToRelay::End).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(relay.metric("relay_frames_held").await, 0, "the ended session's frame must be dropped");

    drop(child);
    let left = files_under(&work);
    let _ = std::fs::remove_dir_all(&base);
    assert!(left.is_empty(), "the relay wrote to its working directory: {left:?}");
}
