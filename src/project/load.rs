//! Reads a management folder's project files into a [`Project`]. A file that cannot be read,
//! is not JSON, or has none of the accepted shapes becomes a [`FileProblem`], and what
//! needed it is left unknown rather than guessed.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::index::StrIndex;
use super::json::{offset_of, top_level_value};
use super::{FileProblem, Project, ProjectFile};
use crate::fs::{FileReader, ReadError, PROJECT_FILE_LIMIT};
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
    project.keep_only_texts_shown();
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
        let (mut flow_sources, mut theme_sources) = (part.flow_sources, part.theme_sources);
        self.flow_sources.append(&mut flow_sources);
        self.theme_sources.append(&mut theme_sources);
        self.plans.extend(part.plans);
        self.checked_plans.extend(part.checked_plans);
        self.checked_plans.sort_unstable();
        self.broken.extend(part.broken);
    }
}

pub(super) struct Loader {
    pub(super) project: Project,
}

/// The names of a folder's `*.json` entries, sorted; none when it does not exist. Whatever
/// each is: one that is no regular file, or leads outside the management folder, is told
/// when it is read.
pub(super) fn json_files(folder: &Path) -> Vec<OsString> {
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
pub(super) fn join_into<'p>(path: &'p mut PathBuf, folder: &Path, name: &OsStr) -> &'p Path {
    path.as_mut_os_string().clear();
    path.push(folder);
    path.push(name);
    path
}

/// A file's stem, as reported.
pub(super) fn stem(name: &OsStr) -> String {
    Path::new(name)
        .file_stem()
        .map(|s| crate::fs::os_text(s).into_owned())
        .unwrap_or_default()
}

/// A `*.json` file's stem as [`stem`] reads it, borrowed from the name where it is UTF-8.
pub(super) fn json_stem(name: &OsStr) -> Cow<'_, str> {
    match name.to_str().and_then(|name| name.strip_suffix(".json")) {
        Some(stem) if !stem.is_empty() => Cow::Borrowed(stem),
        _ => Cow::Owned(stem(name)),
    }
}

/// Where a project file goes wrong (if anywhere in particular), and how.
pub(super) type Problem = (Option<Span>, String);

/// A file that could not be read as JSON, with its text for the finding. Boxed: among
/// thousands of files read, the good ones should not each make room for one.
pub(super) type Broken = Box<(SourceFile, Problem)>;

/// A project file's text, and why it has none when it could not be read whole, as
/// [`read_into`] says.
pub(super) fn read_text(
    path: &Path,
    root: &Path,
    shown: String,
) -> (SourceFile, Result<(), Problem>) {
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
pub(super) fn read_into<'b>(
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
pub(super) fn parse_json<'a, T: serde::Deserialize<'a>>(text: &'a str) -> Result<T, Problem> {
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

/// The object a project file holds, as `T`; `what` names the file in the problem when it
/// holds something else.
pub(super) fn parse_object<'a, T: serde::Deserialize<'a>>(
    text: &'a str,
    what: &str,
) -> Result<T, Problem> {
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
pub(super) fn json_kind(text: &str) -> &'static str {
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
pub(super) fn not_an_object(what: &str, holds: &str) -> Problem {
    let message = format!("{what} holds {holds}, where a JSON object belongs");
    (Some(Span::empty(0)), message)
}

impl Loader {
    /// Reads one project file and keeps what `read` makes of its text; `None` (the file
    /// recorded with its text, for the finding) when it is broken.
    pub(super) fn read_borrowing<R>(
        &mut self,
        path: &Path,
        read: impl FnOnce(&str) -> Result<R, Problem>,
    ) -> Option<(usize, R)> {
        let (source, text_read) = read_text(path, &self.project.within, self.shown(path));
        let file = self.project.files.len();
        match text_read.and_then(|()| read(&source.text)) {
            Ok(taken) => {
                // Kept until the load ends, for a problem with its shape.
                self.project.files.push(ProjectFile::kept(source));
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
    pub(super) fn read_many<T: Send>(
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
    pub(super) fn keep_broken(
        &mut self,
        source: impl Into<Arc<SourceFile>>,
        (span, message): Problem,
    ) {
        let file = self.project.files.len();
        self.project.files.push(ProjectFile::kept(source));
        self.problem(file, span, message);
    }

    /// A file read without a name (most are read for a few values and let go), named now
    /// that a finding will show it.
    pub(super) fn broken(&self, path: &Path, mut source: SourceFile, problem: Problem) -> Broken {
        source.path = self.shown(path);
        Box::new((source, problem))
    }

    pub(super) fn shown(&self, path: &Path) -> String {
        self.project.shown(path)
    }

    pub(super) fn problem(&mut self, file: usize, span: Option<Span>, message: String) {
        self.project.problems.push(FileProblem {
            file,
            span,
            message,
        });
    }

    /// A file of the wrong shape, told at `value` when the caller knows where the wrong
    /// shape stands, else at the value of `key`.
    pub(super) fn shape_problem(
        &mut self,
        file: usize,
        key: &str,
        value: Option<Span>,
        expected: &str,
    ) {
        let source = self.project.files[file].source();
        let span = (value.or_else(|| top_level_value(&source.text, key))).or(Some(Span::empty(0)));
        self.problem(
            file,
            span,
            format!("`{key}` has none of the accepted shapes: expected {expected}"),
        );
    }
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
    /// 4 GiB of paths, which no run has, a plan is left out (and scanned by the load as one of
    /// the others).
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

/// The plans of a project's plan folders: the inputs of those this run checks, and the
/// paths of the others.
pub(super) struct ListedPlans {
    pub(super) checked: Vec<u32>,
    pub(super) others: Vec<PathBuf>,
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

#[cfg(test)]
mod tests;
