//! The template's guidance lines, and where a plan's item is one: text compared word by
//! word, case, runs of blanks and trailing punctuation aside.

use std::cmp::Ordering;

/// Lines of text compared word by word, case, runs of blanks and trailing punctuation
/// aside, as a tree of their words: every item of every plan is looked up, and an item is
/// read a word at a time, in place, only as far as some line shares its first words.
#[derive(Debug, Default)]
pub(super) struct Guidance {
    /// Whether a line ends after the words that lead here.
    ends_here: bool,
    /// The words that come next, case folded, and the lines that go on with each; in the
    /// order of [`cmp_folded`], for a binary search.
    next: Vec<(Box<str>, Guidance)>,
}

impl Guidance {
    pub(super) fn insert(&mut self, text: &str) {
        let mut lines = self;
        for word in guidance_words(text) {
            let folded = folded(word);
            let at = match lines
                .next
                .binary_search_by(|(next, _)| cmp_folded(next, &folded))
            {
                Ok(at) => at,
                Err(at) => {
                    lines.next.insert(at, (folded.into(), Guidance::default()));
                    at
                }
            };
            lines = &mut lines.next[at].1;
        }
        lines.ends_here = true;
    }

    pub(super) fn contains(&self, text: &str) -> bool {
        let mut lines = self;
        for word in guidance_words(text) {
            let word = Unfolded::new(word);
            let Ok(at) = (lines.next).binary_search_by(|(next, _)| word.cmp(next).reverse()) else {
                return false;
            };
            lines = &lines.next[at].1;
        }
        lines.ends_here
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        let rest: usize = self.next.iter().map(|(_, lines)| lines.len()).sum();
        usize::from(self.ends_here) + rest
    }
}

/// The words of a line as guidance is compared: trailing punctuation is no part of it.
fn guidance_words(text: &str) -> std::str::SplitWhitespace<'_> {
    text.trim_end_matches(|c: char| TRAILING_PUNCTUATION.contains(&c) || c.is_whitespace())
        .split_whitespace()
}

/// A word (or a field's value) of a plan's, ordered against case-folded ones without a
/// folded copy made.
pub(super) struct Unfolded<'w> {
    word: &'w str,
    /// Nearly every word of a plan is ASCII, whose case keeps its length and whose bytes
    /// compare without a character's case mapping.
    is_ascii: bool,
    folded_len: usize,
}

impl<'w> Unfolded<'w> {
    pub(super) fn new(word: &'w str) -> Self {
        let is_ascii = word.is_ascii();
        let folded_len = if is_ascii {
            word.len()
        } else {
            word.chars().flat_map(fold).map(char::len_utf8).sum()
        };
        Unfolded {
            word,
            is_ascii,
            folded_len,
        }
    }

    /// How the word without its case orders against `folded`, as [`cmp_folded`] has it.
    #[inline]
    pub(super) fn cmp(&self, folded: &str) -> Ordering {
        self.folded_len.cmp(&folded.len()).then_with(|| {
            if self.is_ascii {
                let bytes = self.word.bytes().map(|b| b.to_ascii_lowercase());
                bytes.cmp(folded.bytes())
            } else {
                self.word.chars().flat_map(fold).cmp(folded.chars())
            }
        })
    }
}

/// How two case-folded words order: shorter first (in UTF-8's bytes), then in the order of
/// their characters.
fn cmp_folded(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

pub(super) fn folded(word: &str) -> String {
    word.chars().flat_map(fold).collect()
}

/// A character without its case, as Unicode's case folding has it for the letters of
/// the languages plans are written in: lower-cased, and a word's final sigma as any other.
fn fold(c: char) -> impl Iterator<Item = char> {
    c.to_lowercase()
        .map(|lower| if lower == 'ς' { 'σ' } else { lower })
}

/// What ends a guidance line without being part of it.
const TRAILING_PUNCTUATION: [char; 7] = ['.', ',', ';', ':', '!', '?', '…'];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    /// Lines are grouped by their first word's first character: it must agree however the
    /// line ends, even where its punctuation is all the line has after that word.
    #[test]
    fn a_guidance_line_is_found_by_its_first_word_however_it_ends() {
        let template = Template::from_markdown(
            "# T\n\n## Notes\n\n### Open Questions\n- Σύνοψη.\n- Σύνοψη πλάνους\n- Risks: ...\n- ...\n- Open risks: none.\n",
            &[],
            &[],
        );
        for line in [
            "σύνοψη",
            "ΣΎΝΟΨΗ!",
            "Σύνοψη …",
            "ΣΎΝΟΨΗ ΠΛΆΝΟΥΣ.",
            "risks",
            "Risks:",
            "RISKS: . .",
            "",
            "?",
        ] {
            assert!(template.is_guidance(line), "{line:?}");
        }
        for line in [
            "Σύνοψη x",
            "Σύνοψη πλάνου",
            "risks x",
            "x",
            "Risky",
            "Open risks",
            "Open risks: some",
        ] {
            assert!(!template.is_guidance(line), "{line:?}");
        }
    }

    proptest::proptest! {
        /// A plan's word orders against a folded word as its own folded copy would.
        #[test]
        fn a_word_orders_as_its_folded_copy(
            word in "[aAbB:ΣσςΎύİK\u{212a}ß]{0,4}",
            other in "[aAbB:ΣσςΎύİK\u{212a}ß]{0,4}",
        ) {
            let word_folded = folded(&word);
            proptest::prop_assert_eq!(Unfolded::new(&word).cmp(&word_folded), Ordering::Equal);
            let other = folded(&other);
            proptest::prop_assert_eq!(
                Unfolded::new(&word).cmp(&other),
                cmp_folded(&word_folded, &other)
            );
        }
    }
}
