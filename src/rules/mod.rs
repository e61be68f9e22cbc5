//! The [`Checker`] that rules report through; the rules themselves are listed in
//! [`registry`], chosen in [`selection`] and checked by the family modules.
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
pub mod insertion;
pub mod metadata;
pub mod naming;
pub mod project;
pub mod references;
pub mod registry;
pub mod selection;
pub mod structure;
pub mod suppression;
pub mod template_text;

use registry::{Rule, Severity};
// The family modules name these through here.
pub use crate::suggest::{near_miss, suggest};
pub use selection::{selects, RuleSet};

/// The checks that run on each plan, in any order (output is sorted afterwards): the
/// table's `Plan(…)` groups.
const PLAN_CHECKS: &[fn(&Plan, &mut Checker<'_>)] = &registry::plan_checks!();

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
    /// `location` made absolute, once: more than one rule reads it.
    absolute: std::cell::OnceCell<Option<std::path::PathBuf>>,
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
            absolute: std::cell::OnceCell::new(),
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
        crate::fs::folder_below(self.absolute_location()?, folder)
    }

    /// Where the file stands, as [`crate::fs::absolute`] has it.
    pub fn absolute_location(&self) -> Option<&std::path::Path> {
        let absolute = self
            .absolute
            .get_or_init(|| self.location.map(crate::fs::absolute));
        absolute.as_deref()
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
            fix: None,
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
        self.placeholders.get_or_init(|| {
            let phases = &self.schema.for_kind(plan.kind()).phases_section;
            Placeholders::find(plan, &self.file.text, &self.schema.template, phases)
        })
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
