//! plancheck: a linter and validator for implementation plan documents.
//!
//! One straight line: paths → [`discover`] → read → [`parse`] → [`plan::Plan`] → [`rules`] →
//! [`diagnostic::Diagnostic`] → [`report`]. The library never prints; `run` writes to the
//! writers it is given and returns the exit status.
#![warn(clippy::print_stdout, clippy::print_stderr)]
// Only `fs` touches the disk (clippy.toml's disallowed methods); tests build their projects
// on it as they please.
#![cfg_attr(
    test,
    allow(clippy::disallowed_methods, reason = "tests write their fixtures")
)]

use std::collections::BTreeSet;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub mod baseline;
pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod discover;
pub mod fs;
pub mod parse;
pub mod pattern;
pub mod plan;
pub mod project;
pub mod references;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;
pub mod template;
#[cfg(test)]
mod testing;
pub mod text;

use clap::CommandFactory;
use cli::{CheckArgs, Cli, ColorChoice, Command, Format, RulesFormat};
use date::Date;
use discover::Input;
use project::{PlanFacts, Project, ProjectOptions};
use report::{FileReport, Positions, Summary};
use rules::file::{self as file_rules, Decoded};
use rules::registry::{self, Severity};
use rules::suppression::Suppressions;
use rules::{Checker, RuleSet};
use schema::Schema;
use source::SourceFile;

/// Why plancheck could not do its job (exit code 2). Findings are never errors.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("path `{}` does not exist", .0.display())]
    #[diagnostic(
        code(plancheck::path),
        help("check the spelling, or run plancheck from the project's root")
    )]
    PathNotFound(PathBuf),

    #[error("invalid rule selector: {0}")]
    #[diagnostic(
        code(plancheck::selector),
        help("run `plancheck rules` for every code and name")
    )]
    Selector(String),

    #[error("invalid --today `{0}`: expected a date as YYYY-MM-DD")]
    #[diagnostic(code(plancheck::today))]
    Today(String),

    #[error("no rule is called `{name}`{hint}")]
    #[diagnostic(
        code(plancheck::explain),
        help("run `plancheck rules` for every code and name")
    )]
    UnknownRule { name: String, hint: String },

    #[error("cannot start {0} worker threads")]
    #[diagnostic(code(plancheck::threads))]
    Threads(usize),

    #[error("cannot read standard input: {0}")]
    #[diagnostic(code(plancheck::stdin))]
    Stdin(io::Error),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<config::ConfigError>),

    #[error("{0}")]
    #[diagnostic(
        code(plancheck::baseline),
        help("write one with `--write-baseline FILE`")
    )]
    Baseline(String),

    #[error("cannot write the report: {0}")]
    #[diagnostic(code(plancheck::output))]
    Output(#[from] io::Error),
}

impl Error {
    /// A reader that went away (`plancheck … | head`) is no failure of plancheck's.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// How a run ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing at error severity (nor at warning with `--deny-warnings`).
    Clean,
    Findings,
}

/// What the process gives the library: its standard streams and what it knows of them.
pub struct Io<'a> {
    pub stdout: &'a mut (dyn Write + Send),
    pub stdin: &'a mut dyn Read,
    pub stdout_is_terminal: bool,
    /// `NO_COLOR` is set to something.
    pub no_color: bool,
    /// `GITHUB_STEP_SUMMARY`: where `--format github` also writes a table of every finding.
    pub github_step_summary: Option<PathBuf>,
}

pub fn run(cli: Cli, io: Io<'_>) -> Result<Outcome, Error> {
    match cli.command {
        Some(Command::Check(args)) => check(&args, io),
        None => check(&cli.check, io),
        Some(Command::Config(args)) => {
            let resolved = resolve(&args)?;
            resolved.describe(&args, io.stdout)?;
            Ok(Outcome::Clean)
        }
        Some(Command::Rules { format }) => {
            list_rules(format, io.stdout)?;
            Ok(Outcome::Clean)
        }
        Some(Command::Explain { rule }) => {
            let Some(found) = registry::find(&rule) else {
                let hint = rules::suggest(&rule, registry::ALL.iter().map(|r| r.name))
                    .map(|name| format!("; did you mean `{name}`?"))
                    .unwrap_or_default();
                return Err(Error::UnknownRule { name: rule, hint });
            };
            io.stdout.write_all(found.doc.as_bytes())?;
            Ok(Outcome::Clean)
        }
        Some(Command::Completions { shell }) => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "plancheck", io.stdout);
            Ok(Outcome::Clean)
        }
        Some(Command::Man) => {
            clap_mangen::Man::new(Cli::command()).render(io.stdout)?;
            Ok(Outcome::Clean)
        }
    }
}

fn list_rules(format: RulesFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        RulesFormat::Json => {
            let list: Vec<_> = registry::ALL
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code,
                        "name": r.name,
                        "severity": r.default_severity.as_str(),
                        "summary": r.summary,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)
        }
        RulesFormat::Text => {
            let width = registry::ALL
                .iter()
                .map(|r| r.name.len())
                .max()
                .unwrap_or(0);
            for r in registry::ALL {
                writeln!(
                    out,
                    "{}  {:width$}  {:7}  {}",
                    r.code,
                    r.name,
                    r.default_severity.as_str(),
                    r.summary
                )?;
            }
            Ok(())
        }
    }
}

/// Everything a file's check needs, shared by every worker.
struct Settings {
    schema: Schema,
    rules: RuleSet,
    today: Date,
    stdin_filename: Option<PathBuf>,
}

impl Settings {
    /// Where an input stands (for stdin, `--stdin-filename`).
    fn location<'a>(&'a self, input: &'a Input) -> Option<&'a Path> {
        match input {
            Input::Stdin => self.stdin_filename.as_deref(),
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
}

/// The settings a run uses, from the defaults, the config file and the command line.
struct Resolved {
    config: config::Config,
    rules: RuleSet,
    today: Date,
    schema: Schema,
    options: ProjectOptions,
}

fn resolve(args: &CheckArgs) -> Result<Resolved, Error> {
    let config_path = if args.no_config {
        None
    } else if let Some(path) = &args.config {
        Some(path.clone())
    } else {
        fs::current_dir()
            .and_then(config::discover)
            .map(|found| fs::relative_to_current_dir(&found))
    };
    let config = match &config_path {
        Some(path) => config::load(path).map_err(Error::Config)?,
        None => config::Config::default(),
    };
    // The command line's --select replaces the config's; its --ignore adds to it.
    let select = args.select.as_deref().or(config.select.as_deref());
    let ignore: Vec<String> = config.ignore.iter().chain(&args.ignore).cloned().collect();
    let rules = RuleSet::from_selectors(select, &ignore)
        .and_then(|set| set.with_severities(&config.severity, &ignore))
        .map_err(Error::Selector)?;
    let today = match &args.today {
        Some(text) => date::parse_day(text).map_err(|_| Error::Today(text.clone()))?,
        None => date::today(),
    };
    let mut schema = Schema::default_schema();
    schema.apply(&config);
    if let Some(dir) = &args.project {
        if !fs::is_folder(dir) {
            return Err(Error::PathNotFound(dir.clone()));
        }
    }
    let mut options = ProjectOptions {
        root: args
            .project
            .as_deref()
            .or(config.root.as_deref())
            .map(fs::absolute),
        ..ProjectOptions::default()
    };
    if let Some(name) = &config.folder_name {
        options.folder_name.clone_from(name);
    }
    Ok(Resolved {
        config,
        rules,
        today,
        schema,
        options,
    })
}

impl Resolved {
    /// `plancheck config`: every setting in force and where it came from.
    fn describe(&self, args: &CheckArgs, out: &mut dyn Write) -> io::Result<()> {
        let file = self.config.path.as_ref().map(|p| p.display().to_string());
        let from_file = |set: bool| match (&file, set) {
            (Some(f), true) => f.clone(),
            _ => "default".to_string(),
        };
        let from = |cli: bool, file_set: bool| {
            if cli {
                "command line".to_string()
            } else {
                from_file(file_set)
            }
        };
        writeln!(out, "config file: {}", file.as_deref().unwrap_or("none"))?;
        let project_root = self
            .options
            .root
            .as_ref()
            .map_or("discovered per plan".to_string(), |r| {
                r.display().to_string()
            });
        writeln!(
            out,
            "project.root = {project_root}  ({})",
            from(args.project.is_some(), self.config.root.is_some())
        )?;
        writeln!(
            out,
            "project.folder-name = {}  ({})",
            self.options.folder_name,
            from_file(self.config.folder_name.is_some())
        )?;
        writeln!(
            out,
            "project.completed-dirs = {}  ({})",
            self.schema.completed_dirs.join(", "),
            from_file(self.config.completed_dirs.is_some())
        )?;
        let select = args.select.as_ref().or(self.config.select.as_ref());
        writeln!(
            out,
            "rules.select = {}  ({})",
            select.map_or("the defaults".to_string(), |s| s.join(", ")),
            from(args.select.is_some(), self.config.select.is_some())
        )?;
        let ignore: Vec<&String> = self.config.ignore.iter().chain(&args.ignore).collect();
        writeln!(
            out,
            "rules.ignore = {}  ({})",
            if ignore.is_empty() {
                "none".to_string()
            } else {
                ignore
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            from(!args.ignore.is_empty(), !self.config.ignore.is_empty())
        )?;
        for (selector, severity) in &self.config.severity {
            writeln!(
                out,
                "rules.severity.{selector} = {severity}  ({})",
                from_file(true)
            )?;
        }
        for entry in &self.config.per_file_ignores {
            writeln!(
                out,
                "per-file-ignores: {} ignores {}  ({})",
                entry.glob,
                entry.ignore.join(", "),
                from_file(true)
            )?;
        }
        writeln!(
            out,
            "plan.statuses = {}  ({})",
            self.schema.regular.statuses.join(", "),
            from_file(self.config.statuses.is_some())
        )?;
        writeln!(
            out,
            "plan.extra-fields = {}  ({})",
            list_or_none(&self.config.extra_fields),
            from_file(!self.config.extra_fields.is_empty())
        )?;
        writeln!(
            out,
            "plan.extra-sections = {}  ({})",
            list_or_none(&self.config.extra_sections),
            from_file(!self.config.extra_sections.is_empty())
        )?;
        writeln!(
            out,
            "today = {}  ({})",
            self.today,
            if args.today.is_some() {
                "command line"
            } else {
                "system clock, UTC"
            }
        )?;
        writeln!(out, "rules in force:")?;
        for rule in registry::ALL {
            let severity = self.rules.severity(rule);
            if severity != Severity::Off {
                writeln!(out, "  {}  {:30} {severity}", rule.code, rule.name)?;
            }
        }
        Ok(())
    }
}

fn list_or_none(list: &[String]) -> String {
    if list.is_empty() {
        "none".to_string()
    } else {
        list.join(", ")
    }
}

fn check(args: &CheckArgs, io: Io<'_>) -> Result<Outcome, Error> {
    let Resolved {
        config,
        rules,
        today,
        schema,
        options,
    } = resolve(args)?;
    let paths = if args.paths.is_empty() {
        let default = PathBuf::from("projectManagement");
        vec![if fs::is_folder(&default) {
            default
        } else {
            PathBuf::from(".")
        }]
    } else {
        args.paths.clone()
    };
    let threads = args.threads.unwrap_or(0);
    let inputs = discover::discover(&paths, &options, &schema.completed_dirs, threads)
        .map_err(Error::PathNotFound)?;
    // Standard input is read as a plan file is: more than a plan may hold is PC001.
    let stdin = if inputs.contains(&Input::Stdin) {
        match fs::read_stream(&mut *io.stdin, fs::PLAN_LIMIT) {
            Err(fs::ReadError::Io(error)) => return Err(Error::Stdin(error)),
            read => Some(read),
        }
    } else {
        None
    };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|_| Error::Threads(threads))?;

    // Where each input sits in a project: found from its path, before any file is read.
    let stdin_location = args.stdin_filename.as_deref().unwrap_or(Path::new("-"));
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
    } = if rules.needs_project() {
        pool.install(|| project::locate(&locations, &options))
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
                project::load(root, &shown, run_plans, &schema.completed_dirs)
            })
            .collect()
    });
    drop(run_plans);
    let settings = Settings {
        schema,
        rules,
        today,
        stdin_filename: args.stdin_filename.clone(),
    };

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
                check_input(input, stdin.as_ref(), project, &settings, reader, buffer)
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
                &settings.schema,
                &settings.rules,
                settings.today,
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
    let list_clean = matches!(args.format, Format::Junit) && !args.statistics;
    let finished: Vec<Option<Result<FileReport, &Input>>> = pool.install(|| {
        checked
            .into_par_iter()
            .zip(&root_of)
            .enumerate()
            .map(|(index, (checked, root))| {
                let checked = checked?;
                let input = checked.input;
                let project = root.map(|r| &projects[r]);
                Some(finish(index, checked, project, &settings).ok_or(input))
            })
            .collect()
    });
    let mut reports = Vec::new();
    let mut clean_plans = 0;
    for finished in finished.into_iter().flatten() {
        match finished {
            Ok(report) => reports.push(report),
            Err(input) if list_clean => reports.push(FileReport::new(
                Arc::new(SourceFile::new(settings.name(input), String::new())),
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
    apply_per_file_ignores(&config, &mut reports);

    if let Some(path) = &args.baseline {
        baseline::apply(&mut reports, path).map_err(Error::Baseline)?;
    }
    let out = io.stdout;
    if let Some(path) = &args.write_baseline {
        let count = baseline::write(&reports, path)?;
        writeln!(out, "wrote {count} findings to {}", path.display())?;
        out.flush()?;
        return Ok(Outcome::Clean);
    }
    let summary = Summary::of(&reports, clean_plans);
    // In the pool: the writers read again, on every core, the files their findings show.
    let options = ReportOptions {
        stdout_is_terminal: io.stdout_is_terminal,
        no_color: io.no_color,
        github_step_summary: io.github_step_summary.as_deref(),
    };
    pool.install(|| write_report(args, &reports, &summary, &settings.rules, &options, out))?;
    out.flush()?;

    let failing = summary.errors > 0 || (args.deny_warnings && summary.warnings > 0);
    Ok(if failing {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// What the report needs to know of the terminal and the environment.
struct ReportOptions<'a> {
    stdout_is_terminal: bool,
    no_color: bool,
    github_step_summary: Option<&'a Path>,
}

fn write_report(
    args: &CheckArgs,
    reports: &[FileReport],
    summary: &Summary,
    rules: &RuleSet,
    options: &ReportOptions<'_>,
    out: &mut (dyn Write + Send),
) -> io::Result<()> {
    if args.statistics {
        match args.format {
            Format::Json => report::statistics::write_json(reports, out)?,
            _ => report::statistics::write_text(reports, out)?,
        }
    } else {
        match args.format {
            Format::Human => {
                let color = match args.color {
                    ColorChoice::Always => true,
                    ColorChoice::Never => false,
                    ColorChoice::Auto => options.stdout_is_terminal && !options.no_color,
                };
                let human = report::human::HumanOptions {
                    color,
                    width: 100,
                    quiet: args.quiet,
                };
                report::human::write(reports, summary, &human, out)?;
            }
            Format::Concise => {
                report::concise::write(reports, out)?;
                if !args.quiet {
                    summary.write_line(out)?;
                }
            }
            Format::Json => report::json::write(reports, summary, out)?,
            Format::Sarif => report::sarif::write(reports, out)?,
            Format::Junit => report::junit::write(reports, rules, out)?,
            Format::Github => {
                report::github::write(reports, out)?;
                if let Some(path) = &options.github_step_summary {
                    let mut file = fs::open_to_append(path)?;
                    report::github::write_summary(reports, summary, &mut file)?;
                }
            }
        }
    }
    Ok(())
}

/// Frees `value` on a thread of its own: the hundreds of thousands of small allocations of a
/// large project take tens of milliseconds to free, which the run need not wait for. Should
/// no thread start, it is freed here.
fn drop_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// `[[per-file-ignores]]`: a file whose path matches a glob loses the findings it ignores.
fn apply_per_file_ignores(config: &config::Config, reports: &mut [FileReport]) {
    if config.per_file_ignores.is_empty() {
        return;
    }
    for report in reports {
        let path = report.path().to_string();
        let ignored: Vec<&String> = config
            .per_file_ignores
            .iter()
            .filter(|entry| entry.matcher.is_match(&path))
            .flat_map(|entry| &entry.ignore)
            .collect();
        if !ignored.is_empty() {
            report
                .diagnostics
                .retain(|d| !ignored.iter().any(|s| rules::selects(s, d.rule)));
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
    settings: &'a Settings,
    reader: &mut fs::FileReader,
    buffer: &mut Vec<u8>,
) -> Option<Checked<'a>> {
    let file = FileInput {
        input,
        name: settings.name(input),
        location: settings.location(input),
        sniff: matches!(input, Input::File { sniff: true, .. }),
        on_disk: matches!(input, Input::File { .. }),
    };
    let unreadable = |file, error: &fs::ReadError| {
        with_checker(file, String::new(), 0, settings, |cx| {
            file_rules::unreadable(cx, error);
            Some(Deferred::default())
        })
    };
    match input {
        Input::Stdin => match stdin {
            Some(Err(error)) => unreadable(file, error),
            Some(Ok(bytes)) => check_bytes(file, bytes.clone(), project, settings),
            None => check_bytes(file, Vec::new(), project, settings),
        },
        Input::File { path, sniff } => match reader.read(path, fs::PLAN_LIMIT, buffer) {
            Ok(()) => check_bytes(file, take_read(buffer), project, settings),
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
    settings: &Settings,
) -> Option<Checked<'a>> {
    let text_start = file_rules::skipped_bytes(&bytes);
    match file_rules::decode(bytes) {
        Decoded::NotText { .. } if file.sniff => None,
        Decoded::NotText {
            lossy,
            at,
            width,
            binary,
        } => with_checker(file, lossy, text_start, settings, |cx| {
            file_rules::not_text(cx, at, width, binary);
            Some(Deferred::default())
        }),
        Decoded::Text(text) => {
            let location = file.location;
            let sniff = file.sniff;
            with_checker(file, text, text_start, settings, |cx| {
                let plan = parse::parse(&cx.file.text, cx.file_name);
                if sniff && !discover::is_titled_plan(&plan, &settings.schema) {
                    return None;
                }
                if file_rules::empty(cx) {
                    return Some(Deferred::default());
                }
                if !discover::is_plan_shaped(&plan, &settings.schema) {
                    rules::structure::not_a_plan(&plan, cx);
                    return Some(Deferred::default());
                }
                rules::check_plan(&plan, cx);
                let facts = check_references(&plan, location, project, settings, cx);
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
    static SETTINGS: std::sync::OnceLock<Settings> = std::sync::OnceLock::new();
    let settings = SETTINGS.get_or_init(|| Settings {
        schema: Schema::default_schema(),
        rules: RuleSet::from_selectors(Some(&["ALL".to_string()]), &[]).unwrap_or_default(),
        today: date::today(),
        stdin_filename: None,
    });
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
    check_bytes(file, bytes, None, settings).and_then(|checked| finish(0, checked, None, settings))
}

/// The cross-file half of the first pass: what the plan names, against its project.
/// Returns the plan's facts for the checks among the plans of its folder.
fn check_references(
    plan: &plan::Plan,
    location: Option<&Path>,
    project: Option<&Project>,
    settings: &Settings,
    cx: &mut Checker<'_>,
) -> Option<PlanFacts> {
    let needs_project = settings.rules.needs_project();
    if !needs_project && !settings.rules.is_enabled(&registry::MALFORMED_TASK_ID) {
        return None;
    }
    let refs = references::extract(plan, &cx.file.text, &settings.schema, cx.placeholders(plan));
    rules::references::malformed_task_ids(&refs, cx);
    if !needs_project {
        return None;
    }
    rules::project::not_found(&refs, project, cx);
    let project = project?;
    let absolute = location.map(fs::absolute).unwrap_or_default();
    let facts = PlanFacts::new(&cx.file.path, &absolute, plan, &settings.schema);
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
    settings: &Settings,
    check: impl FnOnce(&mut Checker<'_>) -> Option<Deferred>,
) -> Option<Checked<'a>> {
    let source = SourceFile::new(file.name, text).starting_at(text_start);
    let (diagnostics, deferred) = {
        let mut cx = Checker::new(
            &settings.schema,
            &settings.rules,
            settings.today,
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
    settings: &Settings,
) -> Option<FileReport> {
    let Checked {
        input,
        on_disk,
        found,
        facts,
        facts_in_project,
    } = checked;
    let location = settings.location(input);
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
            SourceFile::new(settings.name(input), String::new()),
            Vec::new(),
            Suppressions::default(),
            Some(Positions::default()),
        ),
    };
    let diagnostics = {
        let mut cx = Checker::new(
            &settings.schema,
            &settings.rules,
            settings.today,
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

    fn settings() -> Settings {
        Settings {
            schema: Schema::default_schema(),
            rules: RuleSet::default(),
            today: date::today(),
            stdin_filename: None,
        }
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
        let settings = settings();
        let checked = check_input(
            &input,
            None,
            None,
            &settings,
            &mut Default::default(),
            &mut Vec::new(),
        )
        .unwrap();
        let report = finish(0, checked, None, &settings).unwrap();
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
            &settings(),
            &mut Default::default(),
            &mut Vec::new()
        )
        .is_none());
    }
}
