//! A checked file's text and the mapping from byte spans to 1-based lines and columns.
//! Nothing here knows about markdown or rules.

use crate::plan::Span;

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
    index: std::sync::OnceLock<LineIndex>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: String) -> Self {
        SourceFile {
            path: path.into(),
            text,
            text_start: 0,
            index: std::sync::OnceLock::new(),
        }
    }

    /// The file whose text starts `text_start` bytes into it (after a BOM).
    pub fn starting_at(mut self, text_start: usize) -> Self {
        self.text_start = text_start;
        self
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The line and column of a byte offset; an offset inside a character or past the end is
    /// clamped to the nearest character boundary before it.
    pub fn line_column(&self, offset: usize) -> LineColumn {
        self.index().line_column(&self.text, offset)
    }

    /// The span of line `line` (1-based), without its line ending.
    pub fn line_span(&self, line: usize) -> Span {
        let starts = &self.index().line_starts;
        let at = line.saturating_sub(1);
        let Some(&start) = starts.get(at) else {
            return Span::empty(self.text.len());
        };
        // Known from where the next line starts: a line may be megabytes long.
        let end = match starts.get(at + 1) {
            Some(&next) if self.text.as_bytes()[..next].ends_with(b"\r\n") => next - 2,
            Some(&next) => next - 1,
            None => self.text.len(),
        };
        Span::new(start, end)
    }

    /// How many characters the text holds before `offset` (a character boundary).
    pub fn chars_before(&self, offset: usize) -> usize {
        self.index().chars_before(&self.text, offset)
    }
}

/// Where a text's lines start and how many characters stand before each block of it, worked
/// out once: placing a finding then costs a binary search and a count over one block,
/// however long its line (a line of two megabytes may hold sixty thousand findings).
#[derive(Debug)]
struct LineIndex {
    /// The first line's start, then the byte after each line ending (`\n`, `\r\n` or a
    /// `\r` alone, as CommonMark reads them).
    line_starts: Vec<usize>,
    /// The characters before each block of [`LineIndex::BLOCK`] bytes, and before the end.
    chars_before_block: Vec<usize>,
}

impl LineIndex {
    const BLOCK: usize = 256;

    fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        let mut at = 0;
        loop {
            let (end, next) = line_end(text, at);
            if end == text.len() {
                break;
            }
            line_starts.push(next);
            at = next;
        }
        let mut chars_before_block = Vec::with_capacity(text.len() / Self::BLOCK + 1);
        let mut chars = 0;
        for block in text.as_bytes().chunks(Self::BLOCK) {
            chars_before_block.push(chars);
            chars += count_chars(block);
        }
        // The text's end, when it ends a block, starts one more.
        chars_before_block.push(chars);
        LineIndex {
            line_starts,
            chars_before_block,
        }
    }

    /// Characters in `text[..offset]`, `offset` being a character boundary.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / Self::BLOCK;
        let before = self.chars_before_block.get(block).copied().unwrap_or(0);
        let block_start = (block * Self::BLOCK).min(offset);
        before + count_chars(&text.as_bytes()[block_start..offset])
    }

    fn line_column(&self, text: &str, offset: usize) -> LineColumn {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line];
        let column = self.chars_before(text, offset) - self.chars_before(text, line_start) + 1;
        LineColumn {
            line: line + 1,
            column,
        }
    }
}

/// Characters in a run of UTF-8 bytes: those that start one (no continuation byte).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// The line holding byte `from`: where its text ends (its line ending, or the text's end)
/// and where the next line starts. `\n`, `\r\n` and a `\r` alone each end a line, as in
/// CommonMark.
pub fn line_end(text: &str, from: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let from = from.min(bytes.len());
    match memchr::memchr2(b'\n', b'\r', &bytes[from..]) {
        None => (bytes.len(), bytes.len()),
        Some(found) => {
            let end = from + found;
            let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
            (end, end + if crlf { 2 } else { 1 })
        }
    }
}

/// Where the line holding byte `offset` starts.
pub fn line_start(text: &str, offset: usize) -> usize {
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    memchr::memrchr2(b'\n', b'\r', bytes).map_or(0, |at| at + 1)
}

/// The lines of `text`, each with the byte offset it starts at and without its line ending.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let start = at;
        let (end, next) = line_end(text, at);
        at = next;
        Some((start, &text[start..end]))
    })
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
    fn a_cr_alone_a_crlf_and_a_lf_each_end_a_line() {
        let file = SourceFile::new("a.md", "one\rtwo\r\nthree\nfour\r".to_string());
        let starts: Vec<_> = (1..=5).map(|line| file.line_span(line)).collect();
        assert_eq!(
            starts,
            [
                Span::new(0, 3),
                Span::new(4, 7),
                Span::new(9, 14),
                Span::new(15, 19),
                Span::new(20, 20)
            ]
        );
        assert_eq!(file.line_column(5), LineColumn { line: 2, column: 2 });
        assert_eq!(file.line_column(20), LineColumn { line: 5, column: 1 });
        let lines: Vec<_> = lines(&file.text).collect();
        assert_eq!(lines, [(0, "one"), (4, "two"), (9, "three"), (15, "four")]);
        assert_eq!(line_start(&file.text, 12), 9);
        assert_eq!(line_end(&file.text, 5), (7, 9));
    }

    #[test]
    fn the_end_of_a_text_of_whole_blocks_is_placed() {
        for length in [0, 1, 255, 256, 512, 513] {
            let text = "a".repeat(length);
            let file = SourceFile::new("a.md", text.clone());
            assert_eq!(file.chars_before(length), length);
            let expected = LineColumn {
                line: 1,
                column: length + 1,
            };
            assert_eq!(file.line_column(length), expected);
        }
    }

    #[test]
    fn columns_far_into_a_long_line_count_characters() {
        let line = "é".repeat(1000) + "x" + &"ü".repeat(70_000);
        let text = format!("first\n{line}\nlast");
        let file = SourceFile::new("a.md", text.clone());
        for (at, _) in text.char_indices().step_by(997) {
            let expected = LineColumn {
                line: text[..at].matches('\n').count() + 1,
                column: text[..at].rsplit('\n').next().unwrap().chars().count() + 1,
            };
            assert_eq!(file.line_column(at), expected, "{at}");
        }
        assert_eq!(file.chars_before(text.len()), text.chars().count());
    }

    #[test]
    fn line_span_drops_crlf() {
        let file = SourceFile::new("a.md", "# T\r\nnext".to_string());
        assert_eq!(file.line_span(1), Span::new(0, 3));
        assert_eq!(file.line_span(2), Span::new(5, 9));
    }
}
