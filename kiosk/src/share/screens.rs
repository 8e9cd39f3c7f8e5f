//! What the share plugin draws: the consent screen, the QR code of the viewer link with the link
//! as text and "Stop sharing", and the LIVE badge with the viewer count and the friends' tally.

use bevy::{
    asset::RenderAssetUsages,
    image::ImageSampler,
    input_focus::{AutoFocus, tab_navigation::TabGroup},
    prelude::*,
    render::render_resource::{Extent3d, TextureDimension, TextureFormat},
};

use super::{ShareConsent, ShareCounts, SharePhase, StopSharing};
use crate::{
    i18n::Localized,
    ui::theme::{
        GO, INK, INK_DIM, LIVE_RED, Metrics, NEUTRAL, PANEL, SCRIM, STOP, button, card, screen, t, text, verbatim,
    },
};

#[derive(Component)]
pub(super) struct ShareUi;

#[derive(Component)]
pub(super) struct LiveBadgeText;

#[derive(Component)]
pub(super) struct TallyText;

/// A QR code as a texture: dark modules on white with the standard 4-module quiet zone,
/// `scale` pixels per module, sampled nearest so it stays crisp.
pub fn qr_image(url: &str, scale: usize) -> Option<Image> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 8) * scale;
    let mut rgba = vec![255u8; side * side * 4];
    for (i, color) in colors.iter().enumerate() {
        if *color != qrcode::Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + 4, i / modules + 4);
        for y in my * scale..(my + 1) * scale {
            let row = y * side * 4;
            rgba[row + mx * scale * 4..row + (mx + 1) * scale * 4]
                .chunks_exact_mut(4)
                .for_each(|p| p.copy_from_slice(&[0, 0, 0, 255]));
        }
    }
    let mut image = Image::new(
        Extent3d { width: side as u32, height: side as u32, depth_or_array_layers: 1 },
        TextureDimension::D2,
        rgba,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD,
    );
    image.sampler = ImageSampler::nearest();
    Some(image)
}

pub(super) fn live_label(counts: &ShareCounts, phase: &SharePhase) -> Localized {
    Localized::phrase(match phase {
        SharePhase::Stopping => t("share-live-stopping"),
        _ => t("share-live-watching").count("viewers", counts.viewers),
    })
}

pub(super) fn tally_label(counts: &ShareCounts) -> Localized {
    if counts.buy + counts.skip == 0 {
        Localized(verbatim(""))
    } else {
        Localized::phrase(t("share-tally").count("buy", counts.buy).count("skip", counts.skip))
    }
}

pub(super) fn rebuild_share_ui(
    mut commands: Commands,
    phase: Res<SharePhase>,
    counts: Res<ShareCounts>,
    metrics: Res<Metrics>,
    existing: Query<Entity, With<ShareUi>>,
    mut images: ResMut<Assets<Image>>,
) {
    for entity in &existing {
        commands.entity(entity).despawn();
    }
    // The LIVE badge is tied to whether anyone could be watching, nothing else.
    if phase.anyone_can_watch() {
        spawn_live_badge(&mut commands, &counts, &phase);
    }
    match &*phase {
        SharePhase::Idle | SharePhase::Stopping => {}
        SharePhase::Consent => spawn_consent(&mut commands, &metrics),
        SharePhase::Starting => {
            commands.spawn((
                ShareUi,
                screen(6, SCRIM),
                children![(card(), children![text(t("share-starting"), 48.0, INK)])],
            ));
        }
        SharePhase::Live { viewer_url } => {
            let qr = qr_image(viewer_url, 10).map(|image| images.add(image));
            spawn_qr_panel(&mut commands, &metrics, viewer_url, qr);
        }
    }
}

fn spawn_consent(commands: &mut Commands, metrics: &Metrics) {
    let panel = commands
        .spawn((
            card(),
            children![text(t("share-consent-title"), 64.0, INK), text(t("share-consent-body"), 34.0, INK_DIM),],
        ))
        .id();
    let row = commands.spawn(Node { column_gap: px(40), ..default() }).id();
    let yes = commands
        .spawn(button(t("share-start"), metrics, GO))
        .observe(|_: On<Pointer<Click>>, mut consent: MessageWriter<ShareConsent>| {
            consent.write(ShareConsent(true));
        })
        .id();
    let no = commands
        // The focus starts on declining: consent takes a deliberate step.
        .spawn((button(t("not-now"), metrics, NEUTRAL), AutoFocus))
        .observe(|_: On<Pointer<Click>>, mut consent: MessageWriter<ShareConsent>| {
            consent.write(ShareConsent(false));
        })
        .id();
    commands.entity(row).add_children(&[yes, no]);
    commands.entity(panel).add_child(row);
    commands.spawn((Name::new("Share consent"), ShareUi, screen(6, SCRIM), TabGroup::modal())).add_child(panel);
}

fn spawn_live_badge(commands: &mut Commands, counts: &ShareCounts, phase: &SharePhase) {
    commands.spawn((
        Name::new("LIVE badge"),
        ShareUi,
        Node {
            position_type: PositionType::Absolute,
            top: px(200),
            width: percent(100),
            flex_direction: FlexDirection::Column,
            align_items: AlignItems::Center,
            row_gap: px(12),
            ..default()
        },
        GlobalZIndex(7),
        Pickable::IGNORE,
        children![
            (
                Node { padding: UiRect::axes(px(36), px(14)), border_radius: BorderRadius::all(px(40)), ..default() },
                BackgroundColor(LIVE_RED),
                children![(LiveBadgeText, text(live_label(counts, phase).0, 48.0, Color::WHITE))],
            ),
            (
                Node { padding: UiRect::axes(px(24), px(8)), border_radius: BorderRadius::all(px(20)), ..default() },
                BackgroundColor(PANEL),
                children![(TallyText, text(tally_label(counts).0, 40.0, INK))],
            ),
        ],
    ));
}

fn spawn_qr_panel(commands: &mut Commands, metrics: &Metrics, viewer_url: &str, qr: Option<Handle<Image>>) {
    let panel = commands
        .spawn((
            Name::new("Share QR"),
            TabGroup::new(0),
            ShareUi,
            Node {
                position_type: PositionType::Absolute,
                right: px(40),
                bottom: px(260),
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                row_gap: px(14),
                padding: UiRect::all(px(24)),
                border_radius: BorderRadius::all(px(28)),
                ..default()
            },
            BackgroundColor(PANEL),
            GlobalZIndex(6),
        ))
        .id();
    let title = commands.spawn(text(t("share-scan"), 34.0, INK)).id();
    commands.entity(panel).add_child(title);
    if let Some(qr) = qr {
        let code = commands.spawn((Node { width: px(380), height: px(380), ..default() }, ImageNode::new(qr))).id();
        commands.entity(panel).add_child(code);
    }
    let link = commands
        .spawn((
            Node { max_width: px(380), ..default() },
            children![text(verbatim(viewer_url.to_string()), 18.0, INK_DIM)],
        ))
        .id();
    let stop = commands
        .spawn(button(t("share-stop"), metrics, STOP))
        .observe(|_: On<Pointer<Click>>, mut stop: MessageWriter<StopSharing>| {
            stop.write(StopSharing);
        })
        .id();
    commands.entity(panel).add_children(&[link, stop]);
}

pub(super) fn update_counts(
    counts: Res<ShareCounts>,
    phase: Res<SharePhase>,
    mut badges: Query<&mut Localized, (With<LiveBadgeText>, Without<TallyText>)>,
    mut tallies: Query<&mut Localized, (With<TallyText>, Without<LiveBadgeText>)>,
) {
    for mut text in &mut badges {
        text.set_if_neq(live_label(&counts, &phase));
    }
    for mut text in &mut tallies {
        text.set_if_neq(tally_label(&counts));
    }
}
