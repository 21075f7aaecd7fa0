//! A botocore model as the generator reads it.

use std::collections::{BTreeMap, BTreeSet};

use crate::json::J;

pub struct Model {
    /// File stem (`iam`).
    pub service: String,
    pub json: J,
}

impl Model {
    pub fn metadata(&self) -> &J {
        self.json.get("metadata").unwrap_or(&J::Null)
    }

    pub fn protocol(&self) -> &str {
        self.metadata().str("protocol").unwrap_or("")
    }

    pub fn operations(&self) -> &[(String, J)] {
        self.json.get("operations").map(J::entries).unwrap_or(&[])
    }

    pub fn shape(&self, name: &str) -> Result<&J, String> {
        self.json
            .get("shapes")
            .and_then(|s| s.get(name))
            .ok_or_else(|| format!("{}: no shape `{name}`", self.service))
    }

    /// The shapes reachable from the operations' inputs.
    pub fn input_shapes(&self) -> Result<BTreeSet<String>, String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<String> = self
            .operations()
            .iter()
            .filter_map(|(_, op)| {
                op.get("input")
                    .and_then(|i| i.str("shape"))
                    .map(str::to_owned)
            })
            .collect();
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let shape = self.shape(&name)?;
            for (_, m) in shape.get("members").map(J::entries).unwrap_or(&[]) {
                if let Some(s) = m.str("shape") {
                    todo.push(s.to_owned());
                }
            }
            for key in ["member", "key", "value"] {
                if let Some(s) = shape.get(key).and_then(|k| k.str("shape")) {
                    todo.push(s.to_owned());
                }
            }
        }
        Ok(seen)
    }

    /// Every exception shape, by name.
    pub fn errors(&self) -> BTreeMap<String, &J> {
        self.json
            .get("shapes")
            .map(J::entries)
            .unwrap_or(&[])
            .iter()
            .filter(|(_, s)| s.bool("exception"))
            .map(|(n, s)| (n.clone(), s))
            .collect()
    }

    /// An operation's input members (name, member JSON, required).
    pub fn members(&self, shape: Option<&str>) -> Result<Vec<(String, J, bool)>, String> {
        let Some(shape) = shape else {
            return Ok(Vec::new());
        };
        let s = self.shape(shape)?;
        let required: Vec<&str> = s
            .get("required")
            .map(J::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|r| match r {
                J::Str(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        Ok(s.get("members")
            .map(J::entries)
            .unwrap_or(&[])
            .iter()
            .map(|(n, m)| (n.clone(), m.clone(), required.contains(&n.as_str())))
            .collect())
    }
}
