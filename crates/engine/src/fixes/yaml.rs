//! Fixes as the CloudFormation property path and value, in YAML: for the
//! CDK side of types the CDK writer has no code for.

use parity_model::{Finding, FindingSide, TemplatePart, Value};
use serde_json::{Value as Json, json};

use super::{Change, Context, Item, Step, construct_name, is_secret, item_of};

pub(super) fn fix(
    finding: &Finding,
    own: &FindingSide,
    steps: &[Step<'_>],
    change: Change<'_>,
    context: &Context<'_>,
) -> Option<String> {
    let mut header = format!("# {} ({})\n", construct_name(own), own.resource);
    let value = match change {
        Change::Set(v) => {
            let mut secret = false;
            let v = json_of(v, context, &mut secret)?;
            if secret {
                header.push_str("# \"(sensitive)\": the value is not shown\n");
            }
            v
        }
        Change::Remove(_) => {
            return Some(format!(
                "{header}# remove (Terraform does not have it): Properties.{}",
                finding.attribute
            ));
        }
    };
    // Inside out: a list's item is the one-item list of the item with its
    // key's properties, or at its position.
    let mut nested = value;
    for (i, step) in steps.iter().enumerate().rev() {
        if step.key.is_some() {
            let item = match item_of(context.rules, &finding.resource_type, &steps[..=i])? {
                Item::Keyed { fields, value } => {
                    let mut item = serde_json::Map::new();
                    for (field, value) in fields {
                        item.insert(field, Json::String(value));
                    }
                    match (nested, value) {
                        // A list of key and value (`Environment`): the value.
                        (other, Some(value)) if i + 1 == steps.len() => {
                            item.insert(value, other);
                        }
                        (Json::Object(inner), _) => item.extend(inner),
                        _ => return None,
                    }
                    Json::Object(item)
                }
                Item::Index(n) => {
                    header.push_str(&format!(
                        "# {}: the item at position {n} (counted from 0), in place of the one there\n",
                        step.name
                    ));
                    nested
                }
            };
            nested = json!([item]);
        }
        nested = json!({ step.name: nested });
    }
    let yaml = yaml_serde::to_string(&json!({ "Properties": nested })).ok()?;
    Some(format!("{header}{}", yaml.trim_end()))
}

/// A value as CloudFormation writes it: Terraform references become the
/// twins' `Ref` and `Fn::GetAtt`.
fn json_of(value: &Value, context: &Context<'_>, secret: &mut bool) -> Option<Json> {
    Some(match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => Json::Number(n.clone()),
        Value::String(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(
            items
                .iter()
                .map(|v| json_of(v, context, secret))
                .collect::<Option<_>>()?,
        ),
        Value::Map(map) => Json::Object(
            map.iter()
                .map(|(k, v)| Some((k.clone(), json_of(v, context, secret)?)))
                .collect::<Option<_>>()?,
        ),
        Value::Ref(r) => reference(&r.target, r.attribute.as_deref(), context)?,
        Value::Template(parts) => {
            let parts = parts
                .iter()
                .map(|p| match p {
                    TemplatePart::Literal(s) => Some(Json::String(s.clone())),
                    TemplatePart::Ref(r) => reference(&r.target, r.attribute.as_deref(), context),
                    TemplatePart::Unknown(_) => None,
                })
                .collect::<Option<Vec<_>>>()?;
            json!({ "Fn::Join": ["", parts] })
        }
        v if is_secret(v) => {
            *secret = true;
            Json::String("(sensitive)".into())
        }
        Value::Unknown(_) | Value::Conditional(_) | Value::Sensitive(_) | Value::Masked(_) => {
            return None;
        }
    })
}

fn reference(address: &str, attribute: Option<&str>, context: &Context<'_>) -> Option<Json> {
    let (logical_id, attribute) = context.cloudformation_reference(address, attribute)?;
    Some(match attribute {
        None => json!({ "Ref": logical_id }),
        Some(a) => json!({ "Fn::GetAtt": [logical_id, a] }),
    })
}
