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
    generate_in_detail(root, plans, seed, defect_percent, Detail::Lean)
}

/// How much a generated file says beyond what plancheck reads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every section filled with a line or two, task files with their keys: about 3.5 KB
    /// of files a plan.
    Lean,
    /// Plans with paragraphs, a code block and a table as written plans have them, task and
    /// sidequest files in the upstream templates' full shape (subtasks, criteria, context):
    /// about 8.5 KB of files a plan, the size of the project issue 5 measured its peers on
    /// (84 MB for 10,000 plans). The same plans, references and defects as `Lean` for a
    /// seed: the detail comes from a generator of its own.
    Full,
}

/// Like [`generate_with_defects`], its files written in `detail`.
pub fn generate_in_detail(
    root: &Path,
    plans: usize,
    seed: u64,
    defect_percent: u64,
    detail: Detail,
) -> io::Result<Corpus> {
    let mut defects = 0;
    let pm = root.join("projectManagement");
    let mut rng = Rng::new(seed);
    let mut prose = Rng::new(seed ^ 0x5EED_0FDE_7A11);
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
            if detail == Detail::Full {
                text = with_prose(&text, &mut prose);
            }
            if rng.below(100) < defect_percent {
                text = seed_defect(text, &mut rng);
                defects += 1;
            }
            write(&pm.join(format!("Implementations/{folder}/{file}")), &text)?;
            write_tasks(
                &pm,
                i,
                milestone,
                &file,
                &mut rng,
                (detail == Detail::Full).then_some(&mut prose),
            )?;
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
    full: Option<&mut Rng>,
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
    let sq = sidequest_id(plan);
    let (task_detail, sidequest_detail) = match full {
        Some(prose) => (task_detail(prose, &sq), sidequest_detail(prose)),
        None => (String::new(), String::new()),
    };
    write(
        &pm.join(format!("Tasks/{folder}/{id}.json")),
        &format!("{{\"taskId\": \"{id}\", \"title\": \"Build it\", \"status\": \"in-progress\", {milestone_json}, {plan_json}{task_detail}}}\n"),
    )?;
    write(
        &pm.join(format!("Tasks/sidequests/{sq}.json")),
        &format!("{{\"sidequestId\": \"{sq}\", \"parentTask\": \"{id}\", \"milestone\": {{\"id\": \"M-{milestone:02}\"}}{sidequest_detail}}}\n"),
    )
}

/// Sentences a plan's sections are written in, drawn at random for the `Full` corpus. None
/// names a task, flow or theme, or holds template text: the prose adds no finding.
const SENTENCES: [&str; 12] = [
    "The current implementation keeps this state in one table that every service writes to, which makes the audit trail hard to follow.",
    "We measured the existing endpoints under a normal Monday morning's load: the slowest answered in 420 ms at the 95th percentile.",
    "Users told us in the last round of interviews that they lose their place when the session times out.",
    "The old code path stays behind a feature switch until the new one has run for two weeks without a regression.",
    "Each step writes one event to the log, with the user, the time and what changed; the screens read a projection of those events.",
    "This is the riskiest part of the work, because the migration runs while the system is in use, so we rehearse it twice on a copy of production.",
    "Support receives about forty tickets a week about this journey, most of them from users who started on a phone and finished on a laptop.",
    "The reporting team reads the same data every night, so any change to its shape is agreed with them a sprint ahead.",
    "A spike last month showed that the existing cache cannot hold per-user state without a new eviction policy.",
    "We keep the public interface as it is; every new field is optional, and old clients ignore what they do not know.",
    "Load tests run in the staging cluster on every merge, and a slowdown of more than ten percent fails the build.",
    "The design review asked for a rollback plan, which is a single switch and a script that replays the event log.",
];

/// Under these headings of the template a written plan has paragraphs, not only bullets.
const PROSE_UNDER: [&str; 12] = [
    "### Current State Assessment",
    "### Requirements Breakdown",
    "### Dependencies Identification",
    "### Risk Factors and Mitigation",
    "### Architecture Considerations",
    "### Implementation Approach and Rationale",
    "### Key Architecture Decisions",
    "### Integration Points with Existing Systems",
    "### Testing and Validation Strategy",
    "### Performance Considerations",
    "### Implementation Decisions and Rationale",
    "### Lessons Learned During Execution",
];

const SCHEMA_SKETCH: &str = "```sql
CREATE TABLE journey_steps (
  id BIGSERIAL PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id),
  step TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX journey_steps_user ON journey_steps (user_id, created_at);
```
";

const SCHEDULE: &str = "| Step | Owner | Target |
|------|-------|--------|
| Data model | Backend | Week 1 |
| API | Backend | Week 2 |
| Screens | Frontend | Week 3 |
";

/// `count` different sentences.
fn sentences(rng: &mut Rng, count: usize) -> String {
    let first = rng.below(SENTENCES.len() as u64) as usize;
    let picked: Vec<&str> = (0..count)
        .map(|n| SENTENCES[(first + 5 * n) % SENTENCES.len()])
        .collect();
    picked.join(" ")
}

/// `text` with a paragraph after the bullets of the sections that have prose, a schema
/// sketch under Architecture Considerations and a schedule under the approach.
fn with_prose(text: &str, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut in_prose_section = false;
    for block in text.split_inclusive("\n\n") {
        out.push_str(block);
        let heading = block.lines().rfind(|l| l.starts_with('#'));
        if let Some(heading) = heading {
            in_prose_section = PROSE_UNDER.contains(&heading);
        }
        if !in_prose_section || !block.ends_with("\n\n") {
            continue;
        }
        match heading.unwrap_or("") {
            "### Architecture Considerations" => out.push_str(SCHEMA_SKETCH),
            "### Implementation Approach and Rationale" => out.push_str(SCHEDULE),
            _ => {
                out.push_str(&sentences(rng, 1));
                out.push('\n');
            }
        }
        out.push('\n');
        in_prose_section = false;
    }
    out
}

/// The rest of a task file in the upstream template's shape: what plancheck does not read.
fn task_detail(rng: &mut Rng, sidequest: &str) -> String {
    let mut subtasks = Vec::new();
    for n in 1..=2 + rng.below(2) {
        subtasks.push(format!(
            r#"
    {{
      "id": "ST-0{n}",
      "title": "Step {n} of the journey",
      "description": "{}",
      "status": "pending",
      "contextMode": "theme-focused",
      "priority": "high",
      "flowReferences": [
        {{"flowFile": "journey-flow.json", "steps": ["JF-00{n}", "JF-01{n}"]}}
      ],
      "files": ["src/services/journey/Step{n}.ts", "src/controllers/journey/Step{n}Controller.ts"],
      "testFiles": ["src/tests/services/Step{n}.test.ts"],
      "relatedSidequests": [{{"sidequestId": "{sidequest}", "status": "in-progress"}}]
    }}"#,
            sentences(rng, 1)
        ));
    }
    format!(
        r#",
  "description": "{}",
  "created": "2025-07-11T14:00:00Z",
  "lastUpdated": "2025-07-11T16:30:00Z",
  "themes": {{"primary": "user-management", "related": ["security"], "description": "Primary theme determines context boundaries"}},
  "subtasks": [{}
  ],
  "estimatedEffort": "1 week",
  "priority": "high",
  "assignedTo": "ai-agent",
  "reviewRequired": true,
  "acceptanceCriteria": [
    "Users can finish every step of the journey",
    "Every change is written to the audit log",
    "Errors say what to do next"
  ],
  "testingRequirements": {{"unitTests": "All services and controllers", "integrationTests": "API endpoints and database interactions"}}
"#,
        sentences(rng, 2),
        subtasks.join(",")
    )
}

/// The rest of a sidequest file in the upstream template's shape.
fn sidequest_detail(rng: &mut Rng) -> String {
    format!(
        r#",
  "title": "Handle the edge cases found in review",
  "description": "{}",
  "created": "2025-07-11T15:30:00Z",
  "status": "active",
  "priority": "medium",
  "scopeDescription": "{}",
  "urgency": "medium",
  "impactOnParentTask": "minimal",
  "contextPreservation": {{
    "pausedSubtaskId": "ST-02",
    "pausedProgress": 75,
    "loadedFiles": ["src/services/journey/Step2.ts", "src/controllers/journey/Step2Controller.ts"],
    "pauseTimestamp": "2025-07-11T15:30:00Z"
  }},
  "subtasks": [
    {{"id": "SQ-ST-01", "title": "Guard the step", "status": "pending", "files": ["src/middleware/journey/Guard.ts"]}}
  ]
"#,
        sentences(rng, 1),
        sentences(rng, 1)
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
    let flow_item = if plan.is_multiple_of(2) {
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
