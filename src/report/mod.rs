//! Writes checked files' diagnostics in the chosen format to a writer `main` passes in.
//! A report never re-parses and never decides what is wrong.

use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, FileRef};
use crate::rules::registry::Severity;
use crate::source::{LineColumn, SourceFile};

pub mod concise;
pub mod escape;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod statistics;

/// The files findings relate to, read while a report is written, each once.
#[derive(Default)]
pub struct Sources(std::collections::HashMap<std::path::PathBuf, Arc<SourceFile>>);

impl Sources {
    pub fn get(&mut self, file: &FileRef) -> Arc<SourceFile> {
        match file {
            FileRef::Kept(source) => Arc::clone(source),
            FileRef::OnDisk { path, .. } => {
                Arc::clone(self.0.entry(path.clone()).or_insert_with(|| file.load()))
            }
        }
    }
}

/// Each report with its file's text, in order. The texts let go after the check are read
/// again a window ahead of the writer, in parallel (in the current rayon pool), and each is
/// let go once the writer moves past it: a report of thousands of files neither holds them
/// all nor reads them one after the other on one core.
pub fn with_sources(
    reports: &[FileReport],
) -> impl Iterator<Item = (&FileReport, Arc<SourceFile>)> {
    const WINDOW: usize = 128;
    reports.chunks(WINDOW).flat_map(|window| {
        let sources: Vec<Arc<SourceFile>> = window.par_iter().map(FileReport::source).collect();
        window.iter().zip(sources)
    })
}

/// One checked file and what was found in it.
#[derive(Debug)]
pub struct FileReport {
    /// The file, or, if its text was let go after the check, where to read it again when the
    /// report is written: a run over many plans holds their findings, not their texts.
    file: FileRef,
    pub diagnostics: Vec<Diagnostic>,
    /// A plan (counted in the summary), not a project file a finding points into.
    pub is_plan: bool,
    positions: Option<Positions>,
}

impl FileReport {
    /// A file whose text is kept to the end.
    pub fn new(source: Arc<SourceFile>, diagnostics: Vec<Diagnostic>, is_plan: bool) -> Self {
        FileReport {
            file: FileRef::Kept(source),
            diagnostics,
            is_plan,
            positions: None,
        }
    }

    /// A plan on disk, named `name`, whose text is read again from `path` when a report
    /// shows it; `positions`, where its findings were placed while the text was at hand.
    pub fn read_again(
        name: String,
        path: &Path,
        diagnostics: Vec<Diagnostic>,
        positions: Option<Positions>,
    ) -> Self {
        FileReport {
            file: FileRef::OnDisk {
                name,
                path: path.to_path_buf(),
                kind: crate::diagnostic::OnDiskKind::Plan,
            },
            diagnostics,
            is_plan: true,
            positions,
        }
    }

    pub fn path(&self) -> &str {
        self.file.name()
    }

    /// The file with its text: read again now if it was let go, and let go again when the
    /// caller is done with it.
    pub fn source(&self) -> Arc<SourceFile> {
        self.file.load()
    }

    /// Where the text starts in the file (after a BOM): from the positions worked out while
    /// its text was at hand, else from `source`, read by the caller when asked.
    pub fn text_start(&self, source: impl FnOnce() -> Arc<SourceFile>) -> usize {
        match &self.positions {
            Some(positions) => positions.text_start,
            None => source().text_start,
        }
    }

    /// The line and column of `offset` in the file: from the positions worked out while its
    /// text was at hand, else from `source`, the file's text, read by the caller when asked.
    pub fn line_column(
        &self,
        offset: usize,
        source: impl FnOnce() -> Arc<SourceFile>,
    ) -> LineColumn {
        match self.positions.as_ref().and_then(|p| p.get(offset)) {
            Some(at) => at,
            None => source().line_column(offset),
        }
    }
}

/// The lines and columns of where a file's findings and their labels start and end, worked
/// out while its text was at hand: a report that shows no snippet (JSON) then needs not read
/// the file again.
#[derive(Debug, Default)]
pub struct Positions {
    placed: Box<[(usize, LineColumn)]>,
    /// The file's [`SourceFile::text_start`].
    text_start: usize,
}

impl Positions {
    pub fn of(source: &SourceFile, diagnostics: &[Diagnostic]) -> Positions {
        let spans = diagnostics
            .iter()
            .flat_map(|d| d.span.into_iter().chain(d.labels.iter().map(|l| l.span)));
        let mut offsets: Vec<usize> = spans.flat_map(|span| [span.start, span.end]).collect();
        offsets.sort_unstable();
        offsets.dedup();
        let placed = offsets.into_iter().map(|at| (at, source.line_column(at)));
        Positions {
            placed: placed.collect(),
            text_start: source.text_start,
        }
    }

    fn get(&self, offset: usize) -> Option<LineColumn> {
        let at = (self.placed)
            .binary_search_by_key(&offset, |&(at, _)| at)
            .ok()?;
        Some(self.placed[at].1)
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    /// Of the files with a report, and `clean_plans` more that had nothing to report.
    pub fn of(reports: &[FileReport], clean_plans: usize) -> Summary {
        let mut summary = Summary {
            files: reports.iter().filter(|r| r.is_plan).count() + clean_plans,
            ..Summary::default()
        };
        for d in reports.iter().flat_map(|r| &r.diagnostics) {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
                Severity::Off => {}
            }
        }
        summary
    }

    /// `N files checked: E errors, W warnings`, as `cli.md` has it, each word in the
    /// number its count asks for (`1 file`, `1 warning`).
    pub fn write_line(&self, out: &mut dyn Write) -> io::Result<()> {
        write!(
            out,
            "{} checked: {}, {}",
            counted(self.files, "file"),
            counted(self.errors, "error"),
            counted(self.warnings, "warning")
        )?;
        if self.infos > 0 {
            write!(out, ", {}", counted(self.infos, "info"))?;
        }
        writeln!(out)
    }
}

/// `1 file`, `2 files`, `0 files`.
fn counted(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// A finding's identity that survives edits elsewhere in the file: its rule, its file, the
/// text it points at and what it says, never its line. Code scanning and baselines match
/// on it. FNV-1a, written out, because it must be the same on every build.
pub fn fingerprint(source: &SourceFile, diagnostic: &Diagnostic) -> String {
    let subject = diagnostic
        .span
        .and_then(|span| source.text.get(span.range()))
        .unwrap_or("");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [
        diagnostic.rule.code,
        &source.path,
        subject,
        &diagnostic.message,
    ] {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Where a diagnostic starts and ends, as 1-based lines and columns; line 1, column 1 for
/// a finding about a whole file.
pub fn region(source: &SourceFile, diagnostic: &Diagnostic) -> (LineColumn, LineColumn) {
    match diagnostic.span {
        Some(span) => (source.line_column(span.start), source.line_column(span.end)),
        None => {
            let start = LineColumn { line: 1, column: 1 };
            (start, start)
        }
    }
}
