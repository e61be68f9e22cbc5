//! What a plan names in other files: task ids, flow ids, flow files and themes, each with
//! the span of the very id, read from the model as `layout.md` defines. Task ids are read
//! in [`tasks`], flow and theme items by their lead in [`items`].

use std::borrow::Cow;
use std::ops::Range;

use crate::plan::Span;
use crate::plan::{ItemText, ListItem, Plan, PlanKind};
use crate::schema::Schema;
use crate::template::Placeholders;

mod items;
mod tasks;

pub use items::context_mode;
use items::{flows, themes};
use tasks::{phase_tasks, push_task, related_tasks, stray_task_words};

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

/// The items under `### <name>` within `## <section>`.
pub fn items_under<'p, 't>(plan: &'p Plan<'t>, section: &str, name: &str) -> &'p [ListItem] {
    plan.section(section)
        .and_then(|s| plan.subsection(s, name))
        .map_or(&[], |h| plan.items_within(h))
}

/// Where `part`, a slice of `whole`, starts in it.
pub(super) fn offset_in(whole: &str, part: &str) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

/// A reference at `range` of an item's text: the plan's own text where the file holds the
/// id as written (it nearly always does), else the id as read.
pub(super) fn reference<'t>(text: &'t str, item: &ItemText, range: Range<usize>) -> Reference<'t> {
    let id = &item.as_str()[range.clone()];
    let span = item.source(range);
    let id = match text.get(span.range()) {
        Some(own) if own == id => Cow::Borrowed(own),
        _ => Cow::Owned(id.to_string()),
    };
    Reference { id, span }
}

#[cfg(test)]
mod tests;
