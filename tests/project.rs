//! The project graph end to end: a realistic generated project checks clean, breaking one
//! reference yields one finding at the id, and broken project files are one PC601 each.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn check_json(dir: &Path, args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .current_dir(dir)
        .args([
            "--today",
            "2026-01-01",
            "--select",
            "ALL",
            "--format",
            "json",
        ])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn diagnostics(doc: &Value) -> Vec<&Value> {
    doc["diagnostics"].as_array().unwrap().iter().collect()
}

#[test]
fn a_generated_project_checks_clean_and_each_broken_reference_is_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = support::corpus::generate(dir.path(), 60, 7).unwrap();
    let doc = check_json(dir.path(), &[]);
    assert_eq!(doc["summary"]["files"], 60);
    assert_eq!(
        diagnostics(&doc),
        Vec::<&Value>::new(),
        "the generated project is clean"
    );

    let plan_path = dir.path().join("projectManagement").join(&corpus.plans[9]);
    let original = fs::read_to_string(&plan_path).unwrap();
    let related = original
        .lines()
        .find_map(|l| l.strip_prefix("- **Related Tasks**: ["))
        .unwrap();
    let first_task = related.split(',').next().unwrap().to_string();
    let flow_file = original
        .lines()
        .find(|l| l.contains("-flow.json"))
        .and_then(|l| l.split(['(', ')']).nth(1))
        .unwrap()
        .to_string();
    let theme = original
        .lines()
        .find_map(|l| l.strip_prefix("- `"))
        .and_then(|l| l.strip_suffix('`'))
        .unwrap()
        .to_string();
    let flow = original
        .lines()
        .find_map(|l| l.strip_prefix("- **Milestone**: M"))
        .map(|m| format!("m{}-journey-flow", m.trim_start_matches('0')))
        .unwrap();
    // Still a well-formed id, one digit off: a typo, not a malformed id.
    let broken_task = format!("{}9", &first_task[..first_task.len() - 1]);
    let cases = [
        (
            "PC501",
            format!("[{first_task},"),
            format!("[{broken_task},"),
            broken_task.clone(),
        ),
        (
            "PC501",
            format!("**Tasks**: {first_task}"),
            format!("**Tasks**: {broken_task}"),
            broken_task.clone(),
        ),
        (
            "PC502",
            format!("**Tasks**: {first_task}"),
            format!("**Tasks**: {first_task}9"),
            format!("{first_task}9"),
        ),
        (
            "PC503",
            flow.clone(),
            flow.replace("journey", "jorney"),
            flow.replace("journey", "jorney"),
        ),
        (
            "PC504",
            flow_file.clone(),
            format!("x{flow_file}"),
            format!("x{flow_file}"),
        ),
        (
            "PC505",
            format!("`{theme}`"),
            format!("`{theme}s`"),
            format!("{theme}s"),
        ),
    ];
    for (code, from, to, id) in cases {
        assert!(original.contains(&from), "{from}");
        fs::write(&plan_path, original.replacen(&from, &to, 1)).unwrap();
        let doc = check_json(dir.path(), &[]);
        let found = diagnostics(&doc);
        assert_eq!(found.len(), 1, "breaking `{from}` → `{to}`: {found:#?}");
        assert_eq!(found[0]["code"], code, "{found:#?}");
        let broken = fs::read_to_string(&plan_path).unwrap();
        let offset = found[0]["span"]["offset"].as_u64().unwrap() as usize;
        let length = found[0]["span"]["length"].as_u64().unwrap() as usize;
        assert_eq!(
            &broken[offset..offset + length],
            id,
            "{code} points at the id"
        );
    }
    fs::write(&plan_path, original).unwrap();
}

#[test]
fn one_plan_is_checked_against_the_whole_project() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = support::corpus::generate(dir.path(), 12, 3).unwrap();
    let one = format!("projectManagement/{}", corpus.plans[4]);
    let doc = check_json(dir.path(), &[&one]);
    assert_eq!(doc["summary"]["files"], 1);
    assert_eq!(diagnostics(&doc), Vec::<&Value>::new());
}

/// Two plans named by different routes into one folder are checked against one project.
#[test]
fn plans_named_through_parent_folders_share_their_project() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = support::corpus::generate(dir.path(), 12, 3).unwrap();
    let (a, b) = (&corpus.plans[4], &corpus.plans[5]);
    let (folder, a) = a.rsplit_once('/').unwrap();
    let b = format!("../../../projectManagement/{b}");
    let doc = check_json(&dir.path().join("projectManagement").join(folder), &[a, &b]);
    assert_eq!(doc["summary"]["files"], 2);
    assert_eq!(diagnostics(&doc), Vec::<&Value>::new());
}

/// In a project of many milestones, an unknown one's help names its neighbours, not all.
#[test]
fn an_unknown_milestone_among_many_is_told_its_nearest() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = support::corpus::generate(dir.path(), 60, 7).unwrap();
    let path_file = dir
        .path()
        .join("projectManagement/Tasks/completion-path.json");
    let listed: Value = serde_json::from_str(&fs::read_to_string(path_file).unwrap()).unwrap();
    let count = listed["milestones"].as_array().unwrap().len();
    assert!(count > 12, "{count} milestones");
    let plan_path = dir.path().join("projectManagement").join(&corpus.plans[0]);
    let original = fs::read_to_string(&plan_path).unwrap();
    let milestone = original
        .lines()
        .find_map(|l| l.strip_prefix("- **Milestone**: "))
        .unwrap()
        .to_string();
    // Title and field agree (a Milestone that differs from the title is PC206's alone).
    let title = format!("Implementation Plan: {milestone} - ");
    assert!(original.contains(&title), "{original}");
    let renamed = original
        .replacen(&title, "Implementation Plan: M9999 - ", 1)
        .replacen(
            &format!("- **Milestone**: {milestone}"),
            "- **Milestone**: M9999",
            1,
        );
    fs::write(&plan_path, renamed).unwrap();
    let doc = check_json(dir.path(), &[]);
    let found: Vec<&Value> = diagnostics(&doc)
        .into_iter()
        .filter(|d| d["code"] == "PC506")
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    let last = listed["milestones"][count - 1]["id"].as_str().unwrap();
    assert_eq!(
        found[0]["help"].as_str().unwrap(),
        format!("completion-path.json lists {count} milestones; the nearest is `{last}`")
    );
}

/// Each broken or oddly shaped project file: one PC601 at the error, and nothing guessed.
#[test]
fn broken_project_files_are_one_finding_each() {
    let cases: [(&str, &str, (u64, u64)); 10] = [
        (
            "Themes/themes.json",
            "{\"themes\": {\"api\": {},}}",
            (1, 23),
        ),
        // A wrong shape is told at the value that has it.
        ("ProjectFlow/flow-index.json", "{\"flowFiles\": 3}", (1, 15)),
        (
            "Tasks/completion-path.json",
            "{\"milestones\": {\"M-01\": {}}}",
            (1, 16),
        ),
        ("Tasks/completion-path.json", "{\"milestones\": [", (1, 16)),
        ("Tasks/completion-path.json", "[{\"id\": \"M-01\"}]", (1, 1)),
        (
            "Tasks/completion-path.json",
            "{\"milestones\": [{\"id\": \"M-01\"}, {\"title\": \"x\"}]}",
            (1, 33),
        ),
        ("ProjectFlow/domain2-flow.json", "", (1, 1)),
        ("Themes/themes.json", "\u{FEFF}[1, 2", (1, 6)),
        ("Themes/themes.json", "{\"themes\":\n  7}", (2, 3)),
        ("Themes/themes.json", "\u{FEFF}{\"themes\": 7}", (1, 13)),
    ];
    for (file, text, (line, column)) in cases {
        let dir = tempfile::tempdir().unwrap();
        support::corpus::generate(dir.path(), 8, 5).unwrap();
        fs::write(dir.path().join("projectManagement").join(file), text).unwrap();
        let doc = check_json(dir.path(), &[]);
        let found = diagnostics(&doc);
        assert_eq!(found.len(), 1, "{file} = {text:?}: {found:#?}");
        assert_eq!(found[0]["code"], "PC601");
        assert!(found[0]["path"].as_str().unwrap().ends_with(file));
        let start = &found[0]["span"]["start"];
        assert_eq!(
            (start["line"].as_u64(), start["column"].as_u64()),
            (Some(line), Some(column)),
            "{file} = {text:?}: {found:#?}"
        );
    }
}

#[test]
fn a_broken_task_file_still_counts_as_a_task() {
    let dir = tempfile::tempdir().unwrap();
    support::corpus::generate(dir.path(), 4, 1).unwrap();
    let tasks = dir.path().join("projectManagement/Tasks/sidequests");
    let first = fs::read_dir(&tasks)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    fs::write(&first, "{ not json").unwrap();
    let doc = check_json(dir.path(), &[]);
    let codes: Vec<&str> = diagnostics(&doc)
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["PC601"]);
}

#[test]
fn upstream_and_fresh_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["upstream", "fresh"] {
        let output = Command::new(env!("CARGO_BIN_EXE_plancheck"))
            .current_dir(root)
            .args([
                "--today",
                "2025-08-01",
                "--select",
                "ALL",
                "--format",
                "concise",
            ])
            .arg(format!("fixtures/{name}"))
            .output()
            .unwrap();
        insta::assert_snapshot!(name, String::from_utf8(output.stdout).unwrap());
    }
}

#[test]
fn a_plan_without_a_project_says_so_once() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "fixtures/example/projectManagement/Implementations/active/M02-v1-user-authentication.md",
    );
    for name in ["M02-v1-a.md", "M03-v1-b.md"] {
        fs::copy(&example, dir.path().join(name)).unwrap();
    }
    let doc = check_json(dir.path(), &["."]);
    let not_found: Vec<_> = diagnostics(&doc)
        .into_iter()
        .filter(|d| d["code"] == "PC602")
        .collect();
    assert_eq!(not_found.len(), 1, "{not_found:#?}");
    assert!(not_found[0]["span"].is_null());
}

/// A management folder without the files its plans need: one PC602 for each kind, at the
/// folder, however many plans name it.
#[test]
fn a_project_without_its_indexes_says_so_once_per_kind_at_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/PC602/fail");
    support::copy_dir(&fixture, dir.path());
    let root = dir.path().join("projectManagement");
    fs::remove_dir_all(root.join("Tasks")).unwrap();
    fs::remove_dir_all(root.join("ProjectFlow")).unwrap();
    let active = root.join("Implementations/active");
    fs::copy(
        active.join("M01-v1-user-auth.md"),
        active.join("M01-v2-user-auth.md"),
    )
    .unwrap();
    let doc = check_json(dir.path(), &[]);
    let mut not_found: Vec<_> = diagnostics(&doc)
        .into_iter()
        .filter(|d| d["code"] == "PC602")
        .collect();
    not_found.sort_by_key(|d| d["message"].as_str());
    assert_eq!(not_found.len(), 3, "{not_found:#?}");
    for (finding, kind) in not_found.iter().zip(["flows", "tasks", "themes"]) {
        assert_eq!(finding["path"], "projectManagement", "{finding:#?}");
        assert!(finding["span"].is_null());
        let message = finding["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("plans name {kind},")),
            "{message}"
        );
    }
}

/// The checks among the plans of a folder run after every plan is read; a suppression
/// comment still covers them, and checking one plan alone finds the same.
#[test]
fn checks_among_plans_honour_suppressions_and_do_not_need_the_other_plan_in_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/PC405/fail");
    support::copy_dir(&fixture, dir.path());
    let codes = |doc: &Value| -> Vec<String> {
        diagnostics(doc)
            .iter()
            .filter(|d| d["code"].as_str().unwrap().starts_with("PC40"))
            .map(|d| {
                format!(
                    "{} {}",
                    d["code"].as_str().unwrap(),
                    d["path"].as_str().unwrap()
                )
            })
            .collect()
    };
    let v2 = "projectManagement/Implementations/active/M01-v2-user-auth.md";
    let v2_alone = codes(&check_json(dir.path(), &[v2]));
    assert_eq!(v2_alone, [format!("PC405 {v2}")]);

    let path = dir.path().join(v2);
    let text = fs::read_to_string(&path).unwrap();
    let suppressed = text.replacen(
        "- **Status**: active",
        "<!-- plancheck-disable-next-line PC405 -->\n- **Status**: active",
        1,
    );
    fs::write(&path, suppressed).unwrap();
    let all = codes(&check_json(dir.path(), &["."]));
    assert!(
        all.iter().all(|c| !c.ends_with("v2-user-auth.md")),
        "{all:?}"
    );
    assert!(all.iter().any(|c| c.starts_with("PC405")), "{all:?}");
}

/// The benchmark's full-detail corpus adds prose and upstream task fields only: every
/// finding of the lean corpus, and no other, with the same message and help.
#[test]
fn the_full_detail_corpus_finds_what_the_lean_one_finds() {
    use support::corpus::{generate_in_detail, Detail};
    let findings = |detail| {
        let dir = tempfile::tempdir().unwrap();
        generate_in_detail(dir.path(), 200, 11, 30, detail).unwrap();
        let doc = check_json(dir.path(), &[]);
        let mut found: Vec<String> = diagnostics(&doc)
            .iter()
            .map(|d| format!("{} {} {} {}", d["path"], d["code"], d["message"], d["help"]))
            .collect();
        found.sort();
        let bytes = folder_bytes(dir.path());
        (doc["summary"].clone(), found, bytes)
    };
    fn folder_bytes(dir: &Path) -> u64 {
        fs::read_dir(dir)
            .unwrap()
            .map(|entry| {
                let entry = entry.unwrap();
                let kind = entry.file_type().unwrap();
                if kind.is_dir() {
                    folder_bytes(&entry.path())
                } else {
                    entry.metadata().unwrap().len()
                }
            })
            .sum()
    }
    let (lean_summary, lean, lean_bytes) = findings(Detail::Lean);
    let (full_summary, full, full_bytes) = findings(Detail::Full);
    assert!(
        full_bytes > 2 * lean_bytes,
        "{full_bytes} bytes, {lean_bytes} lean"
    );
    assert!(lean.len() > 40, "the seeded defects are found: {lean:?}");
    assert_eq!(lean_summary, full_summary);
    assert_eq!(lean, full);
}
