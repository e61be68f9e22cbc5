//! `[plan] template`: a team's own template in force, as a user sets it.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

mod support;

use support::plancheck_in;

use insta_cmd::assert_cmd_snapshot;

/// The fixture's template adds `## Risks` and an `Owner` field to the spec's; its plan,
/// complete by the spec's template, lacks both.
#[test]
fn a_team_template_s_extra_section_and_field_are_required() {
    let mut cmd = plancheck_in(env!("CARGO_MANIFEST_DIR").as_ref());
    cmd.args(["--today", "2025-08-01", "--format", "concise"])
        .arg("fixtures/team-template");
    assert_cmd_snapshot!(cmd);
}

/// Without the config, the same plan is clean: the findings are the template's doing.
#[test]
fn the_same_plan_is_clean_by_the_embedded_template() {
    let output = plancheck_in(env!("CARGO_MANIFEST_DIR").as_ref())
        .args([
            "--today",
            "2025-08-01",
            "--no-config",
            "fixtures/team-template",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}

#[test]
fn a_template_without_metadata_exits_2_pointing_into_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plancheck.toml"),
        "[plan]\ntemplate = \"plan-template.md\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("plan-template.md"),
        "# Implementation Plan: M{milestone-id} - {Milestone Title}\n\n\
         ## Summary\n- What this plan is for\n",
    )
    .unwrap();
    let mut cmd = plancheck_in(dir.path());
    cmd.args(["--today", "2025-08-01", "."]);
    assert_cmd_snapshot!(cmd);
}

#[test]
fn a_template_that_cannot_be_read_exits_2_pointing_at_the_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plancheck.toml"),
        "[plan]\ntemplate = \"missing.md\"\n",
    )
    .unwrap();
    let output = plancheck_in(dir.path()).arg(".").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("cannot read the template `missing.md`"),
        "{stderr}"
    );
    assert!(stderr.contains("plancheck.toml:2:12"), "{stderr}");
}
