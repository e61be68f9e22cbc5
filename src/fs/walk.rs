//! Walking the folders a user named for the markdown files below them, as their other tools
//! would: `.gitignore`d and hidden entries left out, links not followed. It judges nothing:
//! which of the files it yields are plans is the caller's to say.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::WalkBuilder;

use super::path::without_leading_dot;

/// What a walk found below its root.
#[derive(Debug)]
pub enum Walked<'a> {
    /// A regular file or a folder whose name ends in `.md` after a stem. Anything else of
    /// such a name (a link, a FIFO, a device) is left out: reading it may wait forever.
    Candidate { path: &'a Path, is_folder: bool },
    /// A folder the walk could not enter, and why.
    Unenterable { path: PathBuf, reason: String },
}

/// Walks `root` with `threads` threads (0: one per core), and keeps what `keep` makes of
/// each entry found, in no particular order. Paths are as the user would write them: a
/// walk of `.` yields `a/b.md`, not `./a/b.md`.
pub fn walk<T: Send>(
    root: &Path,
    threads: usize,
    keep: impl Fn(Walked<'_>) -> Option<T> + Sync,
) -> Vec<T> {
    let walker = WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .threads(threads)
        // Only folders and markdown files can be candidates: the task and flow files, most
        // of a project's, are let go before they are queued and visited.
        .filter_entry(|entry| {
            entry.file_type().is_some_and(|t| t.is_dir()) || is_markdown_bytes(entry.path())
        })
        .build_parallel();
    let found = Mutex::new(Vec::new());
    let keep = &keep;
    walker.run(|| {
        // Each walking thread collects its own, and hands them over once, when it is done.
        let mut mine = HandOver {
            into: &found,
            kept: Vec::new(),
        };
        Box::new(move |entry| {
            mine.kept.extend(visit(root, entry, keep));
            ignore::WalkState::Continue
        })
    });
    found.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// What one walking thread kept, added to the shared list when the thread is done.
struct HandOver<'a, T> {
    into: &'a Mutex<Vec<T>>,
    kept: Vec<T>,
}

impl<T> Drop for HandOver<'_, T> {
    fn drop(&mut self) {
        let mut into = self.into.lock().unwrap_or_else(|e| e.into_inner());
        into.append(&mut self.kept);
    }
}

/// What `keep` makes of one entry, told as [`Walked`]; nothing of the root itself, of a
/// folder not named like a markdown file (entered, not yielded), or of what is neither a
/// file nor a folder.
fn visit<T>(
    root: &Path,
    entry: Result<ignore::DirEntry, ignore::Error>,
    keep: impl Fn(Walked<'_>) -> Option<T>,
) -> Option<T> {
    let entry = match entry {
        Ok(entry) => entry,
        Err(error) => {
            let path = error_path(&error).unwrap_or_else(|| root.to_path_buf());
            return keep(Walked::Unenterable {
                path: without_leading_dot(&path).to_path_buf(),
                reason: io_reason(&error),
            });
        }
    };
    if entry.depth() == 0 || !is_markdown_bytes(entry.path()) {
        return None;
    }
    let file_type = entry.file_type()?;
    if !(file_type.is_file() || file_type.is_dir()) {
        return None;
    }
    keep(Walked::Candidate {
        path: without_leading_dot(entry.path()),
        is_folder: file_type.is_dir(),
    })
}

/// [`super::is_markdown_name`] for a walked path (a folder's joined with a name read from
/// it, so never one ending in a separator), read from its bytes.
fn is_markdown_bytes(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    let Some(extension) = bytes.len().checked_sub(3).map(|at| &bytes[at..]) else {
        return false;
    };
    let stem = bytes.len() > 3 && !std::path::is_separator(char::from(bytes[bytes.len() - 4]));
    stem && extension.eq_ignore_ascii_case(b".md")
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

#[cfg(test)]
mod tests {
    use super::*;

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
            let by_name = super::super::is_markdown_name(path);
            assert_eq!(is_markdown_bytes(path), by_name, "{path:?}");
        }
    }

    #[test]
    fn a_walk_yields_markdown_files_and_folders_and_leaves_out_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        for file in [
            "a.md",
            "b.json",
            "sub/c.MD",
            "sub/M01-v1-x.md/inside.md",
            ".hidden/d.md",
            "ignored/e.md",
            "notes/f.txt",
        ] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        std::fs::write(dir.path().join(".gitignore"), "ignored/\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("a.md"), dir.path().join("link.md")).unwrap();
        let mut found = walk(dir.path(), 2, |walked| match walked {
            Walked::Candidate { path, is_folder } => {
                let relative = path.strip_prefix(dir.path()).unwrap();
                Some((relative.to_string_lossy().replace('\\', "/"), is_folder))
            }
            Walked::Unenterable { path, reason } => panic!("{path:?}: {reason}"),
        });
        found.sort();
        let found: Vec<(&str, bool)> = found.iter().map(|(p, f)| (p.as_str(), *f)).collect();
        assert_eq!(
            found,
            [
                ("a.md", false),
                ("sub/M01-v1-x.md", true),
                ("sub/M01-v1-x.md/inside.md", false),
                ("sub/c.MD", false),
            ]
        );
    }
}
