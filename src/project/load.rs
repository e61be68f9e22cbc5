//! Reads a management folder's project files into a [`Project`]. A file that cannot be read,
//! is not JSON, or has none of the accepted shapes becomes a [`FileProblem`], and what
//! needed it is left unknown rather than guessed.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::{MapAccess, SeqAccess};
use serde_json::Value;

use super::json::{
    find_string, find_string_value, offset_of, span_within, top_level_value, ValueFinder,
};
use super::loose::{self, Loose, Shape};
use super::{
    plan_stem, FileProblem, Located, Milestones, PlanFacts, Project, ProjectFile, RunPlans, Task,
    TaskDetails, Tasks, TASK_FOLDERS,
};
use crate::fs::{FileReader, ReadError, PLAN_LIMIT, PROJECT_FILE_LIMIT};
use crate::plan::names::milestone_number;
use crate::plan::Span;
use crate::source::SourceFile;

/// Loads the project at `root`; `shown_root` is how its paths are reported. The plans in
/// `checked` are left for the caller to add from its own check. `completed_dirs` are the
/// completed plans' folders of `Implementations/`.
pub fn load(
    root: &Path,
    shown_root: &Path,
    checked: &RunPlans,
    completed_dirs: &[String],
) -> Project {
    // What no project file is read outside of. A root that does not resolve does not
    // exist, and none of its files is read.
    let within = crate::fs::canonical(root).unwrap_or_else(|| root.to_path_buf());
    let empty = || Project {
        root: root.to_path_buf(),
        within: within.clone(),
        shown_root: shown_root.to_path_buf(),
        ..Project::default()
    };
    let part = |load: &(dyn Fn(&mut Loader) + Sync)| {
        let mut loader = Loader { project: empty() };
        load(&mut loader);
        loader.project
    };
    // Each kind of project file is loaded on its own, all at once: completion-path.json is
    // one large file that one thread reads while the others share thousands of small ones.
    // The plan folders are listed beside them too. The other plans (only a run of some of
    // the plans has any) are scanned after: beside the rest, their heads' buffers and the
    // other files' interleave, and a 100,000-plan project's one-plan check peaks 40 MB higher.
    let ((milestones, tasks), ((flows, themes), listed)) = rayon::join(
        || rayon::join(|| part(&Loader::completion_path), || part(&Loader::tasks)),
        || {
            rayon::join(
                || rayon::join(|| part(&Loader::flows), || part(&Loader::themes)),
                || list_plans(root, &within, checked, completed_dirs),
            )
        },
    );
    let mut plans = Loader { project: empty() };
    plans.plans(listed);
    let mut project = empty();
    for part in [tasks, milestones, flows, themes, plans.project] {
        project.absorb(part);
    }
    project
}

impl Project {
    /// Takes in what one part of the load found: its files come after those taken so far.
    fn absorb(&mut self, part: Project) {
        let offset = self.files.len();
        self.files.extend(part.files);
        self.problems
            .extend(part.problems.into_iter().map(|problem| FileProblem {
                file: problem.file + offset,
                ..problem
            }));
        self.completion_path = self
            .completion_path
            .or(part.completion_path.map(|file| file + offset));
        self.tasks = self.tasks.take().or(part.tasks);
        self.milestones = self.milestones.take().or(part.milestones);
        self.flows = self.flows.take().or(part.flows);
        // Taken whole where there are none yet: inserted one by one, thousands cost more.
        let mut flow_files = part.flow_files;
        self.flow_files.append(&mut flow_files);
        self.has_flow_folder |= part.has_flow_folder;
        self.themes = self.themes.take().or(part.themes);
        self.plans.extend(part.plans);
        self.checked_plans.extend(part.checked_plans);
        self.checked_plans.sort_unstable();
        self.broken.extend(part.broken);
    }
}

struct Loader {
    project: Project,
}

/// The names of a folder's `*.json` entries, sorted; none when it does not exist. Whatever
/// each is: one that is no regular file, or leads outside the management folder, is told
/// when it is read.
fn json_files(folder: &Path) -> Vec<OsString> {
    let mut names: Vec<(u128, OsString)> = crate::fs::names_in(folder)
        .into_iter()
        .filter(|name| is_json_name(name))
        .map(|name| (sort_key(&name), name))
        .collect();
    // The names' first bytes as one number decide most comparisons without a memcmp.
    names.sort_unstable();
    names.into_iter().map(|(_, name)| name).collect()
}

fn sort_key(name: &OsStr) -> u128 {
    super::prefix_key(name.as_encoded_bytes())
}

/// Whether a file name's extension, as `Path::extension` reads it, is `json`: a stem before
/// it, which a name of `.json` alone has not.
fn is_json_name(name: &OsStr) -> bool {
    let bytes = name.as_encoded_bytes();
    bytes.len() > ".json".len() && bytes.ends_with(b".json")
}

/// `folder`'s file `name`, joined in `path`, whose room is kept from file to file.
fn join_into<'p>(path: &'p mut PathBuf, folder: &Path, name: &OsStr) -> &'p Path {
    path.as_mut_os_string().clear();
    path.push(folder);
    path.push(name);
    path
}

/// A file's stem, as reported.
fn stem(name: &OsStr) -> String {
    Path::new(name)
        .file_stem()
        .map(|s| crate::fs::os_text(s).into_owned())
        .unwrap_or_default()
}

/// A `*.json` file's stem as [`stem`] reads it, borrowed from the name where it is UTF-8.
fn json_stem(name: &OsStr) -> Cow<'_, str> {
    match name.to_str().and_then(|name| name.strip_suffix(".json")) {
        Some(stem) if !stem.is_empty() => Cow::Borrowed(stem),
        _ => Cow::Owned(stem(name)),
    }
}

/// The flow ids an object defines: its own `flowId` and those of its `flows[]`. Index
/// entries and flow files share this shape; any other value defines none.
#[derive(Default)]
struct FlowIds<'a>(Vec<Cow<'a, str>>);

impl<'de> Shape<'de> for FlowIds<'de> {
    fn object<A: MapAccess<'de>>(object: A) -> Result<Self, A::Error> {
        let mut own: Option<Cow<'de, str>> = None;
        let mut nested: Vec<NestedFlowId<'de>> = Vec::new();
        // Of a key given twice the later counts, as in a `serde_json::Value`.
        loose::entries(object, |key, object| {
            match key {
                "flowId" => own = loose::value(object)?,
                "flows" => nested = loose::value(object)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let nested = nested.into_iter().filter_map(|NestedFlowId(id)| id);
        Ok(FlowIds(own.into_iter().chain(nested).collect()))
    }
}

/// A `flows[]` entry: an object's `flowId`.
#[derive(Default)]
struct NestedFlowId<'a>(Option<Cow<'a, str>>);

impl<'de> Shape<'de> for NestedFlowId<'de> {
    fn object<A: MapAccess<'de>>(object: A) -> Result<Self, A::Error> {
        let mut id = None;
        loose::strings(object, ["flowId"], [&mut id])?;
        Ok(NestedFlowId(id))
    }
}

/// The flow ids flow-index.json lists: none when it has no `flowFiles` or a `null` one,
/// those of each entry of a list (as [`FlowIds`] reads them), or the keys of an object;
/// `None` for a `flowFiles` of another shape.
struct IndexedFlowIds<'a>(Option<Vec<Cow<'a, str>>>);

impl Default for IndexedFlowIds<'_> {
    /// An index without `flowFiles` (or no object at all) lists no flow.
    fn default() -> Self {
        IndexedFlowIds(Some(Vec::new()))
    }
}

impl<'de> Shape<'de> for IndexedFlowIds<'de> {
    fn object<A: MapAccess<'de>>(object: A) -> Result<Self, A::Error> {
        let mut listed = IndexedFlowIds::default();
        loose::entries(object, |key, object| {
            if key != "flowFiles" {
                return Ok(false);
            }
            let Loose(FlowFiles(ids)) = object.next_value()?;
            listed = IndexedFlowIds(ids);
            Ok(true)
        })?;
        Ok(listed)
    }
}

/// An index's `flowFiles`, as [`IndexedFlowIds`] reads it.
struct FlowFiles<'a>(Option<Vec<Cow<'a, str>>>);

impl Default for FlowFiles<'_> {
    /// A string, a number or `true`: none of the accepted shapes.
    fn default() -> Self {
        FlowFiles(None)
    }
}

impl<'de> Shape<'de> for FlowFiles<'de> {
    fn null() -> Self {
        FlowFiles(Some(Vec::new()))
    }

    fn list<A: SeqAccess<'de>>(mut list: A) -> Result<Self, A::Error> {
        let mut ids = Vec::new();
        while let Some(Loose(FlowIds(mut entry))) = list.next_element()? {
            ids.append(&mut entry);
        }
        Ok(FlowFiles(Some(ids)))
    }

    fn object<A: MapAccess<'de>>(object: A) -> Result<Self, A::Error> {
        let mut ids = Vec::new();
        loose::entries(object, |key, _| {
            ids.push(Cow::Owned(key.to_string()));
            Ok(false)
        })?;
        Ok(FlowFiles(Some(ids)))
    }
}

/// The first string found at any of `paths` (each a list of object keys).
fn first_string<'v>(value: &'v Value, paths: &[&[&str]]) -> Option<&'v str> {
    paths.iter().find_map(|path| {
        path.iter()
            .try_fold(value, |v, key| v.get(key))
            .and_then(Value::as_str)
    })
}

/// Where a project file goes wrong (if anywhere in particular), and how.
type Problem = (Option<Span>, String);

/// A file that could not be read as JSON, with its text for the finding. Boxed: among
/// thousands of files read, the good ones should not each make room for one.
type Broken = Box<(SourceFile, Problem)>;

/// A project file's text, and why it has none when it could not be read whole, as
/// [`read_into`] says.
fn read_text(path: &Path, root: &Path, shown: String) -> (SourceFile, Result<(), Problem>) {
    let mut buffer = Vec::new();
    let read = read_into(&mut FileReader::default(), path, root, &mut buffer).map(drop);
    match read {
        Ok(()) => {
            // invariant: read_into checked the bytes are UTF-8.
            let text = String::from_utf8(buffer).unwrap_or_default();
            (SourceFile::new(shown, text), Ok(()))
        }
        Err(broken) => {
            let (mut source, problem) = *broken;
            source.path = shown;
            (source, Err(problem))
        }
    }
}

/// A project file's text read into `buffer`, whose room is kept from file to file; or, when
/// it could not be read whole, what there is of it (unnamed) and why. A file that is no
/// regular file, is too large, or leads outside `root` (the management folder, links
/// resolved) is not read, and nothing of it is shown.
fn read_into<'b>(
    reader: &mut FileReader,
    path: &Path,
    root: &Path,
    buffer: &'b mut Vec<u8>,
) -> Result<&'b str, Broken> {
    if let Err(error) = reader.read_within(path, root, PROJECT_FILE_LIMIT, buffer) {
        let message = match error {
            ReadError::Outside => "it is a link that leads outside the management folder".into(),
            error => error.to_string(),
        };
        let problem = (
            Some(Span::empty(0)),
            format!("cannot read the file: {message}"),
        );
        return Err(Box::new((
            SourceFile::new(String::new(), String::new()),
            problem,
        )));
    }
    match std::str::from_utf8(buffer) {
        Ok(text) => Ok(text),
        Err(error) => {
            let at = error.valid_up_to();
            let lossy = String::from_utf8_lossy(buffer).into_owned();
            let span = Span::new(at, at + '\u{FFFD}'.len_utf8());
            let problem = (Some(span), "the file is not valid UTF-8".to_string());
            Err(Box::new((SourceFile::new(String::new(), lossy), problem)))
        }
    }
}

/// `text` as JSON of type `T`, or where and why not.
fn parse_json<'a, T: serde::Deserialize<'a>>(text: &'a str) -> Result<T, Problem> {
    let body = text.trim_start_matches('\u{FEFF}');
    serde_json::from_str::<T>(body).map_err(|error| {
        let at = (text.len() - body.len()) + offset_of(body, error.line(), error.column());
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        let message = error.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        (Some(Span::new(at, end)), format!("invalid JSON: {message}"))
    })
}

/// The keys of a task file plancheck reads. The rest of the file (descriptions, criteria,
/// notes) is skipped without being built, which is most of the cost of 20,000 task files;
/// a key given twice is an error, as serde's derive has it.
#[derive(Default, serde::Deserialize)]
struct TaskJson<'a> {
    #[serde(default, borrow)]
    milestone: Loose<TaskMilestone<'a>>,
    #[serde(default, borrow, rename = "milestoneId")]
    milestone_id: Loose<Option<Cow<'a, str>>>,
    #[serde(default, borrow, rename = "implementationPlan")]
    implementation_plan: Loose<TaskPlan<'a>>,
    #[serde(default, borrow, rename = "implementationPlanId")]
    implementation_plan_id: Loose<Option<Cow<'a, str>>>,
}

/// A task's `milestone`: a string, or an object's `id` or `milestoneId`.
#[derive(Default)]
struct TaskMilestone<'a> {
    string: Option<Cow<'a, str>>,
    id: Option<Cow<'a, str>>,
    milestone_id: Option<Cow<'a, str>>,
}

impl<'de: 'a, 'a> Shape<'de> for TaskMilestone<'a> {
    fn string(value: Cow<'de, str>) -> Self {
        TaskMilestone {
            string: Some(value),
            ..TaskMilestone::default()
        }
    }

    fn object<A: MapAccess<'de>>(object: A) -> Result<Self, A::Error> {
        let mut m = TaskMilestone::default();
        loose::strings(
            object,
            ["id", "milestoneId"],
            [&mut m.id, &mut m.milestone_id],
        )?;
        Ok(m)
    }
}

/// A task's `implementationPlan` object: its `filename` or `id`, and its `phase`.
#[derive(Default)]
struct TaskPlan<'a> {
    filename: Option<Cow<'a, str>>,
    id: Option<Cow<'a, str>>,
    phase: Option<Cow<'a, str>>,
}

impl<'de: 'a, 'a> Shape<'de> for TaskPlan<'a> {
    fn object<A: MapAccess<'de>>(object: A) -> Result<Self, A::Error> {
        let mut p = TaskPlan::default();
        let slots = [&mut p.filename, &mut p.id, &mut p.phase];
        loose::strings(object, ["filename", "id", "phase"], slots)?;
        Ok(p)
    }
}

/// What a task file names: its milestone (with the key it stands under, to find its place
/// by), its plan and its phase.
#[derive(Debug, Default, PartialEq)]
struct TaskKeys<'a> {
    milestone: Option<(Cow<'a, str>, &'static str)>,
    plan: Option<Cow<'a, str>>,
    phase: Option<Cow<'a, str>>,
}

impl<'a> TaskJson<'a> {
    fn keys(self) -> TaskKeys<'a> {
        let (Loose(milestone), Loose(plan)) = (self.milestone, self.implementation_plan);
        let milestone = (milestone.id.map(|v| (v, "id")))
            .or(milestone.milestone_id.map(|v| (v, "milestoneId")))
            .or(self.milestone_id.0.map(|v| (v, "milestoneId")))
            .or(milestone.string.map(|v| (v, "milestone")));
        TaskKeys {
            milestone,
            plan: plan.filename.or(plan.id).or(self.implementation_plan_id.0),
            phase: plan.phase,
        }
    }
}

/// What a task file names, or why it names nothing.
fn task_keys(text: &str) -> Result<TaskKeys<'_>, Problem> {
    parse_object::<TaskJson>(text, "a task file").map(TaskJson::keys)
}

/// The object a project file holds, as `T`; `what` names the file in the problem when it
/// holds something else.
fn parse_object<'a, T: serde::Deserialize<'a>>(text: &'a str, what: &str) -> Result<T, Problem> {
    let body = text.trim_start_matches('\u{FEFF}').trim_start();
    if body.starts_with('{') {
        return parse_json::<T>(text);
    }
    // Not an object: say what is wrong with it as JSON, if anything, first. Skipped, not
    // built: a list of 64 MiB would take many times that as values.
    parse_json::<serde::de::IgnoredAny>(text)?;
    Err(not_an_object(what, json_kind(text)))
}

/// What the valid JSON document `text` holds, in words.
fn json_kind(text: &str) -> &'static str {
    let body = text.trim_start_matches('\u{FEFF}').trim_start();
    match body.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "a list",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "`null`",
        _ => "a number",
    }
}

/// The problem of a project file that holds `holds` where a JSON object belongs.
fn not_an_object(what: &str, holds: &str) -> Problem {
    let message = format!("{what} holds {holds}, where a JSON object belongs");
    (Some(Span::empty(0)), message)
}

/// completion-path.json as far as plancheck reads it at once: its milestones stay raw text,
/// turned into values one at a time, so a project of 100,000 milestones is never one tree.
#[derive(serde::Deserialize)]
struct CompletionPathJson<'a> {
    #[serde(default, borrow)]
    milestones: Option<&'a serde_json::value::RawValue>,
}

/// A milestone of completion-path.json, as far as plancheck reads it (`None` for an entry
/// that is not an object).
#[derive(Default)]
struct MilestoneJson<'a> {
    id: Option<Cow<'a, str>>,
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

/// What a task file says of its milestone, plan and phase, or why it says nothing; with
/// where each value stands when `spans` (for a finding: loading twenty thousand tasks needs
/// only the values).
pub(super) fn task_details(text: &str, spans: bool) -> Result<TaskDetails, Problem> {
    let keys = task_keys(text)?;
    let locate = |key: &str, found: &str| Located {
        value: found.into(),
        span: spans
            .then(|| find_string_value(text, key, found, 0))
            .flatten(),
    };
    Ok(TaskDetails {
        milestone: keys.milestone.map(|(value, key)| locate(key, &value)),
        plan: keys.plan.map(Cow::into_owned),
        phase: keys.phase.map(|value| locate("phase", &value)),
    })
}

impl Loader {
    /// Reads one project file and keeps what `read` makes of its text; `None` (the file
    /// recorded with its text, for the finding) when it is broken.
    fn read_borrowing<R>(
        &mut self,
        path: &Path,
        read: impl FnOnce(&str) -> Result<R, Problem>,
    ) -> Option<(usize, R)> {
        let (source, text_read) = read_text(path, &self.project.within, self.shown(path));
        let file = self.project.files.len();
        match text_read.and_then(|()| read(&source.text)) {
            Ok(taken) => {
                let kept = ProjectFile::at(source.path, &self.project.within);
                self.project.files.push(kept);
                Some((file, taken))
            }
            Err(problem) => {
                self.keep_broken(source, problem);
                None
            }
        }
    }

    /// Reads many small project files in parallel, in order, and keeps only what `extract`
    /// takes from each: fifty thousand flow files are never held at once, as texts or as
    /// JSON. A broken one is `None`, recorded with its text for the finding.
    fn read_many<T: Send>(
        &mut self,
        folder: &Path,
        names: &[OsString],
        extract: impl Fn(&str) -> Result<T, Problem> + Sync,
    ) -> Vec<Option<T>> {
        let within = &self.project.within;
        let read: Vec<Result<T, Broken>> = names
            .par_iter()
            .map_init(
                || (FileReader::default(), PathBuf::new(), Vec::new()),
                |(reader, path, buffer), name| {
                    let path = join_into(path, folder, name);
                    let read = read_into(reader, path, within, buffer).and_then(|text| {
                        extract(text).map_err(|problem| {
                            Box::new((SourceFile::new(String::new(), text.into()), problem))
                        })
                    });
                    read.map_err(|broken| {
                        let (source, problem) = *broken;
                        self.broken(path, source, problem)
                    })
                },
            )
            .collect();
        read.into_iter()
            .map(|read| match read {
                Ok(taken) => Some(taken),
                Err(broken) => {
                    let (source, problem) = *broken;
                    self.keep_broken(source, problem);
                    None
                }
            })
            .collect()
    }

    /// Records a broken file, keeping its text for the finding that shows it.
    fn keep_broken(&mut self, source: SourceFile, (span, message): Problem) {
        let file = self.project.files.len();
        self.project.files.push(ProjectFile::kept(source));
        self.problem(file, span, message);
    }

    /// A file read without a name (most are read for a few values and let go), named now
    /// that a finding will show it.
    fn broken(&self, path: &Path, mut source: SourceFile, problem: Problem) -> Broken {
        source.path = self.shown(path);
        Box::new((source, problem))
    }

    fn shown(&self, path: &Path) -> String {
        self.project.shown(path)
    }

    fn problem(&mut self, file: usize, span: Option<Span>, message: String) {
        self.project.problems.push(FileProblem {
            file,
            span,
            message,
        });
    }

    /// A file of the wrong shape, told at `value` when the caller knows where the wrong
    /// shape stands, else at the value of `key`.
    fn shape_problem(&mut self, file: usize, key: &str, value: Option<Span>, expected: &str) {
        let source = self.project.files[file].source();
        let span = (value.or_else(|| top_level_value(&source.text, key))).or(Some(Span::empty(0)));
        self.problem(
            file,
            span,
            format!("`{key}` has none of the accepted shapes: expected {expected}"),
        );
    }

    fn tasks(&mut self) {
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
                            tasks.push(Task {
                                id: &id,
                                folder,
                                milestone: (keys.milestone.as_ref())
                                    .and_then(|(milestone, _)| milestone_number(milestone)),
                                plan: keys.plan.as_deref().map(plan_stem),
                                phase: keys.phase.as_deref(),
                            });
                            Ok(())
                        });
                    if let Err(read) = read {
                        // A broken task file still names a task that exists.
                        tasks.push(Task {
                            id: &id,
                            folder,
                            milestone: None,
                            plan: None,
                            phase: None,
                        });
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

    fn completion_path(&mut self) {
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
    fn read_milestones(&mut self, source: SourceFile, read: Result<(), Problem>) {
        let file = self.project.files.len();
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
                .push(ProjectFile::at(source.path.clone(), &self.project.within));
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
            .push(ProjectFile::at(source.path.clone(), &self.project.within));
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

    fn flows(&mut self) {
        let folder = self.project.root.join("ProjectFlow");
        if !crate::fs::is_folder(&folder) {
            return;
        }
        self.project.has_flow_folder = true;
        // Collected, then made a set at once: a set built from a sorted list costs less than
        // fifteen thousand ids each inserted.
        let mut ids = Vec::new();
        let mut known = false;
        let problems_before = self.project.problems.len();
        let index = folder.join("flow-index.json");
        let listed = crate::fs::entry_exists(&index).then(|| {
            self.read_borrowing(&index, |text| {
                let Loose(IndexedFlowIds(listed)) = parse_json(text)?;
                Ok(listed.map(|ids| ids.into_iter().map(Cow::into_owned).collect::<Vec<_>>()))
            })
        });
        if let Some((file, listed)) = listed.flatten() {
            match listed {
                Some(listed) => {
                    known = true;
                    ids.extend(listed);
                }
                None => self.shape_problem(
                    file,
                    "flowFiles",
                    None,
                    "a list of flow files, a list of flows, or an object keyed by flow id",
                ),
            }
        }
        let mut flow_files = Vec::new();
        let mut names = Vec::new();
        for name in json_files(&folder) {
            let shown = crate::fs::os_text(&name).into_owned();
            if shown == "flow-index.json" {
                continue;
            }
            if shown.ends_with("-flow.json") {
                flow_files.push(name);
            }
            names.push(shown);
        }
        // Built at once from the sorted names, and taken whole.
        let mut names: BTreeSet<String> = names.into_iter().collect();
        self.project.flow_files.append(&mut names);
        let defined = self.read_many(&folder, &flow_files, |text| {
            let Loose(FlowIds(ids)) = parse_json::<Loose<FlowIds>>(text)?;
            Ok(ids.into_iter().map(Cow::into_owned).collect::<Vec<_>>())
        });
        for flows in defined.into_iter().flatten() {
            known = true;
            ids.extend(flows);
        }
        // A broken flow file may define the very ids a plan names: guess nothing.
        if self.project.problems.len() > problems_before {
            self.project.broken.push("flows");
        } else if known {
            self.project.flows = Some(ids.into_iter().collect());
        }
    }

    fn themes(&mut self) {
        let folder = self.project.root.join("Themes");
        if !crate::fs::is_folder(&folder) {
            return;
        }
        let mut names = BTreeSet::new();
        let mut known = false;
        let problems_before = self.project.problems.len();
        let (index, theme_files): (Vec<OsString>, Vec<OsString>) = json_files(&folder)
            .into_iter()
            .partition(|name| name == "themes.json");
        // A theme file names its theme whatever it holds.
        for name in &theme_files {
            names.insert(stem(name));
            known = true;
        }
        let named = self.read_many(&folder, &theme_files, |text| {
            let value = parse_json::<Value>(text)?;
            Ok(first_string(&value, &[&["theme"], &["name"]]).map(String::from))
        });
        names.extend(named.into_iter().flatten().flatten());
        let index = index.first().map(|name| folder.join(name));
        // With what the document holds, should it be no object.
        let read = index.and_then(|index| {
            self.read_borrowing(&index, |text| {
                Ok((parse_json::<Value>(text)?, json_kind(text)))
            })
        });
        if let Some((file, (value, holds))) = read {
            match value.get("themes") {
                Some(Value::Object(themes)) => {
                    known = true;
                    names.extend(themes.keys().cloned());
                }
                Some(Value::Array(themes)) => {
                    known = true;
                    names.extend(themes.iter().filter_map(|t| {
                        t.as_str()
                            .or_else(|| first_string(t, &[&["name"], &["theme"]]))
                            .map(String::from)
                    }));
                }
                Some(_) => {
                    self.shape_problem(file, "themes", None, "an object keyed by theme name");
                }
                None => match value.as_object() {
                    // The flat shape: `{name: description}`.
                    Some(map) => {
                        known = true;
                        names.extend(
                            map.iter()
                                .filter(|(_, v)| v.is_string() || v.is_object())
                                .map(|(k, _)| k.clone()),
                        );
                    }
                    None => {
                        let (span, message) = not_an_object("themes.json", holds);
                        self.problem(file, span, message);
                    }
                },
            }
        }
        if self.project.problems.len() > problems_before {
            self.project.broken.push("themes");
        } else if known {
            self.project.themes = Some(names);
        }
    }

    /// Reads every plan of `Implementations/` that this run does not check, for what the
    /// cross-file rules need of it.
    /// Takes in the plans found in the plan folders: the run's by their inputs, the others
    /// scanned for what the checks among plans need of them.
    fn plans(&mut self, ListedPlans { checked, others }: ListedPlans) {
        self.project.checked_plans = checked;
        let project = &self.project;
        let plans = others
            .par_iter()
            .filter_map(|path| {
                let text = read_plan_head(path)?;
                let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
                let shown = project.shown(path);
                let absolute = crate::fs::absolute(path);
                Some(Box::new(PlanFacts::scan(&shown, &absolute, text)))
            })
            .collect();
        self.project.plans = plans;
    }
}

/// The plans of a project's plan folders: the inputs of those this run checks, and the
/// paths of the others.
struct ListedPlans {
    checked: Vec<u32>,
    others: Vec<PathBuf>,
}

/// A plan is a file named like one anywhere below `Implementations/`, or any markdown file
/// directly in an `Implementations/<state>/` folder, as the walk finds them.
fn list_plans(
    root: &Path,
    within: &Path,
    run: &RunPlans,
    completed_dirs: &[String],
) -> ListedPlans {
    let mut listed = ListedPlans {
        checked: Vec::new(),
        others: Vec::new(),
    };
    let plans = root.join("Implementations");
    // Below it only folders are entered, never links; it may be one itself.
    if !crate::fs::lies_within(&plans, within) {
        return listed;
    }
    let mut relative = PathBuf::new();
    for folder in crate::fs::folders_below(plans) {
        // A folder's place below the root, once: each plan's is its name below it.
        let place = folder.path.strip_prefix(root).unwrap_or(&folder.path);
        let is_state_folder = super::is_state_folder(&folder.path, completed_dirs);
        for file_name in &folder.files {
            let name = crate::fs::os_text(file_name);
            let is_plan = crate::plan::names::file_name_patterns().is_plan_name(&name)
                || (is_state_folder && crate::fs::is_markdown_name(Path::new(file_name)));
            if is_plan {
                match run.input(join_into(&mut relative, place, file_name)) {
                    Some(input) => listed.checked.push(input),
                    None => listed.others.push(folder.path.join(file_name)),
                }
            }
        }
    }
    listed
}

/// A plan up to the end of its `## Metadata` section (all of it when it has none): its title
/// and metadata are what the checks among plans need of a plan this run does not check, so
/// ten thousand other plans are not read to the end. A FIFO or a file over the size of a
/// plan is not read.
fn read_plan_head(path: &Path) -> Option<String> {
    let mut scan = HeadScan::default();
    let head = crate::fs::read_head(path, PLAN_LIMIT, |head| scan.metadata_end(head)).ok()?;
    String::from_utf8(head).ok()
}

/// Where the section after `## Metadata` starts, found line by line as the text arrives.
#[derive(Default)]
struct HeadScan {
    /// The start of the first line not looked at yet.
    line_start: usize,
    in_metadata: bool,
}

impl HeadScan {
    fn metadata_end(&mut self, text: &[u8]) -> Option<usize> {
        // Any line ending ends a line; a `\r\n` split between two reads is a line ending
        // and an empty line, which is no heading either.
        while let Some(length) = memchr::memchr2(b'\n', b'\r', &text[self.line_start..]) {
            let line = text[self.line_start..self.line_start + length].trim_ascii();
            if let Some(heading) = line.strip_prefix(b"## ") {
                if self.in_metadata {
                    return Some(self.line_start);
                }
                self.in_metadata = heading.trim_ascii().eq_ignore_ascii_case(b"metadata");
            }
            self.line_start += length + 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_is_read_to_the_end_of_its_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("M01-v1-a.md");
        let filler = "- a line of prose in the analysis\n".repeat(500);
        let text = format!(
            "# Implementation Plan: M01 - A\n\n## Metadata\n- **Status**: active\n\n## Analysis\n{filler}"
        );
        std::fs::write(&path, &text).unwrap();
        let head = read_plan_head(&path).unwrap();
        assert!(head.ends_with("- **Status**: active\n\n"), "{head:?}");
        let no_metadata = "# Implementation Plan: M01 - A\n\n## Analysis\ntext";
        std::fs::write(&path, no_metadata).unwrap();
        assert_eq!(read_plan_head(&path).unwrap(), no_metadata);
    }

    fn fixture(name: &str) -> Project {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name)
            .join("projectManagement");
        load(
            &root,
            Path::new("projectManagement"),
            &RunPlans::default(),
            &[],
        )
    }

    #[test]
    fn reads_the_upstream_shapes() {
        let project = fixture("upstream");
        assert!(project.problems.is_empty(), "{:?}", project.problems);
        let tasks = project.tasks.as_ref().unwrap();
        let task = tasks.get("TASK-20250711T140000").unwrap();
        assert_eq!(task.milestone, Some(2));
        assert_eq!(task.plan, Some("M02-v1-authentication-system"));
        assert_eq!(task.phase, Some("Phase 2: API Implementation"));
        let (file, details) = project.task_details(task);
        assert_eq!(
            file.path,
            "projectManagement/Tasks/active/TASK-20250711T140000.json"
        );
        let milestone = details.milestone.unwrap();
        assert_eq!(&*milestone.value, "M-02");
        let span = milestone.span.unwrap();
        assert_eq!(&file.text[span.start..span.end], "M-02");
        let sidequest = tasks.get("SQ-20250711T140000-001").unwrap();
        assert_eq!(sidequest.milestone, Some(2));
        let flows = project.flows.as_ref().unwrap();
        assert!(flows.contains("user-login-flow") && flows.contains("payment-processing-flow"));
        let themes = project.themes.as_ref().unwrap();
        assert!(themes.contains("authentication") && themes.contains("security"));
        let m02 = project.milestone(2).unwrap();
        assert_eq!(m02.id, "M-02");
        assert!(m02.required_flows().next().is_some());
        assert_eq!(project.plans.len(), 1);
    }

    #[test]
    fn each_broken_file_is_found_where_it_is_whichever_part_of_the_load_read_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("projectManagement");
        let broken = [
            "Tasks/active/TASK-20250701T090000.json",
            "Tasks/completion-path.json",
            "ProjectFlow/auth-flow.json",
            "Themes/themes.json",
        ];
        for file in broken {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), format!("{{\"broken\": \"{file}\",")).unwrap();
        }
        let project = load(
            &root,
            Path::new("projectManagement"),
            &RunPlans::default(),
            &[],
        );
        let mut found: Vec<&str> = project
            .problems
            .iter()
            .map(|problem| {
                let file = &project.files[problem.file];
                assert!(file
                    .source()
                    .text
                    .contains(file.path.trim_start_matches("projectManagement/")));
                file.path.as_str()
            })
            .collect();
        found.sort_unstable();
        let mut expected: Vec<String> = broken
            .iter()
            .map(|f| format!("projectManagement/{f}"))
            .collect();
        expected.sort_unstable();
        assert_eq!(found, expected);
        assert_eq!(project.broken, ["milestones", "flows", "themes"]);
    }

    #[test]
    fn a_task_file_is_read_for_its_keys_only() {
        let task = r#"{"title": 5, "notes": [1, {"x": null}], "milestone": {"id": "M-02"},
            "implementationPlan": {"filename": "M02-v1-a.md", "phase": "Phase 1"}}"#;
        let details = task_details(task, true).unwrap();
        assert_eq!(&*details.milestone.unwrap().value, "M-02");
        assert_eq!(details.plan.as_deref(), Some("M02-v1-a.md"));
        assert_eq!(&*details.phase.unwrap().value, "Phase 1");
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

    /// What each file's `serde_json::Value` says, as plancheck read every project file into
    /// one before: the reference the readers above are held to.
    mod tree {
        use super::*;

        /// A task file's keys.
        pub fn task(text: &str) -> Result<String, Problem> {
            #[derive(serde::Deserialize)]
            struct Task {
                #[serde(default)]
                milestone: Option<Value>,
                #[serde(default, rename = "milestoneId")]
                milestone_id: Option<Value>,
                #[serde(default, rename = "implementationPlan")]
                implementation_plan: Option<Value>,
                #[serde(default, rename = "implementationPlanId")]
                implementation_plan_id: Option<Value>,
            }
            let task = parse_object::<Task>(text, "a task file")?;
            fn string<'v>(value: &'v Option<Value>, path: &[&str]) -> Option<&'v str> {
                value.as_ref().and_then(|v| first_string(v, &[path]))
            }
            let milestone = (string(&task.milestone, &["id"]).map(|v| (v, "id")))
                .or(string(&task.milestone, &["milestoneId"]).map(|v| (v, "milestoneId")))
                .or(string(&task.milestone_id, &[]).map(|v| (v, "milestoneId")))
                .or(string(&task.milestone, &[]).map(|v| (v, "milestone")));
            let plan = (string(&task.implementation_plan, &["filename"]))
                .or(string(&task.implementation_plan, &["id"]))
                .or(string(&task.implementation_plan_id, &[]));
            let phase = string(&task.implementation_plan, &["phase"]);
            Ok(format!("{milestone:?} {plan:?} {phase:?}"))
        }

        /// The flow ids an object defines: its own `flowId` and those of its `flows[]`.
        fn flow_ids(value: &Value) -> impl Iterator<Item = String> + '_ {
            let nested = (value.get("flows").and_then(Value::as_array))
                .into_iter()
                .flatten();
            std::iter::once(value)
                .chain(nested)
                .filter_map(|v| v.get("flowId").and_then(Value::as_str))
                .map(String::from)
        }

        pub fn flow_file(text: &str) -> Result<Vec<String>, Problem> {
            parse_json::<Value>(text).map(|value| flow_ids(&value).collect())
        }

        pub fn flow_index(text: &str) -> Result<Option<BTreeSet<String>>, Problem> {
            let value = parse_json::<Value>(text)?;
            Ok(match value.get("flowFiles") {
                None | Some(Value::Null) => Some(BTreeSet::new()),
                Some(Value::Array(entries)) => Some(entries.iter().flat_map(flow_ids).collect()),
                Some(Value::Object(by_id)) => Some(by_id.keys().cloned().collect()),
                Some(_) => None,
            })
        }

        /// completion-path.json's milestones (each with its flows and plans), or the problem
        /// its reading finds.
        pub fn milestones(text: &str) -> String {
            let list = match parse_object::<CompletionPathJson>(text, "completion-path.json") {
                Ok(document) => document.milestones,
                Err(problem) => return format!("broken: {problem:?}"),
            };
            let Some(list) = list else {
                return String::new();
            };
            let Ok(list) = serde_json::from_str::<Vec<&serde_json::value::RawValue>>(list.get())
            else {
                return "shape: not a list".to_string();
            };
            let mut read = Vec::new();
            for entry in list {
                let entry: Value = serde_json::from_str(entry.get()).unwrap_or_default();
                let Some(id) = entry.get("id").and_then(Value::as_str) else {
                    return "shape: a milestone without an id".to_string();
                };
                let flows: Vec<&str> = (entry.get("requiredFlows").and_then(Value::as_array))
                    .into_iter()
                    .flatten()
                    .filter_map(|f| f.get("flowId").and_then(Value::as_str).or(f.as_str()))
                    .collect();
                let plans: Vec<String> =
                    (entry.get("implementationPlans").and_then(Value::as_array))
                        .into_iter()
                        .flatten()
                        .filter_map(|plan| {
                            let filename = plan.get("filename").and_then(Value::as_str)?;
                            let status = plan.get("status").and_then(Value::as_str);
                            Some(format!("{filename}:{}", status.unwrap_or_default()))
                        })
                        .collect();
                read.push(format!("{id} {flows:?} {plans:?}"));
            }
            read.join("\n")
        }
    }

    fn task_by_reader(text: &str) -> Result<String, Problem> {
        let keys = task_keys(text)?;
        let milestone = keys.milestone.as_ref().map(|(v, key)| (v.as_ref(), *key));
        Ok(format!(
            "{milestone:?} {:?} {:?}",
            keys.plan.as_deref(),
            keys.phase.as_deref()
        ))
    }

    fn flow_file_by_reader(text: &str) -> Result<Vec<String>, Problem> {
        let Loose(FlowIds(ids)) = parse_json(text)?;
        Ok(ids.into_iter().map(Cow::into_owned).collect())
    }

    fn flow_index_by_reader(text: &str) -> Result<Option<BTreeSet<String>>, Problem> {
        let Loose(IndexedFlowIds(ids)) = parse_json(text)?;
        Ok(ids.map(|ids| ids.into_iter().map(Cow::into_owned).collect()))
    }

    /// completion-path.json as the loader reads it, said as [`tree::milestones`] says it.
    fn milestones_by_reader(text: &str) -> String {
        let mut loader = Loader {
            project: Project::default(),
        };
        let source = SourceFile::new("completion-path.json".to_string(), text.to_string());
        loader.read_milestones(source, Ok(()));
        let project = loader.project;
        if let Some(problem) = project.problems.first() {
            return match problem.message.as_str() {
                m if m.ends_with("a list of milestones") => "shape: not a list".to_string(),
                m if m.ends_with("an object with an `id`") => {
                    "shape: a milestone without an id".to_string()
                }
                m => format!("broken: {:?}", (problem.span, m)),
            };
        }
        let Some(milestones) = project.milestones else {
            return String::new();
        };
        let read: Vec<String> = milestones
            .iter()
            .map(|m| {
                let flows: Vec<&str> = m.required_flows().map(|f| f.id).collect();
                let plans: Vec<String> = m
                    .plans()
                    .map(|p| format!("{}:{}", p.filename, p.status))
                    .collect();
                format!("{} {flows:?} {plans:?}", m.id)
            })
            .collect();
        read.join("\n")
    }

    #[test]
    fn a_task_file_is_read_as_its_tree_says() {
        for text in [
            r#"{"milestone": {"id": "M-02", "milestoneId": "M2"}, "implementationPlan": {"filename": "M02-v1-a.md", "id": "x", "phase": "Phase 1"}}"#,
            r#"{"milestone": {"milestoneId": "M2"}, "milestoneId": "M3", "implementationPlanId": "M02-v1-a"}"#,
            r#"{"milestone": "M-04", "implementationPlan": "M04-v1-a.md", "implementationPlanId": "M04-v1-b"}"#,
            r#"{"milestone": {"id": "M-01", "id": 5}, "implementationPlan": {"phase": 1, "phase": "Phase 2"}}"#,
            r#"{"title": "with \"quotes\" and \u00e9", "notes": [1, -2.5e3, {"x": null}], "milestone": null}"#,
            r#"{"milestone": "M-01", "milestone": "M-02"}"#,
            r#"{"milestone": "M\u002d01"}"#,
            r#"{"mile\u0073tone": "M-01"}"#,
            r#"{"milestone": {"id": "M-01", "n": 1e400}}"#,
            r#"{"notes": 1e400, "milestone": "M-01"}"#,
            r#"{"milestone": {"id": "M-01", "x": "\ud800"}}"#,
            r#"{"title": "\ud83d\ude00", "milestone": "M-01"}"#,
            r#"{"milestone": "M-01",}"#,
            r#"{"milestone": "M-01"} x"#,
            r#"[{"milestone": "M-01"}]"#,
            "\u{FEFF}{}",
            "\u{a0}{}",
            "",
        ] {
            assert_eq!(task_by_reader(text), tree::task(text), "{text}");
        }
        let (span, message) =
            task_keys(r#"{"milestone": "M-01", "milestone": "M-02"}"#).unwrap_err();
        assert_eq!(message, "invalid JSON: duplicate field `milestone`");
        assert_eq!(span, Some(Span::new(32, 33)));
        let keys = task_keys(
            r#"{"milestone": {"id": "M-01", "id": 5}, "implementationPlan": {"phase": "Phase 2"}}"#,
        );
        let keys = keys.unwrap();
        assert_eq!(
            keys.milestone, None,
            "the later `id` counts, and is no string"
        );
        assert_eq!(keys.phase.as_deref(), Some("Phase 2"));
    }

    #[test]
    fn completion_path_is_read_as_its_tree_says() {
        for text in [
            r#"{"milestones": [{"id": "M-01", "requiredFlows": [{"flowId": "a-flow"}, "b-flow", 3, {"flowId": 4}],
                "implementationPlans": [{"filename": "M01-v1-a.md", "status": "active"}, "x", {"status": "done"}]},
               {"id": "M-02", "id": "M-03", "requiredFlows": {"flowId": "c-flow"}, "implementationPlans": null,
                "notes": ["\u00e9", 1e5, {"id": "M-03"}]}], "steps": [1, 2]}"#,
            r#"{"milestones": [{"id": "M-01", "requiredFlows": [{"flowId": "a", "flowId": "b"}]}]}"#,
            r#"{"milestones": []}"#,
            r#"{"milestones": null, "completionObjective": "x"}"#,
            r#"{}"#,
            r#"{"milestones": [{"id": "M-01"}, 5]}"#,
            r#"{"milestones": [{"title": "no id"}]}"#,
            r#"{"milestones": [{"id": 1}]}"#,
            r#"{"milestones": {"id": "M-01"}}"#,
            r#"{"milestones": "M-01"}"#,
            r#"{"milestones": "\ud800"}"#,
            r#"{"milestones": [], "milestones": []}"#,
            r#"{"milestones": [{"id": "M\u002d01"}]}"#,
            r#"{"milestones": [{"id": "M-01", "x": 1e400}]}"#,
            r#"{"milestones": [{"id": "M-01", "x": "\ud800"}, {"id": "M-02"}]}"#,
            r#"{"milestones": [{"id": "M-01"}],}"#,
            r#"{"steps": [1e400], "milestones": [{"id": "M-01"}]}"#,
            r#"[{"id": "M-01"}]"#,
            "",
        ] {
            assert_eq!(milestones_by_reader(text), tree::milestones(text), "{text}");
        }
    }

    #[test]
    fn a_flow_file_is_read_as_its_tree_says() {
        for text in [
            r#"{"flowId": "a-flow", "flows": [{"flowId": "b-flow"}, "c", {"flowId": 1}, {"x": 2}]}"#,
            r#"{"flows": [{"flowId": "a", "flowId": "b"}], "flows": [{"flowId": "c"}], "flowId": 3}"#,
            r#"{"flows": {"flowId": "a"}, "steps": [1.5, "\n"]}"#,
            r#"{"flows": [{"flowId": "a"}], "flows": null}"#,
            r#"[{"flowId": "a"}]"#,
            r#"{"flowId": "a\u002db"}"#,
            r#"{"flowId": "a", "n": 1e400}"#,
            r#"{"flowId": "a",}"#,
            "{}",
        ] {
            assert_eq!(flow_file_by_reader(text), tree::flow_file(text), "{text}");
        }
    }

    #[test]
    fn a_flow_index_is_read_as_its_tree_says() {
        for text in [
            r#"{"flowFiles": [{"filename": "a-flow.json", "flows": [{"flowId": "a"}, 3, {"flowId": "b", "flowId": "c"}]},
                {"flowId": "d", "filePath": "d-flow.json"}, "e", {"flows": "f"}, {"flowId": 1}]}"#,
            r#"{"flowFiles": {"a": {"file": "a-flow.json"}, "b": 2, "a": null}}"#,
            r#"{"flowFiles": [{"flowId": "a"}], "flowFiles": null}"#,
            r#"{"version": 2}"#,
            r#"{"flowFiles": "a"}"#,
            r#"{"flowFiles": 3}"#,
            r#"[{"flowId": "a"}]"#,
            r#"{"flowFiles": {"a\u0062": 1}}"#,
            r#"{"flowFiles": [{"flowId": "a"}],}"#,
            "{}",
        ] {
            assert_eq!(flow_index_by_reader(text), tree::flow_index(text), "{text}");
        }
    }

    #[test]
    fn names_sort_by_their_keys_as_by_their_bytes() {
        let mut names: Vec<OsString> = [
            "TASK-20200101T000100.json",
            "TASK-20200101T000100-a.json",
            "TASK-20200101T0001.json",
            "TASK-20200101T00",
            "TASK-20200101T00\u{0}",
            "a.json",
            "a-b.json",
            "",
            "\u{e9}.json",
            "SQ-20200101T000000-001.json",
            "SQ-20200101T000000-002.json",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        let mut keyed: Vec<(u128, OsString)> =
            names.iter().map(|n| (sort_key(n), n.clone())).collect();
        keyed.sort_unstable();
        names.sort_unstable();
        let keyed: Vec<OsString> = keyed.into_iter().map(|(_, name)| name).collect();
        assert_eq!(keyed, names);
    }

    /// Every JSON file of the fixtures, read as each kind of project file, reads as its tree
    /// says.
    #[test]
    fn every_fixture_file_reads_as_its_tree_says() {
        let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
        let mut read = 0;
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "json") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let shown = path.display();
                assert_eq!(task_by_reader(&text), tree::task(&text), "{shown}");
                assert_eq!(
                    milestones_by_reader(&text),
                    tree::milestones(&text),
                    "{shown}"
                );
                assert_eq!(
                    flow_file_by_reader(&text),
                    tree::flow_file(&text),
                    "{shown}"
                );
                assert_eq!(
                    flow_index_by_reader(&text),
                    tree::flow_index(&text),
                    "{shown}"
                );
                read += 1;
            }
        }
        assert!(read > 100, "{read} files");
    }

    mod properties {
        use super::*;
        use crate::project::json_texts::{
            list, read_of_a_thousand, shaped, slipped, string, tidy_value, value,
        };
        use proptest::prelude::*;

        /// Texts in the shape of completion-path.json, with values of other shapes here and
        /// there, and broken now and then.
        fn completion_path_text() -> impl Strategy<Value = String> {
            const WORDS: &[&str] = &["M-01", "M-02", "a-flow", "M01-v1-a.md", "active", "id"];
            let flow = prop_oneof![
                2 => string(WORDS),
                2 => shaped(&["flowId", "x"], string(WORDS)),
                1 => tidy_value(WORDS),
                1 => value(WORDS),
            ];
            let plan = prop_oneof![
                6 => shaped(&["filename", "status", "x"], string(WORDS)),
                1 => tidy_value(WORDS),
                1 => value(WORDS),
            ];
            let field = prop_oneof![
                4 => string(WORDS),
                3 => list(flow),
                3 => list(plan),
                2 => tidy_value(WORDS),
                1 => value(WORDS),
            ];
            let other = shaped(
                &["requiredFlows", "implementationPlans", "title"],
                field.clone(),
            );
            let milestone = prop_oneof![
                6 => (string(WORDS), other).prop_map(|(id, other)| match other.strip_prefix("{}") {
                    Some(_) => format!("{{\"id\": {id}}}"),
                    None => format!("{{\"id\": {id}, {}", &other[1..]),
                }),
                1 => shaped(&["id", "requiredFlows", "implementationPlans"], field),
                1 => tidy_value(WORDS),
            ];
            let document = prop_oneof![
                4 => list(milestone.clone()).prop_map(|list| format!("{{\"milestones\": {list}}}")),
                1 => shaped(&["milestones", "completionObjective"], list(milestone)),
                1 => shaped(&["milestones", "completionObjective"], value(WORDS)),
            ];
            slipped(document)
        }

        /// Texts in the shape of a task file, now and then of others, and broken now and then.
        fn task_text() -> impl Strategy<Value = String> {
            const WORDS: &[&str] = &["M-01", "M01-v1-a.md", "Phase 1", "id", "milestone"];
            let below = prop_oneof![
                4 => string(WORDS),
                2 => tidy_value(WORDS),
                1 => value(WORDS),
            ];
            let nested = shaped(
                &["id", "milestoneId", "filename", "phase", "x"],
                below.clone(),
            );
            let field = prop_oneof![
                4 => string(WORDS),
                4 => nested,
                2 => tidy_value(WORDS),
                1 => value(WORDS),
            ];
            let keys = &[
                "milestone",
                "milestoneId",
                "implementationPlan",
                "implementationPlanId",
                "title",
                "notes",
                "status",
                "taskId",
                "x",
                "y",
            ];
            slipped(shaped(keys, field))
        }

        /// Texts in the shape of a flow file, with values of other shapes here and there.
        fn flow_text() -> impl Strategy<Value = String> {
            const WORDS: &[&str] = &["a-flow", "b-flow", "flowId", "flows"];
            let flow = prop_oneof![
                4 => shaped(&["flowId", "flowId", "name"], string(WORDS)),
                1 => tidy_value(WORDS),
                1 => value(WORDS),
            ];
            let field = prop_oneof![
                3 => string(WORDS),
                3 => list(flow),
                1 => tidy_value(WORDS),
                1 => value(WORDS),
            ];
            slipped(shaped(&["flowId", "flows", "flows", "steps"], field))
        }

        /// Texts in the shape of flow-index.json, in each of its shapes.
        fn flow_index_text() -> impl Strategy<Value = String> {
            const WORDS: &[&str] = &["a-flow", "b-flow", "a-flow.json"];
            let flow = prop_oneof![
                4 => shaped(&["flowId", "flowId", "name"], string(WORDS)),
                1 => tidy_value(WORDS),
                1 => value(WORDS),
            ];
            let entry = prop_oneof![
                4 => shaped(&["flowId", "filename", "flows", "flows"], prop_oneof![
                    3 => string(WORDS),
                    3 => list(flow),
                    1 => tidy_value(WORDS),
                ]),
                1 => value(WORDS),
            ];
            let files = prop_oneof![
                3 => list(entry),
                2 => shaped(&["a-flow", "b-flow", "c-flow"], tidy_value(WORDS)),
                1 => value(WORDS),
            ];
            slipped(shaped(&["flowFiles", "flowFiles", "version"], files))
        }

        /// The texts are near enough to project files that most name something.
        #[test]
        fn the_texts_name_something_now_and_then() {
            let named = |ids: &[String]| (!ids.is_empty()).then_some(());
            let tasks = read_of_a_thousand(task_text(), |text| {
                (task_keys(text).ok()).and_then(|keys| (keys != TaskKeys::default()).then_some(()))
            });
            let flows = read_of_a_thousand(flow_text(), |text| {
                flow_file_by_reader(text).ok().and_then(|ids| named(&ids))
            });
            let indexed = read_of_a_thousand(flow_index_text(), |text| {
                flow_index_by_reader(text)
                    .ok()
                    .flatten()
                    .filter(|ids| !ids.is_empty())
            });
            let milestones = read_of_a_thousand(completion_path_text(), |text| {
                let read = milestones_by_reader(text);
                (!read.is_empty() && !read.starts_with("shape") && !read.starts_with("broken"))
                    .then_some(())
            });
            for (kind, count) in [
                ("tasks", tasks),
                ("flow files", flows),
                ("flow indexes", indexed),
                ("milestone lists", milestones),
            ] {
                assert!(count >= 50, "{count} of 1000 {kind} name something");
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]

            #[test]
            fn completion_path_reads_as_its_tree_says(text in completion_path_text()) {
                prop_assert_eq!(milestones_by_reader(&text), tree::milestones(&text));
            }

            #[test]
            fn a_flow_index_reads_as_its_tree_says(text in flow_index_text()) {
                prop_assert_eq!(flow_index_by_reader(&text), tree::flow_index(&text));
            }

            #[test]
            fn a_flow_file_reads_as_its_tree_says(text in flow_text()) {
                prop_assert_eq!(flow_file_by_reader(&text), tree::flow_file(&text));
            }

            #[test]
            fn a_task_file_reads_as_its_tree_says(text in task_text()) {
                prop_assert_eq!(task_by_reader(&text), tree::task(&text));
            }
        }
    }

    #[test]
    fn a_fresh_project_lists_nothing() {
        let project = fixture("fresh");
        assert!(project.problems.is_empty(), "{:?}", project.problems);
        assert!(project.milestones.is_none(), "`milestones: []` lists none");
        assert_eq!(project.flows.as_ref().map(BTreeSet::len), Some(0));
        assert_eq!(project.themes.as_ref().map(BTreeSet::len), Some(0));
        assert!(project.tasks.as_ref().is_some_and(Tasks::is_empty));
    }

    #[test]
    fn broken_json_is_one_problem_at_the_error_and_its_kind_is_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("Themes")).unwrap();
        std::fs::write(
            root.join("Themes/themes.json"),
            "{\n  \"themes\": {\n    \"a\": {},\n  }\n}",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("ProjectFlow")).unwrap();
        std::fs::write(
            root.join("ProjectFlow/flow-index.json"),
            "{\"flowFiles\": 3}",
        )
        .unwrap();
        let project = load(root, Path::new("p"), &RunPlans::default(), &[]);
        assert_eq!(project.problems.len(), 2, "{:?}", project.problems);
        let themes = &project
            .problems
            .iter()
            .find(|p| project.files[p.file].path.ends_with("themes.json"))
            .unwrap();
        let file = project.files[themes.file].source();
        let at = file.line_column(themes.span.unwrap().start);
        assert_eq!((at.line, at.column), (4, 3), "{}", themes.message);
        assert!(project.themes.is_none() && project.flows.is_none());
        assert!(project.broken.contains(&"themes") && project.broken.contains(&"flows"));
    }

    #[test]
    fn an_index_of_another_kind_says_what_it_holds() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("Themes")).unwrap();
        std::fs::create_dir_all(root.join("Tasks")).unwrap();
        std::fs::write(root.join("Themes/themes.json"), " [\"a\", \"b\"]").unwrap();
        std::fs::write(root.join("Tasks/completion-path.json"), "\"x\"").unwrap();
        let project = load(root, Path::new("p"), &RunPlans::default(), &[]);
        let mut messages: Vec<&str> = project
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        messages.sort_unstable();
        assert_eq!(
            messages,
            [
                "completion-path.json holds a string, where a JSON object belongs",
                "themes.json holds a list, where a JSON object belongs",
            ]
        );
    }
}
