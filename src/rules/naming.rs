//! PC401–PC403: what a plan's file name and folder say, against what the plan says.

use crate::plan::names::{file_name_patterns, milestone_id, milestone_number, version_number};
use crate::plan::{Plan, PlanKind};
use crate::rules::metadata::{filled, find_in, milestone_contradicts_title};
use crate::rules::registry::{FILENAME_MISMATCH, NON_CANONICAL_FILENAME, STATUS_LOCATION_MISMATCH};
use crate::rules::Checker;

pub fn check(plan: &Plan, cx: &mut Checker<'_>) {
    let Some(file_name) = cx.file_name else {
        return;
    };
    non_canonical_filename(plan, file_name, cx);
    filename_mismatch(plan, file_name, cx);
    status_location_mismatch(plan, file_name, cx);
}

fn non_canonical_filename(plan: &Plan, file_name: &str, cx: &mut Checker<'_>) {
    let patterns = file_name_patterns();
    if patterns.is_canonical(file_name) {
        return;
    }
    let help = match canonical_name(plan, cx) {
        Some(name) if name != file_name => format!("rename the file `{name}`"),
        _ => match plan.kind() {
            PlanKind::Regular => "name it `M<NN>-v<N>-<slug>.md`, such as `M01-v1-auth.md`".into(),
            PlanKind::HighPriority => {
                "name it `H-<YYYYMMDDTHHMMSS>-<slug>.md`, such as `H-20250711T141500-security-fix.md`"
                    .into()
            }
        },
    };
    let span = cx.line_one();
    if let Some(d) = cx.report(
        &NON_CANONICAL_FILENAME,
        Some(span),
        format!("file name `{file_name}` is not a canonical plan name"),
    ) {
        d.help(help);
    }
}

/// The name the plan should have, built from its title and metadata when they are sound.
fn canonical_name(plan: &Plan, cx: &Checker<'_>) -> Option<String> {
    let title = plan.title()?;
    let groups = cx.title_groups(plan)?;
    let slug = slug(title.text.split_once(" - ")?.1);
    if slug.is_empty() {
        return None;
    }
    match plan.kind() {
        PlanKind::Regular => {
            let milestone = milestone_number(title.text.get(groups.milestone.clone()?)?)?;
            let version = version_number(filled(plan, cx, "Version")?.value)?;
            let superseded = filled(plan, cx, "Status").is_some_and(|s| s.value == "superseded");
            let suffix = if superseded { "-superseded" } else { "" };
            Some(format!(
                "{}-v{version}-{slug}{suffix}.md",
                milestone_id(milestone)
            ))
        }
        PlanKind::HighPriority => {
            let stamp = title.text.get(groups.timestamp.clone()?)?;
            Some(format!("H-{stamp}-{slug}.md"))
        }
    }
}

fn slug(title: &str) -> String {
    let lowered: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    lowered.split_whitespace().collect::<Vec<_>>().join("-")
}

fn filename_mismatch(plan: &Plan, file_name: &str, cx: &mut Checker<'_>) {
    let patterns = file_name_patterns();
    match plan.kind() {
        PlanKind::Regular => {
            let Some((milestone_in_name, version_in_name)) = patterns.regular_numbers(file_name)
            else {
                return;
            };
            let in_name: Option<u64> = milestone_in_name.parse().ok();
            if let Some(field) = filled(plan, cx, "Milestone") {
                let in_field = milestone_number(field.value);
                if in_field.is_some()
                    && in_field != in_name
                    && !milestone_contradicts_title(plan, cx)
                {
                    if let Some(d) = cx.report(
                        &FILENAME_MISMATCH,
                        Some(field.value_span),
                        format!(
                            "milestone `{}` differs from the file name's `M{milestone_in_name}`",
                            field.value
                        ),
                    ) {
                        d.help("rename the file, or correct the milestone");
                    }
                }
            }
            let in_name: Option<u64> = version_in_name.parse().ok();
            if let Some(field) = filled(plan, cx, "Version") {
                let in_field = version_number(field.value);
                if in_field.is_some() && in_field != in_name {
                    if let Some(d) = cx.report(
                        &FILENAME_MISMATCH,
                        Some(field.value_span),
                        format!(
                            "version `{}` differs from the file name's `v{version_in_name}`",
                            field.value
                        ),
                    ) {
                        d.help("rename the file, or correct the version");
                    }
                }
            }
        }
        PlanKind::HighPriority => {
            let Some(caps) = patterns.tolerated_high_priority.captures(file_name) else {
                return;
            };
            let in_name = format!("{}T{}", &caps[1], &caps[2]);
            let Some(title) = plan.title() else { return };
            let Some(in_title) = (cx.title_groups(plan))
                .and_then(|groups| title.text.get(groups.timestamp.clone()?))
            else {
                return;
            };
            if in_title != in_name {
                let span = find_in(cx, title.span, in_title);
                if let Some(d) = cx.report(
                    &FILENAME_MISMATCH,
                    Some(span),
                    format!(
                        "the title's `H-{in_title}` differs from the file name's `H-{in_name}`"
                    ),
                ) {
                    d.help("rename the file, or correct the title's timestamp");
                }
            }
        }
    }
}

fn status_location_mismatch(plan: &Plan, file_name: &str, cx: &mut Checker<'_>) {
    let Some(status) = filled(plan, cx, "Status") else {
        return;
    };
    let value = status.value;
    if !cx.plan_schema(plan).statuses.iter().any(|s| s == value) {
        return; // PC205's
    }
    // Where the plan stands is judged only inside an `Implementations/` folder: plans kept
    // elsewhere (docs/plans) have no state folders to be in.
    let mut problem: Option<(String, String)> = None;
    if let Some(state) = cx.folder_below("Implementations") {
        let in_active = state.as_deref() == Some("active");
        if value == "active" && !in_active {
            problem = Some((
                "the plan is `active` but is not in `Implementations/active/`".into(),
                "move it to `Implementations/active/`".into(),
            ));
        } else if matches!(value, "completed" | "superseded") && in_active {
            let first = (cx.schema.completed_dirs.first()).map_or("completed", String::as_str);
            problem = Some((
                format!("the plan is `{value}` but is in `Implementations/active/`"),
                format!("move it to `Implementations/{first}/`"),
            ));
        }
    }
    if problem.is_none() && plan.kind() == PlanKind::Regular {
        let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
        let suffixed = stem.ends_with("-superseded");
        if value == "superseded" && !suffixed {
            problem = Some((
                "the plan is `superseded` but its file name lacks the `-superseded` suffix".into(),
                format!("rename the file `{stem}-superseded.md`"),
            ));
        } else if value != "superseded" && suffixed {
            problem = Some((
                format!("the file name says superseded, but the plan is `{value}`"),
                "set the status to `superseded`, or drop the suffix from the name".into(),
            ));
        }
    }
    if let Some((message, help)) = problem {
        if let Some(d) = cx.report(&STATUS_LOCATION_MISMATCH, Some(status.value_span), message) {
            d.help(help);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PC403's findings for a plan of `status` at `path`.
    fn status_location(path: &str, status: &str) -> Vec<String> {
        let text = format!(
            "# Implementation Plan: M01 - Auth\n\n## Metadata\n- **Milestone**: M01\n- **Status**: {status}\n"
        );
        (crate::testing::diagnostics(path, &text, check).into_iter())
            .filter(|d| d.rule.code == "PC403")
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn place_is_judged_only_inside_implementations() {
        let clean: [(&str, &str); 8] = [
            ("/p/Implementations/active/M01-v1-auth.md", "active"),
            ("/p/Implementations/active/team-a/M01-v1-auth.md", "active"),
            ("/p/Implementations/completed/M01-v1-auth.md", "completed"),
            (
                "/p/Implementations/archive/M01-v1-auth-superseded.md",
                "superseded",
            ),
            ("/p/Implementations/drafts/M01-v1-auth.md", "completed"),
            ("/p/docs/plans/M01-v1-auth.md", "active"),
            ("/p/docs/plans/M01-v1-auth.md", "completed"),
            ("/p/docs/plans/M01-v1-auth-superseded.md", "superseded"),
        ];
        for (path, status) in clean {
            assert_eq!(
                status_location(path, status),
                Vec::<String>::new(),
                "{path} {status}"
            );
        }
        let wrong: [(&str, &str, &str); 7] = [
            (
                "/p/Implementations/completed/M01-v1-auth.md",
                "active",
                "is not in `Implementations/active/`",
            ),
            (
                "/p/Implementations/M01-v1-auth.md",
                "active",
                "is not in `Implementations/active/`",
            ),
            (
                "/p/Implementations/active/M01-v1-auth.md",
                "completed",
                "is in `Implementations/active/`",
            ),
            (
                "/p/Implementations/active/M01-v1-auth-superseded.md",
                "superseded",
                "is in `Implementations/active/`",
            ),
            // The suffix, for any plan wherever it is.
            (
                "/p/docs/plans/M01-v1-auth.md",
                "superseded",
                "lacks the `-superseded` suffix",
            ),
            (
                "/p/Implementations/completed/M01-v1-auth.md",
                "superseded",
                "lacks the `-superseded` suffix",
            ),
            (
                "/p/docs/M01-v1-auth-superseded.md",
                "active",
                "the file name says superseded",
            ),
        ];
        for (path, status, says) in wrong {
            let found = status_location(path, status);
            assert_eq!(found.len(), 1, "{path} {status}: {found:?}");
            assert!(found[0].contains(says), "{path} {status}: {found:?}");
        }
    }

    #[test]
    fn slugs_are_lower_kebab() {
        assert_eq!(slug("User Auth & Sessions (v2)"), "user-auth-sessions-v2");
    }
}
