//! `cargo xtask testdata`: regenerate fixtures with the real tools.
//!
//! Every fixture under `testdata/<name>/` pairs a Terraform configuration with
//! a CDK app describing the same infrastructure, or is a Terraform
//! configuration alone (`testdata/tf-<name>/`, for the Terraform loader). This
//! task runs the real tools on them and replaces the committed outputs:
//! - a temporary copy of the Terraform configuration is initialised from a
//!   local provider mirror, planned (`terraform plan -out`) and shown as JSON
//!   (`terraform show -json`); the plan's `timestamp`, the order of its
//!   `relevant_attributes` and of its modules' `child_modules` are normalised
//!   so that the output only changes when the inputs do;
//! - a fixture may be planned against a deployment instead of nothing: a
//!   state is made first from another configuration, as if it had been
//!   applied (see [`state`]), shown as JSON, and the plan made against it;
//! - a fixture's plan may be resolved as well (see [`resolve`]): the plain
//!   plan and the resolved one are both written;
//! - the CDK app is synthesized once per variant (a set of context values),
//!   each into its own folder; the apps of the paired fixtures
//!   (ecs-fargate, ecs-fargate-fresh, multi-service, secrets-pair) and of
//!   the retail-store and GOV.UK real pairs with `--debug`, so
//!   that its cloud assembly records where the app made each resource
//!   (creation traces, docs/locations.md). Traces name the files of the app
//!   where it is synthesized: such an app is synthesized from a copy in
//!   [`synth_folder`] (in the system's temporary folder), with the
//!   fixture's `node_modules` linked in, so that the output does not depend
//!   on where the repository is checked out;
//! - the fix snippets of the ecs-fargate fixtures are checked in their own
//!   languages (see [`fixes`]): TypeScript with `tsc --noEmit` in a copy of
//!   the app, Python with `python3 -m py_compile`;
//! - a real pair (`testdata/real-pairs/<project>/<pair>/`) keeps a public
//!   project's rendered plan as data (its configuration is not ours to
//!   commit, see the pair's SOURCES.md), so only its CDK twin, written here,
//!   is synthesized again.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::process::{self, find_on_path};
use crate::resolve;
use crate::terraform::{self, MIRROR_ENV, Terraform, Workspace};

use crate::process::{run_captured, scrub_env};

mod fixes;
mod state;

const USAGE: &str = "usage: cargo xtask testdata [--provider-mirror DIR] [--fixture NAME]...

Regenerates the committed outputs of the fixtures under testdata/ with the real
terraform and cdk. Needs terraform, node, npm and npx on PATH, and a filesystem
mirror of the Terraform providers the fixtures pin.

options:
  --provider-mirror DIR  provider mirror (a folder holding registry.terraform.io/);
                         defaults to $IAC_PARITY_TF_PROVIDER_MIRROR
  --fixture NAME         regenerate only this fixture (repeatable)
  --cdk-only             synthesize the CDK apps only (needs neither terraform nor a mirror)
  -h, --help             print this help";

/// Where an app synthesized with creation traces is copied to first (see
/// the module's documentation): `iac-parity-synth/<fixture>/<app>` in the
/// system's temporary folder. The report never shows it: trace paths are
/// named inside the app's folder.
fn synth_folder() -> PathBuf {
    std::env::temp_dir().join("iac-parity-synth")
}

/// Value written over the plan's top-level `timestamp`.
const PLAN_TIMESTAMP: &str = "2000-01-01T00:00:00Z";

/// A fixture: one Terraform configuration and one CDK app, side by side.
#[derive(Debug)]
struct Fixture {
    /// Folder under `testdata/`.
    name: &'static str,
    /// Terraform configuration, relative to the fixture; empty for a
    /// CDK-only fixture.
    terraform_dir: &'static str,
    /// Where `terraform show -json` of the plan goes, relative to the
    /// fixture; empty for a CDK-only fixture.
    plan_json: &'static str,
    /// CDK app (the folder holding `cdk.json`), relative to the fixture;
    /// empty for a Terraform-only fixture.
    cdk_dir: &'static str,
    /// One `cdk synth` per entry; none for a Terraform-only fixture.
    synths: &'static [Synth],
    /// Plan against a state made first from another configuration, as if
    /// that one had been applied (see [`state`]).
    prior_state: Option<PriorState>,
}

/// The deployment a fixture's plan starts from.
#[derive(Debug)]
struct PriorState {
    /// The configuration deployed, relative to the fixture.
    terraform_dir: &'static str,
    /// Where `terraform show -json` of its state goes, relative to the
    /// fixture.
    state_json: &'static str,
}

/// One `cdk synth` of a fixture's CDK app.
#[derive(Debug)]
struct Synth {
    /// Context values, passed as `--context KEY=VALUE`.
    context: &'static [(&'static str, &'static str)],
    /// Output folder (the cloud assembly), relative to the fixture.
    out_dir: &'static str,
    /// Synthesize with `--debug`: the cloud assembly records creation
    /// traces. The paired fixtures do (their reports show the app line of
    /// each finding; the divergences of ecs-fargate and ecs-fargate-fresh
    /// are checked at theirs), and so do the retail-store and GOV.UK real
    /// pairs; ecs-fargate keeps one synth without, so that reports without
    /// traces stay tested; the CDK-only loader fixtures are without traces.
    traces: bool,
}

const FIXTURES: &[Fixture] = &[
    Fixture {
        name: "ecs-fargate",
        terraform_dir: "terraform",
        plan_json: "tfplan.json",
        cdk_dir: "cdk",
        synths: &[
            Synth {
                context: &[],
                out_dir: "cdk.out",
                traces: true,
            },
            Synth {
                context: &[("inSync", "true")],
                out_dir: "cdk.out.in-sync",
                traces: true,
            },
            Synth {
                context: &[],
                out_dir: "cdk.out.no-traces",
                traces: false,
            },
        ],
        prior_state: None,
    },
    Fixture {
        name: "ecs-fargate-fresh",
        terraform_dir: "terraform",
        plan_json: "tfplan.plain.json",
        cdk_dir: "cdk",
        synths: &[
            Synth {
                context: &[],
                out_dir: "cdk.out",
                traces: true,
            },
            Synth {
                context: &[("inSync", "true")],
                out_dir: "cdk.out.in-sync",
                traces: true,
            },
        ],
        prior_state: None,
    },
    Fixture {
        name: "multi-service",
        terraform_dir: "terraform",
        plan_json: "tfplan.json",
        cdk_dir: "cdk",
        synths: &[Synth {
            context: &[],
            out_dir: "cdk.out",
            traces: true,
        }],
        prior_state: None,
    },
    Fixture {
        name: "secrets-pair",
        terraform_dir: "terraform",
        plan_json: "tfplan.json",
        cdk_dir: "cdk",
        synths: &[Synth {
            context: &[],
            out_dir: "cdk.out",
            traces: true,
        }],
        prior_state: None,
    },
    Fixture {
        name: "hostile-values",
        terraform_dir: "terraform",
        plan_json: "tfplan.json",
        cdk_dir: "",
        synths: &[],
        prior_state: None,
    },
    Fixture {
        name: "tf-modules",
        terraform_dir: "terraform",
        plan_json: "tfplan.json",
        cdk_dir: "",
        synths: &[],
        prior_state: None,
    },
    Fixture {
        name: "tf-sensitive",
        terraform_dir: "terraform",
        plan_json: "tfplan.json",
        cdk_dir: "",
        synths: &[],
        prior_state: None,
    },
    Fixture {
        name: "tf-unknown-arns",
        terraform_dir: "terraform",
        plan_json: "tfplan.json",
        cdk_dir: "",
        synths: &[],
        prior_state: None,
    },
    // A resolution that leaves something unknown, and why: compared with
    // a CloudFormation template written by hand.
    Fixture {
        name: "tf-resolve/flow-logs",
        terraform_dir: "terraform",
        plan_json: "tfplan.plain.json",
        cdk_dir: "",
        synths: &[],
        prior_state: None,
    },
    Fixture {
        name: "tf-prior-state",
        terraform_dir: "terraform",
        plan_json: "tfplan.json",
        cdk_dir: "",
        synths: &[],
        prior_state: Some(PriorState {
            terraform_dir: "terraform-applied",
            state_json: "tfstate.json",
        }),
    },
    Fixture {
        name: "cdk-cross-stack",
        terraform_dir: "",
        plan_json: "",
        cdk_dir: "cdk",
        synths: &[
            // Weak references (the app's default): Fn::GetStackOutput.
            Synth {
                context: &[],
                out_dir: "cdk.out",
                traces: false,
            },
            // Strong references: exports and Fn::ImportValue.
            Synth {
                context: &[("@aws-cdk/core:defaultCrossStackReferences", "strong")],
                out_dir: "cdk.out.exports",
                traces: false,
            },
        ],
        prior_state: None,
    },
    Fixture {
        name: "cdk-nested-stack",
        terraform_dir: "",
        plan_json: "",
        cdk_dir: "cdk",
        synths: &[Synth {
            context: &[],
            out_dir: "cdk.out",
            traces: false,
        }],
        prior_state: None,
    },
    // Real pairs: a public project's rendered Terraform plan (committed as
    // data, see the pair's SOURCES.md) and the CDK twin written here.
    Fixture {
        name: "real-pairs/terraform-aws-ecs/fargate",
        terraform_dir: "",
        plan_json: "",
        cdk_dir: "cdk",
        synths: &[Synth {
            context: &[],
            out_dir: "cdk.out",
            traces: false,
        }],
        prior_state: None,
    },
    Fixture {
        name: "real-pairs/retail-store-sample-app/ecs",
        terraform_dir: "",
        plan_json: "",
        cdk_dir: "cdk",
        synths: &[Synth {
            context: &[],
            out_dir: "cdk.out",
            traces: true,
        }],
        prior_state: None,
    },
    Fixture {
        name: "real-pairs/govuk-infrastructure/publishing-platform",
        terraform_dir: "",
        plan_json: "",
        cdk_dir: "cdk",
        synths: &[Synth {
            context: &[],
            out_dir: "cdk.out",
            traces: true,
        }],
        prior_state: None,
    },
    // Both sides written here (see its SOURCES.md); the Terraform side calls
    // registry modules that are vendored when it is planned, not committed.
    Fixture {
        name: "real-pairs/spring-petclinic/services",
        terraform_dir: "",
        plan_json: "",
        cdk_dir: "cdk",
        synths: &[Synth {
            context: &[],
            out_dir: "cdk.out",
            traces: false,
        }],
        prior_state: None,
    },
    Fixture {
        name: "cdk-conditions",
        terraform_dir: "",
        plan_json: "",
        cdk_dir: "cdk",
        synths: &[Synth {
            context: &[],
            out_dir: "cdk.out",
            traces: false,
        }],
        prior_state: None,
    },
];

/// Fixtures whose plan is also resolved (see [`resolve`]): the fixture, and
/// where its resolved plan goes, relative to it (`plan_json` gets the plain
/// plan).
const RESOLVED_PLANS: &[(&str, &str)] = &[
    ("ecs-fargate", "tfplan.resolved.json"),
    ("ecs-fargate-fresh", "tfplan.resolved.json"),
    ("tf-resolve/flow-logs", "tfplan.resolved.json"),
];

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let Some(options) = Options::parse(args)? else {
        println!("{USAGE}");
        return Ok(());
    };
    let fixtures = select_fixtures(&options.fixtures)?;
    let root = repo_root()?;
    let tools = Tools::find(options.provider_mirror, !options.cdk_only)?;
    tools.describe()?;

    for fixture in &fixtures {
        let started = Instant::now();
        let dir = root.join("testdata").join(fixture.name);
        if !dir.is_dir() {
            bail!("fixture folder {} does not exist", dir.display());
        }
        if !fixture.terraform_dir.is_empty() && !options.cdk_only {
            plan_terraform(fixture, &dir, &tools)?;
        }
        if !fixture.synths.is_empty() {
            synth_cdk(fixture, &dir, &root, &tools)?;
            fixes::check(fixture, &dir, &tools)?;
        }
        eprintln!("[{}] done in {:.0?}", fixture.name, started.elapsed());
    }
    Ok(())
}

/// Command-line options of the task.
#[derive(Debug, Default, PartialEq)]
struct Options {
    provider_mirror: Option<PathBuf>,
    fixtures: Vec<String>,
    cdk_only: bool,
}

impl Options {
    /// `None` when help was asked for.
    fn parse(args: &[String]) -> anyhow::Result<Option<Self>> {
        let mut options = Self::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
                _ => (arg.as_str(), None),
            };
            let mut value = || -> anyhow::Result<String> {
                match &inline {
                    Some(value) => Ok(value.clone()),
                    None => args
                        .next()
                        .cloned()
                        .with_context(|| format!("`{flag}` needs a value\n\n{USAGE}")),
                }
            };
            match flag {
                "-h" | "--help" => return Ok(None),
                "--provider-mirror" => options.provider_mirror = Some(PathBuf::from(value()?)),
                "--fixture" => options.fixtures.push(value()?),
                "--cdk-only" => options.cdk_only = true,
                _ => bail!("unknown argument `{arg}`\n\n{USAGE}"),
            }
        }
        Ok(Some(options))
    }
}

fn select_fixtures(names: &[String]) -> anyhow::Result<Vec<&'static Fixture>> {
    if names.is_empty() {
        return Ok(FIXTURES.iter().collect());
    }
    names
        .iter()
        .map(|name| {
            FIXTURES.iter().find(|f| f.name == name).with_context(|| {
                let known: Vec<_> = FIXTURES.iter().map(|f| f.name).collect();
                format!("unknown fixture `{name}` (known: {})", known.join(", "))
            })
        })
        .collect()
}

/// The workspace root: the parent of this crate's folder, or else the first
/// ancestor of the current directory holding `testdata/` and `xtask/`.
fn repo_root() -> anyhow::Result<PathBuf> {
    let is_root = |dir: &Path| dir.join("testdata").is_dir() && dir.join("xtask").is_dir();
    if let Some(parent) = Path::new(env!("CARGO_MANIFEST_DIR")).parent()
        && is_root(parent)
    {
        return Ok(parent.to_path_buf());
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    cwd.ancestors()
        .find(|dir| is_root(dir))
        .map(Path::to_path_buf)
        .context("cannot find the repository root (a folder holding testdata/ and xtask/)")
}

/// The external tools, found up front so that a missing one fails before any
/// work is done.
struct Tools {
    terraform: PathBuf,
    node: PathBuf,
    npm: PathBuf,
    npx: PathBuf,
    /// Absolute path of the Terraform provider mirror.
    mirror: PathBuf,
}

impl Tools {
    /// Terraform and the mirror only when `terraform` is asked for.
    fn find(mirror_flag: Option<PathBuf>, terraform: bool) -> anyhow::Result<Self> {
        let mut problems = Vec::new();
        let needs_terraform = terraform;
        let mut tool = |name: &str, fix: &str| {
            let found = find_on_path(name);
            if found.is_none() && (name != "terraform" || needs_terraform) {
                problems.push(format!("`{name}` is not on PATH: {fix}"));
            }
            found.unwrap_or_default()
        };
        let terraform = tool(
            "terraform",
            "install Terraform 1.5 or later (https://developer.hashicorp.com/terraform/install)",
        );
        let node_fix = "install Node.js 20 or later (https://nodejs.org), which brings npm and npx";
        let node = tool("node", node_fix);
        let npm = tool("npm", node_fix);
        let npx = tool("npx", node_fix);

        let (mirror, source) = match mirror_flag {
            Some(dir) => (Some(dir), "--provider-mirror".to_owned()),
            None => match std::env::var_os(MIRROR_ENV) {
                Some(dir) if !dir.is_empty() => {
                    (Some(PathBuf::from(dir)), format!("${MIRROR_ENV}"))
                }
                _ => (None, String::new()),
            },
        };
        let mirror = match mirror {
            None if !needs_terraform => PathBuf::new(),
            None => {
                problems.push(format!(
                    "no Terraform provider mirror given: pass --provider-mirror DIR or set \
                     {MIRROR_ENV}=DIR, where DIR holds registry.terraform.io/hashicorp/aws/\
                     <version>/<os>_<arch>/ for the provider versions the fixtures pin \
                     (`terraform providers mirror DIR` in a fixture's terraform/ folder \
                     creates one)"
                ));
                PathBuf::new()
            }
            Some(dir) if !needs_terraform => dir,
            Some(dir) => terraform::check_mirror(&dir, &source).unwrap_or_else(|problem| {
                problems.push(problem);
                dir
            }),
        };

        if !problems.is_empty() {
            bail!(
                "cannot regenerate the fixtures:\n  - {}",
                problems.join("\n  - ")
            );
        }
        Ok(Self {
            terraform,
            node,
            npm,
            npx,
            mirror,
        })
    }

    /// How terraform runs for `fixture`: from the mirror, with none of the
    /// user's settings.
    fn terraform(&self, fixture: &Fixture) -> Terraform {
        Terraform {
            program: self.terraform.clone(),
            mirror: Some(self.mirror.clone()),
            hermetic: true,
            label: fixture.name.to_owned(),
        }
    }

    /// Prints which tools will be used, with their versions.
    fn describe(&self) -> anyhow::Result<()> {
        let version = |program: &Path, arg: &str| -> anyhow::Result<String> {
            let output = Command::new(program)
                .arg(arg)
                .output()
                .with_context(|| format!("cannot run {}", program.display()))?;
            let text = String::from_utf8_lossy(&output.stdout);
            Ok(text.lines().next().unwrap_or("").trim().to_owned())
        };
        if !self.terraform.as_os_str().is_empty() {
            eprintln!(
                "terraform: {} ({})",
                self.terraform.display(),
                version(&self.terraform, "version")?
            );
        }
        eprintln!(
            "node:      {} ({})",
            self.node.display(),
            version(&self.node, "--version")?
        );
        eprintln!(
            "npm:       {} ({})",
            self.npm.display(),
            version(&self.npm, "--version")?
        );
        eprintln!("npx:       {}", self.npx.display());
        if !self.mirror.as_os_str().is_empty() {
            eprintln!("provider mirror: {}", self.mirror.display());
        }
        Ok(())
    }
}

// --- Terraform ---------------------------------------------------------------

fn plan_terraform(fixture: &Fixture, dir: &Path, tools: &Tools) -> anyhow::Result<()> {
    let terraform = tools.terraform(fixture);
    let resolved = RESOLVED_PLANS
        .iter()
        .find(|(name, _)| *name == fixture.name)
        .map(|(_, file)| *file);
    let state = match (&fixture.prior_state, resolved) {
        (Some(_), Some(_)) => bail!(
            "[{}] a plan against a prior state cannot be resolved as well",
            fixture.name
        ),
        (Some(prior), None) => Some(state::make(fixture, prior, dir, &terraform)?),
        (None, _) => None,
    };
    let workspace = init_workspace(fixture, fixture.terraform_dir, dir, &terraform)?;
    let mut outputs = Vec::new();
    match resolved {
        None => outputs.push((fixture.plan_json, workspace.plan(state.as_deref())?)),
        Some(file) => {
            let plans = resolve::plans(&workspace, true)?;
            let Some(resolved) = plans.resolved else {
                match plans.gave_up {
                    Some(reason) => bail!("[{}] the resolution gave up: {reason}", fixture.name),
                    None => bail!(
                        "[{}] the plan leaves nothing unknown: there is nothing to resolve",
                        fixture.name
                    ),
                }
            };
            outputs.push((fixture.plan_json, plans.plain));
            outputs.push((file, resolved));
        }
    }
    for (file, json) in outputs {
        let json = normalise_plan(&json)?;
        let target = dir.join(file);
        step(fixture, format!("write {file}"));
        fs::write(&target, json).with_context(|| format!("cannot write {}", target.display()))?;
    }
    Ok(())
}

/// A temporary copy of the fixture's configuration `terraform_dir`,
/// initialised from the provider mirror; the committed lock file follows
/// what `terraform init` wrote.
fn init_workspace<'a>(
    fixture: &Fixture,
    terraform_dir: &str,
    dir: &Path,
    terraform: &'a Terraform,
) -> anyhow::Result<Workspace<'a>> {
    let source = dir.join(terraform_dir);
    let workspace = Workspace::init(terraform, &source, terraform_dir, &[], &[])?;
    sync_lock_file(fixture, terraform_dir, &workspace.config, &source)?;
    Ok(workspace)
}

/// Brings the committed `.terraform.lock.hcl` in line with what `terraform
/// init` wrote.
fn sync_lock_file(
    fixture: &Fixture,
    terraform_dir: &str,
    work: &Path,
    source: &Path,
) -> anyhow::Result<()> {
    const LOCK: &str = ".terraform.lock.hcl";
    let Ok(written) = fs::read(work.join(LOCK)) else {
        return Ok(());
    };
    let committed = source.join(LOCK);
    if fs::read(&committed).ok().as_deref() != Some(written.as_slice()) {
        step(fixture, format!("update {terraform_dir}/{LOCK}"));
        fs::write(&committed, written)
            .with_context(|| format!("cannot write {}", committed.display()))?;
    }
    Ok(())
}

/// Makes `terraform show -json` output reproducible, leaving every other byte
/// as terraform wrote it: the top-level `timestamp` becomes [`PLAN_TIMESTAMP`]
/// and the entries of `relevant_attributes` and of the `child_modules` lists,
/// which terraform lists in a different order on every run, are sorted.
fn normalise_plan(json: &str) -> anyhow::Result<String> {
    let plan: serde_json::Value =
        serde_json::from_str(json).context("`terraform show -json` printed invalid JSON")?;
    if plan.get("errored").and_then(serde_json::Value::as_bool) == Some(true) {
        bail!("the plan is marked as errored");
    }
    let Some(timestamp) = plan.get("timestamp").and_then(serde_json::Value::as_str) else {
        bail!("the plan has no top-level `timestamp`");
    };
    let needle = format!("\"timestamp\":{}", serde_json::Value::from(timestamp));
    let json = match json.matches(&needle).count() {
        1 => json.replacen(&needle, &format!("\"timestamp\":\"{PLAN_TIMESTAMP}\""), 1),
        n => bail!("expected `{needle}` once in the plan, found it {n} times"),
    };
    let json = sort_child_modules(&json)?;
    if plan.get("relevant_attributes").is_none() {
        return Ok(json);
    }
    sort_relevant_attributes(&json)
}

/// Sorts the `child_modules` lists of the plan's module trees
/// (`planned_values` and `prior_state`) by module address, at every depth.
/// Terraform lists the modules that one module instance calls in a different
/// order from one run to the next.
fn sort_child_modules(json: &str) -> anyhow::Result<String> {
    let mut roots = Vec::new();
    if let Some(values) = json_field(json, "planned_values")? {
        roots.extend(json_field(values, "root_module")?);
    }
    if let Some(state) = json_field(json, "prior_state")?
        && let Some(values) = json_field(state, "values")?
    {
        roots.extend(json_field(values, "root_module")?);
    }
    let mut spans: Vec<(std::ops::Range<usize>, String)> = roots
        .into_iter()
        .map(|root| Ok((span_in(json, root), sort_module(root)?)))
        .collect::<anyhow::Result<_>>()?;
    // From the last to the first, so that each span is still where it was.
    spans.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut json = json.to_owned();
    for (span, sorted) in spans {
        json.replace_range(span, &sorted);
    }
    Ok(json)
}

/// `module` with its `child_modules` sorted by address, theirs too.
fn sort_module(module: &str) -> anyhow::Result<String> {
    let Some(list) = json_field(module, "child_modules")? else {
        return Ok(module.to_owned());
    };
    let span = span_in(module, list);
    let children: Vec<&serde_json::value::RawValue> =
        serde_json::from_str(list).context("a module's `child_modules` is not a list")?;
    let mut sorted: Vec<(String, String)> = children
        .iter()
        .map(|child| {
            let address = json_field(child.get(), "address")?
                .and_then(|address| serde_json::from_str::<String>(address).ok())
                .context("a module of `child_modules` has no `address`")?;
            Ok((address, sort_module(child.get())?))
        })
        .collect::<anyhow::Result<_>>()?;
    sorted.sort();
    let sorted: Vec<&str> = sorted.iter().map(|(_, child)| child.as_str()).collect();
    let mut module = module.to_owned();
    module.replace_range(span, &format!("[{}]", sorted.join(",")));
    Ok(module)
}

/// The text of the value of `key` in the JSON object `object`, a slice of
/// it; `None` when the key is absent or null.
fn json_field<'a>(object: &'a str, key: &str) -> anyhow::Result<Option<&'a str>> {
    let fields: std::collections::BTreeMap<String, &serde_json::value::RawValue> =
        serde_json::from_str(object)
            .with_context(|| format!("looking for `{key}` in a non-object"))?;
    Ok(fields
        .get(key)
        .map(|value| value.get())
        .filter(|value| *value != "null"))
}

/// Where `part`, a slice of `text`, lies in it.
fn span_in(text: &str, part: &str) -> std::ops::Range<usize> {
    let start = (part.as_ptr() as usize)
        .checked_sub(text.as_ptr() as usize)
        .filter(|start| start + part.len() <= text.len())
        .expect("a slice of the text");
    start..start + part.len()
}

/// Sorts the top-level `relevant_attributes` array by the text of its entries.
fn sort_relevant_attributes(json: &str) -> anyhow::Result<String> {
    const KEY: &str = "\"relevant_attributes\":";
    let mut found = json.match_indices(KEY);
    let (Some((at, _)), None) = (found.next(), found.next()) else {
        bail!("expected `{KEY}` once in the plan");
    };
    let start = at + KEY.len();
    let mut stream = serde_json::Deserializer::from_str(&json[start..])
        .into_iter::<Vec<&serde_json::value::RawValue>>();
    let mut entries = stream
        .next()
        .context("the plan's `relevant_attributes` is cut short")?
        .context("the plan's `relevant_attributes` is not an array")?;
    let end = start + stream.byte_offset();
    entries.sort_by_key(|entry| entry.get());
    let entries: Vec<&str> = entries.iter().map(|entry| entry.get()).collect();
    Ok(format!(
        "{}[{}]{}",
        &json[..start],
        entries.join(","),
        &json[end..]
    ))
}

// --- CDK ---------------------------------------------------------------------

fn synth_cdk(fixture: &Fixture, dir: &Path, root: &Path, tools: &Tools) -> anyhow::Result<()> {
    let app = dir.join(fixture.cdk_dir);
    install_node_modules(fixture, &app, tools)?;
    // Where the app runs from: its folder, or for traces a copy in the
    // same place on every machine.
    let staged = if fixture.synths.iter().any(|s| s.traces) {
        Some(stage_app(fixture, &app)?)
    } else {
        None
    };

    for synth in fixture.synths {
        let out = tempfile::Builder::new()
            .prefix(".synth-")
            .tempdir_in(dir)
            .with_context(|| format!("cannot create a temporary directory in {}", dir.display()))?;
        let run_in = match &staged {
            Some(staged) if synth.traces => staged,
            _ => &app,
        };
        let mut command = Command::new(&tools.npx);
        command
            .current_dir(run_in)
            .args(["--no-install", "cdk", "synth", "--quiet"])
            .args(["--no-version-reporting", "--no-notices", "--no-lookups"])
            .arg("--output")
            .arg(out.path());
        let mut shown = String::from("cdk synth");
        if synth.traces {
            command.arg("--debug");
            shown.push_str(" --debug");
        }
        for (key, value) in synth.context {
            command.arg("--context").arg(format!("{key}={value}"));
            shown.push_str(&format!(" -c {key}={value}"));
        }
        scrub_env(&mut command, &["AWS_", "CDK_", "JSII_", "NODE_OPTIONS"]);
        command.env("CDK_DISABLE_CLI_TELEMETRY", "true");
        // node_modules is a link to the fixture's: node would otherwise
        // name the files inside it by where they really are.
        command.env("NODE_PRESERVE_SYMLINKS", "1");

        step(fixture, format!("{shown} -> {}", synth.out_dir));
        run_captured(fixture.name, &shown, command)?;

        if !out.path().join("manifest.json").is_file() {
            bail!("`{shown}` wrote no manifest.json");
        }
        // The CLI has the app write how long each phase of the synth took:
        // different on every run, and no part of the cloud assembly.
        let counters = out.path().join("performance-counters.json");
        if counters.is_file() {
            fs::remove_file(&counters)
                .with_context(|| format!("cannot remove {}", counters.display()))?;
        }
        check_no_local_paths(out.path(), &[root, out.path()])
            .with_context(|| format!("`{shown}` output is not reproducible"))?;

        let target = dir.join(synth.out_dir);
        if target.exists() {
            fs::remove_dir_all(&target)
                .with_context(|| format!("cannot remove {}", target.display()))?;
        }
        let out = out.keep();
        fs::rename(&out, &target)
            .with_context(|| format!("cannot move {} to {}", out.display(), target.display()))?;
    }
    Ok(())
}

/// Copies the app's sources (not `node_modules` nor outputs) to
/// `synth_folder()/<fixture>/<app>`, replacing what was there, and links the
/// app's `node_modules` in; returns the copy.
fn stage_app(fixture: &Fixture, app: &Path) -> anyhow::Result<PathBuf> {
    let staged = synth_folder().join(fixture.name).join(fixture.cdk_dir);
    if staged.exists() {
        fs::remove_dir_all(&staged)
            .with_context(|| format!("cannot remove {}", staged.display()))?;
    }
    step(
        fixture,
        format!("copy {} to {}", fixture.cdk_dir, staged.display()),
    );
    copy_sources(app, &staged)?;
    let modules = fs::canonicalize(app.join("node_modules"))
        .with_context(|| format!("cannot read {}", app.join("node_modules").display()))?;
    link_folder(&modules, &staged.join("node_modules"))?;
    Ok(staged)
}

/// Copies a CDK app's folder but what is installed or generated.
fn copy_sources(from: &Path, to: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        if ["node_modules", "cdk.out", ".git"].contains(&name.to_string_lossy().as_ref()) {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            copy_sources(&path, &to.join(&name))?;
        } else {
            fs::copy(&path, to.join(&name))
                .with_context(|| format!("cannot copy {}", path.display()))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn link_folder(target: &Path, link: &Path) -> anyhow::Result<()> {
    std::os::unix::fs::symlink(target, link)
        .with_context(|| format!("cannot link {} to {}", link.display(), target.display()))
}

#[cfg(not(unix))]
fn link_folder(_target: &Path, _link: &Path) -> anyhow::Result<()> {
    bail!(
        "synthesizing with creation traces needs a Unix machine (the app's copy links node_modules)"
    )
}

/// Runs `npm ci` when `node_modules` is missing or older than the lock file.
fn install_node_modules(fixture: &Fixture, app: &Path, tools: &Tools) -> anyhow::Result<()> {
    let lock = app.join("package-lock.json");
    let lock_time = fs::metadata(&lock)
        .and_then(|meta| meta.modified())
        .with_context(|| format!("cannot read {}", lock.display()))?;
    // npm writes node_modules/.package-lock.json at the end of every install.
    let installed = app.join("node_modules").join(".package-lock.json");
    let up_to_date = fs::metadata(&installed)
        .and_then(|meta| meta.modified())
        .is_ok_and(|installed_time| installed_time >= lock_time);
    if up_to_date {
        step(
            fixture,
            format!("{}/node_modules is up to date", fixture.cdk_dir),
        );
        return Ok(());
    }
    let mut command = Command::new(&tools.npm);
    command
        .current_dir(app)
        .args(["ci", "--no-audit", "--no-fund"]);
    step(fixture, format!("npm ci in {}", fixture.cdk_dir));
    run_captured(fixture.name, "npm ci", command)?;
    Ok(())
}

/// Fails when a file under `dir` names one of `paths`: the output would then
/// differ from one checkout to the next.
fn check_no_local_paths(dir: &Path, paths: &[&Path]) -> anyhow::Result<()> {
    let needles: Vec<String> = paths
        .iter()
        .map(|path| path.to_string_lossy().into_owned())
        .collect();
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            check_no_local_paths(&path, paths)?;
            continue;
        }
        let text = fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let text = String::from_utf8_lossy(&text);
        if let Some(needle) = needles.iter().find(|needle| text.contains(needle.as_str())) {
            bail!("{} names the local path {needle}", path.display());
        }
    }
    Ok(())
}

// --- Running commands ----------------------------------------------------------

fn step(fixture: &Fixture, what: impl std::fmt::Display) {
    process::step(fixture.name, what);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn parses_flags_with_separate_and_inline_values() {
        let options = Options::parse(&args(&[
            "--provider-mirror",
            "mirror",
            "--fixture=ecs-fargate",
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(options.provider_mirror, Some(PathBuf::from("mirror")));
        assert_eq!(options.fixtures, vec!["ecs-fargate".to_owned()]);
        assert!(!options.cdk_only);
        let options = Options::parse(&args(&["--cdk-only"])).unwrap().unwrap();
        assert!(options.cdk_only);
    }

    /// Whether a committed cloud assembly holds creation traces.
    fn holds_traces(dir: &Path) -> bool {
        fs::read_dir(dir).unwrap().any(|entry| {
            let path = entry.unwrap().path();
            if path.is_dir() {
                return holds_traces(&path);
            }
            let text = fs::read_to_string(&path).unwrap_or_default();
            text.contains("\"aws:cdk:creationStack\"")
        })
    }

    #[test]
    fn the_fixtures_committed_with_traces_are_synthesized_with_them() {
        let root = repo_root().unwrap();
        for fixture in FIXTURES {
            for synth in fixture.synths {
                let dir = root.join("testdata").join(fixture.name).join(synth.out_dir);
                assert_eq!(
                    holds_traces(&dir),
                    synth.traces,
                    "{}/{}",
                    fixture.name,
                    synth.out_dir
                );
            }
        }
        // Every paired fixture with an app shows its app lines.
        for name in [
            "ecs-fargate",
            "ecs-fargate-fresh",
            "multi-service",
            "secrets-pair",
        ] {
            let fixture = FIXTURES.iter().find(|f| f.name == name).unwrap();
            assert!(fixture.synths.iter().any(|s| s.traces), "{name}");
        }
        let untraced = FIXTURES[0].synths.iter().filter(|s| !s.traces).count();
        assert_eq!((FIXTURES[0].name, untraced), ("ecs-fargate", 1));
    }

    #[test]
    fn help_and_bad_arguments() {
        assert_eq!(Options::parse(&args(&["--help"])).unwrap(), None);
        assert!(Options::parse(&args(&["--fixture"])).is_err());
        assert!(Options::parse(&args(&["--frobnicate"])).is_err());
    }

    #[test]
    fn selects_known_fixtures_only() {
        assert_eq!(select_fixtures(&[]).unwrap().len(), FIXTURES.len());
        assert!(select_fixtures(&["ecs-fargate".to_owned()]).is_ok());
        let err = select_fixtures(&["nope".to_owned()]).unwrap_err();
        assert!(err.to_string().contains("ecs-fargate"), "{err}");
    }

    #[test]
    fn normalises_only_the_top_level_timestamp() {
        let plan = r#"{"format_version":"1.2","resource_changes":[],"timestamp":"2026-11-22T00:19:49Z","errored":false}
"#;
        let normalised = normalise_plan(plan).unwrap();
        assert_eq!(
            normalised,
            plan.replace("2026-11-22T00:19:49Z", PLAN_TIMESTAMP)
        );
        assert_eq!(normalise_plan(&normalised).unwrap(), normalised);
    }

    #[test]
    fn sorts_relevant_attributes_in_place() {
        let plan = r#"{"relevant_attributes":[{"resource":"b","attribute":["id"]},{"resource":"a[\"k\"]","attribute":["arn"]}],"timestamp":"t","applyable":true}"#;
        assert_eq!(
            normalise_plan(plan).unwrap(),
            format!(
                r#"{{"relevant_attributes":[{{"resource":"a[\"k\"]","attribute":["arn"]}},{{"resource":"b","attribute":["id"]}}],"timestamp":"{PLAN_TIMESTAMP}","applyable":true}}"#
            )
        );
    }

    #[test]
    fn sorts_child_modules_at_every_depth_in_place() {
        let plan = r#"{"planned_values":{"root_module":{"resources":[],"child_modules":[{"address":"module.s[\"b\"]"},{"resources":[{"address":"module.s[\"a\"].x"}],"address":"module.s[\"a\"]","child_modules":[{"address":"module.s[\"a\"].module.task"},{"address":"module.s[\"a\"].module.execution"}]}]}},"prior_state":{"values":{"root_module":{"child_modules":[{"address":"module.d"},{"address":"module.c"}]}}},"timestamp":"t"}"#;
        let sorted = format!(
            r#"{{"planned_values":{{"root_module":{{"resources":[],"child_modules":[{{"resources":[{{"address":"module.s[\"a\"].x"}}],"address":"module.s[\"a\"]","child_modules":[{{"address":"module.s[\"a\"].module.execution"}},{{"address":"module.s[\"a\"].module.task"}}]}},{{"address":"module.s[\"b\"]"}}]}}}},"prior_state":{{"values":{{"root_module":{{"child_modules":[{{"address":"module.c"}},{{"address":"module.d"}}]}}}}}},"timestamp":"{PLAN_TIMESTAMP}"}}"#
        );
        let normalised = normalise_plan(plan).unwrap();
        assert_eq!(normalised, sorted);
        assert_eq!(normalise_plan(&normalised).unwrap(), normalised);
    }

    #[test]
    fn rejects_errored_or_timestampless_plans() {
        assert!(normalise_plan(r#"{"timestamp":"x","errored":true}"#).is_err());
        assert!(normalise_plan(r#"{"format_version":"1.2"}"#).is_err());
    }
}
