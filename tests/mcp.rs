//! `plancheck mcp`, as an MCP client speaks to it: JSON-RPC messages, one a line, on the
//! real binary's stdin and stdout, in a copy of the example project.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

mod support;

use support::plancheck_in;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use serde_json::{json, Value};

const PLAN: &str = "projectManagement/Implementations/active/M02-v1-user-authentication.md";

/// A copy of the example project, so that nothing the server might write goes unseen.
fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example");
    support::copy_dir(&from, dir.path());
    dir
}

/// A client on the server's pipes; the server's lines are read on a thread, so that a
/// server that does not answer fails the test instead of hanging it.
struct Client {
    child: Child,
    /// `None` once closed.
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    next_id: u64,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = plancheck_in(dir)
            .arg("mcp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let lines = support::lines_of(stdout);
        Client {
            child,
            stdin: Some(stdin),
            lines,
            next_id: 1,
        }
    }

    /// An initialized session, as every client opens one.
    fn initialized(dir: &Path) -> (Client, Value) {
        let mut client = Client::start(dir);
        let result = client.request(
            "initialize",
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "plancheck-tests", "version": "0"},
            }),
        );
        client.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        (client, result)
    }

    fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
    }

    /// The result of a request; its error fails the test.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no answer to {method}"));
            let message: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("not one JSON message a line ({e}): {line}"));
            // Notifications and requests of the server's own are not the answer.
            if message["id"] != json!(id) || message.get("method").is_some() {
                continue;
            }
            assert!(message.get("error").is_none(), "{method}: {message}");
            return message["result"].clone();
        }
    }

    /// A tool's content, as texts; a tool that reports an error fails the test.
    fn call(&mut self, tool: &str, arguments: Value) -> Vec<String> {
        let result = self.request("tools/call", json!({"name": tool, "arguments": arguments}));
        assert_ne!(result["isError"], json!(true), "{tool}: {result}");
        texts(&result)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn texts(result: &Value) -> Vec<String> {
    result["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|block| {
            assert_eq!(block["type"], "text", "{block}");
            block["text"].as_str().unwrap().to_string()
        })
        .collect()
}

/// What `check --format json` prints for `text` placed at `path`.
fn check_json(dir: &Path, path: &str, text: &str) -> String {
    let mut check = plancheck_in(dir);
    check.args(["check", "--format", "json", "--stdin-filename", path]);
    let output = support::output_with_stdin(&mut check, text.as_bytes());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn initialize_names_the_server_and_offers_tools() {
    let dir = example();
    let (_client, result) = Client::initialized(dir.path());
    assert_eq!(result["serverInfo"]["name"], "plancheck", "{result}");
    assert!(result["capabilities"]["tools"].is_object(), "{result}");
    assert!(!result["protocolVersion"].as_str().unwrap().is_empty());
}

#[test]
fn tools_list_names_the_six_tools_each_saying_when_to_call_it() {
    let dir = example();
    let (mut client, _) = Client::initialized(dir.path());
    let result = client.request("tools/list", json!({}));
    let tools = result["tools"].as_array().unwrap();
    let names: BTreeSet<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, BTreeSet::from(support::MCP_TOOLS));
    for tool in tools {
        let description = tool["description"].as_str().unwrap();
        assert!(description.contains("Call it"), "{tool}");
        assert_eq!(tool["inputSchema"]["type"], "object", "{tool}");
    }
    let required = |name: &str| -> BTreeSet<String> {
        let tool = tools.iter().find(|t| t["name"] == name).unwrap();
        let required = tool["inputSchema"]["required"].as_array();
        (required.into_iter().flatten())
            .map(|r| r.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(required("check_plan"), BTreeSet::from(["path".into()]));
    assert_eq!(required("check_project"), BTreeSet::new());
    assert_eq!(required("explain_rule"), BTreeSet::from(["code".into()]));
    assert_eq!(
        required("draft_plan"),
        BTreeSet::from(["milestone".into(), "title".into()])
    );
    assert_eq!(required("project_graph"), BTreeSet::new());
}

#[test]
fn check_plan_on_a_broken_text_answers_what_check_prints() {
    let dir = example();
    let saved = std::fs::read_to_string(dir.path().join(PLAN)).unwrap();
    let broken = saved.replacen("- **Status**: active", "- **Status**: actve", 1);
    assert_ne!(broken, saved, "the fixture's status line moved");
    let (mut client, _) = Client::initialized(dir.path());

    let answer = client.call("check_plan", json!({"path": PLAN, "text": broken}));
    assert_eq!(answer[0], check_json(dir.path(), PLAN, &broken));
    let report: Value = serde_json::from_str(&answer[0]).unwrap();
    let codes: Vec<&str> = (report["diagnostics"].as_array().unwrap().iter())
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["PC205"], "{report}");
    let message = report["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("`actve`"), "{message}");

    // Without a text, the file as saved: clean.
    let answer = client.call("check_plan", json!({"path": PLAN}));
    let report: Value = serde_json::from_str(&answer[0]).unwrap();
    assert_eq!(report["diagnostics"], json!([]), "{report}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(PLAN)).unwrap(),
        saved
    );
}

#[test]
fn a_draft_is_what_new_writes_and_its_only_errors_are_the_placeholders_new_leaves() {
    let dir = example();
    let (mut client, _) = Client::initialized(dir.path());
    let answer = client.call("draft_plan", json!({"milestone": "M3", "title": "Refunds"}));
    let [draft, said] = &answer[..] else {
        panic!("{answer:?}")
    };
    let path = "projectManagement/Implementations/active/M03-v3-refunds.md";
    assert!(said.ends_with(path), "{said}");
    assert!(!dir.path().join(path).exists(), "draft_plan wrote the plan");

    // `new` in another copy writes the same text at the same place.
    let other = example();
    let output = plancheck_in(other.path())
        .args(["new", "M3", "--title", "Refunds"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let written = std::fs::read_to_string(other.path().join(path)).unwrap();
    assert_eq!(draft, &written);

    let answer = client.call("check_plan", json!({"path": path, "text": draft}));
    let report: Value = serde_json::from_str(&answer[0]).unwrap();
    let errors: Vec<&Value> = (report["diagnostics"].as_array().unwrap().iter())
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(!errors.is_empty(), "the draft's placeholders: {report}");
    for error in errors {
        assert_eq!(error["code"], "PC108", "{error}");
    }
}

#[test]
fn the_other_tools_answer_what_their_commands_print() {
    let dir = example();
    let (mut client, _) = Client::initialized(dir.path());
    let printed = |args: &[&str]| {
        let output = plancheck_in(dir.path()).args(args).output().unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let answer = client.call("explain_rule", json!({"code": "invalid-status"}));
    assert_eq!(answer, [printed(&["explain", "PC205"])]);
    let answer = client.call("list_rules", json!({}));
    assert_eq!(answer, [printed(&["rules", "--format", "json"])]);
    let answer = client.call("project_graph", json!({}));
    assert_eq!(answer, [printed(&["graph", "--format", "json"])]);
    let answer = client.call("check_project", json!({"path": "projectManagement"}));
    assert_eq!(
        answer,
        [printed(&["check", "--format", "json", "projectManagement"])]
    );
}

#[test]
fn what_cannot_be_done_is_a_tool_error_and_the_session_goes_on() {
    let dir = example();
    let (mut client, _) = Client::initialized(dir.path());
    let result = client.request(
        "tools/call",
        json!({"name": "explain_rule", "arguments": {"code": "invalid-statsu"}}),
    );
    assert_eq!(result["isError"], json!(true), "{result}");
    assert!(
        texts(&result)[0].contains("did you mean `invalid-status`"),
        "{result}"
    );
    let result = client.request(
        "tools/call",
        json!({"name": "check_plan", "arguments": {"path": "no/such/plan.md"}}),
    );
    assert_eq!(result["isError"], json!(true), "{result}");
    assert!(texts(&result)[0].contains("does not exist"), "{result}");
    let answer = client.call("list_rules", json!({}));
    assert!(answer[0].contains("PC205"));
}

#[test]
fn the_server_stops_when_the_client_closes_its_input() {
    let dir = example();
    let (mut client, _) = Client::initialized(dir.path());
    drop(client.stdin.take());
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = client.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            return;
        }
        assert!(std::time::Instant::now() < deadline, "still running");
        std::thread::sleep(Duration::from_millis(20));
    }
}
