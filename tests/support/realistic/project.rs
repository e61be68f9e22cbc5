//! The project files beside the plans, in the upstream shapes layout.md lists: task and
//! sidequest files, completion-path.json, the flow index and flow files, the theme index
//! and theme files. Each shape is drawn from the seed, so a few seeds cover them all.

use std::io;
use std::path::Path;

use serde_json::{json, Value};

use super::names::{FLOW_FILES, INDEXED_THEMES, THEMES};
use super::rng::Rng;
use super::write;

/// A task file and what it says of its milestone, plan and phase.
pub struct Task {
    pub id: String,
    pub milestone: u32,
    /// The plan's file name and, when it gives one, the phase as the task writes it.
    pub plan: Option<(String, Option<String>)>,
}

pub fn write_task(pm: &Path, task: &Task, rng: &mut Rng) -> io::Result<()> {
    let sidequest = task.id.starts_with("SQ-");
    let folder = match (sidequest, rng.chance(25)) {
        (true, false) => "sidequests",
        (true, true) => "archive/sidequests",
        (false, false) => "active",
        (false, true) => "archive/tasks",
    };
    let m = task.milestone;
    let mut doc = json!({
        if sidequest { "sidequestId" } else { "taskId" }: task.id,
        "title": "Build the next step of the journey",
        "status": *rng.pick(&["pending", "in-progress", "completed"]),
    });
    let milestone = match rng.below(4) {
        0 => json!({"milestone": {"id": format!("M-{m:02}"), "title": "Core features"}}),
        1 => json!({"milestone": {"milestoneId": format!("M{m:02}")}}),
        2 => json!({"milestoneId": format!("M{m:02}")}),
        _ => json!({"milestone": format!("M-{m:02}")}),
    };
    merge(&mut doc, milestone);
    if let Some((file, phase)) = &task.plan {
        let stem = file.trim_end_matches(".md");
        let plan = match (rng.below(3), phase) {
            (0, Some(phase)) => json!({"implementationPlan": {"filename": file, "phase": phase}}),
            (1, Some(phase)) => json!({"implementationPlan": {"id": stem, "phase": phase}}),
            (0 | 1, None) => json!({"implementationPlan": {"filename": file}}),
            _ => json!({"implementationPlanId": stem}),
        };
        merge(&mut doc, plan);
    }
    let text = serde_json::to_string_pretty(&doc).map_err(io::Error::other)?;
    write(&pm.join(format!("Tasks/{folder}/{}.json", task.id)), &text)
}

fn merge(doc: &mut Value, more: Value) {
    if let (Some(doc), Value::Object(more)) = (doc.as_object_mut(), more) {
        doc.extend(more);
    }
}

/// How a task names a phase of its plan: every form PC512 matches.
pub fn phase_reference(number: usize, name: &str, rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => format!("Phase {number}: {name}"),
        1 => name.to_string(),
        2 => format!("Phase {number}"),
        3 => number.to_string(),
        _ => format!(" phase {number}: {} ", name.to_lowercase()),
    }
}

pub struct Milestone {
    pub number: u32,
    pub title: String,
    pub tasks: Vec<String>,
    pub required_flows: Vec<String>,
    pub plans: Vec<Listed>,
}

/// An entry of a milestone's `implementationPlans`.
pub struct Listed {
    pub filename: String,
    pub status: &'static str,
    pub version: u32,
    /// The code and style of the mistake planted with this entry: PC511 at it, or the
    /// planted file's own finding and nothing at it.
    pub plant: Option<(&'static str, String)>,
}

/// Writes completion-path.json, one plan entry a line; returns the entries planted with a
/// mistake, by line number, with its code and style.
pub fn write_completion_path(
    pm: &Path,
    milestones: &[Milestone],
    rng: &mut Rng,
) -> io::Result<Vec<(usize, &'static str, String)>> {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let objective = if rng.chance(50) {
        "{\"title\": \"Launch the shop\", \"type\": \"web-app\"}"
    } else {
        "\"Launch the shop\""
    };
    let mut lines = vec![
        "{".to_string(),
        format!("  \"completionObjective\": {objective},"),
        "  \"metadata\": {\"version\": \"1.0.0\", \"created\": \"2025-01-02T09:00:00Z\"},"
            .to_string(),
        "  \"milestones\": [".to_string(),
    ];
    let mut planted = Vec::new();
    for (n, m) in milestones.iter().enumerate() {
        let id = if m.number % 2 == 0 {
            format!("M-{:02}", m.number)
        } else {
            format!("M{:02}", m.number)
        };
        let tasks: Vec<String> = m.tasks.iter().map(|t| q(t)).collect();
        let flows: Vec<String> = m
            .required_flows
            .iter()
            .map(|f| format!("{{\"flowId\": {}}}", q(f)))
            .collect();
        lines.push("    {".into());
        lines.push(format!("      \"id\": {},", q(&id)));
        lines.push(format!("      \"title\": {},", q(&m.title)));
        lines.push("      \"status\": \"in-progress\",".into());
        lines.push(format!("      \"relatedTasks\": [{}],", tasks.join(", ")));
        lines.push(format!("      \"requiredFlows\": [{}],", flows.join(", ")));
        lines.push("      \"implementationPlans\": [".into());
        for (k, plan) in m.plans.iter().enumerate() {
            if let Some((code, style)) = &plan.plant {
                planted.push((lines.len() + 1, *code, style.clone()));
            }
            let comma = if k + 1 < m.plans.len() { "," } else { "" };
            lines.push(format!(
                "        {{\"filename\": {}, \"status\": \"{}\", \"version\": \"v{}\"}}{comma}",
                q(&plan.filename),
                plan.status,
                plan.version
            ));
        }
        lines.push("      ]".into());
        lines.push(format!(
            "    }}{}",
            if n + 1 < milestones.len() { "," } else { "" }
        ));
    }
    lines.push("  ]".into());
    lines.push("}".into());
    write(
        &pm.join("Tasks/completion-path.json"),
        &(lines.join("\n") + "\n"),
    )?;
    Ok(planted)
}

/// The flow index in one of its three shapes, and every flow file.
pub fn write_flows(pm: &Path, rng: &mut Rng) -> io::Result<()> {
    let indexed = || FLOW_FILES.iter().filter(|f| !f.unindexed);
    let flow_files = match rng.below(3) {
        0 => Value::Array(
            indexed()
                .map(|f| json!({"filename": f.file, "flows": f.flows.iter().map(|id| json!({"flowId": id})).collect::<Vec<_>>()}))
                .collect(),
        ),
        1 => Value::Array(
            indexed()
                .flat_map(|f| f.flows.iter().map(|id| json!({"flowId": id, "filePath": f.file})))
                .collect(),
        ),
        _ => Value::Object(
            indexed()
                .flat_map(|f| f.flows.iter().map(|id| (id.to_string(), json!({"file": f.file}))))
                .collect(),
        ),
    };
    let index = json!({"metadata": {"version": "1.0.0"}, "flowFiles": flow_files, "crossFlowDependencies": []});
    write(&pm.join("ProjectFlow/flow-index.json"), &pretty(&index)?)?;
    for f in FLOW_FILES {
        let steps = json!([{"stepId": "S-001", "step": 1, "description": "User opens the page", "files": ["src/pages/Start.tsx"]}]);
        let body = if f.single {
            json!({"flowId": f.flows[0], "name": f.flows[0], "status": "in-progress", "steps": steps})
        } else {
            json!({
                "metadata": {"flowFile": f.file, "version": "1.0.0"},
                "flows": f.flows.iter().map(|id| json!({"flowId": id, "name": id, "steps": steps})).collect::<Vec<_>>(),
            })
        };
        write(&pm.join(format!("ProjectFlow/{}", f.file)), &pretty(&body)?)?;
    }
    Ok(())
}

/// The theme index (nested or flat) and the theme files, some themes known only by file.
pub fn write_themes(pm: &Path, rng: &mut Rng) -> io::Result<()> {
    let indexed = &THEMES[..INDEXED_THEMES];
    let index = if rng.chance(50) {
        json!({"themes": indexed.iter().map(|t| (t.to_string(), json!({"description": format!("The {t} work")}))).collect::<serde_json::Map<_, _>>()})
    } else {
        Value::Object(
            indexed
                .iter()
                .map(|t| (t.to_string(), json!(format!("The {t} work"))))
                .collect(),
        )
    };
    write(&pm.join("Themes/themes.json"), &pretty(&index)?)?;
    for (n, theme) in THEMES.iter().enumerate() {
        if n >= INDEXED_THEMES || rng.chance(30) {
            let body = json!({"theme": theme, "description": "Files and flows of this theme", "files": [format!("src/{theme}/")]});
            write(&pm.join(format!("Themes/{theme}.json")), &pretty(&body)?)?;
        }
    }
    Ok(())
}

fn pretty(value: &Value) -> io::Result<String> {
    serde_json::to_string_pretty(value).map_err(io::Error::other)
}
