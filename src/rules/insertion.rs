//! Edits that add whole lines of the template's text to a plan: in the plan's own line
//! ending, with the blank lines a markdown block needs, touching no byte around them.

use crate::diagnostic::Edit;
use crate::source::{line_end, line_start};

/// Whether inserted lines are a block of their own (a section: blank lines around it) or
/// lines among others (a list item).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spacing {
    Block,
    Lines,
}

/// The line ending `text` writes: its first one; `\n` when it has none.
pub fn line_ending(text: &str) -> &'static str {
    let (end, next) = line_end(text, 0);
    match &text[end..next] {
        "\r\n" => "\r\n",
        "\r" => "\r",
        _ => "\n",
    }
}

/// Inserts `lines` (each ending in `\n`, as the template is read) at `at`, the start of a
/// line of `text` or its end, written with `text`'s line ending.
pub fn insert_lines(text: &str, at: usize, lines: &str, spacing: Spacing) -> Edit {
    let eol = line_ending(text);
    let before = text.get(..at).unwrap_or(text);
    let mut inserted = String::with_capacity(lines.len() + 3 * eol.len());
    if !before.is_empty() && !before.ends_with(['\n', '\r']) {
        inserted.push_str(eol);
    }
    if spacing == Spacing::Block && !ends_apart(before) {
        inserted.push_str(eol);
    }
    for line in lines.lines() {
        inserted.push_str(line);
        inserted.push_str(eol);
    }
    let after = text.get(at..).unwrap_or_default();
    let next_line = &after[..line_end(after, 0).0];
    if spacing == Spacing::Block && !next_line.trim().is_empty() {
        inserted.push_str(eol);
    }
    Edit::insert(at, inserted)
}

/// Where the lines after an element that ends at `end` go: the start of the line after its
/// last line that holds more than white space (the end of the text when there is none).
pub fn after_last_line(text: &str, end: usize) -> usize {
    let content_end = text.get(..end).unwrap_or(text).trim_end().len();
    line_end(text, content_end).1
}

/// Where lines before an element that starts at `start` go: the start of its line.
pub fn before_line(text: &str, start: usize) -> usize {
    line_start(text, start)
}

/// Whether `before` (a text up to the start of a line) is empty or ends in a line that a
/// block may follow directly: one of white space alone, or an ATX heading (a section's
/// first subsection stands right below it, as in the template).
fn ends_apart(before: &str) -> bool {
    if before.is_empty() {
        return true;
    }
    let Some(without_eol) = before
        .strip_suffix("\r\n")
        .or_else(|| before.strip_suffix(['\n', '\r']))
    else {
        return false;
    };
    let last_line = without_eol[line_start(without_eol, without_eol.len())..].trim();
    last_line.is_empty() || last_line.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Fix;

    fn inserted(text: &str, at: usize, lines: &str, spacing: Spacing) -> String {
        let edit = insert_lines(text, at, lines, spacing);
        Fix::unsafe_("x", vec![edit]).apply(text).unwrap()
    }

    #[test]
    fn lines_take_the_texts_line_ending() {
        assert_eq!(line_ending("a\r\nb\n"), "\r\n");
        assert_eq!(line_ending("a\nb\r\n"), "\n");
        assert_eq!(line_ending("a"), "\n");
        assert_eq!(
            inserted("- a\r\n- c\r\n", 5, "- b\n", Spacing::Lines),
            "- a\r\n- b\r\n- c\r\n"
        );
    }

    #[test]
    fn a_block_gets_blank_lines_around_it_once() {
        let text = "## A\nx\n\n## C\ny\n";
        assert_eq!(
            inserted(text, 8, "## B\nz\n", Spacing::Block),
            "## A\nx\n\n## B\nz\n\n## C\ny\n"
        );
        let tight = "## A\nx\n## C\n";
        assert_eq!(
            inserted(tight, 7, "## B\n", Spacing::Block),
            "## A\nx\n\n## B\n\n## C\n"
        );
        assert_eq!(
            inserted("## A\n### C\n", 5, "### B\n", Spacing::Block),
            "## A\n### B\n\n### C\n"
        );
        assert_eq!(
            inserted("## A\nx", 6, "## B\n", Spacing::Block),
            "## A\nx\n\n## B\n"
        );
        assert_eq!(
            inserted("## A\r\nx\r\n", 9, "## B\nz\n", Spacing::Block),
            "## A\r\nx\r\n\r\n## B\r\nz\r\n"
        );
    }

    #[test]
    fn places_after_and_before_an_element() {
        let text = "- a\n  more\n\n## B\n";
        assert_eq!(after_last_line(text, text.len() - 5), 11);
        assert_eq!(after_last_line("- a", 3), 3);
        assert_eq!(before_line(text, 14), 12);
    }
}
