//! `plancheck graph`: the reference graph of the plans the PATHs hold and of their projects,
//! as JSON, Graphviz dot or a Mermaid flowchart.

use std::io::{self, Write};

use crate::cli::{CheckArgs, GraphArgs, GraphFormat};
use crate::discover::{self, Input};
use crate::error::Error;
use crate::fs;
use crate::graph::{Builder, Edge, Graph, PlanInput};
use crate::linter::Linter;
use crate::parse;
use crate::references;
use crate::report::escape;
use crate::rules::file::{self as file_rules, Decoded};
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::template::Placeholders;

use super::{check, Io, Outcome};

pub fn run(args: &GraphArgs, io: Io<'_>) -> Result<Outcome, Error> {
    // The project options mean what they mean to `check`, and are read by its code.
    let as_check = CheckArgs {
        paths: args.paths.clone(),
        config: args.config.clone(),
        no_config: args.no_config,
        project: args.project.clone(),
        ..CheckArgs::default()
    };
    let settings = Settings::resolve(&as_check)?;
    let (paths, inputs) = check::inputs(&as_check, &settings)?;
    if inputs.contains(&Input::Stdin) {
        return Err(Error::Usage(
            "graph reads plans from files: `-` (standard input) is not one".to_string(),
        ));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .build()
        .map_err(|_| Error::Threads(0))?;
    let linter = Linter::new(settings);
    let (projects, root_of) = linter.load_projects(&inputs, &pool);

    let mut builder = Builder::default();
    for project in &projects {
        builder.add_project(project);
    }
    let mut reader = fs::FileReader::default();
    let mut plans = 0;
    for (input, root) in inputs.iter().zip(&root_of) {
        let project = root.map(|r| &projects[r]);
        if add_plan(&mut builder, input, project, &linter, &mut reader) {
            plans += 1;
        }
    }
    if plans == 0 {
        check::say_no_plans_found(&paths, io.stderr)?;
    }
    let graph = builder.finish().select(args.orphans, args.dangling);
    let out = io.stdout;
    match args.format {
        GraphFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &graph).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        GraphFormat::Dot => write_dot(&graph, out)?,
        GraphFormat::Mermaid => write_mermaid(&graph, out)?,
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

/// Reads, parses and adds one input, when it is a plan; whether it was. A file `check` would
/// report as unreadable, not text or not a plan is no part of the graph.
fn add_plan(
    builder: &mut Builder,
    input: &Input,
    project: Option<&crate::project::Project>,
    linter: &Linter,
    reader: &mut fs::FileReader,
) -> bool {
    let Input::File { path, sniff } = input else {
        return false;
    };
    let mut bytes = Vec::new();
    if reader.read(path, fs::PLAN_LIMIT, &mut bytes).is_err() {
        return false;
    }
    let text_start = file_rules::skipped_bytes(&bytes);
    let Decoded::Text(text) = file_rules::decode(bytes) else {
        return false;
    };
    let schema = &linter.settings.schema;
    let shown = fs::os_text(path.as_os_str()).into_owned();
    let source = SourceFile::new(shown, text).starting_at(text_start);
    let file_name = path.file_name().and_then(|name| name.to_str());
    let plan = parse::parse(&source.text, file_name);
    let is_plan = if *sniff {
        discover::is_titled_plan(&plan, schema)
    } else {
        discover::is_plan_shaped(&plan, schema)
    };
    if !is_plan {
        return false;
    }
    let phases_section = &schema.for_kind(plan.kind()).phases_section;
    let placeholders = Placeholders::find(&plan, &source.text, &schema.template, phases_section);
    let refs = references::extract(&plan, &source.text, schema, &placeholders);
    let facts = crate::project::PlanFacts::new(&source, &fs::absolute(path), &plan, schema);
    let input = PlanInput {
        plan: &plan,
        refs: &refs,
        facts: &facts,
        source: &source,
        phases_section,
    };
    builder.add_plan(&input, project);
    true
}

/// What a node is called in a drawing: its name without the kind, a plan or phase by its
/// file name rather than its whole path.
fn label(id: &str) -> String {
    let name = id.split_once(':').map_or(id, |(_, name)| name);
    let is_file = id.starts_with("plan:") || id.starts_with("phase:");
    let name = match name.rsplit_once(['/', '\\']) {
        Some((_, file)) if is_file => file,
        _ => name,
    };
    escape::controls(name).into_owned()
}

fn kind_of(id: &str) -> &str {
    id.split_once(':').map_or("", |(kind, _)| kind)
}

/// Every node a drawing shows: the graph's, the orphans', and both ends of each dangling
/// reference (its target drawn as missing), each once, in order.
fn drawn_nodes(graph: &Graph) -> Vec<(&str, bool)> {
    let mut drawn: Vec<(&str, bool)> = Vec::new();
    drawn.extend(graph.nodes.iter().map(|n| (n.id.as_str(), false)));
    drawn.extend(graph.orphans.iter().map(|o| (o.id.as_str(), false)));
    for edge in &graph.dangling {
        drawn.push((edge.from.as_str(), false));
        drawn.push((edge.to.as_str(), true));
    }
    // A dangling target is never a node: sorting by id keeps each id's entries together.
    drawn.sort_unstable();
    drawn.dedup_by(|later, first| later.0 == first.0);
    drawn
}

/// A dot string: backslashes and quotes escaped, so `\N`, `\l` and the like in a name stay
/// text; control characters shown as `escape::controls` shows them.
fn dot_string(text: &str) -> String {
    let text = escape::controls(text);
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

fn dot_shape(kind: &str) -> &'static str {
    match kind {
        "milestone" => "hexagon",
        "plan" => "note",
        "phase" => "box",
        "task" => "component",
        "flow" => "cds",
        _ => "ellipse",
    }
}

fn write_dot(graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "digraph plancheck {{")?;
    writeln!(out, "  rankdir=LR;")?;
    for (id, missing) in drawn_nodes(graph) {
        let style = if missing { ", style=dashed" } else { "" };
        writeln!(
            out,
            "  {} [label={}, shape={}{style}];",
            dot_string(id),
            dot_string(&label(id)),
            dot_shape(kind_of(id))
        )?;
    }
    let edges =
        (graph.edges.iter().map(|e| (e, false))).chain(graph.dangling.iter().map(|e| (e, true)));
    for (Edge { from, to, kind, .. }, dangling) in edges {
        let style = if dangling { ", style=dashed" } else { "" };
        writeln!(
            out,
            "  {} -> {} [label={}{style}];",
            dot_string(from),
            dot_string(to),
            dot_string(kind.name())
        )?;
    }
    writeln!(out, "}}")
}

/// A Mermaid label in quotes: what would end it or be read as markup written as Mermaid's
/// entity codes, and control characters and line breaks shown as `escape::controls` shows
/// them.
fn mermaid_label(text: &str) -> String {
    let mut label = String::with_capacity(text.len());
    for c in escape::controls(text).chars() {
        match c {
            '"' => label.push_str("#quot;"),
            '#' => label.push_str("#35;"),
            '<' => label.push_str("#lt;"),
            '>' => label.push_str("#gt;"),
            '&' => label.push_str("#amp;"),
            '`' => label.push_str("#96;"),
            c => label.push(c),
        }
    }
    label
}

/// A node in Mermaid's shape for its kind; `n` is its Mermaid id, ids of the graph not being
/// Mermaid identifiers.
fn mermaid_node(n: usize, id: &str) -> String {
    let label = mermaid_label(&label(id));
    let (open, close) = match kind_of(id) {
        "milestone" => ("{{", "}}"),
        "plan" => ("[", "]"),
        "phase" => ("(", ")"),
        "task" => ("[[", "]]"),
        "flow" => (">", "]"),
        _ => ("((", "))"),
    };
    format!("n{n}{open}\"{label}\"{close}")
}

fn write_mermaid(graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "flowchart LR")?;
    let drawn = drawn_nodes(graph);
    let number = |id: &str| drawn.binary_search_by(|(d, _)| (*d).cmp(id)).unwrap_or(0);
    for (n, (id, _)) in drawn.iter().enumerate() {
        writeln!(out, "  {}", mermaid_node(n, id))?;
    }
    for edge in &graph.edges {
        let (from, to) = (number(&edge.from), number(&edge.to));
        writeln!(out, "  n{from} -->|{}| n{to}", edge.kind.name())?;
    }
    for edge in &graph.dangling {
        let (from, to) = (number(&edge.from), number(&edge.to));
        writeln!(out, "  n{from} -.->|{}| n{to}", edge.kind.name())?;
    }
    let missing: Vec<String> = (drawn.iter().enumerate())
        .filter(|(_, (_, missing))| *missing)
        .map(|(n, _)| format!("n{n}"))
        .collect();
    if !missing.is_empty() {
        writeln!(out, "  classDef missing stroke-dasharray: 5 5")?;
        writeln!(out, "  class {} missing", missing.join(","))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_strings_keep_backslashes_and_quotes_as_text() {
        assert_eq!(dot_string(r#"a"b\N"#), r#""a\"b\\N""#);
        assert_eq!(dot_string("tab\there\u{1b}"), "\"tab\there\\\\u{1b}\"");
    }

    #[test]
    fn mermaid_labels_cannot_end_early_or_hold_markup() {
        assert_eq!(mermaid_label(r#"x"]-->y"#), "x#quot;]--#gt;y");
        assert_eq!(mermaid_label("a#b<i>"), "a#35;b#lt;i#gt;");
    }

    #[test]
    fn labels_name_files_by_their_name() {
        assert_eq!(
            label("plan:pm/Implementations/active/M01-v1-a.md"),
            "M01-v1-a.md"
        );
        assert_eq!(label("phase:pm/active/M01-v1-a.md#2"), "M01-v1-a.md#2");
        assert_eq!(label("theme:api/v2"), "api/v2");
        assert_eq!(label("milestone:M03"), "M03");
    }
}
