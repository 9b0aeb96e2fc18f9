//! The intrinsics that build strings: `Fn::Join`, `Fn::Sub`, `Fn::Split`,
//! `Fn::ToJsonString`. A string that includes something only deploy time
//! knows is a `Template` of literal and referenced parts.

use parity_model::{TemplatePart, Unknown, Value};
use serde_json::Value as Json;

use super::{Eval, Evaluator, is_intrinsic, is_opaque, mark, refs_of, unmark};
use crate::pointer;

impl Evaluator<'_> {
    pub(super) fn join(&mut self, args: &Json, at: &str) -> Eval<Value> {
        let [delimiter, list] = self.args::<2>(args, at, "[delimiter, [values]]")?;
        let delimiter = delimiter
            .as_str()
            .ok_or_else(|| self.error(&format!("{at}/0"), "the delimiter must be a string"))?;
        let (list, mut sensitive) = unmark(self.arg(list, &format!("{at}/1"))?);
        let items = match list {
            Value::List(items) => items,
            other if is_opaque(&other) => {
                return Ok(mark(
                    Value::Unknown(Unknown {
                        refs: refs_of(&other),
                        reason: None,
                    }),
                    sensitive,
                ));
            }
            _ => return Err(self.error(&format!("{at}/1"), "expected a list").into()),
        };
        let mut parts = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                parts.push(TemplatePart::Literal(delimiter.to_owned()));
            }
            let (item_parts, item_sensitive) = string_parts(item).ok_or_else(|| {
                self.error(&format!("{at}/1/{i}"), "cannot join a list or an object")
            })?;
            parts.extend(item_parts);
            sensitive |= item_sensitive;
        }
        Ok(mark(Value::template(parts), sensitive))
    }

    pub(super) fn sub(&mut self, args: &Json, at: &str) -> Eval<Value> {
        let (text, variables) = match args {
            Json::String(s) => (s.as_str(), None),
            Json::Array(items) if items.len() == 2 => {
                let text = items[0].as_str().ok_or_else(|| {
                    self.error(&format!("{at}/0"), "expected a string to substitute into")
                })?;
                let vars = items[1]
                    .as_object()
                    .ok_or_else(|| self.error(&format!("{at}/1"), "expected a map of variables"))?;
                (text, Some(vars))
            }
            _ => {
                return Err(self
                    .error(at, "expected a string or [string, {variables}]")
                    .into());
            }
        };
        let mut parts = Vec::new();
        let mut sensitive = false;
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            parts.push(TemplatePart::Literal(rest[..start].to_owned()));
            let after = &rest[start + 2..];
            let end = after
                .find('}')
                .ok_or_else(|| self.error(at, "unclosed ${ in Fn::Sub"))?;
            let raw = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = raw.strip_prefix('!') {
                parts.push(TemplatePart::Literal(format!("${{{literal}}}")));
                continue;
            }
            // CloudFormation allows spaces around the name: `${ Name }`.
            let name = raw.trim();
            let value = match variables.and_then(|v| v.get(name)) {
                Some(json) => self.arg(json, &pointer::join(&format!("{at}/1"), name))?,
                None => match name.split_once('.') {
                    Some(_) if !name.starts_with("AWS::") => {
                        self.get_att(&Json::String(name.to_owned()), at)?
                    }
                    _ => self
                        .named(name, at)?
                        .ok_or_else(|| self.error(at, "AWS::NoValue in Fn::Sub"))?,
                },
            };
            let (value_parts, value_sensitive) = string_parts(value)
                .ok_or_else(|| self.error(at, format!("${{{name}}} is not a string")))?;
            parts.extend(value_parts);
            sensitive |= value_sensitive;
        }
        parts.push(TemplatePart::Literal(rest.to_owned()));
        Ok(mark(Value::template(parts), sensitive))
    }

    pub(super) fn split(&mut self, args: &Json, at: &str) -> Eval<Value> {
        let [delimiter, source] = self.args::<2>(args, at, "[delimiter, string]")?;
        let delimiter = delimiter
            .as_str()
            .filter(|d| !d.is_empty())
            .ok_or_else(|| {
                self.error(
                    &format!("{at}/0"),
                    "the delimiter must be a non-empty string",
                )
            })?;
        let (source, sensitive) = unmark(self.arg(source, &format!("{at}/1"))?);
        let text = match source {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            // Splitting a string not known before deploy gives a list whose
            // length is not known either.
            other @ (Value::Ref(_) | Value::Template(_) | Value::Unknown(_)) => {
                return Ok(mark(
                    Value::Unknown(Unknown {
                        refs: refs_of(&other),
                        reason: None,
                    }),
                    sensitive,
                ));
            }
            _ => return Err(self.error(&format!("{at}/1"), "expected a string").into()),
        };
        let items = text.split(delimiter).map(Value::from).collect();
        Ok(mark(Value::List(items), sensitive))
    }

    /// `Fn::ToJsonString`: the JSON text of a value, compact and with the
    /// keys in the order the template writes them.
    pub(super) fn json_string(&mut self, args: &Json, at: &str) -> Eval<Value> {
        let mut parts = Vec::new();
        let mut sensitive = false;
        let mut unknown = Vec::new();
        let written = self.write_json(args, at, &mut parts, &mut sensitive, &mut unknown)?;
        if !written {
            return Err(self.error(at, "AWS::NoValue is not allowed here").into());
        }
        if !unknown.is_empty() {
            return Ok(mark(
                Value::Unknown(Unknown {
                    refs: unknown,
                    reason: None,
                }),
                sensitive,
            ));
        }
        Ok(mark(Value::template(parts), sensitive))
    }

    /// Writes the JSON text of a template value; `false` when it is
    /// `AWS::NoValue`. What has no known JSON text (an unknown value, which
    /// may be a string or a list) is collected in `unknown`.
    fn write_json(
        &mut self,
        json: &Json,
        at: &str,
        out: &mut Vec<TemplatePart>,
        sensitive: &mut bool,
        unknown: &mut Vec<String>,
    ) -> Eval<bool> {
        match json {
            Json::Object(map) if is_intrinsic(map) => {
                let Some(value) = self.value(json, at)? else {
                    return Ok(false);
                };
                let Some(value) = self.settle(value)? else {
                    return Ok(false);
                };
                write_value(value, out, sensitive, unknown);
            }
            Json::Object(map) => {
                out.push(TemplatePart::Literal("{".to_owned()));
                let mut first = true;
                for (key, item) in map {
                    let mut item_parts = Vec::new();
                    let item_at = pointer::join(at, key);
                    if self.write_json(item, &item_at, &mut item_parts, sensitive, unknown)? {
                        let comma = if first { "" } else { "," };
                        out.push(TemplatePart::Literal(format!("{comma}{}:", quoted(key))));
                        out.extend(item_parts);
                        first = false;
                    }
                }
                out.push(TemplatePart::Literal("}".to_owned()));
            }
            Json::Array(items) => {
                out.push(TemplatePart::Literal("[".to_owned()));
                let mut first = true;
                for (i, item) in items.iter().enumerate() {
                    let mut item_parts = Vec::new();
                    let item_at = format!("{at}/{i}");
                    if self.write_json(item, &item_at, &mut item_parts, sensitive, unknown)? {
                        if !first {
                            out.push(TemplatePart::Literal(",".to_owned()));
                        }
                        out.extend(item_parts);
                        first = false;
                    }
                }
                out.push(TemplatePart::Literal("]".to_owned()));
            }
            scalar => out.push(TemplatePart::Literal(scalar.to_string())),
        }
        Ok(true)
    }
}

/// The JSON text of an evaluated value. References stand for strings (an
/// ID, an ARN), which nearly every attribute is.
fn write_value(
    value: Value,
    out: &mut Vec<TemplatePart>,
    sensitive: &mut bool,
    unknown: &mut Vec<String>,
) {
    let literal =
        |out: &mut Vec<TemplatePart>, s: &str| out.push(TemplatePart::Literal(s.to_owned()));
    match value {
        Value::Null => literal(out, "null"),
        Value::Bool(b) => literal(out, &b.to_string()),
        Value::Number(n) => literal(out, &n.to_string()),
        Value::String(s) => literal(out, &quoted(&s)),
        Value::List(items) => {
            literal(out, "[");
            for (i, item) in items.into_iter().enumerate() {
                if i > 0 {
                    literal(out, ",");
                }
                write_value(item, out, sensitive, unknown);
            }
            literal(out, "]");
        }
        Value::Map(map) => {
            literal(out, "{");
            for (i, (key, item)) in map.into_iter().enumerate() {
                let comma = if i > 0 { "," } else { "" };
                literal(out, &format!("{comma}{}:", quoted(&key)));
                write_value(item, out, sensitive, unknown);
            }
            literal(out, "}");
        }
        Value::Ref(r) => {
            literal(out, "\"");
            out.push(TemplatePart::Ref(r));
            literal(out, "\"");
        }
        Value::Template(parts) => {
            literal(out, "\"");
            for part in parts {
                match part {
                    TemplatePart::Literal(s) => {
                        let quoted = quoted(&s);
                        literal(out, &quoted[1..quoted.len() - 1]);
                    }
                    other => out.push(other),
                }
            }
            literal(out, "\"");
        }
        Value::Unknown(u) => unknown.extend(u.refs),
        Value::Sensitive(inner) | Value::Masked(parity_model::Masked { value: inner, .. }) => {
            *sensitive = true;
            write_value(*inner, out, sensitive, unknown);
        }
        // Settled before it gets here.
        Value::Conditional(c) => unknown.push(c.condition),
    }
}

fn quoted(s: &str) -> String {
    Json::String(s.to_owned()).to_string()
}

/// A value as pieces of a string, and whether it is sensitive; `None` for
/// what is not a string (a list, an object, null).
pub(super) fn string_parts(value: Value) -> Option<(Vec<TemplatePart>, bool)> {
    match value {
        Value::String(s) => Some((vec![TemplatePart::Literal(s)], false)),
        Value::Number(n) => Some((vec![TemplatePart::Literal(n.to_string())], false)),
        Value::Bool(b) => Some((vec![TemplatePart::Literal(b.to_string())], false)),
        Value::Ref(r) => Some((vec![TemplatePart::Ref(r)], false)),
        Value::Template(parts) => Some((parts, false)),
        Value::Unknown(u) => Some((vec![TemplatePart::Unknown(u)], false)),
        Value::Sensitive(inner) | Value::Masked(parity_model::Masked { value: inner, .. }) => {
            string_parts(*inner).map(|(parts, _)| (parts, true))
        }
        Value::Null | Value::List(_) | Value::Map(_) | Value::Conditional(_) => None,
    }
}
