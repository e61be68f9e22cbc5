//! The template in force, read from its markdown: the placeholders, instructions and
//! guidance lines it holds, and where a plan still holds them. No rule logic: rules ask.

// Every item of every plan is looked up here: hashbrown's hasher (foldhash, seeded per run)
// costs less than std's SipHash.
mod guidance;

use hashbrown::HashSet;

use crate::plan::Plan;
use crate::plan::Span;
use guidance::{folded, Guidance, Unfolded};

/// What the template's own text says a plan must not keep: read once from the template,
/// so a team's own template brings its own.
#[derive(Debug, Default)]
pub struct Template {
    /// The names the template writes in `{ }` (`milestone-id`, `Phase Name`), lower-cased.
    names: HashSet<String>,
    /// The template's bracketed instructions (`Same structure as Phase 1`) and the
    /// schema's bracketed stand-ins (`TBD`), lower-cased, blanks as one space.
    instructions: HashSet<String>,
    /// What the schema's `[placeholders] bracketed` names, of `instructions`: told as
    /// unwritten text rather than as an instruction of the template.
    stand_ins: HashSet<String>,
    /// A field's whole value that stands in for one (`TBD`, `TODO`), case folded.
    field_values: Vec<String>,
    /// The template's metadata values that list choices (`active|completed|superseded`),
    /// lower-cased, without blanks around the `|`.
    choices: HashSet<String>,
    /// The text of the template's list items outside `## Metadata` that hold no
    /// placeholder: its guidance for what goes there.
    guidance: Guidance,
}

impl Template {
    /// Reads the template's markdown. `stand_ins` are bracketed texts (without brackets)
    /// and `field_values` whole values that stand for text not yet written, wherever the
    /// template itself does not use them.
    pub fn from_markdown(markdown: &str, stand_ins: &[String], field_values: &[String]) -> Self {
        let plan = crate::parse::parse(markdown, None);
        let mut template = Template {
            stand_ins: stand_ins.iter().map(|s| bracket_key(s)).collect(),
            field_values: field_values.iter().map(|v| folded(v)).collect(),
            ..Template::default()
        };
        template.instructions.clone_from(&template.stand_ins);
        for (open, close) in enclosed(markdown) {
            let span = Span::new(open, close + 1);
            let inner = &markdown[open + 1..close];
            let after = markdown.as_bytes().get(close + 1);
            if plan.in_code(span) || inner.contains(['{', '[']) {
                continue;
            }
            if markdown.as_bytes()[open] == b'{' {
                template.names.insert(inner.trim().to_lowercase());
            } else if !matches!(after, Some(b'(' | b'[' | b':')) && inner.trim().len() > 1 {
                // A link's text, a reference or a task's checkbox is no instruction.
                template.instructions.insert(bracket_key(inner));
            }
        }
        for field in plan.fields() {
            if field.value.contains('|') && !template.has_placeholder_text(field.value) {
                template.choices.insert(choices_key(field.value));
            }
        }
        let metadata = plan.metadata.map(|m| plan.headings[m].body);
        for item in &plan.items {
            let in_metadata = metadata.is_some_and(|body| body.contains(item.span));
            let text = plan.text_of(item);
            if !in_metadata && !template.has_placeholder_text(text.as_str()) {
                template.guidance.insert(text.as_str());
            }
        }
        template
    }

    /// Whether `text` holds one of the template's names or instructions, in its brackets.
    fn has_placeholder_text(&self, text: &str) -> bool {
        enclosed(text).any(|(open, close)| {
            let inner = &text[open + 1..close];
            self.is_name(inner) || self.instructions.contains(&bracket_key(inner))
        })
    }

    fn is_name(&self, inner: &str) -> bool {
        self.names.contains(&inner.trim().to_lowercase())
    }

    /// Whether a list item's text ([`Plan::text_of`]) is one of the template's guidance
    /// lines, case, runs of blanks and trailing punctuation aside.
    pub fn is_guidance(&self, text: &str) -> bool {
        self.guidance.contains(text)
    }
}

/// The pairs of `{ }` and `[ ]` of `text`, each opening with the first closing after it on
/// its line (byte offsets of both), in order; a template engine's `{{` opens none, and what
/// is enclosed is looked into again. Linear in the text: a line of many openings is not
/// read to its end once for each.
fn enclosed(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let find = move |needle: &'static [u8]| {
        move |from: usize| memchr::memmem::find(&bytes[from..], needle).map(|at| from + at)
    };
    let (mut line_end, mut double_close) = (Next::default(), Next::default());
    let (mut brace_close, mut bracket_close) = (Next::default(), Next::default());
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let open = from + memchr::memchr2(b'{', b'[', bytes.get(from..)?)?;
        from = open + 1;
        let end = line_end
            .find(open, |from| Some(crate::source::line_end(text, from).0))
            .unwrap_or(text.len());
        let on_line = |at: Option<usize>| at.filter(|&at| at < end);
        if bytes[open] == b'{' && bytes.get(open + 1) == Some(&b'{') {
            // `{{…}}` is a template engine's, whatever it holds.
            from = on_line(double_close.find(open, find(b"}}"))).map_or(open + 2, |at| at + 2);
            continue;
        }
        let close = if bytes[open] == b'{' {
            brace_close.find(open + 1, find(b"}"))
        } else {
            bracket_close.find(open + 1, find(b"]"))
        };
        if let Some(close) = on_line(close) {
            return Some((open, close));
        }
    })
}

/// Where something next stands in a text from a point on, remembered: asked again from a
/// later point, it is looked for again only once that point has passed it.
#[derive(Default)]
struct Next {
    /// From where it was looked for, and what was found; `None` before the first look.
    looked: Option<(usize, Option<usize>)>,
}

impl Next {
    fn find(&mut self, from: usize, search: impl FnOnce(usize) -> Option<usize>) -> Option<usize> {
        match self.looked {
            Some((looked_from, found))
                if looked_from <= from && found.is_none_or(|at| at >= from) =>
            {
                found
            }
            _ => {
                let found = search(from);
                self.looked = Some((from, found));
                found
            }
        }
    }
}

fn bracket_key(inner: &str) -> String {
    inner
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn choices_key(value: &str) -> String {
    value
        .split('|')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("|")
        .to_lowercase()
}

/// What a placeholder is, for the words that report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceholderKind {
    /// One of the template's names, in `{ }` or `[ ]`.
    Name,
    /// One of the template's bracketed instructions.
    Instruction,
    /// `[TBD]`, or `{two or more words}` in prose: text not yet written.
    Unwritten,
    /// A field (its name's span) whose whole value is `TBD` or `TODO`.
    StandInValue { field: Span },
    /// A field (its name's span) whose value is the template's list of choices.
    Choices { field: Span },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    pub span: Span,
    pub kind: PlaceholderKind,
}

/// The placeholders of one plan, in the text's order. A placeholder counts as an absent
/// value for every rule but PC108: each asks here rather than judging template text.
#[derive(Debug, Default)]
pub struct Placeholders(Vec<Placeholder>);

impl Placeholders {
    /// Finds the placeholders of a plan: the template's names and instructions and the
    /// schema's bracketed stand-ins wherever they stand in prose; `{two or more words}` in
    /// prose unless it follows a letter, digit, `/`, `\`, `$`, `_`, `^` or `=`; and the
    /// metadata and phase fields whose whole value is a stand-in or the template's choices.
    /// `phases_section`: the heading the plan's phases stand under, for its kind of plan.
    pub fn find(
        plan: &Plan,
        text: &str,
        template: &Template,
        phases_section: &str,
    ) -> Placeholders {
        let mut found = Vec::new();
        let mut after = 0;
        for (open, close) in enclosed(text) {
            let span = Span::new(open, close + 1);
            if open < after || !plan.is_prose(span) {
                continue;
            }
            let inner = &text[open + 1..close];
            let kind = if template.is_name(inner) {
                Some(PlaceholderKind::Name)
            } else if text.as_bytes()[open] == b'[' {
                let key = bracket_key(inner);
                if template.stand_ins.contains(&key) {
                    Some(PlaceholderKind::Unwritten)
                } else {
                    template
                        .instructions
                        .contains(&key)
                        .then_some(PlaceholderKind::Instruction)
                }
            } else {
                let before = text[..open].chars().next_back();
                let attached = before.is_some_and(|c| {
                    c.is_alphanumeric() || matches!(c, '/' | '\\' | '$' | '_' | '^' | '=')
                });
                (!attached && is_words(inner)).then_some(PlaceholderKind::Unwritten)
            };
            if let Some(kind) = kind {
                found.push(Placeholder { span, kind });
                after = span.end;
            }
        }
        let phases = plan.section(phases_section);
        let phase_fields = phases.map_or(&[][..], |p| plan.items_within(p));
        let fields = plan
            .metadata_items()
            .chain(phase_fields)
            .filter_map(|item| plan.field_of(item));
        for field in fields {
            let value = Unfolded::new(field.value);
            let field_name = field.name_span;
            let kind = if template.field_values.iter().any(|v| value.cmp(v).is_eq()) {
                PlaceholderKind::StandInValue { field: field_name }
            } else if field.value.contains('|')
                && template.choices.contains(&choices_key(field.value))
            {
                PlaceholderKind::Choices { field: field_name }
            } else {
                continue;
            };
            found.push(Placeholder {
                span: field.value_span,
                kind,
            });
        }
        found.sort_by_key(|p| p.span.start);
        Placeholders(found)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Placeholder> {
        self.0.iter()
    }

    /// The placeholders that overlap `span`.
    pub fn within(&self, span: Span) -> impl Iterator<Item = &Placeholder> {
        let first = self.0.partition_point(|p| p.span.end <= span.start);
        self.0[first..]
            .iter()
            .take_while(move |p| p.span.start < span.end)
            .filter(move |p| p.span.overlaps(span))
    }

    /// Whether any placeholder overlaps `span`: a value holding one is absent.
    pub fn overlaps(&self, span: Span) -> bool {
        self.within(span).next().is_some()
    }
}

/// Two or more words separated by blanks, at least one with a letter; a word is letters
/// and digits with `-`, `_`, `'`, `’` or `.` among them.
fn is_words(inner: &str) -> bool {
    let is_word = |w: &str| {
        w.chars().any(char::is_alphanumeric)
            && w.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '\'' | '’' | '.'))
    };
    let trimmed = inner.trim_matches(' ');
    let words: Vec<&str> = trimmed
        .split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect();
    words.len() >= 2 && words.iter().all(|w| is_word(w)) && trimmed.chars().any(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    fn placeholders(text: &str) -> Vec<(&str, PlaceholderKind)> {
        let (plan, schema) = (crate::parse::parse(text, None), Schema::default_schema());
        let phases = &schema.for_kind(plan.kind()).phases_section;
        let found = Placeholders::find(&plan, text, &schema.template, phases);
        found
            .iter()
            .map(|p| (&text[p.span.range()], p.kind))
            .collect()
    }

    fn found(text: &str) -> Vec<&str> {
        placeholders(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn reads_the_names_and_instructions_of_the_template() {
        let template = &Schema::default_schema().template;
        let mut names: Vec<&str> = template.names.iter().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "iso-8601-date",
                "milestone title",
                "milestone-id",
                "phase name",
                "version"
            ]
        );
        let mut instructions: Vec<&str> =
            template.instructions.iter().map(String::as_str).collect();
        instructions.sort_unstable();
        assert_eq!(
            instructions,
            [
                "continue pattern for additional phases as needed",
                "same structure as phase 1",
                "task-ids that will be generated from this plan",
                "tbd",
                "to be determined",
            ]
        );
        let choices: Vec<&str> = template.choices.iter().map(String::as_str).collect();
        assert_eq!(choices, ["active|completed|superseded"]);
    }

    /// The bullets under the H3s of six sections, and Phase 1's seven fields.
    #[test]
    fn reads_the_guidance_of_the_template() {
        let template = &Schema::default_schema().template;
        assert_eq!(template.guidance.len(), 19 + 16 + 12 + 6 + 5 + 12 + 7);
        for line in [
            "What exists currently in the codebase related to this milestone",
            "External Dependencies: Third-party APIs, libraries, services",
            "Context mode recommendation (theme-focused/theme-expanded/project-wide)",
            "Objectives: What this phase accomplishes toward milestone completion",
            "Impact assessment of changes on timeline and resources",
        ] {
            assert!(template.is_guidance(line), "{line}");
        }
        for line in [
            "Milestone: M{milestone-id}",
            "Objectives: [Same structure as Phase 1]",
            "Deliverables: What this phase accomplishes toward milestone completion",
            "What exists currently in the codebase",
        ] {
            assert!(!template.is_guidance(line), "{line}");
        }
    }

    #[test]
    fn guidance_is_compared_without_case_emphasis_or_trailing_punctuation() {
        let template = &Schema::default_schema().template;
        let text = "- What exists currently in the codebase related to this milestone\n\
                    - what exists currently in the codebase related to this milestone.\n\
                    - *What exists currently   in the codebase related to this milestone*\n\
                    - __WHAT exists currently in the codebase related to this milestone__:\n\
                    - What exists currently in the codebase\n  related to this milestone\n\
                    - **Objectives:** what this phase accomplishes toward milestone completion\n\
                    - What exists currently in the codebase related to this milestone, and more\n\
                    - What exists currently in the codebase related to this milestone\n  is a lot\n\
                    - `What exists currently in the codebase related to this milestone`\n";
        let plan = crate::parse::parse(text, None);
        let guidance: Vec<bool> = (plan.items.iter())
            .map(|item| template.is_guidance(plan.text_of(item).as_str()))
            .collect();
        assert_eq!(
            guidance,
            [true, true, true, true, true, true, false, false, true]
        );
    }

    #[test]
    fn finds_the_templates_names_wherever_they_stand_in_prose() {
        let text = "M{milestone-id}, v{version}, x{ISO-8601-date}, [Phase Name], {VERSION}.\n";
        assert_eq!(
            found(text),
            [
                "{milestone-id}",
                "{version}",
                "{ISO-8601-date}",
                "[Phase Name]",
                "{VERSION}"
            ]
        );
        assert!(placeholders(text)
            .iter()
            .all(|(_, kind)| *kind == PlaceholderKind::Name));
    }

    #[test]
    fn finds_instructions_and_stand_ins() {
        let text =
            "[Same structure as Phase 1] [Continue pattern for additional phases as needed]\n\
                    [TASK-IDs that will be generated from this plan] [To be determined] [tbd]\n";
        assert_eq!(
            placeholders(text),
            [
                ("[Same structure as Phase 1]", PlaceholderKind::Instruction),
                (
                    "[Continue pattern for additional phases as needed]",
                    PlaceholderKind::Instruction
                ),
                (
                    "[TASK-IDs that will be generated from this plan]",
                    PlaceholderKind::Instruction
                ),
                ("[To be determined]", PlaceholderKind::Unwritten),
                ("[tbd]", PlaceholderKind::Unwritten),
            ]
        );
        assert_eq!(
            found("[Same structure as Phase 2] [Phase] [x]\n"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn finds_words_in_braces_in_prose() {
        let text = "Owner: {Owner Name}; {describe the rollback}, (x){a b}, {e.g. the owner}.\n";
        assert_eq!(
            found(text),
            [
                "{Owner Name}",
                "{describe the rollback}",
                "{a b}",
                "{e.g. the owner}"
            ]
        );
    }

    #[test]
    fn braces_that_are_not_placeholders() {
        let text = "/users/{id} Bearer {token} \\mathbb{R} ${HOME} {{name}} {{Phase Name}} \
                    x_{i} a^{b c} k={a b} M{n} {0} {:?} {user_id} {a, b} {1 2} { } {a {b}\n\n\
                    `{Phase Name}` `[TBD]` $x_{i}$ $\\frac{a b}{c}$ $$ {Owner Name} $$\n\n\
                    ```\n{Owner Name} [To be determined]\n```\n\n\
                    <!-- {Owner Name} [TBD] -->\n\n\
                    [docs](</a/{Owner Name}>) <https://x.org/{version}> ![i](</i/{Owner Name}>)\n\n\
                    [r]: </b/{Owner Name}>\n";
        assert_eq!(found(text), Vec::<&str>::new());
    }

    #[test]
    fn a_link_text_is_prose() {
        assert_eq!(
            found("[see {Owner Name}](https://x.org)\n"),
            ["{Owner Name}"]
        );
    }

    #[test]
    fn finds_stand_in_values_and_choices_in_metadata_and_phase_fields() {
        let text = "## Metadata\n- **Status**: Active | Completed | Superseded\n\
                    - **Completion Target**: tbd\n- **Notes**: TBD later\n\
                    ## Phases\n### Phase 1: A\n- **Estimated Duration**: TODO\n\
                    ## Notes\n- **Owner**: TODO\n";
        let kinds: Vec<(&str, bool)> = placeholders(text)
            .into_iter()
            .map(|(t, k)| (t, matches!(k, PlaceholderKind::Choices { .. })))
            .collect();
        assert_eq!(
            kinds,
            [
                ("Active | Completed | Superseded", true),
                ("tbd", false),
                ("TODO", false)
            ]
        );
    }

    #[test]
    fn a_value_holding_a_placeholder_is_found_by_its_span() {
        let text = "## Metadata\n- **Version**: v{version}\n- **Created**: 2025-07-01\n";
        let (plan, schema) = (crate::parse::parse(text, None), Schema::default_schema());
        let phases = &schema.for_kind(plan.kind()).phases_section;
        let found = Placeholders::find(&plan, text, &schema.template, phases);
        let version = plan.field("Version").unwrap();
        let created = plan.field("Created").unwrap();
        assert!(found.overlaps(version.value_span));
        assert!(!found.overlaps(created.value_span));
    }
}

#[cfg(test)]
mod line_end_tests {
    use super::enclosed;
    use proptest::prelude::*;

    /// Each opening read as the doc of [`enclosed`] says, one line at a time.
    fn enclosed_as_written(text: &str) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        let mut from = 0;
        while let Some(found) = text[from..].find(['{', '[']) {
            let open = from + found;
            let line = &text[open..crate::source::line_end(text, open).0];
            if line.starts_with("{{") {
                from = open + line.find("}}").map_or(2, |at| at + 2);
                continue;
            }
            from = open + 1;
            let close = if line.starts_with('{') { '}' } else { ']' };
            if let Some(at) = line.find(close) {
                pairs.push((open, open + at));
            }
        }
        pairs
    }

    proptest! {
        #[test]
        fn pairs_as_the_doc_says(text in "[{}\\[\\] x\n\r]{0,40}") {
            prop_assert_eq!(enclosed(&text).collect::<Vec<_>>(), enclosed_as_written(&text));
        }
    }

    #[test]
    fn a_pair_never_spans_a_line_ending_of_any_kind() {
        for ending in ["\n", "\r\n", "\r"] {
            let text = format!("a {{b{ending}c}} [d{ending}e] {{{{f{ending}}}}} {{g}}");
            let pairs: Vec<&str> = enclosed(&text).map(|(a, b)| &text[a..=b]).collect();
            assert_eq!(pairs, ["{g}"], "{ending:?}");
        }
    }
}
