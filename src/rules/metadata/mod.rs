//! PC2xx: the `## Metadata` bullets: which fields, written how ([`fields`]), holding which
//! values ([`values`]).

mod fields;
mod values;

use crate::plan::names::milestone_number;
use crate::plan::{Field, Heading, Plan, PlanKind};
use crate::rules::Checker;

pub fn check(plan: &Plan, cx: &mut Checker<'_>) {
    let Some(metadata) = plan.section("Metadata") else {
        return;
    };
    let misspelt = fields::misspelt_fields(plan, cx.plan_schema(plan));
    fields::missing_field(plan, metadata, &misspelt, cx);
    fields::duplicate_and_unknown_fields(plan, &misspelt, cx);
    fields::empty_field(plan, cx);
    fields::malformed_field(plan, cx);
    values::invalid_status(plan, cx);
    if plan.kind() == PlanKind::Regular {
        values::invalid_milestone(plan, cx);
    }
    values::invalid_version(plan, cx);
    values::invalid_priority(plan, cx);
}

/// The value of field `name` when it is there, filled in and not template text: the one
/// the value rules judge (an empty or unfilled value is PC204's or PC108's).
pub fn filled<'p, 't>(plan: &'p Plan<'t>, cx: &Checker<'_>, name: &str) -> Option<&'p Field<'t>> {
    plan.field(name)
        .filter(|f| !f.value.is_empty() && !cx.holds_placeholder(plan, f.value_span))
}

/// The plan's title and the milestone id it names as written (`M01`, `M-01`), when it is of
/// the plan's form.
pub fn title_milestone<'p, 't>(
    plan: &'p Plan<'t>,
    cx: &Checker<'_>,
) -> Option<(&'p Heading<'t>, &'p str)> {
    let title = plan.title()?;
    let id = title.text.get(cx.title_groups(plan)?.milestone.clone()?)?;
    Some((title, id))
}

/// Whether the Milestone field names another milestone than the title: PC206's finding,
/// which the other rules reading the milestone (PC402, PC506, PC507, PC509, PC510) leave
/// alone, as they could only echo it.
pub fn milestone_contradicts_title(plan: &Plan, cx: &Checker<'_>) -> bool {
    let in_field = filled(plan, cx, "Milestone").and_then(|f| milestone_number(f.value));
    let in_title = title_milestone(plan, cx).and_then(|(_, id)| milestone_number(id));
    matches!((in_field, in_title), (Some(a), Some(b)) if a != b)
}

/// The span of `needle` inside `within`, or `within` itself when it is not there.
pub fn find_in(cx: &Checker<'_>, within: crate::plan::Span, needle: &str) -> crate::plan::Span {
    cx.text(within).find(needle).map_or(within, |at| {
        crate::plan::Span::new(within.start + at, within.start + at + needle.len())
    })
}

/// What the metadata rules find in the plan `text`, as each finding's code and the text it
/// points at.
#[cfg(test)]
fn findings(text: &str) -> Vec<(&'static str, String)> {
    crate::testing::findings("M01-v1-user-auth.md", text, check)
}
