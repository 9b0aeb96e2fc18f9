//! YAML templates, read the way CloudFormation reads them: YAML 1.1 plain
//! scalars (`yes`, `off`, `0755`, `1_000`, `1:30`), the short-form intrinsic
//! tags (`!Ref`, `!GetAtt A.B`, `!Sub`, …), and limits that stop hostile
//! documents (aliases that multiply, nesting without end).
//!
//! The result is the JSON form of the template, with every short tag written
//! out long (`!GetAtt A.B` is `{"Fn::GetAtt": ["A", "B"]}`), so that the rest
//! of the loader reads one format.
//!
//! yaml_serde resolves plain scalars by YAML 1.2 rules and hands over the
//! text of those it leaves as strings; YAML 1.1 resolution is applied to that
//! text here. Two YAML 1.2 spellings that YAML 1.1 reads as strings (`0o17`,
//! and exponents without a dot such as `1e3`) arrive already converted to
//! numbers and stay numbers: their text is not available through serde.

use std::cell::Cell;
use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde::de::{Error as _, VariantAccess};
use serde_json::{Map, Number, Value as Json};

use crate::Error;

/// How many nodes (a scalar counts one more per 32 bytes of text) a document
/// may expand to. CloudFormation's largest template (1 MB) stays below it;
/// aliases that repeat a document many times over do not.
const BUDGET: usize = 1_000_000;

/// The short-form tags that stand for `Fn::<Tag>`.
const FUNCTION_TAGS: &[&str] = &[
    "And",
    "Base64",
    "Cidr",
    "Contains",
    "EachMemberEquals",
    "EachMemberIn",
    "Equals",
    "FindInMap",
    "GetAZs",
    "GetStackOutput",
    "If",
    "ImportValue",
    "Join",
    "Length",
    "Not",
    "Or",
    "RefAll",
    "Select",
    "Split",
    "Sub",
    "ToJsonString",
    "Transform",
    "ValueOf",
    "ValueOfAll",
];

/// Parses a YAML template into its JSON form.
pub(crate) fn parse(text: &str, path: &Path) -> Result<Json, Error> {
    let budget = Cell::new(BUDGET);
    let keys = Keys::default();
    let mut documents = yaml_serde::Deserializer::from_str(text);
    let Some(first) = documents.next() else {
        return Err(yaml_error(path, 1, 1, "the document is empty"));
    };
    let node = Node {
        budget: &budget,
        keys: &keys,
        source: text,
        raw: false,
        key_of: None,
    };
    let json = node
        .deserialize(first)
        .map_err(|err| from_yaml_serde(&err, path, text, keys.first_duplicate.get()))?;
    if json.is_null() {
        return Err(yaml_error(path, 1, 1, "the document is empty"));
    }
    if documents.next().is_some() {
        let line = second_document_line(text);
        return Err(yaml_error(
            path,
            line,
            1,
            "a template is one YAML document, this is a second one",
        ));
    }
    Ok(json)
}

fn yaml_error(path: &Path, line: usize, column: usize, message: &str) -> Error {
    Error::Yaml {
        path: path.to_owned(),
        line,
        column,
        message: crate::error::one_line(message),
    }
}

/// `first_duplicate`: where the first occurrence of a duplicate key is,
/// when that is the error.
fn from_yaml_serde(
    err: &yaml_serde::Error,
    path: &Path,
    text: &str,
    first_duplicate: Option<usize>,
) -> Error {
    let message = err.to_string();
    // The position is given separately; keep the message itself.
    let message = message
        .find(" at line ")
        .map_or(message.as_str(), |at| &message[..at]);
    if let Some(location) = err.location() {
        if let Some(first) = first_duplicate {
            let (line, column) = line_and_column(text, first);
            let message = format!("{message}, first at line {line}, column {column}");
            return yaml_error(path, location.line(), location.column(), &message);
        }
        return yaml_error(path, location.line(), location.column(), message);
    }
    // The parser stops aliases that repeat too much without saying where.
    if message == "repetition limit exceeded" {
        let (line, column) = first_alias(text).unwrap_or((1, 1));
        return yaml_error(
            path,
            line,
            column,
            "aliases repeat the document beyond the parser's limit",
        );
    }
    yaml_error(path, 1, 1, message)
}

/// The line and column (in characters), both from 1, of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (
        1 + before.matches('\n').count(),
        1 + before[line_start..].chars().count(),
    )
}

/// Where the first alias (`*name`) is, outside comments.
fn first_alias(text: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate() {
        let mut previous = ' ';
        for (column, c) in line.char_indices() {
            if c == '#' && previous.is_whitespace() {
                break;
            }
            if c == '*' && matches!(previous, ' ' | '\t' | '[' | ',' | '{') {
                return Some((i + 1, column + 1));
            }
            previous = c;
        }
    }
    None
}

/// The line of the `---` that starts a second document.
fn second_document_line(text: &str) -> usize {
    let mut content_seen = false;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("---") && content_seen {
            return i + 1;
        }
        let trimmed = line.trim();
        if !(trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('%')) {
            content_seen = true;
        }
    }
    1
}

/// Where mapping keys are in the text, to name both places of a duplicate.
#[derive(Default)]
struct Keys {
    /// The byte offset of the last scalar lent from the document.
    last_scalar: Cell<Option<usize>>,
    /// Set when a key is found twice: where its first occurrence is.
    first_duplicate: Cell<Option<usize>>,
}

/// A mapping being read: its keys so far, and where each is in the text
/// (`None` for a key the parser could not lend from it).
#[derive(Clone, Copy)]
struct MappingSoFar<'a> {
    keys: &'a Map<String, Json>,
    offsets: &'a [Option<usize>],
}

/// One node of the document, as JSON.
#[derive(Clone, Copy)]
struct Node<'a> {
    budget: &'a Cell<usize>,
    keys: &'a Keys,
    /// The whole document, to tell a plain scalar from a quoted one.
    source: &'a str,
    /// The content of a short-form tag: a scalar stays its text.
    raw: bool,
    /// When this node is a key: the keys of its mapping so far.
    key_of: Option<MappingSoFar<'a>>,
}

impl<'a> Node<'a> {
    fn child(self) -> Self {
        Node {
            raw: false,
            key_of: None,
            ..self
        }
    }

    fn key(self, of: MappingSoFar<'a>) -> Self {
        Node {
            key_of: Some(of),
            ..self.child()
        }
    }

    /// Checks a key while the parser still knows where it is, so that the
    /// error points at the key.
    fn done<E: de::Error>(self, json: Json) -> Result<Json, E> {
        if let Some(of) = self.key_of {
            let key = key_text(&json)
                .ok_or_else(|| E::custom("a key must be a string, a number or a boolean"))?;
            if of.keys.contains_key(&key) {
                let first = of.keys.keys().position(|k| *k == key);
                let offset = first.and_then(|i| of.offsets.get(i).copied().flatten());
                self.keys.first_duplicate.set(offset);
                return Err(E::custom(format_args!("duplicate key {key:?}")));
            }
        }
        Ok(json)
    }

    fn spend<E: de::Error>(self, cost: usize) -> Result<(), E> {
        match self.budget.get().checked_sub(cost) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => Err(E::custom(format_args!(
                "the document expands to more than {BUDGET} nodes (aliases repeating it?)"
            ))),
        }
    }

    /// Whether a scalar the parser lends from the document was quoted, or
    /// carries an explicit tag (`!!str`): then it is a string, whatever it
    /// spells.
    fn is_literal_string(self, scalar: &str) -> bool {
        let start = (scalar.as_ptr() as usize).wrapping_sub(self.source.as_ptr() as usize);
        let Some(before) = self.source.get(..start) else {
            return true;
        };
        if before.ends_with(['\'', '"']) {
            return true;
        }
        // The tokens before a plain scalar on its node: an anchor, a tag.
        let mut rest = before.trim_end();
        for _ in 0..2 {
            let token_start = rest.rfind(char::is_whitespace).map_or(0, |i| i + 1);
            let token = &rest[token_start..];
            if token.starts_with('!') {
                return true;
            }
            if !token.starts_with('&') {
                return false;
            }
            rest = rest[..token_start].trim_end();
        }
        false
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Json;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML node")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Json, E> {
        self.spend(1)?;
        self.done(if self.raw {
            Json::String(b.to_string())
        } else {
            Json::Bool(b)
        })
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Json, E> {
        self.spend(1)?;
        self.done(if self.raw {
            Json::String(n.to_string())
        } else {
            Json::Number(n.into())
        })
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Json, E> {
        self.spend(1)?;
        self.done(if self.raw {
            Json::String(n.to_string())
        } else {
            Json::Number(n.into())
        })
    }

    // Integers past 64 bits have no JSON number; their digits are kept.
    fn visit_i128<E: de::Error>(self, n: i128) -> Result<Json, E> {
        self.spend(1)?;
        self.done(Json::String(n.to_string()))
    }

    fn visit_u128<E: de::Error>(self, n: u128) -> Result<Json, E> {
        self.spend(1)?;
        self.done(Json::String(n.to_string()))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Json, E> {
        self.spend(1)?;
        self.done(match Number::from_f64(f) {
            Some(n) if !self.raw => Json::Number(n),
            Some(n) => Json::String(n.to_string()),
            // `.inf` and `.nan` have no JSON number either.
            None if f.is_nan() => Json::String(".nan".to_owned()),
            None if f > 0.0 => Json::String(".inf".to_owned()),
            None => Json::String("-.inf".to_owned()),
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        self.spend(1)?;
        self.done(Json::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        self.visit_unit()
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Json, E> {
        self.spend(1 + s.len() / 32)?;
        let mut offset = (s.as_ptr() as usize).wrapping_sub(self.source.as_ptr() as usize);
        // A quoted scalar starts at its quote.
        if self
            .source
            .get(..offset)
            .is_some_and(|before| before.ends_with(['\'', '"']))
        {
            offset -= 1;
        }
        self.keys
            .last_scalar
            .set((offset < self.source.len()).then_some(offset));
        self.done(if self.raw || self.is_literal_string(s) {
            Json::String(s.to_owned())
        } else {
            resolve_plain(s)
        })
    }

    // Scalars the parser cannot lend are quoted with escapes, block scalars
    // or plain scalars over several lines: strings all.
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Json, E> {
        self.spend(1 + s.len() / 32)?;
        self.done(Json::String(s.to_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        self.spend(1)?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child())? {
            items.push(item);
        }
        self.done(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        self.spend(1)?;
        let mut object = Map::new();
        let mut offsets = Vec::new();
        loop {
            self.keys.last_scalar.set(None);
            let so_far = MappingSoFar {
                keys: &object,
                offsets: &offsets,
            };
            let Some(key) = map.next_key_seed(self.key(so_far))? else {
                break;
            };
            offsets.push(self.keys.last_scalar.get());
            let key = key_text(&key).unwrap_or_default();
            let value = map.next_value_seed(self.child())?;
            object.insert(key, value);
        }
        self.done(Json::Object(object))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Json, A::Error> {
        let (tag, content): (String, _) = data.variant()?;
        let value = content.newtype_variant_seed(Node {
            raw: true,
            ..self.child()
        })?;
        self.done(expand_tag(&tag, value).map_err(A::Error::custom)?)
    }
}

/// A mapping key as text: CloudFormation's keys are strings.
fn key_text(key: &Json) -> Option<String> {
    match key {
        Json::String(s) => Some(s.clone()),
        Json::Bool(b) => Some(b.to_string()),
        Json::Number(n) => Some(n.to_string()),
        Json::Null | Json::Array(_) | Json::Object(_) => None,
    }
}

/// A short-form tag written out long.
fn expand_tag(tag: &str, value: Json) -> Result<Json, String> {
    let long = |name: &str, value: Json| {
        let mut object = Map::new();
        object.insert(name.to_owned(), value);
        Json::Object(object)
    };
    match tag {
        // The non-specific tag `! text`: a string.
        "!" => Ok(value),
        "Ref" | "Condition" => match value {
            Json::String(_) => Ok(long(tag, value)),
            _ => Err(format!("!{tag} takes a name")),
        },
        "GetAtt" => match value {
            Json::String(s) => match s.split_once('.') {
                Some((resource, attribute)) if !resource.is_empty() && !attribute.is_empty() => {
                    Ok(long(
                        "Fn::GetAtt",
                        Json::Array(vec![resource.into(), attribute.into()]),
                    ))
                }
                _ => Err(format!(
                    "!GetAtt takes LogicalId.Attribute or [LogicalId, Attribute], found {s:?}"
                )),
            },
            Json::Array(_) => Ok(long("Fn::GetAtt", value)),
            _ => Err("!GetAtt takes LogicalId.Attribute or [LogicalId, Attribute]".to_owned()),
        },
        _ if FUNCTION_TAGS.contains(&tag) => Ok(long(&format!("Fn::{tag}"), value)),
        _ => Err(format!("unknown tag !{tag}")),
    }
}

/// A plain scalar as YAML 1.1 reads it. yaml_serde already turned the YAML
/// 1.2 spellings of null, booleans and numbers into values; what reaches
/// here is text that YAML 1.2 leaves a string.
fn resolve_plain(s: &str) -> Json {
    match s {
        "yes" | "Yes" | "YES" | "on" | "On" | "ON" => return Json::Bool(true),
        "no" | "No" | "NO" | "off" | "Off" | "OFF" => return Json::Bool(false),
        _ => {}
    }
    if let Some(n) = int_1_1(s) {
        return Json::Number(n.into());
    }
    if let Some(n) = float_1_1(s).and_then(Number::from_f64) {
        return Json::Number(n);
    }
    Json::String(s.to_owned())
}

/// Splits an optional sign off a number.
fn sign(s: &str) -> (bool, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

/// YAML 1.1 integers: `0b1010`, `0755` (octal), `0x_FF`, `1_000`, `1:30`
/// (base 60); `_` separates digits anywhere after the first.
fn int_1_1(s: &str) -> Option<i64> {
    let (negative, body) = sign(s);
    let magnitude = if let Some(digits) = body.strip_prefix("0b") {
        digits_in(digits, 2)?
    } else if let Some(digits) = body.strip_prefix("0x") {
        digits_in(digits, 16)?
    } else if let Some(digits) = body.strip_prefix('0').filter(|d| !d.is_empty()) {
        digits_in(digits, 8)?
    } else if body.contains(':') {
        base_60(body)?
    } else if body.starts_with(|c: char| c.is_ascii_digit() && c != '0') {
        digits_in(body, 10)?
    } else {
        return None;
    };
    let signed = if negative { -magnitude } else { magnitude };
    i64::try_from(signed).ok()
}

/// Digits of a radix with `_` between them; at least one digit.
fn digits_in(digits: &str, radix: u32) -> Option<i128> {
    if !digits.chars().all(|c| c == '_' || c.is_digit(radix)) {
        return None;
    }
    let cleaned: String = digits.chars().filter(|&c| c != '_').collect();
    if cleaned.is_empty() {
        return None;
    }
    i128::from_str_radix(&cleaned, radix).ok()
}

/// `[1-9][0-9_]*(:[0-5]?[0-9])+`: hours, minutes, seconds…
fn base_60(body: &str) -> Option<i128> {
    let mut parts = body.split(':');
    let first = parts.next()?;
    if !first.starts_with(|c: char| c.is_ascii_digit() && c != '0') {
        return None;
    }
    let mut value = digits_in(first, 10)?;
    for part in parts {
        value = value.checked_mul(60)?.checked_add(sixty(part)?)?;
    }
    Some(value)
}

/// One `[0-5]?[0-9]` group of a base-60 number.
fn sixty(part: &str) -> Option<i128> {
    let ok = match part.as_bytes() {
        [d] => d.is_ascii_digit(),
        [t, d] => (b'0'..=b'5').contains(t) && d.is_ascii_digit(),
        _ => false,
    };
    ok.then(|| part.parse().ok()).flatten()
}

/// YAML 1.1 floats that YAML 1.2 reads as strings: with `_` between digits
/// (`1_000.5`), or base 60 (`1:30.5`). A dot is required, and an exponent
/// has a sign (`1.5e+3`).
fn float_1_1(s: &str) -> Option<f64> {
    let (negative, body) = sign(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => {
            let exponent = &body[at + 1..];
            let (_, digits) = sign(exponent);
            if !exponent.starts_with(['-', '+'])
                || digits.is_empty()
                || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            (&body[..at], Some(exponent))
        }
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.')?;
    let magnitude = if whole.contains(':') {
        if exponent.is_some() || !fraction.chars().all(|c| c == '_' || c.is_ascii_digit()) {
            return None;
        }
        let whole = base_60(whole)? as f64;
        let fraction: String = fraction.chars().filter(|&c| c != '_').collect();
        whole + format!("0.{fraction}0").parse::<f64>().ok()?
    } else {
        let well_formed = (whole.is_empty()
            || (whole.starts_with(|c: char| c.is_ascii_digit())
                && whole.chars().all(|c| c == '_' || c.is_ascii_digit())))
            && fraction.chars().all(|c| c == '_' || c.is_ascii_digit())
            && (!whole.is_empty() || fraction.starts_with(|c: char| c.is_ascii_digit()));
        if !well_formed {
            return None;
        }
        let text: String = format!("{whole}.{fraction}e{}", exponent.unwrap_or("0"))
            .chars()
            .filter(|&c| c != '_')
            .collect();
        text.parse::<f64>().ok()?
    };
    let value = if negative { -magnitude } else { magnitude };
    value.is_finite().then_some(value)
}

#[cfg(test)]
mod tests;
