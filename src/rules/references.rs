//! PC5xx: what a plan names must exist in its project, and agree with it.

use std::sync::Arc;

use crate::diagnostic::{Edit, Fix};
use crate::plan::{Plan, PlanKind};
use crate::project::{Milestones, PlanFacts, Project, RequiredFlow, Resolution};
use crate::references::{Reference, References, TaskOrigin};
use crate::rules::metadata::{filled, milestone_contradicts_title};
use crate::rules::registry::Rule;
use crate::rules::registry::{
    MALFORMED_TASK_ID, MISSING_REQUIRED_FLOW, TASK_MILESTONE_MISMATCH, UNKNOWN_FLOW,
    UNKNOWN_FLOW_FILE, UNKNOWN_MILESTONE, UNKNOWN_TASK, UNKNOWN_THEME, UNLISTED_PLAN,
    UNLISTED_TASK,
};
use crate::rules::Checker;
use crate::suggest::{guess, Guess};

const TASK_FOLDERS: &str =
    "Tasks/active, Tasks/archive/tasks, Tasks/sidequests and Tasks/archive/sidequests";

/// PC502, which needs no project.
pub fn malformed_task_ids(refs: &References, cx: &mut Checker<'_>) {
    for malformed in &refs.malformed_tasks {
        if let Some(d) = cx.report(
            &MALFORMED_TASK_ID,
            Some(malformed.span),
            format!("`{}` is not a valid task id", malformed.id),
        ) {
            d.help("task ids look like `TASK-20250711T140000` (or `HIGH-TASK-…`, `SQ-20250711T140000-001`)");
        }
    }
}

pub fn check(
    plan: &Plan,
    refs: &References,
    project: &Project,
    facts: &PlanFacts,
    cx: &mut Checker<'_>,
) {
    tasks(plan, refs, project, facts, cx);
    let meant_flows = flows(refs, project, cx);
    themes(refs, project, cx);
    milestone(plan, refs, project, facts, &meant_flows, cx);
}

fn tasks(
    plan: &Plan,
    refs: &References,
    project: &Project,
    facts: &PlanFacts,
    cx: &mut Checker<'_>,
) {
    let Some(tasks) = &project.tasks else { return };
    // Known ids that an unknown one was probably meant to be: told once, by PC501's help.
    let mut meant: Vec<&str> = Vec::new();
    let contradicts_title = milestone_contradicts_title(plan, cx);
    for task_ref in &refs.tasks {
        let task = match project.resolve_task(&task_ref.id) {
            Resolution::Found(task) => task,
            Resolution::Unchecked => continue,
            Resolution::Dangling => {
                let reference = Reference {
                    id: task_ref.id.clone(),
                    span: task_ref.span,
                };
                meant.extend(report_unknown(
                    cx,
                    &UNKNOWN_TASK,
                    &reference,
                    format!("task `{}` has no task file", task_ref.id),
                    // A task id of a valid form has one case: `task-…` is no task id at all.
                    None,
                    near(
                        &task_ref.id,
                        tasks.len(),
                        || tasks.ids(),
                        |p| tasks.ids_within(p),
                    ),
                    format!(
                        "looked for `{}.json` in {TASK_FOLDERS} of `{}`",
                        task_ref.id,
                        project.shown_root.display()
                    ),
                    Respell::WhenSure,
                ));
                continue;
            }
        };
        if task_ref.origin != TaskOrigin::RelatedTasks || contradicts_title {
            continue;
        }
        let (Some((plan_milestone, written, _)), Some(number)) =
            (facts.milestone(), task.milestone)
        else {
            continue;
        };
        if number == plan_milestone {
            continue;
        }
        let (value, span) = task.places.milestone.unwrap_or(("", None));
        if let Some(d) = cx.report(
            &TASK_MILESTONE_MISMATCH,
            Some(task_ref.span),
            format!(
                "task `{}` belongs to milestone `{value}`, not this plan's `{written}`",
                task_ref.id
            ),
        ) {
            d.related(project.task_file(task), span, "the task's milestone")
                .help("remove the task from Related Tasks, or move it to this milestone");
        }
    }
    // Tasks that name this plan but are not in its Related Tasks; a high-priority plan has
    // none to list them in.
    if plan.kind() == PlanKind::HighPriority {
        return;
    }
    let Some(related) = filled(plan, cx, "Related Tasks").map(|f| f.value_span) else {
        return;
    };
    let listed: Vec<&str> = refs
        .tasks
        .iter()
        .filter(|t| t.origin == TaskOrigin::RelatedTasks)
        .map(|t| &*t.id)
        .collect();
    for task in project.tasks_naming(facts.file_name()) {
        if listed.contains(&task.id) || meant.contains(&task.id) {
            continue;
        }
        if let Some(d) = cx.report(
            &UNLISTED_TASK,
            Some(related),
            format!(
                "task `{}` names this plan but is not in its Related Tasks",
                task.id
            ),
        ) {
            d.related(project.task_file(task), None, "the task file")
                .help(format!("add `{}` to Related Tasks", task.id));
        }
    }
}

/// Returns the known flows that unknown ones were probably meant to be.
fn flows<'p>(refs: &References, project: &'p Project, cx: &mut Checker<'_>) -> Vec<&'p str> {
    let mut meant = Vec::new();
    if let Some(flows) = &project.flows {
        for flow in &refs.flows {
            if project.resolve_flow(&flow.id) != Resolution::Dangling {
                continue;
            }
            meant.extend(report_unknown(
                cx,
                &UNKNOWN_FLOW,
                flow,
                format!("flow `{}` is not defined", flow.id),
                project.flows_by_lowercase.find(&flow.id, flows),
                near(
                    &flow.id,
                    flows.len(),
                    || flows.iter(),
                    |p| flows.range::<str, _>(p),
                ),
                format!(
                    "looked in ProjectFlow/flow-index.json and every `*-flow.json` of `{}`",
                    project.shown_root.display()
                ),
                Respell::Never,
            ));
        }
    }
    if project.has_flow_folder {
        for file in &refs.flow_files {
            if project.flow_files.contains(&*file.id) {
                continue;
            }
            report_unknown(
                cx,
                &UNKNOWN_FLOW_FILE,
                file,
                format!("flow file `{}` does not exist", file.id),
                (project.flow_files_by_lowercase).find(&file.id, &project.flow_files),
                near(
                    &file.id,
                    project.flow_files.len(),
                    || project.flow_files.iter(),
                    |p| project.flow_files.range::<str, _>(p),
                ),
                format!(
                    "looked in `{}`",
                    project.shown_root.join("ProjectFlow").display()
                ),
                Respell::Never,
            );
        }
    }
    meant
}

fn themes(refs: &References, project: &Project, cx: &mut Checker<'_>) {
    let Some(themes) = &project.themes else {
        return;
    };
    for theme in &refs.themes {
        if project.resolve_theme(&theme.id) != Resolution::Dangling {
            continue;
        }
        report_unknown(
            cx,
            &UNKNOWN_THEME,
            theme,
            format!("theme `{}` is not defined", theme.id),
            project.themes_by_lowercase.find(&theme.id, themes),
            near(
                &theme.id,
                themes.len(),
                || themes.iter(),
                |p| themes.range::<str, _>(p),
            ),
            format!(
                "looked in Themes/themes.json and the theme files of `{}`",
                project.shown_root.display()
            ),
            Respell::Never,
        );
    }
}

/// Above this many known ids, suggestions come only from the ids that sort next to the
/// unknown one (those sharing its longest prefix): comparing every unknown id with every
/// known one grows with the square of the project (100,000 plans took 26 s, most of it here).
const SCAN_EVERY_ID_UP_TO: usize = 2_000;
const NEIGHBOURS: usize = 64;

/// The known ids worth comparing with `id`: all of them in a small project, else its
/// neighbours on either side in sorted order (a range of the sorted set, so no scan).
fn near<'k, S, A, R>(
    id: &str,
    count: usize,
    all: impl FnOnce() -> A,
    from: impl Fn((std::ops::Bound<&str>, std::ops::Bound<&str>)) -> R,
) -> Vec<&'k str>
where
    S: AsRef<str> + ?Sized + 'k,
    A: Iterator<Item = &'k S>,
    R: DoubleEndedIterator<Item = &'k S>,
{
    use std::ops::Bound::{Excluded, Included, Unbounded};
    if count <= SCAN_EVERY_ID_UP_TO {
        return all().map(AsRef::as_ref).collect();
    }
    let before = from((Unbounded, Excluded(id))).rev().take(NEIGHBOURS);
    let after = from((Included(id), Unbounded)).take(NEIGHBOURS);
    before.chain(after).map(AsRef::as_ref).collect()
}

/// Whether an unknown id of a rule is repaired (`--fix`) to the one known id that is
/// closest, when no other is as close: a task id's spelling is, a flow's or theme's name
/// is not (cli.md lists the fixes).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Respell {
    WhenSure,
    Never,
}

/// An id the project does not know: the help names the known one it differs from only in
/// case (`same_but_case`), else the closest known one, and says where plancheck `looked`
/// ("looked in …"). Returns the one named.
#[allow(clippy::too_many_arguments)]
fn report_unknown<'k>(
    cx: &mut Checker<'_>,
    rule: &'static Rule,
    reference: &Reference,
    message: String,
    same_but_case: Option<&'k str>,
    known: impl IntoIterator<Item = &'k str>,
    looked: String,
    respell: Respell,
) -> Option<&'k str> {
    if !cx.is_enabled(rule) {
        return None;
    }
    if let Some(known) = same_but_case {
        if let Some(d) = cx.report(rule, Some(reference.span), message) {
            d.help(format!("use `{known}`: the case must match"));
        }
        return Some(known);
    }
    let guess = guess(&reference.id, known);
    let best = guess.map(|g| g.word);
    let hint = best
        .map(|best| format!("did you mean `{best}`? "))
        .unwrap_or_default();
    let sure = guess
        .and_then(Guess::only)
        .filter(|_| respell == Respell::WhenSure);
    if let Some(d) = cx.report(rule, Some(reference.span), message) {
        d.help(format!("{hint}plancheck {looked}"));
        if let Some(sure) = sure {
            d.fix(Fix::safe(
                format!("write `{sure}`"),
                vec![Edit::replace(reference.span, sure)],
            ));
        }
    }
    best
}

/// What completion-path.json lists, for a milestone it does not: every one in a small
/// project, else the nearest by number (a help line, not a list of thousands).
fn listed_milestones(milestones: &Milestones, number: u64) -> String {
    const LIST_UP_TO: usize = 12;
    if milestones.len() <= LIST_UP_TO {
        let known: Vec<&str> = milestones.iter().map(|m| m.id).collect();
        return format!("completion-path.json lists: {}", known.join(", "));
    }
    let below = milestones.before(number);
    let above = milestones.after(number);
    let nearest: Vec<String> = below
        .into_iter()
        .chain(above)
        .map(|m| format!("`{}`", m.id))
        .collect();
    let verb = if nearest.len() == 1 { "is" } else { "are" };
    format!(
        "completion-path.json lists {} milestones; the nearest {verb} {}",
        milestones.len(),
        nearest.join(" and ")
    )
}

fn milestone(
    plan: &Plan,
    refs: &References,
    project: &Project,
    facts: &PlanFacts,
    meant_flows: &[&str],
    cx: &mut Checker<'_>,
) {
    if plan.kind() != PlanKind::Regular || milestone_contradicts_title(plan, cx) {
        return;
    }
    let (Some(milestones), Some(field)) = (&project.milestones, filled(plan, cx, "Milestone"))
    else {
        return;
    };
    let Some((number, written, _)) = facts.milestone() else {
        return;
    };
    let Some(path_file) = project.completion_path_file() else {
        return;
    };
    let Some(entry) = milestones.get(number) else {
        if let Some(d) = cx.report(
            &UNKNOWN_MILESTONE,
            Some(field.value_span),
            format!("milestone `{written}` is not in completion-path.json"),
        ) {
            d.help(listed_milestones(milestones, number));
        }
        return;
    };
    let is_superseded = facts.status().is_some_and(|(s, _)| s == "superseded");
    if !is_superseded {
        let listed: Vec<&str> = refs.flows.iter().map(|f| &*f.id).collect();
        let heading = plan
            .section("Flow Integration")
            .and_then(|s| plan.subsection(s, "Required Project Flows"))
            .map(|h| plan.headings[h].span);
        if let Some(heading) = heading {
            // A required flow that an unknown listed one was meant to be is PC503's.
            let missing = (entry.required_flows())
                .filter(|f| !listed.contains(&f.id) && !meant_flows.contains(&f.id));
            for RequiredFlow { id: flow, span } in missing {
                if let Some(d) = cx.report(
                    &MISSING_REQUIRED_FLOW,
                    Some(heading),
                    format!(
                        "milestone `{}` requires flow `{flow}`, which this plan does not list",
                        entry.id
                    ),
                ) {
                    d.related(Arc::clone(&path_file), span.or(entry.span), "required here");
                    d.help(format!("list `{flow}` under Required Project Flows"));
                }
            }
        }
    }
    if !entry.plans().any(|p| p.filename == facts.file_name()) {
        if let Some(d) = cx.report(
            &UNLISTED_PLAN,
            Some(field.value_span),
            format!(
                "the plan is not among milestone `{}`'s implementationPlans",
                entry.id
            ),
        ) {
            d.related(Arc::clone(&path_file), entry.span, "the milestone");
            d.help(format!(
                "add `{{\"filename\": \"{}\", …}}` to its implementationPlans",
                facts.file_name()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::fixture_diagnostics;

    #[test]
    fn a_task_id_one_known_id_is_nearest_to_is_respelt() {
        let (found, text) = fixture_diagnostics(
            "fixtures/fixes/task-id/projectManagement/Implementations/active/M01-v1-user-auth.md",
        );
        let [unknown] = found.as_slice() else {
            panic!("{found:#?}");
        };
        assert_eq!(unknown.rule.code, "PC501");
        let fixed = unknown.fix.as_ref().and_then(|f| f.apply(&text)).unwrap();
        assert_eq!(
            fixed,
            text.replacen("[TASK-20250701T090001]", "[TASK-20250701T090000]", 1)
        );
    }
}
