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

#[derive(Debug, Clone)]
pub struct CodeSpan<'t> {
    pub text: Cow<'t, str>,
    pub span: Span,
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
    /// Its inline code, as a range of [`Plan::item_code`]: see [`Plan::code_spans`].
    pub code: Range<u32>,
}

#[derive(Debug, Default)]
pub struct Plan<'t> {
    pub kind: Option<PlanKind>,
    pub headings: Vec<Heading<'t>>,
    pub items: Vec<ListItem<'t>>,
    /// Code blocks, inline code and HTML: not prose, so never scanned for placeholders.
    pub code: Vec<Span>,
    /// HTML comments, where suppressions live.
    pub comments: Vec<Span>,
    /// The inline code of every list item, each item's together, in the items' order and
    /// each item's in the text's: one list for the plan rather than one for each item.
    pub item_code: Vec<(u32, CodeSpan<'t>)>,
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

    /// The inline code spans of `item`, in the text's order; nested items' are their own.
    pub fn code_spans(&self, item: &ListItem<'t>) -> impl Iterator<Item = &CodeSpan<'t>> {
        let range = item.code.start as usize..item.code.end as usize;
        self.item_code
            .get(range)
            .unwrap_or(&[])
            .iter()
            .map(|(_, code)| code)
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
        let i = self.code.partition_point(|c| c.end <= span.start);
        self.code.get(i).is_some_and(|c| c.overlaps(span))
    }
}
