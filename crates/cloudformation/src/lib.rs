//! The CloudFormation loader: reads a `cdk.out` folder or a template and
//! resolves it the way CloudFormation would at deploy time, as far as that
//! can be known before deploy, into [`Resource`]s of the shared value model.
//!
//! What only deploy time decides stays a `Ref`, a `Template` or an `Unknown`;
//! a value is never invented. Problems that leave the rest of the input usable
//! (an intrinsic this loader cannot evaluate yet) are [`Diagnostic`]s in the
//! result; input that cannot be read as CloudFormation is an [`Error`] naming
//! the file and the location inside it. Nothing here prints.
//!
//! ```no_run
//! let deployment = parity_cloudformation::load_path("cdk.out".as_ref()).unwrap();
//! for resource in &deployment.resources {
//!     println!("{} {}", resource.id, resource.resource_type);
//! }
//! ```

mod cdk_out;
mod error;
mod intrinsics;
mod template;

use std::path::{Path, PathBuf};

pub use error::Error;
use parity_model::Resource;

/// Everything one `cdk synth` (or set of templates) deploys.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub stacks: Vec<Stack>,
    /// Every resource of every stack, stack by stack in manifest order.
    pub resources: Vec<Resource>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One CloudFormation stack and the environment it deploys to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stack {
    pub name: String,
    pub template: PathBuf,
    /// The target account, when the manifest or the caller says it.
    pub account: Option<String>,
    pub region: Option<String>,
}

/// Something in the input this loader could not fully resolve; the value it
/// concerns is left unknown rather than guessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// A JSON pointer into the template (`/Resources/Api/Properties/...`).
    pub location: String,
    pub message: String,
}

/// Loads one JSON template already in memory; `path` names it in errors and
/// its file stem names the stack.
pub fn load_template_str(text: &str, path: &Path) -> Result<Deployment, Error> {
    let json = error::parse_json(text, path)?;
    let mut deployment = Deployment {
        stacks: Vec::new(),
        resources: Vec::new(),
        diagnostics: Vec::new(),
    };
    template::load_stack_json(single_stack(path), &json, false, &mut deployment)?;
    Ok(deployment)
}

fn single_stack(path: &Path) -> Stack {
    let name = path
        .file_stem()
        .map_or_else(|| "Stack".to_owned(), |s| s.to_string_lossy().into_owned());
    Stack {
        name,
        template: path.to_owned(),
        account: None,
        region: None,
    }
}

/// Loads a `cdk.out` folder or a single JSON template file.
pub fn load_path(path: &Path) -> Result<Deployment, Error> {
    let metadata = std::fs::metadata(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    if metadata.is_dir() {
        cdk_out::load(path)
    } else {
        let name = path
            .file_stem()
            .map_or_else(|| "Stack".to_owned(), |s| s.to_string_lossy().into_owned());
        let stack = Stack {
            name,
            template: path.to_owned(),
            account: None,
            region: None,
        };
        let mut deployment = Deployment {
            stacks: Vec::new(),
            resources: Vec::new(),
            diagnostics: Vec::new(),
        };
        template::load_stack(stack, false, &mut deployment)?;
        Ok(deployment)
    }
}
