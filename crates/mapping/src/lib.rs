//! The Terraform → CloudFormation mapping table, and canonicalization:
//! expressing resources of both sides in CloudFormation's vocabulary.
//!
//! The table is data (`mapping.yaml`, compiled in); this crate interprets it
//! and knows nothing of file formats or of how differences are reported.
//!
//! ```
//! let table = parity_mapping::Table::builtin().unwrap();
//! let mapping = table.terraform_type("aws_ecs_task_definition").unwrap();
//! assert_eq!(mapping.cloudformation, "AWS::ECS::TaskDefinition");
//! ```

mod canonical;
mod table;

pub use canonical::{Canonical, Entity, canonicalize};
pub use table::{PropertyMapping, Shape, Table, TypeMapping};

/// The built-in table could not be read; a bug in `mapping.yaml`, caught by
/// this crate's tests.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("mapping table: {0}")]
    Table(#[from] yaml_serde::Error),

    #[error("mapping table: format version {found}, this build reads {expected}")]
    Version { found: u32, expected: u32 },

    #[error("mapping table: {terraform_type}: {message}")]
    Invalid {
        terraform_type: String,
        message: String,
    },
}
