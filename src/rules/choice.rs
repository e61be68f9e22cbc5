//! A value that must be one of a list of words (a status, a priority, a context mode): the
//! one way its rules say it is not.

use crate::diagnostic::Diagnostic;
use crate::plan::Span;
use crate::rules::registry::Rule;
use crate::rules::Checker;
use crate::suggest::{guess, Guess};

/// Reports `rule` at `span`: `value`, the plan's `what` (`status`, `context mode`), is not
/// one of `allowed`. The help names the nearest allowed word (the only one, when there is
/// one), or else all of them. Returns the finding when the rule is on, with the word the
/// help names when no other is as near: the one a fix may write.
pub fn report_not_one_of<'c, 'a>(
    cx: &'c mut Checker<'_>,
    rule: &'static Rule,
    span: Span,
    what: &str,
    value: &str,
    allowed: &'a [String],
) -> Option<(&'c mut Diagnostic, Option<&'a str>)> {
    let words = allowed.join(", ");
    let message = if value.is_empty() {
        format!("the {what} is empty")
    } else {
        format!("{what} `{value}` is not one of: {words}")
    };
    let guess = guess(value, allowed.iter().map(String::as_str));
    let best = match allowed {
        [only] => Some(only.as_str()),
        _ => guess.map(|g| g.word),
    };
    let help = match best {
        Some(best) => format!("use `{best}`"),
        None => format!("use one of: {words}"),
    };
    let d = cx.report(rule, Some(span), message)?;
    d.help(help);
    Some((d, guess.and_then(Guess::only)))
}
