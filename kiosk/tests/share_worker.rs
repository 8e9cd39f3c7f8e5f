//! The share worker without Bevy, against a real relay behind a real TLS terminator on
//! 127.0.0.1: a chain's relay at `https://…` with a private CA, a synthetic camera, a friend's
//! viewer socket. Also: the same relay is refused when its CA is not trusted, and a relay that is
//! down is asked again every `share.retry_s`.

use std::{
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use camera::{CaptureHandle, CaptureSettings, FormatRequest, share_encoder::ShareFormat, synthetic::SyntheticSource};
use futures_util::{SinkExt, StreamExt};
use kiosk::share::worker::{ShareCommand, ShareEvent, ShareSettings, ShareWorker};
use protocol::{
    config::{PixelFormat, ShareSection},
    share::{RelayToViewer, ViewerToRelay},
};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;

const KEY: &str = "tls-kiosk-key-0123456789";

/// A relay on loopback, and an HTTPS/WSS terminator in front of it with a certificate for
/// "localhost" signed by a fresh private CA. Returns the TLS port, the relay's address and the
/// CA certificate (PEM).
async fn relay_behind_tls() -> (u16, SocketAddr, String) {
    let Ok(relay_listener) = TcpListener::bind("127.0.0.1:0").await else { panic!("bind relay") };
    let Ok(relay_addr) = relay_listener.local_addr() else { panic!("relay address") };
    let config = relay::config::RelayConfig {
        listen: relay_addr,
        public_url: format!("http://{relay_addr}"),
        kiosk_keys: [("tls-kiosk".to_string(), KEY.to_string())].into_iter().collect(),
        limits: relay::config::Limits::default(),
        take_home_store: None,
        theme: Default::default(),
        sfu: None,
    };
    tokio::spawn(relay::serve(relay_listener, config, std::future::pending()));

    let ca_params = CertificateParams::new(Vec::<String>::new()).map(|mut p| {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p
    });
    let (Ok(ca_params), Ok(ca_key), Ok(leaf_key)) = (ca_params, KeyPair::generate(), KeyPair::generate()) else {
        panic!("key generation")
    };
    let Ok(ca) = CertifiedIssuer::self_signed(ca_params, ca_key) else { panic!("CA") };
    let leaf = CertificateParams::new(vec!["localhost".to_string()]).and_then(|p| p.signed_by(&leaf_key, &ca));
    let Ok(leaf) = leaf else { panic!("leaf certificate") };
    let server = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .and_then(|b| {
            b.with_no_client_auth().with_single_cert(
                vec![leaf.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
            )
        });
    let Ok(server) = server else { panic!("TLS server config") };
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server));
    let Ok(tls_listener) = TcpListener::bind("127.0.0.1:0").await else { panic!("bind TLS") };
    let Ok(tls_addr) = tls_listener.local_addr() else { panic!("TLS address") };
    tokio::spawn(async move {
        while let Ok((client, _)) = tls_listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let (Ok(mut tls), Ok(mut upstream)) =
                    (acceptor.accept(client).await, TcpStream::connect(relay_addr).await)
                else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
            });
        }
    });
    (tls_addr.port(), relay_addr, ca.pem())
}

fn worker(tls_port: u16, ca_file: &str) -> (ShareWorker, CaptureHandle) {
    worker_for(&format!("https://localhost:{tls_port}"), ca_file)
}

fn worker_for(relay_url: &str, ca_file: &str) -> (ShareWorker, CaptureHandle) {
    let request = FormatRequest { formats: vec![PixelFormat::Yuyv], width: 640, height: 360, fps: 30 };
    let capture = CaptureHandle::spawn(
        Box::new(move || Box::new(SyntheticSource::new(request, None))),
        CaptureSettings {
            error_threshold: 3,
            reconnect_initial: Duration::from_millis(50),
            reconnect_max: Duration::from_millis(200),
        },
    );
    let Ok(capture) = capture else { panic!("capture") };
    let section = ShareSection {
        relay_url: relay_url.to_string(),
        kiosk_key: KEY.into(),
        relay_ca_file: ca_file.into(),
        retry_s: 0.5,
        ..ShareSection::default()
    };
    let format = ShareFormat { long_edge: 720, quality: 70, mirror: true, aspect: (9.0, 16.0) };
    let settings = ShareSettings { section, kiosk_id: "tls-kiosk".into(), format, theme: Default::default() };
    let Ok(worker) = ShareWorker::spawn(settings, Arc::clone(capture.shared())) else { panic!("worker") };
    (worker, capture)
}

async fn next_event(
    worker: &ShareWorker,
    timeout: Duration,
    mut wanted: impl FnMut(&ShareEvent) -> bool,
) -> Option<ShareEvent> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Some(event) = worker.drain().into_iter().find(|e| wanted(e)) {
            return Some(event);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shares_through_an_https_relay_signed_by_a_private_ca_and_stops_within_a_second() {
    let (tls_port, _relay, ca_pem) = relay_behind_tls().await;
    let ca_file = std::env::temp_dir().join(format!("mirror-ca-{}.pem", std::process::id()));
    assert!(std::fs::write(&ca_file, ca_pem).is_ok());
    let (worker, _capture) = worker(tls_port, &ca_file.to_string_lossy());

    let available =
        next_event(&worker, Duration::from_secs(10), |e| matches!(e, ShareEvent::Availability { .. })).await;
    assert_eq!(
        available,
        Some(ShareEvent::Availability { available: true, reason: None }),
        "the relay answers over TLS"
    );
    worker.send(ShareCommand::Start);
    let live = next_event(&worker, Duration::from_secs(10), |e| matches!(e, ShareEvent::Live { .. })).await;
    let Some(ShareEvent::Live { viewer_url }) = live else { panic!("no live share: {live:?}") };

    let ws_url = format!("{}/ws", viewer_url.replacen("http://", "ws://", 1));
    let Ok((viewer, _)) = tokio_tungstenite::connect_async(ws_url.as_str()).await else { panic!("viewer") };
    let (mut tx, mut rx) = viewer.split();
    let mut frames = 0;
    let deadline = Instant::now() + Duration::from_secs(10);
    while frames < 3 && Instant::now() < deadline {
        let Ok(Some(Ok(message))) = tokio::time::timeout(Duration::from_secs(2), rx.next()).await else { continue };
        if let Message::Binary(jpeg) = message {
            let decoded = image::load_from_memory(&jpeg).map(|i| (i.width(), i.height()));
            assert_eq!(decoded.ok(), Some((202, 360)), "portrait crop of the 640x360 camera");
            frames += 1;
            let ack = serde_json::to_string(&ViewerToRelay::Ack).unwrap_or_default();
            let _ = tx.send(Message::Text(ack.into())).await;
        }
    }
    assert_eq!(frames, 3, "frames reach the viewer through the TLS relay");

    let stop_sent = Instant::now();
    worker.send(ShareCommand::Stop);
    let mut ended = false;
    while !ended && stop_sent.elapsed() < Duration::from_secs(2) {
        let Ok(Some(Ok(Message::Text(text)))) = tokio::time::timeout(Duration::from_millis(200), rx.next()).await
        else {
            continue;
        };
        ended = serde_json::from_str::<RelayToViewer>(&text).ok() == Some(RelayToViewer::Ended);
    }
    assert!(
        ended && stop_sent.elapsed() < Duration::from_secs(1),
        "viewers hear the end within a second ({:?})",
        stop_sent.elapsed()
    );
    let stopped = next_event(&worker, Duration::from_secs(2), |e| matches!(e, ShareEvent::Stopped { .. })).await;
    assert_eq!(stopped, Some(ShareEvent::Stopped { reason: "stopped".into() }));
    let _ = std::fs::remove_file(&ca_file);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_relay_certificate_means_sharing_is_unavailable() {
    let (tls_port, _relay, _ca) = relay_behind_tls().await;
    let (worker, _capture) = worker(tls_port, "");
    let event = next_event(&worker, Duration::from_secs(10), |e| matches!(e, ShareEvent::Availability { .. })).await;
    // Refused for the certificate (rustls: the issuer is unknown), not for any connection failure.
    let untrusted = "invalid peer certificate: UnknownIssuer";
    assert!(
        matches!(&event, Some(ShareEvent::Availability { available: false, reason: Some(r) })
            if r.contains("not answering") && r.contains(untrusted)),
        "{event:?}"
    );
    worker.send(ShareCommand::Start);
    let stopped = next_event(&worker, Duration::from_secs(10), |e| matches!(e, ShareEvent::Stopped { .. })).await;
    assert!(
        matches!(&stopped, Some(ShareEvent::Stopped { reason }) if reason.contains("unreachable") && reason.contains(untrusted)),
        "{stopped:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_that_is_down_is_asked_again_every_retry_interval() {
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
    // A stand-in relay whose health check says 503 until told otherwise, counting the asks.
    let (asked, up) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicBool::new(false)));
    let healthz = {
        let (asked, up) = (Arc::clone(&asked), Arc::clone(&up));
        axum::routing::get(move || async move {
            asked.fetch_add(1, Ordering::SeqCst);
            if up.load(Ordering::SeqCst) {
                axum::http::StatusCode::OK
            } else {
                axum::http::StatusCode::SERVICE_UNAVAILABLE
            }
        })
    };
    let Ok(listener) = TcpListener::bind("127.0.0.1:0").await else { panic!("bind") };
    let Ok(addr) = listener.local_addr() else { panic!("address") };
    tokio::spawn(async move { axum::serve(listener, axum::Router::new().route("/healthz", healthz)).await });

    // retry_s = 0.5 (see `worker_for`).
    let (worker, _capture) = worker_for(&format!("http://{addr}"), "");
    let down = next_event(&worker, Duration::from_secs(10), |e| matches!(e, ShareEvent::Availability { .. })).await;
    assert!(
        matches!(&down, Some(ShareEvent::Availability { available: false, reason: Some(r) }) if r.ends_with("answers 503 Service Unavailable")),
        "{down:?}"
    );
    let from = (Instant::now(), asked.load(Ordering::SeqCst));
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (span, asks) = (from.0.elapsed().as_secs_f32(), asked.load(Ordering::SeqCst) - from.1);
    // Every 0.5 s: about 6 in 3 s; never more often, and a loaded machine may stretch the gaps.
    assert!((3..=(span / 0.5).ceil() as u32 + 1).contains(&asks), "{asks} health checks in {span:.1} s");

    up.store(true, Ordering::SeqCst);
    let back = Instant::now();
    let available = next_event(&worker, Duration::from_secs(5), |e| matches!(e, ShareEvent::Availability { .. })).await;
    assert_eq!(available, Some(ShareEvent::Availability { available: true, reason: None }));
    assert!(back.elapsed() < Duration::from_secs(1), "noticed {:?} after the relay came back", back.elapsed());
}
