//! Which management folder each input of a run belongs to, and where in it each stands, from
//! the inputs' paths alone. It reads no file: `fs` tells which folders exist.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::RunPlans;
use crate::fs::{absolute, folder_and_name};

/// Where to look for the management folder of a plan.
#[derive(Debug, Clone)]
pub struct ProjectOptions {
    /// `--project DIR` or the config's `project.root`: the one folder for every plan.
    pub root: Option<PathBuf>,
    /// The name discovery looks for among a plan's ancestors.
    pub folder_name: String,
}

impl Default for ProjectOptions {
    fn default() -> Self {
        ProjectOptions {
            root: None,
            folder_name: "projectManagement".to_string(),
        }
    }
}

/// The management folder of the plan at `plan_path`, found as `layout.md` says; `None` when
/// there is none.
pub fn find_root(plan_path: &Path, options: &ProjectOptions) -> Option<PathBuf> {
    if let Some(root) = &options.root {
        return Some(root.clone());
    }
    // `..` resolved: `../pm/Implementations/a.md` and `a.md`, named from within
    // `pm/Implementations`, are of one project, loaded once.
    let absolute = crate::fs::absolute(plan_path);
    let ancestors: Vec<&Path> = absolute.ancestors().skip(1).collect();
    if let Some(named) = ancestors.iter().find(|a| {
        a.file_name()
            .is_some_and(|n| n == options.folder_name.as_str())
    }) {
        return Some(named.to_path_buf());
    }
    // `<root>/Implementations/<state>/plan.md`
    if let [_, implementations, root, ..] = ancestors.as_slice() {
        if implementations
            .file_name()
            .is_some_and(|n| n == "Implementations")
        {
            return Some(root.to_path_buf());
        }
    }
    ancestors
        .iter()
        .find(|a| {
            ["Tasks", "ProjectFlow", "Themes"]
                .iter()
                .any(|d| crate::fs::is_folder(&a.join(d)))
        })
        .map(|a| a.to_path_buf())
}

/// Whether `folder` is an `Implementations/<state>/` folder: `<state>` is `active` or one of
/// `completed_dirs`. A path too short to tell (`.`, `active`, `../x`) is told by its
/// absolute form.
pub fn is_state_folder(folder: &Path, completed_dirs: &[String]) -> bool {
    let by_names = |folder: &Path| {
        let state = folder.file_name()?;
        let implementations = folder.parent()?.file_name()?;
        let is_state = state == "active" || completed_dirs.iter().any(|d| state == d.as_str());
        Some(is_state && implementations == "Implementations")
    };
    by_names(folder)
        .or_else(|| by_names(&absolute(folder)))
        .unwrap_or(false)
}

/// The projects of a run's inputs.
#[derive(Debug, Default)]
pub struct Placement {
    /// Each management folder once, in the order of the first input in it.
    pub roots: Vec<PathBuf>,
    /// Each input's project, as an index into `roots`.
    pub root_of: Vec<Option<usize>>,
    /// Each project's inputs, by their paths relative to its root (unsorted).
    pub run_plans: Vec<RunPlans>,
}

/// The projects of the inputs at `locations` (`None`: an input with no place in any). The
/// inputs of one folder share their project and their place in it but for their names, and
/// a walk lists them together: each run of them is looked at once, not each input (a look
/// at a path's folders and making it absolute cost ten thousand instructions an input).
pub fn locate(locations: &[Option<&Path>], options: &ProjectOptions) -> Placement {
    let runs = runs_of_one_folder(locations);
    // In parallel: a run of a hundred thousand plans, each in a folder of its own, looks at
    // each plan's folders.
    let found: Vec<Option<PathBuf>> = runs
        .par_iter()
        .map(|run| locations[run.start].and_then(|location| find_root(location, options)))
        .collect();
    let mut located = Placement {
        root_of: vec![None; locations.len()],
        ..Placement::default()
    };
    let mut known: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let mut root_of_run = Vec::with_capacity(runs.len());
    for (run, root) in runs.iter().zip(found) {
        let at = root.map(|root| {
            let next = known.len();
            *known.entry(root).or_insert(next)
        });
        root_of_run.push(at);
        located.root_of[run.clone()].fill(at);
    }
    located.roots = vec![PathBuf::new(); known.len()];
    for (root, at) in known {
        located.roots[at] = root;
    }
    located.run_plans = located.roots.iter().map(|_| RunPlans::default()).collect();
    let absolute_roots: Vec<PathBuf> = located.roots.iter().map(|r| absolute(r)).collect();
    for (run, root) in runs.into_iter().zip(root_of_run) {
        let Some(root) = root else {
            continue;
        };
        let run_plans = &mut located.run_plans[root];
        let place = |location: &Path| {
            let absolute = absolute(location);
            let relative = absolute.strip_prefix(&absolute_roots[root]).ok()?;
            Some(relative.to_path_buf())
        };
        // The folder's place in the project, once; each input's is its name below it.
        let folder = locations[run.start].and_then(|first| {
            let first = absolute(first);
            let folder = first.parent()?.strip_prefix(&absolute_roots[root]).ok()?;
            Some(folder.to_path_buf())
        });
        for (input, location) in run.clone().zip(&locations[run]) {
            let (Some(location), Ok(input)) = (location, u32::try_from(input)) else {
                continue;
            };
            match (&folder, folder_and_name(location)) {
                (Some(folder), Some((_, name))) => run_plans.push_joined(folder, name, input),
                _ => {
                    if let Some(relative) = place(location) {
                        run_plans.push(&relative, input);
                    }
                }
            }
        }
    }
    located
}

/// The inputs in runs that share a folder, as `folder_and_name` tells it; any other input is
/// a run of its own.
fn runs_of_one_folder(locations: &[Option<&Path>]) -> Vec<Range<usize>> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut folder_of_last: Option<&[u8]> = None;
    for (at, location) in locations.iter().enumerate() {
        let folder = location.and_then(folder_and_name).map(|(folder, _)| folder);
        match runs.last_mut() {
            Some(last) if folder.is_some() && folder == folder_of_last => last.end = at + 1,
            _ => runs.push(at..at + 1),
        }
        folder_of_last = folder;
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The projects as they were found, input by input.
    fn one_by_one(locations: &[Option<&Path>], options: &ProjectOptions) -> Placement {
        let mut located = Placement {
            root_of: vec![None; locations.len()],
            ..Placement::default()
        };
        let mut known: BTreeMap<PathBuf, usize> = BTreeMap::new();
        for (location, root_of) in locations.iter().zip(&mut located.root_of) {
            if let Some(root) = location.and_then(|l| find_root(l, options)) {
                let next = known.len();
                *root_of = Some(*known.entry(root).or_insert(next));
            }
        }
        located.roots = vec![PathBuf::new(); known.len()];
        for (root, at) in known {
            located.roots[at] = root;
        }
        located.run_plans = located.roots.iter().map(|_| RunPlans::default()).collect();
        let absolute_roots: Vec<PathBuf> = located.roots.iter().map(|r| absolute(r)).collect();
        for (input, (location, root)) in locations.iter().zip(&located.root_of).enumerate() {
            let (Some(location), Some(root)) = (location, *root) else {
                continue;
            };
            let absolute = absolute(location);
            if let Ok(relative) = absolute.strip_prefix(&absolute_roots[root]) {
                located.run_plans[root].push(relative, input as u32);
            }
        }
        located
    }

    #[test]
    fn inputs_are_placed_as_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("pm");
        for folder in ["Implementations/active", "Implementations/done", "Tasks"] {
            std::fs::create_dir_all(root.join(folder)).unwrap();
        }
        std::fs::create_dir_all(dir.path().join("other/Themes")).unwrap();
        let base = dir.path().display().to_string();
        let cwd = crate::fs::current_dir().unwrap();
        let here = cwd.file_name().unwrap().to_str().unwrap();
        let written = [
            format!("{base}/pm/Implementations/active/M01-v1-a.md"),
            format!("{base}/pm/Implementations/active/M02-v1-b.md"),
            format!("{base}/pm/Implementations/active//M03-v1-c.md"),
            format!("{base}/pm/Implementations/active/./M04-v1-d.md"),
            format!("{base}/pm/Implementations/done/../active/M05-v1-e.md"),
            format!("{base}/pm/Implementations/done/M06-v1-f.md"),
            format!("{base}/pm/Implementations/done/M06-v1-f.md/.."),
            format!("{base}/pm/Implementations/done/M06-v1-f.md/."),
            format!("{base}/pm/Implementations/done/"),
            format!("{base}/pm/M07-v1-g.md"),
            format!("{base}/pm"),
            format!("{base}/other/x/M08-v1-h.md"),
            format!("{base}/other/x/M09-v1-i.md"),
            format!("{base}/nowhere/M10-v1-j.md"),
            "M11-v1-k.md".to_string(),
            "-".to_string(),
            "/M12-v1-l.md".to_string(),
            "pm/Implementations/active/M13-v1-m.md".to_string(),
            "./pm/Implementations/active/M14-v1-n.md".to_string(),
            format!("../{here}/pm/Implementations/active/M15-v1-o.md"),
            format!("{base}/pm/Implementations/active/M16-v1-p.md"),
        ];
        let mut locations: Vec<Option<&Path>> =
            written.iter().map(|p| Some(Path::new(p))).collect();
        locations.insert(3, None);
        let show = |located: &Placement| format!("{located:?}");
        let options = ProjectOptions::default();
        assert_eq!(
            show(&locate(&locations, &options)),
            show(&one_by_one(&locations, &options))
        );
        for project in [root.clone(), root.join("Implementations/done/M06-v1-f.md")] {
            let options = ProjectOptions {
                root: Some(project),
                ..ProjectOptions::default()
            };
            assert_eq!(
                show(&locate(&locations, &options)),
                show(&one_by_one(&locations, &options))
            );
        }
        let located = locate(&locations, &ProjectOptions::default());
        assert_eq!(located.roots.len(), 3, "{:?}", located.roots);
    }

    #[test]
    fn state_folders_are_active_and_the_completed_ones_below_implementations() {
        let completed = ["completed".to_string(), "archive".to_string()];
        for folder in [
            "projectManagement/Implementations/active",
            "Implementations/completed",
            "/p/Implementations/archive",
            "a/Implementations/b/Implementations/active",
        ] {
            assert!(is_state_folder(Path::new(folder), &completed), "{folder}");
        }
        for folder in [
            "projectManagement/Implementations",
            "Implementations/drafts",
            "Implementations/active/deeper",
            "implementations/active",
            "docs/active",
            "active",
            "",
        ] {
            assert!(!is_state_folder(Path::new(folder), &completed), "{folder}");
        }
        assert!(!is_state_folder(
            Path::new("Implementations/done"),
            &completed
        ));
        assert!(is_state_folder(
            Path::new("Implementations/done"),
            &["done".to_string()]
        ));
        // Too short to tell by its names: told by where it is.
        let active = Path::new("/p/Implementations/active");
        assert!(is_state_folder(&active.join("sub/.."), &completed));
        assert!(!is_state_folder(&active.join(".."), &completed));
    }
}
