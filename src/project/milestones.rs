//! completion-path.json's milestones, with the tasks each relates, the flows each requires
//! and the plans each lists, kept in a few flat lists over one buffer of strings: seventy-five thousand
//! milestones are a handful of allocations, not half a million.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use serde::de::{MapAccess, SeqAccess};

use super::json::{find_string, span_within, ValueFinder};
use super::load::{parse_object, read_text, Loader, Problem};
use super::loose::{self, Loose, Shape};
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
pub(super) struct CompletionPathJson<'a> {
    #[serde(default, borrow)]
    pub(super) milestones: Option<&'a serde_json::value::RawValue>,
}

/// A milestone of completion-path.json, as far as plancheck reads it (`None` for an entry
/// that is not an object).
#[derive(Default)]
struct MilestoneJson<'a> {
    id: Option<Cow<'a, str>>,
    /// Each task id listed as a string.
    related_tasks: Vec<Option<Cow<'a, str>>>,
    /// Each flow named by a string or by an object's `flowId`.
    required_flows: Vec<RequiredFlowJson<'a>>,
    plans: Vec<Option<ListedPlanJson<'a>>>,
}

impl<'de> Shape<'de> for Option<MilestoneJson<'de>> {
    fn object<A: MapAccess<'de>>(object: A) -> Result<Self, A::Error> {
        let mut milestone = MilestoneJson::default();
        loose::entries(object, |key, object| {
            match key {
                "id" => milestone.id = loose::value(object)?,
                "relatedTasks" => milestone.related_tasks = loose::value(object)?,
                "requiredFlows" => milestone.required_flows = loose::value(object)?,
                "implementationPlans" => milestone.plans = loose::value(object)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(Some(milestone))
    }
}

/// A `requiredFlows[]` entry: the flow's id, as a string or as an object's `flowId`.
#[derive(Default)]
struct RequiredFlowJson<'a>(Option<Cow<'a, str>>);

impl<'de> Shape<'de> for RequiredFlowJson<'de> {
    fn string(value: Cow<'de, str>) -> Self {
        RequiredFlowJson(Some(value))
    }

    fn object<A: MapAccess<'de>>(object: A) -> Result<Self, A::Error> {
        let mut id = None;
        loose::strings(object, ["flowId"], [&mut id])?;
        Ok(RequiredFlowJson(id))
    }
}

/// An `implementationPlans[]` entry; `None` for one that is not an object.
#[derive(Default)]
struct ListedPlanJson<'a> {
    filename: Option<Cow<'a, str>>,
    status: Option<Cow<'a, str>>,
}

impl<'de> Shape<'de> for Option<ListedPlanJson<'de>> {
    fn object<A: MapAccess<'de>>(object: A) -> Result<Self, A::Error> {
        let mut plan = ListedPlanJson::default();
        let slots = [&mut plan.filename, &mut plan.status];
        loose::strings(object, ["filename", "status"], slots)?;
        Ok(Some(plan))
    }
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
    /// Adds a milestone (one with an `id`) to `milestones`, with where its values stand.
    fn take(&mut self, milestones: &mut Milestones, text: &str, entry: &MilestoneJson<'_>) {
        let Some(id) = entry.id.as_deref() else {
            return;
        };
        let span = self.id.find(text, id, self.from);
        self.from = span.map_or(self.from, |s| s.end);
        for task in entry.related_tasks.iter().flatten() {
            milestones.push_task(task);
        }
        for flow in entry.required_flows.iter().filter_map(|f| f.0.as_deref()) {
            milestones.push_flow(flow, find_string(text, flow, self.from));
        }
        for plan in entry.plans.iter().flatten() {
            let Some(filename) = plan.filename.as_deref() else {
                continue;
            };
            let span = self.filename.find(text, filename, self.from);
            milestones.push_plan(filename, plan.status.as_deref().unwrap_or_default(), span);
        }
        milestones.push_milestone(id, milestone_number(id), span);
    }
}

/// How completion-path.json's list of milestones read.
enum Listing {
    /// Every milestone taken.
    Read,
    /// Not a list.
    NotAList,
    /// A milestone that `take` would not take: no object with an `id`.
    Stopped,
}

/// Hands each milestone of a list to `take` as it is read, never holding them all (a project
/// may list 100,000), until `take` declines one: an entry that is no object, or one a
/// `serde_json::Value` would not read, is `None`. How the list ended goes in `listing`; a
/// list stopped early fails to read to its end, and anything but a list fails at once.
struct EachMilestone<'l, F> {
    take: F,
    listing: &'l mut Option<Listing>,
}

impl<'de, F: FnMut(Option<MilestoneJson<'de>>) -> bool> serde::de::DeserializeSeed<'de>
    for EachMilestone<'_, F>
{
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, list: D) -> Result<(), D::Error> {
        list.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(Option<MilestoneJson<'de>>) -> bool> serde::de::Visitor<'de>
    for EachMilestone<'_, F>
{
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of milestones")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut list: A) -> Result<(), A::Error> {
        loop {
            let entry = match list.next_element::<Loose<Option<MilestoneJson>>>() {
                Ok(Some(Loose(entry))) => entry,
                Ok(None) => {
                    *self.listing = Some(Listing::Read);
                    return Ok(());
                }
                // Where the list was read as JSON already, only what a `Value` refuses is
                // left (a number out of range): reading stops there.
                Err(_) => None,
            };
            if !(self.take)(entry) {
                *self.listing = Some(Listing::Stopped);
                return Ok(());
            }
        }
    }
}

/// Hands each milestone of `list`, the text of completion-path.json's `milestones` (read
/// as JSON already), to `take`, as [`EachMilestone`] does; says how the list ended.
fn each_milestone<'a>(
    list: &'a str,
    take: impl FnMut(Option<MilestoneJson<'a>>) -> bool,
) -> Listing {
    let mut listing = None;
    let mut reader = serde_json::Deserializer::from_str(list);
    let each = EachMilestone {
        take,
        listing: &mut listing,
    };
    // One stopped early fails at the end of its list: the listing says how it went.
    let _ = serde::de::DeserializeSeed::deserialize(each, &mut reader);
    listing.unwrap_or(Listing::NotAList)
}

/// Reads completion-path.json in one pass, handing its milestones to `take`, when it is
/// whole JSON and each of its milestones one `take` takes, as nearly every file is;
/// `false` (what was taken to be let go) for any other, which the two passes of
/// [`Loader::read_milestones`] read for what is wrong with it.
fn milestones_in_one_pass<'a>(
    text: &'a str,
    take: impl FnMut(Option<MilestoneJson<'a>>) -> bool,
) -> bool {
    struct Document<'l, F> {
        take: F,
        listing: &'l mut Option<Listing>,
    }
    impl<'de, F: FnMut(Option<MilestoneJson<'de>>) -> bool> serde::de::Visitor<'de>
        for Document<'_, F>
    {
        type Value = ();

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("completion-path.json's object")
        }

        fn visit_map<A: MapAccess<'de>>(mut self, mut document: A) -> Result<(), A::Error> {
            while let Some(key) = document.next_key::<Cow<'de, str>>()? {
                if key != "milestones" {
                    document.next_value::<serde::de::IgnoredAny>()?;
                    continue;
                }
                if self.listing.is_some() {
                    return Err(serde::de::Error::duplicate_field("milestones"));
                }
                document.next_value_seed(EachMilestone {
                    take: &mut self.take,
                    listing: &mut *self.listing,
                })?;
            }
            Ok(())
        }
    }
    let mut listing = None;
    let body = text.trim_start_matches('\u{FEFF}');
    let mut reader = serde_json::Deserializer::from_str(body);
    let document = Document {
        take,
        listing: &mut listing,
    };
    let read = serde::Deserializer::deserialize_map(&mut reader, document);
    read.is_ok() && reader.end().is_ok() && matches!(listing, None | Some(Listing::Read))
}

/// Takes a milestone of completion-path.json into `milestones`, when it is one with an `id`.
fn take_milestone(
    milestones: &mut Milestones,
    places: &mut Places,
    text: &str,
    entry: Option<MilestoneJson<'_>>,
) -> bool {
    let Some(entry) = entry.filter(|entry| entry.id.is_some()) else {
        return false;
    };
    places.take(milestones, text, &entry);
    true
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

    /// Takes in completion-path.json's milestones: in one pass where the file is sound, else
    /// read whole as JSON first, for where it is not JSON, then its list one milestone at a
    /// time, for which milestone is no milestone.
    pub(super) fn read_milestones(&mut self, source: SourceFile, read: Result<(), Problem>) {
        let file = self.project.files.len();
        let source = Arc::new(source);
        let text = source.text.as_str();
        let mut milestones = Milestones::default();
        let mut places = Places::default();
        let read_once = read.is_ok()
            && milestones_in_one_pass(text, |entry| {
                take_milestone(&mut milestones, &mut places, text, entry)
            });
        if read_once {
            self.project
                .files
                .push(ProjectFile::kept(Arc::clone(&source)));
            self.project.completion_path = Some(file);
            self.keep_milestones(milestones);
            return;
        }
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
        let mut milestones = Milestones::default();
        let mut places = Places::default();
        let mut taken = 0;
        let listing = each_milestone(list.get(), |entry| {
            let took = take_milestone(&mut milestones, &mut places, text, entry);
            taken += usize::from(took);
            took
        });
        match listing {
            Listing::Read => self.keep_milestones(milestones),
            Listing::NotAList => {
                let list = span_within(text, list.get());
                self.shape_problem(file, "milestones", list, "a list of milestones");
            }
            Listing::Stopped => {
                // The entry the list stopped at: the one after those taken.
                let entries =
                    serde_json::from_str::<Vec<&serde_json::value::RawValue>>(list.get()).ok();
                let entry =
                    entries.and_then(|entries| span_within(text, entries.get(taken)?.get()));
                let expected = "each milestone an object with an `id`";
                self.shape_problem(file, "milestones", entry, expected);
            }
        }
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
