//! Canonicalization: both sides' resources as CloudFormation types with
//! CloudFormation property names and shapes.

use std::borrow::Cow;
use std::collections::BTreeMap;

use parity_model::{Action, Area, Map, Resource, ResourceId, Secrets, Side, Value};

use crate::table::{CloudFormationType, DefaultValue, FullMapping, PropertyMapping, Shape};
use crate::{Fold, Table, arns, fold, normalize, path};

/// A resource in CloudFormation's vocabulary, whichever side it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub id: ResourceId,
    /// The side's own type (`aws_ecs_task_definition`).
    pub source_type: String,
    /// The CloudFormation type (`AWS::ECS::TaskDefinition`). A Terraform type
    /// that only folds into another resource keeps its own name here until
    /// it is folded.
    pub canonical_type: String,
    pub area: Area,
    pub properties: Map,
    pub action: Option<Action>,
    pub construct_path: Option<String>,
    /// The resources folded into this one (policies into their role, rules
    /// into their security group, …).
    pub folded: Vec<ResourceId>,
}

impl Entity {
    pub fn side(&self) -> Side {
        self.id.side()
    }
}

/// A resource that has no twin on the other side by nature, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoTwin {
    pub id: ResourceId,
    pub resource_type: String,
    pub reason: String,
}

/// Something canonicalization could not do; the resource concerned stays
/// as it is and is reported, never dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub id: ResourceId,
    pub message: String,
}

/// The outcome of canonicalizing one side.
#[derive(Debug, Clone, Default)]
pub struct Canonical {
    pub entities: Vec<Entity>,
    /// Resources whose type the table does not know: reported as not
    /// compared, never silently dropped.
    pub unmapped: Vec<(ResourceId, String)>,
    pub no_twin: Vec<NoTwin>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Expresses one side's resources in CloudFormation's vocabulary: Terraform
/// attributes through the table, then for both sides folding, the named
/// normalizations and AWS defaults.
pub fn canonicalize(resources: &[Resource], table: &Table) -> Canonical {
    let id_attributes = id_attributes(resources, table);
    let secrets = secrets_by_nature(resources, table);
    canonicalize_each(
        resources.iter().map(Cow::Borrowed),
        id_attributes,
        secrets,
        table,
    )
}

/// [`canonicalize`], consuming the resources: each is dropped once
/// expressed, and a CloudFormation resource's properties become its
/// entity's instead of being copied, so that a large input is not held
/// twice.
pub fn canonicalize_owned(resources: Vec<Resource>, table: &Table) -> Canonical {
    let id_attributes = id_attributes(&resources, table);
    let secrets = secrets_by_nature(&resources, table);
    canonicalize_each(
        resources.into_iter().map(Cow::Owned),
        id_attributes,
        secrets,
        table,
    )
}

fn canonicalize_each<'r>(
    resources: impl Iterator<Item = Cow<'r, Resource>>,
    id_attributes: BTreeMap<String, &str>,
    secrets: Secrets,
    table: &Table,
) -> Canonical {
    let mut out = Canonical::default();
    let mut folds: Vec<Option<Fold>> = Vec::new();
    for mut resource in resources {
        let Some((canonical_type, properties, own_fold)) = express(&mut resource, table, &mut out)
        else {
            continue;
        };
        let cfn = table.cloudformation_type(&canonical_type);
        let mut properties = properties;
        if resource.side() == Side::Terraform {
            drop_computed(&mut properties);
            for value in properties.values_mut() {
                references_to_ids(value, &id_attributes);
            }
        }
        if let Some(cfn) = cfn {
            key_value_maps(&mut properties, cfn);
            for at in &cfn.not_compared {
                path::remove(&mut properties, &path::parse(at));
            }
        }
        prune_empty(&mut properties, cfn.is_some_and(|c| c.keep_empty_objects));
        folds.push(own_fold.or_else(|| cfn.and_then(|c| c.fold.clone())));
        out.entities.push(Entity {
            id: resource.id.clone(),
            source_type: resource.resource_type.clone(),
            area: table.area(&canonical_type),
            canonical_type,
            properties,
            action: resource.action,
            construct_path: resource.construct_path.clone(),
            folded: Vec::new(),
        });
    }
    fold::fold_all(&mut out, &folds, table);
    for entity in &mut out.entities {
        if let Some(tf) = table
            .terraform_type(&entity.source_type)
            .filter(|_| entity.side() == Side::Terraform)
        {
            for property in &tf.computed_from_others {
                if matches!(entity.properties.get(property), Some(Value::Unknown(_))) {
                    entity.properties.remove(property);
                }
            }
        }
        let Some(cfn) = table.cloudformation_type(&entity.canonical_type) else {
            continue;
        };
        // Again: what was folded in is in its parent's vocabulary only now.
        key_value_maps(&mut entity.properties, cfn);
        for at in &cfn.documents {
            path::for_each_mut(
                &mut entity.properties,
                &path::parse(at),
                &mut parse_document,
            );
        }
        for normalization in &cfn.normalize {
            normalize::apply(*normalization, entity);
        }
        for same in &cfn.same_values {
            same_value(&mut entity.properties, same);
        }
    }
    apply_defaults(&mut out.entities, table);
    // Last: copies of secrets are looked for in documents decoded above.
    hide_secrets(&mut out.entities, secrets, table);
    out
}

/// AWS's defaults on every entity: what is absent takes its default, and a
/// block beneath a list item that holds nothing but defaults is the same as
/// no block (`LinuxParameters: {InitProcessEnabled: false}` on a container
/// is a container without `LinuxParameters`). A default that reads another
/// property reads it on the entity or, where the entity does not set it, on
/// the parent it is kept beside (`DefaultValue`), as that parent is before
/// its own defaults.
fn apply_defaults(entities: &mut [Entity], table: &Table) {
    let reads_others = |entity: &Entity| {
        table
            .cloudformation_type(&entity.canonical_type)
            .is_some_and(|cfn| {
                cfn.defaults
                    .values()
                    .any(|d| !matches!(DefaultValue::read(d), Ok(DefaultValue::Value(_)) | Err(_)))
            })
    };
    let parent_of: BTreeMap<&ResourceId, usize> = entities
        .iter()
        .enumerate()
        .flat_map(|(i, parent)| parent.folded.iter().map(move |child| (child, i)))
        .collect();
    let parents: Vec<Option<Map>> = entities
        .iter()
        .map(|entity| {
            let parent = parent_of.get(&entity.id).filter(|_| reads_others(entity))?;
            Some(entities[*parent].properties.clone())
        })
        .collect();
    for (entity, parent) in entities.iter_mut().zip(&parents) {
        let Some(cfn) = table.cloudformation_type(&entity.canonical_type) else {
            continue;
        };
        // The defaults of each block beneath a list item, by the block's path.
        let mut blocks: BTreeMap<Vec<path::Step>, Map> = BTreeMap::new();
        for (at, default) in &cfn.defaults {
            let read = |property: &str| {
                let steps = path::parse(property);
                path::get(&entity.properties, &steps)
                    .or_else(|| parent.as_ref().and_then(|p| path::get(p, &steps)))
                    .cloned()
            };
            // The value, and the table's text when the table writes it.
            let (value, text) = match DefaultValue::read(default) {
                Ok(DefaultValue::Value(value)) => (Value::from_json(value), value.as_str()),
                Ok(DefaultValue::SameAs(other)) => match read(other) {
                    Some(value) => (value, None),
                    None => continue,
                },
                Ok(DefaultValue::By { property, values }) => {
                    match read(property)
                        .as_ref()
                        .and_then(|v| scalar_text(v.unmarked().0))
                        .and_then(|v| values.get(&v))
                    {
                        Some(value) => (Value::from_json(value), value.as_str()),
                        None => continue,
                    }
                }
                // Refused when the table is read.
                Err(_) => continue,
            };
            let steps = path::parse(at);
            // An ARN in the deployment's partition and account (a
            // service-linked role's) cannot be written out: a value spelled
            // so is taken out instead, the same as none.
            if let Some(format) = text.filter(|t| arns::is_arn_format(t)) {
                path::remove_unless(&mut entity.properties, &steps, &|value| {
                    !arns::spelled_as(format, value)
                });
                continue;
            }
            path::set_default(&mut entity.properties, &steps, &value);
            if let [block @ .., path::Step::Key(field)] = steps.as_slice()
                && matches!(block.last(), Some(path::Step::Key(_)))
                && block.contains(&path::Step::Each)
            {
                blocks
                    .entry(block.to_vec())
                    .or_default()
                    .insert(field.clone(), value);
            }
        }
        for (block, defaults) in &blocks {
            path::remove_unless(&mut entity.properties, block, &|value| {
                !holds_only(value, defaults)
            });
        }
    }
}

/// Whether a value is an object every field of which is in `defaults`, with
/// its value there.
fn holds_only(value: &Value, defaults: &Map) -> bool {
    let Some(fields) = value.unmarked().0.as_map() else {
        return false;
    };
    !fields.is_empty()
        && fields.iter().all(|(name, value)| {
            defaults.get(name).is_some_and(|default| {
                let value = value.unmarked().0;
                // As CloudFormation compares them: `8080` is `"8080"`.
                value == default
                    || scalar_text(value).is_some_and(|t| Some(t) == scalar_text(default))
            })
        })
}

/// Marks the properties that hold a secret by nature (the table's
/// `secrets`) on every entity, then the copies of their text anywhere on
/// the same side (a password a CDK app also writes into a container's
/// environment). Resources that are not compared (`resources` as loaded)
/// lend their secrets too.
fn hide_secrets(entities: &mut [Entity], mut secrets: Secrets, table: &Table) {
    for entity in entities.iter_mut() {
        for_each_secret(
            &mut entity.properties,
            &entity.canonical_type,
            table,
            &mut |value| {
                secrets.collect_secret(value);
                *value = std::mem::replace(value, Value::Null).into_sensitive();
            },
        );
    }
    if secrets.is_empty() {
        return;
    }
    for entity in entities {
        for value in entity.properties.values_mut() {
            secrets.mark(value);
        }
    }
}

/// The secrets of the properties that hold one by nature in the resources
/// as loaded (before canonicalization moves or renames them).
fn secrets_by_nature(resources: &[Resource], table: &Table) -> Secrets {
    let mut secrets = Secrets::default();
    for resource in resources {
        if table.secret_properties(&resource.resource_type).is_empty() {
            continue;
        }
        let mut properties = resource.properties.clone();
        for_each_secret(
            &mut properties,
            &resource.resource_type,
            table,
            &mut |value| {
                secrets.collect_secret(value);
            },
        );
    }
    secrets
}

/// Calls `f` with each value of `properties` that holds a secret by nature
/// in a resource of type `resource_type` (see [`Table::secret_properties`]).
fn for_each_secret(
    properties: &mut Map,
    resource_type: &str,
    table: &Table,
    f: &mut dyn FnMut(&mut Value),
) {
    for property in table.secret_properties(resource_type) {
        let applies = property.conditions().is_none_or(|conditions| {
            conditions.iter().all(|(at, expected)| {
                path::get(properties, &path::parse(at))
                    .is_some_and(|v| *v.unmarked().0 == Value::from_json(expected))
            })
        });
        if applies {
            path::for_each_mut(properties, &path::parse(property.path()), f);
        }
    }
}

/// Terraform address → the attribute its ID repeats, for the resources of
/// types whose ID is another attribute (`id_is`).
fn id_attributes<'t>(resources: &[Resource], table: &'t Table) -> BTreeMap<String, &'t str> {
    resources
        .iter()
        .filter_map(|r| match &r.id {
            ResourceId::Terraform { address } => {
                let id_is = table.terraform_type(&r.resource_type)?.id_is.as_deref()?;
                Some((address.clone(), id_is))
            }
            ResourceId::CloudFormation { .. } => None,
        })
        .collect()
}

/// A reference to a resource's ID, where the ID repeats another attribute
/// (a role's name), as a reference to that attribute.
fn references_to_ids(value: &mut Value, id_attributes: &BTreeMap<String, &str>) {
    let rewrite = |r: &mut parity_model::Ref| {
        if r.attribute.as_deref() == Some("id")
            && let Some(attribute) = id_attributes.get(&r.target)
        {
            r.attribute = Some((*attribute).to_owned());
        }
    };
    match value {
        Value::Ref(r) => rewrite(r),
        Value::Template(parts) => {
            for part in parts {
                if let parity_model::TemplatePart::Ref(r) = part {
                    rewrite(r);
                }
            }
        }
        Value::List(items) => items
            .iter_mut()
            .for_each(|v| references_to_ids(v, id_attributes)),
        Value::Map(map) => map
            .values_mut()
            .for_each(|v| references_to_ids(v, id_attributes)),
        Value::Sensitive(inner) => references_to_ids(inner, id_attributes),
        _ => {}
    }
}

/// The canonical type and properties of one resource, with the fold rule of
/// its Terraform type; `None` when it is not compared (recorded in `out`).
/// Writes a value that means the same as the table's `value` as that value
/// (`SameValue`). Values compare as CloudFormation compares them: `8080`
/// is `"8080"`.
fn same_value(properties: &mut Map, same: &crate::table::SameValue) {
    let text = |v: &Value| scalar_text(v.unmarked().0);
    let json_text = |v: &serde_json::Value| text(&Value::from_json(v));
    let at = path::parse(&same.at);
    let Some(current) = path::get(properties, &at).and_then(text) else {
        return;
    };
    let by_equal = same.equal_to.as_ref().is_some_and(|other| {
        path::get(properties, &path::parse(other)).and_then(text) == Some(current.clone())
    });
    let by_value = same.is.as_ref().is_some_and(|is| {
        json_text(is) == Some(current.clone())
            && same.when.iter().all(|(property, allowed)| {
                let value = path::get(properties, &path::parse(property)).and_then(text);
                allowed.iter().any(|a| json_text(a) == value)
            })
    });
    if by_equal || by_value {
        let replacement = Value::from_json(&same.value);
        path::for_each_mut(properties, &at, &mut |v| *v = replacement.clone());
    }
}

/// A Terraform resource's attributes with their effective values where the
/// table says another attribute holds them and it is known: the tags with
/// the provider's `default_tags` (`tags_all`) rather than those the
/// resource sets itself.
fn effective<'a>(resource: &'a Resource, table: &Table) -> std::borrow::Cow<'a, Map> {
    let mut properties = std::borrow::Cow::Borrowed(&resource.properties);
    for (attribute, effective) in table.effective() {
        if let Some(value) = resource.properties.get(effective)
            && !value.contains_unknown()
            && resource.properties.get(attribute) != Some(value)
        {
            properties
                .to_mut()
                .insert(attribute.to_owned(), value.clone());
        }
    }
    properties
}

fn express(
    resource: &mut Cow<'_, Resource>,
    table: &Table,
    out: &mut Canonical,
) -> Option<(String, Map, Option<Fold>)> {
    match resource.side() {
        Side::CloudFormation => match table.cloudformation_type(&resource.resource_type) {
            Some(cfn) if cfn.no_twin.is_some() => {
                out.no_twin.push(NoTwin {
                    id: resource.id.clone(),
                    resource_type: resource.resource_type.clone(),
                    reason: cfn.no_twin.clone().unwrap_or_default(),
                });
                None
            }
            Some(_) => Some((
                resource.resource_type.clone(),
                match resource {
                    Cow::Owned(resource) => std::mem::take(&mut resource.properties),
                    Cow::Borrowed(resource) => resource.properties.clone(),
                },
                None,
            )),
            None => {
                out.unmapped
                    .push((resource.id.clone(), resource.resource_type.clone()));
                None
            }
        },
        Side::Terraform => match table.terraform_type(&resource.resource_type) {
            None => {
                out.unmapped
                    .push((resource.id.clone(), resource.resource_type.clone()));
                None
            }
            Some(tf) => {
                if let Some(reason) = &tf.no_twin {
                    out.no_twin.push(NoTwin {
                        id: resource.id.clone(),
                        resource_type: resource.resource_type.clone(),
                        reason: reason.clone(),
                    });
                    return None;
                }
                let canonical_type = tf
                    .cloudformation
                    .clone()
                    .unwrap_or_else(|| resource.resource_type.clone());
                let properties = map_attributes(&effective(resource, table), &tf.properties);
                Some((canonical_type, properties, tf.fold.clone()))
            }
        },
    }
}

/// Terraform attributes → CloudFormation properties, by the table.
fn map_attributes(attributes: &Map, mappings: &BTreeMap<String, PropertyMapping>) -> Map {
    let mut out = Map::new();
    for (attribute, mapping) in mappings {
        let Some(value) = attributes.get(attribute) else {
            continue;
        };
        if is_unset(value) {
            continue;
        }
        match mapping {
            PropertyMapping::Rename(to) => merge(&mut out, to.clone(), value.clone()),
            PropertyMapping::Full(full) => map_one(value, full, &mut out),
        }
    }
    out
}

fn map_one(value: &Value, mapping: &FullMapping, out: &mut Map) {
    for (property, also) in &mapping.also {
        merge(out, property.clone(), Value::from_json(also));
    }
    let (value, sensitive) = value.unmarked();
    let mark = |v: Value| if sensitive { v.into_sensitive() } else { v };
    let to = mapping.to.as_ref().map(|p| p.segments());
    let set = |out: &mut Map, v: Value| {
        if let Some(to) = &to {
            path::set(out, to, mark(v));
        }
    };
    if let Value::Unknown(_) = value {
        // A block not known before apply cannot be taken apart: every
        // property it would give is unknown.
        if mapping.shape == Shape::Flatten {
            // Each at its own path: a key/value map the block fills keeps
            // what other attributes put there.
            for path in flattened_targets(&mapping.properties) {
                path::set(out, &path, mark(value.clone()));
            }
        } else {
            set(out, value.clone());
        }
        return;
    }
    match mapping.shape {
        Shape::Same => set(out, translate(value, &mapping.values)),
        Shape::PascalKeys => set(out, pascal_keys(value, &mapping.keep_keys_under)),
        Shape::List => {
            let items = match value {
                Value::List(items) => items.clone(),
                scalar => vec![scalar.clone()],
            };
            let items = match &mapping.item_key {
                Some(key) => items
                    .into_iter()
                    .map(|v| Value::Map(Map::from([(key.clone(), v)])))
                    .collect(),
                None => items,
            };
            set(out, Value::List(items));
        }
        Shape::Block => {
            if let Some(block) = first_block(value) {
                set(out, block_value(block, mapping));
            }
        }
        Shape::Blocks => {
            if let Value::List(items) = value
                && !items.is_empty()
            {
                set(
                    out,
                    Value::List(
                        items
                            .iter()
                            .map(|item| block_value(item, mapping))
                            .collect(),
                    ),
                );
            }
        }
        Shape::Flatten => {
            if let Some(Value::Map(block)) = first_block(value) {
                for (k, v) in map_attributes(block, &mapping.properties) {
                    merge(out, k, mark(v));
                }
            }
        }
        Shape::Map => {
            if let Value::List(items) = value {
                let map = entries(items, mapping);
                if !map.is_empty() {
                    set(out, Value::Map(map));
                }
            }
        }
        Shape::PascalBlocks => {
            if let Some(tree) = first_block(value) {
                set(out, pascal_blocks(tree, mapping, ""));
            }
        }
    }
}

/// Blocks → `{item_key: value_key}`, or `{item_key: rest of the block}`.
/// A block without a key is left out: there is nothing to file it under.
fn entries(items: &[Value], mapping: &FullMapping) -> Map {
    let mut map = Map::new();
    let Some(key_attribute) = &mapping.item_key else {
        return map;
    };
    for item in items {
        let (Value::Map(block), sensitive) = item.unmarked() else {
            continue;
        };
        let Some(key) = block.get(key_attribute).and_then(scalar_text) else {
            continue;
        };
        let value = match &mapping.value_key {
            Some(value_attribute) => block.get(value_attribute).cloned().unwrap_or(Value::Null),
            None => {
                let mut rest = block.clone();
                rest.remove(key_attribute);
                block_value(&Value::Map(rest), mapping)
            }
        };
        map.insert(
            key,
            if sensitive {
                value.into_sensitive()
            } else {
                value
            },
        );
    }
    map
}

/// A scalar's text: `8080` is `"8080"`, `true` is `"true"`.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A tree of Terraform blocks as CloudFormation writes it: keys in
/// PascalCase unless `properties` spells them (by `parent.key`, then by
/// `key`), the one-element list of a nested block as the object, and lists
/// where `properties` says `shape: blocks`. A map that is not in a list is a
/// map attribute, taken as it is.
fn pascal_blocks(value: &Value, mapping: &FullMapping, parent: &str) -> Value {
    let Value::Map(block) = value else {
        return value.clone();
    };
    let mut out = Map::new();
    for (key, v) in block {
        if is_unset(v) {
            continue;
        }
        let spelled = mapping
            .properties
            .get(&format!("{parent}.{key}"))
            .or_else(|| mapping.properties.get(key));
        let (name, is_list, values) = match spelled {
            Some(PropertyMapping::Rename(to)) => (to.clone(), false, None),
            Some(PropertyMapping::Full(full)) => (
                full.to
                    .as_ref()
                    .and_then(|p| p.segments().first().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| pascal_words(key)),
                full.shape == Shape::Blocks,
                Some(&full.values),
            ),
            None => (pascal_words(key), false, None),
        };
        let converted = match v {
            Value::List(items) if items.iter().any(|i| matches!(i, Value::Map(_))) => {
                if is_list {
                    Value::List(
                        items
                            .iter()
                            .map(|i| pascal_blocks(i, mapping, key))
                            .collect(),
                    )
                } else {
                    pascal_blocks(&items[0], mapping, key)
                }
            }
            Value::List(items) if items.is_empty() => continue,
            other => values.map_or_else(|| other.clone(), |values| translate(other, values)),
        };
        out.insert(name, converted);
    }
    Value::Map(out)
}

/// `ip_set_reference_statement` → `IpSetReferenceStatement`.
fn pascal_words(key: &str) -> String {
    key.split('_').map(pascal_case).collect()
}

/// Parses a JSON or YAML document held in a string; a string that is not a
/// document (a buildspec's file name) stays as it is.
fn parse_document(value: &mut Value) {
    match value {
        Value::String(text) => {
            let parsed = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .or_else(|| yaml_serde::from_str::<serde_json::Value>(text).ok());
            if let Some(document) = parsed.filter(|d| d.is_object() || d.is_array()) {
                *value = Value::from_json(&document);
            }
        }
        Value::Sensitive(inner) => parse_document(inner),
        _ => {}
    }
}

/// Inserts a property, merging maps with what is already there (several
/// attributes may fill one key/value map such as `TargetGroupAttributes`).
fn merge(out: &mut Map, key: String, value: Value) {
    match (out.get_mut(&key), value) {
        (Some(Value::Map(existing)), Value::Map(more)) => {
            for (k, v) in more {
                merge(existing, k, v);
            }
        }
        (_, value) => {
            out.insert(key, value);
        }
    }
}

/// A nested block's content: its sub-attributes mapped when the table says
/// how, else taken as they are.
fn block_value(block: &Value, mapping: &FullMapping) -> Value {
    match block.unmarked() {
        (Value::Map(map), sensitive) if !mapping.properties.is_empty() => {
            let v = Value::Map(map_attributes(map, &mapping.properties));
            if sensitive { v.into_sensitive() } else { v }
        }
        _ => block.clone(),
    }
}

/// Terraform keeps a single nested block as a one-element list.
fn first_block(value: &Value) -> Option<&Value> {
    match value {
        Value::List(items) => items.first(),
        Value::Map(_) => Some(value),
        _ => None,
    }
}

/// The property paths a flattened block's sub-attributes fill, through
/// flattened blocks inside it.
fn flattened_targets(properties: &BTreeMap<String, PropertyMapping>) -> Vec<Vec<&str>> {
    let mut paths = Vec::new();
    for mapping in properties.values() {
        match mapping {
            PropertyMapping::Rename(to) => paths.push(vec![to.as_str()]),
            PropertyMapping::Full(full) => match &full.to {
                Some(to) => paths.push(to.segments()),
                None => paths.extend(flattened_targets(&full.properties)),
            },
        }
    }
    paths
}

/// Values spelled differently on the two sides (`true` → `ENABLED`).
fn translate(value: &Value, values: &BTreeMap<String, serde_json::Value>) -> Value {
    if values.is_empty() {
        return value.clone();
    }
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        _ => return value.clone(),
    };
    values
        .get(&text)
        .map_or_else(|| value.clone(), Value::from_json)
}

/// Terraform writes unset optional attributes as `null`, and unset strings
/// the provider computes as `""`; CloudFormation leaves both out.
fn is_unset(value: &Value) -> bool {
    matches!(value, Value::Null) || matches!(value, Value::String(s) if s.is_empty())
}

/// Removes what Terraform leaves unknown without the configuration setting
/// it (an unknown that depends on no resource): a value the provider or AWS
/// computes, which the configuration does not describe. CloudFormation
/// leaves the same properties out, and AWS defaults apply to both.
fn drop_computed(map: &mut Map) {
    map.retain(|_, value| {
        match value {
            Value::Map(inner) => drop_computed(inner),
            Value::List(items) => {
                for item in items {
                    if let Value::Map(inner) = item {
                        drop_computed(inner);
                    }
                }
            }
            _ => {}
        }
        !matches!(value, Value::Unknown(u) if u.refs.is_empty())
    });
}

/// Removes map entries that hold nothing (`null`, `[]`, `{}`), at every
/// depth: both tools write "not set" in several ways, and all of them mean
/// the same. List items are kept, since lists may be compared by position.
/// Where empty objects mean something (`keep_objects`), only `null` and
/// `[]` go.
pub(crate) fn prune_empty(map: &mut Map, keep_objects: bool) {
    map.retain(|_, value| {
        prune_value(value, keep_objects);
        // A sensitive nothing (Terraform marks a null `secret_binary`) is
        // nothing.
        let value = value.unmarked().0;
        !matches!(value, Value::Null)
            && !matches!(value, Value::List(l) if l.is_empty())
            && (keep_objects || !matches!(value, Value::Map(m) if m.is_empty()))
    });
}

fn prune_value(value: &mut Value, keep_objects: bool) {
    match value {
        Value::Map(map) => prune_empty(map, keep_objects),
        Value::List(items) => items.iter_mut().for_each(|v| prune_value(v, keep_objects)),
        Value::Sensitive(inner) => prune_value(inner, keep_objects),
        _ => {}
    }
}

/// The table's key/value lists of a type, wherever they are, as maps.
fn key_value_maps(properties: &mut Map, cfn: &CloudFormationType) {
    for at in &cfn.key_value_maps {
        path::for_each_mut(properties, &path::parse(at), &mut |v| *v = key_value_map(v));
    }
}

/// `[{Key, Value}]` (or `[{Name, Value}]`) → `{Key: Value}`; a map stays a
/// map. CloudFormation writes tags, load-balancer attributes and alarm
/// dimensions as lists, Terraform as maps or arguments; as maps they compare
/// key by key. A list whose items hold more than a key and a value is not a
/// map, and stays as it is.
fn key_value_map(value: &Value) -> Value {
    let Value::List(items) = value else {
        return value.clone();
    };
    let mut map = Map::new();
    for item in items {
        let Some(fields) = item.as_map().filter(|f| f.len() == 2) else {
            return value.clone();
        };
        let key = fields
            .get("Key")
            .or_else(|| fields.get("Name"))
            .and_then(Value::as_str);
        match (key, fields.get("Value")) {
            (Some(key), Some(v)) => {
                map.insert(key.to_owned(), v.clone());
            }
            _ => return value.clone(),
        }
    }
    Value::Map(map)
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
