//! The one way plancheck writes a file: whole or not at all, and only at its target.

use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` atomically: into a new file of a unique name in the target's
/// folder (created exclusively, so nothing planted at that name is written through), synced
/// to the disk, then renamed over the target. A reader sees the old file or the new one,
/// never a part; two writers at once each write whole files, and the last rename wins. On
/// failure the temporary file is removed and the target left as it was. An existing
/// target's permissions are kept; a new file gets the usual ones (the umask's).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_whole(path, bytes, Target::Replace)
}

/// Writes `bytes` to a new file at `path`, as [`write_atomic`] does, but never over a file
/// that is there: then it fails with [`io::ErrorKind::AlreadyExists`] and leaves it as it was,
/// however near in time the other file was made.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_whole(path, bytes, Target::New)
}

/// Makes the folder at `path` and the folders above it that do not exist yet.
pub fn create_folders(path: &Path) -> io::Result<()> {
    std::fs::create_dir_all(path)
}

/// Whether a write may replace a file at its target.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Replace,
    New,
}

fn write_whole(path: &Path, bytes: &[u8], target: Target) -> io::Result<()> {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    if path.file_name().is_none() {
        let message = format!("`{}` names no file", path.display());
        return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
    }
    let kept = match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => Some(metadata.permissions()),
        Ok(_) => None,
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(error) => return Err(error),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".plancheck-").suffix(".tmp");
    #[cfg(unix)]
    let builder = {
        use std::os::unix::fs::PermissionsExt;
        // A new file as `File::create` makes it: what the umask leaves of read-write.
        builder.permissions(std::fs::Permissions::from_mode(0o666))
    };
    let mut file = builder.tempfile_in(folder)?;
    file.write_all(bytes)?;
    if let Some(permissions) = kept {
        file.as_file().set_permissions(permissions)?;
    }
    file.as_file().sync_all()?;
    match target {
        Target::Replace => file.persist(path).map(drop),
        Target::New => file.persist_noclobber(path).map(drop),
    }
    .map_err(|error| error.error)?;
    sync_folder(folder);
    Ok(())
}

/// Opens `path` to add to its end, creating it when it does not exist: for a file that
/// others write too, such as the GitHub step summary.
pub fn open_to_append(path: &Path) -> io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
}

/// Makes the rename itself durable where the system allows it; the file is whole either way.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = std::fs::File::open(folder) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_a_new_file_and_replaces_an_old_one_leaving_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(names(dir.path()), ["baseline.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_permissions_of_the_file_it_replaces() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"new").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_any_temporary_name_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep me").unwrap();
        let path = dir.path().join("baseline.json");
        // The names a fixed scheme would use.
        for planted in [
            "baseline.plancheck-tmp",
            ".baseline.json.tmp",
            "baseline.json.tmp",
        ] {
            std::os::unix::fs::symlink(&victim, dir.path().join(planted)).unwrap();
        }
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }

    #[test]
    fn a_new_file_is_never_written_over_one_that_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("M03-v1-x.md");
        write_new(&path, b"first").unwrap();
        let error = write_new(&path, b"second").unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        assert_eq!(names(dir.path()), ["M03-v1-x.md"]);
    }

    #[test]
    fn a_failed_write_leaves_the_target_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // A folder stands at the target: the rename fails.
        let path = dir.path().join("baseline.json");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("inside"), "x").unwrap();
        assert!(write_atomic(&path, b"new").is_err());
        assert_eq!(names(dir.path()), ["baseline.json"]);
        assert!(path.join("inside").exists());
        // No folder to write in.
        assert!(write_atomic(&dir.path().join("no/such/folder/b.json"), b"x").is_err());
    }
}
