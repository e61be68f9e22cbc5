//! `plancheck new`: a new plan, written from the template in force into
//! `Implementations/active/` of the management folder, never over a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{CheckArgs, NewArgs};
use crate::error::Error;
use crate::fs;
use crate::plan::names::{is_task_id, milestone_number};
use crate::project::{self, Project, RunPlans};
use crate::report::escape;
use crate::scaffold::{self, NewKind, NewPlan};
use crate::settings::Settings;

pub fn run(args: &NewArgs, out: &mut dyn Write) -> Result<(), Error> {
    let Draft { path, shown, text } = draft(args)?;
    let cannot_write = |error: std::io::Error| {
        if error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::NewPlan {
                message: format!("`{shown}` exists already"),
                help: "plancheck new never writes over a file: give another title, or move that one away"
                    .into(),
            }
        } else {
            Error::NewPlan {
                message: format!("cannot write `{shown}`: {error}"),
                help: "check that the management folder is writable".into(),
            }
        }
    };
    if let Some(folder) = path.parent() {
        fs::create_folders(folder).map_err(cannot_write)?;
    }
    fs::write_new(&path, text.as_bytes()).map_err(cannot_write)?;
    writeln!(out, "{shown}")?;
    Ok(())
}

/// The plan `new` would write, not yet written: where it goes and its text.
#[derive(Debug)]
pub struct Draft {
    pub path: PathBuf,
    /// The path as the user sees it: from the current folder, its control characters escaped.
    pub shown: String,
    pub text: String,
}

/// The new plan's path and text, reading the project but writing nothing.
pub fn draft(args: &NewArgs) -> Result<Draft, Error> {
    let settings = Settings::resolve(&CheckArgs {
        // The config is looked for from the management folder named, else from here.
        paths: args.source.project.iter().cloned().collect(),
        source: args.source.clone(),
        today: args.today.clone(),
        ..CheckArgs::default()
    })?;
    let title = args.title.trim();
    if title.contains(char::is_control) {
        return Err(Error::NewPlan {
            message: format!(
                "the title `{}` holds a control character",
                escape::controls(title)
            ),
            help: "a title is one line of text".into(),
        });
    }
    let slug = slug(title).ok_or_else(|| Error::NewPlan {
        message: format!(
            "the title `{}` has no ASCII letter or digit to name the file by",
            escape::controls(&args.title)
        ),
        help: "give a title with at least one ASCII letter or digit".into(),
    })?;
    let target = match &args.target {
        Some(target) => {
            crate::date::parse_day(target).map_err(|_| Error::NewPlan {
                message: format!("invalid --target `{}`", escape::controls(target)),
                help: "give the date as YYYY-MM-DD".into(),
            })?;
            Some(target.as_str())
        }
        None => None,
    };
    let root = management_folder(&settings);
    let project = project::load(
        &root,
        &root,
        &RunPlans::default(),
        &settings.schema.completed_dirs,
    );
    let today = settings.today.to_string();
    let (name, text) = match (&args.milestone, &args.original_task) {
        (Some(milestone), _) => {
            let number = milestone_number(milestone)
                .filter(|_| milestone.starts_with('M'))
                .ok_or_else(|| Error::NewPlan {
                    message: format!("`{}` is no milestone id", escape::controls(milestone)),
                    help: "write it as M<digits>: `M3`, `M03` or `M-03`".into(),
                })?;
            let milestone = padded(milestone);
            let version = next_version(&project, number);
            let entry = project.milestones.as_ref().and_then(|m| m.get(number));
            let related_tasks: Vec<&str> = entry.iter().flat_map(|m| m.related_tasks()).collect();
            let required_flows: Vec<&str> = (entry.iter().flat_map(|m| m.required_flows()))
                .map(|f| f.id)
                .collect();
            let new = NewPlan {
                title,
                today: &today,
                target,
                kind: NewKind::Regular {
                    milestone: &milestone,
                    version,
                    related_tasks: &related_tasks,
                    required_flows: &required_flows,
                },
            };
            let name = format!("{milestone}-v{version}-{slug}.md");
            (name, scaffold::write(&settings.schema.regular, &new))
        }
        (None, Some(task)) => {
            if !is_task_id(task) {
                return Err(Error::NewPlan {
                    message: format!("`{}` is no task id", escape::controls(task)),
                    help: "write it as a task file names it, e.g. `HIGH-TASK-20250715T100000`"
                        .into(),
                });
            }
            let now = jiff::Zoned::now().datetime();
            let at = settings.today.to_datetime(now.time());
            let timestamp = at.strftime("%Y%m%dT%H%M%S").to_string();
            let escalated = at.strftime("%Y-%m-%dT%H:%M:%S").to_string();
            let new = NewPlan {
                title,
                today: &today,
                target,
                kind: NewKind::HighPriority {
                    timestamp: &timestamp,
                    escalated: &escalated,
                    original_task: task,
                },
            };
            let name = format!("H-{timestamp}-{slug}.md");
            (name, scaffold::write(&settings.schema.high_priority, &new))
        }
        // invariant: clap requires a milestone, or --high-priority with --original-task.
        (None, None) => return Err(Error::Usage("give a milestone, or --high-priority".into())),
    };
    let path = root.join("Implementations").join("active").join(name);
    let shown = fs::relative_to_current_dir(&path);
    let shown = fs::without_leading_dot(&shown).display().to_string();
    let shown = escape::controls(&shown).into_owned();
    Ok(Draft { path, shown, text })
}

/// The management folder the plan goes to: `--project` or the config's `project.root`, else
/// the folder `check` would find for a plan written here (`./projectManagement`, or the one
/// this folder is in), else the current folder.
fn management_folder(settings: &Settings) -> PathBuf {
    if let Some(root) = &settings.project.root {
        return root.clone();
    }
    let named = Path::new(&settings.project.folder_name);
    if fs::is_folder(named) {
        return named.to_path_buf();
    }
    let here = fs::current_dir().unwrap_or(Path::new("."));
    project::find_root(&here.join("plan.md"), &settings.project).map_or_else(
        || PathBuf::from("."),
        |root| fs::relative_to_current_dir(&root),
    )
}

/// The file name's slug: the title in lower-case ASCII, every run of other characters one
/// `-`, without one at either end; `None` when nothing is left.
fn slug(title: &str) -> Option<String> {
    let mut slug = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let kept = slug.trim_end_matches('-').len();
    slug.truncate(kept);
    (!slug.is_empty()).then_some(slug)
}

/// A milestone id as a plan's name writes it: `M`, then its digits, at least two
/// (`M3` → `M03`, `M-03` → `M03`).
fn padded(milestone: &str) -> String {
    let digits = milestone.trim_start_matches('M').trim_start_matches('-');
    format!("M{digits:0>2}")
}

/// The next free version of milestone `number`: one above every version its plans have,
/// by file name or by metadata, in any folder of `Implementations/`.
fn next_version(project: &Project, number: u64) -> u64 {
    let patterns = crate::plan::names::file_name_patterns();
    let highest = project
        .plans
        .iter()
        .flat_map(|plan| {
            let by_name = patterns
                .regular_numbers(plan.file_name())
                .filter(|(milestone, _)| milestone_number(&format!("M{milestone}")) == Some(number))
                .and_then(|(_, version)| version.parse::<u64>().ok());
            let by_metadata = plan
                .version()
                .filter(|_| plan.milestone_number() == Some(number))
                .map(|(version, _)| version);
            by_name.into_iter().chain(by_metadata)
        })
        .max()
        .unwrap_or(0);
    highest.saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_is_lower_case_ascii_with_one_dash_for_each_run_of_anything_else() {
        for (title, expected) in [
            ("Payment gateway", Some("payment-gateway")),
            ("  OAuth2 / SSO -- login!  ", Some("oauth2-sso-login")),
            ("Café über alles", Some("caf-ber-alles")),
            ("M03: v2", Some("m03-v2")),
            ("日本語", None),
            ("--", None),
        ] {
            assert_eq!(slug(title).as_deref(), expected, "{title:?}");
        }
    }

    #[test]
    fn a_milestone_is_written_with_at_least_two_digits() {
        for (written, expected) in [
            ("M3", "M03"),
            ("M03", "M03"),
            ("M-3", "M03"),
            ("M-03", "M03"),
            ("M123", "M123"),
            ("M007", "M007"),
        ] {
            assert_eq!(padded(written), expected, "{written}");
        }
    }

    fn project_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let root = dir.path().to_path_buf();
        let project = project::load(&root, &root, &RunPlans::default(), &["completed".into()]);
        (dir, project)
    }

    #[test]
    fn the_next_version_is_one_above_every_version_of_the_milestone() {
        let (_dir, project) = project_with(&[]);
        assert_eq!(next_version(&project, 3), 1);
        let (_dir, project) = project_with(&[
            ("Implementations/active/M03-v2-pay.md", "# x\n"),
            (
                "Implementations/completed/M03-v1-pay-superseded.md",
                "# x\n",
            ),
            ("Implementations/active/M04-v7-other.md", "# x\n"),
            ("Implementations/active/M3-v3-old-name.md", "# x\n"),
        ]);
        assert_eq!(next_version(&project, 3), 4);
        assert_eq!(next_version(&project, 4), 8);
        assert_eq!(next_version(&project, 5), 1);
        // A plan whose metadata says more than its name.
        let (_dir, project) = project_with(&[(
            "Implementations/active/notes.md",
            "# Implementation Plan: M03 - Pay\n\n## Metadata\n- **Milestone**: M03\n\
             - **Version**: v6\n",
        )]);
        assert_eq!(next_version(&project, 3), 7);
    }
}
