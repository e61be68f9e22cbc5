//! The plan template as data: the embedded `rules/schema.toml`, and each kind of plan's
//! template (a regular plan's is the embedded `rules/template.md` or a team's own, an
//! H-plan's `rules/template-high-priority.md`), whose headings are the plan's sections, its
//! metadata bullets the fields and its first phase's bullets the phase fields.
//! Rules ask the schema which sections, fields and words are allowed; they hold no lists of their own.

use regex::Regex;
use std::collections::BTreeMap;

use serde::Deserialize;

use crate::plan::{phase_heading, Plan, PlanKind, Span};
use crate::template::Template;

const DEFAULT_SCHEMA: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/schema.toml"));
/// The template plans are written from (the spec's `implementation-plan-template.md`).
pub const DEFAULT_TEMPLATE: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/template.md"));
/// The high-priority grammar of layout.md, in the template's form.
const HIGH_PRIORITY_TEMPLATE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/template-high-priority.md"
));

#[derive(Debug)]
pub struct Schema {
    pub regular: PlanSchema,
    pub high_priority: PlanSchema,
    pub context_modes: Vec<String>,
    pub completed_dirs: Vec<String>,
    /// The template in force: its placeholders, instructions and guidance lines.
    pub template: Template,
}

#[derive(Debug)]
pub struct PlanSchema {
    pub title: Regex,
    pub title_form: String,
    pub statuses: Vec<String>,
    pub fields: Vec<String>,
    pub optional_fields: Vec<String>,
    pub date_fields: Vec<String>,
    pub date_order: Vec<(String, String)>,
    pub future_date_fields: Vec<String>,
    pub target_field: String,
    pub phases_section: String,
    pub phase_fields: Vec<String>,
    pub sections: Vec<SectionSchema>,
    /// Allowed words for one-of-a-few fields (`Priority`, `Urgency`), compared ignoring case.
    pub choices: BTreeMap<String, Vec<String>>,
    /// H2s allowed on top of the template's (`[plan] extra-sections`).
    pub extra_sections: Vec<String>,
    /// The markdown of the template this kind of plan is written from.
    pub template_text: String,
    texts: TemplateTexts,
}

#[derive(Debug)]
pub struct SectionSchema {
    pub name: String,
    /// `None`: free-form below this section; `Some`: exactly these H3s are expected.
    pub subsections: Option<Vec<String>>,
}

/// Why a template cannot be one: what is missing, and where in its text to look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateMistake {
    pub message: String,
    /// Where in the template; `None` for its start.
    pub span: Option<Span>,
    /// What stands at `span`.
    pub label: &'static str,
    pub help: String,
}

/// What a template's markdown says a regular plan holds.
#[derive(Debug)]
struct TemplateShape {
    sections: Vec<SectionSchema>,
    fields: Vec<String>,
    phase_fields: Vec<String>,
    texts: TemplateTexts,
}

/// The template's own text of each field and section: what a fix inserts for a missing one.
#[derive(Debug, Default)]
struct TemplateTexts {
    /// Each metadata field with the value the template writes for it, in its order.
    fields: Vec<(String, String)>,
    sections: Vec<SectionText>,
}

#[derive(Debug)]
struct SectionText {
    /// The heading's text, and its parent's (none for an H2).
    name: String,
    parent: Option<String>,
    /// The heading line and everything below it up to the next heading of its level or
    /// higher (or the template's notes on itself), ending in one `\n`.
    text: String,
}

impl TemplateTexts {
    fn of(plan: &Plan<'_>, markdown: &str) -> TemplateTexts {
        let notes = notes_on_the_template(plan, markdown);
        let sections = (plan.headings.iter().filter(|h| h.level > 1))
            .map(|heading| {
                let end = heading.body.end.min(notes).max(heading.span.start);
                let text = markdown.get(heading.span.start..end).unwrap_or_default();
                SectionText {
                    name: heading.text.to_string(),
                    parent: heading.parent.map(|p| plan.headings[p].text.to_string()),
                    text: format!("{}\n", text.trim_end()),
                }
            })
            .collect();
        TemplateTexts {
            fields: (plan.fields())
                .map(|f| (f.name.to_string(), f.value.to_string()))
                .collect(),
            sections,
        }
    }
}

impl TemplateShape {
    /// Reads the shape of the template `markdown`: its H2s in order, each with its H3s (none
    /// expected under a section without any; the phases section's are phases, left to the
    /// phase rules; with `free_subsections`, none is expected anywhere), the fields of its
    /// `## Metadata`, and those of its first phase.
    fn of(
        markdown: &str,
        phases_section: &str,
        free_subsections: bool,
    ) -> Result<TemplateShape, TemplateMistake> {
        let plan = crate::parse::parse(markdown, None);
        let first = plan.headings.first();
        if first.is_none_or(|heading| heading.level != 1) {
            return Err(TemplateMistake {
                message: "the template has no title".into(),
                span: first.map(|heading| heading.span),
                label: "the first heading is not a `#` title",
                help: "begin it with the plan's title, as \
                       `# Implementation Plan: M{milestone-id} - {Milestone Title}`"
                    .into(),
            });
        }
        let Some(metadata) = plan.metadata else {
            return Err(TemplateMistake {
                message: "the template has no `## Metadata` section".into(),
                span: first.map(|heading| heading.span),
                label: "no `## Metadata` in the template of this title",
                help: "add `## Metadata` with one `- **Field**: value` bullet per field".into(),
            });
        };
        let fields: Vec<String> = plan.fields().map(|f| f.name.to_string()).collect();
        if fields.is_empty() {
            return Err(TemplateMistake {
                message: "the template's `## Metadata` holds no field".into(),
                span: Some(plan.headings[metadata].span),
                label: "no `- **Field**: value` bullet below",
                help: "list each field as a `- **Field**: value` bullet".into(),
            });
        }
        let sections = plan
            .sections()
            .map(|(at, heading)| {
                let is_phases = heading.text.eq_ignore_ascii_case(phases_section);
                SectionSchema {
                    name: heading.text.to_string(),
                    subsections: (!is_phases && !free_subsections)
                        .then(|| plan.children(at).map(|(_, h)| h.text.to_string()).collect()),
                }
            })
            .collect();
        let first_phase = plan.section(phases_section).and_then(|phases| {
            plan.children(phases)
                .find(|(_, heading)| phase_heading(&heading.text).is_some())
        });
        let phase_fields = first_phase.map_or_else(Vec::new, |(at, _)| {
            (plan.items_within(at).iter())
                .filter(|item| item.depth == 0)
                .filter_map(|item| Some(plan.field_of(item)?.name.to_string()))
                .collect()
        });
        Ok(TemplateShape {
            sections,
            fields,
            phase_fields,
            texts: TemplateTexts::of(&plan, markdown),
        })
    }
}

/// Where the template's notes on itself begin: a thematic break (`---`) that no heading
/// follows, and what follows it (`**Template Usage**: …`), are about the template, not the
/// plan. The whole text when there is none.
pub fn notes_on_the_template(plan: &Plan<'_>, markdown: &str) -> usize {
    let after_headings = plan.headings.last().map_or(0, |h| h.span.end);
    let mut offset = 0;
    let mut previous_blank = true;
    for line in markdown.split_inclusive('\n') {
        let span = Span::new(offset, offset + line.len());
        if offset >= after_headings
            && previous_blank
            && is_thematic_break(line)
            && !plan.in_code(span)
        {
            return offset;
        }
        previous_blank = line.trim().is_empty();
        offset += line.len();
    }
    markdown.len()
}

/// `---`, `***` or `___` (three or more, blanks between allowed): a line, not a
/// setext heading's underline when a blank line stands before it.
fn is_thematic_break(line: &str) -> bool {
    let marks: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3 && matches!(marks[0], '-' | '*' | '_') && marks.iter().all(|&c| c == marks[0])
}

impl Schema {
    /// The template plancheck ships with.
    pub fn default_schema() -> Schema {
        // invariant: the embedded schema and template are tested (`default_schema_loads`),
        // so they always read.
        #[allow(clippy::expect_used)]
        Schema::with_template(DEFAULT_TEMPLATE).expect("the embedded template is valid")
    }

    /// The schema with `markdown` as the template in force.
    pub fn with_template(markdown: &str) -> Result<Schema, TemplateMistake> {
        // invariant: the embedded schema is tested (`default_schema_loads`), so it parses.
        #[allow(clippy::expect_used)]
        let raw: RawSchema = toml::from_str(DEFAULT_SCHEMA).expect("rules/schema.toml is valid");
        let regular = raw.regular.compile(markdown)?;
        // invariant: the embedded H-plan template is tested (`default_schema_loads`).
        #[allow(clippy::expect_used)]
        let high_priority = (raw.high_priority.compile(HIGH_PRIORITY_TEMPLATE))
            .expect("the embedded H-plan template is valid");
        Ok(Schema {
            regular,
            high_priority,
            context_modes: raw.context_modes,
            completed_dirs: raw.completed_dirs,
            template: Template::from_markdown(
                markdown,
                &raw.placeholders.bracketed,
                &raw.placeholders.field_values,
            ),
        })
    }

    pub fn for_kind(&self, kind: PlanKind) -> &PlanSchema {
        match kind {
            PlanKind::Regular => &self.regular,
            PlanKind::HighPriority => &self.high_priority,
        }
    }
}

impl PlanSchema {
    pub fn section(&self, name: &str) -> Option<(usize, &SectionSchema)> {
        self.sections
            .iter()
            .enumerate()
            .find(|(_, s)| s.name.eq_ignore_ascii_case(name))
    }

    /// Whether `name` is one of the template's fields, written exactly so.
    pub fn is_known_field(&self, name: &str) -> bool {
        self.fields
            .iter()
            .chain(&self.optional_fields)
            .any(|f| f == name)
    }

    /// The value the template writes for metadata field `name` (`{ISO-8601-date}`).
    pub fn field_text(&self, name: &str) -> Option<&str> {
        (self.texts.fields.iter())
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }

    /// Section `name` (below section `parent`, for a subsection) as the template writes
    /// it: its heading line and its body, each line ending in `\n`.
    pub fn section_text(&self, parent: Option<&str>, name: &str) -> Option<&str> {
        (self.texts.sections.iter())
            .find(|s| s.name == name && s.parent.as_deref() == parent)
            .map(|s| s.text.as_str())
    }

    pub fn is_date_field(&self, name: &str) -> bool {
        self.date_fields
            .iter()
            .any(|f| f.eq_ignore_ascii_case(name))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSchema {
    context_modes: Vec<String>,
    completed_dirs: Vec<String>,
    placeholders: RawPlaceholders,
    regular: RawPlanSchema,
    high_priority: RawPlanSchema,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPlaceholders {
    bracketed: Vec<String>,
    field_values: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPlanSchema {
    title: String,
    title_form: String,
    statuses: Vec<String>,
    optional_fields: Vec<String>,
    date_fields: Vec<String>,
    date_order: Vec<(String, String)>,
    future_date_fields: Vec<String>,
    target_field: String,
    phases_section: String,
    #[serde(default)]
    free_subsections: bool,
    choices: BTreeMap<String, Vec<String>>,
}

impl RawPlanSchema {
    /// The plan's schema, its sections and fields those of `template`, its markdown.
    fn compile(self, template: &str) -> Result<PlanSchema, TemplateMistake> {
        let shape = TemplateShape::of(template, &self.phases_section, self.free_subsections)?;
        // invariant: the embedded schema's patterns are tested (`default_schema_loads`).
        #[allow(clippy::expect_used)]
        let title = Regex::new(&self.title).expect("rules/schema.toml's titles are patterns");
        Ok(PlanSchema {
            title,
            title_form: self.title_form,
            statuses: self.statuses,
            optional_fields: self.optional_fields,
            date_fields: self.date_fields,
            date_order: self.date_order,
            future_date_fields: self.future_date_fields,
            target_field: self.target_field,
            phases_section: self.phases_section,
            fields: shape.fields,
            phase_fields: shape.phase_fields,
            sections: shape.sections,
            choices: self.choices,
            extra_sections: Vec::new(),
            template_text: template.to_string(),
            texts: shape.texts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schema_loads() {
        let schema = Schema::with_template(DEFAULT_TEMPLATE).unwrap();
        assert_eq!(schema.regular.sections.len(), 8);
        assert_eq!(schema.high_priority.sections.len(), 8);
        assert_eq!(schema.regular.phase_fields.len(), 7);
    }

    #[test]
    fn reads_the_fields_and_sections_as_the_template_writes_them() {
        let schema = Schema::default_schema();
        let regular = &schema.regular;
        assert_eq!(
            regular.field_text("Status"),
            Some("active|completed|superseded")
        );
        assert_eq!(regular.field_text("Plan Type"), None);
        assert_eq!(
            regular.section_text(Some("Success Criteria"), "Quality Gates"),
            Some(
                "### Quality Gates\n- Minimum standards that must be met before proceeding\n\
                 - Code coverage requirements\n- Security and compliance validations\n"
            )
        );
        let strategy = regular.section_text(None, "Strategy").unwrap();
        assert!(strategy.starts_with("## Strategy\n### Implementation Approach"));
        assert!(strategy.ends_with("- Resource usage expectations\n"));
        let notes = regular.section_text(None, "Notes").unwrap();
        assert!(notes.ends_with("timeline and resources\n"), "{notes}");
        assert_eq!(regular.section_text(None, "Quality Gates"), None);
        let high = &schema.high_priority;
        assert_eq!(high.field_text("Plan Type"), Some("high-priority"));
        assert_eq!(
            high.section_text(None, "Notes"),
            Some("## Notes\n- Decisions, changes and what was learned along the way\n")
        );
    }

    /// layout.md's high-priority grammar, as its template gives it.
    #[test]
    fn the_high_priority_template_gives_the_grammar_s_sections_and_fields() {
        let plan = Schema::default_schema().high_priority;
        assert_eq!(
            plan.fields,
            [
                "Plan Type",
                "Priority",
                "Escalation Date",
                "Status",
                "Created",
                "Updated",
                "Estimated Completion",
                "Original Task",
                "Urgency"
            ]
        );
        assert_eq!(
            plan.phase_fields,
            [
                "Objectives",
                "Priority Tasks",
                "Coordination Requirements",
                "Success Criteria",
                "Risk Mitigation"
            ]
        );
        let names: Vec<&str> = plan.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Metadata",
                "Escalation Analysis",
                "Current State Assessment",
                "Strategic Resolution Approach",
                "Implementation Phases",
                "Success Criteria",
                "Coordination Requirements",
                "Notes"
            ]
        );
        assert!(plan.sections.iter().all(|s| s.subsections.is_none()));
    }

    /// What `rules/schema.toml` said of the regular plan before the template said it.
    #[test]
    fn the_embedded_template_gives_the_spec_s_sections_and_fields() {
        let regular = Schema::default_schema().regular;
        assert_eq!(
            regular.fields,
            [
                "Milestone",
                "Status",
                "Version",
                "Created",
                "Updated",
                "Completion Target",
                "Related Tasks"
            ]
        );
        assert_eq!(
            regular.phase_fields,
            [
                "Objectives",
                "Deliverables",
                "Tasks",
                "Dependencies",
                "Success Criteria",
                "Estimated Duration",
                "Risk Factors"
            ]
        );
        let outline: Vec<(&str, Option<usize>)> = (regular.sections.iter())
            .map(|s| (s.name.as_str(), s.subsections.as_ref().map(Vec::len)))
            .collect();
        assert_eq!(
            outline,
            [
                ("Metadata", Some(0)),
                ("Analysis", Some(5)),
                ("Strategy", Some(5)),
                ("Phases", None),
                ("Success Criteria", Some(4)),
                ("Flow Integration", Some(2)),
                ("Theme Integration", Some(2)),
                ("Notes", Some(4)),
            ]
        );
        let notes = regular.section("Notes").unwrap().1;
        assert_eq!(
            notes.subsections.as_deref().unwrap(),
            [
                "Implementation Decisions and Rationale",
                "User Feedback and Modifications",
                "Lessons Learned During Execution",
                "Change Log"
            ]
        );
    }

    #[test]
    fn a_team_template_gives_its_own_sections_and_fields() {
        let team = "# Implementation Plan: M{milestone-id} - {Milestone Title}\n\n\
                    ## Metadata\n- **Milestone**: M{milestone-id}\n- **Owner**: {owner}\n\n\
                    ## Risks\n### Known Risks\n- What could go wrong\n\n\
                    ## Phases\n### Phase 1: {Phase Name}\n- **Goal**: What it achieves\n";
        let regular = Schema::with_template(team).unwrap().regular;
        assert_eq!(regular.fields, ["Milestone", "Owner"]);
        assert_eq!(regular.phase_fields, ["Goal"]);
        let names: Vec<&str> = regular.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Metadata", "Risks", "Phases"]);
    }

    #[test]
    fn a_template_without_a_title_or_metadata_is_no_template() {
        for (text, message, at) in [
            ("", "no title", None),
            ("## Metadata\n- **A**: b\n", "no title", Some("## Metadata")),
            ("# Plan\n\n## Notes\n", "no `## Metadata`", Some("# Plan")),
            (
                "# Plan\n\n## Metadata\nnothing\n",
                "holds no field",
                Some("## Metadata"),
            ),
        ] {
            let mistake = Schema::with_template(text).unwrap_err();
            assert!(mistake.message.contains(message), "{text:?}: {mistake:?}");
            let shown = mistake.span.map(|span| &text[span.range()]);
            assert_eq!(shown, at, "{text:?}");
        }
    }

    /// The section rules find each heading's place in the template by its first match.
    #[test]
    fn the_template_names_each_section_subsection_and_phase_field_once() {
        let schema = Schema::default_schema();
        let unique = |names: &[&str]| {
            let mut folded: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
            folded.sort();
            folded.windows(2).all(|w| w[0] != w[1])
        };
        for plan in [&schema.regular, &schema.high_priority] {
            let sections: Vec<&str> = plan.sections.iter().map(|s| s.name.as_str()).collect();
            assert!(unique(&sections), "{sections:?}");
            for subs in plan.sections.iter().filter_map(|s| s.subsections.as_ref()) {
                let subs: Vec<&str> = subs.iter().map(String::as_str).collect();
                assert!(unique(&subs), "{subs:?}");
            }
            let fields: Vec<&str> = plan.phase_fields.iter().map(String::as_str).collect();
            assert!(unique(&fields), "{fields:?}");
        }
    }
}
