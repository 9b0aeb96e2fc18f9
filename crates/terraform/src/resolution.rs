//! What a plan whose unknowns were resolved says about itself.
//!
//! `cargo xtask plan-json` plans a configuration, then plans it again
//! against a state it made from the plan, with placeholders for the values
//! the first plan left unknown (see [`crate::placeholder`]). The last plan
//! knows everything, but it is a plan against that state: its resources are
//! no-ops, and the values the xtask invented (an ARN, a revision number)
//! look known. So the xtask adds one member to `terraform show -json`'s
//! output, [`RESOLUTION_KEY`], which records
//! - `actions`: what the first plan does to each managed resource instance
//!   (`["create"]`): the loader reports these actions, not the last plan's;
//! - `invented`: per resource instance, the attribute paths whose values the
//!   xtask made up and that nothing else determined (paths as lists of
//!   attribute names, map keys and list indexes): the loader reads them as
//!   unknown, exactly as in the first plan;
//! - `rounds`: how many plans it took;
//! - `substitutes` (version 2): per resource instance, the typed
//!   placeholders the xtask gave values that the provider checks the shape
//!   of — an IP address from a documentation range, a CIDR block, a value
//!   of an enumeration (`CNAME`) — which cannot name what they stand for:
//!   the loader turns them back into references (see
//!   [`crate::placeholder`]);
//! - `unresolved` (version 2): per resource instance, the attribute paths
//!   the last plan still leaves unknown, each with the reason (a value the
//!   provider refused, with its message);
//! - `resolved` (version 2): how many unknown values of the first plan the
//!   last one knows.
//!
//! ```json
//! "iac_parity_resolution": {
//!   "version": 2,
//!   "rounds": 3,
//!   "resolved": 12,
//!   "actions": { "aws_iam_role.task": ["create"] },
//!   "invented": { "aws_iam_role.task": [["arn"], ["unique_id"]] },
//!   "substitutes": { "aws_eip.nat": [{"path": ["public_ip"], "value": "192.0.2.1"}] },
//!   "unresolved": { "aws_sns_topic.events": [{"path": ["arn"], "reason": "…"}] }
//! }
//! ```
//!
//! Version 1 has no `substitutes`, `unresolved` or `resolved`.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json, json};

use crate::Error;
use crate::address::Address;
use crate::error::Cx;
use crate::masks::Segment;
use crate::pointer::{Pointer, kind, quote};
use crate::values::{expect_array, expect_object};

/// The top-level member of a resolved plan that holds its [`Resolution`].
pub const RESOLUTION_KEY: &str = "iac_parity_resolution";

/// The version of the [`Resolution`] record this loader reads and writes.
pub const RESOLUTION_VERSION: u64 = 2;

/// By resource instance address: attribute paths, each with a text (a
/// typed placeholder's value, the reason a value stayed unknown).
pub type Described = BTreeMap<String, Vec<(Vec<Segment>, String)>>;

/// The record of a resolution of unknowns (see the module documentation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolution {
    /// How many plans were made, the first one included.
    pub rounds: usize,
    /// By resource instance address: the first plan's actions, as
    /// Terraform writes them (`["create"]`).
    pub actions: BTreeMap<String, Vec<String>>,
    /// By resource instance address: the attribute paths whose values were
    /// invented.
    pub invented: BTreeMap<String, Vec<Vec<Segment>>>,
    /// By resource instance address: typed placeholders, where and what.
    pub substitutes: Described,
    /// By resource instance address: what stayed unknown, and why.
    pub unresolved: Described,
    /// How many unknown values of the first plan the last one knows.
    pub resolved: usize,
}

impl Resolution {
    /// The record as it is written into the plan.
    pub fn to_json(&self) -> Json {
        let path = |path: &Vec<Segment>| -> Json {
            path.iter()
                .map(|segment| match segment {
                    Segment::Key(key) => json!(key),
                    Segment::Index(i) => json!(i),
                })
                .collect()
        };
        let described = |by_address: &Described, what: &str| -> Map<String, Json> {
            by_address
                .iter()
                .map(|(address, entries)| {
                    let entries = entries
                        .iter()
                        .map(|(p, text)| json!({"path": path(p), what: text}))
                        .collect();
                    (address.clone(), Json::Array(entries))
                })
                .collect()
        };
        json!({
            "version": RESOLUTION_VERSION,
            "rounds": self.rounds,
            "resolved": self.resolved,
            "actions": self.actions,
            "invented": self
                .invented
                .iter()
                .map(|(address, paths)| (address.clone(), paths.iter().map(path).collect()))
                .collect::<Map<String, Json>>(),
            "substitutes": described(&self.substitutes, "value"),
            "unresolved": described(&self.unresolved, "reason"),
        })
    }

    /// Reads the record at `at`.
    pub(crate) fn read(cx: Cx<'_>, json: &Json, at: &Pointer) -> Result<Resolution, Error> {
        let object = expect_object(cx, json, at)?;
        let version_at = at.key("version");
        let version = match object.get("version") {
            Some(Json::Number(n)) if matches!(n.as_u64(), Some(1..=RESOLUTION_VERSION)) => {
                n.as_u64().unwrap_or(1)
            }
            Some(Json::Number(n)) => {
                return Err(cx.error(
                    &version_at,
                    format!(
                        "unsupported version {n}: iac-parity reads versions 1 to {RESOLUTION_VERSION}"
                    ),
                ));
            }
            Some(other) => {
                return Err(cx.error(
                    &version_at,
                    format!("expected a version number, found {}", kind(other)),
                ));
            }
            None => return Err(cx.error(&version_at, "missing: expected a version number")),
        };
        let rounds = match object.get("rounds") {
            None => 0,
            Some(json) => json
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| {
                    cx.error(
                        &at.key("rounds"),
                        format!("expected a number of rounds, found {}", kind(json)),
                    )
                })?,
        };
        let mut resolution = Resolution {
            rounds,
            ..Resolution::default()
        };
        if let Some(actions) = object.get("actions") {
            let at = at.key("actions");
            for (address, list) in expect_object(cx, actions, &at)? {
                let at = at.key(address);
                check_address(cx, address, &at)?;
                let names = expect_array(cx, list, &at)?
                    .iter()
                    .enumerate()
                    .map(|(i, action)| match action {
                        Json::String(name) => Ok(name.clone()),
                        other => Err(cx.error(
                            &at.index(i),
                            format!("expected an action (a string), found {}", kind(other)),
                        )),
                    })
                    .collect::<Result<_, _>>()?;
                resolution.actions.insert(address.clone(), names);
            }
        }
        if let Some(invented) = object.get("invented") {
            let at = at.key("invented");
            for (address, paths) in expect_object(cx, invented, &at)? {
                let at = at.key(address);
                check_address(cx, address, &at)?;
                let mut list = Vec::new();
                for (i, path) in expect_array(cx, paths, &at)?.iter().enumerate() {
                    list.push(read_path(cx, path, &at.index(i))?);
                }
                resolution.invented.insert(address.clone(), list);
            }
        }
        if version >= 2 {
            resolution.resolved = match object.get("resolved") {
                None => 0,
                Some(json) => json
                    .as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(|| {
                        cx.error(
                            &at.key("resolved"),
                            format!("expected a number of values, found {}", kind(json)),
                        )
                    })?,
            };
            resolution.substitutes = read_described(cx, object, at, "substitutes", "value")?;
            resolution.unresolved = read_described(cx, object, at, "unresolved", "reason")?;
        }
        Ok(resolution)
    }

    /// Why the value at `path` of `address` stayed unknown, when the
    /// record says (`unresolved`, at that path or one that holds it),
    /// followed by why the resources it is computed from (`refs`) stayed
    /// unknown where the record gives them another reason: a value that
    /// depends on a resource left out says what the provider refused.
    pub(crate) fn unresolved_reason(
        &self,
        address: &str,
        path: &[Segment],
        refs: &[String],
    ) -> Option<String> {
        let own = self
            .unresolved
            .get(address)?
            .iter()
            .find(|(at, _)| path.starts_with(at))
            .map(|(_, reason)| reason)?;
        let mut causes: Vec<String> = Vec::new();
        for (other, entries) in &self.unresolved {
            let referred = refs.iter().any(|r| {
                other == r
                    || other
                        .strip_prefix(r.as_str())
                        .is_some_and(|k| k.starts_with('['))
            });
            if other == address || !referred {
                continue;
            }
            for (_, reason) in entries {
                let cause = format!("{other}: {reason}");
                if reason != own && !causes.contains(&cause) {
                    causes.push(cause);
                }
            }
        }
        causes.insert(0, own.clone());
        Some(causes.join("; "))
    }

    /// `after_unknown` with the invented paths of `address` that `after`
    /// has marked unknown too.
    pub(crate) fn unknown_mask(
        &self,
        address: &str,
        after: Option<&Json>,
        mask: Option<&Json>,
    ) -> Option<Json> {
        let paths = self.invented.get(address)?;
        let mut mask = mask.cloned().unwrap_or(Json::Object(Map::new()));
        for path in paths {
            // A path the value does not have marks nothing (and a hostile
            // index builds no huge mask).
            if after.is_some_and(|after| holds(after, path)) {
                mark(&mut mask, path);
            }
        }
        Some(mask)
    }
}

/// `{address: [{"path": [...], what: "..."}]}` at `at.key(member)`.
fn read_described(
    cx: Cx<'_>,
    object: &Map<String, Json>,
    at: &Pointer,
    member: &str,
    what: &str,
) -> Result<Described, Error> {
    let mut out = BTreeMap::new();
    let Some(json) = object.get(member) else {
        return Ok(out);
    };
    let at = at.key(member);
    for (address, entries) in expect_object(cx, json, &at)? {
        let at = at.key(address);
        check_address(cx, address, &at)?;
        let mut list = Vec::new();
        for (i, entry) in expect_array(cx, entries, &at)?.iter().enumerate() {
            let at = at.index(i);
            let entry = expect_object(cx, entry, &at)?;
            let path = match entry.get("path") {
                Some(path) => read_path(cx, path, &at.key("path"))?,
                None => return Err(cx.error(&at.key("path"), "missing: expected a path")),
            };
            let text = match entry.get(what) {
                Some(Json::String(text)) => text.clone(),
                Some(other) => {
                    return Err(cx.error(
                        &at.key(what),
                        format!("expected a string, found {}", kind(other)),
                    ));
                }
                None => return Err(cx.error(&at.key(what), "missing: expected a string")),
            };
            list.push((path, text));
        }
        out.insert(address.clone(), list);
    }
    Ok(out)
}

/// An attribute path: attribute names, map keys and list indexes.
fn read_path(cx: Cx<'_>, path: &Json, at: &Pointer) -> Result<Vec<Segment>, Error> {
    let steps = expect_array(cx, path, at)?;
    if steps.is_empty() {
        return Err(cx.error(at, "an empty path: expected an attribute first"));
    }
    let mut segments = Vec::with_capacity(steps.len());
    for (j, step) in steps.iter().enumerate() {
        segments.push(match step {
            Json::String(key) => Segment::Key(key.clone()),
            Json::Number(n) => match n.as_u64().and_then(|n| usize::try_from(n).ok()) {
                Some(index) => Segment::Index(index),
                None => {
                    return Err(cx.error(&at.index(j), format!("expected a list index, found {n}")));
                }
            },
            other => {
                return Err(cx.error(
                    &at.index(j),
                    format!(
                        "expected an attribute, a key or an index, found {}",
                        kind(other)
                    ),
                ));
            }
        });
    }
    Ok(segments)
}

/// Whether `value` has something (null included) at `path`.
fn holds(value: &Json, path: &[Segment]) -> bool {
    let mut here = value;
    for segment in path {
        let next = match segment {
            Segment::Key(key) => here.as_object().and_then(|map| map.get(key)),
            Segment::Index(i) => here.as_array().and_then(|items| items.get(*i)),
        };
        match next {
            Some(next) => here = next,
            None => return false,
        }
    }
    true
}

/// Marks `path` unknown in the mask, keeping what it marks already.
fn mark(mask: &mut Json, path: &[Segment]) {
    let Some((first, rest)) = path.split_first() else {
        *mask = Json::Bool(true);
        return;
    };
    if *mask == Json::Bool(true) {
        return;
    }
    let child = match first {
        Segment::Key(key) => {
            if !mask.is_object() {
                *mask = Json::Object(Map::new());
            }
            let Json::Object(map) = mask else {
                return;
            };
            map.entry(key.clone()).or_insert(Json::Bool(false))
        }
        Segment::Index(i) => {
            if !mask.is_array() {
                *mask = Json::Array(Vec::new());
            }
            let Json::Array(items) = mask else {
                return;
            };
            if items.len() <= *i {
                items.resize(i + 1, Json::Bool(false));
            }
            &mut items[*i]
        }
    };
    mark(child, rest);
}

fn check_address(cx: Cx<'_>, address: &str, at: &Pointer) -> Result<(), Error> {
    match Address::parse(address) {
        Some(parsed) if !parsed.data => Ok(()),
        _ => Err(cx.error(
            at,
            format!(
                "{} is not the address of a managed resource instance",
                quote(address)
            ),
        )),
    }
}

#[cfg(test)]
mod tests;
