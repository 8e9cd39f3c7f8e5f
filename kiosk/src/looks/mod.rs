//! Looks plugin: the shopper's stills of each outfit. "Take a look" runs a visible 3-2-1
//! countdown (`looks.countdown_s`, so they can step back), then a flash, and the look joins this
//! session's strip: the mirrored portrait crop at the camera's resolution, labelled with the items
//! identified in the room at that moment ("Oxford shirt · Slim chinos"). At most
//! `looks.max_looks`; any can be deleted.
//!
//! Privacy: the camera copies a frame for a look only between the end of a countdown and the
//! picture taken (`CameraShared::looks_tap`); looks live in memory only, never on disk, and every
//! session end drops them all ([`PrivacyWipe`]).
//!
//! Compare: the shopper ticks two looks (four on a large screen) and sees them side by side at
//! full height, each with its items; tapping one shows it big.
//!
//! Twirl and "See your back" (the mirror in motion) are in [`motion`]. While sharing, each look
//! has "Show friends": only then does its picture leave the kiosk, to this share's viewers
//! (`crate::share::friends_looks`), and friends' picks show beside it.
//!
//! Owns [`Looks`], [`LooksPanel`], [`Capture`]; reads `InRoom`/`Shelf` for the labels; writes
//! `Usage` (`look_captured`, `looks_compared`) and `ShowToast`. The strip, the countdown and the
//! flash are drawn by [`strip`], the comparison by [`compare`].

mod compare;
pub mod motion;
mod motion_view;
mod strip;

pub use strip::LookPicture;

use std::time::Duration;

use bevy::{
    asset::RenderAssetUsages,
    prelude::*,
    render::render_resource::{Extent3d, TextureDimension, TextureFormat},
    window::PrimaryWindow,
};
use camera::{
    Frame,
    crop::mirrored_crop,
    share_encoder::{ShareEncoder, ShareFormat},
};
use motion::{Clips, Motion, Playhead};
use protocol::{
    catalog::Product,
    share::LookItem,
    telemetry::{LookKind, UsageEvent},
};

use crate::{
    camera::CameraFeed,
    i18n::Say,
    products::{InRoom, Shelf},
    session::PrivacyWipe,
    settings::Settings,
    share::friends_looks::HideFromFriends,
    telemetry::Usage,
    ui::{FeatureRequested, HandledFeatures, ShowToast, theme::t},
};

const FEATURE: &str = "Looks";
/// How long the camera may take to deliver the picture once the countdown ended.
const PICTURE_TIMEOUT: Duration = Duration::from_secs(2);

pub fn plugin(app: &mut App) {
    app.world_mut().get_resource_or_init::<HandledFeatures>().0.insert(FEATURE);
    app.init_resource::<Looks>()
        .init_resource::<LooksPanel>()
        .init_resource::<Capture>()
        .add_message::<TakeLook>()
        .add_message::<DeleteLook>()
        .add_message::<LooksAction>()
        .add_message::<HideFromFriends>()
        .add_systems(
            Update,
            (open_on_request, start_countdown, run_countdown, take_picture, delete_looks, compare_looks, wipe_looks)
                .chain(),
        )
        .add_plugins((strip::plugin, motion::plugin, motion_view::plugin));
}

/// One look: the picture and what was worn.
#[derive(Debug, Clone)]
pub struct Look {
    pub id: u64,
    pub image: Handle<Image>,
    /// The items identified in the room when it was taken, newest first ("" when none).
    pub label: String,
    /// Those items with their prices, for friends' cards.
    pub items: Vec<LookItem>,
    /// The picture at the share's size, for friends (sent only if the shopper shows it).
    pub card: Vec<u8>,
    /// The camera frame it was taken from.
    pub frame_seq: u64,
    pub size: UVec2,
}

/// This session's looks, oldest first.
#[derive(Resource, Debug, Default)]
pub struct Looks {
    pub taken: Vec<Look>,
    next_id: u64,
}

/// Whether the strip is on screen, and what it shows.
#[derive(Resource, Debug, Default, PartialEq, Eq)]
pub struct LooksPanel {
    pub open: bool,
    /// Looks ticked for comparing, in the order they were ticked.
    pub ticked: Vec<u64>,
    pub view: LooksView,
}

/// The strip, the ticked looks side by side, or one of them big.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum LooksView {
    #[default]
    Strip,
    SideBySide,
    Big(u64),
}

/// What the shopper did in the strip or the comparison.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LooksAction {
    /// Tick or untick a look for comparing.
    Tick(u64),
    /// "Compare": the ticked looks side by side.
    Compare,
    /// Tap on one look in the comparison.
    ShowBig(u64),
    /// "Back" to the strip.
    Back,
}

/// How many looks fit side by side: four on a screen at least this wide, else two.
const WIDE_SCREEN_MM: f32 = 500.0;

/// Looks that may be compared at once on this display.
pub fn compare_at_most(settings: &Settings) -> usize {
    if settings.display.physical_width_mm >= WIDE_SCREEN_MM { 4 } else { 2 }
}

/// Where taking a look is.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub enum Capture {
    #[default]
    Idle,
    /// "3-2-1": the time left; a twirl records when it ends, else a still is taken.
    Counting { left: Duration, twirl: bool },
    /// The countdown ended; the camera's next frame becomes the look.
    Waiting { waited: Duration },
}

impl Capture {
    /// The number the countdown shows (3, 2, 1), if counting.
    pub fn shown_number(&self) -> Option<u32> {
        match self {
            Capture::Counting { left, .. } => Some(left.as_secs_f32().ceil().max(1.0) as u32),
            _ => None,
        }
    }
}

/// "Take a look" was pressed.
#[derive(Message, Debug, Clone, Copy)]
pub struct TakeLook;

/// "Delete" on the look with this id.
#[derive(Message, Debug, Clone, Copy)]
pub struct DeleteLook(pub u64);

/// "Looks" on the toolbar opens the strip (in place of the products panel).
fn open_on_request(
    mut requests: MessageReader<FeatureRequested>,
    mut panel: ResMut<LooksPanel>,
    products: Option<ResMut<crate::products::Panel>>,
) {
    let requests: Vec<FeatureRequested> = requests.read().copied().collect();
    if requests.iter().any(|r| r.opens_another_sheet(FEATURE)) && panel.open {
        panel.open = false;
    }
    if requests.iter().any(|r| r.0 == FEATURE) {
        panel.open = true;
        if let Some(mut products) = products {
            products.open = false;
        }
    }
}

fn start_countdown(
    mut takes: MessageReader<TakeLook>,
    looks: Res<Looks>,
    settings: Res<Settings>,
    mut capture: ResMut<Capture>,
    mut toasts: MessageWriter<ShowToast>,
) {
    if takes.read().count() == 0 || *capture != Capture::Idle {
        return;
    }
    let max = settings.looks.max_looks as usize;
    if looks.taken.len() >= max {
        toasts.write(ShowToast(t("looks-full-toast").count("max", max)));
        return;
    }
    *capture = Capture::Counting { left: Duration::from_secs(u64::from(settings.looks.countdown_s)), twirl: false };
}

fn run_countdown(
    time: Res<Time>,
    mut capture: ResMut<Capture>,
    feed: Option<Res<CameraFeed>>,
    mut motion: (ResMut<Motion>, ResMut<Clips>, ResMut<Playhead>),
) {
    let Capture::Counting { left, twirl } = *capture else { return };
    let left = left.saturating_sub(time.delta());
    if !left.is_zero() {
        *capture = Capture::Counting { left, twirl };
        return;
    }
    if twirl {
        motion::start_recording(&mut motion.0, &mut motion.1, &mut motion.2, feed.as_deref());
        *capture = Capture::Idle;
        return;
    }
    // Only now does the camera copy a frame for a look: the next one it delivers.
    if let Some(feed) = feed {
        feed.shared.looks_tap.open(30);
    }
    *capture = Capture::Waiting { waited: Duration::ZERO };
}

#[allow(clippy::too_many_arguments)]
fn take_picture(
    time: Res<Time>,
    feed: Option<Res<CameraFeed>>,
    settings: Res<Settings>,
    windows: Query<&Window, With<PrimaryWindow>>,
    room: Option<Res<InRoom>>,
    shelf: Option<Res<Shelf>>,
    mut capture: ResMut<Capture>,
    mut looks: ResMut<Looks>,
    mut images: ResMut<Assets<Image>>,
    mut usage: MessageWriter<Usage>,
    mut toasts: MessageWriter<ShowToast>,
    motion_has_twirl: Res<Motion>,
    say: Say,
) {
    let Capture::Waiting { waited } = *capture else { return };
    let frame = feed.as_ref().and_then(|f| f.shared.looks_tap.take());
    let Some(frame) = frame else {
        let waited = waited + time.delta();
        if waited < PICTURE_TIMEOUT && feed.is_some() {
            *capture = Capture::Waiting { waited };
        } else {
            close_tap(feed.as_deref());
            *capture = Capture::Idle;
            toasts.write(ShowToast(t("looks-no-picture")));
        }
        return;
    };
    close_tap(feed.as_deref());
    *capture = Capture::Idle;
    // The screen's shape (portrait on the kiosk), as the mirror shows it.
    let (screen_w, screen_h) = windows.single().map_or((9.0, 16.0), |w| (w.width(), w.height()));
    let (width, height, rgba) = mirrored_crop(&frame, screen_w, screen_h, settings.camera.mirror);
    let size = UVec2::new(width, height);
    let (card, rgba) = card_picture(frame.seq, size, rgba, &settings);
    let image = Image::new(
        Extent3d { width: size.x, height: size.y, depth_or_array_layers: 1 },
        TextureDimension::D2,
        rgba,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD,
    );
    let items = items_of(room.as_deref(), shelf.as_deref(), |p| say.price(p.price_minor, &p.currency));
    let label = items.iter().take(3).map(|i| i.name.as_str()).collect::<Vec<_>>().join(" · ");
    looks.next_id += 1;
    let look = Look { id: looks.next_id, image: images.add(image), label, items, card, frame_seq: frame.seq, size };
    info!("looks: took look {} from frame {} ({}x{}): {:?}", look.id, look.frame_seq, size.x, size.y, look.label);
    looks.taken.push(look);
    let looks_in_session = looks.taken.len() as u32 + u32::from(motion_has_twirl.has_twirl);
    usage.write(Usage(UsageEvent::LookCaptured { looks_in_session, kind: LookKind::Still }));
}

/// The look's picture at the share's size as a JPEG (for friends, only if the shopper shows
/// it); hands the RGBA back. Empty if it could not be encoded.
fn card_picture(seq: u64, size: UVec2, rgba: Vec<u8>, settings: &Settings) -> (Vec<u8>, Vec<u8>) {
    let format = ShareFormat {
        long_edge: settings.share.long_edge,
        quality: settings.share.quality,
        mirror: false,
        aspect: (size.x as f32, size.y as f32),
    };
    let frame = Frame { seq, captured_at: std::time::Instant::now(), width: size.x, height: size.y, rgba };
    let card = ShareEncoder::new(format).encode(&frame).unwrap_or_else(|e| {
        warn!("looks: no picture for friends: {e}");
        Vec::new()
    });
    (card, frame.rgba)
}

fn close_tap(feed: Option<&CameraFeed>) {
    if let Some(feed) = feed {
        feed.shared.looks_tap.close();
    }
}

/// The products in the room, newest first, each once, with their prices ("Oxford shirt",
/// "€49.00", in the shopper's language); at most as many as a friend's card lists.
fn items_of(room: Option<&InRoom>, shelf: Option<&Shelf>, price: impl Fn(&Product) -> String) -> Vec<LookItem> {
    let (Some(room), Some(shelf)) = (room, shelf) else { return Vec::new() };
    let mut items: Vec<LookItem> = Vec::new();
    for product in room.0.iter().filter_map(|item| shelf.0.catalog.product(&item.product)) {
        if !items.iter().any(|i| i.name == product.name) && items.len() < protocol::share::MAX_LOOK_ITEMS {
            items.push(LookItem { name: product.name.clone(), price: price(product) });
        }
    }
    items
}

fn delete_looks(
    mut deletes: MessageReader<DeleteLook>,
    mut looks: ResMut<Looks>,
    mut panel: ResMut<LooksPanel>,
    mut images: ResMut<Assets<Image>>,
    mut hides: MessageWriter<HideFromFriends>,
) {
    for DeleteLook(id) in deletes.read() {
        if let Some(at) = looks.taken.iter().position(|l| l.id == *id) {
            let look = looks.taken.remove(at);
            images.remove(&look.image);
            panel.ticked.retain(|t| t != id);
            hides.write(HideFromFriends(*id));
        }
    }
}

fn compare_looks(
    mut actions: MessageReader<LooksAction>,
    looks: Res<Looks>,
    settings: Res<Settings>,
    mut panel: ResMut<LooksPanel>,
    mut usage: MessageWriter<Usage>,
    mut toasts: MessageWriter<ShowToast>,
) {
    let most = compare_at_most(&settings);
    for action in actions.read() {
        match *action {
            LooksAction::Tick(id) if panel.ticked.contains(&id) => panel.ticked.retain(|t| *t != id),
            LooksAction::Tick(id) if looks.taken.iter().any(|l| l.id == id) => {
                if panel.ticked.len() >= most {
                    toasts.write(ShowToast(t("looks-compare-limit").count("most", most)));
                } else {
                    panel.ticked.push(id);
                }
            }
            LooksAction::Tick(_) => {}
            LooksAction::Compare if panel.ticked.len() >= 2 => {
                panel.view = LooksView::SideBySide;
                usage.write(Usage(UsageEvent::LooksCompared { looks: panel.ticked.len() as u32 }));
            }
            LooksAction::Compare => {}
            LooksAction::ShowBig(id) => panel.view = LooksView::Big(id),
            LooksAction::Back if matches!(panel.view, LooksView::Big(_)) => panel.view = LooksView::SideBySide,
            LooksAction::Back => panel.view = LooksView::Strip,
        }
    }
}

/// Every session end drops every look, stops a countdown and closes the camera's copy.
fn wipe_looks(
    mut wipes: MessageReader<PrivacyWipe>,
    feed: Option<Res<CameraFeed>>,
    mut looks: ResMut<Looks>,
    mut capture: ResMut<Capture>,
    mut panel: ResMut<LooksPanel>,
    mut images: ResMut<Assets<Image>>,
) {
    if wipes.read().count() == 0 {
        return;
    }
    for look in looks.taken.drain(..) {
        images.remove(&look.image);
    }
    close_tap(feed.as_deref());
    *capture = Capture::Idle;
    *panel = LooksPanel::default();
}

#[cfg(test)]
mod motion_tests;
#[cfg(test)]
mod tests;
