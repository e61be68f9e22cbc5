//! Helpers shared by the integration tests (and the benchmark).

#![allow(dead_code, reason = "each test file takes what it needs")]

pub mod corpus;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver};

/// The plancheck under test, run in `dir`, without the caller's `NO_COLOR`: what it prints
/// does not depend on who runs the tests.
pub fn plancheck_in(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

/// Copies a folder (a fixture project) into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a target folder");
    for entry in std::fs::read_dir(from).expect("a readable fixture") {
        let entry = entry.expect("a readable entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copied file");
        }
    }
}

/// Runs `cmd` with `input` on its standard input, and gathers what it printed.
pub fn output_with_stdin(cmd: &mut Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("a started plancheck");
    child
        .stdin
        .take()
        .expect("a piped stdin")
        .write_all(input)
        .expect("input written");
    child.wait_with_output().expect("plancheck's output")
}

/// The lines a long-running plancheck prints, read on a thread of their own, so that a test
/// waits for one with a timeout instead of hanging when none comes.
pub fn lines_of(output: impl Read + Send + 'static) -> Receiver<String> {
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(output).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

/// The tools `plancheck mcp` offers (cli.md), sorted by name.
pub const MCP_TOOLS: [&str; 6] = [
    "check_plan",
    "check_project",
    "draft_plan",
    "explain_rule",
    "list_rules",
    "project_graph",
];
