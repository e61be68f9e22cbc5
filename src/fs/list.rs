//! What folders hold, listed for the project loader: names, never contents. It judges
//! nothing: which names are task files, flows or plans is the loader's to say.

use std::ffi::OsString;
use std::path::PathBuf;

/// The names of the entries of `folder`, whatever each is, in the order the system lists
/// them; none when it cannot be listed. Names, not paths: a path joined for each entry of a
/// large folder would cost more than its name.
pub fn names_in(folder: &std::path::Path) -> Vec<OsString> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect()
}

/// A folder and the names of the regular files directly in it, in the order listed.
#[derive(Debug)]
pub struct Folder {
    pub path: PathBuf,
    pub files: Vec<OsString>,
}

/// `top` and the folders below it, one at a time, depth first. A folder whose name starts
/// with `.` is not entered, and a link is neither entered nor listed as a file, so nothing
/// outside `top` is reached through one; a folder that cannot be listed is passed over.
pub fn folders_below(top: PathBuf) -> impl Iterator<Item = Folder> {
    let mut stack = vec![top];
    std::iter::from_fn(move || loop {
        let path = stack.pop()?;
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        let mut files = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name();
            if kind.is_dir() && !name.as_encoded_bytes().starts_with(b".") {
                stack.push(entry.path());
            } else if kind.is_file() {
                files.push(name);
            }
        }
        return Some(Folder { path, files });
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_below_list_regular_files_and_enter_no_hidden_folder_nor_link() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().join("top");
        for file in ["a.md", "sub/b.md", "sub/deeper/c.md", ".hidden/d.md"] {
            let path = top.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        std::fs::create_dir_all(dir.path().join("outside")).unwrap();
        std::fs::write(dir.path().join("outside/e.md"), "x").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(dir.path().join("outside"), top.join("linked")).unwrap();
            symlink(dir.path().join("outside/e.md"), top.join("e.md")).unwrap();
        }
        let mut listed: Vec<(String, Vec<String>)> = folders_below(top.clone())
            .map(|folder| {
                let place = folder.path.strip_prefix(&top).unwrap();
                let files = folder.files.iter().map(|f| f.to_string_lossy().into());
                (place.to_string_lossy().replace('\\', "/"), files.collect())
            })
            .collect();
        listed.sort();
        let expected = [
            ("", vec!["a.md"]),
            ("sub", vec!["b.md"]),
            ("sub/deeper", vec!["c.md"]),
        ];
        let expected: Vec<(String, Vec<String>)> = (expected.iter())
            .map(|(place, files)| {
                (
                    place.to_string(),
                    files.iter().map(|f| f.to_string()).collect(),
                )
            })
            .collect();
        assert_eq!(listed, expected);
        let mut names = names_in(&top);
        names.sort();
        let mut expected = vec![".hidden", "a.md", "sub"];
        #[cfg(unix)]
        expected.extend(["e.md", "linked"]);
        expected.sort();
        assert_eq!(names, expected);
        assert!(names_in(&top.join("none")).is_empty());
    }
}
