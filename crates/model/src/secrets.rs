//! A value equal to a sensitive value is sensitive too.
//!
//! Terraform marks what the configuration makes sensitive, but a provider
//! may copy a sensitive value into an attribute it computes, unmarked: a
//! sensitive tag comes back in `tags_all` in the clear. A CDK app that
//! writes a password into a secret's `SecretString` writes it into a
//! container's environment as well. So every string marked sensitive (in a
//! resource, a variable, an output, or a property that holds a secret by
//! nature) is remembered, and wherever the same text appears unmarked it is
//! marked.
//!
//! Only texts that can carry a secret are remembered (see
//! [`can_carry_secret`]): a configuration that declares a product name
//! (`"idp"`), a user name (`"admin"`) or an empty list sensitive must not
//! hide every copy of those words. A remembered text of at least
//! [`MIN_CONTAINED_CHARS`] characters is hidden inside the longer strings
//! it is part of too, and only it ([`Masked`]:
//! `postgres://app:(sensitive)@db:5432/app`).

use std::collections::BTreeSet;

use crate::{Masked, TemplatePart, Value};

/// Texts shorter than this are never taken for secrets.
const MIN_SECRET_CHARS: usize = 4;
/// Texts of letters only up to this long are words (`admin`, `postgres`),
/// never taken for secrets.
const MAX_WORD_CHARS: usize = 8;
/// Texts at least this long also mark the strings that contain them.
pub const MIN_CONTAINED_CHARS: usize = 8;

/// Whether a text marked sensitive can carry a secret, so that its copies
/// elsewhere must be hidden too. It cannot when it is
/// - empty or blank, or an empty JSON value or literal (`[]`, `{}`, `null`,
///   `true`, `false`);
/// - shorter than 4 characters (`"1"`, `"yes"`, `"idp"`);
/// - a short word: letters only, at most 8 of them (`"admin"`,
///   `"postgres"`).
///
/// The value itself stays as its source marked it; only its copies are
/// concerned.
pub fn can_carry_secret(text: &str) -> bool {
    let text = text.trim();
    if matches!(text, "" | "[]" | "{}" | "null" | "true" | "false") {
        return false;
    }
    let chars = text.chars().count();
    if chars < MIN_SECRET_CHARS {
        return false;
    }
    !(chars <= MAX_WORD_CHARS && text.chars().all(|c| c.is_ascii_alphabetic()))
}

/// The secret texts of one side, and the copies they mark.
#[derive(Debug, Default)]
pub struct Secrets {
    texts: BTreeSet<String>,
}

impl Secrets {
    /// Remembers the strings marked sensitive in `value`, as their source
    /// wrote them (call before JSON documents are decoded: a sensitive
    /// document is one secret, not each of its words).
    pub fn collect(&mut self, value: &Value) {
        match value {
            Value::Sensitive(inner) => self.collect_all(inner, false),
            Value::List(items) => items.iter().for_each(|v| self.collect(v)),
            Value::Map(map) => map.values().for_each(|v| self.collect(v)),
            Value::Conditional(c) => c
                .branches()
                .into_iter()
                .flatten()
                .for_each(|v| self.collect(v)),
            _ => {}
        }
    }

    /// Remembers a value that is a secret by nature (a secret's
    /// `SecretString`): its text, and when it is a JSON document, each of
    /// its strings (a password is copied out of its credentials document).
    pub fn collect_secret(&mut self, value: &Value) {
        self.collect_all(value, true);
    }

    fn collect_all(&mut self, value: &Value, documents: bool) {
        match value {
            Value::String(text) => {
                if can_carry_secret(text) {
                    self.texts.insert(text.clone());
                }
                if documents
                    && let Ok(document) = serde_json::from_str::<serde_json::Value>(text)
                    && (document.is_object() || document.is_array())
                {
                    self.collect_all(&Value::from_json(&document), false);
                }
            }
            Value::List(items) => items.iter().for_each(|v| self.collect_all(v, documents)),
            Value::Map(map) => map.values().for_each(|v| self.collect_all(v, documents)),
            Value::Sensitive(inner) => self.collect_all(inner, documents),
            Value::Conditional(c) => c
                .branches()
                .into_iter()
                .flatten()
                .for_each(|v| self.collect_all(v, documents)),
            _ => {}
        }
    }

    /// Forgets the texts of a value found to hold no secret (a value
    /// Terraform marks only because it is built from sensitive variables
    /// that hold none): its copies are no secrets either.
    pub fn forget(&mut self, value: &Value) {
        match value {
            Value::String(text) => {
                self.texts.remove(text);
            }
            Value::List(items) => items.iter().for_each(|v| self.forget(v)),
            Value::Map(map) => map.values().for_each(|v| self.forget(v)),
            Value::Sensitive(inner) => self.forget(inner),
            _ => {}
        }
    }

    /// Whether no secret text is known.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Marks every unmarked string that is a remembered secret, and hides
    /// the secrets inside those that hold one
    /// (`postgres://app:(sensitive)@db:5432/app`).
    pub fn mark(&self, value: &mut Value) {
        if self.texts.is_empty() {
            return;
        }
        match value {
            Value::String(text) if self.texts.contains(text.as_str()) => {
                *value = std::mem::replace(value, Value::Null).into_sensitive();
            }
            Value::String(text) if self.is_secret(text) => {
                let inside = self.texts.iter().filter(|secret| {
                    secret.chars().count() >= MIN_CONTAINED_CHARS && text.contains(secret.as_str())
                });
                *value = Value::Masked(Masked::new(text, inside.map(String::as_str)));
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
            Value::Conditional(c) => {
                for branch in [&mut c.if_true, &mut c.if_false].into_iter().flatten() {
                    self.mark(branch);
                }
            }
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
