//! The JSON document of `cli.md`: version, summary and the sorted diagnostics.
//! Keys may be added, never removed.

use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;

use rayon::prelude::*;

use crate::report::{FileReport, Summary};
use crate::source::{LineColumn, SourceFile};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    span: Option<JsonSpan>,
    labels: Vec<JsonLabel<'a>>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    message: &'a str,
    span: Option<JsonSpan>,
}

#[derive(Serialize)]
struct JsonSpan {
    offset: usize,
    length: usize,
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    span: JsonSpan,
}

impl From<LineColumn> for JsonPosition {
    fn from(at: LineColumn) -> Self {
        JsonPosition {
            line: at.line,
            column: at.column,
        }
    }
}

impl Serialize for Summary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Summary", 4)?;
        s.serialize_field("files", &self.files)?;
        s.serialize_field("errors", &self.errors)?;
        s.serialize_field("warnings", &self.warnings)?;
        s.serialize_field("infos", &self.infos)?;
        s.end()
    }
}

fn json_span(source: &SourceFile, span: crate::plan::Span) -> JsonSpan {
    placed_span(span, source.text_start, |offset| source.line_column(offset))
}

/// The span as JSON gives it: its offset counted from the file's first byte (a BOM before
/// the text, `text_start` bytes, included), its lines and columns in the text.
fn placed_span(
    span: crate::plan::Span,
    text_start: usize,
    line_column: impl Fn(usize) -> LineColumn,
) -> JsonSpan {
    let (start, end) = (line_column(span.start), line_column(span.end));
    JsonSpan {
        offset: text_start + span.start,
        length: span.len(),
        start: start.into(),
        end: end.into(),
    }
}

pub fn write(reports: &[FileReport], summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    // Each file's findings are placed on every core at once: from the positions worked out
    // while its text was at hand, else by the thread that reads the file again and lets it
    // go. What they relate to, which may be one large file many times over
    // (`completion-path.json`), after, through one cache of those files.
    let mut diagnostics: Vec<JsonDiagnostic> = reports
        .par_iter()
        .flat_map_iter(|report| {
            let source = std::cell::OnceCell::new();
            let line_column = |offset| {
                report.line_column(offset, || {
                    Arc::clone(source.get_or_init(|| report.source()))
                })
            };
            let text_start = std::cell::OnceCell::new();
            let place = |span| {
                let text_start = *text_start.get_or_init(|| {
                    report.text_start(|| Arc::clone(source.get_or_init(|| report.source())))
                });
                placed_span(span, text_start, line_column)
            };
            let placed: Vec<JsonDiagnostic> = (report.diagnostics.iter())
                .map(|d| JsonDiagnostic {
                    path: report.path(),
                    code: d.rule.code,
                    name: d.rule.name,
                    severity: d.severity.as_str(),
                    message: &d.message,
                    help: d.help.as_deref(),
                    span: d.span.map(place),
                    labels: d
                        .labels
                        .iter()
                        .map(|l| JsonLabel {
                            message: &l.message,
                            span: place(l.span),
                        })
                        .collect(),
                    related: Vec::new(),
                })
                .collect();
            placed
        })
        .collect();
    let mut sources = crate::report::Sources::default();
    let found = reports.iter().flat_map(|report| &report.diagnostics);
    for (d, placed) in found.zip(&mut diagnostics) {
        placed.related = (d.related.iter())
            .map(|r| JsonRelated {
                path: r.file.name(),
                message: &r.message,
                span: r.span.map(|span| json_span(&sources.get(&r.file), span)),
            })
            .collect();
    }
    let document = Document {
        version: 1,
        summary: *summary,
        diagnostics,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Label};
    use crate::plan::Span;

    fn finding(span: Span, label: Span) -> Diagnostic {
        Diagnostic {
            rule: &crate::rules::registry::INVALID_STATUS,
            severity: crate::rules::registry::Severity::Error,
            message: "a finding".to_string(),
            help: None,
            span: Some(span),
            labels: vec![Label {
                span: label,
                message: "here".to_string(),
            }],
            related: Vec::new(),
        }
    }

    fn written(report: FileReport) -> serde_json::Value {
        let summary = Summary::of(std::slice::from_ref(&report), 0);
        let mut out = Vec::new();
        write(&[report], &summary, &mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn findings_placed_while_the_text_was_at_hand_need_no_file() {
        let text = "# Title\n\n- **Status**: dünn\n- **Version**: 1\n";
        let source = SourceFile::new("M01-v1-a.md", text.to_string());
        let status = text.find("dünn").unwrap();
        let version = text.find("1\n").unwrap();
        let placed = finding(
            Span::new(status, status + "dünn".len()),
            Span::new(version, version + 1),
        );
        let positions = crate::report::Positions::of(&source, std::slice::from_ref(&placed));
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("M01-v1-a.md");
        let report =
            FileReport::read_again("M01-v1-a.md".into(), &gone, vec![placed], Some(positions));
        let json = written(report);
        let d = &json["diagnostics"][0];
        assert_eq!(
            d["span"]["start"],
            serde_json::json!({"line": 3, "column": 15})
        );
        assert_eq!(
            d["span"]["end"],
            serde_json::json!({"line": 3, "column": 19})
        );
        assert_eq!(
            d["labels"][0]["span"]["start"],
            serde_json::json!({"line": 4, "column": 16})
        );
    }

    #[test]
    fn a_finding_placed_later_is_placed_in_the_file_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("M01-v1-a.md");
        std::fs::write(&path, "# Title\n\nline three\n").unwrap();
        let source = SourceFile::new("M01-v1-a.md", String::new());
        let report = FileReport::read_again(
            "M01-v1-a.md".into(),
            &path,
            vec![finding(Span::new(9, 13), Span::new(14, 19))],
            Some(crate::report::Positions::of(&source, &[])),
        );
        let json = written(report);
        let d = &json["diagnostics"][0];
        assert_eq!(
            d["span"]["start"],
            serde_json::json!({"line": 3, "column": 1})
        );
        assert_eq!(
            d["labels"][0]["span"]["end"],
            serde_json::json!({"line": 3, "column": 11})
        );
    }
}
