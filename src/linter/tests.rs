use super::*;
use std::path::PathBuf;

use crate::rules::selection::RuleSelection;
use crate::testing::passing_plan_with;

fn linter() -> Linter {
    Linter::new(Settings {
        rules: RuleSelection::default(),
        ..Settings::every_rule()
    })
}

fn one_thread() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|d| d.rule.code).collect()
}

/// The walk found it; by the time it is read it is gone.
#[test]
fn a_file_deleted_between_walk_and_read_is_pc001() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("M01-v1-gone.md");
    std::fs::write(&path, "# Implementation Plan: M01 - Gone\n").unwrap();
    let input = Input::File {
        path: path.clone(),
        sniff: false,
    };
    std::fs::remove_file(&path).unwrap();
    let linter = linter();
    let first = first_pass(
        &input,
        None,
        None,
        &linter,
        Kept::Shown,
        &mut Default::default(),
    )
    .unwrap();
    let report = second_pass(0, first, None, &linter).unwrap();
    assert_eq!(report.diagnostics.len(), 1);
    let d = &report.diagnostics[0];
    assert_eq!(d.rule.code, "PC001");
    assert!(d.message.contains("no longer exists"), "{}", d.message);
    assert!(d.span.is_none());
}

/// A walked README that vanished is no plan, and nothing to say.
#[test]
fn a_sniffed_file_that_vanished_is_skipped() {
    let input = Input::File {
        path: PathBuf::from("/no/such/README.md"),
        sniff: true,
    };
    assert!(first_pass(
        &input,
        None,
        None,
        &linter(),
        Kept::Shown,
        &mut Default::default()
    )
    .is_none());
}

/// A text that is on no disk is checked as the same text in a file would be.
#[test]
fn a_text_is_checked_where_it_would_stand() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("M01-v1-user-auth.md");
    let text = passing_plan_with("**Status**: active", "**Status**: actve");
    std::fs::write(&path, &text).unwrap();
    let linter = linter();
    let inputs = [Input::File {
        path: path.clone(),
        sniff: false,
    }];
    let on_disk = linter.run(&inputs, None, false, &one_thread()).reports;
    std::fs::remove_file(&path).unwrap();
    let report = linter
        .check_text(Some(&path), text.clone().into_bytes(), None)
        .unwrap();
    assert!(codes(&report.diagnostics).contains(&"PC205"));
    assert_eq!(codes(&report.diagnostics), codes(&on_disk[0].diagnostics));
    assert_eq!(report.source().text, text);
}

/// The report shows the text the plan was checked in, not what the disk holds later:
/// the lines its findings point at.
#[test]
fn a_plan_with_findings_keeps_its_lines_for_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("M01-v1-user-auth.md");
    let text = passing_plan_with("**Status**: active", "**Status**: shelved");
    std::fs::write(&path, &text).unwrap();
    let inputs = [Input::File {
        path: path.clone(),
        sniff: false,
    }];
    let reports = linter().run(&inputs, None, false, &one_thread()).reports;
    std::fs::remove_file(&path).unwrap();
    assert_eq!(reports.len(), 1);
    let found = &reports[0].diagnostics;
    let status = found.iter().find(|d| d.rule.code == "PC205");
    let status = status.unwrap().span.unwrap();
    let source = reports[0].source();
    assert_eq!(source.get(status), Some("shelved"));
    let whole = SourceFile::new("whole", text.clone());
    assert_eq!(
        source.line_column(status.start),
        whole.line_column(status.start)
    );
    assert!(source.text.len() < text.len() / 2, "{}", source.text);
}

/// A fix is made on the text as read: a round of `--fix` keeps the whole text of a plan
/// with one, a run that only reports keeps the lines the fix's edits stand on.
#[test]
fn a_plan_with_a_fix_is_kept_whole_only_for_fixing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("M01-v1-user-auth.md");
    let text = passing_plan_with("**Status**: active", "**Status**: Active");
    std::fs::write(&path, &text).unwrap();
    let inputs = [Input::File {
        path: path.clone(),
        sniff: false,
    }];
    let linter = linter();
    let reported = linter.run(&inputs, None, false, &one_thread()).reports;
    let fixing = linter.run_over(&inputs, None, &Replaced::new(), false, &one_thread());
    let [reported] = reported.as_slice() else {
        panic!("one report expected")
    };
    let fix = reported.diagnostics.iter().find_map(|d| d.fix.as_ref());
    let edit = fix.expect("a fixable finding").edits[0].span;
    let source = reported.source();
    assert_eq!(source.get(edit), Some("Active"));
    assert!(source.text.len() < text.len() / 2, "{}", source.text);
    assert_eq!(fixing.reports[0].source().text, text);
}

/// A text is checked against the other plans of the project it would stand in, and not
/// against its own copy on disk.
#[test]
fn a_text_is_checked_against_the_other_plans_of_its_project() {
    let linter = linter();
    for (fixture, plan, duplicate) in [
        ("fail", "M01-v1-user-auth.md", true),
        ("pass", "M01-v2-user-auth.md", false),
    ] {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/rules/PC404")
            .join(fixture)
            .join("projectManagement");
        let project = linter.load_project(&root, &one_thread());
        let path = root.join("Implementations/active").join(plan);
        let text = std::fs::read(&path).unwrap();
        let report = linter.check_text(Some(&path), text, Some(&project));
        let found = report.map(|r| codes(&r.diagnostics).join(" "));
        assert_eq!(
            found.as_deref().unwrap_or("").contains("PC404"),
            duplicate,
            "{fixture}: {found:?}"
        );
    }
}
