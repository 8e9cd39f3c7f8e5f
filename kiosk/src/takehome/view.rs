//! The "Take it home" sheet: the offer before ending ("Take it home" / "End session"), what would be sent (items with size, colour and fit; looks with an
//! "Include" tick, off by default), how long the link works, and t("takehome-make-link") / "Not now" side
//! by side with the same weight; then the QR code with the link's expiry, or why it failed.

use bevy::prelude::*;

use super::{TakeHome, TakeHomeAction, offer::EndNow};
use crate::{
    looks::{LookPicture, Looks},
    mirror::MirrorBlank,
    products::{
        InRoom, Shelf,
        fit::{FitVerdicts, verdict_phrase},
    },
    settings::Settings,
    share::qr_image,
    ui::theme::{BUTTON, INK, INK_DIM, Metrics, Phrase, accent, message_button, sheet, t, text},
};

pub fn plugin(app: &mut App) {
    app.add_systems(Update, rebuild.after(super::close_on_wipe));
}

#[derive(Component)]
struct SheetRoot;

/// "24 hours", "1 hour", "3 days".
pub fn lifetime(hours: u32) -> Phrase {
    match hours {
        h if h % 24 == 0 && h > 24 => t("lifetime-days").count("days", h / 24),
        h => t("lifetime-hours").count("hours", h),
    }
}

#[allow(clippy::too_many_arguments)]
fn rebuild(
    mut commands: Commands,
    take_home: Res<TakeHome>,
    room: Res<InRoom>,
    shelf: Option<Res<Shelf>>,
    verdicts: Res<FitVerdicts>,
    looks: Res<Looks>,
    settings: Res<Settings>,
    metrics: Res<Metrics>,
    blank: Res<MirrorBlank>,
    mut images: ResMut<Assets<Image>>,
    existing: Query<Entity, With<SheetRoot>>,
    mut qr: Local<Option<Handle<Image>>>,
) {
    if !take_home.is_changed() {
        return;
    }
    for entity in &existing {
        commands.entity(entity).despawn();
    }
    if let Some(old) = qr.take() {
        images.remove(&old);
    }
    if *take_home == TakeHome::Closed {
        return;
    }
    let root = commands.spawn((Name::new("Take it home"), SheetRoot, sheet(350.0, 22.0))).id();
    let title = commands.spawn(text(t("takehome-title"), 48.0, INK)).id();
    commands.entity(root).add_child(title);
    let mut children = Vec::new();
    match &*take_home {
        TakeHome::BeforeYouGo => {
            children.push(commands.spawn(text(t("takehome-before-you-go"), 32.0, INK)).id());
            let actions = commands.spawn(Node { column_gap: px(30), ..default() }).id();
            let take = message_button(&mut commands, t("takehome-title"), &metrics, accent(), TakeHomeAction::Open);
            let end = message_button(&mut commands, t("end-session"), &metrics, BUTTON, EndNow);
            commands.entity(actions).add_children(&[take, end]);
            children.push(actions);
        }
        TakeHome::Preview { looks: ticked } => {
            let intro = t("takehome-intro").phrase("lifetime", lifetime(settings.takehome.expiry_h));
            children.push(commands.spawn(text(intro, 28.0, INK_DIM)).id());
            let catalog = shelf.as_ref().map(|s| &s.0.catalog);
            let lines: Vec<Phrase> = room
                .0
                .iter()
                .filter_map(|item| catalog.and_then(|c| c.by_sku(&item.sku)))
                .map(|(product, variant)| {
                    let line = t("takehome-item")
                        .text("product", &product.name)
                        .text("size", &variant.size)
                        .text("colour", &variant.colour);
                    match verdicts.0.get(&variant.sku) {
                        Some(verdict) => {
                            t("takehome-item-fit").phrase("item", line).phrase("fit", verdict_phrase(*verdict))
                        }
                        None => line,
                    }
                })
                .collect();
            if lines.is_empty() {
                children.push(commands.spawn(text(t("takehome-no-items"), 30.0, INK)).id());
            }
            for line in lines {
                children.push(commands.spawn(text(line, 30.0, INK)).id());
            }
            if !looks.taken.is_empty() {
                children.push(commands.spawn(text(t("takehome-looks-hint"), 28.0, INK_DIM)).id());
                let row = commands.spawn(Node { column_gap: px(18), ..default() }).id();
                for look in &looks.taken {
                    let card = commands
                        .spawn(Node {
                            flex_direction: FlexDirection::Column,
                            align_items: AlignItems::Center,
                            row_gap: px(8),
                            ..default()
                        })
                        .id();
                    let picture = commands
                        .spawn((
                            LookPicture,
                            ImageNode::new(look.image.clone()),
                            Node {
                                width: px(135),
                                height: px(240),
                                border_radius: BorderRadius::all(px(12)),
                                ..default()
                            },
                            if blank.0 > 0 { Visibility::Hidden } else { Visibility::Inherited },
                        ))
                        .id();
                    let included = ticked.contains(&look.id);
                    let (label, color) = if included {
                        (t("takehome-include-ticked"), accent())
                    } else {
                        (t("takehome-include"), BUTTON)
                    };
                    let tick =
                        message_button(&mut commands, label, &metrics, color, TakeHomeAction::ToggleLook(look.id));
                    commands.entity(card).add_children(&[picture, tick]);
                    commands.entity(row).add_child(card);
                }
                children.push(row);
            }
            let actions = commands.spawn(Node { column_gap: px(30), ..default() }).id();
            let send = message_button(&mut commands, t("takehome-make-link"), &metrics, accent(), TakeHomeAction::Send);
            let decline = message_button(&mut commands, t("not-now"), &metrics, BUTTON, TakeHomeAction::Close);
            commands.entity(actions).add_children(&[send, decline]);
            children.push(actions);
        }
        TakeHome::Sending { .. } => children.push(commands.spawn(text(t("takehome-making"), 34.0, INK)).id()),
        TakeHome::Ready { link, .. } => {
            children.push(commands.spawn(text(t("takehome-scan"), 34.0, INK)).id());
            if let Some(image) = qr_image(link, 8) {
                let handle = images.add(image);
                *qr = Some(handle.clone());
                children.push(
                    commands
                        .spawn((Node { width: px(420), height: px(420), ..default() }, ImageNode::new(handle)))
                        .id(),
                );
            }
            let until = t("takehome-until").phrase("lifetime", lifetime(settings.takehome.expiry_h));
            children.push(commands.spawn(text(until, 26.0, INK_DIM)).id());
            children.push(message_button(&mut commands, t("done"), &metrics, accent(), TakeHomeAction::Close));
        }
        TakeHome::Failed { reason } => {
            let line = t("takehome-failed").text("reason", reason.clone());
            children.push(commands.spawn(text(line, 30.0, INK)).id());
            children.push(message_button(&mut commands, t("close"), &metrics, BUTTON, TakeHomeAction::Close));
        }
        TakeHome::Closed => {}
    }
    commands.entity(root).add_children(&children);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_read_naturally() {
        let strings = i18n::Strings::load().unwrap_or_else(|e| panic!("{e}"));
        let en = |h| strings.format(i18n::Language::En, &lifetime(h));
        assert_eq!(en(1), "1 hour");
        assert_eq!(en(24), "24 hours");
        assert_eq!(en(36), "36 hours");
        assert_eq!(en(72), "3 days");
        assert_eq!(en(168), "7 days");
        assert_eq!(strings.format(i18n::Language::De, &lifetime(72)), "3 Tage");
    }
}
