//! Looks the shopper shows, over real sockets on 127.0.0.1: cards reach every viewer (also one who
//! joins later), pictures only under this share's viewer link, one pick per friend tallied back to
//! the kiosk, bad looks refused and counted with the socket kept, hidden and ended looks gone.

mod support;

use std::time::Duration;

use base64::prelude::{BASE64_STANDARD, Engine as _};
use protocol::share::{KioskToRelay, LookCard, LookItem, LookPicks, RelayToKiosk, RelayToViewer, ViewerToRelay};
use relay::config::Limits;
use support::*;

const SECOND: Duration = Duration::from_secs(1);

fn shirt() -> Vec<LookItem> {
    vec![LookItem { name: "Oxford shirt".into(), price: "€49.95".into() }]
}

fn show(look: u64, jpeg: &[u8], items: Vec<LookItem>) -> KioskToRelay {
    KioskToRelay::ShowLook { look, items, jpeg_base64: BASE64_STANDARD.encode(jpeg) }
}

#[tokio::test]
async fn shown_looks_reach_every_viewer_picks_reach_the_kiosk_and_ending_removes_them() {
    let relay = start(Limits::default()).await;
    let share = relay.create(KIOSK, KEY).await;
    let Ok(mut kiosk) = relay.kiosk_stream(&share.session_id, &share.kiosk_token).await else { panic!("kiosk stream") };
    let Ok(mut ana) = relay.viewer(&share.viewer_url).await else { panic!("viewer") };
    let picture = fake_jpeg(7, 3_000);

    send_json(&mut kiosk, &show(1, &picture, shirt())).await;
    let card = |picks| RelayToViewer::Looks { looks: vec![LookCard { look: 1, items: shirt(), picks }] };
    assert!(wait_for(&mut ana, &card(0), 2 * SECOND).await, "a viewer watching gets the card");
    let Ok(mut ben) = relay.viewer(&share.viewer_url).await else { panic!("viewer") };
    assert!(wait_for(&mut ben, &card(0), 2 * SECOND).await, "a viewer who joins later gets it on connect");
    let fetched = http_client().get(format!("{}/looks/1", share.viewer_url)).send().await;
    let Ok(fetched) = fetched else { panic!("{fetched:?}") };
    assert_eq!(fetched.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("image/jpeg"));
    assert_eq!(fetched.bytes().await.ok().as_deref(), Some(picture.as_slice()), "the picture, as the kiosk sent it");
    assert_eq!(relay.status(&format!("{}/looks/2", share.viewer_url)).await, 404, "only shown looks are there");
    assert_eq!(relay.metric("relay_looks_shown").await, 1);

    // One pick per friend; a pick of a look that is not shown changes nothing.
    send_json(&mut ana, &ViewerToRelay::Pick { look: 1 }).await;
    send_json(&mut ben, &ViewerToRelay::Pick { look: 9 }).await;
    send_json(&mut ben, &ViewerToRelay::Pick { look: 1 }).await;
    let two = RelayToKiosk::Picks { looks: vec![LookPicks { look: 1, picks: 2 }] };
    assert!(wait_for(&mut kiosk, &two, 2 * SECOND).await, "the kiosk gets both picks");
    assert!(wait_for(&mut ana, &card(2), 2 * SECOND).await, "friends see the tally too");

    // Bad looks are refused and counted; the kiosk's socket stays.
    send_json(&mut kiosk, &KioskToRelay::ShowLook { look: 2, items: shirt(), jpeg_base64: "not base64!".into() }).await;
    send_json(&mut kiosk, &show(2, b"GIF89a", shirt())).await;
    let tab = vec![LookItem { name: "Oxford\tshirt".into(), price: String::new() }];
    send_json(&mut kiosk, &show(2, &picture, tab)).await;
    let refused = rejected("look");
    let deadline = tokio::time::Instant::now() + 2 * SECOND;
    while relay.metric(&refused).await < 3 {
        assert!(tokio::time::Instant::now() < deadline, "refused looks counted: {}", relay.metric(&refused).await);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(relay.metric("relay_looks_shown").await, 1, "no refused look is kept");

    // Hidden: gone from every page and the relay, with its picks.
    send_json(&mut kiosk, &KioskToRelay::HideLook { look: 1 }).await;
    let none = RelayToViewer::Looks { looks: vec![] };
    assert!(wait_for(&mut ben, &none, 2 * SECOND).await, "the card leaves the pages");
    assert!(wait_for(&mut kiosk, &RelayToKiosk::Picks { looks: vec![] }, 2 * SECOND).await);
    assert_eq!(relay.status(&format!("{}/looks/1", share.viewer_url)).await, 404);

    // Shown again, then the share ends: nothing of it answers any more.
    send_json(&mut kiosk, &show(3, &picture, shirt())).await;
    let shown = RelayToViewer::Looks { looks: vec![LookCard { look: 3, items: shirt(), picks: 0 }] };
    assert!(wait_for(&mut ana, &shown, 2 * SECOND).await);
    send_json(&mut kiosk, &KioskToRelay::End).await;
    assert!(wait_for(&mut ana, &RelayToViewer::Ended, 2 * SECOND).await);
    assert_eq!(relay.status(&format!("{}/looks/3", share.viewer_url)).await, 410, "an ended share's looks are gone");
    assert_eq!(relay.metric("relay_looks_shown").await, 0);
}
