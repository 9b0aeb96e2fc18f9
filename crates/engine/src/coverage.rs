//! How much of each area was actually compared: the pairs of the area's
//! resource types and the resources of them that have no twin, and for the
//! parts of resources that belong to another area (a container's
//! environment, its secrets, its mount points) how many items were compared
//! and why the others were not. A report must never call an area in sync
//! when part of it was never looked at.

use std::collections::BTreeMap;

use parity_mapping::Entity;
use parity_model::{Area, Value};

use crate::Alignment;
use crate::diff::{key_text, maybe_absent};
use crate::rules::{ListRule, Rules};

/// What was compared in one area.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AreaCoverage {
    /// Per resource type of the area, in type order.
    pub resources: Vec<ResourceCoverage>,
    /// Per part that other types hold for the area, in type order.
    pub parts: Vec<PartCoverage>,
}

/// The resources of one type: paired, or on one side only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceCoverage {
    pub resource_type: String,
    /// What reports call these resources (`target groups`).
    pub words: String,
    pub paired: usize,
    /// Pairs made on evidence too weak to trust without a look.
    pub uncertain: usize,
    pub only_terraform: usize,
    pub only_cloudformation: usize,
}

/// The items of a list that hold a part of the area (the containers of
/// task definitions, for the environment): how many were compared, and why
/// the others were not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartCoverage {
    pub resource_type: String,
    /// The list whose items are counted (`ContainerDefinitions`).
    pub items: String,
    /// What reports call the items (`containers`).
    pub words: String,
    /// What reports call the resources that hold them (`task definitions`).
    pub holders: String,
    /// The properties of an item that belong to the area (`Environment`,
    /// `EnvironmentFiles`); empty when the whole item does.
    pub properties: Vec<String>,
    /// Items on both sides of a pair whose part is known on both.
    pub compared: usize,
    /// Items of resources that have no twin.
    pub unpaired: usize,
    /// Items that one side of a pair has and the other has not.
    pub one_sided: usize,
    /// Items whose part one side knows only after apply or deploy.
    pub unknown: usize,
}

impl PartCoverage {
    pub fn not_compared(&self) -> usize {
        self.unpaired + self.one_sided + self.unknown
    }

    pub fn total(&self) -> usize {
        self.compared + self.not_compared()
    }
}

impl ResourceCoverage {
    pub fn total(&self) -> usize {
        self.paired + self.only_terraform + self.only_cloudformation
    }
}

impl AreaCoverage {
    /// Whether something of the area exists on either side.
    pub fn is_empty(&self) -> bool {
        self.resources.iter().all(|r| r.total() == 0) && self.parts.iter().all(|p| p.total() == 0)
    }

    /// Whether something of the area exists and none of it was compared.
    pub fn compared_nothing(&self) -> bool {
        !self.is_empty()
            && self.resources.iter().all(|r| r.paired == 0)
            && self.parts.iter().all(|p| p.compared == 0)
    }

    /// Whether some of the area was not compared: resources without a
    /// twin, or items of the area's parts.
    pub fn is_partial(&self) -> bool {
        self.resources.iter().any(|r| r.paired < r.total())
            || self.parts.iter().any(|p| p.not_compared() > 0)
    }
}

/// A part of a type that belongs to an area: `ContainerDefinitions.*.Environment`
/// is the items `ContainerDefinitions`, their property `Environment`.
struct Part<'a> {
    area: Area,
    resource_type: &'a str,
    items: Vec<String>,
    properties: Vec<Vec<String>>,
}

/// The coverage of each of `areas`.
pub fn coverage(
    rules: &Rules,
    terraform: &[Entity],
    cloudformation: &[Entity],
    alignment: &Alignment,
    areas: &[Area],
) -> BTreeMap<Area, AreaCoverage> {
    let mut out: BTreeMap<Area, AreaCoverage> = areas
        .iter()
        .map(|a| (*a, AreaCoverage::default()))
        .collect();

    let mut resources: BTreeMap<(Area, String), ResourceCoverage> = BTreeMap::new();
    let mut count = |entity: &Entity, f: &dyn Fn(&mut ResourceCoverage)| {
        let entry = resources
            .entry((entity.area, entity.canonical_type.clone()))
            .or_insert_with(|| ResourceCoverage {
                resource_type: entity.canonical_type.clone(),
                words: rules.words(&entity.canonical_type),
                paired: 0,
                uncertain: 0,
                only_terraform: 0,
                only_cloudformation: 0,
            });
        f(entry);
    };
    for pair in &alignment.pairs {
        let uncertain = usize::from(pair.uncertain());
        count(&terraform[pair.terraform], &|r| {
            r.paired += 1;
            r.uncertain += uncertain;
        });
    }
    for i in &alignment.only_terraform {
        count(&terraform[*i], &|r| r.only_terraform += 1);
    }
    for i in &alignment.only_cloudformation {
        count(&cloudformation[*i], &|r| r.only_cloudformation += 1);
    }
    for ((area, _), r) in resources {
        if let Some(c) = out.get_mut(&area) {
            c.resources.push(r);
        }
    }

    for part in parts(rules) {
        let Some(c) = out.get_mut(&part.area) else {
            continue;
        };
        let (key, pair_lone) = match rules.for_type(part.resource_type).list(&part.items) {
            Some(ListRule::Keyed { key, pair_lone, .. }) => (key.clone(), *pair_lone),
            _ => (Vec::new(), false),
        };
        let list = part.items.join(".");
        let mut covered = PartCoverage {
            resource_type: part.resource_type.to_owned(),
            words: rules.item_words(part.resource_type, &list),
            holders: rules.words(part.resource_type),
            items: list,
            properties: part.properties.iter().map(|p| p.join(".")).collect(),
            compared: 0,
            unpaired: 0,
            one_sided: 0,
            unknown: 0,
        };
        let of_type = |e: &Entity| e.canonical_type == part.resource_type;
        for pair in &alignment.pairs {
            let (t, k) = (
                &terraform[pair.terraform],
                &cloudformation[pair.cloudformation],
            );
            if of_type(t) {
                compare_items(&part, (&key, pair_lone), t, k, &mut covered);
            }
        }
        for e in alignment
            .only_terraform
            .iter()
            .map(|i| &terraform[*i])
            .chain(
                alignment
                    .only_cloudformation
                    .iter()
                    .map(|i| &cloudformation[*i]),
            )
            .filter(|e| of_type(e))
        {
            covered.unpaired += match items(e, &part.items) {
                Items::Unknown => 1,
                Items::Known(list) => list.iter().filter(|v| part.holds(v)).count(),
            };
        }
        if covered.total() > 0 {
            c.parts.push(covered);
        }
    }
    out
}

/// The parts of every type that belong to an area other than the type's
/// own, as `comparison.yaml` routes them; the properties of one list's
/// items that go to one area are one part.
fn parts(rules: &Rules) -> Vec<Part<'_>> {
    let mut parts: Vec<Part<'_>> = Vec::new();
    for (resource_type, type_rules) in rules.types() {
        for (pattern, area) in type_rules.area_patterns() {
            let (items, property) = match pattern.iter().position(|s| s == "*") {
                Some(star) => (pattern[..star].to_vec(), pattern[star + 1..].to_vec()),
                None => (pattern.to_vec(), Vec::new()),
            };
            match parts
                .iter_mut()
                .find(|p| p.area == area && p.resource_type == resource_type && p.items == items)
            {
                Some(p) => p.properties.push(property),
                None => parts.push(Part {
                    area,
                    resource_type,
                    items,
                    properties: vec![property],
                }),
            }
        }
    }
    parts
}

impl Part<'_> {
    /// Whether an item has something of the area: any of its properties,
    /// or itself when the whole item belongs to the area. A container
    /// without environment variables has no environment to compare.
    fn holds(&self, item: &Value) -> bool {
        self.properties.iter().any(|p| at(item, p).is_some())
    }

    /// Whether an item's part is unknown as a whole on this side (an
    /// unknown leaf inside it is an unverifiable value, not a part left
    /// uncompared).
    fn unknown_in(&self, item: &Value) -> bool {
        self.properties.iter().any(|p| {
            at(item, p).is_some_and(|v| {
                matches!(v.unmarked().0, Value::Unknown(_))
                    || (matches!(v.unmarked().0, Value::Template(_)) && v.contains_unknown())
            })
        })
    }
}

enum Items<'a> {
    Known(Vec<&'a Value>),
    /// The list itself is known only after apply or deploy.
    Unknown,
}

fn at<'a>(value: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

fn items<'a>(entity: &'a Entity, path: &[String]) -> Items<'a> {
    let Some((first, rest)) = path.split_first() else {
        return Items::Known(Vec::new());
    };
    let Some(value) = entity.properties.get(first).and_then(|v| at(v, rest)) else {
        return Items::Known(Vec::new());
    };
    match value.unmarked().0 {
        Value::List(list) => Items::Known(list.iter().collect()),
        Value::Unknown(_) | Value::Template(_) => Items::Unknown,
        _ if value.contains_unknown() => Items::Unknown,
        _ => Items::Known(vec![value]),
    }
}

/// Counts the items of `part` in a pair of resources, paired as the diff
/// pairs them: by `key`, and with `pair_lone` the one item left on each
/// side with each other.
fn compare_items<'a>(
    part: &Part<'_>,
    (key, pair_lone): (&[String], bool),
    terraform: &'a Entity,
    cloudformation: &'a Entity,
    out: &mut PartCoverage,
) {
    match (
        items(terraform, &part.items),
        items(cloudformation, &part.items),
    ) {
        (Items::Unknown, Items::Unknown) => out.unknown += 1,
        (Items::Unknown, Items::Known(list)) | (Items::Known(list), Items::Unknown) => {
            out.unknown += list.len().max(1);
        }
        (Items::Known(a), Items::Known(b)) => {
            // Borrowed: a container definition is not copied to be counted.
            let by_key = |list: Vec<&'a Value>| -> BTreeMap<String, &'a Value> {
                list.into_iter()
                    .enumerate()
                    .map(|(i, v)| (key_text(v, key, i), v))
                    .collect()
            };
            let (a, b) = (by_key(a), by_key(b));
            let only_a: Vec<&'a Value> = a
                .iter()
                .filter(|(k, _)| !b.contains_key(*k))
                .map(|(_, x)| *x)
                .collect();
            let only_b: Vec<&'a Value> = b
                .iter()
                .filter(|(k, _)| !a.contains_key(*k))
                .map(|(_, y)| *y)
                .collect();
            let twins = a.iter().filter_map(|(name, x)| Some((*x, *b.get(name)?)));
            let lone = match (only_a.as_slice(), only_b.as_slice()) {
                ([x], [y]) if pair_lone && !maybe_absent(y) => Some((*x, *y)),
                _ => None,
            };
            for (x, y) in twins.chain(lone) {
                if !part.holds(x) && !part.holds(y) {
                    continue;
                }
                if part.unknown_in(x) || part.unknown_in(y) {
                    out.unknown += 1;
                } else {
                    out.compared += 1;
                }
            }
            if lone.is_none() {
                out.one_sided += only_a
                    .iter()
                    .chain(&only_b)
                    .filter(|v| part.holds(v))
                    .count();
            }
        }
    }
}
