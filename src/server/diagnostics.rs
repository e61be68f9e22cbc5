//! plancheck's findings as LSP diagnostics: the same code, severity and message as `check`,
//! the span placed in UTF-16 positions, labels and related places as related information.

use std::path::Path;

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range, Uri,
};

use super::position::{self, Positions};
use super::Document;
use crate::diagnostic::Diagnostic;
use crate::plan::Span;
use crate::rules::registry::Severity;
use crate::source::SourceFile;

/// The open document's findings, placed in its text.
pub fn to_lsp(uri: &Uri, document: &Document) -> Vec<lsp_types::Diagnostic> {
    let lines = SourceFile::new(String::new(), document.text.clone());
    let at = Positions::new(&lines);
    document
        .findings
        .iter()
        .map(|finding| one(uri, finding, &at, document.text_start))
        .collect()
}

/// The range of `span`, a span of the text that starts `text_start` bytes into the document.
pub fn range_in(at: &Positions<'_>, span: Option<Span>, text_start: usize) -> Range {
    span.map_or_else(Range::default, |span| {
        at.range(Span::new(span.start + text_start, span.end + text_start))
    })
}

/// One finding of a document whose text `at` places.
pub fn one(
    uri: &Uri,
    finding: &Diagnostic,
    at: &Positions<'_>,
    text_start: usize,
) -> lsp_types::Diagnostic {
    let labels = finding
        .labels
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), range_in(at, Some(label.span), text_start)),
            message: label.message.clone(),
        });
    // A place in another file: its excerpt was kept, and places the span as the whole
    // file would.
    let related = finding.related.iter().filter_map(|related| {
        let uri = position::uri_of(&crate::fs::absolute(Path::new(&related.file.path)))?;
        let range = range_in(&Positions::new(&related.file), related.span, 0);
        Some(DiagnosticRelatedInformation {
            location: Location::new(uri, range),
            message: related.message.clone(),
        })
    });
    let related_information: Vec<_> = labels.chain(related).collect();
    lsp_types::Diagnostic {
        range: range_in(at, finding.span, text_start),
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            // `Off` is never reported; a hint is the least said.
            Severity::Info => DiagnosticSeverity::INFORMATION,
            Severity::Off => DiagnosticSeverity::HINT,
        }),
        code: Some(NumberOrString::String(finding.rule.code.to_string())),
        source: Some("plancheck".to_string()),
        message: finding.message.clone(),
        related_information: (!related_information.is_empty()).then_some(related_information),
        ..lsp_types::Diagnostic::default()
    }
}
