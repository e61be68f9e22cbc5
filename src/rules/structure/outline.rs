//! The plan's headings placed once among the template's sections and subsections.

use std::ops::Range;

use crate::plan::Plan;
use crate::rules::near_miss;
use crate::schema::PlanSchema;

/// The plan's H2s matched once against the template's sections, and the headings below
/// each against its section's subsections: the section rules read these places instead of
/// comparing every heading with every name again, rule after rule.
pub(super) struct Outline {
    /// For each template section, the first H2 of its name (or misspelling it).
    pub(super) first: Vec<Option<usize>>,
    pub(super) h2s: Vec<PlacedH2>,
    /// The direct children of the H2s whose section lists its subsections, each with the
    /// subsection it names; an H2's are `children[h2.children]`.
    pub(super) children: Vec<Placed>,
}

pub(super) struct PlacedH2 {
    pub(super) heading: usize,
    /// The template section of the H2's name.
    pub(super) section: Option<usize>,
    /// Whether the H2 names its section only as a near miss (`## Strategyy`).
    pub(super) misspelt: bool,
    pub(super) children: Range<usize>,
}

#[derive(Clone, Copy)]
pub(super) struct Placed {
    pub(super) heading: usize,
    /// Where the heading's name stands in its list of the template.
    pub(super) at: Option<usize>,
    /// Whether it names that place only as a near miss (`### Primary Themes`).
    pub(super) misspelt: bool,
}

/// Places `headings` among the template's `names`, onto the end of `placed`: a heading written exactly as one of them stands there; then each other
/// heading, in order, that is a near miss of a name no heading has taken yet stands there
/// misspelt. The template names each section and subsection once (tested), so a name has
/// one place.
fn place_headings<'n>(
    plan: &Plan,
    headings: impl Iterator<Item = usize>,
    names: impl Iterator<Item = &'n str> + Clone,
    is_allowed: impl Fn(&str) -> bool,
    placed: &mut Vec<Placed>,
) {
    let from = placed.len();
    placed.extend(headings.map(|heading| Placed {
        heading,
        at: names.clone().position(|n| n == plan.headings[heading].text),
        misspelt: false,
    }));
    let placed = &mut placed[from..];
    if placed.iter().all(|p| p.at.is_some()) {
        return;
    }
    let mut taken: Vec<bool> = vec![false; names.clone().count()];
    for at in placed.iter().filter_map(|p| p.at) {
        taken[at] = true;
    }
    for unplaced in placed.iter_mut().filter(|p| p.at.is_none()) {
        let text = &plan.headings[unplaced.heading].text;
        if is_allowed(text) {
            continue;
        }
        let missing = names.clone().enumerate().filter(|(at, _)| !taken[*at]);
        if let Some(at) = near_miss(text, missing) {
            taken[at] = true;
            unplaced.at = Some(at);
            unplaced.misspelt = true;
        }
    }
}

impl Outline {
    pub(super) fn of(plan: &Plan, schema: &PlanSchema) -> Outline {
        let is_extra = |text: &str| {
            (schema.extra_sections.iter()).any(|extra| extra.eq_ignore_ascii_case(text))
        };
        let mut placed = Vec::new();
        let h2s = plan.sections().map(|(i, _)| i);
        let names = schema.sections.iter().map(|s| s.name.as_str());
        place_headings(plan, h2s, names, is_extra, &mut placed);
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
                let children = plan.children(h2.heading).map(|(i, _)| i);
                let names = subsections.iter().map(String::as_str);
                place_headings(plan, children, names, |_| false, &mut outline.children);
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
    pub(super) fn section(&self, section: usize) -> Option<(&PlacedH2, &[Placed])> {
        let heading = self.first[section]?;
        let h2 = self.h2s.iter().find(|h2| h2.heading == heading)?;
        Some((h2, &self.children[h2.children.clone()]))
    }
}

/// The first child named by subsection `at`.
pub(super) fn subsection(children: &[Placed], at: usize) -> Option<usize> {
    children
        .iter()
        .find(|c| c.at == Some(at))
        .map(|c| c.heading)
}
