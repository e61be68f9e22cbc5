//! `--fix` and `--diff`: the fixes the rules attach to their findings, made to a fixed point.
//! Each round checks every input, makes the chosen fixes of each plan in memory, and checks
//! again what they made, until a round makes none; the files are written only at the end,
//! and only those whose bytes on disk are still the ones first read.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub use crate::diagnostic::FixMode;
use crate::diagnostic::{apply_edits, Diagnostic, Edit, Fix};
use crate::discover::Input;
use crate::fs;
use crate::linter::{Linted, Linter, Replaced};
use crate::report::FileReport;

/// Rounds of fixes before plancheck gives up on reaching a fixed point: a round fixes every
/// finding whose fix meets no other, so a plan needs two or three.
pub const MAX_ROUNDS: usize = 10;

/// An input whose text the fixes changed.
#[derive(Debug)]
pub struct FixedFile {
    /// Its name in reports and diffs.
    pub shown: String,
    /// Where it is written; `None` for standard input.
    pub path: Option<PathBuf>,
    /// The bytes first read, BOM included.
    pub original: Vec<u8>,
    /// The bytes after every fix.
    pub fixed: Vec<u8>,
    /// How many findings' fixes were made.
    pub fixes: usize,
}

/// What a run with fixes found: the reports of the fixed texts, and the texts.
pub struct FixedRun {
    pub linted: Linted,
    /// In the order of the inputs.
    pub files: Vec<FixedFile>,
    /// Whether [`MAX_ROUNDS`] rounds ended with fixes still to make.
    pub rounds_exhausted: bool,
    /// Inputs whose text had changed on disk by the time their fixes were first made: left
    /// as they were, and reported as found.
    pub changed_on_disk: Vec<String>,
}

/// Checks `inputs` as [`Linter::run`] does, making the fixes `mode` chooses until a round
/// makes none (at most [`MAX_ROUNDS`]). Changes nothing on disk: the result holds each
/// fixed text, and the findings left in it.
pub fn run(
    linter: &Linter,
    inputs: &[Input],
    stdin: Option<&Result<Vec<u8>, fs::ReadError>>,
    mode: FixMode,
    keep_clean: bool,
    pool: &rayon::ThreadPool,
) -> FixedRun {
    // Reports name plans as the inputs do: each plan's report is found by that name.
    let mut by_name: Vec<(String, usize)> = (inputs.iter().enumerate())
        .filter(|(_, input)| !matches!(input, Input::Unreadable { .. }))
        .map(|(at, input)| (linter.shown_name(input), at))
        .collect();
    by_name.sort();
    let mut replaced = Replaced::new();
    let mut files: std::collections::BTreeMap<usize, FixedFile> = Default::default();
    let mut changed_on_disk = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let linted = linter.run_over(inputs, stdin, &replaced, keep_clean, pool);
        let mut made_any = false;
        for report in linted.reports.iter().filter(|r| r.is_plan) {
            let Ok(found) = by_name.binary_search_by(|(name, _)| name.as_str().cmp(report.path()))
            else {
                continue;
            };
            let at = by_name[found].1;
            let chosen = chosen_fixes(&report.diagnostics, mode);
            if chosen.is_empty() {
                continue;
            }
            let current = match replaced.get(&at) {
                Some(bytes) => bytes.clone(),
                None => match as_checked(&inputs[at], stdin, report) {
                    Some(bytes) => bytes,
                    None => {
                        if !changed_on_disk.contains(&report.path().to_string()) {
                            changed_on_disk.push(report.path().to_string());
                        }
                        continue;
                    }
                },
            };
            let Some((fixed, made)) = fix_bytes(&current, report.source().text_start, &chosen)
            else {
                continue;
            };
            if fixed == current {
                continue;
            }
            made_any = true;
            let file = files.entry(at).or_insert_with(|| FixedFile {
                shown: report.path().to_string(),
                path: match &inputs[at] {
                    Input::File { path, .. } => Some(path.clone()),
                    _ => None,
                },
                original: current.clone(),
                fixed: Vec::new(),
                fixes: 0,
            });
            file.fixes += made;
            file.fixed.clone_from(&fixed);
            replaced.insert(at, fixed);
        }
        if !made_any {
            return FixedRun {
                linted,
                files: files.into_values().collect(),
                rounds_exhausted: false,
                changed_on_disk,
            };
        }
    }
    FixedRun {
        linted: linter.run_over(inputs, stdin, &replaced, keep_clean, pool),
        files: files.into_values().collect(),
        rounds_exhausted: true,
        changed_on_disk,
    }
}

/// The bytes of `input` as the run checked them into `report`: standard input as it was
/// read, a file read again and compared with the text the report holds. `None` when the
/// file changed since (or cannot be read now).
fn as_checked(
    input: &Input,
    stdin: Option<&Result<Vec<u8>, fs::ReadError>>,
    report: &FileReport,
) -> Option<Vec<u8>> {
    let bytes = match input {
        Input::Stdin => stdin?.as_ref().ok()?.clone(),
        Input::File { path, .. } => fs::read_capped(path, fs::PLAN_LIMIT).ok()?,
        Input::Unreadable { .. } => return None,
    };
    // In a round of `--fix`, a report with fixes holds its plan's whole text
    // ([`Linter::run_over`]), so any difference is a change.
    let source = report.source();
    let text = bytes.get(source.text_start..)?;
    (text == source.text.as_bytes()).then_some(bytes)
}

/// The fixes of one round, among `diagnostics`' fixes that `mode` makes: in order of where
/// they start, each that meets none taken before it. The others wait for the next round,
/// where their findings may be gone or their fixes moved.
pub fn chosen_fixes(diagnostics: &[Diagnostic], mode: FixMode) -> Vec<&Fix> {
    let mut fixes: Vec<&Fix> = diagnostics
        .iter()
        .filter_map(|d| mode.fix_of(d))
        .filter(|fix| !fix.edits.is_empty())
        .collect();
    fixes.sort_by_key(|fix| fix.edits.iter().map(|e| e.span.start).min());
    let mut taken: Vec<&Fix> = Vec::new();
    for fix in fixes {
        if !taken.iter().any(|t| t.conflicts_with(fix)) {
            taken.push(fix);
        }
    }
    taken
}

/// `bytes` with `fixes` made in the text that starts `text_start` bytes in (after a BOM),
/// and how many were made: a fix that does not fit the text is left out. `None` when the
/// text is no UTF-8 (no rule fixes such a file).
pub fn fix_bytes(bytes: &[u8], text_start: usize, fixes: &[&Fix]) -> Option<(Vec<u8>, usize)> {
    let (head, text) = bytes.split_at_checked(text_start)?;
    let text = std::str::from_utf8(text).ok()?;
    let fitting: Vec<&Fix> = fixes
        .iter()
        .copied()
        .filter(|fix| fix.apply(text).is_some())
        .collect();
    let mut edits: Vec<&Edit> = fitting.iter().flat_map(|fix| &fix.edits).collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let fixed = apply_edits(text, edits)?;
    let mut out = Vec::with_capacity(head.len() + fixed.len());
    out.extend_from_slice(head);
    out.extend_from_slice(fixed.as_bytes());
    Some((out, fitting.len()))
}

/// What became of a fixed file's write.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    Written,
    /// Its bytes on disk are no longer the ones read: left alone.
    ChangedOnDisk,
}

/// Writes `file`'s fixed bytes over `path` atomically (permissions kept), unless the bytes
/// there are no longer the ones it read.
pub fn write(path: &Path, file: &FixedFile) -> io::Result<Written> {
    let on_disk = fs::read_capped(path, fs::PLAN_LIMIT).map_err(|error| match error {
        fs::ReadError::Io(error) => error,
        other => io::Error::other(other.to_string()),
    })?;
    if on_disk != file.original {
        return Ok(Written::ChangedOnDisk);
    }
    fs::write_atomic(path, &file.fixed)?;
    Ok(Written::Written)
}

/// A unified diff of each file's change (`--- a/PATH`, `+++ b/PATH`, hunks with three lines
/// of context), in the order given.
pub fn write_diff(files: &[FixedFile], out: &mut dyn Write) -> io::Result<()> {
    for file in files {
        let original = String::from_utf8_lossy(&file.original);
        let fixed = String::from_utf8_lossy(&file.fixed);
        let diff = similar::TextDiff::from_lines(original.as_ref(), fixed.as_ref());
        let shown = crate::report::escape::controls(&file.shown);
        // As git writes an absolute path: `a/tmp/x.md`, not `a//tmp/x.md`.
        let shown = shown.trim_start_matches('/');
        write!(
            out,
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .missing_newline_hint(true)
                .header(&format!("a/{shown}"), &format!("b/{shown}"))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Applicability;
    use crate::plan::Span;

    fn fix(applicability: Applicability, edits: &[(usize, usize, &str)]) -> Fix {
        Fix {
            applicability,
            message: String::new(),
            edits: edits
                .iter()
                .map(|&(start, end, to)| Edit::replace(Span::new(start, end), to))
                .collect(),
        }
    }

    fn found(fix: Fix) -> Diagnostic {
        Diagnostic {
            rule: &crate::rules::registry::INVALID_STATUS,
            severity: crate::rules::registry::Severity::Error,
            message: String::new(),
            help: None,
            span: None,
            labels: Vec::new(),
            related: Vec::new(),
            fix: Some(fix),
        }
    }

    const SAFE_ONLY: FixMode = FixMode {
        unsafe_fixes: false,
    };

    #[test]
    fn a_diff_names_a_file_as_git_does() {
        let file = |shown: &str| FixedFile {
            shown: shown.to_string(),
            path: None,
            original: b"- **Status**: Active\n".to_vec(),
            fixed: b"- **Status**: active\n".to_vec(),
            fixes: 1,
        };
        for (shown, header) in [
            (
                "plans/M01-v1-x.md",
                "--- a/plans/M01-v1-x.md\n+++ b/plans/M01-v1-x.md\n",
            ),
            (
                "/tmp/M01-v1-x.md",
                "--- a/tmp/M01-v1-x.md\n+++ b/tmp/M01-v1-x.md\n",
            ),
        ] {
            let mut out = Vec::new();
            write_diff(&[file(shown)], &mut out).unwrap();
            let diff = String::from_utf8(out).unwrap();
            assert!(diff.starts_with(header), "{diff}");
        }
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round_and_the_first_by_offset_is_made() {
        let late = fix(Applicability::Safe, &[(4, 8, "x")]);
        let early = fix(Applicability::Safe, &[(2, 5, "y")]);
        let apart = fix(Applicability::Safe, &[(9, 10, "z")]);
        let same_start = fix(Applicability::Safe, &[(2, 2, "w")]);
        let diagnostics = [late, early.clone(), apart.clone(), same_start].map(found);
        let chosen = chosen_fixes(&diagnostics, SAFE_ONLY);
        assert_eq!(chosen, [&early, &apart]);
        let (fixed, made) = fix_bytes(b"0123456789", 0, &chosen).unwrap();
        assert_eq!(
            (String::from_utf8(fixed).unwrap(), made),
            ("01y5678z".into(), 2)
        );
    }

    #[test]
    fn a_bom_stays_and_edits_count_after_it() {
        let bom_text = b"\xEF\xBB\xBFab\r\n";
        let f = fix(Applicability::Safe, &[(0, 1, "A")]);
        let (fixed, _) = fix_bytes(bom_text, 3, &[&f]).unwrap();
        assert_eq!(fixed, b"\xEF\xBB\xBFAb\r\n");
    }

    #[test]
    fn a_fix_that_does_not_fit_is_left_out() {
        let outside = fix(Applicability::Safe, &[(5, 9, "")]);
        let inside = fix(Applicability::Safe, &[(0, 1, "b")]);
        let (fixed, made) = fix_bytes(b"abc", 0, &[&outside, &inside]).unwrap();
        assert_eq!((fixed.as_slice(), made), (&b"bbc"[..], 1));
    }

    #[test]
    fn unsafe_fixes_are_made_only_when_asked_for() {
        let all = FixMode { unsafe_fixes: true };
        let diagnostics = [
            found(fix(Applicability::Unsafe, &[(0, 0, "u")])),
            found(fix(Applicability::Safe, &[(1, 1, "s")])),
        ];
        let made = |mode| {
            let chosen = chosen_fixes(&diagnostics, mode);
            String::from_utf8(fix_bytes(b"ab", 0, &chosen).unwrap().0).unwrap()
        };
        assert_eq!(made(SAFE_ONLY), "asb");
        assert_eq!(made(all), "uasb");
    }

    #[test]
    fn a_file_changed_on_disk_since_it_was_read_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("M01-v1-a.md");
        let file = FixedFile {
            shown: "M01-v1-a.md".to_string(),
            path: Some(path.clone()),
            original: b"- **Status**: Active\n".to_vec(),
            fixed: b"- **Status**: active\n".to_vec(),
            fixes: 1,
        };
        std::fs::write(&path, b"- **Status**: Done\n").unwrap();
        assert_eq!(write(&path, &file).unwrap(), Written::ChangedOnDisk);
        assert_eq!(std::fs::read(&path).unwrap(), b"- **Status**: Done\n");
        std::fs::write(&path, &file.original).unwrap();
        assert_eq!(write(&path, &file).unwrap(), Written::Written);
        assert_eq!(std::fs::read(&path).unwrap(), file.fixed);
    }
}
