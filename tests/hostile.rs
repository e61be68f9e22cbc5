//! Hostile input, built in a temporary folder: plancheck must not crash, hang, leak a byte
//! of a file outside the project, or write anywhere but its target. Each run is killed
//! after a generous time and the test fails: a hang is a failure, a slow run is not.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]

mod support;

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Far longer than any of these runs takes, even on a slow, busy machine.
const HANG: Duration = Duration::from_secs(60);

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.status.code()
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn plancheck(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    command
        .current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("NO_COLOR")
        .args(["--today", "2025-08-01"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Waits for `child`, killing it (and failing) should it not end in time.
fn finish(mut child: Child, what: &str) -> Run {
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    // Drained as it comes, so a full pipe cannot stall the run.
    let out = std::thread::spawn(move || {
        let mut text = Vec::new();
        stdout.read_to_end(&mut text).unwrap();
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = Vec::new();
        stderr.read_to_end(&mut text).unwrap();
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{what}: still running after {HANG:?}, killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        status,
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "{what}: panicked\n{}",
        run.stderr
    );
    assert_ne!(run.code(), Some(101), "{what}: {}", run.stderr);
    run
}

fn run(dir: &Path, args: &[&str]) -> Run {
    finish(plancheck(dir, args).spawn().unwrap(), &format!("{args:?}"))
}

#[cfg(unix)]
#[test]
fn a_baseline_is_written_whole_and_only_at_its_target() {
    let dir = tempfile::tempdir().unwrap();
    support::copy_dir(&repo().join("fixtures/rules/PC205/fail"), dir.path());
    // Links planted where a writer with a fixed temporary name would write.
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, "not plancheck's").unwrap();
    for planted in [
        "baseline.plancheck-tmp",
        "baseline.json.tmp",
        ".baseline.json.tmp",
    ] {
        std::os::unix::fs::symlink(&victim, dir.path().join(planted)).unwrap();
    }
    // Two writers at once: both succeed, and the file is one of theirs, whole.
    let writers: Vec<Child> = (0..2)
        .map(|_| {
            plancheck(dir.path(), &["--write-baseline", "baseline.json", "."])
                .spawn()
                .unwrap()
        })
        .collect();
    for writer in writers {
        let run = finish(writer, "a baseline writer");
        assert_eq!(run.code(), Some(0), "{}", run.stderr);
    }
    assert_eq!(fs::read_to_string(&victim).unwrap(), "not plancheck's");
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(written["findings"].as_array().unwrap().len(), 1);
    let left: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".plancheck-"))
        .collect();
    assert_eq!(
        left,
        Vec::<String>::new(),
        "no temporary file is left behind"
    );
}

#[test]
fn a_baseline_that_cannot_be_written_is_an_error_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    support::copy_dir(&repo().join("fixtures/rules/PC205/fail"), dir.path());
    let run = run(
        dir.path(),
        &["--write-baseline", "no/such/folder/b.json", "."],
    );
    assert_eq!(run.code(), Some(2), "{}", run.stdout);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
}
