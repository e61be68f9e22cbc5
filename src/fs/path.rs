//! Paths as plancheck names them: made absolute and compared without asking the disk, shown
//! relative to the current folder, split by their bytes. It opens nothing and knows no plan.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

/// The folder plancheck runs in, asked once: paths are made absolute for every plan of a run.
pub fn current_dir() -> Option<&'static Path> {
    static CURRENT: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    CURRENT
        .get_or_init(|| std::env::current_dir().ok())
        .as_deref()
}

/// The absolute form of a path, for telling whether two paths of a run name one file:
/// made absolute against the current folder, `.` and `..` resolved by the names alone.
/// Links are not followed: both sides come from the same paths, and asking the file system
/// for every plan costs a dozen calls each.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = match current_dir() {
        Some(cwd) if path.is_relative() => cwd.join(path),
        _ => path.to_path_buf(),
    };
    let mut normal = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// `path` as written from inside `folder`, both made [`absolute`], with `/` between names
/// on every system: `../plans/x.md` when `path` is not below it. What a file keeps or
/// matches paths by (a baseline, a config's globs) reads the same from any current folder
/// and on any system.
pub fn relative_to(path: &Path, folder: &Path) -> String {
    let (path, folder) = (absolute(path), absolute(folder));
    let shared = path
        .components()
        .zip(folder.components())
        .take_while(|(a, b)| a == b)
        .count();
    let climbs = folder
        .components()
        .skip(shared)
        .map(|_| Cow::Borrowed(".."));
    let names = path
        .components()
        .skip(shared)
        .map(|name| name.as_os_str().to_string_lossy());
    climbs.chain(names).collect::<Vec<_>>().join("/")
}

/// `path` without a first `.` component (`./a` is `a`, `.` is empty): paths stay as the user
/// would write them.
pub fn without_leading_dot(path: &Path) -> &Path {
    path.strip_prefix(".").unwrap_or(path)
}

/// `path` relative to the current folder when it lies below it: paths are shown as the user
/// would type them.
pub fn relative_to_current_dir(path: &Path) -> PathBuf {
    let relative = current_dir().and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    match relative {
        Some(r) if r.as_os_str().is_empty() => PathBuf::from("."),
        Some(r) => r,
        None => path.to_path_buf(),
    }
}

/// A path's bytes split at its last separator: what stands before it (`None` when it has
/// none) and its last name, read without a parse of the path's components.
pub fn split_at_last_separator(path: &Path) -> (Option<&[u8]>, &[u8]) {
    let bytes = path.as_os_str().as_encoded_bytes();
    match bytes
        .iter()
        .rposition(|&b| std::path::is_separator(char::from(b)))
    {
        Some(at) => (Some(&bytes[..at]), &bytes[at + 1..]),
        None => (None, bytes),
    }
}

/// A path's folder as written (the bytes before its last separator) and its name, when the
/// name is a plain one: then the path made absolute is the folder's, made absolute, with the
/// name below it.
pub fn folder_and_name(path: &Path) -> Option<(&[u8], &[u8])> {
    let (folder, name) = split_at_last_separator(path);
    let folder = folder?;
    let plain = !matches!(name, b"" | b"." | b"..");
    // A folder of nothing is the root, which `..` cannot leave: placed one by one.
    (plain && !folder.is_empty()).then_some((folder, name))
}

/// Whether a path names a markdown file: `.md`, in any case.
pub fn is_markdown_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// The folder a file stands in below the nearest `folder` above it (`Some(None)` when it
/// stands in `folder` itself); `None` when no folder above it is so named. Read from its
/// path made [`absolute`], so a file named from within its folder (`M01-v1-a.md`) is placed.
pub fn folder_below(absolute: &Path, folder: &str) -> Option<Option<String>> {
    let names: Vec<&std::ffi::OsStr> = (absolute.parent()?.components())
        .filter_map(|component| match component {
            Component::Normal(name) => Some(name),
            _ => None,
        })
        .collect();
    let at = names.iter().rposition(|name| *name == folder)?;
    Some(names.get(at + 1).map(|name| os_text(name).into_owned()))
}

/// Whether a file name from a project file (`filename`, `filePath`, `file`) names a file
/// inside the folder it is read against. One holding `..`, an absolute path or a drive
/// letter (`C:\`, `C:/`) names a file that does not exist, and so does one naming a folder
/// (empty, or ending in `.` or a separator).
pub fn stays_inside(name: &str) -> bool {
    let drive_letter =
        matches!(name.as_bytes(), [letter, b':', ..] if letter.is_ascii_alphabetic());
    let absolute = name.starts_with(['/', '\\']);
    let mut parts = name.split(['/', '\\']);
    let names_a_file = parts
        .next_back()
        .is_some_and(|last| !matches!(last, "" | "." | ".."));
    !drive_letter && !absolute && names_a_file && parts.all(|part| part != "..")
}

/// A path or file name as text: borrowed where it is UTF-8, else with each invalid sequence
/// replaced, as `display()` shows it.
pub fn os_text(name: &std::ffi::OsStr) -> Cow<'_, str> {
    name.to_string_lossy()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_to_a_folder_climbs_out_with_dot_dots() {
        let cases = [
            ("/a/b/c.md", "/a", "b/c.md"),
            ("/a/b/c.md", "/a/b", "c.md"),
            ("/a/b/c.md", "/a/x/y", "../../b/c.md"),
            ("/a/b/./c.md", "/a/x/..", "b/c.md"),
        ];
        for (path, folder, expected) in cases {
            let got = relative_to(Path::new(path), Path::new(folder));
            assert_eq!(got, expected, "{path} from {folder}");
        }
    }

    #[test]
    fn absolute_paths_are_those_of_the_standard_library_with_dot_dot_resolved() {
        let resolved = |path: PathBuf| {
            let mut normal = PathBuf::new();
            for component in path.components() {
                match component {
                    Component::ParentDir => {
                        normal.pop();
                    }
                    other => normal.push(other),
                }
            }
            normal
        };
        for path in [
            "a/b.md",
            "./a/b.md",
            "a//b.md",
            "a/./b/",
            "a/../b.md",
            ".",
            "/x/y",
            "/x//y/.",
            ".//a.md",
            "./.hidden/a.md",
            "./",
            "..",
            "../a",
            ".a/b",
            "a/.",
            "/",
            "./a/./b//",
            "././a.md",
        ] {
            let path = Path::new(path);
            let standard = std::path::absolute(path).unwrap();
            assert_eq!(absolute(path), resolved(standard), "{}", path.display());
        }
    }

    #[test]
    fn paths_compared_across_the_run_resolve_dot_dot_and_nothing_else() {
        let cwd = current_dir().unwrap();
        assert_eq!(absolute(Path::new("/x/a/../b.md")), Path::new("/x/b.md"));
        assert_eq!(absolute(Path::new("/x/./b.md")), Path::new("/x/b.md"));
        assert_eq!(
            absolute(Path::new("/x/.a/..b.md")),
            Path::new("/x/.a/..b.md")
        );
        assert_eq!(absolute(Path::new("/x/y/..")), Path::new("/x"));
        assert_eq!(absolute(Path::new("pm/a.md")), cwd.join("pm/a.md"));
        assert_eq!(absolute(Path::new("pm/../a.md")), cwd.join("a.md"));
    }

    #[test]
    fn the_folder_below_is_the_one_after_the_last_of_that_name() {
        let below = |path: &str| folder_below(&absolute(Path::new(path)), "Implementations");
        let some = |name: &str| Some(Some(name.to_string()));
        assert_eq!(
            below("/p/projectManagement/Implementations/active/M01-v1-a.md"),
            some("active")
        );
        assert_eq!(
            below("projectManagement/Implementations/completed/M01-v1-a.md"),
            some("completed")
        );
        assert_eq!(below("/Implementations/M01-v1-a.md"), Some(None));
        assert_eq!(
            below("/a/Implementations/b/Implementations/active/M01-v1-a.md"),
            some("active")
        );
        assert_eq!(
            below("/a/Implementations/active/Implementations/M01-v1-a.md"),
            Some(None)
        );
        assert_eq!(
            below("/a/Implementations/active/deeper/M01-v1-a.md"),
            some("active")
        );
        assert_eq!(
            below("/Implementations/./active/M01-v1-a.md"),
            some("active")
        );
        assert_eq!(below("/Implementations/../active/M01-v1-a.md"), None);
        assert_eq!(below("/Implementations/active/../M01-v1-a.md"), Some(None));
        assert_eq!(below("/docs/plans/M01-v1-a.md"), None);
        assert_eq!(below("/implementations/active/M01-v1-a.md"), None);
    }

    /// A file named from within its folder is in that folder all the same.
    #[test]
    fn the_folder_below_is_read_from_the_absolute_path() {
        let cwd = current_dir().unwrap();
        let up = cwd.components().count() - 1;
        let relative: PathBuf = std::iter::repeat_n("..", up)
            .collect::<PathBuf>()
            .join("Implementations/active/M01-v1-a.md");
        assert_eq!(
            folder_below(&absolute(&relative), "Implementations"),
            Some(Some("active".to_string()))
        );
    }

    #[test]
    fn file_names_in_project_files_stay_inside_the_folder() {
        for name in [
            "M01-v1-a.md",
            "sub/M01-v1-a.md",
            "./M01-v1-a.md",
            "a//b.md",
            "a..b.md",
            "...md",
            "C.md",
            "notes:v2.md",
        ] {
            assert!(stays_inside(name), "{name}");
        }
        for name in [
            "",
            ".",
            "..",
            "../M01-v1-a.md",
            "../../outside/M01-v1-a.md",
            "a/../../M01-v1-a.md",
            "a/..",
            "..\\M01-v1-a.md",
            "/etc/passwd",
            "\\\\server\\share\\M01-v1-a.md",
            "C:\\plans\\M01-v1-a.md",
            "C:/plans/M01-v1-a.md",
            "c:M01-v1-a.md",
            "x:y.md",
            "sub/",
            "sub/.",
        ] {
            assert!(!stays_inside(name), "{name}");
        }
    }

    #[test]
    fn names_read_as_display_shows_them() {
        use std::ffi::OsStr;
        assert!(matches!(
            os_text(OsStr::new("M01-v1-ü.md")),
            Cow::Borrowed("M01-v1-ü.md")
        ));
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let name = OsStr::from_bytes(b"M01-\xff.md");
            assert_eq!(os_text(name), Path::new(name).display().to_string());
        }
    }
}
