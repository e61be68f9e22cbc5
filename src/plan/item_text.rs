//! An item's text as CommonMark reads it inline, in pieces that point back at the file.
//! Plain data: the parse builds it, the rules read it.

use std::ops::Range;

use super::{SmallSpan, Span};

/// A run of an item's text (layout.md's *text*: CommonMark's inline reading) and where it
/// stands in the file, so that what is read in the text points back at the file.
/// Twelve bytes: a plan of list items has several pieces to each item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextPiece {
    /// Where the piece starts in [`Plan::item_text`](super::Plan::item_text), below
    /// [`TextPiece::CODE`] and [`TextPiece::VERBATIM`].
    at_and_kind: u32,
    /// The piece in the file: for inline code, its content without the backticks.
    source: SmallSpan,
}

impl TextPiece {
    /// The piece is inline code.
    const CODE: u32 = 1 << 31;
    /// The piece is the file's own bytes, each read as itself; an escape, an entity or a
    /// line break is not, and any part of it points at the whole of its source.
    const VERBATIM: u32 = 1 << 30;

    /// A piece at `at` of the item text, from `source`. Offsets past 1 GiB, beyond any plan
    /// read, are not kept: such a piece stands at the last and points at the file's start.
    pub fn new(at: usize, source: Span, is_code: bool, verbatim: bool) -> TextPiece {
        let at = u32::try_from(at)
            .unwrap_or(u32::MAX)
            .min(Self::VERBATIM - 1);
        let kind = if is_code { Self::CODE } else { 0 } | if verbatim { Self::VERBATIM } else { 0 };
        TextPiece {
            at_and_kind: at | kind,
            source: SmallSpan::new(Some(source)),
        }
    }

    fn at(&self) -> usize {
        (self.at_and_kind & (Self::VERBATIM - 1)) as usize
    }

    fn is_code(&self) -> bool {
        self.at_and_kind & Self::CODE != 0
    }

    fn verbatim(&self) -> bool {
        self.at_and_kind & Self::VERBATIM != 0
    }

    fn source(&self) -> Span {
        self.source.get().unwrap_or_default()
    }
}

/// An item's text as CommonMark reads it inline (layout.md): emphasis delimiters gone,
/// links read as their text, code spans kept as code, line breaks read as spaces. Each
/// range of it points back at the file.
#[derive(Debug, Clone, Copy)]
pub struct ItemText<'p> {
    text: &'p str,
    /// Where `text` starts in [`Plan::item_text`](super::Plan::item_text), which the pieces
    /// count from.
    base: usize,
    pieces: &'p [TextPiece],
}

impl<'p> ItemText<'p> {
    /// `text` with its pieces, starting at `base` in
    /// [`Plan::item_text`](super::Plan::item_text).
    pub(super) fn new(text: &'p str, base: usize, pieces: &'p [TextPiece]) -> Self {
        ItemText { text, base, pieces }
    }

    pub fn as_str(&self) -> &'p str {
        self.text
    }

    /// The inline code spans, as ranges of the text (their content, without backticks).
    pub fn code_spans(&self) -> impl Iterator<Item = Range<usize>> + 'p {
        let (base, len) = (self.base, self.text.len());
        let pieces = self.pieces;
        pieces
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_code())
            .map(move |(i, p)| {
                let end = pieces.get(i + 1).map_or(base + len, TextPiece::at);
                p.at() - base..end - base
            })
    }

    /// Whether the byte at `at` stands in an inline code span.
    pub fn in_code(&self, at: usize) -> bool {
        self.piece_at(at).is_some_and(TextPiece::is_code)
    }

    /// Whether `range` holds any inline code.
    pub fn has_code(&self, range: Range<usize>) -> bool {
        self.code_spans()
            .any(|code| code.start < range.end && range.start < code.end)
    }

    /// Where the text's `range` stands in the file. A range of verbatim pieces maps byte
    /// for byte; an end within another piece takes that piece's whole source.
    pub fn source(&self, range: Range<usize>) -> Span {
        let start = self.piece_at(range.start).map(|p| {
            let into = self.base + range.start - p.at();
            let source = p.source();
            if p.verbatim() {
                (source.start + into).min(source.end)
            } else {
                source.start
            }
        });
        let last = range.end.max(range.start + 1) - 1;
        let end = self.piece_at(last).map(|p| {
            let source = p.source();
            if p.verbatim() {
                (source.start + (self.base + range.end - p.at())).min(source.end)
            } else {
                source.end
            }
        });
        match (start, end) {
            (Some(start), _) if range.is_empty() => Span::empty(start),
            (Some(start), Some(end)) => Span::new(start, end.max(start)),
            _ => Span::empty(self.pieces.last().map_or(0, |p| p.source().end)),
        }
    }

    /// The piece that holds the text's byte `at`.
    fn piece_at(&self, at: usize) -> Option<&'p TextPiece> {
        if at >= self.text.len() {
            return None;
        }
        let after = self.pieces.partition_point(|p| p.at() <= self.base + at);
        after.checked_sub(1).and_then(|i| self.pieces.get(i))
    }
}
