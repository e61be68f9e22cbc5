//! Every rule's fixtures, run through the real binary, one test per rule of the registry:
//! `pass` and each `pass-<what>` yield nothing at all, `fail` and each `fail-<what>` yield
//! their own code and no other (unless `also.txt` names one, with a reason), and both
//! outputs are snapshotted. A rule without both `fail` and `pass` fails its test.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

use std::fs;
use std::path::Path;
use std::process::Command;

const TODAY: &str = "2025-08-01";

fn plancheck(args: &[&str]) -> (String, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("plancheck runs");
    assert!(
        output.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8(output.stdout).expect("output is UTF-8"),
        output.status.code().unwrap_or(-1),
    )
}

/// Codes a fail fixture may also yield: `also.txt` lines `PC123: why`.
fn also_allowed(case: &Path) -> Vec<String> {
    fs::read_to_string(case.join("also.txt"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split(':').next())
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

fn codes_in(concise: &str) -> Vec<String> {
    concise
        .lines()
        .filter_map(|l| l.split_once('[').and_then(|(_, rest)| rest.split_once(']')))
        .map(|(code, _)| code.to_string())
        .collect()
}

/// A rule's cases: `pass`, `fail`, and any `fail-<what>` or `pass-<what>` beside them (one
/// more form of the mistake, or of what is not one, held to the same test as `fail` or
/// `pass`).
fn cases(code: &str, dir: &Path) -> Vec<String> {
    let mut cases: Vec<String> = fs::read_dir(dir)
        .expect("a rule's fixture folder is readable")
        .map(|e| {
            e.expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| {
            let kind = name.split_once('-').map_or(name.as_str(), |(kind, _)| kind);
            kind == "pass" || kind == "fail"
        })
        .collect();
    cases.sort();
    for case in ["fail", "pass"] {
        assert!(
            cases.iter().any(|c| c == case),
            "{code} has no `{case}` fixture"
        );
    }
    cases
}

/// Runs every case of `code`'s fixtures; the first case that fails fails the rule's test.
fn check_fixtures(code: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/rules")
        .join(code);
    assert!(
        dir.is_dir(),
        "{code} has no fixtures: add fixtures/rules/{code}/fail and pass"
    );
    for case in cases(code, &dir) {
        let case = case.as_str();
        let rel = format!("fixtures/rules/{code}/{case}");
        let args = [
            "--today", TODAY, "--select", "ALL", "--format", "concise", "-q", &rel,
        ];
        let (concise, exit) = plancheck(&args);
        let found = codes_in(&concise);
        if case.starts_with("pass") {
            assert!(found.is_empty(), "{rel} should be clean:\n{concise}");
            assert_eq!(exit, 0, "{rel}");
        } else {
            assert!(
                found.iter().any(|c| c == code),
                "{rel} should yield {code}:\n{concise}"
            );
            let allowed = also_allowed(&dir.join(case));
            for other in found.iter().filter(|c| *c != code) {
                assert!(
                    allowed.contains(other),
                    "{rel} also yields {other}:\n{concise}"
                );
            }
        }
        let human = plancheck(&["--today", TODAY, "--select", "ALL", &rel]).0;
        insta::with_settings!({
            snapshot_path => "snapshots/rules",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("{code}-{case}-concise"), concise);
            insta::assert_snapshot!(format!("{code}-{case}-human"), human);
        });
    }
}

/// A test for each rule of the registry, named by its code: `cargo test PC205` runs
/// PC205's fixtures, and a failure names its rule.
macro_rules! fixture_tests {
    ($($code:ident)+) => {$(
        #[test]
        #[allow(non_snake_case, reason = "named by the rule's code")]
        fn $code() {
            check_fixtures(stringify!($code));
        }
    )+};
}

plancheck::for_each_rule!(fixture_tests);

#[test]
fn the_example_project_is_clean() {
    let (out, exit) = plancheck(&[
        "--today",
        TODAY,
        "--select",
        "ALL",
        "--format",
        "concise",
        "fixtures/example",
    ]);
    assert_eq!(exit, 0, "{out}");
    assert!(out.ends_with("0 errors, 0 warnings\n"), "{out}");
    assert_eq!(codes_in(&out), Vec::<String>::new());
}

/// The template left unfilled is told as placeholders and guidance lines, each where it
/// stands, and as nothing else: they are the one thing wrong with it.
#[test]
fn the_unfilled_template_gets_pc108_and_pc113_and_nothing_else() {
    let (concise, exit) = plancheck(&[
        "--today",
        TODAY,
        "--format",
        "concise",
        "-q",
        "fixtures/template",
    ]);
    assert_eq!(exit, 1);
    let template = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/template/projectManagement/Implementations/active/M01-v1-template.md"),
    )
    .unwrap();
    // Each finding's line and code.
    let flagged: Vec<(usize, String)> = concise
        .lines()
        .filter_map(|l| {
            let line = l.split(':').nth(1)?.parse().ok()?;
            let code = l.split_once('[')?.1.split_once(']')?.0;
            Some((line, code.to_string()))
        })
        .collect();
    assert_eq!(flagged.len(), concise.lines().count(), "{concise}");
    let mut section = "";
    for (n, line) in template.lines().enumerate() {
        if let Some(h2) = line.strip_prefix("## ") {
            section = h2;
        }
        let is_placeholder = [
            "{",
            "[Same structure",
            "[Continue pattern",
            "[TASK-IDs",
            "active|completed|superseded",
        ]
        .iter()
        .any(|p| line.contains(p));
        // Every bullet outside the metadata that holds no placeholder is guidance.
        let is_guidance = line.starts_with("- ") && section != "Metadata" && !is_placeholder;
        let codes: Vec<&str> = (flagged.iter())
            .filter(|(at, _)| *at == n + 1)
            .map(|(_, code)| code.as_str())
            .collect();
        let expected: &[&str] = match (is_placeholder, is_guidance) {
            (true, _) if line.matches('{').count() == 2 => &["PC108", "PC108"],
            (true, _) => &["PC108"],
            (false, true) => &["PC113"],
            (false, false) => &[],
        };
        assert_eq!(codes, expected, "line {}: {line}", n + 1);
    }
    insta::with_settings!({snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("template-concise", concise);
    });
}
