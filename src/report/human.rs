//! The compiler-style report: miette's graphical handler over a borrowed adapter. This is
//! the only place that knows miette's diagnostic protocol.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use crate::diagnostic::{Diagnostic, Related};
use crate::report::{with_sources, FileReport, Summary};
use crate::rules::Severity;

pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
    pub quiet: bool,
}

pub fn write(
    reports: &[FileReport],
    summary: &Summary,
    options: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    let mut sources = crate::report::Sources::default();
    for (report, file) in with_sources(reports) {
        let source = NamedText {
            name: report.path(),
            text: &file.text,
        };
        for diagnostic in &report.diagnostics {
            let files: Vec<_> = diagnostic
                .related
                .iter()
                .map(|related| sources.get(&related.file))
                .collect();
            let related: Vec<RelatedAdapter<'_>> = diagnostic
                .related
                .iter()
                .zip(&files)
                .map(|(related, file)| RelatedAdapter {
                    related,
                    source: NamedText {
                        name: related.file.name(),
                        text: &file.text,
                    },
                })
                .collect();
            let adapter = Adapter {
                diagnostic,
                source: &source,
                related,
            };
            let mut rendered = String::new();
            handler
                .render_report(&mut rendered, &adapter)
                .map_err(io::Error::other)?;
            out.write_all(rendered.as_bytes())?;
            writeln!(out)?;
        }
    }
    if !options.quiet {
        summary.write_line(out)?;
    }
    Ok(())
}

/// A file's text under the name miette prints in the snippet header.
struct NamedText<'a> {
    name: &'a str,
    text: &'a str,
}

impl SourceCode for NamedText<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            contents.data(),
            *contents.span(),
            contents.line(),
            contents.column(),
            contents.line_count(),
        )))
    }
}

struct Adapter<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a NamedText<'a>,
    related: Vec<RelatedAdapter<'a>>,
}

/// A place in another file, rendered by miette as a snippet of its own below the finding.
struct RelatedAdapter<'a> {
    related: &'a Related,
    source: NamedText<'a>,
}

impl fmt::Debug for RelatedAdapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.related.message)
    }
}

impl fmt::Display for RelatedAdapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.related.span.is_none() {
            write!(f, "{}: ", self.source.name)?;
        }
        f.write_str(&self.related.message)
    }
}

impl std::error::Error for RelatedAdapter<'_> {}

impl miette::Diagnostic for RelatedAdapter<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.related.span.map(|_| &self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.related.span?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(self.related.message.clone()),
                span.start..span.end,
            ),
        )))
    }
}

impl fmt::Debug for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Without a span miette shows no snippet header, so the message names the file.
        if self.diagnostic.span.is_none() {
            write!(f, "{}: ", self.source.name)?;
        }
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Adapter<'_> {}

impl miette::Diagnostic for Adapter<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let rule = self.diagnostic.rule;
        Some(Box::new(format!("{} {}", rule.code, rule.name)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info | Severity::Off => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_deref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.diagnostic.span.map(|_| self.source as &dyn SourceCode)
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = self.diagnostic.span?;
        let summary = lower_first(self.diagnostic.rule.summary);
        let labels = std::iter::once(LabeledSpan::new_primary_with_span(
            Some(summary),
            primary.start..primary.end,
        ))
        .chain(self.diagnostic.labels.iter().map(|label| {
            LabeledSpan::new_with_span(
                Some(label.message.clone()),
                label.span.start..label.span.end,
            )
        }));
        Some(Box::new(labels))
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Related};
    use crate::source::{SourceFile, Span};

    /// A plan cut short between its check and its report: the snippet shows what is there,
    /// and the report is still written.
    #[test]
    fn a_file_shortened_before_the_report_still_reports() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("M01-v1-a.md");
        std::fs::write(&path, "# short\n").unwrap();
        let other = std::sync::Arc::new(SourceFile::new("other.md", "x".to_string()));
        let diagnostic = Diagnostic {
            rule: &crate::rules::metadata::INVALID_STATUS,
            severity: crate::rules::Severity::Error,
            message: "a finding".to_string(),
            help: None,
            span: Some(Span::new(40, 52)),
            labels: Vec::new(),
            related: vec![Related {
                file: other.into(),
                span: Some(Span::new(10, 20)),
                message: "there".to_string(),
            }],
        };
        let report =
            FileReport::read_again("M01-v1-a.md".to_string(), &path, vec![diagnostic], None);
        let summary = Summary::of(std::slice::from_ref(&report), 0);
        let options = HumanOptions {
            color: false,
            width: 100,
            quiet: false,
        };
        let mut out = Vec::new();
        write(&[report], &summary, &options, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("a finding"), "{text}");
    }
}
