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

/// A copy of the example project in a temporary folder.
fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    support::copy_dir(&repo().join("fixtures/example"), dir.path());
    dir
}

const PLAN: &str = "projectManagement/Implementations/active/M02-v1-user-authentication.md";

/// The example project with its M02 plan changed by `edit`.
fn example_with(edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let dir = example();
    let path = dir.path().join(PLAN);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, edit(text)).unwrap();
    dir
}

#[test]
fn findings_past_column_65535_are_reported_in_every_format() {
    let ids: Vec<String> = (0..3_200)
        .map(|n| format!("TASK-20250711T{n:06}"))
        .collect();
    let dir = example_with(|text| {
        let pad = " ".repeat(70_000);
        text.replace(
            "- **Status**: active",
            &format!("- **Status**: {pad}Active"),
        )
        .replace(
            "- **Related Tasks**: [TASK-20250711T140000, SQ-20250711T140000-001]",
            &format!("- **Related Tasks**: [{}]", ids.join(", ")),
        )
    });
    for format in ["human", "concise", "json", "sarif", "github", "junit"] {
        let run = run(dir.path(), &["--format", format, PLAN]);
        assert_eq!(run.code(), Some(1), "{format}: {}", run.stderr);
        assert!(run.stdout.contains("TASK-20250711T003199"), "{format}");
    }
    let human = run(dir.path(), &[PLAN]).stdout;
    // Each finding shows a window of its line, not the line.
    let longest = human.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 400, "a line of {longest} characters");
    assert!(human.contains("[TASK-20250711T000000, TASK-20250711T000001"));
    let last = human
        .lines()
        .find(|l| l.ends_with("TASK-20250711T003198, TASK-20250711T003199]"))
        .unwrap();
    assert!(last.contains(" │ …"), "{last}");
}

#[test]
fn sixty_thousand_findings_on_one_line() {
    let dir = example_with(|text| {
        let line = vec!["{two words}"; 60_000].join(" ");
        // And sixty thousand openings that close nowhere, each read to its line's end once.
        let unclosed = "{x [y {{z ".repeat(60_000);
        text.replacen(
            "## Analysis\n",
            &format!("## Analysis\n- {line}\n- {unclosed}\n"),
            1,
        )
    });
    let json = run(dir.path(), &["--format", "json", PLAN]);
    assert_eq!(json.code(), Some(1));
    assert_eq!(json.stdout.matches("\"PC108\"").count(), 60_000);
    let concise = run(dir.path(), &["--format", "concise", PLAN]).stdout;
    let columns: Vec<&str> = concise
        .lines()
        .filter(|l| l.contains("PC108"))
        .map(|l| l.split(':').nth(2).unwrap())
        .collect();
    assert_eq!(columns[0], "3");
    assert_eq!(columns[59_999], (3 + 59_999 * 12).to_string());
    // The human report of six thousand of them stays in proportion to their number, not
    // to their number times the line.
    let dir = example_with(|text| {
        let line = vec!["{two words}"; 6_000].join(" ");
        text.replacen("## Analysis\n", &format!("## Analysis\n- {line}\n"), 1)
    });
    let human = run(dir.path(), &[PLAN]).stdout;
    assert!(human.matches("PC108").count() >= 6_000);
    assert!(human.len() < 6_000 * 2_000, "{} bytes", human.len());
}

#[test]
fn a_plan_whose_lines_end_in_a_cr_alone_reads_as_with_lf() {
    let lf = example_with(|text| text.replacen("- **Status**: active", "- **Status**: Active", 1));
    let cr = example_with(|text| {
        text.replacen("- **Status**: active", "- **Status**: Active", 1)
            .replace('\n', "\r")
    });
    let crlf = example_with(|text| {
        text.replacen("- **Status**: active", "- **Status**: Active", 1)
            .replace('\n', "\r\n")
    });
    let concise = |dir: &tempfile::TempDir| run(dir.path(), &["--format", "concise", PLAN]).stdout;
    let expected = concise(&lf);
    assert!(expected.contains(":5:15: error[PC205]"), "{expected}");
    assert_eq!(concise(&cr), expected);
    assert_eq!(concise(&crlf), expected);
    let human = run(cr.path(), &[PLAN]).stdout;
    assert!(human.contains(" 5 │ - **Status**: Active"), "{human}");
}
