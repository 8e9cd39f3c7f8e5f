//! Session plugin: drives the shared [`SessionMachine`] from touches, clicks, key presses (a
//! keyboard or an audio-nav keypad is a shopper too), the clock and
//! requests from other plugins, mirrors its phase into the [`KioskPhase`] state, and announces
//! what happened: [`SessionStarted`], [`SessionEnded`] and [`PrivacyWipe`] (every feature that
//! holds anything from the session drops it on that message).

use bevy::{
    input::{ButtonState, keyboard::KeyboardInput, mouse::MouseButtonInput, touch::TouchPhase},
    prelude::*,
};
use protocol::session::{EndReason, Phase, SessionInput, SessionMachine};

use protocol::telemetry::UsageEvent;

use crate::{settings::Settings, telemetry::Usage};

pub fn plugin(app: &mut App) {
    app.init_state::<KioskPhase>()
        .add_message::<EndSessionRequested>()
        .add_message::<SetMaintenance>()
        .add_message::<PrivacyWipe>()
        .add_message::<SessionStarted>()
        .add_message::<SessionEnded>()
        .add_systems(Startup, create_machine)
        .add_systems(PreUpdate, (follow_settings, drive_machine).chain().run_if(resource_exists::<Session>))
        .add_systems(Update, log_sessions);
}

/// The kiosk's phase as a Bevy state, one-to-one with [`Phase`].
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum KioskPhase {
    #[default]
    Attract,
    Active,
    StillThere,
    Maintenance,
}

impl From<Phase> for KioskPhase {
    fn from(phase: Phase) -> Self {
        match phase {
            Phase::Attract => KioskPhase::Attract,
            Phase::Active => KioskPhase::Active,
            Phase::StillThere => KioskPhase::StillThere,
            Phase::Maintenance => KioskPhase::Maintenance,
        }
    }
}

/// The state machine and the clock it runs on.
#[derive(Resource, Debug)]
pub struct Session {
    pub machine: SessionMachine,
}

/// Someone asked to end the session.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndSessionRequested {
    /// The shopper's End button (or a script pressing it).
    Button,
    /// A remote `end_session` command.
    Remote,
    /// The kiosk is stopping (SIGTERM).
    Shutdown,
}

/// Maintenance ("Out of service") on or off; written by remote management.
#[derive(Message, Debug, Clone, Copy)]
pub struct SetMaintenance(pub bool);

/// Drop everything the session made: frames, captures, streams. Sent on every session end.
#[derive(Message, Debug, Clone, Copy)]
pub struct PrivacyWipe;

#[derive(Message, Debug, Clone, Copy)]
pub struct SessionStarted;

#[derive(Message, Debug, Clone, Copy)]
pub struct SessionEnded {
    pub reason: EndReason,
    pub duration: std::time::Duration,
}

fn create_machine(mut commands: Commands, settings: Res<Settings>) {
    commands.insert_resource(Session { machine: SessionMachine::new(settings.session.timeouts()) });
}

/// A reloaded configuration's timeouts apply to the running machine at once.
fn follow_settings(settings: Res<Settings>, mut session: ResMut<Session>) {
    if settings.is_changed() {
        session.machine.set_timeouts(settings.session.timeouts());
    }
}

#[allow(clippy::too_many_arguments)]
fn drive_machine(
    time: Res<Time<Real>>,
    mut session: ResMut<Session>,
    mut touches: MessageReader<TouchInput>,
    mut clicks: MessageReader<MouseButtonInput>,
    mut keys: MessageReader<KeyboardInput>,
    mut end_requests: MessageReader<EndSessionRequested>,
    mut maintenance: MessageReader<SetMaintenance>,
    mut next_phase: ResMut<NextState<KioskPhase>>,
    mut wipes: MessageWriter<PrivacyWipe>,
    mut started: MessageWriter<SessionStarted>,
    mut ended: MessageWriter<SessionEnded>,
) {
    let now = time.elapsed();
    let touched = touches.read().any(|t| t.phase == TouchPhase::Started)
        | clicks.read().any(|c| c.state == ButtonState::Pressed)
        | keys.read().any(|k| k.state == ButtonState::Pressed && !k.repeat);
    let inputs = maintenance
        .read()
        .map(|m| SessionInput::SetMaintenance(m.0))
        .chain(end_requests.read().map(|request| match request {
            EndSessionRequested::Button => SessionInput::EndButton,
            EndSessionRequested::Remote => SessionInput::EndRemote,
            EndSessionRequested::Shutdown => SessionInput::Shutdown,
        }))
        .chain(touched.then_some(SessionInput::Touch))
        .chain(std::iter::once(SessionInput::Tick))
        .collect::<Vec<_>>();
    for input in inputs {
        let Some(transition) = session.machine.apply(input, now) else { continue };
        NextState::set_if_neq(&mut next_phase, KioskPhase::from(transition.to));
        if transition.started_session() {
            started.write(SessionStarted);
        }
        if let Some(end) = transition.ended {
            ended.write(SessionEnded { reason: end.reason, duration: end.duration });
        }
        if transition.requires_privacy_wipe() {
            wipes.write(PrivacyWipe);
        }
    }
}

fn log_sessions(
    mut started: MessageReader<SessionStarted>,
    mut ended: MessageReader<SessionEnded>,
    mut usage: MessageWriter<Usage>,
) {
    for _ in started.read() {
        info!("session started");
        usage.write(Usage(UsageEvent::SessionStarted));
    }
    for end in ended.read() {
        info!("session ended after {:.0?}: {:?}", end.duration, end.reason);
        let duration_ms = end.duration.as_millis().min(u128::from(u64::MAX)) as u64;
        usage.write(Usage(UsageEvent::SessionEnded { duration_ms, reason: end.reason }));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use bevy::{state::app::StatesPlugin, time::TimeUpdateStrategy};
    use protocol::config::KioskConfig;

    use super::*;

    #[derive(Resource, Default)]
    struct Seen {
        wipes: usize,
        ended: Vec<EndReason>,
        usage: Vec<UsageEvent>,
    }

    fn app() -> App {
        let mut config = KioskConfig::default();
        config.session.inactivity_timeout_s = 10.0;
        config.session.warning_countdown_s = 20.0;
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, StatesPlugin))
            .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(500)))
            .insert_resource(Settings::new(config))
            .init_resource::<Seen>()
            .add_message::<TouchInput>()
            .add_message::<Usage>()
            .add_message::<MouseButtonInput>()
            .add_message::<KeyboardInput>()
            .add_plugins(plugin)
            .add_systems(
                Update,
                |mut w: MessageReader<PrivacyWipe>,
                 mut e: MessageReader<SessionEnded>,
                 mut u: MessageReader<Usage>,
                 mut seen: ResMut<Seen>| {
                    seen.wipes += w.read().count();
                    seen.ended.extend(e.read().map(|e| e.reason));
                    seen.usage.extend(u.read().map(|u| u.0.clone()));
                },
            );
        app.update();
        app
    }

    fn phase(app: &App) -> KioskPhase {
        *app.world().resource::<State<KioskPhase>>().get()
    }

    fn touch(app: &mut App) {
        app.world_mut().write_message(TouchInput {
            phase: TouchPhase::Started,
            position: Vec2::new(100.0, 100.0),
            window: Entity::PLACEHOLDER,
            force: None,
            id: 1,
        });
    }

    fn seconds(app: &mut App, secs: f32) {
        for _ in 0..(secs * 2.0).round() as usize {
            app.update();
        }
    }

    #[test]
    fn touch_starts_inactivity_warns_then_wipes() {
        let mut app = app();
        assert_eq!(phase(&app), KioskPhase::Attract);
        touch(&mut app);
        seconds(&mut app, 1.0);
        assert_eq!(phase(&app), KioskPhase::Active);
        seconds(&mut app, 10.0);
        assert_eq!(phase(&app), KioskPhase::StillThere);
        assert_eq!(app.world().resource::<Seen>().wipes, 0);
        seconds(&mut app, 18.5);
        assert_eq!(phase(&app), KioskPhase::StillThere, "the warning lasts its 20 s");
        seconds(&mut app, 2.0);
        assert_eq!(phase(&app), KioskPhase::Attract);
        let seen = app.world().resource::<Seen>();
        assert_eq!((seen.wipes, seen.ended.as_slice()), (1, &[EndReason::Timeout][..]));
        match seen.usage.as_slice() {
            [UsageEvent::SessionStarted, UsageEvent::SessionEnded { duration_ms, reason: EndReason::Timeout }] => {
                assert!((30_000..=31_500).contains(duration_ms), "10 s inactivity + 20 s countdown: {duration_ms} ms");
            }
            other => panic!("expected session started then ended, got {other:?}"),
        }
    }

    fn key(app: &mut App, key: KeyCode, repeat: bool) {
        app.world_mut().write_message(KeyboardInput {
            key_code: key,
            logical_key: bevy::input::keyboard::Key::Enter,
            state: ButtonState::Pressed,
            text: None,
            repeat,
            window: Entity::PLACEHOLDER,
        });
    }

    #[test]
    fn the_warning_can_be_extended_again_and_again_by_touch_or_key() {
        let mut app = app();
        key(&mut app, KeyCode::Enter, false);
        seconds(&mut app, 1.0);
        assert_eq!(phase(&app), KioskPhase::Active, "a key press starts a session");
        for round in 0..4 {
            seconds(&mut app, 10.0);
            assert_eq!(phase(&app), KioskPhase::StillThere, "round {round}");
            seconds(&mut app, 15.0);
            if round % 2 == 0 {
                touch(&mut app)
            } else {
                key(&mut app, KeyCode::Tab, false)
            }
            seconds(&mut app, 0.5);
            assert_eq!(phase(&app), KioskPhase::Active, "round {round}: extended");
        }
        seconds(&mut app, 10.0);
        key(&mut app, KeyCode::Tab, true);
        seconds(&mut app, 20.5);
        assert_eq!(phase(&app), KioskPhase::Attract, "a held key's repeats are not a shopper");
        assert_eq!(app.world().resource::<Seen>().ended, [EndReason::Timeout]);
    }

    #[test]
    fn reloaded_timeouts_apply_to_the_running_session() {
        let mut app = app();
        touch(&mut app);
        seconds(&mut app, 1.0);
        let mut config = KioskConfig::default();
        config.session.inactivity_timeout_s = 30.0;
        config.session.warning_countdown_s = 20.0;
        *app.world_mut().resource_mut::<Settings>() = Settings::new(config);
        seconds(&mut app, 12.0);
        assert_eq!(phase(&app), KioskPhase::Active, "the 10 s timeout was replaced by 30 s");
        seconds(&mut app, 20.0);
        assert_eq!(phase(&app), KioskPhase::StillThere);
    }

    #[test]
    fn end_request_and_maintenance_wipe_and_maintenance_ignores_touches() {
        let mut app = app();
        app.world_mut().write_message(MouseButtonInput {
            button: MouseButton::Left,
            state: ButtonState::Pressed,
            window: Entity::PLACEHOLDER,
        });
        seconds(&mut app, 1.0);
        assert_eq!(phase(&app), KioskPhase::Active);
        app.world_mut().write_message(EndSessionRequested::Button);
        seconds(&mut app, 1.0);
        assert_eq!(phase(&app), KioskPhase::Attract);

        touch(&mut app);
        seconds(&mut app, 1.0);
        app.world_mut().write_message(SetMaintenance(true));
        seconds(&mut app, 1.0);
        assert_eq!(phase(&app), KioskPhase::Maintenance);
        touch(&mut app);
        seconds(&mut app, 1.0);
        assert_eq!(phase(&app), KioskPhase::Maintenance);
        app.world_mut().write_message(SetMaintenance(false));
        seconds(&mut app, 1.0);
        assert_eq!(phase(&app), KioskPhase::Attract);
        let seen = app.world().resource::<Seen>();
        assert_eq!(seen.ended, [EndReason::EndButton, EndReason::Maintenance]);
        assert_eq!(seen.wipes, 3, "end button, maintenance on, maintenance off");
    }
}
