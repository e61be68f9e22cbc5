//! Where things are, as LSP says it: positions in UTF-16 code units on 0-based lines, and
//! files as `file:` URIs. plancheck's spans are byte offsets; these are the one place that
//! turns one into the other.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Uri};

use crate::plan::Span;
use crate::source::SourceFile;

/// A file's lines, to place byte offsets as LSP positions and back: an open document's own
/// text (BOM included when it has one), or the excerpt kept of a project file.
pub struct Positions<'a> {
    lines: &'a SourceFile,
}

impl<'a> Positions<'a> {
    pub fn new(lines: &'a SourceFile) -> Positions<'a> {
        Positions { lines }
    }

    /// The position of byte `offset` of the text; an offset inside a character or past the
    /// end is moved back to the character boundary before it.
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.lines.floor_char_boundary(offset);
        let line = self.lines.line_column(offset).line;
        let start = self.lines.line_span(line).start.min(offset);
        let before = self.lines.get(Span::new(start, offset)).unwrap_or_default();
        Position {
            line: to_u32(line.saturating_sub(1)),
            character: to_u32(utf16_len(before)),
        }
    }

    pub fn range(&self, span: Span) -> Range {
        Range {
            start: self.position(span.start),
            end: self.position(span.end),
        }
    }

    /// The byte offset of `position`; a line past the end is the end of the text, and a
    /// character past the end of its line (or inside a surrogate pair) the nearest
    /// boundary before it, as LSP asks.
    pub fn offset(&self, position: Position) -> usize {
        let line = self.lines.line_span(position.line as usize + 1);
        let wanted = position.character as usize;
        let mut units = 0;
        let text = self.lines.get(line).unwrap_or_default();
        for (at, c) in text.char_indices() {
            units += c.len_utf16();
            if units > wanted {
                return line.start + at;
            }
        }
        line.end
    }
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The file a `file:` URI names; `None` for any other scheme (an unsaved buffer, a diff
/// view), which has no place in a project.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme()?.as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    let decoded = percent_decode(uri.path().as_str())?;
    // `file:///C:/x` on Windows: the path is `C:/x`, without the slash before the drive.
    let bytes = decoded.as_bytes();
    let path = if cfg!(windows) && bytes.len() > 2 && bytes[0] == b'/' && bytes[2] == b':' {
        &decoded[1..]
    } else {
        &decoded[..]
    };
    Some(PathBuf::from(path))
}

/// The `file:` URI of an absolute path, its names percent-encoded as SARIF's are.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let encoded = crate::report::sarif::uri(path.to_str()?);
    let slash = if encoded.starts_with('/') { "" } else { "/" };
    format!("file://{slash}{encoded}").parse().ok()
}

/// `%XX` sequences as the bytes they stand for; `None` when the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[at], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                at += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(decoded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn counts_utf16_units_before_a_span() {
        // An emoji is two UTF-16 units and four bytes; a CJK character one unit, three bytes.
        let text = "ab\n😀漢x\r\ny";
        let file = SourceFile::new("p.md", text.to_string());
        let at = Positions::new(&file);
        let x = text.find('x').unwrap();
        assert_eq!(at.position(x), position(1, 3));
        assert_eq!(at.position(text.find('y').unwrap()), position(2, 0));
        assert_eq!(at.offset(position(1, 3)), x);
        assert_eq!(at.offset(position(1, 2)), text.find('漢').unwrap());
        // Past the end of the line, and inside the emoji's pair.
        assert_eq!(at.offset(position(1, 99)), x + 1);
        assert_eq!(at.offset(position(1, 1)), text.find('😀').unwrap());
        assert_eq!(at.offset(position(9, 0)), text.len());
        assert_eq!(at.position(text.len()), position(2, 1));
    }

    #[test]
    fn a_bom_is_one_unit_of_the_first_line() {
        let file = SourceFile::new("p.md", "\u{feff}ab".to_string());
        assert_eq!(Positions::new(&file).position(4), position(0, 2));
    }

    #[test]
    fn file_uris_and_paths_go_both_ways() {
        let uri: Uri = "file:///tmp/a%20b/%E6%BC%A2.md".parse().unwrap();
        let path = path_of(&uri).unwrap();
        assert_eq!(path, PathBuf::from("/tmp/a b/漢.md"));
        assert_eq!(uri_of(&path).unwrap(), uri);
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(path_of(&untitled), None);
    }
}
