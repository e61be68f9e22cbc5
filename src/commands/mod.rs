//! The commands, one module each; [`run`] does the one the command line names.

use std::io::{Read, Write};
use std::path::PathBuf;

use crate::cli::{CheckArgs, Cli, Command};
use crate::error::Error;

pub mod check;
pub mod completions;
pub mod config;
pub mod explain;
pub mod graph;
pub mod man;
pub mod mcp;
pub mod new;
pub mod rules;
pub mod server;
pub mod watch;

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
    /// For what is said beside the report (`no plans found under PATH`).
    pub stderr: &'a mut dyn Write,
    /// `Send`: the language server reads it on a thread of its own.
    pub stdin: &'a mut (dyn Read + Send),
    pub stdout_is_terminal: bool,
    /// `NO_COLOR` is set to something.
    pub no_color: bool,
    /// `GITHUB_STEP_SUMMARY`: where `--format github` also writes a table of every finding.
    pub github_step_summary: Option<PathBuf>,
}

pub fn run(cli: Cli, io: Io<'_>) -> Result<Outcome, Error> {
    match cli.command {
        None => checked(&cli.check, io),
        Some(Command::Check(args)) => checked(&args, io),
        Some(Command::Config(args)) if args.schema => printed(config::schema(io.stdout)),
        Some(Command::Config(args)) => printed(config::run(&args.check, io.stdout)),
        Some(Command::Rules { format }) => printed(rules::run(format, io.stdout)),
        Some(Command::Explain { rule }) => printed(explain::run(&rule, io.stdout)),
        Some(Command::New(args)) => printed(new::run(&args, io.stdout)),
        Some(Command::Graph(args)) => graph::run(&args, io),
        Some(Command::Server(args)) => server::run(&args, io),
        Some(Command::Completions { shell }) => {
            completions::run(shell, io.stdout);
            Ok(Outcome::Clean)
        }
        Some(Command::Man) => printed(man::run(io.stdout)),
        Some(Command::Mcp) => printed(mcp::run()),
    }
}

/// `check`, once or, with `--watch`, at every change.
fn checked(args: &CheckArgs, io: Io<'_>) -> Result<Outcome, Error> {
    if args.watch {
        watch::run(args, io)
    } else {
        check::run(args, io)
    }
}

/// A command that prints what plancheck knows checks nothing, and so finds nothing.
pub(crate) fn printed<E: Into<Error>>(result: Result<(), E>) -> Result<Outcome, Error> {
    result.map(|()| Outcome::Clean).map_err(Into::into)
}
