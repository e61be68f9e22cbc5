//! What a rule finds: a diagnostic with its rule, severity, spans, labels and help.
//! Plain data; turning it into text is `report/`'s job.

use std::sync::Arc;

use crate::plan::Span;
use crate::rules::registry::{Rule, Severity};
use crate::source::SourceFile;

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// Where the caret goes; `None` for a finding about the file as a whole.
    pub span: Option<Span>,
    /// Further spans in the same file, each with what it shows.
    pub labels: Vec<Label>,
    /// Places in other files that the finding involves (a task file, the other plan).
    pub related: Vec<Related>,
    /// How to repair it, when plancheck knows.
    pub fix: Option<Fix>,
}

/// A repair of one finding: edits of the checked text, applied together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, in a few words (`change the status to \`active\``).
    pub message: String,
    /// Edits of the text (spans as every span: offsets in the text after a BOM), in order
    /// and not overlapping.
    pub edits: Vec<Edit>,
}

/// Whether `--fix` applies a fix alone (`Safe`: it keeps the author's meaning) or only with
/// `--unsafe-fixes` (`Unsafe`: it adds or removes content).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicability {
    Safe,
    Unsafe,
}

impl Applicability {
    /// As the reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Which fixes a run makes: the safe ones, or with `--unsafe-fixes` the unsafe ones too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FixMode {
    pub unsafe_fixes: bool,
}

impl FixMode {
    /// The fix of `diagnostic` that this mode makes, if any.
    pub fn fix_of<'d>(&self, diagnostic: &'d Diagnostic) -> Option<&'d Fix> {
        diagnostic
            .fix
            .as_ref()
            .filter(|fix| fix.applicability == Applicability::Safe || self.unsafe_fixes)
    }
}

/// Replace the text of `span` with `replacement`; an empty span inserts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

impl Fix {
    pub fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            applicability: Applicability::Safe,
            message: message.into(),
            edits,
        }
    }

    pub fn unsafe_(message: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            applicability: Applicability::Unsafe,
            message: message.into(),
            edits,
        }
    }

    /// `text` with the fix's edits made; `None` when an edit does not fit the text (out of
    /// it, off a character boundary, or overlapping the one before), so the fix was made for
    /// another text.
    pub fn apply(&self, text: &str) -> Option<String> {
        apply_edits(text, &self.edits)
    }

    /// Whether this fix and `other` cannot both be made in one pass: an edit of each touches
    /// the same bytes, or both start at one offset (two insertions there have no order).
    pub fn conflicts_with(&self, other: &Fix) -> bool {
        self.edits
            .iter()
            .any(|a| other.edits.iter().any(|b| a.conflicts_with(b)))
    }
}

/// `text` with `edits` made, each against the original offsets, in the order given (each
/// after the one before); `None` when one does not fit the text, as [`Fix::apply`] says.
/// Every byte outside the edits is copied as it is.
pub fn apply_edits<'e>(text: &str, edits: impl IntoIterator<Item = &'e Edit>) -> Option<String> {
    let mut fixed = String::with_capacity(text.len());
    let mut copied = 0;
    for edit in edits {
        fixed.push_str(text.get(copied..edit.span.start)?);
        text.get(edit.span.range())?;
        fixed.push_str(&edit.replacement);
        copied = edit.span.end;
    }
    fixed.push_str(text.get(copied..)?);
    Some(fixed)
}

impl Edit {
    /// Whether this edit and `other` touch the same bytes or start at one offset.
    pub fn conflicts_with(&self, other: &Edit) -> bool {
        self.span.overlaps(other.span) || self.span.start == other.span.start
    }

    pub fn replace(span: Span, replacement: impl Into<String>) -> Edit {
        Edit {
            span,
            replacement: replacement.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit::replace(Span::empty(at), text)
    }
}

/// A place in another file, shown as a second snippet.
#[derive(Debug, Clone)]
pub struct Related {
    /// The file, whole or an excerpt around `span`: the report shows it as it is.
    pub file: Arc<SourceFile>,
    pub span: Option<Span>,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Diagnostic {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn fix(&mut self, fix: Fix) -> &mut Self {
        self.fix = Some(fix);
        self
    }

    pub fn label(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn related(
        &mut self,
        file: Arc<SourceFile>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> &mut Self {
        self.related.push(Related {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// The order every report uses: by offset, then code (path order is the caller's).
    pub fn sort_key(&self) -> (usize, &'static str) {
        (self.span.map_or(0, |s| s.start), self.rule.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_edits_and_keeps_every_other_byte() {
        let text = "a\r\nbc \r\n";
        let fix = Fix::unsafe_(
            "x",
            vec![
                Edit::insert(0, "-"),
                Edit::replace(Span::new(3, 5), "BC"),
                Edit::replace(Span::new(5, 6), ""),
            ],
        );
        assert_eq!(fix.apply(text).as_deref(), Some("-a\r\nBC\r\n"));
    }

    #[test]
    fn an_edit_that_does_not_fit_the_text_applies_nothing() {
        let outside = Fix::safe("x", vec![Edit::replace(Span::new(2, 9), "")]);
        assert_eq!(outside.apply("abc"), None);
        let overlapping = Fix::safe(
            "x",
            vec![
                Edit::replace(Span::new(0, 2), ""),
                Edit::replace(Span::new(1, 3), ""),
            ],
        );
        assert_eq!(overlapping.apply("abc"), None);
        let mid_char = Fix::safe("x", vec![Edit::insert(1, "")]);
        assert_eq!(mid_char.apply("é"), None);
    }

    #[test]
    fn fixes_conflict_when_their_edits_meet() {
        let edit = |start, end| Edit::replace(Span::new(start, end), "x");
        let a = Fix::safe("a", vec![edit(0, 2)]);
        let touching = Fix::safe("b", vec![edit(2, 3)]);
        let overlapping = Fix::safe("c", vec![edit(1, 3)]);
        let same_start = Fix::safe("d", vec![Edit::insert(0, "y")]);
        assert!(!a.conflicts_with(&touching));
        assert!(a.conflicts_with(&overlapping));
        assert!(a.conflicts_with(&same_start));
    }
}
