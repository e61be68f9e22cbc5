//! Which files are plans (layout.md): the PATHs a user named turned into the files to
//! check, and the tests of a parsed file's shape. It reads no file: `fs` walks and looks.

use std::path::{Path, PathBuf};

use crate::fs::{self, EntryKind, Walked};
use crate::plan::names::file_name_patterns;
use crate::plan::Plan;
use crate::project::{is_state_folder, ProjectOptions};
use crate::schema::Schema;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file to check. `sniff`: found by walking, neither named like a plan nor in an
    /// `Implementations/<state>/` folder, so it is a plan only if [`is_titled_plan`] says so.
    File {
        path: PathBuf,
        sniff: bool,
    },
    /// What cannot be read: a folder the walk could not enter, or a file named that is no
    /// regular file (a FIFO, a socket, a device), which is never opened.
    Unreadable {
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
            Input::Unreadable { .. } => 2,
        };
        (self.path().map(Path::as_os_str), rank)
    }

    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::File { path, .. } | Input::Unreadable { path, .. } => Some(path),
            Input::Stdin => None,
        }
    }
}

/// The inputs for `paths`, sorted and without repeats. A path that does not exist is an
/// error naming it. A project JSON file named (as a pre-commit hook names changed files)
/// stands for the plans of its management folder, which may all depend on it. `threads`
/// walks in parallel (0: one per core); `completed_dirs` are the completed plans' folders.
pub fn discover(
    paths: &[PathBuf],
    options: &ProjectOptions,
    walk_options: &WalkOptions<'_>,
) -> Result<Vec<Input>, PathBuf> {
    let walk = |root: &Path, inputs: &mut Vec<Input>| walk(root, walk_options, inputs);
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match fs::entry_kind(path) {
            Some(EntryKind::Folder) if !fs::is_markdown_name(path) => walk(path, &mut inputs),
            Some(EntryKind::File) if path.extension().is_some_and(|e| e == "json") => {
                if let Some(root) = crate::project::find_root(path, options) {
                    let plans = root.join("Implementations");
                    let shown = fs::relative_to_current_dir(&plans);
                    if fs::is_folder(&plans) {
                        walk(&shown, &mut inputs);
                    }
                }
            }
            // Reading a FIFO or a device may wait forever, or never end: it is not opened.
            Some(EntryKind::Special(kind)) => inputs.push(Input::Unreadable {
                path: path.clone(),
                error: fs::ReadError::NotRegular(kind).to_string(),
            }),
            Some(_) => inputs.push(Input::File {
                path: path.clone(),
                sniff: false,
            }),
            None => return Err(path.clone()),
        }
    }
    sort_and_dedup(&mut inputs);
    Ok(inputs)
}

/// By the bytes of the path, as the report sorts by the path as written. A folder named
/// like a plan is both a file to report and a folder the walk may fail to enter: of the
/// two, the file is kept, whichever walking thread found it first.
fn sort_and_dedup(inputs: &mut Vec<Input>) {
    inputs.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    inputs.dedup_by(|a, b| match (a.path(), b.path()) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    });
}

/// What walks are told beside their roots.
pub struct WalkOptions<'a> {
    /// The folders of `Implementations/` that hold completed plans.
    pub completed_dirs: &'a [String],
    /// Whether a walked path is one the config's `exclude` skips.
    pub excluded: &'a (dyn Fn(&Path) -> bool + Sync),
    /// 0 for one per core.
    pub threads: usize,
}

fn walk(root: &Path, options: &WalkOptions<'_>, inputs: &mut Vec<Input>) {
    inputs.extend(fs::walk(root, options.threads, |walked| {
        let input = input_of(walked, options.completed_dirs)?;
        match &input {
            Input::File { path, .. } if (options.excluded)(path) => None,
            _ => Some(input),
        }
    }));
}

/// What one walked entry is: a plan to check, a folder that could not be entered, or nothing.
fn input_of(walked: Walked<'_>, completed_dirs: &[String]) -> Option<Input> {
    let (path, is_folder) = match walked {
        Walked::Candidate { path, is_folder } => (path, is_folder),
        Walked::Unenterable { path, reason } => {
            return Some(Input::Unreadable {
                path,
                error: reason,
            })
        }
    };
    // A walked path is its folder's joined with a name read from the folder: the name is
    // what follows the last separator.
    let name = std::str::from_utf8(fs::split_at_last_separator(path).1).ok()?;
    let patterns = file_name_patterns();
    // A folder named like a plan is a plan that cannot be read: say so (PC001).
    if is_folder && !patterns.is_plan_name(name) {
        return None;
    }
    let checked_by_place = patterns.is_plan_name(name)
        || path
            .parent()
            .is_some_and(|folder| is_state_folder(folder, completed_dirs));
    Some(Input::File {
        path: path.to_path_buf(),
        sniff: !checked_by_place,
    })
}

/// Whether the plan's first heading is a plan title (layout.md): level 1, of the regular or
/// the high-priority form, `M-<digits>` accepted and ` - ` in ASCII.
fn has_plan_title(plan: &Plan, schema: &Schema) -> bool {
    plan.title().is_some_and(|title| {
        title.level == 1
            && [&schema.regular, &schema.high_priority]
                .iter()
                .any(|kind| kind.title.is_match(&title.text))
    })
}

/// *Plan-shaped* (layout.md): a plan title first, or a `## Metadata` with at least two fields
/// of one kind of plan as `- **Field**: value` bullets. A checked file that is not is told
/// so, and nothing more.
pub fn is_plan_shaped(plan: &Plan, schema: &Schema) -> bool {
    if has_plan_title(plan, schema) {
        return true;
    }
    // In any case: a plan whose field names are miscased is still a plan, told so field by
    // field (PC201), not a file that is none.
    [&schema.regular, &schema.high_priority].iter().any(|kind| {
        let is_field = |name: &str| {
            (kind.fields.iter().chain(&kind.optional_fields)).any(|f| f.eq_ignore_ascii_case(name))
        };
        let mut known: Vec<String> = (plan.fields())
            .filter(|field| is_field(field.name))
            .map(|field| field.name.to_lowercase())
            .collect();
        known.sort_unstable();
        known.dedup();
        known.len() >= 2
    })
}

/// Whether a walked file found neither by its name nor by its folder is a plan: its first
/// heading is exactly a plan title, and its `## Metadata` has a Milestone or Plan Type
/// bullet. Plans of other formats (spec-kit's `# Implementation Plan: User Auth`, or
/// `# Implementation Plan: M01 — Frontend`), READMEs and notes are not.
pub fn is_titled_plan(plan: &Plan, schema: &Schema) -> bool {
    has_plan_title(plan, schema)
        && (plan.field("Milestone").is_some() || plan.field("Plan Type").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_named_folder_that_cannot_be_entered_is_one_input() {
        let path = PathBuf::from("p/M01-v1-x.md");
        let unwalkable = Input::Unreadable {
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

    fn parsed(text: &str, test: fn(&Plan, &Schema) -> bool) -> bool {
        test(&crate::parse::parse(text, None), &Schema::default_schema())
    }

    const METADATA: &str = "\n## Metadata\n- **Milestone**: M01\n- **Status**: active\n";

    /// layout.md's examples, and the forms near them.
    #[test]
    fn titles_and_metadata_make_a_walked_file_a_plan() {
        for title in [
            "# Implementation Plan: M01 - Frontend",
            "# Implementation Plan: M-01 - Frontend",
            "# Implementation Plan: M123 - A - B",
            "# **Implementation Plan: M01 - Frontend**",
            "# [HIGH PRIORITY] Implementation Plan: H-20250711T141500 - Token leak",
            "Implementation Plan: M01 - Frontend\n===",
        ] {
            let text = format!("{title}\n{METADATA}");
            assert!(parsed(&text, is_titled_plan), "{title}");
            let high = format!("{title}\n\n## Metadata\n- **Plan Type**: high-priority\n");
            assert!(parsed(&high, is_titled_plan), "{title}");
            let inside = format!("{title}\n\n## Metadata\n- **Milestone:** M01\n");
            assert!(parsed(&inside, is_titled_plan), "{title}");
        }
        for title in [
            "# Implementation Plan: User Auth",
            "# Implementation Plan: M01 \u{2014} Frontend",
            "# Implementation Plan: M01 \u{2013} Frontend",
            "# Implementation Plan: M01: Frontend",
            "# Implementation Plan: M01 -",
            "# Implementation Plan: M{milestone-id} - {Milestone Title}",
            "# Implementation Plan: m01 - Frontend",
            "# Implementation plan: M01 - Frontend",
            "# Plan: M01 - Frontend",
            "## Implementation Plan: M01 - Frontend",
            "# [HIGH PRIORITY] Implementation Plan: H-2025 - Token leak",
            "# README",
        ] {
            let text = format!("{title}\n{METADATA}");
            assert!(!parsed(&text, is_titled_plan), "{title}");
        }
        // The title alone, or with a Metadata that names neither field, is not enough.
        for text in [
            "# Implementation Plan: M01 - Frontend\n\nText.\n",
            "# Implementation Plan: M01 - Frontend\n## Metadata\n- **Status**: active\n",
            "# Implementation Plan: M01 - Frontend\n## Notes\n- **Milestone**: M01\n",
            "# Implementation Plan: M01 - Frontend\n## Metadata\n- Milestone: M01\n",
            "```\n# Implementation Plan: M01 - X\n```\n# Notes\n## Metadata\n- **Milestone**: M01\n",
            "",
        ] {
            assert!(!parsed(text, is_titled_plan), "{text:?}");
        }
    }

    #[test]
    fn a_plan_title_or_two_metadata_fields_make_a_file_plan_shaped() {
        for text in [
            "# Implementation Plan: M01 - Frontend\n",
            "# Implementation Plan: M-7 - Frontend\n\nNothing else.\n",
            "# [HIGH PRIORITY] Implementation Plan: H-20250711T141500 - Fix\n",
            // A template left unfilled: its title is PC108's, its fields make it a plan.
            "# Implementation Plan: M{milestone-id} - {Milestone Title}\n\n## Metadata\n- **Milestone**: M{milestone-id}\n- **Status**: active|completed|superseded\n",
            "# Plan: M01 - User Auth\n## Metadata\n- **Milestone**: M01\n- **Version**: v1\n",
            "# Frontend\n## Metadata\n- **Status**: active\n- **created**: 2025-07-01\n",
            "# Frontend\n## Metadata\n- **Status:** active\n- **Version:** v1\n",
            "# Fix\n## Metadata\n- **Plan Type**: high-priority\n- **Urgency**: high\n",
            "## Metadata\n- **Priority**: HIGH\n- **Original Task**: TASK-20250711T140000\n",
        ] {
            assert!(parsed(text, is_plan_shaped), "{text:?}");
        }
        for text in [
            "",
            "# README\n\nHow to build.\n",
            "# ADR 0001: Use Postgres\n\n## Status\nAccepted\n",
            "# Implementation Plan: User Auth\n\n## Summary\n",
            "# Implementation Plan: M01 \u{2014} Frontend\n\n## Technical Context\n",
            "## Implementation Plan: M01 - Frontend\n",
            "# Notes\n## Metadata\n- **Status**: active\n- **Status**: done\n",
            "# Notes\n## Metadata\n- **Owner**: me\n- **Team**: web\n",
            "# Notes\n## Metadata\n- Milestone: M01\n- Status: active\n",
            "# Notes\n## Context\n- **Milestone**: M01\n- **Status**: active\n",
            // Two fields, but of two kinds of plan.
            "# Notes\n## Metadata\n- **Milestone**: M01\n- **Urgency**: high\n",
        ] {
            assert!(!parsed(text, is_plan_shaped), "{text:?}");
        }
    }

    /// Each walked markdown file, and whether only its title and metadata can make it a plan.
    fn walked(root: &Path, completed_dirs: &[String]) -> Vec<(String, bool)> {
        let options = WalkOptions {
            completed_dirs,
            excluded: &|_| false,
            threads: 1,
        };
        let inputs = discover(&[root.to_path_buf()], &ProjectOptions::default(), &options).unwrap();
        inputs
            .into_iter()
            .map(|input| match input {
                Input::File { path, sniff } => {
                    let relative = path.strip_prefix(root).unwrap();
                    (relative.to_string_lossy().replace('\\', "/"), sniff)
                }
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_walk_checks_plans_by_name_and_folder_and_reads_the_rest_first() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            "README.md",
            "docs/adr/0001-use-postgres.md",
            "docs/plans/M01-v1-auth.md",
            "docs/plans/M-2-v1-x.md",
            "specs/001-user-auth/plan.md",
            "pm/Implementations/README.md",
            "pm/Implementations/active/notes.md",
            "pm/Implementations/active/H-20250711-141500-fix.md",
            "pm/Implementations/active/deeper/notes.md",
            "pm/Implementations/completed/auth.MD",
            "pm/Implementations/archive/old.md",
            "pm/Implementations/done/old.md",
            "pm/Implementations/active/tasks.json",
        ];
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let defaults = ["completed".to_string(), "archive".to_string()];
        let expected = [
            ("README.md", true),
            ("docs/adr/0001-use-postgres.md", true),
            ("docs/plans/M-2-v1-x.md", false),
            ("docs/plans/M01-v1-auth.md", false),
            ("pm/Implementations/README.md", true),
            ("pm/Implementations/active/H-20250711-141500-fix.md", false),
            ("pm/Implementations/active/deeper/notes.md", true),
            ("pm/Implementations/active/notes.md", false),
            ("pm/Implementations/archive/old.md", false),
            ("pm/Implementations/completed/auth.MD", false),
            ("pm/Implementations/done/old.md", true),
            ("specs/001-user-auth/plan.md", true),
        ];
        let expected: Vec<(String, bool)> =
            expected.iter().map(|&(f, s)| (f.to_string(), s)).collect();
        assert_eq!(walked(dir.path(), &defaults), expected);
        let done = ["done".to_string()];
        let walked = walked(dir.path(), &done);
        let sniffed = |name: &str| walked.iter().find(|(f, _)| f == name).unwrap().1;
        assert!(!sniffed("pm/Implementations/done/old.md"));
        assert!(sniffed("pm/Implementations/archive/old.md"));
        assert!(sniffed("pm/Implementations/completed/auth.MD"));
    }
}
