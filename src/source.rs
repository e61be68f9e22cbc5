//! A checked file's text and the mapping from byte spans to 1-based lines and columns.
//! Nothing here knows about markdown or rules.

use crate::plan::Span;

/// A 1-based line and column; columns count characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// Lines shown above and below each span in a snippet, and so kept around each span of an
/// [`Excerpt`].
pub const CONTEXT_LINES: usize = 1;

/// One file as plancheck sees it: the name to report and its text (BOM removed), whole or
/// an [`Excerpt`] of it. Spans are offsets in the whole text either way: an excerpt places
/// them as the whole text would.
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    /// The whole text, or the excerpt's lines: read it through [`SourceFile::get`] where
    /// the file may be an excerpt.
    pub text: String,
    /// The bytes of the file before the whole text: a leading BOM the text leaves out. Spans
    /// count in the text; reported offsets count from the file's first byte.
    pub text_start: usize,
    /// Where `text` starts in the whole text, and how many lines stand before it there.
    offset: usize,
    lines_before: usize,
    /// Built on the first position asked for: most files are clean and never need it.
    index: std::sync::OnceLock<LineIndex>,
}

/// The lines of a text around some spans in it, with where they stand in it: what a report
/// shows of a file whose whole text is not kept (a task file, another plan's metadata).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Excerpt {
    offset: usize,
    lines_before: usize,
    text: Box<str>,
}

impl Excerpt {
    /// The lines of `text` that `spans` stand on, with [`CONTEXT_LINES`] around them: from
    /// the first span's to the last's. Empty for no span.
    pub fn of(text: &str, spans: impl IntoIterator<Item = Span>) -> Excerpt {
        let (range, lines_before) = Excerpt::lines_around(text, spans);
        Excerpt::new(range.start, lines_before, &text[range])
    }

    /// An excerpt of a text whose lines from the `lines_before`th on start at `offset` with
    /// `text`: as [`Excerpt::lines_around`] found them.
    pub fn new(offset: usize, lines_before: usize, text: &str) -> Excerpt {
        Excerpt {
            offset,
            lines_before,
            text: text.into(),
        }
    }

    /// Where [`Excerpt::of`] cuts `text`, and how many lines stand before: for a caller
    /// that keeps the lines itself.
    pub fn lines_around(
        text: &str,
        spans: impl IntoIterator<Item = Span>,
    ) -> (std::ops::Range<usize>, usize) {
        let (mut first, mut last) = (usize::MAX, 0);
        for span in spans {
            first = first.min(span.start);
            last = last.max(span.end.max(span.start));
        }
        if first == usize::MAX {
            return (0..0, 0);
        }
        let mut starts = vec![0];
        let mut at = 0;
        while at <= last {
            let (end, next) = line_end(text, at);
            if end == text.len() {
                break;
            }
            starts.push(next);
            at = next;
        }
        // `starts` holds every line start up to the one after the last span's line.
        let line_of = |offset: usize| starts.partition_point(|&s| s <= offset.min(text.len())) - 1;
        let first_line = line_of(first).saturating_sub(CONTEXT_LINES);
        let start = starts[first_line];
        let mut end = starts[line_of(last)];
        for _ in 0..=CONTEXT_LINES {
            end = line_end(text, end).1;
        }
        (start..end, first_line)
    }
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: String) -> Self {
        SourceFile {
            path: path.into(),
            text,
            text_start: 0,
            offset: 0,
            lines_before: 0,
            index: std::sync::OnceLock::new(),
        }
    }

    /// The file named `path` of which only `excerpt` is kept.
    pub fn excerpt(path: impl Into<String>, excerpt: &Excerpt) -> Self {
        SourceFile {
            offset: excerpt.offset,
            lines_before: excerpt.lines_before,
            ..SourceFile::new(path, excerpt.text.to_string())
        }
    }

    /// The file whose text starts `text_start` bytes into it (after a BOM).
    pub fn starting_at(mut self, text_start: usize) -> Self {
        self.text_start = text_start;
        self
    }

    /// The text of `span`, if the file holds it whole and it falls on character boundaries.
    pub fn get(&self, span: Span) -> Option<&str> {
        let start = span.start.checked_sub(self.offset)?;
        let end = span.end.checked_sub(self.offset)?;
        self.text.get(start..end)
    }

    /// The offset where the text held ends.
    pub fn end(&self) -> usize {
        self.offset + self.text.len()
    }

    /// `offset`, kept within the text held and moved back to a character boundary.
    pub fn floor_char_boundary(&self, offset: usize) -> usize {
        let local = offset.saturating_sub(self.offset);
        self.offset + floor_char_boundary(&self.text, local)
    }

    fn local(&self, offset: usize) -> usize {
        offset.saturating_sub(self.offset)
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The line and column of a byte offset; an offset inside a character or past the end is
    /// clamped to the nearest character boundary before it.
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let at = self.index().line_column(&self.text, self.local(offset));
        LineColumn {
            line: at.line + self.lines_before,
            ..at
        }
    }

    /// The span of line `line` (1-based), without its line ending.
    pub fn line_span(&self, line: usize) -> Span {
        let starts = &self.index().line_starts;
        let at = line.saturating_sub(1 + self.lines_before);
        let Some(&start) = starts.get(at) else {
            return Span::empty(self.end());
        };
        // Known from where the next line starts: a line may be megabytes long.
        let end = match starts.get(at + 1) {
            Some(&next) if self.text.as_bytes()[..next].ends_with(b"\r\n") => next - 2,
            Some(&next) => next - 1,
            None => self.text.len(),
        };
        Span::new(self.offset + start, self.offset + end)
    }

    /// How many characters the text held has before `offset` (a character boundary): the
    /// difference of two is the characters between them.
    pub fn chars_before(&self, offset: usize) -> usize {
        self.index().chars_before(&self.text, self.local(offset))
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

    /// Every place of an excerpt is where it is in the whole text: its lines, columns and
    /// texts, whichever line endings the text uses and wherever the spans stand.
    #[test]
    fn an_excerpt_places_spans_as_the_whole_text_does() {
        for text in [
            "a\nb\nc\nd\ne\nf\n",
            "a\r\nbé\r\nc\r\nd\r\ne\r\nf",
            "a\rb\rc\rd\re\rf\r",
            "only",
            "",
            "\n\n\n",
        ] {
            let whole = SourceFile::new("f", text.to_string());
            let offsets: Vec<usize> = (0..=text.len())
                .filter(|&at| text.is_char_boundary(at))
                .collect();
            for &start in &offsets {
                for &end in offsets.iter().filter(|&&end| end >= start) {
                    let span = Span::new(start, end);
                    let part = SourceFile::excerpt("f", &Excerpt::of(text, [span]));
                    assert_eq!(part.get(span), whole.get(span), "{text:?} {span:?}");
                    for at in [start, end] {
                        assert_eq!(part.line_column(at), whole.line_column(at), "{text:?} {at}");
                    }
                    let line = whole.line_column(start).line;
                    // The lines a snippet shows: the span's, and one around it.
                    let last = whole.line_column(whole.end()).line;
                    for shown in line.saturating_sub(CONTEXT_LINES).max(1)..=(line + 1).min(last) {
                        assert_eq!(
                            part.line_span(shown),
                            whole.line_span(shown),
                            "{text:?} {shown}"
                        );
                    }
                }
            }
        }
        let text = "one\ntwo\nthree\nfour\nfive\n";
        let at = text.find("three").unwrap();
        let part = Excerpt::of(text, [Span::new(at, at + 5)]);
        assert_eq!(SourceFile::excerpt("f", &part).text, "two\nthree\nfour\n");
        assert_eq!(Excerpt::of(text, None), Excerpt::default());
    }
}
