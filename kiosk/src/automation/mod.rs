//! Scripted actions for tests and headless machines: `--at WHEN:ACTION` and periodic
//! screenshots (`--screenshot-every`).
//!
//! Actions run one after another in the order given, each not before its time: `5:` is five
//! seconds after start, `+1.5:` one and a half seconds after the previous action finished. An
//! action that needs something on screen waits for it, up to [`Script::wait_limit`] (30 s unless `--wait-limit`): `wait=TEXT` until a
//! visible text reads (or contains) TEXT, `press=LABEL` until a visible button is labelled LABEL
//! (else starts with it). Past the limit the kiosk logs what it was waiting for and exits with
//! [`SCRIPT_FAILED`], so a scripted test fails where it went wrong instead of screenshotting the
//! wrong screen.
//!
//! Touches are injected as real `TouchInput` messages, so they take the same path as a finger on
//! the glass. `scan=CODE` types CODE and Enter as one fast burst of `KeyboardInput` messages, as
//! a USB barcode scanner does. `texts=PATH` writes every visible text with its rectangle (JSON).
//!
//! Privacy: with a real camera, screenshots blank the mirror (see [`MirrorBlank`]); only the
//! synthetic scene is ever written to disk.

mod screen;

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use bevy::{
    diagnostic::FrameCount,
    input::{
        ButtonState,
        keyboard::{Key, KeyboardInput, NativeKeyCode},
        touch::TouchPhase,
    },
    prelude::*,
    render::view::screenshot::{Screenshot, ScreenshotCaptured},
    window::{PrimaryWindow, WindowEvent},
};

use crate::{
    camera::CameraFeed,
    diagnostics::ToggleDiagnostics,
    mirror::{MirrorBlank, ScreenshotSlot},
    session::EndSessionRequested,
    share::{ShareConsent, StopSharing},
    ui::FeatureRequested,
};

/// How long an action waits for what it needs on screen, unless `--wait-limit` says otherwise.
pub const WAIT_LIMIT: Duration = Duration::from_secs(30);
/// The kiosk's exit code when a scripted action gave up.
pub const SCRIPT_FAILED: u8 = 3;

/// When an action may run (never before the previous one finished).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    /// This long after start.
    At(Duration),
    /// This long after the previous action finished.
    After(Duration),
}

/// One scripted action.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Touch,
    EndSession,
    ToggleDiagnostics,
    Screenshot(PathBuf),
    /// Press the toolbar's Share button.
    Share,
    /// Agree on the share consent screen.
    ShareAccept,
    ShareStop,
    /// A USB barcode scanner types this code and Enter.
    ScannerTypes(String),
    /// A finger taps the button labelled this (waits for it).
    Press(String),
    /// Wait until a visible text reads or contains this.
    Wait(String),
    /// Wait until no visible text reads or contains this.
    Gone(String),
    /// Wait until this file exists (a test's signal that what it watches elsewhere is done).
    WaitFile(PathBuf),
    /// Write every visible text with its rectangle to this file (JSON).
    Texts(PathBuf),
    /// A key pressed and released on the keyboard (or a keypad), with Shift held if asked.
    Key {
        code: KeyCode,
        shift: bool,
    },
    /// Tab, as a keyboard user would, until the focused control reads (or starts with) this.
    Focus(String),
    /// Wait, pressing nothing, until the focused control reads (or starts with) this: the focus
    /// moved by itself (switch scanning).
    Focused(String),
    /// Exit once pending screenshots are written.
    Exit,
}

/// Everything to do, in order.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct Script {
    pub actions: Vec<(When, Action)>,
    /// How long an action waits for what it needs on screen.
    pub wait_limit: Duration,
    /// Every interval, overwrite `DIR/latest.png`.
    pub periodic: Option<(Duration, PathBuf)>,
}

#[derive(Resource, Default)]
struct Progress {
    next_action: usize,
    /// When the previous action finished.
    previous_done: Duration,
    /// Since when the next action has been waiting for the screen.
    waiting_since: Option<Duration>,
    next_periodic: Duration,
    /// Screenshots asked for and not yet taken: one is taken a frame ([`ScreenshotSlot`]).
    queued_screenshots: std::collections::VecDeque<PathBuf>,
    /// Screenshots taken and not yet written.
    pending_screenshots: usize,
    exit_requested: bool,
    /// A finger that touched down last frame and lifts now.
    lift: Option<(Entity, Vec2)>,
    /// Where the button to press was last frame: a press waits until it stays put for a frame
    /// (a screen just built moves once its texts are measured).
    press_target: Option<Vec2>,
    /// Frames to wait for a key press to take effect.
    keys_settling: u8,
    /// Shift is down on this window for the next key; then released once that key took effect.
    shift_held: Option<Entity>,
    shift_release: Option<Entity>,
}

pub fn plugin(script: Script) -> impl Fn(&mut App) {
    move |app: &mut App| {
        app.insert_resource(script.clone())
            .init_resource::<Progress>()
            .init_resource::<ScreenshotSlot>()
            // In `First`, where winit's input would be: input systems in PreUpdate see injected
            // touches and keys as real ones; and before Update, so a screenshot and the mirror
            // blanking it land in the same frame.
            .add_systems(
                First,
                run_due_actions
                    .after(bevy::ecs::message::MessageUpdateSystems)
                    .before(bevy::picking::PickingSystems::Input),
            )
            .add_systems(Update, exit_when_done);
    }
}

/// What injected keys and touches need.
#[derive(bevy::ecs::system::SystemParam)]
struct Injected<'w, 's> {
    keys: MessageWriter<'w, KeyboardInput>,
    window_events: MessageWriter<'w, WindowEvent>,
    screen: screen::Screen<'w, 's>,
    exit: MessageWriter<'w, AppExit>,
}

#[allow(clippy::too_many_arguments)]
fn run_due_actions(
    mut commands: Commands,
    time: Res<Time<Real>>,
    script: Res<Script>,
    mut progress: ResMut<Progress>,
    windows: Query<(Entity, &Window), With<PrimaryWindow>>,
    feed: Option<Res<CameraFeed>>,
    mut blank: ResMut<MirrorBlank>,
    mut touches: MessageWriter<TouchInput>,
    mut end: MessageWriter<EndSessionRequested>,
    mut diagnostics: MessageWriter<ToggleDiagnostics>,
    mut share: (MessageWriter<FeatureRequested>, MessageWriter<ShareConsent>, MessageWriter<StopSharing>),
    mut input: Injected,
    (mut slot, frame): (ResMut<ScreenshotSlot>, Res<FrameCount>),
) {
    let now = time.elapsed();
    if let Some((window, position)) = progress.lift.take() {
        let touch = TouchInput { phase: TouchPhase::Ended, position, window, force: None, id: 1 };
        touches.write(touch);
        input.window_events.write(WindowEvent::TouchInput(touch));
    }
    while let Some((when, action)) = script.actions.get(progress.next_action) {
        let due = match when {
            When::At(at) => *at,
            When::After(delay) => progress.previous_done + *delay,
        };
        // A press lifts its finger next frame, and a screenshot shows the screen as it is once
        // written: the next action waits for both, so it cannot change what they show.
        let screenshots_under_way = progress.pending_screenshots > 0 || !progress.queued_screenshots.is_empty();
        if progress.keys_settling == 0
            && let Some(window) = progress.shift_release.take()
        {
            input.keys.write(shift_key(window, ButtonState::Released));
        }
        // A key takes effect next frame (input dispatch runs before this system).
        if progress.keys_settling > 0 {
            progress.keys_settling -= 1;
            break;
        }
        if due > now || progress.lift.is_some() || screenshots_under_way {
            break;
        }
        let done = match action {
            // A touch or a scanner's burst needs the window (it may not exist yet on a slow start).
            Action::Touch => match windows.single() {
                Ok((window, w)) => {
                    let position = Vec2::new(w.width() / 2.0, w.height() / 2.0);
                    touches.write(TouchInput { phase: TouchPhase::Started, position, window, force: None, id: 0 });
                    touches.write(TouchInput { phase: TouchPhase::Ended, position, window, force: None, id: 0 });
                    true
                }
                Err(_) => false,
            },
            Action::EndSession => {
                end.write(EndSessionRequested::Button);
                true
            }
            Action::ToggleDiagnostics => {
                diagnostics.write(ToggleDiagnostics);
                true
            }
            Action::Screenshot(path) => {
                progress.queued_screenshots.push_back(path.clone());
                true
            }
            Action::Share => {
                share.0.write(FeatureRequested("Share"));
                true
            }
            Action::ShareAccept => {
                share.1.write(ShareConsent(true));
                true
            }
            Action::ShareStop => {
                share.2.write(StopSharing);
                true
            }
            Action::Key { code, shift } => match windows.single() {
                // Shift goes down a frame before the key: dispatch may read the held keys
                // before this frame's presses are counted.
                Ok((window, _)) if *shift && progress.shift_held.is_none() => {
                    input.keys.write(shift_key(window, ButtonState::Pressed));
                    progress.shift_held = Some(window);
                    progress.keys_settling = 1;
                    false
                }
                Ok((window, _)) => {
                    press_key(&mut input.keys, window, *code);
                    progress.keys_settling = 2;
                    progress.shift_release = progress.shift_held.take();
                    true
                }
                Err(_) => false,
            },
            Action::Focus(label) => match (input.screen.focused_label(), windows.single()) {
                (Some(focused), _) if focused == *label || focused.starts_with(label.as_str()) => {
                    info!("automation: {label:?} has the focus");
                    true
                }
                (_, Ok((window, _))) => {
                    press_key(&mut input.keys, window, KeyCode::Tab);
                    progress.keys_settling = 2;
                    false
                }
                _ => false,
            },
            Action::Focused(label) => {
                let reached =
                    input.screen.focused_label().is_some_and(|f| f == *label || f.starts_with(label.as_str()));
                if reached {
                    info!("automation: {label:?} has the focus");
                }
                reached
            }
            Action::ScannerTypes(code) => match windows.single() {
                Ok((window, _)) => {
                    type_burst(&mut input.keys, window, code);
                    true
                }
                Err(_) => false,
            },
            Action::Press(label) => match (windows.single(), input.screen.button(label)) {
                (Ok(_), Some(centre)) if progress.press_target != Some(centre) => {
                    progress.press_target = Some(centre);
                    false
                }
                (Ok((window, w)), Some(centre)) => {
                    progress.press_target = None;
                    // Touches arrive in the window's logical pixels.
                    let position = centre / w.scale_factor();
                    // Picking reads touches from the window events, as winit delivers them.
                    let touch = TouchInput { phase: TouchPhase::Started, position, window, force: None, id: 1 };
                    touches.write(touch);
                    input.window_events.write(WindowEvent::TouchInput(touch));
                    progress.lift = Some((window, position));
                    info!("automation: pressed {label:?}");
                    true
                }
                _ => false,
            },
            Action::Wait(wanted) => match input.screen.text(wanted) {
                Some(shown) => {
                    info!("automation: {wanted:?} is shown ({:?})", shown.text);
                    true
                }
                None => false,
            },
            Action::Gone(unwanted) => input.screen.text(unwanted).is_none(),
            Action::WaitFile(path) => path.exists(),
            Action::Texts(path) => {
                write_texts(&input.screen.texts(), path);
                true
            }
            Action::Exit => {
                progress.exit_requested = true;
                true
            }
        };
        if done {
            progress.next_action += 1;
            progress.previous_done = now;
            progress.waiting_since = None;
            continue;
        }
        let since = *progress.waiting_since.get_or_insert(now);
        if now.saturating_sub(since) > script.wait_limit {
            error!("automation: gave up on {action:?} after {:?}: it is not on screen", script.wait_limit);
            input.exit.write(AppExit::from_code(SCRIPT_FAILED));
        }
        break;
    }
    if let Some((every, dir)) = &script.periodic
        && now >= progress.next_periodic
    {
        progress.next_periodic = now + *every;
        progress.queued_screenshots.push_back(dir.join("latest.png"));
    }
    // Unless the picture is known to be the synthetic scene, it may be a person.
    let real_camera = feed.is_none_or(|f| f.from_camera);
    if progress.queued_screenshots.is_empty() || !slot.take(*frame) {
        return;
    }
    if let Some(path) = progress.queued_screenshots.pop_front() {
        progress.pending_screenshots += 1;
        blank.0 += u32::from(real_camera);
        commands.spawn(Screenshot::primary_window()).observe(
            move |captured: On<ScreenshotCaptured>, mut progress: ResMut<Progress>, mut blank: ResMut<MirrorBlank>| {
                save_png(&captured.image, &path);
                progress.pending_screenshots = progress.pending_screenshots.saturating_sub(1);
                blank.0 = blank.0.saturating_sub(u32::from(real_camera));
            },
        );
    }
}

/// Types `code` and Enter in one burst, as a USB barcode scanner does.
fn shift_key(window: Entity, state: ButtonState) -> KeyboardInput {
    KeyboardInput { key_code: KeyCode::ShiftLeft, logical_key: Key::Shift, state, text: None, repeat: false, window }
}

/// Presses and releases `code`.
fn press_key(keys: &mut MessageWriter<KeyboardInput>, window: Entity, code: KeyCode) {
    let event = |key_code, logical_key, state| KeyboardInput {
        key_code,
        logical_key,
        state,
        text: None,
        repeat: false,
        window,
    };
    let logical = match code {
        KeyCode::Tab => Key::Tab,
        KeyCode::Enter | KeyCode::NumpadEnter => Key::Enter,
        KeyCode::Space => Key::Space,
        KeyCode::ArrowUp => Key::ArrowUp,
        KeyCode::ArrowDown => Key::ArrowDown,
        KeyCode::ArrowLeft => Key::ArrowLeft,
        KeyCode::ArrowRight => Key::ArrowRight,
        _ => Key::Unidentified(bevy::input::keyboard::NativeKey::Unidentified),
    };
    // A keypad's digit types its digit, as the real one does.
    let text = match code {
        KeyCode::Numpad2 => Some("2"),
        KeyCode::Numpad4 => Some("4"),
        KeyCode::Numpad5 => Some("5"),
        KeyCode::Numpad6 => Some("6"),
        KeyCode::Numpad8 => Some("8"),
        _ => None,
    };
    keys.write(KeyboardInput { text: text.map(Into::into), ..event(code, logical.clone(), ButtonState::Pressed) });
    keys.write(event(code, logical, ButtonState::Released));
}

fn type_burst(keys: &mut MessageWriter<KeyboardInput>, window: Entity, code: &str) {
    let typed = code
        .chars()
        .map(|c| (Key::Character(c.to_string().into()), KeyCode::Unidentified(NativeKeyCode::Unidentified)));
    for (logical_key, key_code) in typed.chain([(Key::Enter, KeyCode::Enter)]) {
        let text = match &logical_key {
            Key::Character(c) => Some(c.clone()),
            _ => None,
        };
        for state in [ButtonState::Pressed, ButtonState::Released] {
            keys.write(KeyboardInput {
                key_code,
                logical_key: logical_key.clone(),
                state,
                text: text.clone(),
                repeat: false,
                window,
            });
        }
    }
}

fn write_texts(texts: &[screen::Shown], path: &Path) {
    let json: Vec<serde_json::Value> = texts.iter().map(screen::Shown::to_json).collect();
    // Written beside and renamed into place, so a reader never sees half a file.
    let partial = path.with_extension("json.partial");
    let written = serde_json::to_vec_pretty(&json)
        .map_err(|e| e.to_string())
        .and_then(|json| std::fs::write(&partial, json).map_err(|e| e.to_string()))
        .and_then(|()| std::fs::rename(&partial, path).map_err(|e| e.to_string()));
    match written {
        Ok(()) => info!("automation: {} texts written to {}", texts.len(), path.display()),
        Err(e) => error!("automation: cannot write {}: {e}", path.display()),
    }
}

/// Writes the screenshot next to `path` and renames it into place, so a reader never sees half
/// a file.
fn save_png(image: &Image, path: &Path) {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(parent)
    {
        error!("cannot create {}: {e}", parent.display());
        return;
    }
    let tmp = path.with_extension("png.partial");
    let saved = image
        .clone()
        .try_into_dynamic()
        .map_err(|e| e.to_string())
        .and_then(|img| img.to_rgb8().save_with_format(&tmp, image::ImageFormat::Png).map_err(|e| e.to_string()))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|e| e.to_string()));
    match saved {
        Ok(()) => info!("screenshot saved to {}", path.display()),
        Err(e) => error!("cannot save screenshot {}: {e}", path.display()),
    }
}

fn exit_when_done(progress: Res<Progress>, mut exit: MessageWriter<AppExit>) {
    if progress.exit_requested && progress.pending_screenshots == 0 {
        exit.write(AppExit::Success);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The capture pipeline on synthetic frames, labelled as a real camera or not: a fake
    /// device, so the "is this a person?" decision is tested without a webcam.
    fn feed(from_camera: bool) -> CameraFeed {
        CameraFeed::synthetic_for_tests(from_camera)
    }

    fn screenshot_at_start(name: &str) -> (When, Action) {
        (When::At(Duration::ZERO), Action::Screenshot(PathBuf::from(name)))
    }

    /// The automation plugin and what it writes to, with no window and no renderer.
    fn app_with(script: Script, feed: Option<CameraFeed>) -> App {
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .init_resource::<MirrorBlank>()
            .add_message::<TouchInput>()
            .add_message::<KeyboardInput>()
            .add_message::<WindowEvent>()
            .add_message::<EndSessionRequested>()
            .add_message::<ToggleDiagnostics>()
            .add_message::<FeatureRequested>()
            .add_message::<ShareConsent>()
            .add_message::<StopSharing>()
            .add_plugins(plugin(script));
        if let Some(feed) = feed {
            app.insert_resource(feed);
        }
        app
    }

    /// Runs a script of one screenshot and reports how many blanks it asked for.
    fn blanks_for_a_screenshot(feed: Option<CameraFeed>) -> u32 {
        let script =
            Script { actions: vec![screenshot_at_start("unused.png")], periodic: None, wait_limit: WAIT_LIMIT };
        let mut app = app_with(script, feed);
        app.update();
        app.world().resource::<MirrorBlank>().0
    }

    #[test]
    fn screenshots_asked_for_in_one_frame_are_taken_one_a_frame() {
        // Two scripted screenshots and a periodic one all due in the first frame: Bevy would drop
        // all but one of them, so they go one a frame.
        let script = Script {
            actions: vec![screenshot_at_start("a.png"), screenshot_at_start("b.png")],
            periodic: Some((Duration::from_secs(60), PathBuf::from("periodic"))),
            wait_limit: WAIT_LIMIT,
        };
        let mut app = app_with(script, Some(feed(false)));
        let mut taken = Vec::new();
        for _ in 0..4 {
            app.update();
            taken.push(app.world_mut().query::<&Screenshot>().iter(app.world()).count());
        }
        // (No renderer here, so none is ever written: the second scripted one waits for the first.)
        assert_eq!(taken, [1, 2, 2, 2], "one screenshot a frame, the next scripted one after the first is written");
    }

    #[test]
    fn a_screenshot_blanks_the_mirror_when_the_picture_comes_from_a_camera() {
        assert_eq!(blanks_for_a_screenshot(Some(feed(true))), 1, "a camera's picture is never saved");
        assert_eq!(blanks_for_a_screenshot(None), 1, "no feed known: blank to be safe");
        assert_eq!(blanks_for_a_screenshot(Some(feed(false))), 0, "the synthetic scene is saved as it is");
    }
}
