//! "Before you go": the first press on "End session" in a session with items in the room (and no
//! link made yet) offers "Take it home" beside "End session"; the second press, or "End
//! session" there, ends the session. The offer never keeps anything running: the press stops a
//! live share and closes the products panel and the mirror in motion at once, as an end would.
//! Every other press, and every other way a session ends (timeout, remote, maintenance), ends at
//! once.

use bevy::prelude::*;

use super::TakeHome;
use crate::{
    looks::motion::MotionAction,
    products::{InRoom, Panel},
    session::{EndSessionRequested, PrivacyWipe},
    settings::Settings,
    share::{ShareLink, StopSharing},
    ui::EndSessionPressed,
};

/// Whether this session was offered the take-home already (it is offered once).
#[derive(Resource, Debug, Default)]
pub struct Offered(pub bool);

#[allow(clippy::too_many_arguments)]
pub fn offer_before_ending(
    mut presses: MessageReader<EndSessionPressed>,
    settings: Res<Settings>,
    link: Option<Res<ShareLink>>,
    room: Res<InRoom>,
    mut offered: ResMut<Offered>,
    mut take_home: ResMut<TakeHome>,
    mut end: MessageWriter<EndSessionRequested>,
    mut stops: (MessageWriter<StopSharing>, MessageWriter<MotionAction>, Option<ResMut<Panel>>),
) {
    for _ in presses.read() {
        let worth_it = settings.takehome.enabled && link.is_some() && !room.0.is_empty();
        let made = matches!(*take_home, TakeHome::Ready { .. } | TakeHome::Sending { .. });
        if offered.0 || !worth_it || made || *take_home == TakeHome::BeforeYouGo {
            end.write(EndSessionRequested::Button);
            continue;
        }
        offered.0 = true;
        *take_home = TakeHome::BeforeYouGo;
        // Nothing keeps streaming or looking while the shopper decides.
        stops.0.write(StopSharing);
        stops.1.write(MotionAction::Close);
        if let Some(panel) = stops.2.as_mut() {
            panel.open = false;
        }
    }
}

/// "End session" on the offer.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndNow;

pub fn end_now(mut presses: MessageReader<EndNow>, mut end: MessageWriter<EndSessionRequested>) {
    if presses.read().count() > 0 {
        end.write(EndSessionRequested::Button);
    }
}

pub fn reset_on_wipe(mut wipes: MessageReader<PrivacyWipe>, mut offered: ResMut<Offered>) {
    if wipes.read().count() > 0 {
        offered.0 = false;
    }
}
