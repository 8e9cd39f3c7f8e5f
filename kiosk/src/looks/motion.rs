//! Twirl and "See your back": the mirror in motion, from memory. "Record a twirl" counts down
//! like a look, then records up to `looks.twirl_s` of the mirror at 15 fps and replays it in a
//! loop with a scrub bar and pause, so the shopper sees their back; "See your back" shows the
//! mirror `looks.back_delay_s` late, to turn around live.
//!
//! The camera copies frames into its motion tap only while a twirl records or the delayed mirror
//! is on; [`camera::clip::ClipRecorder`] encodes them as JPEGs on its own thread, and only the
//! frame on screen is ever decoded. One twirl per session (recording again replaces it); every
//! session end drops it, with the delayed mirror's frames.
//!
//! Owns [`Motion`] (what is on), [`Clips`] (the frames) and [`Playhead`]; the view is in
//! [`super::motion_view`].

use std::{collections::VecDeque, time::Duration};

use bevy::prelude::*;
use camera::clip::{CLIP_FPS, ClipFrame, ClipRecorder, clip_format};
use protocol::telemetry::{LookKind, UsageEvent};

use super::{Capture, Looks};
use crate::{
    camera::CameraFeed,
    session::PrivacyWipe,
    settings::Settings,
    telemetry::Usage,
    ui::{ShowToast, theme::t},
};

/// One frame's share of a clip.
pub const FRAME_TIME: Duration = Duration::from_nanos(1_000_000_000 / CLIP_FPS as u64);

pub fn plugin(app: &mut App) {
    app.init_resource::<Motion>()
        .init_resource::<Clips>()
        .init_resource::<Playhead>()
        .add_message::<MotionAction>()
        .add_systems(Startup, start_recorder)
        .add_systems(Update, (act_on_motion, collect_frames, advance_motion, wipe_motion).chain().in_set(MotionUpdate));
}

/// The motion systems; the view runs after them.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct MotionUpdate;

/// What the mirror in motion is doing.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Motion {
    pub mode: MotionMode,
    /// Whether this session has a twirl to replay.
    pub has_twirl: bool,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum MotionMode {
    #[default]
    Off,
    Recording,
    Replay,
    /// "See your back": the mirror, late.
    Delayed,
}

/// Where the twirl is: recorded so far while recording, the replay position while replaying.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq)]
pub struct Playhead {
    pub position: Duration,
    pub paused: bool,
}

/// A clip frame and when it arrived (the app's clock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimedFrame {
    pub at: Duration,
    pub frame: ClipFrame,
}

/// The frames in memory: the twirl, and the delayed mirror's last seconds.
#[derive(Resource, Debug, Default)]
pub struct Clips {
    pub twirl: Vec<TimedFrame>,
    pub behind: VecDeque<TimedFrame>,
}

impl Clips {
    /// How long the twirl lasts (first frame to the end of the last).
    pub fn twirl_length(&self) -> Duration {
        match (self.twirl.first(), self.twirl.last()) {
            (Some(first), Some(last)) => last.at - first.at + FRAME_TIME,
            _ => Duration::ZERO,
        }
    }

    /// The twirl frame at `position` from its start.
    pub fn twirl_at(&self, position: Duration) -> Option<&TimedFrame> {
        let start = self.twirl.first()?.at;
        let after = self.twirl.partition_point(|f| f.at - start <= position);
        self.twirl.get(after.saturating_sub(1))
    }

    /// The newest delayed-mirror frame at least `delay` old at `now`; none until one is.
    pub fn behind_at(&self, now: Duration, delay: Duration) -> Option<&TimedFrame> {
        let due = now.checked_sub(delay)?;
        let after = self.behind.partition_point(|f| f.at <= due);
        after.checked_sub(1).and_then(|i| self.behind.get(i))
    }

    /// Keeps `frame` if something records: the twirl, or the delayed mirror (which forgets
    /// frames older than it needs).
    pub fn receive(&mut self, mode: MotionMode, frame: ClipFrame, now: Duration, delay: Duration) {
        let timed = TimedFrame { at: now, frame };
        match mode {
            MotionMode::Recording => self.twirl.push(timed),
            MotionMode::Delayed => {
                self.behind.push_back(timed);
                let keep_from = now.saturating_sub(delay + FRAME_TIME * 2);
                while self.behind.len() > 1 && self.behind.get(1).is_some_and(|f| f.at <= keep_from) {
                    self.behind.pop_front();
                }
            }
            MotionMode::Off | MotionMode::Replay => {}
        }
    }
}

/// What the shopper did with the twirl or the delayed mirror.
#[derive(Message, Debug, Clone, Copy, PartialEq)]
pub enum MotionAction {
    /// "Record a twirl" (or "Record again"): a countdown, then recording.
    RecordTwirl,
    /// "Stop" while recording.
    StopRecording,
    /// "Play your twirl".
    Play,
    /// "Pause" / "Play" in the replay.
    TogglePause,
    /// A tap or drag on the scrub bar: this far into the twirl (0–1).
    Seek(f32),
    /// "See your back".
    SeeYourBack,
    /// "Done" in the replay, "Back to live" in the delayed mirror.
    Close,
    DeleteTwirl,
}

/// The encoding thread, when there is a camera.
#[derive(Resource)]
pub struct Recorder(pub ClipRecorder);

fn start_recorder(mut commands: Commands, feed: Option<Res<CameraFeed>>, settings: Res<Settings>) {
    let Some(feed) = feed else { return };
    match ClipRecorder::spawn(feed.shared.clone(), clip_format((9.0, 16.0), settings.camera.mirror)) {
        Ok(recorder) => commands.insert_resource(Recorder(recorder)),
        Err(e) => error!("looks: no clip recorder, so no twirl or delayed mirror: {e}"),
    }
}

fn set_tap(feed: Option<&CameraFeed>, open: bool) {
    if let Some(feed) = feed {
        if open {
            feed.shared.motion_tap.open(CLIP_FPS);
        } else {
            feed.shared.motion_tap.close();
        }
    }
}

/// Starts recording when a twirl's countdown ended (called by the countdown).
pub fn start_recording(motion: &mut Motion, clips: &mut Clips, playhead: &mut Playhead, feed: Option<&CameraFeed>) {
    clips.twirl.clear();
    clips.behind.clear();
    *playhead = Playhead::default();
    *motion = Motion { mode: MotionMode::Recording, has_twirl: false };
    set_tap(feed, true);
}

#[allow(clippy::too_many_arguments)]
fn act_on_motion(
    mut actions: MessageReader<MotionAction>,
    feed: Option<Res<CameraFeed>>,
    looks: Res<Looks>,
    mut capture: ResMut<Capture>,
    mut motion: ResMut<Motion>,
    mut clips: ResMut<Clips>,
    mut playhead: ResMut<Playhead>,
    mut usage: MessageWriter<Usage>,
    mut toasts: MessageWriter<ShowToast>,
    settings: Res<Settings>,
) {
    for action in actions.read() {
        match *action {
            MotionAction::RecordTwirl if *capture == Capture::Idle => {
                set_tap(feed.as_deref(), false);
                clips.behind.clear();
                motion.mode = MotionMode::Off;
                let left = Duration::from_secs(u64::from(settings.looks.countdown_s));
                *capture = Capture::Counting { left, twirl: true };
            }
            MotionAction::StopRecording if motion.mode == MotionMode::Recording => {
                finish_recording(&mut motion, &clips, &mut playhead, &looks, feed.as_deref(), &mut usage, &mut toasts);
            }
            MotionAction::Play if motion.has_twirl => {
                motion.mode = MotionMode::Replay;
                *playhead = Playhead::default();
            }
            MotionAction::TogglePause if motion.mode == MotionMode::Replay => playhead.paused = !playhead.paused,
            MotionAction::Seek(fraction) if motion.mode == MotionMode::Replay => {
                playhead.position = clips
                    .twirl_length()
                    .mul_f32(fraction.clamp(0.0, 1.0))
                    .min(clips.twirl_length().saturating_sub(Duration::from_millis(1)));
            }
            MotionAction::SeeYourBack if motion.mode != MotionMode::Recording && *capture == Capture::Idle => {
                clips.behind.clear();
                motion.mode = MotionMode::Delayed;
                set_tap(feed.as_deref(), true);
            }
            MotionAction::Close => {
                if motion.mode == MotionMode::Delayed {
                    set_tap(feed.as_deref(), false);
                    clips.behind.clear();
                }
                if motion.mode != MotionMode::Recording {
                    motion.mode = MotionMode::Off;
                }
            }
            MotionAction::DeleteTwirl if motion.mode != MotionMode::Recording => {
                clips.twirl = Vec::new();
                *motion = Motion { mode: MotionMode::Off, has_twirl: false };
            }
            _ => {}
        }
    }
}

fn finish_recording(
    motion: &mut Motion,
    clips: &Clips,
    playhead: &mut Playhead,
    looks: &Looks,
    feed: Option<&CameraFeed>,
    usage: &mut MessageWriter<Usage>,
    toasts: &mut MessageWriter<ShowToast>,
) {
    set_tap(feed, false);
    *playhead = Playhead::default();
    if clips.twirl.is_empty() {
        *motion = Motion { mode: MotionMode::Off, has_twirl: false };
        toasts.write(ShowToast(t("looks-no-picture")));
        return;
    }
    *motion = Motion { mode: MotionMode::Replay, has_twirl: true };
    let (first, last) = (clips.twirl[0].frame.seq, clips.twirl[clips.twirl.len() - 1].frame.seq);
    info!("looks: recorded a twirl of {} frames ({first}..={last}), {:?}", clips.twirl.len(), clips.twirl_length());
    let looks_in_session = looks.taken.len() as u32 + 1;
    usage.write(Usage(UsageEvent::LookCaptured { looks_in_session, kind: LookKind::Twirl }));
}

fn collect_frames(
    recorder: Option<Res<Recorder>>,
    time: Res<Time>,
    motion: Res<Motion>,
    settings: Res<Settings>,
    mut clips: ResMut<Clips>,
) {
    let Some(recorder) = recorder else { return };
    let delay = Duration::from_secs(u64::from(settings.looks.back_delay_s));
    for frame in recorder.0.drain() {
        clips.receive(motion.mode, frame, time.elapsed(), delay);
    }
}

#[allow(clippy::too_many_arguments)]
fn advance_motion(
    time: Res<Time>,
    settings: Res<Settings>,
    feed: Option<Res<CameraFeed>>,
    looks: Res<Looks>,
    clips: Res<Clips>,
    mut motion: ResMut<Motion>,
    mut playhead: ResMut<Playhead>,
    mut usage: MessageWriter<Usage>,
    mut toasts: MessageWriter<ShowToast>,
) {
    match motion.mode {
        MotionMode::Recording => {
            playhead.position += time.delta();
            let most = Duration::from_secs(u64::from(settings.looks.twirl_s));
            let full = clips.twirl.len() >= (settings.looks.twirl_s * CLIP_FPS) as usize;
            if playhead.position >= most || full {
                finish_recording(&mut motion, &clips, &mut playhead, &looks, feed.as_deref(), &mut usage, &mut toasts);
            }
        }
        MotionMode::Replay if !playhead.paused => {
            let length = clips.twirl_length();
            if !length.is_zero() {
                let position = (playhead.position + time.delta()).as_nanos() % length.as_nanos();
                playhead.position = Duration::from_nanos(position as u64);
            }
        }
        _ => {}
    }
}

/// Every session end drops the twirl and the delayed mirror's frames and closes the tap.
fn wipe_motion(
    mut wipes: MessageReader<PrivacyWipe>,
    feed: Option<Res<CameraFeed>>,
    recorder: Option<Res<Recorder>>,
    mut motion: ResMut<Motion>,
    mut clips: ResMut<Clips>,
    mut playhead: ResMut<Playhead>,
) {
    if wipes.read().count() == 0 {
        return;
    }
    set_tap(feed.as_deref(), false);
    if let Some(recorder) = recorder {
        // Frames encoded before the tap closed are dropped, not kept for the next session.
        recorder.0.drain();
    }
    *clips = Clips::default();
    *motion = Motion::default();
    *playhead = Playhead::default();
}
