//! The vocabulary: one plan's document model (headings as a section tree, list items, bold
//! fields, the regions that are code), the spans it is made of, and the names `layout.md`
//! gives plans, milestones and tasks. Plain data; it depends on nothing else in the crate.

use std::borrow::Cow;
use std::ops::Range;

mod item_text;
pub mod names;
mod span;

pub use item_text::{ItemText, TextPiece};
pub use span::{SmallSpan, Span};

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

/// Kept small: a large plan may hold a great many list items.
#[derive(Debug, Clone)]
pub struct ListItem {
    pub span: Span,
    /// Where the item's first line ends: see [`ListItem::first_line`].
    pub first_line_end: u32,
    /// 0 for a top-level bullet, 1 for one nested in it, …
    pub depth: u16,
    /// The innermost heading the item stands under.
    pub heading: Option<u32>,
    /// Its field, an index of [`Plan::item_fields`]: see [`Plan::field_of`].
    pub field: Option<u32>,
    /// Its text, a range of [`Plan::item_text`]: see [`Plan::text_of`].
    pub text: Range<u32>,
    /// The pieces of that text, a range of [`Plan::item_pieces`].
    pub pieces: Range<u32>,
}

impl ListItem {
    /// The item's first line, marker included, without its line ending.
    pub fn first_line(&self) -> Span {
        Span::new(self.span.start, self.first_line_end as usize)
    }
}

#[derive(Debug, Default)]
pub struct Plan<'t> {
    pub kind: Option<PlanKind>,
    pub headings: Vec<Heading<'t>>,
    pub items: Vec<ListItem>,
    /// Code blocks, inline code, math and HTML: not prose, so never scanned for placeholders.
    pub code: Regions,
    /// Link destinations and link reference definitions: addresses, not prose.
    pub destinations: Regions,
    /// HTML comments, where suppressions live.
    pub comments: Vec<Span>,
    /// The text of every list item, one after another in the items' order: one string for
    /// the plan rather than one for each item. An item's text stops where its own nested
    /// list begins, so each item's is one run of it.
    pub item_text: String,
    /// The pieces of `item_text`, in order.
    pub item_pieces: Vec<TextPiece>,
    /// The items' fields, in the items' order: one list for the plan, where each item that
    /// is no field would otherwise make room for one.
    pub item_fields: Vec<Field<'t>>,
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

    /// The plan's phases: the H3s of its section `phases_section`, in order.
    pub fn phases(&self, phases_section: &str) -> impl Iterator<Item = (usize, &Heading<'t>)> {
        let section = self.section(phases_section);
        section
            .into_iter()
            .flat_map(|s| self.children(s))
            .filter(|(_, h)| h.level == 3)
    }

    /// The list items anywhere below heading `heading`, nested ones included. A heading's
    /// subtree is a run of headings, and items come in document order, so this is a slice.
    pub fn items_within(&self, heading: usize) -> &[ListItem] {
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
    pub fn text_of(&self, item: &ListItem) -> ItemText<'_> {
        ItemText::new(
            self.item_text.get(wide(&item.text)).unwrap_or_default(),
            item.text.start as usize,
            self.item_pieces.get(wide(&item.pieces)).unwrap_or_default(),
        )
    }

    /// The field `item` is, when it is one.
    pub fn field_of(&self, item: &ListItem) -> Option<&Field<'t>> {
        self.item_fields.get(item.field? as usize)
    }

    /// The list items whose innermost heading is one of `headings`: a run of them, as
    /// items come in document order.
    fn items_under(&self, headings: Range<usize>) -> Range<usize> {
        let first = self
            .items
            .partition_point(|i| i.heading.is_none_or(|h| (h as usize) < headings.start));
        let end = self
            .items
            .partition_point(|i| i.heading.is_none_or(|h| (h as usize) < headings.end));
        first..end.max(first)
    }

    /// Finds `## Metadata` and its items once, for the many lookups of its fields.
    pub fn find_metadata(&mut self) {
        self.metadata = self.section("Metadata");
        self.metadata_items = self.metadata.map_or(0..0, |m| self.items_under(m..m + 1));
    }

    /// The top-level bullets directly in `## Metadata`.
    pub fn metadata_items(&self) -> impl Iterator<Item = &ListItem> {
        let items = self
            .items
            .get(self.metadata_items.clone())
            .unwrap_or_default();
        items.iter().filter(|item| item.depth == 0)
    }

    /// The metadata fields, in order, duplicates included.
    pub fn fields(&self) -> impl Iterator<Item = &Field<'t>> {
        self.metadata_items().filter_map(|item| self.field_of(item))
    }

    /// The first metadata field named `name` (ignoring case).
    pub fn field(&self, name: &str) -> Option<&Field<'t>> {
        self.fields().find(|f| f.name.eq_ignore_ascii_case(name))
    }

    pub fn in_code(&self, span: Span) -> bool {
        self.code.overlaps(span)
    }

    /// Whether `span` stands wholly in prose: outside code, math, HTML and link addresses.
    pub fn is_prose(&self, span: Span) -> bool {
        !self.in_code(span) && !self.destinations.overlaps(span)
    }
}

/// A range of an item's, as it indexes the plan's text or pieces.
fn wide(range: &Range<u32>) -> Range<usize> {
    range.start as usize..range.end as usize
}

/// Parts of a file that prose checks pass over, such as code or link addresses: sorted and
/// joined where they overlap once all are in (an HTML block and its lines), so whether a span
/// meets one is one binary search. Eight bytes each: a large plan may hold a great many.
#[derive(Debug, Default)]
pub struct Regions(Vec<SmallSpan>);

impl Regions {
    pub fn push(&mut self, span: Span) {
        self.0.push(SmallSpan::new(Some(span)));
    }

    pub fn reserve(&mut self, additional: usize) {
        self.0.reserve(additional);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorts the regions and joins those that overlap, in place.
    pub fn join(&mut self) {
        self.0.sort_unstable_by_key(|region| region.get());
        self.0
            .dedup_by(|region, last| match (region.get(), last.get()) {
                (Some(region), Some(joined)) if region.start < joined.end => {
                    let end = joined.end.max(region.end);
                    *last = SmallSpan::new(Some(Span::new(joined.start, end)));
                    true
                }
                _ => false,
            });
    }

    /// Whether `span` overlaps one of the regions, once joined.
    pub fn overlaps(&self, span: Span) -> bool {
        let regions = &self.0;
        let i = regions.partition_point(|r| r.get().is_some_and(|r| r.end <= span.start));
        regions
            .get(i)
            .and_then(|r| r.get())
            .is_some_and(|r| r.overlaps(span))
    }
}
