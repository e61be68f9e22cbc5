//! `path:line:column: severity[CODE] message`, one line per diagnostic: a path holding a
//! control character is a JSON string, and a message's control characters are codes.

use std::io::{self, Write};

use crate::report::{escape, region, FileReport};

pub fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        let source = &report.source;
        let path = escape::concise_path(report.path());
        for d in &report.diagnostics {
            let (start, _) = region(source, d);
            writeln!(
                out,
                "{path}:{}:{}: {}[{}] {}",
                start.line,
                start.column,
                d.severity,
                d.rule.code,
                escape::controls(&d.message)
            )?;
        }
    }
    Ok(())
}
