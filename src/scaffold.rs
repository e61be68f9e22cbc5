//! A new plan's text (`plancheck new`), written from the template of its kind: the
//! template's own text, with what is known of the plan filled in and the rest left as the
//! template has it, for the author to replace. It reads and writes no file.

use crate::plan::{phase_heading, Plan, Span};
use crate::schema::{notes_on_the_template, PlanSchema};

/// What is known of a new plan.
#[derive(Debug, Clone)]
pub struct NewPlan<'a> {
    pub title: &'a str,
    /// Created and Updated, `YYYY-MM-DD`.
    pub today: &'a str,
    /// The target field's date, when given; else the template's placeholder stays.
    pub target: Option<&'a str>,
    pub kind: NewKind<'a>,
}

#[derive(Debug, Clone)]
pub enum NewKind<'a> {
    Regular {
        /// `M03`: at least two digits.
        milestone: &'a str,
        version: u64,
        /// From the milestone's entry in completion-path.json, as written there.
        related_tasks: &'a [&'a str],
        required_flows: &'a [&'a str],
    },
    HighPriority {
        /// `YYYYMMDDTHHMMSS`, as the file name and the title write it.
        timestamp: &'a str,
        /// The escalation's date and time, `YYYY-MM-DDTHH:MM:SS`.
        escalated: &'a str,
        original_task: &'a str,
    },
}

/// How many phases a new plan has.
const PHASES: u64 = 3;

/// The text of `new`, from `schema`'s template.
pub fn write(schema: &PlanSchema, new: &NewPlan<'_>) -> String {
    let markdown = schema.template_text.as_str();
    let plan = crate::parse::parse(markdown, None);
    let names = names_known(new);
    let mut edits: Vec<(Span, String)> = Vec::new();
    if let Some(title) = plan.title() {
        let line = &markdown[title.span.range()];
        edits.push((title.span, fill_names(line, &names)));
    }
    for field in plan.fields() {
        let value =
            field_value(schema, new, field.name).unwrap_or_else(|| fill_names(field.value, &names));
        edits.push((field.value_span, value));
    }
    if let Some(edit) = phases(&plan, markdown, &schema.phases_section) {
        edits.push(edit);
    }
    if let NewKind::Regular { required_flows, .. } = new.kind {
        if let Some(edit) = flows_listed(&plan, markdown, required_flows) {
            edits.push(edit);
        }
    }
    let end = notes_on_the_template(&plan, markdown);
    edits.retain(|(span, _)| span.end <= end);
    edits.sort_by_key(|(span, _)| (span.start, span.end));
    let mut text = String::with_capacity(markdown.len() + 1024);
    let mut at = 0;
    for (span, replacement) in edits {
        text.push_str(&markdown[at..span.start]);
        text.push_str(&replacement);
        at = span.end;
    }
    text.push_str(&markdown[at..end]);
    let kept = text.trim_end().len();
    text.truncate(kept);
    text.push('\n');
    text
}

/// The template's names (`{milestone-id}`, `{Milestone Title}`) the plan has values for,
/// lower-cased.
fn names_known<'a>(new: &NewPlan<'a>) -> Vec<(&'static str, String)> {
    let mut names = vec![
        ("milestone title", new.title.to_string()),
        ("plan title", new.title.to_string()),
    ];
    match new.kind {
        NewKind::Regular {
            milestone, version, ..
        } => {
            let digits = milestone.trim_start_matches('M');
            names.push(("milestone-id", digits.to_string()));
            names.push(("version", version.to_string()));
        }
        NewKind::HighPriority {
            timestamp,
            original_task,
            ..
        } => {
            names.push(("timestamp", timestamp.to_string()));
            names.push(("task-id", original_task.to_string()));
        }
    }
    names
}

/// `text` with each `{name}` of `names` (any case) replaced by its value.
fn fill_names(text: &str, names: &[(&str, String)]) -> String {
    let mut filled = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let (before, from_open) = rest.split_at(open);
        filled.push_str(before);
        let value = from_open.find('}').and_then(|close| {
            let inner = from_open[1..close].trim().to_lowercase();
            let (_, value) = names.iter().find(|(name, _)| *name == inner)?;
            Some((value, close))
        });
        match value {
            Some((value, close)) => {
                filled.push_str(value);
                rest = &from_open[close + 1..];
            }
            None => {
                filled.push('{');
                rest = &from_open[1..];
            }
        }
    }
    filled.push_str(rest);
    filled
}

/// The value `new` gives the metadata field `name`; `None` for a field it knows nothing of,
/// which keeps the template's value.
fn field_value(schema: &PlanSchema, new: &NewPlan<'_>, name: &str) -> Option<String> {
    let is = |field: &str| name.eq_ignore_ascii_case(field);
    if is(&schema.target_field) {
        return new.target.map(str::to_string);
    }
    if is("Created") || is("Updated") {
        return Some(new.today.to_string());
    }
    if is("Status") {
        return Some("active".to_string());
    }
    match new.kind {
        NewKind::Regular {
            milestone,
            version,
            related_tasks,
            ..
        } => {
            if is("Milestone") {
                Some(milestone.to_string())
            } else if is("Version") {
                Some(format!("v{version}"))
            } else if is("Related Tasks") {
                Some(format!("[{}]", related_tasks.join(", ")))
            } else {
                None
            }
        }
        NewKind::HighPriority {
            escalated,
            original_task,
            ..
        } => {
            if is("Escalation Date") {
                Some(escalated.to_string())
            } else if is("Original Task") {
                Some(original_task.to_string())
            } else {
                None
            }
        }
    }
}

/// The template's phases, from its first phase to the end of its last, replaced by
/// [`PHASES`] copies of the first, numbered: the template's other phases only say "the same
/// again" (`[Same structure as Phase 1]`), which a plan has no use for.
fn phases(plan: &Plan<'_>, markdown: &str, phases_section: &str) -> Option<(Span, String)> {
    let section = plan.section(phases_section)?;
    let mut phases = plan
        .children(section)
        .filter(|(_, heading)| phase_heading(&heading.text).is_some());
    let (_, first) = phases.next()?;
    let last_end = phases.last().map_or(first.body.end, |(_, h)| h.body.end);
    let (number, _) = phase_heading(&first.text)?;
    let heading_line = &markdown[first.span.range()];
    let body = markdown[first.span.end..first.body.end].trim_end();
    let numbered = format!("Phase {number}");
    let copies: Vec<String> = (1..=PHASES)
        .map(|n| {
            let heading = heading_line.replacen(&numbered, &format!("Phase {n}"), 1);
            format!("{heading}{body}")
        })
        .collect();
    Some((
        Span::new(first.span.start, last_end),
        copies.join("\n\n") + "\n\n",
    ))
}

/// The milestone's required flows, listed first under `### Required Project Flows`, each
/// as a code span: the form the flow references read.
fn flows_listed(plan: &Plan<'_>, markdown: &str, flows: &[&str]) -> Option<(Span, String)> {
    if flows.is_empty() {
        return None;
    }
    let section = plan.section("Flow Integration")?;
    let heading = &plan.headings[plan.subsection(section, "Required Project Flows")?];
    let after_heading = crate::source::line_end(markdown, heading.span.end).1;
    let items: String = flows.iter().map(|flow| format!("- `{flow}`\n")).collect();
    Some((Span::new(after_heading, after_heading), items))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    fn regular<'a>(tasks: &'a [&'a str], flows: &'a [&'a str]) -> NewPlan<'a> {
        NewPlan {
            title: "Payment gateway",
            today: "2026-12-07",
            target: None,
            kind: NewKind::Regular {
                milestone: "M03",
                version: 2,
                related_tasks: tasks,
                required_flows: flows,
            },
        }
    }

    #[test]
    fn fills_the_title_and_metadata_and_keeps_the_target_s_placeholder() {
        let schema = Schema::default_schema();
        let text = write(&schema.regular, &regular(&[], &[]));
        let head: Vec<&str> = text.lines().take(10).collect();
        assert_eq!(
            head,
            [
                "# Implementation Plan: M03 - Payment gateway",
                "",
                "## Metadata",
                "- **Milestone**: M03",
                "- **Status**: active",
                "- **Version**: v2",
                "- **Created**: 2026-12-07",
                "- **Updated**: 2026-12-07",
                "- **Completion Target**: {ISO-8601-date}",
                "- **Related Tasks**: []",
            ]
        );
        let with_target = NewPlan {
            target: Some("2027-03-01"),
            ..regular(&[], &[])
        };
        let text = write(&schema.regular, &with_target);
        assert!(text.contains("- **Completion Target**: 2027-03-01\n"));
    }

    #[test]
    fn writes_three_phases_of_the_first_phase_s_fields_and_no_instruction() {
        let schema = Schema::default_schema();
        let text = write(&schema.regular, &regular(&[], &[]));
        for n in 1..=3 {
            assert_eq!(
                text.matches(&format!("### Phase {n}: {{Phase Name}}\n"))
                    .count(),
                1
            );
        }
        assert!(!text.contains("### Phase 4"));
        assert_eq!(
            text.matches(
                "- **Objectives**: What this phase accomplishes toward milestone completion\n"
            )
            .count(),
            3
        );
        assert!(!text.contains("[Same structure as Phase 1]"));
        assert!(!text.contains("[Continue pattern"));
        assert!(text.contains(
            "- **Risk Factors**: Specific risks for this phase\n\n## Success Criteria\n"
        ));
    }

    #[test]
    fn lists_the_milestone_s_tasks_and_flows() {
        let schema = Schema::default_schema();
        let tasks = ["TASK-20250711T140000", "SQ-20250711T140000-001"];
        let flows = ["user-login-flow", "user-registration-flow"];
        let text = write(&schema.regular, &regular(&tasks, &flows));
        assert!(
            text.contains("- **Related Tasks**: [TASK-20250711T140000, SQ-20250711T140000-001]\n")
        );
        assert!(text.contains(
            "### Required Project Flows\n- `user-login-flow`\n- `user-registration-flow`\n\
             - List of flowIds"
        ));
    }

    #[test]
    fn leaves_out_the_template_s_notes_on_itself_and_keeps_its_guidance() {
        let schema = Schema::default_schema();
        let text = write(&schema.regular, &regular(&[], &[]));
        assert!(!text.contains("Template Usage"));
        assert!(!text.contains("---"));
        assert!(text.ends_with("- Impact assessment of changes on timeline and resources\n"));
        assert!(
            text.contains("- What exists currently in the codebase related to this milestone\n")
        );
    }

    #[test]
    fn writes_a_high_priority_plan_from_its_grammar() {
        let schema = Schema::default_schema();
        let new = NewPlan {
            title: "Token leak",
            today: "2026-12-07",
            target: Some("2026-12-20"),
            kind: NewKind::HighPriority {
                timestamp: "20261207T154200",
                escalated: "2026-12-07T15:42:00",
                original_task: "HIGH-TASK-20261207T150000",
            },
        };
        let text = write(&schema.high_priority, &new);
        let head: Vec<&str> = text.lines().take(13).collect();
        assert_eq!(
            head,
            [
                "# [HIGH PRIORITY] Implementation Plan: H-20261207T154200 - Token leak",
                "",
                "## Metadata",
                "- **Plan Type**: high-priority",
                "- **Priority**: HIGH",
                "- **Escalation Date**: 2026-12-07T15:42:00",
                "- **Status**: active",
                "- **Created**: 2026-12-07",
                "- **Updated**: 2026-12-07",
                "- **Estimated Completion**: 2026-12-20",
                "- **Original Task**: HIGH-TASK-20261207T150000",
                "- **Urgency**: high",
                "",
            ]
        );
        assert_eq!(text.matches("- **Risk Mitigation**: ").count(), 3);
    }

    #[test]
    fn fills_names_in_any_case_and_leaves_others() {
        let names = [("milestone-id", "03".to_string())];
        assert_eq!(
            fill_names("M{milestone-id} {Milestone-ID} {other} {", &names),
            "M03 03 {other} {"
        );
    }
}
