//! PC101 and PC102: the plan's title.

use crate::plan::{Plan, Span};
use crate::rules::registry::{INVALID_TITLE, MULTIPLE_TITLES};
use crate::rules::Checker;
use crate::schema::PlanSchema;

pub(super) fn invalid_title(plan: &Plan, schema: &PlanSchema, cx: &mut Checker<'_>) {
    let help = || format!("start the plan with `# {}`", schema.title_form);
    let Some(title) = plan.title() else {
        if let Some(d) = cx.report(
            &INVALID_TITLE,
            Some(Span::empty(0)),
            "the plan has no title",
        ) {
            d.help(help());
        }
        return;
    };
    let message = if title.level != 1 {
        format!(
            "the first heading is level {}, not a level-1 plan title",
            title.level
        )
    } else if cx.title_groups(plan).is_some() {
        return;
    } else {
        format!(
            "title `{}` is not of the form `{}`",
            title.text, schema.title_form
        )
    };
    if let Some(d) = cx.report(&INVALID_TITLE, Some(title.span), message) {
        d.help(help());
    }
}

/// PC101 for a checked file that is not plan-shaped: the one thing said of it, as nothing
/// else the rules could say would help with a file that is no plan.
pub fn not_a_plan(plan: &Plan, cx: &mut Checker<'_>) {
    let span = plan.title().map_or(Span::empty(0), |title| title.span);
    let file_name = cx.file_name.unwrap_or_default();
    let state = cx
        .location()
        .and_then(std::path::Path::parent)
        .filter(|folder| crate::project::is_state_folder(folder, &cx.schema.completed_dirs))
        .and_then(|folder| folder.file_name())
        .map(|state| crate::fs::os_text(state).into_owned());
    let otherwise = match state {
        Some(state) => format!("move it out of `Implementations/{state}/`"),
        None if crate::plan::names::file_name_patterns().is_plan_name(file_name) => {
            "rename it: a name like `M01-v1-….md` marks a plan".to_string()
        }
        None => "leave it out of the run".to_string(),
    };
    let help = format!(
        "if it is a plan, start it with `# {}` and fill in `## Metadata`; if not, {otherwise}",
        cx.schema.regular.title_form
    );
    if let Some(d) = cx.report(
        &INVALID_TITLE,
        Some(span),
        "the file does not look like an implementation plan (no plan title, no plan metadata)",
    ) {
        d.help(help);
    }
}

pub(super) fn multiple_titles(plan: &Plan, cx: &mut Checker<'_>) {
    let mut titles = plan.headings.iter().filter(|h| h.level == 1);
    let Some(first) = titles.next() else { return };
    for extra in titles {
        if let Some(d) = cx.report(
            &MULTIPLE_TITLES,
            Some(extra.span),
            format!("`{}` is a second level-1 heading", extra.text),
        ) {
            d.label(first.span, "the plan's title")
                .help("make it a section (`##`) or remove it");
        }
    }
}

/// Where a missing H2 would belong: the title, or line 1 when there is none.
pub(super) fn title_span(plan: &Plan) -> Span {
    plan.headings
        .iter()
        .find(|h| h.level == 1)
        .map_or(Span::empty(0), |h| h.span)
}
