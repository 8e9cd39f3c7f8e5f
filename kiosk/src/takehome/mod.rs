//! Take it home plugin: the fitting room on the shopper's own phone. "Take it home" on the toolbar
//! shows what would be sent — every item identified in the room with its size, colour and fit
//! verdict; looks only if the shopper ticks them (off by default) — and how long the link works
//! (`takehome.expiry_h`), with "Make my link" and "Not now" side by side. The bundle is sealed on
//! this kiosk (`takehome` crate) with a fresh key that stays here and in the QR code's fragment;
//! the share worker uploads only the ciphertext to the relay. The QR code carries the link.
//!
//! The first press of "End session" with items in the room offers it once more ([`offer`]). A
//! session end closes the sheet and forgets the key; the link itself stays until it expires or
//! the shopper deletes it on the phone (that is its point). Writes `take_home_sent` (counts and
//! expiry only).
//!
//! Owns [`TakeHome`]; reads `InRoom`, `Shelf`, `FitVerdicts`, `Looks`; the sheet is in [`view`].

mod offer;
mod view;

use base64::prelude::{BASE64_STANDARD, Engine as _};
use bevy::prelude::*;
use protocol::telemetry::{UsageEvent, now_ms};
use takehome::{Bundle, Item, Look};

use crate::{
    i18n::Say,
    looks::Looks,
    products::{
        InRoom, Shelf,
        fit::{FitVerdicts, verdict_phrase},
        picture_path,
    },
    session::PrivacyWipe,
    settings::Settings,
    share::{ShareLink, TakeHomeUploaded, worker::ShareCommand},
    telemetry::Usage,
    ui::{EndSessionPressed, FeatureRequested, HandledFeatures, ShowToast, theme::t},
};

pub const FEATURE: &str = "Take it home";

pub fn plugin(app: &mut App) {
    app.world_mut().get_resource_or_init::<HandledFeatures>().0.insert(FEATURE);
    app.init_resource::<TakeHome>()
        .init_resource::<offer::Offered>()
        .add_message::<TakeHomeAction>()
        .add_message::<TakeHomeUploaded>()
        .add_message::<offer::EndNow>()
        .add_message::<EndSessionPressed>()
        .add_systems(
            Update,
            (
                offer::offer_before_ending,
                offer::end_now,
                open_on_request,
                act,
                receive_link,
                close_on_wipe,
                offer::reset_on_wipe,
            )
                .chain(),
        )
        .add_plugins(view::plugin);
}

/// Where the shopper is with taking it home.
#[derive(Resource, Debug, Default, Clone, PartialEq, Eq)]
pub enum TakeHome {
    #[default]
    Closed,
    /// "Before you go": offered on the first press of "End session".
    BeforeYouGo,
    /// What would be sent; the looks ticked to go with it.
    Preview {
        looks: Vec<u64>,
    },
    /// Sealed and on its way; the link's fragment (the key) waits here.
    Sending {
        fragment: String,
    },
    /// The link, key included, for the QR code.
    Ready {
        link: String,
        expires_at_ms: u64,
    },
    Failed {
        reason: String,
    },
}

/// What the shopper did on the sheet.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakeHomeAction {
    /// "Take it home" on the offer before ending.
    Open,
    ToggleLook(u64),
    /// "Make my link".
    Send,
    /// "Not now", "Done", "Close".
    Close,
}

/// "Take it home" on the toolbar opens the sheet (the other sheets close themselves); another
/// sheet asked for closes it, unless the link is being made.
fn open_on_request(
    mut requests: MessageReader<FeatureRequested>,
    link: Option<Res<ShareLink>>,
    settings: Res<Settings>,
    mut take_home: ResMut<TakeHome>,
    mut toasts: MessageWriter<ShowToast>,
) {
    let requests: Vec<FeatureRequested> = requests.read().copied().collect();
    let closable = !matches!(*take_home, TakeHome::Closed | TakeHome::Sending { .. });
    if closable && requests.iter().any(|r| r.opens_another_sheet(FEATURE)) {
        *take_home = TakeHome::Closed;
    }
    if !requests.iter().any(|r| r.0 == FEATURE) {
        return;
    }
    if !settings.takehome.enabled || link.is_none() {
        toasts.write(ShowToast(t("takehome-off")));
        return;
    }
    *take_home = TakeHome::Preview { looks: Vec::new() };
}

/// The bundle for what is in the room now, with the ticked looks.
pub fn bundle_of(
    room: &InRoom,
    shelf: Option<&Shelf>,
    verdicts: &FitVerdicts,
    looks: &Looks,
    ticked: &[u64],
    settings: &Settings,
    say: &Say,
) -> Bundle {
    let now = now_ms();
    let expires_at_ms = now + u64::from(settings.takehome.expiry_h) * 3_600_000;
    let mut items = Vec::new();
    if let Some(shelf) = shelf {
        let catalog = &shelf.0.catalog;
        for item in &room.0 {
            let Some((product, variant)) = catalog.by_sku(&item.sku) else { continue };
            let picture = picture_path(shelf, product, &variant.colour).and_then(|p| std::fs::read(p).ok());
            items.push(Item {
                name: product.name.clone(),
                brand: product.brand.clone(),
                size: variant.size.clone(),
                colour: variant.colour.clone(),
                price: say.price(product.price_minor, &product.currency),
                fit: verdicts.0.get(&variant.sku).map(|v| say.phrase(&verdict_phrase(*v))),
                in_store: variant.stock_in(&settings.kiosk.store),
                buy_url: catalog.online_url(product, variant),
                picture_base64: picture.map(|bytes| BASE64_STANDARD.encode(bytes)),
            });
        }
    }
    let looks = looks
        .taken
        .iter()
        .filter(|look| ticked.contains(&look.id) && !look.card.is_empty())
        .map(|look| Look { label: look.label.clone(), jpeg_base64: BASE64_STANDARD.encode(&look.card) })
        .collect();
    let store =
        if settings.kiosk.brand.is_empty() { settings.kiosk.store.clone() } else { settings.kiosk.brand.clone() };
    Bundle { v: 1, store, created_at_ms: now, expires_at_ms, items, looks }
}

#[allow(clippy::too_many_arguments)]
fn act(
    mut actions: MessageReader<TakeHomeAction>,
    mut take_home: ResMut<TakeHome>,
    link: Option<Res<ShareLink>>,
    settings: Res<Settings>,
    room: Res<InRoom>,
    shelf: Option<Res<Shelf>>,
    verdicts: Res<FitVerdicts>,
    looks: Res<Looks>,
    mut usage: MessageWriter<Usage>,
    say: Say,
) {
    for action in actions.read() {
        match (*action, &mut *take_home) {
            (TakeHomeAction::ToggleLook(id), TakeHome::Preview { looks }) => {
                if let Some(at) = looks.iter().position(|l| *l == id) {
                    looks.remove(at);
                } else {
                    looks.push(id);
                }
            }
            (TakeHomeAction::Send, TakeHome::Preview { looks: ticked }) => {
                let bundle = bundle_of(&room, shelf.as_deref(), &verdicts, &looks, ticked, &settings, &say);
                let (items, looks_sent) = (bundle.items.len() as u32, bundle.looks.len() as u32);
                let lifetime = takehome::expiry(settings.takehome.expiry_h);
                let sealed = match (takehome::seal(&bundle), link.as_ref(), lifetime) {
                    (Ok(sealed), Some(link), Ok(lifetime)) => {
                        let expires_in_s = lifetime.as_secs();
                        let command = ShareCommand::TakeHome {
                            sealed: sealed.bytes.clone(),
                            expires_in_s,
                            delete_hash: sealed.delete_hash(),
                        };
                        link.0.send(command);
                        sealed
                    }
                    (Err(e), ..) | (_, _, Err(e)) => {
                        *take_home = TakeHome::Failed { reason: e.to_string() };
                        continue;
                    }
                    (_, None, _) => {
                        *take_home = TakeHome::Failed { reason: "sharing is switched off on this mirror".into() };
                        continue;
                    }
                };
                info!("take home: sealed {items} items and {looks_sent} looks ({} bytes)", sealed.bytes.len());
                usage.write(Usage(UsageEvent::TakeHomeSent {
                    items,
                    looks: looks_sent,
                    expiry_h: settings.takehome.expiry_h,
                }));
                *take_home = TakeHome::Sending { fragment: sealed.fragment() };
            }
            (TakeHomeAction::Open, TakeHome::BeforeYouGo) => *take_home = TakeHome::Preview { looks: Vec::new() },
            (TakeHomeAction::Close, _) => *take_home = TakeHome::Closed,
            _ => {}
        }
    }
}

fn receive_link(
    mut uploads: MessageReader<TakeHomeUploaded>,
    settings: Res<Settings>,
    mut take_home: ResMut<TakeHome>,
) {
    for TakeHomeUploaded(outcome) in uploads.read() {
        let TakeHome::Sending { fragment } = &*take_home else { continue };
        *take_home = match outcome {
            Ok(url) => TakeHome::Ready {
                link: format!("{url}#{fragment}"),
                expires_at_ms: now_ms() + u64::from(settings.takehome.expiry_h) * 3_600_000,
            },
            Err(reason) => TakeHome::Failed { reason: reason.clone() },
        };
    }
}

/// The session end closes the sheet and forgets the key (the link lives on, as promised).
fn close_on_wipe(mut wipes: MessageReader<PrivacyWipe>, mut take_home: ResMut<TakeHome>) {
    if wipes.read().count() > 0 && *take_home != TakeHome::Closed {
        *take_home = TakeHome::Closed;
    }
}
