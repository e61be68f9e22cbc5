//! Turns the PATHs a user named into the files to check. A file named is always checked; a
//! walked folder yields the markdown files that look like plans. It reads no file.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

use crate::project::{self, ProjectOptions};
use crate::rules::naming::file_name_patterns;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file to check. `sniff`: found by walking under a name that is not a plan's, so it
    /// is a plan only if its first heading says so.
    File {
        path: PathBuf,
        sniff: bool,
    },
    /// A folder the walk could not enter.
    Unwalkable {
        path: PathBuf,
        error: String,
    },
    Stdin,
}

impl Input {
    fn sort_key(&self) -> (Option<&std::ffi::OsStr>, u8) {
        let rank = match self {
            Input::Stdin => 0,
            Input::File { .. } => 1,
            Input::Unwalkable { .. } => 2,
        };
        (self.path().map(Path::as_os_str), rank)
    }

    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::File { path, .. } | Input::Unwalkable { path, .. } => Some(path),
            Input::Stdin => None,
        }
    }
}

/// The inputs for `paths`, sorted and without repeats. A path that does not exist is an
/// error naming it. A project JSON file named (as a pre-commit hook names changed files)
/// stands for the plans of its management folder, which may all depend on it. `threads`
/// walks in parallel (0: one per core).
pub fn discover(
    paths: &[PathBuf],
    options: &ProjectOptions,
    threads: usize,
) -> Result<Vec<Input>, PathBuf> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() && !is_markdown_name(path) {
            walk(path, threads, &mut inputs);
        } else if path.is_file() && path.extension().is_some_and(|e| e == "json") {
            if let Some(root) = crate::project::find_root(path, options) {
                let plans = root.join("Implementations");
                let shown = crate::project::relative_to_current_dir(&plans);
                if plans.is_dir() {
                    walk(&shown, threads, &mut inputs);
                }
            }
        } else if path.exists() || path.symlink_metadata().is_ok() {
            inputs.push(Input::File {
                path: path.clone(),
                sniff: false,
            });
        } else {
            return Err(path.clone());
        }
    }
    sort_and_dedup(&mut inputs);
    Ok(inputs)
}

/// By the bytes of the path: comparing paths component by component is slow, and the
/// report sorts by the path as written anyway. A folder named like a plan is both a file
/// to report and a folder the walk may fail to enter: of the two, the file is kept,
/// whichever walking thread found it first.
fn sort_and_dedup(inputs: &mut Vec<Input>) {
    inputs.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    inputs.dedup_by(|a, b| match (a.path(), b.path()) {
        (Some(a), Some(b)) => same_path(a, b),
        _ => false,
    });
}

/// `a == b`, which compares paths component by component, without that parse where the
/// bytes tell: equal bytes are one path, and so are no two whose last components differ,
/// which is what follows the last separator unless that is nothing or `.`.
fn same_path(a: &Path, b: &Path) -> bool {
    if a.as_os_str().as_encoded_bytes() == b.as_os_str().as_encoded_bytes() {
        return true;
    }
    fn last_component(path: &Path) -> Option<&[u8]> {
        Some(project::split_at_last_separator(path).1).filter(|name| !matches!(*name, b"" | b"."))
    }
    match (last_component(a), last_component(b)) {
        (Some(a_last), Some(b_last)) if a_last != b_last => false,
        _ => a == b,
    }
}

fn walk(root: &Path, threads: usize, inputs: &mut Vec<Input>) {
    let walker = WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .threads(threads)
        // Only folders and markdown files can be inputs: the task and flow files, most of a
        // project's, are let go before they are queued and visited.
        .filter_entry(|entry| {
            entry.file_type().is_some_and(|t| t.is_dir()) || is_markdown_bytes(entry.path())
        })
        .build_parallel();
    let found = std::sync::Mutex::new(Vec::new());
    walker.run(|| {
        // Each walking thread collects its own, and hands them over once, when it is done.
        let mut mine = HandOver {
            into: &found,
            inputs: Vec::new(),
        };
        Box::new(move |entry| {
            mine.inputs.extend(input_of(root, entry));
            ignore::WalkState::Continue
        })
    });
    inputs.extend(found.into_inner().unwrap_or_else(|e| e.into_inner()));
}

/// The inputs one walking thread found, added to the shared list when the thread is done.
struct HandOver<'a> {
    into: &'a std::sync::Mutex<Vec<Input>>,
    inputs: Vec<Input>,
}

impl Drop for HandOver<'_> {
    fn drop(&mut self) {
        let mut into = self.into.lock().unwrap_or_else(|e| e.into_inner());
        into.append(&mut self.inputs);
    }
}

/// What one walked entry is: a plan to check, a folder that could not be entered, or nothing.
fn input_of(root: &Path, entry: Result<ignore::DirEntry, ignore::Error>) -> Option<Input> {
    let entry = match entry {
        Ok(entry) => entry,
        Err(error) => {
            let path = error_path(&error).unwrap_or_else(|| root.to_path_buf());
            return Some(Input::Unwalkable {
                path: tidy(&path),
                error: io_reason(&error),
            });
        }
    };
    if entry.depth() == 0 {
        return None;
    }
    let path = entry.path();
    // Below the root, a walked path is its folder's joined with a name read from the
    // folder: the name is what follows the last separator.
    let name = std::str::from_utf8(project::split_at_last_separator(path).1).ok()?;
    if !is_markdown_bytes(path) {
        return None;
    }
    let patterns = file_name_patterns();
    let is_file = entry.file_type().is_some_and(|t| t.is_file());
    // A folder named like a plan is a plan that cannot be read: say so (PC001).
    let is_plan_folder =
        entry.file_type().is_some_and(|t| t.is_dir()) && patterns.is_plan_name(name);
    (is_file || is_plan_folder).then(|| Input::File {
        path: tidy(path),
        sniff: !patterns.is_plan_name(name),
    })
}

/// Whether a walked path's name ends in `.md` after a stem, as [`is_markdown_name`] reads
/// it, from its bytes.
fn is_markdown_bytes(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    let Some(extension) = bytes.len().checked_sub(3).map(|at| &bytes[at..]) else {
        return false;
    };
    let stem = bytes.len() > 3 && !std::path::is_separator(char::from(bytes[bytes.len() - 4]));
    stem && extension.eq_ignore_ascii_case(b".md")
}

fn is_markdown_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// `./a/b` → `a/b`: paths stay as the user would write them.
fn tidy(path: &Path) -> PathBuf {
    project::without_leading_dot(path).to_path_buf()
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn io_reason(error: &ignore::Error) -> String {
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => io_reason(err),
        ignore::Error::Loop { ancestor, .. } => {
            format!("a symbolic link loops back to `{}`", ancestor.display())
        }
        ignore::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            "permission denied".to_string()
        }
        other => other.to_string(),
    }
}

/// Whether a markdown text's first heading names it a plan: the test for files whose
/// name is not a plan's. Reads only up to the first heading.
pub fn looks_like_plan(text: &str) -> bool {
    for (_, line) in crate::parse::lines_outside_fences(text) {
        if let Some(rest) = line.trim_start().strip_prefix('#') {
            let heading = rest.trim_start_matches('#').trim_start();
            let heading = heading.trim_start_matches(['*', '_']);
            return heading.starts_with("Implementation Plan")
                || heading.starts_with("[HIGH PRIORITY] Implementation Plan");
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_named_folder_that_cannot_be_entered_is_one_input() {
        let path = PathBuf::from("p/M01-v1-x.md");
        let unwalkable = Input::Unwalkable {
            path: path.clone(),
            error: "permission denied".to_string(),
        };
        let file = Input::File {
            path: path.clone(),
            sniff: false,
        };
        let other = Input::File {
            path: PathBuf::from("p/A.md"),
            sniff: true,
        };
        let mut inputs = vec![unwalkable, other.clone(), file.clone()];
        sort_and_dedup(&mut inputs);
        assert_eq!(inputs, [other, file]);
    }

    #[test]
    fn paths_are_the_same_as_their_components_say() {
        let paths = [
            "a/b.md",
            "a//b.md",
            "a/./b.md",
            "./a/b.md",
            "a/b.md/",
            "a/b.md/.",
            "/a/b.md",
            "//a/b.md",
            "a/b.mD",
            ".",
            "./",
            "",
            "a/.b.md",
            "a/..",
            "a/../b.md",
            "b.md",
        ];
        for a in paths {
            for b in paths {
                let (a, b) = (Path::new(a), Path::new(b));
                assert_eq!(same_path(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    /// A walked path is a folder's joined with a name from it: never one ending in `/`.
    #[test]
    fn walked_names_are_read_from_their_bytes() {
        for path in [
            "./a/b.md",
            "./a/B.MD",
            "./a/.md",
            "./a/..md",
            "./a/b.md.txt",
            "./a/md",
            "x.md",
            "./.md",
            "/a.md",
        ] {
            let path = Path::new(path);
            assert_eq!(is_markdown_bytes(path), is_markdown_name(path), "{path:?}");
        }
        for path in [
            "./a/b.md",
            "./.hidden/b.md",
            ".//a.md",
            "././a.md",
            "a/b.md",
            ".",
            "./",
        ] {
            let path = Path::new(path);
            assert_eq!(
                tidy(path),
                path.strip_prefix(".").unwrap_or(path),
                "{path:?}"
            );
        }
    }

    #[test]
    fn sniffs_plan_titles() {
        assert!(looks_like_plan("# Implementation Plan: M01 - X\n"));
        assert!(looks_like_plan(
            "\n\n## [HIGH PRIORITY] Implementation Plan: H-1 - X"
        ));
        assert!(!looks_like_plan("# README\n# Implementation Plan"));
        assert!(!looks_like_plan("```\n# Implementation Plan\n```\n# Notes"));
        assert!(!looks_like_plan("no headings"));
    }
}
