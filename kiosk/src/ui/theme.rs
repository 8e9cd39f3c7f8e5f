//! Palette, type sizes and widget constructors, so screens read like a layout.
//!
//! Layout is designed for a 1080 px wide portrait screen; [`UiScale`] maps it onto the actual
//! window. Touch targets are sized from the display's physical width so that none is smaller
//! than `display.touch_target_mm` on the glass.

use bevy::{input_focus::tab_navigation::TabGroup, prelude::*};
pub use i18n::{Label, Phrase};
use protocol::config::{DisplaySection, REACH_MM};

use crate::i18n::Localized;

/// Where controls along the top edge sit (the toolbar's "End session", the request banner).
pub const TOP_MARGIN: f32 = 40.0;

/// Layout width every screen is designed for.
pub const DESIGN_WIDTH: f32 = 1080.0;

pub const INK: Color = Color::srgb(0.97, 0.96, 0.94);
pub const INK_DIM: Color = Color::srgb(0.84, 0.82, 0.78);
/// The chain's accent unless `[theme] accent` sets another (see [`accent`]).
pub const DEFAULT_ACCENT: Color = Color::srgb(0.93, 0.66, 0.35);
/// Sheets, toasts and badges: opaque enough that their text keeps 4.5:1 over a white shirt
/// (`contrast` checks every pair over black and white video).
pub const PANEL: Color = Color::srgba(0.08, 0.08, 0.10, 0.92);
pub const BUTTON: Color = Color::srgba(0.10, 0.10, 0.12, 0.88);
pub const BUTTON_END: Color = Color::srgba(0.52, 0.11, 0.11, 0.93);
/// The "camera unavailable" screen: opaque, so nothing stale shows through.
pub const UNAVAILABLE_BG: Color = Color::srgb(0.11, 0.13, 0.20);
pub const MAINTENANCE_BG: Color = Color::srgb(0.16, 0.16, 0.16);
pub const GOOD: Color = Color::srgba(0.10, 0.36, 0.20, 0.95);
/// Things that cannot be had (sold out): a nearly opaque grey, so a sold-out chip looks the same
/// over a white shirt as over a dark coat (a translucent one vanished against bright clothes).
pub const UNAVAILABLE: Color = Color::srgba(0.30, 0.30, 0.32, 0.95);
/// Yes to a question that starts something ("Start sharing", "I'm still here").
pub const GO: Color = Color::srgba(0.13, 0.40, 0.22, 0.95);
/// The quiet answer ("Not now").
pub const NEUTRAL: Color = Color::srgba(0.30, 0.30, 0.32, 0.95);
/// Stopping what others can see ("Stop sharing").
pub const STOP: Color = Color::srgba(0.55, 0.12, 0.12, 0.95);
/// The LIVE badge's red.
pub const LIVE_RED: Color = Color::srgb(0.86, 0.1, 0.12);
/// Dims the mirror behind a question that covers it ("Still there?", the share consent).
pub const SCRIM: Color = Color::srgba(0.0, 0.0, 0.0, 0.5);
/// Behind the look countdown's number.
pub const COUNTDOWN_BG: Color = Color::srgba(0.0, 0.0, 0.0, 0.85);
/// A friend's comment bubble, its name and its text.
pub const COMMENT_BG: Color = Color::srgba(1.0, 1.0, 1.0, 0.92);
pub const COMMENT_NAME: Color = Color::srgb(0.35, 0.2, 0.1);
pub const COMMENT_INK: Color = Color::srgb(0.08, 0.08, 0.08);
/// Friends' reactions: love, hot, yes, no, wow, anything else.
pub const REACTIONS: [Color; 6] = [
    Color::srgb(0.80, 0.14, 0.33),
    Color::srgb(0.96, 0.52, 0.12),
    Color::srgb(0.13, 0.47, 0.25),
    Color::srgb(0.38, 0.38, 0.42),
    Color::srgb(0.56, 0.20, 0.64),
    Color::srgb(0.16, 0.38, 0.68),
];
/// How dark the mirror shows behind the attract screen (a multiplier on the picture, sRGB).
pub const ATTRACT_DIM: f32 = 0.33;
/// The attract prompt's pulse never goes below this opacity, so its text stays legible.
pub const PROMPT_MIN_ALPHA: f32 = 0.85;

static BRAND_ACCENT: std::sync::OnceLock<Color> = std::sync::OnceLock::new();

/// The chain's accent: the prompt, chosen chips, the main action of a sheet. Set once at start
/// from `[theme] accent` (a restart applies a new one); text on it takes the ink it calls for.
pub fn accent() -> Color {
    *BRAND_ACCENT.get_or_init(|| DEFAULT_ACCENT)
}

/// Sets the accent before the first screen is drawn; later calls keep the first.
pub fn set_accent(color: Color) {
    let _ = BRAND_ACCENT.set(color);
}

/// Sizes that depend on the physical display.
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    /// Layout pixels per millimetre on the glass.
    pub px_per_mm: f32,
    /// Side of the smallest touch target, in layout pixels.
    pub touch_target: f32,
    /// Side of a key on the on-screen keyboard: smaller than buttons (ten fit a row), never
    /// below `display.touch_target_mm` on the glass.
    pub key: f32,
    /// Height of the screen's lower edge above the floor (`display.mount_bottom_mm`).
    pub mount_bottom_mm: f32,
}

/// Layout height of the portrait 16:9 design.
pub const DESIGN_HEIGHT: f32 = 1920.0;

impl Metrics {
    /// Height above the floor, in millimetres, of layout row `y` (0 at the top of the screen).
    pub fn height_mm(&self, y: f32) -> f32 {
        self.mount_bottom_mm + (DESIGN_HEIGHT - y) / self.px_per_mm
    }

    /// The highest layout row within reach (1220 mm above the floor), 0 when the whole screen is.
    pub fn reach_top(&self) -> f32 {
        (DESIGN_HEIGHT - (REACH_MM.end() - self.mount_bottom_mm) * self.px_per_mm).max(0.0)
    }

    /// The top of the screen is out of reach: controls that sit at the top move down.
    pub fn lower_controls(&self) -> bool {
        self.reach_top() > TOP_MARGIN
    }

    /// The design keeps buttons at least 132 layout px tall for looks; the physical minimum wins
    /// where it is larger (small, dense screens).
    pub fn for_display(display: &DisplaySection) -> Self {
        let px_per_mm = DESIGN_WIDTH / display.physical_width_mm;
        let physical_min = display.touch_target_mm * px_per_mm;
        Self {
            px_per_mm,
            touch_target: physical_min.max(132.0),
            key: physical_min.max(88.0),
            mount_bottom_mm: display.mount_bottom_mm,
        }
    }
}

/// A row of controls that reads the other way in right-to-left languages: its `Row` becomes
/// `RowReverse` (and back) when the language changes (see [`crate::i18n`]).
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct MirrorInRtl;

/// A phrase to translate, `t("share-consent-title")`, with arguments added by its builder.
pub fn t(id: &'static str) -> Phrase {
    Phrase::new(id)
}

/// Data shown as it is, in every language (a product's name, a link).
pub fn verbatim(value: impl Into<String>) -> Label {
    Label::verbatim(value.into())
}

/// A text in the shopper's language (see [`crate::i18n`]): `label` is a [`Phrase`] or
/// [`verbatim`] data.
pub fn text(label: impl Into<Label>, size: f32, color: Color) -> impl Bundle {
    (
        Localized(label.into()),
        // In rem, so the larger-text mode (`crate::accessibility`) scales every text at once.
        TextFont { font_size: FontSize::Rem(size / DESIGN_REM), ..default() },
        TextColor(color),
        TextLayout::justify(Justify::Center),
    )
}

/// The rem the design's pixel sizes are written against (Bevy's default `RemSize`): at it, a
/// text of size 34 is 34 design pixels.
pub const DESIGN_REM: f32 = 20.0;

/// Marks a [`sheet`], with the top it was designed at: the toolbar keeps every sheet's bottom
/// above its buttons, however many rows a language's labels need, and its top within reach.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Sheet(pub f32);

/// Where a sheet ends, from the bottom, while the toolbar's buttons fit in one row.
pub const SHEET_BOTTOM: f32 = 290.0;

/// A sheet over the middle of the mirror, between the banner area and the toolbar (the products
/// panel, the looks strip): `top` px from the top, its children in a column `gap` apart.
pub fn sheet(top: f32, gap: f32) -> impl Bundle {
    (
        Sheet(top),
        // Keys reach a sheet's controls before the toolbar's.
        TabGroup::new(0),
        Node {
            position_type: PositionType::Absolute,
            top: px(top),
            bottom: px(SHEET_BOTTOM),
            left: px(30),
            right: px(30),
            flex_direction: FlexDirection::Column,
            row_gap: px(gap),
            padding: UiRect::all(px(32)),
            border_radius: BorderRadius::all(px(36)),
            overflow: Overflow::clip(),
            ..default()
        },
        BackgroundColor(PANEL),
        GlobalZIndex(3),
    )
}

/// A touch button: at least `metrics.touch_target` on each side.
pub fn button(label: impl Into<Label>, metrics: &Metrics, background: Color) -> impl Bundle {
    sized_button(label, metrics, background, 34.0, 28.0)
}

/// A decorative glyph (a toolbar icon): screen readers and scripts read the words beside it.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Icon;

/// A toolbar button: its icon in the accent over the label, at the same minimum size with
/// tighter text, so six fit a row in every language.
pub fn toolbar_button(
    icon: &'static str,
    label: impl Into<Label>,
    metrics: &Metrics,
    background: Color,
) -> impl Bundle {
    (
        Button,
        Node {
            min_width: px(metrics.touch_target),
            min_height: px(metrics.touch_target),
            padding: UiRect::axes(px(18), px(10)),
            flex_direction: FlexDirection::Column,
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            border_radius: BorderRadius::all(px(28)),
            ..default()
        },
        BackgroundColor(background),
        children![
            (Icon, text(verbatim(icon), 40.0, accent()), Pickable::IGNORE),
            text(label, 28.0, super::contrast::ink_on(background)),
        ],
    )
}

/// The label takes the ink its background calls for ([`super::contrast::ink_on`]).
fn sized_button(label: impl Into<Label>, metrics: &Metrics, background: Color, font: f32, side: f32) -> impl Bundle {
    (
        Button,
        Node {
            min_width: px(metrics.touch_target),
            min_height: px(metrics.touch_target),
            padding: UiRect::axes(px(side), px(16)),
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            border_radius: BorderRadius::all(px(28)),
            ..default()
        },
        BackgroundColor(background),
        children![text(label, font, super::contrast::ink_on(background))],
    )
}

/// A dialog card: a rounded dark panel stacking its children in a centred column.
pub fn card() -> impl Bundle {
    (
        Node {
            flex_direction: FlexDirection::Column,
            align_items: AlignItems::Center,
            row_gap: px(30),
            padding: UiRect::all(px(60)),
            margin: UiRect::horizontal(px(60)),
            border_radius: BorderRadius::all(px(40)),
            ..default()
        },
        BackgroundColor(PANEL),
    )
}

/// A touch button that writes `message` when tapped.
pub fn message_button<M: Message + Copy>(
    commands: &mut Commands,
    label: impl Into<Label>,
    metrics: &Metrics,
    color: Color,
    message: M,
) -> Entity {
    commands
        .spawn(button(label, metrics, color))
        .observe(move |_: On<Pointer<Click>>, mut writer: MessageWriter<M>| {
            writer.write(message);
        })
        .id()
}

/// A sheet that offers a choice: its title, then a button per choice that writes the choice's
/// message (the current one in the accent), in rows that wrap and mirror for Arabic. Returns
/// the sheet; the caller adds what follows (a note, "Close").
pub fn choice_sheet<M: Message + Copy>(
    commands: &mut Commands,
    title: Phrase,
    choices: impl IntoIterator<Item = (Label, bool, M)>,
    metrics: &Metrics,
) -> Entity {
    let root = commands.spawn(sheet(350.0, 28.0)).id();
    let title = commands.spawn(text(title, 48.0, INK)).id();
    let row = commands
        .spawn((Node { flex_wrap: FlexWrap::Wrap, column_gap: px(24), row_gap: px(24), ..default() }, MirrorInRtl))
        .id();
    for (label, current, message) in choices {
        let button = message_button(commands, label, metrics, if current { accent() } else { BUTTON }, message);
        commands.entity(row).add_child(button);
    }
    commands.entity(root).add_children(&[title, row]);
    root
}

/// A full-screen root at z-order `z`.
pub fn screen(z: i32, background: Color) -> impl Bundle {
    (
        Node {
            position_type: PositionType::Absolute,
            width: percent(100),
            height: percent(100),
            flex_direction: FlexDirection::Column,
            align_items: AlignItems::Center,
            justify_content: JustifyContent::Center,
            row_gap: px(36),
            ..default()
        },
        BackgroundColor(background),
        GlobalZIndex(z),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touch_targets_are_never_below_the_configured_millimetres() {
        for (width_mm, target_mm) in [(535.0, 15.0), (535.0, 18.0), (1200.0, 15.0), (300.0, 25.0), (3000.0, 60.0)] {
            let display =
                DisplaySection { physical_width_mm: width_mm, touch_target_mm: target_mm, ..DisplaySection::default() };
            let metrics = Metrics::for_display(&display);
            for side in [metrics.touch_target, metrics.key] {
                let on_glass_mm = side / metrics.px_per_mm;
                assert!(on_glass_mm >= target_mm - 1e-3, "{width_mm} mm wide: {metrics:?}");
            }
        }
    }
}
