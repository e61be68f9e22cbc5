//! SARIF 2.1.0: one run, every rule in `tool.driver.rules` with its page as help, and a
//! result per finding with a region and a line-independent `partialFingerprints` entry, so
//! code scanning keeps an alert when lines move.

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::diagnostic::Fix;
use crate::report::{fingerprint, region, FileReport};
use crate::rules::registry::{Severity, ALL};
use crate::source::SourceFile;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
        Severity::Off => "none",
    }
}

/// A path as a URI reference: its separators as `/`, and in each of its names every byte
/// but the unreserved ones percent-encoded (a `:` in the first name would read as a
/// scheme, a `\` on Unix is part of a name, not a separator).
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (index, name) in path.split(std::path::is_separator).enumerate() {
        if index > 0 {
            out.push('/');
        }
        for byte in name.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                out.push(char::from(byte));
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

fn location(path: &str, start: crate::source::LineColumn, end: crate::source::LineColumn) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(path) },
            "region": {
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column.max(if end.line == start.line { start.column } else { 1 }),
            }
        }
    })
}

/// A fix as SARIF gives it: one artifact change of the finding's file, a replacement per
/// edit (the region it deletes, empty for an insertion, and the text it inserts).
fn sarif_fix(path: &str, source: &SourceFile, fix: &Fix) -> Value {
    let replacements: Vec<Value> = (fix.edits.iter())
        .map(|edit| {
            let start = source.line_column(edit.span.start);
            let end = source.line_column(edit.span.end);
            json!({
                "deletedRegion": {
                    "startLine": start.line,
                    "startColumn": start.column,
                    "endLine": end.line,
                    "endColumn": end.column,
                },
                "insertedContent": { "text": edit.replacement },
            })
        })
        .collect();
    json!({
        "description": { "text": fix.message },
        "artifactChanges": [{
            "artifactLocation": { "uri": uri(path) },
            "replacements": replacements,
        }],
    })
}

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<Value> = ALL
        .iter()
        .map(|rule| {
            let mut descriptor = json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.summary },
                "help": { "text": rule.doc, "markdown": rule.doc },
                "defaultConfiguration": { "level": level(rule.default_severity) },
            });
            if rule.fixable {
                descriptor["properties"] = json!({ "fixable": true });
            }
            descriptor
        })
        .collect();
    let mut results = Vec::new();
    for report in reports {
        let source = &report.source;
        for d in &report.diagnostics {
            let (start, end) = region(source, d);
            let text = match &d.help {
                Some(help) => format!("{} (help: {help})", d.message),
                None => d.message.clone(),
            };
            let related: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .map(|(id, r)| {
                    let file = &r.file;
                    let (start, end) = r.span.map_or(
                        (
                            crate::source::LineColumn { line: 1, column: 1 },
                            crate::source::LineColumn { line: 1, column: 1 },
                        ),
                        |s| (file.line_column(s.start), file.line_column(s.end)),
                    );
                    let mut place = location(&r.file.path, start, end);
                    place["id"] = json!(id);
                    place["message"] = json!({ "text": r.message });
                    place
                })
                .collect();
            let rule_index = ALL.iter().position(|r| r.code == d.rule.code).unwrap_or(0);
            let mut result = json!({
                "ruleId": d.rule.code,
                "ruleIndex": rule_index,
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [location(report.path(), start, end)],
                "partialFingerprints": { "plancheckFinding/v1": fingerprint(source, d) },
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            if let Some(fix) = &d.fix {
                result["fixes"] = json!([sarif_fix(report.path(), source, fix)]);
            }
            results.push(result);
        }
    }
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "plancheck",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("a b/ü.md"), "a%20b/%C3%BC.md");
        assert_eq!(uri("c:plan.md"), "c%3Aplan.md");
        assert_eq!(uri("/abs/x y.md"), "/abs/x%20y.md");
        assert_eq!(uri("a#b?c%d[e].md"), "a%23b%3Fc%25d%5Be%5D.md");
        #[cfg(unix)]
        assert_eq!(uri("a\\b.md"), "a%5Cb.md");
        assert_eq!(
            uri("pm/Implementations/active/M01-v1-x.md"),
            "pm/Implementations/active/M01-v1-x.md"
        );
    }
}
