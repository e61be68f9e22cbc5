//! Where a thing stands in a file: byte offsets into its text. Lines and columns are
//! `source.rs`'s, worked out only when a finding is reported.

use std::ops::Range;

/// A byte range into a file's text. End is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

/// A span in eight bytes, for what is kept of every file of a large run until its
/// findings are written. One past 4 GiB is kept as none: the finding then points at the
/// file, not at a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmallSpan {
    start: u32,
    end: u32,
}

impl SmallSpan {
    pub const NONE: SmallSpan = SmallSpan {
        start: u32::MAX,
        end: u32::MAX,
    };

    pub fn new(span: Option<Span>) -> SmallSpan {
        span.and_then(|span| {
            Some(SmallSpan {
                start: u32::try_from(span.start).ok()?,
                end: u32::try_from(span.end)
                    .ok()
                    .filter(|&end| end != u32::MAX)?,
            })
        })
        .unwrap_or(SmallSpan::NONE)
    }

    pub fn get(self) -> Option<Span> {
        (self.end != u32::MAX).then(|| Span::new(self.start as usize, self.end as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_span_past_4_gib_is_none_not_wrapped() {
        let far = Span::new(1 << 33, (1 << 33) + 4);
        assert_eq!(SmallSpan::new(Some(far)).get(), None);
        assert_eq!(SmallSpan::new(None).get(), None);
        let zero = Span::empty(0);
        assert_eq!(SmallSpan::new(Some(zero)).get(), Some(zero));
    }
}
