//! Why plancheck could not do its job: every error ends the run with exit code 2. A finding
//! is never one of them.

use std::io;
use std::path::PathBuf;

use miette::{NamedSource, SourceSpan};

/// Why plancheck could not do its job (exit code 2). Findings are never errors.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("{0}")]
    #[diagnostic(help("see `plancheck check --help`"))]
    Usage(String),

    #[error("path `{}` does not exist", .0.display())]
    #[diagnostic(help("check the spelling, or run plancheck from the project's root"))]
    PathNotFound(PathBuf),

    #[error("invalid rule selector: {0}")]
    #[diagnostic(help("run `plancheck rules` for every code and name"))]
    Selector(String),

    #[error("invalid --today `{0}`: expected a date as YYYY-MM-DD")]
    Today(String),

    #[error("no rule is called `{name}`{hint}")]
    #[diagnostic(help("run `plancheck rules` for every code and name"))]
    UnknownRule { name: String, hint: String },

    #[error("cannot start {0} worker threads")]
    Threads(usize),

    #[error("cannot read standard input: {0}")]
    Stdin(io::Error),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<ConfigError>),

    #[error("{0}")]
    #[diagnostic(help("write one with `--write-baseline FILE`"))]
    Baseline(String),

    #[error("cannot write the fixes to `{}`: {error}", .path.display())]
    WriteFixes { path: PathBuf, error: io::Error },

    #[error("cannot write the report: {0}")]
    Output(#[from] io::Error),

    #[error("cannot watch the files for changes: {0}")]
    Watch(String),

    /// The MCP session could not start, or ended on a protocol or transport failure.
    #[error("the MCP server stopped: {0}")]
    Mcp(String),

    /// `plancheck new` cannot write the plan it was asked for.
    #[error("{message}")]
    #[diagnostic(help("{help}"))]
    NewPlan { message: String, help: String },
}

impl Error {
    /// A reader that went away (`plancheck … | head`) is no failure of plancheck's.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// A mistake in a config file, shown with miette at its place in the file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
pub struct ConfigError {
    pub(crate) message: String,
    #[source_code]
    pub(crate) source_code: NamedSource<String>,
    #[label("{label}")]
    pub(crate) span: Option<SourceSpan>,
    pub(crate) label: String,
    #[help]
    pub(crate) help: Option<String>,
}
