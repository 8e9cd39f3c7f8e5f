//! The relay over real sockets on 127.0.0.1: fan-out, flow control, limits, privacy, security.

mod support;

use std::time::{Duration, Instant};

use futures_util::SinkExt;
use protocol::share::{KioskToRelay, RelayToKiosk, RelayToViewer, ViewerToRelay, Vote};
use relay::config::Limits;
use support::*;
use tokio_tungstenite::tungstenite::Message;

const SECOND: Duration = Duration::from_secs(1);

/// Pushes numbered frames at ~60 fps until the returned sender is dropped; reports the newest
/// number sent through the watch channel.
fn push_frames(mut kiosk: Socket) -> (tokio::sync::watch::Receiver<u64>, tokio::task::JoinHandle<Socket>) {
    let (latest, latest_rx) = tokio::sync::watch::channel(0u64);
    let task = tokio::spawn(async move {
        for seq in 0..600u64 {
            if kiosk.send(Message::Binary(fake_jpeg(seq, 2_000).into())).await.is_err() {
                break;
            }
            latest.send_replace(seq);
            tokio::time::sleep(Duration::from_millis(16)).await;
            if latest.is_closed() {
                break;
            }
        }
        kiosk
    });
    (latest_rx, task)
}

#[tokio::test]
async fn two_viewers_get_frames_and_a_stalled_one_gets_no_backlog() {
    let relay = start(Limits::default()).await;
    let share = relay.create(KIOSK, KEY).await;
    let Ok(kiosk) = relay.kiosk_stream(&share.session_id, &share.kiosk_token).await else { panic!("kiosk stream") };
    let (Ok(mut fast), Ok(mut slow)) = (relay.viewer(&share.viewer_url).await, relay.viewer(&share.viewer_url).await)
    else {
        panic!("viewers")
    };
    let (latest, pusher) = push_frames(kiosk);

    // Both see frames; the slow one then acknowledges once and stops reading for 2 s.
    assert!(next_frame(&mut slow, 5 * SECOND).await.is_some());
    send_json(&mut slow, &ViewerToRelay::Ack).await;
    let mut fast_frames = Vec::new();
    let stall_end = Instant::now() + 2 * SECOND;
    while Instant::now() < stall_end {
        let Some(frame) = next_frame(&mut fast, SECOND).await else { panic!("the fast viewer stopped getting frames") };
        fast_frames.push(seq_of(&frame));
        send_json(&mut fast, &ViewerToRelay::Ack).await;
    }
    // ~120 frames were sent in 2 s; the fast viewer was not held up by the stalled one.
    assert!(fast_frames.len() >= 60, "fast viewer got only {} frames while the other stalled", fast_frames.len());
    assert!(fast_frames.windows(2).all(|w| w[0] < w[1]));

    // The slow viewer resumes: at most the one frame that was already in flight, then the newest.
    let in_flight = next_frame(&mut slow, SECOND).await.map(|f| seq_of(&f));
    let newest_before_ack = *latest.borrow();
    send_json(&mut slow, &ViewerToRelay::Ack).await;
    let next = next_frame(&mut slow, SECOND).await.map(|f| seq_of(&f));
    let (Some(in_flight), Some(next)) = (in_flight, next) else { panic!("slow viewer got no frames after resuming") };
    assert!(in_flight < newest_before_ack, "the in-flight frame predates the pause");
    assert!(
        next >= newest_before_ack,
        "after the pause the next frame must be the newest: got {next}, newest was {newest_before_ack}"
    );
    assert!(
        relay.metric("relay_frames_skipped_total").await > 50,
        "the stalled viewer's frames were skipped, not queued"
    );

    drop(latest);
    let _ = pusher.await;
}

#[tokio::test]
async fn reactions_votes_and_comments_reach_the_kiosk_and_viewer_counts_flow() {
    let relay = start(Limits::default()).await;
    let share = relay.create(KIOSK, KEY).await;
    let Ok(mut kiosk) = relay.kiosk_stream(&share.session_id, &share.kiosk_token).await else { panic!("kiosk stream") };
    let Ok(mut viewer) = relay.viewer(&share.viewer_url).await else { panic!("viewer") };
    assert_eq!(next_text::<RelayToKiosk>(&mut kiosk, SECOND).await, Some(RelayToKiosk::Viewers { count: 1 }));

    send_json(&mut viewer, &ViewerToRelay::React { emoji: "🔥".into() }).await;
    send_json(&mut viewer, &ViewerToRelay::React { emoji: "<img src=x>".into() }).await; // not a reaction: dropped
    send_json(&mut viewer, &ViewerToRelay::Vote { vote: Vote::Buy }).await;
    send_json(&mut viewer, &ViewerToRelay::Comment { name: " Ana ".into(), text: "<b>love</b> it".into() }).await;
    let mut received = Vec::new();
    while received.len() < 3 {
        match next_text::<RelayToKiosk>(&mut kiosk, 2 * SECOND).await {
            Some(RelayToKiosk::Viewers { .. }) => {}
            Some(other) => received.push(other),
            None => panic!("kiosk got only {received:?}"),
        }
    }
    assert_eq!(
        received,
        [
            RelayToKiosk::Reaction { emoji: "🔥".into() },
            RelayToKiosk::Tally { buy: 1, skip: 0 },
            RelayToKiosk::Comment { name: "Ana".into(), text: "<b>love</b> it".into() },
        ]
    );

    // Flooding reactions gets "slow down" and never more than the burst through.
    for _ in 0..40 {
        send_json(&mut viewer, &ViewerToRelay::React { emoji: "❤️".into() }).await;
    }
    assert!(wait_for(&mut viewer, &RelayToViewer::SlowDown, 2 * SECOND).await, "a flood must be told to slow down");
    drop(viewer);
    let mut reactions = 0;
    while let Some(message) = next_text::<RelayToKiosk>(&mut kiosk, Duration::from_millis(500)).await {
        if matches!(message, RelayToKiosk::Reaction { .. }) {
            reactions += 1;
        }
    }
    assert!((1..=12).contains(&reactions), "rate limit let {reactions} of 40 reactions through");
}

#[tokio::test]
async fn one_sessions_credentials_do_not_reach_another() {
    let relay = start(Limits::default()).await;
    let a = relay.create(KIOSK, KEY).await;
    let b = relay.create(KIOSK_B, KEY_B).await;
    assert_ne!(a.viewer_url, b.viewer_url);
    // A's kiosk token cannot stream into or end B.
    assert_eq!(relay.kiosk_stream(&b.session_id, &a.kiosk_token).await.err(), Some(401));
    let end_b = relay
        .http
        .delete(relay.url(&format!("/api/v1/sessions/{}", b.session_id)))
        .bearer_auth(&a.kiosk_token)
        .send()
        .await;
    assert_eq!(end_b.map(|r| r.status().as_u16()).ok(), Some(401));
    // A kiosk key only creates sessions for its own kiosk id.
    let wrong = relay
        .http
        .post(relay.url("/api/v1/sessions"))
        .bearer_auth(KEY)
        .json(&serde_json::json!({"kiosk_id": KIOSK_B}))
        .send()
        .await;
    assert_eq!(wrong.map(|r| r.status().as_u16()).ok(), Some(401));
    // A's viewers get A's frames only.
    let Ok(mut kiosk_b) = relay.kiosk_stream(&b.session_id, &b.kiosk_token).await else { panic!("kiosk b") };
    let Ok(mut viewer_a) = relay.viewer(&a.viewer_url).await else { panic!("viewer a") };
    let sent = kiosk_b.send(Message::Binary(fake_jpeg(7, 100).into())).await;
    assert!(sent.is_ok());
    assert_eq!(
        next_frame(&mut viewer_a, Duration::from_millis(500)).await,
        None,
        "B's frame must not reach A's viewer"
    );
    // Guessing tokens: unknown ones are 404.
    assert_eq!(relay.status(&relay.url("/v/00000000000000000000000000000000")).await, 404);
}

#[tokio::test]
async fn bad_requests_get_clear_statuses_and_the_relay_stays_up() {
    let relay = start(Limits { max_frame_bytes: 64 * 1024, max_viewers_per_session: 1, ..Limits::default() }).await;
    let post = |body: &'static str, key: Option<&'static str>| {
        let mut request =
            relay.http.post(relay.url("/api/v1/sessions")).header("content-type", "application/json").body(body);
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        request.send()
    };
    assert_eq!(post(r#"{"kiosk_id":"kiosk-a"}"#, None).await.map(|r| r.status().as_u16()).ok(), Some(401));
    assert_eq!(
        post(r#"{"kiosk_id":"kiosk-a"}"#, Some("wrong-key-wrong-key")).await.map(|r| r.status().as_u16()).ok(),
        Some(401)
    );
    assert_eq!(post(r#"{"kiosk_id":"#, Some(KEY)).await.map(|r| r.status().as_u16()).ok(), Some(400));
    assert_eq!(
        post(r#"{"kiosk_id":"kiosk-a","extra":1}"#, Some(KEY)).await.map(|r| r.status().as_u16()).ok(),
        Some(400)
    );

    let share = relay.create(KIOSK, KEY).await;
    // One viewer allowed: the second is refused with 429.
    let Ok(mut viewer) = relay.viewer(&share.viewer_url).await else { panic!("viewer") };
    assert_eq!(relay.viewer(&share.viewer_url).await.err(), Some(429));

    // An oversized frame closes the kiosk socket with 1009, a non-JPEG one with 1007.
    let Ok(mut kiosk) = relay.kiosk_stream(&share.session_id, &share.kiosk_token).await else { panic!("kiosk") };
    let _ = kiosk.send(Message::Binary(fake_jpeg(1, 200 * 1024).into())).await;
    assert_eq!(socket_end(&mut kiosk, 2 * SECOND).await, SocketEnd::Closed(1009, "frame too large".into()));
    let Ok(mut kiosk) = relay.kiosk_stream(&share.session_id, &share.kiosk_token).await else {
        panic!("kiosk reconnect")
    };
    let _ = kiosk.send(Message::Binary(b"GIF89a".to_vec().into())).await;
    assert_eq!(socket_end(&mut kiosk, 2 * SECOND).await, SocketEnd::Closed(1007, "frames must be JPEG".into()));
    // Malformed kiosk text is counted and ignored: the socket stays and its frames flow.
    let Ok(mut kiosk) = relay.kiosk_stream(&share.session_id, &share.kiosk_token).await else { panic!("kiosk again") };
    let _ = kiosk.send(Message::Text("{\"type\":\"explode\"}".into())).await;
    let (_latest, pusher) = push_frames(kiosk);
    assert!(next_frame(&mut viewer, 2 * SECOND).await.is_some(), "frames flow to the viewer");
    let counts = [
        (rejected("wrong_key"), 2),
        (rejected("viewer_limit"), 1),
        (rejected("frame_too_large"), 1),
        (rejected("frame_not_jpeg"), 1),
        (rejected("kiosk_message"), 1),
    ];
    for (name, expected) in &counts {
        assert_eq!(relay.metric(name).await, *expected, "{name}");
    }
    drop(pusher);
    assert_eq!(relay.status(&relay.url("/healthz")).await, 200);
    // The session survives its kiosk's reconnects within the grace period.
    assert!(relay.kiosk_stream(&share.session_id, &share.kiosk_token).await.is_ok());
}

#[tokio::test]
async fn an_oversized_viewer_message_closes_that_viewer_only() {
    let relay = start(Limits { max_viewer_message_bytes: 1024, ..Limits::default() }).await;
    let share = relay.create(KIOSK, KEY).await;
    let Ok(kiosk) = relay.kiosk_stream(&share.session_id, &share.kiosk_token).await else { panic!("kiosk") };
    let (Ok(mut rude), Ok(mut polite)) = (relay.viewer(&share.viewer_url).await, relay.viewer(&share.viewer_url).await)
    else {
        panic!("viewers")
    };
    let (_latest, pusher) = push_frames(kiosk);
    for viewer in [&mut rude, &mut polite] {
        assert!(next_frame(viewer, 2 * SECOND).await.is_some(), "frames flow before the bad message");
        send_json(viewer, &ViewerToRelay::Ack).await;
    }
    // Malformed and unknown messages are counted and ignored: the viewer keeps getting frames.
    let _ = rude.send(Message::Text("{not json".into())).await;
    send_json(&mut rude, &ViewerToRelay::React { emoji: "<img src=x>".into() }).await;
    send_json(&mut rude, &ViewerToRelay::Comment { name: "Ana".into(), text: "\u{7}".into() }).await;
    assert!(next_frame(&mut rude, 2 * SECOND).await.is_some(), "a malformed message must not close the viewer");
    // An oversized one closes it with 1009.
    let _ = rude.send(Message::Text("x".repeat(10_000).into())).await;
    assert_eq!(socket_end(&mut rude, 2 * SECOND).await, SocketEnd::Closed(1009, "message too large".into()));
    // The other viewer keeps receiving new frames.
    let mut seen = Vec::new();
    for _ in 0..10 {
        let Some(frame) = next_frame(&mut polite, 2 * SECOND).await else { panic!("the other viewer stopped") };
        seen.push(seq_of(&frame));
        send_json(&mut polite, &ViewerToRelay::Ack).await;
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "fresh frames keep coming: {seen:?}");
    assert_eq!(relay.metric("relay_viewers").await, 1);
    for (name, expected) in [
        (rejected("viewer_message"), 2),
        (rejected("comment"), 1),
        (rejected("viewer_too_large"), 1),
        (rejected("frame_too_large"), 0),
    ] {
        assert_eq!(relay.metric(&name).await, expected, "{name}");
    }
    drop(pusher);
}

#[tokio::test]
async fn ending_closes_viewers_kills_tokens_and_drops_the_frame() {
    let relay = start(Limits::default()).await;
    let share = relay.create(KIOSK, KEY).await;
    let Ok(mut kiosk) = relay.kiosk_stream(&share.session_id, &share.kiosk_token).await else { panic!("kiosk") };
    let Ok(mut viewer) = relay.viewer(&share.viewer_url).await else { panic!("viewer") };
    let sent = kiosk.send(Message::Binary(fake_jpeg(1, 5_000).into())).await;
    assert!(sent.is_ok());
    assert!(next_frame(&mut viewer, SECOND).await.is_some());
    assert_eq!(relay.metric("relay_frames_held").await, 1);
    assert_eq!(relay.status(&share.viewer_url).await, 200);

    let started = Instant::now();
    send_json(&mut kiosk, &KioskToRelay::End).await;
    assert!(wait_for(&mut viewer, &RelayToViewer::Ended, SECOND).await);
    assert!(started.elapsed() < SECOND, "viewers must hear of the end within a second");
    assert_eq!(relay.metric("relay_frames_held").await, 0);
    assert_eq!(relay.metric("relay_sessions").await, 0);
    assert_eq!(relay.status(&share.viewer_url).await, 410);
    assert_eq!(relay.viewer(&share.viewer_url).await.err(), Some(410));
    assert_eq!(relay.kiosk_stream(&share.session_id, &share.kiosk_token).await.err(), Some(410));
}

#[tokio::test]
async fn sessions_expire_and_end_when_the_kiosk_goes_away() {
    let relay = start(Limits { max_session_s: 1.0, kiosk_grace_s: 0.5, ..Limits::default() }).await;
    let expiring = relay.create(KIOSK, KEY).await;
    let Ok(_kiosk) = relay.kiosk_stream(&expiring.session_id, &expiring.kiosk_token).await else { panic!("kiosk") };
    let abandoned = relay.create(KIOSK_B, KEY_B).await;
    let Ok(mut viewer) = relay.viewer(&abandoned.viewer_url).await else { panic!("viewer") };
    // The second kiosk never connects: its session ends after the grace period.
    assert!(wait_for(&mut viewer, &RelayToViewer::Ended, 3 * SECOND).await, "the viewer must hear the session ended");
    tokio::time::sleep(2 * SECOND).await;
    assert_eq!(relay.status(&expiring.viewer_url).await, 410, "expired sessions answer 410");
    assert_eq!(relay.status(&abandoned.viewer_url).await, 410);
}

#[tokio::test]
async fn a_silent_viewer_is_closed_as_idle_and_a_pinging_one_stays() {
    let relay = start(Limits { viewer_idle_timeout_s: 1.0, ..Limits::default() }).await;
    let share = relay.create(KIOSK, KEY).await;
    // Before the connect: the relay starts the viewer's idle clock only once it is connected.
    let started = Instant::now();
    let Ok(mut silent) = relay.viewer(&share.viewer_url).await else { panic!("viewer") };
    let Ok(mut pinging) = relay.viewer(&share.viewer_url).await else { panic!("viewer") };
    let mut closed = None;
    while started.elapsed() < 5 * SECOND && closed.is_none() {
        send_json(&mut pinging, &ViewerToRelay::Ping).await;
        if let Ok(Some(Ok(message))) =
            tokio::time::timeout(SECOND / 4, futures_util::StreamExt::next(&mut silent)).await
            && let Message::Close(Some(frame)) = message
        {
            closed = Some((frame.code, frame.reason.to_string(), started.elapsed()));
        }
    }
    let Some((code, reason, after)) = closed else { panic!("the silent viewer was never closed") };
    assert_eq!((u16::from(code), reason.as_str()), (1001, "idle"));
    assert!(after >= SECOND, "closed after {after:?}, before the 1 s idle timeout");
    // The viewer that kept pinging is still served.
    let deadline = Instant::now() + 2 * SECOND;
    while relay.metric("relay_viewers").await != 1 && Instant::now() < deadline {
        send_json(&mut pinging, &ViewerToRelay::Ping).await;
        tokio::time::sleep(SECOND / 10).await;
    }
    assert_eq!(relay.metric("relay_viewers").await, 1, "the pinging viewer is still connected");
}

#[tokio::test]
async fn friends_see_each_others_reactions_and_comments() {
    let relay = start(Limits::default()).await;
    let share = relay.create(KIOSK, KEY).await;
    let (Ok(mut ana), Ok(mut ben)) = (relay.viewer(&share.viewer_url).await, relay.viewer(&share.viewer_url).await)
    else {
        panic!("viewers")
    };
    // Not a reaction on the list: dropped, nobody sees it; then a real one and a comment.
    send_json(&mut ana, &ViewerToRelay::React { emoji: "<img src=x>".into() }).await;
    send_json(&mut ana, &ViewerToRelay::React { emoji: "🔥".into() }).await;
    send_json(&mut ana, &ViewerToRelay::Comment { name: " Ana ".into(), text: "<b>love</b> it".into() }).await;
    let mut seen = Vec::new();
    while seen.len() < 2 {
        match next_text::<RelayToViewer>(&mut ben, 2 * SECOND).await {
            Some(RelayToViewer::Viewers { .. } | RelayToViewer::Tally { .. } | RelayToViewer::Looks { .. }) => {}
            Some(other) => seen.push(other),
            None => panic!("Ben saw only {seen:?}"),
        }
    }
    assert_eq!(
        seen,
        [
            RelayToViewer::Reaction { emoji: "🔥".into() },
            RelayToViewer::Comment { name: "Ana".into(), text: "<b>love</b> it".into() },
        ],
        "the other friend sees the reaction and the cleaned comment"
    );
    // Ana sees her own too, as everyone watching does.
    assert!(wait_for(&mut ana, &RelayToViewer::Reaction { emoji: "🔥".into() }, 2 * SECOND).await);
}
