//! Folding: a resource that one side keeps standalone (an IAM policy, a
//! security-group rule, an EFS file-system policy) goes where the other side
//! keeps it, inside its parent, on both sides alike.

use std::collections::BTreeMap;

use parity_model::{Map, Ref, ResourceId, TemplatePart, Value};

use crate::table::{FoldAction, FoldValue};
use crate::{Canonical, Diagnostic, Fold, Table};

/// Folds every entity that has a fold rule into its parent(s). An entity
/// whose parent cannot be found stays as it is, with a diagnostic.
pub fn fold_all(out: &mut Canonical, folds: &[Option<Fold>], table: &Table) {
    let mut folded_away = vec![false; out.entities.len()];
    // The entities of each canonical type, in order: a child's parent is
    // looked for among the entities of the parent's type only, not all.
    let mut of_type: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, entity) in out.entities.iter().enumerate() {
        of_type
            .entry(entity.canonical_type.clone())
            .or_default()
            .push(i);
    }
    for (child, rule) in folds.iter().enumerate() {
        let Some(rule) = rule else { continue };
        let candidates = of_type.get(&rule.into).map_or(&[][..], Vec::as_slice);
        let parents = find_parents(out, child, rule, candidates);
        if parents.is_empty() {
            let entity = &mut out.entities[child];
            let alone = rule.alone.as_ref().and_then(|alone| {
                let kind = entity.properties.get(&alone.by).and_then(Value::as_str)?;
                alone.types.get(kind)
            });
            let compared_as = match alone {
                Some(resource_type) => {
                    // Kept in order by index: the lists are searched in it.
                    if let Some(list) = of_type.get_mut(&entity.canonical_type) {
                        list.retain(|i| *i != child);
                    }
                    let list = of_type.entry(resource_type.clone()).or_default();
                    let at = list.partition_point(|i| *i < child);
                    list.insert(at, child);
                    entity.canonical_type = resource_type.clone();
                    entity.area = table.area(resource_type);
                    format!(" as {resource_type}")
                }
                None => String::new(),
            };
            out.diagnostics.push(Diagnostic {
                id: entity.id.clone(),
                message: format!(
                    "cannot tell which {} it belongs to (through its {}); it is compared on its own{compared_as}",
                    rule.into, rule.parent
                ),
            });
            continue;
        }
        let mut child_properties = out.entities[child].properties.clone();
        let child_id = out.entities[child].id.clone();
        let reference = reference_to(&child_id, &out.entities[child].source_type, table);
        child_properties.insert(SELF_REFERENCE.to_owned(), Value::Ref(reference));
        for parent in parents {
            let entity = &mut out.entities[parent];
            apply(
                &rule.action,
                &rule.parent,
                &child_properties,
                &mut entity.properties,
            );
            entity.folded.push(child_id.clone());
        }
        if rule.keep {
            out.entities[child].properties.remove(&rule.parent);
        } else {
            folded_away[child] = true;
        }
    }
    let mut index = 0;
    out.entities.retain(|_| {
        let keep = !folded_away[index];
        index += 1;
        keep
    });
}

/// The entities a child's parent property points at: by reference, by the
/// references of an unknown value, or through one of the parent's `by`
/// properties: a literal or a template equal to it, or a reference both
/// make to the same third resource.
/// `of_type` lists the entities of the parent's type (`rule.into`), in
/// order.
fn find_parents(out: &Canonical, child: usize, rule: &Fold, of_type: &[usize]) -> Vec<usize> {
    let entity = &out.entities[child];
    let Some(value) = entity.properties.get(&rule.parent) else {
        return Vec::new();
    };
    let values: Vec<&Value> = match value.unmarked().0 {
        Value::List(items) => items.iter().collect(),
        other => vec![other],
    };
    let is_parent = |i: &usize| {
        *i != child
            && out.entities[*i].canonical_type == rule.into
            && out.entities[*i].side() == entity.side()
    };
    let mut parents = Vec::new();
    for value in values {
        // A string built the same way on both (the same literals around the
        // same references and unknowns): a scaling policy's resource ID
        // `service/<cluster>/<name>`, whose cluster every scalable target's
        // ID names too, so that the cluster alone would not tell which.
        if let Value::Template(_) = value.unmarked().0 {
            let same = of_type.iter().copied().filter(is_parent).find(|i| {
                rule.by.iter().any(|p| {
                    out.entities[*i]
                        .properties
                        .get(p)
                        .is_some_and(|v| v.unmarked().0 == value.unmarked().0)
                })
            });
            if let Some(i) = same {
                parents.push(i);
                continue;
            }
        }
        let targets: Vec<&str> = match value.unmarked().0 {
            Value::Ref(r) => vec![r.target.as_str()],
            Value::Template(parts) => parts
                .iter()
                .filter_map(|p| match p {
                    TemplatePart::Ref(r) => Some(r.target.as_str()),
                    TemplatePart::Unknown(u) => u.refs.first().map(String::as_str),
                    TemplatePart::Literal(_) => None,
                })
                .collect(),
            Value::Unknown(u) => u.refs.iter().map(String::as_str).collect(),
            Value::String(literal) => {
                let found = of_type.iter().copied().filter(is_parent).find(|i| {
                    rule.by.iter().any(|p| {
                        out.entities[*i].properties.get(p).and_then(Value::as_str) == Some(literal)
                    })
                });
                parents.extend(found);
                continue;
            }
            _ => Vec::new(),
        };
        for target in targets {
            let by_reference = || {
                of_type.iter().copied().filter(is_parent).find(|i| {
                    rule.by.iter().any(|p| {
                        out.entities[*i]
                            .properties
                            .get(p)
                            .is_some_and(|v| refers_to(v, target))
                    })
                })
            };
            if let Some(i) = of_type
                .iter()
                .copied()
                .filter(is_parent)
                .find(|i| names(&out.entities[*i].id, target))
                .or_else(by_reference)
            {
                parents.push(i);
            }
        }
    }
    parents.sort_unstable();
    parents.dedup();
    parents
}

/// Whether a value is, or is computed from, a reference to `target`.
fn refers_to(value: &Value, target: &str) -> bool {
    match value.unmarked().0 {
        Value::Ref(r) => r.target == target,
        Value::Unknown(u) => u.refs.iter().any(|r| r == target),
        Value::Template(parts) => parts.iter().any(|p| match p {
            TemplatePart::Ref(r) => r.target == target,
            TemplatePart::Unknown(u) => u.refs.iter().any(|r| r == target),
            TemplatePart::Literal(_) => false,
        }),
        _ => false,
    }
}

/// The fold value that stands for a reference to the folded resource.
const SELF_REFERENCE: &str = "@ref";

/// What a `Ref` to this resource looks like on its own side.
fn reference_to(id: &ResourceId, source_type: &str, table: &Table) -> Ref {
    match id {
        ResourceId::Terraform { address } => {
            let attribute = table
                .terraform_type(source_type)
                .and_then(|t| t.ref_attribute.clone());
            Ref {
                target: address.clone(),
                attribute,
            }
        }
        ResourceId::CloudFormation { logical_id, .. } => Ref::resource(logical_id.clone()),
    }
}

/// Whether a reference target names this resource: a Terraform address, a
/// logical ID, or a stack-qualified logical ID.
fn names(id: &ResourceId, target: &str) -> bool {
    match id {
        ResourceId::Terraform { address } => address == target,
        ResourceId::CloudFormation { stack, logical_id } => {
            logical_id == target
                || target
                    .strip_prefix(stack.as_str())
                    .and_then(|t| t.strip_prefix('/'))
                    == Some(logical_id)
        }
    }
}

fn apply(action: &FoldAction, parent_property: &str, child: &Map, parent: &mut Map) {
    match action {
        FoldAction::Append(items) => {
            for (list, item) in items {
                if let Some(v) = build(item, parent_property, child) {
                    append(parent, list, v);
                }
            }
        }
        FoldAction::Set(values) => {
            for (property, value) in values {
                if let Some(v) = build(value, parent_property, child) {
                    parent.insert(property.clone(), v);
                }
            }
        }
        FoldAction::AppendBy {
            property,
            lists,
            item,
        } => {
            let list = child
                .get(property)
                .and_then(Value::as_str)
                .and_then(|kind| lists.get(kind));
            if let (Some(list), Some(v)) = (list, build(item, parent_property, child)) {
                append(parent, list, v);
            }
        }
    }
}

/// Appends to a list property, once. A list unknown before apply on the
/// parent (Terraform computes a role's inline policies when they are managed
/// elsewhere) is what the folded resources make it: it starts empty.
fn append(parent: &mut Map, list: &str, item: Value) {
    let slot = parent
        .entry(list.to_owned())
        .or_insert_with(|| Value::List(Vec::new()));
    if !matches!(slot, Value::List(_)) {
        *slot = Value::List(Vec::new());
    }
    // A state lists what is managed standalone in its parent too (a route
    // table's routes): the same item folded in again is not a second one.
    if let Value::List(items) = slot
        && !items.contains(&item)
    {
        items.push(item);
    }
}

fn build(value: &FoldValue, parent_property: &str, child: &Map) -> Option<Value> {
    match value {
        FoldValue::Property(name) if name == "." => {
            let mut rest = child.clone();
            rest.remove(parent_property);
            rest.remove(SELF_REFERENCE);
            Some(Value::Map(rest))
        }
        FoldValue::Property(name) => child.get(name).cloned(),
        FoldValue::Map(fields) => Some(Value::Map(
            fields
                .iter()
                .filter_map(|(to, from)| child.get(from).map(|v| (to.clone(), v.clone())))
                .collect(),
        )),
    }
}
