//! `check --watch`: a check, then another whenever a plan or project file under the PATHs
//! or their management folders changes, until the process is interrupted.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};

use notify::{RecursiveMode, Watcher};

use crate::cli::CheckArgs;
use crate::commands::{check, Io, Outcome};
use crate::error::Error;
use crate::fs;
use crate::project;
use crate::settings::Settings;
use crate::watching::{self, Next, Settling};

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
    watching::outermost(folders)
}

/// Waits for a change to a plan or project file, then for the files to stay still; `false`
/// when no change can come any more.
fn next_change(changes: &Receiver<notify::Result<notify::Event>>, report: Option<&Path>) -> bool {
    let mut settling = Settling::default();
    loop {
        match settling.next(changes) {
            Next::Item(event) if watching::changed_files(&event, report).is_some() => {
                settling.changed();
            }
            Next::Item(_) => {}
            Next::Settled => return true,
            Next::Closed => return false,
        }
    }
}

fn watch_error(error: notify::Error) -> Error {
    Error::Watch(error.to_string())
}
