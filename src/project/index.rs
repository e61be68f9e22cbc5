//! A hash index over strings kept elsewhere (a [`super::strings::Strings`] buffer, a list of
//! plans, the run's paths): finding a task by id, or the tasks naming a plan, touches a slot or two and the one
//! string it compares, where a binary search over 200,000 sorted strings touches seventeen of
//! them, each a likely cache miss.

/// Entries named by strings the caller reads: each slot holds an entry plus one, or zero when
/// empty. Of entries with one string, the first added is found.
#[derive(Debug, Default)]
pub struct StrIndex {
    slots: Box<[u32]>,
}

impl StrIndex {
    /// An index of `entries`, each named by `key` (a string, or the bytes of a path).
    pub fn new<'s, K: AsRef<[u8]> + ?Sized + 's>(
        entries: impl ExactSizeIterator<Item = u32>,
        key: impl Fn(u32) -> &'s K,
    ) -> Self {
        // Half full at most, so a lookup rarely probes past its first slot.
        let size = (entries.len() * 2).next_power_of_two().max(8);
        let mut index = StrIndex {
            slots: vec![0; size].into_boxed_slice(),
        };
        for entry in entries {
            let Some(slot) = entry.checked_add(1) else {
                continue;
            };
            let name = key(entry).as_ref();
            let at = index.probe(name, |taken| key(taken).as_ref() == name);
            if index.slots[at] == 0 {
                index.slots[at] = slot;
            }
        }
        index
    }

    /// The first entry added whose string is `wanted`.
    pub fn get<'s, K: AsRef<[u8]> + ?Sized + 's>(
        &self,
        wanted: &K,
        key: impl Fn(u32) -> &'s K,
    ) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let wanted = wanted.as_ref();
        let at = self.probe(wanted, |taken| key(taken).as_ref() == wanted);
        self.slots[at].checked_sub(1)
    }

    /// The slot of the entry `is_wanted` accepts, or the empty slot where it would go.
    fn probe(&self, name: &[u8], is_wanted: impl Fn(u32) -> bool) -> usize {
        let mask = self.slots.len() - 1;
        // The table is never full: some slot on the way is empty.
        let mut at = hash(name) as usize & mask;
        loop {
            match self.slots[at] {
                0 => return at,
                taken if is_wanted(taken - 1) => return at,
                _ => at = (at + 1) & mask,
            }
        }
    }
}

/// A fast hash of a short string, eight bytes at a time (Firefox's, as rustc uses it): the
/// index needs an even spread of ids and plan names, not resistance to crafted keys, as a
/// crafted key costs only a longer probe.
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mix = |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        h = mix(h, u64::from_le_bytes(word));
    }
    let mut tail = [0; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    // The high bits mixed into the low ones the mask keeps.
    let h = mix(h, u64::from_le_bytes(tail));
    h ^ (h >> 29)
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
