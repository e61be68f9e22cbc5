//! Reading with limits: only a regular file is read, never past a limit, and nothing waits
//! on a FIFO or a device (files are opened non-blocking and their type checked once open).

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::stat::{kind_of, lies_within};

/// The most a plan may hold (rules.md, PC001).
pub const PLAN_LIMIT: u64 = 64 << 20;
/// The most a project JSON file may hold (rules.md, PC601).
pub const PROJECT_FILE_LIMIT: u64 = 64 << 20;
/// The most a config file may hold (cli.md).
pub const CONFIG_LIMIT: u64 = 1 << 20;
/// The most a baseline may hold: a million findings.
pub const BASELINE_LIMIT: u64 = 256 << 20;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    /// Not a regular file; what it is instead (`a folder`, `a FIFO`).
    NotRegular(&'static str),
    TooLarge {
        limit: u64,
    },
    /// A link, or a file in a folder, that leads outside the folder reads are bounded to.
    Outside,
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        ReadError::Io(error)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(error) => match error.kind() {
                io::ErrorKind::NotFound => f.write_str("it does not exist"),
                io::ErrorKind::PermissionDenied => f.write_str("permission denied"),
                _ => write!(f, "{error}"),
            },
            ReadError::NotRegular(kind @ "a folder") => write!(f, "it is {kind}"),
            ReadError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge { limit } => write!(f, "it is larger than {} MiB", limit >> 20),
            ReadError::Outside => f.write_str("it leads outside the management folder"),
        }
    }
}

/// Reads `file`, just opened, into `buffer` when it is a regular file of at most `limit`
/// bytes. Its type and size are asked of the open file, so a file swapped for a FIFO since
/// it was looked at is still not read; and no more than `limit` bytes are read should it
/// grow meanwhile.
fn read_open(file: File, limit: u64, buffer: &mut Vec<u8>) -> Result<(), ReadError> {
    let (file, size) = regular(file, limit)?;
    // Room for the whole file at once (and the byte that tells it is at its end): a buffer
    // grown by doubling would take up to twice a large file's size.
    let room = usize::try_from(size).unwrap_or(usize::MAX);
    buffer.reserve(room.saturating_add(1));
    file.take(limit + 1).read_to_end(buffer)?;
    if buffer.len() as u64 > limit {
        buffer.clear();
        return Err(ReadError::TooLarge { limit });
    }
    Ok(())
}

/// Opens `path` for reading without waiting: a FIFO with no writer opens at once (and is
/// then refused by its type) instead of blocking until one comes. Unless `follow`, a link
/// at `path` itself is not opened but refused (see [`is_link`]).
fn open_by_path(path: &Path, follow: bool) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        let flags = if follow {
            OFlags::NONBLOCK
        } else {
            OFlags::NONBLOCK | OFlags::NOFOLLOW
        };
        options.custom_flags(flags.bits() as i32);
    }
    #[cfg(not(unix))]
    if !follow && std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(io::Error::from_raw_os_error(LINK_REFUSED));
    }
    options.open(path)
}

/// What opening a link without following it fails with.
#[cfg(unix)]
const LINK_REFUSED: i32 = rustix::io::Errno::LOOP.raw_os_error();
#[cfg(not(unix))]
const LINK_REFUSED: i32 = -1;

/// Whether opening failed because the file is a link that was not to be followed (FreeBSD
/// says so with `EMLINK`).
fn is_link(error: &io::Error) -> bool {
    #[cfg(unix)]
    if error.raw_os_error() == Some(rustix::io::Errno::MLINK.raw_os_error()) {
        return true;
    }
    error.raw_os_error() == Some(LINK_REFUSED)
}

/// Reads all of `stream` (standard input) when it holds at most `limit` bytes.
pub fn read_stream(stream: &mut dyn Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    stream.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Reads the file at `path` when it is a regular file of at most `limit` bytes. Its type is
/// asked before it is opened, so a device is never opened at all.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let metadata = std::fs::metadata(path)?;
    if let Some(kind) = kind_of(metadata.file_type()) {
        return Err(ReadError::NotRegular(kind));
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut buffer = Vec::new();
    read_open(open_by_path(path, true)?, limit, &mut buffer)?;
    Ok(buffer)
}

/// The start of the regular file at `path`, of at most `limit` bytes, read in pieces until
/// `end` finds, in what was read so far, where what the caller needs of it ends: so the
/// rest of a long file is never read. All of it when `end` finds no end.
pub fn read_head(
    path: &Path,
    limit: u64,
    mut end: impl FnMut(&[u8]) -> Option<usize>,
) -> Result<Vec<u8>, ReadError> {
    let (file, _) = regular(open_by_path(path, true)?, limit)?;
    let mut file = file.take(limit);
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let read = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        head.extend_from_slice(&chunk[..read]);
        if let Some(end) = end(&head) {
            head.truncate(end);
            break;
        }
    }
    Ok(head)
}

/// `file`, just opened, with its size, when it is a regular file of at most `limit` bytes:
/// asked of the open file, so one swapped for a FIFO since it was looked at is refused too.
fn regular(file: File, limit: u64) -> Result<(File, u64), ReadError> {
    let metadata = file.metadata()?;
    if let Some(kind) = kind_of(metadata.file_type()) {
        return Err(ReadError::NotRegular(kind));
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok((file, metadata.len()))
}

/// Reads files one after another, as each thread of a parallel run does.
#[derive(Default)]
pub struct FileReader {
    /// The folder of the last file read within a root, the root, and whether the folder
    /// (its links resolved) lies within it: asked once a folder, not once a file.
    within: Option<(std::path::PathBuf, std::path::PathBuf, bool)>,
}

impl FileReader {
    /// Reads all of the file at `path` into `buffer`, whose room is kept from file to file,
    /// when it is a regular file of at most `limit` bytes. Its type is not asked before it
    /// is opened: the caller knows it from the folder's listing, or asked itself.
    pub fn read(&mut self, path: &Path, limit: u64, buffer: &mut Vec<u8>) -> Result<(), ReadError> {
        buffer.clear();
        let file = open_by_path(path, true)?;
        read_open(file, limit, buffer)
    }

    /// [`FileReader::read`] for a file that must lie within `root` (a folder with its links
    /// resolved): a link, or a link among its folders, that leads out of it is not followed.
    pub fn read_within(
        &mut self,
        path: &Path,
        root: &Path,
        limit: u64,
        buffer: &mut Vec<u8>,
    ) -> Result<(), ReadError> {
        buffer.clear();
        let folder = path.parent().unwrap_or(Path::new(""));
        let inside = match &self.within {
            Some((known, known_root, inside)) if known == folder && known_root == root => *inside,
            _ => {
                let inside = lies_within(folder, root);
                self.within = Some((folder.to_path_buf(), root.to_path_buf(), inside));
                inside
            }
        };
        if !inside {
            return Err(ReadError::Outside);
        }
        let file = match open_by_path(path, false) {
            Err(error) if is_link(&error) => {
                let target = std::fs::canonicalize(path)?;
                if !target.starts_with(root) {
                    return Err(ReadError::Outside);
                }
                open_by_path(&target, false)?
            }
            opened => opened?,
        };
        read_open(file, limit, buffer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: u64 = 1 << 20;

    #[test]
    fn a_reader_reads_files_one_after_another_and_no_folder() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        for (folder, name) in [(&a, "1.md"), (&a, "2.md"), (&b, "1.md")] {
            let text = format!("{}/{name}", folder.display());
            std::fs::write(folder.join(name), text).unwrap();
        }
        let mut reader = FileReader::default();
        let mut buffer = Vec::new();
        for path in [
            a.join("1.md"),
            a.join("2.md"),
            b.join("1.md"),
            a.join("2.md"),
        ] {
            reader.read(&path, LIMIT, &mut buffer).unwrap();
            assert_eq!(buffer, path.display().to_string().as_bytes());
        }
        assert!(matches!(
            reader.read(&a, LIMIT, &mut buffer),
            Err(ReadError::NotRegular("a folder"))
        ));
    }

    #[test]
    fn a_file_over_the_limit_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        std::fs::write(&path, "x".repeat(11)).unwrap();
        let mut buffer = Vec::new();
        let read = FileReader::default().read(&path, 10, &mut buffer);
        assert!(matches!(read, Err(ReadError::TooLarge { limit: 10 })));
        assert!(matches!(
            read_capped(&path, 10),
            Err(ReadError::TooLarge { limit: 10 })
        ));
        assert_eq!(read_capped(&path, 11).unwrap().len(), 11);
    }

    #[test]
    fn a_head_is_read_until_its_end_is_found_and_no_further() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.md");
        let text = format!("head\nEND\n{}", "body\n".repeat(4000));
        std::fs::write(&path, &text).unwrap();
        let mut seen = 0;
        let head = read_head(&path, LIMIT, |read| {
            seen = read.len();
            read.windows(4).position(|w| w == b"END\n")
        })
        .unwrap();
        assert_eq!(head, b"head\n");
        assert!(seen < text.len(), "read {seen} of {} bytes", text.len());
        assert_eq!(read_head(&path, LIMIT, |_| None).unwrap(), text.as_bytes());
        assert!(matches!(
            read_head(&path, 10, |_| None),
            Err(ReadError::TooLarge { limit: 10 })
        ));
        assert!(matches!(
            read_head(dir.path(), LIMIT, |_| None),
            Err(ReadError::NotRegular("a folder"))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_device_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("plan.md");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
        )
        .unwrap();
        let mut buffer = Vec::new();
        // Opened anyway (as a file swapped for a FIFO after its listing would be): refused by
        // the open file's type, not waited on.
        let read = FileReader::default().read(&fifo, LIMIT, &mut buffer);
        assert!(
            matches!(read, Err(ReadError::NotRegular("a FIFO"))),
            "{read:?}"
        );
        assert!(matches!(
            read_capped(&fifo, LIMIT),
            Err(ReadError::NotRegular("a FIFO"))
        ));
        assert!(matches!(
            read_capped(Path::new("/dev/zero"), LIMIT),
            Err(ReadError::NotRegular("a device"))
        ));
        assert_eq!(
            ReadError::NotRegular("a FIFO").to_string(),
            "it is a FIFO, not a regular file"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_within_a_root_is_read_only_where_its_links_stay_within() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("in")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(root.join("in/real.json"), "inside").unwrap();
        std::fs::write(outside.join("secret.json"), "secret").unwrap();
        symlink(root.join("in/real.json"), root.join("in/link.json")).unwrap();
        symlink(outside.join("secret.json"), root.join("in/out.json")).unwrap();
        symlink(&outside, root.join("linked")).unwrap();
        let root = std::fs::canonicalize(&root).unwrap();
        let mut reader = FileReader::default();
        let mut buffer = Vec::new();
        let mut read = |path: &str| {
            let read = reader.read_within(&root.join(path), &root, LIMIT, &mut buffer);
            read.map(|()| String::from_utf8(buffer.clone()).unwrap())
        };
        assert_eq!(read("in/real.json").unwrap(), "inside");
        assert_eq!(read("in/link.json").unwrap(), "inside");
        assert!(matches!(read("in/out.json"), Err(ReadError::Outside)));
        assert!(matches!(
            read("linked/secret.json"),
            Err(ReadError::Outside)
        ));
        assert!(matches!(read("in"), Err(ReadError::NotRegular("a folder"))));
        assert!(lies_within(&root.join("in"), &root));
        assert!(!lies_within(&root.join("linked"), &root));
    }
}
