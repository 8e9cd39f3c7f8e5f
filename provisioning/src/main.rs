//! `provision`: inventory CSV → one bundle per kiosk + the broker's password and ACL files.
//!
//! ```sh
//! provision --inventory stores.csv --regions regions.toml --out /srv/provisioning [--dry-run]
//! ```
//!
//! Exit codes: 0 done (or nothing to do), 2 bad input (nothing written).

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
    process::ExitCode,
    time::Instant,
};

use anyhow::{Context, Result};
use clap::Parser;
use provisioning::{
    bundle::{self, Change},
    inventory::{self, Regions},
};

#[derive(Debug, Parser)]
#[command(name = "provision", version, about = "Provision smart-mirror kiosks from an inventory")]
struct Args {
    /// CSV: store,kiosk_id,room,profile,time_zone,opening_hours,region
    #[arg(long)]
    inventory: PathBuf,
    /// TOML with one [regions.NAME] table per region: broker_url, relay_url.
    #[arg(long)]
    regions: PathBuf,
    /// The hardware profiles a row may name (NAME.toml files).
    #[arg(long, default_value = "hardware/profiles")]
    profiles: PathBuf,
    /// Where bundles and broker files go.
    #[arg(long)]
    out: PathBuf,
    /// Operator logins for the broker (fleet tool, staff pages); repeatable.
    #[arg(long = "operator", default_values_t = ["fleet".to_string()])]
    operators: Vec<String>,
    /// The chain's CA certificate (PEM): kiosks get a TLS client certificate signed by it instead
    /// of a broker password. Needs --ca-key.
    #[arg(long, requires = "ca_key")]
    ca_cert: Option<PathBuf>,
    /// The CA's private key (PEM).
    #[arg(long, requires = "ca_cert")]
    ca_key: Option<PathBuf>,
    /// Show what would change, write nothing.
    #[arg(long)]
    dry_run: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("provision: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn profiles(dir: &Path) -> Result<BTreeSet<String>> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("--profiles {}", dir.display()))?;
    Ok(entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().to_string()))
        .collect())
}

fn run(args: &Args) -> Result<ExitCode> {
    let started = Instant::now();
    let csv = std::fs::read_to_string(&args.inventory)
        .with_context(|| format!("--inventory {}", args.inventory.display()))?;
    let regions_text =
        std::fs::read_to_string(&args.regions).with_context(|| format!("--regions {}", args.regions.display()))?;
    let regions: Regions = toml::from_str(&regions_text).with_context(|| format!("{}", args.regions.display()))?;
    let kiosks = match inventory::parse(&csv, &profiles(&args.profiles)?, &regions) {
        Ok(kiosks) => kiosks,
        Err(errors) => {
            for error in &errors {
                eprintln!("{}: {error}", args.inventory.display());
            }
            eprintln!("provision: {} problem(s) in the inventory; nothing was written", errors.len());
            return Ok(ExitCode::from(2));
        }
    };
    let ca = match (&args.ca_cert, &args.ca_key) {
        (Some(cert), Some(key)) => Some(bundle::ChainCa::load(cert, key)?),
        _ => None,
    };
    let plan = bundle::plan(&kiosks, &regions, &args.operators, ca.as_ref(), &args.out)?;
    let changes = bundle::compare(&plan, &args.out);
    let count = |wanted: Change| changes.iter().filter(|(_, c)| *c == wanted).count();
    let (created, updated, same) = (count(Change::Create), count(Change::Update), count(Change::Same));
    if args.dry_run {
        for (path, change) in &changes {
            let Some(wanted) = plan.files.get(path) else { continue };
            match change {
                Change::Create => println!("create {}", path.display()),
                Change::Update => print!("change {}\n{}", path.display(), bundle::describe(path, wanted, &args.out)),
                Change::Same => {}
            }
        }
        for gone in &plan.removed {
            println!("remove {}/", gone.display());
        }
        println!(
            "dry run: {} kiosks; would create {created}, change {updated}, keep {same} files, remove {} kiosks",
            kiosks.len(),
            plan.removed.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let bar = indicatif::ProgressBar::new(changes.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bundle::apply(&plan, &changes, &args.out, || bar.inc(1))?;
    bar.finish_and_clear();
    for (path, change) in changes.iter().filter(|(_, c)| *c != Change::Same) {
        println!("{} {}", if *change == Change::Create { "created" } else { "changed" }, path.display());
    }
    for gone in &plan.removed {
        println!("removed {}/", gone.display());
    }
    println!(
        "provisioned {} kiosks in {:.2} s: {created} files created, {updated} changed, {same} unchanged, {} kiosks removed",
        kiosks.len(),
        started.elapsed().as_secs_f64(),
        plan.removed.len()
    );
    Ok(ExitCode::SUCCESS)
}
