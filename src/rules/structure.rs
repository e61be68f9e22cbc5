//! PC1xx: the plan's headings, sections, phases and leftover template text, all read from
//! the section tree in one walk per rule.

use std::sync::OnceLock;

use regex::Regex;

use crate::plan::{Heading, Plan};
use crate::rules::{declare_rule, suggest, Checker};
use crate::schema::PlanSchema;
use crate::source::Span;

declare_rule!(pub INVALID_TITLE, "PC101", "invalid-title", Error,
    "The first heading is not a level-1 plan title");
declare_rule!(pub MULTIPLE_TITLES, "PC102", "multiple-titles", Error,
    "More than one level-1 heading");
declare_rule!(pub MISSING_SECTION, "PC103", "missing-section", Error,
    "A section the template requires is absent");
declare_rule!(pub SECTION_ORDER, "PC104", "section-order", Warning,
    "Required sections are out of the template's order");
declare_rule!(pub DUPLICATE_SECTION, "PC105", "duplicate-section", Error,
    "The same heading twice under the same parent");
declare_rule!(pub UNKNOWN_SECTION, "PC106", "unknown-section", Warning,
    "A section the template does not have");
declare_rule!(pub EMPTY_SECTION, "PC107", "empty-section", Warning,
    "A required section with no content");
declare_rule!(pub TEMPLATE_PLACEHOLDER, "PC108", "template-placeholder", Error,
    "Template text left unfilled");
declare_rule!(pub HEADING_INCREMENT, "PC109", "heading-increment", Warning,
    "A heading more than one level deeper than the one before");
declare_rule!(pub INVALID_PHASE, "PC110", "invalid-phase", Error,
    "Phases missing, misnamed or misnumbered");
declare_rule!(pub MISSING_PHASE_FIELD, "PC111", "missing-phase-field", Error,
    "A phase lacks one of its bold fields");
declare_rule!(pub INVALID_CONTEXT_MODE, "PC112", "invalid-context-mode", Error,
    "The context mode is not one of the allowed modes");

pub fn check(plan: &Plan, cx: &mut Checker<'_>) {
    let schema = cx.plan_schema(plan);
    invalid_title(plan, schema, cx);
    multiple_titles(plan, cx);
    missing_section(plan, schema, cx);
    section_order(plan, schema, cx);
    duplicate_section(plan, cx);
    unknown_section(plan, schema, cx);
    empty_section(plan, schema, cx);
    template_placeholder(plan, cx);
    heading_increment(plan, cx);
    phases(plan, schema, cx);
    invalid_context_mode(plan, cx);
}

fn invalid_title(plan: &Plan, schema: &PlanSchema, cx: &mut Checker<'_>) {
    let help = format!("start the plan with `# {}`", schema.title_form);
    let Some(title) = plan.title() else {
        if let Some(d) = cx.report(
            &INVALID_TITLE,
            Some(Span::empty(0)),
            "the plan has no title",
        ) {
            d.help(help);
        }
        return;
    };
    let message = if title.level != 1 {
        format!(
            "the first heading is level {}, not a level-1 plan title",
            title.level
        )
    } else if schema.title.is_match(&title.text) || cx.schema.has_placeholder(&title.text) {
        return;
    } else {
        format!(
            "title `{}` is not of the form `{}`",
            title.text, schema.title_form
        )
    };
    if let Some(d) = cx.report(&INVALID_TITLE, Some(title.span), message) {
        d.help(help);
    }
}

fn multiple_titles(plan: &Plan, cx: &mut Checker<'_>) {
    let mut titles = plan.headings.iter().filter(|h| h.level == 1);
    let Some(first) = titles.next() else { return };
    for extra in titles {
        if let Some(d) = cx.report(
            &MULTIPLE_TITLES,
            Some(extra.span),
            format!("`{}` is a second level-1 heading", extra.text),
        ) {
            d.label(first.span, "the plan's title")
                .help("make it a section (`##`) or remove it");
        }
    }
}

/// Where a missing H2 would belong: the title, or line 1 when there is none.
fn title_span(plan: &Plan) -> Span {
    plan.headings
        .iter()
        .find(|h| h.level == 1)
        .map_or(Span::empty(0), |h| h.span)
}

fn missing_section(plan: &Plan, schema: &PlanSchema, cx: &mut Checker<'_>) {
    let mut previous: Option<&str> = None;
    for section in &schema.sections {
        match plan.section(&section.name) {
            None => {
                let message = format!("missing section `## {}`", section.name);
                let help = match previous {
                    Some(before) => format!("add `## {}` after `## {before}`", section.name),
                    None => format!("add `## {}` below the title", section.name),
                };
                if let Some(d) = cx.report(&MISSING_SECTION, Some(title_span(plan)), message) {
                    d.help(help);
                }
            }
            Some(present) => {
                let heading = &plan.headings[present];
                let mut previous_sub: Option<&str> = None;
                for sub in section.subsections.iter().flatten() {
                    if plan.subsection(present, sub).is_none() {
                        let help = match previous_sub {
                            Some(before) => format!("add `### {sub}` after `### {before}`"),
                            None => format!("add `### {sub}` as its first subsection"),
                        };
                        if let Some(d) = cx.report(
                            &MISSING_SECTION,
                            Some(heading.span),
                            format!("section `## {}` lacks `### {sub}`", heading.text),
                        ) {
                            d.help(help);
                        }
                    }
                    previous_sub = Some(sub);
                }
            }
        }
        previous = Some(&section.name);
    }
}

fn section_order(plan: &Plan, schema: &PlanSchema, cx: &mut Checker<'_>) {
    let h2s = plan.sections().map(|(i, _)| i);
    report_out_of_order(plan, h2s, &schema.sections, |s| &s.name, "##", cx);
    for section in &schema.sections {
        let (Some(subs), Some(present)) = (&section.subsections, plan.section(&section.name))
        else {
            continue;
        };
        let h3s = plan.children(present).map(|(i, _)| i);
        report_out_of_order(plan, h3s, subs, String::as_str, "###", cx);
    }
}

/// Reports the headings outside the longest run that already follows the template, so
/// one moved section is one finding.
fn report_out_of_order<T>(
    plan: &Plan,
    headings: impl Iterator<Item = usize> + Clone,
    template: &[T],
    name_of: impl Fn(&T) -> &str,
    marks: &str,
    cx: &mut Checker<'_>,
) {
    let position = |i: usize| {
        let name = &plan.headings[i].text;
        template
            .iter()
            .position(|t| name_of(t).eq_ignore_ascii_case(name))
    };
    // Most plans follow the template: when the positions never go back, the first of each
    // already increase, and there is nothing to collect.
    let mut last = None;
    let in_order = headings.clone().filter_map(position).all(|at| {
        let forward = last.is_none_or(|last| at >= last);
        last = Some(at);
        forward
    });
    if in_order {
        return;
    }
    let mut seen = Vec::new();
    let placed: Vec<(usize, usize)> = headings
        .filter_map(|i| {
            let at = position(i)?;
            (!seen.contains(&at)).then(|| {
                seen.push(at);
                (i, at)
            })
        })
        .collect();
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

fn duplicate_section(plan: &Plan, cx: &mut Checker<'_>) {
    // Sorted by parent, level and name (ASCII case folded), then by position: a repeat is
    // next to its first. No allocation per heading, and no quadratic walk among siblings.
    let mut order: Vec<usize> = (0..plan.headings.len())
        .filter(|&i| plan.headings[i].level != 1) // more than one title is PC102's
        .collect();
    let key = |i: usize| {
        let h = &plan.headings[i];
        (h.parent, h.level)
    };
    let name = |i: usize| {
        plan.headings[i]
            .text
            .bytes()
            .map(|b| b.to_ascii_lowercase())
    };
    order.sort_by(|&a, &b| {
        key(a)
            .cmp(&key(b))
            .then_with(|| name(a).cmp(name(b)))
            .then(a.cmp(&b))
    });
    let mut first = None;
    for pair in order.windows(2) {
        let (before, i) = (pair[0], pair[1]);
        let same = key(before) == key(i) && name(before).eq(name(i));
        if !same {
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

fn unknown_section(plan: &Plan, schema: &PlanSchema, cx: &mut Checker<'_>) {
    let known = || schema.sections.iter().map(|s| s.name.as_str());
    for (i, heading) in plan.sections() {
        let is_extra = schema
            .extra_sections
            .iter()
            .any(|e| e.eq_ignore_ascii_case(&heading.text));
        if is_extra {
            continue;
        }
        if schema.section(&heading.text).is_some() {
            for (_, sub) in plan.children(i).filter(|(_, h)| h.level == 3) {
                if is_phases_section(schema, heading) {
                    continue;
                }
                let Some((_, section)) = schema.section(&heading.text) else {
                    continue;
                };
                let Some(allowed) = &section.subsections else {
                    continue;
                };
                if allowed.iter().any(|a| a.eq_ignore_ascii_case(&sub.text)) {
                    continue;
                }
                report_unknown(cx, sub, "###", allowed.iter().map(String::as_str));
            }
        } else {
            report_unknown(cx, heading, "##", known());
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

fn is_phases_section(schema: &PlanSchema, heading: &Heading) -> bool {
    heading.text.eq_ignore_ascii_case(&schema.phases_section)
}

fn empty_section(plan: &Plan, schema: &PlanSchema, cx: &mut Checker<'_>) {
    for section in &schema.sections {
        let Some(present) = plan.section(&section.name) else {
            continue;
        };
        let heading = &plan.headings[present];
        // An empty `## Metadata` is told field by field (PC201), empty phases by PC110.
        let told_elsewhere =
            section.name.eq_ignore_ascii_case("Metadata") || is_phases_section(schema, heading);
        if !told_elsewhere {
            report_if_empty(cx, heading, "##");
        }
        for sub in section.subsections.iter().flatten() {
            if let Some(child) = plan.subsection(present, sub) {
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

fn template_placeholder(plan: &Plan, cx: &mut Checker<'_>) {
    let text = &cx.file.text;
    // One pass of the combined pattern; leftmost-first keeps matches from overlapping.
    let found = cx
        .schema
        .placeholder
        .find_iter(text)
        .map(|m| Span::new(m.start(), m.end()))
        .filter(|span| !plan.in_code(*span));
    for span in found.collect::<Vec<_>>() {
        if let Some(d) = cx.report(
            &TEMPLATE_PLACEHOLDER,
            Some(span),
            format!("template placeholder `{}` is left unfilled", cx.text(span)),
        ) {
            d.help("replace it with this plan's own text");
        }
    }
    for item in plan.metadata_items() {
        let Some(field) = &item.field else { continue };
        if cx
            .schema
            .placeholder_values
            .iter()
            .any(|p| p == field.value)
        {
            let first = field
                .value
                .split('|')
                .next()
                .unwrap_or_default()
                .to_string();
            if let Some(d) = cx.report(
                &TEMPLATE_PLACEHOLDER,
                Some(field.value_span),
                format!(
                    "`{}` still lists the template's choices `{}`",
                    field.name, field.value
                ),
            ) {
                d.help(format!("pick one, such as `{first}`"));
            }
        }
    }
}

fn heading_increment(plan: &Plan, cx: &mut Checker<'_>) {
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

/// The number of a `Phase <N>: <Name>` heading; `None` for any other heading, and 0 for a
/// number that is not ASCII digits.
fn phase_number(heading: &str) -> Option<u64> {
    // Most phase headings are read here, without the regex's captures (a sixtieth of the
    // run's time); the regex decides the rest, its `\d` being any Unicode digit.
    if let Some(rest) = heading.strip_prefix("Phase ") {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let name = (1..=9)
            .contains(&digits)
            .then(|| rest[digits..].strip_prefix(':'))
            .flatten()
            .map(|name| name.trim_start_matches(' '));
        if name.is_some_and(|n| n.starts_with(|c: char| !c.is_whitespace()) && !n.contains('\n')) {
            return rest[..digits].parse().ok();
        }
    }
    static PHASE: OnceLock<Regex> = OnceLock::new();
    // invariant: a constant pattern, exercised by every fixture with phases.
    #[allow(clippy::unwrap_used)]
    let phase =
        PHASE.get_or_init(|| Regex::new(r"^Phase (?P<number>\d{1,9}): *(?P<name>\S.*)$").unwrap());
    let caps = phase.captures(heading)?;
    Some(caps["number"].parse().unwrap_or(0))
}

fn phases(plan: &Plan, schema: &PlanSchema, cx: &mut Checker<'_>) {
    let Some(section) = plan.section(&schema.phases_section) else {
        return;
    };
    let section_heading = &plan.headings[section];
    let h3s: Vec<usize> = plan
        .children(section)
        .filter(|(_, h)| h.level == 3)
        .map(|(i, _)| i)
        .collect();
    if h3s.is_empty() {
        if let Some(d) = cx.report(
            &INVALID_PHASE,
            Some(section_heading.span),
            format!("`## {}` holds no phase", section_heading.text),
        ) {
            d.help("add a `### Phase 1: <Name>` for each phase of the work");
        }
        return;
    }
    let mut expected: u64 = 1;
    for i in h3s {
        let heading = &plan.headings[i];
        let Some(number) = phase_number(&heading.text) else {
            if let Some(d) = cx.report(
                &INVALID_PHASE,
                Some(heading.span),
                format!(
                    "`### {}` is not a phase heading of the form `Phase <N>: <Name>`",
                    heading.text
                ),
            ) {
                d.help(
                    "name it `### Phase <N>: <Name>`, or make it a deeper heading inside a phase",
                );
            }
            continue;
        };
        if number != expected {
            if let Some(d) = cx.report(
                &INVALID_PHASE,
                Some(heading.span),
                format!("phase {number} should be phase {expected}: phases are numbered 1, 2, 3…"),
            ) {
                d.help(format!("renumber it `Phase {expected}`"));
            }
        }
        expected = number.saturating_add(1);
        missing_phase_fields(plan, i, schema, cx);
    }
}

fn missing_phase_fields(plan: &Plan, phase: usize, schema: &PlanSchema, cx: &mut Checker<'_>) {
    let heading = &plan.headings[phase];
    let present: Vec<&str> = plan
        .items_within(phase)
        .iter()
        .filter_map(|item| item.field.as_ref())
        .map(|f| f.name)
        .collect();
    // The template's own "[Continue pattern …]" phase is unfilled text, PC108's to report.
    if present.is_empty() && cx.schema.has_placeholder(cx.text(heading.body)) {
        return;
    }
    for wanted in &schema.phase_fields {
        if present.iter().any(|p| p.eq_ignore_ascii_case(wanted)) {
            continue;
        }
        if let Some(d) = cx.report(
            &MISSING_PHASE_FIELD,
            Some(heading.span),
            format!("phase `{}` lacks `**{wanted}**`", heading.text),
        ) {
            d.help(format!("add `- **{wanted}**: …` to this phase"));
        }
    }
}

fn context_mode_item() -> &'static Regex {
    static MODE: OnceLock<Regex> = OnceLock::new();
    // invariant: a constant pattern, tested by the PC112 fixtures.
    #[allow(clippy::unwrap_used)]
    MODE.get_or_init(|| {
        Regex::new(r"(?i)^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+[*_]*context[ -]mode(?:[ \t]+recommendation)?[*_]*[ \t]*:[*_]*[ \t]*(?P<value>.*)$")
            .unwrap()
    })
}

fn invalid_context_mode(plan: &Plan, cx: &mut Checker<'_>) {
    let modes = &cx.schema.context_modes;
    for item in &plan.items {
        let line = cx.text(item.first_line);
        // Most items are no context mode: a look at the first word rules them out before
        // the regex does.
        let names_context = crate::parse::item_body(line).is_some_and(|body| {
            let word = body.trim_start_matches(['*', '_']).as_bytes();
            word.get(..7)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"context"))
        });
        if !names_context {
            continue;
        }
        let Some(value) = context_mode_item()
            .captures(line)
            .and_then(|c| c.name("value"))
        else {
            continue;
        };
        let raw = value.as_str();
        let word_start = raw
            .find(|c: char| !matches!(c, '*' | '_' | '`' | ' ' | '\t'))
            .unwrap_or(raw.len());
        let word_len = raw[word_start..]
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '*' | '_' | '`' | ',' | ';' | '(' | ')')
            })
            .unwrap_or(raw.len() - word_start);
        let word = raw[word_start..word_start + word_len].trim_end_matches('.');
        if modes.iter().any(|m| m == word) || cx.schema.has_placeholder(raw) {
            continue;
        }
        let start = item.first_line.start + value.start() + word_start;
        let (span, message) = if word.is_empty() {
            (Span::empty(start), "the context mode is empty".to_string())
        } else {
            (
                Span::new(start, start + word.len()),
                format!("context mode `{word}` is not one of: {}", modes.join(", ")),
            )
        };
        let help = match suggest(word, modes.iter().map(String::as_str)) {
            Some(mode) => format!("use `{mode}`"),
            None => format!("use one of: {}", modes.join(", ")),
        };
        if let Some(d) = cx.report(&INVALID_CONTEXT_MODE, Some(span), message) {
            d.help(help);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_moved_section_is_one_finding() {
        // template order 0..4; the plan moved section 4 to the front
        let placed = [(10, 4), (11, 0), (12, 1), (13, 2), (14, 3)];
        assert_eq!(outside_longest_increasing_run(&placed), vec![(10, 4)]);
        let swapped = [(10, 0), (11, 2), (12, 1), (13, 3)];
        assert_eq!(outside_longest_increasing_run(&swapped).len(), 1);
        assert!(outside_longest_increasing_run(&[(1, 0), (2, 1)]).is_empty());
    }

    #[test]
    fn phase_numbers_read_directly_agree_with_the_pattern() {
        let cases = [
            ("Phase 1: Setup", Some(1)),
            ("Phase 12:   API and `tests`", Some(12)),
            ("Phase 123456789: X", Some(123_456_789)),
            ("Phase 1234567890: X", None),
            ("Phase 2:Setup", Some(2)),
            ("Phase 2: ", None),
            ("Phase 2:\tSetup", None),
            ("Phase : Setup", None),
            ("Phase 2 Setup", None),
            ("phase 2: Setup", None),
            ("Phase \u{0663}: Arabic-Indic three", Some(0)),
            ("Phase 1\u{0663}: mixed", Some(0)),
            ("Phase 3: two\nlines", None),
        ];
        for (heading, number) in cases {
            assert_eq!(phase_number(heading), number, "{heading:?}");
        }
    }
}
