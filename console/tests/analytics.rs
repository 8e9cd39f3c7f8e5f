//! Analytics for a seeded set of events equal figures computed independently here (other code:
//! counting instead of indexing for the percentiles), on SQLite and on a real PostgreSQL
//! cluster: sessions, median and p90 time, scans per session, size requests fulfilled and their
//! waits, suggestion taps by place, fit feedback by verdict, shares, friends watching, looks, the
//! weekday × hour grid, a quiet store suppressed,
//! the CSV, and a store manager's API answer holding their store only.

use console::{analytics, auth, db::Database, ingest::IngestSettings};
use protocol::{
    fit::FitVerdict,
    session::EndReason,
    telemetry::{
        EVENT_SCHEMA_VERSION, EventEnvelope, EventId, Ident, KioskStatus, LookKind, Presence, SCHEMA_VERSION,
        ScanMethod, SessionId, UsageEvent,
    },
};
use testkit::{Mosquitto, postgres::Postgres};

/// Monday 2026-11-02 00:00 UTC.
const MONDAY: u64 = 1_793_577_600_000;
const HOUR: u64 = 3_600_000;

fn ident(s: &str) -> Ident {
    Ident::new(s).unwrap_or_else(|e| panic!("{e}"))
}

/// A small deterministic generator (no seed file, the same events every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

/// What the seeded sessions were, kept to compute the expected figures from.
#[derive(Default)]
struct Truth {
    durations_ms: Vec<u64>,
    scans: u64,
    requests: u64,
    waits_ms: Vec<u64>,
    shares: u64,
    viewers: u64,
    looks: u64,
    started: Vec<u64>,
    taps: u64,
    taps_by_rank: [u64; 3],
    /// fits, too small, too big, not for me.
    fit: [u64; 4],
}

/// The smallest value with at least `p` % of the values at or below it, by counting, over the
/// values in whole seconds (the console keeps durations and waits to the second).
fn by_counting(values: &[u64], p: f64) -> f64 {
    let seconds: Vec<u64> = values.iter().map(|ms| ms / 1000).collect();
    let n = seconds.len() as f64;
    let mut candidates = seconds.clone();
    candidates.sort_unstable();
    candidates.dedup();
    let v = candidates.into_iter().find(|v| seconds.iter().filter(|x| *x <= v).count() as f64 >= p / 100.0 * n);
    v.unwrap_or_default() as f64
}

fn envelope(kiosk: &str, seq: u64, at_ms: u64, session: SessionId, event: UsageEvent) -> EventEnvelope {
    EventEnvelope {
        v: EVENT_SCHEMA_VERSION,
        id: EventId::new(),
        seq,
        kiosk: ident(kiosk),
        at_ms,
        session: Some(session),
        event,
    }
}

/// Seeds `sessions` sessions at `kiosk` (in `store`) and returns what they were.
async fn seed(db: &Database, kiosk: &str, store: &str, sessions: u64, random: &mut Lcg) -> Truth {
    let status = KioskStatus {
        v: SCHEMA_VERSION,
        kiosk: ident(kiosk),
        store: ident(store),
        state: Presence::Online,
        maintenance: false,
        version: "1.4.0".into(),
        at_ms: MONDAY,
    };
    db.record_status(&status).await.unwrap_or_else(|e| panic!("{e}"));
    let mut truth = Truth::default();
    let mut seq = 0;
    let mut events = Vec::new();
    for n in 0..sessions {
        let session = SessionId::random();
        // Weekdays and opening hours spread over two weeks.
        let at = MONDAY + random.next(14) * 24 * HOUR + (9 + random.next(10)) * HOUR + random.next(HOUR);
        truth.started.push(at);
        events.push((at, session, UsageEvent::SessionStarted));
        let scans = random.next(4);
        for s in 0..scans {
            let sku = ident(&format!("sku-{s}"));
            events.push((at + 1_000 + s, session, UsageEvent::ItemScanned { sku, method: ScanMethod::Scanner }));
        }
        truth.scans += scans;
        for t in 0..random.next(3) {
            // A place 1–3, or none (a kiosk from before taps said it).
            let rank = match random.next(4) {
                0 => None,
                r => Some(r as u32),
            };
            let tapped = UsageEvent::SuggestionTapped { sku: ident("sku-9"), for_sku: ident("sku-0"), rank };
            events.push((at + 2_000 + t, session, tapped));
            truth.taps += 1;
            if let Some(rank) = rank {
                truth.taps_by_rank[rank as usize - 1] += 1;
            }
        }
        if random.next(2) == 0 {
            let verdict = random.next(4) as usize;
            truth.fit[verdict] += 1;
            events.push((
                at + 3_000,
                session,
                UsageEvent::FitFeedback { sku: ident("sku-0"), verdict: FitVerdict::ALL[verdict] },
            ));
        }
        if random.next(3) == 0 {
            let request = ident(&format!("r-{kiosk}-{n}"));
            events.push((
                at + 5_000,
                session,
                UsageEvent::SizeRequested { request: request.clone(), sku: ident("sku-0") },
            ));
            truth.requests += 1;
            if random.next(4) != 0 {
                let wait_ms = 30_000 + random.next(300_000);
                let fulfilled = UsageEvent::SizeRequestFulfilled { request, sku: ident("sku-0"), wait_ms };
                events.push((at + 5_000 + wait_ms, session, fulfilled));
                truth.waits_ms.push(wait_ms);
            }
        }
        if random.next(4) == 0 {
            let peak_viewers = random.next(5) as u32;
            events.push((at + 10_000, session, UsageEvent::ShareStarted));
            let ended = UsageEvent::ShareEnded { duration_ms: 60_000, peak_viewers, reactions: 2, comments: 1 };
            events.push((at + 70_000, session, ended));
            truth.shares += 1;
            truth.viewers += u64::from(peak_viewers);
        }
        let looks = random.next(3);
        for l in 0..looks {
            let look = UsageEvent::LookCaptured { looks_in_session: l as u32 + 1, kind: LookKind::Still };
            events.push((at + 20_000 + l, session, look));
        }
        truth.looks += looks;
        let duration_ms = 60_000 + random.next(1_200_000);
        events.push((
            at + duration_ms,
            session,
            UsageEvent::SessionEnded { duration_ms, reason: EndReason::EndButton },
        ));
        truth.durations_ms.push(duration_ms);
    }
    for (at, session, event) in events {
        seq += 1;
        let stored = db.record_event(&envelope(kiosk, seq, at, session, event)).await;
        assert!(stored.is_ok(), "{stored:?}");
    }
    truth
}

fn assert_figures(figures: &analytics::Figures, truth: &Truth) {
    let sessions = truth.durations_ms.len() as u64;
    let close = |a: Option<f64>, b: f64, what: &str| {
        assert!(a.is_some_and(|a| (a - b).abs() < 1e-9), "{}: {what} {a:?}, computed {b}", figures.store)
    };
    assert_eq!(figures.sessions, Some(sessions));
    close(figures.median_duration_s, by_counting(&truth.durations_ms, 50.0), "median");
    close(figures.p90_duration_s, by_counting(&truth.durations_ms, 90.0), "p90");
    close(figures.scans_per_session, truth.scans as f64 / sessions as f64, "scans per session");
    assert_eq!(figures.size_requests, Some(truth.requests));
    assert_eq!(figures.size_requests_fulfilled, Some(truth.waits_ms.len() as u64));
    close(figures.fulfilled_percent, 100.0 * truth.waits_ms.len() as f64 / truth.requests as f64, "fulfilled");
    close(figures.wait_p50_s, by_counting(&truth.waits_ms, 50.0), "wait p50");
    close(figures.wait_p90_s, by_counting(&truth.waits_ms, 90.0), "wait p90");
    assert_eq!(
        (figures.shares, figures.viewers, figures.looks),
        (Some(truth.shares), Some(truth.viewers), Some(truth.looks))
    );
    assert_eq!((figures.suggestion_taps, figures.taps_by_rank), (Some(truth.taps), Some(truth.taps_by_rank)));
    let fit = figures.fit_feedback.clone().unwrap_or_default();
    let fit: Vec<u64> =
        ["fits", "too_small", "too_big", "not_for_me"].iter().map(|v| fit.get(*v).copied().unwrap_or(99)).collect();
    assert_eq!(fit, truth.fit, "{}: fit feedback", figures.store);
}

async fn check(url: String) {
    let db = Database::connect(&url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    let mut random = Lcg(7);
    let a = seed(&db, "kiosk-a1", "store-a", 60, &mut random).await;
    let b = seed(&db, "kiosk-b1", "store-b", 25, &mut random).await;
    let quiet = seed(&db, "kiosk-c1", "store-c", 4, &mut random).await;
    assert!(a.requests > 0 && b.requests > 0 && a.shares > 0, "the seed exercises every figure");
    // The inventory: store A opens Mo–Sa 09:00–20:00 Berlin time, store B always; A and B are one
    // region, C another.
    let inventory = "store,kiosk_id,room,profile,time_zone,opening_hours,region\n\
        store-a,kiosk-a1,Room 1,elo,Europe/Berlin,Mo-Sa 09:00-20:00,eu-central\n\
        store-b,kiosk-b1,Room 1,elo,Europe/Paris,,eu-central\n\
        store-c,kiosk-c1,Room 1,elo,Europe/Rome,,eu-south\n";
    let known = console::stores::from_inventory(inventory).unwrap_or_else(|e| panic!("{e}"));
    console::stores::put(&db, &known).await.unwrap_or_else(|e| panic!("{e}"));

    let report = analytics::report(&db, None, MONDAY as i64, (MONDAY + 14 * 24 * HOUR) as i64 + 1_300_000).await;
    let report = report.unwrap_or_else(|e| panic!("{e}"));
    let store = |id: &str| report.stores.iter().find(|f| f.store == id).cloned().unwrap_or_else(|| panic!("no {id}"));
    assert_figures(&store("store-a"), &a);
    assert_figures(&store("store-b"), &b);
    let c = store("store-c");
    assert!(c.sessions.is_none() && c.median_duration_s.is_none() && c.looks.is_none(), "4 sessions: suppressed {c:?}");
    let mut all = Truth::default();
    for t in [&a, &b, &quiet] {
        all.durations_ms.extend(&t.durations_ms);
        all.waits_ms.extend(&t.waits_ms);
        all.started.extend(&t.started);
        all.taps += t.taps;
        for i in 0..3 {
            all.taps_by_rank[i] += t.taps_by_rank[i];
        }
        for i in 0..4 {
            all.fit[i] += t.fit[i];
        }
        (all.scans, all.requests, all.shares, all.viewers, all.looks) = (
            all.scans + t.scans,
            all.requests + t.requests,
            all.shares + t.shares,
            all.viewers + t.viewers,
            all.looks + t.looks,
        );
    }
    assert_figures(&report.all, &all);

    // Utilisation: minutes in sessions ÷ open kiosk-minutes. The report covers whole hours, so
    // the period's 21 extra minutes become an hour. Store A: two weeks of six 11-hour days (Berlin
    // is UTC+1 in November, and the extra hour falls on a closed Monday night); store B: every
    // minute of the period.
    let minutes = |t: &Truth| t.durations_ms.iter().sum::<u64>() as f64 / 60_000.0;
    let (open_a, open_b) = (2.0 * 6.0 * 11.0 * 60.0, (14.0 * 24.0 + 1.0_f64) * 60.0);
    let utilisation = |f: &analytics::Figures| f.utilisation_percent.unwrap_or(f64::NAN);
    assert!((utilisation(&store("store-a")) - 100.0 * minutes(&a) / open_a).abs() < 1e-9, "{:?}", store("store-a"));
    assert!((utilisation(&store("store-b")) - 100.0 * minutes(&b) / open_b.floor()).abs() < 1e-9);
    // The region of A and B: their sessions together, percentiles over both.
    let mut central = Truth::default();
    central.durations_ms = [a.durations_ms.clone(), b.durations_ms.clone()].concat();
    central.waits_ms = [a.waits_ms.clone(), b.waits_ms.clone()].concat();
    (central.scans, central.requests, central.shares, central.viewers, central.looks, central.taps) = (
        a.scans + b.scans,
        a.requests + b.requests,
        a.shares + b.shares,
        a.viewers + b.viewers,
        a.looks + b.looks,
        a.taps + b.taps,
    );
    for i in 0..3 {
        central.taps_by_rank[i] = a.taps_by_rank[i] + b.taps_by_rank[i];
    }
    for i in 0..4 {
        central.fit[i] = a.fit[i] + b.fit[i];
    }
    let region =
        |name: &str| report.regions.iter().find(|f| f.store == name).cloned().unwrap_or_else(|| panic!("no {name}"));
    assert_figures(&region("region:eu-central"), &central);
    assert!(
        (utilisation(&region("region:eu-central")) - 100.0 * (minutes(&a) + minutes(&b)) / (open_a + open_b.floor()))
            .abs()
            < 1e-9
    );
    assert!(region("region:eu-south").sessions.is_none(), "one quiet store: suppressed");

    // The grid: sessions started per weekday and hour in each store's time (all three are UTC+1
    // in November), cells under 5 left empty.
    let mut grid = vec![vec![0u64; 24]; 7];
    for at in all.started.iter().map(|at| at + HOUR) {
        let day = ((at - MONDAY) / (24 * HOUR)) % 7;
        grid[day as usize][((at % (24 * HOUR)) / HOUR) as usize] += 1;
    }
    let expected: Vec<Vec<Option<u64>>> =
        grid.into_iter().map(|d| d.into_iter().map(|n| (n >= 5).then_some(n)).collect()).collect();
    assert_eq!(report.weekday_hour, expected);

    let csv = analytics::csv(&report);
    let line = csv.lines().find(|l| l.starts_with("store-c,")).unwrap_or_default();
    assert_eq!(line, format!("store-c{}", ",".repeat(21)), "a suppressed store has empty cells");
    assert!(csv.lines().any(|l| l.starts_with(&format!("store-a,{},", a.durations_ms.len()))), "{csv}");

    // Over HTTP: a store manager of store A gets store A only; an associate gets 403.
    auth::put_user(&db, "mia", "correct horse battery", "store_manager", "store-a")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    auth::put_user(&db, "anna", "correct horse battery", "associate", "store-a")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let broker = Mosquitto::start().unwrap_or_else(|e| panic!("{e}"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let base = format!("http://{}", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
    let ingest = IngestSettings::anonymous(broker.url(), "analytics-test");
    tokio::spawn(console::serve(db, ingest, console::Options::default(), listener));
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build();
    let http = http.unwrap_or_else(|e| panic!("{e}"));
    let sign_in = async |name: &str| {
        let response = http
            .post(format!("{base}/signin"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("name={name}&password=correct+horse+battery"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
        cookie.split(';').next().unwrap_or_default().to_owned()
    };
    let period = format!("from_ms={}&to_ms={}", MONDAY, MONDAY + 15 * 24 * HOUR);
    let mia = sign_in("mia").await;
    let response = http.get(format!("{base}/api/v1/analytics?{period}")).header("cookie", &mia).send().await;
    let body = response.unwrap_or_else(|e| panic!("{e}")).text().await.unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    let stores: Vec<&str> =
        json["stores"].as_array().into_iter().flatten().filter_map(|s| s["store"].as_str()).collect();
    assert_eq!(stores, ["store-a"], "{body:.300}");
    assert_eq!(json["all"]["sessions"].as_u64(), Some(a.durations_ms.len() as u64));
    let page = http.get(format!("{base}/analytics?{period}")).header("cookie", &mia).send().await;
    let page = page.unwrap_or_else(|e| panic!("{e}")).text().await.unwrap_or_default();
    assert!(page.contains("data-store=\"store-a\"") && !page.contains("store-b"), "{page:.300}");
    if let Ok(dir) = std::env::var("KIOSK_SCREENSHOT_OUT") {
        let mut browser = testkit::cdp::Browser::launch().await;
        browser.open(&format!("{base}/signin")).await;
        assert!(browser.wait_until("!!document.getElementById('password')", std::time::Duration::from_secs(10)).await);
        browser
            .eval("document.getElementById('name').value = 'mia'; document.getElementById('password').value = 'correct horse battery'; document.querySelector('form.card').submit(); true")
            .await;
        assert!(browser.wait_until("location.pathname === '/'", std::time::Duration::from_secs(10)).await);
        browser.open(&format!("{base}/analytics?{period}")).await;
        let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
        assert!(browser.wait_until("!!document.getElementById('hours')", std::time::Duration::from_secs(10)).await);
        browser.save_desktop_and_phone(&out, "console-analytics").await;
    }
    let anna = sign_in("anna").await;
    let refused = http.get(format!("{base}/api/v1/analytics")).header("cookie", &anna).send().await;
    assert_eq!(refused.map(|r| r.status().as_u16()).ok(), Some(403));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_figures_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("console-analytics-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    check(format!("sqlite://{}", dir.join("console.db").display())).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_figures_on_postgresql() {
    let postgres = Postgres::start().unwrap_or_else(|e| panic!("{e}"));
    check(postgres.url()).await;
}
