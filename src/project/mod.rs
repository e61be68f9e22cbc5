//! The management folder a plan belongs to, and its project files (tasks, milestones, flows,
//! themes, the other plans) loaded once into one typed view. Every upstream JSON shape is
//! normalised here, so rules never see raw JSON.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::plan::Span;
use crate::source::SourceFile;

mod flows;
mod index;
pub(crate) mod json;
mod load;
mod locate;
mod milestones;
mod plans;
mod strings;
mod tasks;
mod themes;

use index::StrIndex;

pub use load::{load, RunPlans};
pub use locate::{find_root, is_state_folder, locate, Placement, ProjectOptions};
pub use milestones::{ListedPlan, Milestone, Milestones, RequiredFlow};
pub use plans::{plan_stem, PlanFacts};
pub use tasks::{Task, TaskPlaces, Tasks, TASK_FOLDERS};

/// A project file a finding may point into. Its text is kept while it is loaded, and after
/// only where a finding may show it: a file with a problem, and completion-path.json.
#[derive(Debug)]
pub struct ProjectFile {
    /// As reported: relative to the current folder, or absolute.
    pub path: String,
    text: Option<Arc<SourceFile>>,
}

impl ProjectFile {
    pub fn kept(source: impl Into<Arc<SourceFile>>) -> ProjectFile {
        let source = source.into();
        ProjectFile {
            path: source.path.clone(),
            text: Some(source),
        }
    }

    /// The file with its text, when kept; else with none, for a finding about the whole
    /// file.
    pub fn source(&self) -> Arc<SourceFile> {
        match &self.text {
            Some(text) => Arc::clone(text),
            None => Arc::new(SourceFile::new(self.path.clone(), String::new())),
        }
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
    /// The file that defines each flow and each theme, as reported: a flow's own file
    /// rather than the index that lists it, a theme's own file rather than themes.json.
    pub flow_sources: BTreeMap<String, Arc<str>>,
    pub theme_sources: BTreeMap<String, Arc<str>>,
    /// `flows`, `flow_files` and `themes` by their lower case, for the case-only help.
    pub flows_by_lowercase: ByLowercase,
    pub flow_files_by_lowercase: ByLowercase,
    pub themes_by_lowercase: ByLowercase,
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

/// Known names by their lower case, the first in order of each: an unknown name is looked up
/// here for the one it differs from in case alone, not compared with every known one. Built
/// when the first unknown name is looked up: most runs name none.
#[derive(Debug, Default)]
pub struct ByLowercase(std::sync::OnceLock<BTreeMap<String, String>>);

impl ByLowercase {
    /// The name of `names` (this index's names, in order) that `id` differs from in case
    /// alone.
    pub fn find<'n>(&'n self, id: &str, names: &BTreeSet<String>) -> Option<&'n str> {
        let lowercase =
            |name: &str| -> String { name.chars().flat_map(char::to_lowercase).collect() };
        let index = self.0.get_or_init(|| {
            let mut index = BTreeMap::new();
            for name in names {
                index.entry(lowercase(name)).or_insert_with(|| name.clone());
            }
            index
        });
        index.get(&lowercase(id)).map(String::as_str)
    }
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

    /// How a task's file is reported.
    pub fn task_path(&self, task: Task<'_>) -> String {
        let folder = TASK_FOLDERS.get(usize::from(task.folder)).unwrap_or(&"");
        let file = Path::new(folder).join(format!("{}.json", task.id));
        self.shown(&self.root.join(file))
    }

    /// A task's file, as much of it as a finding shows: the lines around its milestone and
    /// phase.
    pub fn task_file(&self, task: Task<'_>) -> Arc<SourceFile> {
        Arc::new(SourceFile::excerpt(
            self.task_path(task),
            &task.places.excerpt(),
        ))
    }

    /// completion-path.json, kept whole for the findings that show it.
    pub fn completion_path_file(&self) -> Option<Arc<SourceFile>> {
        Some(self.files.get(self.completion_path?)?.source())
    }

    /// Lets go of the texts of the project files no finding will show: those without a
    /// problem, but for completion-path.json.
    fn keep_only_texts_shown(&mut self) {
        for (at, file) in self.files.iter_mut().enumerate() {
            let shown = Some(at) == self.completion_path
                || self.problems.iter().any(|problem| problem.file == at);
            if !shown {
                file.text = None;
            }
        }
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

    /// The task a plan's task id names. PC501 and `graph --dangling` both ask here, so
    /// they cannot disagree on which ids are dangling.
    pub fn resolve_task(&self, id: &str) -> Resolution<Task<'_>> {
        match &self.tasks {
            None => Resolution::Unchecked,
            Some(tasks) => tasks
                .get(id)
                .map_or(Resolution::Dangling, Resolution::Found),
        }
    }

    /// The flow a plan's flow id names (PC503 and `graph --dangling`).
    pub fn resolve_flow(&self, id: &str) -> Resolution<()> {
        resolve_name(self.flows.as_ref(), id)
    }

    /// The theme a plan's theme name names (PC505 and `graph --dangling`).
    pub fn resolve_theme(&self, id: &str) -> Resolution<()> {
        resolve_name(self.themes.as_ref(), id)
    }
}

/// What a name a plan writes stands for in its project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution<T> {
    Found(T),
    /// The project defines that kind of thing, but nothing of this name.
    Dangling,
    /// The project has no file for that kind of thing (or a broken one): nothing to look in.
    Unchecked,
}

impl<T> Resolution<T> {
    pub fn map<U>(self, found: impl FnOnce(T) -> U) -> Resolution<U> {
        match self {
            Resolution::Found(t) => Resolution::Found(found(t)),
            Resolution::Dangling => Resolution::Dangling,
            Resolution::Unchecked => Resolution::Unchecked,
        }
    }
}

fn resolve_name(known: Option<&BTreeSet<String>>, id: &str) -> Resolution<()> {
    match known {
        None => Resolution::Unchecked,
        Some(known) if known.contains(id) => Resolution::Found(()),
        Some(_) => Resolution::Dangling,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_only_difference_is_found_among_many_names() {
        let known: BTreeSet<String> = (0..5_000).map(|n| format!("theme-{n:04}")).collect();
        let index = ByLowercase::default();
        assert_eq!(index.find("Theme-0042", &known), Some("theme-0042"));
        assert_eq!(index.find("THEME-4999", &known), Some("theme-4999"));
        assert_eq!(index.find("theme-5000", &known), None);
        let unicode = BTreeSet::from(["sécurité".to_string()]);
        let index = ByLowercase::default();
        assert_eq!(index.find("SÉCURITÉ", &unicode), Some("sécurité"));
        // Of two that differ in case alone, the first in order.
        let twins = BTreeSet::from(["auth".to_string(), "Auth".to_string()]);
        assert_eq!(ByLowercase::default().find("AUTH", &twins), Some("Auth"));
    }

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
}
