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

fn count_picks(
    mut changes: MessageReader<PicksChanged>,
    mut looks: ResMut<FriendsLooks>,
    mut usage: MessageWriter<Usage>,
) {
    for PicksChanged(picks) in changes.read() {
        let before: u32 = looks.picks.values().sum();
        looks.picks = picks.iter().filter(|p| looks.shown.contains(&p.look)).map(|p| (p.look, p.picks)).collect();
        let now: u32 = looks.picks.values().sum();
        if now > before {
            usage.write(Usage(UsageEvent::LookVoted { votes: now }));
        }
    }
}

#[cfg(test)]
mod tests {
    use camera::share_encoder::ShareFormat;
    use protocol::config::ShareSection;

    use super::*;
    use crate::{
        camera::CameraFeed,
        share::worker::{ShareSettings, ShareWorker},
    };

    fn app() -> App {
        // A worker whose relay never answers: commands go nowhere, as when no share runs.
        let feed = CameraFeed::synthetic_for_tests(false);
        let section = ShareSection { relay_url: "http://127.0.0.1:9".into(), ..ShareSection::default() };
        let format = ShareFormat { long_edge: 720, quality: 70, mirror: true, aspect: (9.0, 16.0) };
        let settings = ShareSettings { section, kiosk_id: "k1".into(), format, theme: Default::default() };
        let worker = ShareWorker::spawn(settings, feed.shared.clone()).unwrap_or_else(|e| panic!("{e}"));
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .insert_resource(ShareLink(worker))
            .init_resource::<SharePhase>()
            .add_message::<Usage>()
            .init_resource::<Seen>()
            .add_systems(Last, |mut usage: MessageReader<Usage>, mut seen: ResMut<Seen>| {
                seen.0.extend(usage.read().map(|u| u.0.clone()));
            })
            .add_plugins(plugin);
        app.update();
        app
    }

    /// Every usage event written so far.
    #[derive(Resource, Default)]
    struct Seen(Vec<UsageEvent>);

    fn show(app: &mut App, look: u64) {
        app.world_mut().write_message(ShowToFriends { look, items: vec![], jpeg: vec![0xFF, 0xD8] });
        app.update();
    }

    /// The usage events written since the last call.
    fn usage(app: &mut App) -> Vec<UsageEvent> {
        std::mem::take(&mut app.world_mut().resource_mut::<Seen>().0)
    }

    fn shown(app: &App) -> Vec<u64> {
        app.world().resource::<FriendsLooks>().shown.iter().copied().collect()
    }

    #[test]
    fn looks_are_shown_only_while_live_counted_and_forgotten_when_the_share_stops() {
        let mut app = app();
        show(&mut app, 1);
        assert!(shown(&app).is_empty(), "not sharing: nothing leaves the kiosk");
        assert!(usage(&mut app).is_empty());

        *app.world_mut().resource_mut::<SharePhase>() = SharePhase::Live { viewer_url: "http://x/v/t".into() };
        show(&mut app, 1);
        assert_eq!(shown(&app), [1]);
        assert_eq!(usage(&mut app), [UsageEvent::LookShown { shown: 1 }]);
        show(&mut app, 1);
        assert!(usage(&mut app).is_empty(), "a look shown twice counts once");
        show(&mut app, 2);
        assert_eq!(usage(&mut app), [UsageEvent::LookShown { shown: 2 }]);

        let picks =
            |pairs: &[(u64, u32)]| PicksChanged(pairs.iter().map(|&(look, picks)| LookPicks { look, picks }).collect());
        app.world_mut().write_message(picks(&[(1, 2), (2, 0), (9, 5)]));
        app.update();
        let friends = app.world().resource::<FriendsLooks>();
        assert_eq!((friends.picks_of(1), friends.picks_of(2), friends.picks_of(9)), (2, 0, 0), "only shown looks");
        assert_eq!(usage(&mut app), [UsageEvent::LookVoted { votes: 2 }]);
        app.world_mut().write_message(picks(&[(1, 1)]));
        app.update();
        assert!(usage(&mut app).is_empty(), "a friend who left is no new vote");

        app.world_mut().write_message(HideFromFriends(1));
        app.update();
        assert_eq!(shown(&app), [2]);
        *app.world_mut().resource_mut::<SharePhase>() = SharePhase::Idle;
        app.update();
        assert_eq!(*app.world().resource::<FriendsLooks>(), FriendsLooks::default(), "the next share shows nothing");
    }
}
