//! Writes checked files' diagnostics in the chosen format to a writer `main` passes in.
//! A report never re-parses and never decides what is wrong.

use std::io::{self, Write};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::rules::Severity;
use crate::source::{LineColumn, SourceFile, Span};

pub mod concise;
pub mod human;
pub mod json;
pub mod statistics;

/// One checked file and what was found in it.
#[derive(Debug)]
pub struct FileReport {
    pub source: Arc<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// A plan (counted in the summary), not a project file a finding points into.
    pub is_plan: bool,
}

impl FileReport {
    pub fn path(&self) -> &str {
        &self.source.path
    }

    /// Start and end of a span as 1-based lines and columns (end exclusive).
    pub fn position(&self, span: Span) -> (LineColumn, LineColumn) {
        (
            self.source.line_column(span.start),
            self.source.line_column(span.end),
        )
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut summary = Summary {
            files: reports.iter().filter(|r| r.is_plan).count(),
            ..Summary::default()
        };
        for d in reports.iter().flat_map(|r| &r.diagnostics) {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
                Severity::Off => {}
            }
        }
        summary
    }

    /// `N files checked: E errors, W warnings`, as `cli.md` has it.
    pub fn write_line(&self, out: &mut dyn Write) -> io::Result<()> {
        write!(
            out,
            "{} files checked: {} errors, {} warnings",
            self.files, self.errors, self.warnings
        )?;
        if self.infos > 0 {
            write!(out, ", {} infos", self.infos)?;
        }
        writeln!(out)
    }
}
