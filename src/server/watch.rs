//! Which changes on disk the server heeds, and who watches for them: the client, when it
//! offers to and tells of every change, else a watcher of the server's own.

use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;
use std::sync::mpsc::Sender;

use ::notify::{RecursiveMode, Watcher as _};
use lsp_server::{Request, RequestId};
use lsp_types::notification::{self as notify, Notification as _};
use lsp_types::request::{self as ask, Request as _};
use lsp_types::InitializeParams;

use super::{Incoming, Server};
use crate::settings;
use crate::watching;

/// Whether the client lets the server ask it to watch files, and tells of every change.
/// Helix offers to, but tells only of the files it writes itself: a task file another
/// program writes would go unseen, so the server watches for Helix as for a client that
/// cannot.
pub(super) fn can_watch(params: &InitializeParams) -> bool {
    let watched = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|workspace| workspace.did_change_watched_files.as_ref());
    let is_helix = (params.client_info.as_ref()).is_some_and(|client| client.name == "helix");
    watched.and_then(|w| w.dynamic_registration) == Some(true) && !is_helix
}

/// The files whose change changes what an open plan is checked against: the project files,
/// the other plans, and the config file.
const WATCHED: [&str; 4] = [
    "**/*.json",
    "**/*.md",
    "**/plancheck.toml",
    "**/.plancheck.toml",
];

/// The id of the one request the server makes: the watchers' registration.
const REGISTER_WATCHERS: &str = "plancheck/watch";

/// The folders the server watches itself, and how.
pub(super) struct DiskWatch {
    watcher: ::notify::RecommendedWatcher,
    folders: BTreeMap<PathBuf, RecursiveMode>,
}

impl Server<'_> {
    /// Asks the client to watch, for the server, the files whose change it heeds.
    pub(super) fn ask_the_client_to_watch(&mut self) -> io::Result<()> {
        let watchers = WATCHED.map(|glob| lsp_types::FileSystemWatcher {
            glob_pattern: lsp_types::GlobPattern::String(glob.to_string()),
            kind: None,
        });
        let registration = lsp_types::Registration {
            id: "plancheck-project-files".to_string(),
            method: notify::DidChangeWatchedFiles::METHOD.to_string(),
            register_options: serde_json::to_value(
                lsp_types::DidChangeWatchedFilesRegistrationOptions {
                    watchers: watchers.to_vec(),
                },
            )
            .ok(),
        };
        self.send(Request::new(
            RequestId::from(REGISTER_WATCHERS.to_string()),
            ask::RegisterCapability::METHOD.to_string(),
            lsp_types::RegistrationParams {
                registrations: vec![registration],
            },
        ))
    }

    /// Starts the server's own watch of the disk, telling `changes` of each change. A watch
    /// that cannot start is told to the user, and the server goes on without.
    pub(super) fn watch_the_disk(&mut self, changes: Sender<Incoming>) -> io::Result<()> {
        let watcher = ::notify::recommended_watcher(move |event| {
            if let Some(files) = watching::changed_files(&event, None) {
                // Nobody left to tell once the session is over.
                let _ = changes.send(Incoming::Changed(files));
            }
        });
        match watcher {
            Ok(watcher) => {
                self.disk = Some(DiskWatch {
                    watcher,
                    folders: BTreeMap::new(),
                });
                self.rewatch()
            }
            Err(error) => self.show(
                lsp_types::MessageType::WARNING,
                format!("plancheck: cannot watch the project files ({error}): a change made outside the editor is seen when the plan is opened again"),
            ),
        }
    }

    /// The files outside the projects whose change changes the settings: the config file in
    /// force, those the workspace folder could hold, and the team's template.
    fn settings_files(&self) -> Vec<PathBuf> {
        let in_workspace =
            (self.root.iter()).flat_map(|root| settings::FILE_NAMES.map(|name| root.join(name)));
        let file = &self.linter.settings.file;
        let in_force = file.path.iter().chain(&file.template);
        in_workspace
            .chain(in_force.map(|path| crate::fs::absolute(path)))
            .collect()
    }

    /// The roots of the projects of the open plans.
    pub(super) fn project_roots(&self) -> Vec<PathBuf> {
        (self.projects.iter())
            .filter(|(_, project)| project.strong_count() > 0)
            .map(|(root, _)| root.clone())
            .collect()
    }

    /// Watches the folders of what the open plans are checked against, and no other: each
    /// project with all below it, and the folder of each settings file.
    pub(super) fn rewatch(&mut self) -> io::Result<()> {
        if self.disk.is_none() {
            return Ok(());
        }
        let trees = watching::outermost(self.project_roots());
        let mut wanted: BTreeMap<PathBuf, RecursiveMode> = (trees.iter())
            .map(|tree| (tree.clone(), RecursiveMode::Recursive))
            .collect();
        for file in self.settings_files() {
            if let Some(folder) = file.parent() {
                if !trees.iter().any(|tree| folder.starts_with(tree)) {
                    wanted.insert(folder.to_path_buf(), RecursiveMode::NonRecursive);
                }
            }
        }
        // A folder that does not exist yet holds nothing that is read.
        wanted.retain(|folder, _| crate::fs::is_folder(folder));
        let Some(disk) = &mut self.disk else {
            return Ok(());
        };
        let gone: Vec<PathBuf> = (disk.folders.iter())
            .filter(|&(folder, mode)| wanted.get(folder) != Some(mode))
            .map(|(folder, _)| folder.clone())
            .collect();
        for folder in gone {
            disk.folders.remove(&folder);
            // A folder removed from the disk is no longer watched already.
            let _ = disk.watcher.unwatch(&folder);
        }
        let mut failed = Vec::new();
        for (folder, mode) in wanted {
            if disk.folders.contains_key(&folder) {
                continue;
            }
            match disk.watcher.watch(&folder, mode) {
                Ok(()) => {
                    disk.folders.insert(folder, mode);
                }
                Err(error) => failed.push(format!("{} ({error})", folder.display())),
            }
        }
        if failed.is_empty() {
            return Ok(());
        }
        self.show(
            lsp_types::MessageType::WARNING,
            format!("plancheck: cannot watch {}: a change made there outside the editor is seen when the plan is opened again", failed.join(", ")),
        )
    }

    /// Heeds a change to `files` (none named: perhaps any) if the open plans are checked
    /// against one of them.
    pub(super) fn changed(&mut self, files: &[PathBuf]) {
        let roots = self.project_roots();
        let settings_files = self.settings_files();
        let read = |file: &PathBuf| {
            roots.iter().any(|root| file.starts_with(root)) || settings_files.contains(file)
        };
        if files.is_empty() || files.iter().any(read) {
            self.settling.changed();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_that_offers_to_watch_is_asked_to_but_helix() {
        let params = |client: Option<&str>, offers: Option<bool>| {
            serde_json::from_value::<InitializeParams>(serde_json::json!({
                "capabilities": {"workspace": {
                    "didChangeWatchedFiles": {"dynamicRegistration": offers}
                }},
                "clientInfo": client.map(|name| serde_json::json!({"name": name})),
            }))
            .unwrap()
        };
        assert!(can_watch(&params(Some("Visual Studio Code"), Some(true))));
        assert!(can_watch(&params(None, Some(true))));
        assert!(!can_watch(&params(Some("helix"), Some(true))));
        assert!(!can_watch(&params(Some("Neovim"), Some(false))));
        assert!(!can_watch(&params(None, None)));
    }
}
