//! Known values that are another resource's ARN or ID become references to
//! that resource.
//!
//! A plan's `prior_state`, or a state, holds the ARNs and IDs of resources
//! that exist. Where another resource holds one of them — whole, or inside a
//! string (`arn:…:secret:db-AbCdEf:username::`), or inside a decoded JSON
//! document — the value becomes a [`Ref`] to that resource, as CloudFormation
//! writes `Ref`/`Fn::GetAtt`.
//!
//! ARNs are unique, so they are found anywhere. An ID is often a name the
//! user chose (a role's ID is its name, a task definition's its family), and
//! the same text elsewhere may just be the same name; so an ID becomes a
//! reference only where the resource is known to depend on its owner: the
//! configuration of that attribute references it (plans), or the state
//! records the dependency and the ID is not one of the owner's own names
//! (states). Data sources are never targets: what CDK writes for them is a
//! literal.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use parity_model::{Map, Ref, TemplatePart, Value};
use serde_json::Value as Json;

use crate::address::{without_instance_key, without_keys};

/// Who owns a value, by attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Owner {
    address: String,
    attribute: &'static str,
    /// An ARN held in `arn` outranks the same ARN held in another
    /// resource's `id` (a policy resource's ID is often its target's ARN).
    rank: u8,
    /// The ID equals another of the owner's own attributes: a name.
    chosen_name: bool,
}

/// The ARNs and IDs of the resources that exist.
#[derive(Debug, Default)]
pub struct Index {
    arns: HashMap<String, Claim>,
    /// The lengths of the ARNs, longest first, to find the longest match.
    arn_lengths: BTreeSet<std::cmp::Reverse<usize>>,
    ids: HashMap<String, Claim>,
}

/// The owner of a value; `None` when two resources claim it with the same
/// rank.
#[derive(Debug)]
struct Claim {
    rank: u8,
    owner: Option<Owner>,
}

/// What says that a resource depends on another.
#[derive(Debug, Default)]
pub enum Evidence {
    /// For each top-level attribute, the resources its configuration
    /// references (plans).
    Configuration(BTreeMap<String, BTreeSet<String>>),
    /// The resources the state records as dependencies.
    DependsOn(BTreeSet<String>),
    #[default]
    Nothing,
}

impl Index {
    pub fn is_empty(&self) -> bool {
        self.arns.is_empty() && self.ids.is_empty()
    }

    /// Records the `arn` and `id` of a managed resource instance.
    pub fn add(&mut self, address: &str, values: &Json) {
        let Some(values) = values.as_object() else {
            return;
        };
        for (attribute, rank) in [("arn", 2), ("id", 1)] {
            let Some(Json::String(text)) = values.get(attribute) else {
                continue;
            };
            if text.is_empty() {
                continue;
            }
            let chosen_name = values
                .iter()
                .any(|(key, value)| key != attribute && value.as_str() == Some(text));
            let owner = Owner {
                address: address.to_owned(),
                attribute,
                rank,
                chosen_name,
            };
            if text.starts_with("arn:") {
                self.arn_lengths.insert(std::cmp::Reverse(text.len()));
                claim(&mut self.arns, text, owner);
            } else {
                claim(&mut self.ids, text, owner);
            }
        }
    }

    /// Turns the ARNs and IDs of other resources in `properties` into
    /// references.
    pub fn rewrite(&self, properties: &mut Map, owner: &str, evidence: &Evidence) {
        if self.is_empty() {
            return;
        }
        for (attribute, value) in properties.iter_mut() {
            let id_allowed = |target: &Owner| match evidence {
                Evidence::Configuration(by_attribute) => by_attribute
                    .get(attribute)
                    .is_some_and(|addresses| names(addresses, &target.address)),
                Evidence::DependsOn(addresses) => {
                    !target.chosen_name && names(addresses, &target.address)
                }
                Evidence::Nothing => false,
            };
            self.rewrite_value(value, owner, &id_allowed);
        }
    }

    fn rewrite_value(&self, value: &mut Value, owner: &str, id_allowed: &dyn Fn(&Owner) -> bool) {
        match value {
            Value::String(text) => {
                if let Some(rewritten) = self.rewrite_string(text, owner, id_allowed) {
                    *value = rewritten;
                }
            }
            Value::List(items) => items
                .iter_mut()
                .for_each(|item| self.rewrite_value(item, owner, id_allowed)),
            Value::Map(map) => map
                .values_mut()
                .for_each(|item| self.rewrite_value(item, owner, id_allowed)),
            Value::Sensitive(inner) => self.rewrite_value(inner, owner, id_allowed),
            _ => {}
        }
    }

    fn rewrite_string(
        &self,
        text: &str,
        owner: &str,
        id_allowed: &dyn Fn(&Owner) -> bool,
    ) -> Option<Value> {
        if let Some(Claim {
            owner: Some(target),
            ..
        }) = self.ids.get(text)
            && target.address != owner
            && id_allowed(target)
        {
            return Some(Value::Ref(reference(target)));
        }
        let mut parts = Vec::new();
        let mut literal_from = 0;
        let mut search_from = 0;
        while let Some(found) = text[search_from..].find("arn:") {
            let start = search_from + found;
            search_from = start + "arn:".len();
            if !starts_token(text, start) {
                continue;
            }
            let Some((end, target)) = self.arn_at(text, start) else {
                continue;
            };
            if target.address == owner {
                continue;
            }
            parts.push(TemplatePart::Literal(text[literal_from..start].to_owned()));
            parts.push(TemplatePart::Ref(reference(target)));
            literal_from = end;
            search_from = end;
        }
        if parts.is_empty() {
            return None;
        }
        parts.push(TemplatePart::Literal(text[literal_from..].to_owned()));
        match Value::template(parts) {
            Value::Template(parts) if parts.len() == 1 => match parts.into_iter().next() {
                Some(TemplatePart::Ref(r)) => Some(Value::Ref(r)),
                _ => None,
            },
            other => Some(other),
        }
    }

    /// The longest known ARN starting at `start` and ending where an ARN
    /// may end.
    fn arn_at(&self, text: &str, start: usize) -> Option<(usize, &Owner)> {
        self.arn_lengths.iter().find_map(|std::cmp::Reverse(len)| {
            let end = start + len;
            if end > text.len() || !text.is_char_boundary(end) || !ends_token(text, end) {
                return None;
            }
            match self.arns.get(&text[start..end]) {
                Some(Claim {
                    owner: Some(owner), ..
                }) => Some((end, owner)),
                _ => None,
            }
        })
    }
}

/// Records that `owner` holds `text`; the higher rank wins, and two owners
/// of the same rank make the value name neither.
fn claim(map: &mut HashMap<String, Claim>, text: &str, owner: Owner) {
    match map.get_mut(text) {
        None => {
            map.insert(
                text.to_owned(),
                Claim {
                    rank: owner.rank,
                    owner: Some(owner),
                },
            );
        }
        Some(claim) if owner.rank > claim.rank => {
            *claim = Claim {
                rank: owner.rank,
                owner: Some(owner),
            };
        }
        Some(claim) if owner.rank == claim.rank => {
            if claim
                .owner
                .as_ref()
                .is_some_and(|o| o.address != owner.address)
            {
                claim.owner = None;
            }
        }
        Some(_) => {}
    }
}

fn reference(owner: &Owner) -> Ref {
    Ref::attribute(owner.address.clone(), owner.attribute)
}

/// Whether `addresses` (as a configuration or a state lists them, possibly
/// without instance keys) name the resource instance `target`.
fn names(addresses: &BTreeSet<String>, target: &str) -> bool {
    addresses.contains(target)
        || addresses.contains(without_instance_key(target))
        || addresses.contains(&without_keys(target))
}

/// Characters that continue an ARN (or a word before one).
fn continues_arn(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.')
}

fn starts_token(text: &str, start: usize) -> bool {
    text[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !(continues_arn(c) || matches!(c, ':' | '/')))
}

fn ends_token(text: &str, end: usize) -> bool {
    text[end..].chars().next().is_none_or(|c| !continues_arn(c))
}

#[cfg(test)]
mod tests;
