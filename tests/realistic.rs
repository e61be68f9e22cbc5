//! The realistic corpus of issues 20 and 21 (`tests/support/realistic/`), checked end to
//! end: a few hundred plans written the many ways teams write them, one mistake planted
//! in most, run through the real binary. Every planted mistake must be found with its
//! code on its plan's line, be the plan's only finding, and the clean plans and the
//! non-plans must get none. A failure names the code × style rows that are wrong, with
//! a few examples each. `cargo run --example realistic -- compare DIR 10000` runs the
//! same check on a corpus of any size.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

#[path = "support/realistic/mod.rs"]
mod realistic;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use realistic::compare::{self, Comparison};
use realistic::{Manifest, Options};

/// Three projects (each with its own shapes of the project files) and enough planted
/// plans that every mistake of the table is planted at least once.
const OPTIONS: Options = Options {
    plans: 360,
    seed: 20,
    planted_percent: 80,
    repos: 3,
};

struct Run {
    manifest: Manifest,
    comparison: Comparison,
}

/// The corpus is written and checked once for all the tests of this file.
fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let manifest = realistic::generate(dir.path(), &OPTIONS).unwrap();
        let report = compare::run(Path::new(env!("CARGO_BIN_EXE_plancheck")), dir.path()).unwrap();
        let comparison = compare::compare(&manifest, &report);
        Run {
            manifest,
            comparison,
        }
    })
}

fn is_reference(code: &str) -> bool {
    matches!(code, "PC501" | "PC503" | "PC504" | "PC505")
}

/// Fails with the rows `select` takes that are not right (missed, wrong help, or with
/// other findings beside them), as kept by `part`.
fn assert_planted(
    what: &str,
    select: impl Fn(&str, &str) -> bool,
    part: fn(&compare::Row) -> usize,
) {
    let comparison = &run().comparison;
    let mut rows = comparison
        .rows
        .iter()
        .filter(|((code, style), _)| select(code, style))
        .peekable();
    assert!(
        rows.peek().is_some(),
        "no mistake of this kind was planted: {what}"
    );
    let wrong: Vec<_> = rows
        .filter(|(_, row)| part(row) > 0)
        .map(|((code, style), _)| (code.clone(), style.clone()))
        .collect();
    if !wrong.is_empty() {
        let table = comparison
            .planted_failures(|code, style| wrong.iter().any(|(c, s)| c == code && s == style))
            .unwrap_or_default();
        panic!(
            "{what}: {} of the rows below are wrong\n{table}",
            wrong.len()
        );
    }
}

fn missed(row: &compare::Row) -> usize {
    row.missed.count
}

fn wrong_help(row: &compare::Row) -> usize {
    row.wrong_help.count
}

fn extra(row: &compare::Row) -> usize {
    row.extra.count
}

fn any_mismatch(row: &compare::Row) -> usize {
    row.missed.count + row.wrong_help.count + row.extra.count
}

#[test]
fn every_mistake_of_the_table_is_planted() {
    let planted: BTreeSet<(&str, &str)> = run()
        .manifest
        .expected
        .iter()
        .map(|e| (e.code, e.style.as_str()))
        .collect();
    let table: BTreeSet<(&str, String)> = realistic::mistakes::all()
        .into_iter()
        .map(|p| (p.code, p.style))
        .collect();
    let unplanted: Vec<_> = table
        .iter()
        .filter(|(code, style)| !planted.contains(&(*code, style.as_str())))
        .collect();
    assert!(unplanted.is_empty(), "never planted: {unplanted:?}");
}

#[test]
fn the_same_seed_writes_the_same_corpus() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let options = Options {
        plans: 40,
        seed: 3,
        planted_percent: 50,
        repos: 1,
    };
    realistic::generate(a.path(), &options).unwrap();
    realistic::generate(b.path(), &options).unwrap();
    let files = |root: &Path| {
        let mut files = Vec::new();
        let mut folders = vec![root.to_path_buf()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    files.push((
                        path.strip_prefix(root).unwrap().to_path_buf(),
                        std::fs::read(&path).unwrap(),
                    ));
                }
            }
        }
        files.sort();
        files
    };
    assert!(
        files(a.path()) == files(b.path()),
        "two corpora of one seed differ"
    );
}

#[test]
fn planted_references_are_found_on_their_line() {
    assert_planted(
        "unknown tasks, flows, flow files and themes",
        |code, _| is_reference(code),
        missed,
    );
}

#[test]
fn a_case_only_misspelling_names_the_known_id() {
    assert_planted(
        "case-only misspellings",
        |code, style| is_reference(code) && style.ends_with("+case"),
        wrong_help,
    );
}

#[test]
fn a_planted_reference_is_its_plans_only_finding() {
    assert_planted("unknown references", |code, _| is_reference(code), extra);
}

#[test]
fn a_misspelt_heading_or_field_is_one_finding_with_the_spelling() {
    assert_planted(
        "misspelt headings and fields",
        |code, _| matches!(code, "PC103" | "PC201"),
        any_mismatch,
    );
}

#[test]
fn a_placeholder_is_pc108_alone() {
    assert_planted("placeholders", |code, _| code == "PC108", any_mismatch);
}

#[test]
fn template_guidance_left_is_pc113_alone() {
    assert_planted("guidance lines", |code, _| code == "PC113", any_mismatch);
}

#[test]
fn a_wrong_value_is_one_finding() {
    let values = [
        "PC205", "PC206", "PC207", "PC209", "PC301", "PC302", "PC303", "PC502",
    ];
    assert_planted(
        "wrong values",
        |code, _| values.contains(&code),
        any_mismatch,
    );
}

#[test]
fn listed_empty_and_misfiled_files_are_one_finding() {
    assert_planted("files", |_, style| style.starts_with("file:"), any_mismatch);
}

#[test]
fn clean_plans_and_non_plans_get_no_finding() {
    if let Some(list) = run().comparison.unexpected_failures(|_, _| true) {
        panic!("findings nobody planted, by code × the style of the line they point at:\n{list}");
    }
}

#[test]
fn only_plans_and_planted_non_plans_are_checked() {
    let c = &run().comparison;
    assert_eq!(
        c.files_reported, c.files_expected,
        "files checked: the spec-kit plans, ADRs and READMEs are not plans"
    );
}
