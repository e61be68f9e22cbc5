//! Writes a clean plan from the template as a [`Doc`]: a regular plan or a high-priority
//! one, its items in styles drawn from the tables.

use super::doc::{task, Doc, Item, Line, Tag};
use super::items::{Slots, CONTEXT_MODES, FLOW_STYLES, THEME_STYLES};
use super::names::{all_flows, FLOW_FILES, PROSE_FLOWS, PROSE_FLOW_FILES, PROSE_THEMES, THEMES};
use super::prose;
use super::rng::{Day, Rng};

pub struct Dates {
    pub created: Day,
    pub updated: Day,
    pub target: Day,
}

pub struct Regular {
    pub milestone: u32,
    pub version: u32,
    pub status: &'static str,
    pub title: &'static str,
    /// Every task of the plan, listed in Related Tasks and spread over the phases.
    pub tasks: Vec<String>,
    pub phases: Vec<&'static str>,
    pub dates: Dates,
}

pub struct High {
    pub stamp: String,
    pub title: &'static str,
    pub status: &'static str,
    pub original_task: String,
    pub dates: Dates,
}

pub const ANALYSIS: [&str; 5] = [
    "Current State Assessment",
    "Requirements Breakdown",
    "Dependencies Identification",
    "Risk Factors and Mitigation",
    "Architecture Considerations",
];
pub const STRATEGY: [&str; 5] = [
    "Implementation Approach and Rationale",
    "Key Architecture Decisions",
    "Integration Points with Existing Systems",
    "Testing and Validation Strategy",
    "Performance Considerations",
];
pub const SUCCESS: [&str; 4] = [
    "Completion Markers for Entire Milestone",
    "Validation Requirements",
    "Quality Gates",
    "User Acceptance Criteria",
];
pub const NOTES: [&str; 4] = [
    "Implementation Decisions and Rationale",
    "User Feedback and Modifications",
    "Lessons Learned During Execution",
    "Change Log",
];
pub const PHASE_FIELDS: [&str; 7] = [
    "Objectives",
    "Deliverables",
    "Tasks",
    "Dependencies",
    "Success Criteria",
    "Estimated Duration",
    "Risk Factors",
];
pub const H_PHASE_FIELDS: [&str; 5] = [
    "Objectives",
    "Priority Tasks",
    "Coordination Requirements",
    "Success Criteria",
    "Risk Mitigation",
];

/// How a bold label is written: `**Field**:` or `**Field:**`.
#[derive(Clone, Copy)]
pub struct Label {
    colon_in_bold: bool,
}

impl Label {
    pub fn draw(rng: &mut Rng) -> Label {
        Label {
            colon_in_bold: rng.chance(30),
        }
    }

    pub fn of(line: &str) -> Label {
        Label {
            colon_in_bold: line.contains(":**"),
        }
    }

    pub fn write(self, name: &str) -> String {
        if self.colon_in_bold {
            format!("- **{name}:**")
        } else {
            format!("- **{name}**:")
        }
    }

    pub fn field(self, name: &str, value: &str) -> String {
        format!("{} {value}", self.write(name))
    }
}

/// A date value in one of the forms layout.md accepts, with the form as its style.
pub fn date_value(day: Day, rng: &mut Rng) -> (&'static str, String) {
    let d = day.iso();
    match rng.below(9) {
        0..=2 => ("meta:date", d),
        // The next day in UTC: dates compare by the calendar date as written.
        8 => ("meta:datetime-late-offset", format!("{d}T23:30:00-05:00")),
        3 => ("meta:datetime-minutes", format!("{d}T09:30")),
        4 => ("meta:datetime-seconds", format!("{d}T14:05:09")),
        5 => ("meta:datetime-z", format!("{d}T10:30:00Z")),
        6 => (
            "meta:datetime-fraction-offset",
            format!("{d}T09:30:15.250+02:00"),
        ),
        _ => ("meta:datetime-minutes-offset", format!("{d}T09:30+05:30")),
    }
}

pub struct RelatedFormat {
    pub name: &'static str,
    /// Means "no tasks yet" whatever the ids.
    pub empty: bool,
    pub write: fn(&[String]) -> String,
}

/// Related Tasks as layout.md allows it: commas or whitespace, optionally inside `[ ]`;
/// `[]`, `none` and `n/a` in any case for no tasks.
pub const RELATED_FORMATS: &[RelatedFormat] = &[
    RelatedFormat {
        name: "related:brackets-comma",
        empty: false,
        write: |ids| format!("[{}]", ids.join(", ")),
    },
    RelatedFormat {
        name: "related:bare-comma",
        empty: false,
        write: |ids| ids.join(", "),
    },
    RelatedFormat {
        name: "related:whitespace",
        empty: false,
        write: |ids| ids.join(" "),
    },
    RelatedFormat {
        name: "related:brackets-tight",
        empty: false,
        write: |ids| format!("[{}]", ids.join(",")),
    },
    RelatedFormat {
        name: "related:brackets-padded",
        empty: false,
        write: |ids| format!("[ {} ]", ids.join(" , ")),
    },
    RelatedFormat {
        name: "related:brackets-whitespace",
        empty: false,
        write: |ids| format!("[{}]", ids.join(" ")),
    },
    RelatedFormat {
        name: "related:empty-brackets",
        empty: true,
        write: |_| "[]".into(),
    },
    RelatedFormat {
        name: "related:empty-brackets-space",
        empty: true,
        write: |_| "[ ]".into(),
    },
    RelatedFormat {
        name: "related:none",
        empty: true,
        write: |_| "none".into(),
    },
    RelatedFormat {
        name: "related:None",
        empty: true,
        write: |_| "None".into(),
    },
    RelatedFormat {
        name: "related:n/a",
        empty: true,
        write: |_| "n/a".into(),
    },
    RelatedFormat {
        name: "related:N/A",
        empty: true,
        write: |_| "N/A".into(),
    },
];

pub fn related_line(label: Label, format: &RelatedFormat, ids: &[String]) -> Line {
    Line::new(
        format.name,
        label.field("Related Tasks", &(format.write)(ids)),
    )
    .tagged(Tag::Field("Related Tasks"))
    .refs(ids.iter().map(|id| task(id)))
}

#[derive(Clone, Copy)]
pub struct PhaseTaskStyle {
    pub name: &'static str,
    /// Lines after the label, the first one joined to it.
    pub write: fn(&[String]) -> Vec<String>,
}

/// A phase's **Tasks** (or an H-plan's **Priority Tasks**) bullet, holding task ids.
pub const PHASE_TASK_STYLES: &[PhaseTaskStyle] = &[
    PhaseTaskStyle {
        name: "phase-tasks:inline",
        write: |ids| vec![format!(" {} builds the model.", ids.join(" and "))],
    },
    PhaseTaskStyle {
        name: "phase-tasks:comma",
        write: |ids| vec![format!(" {}", ids.join(", "))],
    },
    PhaseTaskStyle {
        name: "phase-tasks:nested",
        write: |ids| {
            let mut lines = vec![String::new()];
            lines.extend(
                ids.iter()
                    .map(|id| format!("  - {id} — token service (see `src/auth/token.rs`)")),
            );
            lines
        },
    },
    PhaseTaskStyle {
        name: "phase-tasks:prose",
        write: |ids| {
            vec![format!(
                " see {}; the follow-up waits on review",
                ids.join(" then ")
            )]
        },
    },
];

/// The Tasks bullet of a phase, every line carrying the ids it holds.
pub fn phase_tasks(
    label: Label,
    field: &'static str,
    phase: usize,
    ids: &[String],
    style: &PhaseTaskStyle,
) -> Item {
    let tag = Tag::PhaseField(phase, field);
    if ids.is_empty() {
        let text = format!(
            "{} to be split once the design is agreed",
            label.write(field)
        );
        return vec![Line::new("phase-tasks:no-ids", text).tagged(tag)];
    }
    let lines = (style.write)(ids);
    lines
        .into_iter()
        .enumerate()
        .map(|(n, text)| {
            let refs: Vec<_> = ids
                .iter()
                .filter(|id| text.contains(id.as_str()))
                .map(|id| task(id))
                .collect();
            if n == 0 {
                Line::new(style.name, format!("{}{text}", label.write(field)))
                    .tagged(tag)
                    .refs(refs)
            } else {
                Line::new(style.name, text).refs(refs)
            }
        })
        .collect()
}

/// Names the project defines, and prose names it does not.
pub fn known_slots(rng: &mut Rng) -> Slots {
    if rng.chance(15) {
        return Slots::layout();
    }
    let flows: Vec<&str> = all_flows().collect();
    let (f0, f1) = two(rng, &flows);
    let files: Vec<&str> = FLOW_FILES.iter().map(|f| f.file).collect();
    let (file0, file1) = two(rng, &files);
    let (t0, t1) = two(rng, THEMES);
    let (p0, p1) = two(rng, PROSE_FLOWS);
    Slots {
        flows: [f0.into(), f1.into()],
        files: [file0.into(), file1.into()],
        themes: [t0.into(), t1.into()],
        prose_flows: [p0, p1],
        prose_file: rng.pick(PROSE_FLOW_FILES),
        prose_theme: rng.pick(PROSE_THEMES),
    }
}

/// Two different items.
fn two<'a>(rng: &mut Rng, items: &[&'a str]) -> (&'a str, &'a str) {
    let first = rng.below(items.len());
    let second = (first + 1 + rng.below(items.len() - 1)) % items.len();
    (items[first], items[second])
}

fn heading(doc: &mut Doc, level: usize, name: &'static str) {
    doc.push(
        Line::new("heading", format!("{} {name}", "#".repeat(level))).tagged(Tag::Heading(name)),
    );
}

fn prose_section(doc: &mut Doc, name: &'static str, rng: &mut Rng) {
    heading(doc, 3, name);
    let count = 1 + rng.below(2);
    doc.extend(prose::items(rng, count));
    if rng.chance(12) {
        doc.extend(prose::block(rng));
    }
    doc.blank();
}

fn labelled_section(doc: &mut Doc, name: &'static str, label: Label, lines: [(&str, &str); 2]) {
    heading(doc, 3, name);
    for (field, text) in lines {
        doc.text("prose:bold-label", label.field(field, text));
    }
    doc.blank();
}

pub fn regular(plan: &Regular, rng: &mut Rng) -> Doc {
    let mut doc = Doc::default();
    let label = Label::draw(rng);
    let m = plan.milestone;
    let title_id = if rng.chance(20) {
        format!("M-{m:02}")
    } else {
        format!("M{m:02}")
    };
    doc.push(
        Line::new(
            "title",
            format!("# Implementation Plan: {title_id} - {}", plan.title),
        )
        .tagged(Tag::Title),
    );
    doc.blank();
    heading(&mut doc, 2, "Metadata");
    let milestone = match rng.below(5) {
        0 => format!("M-{m:02}"),
        1 => format!("M{m}"),
        _ => format!("M{m:02}"),
    };
    let field = |name: &'static str, style: &'static str, value: &str| {
        Line::new(style, label.field(name, value)).tagged(Tag::Field(name))
    };
    doc.push(field("Milestone", "meta:milestone", &milestone));
    doc.push(field("Status", "meta:status", plan.status));
    if rng.chance(10) {
        doc.push(field(
            "Priority",
            "meta:priority",
            rng.pick(&["high", "Medium", "LOW"]),
        ));
    }
    doc.push(field(
        "Version",
        "meta:version",
        &format!("v{}", plan.version),
    ));
    let (created_style, created) = date_value(plan.dates.created, rng);
    let (updated_style, updated) = date_value(plan.dates.updated, rng);
    let (target_style, target) = date_value(plan.dates.target, rng);
    doc.push(field("Created", created_style, &created));
    doc.push(field("Updated", updated_style, &updated));
    doc.push(field("Completion Target", target_style, &target));
    let formats: Vec<&RelatedFormat> = RELATED_FORMATS
        .iter()
        .filter(|f| f.empty == plan.tasks.is_empty())
        .collect();
    doc.push(related_line(label, rng.pick(&formats), &plan.tasks));
    doc.blank();

    heading(&mut doc, 2, "Analysis");
    for name in ANALYSIS {
        match name {
            "Dependencies Identification" => labelled_section(
                &mut doc,
                name,
                label,
                [
                    (
                        "Internal Dependencies",
                        "M01's migrations (see `db/migrations/0042_users.sql`)",
                    ),
                    (
                        "External Dependencies",
                        "Stripe webhooks v2 — retried for 3 days",
                    ),
                ],
            ),
            "Risk Factors and Mitigation" => labelled_section(
                &mut doc,
                name,
                label,
                [
                    (
                        "Technical Risks",
                        "token revocation; mitigated by a deny-list in Redis",
                    ),
                    (
                        "Timeline Risks",
                        "the mobile release in October needs login",
                    ),
                ],
            ),
            _ => prose_section(&mut doc, name, rng),
        }
    }
    heading(&mut doc, 2, "Strategy");
    for name in STRATEGY {
        prose_section(&mut doc, name, rng);
    }
    heading(&mut doc, 2, "Phases");
    let phases = plan.phases.len();
    for (k, name) in plan.phases.iter().enumerate() {
        let n = k + 1;
        doc.push(
            Line::new("phase:heading", format!("### Phase {n}: {name}")).tagged(Tag::Phase(n)),
        );
        let ids: Vec<String> = plan.tasks.iter().skip(k).step_by(phases).cloned().collect();
        for field in PHASE_FIELDS {
            if field == "Tasks" {
                let style = rng.pick(PHASE_TASK_STYLES);
                doc.extend(phase_tasks(label, field, n, &ids, &style));
            } else {
                doc.extend(phase_field(label, field, n, rng));
            }
        }
        doc.blank();
    }
    heading(&mut doc, 2, "Success Criteria");
    for name in SUCCESS {
        prose_section(&mut doc, name, rng);
    }
    heading(&mut doc, 2, "Flow Integration");
    heading(&mut doc, 3, "Required Project Flows");
    for _ in 0..1 + rng.below(3) {
        let style = rng.pick(FLOW_STYLES);
        doc.extend((style.write)(style.name, &known_slots(rng)));
    }
    doc.blank();
    prose_section(&mut doc, "Flow Status Tracking", rng);
    heading(&mut doc, 2, "Theme Integration");
    heading(&mut doc, 3, "Primary Theme");
    let style = rng.pick(THEME_STYLES);
    doc.extend((style.write)(style.name, &known_slots(rng)));
    if rng.chance(70) {
        doc.text("theme:context-mode", rng.pick(CONTEXT_MODES));
    }
    doc.blank();
    heading(&mut doc, 3, "Related Themes");
    for _ in 0..1 + rng.below(2) {
        let style = rng.pick(THEME_STYLES);
        doc.extend((style.write)(style.name, &known_slots(rng)));
    }
    doc.blank();
    heading(&mut doc, 2, "Notes");
    for name in NOTES {
        prose_section(&mut doc, name, rng);
    }
    doc
}

/// A phase's bold field other than Tasks: one line, or a label over a nested list.
fn phase_field(label: Label, field: &'static str, phase: usize, rng: &mut Rng) -> Item {
    let tag = Tag::PhaseField(phase, field);
    let pool = match field {
        "Objectives" => prose::OBJECTIVES,
        "Deliverables" => prose::DELIVERABLES,
        "Dependencies" => prose::DEPENDENCIES,
        "Estimated Duration" => prose::DURATIONS,
        "Risk Factors" | "Risk Mitigation" | "Coordination Requirements" => prose::RISKS,
        _ => prose::CRITERIA,
    };
    if field == "Deliverables" && rng.chance(20) {
        let (a, b) = two(rng, pool);
        return vec![
            Line::new("phase:nested-field", label.write(field)).tagged(tag),
            Line::new("phase:nested-field", format!("  - {a}")),
            Line::new("phase:nested-field", format!("  - {b}")),
        ];
    }
    vec![Line::new("phase:field", label.field(field, rng.pick(pool))).tagged(tag)]
}

pub fn high(plan: &High, rng: &mut Rng) -> Doc {
    let mut doc = Doc::default();
    let label = Label::draw(rng);
    doc.push(
        Line::new(
            "title",
            format!(
                "# [HIGH PRIORITY] Implementation Plan: H-{} - {}",
                plan.stamp, plan.title
            ),
        )
        .tagged(Tag::Title),
    );
    doc.blank();
    heading(&mut doc, 2, "Metadata");
    let field = |name: &'static str, style: &'static str, value: &str| {
        Line::new(style, label.field(name, value)).tagged(Tag::Field(name))
    };
    doc.push(field("Plan Type", "meta:plan-type", "high-priority"));
    doc.push(field(
        "Priority",
        "meta:priority",
        rng.pick(&["HIGH", "HIGH", "high"]),
    ));
    let (style, escalation) = date_value(plan.dates.created, rng);
    doc.push(field("Escalation Date", style, &escalation));
    doc.push(field("Status", "meta:status", plan.status));
    let (style, created) = date_value(plan.dates.created, rng);
    doc.push(field("Created", style, &created));
    let (style, updated) = date_value(plan.dates.updated, rng);
    doc.push(field("Updated", style, &updated));
    let (style, target) = date_value(plan.dates.target, rng);
    doc.push(field("Estimated Completion", style, &target));
    doc.push(
        field("Original Task", "meta:original-task", &plan.original_task)
            .refs([task(&plan.original_task)]),
    );
    doc.push(field(
        "Urgency",
        "meta:urgency",
        rng.pick(&["high", "critical"]),
    ));
    doc.blank();

    heading(&mut doc, 2, "Escalation Analysis");
    if rng.chance(40) {
        heading(&mut doc, 3, "Root cause");
    }
    doc.text(
        "prose:paragraph",
        "Refresh tokens were written to the request log in plain text — anyone with",
    );
    doc.text(
        "prose:paragraph",
        "log access could take over a session (see `middleware/log.rs`).",
    );
    doc.blank();
    heading(&mut doc, 2, "Current State Assessment");
    let count = 1 + rng.below(2);
    doc.extend(prose::items(rng, count));
    doc.blank();
    heading(&mut doc, 2, "Strategic Resolution Approach");
    doc.text(
        "prose:paragraph",
        "Stop the leak first, then revoke what leaked, then make it impossible to repeat.",
    );
    doc.blank();
    heading(&mut doc, 2, "Implementation Phases");
    for (n, name) in [(1, "Contain"), (2, "Revoke and Prevent")] {
        doc.push(
            Line::new("phase:heading", format!("### Phase {n}: {name}")).tagged(Tag::Phase(n)),
        );
        for field in H_PHASE_FIELDS {
            if field == "Priority Tasks" {
                let ids = if n == 1 {
                    vec![plan.original_task.clone()]
                } else {
                    Vec::new()
                };
                let style = rng.pick(PHASE_TASK_STYLES);
                doc.extend(phase_tasks(label, field, n, &ids, &style));
            } else {
                doc.extend(phase_field(label, field, n, rng));
            }
        }
        doc.blank();
    }
    for name in ["Success Criteria", "Coordination Requirements", "Notes"] {
        heading(&mut doc, 2, name);
        let count = 1 + rng.below(2);
        doc.extend(prose::items(rng, count));
        doc.blank();
    }
    doc
}
