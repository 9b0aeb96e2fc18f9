//! Builds values from Terraform's `after` plus its `after_unknown` and
//! `after_sensitive` masks.
//!
//! A mask mirrors the value's shape: `true` marks the whole subtree there,
//! `false` or a missing entry marks nothing, an object or array descends.
//! Unknown leaves are absent from `after`, so the mask alone says they exist.

use std::collections::{BTreeMap, BTreeSet};

use parity_model::{Unknown, Value};
use serde_json::Value as Json;

pub fn apply(after: Option<&Json>, unknown: Option<&Json>, sensitive: Option<&Json>) -> Value {
    if unknown == Some(&Json::Bool(true)) {
        return mark(Value::Unknown(Unknown::default()), sensitive);
    }
    if sensitive == Some(&Json::Bool(true)) {
        return apply(after, unknown, None).into_sensitive();
    }
    match (after, unknown) {
        (Some(Json::Object(_)), _) | (None, Some(Json::Object(_))) => {
            let keys: BTreeSet<&String> = [after, unknown]
                .into_iter()
                .flatten()
                .filter_map(Json::as_object)
                .flat_map(|map| map.keys())
                .collect();
            let mut out = BTreeMap::new();
            for key in keys {
                let child_after = after.and_then(|a| a.get(key));
                let child_unknown = unknown.and_then(|u| u.get(key));
                if child_after.is_none() && !is_marked(child_unknown) {
                    continue;
                }
                let child_sensitive = sensitive.and_then(|s| s.get(key));
                out.insert(
                    key.clone(),
                    apply(child_after, child_unknown, child_sensitive),
                );
            }
            Value::Map(out)
        }
        (Some(Json::Array(_)), _) | (None, Some(Json::Array(_))) => {
            let len_of = |json: Option<&Json>| json.and_then(Json::as_array).map_or(0, Vec::len);
            let len = len_of(after).max(len_of(unknown));
            let list = (0..len)
                .map(|i| {
                    apply(
                        after.and_then(|a| a.get(i)),
                        unknown.and_then(|u| u.get(i)),
                        sensitive.and_then(|s| s.get(i)),
                    )
                })
                .collect();
            Value::List(list)
        }
        (Some(scalar), _) => Value::from_json(scalar),
        (None, _) => Value::Null,
    }
}

/// A mask entry that says something is there (unknown, or a structure that
/// may hold unknowns).
fn is_marked(mask: Option<&Json>) -> bool {
    matches!(
        mask,
        Some(Json::Bool(true) | Json::Object(_) | Json::Array(_))
    )
}

fn mark(value: Value, sensitive: Option<&Json>) -> Value {
    if sensitive == Some(&Json::Bool(true)) {
        value.into_sensitive()
    } else {
        value
    }
}
