//! Builds values from Terraform's `after` plus its `after_unknown` and
//! `after_sensitive` masks (or a state's `values` and `sensitive_values`).
//!
//! A mask mirrors the value's shape: `true` marks the whole subtree there,
//! `false` or a missing entry marks nothing, an object or array descends.
//! Unknown leaves are absent from `after`, so the mask alone says they exist.
//! A mask of another shape than the value is an error, never ignored.

use std::collections::BTreeSet;

use parity_model::{Map, Unknown, Value};
use serde_json::Value as Json;

use crate::pointer::{Pointer, kind};

/// One step into a value: an attribute or map key, or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Where the masks are, for messages.
pub struct MaskPointers {
    pub unknown: Pointer,
    pub sensitive: Pointer,
}

/// A mask that does not fit the value: where, and what.
pub type Problem = (Pointer, String);

/// Builds the value; `unknown_at` says what an unknown leaf at a path
/// depends on, and why it is unknown when a resolution's record says.
pub fn build(
    after: Option<&Json>,
    unknown: Option<&Json>,
    sensitive: Option<&Json>,
    at: &MaskPointers,
    unknown_at: &dyn Fn(&[Segment]) -> Unknown,
) -> Result<Value, Problem> {
    let mut path = Vec::new();
    Builder { at, unknown_at }.build(after, unknown, sensitive, &mut path)
}

struct Builder<'a> {
    at: &'a MaskPointers,
    unknown_at: &'a dyn Fn(&[Segment]) -> Unknown,
}

impl Builder<'_> {
    fn build(
        &self,
        after: Option<&Json>,
        unknown: Option<&Json>,
        sensitive: Option<&Json>,
        path: &mut Vec<Segment>,
    ) -> Result<Value, Problem> {
        self.check(after, unknown, &self.at.unknown, path)?;
        self.check(after, sensitive, &self.at.sensitive, path)?;
        if sensitive == Some(&Json::Bool(true)) {
            return Ok(self.build(after, unknown, None, path)?.into_sensitive());
        }
        if unknown == Some(&Json::Bool(true)) {
            return Ok(Value::Unknown((self.unknown_at)(path)));
        }
        let after = after.filter(|a| !a.is_null());
        match (after, unknown) {
            (Some(Json::Object(_)), _) | (None, Some(Json::Object(_))) => {
                let keys: BTreeSet<&String> = [after, unknown, sensitive]
                    .into_iter()
                    .flatten()
                    .filter_map(Json::as_object)
                    .flat_map(|map| map.keys())
                    .collect();
                let mut out = Map::new();
                for key in keys {
                    let child_after = after.and_then(|a| a.get(key));
                    let child_unknown = unknown.and_then(|u| u.get(key));
                    let child_sensitive = sensitive.and_then(|s| s.get(key));
                    path.push(Segment::Key(key.clone()));
                    if child_after.is_none() && !marks_something(child_unknown) {
                        // Nothing there, but a mask must still be a mask.
                        self.check(None, child_unknown, &self.at.unknown, path)?;
                        self.check(None, child_sensitive, &self.at.sensitive, path)?;
                    } else {
                        let child =
                            self.build(child_after, child_unknown, child_sensitive, path)?;
                        out.insert(key.clone(), child);
                    }
                    path.pop();
                }
                Ok(Value::Map(out))
            }
            (Some(Json::Array(_)), _) | (None, Some(Json::Array(_))) => {
                let len_of =
                    |json: Option<&Json>| json.and_then(Json::as_array).map_or(0, Vec::len);
                let len = len_of(after).max(len_of(unknown));
                let mut list = Vec::with_capacity(len);
                for i in 0..len {
                    path.push(Segment::Index(i));
                    list.push(self.build(
                        after.and_then(|a| a.get(i)),
                        unknown.and_then(|u| u.get(i)),
                        sensitive.and_then(|s| s.get(i)),
                        path,
                    )?);
                    path.pop();
                }
                Ok(Value::List(list))
            }
            (Some(scalar), _) => Ok(Value::from_json(scalar)),
            (None, _) => Ok(Value::Null),
        }
    }

    /// A mask entry is `true`, `false`, an object or an array; an object or
    /// array only where the value is one too (or absent).
    fn check(
        &self,
        after: Option<&Json>,
        mask: Option<&Json>,
        base: &Pointer,
        path: &[Segment],
    ) -> Result<(), Problem> {
        let name = base.last();
        let problem = match (mask, after) {
            (None | Some(Json::Bool(_)), _) => return Ok(()),
            (Some(Json::Object(_)), None | Some(Json::Null | Json::Object(_)))
            | (Some(Json::Array(_)), None | Some(Json::Null | Json::Array(_))) => return Ok(()),
            (Some(mask @ (Json::Object(_) | Json::Array(_))), Some(value)) => format!(
                "{} in {name}, where the value is {}",
                kind(mask),
                kind(value)
            ),
            (Some(other), _) => format!(
                "expected true, false, an object or an array in {name}, found {}",
                kind(other)
            ),
        };
        Err((join(base, path), problem))
    }
}

/// The pointer to `path` below `base`.
pub fn join(base: &Pointer, path: &[Segment]) -> Pointer {
    path.iter().fold(base.clone(), |at, segment| match segment {
        Segment::Key(key) => at.key(key),
        Segment::Index(i) => at.index(*i),
    })
}

/// A mask entry that says something is there (unknown, or a structure that
/// may hold unknowns).
fn marks_something(mask: Option<&Json>) -> bool {
    matches!(
        mask,
        Some(Json::Bool(true) | Json::Object(_) | Json::Array(_))
    )
}

#[cfg(test)]
mod tests;
