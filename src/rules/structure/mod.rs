//! PC1xx: the plan's headings, sections, phases and context mode, all read from the section
//! tree in one walk per rule.

mod context_mode;
mod headings;
mod outline;
mod phases;
mod sections;
mod title;

use crate::plan::Plan;
use crate::rules::Checker;
use outline::Outline;

pub use title::not_a_plan;

pub fn check(plan: &Plan, cx: &mut Checker<'_>) {
    let schema = cx.plan_schema(plan);
    let outline = Outline::of(plan, schema);
    title::invalid_title(plan, schema, cx);
    title::multiple_titles(plan, cx);
    sections::missing_section(plan, schema, &outline, cx);
    sections::section_order(plan, schema, &outline, cx);
    headings::duplicate_section(plan, cx);
    sections::unknown_section(plan, schema, &outline, cx);
    sections::empty_section(plan, schema, &outline, cx);
    headings::heading_increment(plan, cx);
    phases::phases(plan, schema, &outline, cx);
    context_mode::invalid_context_mode(plan, cx);
}

/// What the structure rules find in the plan `text`, as each finding's code and the text it
/// points at.
#[cfg(test)]
fn findings(text: &str) -> Vec<(&'static str, String)> {
    crate::testing::findings("M01-v1-user-auth.md", text, check)
}
