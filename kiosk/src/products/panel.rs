//! The products panel, a sheet over the mirror between the request banner and the toolbar. It is
//! rebuilt from [`Panel`], [`InRoom`], the [`Shelf`] and friends' votes whenever one changes:
//!
//! - "Your items": what was identified in this room, newest first;
//! - an item: its picture and price, colour and size chips with this store's stock (sold-out
//!   sizes are shown as such and cannot be requested), "Ask for …", and complete-the-look cards
//!   ranked by links, stock and friends' votes (never a product with no stock here);
//! - browse: categories, a search field with an on-screen keyboard, matching products;
//! - confirm: "Ask an associate to bring … to Room 3?".

use std::{collections::HashMap, path::PathBuf};

use bevy::{asset::RenderAssetUsages, ecs::system::IntoObserverSystem, prelude::*};
use protocol::{
    catalog::{Catalog, Product, Reason, Variant, suggestions},
    telemetry::{Ident, UsageEvent},
};

use super::{
    FriendVotes, InRoom, Panel, Shelf, View,
    browse::{browse_view, confirm_view},
    fit::{FitVerdicts, fit_section, verdict_phrase},
};
use crate::{
    settings::Settings,
    telemetry::Usage,
    ui::{
        contrast::ink_on,
        theme::{BUTTON, INK, INK_DIM, Label, Metrics, Phrase, UNAVAILABLE, accent, button, sheet, t, text, verbatim},
    },
};

/// Suggestions shown under an item.
const SUGGESTIONS: usize = 3;

pub fn plugin(app: &mut App) {
    app.init_resource::<ProductImages>().add_systems(Update, rebuild_panel);
}

#[derive(Component)]
struct PanelRoot;

/// Product pictures decoded once per file (`None`: the file is missing or not an image).
#[derive(Resource, Default)]
struct ProductImages(HashMap<PathBuf, Option<Handle<Image>>>);

impl ProductImages {
    fn get(&mut self, path: Option<PathBuf>, assets: &mut Assets<Image>) -> Option<Handle<Image>> {
        let path = path?;
        self.0
            .entry(path.clone())
            .or_insert_with(|| match image::open(&path) {
                Ok(picture) => Some(assets.add(Image::from_dynamic(picture, true, RenderAssetUsages::RENDER_WORLD))),
                Err(e) => {
                    warn!("products: picture {}: {e}", path.display());
                    None
                }
            })
            .clone()
    }
}

/// Everything the builders read.
pub(super) struct Ctx<'a> {
    pub catalog: &'a Catalog,
    shelf: &'a Shelf,
    pub store: &'a str,
    pub room_name: &'a str,
    pub metrics: Metrics,
    pub requests_enabled: bool,
    /// What the shopper brought in, and what they said about its fit.
    pub room: &'a InRoom,
    pub verdicts: &'a FitVerdicts,
}

#[allow(clippy::too_many_arguments)]
fn rebuild_panel(
    mut commands: Commands,
    panel: Res<Panel>,
    room: Res<InRoom>,
    verdicts: Res<FitVerdicts>,
    shelf: Option<Res<Shelf>>,
    votes: Res<FriendVotes>,
    settings: Res<Settings>,
    metrics: Res<Metrics>,
    mut pictures: ResMut<ProductImages>,
    mut assets: ResMut<Assets<Image>>,
    existing: Query<Entity, With<PanelRoot>>,
    mut usage: MessageWriter<Usage>,
    mut last_shown: Local<Option<Ident>>,
) {
    let shelf_changed = shelf.as_ref().is_some_and(|s| s.is_changed());
    if !(panel.is_changed() || room.is_changed() || votes.is_changed() || verdicts.is_changed() || shelf_changed) {
        return;
    }
    for entity in &existing {
        commands.entity(entity).despawn();
    }
    if !panel.open {
        *last_shown = None;
        return;
    }
    let root = commands.spawn((Name::new("Products panel"), PanelRoot, sheet(350.0, 16.0))).id();
    let Some(shelf) = shelf else {
        let header = header(&mut commands, t("items-title").into(), &panel.view, &metrics);
        let note = commands.spawn(text(t("catalog-unavailable"), 34.0, INK_DIM)).id();
        commands.entity(root).add_children(&[header, note]);
        return;
    };
    let ctx = Ctx {
        catalog: &shelf.0.catalog,
        shelf: &shelf,
        store: &settings.kiosk.store,
        room_name: &settings.kiosk.room,
        metrics: *metrics,
        requests_enabled: settings.requests.enabled,
        room: &room,
        verdicts: &verdicts,
    };
    let mut images = |path: Option<PathBuf>| pictures.get(path, &mut assets);
    let children = match &panel.view {
        View::Room => {
            *last_shown = None;
            room_view(&mut commands, &ctx, &room, &mut images)
        }
        View::Item { product, colour, size } => match ctx.catalog.product(product) {
            Some(product) => {
                let ranked = suggestions(ctx.catalog, &product.id, ctx.store, &votes.0, SUGGESTIONS);
                let current = pick_variant(product, colour, size);
                if last_shown.as_ref() != Some(&product.id)
                    && let Some(current) = current
                {
                    for (rank, suggestion) in ranked.iter().enumerate() {
                        if let Some(variant) = first_in_stock(suggestion.product, ctx.store) {
                            usage.write(Usage(UsageEvent::SuggestionShown {
                                sku: variant.sku.clone(),
                                for_sku: current.sku.clone(),
                                rank: rank as u32 + 1,
                            }));
                        }
                    }
                    *last_shown = Some(product.id.clone());
                }
                item_view(&mut commands, &ctx, product, colour, size, &ranked, &mut images)
            }
            None => vec![commands.spawn(text(t("product-gone"), 34.0, INK_DIM)).id()],
        },
        View::Browse { category, query } => browse_view(&mut commands, &ctx, category.as_deref(), query, &mut images),
        View::Confirm { sku } => confirm_view(&mut commands, &ctx, sku, &mut images),
    };
    let title = match &panel.view {
        View::Room => t("items-title").into(),
        View::Item { product, .. } => {
            ctx.catalog.product(product).map_or_else(|| t("item-untitled").into(), |p| verbatim(p.name.clone()))
        }
        View::Browse { .. } => t("browse-title").into(),
        View::Confirm { .. } => t("confirm-title").into(),
    };
    let header = header(&mut commands, title, &panel.view, &metrics);
    commands.entity(root).add_child(header).add_children(&children);
}

/// The variant for the chosen colour and size (or the colour's first).
fn pick_variant<'a>(product: &'a Product, colour: &str, size: &str) -> Option<&'a Variant> {
    product
        .variants
        .iter()
        .find(|v| v.colour == colour && v.size == size)
        .or_else(|| product.variants.iter().find(|v| v.colour == colour))
        .or(product.variants.first())
}

pub(super) fn first_in_stock<'a>(product: &'a Product, store: &str) -> Option<&'a Variant> {
    product.variants.iter().find(|v| v.stock_in(store) > 0)
}

/// The picture of `product` in `colour` (file names carry the colour), else its first.
pub(super) fn picture_for(ctx: &Ctx<'_>, product: &Product, colour: &str) -> Option<PathBuf> {
    picture_path(ctx.shelf, product, colour)
}

/// The file of `product`'s picture in `colour` (or its first picture).
pub fn picture_path(shelf: &Shelf, product: &Product, colour: &str) -> Option<PathBuf> {
    let slug = colour.to_lowercase().replace(' ', "-");
    let image = product.images.iter().find(|i| i.contains(&format!("-{slug}."))).or(product.images.first())?;
    shelf.0.image_path(image)
}

/// The product's price, as the shopper's language writes it.
pub fn price(product: &Product) -> Phrase {
    t("price-only").price("price", product.price_minor, &product.currency)
}

/// "Ask for M in White · 2 here": the size request button.
pub(super) fn ask_for(variant: &Variant, units: u32) -> Phrase {
    t("ask-for").text("size", &variant.size).text("colour", &variant.colour).count("units", units)
}

/// "2 here" / "sold out": a chip's or card's stock note.
pub(super) fn units_here(units: u32) -> Phrase {
    if units == 0 { t("sold-out") } else { t("units-here").count("units", units) }
}

pub(super) fn set_view(view: View) -> impl Fn(On<Pointer<Click>>, ResMut<Panel>) {
    move |_, mut panel| {
        panel.open = true;
        panel.view = view.clone();
    }
}

pub(super) fn row(commands: &mut Commands, gap: f32) -> Entity {
    commands
        .spawn(Node {
            flex_direction: FlexDirection::Row,
            flex_wrap: FlexWrap::Wrap,
            column_gap: px(gap),
            row_gap: px(gap),
            align_items: AlignItems::Center,
            ..default()
        })
        .id()
}

pub(super) fn header(commands: &mut Commands, title: Label, view: &View, metrics: &Metrics) -> Entity {
    let bar = commands
        .spawn(Node {
            width: percent(100),
            column_gap: px(18),
            align_items: AlignItems::Center,
            justify_content: JustifyContent::SpaceBetween,
            ..default()
        })
        .id();
    let title = commands.spawn((text(title, 44.0, INK), Node { flex_grow: 1.0, ..default() })).id();
    commands.entity(bar).add_child(title);
    if !matches!(view, View::Room) {
        let b = commands.spawn(button(t("items-title"), metrics, BUTTON)).observe(set_view(View::Room)).id();
        commands.entity(bar).add_child(b);
    }
    if !matches!(view, View::Browse { .. }) {
        let browse = View::Browse { category: None, query: String::new() };
        let b = commands.spawn(button(t("browse-title"), metrics, BUTTON)).observe(set_view(browse)).id();
        commands.entity(bar).add_child(b);
    }
    let close = commands
        .spawn(button(t("close"), metrics, BUTTON))
        .observe(|_: On<Pointer<Click>>, mut panel: ResMut<Panel>| panel.open = false)
        .id();
    commands.entity(bar).add_child(close);
    bar
}

pub(super) fn picture(commands: &mut Commands, handle: Option<Handle<Image>>, width: f32, height: f32) -> Entity {
    let node = Node { width: px(width), height: px(height), border_radius: BorderRadius::all(px(16)), ..default() };
    match handle {
        Some(handle) => commands.spawn((ImageNode::new(handle), node)).id(),
        None => commands.spawn((node, BackgroundColor(UNAVAILABLE))).id(),
    }
}

/// A product card: picture, name, price and a note; tapping it runs `on_tap`.
pub(super) fn card<M>(
    commands: &mut Commands,
    picture_handle: Option<Handle<Image>>,
    name: &str,
    lines: Vec<Phrase>,
    on_tap: impl IntoObserverSystem<Pointer<Click>, (), M>,
) -> Entity {
    let card = commands
        .spawn((
            Button,
            Node {
                width: px(290),
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                row_gap: px(8),
                padding: UiRect::all(px(14)),
                border_radius: BorderRadius::all(px(24)),
                ..default()
            },
            BackgroundColor(BUTTON),
        ))
        .observe(on_tap)
        .id();
    let pic = picture(commands, picture_handle, 160.0, 200.0);
    let name = commands.spawn(text(verbatim(name), 30.0, INK)).id();
    commands.entity(card).add_children(&[pic, name]);
    for line in lines {
        let line = commands.spawn(text(line, 24.0, INK_DIM)).id();
        commands.entity(card).add_child(line);
    }
    card
}

fn room_view(
    commands: &mut Commands,
    ctx: &Ctx<'_>,
    room: &InRoom,
    images: &mut impl FnMut(Option<PathBuf>) -> Option<Handle<Image>>,
) -> Vec<Entity> {
    let mut children = vec![commands.spawn(text(t("items-hint"), 30.0, INK_DIM)).id()];
    if room.0.is_empty() {
        children.push(commands.spawn(text(t("items-empty"), 34.0, INK)).id());
        return children;
    }
    let cards = row(commands, 18.0);
    for item in room.0.iter().take(6) {
        let Some((product, variant)) = ctx.catalog.by_sku(&item.sku) else { continue };
        let stock = variant.stock_in(ctx.store);
        let mut lines = vec![
            t("size-colour").text("size", &variant.size).text("colour", &variant.colour),
            if stock > 0 { t("units-more-here").count("units", stock) } else { t("last-one-here") },
        ];
        lines.extend(ctx.verdicts.0.get(&variant.sku).map(|v| verdict_phrase(*v)));
        let view =
            View::Item { product: product.id.clone(), colour: variant.colour.clone(), size: variant.size.clone() };
        let pic = images(picture_for(ctx, product, &variant.colour));
        let c = card(commands, pic, &product.name, lines, set_view(view));
        commands.entity(cards).add_child(c);
    }
    children.push(cards);
    children
}

pub(super) fn chip(
    commands: &mut Commands,
    ctx: &Ctx<'_>,
    label: impl Into<Label>,
    note: Option<Phrase>,
    selected: bool,
    available: bool,
) -> Entity {
    let background = match (selected, available) {
        (true, _) => accent(),
        (false, true) => BUTTON,
        (false, false) => UNAVAILABLE,
    };
    let ink = ink_on(background);
    let chip = commands
        .spawn((
            Button,
            Node {
                min_width: px(ctx.metrics.key * 1.3),
                min_height: px(ctx.metrics.key),
                padding: UiRect::axes(px(18), px(8)),
                flex_direction: FlexDirection::Column,
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                border_radius: BorderRadius::all(px(20)),
                ..default()
            },
            BackgroundColor(background),
        ))
        .id();
    let label = commands.spawn(text(label, 30.0, ink)).id();
    commands.entity(chip).add_child(label);
    if let Some(note) = note {
        let note = commands.spawn(text(note, 20.0, if ink == INK { INK_DIM } else { ink })).id();
        commands.entity(chip).add_child(note);
    }
    chip
}

fn item_view(
    commands: &mut Commands,
    ctx: &Ctx<'_>,
    product: &Product,
    colour: &str,
    size: &str,
    ranked: &[protocol::catalog::Suggestion<'_>],
    images: &mut impl FnMut(Option<PathBuf>) -> Option<Handle<Image>>,
) -> Vec<Entity> {
    let Some(current) = pick_variant(product, colour, size) else { return Vec::new() };
    let mut children = Vec::new();
    info!("products panel: {}", describe_item(product, current, ranked, ctx.store));

    // Picture, price, colours and sizes.
    let top = commands.spawn(Node { column_gap: px(28), ..default() }).id();
    let pic = picture(commands, images(picture_for(ctx, product, &current.colour)), 240.0, 300.0);
    let details = commands.spawn(Node { flex_direction: FlexDirection::Column, row_gap: px(14), ..default() }).id();
    let price_line = commands
        .spawn(text(
            t("item-price-brand").price("price", product.price_minor, &product.currency).text("brand", &product.brand),
            32.0,
            INK,
        ))
        .id();
    commands.entity(details).add_child(price_line);

    let colours_label = commands.spawn(text(t("colours-title"), 26.0, INK_DIM)).id();
    let colours = row(commands, 12.0);
    for colour in product.colours() {
        let units = product.units(ctx.store, Some(colour));
        let c = chip(commands, ctx, verbatim(colour), Some(units_here(units)), colour == current.colour, units > 0);
        // The same size in the other colour, if there is one.
        let size = pick_variant(product, colour, &current.size).map_or_else(String::new, |v| v.size.clone());
        let view = View::Item { product: product.id.clone(), colour: colour.to_string(), size };
        commands.entity(c).observe(set_view(view));
        commands.entity(colours).add_child(c);
    }
    let sizes_label = commands.spawn(text(t("sizes-title"), 26.0, INK_DIM)).id();
    let sizes = row(commands, 12.0);
    for variant in product.variants.iter().filter(|v| v.colour == current.colour) {
        let stock = variant.stock_in(ctx.store);
        let c = chip(
            commands,
            ctx,
            verbatim(variant.size.clone()),
            Some(units_here(stock)),
            variant.sku == current.sku,
            stock > 0,
        );
        let view =
            View::Item { product: product.id.clone(), colour: variant.colour.clone(), size: variant.size.clone() };
        commands.entity(c).observe(set_view(view));
        commands.entity(sizes).add_child(c);
    }
    commands.entity(details).add_children(&[colours_label, colours, sizes_label, sizes]);
    commands.entity(top).add_children(&[pic, details]);
    children.push(top);

    // How it fits (for what the shopper brought in); then the request button, or the next size
    // the verdict leads to in its place.
    let fit = fit_section(commands, ctx, product, current);
    let (chips, next) = fit.map_or((None, None), |f| (Some(f.chips), f.next));
    children.extend(chips);
    let stock = current.stock_in(ctx.store);
    let action = if let Some(next) = next {
        next
    } else if stock == 0 {
        commands
            .spawn(button(
                t("item-sold-out-here").text("colour", &current.colour).text("size", &current.size),
                &ctx.metrics,
                UNAVAILABLE,
            ))
            .id()
    } else if ctx.requests_enabled {
        let view = View::Confirm { sku: current.sku.clone() };
        commands.spawn(button(ask_for(current, stock), &ctx.metrics, accent())).observe(set_view(view)).id()
    } else {
        commands.spawn(text(t("item-ask-associate").count("units", stock), 32.0, INK)).id()
    };
    children.push(action);

    // Complete the look.
    if !ranked.is_empty() {
        children.push(commands.spawn(text(t("complete-the-look"), 34.0, INK)).id());
        let cards = row(commands, 18.0);
        for (index, suggestion) in ranked.iter().enumerate() {
            let Some(variant) = first_in_stock(suggestion.product, ctx.store) else { continue };
            let rank = Some(index as u32 + 1); // as `SuggestionShown` counts it
            let why = match suggestion.reason {
                Reason::CompletesTheLook => "suggestion-goes-with",
                Reason::Alternative => "suggestion-alternative",
            };
            let p = suggestion.product;
            let lines = vec![t(why).price("price", p.price_minor, &p.currency), units_here(suggestion.units)];
            let (target, for_sku, sku) = (suggestion.product.id.clone(), current.sku.clone(), variant.sku.clone());
            let (colour, size) = (variant.colour.clone(), variant.size.clone());
            let pic = images(picture_for(ctx, suggestion.product, &variant.colour));
            let c = card(
                commands,
                pic,
                &suggestion.product.name,
                lines,
                move |_: On<Pointer<Click>>, mut panel: ResMut<Panel>, mut usage: MessageWriter<Usage>| {
                    usage.write(Usage(UsageEvent::SuggestionTapped {
                        sku: sku.clone(),
                        for_sku: for_sku.clone(),
                        rank,
                    }));
                    panel.view = View::Item { product: target.clone(), colour: colour.clone(), size: size.clone() };
                },
            );
            commands.entity(cards).add_child(c);
        }
        children.push(cards);
    }
    children
}

/// What the item view shows, in one line for the log (support reads it).
fn describe_item(
    product: &Product,
    current: &Variant,
    ranked: &[protocol::catalog::Suggestion<'_>],
    store: &str,
) -> String {
    let sizes: Vec<String> = product
        .variants
        .iter()
        .filter(|v| v.colour == current.colour)
        .map(|v| format!("{} {}", v.size, v.stock_in(store)))
        .collect();
    let colours: Vec<String> =
        product.colours().into_iter().map(|c| format!("{c} {}", product.units(store, Some(c)))).collect();
    let looks: Vec<String> = ranked.iter().map(|s| format!("{} ({})", s.product.name, s.units)).collect();
    format!(
        "{} in {} size {}: sizes {}; colours {}; complete the look: {}",
        product.name,
        current.colour,
        current.size,
        sizes.join(", "),
        colours.join(", "),
        looks.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_read_as_shoppers_expect() {
        let product = |price_minor, currency: &str| Product {
            id: Ident::new("p").unwrap_or_else(|e| panic!("{e}")),
            name: "P".into(),
            brand: "B".into(),
            category: "c".into(),
            price_minor,
            currency: currency.into(),
            images: Vec::new(),
            variants: Vec::new(),
            links: Default::default(),
        };
        let en = |p: &Product| crate::i18n::english(&price(p));
        assert_eq!(en(&product(4995, "EUR")), "€49.95");
        assert_eq!(en(&product(1200, "GBP")), "£12.00");
        assert_eq!(en(&product(5, "CHF")), "CHF0.05");
        assert_eq!(en(&product(5, "XYZ")), "XYZ0.05");
    }
}
