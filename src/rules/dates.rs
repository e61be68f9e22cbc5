//! PC3xx: the metadata dates: real ISO-8601 dates, in a sane order, not in the future.

use std::cmp::Ordering;

use crate::date::{self, DateError, Timestamp};
use crate::plan::{Field, Plan};
use crate::rules::metadata::filled;
use crate::rules::{declare_rule, Checker};

declare_rule!(pub INVALID_DATE, "PC301", "invalid-date", Error,
    "A date field is not a real ISO-8601 date");
declare_rule!(pub DATE_ORDER, "PC302", "date-order", Error,
    "Updated or the target date is before Created");
declare_rule!(pub FUTURE_DATE, "PC303", "future-date", Warning,
    "Created or Updated is after today");
declare_rule!(pub OVERDUE_PLAN, "PC304", "overdue-plan", Off,
    "An active plan's target date has passed");

pub fn check(plan: &Plan, cx: &mut Checker<'_>) {
    if plan.section("Metadata").is_none() {
        return;
    }
    let schema = cx.plan_schema(plan);
    let mut dates: Vec<(&Field, Timestamp)> = Vec::new();
    for name in &schema.date_fields {
        let Some(field) = filled(plan, cx, name) else {
            continue;
        };
        match date::parse(field.value) {
            Ok(stamp) => dates.push((field, stamp)),
            Err(error) => invalid_date(cx, field, &error),
        }
    }
    let parsed = |name: &str| {
        dates
            .iter()
            .find(|(f, _)| f.name.eq_ignore_ascii_case(name))
            .copied()
    };
    for (earlier, later) in &schema.date_order {
        let (Some((first, a)), Some((second, b))) = (parsed(earlier), parsed(later)) else {
            continue;
        };
        if b.compare(&a) == Ordering::Less {
            if let Some(d) = cx.report(
                &DATE_ORDER,
                Some(second.value_span),
                format!(
                    "`{}` ({}) is before `{}` ({})",
                    second.name, second.value, first.name, first.value
                ),
            ) {
                d.label(
                    first.value_span,
                    format!("`{}` is {}", first.name, first.value),
                )
                .help(format!(
                    "correct whichever date is wrong: `{}` cannot come before `{}`",
                    second.name, first.name
                ));
            }
        }
    }
    let today = cx.today;
    for name in &schema.future_date_fields {
        let Some((field, stamp)) = parsed(name) else {
            continue;
        };
        if stamp.date > today {
            if let Some(d) = cx.report(
                &FUTURE_DATE,
                Some(field.value_span),
                format!("`{}` date {} is in the future", field.name, stamp.date),
            ) {
                // Today stays out of the message, so the finding's identity (baseline,
                // code scanning) does not change from day to day.
                d.help(format!(
                    "today is {today}: use the date the plan was really written or changed"
                ));
            }
        }
    }
    let is_active = filled(plan, cx, "Status").is_some_and(|s| s.value == "active");
    if let (true, Some((field, stamp))) = (is_active, parsed(&schema.target_field)) {
        if stamp.date < today {
            if let Some(d) = cx.report(
                &OVERDUE_PLAN,
                Some(field.value_span),
                format!(
                    "the plan is active but its `{}` {} has passed",
                    field.name, stamp.date
                ),
            ) {
                d.help(format!(
                    "today is {today}: mark the plan completed, or move its target date"
                ));
            }
        }
    }
}

fn invalid_date(cx: &mut Checker<'_>, field: &Field, error: &DateError) {
    let help = match (error, date::suggest_iso(field.value)) {
        (_, Some(iso)) => format!("write `{iso}`"),
        (DateError::NotIso, None) => {
            "write the date as `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM` with a time".to_string()
        }
        (_, None) => "use a date and time that exist".to_string(),
    };
    if let Some(d) = cx.report(
        &INVALID_DATE,
        Some(field.value_span),
        format!("`{}` date `{}` {error}", field.name, field.value),
    ) {
        d.help(help);
    }
}
