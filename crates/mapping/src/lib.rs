//! The Terraform → CloudFormation mapping table, and canonicalization:
//! expressing resources of both sides in CloudFormation's vocabulary.
//!
//! The table is data (`mapping.yaml`, compiled in); this crate interprets it:
//! property paths and shapes ([`canonicalize`]), folding standalone pieces
//! into the resource the other side keeps them in (`fold.rs`), the few
//! normalizations too particular for data (`normalize.rs`), and AWS defaults.
//! It knows nothing of file formats or of how differences are reported.
//!
//! ```
//! let table = parity_mapping::Table::builtin().unwrap();
//! let mapping = table.terraform_type("aws_ecs_task_definition").unwrap();
//! assert_eq!(mapping.cloudformation.as_deref(), Some("AWS::ECS::TaskDefinition"));
//! ```

mod arns;
mod canonical;
mod fold;
mod locate;
mod normalize;
mod path;
mod table;
mod written;

pub use arns::{read_arns, with_get_att_suffixes};
pub use canonical::{Canonical, Diagnostic, Entity, NoTwin, canonicalize, canonicalize_owned};
pub use locate::{TerraformLocator, terraform_paths};
pub use table::{
    ArnFromRef, CloudFormationType, DefaultValue, Fold, FoldAction, FoldValue, FullMapping,
    Normalization, PropertyMapping, PropertyPath, SensitiveProperty, Shape, Table, TerraformType,
};
pub use written::Written;

/// The value at a property path written as in the table (`A.B`,
/// `A[key.with.dots]`).
pub fn value_at<'v>(
    properties: &'v parity_model::Map,
    path: &str,
) -> Option<&'v parity_model::Value> {
    path::get(properties, &path::parse(path))
}

/// The built-in table could not be read; a bug in `mapping.yaml`, caught by
/// this crate's tests.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("mapping table: {0}")]
    Table(#[from] yaml_serde::Error),

    #[error("mapping table: format version {found}, this build reads {expected}")]
    Version { found: u32, expected: u32 },

    #[error("mapping table: {type_name}: {message}")]
    Invalid { type_name: String, message: String },
}
