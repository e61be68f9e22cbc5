//! Flow and theme items, read by their lead: the ids, flow files and theme names they
//! name, and the context mode.

use std::ops::Range;

use crate::plan::{ItemText, Plan};

use super::{items_under, reference, References};

pub(super) fn flows<'t>(plan: &Plan<'t>, text: &'t str, refs: &mut References<'t>) {
    for item in items_under(plan, "Flow Integration", "Required Project Flows") {
        let item = plan.text_of(item);
        refs.flows.extend(
            flow_ids(&item)
                .into_iter()
                .map(|id| reference(text, &item, id)),
        );
        refs.flow_files.extend(
            flow_files(&item)
                .into_iter()
                .map(|file| reference(text, &item, file)),
        );
    }
}

pub(super) fn themes<'t>(plan: &Plan<'t>, text: &'t str, refs: &mut References<'t>) {
    for name in ["Primary Theme", "Related Themes"] {
        for item in items_under(plan, "Theme Integration", name) {
            let item = plan.text_of(item);
            refs.themes.extend(
                theme_names(&item)
                    .into_iter()
                    .map(|name| reference(text, &item, name)),
            );
        }
    }
}

/// Leads that name no reference themselves: the item's references follow their `:`.
pub(super) const LABELS: [&str; 11] = [
    "Theme",
    "Themes",
    "Primary",
    "Primary Theme",
    "Related",
    "Related Themes",
    "Main theme",
    "Flow",
    "Flows",
    "Required flows",
    "Flow ID",
];

/// An id word: one word of `[A-Za-z0-9_-]`.
pub(super) fn is_id_word(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Where the first of `ends` stands in `item`'s text at or after `from`, outside inline
/// code; each of `ends` says whether the text from a place begins with it.
pub(super) fn find_outside_code(
    item: &ItemText,
    from: usize,
    ends: impl Fn(&str) -> bool,
) -> Option<usize> {
    let text = item.as_str();
    text.get(from..)?
        .char_indices()
        .map(|(at, _)| from + at)
        .find(|&at| !item.in_code(at) && ends(&text[at..]))
}

pub(super) fn ends_lead(rest: &str) -> bool {
    (rest.starts_with(':') && !rest.starts_with("://"))
        || rest.starts_with(" - ")
        || rest.starts_with(" — ")
        || rest.starts_with(" (")
}

/// A label's value ends where the lead would, but for `:`, or at a sentence end.
pub(super) fn ends_label_value(rest: &str) -> bool {
    let sentence_end = rest
        .strip_prefix('.')
        .is_some_and(|after| after.is_empty() || after.starts_with(char::is_whitespace));
    sentence_end || rest.starts_with(" - ") || rest.starts_with(" — ") || rest.starts_with(" (")
}

/// `range` of `text` without the white space at its edges.
pub(super) fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let part = &text[range.clone()];
    let start = range.start + (part.len() - part.trim_start().len());
    start..start.max(range.start + part.trim_end().len())
}

/// The part of an item that names its references, as a range of its text: its lead (the
/// text before its first `:`, ` - `, ` — ` or ` (` outside inline code, a `:` that begins
/// `://` aside), or after a label lead and its `:`, the label's value. `None` for a label
/// without a value.
pub(super) fn named_part(item: &ItemText) -> Option<Range<usize>> {
    let text = item.as_str();
    let lead_end = find_outside_code(item, 0, ends_lead).unwrap_or(text.len());
    let lead = trimmed(text, 0..lead_end);
    let is_label = !item.has_code(lead.clone())
        && LABELS
            .iter()
            .any(|label| label.eq_ignore_ascii_case(&text[lead.clone()]));
    if !is_label {
        return Some(0..lead_end);
    }
    if !text[lead_end..].starts_with(':') {
        return None;
    }
    let from = lead_end + 1;
    let end = find_outside_code(item, from, ends_label_value).unwrap_or(text.len());
    Some(from..end)
}

/// One piece of a lead: the lead split on commas (outside inline code), trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
    /// An id word written plain.
    Plain(Range<usize>),
    /// An id word written as one code span.
    Code(Range<usize>),
    /// Anything else: spaces, `.`, `/`, code and text together.
    Prose,
}

pub(super) fn pieces(item: &ItemText, part: Range<usize>) -> Vec<Piece> {
    let text = item.as_str();
    let mut commas: Vec<usize> = text[part.clone()]
        .match_indices(',')
        .map(|(at, _)| part.start + at)
        .filter(|&at| !item.in_code(at))
        .collect();
    commas.push(part.end);
    let mut from = part.start;
    commas
        .into_iter()
        .map(|comma| {
            let range = trimmed(text, from..comma);
            from = comma + 1;
            if !is_id_word(&text[range.clone()]) {
                return Piece::Prose;
            }
            let code = item
                .code_spans()
                .find(|code| code.start < range.end && range.start < code.end);
            match code {
                None => Piece::Plain(range),
                Some(code) if code == range => Piece::Code(range),
                Some(_) => Piece::Prose,
            }
        })
        .collect()
}

/// The flow ids of an item of Required Project Flows: the pieces of its lead that are code
/// spans or plain words ending in `-flow`, and anywhere in it a code span that is an id
/// word ending in `-flow`.
pub(super) fn flow_ids(item: &ItemText) -> Vec<Range<usize>> {
    let text = item.as_str();
    let mut ids: Vec<Range<usize>> = named_part(item)
        .map(|part| pieces(item, part))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Code(id) => Some(id),
            Piece::Plain(id) if text[id.clone()].ends_with("-flow") => Some(id),
            _ => None,
        })
        .collect();
    for code in item.code_spans() {
        let word = &text[code.clone()];
        if is_id_word(word) && word.ends_with("-flow") && !ids.contains(&code) {
            ids.push(code);
        }
    }
    ids.sort_by_key(|id| id.start);
    ids
}

/// A character that continues a path or a file name.
pub(super) fn is_path_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '\\' | '~')
}

/// The flow files an item of Required Project Flows names: each `<name>-flow.json`, in
/// code or not, that stands alone or right under `ProjectFlow/`, as the file name alone.
/// One inside another path (`src/flows/auth-flow.json`) is prose.
pub(super) fn flow_files(item: &ItemText) -> Vec<Range<usize>> {
    const SUFFIX: &str = "-flow.json";
    const FOLDER: &str = "ProjectFlow/";
    let text = item.as_str();
    let mut files: Vec<Range<usize>> = Vec::new();
    for (at, _) in text.match_indices(SUFFIX) {
        // The path the name stands in, within its code span or within the text between two.
        let code_spans = item.code_spans();
        let (mut run_start, mut run_end) = (0, text.len());
        for code in code_spans {
            if code.contains(&at) {
                (run_start, run_end) = (code.start, code.end);
                break;
            }
            if code.end <= at {
                run_start = code.end;
            } else {
                run_end = code.start;
                break;
            }
        }
        let start = text[run_start..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| !is_path_char(c))
            .map_or(run_start, |(i, c)| run_start + i + c.len_utf8());
        let after = at + SUFFIX.len();
        if after > run_end {
            continue; // half in inline code, half out
        }
        let end = text[after..run_end]
            .char_indices()
            .find(|&(_, c)| !is_path_char(c))
            .map_or(run_end, |(i, _)| after + i);
        // A sentence's full stop ends the name.
        let end = start + text[start..end].trim_end_matches('.').len();
        let path = &text[start..end];
        let file_start = if path.starts_with(FOLDER) {
            start + FOLDER.len()
        } else {
            start
        };
        let is_file = text[file_start..end]
            .strip_suffix(SUFFIX)
            .is_some_and(is_id_word);
        if is_file && files.last() != Some(&(file_start..end)) {
            files.push(file_start..end);
        }
    }
    files
}

/// The theme names of an item under Primary Theme or Related Themes: every piece of its
/// lead when each is an id word; none when one is prose, or the item is the context mode.
pub(super) fn theme_names(item: &ItemText) -> Vec<Range<usize>> {
    if context_mode(item).is_some() {
        return Vec::new();
    }
    let Some(part) = named_part(item) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for piece in pieces(item, part) {
        match piece {
            Piece::Plain(name) | Piece::Code(name) => names.push(name),
            Piece::Prose => return Vec::new(),
        }
    }
    names
}

/// The item `Context mode recommendation: <mode>` or `Context mode recommendation (<mode>)`
/// (`context-mode`, without `recommendation`, in any case and emphasis): the mode, as a range
/// of the item's text, plain or one code span; empty where none is written. `None` for
/// any other item.
pub fn context_mode(item: &ItemText) -> Option<Range<usize>> {
    let text = item.as_str();
    let bytes = text.as_bytes();
    let word = |at: usize, word: &str| {
        bytes
            .get(at..at + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    };
    let blanks = |at: usize| {
        bytes.get(at..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_whitespace()).count()
        })
    };
    let mut at = blanks(0);
    if !word(at, "context") || !matches!(bytes.get(at + 7), Some(b' ' | b'-')) {
        return None;
    }
    at += 8;
    if !word(at, "mode") {
        return None;
    }
    at += 4;
    if blanks(at) > 0 && word(at + blanks(at), "recommendation") {
        at += blanks(at) + "recommendation".len();
    }
    at += blanks(at);
    if !matches!(bytes.get(at), Some(b':' | b'(')) {
        return None;
    }
    at += 1;
    at += blanks(at);
    if let Some(code) = item.code_spans().find(|code| code.start == at) {
        return Some(code);
    }
    let end = find_outside_code(item, at, |rest| {
        rest.starts_with(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
    })
    .unwrap_or(text.len());
    let end = item
        .code_spans()
        .find(|code| code.start > at && code.start < end)
        .map_or(end, |code| code.start);
    Some(at..at + text[at..end].trim_end_matches(['.', ':']).len())
}
