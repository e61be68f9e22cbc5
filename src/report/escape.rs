//! Text from plans and file names made safe for where a report sends it: a terminal or a CI
//! log never gets a raw control character (screen clearing, fake links, window titles), and
//! markdown never gets markup it did not write. JSON, SARIF and JUnit keep the exact text.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` is shown escaped: a control character (C0, DEL, C1) other than tab.
fn is_escaped(c: char) -> bool {
    c.is_control() && c != '\t'
}

/// Adds `c` to `out` as a report shows it: a control character as its code (`\u{1b}`),
/// anything else as itself.
pub fn push_char(out: &mut String, c: char) {
    if is_escaped(c) {
        // invariant: writing to a String cannot fail.
        let _ = write!(out, "{}", c.escape_unicode());
    } else {
        out.push(c);
    }
}

/// `text` with each control character other than tab shown as its code (`\u{1b}`), as
/// messages, help and file names are written in the human, concise and github formats.
pub fn controls(text: &str) -> Cow<'_, str> {
    if !text.contains(is_escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_char(&mut out, c);
    }
    Cow::Owned(out)
}

/// `text` with each control character other than tab and line endings (`\n`, `\r\n`) as
/// that many `?`: what a snippet shows of a file whose spans must keep their offsets.
pub fn in_place(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let line_ending = c == '\n' || (c == '\r' && chars.peek() == Some(&'\n'));
        if is_escaped(c) && !line_ending {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// A path for the concise format: as it is, unless it holds a control character other than
/// tab (a newline would split the record in two), then as a JSON string, and escaped only
/// that way.
pub fn concise_path(path: &str) -> Cow<'_, str> {
    if !path.contains(is_escaped) {
        return Cow::Borrowed(path);
    }
    // invariant: a string always serialises.
    Cow::Owned(serde_json::to_string(path).unwrap_or_default())
}

/// `text` as plain markdown text that no renderer reads as markup: every ASCII punctuation
/// character backslash-escaped (which CommonMark allows for each, and which keeps `|` from
/// ending a table cell and `<` from starting HTML), and control characters shown as codes.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in controls(text).chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_as_codes_and_tabs_kept() {
        assert_eq!(controls("plain ü\ttab"), "plain ü\ttab");
        assert!(matches!(controls("plain"), Cow::Borrowed(_)));
        assert_eq!(
            controls("a\u{1b}[2Jb\u{7}c\rd\ne\u{8}\u{7f}\u{9b}"),
            "a\\u{1b}[2Jb\\u{7}c\\u{d}d\\u{a}e\\u{8}\\u{7f}\\u{9b}"
        );
    }

    #[test]
    fn text_in_place_keeps_its_offsets_and_line_endings() {
        let text = "a\u{1b}[2J\r\nb\rc\u{9b}\td\n";
        let shown = in_place(text);
        assert_eq!(shown, "a?[2J\r\nb?c??\td\n");
        assert_eq!(shown.len(), text.len());
    }

    #[test]
    fn a_concise_path_is_a_json_string_only_when_it_must_be() {
        assert_eq!(concise_path("a b/c\td.md"), "a b/c\td.md");
        assert_eq!(concise_path("a\nb.md"), "\"a\\nb.md\"");
        assert_eq!(concise_path("a\u{1b}\t.md"), "\"a\\u001b\\t.md\"");
    }

    #[test]
    fn markdown_is_shown_not_rendered() {
        assert_eq!(
            markdown("![x](http://e/i.png) | <img> `a` \u{1b}"),
            "\\!\\[x\\]\\(http\\:\\/\\/e\\/i\\.png\\) \\| \\<img\\> \\`a\\` \\\\u\\{1b\\}"
        );
    }
}
