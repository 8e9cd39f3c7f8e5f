//! Store opening hours as IT writes them in the inventory and the kiosk config, e.g.
//! `Mo-Fr 09:00-20:00; Sa 10:00-18:00`: semicolon-separated rules, each days (`Mo`, `Mo-Fr`,
//! `Mo,We,Fr`) and a time range. Empty means always open.

/// Days of the week as `OpeningHours` writes them, Monday first.
const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

/// One rule: on these days (bit 0 = Monday), open from `open` to `close` (minutes after midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub days: u8,
    pub open: u16,
    pub close: u16,
}

/// Parsed opening hours.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpeningHours {
    /// Empty: always open.
    pub rules: Vec<Rule>,
}

fn day(name: &str) -> Result<usize, String> {
    DAYS.iter().position(|d| *d == name).ok_or_else(|| format!("{name:?} is not a day (Mo Tu We Th Fr Sa Su)"))
}

fn minutes(time: &str) -> Result<u16, String> {
    let bad = || format!("{time:?} is not a time (HH:MM, 00:00 to 24:00)");
    let (h, m) = time.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m > 59 || h > 24 || (h == 24 && m > 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

impl OpeningHours {
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut rules = Vec::new();
        for rule in text.split(';').map(str::trim).filter(|r| !r.is_empty()) {
            let (days, times) = rule
                .split_once(' ')
                .ok_or_else(|| format!("{rule:?}: expected DAYS HH:MM-HH:MM, e.g. Mo-Fr 09:00-20:00"))?;
            let mut mask = 0u8;
            for part in days.split(',') {
                match part.split_once('-') {
                    Some((from, to)) => {
                        let (from, to) = (day(from)?, day(to)?);
                        if from > to {
                            return Err(format!("{rule:?}: {part} runs backwards (weeks start on Mo)"));
                        }
                        (from..=to).for_each(|d| mask |= 1 << d);
                    }
                    None => mask |= 1 << day(part)?,
                }
            }
            let (open, close) =
                times.trim().split_once('-').ok_or_else(|| format!("{rule:?}: expected a time range HH:MM-HH:MM"))?;
            let (open, close) = (minutes(open)?, minutes(close)?);
            if open >= close {
                return Err(format!("{rule:?}: closes before it opens"));
            }
            rules.push(Rule { days: mask, open, close });
        }
        Ok(Self { rules })
    }

    /// Whether the store is open on `weekday` (0 = Monday) at `minute` after midnight.
    pub fn is_open(&self, weekday: usize, minute: u16) -> bool {
        self.rules.is_empty()
            || self.rules.iter().any(|r| r.days & (1 << weekday) != 0 && (r.open..r.close).contains(&minute))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_and_answer() {
        let hours = OpeningHours::parse("Mo-Fr 09:00-20:00; Sa 10:00-18:00").unwrap_or_default();
        assert_eq!(hours.rules.len(), 2);
        assert!(hours.is_open(0, 9 * 60) && !hours.is_open(0, 20 * 60), "closing time is closed");
        assert!(hours.is_open(5, 17 * 60 + 59) && !hours.is_open(6, 12 * 60), "Sunday closed");
        assert!(OpeningHours::parse("").is_ok_and(|h| h.is_open(6, 3)), "empty: always open");
        assert!(OpeningHours::parse("Mo,We,Fr 08:00-24:00").is_ok_and(|h| h.is_open(2, 23 * 60 + 59)));
    }

    #[test]
    fn mistakes_are_named() {
        for (text, expected) in [
            ("Mo-Fr 9-20", "not a time"),
            ("Xx 09:00-10:00", "not a day"),
            ("Fr-Mo 09:00-10:00", "backwards"),
            ("Mo 10:00-09:00", "closes before"),
            ("Mo", "expected DAYS"),
            ("Mo 25:00-26:00", "not a time"),
        ] {
            let err = OpeningHours::parse(text).err().unwrap_or_default();
            assert!(err.contains(expected), "{text:?}: {err}");
        }
    }
}
