//! `plancheck config`: every setting in force and where it came from.

use std::io::{self, Write};

use crate::cli::CheckArgs;
use crate::error::Error;
use crate::rules::registry::{self, Severity};
use crate::rules::selection::{RuleSet, Selector};
use crate::settings::Settings;

pub fn run(args: &CheckArgs, out: &mut dyn Write) -> Result<(), Error> {
    let settings = Settings::resolve(args)?;
    let rules = RuleSet::new(&settings.rules);
    describe(&settings, &rules, args, out)?;
    Ok(())
}

/// The JSON Schema of `plancheck.toml`, pretty-printed.
pub fn schema(out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &crate::settings::json_schema())?;
    writeln!(out)
}

/// Every setting in force and where it came from.
fn describe(
    settings: &Settings,
    rules: &RuleSet,
    args: &CheckArgs,
    out: &mut dyn Write,
) -> io::Result<()> {
    let file = settings.file.path.as_ref().map(|p| p.display().to_string());
    let from_file = |set: bool| match (&file, set) {
        (Some(f), true) => f.clone(),
        _ => "default".to_string(),
    };
    let from = |cli: bool, file_set: bool| {
        if cli {
            "command line".to_string()
        } else {
            from_file(file_set)
        }
    };
    writeln!(out, "config file: {}", file.as_deref().unwrap_or("none"))?;
    let project_root = settings
        .project
        .root
        .as_ref()
        .map_or("discovered per plan".to_string(), |r| {
            r.display().to_string()
        });
    writeln!(
        out,
        "project.root = {project_root}  ({})",
        from(args.source.project.is_some(), settings.file.root.is_some())
    )?;
    writeln!(
        out,
        "project.folder-name = {}  ({})",
        settings.project.folder_name,
        from_file(settings.file.folder_name.is_some())
    )?;
    writeln!(
        out,
        "project.completed-dirs = {}  ({})",
        settings.schema.completed_dirs.join(", "),
        from_file(settings.file.completed_dirs.is_some())
    )?;
    let select = match (&args.select, &settings.file.select) {
        (Some(select), _) => Some(select.join(", ")),
        (None, Some(select)) => Some(joined(select)),
        (None, None) => None,
    };
    writeln!(
        out,
        "rules.select = {}  ({})",
        select.unwrap_or_else(|| "the defaults".to_string()),
        from(args.select.is_some(), settings.file.select.is_some())
    )?;
    let ignore: Vec<&str> = (settings.file.ignore.iter().map(Selector::as_str))
        .chain(args.ignore.iter().map(String::as_str))
        .collect();
    writeln!(
        out,
        "rules.ignore = {}  ({})",
        if ignore.is_empty() {
            "none".to_string()
        } else {
            ignore.join(", ")
        },
        from(!args.ignore.is_empty(), !settings.file.ignore.is_empty())
    )?;
    for (selector, severity) in &settings.file.severity {
        writeln!(
            out,
            "rules.severity.{} = {severity}  ({})",
            selector.as_str(),
            from_file(true)
        )?;
    }
    writeln!(
        out,
        "exclude = {}  ({})",
        list_or_none(&settings.file.exclude),
        from_file(!settings.file.exclude.is_empty())
    )?;
    for entry in &settings.file.per_file_ignores {
        writeln!(
            out,
            "per-file-ignores: {} ignores {}  ({})",
            entry.glob,
            joined(&entry.ignore),
            from_file(true)
        )?;
    }
    let template = settings.file.template.as_ref();
    writeln!(
        out,
        "plan.template = {}  ({})",
        template.map_or("the embedded one".to_string(), |t| t.display().to_string()),
        from_file(template.is_some())
    )?;
    writeln!(
        out,
        "plan.statuses = {}  ({})",
        settings.schema.regular.statuses.join(", "),
        from_file(settings.file.statuses.is_some())
    )?;
    writeln!(
        out,
        "plan.extra-fields = {}  ({})",
        list_or_none(&settings.file.extra_fields),
        from_file(!settings.file.extra_fields.is_empty())
    )?;
    writeln!(
        out,
        "plan.extra-sections = {}  ({})",
        list_or_none(&settings.file.extra_sections),
        from_file(!settings.file.extra_sections.is_empty())
    )?;
    writeln!(
        out,
        "today = {}  ({})",
        settings.today,
        if args.today.is_some() {
            "command line"
        } else {
            "system clock, UTC"
        }
    )?;
    writeln!(out, "rules in force:")?;
    for rule in registry::ALL {
        let severity = rules.severity(rule);
        if severity != Severity::Off {
            writeln!(out, "  {}  {:30} {severity}", rule.code, rule.name)?;
        }
    }
    Ok(())
}

fn list_or_none(list: &[String]) -> String {
    if list.is_empty() {
        "none".to_string()
    } else {
        list.join(", ")
    }
}

/// Selectors as a config file lists them.
fn joined(selectors: &[Selector]) -> String {
    selectors
        .iter()
        .map(Selector::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}
