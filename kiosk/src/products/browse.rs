//! The products panel's browse view (categories, search with the on-screen keyboard) and the
//! "Ask an associate to bring …?" confirmation.

use std::path::PathBuf;

use bevy::prelude::*;
use protocol::{
    catalog::Product,
    telemetry::{Ident, ScanMethod},
};

use super::{
    ItemCode, ItemIdentified, Panel, View,
    panel::{Ctx, card, chip, first_in_stock, picture, picture_for, price, row, set_view, units_here},
    requests::AskForSize,
};
use crate::ui::theme::{BUTTON, INK, INK_DIM, Label, accent, button, t, text, verbatim};

/// Products shown in browse results.
const RESULTS: usize = 9;
const KEY_ROWS: [&str; 3] = ["QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"];

/// Whether `product` matches every word of `query` (name, category, colours), any case.
fn matches_query(product: &Product, query: &str) -> bool {
    let haystack = format!(
        "{} {} {}",
        product.name,
        product.category,
        product.variants.iter().map(|v| v.colour.as_str()).collect::<Vec<_>>().join(" ")
    )
    .to_lowercase();
    query.split_whitespace().all(|word| haystack.contains(&word.to_lowercase()))
}

pub(super) fn browse_view(
    commands: &mut Commands,
    ctx: &Ctx<'_>,
    category: Option<&str>,
    query: &str,
    images: &mut impl FnMut(Option<PathBuf>) -> Option<Handle<Image>>,
) -> Vec<Entity> {
    let mut children = Vec::new();
    let mut categories: Vec<&str> = ctx.catalog.products.iter().map(|p| p.category.as_str()).collect();
    categories.sort_unstable();
    categories.dedup();
    let chips = row(commands, 10.0);
    for name in std::iter::once(None).chain(categories.into_iter().map(Some)) {
        let label = name.map_or_else(|| t("browse-all").into(), |n| verbatim(n.to_string()));
        let c = chip(commands, ctx, label, None, name == category, true);
        let view = View::Browse { category: name.map(str::to_string), query: query.to_string() };
        commands.entity(c).observe(set_view(view));
        commands.entity(chips).add_child(c);
    }
    children.push(chips);

    let shown =
        if query.is_empty() { t("search-empty") } else { t("search-query").text("query", format!("{query}▏")) };
    children.push(commands.spawn(text(shown, 32.0, if query.is_empty() { INK_DIM } else { INK })).id());
    let keyboard = commands
        .spawn(Node {
            flex_direction: FlexDirection::Column,
            row_gap: px(8),
            align_items: AlignItems::Center,
            ..default()
        })
        .id();
    let with_query = |q: String| View::Browse { category: category.map(str::to_string), query: q };
    for keys in KEY_ROWS {
        let line = commands.spawn(Node { column_gap: px(8), ..default() }).id();
        for key in keys.chars() {
            let k = commands
                .spawn(key_button(ctx, verbatim(key.to_string()), ctx.metrics.key))
                .observe(set_view(with_query(format!("{query}{}", key.to_ascii_lowercase()))))
                .id();
            commands.entity(line).add_child(k);
        }
        commands.entity(keyboard).add_child(line);
    }
    let line = commands.spawn(Node { column_gap: px(8), ..default() }).id();
    let mut shorter = query.to_string();
    shorter.pop();
    for (label, next, width) in [
        (t("key-space").into(), format!("{query} "), ctx.metrics.key * 4.0),
        (verbatim("⌫"), shorter, ctx.metrics.key * 1.5),
        (t("key-clear").into(), String::new(), ctx.metrics.key * 2.0),
    ] {
        let k = commands.spawn(key_button(ctx, label, width)).observe(set_view(with_query(next))).id();
        commands.entity(line).add_child(k);
    }
    commands.entity(keyboard).add_child(line);
    children.push(keyboard);

    let found: Vec<&Product> = ctx
        .catalog
        .products
        .iter()
        .filter(|p| category.is_none_or(|c| p.category == c) && matches_query(p, query))
        .collect();
    if found.is_empty() {
        children.push(commands.spawn(text(t("search-nothing"), 32.0, INK_DIM)).id());
        return children;
    }
    let cards = row(commands, 18.0);
    for product in found.iter().take(RESULTS) {
        let units = product.units(ctx.store, None);
        let colour = first_in_stock(product, ctx.store).or(product.variants.first()).map_or("", |v| v.colour.as_str());
        let lines = vec![price(product), if units == 0 { t("sold-out-here") } else { units_here(units) }];
        let id = product.id.as_str().to_string();
        let pic = images(picture_for(ctx, product, colour));
        let c = card(
            commands,
            pic,
            &product.name,
            lines,
            move |_: On<Pointer<Click>>, mut found: MessageWriter<ItemIdentified>| {
                found.write(ItemIdentified { code: ItemCode::Text(id.clone()), method: ScanMethod::Browse });
            },
        );
        commands.entity(cards).add_child(c);
    }
    children.push(cards);
    children
}

fn key_button(ctx: &Ctx<'_>, label: Label, width: f32) -> impl Bundle {
    (
        Button,
        Node {
            width: px(width),
            height: px(ctx.metrics.key),
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            border_radius: BorderRadius::all(px(16)),
            ..default()
        },
        BackgroundColor(BUTTON),
        children![text(label, 32.0, INK)],
    )
}

pub(super) fn confirm_view(
    commands: &mut Commands,
    ctx: &Ctx<'_>,
    sku: &Ident,
    images: &mut impl FnMut(Option<PathBuf>) -> Option<Handle<Image>>,
) -> Vec<Entity> {
    let Some((product, variant)) = ctx.catalog.by_sku(sku) else { return Vec::new() };
    let pic = picture(commands, images(picture_for(ctx, product, &variant.colour)), 240.0, 300.0);
    let question = t("confirm-question")
        .text("product", &product.name)
        .text("size", &variant.size)
        .text("colour", &variant.colour)
        .text("room", ctx.room_name);
    let back = View::Item { product: product.id.clone(), colour: variant.colour.clone(), size: variant.size.clone() };
    let (sku, after) = (sku.clone(), back.clone());
    let buttons = commands.spawn(Node { column_gap: px(30), ..default() }).id();
    let yes = commands
        .spawn(button(t("confirm-yes"), &ctx.metrics, accent()))
        .observe(move |_: On<Pointer<Click>>, mut asks: MessageWriter<AskForSize>, mut panel: ResMut<Panel>| {
            asks.write(AskForSize { sku: sku.clone() });
            panel.view = after.clone();
        })
        .id();
    let no = commands.spawn(button(t("back"), &ctx.metrics, BUTTON)).observe(set_view(back)).id();
    commands.entity(buttons).add_children(&[yes, no]);
    vec![pic, commands.spawn(text(question, 38.0, INK)).id(), buttons]
}
