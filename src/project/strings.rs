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
    pub fn with_capacity(bytes: usize) -> Strings {
        Strings {
            text: String::with_capacity(bytes),
        }
    }

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
}
