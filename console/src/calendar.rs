//! Dates without a date crate, in UTC: the month an event's partition covers, the weekday and
//! hour analytics counts sessions in, a day written for people. Howard Hinnant's
//! `civil_from_days` / `days_from_civil` (proleptic Gregorian, exact for any i64 day count in
//! range).

const MS_PER_DAY: i64 = 86_400_000;

/// Year, month (1–12) and day (1–31) of a UTC time.
pub fn civil_date(at_ms: i64) -> (i64, i64, i64) {
    let z = at_ms.div_euclid(MS_PER_DAY) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Days since 1970 of the first of a month.
fn days_from_civil(year: i64, month: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The first millisecond of the month `at_ms` falls in, and of the next.
pub fn month_bounds(at_ms: i64) -> (i64, i64) {
    let (year, month, _) = civil_date(at_ms);
    let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    (days_from_civil(year, month) * MS_PER_DAY, days_from_civil(next_year, next_month) * MS_PER_DAY)
}

/// `YYYY-MM-DD`.
pub fn date_text(at_ms: i64) -> String {
    let (year, month, day) = civil_date(at_ms);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `YYYY-MM-DD HH:MM` (UTC).
pub fn date_time_text(at_ms: i64) -> String {
    let minutes = at_ms.rem_euclid(MS_PER_DAY) / 60_000;
    format!("{} {:02}:{:02}", date_text(at_ms), minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_start_on_the_first_at_midnight_utc() {
        // 2026-12-01T19:40:00Z.
        let (start, end) = month_bounds(1_796_154_000_000);
        assert_eq!(start, 1_796_083_200_000, "2026-12-01T00:00Z");
        assert_eq!(end, 1_798_761_600_000, "2027-01-01T00:00Z");
        assert_eq!(civil_date(start), (2026, 12, 1));
        // A leap February.
        let (start, end) = month_bounds(1_709_251_200_000 - 1);
        assert_eq!((start, end), (1_706_745_600_000, 1_709_251_200_000), "2024-02");
        assert_eq!(month_bounds(0), (0, 31 * MS_PER_DAY));
        assert_eq!(date_text(1_709_251_200_000 - 1), "2024-02-29");
    }

    #[test]
    fn times_read_in_utc() {
        // 2026-11-30 13:05 UTC.
        assert_eq!(date_time_text(1_796_043_900_000), "2026-11-30 13:05");
        assert_eq!(date_time_text(0), "1970-01-01 00:00");
    }
}
