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
