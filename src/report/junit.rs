//! JUnit XML, as CI systems read test results: a test suite per file, a test case per rule
//! run on it, and a failure per finding (a test case of its own, so every parser counts it).

use std::io::{self, Write};

use crate::report::{region, FileReport};
use crate::rules::registry::ALL;
use crate::rules::RuleSet;

/// Text as XML holds it exactly, in an attribute as in an element: tab, newline and CR as
/// character references (an attribute's own would be read as spaces).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            // XML 1.0 cannot hold most control characters, even escaped.
            c if (c as u32) < 0x20 => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

pub fn write(reports: &[FileReport], rules: &RuleSet, out: &mut dyn Write) -> io::Result<()> {
    let enabled: Vec<_> = ALL.iter().filter(|r| rules.is_enabled(r)).collect();
    let mut suites = String::new();
    let (mut total_tests, mut total_failures) = (0, 0);
    for report in reports {
        let source = &report.source;
        let path = escape(report.path());
        let mut cases = String::new();
        let mut tests = 0;
        let failures = report.diagnostics.len();
        // A project file is not checked by every rule: list only what was found in it.
        let run: Vec<_> = if report.is_plan {
            enabled.clone()
        } else {
            enabled
                .iter()
                .filter(|r| report.diagnostics.iter().any(|d| d.rule.code == r.code))
                .copied()
                .collect()
        };
        for rule in run {
            let found: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| d.rule.code == rule.code)
                .collect();
            if found.is_empty() {
                tests += 1;
                cases.push_str(&format!(
                    "    <testcase name=\"{} {}\" classname=\"{path}\"/>\n",
                    rule.code, rule.name
                ));
            }
            for d in found {
                tests += 1;
                let (start, _) = region(source, d);
                let help = d
                    .help
                    .as_deref()
                    .map(|h| format!("\nhelp: {}", escape(h)))
                    .unwrap_or_default();
                cases.push_str(&format!(
                    "    <testcase name=\"{} {} (line {})\" classname=\"{path}\">\n      <failure type=\"{}\" message=\"{}\">{path}:{}:{}: {}{}</failure>\n    </testcase>\n",
                    rule.code,
                    rule.name,
                    start.line,
                    d.severity,
                    escape(&d.message),
                    start.line,
                    start.column,
                    escape(&d.message),
                    help,
                ));
            }
        }
        total_tests += tests;
        total_failures += failures;
        suites.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n{cases}  </testsuite>\n"
        ));
    }
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"plancheck\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"0\">\n{suites}</testsuites>\n"
    )
}
