//! Gradual adoption: `--write-baseline` records today's findings, `--baseline` then reports
//! only new ones. Findings match by rule, path and fingerprint (what they point at and say),
//! never by line, so edits elsewhere in a file do not bring old ones back.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::report::{fingerprint, FileReport};

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

fn findings(reports: &[FileReport]) -> impl Iterator<Item = Finding> + '_ {
    reports.iter().flat_map(|report| {
        let source = report.source();
        report.diagnostics.iter().map(move |d| Finding {
            code: d.rule.code.to_string(),
            path: report.path().to_string(),
            fingerprint: fingerprint(&source, d),
        })
    })
}

/// Writes the findings of `reports`; returns how many.
pub fn write(reports: &[FileReport], path: &Path) -> std::io::Result<usize> {
    let baseline = Baseline {
        version: 1,
        findings: findings(reports).collect(),
    };
    let count = baseline.findings.len();
    let text = serde_json::to_string_pretty(&baseline)? + "\n";
    crate::fs::write_atomic(path, text.as_bytes())?;
    Ok(count)
}

/// Drops from `reports` every finding the baseline at `path` holds (each entry once).
pub fn apply(reports: &mut [FileReport], path: &Path) -> Result<(), String> {
    let bytes = crate::fs::read_capped(path, crate::fs::BASELINE_LIMIT)
        .map_err(|e| format!("cannot read the baseline `{}`: {e}", path.display()))?;
    let baseline: Baseline = serde_json::from_slice(&bytes)
        .map_err(|e| format!("`{}` is not a plancheck baseline: {e}", path.display()))?;
    let mut known: BTreeMap<Finding, usize> = BTreeMap::new();
    for finding in baseline.findings {
        *known.entry(finding).or_default() += 1;
    }
    for report in reports.iter_mut() {
        let path = report.path().to_string();
        let source = report.source();
        let keys: Vec<Finding> = report
            .diagnostics
            .iter()
            .map(|d| Finding {
                code: d.rule.code.to_string(),
                path: path.clone(),
                fingerprint: fingerprint(&source, d),
            })
            .collect();
        let mut keys = keys.into_iter();
        report.diagnostics.retain(|_| {
            let Some(key) = keys.next() else { return true };
            match known.get_mut(&key) {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    false
                }
                _ => true,
            }
        });
    }
    Ok(())
}
