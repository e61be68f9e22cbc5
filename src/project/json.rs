//! Small helpers over JSON text: where a parse error stands, and where a string value
//! stands, so diagnostics in project files can underline the very spot.

use crate::source::Span;

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

/// The span of the string `value` standing as the value of `"key"`, quotes excluded: the
/// first such place at or after `from`.
pub fn find_string_value(text: &str, key: &str, value: &str, from: usize) -> Option<Span> {
    let quoted_key = format!("\"{key}\"");
    let mut at = from.min(text.len());
    while let Some(found) = text.get(at..)?.find(&quoted_key) {
        let after_key = at + found + quoted_key.len();
        let rest = &text[after_key..];
        let rest_trimmed = rest.trim_start();
        if let Some(after_colon) = rest_trimmed.strip_prefix(':') {
            let value_part = after_colon.trim_start();
            if let Some(inner) = value_part.strip_prefix('"') {
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

/// The span of the first occurrence of the quoted string `value` at or after `from`.
pub fn find_string(text: &str, value: &str, from: usize) -> Option<Span> {
    let quoted = format!("\"{value}\"");
    let found = text.get(from..)?.find(&quoted)? + from + 1;
    Some(Span::new(found, found + value.len()))
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
    fn converts_line_and_column() {
        let text = "{\n  \"a\": ,\n}";
        assert_eq!(offset_of(text, 2, 8), 9);
        assert_eq!(&text[9..10], ",");
        assert_eq!(offset_of(text, 99, 99), text.len());
    }
}
