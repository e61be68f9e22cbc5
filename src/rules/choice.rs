//! A value that must be one of a list of words (a status, a priority, a context mode): the
//! one way its rules say it is not.

use crate::diagnostic::Diagnostic;
use crate::plan::Span;
use crate::rules::registry::Rule;
use crate::rules::{suggest, Checker};

/// Reports `rule` at `span`: `value`, the plan's `what` (`status`, `context mode`), is not
/// one of `allowed`. The help names the nearest allowed word (the only one, when there is
/// one), or else all of them. Returns the finding, for a fix, when the rule is on.
pub fn report_not_one_of<'c>(
    cx: &'c mut Checker<'_>,
    rule: &'static Rule,
    span: Span,
    what: &str,
    value: &str,
    allowed: &[String],
) -> Option<&'c mut Diagnostic> {
    let words = allowed.join(", ");
    let message = if value.is_empty() {
        format!("the {what} is empty")
    } else {
        format!("{what} `{value}` is not one of: {words}")
    };
    let best = match allowed {
        [only] => Some(only.as_str()),
        _ => suggest(value, allowed.iter().map(String::as_str)),
    };
    let help = match best {
        Some(best) => format!("use `{best}`"),
        None => format!("use one of: {words}"),
    };
    let d = cx.report(rule, Some(span), message)?;
    d.help(help);
    Some(d)
}
