//! The looks a shopper chose to show the friends watching one share, and the friends' "This one"
//! picks across them. In memory only, inside the session: ending the session clears them, and
//! nothing but this session's viewers can see them (pictures are served under the viewer token).

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Mutex, MutexGuard},
};

use bytes::Bytes;
use protocol::{
    labels::check_label,
    share::{LookCard, LookItem, LookPicks, MAX_LOOK_ITEMS, MAX_SHOWN_LOOKS},
};

/// Why a look the kiosk sent was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookRefused {
    #[error("the picture is not a JPEG")]
    NotJpeg,
    #[error("at most {MAX_SHOWN_LOOKS} looks may be shown")]
    TooMany,
    #[error("at most {MAX_LOOK_ITEMS} items per look")]
    TooManyItems,
    #[error("item {0}: {1}")]
    Item(usize, String),
}

#[derive(Debug)]
struct ShownLook {
    items: Vec<LookItem>,
    jpeg: Bytes,
}

#[derive(Debug, Default)]
struct State {
    looks: BTreeMap<u64, ShownLook>,
    /// Each viewer's one pick: viewer → look.
    picks: HashMap<u64, u64>,
}

/// One share's shown looks.
#[derive(Debug, Default)]
pub struct ShownLooks(Mutex<State>);

impl ShownLooks {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Shows (or replaces) `look`.
    pub fn show(&self, look: u64, items: Vec<LookItem>, jpeg: Bytes) -> Result<(), LookRefused> {
        if !jpeg.starts_with(&[0xFF, 0xD8]) {
            return Err(LookRefused::NotJpeg);
        }
        if items.len() > MAX_LOOK_ITEMS {
            return Err(LookRefused::TooManyItems);
        }
        for (i, item) in items.iter().enumerate() {
            check_label(&item.name).map_err(|e| LookRefused::Item(i, format!("name {e}")))?;
            if !item.price.is_empty() {
                check_label(&item.price).map_err(|e| LookRefused::Item(i, format!("price {e}")))?;
            }
        }
        let mut state = self.lock();
        if !state.looks.contains_key(&look) && state.looks.len() >= MAX_SHOWN_LOOKS {
            return Err(LookRefused::TooMany);
        }
        state.looks.insert(look, ShownLook { items, jpeg });
        Ok(())
    }

    /// Takes `look` off every page, with its picks. Returns whether it was shown.
    pub fn hide(&self, look: u64) -> bool {
        let mut state = self.lock();
        state.picks.retain(|_, picked| *picked != look);
        state.looks.remove(&look).is_some()
    }

    /// `viewer` picks `look` (replacing their earlier pick); false if it is not shown.
    pub fn pick(&self, viewer: u64, look: u64) -> bool {
        let mut state = self.lock();
        if !state.looks.contains_key(&look) {
            return false;
        }
        state.picks.insert(viewer, look) != Some(look)
    }

    /// Drops the pick of a viewer who left; returns whether they had one.
    pub fn viewer_left(&self, viewer: u64) -> bool {
        self.lock().picks.remove(&viewer).is_some()
    }

    /// Forgets every look and pick (the session ended).
    pub fn clear(&self) {
        let mut state = self.lock();
        state.looks.clear();
        state.picks.clear();
    }

    pub fn picture(&self, look: u64) -> Option<Bytes> {
        self.lock().looks.get(&look).map(|l| l.jpeg.clone())
    }

    pub fn count(&self) -> usize {
        self.lock().looks.len()
    }

    fn picks_of(state: &State, look: u64) -> u32 {
        state.picks.values().filter(|picked| **picked == look).count() as u32
    }

    /// The cards viewers' pages list, oldest look first.
    pub fn cards(&self) -> Vec<LookCard> {
        let state = self.lock();
        state
            .looks
            .iter()
            .map(|(look, shown)| LookCard {
                look: *look,
                items: shown.items.clone(),
                picks: Self::picks_of(&state, *look),
            })
            .collect()
    }

    /// The picks per shown look, for the mirror.
    pub fn picks(&self) -> Vec<LookPicks> {
        let state = self.lock();
        state.looks.keys().map(|look| LookPicks { look: *look, picks: Self::picks_of(&state, *look) }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str) -> LookItem {
        LookItem { name: name.into(), price: "€49.00".into() }
    }

    const JPEG: &[u8] = b"\xFF\xD8rest";

    #[test]
    fn each_viewer_picks_one_look_and_hiding_drops_its_picks() {
        let looks = ShownLooks::default();
        assert_eq!(looks.show(1, vec![item("Oxford shirt")], Bytes::from_static(JPEG)), Ok(()));
        assert_eq!(looks.show(2, vec![item("Slim chinos")], Bytes::from_static(JPEG)), Ok(()));
        assert!(looks.pick(10, 1) && looks.pick(11, 1));
        assert!(!looks.pick(12, 3), "a look that is not shown cannot be picked");
        assert!(looks.pick(10, 2), "a new pick moves the viewer's vote");
        assert_eq!(looks.picks(), vec![LookPicks { look: 1, picks: 1 }, LookPicks { look: 2, picks: 1 }]);
        assert!(looks.hide(1));
        assert_eq!(looks.picks(), vec![LookPicks { look: 2, picks: 1 }]);
        assert!(looks.viewer_left(10));
        assert_eq!(looks.cards()[0].picks, 0);
        looks.clear();
        assert_eq!((looks.count(), looks.picture(2)), (0, None));
    }

    #[test]
    fn bad_looks_are_refused_naming_what() {
        let looks = ShownLooks::default();
        assert_eq!(looks.show(1, vec![], Bytes::from_static(b"GIF89a")), Err(LookRefused::NotJpeg));
        let nine = (0..9).map(|i| item(&format!("Item {i}"))).collect();
        assert_eq!(looks.show(1, nine, Bytes::from_static(JPEG)), Err(LookRefused::TooManyItems));
        let bad = looks.show(1, vec![item("ok"), item("tab\there")], Bytes::from_static(JPEG));
        assert!(matches!(bad, Err(LookRefused::Item(1, ref e)) if e.contains("control")), "{bad:?}");
        for look in 0..MAX_SHOWN_LOOKS as u64 {
            assert_eq!(looks.show(look, vec![], Bytes::from_static(JPEG)), Ok(()));
        }
        assert_eq!(looks.show(99, vec![], Bytes::from_static(JPEG)), Err(LookRefused::TooMany));
        assert_eq!(looks.show(0, vec![], Bytes::from_static(JPEG)), Ok(()), "replacing a shown look is fine");
    }
}
