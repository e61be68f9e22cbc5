//! The ISO-8601 forms plans write their dates in: `YYYY-MM-DD`, optionally
//! `THH:MM[:SS[.fraction]]` and `Z` or `±HH:MM`. The form is read here; the calendar is jiff's.

use std::fmt;

/// A calendar date; plans' dates compare by it alone.
pub type Date = jiff::civil::Date;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not in the ISO-8601 form at all.
    NotIso,
    /// In the form, but the month does not exist (month 13).
    NoSuchMonth { month: u8 },
    /// In the form, but the day does not exist in its month (`2025-02-30`).
    NoSuchDay { year: i16, month: u8, day: u8 },
    /// In the form, but the time or offset does not exist (hour 24, minute 60).
    NoSuchTime(String),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::NotIso => f.write_str("is not an ISO-8601 date (`YYYY-MM-DD`)"),
            DateError::NoSuchMonth { month } => {
                write!(f, "names month {month}, which does not exist")
            }
            DateError::NoSuchDay { year, month, day } => match first_of_month(*year, *month) {
                Some(first) => write!(
                    f,
                    "names a day that does not exist: {} {year} has {} days, not {day}",
                    first.strftime("%B"),
                    first.days_in_month()
                ),
                None => write!(f, "names a day that does not exist: day {day}"),
            },
            DateError::NoSuchTime(what) => write!(f, "names a time that does not exist: {what}"),
        }
    }
}

impl DateError {
    /// What to write instead, when the error says it: the range of the part that is wrong.
    pub fn help(&self) -> Option<String> {
        match self {
            DateError::NotIso => None,
            DateError::NoSuchMonth { .. } => Some("use a month from 01 to 12".to_string()),
            DateError::NoSuchDay { year, month, .. } => first_of_month(*year, *month)
                .map(|first| format!("use a day from 01 to {}", first.days_in_month())),
            DateError::NoSuchTime(_) => Some(
                "use a time that exists: hours 00 to 23, minutes and seconds 00 to 59, offsets up to ±23:59"
                    .to_string(),
            ),
        }
    }
}

fn first_of_month(year: i16, month: u8) -> Option<Date> {
    Date::new(year, i8::try_from(month).ok()?, 1).ok()
}

/// Today's date where plancheck runs (the system's time zone; UTC when it has none).
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

/// A bare calendar date, `YYYY-MM-DD`, as `--today` takes it.
pub fn parse_day(s: &str) -> Result<Date, DateError> {
    if s.len() != 10 {
        return Err(DateError::NotIso);
    }
    parse(s)
}

/// Reads `YYYY-MM-DD[THH:MM[:SS[.fraction]][Z|±HH:MM]]`, nothing more, nothing less, and
/// returns the calendar date as written: a time or offset never moves the day.
pub fn parse(s: &str) -> Result<Date, DateError> {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u16> {
        let part = b.get(range)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        part.iter().try_fold(0u16, |n, d| {
            n.checked_mul(10)?.checked_add(u16::from(d - b'0'))
        })
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return Err(DateError::NotIso);
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return Err(DateError::NotIso);
    }
    // invariant: four digits fit an i16, two a u8.
    let (year, month, day) = (year as i16, month as u8, day as u8);
    let missing_time = if b.len() > 10 { read_time(s)? } else { None };
    if !(1..=12).contains(&month) {
        return Err(DateError::NoSuchMonth { month });
    }
    // invariant: `month` is 1 to 12 and `day` below 100, so both fit an i8.
    let date = Date::new(year, month as i8, day as i8).map_err(|_| DateError::NoSuchDay {
        year,
        month,
        day,
    })?;
    match missing_time {
        Some(what) => Err(DateError::NoSuchTime(what)),
        None => Ok(date),
    }
}

/// Reads what follows a date: `THH:MM[:SS[.fraction]][Z|±HH:MM]`. `Err` when it is not of
/// that form; else the part of the time or offset that does not exist, if one does not.
fn read_time(s: &str) -> Result<Option<String>, DateError> {
    let b = s.as_bytes();
    let two_digits = |at: usize| -> Option<u8> {
        match (b.get(at), b.get(at + 1)) {
            (Some(&t @ b'0'..=b'9'), Some(&u @ b'0'..=b'9')) => Some((t - b'0') * 10 + u - b'0'),
            _ => None,
        }
    };
    if b.get(10) != Some(&b'T') || b.get(13) != Some(&b':') {
        return Err(DateError::NotIso);
    }
    let (Some(hour), Some(minute)) = (two_digits(11), two_digits(14)) else {
        return Err(DateError::NotIso);
    };
    let mut at = 16;
    let mut second = 0;
    if b.get(at) == Some(&b':') {
        second = two_digits(at + 1).ok_or(DateError::NotIso)?;
        at += 3;
        if b.get(at) == Some(&b'.') {
            let fraction = b[at + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if fraction == 0 {
                return Err(DateError::NotIso);
            }
            at += 1 + fraction;
        }
    }
    match b.get(at) {
        None => {}
        Some(b'Z') if at + 1 == b.len() => {}
        Some(b'+' | b'-') if at + 6 == b.len() && b.get(at + 3) == Some(&b':') => {
            let (Some(hours), Some(minutes)) = (two_digits(at + 1), two_digits(at + 4)) else {
                return Err(DateError::NotIso);
            };
            if hours > 23 || minutes > 59 {
                return Ok(Some(format!("offset `{}`", &s[at..])));
            }
        }
        Some(_) => return Err(DateError::NotIso),
    }
    let parts = [
        (hour, "hour", 23),
        (minute, "minute", 59),
        (second, "second", 59),
    ];
    Ok(parts
        .iter()
        .find(|(value, _, most)| value > most)
        .map(|(value, name, _)| format!("{name} {value}")))
}

/// The ISO form of a date written another common way, when the intent is unambiguous
/// and the result is a real date: `2025/07/02`, `2025.07.02`, `02.07.2025`,
/// `13/07/2025`, `2025-7-2`, `20250702`, `2025-07-02 10:00`, `July 2, 2025`,
/// `2 Jul 2025`.
pub fn suggest_iso(s: &str) -> Option<String> {
    let s = s.trim();
    if s.bytes().any(|b| b.is_ascii_alphabetic()) {
        if let Some(day) = with_month_name(s) {
            return Some(day.to_string());
        }
    }
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

/// A day written with an English month name, full or short, before or after the day
/// (`July 2, 2025`, `2 Jul 2025`), and a year of four digits.
fn with_month_name(s: &str) -> Option<Date> {
    // jiff reads `%B` as the full name only, `%b` as the short one.
    const FORMS: [&str; 8] = [
        "%B %d, %Y",
        "%B %d %Y",
        "%d %B %Y",
        "%d %B, %Y",
        "%b %d, %Y",
        "%b %d %Y",
        "%d %b %Y",
        "%d %b, %Y",
    ];
    let day = FORMS.iter().find_map(|form| Date::strptime(form, s).ok())?;
    // `July 2, 25` names no year plancheck should guess.
    let year = day.year();
    (year >= 1000 && s.contains(&year.to_string())).then_some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_dates_and_times() {
        for s in [
            "2025-07-02",
            "2025-07-02T10:00",
            "2025-07-02T10:00:59",
            "2025-07-02T10:00:59.781593",
            "2025-07-02T10:00:00Z",
            "2025-07-02T10:00+05:30",
            "2025-07-02T10:00:00.5-08:00",
            "2025-07-02T23:59:59-23:59",
        ] {
            assert_eq!(parse(s), Ok(jiff::civil::date(2025, 7, 2)), "{s}");
        }
    }

    #[test]
    fn a_time_or_offset_never_moves_the_day() {
        assert_eq!(
            parse("2025-07-02T23:30-08:00"),
            Ok(jiff::civil::date(2025, 7, 2))
        );
        assert_eq!(
            parse("2025-07-02T00:30+14:00"),
            Ok(jiff::civil::date(2025, 7, 2))
        );
    }

    #[test]
    fn rejects_february_30() {
        let error = parse("2025-02-30").unwrap_err();
        assert_eq!(
            error,
            DateError::NoSuchDay {
                year: 2025,
                month: 2,
                day: 30
            }
        );
        assert_eq!(
            error.to_string(),
            "names a day that does not exist: February 2025 has 28 days, not 30"
        );
        assert_eq!(error.help().as_deref(), Some("use a day from 01 to 28"));
    }

    #[test]
    fn rejects_month_13_and_day_0() {
        let error = parse("2025-13-01").unwrap_err();
        assert_eq!(error, DateError::NoSuchMonth { month: 13 });
        assert_eq!(error.to_string(), "names month 13, which does not exist");
        assert_eq!(
            parse("2025-00-01"),
            Err(DateError::NoSuchMonth { month: 0 })
        );
        assert!(matches!(
            parse("2025-07-00"),
            Err(DateError::NoSuchDay { day: 0, .. })
        ));
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
        for (s, what) in [
            ("2025-07-02T24:00", "hour 24"),
            ("2025-07-02T10:60", "minute 60"),
            ("2025-07-02T10:00:60", "second 60"),
            ("2025-07-02T10:00+24:00", "offset `+24:00`"),
            ("2025-07-02T10:00-05:60", "offset `-05:60`"),
        ] {
            assert_eq!(
                parse(s),
                Err(DateError::NoSuchTime(what.to_string())),
                "{s}"
            );
        }
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
            "2025-07-02T10:00:00.",
            "2025-07-02Z",
            "+2025-07-02",
            "2025-07-02T10:00+0530",
            "2025-07-02T1:00",
            "２０２５-07-02",
        ] {
            assert_eq!(parse(s), Err(DateError::NotIso), "{s}");
        }
    }

    #[test]
    fn today_is_a_bare_date() {
        assert_eq!(parse_day("2025-08-01"), Ok(jiff::civil::date(2025, 8, 1)));
        assert_eq!(parse_day("2025-08-01T10:00"), Err(DateError::NotIso));
        assert!(parse_day("2025-02-30").is_err());
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
        for named in [
            "July 2, 2025",
            "July 2 2025",
            "Jul 2, 2025",
            "2 July 2025",
            "02 jul 2025",
            "2 July, 2025",
        ] {
            assert_eq!(suggest_iso(named).as_deref(), Some("2025-07-02"), "{named}");
        }
        assert_eq!(
            suggest_iso("October 31, 2025").as_deref(),
            Some("2025-10-31")
        );
    }

    #[test]
    fn suggests_nothing_when_ambiguous_or_impossible() {
        assert_eq!(suggest_iso("02/07/2025"), None);
        assert_eq!(suggest_iso("2025/02/30"), None);
        assert_eq!(suggest_iso("next week"), None);
        assert_eq!(suggest_iso("2025-07-02"), None);
        assert_eq!(suggest_iso("07/02/2025"), None);
        assert_eq!(suggest_iso("February 30, 2025"), None);
        assert_eq!(suggest_iso("July 2, 25"), None);
        assert_eq!(suggest_iso("Julember 2, 2025"), None);
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parse_never_panics(s in "\\PC*") {
                let _ = parse(&s);
                let _ = suggest_iso(&s);
                if let Err(error) = parse(&s) {
                    let _ = (error.to_string(), error.help());
                }
            }

            #[test]
            fn every_real_day_parses(days in 0i32..3_652_059) {
                let date = jiff::civil::date(1, 1, 1)
                    .checked_add(jiff::Span::new().days(days))
                    .unwrap();
                prop_assert_eq!(parse(&date.to_string()), Ok(date));
            }
        }
    }
}
