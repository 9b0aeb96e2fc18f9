//! Fixes in Terraform's configuration language: the attribute, block or
//! list entry that says what the CDK says, where the mapping table (read
//! backwards) says Terraform writes it.

use std::collections::BTreeMap;

use parity_mapping::Written;
use parity_model::{Finding, FindingSide, TemplatePart, Value};

use super::{Change, Context, Step, is_secret, item_key, lower_first, terraform_type};

pub(super) fn fix(
    finding: &Finding,
    own: &FindingSide,
    steps: &[Step<'_>],
    change: Change<'_>,
    context: &Context<'_>,
) -> Option<String> {
    let mut out = Writer {
        own_values: matches!(change, Change::Remove(_)),
        ..Writer::default()
    };
    let body = match (finding.resource_type.as_str(), steps) {
        ("AWS::ECS::TaskDefinition", [container, list, rest @ ..])
            if container.name == "ContainerDefinitions" && list.key.is_some() =>
        {
            let item = container_item(list, rest, change)?;
            out.comment(&format!(
                "{}: in container_definitions = jsonencode([...]), the container named {}",
                own.resource,
                quoted(container.key?)
            ));
            let entry = object(&item, &mut out, context, &lower_first)?;
            format!("{} = [\n  {entry},\n]", lower_first(list.name))
        }
        ("AWS::IAM::Role", [policies, _]) if policies.name == "Policies" => {
            let value = change_value(change);
            out.comment(&format!(
                "{}: a statement of its policy (data \"aws_iam_policy_document\")",
                own.resource
            ));
            statement(value, &mut out, context)?
        }
        _ => {
            let mapping = context
                .table
                .terraform_type(terraform_type(&own.resource)?)?;
            let path: Vec<&str> = steps
                .iter()
                .map(|s| s.key.is_none().then_some(s.name))
                .collect::<Option<_>>()?;
            let written = mapping.written(&path)?;
            out.comment(&own.resource);
            nested(&written, change_value(change), &mut out, context)?
        }
    };
    Some(match change {
        Change::Set(_) => format!("{}{body}", out.comments),
        Change::Remove(_) => format!(
            "{}# remove (the CDK does not have it):\n{}",
            out.comments,
            commented(&body)
        ),
    })
}

/// Comments gathered while writing (what a placeholder stands for).
#[derive(Default)]
struct Writer {
    comments: String,
    /// The values are this side's own (what to remove): their references
    /// name Terraform resources already.
    own_values: bool,
}

impl Writer {
    fn comment(&mut self, text: &str) {
        for line in text.lines() {
            self.comments.push_str("# ");
            self.comments.push_str(line);
            self.comments.push('\n');
        }
    }
}

fn change_value<'a>(change: Change<'a>) -> &'a Value {
    match change {
        Change::Set(v) | Change::Remove(v) => v,
    }
}

fn commented(body: &str) -> String {
    body.lines()
        .map(|l| format!("# {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A container definition's list item as a map of CloudFormation names:
/// its identity key, and the property that differs (or all of it).
pub(super) fn container_item(
    list: &Step<'_>,
    rest: &[Step<'_>],
    change: Change<'_>,
) -> Option<BTreeMap<String, Value>> {
    let value = change_value(change);
    let mut item: BTreeMap<String, Value> = item_key(list.name, list.key?)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
        .collect();
    match (rest, value) {
        ([], Value::Map(map)) => item.extend(map.clone()),
        ([], other) if list.name == "Environment" => {
            item.insert("Value".into(), other.clone());
        }
        ([], other) if list.name == "Secrets" => {
            item.insert("ValueFrom".into(), other.clone());
        }
        ([property], other) if property.key.is_none() => {
            item.insert(property.name.to_owned(), other.clone());
        }
        _ => return None,
    }
    (!item.is_empty()).then_some(item)
}

/// Blocks down to the attribute that holds `value`.
fn nested(
    written: &[Written<'_>],
    value: &Value,
    out: &mut Writer,
    context: &Context<'_>,
) -> Option<String> {
    match written {
        [Written::Attribute(name)] => {
            Some(format!("{name} = {}", expression(value, out, context)?))
        }
        [Written::WholeBlock { name, properties }] => {
            let Value::Map(map) = value else {
                return None;
            };
            let mut lines = Vec::new();
            for (key, v) in map {
                let attribute = properties.get(key.as_str())?;
                lines.push(format!("{attribute} = {}", expression(v, out, context)?));
            }
            Some(block(name, &lines))
        }
        [Written::Block(name), rest @ ..] => {
            let inner = nested(rest, value, out, context)?;
            Some(block(
                name,
                &inner.lines().map(str::to_owned).collect::<Vec<_>>(),
            ))
        }
        _ => None,
    }
}

fn block(name: &str, lines: &[String]) -> String {
    let mut text = format!("{name} {{\n");
    for line in lines {
        text.push_str("  ");
        text.push_str(line);
        text.push('\n');
    }
    text.push('}');
    text
}

/// An IAM statement as a `statement` block of `aws_iam_policy_document`.
fn statement(value: &Value, out: &mut Writer, context: &Context<'_>) -> Option<String> {
    let Value::Map(map) = value else {
        return None;
    };
    let mut lines = Vec::new();
    let list = |v: &Value, out: &mut Writer| -> Option<String> {
        match v {
            Value::List(_) => expression(v, out, context),
            other => Some(format!("[{}]", expression(other, out, context)?)),
        }
    };
    for (key, v) in map {
        match key.as_str() {
            "Sid" => lines.push(format!("sid = {}", expression(v, out, context)?)),
            "Effect" => lines.push(format!("effect = {}", expression(v, out, context)?)),
            "Action" => lines.push(format!("actions = {}", list(v, out)?)),
            "NotAction" => lines.push(format!("not_actions = {}", list(v, out)?)),
            "Resource" => lines.push(format!("resources = {}", list(v, out)?)),
            "NotResource" => lines.push(format!("not_resources = {}", list(v, out)?)),
            "Principal" | "NotPrincipal" => {
                let name = if key == "Principal" {
                    "principals"
                } else {
                    "not_principals"
                };
                match v {
                    Value::String(s) if s == "*" => lines.extend(
                        block(
                            name,
                            &[
                                "type = \"*\"".to_owned(),
                                "identifiers = [\"*\"]".to_owned(),
                            ],
                        )
                        .lines()
                        .map(str::to_owned),
                    ),
                    Value::Map(kinds) => {
                        for (kind, ids) in kinds {
                            let inner = [
                                format!("type = {}", string(kind)),
                                format!("identifiers = {}", list(ids, out)?),
                            ];
                            lines.extend(block(name, &inner).lines().map(str::to_owned));
                        }
                    }
                    _ => return None,
                }
            }
            "Condition" => {
                let Value::Map(tests) = v else { return None };
                for (test, variables) in tests {
                    let Value::Map(variables) = variables else {
                        return None;
                    };
                    for (variable, values) in variables {
                        let inner = [
                            format!("test = {}", string(test)),
                            format!("variable = {}", string(variable)),
                            format!("values = {}", list(values, out)?),
                        ];
                        lines.extend(block("condition", &inner).lines().map(str::to_owned));
                    }
                }
            }
            _ => return None,
        }
    }
    Some(block("statement", &lines))
}

/// An object of a JSON document inside `jsonencode`, its keys renamed by
/// `key`.
fn object(
    map: &BTreeMap<String, Value>,
    out: &mut Writer,
    context: &Context<'_>,
    key: &dyn Fn(&str) -> String,
) -> Option<String> {
    let mut fields = Vec::new();
    for (k, v) in map {
        let v = match v {
            Value::Map(inner) => object(inner, out, context, key)?,
            other => expression(other, out, context)?,
        };
        fields.push(format!("{} = {v}", key(k)));
    }
    Some(format!("{{ {} }}", fields.join(", ")))
}

/// A value as an HCL expression; references become the Terraform twins'
/// attributes. `None` when a part cannot be written (an unknown, a
/// reference to a resource without a twin).
fn expression(value: &Value, out: &mut Writer, context: &Context<'_>) -> Option<String> {
    Some(match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::List(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|v| expression(v, out, context))
                .collect::<Option<_>>()?;
            format!("[{}]", items.join(", "))
        }
        Value::Map(map) => object(map, out, context, &|k: &str| hcl_key(k))?,
        Value::Ref(r) => reference(r, out, context)?,
        Value::Template(parts) => {
            let mut text = String::from("\"");
            for part in parts {
                match part {
                    TemplatePart::Literal(s) => {
                        let quoted = string(s);
                        text.push_str(&quoted[1..quoted.len() - 1]);
                    }
                    TemplatePart::Ref(r) => {
                        text.push_str("${");
                        text.push_str(&reference(r, out, context)?);
                        text.push('}');
                    }
                    TemplatePart::Unknown(_) => return None,
                }
            }
            text.push('"');
            text
        }
        v if is_secret(v) => {
            out.comment("var.sensitive_value: (sensitive) — the value is not shown; give it here");
            "var.sensitive_value".to_owned()
        }
        Value::Unknown(_) | Value::Conditional(_) | Value::Sensitive(_) | Value::Masked(_) => {
            return None;
        }
    })
}

fn reference(r: &parity_model::Ref, out: &Writer, context: &Context<'_>) -> Option<String> {
    if out.own_values {
        return Some(match &r.attribute {
            Some(a) => format!("{}.{a}", r.target),
            None => r.target.clone(),
        });
    }
    context.terraform_reference(&r.target, r.attribute.as_deref())
}

/// A map key: bare when it is an identifier, else quoted.
fn hcl_key(key: &str) -> String {
    let identifier = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if identifier {
        key.to_owned()
    } else {
        string(key)
    }
}

/// An HCL quoted string: escapes, and `${` / `%{` doubled so that nothing
/// is read as a template.
pub(super) fn string(text: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if super::hidden(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn quoted(text: &str) -> String {
    string(text)
}
