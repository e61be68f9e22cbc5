//! `plancheck check` (the default command): the settings, the inputs they find, the
//! linter over them, and the report.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::baseline;
use crate::cli::{CheckArgs, ColorChoice, Format};
use crate::discover::{self, Input};
use crate::error::Error;
use crate::fs;
use crate::linter::{Linted, Linter};
use crate::report::{self, FileReport, Summary};
use crate::rules::RuleSet;
use crate::settings::Settings;

use super::{Io, Outcome};

pub fn run(args: &CheckArgs, io: Io<'_>) -> Result<Outcome, Error> {
    let settings = Settings::resolve(args)?;
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
    let inputs = discover::discover(
        &paths,
        &settings.project,
        &settings.schema.completed_dirs,
        threads,
    )
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
    let linter = Linter::new(settings);
    // JUnit lists a clean plan as a passed suite.
    let keep_clean = matches!(args.format, Format::Junit) && !args.statistics;
    let Linted {
        mut reports,
        clean_plans,
    } = linter.run(&inputs, stdin.as_ref(), keep_clean, &pool);

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
    pool.install(|| write_report(args, &reports, &summary, &linter.rules, &options, out))?;
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
