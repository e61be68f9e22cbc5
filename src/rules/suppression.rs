//! Inline suppressions in plans (`<!-- plancheck-disable-next-line PC501 -->` and friends)
//! and PC901 for one that suppresses nothing, as ruff reports an unused `noqa`.

use regex::Regex;
use std::sync::OnceLock;

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::plan::Plan;
use crate::plan::Span;
use crate::rules::registry::UNUSED_SUPPRESSION;
use crate::rules::registry::{Severity, ALL};
use crate::rules::{selects, Checker, RuleSet};
use crate::source::{line_end, line_start, SourceFile};
use crate::suggest::suggest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NextLine,
    Disable,
    Enable,
    File,
}

#[derive(Debug)]
struct Suppression {
    kind: Kind,
    /// Codes, code prefixes or names; empty means every rule.
    selectors: Vec<String>,
    span: Span,
    /// The lines (1-based, inclusive) it covers.
    lines: (usize, usize),
    used: bool,
}

impl Suppression {
    fn covers(&self, diagnostic: &Diagnostic, line: usize) -> bool {
        let named =
            self.selectors.is_empty() || self.selectors.iter().any(|s| selects(s, diagnostic.rule));
        named && self.lines.0 <= line && line <= self.lines.1
    }
}

fn directive() -> &'static Regex {
    static DIRECTIVE: OnceLock<Regex> = OnceLock::new();
    // invariant: a constant pattern, tested below.
    #[allow(clippy::unwrap_used)]
    DIRECTIVE.get_or_init(|| {
        Regex::new(r"^<!--\s*plancheck-(disable-next-line|disable-file|disable|enable)(?:\s+([^>]*?))?\s*-->$")
            .unwrap()
    })
}

/// A plan's suppression comments, read once; applied after every check of the plan, which
/// may be after the cross-file checks that need all plans of the run.
#[derive(Debug, Default)]
pub struct Suppressions {
    comments: Vec<Suppression>,
    /// The words of the comments that name no rule, and where they stand.
    unknown: Vec<(String, Span)>,
}

impl Suppressions {
    pub fn read(plan: &Plan, file: &SourceFile) -> Suppressions {
        if plan.comments.is_empty() {
            return Suppressions::default();
        }
        read(plan, file)
    }

    pub fn is_empty(&self) -> bool {
        self.comments.is_empty() && self.unknown.is_empty()
    }

    /// Drops the diagnostics a comment suppresses, and reports the comments that suppressed
    /// nothing (PC901) when the rules they name are on at all.
    pub fn apply(self, cx: &mut Checker<'_>, diagnostics: &mut Vec<Diagnostic>) {
        for (word, span) in &self.unknown {
            let nearest = if word.to_ascii_uppercase().starts_with("PC") {
                suggest(word, ALL.iter().map(|r| r.code))
            } else {
                suggest(word, ALL.iter().map(|r| r.name))
            };
            let message =
                format!("this suppression names `{word}`, which is no rule's code or name");
            if let Some(d) = cx.report(&UNUSED_SUPPRESSION, Some(*span), message) {
                match nearest {
                    Some(rule) => d.help(format!("did you mean `{rule}`?")),
                    None => d.help("run `plancheck rules` for every code and name"),
                };
            }
        }
        let mut suppressions = self.comments;
        if suppressions.is_empty() {
            return;
        }
        diagnostics.retain(|d| {
            let line = d.span.map_or(1, |s| cx.file.line_column(s.start).line);
            let mut kept = true;
            for s in suppressions.iter_mut().filter(|s| s.covers(d, line)) {
                s.used = true;
                kept = false;
            }
            kept
        });
        for s in suppressions.iter().filter(|s| !s.used) {
            if !names_an_enabled_rule(&s.selectors, cx.rules) {
                continue;
            }
            let what = if s.selectors.is_empty() {
                "any rule".to_string()
            } else {
                s.selectors.join(", ")
            };
            let message = format!("this suppression of {what} suppresses nothing");
            let removal = removal(&cx.file.text, s.span);
            if let Some(d) = cx.report(&UNUSED_SUPPRESSION, Some(s.span), message) {
                d.help("remove the comment").fix(Fix::unsafe_(
                    "remove the comment",
                    vec![Edit::replace(removal, "")],
                ));
            }
        }
    }
}

/// What removing the comment at `comment` takes out of `text`: its whole line, line ending
/// included, when it stands alone on it; the comment and the blanks before it when it ends
/// its line, so that none is left trailing; else the comment alone.
fn removal(text: &str, comment: Span) -> Span {
    let written = text.get(comment.range()).unwrap_or_default();
    let start = comment.start + (written.len() - written.trim_start().len());
    let end = start + written.trim().len();
    let line_start = line_start(text, start);
    let (line_end, next_line) = line_end(text, end);
    let before = &text[line_start..start];
    let ends_line = text[end..line_end].trim().is_empty();
    if ends_line && before.trim().is_empty() {
        Span::new(line_start, next_line)
    } else if ends_line {
        Span::new(line_start + before.trim_end().len(), line_end)
    } else {
        Span::new(start, end)
    }
}

fn read(plan: &Plan, file: &SourceFile) -> Suppressions {
    let last_line = file.line_column(file.text.len()).line;
    let mut found: Vec<Suppression> = Vec::new();
    let mut unknown = Vec::new();
    for &span in &plan.comments {
        let written = &file.text[span.range()];
        let trimmed = written.trim();
        let Some(caps) = directive().captures(trimmed) else {
            continue;
        };
        let trimmed_start = span.start + (written.len() - written.trim_start().len());
        let kind = match &caps[1] {
            "disable-next-line" => Kind::NextLine,
            "disable-file" => Kind::File,
            "disable" => Kind::Disable,
            _ => Kind::Enable,
        };
        let mut selectors = Vec::new();
        if let Some(list) = caps.get(2) {
            let mut at = trimmed_start + list.start();
            for word in list.as_str().split([' ', ',', '\t']) {
                if !word.is_empty() {
                    if !ALL.iter().any(|rule| selects(word, rule)) {
                        unknown.push((word.to_string(), Span::new(at, at + word.len())));
                    }
                    selectors.push(word.to_string());
                }
                at += word.len() + 1;
            }
        }
        let end_line = file.line_column(span.end).line;
        let lines = match kind {
            Kind::NextLine => (end_line + 1, end_line + 1),
            Kind::File => (1, last_line),
            Kind::Disable | Kind::Enable => (file.line_column(span.start).line, last_line),
        };
        found.push(Suppression {
            kind,
            selectors,
            span,
            lines,
            used: false,
        });
    }
    // An enable ends the disables before it that it names (all of them when it names none).
    for i in 0..found.len() {
        if found[i].kind != Kind::Enable {
            continue;
        }
        let enable_line = found[i].lines.0;
        let enabled = found[i].selectors.clone();
        for earlier in found[..i].iter_mut().filter(|s| s.kind == Kind::Disable) {
            let ends = enabled.is_empty() || earlier.selectors.iter().any(|s| enabled.contains(s));
            if ends && earlier.lines.1 >= enable_line {
                earlier.lines.1 = enable_line.saturating_sub(1);
            }
        }
    }
    found.retain(|s| s.kind != Kind::Enable);
    Suppressions {
        comments: found,
        unknown,
    }
}

fn names_an_enabled_rule(selectors: &[String], rules: &RuleSet) -> bool {
    ALL.iter()
        .filter(|r| selectors.is_empty() || selectors.iter().any(|s| selects(s, r)))
        .any(|r| rules.severity(r) != Severity::Off && r.code != UNUSED_SUPPRESSION.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_directives() {
        for (text, kind) in [
            ("<!-- plancheck-disable-next-line PC501 -->", Kind::NextLine),
            ("<!--plancheck-disable PC203 PC106-->", Kind::Disable),
            ("<!-- plancheck-enable -->", Kind::Enable),
            ("<!-- plancheck-disable-file PC401 -->", Kind::File),
        ] {
            let caps = directive().captures(text).unwrap();
            let found = match &caps[1] {
                "disable-next-line" => Kind::NextLine,
                "disable-file" => Kind::File,
                "disable" => Kind::Disable,
                _ => Kind::Enable,
            };
            assert_eq!(found, kind, "{text}");
        }
        assert!(directive()
            .captures("<!-- plancheck-disabled -->")
            .is_none());
        assert!(directive().captures("<!-- a note -->").is_none());
    }

    /// The text an unused suppression's fix leaves of `text`, its one finding.
    fn without_unused(text: &str) -> String {
        let found = crate::testing::diagnostics("M01-v1-user-auth.md", text, |plan, cx| {
            let suppressions = Suppressions::read(plan, cx.file);
            cx.apply_suppressions(suppressions);
        });
        let [unused] = found.as_slice() else {
            panic!("{found:#?}");
        };
        assert_eq!(unused.rule.code, "PC901");
        unused.fix.as_ref().and_then(|f| f.apply(text)).unwrap()
    }

    #[test]
    fn an_unused_comment_alone_on_its_line_goes_with_its_line() {
        assert_eq!(
            without_unused("# T\n\n<!-- plancheck-disable-next-line PC205 -->\n- a\n"),
            "# T\n\n- a\n"
        );
        assert_eq!(
            without_unused("# T\r\n  <!-- plancheck-disable PC205 -->  \r\n- a\r\n"),
            "# T\r\n- a\r\n"
        );
        assert_eq!(
            without_unused("# T\n<!-- plancheck-disable PC205 -->"),
            "# T\n"
        );
    }

    #[test]
    fn an_unused_comment_beside_text_goes_alone() {
        assert_eq!(
            without_unused("# T\n\n- a <!-- plancheck-disable-next-line PC205 --> b\n"),
            "# T\n\n- a  b\n"
        );
    }

    #[test]
    fn an_unused_comment_ending_its_line_goes_with_the_blanks_before_it() {
        assert_eq!(
            without_unused("# T\n\n- a \t<!-- plancheck-disable-next-line PC205 --> \n- b\n"),
            "# T\n\n- a\n- b\n"
        );
        assert_eq!(
            without_unused("# T\r\n- a <!-- plancheck-disable PC205 -->\r\n"),
            "# T\r\n- a\r\n"
        );
    }
}
