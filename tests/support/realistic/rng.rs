//! A seeded random source (SplitMix64): the corpus must be the same for a seed on every
//! machine, so no crate whose stream may change between versions.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6A09_E667_F3BC_C909)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// A generator of its own, so that drawing more in one place does not shift another.
    pub fn fork(&mut self) -> Rng {
        Rng::new(self.next())
    }
}

/// Days counted from 2025-01-01, written as a calendar date.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Day(pub u32);

impl Day {
    /// `(year, month, day)`.
    pub fn ymd(self) -> (u32, u32, u32) {
        let mut year = 2025;
        let mut left = self.0;
        loop {
            let length = if is_leap(year) { 366 } else { 365 };
            if left < length {
                break;
            }
            left -= length;
            year += 1;
        }
        let mut month = 1;
        loop {
            let length = month_length(year, month);
            if left < length {
                return (year, month, left + 1);
            }
            left -= length;
            month += 1;
        }
    }

    pub fn iso(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y}-{m:02}-{d:02}")
    }

    pub fn plus(self, days: u32) -> Day {
        Day(self.0 + days)
    }
}

fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn month_length(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_calendar_dates() {
        assert_eq!(Day(0).iso(), "2025-01-01");
        assert_eq!(Day(58).iso(), "2025-02-28");
        assert_eq!(Day(59).iso(), "2025-03-01");
        assert_eq!(Day(364).iso(), "2025-12-31");
        assert_eq!(Day(365 + 59).iso(), "2026-03-01");
        assert_eq!(Day(365 * 3 + 59).iso(), "2028-02-29");
    }
}
