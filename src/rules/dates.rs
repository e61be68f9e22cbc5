//! PC3xx: the metadata dates: real ISO-8601 dates, in a sane order, not in the future.

use crate::date::{self, Date, DateError};
use crate::diagnostic::{Edit, Fix};
use crate::plan::{Field, Plan};
use crate::rules::metadata::filled;
use crate::rules::registry::{DATE_ORDER, FUTURE_DATE, INVALID_DATE, OVERDUE_PLAN};
use crate::rules::Checker;

pub fn check(plan: &Plan, cx: &mut Checker<'_>) {
    if plan.section("Metadata").is_none() {
        return;
    }
    let schema = cx.plan_schema(plan);
    // A date that fails PC301 is not compared: only the dates that parse are kept.
    let mut dates: Vec<(&Field, Date)> = Vec::new();
    for name in &schema.date_fields {
        let Some(field) = filled(plan, cx, name) else {
            continue;
        };
        match date::parse(field.value) {
            Ok(day) => dates.push((field, day)),
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
        if b < a {
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
        let Some((field, day)) = parsed(name) else {
            continue;
        };
        if day > today {
            if let Some(d) = cx.report(
                &FUTURE_DATE,
                Some(field.value_span),
                format!("`{}` date {day} is in the future", field.name),
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
    if let (true, Some((field, day))) = (is_active, parsed(&schema.target_field)) {
        if day < today {
            if let Some(d) = cx.report(
                &OVERDUE_PLAN,
                Some(field.value_span),
                format!(
                    "the plan is active but its `{}` {day} has passed",
                    field.name
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
    let iso = date::suggest_iso(field.value);
    let help = match &iso {
        Some(iso) => format!("write `{iso}`"),
        None => error.help().unwrap_or_else(|| {
            "write the date as `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM` with a time".to_string()
        }),
    };
    if let Some(d) = cx.report(
        &INVALID_DATE,
        Some(field.value_span),
        format!("`{}` date `{}` {error}", field.name, field.value),
    ) {
        d.help(help);
        if let Some(iso) = iso {
            d.fix(Fix::safe(
                format!("write the date as `{iso}`"),
                vec![Edit::replace(field.value_span, iso)],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{findings, passing_plan_with};

    /// The passing plan with its Created, Updated and Completion Target replaced.
    fn dates(created: &str, updated: &str, target: &str) -> Vec<(&'static str, String)> {
        let plan = passing_plan_with(
            "- **Created**: 2025-07-01\n",
            &format!("- **Created**: {created}\n"),
        )
        .replacen(
            "- **Updated**: 2025-07-14\n",
            &format!("- **Updated**: {updated}\n"),
            1,
        )
        .replacen(
            "- **Completion Target**: 2025-12-31\n",
            &format!("- **Completion Target**: {target}\n"),
            1,
        );
        findings("M01-v1-user-auth.md", &plan, check)
    }

    #[test]
    fn dates_compare_by_the_day_as_written() {
        // The same day: no time or offset makes one before the other.
        assert_eq!(
            dates("2025-07-14T16:00", "2025-07-14T09:00", "2025-12-31"),
            []
        );
        assert_eq!(
            dates("2025-07-14T01:00+05:00", "2025-07-14", "2025-12-31"),
            []
        );
        // 23:30 at -08:00 is the next day in UTC, but the plan wrote the 14th.
        assert_eq!(
            dates("2025-07-14T23:30-08:00", "2025-07-14T10:00Z", "2025-12-31"),
            []
        );
        assert_eq!(
            dates("2025-07-14T00:30+14:00", "2025-07-13T23:00Z", "2025-12-31"),
            [("PC302", "2025-07-13T23:00Z".to_string())]
        );
    }

    #[test]
    fn a_date_that_is_invalid_is_not_compared() {
        assert_eq!(
            dates("2025-07-01", "2025-02-30", "2025-12-31"),
            [("PC301", "2025-02-30".to_string())]
        );
        assert_eq!(
            dates("2025-13-01", "2025-07-14", "2025-09-01"),
            [("PC301", "2025-13-01".to_string())]
        );
        assert_eq!(
            dates("2025-07-01", "2099-02-30", "2025-12-31"),
            [("PC301", "2099-02-30".to_string())],
            "an invalid date in the future is not also PC303"
        );
        assert_eq!(
            dates("2025-07-01", "2025-07-14", "2025-07-32"),
            [("PC301", "2025-07-32".to_string())],
            "an invalid target is not also PC304"
        );
    }

    #[test]
    fn a_date_of_another_clear_form_is_fixed_to_iso() {
        let plan = passing_plan_with(
            "- **Updated**: 2025-07-14\n",
            "- **Updated**: July 14, 2025\n",
        );
        let found = crate::testing::diagnostics("M01-v1-user-auth.md", &plan, check);
        let [finding] = found.as_slice() else {
            panic!("{found:?}");
        };
        assert_eq!(finding.help.as_deref(), Some("write `2025-07-14`"));
        let fixed = finding.fix.as_ref().and_then(|f| f.apply(&plan));
        assert_eq!(fixed.as_deref(), Some(crate::testing::PASSING_PLAN));
    }

    #[test]
    fn an_ambiguous_date_has_no_fix() {
        let plan = passing_plan_with("- **Updated**: 2025-07-14\n", "- **Updated**: 07/02/2025\n");
        let found = crate::testing::diagnostics("M01-v1-user-auth.md", &plan, check);
        assert!(found.iter().all(|d| d.fix.is_none()), "{found:?}");
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn the_days_around_today() {
        assert_eq!(
            dates("2025-08-01T23:59+14:00", "2025-08-01", "2025-08-01"),
            []
        );
        assert_eq!(
            dates("2025-07-01", "2025-08-02T00:00-12:00", "2025-12-31"),
            [("PC303", "2025-08-02T00:00-12:00".to_string())]
        );
        assert_eq!(
            dates("2025-07-01", "2025-07-14", "2025-07-31T23:59-12:00"),
            [("PC304", "2025-07-31T23:59-12:00".to_string())]
        );
    }
}
