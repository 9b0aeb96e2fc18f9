//! How alike two entities of the same canonical type are, from 0 to 1.

use std::cmp::Ordering;

use parity_mapping::Entity;
use parity_model::{Map, TemplatePart, Value};

use crate::values::{self, References, Verdict};

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
