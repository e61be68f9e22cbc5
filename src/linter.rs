//! The linter: every rule over the inputs of a run, in two passes. The first checks each
//! plan alone and against its project's files, in parallel; then the project files are
//! checked; the second pass checks the plans of a folder among themselves and applies each
//! plan's suppressions; last come the per-file ignores.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::discover::{self, Input};
use crate::fs;
use crate::parse;
use crate::plan;
use crate::project::{self, PlanFacts, Project};
use crate::references;
use crate::report::FileReport;
use crate::rules::file::{self as file_rules, Decoded};
use crate::rules::registry;
use crate::rules::selection::Selector;
use crate::rules::suppression::Suppressions;
use crate::rules::{self, Checker, RuleSet};
use crate::settings::{Config, Settings};
use crate::source::SourceFile;

/// The settings of a run, and the rules they select: what every check shares.
pub struct Linter {
    pub settings: Settings,
    pub rules: RuleSet,
}

/// Texts that stand in for the inputs of a run, by the input's index: what `--fix` made of
/// them so far.
pub type Replaced = std::collections::BTreeMap<usize, Vec<u8>>;

/// What a run found.
pub struct Linted {
    /// One per file with findings, and one per clean plan when asked for; in path order.
    pub reports: Vec<FileReport>,
    /// The plans with nothing to report and no report of their own.
    pub clean_plans: usize,
}

impl Linter {
    pub fn new(settings: Settings) -> Linter {
        let rules = RuleSet::new(&settings.rules);
        Linter { settings, rules }
    }

    /// Where an input stands (for stdin, `--stdin-filename`).
    fn location<'a>(&'a self, input: &'a Input) -> Option<&'a Path> {
        match input {
            Input::Stdin => self.settings.stdin_filename.as_deref(),
            Input::File { path, .. } | Input::Unreadable { path, .. } => Some(path),
        }
    }

    /// The projects the inputs stand in, each loaded once, and the index of each input's
    /// project among them.
    pub fn load_projects(
        &self,
        inputs: &[Input],
        pool: &rayon::ThreadPool,
    ) -> (Vec<Project>, Vec<Option<usize>>) {
        // Where each input sits in a project: found from its path, before any file is read.
        let stdin_location = self
            .settings
            .stdin_filename
            .as_deref()
            .unwrap_or(Path::new("-"));
        let locations: Vec<Option<&Path>> = inputs
            .iter()
            .map(|input| match input {
                Input::Stdin => Some(stdin_location),
                Input::File { path, .. } => Some(path.as_path()),
                Input::Unreadable { .. } => None,
            })
            .collect();
        // Each input's project, as an index into `roots`: one copy of each folder's path. What
        // the loads need to tell the plans of the run from the others is let go once they are
        // done: each plan's facts keep their own absolute path.
        let project::Placement {
            roots,
            root_of,
            mut run_plans,
        } = pool.install(|| project::locate(&locations, &self.settings.project));
        drop(locations);
        let projects = pool.install(|| {
            roots
                .par_iter()
                .zip(&mut run_plans)
                .map(|(root, run_plans)| {
                    run_plans.index();
                    let shown = fs::relative_to_current_dir(root);
                    project::load(
                        root,
                        &shown,
                        run_plans,
                        &self.settings.schema.completed_dirs,
                    )
                })
                .collect()
        });
        (projects, root_of)
    }

    /// The project at `root` with none of its plans in a run: every plan of it is one of
    /// the others for a text [`Linter::check_text`] checks, but for the plan at the text's
    /// own location.
    pub fn load_project(&self, root: &Path, pool: &rayon::ThreadPool) -> Project {
        let mut none_in_a_run = project::RunPlans::default();
        none_in_a_run.index();
        let shown = fs::relative_to_current_dir(root);
        pool.install(|| {
            let completed_dirs = &self.settings.schema.completed_dirs;
            let mut project = project::load(root, &shown, &none_in_a_run, completed_dirs);
            project.index_plans();
            project
        })
    }

    /// Checks every input: `stdin` is what standard input held, when an input is `-`.
    /// `keep_clean`: a clean plan gets a report of its own too (JUnit lists it as passed).
    pub fn run(
        &self,
        inputs: &[Input],
        stdin: Option<&Result<Vec<u8>, fs::ReadError>>,
        keep_clean: bool,
        pool: &rayon::ThreadPool,
    ) -> Linted {
        let replaced = Replaced::new();
        self.run_keeping(inputs, stdin, &replaced, Kept::Shown, keep_clean, pool)
    }

    /// How the input at `input` is named in reports: its path as the user gave it, or for
    /// standard input `--stdin-filename` or `-`.
    pub fn shown_name(&self, input: &Input) -> String {
        shown(self.location(input))
    }

    /// A round of `--fix`: [`Linter::run`], with the inputs `replaced` holds (by their index
    /// in `inputs`) checked as those bytes instead of what their files or standard input
    /// hold (the text `--fix` made of them so far), and the whole text of every plan with a
    /// fix kept, for the fixes to edit.
    pub fn run_over(
        &self,
        inputs: &[Input],
        stdin: Option<&Result<Vec<u8>, fs::ReadError>>,
        replaced: &Replaced,
        keep_clean: bool,
        pool: &rayon::ThreadPool,
    ) -> Linted {
        self.run_keeping(
            inputs,
            stdin,
            replaced,
            Kept::FixableWhole,
            keep_clean,
            pool,
        )
    }

    fn run_keeping(
        &self,
        inputs: &[Input],
        stdin: Option<&Result<Vec<u8>, fs::ReadError>>,
        replaced: &Replaced,
        kept: Kept,
        keep_clean: bool,
        pool: &rayon::ThreadPool,
    ) -> Linted {
        let (mut projects, root_of) = if self.rules.needs_project() {
            self.load_projects(inputs, pool)
        } else {
            (Vec::new(), vec![None; inputs.len()])
        };

        // First pass: every check that needs this plan and the project files only. Each plan
        // is read and parsed once, and leaves what the cross-file checks need of it.
        // One slot per input (none for a walked file that is no plan): collected at its exact
        // size, without the pieces a filtered parallel collect joins.
        let mut first_passes: Vec<Option<FirstPass<'_>>> = pool.install(|| {
            inputs
                .par_iter()
                .zip(&root_of)
                .enumerate()
                .map_init(fs::FileReader::default, |reader, (at, (input, &root))| {
                    let project = root.map(|r| &projects[r]);
                    match replaced.get(&at) {
                        Some(bytes) => first_pass_over(input, bytes.clone(), project, self),
                        None => first_pass(input, stdin, project, self, kept, reader),
                    }
                })
                .collect()
        });
        let mut facts_per_project = vec![0; projects.len()];
        for (first, root) in first_passes.iter().zip(&root_of) {
            if let (Some(FirstPass { facts: Some(_), .. }), Some(root)) = (first, root) {
                facts_per_project[*root] += 1;
            }
        }
        for (project, count) in projects.iter_mut().zip(facts_per_project) {
            project.plans.reserve_exact(count);
        }
        for (input, (first, root)) in first_passes.iter_mut().zip(&root_of).enumerate() {
            let Some(first) = first else { continue };
            if let (Some(facts), Some(root)) = (first.facts.take(), *root) {
                first.facts = projects[root].add_checked_plan(input, facts);
                first.facts_in_project = first.facts.is_none();
            }
        }
        // The project files' own checks are the last to need the tasks and the milestones: run
        // them now, and let those lists go before the second pass, which compares plans only.
        let project_reports: Vec<FileReport> = pool.install(|| {
            let mut reports = Vec::new();
            for project in &mut projects {
                project.index_plans();
                let found = rules::project::check_files(
                    project,
                    &self.settings.schema,
                    &self.rules,
                    self.settings.today,
                );
                reports.extend(
                    found
                        .into_iter()
                        .map(|(source, diagnostics)| FileReport::new(source, diagnostics, false)),
                );
                drop(project.release_tasks_and_milestones());
            }
            reports
        });
        // Second pass: the checks among the plans of a folder, then the suppressions. A plan
        // with nothing to report is only counted, unless JUnit lists it as a passed suite.
        let second_passes: Vec<Option<Result<FileReport, Option<&Path>>>> = pool.install(|| {
            first_passes
                .into_par_iter()
                .zip(&root_of)
                .enumerate()
                .map(|(input, (first, root))| {
                    let first = first?;
                    let location = first.location;
                    let project = root.map(|r| &projects[r]);
                    Some(second_pass(input, first, project, self).ok_or(location))
                })
                .collect()
        });
        let mut reports = Vec::new();
        let mut clean_plans = 0;
        for second_pass in second_passes.into_iter().flatten() {
            match second_pass {
                Ok(report) => reports.push(report),
                Err(location) if keep_clean => reports.push(FileReport::new(
                    Arc::new(SourceFile::new(shown(location), String::new())),
                    Vec::new(),
                    true,
                )),
                Err(_) => clean_plans += 1,
            }
        }
        reports.extend(project_reports);
        // What the report needs is in the reports now: let the projects and the run's paths go
        // before it is written.
        drop(projects);
        drop(root_of);
        reports.sort_by(|a, b| a.path().cmp(b.path()));
        tell_each_missing_project_once(&mut reports);
        apply_per_file_ignores(&self.settings.file, &mut reports);
        Linted {
            reports,
            clean_plans,
        }
    }
}

/// `[[per-file-ignores]]`: a file whose path matches a glob loses the findings it ignores.
fn apply_per_file_ignores(config: &Config, reports: &mut [FileReport]) {
    if config.per_file_ignores.is_empty() {
        return;
    }
    for report in reports {
        let path = config.seen_from_folder(Path::new(report.path()));
        let ignored: Vec<&Selector> = config
            .per_file_ignores
            .iter()
            .filter(|entry| entry.matcher.is_match(&path))
            .flat_map(|entry| &entry.ignore)
            .collect();
        if !ignored.is_empty() {
            report
                .diagnostics
                .retain(|d| !ignored.iter().any(|s| s.selects(d.rule)));
        }
    }
}

/// PC602 is told once per run and reason: every plan of a folder without themes would
/// otherwise say the same thing.
fn tell_each_missing_project_once(reports: &mut [FileReport]) {
    let mut told = BTreeSet::new();
    for report in reports {
        report.diagnostics.retain(|d| {
            !std::ptr::eq(d.rule, &registry::PROJECT_NOT_FOUND) || told.insert(d.message.clone())
        });
    }
}

/// What the first pass over an input leaves for the second. Most plans have nothing to
/// report: they leave their facts at most, and are named again from their location should
/// the second pass find something.
struct FirstPass<'a> {
    /// Where the plan stands (for stdin, `--stdin-filename`).
    location: Option<&'a Path>,
    /// What the first pass found, with the text it points into; `None` when it found
    /// nothing in a file on disk, whose text is then let go.
    findings: Option<Box<Findings>>,
    /// The plan's facts, unless they went to its project's list of plans...
    facts: Option<Box<PlanFacts>>,
    /// ...where they are found again by the plan's input.
    facts_in_project: bool,
}

/// A plan's findings so far, the text they point into, and its suppressions, which apply
/// once every check is done.
struct Findings {
    source: SourceFile,
    diagnostics: Vec<Diagnostic>,
    suppressions: Suppressions,
}

/// What a plan's checks hand on besides their findings.
#[derive(Default)]
struct Carried {
    facts: Option<Box<PlanFacts>>,
    suppressions: Suppressions,
}

/// Where an input's bytes came from.
struct FileInput<'a> {
    /// Where the plan stands (for stdin, `--stdin-filename`).
    location: Option<&'a Path>,
    /// Found by walking, by neither its name nor its folder: skipped unless
    /// [`discover::is_titled_plan`].
    sniff: bool,
    kept: Kept,
}

/// How much of a plan's text the run keeps for its report.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kept {
    /// A text from elsewhere than the disk (standard input, an editor's buffer, a text
    /// `--fix` made): all of it, clean or not, for whatever may need it.
    Whole,
    /// The file at `location`: nothing once it is clean; else the lines its findings, their
    /// fixes and its facts point at, or the whole text where it has suppressions, since
    /// removing an unused one reads the text around it.
    Shown,
    /// As [`Kept::Shown`], but the whole text where a finding has a fix: `--fix` edits the
    /// text as read.
    FixableWhole,
}

/// How a plan at `location` is named in reports (`-`: standard input, placed nowhere).
fn shown(location: Option<&Path>) -> String {
    // As `display()` shows it (invalid UTF-8 replaced alike), without the formatter.
    location.map_or_else(
        || "-".to_string(),
        |p| fs::os_text(p.as_os_str()).into_owned(),
    )
}

/// Reads and checks one input of a run: its first pass. `None` when a walked file turns out
/// not to be a plan.
fn first_pass<'a>(
    input: &'a Input,
    stdin: Option<&Result<Vec<u8>, fs::ReadError>>,
    project: Option<&Project>,
    linter: &'a Linter,
    kept: Kept,
    reader: &mut fs::FileReader,
) -> Option<FirstPass<'a>> {
    let file = FileInput {
        location: linter.location(input),
        sniff: matches!(input, Input::File { sniff: true, .. }),
        kept: match input {
            Input::File { .. } => kept,
            Input::Stdin | Input::Unreadable { .. } => Kept::Whole,
        },
    };
    let unreadable = |file, error: &fs::ReadError| {
        with_checker(file, String::new(), 0, linter, |cx| {
            file_rules::unreadable(cx, error);
            Some(Carried::default())
        })
    };
    match input {
        Input::Stdin => match stdin {
            Some(Err(error)) => unreadable(file, error),
            Some(Ok(bytes)) => check_bytes(file, bytes.clone(), project, linter),
            None => check_bytes(file, Vec::new(), project, linter),
        },
        Input::File { path, sniff } => {
            let mut bytes = Vec::new();
            match reader.read(path, fs::PLAN_LIMIT, &mut bytes) {
                Ok(()) => check_bytes(file, bytes, project, linter),
                Err(_) if *sniff => None,
                Err(error) => unreadable(file, &error),
            }
        }
        Input::Unreadable { error, .. } => {
            unreadable(file, &fs::ReadError::Io(io::Error::other(error.clone())))
        }
    }
}

/// [`first_pass`] over `bytes` in place of what `input` holds.
fn first_pass_over<'a>(
    input: &'a Input,
    bytes: Vec<u8>,
    project: Option<&Project>,
    linter: &'a Linter,
) -> Option<FirstPass<'a>> {
    let file = FileInput {
        location: linter.location(input),
        sniff: false,
        kept: Kept::Whole,
    };
    check_bytes(file, bytes, project, linter)
}

/// Every check of one plan that needs no other plan of the run: the file's bytes, the plan
/// alone, and what it names against its project.
fn check_bytes<'a>(
    file: FileInput<'a>,
    bytes: Vec<u8>,
    project: Option<&Project>,
    linter: &Linter,
) -> Option<FirstPass<'a>> {
    let text_start = file_rules::skipped_bytes(&bytes);
    match file_rules::decode(bytes) {
        Decoded::NotText { .. } if file.sniff => None,
        Decoded::NotText {
            lossy,
            at,
            width,
            binary,
        } => with_checker(file, lossy, text_start, linter, |cx| {
            file_rules::not_text(cx, at, width, binary);
            Some(Carried::default())
        }),
        Decoded::Text(text) => {
            let sniff = file.sniff;
            with_checker(file, text, text_start, linter, |cx| {
                let plan = parse::parse(&cx.file.text, cx.file_name);
                if sniff && !discover::is_titled_plan(&plan, &linter.settings.schema) {
                    return None;
                }
                if file_rules::empty(cx) {
                    return Some(Carried::default());
                }
                if !discover::is_plan_shaped(&plan, &linter.settings.schema) {
                    rules::structure::not_a_plan(&plan, cx);
                    return Some(Carried::default());
                }
                rules::check_plan(&plan, cx);
                let facts = check_references(&plan, project, linter, cx);
                Some(Carried {
                    facts: facts.map(Box::new),
                    suppressions: Suppressions::read(&plan, cx.file),
                })
            })
        }
    }
}

impl Linter {
    /// Checks `bytes` as the plan at `location` (`None`: standard input, placed nowhere),
    /// whether or not they are on disk. `project`, when given, is the plan's project, loaded
    /// and indexed: the plan is checked against its files and its other plans too.
    /// `None`: nothing to report.
    pub fn check_text(
        &self,
        location: Option<&Path>,
        bytes: Vec<u8>,
        project: Option<&Project>,
    ) -> Option<FileReport> {
        let file = FileInput {
            location,
            sniff: false,
            kept: Kept::Whole,
        };
        let first = check_bytes(file, bytes, project, self)?;
        second_pass(0, first, project, self)
    }
}

/// Checks one plan's bytes with every rule and no project, as the fuzzer drives it; returns
/// the diagnostics. Never panics, whatever the bytes.
pub fn check_standalone(name: &str, bytes: Vec<u8>) -> Vec<Diagnostic> {
    check_standalone_report(name, bytes)
        .map(|report| report.diagnostics)
        .unwrap_or_default()
}

/// [`check_standalone`]'s findings with the text they point into, for a report to write;
/// `None` when there are none.
pub fn check_standalone_report(name: &str, bytes: Vec<u8>) -> Option<FileReport> {
    static LINTER: std::sync::OnceLock<Linter> = std::sync::OnceLock::new();
    let linter = LINTER.get_or_init(|| Linter::new(Settings::every_rule()));
    linter.check_text(Some(Path::new(name)), bytes, None)
}

/// The cross-file half of the first pass: what the plan names, against its project.
/// Returns the plan's facts for the checks among the plans of its folder.
fn check_references(
    plan: &plan::Plan,
    project: Option<&Project>,
    linter: &Linter,
    cx: &mut Checker<'_>,
) -> Option<PlanFacts> {
    let needs_project = linter.rules.needs_project();
    if !needs_project && !linter.rules.is_enabled(&registry::MALFORMED_TASK_ID) {
        return None;
    }
    let refs = references::extract(
        plan,
        &cx.file.text,
        &linter.settings.schema,
        cx.placeholders(plan),
    );
    rules::references::malformed_task_ids(&refs, cx);
    if !needs_project {
        return None;
    }
    rules::project::not_found(&refs, project, cx);
    let project = project?;
    let absolute = cx.absolute_location().unwrap_or(Path::new(""));
    let facts = PlanFacts::new(cx.file, absolute, plan, &linter.settings.schema);
    rules::references::check(plan, &refs, project, &facts, cx);
    Some(facts)
}

/// Runs `check` with a [`Checker`] over the file, keeping the text only when the second pass
/// or a report needs it: a run over many files holds the texts of those with findings, not
/// all. The text starts `text_start` bytes into the file (after a BOM). `None` when `check`
/// finds the file is no plan to check.
fn with_checker<'a>(
    file: FileInput<'a>,
    text: String,
    text_start: usize,
    linter: &Linter,
    check: impl FnOnce(&mut Checker<'_>) -> Option<Carried>,
) -> Option<FirstPass<'a>> {
    let source = SourceFile::new(shown(file.location), text).starting_at(text_start);
    let (diagnostics, carried) = {
        let mut cx = Checker::new(
            &linter.settings.schema,
            &linter.rules,
            linter.settings.today,
            &source,
            file.location,
        );
        let carried = check(&mut cx)?;
        (cx.into_diagnostics(), carried)
    };
    let keep =
        !diagnostics.is_empty() || !carried.suppressions.is_empty() || file.kept == Kept::Whole;
    let findings = keep.then(|| {
        let keep_whole = match file.kept {
            Kept::Whole => true,
            Kept::Shown => !carried.suppressions.is_empty(),
            Kept::FixableWhole => {
                !carried.suppressions.is_empty() || diagnostics.iter().any(|d| d.fix.is_some())
            }
        };
        let source = if !keep_whole {
            let found = diagnostics.iter().flat_map(|d| {
                let labels = d.labels.iter().map(|label| label.span);
                let edits = d
                    .fix
                    .iter()
                    .flat_map(|fix| fix.edits.iter().map(|e| e.span));
                d.span.into_iter().chain(labels).chain(edits)
            });
            let facts = carried.facts.iter().flat_map(|facts| facts.shown_spans());
            source.keeping(found.chain(facts))
        } else {
            source
        };
        Box::new(Findings {
            source,
            diagnostics,
            suppressions: carried.suppressions,
        })
    });
    Some(FirstPass {
        location: file.location,
        findings,
        facts: carried.facts,
        facts_in_project: false,
    })
}

/// The second pass over a plan: the checks among the plans of its folder, then its
/// suppressions over everything found in it. `None`: nothing to report.
/// `input`: which of the run's inputs it is.
fn second_pass(
    input: usize,
    first: FirstPass<'_>,
    project: Option<&Project>,
    linter: &Linter,
) -> Option<FileReport> {
    let FirstPass {
        location,
        findings,
        facts,
        facts_in_project,
    } = first;
    let own = if facts_in_project {
        project.and_then(|p| p.checked_plan(input))
    } else {
        facts.as_deref()
    };
    let among_plans = project.zip(own);
    let (source, found, suppressions) = match findings {
        Some(findings) if among_plans.is_none() && findings.suppressions.is_empty() => {
            return report(findings.source, findings.diagnostics);
        }
        Some(findings) => {
            let Findings {
                source,
                diagnostics,
                suppressions,
            } = *findings;
            (source, diagnostics, suppressions)
        }
        // Nothing found in the first pass: the text was let go, but for the lines of its
        // metadata that the checks among plans point at, which its facts keep.
        None => match among_plans {
            Some((_, own)) => (own.source(), Vec::new(), Suppressions::default()),
            None => return None,
        },
    };
    let diagnostics = {
        let mut cx = Checker::new(
            &linter.settings.schema,
            &linter.rules,
            linter.settings.today,
            &source,
            location,
        );
        if let Some((project, facts)) = among_plans {
            rules::project::check_plan(facts, project, &mut cx);
        }
        cx.resume(found);
        cx.apply_suppressions(suppressions);
        cx.into_diagnostics()
    };
    report(source, diagnostics)
}

/// A plan's report with the text its findings point into; `None` when it has none.
fn report(source: SourceFile, diagnostics: Vec<Diagnostic>) -> Option<FileReport> {
    (!diagnostics.is_empty()).then(|| FileReport::new(Arc::new(source), diagnostics, true))
}

#[cfg(test)]
mod tests;
