//! The tools of `plancheck mcp`: each one runs the command a user would (`check --format
//! json`, `explain`, `rules --format json`, what `new` would write, `graph --format json`)
//! on its captured output, so an agent reads what the command line prints. None writes a
//! file.

use std::path::PathBuf;

use rmcp::handler::server::{router::tool::ToolRouter, wrapper::Parameters};
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{tool, tool_handler, tool_router, ServerHandler};
use serde::Deserialize;

use crate::cli::{CheckArgs, Format, GraphArgs, NewArgs, RulesFormat, SettingsSource};
use crate::commands::{self, check, explain, graph, new, rules, Io, Outcome};
use crate::error::Error;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct CheckPlanParams {
    /// The plan's path (from the folder the server runs in): the file to read, or, with
    /// `text`, where the text is to be saved, which places it in its project.
    pub path: PathBuf,
    /// The plan's text, when it is not saved yet (or differs from the file); checked as if
    /// it were the file at `path`.
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ProjectParams {
    /// A management folder, a folder holding one, or a plan file. Default:
    /// `./projectManagement` if it exists, else the folder the server runs in.
    #[serde(default)]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ExplainRuleParams {
    /// A rule code (`PC205`) or name (`invalid-status`).
    pub code: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct NoParams {}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct DraftPlanParams {
    /// The plan's milestone (`M3`, `M03` or `M-03`). A high-priority plan has none: with
    /// `original_task`, give `H` or an empty string.
    pub milestone: String,
    /// The plan's title; the file name is made of it.
    pub title: String,
    /// The Completion Target as YYYY-MM-DD (an H-plan's Estimated Completion); default:
    /// the template's placeholder.
    #[serde(default)]
    pub target: Option<String>,
    /// The task a high-priority plan (H-plan) escalates, e.g. `HIGH-TASK-20250715T100000`;
    /// given, the draft is an H-plan.
    #[serde(default)]
    pub original_task: Option<String>,
}

/// The server: plancheck's commands as MCP tools, on the project in the folder it runs in.
#[derive(Debug, Clone)]
pub struct Server {
    tool_router: ToolRouter<Self>,
}

impl Default for Server {
    fn default() -> Self {
        Self {
            tool_router: Self::tool_router(),
        }
    }
}

#[tool_router]
impl Server {
    #[tool(
        description = "Check one implementation plan against the plancheck template and its \
        project on disk (tasks, flows, themes, completion path). Call it before saving a plan \
        you wrote or edited: give `text` (the content to save) and `path` (where it goes, which \
        places it in its project), or `path` alone to check the file as saved. Answers with \
        the JSON of `plancheck check --format json`: each finding's rule code, severity, \
        message, help, span and, where one exists, a fix as byte edits."
    )]
    fn check_plan(&self, Parameters(params): Parameters<CheckPlanParams>) -> CallToolResult {
        let (args, stdin) = match params.text {
            Some(text) => (
                CheckArgs {
                    stdin_filename: Some(params.path),
                    format: Format::Json,
                    ..CheckArgs::default()
                },
                text.into_bytes(),
            ),
            None => (
                CheckArgs {
                    paths: vec![params.path],
                    format: Format::Json,
                    ..CheckArgs::default()
                },
                Vec::new(),
            ),
        };
        answer(captured(&stdin, |io| check::run(&args, io)))
    }

    #[tool(
        description = "Check every plan under a folder together with the project's task, flow \
        and theme files and its completion path. Call it after editing tasks, flows or themes, \
        or after adding, moving or renaming plans, to see what the change broke anywhere in \
        the project. Answers with the JSON of `plancheck check --format json`."
    )]
    fn check_project(&self, Parameters(params): Parameters<ProjectParams>) -> CallToolResult {
        let args = CheckArgs {
            paths: params.path.into_iter().collect(),
            format: Format::Json,
            ..CheckArgs::default()
        };
        answer(captured(&[], |io| check::run(&args, io)))
    }

    #[tool(
        description = "The documentation page of one rule, by code (`PC205`) or name \
        (`invalid-status`): what it checks, why it matters, a failing and a passing example, \
        how to fix. Call it when a finding's message and help do not tell you enough to fix it."
    )]
    fn explain_rule(&self, Parameters(params): Parameters<ExplainRuleParams>) -> CallToolResult {
        answer(printed(|out| explain::run(&params.code, out)))
    }

    #[tool(
        description = "Every rule plancheck checks, as JSON: code, name, default severity, \
        summary, and whether it has a fix. Call it to learn what a plan must satisfy before \
        writing one, or to find the code of a rule to explain."
    )]
    fn list_rules(&self, Parameters(_): Parameters<NoParams>) -> CallToolResult {
        answer(printed(|out| Ok(rules::run(RulesFormat::Json, out)?)))
    }

    #[tool(
        description = "The text `plancheck new` would write for a new plan, returned and not \
        written: the project's template with the title, dates, next free version, the \
        milestone's tasks and flows (or the escalated task of an H-plan) filled in. Call it to \
        start a new plan instead of writing the template from memory; then replace its \
        placeholders (what is left of them is reported as PC108) and call check_plan with \
        the text before saving it. A second part names the path `plancheck new` would save \
        it under."
    )]
    fn draft_plan(&self, Parameters(params): Parameters<DraftPlanParams>) -> CallToolResult {
        let milestone = params.milestone.trim();
        let high_priority = params.original_task.is_some();
        if high_priority && !matches!(milestone, "" | "H") {
            return failed(&format!(
                "a high-priority plan has no milestone, but `{milestone}` was given with \
                 original_task: give `H` or an empty milestone"
            ));
        }
        let args = NewArgs {
            milestone: (!high_priority).then(|| milestone.to_string()),
            title: params.title,
            target: params.target,
            high_priority,
            original_task: params.original_task,
            source: SettingsSource::default(),
            today: None,
        };
        match new::draft(&args) {
            Ok(draft) => CallToolResult::success(vec![
                ContentBlock::text(draft.text),
                ContentBlock::text(format!("`plancheck new` would write it to {}", draft.shown)),
            ]),
            Err(error) => failed(&message(&error)),
        }
    }

    #[tool(
        description = "The project's reference graph as JSON (what `plancheck graph --format \
        json` prints): milestones, plans, phases, tasks, flows and themes, the edges between \
        them with the file and line each comes from, the orphans no plan references and the \
        references that resolve nowhere. Call it before changing or removing a task, flow or \
        theme, to see which plans name it."
    )]
    fn project_graph(&self, Parameters(params): Parameters<ProjectParams>) -> CallToolResult {
        let args = GraphArgs {
            paths: params.path.into_iter().collect(),
            ..GraphArgs::default()
        };
        answer(captured(&[], |io| graph::run(&args, io)))
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("plancheck", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "plancheck lints implementation plans (markdown from a fixed template) and \
                 the task, flow and theme files of their project. Draft a new plan with \
                 draft_plan, check it with check_plan before saving, and run check_project \
                 after editing tasks, flows or themes. Nothing here writes a file.",
            )
    }
}

/// What a command printed on stdout, and on stderr beside it.
struct Captured {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs a command as the process would, with `stdin` as standard input and no terminal.
fn captured(
    stdin: &[u8],
    command: impl FnOnce(Io<'_>) -> Result<Outcome, Error>,
) -> Result<Captured, Error> {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let io = Io {
        stdout: &mut stdout,
        stderr: &mut stderr,
        stdin: &mut &*stdin,
        stdout_is_terminal: false,
        no_color: true,
        // The step summary is a file `--format github` writes: never here.
        github_step_summary: None,
    };
    // Findings are the answer, not a failure: the outcome (the exit code) adds nothing.
    command(io)?;
    Ok(Captured { stdout, stderr })
}

/// Runs a command that only prints.
fn printed(
    command: impl FnOnce(&mut (dyn std::io::Write + Send)) -> Result<(), Error>,
) -> Result<Captured, Error> {
    captured(&[], |io| commands::printed(command(io.stdout)))
}

fn answer(result: Result<Captured, Error>) -> CallToolResult {
    match result {
        Ok(Captured { stdout, stderr }) => {
            let mut content = vec![ContentBlock::text(String::from_utf8_lossy(&stdout))];
            if !stderr.is_empty() {
                content.push(ContentBlock::text(String::from_utf8_lossy(&stderr)));
            }
            CallToolResult::success(content)
        }
        Err(error) => failed(&message(&error)),
    }
}

/// Why plancheck could not do what was asked (exit code 2 on the command line), with its help.
fn message(error: &Error) -> String {
    match miette::Diagnostic::help(error) {
        Some(help) => format!("{error}\nhelp: {help}"),
        None => error.to_string(),
    }
}

fn failed(message: &str) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message)])
}
