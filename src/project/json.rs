//! Small helpers over JSON text: where a parse error stands, and where a string value
//! stands, so diagnostics in project files can underline the very spot.

use crate::plan::Span;

/// The byte offset of serde_json's 1-based line and column (columns count bytes there).
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    crate::source::floor_char_boundary(text, line_start + column.saturating_sub(1))
}

/// Where the value of the top-level `key` of the JSON object `text` stands, whole: the value
/// a shape problem is about. `None` when `text` is no such object.
pub fn top_level_value(text: &str, key: &str) -> Option<Span> {
    use std::collections::BTreeMap;
    let body = text.trim_start_matches('\u{FEFF}');
    let object: BTreeMap<std::borrow::Cow<'_, str>, &serde_json::value::RawValue> =
        serde_json::from_str(body).ok()?;
    span_within(text, object.get(key)?.get())
}

/// Where `part`, a slice of `text`, stands in it.
pub fn span_within(text: &str, part: &str) -> Option<Span> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let end = start + part.len();
    (end <= text.len()).then(|| Span::new(start, end))
}

/// The span of the string `value` standing as the value of `"key"`, quotes excluded: the
/// first such place at or after `from`.
pub fn find_string_value(text: &str, key: &str, value: &str, from: usize) -> Option<Span> {
    ValueFinder::new(key).find(text, value, from)
}

/// [`find_string_value`] for one key, its searcher built once: completion-path.json asks
/// for the place of each of a hundred thousand ids.
pub struct ValueFinder {
    finder: memchr::memmem::Finder<'static>,
}

impl ValueFinder {
    pub fn new(key: &str) -> ValueFinder {
        let finder = memchr::memmem::Finder::new(Quoted::new(key).bytes()).into_owned();
        ValueFinder { finder }
    }

    pub fn find(&self, text: &str, value: &str, from: usize) -> Option<Span> {
        let mut at = from.min(text.len());
        // A `from` within a character finds nothing.
        text.get(at..)?;
        while let Some(found) = self.finder.find(&text.as_bytes()[at..]) {
            let after_key = at + found + self.finder.needle().len();
            let rest = &text[after_key..];
            let rest_trimmed = rest.trim_start();
            if let Some(after_colon) = rest_trimmed.strip_prefix(':') {
                let value_part = after_colon.trim_start();
                if let Some(inner) = value_part.strip_prefix('"') {
                    let start = text.len() - inner.len();
                    if inner.starts_with(value) && inner[value.len()..].starts_with('"') {
                        return Some(Span::new(start, start + value.len()));
                    }
                    if let Some(length) = escaped_string_length(inner, value) {
                        return Some(Span::new(start, start + length));
                    }
                }
            }
            at = after_key;
        }
        None
    }
}

/// The length of the JSON string that `inner` begins (after its opening quote) when it is
/// written with escapes (`C:\\plans`) and reads as `value`.
fn escaped_string_length(inner: &str, value: &str) -> Option<usize> {
    let bytes = inner.as_bytes();
    let mut end = 0;
    let mut escaped = false;
    while let Some(&byte) = bytes.get(end) {
        match byte {
            b'"' => break,
            b'\\' => {
                escaped = true;
                end += 1;
            }
            _ => {}
        }
        end += 1;
    }
    let quoted = inner.get(..end + 1).filter(|_| escaped)?;
    let read: String = serde_json::from_str(&format!("\"{quoted}")).ok()?;
    (read == value).then_some(end)
}

/// The span of the first occurrence of the quoted string `value` at or after `from`.
pub fn find_string(text: &str, value: &str, from: usize) -> Option<Span> {
    let rest = text.get(from..)?;
    let found = memchr::memmem::find(rest.as_bytes(), Quoted::new(value).bytes())? + from + 1;
    Some(Span::new(found, found + value.len()))
}

/// A word in quotes, as searched for: on the stack when it is short, as ids and keys are
/// (tens of thousands of searches a load, each a few hundred bytes from the one before).
struct Quoted {
    short: [u8; 64],
    length: usize,
    long: Vec<u8>,
}

impl Quoted {
    fn new(word: &str) -> Quoted {
        let mut quoted = Quoted {
            short: [0; 64],
            length: word.len() + 2,
            long: Vec::new(),
        };
        let into: &mut [u8] = match quoted.short.get_mut(..quoted.length) {
            Some(short) => short,
            None => {
                quoted.long.resize(quoted.length, 0);
                &mut quoted.long
            }
        };
        into[0] = b'"';
        into[1..quoted.length - 1].copy_from_slice(word.as_bytes());
        into[quoted.length - 1] = b'"';
        quoted
    }

    fn bytes(&self) -> &[u8] {
        if self.long.is_empty() {
            &self.short[..self.length]
        } else {
            &self.long
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_by_key() {
        let text = r#"{"a": "x", "milestone": { "id" :  "M-02" }, "id": "M-03"}"#;
        let span = find_string_value(text, "id", "M-02", 0).unwrap();
        assert_eq!(&text[span.range()], "M-02");
        let span = find_string_value(text, "id", "M-03", 0).unwrap();
        assert_eq!(&text[span.range()], "M-03");
        assert!(find_string_value(text, "id", "M-04", 0).is_none());
    }

    #[test]
    fn finds_values_written_with_escapes() {
        let text =
            r#"{"filename": "a\\b.md", "filename": "C:\\plans\\M01-v1-a.md", "x": "\u0041\"q"}"#;
        let span = find_string_value(text, "filename", r"C:\plans\M01-v1-a.md", 0).unwrap();
        assert_eq!(&text[span.range()], r"C:\\plans\\M01-v1-a.md");
        let span = find_string_value(text, "x", "A\"q", 0).unwrap();
        assert_eq!(&text[span.range()], r#"\u0041\"q"#);
        assert!(find_string_value(text, "filename", r"C:\\plans", 0).is_none());
        assert!(find_string_value(r#"{"x": "a\"#, "x", "a", 0).is_none());
    }

    /// The searches as they were, with a needle built each time.
    fn find_string_value_built(text: &str, key: &str, value: &str, from: usize) -> Option<Span> {
        let quoted_key = format!("\"{key}\"");
        let mut at = from.min(text.len());
        while let Some(found) = text.get(at..)?.find(&quoted_key) {
            let after_key = at + found + quoted_key.len();
            let rest = &text[after_key..];
            if let Some(after_colon) = rest.trim_start().strip_prefix(':') {
                if let Some(inner) = after_colon.trim_start().strip_prefix('"') {
                    if inner.starts_with(value) && inner[value.len()..].starts_with('"') {
                        let start = text.len() - inner.len();
                        return Some(Span::new(start, start + value.len()));
                    }
                }
            }
            at = after_key;
        }
        None
    }

    fn find_string_built(text: &str, value: &str, from: usize) -> Option<Span> {
        let quoted = format!("\"{value}\"");
        let found = text.get(from..)?.find(&quoted)? + from + 1;
        Some(Span::new(found, found + value.len()))
    }

    #[test]
    fn finds_quoted_strings_as_a_search_for_the_quoted_text_does() {
        let texts = [
            r#"{"flowId": "a-flow", "x": "a-flow-2", "y": ["a-flow"], "\"a-flow"}"#,
            r#"{"id": "M-01", "id" : "M-02", "t": "\"id\": \"M-02\"", "id":"M-02"}"#,
            "é\"a\"\"\"\"id\"\u{a0}:\u{2028}\"a\"",
            "\"\"",
            "",
            &format!("{{\"{}\": \"a-flow\"}}", "long".repeat(20)),
        ];
        for text in texts {
            for from in 0..text.len() + 3 {
                for word in ["a-flow", "id", "a", "", "x", "\"", &"long".repeat(20)] {
                    assert_eq!(
                        find_string(text, word, from),
                        find_string_built(text, word, from),
                        "{text:?} {word:?} {from}"
                    );
                    for value in ["M-02", "a-flow-2", "a", ""] {
                        assert_eq!(
                            find_string_value(text, word, value, from),
                            find_string_value_built(text, word, value, from),
                            "{text:?} {word:?} {value:?} {from}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn finds_a_top_level_value_whole() {
        let text = "\u{FEFF}{\"a\": {\"flowFiles\": 1}, \"flowFiles\" : {\"x\": [1]} }";
        let span = top_level_value(text, "flowFiles").unwrap();
        assert_eq!(&text[span.range()], "{\"x\": [1]}");
        assert_eq!(top_level_value(text, "b"), None);
        assert_eq!(top_level_value("[1]", "a"), None);
        assert_eq!(span_within("abc", "x"), None);
    }

    #[test]
    fn converts_line_and_column() {
        let text = "{\n  \"a\": ,\n}";
        assert_eq!(offset_of(text, 2, 8), 9);
        assert_eq!(&text[9..10], ",");
        assert_eq!(offset_of(text, 99, 99), text.len());
    }
}
