//! `str::trim` and its halves, quicker where the edges are ASCII, as in nearly every plan:
//! std's trims decode each edge character and look it up as Unicode whitespace, and the
//! parse trims every heading, list item and field of every plan.
//!
//! Each gives exactly what std's gives: the ASCII blanks are cut bytewise first (each is
//! Unicode whitespace too), and std's trim finishes the job wherever the new edge could
//! still be whitespace: a non-ASCII character, or the one ASCII blank bytewise trimming
//! leaves (the vertical tab).

const VERTICAL_TAB: u8 = 0x0B;

fn may_be_whitespace(edge: u8) -> bool {
    !edge.is_ascii() || edge == VERTICAL_TAB
}

pub fn trim(s: &str) -> &str {
    trim_end(trim_start(s))
}

pub fn trim_start(s: &str) -> &str {
    let trimmed = s.trim_ascii_start();
    match trimmed.as_bytes().first() {
        Some(&edge) if may_be_whitespace(edge) => trimmed.trim_start(),
        _ => trimmed,
    }
}

pub fn trim_end(s: &str) -> &str {
    let trimmed = s.trim_ascii_end();
    match trimmed.as_bytes().last() {
        Some(&edge) if may_be_whitespace(edge) => trimmed.trim_end(),
        _ => trimmed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EDGES: [&str; 12] = [
        "", " ", "\t", "\n", "\r\n", "\x0B", "\x0C", "\u{A0}", "\u{3000}", "\u{2028}", "é", "x",
    ];

    #[test]
    fn trims_as_std_does_at_every_kind_of_edge() {
        for before in EDGES {
            for inner in ["", "a", "a b", "\u{A0}a\u{A0}", "é"] {
                for after in EDGES {
                    let s = format!("{before}{after}{inner}{before}{after}");
                    assert_eq!(trim(&s), s.trim(), "{s:?}");
                    assert_eq!(trim_start(&s), s.trim_start(), "{s:?}");
                    assert_eq!(trim_end(&s), s.trim_end(), "{s:?}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn trims_any_text_as_std_does(s in "[ \t\r\n\x0B\x0C\u{A0}\u{85}\u{2000}-\u{200B}\u{3000}a-cé]{0,12}") {
            prop_assert_eq!(trim(&s), s.trim());
            prop_assert_eq!(trim_start(&s), s.trim_start());
            prop_assert_eq!(trim_end(&s), s.trim_end());
        }
    }
}
