//! Asking an associate for another size or colour. The shopper confirms on the panel
//! ([`AskForSize`]); the request goes to the store's staff topic through the outbox (it survives
//! broker outages and restarts); the associate's acceptance ("Anna is bringing it") and hand-over
//! come back as staff replies. A banner at the top of the mirror says where the newest request
//! stands; nobody accepting within `requests.reminder_minutes` sends the staff a reminder. Ending
//! the session withdraws every open request.
//!
//! The ids of open requests (nothing else) are kept in `open-requests.json` in the data
//! directory, written on every change. A kiosk that starts and finds the file (the previous
//! process crashed, was killed or lost power mid-session) withdraws those requests, so no
//! associate walks to an empty fitting room.

use std::{
    io::Write,
    path::{Path, PathBuf},
    time::Duration,
};

use bevy::prelude::*;
use protocol::{
    requests::{LeftOpen, ReplyEffect, RequestBook, RequestState},
    telemetry::{Ident, UsageEvent, now_ms},
};

use super::Shelf;
use crate::{
    session::PrivacyWipe,
    settings::Settings,
    telemetry::{ClearStaffReply, StaffReplyReceived, ToStaffMessage, Usage},
    ui::{
        ShowToast,
        theme::{BUTTON, GOOD, INK, Metrics, PANEL, TOP_MARGIN, button, t, text},
    },
};

pub fn plugin(app: &mut App) {
    app.init_resource::<Requests>()
        .add_message::<AskForSize>()
        .add_message::<CancelRequest>()
        .add_systems(Startup, withdraw_left_open)
        .add_systems(
            Update,
            (
                open_requests,
                cancel_requests,
                apply_replies,
                send_reminders,
                withdraw_on_wipe,
                (show_banner, save_left_open).run_if(resource_changed::<Requests>),
            )
                .chain(),
        );
}

/// The shopper confirmed: please bring this variant.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct AskForSize {
    pub sku: Ident,
}

/// The shopper withdrew a request.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct CancelRequest(pub Ident);

/// This session's requests.
#[derive(Resource, Default)]
pub struct Requests {
    pub book: RequestBook,
}

#[derive(Component)]
struct Banner;

fn remind_after_ms(settings: &Settings) -> u64 {
    Duration::from_secs_f32(settings.requests.reminder_minutes * 60.0).as_millis() as u64
}

fn open_requests(
    mut asks: MessageReader<AskForSize>,
    settings: Res<Settings>,
    shelf: Option<Res<Shelf>>,
    mut requests: ResMut<Requests>,
    mut outgoing: MessageWriter<ToStaffMessage>,
    mut usage: MessageWriter<Usage>,
    mut toasts: MessageWriter<ShowToast>,
) {
    for AskForSize { sku } in asks.read() {
        let Some((product, variant)) = shelf.as_ref().and_then(|s| s.0.catalog.by_sku(sku)) else { continue };
        let Ok(kiosk) = Ident::new(&settings.kiosk.id) else { continue };
        if variant.stock_in(&settings.kiosk.store) == 0 {
            toasts.write(ShowToast(t("request-sold-out").text("product", &product.name).text("size", &variant.size)));
            continue;
        }
        let opened = requests.book.open(
            &kiosk,
            &settings.kiosk.room,
            sku,
            &product.name,
            &variant.size,
            &variant.colour,
            now_ms(),
            remind_after_ms(&settings),
        );
        let message = match opened {
            Ok(message) => message,
            Err(e) => {
                error!("products: size request for {sku} not sent: the staff side would refuse it ({e})");
                toasts.write(ShowToast(t("request-failed")));
                continue;
            }
        };
        if let protocol::requests::ToStaff::Opened { request, .. } = &message {
            usage.write(Usage(UsageEvent::SizeRequested { request: request.id.clone(), sku: sku.clone() }));
        }
        outgoing.write(ToStaffMessage(message));
        if settings.telemetry.broker_url.is_empty() {
            warn!("products: no broker configured (telemetry.broker_url): no associate receives size requests");
            toasts.write(ShowToast(t("request-offline")));
        } else {
            toasts.write(ShowToast(t("request-sent").text("product", &product.name).text("size", &variant.size)));
        }
    }
}

fn cancel_requests(
    mut cancels: MessageReader<CancelRequest>,
    mut requests: ResMut<Requests>,
    mut outgoing: MessageWriter<ToStaffMessage>,
) {
    for CancelRequest(id) in cancels.read() {
        if let Some(message) = requests.book.cancel(id, now_ms()) {
            outgoing.write(ToStaffMessage(message));
        }
    }
}

fn apply_replies(
    mut replies: MessageReader<StaffReplyReceived>,
    mut requests: ResMut<Requests>,
    mut clears: MessageWriter<ClearStaffReply>,
    mut usage: MessageWriter<Usage>,
    mut toasts: MessageWriter<ShowToast>,
) {
    for StaffReplyReceived { reply, topic } in replies.read() {
        match requests.book.on_reply(reply, now_ms()) {
            ReplyEffect::Accepted { by, .. } => {
                info!("products: request {} accepted by {by}", reply.id());
                toasts.write(ShowToast(t("request-on-its-way").text("associate", by.clone())));
            }
            ReplyEffect::Fulfilled { id, sku, wait_ms } => {
                info!("products: request {id} fulfilled after {:.0} s", wait_ms as f64 / 1000.0);
                usage.write(Usage(UsageEvent::SizeRequestFulfilled { request: id, sku, wait_ms }));
                clears.write(ClearStaffReply(topic.clone()));
            }
            ReplyEffect::Repeat => {}
            ReplyEffect::Unknown => {
                debug!("products: reply to an earlier request {} cleared", reply.id());
                clears.write(ClearStaffReply(topic.clone()));
            }
        }
    }
}

fn send_reminders(
    time: Res<Time<Real>>,
    mut next_check: Local<Duration>,
    settings: Res<Settings>,
    mut requests: ResMut<Requests>,
    mut outgoing: MessageWriter<ToStaffMessage>,
) {
    if time.elapsed() < *next_check || requests.book.open_requests().is_empty() {
        return;
    }
    *next_check = time.elapsed() + Duration::from_secs(1);
    for reminder in requests.book.due_reminders(now_ms(), remind_after_ms(&settings)) {
        info!("products: nobody accepted a request in time; reminding the staff");
        outgoing.write(ToStaffMessage(reminder));
    }
}

fn withdraw_on_wipe(
    mut wipes: MessageReader<PrivacyWipe>,
    mut requests: ResMut<Requests>,
    mut outgoing: MessageWriter<ToStaffMessage>,
) {
    if wipes.read().count() == 0 {
        return;
    }
    for message in requests.book.cancel_all(now_ms()) {
        outgoing.write(ToStaffMessage(message));
    }
}

fn left_open_path(settings: &Settings) -> PathBuf {
    crate::telemetry::data_dir(&settings.telemetry).join("open-requests.json")
}

/// Withdraws the requests a previous process left open, then forgets them.
fn withdraw_left_open(settings: Res<Settings>, mut outgoing: MessageWriter<ToStaffMessage>) {
    let path = left_open_path(&settings);
    let saved = match std::fs::read(&path) {
        Ok(saved) => saved,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => return error!("products: cannot read {}: {e}", path.display()),
    };
    match LeftOpen::parse(&saved) {
        Ok(left) => {
            let withdrawals = left.withdrawals(now_ms());
            info!("products: withdrawing {} size request(s) the previous run left open", withdrawals.len());
            outgoing.write_batch(withdrawals.into_iter().map(ToStaffMessage));
        }
        Err(e) => warn!("products: {} ignored: {e}", path.display()),
    }
    if let Err(e) = std::fs::remove_file(&path) {
        warn!("products: cannot remove {}: {e}", path.display());
    }
}

/// Keeps the open requests' ids on disk (atomically: a crash leaves the old or the new list).
fn save_left_open(settings: Res<Settings>, requests: Res<Requests>) {
    let path = left_open_path(&settings);
    let result = if requests.book.open_requests().is_empty() {
        std::fs::remove_file(&path).or_else(|e| if e.kind() == std::io::ErrorKind::NotFound { Ok(()) } else { Err(e) })
    } else {
        write_atomically(&path, &serde_json::to_vec(&requests.book.left_open()).unwrap_or_default())
    };
    if let Err(e) = result {
        error!("products: cannot save the open requests to {}: {e}", path.display());
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temporary = path.with_extension("json.tmp");
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}

/// The newest request's state, at the top of the mirror beside "End session".
fn show_banner(
    mut commands: Commands,
    requests: Res<Requests>,
    metrics: Res<Metrics>,
    existing: Query<Entity, With<Banner>>,
) {
    for entity in &existing {
        commands.entity(entity).despawn();
    }
    let Some(newest) = requests.book.open_requests().last() else { return };
    let r = &newest.request;
    let item = |id| t(id).text("product", &r.product).text("size", &r.size).text("colour", &r.colour);
    let (line, background) = match &newest.state {
        RequestState::Accepted { by } => (item("request-banner-accepted").text("associate", by.clone()), GOOD),
        RequestState::Waiting { reminded: 0 } => (item("request-banner-waiting"), PANEL),
        RequestState::Waiting { .. } => (item("request-banner-reminded"), PANEL),
    };
    let banner = commands
        .spawn((
            Name::new("Request banner"),
            bevy::input_focus::tab_navigation::TabGroup::new(0),
            Banner,
            Node {
                position_type: PositionType::Absolute,
                // Beside "End session"; under it the LIVE badge, when sharing.
                // At the top of the screen, or as high as the shopper can reach.
                top: px(metrics.reach_top().max(TOP_MARGIN)),
                left: px(40),
                right: px(370),
                min_height: px(132),
                padding: UiRect::axes(px(32), px(18)),
                column_gap: px(24),
                align_items: AlignItems::Center,
                justify_content: JustifyContent::SpaceBetween,
                border_radius: BorderRadius::all(px(28)),
                ..default()
            },
            BackgroundColor(background),
            GlobalZIndex(4),
            children![text(line, 32.0, INK)],
        ))
        .id();
    if matches!(newest.state, RequestState::Waiting { .. }) {
        let id = r.id.clone();
        let cancel = commands
            .spawn(button(t("cancel"), &metrics, BUTTON))
            .observe(move |_: On<Pointer<Click>>, mut cancels: MessageWriter<CancelRequest>| {
                cancels.write(CancelRequest(id.clone()));
            })
            .id();
        commands.entity(banner).add_child(cancel);
    }
}
