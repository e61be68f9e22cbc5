//! `plancheck server` through the real binary: an LSP client speaking to it over its
//! standard streams, with Content-Length framing, on a copy of a small fixture project.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

mod support;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

const PLAN: &str = "projectManagement/Implementations/active/M01-v1-user-auth.md";
/// Long enough for a loaded CI machine; a hung server fails the test instead of hanging it.
const PATIENCE: Duration = Duration::from_secs(60);

/// A client of one server process.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Messages read while waiting for another.
    waiting: VecDeque<Value>,
    next_id: i64,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = support::plancheck_in(dir)
            .args(["server", "--today", "2025-08-01"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            while let Some(message) = read_message(&mut stdout) {
                if send.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            waiting: VecDeque::new(),
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The whole response to a request: `result` or `error`.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The first message `wanted` takes, read now or before.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.waiting.iter().position(&wanted) {
            return self.waiting.remove(at).unwrap();
        }
        loop {
            let message = self
                .messages
                .recv_timeout(PATIENCE)
                .unwrap_or_else(|_| panic!("no answer; read so far: {:?}", self.waiting));
            if wanted(&message) {
                return message;
            }
            self.waiting.push_back(message);
        }
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {
                "uri": uri, "languageId": "markdown", "version": 1, "text": text,
            }}),
        );
    }

    /// The whole new text, as a client of full sync sends it.
    fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}],
            }),
        );
    }

    /// The actions offered for `range`, with `context`.
    fn code_actions(&mut self, uri: &str, range: Value, context: Value) -> Vec<Value> {
        let response = self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
        );
        response["result"].as_array().unwrap().clone()
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let published = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        published["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .clone()
    }

    fn initialize(&mut self, root: &Path) -> Value {
        self.initialize_with(root, json!({}))
    }

    fn initialize_with(&mut self, root: &Path, capabilities: Value) -> Value {
        let response = self.request(
            "initialize",
            json!({"processId": null, "rootUri": uri_of(root), "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        response
    }

    /// `shutdown`, then `exit`: the exit code.
    fn shut_down(mut self) -> Option<i32> {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(mut self) -> Option<i32> {
        drop(self.stdin);
        self.child.wait().unwrap().code()
    }
}

/// One framed message, or `None` at the end of the stream.
fn read_message(from: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if from.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    from.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A copy of the PC501 pass fixture (a plan, its task, flow and themes) to change freely.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/PC501/pass");
    support::copy_dir(&fixture, &copy);
    (dir, copy.canonicalize().unwrap())
}

/// The plan with `Status: Active` and, after an emoji and CJK characters on its line, a
/// task id the project does not have.
fn plan_with_two_findings(root: &Path) -> String {
    std::fs::read_to_string(root.join(PLAN))
        .unwrap()
        .replace("**Status**: active", "**Status**: Active")
        .replace(
            "- **Tasks**: TASK-20250701T090000\n",
            "- **Tasks**: TASK-20250701T090000 (令牌 🔑), TASK-20250702T090000\n",
        )
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({
        "start": {"line": start.0, "character": start.1},
        "end": {"line": end.0, "character": end.1},
    })
}

/// The byte offset of an LSP position in `text`, counting UTF-16 units as the protocol does.
fn offset_of(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (at, c) in text[line_start..].char_indices() {
        if units >= character || c == '\n' {
            return line_start + at;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// `text` with a code action's edits made, as an editor makes them: each against the text
/// before any, so from the last to the first.
fn apply(text: &str, action: &Value) -> String {
    let changes = action["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{action}");
    let mut edits: Vec<(usize, usize, &str)> = changes[0]["edits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edit| {
            let start = offset_of(text, &edit["range"]["start"]);
            let end = offset_of(text, &edit["range"]["end"]);
            (start, end, edit["newText"].as_str().unwrap())
        })
        .collect();
    edits.sort_by_key(|&(start, _, _)| std::cmp::Reverse(start));
    let mut text = text.to_string();
    for (start, end, new_text) in edits {
        text.replace_range(start..end, new_text);
    }
    text
}

fn codes_and_ranges(diagnostics: &[Value]) -> Vec<(String, Value)> {
    diagnostics
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["range"].clone()))
        .collect()
}

/// A plan typed into the editor gets `check`'s findings at the right UTF-16 ranges, on open
/// and on each change, and none once it is closed; the session ends cleanly.
#[test]
fn diagnostics_follow_the_unsaved_text() {
    let (_dir, root) = project();
    let mut client = Client::start(&root);
    let initialized = client.initialize(&root);
    assert_eq!(
        initialized["result"]["capabilities"]["textDocumentSync"],
        json!(1),
        "{initialized}"
    );
    assert_eq!(initialized["result"]["serverInfo"]["name"], "plancheck");

    let uri = uri_of(&root.join(PLAN));
    let text = plan_with_two_findings(&root);
    client.open(&uri, &text);
    let found = client.diagnostics(&uri);
    // `Active` on line 5; the task id on line 48, after 42 characters of which the emoji
    // is two UTF-16 units.
    assert_eq!(
        codes_and_ranges(&found),
        [
            ("PC205".to_string(), range((4, 14), (4, 20))),
            ("PC501".to_string(), range((47, 43), (47, 63))),
        ],
        "{found:#?}"
    );
    assert_eq!(found[0]["severity"], 1);
    assert_eq!(found[0]["source"], "plancheck");
    assert_eq!(
        found[0]["message"],
        "status `Active` is not one of: active, completed, superseded"
    );

    // Unsaved: the file on disk never changes.
    let fixed = text.replace("**Status**: Active", "**Status**: active");
    client.change(&uri, 2, &fixed);
    let found = client.diagnostics(&uri);
    assert_eq!(
        codes_and_ranges(&found),
        [("PC501".to_string(), range((47, 43), (47, 63)))]
    );

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(client.shut_down(), Some(0));
}

/// Each finding's fix is offered as a quick fix where the finding is, made against the
/// version it was found in; the safe ones together as `source.fixAll.plancheck`.
#[test]
fn fixes_are_code_actions() {
    let (_dir, root) = project();
    let mut client = Client::start(&root);
    let initialized = client.initialize(&root);
    let kinds = &initialized["result"]["capabilities"]["codeActionProvider"]["codeActionKinds"];
    assert_eq!(kinds, &json!(["quickfix", "source.fixAll.plancheck"]));

    let uri = uri_of(&root.join(PLAN));
    let text = plan_with_two_findings(&root);
    client.open(&uri, &text);
    let found = client.diagnostics(&uri);
    let status = found[0].clone();
    assert_eq!(status["code"], "PC205");

    // The cursor on `Active`: its fix alone, not the task id's further down.
    let actions = client.code_actions(
        &uri,
        range((4, 16), (4, 16)),
        json!({"diagnostics": [status], "only": ["quickfix"]}),
    );
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let quick_fix = &actions[0];
    assert_eq!(quick_fix["kind"], "quickfix");
    assert_eq!(quick_fix["title"], "change the status to `active` (PC205)");
    assert_eq!(quick_fix["diagnostics"][0]["code"], "PC205");
    assert_eq!(quick_fix["isPreferred"], true);
    assert_eq!(
        quick_fix["edit"]["documentChanges"][0]["textDocument"]["version"],
        1
    );
    let fixed = apply(&text, quick_fix);
    assert_eq!(
        fixed,
        text.replace("**Status**: Active", "**Status**: active")
    );
    client.change(&uri, 2, &fixed);
    let found = client.diagnostics(&uri);
    assert_eq!(
        codes_and_ranges(&found),
        [("PC501".to_string(), range((47, 43), (47, 63)))]
    );

    // The task id's fix, past the emoji: placed in UTF-16 units as its finding is.
    let actions = client.code_actions(
        &uri,
        range((47, 50), (47, 50)),
        json!({"diagnostics": found}),
    );
    let kinds: Vec<_> = actions.iter().map(|a| a["kind"].clone()).collect();
    assert_eq!(kinds, [json!("quickfix"), json!("source.fixAll.plancheck")]);
    let task_fixed = apply(&fixed, &actions[0]);
    assert!(
        task_fixed.contains("(令牌 🔑), TASK-20250701T090000\n"),
        "{task_fixed}"
    );

    // Fix all, as an editor asks for it on save: every safe fix of the first text at once.
    client.change(&uri, 3, &text);
    assert_eq!(client.diagnostics(&uri).len(), 2);
    let actions = client.code_actions(
        &uri,
        range((0, 0), (0, 0)),
        json!({"diagnostics": [], "only": ["source.fixAll"]}),
    );
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.plancheck");
    let all_fixed = apply(&text, &actions[0]);
    client.change(&uri, 4, &all_fixed);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    // Nothing left to fix: no action at all.
    let actions = client.code_actions(&uri, range((0, 0), (90, 0)), json!({"diagnostics": []}));
    assert_eq!(actions, Vec::<Value>::new());
    assert_eq!(client.shut_down(), Some(0));
}

/// The (0-based) line of `text` that `line` starts, and the UTF-16 position `within` it.
fn place_of(text: &str, line: &str, within: &str) -> (u32, u32) {
    let at = text.find(line).unwrap();
    let row = text[..at].matches('\n').count() as u32;
    let column = line.find(within).unwrap();
    (row, line[..column].encode_utf16().count() as u32 + 1)
}

fn position(place: (u32, u32)) -> Value {
    json!({"line": place.0, "character": place.1})
}

/// Hover on a task id shows the task; go to definition leads from a task, flow or theme to
/// where the project defines it; completion offers the project's names where the plan takes
/// them; the server watches the project files and checks the open
/// plans again when one changes.
#[test]
fn the_project_is_navigated_and_watched() {
    let (_dir, root) = project();
    let mut client = Client::start(&root);
    let capabilities =
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let initialized = client.initialize_with(&root, capabilities);
    let provides = &initialized["result"]["capabilities"];
    assert_eq!(provides["hoverProvider"], true);
    assert_eq!(provides["definitionProvider"], true);
    let registration = client.wait_for(|m| m["method"] == "client/registerCapability");
    let registered = &registration["params"]["registrations"][0];
    assert_eq!(registered["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<_> = registered["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap().to_string())
        .collect();
    assert!(globs.contains(&"**/*.json".to_string()), "{globs:?}");
    client.send(&json!({"jsonrpc": "2.0", "id": registration["id"], "result": null}));

    let uri = uri_of(&root.join(PLAN));
    let text = plan_with_two_findings(&root);
    client.open(&uri, &text);
    assert_eq!(client.diagnostics(&uri).len(), 2);

    // The known task id of the phase's Tasks, past the emoji's line start.
    let tasks_line = "- **Tasks**: TASK-20250701T090000 (令牌";
    let on_task = position(place_of(&text, tasks_line, "TASK-"));
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": on_task}),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("Token service"), "{shown}");
    assert!(shown.contains("Status: `in-progress`"), "{shown}");
    assert!(shown.contains("TASK-20250701T090000.json`"), "{shown}");
    assert_eq!(hover["result"]["range"], range((47, 13), (47, 33)));
    // Nothing to say away from an id.
    let nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position((0, 0))}),
    );
    assert_eq!(nothing["result"], Value::Null);

    let definition = |client: &mut Client, place: (u32, u32)| {
        let found = client.request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": position(place)}),
        );
        found["result"].clone()
    };
    let task = definition(&mut client, place_of(&text, tasks_line, "TASK-"));
    assert_eq!(
        task["uri"],
        uri_of(&root.join("projectManagement/Tasks/active/TASK-20250701T090000.json"))
    );
    assert_eq!(task["range"], range((1, 2), (1, 10)));
    let theme = definition(&mut client, place_of(&text, "- `authentication`", "auth"));
    assert_eq!(
        theme["uri"],
        uri_of(&root.join("projectManagement/Themes/themes.json"))
    );
    assert_eq!(theme["range"], range((2, 4), (2, 20)));
    let flow = definition(&mut client, place_of(&text, "- `user-login-flow`", "user"));
    assert!(
        flow["uri"]
            .as_str()
            .unwrap()
            .ends_with("/ProjectFlow/authentication-flow.json"),
        "{flow}"
    );

    let labels = |client: &mut Client, place: (u32, u32)| -> Vec<String> {
        let found = client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": position(place)}),
        );
        let items = found["result"].as_array().unwrap().clone();
        items
            .iter()
            .map(|item| item["label"].as_str().unwrap().to_string())
            .collect()
    };
    // At the end of Related Tasks, where the next id is typed.
    let related = "- **Related Tasks**: TASK-20250701T090000";
    let end_of_related = (place_of(&text, related, "- ").0, related.len() as u32);
    assert_eq!(
        labels(&mut client, end_of_related),
        ["TASK-20250701T090000"]
    );
    let theme = place_of(&text, "- `authentication`", "auth");
    assert_eq!(labels(&mut client, theme), ["authentication", "security"]);
    let status = place_of(&text, "- **Status**: Active", "Active");
    assert_eq!(
        labels(&mut client, status),
        ["active", "completed", "superseded"]
    );
    assert_eq!(labels(&mut client, (0, 3)), Vec::<String>::new());

    // The unknown task gets its file: the plan is checked again without being touched.
    write_missing_task(&root);
    let task_file = root.join(MISSING_TASK);
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&task_file), "type": 1}]}),
    );
    let found = client.diagnostics(&uri);
    assert_eq!(
        codes_and_ranges(&found),
        [("PC205".to_string(), range((4, 14), (4, 20)))]
    );
    assert_eq!(
        labels(&mut client, end_of_related),
        ["TASK-20250701T090000", "TASK-20250702T090000"]
    );
    assert_eq!(client.shut_down(), Some(0));
}

/// The task file the plans name but the fixture lacks.
const MISSING_TASK: &str = "projectManagement/Tasks/active/TASK-20250702T090000.json";

/// Writes the task the plans name but the project lacks, as a program other than the
/// editor (a `git checkout`, an agent) would.
fn write_missing_task(root: &Path) {
    let task = json!({
        "taskId": "TASK-20250702T090000",
        "title": "Login endpoint",
        "status": "pending",
        "milestone": {"id": "M-01", "title": "User Auth"},
    });
    std::fs::write(root.join(MISSING_TASK), task.to_string()).unwrap();
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    codes_and_ranges(diagnostics)
        .into_iter()
        .map(|(code, _)| code)
        .collect()
}

/// A client that watches no file for the server: the server sees the project change on
/// disk itself, and checks the open plan again with no word from the client.
#[test]
fn the_server_watches_the_project_when_the_client_cannot() {
    let (_dir, root) = project();
    let mut client = Client::start(&root);
    client.initialize(&root);
    let uri = uri_of(&root.join(PLAN));
    client.open(&uri, &plan_with_two_findings(&root));
    assert_eq!(codes(&client.diagnostics(&uri)), ["PC205", "PC501"]);

    write_missing_task(&root);
    assert_eq!(codes(&client.diagnostics(&uri)), ["PC205"]);
    // The project itself was read again: its new task is completed.
    let related = "- **Related Tasks**: TASK-20250701T090000";
    let text = plan_with_two_findings(&root);
    let line = text[..text.find(related).unwrap()].matches('\n').count();
    let found = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position((line as u32, related.len() as u32))}),
    );
    let labels: Vec<&str> = (found["result"].as_array().unwrap().iter())
        .map(|item| item["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["TASK-20250701T090000", "TASK-20250702T090000"]);
    assert_eq!(client.shut_down(), Some(0));
}

/// Two open plans of one project are both checked again after one change to it.
#[test]
fn the_open_plans_of_a_project_are_checked_again_together() {
    let (_dir, root) = project();
    let second_path = root.join(PLAN.replace("M01-v1", "M01-v2"));
    let second_text = plan_with_two_findings(&root).replace("**Version**: v1", "**Version**: v2");
    std::fs::write(&second_path, &second_text).unwrap();
    let mut client = Client::start(&root);
    client.initialize(&root);
    let first = uri_of(&root.join(PLAN));
    let second = uri_of(&second_path);
    client.open(&first, &plan_with_two_findings(&root));
    client.open(&second, &second_text);
    let before = [client.diagnostics(&first), client.diagnostics(&second)];
    for found in &before {
        assert!(codes(found).contains(&"PC501".to_string()), "{found:#?}");
    }

    write_missing_task(&root);
    for (uri, before) in [&first, &second].into_iter().zip(&before) {
        let mut expected = codes(before);
        expected.retain(|code| code != "PC501");
        assert_eq!(codes(&client.diagnostics(uri)), expected, "{uri}");
    }
    assert_eq!(client.shut_down(), Some(0));
}

/// Without the client's leave to register watchers, the server asks for none.
#[test]
fn no_watchers_are_asked_of_a_client_that_cannot_watch() {
    let (_dir, root) = project();
    let mut client = Client::start(&root);
    client.initialize(&root);
    let response = client.request("shutdown", Value::Null);
    assert_eq!(response["result"], Value::Null);
    assert!(
        !client
            .waiting
            .iter()
            .any(|m| m["method"] == "client/registerCapability"),
        "{:?}",
        client.waiting
    );
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(0));
}

/// A request before `initialize` is refused as the protocol says, and an `exit` with no
/// `shutdown` before it ends the server with exit code 1.
#[test]
fn the_protocol_is_kept_at_both_ends() {
    let (_dir, root) = project();
    let mut client = Client::start(&root);
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    client.initialize(&root);
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(1));
}

/// A buffer that is no file is checked alone: the template's rules, no project.
#[test]
fn a_buffer_with_no_file_is_checked_alone() {
    let (_dir, root) = project();
    let mut client = Client::start(&root);
    client.initialize(&root);
    let text = plan_with_two_findings(&root);
    let uri = "untitled:Untitled-1";
    client.open(uri, &text);
    let found = client.diagnostics(uri);
    let codes: Vec<_> = codes_and_ranges(&found)
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert!(codes.contains(&"PC205".to_string()), "{found:#?}");
    assert!(!codes.contains(&"PC501".to_string()), "{found:#?}");
    assert_eq!(client.shut_down(), Some(0));
}
