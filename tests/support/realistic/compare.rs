//! Runs the real plancheck binary on a written corpus and compares its JSON report with
//! the manifest: for each code × style, what was planted, found, missed, found with the
//! wrong help, and what came with it; and the findings nobody planted, by code × the
//! style of the line they point at.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::{FileKind, Manifest, TODAY};

/// One diagnostic of the JSON report.
#[derive(Clone, Debug)]
pub struct Finding {
    pub path: String,
    pub code: String,
    pub line: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Finding {
    fn describe(&self) -> String {
        let line = self.line.map_or_else(|| "-".to_string(), |l| l.to_string());
        let help = self
            .help
            .as_deref()
            .map(|h| format!(" (help: {h})"))
            .unwrap_or_default();
        format!("{}:{line}: {} {}{help}", self.path, self.code, self.message)
    }
}

pub struct Report {
    pub findings: Vec<Finding>,
    /// `summary.files`: how many files plancheck checked.
    pub files: usize,
}

/// `plancheck --format json --today TODAY .` in `root`.
pub fn run(binary: &Path, root: &Path) -> io::Result<Report> {
    let output = Command::new(binary)
        .current_dir(root)
        .args(["--format", "json", "--today", TODAY, "."])
        .output()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() == Some(2) || stderr.contains("panicked") {
        return Err(io::Error::other(format!(
            "plancheck failed ({}): {stderr}",
            output.status
        )));
    }
    let doc: Value = serde_json::from_slice(&output.stdout).map_err(io::Error::other)?;
    let root_prefix = format!("{}/", root.display());
    let findings = doc["diagnostics"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap_or_default().replace('\\', "/");
            let path = path.strip_prefix(&root_prefix).unwrap_or(&path);
            Finding {
                path: path.strip_prefix("./").unwrap_or(path).to_string(),
                code: d["code"].as_str().unwrap_or_default().to_string(),
                line: d["span"]["start"]["line"].as_u64().map(|l| l as usize),
                message: d["message"].as_str().unwrap_or_default().to_string(),
                help: d["help"].as_str().map(str::to_string),
            }
        })
        .collect();
    let files = doc["summary"]["files"].as_u64().unwrap_or_default() as usize;
    Ok(Report { findings, files })
}

/// A count and its first few examples.
#[derive(Default, Clone, Debug)]
pub struct Examples {
    pub count: usize,
    pub first: Vec<String>,
}

impl Examples {
    const KEPT: usize = 3;

    fn push(&mut self, example: impl FnOnce() -> String) {
        self.count += 1;
        if self.first.len() < Self::KEPT {
            self.first.push(example());
        }
    }
}

/// What became of the mistakes of one code planted in one style.
#[derive(Default, Clone, Debug)]
pub struct Row {
    pub planted: usize,
    pub found: usize,
    /// Not reported with its code on its line.
    pub missed: Examples,
    /// Reported, but the help does not name what it must.
    pub wrong_help: Examples,
    /// Other findings on the planted file: a mistake must be one finding.
    pub extra: Examples,
}

impl Row {
    fn add(&mut self, other: &Row) {
        self.planted += other.planted;
        self.found += other.found;
        self.missed.count += other.missed.count;
        self.wrong_help.count += other.wrong_help.count;
        self.extra.count += other.extra.count;
    }
}

pub struct Comparison {
    /// By (code, style).
    pub rows: BTreeMap<(String, String), Row>,
    /// Findings on clean plans, non-plans and project files, by (code, style of the line).
    pub unexpected: BTreeMap<(String, String), Examples>,
    pub files_expected: usize,
    pub files_reported: usize,
}

pub fn compare(manifest: &Manifest, report: &Report) -> Comparison {
    let mut by_path: HashMap<&str, Vec<(&Finding, bool)>> = HashMap::new();
    for finding in &report.findings {
        by_path
            .entry(finding.path.as_str())
            .or_default()
            .push((finding, false));
    }
    let mut rows: BTreeMap<(String, String), Row> = BTreeMap::new();
    // The row of a planted file, for the findings that come with its mistake.
    let mut planted_row: HashMap<&str, (String, String)> = HashMap::new();
    for expected in &manifest.expected {
        let key = (expected.code.to_string(), expected.style.clone());
        if !expected.path.ends_with(".json") {
            planted_row.insert(&expected.path, key.clone());
        }
        let row = rows.entry(key).or_default();
        row.planted += 1;
        let findings = by_path.entry(expected.path.as_str()).or_default();
        let on_line = |f: &Finding| f.code == expected.code && f.line == Some(expected.line);
        let naming = |f: &Finding| {
            expected
                .subject
                .as_deref()
                .is_none_or(|s| f.message.contains(&format!("`{s}`")))
        };
        let hit = findings
            .iter()
            .position(|(f, used)| !used && on_line(f) && naming(f));
        match hit {
            Some(at) => {
                let (finding, used) = &mut findings[at];
                *used = true;
                row.found += 1;
                let help_ok = expected
                    .help
                    .as_deref()
                    .is_none_or(|want| finding.help.as_deref().is_some_and(|h| names(h, want)));
                if !help_ok {
                    let want = expected.help.as_deref().unwrap_or_default();
                    row.wrong_help
                        .push(|| format!("{} — help must name `{want}`", finding.describe()));
                }
            }
            None => {
                let on_the_line: Vec<String> = findings
                    .iter()
                    .filter(|(f, _)| f.line == Some(expected.line))
                    .map(|(f, _)| format!("{} {}", f.code, f.message))
                    .collect();
                let elsewhere = findings.len() - on_the_line.len();
                row.missed.push(|| {
                    format!(
                        "{}:{}: expected {}{}; the line got [{}], the rest of the file {elsewhere}",
                        expected.path,
                        expected.line,
                        expected.code,
                        expected
                            .subject
                            .as_deref()
                            .map(|s| format!(" `{s}`"))
                            .unwrap_or_default(),
                        on_the_line.join("; ")
                    )
                });
            }
        }
    }
    let files: HashMap<&str, &super::FileEntry> = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), f))
        .collect();
    let style_of = |path: &str, finding: &Finding| match files.get(path) {
        Some(entry) => match &entry.kind {
            FileKind::NonPlan { style } => style.to_string(),
            _ => finding
                .line
                .and_then(|l| entry.line_styles.get(l.wrapping_sub(1)))
                .map_or("file", |s| s)
                .to_string(),
        },
        None if path.ends_with(".json") => "project-file".to_string(),
        None => "unlisted-file".to_string(),
    };
    let echoes: HashMap<(&str, usize), (String, String)> = manifest
        .echoes
        .iter()
        .map(|e| {
            (
                (e.path.as_str(), e.line),
                (e.code.to_string(), e.style.clone()),
            )
        })
        .collect();
    let mut unexpected: BTreeMap<(String, String), Examples> = BTreeMap::new();
    let mut leftovers = Vec::new();
    for (path, findings) in &by_path {
        for (finding, _) in findings.iter().filter(|(_, used)| !used) {
            if let Some(row) = finding.line.and_then(|line| echoes.get(&(*path, line))) {
                rows.entry(row.clone())
                    .or_default()
                    .extra
                    .push(|| finding.describe());
                continue;
            }
            let key = (finding.code.clone(), style_of(path, finding));
            match planted_row.get(path) {
                Some(row) => leftovers.push((row, key, *finding)),
                None => unexpected
                    .entry(key)
                    .or_default()
                    .push(|| finding.describe()),
            }
        }
    }
    // A finding on a planted plan that clean plans get too (same code, same style of
    // line) is the plan's ordinary text misread, not the planted mistake's echo.
    for (row, key, finding) in leftovers {
        match unexpected.get_mut(&key) {
            Some(same) => same.push(|| finding.describe()),
            None => rows
                .entry(row.clone())
                .or_default()
                .extra
                .push(|| finding.describe()),
        }
    }
    Comparison {
        rows,
        unexpected,
        files_expected: manifest.checked,
        files_reported: report.files,
    }
}

/// Whether `text` holds `name` as a whole (not inside a longer word or id, as the
/// misspelling `Strategyy` holds `Strategy`).
fn names(text: &str, name: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

impl Comparison {
    /// The rows that are not right, among those `select` takes, as a table with examples;
    /// `None` when every one of them is.
    pub fn planted_failures(&self, select: impl Fn(&str, &str) -> bool) -> Option<String> {
        let bad: Vec<_> = self
            .rows
            .iter()
            .filter(|((code, style), row)| {
                select(code, style)
                    && (row.missed.count + row.wrong_help.count + row.extra.count) > 0
            })
            .collect();
        if bad.is_empty() {
            return None;
        }
        let mut out = planted_header();
        for ((code, style), row) in &bad {
            out.push_str(&planted_line(code, style, row));
        }
        for ((code, style), row) in bad {
            for (what, examples) in [
                ("missed", &row.missed),
                ("wrong help", &row.wrong_help),
                ("extra", &row.extra),
            ] {
                for example in &examples.first {
                    let _ = writeln!(out, "  {code} {style} {what}: {example}");
                }
            }
        }
        Some(out)
    }

    /// The unexpected findings `select` takes (by code and style), with examples.
    pub fn unexpected_failures(&self, select: impl Fn(&str, &str) -> bool) -> Option<String> {
        let mut out = String::new();
        for ((code, style), examples) in &self.unexpected {
            if select(code, style) {
                let _ = writeln!(out, "{code:6} {style:44} {:>6}", examples.count);
                for example in &examples.first {
                    let _ = writeln!(out, "  e.g. {example}");
                }
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// The whole comparison, for people.
    pub fn table(&self) -> String {
        let mut out = format!(
            "files checked: {} expected, {} reported\n\n",
            self.files_expected, self.files_reported
        );
        out.push_str(&planted_header());
        let mut by_code: BTreeMap<&str, Row> = BTreeMap::new();
        for ((code, style), row) in &self.rows {
            out.push_str(&planted_line(code, style, row));
            by_code.entry(code).or_default().add(row);
            by_code.entry("total").or_default().add(row);
        }
        out.push_str(
            "
by code:
",
        );
        out.push_str(&planted_header());
        for (code, row) in &by_code {
            out.push_str(&planted_line(code, "", row));
        }
        if let Some(failures) = self.planted_failures(|_, _| true) {
            out.push_str("\nmismatches on planted files (a few examples each):\n");
            out.push_str(&failures);
        }
        let unexpected: usize = self.unexpected.values().map(|e| e.count).sum();
        let _ = writeln!(
            out,
            "\nunexpected findings (clean plans, non-plans, project files): {unexpected}"
        );
        if let Some(list) = self.unexpected_failures(|_, _| true) {
            out.push_str("code   style of the line it points at                  count\n");
            out.push_str(&list);
        }
        out
    }
}

fn planted_header() -> String {
    format!(
        "{:6} {:44} {:>7} {:>6} {:>6} {:>5} {:>6}\n",
        "code", "planted as", "planted", "found", "missed", "help", "extra"
    )
}

fn planted_line(code: &str, style: &str, row: &Row) -> String {
    format!(
        "{code:6} {style:44} {:>7} {:>6} {:>6} {:>5} {:>6}\n",
        row.planted, row.found, row.missed.count, row.wrong_help.count, row.extra.count
    )
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn a_name_inside_a_longer_word_is_not_named() {
        assert!(names("rename it `## Strategy`", "Strategy"));
        assert!(!names("`## Strategyy` is not in the template", "Strategy"));
        assert!(!names("did you mean `saved-search-flow`?", "search-flow"));
        assert!(names("did you mean `search-flow`?", "search-flow"));
    }
}
