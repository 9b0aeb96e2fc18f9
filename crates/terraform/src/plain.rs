//! Values Terraform marks sensitive only because they are built from
//! sensitive variables that hold no secret.
//!
//! Terraform marks everything built from a sensitive variable. A
//! configuration that declares a product name (`"idp"`), a user name
//! (`"admin"`) or an empty list sensitive thereby hides a secret's
//! description, a CloudFront origin ID (`idp-alb`) and parameter names, and
//! the reader cannot see what differs. Such a value is shown again when the
//! configuration says that its expression reads sensitive root variables
//! only, every one of them holding no text that can carry a secret
//! ([`parity_model::can_carry_secret`]), and nothing else that could make
//! it sensitive: no resource (its attributes may be secrets), no local
//! value (not followed), no module variable or output declared sensitive.
//! Properties that hold a secret by nature are sensitive again once
//! canonicalized, whatever this does (the mapping table's `secrets`).

use std::collections::BTreeSet;

use parity_model::{Map, Secrets, Value, can_carry_secret};

use crate::address::Address;
use crate::config::Configuration;
use crate::masks::Segment;

/// The sensitive root variables whose values hold no secret.
pub fn harmless_variables(variables: &Map) -> BTreeSet<String> {
    variables
        .iter()
        .filter(|(_, value)| matches!(value, Value::Sensitive(_)) && holds_no_secret(value))
        .map(|(name, _)| name.clone())
        .collect()
}

/// Whether no part of a value can carry a secret.
fn holds_no_secret(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(_) => true,
        Value::String(text) => !can_carry_secret(text),
        Value::Number(n) => !can_carry_secret(&n.to_string()),
        Value::List(items) => items.iter().all(holds_no_secret),
        Value::Map(map) => map.values().all(holds_no_secret),
        Value::Sensitive(inner) => holds_no_secret(inner),
        _ => false,
    }
}

/// Removes the marks of the values of `properties` (of the resource
/// instance `address`) that are sensitive only through `harmless`
/// variables, and makes `secrets` forget their texts.
pub fn unmark_harmless(
    properties: &mut Map,
    config: &Configuration,
    address: &Address,
    harmless: &BTreeSet<String>,
    secrets: &mut Secrets,
) {
    if harmless.is_empty() {
        return;
    }
    let mut path = Vec::new();
    for (key, value) in properties.iter_mut() {
        path.push(Segment::Key(key.clone()));
        unmark(value, config, address, harmless, &mut path, secrets);
        path.pop();
    }
}

fn unmark(
    value: &mut Value,
    config: &Configuration,
    address: &Address,
    harmless: &BTreeSet<String>,
    path: &mut Vec<Segment>,
    secrets: &mut Secrets,
) {
    match value {
        Value::Sensitive(_) => {
            let resolved = config.attribute(address, path);
            let only_harmless = resolved.addresses.is_empty()
                && !resolved.opaque
                && !resolved.sensitive_variables.is_empty()
                && resolved.sensitive_variables.is_subset(harmless);
            if only_harmless {
                let Value::Sensitive(inner) = std::mem::replace(value, Value::Null) else {
                    unreachable!("matched above")
                };
                secrets.forget(&inner);
                *value = *inner;
                unmark(value, config, address, harmless, path, secrets);
            }
        }
        Value::Map(map) => {
            for (key, item) in map.iter_mut() {
                path.push(Segment::Key(key.clone()));
                unmark(item, config, address, harmless, path, secrets);
                path.pop();
            }
        }
        Value::List(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(Segment::Index(i));
                unmark(item, config, address, harmless, path, secrets);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
