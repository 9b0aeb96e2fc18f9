//! The Terraform loader: turns `terraform show -json` output — a plan or a
//! state — into [`Resource`]s of the shared value model.
//!
//! Everything that is particular to Terraform's JSON formats stays in this
//! crate: format versions, plans and states, `resource_changes` actions,
//! `after_unknown` and `after_sensitive` masks, the `configuration`'s
//! references, the ARNs and IDs of existing resources, attributes that hold
//! JSON documents in strings. It never prints and never decides how a
//! problem is shown; a file it cannot read as Terraform output is an
//! [`Error`] naming the file and the place in it (a JSON pointer, or a line
//! and column).
//!
//! ```no_run
//! let input = parity_terraform::load_file("tfplan.json".as_ref()).unwrap();
//! for resource in &input.resources {
//!     println!("{} ({})", resource.id, resource.resource_type);
//! }
//! ```

mod address;
mod config;
mod document;
mod error;
mod json_documents;
mod masks;
mod placeholder;
mod plain;
mod plan;
mod pointer;
mod references;
mod resolution;
mod sources;
mod unread;
mod values;

use std::path::{Path, PathBuf};

pub use address::Address;
pub use document::{is_terraform_json, is_terraform_text};
pub use error::Error;
pub use json_documents::JSON_DOCUMENT_ATTRIBUTES;
pub use masks::Segment;
use parity_model::{Map, Resource};
pub use placeholder::{
    NAME_SUBSTITUTE_PREFIX, PLACEHOLDER_ACCOUNT, PLACEHOLDER_SERVICE, Placeholder,
    contains_address, is_address_substitute,
};
pub use resolution::{Described, RESOLUTION_KEY, RESOLUTION_VERSION, Resolution};
pub use sources::{Located, SourceTree, SourceWarning};

/// Which of the two `terraform show -json` outputs a file is. Both are
/// accepted wherever Terraform output is: a plan says what will exist after
/// apply, a state what exists now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `terraform show -json PLANFILE`: what will exist after apply.
    Plan,
    /// `terraform show -json` of a state: what exists now.
    State,
}

impl InputKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Plan => "plan",
            InputKind::State => "state",
        }
    }
}

/// The resource instances one Terraform output describes.
#[derive(Debug, Clone)]
pub struct TerraformInput {
    pub path: PathBuf,
    pub kind: InputKind,
    pub format_version: String,
    pub terraform_version: Option<String>,
    /// Managed resource instances that exist after apply (plans) or now
    /// (states), in the order the file lists them.
    pub resources: Vec<Resource>,
    /// Data source instances: never compared, but references may name
    /// them.
    pub data_sources: Vec<Resource>,
    /// Root module outputs after apply (plans) or now (states); sensitive
    /// ones are marked.
    pub outputs: Map,
    /// Root module input variables (plans); sensitive ones are marked.
    pub variables: Map,
}

/// Reads and loads one `terraform show -json` file.
pub fn load_file(path: &Path) -> Result<TerraformInput, Error> {
    let read_error = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let metadata = file.metadata().map_err(read_error)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    std::io::Read::read_to_end(&mut file, &mut bytes).map_err(read_error)?;
    if !metadata.is_file() {
        // A pipe cannot be read twice: its text is kept for the later passes.
        return load_slice(&bytes, path);
    }
    let (mut json, text) = parse(&bytes, unread::Unread::RootOfFile, path)?;
    // The later passes read the file again rather than the text held here,
    // which is dropped first: a plan's text is as large as all it holds.
    let len = bytes.len() as u64;
    let text = text.map(|text| plan::Text::File {
        file: &file,
        start: len - text.len() as u64,
        len,
    });
    drop(bytes);
    document::load(&mut json, path, text)
}

/// Loads `terraform show -json` output already in memory; `path` names it in
/// errors.
pub fn load_str(text: &str, path: &Path) -> Result<TerraformInput, Error> {
    load_slice(text.as_bytes(), path)
}

/// Loads `terraform show -json` output as bytes (UTF-8, with or without a
/// byte order mark); `path` names it in errors.
pub fn load_slice(bytes: &[u8], path: &Path) -> Result<TerraformInput, Error> {
    let (mut json, text) = parse(bytes, unread::Unread::Root, path)?;
    document::load(&mut json, path, text.map(plan::Text::Bytes))
}

/// The JSON document of `terraform show -json` output as bytes, and the
/// text to read its `resource_changes` from (see [`unread`]); `None` when
/// they are in the document. `root` is the first pass's rule: whether the
/// configuration is read with it or, from a file, later.
fn parse<'t>(
    bytes: &'t [u8],
    root: unread::Unread,
    path: &Path,
) -> Result<(serde_json::Value, Option<&'t [u8]>), Error> {
    // A plan file is a zip archive.
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(Error::BinaryPlan {
            path: path.to_owned(),
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::Encoding {
            path: path.to_owned(),
            encoding: "UTF-16",
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let json = parse_pruned(bytes, root, path)?;
    // Without `resource_changes`, what exists after apply is in
    // `planned_values`, which the first pass left out.
    let without_changes = |root: &serde_json::Map<String, serde_json::Value>| {
        root.get("planned_values").is_some_and(|v| !v.is_null())
            && root.get("resource_changes").is_none_or(|v| v.is_null())
    };
    match json.as_object() {
        Some(root) if without_changes(root) => {
            drop(json);
            let json = parse_pruned(bytes, unread::Unread::RootKeepingPlannedValues, path)?;
            Ok((json, None))
        }
        _ => Ok((json, Some(bytes))),
    }
}

/// Parses JSON text (without a byte order mark), leaving out what `rule`
/// says is never read.
fn parse_pruned(
    bytes: &[u8],
    rule: unread::Unread,
    path: &Path,
) -> Result<serde_json::Value, Error> {
    let json = parity_json::from_slice_pruned(bytes, rule).map_err(|err| match err {
        parity_json::Error::DuplicateKey(duplicate) => Error::DuplicateKey {
            path: path.to_owned(),
            duplicate,
        },
        parity_json::Error::Syntax(_) => {
            let position = err.position();
            let mut message = err.message();
            if message.starts_with("trailing characters") && is_log_output(bytes) {
                message.push_str(
                    ": this looks like `terraform plan -json` log output, one object per line; \
                     give the output of `terraform show -json` on the plan file instead",
                );
            }
            Error::Json {
                path: path.to_owned(),
                line: position.line,
                column: position.column,
                message,
            }
        }
    })?;
    Ok(json)
}

/// Terraform's machine-readable log (`terraform plan -json`) is a stream of
/// objects with `@level` and `@message`.
fn is_log_output(bytes: &[u8]) -> bool {
    let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<serde_json::Value>();
    matches!(stream.next(), Some(Ok(serde_json::Value::Object(first))) if first.contains_key("@level"))
}

#[cfg(test)]
mod tests;
