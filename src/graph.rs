//! The reference graph of a run's plans and their projects (`plancheck graph`): who names
//! whom, each edge with the file and line that says so. The graph reports; `check` judges.
//! Whether a reference resolves is asked of the project ([`Project::resolve_task`] and its
//! siblings), as PC501, PC503 and PC505 ask it, so `--dangling` lists what those report.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::plan::names::milestone_id;
use crate::plan::{Plan, Span};
use crate::project::{PlanFacts, Project, Resolution};
use crate::references::{References, TaskOrigin};
use crate::source::SourceFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    Milestone,
    Plan,
    Phase,
    Task,
    Flow,
    Theme,
}

impl NodeKind {
    /// The prefix of its nodes' ids (`task:TASK-…`).
    pub fn prefix(self) -> &'static str {
        match self {
            NodeKind::Milestone => "milestone",
            NodeKind::Plan => "plan",
            NodeKind::Phase => "phase",
            NodeKind::Task => "task",
            NodeKind::Flow => "flow",
            NodeKind::Theme => "theme",
        }
    }

    fn id(self, name: &str) -> String {
        format!("{}:{name}", self.prefix())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// A milestone to a plan whose Milestone field names it.
    HasPlan,
    /// A plan to each of its phases.
    HasPhase,
    /// A plan (Related Tasks, Original Task) or a phase (its Tasks field) to a task it names.
    ListsTask,
    /// A plan, or a milestone of completion-path.json, to a flow it requires.
    RequiresFlow,
    /// A plan to a theme it names.
    UsesTheme,
    /// A task to the phase its task file names.
    TaskOfPhase,
}

impl EdgeKind {
    pub fn name(self) -> &'static str {
        match self {
            EdgeKind::HasPlan => "has-plan",
            EdgeKind::HasPhase => "has-phase",
            EdgeKind::ListsTask => "lists-task",
            EdgeKind::RequiresFlow => "requires-flow",
            EdgeKind::UsesTheme => "uses-theme",
            EdgeKind::TaskOfPhase => "task-of-phase",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    pub id: String,
    pub kind: NodeKind,
    /// The file that defines it, as reported; none for what a plan names in a project
    /// without files of that kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// A plan's Status as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// What a drawing calls it: a phase its heading, anything else [`label_of`] its id.
    #[serde(skip)]
    pub label: String,
}

impl Node {
    fn new(id: &str, kind: NodeKind, path: Option<String>, line: Option<usize>) -> Node {
        Node {
            id: id.to_string(),
            kind,
            path,
            line,
            status: None,
            label: label_of(id),
        }
    }
}

/// What a drawing calls the node `id`: its name without the kind, a plan or phase by its
/// file name rather than its whole path.
pub fn label_of(id: &str) -> String {
    let (kind, name) = id.split_once(':').unwrap_or(("", id));
    let name = match name.rsplit_once(['/', '\\']) {
        Some((_, file)) if matches!(kind, "plan" | "phase") => file,
        _ => name,
    };
    name.to_string()
}

/// An edge, or a dangling reference: where `from` names `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub path: String,
    /// `null` only where a task file's phase could not be placed in it.
    pub line: Option<usize>,
}

/// A task, flow or theme that no plan names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Orphan {
    pub id: String,
    pub kind: NodeKind,
    pub path: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Graph {
    pub version: u32,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub orphans: Vec<Orphan>,
    pub dangling: Vec<Edge>,
}

impl Graph {
    /// Only the lists asked for: with `orphans` or `dangling`, no nodes or edges.
    pub fn select(mut self, orphans: bool, dangling: bool) -> Graph {
        if orphans || dangling {
            self.nodes.clear();
            self.edges.clear();
            if !orphans {
                self.orphans.clear();
            }
            if !dangling {
                self.dangling.clear();
            }
        }
        self
    }
}

/// A plan of the run, parsed, with what it names.
pub struct PlanInput<'a, 't> {
    pub plan: &'a Plan<'t>,
    pub refs: &'a References<'t>,
    pub facts: &'a PlanFacts,
    /// The plan's text, for the lines of its spans.
    pub source: &'a SourceFile,
    /// The heading its phases stand under, for its kind of plan.
    pub phases_section: &'a str,
}

/// Gathers the graph project by project, plan by plan; [`Builder::finish`] sorts it.
#[derive(Default)]
pub struct Builder {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    dangling: Vec<Edge>,
    /// Tasks, flows and themes some plan names.
    named: BTreeSet<String>,
}

impl Builder {
    /// A project's milestones, tasks, flows and themes, and the flows its milestones require.
    pub fn add_project(&mut self, project: &Project) {
        if let Some(milestones) = &project.milestones {
            let file = project.completion_path_file();
            let line = |span: Option<Span>| Some(file.as_ref()?.line_column(span?.start).line);
            let path = file.as_ref().map(|f| f.path.clone());
            for milestone in milestones.iter() {
                let id = milestone_node(milestone.number(), milestone.id);
                self.node(&id, NodeKind::Milestone, path.clone(), line(milestone.span));
                for flow in milestone.required_flows() {
                    // A flow the project does not define is completion-path.json's problem,
                    // not a reference of a plan.
                    if project.resolve_flow(flow.id) != Resolution::Dangling {
                        let to = NodeKind::Flow.id(flow.id);
                        self.node(&to, NodeKind::Flow, None, None);
                        self.edges.push(Edge {
                            from: id.clone(),
                            to,
                            kind: EdgeKind::RequiresFlow,
                            path: path.clone().unwrap_or_default(),
                            line: line(flow.span.or(milestone.span)),
                        });
                    }
                }
            }
        }
        if let Some(tasks) = &project.tasks {
            for id in tasks.ids() {
                let path = tasks.get(id).map(|task| project.task_path(task));
                self.node(&NodeKind::Task.id(id), NodeKind::Task, path, None);
            }
        }
        for (known, sources, kind) in [
            (&project.flows, &project.flow_sources, NodeKind::Flow),
            (&project.themes, &project.theme_sources, NodeKind::Theme),
        ] {
            for name in known.iter().flatten() {
                let path = sources.get(name).map(ToString::to_string);
                self.node(&kind.id(name), kind, path, None);
            }
        }
    }

    /// A plan of the run: its node, its phases, what it names, and the tasks of its project
    /// whose files place them in its phases.
    pub fn add_plan(&mut self, input: &PlanInput<'_, '_>, project: Option<&Project>) {
        let PlanInput {
            plan,
            refs,
            facts,
            source,
            phases_section,
        } = input;
        let path = facts.path().to_string();
        let line = |span: Span| Some(source.line_column(span.start).line);
        let plan_id = NodeKind::Plan.id(&path);
        let status = facts.status().map(|(status, _)| status.to_string());
        self.nodes.push(Node {
            status,
            ..Node::new(&plan_id, NodeKind::Plan, Some(path.clone()), None)
        });
        if let Some((number, written, span)) = facts.milestone() {
            let milestone = milestone_node(Some(number), written);
            self.node(&milestone, NodeKind::Milestone, None, None);
            self.edges.push(Edge {
                from: milestone,
                to: plan_id.clone(),
                kind: EdgeKind::HasPlan,
                path: path.clone(),
                line: line(span),
            });
        }
        let phases: Vec<(String, Span)> = (plan.phases(phases_section).zip(1..))
            .map(|((_, heading), n)| (phase_id(&path, n), heading.body))
            .collect();
        for ((_, heading), (phase, _)) in plan.phases(phases_section).zip(&phases) {
            let node = Node::new(
                phase,
                NodeKind::Phase,
                Some(path.clone()),
                line(heading.span),
            );
            self.nodes.push(Node {
                label: heading.text.to_string(),
                ..node
            });
            self.edges.push(Edge {
                from: plan_id.clone(),
                to: phase.clone(),
                kind: EdgeKind::HasPhase,
                path: path.clone(),
                line: line(heading.span),
            });
        }
        let resolve = |resolve: &dyn Fn(&Project) -> Resolution<()>| {
            project.map_or(Resolution::Unchecked, resolve)
        };
        for task in &refs.tasks {
            // A phase's Tasks field names its tasks for the phase; the rest, for the plan.
            let from = match task.origin {
                TaskOrigin::PhaseTasks => phases
                    .iter()
                    .find(|(_, body)| body.contains(task.span))
                    .map_or(&plan_id, |(phase, _)| phase),
                TaskOrigin::RelatedTasks | TaskOrigin::OriginalTask => &plan_id,
            };
            let found = resolve(&|p| p.resolve_task(&task.id).map(|_| ()));
            let edge = Edge {
                from: from.clone(),
                to: NodeKind::Task.id(&task.id),
                kind: EdgeKind::ListsTask,
                path: path.clone(),
                line: line(task.span),
            };
            self.reference(edge, NodeKind::Task, found);
        }
        for (references, kind, edge_kind) in [
            (&refs.flows, NodeKind::Flow, EdgeKind::RequiresFlow),
            (&refs.themes, NodeKind::Theme, EdgeKind::UsesTheme),
        ] {
            for reference in references {
                let found = resolve(&|p| match kind {
                    NodeKind::Flow => p.resolve_flow(&reference.id),
                    _ => p.resolve_theme(&reference.id),
                });
                let edge = Edge {
                    from: plan_id.clone(),
                    to: kind.id(&reference.id),
                    kind: edge_kind,
                    path: path.clone(),
                    line: line(reference.span),
                };
                self.reference(edge, kind, found);
            }
        }
        let Some(project) = project else { return };
        for task in project.tasks_naming(facts.file_name()) {
            let Some(at) = task.phase.and_then(|phase| facts.phase_index(phase)) else {
                continue;
            };
            let Some((phase, _)) = phases.get(at) else {
                continue;
            };
            let file = project.task_file(task);
            self.edges.push(Edge {
                from: NodeKind::Task.id(task.id),
                to: phase.clone(),
                kind: EdgeKind::TaskOfPhase,
                path: file.path.clone(),
                line: task
                    .places
                    .phase
                    .map(|span| file.line_column(span.start).line),
            });
        }
    }

    /// Takes in what another builder gathered (a plan added on another thread).
    pub fn absorb(&mut self, other: Builder) {
        self.nodes.extend(other.nodes);
        self.edges.extend(other.edges);
        self.dangling.extend(other.dangling);
        self.named.extend(other.named);
    }

    /// What a plan names: an edge, or a dangling reference when the project defines nothing
    /// of that name. What cannot be looked up (no file of its kind) is a node of its own.
    fn reference(&mut self, edge: Edge, kind: NodeKind, found: Resolution<()>) {
        self.named.insert(edge.to.clone());
        match found {
            Resolution::Dangling => self.dangling.push(edge),
            Resolution::Found(()) => self.edges.push(edge),
            Resolution::Unchecked => {
                self.node(&edge.to, kind, None, None);
                self.edges.push(edge);
            }
        }
    }

    fn node(&mut self, id: &str, kind: NodeKind, path: Option<String>, line: Option<usize>) {
        self.nodes.push(Node::new(id, kind, path, line));
    }

    /// The graph, sorted as cli.md says: nodes and orphans by id, edges and dangling
    /// references by (from, to, kind), ties by where they stand. A node known twice keeps
    /// what its defining file says; an edge written twice is one edge, at its first place.
    pub fn finish(self) -> Graph {
        let Builder {
            mut nodes,
            mut edges,
            mut dangling,
            named,
        } = self;
        // Of one id, the node with a path (defined in a file) first, then the first added.
        nodes.sort_by(|a, b| {
            a.id.cmp(&b.id)
                .then(b.path.is_some().cmp(&a.path.is_some()))
        });
        nodes.dedup_by(|later, first| later.id == first.id);
        let by_place = |a: &Edge, b: &Edge| {
            (&a.from, &a.to, a.kind, &a.path, a.line)
                .cmp(&(&b.from, &b.to, b.kind, &b.path, b.line))
        };
        edges.sort_by(by_place);
        edges.dedup_by(|later, first| {
            (&later.from, &later.to, later.kind) == (&first.from, &first.to, first.kind)
        });
        dangling.sort_by(by_place);
        let orphans = nodes
            .iter()
            .filter(|node| matches!(node.kind, NodeKind::Task | NodeKind::Flow | NodeKind::Theme))
            .filter(|node| !named.contains(&node.id))
            .filter_map(|node| {
                Some(Orphan {
                    id: node.id.clone(),
                    kind: node.kind,
                    path: node.path.clone()?,
                })
            })
            .collect();
        Graph {
            version: 1,
            nodes,
            edges,
            orphans,
            dangling,
        }
    }
}

/// `milestone:M03`: by its number, written with at least two digits, where it has one.
fn milestone_node(number: Option<u64>, written: &str) -> String {
    let name = number.map_or_else(|| written.to_string(), milestone_id);
    NodeKind::Milestone.id(&name)
}

/// `phase:<path>#<N>`, N counting the plan's phases from 1.
fn phase_id(path: &str, n: usize) -> String {
    format!("{}#{n}", NodeKind::Phase.id(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_files_by_their_name() {
        assert_eq!(
            label_of("plan:pm/Implementations/active/M01-v1-a.md"),
            "M01-v1-a.md"
        );
        assert_eq!(label_of("phase:pm/active/M01-v1-a.md#2"), "M01-v1-a.md#2");
        assert_eq!(label_of(r"plan:C:\pm\M01-v1-a.md"), "M01-v1-a.md");
        assert_eq!(label_of("theme:api/v2"), "api/v2");
        assert_eq!(label_of("milestone:M03"), "M03");
    }
}
