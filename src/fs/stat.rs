//! What stands at a path, asked of the file system without opening anything: whether it
//! is a file, a folder or something else, and where its links lead. It reads no file.

use std::fs::FileType;
use std::path::{Path, PathBuf};

/// What stands at a path, its links followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Folder,
    /// Neither a regular file nor a folder: what it is (`a FIFO`, `a device`).
    Special(&'static str),
    /// A link that leads nowhere, or round in a loop.
    BrokenLink,
}

/// What stands at `path`; `None` when nothing does.
pub fn entry_kind(path: &Path) -> Option<EntryKind> {
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => Some(EntryKind::Folder),
        Ok(metadata) => {
            Some(kind_of(metadata.file_type()).map_or(EntryKind::File, EntryKind::Special))
        }
        Err(_) => entry_exists(path).then_some(EntryKind::BrokenLink),
    }
}

/// Whether anything stands at `path` itself: a file, a folder, or a link, even one that
/// leads nowhere (which `Path::exists` would deny).
pub fn entry_exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Whether `path`, its links followed, is a folder.
pub fn is_folder(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|metadata| metadata.is_dir())
}

/// `path` with every link, `.` and `..` resolved; `None` when it does not exist.
pub fn canonical(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// What a file of type `file_type` is, when it is not a regular file.
pub(super) fn kind_of(file_type: FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
    }
    if file_type.is_symlink() {
        return Some("a symbolic link");
    }
    Some("a special file")
}

/// Whether `path`, its links resolved, is `root` or lies below it (`root` resolved too).
pub fn lies_within(path: &Path, root: &Path) -> bool {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    canonical(path).is_some_and(|path| path.starts_with(root))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_stands_at_a_path_is_told_with_its_links_followed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.md");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(entry_kind(&file), Some(EntryKind::File));
        assert_eq!(entry_kind(dir.path()), Some(EntryKind::Folder));
        assert_eq!(entry_kind(&dir.path().join("none.md")), None);
        assert!(is_folder(dir.path()) && !is_folder(&file));
        assert!(entry_exists(&file) && !entry_exists(&dir.path().join("none.md")));
        #[cfg(unix)]
        {
            let linked = dir.path().join("linked");
            std::os::unix::fs::symlink(dir.path(), &linked).unwrap();
            assert_eq!(entry_kind(&linked), Some(EntryKind::Folder));
            let dangling = dir.path().join("dangling.md");
            std::os::unix::fs::symlink(dir.path().join("none.md"), &dangling).unwrap();
            assert_eq!(entry_kind(&dangling), Some(EntryKind::BrokenLink));
            assert!(entry_exists(&dangling));
            assert_eq!(
                entry_kind(Path::new("/dev/null")),
                Some(EntryKind::Special("a device"))
            );
        }
    }
}
