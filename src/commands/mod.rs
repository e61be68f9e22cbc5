//! The commands, one module each; [`run`] does the one the command line names.

use std::io::{Read, Write};
use std::path::PathBuf;

use crate::cli::{Cli, Command};
use crate::error::Error;

pub mod check;
pub mod completions;
pub mod config;
pub mod explain;
pub mod man;
pub mod rules;

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
        Some(Command::Check(args)) => check::run(&args, io),
        None => check::run(&cli.check, io),
        Some(Command::Config(args)) if args.schema => config::schema(io.stdout)
            .map(|()| Outcome::Clean)
            .map_err(Error::from),
        Some(Command::Config(args)) => config::run(&args.check, io.stdout).map(|()| Outcome::Clean),
        Some(Command::Rules { format }) => rules::run(format, io.stdout)
            .map(|()| Outcome::Clean)
            .map_err(Error::from),
        Some(Command::Explain { rule }) => explain::run(&rule, io.stdout).map(|()| Outcome::Clean),
        Some(Command::Completions { shell }) => {
            completions::run(shell, io.stdout);
            Ok(Outcome::Clean)
        }
        Some(Command::Man) => man::run(io.stdout)
            .map(|()| Outcome::Clean)
            .map_err(Error::from),
    }
}
