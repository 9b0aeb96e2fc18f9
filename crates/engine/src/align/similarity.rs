//! How alike two entities of the same canonical type are, from 0 to 1.

use std::collections::BTreeSet;

use parity_mapping::Entity;
use parity_model::{ResourceId, TemplatePart, Value};

use crate::values::{self, References, Verdict};

/// How much names count against properties. Names help tell apart things
/// whose properties are alike (two log groups), never more than that.
const NAME_WEIGHT: f64 = 0.2;

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
    let properties = if keys.is_empty() {
        0.5
    } else {
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
    };
    (1.0 - NAME_WEIGHT) * properties + NAME_WEIGHT * name_similarity(terraform, cloudformation)
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

/// Jaccard similarity of the words in the two names: the Terraform
/// resource name and module keys; the CDK construct path (or the logical ID
/// without CDK's hash suffix).
fn name_similarity(terraform: &Entity, cloudformation: &Entity) -> f64 {
    let tf = terraform_words(&terraform.id);
    let cfn = cloudformation_words(cloudformation);
    if tf.is_empty() || cfn.is_empty() {
        return 0.0;
    }
    let shared = tf.intersection(&cfn).count();
    shared as f64 / tf.union(&cfn).count() as f64
}

fn terraform_words(id: &ResourceId) -> BTreeSet<String> {
    let ResourceId::Terraform { address } = id else {
        return BTreeSet::new();
    };
    // The resource type (`aws_iam_role`) and the `module` keyword are left
    // out: every resource of a block shares them.
    let mut words = BTreeSet::new();
    let mut segments = address.split('.');
    while let Some(segment) = segments.next() {
        if segment == "data" {
            continue;
        }
        // `module.NAME` or `TYPE.NAME`: the name is what says something.
        if let Some(name) = segments.next() {
            words.extend(split_words(name));
        }
    }
    words
}

fn cloudformation_words(entity: &Entity) -> BTreeSet<String> {
    match (&entity.construct_path, &entity.id) {
        (Some(path), _) => {
            // The first segment is the stack; `Resource` and `Default` name
            // CDK's level-1 construct inside every level-2 one.
            path.split('/')
                .skip(1)
                .filter(|s| *s != "Resource" && *s != "Default")
                .flat_map(split_words)
                .collect()
        }
        (None, ResourceId::CloudFormation { logical_id, .. }) => {
            split_words(strip_hash(logical_id)).into_iter().collect()
        }
        _ => BTreeSet::new(),
    }
}

/// CDK appends an 8-character hexadecimal hash to logical IDs.
fn strip_hash(logical_id: &str) -> &str {
    match logical_id.len().checked_sub(8) {
        Some(at)
            if logical_id.is_char_boundary(at)
                && logical_id[at..]
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()) =>
        {
            &logical_id[..at]
        }
        _ => logical_id,
    }
}

/// Lowercase words of an identifier: split on punctuation and on camel case.
fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_names() {
        assert_eq!(
            split_words("TaskRoleDefaultPolicy"),
            vec!["task", "role", "default", "policy"]
        );
        assert_eq!(strip_hash("TaskDef54694570"), "TaskDef");
        assert_eq!(strip_hash("Api"), "Api");
        let words = terraform_words(&ResourceId::Terraform {
            address: "module.api[0].aws_iam_role.task_exec".into(),
        });
        assert_eq!(
            words.into_iter().collect::<Vec<_>>(),
            vec!["0", "api", "exec", "task"]
        );
    }
}
