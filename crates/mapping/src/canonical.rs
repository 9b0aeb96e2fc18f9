//! Canonicalization: both sides' resources as CloudFormation types with
//! CloudFormation property names and shapes.

use std::collections::BTreeMap;

use parity_model::{Action, Area, Resource, ResourceId, Side, Value};

use crate::{PropertyMapping, Shape, Table};

/// A resource in CloudFormation's vocabulary, whichever side it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub id: ResourceId,
    /// The side's own type (`aws_ecs_task_definition`).
    pub source_type: String,
    /// The CloudFormation type (`AWS::ECS::TaskDefinition`).
    pub canonical_type: String,
    pub area: Area,
    pub properties: BTreeMap<String, Value>,
    pub action: Option<Action>,
    pub construct_path: Option<String>,
}

impl Entity {
    pub fn side(&self) -> Side {
        self.id.side()
    }
}

/// The outcome of canonicalizing one side.
#[derive(Debug, Clone, Default)]
pub struct Canonical {
    pub entities: Vec<Entity>,
    /// Terraform resources whose type the table does not know: reported,
    /// never silently dropped.
    pub unmapped: Vec<ResourceId>,
}

/// Expresses resources in CloudFormation's vocabulary. CloudFormation
/// resources keep their type and properties; Terraform ones go through the
/// table.
pub fn canonicalize(resources: &[Resource], table: &Table) -> Canonical {
    let mut out = Canonical::default();
    for resource in resources {
        match resource.side() {
            Side::CloudFormation => out.entities.push(Entity {
                id: resource.id.clone(),
                source_type: resource.resource_type.clone(),
                canonical_type: resource.resource_type.clone(),
                area: table
                    .cloudformation_type(&resource.resource_type)
                    .map_or(Area::Other, |m| m.area),
                properties: resource.properties.clone(),
                action: resource.action,
                construct_path: resource.construct_path.clone(),
            }),
            Side::Terraform => match table.terraform_type(&resource.resource_type) {
                None => out.unmapped.push(resource.id.clone()),
                Some(mapping) => {
                    let properties = mapping
                        .properties
                        .iter()
                        .filter_map(|(attribute, property)| {
                            let value = resource.properties.get(attribute)?;
                            (!is_absent(value))
                                .then(|| (property.to.clone(), reshape(value, property)))
                        })
                        .collect();
                    out.entities.push(Entity {
                        id: resource.id.clone(),
                        source_type: resource.resource_type.clone(),
                        canonical_type: mapping.cloudformation.clone(),
                        area: mapping.area,
                        properties,
                        action: resource.action,
                        construct_path: None,
                    });
                }
            },
        }
    }
    out
}

/// Terraform writes unset optional attributes as `null`; CloudFormation
/// leaves them out. Both mean "not set".
fn is_absent(value: &Value) -> bool {
    matches!(value, Value::Null)
}

fn reshape(value: &Value, property: &PropertyMapping) -> Value {
    match property.shape {
        Shape::Same => value.clone(),
        Shape::PascalKeys => pascal_keys(value, &property.keep_keys_under),
    }
}

fn pascal_keys(value: &Value, keep_keys_under: &[String]) -> Value {
    match value {
        Value::Map(map) => Value::Map(
            map.iter()
                .map(|(key, v)| {
                    let key = pascal_case(key);
                    let v = if keep_keys_under.contains(&key) {
                        v.clone()
                    } else {
                        pascal_keys(v, keep_keys_under)
                    };
                    (key, v)
                })
                .collect(),
        ),
        Value::List(items) => Value::List(
            items
                .iter()
                .map(|v| pascal_keys(v, keep_keys_under))
                .collect(),
        ),
        Value::Sensitive(inner) => pascal_keys(inner, keep_keys_under).into_sensitive(),
        other => other.clone(),
    }
}

fn pascal_case(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
