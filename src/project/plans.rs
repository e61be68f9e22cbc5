//! The plans of a management folder: the facts the checks among plans need of each (the
//! run's from their check, the others scanned from their heads), and the run's plans by path.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::load::{ListedPlans, Loader};
use crate::fs::PLAN_LIMIT;
use crate::plan::{SmallSpan, Span};
use crate::source::{Excerpt, SourceFile};

/// A plan's name as tasks and completion-path.json may give it, without `.md`.
pub fn plan_stem(name: &str) -> &str {
    name.strip_suffix(".md").unwrap_or(name)
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
    pub(super) input: u32,
    pub kind: crate::plan::PlanKind,
    /// The milestone's and version's numbers, each read if its flag is in `has`, and where
    /// each value and the status stand: 104 bytes in all, with the excerpt, a hundred thousand times over.
    milestone: u64,
    version: u64,
    has: u8,
    milestone_span: SmallSpan,
    version_span: SmallSpan,
    status: SmallSpan,
    /// The bytes before the text (a BOM), and the lines around the version and the status:
    /// what a finding about another plan shows of this one.
    text_start: u8,
    excerpt: Option<Box<Excerpt>>,
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
        file: &SourceFile,
        absolute: &Path,
        plan: &crate::plan::Plan,
        schema: &crate::schema::Schema,
    ) -> PlanFacts {
        let phases_section = &schema.for_kind(plan.kind()).phases_section;
        let phases: Vec<&str> = plan.phases(phases_section).map(|(_, h)| &*h.text).collect();
        PlanFacts::from_parts(
            &file.path,
            absolute,
            plan.kind(),
            |name| plan.field(name),
            &phases,
        )
        .with_excerpt(&file.text, file.text_start)
    }

    /// The facts of a plan of the folder that this run does not check: read from its lines
    /// (title and metadata bullets) without a markdown parse, so one plan can be checked
    /// against ten thousand others cheaply. Its phases are left out: only the plans of the
    /// run are checked against their tasks' phases.
    pub fn scan(path: &str, absolute: &Path, text: &str, text_start: usize) -> PlanFacts {
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
        PlanFacts::from_parts(path, absolute, kind, field, &[]).with_excerpt(text, text_start)
    }

    /// Keeps the lines of `text` around the version and the status, which a finding about
    /// another plan shows, and where the text starts in the file.
    fn with_excerpt(mut self, text: &str, text_start: usize) -> PlanFacts {
        let excerpt = Excerpt::of(text, self.shown_spans());
        self.excerpt = (excerpt != Excerpt::default()).then(|| Box::new(excerpt));
        // A BOM is all a text starts after.
        self.text_start = u8::try_from(text_start).unwrap_or(u8::MAX);
        self
    }

    /// Where the version and the status stand: what the checks among plans report at.
    pub fn shown_spans(&self) -> impl Iterator<Item = Span> {
        [self.version_span.get(), self.status.get()]
            .into_iter()
            .flatten()
    }

    /// What a finding about this plan shows of it once its text is let go: the lines of
    /// its version and status.
    pub fn source(&self) -> SourceFile {
        let excerpt = self.excerpt.as_deref().cloned().unwrap_or_default();
        SourceFile::excerpt(self.path(), &excerpt).starting_at(usize::from(self.text_start))
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
            text_start: 0,
            excerpt: None,
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
        self.phase_index(phase).is_some()
    }

    /// Which of [`PlanFacts::phases`] `phase` names, as [`PlanFacts::has_phase`] reads it.
    pub fn phase_index(&self, phase: &str) -> Option<usize> {
        let wanted = phase.trim().to_lowercase();
        let number = wanted.strip_prefix("phase").unwrap_or(&wanted).trim();
        let number: Option<u64> = (!number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit()))
        .then(|| number.parse().ok())
        .flatten();
        self.phases().position(|heading| {
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

impl Loader {
    /// Reads every plan of `Implementations/` that this run does not check, for what the
    /// cross-file rules need of it.
    /// Takes in the plans found in the plan folders: the run's by their inputs, the others
    /// scanned for what the checks among plans need of them.
    pub(super) fn plans(&mut self, ListedPlans { checked, others }: ListedPlans) {
        self.project.checked_plans = checked;
        let project = &self.project;
        let plans = others
            .par_iter()
            .filter_map(|path| {
                let text = read_plan_head(path)?;
                let (text, text_start) = match text.strip_prefix('\u{FEFF}') {
                    Some(after_bom) => (after_bom, '\u{FEFF}'.len_utf8()),
                    None => (text.as_str(), 0),
                };
                let shown = project.shown(path);
                let absolute = crate::fs::absolute(path);
                let facts = PlanFacts::scan(&shown, &absolute, text, text_start);
                Some(Box::new(facts))
            })
            .collect();
        self.project.plans = plans;
    }
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

/// Where the line after the heading that ends `## Metadata` starts, found line by line as
/// the text arrives.
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
                // With the heading after it: the line a snippet of the last bullet shows.
                if self.in_metadata {
                    return Some(self.line_start + length + 1);
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
    fn a_tasks_phase_names_a_phase_by_heading_name_or_number() {
        let text = "# Implementation Plan: M01 - A\n\n## Phases\n### Phase 1: Setup\n### Phase 2: API Implementation\n";
        let plan = crate::parse::parse(text, Some("M01-v1-a.md"));
        let schema = crate::schema::Schema::default_schema();
        let facts = PlanFacts::new(
            &SourceFile::new("M01-v1-a.md", text.into()),
            Path::new("/p/M01-v1-a.md"),
            &plan,
            &schema,
        );
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

    const HEAD: &str = "# Implementation Plan: M07 - X\n## Metadata\n- **Milestone**: M07\n\
        - **Version**: v2\n- **Status**: active\n";

    #[test]
    fn a_plans_facts_keep_its_path_once_when_it_ends_the_absolute_one() {
        let absolute = Path::new("/home/me/pm/Implementations/active/M07-v2-x.md");
        for shown in [
            "pm/Implementations/active/M07-v2-x.md",
            absolute.to_str().unwrap(),
        ] {
            let facts = PlanFacts::scan(shown, absolute, HEAD, 0);
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
        let facts = PlanFacts::scan("v2-x.md", absolute, HEAD, 0);
        assert_eq!((facts.path(), facts.absolute()), ("v2-x.md", absolute));
        assert_eq!(facts.stem(), "v2-x");
    }

    #[cfg(unix)]
    #[test]
    fn a_plans_absolute_path_need_not_be_utf8() {
        use std::os::unix::ffi::OsStrExt;
        let absolute = Path::new(std::ffi::OsStr::from_bytes(b"/p\xff/M07-v2-x.md"));
        let facts = PlanFacts::scan("p\u{fffd}/M07-v2-x.md", absolute, HEAD, 0);
        assert_eq!(facts.absolute(), absolute);
        assert_eq!(facts.path(), "p\u{fffd}/M07-v2-x.md");
        assert_eq!(facts.milestone_number(), Some(7));
    }

    #[test]
    fn a_plans_facts_take_104_bytes() {
        assert!(std::mem::size_of::<PlanFacts>() <= 104);
    }

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
        assert!(
            head.ends_with("- **Status**: active\n\n## Analysis\n"),
            "{head:?}"
        );
        let no_metadata = "# Implementation Plan: M01 - A\n\n## Analysis\ntext";
        std::fs::write(&path, no_metadata).unwrap();
        assert_eq!(read_plan_head(&path).unwrap(), no_metadata);
    }
}
