//! The loaders: what each kind of project file reads as, and the problems each finds.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use super::*;
use crate::project::flows::{flow_ids, indexed_flow_ids};
use crate::project::tasks::task_keys;
use crate::project::Tasks;

fn fixture(name: &str) -> Project {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
        .join("projectManagement");
    load(
        &root,
        Path::new("projectManagement"),
        &RunPlans::default(),
        &[],
    )
}

#[test]
fn reads_the_upstream_shapes() {
    let project = fixture("upstream");
    assert!(project.problems.is_empty(), "{:?}", project.problems);
    let tasks = project.tasks.as_ref().unwrap();
    let task = tasks.get("TASK-20250711T140000").unwrap();
    assert_eq!(task.milestone, Some(2));
    assert_eq!(task.plan, Some("M02-v1-authentication-system"));
    assert_eq!(task.phase, Some("Phase 2: API Implementation"));
    let (milestone, span) = task.places.milestone.unwrap();
    let file = project.task_file(task);
    assert_eq!(
        file.path,
        "projectManagement/Tasks/active/TASK-20250711T140000.json"
    );
    assert_eq!(milestone, "M-02");
    assert_eq!(file.get(span.unwrap()), Some("M-02"));
    let sidequest = tasks.get("SQ-20250711T140000-001").unwrap();
    assert_eq!(sidequest.milestone, Some(2));
    let flows = project.flows.as_ref().unwrap();
    assert!(flows.contains("user-login-flow") && flows.contains("payment-processing-flow"));
    let themes = project.themes.as_ref().unwrap();
    assert!(themes.contains("authentication") && themes.contains("security"));
    let m02 = project.milestone(2).unwrap();
    assert_eq!(m02.id, "M-02");
    assert!(m02.required_flows().next().is_some());
    let related: Vec<&str> = m02.related_tasks().collect();
    assert_eq!(related, ["TASK-20250702T090000", "TASK-20250709T140000"]);
    assert_eq!(project.plans.len(), 1);
}

#[test]
fn each_broken_file_is_found_where_it_is_whichever_part_of_the_load_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("projectManagement");
    let broken = [
        "Tasks/active/TASK-20250701T090000.json",
        "Tasks/completion-path.json",
        "ProjectFlow/auth-flow.json",
        "Themes/themes.json",
    ];
    for file in broken {
        std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
        std::fs::write(root.join(file), format!("{{\"broken\": \"{file}\",")).unwrap();
    }
    let project = load(
        &root,
        Path::new("projectManagement"),
        &RunPlans::default(),
        &[],
    );
    let mut found: Vec<&str> = project
        .problems
        .iter()
        .map(|problem| {
            let file = &project.files[problem.file];
            assert!(file
                .source()
                .text
                .contains(file.path.trim_start_matches("projectManagement/")));
            file.path.as_str()
        })
        .collect();
    found.sort_unstable();
    let mut expected: Vec<String> = broken
        .iter()
        .map(|f| format!("projectManagement/{f}"))
        .collect();
    expected.sort_unstable();
    assert_eq!(found, expected);
    assert_eq!(project.broken, ["milestones", "flows", "themes"]);
}

/// What a task file names, or the message of why it names nothing.
fn read_task(text: &str) -> String {
    let keys = match task_keys(text) {
        Ok(keys) => keys,
        Err((_, message)) => return format!("error: {message}"),
    };
    let milestone = keys.milestone.as_ref().map(|(v, key)| (v.as_str(), *key));
    let (plan, phase) = (keys.plan.as_deref(), keys.phase.as_deref());
    format!("{milestone:?} {plan:?} {phase:?}")
}

/// The flow ids a flow file defines, or the message of why it defines none.
fn read_flow_file(text: &str) -> String {
    match parse_json::<Value>(text) {
        Ok(flow) => format!("{:?}", flow_ids(&flow).collect::<Vec<_>>()),
        Err((_, message)) => format!("error: {message}"),
    }
}

/// The flow ids a flow index lists (`None` for a `flowFiles` of no known shape), or the
/// message of why it lists none.
fn read_flow_index(text: &str) -> String {
    match parse_json::<Value>(text) {
        Ok(index) => {
            let ids = indexed_flow_ids(&index).map(BTreeSet::from_iter);
            format!("{ids:?}")
        }
        Err((_, message)) => format!("error: {message}"),
    }
}

/// completion-path.json as the loader reads it: a line per milestone (its id, flows and
/// plans), or the problem it finds.
fn read_milestones(text: &str) -> String {
    let mut loader = Loader {
        project: Project::default(),
    };
    let source = SourceFile::new("completion-path.json".to_string(), text.to_string());
    loader.read_milestones(source, Ok(()));
    let project = loader.project;
    if let Some(problem) = project.problems.first() {
        return match problem.message.as_str() {
            m if m.ends_with("a list of milestones") => "shape: not a list".to_string(),
            m if m.ends_with("an object with an `id`") => {
                "shape: a milestone without an id".to_string()
            }
            m => format!("broken: {:?}", (problem.span, m)),
        };
    }
    let Some(milestones) = project.milestones else {
        return String::new();
    };
    let read: Vec<String> = milestones
        .iter()
        .map(|m| {
            let flows: Vec<&str> = m.required_flows().map(|f| f.id).collect();
            let plans: Vec<String> = m
                .plans()
                .map(|p| format!("{}:{}", p.filename, p.status))
                .collect();
            format!("{} {flows:?} {plans:?}", m.id)
        })
        .collect();
    read.join("\n")
}

/// A value of another shape is read as nothing, not as an error; JSON that
/// `serde_json::Value` refuses is an error wherever it stands.
#[test]
fn a_task_file_is_read_for_its_keys_whatever_else_it_holds() {
    for (text, read) in [
        (
            r#"{"milestone": {"id": "M-02", "milestoneId": "M2"}, "implementationPlan": {"filename": "M02-v1-a.md", "id": "x", "phase": "Phase 1"}}"#,
            r#"Some(("M-02", "id")) Some("M02-v1-a.md") Some("Phase 1")"#,
        ),
        (
            r#"{"milestone": {"milestoneId": "M2"}, "milestoneId": "M3", "implementationPlanId": "M02-v1-a"}"#,
            r#"Some(("M2", "milestoneId")) Some("M02-v1-a") None"#,
        ),
        (
            r#"{"milestone": "M-04", "implementationPlan": "M04-v1-a.md", "implementationPlanId": "M04-v1-b"}"#,
            r#"Some(("M-04", "milestone")) Some("M04-v1-b") None"#,
        ),
        (
            r#"{"milestone": {"id": "M-01", "id": 5}, "implementationPlan": {"phase": 1, "phase": "Phase 2"}}"#,
            r#"None None Some("Phase 2")"#,
        ),
        (
            r#"{"title": "with \"quotes\" and \u00e9", "notes": [1, -2.5e3, {"x": null}], "milestone": null}"#,
            "None None None",
        ),
        (
            r#"{"milestone": "M-01", "milestone": "M-02"}"#,
            "error: invalid JSON: duplicate field `milestone`",
        ),
        (
            r#"{"milestone": "M\u002d01"}"#,
            r#"Some(("M-01", "milestone")) None None"#,
        ),
        (
            r#"{"mile\u0073tone": "M-01"}"#,
            r#"Some(("M-01", "milestone")) None None"#,
        ),
        (
            r#"{"milestone": {"id": "M-01", "n": 1e400}}"#,
            "error: invalid JSON: number out of range",
        ),
        (
            r#"{"notes": 1e400, "milestone": "M-01"}"#,
            r#"Some(("M-01", "milestone")) None None"#,
        ),
        (
            r#"{"milestone": {"id": "M-01", "x": "\ud800"}}"#,
            "error: invalid JSON: unexpected end of hex escape",
        ),
        (
            r#"{"title": "\ud83d\ude00", "milestone": "M-01"}"#,
            r#"Some(("M-01", "milestone")) None None"#,
        ),
        (
            r#"{"milestone": "M-01",}"#,
            "error: invalid JSON: trailing comma",
        ),
        (
            r#"{"milestone": "M-01"} x"#,
            "error: invalid JSON: trailing characters",
        ),
        (
            r#"[{"milestone": "M-01"}]"#,
            "error: a task file holds a list, where a JSON object belongs",
        ),
        ("\u{FEFF}{}", "None None None"),
        ("\u{a0}{}", "error: invalid JSON: expected value"),
        ("", "error: invalid JSON: EOF while parsing a value"),
    ] {
        assert_eq!(read_task(text), read, "{text}");
    }
    let (span, _) = task_keys(r#"{"milestone": "M-01", "milestone": "M-02"}"#).unwrap_err();
    assert_eq!(span, Some(Span::new(32, 33)));
}

#[test]
fn completion_path_is_read_one_milestone_at_a_time() {
    let no_id = "shape: a milestone without an id";
    let not_a_list = "shape: not a list";
    for (text, read) in [
        (
            r#"{"milestones": [{"id": "M-01", "requiredFlows": [{"flowId": "a-flow"}, "b-flow", 3, {"flowId": 4}],
            "implementationPlans": [{"filename": "M01-v1-a.md", "status": "active"}, "x", {"status": "done"}]},
           {"id": "M-02", "id": "M-03", "requiredFlows": {"flowId": "c-flow"}, "implementationPlans": null,
            "notes": ["\u00e9", 1e5, {"id": "M-03"}]}], "steps": [1, 2]}"#,
            "M-01 [\"a-flow\", \"b-flow\"] [\"M01-v1-a.md:active\"]\nM-03 [] []",
        ),
        (
            r#"{"milestones": [{"id": "M-01", "requiredFlows": [{"flowId": "a", "flowId": "b"}]}]}"#,
            r#"M-01 ["b"] []"#,
        ),
        (r#"{"milestones": []}"#, ""),
        (r#"{"milestones": null, "completionObjective": "x"}"#, ""),
        (r#"{}"#, ""),
        (r#"{"milestones": [{"id": "M-01"}, 5]}"#, no_id),
        (r#"{"milestones": [{"title": "no id"}]}"#, no_id),
        (r#"{"milestones": [{"id": 1}]}"#, no_id),
        (r#"{"milestones": {"id": "M-01"}}"#, not_a_list),
        (r#"{"milestones": "M-01"}"#, not_a_list),
        (r#"{"milestones": "\ud800"}"#, not_a_list),
        (
            r#"{"milestones": [], "milestones": []}"#,
            r#"broken: (Some(Span { start: 30, end: 31 }), "invalid JSON: duplicate field `milestones`")"#,
        ),
        (r#"{"milestones": [{"id": "M\u002d01"}]}"#, "M-01 [] []"),
        (r#"{"milestones": [{"id": "M-01", "x": 1e400}]}"#, no_id),
        (
            r#"{"milestones": [{"id": "M-01", "x": "\ud800"}, {"id": "M-02"}]}"#,
            no_id,
        ),
        (
            r#"{"milestones": [{"id": "M-01"}],}"#,
            r#"broken: (Some(Span { start: 32, end: 33 }), "invalid JSON: trailing comma")"#,
        ),
        (
            r#"{"steps": [1e400], "milestones": [{"id": "M-01"}]}"#,
            "M-01 [] []",
        ),
        (
            r#"[{"id": "M-01"}]"#,
            r#"broken: (Some(Span { start: 0, end: 0 }), "completion-path.json holds a list, where a JSON object belongs")"#,
        ),
        (
            "",
            r#"broken: (Some(Span { start: 0, end: 0 }), "invalid JSON: EOF while parsing a value")"#,
        ),
    ] {
        assert_eq!(read_milestones(text), read, "{text}");
    }
}

#[test]
fn a_flow_file_defines_its_own_id_and_those_of_its_flows() {
    for (text, read) in [
        (
            r#"{"flowId": "a-flow", "flows": [{"flowId": "b-flow"}, "c", {"flowId": 1}, {"x": 2}]}"#,
            r#"["a-flow", "b-flow"]"#,
        ),
        (
            r#"{"flows": [{"flowId": "a", "flowId": "b"}], "flows": [{"flowId": "c"}], "flowId": 3}"#,
            r#"["c"]"#,
        ),
        (r#"{"flows": {"flowId": "a"}, "steps": [1.5, "\n"]}"#, "[]"),
        (r#"{"flows": [{"flowId": "a"}], "flows": null}"#, "[]"),
        (r#"[{"flowId": "a"}]"#, "[]"),
        (r#"{"flowId": "a\u002db"}"#, r#"["a-b"]"#),
        (
            r#"{"flowId": "a", "n": 1e400}"#,
            "error: invalid JSON: number out of range",
        ),
        (r#"{"flowId": "a",}"#, "error: invalid JSON: trailing comma"),
        ("{}", "[]"),
    ] {
        assert_eq!(read_flow_file(text), read, "{text}");
    }
}

#[test]
fn a_flow_index_lists_flows_in_each_of_its_shapes() {
    for (text, read) in [
        (
            r#"{"flowFiles": [{"filename": "a-flow.json", "flows": [{"flowId": "a"}, 3, {"flowId": "b", "flowId": "c"}]},
            {"flowId": "d", "filePath": "d-flow.json"}, "e", {"flows": "f"}, {"flowId": 1}]}"#,
            r#"Some({"a", "c", "d"})"#,
        ),
        (
            r#"{"flowFiles": {"a": {"file": "a-flow.json"}, "b": 2, "a": null}}"#,
            r#"Some({"a", "b"})"#,
        ),
        (
            r#"{"flowFiles": [{"flowId": "a"}], "flowFiles": null}"#,
            "Some({})",
        ),
        (r#"{"version": 2}"#, "Some({})"),
        (r#"{"flowFiles": "a"}"#, "None"),
        (r#"{"flowFiles": 3}"#, "None"),
        (r#"[{"flowId": "a"}]"#, "Some({})"),
        (r#"{"flowFiles": {"a\u0062": 1}}"#, r#"Some({"ab"})"#),
        (
            r#"{"flowFiles": [{"flowId": "a"}],}"#,
            "error: invalid JSON: trailing comma",
        ),
        ("{}", "Some({})"),
    ] {
        assert_eq!(read_flow_index(text), read, "{text}");
    }
}

#[test]
fn names_sort_by_their_keys_as_by_their_bytes() {
    let mut names: Vec<OsString> = [
        "TASK-20200101T000100.json",
        "TASK-20200101T000100-a.json",
        "TASK-20200101T0001.json",
        "TASK-20200101T00",
        "TASK-20200101T00\u{0}",
        "a.json",
        "a-b.json",
        "",
        "\u{e9}.json",
        "SQ-20200101T000000-001.json",
        "SQ-20200101T000000-002.json",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    let mut keyed: Vec<(u128, OsString)> = names.iter().map(|n| (sort_key(n), n.clone())).collect();
    keyed.sort_unstable();
    names.sort_unstable();
    let keyed: Vec<OsString> = keyed.into_iter().map(|(_, name)| name).collect();
    assert_eq!(keyed, names);
}

#[test]
fn a_fresh_project_lists_nothing() {
    let project = fixture("fresh");
    assert!(project.problems.is_empty(), "{:?}", project.problems);
    assert!(project.milestones.is_none(), "`milestones: []` lists none");
    assert_eq!(project.flows.as_ref().map(BTreeSet::len), Some(0));
    assert_eq!(project.themes.as_ref().map(BTreeSet::len), Some(0));
    assert!(project.tasks.as_ref().is_some_and(Tasks::is_empty));
}

#[test]
fn broken_json_is_one_problem_at_the_error_and_its_kind_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("Themes")).unwrap();
    std::fs::write(
        root.join("Themes/themes.json"),
        "{\n  \"themes\": {\n    \"a\": {},\n  }\n}",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("ProjectFlow")).unwrap();
    std::fs::write(
        root.join("ProjectFlow/flow-index.json"),
        "{\"flowFiles\": 3}",
    )
    .unwrap();
    let project = load(root, Path::new("p"), &RunPlans::default(), &[]);
    assert_eq!(project.problems.len(), 2, "{:?}", project.problems);
    let themes = &project
        .problems
        .iter()
        .find(|p| project.files[p.file].path.ends_with("themes.json"))
        .unwrap();
    let file = project.files[themes.file].source();
    let at = file.line_column(themes.span.unwrap().start);
    assert_eq!((at.line, at.column), (4, 3), "{}", themes.message);
    assert!(project.themes.is_none() && project.flows.is_none());
    assert!(project.broken.contains(&"themes") && project.broken.contains(&"flows"));
}

#[test]
fn an_index_of_another_kind_says_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("Themes")).unwrap();
    std::fs::create_dir_all(root.join("Tasks")).unwrap();
    std::fs::write(root.join("Themes/themes.json"), " [\"a\", \"b\"]").unwrap();
    std::fs::write(root.join("Tasks/completion-path.json"), "\"x\"").unwrap();
    let project = load(root, Path::new("p"), &RunPlans::default(), &[]);
    let mut messages: Vec<&str> = project
        .problems
        .iter()
        .map(|p| p.message.as_str())
        .collect();
    messages.sort_unstable();
    assert_eq!(
        messages,
        [
            "completion-path.json holds a string, where a JSON object belongs",
            "themes.json holds a list, where a JSON object belongs",
        ]
    );
}

#[test]
fn the_runs_plans_are_found_by_their_paths_in_the_project() {
    let mut run = RunPlans::default();
    run.push(Path::new("Implementations/done/M02-v1-b.md"), 7);
    run.push(Path::new("Implementations/active/M01-v1-a.md"), 3);
    run.index();
    assert_eq!(
        run.input(Path::new("Implementations/active/M01-v1-a.md")),
        Some(3)
    );
    assert_eq!(
        run.input(Path::new("Implementations/done/M02-v1-b.md")),
        Some(7)
    );
    assert_eq!(
        run.input(Path::new("Implementations/active/M02-v1-b.md")),
        None
    );
}
