//! Reading a cloud assembly (`cdk.out`): its manifest names the stacks, their
//! templates and the environment each deploys to, and holds (or names the
//! file holding) each stack's construct metadata, where the creation traces
//! are; a stage is a nested cloud assembly in a folder of its own.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::error::read_json;
use crate::traces::Traces;
use crate::{Error, Stack, pointer};

const STACK_ARTIFACT: &str = "aws:cloudformation:stack";
const NESTED_ASSEMBLY_ARTIFACT: &str = "cdk:cloud-assembly";

/// Whether a folder is a cloud assembly.
pub fn is_cloud_assembly(dir: &Path) -> bool {
    dir.join("manifest.json").is_file()
}

/// What a cloud assembly holds.
#[derive(Debug, Default)]
pub struct Assembly {
    /// The stacks of the assembly and of the stages inside it, in manifest
    /// order.
    pub stacks: Vec<Stack>,
    /// The creation traces of their constructs, where recorded.
    pub traces: Traces,
}

/// The stacks of a cloud assembly and of the stages inside it, with the
/// traces their metadata holds.
pub fn read(dir: &Path) -> Result<Assembly, Error> {
    let mut assembly = Assembly::default();
    let mut visited = Vec::new();
    collect(dir, &mut assembly, &mut visited)?;
    if assembly.stacks.is_empty() {
        return Err(Error::NotCdkOut {
            path: dir.to_owned(),
            reason: format!("manifest.json lists no {STACK_ARTIFACT} artifact"),
        });
    }
    Ok(assembly)
}

fn collect(dir: &Path, assembly: &mut Assembly, visited: &mut Vec<PathBuf>) -> Result<(), Error> {
    let manifest_path = dir.join("manifest.json");
    let manifest = read_json(&manifest_path)?;
    let artifacts = manifest
        .get("artifacts")
        .and_then(Json::as_object)
        .ok_or_else(|| Error::invalid(&manifest_path, "/artifacts", "missing or not an object"))?;
    visited.push(std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned()));

    for (id, artifact) in artifacts {
        let at = pointer::join("/artifacts", id);
        let properties = artifact.get("properties");
        let property = |name: &str| {
            properties
                .and_then(|p| p.get(name))
                .and_then(Json::as_str)
                .ok_or_else(|| {
                    Error::invalid(
                        &manifest_path,
                        &format!("{at}/properties/{name}"),
                        "missing or not a string",
                    )
                })
        };
        match artifact.get("type").and_then(Json::as_str) {
            Some(STACK_ARTIFACT) => {
                let template_file = property("templateFile")?;
                let name = properties
                    .and_then(|p| p.get("stackName"))
                    .and_then(Json::as_str)
                    .unwrap_or(id)
                    .to_owned();
                let (account, region) = match artifact.get("environment").and_then(Json::as_str) {
                    Some(env) => parse_environment(env).ok_or_else(|| {
                        Error::invalid(
                            &manifest_path,
                            &format!("{at}/environment"),
                            format!("expected aws://ACCOUNT/REGION, found {env:?}"),
                        )
                    })?,
                    None => (None, None),
                };
                assembly.stacks.push(Stack {
                    name,
                    template: dir.join(template_file),
                    account,
                    region,
                    partition: None,
                });
                assembly
                    .traces
                    .extend(stack_traces(dir, &manifest_path, &at, artifact)?);
            }
            Some(NESTED_ASSEMBLY_ARTIFACT) => {
                let folder = dir.join(property("directoryName")?);
                let canonical = std::fs::canonicalize(&folder).unwrap_or_else(|_| folder.clone());
                if visited.contains(&canonical) || !is_cloud_assembly(&folder) {
                    return Err(Error::invalid(
                        &manifest_path,
                        &format!("{at}/properties/directoryName"),
                        format!("{} is not a cloud assembly of its own", folder.display()),
                    ));
                }
                collect(&folder, assembly, visited)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The traces in a stack artifact's metadata: in the manifest
/// (`metadata`), or in the file `additionalMetadataFile` names.
fn stack_traces(dir: &Path, manifest: &Path, at: &str, artifact: &Json) -> Result<Traces, Error> {
    let mut traces = match artifact.get("metadata") {
        Some(metadata) => Traces::read(metadata, manifest, &format!("{at}/metadata"))?,
        None => Traces::default(),
    };
    if let Some(file) = artifact.get("additionalMetadataFile") {
        let file = file.as_str().ok_or_else(|| {
            Error::invalid(
                manifest,
                &format!("{at}/additionalMetadataFile"),
                "not a string",
            )
        })?;
        let path = dir.join(file);
        traces.extend(Traces::read(&read_json(&path)?, &path, "")?);
    }
    Ok(traces)
}

/// `aws://123456789012/us-east-1`; CDK writes `unknown-account` and
/// `unknown-region` for environment-agnostic stacks, which stay unknown.
fn parse_environment(env: &str) -> Option<(Option<String>, Option<String>)> {
    let rest = env.strip_prefix("aws://")?;
    let (account, region) = rest.split_once('/')?;
    let known = |s: &str| (!s.starts_with("unknown-") && !s.is_empty()).then(|| s.to_owned());
    Some((known(account), known(region)))
}
