//! The plan template as data, read once from the embedded `rules/schema.toml`.
//! Rules ask the schema which sections, fields and words are allowed; they hold no lists of their own.

use regex::Regex;
use std::collections::BTreeMap;

use serde::Deserialize;

use crate::plan::PlanKind;
use crate::template::Template;

const DEFAULT_SCHEMA: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/schema.toml"));
/// The template plans are written from (the spec's `implementation-plan-template.md`).
const DEFAULT_TEMPLATE: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/template.md"));

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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSchema {
    pub name: String,
    /// `None`: free-form below this section; `Some`: exactly these H3s are expected.
    pub subsections: Option<Vec<String>>,
}

impl Schema {
    /// The template plancheck ships with.
    pub fn default_schema() -> Schema {
        // invariant: the embedded schema is tested (`default_schema_loads`), so it always parses.
        #[allow(clippy::expect_used)]
        Schema::from_toml(DEFAULT_SCHEMA).expect("the embedded rules/schema.toml is valid")
    }

    pub fn from_toml(text: &str) -> Result<Schema, String> {
        let raw: RawSchema = toml::from_str(text).map_err(|e| e.to_string())?;
        Ok(Schema {
            regular: raw.regular.compile()?,
            high_priority: raw.high_priority.compile()?,
            context_modes: raw.context_modes,
            completed_dirs: raw.completed_dirs,
            template: Template::from_markdown(
                DEFAULT_TEMPLATE,
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
    fields: Vec<String>,
    optional_fields: Vec<String>,
    date_fields: Vec<String>,
    date_order: Vec<(String, String)>,
    future_date_fields: Vec<String>,
    target_field: String,
    phases_section: String,
    phase_fields: Vec<String>,
    sections: Vec<SectionSchema>,
    choices: BTreeMap<String, Vec<String>>,
}

impl RawPlanSchema {
    fn compile(self) -> Result<PlanSchema, String> {
        Ok(PlanSchema {
            title: Regex::new(&self.title).map_err(|e| e.to_string())?,
            title_form: self.title_form,
            statuses: self.statuses,
            fields: self.fields,
            optional_fields: self.optional_fields,
            date_fields: self.date_fields,
            date_order: self.date_order,
            future_date_fields: self.future_date_fields,
            target_field: self.target_field,
            phases_section: self.phases_section,
            phase_fields: self.phase_fields,
            sections: self.sections,
            choices: self.choices,
            extra_sections: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schema_loads() {
        let schema = Schema::from_toml(DEFAULT_SCHEMA).unwrap();
        assert_eq!(schema.regular.sections.len(), 8);
        assert_eq!(schema.high_priority.sections.len(), 8);
        assert_eq!(schema.regular.phase_fields.len(), 7);
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
