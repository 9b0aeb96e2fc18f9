//! Alignment: which Terraform entity is which CloudFormation entity's twin.

use std::collections::BTreeMap;

use parity_mapping::{Entity, Table};
use parity_model::Value;

/// How a pair was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PairMethod {
    /// The same physical name or other identity key on both sides.
    Identity,
}

impl PairMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            PairMethod::Identity => "identity",
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
    /// 1.0 for identity pairs.
    pub confidence: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alignment {
    pub pairs: Vec<Pair>,
    pub only_terraform: Vec<usize>,
    pub only_cloudformation: Vec<usize>,
}

impl Alignment {
    pub fn cloudformation_twin(&self, terraform: usize) -> Option<usize> {
        self.pairs
            .iter()
            .find(|p| p.terraform == terraform)
            .map(|p| p.cloudformation)
    }
}

/// Pairs entities of the same canonical type whose identity keys (from the
/// mapping table, e.g. a task definition's `Family`) hold the same known
/// values on both sides. A key value shared by several entities of one side
/// pairs nothing: an identity that does not identify is no evidence.
pub fn align(table: &Table, terraform: &[Entity], cloudformation: &[Entity]) -> Alignment {
    let tf_keys = identities(table, terraform);
    let cfn_keys = identities(table, cloudformation);
    let mut alignment = Alignment::default();
    for (key, tf_indexes) in &tf_keys {
        if let ([t], Some([c])) = (tf_indexes.as_slice(), cfn_keys.get(key).map(Vec::as_slice)) {
            alignment.pairs.push(Pair {
                terraform: *t,
                cloudformation: *c,
                method: PairMethod::Identity,
                confidence: 1.0,
            });
        }
    }
    alignment.pairs.sort_by_key(|p| p.terraform);
    alignment.only_terraform = (0..terraform.len())
        .filter(|i| !alignment.pairs.iter().any(|p| p.terraform == *i))
        .collect();
    alignment.only_cloudformation = (0..cloudformation.len())
        .filter(|i| !alignment.pairs.iter().any(|p| p.cloudformation == *i))
        .collect();
    alignment
}

/// `(canonical type, identity values)` → the entities that have them.
fn identities(table: &Table, entities: &[Entity]) -> BTreeMap<(String, Vec<String>), Vec<usize>> {
    let mut keys: BTreeMap<(String, Vec<String>), Vec<usize>> = BTreeMap::new();
    for (i, entity) in entities.iter().enumerate() {
        let Some(mapping) = table.cloudformation_type(&entity.canonical_type) else {
            continue;
        };
        if mapping.identity.is_empty() {
            continue;
        }
        let values: Option<Vec<String>> = mapping
            .identity
            .iter()
            .map(
                |property| match entity.properties.get(property).map(|v| v.unmarked().0) {
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                },
            )
            .collect();
        if let Some(values) = values {
            keys.entry((entity.canonical_type.clone(), values))
                .or_default()
                .push(i);
        }
    }
    keys
}
