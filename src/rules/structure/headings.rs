//! PC105 and PC109: headings repeated under one parent, and levels skipped.

use std::collections::HashMap;

use crate::plan::Plan;
use crate::rules::registry::{DUPLICATE_SECTION, HEADING_INCREMENT};
use crate::rules::Checker;

pub(super) fn duplicate_section(plan: &Plan, cx: &mut Checker<'_>) {
    // Two headings are the same section when they share parent, level and name (ASCII case
    // folded).
    let mut first_of: HashMap<(Option<usize>, u8, String), usize> = HashMap::new();
    for (i, heading) in plan.headings.iter().enumerate() {
        if heading.level == 1 {
            continue; // more than one title is PC102's
        }
        let key = (
            heading.parent,
            heading.level,
            heading.text.to_ascii_lowercase(),
        );
        let first = *first_of.entry(key).or_insert(i);
        if first == i {
            continue;
        }
        let marks = "#".repeat(usize::from(heading.level));
        if let Some(d) = cx.report(
            &DUPLICATE_SECTION,
            Some(heading.span),
            format!("section `{marks} {}` appears twice", heading.text),
        ) {
            d.label(plan.headings[first].span, "first here")
                .help("merge the two sections into one");
        }
    }
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
