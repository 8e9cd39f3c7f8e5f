//! Share plugin: the shopper's live share, from consent to "Stop sharing".
//!
//! Share (toolbar) → consent screen (what happens, who can see, how to stop) → QR code of the
//! viewer link with the link as text → a LIVE badge with the viewer count, shown the whole time
//! anyone can watch → Stop sharing. Friends' reactions float up the mirror, their buy/skip votes
//! tally under the badge and their comments appear as bubbles that fade. The network side runs in
//! [`worker`], the drawing in [`screens`] and [`overlay`]; ending the session (button, timeout,
//! wipe) stops the share within a second.

pub mod friends_looks;
mod overlay;
mod screens;
mod video;
pub mod worker;

pub use screens::qr_image;

use bevy::prelude::*;
use camera::share_encoder::ShareFormat;
use protocol::{share::RelayToKiosk, telemetry::UsageEvent};

use crate::{
    camera::CameraFeed,
    session::PrivacyWipe,
    settings::Settings,
    telemetry::Usage,
    ui::{FeatureRequested, HandledFeatures, ShowToast, theme::t},
};
use worker::{ShareCommand, ShareEvent, ShareSettings, ShareWorker};

pub fn plugin(app: &mut App) {
    app.add_message::<ShareConsent>()
        .add_message::<StopSharing>()
        .add_message::<TakeHomeUploaded>()
        .init_resource::<SharePhase>()
        .init_resource::<ShareCounts>()
        .init_resource::<ShareAvailability>()
        .init_resource::<ShareTally>()
        .add_systems(Startup, start_worker)
        .add_systems(
            Update,
            (
                request_share,
                answer_consent,
                stop_on_wipe,
                stop_sharing,
                apply_worker_events,
                count_share_usage,
                screens::rebuild_share_ui.run_if(resource_changed::<SharePhase>),
                screens::update_counts.run_if(resource_changed::<ShareCounts>),
            )
                .chain(),
        )
        .add_plugins((overlay::plugin, friends_looks::plugin));
    app.world_mut().get_resource_or_init::<HandledFeatures>().0.insert("Share");
}

/// Where the share is.
#[derive(Resource, Debug, Clone, PartialEq, Eq, Default)]
pub enum SharePhase {
    #[default]
    Idle,
    Consent,
    Starting,
    Live {
        viewer_url: String,
    },
    /// Asked to stop; viewers may still be connected for a moment, so LIVE stays up.
    Stopping,
}

impl SharePhase {
    /// Whether anyone could be watching now (the LIVE badge must show).
    pub fn anyone_can_watch(&self) -> bool {
        matches!(self, SharePhase::Live { .. } | SharePhase::Stopping)
    }
}

/// Live numbers from the relay.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShareCounts {
    pub viewers: usize,
    pub buy: u32,
    pub skip: u32,
}

/// Whether the relay answers.
#[derive(Resource, Debug, Clone, PartialEq, Eq)]
pub struct ShareAvailability {
    pub available: bool,
    pub reason: Option<String>,
}

impl Default for ShareAvailability {
    fn default() -> Self {
        Self { available: false, reason: Some("connecting to the share relay".into()) }
    }
}

/// The shopper's answer on the consent screen.
#[derive(Message, Debug, Clone, Copy)]
pub struct ShareConsent(pub bool);

/// "Stop sharing".
#[derive(Message, Debug, Clone, Copy)]
pub struct StopSharing;

/// The relay stored a take-home bundle (its link, without the key), or why it did not.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct TakeHomeUploaded(pub Result<String, String>);

/// The worker, when sharing is enabled and the camera runs.
#[derive(Resource)]
pub struct ShareLink(pub ShareWorker);

fn start_worker(mut commands: Commands, settings: Res<Settings>, feed: Option<Res<CameraFeed>>) {
    if !settings.share.enabled {
        return;
    }
    let Some(feed) = feed else { return };
    let format = ShareFormat {
        long_edge: settings.share.long_edge,
        quality: settings.share.quality,
        mirror: settings.camera.mirror,
        aspect: (9.0, 16.0),
    };
    let share_settings = ShareSettings {
        section: settings.share.clone(),
        kiosk_id: settings.kiosk.id.clone(),
        format,
        theme: settings.theme.clone(),
    };
    match ShareWorker::spawn(share_settings, feed.shared.clone()) {
        Ok(worker) => commands.insert_resource(ShareLink(worker)),
        Err(e) => error!("cannot start the share worker: {e}"),
    }
}

fn request_share(
    mut requests: MessageReader<FeatureRequested>,
    mut phase: ResMut<SharePhase>,
    availability: Res<ShareAvailability>,
    link: Option<Res<ShareLink>>,
    mut toasts: MessageWriter<ShowToast>,
) {
    for _ in requests.read().filter(|r| r.0 == "Share") {
        if *phase != SharePhase::Idle {
            continue;
        }
        if link.is_none() {
            toasts.write(ShowToast(t("share-off")));
        } else if availability.available {
            *phase = SharePhase::Consent;
        } else {
            toasts.write(ShowToast(t("share-unavailable")));
        }
    }
}

fn answer_consent(
    mut answers: MessageReader<ShareConsent>,
    mut phase: ResMut<SharePhase>,
    link: Option<Res<ShareLink>>,
) {
    for ShareConsent(agreed) in answers.read() {
        if *phase != SharePhase::Consent {
            continue;
        }
        match (agreed, &link) {
            (true, Some(link)) => {
                link.0.send(ShareCommand::Start);
                *phase = SharePhase::Starting;
            }
            _ => *phase = SharePhase::Idle,
        }
    }
}

fn stop_sharing(mut stops: MessageReader<StopSharing>, mut phase: ResMut<SharePhase>, link: Option<Res<ShareLink>>) {
    if stops.read().count() == 0 {
        return;
    }
    match *phase {
        SharePhase::Starting | SharePhase::Live { .. } => {
            if let Some(link) = link {
                link.0.send(ShareCommand::Stop);
            }
            *phase = SharePhase::Stopping;
        }
        SharePhase::Consent => *phase = SharePhase::Idle,
        SharePhase::Idle | SharePhase::Stopping => {}
    }
}

/// The session ended: nothing it started may keep streaming.
fn stop_on_wipe(mut wipes: MessageReader<PrivacyWipe>, mut stops: MessageWriter<StopSharing>) {
    if wipes.read().count() > 0 {
        stops.write(StopSharing);
    }
}

#[allow(clippy::too_many_arguments)]
fn apply_worker_events(
    link: Option<Res<ShareLink>>,
    mut picks: MessageWriter<friends_looks::PicksChanged>,
    mut stored: MessageWriter<TakeHomeUploaded>,
    mut phase: ResMut<SharePhase>,
    mut counts: ResMut<ShareCounts>,
    mut availability: ResMut<ShareAvailability>,
    mut reactions: MessageWriter<overlay::FriendReaction>,
    mut toasts: MessageWriter<ShowToast>,
    mut usage: MessageWriter<Usage>,
) {
    let Some(link) = link else { return };
    for event in link.0.drain() {
        match event {
            ShareEvent::Availability { available, reason } => {
                if let Some(reason) = &reason {
                    warn!("sharing unavailable: {reason}");
                }
                if availability.available && !available {
                    usage.write(Usage(UsageEvent::Error { code: protocol::telemetry::ErrorCode::ShareUnavailable }));
                }
                *availability = ShareAvailability { available, reason };
            }
            ShareEvent::Live { viewer_url } => {
                if *phase == SharePhase::Starting {
                    *phase = SharePhase::Live { viewer_url };
                }
            }
            ShareEvent::Relay(RelayToKiosk::Viewers { count }) => counts.viewers = count,
            ShareEvent::Relay(RelayToKiosk::Tally { buy, skip }) => (counts.buy, counts.skip) = (buy, skip),
            ShareEvent::Relay(RelayToKiosk::Reaction { emoji }) => {
                reactions.write(overlay::FriendReaction::Reaction(emoji));
            }
            ShareEvent::Relay(RelayToKiosk::Comment { name, text }) => {
                reactions.write(overlay::FriendReaction::Comment { name, text });
            }
            ShareEvent::Relay(RelayToKiosk::Picks { looks }) => {
                picks.write(friends_looks::PicksChanged(looks));
            }
            // The worker turns the relay's end into `Stopped`.
            ShareEvent::Relay(RelayToKiosk::Ended { .. }) => {}
            ShareEvent::TakeHome(outcome) => {
                stored.write(TakeHomeUploaded(outcome));
            }
            ShareEvent::Stopped { reason } => {
                if reason != "stopped" && *phase != SharePhase::Stopping {
                    toasts.write(ShowToast(t("share-stopped").text("reason", reason.clone())));
                }
                info!("share stopped: {reason}");
                *phase = SharePhase::Idle;
                *counts = ShareCounts::default();
            }
        }
    }
}

/// Usage numbers of the share in progress.
#[derive(Resource, Debug, Default)]
struct ShareTally {
    live_since: Option<std::time::Instant>,
    peak_viewers: u32,
    reactions: u32,
    comments: u32,
}

/// Counts a share from the moment anyone can watch to the moment nobody can, and reports it.
fn count_share_usage(
    phase: Res<SharePhase>,
    counts: Res<ShareCounts>,
    mut friends: MessageReader<overlay::FriendReaction>,
    mut tally: ResMut<ShareTally>,
    mut usage: MessageWriter<Usage>,
) {
    match (tally.live_since, phase.anyone_can_watch()) {
        (None, true) => {
            *tally = ShareTally { live_since: Some(std::time::Instant::now()), ..ShareTally::default() };
            usage.write(Usage(UsageEvent::ShareStarted));
        }
        (Some(since), false) => {
            let duration_ms = since.elapsed().as_millis().min(u128::from(u64::MAX)) as u64;
            let ShareTally { peak_viewers, reactions, comments, .. } = *tally;
            usage.write(Usage(UsageEvent::ShareEnded { duration_ms, peak_viewers, reactions, comments }));
            *tally = ShareTally::default();
        }
        _ => {}
    }
    if tally.live_since.is_none() {
        friends.clear();
        return;
    }
    tally.peak_viewers = tally.peak_viewers.max(counts.viewers.min(u32::MAX as usize) as u32);
    for friend in friends.read() {
        match friend {
            overlay::FriendReaction::Reaction(_) => tally.reactions += 1,
            overlay::FriendReaction::Comment { .. } => tally.comments += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use bevy::state::app::StatesPlugin;
    use protocol::config::KioskConfig;

    use super::{
        screens::{LiveBadgeText, live_label, tally_label},
        *,
    };

    #[test]
    fn the_qr_texture_decodes_to_the_link() {
        let url = "http://192.168.1.20:8090/v/0123456789abcdef0123456789abcdef";
        let Some(image) = qr_image(url, 4) else { panic!("no QR image") };
        let (w, h) = (image.width(), image.height());
        let luma: Vec<u8> = image.data.unwrap_or_default().chunks_exact(4).map(|p| p[0]).collect();
        let Some(gray) = ::image::GrayImage::from_raw(w, h, luma) else { panic!("bad QR buffer") };
        let mut prepared = rqrr::PreparedImage::prepare(gray);
        let decoded: Vec<String> =
            prepared.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|d| d.1)).collect();
        assert_eq!(decoded, [url]);
    }

    #[test]
    fn the_badge_counts_viewers_and_says_when_stopping() {
        let strings = i18n::Strings::load().unwrap_or_else(|e| panic!("{e}"));
        let en = |label: crate::i18n::Localized| label.0.resolve(&strings, i18n::Language::En);
        let counts = ShareCounts { viewers: 3, buy: 2, skip: 1 };
        assert_eq!(en(live_label(&counts, &SharePhase::Live { viewer_url: String::new() })), "● LIVE · 3 watching");
        assert_eq!(en(live_label(&counts, &SharePhase::Stopping)), "● LIVE · stopping…");
        assert_eq!(en(tally_label(&counts)), "Buy it 2 · Skip it 1");
        assert_eq!(en(tally_label(&ShareCounts::default())), "");
        assert!(SharePhase::Stopping.anyone_can_watch() && !SharePhase::Consent.anyone_can_watch());
    }

    fn app() -> App {
        let mut config = KioskConfig::default();
        config.share.enabled = false; // no worker: this drives the phase logic alone
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, StatesPlugin, AssetPlugin::default(), ImagePlugin::default()))
            .insert_resource(Settings::new(config))
            .insert_resource(crate::ui::theme::Metrics::for_display(&protocol::config::DisplaySection::default()))
            .add_message::<FeatureRequested>()
            .add_message::<ShowToast>()
            .add_message::<PrivacyWipe>()
            .add_message::<Usage>()
            .add_plugins((crate::i18n::plugin, plugin));
        app.update();
        app
    }

    #[test]
    fn ending_the_session_stops_a_live_share_and_keeps_live_up_until_it_stopped() {
        let mut app = app();
        *app.world_mut().resource_mut::<SharePhase>() = SharePhase::Live { viewer_url: "http://x/v/t".into() };
        app.update();
        let badges = app.world_mut().query_filtered::<&Text, With<LiveBadgeText>>().iter(app.world()).count();
        assert_eq!(badges, 1, "LIVE badge while live");
        app.world_mut().write_message(PrivacyWipe);
        app.update();
        assert_eq!(*app.world().resource::<SharePhase>(), SharePhase::Stopping);
        let labels: Vec<String> = app
            .world_mut()
            .query_filtered::<&Text, With<LiveBadgeText>>()
            .iter(app.world())
            .map(|t| t.0.clone())
            .collect();
        assert_eq!(labels, ["● LIVE · stopping…"], "viewers may still be connected: LIVE stays up");
    }

    #[test]
    fn without_a_worker_share_says_so_and_consent_is_never_shown() {
        let mut app = app();
        app.world_mut().write_message(FeatureRequested("Share"));
        app.update();
        assert_eq!(*app.world().resource::<SharePhase>(), SharePhase::Idle);
        let toasts = app.world().resource::<Messages<ShowToast>>();
        let said: Vec<&str> = toasts.get_cursor().read(toasts).map(|t| t.0.id).collect();
        assert_eq!(said, ["share-off"]);
    }
}
