//! Products plugin: what the shopper brought into the room, and what goes with it.
//!
//! - [`catalog`]: the catalog worker (fetch at start, on a schedule, on `refresh_catalog`); the
//!   catalog in use is the [`Shelf`] resource.
//! - [`identify`]: the ways an item is identified — a USB barcode scanner (told from typing),
//!   the tag held up to the camera (searched off the main thread while the panel is open), an
//!   RFID reader — each ending in an [`ItemIdentified`] message.
//! - [`panel`]: "Your items" (in the room), an item's sizes, colours, stock and complete-the-look
//!   cards; [`browse`]: browse and search, and the request's confirmation.
//! - [`requests`]: asking an associate for another size, the answer, reminders.
//! - [`fit`]: "Fits" / "Too small" / "Too big" / "Not for me" on items in the room, and the next
//!   size they lead to.
//!
//! Ending the session forgets the room and the fit verdicts, closes the panel and withdraws open
//! requests.

mod browse;
mod catalog;
pub mod fit;
mod identify;
mod panel;
mod requests;

use bevy::prelude::*;
use protocol::{
    barcode::Gtin,
    catalog::{Catalog, Product, Variant, Votes},
    telemetry::{Ident, ScanMethod, UsageEvent},
};

use crate::{
    session::PrivacyWipe,
    share::ShareCounts,
    telemetry::Usage,
    ui::{FeatureRequested, HandledFeatures, ShowToast, theme::t},
};

pub use catalog::Shelf;
pub use panel::{picture_path, price};

/// The toolbar button that opens the panel.
pub const FEATURE: &str = "Scan item";

pub fn plugin(app: &mut App) {
    app.init_resource::<InRoom>()
        .init_resource::<Panel>()
        .init_resource::<FriendVotes>()
        .add_message::<ItemIdentified>()
        .add_systems(Update, (open_from_toolbar, identify_items, attribute_votes, forget_on_wipe))
        .add_plugins((catalog::plugin, fit::plugin, identify::plugin, panel::plugin, requests::plugin));
    app.world_mut().get_resource_or_init::<HandledFeatures>().0.insert(FEATURE);
}

/// A code read by one of the identification methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemCode {
    Gtin(Gtin),
    /// A QR code's text or a scanned non-GTIN code: a SKU, a product id or a URL ending in one.
    Text(String),
    /// An RFID tag whose EPC carries no item GTIN.
    Epc(String),
}

/// Something was scanned.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct ItemIdentified {
    pub code: ItemCode,
    pub method: ScanMethod,
}

/// One identified item in the fitting room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomItem {
    pub product: Ident,
    pub sku: Ident,
}

/// The items identified this session, newest first.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct InRoom(pub Vec<RoomItem>);

/// What the products panel shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum View {
    /// The items in the room.
    #[default]
    Room,
    /// One product with the chosen colour and size.
    Item { product: Ident, colour: String, size: String },
    /// The catalog, by category and search text.
    Browse { category: Option<String>, query: String },
    /// "Ask an associate to bring …?"
    Confirm { sku: Ident },
}

/// The products panel.
#[derive(Resource, Debug, Clone, PartialEq, Default)]
pub struct Panel {
    pub open: bool,
    pub view: View,
}

impl Panel {
    /// Shows `variant` of `product`.
    pub fn show(&mut self, product: &Product, variant: &Variant) {
        self.open = true;
        self.view =
            View::Item { product: product.id.clone(), colour: variant.colour.clone(), size: variant.size.clone() };
    }
}

/// Friends' buy/skip votes per product while sharing: the tally counts for the item on screen.
#[derive(Resource, Debug, Default, Clone)]
pub struct FriendVotes(pub Votes);

/// The product and variant a code stands for.
pub fn resolve<'a>(catalog: &'a Catalog, code: &ItemCode) -> Option<(&'a Product, &'a Variant)> {
    match code {
        ItemCode::Gtin(gtin) => catalog.by_barcode(gtin),
        ItemCode::Text(text) => {
            // A URL's last path segment, or the text itself.
            let key = text.trim().trim_end_matches('/').rsplit('/').next().unwrap_or_default();
            let id = Ident::new(key).ok()?;
            catalog.by_sku(&id).or_else(|| {
                let product = catalog.product(&id)?;
                let variant = product.variants.iter().find(|v| v.stock.values().any(|n| *n > 0));
                Some((product, variant.or(product.variants.first())?))
            })
        }
        ItemCode::Epc(_) => None,
    }
}

fn open_from_toolbar(mut requests: MessageReader<FeatureRequested>, mut panel: ResMut<Panel>) {
    for FeatureRequested(feature) in requests.read() {
        if FeatureRequested(feature).opens_another_sheet(FEATURE) && panel.open {
            panel.open = false;
        }
        if *feature == FEATURE {
            panel.open = !panel.open;
            if panel.open && matches!(panel.view, View::Confirm { .. }) {
                panel.view = View::Room;
            }
        }
    }
}

/// Adds identified items to the room and shows them; unknown codes get a friendly word.
fn identify_items(
    mut identified: MessageReader<ItemIdentified>,
    shelf: Option<Res<Shelf>>,
    mut room: ResMut<InRoom>,
    mut panel: ResMut<Panel>,
    mut usage: MessageWriter<Usage>,
    mut toasts: MessageWriter<ShowToast>,
) {
    for ItemIdentified { code, method } in identified.read() {
        let found = shelf.as_ref().and_then(|shelf| resolve(&shelf.0.catalog, code));
        let Some((product, variant)) = found else {
            let shown = match code {
                ItemCode::Gtin(gtin) => gtin.to_string(),
                ItemCode::Text(text) => text.chars().take(32).collect(),
                ItemCode::Epc(epc) => format!("RFID {epc}"),
            };
            info!("products: {method:?} code {shown} is not in the catalog");
            toasts.write(ShowToast(t("scan-unknown").text("code", shown)));
            continue;
        };
        info!("products: {method:?} identified {} ({})", product.name, variant.sku);
        usage.write(Usage(UsageEvent::ItemScanned { sku: variant.sku.clone(), method: *method }));
        if *method != ScanMethod::Browse {
            room.0.retain(|item| item.sku != variant.sku);
            room.0.insert(0, RoomItem { product: product.id.clone(), sku: variant.sku.clone() });
        }
        if *method == ScanMethod::Rfid {
            // Read without the shopper doing anything: noted, not pushed onto the screen.
            toasts.write(ShowToast(t("scan-added").text("product", &product.name).text("size", &variant.size)));
        } else {
            panel.show(product, variant);
        }
    }
}

/// While sharing, the friends' tally is about the item on screen.
fn attribute_votes(counts: Res<ShareCounts>, panel: Res<Panel>, mut votes: ResMut<FriendVotes>) {
    if !counts.is_changed() || counts.buy + counts.skip == 0 {
        return;
    }
    if let (true, View::Item { product, .. }) = (panel.open, &panel.view) {
        votes.0.insert(product.clone(), counts.buy as i32 - counts.skip as i32);
    }
}

fn forget_on_wipe(
    mut wipes: MessageReader<PrivacyWipe>,
    mut room: ResMut<InRoom>,
    mut panel: ResMut<Panel>,
    mut votes: ResMut<FriendVotes>,
) {
    if wipes.read().count() > 0 {
        room.0.clear();
        *panel = Panel::default();
        votes.0.clear();
    }
}

#[cfg(test)]
mod tests {
    use std::{path::Path, sync::Arc};

    use bevy::ecs::message::Messages;
    use products::worker::Origin;
    use protocol::{
        config::{DisplaySection, KioskConfig},
        requests::{CancelReason, REQUEST_SCHEMA, StaffReply, ToStaff},
    };

    use super::{requests::AskForSize, *};
    use crate::{
        settings::Settings,
        telemetry::{ClearStaffReply, StaffReplyReceived, ToStaffMessage},
        ui::theme::Metrics,
    };

    fn demo_catalog() -> Catalog {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalog/catalog.json");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Catalog::from_json(&bytes).unwrap_or_else(|e| panic!("{e}"))
    }

    fn gtin(catalog: &Catalog, sku: &str) -> ItemCode {
        let (_, variant) = catalog.by_sku(&id(sku)).unwrap_or_else(|| panic!("no {sku}"));
        ItemCode::Gtin(Gtin::parse(&variant.barcode).unwrap_or_else(|e| panic!("{e}")))
    }

    fn id(s: &str) -> Ident {
        Ident::new(s).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Everything written this frame.
    fn written<M: Message + Clone>(app: &App) -> Vec<M> {
        app.world().resource::<Messages<M>>().iter_current_update_messages().cloned().collect()
    }

    #[test]
    fn codes_resolve_by_barcode_sku_product_and_url() {
        let catalog = demo_catalog();
        let variant = &catalog.products[0].variants[2];
        let gtin = Gtin::parse(&variant.barcode).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(resolve(&catalog, &ItemCode::Gtin(gtin)).map(|(_, v)| &v.sku), Some(&variant.sku));
        let by_sku = ItemCode::Text(variant.sku.as_str().to_string());
        assert_eq!(resolve(&catalog, &by_sku).map(|(_, v)| &v.sku), Some(&variant.sku));
        let url = ItemCode::Text(format!("https://tags.example-store.com/p/{}", variant.sku));
        assert_eq!(resolve(&catalog, &url).map(|(_, v)| &v.sku), Some(&variant.sku));
        let product = ItemCode::Text(catalog.products[0].id.as_str().to_string());
        assert_eq!(resolve(&catalog, &product).map(|(p, _)| &p.id), Some(&catalog.products[0].id));
        for unknown in
            [ItemCode::Text("no such thing".into()), ItemCode::Text(String::new()), ItemCode::Epc("E2".into())]
        {
            assert!(resolve(&catalog, &unknown).is_none(), "{unknown:?}");
        }
    }

    #[test]
    fn scans_fill_the_room_requests_go_out_and_the_session_end_forgets_and_withdraws() {
        let catalog = demo_catalog();
        // Its own data folder: open requests left by another run would be withdrawn at start.
        let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut config = KioskConfig::default();
        config.telemetry.data_dir = data.path().display().to_string();
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .insert_resource(Settings::new(config))
            .insert_resource(Metrics::for_display(&DisplaySection::default()))
            .insert_resource(Shelf(products::worker::Shelf::new(Arc::new(demo_catalog()), "".into(), Origin::Bundled)))
            .init_resource::<InRoom>()
            .init_resource::<Panel>()
            .init_resource::<FriendVotes>()
            .add_message::<ItemIdentified>()
            .add_message::<Usage>()
            .add_message::<ShowToast>()
            .add_message::<PrivacyWipe>()
            .add_message::<ToStaffMessage>()
            .add_message::<StaffReplyReceived>()
            .add_message::<ClearStaffReply>()
            .add_systems(Update, (identify_items, forget_on_wipe))
            .add_plugins(requests::plugin);
        app.update();
        let toasts =
            |app: &App| written::<ShowToast>(app).iter().map(|t| crate::i18n::english(&t.0)).collect::<Vec<_>>();

        // A USB scan: the shirt joins the room and the panel shows it.
        let shirt = gtin(&catalog, "oxford-shirt-white-M");
        app.world_mut().write_message(ItemIdentified { code: shirt, method: ScanMethod::Scanner });
        app.update();
        assert_eq!(app.world().resource::<InRoom>().0.len(), 1);
        let panel = app.world().resource::<Panel>().clone();
        assert!(panel.open && matches!(&panel.view, View::Item { size, .. } if size == "M"), "{panel:?}");
        assert!(
            written::<Usage>(&app)
                .iter()
                .any(|u| matches!(&u.0, UsageEvent::ItemScanned { method: ScanMethod::Scanner, .. }))
        );

        // An unknown code: a friendly word, nothing else changes.
        app.world_mut()
            .write_message(ItemIdentified { code: ItemCode::Text("XYZ-999".into()), method: ScanMethod::Camera });
        app.update();
        assert!(toasts(&app).iter().any(|t| t.contains("couldn't find that item (XYZ-999)")), "{:?}", toasts(&app));
        assert_eq!(app.world().resource::<InRoom>().0.len(), 1);

        // An RFID read joins the room without taking the screen over.
        let belt = gtin(&catalog, "leather-belt-brown-90");
        app.world_mut().write_message(ItemIdentified { code: belt, method: ScanMethod::Rfid });
        app.update();
        assert_eq!(app.world().resource::<InRoom>().0.len(), 2);
        assert_eq!(app.world().resource::<Panel>().view, panel.view, "the shirt stays on screen");
        assert!(toasts(&app).iter().any(|t| t.contains("Leather belt (90) is in your items")));

        // A sold-out size is never requested; an available one is.
        app.world_mut().write_message(AskForSize { sku: id("oxford-shirt-white-XS") });
        app.update();
        assert!(written::<ToStaffMessage>(&app).is_empty(), "sold out here: no request");
        assert!(toasts(&app).iter().any(|t| t.contains("sold out here")));
        app.world_mut().write_message(AskForSize { sku: id("oxford-shirt-white-L") });
        app.update();
        let request = match written::<ToStaffMessage>(&app).as_slice() {
            [ToStaffMessage(ToStaff::Opened { request, .. })] => request.clone(),
            other => panic!("expected one opened request, got {other:?}"),
        };
        assert_eq!((request.size.as_str(), request.room.as_str()), ("L", "Fitting room"));
        assert!(written::<Usage>(&app).iter().any(|u| matches!(&u.0, UsageEvent::SizeRequested { .. })));

        // Anna accepts.
        let reply = StaffReply::Accepted { v: REQUEST_SCHEMA, id: request.id.clone(), by: "Anna".into(), at_ms: 1 };
        app.world_mut().write_message(StaffReplyReceived { reply, topic: "t".into() });
        app.update();
        assert!(toasts(&app).iter().any(|t| t == "Anna is bringing it"));

        // The session ends: the room is forgotten and the open request withdrawn.
        app.world_mut().write_message(PrivacyWipe);
        app.update();
        assert!(app.world().resource::<InRoom>().0.is_empty());
        assert!(!app.world().resource::<Panel>().open);
        let withdrawn: Vec<ToStaff> = written::<ToStaffMessage>(&app)
            .into_iter()
            .map(|m| m.0)
            .filter(|m| matches!(m, ToStaff::Cancelled { .. }))
            .collect();
        assert!(
            matches!(withdrawn.as_slice(), [ToStaff::Cancelled { id, reason: CancelReason::SessionEnded, .. }] if *id == request.id),
            "{withdrawn:?}"
        );
    }
}
