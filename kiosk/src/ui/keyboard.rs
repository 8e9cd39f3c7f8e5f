//! Operable without touch (WCAG 2.1.1): Tab and Shift+Tab, or the arrow keys of a keyboard or an
//! audio-nav keypad, move the focus through every control in reading order (sheets first, then the
//! toolbar: "End session", then the row left to right, right to left in Arabic); Enter or Space
//! presses the focused control through the same click its touch would make; a ring shows where
//! the focus is whenever it was moved by key. Dialogs ("Still there?", the share consent) hold the
//! focus inside them and put it on their safe answer. When a sheet redraws (most taps redraw it),
//! the focus returns to the control with the same words.
//!
//! A USB barcode scanner is a keyboard too: an Enter within 200 ms of typed characters ends its
//! burst and presses nothing.

use std::time::Duration;

use bevy::{
    camera::NormalizedRenderTarget,
    input::{ButtonState, keyboard::KeyboardInput},
    input_focus::{
        FocusCause, InputFocus, InputFocusVisible,
        tab_navigation::{NavAction, TabIndex, TabNavigation, TabNavigationPlugin},
    },
    picking::{
        backend::HitData,
        events::{Click, Pointer},
        pointer::{Location, PointerButton, PointerId},
    },
    prelude::*,
    window::{PrimaryWindow, WindowRef},
};

use super::theme::Icon;
use protocol::config::NavKey;

use crate::{i18n::UiLanguage, settings::Settings};

pub fn plugin(app: &mut App) {
    app.add_plugins(TabNavigationPlugin)
        .init_resource::<Keymap>()
        .add_observer(make_tabbable)
        .add_systems(Update, (follow_keymap, arrows, press_focused, refocus_after_redraw, ring_focus).chain());
}

/// Keys beyond the keyboard's own, from `[input] keymap` (an audio-nav keypad's digits).
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct Keymap(pub Vec<(KeyCode, NavKey)>);

impl Keymap {
    /// What `key` does: the keyboard's own keys, then the profile's.
    pub fn action(&self, key: KeyCode) -> Option<NavKey> {
        let own = match key {
            KeyCode::ArrowUp => Some(NavKey::Up),
            KeyCode::ArrowDown => Some(NavKey::Down),
            KeyCode::ArrowLeft => Some(NavKey::Left),
            KeyCode::ArrowRight => Some(NavKey::Right),
            KeyCode::Enter | KeyCode::NumpadEnter | KeyCode::Space => Some(NavKey::Press),
            _ => None,
        };
        own.or_else(|| self.0.iter().find(|(k, _)| *k == key).map(|(_, a)| *a))
    }
}

/// A key name of `[input] keymap` ([`protocol::config::KEY_NAMES`]) as Bevy knows it.
fn key_code(name: &str) -> Option<KeyCode> {
    Some(match name {
        "Numpad0" => KeyCode::Numpad0,
        "Numpad1" => KeyCode::Numpad1,
        "Numpad2" => KeyCode::Numpad2,
        "Numpad3" => KeyCode::Numpad3,
        "Numpad4" => KeyCode::Numpad4,
        "Numpad5" => KeyCode::Numpad5,
        "Numpad6" => KeyCode::Numpad6,
        "Numpad7" => KeyCode::Numpad7,
        "Numpad8" => KeyCode::Numpad8,
        "Numpad9" => KeyCode::Numpad9,
        "NumpadEnter" => KeyCode::NumpadEnter,
        "NumpadAdd" => KeyCode::NumpadAdd,
        "NumpadSubtract" => KeyCode::NumpadSubtract,
        "NumpadMultiply" => KeyCode::NumpadMultiply,
        "NumpadDivide" => KeyCode::NumpadDivide,
        "NumpadDecimal" => KeyCode::NumpadDecimal,
        "F1" => KeyCode::F1,
        "F2" => KeyCode::F2,
        "F3" => KeyCode::F3,
        "F4" => KeyCode::F4,
        "F5" => KeyCode::F5,
        "F6" => KeyCode::F6,
        "F7" => KeyCode::F7,
        "F8" => KeyCode::F8,
        "F9" => KeyCode::F9,
        "F10" => KeyCode::F10,
        "F11" => KeyCode::F11,
        "F12" => KeyCode::F12,
        "PageUp" => KeyCode::PageUp,
        "PageDown" => KeyCode::PageDown,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "Escape" => KeyCode::Escape,
        "Backspace" => KeyCode::Backspace,
        _ => return None,
    })
}

fn follow_keymap(settings: Res<Settings>, mut keymap: ResMut<Keymap>) {
    if !settings.is_changed() {
        return;
    }
    let mapped = settings.input.keymap.iter().filter_map(|(name, action)| Some((key_code(name)?, *action))).collect();
    keymap.set_if_neq(Keymap(mapped));
}

/// The focus ring: thick and bright yellow, outside the control, so it shows on any picture.
pub const FOCUS_RING: Color = Color::srgb(1.0, 0.86, 0.2);

/// Typed characters this close before an Enter make it a scanner's.
const SCANNER_GAP: Duration = Duration::from_millis(200);

/// Every button takes part in tab navigation.
fn make_tabbable(add: On<Add, Button>, mut commands: Commands, indices: Query<(), With<TabIndex>>) {
    if !indices.contains(add.entity) {
        commands.entity(add.entity).insert(TabIndex(0));
    }
}

/// Arrows step like Tab: down and right forward, up and left back (mirrored in Arabic); a
/// keymap's keys do what they are mapped to.
fn arrows(
    mut keys: MessageReader<KeyboardInput>,
    nav: TabNavigation,
    mut focus: ResMut<InputFocus>,
    mut visible: ResMut<InputFocusVisible>,
    language: Option<Res<UiLanguage>>,
    keymap: Res<Keymap>,
) {
    let rtl = language.is_some_and(|l| l.current.is_rtl());
    for key in keys.read().filter(|k| k.state == ButtonState::Pressed) {
        let action = match keymap.action(key.key_code) {
            Some(NavKey::Down | NavKey::Next) => NavAction::Next,
            Some(NavKey::Up | NavKey::Previous) => NavAction::Previous,
            Some(NavKey::Right) if rtl => NavAction::Previous,
            Some(NavKey::Right) => NavAction::Next,
            Some(NavKey::Left) if rtl => NavAction::Next,
            Some(NavKey::Left) => NavAction::Previous,
            Some(NavKey::Press) | None => continue,
        };
        if let Ok(next) = nav.navigate(&focus, action) {
            focus.set(next, FocusCause::Navigated);
            visible.0 = true;
        }
    }
}

/// Enter, Space or the keypad's Enter press the focused control, as a tap in its centre would.
#[allow(clippy::too_many_arguments)]
fn press_focused(
    mut commands: Commands,
    mut keys: MessageReader<KeyboardInput>,
    time: Res<Time<Real>>,
    mut last_character: Local<Option<Duration>>,
    focus: Res<InputFocus>,
    buttons: Query<&UiGlobalTransform, With<Button>>,
    windows: Query<Entity, With<PrimaryWindow>>,
    cameras: Query<Entity, With<Camera>>,
    keymap: Res<Keymap>,
) {
    let now = time.elapsed();
    for key in keys.read().filter(|k| k.state == ButtonState::Pressed && !k.repeat) {
        let action = keymap.action(key.key_code);
        // A keypad digit mapped to navigation types a character too; it is not a scanner's.
        if action.is_none() && key.text.as_ref().is_some_and(|t| t.chars().any(|c| !c.is_whitespace())) {
            *last_character = Some(now);
            continue;
        }
        if action != Some(NavKey::Press) {
            continue;
        }
        let burst = last_character.is_some_and(|at| now.saturating_sub(at) < SCANNER_GAP);
        let (Some(target), false) = (focus.get(), burst) else { continue };
        let (Ok(transform), Ok(window), Some(camera)) = (buttons.get(target), windows.single(), cameras.iter().next())
        else {
            continue;
        };
        let Some(window) = WindowRef::Primary.normalize(Some(window)) else { continue };
        let location = Location { target: NormalizedRenderTarget::Window(window), position: transform.translation };
        let click = Click {
            button: PointerButton::Primary,
            hit: HitData::new(camera, 0.0, None, None),
            duration: Duration::ZERO,
            count: 1,
        };
        commands.trigger(Pointer::new(PointerId::Mouse, location, click, target));
    }
}

/// The words on a button (its first text), as a screen reader says it and as the focus is found
/// again after a redraw.
pub fn button_words(
    button: Entity,
    children: &Query<&Children>,
    texts: &Query<&Text, Without<Icon>>,
) -> Option<String> {
    children.iter_descendants(button).find_map(|child| texts.get(child).ok().map(|t| t.0.clone()))
}

/// A redraw despawned the focused control: focus the new one with the same words, if any.
fn refocus_after_redraw(
    mut focus: ResMut<InputFocus>,
    mut words: Local<Option<String>>,
    buttons: Query<Entity, With<Button>>,
    children: Query<&Children>,
    texts: Query<&Text, Without<Icon>>,
) {
    match focus.get() {
        Some(entity) if buttons.contains(entity) => *words = button_words(entity, &children, &texts),
        Some(_) => {
            let wanted = words.clone();
            let again = buttons.iter().find(|b| wanted.is_some() && button_words(*b, &children, &texts) == wanted);
            match again {
                Some(entity) => focus.set(entity, FocusCause::Navigated),
                None => focus.clear(),
            }
        }
        None => *words = None,
    }
}

/// Draws the ring on the focused control while the focus was moved by key.
fn ring_focus(
    mut commands: Commands,
    focus: Res<InputFocus>,
    visible: Res<InputFocusVisible>,
    mut ringed: Local<Option<Entity>>,
    nodes: Query<(), With<Node>>,
) {
    let wanted = focus.get().filter(|e| visible.0 && nodes.contains(*e));
    if *ringed == wanted {
        return;
    }
    if let Some(old) = ringed.take()
        && let Ok(mut entity) = commands.get_entity(old)
    {
        entity.remove::<Outline>();
    }
    if let Some(new) = wanted {
        commands.entity(new).insert(Outline::new(px(8), px(4), FOCUS_RING));
        *ringed = Some(new);
    }
}
