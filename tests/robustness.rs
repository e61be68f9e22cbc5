//! Bad input never panics: each case gets its diagnostic and the run goes on.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

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

/// A README is skipped where it belongs, and is one PC101 where a plan should be, or when
/// named.
#[test]
fn a_readme_in_a_walked_folder_is_skipped_unless_misfiled_or_named() {
    let dir = project_with("M01-v1-auth.md", valid_plan().as_bytes());
    let readme = b"# Notes\n\nNot a plan.\n";
    fs::write(dir.path().join("projectManagement/README.md"), readme).unwrap();
    let out = stdout(&run(dir.path(), &[]));
    assert!(out.contains("2 files checked"), "{out}");
    assert!(!out.contains("README"), "{out}");
    let misfiled = "projectManagement/Implementations/active/README.md";
    fs::write(dir.path().join(misfiled), readme).unwrap();
    let out = stdout(&run(dir.path(), &[]));
    assert!(out.contains("3 files checked"), "{out}");
    let about_readme: Vec<&str> = out.lines().filter(|l| l.contains("README")).collect();
    assert_eq!(about_readme.len(), 1, "{out}");
    assert!(
        about_readme[0].starts_with(&format!("{misfiled}:1:1: error[PC101]")),
        "{out}"
    );
    let out = stdout(&run(dir.path(), &["projectManagement/README.md"]));
    assert!(
        out.starts_with("projectManagement/README.md:1:1: error[PC101]"),
        "{out}"
    );
    assert!(out.contains("1 file checked: 1 error, 0 warnings"), "{out}");
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

#[test]
fn a_fifty_megabyte_plan() {
    let mut plan = valid_plan();
    let filler =
        "- a long line of notes with `code`, **bold** text and a [link](https://example.com)\n";
    plan.push_str(&filler.repeat(50 * 1024 * 1024 / filler.len()));
    let dir = project_with("M02-v1-user-authentication.md", plan.as_bytes());
    let output = run(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn a_hundred_thousand_headings() {
    let mut plan = valid_plan();
    for n in 0..100_000 {
        plan.push_str(&format!("#### Note {n}\ntext\n"));
    }
    let dir = project_with("M02-v1-user-authentication.md", plan.as_bytes());
    let output = run(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn lists_nested_ten_thousand_deep() {
    let mut plan = valid_plan();
    for depth in 0..10_000 {
        plan.push_str(&"  ".repeat(depth));
        plan.push_str("- deeper\n");
    }
    let dir = project_with("M02-v1-user-authentication.md", plan.as_bytes());
    let output = run(dir.path(), &[]);
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        stdout(&output)
    );
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_are_not_followed_forever() {
    let dir = project_with("M02-v1-user-authentication.md", valid_plan().as_bytes());
    let active = dir.path().join("projectManagement/Implementations/active");
    std::os::unix::fs::symlink("..", active.join("loop")).unwrap();
    std::os::unix::fs::symlink("M03-v1-b.md", active.join("M03-v1-a.md")).unwrap();
    std::os::unix::fs::symlink("M03-v1-a.md", active.join("M03-v1-b.md")).unwrap();
    let output = run(dir.path(), &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "the walk skips links: {}",
        stdout(&output)
    );
    let named = run(
        dir.path(),
        &["projectManagement/Implementations/active/M03-v1-a.md"],
    );
    let out = stdout(&named);
    assert!(out.contains("[PC001]"), "{out}");
}

/// Permissions mean nothing to root, so the run drops to `nobody` for this one.
#[cfg(unix)]
#[test]
fn a_folder_without_read_permission() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project_with("M02-v1-user-authentication.md", valid_plan().as_bytes());
    let locked = dir.path().join("projectManagement/Implementations/locked");
    fs::create_dir_all(&locked).unwrap();
    fs::write(locked.join("M03-v1-secret.md"), valid_plan()).unwrap();
    for entry in walk_all(dir.path()) {
        let mode = if entry.is_dir() { 0o755 } else { 0o644 };
        fs::set_permissions(&entry, fs::Permissions::from_mode(mode)).unwrap();
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    let mut cmd = if is_root {
        // `nobody` may not reach the build folder: run a copy from the open temporary one.
        let binary = dir.path().join("plancheck-bin");
        fs::copy(env!("CARGO_BIN_EXE_plancheck"), &binary).unwrap();
        fs::set_permissions(&binary, fs::Permissions::from_mode(0o755)).unwrap();
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&binary);
        cmd
    } else {
        Command::new(env!("CARGO_BIN_EXE_plancheck"))
    };
    let output = cmd
        .current_dir(dir.path())
        .args(["--today", "2025-08-01", "--format", "concise"])
        .output()
        .unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    let out = stdout(&output);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    assert!(
        out.contains("locked") && out.contains("[PC001]") && out.contains("permission denied"),
        "{out}"
    );
    assert!(
        out.contains("2 files checked"),
        "the rest of the run goes on: {out}"
    );
}

fn walk_all(root: &Path) -> Vec<std::path::PathBuf> {
    let mut all = vec![root.to_path_buf()];
    let mut at = 0;
    while at < all.len() {
        if all[at].is_dir() {
            for entry in fs::read_dir(&all[at]).unwrap() {
                all.push(entry.unwrap().path());
            }
        }
        at += 1;
    }
    all
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    // Far more output than a pipe holds, so plancheck is still writing when `head` leaves.
    let plan = valid_plan() + &"- {placeholder}\n".repeat(5_000);
    let dir = project_with("M02-v1-user-authentication.md", plan.as_bytes());
    let output = Command::new("bash")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' --today 2025-08-01 | head -1 >/dev/null",
            env!("CARGO_BIN_EXE_plancheck")
        ))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(output.status.code(), Some(0));
}
