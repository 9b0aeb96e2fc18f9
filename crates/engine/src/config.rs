//! The project configuration, `parity.yaml`: explicit pairs and resources to
//! skip, each with its reason. The `tf-cfn-mappings.yaml` format that teams
//! already keep (`mappings`, `skip_tf_patterns`, `skip_cfn_patterns`,
//! `known_gaps`) is read too, in the same file or on its own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::glob::Glob;

/// An explicit pair: Terraform resources matching `terraform` are the twins
/// of CloudFormation resources matching `cloudformation` (a logical ID or a
/// construct path), optionally only in stacks matching `stack`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplicitPair {
    pub terraform: Glob,
    pub cloudformation: Glob,
    pub stack: Option<Glob>,
    pub reason: Option<String>,
}

/// Resources of one side left out of the comparison on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub pattern: Glob,
    /// CloudFormation only: the stacks it applies to.
    pub stack: Option<Glob>,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub pairs: Vec<ExplicitPair>,
    pub skip_terraform: Vec<Skip>,
    pub skip_cloudformation: Vec<Skip>,
}

#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    pairs: Vec<RawPair>,
    #[serde(default)]
    skip: RawSkips,
    // The tf-cfn-mappings.yaml format.
    #[serde(default)]
    mappings: BTreeMap<String, String>,
    #[serde(default)]
    skip_tf_patterns: Vec<String>,
    #[serde(default)]
    skip_cfn_patterns: Vec<String>,
    #[serde(default)]
    known_gaps: Vec<BTreeMap<String, yaml_serde::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPair {
    terraform: String,
    cloudformation: String,
    #[serde(default)]
    stack: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSkips {
    #[serde(default)]
    terraform: Vec<RawSkip>,
    #[serde(default)]
    cloudformation: Vec<RawSkip>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSkip {
    pattern: String,
    #[serde(default)]
    stack: Option<String>,
    reason: String,
}

/// Keys a `known_gaps` entry may name its resource by, and give its reason
/// by.
const GAP_PATTERN_KEYS: &[&str] = &[
    "pattern",
    "resource",
    "tf_resource",
    "address",
    "tf_pattern",
];
const GAP_REASON_KEYS: &[&str] = &["reason", "description", "notes", "note"];

impl Config {
    /// Parses a configuration file's text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let error = |message: String| ConfigError {
            path: path.to_owned(),
            message,
        };
        let file: File = yaml_serde::from_str(text).map_err(|e| error(e.to_string()))?;
        let mut config = Config::default();
        for (i, pair) in file.pairs.into_iter().enumerate() {
            if pair.terraform.trim().is_empty() || pair.cloudformation.trim().is_empty() {
                return Err(error(format!(
                    "pairs[{i}]: terraform and cloudformation must not be empty"
                )));
            }
            config.pairs.push(ExplicitPair {
                terraform: Glob::new(&pair.terraform),
                cloudformation: Glob::new(&pair.cloudformation),
                stack: pair.stack.as_deref().map(Glob::new),
                reason: pair.reason,
            });
        }
        for (side, raw, out) in [
            ("terraform", file.skip.terraform, &mut config.skip_terraform),
            (
                "cloudformation",
                file.skip.cloudformation,
                &mut config.skip_cloudformation,
            ),
        ] {
            for (i, skip) in raw.into_iter().enumerate() {
                if skip.reason.trim().is_empty() {
                    return Err(error(format!(
                        "skip.{side}[{i}]: give the reason for skipping {}",
                        skip.pattern
                    )));
                }
                if side == "terraform" && skip.stack.is_some() {
                    return Err(error(format!(
                        "skip.terraform[{i}]: `stack` applies to CloudFormation only"
                    )));
                }
                out.push(Skip {
                    pattern: Glob::new(&skip.pattern),
                    stack: skip.stack.as_deref().map(Glob::new),
                    reason: skip.reason,
                });
            }
        }
        for (terraform, cloudformation) in file.mappings {
            config.pairs.push(ExplicitPair {
                terraform: Glob::new(&terraform),
                cloudformation: Glob::new(&cloudformation),
                stack: None,
                reason: Some("listed in mappings".to_owned()),
            });
        }
        for pattern in file.skip_tf_patterns {
            config.skip_terraform.push(Skip {
                pattern: Glob::new(&pattern),
                stack: None,
                reason: "listed in skip_tf_patterns".to_owned(),
            });
        }
        for pattern in file.skip_cfn_patterns {
            config.skip_cloudformation.push(Skip {
                pattern: Glob::new(&pattern),
                stack: None,
                reason: "listed in skip_cfn_patterns".to_owned(),
            });
        }
        for (i, gap) in file.known_gaps.iter().enumerate() {
            let text = |keys: &[&str]| {
                keys.iter()
                    .find_map(|k| gap.get(*k).and_then(yaml_serde::Value::as_str))
                    .map(str::to_owned)
            };
            let pattern = text(GAP_PATTERN_KEYS).ok_or_else(|| {
                error(format!(
                    "known_gaps[{i}]: name the resource with one of: {}",
                    GAP_PATTERN_KEYS.join(", ")
                ))
            })?;
            let reason = text(GAP_REASON_KEYS).unwrap_or_else(|| "no reason given".to_owned());
            config.skip_terraform.push(Skip {
                pattern: Glob::new(&pattern),
                stack: None,
                reason: format!("known gap: {reason}"),
            });
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests;
