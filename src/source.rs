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
/// the lines of it a report shows (an [`Excerpt`], or the pieces [`SourceFile::keeping`]
/// keeps). Spans are offsets in the whole text either way: each piece places them as the
/// whole text would.
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    /// The whole text, or its pieces end to end: read it through [`SourceFile::get`] where
    /// the file may be an excerpt.
    pub text: String,
    /// The bytes of the file before the whole text: a leading BOM the text leaves out. Spans
    /// count in the text; reported offsets count from the file's first byte.
    pub text_start: usize,
    /// Where each piece of `text` stands in the whole text, in order; one for a whole text.
    pieces: Vec<Piece>,
    /// Built on the first position asked for: most files are clean and never need it.
    index: std::sync::OnceLock<LineIndex>,
}

/// A run of whole lines of [`SourceFile::text`], from `start` to the next piece's: the
/// whole text's from `offset`, where `lines_before` lines stand before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    start: usize,
    offset: usize,
    lines_before: usize,
}

impl Piece {
    const WHOLE: Piece = Piece {
        start: 0,
        offset: 0,
        lines_before: 0,
    };
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
            pieces: vec![Piece::WHOLE],
            index: std::sync::OnceLock::new(),
        }
    }

    /// The file named `path` of which only `excerpt` is kept.
    pub fn excerpt(path: impl Into<String>, excerpt: &Excerpt) -> Self {
        SourceFile {
            pieces: vec![Piece {
                start: 0,
                offset: excerpt.offset,
                lines_before: excerpt.lines_before,
            }],
            ..SourceFile::new(path, excerpt.text.to_string())
        }
    }

    /// The file whose text starts `text_start` bytes into it (after a BOM).
    pub fn starting_at(mut self, text_start: usize) -> Self {
        self.text_start = text_start;
        self
    }

    /// This whole file cut to the lines a report shows of `spans`: each span's lines with
    /// [`CONTEXT_LINES`] around them. A plan with findings is kept so until the run's report
    /// is written, and most of its lines show nothing.
    pub fn keeping(self, spans: impl IntoIterator<Item = Span>) -> SourceFile {
        if self.pieces != [Piece::WHOLE] {
            return self;
        }
        let starts = &self.index().line_starts;
        let line_of = |offset: usize| starts.partition_point(|&s| s <= offset) - 1;
        let last_line = starts.len() - 1;
        let mut lines: Vec<(usize, usize)> = spans
            .into_iter()
            .map(|span| {
                let first = line_of(span.start).saturating_sub(CONTEXT_LINES);
                let last = line_of(span.end.max(span.start)) + CONTEXT_LINES;
                (first, last.min(last_line))
            })
            .collect();
        lines.sort_unstable();
        let mut runs: Vec<(usize, usize)> = Vec::with_capacity(lines.len());
        for (first, last) in lines {
            match runs.last_mut() {
                Some(run) if first <= run.1 + 1 => run.1 = run.1.max(last),
                _ => runs.push((first, last)),
            }
        }
        let byte_range = |(first, last): (usize, usize)| {
            starts[first]..starts.get(last + 1).copied().unwrap_or(self.text.len())
        };
        let kept: usize = runs.iter().map(|&run| byte_range(run).len()).sum();
        // A lone `\r` ending one piece before a `\n` starting the next would read as one
        // line ending: such a file is kept whole, as is one whose pieces would be all of it.
        let joins_cr_lf = runs.windows(2).any(|pair| {
            self.text[..byte_range(pair[0]).end].ends_with('\r')
                && self.text[byte_range(pair[1])].starts_with('\n')
        });
        if kept >= self.text.len() || joins_cr_lf {
            return self;
        }
        let mut text = String::with_capacity(kept);
        let mut pieces = Vec::with_capacity(runs.len());
        for run in runs {
            let range = byte_range(run);
            pieces.push(Piece {
                start: text.len(),
                offset: range.start,
                lines_before: run.0,
            });
            text.push_str(&self.text[range]);
        }
        SourceFile {
            path: self.path,
            text,
            text_start: self.text_start,
            pieces,
            index: std::sync::OnceLock::new(),
        }
    }

    /// The piece holding the whole text's `offset` (the first, for an offset before it).
    fn piece_at(&self, offset: usize) -> (Piece, usize) {
        let at = self
            .pieces
            .partition_point(|p| p.offset <= offset)
            .saturating_sub(1);
        (self.pieces[at], self.piece_end(at))
    }

    /// Where piece `at` ends in the text held.
    fn piece_end(&self, at: usize) -> usize {
        self.pieces
            .get(at + 1)
            .map_or(self.text.len(), |next| next.start)
    }

    /// The text of `span`, if the file holds it and it falls on character boundaries.
    pub fn get(&self, span: Span) -> Option<&str> {
        let (piece, end) = self.piece_at(span.start);
        let start = piece.start + span.start.checked_sub(piece.offset)?;
        let stop = piece.start + span.end.checked_sub(piece.offset)?;
        if stop > end {
            return None;
        }
        self.text.get(start..stop)
    }

    /// The offset where the text held ends.
    pub fn end(&self) -> usize {
        let last = self.pieces[self.pieces.len() - 1];
        last.offset + (self.text.len() - last.start)
    }

    /// `offset`, kept within the text held and moved back to a character boundary.
    pub fn floor_char_boundary(&self, offset: usize) -> usize {
        let (piece, _) = self.piece_at(offset);
        let local = self.local(offset);
        piece.offset + (floor_char_boundary(&self.text, local).max(piece.start) - piece.start)
    }

    /// Where the whole text's `offset` stands in the text held, kept within its piece.
    fn local(&self, offset: usize) -> usize {
        let (piece, end) = self.piece_at(offset);
        (piece.start + offset.saturating_sub(piece.offset)).min(end)
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The line and column of a byte offset; an offset inside a character or past the end is
    /// clamped to the nearest character boundary before it.
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let (piece, _) = self.piece_at(offset);
        let at = self.index().line_column(&self.text, self.local(offset));
        LineColumn {
            line: at.line - self.lines_in_text_before(piece) + piece.lines_before,
            ..at
        }
    }

    /// How many lines of the text held stand before `piece`.
    fn lines_in_text_before(&self, piece: Piece) -> usize {
        let starts = &self.index().line_starts;
        starts.partition_point(|&s| s < piece.start)
    }

    /// The span of line `line` (1-based), without its line ending; empty at the end of the
    /// text held when the file does not hold it.
    pub fn line_span(&self, line: usize) -> Span {
        let missing = Span::empty(self.end());
        let at = self
            .pieces
            .partition_point(|p| p.lines_before < line)
            .saturating_sub(1);
        let piece = self.pieces[at];
        let Some(in_piece) = line.checked_sub(1 + piece.lines_before) else {
            return missing;
        };
        let starts = &self.index().line_starts;
        let held = self.lines_in_text_before(piece) + in_piece;
        let Some(&start) = starts.get(held).filter(|&&s| s < self.piece_end(at)) else {
            return missing;
        };
        // Known from where the next line starts: a line may be megabytes long.
        let end = match starts.get(held + 1) {
            Some(&next) if self.text.as_bytes()[..next].ends_with(b"\r\n") => next - 2,
            Some(&next) => next - 1,
            None => self.text.len(),
        };
        Span::new(
            piece.offset + (start - piece.start),
            piece.offset + (end - piece.start),
        )
    }

    /// How many characters the text held has before `offset` (a character boundary): the
    /// difference of two on one line is the characters between them.
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

    /// Every pair of spans kept from a text places both spans, and the lines a snippet shows
    /// around each, as the whole text does.
    #[test]
    fn kept_pieces_place_spans_as_the_whole_text_does() {
        for text in [
            "a\nb\nc\nd\ne\nf\ng\nh\ni\n",
            "a\r\nbé\r\nc\r\nd\r\ne\r\nf\r\ng\r\nh",
            "a\rb\rc\rd\re\rf\rg\rh\r",
            "a\r\nb\n\nc\rd\n\ne\r\n\nf\ng",
            "only",
            "",
        ] {
            let whole = SourceFile::new("f", text.to_string());
            let last = whole.line_column(whole.end()).line;
            let offsets: Vec<usize> = (0..=text.len())
                .filter(|&at| text.is_char_boundary(at))
                .collect();
            for &a in &offsets {
                for &b in offsets.iter().filter(|&&b| b >= a) {
                    let spans = [Span::new(a, a), Span::new(b, b)];
                    let part = SourceFile::new("f", text.to_string()).keeping(spans);
                    assert!(part.text.len() <= text.len());
                    for span in spans {
                        assert_eq!(part.get(span), whole.get(span), "{text:?} {span:?}");
                        let at = whole.line_column(span.start);
                        assert_eq!(part.line_column(span.start), at, "{text:?} {span:?}");
                        let lines = at.line.saturating_sub(CONTEXT_LINES).max(1)
                            ..=(at.line + CONTEXT_LINES).min(last);
                        for shown in lines {
                            assert_eq!(
                                part.line_span(shown),
                                whole.line_span(shown),
                                "{text:?} {spans:?} {shown}"
                            );
                        }
                    }
                }
            }
        }
        let text = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n";
        let span = |word: &str| {
            let at = text.find(word).unwrap();
            Span::new(at, at + word.len())
        };
        let part = SourceFile::new("f", text.to_string()).keeping([span("two"), span("seven")]);
        assert_eq!(part.text, "one\ntwo\nthree\nsix\nseven\neight\n");
        assert_eq!(part.line_column(span("seven").start).line, 7);
        assert_eq!(part.get(span("five")), None);
        assert_eq!(part.line_span(5), Span::empty(text.len()));
    }
}
