//! `plancheck server`: the settings of the workspace the editor opens, then the language
//! server over standard input and output.

use std::io::BufReader;
use std::path::Path;

use crate::cli::{CheckArgs, ServerArgs, SettingsSource};
use crate::error::Error;
use crate::server::{self, Ended};
use crate::settings::Settings;

use super::{Io, Outcome};

pub fn run(args: &ServerArgs, io: Io<'_>) -> Result<Outcome, Error> {
    let mut input = BufReader::new(io.stdin);
    let settings_of = |root: Option<&Path>| settings(args, root);
    match server::serve(&mut input, io.stdout, Box::new(settings_of))? {
        Ended::Cleanly => Ok(Outcome::Clean),
        // LSP's exit code 1 for an `exit` with no `shutdown` before it.
        Ended::Abruptly => Ok(Outcome::Findings),
    }
}

/// The settings `check` would use in the workspace at `root`, the config file found from
/// there. A config file that cannot be used is said to the user, and the defaults used:
/// an editor has no terminal to show an error on.
fn settings(args: &ServerArgs, root: Option<&Path>) -> (Settings, Option<String>) {
    let as_check = CheckArgs {
        paths: root.map(Path::to_path_buf).into_iter().collect(),
        source: args.source.clone(),
        today: args.today.clone(),
        ..CheckArgs::default()
    };
    match Settings::resolve(&as_check) {
        Ok(settings) => (settings, None),
        Err(error) => {
            let defaults = CheckArgs {
                source: SettingsSource {
                    no_config: true,
                    ..SettingsSource::default()
                },
                today: args.today.clone(),
                ..CheckArgs::default()
            };
            let message = format!("plancheck: {error}; the default settings are used");
            match Settings::resolve(&defaults) {
                Ok(settings) => (settings, Some(message)),
                Err(_) => (Settings::every_rule(), Some(message)),
            }
        }
    }
}
