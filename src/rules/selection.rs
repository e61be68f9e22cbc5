//! Which rules a run asks for: selectors as the command line, a config file or a
//! suppression comment write them, and the [`RuleSet`] they make of the registry.

use super::registry::{Rule, Scope, Severity, ALL};
use crate::suggest::suggest;

/// A selector known to name at least one rule: a code, a code prefix (`PC3`), a name, or
/// `ALL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector(String);

impl Selector {
    /// The error names the selector and suggests a near name.
    pub fn parse(text: &str) -> Result<Selector, String> {
        if ALL.iter().any(|rule| selects(text, rule)) {
            return Ok(Selector(text.to_string()));
        }
        let hint = suggest(text, ALL.iter().map(|r| r.name))
            .map(|name| format!("; did you mean `{name}`?"))
            .unwrap_or_default();
        Err(format!("`{text}` names no rule{hint}"))
    }

    /// A command line's list: each selector trimmed, the empty ones (`PC1,,PC2`) skipped.
    pub fn parse_list(texts: &[String]) -> Result<Vec<Selector>, String> {
        texts
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(Selector::parse)
            .collect()
    }

    pub fn selects(&self, rule: &Rule) -> bool {
        selects(&self.0, rule)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `selector` (a code, a code prefix such as `PC3`, a name, or `ALL`) names `rule`.
pub fn selects(selector: &str, rule: &Rule) -> bool {
    let upper = selector.to_ascii_uppercase();
    upper == "ALL"
        || (upper.starts_with("PC") && rule.code.starts_with(&upper))
        || rule.name == selector
}

/// The rules a run asks for, as the settings hold them.
#[derive(Debug, Clone, Default)]
pub struct RuleSelection {
    /// Replaces the default set when given.
    pub select: Option<Vec<Selector>>,
    /// Turns rules off, whatever else names them.
    pub ignore: Vec<Selector>,
    /// Re-grades the rules each selector names; a severity other than `off` also turns a
    /// rule on.
    pub severity: Vec<(Selector, Severity)>,
}

/// Which rules are on, and at what severity; indexed like [`ALL`].
#[derive(Debug, Clone)]
pub struct RuleSet {
    severities: Vec<Severity>,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet {
            severities: ALL.iter().map(|r| r.default_severity).collect(),
        }
    }
}

impl RuleSet {
    pub fn new(selection: &RuleSelection) -> RuleSet {
        let mut set = RuleSet::default();
        let ignored = matching(&selection.ignore);
        if let Some(select) = &selection.select {
            let chosen = matching(select);
            for (i, rule) in ALL.iter().enumerate() {
                set.severities[i] = if chosen[i] {
                    rule.enabled_severity()
                } else {
                    Severity::Off
                };
            }
        }
        for (severity, ignored) in set.severities.iter_mut().zip(&ignored) {
            if *ignored {
                *severity = Severity::Off;
            }
        }
        for (selector, severity) in &selection.severity {
            for (i, rule) in ALL.iter().enumerate() {
                if selector.selects(rule) && !ignored[i] {
                    set.severities[i] = *severity;
                }
            }
        }
        set
    }

    /// `--select` (which replaces the default set when given) and then `--ignore`, as the
    /// command line writes them.
    pub fn from_selectors(select: Option<&[String]>, ignore: &[String]) -> Result<RuleSet, String> {
        Ok(RuleSet::new(&RuleSelection {
            select: select.map(Selector::parse_list).transpose()?,
            ignore: Selector::parse_list(ignore)?,
            severity: Vec::new(),
        }))
    }

    pub fn severity(&self, rule: &Rule) -> Severity {
        ALL.iter()
            .position(|r| std::ptr::eq(*r, rule))
            .and_then(|i| self.severities.get(i).copied())
            .unwrap_or(Severity::Off)
    }

    pub fn is_enabled(&self, rule: &Rule) -> bool {
        self.severity(rule) != Severity::Off
    }

    /// Whether any rule that needs the project files is on: if none is, they are not read.
    pub fn needs_project(&self) -> bool {
        ALL.iter()
            .any(|rule| rule.scope == Scope::Project && self.is_enabled(rule))
    }
}

/// For each rule of [`ALL`], whether any of `selectors` names it.
fn matching(selectors: &[Selector]) -> Vec<bool> {
    ALL.iter()
        .map(|rule| selectors.iter().any(|s| s.selects(rule)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::registry;

    #[test]
    fn selects_by_code_prefix_and_name() {
        let select = vec!["PC2".to_string(), "future-date".to_string()];
        let set = RuleSet::from_selectors(Some(&select), &["PC205".to_string()]).unwrap();
        assert!(set.is_enabled(&registry::MISSING_FIELD));
        assert!(!set.is_enabled(&registry::INVALID_STATUS));
        assert!(set.is_enabled(&registry::FUTURE_DATE));
        assert!(!set.is_enabled(&registry::INVALID_DATE));
    }

    #[test]
    fn off_rules_turn_on_when_selected() {
        assert!(!RuleSet::default().is_enabled(&registry::OVERDUE_PLAN));
        for selector in ["ALL", "PC304", "pc304", "overdue-plan", "PC3", "PC30"] {
            let set = RuleSet::from_selectors(Some(&[selector.to_string()]), &[]).unwrap();
            assert_eq!(
                set.severity(&registry::OVERDUE_PLAN),
                Severity::Warning,
                "{selector}"
            );
        }
    }

    #[test]
    fn a_selected_off_rule_takes_the_configs_severity() {
        let selector = |text| Selector::parse(text).unwrap();
        for severity in [Severity::Error, Severity::Info, Severity::Off] {
            let set = RuleSet::new(&RuleSelection {
                select: Some(vec![selector("PC304")]),
                ignore: Vec::new(),
                severity: vec![(selector("overdue-plan"), severity)],
            });
            assert_eq!(set.severity(&registry::OVERDUE_PLAN), severity);
        }
    }

    #[test]
    fn an_ignored_rule_stays_off_whatever_its_severity() {
        let selector = |text| Selector::parse(text).unwrap();
        let set = RuleSet::new(&RuleSelection {
            select: None,
            ignore: vec![selector("PC304")],
            severity: vec![(selector("PC3"), Severity::Info)],
        });
        assert!(!set.is_enabled(&registry::OVERDUE_PLAN));
        assert_eq!(set.severity(&registry::INVALID_DATE), Severity::Info);
    }

    #[test]
    fn unknown_selectors_are_errors() {
        let err = RuleSet::from_selectors(Some(&["invalid-stauts".to_string()]), &[]).unwrap_err();
        assert!(err.contains("invalid-status"), "{err}");
        assert!(RuleSet::from_selectors(None, &["PC8".to_string()]).is_err());
        assert!(
            Selector::parse(" PC3").is_err(),
            "a config file's selector is taken as written"
        );
    }
}
