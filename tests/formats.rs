//! The CI formats, each accepted by its consumer: SARIF by the official 2.1.0 schema, JUnit
//! by a real XML parser, GitHub lines by the workflow-command grammar. And the baseline.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

mod support;

use std::path::Path;
use std::process::{Command, Output};

use insta_cmd::assert_cmd_snapshot;

fn plancheck(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["--today", "2025-08-01", "--select", "ALL"])
        .args(args)
        .output()
        .unwrap()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let output = plancheck(repo(), &["--format", "sarif", "fixtures"]);
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator is not vacuous: a wrong version or level is caught.
    let mut wrong = sarif.clone();
    wrong["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&wrong));
    let run = &sarif["runs"][0];
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        plancheck::rules::registry::ALL.len()
    );
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > 50);
    for result in results {
        assert!(result["partialFingerprints"]["plancheckFinding/v1"].is_string());
        assert!(
            result["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
    }
}

#[test]
fn sarif_snapshot() {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    cmd.current_dir(repo()).args([
        "--today",
        "2025-08-01",
        "--format",
        "sarif",
        "--select",
        "PC509",
        "fixtures/rules/PC509/fail",
    ]);
    let output = cmd.output().unwrap();
    let mut sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // The rule list (every page in full) is checked above; the snapshot keeps the results.
    sarif["runs"][0]["tool"]["driver"]["rules"] = serde_json::json!("…");
    insta::assert_json_snapshot!(sarif);
}

#[test]
fn fingerprints_do_not_move_with_lines() {
    let dir = tempfile::tempdir().unwrap();
    let plan = "projectManagement/Implementations/active/M01-v1-user-auth.md";
    let fixture = repo().join("fixtures/rules/PC205/fail");
    support::copy_dir(&fixture, dir.path());
    let fingerprints = |dir: &Path| {
        let output = plancheck(dir, &["--format", "sarif", "."]);
        let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"].clone(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let before = fingerprints(dir.path());
    let path = dir.path().join(plan);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("## Metadata", "<!-- moved down -->\n\n## Metadata", 1),
    )
    .unwrap();
    let after = fingerprints(dir.path());
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].0, after[0].0, "the fingerprint stays");
    assert_ne!(before[0].1, after[0].1, "the line moved");
}

#[test]
fn junit_parses_and_counts_every_finding() {
    let output = plancheck(repo(), &["--format", "junit", "fixtures/rules"]);
    let text = String::from_utf8(output.stdout).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    let json = plancheck(repo(), &["--format", "json", "fixtures/rules"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(failures, json["diagnostics"].as_array().unwrap().len());
    assert_eq!(
        root.attribute("failures")
            .unwrap()
            .parse::<usize>()
            .unwrap(),
        failures
    );
    let cases = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    assert_eq!(
        root.attribute("tests").unwrap().parse::<usize>().unwrap(),
        cases
    );
    for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
        let tests: usize = suite.attribute("tests").unwrap().parse().unwrap();
        assert_eq!(
            tests,
            suite
                .children()
                .filter(|n| n.has_tag_name("testcase"))
                .count()
        );
    }
}

#[test]
fn junit_snapshot() {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    cmd.current_dir(repo()).args([
        "--today",
        "2025-08-01",
        "--format",
        "junit",
        "--select",
        "PC2",
        "fixtures/rules/PC205/fail",
    ]);
    assert_cmd_snapshot!(cmd);
}

#[test]
fn github_lines_follow_the_workflow_command_grammar() {
    let output = plancheck(repo(), &["--format", "github", "fixtures"]);
    let text = String::from_utf8(output.stdout).unwrap();
    let grammar = regex::Regex::new(
        r"^::(error|warning|notice) file=[^,:\r\n]+,line=[1-9]\d*,col=[1-9]\d*,endLine=[1-9]\d*,endColumn=[1-9]\d*,title=[^,:\r\n]+::[^\r\n]*$",
    )
    .unwrap();
    assert!(text.lines().count() > 50);
    for line in text.lines() {
        assert!(grammar.is_match(line), "{line}");
    }
}

#[test]
fn github_also_writes_every_finding_to_the_step_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier steps\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .current_dir(repo())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args([
            "--today",
            "2025-08-01",
            "--format",
            "github",
            "fixtures/rules",
        ])
        .output()
        .unwrap();
    let annotations = String::from_utf8(output.stdout).unwrap().lines().count();
    let table = std::fs::read_to_string(&summary).unwrap();
    assert!(
        table.starts_with("earlier steps\n"),
        "appended, not overwritten"
    );
    let rows = table
        .lines()
        .filter(|l| {
            l.starts_with("| error") || l.starts_with("| warning") || l.starts_with("| info")
        })
        .count();
    assert_eq!(rows, annotations);
    assert!(
        annotations > 10,
        "more than GitHub would show as annotations"
    );
}

#[test]
fn a_baseline_hides_old_findings_and_shows_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    support::copy_dir(&repo().join("fixtures/rules/PC205/fail"), dir.path());
    let written = plancheck(dir.path(), &["--write-baseline", "baseline.json", "."]);
    assert_eq!(written.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(written.stdout).unwrap(),
        "wrote 1 finding to baseline.json\n"
    );
    let clean = plancheck(
        dir.path(),
        &["--baseline", "baseline.json", "--format", "concise", "."],
    );
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    // Move the old finding down and add a new one: only the new one is reported.
    let path = dir
        .path()
        .join("projectManagement/Implementations/active/M01-v1-user-auth.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen("## Metadata", "\n\n## Metadata", 1).replacen(
        "- **Version**: v1",
        "- **Version**: V1",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let new = plancheck(
        dir.path(),
        &[
            "--baseline",
            "baseline.json",
            "--format",
            "concise",
            "-q",
            ".",
        ],
    );
    let out = String::from_utf8(new.stdout).unwrap();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("[PC207]"), "{out}");
    let broken = plancheck(dir.path(), &["--baseline", "no-such.json", "."]);
    assert_eq!(broken.status.code(), Some(2));
}

#[test]
fn a_baseline_names_paths_from_its_folder_and_the_summary_counts_what_it_hid() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("repo");
    support::copy_dir(&repo().join("fixtures/rules/PC205/fail"), &project);
    let written = plancheck(&project, &["--write-baseline", "baseline.json", "."]);
    assert_eq!(written.status.code(), Some(0));
    let baseline = std::fs::read_to_string(project.join("baseline.json")).unwrap();
    assert!(
        baseline
            .contains("\"path\": \"projectManagement/Implementations/active/M01-v1-user-auth.md\""),
        "{baseline}"
    );
    // From the folder above, naming the baseline and the project by other paths.
    let hidden = plancheck(
        dir.path(),
        &[
            "--baseline",
            "repo/baseline.json",
            "--format",
            "concise",
            "repo",
        ],
    );
    let out = String::from_utf8(hidden.stdout).unwrap();
    assert_eq!(hidden.status.code(), Some(0), "{out}");
    assert_eq!(
        out,
        "1 file checked: 0 errors, 0 warnings (1 finding hidden by the baseline)\n"
    );
    let json = plancheck(
        dir.path(),
        &[
            "--baseline",
            "repo/baseline.json",
            "--format",
            "json",
            "repo",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["summary"]["baselined"], 1);
}

/// JSON offsets count bytes from the file's first byte, a BOM included, whether the plan's
/// text was kept, let go and read again, or came on stdin.
#[test]
fn json_offsets_count_from_the_first_byte_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = repo().join("fixtures/rules/PC205/fail");
    support::copy_dir(&fixture, dir.path());
    let plan = dir
        .path()
        .join("projectManagement/Implementations/active/M01-v1-user-auth.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    let with_bom = format!("\u{FEFF}{text}");
    std::fs::write(&plan, &with_bom).unwrap();
    let value = with_bom.find("Active").unwrap();
    let offsets = |output: Output| -> Vec<(u64, u64, u64)> {
        let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let span = &d["span"];
                let line = span["start"]["line"].as_u64().unwrap();
                (
                    span["offset"].as_u64().unwrap(),
                    span["length"].as_u64().unwrap(),
                    line,
                )
            })
            .collect()
    };
    let expected = vec![(value as u64, 6, 5)];
    let on_disk = plancheck(dir.path(), &["--format", "json", "."]);
    assert_eq!(offsets(on_disk), expected);
    let mut stdin = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .current_dir(dir.path())
        .args([
            "--today",
            "2025-08-01",
            "--format",
            "json",
            "--stdin-filename",
        ])
        .arg("projectManagement/Implementations/active/M01-v1-user-auth.md")
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    stdin
        .stdin
        .take()
        .unwrap()
        .write_all(with_bom.as_bytes())
        .unwrap();
    assert_eq!(offsets(stdin.wait_with_output().unwrap()), expected);
}
