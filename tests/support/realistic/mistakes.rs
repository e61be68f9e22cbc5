//! The mistakes planted, one per planted plan, each with the one finding the spec says it
//! gets. References are planted in every item style (their findings follow from the
//! references the style holds, see [`super::doc::Ref`]); the others set their finding on
//! the line they change.

use super::doc::{task, Doc, Expect, Line, RefKind, Tag};
use super::items::{ItemStyle, FLOW_STYLES, THEME_STYLES};
use super::names::{
    all_flows, case_variant, unknown_task_id, THEMES, UNKNOWN_FLOWS, UNKNOWN_FLOW_FILES,
    UNKNOWN_THEMES,
};
use super::plan::{
    known_slots, phase_tasks, related_line, Label, PHASE_TASK_STYLES, RELATED_FORMATS,
};
use super::rng::{Day, Rng};

/// What a planted plan's tasks say about it, where the mistake needs it to keep its one
/// finding (see [`Plant::tasks`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tasks {
    /// Tasks that name the plan (and a phase of it), all listed in Related Tasks.
    Named,
    /// Tasks that belong to the plan's milestone but name no plan.
    Unnamed,
    /// No tasks at all.
    None,
}

/// Which plan a mistake goes in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Target {
    Regular,
    High,
    /// Not a plan's text: a file listed, misfiled or named like a plan.
    File,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FilePlant {
    /// completion-path.json lists a plan no `Implementations/<state>/` holds.
    ListedMissing,
    /// ... by a file name leading out of the management folder.
    ListedParent,
    ListedAbsolute,
    ListedDrive,
    /// A listed plan that exists and is empty: PC003, not PC511.
    ListedEmpty,
    ListedBlank,
    /// A note misfiled in `Implementations/active/`.
    Misfiled,
    /// Notes named like a plan, outside the management folder.
    NamedLikePlan,
}

pub enum How {
    Item {
        section: &'static str,
        style: &'static ItemStyle,
        kind: RefKind,
        case_only: bool,
    },
    RelatedTask {
        format: usize,
    },
    PhaseTask {
        style: usize,
    },
    MalformedRelatedTask {
        item: &'static str,
    },
    OriginalTask,
    PriorityTask,
    Heading {
        name: &'static str,
        written: &'static str,
    },
    FieldName {
        name: &'static str,
        written: &'static str,
    },
    FieldValue {
        field: &'static str,
        value: &'static str,
        help: Option<&'static str>,
    },
    Title {
        written: &'static str,
    },
    PhaseName {
        written: &'static str,
    },
    PhaseField {
        field: &'static str,
        value: &'static str,
    },
    ContinuePattern,
    ProsePlaceholder {
        section: &'static str,
        text: &'static str,
    },
    Guidance {
        section: &'static str,
        text: &'static str,
    },
    PhaseGuidance {
        field: &'static str,
        text: &'static str,
    },
    UpdatedBeforeCreated,
    TargetBeforeCreated,
    UpdatedInFuture,
    MilestoneDiffers,
    File(FilePlant),
}

pub struct Plant {
    pub code: &'static str,
    /// The row of the comparison's table: the style or form the mistake is written in.
    pub style: String,
    pub target: Target,
    pub how: How,
}

impl Plant {
    fn new(code: &'static str, style: impl Into<String>, target: Target, how: How) -> Plant {
        Plant {
            code,
            style: style.into(),
            target,
            how,
        }
    }

    /// A mistake whose echo the spec does not settle is kept away from it: a plan whose
    /// Related Tasks are misspelt or a placeholder has tasks that do not name it (else
    /// PC508 could read the list as empty), a plan whose phase names are placeholders
    /// has tasks naming no phase (PC512), and a plan whose Milestone differs from its
    /// title has no tasks (PC509 would need to know which milestone is the plan's).
    pub fn tasks(&self) -> Tasks {
        match self.how {
            How::FieldName {
                name: "Related Tasks",
                ..
            }
            | How::FieldValue {
                field: "Related Tasks",
                ..
            }
            | How::PhaseName { .. } => Tasks::Unnamed,
            How::MilestoneDiffers => Tasks::None,
            _ => Tasks::Named,
        }
    }

    /// The status of the plan a wrong status goes in: the folder agrees with what the
    /// author meant, so the place rule (PC403) has nothing to say about it.
    pub fn status(&self) -> Option<&'static str> {
        match self.how {
            How::FieldValue {
                field: "Status",
                value: "Active" | "in-progress" | "draft",
                ..
            } => Some("active"),
            How::FieldValue {
                field: "Status",
                value: "complete" | "Done" | "Completed",
                ..
            } => Some("completed"),
            _ => None,
        }
    }

    /// Whether the plan's milestone may require flows (PC507): not when the plan's flows
    /// list is under a misspelt heading, nor when its Milestone names another milestone.
    pub fn allows_required_flows(&self) -> bool {
        !matches!(
            self.how,
            How::Heading {
                name: "Flow Integration" | "Required Project Flows",
                ..
            } | How::MilestoneDiffers
        )
    }
}

/// Every mistake, in the order they are planted (round robin).
pub fn all() -> Vec<Plant> {
    let mut plants = Vec::new();
    references(&mut plants);
    tasks(&mut plants);
    near_misses(&mut plants);
    placeholders(&mut plants);
    guidance(&mut plants);
    values(&mut plants);
    files(&mut plants);
    plants
}

fn references(plants: &mut Vec<Plant>) {
    let flows = "Required Project Flows";
    for style in FLOW_STYLES {
        if style.refers_to_slot(RefKind::Flow) {
            unknown_item(plants, style, RefKind::Flow, flows, Some(flows));
        }
        if style.refers_to_slot(RefKind::FlowFile) {
            unknown_item(plants, style, RefKind::FlowFile, flows, None);
        }
    }
    let lists = ["Primary Theme", "Related Themes"];
    for (n, style) in THEME_STYLES.iter().enumerate() {
        if style.refers_to_slot(RefKind::Theme) {
            let (list, other) = (lists[n % 2], lists[(n + 1) % 2]);
            unknown_item(plants, style, RefKind::Theme, list, Some(other));
        }
    }
}

/// An item in `style` naming an unknown `kind` under `section`, and, with `case_section`,
/// one naming a known id in another case under that section.
fn unknown_item(
    plants: &mut Vec<Plant>,
    style: &'static ItemStyle,
    kind: RefKind,
    section: &'static str,
    case_section: Option<&'static str>,
) {
    let how = |section, case_only| How::Item {
        section,
        style,
        kind,
        case_only,
    };
    plants.push(Plant::new(
        kind.code(),
        style.name,
        Target::Regular,
        how(section, false),
    ));
    if let Some(section) = case_section {
        let name = format!("{}+case", style.name);
        plants.push(Plant::new(
            kind.code(),
            name,
            Target::Regular,
            how(section, true),
        ));
    }
}

fn tasks(plants: &mut Vec<Plant>) {
    for (format, f) in RELATED_FORMATS.iter().enumerate().filter(|(_, f)| !f.empty) {
        plants.push(Plant::new(
            "PC501",
            f.name,
            Target::Regular,
            How::RelatedTask { format },
        ));
    }
    for (style, s) in PHASE_TASK_STYLES.iter().enumerate() {
        plants.push(Plant::new(
            "PC501",
            s.name,
            Target::Regular,
            How::PhaseTask { style },
        ));
    }
    plants.push(Plant::new(
        "PC501",
        "h-plan:original-task",
        Target::High,
        How::OriginalTask,
    ));
    plants.push(Plant::new(
        "PC501",
        "h-plan:priority-tasks",
        Target::High,
        How::PriorityTask,
    ));
    for item in ["TASK-123", "TASK-2025-07-11", "#142", "JIRA-1234"] {
        plants.push(Plant::new(
            "PC502",
            "related:malformed",
            Target::Regular,
            How::MalformedRelatedTask { item },
        ));
    }
}

/// Near misses of a heading: `(template name, as written, how)`.
const MISSPELT_HEADINGS: &[(&str, &str, &str)] = &[
    ("Strategy", "Strategyy", "one-edit"),
    ("Strategy", "strategy", "case"),
    ("Analysis", "Analysys", "one-edit"),
    ("Analysis", "ANALYSIS", "case"),
    ("Success Criteria", "Sucess Criteria", "one-edit"),
    ("Notes", "Note", "singular"),
    ("Theme Integration", "Theme Integrations", "plural"),
    ("Flow Integration", "Flow Intergation", "two-edits"),
    ("Primary Theme", "Primary Themes", "plural"),
    ("Quality Gates", "Quality Gate", "singular"),
    ("Change Log", "Change log", "case"),
    (
        "Lessons Learned During Execution",
        "Lessons Learned During Executon",
        "one-edit",
    ),
    ("Flow Status Tracking", "Flow Status Trackng", "one-edit"),
    (
        "Testing and Validation Strategy",
        "Testing and Validation Strategies",
        "plural",
    ),
    (
        "Performance Considerations",
        "Perfomance Consideration",
        "two-edits",
    ),
    (
        "Key Architecture Decisions",
        "Key Architecture Decision",
        "singular",
    ),
    (
        "Required Project Flows",
        "Required Project Flow",
        "singular",
    ),
    (
        "Risk Factors and Mitigation",
        "Risk factors and mitigation",
        "case",
    ),
    (
        "User Feedback and Modifications",
        "User Feedback and Modification",
        "singular",
    ),
    ("Related Themes", "Releated Themes", "one-edit"),
];
const MISSPELT_H_HEADINGS: &[(&str, &str, &str)] = &[
    ("Escalation Analysis", "Escalation Analyis", "one-edit"),
    (
        "Coordination Requirements",
        "Coordination Requirement",
        "singular",
    ),
    (
        "Strategic Resolution Approach",
        "strategic resolution approach",
        "case",
    ),
];

const MISSPELT_FIELDS: &[(&str, &str, &str)] = &[
    ("Status", "Staus", "one-edit"),
    ("Status", "status", "case"),
    ("Completion Target", "completion target", "case"),
    ("Completion Target", "Completion Taget", "one-edit"),
    ("Completion Target", "Completion Targets", "plural"),
    ("Created", "Creatd", "one-edit"),
    ("Updated", "Upadted", "two-edits"),
    ("Version", "Versoin", "two-edits"),
    ("Version", "Versions", "plural"),
    ("Milestone", "MileStone", "case"),
    ("Milestone", "Milestones", "plural"),
    ("Related Tasks", "Related Task", "singular"),
    ("Related Tasks", "related tasks", "case"),
];
const MISSPELT_H_FIELDS: &[(&str, &str, &str)] = &[
    ("Original Task", "Orignal Task", "one-edit"),
    ("Urgency", "urgency", "case"),
    ("Escalation Date", "Escalation Dates", "plural"),
    ("Estimated Completion", "Estimated Complection", "one-edit"),
];

/// Near misses of a heading or a field name: one row per way of misspelling it.
fn near_misses(plants: &mut Vec<Plant>) {
    let tables = [
        ("PC103", "heading", MISSPELT_HEADINGS, Target::Regular),
        ("PC103", "heading", MISSPELT_H_HEADINGS, Target::High),
        ("PC201", "field", MISSPELT_FIELDS, Target::Regular),
        ("PC201", "field", MISSPELT_H_FIELDS, Target::High),
    ];
    for (code, kind, table, target) in tables {
        for &(name, written, how) in table {
            let how_written = if code == "PC103" {
                How::Heading { name, written }
            } else {
                How::FieldName { name, written }
            };
            plants.push(Plant::new(
                code,
                row(kind, how, target),
                target,
                how_written,
            ));
        }
    }
}

/// A row's name: what and how, and whether it is in an H-plan.
fn row(kind: &str, how: &str, target: Target) -> String {
    let plan = if target == Target::High {
        " (h-plan)"
    } else {
        ""
    };
    format!("{kind}:{how}{plan}")
}

/// Each placeholder form in each metadata field: `(field, value)`.
const FIELD_PLACEHOLDERS: &[(&str, &str)] = &[
    ("Milestone", "M{milestone-id}"),
    ("Milestone", "{milestone-id}"),
    ("Milestone", "M[milestone-id]"),
    ("Milestone", "TBD"),
    ("Milestone", "[TBD]"),
    ("Status", "active|completed|superseded"),
    ("Status", "TBD"),
    ("Status", "TODO"),
    ("Status", "[To be determined]"),
    ("Version", "v{version}"),
    ("Version", "{version}"),
    ("Version", "TBD"),
    ("Created", "{ISO-8601-date}"),
    ("Created", "[ISO-8601-date]"),
    ("Created", "TBD"),
    ("Created", "[TBD]"),
    ("Updated", "{ISO-8601-date}"),
    ("Updated", "TODO"),
    ("Updated", "[To be determined]"),
    ("Completion Target", "{ISO-8601-date}"),
    ("Completion Target", "TBD"),
    ("Completion Target", "[TBD]"),
    ("Completion Target", "TODO"),
    (
        "Related Tasks",
        "[TASK-IDs that will be generated from this plan]",
    ),
    ("Related Tasks", "TBD"),
    ("Related Tasks", "[TBD]"),
    ("Priority", "TBD"),
];
const H_FIELD_PLACEHOLDERS: &[(&str, &str)] = &[
    ("Priority", "TBD"),
    ("Urgency", "TODO"),
    ("Escalation Date", "{ISO-8601-date}"),
    ("Original Task", "TBD"),
    ("Estimated Completion", "[TBD]"),
];
const PHASE_PLACEHOLDERS: &[(&str, &str)] = &[
    ("Objectives", "TBD"),
    ("Estimated Duration", "TODO"),
    ("Risk Factors", "[To be determined]"),
    ("Deliverables", "[TBD]"),
    ("Dependencies", "[Same structure as Phase 1]"),
    ("Tasks", "TBD"),
];
/// Placeholders in prose: `(section, item)`.
const PROSE_PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "Implementation Decisions and Rationale",
        "- Rollback: {describe the rollback}",
    ),
    ("Current State Assessment", "- Owner: {Owner Name}"),
    ("Quality Gates", "- Sign-off from [TBD] before launch"),
    ("User Feedback and Modifications", "- [To be determined]"),
];

fn placeholders(plants: &mut Vec<Plant>) {
    for (table, target) in [
        (FIELD_PLACEHOLDERS, Target::Regular),
        (H_FIELD_PLACEHOLDERS, Target::High),
    ] {
        for &(field, value) in table {
            let style = row("placeholder", &format!("{field} {value}"), target);
            plants.push(Plant::new(
                "PC108",
                style,
                target,
                How::FieldValue {
                    field,
                    value,
                    help: None,
                },
            ));
        }
    }
    for written in ["{Milestone Title}", "[Milestone Title]", "M{milestone-id}"] {
        plants.push(Plant::new(
            "PC108",
            format!("placeholder:title {written}"),
            Target::Regular,
            How::Title { written },
        ));
    }
    for written in ["{Phase Name}", "[Phase Name]"] {
        plants.push(Plant::new(
            "PC108",
            format!("placeholder:phase name {written}"),
            Target::Regular,
            How::PhaseName { written },
        ));
    }
    for &(field, value) in PHASE_PLACEHOLDERS {
        let style = format!("placeholder:phase {field} {value}");
        plants.push(Plant::new(
            "PC108",
            style,
            Target::Regular,
            How::PhaseField { field, value },
        ));
    }
    plants.push(Plant::new(
        "PC108",
        "placeholder:[Continue pattern …]",
        Target::Regular,
        How::ContinuePattern,
    ));
    for &(section, text) in PROSE_PLACEHOLDERS {
        let style = format!("placeholder:prose {}", text.trim_start_matches("- "));
        plants.push(Plant::new(
            "PC108",
            style,
            Target::Regular,
            How::ProsePlaceholder { section, text },
        ));
    }
}

/// The template's guidance lines left in place: `(section, item)`, some in another case
/// or with a trailing period.
const GUIDANCE: &[(&str, &str)] = &[
    (
        "Current State Assessment",
        "- What exists currently in the codebase related to this milestone",
    ),
    (
        "Requirements Breakdown",
        "- User stories and acceptance criteria",
    ),
    (
        "Dependencies Identification",
        "- **External Dependencies**: Third-party APIs, libraries, services",
    ),
    (
        "Risk Factors and Mitigation",
        "- **Timeline Risks**: Dependencies, scope creep, unexpected complexity",
    ),
    (
        "Key Architecture Decisions",
        "- Frameworks, patterns, or technologies to be used",
    ),
    (
        "Testing and Validation Strategy",
        "- Integration testing strategy",
    ),
    ("Quality Gates", "- Code coverage requirements"),
    (
        "Required Project Flows",
        "- List of flowIds from flow-index.json and individual flow files that must be completed",
    ),
    (
        "Flow Status Tracking",
        "- Validation points where flow steps must be tested",
    ),
    (
        "Primary Theme",
        "- Main theme this implementation plan addresses",
    ),
    (
        "Primary Theme",
        "- Context mode recommendation (theme-focused/theme-expanded/project-wide)",
    ),
    ("Related Themes", "- Shared files that may be modified"),
    (
        "Change Log",
        "- Record of all changes made to this implementation plan",
    ),
    (
        "Lessons Learned During Execution",
        "- what worked well and what didn't.",
    ),
    (
        "Implementation Decisions and Rationale",
        "- Key decisions made during planning.",
    ),
];
const PHASE_GUIDANCE: &[(&str, &str)] = &[
    (
        "Objectives",
        "What this phase accomplishes toward milestone completion",
    ),
    ("Success Criteria", "How to validate phase completion"),
    ("Estimated Duration", "Time estimate for phase completion"),
    (
        "Tasks",
        "High-level task breakdown that will become individual task files",
    ),
];

fn guidance(plants: &mut Vec<Plant>) {
    for &(section, text) in GUIDANCE {
        plants.push(Plant::new(
            "PC113",
            format!("guidance:{section}"),
            Target::Regular,
            How::Guidance { section, text },
        ));
    }
    for &(field, text) in PHASE_GUIDANCE {
        plants.push(Plant::new(
            "PC113",
            format!("guidance:phase {field}"),
            Target::Regular,
            How::PhaseGuidance { field, text },
        ));
    }
}

/// Wrong values: `(code, field, value, help)`, the help where the spec gives it.
const BAD_VALUES: &[(&str, &str, &str, Option<&str>)] = &[
    ("PC205", "Status", "Active", Some("active")),
    ("PC205", "Status", "complete", Some("completed")),
    ("PC205", "Status", "in-progress", None),
    ("PC205", "Status", "Done", None),
    ("PC205", "Status", "draft", None),
    ("PC301", "Created", "2025/03/04", Some("2025-03-04")),
    ("PC301", "Created", "04.03.2025", Some("2025-03-04")),
    (
        "PC301",
        "Updated",
        "2025-03-04 10:00",
        Some("2025-03-04T10:00"),
    ),
    ("PC301", "Updated", "2025-02-30", None),
    ("PC301", "Completion Target", "2025-13-01", None),
    ("PC301", "Completion Target", "2025-07-02T24:00", None),
    ("PC301", "Created", "July 2, 2025", None),
    ("PC301", "Updated", "2025-7-2", None),
    ("PC207", "Version", "1", None),
    ("PC207", "Version", "v0", None),
    ("PC207", "Version", "version 2", None),
    ("PC207", "Version", "1.0", None),
    ("PC209", "Priority", "urgent", None),
    ("PC209", "Priority", "P1", None),
];
const BAD_H_VALUES: &[(&str, &str, &str, Option<&str>)] = &[
    ("PC209", "Priority", "medium", None),
    ("PC209", "Urgency", "medium", None),
    ("PC205", "Status", "Completed", Some("completed")),
    ("PC301", "Escalation Date", "15/07/2025", None),
];

fn values(plants: &mut Vec<Plant>) {
    for (table, target) in [(BAD_VALUES, Target::Regular), (BAD_H_VALUES, Target::High)] {
        for &(code, field, value, help) in table {
            let how = How::FieldValue { field, value, help };
            plants.push(Plant::new(
                code,
                row("value", &format!("{field} {value}"), target),
                target,
                how,
            ));
        }
    }
    for (code, style, how) in [
        (
            "PC302",
            "value:Updated before Created",
            How::UpdatedBeforeCreated,
        ),
        (
            "PC302",
            "value:Completion Target before Created",
            How::TargetBeforeCreated,
        ),
        ("PC303", "value:Updated after today", How::UpdatedInFuture),
        (
            "PC206",
            "value:Milestone differs from title",
            How::MilestoneDiffers,
        ),
    ] {
        plants.push(Plant::new(code, style, Target::Regular, how));
    }
}

fn files(plants: &mut Vec<Plant>) {
    use FilePlant::*;
    for (code, style, plant) in [
        ("PC511", "file:listed, no such plan", ListedMissing),
        ("PC511", "file:listed as ../", ListedParent),
        ("PC511", "file:listed as an absolute path", ListedAbsolute),
        ("PC511", "file:listed with a drive letter", ListedDrive),
        ("PC003", "file:listed and empty", ListedEmpty),
        ("PC003", "file:listed and whitespace", ListedBlank),
        (
            "PC101",
            "file:notes misfiled in Implementations/active",
            Misfiled,
        ),
        ("PC101", "file:notes named like a plan", NamedLikePlan),
    ] {
        plants.push(Plant::new(code, style, Target::File, How::File(plant)));
    }
}

/// What a plant needs to know of the plan it goes in.
pub struct PlanFacts<'a> {
    pub tasks: &'a [String],
    pub created: Day,
    pub milestone: u32,
    pub phases: usize,
}

impl Plant {
    /// Writes the mistake into `doc`. Reference mistakes add an unknown reference (their
    /// finding follows from it); the others set their finding on the line they change.
    pub fn apply(&self, doc: &mut Doc, facts: &PlanFacts<'_>, n: usize, rng: &mut Rng) {
        let expect = |help: Option<&str>| Expect {
            code: self.code,
            help: help.map(str::to_string),
        };
        match self.how {
            How::Item {
                section,
                style,
                kind,
                case_only,
            } => {
                let mut slots = known_slots(rng);
                let name = match (kind, case_only) {
                    (RefKind::Flow, false) => rng.pick(UNKNOWN_FLOWS).to_string(),
                    (RefKind::Flow, true) => case_variant(other_than(
                        rng,
                        &all_flows().collect::<Vec<_>>(),
                        &slots.flows[1],
                    )),
                    (RefKind::FlowFile, _) => rng.pick(UNKNOWN_FLOW_FILES).to_string(),
                    (RefKind::Theme, false) => rng.pick(UNKNOWN_THEMES).to_string(),
                    (RefKind::Theme, true) => {
                        case_variant(other_than(rng, THEMES, &slots.themes[1]))
                    }
                    (RefKind::Task, _) => unreachable!("tasks are not list items"),
                };
                match kind {
                    RefKind::Flow => slots.flows[0] = name,
                    RefKind::FlowFile => slots.files[0] = name,
                    _ => slots.themes[0] = name,
                }
                doc.insert_under(section, (style.write)(style.name, &slots));
            }
            How::RelatedTask { format } => {
                let mut ids = facts.tasks.to_vec();
                ids.insert(rng.below(ids.len() + 1), unknown_task_id(n, rng));
                let at = doc
                    .find(Tag::Field("Related Tasks"))
                    .expect("a regular plan has Related Tasks");
                let label = Label::of(&doc.lines[at].text);
                doc.lines[at] = related_line(label, &RELATED_FORMATS[format], &ids);
            }
            How::MalformedRelatedTask { item } => {
                let mut ids = facts.tasks.to_vec();
                ids.push(item.to_string());
                let at = doc
                    .find(Tag::Field("Related Tasks"))
                    .expect("a regular plan has Related Tasks");
                let label = Label::of(&doc.lines[at].text);
                let mut line = related_line(label, &RELATED_FORMATS[0], &ids);
                line.refs.retain(|r| r.name != item);
                line.expect.push(expect(None));
                doc.lines[at] = line;
            }
            How::PhaseTask { style } => {
                let phase = 1 + rng.below(facts.phases);
                replace_tasks_field(doc, "Tasks", phase, n, &PHASE_TASK_STYLES[style], rng);
            }
            How::PriorityTask => {
                let style = rng.pick(PHASE_TASK_STYLES);
                replace_tasks_field(doc, "Priority Tasks", 1, n, &style, rng);
            }
            How::OriginalTask => {
                let id = unknown_task_id(n, rng);
                let line = doc.at(Tag::Field("Original Task"));
                set_value(line, &id);
                line.refs = vec![task(&id)];
            }
            How::Heading { name, written } => {
                let line = doc.at(Tag::Heading(name));
                let level = line.text.chars().take_while(|c| *c == '#').count();
                line.text = format!("{} {written}", "#".repeat(level));
                line.expect.push(expect(Some(name)));
            }
            How::FieldName { name, written } => {
                let line = doc.at(Tag::Field(name));
                line.text = line
                    .text
                    .replacen(&format!("**{name}"), &format!("**{written}"), 1);
                line.expect.push(expect(Some(name)));
            }
            How::FieldValue { field, value, help } => {
                if doc.find(Tag::Field(field)).is_none() {
                    insert_priority(doc);
                }
                let line = doc.at(Tag::Field(field));
                set_value(line, value);
                line.refs.clear();
                line.expect.push(expect(help));
            }
            How::Title { written } => {
                let line = doc.at(Tag::Title);
                let (id, title) = line.text.split_once(" - ").expect("a title has its ` - `");
                line.text = if written.starts_with('M') {
                    format!("# Implementation Plan: {written} - {title}")
                } else {
                    format!("{id} - {written}")
                };
                line.expect.push(expect(None));
            }
            How::PhaseName { written } => {
                let phase = 1 + rng.below(facts.phases);
                let line = doc.at(Tag::Phase(phase));
                line.text = format!("### Phase {phase}: {written}");
                line.expect.push(expect(None));
            }
            How::PhaseField { field, value } => {
                let at = phase_field(doc, rng, facts, field);
                set_value(&mut doc.lines[at], value);
                doc.lines[at].refs.clear();
                doc.lines[at].expect.push(expect(None));
            }
            How::ContinuePattern => {
                let at = doc
                    .find(Tag::Heading("Success Criteria"))
                    .expect("a regular plan has Success Criteria");
                let next = facts.phases + 1;
                let mut instruction = Line::new(
                    "placeholder",
                    "[Continue pattern for additional phases as needed]",
                );
                instruction.expect.push(expect(None));
                doc.lines.splice(
                    at..at,
                    [
                        Line::new("phase:heading", format!("### Phase {next}: Hardening"))
                            .tagged(Tag::Phase(next)),
                        instruction,
                        Line::new("blank", ""),
                    ],
                );
            }
            How::ProsePlaceholder { section, text } | How::Guidance { section, text } => {
                if text.contains("Context mode recommendation") {
                    doc.lines.retain(|l| l.style != "theme:context-mode");
                }
                let mut line = Line::new("planted", text);
                line.expect.push(expect(None));
                doc.insert_under(section, vec![line]);
            }
            How::PhaseGuidance { field, text } => {
                let at = phase_field(doc, rng, facts, field);
                set_value(&mut doc.lines[at], text);
                doc.lines[at].refs.clear();
                doc.lines[at].expect.push(expect(None));
            }
            How::UpdatedBeforeCreated => {
                let earlier = Day(facts.created.0 - 3).iso();
                let line = doc.at(Tag::Field("Updated"));
                set_value(line, &earlier);
                line.expect.push(expect(None));
            }
            How::TargetBeforeCreated => {
                let earlier = Day(facts.created.0 - 9).iso();
                let line = doc.at(Tag::Field("Completion Target"));
                set_value(line, &earlier);
                line.expect.push(expect(None));
            }
            How::UpdatedInFuture => {
                let line = doc.at(Tag::Field("Updated"));
                set_value(line, "2026-01-20");
                line.expect.push(expect(None));
            }
            How::MilestoneDiffers => {
                let line = doc.at(Tag::Field("Milestone"));
                // A milestone no plan or task has, so no other plan's findings change.
                set_value(line, &format!("M{}", facts.milestone + 1_000_000));
                line.expect.push(expect(None));
            }
            How::File(_) => unreachable!("file mistakes are not written into a plan"),
        }
    }
}

/// A known name other than `taken` (so a case variant never sits beside its own name).
fn other_than<'a>(rng: &mut Rng, names: &[&'a str], taken: &str) -> &'a str {
    loop {
        let name = rng.pick(names);
        if name != taken {
            return name;
        }
    }
}

/// The field line of a phase (its nested lines dropped), the phase drawn at random.
fn phase_field(doc: &mut Doc, rng: &mut Rng, facts: &PlanFacts<'_>, field: &'static str) -> usize {
    let phase = 1 + rng.below(facts.phases);
    let at = doc
        .find(Tag::PhaseField(phase, field))
        .expect("every phase has its fields");
    drop_nested(doc, at);
    at
}

/// Replaces a phase's task bullet by one in `style` that also names an unknown task.
fn replace_tasks_field(
    doc: &mut Doc,
    field: &'static str,
    phase: usize,
    n: usize,
    style: &super::plan::PhaseTaskStyle,
    rng: &mut Rng,
) {
    let at = doc
        .find(Tag::PhaseField(phase, field))
        .expect("every phase has its task bullet");
    drop_nested(doc, at);
    let mut ids: Vec<String> = doc.lines[at].refs.iter().map(|r| r.name.clone()).collect();
    ids.insert(rng.below(ids.len() + 1), unknown_task_id(n, rng));
    let label = Label::of(&doc.lines[at].text);
    doc.lines
        .splice(at..=at, phase_tasks(label, field, phase, &ids, style));
}

fn drop_nested(doc: &mut Doc, at: usize) {
    let end = (at + 1..doc.lines.len())
        .find(|&i| !doc.lines[i].text.starts_with("  "))
        .unwrap_or(doc.lines.len());
    let nested: Vec<_> = doc.lines.drain(at + 1..end).collect();
    doc.lines[at]
        .refs
        .extend(nested.into_iter().flat_map(|l| l.refs));
}

/// Replaces what follows a bullet's bold label.
fn set_value(line: &mut Line, value: &str) {
    let end = line
        .text
        .find("**:")
        .map(|i| i + 3)
        .or_else(|| line.text.find(":**").map(|i| i + 3));
    let label = &line.text[..end.expect("a field has its bold label")];
    line.text = format!("{label} {value}");
}

fn insert_priority(doc: &mut Doc) {
    let at = doc
        .find(Tag::Field("Related Tasks"))
        .expect("a regular plan has Related Tasks");
    let label = Label::of(&doc.lines[at].text);
    let line =
        Line::new("meta:priority", label.field("Priority", "high")).tagged(Tag::Field("Priority"));
    doc.lines.insert(at + 1, line);
}
