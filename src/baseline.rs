//! Gradual adoption: `--write-baseline` records today's findings, `--baseline` then reports
//! only new ones. Findings match by rule, path and fingerprint (what they point at and say),
//! never by line, so edits elsewhere in a file do not bring old ones back. Paths in the
//! file are relative to its folder, so a baseline works from any current folder.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::fs;
use crate::report::{fingerprint_at, FileReport};

#[derive(Serialize, Deserialize)]
struct Baseline {
    version: u32,
    findings: Vec<Finding>,
}

#[derive(Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Finding {
    code: String,
    path: String,
    fingerprint: String,
}

/// The findings of one report, its path written from `folder` (the baseline's).
fn findings_of(report: &FileReport, folder: &Path) -> Vec<Finding> {
    let source = report.source();
    let path = fs::relative_to(Path::new(report.path()), folder);
    report
        .diagnostics
        .iter()
        .map(|d| Finding {
            code: d.rule.code.to_string(),
            fingerprint: fingerprint_at(&path, &source, d),
            path: path.clone(),
        })
        .collect()
}

/// The folder a baseline file stands in.
fn folder_of(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
}

/// Writes the findings of `reports`; returns how many.
pub fn write(reports: &[FileReport], path: &Path) -> std::io::Result<usize> {
    let baseline = Baseline {
        version: 1,
        findings: reports
            .iter()
            .flat_map(|report| findings_of(report, folder_of(path)))
            .collect(),
    };
    let count = baseline.findings.len();
    let text = serde_json::to_string_pretty(&baseline)? + "\n";
    crate::fs::write_atomic(path, text.as_bytes())?;
    Ok(count)
}

/// Drops from `reports` every finding the baseline at `path` holds (each entry once);
/// returns how many it dropped.
pub fn apply(reports: &mut [FileReport], path: &Path) -> Result<usize, String> {
    let bytes = crate::fs::read_capped(path, crate::fs::BASELINE_LIMIT)
        .map_err(|e| format!("cannot read the baseline `{}`: {e}", path.display()))?;
    let baseline: Baseline = serde_json::from_slice(&bytes)
        .map_err(|e| format!("`{}` is not a plancheck baseline: {e}", path.display()))?;
    let mut known: BTreeMap<Finding, usize> = BTreeMap::new();
    for finding in baseline.findings {
        *known.entry(finding).or_default() += 1;
    }
    let mut hidden = 0;
    for report in reports.iter_mut() {
        let mut keys = findings_of(report, folder_of(path)).into_iter();
        report.diagnostics.retain(|_| {
            let Some(key) = keys.next() else { return true };
            match known.get_mut(&key) {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    hidden += 1;
                    false
                }
                _ => true,
            }
        });
    }
    Ok(hidden)
}
