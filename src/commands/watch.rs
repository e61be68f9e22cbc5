//! `check --watch`: a check, then another whenever a plan or project file under the PATHs
//! or their management folders changes, until the process is interrupted.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use crate::cli::CheckArgs;
use crate::commands::{check, Io, Outcome};
use crate::error::Error;
use crate::fs;
use crate::project;
use crate::settings::Settings;

/// How long the files must stay still before the next check: an editor's save, a `git
/// checkout` or `--fix` itself touch several files at once, and are one change.
const QUIET: Duration = Duration::from_millis(200);

/// Moves the cursor home and clears the screen and its scrollback, as `cargo watch -c` does.
const CLEAR_SCREEN: &str = "\x1b[H\x1b[2J\x1b[3J";

pub fn run(args: &CheckArgs, io: Io<'_>) -> Result<Outcome, Error> {
    if args.stdin_filename.is_some() || args.paths.iter().any(|p| p == Path::new("-")) {
        return Err(Error::Usage(
            "--watch checks files: standard input (`-`) does not change".to_string(),
        ));
    }
    if args.diff {
        return Err(Error::Usage(
            "--watch goes with a report, not --diff".into(),
        ));
    }
    let settings = Settings::resolve(args)?;
    let (paths, _) = check::inputs(args, &settings)?;
    let (sender, changes) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(sender).map_err(watch_error)?;
    for folder in watched(&paths, &settings) {
        watcher
            .watch(&folder, RecursiveMode::Recursive)
            .map_err(watch_error)?;
    }
    let report = args.output_file.as_deref().map(fs::absolute);
    let clear = io.stdout_is_terminal && args.output_file.is_none();

    let Io {
        stdout,
        stderr,
        stdin,
        stdout_is_terminal,
        no_color,
        github_step_summary,
    } = io;
    let mut first = true;
    loop {
        if clear && !first {
            stdout.write_all(CLEAR_SCREEN.as_bytes())?;
        }
        let run = check::run(
            args,
            Io {
                stdout: &mut *stdout,
                stderr: &mut *stderr,
                stdin: &mut *stdin,
                stdout_is_terminal,
                no_color,
                github_step_summary: github_step_summary.clone(),
            },
        );
        match run {
            // What cannot run at first is a mistake in the command; later, one in a file being
            // edited, which the next save may mend.
            Err(error) if first => return Err(error),
            Err(error) => writeln!(stderr, "{:?}", miette::Report::new(error))?,
            Ok(_) => {}
        }
        first = false;
        writeln!(stderr, "watching for changes (Ctrl-C to stop)")?;
        if !next_change(&changes, report.as_deref()) {
            return Ok(Outcome::Clean);
        }
    }
}

/// The folders to watch: each PATH (a file's folder) and the management folder of what it
/// holds, without one that another already holds.
fn watched(paths: &[PathBuf], settings: &Settings) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = Vec::new();
    for path in paths {
        let path = fs::absolute(path);
        let folder = if fs::is_folder(&path) {
            path.clone()
        } else {
            path.parent()
                .map_or_else(|| path.clone(), Path::to_path_buf)
        };
        // A folder is placed as a plan inside it would be.
        let root = project::find_root(&folder.join("plan.md"), &settings.project)
            .map(|root| fs::absolute(&root));
        folders.extend(std::iter::once(folder).chain(root));
    }
    folders.sort();
    folders.dedup();
    let kept: Vec<PathBuf> = (folders.iter())
        .filter(|f| !folders.iter().any(|o| o != *f && f.starts_with(o)))
        .cloned()
        .collect();
    kept
}

/// Waits for a change to a plan or project file, then for the files to stay still; `false`
/// when no change can come any more.
fn next_change(changes: &Receiver<notify::Result<notify::Event>>, report: Option<&Path>) -> bool {
    let counts = |event: &notify::Result<notify::Event>| match event {
        Ok(event) => {
            !matches!(event.kind, EventKind::Access(_))
                && event.paths.iter().any(|p| is_checked_file(p, report))
        }
        // A watch that failed (a folder removed, too many events) may have missed one.
        Err(_) => true,
    };
    loop {
        match changes.recv() {
            Ok(event) if counts(&event) => break,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    while changes.recv_timeout(QUIET).is_ok() {}
    true
}

/// Plans, task, flow and theme files, and the config: what a check reads. The report that
/// `-o` writes is none of them, or each check would start the next.
fn is_checked_file(path: &Path, report: Option<&Path>) -> bool {
    let kind = path.extension().and_then(|e| e.to_str());
    matches!(kind, Some("md" | "json" | "toml")) && report != Some(path)
}

fn watch_error(error: notify::Error) -> Error {
    Error::Watch(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_and_files_no_check_reads_start_no_check() {
        let report = Path::new("/p/report.json");
        assert!(is_checked_file(Path::new("/p/a/M01-v1-x.md"), Some(report)));
        assert!(is_checked_file(Path::new("/p/Tasks/t.json"), Some(report)));
        assert!(is_checked_file(Path::new("/p/plancheck.toml"), None));
        assert!(!is_checked_file(report, Some(report)));
        assert!(!is_checked_file(Path::new("/p/a/.M01.md.swp"), None));
        assert!(!is_checked_file(Path::new("/p/target"), None));
    }
}
