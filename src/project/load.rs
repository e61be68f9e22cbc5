//! Reads a management folder's project files into a [`Project`]. A file that cannot be read,
//! is not JSON, or has none of the accepted shapes becomes a [`FileProblem`], and what
//! needed it is left unknown rather than guessed.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::MapAccess;
use serde_json::Value;

use super::json::{find_string, find_string_value, offset_of, ValueFinder};
use super::loose::{self, Loose, Shape};
use super::scan::Scan;
use super::{
    plan_stem, FileProblem, Located, Milestones, PlanFacts, Project, ProjectFile, RunPlans, Task,
    TaskDetails, Tasks, TASK_FOLDERS,
};
use crate::rules::metadata::milestone_number;
use crate::source::{SourceFile, Span};

/// Loads the project at `root`; `shown_root` is how its paths are reported. The plans in
/// `checked` are left for the caller to add from its own check.
pub fn load(root: &Path, shown_root: &Path, checked: &RunPlans) -> Project {
    let empty = || Project {
        root: root.to_path_buf(),
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
    // The other plans (only a run of some of the plans has any) come after: scanned beside
    // the rest, their heads' buffers and the other files' interleave, and a 100,000-plan
    // project's one-plan check peaks 40 MB higher.
    let ((milestones, tasks), (flows, themes)) = rayon::join(
        || rayon::join(|| part(&Loader::completion_path), || part(&Loader::tasks)),
        || rayon::join(|| part(&Loader::flows), || part(&Loader::themes)),
    );
    let plans = part(&|loader| loader.plans(checked));
    let mut project = empty();
    for part in [tasks, milestones, flows, themes, plans] {
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

/// The names of a folder's `*.json` files, sorted; none when it does not exist. Names, not
/// paths: a path joined for each of twenty thousand entries costs more than its name, and
/// those of one folder sort by their names alone.
fn json_files(folder: &Path) -> Vec<OsString> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut names: Vec<(u128, OsString)> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            // The entry's own type costs no system call; only a link is followed.
            e.file_type()
                .is_ok_and(|t| t.is_file() || (t.is_symlink() && e.path().is_file()))
        })
        .map(|e| e.file_name())
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
        .map(|s| s.to_string_lossy().into_owned())
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
/// entries and flow files share this shape.
fn flow_ids(value: &Value) -> impl Iterator<Item = String> + '_ {
    let nested = value
        .get("flows")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    std::iter::once(value)
        .chain(nested)
        .filter_map(|v| v.get("flowId").and_then(Value::as_str))
        .map(String::from)
}

/// The flow ids a flow file defines, as [`flow_ids`] reads them of its JSON, read by a
/// [`Scan`] (`None` where it gives up, and on a file that holds no object).
fn scan_flow_file(text: &str) -> Option<Vec<&str>> {
    let mut scan = Scan::new(text);
    let mut own = None;
    let mut nested = Vec::new();
    scan.object(|scan, key| {
        // Of a key given twice the later counts, as in a `serde_json::Value`.
        match key {
            "flowId" => own = scan.string_or_skip()?,
            "flows" => nested = nested_flow_ids(scan)?,
            _ => scan.skip()?,
        }
        Some(())
    })?;
    scan.end()?;
    Some(own.into_iter().chain(nested).collect())
}

/// The flow ids flow-index.json's JSON lists: none when it has no `flowFiles` or a `null`
/// one, those of each entry of a list, or the keys of an object; `None` for a `flowFiles`
/// of another shape.
fn index_flow_ids(value: &Value) -> Option<Vec<String>> {
    match value.get("flowFiles") {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::Array(entries)) => Some(entries.iter().flat_map(flow_ids).collect()),
        Some(Value::Object(by_id)) => Some(by_id.keys().cloned().collect()),
        Some(_) => None,
    }
}

/// The flow ids flow-index.json lists, as [`index_flow_ids`] reads them of its JSON, read by
/// a [`Scan`]: none when it has no `flowFiles` or a `null` one, those of each entry of a
/// list (as [`flow_ids`] reads them), or the keys of an object. `None` where the scan gives
/// up, and on an index that holds no object or a `flowFiles` of another shape (which
/// serde_json's reading reports).
fn scan_flow_index(text: &str) -> Option<Vec<&str>> {
    let mut scan = Scan::new(text);
    let mut listed = Vec::new();
    scan.object(|scan, key| {
        if key != "flowFiles" {
            return scan.skip();
        }
        // Of a key given twice the later counts, as in a `serde_json::Value`.
        listed.clear();
        match scan.peek()? {
            b'n' => scan.skip(),
            b'[' => scan.array(|scan| {
                if scan.peek()? != b'{' {
                    return scan.skip();
                }
                let (mut own, mut nested) = (None, Vec::new());
                scan.object(|scan, key| {
                    match key {
                        "flowId" => own = scan.string_or_skip()?,
                        "flows" => nested = nested_flow_ids(scan)?,
                        _ => scan.skip()?,
                    }
                    Some(())
                })?;
                listed.extend(own);
                listed.append(&mut nested);
                Some(())
            }),
            b'{' => scan.object(|scan, key| {
                listed.push(key);
                scan.skip()
            }),
            _ => None,
        }
    })?;
    scan.end()?;
    Some(listed)
}

/// The ids of a `flows` list's objects (none for a value of another shape).
fn nested_flow_ids<'a>(scan: &mut Scan<'a>) -> Option<Vec<&'a str>> {
    let mut nested = Vec::new();
    if scan.peek()? != b'[' {
        scan.skip()?;
        return Some(nested);
    }
    scan.array(|scan| {
        if scan.peek()? != b'{' {
            return scan.skip();
        }
        let mut id = None;
        scan.object(|scan, key| {
            if key != "flowId" {
                return scan.skip();
            }
            id = scan.string_or_skip()?;
            Some(())
        })?;
        nested.extend(id);
        Some(())
    })?;
    Some(nested)
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

/// A project file's text, and why it has none when it could not be read whole.
fn read_text(path: &Path, shown: String) -> (SourceFile, Result<(), Problem>) {
    match std::fs::read(path) {
        Err(error) => {
            let problem = (None, format!("cannot read the file: {error}"));
            (SourceFile::new(shown, String::new()), Err(problem))
        }
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => (SourceFile::new(shown, text), Ok(())),
            Err(error) => {
                let at = error.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
                let span = Span::new(at, at + '\u{FFFD}'.len_utf8());
                let problem = (Some(span), "the file is not valid UTF-8".to_string());
                (SourceFile::new(shown, lossy), Err(problem))
            }
        },
    }
}

/// A project file's text read into `buffer`, whose room is kept from file to file; or, when
/// it could not be read whole, what there is of it (unnamed) and why, as [`read_text`] says.
fn read_into<'b>(path: &Path, buffer: &'b mut Vec<u8>) -> Result<&'b str, Broken> {
    use std::io::Read;
    buffer.clear();
    let read = std::fs::File::open(path).and_then(|mut file| file.read_to_end(buffer));
    if let Err(error) = read {
        let problem = (None, format!("cannot read the file: {error}"));
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
/// notes) is skipped without being built, which is most of the cost of 20,000 task files.
#[derive(Debug, serde::Deserialize)]
struct TaskJson {
    #[serde(default)]
    milestone: Option<Value>,
    #[serde(default, rename = "milestoneId")]
    milestone_id: Option<Value>,
    #[serde(default, rename = "implementationPlan")]
    implementation_plan: Option<Value>,
    #[serde(default, rename = "implementationPlanId")]
    implementation_plan_id: Option<Value>,
}

impl TaskJson {
    fn key(&self, name: &str) -> Option<&Value> {
        match name {
            "milestone" => self.milestone.as_ref(),
            "milestoneId" => self.milestone_id.as_ref(),
            "implementationPlan" => self.implementation_plan.as_ref(),
            "implementationPlanId" => self.implementation_plan_id.as_ref(),
            _ => None,
        }
    }

    /// The first string found at any of `paths`, each a list of keys from the file's top.
    fn first_string(&self, paths: &[&[&str]]) -> Option<&str> {
        paths.iter().find_map(|path| {
            let (top, below) = path.split_first()?;
            first_string(self.key(top)?, &[below])
        })
    }

    fn keys(&self) -> TaskKeys<'_> {
        let milestone = [
            (&["milestone", "id"][..], "id"),
            (&["milestone", "milestoneId"][..], "milestoneId"),
            (&["milestoneId"][..], "milestoneId"),
            (&["milestone"][..], "milestone"),
        ]
        .iter()
        .find_map(|(path, key)| self.first_string(&[path]).map(|v| (v, *key)));
        TaskKeys {
            milestone,
            plan: self.first_string(&[
                &["implementationPlan", "filename"],
                &["implementationPlan", "id"],
                &["implementationPlanId"],
            ]),
            phase: self.first_string(&[&["implementationPlan", "phase"]]),
        }
    }
}

/// What a task file names: its milestone (with the key it stands under, to find its place
/// by), its plan and its phase.
#[derive(Debug, Default, PartialEq)]
struct TaskKeys<'a> {
    milestone: Option<(&'a str, &'static str)>,
    plan: Option<&'a str>,
    phase: Option<&'a str>,
}

/// The keys of [`TaskJson`], in its order.
const TASK_KEYS: [&str; 4] = [
    "milestone",
    "milestoneId",
    "implementationPlan",
    "implementationPlanId",
];

/// A task file's keys read by a [`Scan`], without building its values (`None` where the scan
/// gives up): what [`TaskJson::keys`] reads of them.
fn scan_task(text: &str) -> Option<TaskKeys<'_>> {
    /// What one of the four keys holds, as far as the paths below it go.
    #[derive(Default)]
    struct Held<'a> {
        string: Option<&'a str>,
        id: Option<&'a str>,
        milestone_id: Option<&'a str>,
        filename: Option<&'a str>,
        phase: Option<&'a str>,
    }
    fn held<'a>(scan: &mut Scan<'a>) -> Option<Held<'a>> {
        let mut held = Held::default();
        match scan.peek()? {
            b'"' => held.string = Some(scan.string()?),
            b'{' => scan.object(|scan, key| {
                let slot = match key {
                    "id" => &mut held.id,
                    "milestoneId" => &mut held.milestone_id,
                    "filename" => &mut held.filename,
                    "phase" => &mut held.phase,
                    _ => return scan.skip(),
                };
                // Of a key given twice the later counts, as in a `serde_json::Value`.
                *slot = scan.string_or_skip()?;
                Some(())
            })?,
            _ => scan.skip()?,
        }
        Some(held)
    }
    let mut scan = Scan::new(text);
    let mut found: [Option<Held>; 4] = Default::default();
    scan.object(|scan, key| {
        let Some(at) = TASK_KEYS.iter().position(|k| *k == key) else {
            return scan.skip();
        };
        // serde's derive rejects a key given twice: serde_json says where.
        if found[at].is_some() {
            return None;
        }
        found[at] = Some(held(scan)?);
        Some(())
    })?;
    scan.end()?;
    let [milestone, milestone_id, plan, plan_id] = found.map(Option::unwrap_or_default);
    let milestone = (milestone.id.map(|v| (v, "id")))
        .or(milestone.milestone_id.map(|v| (v, "milestoneId")))
        .or(milestone_id.string.map(|v| (v, "milestoneId")))
        .or(milestone.string.map(|v| (v, "milestone")));
    Some(TaskKeys {
        milestone,
        plan: plan.filename.or(plan.id).or(plan_id.string),
        phase: plan.phase,
    })
}

/// What a task file names, handed to `take`, or why it names nothing.
fn with_task_keys<R>(text: &str, take: impl FnOnce(TaskKeys<'_>) -> R) -> Result<R, Problem> {
    if let Some(keys) = scan_task(text) {
        return Ok(take(keys));
    }
    Ok(take(parse_task(text)?.keys()))
}

/// A task file's object, or why it is none.
fn parse_task(text: &str) -> Result<TaskJson, Problem> {
    parse_object::<TaskJson>(text, "a task file")
}

/// The object a project file holds, as `T`; `what` names the file in the problem when it
/// holds something else.
fn parse_object<'a, T: serde::Deserialize<'a>>(text: &'a str, what: &str) -> Result<T, Problem> {
    let body = text.trim_start_matches('\u{FEFF}').trim_start();
    if body.starts_with('{') {
        return parse_json::<T>(text);
    }
    // Not an object: say what is wrong with it as JSON, if anything, first.
    parse_json::<serde::de::IgnoredAny>(text)?;
    Err((Some(Span::empty(0)), format!("{what} holds a JSON object")))
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
        loose::entries(object, |key, object| {
            if key != "flowId" {
                return Ok(false);
            }
            id = loose::value(object)?;
            Ok(true)
        })?;
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
        loose::entries(object, |key, object| {
            match key {
                "filename" => plan.filename = loose::value(object)?,
                "status" => plan.status = loose::value(object)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
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

/// completion-path.json's milestones read by a [`Scan`], each handed to `take` as it is read:
/// what `CompletionPathJson` and `MilestoneJson` read of them, in one pass instead of three.
/// `None` where the scan gives up, also on a milestone that is no object with an `id` string
/// (what was taken is then to be let go, and serde_json's reading says what is wrong).
fn scan_completion_path<'a>(text: &'a str, mut take: impl FnMut(MilestoneJson<'a>)) -> Option<()> {
    fn list<'a, T>(
        scan: &mut Scan<'a>,
        mut element: impl FnMut(&mut Scan<'a>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let mut read = Vec::new();
        if scan.peek()? != b'[' {
            // Of any other shape, `Loose` reads an empty list.
            scan.skip()?;
            return Some(read);
        }
        scan.array(|scan| {
            read.push(element(scan)?);
            Some(())
        })?;
        Some(read)
    }
    fn required_flow<'a>(scan: &mut Scan<'a>) -> Option<RequiredFlowJson<'a>> {
        let mut id = None;
        match scan.peek()? {
            b'"' => id = Some(scan.string()?),
            b'{' => scan.object(|scan, key| {
                if key != "flowId" {
                    return scan.skip();
                }
                // Of a key given twice the later counts, as in `loose::entries`.
                id = scan.string_or_skip()?;
                Some(())
            })?,
            _ => scan.skip()?,
        }
        Some(RequiredFlowJson(id.map(Cow::Borrowed)))
    }
    fn listed_plan<'a>(scan: &mut Scan<'a>) -> Option<Option<ListedPlanJson<'a>>> {
        if scan.peek()? != b'{' {
            scan.skip()?;
            return Some(None);
        }
        let mut plan = ListedPlanJson::default();
        scan.object(|scan, key| {
            let slot = match key {
                "filename" => &mut plan.filename,
                "status" => &mut plan.status,
                _ => return scan.skip(),
            };
            *slot = scan.string_or_skip()?.map(Cow::Borrowed);
            Some(())
        })?;
        Some(Some(plan))
    }
    fn milestone<'a>(scan: &mut Scan<'a>) -> Option<MilestoneJson<'a>> {
        let mut milestone = MilestoneJson::default();
        scan.object(|scan, key| {
            match key {
                "id" => milestone.id = scan.string_or_skip()?.map(Cow::Borrowed),
                "requiredFlows" => milestone.required_flows = list(scan, required_flow)?,
                "implementationPlans" => milestone.plans = list(scan, listed_plan)?,
                _ => scan.skip()?,
            }
            Some(())
        })?;
        milestone.id.is_some().then_some(milestone)
    }
    let mut scan = Scan::new(text);
    let mut listed = false;
    scan.object(|scan, key| {
        if key != "milestones" {
            return scan.skip();
        }
        // serde's derive rejects a key given twice: serde_json says where.
        if std::mem::replace(&mut listed, true) {
            return None;
        }
        match scan.peek()? {
            // `null` lists none, as the `Option` reads it.
            b'n' => scan.skip(),
            b'[' => scan.array(|scan| {
                take(milestone(scan)?);
                Some(())
            }),
            _ => None,
        }
    })?;
    scan.end()
}

/// What a task file says of its milestone, plan and phase, or why it says nothing; with
/// where each value stands when `spans` (for a finding: loading twenty thousand tasks needs
/// only the values).
pub(super) fn task_details(text: &str, spans: bool) -> Result<TaskDetails, Problem> {
    with_task_keys(text, |keys| {
        let locate = |key: &str, found: &str| Located {
            value: found.into(),
            span: spans
                .then(|| find_string_value(text, key, found, 0))
                .flatten(),
        };
        TaskDetails {
            milestone: keys.milestone.map(|(value, key)| locate(key, value)),
            plan: keys.plan.map(String::from),
            phase: keys.phase.map(|value| locate("phase", value)),
        }
    })
}

impl Loader {
    /// Reads and parses one project file; its text comes back for finding spans in, and is
    /// kept only if the file is broken (recorded, and `None`: nothing usable).
    fn read(&mut self, path: &Path) -> Option<(usize, Value, SourceFile)> {
        let (source, read) = read_text(path, self.shown(path));
        self.parse(source, read)
    }

    /// What [`Loader::read`] does with a file's text once it is read.
    fn parse(
        &mut self,
        source: SourceFile,
        read: Result<(), Problem>,
    ) -> Option<(usize, Value, SourceFile)> {
        let value = read.and_then(|()| parse_json(&source.text));
        let file = self.project.files.len();
        match value {
            Ok(value) => {
                self.project
                    .files
                    .push(ProjectFile::at(source.path.clone()));
                Some((file, value, source))
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
        let read: Vec<Result<T, Broken>> = names
            .par_iter()
            .map_init(
                || (PathBuf::new(), Vec::new()),
                |(path, buffer), name| {
                    let path = join_into(path, folder, name);
                    let read = read_into(path, buffer).and_then(|text| {
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

    /// How a project file's path is reported.
    fn shown(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.project.root).unwrap_or(path);
        self.project.shown_root.join(relative).display().to_string()
    }

    fn problem(&mut self, file: usize, span: Option<Span>, message: String) {
        self.project.problems.push(FileProblem {
            file,
            span,
            message,
        });
    }

    fn shape_problem(&mut self, file: usize, key: &str, expected: &str) {
        let source = self.project.files[file].source();
        let text = &source.text;
        let span = find_string(text, key, 0).or(Some(Span::empty(0)));
        self.problem(
            file,
            span,
            format!("`{key}` has none of the accepted shapes: expected {expected}"),
        );
    }

    fn tasks(&mut self) {
        if !self.project.root.join("Tasks").is_dir() {
            return;
        }
        // A folder at a time: the paths of one folder are held at once, not of all four.
        // Its files are read in parallel pieces, each into a list of its own, joined in order.
        let mut tasks = Tasks::default();
        for (folder, name) in (0u8..).zip(TASK_FOLDERS) {
            let directory = self.project.root.join(name);
            let names = json_files(&directory);
            let (found, broken) = names
                .par_iter()
                .fold(
                    || (Tasks::default(), Vec::new(), Vec::new(), PathBuf::new()),
                    |(mut tasks, mut broken, mut buffer, mut path), name| {
                        let path_now = join_into(&mut path, &directory, name);
                        // Named only if broken: most task files are read for three values.
                        let id = json_stem(name);
                        let read = read_into(path_now, &mut buffer).and_then(|text| {
                            with_task_keys(text, |keys| {
                                tasks.push(Task {
                                    id: &id,
                                    folder,
                                    milestone: (keys.milestone)
                                        .and_then(|(milestone, _)| milestone_number(milestone)),
                                    plan: keys.plan.map(plan_stem),
                                    phase: keys.phase,
                                });
                            })
                            .map_err(|problem| {
                                Box::new((SourceFile::new(String::new(), text.into()), problem))
                            })
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
                        (tasks, broken, buffer, path)
                    },
                )
                .map(|(tasks, broken, _, _)| (tasks, broken))
                .reduce(
                    || (Tasks::default(), Vec::new()),
                    |(mut tasks, mut broken), (later, mut later_broken)| {
                        tasks.append(later);
                        broken.append(&mut later_broken);
                        (tasks, broken)
                    },
                );
            for broken in broken {
                let (source, problem) = *broken;
                self.keep_broken(source, problem);
            }
            tasks.append(found);
        }
        tasks.finish();
        self.project.tasks = Some(tasks);
    }

    fn completion_path(&mut self) {
        let path = self.project.root.join("Tasks/completion-path.json");
        if !path.is_file() {
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
        let (source, read) = read_text(path, self.shown(path));
        self.read_milestones(source, read, true);
    }

    /// Takes in completion-path.json's milestones, scanned if `scan` and the scan does not
    /// give up, else read by serde_json.
    fn read_milestones(&mut self, source: SourceFile, read: Result<(), Problem>, scan: bool) {
        let file = self.project.files.len();
        let text = source.text.as_str();
        let mut milestones = Milestones::default();
        let mut places = Places::default();
        let scanned = scan
            && read.is_ok()
            && scan_completion_path(text, |entry| {
                places.take(&mut milestones, text, &entry);
            })
            .is_some();
        if scanned {
            self.project
                .files
                .push(ProjectFile::at(source.path.clone()));
            self.project.completion_path = Some(file);
            self.keep_milestones(milestones);
            return;
        }
        // The scan gave up: serde_json reads the file, and says what is wrong with it.
        let parsed = read.and_then(|()| {
            parse_object::<CompletionPathJson>(&source.text, "completion-path.json")
        });
        let list = match parsed {
            Ok(document) => {
                self.project
                    .files
                    .push(ProjectFile::at(source.path.clone()));
                document.milestones
            }
            Err(problem) => {
                self.keep_broken(source, problem);
                return;
            }
        };
        self.project.completion_path = Some(file);
        let Some(list) = list else {
            return;
        };
        let Ok(list) = serde_json::from_str::<Vec<&serde_json::value::RawValue>>(list.get()) else {
            self.shape_problem(file, "milestones", "a list of milestones");
            return;
        };
        let mut milestones = Milestones::default();
        let mut places = Places::default();
        let text = source.text.as_str();
        for entry in list {
            let entry = serde_json::from_str::<Loose<Option<MilestoneJson>>>(entry.get());
            let entry = entry
                .ok()
                .and_then(|Loose(entry)| entry)
                .unwrap_or_default();
            if entry.id.is_none() {
                self.shape_problem(file, "milestones", "each milestone an object with an `id`");
                return;
            }
            places.take(&mut milestones, text, &entry);
        }
        self.keep_milestones(milestones);
    }

    fn keep_milestones(&mut self, mut milestones: Milestones) {
        if !milestones.is_empty() {
            milestones.index();
            self.project.milestones = Some(milestones);
        }
    }

    fn flows(&mut self) {
        let folder = self.project.root.join("ProjectFlow");
        if !folder.is_dir() {
            return;
        }
        self.project.has_flow_folder = true;
        // Collected, then made a set at once: a set built from a sorted list costs less than
        // fifteen thousand ids each inserted.
        let mut ids = Vec::new();
        let mut known = false;
        let problems_before = self.project.problems.len();
        let index = folder.join("flow-index.json");
        let mut read_index = None;
        if index.is_file() {
            let (source, read) = read_text(&index, self.shown(&index));
            let scanned = read.is_ok().then(|| scan_flow_index(&source.text));
            match scanned.flatten() {
                Some(listed) => {
                    known = true;
                    ids.extend(listed.into_iter().map(String::from));
                    self.project
                        .files
                        .push(ProjectFile::at(source.path.clone()));
                }
                None => read_index = Some((source, read)),
            }
        }
        if let Some((source, read)) = read_index {
            if let Some((file, value, _)) = self.parse(source, read) {
                match index_flow_ids(&value) {
                    Some(listed) => {
                        known = true;
                        ids.extend(listed);
                    }
                    None => self.shape_problem(
                        file,
                        "flowFiles",
                        "a list of flow files, a list of flows, or an object keyed by flow id",
                    ),
                }
            }
        }
        let mut flow_files = Vec::new();
        let mut names = Vec::new();
        for name in json_files(&folder) {
            let shown = name.to_string_lossy().into_owned();
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
        let defined = self.read_many(&folder, &flow_files, |text| match scan_flow_file(text) {
            Some(ids) => Ok(ids.into_iter().map(String::from).collect::<Vec<_>>()),
            None => parse_json::<Value>(text).map(|value| flow_ids(&value).collect()),
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
        if !folder.is_dir() {
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
        if let Some((file, value, _)) = index.and_then(|index| self.read(&index)) {
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
                Some(_) => self.shape_problem(file, "themes", "an object keyed by theme name"),
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
                    None => self.problem(
                        file,
                        Some(Span::empty(0)),
                        "themes.json holds a JSON object".to_string(),
                    ),
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
    fn plans(&mut self, checked: &RunPlans) {
        let mut stack = vec![self.project.root.join("Implementations")];
        let root = &self.project.root;
        let mut others = Vec::new();
        let mut relative = PathBuf::new();
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            // A folder's place below the root, once: each plan's is its name below it.
            let folder = dir.strip_prefix(root).unwrap_or(&dir);
            for entry in entries.filter_map(Result::ok) {
                let file_name = entry.file_name();
                let name = file_name.to_string_lossy();
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_dir() && !name.starts_with('.') {
                    stack.push(entry.path());
                } else if kind.is_file()
                    && crate::rules::naming::file_name_patterns().is_plan_name(&name)
                {
                    match checked.input(join_into(&mut relative, folder, &file_name)) {
                        Some(input) => self.project.checked_plans.push(input),
                        None => others.push(entry.path()),
                    }
                }
            }
        }
        let shown_root = &self.project.shown_root;
        self.project.plans = others
            .par_iter()
            .filter_map(|path| {
                let text = read_plan_head(path)?;
                let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
                let relative = path.strip_prefix(root).unwrap_or(path);
                let shown = shown_root.join(relative).display().to_string();
                let absolute = crate::rules::project::absolute(path);
                Some(Box::new(PlanFacts::scan(&shown, &absolute, text)))
            })
            .collect();
    }
}

/// A plan up to the end of its `## Metadata` section (all of it when it has none): its title
/// and metadata are what the checks among plans need of a plan this run does not check, so
/// ten thousand other plans are not read to the end.
fn read_plan_head(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut scan = HeadScan::default();
    loop {
        let read = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        head.extend_from_slice(&chunk[..read]);
        if let Some(end) = scan.metadata_end(&head) {
            head.truncate(end);
            break;
        }
    }
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
        while let Some(length) = text[self.line_start..].iter().position(|&b| b == b'\n') {
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
        load(&root, Path::new("projectManagement"), &RunPlans::default())
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
        let project = load(&root, Path::new("projectManagement"), &RunPlans::default());
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
        let (_, message) = parse_task("[1, 2]").unwrap_err();
        assert_eq!(message, "a task file holds a JSON object");
        let (span, message) = parse_task("[1, 2").unwrap_err();
        assert!(message.starts_with("invalid JSON"), "{message}");
        assert!(span.is_some());
        assert!(parse_task("{\"milestone\": 3,}").is_err());
    }

    /// A task's keys as the scan reads them, falling back to serde_json, and as serde_json
    /// alone reads them.
    fn both_ways(text: &str) -> (Result<String, Problem>, Result<String, Problem>) {
        let show = |keys: TaskKeys<'_>| format!("{keys:?}");
        (
            with_task_keys(text, show),
            parse_task(text).map(|task| show(task.keys())),
        )
    }

    #[test]
    fn a_task_file_is_scanned_as_serde_json_reads_it() {
        let scanned = [
            r#"{"milestone": {"id": "M-02", "milestoneId": "M2"}, "implementationPlan": {"filename": "M02-v1-a.md", "id": "x", "phase": "Phase 1"}}"#,
            r#"{"milestone": {"milestoneId": "M2"}, "milestoneId": "M3", "implementationPlanId": "M02-v1-a"}"#,
            r#"{"milestone": "M-04", "implementationPlan": "M04-v1-a.md", "implementationPlanId": "M04-v1-b"}"#,
            r#"{"milestone": {"id": "M-01", "id": 5}, "implementationPlan": {"phase": 1, "phase": "Phase 2"}}"#,
            r#"{"title": "with \"quotes\" and \u00e9", "notes": [1, -2.5e3, {"x": null}], "milestone": null}"#,
            "\u{FEFF}{}",
        ];
        for text in scanned {
            assert!(scan_task(text).is_some(), "{text}");
            let (fast, slow) = both_ways(text);
            assert!(slow.is_ok(), "{text}");
            assert_eq!(fast, slow, "{text}");
        }
        let keys = scan_task(scanned[3]).unwrap();
        assert_eq!(
            keys.milestone, None,
            "the later `id` counts, and is no string"
        );
        assert_eq!(keys.phase, Some("Phase 2"));
        // What the scan gives up on is read by serde_json, which says what is wrong with it.
        let given_up = [
            r#"{"milestone": "M-01", "milestone": "M-02"}"#,
            r#"{"milestone": "M\u002d01"}"#,
            r#"{"mile\u0073tone": "M-01"}"#,
            r#"{"milestone": {"id": "M-01", "n": 1e400}}"#,
            r#"{"title": "\ud83d\ude00", "milestone": "M-01"}"#,
            r#"{"milestone": "M-01",}"#,
            r#"{"milestone": "M-01"} x"#,
            r#"[{"milestone": "M-01"}]"#,
            "\u{a0}{}",
            "",
        ];
        for text in given_up {
            assert!(scan_task(text).is_none(), "{text}");
            let (fast, slow) = both_ways(text);
            assert_eq!(fast, slow, "{text}");
        }
        let (span, message) = with_task_keys(given_up[0], |_| ()).unwrap_err();
        assert_eq!(message, "invalid JSON: duplicate field `milestone`");
        assert_eq!(span, Some(Span::new(32, 33)));
    }

    mod properties {
        use super::*;
        use crate::project::scan::arbitrary::{
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

        #[test]
        fn flow_index_texts_are_scanned_some_of_the_time() {
            let named = read_of_a_thousand(flow_index_text(), |text| {
                scan_flow_index(text)
                    .filter(|ids| !ids.is_empty())
                    .map(|_| ())
            });
            assert!(named >= 100, "{named} of 1000 list flows");
        }

        #[test]
        fn flow_texts_are_scanned_some_of_the_time() {
            let named = read_of_a_thousand(flow_text(), |text| {
                scan_flow_file(text)
                    .filter(|ids| !ids.is_empty())
                    .map(|_| ())
            });
            assert!(named >= 100, "{named} of 1000 define flows");
        }

        #[test]
        fn task_texts_are_scanned_some_of_the_time() {
            let named = read_of_a_thousand(task_text(), |text| {
                scan_task(text)
                    .filter(|keys| *keys != TaskKeys::default())
                    .map(|_| ())
            });
            let scanned = read_of_a_thousand(task_text(), |text| scan_task(text).map(|_| ()));
            assert!((150..850).contains(&scanned), "{scanned} of 1000");
            assert!(named >= 50, "{named} of 1000 name something");
        }

        #[test]
        fn completion_path_texts_are_scanned_some_of_the_time() {
            let scanned = read_of_a_thousand(completion_path_text(), |text| {
                scan_completion_path(text, |_| ())
            });
            let with_milestones = read_of_a_thousand(completion_path_text(), |text| {
                let mut taken = 0;
                scan_completion_path(text, |_| taken += 1)?;
                (taken > 0).then_some(())
            });

            assert!((150..850).contains(&scanned), "{scanned} of 1000");
            assert!(
                with_milestones >= 100,
                "{with_milestones} of 1000 list milestones"
            );
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]

            #[test]
            fn completion_path_reads_the_same_scanned_or_not(text in completion_path_text()) {
                let [fast, slow] = milestones_both_ways(&text);
                prop_assert_eq!(fast, slow);
            }

            #[test]
            fn a_flow_index_reads_the_same_scanned_or_not(text in flow_index_text()) {
                if let Some(fast) = scan_flow_index(&text) {
                    let fast: BTreeSet<String> = fast.into_iter().map(String::from).collect();
                    let slow = parse_json::<Value>(&text).ok().and_then(|value| index_flow_ids(&value));
                    prop_assert_eq!(Some(fast), slow.map(|ids| ids.into_iter().collect()));
                }
            }

            #[test]
            fn a_flow_file_reads_the_same_scanned_or_not(text in flow_text()) {
                let [fast, slow] = flows_both_ways(&text);
                if fast.is_some() {
                    prop_assert_eq!(fast, slow);
                }
            }

            #[test]
            fn a_task_file_reads_the_same_scanned_or_not(text in task_text()) {
                let (fast, slow) = both_ways(&text);
                prop_assert_eq!(fast, slow);
            }
        }
    }

    /// completion-path.json read with the scan, and by serde_json alone: the milestones and
    /// the problems found.
    fn milestones_both_ways(text: &str) -> [String; 2] {
        [true, false].map(|scan| {
            let mut loader = Loader {
                project: Project::default(),
            };
            let source = SourceFile::new("completion-path.json".to_string(), text.to_string());
            loader.read_milestones(source, Ok(()), scan);
            let project = loader.project;
            format!(
                "{:?} {:?} {:?} {:?}",
                project.milestones, project.problems, project.completion_path, project.files
            )
        })
    }

    #[test]
    fn completion_path_is_scanned_as_serde_json_reads_it() {
        let scanned = [
            r#"{"milestones": [{"id": "M-01", "requiredFlows": [{"flowId": "a-flow"}, "b-flow", 3, {"flowId": 4}],
                "implementationPlans": [{"filename": "M01-v1-a.md", "status": "active"}, "x", {"status": "done"}]},
               {"id": "M-02", "id": "M-03", "requiredFlows": {"flowId": "c-flow"}, "implementationPlans": null,
                "notes": ["\u00e9", 1e5, {"id": "M-03"}]}], "steps": [1, 2]}"#,
            r#"{"milestones": [{"id": "M-01", "requiredFlows": [{"flowId": "a", "flowId": "b"}]}]}"#,
            r#"{"milestones": []}"#,
            r#"{"milestones": null, "completionObjective": "x"}"#,
            r#"{}"#,
        ];
        for text in scanned {
            assert!(scan_completion_path(text, |_| ()).is_some(), "{text}");
            let [fast, slow] = milestones_both_ways(text);
            assert_eq!(fast, slow, "{text}");
        }
        let given_up = [
            r#"{"milestones": [{"id": "M-01"}, 5]}"#,
            r#"{"milestones": [{"title": "no id"}]}"#,
            r#"{"milestones": [{"id": 1}]}"#,
            r#"{"milestones": {"id": "M-01"}}"#,
            r#"{"milestones": [], "milestones": []}"#,
            r#"{"milestones": [{"id": "M\u002d01"}]}"#,
            r#"{"milestones": [{"id": "M-01", "x": 1e400}]}"#,
            r#"{"milestones": [{"id": "M-01"}],}"#,
            r#"[{"id": "M-01"}]"#,
            "",
        ];
        for text in given_up {
            assert!(scan_completion_path(text, |_| ()).is_none(), "{text}");
            let [fast, slow] = milestones_both_ways(text);
            assert_eq!(fast, slow, "{text}");
        }
    }

    /// A flow file's ids as the scan reads them, and as serde_json reads them.
    fn flows_both_ways(text: &str) -> [Option<Vec<String>>; 2] {
        let owned = |ids: Vec<&str>| ids.into_iter().map(String::from).collect::<Vec<_>>();
        let slow = parse_json::<Value>(text)
            .ok()
            .map(|value| flow_ids(&value).collect());
        [scan_flow_file(text).map(owned), slow]
    }

    #[test]
    fn a_flow_file_is_scanned_as_serde_json_reads_it() {
        let scanned = [
            r#"{"flowId": "a-flow", "flows": [{"flowId": "b-flow"}, "c", {"flowId": 1}, {"x": 2}]}"#,
            r#"{"flows": [{"flowId": "a", "flowId": "b"}], "flows": [{"flowId": "c"}], "flowId": 3}"#,
            r#"{"flows": {"flowId": "a"}, "steps": [1.5, "\n"]}"#,
            r#"{"flows": [{"flowId": "a"}], "flows": null}"#,
            "{}",
        ];
        for text in scanned {
            let [fast, slow] = flows_both_ways(text);
            assert!(fast.is_some(), "{text}");
            assert_eq!(fast, slow, "{text}");
        }
        for text in [
            r#"[{"flowId": "a"}]"#,
            r#"{"flowId": "a\u002db"}"#,
            r#"{"flowId": "a", "n": 1e400}"#,
            r#"{"flowId": "a",}"#,
        ] {
            assert_eq!(scan_flow_file(text), None, "{text}");
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

    #[test]
    fn a_flow_index_is_scanned_as_serde_json_reads_it() {
        let slow = |text: &str| {
            let value = parse_json::<Value>(text).ok()?;
            index_flow_ids(&value)
        };
        for text in [
            r#"{"flowFiles": [{"filename": "a-flow.json", "flows": [{"flowId": "a"}, 3, {"flowId": "b", "flowId": "c"}]},
                {"flowId": "d", "filePath": "d-flow.json"}, "e", {"flows": "f"}, {"flowId": 1}]}"#,
            r#"{"flowFiles": {"a": {"file": "a-flow.json"}, "b": 2, "a": null}}"#,
            r#"{"flowFiles": [{"flowId": "a"}], "flowFiles": null}"#,
            r#"{"version": 2}"#,
            "{}",
        ] {
            let fast = scan_flow_index(text)
                .map(|ids| ids.into_iter().map(String::from).collect::<Vec<_>>());
            assert!(fast.is_some(), "{text}");
            let as_set =
                |ids: Option<Vec<String>>| ids.map(|ids| ids.into_iter().collect::<BTreeSet<_>>());
            assert_eq!(as_set(fast), as_set(slow(text)), "{text}");
        }
        for text in [
            r#"{"flowFiles": "a"}"#,
            r#"{"flowFiles": 3}"#,
            r#"[{"flowId": "a"}]"#,
            r#"{"flowFiles": {"a\u0062": 1}}"#,
            r#"{"flowFiles": [{"flowId": "a"}],}"#,
        ] {
            assert_eq!(scan_flow_index(text), None, "{text}");
        }
    }

    /// Every JSON file of the fixtures, read as each kind of project file, reads the same
    /// scanned as with serde_json alone.
    #[test]
    fn every_fixture_file_reads_the_same_scanned_or_not() {
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
                let (fast, slow) = both_ways(&text);
                assert_eq!(fast, slow, "{}", path.display());
                let [fast, slow] = milestones_both_ways(&text);
                assert_eq!(fast, slow, "{}", path.display());
                if let [Some(fast), slow] = flows_both_ways(&text) {
                    assert_eq!(Some(fast), slow, "{}", path.display());
                }
                if let Some(fast) = scan_flow_index(&text) {
                    let fast: BTreeSet<&str> = fast.into_iter().collect();
                    let slow = parse_json::<Value>(&text).ok();
                    let slow = slow.as_ref().and_then(index_flow_ids);
                    let slow: Option<BTreeSet<&str>> = slow
                        .as_ref()
                        .map(|ids| ids.iter().map(String::as_str).collect());
                    assert_eq!(Some(fast), slow, "{}", path.display());
                }
                read += 1;
            }
        }
        assert!(read > 100, "{read} files");
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
        let project = load(root, Path::new("p"), &RunPlans::default());
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
}
