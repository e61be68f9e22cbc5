//! PC201–PC204 and PC208: which metadata fields a plan gives, and how it writes them.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use crate::diagnostic::{Edit, Fix};
use crate::parse::item_body;
use crate::plan::{Field, Plan, Span};
use crate::rules::insertion::{after_last_line, before_line, insert_lines, Spacing};
use crate::rules::registry::{
    DUPLICATE_FIELD, EMPTY_FIELD, MALFORMED_FIELD, MISSING_FIELD, UNKNOWN_FIELD,
};
use crate::rules::{near_miss, suggest, Checker};
use crate::schema::PlanSchema;

/// The fields whose names misspell a required field that the plan lacks (`**Staus**`,
/// `**completion target**`), each with the name it misspells; names compare exactly.
pub(super) fn misspelt_fields<'p, 't, 's>(
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

pub(super) fn missing_field(
    plan: &Plan,
    metadata: usize,
    misspelt: &[(&Field, &str)],
    cx: &mut Checker<'_>,
) {
    let span = plan.headings[metadata].span;
    for name in &cx.plan_schema(plan).fields {
        if plan.fields().any(|f| f.name == name) {
            continue;
        }
        let (span, message, help, fix) = match misspelt.iter().find(|(_, wanted)| wanted == name) {
            Some((field, _)) => (
                field.name_span,
                format!("field `{}` should be `{name}`", field.name),
                format!("rename it `**{name}**`"),
                Some(rename_field(field, name)),
            ),
            None => (
                span,
                format!("metadata lacks the field `{name}`"),
                format!("add `- **{name}**: …` to `## Metadata`"),
                insert_field(plan, metadata, name, misspelt, cx),
            ),
        };
        if let Some(d) = cx.report(&MISSING_FIELD, Some(span), message) {
            d.help(help);
            if let Some(fix) = fix {
                d.fix(fix);
            }
        }
    }
}

/// The fix that writes `field`'s name as the template's `name`, and nothing else.
fn rename_field(field: &Field, name: &str) -> Fix {
    Fix::safe(
        format!("rename the field `{name}`"),
        vec![Edit::replace(field.name_span, name)],
    )
}

/// The fix that adds field `name` where the template has it (after the field before it
/// there, else before the one after it; a misspelt field stands for the one it misspells),
/// with the value the template of its kind writes.
fn insert_field(
    plan: &Plan,
    metadata: usize,
    name: &str,
    misspelt: &[(&Field, &str)],
    cx: &Checker<'_>,
) -> Option<Fix> {
    let schema = cx.plan_schema(plan);
    let value = schema.field_text(name)?;
    let fields = &schema.fields;
    let at = fields.iter().position(|f| f == name)?;
    let item_of = |wanted: &String| {
        plan.metadata_items().find(|item| {
            plan.field_of(item).is_some_and(|f| {
                let named = (misspelt.iter())
                    .find(|(m, _)| std::ptr::eq(*m, f))
                    .map_or(f.name, |(_, meant)| meant);
                named == wanted
            })
        })
    };
    let text = &cx.file.text;
    let (offset, neighbour) = match fields[..at].iter().rev().find_map(item_of) {
        Some(preceding) => (after_last_line(text, preceding.span.end), Some(preceding)),
        None => match fields[at + 1..].iter().find_map(item_of) {
            Some(following) => (before_line(text, following.span.start), Some(following)),
            None => (
                after_last_line(text, plan.headings[metadata].span.end),
                None,
            ),
        },
    };
    // The neighbour's indent and marker, so the new bullet joins its list.
    let marker = neighbour.map_or("- ", |item| {
        let line = cx.text(Span::new(
            before_line(text, item.span.start),
            item.first_line_end as usize,
        ));
        item_body(line).map_or("- ", |body| &line[..line.len() - body.len()])
    });
    Some(Fix::unsafe_(
        format!("add `{name}` with the template's text"),
        vec![insert_lines(
            text,
            offset,
            &format!("{marker}**{name}**: {value}\n"),
            Spacing::Lines,
        )],
    ))
}

pub(super) fn duplicate_and_unknown_fields(
    plan: &Plan,
    misspelt: &[(&Field, &str)],
    cx: &mut Checker<'_>,
) {
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
        // An optional field the plan lacks, misspelt or in another case (`**priority**`),
        // is renamed as a required one is (PC201).
        let absent_optional = (schema.optional_fields.iter())
            .filter(|name| !plan.fields().any(|f| f.name == name.as_str()))
            .map(|name| (name.as_str(), name.as_str()));
        let misspelt_optional = near_miss(field.name, absent_optional);
        let known = schema.fields.iter().chain(&schema.optional_fields);
        let help = match (
            misspelt_optional,
            suggest(field.name, known.map(String::as_str)),
        ) {
            (Some(name), _) => format!("rename it `**{name}**`"),
            (None, Some(name)) => format!("did you mean `{name}`?"),
            (None, None) => "remove it, or move it into a section of its own".to_string(),
        };
        if let Some(d) = cx.report(
            &UNKNOWN_FIELD,
            Some(field.name_span),
            format!("field `{}` is not in the template", field.name),
        ) {
            d.help(help);
            if let Some(name) = misspelt_optional {
                d.fix(rename_field(field, name));
            }
        }
    }
}

pub(super) fn empty_field(plan: &Plan, cx: &mut Checker<'_>) {
    for item in plan.metadata_items() {
        let Some(field) = plan.field_of(item) else {
            continue;
        };
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

pub(super) fn malformed_field(plan: &Plan, cx: &mut Checker<'_>) {
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

#[cfg(test)]
mod tests {
    use crate::testing::passing_plan_with;

    use super::super::findings as metadata;

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
    fn a_misspelt_field_is_renamed_and_nothing_else_changes() {
        let fixed = |from: &str, to: &str| {
            crate::testing::fixed_passing_plan_with(from, to, super::super::check, "PC201")
        };
        let passing = Some(crate::testing::PASSING_PLAN.to_string());
        assert_eq!(fixed("**Status**", "**Staus**"), passing);
        assert_eq!(fixed("**Status**", "**status**"), passing);
        assert_eq!(
            fixed("- **Status**: active", "- **status:** active"),
            Some(passing_plan_with(
                "- **Status**: active",
                "- **Status:** active"
            ))
        );
        assert_eq!(
            fixed("**Completion Target**", "**completion target**"),
            passing
        );
    }

    #[test]
    fn a_missing_field_is_inserted_at_the_templates_place() {
        let plan = passing_plan_with("- **Version**: v1\n", "");
        let fixed =
            crate::testing::fixed("M01-v1-user-auth.md", &plan, super::super::check, "PC201");
        assert_eq!(
            fixed,
            Some(passing_plan_with(
                "- **Version**: v1\n",
                "- **Version**: v{version}\n"
            ))
        );
        let first_missing = passing_plan_with("- **Milestone**: M01\n", "");
        let fixed = crate::testing::fixed(
            "M01-v1-user-auth.md",
            &first_missing,
            super::super::check,
            "PC201",
        );
        assert_eq!(
            fixed,
            Some(passing_plan_with(
                "- **Milestone**: M01\n",
                "- **Milestone**: M{milestone-id}\n"
            ))
        );
    }

    #[test]
    fn a_missing_field_follows_the_misspelt_field_before_it() {
        let plan = passing_plan_with(
            "- **Status**: active\n- **Version**: v1\n",
            "- **Staus**: active\n",
        );
        let found = crate::testing::diagnostics("M01-v1-user-auth.md", &plan, super::super::check);
        let insertion = found
            .iter()
            .find(|d| d.message.contains("lacks the field `Version`"))
            .and_then(|d| d.fix.as_ref())
            .unwrap();
        assert_eq!(
            insertion.apply(&plan),
            Some(passing_plan_with(
                "- **Status**: active\n- **Version**: v1\n",
                "- **Staus**: active\n- **Version**: v{version}\n"
            ))
        );
    }

    #[test]
    fn a_high_priority_plans_field_comes_from_its_own_template() {
        let plan = crate::testing::PASSING_H_PLAN;
        let without = plan.replacen("- **Urgency**: critical\n", "", 1);
        let fixed = crate::testing::fixed(
            "H-20250715T101500-token-leak-fix.md",
            &without,
            super::super::check,
            "PC201",
        );
        assert_eq!(
            fixed,
            Some(plan.replacen("- **Urgency**: critical\n", "- **Urgency**: high\n", 1))
        );
    }

    #[test]
    fn an_inserted_field_joins_its_list_in_the_files_line_ending() {
        let plan = passing_plan_with("- **Version**: v1\n", "")
            .replace("- **", "* **")
            .replace('\n', "\r\n");
        let fixed =
            crate::testing::fixed("M01-v1-user-auth.md", &plan, super::super::check, "PC201");
        let expected = passing_plan_with("- **Version**: v1\n", "- **Version**: v{version}\n")
            .replace("- **", "* **")
            .replace('\n', "\r\n");
        assert_eq!(fixed, Some(expected));
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
    fn a_misspelt_or_miscased_optional_field_is_renamed() {
        let with_priority = passing_plan_with(
            "- **Version**: v1\n",
            "- **Version**: v1\n- **Priority**: high\n",
        );
        for written in ["priority", "Priorty", "PRIORITY"] {
            let plan = with_priority.replacen("**Priority**", &format!("**{written}**"), 1);
            let fixed =
                crate::testing::fixed("M01-v1-user-auth.md", &plan, super::super::check, "PC203");
            assert_eq!(fixed.as_ref(), Some(&with_priority), "{written}");
        }
        let unknown = passing_plan_with(
            "- **Version**: v1\n",
            "- **Version**: v1\n- **Owner**: Dana\n",
        );
        let fixed = crate::testing::fixed(
            "M01-v1-user-auth.md",
            &unknown,
            super::super::check,
            "PC203",
        );
        assert_eq!(fixed, None);
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
}
