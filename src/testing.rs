//! Helpers for the unit tests.

/// The plan of the rule fixtures that passes every rule: tests change a line or two of it.
pub const PASSING_PLAN: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/rules/PC103/pass/projectManagement/Implementations/active/M01-v1-user-auth.md"
));

/// A high-priority plan that passes every rule.
pub const PASSING_H_PLAN: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/rules/PC106/pass-high-priority-subsections/projectManagement/",
    "Implementations/active/H-20250715T101500-token-leak-fix.md"
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

/// `text` as the fix of `check`'s one finding of `code` leaves it; `None` when that finding
/// has no fix. Panics unless exactly one finding is of `code`.
pub fn fixed(
    name: &str,
    text: &str,
    check: fn(&crate::plan::Plan, &mut crate::rules::Checker<'_>),
    code: &str,
) -> Option<String> {
    let found = diagnostics(name, text, check);
    let of_code: Vec<_> = found.iter().filter(|d| d.rule.code == code).collect();
    let [finding] = of_code.as_slice() else {
        panic!("not one {code} in {found:#?}");
    };
    let fix = finding.fix.as_ref()?;
    Some(
        fix.apply(text)
            .expect("the fix fits the text it was made for"),
    )
}

/// What a run with every rule finds in the fixture plan at `path` (relative to the crate),
/// checked in its project as of 2025-08-01; and the plan's text.
pub fn fixture_diagnostics(path: &str) -> (Vec<crate::diagnostic::Diagnostic>, String) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let linter = crate::linter::Linter::new(crate::settings::Settings {
        today: jiff::civil::date(2025, 8, 1),
        ..crate::settings::Settings::every_rule()
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let inputs = [crate::discover::Input::File {
        path: path.clone(),
        sniff: false,
    }];
    let mut reports = linter.run(&inputs, None, false, &pool).reports;
    let text = std::fs::read_to_string(&path).unwrap();
    let diagnostics = reports.pop().map(|r| r.diagnostics).unwrap_or_default();
    (diagnostics, text)
}

/// [`PASSING_PLAN`] with `from` replaced by `to`, as the fix of `check`'s one finding of
/// `code` leaves it: see [`fixed`].
pub fn fixed_passing_plan_with(
    from: &str,
    to: &str,
    check: fn(&crate::plan::Plan, &mut crate::rules::Checker<'_>),
    code: &str,
) -> Option<String> {
    fixed(
        "M01-v1-user-auth.md",
        &passing_plan_with(from, to),
        check,
        code,
    )
}
