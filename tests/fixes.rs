//! `--fix`, `--unsafe-fixes` and `--diff` through the real binary: the diff of each kind of
//! fix in `fixtures/fixes/`, the bytes a fix writes and the ones it keeps, and exit codes.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PLAN: &str = "projectManagement/Implementations/active/M01-v1-user-auth.md";

fn check(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["--today", "2025-08-01"])
        .args(args);
    cmd
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `fixtures/<name>` copied into a new temporary folder, and the copy's path.
fn copy_of(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy");
    support::copy_dir(&manifest_dir().join("fixtures").join(name), &copy);
    (dir, copy)
}

fn shown(output: &Output) -> String {
    format!(
        "exit code: {:?}\n----- stdout -----\n{}\n----- stderr -----\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Every kind of fix: what `--diff --unsafe-fixes` shows for its fixture, one snapshot each.
#[test]
fn diff_of_each_fix_kind() {
    let mut kinds: Vec<String> = std::fs::read_dir(manifest_dir().join("fixtures/fixes"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    kinds.sort();
    assert!(!kinds.is_empty());
    for kind in kinds {
        let dir = format!("fixtures/fixes/{kind}");
        let output = check(manifest_dir(), &["--diff", "--unsafe-fixes", &dir])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{kind}: {}", shown(&output));
        insta::assert_snapshot!(format!("diff_{kind}"), shown(&output));
    }
}

#[test]
fn diff_of_a_status_in_another_case() {
    let output = check(manifest_dir(), &["--diff", "fixtures/rules/PC205/fail"])
        .output()
        .unwrap();
    insta::assert_snapshot!(shown(&output));
}

#[test]
fn diff_exits_1_on_a_change_0_on_none_and_0_with_exit_zero() {
    let code = |args: &[&str]| check(manifest_dir(), args).status().unwrap().code();
    assert_eq!(code(&["--diff", "fixtures/rules/PC205/fail"]), Some(1));
    assert_eq!(
        code(&["--diff", "--exit-zero", "fixtures/rules/PC205/fail"]),
        Some(0)
    );
    // Errors with no fix are no change: 0, whatever else is found.
    assert_eq!(code(&["--diff", "fixtures/rules/PC207/fail"]), Some(0));
    assert_eq!(code(&["--diff", "fixtures/rules/PC205/pass"]), Some(0));
}

#[test]
fn diff_changes_nothing_and_prints_only_the_diff() {
    let (_dir, copy) = copy_of("rules/PC205/fail");
    let before = std::fs::read(copy.join(PLAN)).unwrap();
    for format in ["json", "concise", "sarif"] {
        let output = check(&copy, &["--diff", "--format", format, "."])
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(stdout.starts_with("--- a/"), "{format}: {stdout}");
        assert!(!stdout.contains("PC205"), "{format}: {stdout}");
    }
    assert_eq!(std::fs::read(copy.join(PLAN)).unwrap(), before);
}

#[test]
fn fix_writes_the_fixed_plan_and_reports_what_is_left() {
    let (_dir, copy) = copy_of("fixes/date");
    let path = copy.join(PLAN);
    let before = std::fs::read_to_string(&path).unwrap();
    let output = check(&copy, &["--fix", "."]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("0 errors"), "{stdout}");
    assert!(stdout.contains("fixed 2 findings"), "{stdout}");
    let expected = before
        .replace("**Created**: 2025/07/01", "**Created**: 2025-07-01")
        .replace("**Updated**: July 14, 2025", "**Updated**: 2025-07-14");
    assert_ne!(expected, before);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
    // A second run finds nothing to fix and changes nothing.
    let again = check(&copy, &["--fix", "."]).output().unwrap();
    assert!(!String::from_utf8(again.stdout).unwrap().contains("fixed"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
}

#[cfg(unix)]
#[test]
fn fix_keeps_permissions_bom_crlf_and_trailing_spaces() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, copy) = copy_of("rules/PC205/fail");
    let path = copy.join(PLAN);
    let text = std::fs::read_to_string(&path).unwrap();
    // A BOM, CRLF line endings, and a line with trailing spaces.
    let crlf = format!(
        "\u{feff}{}",
        text.replace("- **Version**: v1\n", "- **Version**: v1   \n")
            .replace('\n', "\r\n")
    );
    std::fs::write(&path, &crlf).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let output = check(&copy, &["--fix", "."]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        after,
        crlf.replace("**Status**: Active\r\n", "**Status**: active\r\n")
    );
    assert_ne!(after, crlf);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    // Nothing but the plan is left in its folder: no temporary file.
    let names = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
    assert_eq!(names, 1);
}

#[test]
fn fix_on_stdin_prints_the_fixed_plan_and_reports_on_stderr() {
    let plan = std::fs::read_to_string(manifest_dir().join("fixtures/rules/PC205/fail").join(PLAN))
        .unwrap();
    let output = support::output_with_stdin(
        &mut check(
            manifest_dir(),
            &["--fix", "--stdin-filename", "M01-v1-user-auth.md"],
        ),
        plan.as_bytes(),
    );
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        plan.replace("**Status**: Active", "**Status**: active")
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("fixed 1 finding"), "{stderr}");
}

/// What a run reports as JSON.
fn json_of(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend(args);
    let output = check(manifest_dir(), &all).output().unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A finding carries a fix only if its rule says it is fixable: `rules`, `--statistics` and
/// SARIF read that flag, so it must not lie.
#[test]
fn only_rules_marked_fixable_attach_fixes() {
    let output = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let fixable: Vec<&str> = (rules.as_array().unwrap().iter())
        .filter(|r| r["fixable"] == true)
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    let doc = json_of(&["--select", "ALL", "fixtures/rules", "fixtures/fixes"]);
    let mut with_fix = 0;
    for d in doc["diagnostics"].as_array().unwrap() {
        if d.get("fix").is_some() {
            with_fix += 1;
            let code = d["code"].as_str().unwrap();
            assert!(fixable.contains(&code), "{code} attaches a fix: {d}");
        }
    }
    assert!(with_fix > 0);
}

/// The edits JSON shows, made to the file's bytes, are what `--fix` writes.
#[test]
fn the_json_edits_are_what_fix_writes() {
    let (_dir, copy) = copy_of("fixes/date");
    let path = copy.join(PLAN);
    let mut bytes = std::fs::read(&path).unwrap();
    // A BOM in front: JSON offsets count it.
    bytes.splice(0..0, *b"\xEF\xBB\xBF");
    std::fs::write(&path, &bytes).unwrap();
    let doc = json_of(&[copy.to_str().unwrap()]);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for d in doc["diagnostics"].as_array().unwrap() {
        for e in d["fix"]["edits"].as_array().into_iter().flatten() {
            let at = |key: &str| usize::try_from(e[key].as_u64().unwrap()).unwrap();
            let replacement = e["replacement"].as_str().unwrap().to_string();
            edits.push((at("offset"), at("length"), replacement));
        }
    }
    assert_eq!(edits.len(), 2);
    let mut expected = bytes.clone();
    edits.sort();
    for (offset, length, replacement) in edits.iter().rev() {
        expected.splice(offset..&(offset + length), replacement.bytes());
    }
    let output = check(&copy, &["--fix", "."]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    assert_eq!(std::fs::read(&path).unwrap(), expected);
}

/// SARIF carries the fix as a replacement of the finding's region.
#[test]
fn sarif_carries_fixes() {
    let output = check(
        manifest_dir(),
        &["--format", "sarif", "fixtures/rules/PC205/fail"],
    )
    .output()
    .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let fix = &sarif["runs"][0]["results"][0]["fixes"][0];
    assert_eq!(fix["description"]["text"], "change the status to `active`");
    let change = &fix["artifactChanges"][0];
    assert!(change["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("M01-v1-user-auth.md"));
    assert_eq!(
        change["replacements"][0],
        serde_json::json!({
            "deletedRegion": { "startLine": 5, "startColumn": 15, "endLine": 5, "endColumn": 21 },
            "insertedContent": { "text": "active" },
        })
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let pc205 = rules.iter().find(|r| r["id"] == "PC205").unwrap();
    assert_eq!(pc205["properties"]["fixable"], true);
}
