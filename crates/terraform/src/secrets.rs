//! A value equal to a sensitive value is sensitive too.
//!
//! Terraform marks what the configuration makes sensitive, but a provider
//! may copy a sensitive value into an attribute it computes, unmarked: a
//! sensitive tag comes back in `tags_all` in the clear. So every string
//! Terraform marks sensitive (in a resource, a variable, an output) is
//! remembered, and wherever the same text appears unmarked it is marked.
//! Very short texts (`"1"`, `"yes"`) are not remembered: they would hide
//! half the plan and are no secret; a longer one also marks the strings it
//! is part of.

use std::collections::BTreeSet;

use parity_model::{TemplatePart, Value};

/// Texts this short are never taken for secrets.
const MIN_SECRET_CHARS: usize = 4;
/// Texts at least this long also mark the strings that contain them.
const MIN_CONTAINED_CHARS: usize = 8;

#[derive(Debug, Default)]
pub struct Secrets {
    texts: BTreeSet<String>,
}

impl Secrets {
    /// Remembers the strings marked sensitive in `value`, as Terraform
    /// wrote them (call before JSON documents are decoded: a sensitive
    /// document is one secret, not each of its words).
    pub fn collect(&mut self, value: &Value) {
        match value {
            Value::Sensitive(inner) => self.collect_all(inner),
            Value::List(items) => items.iter().for_each(|v| self.collect(v)),
            Value::Map(map) => map.values().for_each(|v| self.collect(v)),
            _ => {}
        }
    }

    fn collect_all(&mut self, value: &Value) {
        match value {
            Value::String(text) if text.chars().count() >= MIN_SECRET_CHARS => {
                self.texts.insert(text.clone());
            }
            Value::List(items) => items.iter().for_each(|v| self.collect_all(v)),
            Value::Map(map) => map.values().for_each(|v| self.collect_all(v)),
            Value::Sensitive(inner) => self.collect_all(inner),
            _ => {}
        }
    }

    /// Marks every unmarked string that is, or holds, a remembered secret.
    pub fn mark(&self, value: &mut Value) {
        if self.texts.is_empty() {
            return;
        }
        match value {
            Value::String(text) if self.is_secret(text) => {
                *value = std::mem::replace(value, Value::Null).into_sensitive();
            }
            Value::Template(parts)
                if parts.iter().any(
                    |part| matches!(part, TemplatePart::Literal(text) if self.is_secret(text)),
                ) =>
            {
                *value = std::mem::replace(value, Value::Null).into_sensitive();
            }
            Value::List(items) => items.iter_mut().for_each(|v| self.mark(v)),
            Value::Map(map) => map.values_mut().for_each(|v| self.mark(v)),
            _ => {}
        }
    }

    fn is_secret(&self, text: &str) -> bool {
        self.texts.contains(text)
            || self.texts.iter().any(|secret| {
                secret.chars().count() >= MIN_CONTAINED_CHARS && text.contains(secret.as_str())
            })
    }
}

#[cfg(test)]
mod tests;
