//! The loaders held to what each file's `serde_json::Value` says.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use super::*;
use crate::project::flows::{FlowIds, IndexedFlowIds};
use crate::project::loose::Loose;
use crate::project::milestones::CompletionPathJson;
use crate::project::tasks::{task_keys, TaskKeys};
use crate::project::themes::first_string;
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

/// What each file's `serde_json::Value` says, as plancheck read every project file into
/// one before: the reference the readers above are held to.
mod tree {
    use super::*;

    /// A task file's keys.
    pub fn task(text: &str) -> Result<String, Problem> {
        #[derive(serde::Deserialize)]
        struct Task {
            #[serde(default)]
            milestone: Option<Value>,
            #[serde(default, rename = "milestoneId")]
            milestone_id: Option<Value>,
            #[serde(default, rename = "implementationPlan")]
            implementation_plan: Option<Value>,
            #[serde(default, rename = "implementationPlanId")]
            implementation_plan_id: Option<Value>,
        }
        let task = parse_object::<Task>(text, "a task file")?;
        fn string<'v>(value: &'v Option<Value>, path: &[&str]) -> Option<&'v str> {
            value.as_ref().and_then(|v| first_string(v, &[path]))
        }
        let milestone = (string(&task.milestone, &["id"]).map(|v| (v, "id")))
            .or(string(&task.milestone, &["milestoneId"]).map(|v| (v, "milestoneId")))
            .or(string(&task.milestone_id, &[]).map(|v| (v, "milestoneId")))
            .or(string(&task.milestone, &[]).map(|v| (v, "milestone")));
        let plan = (string(&task.implementation_plan, &["filename"]))
            .or(string(&task.implementation_plan, &["id"]))
            .or(string(&task.implementation_plan_id, &[]));
        let phase = string(&task.implementation_plan, &["phase"]);
        Ok(format!("{milestone:?} {plan:?} {phase:?}"))
    }

    /// The flow ids an object defines: its own `flowId` and those of its `flows[]`.
    fn flow_ids(value: &Value) -> impl Iterator<Item = String> + '_ {
        let nested = (value.get("flows").and_then(Value::as_array))
            .into_iter()
            .flatten();
        std::iter::once(value)
            .chain(nested)
            .filter_map(|v| v.get("flowId").and_then(Value::as_str))
            .map(String::from)
    }

    pub fn flow_file(text: &str) -> Result<Vec<String>, Problem> {
        parse_json::<Value>(text).map(|value| flow_ids(&value).collect())
    }

    pub fn flow_index(text: &str) -> Result<Option<BTreeSet<String>>, Problem> {
        let value = parse_json::<Value>(text)?;
        Ok(match value.get("flowFiles") {
            None | Some(Value::Null) => Some(BTreeSet::new()),
            Some(Value::Array(entries)) => Some(entries.iter().flat_map(flow_ids).collect()),
            Some(Value::Object(by_id)) => Some(by_id.keys().cloned().collect()),
            Some(_) => None,
        })
    }

    /// completion-path.json's milestones (each with its flows and plans), or the problem
    /// its reading finds.
    pub fn milestones(text: &str) -> String {
        let list = match parse_object::<CompletionPathJson>(text, "completion-path.json") {
            Ok(document) => document.milestones,
            Err(problem) => return format!("broken: {problem:?}"),
        };
        let Some(list) = list else {
            return String::new();
        };
        let Ok(list) = serde_json::from_str::<Vec<&serde_json::value::RawValue>>(list.get()) else {
            return "shape: not a list".to_string();
        };
        let mut read = Vec::new();
        for entry in list {
            let entry: Value = serde_json::from_str(entry.get()).unwrap_or_default();
            let Some(id) = entry.get("id").and_then(Value::as_str) else {
                return "shape: a milestone without an id".to_string();
            };
            let flows: Vec<&str> = (entry.get("requiredFlows").and_then(Value::as_array))
                .into_iter()
                .flatten()
                .filter_map(|f| f.get("flowId").and_then(Value::as_str).or(f.as_str()))
                .collect();
            let plans: Vec<String> = (entry.get("implementationPlans").and_then(Value::as_array))
                .into_iter()
                .flatten()
                .filter_map(|plan| {
                    let filename = plan.get("filename").and_then(Value::as_str)?;
                    let status = plan.get("status").and_then(Value::as_str);
                    Some(format!("{filename}:{}", status.unwrap_or_default()))
                })
                .collect();
            read.push(format!("{id} {flows:?} {plans:?}"));
        }
        read.join("\n")
    }
}

fn task_by_reader(text: &str) -> Result<String, Problem> {
    let keys = task_keys(text)?;
    let milestone = keys.milestone.as_ref().map(|(v, key)| (v.as_ref(), *key));
    Ok(format!(
        "{milestone:?} {:?} {:?}",
        keys.plan.as_deref(),
        keys.phase.as_deref()
    ))
}

fn flow_file_by_reader(text: &str) -> Result<Vec<String>, Problem> {
    let Loose(FlowIds(ids)) = parse_json(text)?;
    Ok(ids.into_iter().map(Cow::into_owned).collect())
}

fn flow_index_by_reader(text: &str) -> Result<Option<BTreeSet<String>>, Problem> {
    let Loose(IndexedFlowIds(ids)) = parse_json(text)?;
    Ok(ids.map(|ids| ids.into_iter().map(Cow::into_owned).collect()))
}

/// completion-path.json as the loader reads it, said as [`tree::milestones`] says it.
fn milestones_by_reader(text: &str) -> String {
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

#[test]
fn a_task_file_is_read_as_its_tree_says() {
    for text in [
        r#"{"milestone": {"id": "M-02", "milestoneId": "M2"}, "implementationPlan": {"filename": "M02-v1-a.md", "id": "x", "phase": "Phase 1"}}"#,
        r#"{"milestone": {"milestoneId": "M2"}, "milestoneId": "M3", "implementationPlanId": "M02-v1-a"}"#,
        r#"{"milestone": "M-04", "implementationPlan": "M04-v1-a.md", "implementationPlanId": "M04-v1-b"}"#,
        r#"{"milestone": {"id": "M-01", "id": 5}, "implementationPlan": {"phase": 1, "phase": "Phase 2"}}"#,
        r#"{"title": "with \"quotes\" and \u00e9", "notes": [1, -2.5e3, {"x": null}], "milestone": null}"#,
        r#"{"milestone": "M-01", "milestone": "M-02"}"#,
        r#"{"milestone": "M\u002d01"}"#,
        r#"{"mile\u0073tone": "M-01"}"#,
        r#"{"milestone": {"id": "M-01", "n": 1e400}}"#,
        r#"{"notes": 1e400, "milestone": "M-01"}"#,
        r#"{"milestone": {"id": "M-01", "x": "\ud800"}}"#,
        r#"{"title": "\ud83d\ude00", "milestone": "M-01"}"#,
        r#"{"milestone": "M-01",}"#,
        r#"{"milestone": "M-01"} x"#,
        r#"[{"milestone": "M-01"}]"#,
        "\u{FEFF}{}",
        "\u{a0}{}",
        "",
    ] {
        assert_eq!(task_by_reader(text), tree::task(text), "{text}");
    }
    let (span, message) = task_keys(r#"{"milestone": "M-01", "milestone": "M-02"}"#).unwrap_err();
    assert_eq!(message, "invalid JSON: duplicate field `milestone`");
    assert_eq!(span, Some(Span::new(32, 33)));
    let keys = task_keys(
        r#"{"milestone": {"id": "M-01", "id": 5}, "implementationPlan": {"phase": "Phase 2"}}"#,
    );
    let keys = keys.unwrap();
    assert_eq!(
        keys.milestone, None,
        "the later `id` counts, and is no string"
    );
    assert_eq!(keys.phase.as_deref(), Some("Phase 2"));
}

#[test]
fn completion_path_is_read_as_its_tree_says() {
    for text in [
        r#"{"milestones": [{"id": "M-01", "requiredFlows": [{"flowId": "a-flow"}, "b-flow", 3, {"flowId": 4}],
            "implementationPlans": [{"filename": "M01-v1-a.md", "status": "active"}, "x", {"status": "done"}]},
           {"id": "M-02", "id": "M-03", "requiredFlows": {"flowId": "c-flow"}, "implementationPlans": null,
            "notes": ["\u00e9", 1e5, {"id": "M-03"}]}], "steps": [1, 2]}"#,
        r#"{"milestones": [{"id": "M-01", "requiredFlows": [{"flowId": "a", "flowId": "b"}]}]}"#,
        r#"{"milestones": []}"#,
        r#"{"milestones": null, "completionObjective": "x"}"#,
        r#"{}"#,
        r#"{"milestones": [{"id": "M-01"}, 5]}"#,
        r#"{"milestones": [{"title": "no id"}]}"#,
        r#"{"milestones": [{"id": 1}]}"#,
        r#"{"milestones": {"id": "M-01"}}"#,
        r#"{"milestones": "M-01"}"#,
        r#"{"milestones": "\ud800"}"#,
        r#"{"milestones": [], "milestones": []}"#,
        r#"{"milestones": [{"id": "M\u002d01"}]}"#,
        r#"{"milestones": [{"id": "M-01", "x": 1e400}]}"#,
        r#"{"milestones": [{"id": "M-01", "x": "\ud800"}, {"id": "M-02"}]}"#,
        r#"{"milestones": [{"id": "M-01"}],}"#,
        r#"{"steps": [1e400], "milestones": [{"id": "M-01"}]}"#,
        r#"[{"id": "M-01"}]"#,
        "",
    ] {
        assert_eq!(milestones_by_reader(text), tree::milestones(text), "{text}");
    }
}

#[test]
fn a_flow_file_is_read_as_its_tree_says() {
    for text in [
        r#"{"flowId": "a-flow", "flows": [{"flowId": "b-flow"}, "c", {"flowId": 1}, {"x": 2}]}"#,
        r#"{"flows": [{"flowId": "a", "flowId": "b"}], "flows": [{"flowId": "c"}], "flowId": 3}"#,
        r#"{"flows": {"flowId": "a"}, "steps": [1.5, "\n"]}"#,
        r#"{"flows": [{"flowId": "a"}], "flows": null}"#,
        r#"[{"flowId": "a"}]"#,
        r#"{"flowId": "a\u002db"}"#,
        r#"{"flowId": "a", "n": 1e400}"#,
        r#"{"flowId": "a",}"#,
        "{}",
    ] {
        assert_eq!(flow_file_by_reader(text), tree::flow_file(text), "{text}");
    }
}

#[test]
fn a_flow_index_is_read_as_its_tree_says() {
    for text in [
        r#"{"flowFiles": [{"filename": "a-flow.json", "flows": [{"flowId": "a"}, 3, {"flowId": "b", "flowId": "c"}]},
            {"flowId": "d", "filePath": "d-flow.json"}, "e", {"flows": "f"}, {"flowId": 1}]}"#,
        r#"{"flowFiles": {"a": {"file": "a-flow.json"}, "b": 2, "a": null}}"#,
        r#"{"flowFiles": [{"flowId": "a"}], "flowFiles": null}"#,
        r#"{"version": 2}"#,
        r#"{"flowFiles": "a"}"#,
        r#"{"flowFiles": 3}"#,
        r#"[{"flowId": "a"}]"#,
        r#"{"flowFiles": {"a\u0062": 1}}"#,
        r#"{"flowFiles": [{"flowId": "a"}],}"#,
        "{}",
    ] {
        assert_eq!(flow_index_by_reader(text), tree::flow_index(text), "{text}");
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

/// Every JSON file of the fixtures, read as each kind of project file, reads as its tree
/// says.
#[test]
fn every_fixture_file_reads_as_its_tree_says() {
    let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
    let mut read = 0;
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let shown = path.display();
            assert_eq!(task_by_reader(&text), tree::task(&text), "{shown}");
            assert_eq!(
                milestones_by_reader(&text),
                tree::milestones(&text),
                "{shown}"
            );
            assert_eq!(
                flow_file_by_reader(&text),
                tree::flow_file(&text),
                "{shown}"
            );
            assert_eq!(
                flow_index_by_reader(&text),
                tree::flow_index(&text),
                "{shown}"
            );
            read += 1;
        }
    }
    assert!(read > 100, "{read} files");
}

mod properties {
    use super::*;
    use crate::project::json_texts::{
        list, read_of_a_thousand, shaped, slipped, string, tidy_value, value,
    };
    use proptest::prelude::*;

    /// Texts in the shape of completion-path.json, with values of other shapes here and
    /// there, and broken now and then.
    fn completion_path_text() -> impl Strategy<Value = String> {
        const WORDS: &[&str] = &["M-01", "M-02", "a-flow", "M01-v1-a.md", "active", "id"];
        let flow = prop_oneof![
            2 => string(WORDS),
            2 => shaped(&["flowId", "x"], string(WORDS)),
            1 => tidy_value(WORDS),
            1 => value(WORDS),
        ];
        let plan = prop_oneof![
            6 => shaped(&["filename", "status", "x"], string(WORDS)),
            1 => tidy_value(WORDS),
            1 => value(WORDS),
        ];
        let field = prop_oneof![
            4 => string(WORDS),
            3 => list(flow),
            3 => list(plan),
            2 => tidy_value(WORDS),
            1 => value(WORDS),
        ];
        let other = shaped(
            &["requiredFlows", "implementationPlans", "title"],
            field.clone(),
        );
        let milestone = prop_oneof![
            6 => (string(WORDS), other).prop_map(|(id, other)| match other.strip_prefix("{}") {
                Some(_) => format!("{{\"id\": {id}}}"),
                None => format!("{{\"id\": {id}, {}", &other[1..]),
            }),
            1 => shaped(&["id", "requiredFlows", "implementationPlans"], field),
            1 => tidy_value(WORDS),
        ];
        let document = prop_oneof![
            4 => list(milestone.clone()).prop_map(|list| format!("{{\"milestones\": {list}}}")),
            1 => shaped(&["milestones", "completionObjective"], list(milestone)),
            1 => shaped(&["milestones", "completionObjective"], value(WORDS)),
        ];
        slipped(document)
    }

    /// Texts in the shape of a task file, now and then of others, and broken now and then.
    fn task_text() -> impl Strategy<Value = String> {
        const WORDS: &[&str] = &["M-01", "M01-v1-a.md", "Phase 1", "id", "milestone"];
        let below = prop_oneof![
            4 => string(WORDS),
            2 => tidy_value(WORDS),
            1 => value(WORDS),
        ];
        let nested = shaped(
            &["id", "milestoneId", "filename", "phase", "x"],
            below.clone(),
        );
        let field = prop_oneof![
            4 => string(WORDS),
            4 => nested,
            2 => tidy_value(WORDS),
            1 => value(WORDS),
        ];
        let keys = &[
            "milestone",
            "milestoneId",
            "implementationPlan",
            "implementationPlanId",
            "title",
            "notes",
            "status",
            "taskId",
            "x",
            "y",
        ];
        slipped(shaped(keys, field))
    }

    /// Texts in the shape of a flow file, with values of other shapes here and there.
    fn flow_text() -> impl Strategy<Value = String> {
        const WORDS: &[&str] = &["a-flow", "b-flow", "flowId", "flows"];
        let flow = prop_oneof![
            4 => shaped(&["flowId", "flowId", "name"], string(WORDS)),
            1 => tidy_value(WORDS),
            1 => value(WORDS),
        ];
        let field = prop_oneof![
            3 => string(WORDS),
            3 => list(flow),
            1 => tidy_value(WORDS),
            1 => value(WORDS),
        ];
        slipped(shaped(&["flowId", "flows", "flows", "steps"], field))
    }

    /// Texts in the shape of flow-index.json, in each of its shapes.
    fn flow_index_text() -> impl Strategy<Value = String> {
        const WORDS: &[&str] = &["a-flow", "b-flow", "a-flow.json"];
        let flow = prop_oneof![
            4 => shaped(&["flowId", "flowId", "name"], string(WORDS)),
            1 => tidy_value(WORDS),
            1 => value(WORDS),
        ];
        let entry = prop_oneof![
            4 => shaped(&["flowId", "filename", "flows", "flows"], prop_oneof![
                3 => string(WORDS),
                3 => list(flow),
                1 => tidy_value(WORDS),
            ]),
            1 => value(WORDS),
        ];
        let files = prop_oneof![
            3 => list(entry),
            2 => shaped(&["a-flow", "b-flow", "c-flow"], tidy_value(WORDS)),
            1 => value(WORDS),
        ];
        slipped(shaped(&["flowFiles", "flowFiles", "version"], files))
    }

    /// The texts are near enough to project files that most name something.
    #[test]
    fn the_texts_name_something_now_and_then() {
        let named = |ids: &[String]| (!ids.is_empty()).then_some(());
        let tasks = read_of_a_thousand(task_text(), |text| {
            (task_keys(text).ok()).and_then(|keys| (keys != TaskKeys::default()).then_some(()))
        });
        let flows = read_of_a_thousand(flow_text(), |text| {
            flow_file_by_reader(text).ok().and_then(|ids| named(&ids))
        });
        let indexed = read_of_a_thousand(flow_index_text(), |text| {
            flow_index_by_reader(text)
                .ok()
                .flatten()
                .filter(|ids| !ids.is_empty())
        });
        let milestones = read_of_a_thousand(completion_path_text(), |text| {
            let read = milestones_by_reader(text);
            (!read.is_empty() && !read.starts_with("shape") && !read.starts_with("broken"))
                .then_some(())
        });
        for (kind, count) in [
            ("tasks", tasks),
            ("flow files", flows),
            ("flow indexes", indexed),
            ("milestone lists", milestones),
        ] {
            assert!(count >= 50, "{count} of 1000 {kind} name something");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn completion_path_reads_as_its_tree_says(text in completion_path_text()) {
            prop_assert_eq!(milestones_by_reader(&text), tree::milestones(&text));
        }

        #[test]
        fn a_flow_index_reads_as_its_tree_says(text in flow_index_text()) {
            prop_assert_eq!(flow_index_by_reader(&text), tree::flow_index(&text));
        }

        #[test]
        fn a_flow_file_reads_as_its_tree_says(text in flow_text()) {
            prop_assert_eq!(flow_file_by_reader(&text), tree::flow_file(&text));
        }

        #[test]
        fn a_task_file_reads_as_its_tree_says(text in task_text()) {
            prop_assert_eq!(task_by_reader(&text), tree::task(&text));
        }
    }
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
