//! How alike two entities of the same canonical type are, from 0 to 1.

use std::collections::BTreeSet;

use parity_mapping::Entity;
use parity_model::{TemplatePart, Value};

use crate::values::{self, References, Verdict};

/// How alike the properties of two entities of one type are, from 0 to 1:
/// the mean similarity over the properties either side sets.
pub fn score(terraform: &Entity, cloudformation: &Entity, refs: &References<'_>) -> f64 {
    // A Terraform attribute unknown before apply that the template does not
    // set is most often one AWS computes (a mount target's IP address): no
    // evidence either way.
    let keys: BTreeSet<&String> = terraform
        .properties
        .iter()
        .filter(|(k, v)| {
            !matches!(v, Value::Unknown(_)) || cloudformation.properties.contains_key(*k)
        })
        .map(|(k, _)| k)
        .chain(cloudformation.properties.keys())
        .collect();
    if keys.is_empty() {
        return 0.5;
    }
    let total: f64 = keys
        .iter()
        .map(|k| {
            match (
                terraform.properties.get(*k),
                cloudformation.properties.get(*k),
            ) {
                (Some(a), Some(b)) => value_similarity(a, b, refs),
                _ => 0.0,
            }
        })
        .sum();
    total / keys.len() as f64
}

fn value_similarity(tf: &Value, cfn: &Value, refs: &References<'_>) -> f64 {
    let (tf, cfn) = (tf.unmarked().0, cfn.unmarked().0);
    match (tf, cfn) {
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
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            if keys.is_empty() {
                return 1.0;
            }
            let total: f64 = keys
                .iter()
                .map(|k| match (a.get(*k), b.get(*k)) {
                    (Some(x), Some(y)) => value_similarity(x, y, refs),
                    _ => 0.0,
                })
                .sum();
            total / keys.len() as f64
        }
        (Value::List(a), Value::List(b)) => {
            if a.is_empty() && b.is_empty() {
                return 1.0;
            }
            let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
            let best: f64 = short
                .iter()
                .map(|x| {
                    long.iter()
                        .map(|y| value_similarity(x, y, refs))
                        .fold(0.0, f64::max)
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
