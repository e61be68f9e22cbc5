//! `plancheck rules`: every rule of the registry, as text or JSON.

use std::io::{self, Write};

use crate::cli::RulesFormat;
use crate::report;
use crate::rules::registry;

pub fn run(format: RulesFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        RulesFormat::Json => {
            let list: Vec<_> = registry::ALL
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code,
                        "name": r.name,
                        "severity": r.default_severity.as_str(),
                        "summary": r.summary,
                        "fixable": r.fixable,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)
        }
        RulesFormat::Text => {
            let width = registry::ALL
                .iter()
                .map(|r| r.name.len())
                .max()
                .unwrap_or(0);
            for r in registry::ALL {
                writeln!(
                    out,
                    "{}  {}{:width$}  {:7}  {}",
                    r.code,
                    report::fixable_mark(r.fixable),
                    r.name,
                    r.default_severity.as_str(),
                    r.summary
                )?;
            }
            Ok(())
        }
    }
}
