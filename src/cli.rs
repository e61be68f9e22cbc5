//! The command line as clap types; no behaviour lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "plancheck",
    version,
    about = "Lint and validate implementation plan documents",
    args_conflicts_with_subcommands = true,
    after_help = "A first PATH spelt like a command (`rules`, `config`) is that command: \
                  to check a folder of that name, write `plancheck check rules` or \
                  `plancheck ./rules`."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check plans in files and folders (the default command)
    Check(CheckArgs),
    /// List every rule: code, name, default severity, summary
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Print the settings in force and where each came from
    #[command(alias = "show-settings")]
    Config(ConfigArgs),
    /// Print a rule's documentation page
    Explain {
        /// A rule code (`PC205`) or name (`invalid-status`)
        rule: String,
    },
    /// Write a new plan from the template, e.g. `plancheck new M03 --title "Payment gateway"`
    New(NewArgs),
    /// Print the project's reference graph: milestones, plans, phases, tasks, flows and themes
    #[command(
        after_help = "Edges: has-plan (milestone → plan), has-phase (plan → phase), \
                            lists-task (plan or phase → task), requires-flow (plan or milestone \
                            → flow), uses-theme (plan → theme), task-of-phase (task → phase), \
                            each with the file and line it comes from. The exit code is 0 \
                            whatever the graph holds: `plancheck check` judges it."
    )]
    Graph(GraphArgs),
    /// Serve editors as a language server (LSP) on stdin and stdout
    Server(ServerArgs),
    /// Print shell completions, e.g. `plancheck completions bash > ~/.local/share/bash-completion/completions/plancheck`
    Completions {
        /// The shell to complete in
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `plancheck man > plancheck.1`
    Man,
    /// Serve the Model Context Protocol on stdin/stdout, for AI agents that write plans
    #[command(
        after_help = "Tools: check_plan, check_project, explain_rule, list_rules, draft_plan, \
                      project_graph; paths are taken from the folder the server runs in. \
                      It never writes a file."
    )]
    Mcp,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the JSON Schema of plancheck.toml instead, for editors
    #[arg(long)]
    pub schema: bool,
    #[command(flatten)]
    pub check: CheckArgs,
}

/// Where the settings and the project come from: the options of every command that reads
/// a project. (For `server`, the nearest plancheck.toml is the workspace folder's.)
#[derive(Debug, Args, Default, Clone)]
pub struct SettingsSource {
    /// Use this config file instead of the nearest plancheck.toml
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Use no config file
    #[arg(long)]
    pub no_config: bool,

    /// The management folder, overriding discovery
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServerArgs {
    #[command(flatten)]
    pub source: SettingsSource,

    /// The date the date rules compare with [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The plan's milestone (`M3`, `M03`, `M-03`); an H-plan has none
    #[arg(
        value_name = "MILESTONE",
        required_unless_present = "high_priority",
        conflicts_with_all = ["high_priority", "original_task"]
    )]
    pub milestone: Option<String>,

    /// The plan's title; its file name is made of it
    #[arg(long, value_name = "TITLE")]
    pub title: String,

    /// The Completion Target (an H-plan's Estimated Completion) [default: the template's placeholder]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub target: Option<String>,

    /// Write a high-priority plan (H-plan) for the task it escalates
    #[arg(long, requires = "original_task")]
    pub high_priority: bool,

    /// The task an H-plan escalates
    #[arg(long, value_name = "TASK-ID", requires = "high_priority")]
    pub original_task: Option<String>,

    #[command(flatten)]
    pub source: SettingsSource,

    /// The date written as Created and Updated [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

#[derive(Debug, Args, Default, Clone)]
pub struct GraphArgs {
    /// Files and folders whose plans to draw
    /// [default: ./projectManagement if it exists, else .]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = GraphFormat::Json)]
    pub format: GraphFormat,

    /// Only the tasks, flows and themes that no plan references
    #[arg(long)]
    pub orphans: bool,

    /// Only the references that resolve nowhere (what PC501, PC503 and PC505 report)
    #[arg(long)]
    pub dangling: bool,

    #[command(flatten)]
    pub source: SettingsSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum GraphFormat {
    #[default]
    Json,
    Dot,
    Mermaid,
}

#[derive(Debug, Args, Default, Clone)]
pub struct CheckArgs {
    /// Files and folders to check; `-` reads one plan from stdin
    /// [default: ./projectManagement if it exists, else .]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Rules to run: codes, code prefixes (`PC3`), names, or `ALL` (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Option<Vec<String>>,

    /// Rules to skip: codes, code prefixes, names, or `ALL` (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,

    #[command(flatten)]
    pub source: SettingsSource,

    /// The date the date rules compare with (for reproducible CI)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,

    /// Warnings also make the exit code 1
    #[arg(long)]
    pub deny_warnings: bool,

    /// The path to report, and to place the plan in the project, when reading `-`
    /// (given alone, it implies `-`)
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Apply the safe fixes, then report what is left (with `-`: print the fixed plan)
    #[arg(long)]
    pub fix: bool,

    /// With --fix or --diff, also the unsafe fixes (they add or remove content)
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print a unified diff of what --fix would change, and change nothing; exit 1 when
    /// there is a change
    #[arg(long)]
    pub diff: bool,

    /// Check, then check again whenever a plan or project file changes, until interrupted
    #[arg(long)]
    pub watch: bool,

    /// Write the report to FILE (atomically) instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,

    /// Exit 0 even when errors are found (2 still means plancheck could not run)
    #[arg(long)]
    pub exit_zero: bool,

    /// When to use colour (`NO_COLOR` is honoured)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print diagnostics only, no summary
    #[arg(short, long)]
    pub quiet: bool,

    /// Print a count per rule instead of the diagnostics
    #[arg(long)]
    pub statistics: bool,

    /// Record today's findings in FILE (then exit 0), for gradual adoption
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Report only findings that FILE (from --write-baseline) does not hold
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Worker threads [default: all cores]
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Human,
    Concise,
    Json,
    Sarif,
    Github,
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}
