//! The plan template as data, read once from the embedded `rules/schema.toml`.
//! Rules ask the schema which sections, fields and words are allowed; they hold no lists of their own.

use crate::pattern::Pattern;
use std::collections::BTreeMap;

use serde::Deserialize;

use crate::plan::PlanKind;

const DEFAULT_SCHEMA: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/schema.toml"));

#[derive(Debug)]
pub struct Schema {
    pub regular: PlanSchema,
    pub high_priority: PlanSchema,
    pub context_modes: Vec<String>,
    pub completed_dirs: Vec<String>,
    /// Every placeholder pattern of the schema in one, for a single pass over a plan.
    pub placeholder: Pattern,
    /// The bytes every placeholder starts with, when the patterns say so plainly: text
    /// without any of them holds none, and the pattern need not look (it is asked of
    /// many short values, where its setup costs more than its search).
    placeholder_starts: Option<Vec<u8>>,
    pub placeholder_values: Vec<String>,
}

#[derive(Debug)]
pub struct PlanSchema {
    pub title: Pattern,
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
        let compile = |pattern: &str| Pattern::new(pattern).map_err(|e| e.to_string());
        Ok(Schema {
            regular: raw.regular.compile()?,
            high_priority: raw.high_priority.compile()?,
            context_modes: raw.context_modes,
            completed_dirs: raw.completed_dirs,
            placeholder: compile(&raw.placeholders.patterns.join("|"))?,
            placeholder_starts: raw
                .placeholders
                .patterns
                .iter()
                .map(|p| first_byte(p))
                .collect::<Option<Vec<u8>>>()
                .map(|mut starts| {
                    starts.sort_unstable();
                    starts.dedup();
                    starts
                }),
            placeholder_values: raw.placeholders.field_values,
        })
    }

    /// Widens or changes the template as a config file says.
    pub fn apply(&mut self, config: &crate::config::Config) {
        if let Some(dirs) = &config.completed_dirs {
            self.completed_dirs.clone_from(dirs);
        }
        for plan in [&mut self.regular, &mut self.high_priority] {
            if let Some(statuses) = &config.statuses {
                plan.statuses.clone_from(statuses);
            }
            plan.optional_fields
                .extend(config.extra_fields.iter().cloned());
            plan.extra_sections
                .extend(config.extra_sections.iter().cloned());
        }
    }

    pub fn for_kind(&self, kind: PlanKind) -> &PlanSchema {
        match kind {
            PlanKind::Regular => &self.regular,
            PlanKind::HighPriority => &self.high_priority,
        }
    }

    /// Whether `text` holds any unfilled template text.
    pub fn has_placeholder(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let may_match = match self.placeholder_starts.as_deref() {
            None => true,
            Some(&[a]) => memchr::memchr(a, bytes).is_some(),
            Some(&[a, b]) => memchr::memchr2(a, b, bytes).is_some(),
            Some(&[a, b, c]) => memchr::memchr3(a, b, c, bytes).is_some(),
            Some(starts) => bytes.iter().any(|b| starts.contains(b)),
        };
        let trimmed = crate::text::trim(text);
        self.placeholder_values.iter().any(|v| v == trimmed)
            || (may_match && self.placeholder.is_match(text))
    }
}

/// The byte every match of `pattern` starts with, when the pattern begins with an escaped
/// ASCII punctuation mark (`\{`, `\[`) and has no alternation or flags that could change
/// that; `None` when it is not so plain.
fn first_byte(pattern: &str) -> Option<u8> {
    let &[b'\\', first, ..] = pattern.as_bytes() else {
        return None;
    };
    let no_flags = (pattern.match_indices("(?")).all(|(at, _)| pattern[at + 2..].starts_with(':'));
    let plain = first.is_ascii_punctuation() && !pattern.contains('|') && no_flags;
    plain.then_some(first)
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
    patterns: Vec<String>,
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
            title: Pattern::new(&self.title).map_err(|e| e.to_string())?,
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
            assert!(
                fields.len() <= 64,
                "a phase's fields are counted in one u64"
            );
        }
    }

    #[test]
    fn placeholders_are_looked_for_only_where_they_can_start() {
        assert_eq!(first_byte(r"\{[A-Za-z]+\}"), Some(b'{'));
        assert_eq!(first_byte(r"\[To be determined\]"), Some(b'['));
        assert_eq!(first_byte(r"\{a(?: b)*\}"), Some(b'{'));
        for unplain in [r"\{a\}|b", r"(?i)\[x\]", r"\[a(?i:b)\]", r"\dx", "x", ""] {
            assert_eq!(first_byte(unplain), None, "{unplain}");
        }
        let schema = Schema::default_schema();
        assert_eq!(
            schema.placeholder_starts.as_deref(),
            Some(&b"[{"[..]),
            "the embedded patterns are plain, and start with two bytes"
        );
        assert!(schema.has_placeholder("[To be determined]"));
        assert!(schema.has_placeholder("see {Phase Name} here"));
        assert!(!schema.has_placeholder("Phase Name"));
    }

    #[test]
    fn knows_placeholders() {
        let schema = Schema::default_schema();
        assert!(schema.has_placeholder("M{milestone-id}"));
        assert!(schema.has_placeholder("{Phase Name}"));
        assert!(schema.has_placeholder("active|completed|superseded"));
        assert!(schema.has_placeholder("[Continue pattern for additional phases as needed]"));
        assert!(!schema.has_placeholder("M01"));
        assert!(!schema.has_placeholder("a {b c"));
    }
}
