//! A checked file's text and the mapping from byte spans to 1-based lines and columns.
//! Nothing here knows about markdown or rules.

use std::ops::Range;

/// A byte range into a file's text. End is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

/// A span in eight bytes, for what is kept of a hundred thousand files until their
/// findings are written. One past 4 GiB is kept as none: the finding then points at the
/// file, not at a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmallSpan {
    start: u32,
    end: u32,
}

impl SmallSpan {
    pub const NONE: SmallSpan = SmallSpan {
        start: u32::MAX,
        end: u32::MAX,
    };

    pub fn new(span: Option<Span>) -> SmallSpan {
        span.and_then(|span| {
            Some(SmallSpan {
                start: u32::try_from(span.start).ok()?,
                end: u32::try_from(span.end)
                    .ok()
                    .filter(|&end| end != u32::MAX)?,
            })
        })
        .unwrap_or(SmallSpan::NONE)
    }

    pub fn get(self) -> Option<Span> {
        (self.end != u32::MAX).then(|| Span::new(self.start as usize, self.end as usize))
    }
}

/// A 1-based line and column; columns count characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// One file as plancheck sees it: the name to report and its text (BOM removed).
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    /// The bytes of the file before `text`: a leading BOM the text leaves out. Spans count in
    /// the text; reported offsets count from the file's first byte.
    pub text_start: usize,
    /// Built on the first position asked for: most files are clean and never need it.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: String) -> Self {
        SourceFile {
            path: path.into(),
            text,
            text_start: 0,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// The file whose text starts `text_start` bytes into it (after a BOM).
    pub fn starting_at(mut self, text_start: usize) -> Self {
        self.text_start = text_start;
        self
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// The line and column of a byte offset; an offset inside a character or past the end is
    /// clamped to the nearest character boundary before it.
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let offset = floor_char_boundary(&self.text, offset);
        let line_starts = self.line_starts();
        let line = line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = line_starts[line];
        let column = self.text[line_start..offset].chars().count() + 1;
        LineColumn {
            line: line + 1,
            column,
        }
    }

    /// The span of line `line` (1-based), without its line ending.
    pub fn line_span(&self, line: usize) -> Span {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1)) else {
            return Span::empty(self.text.len());
        };
        let rest = &self.text[start..];
        let end = start + rest.find('\n').unwrap_or(rest.len());
        Span::new(
            start,
            start + self.text[start..end].trim_end_matches('\r').len(),
        )
    }
}

/// A path or file name as text: borrowed where it is UTF-8, as nearly all are (the check is
/// quicker than `to_string_lossy`'s walk over it), else with each invalid sequence replaced,
/// as `display()` shows it.
pub fn os_text(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, str> {
    name.to_str()
        .map_or_else(|| name.to_string_lossy(), std::borrow::Cow::Borrowed)
}

pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_display_shows_them() {
        use std::ffi::OsStr;
        assert!(matches!(
            os_text(OsStr::new("M01-v1-ü.md")),
            std::borrow::Cow::Borrowed("M01-v1-ü.md")
        ));
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let name = OsStr::from_bytes(b"M01-\xff.md");
            assert_eq!(
                os_text(name),
                std::path::Path::new(name).display().to_string()
            );
        }
    }

    #[test]
    fn a_small_span_past_4_gib_is_none_not_wrapped() {
        let far = Span::new(1 << 33, (1 << 33) + 4);
        assert_eq!(SmallSpan::new(Some(far)).get(), None);
        assert_eq!(SmallSpan::new(None).get(), None);
        let zero = Span::empty(0);
        assert_eq!(SmallSpan::new(Some(zero)).get(), Some(zero));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let file = SourceFile::new("a.md", "é x\nsecond".to_string());
        assert_eq!(file.line_column(2), LineColumn { line: 1, column: 2 });
        assert_eq!(file.line_column(5), LineColumn { line: 2, column: 1 });
        assert_eq!(file.line_column(11), LineColumn { line: 2, column: 7 });
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let file = SourceFile::new("a.md", "ab".to_string());
        assert_eq!(file.line_column(99), LineColumn { line: 1, column: 3 });
    }

    #[test]
    fn line_span_drops_crlf() {
        let file = SourceFile::new("a.md", "# T\r\nnext".to_string());
        assert_eq!(file.line_span(1), Span::new(0, 3));
        assert_eq!(file.line_span(2), Span::new(5, 9));
    }
}
