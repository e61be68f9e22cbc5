//! `check --watch`, as a user runs it: a report, a file changed, and the next report.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

mod support;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

const PLAN: &str = "projectManagement/Implementations/active/M02-v1-user-authentication.md";

#[test]
fn a_changed_plan_is_checked_again() {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example");
    support::copy_dir(&from, dir.path());
    let mut child = support::plancheck_in(dir.path())
        .args(["--watch", "--format", "concise", "projectManagement"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines = support::lines_of(stdout);
    // Every line up to a report's summary: the report.
    let next_report = || {
        let mut report = Vec::new();
        loop {
            let line = lines
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no report after {report:?}"));
            let done = line.contains(" checked: ");
            report.push(line);
            if done {
                return report;
            }
        }
    };

    let first = next_report();
    assert!(!first.iter().any(|l| l.contains("PC205")), "{first:?}");
    let path = dir.path().join(PLAN);
    let saved = std::fs::read_to_string(&path).unwrap();
    let broken = saved.replacen("- **Status**: active", "- **Status**: actve", 1);
    assert_ne!(broken, saved, "the fixture's status line moved");
    std::fs::write(&path, broken).unwrap();
    let second = next_report();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        second
            .iter()
            .any(|l| l.contains("M02-v1-user-authentication.md:5:") && l.contains("PC205")),
        "{second:?}"
    );
    // Not a terminal: no screen cleared between the reports.
    assert!(!second.iter().any(|l| l.contains('\x1b')), "{second:?}");
}
