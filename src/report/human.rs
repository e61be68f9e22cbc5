//! The compiler-style report: miette's graphical handler over an adapter that shows it the
//! lines of each finding made safe to print. The only place that knows miette's protocol.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use crate::diagnostic::FixMode;
use crate::diagnostic::{Diagnostic, Related};
use crate::plan::Span;
use crate::report::{self, escape, FileReport, Summary};
use crate::rules::registry::Severity;
use crate::source::{SourceFile, CONTEXT_LINES};

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
        .with_links(false)
        .with_context_lines(CONTEXT_LINES);
    for report in reports {
        let file = &report.source;
        for diagnostic in &report.diagnostics {
            let spans = diagnostic
                .span
                .into_iter()
                .chain(diagnostic.labels.iter().map(|label| label.span));
            let snippet = Snippet::new(report.path(), file, spans);
            let related: Vec<RelatedAdapter<'_>> = diagnostic
                .related
                .iter()
                .map(|related| RelatedAdapter {
                    related,
                    snippet: Snippet::new(&related.file.path, &related.file, related.span),
                })
                .collect();
            let adapter = Adapter {
                diagnostic,
                fix_mode: summary.fix_mode,
                snippet,
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

/// A source line longer than this (in characters as shown) is cut to a window...
const LONG_LINE: usize = 200;
/// ...this wide, around the span it shows.
const WINDOW: usize = 160;
const CUT: &str = "…";
/// Tab stops in a snippet, as miette would set them.
const TAB_WIDTH: usize = 4;

/// What the report shows of a file for one finding: the lines its spans stand on and those
/// around them, each made safe to print (control characters as their codes, tabs as
/// spaces) and, when long, cut to a window around its span. miette renders this text, not
/// the file's, so a span is moved into it with [`Snippet::place`]. Building it costs the
/// lines shown, never the whole file or a whole long line.
struct Snippet {
    /// The file's name as shown.
    name: String,
    text: String,
    lines: Vec<ShownLine>,
    /// The spans it was made for, in order, placed in `text`.
    placed: Vec<SourceSpan>,
}

struct ShownLine {
    /// The line's number in the file, from 0.
    number: usize,
    /// Where it starts in the snippet's text, and its length there (without the `\n`).
    at: usize,
    len: usize,
    /// Each character shown: its offset in the file and where it starts in `text`; then
    /// where the part shown ends, in both.
    chars: Vec<(usize, usize)>,
    /// The column (from 0, in characters) of the first character shown.
    first_column: usize,
}

impl Snippet {
    fn new(name: &str, file: &SourceFile, spans: impl IntoIterator<Item = Span>) -> Snippet {
        let clamp = |offset: usize| file.floor_char_boundary(offset);
        let spans: Vec<Span> = spans
            .into_iter()
            .map(|span| Span::new(clamp(span.start), clamp(span.end.max(span.start))))
            .collect();
        let last_line = file.line_column(file.end()).line - 1;
        // The lines each span stands on, with their context, merged where they meet.
        let mut wanted: Vec<(usize, usize)> = spans
            .iter()
            .map(|span| {
                let first = file.line_column(span.start).line - 1;
                let last = file
                    .line_column(span.end.saturating_sub(1).max(span.start))
                    .line
                    - 1;
                (
                    first.saturating_sub(CONTEXT_LINES),
                    (last + CONTEXT_LINES).min(last_line),
                )
            })
            .collect();
        wanted.sort_unstable();
        let mut runs: Vec<(usize, usize)> = Vec::with_capacity(wanted.len());
        for (first, last) in wanted {
            match runs.last_mut() {
                Some((_, run_last)) if first <= *run_last + 1 => *run_last = (*run_last).max(last),
                _ => runs.push((first, last)),
            }
        }
        let mut snippet = Snippet {
            name: escape::controls(name).into_owned(),
            text: String::new(),
            lines: Vec::new(),
            placed: Vec::with_capacity(spans.len()),
        };
        for number in runs.into_iter().flat_map(|(first, last)| first..=last) {
            let line = file.line_span(number + 1);
            // The span this line is shown around: the first that starts on it, else the
            // first that ends on it.
            let focus = spans
                .iter()
                .find(|span| line.start <= span.start && span.start <= line.end)
                .or_else(|| {
                    spans
                        .iter()
                        .find(|span| line.start <= span.end && span.end <= line.end)
                })
                .map(|span| Span::new(span.start.max(line.start), span.end.min(line.end)));
            snippet.push_line(file, number, line, focus);
        }
        for span in spans {
            let placed = snippet.place(file, span);
            snippet.placed.push(placed);
        }
        snippet
    }

    /// Adds line `number` of `file`, at `line`, cut to a window around `focus` when long.
    fn push_line(&mut self, file: &SourceFile, number: usize, line: Span, focus: Option<Span>) {
        // The line alone, its offsets from its start: the file may be an excerpt.
        let text = file.get(line).unwrap_or_default();
        let local = |span: Span| Span::new(span.start - line.start, span.end - line.start);
        let (from, to) = if is_long(file, line) {
            let focus = focus.unwrap_or(Span::empty(line.start));
            let (from, to) = window(text, local(line), local(focus));
            (line.start + from, line.start + to)
        } else {
            (line.start, line.end)
        };
        if !self.lines.is_empty() {
            self.text.push('\n');
        }
        let at = self.text.len();
        let mut chars = Vec::new();
        let mut column = 0;
        if from > line.start {
            self.text.push_str(CUT);
            column += 1;
        }
        for (offset, c) in text[from - line.start..to - line.start].char_indices() {
            chars.push((from + offset, self.text.len()));
            if c == '\t' {
                let spaces = TAB_WIDTH - column % TAB_WIDTH;
                self.text.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            } else {
                escape::push_char(&mut self.text, c);
                column += shown_len(c);
            }
        }
        chars.push((to, self.text.len()));
        if to < line.end {
            self.text.push_str(CUT);
        }
        self.lines.push(ShownLine {
            number,
            at,
            len: self.text.len() - at,
            chars,
            first_column: file.chars_before(from) - file.chars_before(line.start),
        });
    }

    /// Where the file's byte `offset`, on line `number`, stands in the snippet: at the
    /// line's start when it is before the part shown, at its end when after.
    fn place_on(&self, number: usize, offset: usize) -> usize {
        let Ok(index) = self.lines.binary_search_by_key(&number, |l| l.number) else {
            return self.text.len();
        };
        let line = &self.lines[index];
        match line.chars.binary_search_by_key(&offset, |&(from, _)| from) {
            Ok(found) => line.chars[found].1,
            Err(0) => line.at,
            Err(after) if after == line.chars.len() => line.at + line.len,
            Err(after) => line.chars[after - 1].1,
        }
    }

    /// A span of the file as a span of the snippet.
    fn place(&self, file: &SourceFile, span: Span) -> SourceSpan {
        let start_line = file.line_column(span.start).line - 1;
        let end_line = file.line_column(span.end).line - 1;
        let start = self.place_on(start_line, span.start);
        let end = self.place_on(end_line, span.end).max(start);
        (start, end - start).into()
    }

    /// The shown line holding the snippet's byte `at`.
    fn line_at(&self, at: usize) -> usize {
        self.lines
            .partition_point(|line| line.at <= at)
            .saturating_sub(1)
    }
}

/// Whether line `line` of `file` is longer than [`LONG_LINE`] characters as shown.
fn is_long(file: &SourceFile, line: Span) -> bool {
    let chars = file.chars_before(line.end) - file.chars_before(line.start);
    chars > LONG_LINE
        || (file.get(line).unwrap_or_default().chars())
            .map(shown_len)
            .sum::<usize>()
            > LONG_LINE
}

/// How many characters `c` takes as shown (a tab counted at its widest).
fn shown_len(c: char) -> usize {
    match c {
        '\t' => TAB_WIDTH,
        c if c.is_control() => c.escape_unicode().count(),
        _ => 1,
    }
}

/// The part of the long line `line` to show around `focus`: about [`WINDOW`] characters as
/// shown, the focus centred when it fits, else its start near the window's.
fn window(text: &str, line: Span, focus: Span) -> (usize, usize) {
    let focus_width: usize = text[focus.range()]
        .chars()
        .map(shown_len)
        .scan(0, |total, len| {
            *total += len;
            (*total <= WINDOW).then_some(len)
        })
        .sum();
    let lead = if focus_width + 20 >= WINDOW {
        10
    } else {
        (WINDOW - focus_width) / 2
    };
    let mut from = focus.start;
    let mut width = 0;
    for c in text[line.start..focus.start].chars().rev() {
        if width + shown_len(c) > lead {
            break;
        }
        width += shown_len(c);
        from -= c.len_utf8();
    }
    let mut to = focus.start;
    for c in text[focus.start..line.end].chars() {
        if width + shown_len(c) > WINDOW {
            break;
        }
        width += shown_len(c);
        to += c.len_utf8();
    }
    // Near the line's end, the room left goes before the focus.
    for c in text[line.start..from].chars().rev() {
        if width + shown_len(c) > WINDOW {
            break;
        }
        width += shown_len(c);
        from -= c.len_utf8();
    }
    (from, to.max(focus.start))
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let first = self.line_at(span.offset());
        let last = self.line_at(span.offset() + span.len().saturating_sub(1));
        let follows = |a: usize, b: usize| self.lines[b].number == self.lines[a].number + 1;
        // Lines apart in the file are never shown as one piece.
        if (first..last).any(|line| !follows(line, line + 1)) {
            return Err(MietteError::OutOfBounds);
        }
        let mut from = first;
        while from > 0 && first - from < context_lines_before && follows(from - 1, from) {
            from -= 1;
        }
        let mut to = last;
        while to + 1 < self.lines.len() && to - last < context_lines_after && follows(to, to + 1) {
            to += 1;
        }
        let start = self.lines[from].at;
        let end = self.lines[to].at + self.lines[to].len;
        // The column of the span's start as the file counts it, for the header.
        let line = &self.lines[first];
        let shown_before = line
            .chars
            .iter()
            .take_while(|&&(_, at)| at < span.offset())
            .count();
        let column = line.first_column + shown_before.min(line.chars.len() - 1);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[start..end],
            (start, end - start).into(),
            self.lines[from].number,
            column,
            to - from + 1,
        )))
    }
}

struct Adapter<'a> {
    diagnostic: &'a Diagnostic,
    /// Which fixes `--fix` makes: a finding it repairs is marked.
    fix_mode: FixMode,
    snippet: Snippet,
    related: Vec<RelatedAdapter<'a>>,
}

/// A place in another file, rendered by miette as a snippet of its own below the finding.
struct RelatedAdapter<'a> {
    related: &'a Related,
    snippet: Snippet,
}

impl fmt::Debug for RelatedAdapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape::controls(&self.related.message))
    }
}

impl fmt::Display for RelatedAdapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.related.span.is_none() {
            write!(f, "{}: ", self.snippet.name)?;
        }
        f.write_str(&escape::controls(&self.related.message))
    }
}

impl std::error::Error for RelatedAdapter<'_> {}

impl miette::Diagnostic for RelatedAdapter<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.related.span.map(|_| &self.snippet as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.related.span?;
        let span = *self.snippet.placed.first()?;
        let message = escape::controls(&self.related.message).into_owned();
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(message), span),
        )))
    }
}

impl fmt::Debug for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape::controls(&self.diagnostic.message))
    }
}

impl fmt::Display for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Without a span miette shows no snippet header, so the message names the file.
        if self.diagnostic.span.is_none() {
            write!(f, "{}: ", self.snippet.name)?;
        }
        f.write_str(&escape::controls(&self.diagnostic.message))
    }
}

impl std::error::Error for Adapter<'_> {}

impl miette::Diagnostic for Adapter<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let rule = self.diagnostic.rule;
        let mark = report::fix_mark(self.diagnostic, self.fix_mode);
        // After the name, so that `CODE name` reads as it always does.
        Some(Box::new(format!("{} {}{mark}", rule.code, rule.name)))
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
            .map(|h| Box::new(escape::controls(h)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.diagnostic
            .span
            .map(|_| &self.snippet as &dyn SourceCode)
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
        self.diagnostic.span?;
        let (&primary, others) = self.snippet.placed.split_first()?;
        let summary = lower_first(self.diagnostic.rule.summary);
        let labels = std::iter::once(LabeledSpan::new_primary_with_span(Some(summary), primary))
            .chain(
                self.diagnostic
                    .labels
                    .iter()
                    .zip(others)
                    .map(|(label, &span)| {
                        let message = escape::controls(&label.message).into_owned();
                        LabeledSpan::new_with_span(Some(message), span)
                    }),
            );
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
    use crate::diagnostic::{Diagnostic, Label, Related};

    /// A finding with a place in another file: that file whole, or the excerpt of it that
    /// the run keeps; and spans past the text held, which still report.
    fn with_related(other: SourceFile, span: Span) -> String {
        let diagnostic = Diagnostic {
            rule: &crate::rules::registry::INVALID_STATUS,
            severity: crate::rules::registry::Severity::Error,
            message: "a finding".to_string(),
            help: None,
            span: Some(Span::new(40, 52)),
            labels: Vec::new(),
            related: vec![Related {
                file: std::sync::Arc::new(other),
                span: Some(span),
                message: "there".to_string(),
            }],
            fix: None,
        };
        let source = SourceFile::new("M01-v1-a.md", "# short\n".to_string());
        let report = FileReport::new(std::sync::Arc::new(source), vec![diagnostic], true);
        let summary = Summary::of(std::slice::from_ref(&report), 0);
        let options = HumanOptions {
            color: false,
            width: 100,
            quiet: false,
        };
        let mut out = Vec::new();
        write(&[report], &summary, &options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_place_in_an_excerpt_shows_as_in_the_whole_file() {
        let long = "x".repeat(300);
        let text = format!("# Other\n\none\n- **Status**: active\t{long}\nthree\n\nfour\n");
        let at = text.find("active").unwrap();
        let span = Span::new(at, at + "active".len());
        let whole = with_related(SourceFile::new("other.md", text.clone()), span);
        let excerpt = crate::source::Excerpt::of(&text, [span]);
        let part = with_related(SourceFile::excerpt("other.md", &excerpt), span);
        assert_eq!(part, whole);
        assert!(
            whole.contains("active") && whole.contains("three"),
            "{whole}"
        );
        assert!(!whole.contains("four"), "{whole}");
        let cut_short = with_related(SourceFile::new("other.md", "x".to_string()), span);
        assert!(cut_short.contains("a finding"), "{cut_short}");
    }

    /// The human report of one finding at `span` in `text` (with `labels`), its message
    /// `message`.
    fn rendered(text: &str, span: Span, labels: &[Span], message: &str) -> String {
        let diagnostic = Diagnostic {
            rule: &crate::rules::registry::INVALID_STATUS,
            severity: crate::rules::registry::Severity::Error,
            message: message.to_string(),
            help: Some(format!("help {message}")),
            span: Some(span),
            labels: labels
                .iter()
                .map(|&span| Label {
                    span,
                    message: format!("label {message}"),
                })
                .collect(),
            related: Vec::new(),
            fix: None,
        };
        let source = std::sync::Arc::new(SourceFile::new("a\u{1b}]0;x\u{7}.md", text.to_string()));
        let report = FileReport::new(source, vec![diagnostic], true);
        let options = HumanOptions {
            color: false,
            width: 100,
            quiet: true,
        };
        let mut out = Vec::new();
        write(&[report], &Summary::default(), &options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The snippet's source lines, without their gutters.
    fn shown_lines(report: &str) -> Vec<&str> {
        report
            .lines()
            .filter_map(|line| line.split_once(" │ ").map(|(_, text)| text))
            .collect()
    }

    #[test]
    fn a_span_far_into_a_long_line_is_shown_in_a_window() {
        let pad = "x".repeat(70_000);
        let text = format!("# T\n\n- **Status**: {pad} Active and more {pad}\nlast\n");
        let at = text.find("Active").unwrap();
        let report = rendered(&text, Span::new(at, at + 6), &[], "m");
        let lines = shown_lines(&report);
        let long = lines.iter().find(|l| l.contains("Active")).unwrap();
        assert!(long.starts_with('…') && long.ends_with('…'), "{long}");
        let width = long.chars().count();
        assert!((150..=170).contains(&width), "{width}: {long}");
        // The underline is under the span, within the window.
        let underline = report.lines().find(|l| l.contains('┬')).unwrap();
        let column = |line: &str, needle: &str| line[..line.find(needle).unwrap()].chars().count();
        assert_eq!(
            column(underline, "─"),
            column(
                report.lines().find(|l| l.contains("Active")).unwrap(),
                "Active"
            )
        );
        // The header still tells where the span is in the file.
        assert!(report.contains(":3:70016]"), "{report}");
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let line = format!("- {}", "y".repeat(198));
        let text = format!("{line}\n");
        let report = rendered(&text, Span::new(2, 5), &[], "m");
        assert_eq!(shown_lines(&report), [line.as_str()]);
    }

    #[test]
    fn control_characters_reach_no_terminal_and_tabs_become_spaces() {
        let text = "a\tb \u{1b}[2J\u{7}c\u{9b}d\n";
        let at = text.find('c').unwrap();
        let report = rendered(
            text,
            Span::new(at, at + 1),
            &[Span::new(0, 1)],
            "m\u{1b}[31m\n",
        );
        assert!(
            !report.contains(|c: char| c.is_control() && c != '\n'),
            "{report:?}"
        );
        assert_eq!(shown_lines(&report)[0], "a   b \\u{1b}[2J\\u{7}c\\u{9b}d");
        assert!(report.contains("m\\u{1b}[31m\\u{a}"), "{report}");
        assert!(report.contains("help m\\u{1b}"), "{report}");
        assert!(report.contains("label m\\u{1b}"), "{report}");
        assert!(report.contains("a\\u{1b}]0;x\\u{7}.md"), "{report}");
        // The caret stands under `c`, after what the escapes take.
        let caret = report.lines().find(|l| l.contains('┬')).unwrap();
        let shown = report.lines().find(|l| l.contains("\\u{9b}")).unwrap();
        let column = |line: &str, at: usize| line[..at].chars().count();
        assert_eq!(
            column(caret, caret.rfind('┬').unwrap()),
            column(shown, shown.find("c\\u{9b}").unwrap())
        );
    }

    #[test]
    fn lines_ended_by_a_cr_alone_are_lines() {
        let text = "one\rtwo\rthree\rfour\r";
        let at = text.find("three").unwrap();
        let report = rendered(text, Span::new(at, at + 5), &[], "m");
        assert_eq!(shown_lines(&report)[..3], ["two", "three", "four"]);
        assert!(report.contains(":3:1]"), "{report}");
    }

    #[test]
    fn spans_far_apart_show_their_own_lines_with_their_numbers() {
        let text: String = (1..=40).map(|n| format!("line {n}\n")).collect();
        let first = text.find("line 3\n").unwrap();
        let second = text.find("line 30\n").unwrap();
        let report = rendered(
            &text,
            Span::new(first, first + 6),
            &[Span::new(second, second + 7)],
            "m",
        );
        let numbered: Vec<&str> = report
            .lines()
            .filter(|l| l.contains(" │ line"))
            .map(str::trim)
            .collect();
        assert_eq!(
            numbered,
            [
                "2 │ line 2",
                "3 │ line 3",
                "4 │ line 4",
                "29 │ line 29",
                "30 │ line 30",
                "31 │ line 31"
            ]
        );
    }
}
