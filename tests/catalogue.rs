//! Meta-tests over the rule registry: codes, names, doc pages, fixtures and message style.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

use std::path::Path;
use std::process::Command;

use plancheck::rules::registry::{Severity, ALL};

#[test]
fn codes_are_sorted_unique_and_well_formed() {
    assert!(
        ALL.windows(2).all(|w| w[0].code < w[1].code),
        "sorted and unique"
    );
    for rule in ALL {
        let digits = rule.code.strip_prefix("PC").expect("PC prefix");
        assert!(
            digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
            "{}",
            rule.code
        );
    }
}

#[test]
fn names_are_unique_kebab_case() {
    let mut names: Vec<&str> = ALL.iter().map(|r| r.name).collect();
    for name in &names {
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !name.starts_with('-')
                && !name.ends_with('-'),
            "{name} is not kebab-case"
        );
    }
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ALL.len());
}

#[test]
fn every_page_has_its_headings() {
    for rule in ALL {
        let page = rule.doc;
        let title = format!("# {} ({})", rule.name, rule.code);
        assert_eq!(
            page.lines().next(),
            Some(title.as_str()),
            "{} title",
            rule.code
        );
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "Use instead:",
            "## How to fix",
        ] {
            assert!(page.contains(heading), "{} lacks `{heading}`", rule.code);
        }
    }
}

#[test]
fn only_off_rules_are_off() {
    let off: Vec<&str> = ALL
        .iter()
        .filter(|r| r.default_severity == Severity::Off)
        .map(|r| r.code)
        .collect();
    assert_eq!(off, ["PC304"]);
}

/// Each rule's own fixtures are `tests/rules.rs`'s to check; a folder of no rule would be
/// run by none.
#[test]
fn every_fixture_folder_is_a_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    for entry in std::fs::read_dir(root).unwrap() {
        let name = entry.unwrap().file_name();
        let name = name.to_string_lossy();
        assert!(
            ALL.iter().any(|rule| rule.code == name),
            "fixtures/rules/{name} is no rule's"
        );
    }
}

/// Messages start lower-case (or with a backtick) and end without a period; so does help.
#[test]
fn messages_follow_the_house_style() {
    let output = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "--today",
            "2025-08-01",
            "--select",
            "ALL",
            "--format",
            "json",
            "fixtures",
        ])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    assert!(diagnostics.len() >= ALL.len());
    for d in diagnostics {
        for key in ["message", "help"] {
            let Some(text) = d[key].as_str() else {
                continue;
            };
            let first = text.chars().next().unwrap();
            assert!(
                first.is_lowercase() || first == '`' || first.is_ascii_digit(),
                "{key} of {}: {text}",
                d["code"]
            );
            assert!(!text.ends_with('.'), "{key} of {}: {text}", d["code"]);
        }
    }
}

#[test]
fn the_readme_lists_every_rule() {
    let readme = include_str!("../README.md");
    for rule in ALL {
        let row = format!("| {} | `{}` |", rule.code, rule.name);
        assert!(
            readme.contains(&row),
            "README.md lacks the row for {}",
            rule.code
        );
    }
}
