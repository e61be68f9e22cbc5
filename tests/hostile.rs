//! Hostile input, built in a temporary folder: plancheck must not crash, hang, leak a byte
//! of a file outside the project, or write anywhere but its target. Each run is killed
//! after a generous time and the test fails: a hang is a failure, a slow run is not.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

mod support;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
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

fn active(dir: &Path) -> PathBuf {
    dir.join("projectManagement/Implementations/active")
}

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

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success());
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_never_waited_on() {
    let dir = example();
    let fifo = active(dir.path()).join("M09-v1-pipe.md");
    mkfifo(&fifo);
    mkfifo(&dir.path().join("config.toml"));
    // A walk passes over it without a word.
    let walked = run(dir.path(), &["--format", "concise"]);
    assert_eq!(walked.code(), Some(0), "{}", walked.stdout);
    assert!(!walked.stdout.contains("M09"), "{}", walked.stdout);
    // Named, it is PC001, as a device is.
    let named = "projectManagement/Implementations/active/M09-v1-pipe.md";
    for path in [named, "/dev/zero"] {
        let run = run(dir.path(), &["--format", "concise", path]);
        assert_eq!(run.code(), Some(1), "{path}");
        assert!(
            run.stdout.contains(&format!("{path}:1:1: error[PC001]")),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("not a regular file"), "{}", run.stdout);
    }
    // As the config file, it is an error.
    for (config, kind) in [("config.toml", "a FIFO"), ("/dev/zero", "a device")] {
        let run = run(dir.path(), &["--config", config, named]);
        assert_eq!(run.code(), Some(2), "{config}");
        assert!(
            run.stderr.contains(&format!("it is {kind}")),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_config_that_is_a_folder_or_too_large_is_an_error() {
    let dir = example();
    fs::create_dir(dir.path().join("plancheck.toml")).unwrap();
    let run_here = run(dir.path(), &[]);
    assert_eq!(run_here.code(), Some(2));
    assert!(
        run_here.stderr.contains("`plancheck.toml`: it is a folder"),
        "{}",
        run_here.stderr
    );
    let large = dir.path().join("large.toml");
    let comment = format!("# {}\n", "x".repeat(1000));
    fs::write(&large, comment.repeat(1100)).unwrap();
    let run_large = run(dir.path(), &["--config", "large.toml", PLAN]);
    assert_eq!(run_large.code(), Some(2));
    assert!(
        run_large.stderr.contains("larger than 1 MiB"),
        "{}",
        run_large.stderr
    );
}

#[test]
fn a_plan_over_64_mib_is_pc001_named_or_piped() {
    let dir = example();
    let big = active(dir.path()).join("M09-v1-big.md");
    // Sparse: its size is all that is asked.
    fs::File::create(&big).unwrap().set_len(65 << 20).unwrap();
    let run_named = run(
        dir.path(),
        &[
            "--format",
            "concise",
            PLAN,
            "projectManagement/Implementations/active/M09-v1-big.md",
        ],
    );
    assert!(
        run_named.stdout.contains(
            "M09-v1-big.md:1:1: error[PC001] cannot read the file: it is larger than 64 MiB"
        ),
        "{}",
        run_named.stdout
    );
    fs::remove_file(&big).unwrap();
    let mut piped = plancheck(dir.path(), &["--format", "concise", "-"]);
    let mut child = piped.stdin(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let block = vec![b'x'; 1 << 20];
        for _ in 0..70 {
            // plancheck stops reading past the limit: a closed pipe ends the writing.
            if stdin.write_all(&block).is_err() {
                break;
            }
        }
    });
    let run_piped = finish(child, "70 MiB on stdin");
    writer.join().unwrap();
    assert!(
        run_piped
            .stdout
            .contains("-:1:1: error[PC001] cannot read the file: it is larger than 64 MiB"),
        "{}",
        run_piped.stdout
    );
}

/// A secret outside the project that project files lead to.
const SECRET: &str = "{\"themes\": {\"s3cr3t-t0ken\": {}}, \"id\": \"s3cr3t-t0ken\"}";

#[cfg(unix)]
#[test]
fn project_files_leading_outside_the_project_are_reported_and_never_shown() {
    use std::os::unix::fs::symlink;
    let dir = example();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.json");
    fs::write(&secret, SECRET).unwrap();
    fs::write(outside.path().join("SQ-20250711T140000-001.json"), SECRET).unwrap();
    let pm = dir.path().join("projectManagement");
    let link = |from: &Path, to: &Path| {
        if from.exists() {
            if from.is_dir() {
                fs::remove_dir_all(from).unwrap();
            } else {
                fs::remove_file(from).unwrap();
            }
        }
        symlink(to, from).unwrap();
    };
    link(&pm.join("Themes/themes.json"), &secret);
    link(
        &pm.join("Tasks/completion-path.json"),
        Path::new("/proc/self/environ"),
    );
    link(&pm.join("Tasks/active/TASK-20250711T140000.json"), &secret);
    link(&pm.join("Tasks/sidequests"), outside.path());
    // A link that stays inside is read as the file it leads to.
    link(
        &pm.join("ProjectFlow/payment-flow.json"),
        &pm.join("ProjectFlow/authentication-flow.json"),
    );
    for format in ["human", "concise", "json", "sarif", "github", "junit"] {
        let run = plancheck(dir.path(), &["--format", format])
            .env("PLANCHECK_TEST_SECRET", "s3cr3t-t0ken")
            .spawn()
            .unwrap();
        let run = finish(run, format);
        assert_eq!(run.code(), Some(1), "{format}: {}", run.stderr);
        assert!(!run.stdout.contains("s3cr3t"), "{format}: {}", run.stdout);
        assert!(!run.stdout.contains("PLANCHECK_TEST"), "{format}");
    }
    let concise = run(dir.path(), &["--format", "concise"]).stdout;
    let outside_link = |path: &str| {
        format!("{path}:1:1: error[PC601] cannot read the file: it is a link that leads outside the management folder")
    };
    for path in [
        "projectManagement/Themes/themes.json",
        "projectManagement/Tasks/completion-path.json",
        "projectManagement/Tasks/active/TASK-20250711T140000.json",
        "projectManagement/Tasks/sidequests/SQ-20250711T140000-001.json",
    ] {
        assert!(concise.contains(&outside_link(path)), "{path}: {concise}");
    }
    assert!(!concise.contains("payment-flow.json"), "{concise}");
}

#[cfg(unix)]
#[test]
fn an_index_that_is_a_folder_or_a_fifo_is_reported() {
    let dir = example();
    let pm = dir.path().join("projectManagement");
    fs::remove_file(pm.join("Themes/themes.json")).unwrap();
    fs::create_dir(pm.join("Themes/themes.json")).unwrap();
    fs::remove_file(pm.join("ProjectFlow/flow-index.json")).unwrap();
    mkfifo(&pm.join("ProjectFlow/flow-index.json"));
    let concise = run(dir.path(), &["--format", "concise"]).stdout;
    assert!(
        concise.contains(
            "projectManagement/Themes/themes.json:1:1: error[PC601] cannot read the file: it is a folder"
        ),
        "{concise}"
    );
    assert!(
        concise.contains("projectManagement/ProjectFlow/flow-index.json:1:1: error[PC601] cannot read the file: it is a FIFO, not a regular file"),
        "{concise}"
    );
}

/// A name and a value made to drive a terminal, split a record, and inject markdown.
#[cfg(unix)]
const EVIL_NAME: &str = "evil\u{1b}]0;title\u{7}\r\nname|![x](y).md";
const EVIL_VALUE: &str =
    "\u{1b}[2J\u{1b}]8;;http://x\u{7}link\u{8}\u{9b}31m ![i](http://e/i.png) | <img src=x>";

#[cfg(unix)]
#[test]
fn control_characters_in_values_and_names_reach_no_terminal_or_log_raw() {
    let dir = example_with(|text| {
        text.replacen(
            "- **Status**: active",
            &format!("- **Status**: {EVIL_VALUE}"),
            1,
        )
    });
    let plan = fs::read_to_string(dir.path().join(PLAN)).unwrap();
    fs::write(active(dir.path()).join(EVIL_NAME), &plan).unwrap();
    let summary = dir.path().join("summary.md");
    for format in ["human", "concise", "github"] {
        let run = plancheck(dir.path(), &["--format", format])
            .env("GITHUB_STEP_SUMMARY", &summary)
            .spawn()
            .unwrap();
        let run = finish(run, format);
        assert_eq!(run.code(), Some(1), "{format}: {}", run.stderr);
        let raw = run
            .stdout
            .chars()
            .find(|&c| c.is_control() && c != '\n' && c != '\t');
        assert_eq!(raw, None, "{format}: {:?}", run.stdout);
        assert!(
            run.stdout.contains("\\u{1b}[2J"),
            "{format}: {}",
            run.stdout
        );
    }
    // One record per finding: the name's newline does not split one in two.
    let concise = run(dir.path(), &["--format", "concise"]).stdout;
    let evil: Vec<&str> = concise.lines().filter(|l| l.contains("evil")).collect();
    assert!(!evil.is_empty());
    for line in &evil {
        assert!(
            line.starts_with("\"projectManagement/Implementations/active/evil\\u001b]0;title\\u0007\\r\\nname|![x](y).md\":"),
            "{line}"
        );
    }
    // The step summary shows the markdown, never renders it.
    let summary = fs::read_to_string(&summary).unwrap();
    assert!(summary.contains("\\!\\[i\\]\\(http"), "{summary}");
    let rows: Vec<&str> = summary.lines().filter(|l| l.starts_with("| ")).collect();
    assert!(rows.len() > 3, "{summary}");
    for row in rows {
        // Five cells, and no markup that is not escaped in the file and message cells.
        assert_eq!(row.matches(" | ").count(), 4, "{row}");
        let cells: Vec<&str> = row.split(" | ").collect();
        let message = cells[4].strip_suffix(" |").unwrap();
        for cell in [cells[2], message] {
            for (at, markup) in cell.match_indices(['<', '!', '[', '(', '`', '|']) {
                assert!(cell[..at].ends_with('\\'), "{markup} at {at}: {row}");
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn machine_formats_keep_names_and_values_exact() {
    let dir = example_with(|text| {
        text.replacen(
            "- **Status**: active",
            &format!("- **Status**: {EVIL_VALUE}"),
            1,
        )
    });
    fs::rename(dir.path().join(PLAN), active(dir.path()).join(EVIL_NAME)).unwrap();
    let path = format!("projectManagement/Implementations/active/{EVIL_NAME}");
    let json: serde_json::Value =
        serde_json::from_str(&run(dir.path(), &["--format", "json"]).stdout).unwrap();
    let status = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "PC205")
        .unwrap();
    assert_eq!(status["path"], path.as_str());
    assert!(status["message"].as_str().unwrap().contains(EVIL_VALUE));
    let sarif: serde_json::Value =
        serde_json::from_str(&run(dir.path(), &["--format", "sarif"]).stdout).unwrap();
    let uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert_eq!(
        uri,
        "projectManagement/Implementations/active/evil%1B%5D0%3Btitle%07%0D%0Aname%7C%21%5Bx%5D%28y%29.md"
    );
    let junit = run(dir.path(), &["--format", "junit"]).stdout;
    let xml = roxmltree::Document::parse(&junit).unwrap();
    let suite = xml
        .descendants()
        .find(|n| n.has_tag_name("testsuite") && n.attribute("name").unwrap().contains("evil"))
        .unwrap();
    // XML holds no ESC or BEL at all: those alone are replaced.
    assert_eq!(
        suite.attribute("name").unwrap(),
        path.replace(['\u{1b}', '\u{7}'], "\u{FFFD}")
    );
}

#[test]
fn a_config_file_with_control_characters_reaches_the_terminal_escaped() {
    let dir = example();
    fs::write(
        dir.path().join("plancheck.toml"),
        "[rules]\nselect = [\"PC\u{1b}]0;title\u{7}\"]\n\u{1b}[2J = 1\n",
    )
    .unwrap();
    let run = run(dir.path(), &[]);
    assert_eq!(run.code(), Some(2));
    let raw = run.stderr.chars().find(|&c| c.is_control() && c != '\n');
    assert_eq!(raw, None, "{:?}", run.stderr);
    assert!(run.stderr.contains("plancheck.toml"), "{}", run.stderr);
}
