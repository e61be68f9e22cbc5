//! The names `layout.md` gives things: plan file names, milestone ids, versions and task
//! ids. Shared by the project model, which files them, and the rules, which judge them.

use std::sync::{LazyLock, OnceLock};

use regex::Regex;

/// The number of a milestone written `M01`, `M1`, `M-01`: ids compare by number.
pub fn milestone_number(text: &str) -> Option<u64> {
    let rest = text.strip_prefix(['M', 'm'])?;
    let digits = rest.strip_prefix('-').unwrap_or(rest);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// `M<digits>` or `M-<digits>`, as layout.md writes a milestone id.
pub fn is_milestone_id(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('M') else {
        return false;
    };
    let digits = rest.strip_prefix('-').unwrap_or(rest);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The N of a well-formed `v<N>`, N ≥ 1.
pub fn version_number(text: &str) -> Option<u64> {
    let digits = text.strip_prefix('v')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&n| n >= 1)
}

/// The plan file name patterns of `layout.md`. Each is compiled the first time a name asks
/// for it: ASCII names, nearly all of them, are read without any, and a walk that waited
/// on compiling all four would start a few milliseconds late.
pub struct FileNamePatterns {
    pub regular: LazyLock<Regex>,
    pub high_priority: LazyLock<Regex>,
    pub tolerated_regular: LazyLock<Regex>,
    pub tolerated_high_priority: LazyLock<Regex>,
}

// invariant: constant patterns, tested by `recognises_plan_file_names`.
#[allow(clippy::unwrap_used)]
static PATTERNS: FileNamePatterns = FileNamePatterns {
    regular: LazyLock::new(|| {
        Regex::new(r"^M(\d{2,})-v([1-9]\d*)-([a-z0-9]+(?:-[a-z0-9]+)*?)(-superseded)?\.md$")
            .unwrap()
    }),
    high_priority: LazyLock::new(|| {
        Regex::new(r"^H-(\d{8}T\d{6})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$").unwrap()
    }),
    tolerated_regular: LazyLock::new(|| Regex::new(r"^M-?(\d+)-v(\d+)-.+\.md$").unwrap()),
    tolerated_high_priority: LazyLock::new(|| {
        Regex::new(r"^H-(\d{8})[T-](\d{6})-.+\.md$").unwrap()
    }),
};

pub fn file_name_patterns() -> &'static FileNamePatterns {
    &PATTERNS
}

impl FileNamePatterns {
    /// Whether a file name is one of a plan's, canonical or tolerated. An ASCII name, as
    /// nearly all are, is read directly (the walk, the project index and the naming rules
    /// each ask of every plan); the patterns decide the rest, their `\d` being any Unicode
    /// digit.
    pub fn is_plan_name(&self, name: &str) -> bool {
        if name.is_ascii() {
            return ascii_name::is_canonical(name)
                || ascii_name::regular_numbers(name).is_some()
                || ascii_name::is_tolerated_high_priority(name);
        }
        self.is_canonical(name)
            || self.tolerated_regular.is_match(name)
            || self.tolerated_high_priority.is_match(name)
    }

    pub fn is_canonical(&self, name: &str) -> bool {
        if name.is_ascii() {
            return ascii_name::is_canonical(name);
        }
        self.regular.is_match(name) || self.high_priority.is_match(name)
    }
}

/// The file name patterns of [`FileNamePatterns`] read directly for an ASCII name.
mod ascii_name {
    /// The ASCII digits `text` starts with, if there are at least `min`, and what follows.
    fn leading_digits(text: &str, min: usize) -> Option<(&str, &str)> {
        let count = text.bytes().take_while(u8::is_ascii_digit).count();
        (count >= min).then(|| text.split_at(count))
    }

    /// What follows the `count` ASCII digits `text` starts with.
    fn after_exactly(text: &str, count: usize) -> Option<&str> {
        let (digits, rest) = text.split_at_checked(count)?;
        digits.bytes().all(|b| b.is_ascii_digit()).then_some(rest)
    }

    /// `[a-z0-9]+(?:-[a-z0-9]+)*`, the whole of `slug`.
    fn is_kebab(slug: &str) -> bool {
        !slug.is_empty()
            && slug.split('-').all(|word| {
                !word.is_empty() && word.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9'))
            })
    }

    /// `^M(\d{2,})-v([1-9]\d*)-<kebab>(-superseded)?\.md$` or
    /// `^H-(\d{8}T\d{6})-<kebab>\.md$` (the suffix is kebab itself, so it needs no test).
    pub fn is_canonical(name: &str) -> bool {
        let Some(stem) = name.strip_suffix(".md") else {
            return false;
        };
        if let Some(rest) = stem.strip_prefix('M') {
            let Some((_, rest)) = leading_digits(rest, 2) else {
                return false;
            };
            let Some(rest) = rest.strip_prefix("-v").filter(|r| !r.starts_with('0')) else {
                return false;
            };
            return leading_digits(rest, 1)
                .and_then(|(_, r)| r.strip_prefix('-'))
                .is_some_and(is_kebab);
        }
        let Some(rest) = stem.strip_prefix("H-") else {
            return false;
        };
        after_exactly(rest, 8)
            .and_then(|r| r.strip_prefix('T'))
            .and_then(|r| after_exactly(r, 6))
            .and_then(|r| r.strip_prefix('-'))
            .is_some_and(is_kebab)
    }

    /// `^H-(\d{8})[T-](\d{6})-.+\.md$`, `.` being any character but a line feed.
    pub fn is_tolerated_high_priority(name: &str) -> bool {
        let Some(rest) = name.strip_prefix("H-").and_then(|r| after_exactly(r, 8)) else {
            return false;
        };
        let Some(rest) = rest.strip_prefix(['T', '-']) else {
            return false;
        };
        after_exactly(rest, 6)
            .and_then(|r| r.strip_prefix('-'))
            .and_then(|r| r.strip_suffix(".md"))
            .is_some_and(|slug| !slug.is_empty() && !slug.contains('\n'))
    }

    /// The milestone and version digits of `^M-?(\d+)-v(\d+)-.+\.md$`.
    pub fn regular_numbers(name: &str) -> Option<(&str, &str)> {
        let rest = name.strip_prefix('M')?;
        let (milestone, rest) = leading_digits(rest.strip_prefix('-').unwrap_or(rest), 1)?;
        let (version, rest) = leading_digits(rest.strip_prefix("-v")?, 1)?;
        let slug = rest.strip_prefix('-')?.strip_suffix(".md")?;
        (!slug.is_empty() && !slug.contains('\n')).then_some((milestone, version))
    }
}

impl FileNamePatterns {
    /// The milestone and version digits of a tolerated regular plan name. An ASCII name,
    /// as nearly all are, is read directly (once a plan); the pattern reads the rest, its
    /// `\d` being any Unicode digit.
    pub fn regular_numbers<'n>(&self, name: &'n str) -> Option<(&'n str, &'n str)> {
        if name.is_ascii() {
            return ascii_name::regular_numbers(name);
        }
        let caps = self.tolerated_regular.captures(name)?;
        Some((caps.get(1)?.as_str(), caps.get(2)?.as_str()))
    }
}

const TIMESTAMP: &str = r"(?:\d{8}T\d{6}|\d{8}-\d{6}|\d{4}-\d{2}-\d{2}-\d{6})";

/// Whether `id` is a task or sidequest id of one of the accepted forms. An ASCII id, as
/// nearly all are, is read directly (it runs for every task a plan names); the pattern
/// decides the rest, its `\d` being any Unicode digit.
pub fn is_task_id(id: &str) -> bool {
    if id.is_ascii() {
        is_ascii_task_id(id.as_bytes())
    } else {
        task_id_pattern().is_match(id)
    }
}

fn task_id_pattern() -> &'static Regex {
    static ID: OnceLock<Regex> = OnceLock::new();
    // invariant: a constant pattern, tested by `knows_task_ids`.
    #[allow(clippy::unwrap_used)]
    ID.get_or_init(|| {
        Regex::new(&format!(
            r"^(?:(?:HIGH-)?TASK-{TIMESTAMP}|SQ-(?:TASK-)?{TIMESTAMP}-\d{{3,6}})$"
        ))
        .unwrap()
    })
}

/// The forms of [`TIMESTAMP`], `d` standing for a digit.
const TIMESTAMP_FORMS: [&[u8]; 3] = [b"ddddddddTdddddd", b"dddddddd-dddddd", b"dddd-dd-dd-dddddd"];

fn is_ascii_task_id(id: &[u8]) -> bool {
    let starts_with_form = |text: &[u8], form: &[u8]| {
        text.len() >= form.len()
            && (text.iter().zip(form)).all(|(&c, &f)| {
                if f == b'd' {
                    c.is_ascii_digit()
                } else {
                    c == f
                }
            })
    };
    if let Some(stamp) = (id.strip_prefix(b"HIGH-TASK-")).or_else(|| id.strip_prefix(b"TASK-")) {
        return (TIMESTAMP_FORMS.iter())
            .any(|f| stamp.len() == f.len() && starts_with_form(stamp, f));
    }
    let Some(rest) = id.strip_prefix(b"SQ-") else {
        return false;
    };
    let stamp = rest.strip_prefix(b"TASK-").unwrap_or(rest);
    TIMESTAMP_FORMS.iter().any(|f| {
        starts_with_form(stamp, f)
            && stamp[f.len()..].strip_prefix(b"-").is_some_and(|number| {
                (3..=6).contains(&number.len()) && number.iter().all(u8::is_ascii_digit)
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_plan_file_names() {
        let p = file_name_patterns();
        assert!(p.is_canonical("M01-v1-foundation-setup.md"));
        assert!(p.is_canonical("M01-v1-auth-superseded.md"));
        assert!(p.is_canonical("H-20250711T141500-security-fix.md"));
        assert!(!p.is_canonical("M1-v1-auth.md"));
        assert!(p.is_plan_name("M1-v1-auth.md"));
        assert!(p.is_plan_name("M-01-v2-Auth Plan.md"));
        assert!(p.is_plan_name("H-20250711-141500-fix.md"));
        assert!(!p.is_plan_name("README.md"));
    }

    /// Names near the regular forms, read directly and by the pattern alike.
    #[test]
    fn regular_numbers_are_read_as_the_pattern_reads_them() {
        let p = file_name_patterns();
        let pieces = [
            "M", "-", "v", "V", "0", "12", "7", "a", "-x", ".md", ".", "md", "\n", " ",
        ];
        let mut next = crate::testing::numbers(0x5851_f42d_u64);
        let mut read = 0;
        for _ in 0..50_000 {
            let mut name = String::from(["M", "M-", ""][next(3)]);
            name.extend((0..next(9)).map(|_| pieces[next(pieces.len())]));
            if next(2) == 0 {
                name = format!(
                    "M{}-v{}-{}.md",
                    ["1", "01", ""][next(3)],
                    ["2", ""][next(2)],
                    name
                );
            }
            let by_pattern = p
                .tolerated_regular
                .captures(&name)
                .map(|c| (c[1].to_string(), c[2].to_string()));
            let direct = p
                .regular_numbers(&name)
                .map(|(m, v)| (m.to_string(), v.to_string()));
            assert_eq!(direct, by_pattern, "{name:?}");
            read += usize::from(direct.is_some());
        }
        assert!(
            read > 5_000,
            "{read} names read: the test should see both kinds"
        );
        assert_eq!(
            p.regular_numbers("M\u{0661}-v2-x.md"),
            Some(("\u{0661}", "2"))
        );
    }

    /// Names near every form, read directly and by the patterns alike.
    #[test]
    fn plan_names_are_recognised_as_the_patterns_recognise_them() {
        let p = file_name_patterns();
        let by_patterns = |name: &str| {
            let canonical = p.regular.is_match(name) || p.high_priority.is_match(name);
            let tolerated =
                p.tolerated_regular.is_match(name) || p.tolerated_high_priority.is_match(name);
            (canonical, canonical || tolerated)
        };
        let pieces = [
            "M",
            "H-",
            "-",
            "v",
            "T",
            "0",
            "1",
            "12",
            "2025",
            "0711",
            "141500",
            "a",
            "z",
            "-x",
            "--",
            "A",
            ".md",
            ".",
            "md",
            "\n",
            " ",
            "_",
            "-superseded",
        ];
        let mut next = crate::testing::numbers(0x2545_f491_u64);
        let (mut canonical, mut tolerated) = (0, 0);
        for _ in 0..100_000 {
            let mut name = String::from(["M", "M-", "H-", ""][next(4)]);
            name.extend((0..next(10)).map(|_| pieces[next(pieces.len())]));
            if next(2) == 0 {
                // Mostly lower words joined by `-`: canonical slugs and their near misses.
                let words = ["a", "z9", "auth", "0", "-", "x", "superseded", "A"];
                name = (0..1 + next(4))
                    .map(|_| words[next(words.len())])
                    .collect::<Vec<_>>()
                    .join("-");
            }
            name = match next(4) {
                0 => format!(
                    "M{}-v{}-{name}.md",
                    ["1", "01", "123", ""][next(4)],
                    ["1", "0", "20"][next(3)]
                ),
                1 => format!("H-20250711{}141500-{name}.md", ["T", "-", ""][next(3)]),
                _ => name,
            };
            let direct = (p.is_canonical(&name), p.is_plan_name(&name));
            assert_eq!(direct, by_patterns(&name), "{name:?}");
            canonical += usize::from(direct.0);
            tolerated += usize::from(direct.1 && !direct.0);
        }
        assert!(
            canonical > 2_000 && tolerated > 5_000,
            "{canonical} canonical and {tolerated} tolerated names: the test should see all kinds"
        );
        assert!(p.is_plan_name("M\u{0661}-v2-x.md"));
        // Other digits than ASCII ones are the patterns' to judge.
        assert!(p.is_canonical("M\u{0661}\u{0662}-v2-x.md"));
    }

    /// Valid ids of every form, and each changed a little, read directly and by the
    /// pattern alike.
    #[test]
    fn ascii_task_ids_are_read_as_the_pattern_reads_them() {
        let prefixes = [
            "TASK-",
            "HIGH-TASK-",
            "SQ-",
            "SQ-TASK-",
            "HIGH-SQ-",
            "TASK-TASK-",
            "",
        ];
        let suffixes = ["", "-001", "-123456", "-12", "-1234567", "-", "x"];
        let alphabet = b"0123456789T-xSQ";
        let mut next = crate::testing::numbers(0x2545_f491_u64);
        let mut valid = 0;
        for _ in 0..100_000 {
            let form = TIMESTAMP_FORMS[next(3)];
            let prefix = prefixes[next(prefixes.len())];
            let stamp: Vec<u8> = (form.iter())
                .map(|&f| if f == b'd' { alphabet[next(10)] } else { f })
                .collect();
            let suffix = suffixes[next(suffixes.len())];
            let mut id: Vec<u8> = [prefix.as_bytes(), &stamp, suffix.as_bytes()].concat();
            for _ in 0..next(3) {
                let at = next(id.len() + 1);
                match next(3) {
                    0 if at < id.len() => drop(id.remove(at)),
                    1 if at < id.len() => id[at] = alphabet[next(alphabet.len())],
                    _ => id.insert(at, alphabet[next(alphabet.len())]),
                }
            }
            let id = String::from_utf8(id).unwrap();
            let expected = task_id_pattern().is_match(&id);
            assert_eq!(is_ascii_task_id(id.as_bytes()), expected, "{id}");
            valid += usize::from(expected);
        }
        assert!(
            valid > 2_000,
            "{valid} valid ids: the test should see both kinds"
        );
        assert!(
            is_task_id("TASK-2025071\u{0661}T140000"),
            "a Unicode digit, as the pattern allows"
        );
    }

    #[test]
    fn knows_task_ids() {
        for id in [
            "TASK-20250711T140000",
            "TASK-20250711-140000",
            "TASK-2025-07-11-140000",
            "HIGH-TASK-20250712T090000",
            "SQ-20250711T140000-001",
            "SQ-TASK-20250712T100000-001",
            "SQ-2025-07-11-140000-123456",
        ] {
            assert!(is_task_id(id), "{id}");
        }
        for id in [
            "TASK-1",
            "TASK-20250711T14000",
            "SQ-20250711T140000-01",
            "task-20250711T140000",
        ] {
            assert!(!is_task_id(id), "{id}");
        }
    }

    #[test]
    fn milestone_ids_are_m_digits_with_an_optional_hyphen() {
        for id in ["M01", "M1", "M-01", "M-1", "M123"] {
            assert!(is_milestone_id(id), "{id}");
        }
        for id in [
            "M",
            "M-",
            "m01",
            "M01a",
            "M--01",
            "M 01",
            "01",
            "M-\u{0661}",
            "Milestone 1",
        ] {
            assert!(!is_milestone_id(id), "{id}");
        }
    }

    #[test]
    fn milestones_compare_by_number() {
        assert_eq!(milestone_number("M01"), Some(1));
        assert_eq!(milestone_number("M-01"), Some(1));
        assert_eq!(milestone_number("M1"), Some(1));
        assert_eq!(milestone_number("X1"), None);
        assert_eq!(milestone_number("M"), None);
    }

    #[test]
    fn versions_start_at_one() {
        assert_eq!(version_number("v1"), Some(1));
        assert_eq!(version_number("v12"), Some(12));
        assert_eq!(version_number("v0"), None);
        assert_eq!(version_number("V2"), None);
        assert_eq!(version_number("v"), None);
    }
}
