//! Candidate groups: a large block of same-type entities split into the
//! groups whose members could be twins, so that the full evidence is scored
//! only inside small groups and work grows with the input, not its square.
//!
//! Each entity's candidates are found cheaply, from the same evidence the
//! score weighs: the words of its names, its known literal values and its
//! neighbours that are twins already, each weighted by how distinctive it
//! is in the block (a word or value many entities have links none of them).
//! An entity keeps its strongest candidates; the groups are the connected
//! components of that relation. A component still too large to score whole
//! is split again keeping fewer, stronger candidates per entity, down to
//! each entity's best one.

use std::collections::{BTreeMap, BTreeSet};

use parity_mapping::Entity;
use parity_model::Value;

use super::evidence::Scorer;
use super::ids::FastMap;

/// A word, value or neighbour shared by more entities of the block than
/// this (on both sides together) links no candidates: it is too common to
/// say which is which (`Protocol: HTTP`, the VPC every subnet refers to),
/// and following it would make the work grow with the square of the input.
/// Such items still count in each entity's total.
const MAX_SHARING: usize = 64;

/// The candidates an entity keeps, loosest first: at most this many, each
/// scoring at least this share of the entity's best. A component larger
/// than the caller's bound is split again at the next level.
const LEVELS: &[(usize, f64)] = &[(8, 0.5), (4, 0.7), (2, 0.85), (1, 1.0)];

/// What links a candidate pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Feature<'a> {
    /// Ids, in the order of their text.
    Word(u32),
    Value(u32),
    /// A neighbour paired already, by its CloudFormation twin's index and
    /// the direction of the reference.
    Neighbour(usize, bool),
    /// The same, through a property.
    NeighbourVia(usize, bool, &'a str),
}

/// Groups of (Terraform, CloudFormation) entity indexes, each sorted, in a
/// stable order, none larger than `max` on either side unless even the
/// entities' best candidates alone chain that many together. Entities that
/// share nothing with the other side form no group: there is no evidence
/// to pair them by. `tf_block` and `cfn_block` are in a stable order (by
/// name): ties are broken by it, so the input order does not matter.
pub fn groups(
    scorer: &Scorer<'_>,
    tf_block: &[usize],
    cfn_block: &[usize],
    max: usize,
) -> Vec<(Vec<usize>, Vec<usize>)> {
    let n = tf_block.len();
    let tf_features: Vec<Vec<Feature<'_>>> = tf_block
        .iter()
        .map(|t| {
            features(
                &scorer.tf_words[*t],
                &scorer.tf_values[*t],
                scorer.tf_graph.edges[*t]
                    .iter()
                    .filter_map(|e| Some((scorer.tf_partner[e.neighbour]?, e))),
            )
        })
        .collect();
    let cfn_features: Vec<Vec<Feature<'_>>> = cfn_block
        .iter()
        .map(|c| {
            features(
                &scorer.cfn_words[*c],
                &scorer.cfn_values[*c],
                scorer.cfn_graph.edges[*c]
                    .iter()
                    .filter(|e| scorer.cfn_partner[e.neighbour].is_some())
                    .map(|e| (e.neighbour, e)),
            )
        })
        .collect();

    // Each distinct feature as a number, in the order met, and who has
    // it, on each side (positions in the blocks). The map is only looked
    // up, never walked: its order does not matter.
    let mut numbers: FastMap<Feature<'_>, usize> = FastMap::default();
    let mut holders: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut numbered: [Vec<Vec<usize>>; 2] = [Vec::new(), Vec::new()];
    for (side, lists) in [&tf_features, &cfn_features].into_iter().enumerate() {
        numbered[side] = lists
            .iter()
            .enumerate()
            .map(|(at, list)| {
                list.iter()
                    .map(|f| {
                        let id = *numbers.entry(*f).or_insert_with(|| {
                            holders.push(Default::default());
                            holders.len() - 1
                        });
                        let (t, c) = &mut holders[id];
                        if side == 0 { t } else { c }.push(at);
                        id
                    })
                    .collect()
            })
            .collect();
    }
    let [tf_features, cfn_features] = numbered;
    let total = (n + cfn_block.len()) as f64;
    let weights: Vec<f64> = holders
        .iter()
        .map(|(t, c)| (1.0 + total / (t.len() + c.len()) as f64).ln() / (1.0 + total).ln())
        .collect();
    let tf_totals: Vec<f64> = tf_features
        .iter()
        .map(|l| l.iter().map(|f| weights[*f]).sum())
        .collect();
    let cfn_totals: Vec<f64> = cfn_features
        .iter()
        .map(|l| l.iter().map(|f| weights[*f]).sum())
        .collect();

    // Each entity's candidates on the other side, strongest first.
    let strongest = LEVELS[0].0;
    let candidates = |own: &[Vec<usize>],
                      own_totals: &[f64],
                      other_totals: &[f64],
                      terraform_side: bool|
     -> Vec<Vec<(f64, usize)>> {
        // What each entity shares with each other one, summed in one
        // buffer as long as the other side; only the entries touched are
        // read and reset.
        let mut shared = vec![0.0f64; other_totals.len()];
        let mut touched: Vec<usize> = Vec::new();
        own.iter()
            .enumerate()
            .map(|(at, list)| {
                for f in list {
                    let entry = &holders[*f];
                    if entry.0.len() + entry.1.len() > MAX_SHARING {
                        continue;
                    }
                    let w = weights[*f];
                    let others = if terraform_side { &entry.1 } else { &entry.0 };
                    for other in others {
                        if shared[*other] == 0.0 {
                            touched.push(*other);
                        }
                        shared[*other] += w;
                    }
                }
                let mut scored: Vec<(f64, usize)> = touched
                    .drain(..)
                    .map(|other| {
                        let s = std::mem::take(&mut shared[other]);
                        (s / (own_totals[at] * other_totals[other]).sqrt(), other)
                    })
                    .collect();
                scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                scored.truncate(strongest);
                scored
            })
            .collect()
    };
    let tf_candidates = candidates(&tf_features, &tf_totals, &cfn_totals, true);
    let cfn_candidates = candidates(&cfn_features, &cfn_totals, &tf_totals, false);

    // The components at each level; Terraform positions are 0..n,
    // CloudFormation ones n.. .
    let roots: Vec<Vec<usize>> = LEVELS
        .iter()
        .map(|(keep, share)| {
            let mut parent: Vec<usize> = (0..n + cfn_block.len()).collect();
            for (t, list) in tf_candidates.iter().enumerate() {
                for c in kept(list, *keep, *share) {
                    union(&mut parent, t, n + c);
                }
            }
            for (c, list) in cfn_candidates.iter().enumerate() {
                for t in kept(list, *keep, *share) {
                    union(&mut parent, t, n + c);
                }
            }
            (0..parent.len()).map(|i| find(&mut parent, i)).collect()
        })
        .collect();

    let everything: Vec<usize> = (0..n + cfn_block.len()).collect();
    let mut out = Vec::new();
    split(&everything, 0, &roots, n, max, &mut out);
    out.into_iter()
        .map(|members| {
            let (t, c): (Vec<usize>, Vec<usize>) = members.iter().partition(|m| **m < n);
            (
                t.into_iter().map(|t| tf_block[t]).collect::<Vec<_>>(),
                c.into_iter().map(|c| cfn_block[c - n]).collect::<Vec<_>>(),
            )
        })
        .filter(|(t, c)| !t.is_empty() && !c.is_empty())
        .collect()
}

/// The candidates kept at one level: the first `keep`, each at least
/// `share` of the best.
fn kept(list: &[(f64, usize)], keep: usize, share: f64) -> impl Iterator<Item = usize> + '_ {
    let best = list.first().map_or(0.0, |c| c.0);
    list.iter()
        .take(keep)
        .filter(move |c| c.0 >= share * best)
        .map(|c| c.1)
}

/// The components of `members` at `level`, each split further while it
/// holds more than `max` of one side, in order of their first member.
fn split(
    members: &[usize],
    level: usize,
    roots: &[Vec<usize>],
    n: usize,
    max: usize,
    out: &mut Vec<Vec<usize>>,
) {
    let mut components: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for m in members {
        components.entry(roots[level][*m]).or_default().push(*m);
    }
    for component in components.into_values() {
        let tf = component.iter().filter(|m| **m < n).count();
        let too_large = tf > max || component.len() - tf > max;
        if too_large && level + 1 < roots.len() {
            split(&component, level + 1, roots, n, max, out);
        } else {
            out.push(component);
        }
    }
}

fn features<'a>(
    words: &[u32],
    values: &[u32],
    neighbours: impl Iterator<Item = (usize, &'a super::graph::Edge)>,
) -> Vec<Feature<'a>> {
    // In the order of `Feature`: words, then values (each list's ids are
    // increasing and distinct), then the neighbours, sorted here.
    let mut out: Vec<Feature<'a>> = Vec::with_capacity(words.len() + values.len());
    out.extend(words.iter().map(|w| Feature::Word(*w)));
    out.extend(values.iter().map(|v| Feature::Value(*v)));
    let at = out.len();
    for (twin, edge) in neighbours {
        out.push(Feature::Neighbour(twin, edge.outgoing));
        out.push(Feature::NeighbourVia(twin, edge.outgoing, &edge.property));
    }
    out[at..].sort_unstable();
    out.dedup();
    out
}

/// The known literal values of an entity, as `property=value`; tags label
/// and are left out.
pub fn literal_features(entity: &Entity) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut path = String::new();
    for (key, value) in entity.properties.iter().filter(|(k, _)| *k != "Tags") {
        path.clear();
        path.push_str(key);
        collect(&mut path, value, 2, &mut out);
    }
    out
}

/// `property=value` for every literal scalar two levels deep at most (lists
/// of objects included). `path` is the property's, dotted; it is extended
/// in place for nested keys and restored, not copied.
fn collect(path: &mut String, value: &Value, depth: usize, out: &mut BTreeSet<String>) {
    use std::fmt::Write as _;
    let feature = |path: &str, shown: &dyn std::fmt::Display| {
        let mut f = String::with_capacity(path.len() + 16);
        f.push_str(path);
        f.push('=');
        write!(f, "{shown}").expect("writing to a String does not fail");
        f
    };
    match value.unmarked() {
        // Sensitive values are no features: nothing derived from them is kept.
        (_, true) => {}
        (Value::String(s), _) => {
            out.insert(feature(path, s));
        }
        (Value::Number(n), _) => {
            out.insert(feature(path, n));
        }
        (Value::List(items), _) => {
            for item in items {
                collect(path, item, depth, out);
            }
        }
        (Value::Map(map), _) if depth > 0 => {
            let at = path.len();
            for (key, v) in map {
                path.push('.');
                path.push_str(key);
                collect(path, v, depth - 1, out);
                path.truncate(at);
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
