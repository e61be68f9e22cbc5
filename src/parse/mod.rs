//! The one pulldown-cmark pass: a plan's text becomes a [`Plan`] with byte spans.
//! It records what the document holds; it judges nothing.

use std::borrow::Cow;

use pulldown_cmark::{
    CodeBlockKind, CowStr, DefaultBrokenLinkCallback, Event, HeadingLevel, LinkType, OffsetIter,
    Options, Parser, Tag, TagEnd,
};

use crate::plan::Span;
use crate::plan::{Field, Heading, ListItem, Plan, PlanKind, TextPiece};
use crate::source;

/// Parses `text` (BOM already removed). `file_name` helps tell a high-priority plan.
pub fn parse<'t>(text: &'t str, file_name: Option<&str>) -> Plan<'t> {
    parse_in_pieces(text, file_name, PIECE)
}

/// [`parse`], a text of more than `least` bytes read in pieces of at least that.
fn parse_in_pieces<'t>(text: &'t str, file_name: Option<&str>, least: usize) -> Plan<'t> {
    let mut plan = Plan::default();
    // Sized once rather than grown as read: an item or a heading takes a line at least, and
    // the items' text is some of the plan's.
    let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    plan.items.reserve(lines);
    plan.headings.reserve(lines);
    plan.item_text.reserve(text.len());
    // Open headings collect their text; `lists` tracks depth.
    let mut heading_text: Option<Cow<'t, str>> = None;
    // The item whose text is being read: the innermost open one, until its own nested list
    // begins (its nested items are items of their own, and its text stops there).
    let mut reading_item: Option<usize> = None;
    let mut in_code_block = false;
    let mut lists = 0usize;
    let mut current_heading: Option<usize> = None;
    let mut last_at_level: [Option<usize>; 7] = [None; 7];

    // Open links and images, each with where its text ends so far (`None`: an autolink,
    // which is all address): what follows its text is its address.
    let mut open_links: Vec<(Span, Option<usize>)> = Vec::new();
    let mut definitions: Vec<Span> = Vec::new();
    let mut read = |event: Event<'t>, span: Span| {
        match &event {
            Event::Start(Tag::Link { link_type, .. }) => {
                let text_start = (!is_autolink(*link_type)).then_some(span.start + 1);
                open_links.push((span, text_start));
            }
            Event::Start(Tag::Image { .. }) => open_links.push((span, Some(span.start + 2))),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some((link, text_end)) = open_links.pop() {
                    let address = Span::new(text_end.unwrap_or(link.start), link.end);
                    plan.destinations.push(address);
                    if let Some((_, Some(outer_text_end))) = open_links.last_mut() {
                        *outer_text_end = (*outer_text_end).max(link.end);
                    }
                }
            }
            _ => {
                if let Some((_, Some(text_end))) = open_links.last_mut() {
                    *text_end = (*text_end).max(span.end);
                }
            }
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = heading_level(level);
                let span = heading_line(text, span);
                let parent = if level <= 2 {
                    None
                } else {
                    // The nearest heading above of a lower level; kept per level, so a plan
                    // of very many headings is not a quadratic walk back.
                    last_at_level[..usize::from(level)]
                        .iter()
                        .flatten()
                        .max()
                        .copied()
                };
                last_at_level[usize::from(level)] = Some(plan.headings.len());
                plan.headings.push(Heading {
                    level,
                    text: Cow::Borrowed(""),
                    span,
                    body: Span::empty(span.end),
                    parent,
                    has_content: false,
                });
                heading_text = Some(Cow::Borrowed(""));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let (Some(collected), Some(heading)) =
                    (heading_text.take(), plan.headings.last_mut())
                {
                    heading.text = match collected {
                        Cow::Borrowed(plain) => Cow::Borrowed(plain.trim()),
                        Cow::Owned(joined) if joined.trim().len() == joined.len() => {
                            Cow::Owned(joined)
                        }
                        Cow::Owned(joined) => Cow::Owned(joined.trim().to_string()),
                    };
                }
                current_heading = Some(plan.headings.len() - 1);
            }
            Event::Text(t) => {
                if let (Some(item), false) = (reading_item, in_code_block) {
                    let verbatim = text[span.range()] == *t;
                    push_item_text(&mut plan, item, &t, span, false, verbatim);
                }
                if let Some(collected) = heading_text.as_mut() {
                    append(collected, t);
                }
            }
            Event::Code(t) => {
                plan.code.push(span);
                if let Some(item) = reading_item {
                    let content = inner_code_span(text, span);
                    let code = t.trim();
                    let verbatim = text[content.range()] == *code;
                    push_item_text(&mut plan, item, code, content, true, verbatim);
                }
                if let Some(collected) = heading_text.as_mut() {
                    append(collected, t);
                }
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                plan.code.push(span);
                // In an item's text, math stays as written, `$`s and all.
                if let Some(item) = reading_item {
                    push_item_text(&mut plan, item, &text[span.range()], span, false, true);
                }
                if let Some(collected) = heading_text.as_mut() {
                    append(collected, t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(item) = reading_item {
                    push_item_text(&mut plan, item, " ", span, false, false);
                }
                if let Some(collected) = heading_text.as_mut() {
                    collected.to_mut().push(' ');
                }
            }
            Event::Start(Tag::Paragraph) => {
                // A second paragraph of an item goes on after a space, as a line break does.
                let item_has_text = reading_item
                    .and_then(|item| plan.items.get(item))
                    .is_some_and(|item| !item.text.is_empty());
                if let (Some(item), true) = (reading_item, item_has_text) {
                    push_item_text(&mut plan, item, " ", Span::empty(span.start), false, false);
                }
            }
            Event::Start(Tag::CodeBlock(_)) => {
                plan.code.push(span);
                in_code_block = true;
            }
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::HtmlBlock) => {
                plan.code.push(span);
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                plan.code.push(span);
                collect_comments(&html, span.start, &mut plan.comments);
            }
            Event::Start(Tag::List(_)) => {
                lists += 1;
                reading_item = None;
            }
            Event::End(TagEnd::List(_)) => lists = lists.saturating_sub(1),
            Event::Start(Tag::Item) => {
                let first_line = first_line(text, span);
                let (text_at, pieces_at) =
                    (narrow(plan.item_text.len()), narrow(plan.item_pieces.len()));
                plan.items.push(ListItem {
                    span,
                    first_line_end: narrow(first_line.end),
                    depth: u16::try_from(lists.saturating_sub(1)).unwrap_or(u16::MAX),
                    heading: current_heading.map(narrow),
                    field: bold_field(&text[first_line.range()], first_line.start).map(|field| {
                        plan.item_fields.push(field);
                        narrow(plan.item_fields.len() - 1)
                    }),
                    text: text_at..text_at,
                    pieces: pieces_at..pieces_at,
                });
                reading_item = Some(plan.items.len() - 1);
            }
            Event::End(TagEnd::Item) => reading_item = None,
            _ => {}
        }
    };
    read_in_pieces(text, least, &mut read, &mut definitions);
    for definition in definitions {
        plan.destinations.push(definition);
    }

    close_bodies(text, &mut plan);
    plan.code.join();
    plan.destinations.join();
    plan.comments.sort_unstable();
    plan.kind = Some(PlanKind::detect(file_name, plan.title().map(|t| &*t.text)));
    plan.find_metadata();
    plan
}

/// Adds a piece to the text of `item`, the item being read: its text and pieces are the
/// last of the plan's, so each grows at the end.
fn push_item_text(
    plan: &mut Plan,
    item: usize,
    piece: &str,
    source: Span,
    is_code: bool,
    verbatim: bool,
) {
    if piece.is_empty() {
        return;
    }
    let at = plan.item_text.len();
    plan.item_pieces
        .push(TextPiece::new(at, source, is_code, verbatim));
    plan.item_text.push_str(piece);
    if let Some(item) = plan.items.get_mut(item) {
        item.text.end = narrow(plan.item_text.len());
        item.pieces.end = narrow(plan.item_pieces.len());
    }
}

/// An index kept in four bytes, as [`ListItem`] keeps them: past 4 GiB, which no plan read
/// reaches, it stays at the last.
fn narrow(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// A piece of a heading's text added to what was collected: a heading of one plain piece
/// stays the plan's own text, with nothing allocated.
fn append<'t>(collected: &mut Cow<'t, str>, piece: CowStr<'t>) {
    if collected.is_empty() {
        *collected = borrowed(piece);
    } else {
        collected.to_mut().push_str(&piece);
    }
}

/// pulldown-cmark's string as the plan's own text where it is a slice of it.
fn borrowed(piece: CowStr<'_>) -> Cow<'_, str> {
    match piece {
        CowStr::Borrowed(plain) => Cow::Borrowed(plain),
        other => Cow::Owned(other.into_string()),
    }
}

fn is_autolink(link_type: LinkType) -> bool {
    matches!(link_type, LinkType::Autolink | LinkType::Email)
}

/// The size from which a text is parsed in pieces of about this many bytes: the tree of
/// such a piece takes a few megabytes.
const PIECE: usize = 256 << 10;

/// Feeds the events of `text` to `read`, each with its span, and collects the spans of its
/// link reference definitions. pulldown-cmark builds a tree of a whole text before its
/// first event, many times the text's size, so a text of more than `least` bytes is read in
/// pieces of at least that: each cut before a line at the left edge that begins a bullet
/// item or a heading, which any paragraph, list or quote before it ends, so the pieces read
/// as the whole does. A piece whose last block would go on past the cut (a fenced code
/// block or an HTML block left open, a table) is read again, longer. A text that defines
/// link references or footnotes, which the whole text shares, is read whole.
fn read_in_pieces<'t>(
    text: &'t str,
    least: usize,
    read: &mut impl FnMut(Event<'t>, Span),
    definitions: &mut Vec<Span>,
) {
    let definitions_of = |events: &OffsetIter<'t, DefaultBrokenLinkCallback>, at: usize| {
        (events.reference_definitions().iter())
            .map(|(_, definition)| {
                let span = &definition.span;
                Span::new(at + span.start, at + span.end)
            })
            .collect::<Vec<_>>()
    };
    if text.len() <= least || text.contains("]:") {
        let mut events = the_one_parser(text).into_offset_iter();
        for (event, range) in events.by_ref() {
            read(event, Span::from(range));
        }
        definitions.extend(definitions_of(&events, 0));
        return;
    }
    let (mut start, mut size) = (0, least);
    while start < text.len() {
        let end = cut_after(text, start.saturating_add(size));
        let mut events = the_one_parser(&text[start..end]).into_offset_iter();
        let piece: Vec<(Event<'t>, std::ops::Range<usize>)> = events.by_ref().collect();
        if end < text.len() && left_open(&text[start..end], &piece) {
            size = size.saturating_mul(2);
            continue;
        }
        for (event, range) in piece {
            read(event, Span::new(start + range.start, start + range.end));
        }
        definitions.extend(definitions_of(&events, start));
        (start, size) = (end, least);
    }
}

/// The start of the first line at or after byte `at` where a piece may end: a line at the
/// left edge that begins a heading (`#` to `######`) or a bullet item with text (an empty
/// one could go on a paragraph), right after a line with text ended by `\n` (a block that
/// blank lines end takes them in at the end of a text but not before another block, and
/// pulldown-cmark does not end every block at a `\r` alone); the text's end when there is
/// none.
fn cut_after(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let from = source::line_start(text, at);
    // Whether the line before has text and ends with `\n` or `\r\n`.
    let mut after_a_line = false;
    for (start, line) in source::lines(&text[from..]) {
        let start = from + start;
        if start >= at && after_a_line && starts_a_block(line) {
            return start;
        }
        let ending = &text[start + line.len()..];
        after_a_line =
            !line.trim().is_empty() && (ending.starts_with('\n') || ending.starts_with("\r\n"));
    }
    text.len()
}

fn starts_a_block(line: &str) -> bool {
    let bytes = line.as_bytes();
    let hashes = bytes.iter().take_while(|&&b| b == b'#').count();
    if (1..=6).contains(&hashes) {
        return matches!(bytes.get(hashes), None | Some(b' ' | b'\t'));
    }
    matches!(bytes.first(), Some(b'-' | b'*' | b'+'))
        && matches!(bytes.get(1), Some(b' ' | b'\t'))
        && !line[2..].trim().is_empty()
}

/// Whether the last block at the top level of `piece` (read as `events`) would go on past
/// its end in the whole text: a fenced code block without its closing fence, or an HTML
/// block or a table that reaches the end.
fn left_open(piece: &str, events: &[(Event<'_>, std::ops::Range<usize>)]) -> bool {
    let mut depth = 0usize;
    let mut last: Option<(&Tag<'_>, &std::ops::Range<usize>)> = None;
    for (event, range) in events {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    last = Some((tag, range));
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let Some((tag, range)) = last.filter(|(_, range)| range.end >= piece.len()) else {
        return false;
    };
    match tag {
        Tag::CodeBlock(CodeBlockKind::Fenced(_)) => !closes_its_fence(&piece[range.clone()]),
        Tag::HtmlBlock | Tag::Table(_) => true,
        _ => false,
    }
}

/// Whether a fenced code block's text ends with a fence that closes it: on a line of its
/// own after the opening one, at most three spaces in, of at least as many of its marks.
fn closes_its_fence(block: &str) -> bool {
    let fence = |line: &str| {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let marks = &line.as_bytes()[indent..];
        let mark = *marks.first()?;
        let count = marks.iter().take_while(|&&b| b == mark).count();
        (indent <= 3 && matches!(mark, b'`' | b'~') && count >= 3).then_some((mark, count))
    };
    let mut lines = source::lines(block);
    let Some((_, opening)) = lines.next() else {
        return false;
    };
    let Some((mark, count)) = fence(opening) else {
        return false;
    };
    lines.last().is_some_and(|(_, closing)| {
        fence(closing).is_some_and(|(m, c)| m == mark && c >= count)
            && closing
                .trim_start_matches(' ')
                .trim_start_matches(char::from(mark))
                .trim()
                .is_empty()
    })
}

#[expect(clippy::disallowed_methods, reason = "the one parse pass")]
fn the_one_parser(text: &str) -> Parser<'_> {
    // Heading attributes stay off: they would swallow `{Phase Name}` placeholders.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_MATH;
    Parser::new_ext(text, options)
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A heading's span is its first line without the line ending; for a setext heading that
/// is the text line, not the underline.
fn heading_line(text: &str, span: Span) -> Span {
    let first = first_line(text, span);
    let line = &text[first.range()];
    let start = first.start + (line.len() - line.trim_start().len());
    Span::new(start, start + line.trim().len())
}

fn first_line(text: &str, span: Span) -> Span {
    let end = source::line_end(text, span.start).0.min(span.end);
    Span::new(
        span.start,
        span.start + text[span.start..end].trim_end().len(),
    )
}

/// The span of an inline code's content, without its backticks.
fn inner_code_span(text: &str, span: Span) -> Span {
    let raw = &text[span.range()];
    let ticks = raw.len() - raw.trim_start_matches('`').len();
    if raw.len() < 2 * ticks {
        return span;
    }
    let inner = &raw[ticks..raw.len() - ticks];
    let lead = inner.len() - inner.trim_start().len();
    Span::new(
        span.start + ticks + lead,
        span.start + ticks + lead + inner.trim().len(),
    )
}

fn collect_comments(html: &str, offset: usize, comments: &mut Vec<Span>) {
    let mut from = 0;
    while let Some(start) = html[from..].find("<!--") {
        let start = from + start;
        let end = html[start + 4..]
            .find("-->")
            .map_or(html.len(), |e| start + 4 + e + 3);
        comments.push(Span::new(offset + start, offset + end));
        from = end;
    }
}

/// Bodies run to the next heading of the same or a higher level.
fn close_bodies(text: &str, plan: &mut Plan) {
    let mut open: Vec<usize> = Vec::with_capacity(8);
    let starts: Vec<(u8, usize)> = plan
        .headings
        .iter()
        .map(|h| (h.level, h.span.start))
        .collect();
    for (i, &(level, start)) in starts.iter().enumerate() {
        while let Some(&top) = open.last() {
            if plan.headings[top].level < level {
                break;
            }
            plan.headings[top].body.end = source::line_start(text, start);
            open.pop();
        }
        open.push(i);
    }
    for top in open {
        plan.headings[top].body.end = text.len();
    }
    let comments = &plan.comments;
    for heading in &mut plan.headings {
        let body_start = body_start(text, heading);
        heading.body = Span::new(body_start, heading.body.end.max(body_start));
        heading.has_content = has_content(text, heading.body, comments);
    }
}

/// The body starts after the heading's line, or after the setext underline.
fn body_start(text: &str, heading: &Heading) -> usize {
    let start = source::line_end(text, heading.span.end).1;
    // Only a level-1 or level-2 heading without `#` has an underline.
    if heading.level > 2 || text[heading.span.start..].starts_with('#') {
        return start;
    }
    let (next_line_end, after_next_line) = source::line_end(text, start);
    let next_line = text[start..next_line_end].trim();
    let is_underline = !next_line.is_empty()
        && (next_line.bytes().all(|b| b == b'=') || next_line.bytes().all(|b| b == b'-'));
    if is_underline {
        after_next_line
    } else {
        start
    }
}

fn has_content(text: &str, body: Span, comments: &[Span]) -> bool {
    let mut at = body.start;
    let first = comments.partition_point(|c| c.end <= body.start);
    for comment in comments[first..].iter().take_while(|c| c.start < body.end) {
        if !text[at..comment.start.max(at)].trim().is_empty() {
            return true;
        }
        at = comment.end.min(body.end).max(at);
    }
    !text[at..body.end].trim().is_empty()
}

/// The lines of `text` outside fenced code blocks, each with the byte offset it starts at
/// and without its line ending. A quick look at a plan that needs no full parse (is this a
/// plan? what are its metadata and phases?) reads lines this way.
pub fn lines_outside_fences(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut fence: Option<&str> = None;
    source::lines(text).filter_map(move |(start, line)| {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            return None;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            return None;
        }
        Some((start, line))
    })
}

/// A bullet line's text after its marker (`-`, `*`, `+`, `1.` or `1)`) and the blanks
/// after it; `None` for a line that is no bullet.
pub fn item_body(line: &str) -> Option<&str> {
    let bytes = line.as_bytes();
    let marker = bytes
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'>'))?;
    let after_marker = match bytes[marker] {
        b'-' | b'*' | b'+' => marker + 1,
        b'0'..=b'9' => {
            let digits = bytes[marker..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits > 9 || !matches!(bytes.get(marker + digits), Some(b'.' | b')')) {
                return None;
            }
            marker + digits + 1
        }
        _ => return None,
    };
    let blanks = bytes[after_marker..]
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    (blanks > 0).then(|| &line[after_marker + blanks..])
}

/// Reads `- **Name**: value` from a bullet's first line, the line starting at byte
/// `line_start` of its file. Written out rather than as a regex: it runs on every list
/// item of every plan.
pub fn bold_field(line: &str, line_start: usize) -> Option<Field<'_>> {
    let after_space = item_body(line)?;
    let inner = after_space.strip_prefix("**")?;
    // The name holds no `*`: its end is the first one, which must begin the closing `**`.
    let name_end = memchr::memchr(b'*', inner.as_bytes())?;
    if inner.as_bytes().get(name_end + 1) != Some(&b'*') {
        return None;
    }
    // The colon may stand inside the bold (`**Field:** value`) or after it.
    let (name, colon_inside) = match inner[..name_end].strip_suffix(':') {
        Some(name) => (name, true),
        None => (&inner[..name_end], false),
    };
    let last = name.chars().next_back()?;
    if name.contains(['\n', '\r']) || last.is_whitespace() || last == ':' {
        return None;
    }
    let after_name = &inner[name_end + 2..];
    let raw_value = if colon_inside {
        after_name
    } else {
        let blanks = after_name
            .bytes()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        after_name[blanks..].strip_prefix(':')?
    };
    let offset = |part: &str| line_start + (part.as_ptr() as usize - line.as_ptr() as usize);
    // The name ends in no blank (above): only its start is trimmed.
    let name_text = name.trim_start();
    let value_text = raw_value.trim();
    let (name_at, value_at) = (offset(name_text), offset(value_text));
    Some(Field {
        name: name_text,
        name_span: Span::new(name_at, name_at + name_text.len()),
        value: value_text,
        value_span: Span::new(value_at, value_at + value_text.len()),
    })
}

#[cfg(test)]
mod tests;
