//! `plancheck mcp` under the official MCP SDK's own client (rmcp), started as an agent's
//! client starts it: the real binary as a child process, in a copy of the example
//! project. tests/mcp.rs checks every tool's answer at length over hand-written JSON-RPC;
//! this checks that a real client and the server understand each other.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

mod support;

use std::collections::BTreeSet;
use std::future::Future;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use rmcp::model::{object, CallToolRequestParams, CallToolResult};
use rmcp::service::{RunningService, ServiceError};
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{json, Value};

const PLAN: &str = "projectManagement/Implementations/active/M02-v1-user-authentication.md";

/// How long the server may take over one answer before the test fails instead of hanging.
const PATIENCE: Duration = Duration::from_secs(60);

type Client = RunningService<RoleClient, ()>;

/// A copy of the example project, so that nothing the server might write goes unseen.
fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example");
    support::copy_dir(&from, dir.path());
    dir
}

fn server_command(dir: &Path) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_plancheck"));
    command.arg("mcp").current_dir(dir);
    command
}

/// An initialized session, the server started by the SDK's child-process transport.
async fn connect(dir: &Path) -> Client {
    let transport = TokioChildProcess::new(server_command(dir)).unwrap();
    within("initialize", ().serve(transport)).await.unwrap()
}

async fn within<T>(what: &str, answer: impl Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, answer)
        .await
        .unwrap_or_else(|_| panic!("no answer to {what}"))
}

async fn call(client: &Client, tool: &'static str, arguments: Value) -> CallToolResult {
    let request = CallToolRequestParams::new(tool).with_arguments(object(arguments));
    let answer: Result<CallToolResult, ServiceError> =
        within(tool, client.call_tool(request)).await;
    answer.unwrap_or_else(|error| panic!("{tool}: {error}"))
}

/// A tool's content, as texts; a tool that reports an error fails the test.
async fn texts(client: &Client, tool: &'static str, arguments: Value) -> Vec<String> {
    let result = call(client, tool, arguments).await;
    assert_ne!(result.is_error, Some(true), "{tool}: {result:?}");
    texts_of(&result)
}

fn texts_of(result: &CallToolResult) -> Vec<String> {
    (result.content.iter())
        .map(|block| block.as_text().unwrap_or_else(|| panic!("{block:?}")))
        .map(|text| text.text.clone())
        .collect()
}

/// The rule codes of a `check --format json` report, in its order.
fn codes(report: &str) -> Vec<String> {
    let report: Value = serde_json::from_str(report).unwrap();
    (report["diagnostics"].as_array().unwrap().iter())
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_sdk_client_opens_a_session_and_sees_six_described_tools() {
    let dir = example();
    let client = connect(dir.path()).await;
    let info = client.peer_info().unwrap();
    let server = info.server_info.as_ref().unwrap();
    assert_eq!(server.name, "plancheck");
    assert_eq!(server.version, env!("CARGO_PKG_VERSION"));
    assert!(info.capabilities.tools.is_some(), "{info:?}");

    let tools = within("tools/list", client.list_all_tools()).await.unwrap();
    let names: BTreeSet<&str> = tools.iter().map(|tool| &*tool.name).collect();
    assert_eq!(names, BTreeSet::from(support::MCP_TOOLS));
    for tool in &tools {
        let description = tool.description.as_deref().unwrap_or_default();
        assert!(!description.is_empty(), "{} has no description", tool.name);
        assert_eq!(tool.input_schema["type"], "object", "{}", tool.name);
    }
    within("close", client.cancel()).await.unwrap();
}

#[tokio::test]
async fn check_plan_answers_the_sdk_client_what_check_prints() {
    let dir = example();
    let saved = std::fs::read_to_string(dir.path().join(PLAN)).unwrap();
    let broken = (saved.replacen("- **Status**: active", "- **Status**: actve", 1)).replacen(
        "TASK-20250711T140000",
        "TASK-20250711T140001",
        1,
    );
    assert!(
        broken.contains("**Status**: actve") && broken.contains("[TASK-20250711T140001,"),
        "the fixture's status or Related Tasks line moved"
    );
    let client = connect(dir.path()).await;

    let answer = texts(&client, "check_plan", json!({"path": PLAN, "text": broken})).await;
    assert_eq!(codes(&answer[0]), ["PC205", "PC501"], "{}", answer[0]);
    let mut check = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    check.current_dir(dir.path());
    check.args(["check", "--format", "json", "--stdin-filename", PLAN]);
    let printed = support::output_with_stdin(&mut check, broken.as_bytes());
    assert_eq!(answer[0], String::from_utf8(printed.stdout).unwrap());
    within("close", client.cancel()).await.unwrap();
}

#[tokio::test]
async fn a_draft_checked_through_the_sdk_client_has_only_what_new_leaves() {
    let dir = example();
    let client = connect(dir.path()).await;
    // The example's completion path lists this plan and M04 has no other active plan, so
    // nothing the project says about where the draft goes (PC405, PC510) mixes in.
    let answer = texts(
        &client,
        "draft_plan",
        json!({"milestone": "M4", "title": "Reporting"}),
    )
    .await;
    let [draft, said] = &answer[..] else {
        panic!("{answer:?}")
    };
    let path = said.rsplit(' ').next().unwrap();
    assert_eq!(
        path,
        "projectManagement/Implementations/active/M04-v1-reporting.md"
    );

    let report = texts(&client, "check_plan", json!({"path": path, "text": draft})).await;
    let codes = codes(&report[0]);
    // The guidance lines left for the author (PC113), the phase names and the target given
    // no `target` (PC108), and nothing else: see "Writing a new plan" in the README.
    assert_eq!(
        codes.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        BTreeSet::from(["PC108", "PC113"]),
        "{}",
        report[0]
    );
    assert_eq!(codes.iter().filter(|code| *code == "PC108").count(), 4);
    assert!(!dir.path().join(path).exists(), "draft_plan wrote the plan");
    within("close", client.cancel()).await.unwrap();
}

#[tokio::test]
async fn bad_arguments_are_a_tool_error_and_the_session_goes_on() {
    let dir = example();
    let client = connect(dir.path()).await;
    for arguments in [
        json!({}),
        json!({"path": 7}),
        json!({"path": PLAN, "text": []}),
    ] {
        let result = call(&client, "check_plan", arguments.clone()).await;
        assert_eq!(result.is_error, Some(true), "{arguments}: {result:?}");
        let said = texts_of(&result).concat();
        assert!(said.contains("parameters"), "{arguments}: {said}");
    }
    let result = call(&client, "draft_plan", json!({"milestone": "M3"})).await;
    assert_eq!(result.is_error, Some(true), "{result:?}");
    assert!(texts_of(&result).concat().contains("title"), "{result:?}");

    let answer = texts(&client, "explain_rule", json!({"code": "PC205"})).await;
    assert!(answer[0].contains("invalid-status"), "{}", answer[0]);
    within("close", client.cancel()).await.unwrap();
}

/// The SDK's child-process transport kills a server slow to stop and keeps its exit status
/// to itself; this client owns the child, to see it exit by itself, successfully.
#[tokio::test]
async fn the_server_exits_by_itself_when_the_sdk_client_closes() {
    let dir = example();
    let mut child = server_command(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let pipes = (child.stdout.take().unwrap(), child.stdin.take().unwrap());
    let client = within("initialize", ().serve(pipes)).await.unwrap();
    within("tools/list", client.list_all_tools()).await.unwrap();

    within("close", client.cancel()).await.unwrap();
    let status = within("the server's exit", child.wait()).await.unwrap();
    assert!(status.success(), "{status}");
}
