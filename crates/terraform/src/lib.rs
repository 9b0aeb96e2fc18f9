//! The Terraform loader: turns `terraform show -json` output — a plan or a
//! state — into [`Resource`]s of the shared value model.
//!
//! Everything that is particular to Terraform's JSON formats stays in this
//! crate: format versions, `resource_changes` actions, `after_unknown` and
//! `after_sensitive` masks, attributes that hold JSON documents in strings.
//! It never prints and never decides how a problem is shown; a file it cannot
//! read as Terraform output is an [`Error`] naming the file and the JSON path.
//!
//! ```no_run
//! let input = parity_terraform::load_file("tfplan.json".as_ref()).unwrap();
//! for resource in &input.resources {
//!     println!("{} ({})", resource.id, resource.resource_type);
//! }
//! ```

mod address;
mod error;
mod json_documents;
mod masks;
mod plan;

use std::path::{Path, PathBuf};

pub use error::Error;
use parity_model::Resource;

/// Which of the two `terraform show -json` outputs a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `terraform show -json PLANFILE`: what will exist after apply.
    Plan,
    /// `terraform show -json` of a state: what exists now.
    State,
}

/// The managed resource instances one Terraform output describes.
#[derive(Debug, Clone)]
pub struct TerraformInput {
    pub path: PathBuf,
    pub kind: InputKind,
    pub format_version: String,
    pub terraform_version: Option<String>,
    /// Managed resource instances that exist after apply (plans) or now
    /// (states), in the order the file lists them.
    pub resources: Vec<Resource>,
}

/// Reads and loads one `terraform show -json` file.
pub fn load_file(path: &Path) -> Result<TerraformInput, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    load_str(&text, path)
}

/// Loads `terraform show -json` output already in memory; `path` names it in
/// errors.
pub fn load_str(text: &str, path: &Path) -> Result<TerraformInput, Error> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|err| Error::Json {
        path: path.to_owned(),
        line: err.line(),
        column: err.column(),
        message: strip_position(&err.to_string()),
    })?;
    plan::load(&json, path)
}

/// serde_json appends " at line L column C" to its messages; the error
/// carries the position on its own.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests;
