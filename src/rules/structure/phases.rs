//! PC110 and PC111: the phases, numbered in order, each with the template's fields.

use crate::plan::{phase_heading, Plan, Span};
use crate::rules::registry::{INVALID_PHASE, MISSING_PHASE_FIELD};
use crate::rules::Checker;
use crate::schema::PlanSchema;

use super::outline::Outline;

pub(super) fn phases(plan: &Plan, schema: &PlanSchema, outline: &Outline, cx: &mut Checker<'_>) {
    let phases_section = schema.section(&schema.phases_section).map(|(at, _)| at);
    let Some((h2, _)) = phases_section.and_then(|at| outline.section(at)) else {
        return;
    };
    let section = h2.heading;
    let section_heading = &plan.headings[section];
    let h3s = (plan.children(section))
        .filter(|(_, h)| h.level == 3)
        .map(|(i, _)| i);
    if h3s.clone().next().is_none() {
        if let Some(d) = cx.report(
            &INVALID_PHASE,
            Some(section_heading.span),
            format!("`## {}` holds no phase", section_heading.text),
        ) {
            d.help("add a `### Phase 1: <Name>` for each phase of the work");
        }
        return;
    }
    let mut expected: u64 = 1;
    for i in h3s {
        let heading = &plan.headings[i];
        let Some((number, _)) = phase_heading(&heading.text) else {
            if let Some(d) = cx.report(
                &INVALID_PHASE,
                Some(heading.span),
                format!(
                    "`### {}` is not a phase heading of the form `Phase <N>: <Name>`",
                    heading.text
                ),
            ) {
                d.help(
                    "name it `### Phase <N>: <Name>`, or make it a deeper heading inside a phase",
                );
            }
            continue;
        };
        if number != expected {
            if let Some(d) = cx.report(
                &INVALID_PHASE,
                Some(heading.span),
                format!("phase {number} should be phase {expected}: phases are numbered 1, 2, 3…"),
            ) {
                d.help(format!("renumber it `Phase {expected}`"));
            }
        }
        expected = number.saturating_add(1);
        missing_phase_fields(plan, i, schema, cx);
    }
}

fn missing_phase_fields(plan: &Plan, phase: usize, schema: &PlanSchema, cx: &mut Checker<'_>) {
    let heading = &plan.headings[phase];
    let given = || {
        (plan.items_within(phase).iter())
            .filter_map(|item| plan.field_of(item))
            .map(|field| field.name)
    };
    // A phase holding only the template's "[Continue pattern …]" is unfilled text, PC108's
    // to report.
    if given().next().is_none() && holds_only_placeholders(plan, heading.body, cx) {
        return;
    }
    for wanted in &schema.phase_fields {
        if given().any(|name| name.eq_ignore_ascii_case(wanted)) {
            continue;
        }
        if let Some(d) = cx.report(
            &MISSING_PHASE_FIELD,
            Some(heading.span),
            format!("phase `{}` lacks `**{wanted}**`", heading.text),
        ) {
            d.help(format!("add `- **{wanted}**: …` to this phase"));
        }
    }
}

/// Whether the text at `span` is placeholders and nothing else but blanks and list
/// markers (and holds at least one).
fn holds_only_placeholders(plan: &Plan, span: Span, cx: &Checker<'_>) -> bool {
    let mut at = span.start;
    let mut any = false;
    let is_blank = |text: &str| {
        text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '*' | '+'))
            .is_empty()
    };
    for placeholder in cx.placeholders(plan).within(span) {
        if !is_blank(cx.text(Span::new(at, placeholder.span.start.max(at)))) {
            return false;
        }
        at = placeholder.span.end;
        any = true;
    }
    any && is_blank(cx.text(Span::new(at.min(span.end), span.end)))
}

#[cfg(test)]
mod tests {
    use crate::plan::phase_heading;
    use crate::rules::structure::findings;
    use crate::testing::passing_plan_with;

    #[test]
    fn the_phases_of_a_misspelt_phases_section_are_checked() {
        let plan = passing_plan_with("## Phases\n", "## Phase\n").replacen(
            "### Phase 2: Login",
            "### Phase 3: Login",
            1,
        );
        assert_eq!(
            findings(&plan),
            [
                ("PC103", "## Phase".to_string()),
                ("PC110", "### Phase 3: Login".to_string())
            ]
        );
    }

    #[test]
    fn phases_are_numbered_from_the_one_before() {
        let plan = passing_plan_with("### Phase 2: Login", "### Phase 3: Login").replacen(
            "## Success Criteria\n",
            "### Phase 4: Rollout\n- **Objectives**: a\n- **Deliverables**: b\n- **Tasks**: c\n- **Dependencies**: d\n- **Success Criteria**: e\n- **Estimated Duration**: f\n- **Risk Factors**: g\n\n## Success Criteria\n",
            1,
        );
        assert_eq!(
            findings(&plan),
            [("PC110", "### Phase 3: Login".to_string())]
        );
    }

    #[test]
    fn each_missing_phase_field_is_a_finding() {
        let plan = passing_plan_with("- **Deliverables**: the token service.\n", "").replacen(
            "- **Risk Factors**: key rotation mistakes.\n",
            "",
            1,
        );
        assert_eq!(
            findings(&plan),
            [
                ("PC111", "### Phase 1: Token Service".to_string()),
                ("PC111", "### Phase 1: Token Service".to_string())
            ]
        );
    }

    #[test]
    fn phase_headings_give_their_number_and_name() {
        let cases = [
            ("Phase 1: Setup", Some((1, "Setup"))),
            ("Phase 12:   API and `tests`", Some((12, "API and `tests`"))),
            ("Phase 123456789: X", Some((123_456_789, "X"))),
            ("Phase 1234567890: X", None),
            ("Phase 2:Setup", Some((2, "Setup"))),
            ("Phase 2: ", None),
            ("Phase 2:\tSetup", None),
            ("Phase : Setup", None),
            ("Phase 2 Setup", None),
            ("phase 2: Setup", None),
            ("Phase \u{0663}: Arabic-Indic three", None),
            ("Phase 3: two\nlines", None),
        ];
        for (heading, expected) in cases {
            assert_eq!(phase_heading(heading), expected, "{heading:?}");
        }
    }
}
