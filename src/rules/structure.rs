//! PC1xx: the plan's headings, sections, phases and leftover template text, all read from
//! the section tree in one walk per rule.

use std::ops::Range;

use crate::plan::Span;
use crate::plan::{phase_heading, Heading, Plan};
use crate::references::context_mode;
use crate::rules::registry::{
    DUPLICATE_SECTION, EMPTY_SECTION, HEADING_INCREMENT, INVALID_CONTEXT_MODE, INVALID_PHASE,
    INVALID_TITLE, MISSING_PHASE_FIELD, MISSING_SECTION, MULTIPLE_TITLES, SECTION_ORDER,
    UNKNOWN_SECTION,
};
use crate::rules::{near_miss, suggest, Checker};
use crate::schema::PlanSchema;

pub fn check(plan: &Plan, cx: &mut Checker<'_>) {
    let schema = cx.plan_schema(plan);
    let outline = Outline::of(plan, schema);
    invalid_title(plan, schema, cx);
    multiple_titles(plan, cx);
    missing_section(plan, schema, &outline, cx);
    section_order(plan, schema, &outline, cx);
    duplicate_section(plan, cx);
    unknown_section(plan, schema, &outline, cx);
    empty_section(plan, schema, &outline, cx);
    heading_increment(plan, cx);
    phases(plan, schema, &outline, cx);
    invalid_context_mode(plan, cx);
}

/// The plan's H2s matched once against the template's sections, and the headings below
/// each against its section's subsections: the section rules read these places instead of
/// comparing every heading with every name again, rule after rule.
struct Outline {
    /// For each template section, the first H2 of its name (or misspelling it).
    first: Vec<Option<usize>>,
    h2s: Vec<PlacedH2>,
    /// The direct children of the H2s whose section lists its subsections, each with the
    /// subsection it names; an H2's are `children[h2.children]`.
    children: Vec<Placed>,
}

struct PlacedH2 {
    heading: usize,
    /// The template section of the H2's name.
    section: Option<usize>,
    /// Whether the H2 names its section only as a near miss (`## Strategyy`).
    misspelt: bool,
    children: Range<usize>,
}

#[derive(Clone, Copy)]
struct Placed {
    heading: usize,
    /// Where the heading's name stands in its list of the template.
    at: Option<usize>,
    /// Whether it names that place only as a near miss (`### Primary Themes`).
    misspelt: bool,
}

/// Where `name` stands in `names`, ignoring case; `expected` is tried first, as plans
/// mostly follow the template. The template names each phase field once (tested), so the
/// place found is the only one.
fn place<T>(
    name: &str,
    names: &[T],
    name_of: impl Fn(&T) -> &str,
    expected: usize,
) -> Option<usize> {
    let is_name = |n: &T| name_of(n).eq_ignore_ascii_case(name);
    if names.get(expected).is_some_and(is_name) {
        return Some(expected);
    }
    names.iter().position(is_name)
}

/// Places `headings` among the template's `names`: a heading written exactly as one of them
/// stands there; then each other heading, in order, that is a near miss of a name no heading
/// has taken yet stands there misspelt. The template names each section and subsection once
/// (tested), so a name has one place.
fn place_headings(
    plan: &Plan,
    headings: impl Iterator<Item = usize>,
    names: &[&str],
    is_allowed: impl Fn(&str) -> bool,
) -> Vec<Placed> {
    let mut placed: Vec<Placed> = headings
        .map(|heading| Placed {
            heading,
            at: names.iter().position(|n| *n == plan.headings[heading].text),
            misspelt: false,
        })
        .collect();
    if placed.iter().all(|p| p.at.is_some()) {
        return placed;
    }
    let mut taken: Vec<bool> = vec![false; names.len()];
    for at in placed.iter().filter_map(|p| p.at) {
        taken[at] = true;
    }
    for unplaced in placed.iter_mut().filter(|p| p.at.is_none()) {
        let text = &plan.headings[unplaced.heading].text;
        if is_allowed(text) {
            continue;
        }
        let missing = (names.iter().enumerate()).filter(|(at, _)| !taken[*at]);
        if let Some(at) = near_miss(text, missing.map(|(at, name)| (at, *name))) {
            taken[at] = true;
            unplaced.at = Some(at);
            unplaced.misspelt = true;
        }
    }
    placed
}

impl Outline {
    fn of(plan: &Plan, schema: &PlanSchema) -> Outline {
        let names: Vec<&str> = schema.sections.iter().map(|s| s.name.as_str()).collect();
        let is_extra = |text: &str| {
            (schema.extra_sections.iter()).any(|extra| extra.eq_ignore_ascii_case(text))
        };
        let placed = place_headings(plan, plan.sections().map(|(i, _)| i), &names, is_extra);
        let mut outline = Outline {
            first: vec![None; schema.sections.len()],
            h2s: Vec::with_capacity(placed.len()),
            children: Vec::with_capacity(plan.headings.len()),
        };
        for h2 in placed {
            if let Some(section) = h2.at {
                outline.first[section].get_or_insert(h2.heading);
            }
            let from = outline.children.len();
            let subsections = h2
                .at
                .and_then(|s| schema.sections[s].subsections.as_deref());
            if let Some(subsections) = subsections {
                let names: Vec<&str> = subsections.iter().map(String::as_str).collect();
                let children = plan.children(h2.heading).map(|(i, _)| i);
                let placed = place_headings(plan, children, &names, |_| false);
                outline.children.extend(placed);
            }
            outline.h2s.push(PlacedH2 {
                heading: h2.heading,
                section: h2.at,
                misspelt: h2.misspelt,
                children: from..outline.children.len(),
            });
        }
        outline
    }

    /// The first H2 of template section `section`, with its placed children.
    fn section(&self, section: usize) -> Option<(&PlacedH2, &[Placed])> {
        let heading = self.first[section]?;
        let h2 = self.h2s.iter().find(|h2| h2.heading == heading)?;
        Some((h2, &self.children[h2.children.clone()]))
    }
}

/// The first child named by subsection `at`.
fn subsection(children: &[Placed], at: usize) -> Option<usize> {
    children
        .iter()
        .find(|c| c.at == Some(at))
        .map(|c| c.heading)
}

fn invalid_title(plan: &Plan, schema: &PlanSchema, cx: &mut Checker<'_>) {
    let help = || format!("start the plan with `# {}`", schema.title_form);
    let Some(title) = plan.title() else {
        if let Some(d) = cx.report(
            &INVALID_TITLE,
            Some(Span::empty(0)),
            "the plan has no title",
        ) {
            d.help(help());
        }
        return;
    };
    let message = if title.level != 1 {
        format!(
            "the first heading is level {}, not a level-1 plan title",
            title.level
        )
    } else if cx.title_groups(plan).is_some() {
        return;
    } else {
        format!(
            "title `{}` is not of the form `{}`",
            title.text, schema.title_form
        )
    };
    if let Some(d) = cx.report(&INVALID_TITLE, Some(title.span), message) {
        d.help(help());
    }
}

/// PC101 for a checked file that is not plan-shaped: the one thing said of it, as nothing
/// else the rules could say would help with a file that is no plan.
pub fn not_a_plan(plan: &Plan, cx: &mut Checker<'_>) {
    let span = plan.title().map_or(Span::empty(0), |title| title.span);
    let file_name = cx.file_name.unwrap_or_default();
    let state = cx
        .location()
        .and_then(std::path::Path::parent)
        .filter(|folder| crate::project::is_state_folder(folder, &cx.schema.completed_dirs))
        .and_then(|folder| folder.file_name())
        .map(|state| crate::fs::os_text(state).into_owned());
    let otherwise = match state {
        Some(state) => format!("move it out of `Implementations/{state}/`"),
        None if crate::plan::names::file_name_patterns().is_plan_name(file_name) => {
            "rename it: a name like `M01-v1-….md` marks a plan".to_string()
        }
        None => "leave it out of the run".to_string(),
    };
    let help = format!(
        "if it is a plan, start it with `# {}` and fill in `## Metadata`; if not, {otherwise}",
        cx.schema.regular.title_form
    );
    if let Some(d) = cx.report(
        &INVALID_TITLE,
        Some(span),
        "the file does not look like an implementation plan (no plan title, no plan metadata)",
    ) {
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

fn missing_section(plan: &Plan, schema: &PlanSchema, outline: &Outline, cx: &mut Checker<'_>) {
    let mut previous: Option<&str> = None;
    for (at, section) in schema.sections.iter().enumerate() {
        match outline.section(at) {
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
            Some((h2, children)) => {
                let heading = &plan.headings[h2.heading];
                if h2.misspelt {
                    report_misspelt(cx, heading, &section.name);
                }
                let mut previous_sub: Option<&str> = None;
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
                            if let Some(d) = cx.report(
                                &MISSING_SECTION,
                                Some(heading.span),
                                format!("section `## {}` lacks `### {sub}`", heading.text),
                            ) {
                                d.help(help);
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

/// PC103 at a heading that misspells the template's `name`.
fn report_misspelt(cx: &mut Checker<'_>, heading: &Heading, name: &str) {
    let marks = "#".repeat(usize::from(heading.level));
    if let Some(d) = cx.report(
        &MISSING_SECTION,
        Some(heading.span),
        format!(
            "section `{marks} {}` should be `{marks} {name}`",
            heading.text
        ),
    ) {
        d.help(format!("rename it `{marks} {name}`"));
    }
}

fn section_order(plan: &Plan, schema: &PlanSchema, outline: &Outline, cx: &mut Checker<'_>) {
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
    headings: impl Iterator<Item = Placed> + Clone,
    template: &[T],
    name_of: impl Fn(&T) -> &str,
    marks: &str,
    cx: &mut Checker<'_>,
) {
    // Most plans follow the template: when the places never go back, the first of each
    // already increase, and there is nothing to collect.
    let mut last = None;
    let in_order = headings.clone().filter_map(|h| h.at).all(|at| {
        let forward = last.is_none_or(|last| at >= last);
        last = Some(at);
        forward
    });
    if in_order {
        return;
    }
    let mut seen = Vec::new();
    let placed: Vec<(usize, usize)> = headings
        .filter_map(|h| {
            let at = h.at?;
            (!seen.contains(&at)).then(|| {
                seen.push(at);
                (h.heading, at)
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

fn unknown_section(plan: &Plan, schema: &PlanSchema, outline: &Outline, cx: &mut Checker<'_>) {
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

fn empty_section(plan: &Plan, schema: &PlanSchema, outline: &Outline, cx: &mut Checker<'_>) {
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

fn phases(plan: &Plan, schema: &PlanSchema, outline: &Outline, cx: &mut Checker<'_>) {
    let phases_section = schema.section(&schema.phases_section).map(|(at, _)| at);
    let Some((h2, _)) = phases_section.and_then(|at| outline.section(at)) else {
        return;
    };
    let section = h2.heading;
    let section_heading = &plan.headings[section];
    let h3s = (plan.children(section))
        .filter(|(_, h)| h.level == 3)
        .map(|(i, _)| i);
    if h3s.clone().next().is_none() {
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
        let Some((number, _)) = phase_heading(&heading.text) else {
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
    // Which of the template's fields the phase gives, one bit each (the template has at
    // most 64, tested): no list per phase.
    let mut given = 0u64;
    let mut fields = 0;
    for field in plan
        .items_within(phase)
        .iter()
        .filter_map(|i| i.field.as_ref())
    {
        fields += 1;
        if let Some(at) = place(field.name, &schema.phase_fields, String::as_str, fields - 1) {
            given |= 1 << at.min(63);
        }
    }
    // A phase holding only the template's "[Continue pattern …]" is unfilled text, PC108's
    // to report.
    if fields == 0 && holds_only_placeholders(plan, heading.body, cx) {
        return;
    }
    for (at, wanted) in schema.phase_fields.iter().enumerate() {
        if given & (1 << at.min(63)) != 0 {
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

/// Whether the text at `span` is placeholders and nothing else but blanks and list
/// markers (and holds at least one).
fn holds_only_placeholders(plan: &Plan, span: Span, cx: &Checker<'_>) -> bool {
    let mut at = span.start;
    let mut any = false;
    let is_blank = |text: &str| {
        text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '*' | '+'))
            .is_empty()
    };
    for placeholder in cx.placeholders(plan).within(span) {
        if !is_blank(cx.text(Span::new(at, placeholder.span.start.max(at)))) {
            return false;
        }
        at = placeholder.span.end;
        any = true;
    }
    any && is_blank(cx.text(Span::new(at.min(span.end), span.end)))
}

/// PC112: the mode of every context-mode item (`references::context_mode` reads it). The
/// template's own guidance line is PC113's, and no mode.
fn invalid_context_mode(plan: &Plan, cx: &mut Checker<'_>) {
    let modes = &cx.schema.context_modes;
    for item in &plan.items {
        let text = plan.text_of(item);
        let Some(mode) = context_mode(&text) else {
            continue;
        };
        let word = &text.as_str()[mode.clone()];
        let whole = text.source(0..text.as_str().len());
        if cx.schema.template.is_guidance(text.as_str())
            || modes.iter().any(|m| m == word)
            || cx.holds_placeholder(plan, whole)
        {
            continue;
        }
        let span = text.source(mode);
        let message = if word.is_empty() {
            "the context mode is empty".to_string()
        } else {
            format!("context mode `{word}` is not one of: {}", modes.join(", "))
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

    use crate::testing::{findings, passing_plan_with};

    fn structure(text: &str) -> Vec<(&'static str, String)> {
        findings("M01-v1-user-auth.md", text, check)
    }

    #[test]
    fn a_misspelt_section_is_one_pc103_at_it() {
        let plan = passing_plan_with("## Strategy\n", "## Strategyy\n");
        assert_eq!(structure(&plan), [("PC103", "## Strategyy".to_string())]);
    }

    #[test]
    fn a_heading_beside_its_present_section_is_no_near_miss() {
        let plan = passing_plan_with("## Phases\n", "## Strategi\n- x\n\n## Phases\n");
        assert_eq!(structure(&plan), [("PC106", "## Strategi".to_string())]);
    }

    #[test]
    fn a_second_misspelling_of_one_section_is_unknown() {
        let plan = passing_plan_with("## Strategy\n", "## Strategyy\n").replacen(
            "## Phases\n",
            "## Stratgy\n- x\n\n## Phases\n",
            1,
        );
        assert_eq!(
            structure(&plan),
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
            structure(&plan),
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
        let found = structure(&moved);
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
    fn the_phases_of_a_misspelt_phases_section_are_checked() {
        let plan = passing_plan_with("## Phases\n", "## Phase\n").replacen(
            "### Phase 2: Login",
            "### Phase 3: Login",
            1,
        );
        assert_eq!(
            structure(&plan),
            [
                ("PC103", "## Phase".to_string()),
                ("PC110", "### Phase 3: Login".to_string())
            ]
        );
    }

    #[test]
    fn phases_are_numbered_from_the_one_before() {
        let plan = passing_plan_with("### Phase 2: Login", "### Phase 3: Login").replacen(
            "## Success Criteria\n",
            "### Phase 4: Rollout\n- **Objectives**: a\n- **Deliverables**: b\n- **Tasks**: c\n- **Dependencies**: d\n- **Success Criteria**: e\n- **Estimated Duration**: f\n- **Risk Factors**: g\n\n## Success Criteria\n",
            1,
        );
        assert_eq!(
            structure(&plan),
            [("PC110", "### Phase 3: Login".to_string())]
        );
    }

    #[test]
    fn each_missing_phase_field_is_a_finding() {
        let plan = passing_plan_with("- **Deliverables**: the token service.\n", "").replacen(
            "- **Risk Factors**: key rotation mistakes.\n",
            "",
            1,
        );
        assert_eq!(
            structure(&plan),
            [
                ("PC111", "### Phase 1: Token Service".to_string()),
                ("PC111", "### Phase 1: Token Service".to_string())
            ]
        );
    }

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

    /// The PC112 findings of the pass fixture's plan with its context-mode line replaced by
    /// `line`, each as the text its span covers.
    fn context_mode_findings(line: &str) -> Vec<String> {
        let plan = include_str!(
            "../../fixtures/rules/PC112/pass/projectManagement/Implementations/active/M01-v1-user-auth.md"
        );
        let text = plan.replace("- **Context mode recommendation:** `theme-focused`", line);
        assert_ne!(text, plan, "the fixture holds the line replaced");
        crate::check_standalone("M01-v1-user-auth.md", text.clone().into_bytes())
            .into_iter()
            .filter(|d| d.rule.code == "PC112")
            .map(|d| {
                d.span
                    .map_or(String::new(), |s| text[s.range()].to_string())
            })
            .collect()
    }

    #[test]
    fn reads_the_context_mode_plain_emphasised_or_in_code() {
        for line in [
            "- Context mode recommendation: theme-focused",
            "- *Context mode recommendation*: **project-wide**",
            "- __Context mode recommendation__ (`theme-expanded`)",
            "- Context mode recommendation (theme-focused).",
        ] {
            assert!(context_mode_findings(line).is_empty(), "{line}");
        }
        for (line, value) in [
            ("- Context mode recommendation: focused", "focused"),
            (
                "- **Context mode recommendation:** `Theme-Focused`",
                "Theme-Focused",
            ),
            ("- Context mode recommendation (project wide)", "project"),
            ("- Context mode recommendation:", ""),
        ] {
            assert_eq!(context_mode_findings(line), [value], "{line}");
        }
    }

    /// The template's own guidance line is PC113's, whatever its case and final stop.
    #[test]
    fn the_templates_context_mode_line_is_no_mode() {
        for line in [
            "- Context mode recommendation (theme-focused/theme-expanded/project-wide)",
            "- context mode recommendation (Theme-Focused/Theme-Expanded/Project-Wide).",
            "- *Context mode recommendation (theme-focused/theme-expanded/project-wide)*",
        ] {
            assert!(context_mode_findings(line).is_empty(), "{line}");
        }
        assert_eq!(
            context_mode_findings("- Context mode recommendation (theme-focused/project-wide)"),
            ["theme-focused/project-wide"]
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

    #[test]
    fn phase_headings_give_their_number_and_name() {
        let cases = [
            ("Phase 1: Setup", Some((1, "Setup"))),
            ("Phase 12:   API and `tests`", Some((12, "API and `tests`"))),
            ("Phase 123456789: X", Some((123_456_789, "X"))),
            ("Phase 1234567890: X", None),
            ("Phase 2:Setup", Some((2, "Setup"))),
            ("Phase 2: ", None),
            ("Phase 2:\tSetup", None),
            ("Phase : Setup", None),
            ("Phase 2 Setup", None),
            ("phase 2: Setup", None),
            ("Phase \u{0663}: Arabic-Indic three", None),
            ("Phase 3: two\nlines", None),
        ];
        for (heading, expected) in cases {
            assert_eq!(phase_heading(heading), expected, "{heading:?}");
        }
    }
}
