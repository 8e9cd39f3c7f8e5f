//! The twirl and the delayed mirror with manual time, one clip frame per update at 15 fps: the
//! countdown, recording for `looks.twirl_s`, the replay loop (the frame goes back to the first),
//! pause and seek, one twirl per session, "See your back" showing the mirror late, and the wipe.

use bevy::time::TimeUpdateStrategy;
use camera::clip::ClipFrame;
use protocol::config::KioskConfig;

use super::{
    motion::{Clips, FRAME_TIME, Motion, MotionAction, MotionMode, Playhead, Recorder},
    tests::{app, capture, written},
    *,
};

/// The app at 15 updates a second, fed by the test instead of the camera's encoder thread.
fn motion_app(config: KioskConfig) -> App {
    let mut app = app(config);
    app.world_mut().remove_resource::<Recorder>();
    app.insert_resource(TimeUpdateStrategy::ManualDuration(FRAME_TIME));
    app
}

fn act(app: &mut App, action: MotionAction) {
    app.world_mut().write_message(action);
    app.update();
}

fn mode(app: &App) -> MotionMode {
    app.world().resource::<Motion>().mode
}

fn motion_tap_open(app: &App) -> bool {
    app.world().resource::<CameraFeed>().shared.motion_tap.is_open()
}

/// One update, with clip frame `seq` arriving during it.
fn step_with_frame(app: &mut App, seq: u64) {
    let now = app.world().resource::<Time>().elapsed();
    let mode = mode(app);
    let delay = Duration::from_secs(u64::from(app.world().resource::<Settings>().looks.back_delay_s));
    app.world_mut().resource_mut::<Clips>().receive(mode, ClipFrame { seq, jpeg: vec![0xFF, 0xD8] }, now, delay);
    app.update();
}

fn shown_twirl_frame(app: &App) -> Option<u64> {
    let clips = app.world().resource::<Clips>();
    clips.twirl_at(app.world().resource::<Playhead>().position).map(|f| f.frame.seq)
}

/// Records a twirl of frames numbered from `first`; returns how many frames it kept.
fn record(app: &mut App, first: u64) -> usize {
    act(app, MotionAction::RecordTwirl);
    let mut seq = first;
    while mode(app) != MotionMode::Recording {
        assert!(matches!(capture(app), Capture::Counting { twirl: true, .. }), "{:?}", capture(app));
        assert!(!motion_tap_open(app), "nothing is copied during the countdown");
        app.update();
    }
    assert!(motion_tap_open(app), "recording copies the mirror");
    while mode(app) == MotionMode::Recording {
        step_with_frame(app, seq);
        seq += 1;
        assert!(seq - first < 200, "recording never stopped");
    }
    app.world().resource::<Clips>().twirl.len()
}

#[test]
fn a_twirl_records_for_its_length_then_replays_in_a_loop_with_pause_and_seek() {
    let mut config = KioskConfig::default();
    (config.looks.countdown_s, config.looks.twirl_s) = (1, 2);
    let mut app = motion_app(config);
    let frames = record(&mut app, 100);
    // Two seconds at 15 fps.
    assert!((29..=31).contains(&frames), "recorded {frames} frames");
    assert_eq!(mode(&app), MotionMode::Replay, "the replay starts by itself");
    assert!(!motion_tap_open(&app), "the camera stops copying once the twirl is recorded");
    let captured = UsageEvent::LookCaptured { looks_in_session: 1, kind: LookKind::Twirl };
    assert!(written::<Usage>(&app).iter().any(|u| u.0 == captured));
    let length = app.world().resource::<Clips>().twirl_length();
    assert!(length.abs_diff(Duration::from_secs(2)) <= FRAME_TIME, "{length:?}");

    // Three seconds of replay: every frame in order, then back to the first (a loop).
    let mut shown = Vec::new();
    for _ in 0..45 {
        shown.extend(shown_twirl_frame(&app));
        app.update();
    }
    let back = shown.windows(2).position(|w| w[1] < w[0]);
    let Some(back) = back else { panic!("the replay never went back: {shown:?}") };
    assert_eq!(shown[back + 1], 100, "it loops to the first frame: {shown:?}");
    assert!(shown[..=back].windows(2).all(|w| w[1] == w[0] + 1), "one frame per update, in order: {shown:?}");

    act(&mut app, MotionAction::TogglePause);
    let paused = shown_twirl_frame(&app);
    for _ in 0..5 {
        app.update();
    }
    assert_eq!(shown_twirl_frame(&app), paused, "paused stays on its frame");
    act(&mut app, MotionAction::Seek(0.5));
    let middle = shown_twirl_frame(&app).unwrap_or_default();
    assert!(middle.abs_diff(100 + frames as u64 / 2) <= 1, "half way is the middle frame, not {middle}");
    act(&mut app, MotionAction::Seek(1.0));
    assert_eq!(shown_twirl_frame(&app), Some(100 + frames as u64 - 1), "the end is the last frame");

    // Done, then Play starts again from the beginning.
    act(&mut app, MotionAction::Close);
    assert_eq!((mode(&app), app.world().resource::<Motion>().has_twirl), (MotionMode::Off, true));
    act(&mut app, MotionAction::Play);
    assert_eq!(mode(&app), MotionMode::Replay);
    assert!(matches!(shown_twirl_frame(&app), Some(100 | 101)), "from the start: {:?}", shown_twirl_frame(&app));
}

#[test]
fn recording_again_replaces_the_one_twirl_and_stop_ends_it_early() {
    let mut config = KioskConfig::default();
    (config.looks.countdown_s, config.looks.twirl_s) = (0, 8);
    let mut app = motion_app(config);
    act(&mut app, MotionAction::RecordTwirl);
    app.update();
    for seq in 0..15 {
        step_with_frame(&mut app, seq);
    }
    act(&mut app, MotionAction::StopRecording);
    assert_eq!(mode(&app), MotionMode::Replay);
    assert_eq!(app.world().resource::<Clips>().twirl.len(), 15, "stopped after one second");
    record(&mut app, 1_000);
    let twirl = &app.world().resource::<Clips>().twirl;
    assert!(twirl.iter().all(|f| f.frame.seq >= 1_000), "one twirl per session: the new one replaced the old");
    assert_eq!(twirl.len(), 8 * 15, "at most twirl_s at 15 fps");
    act(&mut app, MotionAction::DeleteTwirl);
    assert!(app.world().resource::<Clips>().twirl.is_empty());
    assert_eq!(*app.world().resource::<Motion>(), Motion::default());
}

#[test]
fn see_your_back_shows_the_mirror_late_and_keeps_only_what_it_needs() {
    let mut app = motion_app(KioskConfig::default());
    act(&mut app, MotionAction::SeeYourBack);
    assert_eq!(mode(&app), MotionMode::Delayed);
    assert!(motion_tap_open(&app));
    let delay = Duration::from_secs(4);
    let started = app.world().resource::<Time>().elapsed();
    for seq in 0..150u64 {
        step_with_frame(&mut app, seq);
        let now = app.world().resource::<Time>().elapsed();
        let clips = app.world().resource::<Clips>();
        let shown = clips.behind_at(now, delay).map(|f| f.frame.seq);
        if now - started < delay {
            assert_eq!(shown, None, "nothing to show before {delay:?} have passed");
        } else {
            // The frame that arrived four seconds ago (15 a second).
            let expected = ((now - started - delay).as_secs_f32() * 15.0).round() as u64;
            let Some(shown) = shown else { panic!("no frame at {:?}", now - started) };
            assert!(shown.abs_diff(expected) <= 1, "at {:?} shows {shown}, expected {expected}", now - started);
        }
        assert!(clips.behind.len() <= 4 * 15 + 4, "keeps {} frames", clips.behind.len());
    }
    act(&mut app, MotionAction::Close);
    assert_eq!(mode(&app), MotionMode::Off);
    assert!(!motion_tap_open(&app) && app.world().resource::<Clips>().behind.is_empty());
}

#[test]
fn a_session_end_drops_the_twirl_and_the_delayed_mirror() {
    let mut config = KioskConfig::default();
    (config.looks.countdown_s, config.looks.twirl_s) = (0, 1);
    let mut app = motion_app(config);
    record(&mut app, 0);
    act(&mut app, MotionAction::SeeYourBack);
    for seq in 0..20 {
        step_with_frame(&mut app, seq);
    }
    assert!(!app.world().resource::<Clips>().behind.is_empty());
    app.world_mut().write_message(PrivacyWipe);
    app.update();
    let clips = app.world().resource::<Clips>();
    assert!(clips.twirl.is_empty() && clips.behind.is_empty());
    assert_eq!(*app.world().resource::<Motion>(), Motion::default());
    assert!(!motion_tap_open(&app), "the camera copies nothing after the session");
    // A recording under way ends too.
    act(&mut app, MotionAction::RecordTwirl);
    app.update();
    step_with_frame(&mut app, 50);
    assert_eq!(mode(&app), MotionMode::Recording);
    app.world_mut().write_message(PrivacyWipe);
    app.update();
    assert!(app.world().resource::<Clips>().twirl.is_empty() && !motion_tap_open(&app));
    assert_eq!(mode(&app), MotionMode::Off);
}
