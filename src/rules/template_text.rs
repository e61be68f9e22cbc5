//! PC108 and PC113: the template's own text left in a plan, as the template in force has
//! it. Where a plan holds placeholders is found once ([`crate::template::Placeholders`]).

use crate::plan::Span;
use crate::plan::{Plan, PlanKind};
use crate::rules::registry::{TEMPLATE_GUIDANCE_LEFT, TEMPLATE_PLACEHOLDER};
use crate::rules::Checker;
use crate::template::PlaceholderKind;

pub fn check(plan: &Plan, cx: &mut Checker<'_>) {
    template_placeholder(plan, cx);
    template_guidance_left(plan, cx);
}

fn template_placeholder(plan: &Plan, cx: &mut Checker<'_>) {
    if !cx.is_enabled(&TEMPLATE_PLACEHOLDER) {
        return;
    }
    let placeholders: Vec<_> = cx.placeholders(plan).iter().copied().collect();
    for placeholder in placeholders {
        let written = cx.text(placeholder.span);
        let (message, help) = match placeholder.kind {
            PlaceholderKind::Name => (
                format!("template placeholder `{written}` is left unfilled"),
                "replace it with this plan's own text".to_string(),
            ),
            PlaceholderKind::Unwritten => (
                format!("placeholder `{written}` is left unfilled"),
                "replace it with this plan's own text".to_string(),
            ),
            PlaceholderKind::Instruction => (
                format!("template instruction `{written}` is left in place"),
                "write this plan's own text in its place".to_string(),
            ),
            PlaceholderKind::StandInValue { field } => (
                format!("field `{}` holds `{written}`, not a value", cx.text(field)),
                "write the value".to_string(),
            ),
            PlaceholderKind::Choices { field } => {
                let first = written
                    .split('|')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_lowercase();
                (
                    format!(
                        "field `{}` still lists the template's choices `{written}`",
                        cx.text(field)
                    ),
                    format!("pick one, such as `{first}`"),
                )
            }
        };
        if let Some(d) = cx.report(&TEMPLATE_PLACEHOLDER, Some(placeholder.span), message) {
            d.help(help);
        }
    }
}

fn template_guidance_left(plan: &Plan, cx: &mut Checker<'_>) {
    // The high-priority grammar has no template text of its own to leave behind.
    if plan.kind() != PlanKind::Regular || !cx.is_enabled(&TEMPLATE_GUIDANCE_LEFT) {
        return;
    }
    for item in &plan.items {
        let text = plan.text_of(item);
        if !cx.schema.template.is_guidance(text.as_str()) {
            continue;
        }
        // The item's text from just after its bullet marker, emphasis included.
        let line = cx.text(item.first_line());
        let marker_end = crate::parse::item_body(line).map_or(0, |body| line.len() - body.len());
        let start = item.first_line().start + marker_end;
        let end = text
            .source(0..text.as_str().len())
            .end
            .max(item.first_line().end);
        let span = Span::new(start, end);
        if let Some(d) = cx.report(
            &TEMPLATE_GUIDANCE_LEFT,
            Some(span),
            "the template's guidance line is left in place",
        ) {
            d.help("write what this plan has to say here, or remove the line");
        }
    }
}
