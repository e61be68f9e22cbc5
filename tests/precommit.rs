//! The pre-commit hook as pre-commit runs it: in a real git repository, the hook's entry is
//! given the staged files its `files` pattern matches.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

mod support;

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=plancheck",
            "-c",
            "user.email=plancheck@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The `files:` values written in a file of this repository, quotes removed.
fn files_lines(file: &str) -> Vec<String> {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
        .unwrap()
        .lines()
        .filter_map(|l| l.trim().strip_prefix("files: "))
        .map(|value| value.trim_matches('\'').to_owned())
        .collect()
}

/// The hook definition's `files` pattern, read from `.pre-commit-hooks.yaml`.
fn files_pattern() -> regex::Regex {
    let [line] = &files_lines(".pre-commit-hooks.yaml")[..] else {
        panic!("one `files:` line in .pre-commit-hooks.yaml");
    };
    regex::Regex::new(line).unwrap()
}

#[test]
fn the_readme_local_hook_gives_the_hook_definition_files() {
    assert_eq!(
        files_lines("README.md"),
        [files_pattern().as_str()],
        "README.md's local pre-commit hook and .pre-commit-hooks.yaml must agree on `files`"
    );
}

/// Runs the hook's entry on the staged files, as pre-commit would; returns (exit, stdout).
fn run_hook(dir: &Path) -> (i32, String, Vec<String>) {
    let pattern = files_pattern();
    let staged: Vec<String> = git(dir, &["diff", "--cached", "--name-only"])
        .lines()
        .filter(|f| pattern.is_match(f))
        .map(String::from)
        .collect();
    let output = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .current_dir(dir)
        .args(["--today", "2025-08-01", "--format", "concise"])
        .args(&staged)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        staged,
    )
}

#[test]
fn the_hook_checks_staged_plans_and_the_plans_of_staged_project_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    support::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example"),
        root,
    );
    std::fs::write(root.join("README.md"), "# A project\n").unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "start"]);

    // A staged plan: only it is checked, against the whole project.
    let plan = "projectManagement/Implementations/active/M03-v2-payments.md";
    let text = std::fs::read_to_string(root.join(plan)).unwrap();
    std::fs::write(
        root.join(plan),
        text.replace("[TASK-20250720T100000]", "[TASK-20250720T100001]"),
    )
    .unwrap();
    std::fs::write(root.join("README.md"), "# A project, edited\n").unwrap();
    git(root, &["add", "-A"]);
    let (code, out, staged) = run_hook(root);
    assert_eq!(staged, [plan], "the README is not the hook's business");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("[PC501] task `TASK-20250720T100001` has no task file"),
        "{out}"
    );
    assert!(
        out.ends_with("1 file checked: 1 error, 0 warnings\n[*] 1 fixable with --fix\n"),
        "{out}"
    );
    git(
        root,
        &[
            "commit",
            "-q",
            "--no-verify",
            "-m",
            "break a task reference",
        ],
    );
    std::fs::write(root.join(plan), text).unwrap();
    git(root, &["commit", "-q", "-am", "mend it"]);

    // A staged theme index alone: the plans that use it are checked again.
    let themes = "projectManagement/Themes/themes.json";
    let index = std::fs::read_to_string(root.join(themes)).unwrap();
    std::fs::write(
        root.join(themes),
        index.replace("\"security\"", "\"safety\""),
    )
    .unwrap();
    git(root, &["add", themes]);
    let (code, out, staged) = run_hook(root);
    assert_eq!(staged, [themes]);
    assert_eq!(code, 1, "{out}");
    let unknown: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("[PC505] theme `security`"))
        .collect();
    assert_eq!(unknown.len(), 3, "every plan naming `security`: {out}");
    assert!(out.contains("5 files checked"), "{out}");
}

/// Every file below `dir`, relative to it with `/` separators, sorted: the names
/// `git diff --name-only` would give had they all been staged.
fn files_below(dir: &Path) -> Vec<String> {
    fn visit(dir: &Path, prefix: &str, into: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{prefix}{}", entry.file_name().to_str().unwrap());
            if entry.file_type().unwrap().is_dir() {
                visit(&entry.path(), &format!("{name}/"), into);
            } else {
                into.push(name);
            }
        }
    }
    let mut files = Vec::new();
    visit(dir, "", &mut files);
    files.sort();
    files
}

/// The concise findings of plancheck run in `dir` on `paths`, without the summary.
fn findings(dir: &Path, paths: &[String]) -> Vec<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .current_dir(dir)
        .args([
            "--today",
            "2025-08-01",
            "--select",
            "ALL",
            "--format",
            "concise",
            "-q",
        ])
        .args(paths)
        .output()
        .unwrap();
    assert!(output.stderr.is_empty(), "{output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// The hook is given every file a walk of the project checks by its path, and no other, so
/// it says what a direct run says: a note misfiled in `Implementations/active/` is PC101 in
/// both, a README in `Implementations/` and one beside the project in neither. The one file
/// a walk checks that no path pattern can tell is a plan known by its title alone.
#[test]
fn the_hook_is_given_what_a_walk_checks_and_says_what_the_walk_says() {
    let tree = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/discovery");
    let pattern = files_pattern();
    let given: Vec<String> = files_below(&tree)
        .into_iter()
        .filter(|f| pattern.is_match(f))
        .collect();
    assert_eq!(
        given,
        [
            "notes/M05-v1-scratch.md",
            "projectManagement/Implementations/active/M02-v1-checkout.md",
            "projectManagement/Implementations/active/notes.md",
            "projectManagement/Implementations/completed/M01-v1-foundation.md",
            "projectManagement/ProjectFlow/checkout-flow.json",
            "projectManagement/ProjectFlow/flow-index.json",
            "projectManagement/ProjectFlow/search-flow.json",
            "projectManagement/Tasks/completion-path.json",
            "projectManagement/Themes/themes.json",
        ]
    );
    let title_only = "projectManagement/drafts/search-plan.md:";
    let walk = findings(&tree, &[".".to_string()]);
    assert!(
        walk.iter().any(|line| line.starts_with(title_only)),
        "the walk checks the plan known by its title: {walk:#?}"
    );
    let hook = findings(&tree, &given);
    assert_eq!(
        hook,
        walk.iter()
            .filter(|line| !line.starts_with(title_only))
            .cloned()
            .collect::<Vec<_>>()
    );
    assert!(
        hook.iter().any(|line| line
            .starts_with("projectManagement/Implementations/active/notes.md:1:1: error[PC101]")),
        "{hook:#?}"
    );
}
