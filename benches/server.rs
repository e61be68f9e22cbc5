//! How long a plan typed into `plancheck server` waits for its diagnostics: the release
//! server is started in a project and spoken to over its standard streams, as an editor
//! does (LSP, Content-Length framing). It opens one plan, then types into it: each edit
//! changes one character (a status word or a task id made wrong and right again, a letter
//! typed into the prose and taken away), sent as the whole text with the next version, and
//! is timed from its `didChange` leaving to the `publishDiagnostics` of its version coming
//! back. Checks that the findings do come and go, so a server that stopped checking could
//! not pass for a fast one.
//!
//! `cargo build --release --bin plancheck --example server`, then
//! `target/release/examples/server DIR [--plan PLAN] [--edits N] [--burst N] [--bin PLANCHECK]`:
//! DIR a project (`benches/corpus.rs` writes one), PLAN a plan in it (by default the first
//! plan the corpus writes). It prints the time from `initialize` to the first diagnostics
//! and from `didOpen` to them (the project is loaded then), the median, 95th percentile
//! and slowest of N edits each waited for (200 by default: keystrokes come slower than the
//! server answers), then, for runs of N edits sent back to back (10 by default: a fast
//! typist's word), how long the last edit of a run waits.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool"
)]
#![allow(
    clippy::disallowed_methods,
    reason = "a tool that reads the plan it types into"
)]

use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The plan `benches/corpus.rs` writes first.
const FIRST_PLAN: &str = "projectManagement/Implementations/active/M01-v1-feature-1.md";
/// Long enough for the largest project; a server that never answers ends the run.
const PATIENCE: Duration = Duration::from_secs(120);

struct Options {
    dir: PathBuf,
    plan: PathBuf,
    edits: usize,
    burst: usize,
    bin: PathBuf,
}

fn main() -> ExitCode {
    let options = match options(std::env::args().skip(1).collect()) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            eprintln!("usage: server DIR [--plan PLAN] [--edits N] [--burst N] [--bin PLANCHECK]");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("server: {error}");
            ExitCode::FAILURE
        }
    }
}

fn options(args: Vec<String>) -> Result<Options, String> {
    let mut args = args.into_iter();
    let dir = PathBuf::from(args.next().ok_or("no project folder given")?);
    let mut options = Options {
        plan: dir.join(FIRST_PLAN),
        dir,
        edits: 200,
        burst: 10,
        // The release server beside this example: target/release/examples/server.
        bin: std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.parent()?.join("plancheck")))
            .ok_or("cannot tell where plancheck is: give --bin")?,
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} takes a value"))?;
        let count = || value.parse().map_err(|_| format!("{flag} takes a number"));
        match flag.as_str() {
            "--plan" => options.plan = options.dir.join(&value),
            "--edits" => options.edits = count()?,
            "--burst" => options.burst = count()?,
            "--bin" => options.bin = PathBuf::from(&value),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    options.dir = std::fs::canonicalize(&options.dir).map_err(|e| e.to_string())?;
    options.plan = std::fs::canonicalize(&options.plan).map_err(|e| e.to_string())?;
    Ok(options)
}

fn run(options: &Options) -> io::Result<()> {
    let text = std::fs::read_to_string(&options.plan)?;
    let edits = Edits::of(&text).ok_or_else(|| {
        io::Error::other("the plan has no Status field, task id in Related Tasks, or last line")
    })?;
    let uri = file_uri(&options.plan);
    let mut client = Client::start(options)?;

    let initialize = Instant::now();
    client.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": file_uri(&options.dir),
            "workspaceFolders": [{"uri": file_uri(&options.dir), "name": "bench"}],
            // What an editor says it can do: the server then asks it to watch files.
            "capabilities": {
                "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
                "textDocument": {"publishDiagnostics": {"versionSupport": true}},
            },
        }),
    )?;
    client.notify("initialized", json!({}))?;
    let open = Instant::now();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 0, "text": text,
        }}),
    )?;
    let (opened, base) = client.diagnostics(&uri, 0)?;
    println!(
        "{} ({} bytes), in {}",
        options.plan.display(),
        text.len(),
        options.dir.display()
    );
    println!(
        "initialize to the first diagnostics: {}; didOpen to its diagnostics (the project loaded): {}",
        ms(opened - initialize),
        ms(opened - open)
    );

    // Each edit waited for, as keystrokes slower than the server are.
    let mut version = 0;
    let mut waits = Vec::with_capacity(options.edits);
    for step in 0..options.edits {
        version += 1;
        let sent = client.change(&uri, version, &edits.text(step))?;
        let (came, found) = client.diagnostics(&uri, version)?;
        if found != base + edits.adds(step) {
            return Err(io::Error::other(format!(
                "edit {step} ({}) gave {found} findings, not {}",
                edits.what(step),
                base + edits.adds(step)
            )));
        }
        waits.push((step % Edits::CYCLE, came - sent));
    }
    let mut by_edit: Vec<String> = Vec::new();
    for kind in 0..Edits::CYCLE {
        let mut of_kind: Vec<Duration> = waits
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, wait)| *wait)
            .collect();
        of_kind.sort_unstable();
        by_edit.push(format!(
            "{} {}",
            edits.what(kind),
            ms(percentile(&of_kind, 50))
        ));
    }
    let mut waits: Vec<Duration> = waits.into_iter().map(|(_, wait)| wait).collect();
    waits.sort_unstable();
    println!(
        "{} edits, each waited for: median {}, p95 {}, max {} (min {})",
        waits.len(),
        ms(percentile(&waits, 50)),
        ms(percentile(&waits, 95)),
        ms(percentile(&waits, 100)),
        ms(percentile(&waits, 0)),
    );
    println!("  median by edit: {}", by_edit.join("; "));

    // Runs of edits sent back to back, as a fast typist sends them: the last one waits for
    // the server to check every one before it.
    let mut lasts = Vec::new();
    for run in 0..options.edits.div_ceil(options.burst.max(1)).min(20) {
        let mut sent = Instant::now();
        for step in 0..options.burst {
            version += 1;
            sent = client.change(&uri, version, &edits.text(run * options.burst + step))?;
        }
        let (came, _) = client.diagnostics(&uri, version)?;
        lasts.push(came - sent);
        // Back where the run started, so the next run types the same edits.
        version += 1;
        client.change(&uri, version, &text)?;
        client.diagnostics(&uri, version)?;
    }
    lasts.sort_unstable();
    if !lasts.is_empty() {
        println!(
            "{} runs of {} edits sent back to back, the last edit of each: median {}, max {}",
            lasts.len(),
            options.burst,
            ms(percentile(&lasts, 50)),
            ms(percentile(&lasts, 100)),
        );
    }
    client.finish()
}

/// The one-character edits typed into a plan, in turn: each pair makes a finding and takes
/// it away, or (the prose) changes nothing found.
struct Edits {
    text: String,
    /// The byte after the status word, where a letter makes it unknown.
    status_end: usize,
    /// The last character of a task id, changed to make the id unknown.
    task_id_last: usize,
    /// The end of the last line, where a letter is typed into the prose.
    prose_end: usize,
}

impl Edits {
    const CYCLE: usize = 6;

    fn of(text: &str) -> Option<Edits> {
        let status = text.find("**Status")?;
        let status_end = status + text[status..].find('\n')?;
        let tasks = text.find("**Related Tasks")?;
        let id = tasks + text[tasks..].find("TASK-")?;
        let id_end = id + text[id..].find(|c: char| !c.is_ascii_alphanumeric() && c != '-')?;
        let prose_end = text.trim_end().len();
        Some(Edits {
            text: text.to_string(),
            status_end,
            task_id_last: id_end.checked_sub(1)?,
            prose_end,
        })
    }

    /// The whole text after edit `step`.
    fn text(&self, step: usize) -> String {
        let mut text = self.text.clone();
        match step % Self::CYCLE {
            0 => text.insert(self.status_end, 'x'),
            2 => {
                let last = &text[self.task_id_last..=self.task_id_last];
                let other = if last == "7" { "8" } else { "7" };
                text.replace_range(self.task_id_last..=self.task_id_last, other);
            }
            4 => text.insert(self.prose_end, 'x'),
            _ => {}
        }
        text
    }

    /// How many findings edit `step` adds to the plan's own.
    fn adds(&self, step: usize) -> usize {
        usize::from(matches!(step % Self::CYCLE, 0 | 2))
    }

    fn what(&self, step: usize) -> &'static str {
        match step % Self::CYCLE {
            0 => "a letter after the status",
            2 => "a task id's last digit changed",
            4 => "a letter typed into the prose",
            _ => "the edit before it undone",
        }
    }
}

/// The server process, and what it says as it comes, each message with the moment it was read.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<(Instant, Value)>,
    next_id: i64,
}

impl Client {
    fn start(options: &Options) -> io::Result<Client> {
        let mut child = Command::new(&options.bin)
            .current_dir(&options.dir)
            .args(["server", "--today", "2026-01-01"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| io::Error::other(format!("{}: {e}", options.bin.display())))?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(io::Error::other("the server's streams were not piped"));
        };
        let (send, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            while let Ok(Some(message)) = read_message(&mut stdout) {
                if send.send(message).is_err() {
                    return;
                }
            }
        });
        Ok(Client {
            child,
            stdin,
            messages,
            next_id: 1,
        })
    }

    /// Sends a message; the moment it started to go.
    fn send(&mut self, message: &Value) -> io::Result<Instant> {
        let body = message.to_string();
        let sent = Instant::now();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len())?;
        self.stdin.flush()?;
        Ok(sent)
    }

    fn notify(&mut self, method: &str, params: Value) -> io::Result<Instant> {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    fn request(&mut self, method: &str, params: Value) -> io::Result<Value> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        let (_, response) = self.wait_for(|m| m["id"] == id && m.get("method").is_none())?;
        match response.get("error") {
            Some(error) => Err(io::Error::other(format!("{method}: {error}"))),
            None => Ok(response["result"].clone()),
        }
    }

    /// Sends the plan's whole new text; the moment it started to go.
    fn change(&mut self, uri: &str, version: i64, text: &str) -> io::Result<Instant> {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}],
            }),
        )
    }

    /// When the diagnostics of `version` of the plan came, and how many.
    fn diagnostics(&mut self, uri: &str, version: i64) -> io::Result<(Instant, usize)> {
        let (came, message) = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        })?;
        let found = message["params"]["diagnostics"]
            .as_array()
            .map_or(0, Vec::len);
        Ok((came, found))
    }

    /// Reads until a message `wanted` takes, answering the server's requests on the way
    /// (its file watchers' registration) as an editor would.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> io::Result<(Instant, Value)> {
        loop {
            let (came, message) = self
                .messages
                .recv_timeout(PATIENCE)
                .map_err(|_| io::Error::other("the server stopped answering"))?;
            if wanted(&message) {
                return Ok((came, message));
            }
            if let (Some(id), Some(_)) = (message.get("id"), message.get("method")) {
                let id = id.clone();
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}))?;
            }
        }
    }

    /// Shuts the server down as the protocol asks, and checks that it ended well.
    fn finish(mut self) -> io::Result<()> {
        self.request("shutdown", Value::Null)?;
        self.notify("exit", Value::Null)?;
        let status = self.child.wait()?;
        if status.success() {
            Ok(())
        } else {
            Err(io::Error::other(format!("the server ended with {status}")))
        }
    }
}

/// One message of the server, and the moment it was read; `None` at the end of its output.
fn read_message(input: &mut impl BufRead) -> io::Result<Option<(Instant, Value)>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let length = length.ok_or_else(|| io::Error::other("a message with no Content-Length"))?;
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    let came = Instant::now();
    Ok(Some((came, serde_json::from_slice(&body)?)))
}

/// A `file:` URI, its path's bytes outside the unreserved ones percent-encoded.
fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.as_os_str().as_encoded_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(byte) {
            uri.push(char::from(*byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// The `p`th percentile of sorted durations: the smallest one at least `p`% are at most.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted.get(rank - 1).copied().unwrap_or_default()
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1e3)
}
