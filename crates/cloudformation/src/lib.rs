//! The CloudFormation loader: reads `cdk.out` folders and templates (JSON or
//! YAML, alone or in folders) and resolves them the way CloudFormation would
//! at deploy time, as far as that can be known before deploy, into
//! [`Resource`]s of the shared value model.
//!
//! Everything given together is one deployment: `Fn::ImportValue` resolves
//! to the value another stack exports, a nested stack's resources load with
//! its parent's, and its outputs resolve where the parent reads them. What
//! only deploy time decides stays a `Ref`, a `Template`, an `Unknown` or,
//! for `Fn::If` on an undecided condition, a `Conditional` holding both
//! possibilities; a value is never invented. Problems that leave the rest of
//! the input usable (an intrinsic this loader does not evaluate) are
//! [`Diagnostic`]s in the result; input that cannot be read as CloudFormation
//! is an [`Error`] naming the file and the location inside it. Nothing here
//! prints.
//!
//! ```no_run
//! let deployment = parity_cloudformation::load_path("cdk.out".as_ref()).unwrap();
//! for resource in &deployment.resources {
//!     println!("{} {}", resource.id, resource.resource_type);
//! }
//! ```

mod cdk_out;
mod deployment;
mod error;
mod foreach;
mod inputs;
mod intrinsics;
mod locations;
mod nested;
mod parameters;
mod pointer;
mod template;
mod traces;
mod yaml;

use std::path::{Path, PathBuf};

pub use error::{Error, decode_text};
pub use locations::locations;
use parity_model::Resource;
pub use traces::Traces;

/// Everything one `cdk synth` (or set of templates) deploys.
#[derive(Debug, Clone)]
pub struct Deployment {
    /// Every stack, in the order given; a nested stack follows its parent.
    pub stacks: Vec<Stack>,
    /// Every resource of every stack, stack by stack.
    pub resources: Vec<Resource>,
    /// Sorted by file and location, without repeats.
    pub diagnostics: Vec<Diagnostic>,
    /// Templates found in a folder that were not loaded, and why (also
    /// among the diagnostics).
    pub ignored: Vec<Ignored>,
    /// The creation traces the cloud assemblies recorded (`cdk synth
    /// --debug`), read by [`locations`].
    pub traces: Traces,
}

/// A template in a folder given that no loaded template deploys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    pub template: PathBuf,
    pub reason: String,
}

/// One CloudFormation stack and the environment it deploys to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stack {
    /// The stack name from the cloud assembly; for a template file, its
    /// name without extensions; for a nested stack, `Parent/LogicalId`.
    pub name: String,
    pub template: PathBuf,
    /// The target account, when the manifest or the caller says it.
    pub account: Option<String>,
    pub region: Option<String>,
    /// The partition, when the caller says it or the region implies it.
    pub partition: Option<String>,
}

/// Something in the input this loader could not fully resolve; the value it
/// concerns is left unknown rather than guessed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// A JSON pointer into the template (`/Resources/Api/Properties/...`).
    pub location: String,
    pub message: String,
}

/// What the caller knows that the templates do not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Parameter values (`--param NAME=VALUE`), for every stack that
    /// declares the parameter; later ones win over earlier ones and over
    /// parameter files.
    pub parameters: Vec<(String, String)>,
    /// CloudFormation parameter files: `[{"ParameterKey": …,
    /// "ParameterValue": …}]`, or `{"Parameters": {NAME: VALUE}}`.
    pub parameter_files: Vec<PathBuf>,
    /// Parameter files for one stack (`--param-file STACK=FILE`): a
    /// top-level stack, or a nested one by its name (`main/Network`), which
    /// takes a value from it where its parent gives none.
    pub stack_parameter_files: Vec<(String, PathBuf)>,
    /// Folders where nested stacks' templates are looked for (after the
    /// parent template's folder), by the object key of their S3 URL.
    pub template_dirs: Vec<PathBuf>,
    /// The environment of stacks whose cloud assembly does not pin one.
    pub account: Option<String>,
    pub region: Option<String>,
    pub partition: Option<String>,
}

/// Loads a `cdk.out` folder, a folder of templates, or a template file.
pub fn load_path(path: &Path) -> Result<Deployment, Error> {
    load(&[path], &Options::default())
}

/// Loads several inputs as one deployment: each a `cdk.out` folder, a
/// folder of templates, or a template file (JSON or YAML).
pub fn load(paths: &[&Path], options: &Options) -> Result<Deployment, Error> {
    let sources = inputs::discover(paths, options)?;
    deployment::load(sources, options)
}

/// Loads one template already in memory (JSON or YAML); `path` names it in
/// errors and its file name names the stack.
pub fn load_template_str(text: &str, path: &Path) -> Result<Deployment, Error> {
    load_text(text, path, &Options::default())
}

/// [`load_template_str`] with what the caller knows.
pub fn load_text(text: &str, path: &Path, options: &Options) -> Result<Deployment, Error> {
    let sources = inputs::from_text(text, path, options)?;
    deployment::load(sources, options)
}

#[cfg(test)]
mod tests;
