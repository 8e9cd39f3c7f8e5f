//! Provisioning 2,000 kiosks with the release `provision` binary, then the same inventory again
//! (nothing to change). Measured in the same run, the floor it cannot go below: the 2,001
//! PBKDF2 hashes its password file needs (Mosquitto's `$7$` format, 101 iterations) and writing
//! the same 2,004 files (same sizes, each fsynced, as `provision` does) with nothing else.
//!
//! `cargo bench -p provisioning --bench provision` prints a markdown table.

use std::{
    hint::black_box,
    path::Path,
    time::{Duration, Instant},
};

use support::{Workspace, inventory};

#[path = "../tests/support/mod.rs"]
mod support;

const KIOSKS: usize = 2000;

/// Every file under `dir` with its size.
fn files(dir: &Path, found: &mut Vec<u64>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            files(&entry.path(), found)?;
        } else {
            found.push(entry.metadata()?.len());
        }
    }
    Ok(())
}

/// Writes files of these sizes into a fresh directory, each fsynced.
fn write_files(sizes: &[u64]) -> std::io::Result<Duration> {
    use std::io::Write;
    let dir = tempfile::tempdir()?;
    let started = Instant::now();
    for (i, size) in sizes.iter().enumerate() {
        let mut file = std::fs::File::create(dir.path().join(format!("{i}.toml")))?;
        file.write_all(&vec![b'x'; *size as usize])?;
        file.sync_all()?;
    }
    Ok(started.elapsed())
}

fn main() -> anyhow::Result<()> {
    let workspace = Workspace::new();
    let inventory = inventory(KIOSKS);
    let started = Instant::now();
    let (ok, stdout, stderr) = workspace.provision(&inventory, &[]);
    let first = started.elapsed();
    anyhow::ensure!(ok, "provision failed: {stderr}");
    let started = Instant::now();
    let (ok, rerun_out, stderr) = workspace.provision(&inventory, &[]);
    let rerun = started.elapsed();
    anyhow::ensure!(ok && rerun_out.contains("0 files created, 0 changed"), "re-run: {rerun_out}{stderr}");

    let started = Instant::now();
    for i in 0..=KIOSKS {
        black_box(provisioning::mosquitto::hash(&format!("a-password-of-32-characters-{i:04}")));
    }
    let hashes = started.elapsed();
    let mut sizes = Vec::new();
    files(&workspace.out(), &mut sizes)?;
    let writes = write_files(&sizes)?;

    println!("{}", stdout.lines().last().unwrap_or_default());
    println!("| run | time |");
    println!("|---|---:|");
    println!("| first run, {KIOSKS} kiosks ({} files) | {:.2} s |", sizes.len(), first.as_secs_f64());
    println!("| re-run, nothing changed (every hash verified) | {:.2} s |", rerun.as_secs_f64());
    println!("| floor: {} PBKDF2 hashes alone | {:.2} s |", KIOSKS + 1, hashes.as_secs_f64());
    println!("| floor: writing and fsyncing {} files of the same sizes | {:.2} s |", sizes.len(), writes.as_secs_f64());
    Ok(())
}
