//! Properties of the fixes, for plans made from the passing fixture plan by the mistakes
//! fixes repair (a status's case, a date's form, a field name's case) and by what they must
//! keep (trailing spaces, CRLF line endings, a BOM): bytes outside the edits never change,
//! fixing twice is fixing once, and after `--fix` no safe fix is left.

#![allow(clippy::unwrap_used, reason = "tests fail loudly by design")]
#![allow(clippy::disallowed_methods, reason = "tests read their fixtures")]

use std::path::{Path, PathBuf};

use plancheck::diagnostic::{Edit, Fix};
use plancheck::discover::Input;
use plancheck::fix::{self, FixMode};
use plancheck::linter::Linter;
use plancheck::plan::Span;
use plancheck::settings::Settings;
use proptest::prelude::*;

const PROJECT: &str = "fixtures/rules/PC103/pass/projectManagement";
const PLAN: &str = "Implementations/active/M01-v1-user-auth.md";

fn plan_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(PROJECT)
        .join(PLAN)
}

/// Every rule on, the plan read from standard input as if it stood at the fixture's place,
/// in its project.
fn linter() -> &'static Linter {
    static LINTER: std::sync::OnceLock<Linter> = std::sync::OnceLock::new();
    LINTER.get_or_init(|| {
        Linter::new(Settings {
            today: jiff::civil::date(2025, 8, 1),
            stdin_filename: Some(plan_path()),
            ..Settings::every_rule()
        })
    })
}

fn pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
}

/// The mistakes and the bytes to keep, as proptest draws them.
#[derive(Debug, Clone)]
struct Mutations {
    status_case: Vec<bool>,
    slashed_date: bool,
    field_case: bool,
    trailing_spaces: Vec<bool>,
    crlf: bool,
    bom: bool,
}

fn mutations() -> impl Strategy<Value = Mutations> {
    (
        proptest::collection::vec(any::<bool>(), 6),
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(any::<bool>(), 1..12),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(status_case, slashed_date, field_case, trailing_spaces, crlf, bom)| Mutations {
                status_case,
                slashed_date,
                field_case,
                trailing_spaces,
                crlf,
                bom,
            },
        )
}

/// The passing plan with `m`'s mistakes made.
fn mutated(m: &Mutations) -> Vec<u8> {
    let mut text = std::fs::read_to_string(plan_path()).unwrap();
    let status: String = ("active".chars().zip(&m.status_case))
        .map(|(c, &upper)| if upper { c.to_ascii_uppercase() } else { c })
        .collect();
    text = text.replace("**Status**: active", &format!("**Status**: {status}"));
    if m.slashed_date {
        text = text.replace("**Created**: 2025-07-01", "**Created**: 2025/07/01");
    }
    if m.field_case {
        text = text.replace("**Version**", "**version**");
    }
    let mut spaced = String::with_capacity(text.len() + 64);
    for (at, line) in text.split_inclusive('\n').enumerate() {
        let spaces = m.trailing_spaces[at % m.trailing_spaces.len()];
        match line.strip_suffix('\n') {
            Some(line) if spaces => spaced.push_str(&format!("{line}  \n")),
            _ => spaced.push_str(line),
        }
    }
    let mut text = spaced;
    if m.crlf {
        text = text.replace('\n', "\r\n");
    }
    let mut bytes = Vec::new();
    if m.bom {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

/// `--fix` over `bytes` as standard input: the fixed bytes (the same when nothing changed),
/// and the run.
fn fixed(bytes: &[u8], mode: FixMode) -> (Vec<u8>, fix::FixedRun) {
    let stdin = Ok(bytes.to_vec());
    let run = fix::run(
        linter(),
        &[Input::Stdin],
        Some(&stdin),
        mode,
        false,
        &pool(),
    );
    let out = run
        .files
        .first()
        .map_or_else(|| bytes.to_vec(), |f| f.fixed.clone());
    (out, run)
}

/// Asserts that `after` is `before` with `fixes`' edits made (in a text starting
/// `text_start` bytes in) and every other byte as it was.
fn only_edits_changed(before: &[u8], after: &[u8], text_start: usize, fixes: &[&Fix]) {
    let mut edits: Vec<&Edit> = fixes.iter().flat_map(|f| &f.edits).collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut shift: isize = 0;
    let mut kept_from = 0;
    let mut gaps = Vec::new();
    for edit in &edits {
        gaps.push((kept_from, text_start + edit.span.start, shift));
        shift += edit.replacement.len() as isize - edit.span.len() as isize;
        kept_from = text_start + edit.span.end;
    }
    gaps.push((kept_from, before.len(), shift));
    assert_eq!(after.len() as isize, before.len() as isize + shift);
    for (start, end, shift) in gaps {
        let moved = |at: usize| (at as isize + shift) as usize;
        assert_eq!(
            &after[moved(start)..moved(end)],
            &before[start..end],
            "bytes {start}..{end} changed"
        );
    }
}

/// Random edits of `text`: replacements of up to a few characters, at character boundaries.
fn random_fixes(text: &str, picks: &[(usize, usize, String)]) -> Vec<Fix> {
    let boundary = |at: usize| {
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    picks
        .iter()
        .map(|(at, length, replacement)| {
            let start = boundary(*at);
            let end = boundary((start + length).min(text.len()));
            Fix::safe("x", vec![Edit::replace(Span::new(start, end), replacement)])
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any set of the plan's own fixes, and any set of arbitrary edits, changes only the
    /// bytes they edit: a BOM, line endings and trailing spaces elsewhere stay.
    #[test]
    fn bytes_outside_the_edits_never_change(
        m in mutations(),
        chosen in proptest::collection::vec(any::<bool>(), 8),
        picks in proptest::collection::vec((0usize..4000, 0usize..6, "[a-z\r\n ]{0,4}"), 0..6),
    ) {
        let bytes = mutated(&m);
        let report = linter()
            .check_text(Some(&plan_path()), bytes.clone(), None)
            .unwrap();
        let text_start = report.source().text_start;
        let all = FixMode { unsafe_fixes: true };
        let mut diagnostics: Vec<_> = (report.diagnostics.iter())
            .zip(chosen.iter().cycle())
            .filter(|(_, &keep)| keep)
            .map(|(d, _)| d.clone())
            .collect();
        let text = std::str::from_utf8(&bytes[text_start..]).unwrap();
        for random in random_fixes(text, &picks) {
            let mut d = report.diagnostics.first().unwrap().clone();
            d.fix = Some(random);
            diagnostics.push(d);
        }
        let fixes = fix::chosen_fixes(&diagnostics, all);
        let (after, made) = fix::fix_bytes(&bytes, text_start, &fixes).unwrap();
        let fitting: Vec<&Fix> = fixes.into_iter().filter(|f| f.apply(text).is_some()).collect();
        prop_assert_eq!(made, fitting.len());
        only_edits_changed(&bytes, &after, text_start, &fitting);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// `--fix` reaches a fixed point: a second run changes nothing, no safe fix is left, and
    /// the BOM and line endings are the plan's own.
    #[test]
    fn fixing_twice_is_fixing_once_and_leaves_no_safe_fix(m in mutations()) {
        let bytes = mutated(&m);
        let safe = FixMode { unsafe_fixes: false };
        let (once, run) = fixed(&bytes, safe);
        prop_assert!(!run.rounds_exhausted);
        for d in run.linted.reports.iter().flat_map(|r| &r.diagnostics) {
            prop_assert!(safe.fix_of(d).is_none(), "a safe fix is left: {:?}", d);
        }
        let (twice, again) = fixed(&once, safe);
        prop_assert!(again.files.is_empty());
        prop_assert_eq!(&twice, &once);
        prop_assert_eq!(once.starts_with(b"\xEF\xBB\xBF"), m.bom);
        let text = String::from_utf8(once).unwrap();
        prop_assert_eq!(text.matches("\r\n").count(), if m.crlf { text.matches('\n').count() } else { 0 });
        // The mistakes the plan was given are repaired: it is the passing plan again, but for
        // the bytes fixes keep.
        let clean = Mutations { status_case: vec![false; 6], slashed_date: false, field_case: false, ..m };
        prop_assert_eq!(text.into_bytes(), mutated(&clean));
    }
}
