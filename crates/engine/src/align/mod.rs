//! Alignment: which Terraform entity is which CloudFormation entity's twin.
//!
//! Three steps, each only among what is still unpaired: explicit pairs from
//! the configuration; identity keys from the mapping table (physical names);
//! then property similarity within each canonical type, solved as one
//! assignment problem per block. Every step is deterministic: the inputs'
//! order does not matter.

mod assignment;
mod candidates;
mod similarity;

use std::collections::BTreeMap;

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
    /// 1.0 for explicit and identity pairs; the similarity score otherwise.
    pub confidence: f64,
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
pub const SIMILARITY_FLOOR: f64 = 0.5;

/// The most candidates per side that similarity compares within one block:
/// bounded work, whatever the input size.
const MAX_BLOCK: usize = 64;

/// Similarity passes: a pair found in one pass makes references to it
/// comparable in the next (mount targets after their file system).
const SIMILARITY_PASSES: usize = 3;

pub fn align(
    table: &Table,
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
        let blocks = by_type(terraform, &tf, cloudformation, &cfn);
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
                let refs = References::new(table, terraform, cloudformation, &state.alignment());
                assign(
                    &mut state,
                    terraform,
                    cloudformation,
                    &tf_block,
                    &cfn_block,
                    &refs,
                    PairMethod::Explicit,
                    0.0,
                );
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

    for pass in 0..SIMILARITY_PASSES {
        let before = state.pairs.len();
        let refs = References::new(table, terraform, cloudformation, &state.alignment());
        let tf: Vec<usize> = state.unpaired_terraform().collect();
        let cfn: Vec<usize> = state.unpaired_cloudformation().collect();
        for (tf_block, cfn_block) in by_type(terraform, &tf, cloudformation, &cfn) {
            // A large block is split into the groups of candidates that
            // share something; only groups that are still too large are
            // left to the configuration.
            let groups = if tf_block.len() > MAX_BLOCK || cfn_block.len() > MAX_BLOCK {
                candidates::groups(terraform, &tf_block, cloudformation, &cfn_block, &refs)
            } else {
                vec![(tf_block, cfn_block)]
            };
            for (tf_group, cfn_group) in groups {
                if tf_group.len() > MAX_BLOCK || cfn_group.len() > MAX_BLOCK {
                    if pass == 0 {
                        notes.push(format!(
                            "{} {} resources in Terraform and {} in CDK are too alike to pair by similarity; pair them in parity.yaml",
                            tf_group.len(),
                            terraform[tf_group[0]].canonical_type,
                            cfn_group.len()
                        ));
                    }
                    continue;
                }
                assign(
                    &mut state,
                    terraform,
                    cloudformation,
                    &tf_group,
                    &cfn_group,
                    &refs,
                    PairMethod::Similarity,
                    SIMILARITY_FLOOR,
                );
            }
        }
        if state.pairs.len() == before {
            break;
        }
    }

    let mut alignment = state.alignment();
    alignment.notes = notes;
    alignment
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

/// Pairs a block by the best total similarity; pairs under `floor` are not
/// made.
#[expect(
    clippy::too_many_arguments,
    reason = "one call site per step, each naming what it passes"
)]
fn assign(
    state: &mut State,
    terraform: &[Entity],
    cloudformation: &[Entity],
    tf_block: &[usize],
    cfn_block: &[usize],
    refs: &References<'_>,
    method: PairMethod,
    floor: f64,
) {
    let scores: Vec<Vec<f64>> = tf_block
        .iter()
        .map(|t| {
            cfn_block
                .iter()
                .map(|c| similarity::score(&terraform[*t], &cloudformation[*c], refs))
                .collect()
        })
        .collect();
    for (row, column) in assignment::maximize(&scores).into_iter().enumerate() {
        if let Some(column) = column {
            let score = scores[row][column];
            if score >= floor {
                state.pair(
                    tf_block[row],
                    cfn_block[column],
                    method,
                    (score * 100.0).round() / 100.0,
                );
            }
        }
    }
}

/// Groups two sets of entities by canonical type, each group sorted by
/// resource name so that the input order does not matter. Only types
/// present on both sides.
fn by_type(
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
            t.sort_by_key(|i| terraform[*i].id.to_string());
            c.sort_by_key(|i| cloudformation[*i].id.to_string());
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
