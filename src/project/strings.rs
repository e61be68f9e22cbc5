//! The strings of a large project's lists kept end to end in one buffer: two hundred
//! thousand task ids are one allocation, not two hundred thousand (each of which costs
//! malloc's bookkeeping besides), and each is named by eight bytes instead of sixteen.

/// Where a string stands in its [`Strings`]; the empty string when none was pushed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Str {
    start: u32,
    len: u32,
}

#[derive(Debug, Default)]
pub struct Strings {
    text: String,
}

impl Strings {
    /// Adds `value` at the end. Past 4 GiB in all, no real list of ids, it is kept as the
    /// empty string instead: what a lookup then misses is no reason to stop the run.
    pub fn push(&mut self, value: &str) -> Str {
        let start = self.text.len();
        let Ok(end) = u32::try_from(start + value.len()) else {
            return Str::default();
        };
        let (start, len) = (start as u32, end - start as u32);
        self.text.push_str(value);
        Str { start, len }
    }

    /// Where `value` stands in the string `within` (pushed before), when it stands there at
    /// all; else `value` added at the end. A task's values are most often in the lines kept
    /// around them, so each is kept once.
    pub fn push_or_find(&mut self, value: &str, within: Str) -> Str {
        let found = (!value.is_empty())
            .then(|| self.get(within).find(value))
            .flatten();
        match found {
            Some(at) => Str {
                start: within.start + at as u32,
                len: value.len() as u32,
            },
            None => self.push(value),
        }
    }

    /// Adds `later`'s strings at the end; what is returned moves each of its [`Str`]s to
    /// where that string now stands (to the empty string past 4 GiB, as `push` does).
    pub fn append(&mut self, later: &Strings) -> impl Fn(Str) -> Str {
        let shift = u32::try_from(self.text.len()).ok();
        let fits = u32::try_from(self.text.len() + later.text.len()).is_ok();
        let shift = shift.filter(|_| fits);
        if shift.is_some() {
            self.text.push_str(&later.text);
        }
        move |at: Str| match shift {
            Some(shift) if at.len > 0 => Str {
                start: at.start + shift,
                len: at.len,
            },
            _ => Str::default(),
        }
    }

    pub fn get(&self, at: Str) -> &str {
        let start = at.start as usize;
        self.text
            .get(start..start + at.len as usize)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_string_is_read_back_as_pushed() {
        let mut strings = Strings::default();
        let a = strings.push("TASK-1");
        let empty = strings.push("");
        let b = strings.push("Phase 2: API");
        assert_eq!(strings.get(a), "TASK-1");
        assert_eq!(strings.get(empty), "");
        assert_eq!(strings.get(b), "Phase 2: API");
        assert_eq!(strings.get(Str::default()), "");
    }

    #[test]
    fn a_string_found_in_another_is_kept_there() {
        let mut strings = Strings::default();
        let lines = strings.push(r#"{"phase": "Phase 2", "id": "M01"}"#);
        let kept = strings.get(lines).len();
        let phase = strings.push_or_find("Phase 2", lines);
        let escaped = strings.push_or_find("Phase \"3\"", lines);
        let empty = strings.push_or_find("", lines);
        assert_eq!(strings.get(phase), "Phase 2");
        assert_eq!(strings.get(escaped), "Phase \"3\"");
        assert_eq!(strings.get(empty), "");
        assert_eq!(strings.text.len(), kept + "Phase \"3\"".len());
    }

    #[test]
    fn appended_strings_are_found_where_they_moved() {
        let mut first = Strings::default();
        let a = first.push("TASK-1");
        let mut later = Strings::default();
        let b = later.push("M01-v1-x");
        let empty = later.push("");
        let moved = first.append(&later);
        assert_eq!(first.get(a), "TASK-1");
        assert_eq!(first.get(moved(b)), "M01-v1-x");
        assert_eq!(first.get(moved(empty)), "");
    }
}
