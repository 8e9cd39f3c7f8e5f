//! Fit feedback on the mirror: under an item the shopper brought in, one-tap chips "Fits", "Too
//! small", "Too big", "Not for me". "Too small" / "Too big" offer the next size in one more tap:
//! in stock here, the size request ("Ask for L in white · 2 here"); not here but in the web shop,
//! "available online"; otherwise it says so. Each tap is a `fit_feedback` usage event (SKU and
//! verdict only), the input a chain acts on to cut returns. Verdicts live for the session.
//!
//! Owns [`FitVerdicts`]; reads [`GiveFit`]; the chips are drawn into the item view by
//! [`fit_section`].

use std::collections::BTreeMap;

use bevy::prelude::*;
use protocol::{
    catalog::{Product, Variant},
    fit::{FitVerdict, NextSize, next_size},
    telemetry::{Ident, UsageEvent},
};

use super::{
    View,
    panel::{Ctx, ask_for, chip, row, set_view},
};
use crate::{
    session::PrivacyWipe,
    telemetry::Usage,
    ui::theme::{INK, INK_DIM, Phrase, accent, button, t, text},
};

pub fn plugin(app: &mut App) {
    app.init_resource::<FitVerdicts>().add_message::<GiveFit>().add_systems(Update, (record_verdicts, forget_on_wipe));
}

/// This session's verdicts, per SKU tried.
#[derive(Resource, Debug, Default, Clone, PartialEq, Eq)]
pub struct FitVerdicts(pub BTreeMap<Ident, FitVerdict>);

/// A tap on a fit chip.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct GiveFit {
    pub sku: Ident,
    pub verdict: FitVerdict,
}

fn record_verdicts(
    mut taps: MessageReader<GiveFit>,
    mut verdicts: ResMut<FitVerdicts>,
    mut usage: MessageWriter<Usage>,
) {
    for GiveFit { sku, verdict } in taps.read() {
        verdicts.0.insert(sku.clone(), *verdict);
        usage.write(Usage(UsageEvent::FitFeedback { sku: sku.clone(), verdict: *verdict }));
    }
}

fn forget_on_wipe(mut wipes: MessageReader<PrivacyWipe>, mut verdicts: ResMut<FitVerdicts>) {
    if wipes.read().count() > 0 && !verdicts.0.is_empty() {
        verdicts.0.clear();
    }
}

/// A verdict's chip label.
pub fn verdict_phrase(verdict: FitVerdict) -> Phrase {
    t(match verdict {
        FitVerdict::Fits => "fit-fits",
        FitVerdict::TooSmall => "fit-too-small",
        FitVerdict::TooBig => "fit-too-big",
        FitVerdict::NotForMe => "fit-not-for-me",
    })
}

/// What the mirror says about the next size.
pub fn next_size_line(next: &NextSize<'_>, verdict: FitVerdict, colour: &str) -> Option<Phrase> {
    let phrase = |id, size: &str| t(id).text("size", size).text("colour", colour);
    Some(match next {
        NextSize::Here { .. } => return None,
        NextSize::Online { variant, .. } => phrase("fit-next-online", &variant.size),
        NextSize::Unavailable { variant } => phrase("fit-next-sold-out", &variant.size),
        NextSize::NoSize if verdict == FitVerdict::TooSmall => t("fit-no-larger").text("colour", colour),
        NextSize::NoSize if verdict == FitVerdict::TooBig => t("fit-no-smaller").text("colour", colour),
        NextSize::NoSize => return None,
    })
}

/// Fit feedback as the item view shows it: one row, "How does it fit?" and its chips, and what the
/// verdict leads to (the next size's request button, or a line saying where it is), which takes
/// the place of the item's own request button: the shopper has that size in hand.
pub(super) struct FitParts {
    pub chips: Entity,
    pub next: Option<Entity>,
}

/// The fit row for `current` if the shopper brought it into the room; nothing for an item only
/// browsed.
pub(super) fn fit_section(
    commands: &mut Commands,
    ctx: &Ctx<'_>,
    product: &Product,
    current: &Variant,
) -> Option<FitParts> {
    if !ctx.room.0.iter().any(|item| item.sku == current.sku) {
        return None;
    }
    let given = ctx.verdicts.0.get(&current.sku).copied();
    let chips = row(commands, 12.0);
    let title = commands.spawn(text(t("fit-title"), 30.0, INK_DIM)).id();
    commands.entity(chips).add_child(title);
    for verdict in FitVerdict::ALL {
        let c = chip(commands, ctx, verdict_phrase(verdict), None, given == Some(verdict), true);
        let sku = current.sku.clone();
        commands.entity(c).observe(move |_: On<Pointer<Click>>, mut taps: MessageWriter<GiveFit>| {
            taps.write(GiveFit { sku: sku.clone(), verdict });
        });
        commands.entity(chips).add_child(c);
    }
    let Some(verdict) = given else { return Some(FitParts { chips, next: None }) };
    let next = next_size(ctx.catalog, product, current, verdict, ctx.store);
    let next = match (&next, next_size_line(&next, verdict, &current.colour)) {
        (NextSize::Here { variant, units }, _) if ctx.requests_enabled => {
            let label = ask_for(variant, *units);
            let view = View::Confirm { sku: variant.sku.clone() };
            Some(commands.spawn(button(label, &ctx.metrics, accent())).observe(set_view(view)).id())
        }
        (NextSize::Here { variant, units }, _) => {
            let line =
                t("fit-next-here").text("size", &variant.size).text("colour", &variant.colour).count("units", *units);
            Some(commands.spawn(text(line, 30.0, INK)).id())
        }
        (_, Some(line)) => Some(commands.spawn(text(line, 30.0, INK)).id()),
        (_, None) => None,
    };
    Some(FitParts { chips, next })
}

#[cfg(test)]
mod tests {
    use bevy::ecs::message::Messages;

    use super::*;

    #[test]
    fn a_tap_is_remembered_counted_once_and_forgotten_at_the_session_end() {
        let mut app = App::new();
        app.add_plugins(MinimalPlugins).add_message::<Usage>().add_message::<PrivacyWipe>().add_plugins(plugin);
        let sku = Ident::new("oxford-shirt-white-M").unwrap_or_else(|e| panic!("{e}"));
        app.world_mut().write_message(GiveFit { sku: sku.clone(), verdict: FitVerdict::TooSmall });
        app.update();
        let usage = app.world().resource::<Messages<Usage>>();
        let events: Vec<UsageEvent> = usage.iter_current_update_messages().map(|u| u.0.clone()).collect();
        assert_eq!(events, [UsageEvent::FitFeedback { sku: sku.clone(), verdict: FitVerdict::TooSmall }]);
        app.world_mut().write_message(GiveFit { sku: sku.clone(), verdict: FitVerdict::Fits });
        app.update();
        assert_eq!(app.world().resource::<FitVerdicts>().0.get(&sku), Some(&FitVerdict::Fits), "the last tap counts");
        app.world_mut().write_message(PrivacyWipe);
        app.update();
        assert!(app.world().resource::<FitVerdicts>().0.is_empty());
    }

    #[test]
    fn the_next_size_reads_as_the_shopper_expects() {
        let variant = |size: &str| Variant {
            sku: Ident::new(format!("x-{size}")).unwrap_or_else(|e| panic!("{e}")),
            size: size.into(),
            colour: "white".into(),
            barcode: String::new(),
            stock: Default::default(),
            online: false,
        };
        let (s, m) = (variant("S"), variant("M"));
        let strings = i18n::Strings::load().unwrap_or_else(|e| panic!("{e}"));
        let line = |next: NextSize<'_>, verdict| {
            next_size_line(&next, verdict, "white").map(|p| strings.format(i18n::Language::En, &p))
        };
        assert_eq!(
            line(NextSize::Online { variant: &m, url: None }, FitVerdict::TooSmall).as_deref(),
            Some("M in white is available online")
        );
        assert_eq!(
            line(NextSize::Unavailable { variant: &s }, FitVerdict::TooBig).as_deref(),
            Some("S in white is sold out here and online")
        );
        assert_eq!(line(NextSize::NoSize, FitVerdict::TooSmall).as_deref(), Some("There is no larger size in white"));
        assert_eq!(line(NextSize::NoSize, FitVerdict::TooBig).as_deref(), Some("There is no smaller size in white"));
        assert_eq!(line(NextSize::NoSize, FitVerdict::Fits), None);
        assert_eq!(line(NextSize::Here { variant: &m, units: 2 }, FitVerdict::TooSmall), None, "a button, not a line");
    }
}
