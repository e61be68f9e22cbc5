//! `path:line:column: severity[CODE] message`, one line per diagnostic.

use std::io::{self, Write};

use crate::report::{region, with_sources, FileReport};

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for (report, source) in with_sources(reports) {
        for d in &report.diagnostics {
            let (start, _) = region(&source, d);
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                report.path(),
                start.line,
                start.column,
                d.severity,
                d.rule.code,
                d.message
            )?;
        }
    }
    Ok(())
}
