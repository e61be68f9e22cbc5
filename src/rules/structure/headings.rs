//! PC105 and PC109: headings repeated under one parent, and levels skipped.

use crate::plan::{Heading, Plan};
use crate::rules::registry::{DUPLICATE_SECTION, HEADING_INCREMENT};
use crate::rules::Checker;

pub(super) fn duplicate_section(plan: &Plan, cx: &mut Checker<'_>) {
    // Sorted by parent, level and name (ASCII case folded), then by position: a repeat is
    // next to its first. Each heading sorts first by a number made of its parent, level,
    // name length and folded first bytes, so whole names are compared only where those
    // agree: no allocation per heading, and no quadratic walk among siblings.
    let folded = |i: usize| {
        let h = &plan.headings[i];
        let name = h.text.bytes().map(|b| b.to_ascii_lowercase());
        ((h.parent, h.level), name)
    };
    let same = |a: usize, b: usize| {
        let ((a_place, a_name), (b_place, b_name)) = (folded(a), folded(b));
        a_place == b_place && a_name.eq(b_name)
    };
    let keyed = || {
        (plan.headings.iter().enumerate())
            .filter(|(_, h)| h.level != 1) // more than one title is PC102's
            .map(|(i, h)| (sort_key(h), i))
    };
    // Most plans repeat no heading, and two headings of one name have one key: when the
    // keys are all different, there is nothing to report.
    if !has_repeat(keyed().map(|(key, _)| key)) {
        return;
    }
    let mut order: Vec<(u128, usize)> = keyed().collect();
    order.sort_unstable_by(|&(a_key, a), &(b_key, b)| {
        a_key
            .cmp(&b_key)
            .then_with(|| {
                let ((a_place, a_name), (b_place, b_name)) = (folded(a), folded(b));
                a_place.cmp(&b_place).then_with(|| a_name.cmp(b_name))
            })
            .then(a.cmp(&b))
    });
    let mut first = None;
    for pair in order.windows(2) {
        let ((before_key, before), (key, i)) = (pair[0], pair[1]);
        if before_key != key || !same(before, i) {
            first = None;
            continue;
        }
        let first_index = *first.get_or_insert(before);
        let heading = &plan.headings[i];
        let marks = "#".repeat(usize::from(heading.level));
        if let Some(d) = cx.report(
            &DUPLICATE_SECTION,
            Some(heading.span),
            format!("section `{marks} {}` appears twice", heading.text),
        ) {
            d.label(plan.headings[first_index].span, "first here")
                .help("merge the two sections into one");
        }
    }
}

/// Whether two of `keys` are equal. A plan's few dozen keys go into a hash table on the
/// stack, with nothing allocated or sorted; past 64 keys, all of them are sorted.
fn has_repeat(keys: impl Iterator<Item = u128>) -> bool {
    const SLOTS: usize = 128;
    let mut table = [0u128; SLOTS];
    let mut used = 0u128;
    let mut held = 0;
    let mut keys = keys.peekable();
    while let Some(&key) = keys.peek() {
        if held == SLOTS / 2 {
            break;
        }
        let mixed = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut slot = (mixed >> 57) as usize;
        while used & (1 << slot) != 0 {
            if table[slot] == key {
                return true;
            }
            slot = (slot + 1) % SLOTS;
        }
        table[slot] = key;
        used |= 1 << slot;
        held += 1;
        keys.next();
    }
    if keys.peek().is_none() {
        return false;
    }
    let mut all: Vec<u128> = table
        .iter()
        .enumerate()
        .filter(|&(slot, _)| used & (1 << slot) != 0)
        .map(|(_, &key)| key)
        .chain(keys)
        .collect();
    all.sort_unstable();
    all.windows(2).any(|pair| pair[0] == pair[1])
}

/// A heading's parent, level, name length and first eight name bytes (ASCII case folded)
/// in one number: equal for two headings of the same name under the same parent.
fn sort_key(heading: &Heading) -> u128 {
    let parent = heading.parent.map_or(0, |p| p.saturating_add(1));
    let parent = u128::from(u32::try_from(parent).unwrap_or(u32::MAX));
    let len = u128::from(u32::try_from(heading.text.len()).unwrap_or(u32::MAX) & 0xFF_FFFF);
    let mut first = [0u8; 8];
    let prefix = heading.text.len().min(8);
    first[..prefix].copy_from_slice(&heading.text.as_bytes()[..prefix]);
    first.make_ascii_lowercase();
    parent << 96
        | u128::from(heading.level) << 88
        | len << 64
        | u128::from(u64::from_be_bytes(first))
}

pub(super) fn heading_increment(plan: &Plan, cx: &mut Checker<'_>) {
    for pair in plan.headings.windows(2) {
        let (before, heading) = (&pair[0], &pair[1]);
        if heading.level > before.level + 1 {
            let wanted = before.level + 1;
            if let Some(d) = cx.report(
                &HEADING_INCREMENT,
                Some(heading.span),
                format!(
                    "heading jumps from level {} to level {}",
                    before.level, heading.level
                ),
            ) {
                d.help(format!(
                    "make it a level-{wanted} heading (`{} …`)",
                    "#".repeat(usize::from(wanted))
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_found_in_the_table_and_beyond_it() {
        let mut next = crate::testing::numbers(7);
        for len in [0, 1, 2, 3, 63, 64, 65, 66, 127, 128, 129, 300] {
            for _ in 0..50 {
                // Few distinct values, so that some lists repeat one and some do not.
                let range = len.max(1) * 2;
                let keys: Vec<u128> = (0..len)
                    .map(|_| (next(range) as u128) << (next(2) * 64))
                    .collect();
                let mut sorted = keys.clone();
                sorted.sort_unstable();
                let expected = sorted.windows(2).any(|pair| pair[0] == pair[1]);
                assert_eq!(has_repeat(keys.iter().copied()), expected, "{keys:?}");
            }
        }
        let distinct: Vec<u128> = (0..200).map(|n| n << 70).collect();
        assert!(!has_repeat(distinct.iter().copied()));
        assert!(has_repeat(distinct.iter().copied().chain([5 << 70])));
    }
}
