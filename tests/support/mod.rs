//! Helpers shared by the integration tests (and the benchmark).

#![allow(dead_code, reason = "each test file takes what it needs")]

pub mod corpus;

use std::path::Path;

/// Copies a folder (a fixture project) into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a target folder");
    for entry in std::fs::read_dir(from).expect("a readable fixture") {
        let entry = entry.expect("a readable entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copied file");
        }
    }
}
