//! `path:line:column: severity[CODE] message`, one line per diagnostic.

use std::io::{self, Write};

use crate::report::FileReport;

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        let source = report.source();
        for d in &report.diagnostics {
            let (line, column) = d.span.map_or((1, 1), |span| {
                let (start, _) = (source.line_column(span.start), ());
                (start.line, start.column)
            });
            writeln!(
                out,
                "{}:{line}:{column}: {}[{}] {}",
                report.path(),
                d.severity,
                d.rule.code,
                d.message
            )?;
        }
    }
    Ok(())
}
