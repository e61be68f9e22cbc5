//! The real binary, as a user runs it: every format, the exit codes, the commands.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

mod support;

use std::process::Command;

use insta_cmd::assert_cmd_snapshot;

fn plancheck() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    cmd
}

fn check(args: &[&str]) -> Command {
    let mut cmd = plancheck();
    cmd.args(["--today", "2025-08-01"]).args(args);
    cmd
}

const INVALID_STATUS: &str = "fixtures/rules/PC205/fail";

#[test]
fn human_on_the_example_is_clean() {
    assert_cmd_snapshot!(check(&["fixtures/example"]));
}

#[test]
fn human_report() {
    assert_cmd_snapshot!(check(&[INVALID_STATUS]));
}

#[test]
fn concise_report() {
    assert_cmd_snapshot!(check(&["--format", "concise", INVALID_STATUS]));
}

#[test]
fn json_report() {
    assert_cmd_snapshot!(check(&["--format", "json", INVALID_STATUS]));
}

#[test]
fn json_report_is_the_documented_shape() {
    let output = check(&["--format", "json", INVALID_STATUS])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["files"], 1);
    let d = &doc["diagnostics"][0];
    for key in [
        "path", "code", "name", "severity", "message", "help", "span",
    ] {
        assert!(d.get(key).is_some(), "missing `{key}`");
    }
    assert_eq!(d["code"], "PC205");
    assert_eq!(d["name"], "invalid-status");
    for key in ["offset", "length", "start", "end"] {
        assert!(d["span"].get(key).is_some(), "span lacks `{key}`");
    }
    assert!(d["span"]["start"]["line"].as_u64().unwrap() >= 1);
}

#[test]
fn warnings_alone_exit_zero_unless_denied() {
    let dir = "fixtures/rules/PC106/fail";
    let status = check(&["-q", dir]).status().unwrap();
    assert_eq!(status.code(), Some(0));
    let status = check(&["-q", "--deny-warnings", dir]).status().unwrap();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn statistics() {
    assert_cmd_snapshot!(check(&[
        "--statistics",
        "--select",
        "ALL",
        "fixtures/rules"
    ]));
}

#[test]
fn statistics_in_json() {
    assert_cmd_snapshot!(check(&[
        "--statistics",
        "--format",
        "json",
        "fixtures/rules/PC205",
        "fixtures/rules/PC501"
    ]));
}

#[test]
fn quiet_drops_the_summary() {
    assert_cmd_snapshot!(check(&["--quiet", "--format", "concise", INVALID_STATUS]));
}

#[test]
fn select_and_ignore() {
    assert_cmd_snapshot!(check(&[
        "--format",
        "concise",
        "--select",
        "PC2",
        "--ignore",
        "invalid-status",
        "fixtures/rules"
    ]));
}

#[test]
fn a_path_that_does_not_exist_exits_2() {
    assert_cmd_snapshot!(check(&["no/such/plans"]));
}

#[test]
fn an_unknown_selector_exits_2() {
    assert_cmd_snapshot!(check(&["--select", "invalid-stauts", "fixtures/example"]));
}

#[test]
fn a_bad_today_exits_2() {
    assert_cmd_snapshot!(check(&["--today", "2025-02-30", "fixtures/example"]));
}

#[test]
fn explain_by_code_and_name() {
    assert_cmd_snapshot!(plancheck().args(["explain", "PC205"]));
    let by_name = plancheck()
        .args(["explain", "invalid-status"])
        .output()
        .unwrap();
    let by_code = plancheck().args(["explain", "pc205"]).output().unwrap();
    assert_eq!(by_name.stdout, by_code.stdout);
}

#[test]
fn explain_an_unknown_rule_exits_2() {
    assert_cmd_snapshot!(plancheck().args(["explain", "invalid-stat"]));
}

/// Runs a bash script with the completions `plancheck completions bash` prints loaded,
/// completing the words given; returns the candidates bash would offer.
fn bash_completes(words: &[&str]) -> Vec<String> {
    let completions = plancheck().args(["completions", "bash"]).output().unwrap();
    assert!(completions.status.success());
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("plancheck.bash");
    std::fs::write(&script, &completions.stdout).unwrap();
    let current = words.len() - 1;
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source '{}' && COMP_WORDS=({}) && COMP_CWORD={current} && COMP_LINE=\"${{COMP_WORDS[*]}}\" \
             && COMP_POINT=${{#COMP_LINE}} && _plancheck plancheck \"${{COMP_WORDS[$COMP_CWORD]}}\" \
             \"${{COMP_WORDS[$COMP_CWORD-1]}}\" && printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            words.join(" "),
        ))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_commands_and_option_values() {
    let commands = bash_completes(&["plancheck", "ex"]);
    assert!(commands.contains(&"explain".to_owned()), "{commands:?}");
    let formats = bash_completes(&["plancheck", "check", "--format", "j"]);
    assert!(formats.contains(&"json".to_owned()), "{formats:?}");
    assert!(formats.contains(&"junit".to_owned()), "{formats:?}");
}

#[test]
fn completions_for_every_shell_cli_md_names() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = plancheck().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("explain"), "{shell}: {text}");
    }
}

#[test]
#[allow(clippy::print_stderr, reason = "says why the page was not rendered")]
fn man_page_names_every_command_and_renders() {
    let out = plancheck().arg("man").output().unwrap();
    assert!(out.status.success());
    let roff = String::from_utf8(out.stdout).unwrap();
    assert!(roff.contains(".TH plancheck 1"), "{roff}");
    for command in ["check", "rules", "config", "explain", "completions", "man"] {
        assert!(
            roff.contains(command),
            "{command} missing from the man page"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("plancheck.1");
    std::fs::write(&page, &roff).unwrap();
    match Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .output()
    {
        Ok(rendered) => {
            assert!(rendered.status.success());
            let text = String::from_utf8_lossy(&rendered.stdout);
            assert!(
                text.contains("Lint and validate implementation plan documents"),
                "{text}"
            );
        }
        Err(_) => eprintln!("man is not installed: the page was not rendered"),
    }
}

/// The TOML blocks of README.md: every config the documentation shows.
fn readme_configs() -> Vec<String> {
    let readme = include_str!("../README.md");
    readme
        .split("```toml\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap().to_owned())
        .collect()
}

/// Whether `config --schema`'s schema and plancheck itself each accept `config`.
fn schema_and_plancheck_accept(schema: &jsonschema::Validator, config: &str) -> (bool, bool) {
    let value: toml::Value = toml::from_str(config).unwrap();
    let as_json = serde_json::to_value(value).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The documented `root` and `template`, so that plancheck judges the config and not
    // the folder.
    std::fs::create_dir(dir.path().join("projectManagement")).unwrap();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    let template = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/template.md");
    std::fs::copy(template, dir.path().join("templates/plan.md")).unwrap();
    let file = dir.path().join("plancheck.toml");
    std::fs::write(&file, config).unwrap();
    let run = plancheck()
        .arg("config")
        .arg("--config")
        .arg(&file)
        .output()
        .unwrap();
    (schema.is_valid(&as_json), run.status.success())
}

#[test]
fn the_config_schema_takes_the_documented_configs_and_refuses_mistakes() {
    let out = plancheck().args(["config", "--schema"]).output().unwrap();
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema["title"], "plancheck.toml");
    let schema = jsonschema::validator_for(&schema).unwrap();
    let documented = readme_configs();
    assert!(!documented.is_empty());
    for config in documented {
        assert_eq!(
            schema_and_plancheck_accept(&schema, &config),
            (true, true),
            "{config}"
        );
    }
    for mistake in [
        "[rules]\nignroe = [\"PC401\"]\n",
        "[rules]\nseverity = { PC304 = \"loud\" }\n",
        "[project]\nroot = 3\n",
        "[[per-file-ignores]]\nignore = [\"PC3\"]\n",
        "[plan]\nstatuses = \"active\"\n",
    ] {
        assert_eq!(
            schema_and_plancheck_accept(&schema, mistake),
            (false, false),
            "{mistake}"
        );
    }
}

#[test]
fn output_file_holds_the_report_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    let run = check(&[
        "--format",
        "json",
        "-o",
        file.to_str().unwrap(),
        INVALID_STATUS,
    ])
    .output()
    .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stdout.is_empty());
    let to_stdout = check(&["--format", "json", INVALID_STATUS])
        .output()
        .unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), to_stdout.stdout);
    // Only the report is there: no temporary file is left beside it.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn exit_zero_keeps_the_findings_and_drops_the_failure() {
    let run = check(&["--exit-zero", "--format", "concise", INVALID_STATUS])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    assert!(String::from_utf8(run.stdout).unwrap().contains("[PC205]"));
    let missing = check(&["--exit-zero", "no/such/folder"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn stdin_filename_alone_reads_stdin_and_beside_paths_is_a_usage_error() {
    let plan =
        "fixtures/rules/PC205/fail/projectManagement/Implementations/active/M01-v1-user-auth.md";
    let alone = check(&["--format", "concise", "-q", "--stdin-filename", plan])
        .stdin(std::fs::File::open(plan).unwrap())
        .output()
        .unwrap();
    assert_eq!(alone.status.code(), Some(1));
    let out = String::from_utf8(alone.stdout).unwrap();
    assert!(
        out.starts_with(&format!("{plan}:5:15: error[PC205]")),
        "{out}"
    );
    let beside = check(&["--stdin-filename", plan, "fixtures/example"])
        .output()
        .unwrap();
    assert_eq!(beside.status.code(), Some(2));
    let err = String::from_utf8(beside.stderr).unwrap();
    assert!(
        err.contains("--stdin-filename goes with `-` alone"),
        "{err}"
    );
}

#[test]
fn a_walk_that_finds_no_plan_says_so_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# Notes\n").unwrap();
    for format in ["human", "json"] {
        let run = check(&["--format", format, dir.path().to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0));
        let err = String::from_utf8(run.stderr).unwrap();
        assert_eq!(
            err,
            format!("no plans found under {}\n", dir.path().display())
        );
        if format == "json" {
            let document: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
            assert_eq!(document["diagnostics"], serde_json::json!([]));
        }
    }
}

#[test]
fn the_help_says_how_to_check_a_folder_named_like_a_command() {
    let help = plancheck().arg("--help").output().unwrap();
    let text = String::from_utf8(help.stdout).unwrap();
    assert!(text.contains("`plancheck check rules`"), "{text}");
}

#[test]
fn color_always_colours_a_pipe_and_a_file_and_never_does_not() {
    let colour = |args: &[&str]| {
        let run = check(args).output().unwrap();
        run.stdout.windows(2).any(|w| w == b"\x1b[")
    };
    assert!(colour(&["--color", "always", INVALID_STATUS]));
    assert!(!colour(&["--color", "never", INVALID_STATUS]));
    assert!(!colour(&[INVALID_STATUS]), "auto: a pipe is no terminal");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.txt");
    check(&[
        "--color",
        "always",
        "-o",
        file.to_str().unwrap(),
        INVALID_STATUS,
    ])
    .output()
    .unwrap();
    let written = std::fs::read(&file).unwrap();
    assert!(written.windows(2).any(|w| w == b"\x1b["));
}

#[test]
fn today_is_the_local_date() {
    // Kiritimati is 14 hours ahead of UTC: for most of each day its date is UTC's
    // tomorrow, so a plan updated "today" there would be in the future by UTC.
    let zone = "Pacific/Kiritimati";
    let here = jiff::Timestamp::now().in_tz(zone).unwrap().date();
    let dir = tempfile::tempdir().unwrap();
    support::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/PC303/pass"),
        dir.path(),
    );
    let plan = dir
        .path()
        .join("projectManagement/Implementations/active/M01-v1-user-auth.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    for (updated, future) in [(here, false), (here.tomorrow().unwrap(), true)] {
        let changed = text.replace(
            "- **Updated**: 2025-07-14",
            &format!("- **Updated**: {updated}"),
        );
        std::fs::write(&plan, changed).unwrap();
        let run = plancheck()
            .env("TZ", zone)
            .args(["--format", "concise", "-q"])
            .arg(dir.path())
            .output()
            .unwrap();
        let out = String::from_utf8(run.stdout).unwrap();
        assert_eq!(out.contains("[PC303]"), future, "Updated {updated}: {out}");
    }
}

#[test]
fn rules_list() {
    assert_cmd_snapshot!(plancheck().arg("rules"));
}

#[test]
fn rules_json() {
    assert_cmd_snapshot!(plancheck().args(["rules", "--format", "json"]));
}

#[test]
fn stdin_with_a_filename() {
    let plan = std::fs::read(format!(
        "{}/{INVALID_STATUS}/projectManagement/Implementations/active/M01-v1-user-auth.md",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let mut cmd = check(&[
        "--format",
        "concise",
        "--stdin-filename",
        "projectManagement/Implementations/active/M01-v1-user-auth.md",
        "-",
    ]);
    assert_cmd_snapshot!(cmd.pass_stdin(plan));
}

#[test]
fn stdin_without_a_filename_skips_the_name_rules() {
    let mut cmd = check(&["--format", "concise", "-"]);
    assert_cmd_snapshot!(cmd.pass_stdin("# Implementation Plan: M01 - X\n"));
}

#[test]
fn no_path_checks_project_management_below_the_current_folder() {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    cmd.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/example"))
        .args(["--today", "2025-08-01", "--format", "concise"]);
    assert_cmd_snapshot!(cmd);
}

#[test]
fn output_is_the_same_for_every_thread_count() {
    let run = |threads: &str| {
        check(&[
            "--format", "json", "--select", "ALL", "-j", threads, "fixtures",
        ])
        .output()
        .unwrap()
        .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
    assert_eq!(one, run("4"));
    assert_eq!(one, run("1"), "a second run prints the same bytes");
}

/// A copy of a fixture project in a temporary folder, with a config file beside it.
fn project_with_config(fixture: &str, config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture);
    support::copy_dir(&from, dir.path());
    std::fs::write(dir.path().join("plancheck.toml"), config).unwrap();
    dir
}

fn run_in(dir: &std::path::Path, args: &[&str]) -> (String, String, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .current_dir(dir)
        .args(["--today", "2025-08-01", "--format", "concise", "-q"])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap(),
    )
}

#[test]
fn the_config_is_found_from_the_first_path_not_only_the_current_folder() {
    let dir = project_with_config(
        "fixtures/rules/PC203/fail",
        "[rules]\nignore = [\"PC203\"]\n",
    );
    let plan = dir
        .path()
        .join("projectManagement/Implementations/active/M01-v1-user-auth.md");
    assert!(
        plan.is_file(),
        "the fixture's plan moved: {}",
        plan.display()
    );
    let elsewhere = tempfile::tempdir().unwrap();
    for first in [dir.path(), plan.as_path()] {
        let (out, err, code) = run_in(elsewhere.path(), &[first.to_str().unwrap()]);
        assert_eq!((out.as_str(), err.as_str(), code), ("", "", 0), "{first:?}");
    }
    let from_stdin = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .current_dir(elsewhere.path())
        .args(["--today", "2025-08-01", "--format", "concise", "-q"])
        .arg("--stdin-filename")
        .arg(&plan)
        .arg("-")
        .stdin(std::fs::File::open(&plan).unwrap())
        .output()
        .unwrap();
    assert_eq!(
        (from_stdin.stdout.as_slice(), from_stdin.status.code()),
        (&b""[..], Some(0))
    );
    // Without the config the same runs report PC203: the test can fail.
    std::fs::remove_file(dir.path().join("plancheck.toml")).unwrap();
    let (out, _, _) = run_in(elsewhere.path(), &[dir.path().to_str().unwrap()]);
    assert!(out.contains("[PC203]"), "{out}");
}

#[test]
fn exclude_skips_on_walks_and_globs_are_read_from_the_config_folder() {
    let dir = project_with_config(
        "fixtures/rules/PC205/fail",
        "exclude = [\"projectManagement/Implementations/active\"]\n",
    );
    let plan = dir
        .path()
        .join("projectManagement/Implementations/active/M01-v1-user-auth.md");
    let elsewhere = tempfile::tempdir().unwrap();
    // Walked from another folder: the glob is the config folder's, and the plan is skipped.
    let (out, err, code) = run_in(elsewhere.path(), &[dir.path().to_str().unwrap()]);
    assert_eq!((out.as_str(), code), ("", 0), "{err}");
    assert!(err.starts_with("no plans found under"), "{err}");
    // Named, it is checked.
    let (out, _, code) = run_in(elsewhere.path(), &[plan.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("[PC205]"), "{out}");
    // Per-file-ignores too: from the config's folder, whatever the current one.
    std::fs::write(
        dir.path().join("plancheck.toml"),
        "[[per-file-ignores]]\nglob = \"projectManagement/Implementations/*/M01-*.md\"\nignore = [\"PC205\"]\n",
    )
    .unwrap();
    let (out, _, code) = run_in(elsewhere.path(), &[dir.path().to_str().unwrap()]);
    assert_eq!((out.as_str(), code), ("", 0));
    let (out, _, code) = run_in(dir.path(), &["."]);
    assert_eq!((out.as_str(), code), ("", 0));
}

#[test]
fn a_config_turns_off_selects_regrades_and_widens() {
    // PC203 (`Owner`) fires without a config …
    let plain = project_with_config("fixtures/rules/PC203/fail", "");
    assert!(run_in(plain.path(), &[]).0.contains("[PC203]"));
    // … and each way of configuring it away works.
    for config in [
        "[rules]\nignore = [\"PC203\"]\n",
        "[rules]\nseverity = { unknown-field = \"off\" }\n",
        "[rules]\nselect = [\"PC1\", \"PC3\"]\n",
        "[plan]\nextra-fields = [\"Owner\"]\n",
        "[[per-file-ignores]]\nglob = \"**/active/*.md\"\nignore = [\"PC2\"]\n",
    ] {
        let dir = project_with_config("fixtures/rules/PC203/fail", config);
        let (out, err, code) = run_in(dir.path(), &[]);
        assert_eq!((out.as_str(), err.as_str(), code), ("", "", 0), "{config}");
    }
    // Re-grading: a warning made an error fails the run; an off rule turned on reports.
    let dir = project_with_config(
        "fixtures/rules/PC203/fail",
        "[rules]\nseverity = { PC203 = \"error\" }\n",
    );
    let (out, _, code) = run_in(dir.path(), &[]);
    assert!(out.contains("error[PC203]") && code == 1, "{out}");
    let dir = project_with_config(
        "fixtures/rules/PC304/fail",
        "[rules]\nseverity = { PC304 = \"warning\" }\n",
    );
    assert!(run_in(dir.path(), &[]).0.contains("warning[PC304]"));
    // Statuses widen the schema: `on-hold` is allowed, and `active` still is.
    let dir = project_with_config(
        "fixtures/rules/PC205/fail",
        "[plan]\nstatuses = [\"active\", \"Active\", \"completed\", \"superseded\"]\n",
    );
    assert_eq!(run_in(dir.path(), &[]).0, "");
    // --no-config ignores the file; the command line's --select replaces the config's.
    let dir = project_with_config(
        "fixtures/rules/PC203/fail",
        "[rules]\nignore = [\"PC203\"]\n",
    );
    assert!(run_in(dir.path(), &["--no-config"]).0.contains("[PC203]"));
}

#[test]
fn a_bad_config_exits_2_pointing_into_the_file() {
    let dir = project_with_config(
        "fixtures/example",
        "[rules]\nselect = [\"PC205\", \"invalid-stauts\"]\n",
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    cmd.current_dir(dir.path()).args(["--today", "2025-08-01"]);
    assert_cmd_snapshot!(cmd);
}

#[test]
fn config_shows_the_settings_and_their_sources() {
    let dir = project_with_config(
        "fixtures/example",
        "[rules]\nignore = [\"PC401\"]\nseverity = { PC304 = \"warning\" }\n\n[plan]\nextra-sections = [\"Appendix\"]\n",
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    cmd.current_dir(dir.path())
        .args(["config", "--today", "2025-08-01", "--select", "PC3,PC4"]);
    let output = cmd.output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let text = text.replace(&dir.path().display().to_string(), "[DIR]");
    insta::assert_snapshot!(text);
}

#[test]
fn suppression_comments() {
    let dir = project_with_config("fixtures/rules/PC203/fail", "");
    let plan = dir
        .path()
        .join("projectManagement/Implementations/active/M01-v1-user-auth.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    let cases = [
        (
            "<!-- plancheck-disable-next-line PC203 -->\n- **Owner**",
            "",
        ),
        (
            "<!-- plancheck-disable-next-line unknown-field -->\n- **Owner**",
            "",
        ),
        ("<!-- plancheck-disable-next-line -->\n- **Owner**", ""),
        ("<!-- plancheck-disable PC2 -->\n- **Owner**", ""),
        (
            "<!-- plancheck-disable PC203 -->\n<!-- plancheck-enable -->\n- **Owner**",
            "[PC203] [PC901]",
        ),
        (
            "<!-- plancheck-disable-next-line PC501 -->\n- **Owner**",
            "[PC203] [PC901]",
        ),
    ];
    for (comment, expected) in cases {
        std::fs::write(&plan, text.replacen("- **Owner**", comment, 1)).unwrap();
        let (out, _, _) = run_in(dir.path(), &[]);
        let mut codes: Vec<&str> = out
            .lines()
            .filter_map(|l| l.split_whitespace().nth(1))
            .map(|w| w.trim_start_matches(|c: char| c.is_ascii_alphabetic()))
            .collect();
        codes.sort_unstable();
        assert_eq!(codes.join(" "), expected, "{comment}\n{out}");
    }
    let mut whole_file = text.clone();
    whole_file.push_str("\n<!-- plancheck-disable-file PC203 -->\n");
    std::fs::write(&plan, whole_file).unwrap();
    assert_eq!(run_in(dir.path(), &[]).0, "");
}
