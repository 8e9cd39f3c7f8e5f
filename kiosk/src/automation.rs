//! Scripted actions for tests and headless machines: `--at SECONDS:ACTION` and periodic
//! screenshots (`--screenshot-every`). Touches are injected as real `TouchInput` messages, so
//! they take the same path as a finger on the glass: `press=LABEL` touches the centre of the
//! button whose text is LABEL (else the first whose text starts with it). `scan=CODE` types CODE and Enter as one fast burst
//! of `KeyboardInput` messages, as a USB barcode scanner does.
//!
//! Privacy: with a real camera, screenshots blank the mirror (see [`MirrorBlank`]); only the
//! synthetic scene is ever written to disk.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use bevy::{
    input::{
        ButtonState,
        keyboard::{Key, KeyboardInput, NativeKeyCode},
        touch::TouchPhase,
    },
    prelude::*,
    render::view::screenshot::{Screenshot, ScreenshotCaptured},
    window::{PrimaryWindow, WindowEvent},
};
use protocol::config::CameraSourceKind;

use crate::{
    camera::CameraFeed,
    diagnostics::ToggleDiagnostics,
    mirror::MirrorBlank,
    session::EndSessionRequested,
    settings::Settings,
    share::{ShareConsent, StopSharing},
    ui::FeatureRequested,
};

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
    /// A finger taps the button whose text starts with this.
    Press(String),
    /// Exit once pending screenshots are written.
    Exit,
}

/// Everything to do, by time since start.
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct Script {
    /// Sorted by time.
    pub actions: Vec<(Duration, Action)>,
    /// Every interval, overwrite `DIR/latest.png`.
    pub periodic: Option<(Duration, PathBuf)>,
}

#[derive(Resource, Default)]
struct Progress {
    next_action: usize,
    next_periodic: Duration,
    pending_screenshots: usize,
    exit_requested: bool,
    /// A finger that touched down last frame and lifts now.
    lift: Option<(Entity, Vec2)>,
}

pub fn plugin(script: Script) -> impl Fn(&mut App) {
    move |app: &mut App| {
        app.insert_resource(script.clone())
            .init_resource::<Progress>()
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
    buttons: Query<'w, 's, (&'static UiGlobalTransform, &'static Children), With<Button>>,
    texts: Query<'w, 's, &'static Text>,
}

#[allow(clippy::too_many_arguments)]
fn run_due_actions(
    mut commands: Commands,
    time: Res<Time<Real>>,
    script: Res<Script>,
    mut progress: ResMut<Progress>,
    windows: Query<(Entity, &Window), With<PrimaryWindow>>,
    feed: Option<Res<CameraFeed>>,
    settings: Res<Settings>,
    mut blank: ResMut<MirrorBlank>,
    mut touches: MessageWriter<TouchInput>,
    mut end: MessageWriter<EndSessionRequested>,
    mut diagnostics: MessageWriter<ToggleDiagnostics>,
    mut share: (MessageWriter<FeatureRequested>, MessageWriter<ShareConsent>, MessageWriter<StopSharing>),
    mut input: Injected,
) {
    let now = time.elapsed();
    if let Some((window, position)) = progress.lift.take() {
        let touch = TouchInput { phase: TouchPhase::Ended, position, window, force: None, id: 1 };
        touches.write(touch);
        input.window_events.write(WindowEvent::TouchInput(touch));
    }
    let mut shots = Vec::new();
    while let Some((at, action)) = script.actions.get(progress.next_action) {
        if *at > now {
            break;
        }
        progress.next_action += 1;
        match action {
            Action::Touch => {
                if let Ok((window, w)) = windows.single() {
                    let position = Vec2::new(w.width() / 2.0, w.height() / 2.0);
                    touches.write(TouchInput { phase: TouchPhase::Started, position, window, force: None, id: 0 });
                    touches.write(TouchInput { phase: TouchPhase::Ended, position, window, force: None, id: 0 });
                }
            }
            Action::EndSession => {
                end.write(EndSessionRequested::Button);
            }
            Action::ToggleDiagnostics => {
                diagnostics.write(ToggleDiagnostics);
            }
            Action::Screenshot(path) => shots.push(path.clone()),
            Action::Share => {
                share.0.write(FeatureRequested("Share"));
            }
            Action::ShareAccept => {
                share.1.write(ShareConsent(true));
            }
            Action::ShareStop => {
                share.2.write(StopSharing);
            }
            Action::ScannerTypes(code) => {
                let Ok((window, _)) = windows.single() else { continue };
                let keys = code.chars().map(|c| {
                    (Key::Character(c.to_string().into()), KeyCode::Unidentified(NativeKeyCode::Unidentified))
                });
                for (logical_key, key_code) in keys.chain([(Key::Enter, KeyCode::Enter)]) {
                    let text = match &logical_key {
                        Key::Character(c) => Some(c.clone()),
                        _ => None,
                    };
                    for state in [ButtonState::Pressed, ButtonState::Released] {
                        input.keys.write(KeyboardInput {
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
            Action::Press(label) => {
                let Ok((window, w)) = windows.single() else { continue };
                let labelled = |children: &Children, exact: bool| {
                    children.iter().any(|child| {
                        input
                            .texts
                            .get(child)
                            .is_ok_and(|t| if exact { t.0 == *label } else { t.0.starts_with(label.as_str()) })
                    })
                };
                let exact = input.buttons.iter().find(|(_, children)| labelled(children, true));
                match exact.or_else(|| input.buttons.iter().find(|(_, children)| labelled(children, false))) {
                    Some((transform, _)) => {
                        let position = transform.translation / w.scale_factor();
                        // Picking reads touches from the window events, as winit delivers them.
                        let touch = TouchInput { phase: TouchPhase::Started, position, window, force: None, id: 1 };
                        touches.write(touch);
                        input.window_events.write(WindowEvent::TouchInput(touch));
                        progress.lift = Some((window, position));
                    }
                    None => warn!("automation: no button labelled {label:?} to press"),
                }
            }
            Action::Exit => progress.exit_requested = true,
        }
    }
    if let Some((every, dir)) = &script.periodic
        && now >= progress.next_periodic
    {
        progress.next_periodic = now + *every;
        shots.push(dir.join("latest.png"));
    }
    let real_camera =
        !matches!(settings.camera.source, CameraSourceKind::Synthetic) && !feed.is_some_and(|f| f.synthetic_fallback);
    for path in shots {
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
