//! The comparison engine: pairs each Terraform resource with its
//! CloudFormation twin ([`align`]), compares each pair's canonical properties
//! with the rules users expect ([`values`]), and turns differences into
//! [`Finding`]s with an area and a severity.
//!
//! It computes; it never formats, prints or reads files. Its input is what the
//! loaders produced, its output a [`Comparison`] that renderers present as it
//! is.
//!
//! ```no_run
//! # let (terraform, cloudformation) = (vec![], vec![]);
//! let table = parity_mapping::Table::builtin().unwrap();
//! let comparison = parity_engine::compare(&terraform, &cloudformation, &table, &Default::default());
//! println!("{} findings", comparison.findings.len());
//! ```

pub mod align;
mod areas;
pub mod values;

use parity_mapping::{Entity, Table};
use parity_model::{Area, Finding, Resource, ResourceId};

pub use align::{Alignment, Pair, PairMethod};

/// The areas this version compares. A report must never call an area it did
/// not look at "in sync".
pub const CHECKED_AREAS: &[Area] = &[Area::Env];

/// What to compare.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these areas; all checked areas when empty.
    pub areas: Vec<Area>,
}

/// Everything one comparison concluded.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The areas compared, in report order.
    pub scope: Vec<Area>,
    /// Every difference within the scope, in a stable order.
    pub findings: Vec<Finding>,
    /// How resources were paired.
    pub pairs: Vec<PairedResources>,
    /// Resources of either side whose type the mapping table does not know yet;
    /// they are listed, not compared.
    pub unmapped: Vec<UnmappedResource>,
}

/// A pair as reports show it.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedResources {
    pub canonical_type: String,
    pub terraform: ResourceId,
    pub cloudformation: ResourceId,
    pub construct_path: Option<String>,
    pub method: PairMethod,
    pub confidence: f64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmappedResource {
    pub id: ResourceId,
    pub resource_type: String,
}

/// The engine refuses options it cannot honour rather than reporting a
/// parity it did not check.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("area {0} is not compared by this version of iac-parity (it compares: {list})", list = checked_list())]
    AreaNotChecked(Area),
}

fn checked_list() -> String {
    CHECKED_AREAS
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Options {
    /// Checks that every requested area is one this version compares.
    pub fn validate(&self) -> Result<(), Error> {
        match self.areas.iter().find(|a| !CHECKED_AREAS.contains(a)) {
            Some(area) => Err(Error::AreaNotChecked(*area)),
            None => Ok(()),
        }
    }

    fn scope(&self) -> Vec<Area> {
        Area::ALL
            .into_iter()
            .filter(|a| {
                CHECKED_AREAS.contains(a) && (self.areas.is_empty() || self.areas.contains(a))
            })
            .collect()
    }
}

/// Compares the resources of the two sides.
pub fn compare(
    terraform: &[Resource],
    cloudformation: &[Resource],
    table: &Table,
    options: &Options,
) -> Comparison {
    let tf = parity_mapping::canonicalize(terraform, table);
    let cfn = parity_mapping::canonicalize(cloudformation, table);
    let mut unmapped: Vec<UnmappedResource> = tf
        .unmapped
        .iter()
        .map(|id| unmapped_resource(id, terraform))
        .collect();
    // CloudFormation types the table has no Terraform counterpart for cannot
    // be paired yet either.
    let (cfn_mapped, cfn_unmapped): (Vec<Entity>, Vec<Entity>) = cfn
        .entities
        .into_iter()
        .partition(|e| table.cloudformation_type(&e.canonical_type).is_some());
    unmapped.extend(cfn_unmapped.iter().map(|e| UnmappedResource {
        id: e.id.clone(),
        resource_type: e.source_type.clone(),
    }));

    let alignment = align::align(table, &tf.entities, &cfn_mapped);
    let scope = options.scope();
    let cx = areas::Context {
        table,
        terraform: &tf.entities,
        cloudformation: &cfn_mapped,
        alignment: &alignment,
    };
    let mut findings: Vec<Finding> = areas::findings(&cx)
        .into_iter()
        .filter(|f| scope.contains(&f.area))
        .collect();
    findings.sort_by_key(finding_order);

    let pairs = alignment
        .pairs
        .iter()
        .map(|p| {
            let (t, c) = (&tf.entities[p.terraform], &cfn_mapped[p.cloudformation]);
            PairedResources {
                canonical_type: t.canonical_type.clone(),
                terraform: t.id.clone(),
                cloudformation: c.id.clone(),
                construct_path: c.construct_path.clone(),
                method: p.method,
                confidence: p.confidence,
            }
        })
        .collect();
    Comparison {
        scope,
        findings,
        pairs,
        unmapped,
    }
}

fn unmapped_resource(id: &ResourceId, resources: &[Resource]) -> UnmappedResource {
    let resource_type = resources
        .iter()
        .find(|r| &r.id == id)
        .map_or_else(String::new, |r| r.resource_type.clone());
    UnmappedResource {
        id: id.clone(),
        resource_type,
    }
}

/// Findings are ordered by area, then resource, then attribute, so that the
/// same inputs always give the same report.
fn finding_order(f: &Finding) -> (Area, String, String, String, String) {
    let side = |s: &Option<parity_model::FindingSide>| {
        s.as_ref().map_or_else(String::new, |s| s.resource.clone())
    };
    (
        f.area,
        f.resource_type.clone(),
        side(&f.terraform),
        side(&f.cloudformation),
        f.attribute.clone(),
    )
}
