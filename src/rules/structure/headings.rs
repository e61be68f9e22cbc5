//! PC105 and PC109: headings repeated under one parent, and levels skipped.

use std::cmp::Ordering;

use crate::plan::{Heading, Plan};
use crate::rules::registry::{DUPLICATE_SECTION, HEADING_INCREMENT};
use crate::rules::Checker;

pub(super) fn duplicate_section(plan: &Plan, cx: &mut Checker<'_>) {
    // Sorted by section, then by place: each repeat follows its first.
    let mut order: Vec<usize> = Vec::with_capacity(plan.headings.len());
    // More than one title is PC102's.
    order.extend((0..plan.headings.len()).filter(|&i| plan.headings[i].level != 1));
    order.sort_by(|&a, &b| by_section(&plan.headings[a], &plan.headings[b]));
    let mut first = None;
    for pair in order.windows(2) {
        let (before, i) = (pair[0], pair[1]);
        let heading = &plan.headings[i];
        if by_section(&plan.headings[before], heading).is_ne() {
            first = None;
            continue;
        }
        let first_index = *first.get_or_insert(before);
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

/// Orders headings by parent, level and name (ASCII case folded): two headings are one
/// section written twice when they compare equal.
fn by_section(a: &Heading, b: &Heading) -> Ordering {
    let (a_name, b_name) = (a.text.bytes(), b.text.bytes());
    (a.parent, a.level).cmp(&(b.parent, b.level)).then_with(|| {
        a_name
            .map(|c| c.to_ascii_lowercase())
            .cmp(b_name.map(|c| c.to_ascii_lowercase()))
    })
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
    use crate::rules::structure::findings;

    #[test]
    fn a_section_is_repeated_under_its_own_parent_whatever_its_case() {
        let text = "# T\n\n## A\n\n### Risks\n\n### Notes\n\n### RISKS\n\n## B\n\n### Risks\n\n\
                    ## a\n\n### risks\n";
        let repeated: Vec<String> = (findings(text).into_iter())
            .filter(|(code, _)| *code == "PC105")
            .map(|(_, at)| at)
            .collect();
        assert_eq!(repeated, ["### RISKS", "## a"]);
    }
}
