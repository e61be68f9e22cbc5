//! PC2xx: the `## Metadata` bullets: which fields, written how, holding which values.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use crate::plan::names::{is_milestone_id, milestone_number, version_number};
use crate::plan::{Field, Heading, Plan, PlanKind};
use crate::rules::choice::report_not_one_of;
use crate::rules::registry::{
    DUPLICATE_FIELD, EMPTY_FIELD, INVALID_MILESTONE, INVALID_PRIORITY, INVALID_STATUS,
    INVALID_VERSION, MALFORMED_FIELD, MISSING_FIELD, UNKNOWN_FIELD,
};
use crate::rules::{near_miss, suggest, Checker};
use crate::schema::PlanSchema;

pub fn check(plan: &Plan, cx: &mut Checker<'_>) {
    let Some(metadata) = plan.section("Metadata") else {
        return;
    };
    let misspelt = misspelt_fields(plan, cx.plan_schema(plan));
    missing_field(plan, metadata, &misspelt, cx);
    duplicate_and_unknown_fields(plan, &misspelt, cx);
    empty_field(plan, cx);
    malformed_field(plan, cx);
    invalid_status(plan, cx);
    if plan.kind() == PlanKind::Regular {
        invalid_milestone(plan, cx);
    }
    invalid_version(plan, cx);
    invalid_priority(plan, cx);
}

/// The value of field `name` when it is there, filled in and not template text: the one
/// the value rules judge (an empty or unfilled value is PC204's or PC108's).
pub fn filled<'p, 't>(plan: &'p Plan<'t>, cx: &Checker<'_>, name: &str) -> Option<&'p Field<'t>> {
    plan.field(name)
        .filter(|f| !f.value.is_empty() && !cx.holds_placeholder(plan, f.value_span))
}

/// The fields whose names misspell a required field that the plan lacks (`**Staus**`,
/// `**completion target**`), each with the name it misspells; names compare exactly.
fn misspelt_fields<'p, 't, 's>(
    plan: &'p Plan<'t>,
    schema: &'s PlanSchema,
) -> Vec<(&'p Field<'t>, &'s str)> {
    let is_given = |name: &str| plan.fields().any(|f| f.name == name);
    let mut missing: Vec<&str> = (schema.fields.iter())
        .map(String::as_str)
        .filter(|name| !is_given(name))
        .collect();
    let mut misspelt = Vec::new();
    if missing.is_empty() {
        return misspelt;
    }
    for field in plan.fields() {
        if schema.is_known_field(field.name) {
            continue;
        }
        if let Some(at) = near_miss(field.name, missing.iter().copied().enumerate()) {
            misspelt.push((field, missing.remove(at)));
        }
    }
    misspelt
}

fn missing_field(plan: &Plan, metadata: usize, misspelt: &[(&Field, &str)], cx: &mut Checker<'_>) {
    let span = plan.headings[metadata].span;
    for name in &cx.plan_schema(plan).fields {
        if plan.fields().any(|f| f.name == name) {
            continue;
        }
        let (span, message, help) = match misspelt.iter().find(|(_, wanted)| wanted == name) {
            Some((field, _)) => (
                field.name_span,
                format!("field `{}` should be `{name}`", field.name),
                format!("rename it `**{name}**`"),
            ),
            None => (
                span,
                format!("metadata lacks the field `{name}`"),
                format!("add `- **{name}**: …` to `## Metadata`"),
            ),
        };
        if let Some(d) = cx.report(&MISSING_FIELD, Some(span), message) {
            d.help(help);
        }
    }
}

fn duplicate_and_unknown_fields(plan: &Plan, misspelt: &[(&Field, &str)], cx: &mut Checker<'_>) {
    let schema = cx.plan_schema(plan);
    // Field names are one whatever their case (Unicode's, as `to_lowercase` has it).
    let mut first_seen: HashMap<String, &Field> = HashMap::new();
    for field in plan.fields() {
        let first = match first_seen.entry(field.name.to_lowercase()) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(slot) => {
                slot.insert(field);
                None
            }
        };
        if let Some(first) = first {
            if let Some(d) = cx.report(
                &DUPLICATE_FIELD,
                Some(field.name_span),
                format!("field `{}` is given twice", field.name),
            ) {
                d.label(first.name_span, "first given here")
                    .help("keep one of the two");
            }
            continue;
        }
        let is_misspelt = misspelt.iter().any(|(f, _)| std::ptr::eq(*f, field));
        if schema.is_known_field(field.name) || is_misspelt {
            continue;
        }
        let known = schema.fields.iter().chain(&schema.optional_fields);
        let help = match suggest(field.name, known.map(String::as_str)) {
            Some(name) => format!("did you mean `{name}`?"),
            None => "remove it, or move it into a section of its own".to_string(),
        };
        if let Some(d) = cx.report(
            &UNKNOWN_FIELD,
            Some(field.name_span),
            format!("field `{}` is not in the template", field.name),
        ) {
            d.help(help);
        }
    }
}

fn empty_field(plan: &Plan, cx: &mut Checker<'_>) {
    for item in plan.metadata_items() {
        let Some(field) = &item.field else { continue };
        // A value may also stand in bullets nested below the field.
        let next = plan
            .items
            .partition_point(|other| other.span.start <= item.span.start);
        let has_nested = plan
            .items
            .get(next)
            .is_some_and(|other| item.span.contains(other.span));
        if !field.value.is_empty() || has_nested {
            continue;
        }
        if let Some(d) = cx.report(
            &EMPTY_FIELD,
            Some(field.name_span),
            format!("field `{}` has no value", field.name),
        ) {
            d.help("write its value after the colon");
        }
    }
}

fn malformed_field(plan: &Plan, cx: &mut Checker<'_>) {
    static LOOSE: OnceLock<Regex> = OnceLock::new();
    // invariant: a constant pattern, tested by the PC208 fixtures.
    #[allow(clippy::unwrap_used)]
    let loose = LOOSE.get_or_init(|| {
        Regex::new(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+[*_]*(?P<name>[A-Za-z][A-Za-z ]*?)[*_]*[ \t]*:[*_]*[ \t]*(?P<value>.*)$")
            .unwrap()
    });
    for item in plan.metadata_items().filter(|item| item.field.is_none()) {
        let line = cx.text(item.first_line());
        let trimmed_start = line.len() - line.trim_start().len();
        let span = crate::plan::Span::new(
            item.first_line().start + trimmed_start,
            item.first_line().end,
        );
        let help = match loose.captures(line) {
            Some(caps) => format!(
                "write it as `- **{}**: {}`",
                caps["name"].trim(),
                caps["value"].trim().trim_end_matches(['*', '_']).trim()
            ),
            None => "write each field as `- **Field**: value`".to_string(),
        };
        if let Some(d) = cx.report(
            &MALFORMED_FIELD,
            Some(span),
            "metadata bullet is not of the form `- **Field**: value`",
        ) {
            d.help(help);
        }
    }
}

fn invalid_status(plan: &Plan, cx: &mut Checker<'_>) {
    let Some(status) = filled(plan, cx, "Status") else {
        return;
    };
    let statuses = &cx.plan_schema(plan).statuses;
    if statuses.iter().any(|s| s == status.value) {
        return;
    }
    report_not_one_of(
        cx,
        &INVALID_STATUS,
        status.value_span,
        "status",
        status.value,
        statuses,
    );
}

fn invalid_milestone(plan: &Plan, cx: &mut Checker<'_>) {
    let Some(milestone) = filled(plan, cx, "Milestone") else {
        return;
    };
    let value = &milestone.value;
    if !is_milestone_id(value) {
        let help = match milestone_number(value.trim()) {
            Some(n) => format!("write `M{n:02}`"),
            None => "write the milestone as `M<digits>`, such as `M01`".to_string(),
        };
        if let Some(d) = cx.report(
            &INVALID_MILESTONE,
            Some(milestone.value_span),
            format!("milestone `{value}` is not of the form `M<digits>` or `M-<digits>`"),
        ) {
            d.help(help);
        }
        return;
    }
    let Some((title, in_title)) = title_milestone(plan, cx) else {
        return;
    };
    if milestone_number(value) == milestone_number(in_title) {
        return;
    }
    let title_span = find_in(cx, title.span, in_title);
    if let Some(d) = cx.report(
        &INVALID_MILESTONE,
        Some(milestone.value_span),
        format!("milestone `{value}` differs from the title's `{in_title}`"),
    ) {
        d.label(title_span, "the title's milestone")
            .help("make the title and the field name the same milestone");
    }
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

fn invalid_version(plan: &Plan, cx: &mut Checker<'_>) {
    let Some(version) = filled(plan, cx, "Version") else {
        return;
    };
    if version_number(version.value).is_some() {
        return;
    }
    let loose = version.value.trim_start_matches(['v', 'V']).trim();
    let loose = loose.strip_suffix(".0").unwrap_or(loose);
    let help = match loose.parse::<u64>() {
        Ok(0) => "versions start at `v1`".to_string(),
        Ok(n) => format!("write `v{n}`"),
        Err(_) => "write the version as `v<N>`, such as `v1`".to_string(),
    };
    if let Some(d) = cx.report(
        &INVALID_VERSION,
        Some(version.value_span),
        format!(
            "version `{}` is not of the form `v<N>` with N at least 1",
            version.value
        ),
    ) {
        d.help(help);
    }
}

fn invalid_priority(plan: &Plan, cx: &mut Checker<'_>) {
    for (name, words) in &cx.plan_schema(plan).choices {
        let Some(field) = filled(plan, cx, name) else {
            continue;
        };
        if words.iter().any(|w| w.eq_ignore_ascii_case(field.value)) {
            continue;
        }
        report_not_one_of(
            cx,
            &INVALID_PRIORITY,
            field.value_span,
            &name.to_lowercase(),
            field.value,
            words,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{findings, passing_plan_with};

    fn metadata(text: &str) -> Vec<(&'static str, String)> {
        findings("M01-v1-user-auth.md", text, check)
    }

    #[test]
    fn a_misspelt_field_is_one_pc201_at_its_name() {
        let plan = passing_plan_with("**Status**", "**Staus**");
        assert_eq!(metadata(&plan), [("PC201", "Staus".to_string())]);
        let plan = passing_plan_with("**Completion Target**", "**completion target**");
        assert_eq!(
            metadata(&plan),
            [("PC201", "completion target".to_string())]
        );
    }

    #[test]
    fn a_field_beside_its_present_field_is_no_near_miss() {
        let plan = passing_plan_with(
            "- **Version**: v1\n",
            "- **Version**: v1\n- **Versions**: v1\n",
        );
        assert_eq!(metadata(&plan), [("PC203", "Versions".to_string())]);
    }

    #[test]
    fn a_misspelling_of_an_optional_field_is_unknown() {
        let plan = passing_plan_with(
            "- **Version**: v1\n",
            "- **Version**: v1\n- **Priorty**: high\n",
        );
        assert_eq!(metadata(&plan), [("PC203", "Priorty".to_string())]);
    }

    #[test]
    fn the_colon_may_stand_inside_the_bold() {
        let plan = passing_plan_with("- **Status**: active", "- **Status:** active");
        assert_eq!(metadata(&plan), []);
    }

    #[test]
    fn field_names_are_one_whatever_their_case() {
        let with = |added: &str| {
            let plan = passing_plan_with(
                "- **Version**: v1\n",
                &format!("- **Version**: v1\n{added}"),
            );
            metadata(&plan)
        };
        assert_eq!(
            with("- **VERSION**: v1\n"),
            [("PC202", "VERSION".to_string())]
        );
        assert_eq!(
            with("- **\u{212A}ey**: x\n- **key**: y\n"),
            [
                ("PC203", "\u{212A}ey".to_string()),
                ("PC202", "key".to_string())
            ],
            "KELVIN SIGN lower-cases to k"
        );
    }

    /// PC206's messages for a plan titled `title` whose Milestone is `milestone`.
    fn milestone_findings(title: &str, milestone: &str) -> Vec<String> {
        let text = format!("# {title}\n\n## Metadata\n- **Milestone**: {milestone}\n");
        (findings("M01-v1-auth.md", &text, check).into_iter())
            .filter(|(code, _)| *code == "PC206")
            .map(|(_, at)| at)
            .collect()
    }

    #[test]
    fn the_title_and_the_field_may_write_m_hyphen_ids() {
        for (title, milestone) in [
            ("Implementation Plan: M01 - Auth", "M01"),
            ("Implementation Plan: M01 - Auth", "M-01"),
            ("Implementation Plan: M-01 - Auth", "M01"),
            ("Implementation Plan: M-1 - Auth", "M-01"),
            ("Implementation Plan: M1 - Auth", "M001"),
        ] {
            assert_eq!(
                milestone_findings(title, milestone),
                Vec::<String>::new(),
                "{title} {milestone}"
            );
        }
        assert_eq!(
            milestone_findings("Implementation Plan: M-02 - Checkout", "M03"),
            ["M03"]
        );
        assert_eq!(
            milestone_findings("Implementation Plan: M01 - Auth", "Milestone 1"),
            ["Milestone 1"]
        );
    }
}
