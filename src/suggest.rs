//! Guessing the word a user meant: for a help that says "did you mean …?", and for a
//! misspelt heading or field of the template.

/// The candidate closest to `value`: the same word in another case, a word it begins or
/// ends, or one a few edits away. `None` when nothing is close enough to be a good guess.
/// On a tie, the first.
pub fn suggest<'c>(value: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    guess(value, candidates).map(|g| g.word)
}

/// The candidate closest to `value`, as [`suggest`] finds it, when no other is as close:
/// the one guess sure enough to be made for the user (`--fix`).
pub fn only_suggestion<'c>(
    value: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    guess(value, candidates).and_then(Guess::only)
}

/// What [`suggest`] names, and whether it is the only candidate that close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guess<'c> {
    pub word: &'c str,
    pub is_only: bool,
}

impl<'c> Guess<'c> {
    /// The word, when no other candidate was as close.
    pub fn only(self) -> Option<&'c str> {
        self.is_only.then_some(self.word)
    }
}

/// The first closest candidate to `value`, as [`suggest`] reads closeness.
pub fn guess<'c>(value: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<Guess<'c>> {
    let value = value.trim().to_lowercase();
    let value_len = value.chars().count();
    let mut best: Option<(usize, &str, bool)> = None;
    for candidate in candidates {
        let other = candidate.to_lowercase();
        // The same word in another case, or one word beginning the other, wins outright;
        // an edited word scores its edits plus one.
        let score = if other == value {
            0
        } else if value_len >= 3 && (other.starts_with(&value) || value.starts_with(&other)) {
            1
        } else {
            let other_len = other.chars().count();
            let most = (other_len / 3).max(1);
            // Words further apart in length than that need more edits than that.
            if other_len.abs_diff(value_len) > most {
                continue;
            }
            let edits = strsim::osa_distance(&value, &other);
            if edits > most {
                continue;
            }
            edits + 1
        };
        match best {
            Some((b, _, ref mut is_only)) if score == b => *is_only = false,
            Some((b, _, _)) if score > b => {}
            _ => best = Some((score, candidate, true)),
        }
    }
    best.map(|(_, word, is_only)| Guess { word, is_only })
}

/// The template name that `written` misspells, among `missing` (the template's names that
/// the plan lacks, each with its place, in template order): the same words in another case,
/// at most two edits away, or the singular or plural of it. The nearest wins; on a tie, the
/// first. Returns its place.
pub fn near_miss<'c, T>(
    written: &str,
    missing: impl IntoIterator<Item = (T, &'c str)>,
) -> Option<T> {
    const MOST_EDITS: usize = 2;
    let written = written.trim().to_lowercase();
    let mut best: Option<(usize, T)> = None;
    for (place, name) in missing {
        let name = name.to_lowercase();
        let edits = strsim::osa_distance(&written, &name);
        let score = if edits <= MOST_EDITS {
            edits
        } else if same_but_number(&written, &name) {
            MOST_EDITS
        } else {
            continue;
        };
        if best.as_ref().is_none_or(|(b, _)| score < *b) {
            best = Some((score, place));
        }
    }
    best.map(|(_, place)| place)
}

/// Whether two lower-cased names are the same words, each in the singular or the plural
/// (`dependency identification` and `dependencies identification`).
fn same_but_number(a: &str, b: &str) -> bool {
    let (mut a_words, mut b_words) = (a.split_whitespace(), b.split_whitespace());
    loop {
        match (a_words.next(), b_words.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x == y || is_plural_of(x, y) || is_plural_of(y, x) => {}
            _ => return false,
        }
    }
}

/// Whether `plural` is an English plural of `one`, as far as the template's words need:
/// `phases`, `approaches`, `dependencies`, `criteria`.
fn is_plural_of(plural: &str, one: &str) -> bool {
    let Some(stem) = plural.strip_suffix('s') else {
        return plural
            .strip_suffix("ria")
            .is_some_and(|stem| one.strip_suffix("rion") == Some(stem));
    };
    stem == one
        || stem.strip_suffix('e') == Some(one)
        || stem
            .strip_suffix("ie")
            .is_some_and(|stem| one.strip_suffix('y') == Some(stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_word() {
        let statuses = ["active", "completed", "superseded"];
        assert_eq!(suggest("Active", statuses), Some("active"));
        assert_eq!(suggest("complete", statuses), Some("completed"));
        assert_eq!(suggest("supersded", statuses), Some("superseded"));
        assert_eq!(suggest("banana", statuses), None);
    }

    #[test]
    fn only_an_untied_suggestion_is_sure() {
        let statuses = ["active", "completed", "superseded"];
        assert_eq!(only_suggestion("Active", statuses), Some("active"));
        assert_eq!(only_suggestion("complete", statuses), Some("completed"));
        let ids = ["TASK-20250711T140000", "TASK-20250711T140002"];
        assert_eq!(suggest("TASK-20250711T140001", ids), Some(ids[0]));
        assert_eq!(only_suggestion("TASK-20250711T140001", ids), None);
        assert_eq!(only_suggestion("TASK-20250711T140009", ids), None);
        assert_eq!(only_suggestion("TASK-20250711T150002", ids), Some(ids[1]));
    }

    /// The name `written` misspells among `names`, as [`near_miss`] finds it.
    fn misspelt<'n>(written: &str, names: &[&'n str]) -> Option<&'n str> {
        near_miss(written, names.iter().map(|n| (*n, *n)))
    }

    #[test]
    fn a_near_miss_is_another_case_two_edits_or_the_other_number() {
        let missing = ["Strategy", "Phases", "Dependencies Identification"];
        assert_eq!(misspelt("strategy", &missing), Some("Strategy"));
        assert_eq!(misspelt("Strategyy", &missing), Some("Strategy"));
        assert_eq!(
            misspelt("Stratgey", &missing),
            Some("Strategy"),
            "a swap is one edit"
        );
        assert_eq!(misspelt("Strtegyyy", &missing), None, "three edits");
        assert_eq!(misspelt("Phase", &missing), Some("Phases"));
        assert_eq!(
            misspelt("Dependency Identification", &missing),
            Some("Dependencies Identification")
        );
        assert_eq!(misspelt("Rollout", &missing), None);
    }

    #[test]
    fn the_nearest_near_miss_wins_and_a_tie_goes_to_the_first() {
        assert_eq!(misspelt("Notes", &["Note", "Notes"]), Some("Notes"));
        assert_eq!(misspelt("abc", &["abd", "abe"]), Some("abd"));
        assert_eq!(misspelt("abc", &["abe", "abd"]), Some("abe"));
        assert_eq!(near_miss("abc", [(7, "abe"), (3, "abd")]), Some(7));
    }

    #[test]
    fn plurals_of_the_template_words() {
        for (plural, one) in [
            ("criteria", "criterion"),
            ("dependencies", "dependency"),
            ("phases", "phase"),
            ("themes", "theme"),
            ("approaches", "approach"),
        ] {
            assert!(is_plural_of(plural, one), "{plural}");
            assert!(!is_plural_of(one, plural), "{one}");
        }
    }
}
