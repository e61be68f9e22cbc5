//! A small, strict ISO-8601 reader for the dates plans carry: `YYYY-MM-DD`, optionally
//! `THH:MM[:SS[.fraction]]` and `Z` or `±HH:MM`. It checks the real calendar; it never panics.

use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub nanos: u32,
}

/// A date, a wall-clock time when given, and the UTC offset in minutes when given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub date: Date,
    pub time: Option<Time>,
    pub offset_minutes: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not in the ISO-8601 form at all.
    NotIso,
    /// In the form, but the day does not exist (`2025-02-30`, month 13).
    NoSuchDay { year: i32, month: u8, day: u8 },
    /// In the form, but the time or offset does not exist (hour 24, minute 60).
    NoSuchTime(String),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::NotIso => f.write_str("is not an ISO-8601 date (`YYYY-MM-DD`)"),
            DateError::NoSuchDay { year, month, day } => {
                if !(1..=12).contains(month) {
                    write!(f, "names month {month}, which does not exist")
                } else {
                    let last = days_in_month(*year, *month);
                    write!(
                        f,
                        "names a day that does not exist: {} {year} has {last} days, not {day}",
                        MONTH_NAMES[usize::from(*month) - 1]
                    )
                }
            }
            DateError::NoSuchTime(what) => write!(f, "names a time that does not exist: {what}"),
        }
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Result<Date, DateError> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::NoSuchDay { year, month, day });
        }
        Ok(Date { year, month, day })
    }

    /// Today's date in UTC, from the system clock.
    pub fn today_utc() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let days = i64::try_from(seconds / 86_400).unwrap_or(0);
        Date::from_days_since_epoch(days)
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    fn days_since_epoch(&self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let month = i64::from(self.month);
        let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5
            + i64::from(self.day)
            - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;

    /// A bare calendar date, as `--today` takes it.
    fn from_str(s: &str) -> Result<Date, DateError> {
        let stamp = parse(s)?;
        if stamp.time.is_some() {
            return Err(DateError::NotIso);
        }
        Ok(stamp.date)
    }
}

impl Timestamp {
    /// Orders two timestamps: by instant when both carry an offset, else by their
    /// written date and time, and by date alone when only one carries a time.
    pub fn compare(&self, other: &Timestamp) -> Ordering {
        match (self.time, other.time) {
            (Some(a), Some(b)) => {
                let minutes = |stamp: &Timestamp, time: Time, both_offset: bool| {
                    let offset = if both_offset {
                        stamp.offset_minutes.unwrap_or(0)
                    } else {
                        0
                    };
                    stamp.date.days_since_epoch() * 1440
                        + i64::from(time.hour) * 60
                        + i64::from(time.minute)
                        - i64::from(offset)
                };
                let both = self.offset_minutes.is_some() && other.offset_minutes.is_some();
                minutes(self, a, both)
                    .cmp(&minutes(other, b, both))
                    .then((a.second, a.nanos).cmp(&(b.second, b.nanos)))
            }
            _ => self.date.cmp(&other.date),
        }
    }
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Reads `YYYY-MM-DD[THH:MM[:SS[.fraction]][Z|±HH:MM]]`, nothing more, nothing less.
pub fn parse(s: &str) -> Result<Timestamp, DateError> {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        part.iter().try_fold(0u32, |n, d| {
            n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
        })
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return Err(DateError::NotIso);
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return Err(DateError::NotIso);
    }
    // invariant: each part has at most four digits, so these conversions cannot truncate.
    let (year, month, day) = (year as i32, month as u8, day as u8);
    if b.len() == 10 {
        let date = Date::new(year, month, day)?;
        return Ok(Timestamp {
            date,
            time: None,
            offset_minutes: None,
        });
    }
    if b.get(10) != Some(&b'T') {
        return Err(DateError::NotIso);
    }
    let (Some(hour), Some(minute)) = (digits(11..13), digits(14..16)) else {
        return Err(DateError::NotIso);
    };
    if b.get(13) != Some(&b':') {
        return Err(DateError::NotIso);
    }
    let mut at = 16;
    let mut second = 0;
    let mut nanos = 0;
    if b.get(at) == Some(&b':') {
        second = digits(at + 1..at + 3).ok_or(DateError::NotIso)?;
        at += 3;
        if b.get(at) == Some(&b'.') {
            let start = at + 1;
            let mut end = start;
            while b.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            if end == start {
                return Err(DateError::NotIso);
            }
            let fraction = &s[start..end.min(start + 9)];
            nanos = format!("{fraction:0<9}").parse().unwrap_or(0);
            at = end;
        }
    }
    let offset_minutes = match b.get(at) {
        None => None,
        Some(b'Z') if at + 1 == b.len() => Some(0),
        Some(&sign @ (b'+' | b'-')) if at + 6 == b.len() && b.get(at + 3) == Some(&b':') => {
            let (Some(oh), Some(om)) = (digits(at + 1..at + 3), digits(at + 4..at + 6)) else {
                return Err(DateError::NotIso);
            };
            if oh > 23 || om > 59 {
                return Err(DateError::NoSuchTime(format!(
                    "offset `{}`",
                    &s[at..at + 6]
                )));
            }
            let minutes = (oh * 60 + om) as i32;
            Some(if sign == b'-' { -minutes } else { minutes })
        }
        Some(_) => return Err(DateError::NotIso),
    };
    let date = Date::new(year, month, day)?;
    if hour > 23 {
        return Err(DateError::NoSuchTime(format!("hour {hour}")));
    }
    if minute > 59 {
        return Err(DateError::NoSuchTime(format!("minute {minute}")));
    }
    if second > 59 {
        return Err(DateError::NoSuchTime(format!("second {second}")));
    }
    Ok(Timestamp {
        date,
        time: Some(Time {
            hour: hour as u8,
            minute: minute as u8,
            second: second as u8,
            nanos,
        }),
        offset_minutes,
    })
}

/// The ISO form of a date written another common way, when the intent is unambiguous
/// and the result is a real date: `2025/07/02`, `2025.07.02`, `02.07.2025`,
/// `13/07/2025`, `2025-7-2`, `20250702`, `2025-07-02 10:00`.
pub fn suggest_iso(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some((date, time)) = s.split_once([' ', 't']) {
        let date = if parse(date).is_ok() {
            date.to_string()
        } else {
            suggest_iso(date)?
        };
        let candidate = format!("{date}T{}", time.trim());
        return parse(&candidate).is_ok().then_some(candidate);
    }
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let number = |p: &str| -> Option<u32> {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (year, month, day) = match parts.as_slice() {
        [whole] if whole.len() == 8 && whole.bytes().all(|c| c.is_ascii_digit()) => (
            number(&whole[0..4])?,
            number(&whole[4..6])?,
            number(&whole[6..8])?,
        ),
        [y, m, d] if y.len() == 4 => (number(y)?, number(m)?, number(d)?),
        [a, b, y] if y.len() == 4 => {
            let (a, b, y) = (number(a)?, number(b)?, number(y)?);
            // A dotted date is day-first in every locale that writes it; a slashed one is
            // clear only when one side cannot be a month.
            if s.contains('.') || a > 12 {
                (y, b, a)
            } else if b > 12 {
                (y, a, b)
            } else {
                return None;
            }
        }
        _ => return None,
    };
    let candidate = format!("{year:04}-{month:02}-{day:02}");
    (candidate != s && parse(&candidate).is_ok()).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_dates_and_times() {
        assert!(parse("2025-07-02").is_ok());
        assert!(parse("2025-07-02T10:00").is_ok());
        assert!(parse("2025-07-02T10:00:59").is_ok());
        assert!(parse("2025-07-02T10:00:59.781593").is_ok());
        assert!(parse("2025-07-02T10:00:00Z").is_ok());
        assert!(parse("2025-07-02T10:00+05:30").is_ok());
        assert!(parse("2025-07-02T10:00:00.5-08:00").is_ok());
    }

    #[test]
    fn rejects_february_30() {
        assert_eq!(
            parse("2025-02-30"),
            Err(DateError::NoSuchDay {
                year: 2025,
                month: 2,
                day: 30
            })
        );
    }

    #[test]
    fn knows_leap_years() {
        assert!(parse("2024-02-29").is_ok());
        assert!(parse("2000-02-29").is_ok());
        assert!(parse("1900-02-29").is_err());
        assert!(parse("2025-02-29").is_err());
    }

    #[test]
    fn rejects_hour_24_and_bad_offsets() {
        assert!(matches!(
            parse("2025-07-02T24:00"),
            Err(DateError::NoSuchTime(_))
        ));
        assert!(matches!(
            parse("2025-07-02T10:60"),
            Err(DateError::NoSuchTime(_))
        ));
        assert!(matches!(
            parse("2025-07-02T10:00+24:00"),
            Err(DateError::NoSuchTime(_))
        ));
    }

    #[test]
    fn rejects_other_forms() {
        for s in [
            "",
            "2025/07/02",
            "2025-7-2",
            "02.07.2025",
            "2025-07-02 10:00",
            "2025-07-02T10",
            "2025-07-02T10:00:",
            "2025-07-02T10:00.5",
            "2025-07-02Z",
            "+2025-07-02",
            "2025-07-02T10:00+0530",
            "２０２５-07-02",
        ] {
            assert_eq!(parse(s), Err(DateError::NotIso), "{s}");
        }
    }

    #[test]
    fn suggests_the_iso_form_when_the_intent_is_clear() {
        assert_eq!(suggest_iso("2025/07/02").as_deref(), Some("2025-07-02"));
        assert_eq!(suggest_iso("02.07.2025").as_deref(), Some("2025-07-02"));
        assert_eq!(
            suggest_iso("2025-07-02 10:00").as_deref(),
            Some("2025-07-02T10:00")
        );
        assert_eq!(suggest_iso("2025-7-2").as_deref(), Some("2025-07-02"));
        assert_eq!(suggest_iso("13/07/2025").as_deref(), Some("2025-07-13"));
        assert_eq!(suggest_iso("07/13/2025").as_deref(), Some("2025-07-13"));
        assert_eq!(suggest_iso("20250702").as_deref(), Some("2025-07-02"));
    }

    #[test]
    fn suggests_nothing_when_ambiguous_or_impossible() {
        assert_eq!(suggest_iso("02/07/2025"), None);
        assert_eq!(suggest_iso("2025/02/30"), None);
        assert_eq!(suggest_iso("next week"), None);
        assert_eq!(suggest_iso("2025-07-02"), None);
    }

    #[test]
    fn compares_by_instant_when_both_have_offsets() {
        let a = parse("2025-07-02T01:00+05:00").unwrap();
        let b = parse("2025-07-01T22:00Z").unwrap();
        assert_eq!(a.compare(&b), Ordering::Less);
        let c = parse("2025-07-02").unwrap();
        assert_eq!(a.compare(&c), Ordering::Equal);
    }

    #[test]
    fn days_round_trip() {
        for days in [-800_000, -1, 0, 1, 19_000, 20_271, 2_000_000] {
            let date = Date::from_days_since_epoch(days);
            assert_eq!(date.days_since_epoch(), days, "{date}");
        }
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(20_416).to_string(),
            "2025-11-24"
        );
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parse_never_panics(s in "\\PC*") {
                let _ = parse(&s);
                let _ = suggest_iso(&s);
            }

            #[test]
            fn every_real_day_parses(days in -1_000_000i64..1_000_000) {
                let date = Date::from_days_since_epoch(days);
                prop_assume!((0..=9999).contains(&date.year));
                prop_assert_eq!(parse(&date.to_string()).map(|t| t.date), Ok(date));
            }
        }
    }
}
