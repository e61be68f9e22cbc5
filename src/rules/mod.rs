//! Rule selection and the [`Checker`] that rules report through; the rules themselves are
//! listed in [`registry`] and checked by the family modules.
//! A rule reads the model and reports; it never reads files, prints, or knows the output format.

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::plan::Plan;
use crate::plan::Span;
use crate::schema::{PlanSchema, Schema};
use crate::source::SourceFile;
use crate::template::Placeholders;

pub mod choice;
pub mod dates;
pub mod file;
pub mod metadata;
pub mod naming;
pub mod project;
pub mod references;
pub mod registry;
pub mod structure;
pub mod suppression;
pub mod template_text;

use registry::{Rule, Scope, Severity, ALL};

/// The checks that run on each plan, in any order (output is sorted afterwards): the
/// table's `Plan(…)` groups.
const PLAN_CHECKS: &[fn(&Plan, &mut Checker<'_>)] = &registry::plan_checks!();

/// Which rules are on, and at what severity; indexed like [`ALL`].
#[derive(Debug, Clone)]
pub struct RuleSet {
    severities: Vec<Severity>,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet {
            severities: ALL.iter().map(|r| r.default_severity).collect(),
        }
    }
}

impl RuleSet {
    /// Applies `--select` (which replaces the default set when given) and then `--ignore`.
    /// Selectors are codes, code prefixes (`PC3`), names, or `ALL`.
    pub fn from_selectors(select: Option<&[String]>, ignore: &[String]) -> Result<RuleSet, String> {
        let mut set = RuleSet::default();
        if let Some(select) = select {
            let chosen = matching(select)?;
            for (i, rule) in ALL.iter().enumerate() {
                set.severities[i] = if chosen[i] {
                    rule.enabled_severity()
                } else {
                    Severity::Off
                };
            }
        }
        for (i, ignored) in matching(ignore)?.into_iter().enumerate() {
            if ignored {
                set.severities[i] = Severity::Off;
            }
        }
        Ok(set)
    }

    /// Re-grades the rules each selector names; a severity other than `off` also turns a
    /// rule on. `ignored` still wins: call it with the same ignore list as `from_selectors`.
    pub fn with_severities(
        mut self,
        severities: &[(String, Severity)],
        ignore: &[String],
    ) -> Result<RuleSet, String> {
        let ignored = matching(ignore)?;
        for (selector, severity) in severities {
            validate_selector(selector)?;
            for (i, rule) in ALL.iter().enumerate() {
                if selects(selector, rule) && !ignored[i] {
                    self.severities[i] = *severity;
                }
            }
        }
        Ok(self)
    }

    pub fn severity(&self, rule: &Rule) -> Severity {
        ALL.iter()
            .position(|r| std::ptr::eq(*r, rule))
            .and_then(|i| self.severities.get(i).copied())
            .unwrap_or(Severity::Off)
    }

    pub fn is_enabled(&self, rule: &Rule) -> bool {
        self.severity(rule) != Severity::Off
    }

    /// Whether any rule that needs the project files is on: if none is, they are not read.
    pub fn needs_project(&self) -> bool {
        ALL.iter()
            .any(|rule| rule.scope == Scope::Project && self.is_enabled(rule))
    }
}

/// Whether `selector` (a code, a code prefix such as `PC3`, a name, or `ALL`) names `rule`.
pub fn selects(selector: &str, rule: &Rule) -> bool {
    let upper = selector.to_ascii_uppercase();
    upper == "ALL"
        || (upper.starts_with("PC") && rule.code.starts_with(&upper))
        || rule.name == selector
}

/// Checks that `selector` names at least one rule; the error suggests a near name.
pub fn validate_selector(selector: &str) -> Result<(), String> {
    if ALL.iter().any(|rule| selects(selector, rule)) {
        return Ok(());
    }
    let hint = suggest(selector, ALL.iter().map(|r| r.name))
        .map(|name| format!("; did you mean `{name}`?"))
        .unwrap_or_default();
    Err(format!("`{selector}` names no rule{hint}"))
}

/// For each rule of [`ALL`], whether any selector names it.
fn matching(selectors: &[String]) -> Result<Vec<bool>, String> {
    let mut hits = vec![false; ALL.len()];
    for selector in selectors.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        validate_selector(selector)?;
        for (i, rule) in ALL.iter().enumerate() {
            if selects(selector, rule) {
                hits[i] = true;
            }
        }
    }
    Ok(hits)
}

/// What every check gets: the schema, the date to compare with, the file, and where
/// findings go. It decides whether a rule is on and at what severity.
pub struct Checker<'a> {
    pub schema: &'a Schema,
    pub rules: &'a RuleSet,
    pub today: Date,
    pub file: &'a SourceFile,
    /// The file name as it will stand in the project (`--stdin-filename` for stdin); `None`
    /// when plancheck cannot know it.
    pub file_name: Option<&'a str>,
    location: Option<&'a std::path::Path>,
    diagnostics: Vec<Diagnostic>,
    title: std::cell::OnceCell<Option<TitleGroups>>,
    placeholders: std::cell::OnceCell<Placeholders>,
}

/// Where the named groups of the title pattern stand in a plan's title: the pattern is
/// matched once a plan, for every rule that reads the title.
#[derive(Debug, Clone)]
pub struct TitleGroups {
    /// The milestone id as written (`M01`, `M-01`).
    pub milestone: Option<std::ops::Range<usize>>,
    pub timestamp: Option<std::ops::Range<usize>>,
}

impl<'a> Checker<'a> {
    pub fn new(
        schema: &'a Schema,
        rules: &'a RuleSet,
        today: Date,
        file: &'a SourceFile,
        location: Option<&'a std::path::Path>,
    ) -> Self {
        let file_name = location
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str());
        Checker {
            schema,
            rules,
            today,
            file,
            file_name,
            location,
            diagnostics: Vec::new(),
            title: std::cell::OnceCell::new(),
            placeholders: std::cell::OnceCell::new(),
        }
    }

    pub fn is_enabled(&self, rule: &Rule) -> bool {
        self.rules.is_enabled(rule)
    }

    /// Where the file stands (for stdin, `--stdin-filename`); `None` when plancheck cannot know.
    pub fn location(&self) -> Option<&'a std::path::Path> {
        self.location
    }

    /// The folder the file stands in below the nearest `folder` above it (`Some(None)` when
    /// it stands in `folder` itself); `None` when no folder above it is so named. Read from
    /// the absolute path, so a plan named from within its folder (`M01-v1-a.md`) is placed.
    pub fn folder_below(&self, folder: &str) -> Option<Option<String>> {
        crate::fs::folder_below(self.location?, folder)
    }

    /// Records a finding if its rule is on; the returned diagnostic takes help and labels.
    pub fn report(
        &mut self,
        rule: &'static Rule,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Option<&mut Diagnostic> {
        let severity = self.rules.severity(rule);
        if severity == Severity::Off {
            return None;
        }
        self.diagnostics.push(Diagnostic {
            rule,
            severity,
            message: message.into(),
            help: None,
            span,
            labels: Vec::new(),
            related: Vec::new(),
        });
        self.diagnostics.last_mut()
    }

    /// The schema for this plan's kind.
    pub fn plan_schema(&self, plan: &Plan) -> &'a PlanSchema {
        self.schema.for_kind(plan.kind())
    }

    /// The groups of the plan's title, matched by its kind's pattern; `None` when the plan
    /// has no title or the pattern does not match it. A placeholder in the title stands for
    /// whatever its form wants there, and a group it fills is absent (`M{milestone-id}`
    /// matches, with no milestone). (A checker checks one plan.)
    pub fn title_groups(&self, plan: &Plan) -> Option<&TitleGroups> {
        self.title
            .get_or_init(|| {
                let title = plan.title()?;
                // Each placeholder filled with as many `1`s as it has bytes: digits and
                // text both, and every offset stays where it was.
                let mut filled = title.text.to_string();
                let mut fillers: Vec<std::ops::Range<usize>> = Vec::new();
                for placeholder in self.placeholders(plan).within(title.span) {
                    let written = self.text(placeholder.span);
                    let Some(at) = filled.find(written) else {
                        continue;
                    };
                    filled.replace_range(at..at + written.len(), &"1".repeat(written.len()));
                    fillers.push(at..at + written.len());
                }
                let groups = self.plan_schema(plan).title.captures(&filled)?;
                let range = |name| {
                    let group = groups.name(name)?.range();
                    let is_placeholder = fillers
                        .iter()
                        .any(|f| f.start < group.end && group.start < f.end);
                    (!is_placeholder).then_some(group)
                };
                Some(TitleGroups {
                    milestone: range("milestone"),
                    timestamp: range("timestamp"),
                })
            })
            .as_ref()
    }

    /// The plan's placeholders, found once: every rule but PC108 takes a value that holds
    /// one for absent. (A checker checks one plan.)
    pub fn placeholders(&self, plan: &Plan) -> &Placeholders {
        self.placeholders
            .get_or_init(|| Placeholders::find(plan, &self.file.text, self.schema))
    }

    /// Whether the text at `span` holds a placeholder, and so counts as absent.
    pub fn holds_placeholder(&self, plan: &Plan, span: Span) -> bool {
        self.placeholders(plan).overlaps(span)
    }

    /// Text of the file at `span`.
    pub fn text(&self, span: Span) -> &'a str {
        self.file.text.get(span.range()).unwrap_or("")
    }

    /// Line 1 without its line ending: where file-level findings point.
    pub fn line_one(&self) -> Span {
        self.file.line_span(1)
    }

    /// Applies a plan's suppression comments to everything reported so far; call it last,
    /// after every check of the plan.
    pub fn apply_suppressions(&mut self, suppressions: suppression::Suppressions) {
        let mut diagnostics = std::mem::take(&mut self.diagnostics);
        suppressions.apply(self, &mut diagnostics);
        diagnostics.append(&mut self.diagnostics);
        self.diagnostics = diagnostics;
    }

    /// Takes back what an earlier pass over the same file found, so later checks add to it.
    pub fn resume(&mut self, found: Vec<Diagnostic>) {
        self.diagnostics.extend(found);
    }

    /// Whether anything was found so far.
    pub fn has_findings(&self) -> bool {
        !self.diagnostics.is_empty()
    }

    pub fn into_diagnostics(mut self) -> Vec<Diagnostic> {
        self.diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.diagnostics
    }
}

/// Runs every plan check.
pub fn check_plan(plan: &Plan, cx: &mut Checker<'_>) {
    for check in PLAN_CHECKS {
        check(plan, cx);
    }
}

/// The candidate closest to `value`: the same word in another case, a word it begins or
/// ends, or one a few edits away. `None` when nothing is close enough to be a good guess.
pub fn suggest<'c>(value: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let value = value.trim().to_lowercase();
    let value_len = value.chars().count();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let other = candidate.to_lowercase();
        // The same word in another case, or one word beginning the other, wins outright;
        // an edited word scores its edits plus one.
        let score = if other == value {
            0
        } else if value_len >= 3 && (other.starts_with(&value) || value.starts_with(&other)) {
            1
        } else {
            let other_len = other.chars().count();
            let most = (other_len / 3).max(1);
            // Words further apart in length than that need more edits than that.
            if other_len.abs_diff(value_len) > most {
                continue;
            }
            let edits = strsim::osa_distance(&value, &other);
            if edits > most {
                continue;
            }
            edits + 1
        };
        if best.is_none_or(|(b, _)| score < b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The template name that `written` misspells, among `missing` (the template's names that
/// the plan lacks, each with its place, in template order): the same words in another case,
/// at most two edits away, or the singular or plural of it. The nearest wins; on a tie, the
/// first. Returns its place.
pub fn near_miss<'c, T>(
    written: &str,
    missing: impl IntoIterator<Item = (T, &'c str)>,
) -> Option<T> {
    const MOST_EDITS: usize = 2;
    let written = written.trim().to_lowercase();
    let mut best: Option<(usize, T)> = None;
    for (place, name) in missing {
        let name = name.to_lowercase();
        let edits = strsim::osa_distance(&written, &name);
        let score = if edits <= MOST_EDITS {
            edits
        } else if same_but_number(&written, &name) {
            MOST_EDITS
        } else {
            continue;
        };
        if best.as_ref().is_none_or(|(b, _)| score < *b) {
            best = Some((score, place));
        }
    }
    best.map(|(_, place)| place)
}

/// Whether two lower-cased names are the same words, each in the singular or the plural
/// (`dependency identification` and `dependencies identification`).
fn same_but_number(a: &str, b: &str) -> bool {
    let (mut a_words, mut b_words) = (a.split_whitespace(), b.split_whitespace());
    loop {
        match (a_words.next(), b_words.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x == y || is_plural_of(x, y) || is_plural_of(y, x) => {}
            _ => return false,
        }
    }
}

/// Whether `plural` is an English plural of `one`, as far as the template's words need:
/// `phases`, `approaches`, `dependencies`, `criteria`.
fn is_plural_of(plural: &str, one: &str) -> bool {
    let Some(stem) = plural.strip_suffix('s') else {
        return plural
            .strip_suffix("ria")
            .is_some_and(|stem| one.strip_suffix("rion") == Some(stem));
    };
    stem == one
        || stem.strip_suffix('e') == Some(one)
        || stem
            .strip_suffix("ie")
            .is_some_and(|stem| one.strip_suffix('y') == Some(stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_by_code_prefix_and_name() {
        let select = vec!["PC2".to_string(), "future-date".to_string()];
        let set = RuleSet::from_selectors(Some(&select), &["PC205".to_string()]).unwrap();
        assert!(set.is_enabled(&registry::MISSING_FIELD));
        assert!(!set.is_enabled(&registry::INVALID_STATUS));
        assert!(set.is_enabled(&registry::FUTURE_DATE));
        assert!(!set.is_enabled(&registry::INVALID_DATE));
    }

    #[test]
    fn off_rules_turn_on_when_selected() {
        assert!(!RuleSet::default().is_enabled(&registry::OVERDUE_PLAN));
        for selector in ["ALL", "PC304", "pc304", "overdue-plan", "PC3", "PC30"] {
            let set = RuleSet::from_selectors(Some(&[selector.to_string()]), &[]).unwrap();
            assert_eq!(
                set.severity(&registry::OVERDUE_PLAN),
                Severity::Warning,
                "{selector}"
            );
        }
    }

    #[test]
    fn a_selected_off_rule_takes_the_configs_severity() {
        let select = ["PC304".to_string()];
        for severity in [Severity::Error, Severity::Info, Severity::Off] {
            let set = RuleSet::from_selectors(Some(&select), &[])
                .and_then(|set| set.with_severities(&[("overdue-plan".into(), severity)], &[]))
                .unwrap();
            assert_eq!(set.severity(&registry::OVERDUE_PLAN), severity);
        }
    }

    #[test]
    fn unknown_selectors_are_errors() {
        let err = RuleSet::from_selectors(Some(&["invalid-stauts".to_string()]), &[]).unwrap_err();
        assert!(err.contains("invalid-status"), "{err}");
        assert!(RuleSet::from_selectors(None, &["PC8".to_string()]).is_err());
    }

    #[test]
    fn suggests_the_nearest_word() {
        let statuses = ["active", "completed", "superseded"];
        assert_eq!(suggest("Active", statuses), Some("active"));
        assert_eq!(suggest("complete", statuses), Some("completed"));
        assert_eq!(suggest("supersded", statuses), Some("superseded"));
        assert_eq!(suggest("banana", statuses), None);
    }

    /// The name `written` misspells among `names`, as [`near_miss`] finds it.
    fn misspelt<'n>(written: &str, names: &[&'n str]) -> Option<&'n str> {
        near_miss(written, names.iter().map(|n| (*n, *n)))
    }

    #[test]
    fn a_near_miss_is_another_case_two_edits_or_the_other_number() {
        let missing = ["Strategy", "Phases", "Dependencies Identification"];
        assert_eq!(misspelt("strategy", &missing), Some("Strategy"));
        assert_eq!(misspelt("Strategyy", &missing), Some("Strategy"));
        assert_eq!(
            misspelt("Stratgey", &missing),
            Some("Strategy"),
            "a swap is one edit"
        );
        assert_eq!(misspelt("Strtegyyy", &missing), None, "three edits");
        assert_eq!(misspelt("Phase", &missing), Some("Phases"));
        assert_eq!(
            misspelt("Dependency Identification", &missing),
            Some("Dependencies Identification")
        );
        assert_eq!(misspelt("Rollout", &missing), None);
    }

    #[test]
    fn the_nearest_near_miss_wins_and_a_tie_goes_to_the_first() {
        assert_eq!(misspelt("Notes", &["Note", "Notes"]), Some("Notes"));
        assert_eq!(misspelt("abc", &["abd", "abe"]), Some("abd"));
        assert_eq!(misspelt("abc", &["abe", "abd"]), Some("abe"));
        assert_eq!(near_miss("abc", [(7, "abe"), (3, "abd")]), Some(7));
    }

    #[test]
    fn plurals_of_the_template_words() {
        for (plural, one) in [
            ("criteria", "criterion"),
            ("dependencies", "dependency"),
            ("phases", "phase"),
            ("themes", "theme"),
            ("approaches", "approach"),
        ] {
            assert!(is_plural_of(plural, one), "{plural}");
            assert!(!is_plural_of(one, plural), "{one}");
        }
    }
}
