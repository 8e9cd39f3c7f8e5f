//! The shopper-session state machine.
//!
//! A kiosk is always in one [`Phase`]. Time is passed in by the caller as a [`Duration`] since an
//! arbitrary origin, so the machine is deterministic and tests drive it with manual time.
//!
//! ```text
//!            touch                         inactivity                 countdown over
//! Attract ─────────► Active ◄──── touch ──── StillThere ───────────────► Attract (wipe)
//!    ▲                 │  ──────────────────────►  │
//!    │                 │ end button                │ end button
//!    └─────────────────┴───────────────────────────┘ (wipe)
//! any ── maintenance on ──► Maintenance ── maintenance off ──► Attract
//! ```
//! Every transition that ends a shopper's session reports an [`EndedSession`]; every transition
//! into Attract or Maintenance requires a privacy wipe ([`Transition::requires_privacy_wipe`]).

use std::time::Duration;

/// What the kiosk is doing right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Idle screen: brand and "Touch to start"; nobody is using the mirror.
    Attract,
    /// A shopper is using the mirror.
    Active,
    /// No touch for the inactivity timeout: a countdown asks whether the shopper is still there.
    StillThere,
    /// Out of service (remote command); touches are ignored.
    Maintenance,
}

/// Something that happened, fed to [`SessionMachine::apply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionInput {
    /// The shopper touched or clicked the screen.
    Touch,
    /// The shopper pressed "End session".
    EndButton,
    /// A remote command ended the session.
    EndRemote,
    /// The kiosk is being stopped (SIGTERM from systemd, a reboot or an update).
    Shutdown,
    /// Time passed; checks the inactivity and countdown timeouts.
    Tick,
    /// Maintenance mode switched on or off remotely.
    SetMaintenance(bool),
}

/// Why a shopper's session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    EndButton,
    Timeout,
    Remote,
    Maintenance,
    /// The kiosk was stopped mid-session (systemd, reboot, update).
    Shutdown,
}

/// A session that just ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndedSession {
    pub reason: EndReason,
    /// From the first touch to the end.
    pub duration: Duration,
}

/// A change of phase reported by [`SessionMachine::apply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub from: Phase,
    pub to: Phase,
    /// Set when this transition ended a shopper's session.
    pub ended: Option<EndedSession>,
}

impl Transition {
    /// Whether every feature must now drop what the session made (frames, clips, streams).
    pub fn requires_privacy_wipe(&self) -> bool {
        matches!(self.to, Phase::Attract | Phase::Maintenance)
    }

    /// Whether this transition started a new shopper session.
    pub fn started_session(&self) -> bool {
        self.from == Phase::Attract && self.to == Phase::Active
    }
}

/// How long the machine waits before asking and before giving up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionTimeouts {
    /// No touch for this long while Active → StillThere.
    pub inactivity: Duration,
    /// StillThere for this long with no touch → Attract.
    pub warning: Duration,
}

/// The session state machine. See the module documentation for the transitions.
#[derive(Debug, Clone)]
pub struct SessionMachine {
    phase: Phase,
    timeouts: SessionTimeouts,
    last_activity: Duration,
    warning_since: Duration,
    session_started: Duration,
}

impl SessionMachine {
    /// A machine in Attract.
    pub fn new(timeouts: SessionTimeouts) -> Self {
        Self {
            phase: Phase::Attract,
            timeouts,
            last_activity: Duration::ZERO,
            warning_since: Duration::ZERO,
            session_started: Duration::ZERO,
        }
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// New timeouts (a reloaded configuration); a running countdown keeps its start.
    pub fn set_timeouts(&mut self, timeouts: SessionTimeouts) {
        self.timeouts = timeouts;
    }

    /// Seconds left on the "Still there?" countdown, or `None` outside StillThere.
    pub fn countdown_remaining(&self, now: Duration) -> Option<Duration> {
        (self.phase == Phase::StillThere)
            .then(|| self.timeouts.warning.saturating_sub(now.saturating_sub(self.warning_since)))
    }

    /// Feeds one input at time `now`; returns the transition if the phase changed.
    pub fn apply(&mut self, input: SessionInput, now: Duration) -> Option<Transition> {
        use Phase::*;
        use SessionInput::*;
        let next = match (self.phase, input) {
            (_, SetMaintenance(true)) if self.phase != Phase::Maintenance => {
                Some((Phase::Maintenance, Some(EndReason::Maintenance)))
            }
            (Phase::Maintenance, SetMaintenance(false)) => Some((Attract, None)),
            (Phase::Maintenance, _) => None,
            (Attract, Touch) => {
                self.session_started = now;
                self.last_activity = now;
                Some((Active, None))
            }
            (Attract, _) => None,
            (Active | StillThere, EndButton) => Some((Attract, Some(EndReason::EndButton))),
            (Active | StillThere, EndRemote) => Some((Attract, Some(EndReason::Remote))),
            (Active | StillThere, Shutdown) => Some((Attract, Some(EndReason::Shutdown))),
            (Active, Touch) => {
                self.last_activity = now;
                None
            }
            (Active, Tick) if now.saturating_sub(self.last_activity) >= self.timeouts.inactivity => {
                self.warning_since = now;
                Some((StillThere, None))
            }
            (StillThere, Touch) => {
                self.last_activity = now;
                Some((Active, None))
            }
            (StillThere, Tick) if now.saturating_sub(self.warning_since) >= self.timeouts.warning => {
                Some((Attract, Some(EndReason::Timeout)))
            }
            (Active | StillThere, Tick | SetMaintenance(_)) => None,
        }?;
        let (to, reason) = next;
        let from = self.phase;
        self.phase = to;
        // Only a live shopper session (Active or StillThere) can end.
        let ended = reason
            .filter(|_| matches!(from, Active | StillThere))
            .map(|reason| EndedSession { reason, duration: now.saturating_sub(self.session_started) });
        Some(Transition { from, to, ended })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMEOUTS: SessionTimeouts =
        SessionTimeouts { inactivity: Duration::from_secs(60), warning: Duration::from_secs(10) };

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    fn active_at(t: u64) -> SessionMachine {
        let mut m = SessionMachine::new(TIMEOUTS);
        let started = m.apply(SessionInput::Touch, secs(t));
        assert!(started.is_some_and(|t| t.started_session()));
        m
    }

    #[test]
    fn starts_in_attract_and_ignores_everything_but_touch() {
        let mut m = SessionMachine::new(TIMEOUTS);
        assert_eq!(m.phase(), Phase::Attract);
        for input in [SessionInput::Tick, SessionInput::EndButton, SessionInput::EndRemote] {
            assert_eq!(m.apply(input, secs(1000)), None);
        }
        assert_eq!(m.phase(), Phase::Attract);
    }

    #[test]
    fn touch_in_attract_starts_a_session_without_a_wipe() {
        let mut m = SessionMachine::new(TIMEOUTS);
        let t = m.apply(SessionInput::Touch, secs(5));
        assert_eq!(t, Some(Transition { from: Phase::Attract, to: Phase::Active, ended: None }));
        assert!(!t.is_some_and(|t| t.requires_privacy_wipe()));
    }

    #[test]
    fn inactivity_leads_to_still_there_exactly_at_the_timeout() {
        let mut m = active_at(0);
        assert_eq!(m.apply(SessionInput::Tick, secs(59)), None);
        let t = m.apply(SessionInput::Tick, secs(60));
        assert_eq!(t.map(|t| t.to), Some(Phase::StillThere));
        assert_eq!(m.countdown_remaining(secs(63)), Some(secs(7)));
    }

    #[test]
    fn touches_keep_the_session_alive() {
        let mut m = active_at(0);
        for t in (30..300).step_by(30) {
            assert_eq!(m.apply(SessionInput::Touch, secs(t)), None);
            assert_eq!(m.apply(SessionInput::Tick, secs(t + 59)), None);
        }
        assert_eq!(m.phase(), Phase::Active);
    }

    #[test]
    fn touch_during_still_there_resumes_the_same_session() {
        let mut m = active_at(0);
        m.apply(SessionInput::Tick, secs(60));
        let t = m.apply(SessionInput::Touch, secs(65));
        assert_eq!(t, Some(Transition { from: Phase::StillThere, to: Phase::Active, ended: None }));
        assert!(!t.is_some_and(|t| t.started_session()));
        // The inactivity clock restarted at the touch.
        assert_eq!(m.apply(SessionInput::Tick, secs(124)), None);
        assert_eq!(m.apply(SessionInput::Tick, secs(125)).map(|t| t.to), Some(Phase::StillThere));
    }

    #[test]
    fn countdown_expiry_ends_the_session_with_a_wipe() {
        let mut m = active_at(100);
        m.apply(SessionInput::Tick, secs(160));
        assert_eq!(m.apply(SessionInput::Tick, secs(169)), None);
        let t = m.apply(SessionInput::Tick, secs(170));
        let Some(t) = t else { panic!("the countdown must end the session") };
        assert_eq!((t.from, t.to), (Phase::StillThere, Phase::Attract));
        assert_eq!(t.ended, Some(EndedSession { reason: EndReason::Timeout, duration: secs(70) }));
        assert!(t.requires_privacy_wipe());
        assert_eq!(m.countdown_remaining(secs(171)), None);
    }

    #[test]
    fn end_button_ends_from_active_and_from_still_there() {
        let mut m = active_at(0);
        let t = m.apply(SessionInput::EndButton, secs(42));
        assert_eq!(t.and_then(|t| t.ended), Some(EndedSession { reason: EndReason::EndButton, duration: secs(42) }));
        assert!(t.is_some_and(|t| t.requires_privacy_wipe()));

        let mut m = active_at(0);
        m.apply(SessionInput::Tick, secs(60));
        let t = m.apply(SessionInput::EndButton, secs(61));
        assert_eq!(t.map(|t| (t.from, t.to)), Some((Phase::StillThere, Phase::Attract)));
    }

    #[test]
    fn remote_end_reports_its_reason() {
        let mut m = active_at(0);
        let t = m.apply(SessionInput::EndRemote, secs(3));
        assert_eq!(t.and_then(|t| t.ended).map(|e| e.reason), Some(EndReason::Remote));
    }

    #[test]
    fn maintenance_ends_a_live_session_and_ignores_touches() {
        let mut m = active_at(0);
        let t = m.apply(SessionInput::SetMaintenance(true), secs(8));
        let Some(t) = t else { panic!("maintenance must take over") };
        assert_eq!(t.to, Phase::Maintenance);
        assert_eq!(t.ended.map(|e| e.reason), Some(EndReason::Maintenance));
        assert!(t.requires_privacy_wipe());

        for input in [SessionInput::Touch, SessionInput::Tick, SessionInput::EndButton] {
            assert_eq!(m.apply(input, secs(1000)), None);
        }
        assert_eq!(m.apply(SessionInput::SetMaintenance(true), secs(1001)), None);
        let t = m.apply(SessionInput::SetMaintenance(false), secs(1002));
        assert_eq!(t, Some(Transition { from: Phase::Maintenance, to: Phase::Attract, ended: None }));
    }

    #[test]
    fn maintenance_from_attract_ends_no_session() {
        let mut m = SessionMachine::new(TIMEOUTS);
        let t = m.apply(SessionInput::SetMaintenance(true), secs(1));
        assert_eq!(t.map(|t| (t.to, t.ended)), Some((Phase::Maintenance, None)));
        assert_eq!(m.apply(SessionInput::SetMaintenance(false), secs(2)).map(|t| t.to), Some(Phase::Attract));
    }

    #[test]
    fn maintenance_off_outside_maintenance_does_nothing() {
        let mut m = active_at(0);
        assert_eq!(m.apply(SessionInput::SetMaintenance(false), secs(1)), None);
        assert_eq!(m.phase(), Phase::Active);
    }
}
