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

/// A milestone's id as plancheck writes it: `M` and its number in at least two digits.
pub fn milestone_id(number: u64) -> String {
    format!("M{number:02}")
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

/// The plan file name patterns of `layout.md`, each compiled the first time a name asks for
/// it. `\d` is any Unicode digit, as `layout.md` allows.
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
    /// Whether a file name is one of a plan's, canonical or tolerated.
    pub fn is_plan_name(&self, name: &str) -> bool {
        self.is_canonical(name)
            || self.tolerated_regular.is_match(name)
            || self.tolerated_high_priority.is_match(name)
    }

    pub fn is_canonical(&self, name: &str) -> bool {
        self.regular.is_match(name) || self.high_priority.is_match(name)
    }

    /// The milestone and version digits of a tolerated regular plan name.
    pub fn regular_numbers<'n>(&self, name: &'n str) -> Option<(&'n str, &'n str)> {
        let caps = self.tolerated_regular.captures(name)?;
        Some((caps.get(1)?.as_str(), caps.get(2)?.as_str()))
    }
}

const TIMESTAMP: &str = r"(?:\d{8}T\d{6}|\d{8}-\d{6}|\d{4}-\d{2}-\d{2}-\d{6})";

/// Whether `id` is a task or sidequest id of one of the accepted forms.
pub fn is_task_id(id: &str) -> bool {
    task_id_pattern().is_match(id)
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

    /// `\d` is any Unicode digit, in every form.
    #[test]
    fn reads_unicode_digits_as_digits() {
        let p = file_name_patterns();
        assert_eq!(
            p.regular_numbers("M\u{0661}-v2-x.md"),
            Some(("\u{0661}", "2"))
        );
        assert!(p.is_canonical("M\u{0661}\u{0662}-v2-x.md"));
        assert!(is_task_id("TASK-2025071\u{0661}T140000"));
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
