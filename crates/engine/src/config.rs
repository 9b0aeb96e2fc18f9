//! The project configuration, `parity.yaml`: explicit pairs and resources to
//! skip, each with its reason; waivers for intentional differences; the
//! comparison's options; where the Terraform root and the CDK app are (for
//! `cargo xtask parity`). The `tf-cfn-mappings.yaml` format that teams
//! already keep (`mappings`, `skip_tf_patterns`, `skip_cfn_patterns`,
//! `known_gaps`) is read too, in the same file or on its own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use parity_model::{Area, Severity, Side};

use crate::date::Date;
use crate::glob::Glob;
use crate::waivers::{self, PropertyPath, Waiver};

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
    /// Intentional differences, in the order written.
    pub waivers: Vec<Waiver>,
    /// Options of the comparison; the command line wins over them.
    pub compare: CompareDefaults,
    /// Where the two sides' sources are.
    pub sources: Sources,
}

/// The comparison's options as the configuration sets them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompareDefaults {
    pub areas: Vec<Area>,
    pub fail_on: Option<Severity>,
    pub source_of_truth: Option<Side>,
    /// Stale waivers fail the gate.
    pub strict: Option<bool>,
}

/// Where the Terraform root module and the CDK app are, relative to the
/// configuration file, and how to render them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    pub terraform: Option<TerraformSource>,
    pub cdk: Option<CdkSource>,
    /// Where generated plans and cloud assemblies are kept between runs.
    pub cache_dir: Option<PathBuf>,
    /// Folders where nested stacks' templates are looked for
    /// (`cloudformation.templates`), relative to the configuration file.
    pub cloudformation_templates: Vec<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerraformSource {
    /// The root module.
    pub root: PathBuf,
    /// `-var-file` arguments, relative to the configuration file.
    pub var_files: Vec<PathBuf>,
    /// `-var NAME=VALUE` arguments.
    pub vars: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdkSource {
    /// The folder holding `cdk.json`.
    pub app: PathBuf,
    /// `--context KEY=VALUE` arguments.
    pub context: BTreeMap<String, String>,
    /// The stacks to synthesize; all when empty.
    pub stacks: Vec<String>,
    /// The app's language (`cdk.language`: `typescript` or `python`), for
    /// fix snippets when no construct's source file says it.
    pub language: Option<parity_model::FixLanguage>,
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
    #[serde(default)]
    waivers: Vec<RawWaiver>,
    #[serde(default)]
    compare: RawCompare,
    #[serde(default)]
    terraform: Option<RawTerraform>,
    #[serde(default)]
    cdk: Option<RawCdk>,
    #[serde(default)]
    cache_dir: Option<PathBuf>,
    #[serde(default)]
    cloudformation: RawCloudFormation,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCloudFormation {
    #[serde(default)]
    templates: Vec<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    #[serde(default)]
    area: Option<String>,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    terraform: Option<String>,
    #[serde(default)]
    cloudformation: Option<String>,
    #[serde(default)]
    attribute: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    reason: String,
    #[serde(default)]
    expires: Option<String>,
    #[serde(default)]
    optional: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCompare {
    #[serde(default)]
    areas: Vec<String>,
    #[serde(default)]
    fail_on: Option<String>,
    #[serde(default)]
    source_of_truth: Option<String>,
    #[serde(default)]
    strict: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerraform {
    root: PathBuf,
    #[serde(default)]
    var_files: Vec<PathBuf>,
    #[serde(default)]
    vars: BTreeMap<String, yaml_serde::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCdk {
    app: PathBuf,
    #[serde(default)]
    context: BTreeMap<String, yaml_serde::Value>,
    #[serde(default)]
    stacks: Vec<String>,
    #[serde(default)]
    language: Option<String>,
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
        for (i, raw) in file.waivers.into_iter().enumerate() {
            config
                .waivers
                .push(waiver(raw).map_err(|m| error(format!("waivers[{i}]{m}")))?);
        }
        config.compare =
            compare_defaults(file.compare).map_err(|m| error(format!("compare{m}")))?;
        config.sources = Sources {
            terraform: file
                .terraform
                .map(|t| {
                    Ok::<_, String>(TerraformSource {
                        root: t.root,
                        var_files: t.var_files,
                        vars: scalars(t.vars).map_err(|m| format!(".vars{m}"))?,
                    })
                })
                .transpose()
                .map_err(|m| error(format!("terraform{m}")))?,
            cdk: file
                .cdk
                .map(|c| {
                    Ok::<_, String>(CdkSource {
                        app: c.app,
                        context: scalars(c.context).map_err(|m| format!(".context{m}"))?,
                        stacks: c.stacks,
                        language: match c.language.as_deref() {
                            None => None,
                            Some("typescript") => Some(parity_model::FixLanguage::TypeScript),
                            Some("python") => Some(parity_model::FixLanguage::Python),
                            Some(other) => {
                                return Err(format!(
                                    ".language: expected typescript or python, found {other:?}"
                                ));
                            }
                        },
                    })
                })
                .transpose()
                .map_err(|m| error(format!("cdk{m}")))?,
            cache_dir: file.cache_dir,
            cloudformation_templates: file.cloudformation.templates,
        };
        Ok(config)
    }
}

/// A waiver as written → a waiver; the error starts with the field's
/// place (`.expires: …`, or `: …` for the whole entry).
fn waiver(raw: RawWaiver) -> Result<Waiver, String> {
    if raw.reason.trim().is_empty() {
        return Err(": give the reason the difference is intentional".to_owned());
    }
    let glob = |text: Option<String>, field: &str| match text {
        Some(t) if t.trim().is_empty() => Err(format!(".{field}: must not be empty")),
        other => Ok(other.map(|t| Glob::new(&t))),
    };
    let waiver = Waiver {
        area: raw
            .area
            .map(|a| Area::parse(&a).ok_or_else(|| format!(".area: unknown area {a:?} (areas: {})", area_names())))
            .transpose()?,
        resource: glob(raw.resource, "resource")?,
        terraform: glob(raw.terraform, "terraform")?,
        cloudformation: glob(raw.cloudformation, "cloudformation")?,
        attribute: glob(raw.attribute, "attribute")?,
        path: raw
            .path
            .map(|p| PropertyPath::parse(&p).map_err(|e| format!(".path: {e}")))
            .transpose()?,
        kind: raw
            .kind
            .map(|k| {
                waivers::parse_kind(&k).ok_or_else(|| {
                    format!(".kind: unknown kind {k:?} (kinds: only-in-terraform, only-in-cdk, differs, unverifiable)")
                })
            })
            .transpose()?,
        reason: raw.reason,
        expires: raw
            .expires
            .map(|d| Date::parse(&d).map_err(|e| format!(".expires: {e}")))
            .transpose()?,
        optional: raw.optional,
    };
    let selects = waiver.area.is_some()
        || waiver.resource.is_some()
        || waiver.terraform.is_some()
        || waiver.cloudformation.is_some()
        || waiver.attribute.is_some()
        || waiver.path.is_some();
    if !selects {
        return Err(": select findings with at least one of area, resource, terraform, cloudformation, attribute, path".to_owned());
    }
    Ok(waiver)
}

fn area_names() -> String {
    Area::ALL
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn compare_defaults(raw: RawCompare) -> Result<CompareDefaults, String> {
    let areas = raw
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            Area::parse(a)
                .ok_or_else(|| format!(".areas[{i}]: unknown area {a:?} (areas: {})", area_names()))
        })
        .collect::<Result<_, _>>()?;
    let fail_on = raw
        .fail_on
        .map(|f| match f.as_str() {
            "must" | "must-fix" => Ok(Severity::MustFix),
            "should" | "should-fix" => Ok(Severity::ShouldFix),
            "consider" => Ok(Severity::Consider),
            _ => Err(format!(
                ".fail_on: expected must, should or consider, found {f:?}"
            )),
        })
        .transpose()?;
    let source_of_truth = raw
        .source_of_truth
        .map(|s| match s.as_str() {
            "terraform" => Ok(Side::Terraform),
            "cdk" => Ok(Side::CloudFormation),
            _ => Err(format!(
                ".source_of_truth: expected terraform or cdk, found {s:?}"
            )),
        })
        .transpose()?;
    Ok(CompareDefaults {
        areas,
        fail_on,
        source_of_truth,
        strict: raw.strict,
    })
}

/// `KEY: value` pairs whose values are scalars, as the text a command line
/// would give them.
fn scalars(map: BTreeMap<String, yaml_serde::Value>) -> Result<BTreeMap<String, String>, String> {
    map.into_iter()
        .map(|(k, v)| {
            let text = match &v {
                yaml_serde::Value::String(s) => s.clone(),
                yaml_serde::Value::Bool(b) => b.to_string(),
                yaml_serde::Value::Number(n) => n.to_string(),
                _ => return Err(format!(".{k}: expected a string, number or boolean")),
            };
            Ok((k, text))
        })
        .collect()
}

#[cfg(test)]
mod tests;
