//! What a plan names in other files: task ids, flow ids, flow files and themes, each with
//! the span of the very id, read from the model as `layout.md` defines.

use std::borrow::Cow;
use std::sync::{LazyLock, OnceLock};

use memchr::memmem::Finder;
use regex::Regex;

use crate::pattern::Pattern;
use crate::plan::{ListItem, Plan, PlanKind};
use crate::schema::Schema;
use crate::source::Span;

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

const TIMESTAMP: &str = r"(?:\d{8}T\d{6}|\d{8}-\d{6}|\d{4}-\d{2}-\d{2}-\d{6})";

/// Whether `id` is a task or sidequest id of one of the accepted forms. An ASCII id, as
/// nearly all are, is read directly (it runs for every task a plan names); the pattern
/// decides the rest, its `\d` being any Unicode digit.
pub fn is_task_id(id: &str) -> bool {
    if id.is_ascii() {
        is_ascii_task_id(id.as_bytes())
    } else {
        task_id_pattern().is_match(id)
    }
}

fn task_id_pattern() -> &'static Regex {
    static ID: OnceLock<Regex> = OnceLock::new();
    // invariant: a constant pattern, tested by `knows_task_ids`.
    #[allow(clippy::unwrap_used)]
    ID.get_or_init(|| {
        Regex::new(&format!(
            r"^(?:(?:HIGH-)?TASK-{TIMESTAMP}|SQ-(?:TASK-)?{TIMESTAMP}-\d{{3,6}})$"
        ))
        .unwrap()
    })
}

/// The forms of [`TIMESTAMP`], `d` standing for a digit.
const TIMESTAMP_FORMS: [&[u8]; 3] = [b"ddddddddTdddddd", b"dddddddd-dddddd", b"dddd-dd-dd-dddddd"];

fn is_ascii_task_id(id: &[u8]) -> bool {
    let starts_with_form = |text: &[u8], form: &[u8]| {
        text.len() >= form.len()
            && (text.iter().zip(form)).all(|(&c, &f)| {
                if f == b'd' {
                    c.is_ascii_digit()
                } else {
                    c == f
                }
            })
    };
    if let Some(stamp) = (id.strip_prefix(b"HIGH-TASK-")).or_else(|| id.strip_prefix(b"TASK-")) {
        return (TIMESTAMP_FORMS.iter())
            .any(|f| stamp.len() == f.len() && starts_with_form(stamp, f));
    }
    let Some(rest) = id.strip_prefix(b"SQ-") else {
        return false;
    };
    let stamp = rest.strip_prefix(b"TASK-").unwrap_or(rest);
    TIMESTAMP_FORMS.iter().any(|f| {
        starts_with_form(stamp, f)
            && stamp[f.len()..].strip_prefix(b"-").is_some_and(|number| {
                (3..=6).contains(&number.len()) && number.iter().all(u8::is_ascii_digit)
            })
    })
}

/// Words that look meant as task ids: `TASK-…`, `HIGH-TASK-…`, `SQ-…`.
fn task_words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    task_word_matches(text).filter_map(move |(start, end)| {
        let s = text[start..end].trim_end_matches('-');
        // `SQ-TASK-…` and `HIGH-TASK-…` are found whole, never from their inner `TASK-`.
        let before = &text[..start];
        let inner = before.ends_with("SQ-") || before.ends_with("HIGH-");
        (!inner && !s.is_empty()).then_some((start, s))
    })
}

/// Where the pattern `(?-u:\b)(?:HIGH-TASK-|TASK-|SQ-)[A-Za-z0-9-]*` matches, found by its
/// literals (a SIMD search each, over the whole plan) rather than by the pattern's engine,
/// whose setup costs more than the search in a plan of a few kilobytes.
fn task_word_matches(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let at_word_start = |at: usize| at == 0 || !is_word_byte(bytes[at - 1]);
    // A `TASK-` begins a match there, or five bytes before when a `HIGH-` starts the word.
    // Built once: a searcher's setup costs as much as a search of a task list.
    static TASK: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"TASK-"));
    static SIDEQUEST: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"SQ-"));
    let tasks = TASK.find_iter(bytes).filter_map(move |at| {
        let high = at
            .checked_sub(5)
            .filter(|&h| &bytes[h..at] == b"HIGH-" && at_word_start(h));
        match high {
            Some(h) => Some((h, at + 5)),
            None => at_word_start(at).then_some((at, at + 5)),
        }
    });
    let sidequests = SIDEQUEST
        .find_iter(bytes)
        .filter(move |&at| at_word_start(at))
        .map(|at| (at, at + 3));
    let mut tasks = tasks.peekable();
    let mut sidequests = sidequests.peekable();
    let mut resume = 0;
    std::iter::from_fn(move || loop {
        let next = match (tasks.peek(), sidequests.peek()) {
            (Some(task), Some(sidequest)) if sidequest.0 < task.0 => sidequests.next(),
            (Some(_), _) => tasks.next(),
            (None, _) => sidequests.next(),
        };
        let (start, literal_end) = next?;
        // A match takes every letter, digit and dash after it: literals inside it are not
        // searched again.
        if start < resume {
            continue;
        }
        let tail = bytes[literal_end..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'-')
            .count();
        resume = literal_end + tail;
        return Some((start, resume));
    })
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

pub fn extract<'t>(plan: &Plan<'t>, text: &'t str, schema: &Schema) -> References<'t> {
    let mut refs = References::default();
    let mut claimed: Vec<Span> = Vec::new();
    related_tasks(plan, text, schema, &mut refs, &mut claimed);
    if plan.kind() == PlanKind::HighPriority {
        if let Some(field) = plan.field("Original Task") {
            claimed.push(field.value_span);
            let value = field.value.trim_matches('`');
            if !value.is_empty() && !schema.has_placeholder(value) {
                let at = offset_in(text, value);
                let span = Span::new(at, at + value.len());
                push_task(&mut refs, value, span, TaskOrigin::OriginalTask);
            }
        }
    }
    phase_tasks(plan, text, schema, &mut refs, &mut claimed);
    stray_task_words(plan, text, schema, &mut refs, &claimed);
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
    schema: &Schema,
    refs: &mut References<'t>,
    claimed: &mut Vec<Span>,
) {
    let Some(field) = plan.field("Related Tasks") else {
        return;
    };
    claimed.push(field.value_span);
    if schema.has_placeholder(field.value) {
        return; // PC108's
    }
    let value = &text[field.value_span.range()];
    let inner = value.trim_start_matches('[').trim_end_matches(']');
    if inner.trim().is_empty() || inner.trim().eq_ignore_ascii_case("none") {
        return;
    }
    for piece in inner.split(',') {
        let id = piece.trim().trim_matches('`');
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
            if plan.in_code(span) || schema.has_placeholder(word) {
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
    schema: &Schema,
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
            || in_placeholder(text, span, schema)
        {
            continue;
        }
        refs.malformed_tasks.push(Reference {
            id: Cow::Borrowed(word),
            span,
        });
    }
}

fn in_placeholder(text: &str, span: Span, schema: &Schema) -> bool {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    schema
        .placeholder
        .local()
        .find_iter(&text[line_start..line_end])
        .any(|m| Span::new(line_start + m.start(), line_start + m.end()).contains(span))
}

/// The items under `### <name>` within `## <section>`.
fn items_under<'p, 't>(plan: &'p Plan<'t>, section: &str, name: &str) -> &'p [ListItem<'t>] {
    plan.section(section)
        .and_then(|s| plan.subsection(s, name))
        .map_or(&[], |h| plan.items_within(h))
}

/// An item's text after its marker, and where that text starts.
fn item_text<'t>(text: &'t str, item: &ListItem) -> (usize, &'t str) {
    let line = &text[item.first_line.range()];
    let trimmed = line.trim_start();
    let after_marker = trimmed
        .strip_prefix(['-', '*', '+'])
        .or_else(|| {
            let digits = trimmed.len()
                - trimmed
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .len();
            trimmed[digits..].strip_prefix(['.', ')'])
        })
        .unwrap_or(trimmed);
    let body = after_marker.trim_start();
    let body = body
        .strip_prefix("[ ] ")
        .or_else(|| body.strip_prefix("[x] "))
        .unwrap_or(body);
    (item.first_line.start + (line.len() - body.len()), body)
}

fn is_emphasis(c: char) -> bool {
    matches!(c, '*' | '_' | '`')
}

fn flows<'t>(plan: &Plan<'t>, text: &'t str, refs: &mut References<'t>) {
    static FLOW_FILE: OnceLock<Pattern> = OnceLock::new();
    // invariant: a constant pattern.
    #[allow(clippy::unwrap_used)]
    let flow_file = FLOW_FILE
        .get_or_init(|| Pattern::new(r"[A-Za-z0-9_.-]+-flow\.json(?-u:\b)").unwrap())
        .local();
    for item in items_under(plan, "Flow Integration", "Required Project Flows") {
        let line = item.first_line;
        for m in flow_file.find_iter(&text[line.range()]) {
            refs.flow_files.push(Reference {
                id: Cow::Borrowed(m.as_str()),
                span: Span::new(line.start + m.start(), line.start + m.end()),
            });
        }
        let ids: Vec<_> = plan
            .code_spans(item)
            .filter(|c| !c.text.ends_with(".json"))
            .collect();
        if !ids.is_empty() {
            refs.flows.extend(ids.iter().map(|c| Reference {
                id: c.text.clone(),
                span: c.span,
            }));
            continue;
        }
        if plan.code_spans(item).any(|c| c.text.ends_with(".json")) {
            continue;
        }
        let (start, body) = item_text(text, item);
        let lead = body.len() - body.trim_start_matches(is_emphasis).len();
        let word_end = body[lead..]
            .find(|c: char| c.is_whitespace() || matches!(c, ':' | '(' | ',' | '*' | '_' | '`'))
            .map_or(body.len(), |e| lead + e);
        let word = &body[lead..word_end];
        if word.ends_with("-flow") {
            refs.flows.push(Reference {
                id: Cow::Borrowed(word),
                span: Span::new(start + lead, start + word_end),
            });
        }
    }
}

/// Where `part`, a slice of `whole`, starts in it.
fn offset_in(whole: &str, part: &str) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

/// Where a theme item's leading names end: at the first `:`, ` - `, ` — ` or ` (`.
fn lead_end(body: &str) -> usize {
    let bytes = body.as_bytes();
    let is_delimiter = |at: usize| {
        let after = &bytes[at + 1..];
        bytes[at] == b':'
            || after.starts_with(b"- ")
            || after.starts_with("— ".as_bytes())
            || after.starts_with(b"(")
    };
    memchr::memchr2_iter(b':', b' ', bytes)
        .find(|&at| is_delimiter(at))
        .unwrap_or(bytes.len())
}

fn is_context_mode_item(body: &str) -> bool {
    (body.trim_start_matches(is_emphasis).as_bytes().get(..12))
        .is_some_and(|start| start.eq_ignore_ascii_case(b"context mode"))
}

fn themes<'t>(plan: &Plan<'t>, text: &'t str, refs: &mut References<'t>) {
    for name in ["Primary Theme", "Related Themes"] {
        for item in items_under(plan, "Theme Integration", name) {
            let (start, body) = item_text(text, item);
            if is_context_mode_item(body) {
                continue;
            }
            if !item.code.is_empty() {
                refs.themes.extend(plan.code_spans(item).map(|c| Reference {
                    id: c.text.clone(),
                    span: c.span,
                }));
                continue;
            }
            let mut pieces = Vec::new();
            let mut at = 0;
            for piece in body[..lead_end(body)].split(',') {
                let trimmed = piece.trim().trim_matches(is_emphasis).trim();
                let offset = if trimmed.is_empty() {
                    0
                } else {
                    offset_in(piece, trimmed)
                };
                pieces.push((start + at + offset, trimmed));
                at += piece.len() + 1;
            }
            let is_names = pieces.iter().all(|(_, p)| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            });
            if is_names {
                refs.themes
                    .extend(pieces.into_iter().map(|(offset, p)| Reference {
                        id: Cow::Borrowed(p),
                        span: Span::new(offset, offset + p.len()),
                    }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    /// Valid ids of every form, and each changed a little, read directly and by the
    /// pattern alike.
    #[test]
    fn ascii_task_ids_are_read_as_the_pattern_reads_them() {
        let prefixes = [
            "TASK-",
            "HIGH-TASK-",
            "SQ-",
            "SQ-TASK-",
            "HIGH-SQ-",
            "TASK-TASK-",
            "",
        ];
        let suffixes = ["", "-001", "-123456", "-12", "-1234567", "-", "x"];
        let alphabet = b"0123456789T-xSQ";
        let mut next = crate::testing::numbers(0x2545_f491_u64);
        let mut valid = 0;
        for _ in 0..100_000 {
            let form = TIMESTAMP_FORMS[next(3)];
            let prefix = prefixes[next(prefixes.len())];
            let stamp: Vec<u8> = (form.iter())
                .map(|&f| if f == b'd' { alphabet[next(10)] } else { f })
                .collect();
            let suffix = suffixes[next(suffixes.len())];
            let mut id: Vec<u8> = [prefix.as_bytes(), &stamp, suffix.as_bytes()].concat();
            for _ in 0..next(3) {
                let at = next(id.len() + 1);
                match next(3) {
                    0 if at < id.len() => drop(id.remove(at)),
                    1 if at < id.len() => id[at] = alphabet[next(alphabet.len())],
                    _ => id.insert(at, alphabet[next(alphabet.len())]),
                }
            }
            let id = String::from_utf8(id).unwrap();
            let expected = task_id_pattern().is_match(&id);
            assert_eq!(is_ascii_task_id(id.as_bytes()), expected, "{id}");
            valid += usize::from(expected);
        }
        assert!(
            valid > 2_000,
            "{valid} valid ids: the test should see both kinds"
        );
        assert!(
            is_task_id("TASK-2025071\u{0661}T140000"),
            "a Unicode digit, as the pattern allows"
        );
    }

    /// Text made of the literals and of what stands around them, searched both ways.
    #[test]
    fn task_words_are_found_where_the_pattern_finds_them() {
        let pattern = Regex::new(r"(?-u:\b)(?:HIGH-TASK-|TASK-|SQ-)[A-Za-z0-9-]*").unwrap();
        let pieces = [
            "TASK-", "HIGH-", "SQ-", "TASK", "X", "x1", "-", "_", "2025", " ", ",", "é", "\n", "`",
        ];
        let mut next = crate::testing::numbers(0x9e37_79b9_u64);
        let mut found = 0;
        for _ in 0..50_000 {
            let text: String = (0..next(12)).map(|_| pieces[next(pieces.len())]).collect();
            let expected: Vec<(usize, usize)> = pattern
                .find_iter(&text)
                .map(|m| (m.start(), m.end()))
                .collect();
            assert_eq!(
                task_word_matches(&text).collect::<Vec<_>>(),
                expected,
                "{text:?}"
            );
            found += expected.len();
        }
        assert!(found > 20_000, "{found} matches: the test should see many");
    }

    #[test]
    fn a_theme_item_leads_with_names_up_to_its_first_delimiter() {
        for (body, end) in [
            ("api (shared files)", 3),
            ("a, b: why", 4),
            ("x - y: z", 1),
            ("x — y", 1),
            ("plain words", 11),
            ("a:b - c", 1),
            ("", 0),
        ] {
            let by_search = [":", " - ", " — ", " ("]
                .iter()
                .filter_map(|d| body.find(d))
                .min()
                .unwrap_or(body.len());
            assert_eq!((lead_end(body), by_search), (end, end), "{body}");
        }
    }

    #[test]
    fn knows_task_ids() {
        for id in [
            "TASK-20250711T140000",
            "TASK-20250711-140000",
            "TASK-2025-07-11-140000",
            "HIGH-TASK-20250712T090000",
            "SQ-20250711T140000-001",
            "SQ-TASK-20250712T100000-001",
            "SQ-2025-07-11-140000-123456",
        ] {
            assert!(is_task_id(id), "{id}");
        }
        for id in [
            "TASK-1",
            "TASK-20250711T14000",
            "SQ-20250711T140000-01",
            "task-20250711T140000",
        ] {
            assert!(!is_task_id(id), "{id}");
        }
    }

    fn refs(text: &str) -> References<'_> {
        extract(&parse(text, None), text, &Schema::default_schema())
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
    fn reads_flows_by_code_span_leading_word_and_file() {
        let text = "## Flow Integration\n### Required Project Flows\n- `user-login-flow` (auth-flow.json)\n- **user-registration-flow**: done\n- payment-flow (payment-flow.json): pending\n- List of flowIds from flow-index.json\n";
        let refs = refs(text);
        assert_eq!(
            ids(&refs.flows),
            ["user-login-flow", "user-registration-flow", "payment-flow"]
        );
        assert_eq!(
            ids(&refs.flow_files),
            ["auth-flow.json", "payment-flow.json"]
        );
        let span = refs.flows[1].span;
        assert_eq!(&text[span.range()], "user-registration-flow");
    }

    #[test]
    fn reads_themes_by_leading_names() {
        let text = "## Theme Integration\n### Primary Theme\n- `authentication`\n- Context mode recommendation: theme-focused\n### Related Themes\n- **caching**: why\n- user-management, security\n- Keep the token service backward compatible\n- api (shared files)\n";
        let refs = refs(text);
        assert_eq!(
            ids(&refs.themes),
            [
                "authentication",
                "caching",
                "user-management",
                "security",
                "api"
            ]
        );
        for r in &refs.themes {
            assert_eq!(&text[r.span.range()], r.id);
        }
    }
}
