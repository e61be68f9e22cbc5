//! The real binary, as a user runs it: every format, the exit codes, the commands.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]

use std::process::Command;

use insta_cmd::assert_cmd_snapshot;

fn plancheck() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    cmd
}

fn check(args: &[&str]) -> Command {
    let mut cmd = plancheck();
    cmd.args(["--today", "2025-08-01"]).args(args);
    cmd
}

const INVALID_STATUS: &str = "fixtures/rules/PC205/fail";

#[test]
fn human_on_the_example_is_clean() {
    assert_cmd_snapshot!(check(&["fixtures/example"]));
}

#[test]
fn human_report() {
    assert_cmd_snapshot!(check(&[INVALID_STATUS]));
}

#[test]
fn concise_report() {
    assert_cmd_snapshot!(check(&["--format", "concise", INVALID_STATUS]));
}

#[test]
fn json_report() {
    assert_cmd_snapshot!(check(&["--format", "json", INVALID_STATUS]));
}

#[test]
fn json_report_is_the_documented_shape() {
    let output = check(&["--format", "json", INVALID_STATUS])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["files"], 1);
    let d = &doc["diagnostics"][0];
    for key in [
        "path", "code", "name", "severity", "message", "help", "span",
    ] {
        assert!(d.get(key).is_some(), "missing `{key}`");
    }
    assert_eq!(d["code"], "PC205");
    assert_eq!(d["name"], "invalid-status");
    for key in ["offset", "length", "start", "end"] {
        assert!(d["span"].get(key).is_some(), "span lacks `{key}`");
    }
    assert!(d["span"]["start"]["line"].as_u64().unwrap() >= 1);
}

#[test]
fn warnings_alone_exit_zero_unless_denied() {
    let dir = "fixtures/rules/PC106/fail";
    let status = check(&["-q", dir]).status().unwrap();
    assert_eq!(status.code(), Some(0));
    let status = check(&["-q", "--deny-warnings", dir]).status().unwrap();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn statistics() {
    assert_cmd_snapshot!(check(&[
        "--statistics",
        "--select",
        "ALL",
        "fixtures/rules"
    ]));
}

#[test]
fn quiet_drops_the_summary() {
    assert_cmd_snapshot!(check(&["--quiet", "--format", "concise", INVALID_STATUS]));
}

#[test]
fn select_and_ignore() {
    assert_cmd_snapshot!(check(&[
        "--format",
        "concise",
        "--select",
        "PC2",
        "--ignore",
        "invalid-status",
        "fixtures/rules"
    ]));
}

#[test]
fn a_path_that_does_not_exist_exits_2() {
    assert_cmd_snapshot!(check(&["no/such/plans"]));
}

#[test]
fn an_unknown_selector_exits_2() {
    assert_cmd_snapshot!(check(&["--select", "invalid-stauts", "fixtures/example"]));
}

#[test]
fn a_bad_today_exits_2() {
    assert_cmd_snapshot!(check(&["--today", "2025-02-30", "fixtures/example"]));
}

#[test]
fn explain_by_code_and_name() {
    assert_cmd_snapshot!(plancheck().args(["explain", "PC205"]));
    let by_name = plancheck()
        .args(["explain", "invalid-status"])
        .output()
        .unwrap();
    let by_code = plancheck().args(["explain", "pc205"]).output().unwrap();
    assert_eq!(by_name.stdout, by_code.stdout);
}

#[test]
fn explain_an_unknown_rule_exits_2() {
    assert_cmd_snapshot!(plancheck().args(["explain", "invalid-stat"]));
}

#[test]
fn rules_list() {
    assert_cmd_snapshot!(plancheck().arg("rules"));
}

#[test]
fn rules_json() {
    assert_cmd_snapshot!(plancheck().args(["rules", "--format", "json"]));
}

#[test]
fn stdin_with_a_filename() {
    let plan = std::fs::read(format!(
        "{}/{INVALID_STATUS}/projectManagement/Implementations/active/M01-v1-user-auth.md",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let mut cmd = check(&[
        "--format",
        "concise",
        "--stdin-filename",
        "projectManagement/Implementations/active/M01-v1-user-auth.md",
        "-",
    ]);
    assert_cmd_snapshot!(cmd.pass_stdin(plan));
}

#[test]
fn stdin_without_a_filename_skips_the_name_rules() {
    let mut cmd = check(&["--format", "concise", "-"]);
    assert_cmd_snapshot!(cmd.pass_stdin("# Implementation Plan: M01 - X\n"));
}

#[test]
fn no_path_checks_project_management_below_the_current_folder() {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    cmd.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/example"))
        .args(["--today", "2025-08-01", "--format", "concise"]);
    assert_cmd_snapshot!(cmd);
}

#[test]
fn output_is_the_same_for_every_thread_count() {
    let run = |threads: &str| {
        check(&[
            "--format", "json", "--select", "ALL", "-j", threads, "fixtures",
        ])
        .output()
        .unwrap()
        .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
    assert_eq!(one, run("4"));
    assert_eq!(one, run("1"), "a second run prints the same bytes");
}
