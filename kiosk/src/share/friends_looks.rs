//! Looks shown to the friends watching: "Show friends" on a look sends its picture and items to
//! the relay, only while sharing, and only that look; friends' "This one" picks come back as a
//! tally per look. Stopping the share (or ending the session) forgets what was shown: the relay
//! drops the looks with the share, and the next share starts with none shown.
//!
//! Owns [`FriendsLooks`]; reads [`ShowToFriends`]/[`HideFromFriends`] (the looks plugin writes
//! them) and [`PicksChanged`] (from the worker's events); writes `look_shown`, `look_voted`.

use std::collections::{BTreeMap, BTreeSet};

use bevy::prelude::*;
use protocol::{
    share::{LookItem, LookPicks},
    telemetry::UsageEvent,
};

use super::{ShareLink, SharePhase, worker::ShareCommand};
use crate::telemetry::Usage;

pub fn plugin(app: &mut App) {
    app.init_resource::<FriendsLooks>()
        .add_message::<ShowToFriends>()
        .add_message::<HideFromFriends>()
        .add_message::<PicksChanged>()
        .add_systems(Update, (forget_when_not_live, show_and_hide, count_picks).chain());
}

/// "Show friends" on a look.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct ShowToFriends {
    pub look: u64,
    pub items: Vec<LookItem>,
    pub jpeg: Vec<u8>,
}

/// Take a look back from friends (tapped again, or the look was deleted).
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct HideFromFriends(pub u64);

/// The relay's picks per shown look.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct PicksChanged(pub Vec<LookPicks>);

/// What this share shows and what friends picked.
#[derive(Resource, Debug, Default, Clone, PartialEq, Eq)]
pub struct FriendsLooks {
    pub shown: BTreeSet<u64>,
    /// Friends' picks per shown look.
    pub picks: BTreeMap<u64, u32>,
    /// Looks shown in this share so far (for `look_shown`).
    shown_in_share: u32,
}

impl FriendsLooks {
    pub fn picks_of(&self, look: u64) -> u32 {
        self.picks.get(&look).copied().unwrap_or(0)
    }
}

fn forget_when_not_live(phase: Res<SharePhase>, mut looks: ResMut<FriendsLooks>) {
    if phase.is_changed() && !matches!(*phase, SharePhase::Live { .. }) && *looks != FriendsLooks::default() {
        *looks = FriendsLooks::default();
    }
}

fn show_and_hide(
    mut shows: MessageReader<ShowToFriends>,
    mut hides: MessageReader<HideFromFriends>,
    phase: Res<SharePhase>,
    link: Option<Res<ShareLink>>,
    mut looks: ResMut<FriendsLooks>,
    mut usage: MessageWriter<Usage>,
) {
    let live = matches!(*phase, SharePhase::Live { .. });
    for show in shows.read() {
        let Some(link) = link.as_ref().filter(|_| live) else { continue };
        if show.jpeg.is_empty() || looks.shown.contains(&show.look) {
            continue;
        }
        link.0.send(ShareCommand::ShowLook { look: show.look, items: show.items.clone(), jpeg: show.jpeg.clone() });
        looks.shown.insert(show.look);
        looks.shown_in_share += 1;
        usage.write(Usage(UsageEvent::LookShown { shown: looks.shown_in_share }));
        info!("share: look {} shown to friends", show.look);
    }
    for HideFromFriends(look) in hides.read() {
        if looks.shown.remove(look) {
            looks.picks.remove(look);
            if let Some(link) = link.as_ref().filter(|_| live) {
                link.0.send(ShareCommand::HideLook { look: *look });
            }
        }
    }
}

fn count_picks(mut changes: MessageReader<PicksChanged>, mut looks: ResMut<FriendsLooks>, mut usage: MessageWriter<Usage>) {
    for PicksChanged(picks) in changes.read() {
        let before: u32 = looks.picks.values().sum();
        looks.picks = picks.iter().filter(|p| looks.shown.contains(&p.look)).map(|p| (p.look, p.picks)).collect();
        let now: u32 = looks.picks.values().sum();
        if now > before {
            usage.write(Usage(UsageEvent::LookVoted { votes: now }));
        }
    }
}
