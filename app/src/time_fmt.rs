//! Stored times are UTC milliseconds; people read them as `YYYY-MM-DD HH:MM UTC`.

/// Formats UTC milliseconds without a time-zone database, identically in wasm and on
/// the server (Howard Hinnant's days-to-civil algorithm).
pub fn format_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// RFC 3339 in UTC with milliseconds (`2026-11-30T06:11:42.123Z`), for documents
/// machines read too (evidence, exports).
pub fn iso_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        ms.rem_euclid(1000)
    )
}

/// `YYYY-MM-DD` with a plausible month and day.
pub fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    matches!(
        (num(y, 4), num(m, 2), num(d, 2)),
        (Some(1900..=2999), Some(1..=12), Some(1..=31))
    )
}

/// The start of a `YYYY-MM-DD` day in UTC milliseconds.
pub fn day_start_ms(date: &str) -> Option<i64> {
    if !is_date(date) {
        return None;
    }
    let y: i64 = date[0..4].parse().ok()?;
    let m: i64 = date[5..7].parse().ok()?;
    let d: i64 = date[8..10].parse().ok()?;
    // Days from civil (the inverse of `civil_from_days`).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400_000)
}

/// The same moment `months` calendar months later (the day clamped to the month's end).
pub fn add_months(ms: i64, months: i64) -> i64 {
    let day_ms = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
    let total = y * 12 + i64::from(m) - 1 + months;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let mut day = i64::from(d);
    loop {
        let date = format!("{y:04}-{m:02}-{day:02}");
        if let Some(start) = day_start_ms(&date) {
            // Reject dates the check accepts but the calendar does not (e.g. 02-30).
            if civil_from_days(start.div_euclid(86_400_000)).1 == m as u32 {
                return start + day_ms;
            }
        }
        day -= 1;
    }
}

/// Today's date in Poland (`YYYY-MM-DD`), for dates people write on paper (an agreement
/// signed "today"): UTC+1, or UTC+2 from the last Sunday of March 01:00 UTC to the last
/// Sunday of October 01:00 UTC (the EU rule), with no time-zone database.
pub fn poland_date(ms: i64) -> String {
    let (year, _, _) = civil_from_days(ms.div_euclid(86_400_000));
    let last_sunday_1am = |month: u32| {
        let next = if month == 12 {
            format!("{:04}-01-01", year + 1)
        } else {
            format!("{year:04}-{:02}-01", month + 1)
        };
        let last_day = day_start_ms(&next).unwrap_or_default() / 86_400_000 - 1;
        // 1970-01-01 was a Thursday: days since then + 4, modulo 7, is 0 on a Sunday.
        let back = (last_day + 4).rem_euclid(7);
        (last_day - back) * 86_400_000 + 3_600_000
    };
    let summer = (last_sunday_1am(3)..last_sunday_1am(10)).contains(&ms);
    let local = ms + if summer { 7_200_000 } else { 3_600_000 };
    format_utc(local)[..10].to_string()
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_times_keep_milliseconds_and_say_utc() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_utc(1_000_000_060_123), "2001-09-09T01:47:40.123Z");
        assert_eq!(iso_utc(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn months_are_calendar_months() {
        let jan31 = day_start_ms("2026-01-31").unwrap() + 3_600_000;
        assert_eq!(format_utc(add_months(jan31, 1)), "2026-02-28 01:00 UTC");
        assert_eq!(format_utc(add_months(jan31, 3)), "2026-04-30 01:00 UTC");
        let nov = day_start_ms("2026-11-23").unwrap();
        assert_eq!(format_utc(add_months(nov, 1)), "2026-12-23 00:00 UTC");
        assert_eq!(format_utc(add_months(nov, 2)), "2027-01-23 00:00 UTC");
    }

    #[test]
    fn days_start_at_midnight_utc() {
        assert_eq!(day_start_ms("1970-01-01"), Some(0));
        let ms = day_start_ms("2026-11-23").unwrap();
        assert_eq!(format_utc(ms), "2026-11-23 00:00 UTC");
        assert_eq!(
            format_utc(day_start_ms("2024-02-29").unwrap()),
            "2024-02-29 00:00 UTC"
        );
        assert_eq!(day_start_ms("23.11.2026"), None);
    }

    #[test]
    fn polish_dates_follow_the_eu_summer_time() {
        let at = |s: &str, h: i64| day_start_ms(s).unwrap() + h * 3_600_000;
        // Winter, UTC+1: 23:30 UTC is already tomorrow.
        assert_eq!(poland_date(at("2026-11-30", 23) + 1_800_000), "2026-12-01");
        assert_eq!(poland_date(at("2026-11-30", 22) + 1_800_000), "2026-11-30");
        // Summer, UTC+2: 22:30 UTC is tomorrow.
        assert_eq!(poland_date(at("2026-07-14", 22) + 1_800_000), "2026-07-15");
        assert_eq!(poland_date(at("2026-07-14", 21) + 1_800_000), "2026-07-14");
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(poland_date(at("2026-03-28", 22) + 1_800_000), "2026-03-28");
        assert_eq!(poland_date(at("2026-03-29", 22) + 1_800_000), "2026-03-30");
        assert_eq!(poland_date(at("2026-10-24", 22) + 1_800_000), "2026-10-25");
        assert_eq!(poland_date(at("2026-10-25", 22) + 1_800_000), "2026-10-25");
        assert_eq!(poland_date(at("2026-12-31", 23) + 1_800_000), "2027-01-01");
    }

    #[test]
    fn known_instants() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(format_utc(1_795_453_380_000), "2026-11-23 17:03 UTC");
        assert_eq!(format_utc(-1_000), "1969-12-31 23:59 UTC");
    }
}
