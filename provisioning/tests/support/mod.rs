//! A provisioning workspace (regions file, generated inventories) and the `provision` binary run
//! on it; shared by the tests and the benchmark.
#![allow(dead_code)] // the benchmark uses a subset

use std::{
    path::{Path, PathBuf},
    process::Command,
};

pub const HEADER: &str = "store,kiosk_id,room,profile,time_zone,opening_hours,region\n";
pub const PROFILES: [&str; 3] = ["elo-43-portrait", "iiyama-32-portrait", "pi-touch-display-2"];

pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.path().join("regions.toml"),
            "[regions.eu-central]\nbroker_url = \"mqtts://mqtt.eu.chain.example:8883\"\nrelay_url = \"https://share.eu.chain.example\"\n\n\
             [regions.local]\nbroker_url = \"mqtt://127.0.0.1:1883\"\nrelay_url = \"https://share.local.example\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        Self { dir }
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// Writes the inventory and runs `provision`; returns (success, stdout, stderr).
    pub fn provision(&self, inventory: &str, extra: &[&str]) -> (bool, String, String) {
        let path = self.dir.path().join("inventory.csv");
        std::fs::write(&path, inventory).unwrap_or_else(|e| panic!("{e}"));
        let profiles = Path::new(env!("CARGO_MANIFEST_DIR")).join("../hardware/profiles");
        let output = Command::new(env!("CARGO_BIN_EXE_provision"))
            .arg("--inventory")
            .arg(&path)
            .arg("--regions")
            .arg(self.dir.path().join("regions.toml"))
            .arg("--profiles")
            .arg(profiles)
            .arg("--out")
            .arg(self.out())
            .args(extra)
            .output()
            .unwrap_or_else(|e| panic!("cannot run provision: {e}"));
        let text = |b: &[u8]| String::from_utf8_lossy(b).to_string();
        (output.status.success(), text(&output.stdout), text(&output.stderr))
    }
}

pub fn row(i: usize, room: &str, region: &str) -> String {
    format!("store-{:03},kiosk-{i:04},{room},{},Europe/Berlin,Mo-Sa 09:00-20:00,{region}\n", i / 20, PROFILES[i % 3])
}

pub fn inventory(n: usize) -> String {
    HEADER.to_string() + &(0..n).map(|i| row(i, &format!("Room {}", i % 20 + 1), "eu-central")).collect::<String>()
}
