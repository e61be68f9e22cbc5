//! Task ids: the items of Related Tasks, each phase's Tasks field, an H-plan's Original
//! Task, and `TASK-` words anywhere else.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

use crate::plan::names::is_task_id;
use crate::plan::Plan;
use crate::plan::Span;
use crate::schema::Schema;
use crate::template::Placeholders;

use super::{offset_in, Reference, References, TaskOrigin, TaskReference};

/// The `TASK-`, `HIGH-TASK-` and `SQ-` words of `text`, each with where it starts. A word is
/// a whole hyphenated word: `SQ-TASK-…` and `HIGH-TASK-…` are read whole, and a word that
/// only holds `TASK-` inside it (`PROJ-TASK-12`) is none.
pub(super) fn task_words(text: &str) -> Vec<(usize, &str)> {
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

pub(super) fn push_task<'t>(
    refs: &mut References<'t>,
    id: &'t str,
    span: Span,
    origin: TaskOrigin,
) {
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

pub(super) fn related_tasks<'t>(
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

pub(super) fn phase_tasks<'t>(
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
        let Some(field) = plan.field_of(item) else {
            continue;
        };
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
pub(super) fn stray_task_words<'t>(
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
