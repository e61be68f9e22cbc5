//! Every rule in one table: its code, name, default severity, scope and summary, its doc
//! page, and the check that reports it. Everything that lists rules derives from the table;
//! this module depends on nothing else in the crate.
//!
//! Adding a rule takes:
//! 1. a row in the table below, in the group of the check that reports it (a new family of
//!    per-plan checks is a new `Plan(family::check)` group, and runs on every plan by that
//!    alone);
//! 2. the check reporting it: `cx.report(&THE_RULE, span, message)` in that function;
//! 3. its page, `rules/<CODE>.md` (the build fails without it);
//! 4. its fixtures, `fixtures/rules/<CODE>/fail` and `pass` (`tests/rules.rs` fails without
//!    them).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Off,
}

impl Severity {
    /// Every severity, as a config file may write them.
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Off,
    ];

    /// The severity a config file writes as `word`.
    pub fn from_word(word: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.as_str() == word)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Off => "off",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When a rule is checked, and so what its check may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The file's bytes, as they are read: before any parse.
    File,
    /// One plan's model alone.
    Plan,
    /// A plan against its project's files and other plans, or those files themselves: the
    /// management folder is read only when one of these rules is on.
    Project,
    /// A plan's suppression comments, against what the other rules found in it.
    Suppression,
}

#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub default_severity: Severity,
    pub scope: Scope,
    pub summary: &'static str,
    /// Whether the rule attaches a fix to its findings (not necessarily to every one):
    /// `rules`, `--statistics` and SARIF say so.
    pub fixable: bool,
    /// The rule's page, `rules/<CODE>.md`, as `plancheck explain` prints it.
    pub doc: &'static str,
}

impl Rule {
    /// The severity when the rule is on: a rule that is off by default reports as a warning
    /// once selected.
    pub fn enabled_severity(&self) -> Severity {
        match self.default_severity {
            Severity::Off => Severity::Warning,
            other => other,
        }
    }
}

/// The rule named by its code (in any case) or its name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// Reads the table: groups of rows, each group headed by its scope and, for per-plan
/// checks, the check that reports its rules. A row is `STATIC, CODE, "name", Severity,
/// "summary";`, the static being the name in SCREAMING_SNAKE; a rule whose check attaches
/// fixes says `fixable` before its summary (`Severity, fixable, "summary";`).
///
/// It makes each rule's static (its page embedded, so a rule without one does not build),
/// [`ALL`] sorted by code, `plan_checks!()` (the per-plan checks, for `rules/mod.rs` to
/// run: the table names them, and they resolve there, so this module takes none of their
/// types), and `plancheck::for_each_rule!(callback)`, which hands every code to
/// `callback!` as an identifier (`tests/rules.rs` makes a test of each).
macro_rules! declare_rules {
    (@with_dollar ($d:tt) $(
        $scope:ident $(($check:path))? {
            $(
                $id:ident, $code:ident, $name:literal, $severity:ident,
                $($fixable:ident,)? $summary:literal;
            )+
        }
    )+) => {
        $($(
            #[doc = include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"), "/rules/", stringify!($code), ".md"
            ))]
            pub static $id: Rule = Rule {
                code: stringify!($code),
                name: $name,
                default_severity: Severity::$severity,
                scope: Scope::$scope,
                summary: $summary,
                fixable: is_fixable!($($fixable)?),
                doc: include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"), "/rules/", stringify!($code), ".md"
                )),
            };
        )+)+

        /// Every rule, sorted by code: what `rules`, `explain`, selection and the reports
        /// read.
        pub static ALL: &[&Rule] = &sorted_by_code([$($(&$id),+),+]);

        $($(
            const _: () = assert!(
                matches!(Scope::$scope, Scope::Plan),
                concat!(
                    "`", stringify!($check), "` heads a group that is not `Plan`: only the ",
                    "per-plan checks take one form, and so a place in the table"
                )
            );
        )?)+

        macro_rules! plan_checks {
            () => { [$($($check,)?)+] };
        }
        pub(crate) use plan_checks;

        #[macro_export]
        macro_rules! for_each_rule {
            ($d callback:ident) => { $d callback! { $($($code)+)+ } };
        }
    };
    ($($table:tt)+) => {
        declare_rules! { @with_dollar ($) $($table)+ }
    };
}

/// A row's `fixable` flag as a `bool`; any other word there fails the build.
macro_rules! is_fixable {
    () => {
        false
    };
    (fixable) => {
        true
    };
}

/// `rules`, sorted by code; two rules of one code fail the build.
const fn sorted_by_code<const N: usize>(mut rules: [&'static Rule; N]) -> [&'static Rule; N] {
    let mut sorted = 1;
    while sorted < N {
        let mut at = sorted;
        while at > 0 && comes_before(rules[at].code, rules[at - 1].code) {
            let moved = rules[at];
            rules[at] = rules[at - 1];
            rules[at - 1] = moved;
            at -= 1;
        }
        assert!(
            at == 0 || comes_before(rules[at - 1].code, rules[at].code),
            "two rules share a code"
        );
        sorted += 1;
    }
    rules
}

/// Whether `a` sorts before `b`, byte by byte (`str`'s `Ord` is not `const`).
const fn comes_before(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut at = 0;
    while at < a.len() && at < b.len() {
        if a[at] != b[at] {
            return a[at] < b[at];
        }
        at += 1;
    }
    a.len() < b.len()
}

declare_rules! {
    // Told as the file is read, before any parse: `file::unreadable`, `file::not_text`,
    // `file::empty`.
    File {
        UNREADABLE_FILE, PC001, "unreadable-file", Error,
            "The file cannot be read";
        NOT_UTF8, PC002, "not-utf8", Error,
            "The file is not valid UTF-8 text";
        EMPTY_FILE, PC003, "empty-file", Error,
            "The file is empty or only white space";
    }

    // PC101 also from `structure::not_a_plan`, for a file that is not plan-shaped.
    Plan(structure::check) {
        INVALID_TITLE, PC101, "invalid-title", Error,
            "The first heading is not a level-1 plan title";
        MULTIPLE_TITLES, PC102, "multiple-titles", Error,
            "More than one level-1 heading";
        MISSING_SECTION, PC103, "missing-section", Error, fixable,
            "A section the template requires is absent or misspelt";
        SECTION_ORDER, PC104, "section-order", Warning,
            "Required sections are out of the template's order";
        DUPLICATE_SECTION, PC105, "duplicate-section", Error,
            "The same heading twice under the same parent";
        UNKNOWN_SECTION, PC106, "unknown-section", Warning,
            "A section the template does not have";
        EMPTY_SECTION, PC107, "empty-section", Warning,
            "A required section with no content";
        HEADING_INCREMENT, PC109, "heading-increment", Warning,
            "A heading more than one level deeper than the one before";
        INVALID_PHASE, PC110, "invalid-phase", Error,
            "Phases missing, misnamed or misnumbered";
        MISSING_PHASE_FIELD, PC111, "missing-phase-field", Error,
            "A phase lacks one of its bold fields";
        INVALID_CONTEXT_MODE, PC112, "invalid-context-mode", Error,
            "The context mode is not one of the allowed modes";
    }

    Plan(template_text::check) {
        TEMPLATE_PLACEHOLDER, PC108, "template-placeholder", Error,
            "Template text left unfilled";
        TEMPLATE_GUIDANCE_LEFT, PC113, "template-guidance-left", Warning,
            "A list item is one of the template's guidance lines, word for word";
    }

    Plan(metadata::check) {
        MISSING_FIELD, PC201, "missing-field", Error, fixable,
            "A required metadata field is absent or misspelt";
        DUPLICATE_FIELD, PC202, "duplicate-field", Error,
            "A metadata field is given twice";
        UNKNOWN_FIELD, PC203, "unknown-field", Warning, fixable,
            "A metadata field the template does not have";
        EMPTY_FIELD, PC204, "empty-field", Error,
            "A metadata field has no value";
        INVALID_STATUS, PC205, "invalid-status", Error, fixable,
            "Status is not one of the allowed words";
        INVALID_MILESTONE, PC206, "invalid-milestone", Error,
            "Milestone is malformed or differs from the title's";
        INVALID_VERSION, PC207, "invalid-version", Error,
            "Version is not v<N> with N at least 1";
        MALFORMED_FIELD, PC208, "malformed-field", Error,
            "A metadata bullet is not `- **Field**: value`";
        INVALID_PRIORITY, PC209, "invalid-priority", Error,
            "Priority or Urgency is not one of its allowed words";
    }

    Plan(dates::check) {
        INVALID_DATE, PC301, "invalid-date", Error, fixable,
            "A date field is not a real ISO-8601 date";
        DATE_ORDER, PC302, "date-order", Error,
            "Updated or the target date is before Created";
        FUTURE_DATE, PC303, "future-date", Warning,
            "Created or Updated is after today";
        OVERDUE_PLAN, PC304, "overdue-plan", Off,
            "An active plan's target date has passed";
    }

    Plan(naming::check) {
        NON_CANONICAL_FILENAME, PC401, "non-canonical-filename", Warning,
            "The plan's file name is not in a canonical form";
        FILENAME_MISMATCH, PC402, "filename-mismatch", Error,
            "The file name's milestone, version or timestamp differs from the plan's";
        STATUS_LOCATION_MISMATCH, PC403, "status-location-mismatch", Error,
            "The plan's status does not match its folder or name";
    }

    // A plan among the other plans of its project, in the second pass: `project::check_plan`.
    Project {
        DUPLICATE_PLAN, PC404, "duplicate-plan", Error,
            "Two plan files for the same milestone and version";
        MULTIPLE_ACTIVE_PLANS, PC405, "multiple-active-plans", Warning,
            "More than one active plan for one milestone";
        SUPERSEDED_WITHOUT_SUCCESSOR, PC406, "superseded-without-successor", Warning,
            "A superseded plan with no higher version of its milestone";
    }

    // What a plan names, against its project: `references::check`.
    Project {
        UNKNOWN_TASK, PC501, "unknown-task", Error, fixable,
            "A task id with no task file";
        UNKNOWN_FLOW, PC503, "unknown-flow", Error,
            "A flow id that no flow index or flow file defines";
        UNKNOWN_FLOW_FILE, PC504, "unknown-flow-file", Error,
            "A named flow file that does not exist";
        UNKNOWN_THEME, PC505, "unknown-theme", Error,
            "A theme that the theme index and files do not define";
        UNKNOWN_MILESTONE, PC506, "unknown-milestone", Error,
            "The plan's milestone is not in completion-path.json";
        MISSING_REQUIRED_FLOW, PC507, "missing-required-flow", Warning,
            "A flow the milestone requires is not listed";
        UNLISTED_TASK, PC508, "unlisted-task", Warning,
            "A task naming this plan is not in its Related Tasks";
        TASK_MILESTONE_MISMATCH, PC509, "task-milestone-mismatch", Warning,
            "A related task belongs to another milestone";
        UNLISTED_PLAN, PC510, "unlisted-plan", Info,
            "The plan is not among its milestone's implementation plans";
    }

    // Read from the references the project rules read too: `references::malformed_task_ids`.
    Plan {
        MALFORMED_TASK_ID, PC502, "malformed-task-id", Error,
            "A task reference that is no valid task id";
    }

    // The project files themselves: `project::check_files`; PC602 also from `project::not_found`
    // for a plan with no management folder.
    Project {
        MISSING_PLAN_FILE, PC511, "missing-plan-file", Error,
            "completion-path.json lists a plan file that does not exist";
        UNKNOWN_PHASE, PC512, "unknown-phase", Warning,
            "A task names a phase the plan does not have";
        INVALID_PROJECT_FILE, PC601, "invalid-project-file", Error,
            "A project JSON file is not valid JSON or of no accepted shape";
        PROJECT_NOT_FOUND, PC602, "project-not-found", Warning,
            "References could not be checked: no project found";
    }

    // Told as a plan's suppression comments are applied: `suppression::Suppressions::apply`.
    Suppression {
        UNUSED_SUPPRESSION, PC901, "unused-suppression", Warning, fixable,
            "A suppression comment that suppresses nothing or names no rule";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_sorted_and_unique() {
        assert!(ALL.windows(2).all(|w| w[0].code < w[1].code));
    }

    #[test]
    fn codes_compare_as_strs_do() {
        for (a, b) in [
            ("PC101", "PC102"),
            ("PC9", "PC10"),
            ("PC1", "PC10"),
            ("", "P"),
        ] {
            assert_eq!(comes_before(a, b), a < b, "{a} {b}");
            assert_eq!(comes_before(b, a), b < a, "{b} {a}");
        }
        assert!(!comes_before("PC101", "PC101"));
    }

    #[test]
    fn finds_by_code_in_any_case_or_by_name() {
        assert_eq!(find("pc205").map(|r| r.name), Some("invalid-status"));
        assert_eq!(find("invalid-status").map(|r| r.code), Some("PC205"));
        assert!(find("Invalid-Status").is_none());
    }
}
