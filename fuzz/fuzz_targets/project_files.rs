//! Any bytes, as the project files (split on 0xFF into theme index, flow index, completion
//! path, a task file, a flow file and a plan): loading, the project files' own checks and
//! every output format of their findings must not panic.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use plancheck::project::RunPlans;
use plancheck::report::FileReport;
use plancheck::rules::RuleSet;
use plancheck::schema::Schema;

mod common;

const FILES: [&str; 6] = [
    "Themes/themes.json",
    "ProjectFlow/flow-index.json",
    "Tasks/completion-path.json",
    "Tasks/active/TASK-20250711T140000.json",
    "ProjectFlow/auth-flow.json",
    "Implementations/active/M01-v1-fuzz.md",
];

fn root() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for file in FILES {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        }
        dir
    })
    .path()
}

fuzz_target!(|data: &[u8]| {
    let root = root();
    let mut parts = data.split(|&b| b == 0xFF);
    for file in FILES {
        std::fs::write(root.join(file), parts.next().unwrap_or_default()).expect("writable");
    }
    let project = plancheck::project::load(root, root, &RunPlans::default(), &[]);
    let found = plancheck::rules::project::check_files(
        &project,
        &Schema::default_schema(),
        &RuleSet::default(),
        plancheck::date::today(),
    );
    let reports: Vec<FileReport> = found
        .into_iter()
        .map(|(source, diagnostics)| FileReport::new(source, diagnostics, false))
        .collect();
    common::render_every_format(&reports);
});
