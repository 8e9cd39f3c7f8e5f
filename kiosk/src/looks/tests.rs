//! The looks plugin in a Bevy `App` with manual time: the countdown, the picture from a real
//! capture pipeline on synthetic frames, labels, the limit, delete, and the wipe. The app built
//! here also serves the twirl's tests ([`super::motion_tests`]).

use std::{path::Path, sync::Arc, time::Instant};

use bevy::{ecs::message::Messages, time::TimeUpdateStrategy};
use products::worker::Origin;
use protocol::{
    catalog::Catalog,
    config::{DisplaySection, KioskConfig},
    telemetry::Ident,
};

use super::*;
use crate::{mirror::MirrorBlank, products::RoomItem, ui::theme::Metrics};

pub(super) const STEP: Duration = Duration::from_millis(100);

pub(super) fn demo_catalog() -> Catalog {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalog/catalog.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Catalog::from_json(&bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn item(product: &str, sku: &str) -> RoomItem {
    let id = |s: &str| Ident::new(s).unwrap_or_else(|e| panic!("{e}"));
    RoomItem { product: id(product), sku: id(sku) }
}

pub(super) fn app(config: KioskConfig) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, AssetPlugin::default(), ImagePlugin::default()))
        .insert_resource(TimeUpdateStrategy::ManualDuration(STEP))
        .insert_resource(Metrics::for_display(&DisplaySection::default()))
        .insert_resource(Settings::new(config))
        .insert_resource(Shelf(products::worker::Shelf::new(Arc::new(demo_catalog()), "".into(), Origin::Bundled)))
        .insert_resource(InRoom(vec![
            item("slim-chinos", "slim-chinos-sand-32"),
            item("oxford-shirt", "oxford-shirt-white-M"),
        ]))
        .insert_resource(CameraFeed::synthetic_for_tests(false))
        .add_message::<FeatureRequested>()
        .add_message::<ShowToast>()
        .add_message::<Usage>()
        .add_message::<PrivacyWipe>()
        .add_plugins(plugin);
    app.update();
    app
}

pub(super) fn written<M: Message + Clone>(app: &App) -> Vec<M> {
    app.world().resource::<Messages<M>>().iter_current_update_messages().cloned().collect()
}

pub(super) fn capture(app: &App) -> Capture {
    app.world().resource::<Capture>().clone()
}

fn tap_open(app: &App) -> bool {
    app.world().resource::<CameraFeed>().shared.looks_tap.is_open()
}

/// Steps until the camera's picture became a look (real frames arrive in real time).
fn until_taken(app: &mut App, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while app.world().resource::<Looks>().taken.len() < count {
        assert!(Instant::now() < deadline, "no look taken: {:?}", capture(app));
        app.update();
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_countdown_then_a_mirrored_portrait_look_labelled_with_what_is_worn() {
    let mut app = app(KioskConfig::default());
    app.world_mut().write_message(FeatureRequested(FEATURE));
    app.update();
    assert!(app.world().resource::<LooksPanel>().open, "Looks opens the strip");
    app.world_mut().write_message(TakeLook);
    app.update();
    // 3, 2, 1 over three seconds; no frame is copied for a look meanwhile.
    let mut shown = Vec::new();
    for _ in 0..29 {
        shown.extend(capture(&app).shown_number());
        assert!(!tap_open(&app), "the camera copies nothing during the countdown");
        app.update();
    }
    shown.dedup();
    assert_eq!(shown, [3, 2, 1]);
    app.update();
    until_taken(&mut app, 1);
    assert!(
        written::<Usage>(&app)
            .iter()
            .any(|u| u.0 == UsageEvent::LookCaptured { looks_in_session: 1, kind: LookKind::Still })
    );
    let looks = app.world().resource::<Looks>();
    let look = &looks.taken[0];
    assert_eq!(look.label, "Slim chinos · Oxford shirt", "the items in the room, newest first");
    // No window in this test: a 9:16 screen. 90 px high → 51 px wide, at the camera's resolution.
    assert_eq!(look.size, UVec2::new(51, 90));
    let image = app.world().resource::<Assets<Image>>().get(&look.image);
    assert_eq!(image.and_then(|i| i.data.as_ref()).map(Vec::len), Some(51 * 90 * 4));
    assert!(!tap_open(&app), "the camera's copy for looks closes once the picture is taken");
    assert_eq!(capture(&app), Capture::Idle);
}

#[test]
fn the_limit_is_kept_delete_frees_a_place_and_a_wipe_drops_everything() {
    let mut config = KioskConfig::default();
    (config.looks.countdown_s, config.looks.max_looks) = (0, 2);
    let mut app = app(config);
    for n in 1..=2 {
        app.world_mut().write_message(TakeLook);
        app.update();
        until_taken(&mut app, n);
    }
    let taken: Vec<u64> = app.world().resource::<Looks>().taken.iter().map(|l| l.frame_seq).collect();
    assert!(taken[0] < taken[1], "each look is its own frame: {taken:?}");
    app.world_mut().write_message(TakeLook);
    app.update();
    let toasts: Vec<String> = written::<ShowToast>(&app).iter().map(|t| crate::i18n::english(&t.0)).collect();
    assert_eq!(toasts, ["You have 2 looks: delete one to take another"]);
    assert_eq!(capture(&app), Capture::Idle, "no countdown past the limit");

    let first = app.world().resource::<Looks>().taken[0].clone();
    app.world_mut().write_message(DeleteLook(first.id));
    app.update();
    assert_eq!(app.world().resource::<Looks>().taken.len(), 1);
    assert!(app.world().resource::<Assets<Image>>().get(&first.image).is_none(), "its picture is gone from memory");
    app.world_mut().write_message(TakeLook);
    app.update();
    until_taken(&mut app, 2);

    // A countdown under way and two looks: the session ends.
    let mut config = KioskConfig::default();
    config.looks.countdown_s = 3;
    app.insert_resource(Settings::new(config));
    app.world_mut().write_message(TakeLook);
    app.world_mut().write_message(FeatureRequested(FEATURE));
    app.update();
    let pictures: Vec<Handle<Image>> = app.world().resource::<Looks>().taken.iter().map(|l| l.image.clone()).collect();
    app.world_mut().write_message(PrivacyWipe);
    app.update();
    assert!(app.world().resource::<Looks>().taken.is_empty());
    assert!(pictures.iter().all(|p| app.world().resource::<Assets<Image>>().get(p).is_none()), "pictures dropped");
    assert_eq!(capture(&app), Capture::Idle);
    assert!(!app.world().resource::<LooksPanel>().open && !tap_open(&app));
}

#[test]
fn looks_hide_whenever_the_mirror_is_blanked_for_a_screenshot() {
    let mut config = KioskConfig::default();
    config.looks.countdown_s = 0;
    let mut app = app(config);
    app.world_mut().write_message(FeatureRequested(FEATURE));
    app.world_mut().write_message(TakeLook);
    app.update();
    until_taken(&mut app, 1);
    app.update();
    let visibility = |app: &mut App| {
        let mut pictures = app.world_mut().query_filtered::<&Visibility, With<LookPicture>>();
        pictures.iter(app.world()).copied().collect::<Vec<_>>()
    };
    assert_eq!(visibility(&mut app), [Visibility::Inherited], "the strip shows the look");
    app.world_mut().resource_mut::<MirrorBlank>().0 = 1;
    app.update();
    assert_eq!(visibility(&mut app), [Visibility::Hidden], "a blanking screenshot shows no look");
    app.world_mut().resource_mut::<MirrorBlank>().0 = 0;
    app.update();
    assert_eq!(visibility(&mut app), [Visibility::Inherited]);
}

#[test]
fn ticked_looks_compare_side_by_side_one_shows_big_and_back_returns() {
    let mut config = KioskConfig::default();
    config.looks.countdown_s = 0;
    // A small screen: two side by side.
    config.display.physical_width_mm = 400.0;
    let mut app = app(config);
    app.world_mut().write_message(FeatureRequested(FEATURE));
    for n in 1..=3 {
        app.world_mut().write_message(TakeLook);
        app.update();
        until_taken(&mut app, n);
    }
    let ids: Vec<u64> = app.world().resource::<Looks>().taken.iter().map(|l| l.id).collect();
    let act = |app: &mut App, action: LooksAction| {
        app.world_mut().write_message(action);
        app.update();
    };
    act(&mut app, LooksAction::Compare);
    assert_eq!(app.world().resource::<LooksPanel>().view, LooksView::Strip, "nothing to compare yet");
    for id in &ids {
        act(&mut app, LooksAction::Tick(*id));
    }
    let toasts: Vec<String> = written::<ShowToast>(&app).iter().map(|t| crate::i18n::english(&t.0)).collect();
    assert_eq!(toasts, ["2 looks fit side by side: untick one first"]);
    assert_eq!(app.world().resource::<LooksPanel>().ticked, ids[..2]);
    act(&mut app, LooksAction::Compare);
    assert_eq!(app.world().resource::<LooksPanel>().view, LooksView::SideBySide);
    assert!(written::<Usage>(&app).iter().any(|u| u.0 == UsageEvent::LooksCompared { looks: 2 }));
    app.update();
    let pictures = |app: &mut App| app.world_mut().query::<&LookPicture>().iter(app.world()).count();
    assert_eq!(pictures(&mut app), 2, "the two ticked looks, side by side (the strip is hidden)");

    act(&mut app, LooksAction::ShowBig(ids[1]));
    assert_eq!(app.world().resource::<LooksPanel>().view, LooksView::Big(ids[1]));
    app.update();
    assert_eq!(pictures(&mut app), 1);
    act(&mut app, LooksAction::Back);
    assert_eq!(app.world().resource::<LooksPanel>().view, LooksView::SideBySide);
    act(&mut app, LooksAction::Back);
    assert_eq!(app.world().resource::<LooksPanel>().view, LooksView::Strip);

    // Deleting a ticked look unticks it; the session end forgets the comparison.
    app.world_mut().write_message(DeleteLook(ids[0]));
    app.update();
    assert_eq!(app.world().resource::<LooksPanel>().ticked, [ids[1]]);
    app.world_mut().write_message(PrivacyWipe);
    app.update();
    assert_eq!(*app.world().resource::<LooksPanel>(), LooksPanel::default());
}

#[test]
fn a_hundred_takes_and_deletes_leave_no_picture_behind() {
    let mut config = KioskConfig::default();
    config.looks.countdown_s = 0;
    let mut app = app(config);
    let baseline = app.world().resource::<Assets<Image>>().len();
    for _ in 0..100 {
        app.world_mut().write_message(TakeLook);
        app.update();
        until_taken(&mut app, 1);
        let id = app.world().resource::<Looks>().taken[0].id;
        app.world_mut().write_message(DeleteLook(id));
        app.update();
    }
    assert!(app.world().resource::<Looks>().taken.is_empty());
    assert_eq!(app.world().resource::<Assets<Image>>().len(), baseline, "every deleted look's picture is freed");
    assert!(!tap_open(&app));
}
