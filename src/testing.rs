//! Helpers for the unit tests.

/// The plan of the rule fixtures that passes every rule: tests change a line or two of it.
pub const PASSING_PLAN: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/rules/PC103/pass/projectManagement/Implementations/active/M01-v1-user-auth.md"
));

/// What `check` finds in the plan `text` of file `name` (every rule on, no project), as each
/// finding's code and the text it points at.
pub fn findings(
    name: &str,
    text: &str,
    check: fn(&crate::plan::Plan, &mut crate::rules::Checker<'_>),
) -> Vec<(&'static str, String)> {
    diagnostics(name, text, check)
        .iter()
        .map(|d| {
            let at = d.span.map_or("", |span| &text[span.range()]);
            (d.rule.code, at.to_string())
        })
        .collect()
}

/// What `check` finds in the plan `text` of file `name` (every rule on, no project).
pub fn diagnostics(
    name: &str,
    text: &str,
    check: fn(&crate::plan::Plan, &mut crate::rules::Checker<'_>),
) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::rules::{Checker, RuleSet};
    let schema = crate::schema::Schema::default_schema();
    let rules = RuleSet::from_selectors(Some(&["ALL".to_string()]), &[]).unwrap_or_default();
    let file = crate::source::SourceFile::new(name, text.to_string());
    let today = jiff::civil::date(2025, 8, 1);
    let path = std::path::Path::new(name);
    let mut cx = Checker::new(&schema, &rules, today, &file, Some(path));
    let plan = crate::parse::parse(text, Some(name));
    check(&plan, &mut cx);
    cx.into_diagnostics()
}

/// [`PASSING_PLAN`] with `from` replaced by `to`, which must be there.
pub fn passing_plan_with(from: &str, to: &str) -> String {
    assert!(PASSING_PLAN.contains(from), "the plan has no {from:?}");
    PASSING_PLAN.replacen(from, to, 1)
}
