//! Bad input never panics: each case gets its diagnostic and the run goes on.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const PLAN: &str =
    "fixtures/example/projectManagement/Implementations/active/M02-v1-user-authentication.md";

fn valid_plan() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(PLAN)).unwrap()
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .current_dir(dir)
        .args(["--today", "2025-08-01", "--format", "concise"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A project folder with one good plan beside the bad file, to show the run goes on.
fn project_with(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let active = dir.path().join("projectManagement/Implementations/active");
    fs::create_dir_all(&active).unwrap();
    fs::write(active.join("M02-v1-user-authentication.md"), valid_plan()).unwrap();
    fs::write(active.join(name), bytes).unwrap();
    dir
}

#[test]
fn bad_files_get_their_diagnostic_and_the_run_goes_on() {
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "M01-v1-latin1.md",
            b"# Implementation Plan: M01 - Caf\xe9\n",
            "[PC002]",
        ),
        (
            "M01-v1-binary.md",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            "[PC002]",
        ),
        ("M01-v1-empty.md", b"", "[PC003]"),
        ("M01-v1-blank.md", b"  \n\t\n", "[PC003]"),
    ];
    for (name, bytes, code) in cases {
        let dir = project_with(name, bytes);
        let output = run(dir.path(), &[]);
        let out = stdout(&output);
        assert_eq!(output.status.code(), Some(1), "{name}: {out}");
        assert!(out.contains(code) && out.contains(name), "{name}: {out}");
        assert!(out.contains("2 files checked"), "{name}: {out}");
    }
}

#[test]
fn a_ten_megabyte_plan() {
    let mut plan = valid_plan();
    let filler = "- a line of notes that goes on for a while, with `code` and **bold**\n";
    plan.push_str(&filler.repeat(10 * 1024 * 1024 / filler.len()));
    let dir = project_with("M03-v1-huge.md", plan.as_bytes());
    let output = run(dir.path(), &[]);
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        stdout(&output)
    );
}

#[test]
fn five_thousand_phases() {
    let plan = valid_plan();
    let (head, tail) = plan.split_once("## Success Criteria").unwrap();
    let mut phases = String::new();
    for n in 3..5003 {
        phases.push_str(&format!(
            "### Phase {n}: Step {n}\n- **Objectives**: o\n- **Deliverables**: d\n- **Tasks**: t\n- **Dependencies**: none\n- **Success Criteria**: s\n- **Estimated Duration**: 1 day\n- **Risk Factors**: r\n\n"
        ));
    }
    let plan = format!("{head}{phases}## Success Criteria{tail}");
    let dir = project_with("M02-v1-user-authentication.md", plan.as_bytes());
    let output = run(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn deep_nesting() {
    let mut plan = valid_plan();
    for depth in 0..2000 {
        plan.push_str(&"  ".repeat(depth));
        plan.push_str("- nested\n");
    }
    plan.push_str(&">".repeat(2000));
    plan.push_str(" quoted\n");
    plan.push_str(&"[".repeat(5000));
    let dir = project_with("M03-v1-deep.md", plan.as_bytes());
    let output = run(dir.path(), &[]);
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_readme_in_a_walked_folder_is_skipped_but_named_files_are_checked() {
    let dir = project_with("README.md", b"# Notes\n\nNot a plan.\n");
    let out = stdout(&run(dir.path(), &[]));
    assert!(out.contains("1 files checked"), "{out}");
    let named = "projectManagement/Implementations/active/README.md";
    let out = stdout(&run(dir.path(), &[named]));
    assert!(out.contains("[PC101]"), "{out}");
}

#[test]
fn hidden_and_ignored_folders_are_not_walked() {
    let dir = project_with("M02-v1-user-authentication.md", valid_plan().as_bytes());
    let hidden = dir.path().join("projectManagement/.drafts");
    fs::create_dir_all(&hidden).unwrap();
    fs::write(hidden.join("M09-v1-draft.md"), b"").unwrap();
    let ignored = dir.path().join("projectManagement/scratch");
    fs::create_dir_all(&ignored).unwrap();
    fs::write(ignored.join("M09-v1-scratch.md"), b"").unwrap();
    fs::write(dir.path().join(".gitignore"), "scratch/\n").unwrap();
    let output = run(dir.path(), &["."]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}
