//! PC103, PC104, PC106 and PC107: the template's sections, present, in order, known and
//! filled in.

use crate::diagnostic::{Edit, Fix};
use crate::plan::{Heading, Plan, Span};
use crate::rules::insertion::{after_last_line, before_line, insert_lines, Spacing};
use crate::rules::registry::{EMPTY_SECTION, MISSING_SECTION, SECTION_ORDER, UNKNOWN_SECTION};
use crate::rules::{suggest, Checker};
use crate::schema::PlanSchema;

use super::outline::{subsection, Outline, Placed};
use super::title::title_span;

pub(super) fn missing_section(
    plan: &Plan,
    schema: &PlanSchema,
    outline: &Outline,
    cx: &mut Checker<'_>,
) {
    let mut previous: Option<&str> = None;
    for (at, section) in schema.sections.iter().enumerate() {
        match outline.section(at) {
            None => {
                let message = format!("missing section `## {}`", section.name);
                let help = match previous {
                    Some(before) => format!("add `## {}` after `## {before}`", section.name),
                    None => format!("add `## {}` below the title", section.name),
                };
                let fix = insert_section(plan, None, &section.name, cx, || {
                    let present = |j: usize| outline.section(j).map(|(h2, _)| h2.heading);
                    let preceding = (0..at).rev().find_map(present);
                    let following = (at + 1..schema.sections.len()).find_map(present);
                    let title = plan.title().map(|t| t.span);
                    place_between(plan, &cx.file.text, preceding, following, title)
                });
                if let Some(d) = cx.report(&MISSING_SECTION, Some(title_span(plan)), message) {
                    d.help(help);
                    if let Some(fix) = fix {
                        d.fix(fix);
                    }
                }
            }
            Some((h2, children)) => {
                let heading = &plan.headings[h2.heading];
                if h2.misspelt {
                    report_misspelt(cx, heading, &section.name);
                }
                let mut previous_sub: Option<&str> = None;
                let subsections = section.subsections.as_ref().map_or(0, Vec::len);
                for (sub_at, sub) in section.subsections.iter().flatten().enumerate() {
                    match children.iter().find(|c| c.at == Some(sub_at)) {
                        Some(child) if child.misspelt => {
                            report_misspelt(cx, &plan.headings[child.heading], sub);
                        }
                        Some(_) => {}
                        None => {
                            let help = match previous_sub {
                                Some(before) => format!("add `### {sub}` after `### {before}`"),
                                None => format!("add `### {sub}` as its first subsection"),
                            };
                            let fix = insert_section(plan, Some(&section.name), sub, cx, || {
                                let present = |k: usize| subsection(children, k);
                                let preceding = (0..sub_at).rev().find_map(present);
                                let following = (sub_at + 1..subsections).find_map(present);
                                match (preceding, following) {
                                    (None, None) => heading.body.end,
                                    _ => place_between(
                                        plan,
                                        &cx.file.text,
                                        preceding,
                                        following,
                                        None,
                                    ),
                                }
                            });
                            if let Some(d) = cx.report(
                                &MISSING_SECTION,
                                Some(heading.span),
                                format!("section `## {}` lacks `### {sub}`", heading.text),
                            ) {
                                d.help(help);
                                if let Some(fix) = fix {
                                    d.fix(fix);
                                }
                            }
                        }
                    }
                    previous_sub = Some(sub);
                }
            }
        }
        previous = Some(&section.name);
    }
}

/// The fix that adds the template's section `name` (a subsection of `parent`, or an H2) at
/// the offset `place` gives, as the template of the plan's kind writes it.
fn insert_section(
    plan: &Plan,
    parent: Option<&str>,
    name: &str,
    cx: &Checker<'_>,
    place: impl FnOnce() -> usize,
) -> Option<Fix> {
    let text = cx.plan_schema(plan).section_text(parent, name)?;
    let marks = if parent.is_some() { "###" } else { "##" };
    let at = place();
    Some(Fix::unsafe_(
        format!("add `{marks} {name}` with the template's text"),
        vec![insert_lines(&cx.file.text, at, text, Spacing::Block)],
    ))
}

/// Where a section missing between two headings goes: after the body of the `preceding`
/// one, else before the `following` one, else after `otherwise` (the title), else first.
fn place_between(
    plan: &Plan,
    text: &str,
    preceding: Option<usize>,
    following: Option<usize>,
    otherwise: Option<Span>,
) -> usize {
    match (preceding, following, otherwise) {
        (Some(preceding), _, _) => plan.headings[preceding].body.end,
        (None, Some(following), _) => before_line(text, plan.headings[following].span.start),
        (None, None, Some(title)) => after_last_line(text, title.end),
        (None, None, None) => 0,
    }
}

/// PC103 at a heading that misspells the template's `name`.
fn report_misspelt(cx: &mut Checker<'_>, heading: &Heading, name: &str) {
    let marks = "#".repeat(usize::from(heading.level));
    let words = plain_text_span(cx, heading);
    if let Some(d) = cx.report(
        &MISSING_SECTION,
        Some(heading.span),
        format!(
            "section `{marks} {}` should be `{marks} {name}`",
            heading.text
        ),
    ) {
        d.help(format!("rename it `{marks} {name}`"));
        if let Some(words) = words {
            d.fix(Fix::safe(
                format!("rename the section `{marks} {name}`"),
                vec![Edit::replace(words, name)],
            ));
        }
    }
}

/// Where the heading's text stands in its line, when the line writes it plainly: without
/// markup inside, which a rename would have to keep or drop.
fn plain_text_span(cx: &Checker<'_>, heading: &Heading) -> Option<Span> {
    let line = cx.text(heading.span);
    let marks = line.len() - line.trim_start_matches([' ', '#']).len();
    let at = marks + line[marks..].find(&*heading.text)?;
    Some(Span::new(
        heading.span.start + at,
        heading.span.start + at + heading.text.len(),
    ))
}

pub(super) fn section_order(
    plan: &Plan,
    schema: &PlanSchema,
    outline: &Outline,
    cx: &mut Checker<'_>,
) {
    let h2s = outline.h2s.iter().map(|h2| Placed {
        heading: h2.heading,
        at: h2.section,
        misspelt: h2.misspelt,
    });
    report_out_of_order(plan, h2s, &schema.sections, |s| &s.name, "##", cx);
    for (at, section) in schema.sections.iter().enumerate() {
        let (Some(subs), Some((_, children))) = (&section.subsections, outline.section(at)) else {
            continue;
        };
        let h3s = children.iter().copied();
        report_out_of_order(plan, h3s, subs, String::as_str, "###", cx);
    }
}

/// Reports the headings outside the longest run that already follows the template, so
/// one moved section is one finding.
fn report_out_of_order<T>(
    plan: &Plan,
    headings: impl Iterator<Item = Placed>,
    template: &[T],
    name_of: impl Fn(&T) -> &str,
    marks: &str,
    cx: &mut Checker<'_>,
) {
    // A heading repeating a section is PC105's: only its first is placed.
    let mut placed: Vec<(usize, usize)> = Vec::with_capacity(template.len());
    for h in headings {
        if let Some(at) =
            h.at.filter(|&at| placed.iter().all(|&(_, seen)| seen != at))
        {
            placed.push((h.heading, at));
        }
    }
    if placed.is_sorted_by_key(|&(_, at)| at) {
        return;
    }
    for (heading, at) in outside_longest_increasing_run(&placed) {
        let name = &plan.headings[heading].text;
        let help = match at.checked_sub(1).and_then(|p| template.get(p)) {
            Some(before) => format!(
                "move it after `{marks} {}`, as the template has it",
                name_of(before)
            ),
            None => "move it first, as the template has it".to_string(),
        };
        if let Some(d) = cx.report(
            &SECTION_ORDER,
            Some(plan.headings[heading].span),
            format!("section `{marks} {name}` is out of the template's order"),
        ) {
            d.help(help);
        }
    }
}

/// The items not in the longest subsequence whose template positions increase.
fn outside_longest_increasing_run(placed: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let n = placed.len();
    let mut length = vec![1usize; n];
    let mut previous = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            if placed[j].1 < placed[i].1 && length[j] + 1 > length[i] {
                length[i] = length[j] + 1;
                previous[i] = j;
            }
        }
    }
    let mut keep = vec![false; n];
    let mut at = (0..n).max_by_key(|&i| (length[i], usize::MAX - i));
    while let Some(i) = at {
        keep[i] = true;
        at = (previous[i] != usize::MAX).then(|| previous[i]);
    }
    placed
        .iter()
        .zip(keep)
        .filter(|(_, kept)| !kept)
        .map(|(p, _)| *p)
        .collect()
}

pub(super) fn unknown_section(
    plan: &Plan,
    schema: &PlanSchema,
    outline: &Outline,
    cx: &mut Checker<'_>,
) {
    let known = || schema.sections.iter().map(|s| s.name.as_str());
    for h2 in &outline.h2s {
        let heading = &plan.headings[h2.heading];
        let is_extra = schema
            .extra_sections
            .iter()
            .any(|e| e.eq_ignore_ascii_case(&heading.text));
        if is_extra {
            continue;
        }
        let Some(section) = h2.section else {
            report_unknown(cx, heading, "##", known());
            continue;
        };
        // A section without a list of subsections (phases, a high-priority plan's) is free
        // below.
        let Some(allowed) = &schema.sections[section].subsections else {
            continue;
        };
        for child in &outline.children[h2.children.clone()] {
            let sub = &plan.headings[child.heading];
            if sub.level == 3 && child.at.is_none() {
                report_unknown(cx, sub, "###", allowed.iter().map(String::as_str));
            }
        }
    }
}

fn report_unknown<'s>(
    cx: &mut Checker<'_>,
    heading: &Heading,
    marks: &str,
    known: impl Iterator<Item = &'s str>,
) {
    let help = match suggest(&heading.text, known) {
        Some(name) => format!("did you mean `{marks} {name}`?"),
        None => {
            "remove it, fold it into a template section, or make it a deeper heading".to_string()
        }
    };
    if let Some(d) = cx.report(
        &UNKNOWN_SECTION,
        Some(heading.span),
        format!("section `{marks} {}` is not in the template", heading.text),
    ) {
        d.help(help);
    }
}

pub(super) fn empty_section(
    plan: &Plan,
    schema: &PlanSchema,
    outline: &Outline,
    cx: &mut Checker<'_>,
) {
    for (at, section) in schema.sections.iter().enumerate() {
        let Some((h2, children)) = outline.section(at) else {
            continue;
        };
        let heading = &plan.headings[h2.heading];
        // An empty `## Metadata` is told field by field (PC201), empty phases by PC110.
        let told_elsewhere = section.name == "Metadata" || section.name == schema.phases_section;
        if !told_elsewhere {
            report_if_empty(cx, heading, "##");
        }
        for (sub_at, _) in section.subsections.iter().flatten().enumerate() {
            if let Some(child) = subsection(children, sub_at) {
                report_if_empty(cx, &plan.headings[child], "###");
            }
        }
    }
}

fn report_if_empty(cx: &mut Checker<'_>, heading: &Heading, marks: &str) {
    if heading.has_content {
        return;
    }
    if let Some(d) = cx.report(
        &EMPTY_SECTION,
        Some(heading.span),
        format!("section `{marks} {}` is empty", heading.text),
    ) {
        d.help("fill it in, or say in a line why it does not apply");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rules::structure::findings;
    use crate::testing::passing_plan_with;

    #[test]
    fn a_misspelt_section_is_one_pc103_at_it() {
        let plan = passing_plan_with("## Strategy\n", "## Strategyy\n");
        assert_eq!(findings(&plan), [("PC103", "## Strategyy".to_string())]);
    }

    #[test]
    fn a_misspelt_heading_is_renamed_and_nothing_else_changes() {
        let fixed = |from: &str, to: &str| {
            crate::testing::fixed_passing_plan_with(from, to, super::super::check, "PC103")
        };
        let passing = Some(crate::testing::PASSING_PLAN.to_string());
        assert_eq!(fixed("## Strategy\n", "## Strategyy\n"), passing);
        assert_eq!(
            fixed("## Strategy\n", "##   strategy  \n"),
            Some(passing_plan_with("## Strategy\n", "##   Strategy  \n"))
        );
        assert_eq!(fixed("### Quality Gates\n", "### Quality Gate\n"), passing);
        assert_eq!(
            fixed("## Strategy\n", "## **Strategyy**\n"),
            Some(passing_plan_with("## Strategy\n", "## **Strategy**\n"))
        );
        assert_eq!(fixed("## Strategy\n", "## Strat*egyy*\n"), None);
    }

    /// The passing plan's section `from` up to the heading `to` (not included).
    fn section_of_passing_plan(from: &str, to: &str) -> String {
        section_of_passing_text(crate::testing::PASSING_PLAN, from, to)
    }

    /// `plan`'s text from `from` up to `to` (not included).
    fn section_of_passing_text(plan: &str, from: &str, to: &str) -> String {
        let start = plan.find(from).unwrap();
        let end = start + plan[start..].find(to).unwrap();
        plan[start..end].to_string()
    }

    #[test]
    fn a_missing_section_is_inserted_between_its_neighbours() {
        let strategy = section_of_passing_plan("## Strategy\n", "## Phases\n");
        let plan = passing_plan_with(&strategy, "");
        let template = crate::schema::Schema::default_schema()
            .regular
            .section_text(None, "Strategy")
            .unwrap()
            .to_string();
        let fixed =
            crate::testing::fixed("M01-v1-user-auth.md", &plan, super::super::check, "PC103");
        assert_eq!(
            fixed,
            Some(passing_plan_with(&strategy, &format!("{template}\n")))
        );
    }

    #[test]
    fn a_missing_subsection_is_inserted_between_its_neighbours() {
        let decisions =
            section_of_passing_plan("### Key Architecture Decisions\n", "### Integration Points");
        let inserted = "### Key Architecture Decisions\n\
            - Major technical decisions that affect implementation\n\
            - Frameworks, patterns, or technologies to be used\n\
            - Reasoning behind architectural choices\n\n";
        let fixed =
            crate::testing::fixed_passing_plan_with(&decisions, "", super::super::check, "PC103");
        assert_eq!(fixed, Some(passing_plan_with(&decisions, inserted)));
        // The first subsection goes before the one that follows it.
        let assessment = section_of_passing_plan(
            "### Current State Assessment\n",
            "### Requirements Breakdown",
        );
        let fixed =
            crate::testing::fixed_passing_plan_with(&assessment, "", super::super::check, "PC103")
                .unwrap();
        assert!(
            fixed.contains("## Analysis\n### Current State Assessment\n- What exists"),
            "{fixed}"
        );
        assert!(
            fixed.contains("- Technical debt or constraints that affect implementation\n\n### Requirements Breakdown\n"),
            "{fixed}"
        );
    }

    #[test]
    fn a_high_priority_plans_section_comes_from_its_own_template() {
        let plan = crate::testing::PASSING_H_PLAN;
        let current = section_of_passing_text(plan, "## Current State", "## Strategic");
        let without = plan.replacen(&current, "", 1);
        let fixed = crate::testing::fixed(
            "H-20250715T101500-token-leak-fix.md",
            &without,
            super::super::check,
            "PC103",
        );
        let inserted = "## Current State Assessment\n\
            - What is affected today, and how far\n\
            - What has been done about it so far\n\n";
        assert_eq!(fixed, Some(plan.replacen(&current, inserted, 1)));
    }

    #[test]
    fn an_inserted_section_keeps_crlf() {
        let strategy = section_of_passing_plan("## Strategy\n", "## Phases\n");
        let plan = passing_plan_with(&strategy, "").replace('\n', "\r\n");
        let fixed =
            crate::testing::fixed("M01-v1-user-auth.md", &plan, super::super::check, "PC103")
                .unwrap();
        assert!(
            !fixed.replace("\r\n", "").contains(['\r', '\n']),
            "every line ending is CRLF"
        );
        assert!(fixed.contains("\r\n\r\n## Strategy\r\n### Implementation Approach"));
    }

    #[test]
    fn a_heading_beside_its_present_section_is_no_near_miss() {
        let plan = passing_plan_with("## Phases\n", "## Strategi\n- x\n\n## Phases\n");
        assert_eq!(findings(&plan), [("PC106", "## Strategi".to_string())]);
    }

    #[test]
    fn a_second_misspelling_of_one_section_is_unknown() {
        let plan = passing_plan_with("## Strategy\n", "## Strategyy\n").replacen(
            "## Phases\n",
            "## Stratgy\n- x\n\n## Phases\n",
            1,
        );
        assert_eq!(
            findings(&plan),
            [
                ("PC103", "## Strategyy".to_string()),
                ("PC106", "## Stratgy".to_string())
            ]
        );
    }

    #[test]
    fn a_subsection_is_a_near_miss_only_of_its_own_sections_subsections() {
        // `### Quality Gate` stands under Strategy, not under Success Criteria, which lacks it.
        let plan = passing_plan_with("### Quality Gates\n", "### Quality Gatess\n");
        assert_eq!(
            findings(&plan),
            [("PC103", "### Quality Gatess".to_string())]
        );
        let moved = passing_plan_with(
            "### Quality Gates\n- No open high-severity security findings.\n\n",
            "",
        )
        .replacen(
            "### Performance Considerations\n",
            "### Quality Gate\n- x\n\n### Performance Considerations\n",
            1,
        );
        let found = findings(&moved);
        assert!(
            found.contains(&("PC106", "### Quality Gate".to_string())),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .all(|(code, at)| *code != "PC103" || at.starts_with("## Success")),
            "{found:?}"
        );
    }

    #[test]
    fn one_moved_section_is_one_finding() {
        // template order 0..4; the plan moved section 4 to the front
        let placed = [(10, 4), (11, 0), (12, 1), (13, 2), (14, 3)];
        assert_eq!(outside_longest_increasing_run(&placed), vec![(10, 4)]);
        let swapped = [(10, 0), (11, 2), (12, 1), (13, 3)];
        assert_eq!(outside_longest_increasing_run(&swapped).len(), 1);
        assert!(outside_longest_increasing_run(&[(1, 0), (2, 1)]).is_empty());
    }
}
