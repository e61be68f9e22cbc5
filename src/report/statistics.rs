//! `--statistics`: how often each rule fired, most frequent first.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::report::{self, FileReport};
use crate::rules::registry::Rule;

#[derive(Serialize)]
struct Count {
    code: &'static str,
    name: &'static str,
    count: usize,
    /// Whether the rule attaches a fix to its findings.
    fixable: bool,
}

/// `--statistics --format json`, the shape cli.md gives.
#[derive(Serialize)]
struct Statistics {
    version: u32,
    statistics: Vec<Count>,
}

fn counts(reports: &[FileReport]) -> Vec<Count> {
    let mut by_code: BTreeMap<&'static str, (&'static Rule, usize)> = BTreeMap::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        by_code.entry(d.rule.code).or_insert((d.rule, 0)).1 += 1;
    }
    let mut counts: Vec<Count> = by_code
        .into_values()
        .map(|(rule, count)| Count {
            code: rule.code,
            name: rule.name,
            count,
            fixable: rule.fixable,
        })
        .collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    counts
}

pub fn write_text(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let counts = counts(reports);
    let width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(1);
    // The column of marks is there only when a rule in it is fixable.
    let any_fixable = counts.iter().any(|c| c.fixable);
    for c in counts {
        let mark = if any_fixable {
            report::fixable_mark(c.fixable)
        } else {
            ""
        };
        writeln!(out, "{:>width$}  {}  {mark}{}", c.count, c.code, c.name)?;
    }
    Ok(())
}

pub fn write_json(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let statistics = Statistics {
        version: 1,
        statistics: counts(reports),
    };
    serde_json::to_writer_pretty(&mut *out, &statistics)?;
    writeln!(out)
}
