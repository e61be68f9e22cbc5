//! The JSON document of `cli.md`: version, summary and the sorted diagnostics.
//! Keys may be added, never removed.

use std::io::{self, Write};

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

fn json_span(source: &SourceFile, span: crate::source::Span) -> JsonSpan {
    let (start, end) = (source.line_column(span.start), source.line_column(span.end));
    JsonSpan {
        offset: span.start,
        length: span.len(),
        start: start.into(),
        end: end.into(),
    }
}

pub fn write(reports: &[FileReport], summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    // Each file's findings are placed in its text on every core at once, by the thread that
    // reads the file again and lets it go; what they relate to, which may be one large file
    // many times over (`completion-path.json`), after, through one cache of those files.
    let mut diagnostics: Vec<JsonDiagnostic> = reports
        .par_iter()
        .flat_map_iter(|report| {
            let source = report.source();
            let placed: Vec<JsonDiagnostic> = (report.diagnostics.iter())
                .map(|d| JsonDiagnostic {
                    path: report.path(),
                    code: d.rule.code,
                    name: d.rule.name,
                    severity: d.severity.as_str(),
                    message: &d.message,
                    help: d.help.as_deref(),
                    span: d.span.map(|span| json_span(&source, span)),
                    labels: d
                        .labels
                        .iter()
                        .map(|l| JsonLabel {
                            message: &l.message,
                            span: json_span(&source, l.span),
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
