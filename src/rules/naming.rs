//! PC401–PC403: what a plan's file name and folder say, against what the plan says.

use std::sync::LazyLock;

use regex::Regex;

use crate::plan::{Plan, PlanKind};
use crate::rules::metadata::{
    filled, find_in, milestone_contradicts_title, milestone_number, version_number,
};
use crate::rules::{declare_rule, Checker};

declare_rule!(pub NON_CANONICAL_FILENAME, "PC401", "non-canonical-filename", Warning,
    "The plan's file name is not in a canonical form");
declare_rule!(pub FILENAME_MISMATCH, "PC402", "filename-mismatch", Error,
    "The file name's milestone, version or timestamp differs from the plan's");
declare_rule!(pub STATUS_LOCATION_MISMATCH, "PC403", "status-location-mismatch", Error,
    "The plan's status does not match its folder or name");

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

pub fn check(plan: &Plan, cx: &mut Checker<'_>) {
    let Some(file_name) = cx.file_name else {
        return;
    };
    non_canonical_filename(plan, file_name, cx);
    filename_mismatch(plan, file_name, cx);
    status_location_mismatch(plan, file_name, cx);
}

fn non_canonical_filename(plan: &Plan, file_name: &str, cx: &mut Checker<'_>) {
    let patterns = file_name_patterns();
    if patterns.is_canonical(file_name) {
        return;
    }
    let help = match canonical_name(plan, cx) {
        Some(name) if name != file_name => format!("rename the file `{name}`"),
        _ => match plan.kind() {
            PlanKind::Regular => "name it `M<NN>-v<N>-<slug>.md`, such as `M01-v1-auth.md`".into(),
            PlanKind::HighPriority => {
                "name it `H-<YYYYMMDDTHHMMSS>-<slug>.md`, such as `H-20250711T141500-security-fix.md`"
                    .into()
            }
        },
    };
    let span = cx.line_one();
    if let Some(d) = cx.report(
        &NON_CANONICAL_FILENAME,
        Some(span),
        format!("file name `{file_name}` is not a canonical plan name"),
    ) {
        d.help(help);
    }
}

/// The name the plan should have, built from its title and metadata when they are sound.
fn canonical_name(plan: &Plan, cx: &Checker<'_>) -> Option<String> {
    let title = plan.title()?;
    let groups = cx.title_groups(plan)?;
    let slug = slug(title.text.split_once(" - ")?.1);
    if slug.is_empty() {
        return None;
    }
    match plan.kind() {
        PlanKind::Regular => {
            let milestone = milestone_number(title.text.get(groups.milestone.clone()?)?)?;
            let version = version_number(filled(plan, cx, "Version")?.value)?;
            let superseded = filled(plan, cx, "Status").is_some_and(|s| s.value == "superseded");
            let suffix = if superseded { "-superseded" } else { "" };
            Some(format!("M{milestone:02}-v{version}-{slug}{suffix}.md"))
        }
        PlanKind::HighPriority => {
            let stamp = title.text.get(groups.timestamp.clone()?)?;
            Some(format!("H-{stamp}-{slug}.md"))
        }
    }
}

fn slug(title: &str) -> String {
    let lowered: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    lowered.split_whitespace().collect::<Vec<_>>().join("-")
}

fn filename_mismatch(plan: &Plan, file_name: &str, cx: &mut Checker<'_>) {
    let patterns = file_name_patterns();
    match plan.kind() {
        PlanKind::Regular => {
            let Some((milestone_in_name, version_in_name)) = patterns.regular_numbers(file_name)
            else {
                return;
            };
            let in_name: Option<u64> = milestone_in_name.parse().ok();
            if let Some(field) = filled(plan, cx, "Milestone") {
                let in_field = milestone_number(field.value);
                if in_field.is_some()
                    && in_field != in_name
                    && !milestone_contradicts_title(plan, cx)
                {
                    if let Some(d) = cx.report(
                        &FILENAME_MISMATCH,
                        Some(field.value_span),
                        format!(
                            "milestone `{}` differs from the file name's `M{milestone_in_name}`",
                            field.value
                        ),
                    ) {
                        d.help("rename the file, or correct the milestone");
                    }
                }
            }
            let in_name: Option<u64> = version_in_name.parse().ok();
            if let Some(field) = filled(plan, cx, "Version") {
                let in_field = version_number(field.value);
                if in_field.is_some() && in_field != in_name {
                    if let Some(d) = cx.report(
                        &FILENAME_MISMATCH,
                        Some(field.value_span),
                        format!(
                            "version `{}` differs from the file name's `v{version_in_name}`",
                            field.value
                        ),
                    ) {
                        d.help("rename the file, or correct the version");
                    }
                }
            }
        }
        PlanKind::HighPriority => {
            let Some(caps) = patterns.tolerated_high_priority.captures(file_name) else {
                return;
            };
            let in_name = format!("{}T{}", &caps[1], &caps[2]);
            let Some(title) = plan.title() else { return };
            let Some(in_title) = (cx.title_groups(plan))
                .and_then(|groups| title.text.get(groups.timestamp.clone()?))
            else {
                return;
            };
            if in_title != in_name {
                let span = find_in(cx, title.span, in_title);
                if let Some(d) = cx.report(
                    &FILENAME_MISMATCH,
                    Some(span),
                    format!(
                        "the title's `H-{in_title}` differs from the file name's `H-{in_name}`"
                    ),
                ) {
                    d.help("rename the file, or correct the title's timestamp");
                }
            }
        }
    }
}

fn status_location_mismatch(plan: &Plan, file_name: &str, cx: &mut Checker<'_>) {
    let Some(status) = filled(plan, cx, "Status") else {
        return;
    };
    let value = status.value;
    if !cx.plan_schema(plan).statuses.iter().any(|s| s == value) {
        return; // PC205's
    }
    // Where the plan stands is judged only inside an `Implementations/` folder: plans kept
    // elsewhere (docs/plans) have no state folders to be in.
    let mut problem: Option<(String, String)> = None;
    if let Some(state) = cx.folder_below("Implementations") {
        let in_active = state.as_deref() == Some("active");
        if value == "active" && !in_active {
            problem = Some((
                "the plan is `active` but is not in `Implementations/active/`".into(),
                "move it to `Implementations/active/`".into(),
            ));
        } else if matches!(value, "completed" | "superseded") && in_active {
            let first = (cx.schema.completed_dirs.first()).map_or("completed", String::as_str);
            problem = Some((
                format!("the plan is `{value}` but is in `Implementations/active/`"),
                format!("move it to `Implementations/{first}/`"),
            ));
        }
    }
    if problem.is_none() && plan.kind() == PlanKind::Regular {
        let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
        let suffixed = stem.ends_with("-superseded");
        if value == "superseded" && !suffixed {
            problem = Some((
                "the plan is `superseded` but its file name lacks the `-superseded` suffix".into(),
                format!("rename the file `{stem}-superseded.md`"),
            ));
        } else if value != "superseded" && suffixed {
            problem = Some((
                format!("the file name says superseded, but the plan is `{value}`"),
                "set the status to `superseded`, or drop the suffix from the name".into(),
            ));
        }
    }
    if let Some((message, help)) = problem {
        if let Some(d) = cx.report(&STATUS_LOCATION_MISMATCH, Some(status.value_span), message) {
            d.help(help);
        }
    }
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

    /// PC403's findings for a plan of `status` at `path`.
    fn status_location(path: &str, status: &str) -> Vec<String> {
        let text = format!(
            "# Implementation Plan: M01 - Auth\n\n## Metadata\n- **Milestone**: M01\n- **Status**: {status}\n"
        );
        (crate::testing::diagnostics(path, &text, check).into_iter())
            .filter(|d| d.rule.code == "PC403")
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn place_is_judged_only_inside_implementations() {
        let clean: [(&str, &str); 8] = [
            ("/p/Implementations/active/M01-v1-auth.md", "active"),
            ("/p/Implementations/active/team-a/M01-v1-auth.md", "active"),
            ("/p/Implementations/completed/M01-v1-auth.md", "completed"),
            (
                "/p/Implementations/archive/M01-v1-auth-superseded.md",
                "superseded",
            ),
            ("/p/Implementations/drafts/M01-v1-auth.md", "completed"),
            ("/p/docs/plans/M01-v1-auth.md", "active"),
            ("/p/docs/plans/M01-v1-auth.md", "completed"),
            ("/p/docs/plans/M01-v1-auth-superseded.md", "superseded"),
        ];
        for (path, status) in clean {
            assert_eq!(
                status_location(path, status),
                Vec::<String>::new(),
                "{path} {status}"
            );
        }
        let wrong: [(&str, &str, &str); 7] = [
            (
                "/p/Implementations/completed/M01-v1-auth.md",
                "active",
                "is not in `Implementations/active/`",
            ),
            (
                "/p/Implementations/M01-v1-auth.md",
                "active",
                "is not in `Implementations/active/`",
            ),
            (
                "/p/Implementations/active/M01-v1-auth.md",
                "completed",
                "is in `Implementations/active/`",
            ),
            (
                "/p/Implementations/active/M01-v1-auth-superseded.md",
                "superseded",
                "is in `Implementations/active/`",
            ),
            // The suffix, for any plan wherever it is.
            (
                "/p/docs/plans/M01-v1-auth.md",
                "superseded",
                "lacks the `-superseded` suffix",
            ),
            (
                "/p/Implementations/completed/M01-v1-auth.md",
                "superseded",
                "lacks the `-superseded` suffix",
            ),
            (
                "/p/docs/M01-v1-auth-superseded.md",
                "active",
                "the file name says superseded",
            ),
        ];
        for (path, status, says) in wrong {
            let found = status_location(path, status);
            assert_eq!(found.len(), 1, "{path} {status}: {found:?}");
            assert!(found[0].contains(says), "{path} {status}: {found:?}");
        }
    }

    #[test]
    fn slugs_are_lower_kebab() {
        assert_eq!(slug("User Auth & Sessions (v2)"), "user-auth-sessions-v2");
    }
}
