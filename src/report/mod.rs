//! Writes checked files' diagnostics in the chosen format to a writer `main` passes in.
//! A report never re-parses and never decides what is wrong.

use std::io::{self, Write};
use std::sync::Arc;

use crate::diagnostic::FixMode;
use crate::diagnostic::{Applicability, Diagnostic};
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

/// One checked file and what was found in it.
#[derive(Debug)]
pub struct FileReport {
    /// The file as the run kept it: whole, or an excerpt around the findings' spans.
    source: Arc<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// A plan (counted in the summary), not a project file a finding points into.
    pub is_plan: bool,
}

impl FileReport {
    pub fn new(source: Arc<SourceFile>, diagnostics: Vec<Diagnostic>, is_plan: bool) -> Self {
        FileReport {
            source,
            diagnostics,
            is_plan,
        }
    }

    pub fn path(&self) -> &str {
        &self.source.path
    }

    pub fn source(&self) -> Arc<SourceFile> {
        Arc::clone(&self.source)
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings `--baseline` hid.
    pub baselined: usize,
    /// Findings with a safe fix, and with an unsafe one.
    pub safe_fixes: usize,
    pub unsafe_fixes: usize,
    /// Which fixes count as fixable: with `--unsafe-fixes`, the unsafe ones too.
    pub fix_mode: FixMode,
    /// Findings `--fix` repaired.
    pub fixes_made: usize,
}

impl Summary {
    /// Of the files with a report, and `clean_plans` more that had nothing to report.
    pub fn of(reports: &[FileReport], clean_plans: usize) -> Summary {
        let mut summary = Summary {
            files: reports.iter().filter(|r| r.is_plan).count() + clean_plans,
            ..Summary::default()
        };
        for d in reports.iter().flat_map(|r| &r.diagnostics) {
            match d.fix.as_ref().map(|fix| fix.applicability) {
                Some(Applicability::Safe) => summary.safe_fixes += 1,
                Some(Applicability::Unsafe) => summary.unsafe_fixes += 1,
                None => {}
            }
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
    /// number its count asks for (`1 file`, `1 warning`); then, as ruff says them, what
    /// `--fix` repaired and what it would.
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
        if self.baselined > 0 {
            write!(
                out,
                " ({} hidden by the baseline)",
                counted(self.baselined, "finding")
            )?;
        }
        writeln!(out)?;
        if self.fixes_made > 0 {
            writeln!(out, "fixed {}", counted(self.fixes_made, "finding"))?;
        }
        let (fixable, more) = if self.fix_mode.unsafe_fixes {
            (self.safe_fixes + self.unsafe_fixes, 0)
        } else {
            (self.safe_fixes, self.unsafe_fixes)
        };
        match (fixable, more) {
            (0, 0) => Ok(()),
            (0, more) => writeln!(out, "{more} fixable with --fix --unsafe-fixes"),
            (fixable, 0) => writeln!(out, "[*] {fixable} fixable with --fix"),
            (fixable, more) => writeln!(
                out,
                "[*] {fixable} fixable with --fix ({more} more with --unsafe-fixes)"
            ),
        }
    }
}

/// What stands after a finding's rule when `--fix` (in `mode`) would repair it.
pub fn fix_mark(diagnostic: &Diagnostic, mode: FixMode) -> &'static str {
    if mode.fix_of(diagnostic).is_some() {
        " [*]"
    } else {
        ""
    }
}

/// What stands before a rule's name in a list of rules where some are fixable: `[*] ` for
/// those (as ruff marks them), as much space for the others.
pub fn fixable_mark(fixable: bool) -> &'static str {
    if fixable {
        "[*] "
    } else {
        "    "
    }
}

/// `1 file`, `2 files`, `0 files`.
pub fn counted(count: usize, word: &str) -> String {
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
    fingerprint_at(&source.path, source, diagnostic)
}

/// [`fingerprint`], with the file named by `path` (a baseline names it from its own folder).
pub fn fingerprint_at(path: &str, source: &SourceFile, diagnostic: &Diagnostic) -> String {
    let subject = diagnostic
        .span
        .and_then(|span| source.get(span))
        .unwrap_or("");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [diagnostic.rule.code, path, subject, &diagnostic.message] {
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
