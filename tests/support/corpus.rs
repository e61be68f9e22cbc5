//! Writes a realistic project: plans from the whole template, with tasks, milestones, flows
//! and themes in every upstream shape, all agreeing. Deterministic for a seed. Shared by the
//! tests and the benchmark.

#![allow(dead_code, reason = "each user of the module takes what it needs")]

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// A tiny deterministic generator (xorshift): the corpus must be the same for a seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

const THEMES: [&str; 8] = [
    "authentication",
    "user-management",
    "security",
    "payment",
    "api",
    "database",
    "ui-components",
    "testing",
];

/// What was written, for tests that break one reference.
pub struct Corpus {
    pub plans: Vec<String>,
    /// How many plans were given a defect.
    pub defects: usize,
}

/// One mistake a plan writer makes, seeded into about `defect_percent` of the plans.
fn seed_defect(text: String, rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => text.replacen("- **Status**: active", "- **Status**: Active", 1),
        1 => text.replacen("- **Created**: 2025-0", "- **Created**: 2025/0", 1),
        2 => text.replacen("### Quality Gates\n", "### Quality Gate\n", 1),
        3 => text.replacen("- **Risk Factors**: slow migrations.\n", "", 1),
        4 => text.replacen(
            "Context mode recommendation: theme-focused",
            "Context mode recommendation: focused",
            1,
        ),
        5 => text.replacen("- `", "- `unknown-", 1),
        6 => text.replacen("TASK-", "TASK-X", 1),
        _ => text.replacen("journey-flow", "jorney-flow", 1),
    }
}

fn write(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

fn task_id(plan: usize, n: usize) -> String {
    // Distinct, valid timestamps: day from the plan, time from the task number.
    format!(
        "TASK-{}{:02}{:02}T{:02}{:02}00",
        2020 + plan / 8064,
        1 + plan / 28 % 12,
        1 + plan % 28,
        (plan / 336) % 24,
        n
    )
}

fn sidequest_id(plan: usize) -> String {
    format!("SQ-{}-{:03}", &task_id(plan, 0)[5..], 1)
}

/// Writes `plans` plans (about two per milestone) under `root/projectManagement`, all clean.
pub fn generate(root: &Path, plans: usize, seed: u64) -> io::Result<Corpus> {
    generate_with_defects(root, plans, seed, 0)
}

/// Like [`generate`], with a defect seeded into about `defect_percent` of the plans.
pub fn generate_with_defects(
    root: &Path,
    plans: usize,
    seed: u64,
    defect_percent: u64,
) -> io::Result<Corpus> {
    let mut defects = 0;
    let pm = root.join("projectManagement");
    let mut rng = Rng::new(seed);
    let mut names = Vec::new();
    let mut milestones = Vec::new();
    let mut flow_index_entries = Vec::new();
    let mut i = 0;
    let mut milestone = 0;
    while i < plans {
        milestone += 1;
        let flow = format!("m{milestone}-journey-flow");
        let domain = if milestone % 2 == 0 {
            let file = format!("domain{}-flow.json", milestone % 7);
            flow_index_entries.push((file.clone(), flow.clone()));
            file
        } else {
            // A one-flow file, the other upstream shape.
            let file = format!("m{milestone}-flow.json");
            write(
                &pm.join(format!("ProjectFlow/{file}")),
                &format!("{{\"flowId\": \"{flow}\", \"flowName\": \"Journey {milestone}\", \"steps\": []}}\n"),
            )?;
            file
        };
        let superseded_first = milestone % 3 == 0 && i + 1 < plans;
        let versions: &[(u32, &str)] = if superseded_first {
            &[(1, "superseded"), (2, "active")]
        } else if milestone % 5 == 0 {
            &[(1, "completed")]
        } else {
            &[(1, "active")]
        };
        let mut listed = Vec::new();
        for &(version, status) in versions {
            let slug = format!("feature-{milestone}");
            let (folder, suffix) = match status {
                "active" => ("active", ""),
                "superseded" => ("completed", "-superseded"),
                _ => ("completed", ""),
            };
            let file = format!("M{milestone:02}-v{version}-{slug}{suffix}.md");
            let theme = THEMES[rng.below(THEMES.len() as u64) as usize];
            let related = THEMES[rng.below(THEMES.len() as u64) as usize];
            let mut text = plan_text(
                i, milestone, version, status, &flow, &domain, theme, related,
            );
            if rng.below(100) < defect_percent {
                text = seed_defect(text, &mut rng);
                defects += 1;
            }
            write(&pm.join(format!("Implementations/{folder}/{file}")), &text)?;
            write_tasks(&pm, i, milestone, &file, &mut rng)?;
            listed.push(format!(
                "{{\"filename\": \"{file}\", \"status\": \"{status}\", \"version\": \"v{version}\"}}"
            ));
            names.push(format!("Implementations/{folder}/{file}"));
            i += 1;
        }
        milestones.push(format!(
            "{{\"id\": \"M-{milestone:02}\", \"title\": \"Feature {milestone}\", \"status\": \"in-progress\", \"requiredFlows\": [{{\"flowId\": \"{flow}\"}}], \"implementationPlans\": [{}]}}",
            listed.join(", ")
        ));
    }
    write(
        &pm.join("Tasks/completion-path.json"),
        &format!(
            "{{\"completionObjective\": \"Ship the generated product\", \"milestones\": [\n  {}\n]}}\n",
            milestones.join(",\n  ")
        ),
    )?;
    // The index lists files with their flows; flow files hold `flows[]`.
    let mut by_file: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (file, flow) in flow_index_entries {
        by_file.entry(file).or_default().push(flow);
    }
    let mut index = String::from("{\"metadata\": {\"version\": \"1.0.0\"}, \"flowFiles\": [");
    for (n, (file, flows)) in by_file.iter().enumerate() {
        let list: Vec<String> = flows
            .iter()
            .map(|f| format!("{{\"flowId\": \"{f}\"}}"))
            .collect();
        let _ = write!(
            index,
            "{}\n  {{\"filename\": \"{file}\", \"flows\": [{}]}}",
            if n == 0 { "" } else { "," },
            list.join(", ")
        );
        write(
            &pm.join(format!("ProjectFlow/{file}")),
            &format!("{{\"flows\": [{}]}}\n", list.join(", ")),
        )?;
    }
    index.push_str("\n]}\n");
    write(&pm.join("ProjectFlow/flow-index.json"), &index)?;
    // Most themes in the index, two only as theme files.
    let indexed: Vec<String> = THEMES[..6]
        .iter()
        .map(|t| format!("\"{t}\": {{\"description\": \"The {t} theme\"}}"))
        .collect();
    write(
        &pm.join("Themes/themes.json"),
        &format!("{{\"themes\": {{{}}}}}\n", indexed.join(", ")),
    )?;
    for theme in &THEMES[6..] {
        write(
            &pm.join(format!("Themes/{theme}.json")),
            &format!("{{\"theme\": \"{theme}\"}}\n"),
        )?;
    }
    Ok(Corpus {
        plans: names,
        defects,
    })
}

fn write_tasks(
    pm: &Path,
    plan: usize,
    milestone: usize,
    file: &str,
    rng: &mut Rng,
) -> io::Result<()> {
    let id = task_id(plan, 1);
    let stem = file.trim_end_matches(".md");
    // Every upstream way of naming the milestone and the plan.
    let milestone_json = match rng.below(4) {
        0 => format!("\"milestone\": {{\"id\": \"M-{milestone:02}\"}}"),
        1 => format!(
            "\"milestone\": {{\"milestoneId\": \"M{milestone:02}\", \"milestone\": \"Feature\"}}"
        ),
        2 => format!("\"milestoneId\": \"M{milestone:02}\""),
        _ => format!("\"milestone\": \"M-{milestone:02}\""),
    };
    let plan_json = match rng.below(3) {
        0 => format!("\"implementationPlan\": {{\"filename\": \"{file}\", \"phase\": \"Phase 1: Groundwork\"}}"),
        1 => format!("\"implementationPlan\": {{\"id\": \"{stem}\", \"phase\": \"Phase 2\"}}"),
        _ => format!("\"implementationPlanId\": \"{stem}\""),
    };
    let folder = if rng.below(4) == 0 {
        "archive/tasks"
    } else {
        "active"
    };
    write(
        &pm.join(format!("Tasks/{folder}/{id}.json")),
        &format!("{{\"taskId\": \"{id}\", \"title\": \"Build it\", \"status\": \"in-progress\", {milestone_json}, {plan_json}}}\n"),
    )?;
    let sq = sidequest_id(plan);
    write(
        &pm.join(format!("Tasks/sidequests/{sq}.json")),
        &format!("{{\"sidequestId\": \"{sq}\", \"parentTask\": \"{id}\", \"milestone\": {{\"id\": \"M-{milestone:02}\"}}}}\n"),
    )
}

#[allow(clippy::too_many_arguments)]
fn plan_text(
    plan: usize,
    milestone: usize,
    version: u32,
    status: &str,
    flow: &str,
    flow_file: &str,
    theme: &str,
    related: &str,
) -> String {
    let task = task_id(plan, 1);
    let sq = sidequest_id(plan);
    let flow_item = if plan % 2 == 0 {
        format!("- `{flow}` ({flow_file}): in progress")
    } else {
        format!("- {flow} ({flow_file}): in progress")
    };
    let related_item = if related == theme {
        "- Keep the public API backward compatible".to_string()
    } else {
        format!("- **{related}**: shares files with this work")
    };
    format!(
        "# Implementation Plan: M{milestone:02} - Feature {milestone}

## Metadata
- **Milestone**: M{milestone:02}
- **Status**: {status}
- **Version**: v{version}
- **Created**: 2025-0{month}-0{day}
- **Updated**: 2025-0{month}-1{day}T10:30:00Z
- **Completion Target**: 2026-0{month}-2{day}
- **Related Tasks**: [{task}, {sq}]

## Analysis
### Current State Assessment
- The feature does not exist; the data it needs is in the `records` table.

### Requirements Breakdown
- Users can start, pause and finish the journey; every step is audited.

### Dependencies Identification
- **Internal Dependencies**: the milestone before this one.

### Risk Factors and Mitigation
- **Technical Risks**: migration time on large tables; run it in batches.

### Architecture Considerations
- A module of its own behind the existing gateway.

## Strategy
### Implementation Approach and Rationale
- Data model first, then the API, then the screens.

### Key Architecture Decisions
- Events over polling, so the screens stay current.

### Integration Points with Existing Systems
- The gateway, the audit log and the notification service.

### Testing and Validation Strategy
- Unit tests per module and one end-to-end test per flow.

### Performance Considerations
- Each request stays under 100 ms at the 95th percentile.

## Phases
### Phase 1: Groundwork
- **Objectives**: the data model and its migrations.
- **Deliverables**: tables, migrations and repository code.
- **Tasks**: {task} builds the model.
- **Dependencies**: none.
- **Success Criteria**: migrations run on a copy of production in under a minute.
- **Estimated Duration**: 1 week
- **Risk Factors**: slow migrations.

### Phase 2: Journey
- **Objectives**: the API and the screens.
- **Deliverables**: endpoints and pages for every step.
- **Tasks**:
  - {sq} handles the edge cases found in review.
- **Dependencies**: Phase 1.
- **Success Criteria**: the journey flow passes end to end.
- **Estimated Duration**: 2 weeks
- **Risk Factors**: scope creep.

## Success Criteria
### Completion Markers for Entire Milestone
- The journey works for every user type.

### Validation Requirements
- All endpoints covered by integration tests.

### Quality Gates
- No open high-severity findings.

### User Acceptance Criteria
- A user finishes the journey in under five minutes.

## Flow Integration
### Required Project Flows
{flow_item}

### Flow Status Tracking
- Phase 2 completes when the flow passes its user tests.

## Theme Integration
### Primary Theme
- `{theme}`
- Context mode recommendation: theme-focused

### Related Themes
{related_item}

## Notes
### Implementation Decisions and Rationale
- Events over polling, decided in the design review.

### User Feedback and Modifications
- None yet.

### Lessons Learned During Execution
- None yet.

### Change Log
- 2025-0{month}-1{day}: version {version}.
",
        month = 1 + milestone % 9,
        day = 1 + plan % 9,
    )
}
