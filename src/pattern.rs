//! A regex that every checking thread uses through a copy of its own.
//!
//! regex keeps its search caches in a pool whose fast slot belongs to the first thread that
//! searches; every other thread takes the slow path, a lock around a stack of caches, on
//! each search. For a pattern searched in every plan (the title's) on two cores that path
//! took a tenth of the time spent in regex. A clone shares the compiled
//! pattern and has a pool of its own, so each thread keeps one per pattern.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use regex::{Captures, Match, Regex};

pub struct Pattern {
    /// Unique for the life of the process, so a thread's copy is never taken for another
    /// pattern's (an address could be reused).
    id: u64,
    regex: Regex,
}

/// A thread keeps its copies of at most this many patterns: a long-lived thread that checks
/// with schema after schema (a test run, a fuzzer) drops the old ones.
const COPIES_PER_THREAD: usize = 64;

thread_local! {
    static COPIES: RefCell<Vec<(u64, Rc<Regex>)>> = const { RefCell::new(Vec::new()) };
}

impl Pattern {
    pub fn new(pattern: &str) -> Result<Pattern, regex::Error> {
        static NEXT_ID: AtomicU64 = AtomicU64::new(0);
        Ok(Pattern {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            regex: Regex::new(pattern)?,
        })
    }

    /// This thread's copy.
    pub fn local(&self) -> Rc<Regex> {
        COPIES.with_borrow_mut(|copies| {
            if let Some((_, copy)) = copies.iter().find(|(id, _)| *id == self.id) {
                return Rc::clone(copy);
            }
            if copies.len() == COPIES_PER_THREAD {
                copies.clear();
            }
            let copy = Rc::new(self.regex.clone());
            copies.push((self.id, Rc::clone(&copy)));
            copy
        })
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.local().is_match(haystack)
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.local().find(haystack)
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        self.local().captures(haystack)
    }

    pub fn as_str(&self) -> &str {
        self.regex.as_str()
    }
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.as_str()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_pattern_matches_as_its_own_regex_on_every_thread() {
        let patterns: Vec<Pattern> = (0..COPIES_PER_THREAD + 8)
            .map(|n| Pattern::new(&format!("^a{{{n}}}$")).unwrap())
            .collect();
        std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| {
                    for _ in 0..2 {
                        for (n, pattern) in patterns.iter().enumerate() {
                            assert!(pattern.is_match(&"a".repeat(n)), "{n}");
                            assert!(!pattern.is_match(&"a".repeat(n + 1)), "{n}");
                        }
                    }
                });
            }
        });
        let title = Pattern::new(r"^M(?P<n>\d+) - ").unwrap();
        assert_eq!(&title.captures("M12 - x").unwrap()["n"], "12");
        assert_eq!(format!("{title:?}"), r#"Pattern("^M(?P<n>\\d+) - ")"#);
    }
}
