//! The inventory: one CSV row per kiosk, checked as a whole before anything is written. Every
//! problem is reported with its line and column (1-based, as a spreadsheet shows them) and the
//! column's name; one bad row stops the run.
//!
//! ```text
//! store,kiosk_id,room,profile,time_zone,opening_hours,region
//! berlin-01,berlin-01-r1,Room 1,elo-43-portrait,Europe/Berlin,Mo-Sa 10:00-20:00,eu-central
//! ```

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    fmt,
};

use protocol::{labels, schedule::OpeningHours};
use serde::Deserialize;

/// The columns, in the order the header must name them.
pub const COLUMNS: [&str; 7] = ["store", "kiosk_id", "room", "profile", "time_zone", "opening_hours", "region"];

/// Where a region's kiosks connect.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub broker_url: String,
    pub relay_url: String,
    /// Where that region's relay listens (behind its TLS proxy).
    #[serde(default = "default_relay_listen")]
    pub relay_listen: String,
}

fn default_relay_listen() -> String {
    "0.0.0.0:8090".into()
}

/// `regions.toml`: `[regions.NAME]` tables.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regions {
    pub regions: BTreeMap<String, Region>,
}

/// One kiosk, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kiosk {
    /// The CSV line it came from.
    pub line: u64,
    pub store: String,
    pub id: String,
    pub room: String,
    pub profile: String,
    pub time_zone: String,
    pub opening_hours: String,
    pub region: String,
}

/// One problem in the inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    /// 1-based; 0 when the whole row is at fault.
    pub column: usize,
    pub problem: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match COLUMNS.get(self.column.wrapping_sub(1)) {
            Some(name) => write!(f, "line {}, column {} ({name}): {}", self.line, self.column, self.problem),
            None => write!(f, "line {}: {}", self.line, self.problem),
        }
    }
}

fn check(column: &str, value: &str, profiles: &BTreeSet<String>, regions: &Regions) -> Result<(), String> {
    match column {
        "store" | "kiosk_id" => labels::check_topic_id(value).map_err(|problem| format!("{value:?} {problem}")),
        "room" => labels::check_label(value).map_err(|problem| format!("{value:?}: {problem}")),
        "profile" if !profiles.contains(value) => Err(format!(
            "unknown hardware profile {value:?} (known: {})",
            profiles.iter().cloned().collect::<Vec<_>>().join(", ")
        )),
        "time_zone" if value.parse::<chrono_tz::Tz>().is_err() => {
            Err(format!("{value:?} is not an IANA time zone (e.g. Europe/Berlin)"))
        }
        "opening_hours" => OpeningHours::parse(value).map(|_| ()),
        "region" if !regions.regions.contains_key(value) => Err(format!(
            "unknown region {value:?} (regions.toml has: {})",
            regions.regions.keys().cloned().collect::<Vec<_>>().join(", ")
        )),
        _ => Ok(()),
    }
}

/// Parses and checks the whole inventory. `Err` holds every problem found, in line order.
pub fn parse(csv_text: &str, profiles: &BTreeSet<String>, regions: &Regions) -> Result<Vec<Kiosk>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut reader = csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(csv_text.as_bytes());
    match reader.headers() {
        Ok(header) if header.iter().eq(COLUMNS.iter().copied()) => {}
        Ok(header) => {
            let found: Vec<&str> = header.iter().collect();
            let column = found.iter().zip(COLUMNS).position(|(a, b)| *a != b).map_or(found.len() + 1, |i| i + 1);
            errors.push(RowError {
                line: 1,
                column: 0,
                problem: format!(
                    "the header must be `{}` (column {column} differs: found `{}`)",
                    COLUMNS.join(","),
                    found.join(",")
                ),
            });
            return Err(errors);
        }
        Err(e) => return Err(vec![RowError { line: 1, column: 0, problem: e.to_string() }]),
    }
    let mut kiosks = Vec::new();
    let mut first_line_of: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(RowError { line, column: 0, problem: e.to_string() });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != COLUMNS.len() {
            errors.push(RowError {
                line,
                column: 0,
                problem: format!("{} fields, expected {}", record.len(), COLUMNS.len()),
            });
            continue;
        }
        let mut row_ok = true;
        for (index, (column, value)) in COLUMNS.iter().zip(record.iter()).enumerate() {
            if let Err(problem) = check(column, value, profiles, regions) {
                errors.push(RowError { line, column: index + 1, problem });
                row_ok = false;
            }
        }
        let id = record[1].to_string();
        if let Some(first) = first_line_of.get(&id) {
            errors.push(RowError {
                line,
                column: 2,
                problem: format!("kiosk id {id:?} is already used on line {first}"),
            });
            continue;
        }
        first_line_of.insert(id.clone(), line);
        if row_ok {
            kiosks.push(Kiosk {
                line,
                store: record[0].to_string(),
                id,
                room: record[2].to_string(),
                profile: record[3].to_string(),
                time_zone: record[4].to_string(),
                opening_hours: record[5].to_string(),
                region: record[6].to_string(),
            });
        }
    }
    if errors.is_empty() { Ok(kiosks) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions() -> Regions {
        let region = Region {
            broker_url: "mqtts://b.example:8883".into(),
            relay_url: "https://r.example".into(),
            relay_listen: default_relay_listen(),
        };
        Regions { regions: [("eu".to_string(), region)].into() }
    }

    fn profiles() -> BTreeSet<String> {
        ["elo-43-portrait".to_string()].into()
    }

    const HEADER: &str = "store,kiosk_id,room,profile,time_zone,opening_hours,region\n";

    #[test]
    fn a_good_inventory_parses() {
        let text = format!("{HEADER}s1,k1,Room 1,elo-43-portrait,Europe/Berlin,Mo-Sa 10:00-20:00,eu\n");
        let kiosks = parse(&text, &profiles(), &regions()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(kiosks.len(), 1);
        assert_eq!((kiosks[0].line, kiosks[0].room.as_str()), (2, "Room 1"));
    }

    #[test]
    fn every_problem_is_named_with_line_and_column() {
        let text = format!(
            "{HEADER}\
             s1,k1,Room 1,elo-43-portrait,Europe/Berlin,,eu\n\
             s1,k1,Room 2,elo-43-portrait,Europe/Berlin,,eu\n\
             s1,k2,Room 3,plasma-9000,Europe/Berlin,,eu\n\
             s1,k3,Room 4,elo-43-portrait,Mars/Olympus,,eu\n\
             s1,k4,Room 5,elo-43-portrait,Europe/Berlin,Mo 9-5,eu\n\
             s/1,k5,Room 6,elo-43-portrait,Europe/Berlin,,moon\n\
             s1,k6,Room 7\n"
        );
        let errors = parse(&text, &profiles(), &regions()).err().unwrap_or_default();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        let expected = [
            "line 3, column 2 (kiosk_id): kiosk id \"k1\" is already used on line 2",
            "line 4, column 4 (profile): unknown hardware profile \"plasma-9000\" (known: elo-43-portrait)",
            "line 5, column 5 (time_zone): \"Mars/Olympus\" is not an IANA time zone (e.g. Europe/Berlin)",
            "line 6, column 6 (opening_hours): \"9\" is not a time (HH:MM, 00:00 to 24:00)",
            "line 7, column 1 (store):",
            "line 7, column 7 (region): unknown region \"moon\" (regions.toml has: eu)",
            "line 8:",
        ];
        assert_eq!(shown.len(), expected.len(), "{shown:#?}");
        for (shown, expected) in shown.iter().zip(expected) {
            assert!(shown.starts_with(expected), "{shown:?} should start with {expected:?}");
        }
    }

    #[test]
    fn labels_and_ids_follow_the_rules_the_kiosk_and_staff_side_apply() {
        let text = format!(
            "{HEADER}\
             s1,k1,\"Room\t1\",elo-43-portrait,Europe/Berlin,,eu\n\
             s1,k2,\"Room\n2\",elo-43-portrait,Europe/Berlin,,eu\n\
             s1,k3,Room\u{0}3,elo-43-portrait,Europe/Berlin,,eu\n\
             s1,{},Room 4,elo-43-portrait,Europe/Berlin,,eu\n",
            "k".repeat(65)
        );
        let errors = parse(&text, &profiles(), &regions()).err().unwrap_or_default();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        let expected = [
            "line 2, column 3 (room): \"Room\\t1\": control characters are not allowed",
            "line 3, column 3 (room): \"Room\\n2\": control characters are not allowed",
            "line 5, column 3 (room): \"Room\\03\": control characters are not allowed",
            "line 6, column 2 (kiosk_id):",
        ];
        assert_eq!(shown.len(), expected.len(), "{shown:#?}");
        for (shown, expected) in shown.iter().zip(expected) {
            assert!(shown.starts_with(expected), "{shown:?} should start with {expected:?}");
        }
        for (kiosk, toml_room) in [("k1", r"Room\t1"), ("k2", r"Room\n2"), ("k3", r"Room\u00003")] {
            let config = format!("[kiosk]\nid = \"{kiosk}\"\nroom = \"{toml_room}\"\n");
            let config =
                protocol::config::KioskConfig::from_toml(&config, protocol::config::ConfigOrigin::Defaults, &[]);
            assert!(
                matches!(&config, Err(protocol::config::ConfigError::Key { key, .. }) if key == "kiosk.room"),
                "the kiosk refuses {toml_room} too: {config:?}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Any inventory text: no panic; every problem names a line; every kiosk accepted has
        /// ids and a room the kiosk and the staff side accept.
        #[test]
        fn any_inventory_text_is_parsed_or_refused_by_line(
            rows in proptest::collection::vec(
                "(s1|s/1|k[0-9]{1,2}|\"Room[ \t\n]?[0-9]\"|Room [0-9]|elo-43-portrait|Europe/Berlin|Mo-Sa 10:00-20:00|eu|\\PC{0,6}|)(,(s1|k[0-9]|Room 1|elo-43-portrait|Europe/Berlin|eu|\\PC{0,6}|)){0,8}",
                0..12,
            )
        ) {
            let text = format!("{HEADER}{}\n", rows.join("\n"));
            match parse(&text, &profiles(), &regions()) {
                Ok(kiosks) => {
                    for kiosk in kiosks {
                        proptest::prop_assert!(labels::check_topic_id(&kiosk.id).is_ok());
                        proptest::prop_assert!(labels::check_topic_id(&kiosk.store).is_ok());
                        proptest::prop_assert!(labels::check_label(&kiosk.room).is_ok(), "{:?}", kiosk.room);
                    }
                }
                Err(errors) => {
                    proptest::prop_assert!(!errors.is_empty());
                    proptest::prop_assert!(errors.iter().all(|e| e.line >= 1 && !e.problem.is_empty()));
                }
            }
        }
    }

    #[test]
    fn a_wrong_header_is_refused() {
        let errors = parse("store,id,room\n", &profiles(), &regions()).err().unwrap_or_default();
        assert!(errors[0].to_string().contains("column 2 differs"), "{errors:?}");
    }
}
