//! What a plan names in other files: task ids, flow ids, flow files and themes, each with
//! the span of the very id, read from the model as `layout.md` defines.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::plan::names::is_task_id;
use crate::plan::Span;
use crate::plan::{ItemText, ListItem, Plan, PlanKind};
use crate::schema::Schema;
use crate::template::Placeholders;

/// An id as the plan writes it: a slice of its text (pulldown-cmark's own string for a code
/// span it had to rewrite), so naming a reference allocates nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference<'t> {
    pub id: Cow<'t, str>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskOrigin {
    RelatedTasks,
    PhaseTasks,
    OriginalTask,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskReference<'t> {
    pub id: Cow<'t, str>,
    pub span: Span,
    pub origin: TaskOrigin,
}

#[derive(Debug, Default, Clone)]
pub struct References<'t> {
    pub tasks: Vec<TaskReference<'t>>,
    /// Items of Related Tasks, and `TASK-` words elsewhere, that are no valid task id.
    pub malformed_tasks: Vec<Reference<'t>>,
    pub flows: Vec<Reference<'t>>,
    pub flow_files: Vec<Reference<'t>>,
    pub themes: Vec<Reference<'t>>,
}

impl References<'_> {
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
            && self.flows.is_empty()
            && self.flow_files.is_empty()
            && self.themes.is_empty()
    }
}

/// The `TASK-`, `HIGH-TASK-` and `SQ-` words of `text`, each with where it starts. A word is
/// a whole hyphenated word: `SQ-TASK-…` and `HIGH-TASK-…` are read whole, and a word that
/// only holds `TASK-` inside it (`PROJ-TASK-12`) is none.
fn task_words(text: &str) -> Vec<(usize, &str)> {
    static WORD: OnceLock<Regex> = OnceLock::new();
    // invariant: a constant pattern, tested by `task_words_are_whole_hyphenated_words`.
    #[allow(clippy::unwrap_used)]
    let word = WORD.get_or_init(|| Regex::new(r"(?:HIGH-TASK-|TASK-|SQ-)[\pL\pN-]*").unwrap());
    word.find_iter(text)
        .filter(|m| {
            let before = text[..m.start()].chars().next_back();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '-')
        })
        .map(|m| (m.start(), m.as_str().trim_end_matches('-')))
        .collect()
}

/// What `plan` names. A placeholder names nothing: it is PC108's.
pub fn extract<'t>(
    plan: &Plan<'t>,
    text: &'t str,
    schema: &Schema,
    placeholders: &Placeholders,
) -> References<'t> {
    let mut refs = References::default();
    let mut claimed: Vec<Span> = Vec::new();
    related_tasks(plan, text, placeholders, &mut refs, &mut claimed);
    if plan.kind() == PlanKind::HighPriority {
        if let Some(field) = plan.field("Original Task") {
            claimed.push(field.value_span);
            let value = field.value.trim_matches('`');
            if !value.is_empty() && !placeholders.overlaps(field.value_span) {
                let at = offset_in(text, value);
                let span = Span::new(at, at + value.len());
                push_task(&mut refs, value, span, TaskOrigin::OriginalTask);
            }
        }
    }
    phase_tasks(plan, text, schema, placeholders, &mut refs, &mut claimed);
    stray_task_words(plan, text, placeholders, &mut refs, &claimed);
    flows(plan, text, &mut refs);
    themes(plan, text, &mut refs);
    refs
}

fn push_task<'t>(refs: &mut References<'t>, id: &'t str, span: Span, origin: TaskOrigin) {
    if is_task_id(id) {
        refs.tasks.push(TaskReference {
            id: Cow::Borrowed(id),
            span,
            origin,
        });
    } else {
        refs.malformed_tasks.push(Reference {
            id: Cow::Borrowed(id),
            span,
        });
    }
}

fn related_tasks<'t>(
    plan: &Plan<'t>,
    text: &'t str,
    placeholders: &Placeholders,
    refs: &mut References<'t>,
    claimed: &mut Vec<Span>,
) {
    let Some(field) = plan.field("Related Tasks") else {
        return;
    };
    claimed.push(field.value_span);
    if placeholders.overlaps(field.value_span) {
        return;
    }
    let value = &text[field.value_span.range()];
    let inner = value.trim_start_matches('[').trim_end_matches(']').trim();
    if inner.is_empty() || inner.eq_ignore_ascii_case("none") || inner.eq_ignore_ascii_case("n/a") {
        return;
    }
    for piece in inner.split(|c: char| c == ',' || c.is_whitespace()) {
        let id = piece.trim_matches('`');
        if id.is_empty() {
            continue;
        }
        let offset = offset_in(text, id);
        push_task(
            refs,
            id,
            Span::new(offset, offset + id.len()),
            TaskOrigin::RelatedTasks,
        );
    }
}

fn phase_tasks<'t>(
    plan: &Plan<'t>,
    text: &'t str,
    schema: &Schema,
    placeholders: &Placeholders,
    refs: &mut References<'t>,
    claimed: &mut Vec<Span>,
) {
    let phases_name = &schema.for_kind(plan.kind()).phases_section;
    let Some(phases) = plan.section(phases_name) else {
        return;
    };
    let items = plan.items_within(phases);
    for (i, item) in items.iter().enumerate() {
        let Some(field) = &item.field else { continue };
        if !field.name.eq_ignore_ascii_case("Tasks")
            && !field.name.eq_ignore_ascii_case("Priority Tasks")
        {
            continue;
        }
        // The bullet and whatever is nested below it.
        let end = items[i + 1..]
            .iter()
            .find(|next| !item.span.contains(next.span))
            .map_or(item.span.end, |next| next.span.start.min(item.span.end));
        let body = Span::new(field.value_span.start, end.max(field.value_span.start));
        claimed.push(body);
        for (offset, word) in task_words(&text[body.range()]) {
            let start = body.start + offset;
            let span = Span::new(start, start + word.len());
            if plan.in_code(span) || placeholders.overlaps(span) {
                continue;
            }
            push_task(refs, word, span, TaskOrigin::PhaseTasks);
        }
    }
}

/// `TASK-` words outside the places that reference tasks: malformed ones are still mistakes.
fn stray_task_words<'t>(
    plan: &Plan<'t>,
    text: &'t str,
    placeholders: &Placeholders,
    refs: &mut References<'t>,
    claimed: &[Span],
) {
    for (start, word) in task_words(text) {
        let span = Span::new(start, start + word.len());
        // The cheap tests first: most task words stand where tasks are named.
        if word.starts_with("SQ-")
            || claimed.iter().any(|c| c.contains(span))
            || is_task_id(word)
            || plan.in_code(span)
            || placeholders.overlaps(span)
        {
            continue;
        }
        refs.malformed_tasks.push(Reference {
            id: Cow::Borrowed(word),
            span,
        });
    }
}

/// The items under `### <name>` within `## <section>`.
fn items_under<'p, 't>(plan: &'p Plan<'t>, section: &str, name: &str) -> &'p [ListItem<'t>] {
    plan.section(section)
        .and_then(|s| plan.subsection(s, name))
        .map_or(&[], |h| plan.items_within(h))
}

/// Where `part`, a slice of `whole`, starts in it.
fn offset_in(whole: &str, part: &str) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

/// A reference at `range` of an item's text: the plan's own text where the file holds the
/// id as written (it nearly always does), else the id as read.
fn reference<'t>(text: &'t str, item: &ItemText, range: Range<usize>) -> Reference<'t> {
    let id = &item.as_str()[range.clone()];
    let span = item.source(range);
    let id = match text.get(span.range()) {
        Some(own) if own == id => Cow::Borrowed(own),
        _ => Cow::Owned(id.to_string()),
    };
    Reference { id, span }
}

fn flows<'t>(plan: &Plan<'t>, text: &'t str, refs: &mut References<'t>) {
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

fn themes<'t>(plan: &Plan<'t>, text: &'t str, refs: &mut References<'t>) {
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
const LABELS: [&str; 11] = [
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
fn is_id_word(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Where the first of `ends` stands in `item`'s text at or after `from`, outside inline
/// code; each of `ends` says whether the text from a place begins with it.
fn find_outside_code(item: &ItemText, from: usize, ends: impl Fn(&str) -> bool) -> Option<usize> {
    let text = item.as_str();
    text.get(from..)?
        .char_indices()
        .map(|(at, _)| from + at)
        .find(|&at| !item.in_code(at) && ends(&text[at..]))
}

fn ends_lead(rest: &str) -> bool {
    (rest.starts_with(':') && !rest.starts_with("://"))
        || rest.starts_with(" - ")
        || rest.starts_with(" — ")
        || rest.starts_with(" (")
}

/// A label's value ends where the lead would, but for `:`, or at a sentence end.
fn ends_label_value(rest: &str) -> bool {
    let sentence_end = rest
        .strip_prefix('.')
        .is_some_and(|after| after.is_empty() || after.starts_with(char::is_whitespace));
    sentence_end || rest.starts_with(" - ") || rest.starts_with(" — ") || rest.starts_with(" (")
}

/// `range` of `text` without the white space at its edges.
fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let part = &text[range.clone()];
    let start = range.start + (part.len() - part.trim_start().len());
    start..start.max(range.start + part.trim_end().len())
}

/// The part of an item that names its references, as a range of its text: its lead (the
/// text before its first `:`, ` - `, ` — ` or ` (` outside inline code, a `:` that begins
/// `://` aside), or after a label lead and its `:`, the label's value. `None` for a label
/// without a value.
fn named_part(item: &ItemText) -> Option<Range<usize>> {
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
enum Piece {
    /// An id word written plain.
    Plain(Range<usize>),
    /// An id word written as one code span.
    Code(Range<usize>),
    /// Anything else: spaces, `.`, `/`, code and text together.
    Prose,
}

fn pieces(item: &ItemText, part: Range<usize>) -> Vec<Piece> {
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
fn flow_ids(item: &ItemText) -> Vec<Range<usize>> {
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
fn is_path_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '\\' | '~')
}

/// The flow files an item of Required Project Flows names: each `<name>-flow.json`, in
/// code or not, that stands alone or right under `ProjectFlow/`, as the file name alone.
/// One inside another path (`src/flows/auth-flow.json`) is prose.
fn flow_files(item: &ItemText) -> Vec<Range<usize>> {
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
fn theme_names(item: &ItemText) -> Vec<Range<usize>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[test]
    fn task_words_are_whole_hyphenated_words() {
        let words = |text| -> Vec<&str> { task_words(text).into_iter().map(|(_, w)| w).collect() };
        assert_eq!(
            words("SQ-TASK-20250712T100000-001, HIGH-TASK-20250712T090000 and TASK-1."),
            [
                "SQ-TASK-20250712T100000-001",
                "HIGH-TASK-20250712T090000",
                "TASK-1"
            ]
        );
        assert!(words("PROJ-TASK-12 fooTASK-1 HIGH-SQ-1 x-SQ-2 task-3").is_empty());
        assert_eq!(
            words("_TASK-oops_ (TASK-2025é) TASK-"),
            ["TASK-oops", "TASK-2025é", "TASK"]
        );
        assert_eq!(task_words("see **TASK-9**")[0].0, 6);
    }

    fn refs(text: &str) -> References<'_> {
        let (plan, schema) = (parse(text, None), Schema::default_schema());
        let placeholders = Placeholders::find(&plan, text, &schema);
        extract(&plan, text, &schema, &placeholders)
    }

    fn ids<'a>(list: &'a [Reference<'_>]) -> Vec<&'a str> {
        list.iter().map(|r| &*r.id).collect()
    }

    #[test]
    fn reads_related_tasks_with_spans() {
        let text = "## Metadata\n- **Related Tasks**: [TASK-20250711T140000, TASK-9]\n";
        let refs = refs(text);
        assert_eq!(refs.tasks.len(), 1);
        assert_eq!(&text[refs.tasks[0].span.range()], "TASK-20250711T140000");
        assert_eq!(ids(&refs.malformed_tasks), ["TASK-9"]);
        let text =
            "## Metadata\n- **Related Tasks**: [ `TASK-20250711T140000` ,`SQ-x`,, ``TASK-1``]\n";
        let refs = self::refs(text);
        let spans: Vec<&str> = (refs.tasks.iter().map(|t| t.span))
            .chain(refs.malformed_tasks.iter().map(|t| t.span))
            .map(|span| &text[span.range()])
            .collect();
        assert_eq!(spans, ["TASK-20250711T140000", "SQ-x", "TASK-1"]);
        assert!(self::refs("## Metadata\n- **Related Tasks**: []\n")
            .tasks
            .is_empty());
        assert!(self::refs("## Metadata\n- **Related Tasks**: none\n")
            .tasks
            .is_empty());
    }

    #[test]
    fn reads_phase_tasks_and_stray_words() {
        let text = "## Phases\n### Phase 1: A\n- **Tasks**: TASK-20250711T140000 and SQ-20250711T140000-001\n  - TASK-20250711-140000\n\n## Notes\nTASK-oops was dropped; `TASK-x` is code.\n";
        let refs = refs(text);
        let tasks: Vec<&str> = refs.tasks.iter().map(|t| &*t.id).collect();
        assert_eq!(
            tasks,
            [
                "TASK-20250711T140000",
                "SQ-20250711T140000-001",
                "TASK-20250711-140000"
            ]
        );
        assert_eq!(ids(&refs.malformed_tasks), ["TASK-oops"]);
    }

    #[test]
    fn related_tasks_are_separated_by_commas_or_white_space() {
        let text = "## Metadata\n- **Related Tasks**: TASK-20250711T140000 TASK-20250711-140000,SQ-20250711T140000-001\tTASK-7\n";
        let refs = refs(text);
        let tasks: Vec<&str> = refs.tasks.iter().map(|t| &text[t.span.range()]).collect();
        assert_eq!(
            tasks,
            [
                "TASK-20250711T140000",
                "TASK-20250711-140000",
                "SQ-20250711T140000-001"
            ]
        );
        assert_eq!(ids(&refs.malformed_tasks), ["TASK-7"]);
        let text =
            "## Metadata\n- **Related Tasks**: [TASK-20250711T140000 TASK-20250712T140000]\n";
        assert_eq!(self::refs(text).tasks.len(), 2);
        for empty in ["[]", "none", "None", "n/a", "N/A", "[ n/a ]", ""] {
            let text = format!("## Metadata\n- **Related Tasks**: {empty}\n");
            let refs = self::refs(&text);
            assert!(
                refs.tasks.is_empty() && refs.malformed_tasks.is_empty(),
                "{empty}"
            );
        }
    }

    #[test]
    fn each_occurrence_is_its_own_reference() {
        let text = "## Metadata\n- **Related Tasks**: TASK-9, TASK-9\n\n## Phases\n### Phase 1: A\n- **Tasks**: TASK-20250711T140000, TASK-20250711T140000\n\n## Notes\n- TASK-9 again, and TASK-9\n";
        let refs = refs(text);
        assert_eq!(refs.tasks.len(), 2);
        let spans: Vec<usize> = refs.malformed_tasks.iter().map(|t| t.span.start).collect();
        assert_eq!(spans.len(), 4, "{spans:?}");
    }

    #[test]
    fn priority_tasks_of_an_h_plan_are_a_task_list() {
        let text = "# [HIGH PRIORITY] Implementation Plan: H-20250711T141500 - Fix\n\n## Implementation Phases\n### Phase 1: Stop the bleeding\n- **Priority Tasks**: HIGH-TASK-20250711T141500, SQ-TASK-20250712T100000-001\n  - TASK-20250711-140000\n";
        let refs = refs(text);
        let tasks: Vec<(&str, TaskOrigin)> =
            refs.tasks.iter().map(|t| (&*t.id, t.origin)).collect();
        assert_eq!(
            tasks,
            [
                ("HIGH-TASK-20250711T141500", TaskOrigin::PhaseTasks),
                ("SQ-TASK-20250712T100000-001", TaskOrigin::PhaseTasks),
                ("TASK-20250711-140000", TaskOrigin::PhaseTasks),
            ]
        );
        assert!(refs.malformed_tasks.is_empty());
    }

    #[test]
    fn code_is_not_searched_for_malformed_ids_and_other_words_are_not_task_words() {
        let text = "## Notes\n- `TASK-x` and ``TASK-y``\n\n```\nTASK-z\n```\n\n    TASK-indented\n\n- PROJ-TASK-12, JIRA-SQ-1, fooTASK-1\n- SQ-TASK-oops and HIGH-TASK-oops\n";
        let refs = refs(text);
        assert_eq!(ids(&refs.malformed_tasks), ["HIGH-TASK-oops"]);
    }

    /// The plan of one list under `heading` (`Required Project Flows`, `Primary Theme`…).
    fn list(heading: &str, items: &str) -> String {
        let section = if heading.contains("Flow") {
            "Flow Integration"
        } else {
            "Theme Integration"
        };
        format!("## {section}\n### {heading}\n{items}")
    }

    /// The ids read from `items` under `heading`, each as its span shows it in the file
    /// (which must be the id itself): flows, then flow files, then themes.
    fn read(heading: &str, items: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
        let text = list(heading, items);
        let refs = refs(&text);
        let shown = |list: &[Reference]| -> Vec<String> {
            list.iter()
                .map(|r| {
                    assert_eq!(
                        &text[r.span.range()],
                        r.id,
                        "span of {:?} in {items:?}",
                        r.id
                    );
                    r.id.to_string()
                })
                .collect()
        };
        (
            shown(&refs.flows),
            shown(&refs.flow_files),
            shown(&refs.themes),
        )
    }

    fn flows_in(items: &str) -> (Vec<String>, Vec<String>) {
        let (flows, files, _) = read("Required Project Flows", items);
        (flows, files)
    }

    fn themes_in(items: &str) -> Vec<String> {
        read("Related Themes", items).2
    }

    fn strings(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|id| id.to_string()).collect()
    }

    /// Every flows-list example of layout.md, verbatim.
    #[test]
    fn reads_flows_as_layout_md_shows() {
        let cases: [(&str, &[&str], &[&str]); 12] = [
            ("- `user-login-flow`: complete\n", &["user-login-flow"], &[]),
            (
                "- user-login-flow (auth-flow.json): complete\n",
                &["user-login-flow"],
                &["auth-flow.json"],
            ),
            (
                "- **user-login-flow**: complete\n",
                &["user-login-flow"],
                &[],
            ),
            (
                "- login-flow, logout-flow\n",
                &["login-flow", "logout-flow"],
                &[],
            ),
            (
                "- Flows: login-flow, logout-flow\n",
                &["login-flow", "logout-flow"],
                &[],
            ),
            ("- Rollout: see `src/telemetry/client.ts`\n", &[], &[]),
            ("- Keep `auth-flow` stable\n", &["auth-flow"], &[]),
            ("- `admin-flow.json`\n", &[], &["admin-flow.json"]),
            ("- auth-flow.json\n", &[], &["auth-flow.json"]),
            ("- ProjectFlow/auth-flow.json\n", &[], &["auth-flow.json"]),
            (
                "- `ProjectFlow/auth-flow.json`: pending\n",
                &[],
                &["auth-flow.json"],
            ),
            ("- `src/flows/auth-flow.json` is parsed here\n", &[], &[]),
        ];
        for (items, flows, files) in cases {
            assert_eq!(
                flows_in(items),
                (strings(flows), strings(files)),
                "{items:?}"
            );
        }
    }

    /// Every themes-list example of layout.md, verbatim.
    #[test]
    fn reads_themes_as_layout_md_shows() {
        let cases: [(&str, &[&str]); 9] = [
            ("- authentication\n", &["authentication"]),
            ("- `caching`\n", &["caching"]),
            ("- **caching**: why…\n", &["caching"]),
            (
                "- user-management, security\n",
                &["user-management", "security"],
            ),
            ("- Keep the token service backward compatible\n", &[]),
            ("- **Theme**: authentication\n", &["authentication"]),
            ("- **caching**: warmed by `cache::warm()`\n", &["caching"]),
            ("- Keep `auth-flow` stable\n", &[]),
            ("- **caching:** why\n", &["caching"]),
        ];
        for (items, themes) in cases {
            assert_eq!(themes_in(items), strings(themes), "{items:?}");
        }
        assert_eq!(
            read("Primary Theme", "- user_management\n").2,
            ["user_management"]
        );
    }

    /// The issue's two items: the code spans in their prose are paths, not references.
    #[test]
    fn code_spans_in_prose_are_no_references() {
        assert_eq!(
            themes_in("- **caching**: warmed by `src/cache/warm.rs`\n"),
            ["caching"]
        );
        assert_eq!(
            flows_in("- checkout-flow (checkout-flow.json): blocked - see `services/pay/api.go`\n"),
            (
                strings(&["checkout-flow"]),
                strings(&["checkout-flow.json"])
            )
        );
        assert_eq!(
            flows_in("- Payments: run `make test` in `services/pay`, then `pay.sh --flow`\n"),
            (vec![], vec![])
        );
        assert!(themes_in("- Shared files: `src/api/mod.rs`, `Cargo.toml`\n").is_empty());
    }

    #[test]
    fn label_leads_read_their_value_up_to_a_delimiter_or_sentence_end() {
        for (items, themes) in [
            (
                "- **Themes:** caching, security\n",
                &["caching", "security"][..],
            ),
            (
                "- _Primary theme_: authentication. It covers sessions.\n",
                &["authentication"],
            ),
            ("- Main theme: authentication.\n", &["authentication"]),
            ("- RELATED: `caching` - warm paths\n", &["caching"]),
            (
                "- Related Themes: caching (warm paths), security\n",
                &["caching"],
            ),
            ("- Theme: api v1.2\n", &[]),
            ("- Theme: v1.2\n", &[]),
            ("- Themes:\n", &[]),
            ("- Primary\n", &[]),
            ("- **Related** — caching\n", &[]),
        ] {
            assert_eq!(themes_in(items), strings(themes), "{items:?}");
        }
        for (items, flows) in [
            (
                "- **Flow ID**: `user-login-flow`\n",
                &["user-login-flow"][..],
            ),
            (
                "- Required flows: login-flow, `logout-flow` — both pending\n",
                &["login-flow", "logout-flow"],
            ),
            (
                "- flow: checkout-flow. Blocked on `payments`.\n",
                &["checkout-flow"],
            ),
        ] {
            assert_eq!(flows_in(items).0, strings(flows), "{items:?}");
        }
    }

    #[test]
    fn urls_links_dashes_and_unicode() {
        assert!(themes_in("- https://wiki.example.com/themes/caching\n").is_empty());
        assert_eq!(
            themes_in("- authentication (https://wiki.example.com/auth)\n"),
            ["authentication"]
        );
        assert_eq!(
            themes_in("- [caching](https://wiki.example.com/caching): hot paths\n"),
            ["caching"]
        );
        assert_eq!(
            themes_in("- authentication — sessions and tokens\n"),
            ["authentication"]
        );
        assert_eq!(
            themes_in("- authentification — gère les « sessions »\n"),
            ["authentification"]
        );
        assert!(themes_in("- sécurité\n").is_empty());
        assert!(themes_in("- see https://wiki.example.com: notes\n").is_empty());
        assert_eq!(
            flows_in("- login-flow — see https://wiki.example.com/flows/login-flow.json\n"),
            (strings(&["login-flow"]), vec![])
        );
        assert_eq!(
            flows_in("- [login-flow](https://wiki.example.com/login) (login-flow.json)\n"),
            (strings(&["login-flow"]), strings(&["login-flow.json"]))
        );
        assert_eq!(
            flows_in("- paiement-flow — paiement réussi ✓\n").0,
            ["paiement-flow"]
        );
        assert_eq!(
            flows_in(
                "- see docs: `a-flow.json`, ProjectFlow/b-flow.json. Not x/c-flow.json or d-flow.json.bak\n"
            )
            .1,
            ["a-flow.json", "b-flow.json"]
        );
    }

    #[test]
    fn nested_items_are_items_of_their_own() {
        let items = "- Related:\n  - caching\n  - `security`: tokens\n- Keep the API stable\n  - user-management\n";
        assert_eq!(themes_in(items), ["caching", "security", "user-management"]);
        let items = "- Flows:\n  - `login-flow`\n  - logout-flow (auth-flow.json)\n- Payments - see `pay-flow`\n";
        assert_eq!(
            flows_in(items),
            (
                strings(&["login-flow", "logout-flow", "pay-flow"]),
                strings(&["auth-flow.json"])
            )
        );
    }

    #[test]
    fn reads_crlf_plans() {
        let items =
            "- **caching**: warmed by `src/cache/warm.rs`\r\n- user-management,\r\n  security\r\n";
        assert_eq!(themes_in(items), ["caching", "user-management", "security"]);
        let items = "- checkout-flow (checkout-flow.json): blocked\r\n  - `refund-flow`\r\n";
        assert_eq!(
            flows_in(items),
            (
                strings(&["checkout-flow", "refund-flow"]),
                strings(&["checkout-flow.json"])
            )
        );
    }

    #[test]
    fn an_escaped_id_points_at_what_the_file_writes() {
        let text = list("Related Themes", "- user\\_management\n");
        let refs = refs(&text);
        assert_eq!(refs.themes.len(), 1);
        assert_eq!(refs.themes[0].id, "user_management");
        assert_eq!(&text[refs.themes[0].span.range()], "user\\_management");
    }

    #[test]
    fn the_context_mode_is_no_theme() {
        for items in [
            "- Context mode recommendation: theme-focused\n",
            "- **Context mode recommendation:** `project-wide`\n",
            "- *Context mode recommendation* (theme-expanded)\n",
            "- context-mode: bogus\n",
        ] {
            assert!(read("Primary Theme", items).2.is_empty(), "{items:?}");
        }
    }

    /// The mode of a context-mode item, as its span shows it; `None` for another item.
    fn mode_of(item: &str) -> Option<String> {
        let plan = parse(item, None);
        let text = plan.text_of(&plan.items[0]);
        context_mode(&text).map(|mode| item[text.source(mode).range()].to_string())
    }

    #[test]
    fn reads_the_context_mode_in_each_form() {
        for (item, mode) in [
            (
                "- Context mode recommendation: theme-focused",
                Some("theme-focused"),
            ),
            (
                "- **Context mode recommendation:** _theme-expanded_.",
                Some("theme-expanded"),
            ),
            (
                "- Context mode recommendation: `project-wide`",
                Some("project-wide"),
            ),
            (
                "- Context mode recommendation (theme-focused)",
                Some("theme-focused"),
            ),
            (
                "- _Context Mode_ (`theme-expanded`): because",
                Some("theme-expanded"),
            ),
            (
                "- CONTEXT-MODE: project-wide, as agreed",
                Some("project-wide"),
            ),
            ("- Context mode recommendation:", Some("")),
            (
                "- Context mode recommendation (theme-focused/theme-expanded/project-wide)",
                Some("theme-focused/theme-expanded/project-wide"),
            ),
            ("- Context mode is theme-focused", None),
            ("- The context mode: x", None),
        ] {
            assert_eq!(mode_of(item).as_deref(), mode, "{item:?}");
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn reading_any_item_never_panics(item in "([-:,.()/`*_\\[\\] —é\r\n]|[a-c]|-flow|\\.json|ProjectFlow/|://|Theme|Context mode recommendation| - ){0,40}") {
                for heading in ["Required Project Flows", "Primary Theme"] {
                    let text = list(heading, &format!("- {item}\n  - {item}\n"));
                    let refs = refs(&text);
                    for r in refs.flows.iter().chain(&refs.flow_files).chain(&refs.themes) {
                        prop_assert!(text.get(r.span.range()).is_some());
                    }
                    let plan = parse(&text, None);
                    for item in &plan.items {
                        let _ = context_mode(&plan.text_of(item));
                    }
                }
            }
        }
    }
}
