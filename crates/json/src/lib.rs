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
const DUPLICATE: &str = "\u{0}duplicate key";

/// Parses JSON text, refusing duplicate keys.
pub fn from_slice(bytes: &[u8]) -> Result<Value, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = Strict
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    value.map_err(|err| {
        if err.is_data() && err.to_string().starts_with(DUPLICATE) {
            if let Some(duplicate) = locate::first_duplicate(bytes) {
                return Error::DuplicateKey(duplicate);
            }
        }
        Error::Syntax(err)
    })
}

/// Parses JSON text, refusing duplicate keys.
pub fn from_str(text: &str) -> Result<Value, Error> {
    from_slice(text.as_bytes())
}

/// Builds a [`Value`] as serde_json does, but an object's keys must differ.
#[derive(Clone, Copy)]
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
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
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            match object.entry(key) {
                serde_json::map::Entry::Occupied(_) => {
                    return Err(de::Error::custom(DUPLICATE));
                }
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(map.next_value_seed(self)?);
                }
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests;
