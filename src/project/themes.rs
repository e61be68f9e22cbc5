//! `Themes/`: the theme names themes.json lists and the theme files name.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::sync::Arc;

use serde_json::Value;

use super::load::{json_files, json_kind, not_an_object, parse_json, stem, Loader};

/// The first string found at any of `paths` (each a list of object keys).
pub(super) fn first_string<'v>(value: &'v Value, paths: &[&[&str]]) -> Option<&'v str> {
    paths.iter().find_map(|path| {
        path.iter()
            .try_fold(value, |v, key| v.get(key))
            .and_then(Value::as_str)
    })
}

impl Loader {
    pub(super) fn themes(&mut self) {
        let folder = self.project.root.join("Themes");
        if !crate::fs::is_folder(&folder) {
            return;
        }
        let mut names = BTreeSet::new();
        let mut known = false;
        let problems_before = self.project.problems.len();
        let (index, theme_files): (Vec<OsString>, Vec<OsString>) = json_files(&folder)
            .into_iter()
            .partition(|name| name == "themes.json");
        let mut sources = BTreeMap::new();
        let files: Vec<Arc<str>> = (theme_files.iter())
            .map(|name| self.shown(&folder.join(name)).into())
            .collect();
        // A theme file names its theme whatever it holds.
        for (name, file) in theme_files.iter().zip(&files) {
            let theme = stem(name);
            sources.insert(theme.clone(), Arc::clone(file));
            names.insert(theme);
            known = true;
        }
        let named = self.read_many(&folder, &theme_files, |text| {
            let value = parse_json::<Value>(text)?;
            Ok(first_string(&value, &[&["theme"], &["name"]]).map(String::from))
        });
        for (theme, file) in named.into_iter().zip(&files) {
            if let Some(Some(theme)) = theme {
                sources
                    .entry(theme.clone())
                    .or_insert_with(|| Arc::clone(file));
                names.insert(theme);
            }
        }
        let index = index.first().map(|name| folder.join(name));
        // With what the document holds, should it be no object.
        let read = index.as_ref().and_then(|index| {
            self.read_borrowing(index, |text| {
                Ok((parse_json::<Value>(text)?, json_kind(text)))
            })
        });
        if let Some((file, (value, holds))) = read {
            match value.get("themes") {
                Some(Value::Object(themes)) => {
                    known = true;
                    names.extend(themes.keys().cloned());
                }
                Some(Value::Array(themes)) => {
                    known = true;
                    names.extend(themes.iter().filter_map(|t| {
                        t.as_str()
                            .or_else(|| first_string(t, &[&["name"], &["theme"]]))
                            .map(String::from)
                    }));
                }
                Some(_) => {
                    self.shape_problem(file, "themes", None, "an object keyed by theme name");
                }
                None => match value.as_object() {
                    // The flat shape: `{name: description}`.
                    Some(map) => {
                        known = true;
                        names.extend(
                            map.iter()
                                .filter(|(_, v)| v.is_string() || v.is_object())
                                .map(|(k, _)| k.clone()),
                        );
                    }
                    None => {
                        let (span, message) = not_an_object("themes.json", holds);
                        self.problem(file, span, message);
                    }
                },
            }
        }
        if self.project.problems.len() > problems_before {
            self.project.broken.push("themes");
        } else if known {
            if let Some(index) = &index {
                let file: Arc<str> = self.shown(index).into();
                for theme in &names {
                    sources
                        .entry(theme.clone())
                        .or_insert_with(|| Arc::clone(&file));
                }
            }
            self.project.theme_sources = sources;
            self.project.themes = Some(names);
        }
    }
}
