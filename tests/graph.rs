//! `plancheck graph`, as a user runs it: the JSON and Mermaid graph of the example project,
//! the orphans and dangling references of a project with some, dot accepted by Graphviz,
//! and the dangling list naming exactly what PC501, PC503 and PC505 report.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests build their projects on disk"
)]

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Output, Stdio};

use insta_cmd::assert_cmd_snapshot;

fn plancheck(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plancheck"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args(args);
    cmd
}

fn run(args: &[&str]) -> Output {
    let output = plancheck(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_slice(&run(args).stdout).unwrap()
}

const EXAMPLE: &str = "fixtures/example";
const WITH_DANGLING: &str = "fixtures/graph";

#[test]
fn json_of_the_example_project() {
    assert_cmd_snapshot!(plancheck(&["graph", "--format", "json", EXAMPLE]));
}

#[test]
fn mermaid_of_the_example_project() {
    assert_cmd_snapshot!(plancheck(&["graph", "--format", "mermaid", EXAMPLE]));
}

#[test]
fn orphans() {
    assert_cmd_snapshot!(plancheck(&["graph", "--orphans", WITH_DANGLING]));
}

#[test]
fn dangling() {
    assert_cmd_snapshot!(plancheck(&["graph", "--dangling", WITH_DANGLING]));
}

#[test]
fn dangling_references_drawn_in_mermaid() {
    assert_cmd_snapshot!(plancheck(&[
        "graph",
        "--format",
        "mermaid",
        "--dangling",
        WITH_DANGLING
    ]));
}

/// Every edge joins two nodes, ids are unique, and both lists are sorted as cli.md says.
#[test]
fn edges_join_nodes_and_lists_are_sorted() {
    for project in [EXAMPLE, WITH_DANGLING] {
        let graph = json(&["graph", project]);
        let ids: Vec<&str> = (graph["nodes"].as_array().unwrap().iter())
            .map(|n| n["id"].as_str().unwrap())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted, "{project}: nodes sorted by id, each once");
        let edges = graph["edges"].as_array().unwrap();
        assert!(!edges.is_empty());
        let keys: Vec<(&str, &str, &str)> = edges
            .iter()
            .map(|e| {
                let end = |key: &str| e[key].as_str().unwrap();
                assert!(
                    ids.contains(&end("from")) && ids.contains(&end("to")),
                    "{e}"
                );
                assert!(e["line"].as_u64().unwrap() > 0, "{e}");
                (end("from"), end("to"), end("kind"))
            })
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] <= w[1]),
            "{project}: edges sorted"
        );
        let kinds: BTreeSet<&str> = keys.iter().map(|k| k.2).collect();
        let expected = [
            "has-phase",
            "has-plan",
            "lists-task",
            "requires-flow",
            "task-of-phase",
            "uses-theme",
        ];
        assert_eq!(kinds, BTreeSet::from(expected), "{project}");
    }
}

/// `--dangling` and `check` come from one resolution: the same references, at the same
/// places, in the fixture made for it and in each rule's failing fixture.
#[test]
fn dangling_names_what_pc501_pc503_and_pc505_report() {
    for project in [
        WITH_DANGLING,
        "fixtures/rules/PC501/fail",
        "fixtures/rules/PC503/fail",
        "fixtures/rules/PC505/fail",
        EXAMPLE,
    ] {
        let graph = json(&["graph", "--dangling", project]);
        let dangling: BTreeSet<(String, u64, String)> = (graph["dangling"].as_array().unwrap())
            .iter()
            .map(|d| {
                let to = d["to"].as_str().unwrap();
                let name = to.split_once(':').unwrap().1;
                let path = d["path"].as_str().unwrap().to_string();
                (path, d["line"].as_u64().unwrap(), name.to_string())
            })
            .collect();
        let check = plancheck(&[
            "check",
            "--format",
            "json",
            "--select",
            "PC501,PC503,PC505",
            project,
        ])
        .output()
        .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
        let found: BTreeSet<(String, u64, String)> = (report["diagnostics"].as_array().unwrap())
            .iter()
            .map(|d| {
                let message = d["message"].as_str().unwrap();
                let name = message.split('`').nth(1).unwrap();
                let path = d["path"].as_str().unwrap().to_string();
                let line = d["span"]["start"]["line"].as_u64().unwrap();
                (path, line, name.to_string())
            })
            .collect();
        assert_eq!(dangling, found, "{project}");
        assert_eq!(dangling.is_empty(), project == EXAMPLE, "{project}");
    }
}

#[test]
fn dot_is_accepted_by_graphviz() {
    let has_dot = Command::new("dot").arg("-V").output().is_ok();
    if !has_dot {
        #[allow(clippy::print_stdout, reason = "the test says why it checks nothing")]
        {
            println!("skipped: Graphviz's `dot` is not installed, so the dot output is not run through it");
        }
        return;
    }
    for args in [
        &["graph", "--format", "dot", EXAMPLE][..],
        &[
            "graph",
            "--format",
            "dot",
            "--orphans",
            "--dangling",
            WITH_DANGLING,
        ],
        &["graph", "--format", "dot", WITH_DANGLING],
    ] {
        let dot = run(args).stdout;
        let mut graphviz = Command::new("dot")
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        graphviz.stdin.take().unwrap().write_all(&dot).unwrap();
        let svg = graphviz.wait_with_output().unwrap();
        let warnings = String::from_utf8_lossy(&svg.stderr);
        assert!(
            svg.status.success() && warnings.is_empty(),
            "{args:?}: {warnings}"
        );
        assert!(String::from_utf8_lossy(&svg.stdout).contains("<svg"));
    }
}

/// Exit code 2 when it cannot run: a missing PATH, standard input (no file to place in a
/// project), a format it does not know.
#[test]
fn what_cannot_be_drawn_is_exit_code_2() {
    for args in [
        &["graph", "no/such/folder"][..],
        &["graph", "-"],
        &["graph", "--format", "svg", EXAMPLE],
    ] {
        let output = plancheck(args).stdin(Stdio::null()).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

/// The graph reports, `check` judges: a project with dangling references still exits 0.
#[test]
fn findings_do_not_change_the_exit_code() {
    run(&["graph", "--format", "mermaid", WITH_DANGLING]);
}
