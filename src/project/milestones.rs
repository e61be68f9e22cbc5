//! completion-path.json's milestones, with the tasks each relates, the flows each requires
//! and the plans each lists, kept in a few flat lists over one buffer of strings: seventy-five thousand
//! milestones are a handful of allocations, not half a million.

use std::path::Path;
use std::sync::Arc;

use serde_json::value::RawValue;
use serde_json::Value;

use super::json::{find_string, span_within, ValueFinder};
use super::load::{parse_object, read_text, Loader, Problem};
use super::strings::{Str, Strings};
use super::ProjectFile;
use crate::plan::names::milestone_number;
use crate::plan::{SmallSpan, Span};
use crate::source::SourceFile;
use rayon::prelude::*;

#[derive(Debug)]
struct Entry {
    id: Str,
    number: Option<u64>,
    place: SmallSpan,
    /// Where this milestone's tasks, flows and plans end in `tasks`, `flows` and `plans`;
    /// the previous entry's ends are where they start.
    tasks_end: u32,
    flows_end: u32,
    plans_end: u32,
}

#[derive(Debug)]
struct Listed {
    filename: Str,
    status: Str,
    place: SmallSpan,
}

#[derive(Debug)]
struct Flow {
    id: Str,
    place: SmallSpan,
}

/// The milestones in the order listed, and a lookup by number.
#[derive(Debug, Default)]
pub struct Milestones {
    strings: Strings,
    list: Vec<Entry>,
    tasks: Vec<Str>,
    flows: Vec<Flow>,
    plans: Vec<Listed>,
    /// Sorted by number; of two milestones with one number, the first listed.
    by_number: Vec<(u64, u32)>,
}

/// A milestone of completion-path.json.
#[derive(Debug, Clone, Copy)]
pub struct Milestone<'m> {
    pub id: &'m str,
    pub span: Option<Span>,
    milestones: &'m Milestones,
    at: usize,
}

/// A flow a milestone's `requiredFlows` names.
#[derive(Debug, Clone, Copy)]
pub struct RequiredFlow<'m> {
    pub id: &'m str,
    pub span: Option<Span>,
}

/// An `implementationPlans[]` entry of completion-path.json.
#[derive(Debug, Clone, Copy)]
pub struct ListedPlan<'m> {
    pub filename: &'m str,
    pub status: &'m str,
    pub span: Option<Span>,
}

impl Milestones {
    /// Adds a task (its id, as written) related to the milestone pushed next.
    pub fn push_task(&mut self, id: &str) {
        let id = self.strings.push(id);
        self.tasks.push(id);
    }

    /// Adds a flow required by the milestone pushed next.
    pub fn push_flow(&mut self, id: &str, span: Option<Span>) {
        let id = self.strings.push(id);
        self.flows.push(Flow {
            id,
            place: SmallSpan::new(span),
        });
    }

    /// Adds a plan listed by the milestone pushed next.
    pub fn push_plan(&mut self, filename: &str, status: &str, span: Option<Span>) {
        let filename = self.strings.push(filename);
        let status = self.strings.push(status);
        self.plans.push(Listed {
            filename,
            status,
            place: SmallSpan::new(span),
        });
    }

    /// Adds a milestone, which owns the tasks, flows and plans pushed since the one before.
    pub fn push_milestone(&mut self, id: &str, number: Option<u64>, span: Option<Span>) {
        let id = self.strings.push(id);
        let end = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        self.list.push(Entry {
            id,
            number,
            place: SmallSpan::new(span),
            tasks_end: end(self.tasks.len()),
            flows_end: end(self.flows.len()),
            plans_end: end(self.plans.len()),
        });
    }

    /// Builds the lookup by number, once every milestone is pushed.
    pub fn index(&mut self) {
        let mut by_number: Vec<(u64, u32)> = (self.list.iter().enumerate())
            .filter_map(|(at, entry)| Some((entry.number?, u32::try_from(at).ok()?)))
            .collect();
        // Stable: of two with one number, the first listed stays first, and is kept.
        by_number.sort_by_key(|&(number, _)| number);
        by_number.dedup_by_key(|&mut (number, _)| number);
        self.by_number = by_number;
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Milestone<'_>> {
        (0..self.list.len()).map(|at| self.at(at))
    }

    /// Every plan of every milestone, in the order listed, to be looked at in parallel.
    pub fn listed_plans(&self) -> impl IndexedParallelIterator<Item = ListedPlan<'_>> {
        self.plans.par_iter().map(|listed| self.listed_plan(listed))
    }

    fn listed_plan(&self, listed: &Listed) -> ListedPlan<'_> {
        ListedPlan {
            filename: self.strings.get(listed.filename),
            status: self.strings.get(listed.status),
            span: listed.place.get(),
        }
    }

    /// The first milestone listed with `number`.
    pub fn get(&self, number: u64) -> Option<Milestone<'_>> {
        let at = self
            .by_number
            .binary_search_by_key(&number, |&(n, _)| n)
            .ok()?;
        Some(self.at(self.by_number[at].1 as usize))
    }

    /// The milestone with the highest number below `number`.
    pub fn before(&self, number: u64) -> Option<Milestone<'_>> {
        let below = self.by_number.partition_point(|&(n, _)| n < number);
        let &(_, at) = self.by_number.get(below.checked_sub(1)?)?;
        Some(self.at(at as usize))
    }

    /// The milestone with the lowest number above `number`.
    pub fn after(&self, number: u64) -> Option<Milestone<'_>> {
        let above = self.by_number.partition_point(|&(n, _)| n <= number);
        let &(_, at) = self.by_number.get(above)?;
        Some(self.at(at as usize))
    }

    fn at(&self, at: usize) -> Milestone<'_> {
        let entry = &self.list[at];
        Milestone {
            id: self.strings.get(entry.id),
            span: entry.place.get(),
            milestones: self,
            at,
        }
    }

    /// Where the tasks, flows and plans of milestone `at` stand in their lists.
    fn ranges(&self, at: usize) -> [std::ops::Range<usize>; 3] {
        let entry = &self.list[at];
        let (tasks_start, flows_start, plans_start) = at.checked_sub(1).map_or((0, 0, 0), |b| {
            let before = &self.list[b];
            (before.tasks_end, before.flows_end, before.plans_end)
        });
        [
            tasks_start as usize..entry.tasks_end as usize,
            flows_start as usize..entry.flows_end as usize,
            plans_start as usize..entry.plans_end as usize,
        ]
    }
}

impl<'m> Milestone<'m> {
    pub fn number(&self) -> Option<u64> {
        self.milestones.list[self.at].number
    }

    /// The ids its `relatedTasks` lists, as written.
    pub fn related_tasks(&self) -> impl Iterator<Item = &'m str> + use<'m> {
        let milestones = self.milestones;
        let [tasks, _, _] = milestones.ranges(self.at);
        (milestones.tasks.get(tasks).unwrap_or_default().iter())
            .map(|&id| milestones.strings.get(id))
    }

    pub fn required_flows(&self) -> impl Iterator<Item = RequiredFlow<'m>> + use<'m> {
        let milestones = self.milestones;
        let [_, flows, _] = milestones.ranges(self.at);
        milestones
            .flows
            .get(flows)
            .unwrap_or_default()
            .iter()
            .map(|flow| RequiredFlow {
                id: milestones.strings.get(flow.id),
                span: flow.place.get(),
            })
    }

    pub fn plans(&self) -> impl Iterator<Item = ListedPlan<'m>> + use<'m> {
        let milestones = self.milestones;
        let [_, _, plans] = milestones.ranges(self.at);
        (milestones.plans.get(plans).unwrap_or_default().iter())
            .map(|listed| milestones.listed_plan(listed))
    }
}

/// completion-path.json as far as plancheck reads it at once: its milestones stay raw text,
/// turned into values one at a time, so a project of 100,000 milestones is never one tree.
#[derive(serde::Deserialize)]
struct CompletionPathJson<'a> {
    #[serde(default, borrow)]
    milestones: Option<&'a RawValue>,
}

/// Where in completion-path.json the milestones read so far were found: each value is
/// looked for after the id of the milestone before.
struct Places {
    from: usize,
    id: ValueFinder,
    filename: ValueFinder,
}

impl Default for Places {
    fn default() -> Places {
        Places {
            from: 0,
            id: ValueFinder::new("id"),
            filename: ValueFinder::new("filename"),
        }
    }
}

impl Places {
    /// Adds a milestone, an object with a string `id`, to `milestones`, with where its values
    /// stand; `false` for any other value.
    fn take(&mut self, milestones: &mut Milestones, text: &str, entry: &Value) -> bool {
        let Some(id) = entry.get("id").and_then(Value::as_str) else {
            return false;
        };
        let list = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        };
        let span = self.id.find(text, id, self.from);
        self.from = span.map_or(self.from, |s| s.end);
        for task in list("relatedTasks").filter_map(Value::as_str) {
            milestones.push_task(task);
        }
        let flows = list("requiredFlows")
            .filter_map(|flow| (flow.get("flowId").and_then(Value::as_str)).or(flow.as_str()));
        for flow in flows {
            milestones.push_flow(flow, find_string(text, flow, self.from));
        }
        for plan in list("implementationPlans") {
            let Some(filename) = plan.get("filename").and_then(Value::as_str) else {
                continue;
            };
            let status = plan.get("status").and_then(Value::as_str);
            let span = self.filename.find(text, filename, self.from);
            milestones.push_plan(filename, status.unwrap_or_default(), span);
        }
        milestones.push_milestone(id, milestone_number(id), span);
        true
    }
}

impl Loader {
    pub(super) fn completion_path(&mut self) {
        let path = self.project.root.join("Tasks/completion-path.json");
        // Whatever it is: one that is no regular file is told (PC601), not passed over.
        if !crate::fs::entry_exists(&path) {
            return;
        }
        let problems_before = self.project.problems.len();
        self.milestones(&path);
        if self.project.problems.len() > problems_before {
            self.project.broken.push("milestones");
            self.project.milestones = None;
        }
    }

    fn milestones(&mut self, path: &Path) {
        let (source, read) = read_text(path, &self.project.within, self.shown(path));
        self.read_milestones(source, read);
    }

    /// Takes in completion-path.json's milestones: the file read whole as JSON first, for
    /// where it is not JSON, then its list one milestone at a time, for which milestone is
    /// no milestone.
    pub(super) fn read_milestones(&mut self, source: SourceFile, read: Result<(), Problem>) {
        let file = self.project.files.len();
        let source = Arc::new(source);
        let text = source.text.as_str();
        let parsed =
            read.and_then(|()| parse_object::<CompletionPathJson>(text, "completion-path.json"));
        let list = match parsed {
            Ok(document) => document.milestones,
            Err(problem) => {
                self.keep_broken(source, problem);
                return;
            }
        };
        self.project
            .files
            .push(ProjectFile::kept(Arc::clone(&source)));
        self.project.completion_path = Some(file);
        let Some(list) = list else {
            return;
        };
        let Ok(entries) = serde_json::from_str::<Vec<&RawValue>>(list.get()) else {
            let list = span_within(text, list.get());
            self.shape_problem(file, "milestones", list, "a list of milestones");
            return;
        };
        let mut milestones = Milestones::default();
        let mut places = Places::default();
        for entry in entries {
            // An entry a `Value` cannot hold (a number out of range) is no milestone either.
            let milestone: Value = serde_json::from_str(entry.get()).unwrap_or_default();
            if !places.take(&mut milestones, text, &milestone) {
                let entry = span_within(text, entry.get());
                let expected = "each milestone an object with an `id`";
                self.shape_problem(file, "milestones", entry, expected);
                return;
            }
        }
        self.keep_milestones(milestones);
    }

    fn keep_milestones(&mut self, mut milestones: Milestones) {
        if !milestones.is_empty() {
            milestones.index();
            self.project.milestones = Some(milestones);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Milestones {
        let mut milestones = Milestones::default();
        milestones.push_task("TASK-20250711T140000");
        milestones.push_flow("login-flow", Some(Span::new(10, 20)));
        milestones.push_plan("M01-v1-a.md", "active", Some(Span::new(30, 41)));
        milestones.push_plan("M01-v2-a.md", "completed", None);
        milestones.push_milestone("M-01", Some(1), Some(Span::new(1, 5)));
        milestones.push_milestone("M-05", Some(5), None);
        milestones.push_flow("pay-flow", None);
        milestones.push_task("SQ-20250711T140000-001");
        milestones.push_task("TASK-20250720T100000");
        milestones.push_milestone("M-05 again", Some(5), None);
        milestones.push_milestone("Someday", None, None);
        milestones.index();
        milestones
    }

    #[test]
    fn each_milestone_owns_the_tasks_flows_and_plans_pushed_before_it() {
        let milestones = sample();
        let all: Vec<Milestone> = milestones.iter().collect();
        assert_eq!(all.len(), 4);
        let flows: Vec<&str> = all[0].required_flows().map(|f| f.id).collect();
        assert_eq!(flows, ["login-flow"]);
        assert_eq!(
            all[0].required_flows().next().unwrap().span,
            Some(Span::new(10, 20))
        );
        let plans: Vec<(&str, &str)> = all[0].plans().map(|p| (p.filename, p.status)).collect();
        assert_eq!(
            plans,
            [("M01-v1-a.md", "active"), ("M01-v2-a.md", "completed")]
        );
        assert_eq!(all[1].required_flows().count() + all[1].plans().count(), 0);
        assert_eq!(all[2].required_flows().next().unwrap().id, "pay-flow");
        assert_eq!(all[3].number(), None);
        let tasks: Vec<Vec<&str>> = all.iter().map(|m| m.related_tasks().collect()).collect();
        assert_eq!(
            tasks,
            [
                vec!["TASK-20250711T140000"],
                vec![],
                vec!["SQ-20250711T140000-001", "TASK-20250720T100000"],
                vec![],
            ]
        );
    }

    #[test]
    fn lookups_by_number_find_the_first_listed_and_the_nearest() {
        let milestones = sample();
        assert_eq!(milestones.get(5).unwrap().id, "M-05");
        assert_eq!(milestones.get(1).unwrap().span, Some(Span::new(1, 5)));
        assert!(milestones.get(3).is_none());
        assert_eq!(milestones.before(3).unwrap().id, "M-01");
        assert_eq!(milestones.after(3).unwrap().id, "M-05");
        assert_eq!(milestones.before(5).unwrap().id, "M-01");
        assert!(milestones.before(1).is_none());
        assert!(milestones.after(5).is_none());
    }
}
