//! Reading a cloud assembly (`cdk.out`): its manifest names the stacks, their
//! templates and the environment each deploys to.

use std::path::Path;

use serde_json::Value as Json;

use crate::error::read_json;
use crate::{Deployment, Error, Stack, template};

const STACK_ARTIFACT: &str = "aws:cloudformation:stack";

pub fn load(dir: &Path) -> Result<Deployment, Error> {
    let manifest_path = dir.join("manifest.json");
    if !manifest_path.is_file() {
        return Err(Error::NotCdkOut {
            path: dir.to_owned(),
            reason:
                "it has no manifest.json (give the folder `cdk synth` wrote, or a template file)"
                    .to_owned(),
        });
    }
    let manifest = read_json(&manifest_path)?;
    let artifacts = manifest
        .get("artifacts")
        .and_then(Json::as_object)
        .ok_or_else(|| Error::invalid(&manifest_path, "/artifacts", "missing or not an object"))?;

    let mut stacks = Vec::new();
    for (id, artifact) in artifacts {
        let at = format!("/artifacts/{}", escape_pointer(id));
        if artifact.get("type").and_then(Json::as_str) != Some(STACK_ARTIFACT) {
            continue;
        }
        let properties = artifact.get("properties");
        let template_file = properties
            .and_then(|p| p.get("templateFile"))
            .and_then(Json::as_str)
            .ok_or_else(|| {
                Error::invalid(
                    &manifest_path,
                    &format!("{at}/properties/templateFile"),
                    "missing",
                )
            })?;
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
        stacks.push(Stack {
            name,
            template: dir.join(template_file),
            account,
            region,
        });
    }
    if stacks.is_empty() {
        return Err(Error::NotCdkOut {
            path: dir.to_owned(),
            reason: format!("manifest.json lists no {STACK_ARTIFACT} artifact"),
        });
    }

    let qualify = stacks.len() > 1;
    let mut deployment = Deployment {
        stacks: Vec::new(),
        resources: Vec::new(),
        diagnostics: Vec::new(),
    };
    for stack in stacks {
        template::load_stack(stack, qualify, &mut deployment)?;
    }
    Ok(deployment)
}

/// `aws://123456789012/us-east-1`; CDK writes `unknown-account` and
/// `unknown-region` for environment-agnostic stacks, which stay unknown.
fn parse_environment(env: &str) -> Option<(Option<String>, Option<String>)> {
    let rest = env.strip_prefix("aws://")?;
    let (account, region) = rest.split_once('/')?;
    let known = |s: &str| (!s.starts_with("unknown-") && !s.is_empty()).then(|| s.to_owned());
    Some((known(account), known(region)))
}

/// RFC 6901: `~` and `/` inside a key.
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
