//! The linter: every rule over the inputs of a run, in two passes. The first checks each
//! plan alone and against its project, in parallel; the second checks the plans of a
//! folder among themselves and the project files, then applies suppressions and per-file
//! ignores.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic;
use crate::discover::{self, Input};
use crate::fs;
use crate::parse;
use crate::plan;
use crate::project::{self, PlanFacts, Project};
use crate::references;
use crate::report::{FileReport, Positions};
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

    /// How an input is named in reports.
    fn name(&self, input: &Input) -> String {
        // As `display()` shows it (invalid UTF-8 replaced alike), without the formatter.
        self.location(input).map_or_else(
            || "-".to_string(),
            |p| fs::os_text(p.as_os_str()).into_owned(),
        )
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
        } = if self.rules.needs_project() {
            pool.install(|| project::locate(&locations, &self.settings.project))
        } else {
            project::Placement {
                root_of: vec![None; inputs.len()],
                ..project::Placement::default()
            }
        };
        drop(locations);
        let mut projects: Vec<Project> = pool.install(|| {
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
        drop(run_plans);

        // First pass: every check that needs this plan and the project files only. Each plan
        // is read and parsed once, and leaves what the cross-file checks need of it.
        // One slot per input (none for a walked file that is no plan): collected at its exact
        // size, without the pieces a filtered parallel collect joins.
        let mut checked: Vec<Option<Checked<'_>>> = pool.install(|| {
            inputs
                .par_iter()
                .zip(&root_of)
                .map_init(Default::default, |(reader, buffer), (input, &root)| {
                    let project = root.map(|r| &projects[r]);
                    check_input(input, stdin, project, self, reader, buffer)
                })
                .collect()
        });
        let mut facts_per_project = vec![0; projects.len()];
        for (checked, root) in checked.iter().zip(&root_of) {
            if let (Some(Checked { facts: Some(_), .. }), Some(root)) = (checked, root) {
                facts_per_project[*root] += 1;
            }
        }
        for (project, count) in projects.iter_mut().zip(facts_per_project) {
            project.plans.reserve_exact(count);
        }
        for (input, (checked, root)) in checked.iter_mut().zip(&root_of).enumerate() {
            let Some(checked) = checked else { continue };
            if let (Some(facts), Some(root)) = (checked.facts.take(), *root) {
                checked.facts = projects[root].add_checked_plan(input, facts);
                checked.facts_in_project = checked.facts.is_none();
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
                drop_in_background(project.release_tasks_and_milestones());
            }
            reports
        });
        // Second pass: the checks among the plans of a folder, then the suppressions. A plan
        // with nothing to report is only counted, unless JUnit lists it as a passed suite.
        let finished: Vec<Option<Result<FileReport, &Input>>> = pool.install(|| {
            checked
                .into_par_iter()
                .zip(&root_of)
                .enumerate()
                .map(|(index, (checked, root))| {
                    let checked = checked?;
                    let input = checked.input;
                    let project = root.map(|r| &projects[r]);
                    Some(finish(index, checked, project, self).ok_or(input))
                })
                .collect()
        });
        let mut reports = Vec::new();
        let mut clean_plans = 0;
        for finished in finished.into_iter().flatten() {
            match finished {
                Ok(report) => reports.push(report),
                Err(input) if keep_clean => reports.push(FileReport::new(
                    Arc::new(SourceFile::new(self.name(input), String::new())),
                    Vec::new(),
                    true,
                )),
                Err(_) => clean_plans += 1,
            }
        }
        reports.extend(project_reports);
        // What the report needs is in the reports now: let the projects and the run's paths go
        // before the files the findings show are read again.
        drop_in_background(projects);
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

/// Frees `value` on a thread of its own: the hundreds of thousands of small allocations of a
/// large project take tens of milliseconds to free, which the run need not wait for. Should
/// no thread start, it is freed here.
fn drop_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// `[[per-file-ignores]]`: a file whose path matches a glob loses the findings it ignores.
fn apply_per_file_ignores(config: &Config, reports: &mut [FileReport]) {
    if config.per_file_ignores.is_empty() {
        return;
    }
    for report in reports {
        let path = report.path().to_string();
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
/// report: they leave their facts at most, and are named again from their input should the
/// second pass find something.
struct Checked<'a> {
    input: &'a Input,
    /// The text is the file at the input's location, so it can be read again when needed.
    on_disk: bool,
    /// What the first pass found, with the text, when a report or the suppressions need it.
    found: Option<Box<Found>>,
    /// The plan's facts, unless they went to its project's list of plans...
    facts: Option<Box<PlanFacts>>,
    /// ...where they are found again by its absolute path.
    facts_in_project: bool,
}

struct Found {
    source: SourceFile,
    diagnostics: Vec<diagnostic::Diagnostic>,
    suppressions: Suppressions,
    /// Where the findings stand, worked out before the text was let go; `None` while
    /// `source` holds the text. A second pass's findings are placed when reported.
    positions: Option<Positions>,
}

/// What a plan's first pass hands on besides its findings.
#[derive(Default)]
struct Deferred {
    facts: Option<Box<PlanFacts>>,
    suppressions: Suppressions,
}

/// Where an input's bytes came from.
struct FileInput<'a> {
    input: &'a Input,
    /// As reported.
    name: String,
    /// Where the plan stands (for stdin, `--stdin-filename`).
    location: Option<&'a Path>,
    /// Found by walking, by neither its name nor its folder: skipped unless
    /// [`discover::is_titled_plan`].
    sniff: bool,
    /// The bytes are the file at `location`, so they can be read again when needed.
    on_disk: bool,
}

/// The bytes just read into `buffer`: a copy of a plan's few kilobytes, so the buffer keeps
/// its room for the next; a large file's buffer itself, so none is held longer.
fn take_read(buffer: &mut Vec<u8>) -> Vec<u8> {
    const KEEP_UP_TO: usize = 1 << 20;
    if buffer.capacity() > KEEP_UP_TO {
        std::mem::take(buffer)
    } else {
        buffer.to_vec()
    }
}

/// Reads, parses and checks one input. `None` when a walked file turns out not to be a plan.
/// A file is read into `buffer`, kept from input to input, and copied from there.
fn check_input<'a>(
    input: &'a Input,
    stdin: Option<&Result<Vec<u8>, fs::ReadError>>,
    project: Option<&Project>,
    linter: &'a Linter,
    reader: &mut fs::FileReader,
    buffer: &mut Vec<u8>,
) -> Option<Checked<'a>> {
    let file = FileInput {
        input,
        name: linter.name(input),
        location: linter.location(input),
        sniff: matches!(input, Input::File { sniff: true, .. }),
        on_disk: matches!(input, Input::File { .. }),
    };
    let unreadable = |file, error: &fs::ReadError| {
        with_checker(file, String::new(), 0, linter, |cx| {
            file_rules::unreadable(cx, error);
            Some(Deferred::default())
        })
    };
    match input {
        Input::Stdin => match stdin {
            Some(Err(error)) => unreadable(file, error),
            Some(Ok(bytes)) => check_bytes(file, bytes.clone(), project, linter),
            None => check_bytes(file, Vec::new(), project, linter),
        },
        Input::File { path, sniff } => match reader.read(path, fs::PLAN_LIMIT, buffer) {
            Ok(()) => check_bytes(file, take_read(buffer), project, linter),
            Err(_) if *sniff => None,
            Err(error) => unreadable(file, &error),
        },
        Input::Unreadable { error, .. } => {
            unreadable(file, &fs::ReadError::Io(io::Error::other(error.clone())))
        }
    }
}

fn check_bytes<'a>(
    file: FileInput<'a>,
    bytes: Vec<u8>,
    project: Option<&Project>,
    linter: &Linter,
) -> Option<Checked<'a>> {
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
            Some(Deferred::default())
        }),
        Decoded::Text(text) => {
            let location = file.location;
            let sniff = file.sniff;
            with_checker(file, text, text_start, linter, |cx| {
                let plan = parse::parse(&cx.file.text, cx.file_name);
                if sniff && !discover::is_titled_plan(&plan, &linter.settings.schema) {
                    return None;
                }
                if file_rules::empty(cx) {
                    return Some(Deferred::default());
                }
                if !discover::is_plan_shaped(&plan, &linter.settings.schema) {
                    rules::structure::not_a_plan(&plan, cx);
                    return Some(Deferred::default());
                }
                rules::check_plan(&plan, cx);
                let facts = check_references(&plan, location, project, linter, cx);
                Some(Deferred {
                    facts: facts.map(Box::new),
                    suppressions: Suppressions::read(&plan, cx.file),
                })
            })
        }
    }
}

/// Checks one plan's bytes with every rule and no project, as the fuzzer drives it; returns
/// the diagnostics. Never panics, whatever the bytes.
pub fn check_standalone(name: &str, bytes: Vec<u8>) -> Vec<diagnostic::Diagnostic> {
    check_standalone_report(name, bytes)
        .map(|report| report.diagnostics)
        .unwrap_or_default()
}

/// [`check_standalone`]'s findings with the text they point into, for a report to write;
/// `None` when there are none.
pub fn check_standalone_report(name: &str, bytes: Vec<u8>) -> Option<FileReport> {
    static LINTER: std::sync::OnceLock<Linter> = std::sync::OnceLock::new();
    let linter = LINTER.get_or_init(|| Linter::new(Settings::every_rule()));
    let input = Input::File {
        path: PathBuf::from(name),
        sniff: false,
    };
    let file = FileInput {
        input: &input,
        name: name.to_string(),
        location: Some(Path::new(name)),
        sniff: false,
        on_disk: false,
    };
    check_bytes(file, bytes, None, linter).and_then(|checked| finish(0, checked, None, linter))
}

/// The cross-file half of the first pass: what the plan names, against its project.
/// Returns the plan's facts for the checks among the plans of its folder.
fn check_references(
    plan: &plan::Plan,
    location: Option<&Path>,
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
    let absolute = location.map(fs::absolute).unwrap_or_default();
    let facts = PlanFacts::new(&cx.file.path, &absolute, plan, &linter.settings.schema);
    rules::references::check(plan, &refs, project, &facts, cx);
    Some(facts)
}

/// Runs `check` with a [`Checker`] over the file, keeping the text only when the second pass
/// or a report may need it: a run over many files should not hold them all. The text starts
/// `text_start` bytes into the file (after a BOM). `None` when `check` finds the file is no
/// plan to check.
fn with_checker<'a>(
    file: FileInput<'a>,
    text: String,
    text_start: usize,
    linter: &Linter,
    check: impl FnOnce(&mut Checker<'_>) -> Option<Deferred>,
) -> Option<Checked<'a>> {
    let source = SourceFile::new(file.name, text).starting_at(text_start);
    let (diagnostics, deferred) = {
        let mut cx = Checker::new(
            &linter.settings.schema,
            &linter.rules,
            linter.settings.today,
            &source,
            file.location,
        );
        let deferred = check(&mut cx)?;
        (cx.into_diagnostics(), deferred)
    };
    // The second pass needs the text only to place suppressions; a report reads a file on
    // disk again when it is written.
    let keep_text = !deferred.suppressions.is_empty() || !file.on_disk;
    let keep = keep_text || !diagnostics.is_empty();
    Some(Checked {
        input: file.input,
        on_disk: file.on_disk,
        found: keep.then(|| {
            let (source, positions) = if keep_text {
                (source, None)
            } else {
                let positions = Positions::of(&source, &diagnostics);
                let text_start = source.text_start;
                let emptied = SourceFile::new(source.path, String::new()).starting_at(text_start);
                (emptied, Some(positions))
            };
            Box::new(Found {
                source,
                diagnostics,
                suppressions: deferred.suppressions,
                positions,
            })
        }),
        facts: deferred.facts,
        facts_in_project: false,
    })
}

/// The second pass over a plan: the checks among the plans of its folder, then its
/// suppressions over everything found in it. `None`: nothing to report.
/// `index`: which of the run's inputs it is.
fn finish(
    index: usize,
    checked: Checked<'_>,
    project: Option<&Project>,
    linter: &Linter,
) -> Option<FileReport> {
    let Checked {
        input,
        on_disk,
        found,
        facts,
        facts_in_project,
    } = checked;
    let location = linter.location(input);
    let own = if facts_in_project {
        project.and_then(|p| p.checked_plan(index))
    } else {
        facts.as_deref()
    };
    let among_plans = project.zip(own);
    // A plan on disk is reported by name, and its text read again when a report shows it:
    // the run holds findings, not the texts of a thousand plans. Where they stand in it
    // goes with them, for the reports that show no more (`None`: worked out from `source`).
    let report = |source: SourceFile,
                  diagnostics: Vec<diagnostic::Diagnostic>,
                  positions: Option<Positions>| {
        if diagnostics.is_empty() {
            return None;
        }
        Some(match location.filter(|_| on_disk) {
            Some(path) => {
                let positions = positions.unwrap_or_else(|| Positions::of(&source, &diagnostics));
                FileReport::read_again(source.path, path, diagnostics, Some(positions))
            }
            None => FileReport::new(Arc::new(source), diagnostics, true),
        })
    };
    let (source, found, suppressions, positions) = match found {
        Some(found) if among_plans.is_none() && found.suppressions.is_empty() => {
            return report(found.source, found.diagnostics, found.positions);
        }
        Some(found) => {
            let Found {
                source,
                diagnostics,
                suppressions,
                positions,
            } = *found;
            (source, diagnostics, suppressions, positions)
        }
        None if among_plans.is_none() => return None,
        // Nothing found in the first pass: the text was let go, and is not needed now.
        None => (
            SourceFile::new(linter.name(input), String::new()),
            Vec::new(),
            Suppressions::default(),
            Some(Positions::default()),
        ),
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
    report(source, diagnostics, positions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::selection::RuleSelection;

    fn linter() -> Linter {
        Linter::new(Settings {
            rules: RuleSelection::default(),
            ..Settings::every_rule()
        })
    }

    /// The walk found it; by the time it is read it is gone.
    #[test]
    fn a_file_deleted_between_walk_and_read_is_pc001() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("M01-v1-gone.md");
        std::fs::write(&path, "# Implementation Plan: M01 - Gone\n").unwrap();
        let input = Input::File {
            path: path.clone(),
            sniff: false,
        };
        std::fs::remove_file(&path).unwrap();
        let linter = linter();
        let checked = check_input(
            &input,
            None,
            None,
            &linter,
            &mut Default::default(),
            &mut Vec::new(),
        )
        .unwrap();
        let report = finish(0, checked, None, &linter).unwrap();
        assert_eq!(report.diagnostics.len(), 1);
        let d = &report.diagnostics[0];
        assert_eq!(d.rule.code, "PC001");
        assert!(d.message.contains("no longer exists"), "{}", d.message);
        assert!(d.span.is_none());
    }

    /// A walked README that vanished is no plan, and nothing to say.
    #[test]
    fn a_sniffed_file_that_vanished_is_skipped() {
        let input = Input::File {
            path: PathBuf::from("/no/such/README.md"),
            sniff: true,
        };
        assert!(check_input(
            &input,
            None,
            None,
            &linter(),
            &mut Default::default(),
            &mut Vec::new()
        )
        .is_none());
    }
}
