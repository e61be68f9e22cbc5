//! `ProjectFlow/`: the flow ids flow-index.json lists and the `*-flow.json` files define,
//! and the names of the flow files there.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::Value;

use super::load::{json_files, parse_json, Loader};

/// The flow ids an object defines: its own `flowId` and those of its `flows[]`. Index
/// entries and flow files share this shape; any other value defines none.
pub(super) fn flow_ids(value: &Value) -> impl Iterator<Item = String> + '_ {
    let nested = (value.get("flows").and_then(Value::as_array))
        .into_iter()
        .flatten();
    std::iter::once(value)
        .chain(nested)
        .filter_map(|v| v.get("flowId").and_then(Value::as_str))
        .map(String::from)
}

/// The flow ids flow-index.json lists: none when it has no `flowFiles` or a `null` one,
/// those of each entry of a list (as [`flow_ids`] reads them), or the keys of an object;
/// `None` for a `flowFiles` of another shape.
pub(super) fn indexed_flow_ids(index: &Value) -> Option<Vec<String>> {
    match index.get("flowFiles") {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::Array(entries)) => Some(entries.iter().flat_map(flow_ids).collect()),
        Some(Value::Object(by_id)) => Some(by_id.keys().cloned().collect()),
        Some(_) => None,
    }
}

impl Loader {
    pub(super) fn flows(&mut self) {
        let folder = self.project.root.join("ProjectFlow");
        if !crate::fs::is_folder(&folder) {
            return;
        }
        self.project.has_flow_folder = true;
        // Collected, then made a set at once: a set built from a sorted list costs less than
        // fifteen thousand ids each inserted.
        let mut ids = Vec::new();
        let mut known = false;
        let problems_before = self.project.problems.len();
        let index = folder.join("flow-index.json");
        let listed = crate::fs::entry_exists(&index).then(|| {
            self.read_borrowing(&index, |text| {
                parse_json::<Value>(text).map(|index| indexed_flow_ids(&index))
            })
        });
        let mut listed_in_index = 0;
        if let Some((file, listed)) = listed.flatten() {
            match listed {
                Some(listed) => {
                    known = true;
                    listed_in_index = listed.len();
                    ids.extend(listed);
                }
                None => self.shape_problem(
                    file,
                    "flowFiles",
                    None,
                    "a list of flow files, a list of flows, or an object keyed by flow id",
                ),
            }
        }
        let mut flow_files = Vec::new();
        let mut names = Vec::new();
        for name in json_files(&folder) {
            let shown = crate::fs::os_text(&name).into_owned();
            if shown == "flow-index.json" {
                continue;
            }
            if shown.ends_with("-flow.json") {
                flow_files.push(name);
            }
            names.push(shown);
        }
        // Built at once from the sorted names, and taken whole.
        let mut names: BTreeSet<String> = names.into_iter().collect();
        self.project.flow_files.append(&mut names);
        let defined = self.read_many(&folder, &flow_files, |text| {
            parse_json::<Value>(text).map(|flow| flow_ids(&flow).collect::<Vec<_>>())
        });
        let mut sources = BTreeMap::new();
        for (name, flows) in flow_files.iter().zip(defined) {
            let Some(flows) = flows else { continue };
            known = true;
            let file: Arc<str> = self.shown(&folder.join(name)).into();
            for id in &flows {
                sources
                    .entry(id.clone())
                    .or_insert_with(|| Arc::clone(&file));
            }
            ids.extend(flows);
        }
        if listed_in_index > 0 {
            let file: Arc<str> = self.shown(&index).into();
            for id in &ids[..listed_in_index] {
                sources
                    .entry(id.clone())
                    .or_insert_with(|| Arc::clone(&file));
            }
        }

        // A broken flow file may define the very ids a plan names: guess nothing.
        if self.project.problems.len() > problems_before {
            self.project.broken.push("flows");
        } else if known {
            self.project.flow_sources = sources;
            self.project.flows = Some(ids.into_iter().collect());
        }
    }
}
