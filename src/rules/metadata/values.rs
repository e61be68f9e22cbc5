//! PC205–PC207 and PC209: what the Status, Milestone, Version and Priority fields hold.

use crate::diagnostic::{Edit, Fix};
use crate::plan::names::{is_milestone_id, milestone_id, milestone_number, version_number};
use crate::plan::Plan;
use crate::rules::choice::report_not_one_of;
use crate::rules::registry::{
    INVALID_MILESTONE, INVALID_PRIORITY, INVALID_STATUS, INVALID_VERSION,
};
use crate::rules::Checker;

use super::{filled, find_in, title_milestone};

pub(super) fn invalid_status(plan: &Plan, cx: &mut Checker<'_>) {
    let Some(status) = filled(plan, cx, "Status") else {
        return;
    };
    let statuses = &cx.plan_schema(plan).statuses;
    if statuses.iter().any(|s| s == status.value) {
        return;
    }
    // A value read out of markup (`*Active*`) is not replaced by a plain word.
    let written_as_read = cx.text(status.value_span) == status.value;
    let found = report_not_one_of(
        cx,
        &INVALID_STATUS,
        status.value_span,
        "status",
        status.value,
        statuses,
    );
    // The word the help names, when no other allowed word is as near: the same word in
    // another case, or its one near miss.
    if let Some((d, Some(word))) = found.filter(|_| written_as_read) {
        d.fix(Fix::safe(
            format!("change the status to `{word}`"),
            vec![Edit::replace(status.value_span, word)],
        ));
    }
}

pub(super) fn invalid_milestone(plan: &Plan, cx: &mut Checker<'_>) {
    let Some(milestone) = filled(plan, cx, "Milestone") else {
        return;
    };
    let value = &milestone.value;
    if !is_milestone_id(value) {
        let help = match milestone_number(value.trim()) {
            Some(n) => format!("write `{}`", milestone_id(n)),
            None => "write the milestone as `M<digits>`, such as `M01`".to_string(),
        };
        if let Some(d) = cx.report(
            &INVALID_MILESTONE,
            Some(milestone.value_span),
            format!("milestone `{value}` is not of the form `M<digits>` or `M-<digits>`"),
        ) {
            d.help(help);
        }
        return;
    }
    let Some((title, in_title)) = title_milestone(plan, cx) else {
        return;
    };
    if milestone_number(value) == milestone_number(in_title) {
        return;
    }
    let title_span = find_in(cx, title.span, in_title);
    if let Some(d) = cx.report(
        &INVALID_MILESTONE,
        Some(milestone.value_span),
        format!("milestone `{value}` differs from the title's `{in_title}`"),
    ) {
        d.label(title_span, "the title's milestone")
            .help("make the title and the field name the same milestone");
    }
}

pub(super) fn invalid_version(plan: &Plan, cx: &mut Checker<'_>) {
    let Some(version) = filled(plan, cx, "Version") else {
        return;
    };
    if version_number(version.value).is_some() {
        return;
    }
    let loose = version.value.trim_start_matches(['v', 'V']).trim();
    let loose = loose.strip_suffix(".0").unwrap_or(loose);
    let help = match loose.parse::<u64>() {
        Ok(0) => "versions start at `v1`".to_string(),
        Ok(n) => format!("write `v{n}`"),
        Err(_) => "write the version as `v<N>`, such as `v1`".to_string(),
    };
    if let Some(d) = cx.report(
        &INVALID_VERSION,
        Some(version.value_span),
        format!(
            "version `{}` is not of the form `v<N>` with N at least 1",
            version.value
        ),
    ) {
        d.help(help);
    }
}

pub(super) fn invalid_priority(plan: &Plan, cx: &mut Checker<'_>) {
    for (name, words) in &cx.plan_schema(plan).choices {
        let Some(field) = filled(plan, cx, name) else {
            continue;
        };
        if words.iter().any(|w| w.eq_ignore_ascii_case(field.value)) {
            continue;
        }
        report_not_one_of(
            cx,
            &INVALID_PRIORITY,
            field.value_span,
            &name.to_lowercase(),
            field.value,
            words,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics, findings, passing_plan_with};

    use super::super::check;

    /// PC206's messages for a plan titled `title` whose Milestone is `milestone`.
    fn milestone_findings(title: &str, milestone: &str) -> Vec<String> {
        let text = format!("# {title}\n\n## Metadata\n- **Milestone**: {milestone}\n");
        (findings("M01-v1-auth.md", &text, check).into_iter())
            .filter(|(code, _)| *code == "PC206")
            .map(|(_, at)| at)
            .collect()
    }

    #[test]
    fn the_title_and_the_field_may_write_m_hyphen_ids() {
        for (title, milestone) in [
            ("Implementation Plan: M01 - Auth", "M01"),
            ("Implementation Plan: M01 - Auth", "M-01"),
            ("Implementation Plan: M-01 - Auth", "M01"),
            ("Implementation Plan: M-1 - Auth", "M-01"),
            ("Implementation Plan: M1 - Auth", "M001"),
        ] {
            assert_eq!(
                milestone_findings(title, milestone),
                Vec::<String>::new(),
                "{title} {milestone}"
            );
        }
        assert_eq!(
            milestone_findings("Implementation Plan: M-02 - Checkout", "M03"),
            ["M03"]
        );
        assert_eq!(
            milestone_findings("Implementation Plan: M01 - Auth", "Milestone 1"),
            ["Milestone 1"]
        );
    }

    /// The fixes PC205 attaches to a plan whose status is `status`, applied.
    fn status_fixed(status: &str) -> Vec<String> {
        let text = passing_plan_with("**Status**: active", &format!("**Status**: {status}"));
        diagnostics("M01-v1-user-auth.md", &text, check)
            .iter()
            .filter(|d| d.rule.code == "PC205")
            .filter_map(|d| d.fix.as_ref())
            .filter_map(|fix| fix.apply(&text))
            .collect()
    }

    #[test]
    fn a_status_in_another_case_is_fixed_safely_to_the_allowed_word() {
        let fixed = status_fixed("Active");
        assert_eq!(fixed, [passing_plan_with("", "")]);
        let text = passing_plan_with("**Status**: active", "**Status**: SUPERSEDED");
        let d = diagnostics("M01-v1-user-auth.md", &text, check);
        let fix = d.iter().find_map(|d| d.fix.as_ref()).unwrap();
        assert_eq!(fix.applicability, crate::diagnostic::Applicability::Safe);
        assert_eq!(fix.message, "change the status to `superseded`");
    }

    #[test]
    fn a_status_one_allowed_word_is_nearest_to_is_fixed_to_it() {
        assert_eq!(status_fixed("activ"), [passing_plan_with("", "")]);
        assert_eq!(
            status_fixed("complete"),
            [passing_plan_with(
                "**Status**: active",
                "**Status**: completed"
            )]
        );
        assert_eq!(
            status_fixed("Supersede"),
            [passing_plan_with(
                "**Status**: active",
                "**Status**: superseded"
            )]
        );
    }

    #[test]
    fn a_status_no_allowed_word_is_near_has_no_fix() {
        assert!(status_fixed("done").is_empty());
        assert!(status_fixed("on hold").is_empty());
    }
}
