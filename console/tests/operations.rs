//! Commands and rollouts against SQLite and a real PostgreSQL cluster, over a real Mosquitto,
//! to kiosks made of the telemetry crate's link with the kiosk's own answers: commands are
//! validated with the kiosk's parser, desired configurations with the kiosk's configuration
//! loader (`KioskConfig::load_without_profile` with the document's `--set` overrides).
//!
//! - A store manager's bulk maintenance reaches the kiosks of their store only and shows every
//!   ack; an associate may not send; the console paces what it sends (`rate_per_s`).
//! - A rollout goes canary → waves and completes, each kiosk's desired document merged over
//!   what it had; a rollout the canary refuses stops before any wave, the refusal's key named;
//!   a rollback puts back what the canary had.
//! - The kiosk page shows state, the configuration agreement, the command history and an
//!   uploaded screenshot.

mod common;

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    thread::JoinHandle,
    time::Duration,
};

use common::*;
use console::{auth, commands::DispatchSettings, db::Database, ingest::IngestSettings};
use protocol::{
    command::{AckStatus, Action, CommandAck, ReportedConfig},
    config::KioskConfig,
    telemetry::{SCHEMA_VERSION, now_ms},
};
use telemetry::link::{Inbound, Link};
use testkit::{Mosquitto, postgres::Postgres};

/// A kiosk's answers, as the kiosk app gives them, on its own thread.
struct Answering {
    commands: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Answering {
    fn start(link: Link) -> Answering {
        let commands = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (count, stopped) = (Arc::clone(&commands), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            let kiosk = link.identity().kiosk.clone();
            while !stopped.load(Ordering::Relaxed) {
                match link.recv_timeout(Duration::from_millis(50)) {
                    Some(Inbound::Command(command)) => {
                        count.fetch_add(1, Ordering::Relaxed);
                        if let Action::Maintenance { on } = command.action {
                            link.set_maintenance(on);
                        }
                        link.ack(CommandAck {
                            v: SCHEMA_VERSION,
                            id: Some(command.id),
                            kiosk: kiosk.clone(),
                            action: Some(command.action.name().into()),
                            status: AckStatus::Done,
                            reason: None,
                            result: None,
                            at_ms: now_ms(),
                        });
                    }
                    Some(Inbound::DesiredConfig(desired)) => {
                        let outcome = desired
                            .as_overrides()
                            .and_then(|o| KioskConfig::load_without_profile(None, &o).map_err(|e| e.to_string()));
                        link.report_config(ReportedConfig {
                            v: SCHEMA_VERSION,
                            kiosk: kiosk.clone(),
                            revision: Some(desired.revision),
                            applied: outcome.is_ok(),
                            error: outcome.err(),
                            needs_restart: Vec::new(),
                            at_ms: now_ms(),
                        });
                    }
                    _ => {}
                }
            }
        });
        Answering { commands, stop, thread: Some(thread) }
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

const FORM: &str = "application/x-www-form-urlencoded";

async fn rollout(ops: &Client, settings: &str) -> String {
    let body = format!(
        "settings={}&store=&canaries=1&wave_percent=50&soak_s=1&report_timeout_s=20&max_failures=0",
        settings.replace('=', "%3D")
    );
    let (status, page, location) = ops.post("/rollouts", FORM, body).await;
    assert_eq!(status, 303, "{page}");
    location.unwrap_or_default().trim_start_matches("/rollouts/").to_owned()
}

async fn rollout_state(ops: &Client, id: &str) -> serde_json::Value {
    ops.json(&format!("/api/v1/rollouts/{id}")).await
}

fn target_states(rollout: &serde_json::Value) -> Vec<(String, String)> {
    let targets = rollout["targets"].as_array().cloned().unwrap_or_default();
    targets
        .iter()
        .map(|t| (t["kiosk"].as_str().unwrap_or("").to_owned(), t["state"].as_str().unwrap_or("").to_owned()))
        .collect()
}

async fn exercise(url: String, name: &str) {
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let db = Database::connect(&url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    for (user, role, scope) in
        [("ops", "fleet_operator", "*"), ("mia", "store_manager", "store-a"), ("anna", "associate", "store-a")]
    {
        auth::put_user(&db, user, PASSWORD, role, scope).await.unwrap_or_else(|e| panic!("{e}"));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let base = format!("http://{}", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
    let options = console::Options {
        dispatch: DispatchSettings { rate_per_s: 2, every: Duration::from_millis(50) },
        alerts: None,
        screenshot_token: Some("upload-secret".into()),
    };
    tokio::spawn(console::serve(
        db,
        IngestSettings::anonymous(broker.url(), &format!("ops-{name}")),
        options,
        listener,
    ));

    let dirs = tempfile_dir(&format!("ops-{name}"));
    let kiosks = [("a1", "store-a"), ("a2", "store-a"), ("a3", "store-a"), ("b1", "store-b")];
    let answering: Vec<Answering> =
        kiosks.iter().map(|(id, store)| Answering::start(link(&broker, id, store, &dirs.join(id)))).collect();
    let mut ops = Client::new(&base);
    assert_eq!(ops.sign_in("ops", PASSWORD).await, 303);
    let mut mia = Client::new(&base);
    assert_eq!(mia.sign_in("mia", PASSWORD).await, 303);
    let mut anna = Client::new(&base);
    assert_eq!(anna.sign_in("anna", PASSWORD).await, 303);
    eventually("four kiosks online", async || {
        ops.kiosks().await.iter().filter(|k| k["presence"] == "online").count() == 4
    })
    .await;

    // A store manager's bulk maintenance: her store's three kiosks, every ack shown.
    let request = r#"{"action": {"type": "maintenance", "on": true}, "state": "online"}"#;
    let (status, body, _) = mia.post("/api/v1/commands", "application/json", request.into()).await;
    assert_eq!(status, 201, "{body}");
    let created: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(created["targets"], 3, "store-a's kiosks only: {body}");
    let id = created["id"].as_str().unwrap_or_default().to_owned();
    eventually("every ack of the maintenance command", async || {
        mia.json(&format!("/api/v1/commands/{id}")).await["command"]["progress"]["done"] == 3
    })
    .await;
    let command = mia.json(&format!("/api/v1/commands/{id}")).await;
    let sent: Vec<i64> =
        command["targets"].as_array().into_iter().flatten().filter_map(|t| t["sent_ms"].as_i64()).collect();
    let spread = sent.iter().max().unwrap_or(&0) - sent.iter().min().unwrap_or(&0);
    assert!(spread >= 400, "two a second, a burst of two: the third waits ≥ 0.5 s (spread {spread} ms)");
    let (_, page, _) = mia.get(&format!("/fragments/commands/{id}")).await;
    assert!(page.contains("3 of 3 answered · 3 done"), "{page}");
    eventually("maintenance shows on the fleet", async || {
        let kiosks = ops.kiosks().await;
        kiosks.iter().filter(|k| k["maintenance"] == true).count() == 3
            && kiosks.iter().any(|k| k["id"] == "b1" && k["maintenance"] == false)
    })
    .await;
    assert_eq!(answering[3].commands.load(Ordering::Relaxed), 0, "store-b's kiosk got nothing");
    assert_eq!(ops.get(&format!("/api/v1/commands/{id}")).await.0, 200);
    let (status, _, _) = anna.post("/api/v1/commands", "application/json", request.into()).await;
    assert_eq!(status, 403, "an associate sends no commands");
    let (status, _, _) = mia.post("/commands/new", FORM, "action=maintenance_off&kiosk=b1".into()).await;
    assert_eq!(status, 200);
    let (status, _, _) = mia.post("/commands", FORM, "action=maintenance_off&kiosk=b1".into()).await;
    assert_eq!(status, 400, "b1 is outside mia's scope: nothing matches");

    // A rollout: canary, then two waves, each kiosk keeps what it had beside the new key.
    let good = rollout(&ops, "session.inactivity_timeout_s=120").await;
    eventually("the first rollout completes", async || {
        rollout_state(&ops, &good).await["rollout"]["state"] == "completed"
    })
    .await;
    let done = rollout_state(&ops, &good).await;
    assert!(target_states(&done).iter().all(|(_, state)| state == "applied"), "{done}");
    let stages: Vec<i64> =
        done["targets"].as_array().into_iter().flatten().filter_map(|t| t["stage"].as_i64()).collect();
    assert_eq!(stages, [0, 1, 1, 2], "one canary, then waves of half the rest: {done}");
    let a1 = ops.kiosks().await.into_iter().find(|k| k["id"] == "a1").unwrap_or_default();
    assert_eq!(a1["desired"]["set"]["session.inactivity_timeout_s"], 120, "{a1}");
    assert_eq!(a1["reported"]["applied"], true, "{a1}");

    // A value the kiosk refuses: the canary says so and the waves are never sent.
    let bad = rollout(&ops, "session.inactivity_timeout_s=1").await;
    eventually("the refused rollout stops", async || rollout_state(&ops, &bad).await["rollout"]["state"] == "stopped")
        .await;
    let stopped = rollout_state(&ops, &bad).await;
    let reason = stopped["rollout"]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("rejected") && reason.contains("session.inactivity_timeout_s"), "{reason}");
    let states = target_states(&stopped);
    assert_eq!(states.iter().filter(|(_, s)| s == "rejected").count(), 1, "{states:?}");
    assert_eq!(states.iter().filter(|(_, s)| s == "waiting").count(), 3, "no wave was sent: {states:?}");
    let b1 = ops.kiosks().await.into_iter().find(|k| k["id"] == "b1").unwrap_or_default();
    assert_eq!(b1["desired"]["revision"], good.as_str(), "b1 still has the first rollout's document: {b1}");
    let (status, page, _) = ops.post(&format!("/rollouts/{bad}/rollback"), FORM, String::new()).await;
    assert_eq!(status, 303, "{page}");
    eventually("the rollback finishes", async || rollout_state(&ops, &bad).await["rollout"]["state"] == "rolled_back")
        .await;
    eventually("the canary has its previous document again", async || {
        let kiosks = ops.kiosks().await;
        let canary = kiosks
            .iter()
            .find(|k| target_states(&stopped).iter().any(|(id, s)| s == "rejected" && k["id"] == id.as_str()));
        canary.is_some_and(|k| k["desired"]["revision"] == good.as_str())
    })
    .await;
    assert_eq!(
        mia.get(&format!("/api/v1/rollouts/{bad}")).await.0,
        404,
        "a chain-wide rollout is not a store manager's"
    );

    // The kiosk page: state, configuration, history, and the screenshot a kiosk uploads.
    let png = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/screens/attract.png"));
    let png = png.unwrap_or_else(|e| panic!("{e}"));
    let upload =
        reqwest::Client::new().post(format!("{base}/uploads/screenshot")).header("x-kiosk-id", "a1").body(png.clone());
    let refused = upload.try_clone().map(|r| r.bearer_auth("wrong"));
    let refused = refused.unwrap_or_else(|| panic!("clone")).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(refused.status().as_u16(), 401);
    let accepted = upload.bearer_auth("upload-secret").send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(accepted.status().as_u16(), 204);
    let (status, page, _) = mia.get("/kiosks/a1").await;
    assert_eq!(status, 200);
    for expected in
        ["online · maintenance", "The kiosk runs the desired configuration.", "maintenance on", "screenshot.png"]
    {
        assert!(page.contains(expected), "{expected:?} not on the kiosk page");
    }
    let (status, shot, _) = mia.get("/kiosks/a1/screenshot.png").await;
    assert_eq!((status, shot.len() > 1000), (200, true));
    assert_eq!(mia.get("/kiosks/b1").await.0, 404, "b1 is not in mia's store");
    drop(answering);
    let _ = std::fs::remove_dir_all(&dirs);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_and_rollouts_on_sqlite() {
    let dir = tempfile_dir("ops-sqlite-db");
    let _ = std::fs::create_dir_all(&dir);
    exercise(format!("sqlite://{}", dir.join("console.db").display()), "sqlite").await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_and_rollouts_on_postgresql() {
    let postgres = Postgres::start().unwrap_or_else(|e| panic!("{e}"));
    exercise(postgres.url(), "postgres").await;
    drop(postgres);
}
