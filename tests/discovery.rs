//! Which files are plans (layout.md), run through the real binary on a project tree that
//! holds what real repositories hold beside their plans, and where project files lead.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

use std::path::Path;
use std::process::Command;

use insta_cmd::assert_cmd_snapshot;

const TODAY: &str = "2025-08-01";

/// A repository with plans beside a README, an ADR, spec-kit plans, a roadmap note with a
/// near-plan title, a misfiled note, a scratch file named like a plan and an empty plan.
const TREE: &str = "fixtures/discovery";

/// A project whose completion-path.json and flow index name files outside it, and the
/// folder beside it that holds files of those names.
const ESCAPE: &str = "fixtures/escape/project";

fn plancheck(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .args(["--today", TODAY, "--select", "ALL"])
        .args(args);
    cmd
}

fn in_crate(args: &[&str]) -> Command {
    plancheck(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// The concise report's lines, without the summary.
fn concise(mut cmd: Command) -> Vec<String> {
    let output = cmd.args(["--format", "concise", "-q"]).output().unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// Which file and code each finding is, in order.
fn files_and_codes(lines: &[String]) -> Vec<(String, String)> {
    lines
        .iter()
        .map(|line| {
            let (file, rest) = line.split_once(':').unwrap();
            let code = rest.split_once('[').unwrap().1.split_once(']').unwrap().0;
            (file.to_string(), code.to_string())
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(file, code)| (format!("{TREE}/{file}"), code.to_string()))
        .collect()
}

/// The walk checks plans by name, by folder and by exact title with Metadata; it skips the
/// README, the ADR, both spec-kit plans and the note with an em-dash title in silence. A
/// checked file that is no plan is one PC101; the empty plan is PC003 alone, and
/// completion-path.json, which lists it, gets no PC511.
#[test]
fn a_walk_checks_plans_and_skips_the_rest_in_silence() {
    let found = files_and_codes(&concise(in_crate(&[TREE])));
    assert_eq!(
        found,
        pairs(&[
            ("notes/M05-v1-scratch.md", "PC101"),
            ("projectManagement/Implementations/active/notes.md", "PC101"),
            (
                "projectManagement/Implementations/completed/M01-v1-foundation.md",
                "PC003"
            ),
            ("projectManagement/drafts/search-plan.md", "PC401"),
        ])
    );
    assert_cmd_snapshot!(in_crate(&[TREE]));
}

/// `M-02` in a title and a Milestone is `M02`: the plan, its file name and completion-path.json
/// agree, and the plan found by its title outside `Implementations/` is not judged by place.
#[test]
fn m_hyphen_milestones_agree_with_m_milestones() {
    let active = format!("{TREE}/projectManagement/Implementations/active/M02-v1-checkout.md");
    assert_eq!(concise(in_crate(&[&active])), Vec::<String>::new());
    let draft = format!("{TREE}/projectManagement/drafts/search-plan.md");
    let found = files_and_codes(&concise(in_crate(&[&draft])));
    assert_eq!(found, [(draft, "PC401".to_string())]);
}

/// Each file named on the command line is checked; one that is no plan gets one PC101 and
/// nothing else, whatever else would be wrong with it as a plan.
#[test]
fn a_named_file_that_is_no_plan_is_one_pc101() {
    let named = [
        "README.md",
        "docs/adr/0001-use-postgres.md",
        "docs/roadmap/frontend.md",
        "specs/001-user-auth/plan.md",
        "specs/002-frontend/plan.md",
        "notes/M05-v1-scratch.md",
        "projectManagement/Implementations/README.md",
        "projectManagement/Implementations/active/notes.md",
    ];
    for file in named {
        let path = format!("{TREE}/{file}");
        let found = files_and_codes(&concise(in_crate(&[&path])));
        assert_eq!(found, [(path.clone(), "PC101".to_string())], "{file}");
    }
    assert_cmd_snapshot!(in_crate(&[
        &format!("{TREE}/specs/001-user-auth/plan.md"),
        &format!("{TREE}/docs/adr/0001-use-postgres.md"),
        &format!("{TREE}/projectManagement/Implementations/active/notes.md"),
    ]));
}

/// A file named in completion-path.json or the flow index that leads outside the management
/// folder does not exist, though a file of that name stands there: the listed plan is
/// missing (PC511, at the name), the flow file is unknown (PC504), and the flow only that
/// outside file defines is unknown (PC503). Nothing outside is reported.
#[test]
fn file_names_in_project_files_never_lead_outside() {
    let lines = concise(in_crate(&[ESCAPE]));
    let plan = format!("{ESCAPE}/projectManagement/Implementations/active/M01-v1-user-auth.md");
    let path = format!("{ESCAPE}/projectManagement/Tasks/completion-path.json");
    assert_eq!(
        files_and_codes(&lines),
        [
            (plan.clone(), "PC503".to_string()),
            (plan, "PC504".to_string()),
            (path.clone(), "PC511".to_string()),
            (path.clone(), "PC511".to_string()),
            (path, "PC511".to_string()),
        ]
    );
    for line in &lines {
        assert!(line.starts_with(ESCAPE), "{line}");
    }
    assert_cmd_snapshot!(in_crate(&["--format", "concise", ESCAPE]));
}

/// cli.md: paths are reported as the user named them; project files found by discovery
/// relative to the current folder when under it, else absolute.
#[test]
fn project_files_are_reported_relative_to_the_current_folder_when_under_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/escape");
    let completion_path = root.join("project/projectManagement/Tasks/completion-path.json");

    // From beside the project: the plans as named, the project file absolute.
    let beside = concise(plancheck(&root.join("elsewhere"), &["../project"]));
    let files: Vec<String> = files_and_codes(&beside)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    let plan = "../project/projectManagement/Implementations/active/M01-v1-user-auth.md";
    let absolute = completion_path.display().to_string();
    assert_eq!(files, [plan, plan, &absolute, &absolute, &absolute]);

    // From inside the management folder: the project file is under the current folder.
    let tasks = root.join("project/projectManagement/Tasks");
    let inside = concise(plancheck(
        &tasks,
        &["../Implementations/active/M01-v1-user-auth.md"],
    ));
    let files: Vec<String> = files_and_codes(&inside)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    let plan = "../Implementations/active/M01-v1-user-auth.md";
    let here = "completion-path.json";
    assert_eq!(files, [plan, plan, here, here, here]);
}
