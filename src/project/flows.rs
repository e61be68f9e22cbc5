//! `ProjectFlow/`: the flow ids flow-index.json lists and the `*-flow.json` files define,
//! and the names of the flow files there.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::de::{MapAccess, SeqAccess};

use super::load::{json_files, parse_json, Loader};
use super::loose::{self, Loose, Shape};

/// The flow ids an object defines: its own `flowId` and those of its `flows[]`. Index
/// entries and flow files share this shape; any other value defines none.
#[derive(Default)]
pub(super) struct FlowIds<'a>(pub(super) Vec<Cow<'a, str>>);

impl<'de> Shape<'de> for FlowIds<'de> {
    fn object<A: MapAccess<'de>>(object: A) -> Result<Self, A::Error> {
        let mut own: Option<Cow<'de, str>> = None;
        let mut nested: Vec<NestedFlowId<'de>> = Vec::new();
        // Of a key given twice the later counts, as in a `serde_json::Value`.
        loose::entries(object, |key, object| {
            match key {
                "flowId" => own = loose::value(object)?,
                "flows" => nested = loose::value(object)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let nested = nested.into_iter().filter_map(|NestedFlowId(id)| id);
        Ok(FlowIds(own.into_iter().chain(nested).collect()))
    }
}

/// A `flows[]` entry: an object's `flowId`.
#[derive(Default)]
struct NestedFlowId<'a>(Option<Cow<'a, str>>);

impl<'de> Shape<'de> for NestedFlowId<'de> {
    fn object<A: MapAccess<'de>>(object: A) -> Result<Self, A::Error> {
        let mut id = None;
        loose::strings(object, ["flowId"], [&mut id])?;
        Ok(NestedFlowId(id))
    }
}

/// The flow ids flow-index.json lists: none when it has no `flowFiles` or a `null` one,
/// those of each entry of a list (as [`FlowIds`] reads them), or the keys of an object;
/// `None` for a `flowFiles` of another shape.
pub(super) struct IndexedFlowIds<'a>(pub(super) Option<Vec<Cow<'a, str>>>);

impl Default for IndexedFlowIds<'_> {
    /// An index without `flowFiles` (or no object at all) lists no flow.
    fn default() -> Self {
        IndexedFlowIds(Some(Vec::new()))
    }
}

impl<'de> Shape<'de> for IndexedFlowIds<'de> {
    fn object<A: MapAccess<'de>>(object: A) -> Result<Self, A::Error> {
        let mut listed = IndexedFlowIds::default();
        loose::entries(object, |key, object| {
            if key != "flowFiles" {
                return Ok(false);
            }
            let Loose(FlowFiles(ids)) = object.next_value()?;
            listed = IndexedFlowIds(ids);
            Ok(true)
        })?;
        Ok(listed)
    }
}

/// An index's `flowFiles`, as [`IndexedFlowIds`] reads it.
struct FlowFiles<'a>(Option<Vec<Cow<'a, str>>>);

impl Default for FlowFiles<'_> {
    /// A string, a number or `true`: none of the accepted shapes.
    fn default() -> Self {
        FlowFiles(None)
    }
}

impl<'de> Shape<'de> for FlowFiles<'de> {
    fn null() -> Self {
        FlowFiles(Some(Vec::new()))
    }

    fn list<A: SeqAccess<'de>>(mut list: A) -> Result<Self, A::Error> {
        let mut ids = Vec::new();
        while let Some(Loose(FlowIds(mut entry))) = list.next_element()? {
            ids.append(&mut entry);
        }
        Ok(FlowFiles(Some(ids)))
    }

    fn object<A: MapAccess<'de>>(object: A) -> Result<Self, A::Error> {
        let mut ids = Vec::new();
        loose::entries(object, |key, _| {
            ids.push(Cow::Owned(key.to_string()));
            Ok(false)
        })?;
        Ok(FlowFiles(Some(ids)))
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
                let Loose(IndexedFlowIds(listed)) = parse_json(text)?;
                Ok(listed.map(|ids| ids.into_iter().map(Cow::into_owned).collect::<Vec<_>>()))
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
            let Loose(FlowIds(ids)) = parse_json::<Loose<FlowIds>>(text)?;
            Ok(ids.into_iter().map(Cow::into_owned).collect::<Vec<_>>())
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
