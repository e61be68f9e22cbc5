//! PC404–PC406 (a plan among the other plans of its folder), PC511, PC512 and PC601 (the
//! project files themselves) and PC602 (no project to check references against).

use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::project::{ListedPlan, PlanFacts, Project};
use crate::references::References;
use crate::rules::registry::{
    DUPLICATE_PLAN, INVALID_PROJECT_FILE, MISSING_PLAN_FILE, MULTIPLE_ACTIVE_PLANS,
    PROJECT_NOT_FOUND, SUPERSEDED_WITHOUT_SUCCESSOR, UNKNOWN_PHASE,
};
use crate::rules::{Checker, RuleSet};
use crate::schema::Schema;
use crate::source::SourceFile;

/// PC404–PC406 for the plan `facts`, among the other plans of its project.
pub fn check_plan(facts: &PlanFacts, project: &Project, cx: &mut Checker<'_>) {
    let Some((milestone, written, _)) = facts.milestone() else {
        return;
    };
    let same_milestone = || {
        project
            .plans_of(milestone)
            .filter(|p| p.absolute() != facts.absolute())
    };

    if let Some((version, version_span)) = facts.version() {
        for other in same_milestone().filter(|p| p.version().is_some_and(|(v, _)| v == version)) {
            // Told once, on the later file; on this one too when the later is not checked.
            let this_is_later = other.absolute() < facts.absolute();
            if !this_is_later && other.in_run() {
                continue;
            }
            let source = Arc::new(other.source());
            if let Some(d) = cx.report(
                &DUPLICATE_PLAN,
                Some(version_span),
                format!("`{}` is also {written} v{version}", other.path()),
            ) {
                d.related(
                    source,
                    other.version().map(|(_, s)| s),
                    "the other plan's version",
                )
                .help("give one of them a higher version, or remove the copy");
            }
        }
    }

    if let Some((status, status_span)) = facts.status() {
        if status == "active" {
            let active: Vec<&PlanFacts> = same_milestone()
                .filter(|p| p.status().is_some_and(|(s, _)| s == "active"))
                .collect();
            if !active.is_empty() {
                let names: Vec<&str> = active.iter().map(|p| p.file_name()).collect();
                if let Some(d) = cx.report(
                    &MULTIPLE_ACTIVE_PLANS,
                    Some(status_span),
                    format!(
                        "milestone {written} has another active plan: {}",
                        names.join(", ")
                    ),
                ) {
                    for other in &active {
                        d.related(
                            Arc::new(other.source()),
                            other.status().map(|(_, s)| s),
                            "also active",
                        );
                    }
                    d.help("keep one plan active; mark the older one superseded");
                }
            }
        } else if status == "superseded" {
            if let Some((version, version_span)) = facts.version() {
                let has_successor =
                    same_milestone().any(|p| p.version().is_some_and(|(v, _)| v > version));
                if !has_successor {
                    if let Some(d) = cx.report(
                        &SUPERSEDED_WITHOUT_SUCCESSOR,
                        Some(version_span),
                        format!("the plan is superseded, but no plan of {written} has a version above v{version}"),
                    ) {
                        d.help(format!("add the plan that supersedes it (v{}), or correct the status", version + 1));
                    }
                }
            }
        }
    }
}

/// PC602 for a plan without a management folder: what it names could not be checked. Told
/// once per run (the caller keeps the first); with a folder, the plan's kinds of reference
/// are noted for [`check_files`], which tells at the folder what it lacks.
pub fn not_found(refs: &References, project: Option<&Project>, cx: &mut Checker<'_>) {
    use std::sync::atomic::Ordering::Relaxed;
    let Some(project) = project else {
        if !refs.is_empty() {
            if let Some(d) = cx.report(
                &PROJECT_NOT_FOUND,
                None,
                "the plan names tasks, flows or themes, but no management folder was found, so they were not checked",
            ) {
                d.help("run plancheck inside the project, or name the folder with `--project DIR`");
            }
        }
        return;
    };
    let named = &project.named;
    for (kind, names) in [
        (&named.tasks, !refs.tasks.is_empty()),
        (&named.flows, !refs.flows.is_empty()),
        (&named.themes, !refs.themes.is_empty()),
    ] {
        if names {
            kind.store(true, Relaxed);
        }
    }
}

/// PC602 at the management folder, once for each of its tasks folder, flow index and theme
/// index that the run's plans needed and it does not have (a broken one is PC601's).
fn missing_project_files(project: &Project, cx: &mut Checker<'_>) {
    use std::sync::atomic::Ordering::Relaxed;
    let named = &project.named;
    let lacks = |named: bool, read: bool, kind| named && !read && !project.broken.contains(&kind);
    let missing = [
        (
            lacks(named.tasks.load(Relaxed), project.tasks.is_some(), "tasks"),
            "tasks",
            "`Tasks/` folder",
        ),
        (
            lacks(named.flows.load(Relaxed), project.flows.is_some(), "flows"),
            "flows",
            "`ProjectFlow/flow-index.json` and no flow file",
        ),
        (
            lacks(
                named.themes.load(Relaxed),
                project.themes.is_some(),
                "themes",
            ),
            "themes",
            "`Themes/themes.json` and no theme file",
        ),
    ];
    for (_, kind, what) in missing.iter().filter(|(is_missing, _, _)| *is_missing) {
        if let Some(d) = cx.report(
            &PROJECT_NOT_FOUND,
            None,
            format!("plans name {kind}, but the management folder has no {what}, so they were not checked"),
        ) {
            d.help(
                "add the project file, or point plancheck at the right folder with `--project DIR`",
            );
        }
    }
}

/// Findings in the project files themselves: PC601 for every broken file, PC511 for
/// listed plans with no file, PC512 for tasks of the checked plans naming unknown phases.
pub fn check_files(
    project: &Project,
    schema: &Schema,
    rules: &RuleSet,
    today: crate::date::Date,
) -> Vec<(Arc<SourceFile>, Vec<Diagnostic>)> {
    let mut found: std::collections::BTreeMap<usize, Vec<Diagnostic>> = Default::default();
    let mut report = |file: usize, check: &mut dyn FnMut(&mut Checker<'_>)| {
        let source = project.files[file].source();
        let mut cx = Checker::new(schema, rules, today, &source, None);
        check(&mut cx);
        let diagnostics = cx.into_diagnostics();
        if !diagnostics.is_empty() {
            found.entry(file).or_default().extend(diagnostics);
        }
    };
    for problem in &project.problems {
        report(problem.file, &mut |cx| {
            if let Some(d) = cx.report(&INVALID_PROJECT_FILE, problem.span, problem.message.clone())
            {
                d.help("fix the file; the references that need it were not checked");
            }
        });
    }
    if let (Some(file), Some(milestones)) = (project.completion_path, &project.milestones) {
        // In parallel (and in order): 100,000 lookups, each a few cache misses.
        let missing: Vec<ListedPlan> = milestones
            .listed_plans()
            .filter(|listed| {
                let counts = matches!(listed.status, "active" | "completed");
                counts && !project.has_plan_file(listed.filename, &schema.completed_dirs)
            })
            .collect();
        if !missing.is_empty() && rules.is_enabled(&MISSING_PLAN_FILE) {
            report(file, &mut |cx| {
                for listed in &missing {
                    let folder = if listed.status == "active" {
                        "active"
                    } else {
                        schema
                            .completed_dirs
                            .first()
                            .map_or("completed", String::as_str)
                    };
                    let place = project.shown_root.join("Implementations").join(folder);
                    let (why, help) = if crate::fs::stays_inside(listed.filename) {
                        (
                            "",
                            format!(
                                "add the plan to `{}`, or correct the entry",
                                place.display()
                            ),
                        )
                    } else {
                        (
                            ": a name that leads outside the management folder names none",
                            format!("name the file alone, as it stands in `{}`", place.display()),
                        )
                    };
                    if let Some(d) = cx.report(
                        &MISSING_PLAN_FILE,
                        listed.span,
                        format!(
                            "`{}` ({}) has no plan file{why}",
                            listed.filename, listed.status
                        ),
                    ) {
                        d.help(help);
                    }
                }
            });
        }
    }
    let mut found: Vec<(Arc<SourceFile>, Vec<Diagnostic>)> = found
        .into_iter()
        .map(|(file, mut diagnostics)| {
            diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            (project.files[file].source(), diagnostics)
        })
        .collect();
    let folder = Arc::new(SourceFile::new(
        project.shown_root.display().to_string(),
        String::new(),
    ));
    let mut cx = Checker::new(schema, rules, today, &folder, None);
    missing_project_files(project, &mut cx);
    let missing = cx.into_diagnostics();
    if !missing.is_empty() {
        found.push((folder, missing));
    }
    // From the plans of the run, which alone are read for their phases, to the tasks naming
    // each: a run of one plan looks at its own tasks, not at every task of the project. A
    // task file has one phase, so one finding at most: its own report.
    if !rules.is_enabled(&UNKNOWN_PHASE) {
        return found;
    }
    // In parallel (and in order): a lookup of each plan and of the tasks naming it.
    let unknown_phases: Vec<(Arc<SourceFile>, Vec<Diagnostic>)> = (project.plans.par_iter())
        .filter(|plan| plan.in_run() && plan.phases().next().is_some())
        .flat_map_iter(|plan| {
            // Of two plans of one name, a task names the one `plan_named` finds.
            let named = project.plan_named(plan.file_name());
            let tasks = (named.is_some_and(|named| std::ptr::eq(named, &**plan)))
                .then(|| project.tasks_naming(plan.file_name()))
                .into_iter()
                .flatten();
            tasks.filter_map(move |task| {
                let phase = task.phase.filter(|phase| !plan.has_phase(phase))?;
                let source = project.task_file(task);
                let mut cx = Checker::new(schema, rules, today, &source, None);
                if let Some(d) = cx.report(
                    &UNKNOWN_PHASE,
                    task.places.phase,
                    format!("phase `{phase}` is not a phase of `{}`", plan.file_name()),
                ) {
                    let phases: Vec<&str> = plan.phases().collect();
                    d.help(format!("the plan's phases are: {}", phases.join("; ")));
                }
                let diagnostics = cx.into_diagnostics();
                (!diagnostics.is_empty()).then_some((source, diagnostics))
            })
        })
        .collect();
    found.extend(unknown_phases);
    found
}
