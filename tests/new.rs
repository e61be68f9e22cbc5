//! `plancheck new`, as a user runs it, then `plancheck check` on what it wrote.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

mod support;

use support::plancheck_in;

use std::path::Path;
use std::process::Output;

use insta_cmd::assert_cmd_snapshot;

const TODAY: &str = "2025-08-01";

fn new_in(dir: &Path, args: &[&str]) -> Output {
    plancheck_in(dir)
        .args(["new", "--today", TODAY])
        .args(args)
        .output()
        .unwrap()
}

/// A copy of a fixture project, to write in.
fn copy_of(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture);
    support::copy_dir(&from, dir.path());
    dir
}

/// What `new` printed: the path it wrote, and nothing else.
fn written(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(output.stderr.is_empty(), "{output:?}");
    stdout.trim_end().to_string()
}

/// The findings `check` gives in `dir`, as JSON.
fn findings(dir: &Path) -> Vec<serde_json::Value> {
    let output = plancheck_in(dir)
        .args(["check", "--today", TODAY, "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    doc["diagnostics"].as_array().unwrap().clone()
}

/// cli.md: a new plan adds no finding of its own but PC108 at the phase names (and at the
/// target without `--target`) and PC113 at the guidance lines.
fn assert_only_the_named_findings(dir: &Path, plan: &str, target_given: bool) {
    let text = std::fs::read_to_string(dir.join(plan)).unwrap();
    let (mut phase_names, mut targets, mut guidance) = (0, 0, 0);
    for finding in findings(dir) {
        let path = finding["path"].as_str().unwrap();
        assert_eq!(path, plan, "a finding outside the new plan: {finding}");
        let line = finding["span"]["start"]["line"].as_u64().unwrap() as usize;
        let line = text.lines().nth(line - 1).unwrap();
        let offset = finding["span"]["offset"].as_u64().unwrap() as usize;
        let length = finding["span"]["length"].as_u64().unwrap() as usize;
        let spanned = &text[offset..offset + length];
        match finding["code"].as_str().unwrap() {
            "PC108" if line.starts_with("### Phase ") && spanned == "{Phase Name}" => {
                phase_names += 1;
            }
            "PC108"
                if spanned == "{ISO-8601-date}"
                    && (line.starts_with("- **Completion Target**: ")
                        || line.starts_with("- **Estimated Completion**: ")) =>
            {
                targets += 1;
            }
            "PC113" if line.ends_with(spanned) && line.starts_with("- ") => guidance += 1,
            _ => panic!("a finding cli.md does not name: {finding}"),
        }
    }
    assert_eq!(phase_names, 3, "{text}");
    assert_eq!(targets, usize::from(!target_given), "{text}");
    let is_h_plan = plan.contains("/H-");
    // Every bullet under the regular template's H3s, and each phase's seven fields.
    let expected_guidance = if is_h_plan { 0 } else { 77 - 7 + 3 * 7 };
    assert_eq!(guidance, expected_guidance);
}

#[test]
fn a_new_plan_in_a_fresh_project() {
    let dir = copy_of("fixtures/fresh");
    let output = new_in(dir.path(), &["M3", "--title", "Payment gateway"]);
    let plan = "projectManagement/Implementations/active/M03-v1-payment-gateway.md";
    assert_eq!(written(&output), plan);
    assert_only_the_named_findings(dir.path(), plan, false);
    let mut check = plancheck_in(dir.path());
    check.args(["check", "--today", TODAY, "--format", "concise"]);
    assert_cmd_snapshot!("fresh_checked", check);
}

#[test]
fn a_new_plan_in_an_empty_folder_makes_its_folders() {
    let dir = tempfile::tempdir().unwrap();
    let output = new_in(dir.path(), &["M-7", "--title", "Café: über Alles!"]);
    let plan = "Implementations/active/M07-v1-caf-ber-alles.md";
    assert_eq!(written(&output), plan);
    assert_only_the_named_findings(dir.path(), plan, false);
}

#[test]
fn a_new_plan_in_the_example_project() {
    let dir = copy_of("fixtures/example");
    // M04's plan is listed in completion-path.json and not written yet.
    let output = new_in(
        dir.path(),
        &["M4", "--title", "Reporting", "--target", "2025-10-01"],
    );
    let plan = "projectManagement/Implementations/active/M04-v1-reporting.md";
    assert_eq!(written(&output), plan);
    assert_only_the_named_findings(dir.path(), plan, true);
    let text = std::fs::read_to_string(dir.path().join(plan)).unwrap();
    assert!(text.contains("- **Completion Target**: 2025-10-01\n"));
    assert!(text.contains("- **Created**: 2025-08-01\n- **Updated**: 2025-08-01\n"));
}

#[test]
fn a_new_plan_takes_the_milestone_s_tasks_and_flows_and_the_next_version() {
    let dir = copy_of("fixtures/example");
    let output = new_in(dir.path(), &["M03", "--title", "Payments"]);
    let plan = "projectManagement/Implementations/active/M03-v3-payments.md";
    assert_eq!(written(&output), plan);
    let text = std::fs::read_to_string(dir.path().join(plan)).unwrap();
    assert!(text.contains("- **Related Tasks**: [TASK-20250720T100000]\n"));
    assert!(text.contains("### Required Project Flows\n- `payment-processing-flow`\n"));
    insta::assert_snapshot!("new_plan_in_the_example", text);
}

#[test]
fn an_h_plan_in_the_example_project() {
    let dir = copy_of("fixtures/example");
    let output = new_in(
        dir.path(),
        &[
            "--high-priority",
            "--original-task",
            "HIGH-TASK-20250715T100000",
            "--title",
            "Cache stampede",
            "--target",
            "2025-08-20",
        ],
    );
    let plan = written(&output);
    let name = plan.rsplit('/').next().unwrap();
    let timestamp = &name["H-".len().."H-YYYYMMDDTHHMMSS".len()];
    assert!(timestamp.starts_with("20250801T"), "{name}");
    assert_eq!(
        name,
        format!("H-{timestamp}-cache-stampede.md"),
        "the slug follows the timestamp"
    );
    assert_only_the_named_findings(dir.path(), &plan, true);
    let text = std::fs::read_to_string(dir.path().join(&plan)).unwrap();
    assert!(text.starts_with(&format!(
        "# [HIGH PRIORITY] Implementation Plan: H-{timestamp} - Cache stampede\n"
    )));
    let output = plancheck_in(dir.path())
        .args(["check", "--today", TODAY, "--format", "concise", &plan])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!("h_plan_checked", report.replace(timestamp, "[timestamp]"));
}

#[test]
fn a_new_plan_never_writes_over_a_file() {
    let dir = tempfile::tempdir().unwrap();
    // Not a plan file, so the next free version is still 1: the name is taken all the same.
    let taken = dir.path().join("Implementations/active/M03-v1-payments.md");
    std::fs::create_dir_all(taken.join("inside")).unwrap();
    let mut cmd = plancheck_in(dir.path());
    cmd.args(["new", "M03", "--title", "Payments", "--today", TODAY]);
    assert_cmd_snapshot!(cmd);
    assert!(taken.join("inside").is_dir());
}

#[test]
fn a_bad_milestone_title_or_target_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["X3", "--title", "Payments"][..],
        &["M3", "--title", "日本語"],
        &["M3", "--title", "Payments", "--target", "2025-02-30"],
        &[
            "--high-priority",
            "--original-task",
            "TASK-1",
            "--title",
            "Leak",
        ],
        &[
            "M3",
            "--original-task",
            "HIGH-TASK-20250715T100000",
            "--title",
            "Leak",
        ],
        &["M3", "--title", "Two\nlines"],
    ] {
        let output = new_in(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    assert!(!dir.path().join("Implementations").exists());
    let mut cmd = plancheck_in(dir.path());
    cmd.args(["new", "X3", "--title", "Payments"]);
    assert_cmd_snapshot!(cmd);
}

/// `[plan] template`: `new` writes the team's sections and fields, its placeholders and its
/// guidance lines, and nothing but them is found in what it wrote.
#[test]
fn a_new_plan_from_a_team_template() {
    let dir = copy_of("fixtures/team-template");
    let active = dir.path().join("projectManagement/Implementations/active");
    std::fs::remove_file(active.join("M01-v1-user-auth.md")).unwrap();
    let output = new_in(dir.path(), &["M1", "--title", "User auth"]);
    let plan = "projectManagement/Implementations/active/M01-v1-user-auth.md";
    assert_eq!(written(&output), plan);
    let text = std::fs::read_to_string(dir.path().join(plan)).unwrap();
    assert!(
        text.contains("- **Related Tasks**: [TASK-20250701T090000]\n- **Owner**: {owner-name}\n")
    );
    assert!(text.contains("\n## Risks\n### Open Risks\n- Each risk still open"));
    // The project's task still names the phase of the plan this one replaces (PC512, in the
    // task's file): the new plan's own findings are those in it.
    let mut codes: Vec<String> = findings(dir.path())
        .iter()
        .filter(|f| f["path"] == plan)
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    codes.dedup();
    assert_eq!(
        codes,
        [
            "PC108 template placeholder `{ISO-8601-date}` is left unfilled",
            "PC108 template placeholder `{owner-name}` is left unfilled",
            "PC113 the template's guidance line is left in place",
            "PC108 template placeholder `{Phase Name}` is left unfilled",
            "PC113 the template's guidance line is left in place",
            "PC108 template placeholder `{Phase Name}` is left unfilled",
            "PC113 the template's guidance line is left in place",
            "PC108 template placeholder `{Phase Name}` is left unfilled",
            "PC113 the template's guidance line is left in place",
        ]
    );
}
