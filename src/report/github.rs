//! GitHub Actions workflow commands, one per finding, and (when `GITHUB_STEP_SUMMARY` is
//! set) a markdown table of every finding, since GitHub shows only the first few
//! annotations of a step.

use std::io::{self, Write};

use crate::report::{escape, region, FileReport};
use crate::rules::registry::Severity;

/// Escapes a command's message, as the runner decodes it.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (file, title), where `:` and `,` also separate.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        let source = &report.source;
        for d in &report.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Off => "notice",
            };
            let (start, end) = region(source, d);
            // Control characters as codes first: the runner would decode `%0A` back.
            let message = match &d.help {
                Some(help) => format!(
                    "{}\nhelp: {}",
                    escape::controls(&d.message),
                    escape::controls(help)
                ),
                None => escape::controls(&d.message).into_owned(),
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&escape::controls(report.path())),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&format!("{} {}", d.rule.code, d.rule.name)),
                escape_data(&message)
            )?;
        }
    }
    Ok(())
}

/// The step summary: every finding in one markdown table, paths and messages escaped so
/// that nothing a plan or a file name holds is read as markdown or HTML.
pub fn write_summary(
    reports: &[FileReport],
    summary: &crate::report::Summary,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "### plancheck")?;
    writeln!(out)?;
    summary.write_line(out)?;
    if summary.errors + summary.warnings + summary.infos == 0 {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "| severity | rule | file | line | message |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for report in reports {
        let source = &report.source;
        for d in &report.diagnostics {
            let (start, _) = region(source, d);
            writeln!(
                out,
                "| {} | {} `{}` | {} | {} | {} |",
                d.severity,
                d.rule.code,
                d.rule.name,
                escape::markdown(report.path()),
                start.line,
                escape::markdown(&d.message)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_decodes() {
        assert_eq!(escape_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
