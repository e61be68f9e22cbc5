//! What a place in a plan names, for hover and go to definition: a task id, a flow id or a
//! theme name, read as `check` reads them ([`references::extract`]), and where the project
//! defines it.

use std::path::{Path, PathBuf};

use lsp_types::{Hover, HoverContents, Location, MarkupContent, MarkupKind, Range};

use super::position::{self, Positions};
use super::Document;
use crate::fs;
use crate::parse;
use crate::plan::Span;
use crate::project::{Project, TASK_FOLDERS};
use crate::references;
use crate::report::escape;
use crate::schema::Schema;
use crate::source::SourceFile;
use crate::template::Placeholders;

/// A reference a plan makes, with the span of its id in the document's text.
enum Named {
    Task(String),
    Flow(String),
    Theme(String),
}

/// What the reference at byte `offset` of the document names, and the span of its id.
fn named_at(document: &Document, offset: usize, schema: &Schema) -> Option<(Named, Span)> {
    let (text_start, text) = document.plan_text();
    let at = offset.checked_sub(text_start)?;
    let plan = parse::parse(text, document.file_name());
    let phases = &schema.for_kind(plan.kind()).phases_section;
    let placeholders = Placeholders::find(&plan, text, &schema.template, phases);
    let refs = references::extract(&plan, text, schema, &placeholders);
    // The cursor just after an id is on it too, as editors place it after a double click.
    let on = |span: Span| span.start <= at && at <= span.end;
    let shifted = |span: Span| Span::new(span.start + text_start, span.end + text_start);
    let found = refs
        .tasks
        .iter()
        .find(|r| on(r.span))
        .map(|r| (Named::Task(r.id.to_string()), r.span))
        .or_else(|| {
            (refs.flows.iter().find(|r| on(r.span)))
                .map(|r| (Named::Flow(r.id.to_string()), r.span))
        })
        .or_else(|| {
            (refs.themes.iter().find(|r| on(r.span)))
                .map(|r| (Named::Theme(r.id.to_string()), r.span))
        });
    found.map(|(named, span)| (named, shifted(span)))
}

/// A task's file, where the project has one.
fn task_file(project: &Project, id: &str) -> Option<PathBuf> {
    let task = project.tasks.as_ref()?.get(id)?;
    let folder = TASK_FOLDERS.get(usize::from(task.folder))?;
    Some(project.root.join(folder).join(format!("{}.json", task.id)))
}

/// A project file's text, read now: the model keeps no text of a file without findings.
fn read(path: &Path) -> Option<String> {
    let bytes = fs::read_capped(path, fs::PROJECT_FILE_LIMIT).ok()?;
    String::from_utf8(bytes).ok()
}

/// The hover of a task id: the task's title, status and file.
pub fn hover(document: &Document, offset: usize, schema: &Schema) -> Option<Hover> {
    let (Named::Task(id), span) = named_at(document, offset, schema)? else {
        return None;
    };
    let path = task_file(document.project.as_ref()?, &id)?;
    let task: serde_json::Value = serde_json::from_str(&read(&path)?).ok()?;
    let field = |name: &str| task.get(name).and_then(|v| v.as_str()).map(str::to_string);
    let mut lines = vec![format!("**{id}**")];
    if let Some(title) = field("title") {
        lines[0].push_str(&format!(": {}", escape::markdown(&title)));
    }
    if let Some(status) = field("status") {
        lines.push(format!("Status: {}", code_span(&status)));
    }
    let shown = fs::relative_to_current_dir(&path);
    lines.push(format!("File: {}", code_span(&shown.display().to_string())));
    let lines_of = SourceFile::new(String::new(), document.text.clone());
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: lines.join("\n\n"),
        }),
        range: Some(Positions::new(&lines_of).range(span)),
    })
}

/// Where the project defines the task, flow or theme at `offset`: the task's file, or the
/// entry of the flow or theme in the file that defines it.
pub fn definition(document: &Document, offset: usize, schema: &Schema) -> Option<Location> {
    let project = document.project.as_ref()?;
    let (named, _) = named_at(document, offset, schema)?;
    let (path, key) = match &named {
        Named::Task(id) => (task_file(project, id)?, "taskId".to_string()),
        Named::Flow(id) => (
            fs::absolute(Path::new(&**project.flow_sources.get(id)?)),
            id.clone(),
        ),
        Named::Theme(name) => (
            fs::absolute(Path::new(&**project.theme_sources.get(name)?)),
            name.clone(),
        ),
    };
    let text = read(&path)?;
    // The entry's first mention as a JSON string: a theme's key, a flow's id, a task's
    // `taskId`.
    let quoted = serde_json::to_string(&key).ok()?;
    let range = text.find(&quoted).map_or_else(Range::default, |at| {
        let lines = SourceFile::new(String::new(), text.clone());
        Positions::new(&lines).range(Span::new(at, at + quoted.len()))
    });
    Some(Location::new(position::uri_of(&path)?, range))
}

/// `text` as a markdown code span: fenced by one backtick more than the longest run in it.
fn code_span(text: &str) -> String {
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    let pad = if longest > 0 { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_span_holds_any_backticks() {
        assert_eq!(code_span("in-progress"), "`in-progress`");
        assert_eq!(code_span("a`b"), "`` a`b ``");
    }
}
