//! How alike two entities of the same canonical type are, from 0 to 1.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BTreeSet;

use parity_mapping::Entity;
use parity_model::{Map, TemplatePart, Value};

use super::ids::FastMap;
use crate::values::{self, References, Verdict};

/// Scores already computed, kept for the rounds after. The score of a pair
/// depends on the references only through the twins of what the Terraform
/// entity's values refer to (every look-up of a twin is by a Terraform
/// address in them); twins are only added, so while as many of those
/// addresses have a twin as when a score was computed, it still holds.
pub struct Memo {
    /// Each Terraform entity's references, distinct.
    references: Vec<Vec<String>>,
    /// (Terraform entity, CloudFormation entity) → (how many of the
    /// Terraform entity's references had a twin, score).
    scores: RefCell<FastMap<(usize, usize), (usize, f64)>>,
}

impl Memo {
    pub fn new(terraform: &[Entity]) -> Memo {
        Memo {
            references: terraform
                .iter()
                .map(|e| {
                    let mut out = BTreeSet::new();
                    for value in e.properties.values() {
                        references(value, &mut out);
                    }
                    out.into_iter().map(str::to_owned).collect()
                })
                .collect(),
            scores: RefCell::default(),
        }
    }

    /// How many of the Terraform entity `t`'s references have a twin.
    pub fn paired_references(&self, t: usize, refs: &References<'_>) -> usize {
        self.references[t]
            .iter()
            .filter(|r| refs.has_twin(r))
            .count()
    }

    /// [`score`] of `t` and `c`, of which `paired` references of `t` have
    /// a twin ([`Memo::paired_references`]).
    pub fn score(
        &self,
        (t, terraform): (usize, &Entity),
        (c, cloudformation): (usize, &Entity),
        paired: usize,
        refs: &References<'_>,
    ) -> f64 {
        if let Some((known, score)) = self.scores.borrow().get(&(t, c))
            && *known == paired
        {
            return *score;
        }
        let score = score(terraform, cloudformation, refs);
        self.scores.borrow_mut().insert((t, c), (paired, score));
        score
    }
}

/// Every address a value refers to, whatever it is inside.
fn references<'v>(value: &'v Value, out: &mut BTreeSet<&'v str>) {
    match value {
        Value::Ref(r) => {
            out.insert(&r.target);
        }
        Value::Unknown(u) => out.extend(u.refs.iter().map(String::as_str)),
        Value::Template(parts) => {
            for part in parts {
                match part {
                    TemplatePart::Ref(r) => {
                        out.insert(&r.target);
                    }
                    TemplatePart::Unknown(u) => out.extend(u.refs.iter().map(String::as_str)),
                    TemplatePart::Literal(_) => {}
                }
            }
        }
        Value::List(items) => items.iter().for_each(|v| references(v, out)),
        Value::Map(map) => map.values().for_each(|v| references(v, out)),
        Value::Sensitive(inner) => references(inner, out),
        Value::Masked(masked) => references(&masked.value, out),
        Value::Conditional(c) => {
            for branch in [&c.if_true, &c.if_false].into_iter().flatten() {
                references(branch, out);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

/// How alike the properties of two entities of one type are, from 0 to 1:
/// the mean similarity over the properties either side sets.
pub fn score(terraform: &Entity, cloudformation: &Entity, refs: &References<'_>) -> f64 {
    // A Terraform attribute unknown before apply that the template does not
    // set is most often one AWS computes (a mount target's IP address): no
    // evidence either way.
    let (mut total, mut keys) = (0.0, 0usize);
    for (tf, cfn) in merged(&terraform.properties, &cloudformation.properties) {
        match (tf, cfn) {
            (Some(Value::Unknown(_)), None) => {}
            (Some(a), Some(b)) => {
                total += value_similarity(a, b, refs);
                keys += 1;
            }
            _ => keys += 1,
        }
    }
    if keys == 0 {
        return 0.5;
    }
    total / keys as f64
}

/// The values of two maps key by key, in key order: each key of either,
/// with its value on each side.
fn merged<'v>(
    a: &'v Map,
    b: &'v Map,
) -> impl Iterator<Item = (Option<&'v Value>, Option<&'v Value>)> {
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some((ka, _)), Some((kb, _))) => match ka.cmp(kb) {
            Ordering::Less => a.next().map(|(_, v)| (Some(v), None)),
            Ordering::Greater => b.next().map(|(_, v)| (None, Some(v))),
            Ordering::Equal => {
                let (x, y) = (a.next()?.1, b.next()?.1);
                Some((Some(x), Some(y)))
            }
        },
        (Some(_), None) => a.next().map(|(_, v)| (Some(v), None)),
        (None, Some(_)) => b.next().map(|(_, v)| (None, Some(v))),
        (None, None) => None,
    })
}

fn value_similarity(tf: &Value, cfn: &Value, refs: &References<'_>) -> f64 {
    let (tf, cfn) = (tf.unmarked().0, cfn.unmarked().0);
    match (tf, cfn) {
        // Plain scalars as `values::compare` tells them, without the
        // steps that only other values need (most values compared are
        // these): two texts are equal when they are the same or the same
        // number; two equal numbers print the same.
        (Value::String(a), Value::String(b)) => {
            if a == b || values::numerically_equal(a, b) {
                1.0
            } else {
                0.0
            }
        }
        (Value::Bool(a), Value::Bool(b)) => {
            if a == b {
                1.0
            } else {
                0.0
            }
        }
        (Value::Number(a), Value::Number(b)) if a == b => 1.0,
        // What an unknown Terraform value is computed from is evidence even
        // when the value is not: an unknown file system ID computed from the
        // twin of the file system the template refers to.
        (Value::Unknown(u), other) => {
            if u.refs.iter().any(|r| {
                cloudformation_targets(other)
                    .iter()
                    .any(|c| refs.are_twins(r, c))
            }) {
                0.9
            } else {
                0.5
            }
        }
        (Value::Map(a), Value::Map(b)) => {
            let (mut total, mut keys) = (0.0, 0usize);
            for (x, y) in merged(a, b) {
                if let (Some(x), Some(y)) = (x, y) {
                    total += value_similarity(x, y, refs);
                }
                keys += 1;
            }
            if keys == 0 {
                return 1.0;
            }
            total / keys as f64
        }
        (Value::List(a), Value::List(b)) => {
            if a.is_empty() && b.is_empty() {
                return 1.0;
            }
            let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
            let best: f64 = short
                .iter()
                .enumerate()
                .map(|(at, x)| {
                    // The item at the same place first: twins' lists are
                    // most often in the same order. A match (1, the most
                    // any item scores) ends the search.
                    let others = long.iter().enumerate().filter(|(i, _)| *i != at);
                    let mut best = 0.0;
                    for (_, y) in long.get(at).map(|y| (at, y)).into_iter().chain(others) {
                        best = f64::max(best, value_similarity(x, y, refs));
                        if best >= 1.0 {
                            break;
                        }
                    }
                    best
                })
                .sum();
            best / long.len() as f64
        }
        _ => match values::compare(tf, cfn, refs) {
            Verdict::Equal => 1.0,
            Verdict::Unverifiable => 0.5,
            Verdict::Differs => 0.0,
        },
    }
}

fn cloudformation_targets(value: &Value) -> Vec<&str> {
    match value.unmarked().0 {
        Value::Ref(r) => vec![r.target.as_str()],
        Value::Template(parts) => parts
            .iter()
            .filter_map(|p| match p {
                TemplatePart::Ref(r) => Some(r.target.as_str()),
                _ => None,
            })
            .collect(),
        Value::List(items) => items.iter().flat_map(cloudformation_targets).collect(),
        _ => Vec::new(),
    }
}
