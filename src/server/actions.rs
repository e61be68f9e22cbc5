//! Code actions: each finding's fix as a quick fix, and the safe ones together as the
//! `source.fixAll.plancheck` action, made to a fixed point as `--fix` makes them.

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, OneOf,
    OptionalVersionedTextDocumentIdentifier, Range, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::diagnostics::{self, range_in};
use super::position::Positions;
use super::Document;
use crate::diagnostic::FixMode;
use crate::fix;
use crate::linter::Linter;
use crate::source::SourceFile;

/// The kind of the action that makes every safe fix, as editors ask for it on save.
pub const FIX_ALL: &str = "source.fixAll.plancheck";

/// The actions for `range` of the open `document`, of the kinds `params` asks for.
pub fn for_range(
    params: &CodeActionParams,
    document: &Document,
    linter: &Linter,
) -> Vec<CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let only = params.context.only.as_deref();
    let lines = SourceFile::new(String::new(), document.text.clone());
    let at = Positions::new(&lines);
    let mut actions = Vec::new();
    if asked_for(only, CodeActionKind::QUICKFIX.as_str()) {
        for finding in &document.findings {
            let Some(fix) = &finding.fix else { continue };
            let range = range_in(&at, finding.span, document.text_start);
            if !touches(range, params.range) {
                continue;
            }
            let edits = fix
                .edits
                .iter()
                .map(|edit| TextEdit {
                    range: range_in(&at, Some(edit.span), document.text_start),
                    new_text: edit.replacement.clone(),
                })
                .collect();
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("{} ({})", fix.message, finding.rule.code),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostics::one(
                    uri,
                    finding,
                    &at,
                    document.text_start,
                )]),
                edit: Some(edit_of(uri, document, edits)),
                is_preferred: Some(fix.applicability == crate::diagnostic::Applicability::Safe),
                ..CodeAction::default()
            }));
        }
    }
    if asked_for(only, FIX_ALL) {
        if let Some(fixed) = fixed_text(document, linter) {
            let whole = Range {
                start: Default::default(),
                end: at.position(document.text.len()),
            };
            let edit = TextEdit {
                range: whole,
                new_text: fixed,
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Fix all safely fixable plancheck findings".to_string(),
                kind: Some(CodeActionKind::from(FIX_ALL)),
                edit: Some(edit_of(uri, document, vec![edit])),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

/// Whether a client that asks for the kinds `only` (`None`: any) wants one of `kind`: LSP's
/// kinds are dotted, and asking for `source` is asking for `source.fixAll.plancheck` too.
fn asked_for(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|asked| {
        asked.iter().any(|asked| {
            let asked = asked.as_str();
            kind == asked || kind.strip_prefix(asked).is_some_and(|r| r.starts_with('.'))
        })
    })
}

/// Whether two ranges share a position (an empty range at a finding's edge touches it).
fn touches(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The edits of the document at the version they were made for: a client whose text moved
/// on since refuses them rather than garbling it.
fn edit_of(uri: &Uri, document: &Document, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        document_changes: Some(lsp_types::DocumentChanges::Edits(vec![TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: uri.clone(),
                version: Some(document.version),
            },
            edits: edits.into_iter().map(OneOf::Left).collect(),
        }])),
        ..WorkspaceEdit::default()
    }
}

/// The document's text with every safe fix made, round after round until one makes none;
/// `None` when there is nothing to fix.
fn fixed_text(document: &Document, linter: &Linter) -> Option<String> {
    let mut text = document.text.clone().into_bytes();
    let mut changed = false;
    for _ in 0..fix::MAX_ROUNDS {
        let Some(report) = linter.check_text(
            document.path.as_deref(),
            text.clone(),
            document.project.as_deref(),
        ) else {
            break;
        };
        let chosen = fix::chosen_fixes(&report.diagnostics, FixMode::default());
        let Some((fixed, _)) = fix::fix_bytes(&text, report.source().text_start, &chosen) else {
            break;
        };
        if fixed == text {
            break;
        }
        text = fixed;
        changed = true;
    }
    changed.then(|| String::from_utf8(text).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_asked_for_covers_the_kinds_under_it() {
        let asked = |kinds: &[&str]| -> Vec<CodeActionKind> {
            kinds
                .iter()
                .map(|k| CodeActionKind::from(k.to_string()))
                .collect()
        };
        assert!(asked_for(None, FIX_ALL));
        assert!(asked_for(Some(&asked(&["source"])), FIX_ALL));
        assert!(asked_for(Some(&asked(&["source.fixAll"])), FIX_ALL));
        assert!(!asked_for(Some(&asked(&["source.fix"])), FIX_ALL));
        assert!(!asked_for(Some(&asked(&["quickfix"])), FIX_ALL));
        assert!(asked_for(Some(&asked(&["quickfix"])), "quickfix"));
    }
}
