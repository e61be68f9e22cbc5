//! The settings of a run, as one plain value: the defaults, then `plancheck.toml` (found
//! from the current folder upwards, or named, and read strictly: a mistake in it is an
//! error pointing into the file), then the command line.

mod file;
mod schema;

use std::path::{Path, PathBuf};

use globset::{GlobMatcher, GlobSet};

use crate::cli::CheckArgs;
use crate::date::{self, Date};
use crate::error::Error;
use crate::fs;
use crate::project::ProjectOptions;
use crate::rules::registry::Severity;
use crate::rules::selection::{RuleSelection, Selector};
use crate::schema::Schema;

pub use file::load;
pub use schema::json_schema;

pub const FILE_NAMES: [&str; 2] = ["plancheck.toml", ".plancheck.toml"];

/// A config file's settings, checked. `None` and empty mean "not set here".
#[derive(Debug, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub root: Option<PathBuf>,
    pub folder_name: Option<String>,
    pub completed_dirs: Option<Vec<String>>,
    pub select: Option<Vec<Selector>>,
    pub ignore: Vec<Selector>,
    pub severity: Vec<(Selector, Severity)>,
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// What walks skip (`exclude`), as written and compiled.
    pub exclude: Vec<String>,
    pub(super) exclude_set: Option<GlobSet>,
    pub statuses: Option<Vec<String>>,
    pub extra_fields: Vec<String>,
    pub extra_sections: Vec<String>,
    /// `[plan] template`: the team's own template, as found from the config's folder.
    pub template: Option<PathBuf>,
    /// What the team's template makes of a plan, read and checked with the config file.
    pub(super) template_schema: Option<Box<Schema>>,
}

impl Config {
    /// `path` as the config's globs see it: from the config file's folder, with `/`
    /// between names. Without a config file, as given.
    pub fn seen_from_folder(&self, path: &Path) -> String {
        let Some(folder) = self.path.as_deref().and_then(Path::parent) else {
            return path.to_string_lossy().into_owned();
        };
        fs::relative_to(path, folder)
    }

    /// Whether walks skip `path`: an `exclude` glob matches it or a folder it is in.
    pub fn excludes(&self, path: &Path) -> bool {
        let Some(set) = &self.exclude_set else {
            return false;
        };
        let seen = self.seen_from_folder(path);
        let mut prefix = seen.as_str();
        loop {
            if set.is_match(prefix) {
                return true;
            }
            match prefix.rsplit_once('/') {
                Some((folder, _)) => prefix = folder,
                None => return false,
            }
        }
    }
}

#[derive(Debug)]
pub struct PerFileIgnore {
    pub glob: String,
    pub matcher: GlobMatcher,
    pub ignore: Vec<Selector>,
}

/// The nearest config file in `start` or an ancestor.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            // Whatever it is: a folder or a FIFO of that name is an error, not passed over.
            .find(|candidate| fs::entry_exists(candidate))
    })
}

/// Everything a run is told: plain data, from the defaults, the config file and the command
/// line. Which rules run, as the registry reads the selection, is the linter's to work out.
#[derive(Debug)]
pub struct Settings {
    /// What the config file set (nothing when there is none), for `plancheck config` to
    /// tell where each setting came from, and for its per-file ignores.
    pub file: Config,
    pub rules: RuleSelection,
    /// The template in force, widened or changed as the config file says.
    pub schema: Schema,
    /// The date the date rules compare with.
    pub today: Date,
    pub project: ProjectOptions,
    /// Where standard input stands, when a plan is read from it.
    pub stdin_filename: Option<PathBuf>,
}

impl Settings {
    /// The defaults alone, every rule on: how a text is checked with nothing else known.
    pub fn every_rule() -> Settings {
        Settings {
            file: Config::default(),
            rules: RuleSelection {
                select: Selector::parse("ALL").ok().map(|all| vec![all]),
                ..RuleSelection::default()
            },
            schema: Schema::default_schema(),
            today: date::today(),
            project: ProjectOptions::default(),
            stdin_filename: None,
        }
    }

    /// The settings the command line gives, with the config file it names or the nearest
    /// one.
    pub fn resolve(args: &CheckArgs) -> Result<Settings, Error> {
        let config_path = if args.source.no_config {
            None
        } else if let Some(path) = &args.source.config {
            Some(path.clone())
        } else {
            first_place(args)
                .and_then(|place| discover(&place))
                .or_else(|| fs::current_dir().and_then(discover))
                .map(|found| fs::relative_to_current_dir(&found))
        };
        let mut file = match &config_path {
            Some(path) => load(path).map_err(Error::Config)?,
            None => Config::default(),
        };
        // The command line's --select replaces the config's; its --ignore adds to it.
        let select = match &args.select {
            Some(select) => Some(Selector::parse_list(select).map_err(Error::Selector)?),
            None => file.select.clone(),
        };
        let mut ignore = file.ignore.clone();
        ignore.extend(Selector::parse_list(&args.ignore).map_err(Error::Selector)?);
        let rules = RuleSelection {
            select,
            ignore,
            severity: file.severity.clone(),
        };
        let today = match &args.today {
            Some(text) => date::parse_day(text).map_err(|_| Error::Today(text.clone()))?,
            None => date::today(),
        };
        let schema = schema_of(&mut file);
        if let Some(dir) = &args.source.project {
            if !fs::is_folder(dir) {
                return Err(Error::PathNotFound(dir.clone()));
            }
        }
        let mut project = ProjectOptions {
            root: args
                .source
                .project
                .as_deref()
                .or(file.root.as_deref())
                .map(fs::absolute),
            ..ProjectOptions::default()
        };
        if let Some(name) = &file.folder_name {
            project.folder_name.clone_from(name);
        }
        Ok(Settings {
            file,
            rules,
            schema,
            today,
            project,
            stdin_filename: args.stdin_filename.clone(),
        })
    }
}

/// The folder the config file is looked for from first: the first PATH's (a file's
/// folder), or for `-` the folder `--stdin-filename` names.
fn first_place(args: &CheckArgs) -> Option<PathBuf> {
    let first = args.paths.first()?;
    let named = if first.as_os_str() == "-" {
        args.stdin_filename.as_deref()?
    } else {
        first
    };
    let named = fs::absolute(named);
    if fs::is_folder(&named) {
        Some(named)
    } else {
        named.parent().map(Path::to_path_buf)
    }
}

/// The template in force (the team's, else the one plancheck ships with), widened or
/// changed as a config file says.
fn schema_of(config: &mut Config) -> Schema {
    let mut schema = config
        .template_schema
        .take()
        .map_or_else(Schema::default_schema, |schema| *schema);
    if let Some(dirs) = &config.completed_dirs {
        schema.completed_dirs.clone_from(dirs);
    }
    for plan in [&mut schema.regular, &mut schema.high_priority] {
        if let Some(statuses) = &config.statuses {
            plan.statuses.clone_from(statuses);
        }
        plan.optional_fields
            .extend(config.extra_fields.iter().cloned());
        plan.extra_sections
            .extend(config.extra_sections.iter().cloned());
    }
    schema
}
