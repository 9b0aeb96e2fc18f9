//! Alignment: which Terraform entity is which CloudFormation entity's twin.
//!
//! Three steps, each only among what is still unpaired: explicit pairs from
//! the configuration; identity keys from the mapping table (physical names);
//! then the evidence a person weighs (`evidence.rs`: properties, names,
//! neighbours that are twins) within each canonical type, solved as one
//! assignment problem per block, round after round until the pairs no longer
//! change (a pair makes its neighbours' pairs more likely). A pair is made
//! only when its score clears a floor and beats every other candidate of
//! either entity by a margin: a wrong pair is worse than none. Every step is
//! deterministic: the inputs' order does not matter. docs/alignment.md
//! explains it with an example.

mod assignment;
mod candidates;
mod evidence;
mod graph;
mod ids;
mod names;
mod similarity;

use std::collections::{BTreeMap, BTreeSet};

pub use evidence::Evidence;
use graph::Graph;
pub(crate) use ids::FastMap;
pub use names::{Names, NamesError};

use parity_mapping::{Entity, Table};
use parity_model::{ResourceId, Value};

use crate::config::Config;
use crate::values::References;

/// How a pair was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PairMethod {
    /// The configuration says so.
    Explicit,
    /// The same physical name or other identity key on both sides.
    Identity,
    /// The most similar properties, as one assignment over the candidates.
    Similarity,
}

impl PairMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            PairMethod::Explicit => "explicit",
            PairMethod::Identity => "identity",
            PairMethod::Similarity => "similarity",
        }
    }
}

/// A Terraform entity and its CloudFormation twin, as indexes into the two
/// entity lists given to [`align`].
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub terraform: usize,
    pub cloudformation: usize,
    pub method: PairMethod,
    /// 1.0 for explicit and identity pairs; the score of the evidence
    /// otherwise (below [`CONFIDENT`] the pair is uncertain).
    pub confidence: f64,
    /// What made the pair.
    pub evidence: Evidence,
}

impl Pair {
    /// A pair made on evidence too weak to trust without a look.
    pub fn uncertain(&self) -> bool {
        self.confidence < CONFIDENT
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alignment {
    pub pairs: Vec<Pair>,
    pub only_terraform: Vec<usize>,
    pub only_cloudformation: Vec<usize>,
    /// Why some entities were not tried for similarity (a block too large).
    pub notes: Vec<String>,
}

/// Below this score two entities are not twins, however few candidates
/// there are: a lone Terraform role and a lone CDK role that share nothing
/// stay unpaired.
pub const SIMILARITY_FLOOR: f64 = 0.4;

/// The floor of a lone pair: the only candidate of its type on each side,
/// so that nothing can be mistaken for it; it still needs some evidence.
pub const LONE_FLOOR: f64 = 0.25;

/// A pair's score must beat every other candidate of either entity by this
/// much: three route tables that look the same pair with nothing.
pub const MARGIN: f64 = 0.02;

/// Pairs whose confidence is below this are *uncertain*: made, their
/// differences shown, and marked so. A pair's confidence is its score
/// raised by its lead over the best rival `r`: `s + (1 - s)(s - r)`.
pub const CONFIDENT: f64 = 0.6;

/// Rounds of alignment at most: each uses the pairs of the ones before.
const MAX_ROUNDS: usize = 16;

/// The most candidates per side that similarity compares within one block:
/// bounded work, whatever the input size.
const MAX_BLOCK: usize = 64;

pub fn align(
    table: &Table,
    names: &Names,
    config: &Config,
    terraform: &[Entity],
    cloudformation: &[Entity],
) -> Alignment {
    let mut state = State {
        tf_paired: vec![false; terraform.len()],
        cfn_paired: vec![false; cloudformation.len()],
        pairs: Vec::new(),
    };
    let mut notes = Vec::new();
    let tf_graph = Graph::build(terraform, names);
    let cfn_graph = Graph::build(cloudformation, names);
    let (tf_words, cfn_words) = words(names, terraform, cloudformation);
    let (words, tf_words, cfn_words) = ids::Vocabulary::intern(&tf_words, &cfn_words);
    let (values, tf_values, cfn_values) = ids::Vocabulary::intern(
        &terraform
            .iter()
            .map(candidates::literal_features)
            .collect::<Vec<_>>(),
        &cloudformation
            .iter()
            .map(candidates::literal_features)
            .collect::<Vec<_>>(),
    );
    let reading = Reading {
        tf_words,
        cfn_words,
        tf_values,
        cfn_values,
        words,
        values,
        tf_referrers: evidence::referrers(terraform, &tf_graph, names),
        cfn_referrers: evidence::referrers(cloudformation, &cfn_graph, names),
        tf_graph,
        cfn_graph,
        tf_rank: ranks(terraform),
        cfn_rank: ranks(cloudformation),
        memo: similarity::Memo::new(terraform),
    };

    for explicit in &config.pairs {
        let tf: Vec<usize> = state
            .unpaired_terraform()
            .filter(|i| matches!(&terraform[*i].id, ResourceId::Terraform { address } if explicit.terraform.matches(address)))
            .collect();
        let cfn: Vec<usize> = state
            .unpaired_cloudformation()
            .filter(|i| {
                let entity = &cloudformation[*i];
                let ResourceId::CloudFormation { stack, logical_id } = &entity.id else {
                    return false;
                };
                let named = explicit.cloudformation.matches(logical_id)
                    || entity
                        .construct_path
                        .as_deref()
                        .is_some_and(|p| explicit.cloudformation.matches(p));
                named && explicit.stack.as_ref().is_none_or(|s| s.matches(stack))
            })
            .collect();
        let blocks = by_type(&reading, terraform, &tf, cloudformation, &cfn);
        if blocks.is_empty() {
            notes.push(format!(
                "the pair {} <-> {} in the configuration matches {} Terraform and {} CDK resources not paired otherwise, none of the same type on both sides",
                explicit.terraform.as_str(),
                explicit.cloudformation.as_str(),
                tf.len(),
                cfn.len()
            ));
        }
        for (tf_block, cfn_block) in blocks {
            if let ([t], [c]) = (tf_block.as_slice(), cfn_block.as_slice()) {
                state.pair(*t, *c, PairMethod::Explicit, 1.0);
            } else {
                // Patterns that match several: the best total score
                // among them, whatever it is.
                let current = state.alignment();
                let refs = References::new(table, terraform, cloudformation, &current);
                let scorer = scorer(terraform, cloudformation, &reading, &current.pairs, &refs);
                for (t, c, score) in best(&scorer, &tf_block, &cfn_block) {
                    state.pair(t, c, PairMethod::Explicit, evidence::round(score));
                }
            }
        }
    }

    let tf_keys = identities(table, terraform, state.unpaired_terraform());
    let cfn_keys = identities(table, cloudformation, state.unpaired_cloudformation());
    for (key, tf_indexes) in &tf_keys {
        if let ([t], Some([c])) = (tf_indexes.as_slice(), cfn_keys.get(key).map(Vec::as_slice)) {
            state.pair(*t, *c, PairMethod::Identity, 1.0);
        }
    }

    // Round after round, the blocks are solved again among what is still
    // unpaired, with the pairs made so far as neighbours' evidence. The
    // surest pairs come first: a round only makes pairs of at least
    // `CONFIDENT`, until one makes none; then pairs down to the floor are
    // made too. It ends when a round makes no pair.
    // Only blocks where something changed are solved again: a block with an
    // entity next to one paired in the round before, or one of whose
    // entities was paired (its candidates changed). Any other would give the
    // same result as before: no pair.
    let mut threshold = CONFIDENT;
    let mut tf_dirty = vec![true; terraform.len()];
    let mut cfn_dirty = vec![true; cloudformation.len()];
    let mut changed_types: BTreeSet<&str> = BTreeSet::new();
    // What references mean, with the pairs made so far: pairs are added as
    // they are made.
    let mut refs = References::new(table, terraform, cloudformation, &state.alignment());
    for round in 0..MAX_ROUNDS {
        let scorer = scorer(terraform, cloudformation, &reading, &state.pairs, &refs);
        let tf_free: Vec<usize> = state.unpaired_terraform().collect();
        let cfn_free: Vec<usize> = state.unpaired_cloudformation().collect();
        let mut made = Vec::new();
        // The members of split groups where a pair was proposed: their
        // group lost candidates and is solved again next round.
        let mut regroup: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        for (tf_block, cfn_block) in
            by_type(&reading, terraform, &tf_free, cloudformation, &cfn_free)
        {
            let split = tf_block.len() > MAX_BLOCK || cfn_block.len() > MAX_BLOCK;
            let dirty = |tf: &[usize], cfn: &[usize]| {
                tf.iter().any(|t| tf_dirty[*t]) || cfn.iter().any(|c| cfn_dirty[*c])
            };
            // A split block is solved again group by group (below); a
            // whole block when a pair of its type was made, too.
            let changed = (!split
                && changed_types.contains(terraform[tf_block[0]].canonical_type.as_str()))
                || dirty(&tf_block, &cfn_block);
            if !changed {
                continue;
            }
            // A large block is split into the groups of candidates that
            // share something; only groups that are still too large are
            // left to the configuration.
            // Distinctiveness is read over the whole block: a word every
            // service has tells nothing, whichever group it is scored in.
            let weights = scorer.weights(&tf_block, &cfn_block);
            let groups = if split {
                candidates::groups(&scorer, &tf_block, &cfn_block, MAX_BLOCK)
            } else {
                vec![(tf_block, cfn_block)]
            };
            for (tf_group, cfn_group) in groups {
                if tf_group.len() > MAX_BLOCK || cfn_group.len() > MAX_BLOCK {
                    if round == 0 {
                        notes.push(format!(
                            "{} {} resources in Terraform and {} in CDK are too alike to pair by similarity; pair them in parity.yaml",
                            tf_group.len(),
                            terraform[tf_group[0]].canonical_type,
                            cfn_group.len()
                        ));
                    }
                    continue;
                }
                // Only the groups where something changed: the others
                // would propose the same as before, which was nothing.
                if split && !dirty(&tf_group, &cfn_group) {
                    continue;
                }
                let proposed = assign(&scorer, &weights, &tf_group, &cfn_group, threshold);
                if split && !proposed.is_empty() {
                    regroup.push((tf_group, cfn_group));
                }
                made.extend(proposed);
            }
        }
        tf_dirty.iter_mut().for_each(|d| *d = false);
        cfn_dirty.iter_mut().for_each(|d| *d = false);
        changed_types.clear();
        for (tf_group, cfn_group) in regroup {
            tf_group.iter().for_each(|t| tf_dirty[*t] = true);
            cfn_group.iter().for_each(|c| cfn_dirty[*c] = true);
        }
        // An uncertain pair waits while what both entities refer to is
        // still unpaired on both sides: the pair of those (a scalable
        // target's service) may confirm or refute it. Waiting ends when
        // nothing else can be paired.
        let (sure, waiting): (Vec<_>, Vec<_>) = made.iter().copied().partition(|(t, c, score)| {
            *score >= CONFIDENT
                || !awaits_neighbours(&state, &reading, terraform, cloudformation, *t, *c)
        });
        if !sure.is_empty() && !waiting.is_empty() {
            for (t, c, _) in &waiting {
                tf_dirty[*t] = true;
                cfn_dirty[*c] = true;
            }
            made = sure;
        }
        if made.is_empty() {
            if threshold > SIMILARITY_FLOOR {
                threshold = SIMILARITY_FLOOR;
                tf_dirty.iter_mut().for_each(|d| *d = true);
                cfn_dirty.iter_mut().for_each(|d| *d = true);
                continue;
            }
            break;
        }
        for (t, c, score) in made {
            state.pair(t, c, PairMethod::Similarity, evidence::round(score));
            refs.pair(&terraform[t], &cloudformation[c]);
            changed_types.insert(&terraform[t].canonical_type);
            for e in &reading.tf_graph.edges[t] {
                tf_dirty[e.neighbour] = true;
            }
            for e in &reading.cfn_graph.edges[c] {
                cfn_dirty[e.neighbour] = true;
            }
        }
    }

    // Every pair keeps what made it, read with the final pairs.
    let scorer = scorer(terraform, cloudformation, &reading, &state.pairs, &refs);
    let mut by_type_words: BTreeMap<&str, evidence::Weights> = BTreeMap::new();
    let all_tf: Vec<usize> = (0..terraform.len()).collect();
    let all_cfn: Vec<usize> = (0..cloudformation.len()).collect();
    for (tf_block, cfn_block) in by_type(&reading, terraform, &all_tf, cloudformation, &all_cfn) {
        let weights = scorer.weights(&tf_block, &cfn_block);
        by_type_words.insert(&terraform[tf_block[0]].canonical_type, weights);
    }
    for pair in &mut state.pairs {
        if let Some(weights) = by_type_words.get(terraform[pair.terraform].canonical_type.as_str())
        {
            pair.evidence = scorer.explain(pair.terraform, pair.cloudformation, weights);
        }
    }

    let mut alignment = state.alignment();
    alignment.notes = notes;
    alignment
}

/// Whether the Terraform entity `t` and the CloudFormation entity `c` each
/// refer to an unpaired entity of one type: twins still to be found, whose
/// pair would say whether `t` and `c` are twins too.
fn awaits_neighbours(
    state: &State,
    reading: &Reading,
    terraform: &[Entity],
    cloudformation: &[Entity],
    t: usize,
    c: usize,
) -> bool {
    let pending =
        |edges: &[graph::Edge], paired: &[bool], entities: &[Entity]| -> BTreeSet<String> {
            edges
                .iter()
                .filter(|e| e.outgoing && !paired[e.neighbour])
                .map(|e| entities[e.neighbour].canonical_type.clone())
                .collect()
        };
    let tf = pending(&reading.tf_graph.edges[t], &state.tf_paired, terraform);
    let cfn = pending(
        &reading.cfn_graph.edges[c],
        &state.cfn_paired,
        cloudformation,
    );
    tf.intersection(&cfn).next().is_some()
}

struct State {
    tf_paired: Vec<bool>,
    cfn_paired: Vec<bool>,
    pairs: Vec<Pair>,
}

impl State {
    fn unpaired_terraform(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.tf_paired.len()).filter(|i| !self.tf_paired[*i])
    }

    fn unpaired_cloudformation(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.cfn_paired.len()).filter(|i| !self.cfn_paired[*i])
    }

    fn pair(
        &mut self,
        terraform: usize,
        cloudformation: usize,
        method: PairMethod,
        confidence: f64,
    ) {
        self.tf_paired[terraform] = true;
        self.cfn_paired[cloudformation] = true;
        self.pairs.push(Pair {
            terraform,
            cloudformation,
            method,
            confidence,
            evidence: Evidence::default(),
        });
    }

    fn alignment(&self) -> Alignment {
        let mut pairs = self.pairs.clone();
        pairs.sort_by_key(|p| p.terraform);
        Alignment {
            pairs,
            only_terraform: self.unpaired_terraform().collect(),
            only_cloudformation: self.unpaired_cloudformation().collect(),
            notes: Vec::new(),
        }
    }
}

/// What alignment reads of every entity, once.
struct Reading {
    /// Each entity's words and known literal values, as ids of `words`
    /// and `values`.
    tf_words: Vec<Vec<u32>>,
    cfn_words: Vec<Vec<u32>>,
    tf_values: Vec<Vec<u32>>,
    cfn_values: Vec<Vec<u32>>,
    words: ids::Vocabulary,
    values: ids::Vocabulary,
    tf_graph: Graph,
    cfn_graph: Graph,
    /// Each entity's place among its side's entities ordered by resource
    /// name: blocks are solved in this order, whatever the input order.
    tf_rank: Vec<usize>,
    cfn_rank: Vec<usize>,
    /// How many resources of the type `names.yaml`'s `same_referrers`
    /// names refer to each entity, where it names one.
    tf_referrers: Vec<Option<usize>>,
    cfn_referrers: Vec<Option<usize>>,
    /// Property similarity scores, kept from round to round.
    memo: similarity::Memo,
}

/// Each entity's words ([`Names::words`]) on each side; the words of a type
/// are read once per type, not once per entity. Two adjacent words of a name
/// that the other side writes as one word are read as that word
/// ([`Names::words_joining`]): CDK's `LiteLLM` is Terraform's `litellm`,
/// and Terraform's `lite_llm` CDK's `Litellm`.
fn words(
    names: &Names,
    terraform: &[Entity],
    cloudformation: &[Entity],
) -> (Vec<BTreeSet<String>>, Vec<BTreeSet<String>>) {
    let none = BTreeSet::new();
    let vocabulary = |entities: &[Entity]| -> BTreeSet<String> {
        side_words(names, entities, &none)
            .into_iter()
            .flatten()
            .collect()
    };
    let (tf_vocabulary, cfn_vocabulary) = (vocabulary(terraform), vocabulary(cloudformation));
    (
        side_words(names, terraform, &cfn_vocabulary),
        side_words(names, cloudformation, &tf_vocabulary),
    )
}

/// The words of one side's entities, adjacent words joined as one of `joins`.
fn side_words(
    names: &Names,
    entities: &[Entity],
    joins: &BTreeSet<String>,
) -> Vec<BTreeSet<String>> {
    let mut type_words: BTreeMap<(&str, &str), BTreeSet<String>> = BTreeMap::new();
    entities
        .iter()
        .map(|e| {
            let own = type_words
                .entry((e.canonical_type.as_str(), e.source_type.as_str()))
                .or_insert_with(|| names.type_words(e));
            names.words_joining(e, own, joins)
        })
        .collect()
}

/// Each entity's place among `entities` ordered by resource name (ties, if
/// any, by input position).
fn ranks(entities: &[Entity]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..entities.len()).collect();
    order.sort_by_cached_key(|i| entities[*i].id.to_string());
    let mut rank = vec![0; entities.len()];
    for (at, i) in order.into_iter().enumerate() {
        rank[i] = at;
    }
    rank
}

fn scorer<'a>(
    terraform: &'a [Entity],
    cloudformation: &'a [Entity],
    reading: &'a Reading,
    pairs: &[Pair],
    refs: &'a References<'a>,
) -> evidence::Scorer<'a> {
    let mut tf_partner = vec![None; terraform.len()];
    let mut cfn_partner = vec![None; cloudformation.len()];
    for p in pairs {
        tf_partner[p.terraform] = Some(p.cloudformation);
        cfn_partner[p.cloudformation] = Some(p.terraform);
    }
    evidence::Scorer {
        terraform,
        cloudformation,
        tf_words: &reading.tf_words,
        cfn_words: &reading.cfn_words,
        tf_values: &reading.tf_values,
        cfn_values: &reading.cfn_values,
        words: &reading.words,
        values: &reading.values,
        tf_graph: &reading.tf_graph,
        cfn_graph: &reading.cfn_graph,
        tf_referrers: &reading.tf_referrers,
        cfn_referrers: &reading.cfn_referrers,
        tf_partner,
        cfn_partner,
        refs,
        memo: &reading.memo,
        paired_references: vec![std::cell::OnceCell::new(); terraform.len()],
    }
}

/// Pairs a group by the best total score; a pair is kept when its score is
/// at least `floor` and beats every other candidate of either entity by
/// [`MARGIN`].
fn assign(
    scorer: &evidence::Scorer<'_>,
    weights: &evidence::Weights,
    tf_group: &[usize],
    cfn_group: &[usize],
    floor: f64,
) -> Vec<(usize, usize, f64)> {
    let (scores, assigned) = scored(scorer, weights, tf_group, cfn_group);
    let mut pairs = Vec::new();
    for (row, column) in assigned.into_iter().enumerate() {
        let Some(column) = column else { continue };
        let score = scores[row][column];
        let rival = scores[row]
            .iter()
            .enumerate()
            .filter(|(c, _)| *c != column)
            .map(|(_, s)| *s)
            .chain(
                scores
                    .iter()
                    .enumerate()
                    .filter(|(r, _)| *r != row)
                    .map(|(_, line)| line[column]),
            )
            .fold(0.0, f64::max);
        let floor = if tf_group.len() == 1 && cfn_group.len() == 1 && floor <= SIMILARITY_FLOOR {
            LONE_FLOOR
        } else {
            floor
        };
        if score >= floor && score - rival >= MARGIN {
            // The score, raised by how far it stands above the best rival:
            // a lone candidate is surer than one of three alike.
            let confidence = score + (1.0 - score) * (score - rival);
            pairs.push((tf_group[row], cfn_group[column], confidence));
        }
    }
    pairs
}

/// The best total assignment of a group, every assigned pair kept.
fn best(
    scorer: &evidence::Scorer<'_>,
    tf_group: &[usize],
    cfn_group: &[usize],
) -> Vec<(usize, usize, f64)> {
    let weights = scorer.weights(tf_group, cfn_group);
    let (scores, assigned) = scored(scorer, &weights, tf_group, cfn_group);
    assigned
        .into_iter()
        .enumerate()
        .filter_map(|(row, column)| {
            column.map(|column| (tf_group[row], cfn_group[column], scores[row][column]))
        })
        .collect()
}

/// The score matrix of a group and its best assignment.
fn scored(
    scorer: &evidence::Scorer<'_>,
    weights: &evidence::Weights,
    tf_group: &[usize],
    cfn_group: &[usize],
) -> (Vec<Vec<f64>>, Vec<Option<usize>>) {
    let cfn_totals: Vec<_> = cfn_group
        .iter()
        .map(|c| (*c, scorer.cfn_totals(*c, weights)))
        .collect();
    let scores: Vec<Vec<f64>> = tf_group
        .iter()
        .map(|t| {
            let t = (*t, scorer.tf_totals(*t, weights));
            cfn_totals
                .iter()
                .map(|c| scorer.score(t, *c, weights))
                .collect()
        })
        .collect();
    let assigned = assignment::maximize(&scores);
    (scores, assigned)
}

/// Groups two sets of entities by canonical type, each group sorted by
/// resource name so that the input order does not matter. Only types
/// present on both sides.
fn by_type(
    reading: &Reading,
    terraform: &[Entity],
    tf: &[usize],
    cloudformation: &[Entity],
    cfn: &[usize],
) -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut groups: BTreeMap<&str, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for i in tf {
        groups
            .entry(&terraform[*i].canonical_type)
            .or_default()
            .0
            .push(*i);
    }
    for i in cfn {
        groups
            .entry(&cloudformation[*i].canonical_type)
            .or_default()
            .1
            .push(*i);
    }
    groups
        .into_values()
        .filter(|(t, c)| !t.is_empty() && !c.is_empty())
        .map(|(mut t, mut c)| {
            t.sort_by_key(|i| reading.tf_rank[*i]);
            c.sort_by_key(|i| reading.cfn_rank[*i]);
            (t, c)
        })
        .collect()
}

/// `(canonical type, identity values)` → the entities that have them. An
/// entity whose identity is not known before deploy has none; a key shared
/// by several entities of one side pairs nothing (an identity that does not
/// identify is no evidence).
fn identities(
    table: &Table,
    entities: &[Entity],
    candidates: impl Iterator<Item = usize>,
) -> BTreeMap<(String, Vec<String>), Vec<usize>> {
    let mut keys: BTreeMap<(String, Vec<String>), Vec<usize>> = BTreeMap::new();
    for i in candidates {
        let entity = &entities[i];
        let Some(cfn) = table.cloudformation_type(&entity.canonical_type) else {
            continue;
        };
        if cfn.identity.is_empty() {
            continue;
        }
        let values: Option<Vec<String>> = cfn
            .identity
            .iter()
            .map(|path| {
                match parity_mapping::value_at(&entity.properties, path).map(|v| v.unmarked().0) {
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                }
            })
            .collect();
        if let Some(values) = values {
            keys.entry((entity.canonical_type.clone(), values))
                .or_default()
                .push(i);
        }
    }
    keys
}

#[cfg(test)]
mod tests;
