//! The "Accessibility" sheet and the modes it switches for this session: larger text, reading
//! aloud (the self-voicing of [`crate::speech`]) and switch scanning ([`switch_scan`]). Each
//! toggle says its state in words ("Larger text: on") and in the accent; it changes in place, so
//! the focus stays on it for a shopper using keys or a switch. The session's end turns every
//! mode off for the next shopper; `accessibility.switch_scan` starts each session scanning where
//! a switch is installed.
//!
//! Owns [`AccessModes`] and [`ToggleMode`]; writes `RemSize` (every text of `theme::text` is
//! sized in rem) and `SelfVoicing.on`.

mod switch_scan;

use bevy::{prelude::*, text::RemSize};
use i18n::Phrase;

use crate::{
    i18n::Localized,
    session::{KioskPhase, PrivacyWipe},
    settings::Settings,
    speech::SelfVoicing,
    ui::{
        FeatureRequested, HandledFeatures,
        contrast::ink_on,
        theme::{BUTTON, DESIGN_REM, INK, Metrics, MirrorInRtl, accent, button, message_button, sheet, t, text},
    },
};

const FEATURE: &str = "Accessibility";

pub fn plugin(app: &mut App) {
    app.init_resource::<AccessModes>()
        .init_resource::<AccessMenu>()
        .add_message::<ToggleMode>()
        .add_systems(Startup, |mut handled: ResMut<HandledFeatures>| {
            handled.0.insert(FEATURE);
        })
        .add_systems(OnEnter(KioskPhase::Active), start_scanning_where_a_switch_is_installed)
        .add_systems(Update, (open_or_close, toggle, end_with_the_session, rebuild, show_states).chain())
        .add_systems(Update, size_texts)
        .add_plugins(switch_scan::plugin);
}

/// A mode the sheet switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    LargeText,
    ReadAloud,
    SwitchScan,
}

impl Mode {
    const ALL: [Mode; 3] = [Mode::LargeText, Mode::ReadAloud, Mode::SwitchScan];

    fn name(self) -> &'static str {
        match self {
            Mode::LargeText => "access-large-text",
            Mode::ReadAloud => "access-read-aloud",
            Mode::SwitchScan => "access-switch-scan",
        }
    }
}

/// Turn a mode on or off.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ToggleMode(pub Mode);

/// The modes on for this session (reading aloud lives in [`SelfVoicing`]).
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct AccessModes {
    pub large_text: bool,
    pub switch_scan: bool,
}

/// Whether the sheet is open.
#[derive(Resource, Debug, Default, PartialEq, Eq)]
pub struct AccessMenu {
    pub open: bool,
}

#[derive(Component)]
struct MenuRoot;

/// A toggle on the sheet.
#[derive(Component, Debug, Clone, Copy)]
struct ModeButton(Mode);

fn is_on(mode: Mode, modes: &AccessModes, voicing: &SelfVoicing) -> bool {
    match mode {
        Mode::LargeText => modes.large_text,
        Mode::ReadAloud => voicing.on,
        Mode::SwitchScan => modes.switch_scan,
    }
}

/// "Larger text: on" in the UI language.
fn state_label(mode: Mode, on: bool) -> Phrase {
    let state = if on { "access-on" } else { "access-off" };
    Phrase::new(state).phrase("mode", Phrase::new(mode.name()))
}

fn open_or_close(mut requests: MessageReader<FeatureRequested>, mut menu: ResMut<AccessMenu>) {
    let open = FeatureRequested::sheet_open_after(requests.read(), FEATURE, menu.open);
    menu.set_if_neq(AccessMenu { open });
}

fn toggle(mut toggles: MessageReader<ToggleMode>, mut modes: ResMut<AccessModes>, mut voicing: ResMut<SelfVoicing>) {
    for ToggleMode(mode) in toggles.read() {
        match mode {
            Mode::LargeText => modes.large_text = !modes.large_text,
            Mode::ReadAloud => voicing.on = !voicing.on,
            Mode::SwitchScan => modes.switch_scan = !modes.switch_scan,
        }
        info!("accessibility: {mode:?} {}", if is_on(*mode, &modes, &voicing) { "on" } else { "off" });
    }
}

fn start_scanning_where_a_switch_is_installed(settings: Res<Settings>, mut modes: ResMut<AccessModes>) {
    if settings.accessibility.switch_scan {
        modes.switch_scan = true;
    }
}

fn end_with_the_session(
    mut wipes: MessageReader<PrivacyWipe>,
    mut modes: ResMut<AccessModes>,
    mut menu: ResMut<AccessMenu>,
) {
    if wipes.read().count() > 0 {
        modes.set_if_neq(AccessModes::default());
        menu.set_if_neq(AccessMenu::default());
    }
}

fn rebuild(
    mut commands: Commands,
    menu: Res<AccessMenu>,
    metrics: Res<Metrics>,
    phase: Res<State<KioskPhase>>,
    existing: Query<Entity, With<MenuRoot>>,
) {
    if !menu.is_changed() {
        return;
    }
    for entity in &existing {
        commands.entity(entity).despawn();
    }
    if !menu.open || *phase.get() != KioskPhase::Active {
        return;
    }
    let root = commands.spawn((Name::new("Accessibility menu"), MenuRoot, sheet(350.0, 28.0))).id();
    let title = commands.spawn(text(t("access-title"), 48.0, INK)).id();
    let row = commands
        .spawn((Node { flex_wrap: FlexWrap::Wrap, column_gap: px(24), row_gap: px(24), ..default() }, MirrorInRtl))
        .id();
    commands.entity(root).add_children(&[title, row]);
    for mode in Mode::ALL {
        // Drawn off; `show_states` paints the state in the same frame.
        let toggle = message_button(&mut commands, state_label(mode, false), &metrics, BUTTON, ToggleMode(mode));
        commands.entity(toggle).insert(ModeButton(mode));
        commands.entity(row).add_child(toggle);
    }
    let hint = commands.spawn(text(t("access-switch-hint"), 30.0, INK)).id();
    let close = commands
        .spawn(button(t("close"), &metrics, BUTTON))
        .observe(|_: On<Pointer<Click>>, mut menu: ResMut<AccessMenu>| menu.open = false)
        .id();
    commands.entity(root).add_children(&[hint, close]);
}

/// Each toggle's words and colour follow its mode, on the same entity.
fn show_states(
    modes: Res<AccessModes>,
    voicing: Res<SelfVoicing>,
    added: Query<(), Added<ModeButton>>,
    mut buttons: Query<(&ModeButton, &mut BackgroundColor, &Children)>,
    mut labels: Query<(&mut Localized, &mut TextColor)>,
) {
    if !modes.is_changed() && !voicing.is_changed() && added.is_empty() {
        return;
    }
    for (ModeButton(mode), mut background, children) in &mut buttons {
        let on = is_on(*mode, &modes, &voicing);
        let colour = if on { accent() } else { BUTTON };
        background.set_if_neq(BackgroundColor(colour));
        for child in children {
            if let Ok((mut label, mut ink)) = labels.get_mut(*child) {
                label.set_if_neq(Localized(state_label(*mode, on).into()));
                ink.set_if_neq(TextColor(ink_on(colour)));
            }
        }
    }
}

/// Every text is sized in rem: the larger-text mode scales them all at once.
fn size_texts(modes: Res<AccessModes>, settings: Res<Settings>, rem: Option<ResMut<RemSize>>) {
    let Some(mut rem) = rem else { return };
    let scale = if modes.large_text { settings.accessibility.large_text_scale } else { 1.0 };
    let wanted = DESIGN_REM * scale;
    if (rem.0 - wanted).abs() > f32::EPSILON {
        rem.0 = wanted;
    }
}
