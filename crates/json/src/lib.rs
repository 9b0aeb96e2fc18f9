//! JSON read the way CloudFormation and Terraform's own readers would have
//! it: an object that names the same key twice is an error, not "the last
//! one wins". `serde_json` keeps the last value silently; a template with
//! the same logical ID twice would then lose a resource without a word.
//!
//! Parsing builds the same [`serde_json::Value`] as `serde_json::from_slice`,
//! checking each key as it is inserted (one lookup, no extra pass). Only when
//! a duplicate is found is the text scanned again, to name where both
//! occurrences are.
//!
//! ```
//! let err = parity_json::from_slice(br#"{"A": {"x": 1, "x": 2}}"#).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     r#"1:16: duplicate key "x" in /A, first at line 1, column 8"#
//! );
//! ```

mod keys;
mod locate;

pub use keys::key_positions;

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A line and a column (in bytes), both from 1, as `serde_json` counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Why a text is not strict JSON.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not JSON at all (or nested beyond serde_json's recursion limit).
    #[error("{}:{}: {}", .0.line(), .0.column(), syntax_message(.0))]
    Syntax(serde_json::Error),

    /// An object names a key twice.
    #[error("{0}")]
    DuplicateKey(Duplicate),
}

/// A key an object names twice, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{}:{}: duplicate key {key:?} in {object}, first at {first}",
    second.line,
    second.column
)]
pub struct Duplicate {
    /// The key (cut when long).
    pub key: String,
    /// A JSON pointer to the object (`/Resources`; `/` for the root).
    pub object: String,
    pub first: Position,
    pub second: Position,
}

impl Error {
    /// Where the problem is (for a duplicate, its second occurrence).
    pub fn position(&self) -> Position {
        match self {
            Error::Syntax(err) => Position {
                line: err.line(),
                column: err.column(),
            },
            Error::DuplicateKey(duplicate) => duplicate.second,
        }
    }

    /// What the problem is, without its position.
    pub fn message(&self) -> String {
        match self {
            Error::Syntax(err) => syntax_message(err),
            Error::DuplicateKey(Duplicate {
                key, object, first, ..
            }) => format!("duplicate key {key:?} in {object}, first at {first}"),
        }
    }
}

/// serde_json ends its messages with " at line L column C"; the position is
/// given on its own.
fn syntax_message(err: &serde_json::Error) -> String {
    let message = err.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

/// What the visitor says when it meets a key twice; replaced by the
/// located [`Error::DuplicateKey`] before anyone sees it.
pub const DUPLICATE: &str = "\u{0}duplicate key";

/// Parses JSON text, refusing duplicate keys.
pub fn from_slice(bytes: &[u8]) -> Result<Value, Error> {
    from_slice_pruned(bytes, KeepAll)
}

/// Parses JSON text, refusing duplicate keys.
pub fn from_str(text: &str) -> Result<Value, Error> {
    from_slice(text.as_bytes())
}

/// Parses JSON text, refusing duplicate keys, and keeps only what `rule`
/// says its reader needs. A part left out is still read as strictly as the
/// rest (its syntax, a key named twice in it) but never built, so a large
/// document costs the memory of what is read from it, not of all it holds.
pub fn from_slice_pruned<P: Prune>(bytes: &[u8], rule: P) -> Result<Value, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = Strict(rule)
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    value.map_err(|err| {
        if err.is_data()
            && err.to_string().starts_with(DUPLICATE)
            && let Some(duplicate) = locate::first_duplicate(bytes)
        {
            return Error::DuplicateKey(duplicate);
        }
        Error::Syntax(err)
    })
}

/// The keys of a document's top-level object, in order (`None` when the
/// document is JSON but not an object), read without building any value:
/// telling what kind of document a large file is costs no memory. Keys
/// named twice are listed twice; the syntax is checked as
/// `serde_json::from_slice` checks it.
pub fn top_level_keys(bytes: &[u8]) -> Result<Option<Vec<String>>, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let keys = de::Deserializer::deserialize_any(&mut deserializer, TopLevelKeys)
        .and_then(|keys| deserializer.end().map(|()| keys));
    keys.map_err(Error::Syntax)
}

/// Reads a value, keeping only the keys of the object it is.
struct TopLevelKeys;

impl<'de> Visitor<'de> for TopLevelKeys {
    type Value = Option<Vec<String>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut keys = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<de::IgnoredAny>()?;
            keys.push(key);
        }
        Ok(Some(keys))
    }
}

/// Which parts of a document its reader needs: a rule is where the reader
/// is in the document (`Copy`, usually a small enum), and says for each
/// value under it what to do.
pub trait Prune: Copy {
    /// The value under `key` of an object, or an item of an array (`None`).
    fn enter(self, key: Option<&str>) -> Step<Self>;
}

/// What to do with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<P> {
    /// Build it, its own values as the rule says.
    Keep(P),
    /// Check it, keep `null` in its place (the key stays).
    Null,
    /// Check it, leave its key out (an array item is `null` instead).
    Drop,
}

/// Keeps everything.
#[derive(Debug, Clone, Copy)]
pub struct KeepAll;

impl Prune for KeepAll {
    fn enter(self, _: Option<&str>) -> Step<Self> {
        Step::Keep(KeepAll)
    }
}

/// Builds a [`Value`] as serde_json does, but an object's keys must differ;
/// what the rule leaves out is only checked. A seed, to read one value of a
/// larger document that its reader goes through itself (an error is then
/// serde's: a key named twice is a data error whose message starts with
/// [`DUPLICATE`]).
#[derive(Clone, Copy)]
pub struct Strict<P>(pub P);

impl<'de, P: Prune> DeserializeSeed<'de> for Strict<P> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, P: Prune> Visitor<'de> for Strict<P> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            let item = match self.0.enter(None) {
                Step::Keep(rule) => seq.next_element_seed(Strict(rule))?,
                Step::Null | Step::Drop => seq.next_element_seed(Check)?.map(|()| Value::Null),
            };
            match item {
                Some(item) => items.push(item),
                None => break,
            }
        }
        items.shrink_to_fit();
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        // The keys left out, still named once.
        let mut dropped = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) || dropped.contains(&key) {
                return Err(de::Error::custom(DUPLICATE));
            }
            match self.0.enter(Some(&key)) {
                Step::Keep(rule) => {
                    let value = map.next_value_seed(Strict(rule))?;
                    object.insert(key, value);
                }
                Step::Null => {
                    map.next_value_seed(Check)?;
                    object.insert(key, Value::Null);
                }
                Step::Drop => {
                    map.next_value_seed(Check)?;
                    dropped.push(key);
                }
            }
        }
        Ok(Value::Object(exact(object)))
    }
}

/// The same object with room for its entries only. Grown one key at a
/// time, a map keeps room for up to twice its entries (three for one key);
/// in a large document of small objects that room is most of its memory.
fn exact(object: Map<String, Value>) -> Map<String, Value> {
    let mut exact = Map::with_capacity(object.len());
    exact.extend(object);
    exact
}

/// Reads a value as strictly as [`Strict`] and keeps nothing of it.
#[derive(Clone, Copy)]
struct Check;

impl<'de> DeserializeSeed<'de> for Check {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Check {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Check)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !keys.insert(key) {
                return Err(de::Error::custom(DUPLICATE));
            }
            map.next_value_seed(Check)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
