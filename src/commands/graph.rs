//! `plancheck graph`: the reference graph of the plans the PATHs hold and of their projects,
//! as JSON, Graphviz dot or a Mermaid flowchart.

use std::io::{self, Write};

use crate::cli::{CheckArgs, GraphArgs, GraphFormat};
use crate::discover::{self, Input};
use crate::error::Error;
use crate::fs;
use crate::graph::{label_of, Builder, Edge, Graph, PlanInput};
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
        source: args.source.clone(),
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
    let (graph, plans) = build(&linter, &inputs, &pool);
    if plans == 0 {
        check::say_no_plans_found(&paths, io.stderr)?;
    }
    let graph = graph.select(args.orphans, args.dangling);
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

/// The graph of the inputs' plans and their projects, and how many plans it holds.
fn build(linter: &Linter, inputs: &[Input], pool: &rayon::ThreadPool) -> (Graph, usize) {
    use rayon::prelude::*;
    let (projects, root_of) = linter.load_projects(inputs, pool);
    let mut builder = Builder::default();
    for project in &projects {
        builder.add_project(project);
    }
    // Each plan read and parsed on its own, in parallel; what they add is gathered after.
    let plans: Vec<Builder> = pool.install(|| {
        (inputs.par_iter().zip(&root_of))
            .map_init(fs::FileReader::default, |reader, (input, root)| {
                let project = root.map(|r| &projects[r]);
                let mut plan = Builder::default();
                add_plan(&mut plan, input, project, linter, reader).then_some(plan)
            })
            .flatten()
            .collect()
    });
    let count = plans.len();
    for plan in plans {
        builder.absorb(plan);
    }
    (builder.finish(), count)
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

fn kind_of(id: &str) -> &str {
    id.split_once(':').map_or("", |(kind, _)| kind)
}

/// Every node a drawing shows, by id: the graph's, the orphans', and both ends of each
/// dangling reference (its target drawn as missing), each once, with its label.
fn drawn_nodes(graph: &Graph) -> Vec<Drawn<'_>> {
    let drawn = |id, label: &str, missing| Drawn {
        id,
        label: escape::controls(label).into_owned(),
        missing,
    };
    let mut nodes: Vec<Drawn<'_>> = Vec::new();
    nodes.extend((graph.nodes.iter()).map(|n| drawn(&n.id, &n.label, false)));
    nodes.extend((graph.orphans.iter()).map(|o| drawn(&o.id, &label_of(&o.id), false)));
    for edge in &graph.dangling {
        nodes.push(drawn(&edge.from, &label_of(&edge.from), false));
        nodes.push(drawn(&edge.to, &label_of(&edge.to), true));
    }
    // Stable: of one id, the graph's own node (with its label) stays first.
    nodes.sort_by(|a, b| a.id.cmp(b.id));
    nodes.dedup_by(|later, first| later.id == first.id);
    nodes
}

struct Drawn<'g> {
    id: &'g str,
    label: String,
    /// A dangling reference's target: drawn dashed.
    missing: bool,
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
    for node in drawn_nodes(graph) {
        let style = if node.missing { ", style=dashed" } else { "" };
        writeln!(
            out,
            "  {} [label={}, shape={}{style}];",
            dot_string(node.id),
            dot_string(&node.label),
            dot_shape(kind_of(node.id))
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

/// A node in Mermaid's shape for its kind, as `n<number>`: the graph's ids are no Mermaid
/// identifiers.
fn mermaid_node(n: usize, node: &Drawn<'_>) -> String {
    let label = mermaid_label(&node.label);
    let (open, close) = match kind_of(node.id) {
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
    // Every end of an edge is drawn: `drawn_nodes` takes them all.
    let number = |id: &str| drawn.binary_search_by(|d| d.id.cmp(id)).unwrap_or(0);
    for (n, node) in drawn.iter().enumerate() {
        writeln!(out, "  {}", mermaid_node(n, node))?;
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
        .filter(|(_, node)| node.missing)
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
    use std::collections::BTreeSet;
    use std::path::Path;

    /// A run of one plan, every rule on.
    struct OnePlan {
        inputs: [Input; 1],
        pool: rayon::ThreadPool,
        linter: Linter,
    }

    impl OnePlan {
        fn new(path: std::path::PathBuf) -> OnePlan {
            OnePlan {
                inputs: [Input::File { path, sniff: false }],
                pool: rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .build()
                    .unwrap(),
                linter: Linter::new(Settings::every_rule()),
            }
        }

        fn graph(&self) -> Graph {
            let (graph, plans) = build(&self.linter, &self.inputs, &self.pool);
            assert_eq!(plans, 1);
            graph
        }
    }

    /// The one resolution behind both: the dangling list names the references, at the
    /// lines, that PC501, PC503 and PC505 report, with every rule on.
    #[test]
    fn dangling_references_are_what_pc501_pc503_and_pc505_report() {
        let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join(
            "fixtures/graph/projectManagement/Implementations/active/M02-v1-user-authentication.md",
        );
        let one = OnePlan::new(plan);
        let graph = one.graph();
        let dangling: BTreeSet<(&str, usize, &str)> = (graph.dangling.iter())
            .map(|d| {
                let (kind, name) = d.to.split_once(':').unwrap();
                (kind, d.line.unwrap(), name)
            })
            .collect();
        let reports = (one.linter.run(&one.inputs, None, false, &one.pool)).reports;
        let found: BTreeSet<(&str, usize, &str)> = (reports.iter())
            .flat_map(|report| report.diagnostics.iter().map(move |d| (report, d)))
            .filter_map(|(report, d)| {
                let kind = match d.rule.code {
                    "PC501" => "task",
                    "PC503" => "flow",
                    "PC505" => "theme",
                    _ => return None,
                };
                let line = report.source().line_column(d.span?.start).line;
                Some((kind, line, d.message.split('`').nth(1)?))
            })
            .collect();
        assert_eq!(dangling, found);
        let kinds: BTreeSet<&str> = found.iter().map(|(kind, _, _)| *kind).collect();
        assert_eq!(kinds, BTreeSet::from(["task", "flow", "theme"]));
    }

    /// An edge written twice is one; a dangling reference written twice is two, as `check`
    /// reports each; what a project has no file for is a node without a path, not dangling.
    #[test]
    fn edges_are_kept_once_and_dangling_references_each_time() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("projectManagement");
        let plan = root.join("Implementations/active/M01-v1-user-auth.md");
        std::fs::create_dir_all(plan.parent().unwrap()).unwrap();
        std::fs::create_dir_all(root.join("Themes")).unwrap();
        let text = crate::testing::passing_plan_with(
            "[TASK-20250701T090000]",
            "[TASK-20250701T090000, TASK-20250701T090000]",
        )
        .replacen("- security\n", "- securty, securty\n", 1);
        std::fs::write(&plan, text).unwrap();
        let themes = r#"{"themes": {"authentication": {}}}"#;
        std::fs::write(root.join("Themes/themes.json"), themes).unwrap();
        let graph = OnePlan::new(plan).graph();
        let task = "task:TASK-20250701T090000";
        let listing: Vec<&str> = (graph.edges.iter())
            .filter(|e| e.to == task)
            .map(|e| e.from.split_once(':').unwrap().0)
            .collect();
        assert_eq!(listing, ["phase", "plan"]);
        let node = graph.nodes.iter().find(|n| n.id == task).unwrap();
        assert_eq!(node.path, None);
        let dangling: Vec<&str> = graph.dangling.iter().map(|d| d.to.as_str()).collect();
        assert_eq!(dangling, ["theme:securty", "theme:securty"]);
        assert!(graph.orphans.is_empty(), "{:?}", graph.orphans);
        let flow = graph.nodes.iter().find(|n| n.id == "flow:user-login-flow");
        assert!(flow.is_some_and(|f| f.path.is_none()));
    }

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
}
