//! A hash index over strings kept elsewhere (a [`super::strings::Strings`] buffer, a list of
//! plans, the run's paths): finding a task by id, or the tasks naming a plan, touches a slot
//! or two and the one string it compares, where a binary search over sorted strings touches
//! one per halving, each a likely cache miss (BENCHMARKS.md measures the two).

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

/// Entries (indexes into the caller's list) named by strings the caller reads. Of entries
/// with one string, the first added is found.
#[derive(Default)]
pub struct StrIndex {
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

/// Its entries in order: the hasher's seed, and so the table's order, differ from run to run.
impl std::fmt::Debug for StrIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut entries: Vec<u32> = self.table.iter().copied().collect();
        entries.sort_unstable();
        f.debug_set().entries(entries).finish()
    }
}

impl StrIndex {
    /// An index of `entries`, each named by `key` (a string, or the bytes of a path).
    pub fn new<'s, K: AsRef<[u8]> + ?Sized + 's>(
        entries: impl ExactSizeIterator<Item = u32>,
        key: impl Fn(u32) -> &'s K,
    ) -> Self {
        let hasher = DefaultHashBuilder::default();
        let hash = |name: &[u8]| hasher.hash_one(name);
        let mut table = HashTable::with_capacity(entries.len());
        for entry in entries {
            let name = key(entry).as_ref();
            table
                .entry(
                    hash(name),
                    |&taken| key(taken).as_ref() == name,
                    |&taken| hash(key(taken).as_ref()),
                )
                .or_insert(entry);
        }
        StrIndex { table, hasher }
    }

    /// The first entry added whose string is `wanted`.
    pub fn get<'s, K: AsRef<[u8]> + ?Sized + 's>(
        &self,
        wanted: &K,
        key: impl Fn(u32) -> &'s K,
    ) -> Option<u32> {
        let wanted = wanted.as_ref();
        self.table
            .find(self.hasher.hash_one(wanted), |&taken| {
                key(taken).as_ref() == wanted
            })
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_string_and_of_two_alike_the_first() {
        let names = [
            "TASK-1",
            "TASK-2",
            "a",
            "",
            "TASK-1",
            "M01-v1-a-much-longer-name",
        ];
        let key = |i: u32| names[i as usize];
        let index = StrIndex::new(0..names.len() as u32, key);
        assert_eq!(index.get("TASK-1", key), Some(0));
        assert_eq!(index.get("TASK-2", key), Some(1));
        assert_eq!(index.get("", key), Some(3));
        assert_eq!(index.get("M01-v1-a-much-longer-name", key), Some(5));
        assert_eq!(index.get("TASK-3", key), None);
        assert_eq!(StrIndex::default().get("a", key), None);
    }

    #[test]
    fn a_large_index_finds_every_entry() {
        let names: Vec<String> = (0..50_000).map(|i| format!("TASK-2025{i:08}")).collect();
        let key = |i: u32| names[i as usize].as_str();
        let index = StrIndex::new(0..names.len() as u32, key);
        for (i, name) in names.iter().enumerate() {
            assert_eq!(index.get(name.as_str(), key), Some(i as u32));
        }
        assert_eq!(index.get("TASK-202599999999", key), None);
    }
}
