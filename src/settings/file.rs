//! `plancheck.toml` as written: what the file may hold (serde, strict), read into a
//! [`Config`], with its mistakes said in a TOML file's words and shown at their spot.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{Glob, GlobSetBuilder};
use miette::NamedSource;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use super::{Config, PerFileIgnore};
use crate::error::ConfigError;
use crate::fs;
use crate::report::escape;
use crate::rules::registry::Severity;
use crate::rules::selection::Selector;
use crate::schema::{Schema, TemplateMistake};

/// `plancheck.toml`: what the file may hold. Its doc comments are the descriptions
/// `plancheck config --schema` gives editors.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "plancheck.toml")]
pub(super) struct ConfigFile {
    /// Globs, relative to this file's folder, of files and folders walks skip (a file named
    /// on the command line is still checked).
    #[schemars(with = "Option<Vec<String>>")]
    exclude: Option<Vec<Spanned<String>>>,
    /// Where the project's plans and project files are.
    project: Option<ProjectTable>,
    /// Which rules run, and at which severity.
    rules: Option<RulesTable>,
    /// Rules to skip for the plans a glob matches.
    per_file_ignores: Option<Vec<PerFileIgnoreTable>>,
    /// What a plan may hold beyond the template.
    plan: Option<PlanTable>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ProjectTable {
    /// The management folder, relative to this file (overrides discovery).
    #[schemars(with = "Option<String>")]
    root: Option<Spanned<String>>,
    /// The folder name discovery looks for (default `projectManagement`).
    folder_name: Option<String>,
    /// The folders of `Implementations/` holding completed plans (default: completed, archive).
    completed_dirs: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RulesTable {
    /// The rules to run, replacing the default set: codes, code prefixes, names, or `ALL`.
    #[schemars(with = "Option<Vec<String>>")]
    select: Option<Vec<Spanned<String>>>,
    /// Rules to skip: codes, code prefixes, names, or `ALL`.
    #[schemars(with = "Option<Vec<String>>")]
    ignore: Option<Vec<Spanned<String>>>,
    /// A severity per code, prefix or name; `off` turns the rules off.
    #[serde(default)]
    #[schemars(schema_with = "super::schema::severity_table_schema")]
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

pub(super) fn severity_words() -> Vec<&'static str> {
    Severity::ALL.map(Severity::as_str).to_vec()
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PerFileIgnoreTable {
    /// A glob, relative to this file's folder (`**/completed/**`).
    #[schemars(with = "String")]
    glob: Spanned<String>,
    /// The rules to skip there: codes, code prefixes, names, or `ALL`.
    #[schemars(with = "Vec<String>")]
    ignore: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PlanTable {
    /// The team's own template, relative to this file, in the form of the embedded one:
    /// its headings are the required sections in order, its metadata bullets the fields,
    /// its first phase's bullets the phase fields, its other bullets the guidance lines
    /// PC113 looks for; `plancheck new` writes from it. Default: the embedded template.
    #[schemars(with = "Option<String>")]
    template: Option<Spanned<String>>,
    /// The allowed statuses, replacing `active`, `completed`, `superseded`.
    #[schemars(with = "Option<Vec<String>>")]
    statuses: Option<Spanned<Vec<String>>>,
    /// Metadata fields allowed on top of the template's.
    extra_fields: Option<Vec<String>>,
    /// `##` sections allowed on top of the template's.
    extra_sections: Option<Vec<String>>,
}

/// A config file's mistake as serde words it, said in the words of a TOML file: keys and
/// tables, not fields and structs, and never a Rust type's name.
struct Mistake {
    message: String,
    label: String,
    help: Option<String>,
}

impl Mistake {
    fn in_words(serde_message: &str) -> Mistake {
        let serde_message = serde_message.trim_end_matches('.');
        if let Some(rest) = serde_message.strip_prefix("unknown field ") {
            let (key, expected) = rest.split_once(", ").unwrap_or((rest, ""));
            // "expected one of `a`, `b`", "expected `a`", or "there are no fields".
            let list = expected
                .trim_start_matches("expected one of ")
                .trim_start_matches("expected ");
            let keys: Vec<&str> = if list.starts_with('`') {
                list.split(", ").map(|k| k.trim_matches('`')).collect()
            } else {
                Vec::new()
            };
            let unquoted = key.trim_matches('`');
            let nearest = crate::suggest::suggest(unquoted, keys.iter().copied())
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            let help = if keys.is_empty() {
                "this table takes no keys".to_string()
            } else {
                format!("{nearest}the keys here are: {}", keys.join(", "))
            };
            return Mistake {
                message: format!("unknown key {key}"),
                label: "unknown key".into(),
                help: Some(help),
            };
        }
        if let Some(key) = serde_message.strip_prefix("missing field ") {
            return Mistake {
                message: format!("missing key {key}"),
                label: "this table needs it".into(),
                help: None,
            };
        }
        if let Some((found, expected)) = serde_message
            .strip_prefix("invalid type: ")
            .and_then(|rest| rest.split_once(", expected "))
        {
            let expected = kind_in_words(expected);
            return Mistake {
                message: format!("expected {expected}, found {}", kind_in_words(found)),
                label: format!("not {expected}"),
                help: None,
            };
        }
        Mistake {
            message: serde_message.to_string(),
            label: "here".into(),
            help: None,
        }
    }
}

/// A template that is none, shown at its place in the template's own file.
fn template_error(path: &Path, text: &str, mistake: TemplateMistake) -> Box<ConfigError> {
    let shown = escape::controls(&path.display().to_string()).into_owned();
    let span = mistake.span.map_or(0..0, |span| span.range());
    Box::new(ConfigError {
        message: format!("invalid template: {}", mistake.message),
        source_code: NamedSource::new(&shown, escape::in_place(text)).with_language("markdown"),
        span: Some((span.start, span.end - span.start).into()),
        label: mistake.label.to_string(),
        help: Some(mistake.help),
    })
}

/// serde's name for a kind of value (`a sequence`, `struct ProjectTable`, `integer `3``) as
/// a TOML file's reader knows it.
fn kind_in_words(serde_kind: &str) -> String {
    let (kind, value) = match serde_kind.split_once(' ') {
        Some((kind, value)) => (kind, Some(value)),
        None => (serde_kind, None),
    };
    match (kind, value) {
        ("a" | "an", Some(kind)) => kind_in_words(kind),
        ("struct" | "map", _) => "a table".into(),
        ("sequence", _) => "a list".into(),
        ("string", None) => "a string".into(),
        ("string", Some(text)) => format!("the string {text}"),
        ("integer" | "floating", Some(number)) => format!(
            "the number {}",
            number.trim_start_matches("point ").trim_matches('`')
        ),
        ("integer" | "floating", None) => "a number".into(),
        ("boolean", Some(value)) => value.to_string(),
        ("boolean", None) => "true or false".into(),
        _ => serde_kind.to_string(),
    }
}

pub fn load(path: &Path) -> Result<Config, Box<ConfigError>> {
    let shown = escape::controls(&path.display().to_string()).into_owned();
    let unreadable = |reason: String| {
        Box::new(ConfigError {
            message: format!("cannot read the config file `{shown}`: {reason}"),
            source_code: NamedSource::new(&shown, String::new()),
            span: None,
            label: String::new(),
            help: Some(format!(
                "a config file is a regular file of at most {} MiB",
                fs::CONFIG_LIMIT >> 20
            )),
        })
    };
    let bytes =
        fs::read_capped(path, fs::CONFIG_LIMIT).map_err(|error| unreadable(error.to_string()))?;
    let text =
        String::from_utf8(bytes).map_err(|_| unreadable("it is not valid UTF-8".to_string()))?;
    let fail = |span: Option<std::ops::Range<usize>>,
                message: String,
                label: &str,
                help: Option<String>| {
        // A config file may come with a pull request: what it holds reaches the terminal
        // with its control characters shown, not acted on.
        Box::new(ConfigError {
            message: escape::controls(&message).into_owned(),
            source_code: NamedSource::new(&shown, escape::in_place(&text)).with_language("toml"),
            span: span.map(|r| (r.start, r.end - r.start).into()),
            label: label.to_string(),
            help,
        })
    };
    let file: ConfigFile = toml::from_str(&text).map_err(|error| {
        let mistake = Mistake::in_words(error.message());
        fail(
            error.span(),
            format!("invalid config: {}", mistake.message),
            &mistake.label,
            mistake.help,
        )
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut config = Config {
        path: Some(path.to_path_buf()),
        ..Config::default()
    };
    let selector = |s: &Spanned<String>| {
        Selector::parse(s.get_ref()).map_err(|e| {
            fail(
                Some(s.span()),
                format!("invalid rule selector: {e}"),
                "no rule has this code or name",
                Some("run `plancheck rules` for every code and name".into()),
            )
        })
    };
    let selectors = |list: &[Spanned<String>]| -> Result<Vec<Selector>, Box<ConfigError>> {
        list.iter().map(selector).collect()
    };
    if let Some(project) = file.project {
        if let Some(root) = project.root {
            let resolved = dir.join(root.get_ref());
            if !fs::is_folder(&resolved) {
                return Err(fail(
                    Some(root.span()),
                    format!("project root `{}` does not exist", root.get_ref()),
                    "relative to this file's folder",
                    None,
                ));
            }
            config.root = Some(resolved);
        }
        config.folder_name = project.folder_name;
        config.completed_dirs = project.completed_dirs;
    }
    if let Some(rules) = file.rules {
        config.select = rules.select.as_deref().map(selectors).transpose()?;
        config.ignore = rules
            .ignore
            .as_deref()
            .map(selectors)
            .transpose()?
            .unwrap_or_default();
        for (key, value) in rules.severity.unwrap_or_default() {
            let selector = selector(&key)?;
            let Some(severity) = Severity::from_word(value.get_ref()) else {
                return Err(fail(
                    Some(value.span()),
                    format!("invalid severity `{}`", value.get_ref()),
                    "not a severity",
                    Some(format!("use one of: {}", severity_words().join(", "))),
                ));
            };
            config.severity.push((selector, severity));
        }
    }
    let glob = |written: &Spanned<String>| {
        Glob::new(written.get_ref()).map_err(|e| {
            fail(
                Some(written.span()),
                format!("invalid glob: {}", e.kind()),
                "this glob",
                None,
            )
        })
    };
    if let Some(exclude) = file.exclude {
        let mut set = GlobSetBuilder::new();
        for written in &exclude {
            set.add(glob(written)?);
        }
        // invariant: every glob compiled alone above; a set of them compiles too.
        config.exclude_set = set.build().ok();
        config.exclude = exclude.into_iter().map(Spanned::into_inner).collect();
    }
    for entry in file.per_file_ignores.unwrap_or_default() {
        let glob = glob(&entry.glob)?;
        config.per_file_ignores.push(PerFileIgnore {
            glob: entry.glob.get_ref().clone(),
            matcher: glob.compile_matcher(),
            ignore: selectors(&entry.ignore)?,
        });
    }
    if let Some(plan) = file.plan {
        if let Some(written) = plan.template {
            let template = dir.join(written.get_ref());
            let text = fs::read_capped(&template, fs::CONFIG_LIMIT)
                .map_err(|error| error.to_string())
                .and_then(|bytes| {
                    String::from_utf8(bytes).map_err(|_| "it is not valid UTF-8".to_string())
                })
                .map_err(|reason| {
                    fail(
                        Some(written.span()),
                        format!("cannot read the template `{}`: {reason}", written.get_ref()),
                        "relative to this file's folder",
                        Some(format!(
                            "a template is a markdown file of at most {} MiB",
                            fs::CONFIG_LIMIT >> 20
                        )),
                    )
                })?;
            let schema = Schema::with_template(&text)
                .map_err(|mistake| template_error(&template, &text, mistake))?;
            config.template = Some(template);
            config.template_schema = Some(Box::new(schema));
        }
        if let Some(statuses) = plan.statuses {
            if statuses.get_ref().is_empty() {
                return Err(fail(
                    Some(statuses.span()),
                    "`statuses` is empty".into(),
                    "no status allowed",
                    Some("list at least one status".into()),
                ));
            }
            config.statuses = Some(statuses.into_inner());
        }
        config.extra_fields = plan.extra_fields.unwrap_or_default();
        config.extra_sections = plan.extra_sections.unwrap_or_default();
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_is_told_the_keys_of_its_table() {
        let helps = [
            (
                "unknown field `ignroe`, expected one of `select`, `ignore`, `severity`",
                "did you mean `ignore`? the keys here are: select, ignore, severity",
            ),
            (
                "unknown field `rot`, expected `root`",
                "did you mean `root`? the keys here are: root",
            ),
            (
                "unknown field `x`, there are no fields",
                "this table takes no keys",
            ),
        ];
        for (serde_message, help) in helps {
            let mistake = Mistake::in_words(serde_message);
            assert_eq!(mistake.help.as_deref(), Some(help), "{serde_message}");
        }
    }

    #[test]
    fn config_mistakes_are_said_in_toml_words() {
        let cases = [
            (
                "[rules]\nignroe = []\n",
                "unknown key `ignroe`",
                Some("did you mean `ignore`?"),
            ),
            (
                "project = \"x\"\n",
                "expected a table, found the string \"x\"",
                None,
            ),
            (
                "[plan]\nstatuses = \"active\"\n",
                "expected a list, found the string",
                None,
            ),
            (
                "[project]\nroot = 3\n",
                "expected a string, found the number 3",
                None,
            ),
            (
                "[[per-file-ignores]]\nignore = []\n",
                "missing key `glob`",
                None,
            ),
        ];
        for (text, message, help) in cases {
            let error = load_text(text).unwrap_err();
            assert!(error.message.contains(message), "{text}: {}", error.message);
            for rust_word in ["struct", "sequence", "map", "field", "Table"] {
                assert!(
                    !error.message.contains(rust_word),
                    "{text}: {}",
                    error.message
                );
            }
            if let Some(help) = help {
                let given = error.help.as_deref().unwrap_or_default();
                assert!(given.starts_with(help), "{text}: {given}");
            }
        }
    }

    fn load_text(text: &str) -> Result<Config, Box<ConfigError>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plancheck.toml");
        std::fs::write(&path, text).unwrap();
        load(&path)
    }

    #[test]
    fn reads_every_key() {
        let config = load_text(
            r#"
[project]
folder-name = "pm"
completed-dirs = ["done"]

[rules]
select = ["ALL"]
ignore = ["PC401"]
severity = { PC304 = "warning", PC203 = "off" }

[[per-file-ignores]]
glob = "**/completed/**"
ignore = ["PC3"]

[plan]
statuses = ["active", "completed", "superseded", "on-hold"]
extra-fields = ["Owner"]
extra-sections = ["Appendix"]
"#,
        )
        .unwrap();
        let select = config.select.as_deref().unwrap_or_default();
        assert_eq!(
            select.iter().map(Selector::as_str).collect::<Vec<_>>(),
            ["ALL"]
        );
        assert_eq!(config.severity.len(), 2);
        assert!(config.per_file_ignores[0]
            .matcher
            .is_match("a/completed/b.md"));
        assert_eq!(config.statuses.unwrap().len(), 4);
    }

    #[test]
    fn every_mistake_is_an_error_at_its_place() {
        for (text, needle) in [
            ("[rules]\nselectt = []\n", "selectt"),
            ("[rules]\nselect = [\"PC999\"]\n", "\"PC999\""),
            ("[rules]\nseverity = { PC304 = \"loud\" }\n", "\"loud\""),
            ("[rules]\nseverity = { nope = \"off\" }\n", "nope"),
            (
                "[[per-file-ignores]]\nglob = \"a[\"\nignore = []\n",
                "\"a[\"",
            ),
            ("[plan]\nstatuses = 3\n", "3"),
            ("[project]\nroot = \"no/such/dir\"\n", "\"no/such/dir\""),
            ("[plan]\ntemplate = \"no/such.md\"\n", "\"no/such.md\""),
        ] {
            let error = load_text(text).unwrap_err();
            let span = error.span.expect("a span");
            let at = text.find(needle).unwrap();
            assert!(
                span.offset() <= at && at < span.offset() + span.len().max(1),
                "{text}: {error}"
            );
        }
    }
}
