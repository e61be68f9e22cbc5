//! Completion where a plan takes a name: task ids in Related Tasks and a phase's Tasks,
//! flow ids under Required Project Flows, theme names under Primary and Related Themes,
//! the status words in Status and the context modes in the context-mode item.

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, Range, TextEdit};

use super::position::Positions;
use super::Document;
use crate::parse;
use crate::plan::{ListItem, Plan, Span};
use crate::references;
use crate::schema::Schema;
use crate::source::{self, SourceFile};

/// What the plan takes at a place, and so what is offered there.
#[derive(Debug, PartialEq, Eq)]
enum Takes {
    Tasks,
    Flows,
    Themes,
    Status,
    ContextMode,
}

/// The completions at byte `offset` of the open document; empty where the plan takes no
/// name.
pub fn at(document: &Document, offset: usize, schema: &Schema) -> Vec<CompletionItem> {
    let (text_start, text) = document.plan_text();
    let Some(at) = offset.checked_sub(text_start) else {
        return Vec::new();
    };
    let plan = parse::parse(text, document.file_name());
    let Some(takes) = takes_at(&plan, text, at, schema) else {
        return Vec::new();
    };
    let project = document.project.as_deref();
    let (words, kind): (Vec<String>, _) = match takes {
        Takes::Tasks => (
            project
                .and_then(|p| p.tasks.as_ref())
                .map(|tasks| tasks.ids().map(str::to_string).collect())
                .unwrap_or_default(),
            CompletionItemKind::REFERENCE,
        ),
        Takes::Flows => (
            names(project.and_then(|p| p.flows.as_ref())),
            CompletionItemKind::REFERENCE,
        ),
        Takes::Themes => (
            names(project.and_then(|p| p.themes.as_ref())),
            CompletionItemKind::REFERENCE,
        ),
        Takes::Status => (
            schema.for_kind(plan.kind()).statuses.clone(),
            CompletionItemKind::ENUM_MEMBER,
        ),
        Takes::ContextMode => (
            schema.context_modes.clone(),
            CompletionItemKind::ENUM_MEMBER,
        ),
    };
    // The word being typed is replaced: ids hold `-`, which editors take for a word's end.
    let lines = SourceFile::new(String::new(), document.text.clone());
    let positions = Positions::new(&lines);
    let typed = typed_word(text, at);
    let range: Range = positions.range(Span::new(typed.start + text_start, offset));
    words
        .into_iter()
        .map(|word| CompletionItem {
            label: word.clone(),
            kind: Some(kind),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: word,
            })),
            ..CompletionItem::default()
        })
        .collect()
}

/// The names of a set the project may not have.
fn names(set: Option<&std::collections::BTreeSet<String>>) -> Vec<String> {
    set.map(|names| names.iter().cloned().collect())
        .unwrap_or_default()
}

/// What the plan takes at byte `at` of its text.
fn takes_at(plan: &Plan<'_>, text: &str, at: usize, schema: &Schema) -> Option<Takes> {
    // On the line from its start to its end, blanks after the value included: where the
    // next word is typed.
    let on_line_of = |start: usize| start <= at && at <= source::line_end(text, start).0;
    let on = |item: &ListItem| on_line_of(item.span.start);
    if let Some(field) = plan.fields().find(|f| on_line_of(f.name_span.start)) {
        if field.name.eq_ignore_ascii_case("Related Tasks") {
            return Some(Takes::Tasks);
        }
        if field.name.eq_ignore_ascii_case("Status") {
            return Some(Takes::Status);
        }
    }
    let phases_name = &schema.for_kind(plan.kind()).phases_section;
    if let Some(phases) = plan.section(phases_name) {
        let in_tasks = plan.items_within(phases).iter().any(|item| {
            plan.field_of(item).is_some_and(|f| {
                f.name.eq_ignore_ascii_case("Tasks")
                    || f.name.eq_ignore_ascii_case("Priority Tasks")
            }) && on(item)
        });
        if in_tasks {
            return Some(Takes::Tasks);
        }
    }
    let under = |section: &str, name: &str| {
        references::items_under(plan, section, name)
            .iter()
            .find(|item| on(item))
    };
    if under("Flow Integration", "Required Project Flows").is_some() {
        return Some(Takes::Flows);
    }
    for name in ["Primary Theme", "Related Themes"] {
        if let Some(item) = under("Theme Integration", name) {
            let is_mode = references::context_mode(&plan.text_of(item)).is_some();
            return Some(if is_mode {
                Takes::ContextMode
            } else {
                Takes::Themes
            });
        }
    }
    None
}

/// The part of the word that ends at `at` already typed: back to a blank, a comma or a
/// backtick.
fn typed_word(text: &str, at: usize) -> Span {
    let before = text.get(..at).unwrap_or_default();
    let start = before
        .rfind(|c: char| c.is_whitespace() || c == ',' || c == '`' || c == '(')
        .map_or(0, |found| found + 1);
    Span::new(start, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn takes(text: &str) -> Option<Takes> {
        let at = text.find('|').unwrap();
        let text = text.replace('|', "");
        let plan = parse::parse(&text, Some("M01-v1-x.md"));
        takes_at(&plan, &text, at, &Schema::default_schema())
    }

    #[test]
    fn knows_what_each_place_takes() {
        let plan = "# Implementation Plan: M01 - X\n\n## Metadata\n- **Status**: a|\n\
                    - **Related Tasks**: TASK-|\n\n## Phases\n### Phase 1: A\n\
                    - **Tasks**: |\n- **Objectives**: x|\n\n## Flow Integration\n\
                    ### Required Project Flows\n- `us|`\n\n## Theme Integration\n\
                    ### Primary Theme\n- au|\n- Context mode recommendation: th|\n";
        let marks: Vec<usize> = plan.match_indices('|').map(|(at, _)| at).collect();
        let expected = [
            Some(Takes::Status),
            Some(Takes::Tasks),
            Some(Takes::Tasks),
            None,
            Some(Takes::Flows),
            Some(Takes::Themes),
            Some(Takes::ContextMode),
        ];
        for (n, (mark, expected)) in marks.iter().zip(expected).enumerate() {
            let one: String = plan
                .char_indices()
                .filter(|(at, c)| *c != '|' || at == mark)
                .map(|(_, c)| c)
                .collect();
            assert_eq!(takes(&one), expected, "mark {n}");
        }
    }

    #[test]
    fn the_typed_word_starts_after_a_separator() {
        let text = "- **Tasks**: TASK-1, TASK-2";
        assert_eq!(typed_word(text, text.len()), Span::new(21, text.len()));
        assert_eq!(typed_word("`us", 3), Span::new(1, 3));
    }
}
