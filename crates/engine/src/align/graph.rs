//! The references between the entities of one side: a service refers to
//! its task definition, the task definition to its roles and log group, a
//! listener to its target group. Alignment reads them as a person does: a
//! pair makes the pairs of its neighbours more likely.
//!
//! An edge comes from a reference (`Ref`, a reference inside a string, what
//! an unknown Terraform value is computed from) or from a value that is
//! another entity's physical name (a container's `awslogs-group` naming a
//! log group the plan knows by name), whole or in the text of a template
//! (`service/${cluster}/orders`). References to resources folded into a
//! parent are edges to the parent.

use std::collections::BTreeSet;

use parity_mapping::Entity;
use parity_model::{ResourceId, TemplatePart, Value};

use super::ids::FastMap;
use super::names::Names;

/// One neighbour of an entity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub neighbour: usize,
    /// The top-level property the reference is in, on the referring side.
    pub property: String,
    /// Whether this entity refers to the neighbour (else the neighbour
    /// refers to it).
    pub outgoing: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Each entity's edges, sorted (by neighbour, property, direction)
    /// and distinct: scoring looks them up by halving.
    pub edges: Vec<Vec<Edge>>,
}

/// Physical names shorter than this are not read as references to the
/// entity they name (`default`, `app`).
const MIN_NAME_LEN: usize = 6;

impl Graph {
    pub fn build(entities: &[Entity], vocabulary: &Names) -> Graph {
        // Only looked up, never walked: their order does not matter.
        let mut targets: FastMap<String, BTreeSet<usize>> = FastMap::default();
        for (i, entity) in entities.iter().enumerate() {
            for id in std::iter::once(&entity.id).chain(&entity.folded) {
                match id {
                    ResourceId::Terraform { address } => {
                        targets.entry(address.clone()).or_default().insert(i);
                        // References in the configuration may leave the
                        // instance key out.
                        if let Some(base) = without_instance_key(address) {
                            targets.entry(base.to_owned()).or_default().insert(i);
                        }
                    }
                    ResourceId::CloudFormation { stack, logical_id } => {
                        targets.entry(logical_id.clone()).or_default().insert(i);
                        targets
                            .entry(format!("{stack}/{logical_id}"))
                            .or_default()
                            .insert(i);
                    }
                }
            }
        }
        // The entities each physical name names.
        let mut names: FastMap<String, BTreeSet<usize>> = FastMap::default();
        for (i, entity) in entities.iter().enumerate() {
            for name in vocabulary.physical(entity) {
                if name.len() >= MIN_NAME_LEN {
                    names.entry(name).or_default().insert(i);
                }
            }
        }
        let mut edges: Vec<BTreeSet<Edge>> = vec![BTreeSet::new(); entities.len()];
        for (i, entity) in entities.iter().enumerate() {
            // `aws_x.a[1]` referring to `aws_y.b` (no key) means `aws_y.b[1]`
            // when there is one: `count.index` and `each.key` line up.
            let own_key = match &entity.id {
                ResourceId::Terraform { address } => instance_key(address),
                ResourceId::CloudFormation { .. } => None,
            };
            for (key, value) in &entity.properties {
                let mut found = Vec::new();
                references(value, &mut found);
                let mut to: BTreeSet<usize> = BTreeSet::new();
                for target in found {
                    let keyed = own_key.and_then(|k| targets.get(&format!("{target}{k}")));
                    match keyed.or_else(|| targets.get(target)) {
                        Some(set) if set.len() <= MAX_TARGETS => to.extend(set),
                        _ => {}
                    }
                }
                // A value naming another entity (not the entity's own
                // name): a service's container name, a container's log
                // group. A name many entities share says nothing.
                // Tags label; they do not link.
                if !vocabulary.is_name_key(key) && key != "Tags" {
                    let mut strings = Vec::new();
                    strings_in(value, &mut strings);
                    // A name inside an ARN or a path counts too
                    // (`service/cluster/orders` names the service).
                    let parts = strings.iter().flat_map(|s| {
                        let parts: Vec<&str> = if s.contains(['/', ':']) {
                            s.split(['/', ':']).filter(|p| !p.is_empty()).collect()
                        } else {
                            Vec::new()
                        };
                        std::iter::once(*s).chain(parts)
                    });
                    for s in parts {
                        if let Some(set) = names.get(s) {
                            let others = set.iter().filter(|j| **j != i).count();
                            if (1..=MAX_TARGETS).contains(&others) {
                                to.extend(set);
                            }
                        }
                    }
                }
                for j in to {
                    if j == i {
                        continue;
                    }
                    edges[i].insert(Edge {
                        neighbour: j,
                        property: key.clone(),
                        outgoing: true,
                    });
                    edges[j].insert(Edge {
                        neighbour: i,
                        property: key.clone(),
                        outgoing: false,
                    });
                }
            }
        }
        Graph {
            edges: edges.into_iter().map(|e| e.into_iter().collect()).collect(),
        }
    }

    /// How many neighbours an entity has: a resource everything refers to
    /// (a VPC) says little about which of its neighbours is which.
    pub fn degree(&self, i: usize) -> usize {
        self.edges[i].len()
    }
}

/// A reference without an instance key that would name more instances than
/// this is no evidence of which.
const MAX_TARGETS: usize = 4;

/// `aws_x.y["k"]` → `["k"]`.
fn instance_key(address: &str) -> Option<&str> {
    without_instance_key(address).map(|base| &address[base.len()..])
}

/// `module.a["k"].aws_x.y[0]` → `module.a["k"].aws_x.y`.
fn without_instance_key(address: &str) -> Option<&str> {
    let base = address.strip_suffix(']')?;
    let at = base.rfind('[')?;
    Some(&address[..at])
}

fn references<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
    match value {
        Value::Ref(r) => out.push(&r.target),
        Value::Unknown(u) => out.extend(u.refs.iter().map(String::as_str)),
        Value::Template(parts) => {
            for part in parts {
                match part {
                    TemplatePart::Ref(r) => out.push(&r.target),
                    TemplatePart::Unknown(u) => out.extend(u.refs.iter().map(String::as_str)),
                    TemplatePart::Literal(_) => {}
                }
            }
        }
        Value::List(items) => items.iter().for_each(|v| references(v, out)),
        Value::Map(map) => map.values().for_each(|v| references(v, out)),
        Value::Sensitive(inner) => references(inner, out),
        Value::Conditional(c) => {
            for branch in [&c.if_true, &c.if_false].into_iter().flatten() {
                references(branch, out);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) | Value::Masked(_) => {}
    }
}

/// Known strings, sensitive ones left out.
fn strings_in<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
    match value {
        Value::String(s) => out.push(s),
        // The text around a reference or an unknown part names what it
        // names as a whole string does (`service/${cluster}/orders`).
        Value::Template(parts) => out.extend(parts.iter().filter_map(|part| match part {
            TemplatePart::Literal(text) => Some(text.as_str()),
            _ => None,
        })),
        Value::List(items) => items.iter().for_each(|v| strings_in(v, out)),
        Value::Map(map) => map.values().for_each(|v| strings_in(v, out)),
        Value::Conditional(c) => {
            for branch in [&c.if_true, &c.if_false].into_iter().flatten() {
                strings_in(branch, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_keys_come_off_the_end_only() {
        assert_eq!(
            without_instance_key("module.a[\"k\"].aws_x.y[0]"),
            Some("module.a[\"k\"].aws_x.y")
        );
        assert_eq!(without_instance_key("aws_x.y"), None);
        assert_eq!(instance_key("aws_x.y[\"k\"]"), Some("[\"k\"]"));
    }

    #[test]
    fn a_name_in_the_text_around_an_unknown_part_links_as_in_a_whole_string() {
        use parity_model::{Area, Unknown};
        let entity = |address: &str, canonical_type: &str, key: &str, value: Value| Entity {
            id: ResourceId::Terraform {
                address: address.to_owned(),
            },
            source_type: String::new(),
            canonical_type: canonical_type.to_owned(),
            area: Area::Other,
            properties: [(key.to_owned(), value)].into_iter().collect(),
            action: None,
            construct_path: None,
            folded: Vec::new(),
        };
        // A scalable target's ID: the cluster known only after apply, the
        // service by its name.
        let resource_id = Value::template([
            "service/".into(),
            TemplatePart::Unknown(Unknown::default()),
            "/orders-service".into(),
        ]);
        let entities = [
            entity(
                "aws_ecs_service.orders",
                "AWS::ECS::Service",
                "ServiceName",
                Value::from("orders-service"),
            ),
            entity(
                "aws_appautoscaling_target.orders",
                "AWS::ApplicationAutoScaling::ScalableTarget",
                "ResourceId",
                resource_id,
            ),
        ];
        let graph = Graph::build(&entities, &Names::builtin().unwrap());
        assert_eq!(
            graph.edges[1],
            vec![Edge {
                neighbour: 0,
                property: "ResourceId".to_owned(),
                outgoing: true
            }]
        );
    }
}
