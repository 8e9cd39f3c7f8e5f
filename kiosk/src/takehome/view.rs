//! The "Take it home" sheet: the offer before ending ("Take it home" / "End session"), what would be sent (items with size, colour and fit; looks with an
//! "Include" tick, off by default), how long the link works, and "Make my link" / "Not now" side
//! by side with the same weight; then the QR code with the link's expiry, or why it failed.

use bevy::prelude::*;

use super::{TakeHome, TakeHomeAction, offer::EndNow};
use crate::{
    looks::{LookPicture, Looks},
    mirror::MirrorBlank,
    products::{InRoom, Shelf, fit::FitVerdicts},
    settings::Settings,
    share::qr_image,
    ui::theme::{ACCENT, BUTTON, INK, INK_DIM, Metrics, SELECTED, message_button, sheet, text},
};

pub fn plugin(app: &mut App) {
    app.add_systems(Update, rebuild.after(super::close_on_wipe));
}

#[derive(Component)]
struct SheetRoot;

/// "24 hours", "1 hour", "3 days".
pub fn lifetime(hours: u32) -> String {
    match hours {
        1 => "1 hour".into(),
        h if h % 24 == 0 && h > 24 => format!("{} days", h / 24),
        24 => "24 hours".into(),
        h => format!("{h} hours"),
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
    let title = commands.spawn(text("Take it home", 48.0, INK)).id();
    commands.entity(root).add_child(title);
    let mut children = Vec::new();
    match &*take_home {
        TakeHome::BeforeYouGo => {
            let line = "Before you go: take what you tried home on your phone? No app, no account.";
            children.push(commands.spawn(text(line, 32.0, INK)).id());
            let actions = commands.spawn(Node { column_gap: px(30), ..default() }).id();
            let take = message_button(&mut commands, "Take it home", &metrics, ACCENT, TakeHomeAction::Open);
            let end = message_button(&mut commands, "End session", &metrics, BUTTON, EndNow);
            commands.entity(actions).add_children(&[take, end]);
            children.push(actions);
        }
        TakeHome::Preview { looks: ticked } => {
            let lifetime = lifetime(settings.takehome.expiry_h);
            let intro = format!(
                "On your own phone: no app, no account. The link works for {lifetime}; you can delete it any time."
            );
            children.push(commands.spawn(text(intro, 28.0, INK_DIM)).id());
            let catalog = shelf.as_ref().map(|s| &s.0.catalog);
            let lines: Vec<String> = room
                .0
                .iter()
                .filter_map(|item| catalog.and_then(|c| c.by_sku(&item.sku)))
                .map(|(product, variant)| {
                    let fit = verdicts.0.get(&variant.sku).map(|v| format!(" · {}", v.label())).unwrap_or_default();
                    format!("{} · {} · {}{fit}", product.name, variant.size, variant.colour)
                })
                .collect();
            if lines.is_empty() {
                children
                    .push(commands.spawn(text("No items identified yet: scan what you tried first.", 30.0, INK)).id());
            }
            for line in lines {
                children.push(commands.spawn(text(line, 30.0, INK)).id());
            }
            if !looks.taken.is_empty() {
                children.push(commands.spawn(text("Your looks go only if you tick them:", 28.0, INK_DIM)).id());
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
                    let (label, color) = if included { ("✔ Include", SELECTED) } else { ("Include", BUTTON) };
                    let tick =
                        message_button(&mut commands, label, &metrics, color, TakeHomeAction::ToggleLook(look.id));
                    commands.entity(card).add_children(&[picture, tick]);
                    commands.entity(row).add_child(card);
                }
                children.push(row);
            }
            let actions = commands.spawn(Node { column_gap: px(30), ..default() }).id();
            let send = message_button(&mut commands, "Make my link", &metrics, ACCENT, TakeHomeAction::Send);
            let decline = message_button(&mut commands, "Not now", &metrics, BUTTON, TakeHomeAction::Close);
            commands.entity(actions).add_children(&[send, decline]);
            children.push(actions);
        }
        TakeHome::Sending { .. } => children.push(commands.spawn(text("Making your link…", 34.0, INK)).id()),
        TakeHome::Ready { link, .. } => {
            children.push(commands.spawn(text("Scan with your phone's camera", 34.0, INK)).id());
            if let Some(image) = qr_image(link, 8) {
                let handle = images.add(image);
                *qr = Some(handle.clone());
                children.push(
                    commands
                        .spawn((Node { width: px(420), height: px(420), ..default() }, ImageNode::new(handle)))
                        .id(),
                );
            }
            let until = format!(
                "The link works for {}; delete it on your phone any time. Ending your session here does not delete it.",
                lifetime(settings.takehome.expiry_h)
            );
            children.push(commands.spawn(text(until, 26.0, INK_DIM)).id());
            children.push(message_button(&mut commands, "Done", &metrics, ACCENT, TakeHomeAction::Close));
        }
        TakeHome::Failed { reason } => {
            let line = format!("We couldn't make your link: {reason}. Please ask at the desk.");
            children.push(commands.spawn(text(line, 30.0, INK)).id());
            children.push(message_button(&mut commands, "Close", &metrics, BUTTON, TakeHomeAction::Close));
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
        assert_eq!(lifetime(1), "1 hour");
        assert_eq!(lifetime(24), "24 hours");
        assert_eq!(lifetime(36), "36 hours");
        assert_eq!(lifetime(72), "3 days");
        assert_eq!(lifetime(168), "7 days");
    }
}
