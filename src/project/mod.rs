//! The management folder a plan belongs to, and its project files (tasks, milestones, flows,
//! themes, the other plans) loaded once into one typed view. Every upstream JSON shape is
//! normalised here, so rules never see raw JSON.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{FileRef, OnDiskKind};
use crate::fs::{read_again, PROJECT_FILE_LIMIT};
use crate::plan::{SmallSpan, Span};
use crate::source::SourceFile;

mod index;
pub(crate) mod json;
#[cfg(test)]
mod json_texts;
mod load;
mod locate;
mod loose;
mod milestones;
mod strings;

use index::StrIndex;

use strings::{Str, Strings};

pub use load::load;
pub use locate::{find_root, is_state_folder, locate, Placement, ProjectOptions};
pub use milestones::{ListedPlan, Milestone, Milestones, RequiredFlow};

/// A project file a finding may point into. Only a broken one keeps its text; any other is
/// read again on the rare finding that shows it, so ten thousand files are not all held.
#[derive(Debug)]
pub struct ProjectFile {
    /// As reported; relative to the current folder (or absolute), so it can be read again.
    pub path: String,
    /// The management folder (links resolved) it is read again within; none for a file
    /// whose text is kept.
    root: Option<PathBuf>,
    text: std::sync::OnceLock<Arc<SourceFile>>,
}

impl ProjectFile {
    /// A file whose text is kept: a broken one, whose finding shows it.
    pub fn kept(source: SourceFile) -> ProjectFile {
        let text = std::sync::OnceLock::new();
        let path = source.path.clone();
        let _ = text.set(Arc::new(source));
        ProjectFile {
            path,
            root: None,
            text,
        }
    }

    /// A file whose text is not kept, read again within `root` when a finding shows it.
    pub fn at(path: String, root: &Path) -> ProjectFile {
        ProjectFile {
            path,
            root: Some(root.to_path_buf()),
            text: std::sync::OnceLock::new(),
        }
    }

    /// The file's text, read again if it was not kept (spans found at load time still fit).
    pub fn source(&self) -> Arc<SourceFile> {
        Arc::clone(self.text.get_or_init(|| {
            let text = self
                .root
                .as_deref()
                .map(|root| read_again(Path::new(&self.path), PROJECT_FILE_LIMIT, Some(root)))
                .unwrap_or_default();
            Arc::new(SourceFile::new(self.path.clone(), text))
        }))
    }
}

/// Where task files live, below the management folder.
pub const TASK_FOLDERS: [&str; 4] = [
    "Tasks/active",
    "Tasks/archive/tasks",
    "Tasks/sidequests",
    "Tasks/archive/sidequests",
];

/// The task files of a project, sorted by id, and which name each plan. Their strings are
/// kept end to end in one buffer: a large project has hundreds of thousands of tasks.
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
/// unset (forty bytes, where three optional strings and a number would take seventy-two).
#[derive(Debug, Clone, Copy)]
struct TaskEntry {
    id: Str,
    plan: Str,
    phase: Str,
    milestone: u64,
    folder: u8,
    has: u8,
}

impl TaskEntry {
    const PLAN: u8 = 1;
    const PHASE: u8 = 2;
    const MILESTONE: u8 = 4;
}

impl Tasks {
    /// Adds a task. Until [`Tasks::finish`], the list is in the order pushed, and lookups
    /// find nothing.
    pub fn push(&mut self, task: Task<'_>) {
        let strings = &mut self.strings;
        let id = strings.push(task.id);
        let mut has = 0;
        let mut push = |value: Option<&str>, flag: u8| match value {
            Some(value) => {
                has |= flag;
                strings.push(value)
            }
            None => Str::default(),
        };
        let plan = push(task.plan, TaskEntry::PLAN);
        let phase = push(task.phase, TaskEntry::PHASE);
        if task.milestone.is_some() {
            has |= TaskEntry::MILESTONE;
        }
        self.list.push(TaskEntry {
            id,
            plan,
            phase,
            milestone: task.milestone.unwrap_or_default(),
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

/// A string's first sixteen bytes as a number that orders as they do: zeros after a shorter
/// one, whose ties the strings themselves decide.
pub(crate) fn prefix_key(bytes: &[u8]) -> u128 {
    let mut first = [0; 16];
    let length = bytes.len().min(first.len());
    first[..length].copy_from_slice(&bytes[..length]);
    u128::from_be_bytes(first)
}

/// The entries of `index`, sorted by `key`, whose key is `wanted`: the lookups by plan and
/// by milestone are binary searches over sorted indexes, not maps of copied keys.
fn equal_range<K: Ord>(index: &[u32], key: impl Fn(u32) -> K, wanted: K) -> &[u32] {
    let from = index.partition_point(|&i| key(i) < wanted);
    let to = from + index[from..].partition_point(|&i| key(i) <= wanted);
    &index[from..to]
}

/// A plan's name as tasks and completion-path.json may give it, without `.md`.
pub fn plan_stem(name: &str) -> &str {
    name.strip_suffix(".md").unwrap_or(name)
}

/// A task file, as far as the lookups need it. What a finding shows of one (its values'
/// places in the file) is read again from the file then, by [`Project::task_details`].
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
}

/// What a task file says of its milestone, plan and phase, with where each stands there.
#[derive(Debug, Clone, Default)]
pub struct TaskDetails {
    pub milestone: Option<Located>,
    pub plan: Option<String>,
    pub phase: Option<Located>,
}

/// A value read from a project file, with where it stands there (for a second snippet).
#[derive(Debug, Clone)]
pub struct Located {
    pub value: Box<str>,
    pub span: Option<Span>,
}

/// The plans of the run within one project, by their paths relative to its root: its load
/// leaves them for the run to add from its own check. All the paths are kept in one buffer.
#[derive(Debug, Default)]
pub struct RunPlans {
    paths: Vec<u8>,
    /// Where each path starts and ends in `paths`, and its index among the run's inputs.
    entries: Vec<(u32, u32, u32)>,
    /// The entries by path, once indexed: the load asks for each plan file it lists.
    by_path: StrIndex,
}

impl RunPlans {
    /// Adds the plan at `relative` (to the project's root), the run's input `input`. Past
    /// 4 GiB of paths, which no run has, a plan is left out (and read again by the load).
    pub fn push(&mut self, relative: &Path, input: u32) {
        let bytes = relative.as_os_str().as_encoded_bytes();
        let start = self.paths.len();
        let (Ok(start32), Ok(end)) = (u32::try_from(start), u32::try_from(start + bytes.len()))
        else {
            return;
        };
        self.paths.extend_from_slice(bytes);
        self.entries.push((start32, end, input));
    }

    /// Adds the plan `name` in the folder at `folder` (relative to the project's root), as
    /// `push` adds `folder.join(name)`, without the join.
    pub fn push_joined(&mut self, folder: &Path, name: &[u8], input: u32) {
        let folder = folder.as_os_str().as_encoded_bytes();
        let separator: &[u8] = match folder.last() {
            Some(&b) if !std::path::is_separator(char::from(b)) => {
                std::path::MAIN_SEPARATOR_STR.as_bytes()
            }
            _ => b"",
        };
        let start = self.paths.len();
        let length = folder.len() + separator.len() + name.len();
        let (Ok(start32), Ok(end)) = (u32::try_from(start), u32::try_from(start + length)) else {
            return;
        };
        self.paths.extend_from_slice(folder);
        self.paths.extend_from_slice(separator);
        self.paths.extend_from_slice(name);
        self.entries.push((start32, end, input));
    }

    /// Indexes the plans by path, once every one is pushed. Of two alike, the first pushed
    /// is found.
    pub fn index(&mut self) {
        let by_path = StrIndex::new(0..self.entries.len() as u32, |at| self.path(at));
        self.by_path = by_path;
    }

    /// The input that is the plan at `relative`, if the run checks it (once indexed).
    pub fn input(&self, relative: &Path) -> Option<u32> {
        let wanted = relative.as_os_str().as_encoded_bytes();
        let at = self.by_path.get(wanted, |at| self.path(at))?;
        Some(self.entries[at as usize].2)
    }

    /// The bytes of entry `at`'s path.
    fn path(&self, at: u32) -> &[u8] {
        let (start, end, _) = self.entries[at as usize];
        &self.paths[start as usize..end as usize]
    }
}

/// A finding about a project file itself (PC601).
#[derive(Debug, Clone)]
pub struct FileProblem {
    pub file: usize,
    pub span: Option<Span>,
    pub message: String,
}

/// One management folder, loaded once.
#[derive(Debug, Default)]
pub struct Project {
    pub root: PathBuf,
    /// The root with its links resolved: no project file is read outside it.
    pub within: PathBuf,
    /// The root as paths are reported (relative to the current folder where it can be).
    pub shown_root: PathBuf,
    /// The project files read, by index: diagnostics in them point here.
    pub files: Vec<ProjectFile>,
    pub problems: Vec<FileProblem>,
    /// `None`: no `Tasks/` folder, so tasks cannot be checked.
    pub tasks: Option<Tasks>,
    /// `None`: no completion-path.json, or one that lists no milestones or is broken.
    pub milestones: Option<Milestones>,
    pub completion_path: Option<usize>,
    /// `None`: no flow index or flow file could be read.
    pub flows: Option<BTreeSet<String>>,
    pub flow_files: BTreeSet<String>,
    /// Whether `ProjectFlow/` exists, so flow file names can be checked at all.
    pub has_flow_folder: bool,
    /// `None`: no theme index or theme file could be read.
    pub themes: Option<BTreeSet<String>>,
    /// Every plan of `Implementations/`, in path order.
    /// Boxed: the run's plans hand theirs over without a copy of a hundred thousand facts.
    pub plans: Vec<Box<PlanFacts>>,
    /// Indexes into `plans` in the order of their milestones' numbers: a lookup costs a
    /// binary search and no copy of any name.
    plans_by_milestone: Vec<u32>,
    /// `plans` by file name, the first in path order of each.
    by_stem: StrIndex,
    /// The plans of `Implementations/` this run checks, as indexes into the run's inputs,
    /// in order: their facts come from the check, so they are not read twice.
    pub checked_plans: Vec<u32>,
    /// The run's plans among `plans`, once indexed: (input, place in `plans`), by input.
    plan_of_input: Vec<(u32, u32)>,
    /// Kinds of reference (`tasks`, `flows`, `themes`, `milestones`) whose files are broken:
    /// PC601 tells it, and nothing else is said of them.
    pub broken: Vec<&'static str>,
    /// Which kinds of reference the run's plans name, noted as they are checked in parallel:
    /// what is named and has no file to be checked against is told once, at the folder.
    pub named: NamedKinds,
}

/// Whether any plan of the run named tasks, flows or themes.
#[derive(Debug, Default)]
pub struct NamedKinds {
    pub tasks: std::sync::atomic::AtomicBool,
    pub flows: std::sync::atomic::AtomicBool,
    pub themes: std::sync::atomic::AtomicBool,
}

impl Project {
    /// Takes the facts of the run's input `input` if it is a plan of `Implementations/`;
    /// gives them back if not.
    pub fn add_checked_plan(
        &mut self,
        input: usize,
        facts: Box<PlanFacts>,
    ) -> Option<Box<PlanFacts>> {
        let found = u32::try_from(input)
            .ok()
            .filter(|i| self.checked_plans.binary_search(i).is_ok());
        if let Some(input) = found {
            let mut facts = facts;
            facts.input = input;
            self.plans.push(facts);
            None
        } else {
            Some(facts)
        }
    }

    /// Lets the tasks and milestones go once nothing will ask for them again (in a large
    /// project they are the larger part of what is held), handing them back to be freed.
    pub fn release_tasks_and_milestones(&mut self) -> impl Send + 'static {
        (self.tasks.take(), self.milestones.take())
    }

    /// The plan that is the run's input `input`, taken by [`Project::add_checked_plan`]
    /// (once indexed).
    pub fn checked_plan(&self, input: usize) -> Option<&PlanFacts> {
        let input = u32::try_from(input).ok()?;
        let at = self
            .plan_of_input
            .binary_search_by_key(&input, |&(of, _)| of)
            .ok()?;
        self.plans
            .get(self.plan_of_input[at].1 as usize)
            .map(|plan| &**plan)
    }

    /// Builds the lookups of plans by path, milestone and file name, once the run's plans
    /// are added to those the load scanned: only the checks among plans use them.
    pub fn index_plans(&mut self) {
        use rayon::prelude::*;
        // In parallel: a run of one plan in a project of 100,000 waits for these sorts.
        // Paths are unique, so an unstable sort orders them the same, without a buffer the
        // size of half the list.
        self.plans
            .par_sort_unstable_by(|a, b| a.absolute().as_os_str().cmp(b.absolute().as_os_str()));
        // Where each plan of the run now stands, by its input: the second pass finds its
        // own plan by number, not by its path among thousands.
        self.plan_of_input = (self.plans.iter().zip(0u32..))
            .filter(|(plan, _)| plan.in_run())
            .map(|(plan, at)| (plan.input, at))
            .collect();
        self.plan_of_input.sort_unstable();
        let plans = &self.plans;
        // A stable sort: of two plans of one milestone, the first in path order comes first.
        let mut by_milestone: Vec<u32> = (0..plans.len() as u32)
            .filter(|&i| plans[i as usize].milestone_number().is_some())
            .collect();
        by_milestone.par_sort_by_key(|&i| plans[i as usize].milestone_number());
        self.plans_by_milestone = by_milestone;
        // Of two plans of one file name, the index keeps the first added: the first in path
        // order.
        self.by_stem = StrIndex::new(0..plans.len() as u32, |i| plans[i as usize].stem());
    }

    /// How the file at `path`, below the root, is reported: relative to the current folder
    /// when it is under it (every file is, when the root is), else absolute.
    pub fn shown(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        let shown = if self.shown_root.is_relative() {
            self.shown_root.join(relative)
        } else {
            crate::fs::relative_to_current_dir(&self.root.join(relative))
        };
        shown.display().to_string()
    }

    /// A task's file, to be read when a finding about the task is written.
    pub fn task_file(&self, task: Task<'_>) -> FileRef {
        let folder = TASK_FOLDERS.get(usize::from(task.folder)).unwrap_or(&"");
        let file = Path::new(folder).join(format!("{}.json", task.id));
        FileRef::OnDisk {
            name: self.shown(&self.root.join(&file)),
            path: self.root.join(&file),
            kind: OnDiskKind::ProjectFile {
                root: self.within.clone(),
            },
        }
    }

    /// A task's file, read again, and where its values stand in it.
    pub fn task_details(&self, task: Task<'_>) -> (Arc<SourceFile>, TaskDetails) {
        let source = self.task_file(task).load();
        let details = load::task_details(&source.text, true).unwrap_or_default();
        (source, details)
    }

    /// Whether the project has a completion-path.json a finding can point into.
    pub fn has_completion_path_file(&self) -> bool {
        self.completion_path_entry().is_some()
    }

    fn completion_path_entry(&self) -> Option<&ProjectFile> {
        self.files.get(self.completion_path?)
    }

    /// completion-path.json, to be read when a finding that shows it is written.
    pub fn completion_path_file(&self) -> Option<FileRef> {
        let file = self.completion_path_entry()?;
        Some(FileRef::OnDisk {
            name: file.path.clone(),
            path: self.root.join("Tasks/completion-path.json"),
            kind: OnDiskKind::ProjectFile {
                root: self.within.clone(),
            },
        })
    }

    /// The tasks whose `implementationPlan` names the plan `file_name`.
    pub fn tasks_naming<'p>(&'p self, file_name: &str) -> impl Iterator<Item = Task<'p>> + use<'p> {
        self.tasks
            .as_ref()
            .map(|tasks| tasks.naming(file_name))
            .into_iter()
            .flatten()
    }

    /// The plans of milestone `number`.
    pub fn plans_of(&self, number: u64) -> impl Iterator<Item = &PlanFacts> {
        let number_of = |i: u32| self.plans[i as usize].milestone_number();
        equal_range(&self.plans_by_milestone, number_of, Some(number))
            .iter()
            .map(|&i| &*self.plans[i as usize])
    }

    /// The plan a task's `implementationPlan` names (by file name or id).
    pub fn plan_named(&self, name: &str) -> Option<&PlanFacts> {
        let stem_of = |i: u32| self.plans[i as usize].stem();
        let i = self.by_stem.get(plan_stem(name), stem_of)?;
        Some(&*self.plans[i as usize])
    }

    /// Whether a file named `name` (completion-path.json's `filename`) stands in one of the
    /// `Implementations/<state>/` folders, whatever it holds. A name leading outside the
    /// management folder names no file, and nothing outside is looked at.
    pub fn has_plan_file(&self, name: &str, completed_dirs: &[String]) -> bool {
        if !crate::fs::stays_inside(name) {
            return false;
        }
        let in_state_folder = |plan: &PlanFacts| {
            plan.file_name() == name
                && (plan.absolute().parent())
                    .is_some_and(|folder| is_state_folder(folder, completed_dirs))
        };
        // Most listed plans are among those loaded; a file that is no plan, or is empty or
        // unreadable, is looked for on disk.
        if self.plan_named(name).is_some_and(in_state_folder) {
            return true;
        }
        let implementations = self.root.join("Implementations");
        std::iter::once("active")
            .chain(completed_dirs.iter().map(String::as_str))
            .any(|state| crate::fs::entry_exists(&implementations.join(state).join(name)))
    }

    /// The milestone of completion-path.json numbered `number`, if it lists one.
    pub fn milestone(&self, number: u64) -> Option<Milestone<'_>> {
        self.milestones.as_ref()?.get(number)
    }
}

/// What the cross-file rules need to know of any plan in the folder: cheap to keep for
/// every plan, so one plan can be checked against all the others.
#[derive(Debug, Clone)]
pub struct PlanFacts {
    /// The absolute path, the path as reported when it is not the end of the absolute one,
    /// the milestone and the status as written, then each phase heading after a newline:
    /// one allocation for all of a plan's strings, a hundred thousand times over.
    strings: Box<str>,
    /// Where in `strings` the absolute path ends, the path as reported starts, its file
    /// name starts, and it, the milestone and the status end.
    absolute_end: u32,
    path_start: u32,
    name_start: u32,
    path_end: u32,
    milestone_end: u32,
    status_end: u32,
    /// The absolute path, when it is no UTF-8 and so cannot stand in `strings`.
    absolute_os: Option<Box<PathBuf>>,
    /// Which of the run's inputs it is, once its project takes it (`u32::MAX`: none, a plan
    /// only scanned, as one of the folder's plans).
    input: u32,
    pub kind: crate::plan::PlanKind,
    /// The milestone's and version's numbers, each read if its flag is in `has`, and where
    /// each value and the status stand: 96 bytes in all, a hundred thousand times over.
    milestone: u64,
    version: u64,
    has: u8,
    milestone_span: SmallSpan,
    version_span: SmallSpan,
    status: SmallSpan,
}

impl PlanFacts {
    const MILESTONE: u8 = 1;
    const VERSION: u8 = 2;

    /// Whether this run checks it: a plan of its project the run's input is (else only
    /// scanned, as one of the folder's plans).
    pub fn in_run(&self) -> bool {
        self.input != u32::MAX
    }

    /// The facts of a plan this run parsed.
    pub fn new(
        path: &str,
        absolute: &Path,
        plan: &crate::plan::Plan,
        schema: &crate::schema::Schema,
    ) -> PlanFacts {
        let phases_section = &schema.for_kind(plan.kind()).phases_section;
        let phases: Vec<&str> = plan
            .section(phases_section)
            .map(|s| {
                plan.children(s)
                    .filter(|(_, h)| h.level == 3)
                    .map(|(_, h)| &*h.text)
                    .collect()
            })
            .unwrap_or_default();
        PlanFacts::from_parts(
            path,
            absolute,
            plan.kind(),
            |name| plan.field(name),
            &phases,
        )
    }

    /// The facts of a plan of the folder that this run does not check: read from its lines
    /// (title and metadata bullets) without a markdown parse, so one plan can be checked
    /// against ten thousand others cheaply. Its phases are left out: only the plans of the
    /// run are checked against their tasks' phases.
    pub fn scan(path: &str, absolute: &Path, text: &str) -> PlanFacts {
        let file_name = Path::new(path).file_name().and_then(|n| n.to_str());
        let mut title: Option<&str> = None;
        let mut section = "";
        let mut fields = Vec::new();
        for (start, line) in crate::parse::lines_outside_fences(text) {
            let trimmed = line.trim_start();
            let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
            if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with([' ', '\t']) {
                let heading = trimmed[hashes..].trim().trim_end_matches('#').trim();
                match hashes {
                    1 if title.is_none() => title = Some(heading),
                    2 => section = heading,
                    _ => {}
                }
                title.get_or_insert(heading);
                continue;
            }
            if section.eq_ignore_ascii_case("Metadata") && !line.starts_with([' ', '\t']) {
                fields.extend(crate::parse::bold_field(line, start));
            }
        }
        let kind = crate::plan::PlanKind::detect(file_name, title);
        let field = |name: &str| fields.iter().find(|f| f.name.eq_ignore_ascii_case(name));
        PlanFacts::from_parts(path, absolute, kind, field, &[])
    }

    fn from_parts<'f, 't: 'f>(
        path: &str,
        absolute: &Path,
        kind: crate::plan::PlanKind,
        field: impl Fn(&str) -> Option<&'f crate::plan::Field<'t>>,
        phases: &[&str],
    ) -> PlanFacts {
        use crate::plan::names::{milestone_number, version_number};
        let file_name = file_name_of(path);
        let from_file_name = || {
            // Without a usable field, the file name may still say.
            let caps = crate::plan::names::file_name_patterns()
                .tolerated_regular
                .captures(file_name)?;
            let n = caps[1].parse().ok()?;
            Some((n, format!("M{}", &caps[1]), Span::empty(0)))
        };
        let milestone = field("Milestone")
            .and_then(|f| milestone_number(f.value).map(|n| (n, f.value.to_string(), f.value_span)))
            .or_else(from_file_name)
            .filter(|_| kind == crate::plan::PlanKind::Regular);
        let status = field("Status");
        let version =
            field("Version").and_then(|f| version_number(f.value).map(|n| (n, f.value_span)));

        let mut strings = String::new();
        let absolute_os = match absolute.to_str() {
            Some(absolute) => {
                strings.push_str(absolute);
                None
            }
            None => Some(Box::new(absolute.to_path_buf())),
        };
        let absolute_end = strings.len();
        // `docs/plans/a.md` is the end of `/home/me/docs/plans/a.md`: kept once.
        let path_start = match strings.strip_suffix(path) {
            Some(before) if before.is_empty() || before.ends_with(std::path::MAIN_SEPARATOR) => {
                before.len()
            }
            _ => {
                strings.push_str(path);
                absolute_end
            }
        };
        let path_end = strings.len();
        if let Some((_, written, _)) = &milestone {
            strings.push_str(written);
        }
        let milestone_end = strings.len();
        if let Some(status) = status {
            strings.push_str(status.value);
        }
        let status_end = strings.len();
        for phase in phases {
            // Offsets are four bytes: phases past 4 GiB, which no plan has, are left out.
            if strings.len() + phase.len() >= u32::MAX as usize {
                break;
            }
            strings.push('\n');
            strings.push_str(phase);
        }
        let mut has = 0;
        if milestone.is_some() {
            has |= PlanFacts::MILESTONE;
        }
        if version.is_some() {
            has |= PlanFacts::VERSION;
        }
        // What comes before the phases is paths and two values of one line each.
        let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
        PlanFacts {
            strings: strings.into_boxed_str(),
            absolute_end: offset(absolute_end),
            path_start: offset(path_start),
            name_start: offset(path_end - file_name.len()),
            path_end: offset(path_end),
            milestone_end: offset(milestone_end),
            status_end: offset(status_end),
            absolute_os,
            input: u32::MAX,
            kind,
            milestone: milestone.as_ref().map_or(0, |&(number, _, _)| number),
            version: version.map_or(0, |(number, _)| number),
            has,
            milestone_span: SmallSpan::new(milestone.map(|(_, _, span)| span)),
            version_span: SmallSpan::new(version.map(|(_, span)| span)),
            status: SmallSpan::new(status.map(|f| f.value_span)),
        }
    }

    /// One part of `strings`, between two of its offsets.
    fn part(&self, start: u32, end: u32) -> &str {
        self.strings
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// Where it is, for telling the plans of a folder apart and reading it again.
    pub fn absolute(&self) -> &Path {
        match &self.absolute_os {
            Some(absolute) => absolute,
            None => Path::new(self.part(0, self.absolute_end)),
        }
    }

    /// As reported (the path the user would write).
    pub fn path(&self) -> &str {
        self.part(self.path_start, self.path_end)
    }

    pub fn file_name(&self) -> &str {
        self.part(self.name_start, self.path_end)
    }

    /// The file name without `.md`, as tasks and completion-path.json name the plan.
    pub fn stem(&self) -> &str {
        plan_stem(self.file_name())
    }

    /// The milestone's number, its value as written and where that stands.
    pub fn milestone(&self) -> Option<(u64, &str, Span)> {
        let number = self.milestone_number()?;
        let written = self.part(self.path_end, self.milestone_end);
        Some((
            number,
            written,
            self.milestone_span.get().unwrap_or_default(),
        ))
    }

    pub fn milestone_number(&self) -> Option<u64> {
        (self.has & PlanFacts::MILESTONE != 0).then_some(self.milestone)
    }

    /// The version's number, and where its value stands.
    pub fn version(&self) -> Option<(u64, Span)> {
        let number = (self.has & PlanFacts::VERSION != 0).then_some(self.version)?;
        Some((number, self.version_span.get().unwrap_or_default()))
    }

    /// The status as written, and where it stands.
    pub fn status(&self) -> Option<(&str, Span)> {
        let span = self.status.get()?;
        Some((self.part(self.milestone_end, self.status_end), span))
    }

    /// Phase headings' texts (`Phase 2: API Implementation`): only of the plans of the run.
    pub fn phases(&self) -> impl Iterator<Item = &str> {
        let phases = self.strings.get(self.status_end as usize..);
        phases.unwrap_or_default().split('\n').skip(1)
    }

    /// Whether `phase` (a task's `implementationPlan.phase`) names one of this plan's phases:
    /// its heading (`Phase 2: API Implementation`) or name (`API Implementation`), case and
    /// outer white space aside, or its number (`Phase 2`, `2`).
    pub fn has_phase(&self, phase: &str) -> bool {
        let wanted = phase.trim().to_lowercase();
        let number = wanted.strip_prefix("phase").unwrap_or(&wanted).trim();
        let number: Option<u64> = (!number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit()))
        .then(|| number.parse().ok())
        .flatten();
        self.phases().any(|heading| {
            let parts = crate::plan::phase_heading(heading);
            heading.trim().to_lowercase() == wanted
                || parts.is_some_and(|(n, name)| {
                    Some(n) == number || name.trim().to_lowercase() == wanted
                })
        })
    }
}

/// The last part of a path as written, whichever separator it uses.
fn file_name_of(path: &str) -> &str {
    path.rsplit(['/', std::path::MAIN_SEPARATOR])
        .next()
        .unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tasks_phase_names_a_phase_by_heading_name_or_number() {
        let text = "# Implementation Plan: M01 - A\n\n## Phases\n### Phase 1: Setup\n### Phase 2: API Implementation\n";
        let plan = crate::parse::parse(text, Some("M01-v1-a.md"));
        let schema = crate::schema::Schema::default_schema();
        let facts = PlanFacts::new("M01-v1-a.md", Path::new("/p/M01-v1-a.md"), &plan, &schema);
        for named in [
            "Phase 2: API Implementation",
            "  phase 2: api implementation ",
            "API Implementation",
            "api implementation",
            "Phase 2",
            "phase 2",
            "2",
            " 2 ",
            "Phase 02",
        ] {
            assert!(facts.has_phase(named), "{named:?}");
        }
        for other in [
            "Phase 3",
            "3",
            "Phase 2: API",
            "API",
            "Implementation",
            "Phase",
            "",
        ] {
            assert!(!facts.has_phase(other), "{other:?}");
        }
    }

    /// PC511's question: is there a file of that name in `Implementations/<state>/`?
    #[test]
    fn a_listed_plan_is_there_when_a_file_of_its_name_is_in_a_state_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("projectManagement");
        let plans = root.join("Implementations");
        let files: [(&str, &[u8]); 6] = [
            (
                "active/M01-v1-a.md",
                b"# Implementation Plan: M01 - A\n## Metadata\n",
            ),
            ("completed/M02-v1-empty.md", b""),
            ("done/M03-v1-notes.md", b"# Notes\n"),
            ("archive/not-a-plan-name.md", b"# Notes\n"),
            (
                "drafts/M04-v1-draft.md",
                b"# Implementation Plan: M04 - Draft\n",
            ),
            (
                "active/deeper/M05-v1-deep.md",
                b"# Implementation Plan: M05 - Deep\n",
            ),
        ];
        for (file, text) in files {
            let path = plans.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::fs::write(dir.path().join("M06-v1-outside.md"), b"# Outside\n").unwrap();
        let completed = [
            "completed".to_string(),
            "done".to_string(),
            "archive".to_string(),
        ];
        let mut project = load(
            &root,
            Path::new("projectManagement"),
            &RunPlans::default(),
            &completed,
        );
        project.index_plans();
        for there in [
            "M01-v1-a.md",
            "M02-v1-empty.md",
            "M03-v1-notes.md",
            "not-a-plan-name.md",
            "deeper/M05-v1-deep.md",
        ] {
            assert!(project.has_plan_file(there, &completed), "{there}");
        }
        for missing in [
            "M01-v1-a",
            "M04-v1-draft.md",
            "M05-v1-deep.md",
            "M07-v1-never.md",
            "../../M06-v1-outside.md",
            "../active/M01-v1-a.md",
            "",
            ".",
        ] {
            assert!(!project.has_plan_file(missing, &completed), "{missing}");
        }
        assert!(!project.has_plan_file("M03-v1-notes.md", &["completed".to_string()]));
    }

    fn task(id: &'static str, folder: u8, plan: &'static str) -> Task<'static> {
        Task {
            id,
            folder,
            milestone: None,
            plan: Some(plan_stem(plan)),
            phase: None,
        }
    }

    const HEAD: &str = "# Implementation Plan: M07 - X\n## Metadata\n- **Milestone**: M07\n\
        - **Version**: v2\n- **Status**: active\n";

    #[test]
    fn a_plans_facts_keep_its_path_once_when_it_ends_the_absolute_one() {
        let absolute = Path::new("/home/me/pm/Implementations/active/M07-v2-x.md");
        for shown in [
            "pm/Implementations/active/M07-v2-x.md",
            absolute.to_str().unwrap(),
        ] {
            let facts = PlanFacts::scan(shown, absolute, HEAD);
            assert_eq!(facts.strings.matches("M07-v2-x.md").count(), 1, "{shown}");
            assert_eq!((facts.path(), facts.absolute()), (shown, absolute));
            assert_eq!(facts.file_name(), "M07-v2-x.md");
            assert_eq!(
                facts.milestone().map(|(n, written, _)| (n, written)),
                Some((7, "M07"))
            );
            assert_eq!(facts.version().map(|(v, _)| v), Some(2));
            assert_eq!(facts.status().map(|(s, _)| s), Some("active"));
        }
        // Not the end of it (`-x.md` is not a whole component): kept besides.
        let facts = PlanFacts::scan("v2-x.md", absolute, HEAD);
        assert_eq!((facts.path(), facts.absolute()), ("v2-x.md", absolute));
        assert_eq!(facts.stem(), "v2-x");
    }

    #[cfg(unix)]
    #[test]
    fn a_plans_absolute_path_need_not_be_utf8() {
        use std::os::unix::ffi::OsStrExt;
        let absolute = Path::new(std::ffi::OsStr::from_bytes(b"/p\xff/M07-v2-x.md"));
        let facts = PlanFacts::scan("p\u{fffd}/M07-v2-x.md", absolute, HEAD);
        assert_eq!(facts.absolute(), absolute);
        assert_eq!(facts.path(), "p\u{fffd}/M07-v2-x.md");
        assert_eq!(facts.milestone_number(), Some(7));
    }

    #[test]
    fn a_plans_facts_take_96_bytes() {
        assert!(std::mem::size_of::<PlanFacts>() <= 96);
    }

    #[test]
    fn the_runs_plans_are_found_by_their_paths_in_the_project() {
        let mut run = RunPlans::default();
        run.push(Path::new("Implementations/done/M02-v1-b.md"), 7);
        run.push(Path::new("Implementations/active/M01-v1-a.md"), 3);
        run.index();
        assert_eq!(
            run.input(Path::new("Implementations/active/M01-v1-a.md")),
            Some(3)
        );
        assert_eq!(
            run.input(Path::new("Implementations/done/M02-v1-b.md")),
            Some(7)
        );
        assert_eq!(
            run.input(Path::new("Implementations/active/M02-v1-b.md")),
            None
        );
    }

    #[test]
    fn tasks_are_found_by_id_range_and_plan() {
        use std::ops::Bound::{Excluded, Included, Unbounded};
        let mut tasks = Tasks::default();
        tasks.push(task("T-3", 0, "M01-v1-a.md"));
        tasks.push(task("T-1", 1, "M01-v1-a"));
        let mut later = Tasks::default();
        later.push(task("T-2", 2, "M02-v1-b.md"));
        later.push(task("T-1", 3, "M02-v1-b.md"));
        tasks.append(later);
        tasks.finish();
        assert_eq!(tasks.len(), 3);
        assert_eq!(
            tasks.get("T-1").map(|t| t.folder),
            Some(3),
            "the later file counts"
        );
        assert!(tasks.get("T-0").is_none());
        let ids = |b| tasks.ids_within(b).collect::<Vec<_>>();
        assert_eq!(ids((Unbounded, Excluded("T-2"))), ["T-1"]);
        assert_eq!(ids((Included("T-2"), Unbounded)), ["T-2", "T-3"]);
        assert_eq!(ids((Excluded("T-3"), Unbounded)), Vec::<&str>::new());
        let naming = |plan| tasks.naming(plan).map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(naming("M01-v1-a.md"), ["T-3"]);
        assert_eq!(naming("M02-v1-b.md"), ["T-1", "T-2"]);
    }
}
