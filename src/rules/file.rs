//! PC0xx: whether the file can be read as a plan at all. When one of these fires, no other
//! rule runs on the file.

use crate::fs::ReadError;
use crate::plan::Span;
use crate::rules::registry::{EMPTY_FILE, NOT_UTF8, UNREADABLE_FILE};
use crate::rules::Checker;

/// A file's bytes as text, or why they are not text.
pub enum Decoded {
    Text(String),
    /// Not plan text. `lossy` shows it with replacement characters; `at` is the byte where
    /// the trouble starts (the same offset in both), `width` how many bytes of `lossy` to
    /// underline there.
    NotText {
        lossy: String,
        at: usize,
        width: usize,
        binary: bool,
    },
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How many bytes [`decode`] skips at the start of `bytes`: a BOM's, or none.
pub fn skipped_bytes(bytes: &[u8]) -> usize {
    if bytes.starts_with(BOM) {
        BOM.len()
    } else {
        0
    }
}

/// Decodes a file, skipping a leading BOM. A NUL byte marks a binary file even when the
/// bytes happen to be valid UTF-8: no markdown editor writes one.
pub fn decode(mut bytes: Vec<u8>) -> Decoded {
    bytes.drain(..skipped_bytes(&bytes));
    let nul = memchr::memchr(0, &bytes);
    match String::from_utf8(bytes) {
        Ok(text) => match nul {
            None => Decoded::Text(text),
            Some(at) => Decoded::NotText {
                lossy: text,
                at,
                width: 1,
                binary: true,
            },
        },
        Err(error) => {
            let bad = error.utf8_error().valid_up_to();
            let binary = nul.is_some_and(|at| at < bad);
            let at = if binary { nul.unwrap_or(bad) } else { bad };
            let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
            // Up to `bad` the lossy text is the original; there it holds U+FFFD (3 bytes).
            let width = if binary { 1 } else { '\u{FFFD}'.len_utf8() };
            Decoded::NotText {
                lossy,
                at,
                width,
                binary,
            }
        }
    }
}

pub fn unreadable(cx: &mut Checker<'_>, error: &ReadError) {
    let reason = match error {
        // It was there when the paths were gathered.
        ReadError::Io(error) if error.kind() == std::io::ErrorKind::NotFound => {
            "it no longer exists".to_string()
        }
        other => other.to_string(),
    };
    if let Some(d) = cx.report(
        &UNREADABLE_FILE,
        None,
        format!("cannot read the file: {reason}"),
    ) {
        d.help(format!(
            "plancheck reads a plan from a regular file of at most {} MiB that you may read",
            crate::fs::PLAN_LIMIT >> 20
        ));
    }
}

pub fn not_text(cx: &mut Checker<'_>, at: usize, width: usize, binary: bool) {
    let span = Some(Span::new(at, at + width));
    let (message, help) = if binary {
        (
            format!("the file looks binary: it holds a NUL byte at offset {at}"),
            "a plan is a markdown text file; check that this is the file you meant",
        )
    } else {
        (
            format!("the file is not valid UTF-8: the byte at offset {at} starts no character"),
            "save the file as UTF-8",
        )
    };
    if let Some(d) = cx.report(&NOT_UTF8, span, message) {
        d.help(help);
    }
}

/// Reports an empty or white-space-only file; says whether it did so the caller stops.
pub fn empty(cx: &mut Checker<'_>) -> bool {
    if !cx.file.text.trim().is_empty() {
        return false;
    }
    if let Some(d) = cx.report(&EMPTY_FILE, Some(Span::empty(0)), "the file is empty") {
        d.help("start from the implementation plan template");
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_a_bom() {
        assert!(matches!(decode(b"\xEF\xBB\xBF# T".to_vec()), Decoded::Text(t) if t == "# T"));
    }

    #[test]
    fn finds_the_first_bad_byte() {
        let Decoded::NotText {
            lossy,
            at,
            width,
            binary,
        } = decode(b"# ok\n\xFFrest".to_vec())
        else {
            panic!("expected not text");
        };
        assert_eq!((at, width, binary), (5, 3, false));
        assert_eq!(&lossy[at..at + width], "\u{FFFD}");
    }

    #[test]
    fn a_nul_byte_means_binary() {
        assert!(matches!(
            decode(b"# T\0x".to_vec()),
            Decoded::NotText {
                at: 3,
                binary: true,
                ..
            }
        ));
    }
}
