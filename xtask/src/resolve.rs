//! `cargo xtask plan-json`: the JSON of a Terraform plan in which what a
//! fresh plan leaves unknown is traceable, made with the real terraform.
//!
//! A plan for resources that do not exist yet leaves their ARNs and IDs
//! unknown, and every value built from one: `jsonencode` makes a whole
//! `container_definitions` or policy unknown when one ARN inside it is. To
//! resolve them ([`plans`]):
//! 1. plan the configuration (the plain plan);
//! 2. write a state (format 4) holding every resource instance the plan
//!    creates or keeps, with its planned values, and a placeholder naming
//!    the resource and the attribute wherever a value is unknown
//!    ([`state::Filling::Traceable`]; the format is
//!    [`parity_terraform::Placeholder`]: an ARN where an ARN goes, else
//!    its plain spelling); the types come from `terraform providers schema
//!    -json`;
//! 3. plan again against that state, with `-refresh=false`: terraform now
//!    evaluates what waited for an ARN, with the placeholder in its place;
//! 4. the planned values of that plan make the next state; repeat until the
//!    plan has nothing unknown and the state it would make is the state it
//!    was planned against (a fixpoint: no resource changes because of a
//!    placeholder) — three or four plans on a secret → role → task
//!    definition → service chain, never more than [`MAX_ROUNDS`] against a
//!    state.
//!
//! The last plan is the resolved plan, with one member added
//! ([`parity_terraform::Resolution`]): the plain plan's actions, and where
//! values were made up that nothing determines, which the loader reads as
//! unknown again. The same machinery makes the `tf-prior-state` fixture's
//! state, with values that look deployed instead of placeholders
//! ([`state::Filling::Deployed`]).

pub mod state;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use parity_terraform::{RESOLUTION_KEY, Resolution, Segment};
use serde_json::Value as Json;

use crate::process::step;
use crate::terraform::{self, MIRROR_ENV, Terraform, Workspace};
use state::Filling;

const USAGE: &str = "usage: cargo xtask plan-json --terraform-dir DIR --output FILE [options]

Plans the Terraform configuration in DIR with the real terraform, from an
empty state, and writes `terraform show -json` of the plan. What the plan
leaves unknown (the ARNs and IDs of resources it creates, and every value
built from one) is resolved: the configuration is planned again against a
state holding placeholders that name each resource and attribute, until
nothing is unknown; iac-parity reads the placeholders as references. See
docs/known-after-apply.md.

options:
  --terraform-dir DIR      the Terraform configuration (copied to a temporary
                           directory; the local modules it calls must be inside)
  --var-file FILE          passed to every terraform plan (repeatable)
  --provider-mirror DIR    install the providers from this filesystem mirror
                           (a folder holding registry.terraform.io/); defaults
                           to $IAC_PARITY_TF_PROVIDER_MIRROR, else the registry
  --output FILE            where the resolved plan's JSON goes
  --plain-output FILE      also write the plain plan's JSON here
  --no-resolve-unknowns    write the plain plan to --output, unknowns and all
  -h, --help               print this help";

/// Plans against a made state before giving up on a fixpoint.
pub const MAX_ROUNDS: usize = 6;

/// Where placeholders say they are when the configuration does not say
/// which region its AWS provider uses.
const DEFAULT_REGION: &str = "us-east-1";

/// What [`plan_json`] is asked to do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// The Terraform configuration.
    pub terraform_dir: PathBuf,
    /// `-var-file` for every plan.
    pub var_files: Vec<PathBuf>,
    /// `-var NAME=VALUE` for every plan.
    pub vars: Vec<(String, String)>,
    /// The terraform to run; `None` finds it on `PATH`.
    pub terraform: Option<PathBuf>,
    /// A provider mirror; else `$IAC_PARITY_TF_PROVIDER_MIRROR`, else the
    /// registry.
    pub provider_mirror: Option<PathBuf>,
    /// Resolve what the plain plan leaves unknown.
    pub resolve_unknowns: bool,
}

/// The plans [`plan_json`] made, as `terraform show -json` text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plans {
    /// The plan from an empty state.
    pub plain: String,
    /// The resolved plan; `None` when resolution was not asked for, or the
    /// plain plan leaves nothing unknown.
    pub resolved: Option<String>,
}

impl Plans {
    /// The plan to compare: the resolved one when there is one.
    pub fn for_comparison(&self) -> &str {
        self.resolved.as_deref().unwrap_or(&self.plain)
    }
}

/// Plans the configuration (from an empty state, whatever backend it
/// declares) and resolves what the plan leaves unknown when asked to.
/// Progress goes to standard error; terraform's output only when it fails.
///
/// `cargo xtask parity` calls this, with `resolve_unknowns` unless it is
/// given `--no-resolve-unknowns`, and compares [`Plans::for_comparison`].
pub fn plan_json(options: &PlanOptions) -> anyhow::Result<Plans> {
    let mirror = terraform::mirror_from(options.provider_mirror.clone())?;
    let terraform = match &options.terraform {
        Some(program) => Terraform {
            program: program.clone(),
            mirror,
            hermetic: false,
            label: "plan-json".to_owned(),
        },
        None => Terraform::find(mirror, false, "plan-json")?,
    };
    let shown = options.terraform_dir.display().to_string();
    let workspace = Workspace::init(
        &terraform,
        &options.terraform_dir,
        &shown,
        &options.var_files,
        &options.vars,
    )?;
    plans(&workspace, options.resolve_unknowns)
}

/// The plain plan of the workspace's configuration, and the resolved one
/// when `resolve` and the plain plan leaves something unknown.
pub fn plans(workspace: &Workspace<'_>, resolve: bool) -> anyhow::Result<Plans> {
    let plain = workspace.plan(None)?;
    let first = parse(&plain)?;
    if !resolve || !state::has_unknowns(&first) {
        return Ok(Plans {
            plain,
            resolved: None,
        });
    }
    let filling = Filling::Traceable {
        region: provider_region(&first),
        arn_sinks: state::arn_sinks(&first),
    };
    let fixpoint = to_fixpoint(workspace, &plain, &filling)?;
    let resolution = Resolution {
        rounds: fixpoint.rounds,
        actions: actions(&first, &fixpoint.last),
        invented: fixpoint.invented,
    };
    let resolved = with_resolution(&fixpoint.plan, &resolution)?;
    // What is written must load: a mistake here is a bug to catch now.
    parity_terraform::load_str(&resolved, Path::new("the resolved plan"))
        .context("the resolved plan does not load")?;
    Ok(Plans {
        plain,
        resolved: Some(resolved),
    })
}

/// The last plan of a resolution and the state it was made against.
pub struct Fixpoint {
    /// `terraform show -json` of the last plan.
    pub plan: String,
    /// The same, parsed.
    pub last: Json,
    /// The state (format 4) the last plan was made against, which is the
    /// state it would leave.
    pub state: Json,
    /// Plans made, the first one included.
    pub rounds: usize,
    /// By resource instance address: the paths of the values made up that
    /// the last plan still holds.
    pub invented: BTreeMap<String, Vec<Vec<Segment>>>,
}

/// Plans against states made from the previous plan, from `first`, until
/// the plan has nothing unknown and would leave the state it was made
/// against.
pub fn to_fixpoint(
    workspace: &Workspace<'_>,
    first: &str,
    filling: &Filling,
) -> anyhow::Result<Fixpoint> {
    let schemas = workspace.providers_schema()?;
    let label = workspace.label().to_owned();
    let mut text = first.to_owned();
    let mut plan = parse(&text)?;
    let mut current: Option<Json> = None;
    let mut made_up: BTreeMap<String, Vec<(Vec<Segment>, Json)>> = BTreeMap::new();
    for plans_made in 1..=MAX_ROUNDS + 1 {
        let made = state::from_plan(&plan, &schemas, filling)?;
        if !state::has_unknowns(&plan) && current.as_ref() == Some(&made.state) {
            let invented = still_invented(&plan, &made_up);
            return Ok(Fixpoint {
                plan: text,
                last: plan,
                state: made.state,
                rounds: plans_made,
                invented,
            });
        }
        if plans_made > MAX_ROUNDS {
            break;
        }
        for (address, values) in made.filled {
            let known = made_up.entry(address).or_default();
            for (path, value) in values {
                known.retain(|(p, _)| *p != path);
                known.push((path, value));
            }
        }
        step(
            &label,
            format!("round {plans_made}: plan against a state with the unknown values filled in"),
        );
        let bytes = serde_json::to_vec_pretty(&made.state)?;
        text = workspace.plan(Some(&bytes))?;
        plan = parse(&text)?;
        current = Some(made.state);
    }
    bail!(
        "no fixpoint after {MAX_ROUNDS} rounds of planning against a state with the unknown \
         values filled in; still changing: {}",
        unsettled(&plan).join(", ")
    )
}

fn parse(json: &str) -> anyhow::Result<Json> {
    serde_json::from_str(json).context("`terraform show -json` printed invalid JSON")
}

/// The region of the configuration's AWS provider, when it says: a
/// constant, or a root variable's value.
fn provider_region(plan: &Json) -> String {
    let providers = plan["configuration"]["provider_config"].as_object();
    let aws = providers.into_iter().flatten().find_map(|(key, provider)| {
        (key == "aws" || provider["name"] == "aws").then_some(provider)
    });
    let region = aws.and_then(|provider| {
        let region = &provider["expressions"]["region"];
        if let Some(value) = region["constant_value"].as_str() {
            return Some(value.to_owned());
        }
        region["references"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str()?.strip_prefix("var."))
            .find_map(|name| plan["variables"][name]["value"].as_str().map(str::to_owned))
    });
    region
        .filter(|r| {
            !r.is_empty()
                && r.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        .unwrap_or_else(|| DEFAULT_REGION.to_owned())
}

/// The plain plan's actions, for the resource instances of the last plan.
fn actions(first: &Json, last: &Json) -> BTreeMap<String, Vec<String>> {
    let in_last: Vec<&str> = state::changes(last)
        .filter_map(|change| change["address"].as_str())
        .collect();
    state::changes(first)
        .filter_map(|change| {
            let address = change["address"].as_str()?;
            let actions = change["change"]["actions"]
                .as_array()?
                .iter()
                .map(|a| a.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()?;
            in_last
                .contains(&address)
                .then(|| (address.to_owned(), actions))
        })
        .collect()
}

/// The made-up values the last plan still holds where they were put.
fn still_invented(
    plan: &Json,
    made_up: &BTreeMap<String, Vec<(Vec<Segment>, Json)>>,
) -> BTreeMap<String, Vec<Vec<Segment>>> {
    let mut out = BTreeMap::new();
    for change in state::changes(plan) {
        let Some(address) = change["address"].as_str() else {
            continue;
        };
        let Some(values) = made_up.get(address) else {
            continue;
        };
        let after = &change["change"]["after"];
        let mut paths: Vec<Vec<Segment>> = values
            .iter()
            .filter(|(path, value)| at(after, path) == Some(value))
            .map(|(path, _)| path.clone())
            .collect();
        paths.sort_by_key(|path| path_key(path));
        if !paths.is_empty() {
            out.insert(address.to_owned(), paths);
        }
    }
    out
}

fn at<'j>(json: &'j Json, path: &[Segment]) -> Option<&'j Json> {
    path.iter().try_fold(json, |json, segment| match segment {
        Segment::Key(key) => json.get(key),
        Segment::Index(i) => json.get(i),
    })
}

/// A sort key: attribute paths in the order of their text.
fn path_key(path: &[Segment]) -> Vec<(String, usize)> {
    path.iter()
        .map(|segment| match segment {
            Segment::Key(key) => (key.clone(), 0),
            Segment::Index(i) => (String::new(), *i),
        })
        .collect()
}

/// The resource instances of a plan that are not settled: what they leave
/// unknown, or how they change.
fn unsettled(plan: &Json) -> Vec<String> {
    state::changes(plan)
        .filter_map(|change| {
            let address = change["address"].as_str()?;
            let actions = &change["change"]["actions"];
            let unknown = change["change"]["after_unknown"]
                .as_object()
                .map(|mask| {
                    mask.iter()
                        .filter(|(_, m)| **m != Json::Bool(false) && !is_empty_mask(m))
                        .map(|(key, _)| key.as_str())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            if !unknown.is_empty() {
                Some(format!("{address} (unknown: {})", unknown.join(", ")))
            } else if *actions != serde_json::json!(["no-op"]) {
                Some(format!("{address} ({actions})"))
            } else {
                None
            }
        })
        .collect()
}

fn is_empty_mask(mask: &Json) -> bool {
    match mask {
        Json::Bool(b) => !b,
        Json::Array(items) => items.iter().all(is_empty_mask),
        Json::Object(map) => map.values().all(is_empty_mask),
        _ => true,
    }
}

/// `terraform show -json` text with the resolution added as its last
/// member; every other byte as terraform wrote it.
fn with_resolution(plan: &str, resolution: &Resolution) -> anyhow::Result<String> {
    let trimmed = plan.trim_end();
    let Some(body) = trimmed.strip_suffix('}') else {
        bail!("`terraform show -json` printed something else than an object");
    };
    if parse(plan)?.get(RESOLUTION_KEY).is_some() {
        bail!("the plan already holds `{RESOLUTION_KEY}`");
    }
    let separator = if body.trim_end().ends_with('{') {
        ""
    } else {
        ","
    };
    Ok(format!(
        "{body}{separator}\"{RESOLUTION_KEY}\":{}}}{}",
        serde_json::to_string(&resolution.to_json())?,
        &plan[trimmed.len()..]
    ))
}

// --- The task ----------------------------------------------------------------

/// Command-line options of `cargo xtask plan-json`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    plan: PlanOptions,
    output: PathBuf,
    plain_output: Option<PathBuf>,
}

impl Options {
    /// `None` when help was asked for.
    fn parse(args: &[String]) -> anyhow::Result<Option<Self>> {
        let mut plan = PlanOptions {
            resolve_unknowns: true,
            ..PlanOptions::default()
        };
        let (mut terraform_dir, mut output, mut plain_output) = (None, None, None);
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
                _ => (arg.as_str(), None),
            };
            let mut value = || -> anyhow::Result<PathBuf> {
                match &inline {
                    Some(value) => Ok(PathBuf::from(value)),
                    None => args
                        .next()
                        .map(PathBuf::from)
                        .with_context(|| format!("`{flag}` needs a value\n\n{USAGE}")),
                }
            };
            match flag {
                "-h" | "--help" => return Ok(None),
                "--terraform-dir" => terraform_dir = Some(value()?),
                "--var-file" => plan.var_files.push(value()?),
                "--provider-mirror" => plan.provider_mirror = Some(value()?),
                "--output" => output = Some(value()?),
                "--plain-output" => plain_output = Some(value()?),
                "--no-resolve-unknowns" if inline.is_none() => plan.resolve_unknowns = false,
                _ => bail!("unknown argument `{arg}`\n\n{USAGE}"),
            }
        }
        let Some(terraform_dir) = terraform_dir else {
            bail!("`--terraform-dir DIR` is required\n\n{USAGE}");
        };
        let Some(output) = output else {
            bail!("`--output FILE` is required\n\n{USAGE}");
        };
        plan.terraform_dir = terraform_dir;
        Ok(Some(Options {
            plan,
            output,
            plain_output,
        }))
    }
}

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let Some(options) = Options::parse(args)? else {
        println!("{USAGE}");
        return Ok(());
    };
    if options.plan.provider_mirror.is_none() && std::env::var_os(MIRROR_ENV).is_none() {
        step(
            "plan-json",
            "providers from their registries (no mirror given)",
        );
    }
    let plans = plan_json(&options.plan)?;
    let write = |path: &Path, text: &str| -> anyhow::Result<()> {
        fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
        step("plan-json", format!("wrote {}", path.display()));
        Ok(())
    };
    if let Some(path) = &options.plain_output {
        write(path, &plans.plain)?;
    }
    if options.plan.resolve_unknowns && plans.resolved.is_none() {
        step(
            "plan-json",
            "the plan leaves nothing unknown: it is written as it is",
        );
    }
    write(&options.output, plans.for_comparison())
}

#[cfg(test)]
mod tests;
