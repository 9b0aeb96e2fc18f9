//! The evidence that two entities of one type are twins, scored from 0 to 1,
//! as a person weighs it:
//!
//! - **properties**: how alike their values are, known parts included
//!   (`similarity.rs`);
//! - **names**: the words their names share (`names.rs`), each weighted by
//!   how distinctive it is among the candidates (a word every candidate has
//!   tells nothing);
//! - **neighbours**: the resources they refer to, or that refer to them,
//!   that are twins already (`graph.rs`): the task definition of a paired
//!   service, the target group of a paired listener.
//!
//! The score is a weighted sum of the three; the pair keeps what made it.

use std::cell::OnceCell;
use std::collections::BTreeSet;

use parity_mapping::Entity;

use super::graph::Graph;
use super::ids::{FastMap, Vocabulary, shared};
use super::names::Names;
use super::similarity;
use crate::values::References;

/// How much each kind of evidence counts. Names and neighbours say which
/// resource is which; properties are what the comparison is about, and
/// differ where the two sides diverge.
const PROPERTY_WEIGHT: f64 = 0.15;
const VALUE_WEIGHT: f64 = 0.2;
const NAME_WEIGHT: f64 = 0.35;
const NEIGHBOUR_WEIGHT: f64 = 0.3;

/// How many words, values and neighbours a pair's evidence lists.
const SHOWN: usize = 6;

/// Longer values are not listed as evidence (they still count).
const MAX_VALUE_CHARS: usize = 80;

/// What made a pair, as reports show it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Words both names share, the most distinctive first.
    pub names: Vec<String>,
    /// Known values both sides share (`ContainerDefinitions.Name=api`),
    /// the most distinctive first.
    pub values: Vec<String>,
    /// Neighbours that are twins: (Terraform address, CloudFormation
    /// `stack/logical ID`).
    pub neighbours: Vec<(String, String)>,
    /// The three scores the confidence is made of, each from 0 to 1.
    pub properties: f64,
    pub value_score: f64,
    pub name_score: f64,
    pub neighbour_score: f64,
}

/// Everything scoring reads, for one round of alignment.
pub struct Scorer<'a> {
    pub terraform: &'a [Entity],
    pub cloudformation: &'a [Entity],
    /// Each entity's words, as ids of `words`.
    pub tf_words: &'a [Vec<u32>],
    pub cfn_words: &'a [Vec<u32>],
    /// Each entity's known literal values, as ids of `values`
    /// (`property=value`).
    pub tf_values: &'a [Vec<u32>],
    pub cfn_values: &'a [Vec<u32>],
    pub words: &'a Vocabulary,
    pub values: &'a Vocabulary,
    pub tf_graph: &'a Graph,
    pub cfn_graph: &'a Graph,
    /// How many resources of the type `names.yaml`'s `same_referrers`
    /// names for its type refer to each entity (see [`referrers`]).
    pub tf_referrers: &'a [Option<usize>],
    pub cfn_referrers: &'a [Option<usize>],
    /// Each entity's twin in the current alignment.
    pub tf_partner: Vec<Option<usize>>,
    pub cfn_partner: Vec<Option<usize>>,
    pub refs: &'a References<'a>,
    /// Property similarity scores of the rounds before.
    pub memo: &'a similarity::Memo,
    /// How many of each Terraform entity's references have a twin in
    /// `refs`, read once per entity.
    pub paired_references: Vec<OnceCell<usize>>,
}

/// How distinctive each word and each value is among a group of
/// candidates: 1 for one of a single candidate, near 0 for one of all.
pub struct Weights {
    words: FastMap<u32, f64>,
    values: FastMap<u32, f64>,
}

/// The weighted totals of one entity's words and values, which every score
/// of that entity divides by.
#[derive(Debug, Clone, Copy)]
pub struct Totals {
    words: f64,
    values: f64,
}

impl Weights {
    fn of(&self, word: u32) -> f64 {
        self.words.get(&word).copied().unwrap_or(1.0)
    }

    fn of_value(&self, value: u32) -> f64 {
        self.values.get(&value).copied().unwrap_or(1.0)
    }
}

/// For each entity whose type `names.yaml`'s `same_referrers` names, how
/// many distinct entities of the referring type refer to it.
pub fn referrers(entities: &[Entity], graph: &Graph, names: &Names) -> Vec<Option<usize>> {
    entities
        .iter()
        .enumerate()
        .map(|(i, entity)| {
            let referring = names.same_referrers(&entity.canonical_type)?;
            let distinct: BTreeSet<usize> = graph.edges[i]
                .iter()
                .filter(|e| !e.outgoing && entities[e.neighbour].canonical_type == referring)
                .map(|e| e.neighbour)
                .collect();
            Some(distinct.len())
        })
        .collect()
}

/// Inverse document frequency, scaled to 0..1, of every item of `sets`.
fn distinctiveness<'s>(sets: impl Iterator<Item = &'s [u32]>) -> FastMap<u32, f64> {
    let mut counts: FastMap<u32, usize> = FastMap::default();
    let mut n = 0usize;
    for set in sets {
        n += 1;
        for item in set {
            *counts.entry(*item).or_default() += 1;
        }
    }
    let n = n as f64;
    counts
        .into_iter()
        .map(|(w, df)| (w, (1.0 + n / df as f64).ln() / (1.0 + n).ln()))
        .collect()
}

/// Shared items over the geometric mean of each side's items, weighted: 1
/// when the two say the same, 0 when they share nothing.
/// `sa` and `sb` are the weighted totals of `a` and `b` ([`total`]).
fn overlap(a: &[u32], b: &[u32], (sa, sb): (f64, f64), weight: impl Fn(u32) -> f64) -> f64 {
    if sa == 0.0 || sb == 0.0 {
        return 0.0;
    }
    let shared: f64 = shared(a, b).map(weight).sum();
    shared / (sa * sb).sqrt()
}

/// The weighted total of a set's items.
fn total(set: &[u32], weight: impl Fn(u32) -> f64) -> f64 {
    set.iter().map(|w| weight(*w)).sum::<f64>()
}

impl<'a> Scorer<'a> {
    pub fn weights(&self, tf_group: &[usize], cfn_group: &[usize]) -> Weights {
        Weights {
            words: distinctiveness(
                tf_group
                    .iter()
                    .map(|t| self.tf_words[*t].as_slice())
                    .chain(cfn_group.iter().map(|c| self.cfn_words[*c].as_slice())),
            ),
            values: distinctiveness(
                tf_group
                    .iter()
                    .map(|t| self.tf_values[*t].as_slice())
                    .chain(cfn_group.iter().map(|c| self.cfn_values[*c].as_slice())),
            ),
        }
    }

    /// The totals of the Terraform entity `t`'s words and values.
    pub fn tf_totals(&self, t: usize, weights: &Weights) -> Totals {
        Totals {
            words: total(&self.tf_words[t], |w| weights.of(w)),
            values: total(&self.tf_values[t], |v| weights.of_value(v)),
        }
    }

    /// The totals of the CloudFormation entity `c`'s words and values.
    pub fn cfn_totals(&self, c: usize, weights: &Weights) -> Totals {
        Totals {
            words: total(&self.cfn_words[c], |w| weights.of(w)),
            values: total(&self.cfn_values[c], |v| weights.of_value(v)),
        }
    }

    /// The score of the pair `t`, `c`, given their totals (a group's are
    /// read once, not once per candidate).
    pub fn score(
        &self,
        (t, tf_totals): (usize, Totals),
        (c, cfn_totals): (usize, Totals),
        weights: &Weights,
    ) -> f64 {
        // A route table of a tier's subnets is no twin of one of a single
        // subnet: both referred to, by different numbers.
        if let (Some(a), Some(b)) = (self.tf_referrers[t], self.cfn_referrers[c])
            && a > 0
            && b > 0
            && a != b
        {
            return 0.0;
        }
        let (properties, values, names, neighbours) =
            self.parts((t, tf_totals), (c, cfn_totals), weights);
        let known = PROPERTY_WEIGHT * properties + VALUE_WEIGHT * values + NAME_WEIGHT * names;
        match neighbours {
            Some(neighbours) => known + NEIGHBOUR_WEIGHT * neighbours,
            // Neither has a neighbour paired yet: no evidence either way,
            // not evidence against.
            None => known / (1.0 - NEIGHBOUR_WEIGHT),
        }
    }

    fn parts(
        &self,
        (t, tf_totals): (usize, Totals),
        (c, cfn_totals): (usize, Totals),
        weights: &Weights,
    ) -> (f64, f64, f64, Option<f64>) {
        (
            self.memo.score(
                (t, &self.terraform[t]),
                (c, &self.cloudformation[c]),
                *self.paired_references[t]
                    .get_or_init(|| self.memo.paired_references(t, self.refs)),
                self.refs,
            ),
            overlap(
                &self.tf_values[t],
                &self.cfn_values[c],
                (tf_totals.values, cfn_totals.values),
                |v| weights.of_value(v),
            ),
            overlap(
                &self.tf_words[t],
                &self.cfn_words[c],
                (tf_totals.words, cfn_totals.words),
                |w| weights.of(w),
            ),
            self.neighbours(t, c).0,
        )
    }

    /// The neighbours of `t` whose twins are neighbours of `c`, weighted by
    /// how few neighbours they have, over the larger of the two sides'
    /// paired neighbours; and those neighbour pairs.
    fn neighbours(&self, t: usize, c: usize) -> (Option<f64>, Vec<(usize, usize)>) {
        let weight = |tn: usize, cn: usize| {
            let degree = self.tf_graph.degree(tn).max(self.cfn_graph.degree(cn)) as f64;
            1.0 / (1.0 + degree.ln())
        };
        // A neighbour agrees when its twin is a neighbour of `c` by a
        // reference in the same property and direction (the task role,
        // not the execution role, of a twin task definition).
        // An entity's edges are sorted by neighbour, property and
        // direction (`Graph`): each neighbour's edges are one run, in
        // the order of the neighbours, and looked up by halving.
        let c_edges = &self.cfn_graph.edges[c];
        let c_has = |cn: usize, property: &str, outgoing: bool| {
            c_edges
                .binary_search_by(|e| {
                    (e.neighbour, e.property.as_str(), e.outgoing).cmp(&(cn, property, outgoing))
                })
                .is_ok()
        };
        let c_neighbour = |cn: usize| c_edges.binary_search_by_key(&cn, |e| e.neighbour).is_ok();
        let mut agree = 0.0;
        let mut paired_t = 0.0;
        let mut agreeing = Vec::new();
        let mut implied = false;
        for t_run in self.tf_graph.edges[t].chunk_by(|a, b| a.neighbour == b.neighbour) {
            let tn = t_run[0].neighbour;
            let Some(cn) = self.tf_partner[tn] else {
                continue;
            };
            let w = weight(tn, cn);
            paired_t += w;
            let same_way = t_run
                .iter()
                .any(|e| c_has(cn, e.property.as_str(), e.outgoing));
            if same_way {
                agree += w;
                agreeing.push((tn, cn));
                if self.implied(t, c, tn, cn) {
                    implied = true;
                }
            } else if c_neighbour(cn) {
                // Linked, by another property: half the evidence.
                agree += w / 2.0;
                agreeing.push((tn, cn));
            }
        }
        let paired_c: f64 = c_edges
            .chunk_by(|a, b| a.neighbour == b.neighbour)
            .filter_map(|run| {
                let cn = run[0].neighbour;
                self.cfn_partner[cn].map(|tn| weight(tn, cn))
            })
            .sum();
        // Only when both have neighbours paired can they agree or not.
        let denominator = paired_t.max(paired_c);
        if implied {
            (Some(1.0), agreeing)
        } else if paired_t == 0.0 || paired_c == 0.0 {
            (None, agreeing)
        } else {
            (Some(agree / denominator), agreeing)
        }
    }

    /// Whether the twins `tn`, `cn` each refer to (or are referred to by)
    /// exactly one entity of this type by the property that links them to
    /// `t` and `c`: then the pair of `tn` and `cn` implies the pair of `t`
    /// and `c` (the execution role of twin task definitions).
    fn implied(&self, t: usize, c: usize, tn: usize, cn: usize) -> bool {
        let tf_type = &self.terraform[t].canonical_type;
        let cfn_type = &self.cloudformation[c].canonical_type;
        self.tf_graph.edges[t]
            .iter()
            .filter(|e| e.neighbour == tn)
            .any(|e| {
                let tf_count = self.tf_graph.edges[tn]
                    .iter()
                    .filter(|f| {
                        f.property == e.property
                            && f.outgoing != e.outgoing
                            && self.terraform[f.neighbour].canonical_type == *tf_type
                    })
                    .count();
                let cfn_count = self.cfn_graph.edges[cn]
                    .iter()
                    .filter(|f| {
                        f.property == e.property
                            && f.outgoing != e.outgoing
                            && self.cloudformation[f.neighbour].canonical_type == *cfn_type
                    })
                    .count();
                let linked = self.cfn_graph.edges[c].iter().any(|f| {
                    f.neighbour == cn && f.property == e.property && f.outgoing == e.outgoing
                });
                tf_count == 1 && cfn_count == 1 && linked
            })
    }

    /// What made the pair `t`, `c`, for reports.
    pub fn explain(&self, t: usize, c: usize, weights: &Weights) -> Evidence {
        let (properties, value_score, name_score, _) = self.parts(
            (t, self.tf_totals(t, weights)),
            (c, self.cfn_totals(c, weights)),
            weights,
        );
        let (neighbour_score, agreeing) = self.neighbours(t, c);
        // Ids are in the order of their text: ties are broken by text.
        let mut names: Vec<(f64, u32)> = shared(&self.tf_words[t], &self.cfn_words[c])
            .map(|w| (weights.of(w), w))
            .collect();
        names.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut values: Vec<(f64, u32)> = shared(&self.tf_values[t], &self.cfn_values[c])
            .filter(|v| self.values.text(*v).chars().count() <= MAX_VALUE_CHARS)
            .map(|v| (weights.of_value(v), v))
            .collect();
        values.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let values: Vec<String> = values
            .into_iter()
            .take(SHOWN)
            .map(|(_, v)| self.values.text(v).to_owned())
            .collect();
        Evidence {
            names: names
                .into_iter()
                .take(SHOWN)
                .map(|(_, w)| self.words.text(w).to_owned())
                .collect(),
            values,
            neighbours: agreeing
                .into_iter()
                .take(SHOWN)
                .map(|(tn, cn)| {
                    (
                        self.terraform[tn].id.to_string(),
                        self.cloudformation[cn].id.to_string(),
                    )
                })
                .collect(),
            properties: round(properties),
            value_score: round(value_score),
            name_score: round(name_score),
            neighbour_score: round(neighbour_score.unwrap_or(0.0)),
        }
    }
}

pub fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
