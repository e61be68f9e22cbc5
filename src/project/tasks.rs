//! Task files (`Tasks/<folder>/<id>.json`): which milestone, plan and phase each names,
//! loaded into [`Tasks`], looked up by id and by plan.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value;

use super::index::StrIndex;
use super::json::find_string_value;
use super::load::{
    join_into, json_files, json_stem, parse_object, read_into, Broken, Loader, Problem,
};
use super::plan_stem;
use super::prefix_key;
use super::strings::{Str, Strings};
use super::themes::first_string;
use crate::fs::FileReader;
use crate::plan::names::milestone_number;
use crate::plan::{SmallSpan, Span};
use crate::source::{Excerpt, SourceFile};

/// Where task files live, below the management folder.
pub const TASK_FOLDERS: [&str; 4] = [
    "Tasks/active",
    "Tasks/archive/tasks",
    "Tasks/sidequests",
    "Tasks/archive/sidequests",
];

/// The task files of a project, sorted by id, and which name each plan. Their strings are
/// kept end to end in one buffer, a task's values inside the lines kept of its file where
/// they stand there: a large project has hundreds of thousands of tasks.
#[derive(Debug, Default)]
pub struct Tasks {
    strings: Strings,
    list: Vec<TaskEntry>,
    /// Indexes into `list` of the tasks that name a plan, in the order of the plans' names,
    /// so no check scans every task.
    by_plan: Vec<u32>,
    /// The tasks by id, and the first of each plan's in `by_plan` by the plan.
    by_id: StrIndex,
    first_by_plan: StrIndex,
}

/// A task of [`Tasks`], its strings in the shared buffer; a missing value has its flag
/// unset. With its [`TaskPlaces`]: the milestone as written, the two spans, and the lines
/// around them, where they start and how many lines come before.
#[derive(Debug, Clone, Copy)]
struct TaskEntry {
    id: Str,
    plan: Str,
    phase: Str,
    milestone: u64,
    written_milestone: Str,
    milestone_span: SmallSpan,
    phase_span: SmallSpan,
    lines: Str,
    lines_offset: u32,
    lines_before: u32,
    folder: u8,
    has: u8,
}

impl TaskEntry {
    const PLAN: u8 = 1;
    const PHASE: u8 = 2;
    const MILESTONE: u8 = 4;
    const WRITTEN_MILESTONE: u8 = 8;
}

impl Tasks {
    /// Adds a task. Until [`Tasks::finish`], the list is in the order pushed, and lookups
    /// find nothing.
    pub fn push(&mut self, task: Task<'_>) {
        let strings = &mut self.strings;
        let places = task.places;
        let lines = strings.push(places.lines);
        let id = strings.push_or_find(task.id, lines);
        let mut has = 0;
        let mut push = |value: Option<&str>, flag: u8| match value {
            Some(value) => {
                has |= flag;
                strings.push_or_find(value, lines)
            }
            None => Str::default(),
        };
        let plan = push(task.plan, TaskEntry::PLAN);
        let phase = push(task.phase, TaskEntry::PHASE);
        let written_milestone = push(
            places.milestone.map(|(written, _)| written),
            TaskEntry::WRITTEN_MILESTONE,
        );
        // Past 4 GiB, which no task file has, the lines are kept as the file's first.
        let offset = |at: usize| u32::try_from(at).unwrap_or_default();
        if task.milestone.is_some() {
            has |= TaskEntry::MILESTONE;
        }
        self.list.push(TaskEntry {
            id,
            plan,
            phase,
            milestone: task.milestone.unwrap_or_default(),
            written_milestone,
            milestone_span: SmallSpan::new(places.milestone.and_then(|(_, span)| span)),
            phase_span: SmallSpan::new(places.phase),
            lines,
            lines_offset: offset(places.offset),
            lines_before: offset(places.lines_before),
            folder: task.folder,
            has,
        });
    }

    /// Adds `later`'s tasks after these, as if pushed here: the task files of a folder are
    /// read in parallel pieces, each into a list of its own.
    pub fn append(&mut self, later: Tasks) {
        let moved = self.strings.append(&later.strings);
        self.list
            .extend(later.list.into_iter().map(|entry| TaskEntry {
                id: moved(entry.id),
                plan: moved(entry.plan),
                phase: moved(entry.phase),
                written_milestone: moved(entry.written_milestone),
                lines: moved(entry.lines),
                ..entry
            }));
    }

    /// Sorts the tasks by id, keeps the later pushed of two with one id, and indexes them
    /// by plan. The list is sorted where it is, not copied: it may be 200,000 long.
    pub fn finish(&mut self) {
        let strings = &self.strings;
        self.list.reverse();
        self.list
            .sort_by(|a, b| strings.get(a.id).cmp(strings.get(b.id)));
        self.list
            .dedup_by(|later, kept| strings.get(later.id) == strings.get(kept.id));
        // Each comparison reads the plan alone, not the whole task `at` builds, and most
        // are decided by its first sixteen bytes as one number. Ties go by index, as a stable
        // sort leaves them, so the unstable sort needs no buffer.
        let list = &self.list;
        let plan = |i: u32| strings.get(list[i as usize].plan);
        let mut by_plan: Vec<(u128, u32)> = (0..list.len() as u32)
            .filter(|&i| list[i as usize].has & TaskEntry::PLAN != 0)
            .map(|i| (prefix_key(plan(i).as_bytes()), i))
            .collect();
        by_plan.sort_unstable_by(|&(a_key, a), &(b_key, b)| {
            (a_key.cmp(&b_key))
                .then_with(|| plan(a).cmp(plan(b)))
                .then(a.cmp(&b))
        });
        self.by_plan = by_plan.into_iter().map(|(_, i)| i).collect();
        let by_plan = &self.by_plan;
        self.by_id = StrIndex::new(0..list.len() as u32, |i| strings.get(list[i as usize].id));
        self.first_by_plan = StrIndex::new(0..by_plan.len() as u32, |at| {
            strings.get(list[by_plan[at as usize] as usize].plan)
        });
    }

    /// The task at `index` of the sorted list.
    fn at(&self, index: u32) -> Task<'_> {
        let entry = &self.list[index as usize];
        let value = |at: Str, flag: u8| (entry.has & flag != 0).then(|| self.strings.get(at));
        Task {
            id: self.strings.get(entry.id),
            folder: entry.folder,
            milestone: (entry.has & TaskEntry::MILESTONE != 0).then_some(entry.milestone),
            plan: value(entry.plan, TaskEntry::PLAN),
            phase: value(entry.phase, TaskEntry::PHASE),
            places: TaskPlaces {
                milestone: value(entry.written_milestone, TaskEntry::WRITTEN_MILESTONE)
                    .map(|written| (written, entry.milestone_span.get())),
                phase: entry.phase_span.get(),
                lines: self.strings.get(entry.lines),
                offset: entry.lines_offset as usize,
                lines_before: entry.lines_before as usize,
            },
        }
    }

    fn id(&self, entry: &TaskEntry) -> &str {
        self.strings.get(entry.id)
    }

    pub fn get(&self, id: &str) -> Option<Task<'_>> {
        let at = self.by_id.get(id, |i| self.id(&self.list[i as usize]))?;
        Some(self.at(at))
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every id, in order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = &str> {
        self.list.iter().map(|t| self.id(t))
    }

    /// The ids within `bounds`, in order.
    pub fn ids_within(
        &self,
        (start, end): (std::ops::Bound<&str>, std::ops::Bound<&str>),
    ) -> impl DoubleEndedIterator<Item = &str> {
        use std::ops::Bound::{Excluded, Included, Unbounded};
        let from = match start {
            Included(id) => self.list.partition_point(|t| self.id(t) < id),
            Excluded(id) => self.list.partition_point(|t| self.id(t) <= id),
            Unbounded => 0,
        };
        let to = match end {
            Included(id) => self.list.partition_point(|t| self.id(t) <= id),
            Excluded(id) => self.list.partition_point(|t| self.id(t) < id),
            Unbounded => self.list.len(),
        };
        self.list[from..to.max(from)].iter().map(|t| self.id(t))
    }

    /// The tasks whose `implementationPlan` names the plan `file_name`.
    pub fn naming<'t>(&'t self, file_name: &str) -> impl Iterator<Item = Task<'t>> + use<'t> {
        let plan = plan_stem(file_name);
        let plan_of = |i: u32| self.strings.get(self.list[i as usize].plan);
        let first = self
            .first_by_plan
            .get(plan, |at| plan_of(self.by_plan[at as usize]));
        // A plan's tasks stand together in `by_plan`, from the first on.
        let from = first.map_or(self.by_plan.len(), |at| at as usize);
        let tasks = &self.by_plan[from..];
        let count = tasks.iter().take_while(|&&i| plan_of(i) == plan).count();
        tasks[..count].iter().map(|&i| self.at(i))
    }
}

/// A task file, as far as the checks need it.
#[derive(Debug, Clone, Copy)]
pub struct Task<'t> {
    pub id: &'t str,
    /// Which of [`TASK_FOLDERS`] holds it: its file is `<id>.json` there.
    pub folder: u8,
    /// The number of the milestone it names, when that reads as a milestone.
    pub milestone: Option<u64>,
    /// The plan it names, without `.md`.
    pub plan: Option<&'t str>,
    pub phase: Option<&'t str>,
    /// Where its milestone and phase stand in its file.
    pub places: TaskPlaces<'t>,
}

/// Where a task file's milestone and phase values stand, with the lines around them: what a
/// finding about either shows, kept at load so that no file is read twice.
#[derive(Debug, Clone, Copy, Default)]
pub struct TaskPlaces<'t> {
    /// The milestone as written, and where it stands.
    pub milestone: Option<(&'t str, Option<Span>)>,
    pub phase: Option<Span>,
    /// The lines around both (the two nearly always stand together at the file's start),
    /// where they start in the file, and how many lines come before.
    lines: &'t str,
    offset: usize,
    lines_before: usize,
}

impl<'t> TaskPlaces<'t> {
    /// Where the values `keys` names stand in `text`, the task file they were read from.
    fn of(text: &'t str, keys: &'t TaskKeys) -> TaskPlaces<'t> {
        let milestone = (keys.milestone.as_ref())
            .map(|(value, key)| (&**value, find_string_value(text, key, value, 0)));
        let phase =
            (keys.phase.as_ref()).and_then(|value| find_string_value(text, "phase", value, 0));
        let spans = milestone.iter().filter_map(|(_, span)| *span).chain(phase);
        let (lines, lines_before) = Excerpt::lines_around(text, spans);
        TaskPlaces {
            milestone,
            phase,
            offset: lines.start,
            lines: &text[lines],
            lines_before,
        }
    }

    /// The lines around the two values, to be shown.
    pub fn excerpt(&self) -> Excerpt {
        Excerpt::new(self.offset, self.lines_before, self.lines)
    }
}

/// The keys of a task file plancheck reads, each value whole; the rest of the file
/// (descriptions, criteria, notes) is skipped without being built. A key given twice is an
/// error, as serde's derive has it.
#[derive(serde::Deserialize)]
struct TaskJson {
    #[serde(default)]
    milestone: Value,
    #[serde(default, rename = "milestoneId")]
    milestone_id: Value,
    #[serde(default, rename = "implementationPlan")]
    implementation_plan: Value,
    #[serde(default, rename = "implementationPlanId")]
    implementation_plan_id: Value,
}

/// What a task file names: its milestone (with the key it stands under, to find its place
/// by), its plan and its phase.
#[derive(Debug)]
pub(super) struct TaskKeys {
    pub(super) milestone: Option<(String, &'static str)>,
    pub(super) plan: Option<String>,
    pub(super) phase: Option<String>,
}

impl TaskJson {
    fn keys(&self) -> TaskKeys {
        let string = |value, path: &[&str]| first_string(value, &[path]);
        let milestone = (string(&self.milestone, &["id"]).map(|v| (v, "id")))
            .or(string(&self.milestone, &["milestoneId"]).map(|v| (v, "milestoneId")))
            .or(string(&self.milestone_id, &[]).map(|v| (v, "milestoneId")))
            .or(string(&self.milestone, &[]).map(|v| (v, "milestone")));
        let plan = (string(&self.implementation_plan, &["filename"]))
            .or(string(&self.implementation_plan, &["id"]))
            .or(string(&self.implementation_plan_id, &[]));
        let phase = string(&self.implementation_plan, &["phase"]);
        TaskKeys {
            milestone: milestone.map(|(value, key)| (value.to_owned(), key)),
            plan: plan.map(str::to_owned),
            phase: phase.map(str::to_owned),
        }
    }
}

/// What a task file names, or why it names nothing.
pub(super) fn task_keys(text: &str) -> Result<TaskKeys, Problem> {
    parse_object::<TaskJson>(text, "a task file").map(|task| task.keys())
}

impl Loader {
    pub(super) fn tasks(&mut self) {
        if !crate::fs::is_folder(&self.project.root.join("Tasks")) {
            return;
        }
        // A folder at a time: the names of at most two folders are held at once, not of all
        // four. The next folder is listed while this one's files are read, so that no core
        // waits on a listing of ten thousand names.
        let mut tasks = Tasks::default();
        let directories = TASK_FOLDERS.map(|name| self.project.root.join(name));
        let mut names = json_files(&directories[0]);
        for (folder, directory) in (0u8..).zip(&directories) {
            let next = directories.get(usize::from(folder) + 1);
            let (next_names, (found, broken)) = rayon::join(
                || next.map(|next| json_files(next)).unwrap_or_default(),
                || self.read_task_folder(folder, directory, &names),
            );
            names = next_names;
            for broken in broken {
                let (source, problem) = *broken;
                self.keep_broken(source, problem);
            }
            tasks.append(found);
        }
        tasks.finish();
        self.project.tasks = Some(tasks);
    }

    /// The tasks of one of [`TASK_FOLDERS`] (number `folder`), read in parallel pieces, each
    /// into a list of its own, joined in order; with the files that are broken.
    fn read_task_folder(
        &self,
        folder: u8,
        directory: &Path,
        names: &[OsString],
    ) -> (Tasks, Vec<Broken>) {
        let within = &self.project.within;
        names
            .par_iter()
            .fold(
                || {
                    let scratch = (FileReader::default(), Vec::new(), PathBuf::new());
                    (Tasks::default(), Vec::new(), scratch)
                },
                |(mut tasks, mut broken, (mut reader, mut buffer, mut path)), name| {
                    let path_now = join_into(&mut path, directory, name);
                    // Named only if broken: most task files are read for three values.
                    let id = json_stem(name);
                    let read =
                        read_into(&mut reader, path_now, within, &mut buffer).and_then(|text| {
                            let keys = task_keys(text).map_err(|problem| {
                                Box::new((SourceFile::new(String::new(), text.into()), problem))
                            })?;
                            let task = Task {
                                id: &id,
                                folder,
                                milestone: (keys.milestone.as_ref())
                                    .and_then(|(milestone, _)| milestone_number(milestone)),
                                plan: keys.plan.as_deref().map(plan_stem),
                                phase: keys.phase.as_deref(),
                                places: TaskPlaces::of(text, &keys),
                            };
                            tasks.push(task);
                            Ok(())
                        });
                    if let Err(read) = read {
                        // A broken task file still names a task that exists.
                        let task = Task {
                            id: &id,
                            folder,
                            milestone: None,
                            plan: None,
                            phase: None,
                            places: TaskPlaces::default(),
                        };
                        tasks.push(task);
                        let (source, problem) = *read;
                        broken.push(self.broken(path_now, source, problem));
                    }
                    (tasks, broken, (reader, buffer, path))
                },
            )
            .map(|(tasks, broken, _)| (tasks, broken))
            .reduce(
                || (Tasks::default(), Vec::new()),
                |(mut tasks, mut broken), (later, mut later_broken)| {
                    tasks.append(later);
                    broken.append(&mut later_broken);
                    (tasks, broken)
                },
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &'static str, folder: u8, plan: &'static str) -> Task<'static> {
        Task {
            id,
            folder,
            milestone: None,
            plan: Some(plan_stem(plan)),
            phase: None,
            places: TaskPlaces::default(),
        }
    }

    #[test]
    fn tasks_are_found_by_id_range_and_plan() {
        use std::ops::Bound::{Excluded, Included, Unbounded};
        let mut tasks = Tasks::default();
        tasks.push(task("T-3", 0, "M01-v1-a.md"));
        tasks.push(task("T-1", 1, "M01-v1-a"));
        let mut later = Tasks::default();
        later.push(task("T-2", 2, "M02-v1-b.md"));
        let text = r#"{"milestone": "M-03"}"#;
        let keys = task_keys(text).unwrap();
        later.push(Task {
            places: TaskPlaces::of(text, &keys),
            ..task("T-1", 3, "M02-v1-b.md")
        });
        tasks.append(later);
        tasks.finish();
        assert_eq!(tasks.len(), 3);
        let later_file = tasks.get("T-1").unwrap();
        assert_eq!(later_file.folder, 3, "the later file counts");
        let (milestone, span) = later_file.places.milestone.unwrap();
        assert_eq!(milestone, "M-03");
        let file = SourceFile::excerpt("T-1.json", &later_file.places.excerpt());
        assert_eq!(file.get(span.unwrap()), Some("M-03"));
        assert!(tasks.get("T-3").unwrap().places.milestone.is_none());
        assert!(tasks.get("T-0").is_none());
        let ids = |b| tasks.ids_within(b).collect::<Vec<_>>();
        assert_eq!(ids((Unbounded, Excluded("T-2"))), ["T-1"]);
        assert_eq!(ids((Included("T-2"), Unbounded)), ["T-2", "T-3"]);
        assert_eq!(ids((Excluded("T-3"), Unbounded)), Vec::<&str>::new());
        let naming = |plan| tasks.naming(plan).map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(naming("M01-v1-a.md"), ["T-3"]);
        assert_eq!(naming("M02-v1-b.md"), ["T-1", "T-2"]);
    }

    #[test]
    fn a_task_file_is_read_for_its_keys_only() {
        let task = r#"{"title": 5, "notes": [1, {"x": null}], "milestone": {"id": "M-02"},
            "implementationPlan": {"filename": "M02-v1-a.md", "phase": "Phase 1"}}"#;
        let keys = task_keys(task).unwrap();
        assert_eq!(keys.plan.as_deref(), Some("M02-v1-a.md"));
        let places = TaskPlaces::of(task, &keys);
        let (milestone, milestone_span) = places.milestone.unwrap();
        assert_eq!(milestone, "M-02");
        let file = SourceFile::excerpt("t.json", &places.excerpt());
        assert_eq!(file.get(milestone_span.unwrap()), Some("M-02"));
        let phase = places.phase.unwrap();
        assert_eq!(file.get(phase), Some("Phase 1"));
        assert_eq!(file.line_column(phase.start).line, 2);
        let (_, message) = task_keys("[1, 2]").unwrap_err();
        assert_eq!(
            message,
            "a task file holds a list, where a JSON object belongs"
        );
        let (span, message) = task_keys("[1, 2").unwrap_err();
        assert!(message.starts_with("invalid JSON"), "{message}");
        assert!(span.is_some());
        assert!(task_keys("{\"milestone\": 3,}").is_err());
    }
}
