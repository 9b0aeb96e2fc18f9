//! Candidate groups: a large block of same-type entities split into the
//! groups whose members could be twins, so that similarity is scored only
//! inside small groups and work grows with the input, not its square.
//!
//! Two entities are candidates when they share a distinctive literal
//! property value (the same subnet, the same port and path); the groups are
//! the connected components of that relation.

use std::collections::{BTreeMap, BTreeSet};

use parity_mapping::Entity;
use parity_model::Value;

use crate::values::References;

/// A value shared by more entities than this says nothing about which is
/// which (`Protocol: HTTP`).
const MAX_SHARING: usize = 16;

/// The most candidates kept for one entity (those that share the most).
const MAX_CANDIDATES: usize = 8;

/// Groups of (Terraform, CloudFormation) entity indexes, each sorted, in a
/// stable order. Entities that share nothing with the other side form no
/// group: there is no evidence to pair them by.
pub fn groups(
    terraform: &[Entity],
    tf_block: &[usize],
    cloudformation: &[Entity],
    cfn_block: &[usize],
    refs: &References<'_>,
) -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut by_feature: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (at, i) in cfn_block.iter().enumerate() {
        for feature in features(&cloudformation[*i], &|target| refs.qualified_target(target)) {
            by_feature.entry(feature).or_default().push(at);
        }
    }
    // Union-find over Terraform entities (0..n) and CloudFormation ones
    // (n..n+m) of the block.
    let n = tf_block.len();
    let mut parent: Vec<usize> = (0..n + cfn_block.len()).collect();
    for (t, i) in tf_block.iter().enumerate() {
        let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
        for feature in features(&terraform[*i], &|address| refs.twin_target(address)) {
            if let Some(list) = by_feature.get(&feature).filter(|l| l.len() <= MAX_SHARING) {
                for c in list {
                    *shared.entry(*c).or_default() += 1;
                }
            }
        }
        // Only the candidates that share the most: weaker links would chain
        // unrelated entities into one large group.
        let best = shared.values().copied().max().unwrap_or(0);
        let strongest = shared
            .into_iter()
            .filter(|(_, count)| *count == best)
            .take(MAX_CANDIDATES);
        for (c, _) in strongest {
            union(&mut parent, t, n + c);
        }
    }
    let mut components: BTreeMap<usize, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (t, i) in tf_block.iter().enumerate() {
        components
            .entry(find(&mut parent, t))
            .or_default()
            .0
            .push(*i);
    }
    for (c, i) in cfn_block.iter().enumerate() {
        components
            .entry(find(&mut parent, n + c))
            .or_default()
            .1
            .push(*i);
    }
    components
        .into_values()
        .filter(|(t, c)| !t.is_empty() && !c.is_empty())
        .collect()
}

/// The known literal values of an entity, as `property=value`; tags label
/// and are left out.
pub fn literal_features(entity: &Entity) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (key, value) in entity.properties.iter().filter(|(k, _)| *k != "Tags") {
        collect(key, value, 2, &|_| None, &mut out);
    }
    out
}

/// `property=value` for every literal scalar two levels deep at most (lists
/// of objects included), and `property=>twin` for references to resources
/// already paired: `twin` maps a reference target (a Terraform address, a
/// logical ID) to the CloudFormation target both sides share, if any.
fn features(entity: &Entity, twin: &dyn Fn(&str) -> Option<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (key, value) in &entity.properties {
        collect(key, value, 2, twin, &mut out);
    }
    out
}

fn collect(
    path: &str,
    value: &Value,
    depth: usize,
    twin: &dyn Fn(&str) -> Option<String>,
    out: &mut BTreeSet<String>,
) {
    match value.unmarked() {
        // Sensitive values are no features: nothing derived from them is kept.
        (_, true) => {}
        (Value::String(s), _) => {
            out.insert(format!("{path}={s}"));
        }
        (Value::Number(n), _) => {
            out.insert(format!("{path}={n}"));
        }
        (Value::Ref(r), _) => out.extend(twin(&r.target).map(|t| format!("{path}=>{t}"))),
        (Value::Unknown(u), _) => out.extend(
            u.refs
                .iter()
                .filter_map(|r| twin(r))
                .map(|t| format!("{path}=>{t}")),
        ),
        (Value::Template(parts), _) => {
            for part in parts {
                if let parity_model::TemplatePart::Ref(r) = part {
                    out.extend(twin(&r.target).map(|t| format!("{path}=>{t}")));
                }
            }
        }
        (Value::List(items), _) => {
            for item in items {
                collect(path, item, depth, twin, out);
            }
        }
        (Value::Map(map), _) if depth > 0 => {
            for (key, v) in map {
                collect(&format!("{path}.{key}"), v, depth - 1, twin, out);
            }
        }
        _ => {}
    }
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut root = i;
    while parent[root] != root {
        root = parent[root];
    }
    let mut at = i;
    while parent[at] != root {
        let next = parent[at];
        parent[at] = root;
        at = next;
    }
    root
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    // The smaller index is the root, so that components are found in the
    // same way whatever the order of the unions.
    if ra < rb {
        parent[rb] = ra;
    } else {
        parent[ra] = rb;
    }
}
