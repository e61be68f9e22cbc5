//! Helpers for the unit tests.

/// A small deterministic generator (xorshift): `next(bound)` is below `bound`. The tests that
/// compare a direct reader with its pattern draw their inputs from it, the same each run.
pub fn numbers(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |bound| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % bound as u64).unwrap_or(0)
    }
}
