//! The document model of one plan: headings as a section tree, list items, bold fields and
//! the regions that are code. Plain data with byte spans; no rule logic and no I/O.

use std::borrow::Cow;
use std::ops::Range;

use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanKind {
    Regular,
    HighPriority,
}

impl PlanKind {
    /// A high-priority plan says so in its file name (`H-…`) or in its title.
    pub fn detect(file_name: Option<&str>, title: Option<&str>) -> PlanKind {
        let by_name = file_name.is_some_and(|n| n.starts_with("H-"));
        let by_title = title.is_some_and(|t| t.trim_start().starts_with("[HIGH PRIORITY]"));
        if by_name || by_title {
            PlanKind::HighPriority
        } else {
            PlanKind::Regular
        }
    }
}

/// The number and name of a phase heading, `Phase <N>: <Name>` (N in ASCII digits, at most
/// nine of them); `None` for any other heading.
pub fn phase_heading(text: &str) -> Option<(u64, &str)> {
    let rest = text.strip_prefix("Phase ")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=9).contains(&digits) {
        return None;
    }
    let name = rest[digits..].strip_prefix(':')?.trim_start_matches(' ');
    if name.is_empty() || name.starts_with(char::is_whitespace) || name.contains('\n') {
        return None;
    }
    Some((rest[..digits].parse().ok()?, name))
}

#[derive(Debug, Clone)]
pub struct Heading<'t> {
    pub level: u8,
    /// The heading's text with markup removed (emphasis, code ticks, closing `#`s): the
    /// plan's own text when the heading is plain, as most are.
    pub text: Cow<'t, str>,
    /// The heading line itself (for a setext heading, its text line).
    pub span: Span,
    /// Everything below the heading up to the next heading of the same or a higher level.
    pub body: Span,
    /// The enclosing heading: H2s have none (they are the plan's sections), an H3 its H2…
    pub parent: Option<usize>,
    /// Whether anything but white space and comments stands in `body`.
    pub has_content: bool,
}

/// A `- **Name**: value` bullet; name and value are the plan's own text, trimmed.
#[derive(Debug, Clone)]
pub struct Field<'t> {
    pub name: &'t str,
    pub name_span: Span,
    pub value: &'t str,
    pub value_span: Span,
}

/// A run of an item's text (layout.md's *text*: CommonMark's inline reading) and where it
/// stands in the file, so that what is read in the text points back at the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextPiece {
    /// Where the piece starts in [`Plan::item_text`].
    pub at: usize,
    /// The piece in the file: for inline code, its content without the backticks.
    pub source: Span,
    pub is_code: bool,
    /// Whether the piece is the file's own bytes, each read as itself; an escape, an
    /// entity or a line break is not, and any part of it points at the whole of `source`.
    pub verbatim: bool,
}

#[derive(Debug, Clone)]
pub struct ListItem<'t> {
    pub span: Span,
    /// The item's first line, marker included.
    pub first_line: Span,
    /// 0 for a top-level bullet, 1 for one nested in it, …
    pub depth: usize,
    /// The innermost heading the item stands under.
    pub heading: Option<usize>,
    pub field: Option<Field<'t>>,
    /// Its text, a range of [`Plan::item_text`]: see [`Plan::text_of`].
    pub text: Range<usize>,
    /// The pieces of that text, a range of [`Plan::item_pieces`].
    pub pieces: Range<usize>,
}

#[derive(Debug, Default)]
pub struct Plan<'t> {
    pub kind: Option<PlanKind>,
    pub headings: Vec<Heading<'t>>,
    pub items: Vec<ListItem<'t>>,
    /// Code blocks, inline code, math and HTML: not prose, so never scanned for placeholders.
    pub code: Vec<Span>,
    /// Link destinations and link reference definitions: addresses, not prose.
    pub destinations: Vec<Span>,
    /// HTML comments, where suppressions live.
    pub comments: Vec<Span>,
    /// The text of every list item, one after another in the items' order: one string for
    /// the plan rather than one for each item. An item's text stops where its own nested
    /// list begins, so each item's is one run of it.
    pub item_text: String,
    /// The pieces of `item_text`, in order.
    pub item_pieces: Vec<TextPiece>,
    /// The first `## Metadata`, found once by the parse: most rules read its fields.
    pub metadata: Option<usize>,
    /// Which of `items` stand directly under `metadata`, nested ones included.
    metadata_items: Range<usize>,
}

impl<'t> Plan<'t> {
    pub fn kind(&self) -> PlanKind {
        self.kind.unwrap_or(PlanKind::Regular)
    }

    pub fn title(&self) -> Option<&Heading<'t>> {
        self.headings.first()
    }

    /// The plan's sections: every H2, in order, with its index.
    pub fn sections(&self) -> impl Iterator<Item = (usize, &Heading<'t>)> + Clone {
        self.headings
            .iter()
            .enumerate()
            .filter(|(_, h)| h.level == 2)
    }

    /// The first H2 named `name` (ignoring case).
    pub fn section(&self, name: &str) -> Option<usize> {
        self.sections()
            .find(|(_, h)| h.text.eq_ignore_ascii_case(name))
            .map(|(i, _)| i)
    }

    /// The headings directly below `parent`. Descendants stand right after their ancestor,
    /// so this reads only `parent`'s own subtree.
    pub fn children(&self, parent: usize) -> impl Iterator<Item = (usize, &Heading<'t>)> + Clone {
        let level = self.headings.get(parent).map_or(u8::MAX, |h| h.level);
        self.headings
            .iter()
            .enumerate()
            .skip(parent + 1)
            .take_while(move |(_, h)| h.level > level)
            .filter(move |(_, h)| h.parent == Some(parent))
    }

    /// The first child of `parent` named `name` (ignoring case).
    pub fn subsection(&self, parent: usize, name: &str) -> Option<usize> {
        self.children(parent)
            .find(|(_, h)| h.text.eq_ignore_ascii_case(name))
            .map(|(i, _)| i)
    }

    /// The list items anywhere below heading `heading`, nested ones included. A heading's
    /// subtree is a run of headings, and items come in document order, so this is a slice.
    pub fn items_within(&self, heading: usize) -> &[ListItem<'t>] {
        let Some(level) = self.headings.get(heading).map(|h| h.level) else {
            return &[];
        };
        let subtree_end = self.headings[heading + 1..]
            .iter()
            .position(|h| h.level <= level)
            .map_or(self.headings.len(), |p| heading + 1 + p);
        &self.items[self.items_under(heading..subtree_end)]
    }

    /// The text of `item` as CommonMark reads it inline; its nested items' are their own.
    pub fn text_of(&self, item: &ListItem<'t>) -> ItemText<'_> {
        ItemText {
            text: self.item_text.get(item.text.clone()).unwrap_or_default(),
            base: item.text.start,
            pieces: self
                .item_pieces
                .get(item.pieces.clone())
                .unwrap_or_default(),
        }
    }

    /// The list items whose innermost heading is one of `headings`: a run of them, as
    /// items come in document order.
    fn items_under(&self, headings: Range<usize>) -> Range<usize> {
        let first = self
            .items
            .partition_point(|i| i.heading.is_none_or(|h| h < headings.start));
        let end = self
            .items
            .partition_point(|i| i.heading.is_none_or(|h| h < headings.end));
        first..end.max(first)
    }

    /// Finds `## Metadata` and its items once, for the many lookups of its fields.
    pub fn find_metadata(&mut self) {
        self.metadata = self.section("Metadata");
        self.metadata_items = self.metadata.map_or(0..0, |m| self.items_under(m..m + 1));
    }

    /// The top-level bullets directly in `## Metadata`.
    pub fn metadata_items(&self) -> impl Iterator<Item = &ListItem<'t>> {
        let items = self
            .items
            .get(self.metadata_items.clone())
            .unwrap_or_default();
        items.iter().filter(|item| item.depth == 0)
    }

    /// The metadata fields, in order, duplicates included.
    pub fn fields(&self) -> impl Iterator<Item = &Field<'t>> {
        self.metadata_items().filter_map(|item| item.field.as_ref())
    }

    /// The first metadata field named `name` (ignoring case).
    pub fn field(&self, name: &str) -> Option<&Field<'t>> {
        self.fields().find(|f| f.name.eq_ignore_ascii_case(name))
    }

    pub fn in_code(&self, span: Span) -> bool {
        overlaps_any(&self.code, span)
    }

    /// Whether `span` stands wholly in prose: outside code, math, HTML and link addresses.
    pub fn is_prose(&self, span: Span) -> bool {
        !self.in_code(span) && !overlaps_any(&self.destinations, span)
    }
}

/// An item's text as CommonMark reads it inline (layout.md): emphasis delimiters gone,
/// links read as their text, code spans kept as code, line breaks read as spaces. Each
/// range of it points back at the file.
#[derive(Debug, Clone, Copy)]
pub struct ItemText<'p> {
    text: &'p str,
    /// Where `text` starts in [`Plan::item_text`], which the pieces count from.
    base: usize,
    pieces: &'p [TextPiece],
}

impl<'p> ItemText<'p> {
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
            .filter(|(_, p)| p.is_code)
            .map(move |(i, p)| {
                let end = pieces.get(i + 1).map_or(base + len, |next| next.at);
                p.at - base..end - base
            })
    }

    /// Whether the byte at `at` stands in an inline code span.
    pub fn in_code(&self, at: usize) -> bool {
        self.piece_at(at).is_some_and(|p| p.is_code)
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
            let into = self.base + range.start - p.at;
            if p.verbatim {
                (p.source.start + into).min(p.source.end)
            } else {
                p.source.start
            }
        });
        let last = range.end.max(range.start + 1) - 1;
        let end = self.piece_at(last).map(|p| {
            if p.verbatim {
                (p.source.start + (self.base + range.end - p.at)).min(p.source.end)
            } else {
                p.source.end
            }
        });
        match (start, end) {
            (Some(start), _) if range.is_empty() => Span::empty(start),
            (Some(start), Some(end)) => Span::new(start, end.max(start)),
            _ => Span::empty(self.pieces.last().map_or(0, |p| p.source.end)),
        }
    }

    /// The piece that holds the text's byte `at`.
    fn piece_at(&self, at: usize) -> Option<&'p TextPiece> {
        if at >= self.text.len() {
            return None;
        }
        let after = self.pieces.partition_point(|p| p.at <= self.base + at);
        after.checked_sub(1).and_then(|i| self.pieces.get(i))
    }
}

/// Whether `span` overlaps one of `spans`, which are sorted and do not overlap each other.
fn overlaps_any(spans: &[Span], span: Span) -> bool {
    let i = spans.partition_point(|c| c.end <= span.start);
    spans.get(i).is_some_and(|c| c.overlaps(span))
}
