//! The project is loaded once, and nothing is read from disk after: with the management
//! folder deleted once it is loaded (its plans with it, their texts already read), every
//! format shows the same as with the folder in place, snippets of related places in task
//! files, completion-path.json and other plans included.
//!
//! Through the library's seam: `project::load`, `Linter::check_text` for each plan's text,
//! `rules::project::check_files`, and each format's writer. `check_text` checks a text
//! against the project without making it one of a run's plans, so PC512 (judged for the
//! run's plans only) is not reached this way; its task places are the ones PC509 shows.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

use std::path::{Path, PathBuf};

use plancheck::linter::Linter;
use plancheck::project::{self, RunPlans};
use plancheck::report::{self, FileReport, Summary};
use plancheck::settings::Settings;

/// The fixtures whose findings point into files other than the plan's own.
const FIXTURES: [&str; 10] = [
    "rules/PC404/fail",
    "rules/PC405/fail",
    "rules/PC507/fail",
    "rules/PC508/fail",
    "rules/PC509/fail",
    "rules/PC510/fail",
    "rules/PC511/fail",
    "rules/PC601/fail",
    "example",
    "upstream",
];

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every markdown file below `folder`, in path order.
fn plans_below(folder: &Path, plans: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            plans_below(&path, plans);
        } else if path.extension().is_some_and(|e| e == "md") {
            plans.push(path);
        }
    }
    plans.sort();
}

/// The six formats' output for the fixture copied to `dir`, the management folder deleted
/// after the load when `delete`; the copy's place written as `DIR`.
fn reports(fixture: &str, dir: &Path, delete: bool) -> Vec<String> {
    let copy = dir.join("copy");
    if copy.exists() {
        std::fs::remove_dir_all(&copy).unwrap();
    }
    copy_folder(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(fixture),
        &copy,
    );
    let root = copy.join("projectManagement");
    let linter = Linter::new(Settings::every_rule());
    let mut none_in_the_run = RunPlans::default();
    none_in_the_run.index();
    let completed_dirs = &linter.settings.schema.completed_dirs;
    let mut project = project::load(&root, &root, &none_in_the_run, completed_dirs);
    project.index_plans();
    let mut plans = Vec::new();
    plans_below(&root.join("Implementations"), &mut plans);
    let texts: Vec<(PathBuf, Vec<u8>)> = (plans.into_iter())
        .map(|path| {
            let text = std::fs::read(&path).unwrap();
            (path, text)
        })
        .collect();
    if delete {
        std::fs::remove_dir_all(&root).unwrap();
        assert!(!root.exists());
    }
    let mut reports: Vec<FileReport> = Vec::new();
    let mut clean = 0;
    for (path, text) in texts {
        match linter.check_text(Some(&path), text, Some(&project)) {
            Some(report) => reports.push(report),
            None => clean += 1,
        }
    }
    let found = plancheck::rules::project::check_files(
        &project,
        &linter.settings.schema,
        &linter.rules,
        linter.settings.today,
    );
    reports.extend(
        found
            .into_iter()
            .map(|(source, diagnostics)| FileReport::new(source, diagnostics, false)),
    );
    drop(project);
    reports.sort_by(|a, b| a.path().cmp(b.path()));
    let summary = Summary::of(&reports, clean);
    let options = report::human::HumanOptions {
        color: false,
        width: 100,
        quiet: false,
    };
    let mut written: Vec<Vec<u8>> = vec![Vec::new(); 6];
    report::human::write(&reports, &summary, &options, &mut written[0]).unwrap();
    report::concise::write(&reports, &mut written[1]).unwrap();
    report::json::write(&reports, &summary, &mut written[2]).unwrap();
    report::sarif::write(&reports, &mut written[3]).unwrap();
    report::github::write(&reports, &mut written[4]).unwrap();
    report::junit::write(&reports, &linter.rules, &mut written[5]).unwrap();
    let place = copy.display().to_string();
    (written.into_iter())
        .map(|bytes| String::from_utf8(bytes).unwrap().replace(&place, "DIR"))
        .collect()
}

#[test]
fn every_format_is_the_same_with_the_management_folder_deleted_after_the_load() {
    for fixture in FIXTURES {
        // In one place both times: SARIF's fingerprints hash the paths.
        let dir = tempfile::tempdir().unwrap();
        let expected = reports(fixture, dir.path(), false);
        let found = reports(fixture, dir.path(), true);
        for (format, (expected, found)) in expected.iter().zip(&found).enumerate() {
            assert_eq!(found, expected, "{fixture}, format {format}");
        }
        // The formats show the places in other files, not only their names.
        assert!(expected[0].contains('│'), "{fixture}: {}", expected[0]);
    }
}

/// The related places the fixtures show in snippets, so that the test above compares them.
#[test]
fn the_fixtures_show_places_in_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let human = |fixture| reports(fixture, dir.path(), false).remove(0);
    let pc509 = human("rules/PC509/fail");
    assert!(pc509.contains("the task's milestone"), "{pc509}");
    let pc404 = human("rules/PC404/fail");
    assert!(pc404.contains("the other plan's version"), "{pc404}");
    let pc507 = human("rules/PC507/fail");
    assert!(pc507.contains("completion-path.json:"), "{pc507}");
    let pc601 = human("rules/PC601/fail");
    assert!(
        pc601.contains("PC601") && pc601.contains(".json:"),
        "{pc601}"
    );
}
