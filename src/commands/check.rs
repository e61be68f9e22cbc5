//! `plancheck check` (the default command): the settings, the inputs they find, the
//! linter over them, and the report.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::baseline;
use crate::cli::{CheckArgs, ColorChoice, Format};
use crate::diagnostic::FixMode;
use crate::discover::{self, Input};
use crate::error::Error;
use crate::fix;
use crate::fs;
use crate::linter::{Linted, Linter};
use crate::report::{self, escape, FileReport, Summary};
use crate::rules::RuleSet;
use crate::settings::Settings;

use super::{Io, Outcome};

pub fn run(args: &CheckArgs, io: Io<'_>) -> Result<Outcome, Error> {
    let settings = Settings::resolve(args)?;
    let threads = args.threads.unwrap_or(0);
    let (paths, inputs) = inputs(args, &settings)?;
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
    let linter = Linter::new(settings);
    // JUnit lists a clean plan as a passed suite.
    let keep_clean = matches!(args.format, Format::Junit) && !args.statistics;
    let mode = FixMode {
        unsafe_fixes: args.unsafe_fixes,
    };
    let (
        Linted {
            mut reports,
            clean_plans,
        },
        fixed,
    ) = if args.fix || args.diff {
        let run = fix::run(&linter, &inputs, stdin.as_ref(), mode, keep_clean, &pool);
        for path in &run.changed_on_disk {
            writeln!(
                io.stderr,
                "warning: `{}` changed on disk while it was checked; it is left as it is",
                escape::controls(path)
            )?;
        }
        if run.rounds_exhausted {
            writeln!(
                io.stderr,
                "warning: fixes were still to make after {} rounds; what is left is reported",
                fix::MAX_ROUNDS
            )?;
        }
        (run.linted, run.files)
    } else {
        (
            linter.run(&inputs, stdin.as_ref(), keep_clean, &pool),
            Vec::new(),
        )
    };

    if args.diff {
        return diff(args, &fixed, io.stdout);
    }
    let mut fixes_made = 0;
    if args.fix {
        for file in &fixed {
            let Some(path) = &file.path else {
                fixes_made += file.fixes;
                continue;
            };
            match fix::write(path, file).map_err(|error| Error::WriteFixes {
                path: path.clone(),
                error,
            })? {
                fix::Written::Written => fixes_made += file.fixes,
                fix::Written::ChangedOnDisk => writeln!(
                    io.stderr,
                    "warning: `{}` changed on disk since it was read; its fixes are not written",
                    escape::controls(&file.shown)
                )?,
            }
        }
    }
    // `--fix -` prints the fixed plan, as ruff does: the report goes to stderr.
    let fixed_stdin = args.fix && inputs.contains(&Input::Stdin);
    if fixed_stdin {
        let fixed_text = fixed.iter().find(|f| f.path.is_none()).map(|f| &f.fixed);
        let text = match (fixed_text, &stdin) {
            (Some(text), _) => text.as_slice(),
            (None, Some(Ok(read))) => read.as_slice(),
            (None, _) => &[],
        };
        io.stdout.write_all(text)?;
        io.stdout.flush()?;
    }

    let baselined = match &args.baseline {
        Some(path) => baseline::apply(&mut reports, path).map_err(Error::Baseline)?,
        None => 0,
    };
    let out: &mut (dyn Write + Send) = io.stdout;
    if let Some(path) = &args.write_baseline {
        let count = baseline::write(&reports, path)?;
        writeln!(
            out,
            "wrote {} to {}",
            report::counted(count, "finding"),
            escape::controls(&path.display().to_string())
        )?;
        out.flush()?;
        return Ok(Outcome::Clean);
    }
    let summary = Summary {
        baselined,
        fixes_made,
        fix_mode: mode,
        ..Summary::of(&reports, clean_plans)
    };
    if summary.files == 0 {
        say_no_plans_found(&paths, io.stderr)?;
    }
    let options = ReportOptions {
        // A file is no terminal: colour only when asked for with `--color always`.
        stdout_is_terminal: io.stdout_is_terminal && args.output_file.is_none(),
        no_color: io.no_color,
        github_step_summary: io.github_step_summary.as_deref(),
    };
    // With `-o`, the report is gathered whole and then written atomically; after `--fix -`
    // it is gathered for stderr.
    let mut gathered = Vec::new();
    let target: &mut (dyn Write + Send) = if args.output_file.is_some() || fixed_stdin {
        &mut gathered
    } else {
        out
    };
    pool.install(|| write_report(args, &reports, &summary, &linter.rules, &options, target))?;
    target.flush()?;
    match &args.output_file {
        Some(path) => fs::write_atomic(path, &gathered)?,
        None if fixed_stdin => io.stderr.write_all(&gathered)?,
        None => {}
    }

    let failing = summary.errors > 0 || (args.deny_warnings && summary.warnings > 0);
    Ok(if failing && !args.exit_zero {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// The PATHs a run names, and the inputs found under them.
pub fn inputs(args: &CheckArgs, settings: &Settings) -> Result<(Vec<PathBuf>, Vec<Input>), Error> {
    let paths = paths(args)?;
    let excluded = |path: &Path| settings.file.excludes(path);
    let walk_options = discover::WalkOptions {
        completed_dirs: &settings.schema.completed_dirs,
        excluded: &excluded,
        threads: args.threads.unwrap_or(0),
    };
    let inputs = discover::discover(&paths, &settings.project, &walk_options)
        .map_err(Error::PathNotFound)?;
    Ok((paths, inputs))
}

/// As ruff does: nothing to check is no failure, but it is worth a word.
pub fn say_no_plans_found(paths: &[PathBuf], stderr: &mut dyn Write) -> io::Result<()> {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    writeln!(
        stderr,
        "no plans found under {}",
        escape::controls(&shown.join(", "))
    )
}

/// `--diff`: the diff alone, whatever the format; exit 1 when there is a change.
fn diff(
    args: &CheckArgs,
    fixed: &[fix::FixedFile],
    out: &mut (dyn Write + Send),
) -> Result<Outcome, Error> {
    let mut gathered = Vec::new();
    let target: &mut (dyn Write + Send) = match args.output_file {
        Some(_) => &mut gathered,
        None => out,
    };
    fix::write_diff(fixed, target)?;
    target.flush()?;
    if let Some(path) = &args.output_file {
        fs::write_atomic(path, &gathered)?;
    }
    Ok(if fixed.is_empty() || args.exit_zero {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// The PATHs to check: as given; `-` when only `--stdin-filename` is; else
/// `./projectManagement` if it exists, else `.`.
fn paths(args: &CheckArgs) -> Result<Vec<PathBuf>, Error> {
    let stdin = Path::new("-");
    if args.stdin_filename.is_some() {
        if args.paths.iter().any(|p| p != stdin) {
            return Err(Error::Usage(
                "--stdin-filename goes with `-` alone, not with other paths".to_string(),
            ));
        }
        return Ok(vec![stdin.to_path_buf()]);
    }
    if !args.paths.is_empty() {
        return Ok(args.paths.clone());
    }
    let default = PathBuf::from("projectManagement");
    Ok(vec![if fs::is_folder(&default) {
        default
    } else {
        PathBuf::from(".")
    }])
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
