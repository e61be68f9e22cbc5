//! PC112: the context mode.

use crate::plan::Plan;
use crate::references::context_mode;
use crate::rules::choice::report_not_one_of;
use crate::rules::registry::INVALID_CONTEXT_MODE;
use crate::rules::Checker;

/// PC112: the mode of every context-mode item (`references::context_mode` reads it). The
/// template's own guidance line is PC113's, and no mode.
pub(super) fn invalid_context_mode(plan: &Plan, cx: &mut Checker<'_>) {
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
        report_not_one_of(
            cx,
            &INVALID_CONTEXT_MODE,
            text.source(mode),
            "context mode",
            word,
            modes,
        );
    }
}

#[cfg(test)]
mod tests {

    /// The PC112 findings of the pass fixture's plan with its context-mode line replaced by
    /// `line`, each as the text its span covers.
    fn context_mode_findings(line: &str) -> Vec<String> {
        let plan = include_str!(
            "../../../fixtures/rules/PC112/pass/projectManagement/Implementations/active/M01-v1-user-auth.md"
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
}
