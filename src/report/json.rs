//! The JSON document of `cli.md`: version, summary and the sorted diagnostics.
//! Keys may be added, never removed.

use std::io::{self, Write};

use serde::Serialize;

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
    /// Present only where the finding has a fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'static str,
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

/// An edit of the file's bytes: `offset` counts from the file's first byte, as a span's.
#[derive(Serialize)]
struct JsonEdit<'a> {
    offset: usize,
    length: usize,
    replacement: &'a str,
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
        if self.baselined > 0 {
            s.serialize_field("baselined", &self.baselined)?;
        }
        s.end()
    }
}

/// The span as JSON gives it: its offset counted from the file's first byte (a BOM before
/// the text, `text_start` bytes, included), its lines and columns in the text.
fn json_span(source: &SourceFile, span: crate::plan::Span) -> JsonSpan {
    let (start, end) = (source.line_column(span.start), source.line_column(span.end));
    JsonSpan {
        offset: source.text_start + span.start,
        length: span.len(),
        start: start.into(),
        end: end.into(),
    }
}

pub fn write(reports: &[FileReport], summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let diagnostics: Vec<JsonDiagnostic> = (reports.iter())
        .flat_map(|report| {
            let source = &report.source;
            report.diagnostics.iter().map(move |d| JsonDiagnostic {
                path: report.path(),
                code: d.rule.code,
                name: d.rule.name,
                severity: d.severity.as_str(),
                message: &d.message,
                help: d.help.as_deref(),
                span: d.span.map(|span| json_span(source, span)),
                labels: (d.labels.iter())
                    .map(|l| JsonLabel {
                        message: &l.message,
                        span: json_span(source, l.span),
                    })
                    .collect(),
                related: (d.related.iter())
                    .map(|r| JsonRelated {
                        path: &r.file.path,
                        message: &r.message,
                        span: r.span.map(|span| json_span(&r.file, span)),
                    })
                    .collect(),
                fix: d.fix.as_ref().map(|fix| JsonFix {
                    applicability: fix.applicability.as_str(),
                    message: &fix.message,
                    edits: (fix.edits.iter())
                        .map(|edit| JsonEdit {
                            offset: source.text_start + edit.span.start,
                            length: edit.span.len(),
                            replacement: &edit.replacement,
                        })
                        .collect(),
                }),
            })
        })
        .collect();
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
    use std::sync::Arc;

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
            fix: None,
        }
    }

    fn written(report: FileReport) -> serde_json::Value {
        let summary = Summary::of(std::slice::from_ref(&report), 0);
        let mut out = Vec::new();
        write(&[report], &summary, &mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn a_finding_in_an_excerpt_is_placed_as_in_the_whole_text() {
        let text = "# Title\n\nprose\n- **Status**: dünn\n- **Version**: 1\n\n## More\n\nend\n";
        let status = text.find("dünn").unwrap();
        let version = text.find("1\n").unwrap();
        let spans = [
            Span::new(status, status + "dünn".len()),
            Span::new(version, version + 1),
        ];
        let report = |source: SourceFile| {
            let source = Arc::new(source.starting_at(3));
            written(FileReport::new(
                source,
                vec![finding(spans[0], spans[1])],
                true,
            ))
        };
        let excerpt = crate::source::Excerpt::of(text, spans);
        let part = SourceFile::excerpt("M01-v1-a.md", &excerpt);
        assert!(!part.text.contains("end") && !part.text.contains("Title"));
        let json = report(SourceFile::new("M01-v1-a.md", text.to_string()));
        assert_eq!(report(part), json);
        let d = &json["diagnostics"][0];
        assert_eq!(d["span"]["offset"], serde_json::json!(3 + status));
        assert_eq!(
            d["span"]["start"],
            serde_json::json!({"line": 4, "column": 15})
        );
        assert_eq!(
            d["span"]["end"],
            serde_json::json!({"line": 4, "column": 19})
        );
        assert_eq!(
            d["labels"][0]["span"]["start"],
            serde_json::json!({"line": 5, "column": 16})
        );
    }

    #[test]
    fn a_fix_is_written_where_one_exists_its_offsets_counting_a_bom() {
        use crate::diagnostic::{Edit, Fix};
        let text = "- **Status**: Active\n";
        let at = text.find("Active").unwrap();
        let mut fixed = finding(Span::new(at, at + 6), Span::new(0, 1));
        fixed.fix = Some(Fix::safe(
            "change the status to `active`",
            vec![Edit::replace(Span::new(at, at + 6), "active")],
        ));
        let plain = finding(Span::new(0, 1), Span::new(0, 1));
        let source = Arc::new(SourceFile::new("M01-v1-a.md", text.to_string()).starting_at(3));
        let doc = written(FileReport::new(source, vec![plain, fixed], true));
        let found = doc["diagnostics"].as_array().unwrap();
        assert!(found[0].get("fix").is_none());
        assert_eq!(
            found[1]["fix"],
            serde_json::json!({
                "applicability": "safe",
                "message": "change the status to `active`",
                "edits": [{ "offset": at + 3, "length": 6, "replacement": "active" }],
            })
        );
    }
}
