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

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use parity_terraform::{Described, Placeholder, RESOLUTION_KEY, Resolution, Segment};
use serde_json::Value as Json;

use crate::process::step;
use crate::terraform::{self, Diagnostic, MIRROR_ENV, Terraform, Workspace};
use state::{Filling, Substitutes, path_text};

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
  --summary                print what the resolution did: rounds, values
                           resolved, values left unknown and why, wall time
  -h, --help               print this help

When terraform refuses a plan against the placeholder state, the resource
whose placeholder it refused is left unknown (with terraform's message in
the resolved plan's record) and the configuration is planned again. When
nothing identifies the cause, the plain plan is written and the reason
printed.";

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
#[derive(Debug, Clone, PartialEq)]
pub struct Plans {
    /// The plan from an empty state.
    pub plain: String,
    /// The resolved plan; `None` when resolution was not asked for, the
    /// plain plan leaves nothing unknown, or the resolution gave up.
    pub resolved: Option<String>,
    /// Why the resolution gave up, when it did.
    pub gave_up: Option<String>,
    /// How long it took, in seconds (for the summary only).
    pub seconds: f64,
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
///
/// A configuration that cannot be planned at all is an error naming
/// terraform's diagnostics. A resolution that cannot go on (terraform
/// refuses a state and names no value that could be left out) is not: the
/// plain plan is all there is, and [`Plans::gave_up`] says why.
pub fn plans(workspace: &Workspace<'_>, resolve: bool) -> anyhow::Result<Plans> {
    let started = std::time::Instant::now();
    let plain = workspace.plan(None)?;
    let first = parse(&plain)?;
    if !resolve || !state::has_unknowns(&first) {
        return Ok(Plans {
            plain,
            resolved: None,
            gave_up: None,
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    let filling = Filling::Traceable {
        region: provider_region(&first),
        arn_sinks: state::arn_sinks(&first),
        reads: state::reads(&first),
    };
    let fixpoint = match to_fixpoint(workspace, &plain, &filling) {
        Ok(fixpoint) => fixpoint,
        Err(err) => {
            let reason = format!("{err:#}");
            step(
                workspace.label(),
                format!("the resolution gave up, the plain plan is all there is: {reason}"),
            );
            return Ok(Plans {
                plain,
                resolved: None,
                gave_up: Some(reason),
                seconds: started.elapsed().as_secs_f64(),
            });
        }
    };
    let invented_count: usize = fixpoint.invented.values().map(Vec::len).sum();
    let left = unknown_paths(&fixpoint.last).len();
    let resolution = Resolution {
        rounds: fixpoint.rounds,
        actions: actions(&first, &fixpoint.last),
        invented: fixpoint.invented,
        substitutes: fixpoint.substitutes,
        unresolved: fixpoint.unresolved,
        resolved: unknown_paths(&first)
            .len()
            .saturating_sub(left + invented_count),
    };
    let resolved = with_resolution(&fixpoint.plan, &resolution, &fixpoint.outputs)?;
    // What is written must load: a mistake here is a bug to catch now.
    parity_terraform::load_str(&resolved, Path::new("the resolved plan"))
        .context("the resolved plan does not load")?;
    Ok(Plans {
        plain,
        resolved: Some(resolved),
        gave_up: None,
        seconds: started.elapsed().as_secs_f64(),
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
    /// Plans made, the first one included, refused ones too.
    pub rounds: usize,
    /// By resource instance address: the paths of the values made up that
    /// the last plan still holds.
    pub invented: BTreeMap<String, Vec<Vec<Segment>>>,
    /// By resource instance address: the typed placeholders of the state.
    pub substitutes: Described,
    /// By resource instance address: what the last plan leaves unknown,
    /// and why.
    pub unresolved: Described,
    /// By output address (`module.worker.output.required_secrets`): the
    /// outputs left unknown because terraform could not evaluate them with
    /// the placeholders, and why ([`Outputs`]).
    pub outputs: BTreeMap<String, String>,
}

/// Plans refused by terraform before the resolution gives up.
pub const MAX_REFUSED: usize = 12;

/// Plans against states made from the previous plan, from `first`, until
/// the plan would leave the state it was made against.
///
/// With placeholders ([`Filling::Traceable`]) the resolution degrades
/// rather than stops: when terraform refuses a plan because of a value of
/// the state, the resource instance that value stands for is left out of
/// the next states (what it computes stays unknown, and so does what is
/// built from it), and the reason is kept; a plan that still leaves
/// something unknown is a fixpoint when the state no longer changes, and
/// after [`MAX_ROUNDS`] rounds the last plan is taken with what still
/// changes left unknown. Values that look deployed
/// ([`Filling::Deployed`]) must reach a plan with nothing unknown.
pub fn to_fixpoint(
    workspace: &Workspace<'_>,
    first: &str,
    filling: &Filling,
) -> anyhow::Result<Fixpoint> {
    let schemas = workspace.providers_schema()?;
    let label = workspace.label().to_owned();
    let degrade = matches!(filling, Filling::Traceable { .. });
    if degrade {
        for (folder, resource) in plan_without_ignore_changes(workspace)? {
            let shown = if folder.is_empty() { "." } else { &folder };
            step(
                &label,
                format!("plan {resource} (in {shown}) without its lifecycle ignore_changes"),
            );
        }
    }
    let mut text = first.to_owned();
    let mut plan = parse(&text)?;
    let mut substitutes = Substitutes::new(&plan);
    let mut left_out: BTreeMap<String, String> = BTreeMap::new();
    let mut attempts: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut current: Option<Json> = None;
    let mut made_up: BTreeMap<String, Vec<(Vec<Segment>, Json)>> = BTreeMap::new();
    let mut outputs = Outputs::default();
    let (mut plans_made, mut against_state, mut refused) = (1, 0, 0);
    loop {
        let leave: BTreeSet<String> = left_out.keys().cloned().collect();
        let made = state::from_plan(
            &plan,
            &schemas,
            filling,
            &mut substitutes,
            &leave,
            &attempts,
        )?;
        let settled = current.as_ref() == Some(&made.state);
        let out_of_rounds = against_state >= MAX_ROUNDS;
        if settled && (degrade || !state::has_unknowns(&plan)) || (degrade && out_of_rounds) {
            if !settled {
                step(
                    &label,
                    format!(
                        "no fixpoint after {MAX_ROUNDS} rounds: what still changes is left unknown"
                    ),
                );
            }
            let still_changing = if settled {
                BTreeSet::new()
            } else {
                changing(&plan)
            };
            let invented = still_invented(&plan, &made_up);
            let unresolved = unresolved(&plan, &left_out, &still_changing);
            let mut chosen = substitutes.chosen;
            chosen.retain(|address, _| !left_out.contains_key(address));
            return Ok(Fixpoint {
                plan: text,
                last: plan,
                state: made.state,
                rounds: plans_made,
                invented,
                substitutes: chosen,
                unresolved,
                outputs: outputs.reasons,
            });
        }
        if out_of_rounds {
            bail!(
                "no fixpoint after {MAX_ROUNDS} rounds of planning against a state with the \
                 unknown values filled in; still changing: {}",
                unsettled(&plan).join(", ")
            );
        }
        step(
            &label,
            format!("round {plans_made}: plan against a state with the unknown values filled in"),
        );
        let bytes = serde_json::to_vec_pretty(&made.state)?;
        plans_made += 1;
        match workspace.try_plan(Some(&bytes))? {
            Ok(planned) => {
                let next = parse(&planned)?;
                did_not_hold(&next, &made.filled, &mut attempts);
                for (address, values) in made.filled {
                    let known = made_up.entry(address).or_default();
                    for (path, value) in values {
                        known.retain(|(p, _)| *p != path);
                        known.push((path, value));
                    }
                }
                text = planned;
                plan = next;
                current = Some(made.state);
                against_state += 1;
            }
            Err(diagnostics) => {
                refused += 1;
                let unread = if degrade && refused <= MAX_REFUSED {
                    outputs.leave_unknown(workspace, &diagnostics, &plan)?
                } else {
                    Vec::new()
                };
                if !unread.is_empty() {
                    for (address, reason) in unread {
                        step(&label, format!("leave {address} unknown: {reason}"));
                    }
                    continue;
                }
                let renamed = if degrade && refused <= MAX_REFUSED {
                    spell_as_names(&diagnostics, &made.state, &mut substitutes, &left_out)
                } else {
                    Vec::new()
                };
                if !renamed.is_empty() {
                    for (address, path, spelling) in renamed {
                        step(
                            &label,
                            format!(
                                "spell {address} `{path}` {spelling}: terraform refused its placeholder"
                            ),
                        );
                    }
                    continue;
                }
                let culprits = if degrade {
                    culprits(&diagnostics, &made.state, &substitutes, &left_out)
                } else {
                    BTreeMap::new()
                };
                let messages = || {
                    diagnostics
                        .iter()
                        .map(Diagnostic::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                if culprits.is_empty() {
                    bail!(
                        "terraform refused the plan against the placeholder state, and names no \
                         value of it that could be left unknown: {}",
                        messages()
                    );
                }
                if refused > MAX_REFUSED {
                    bail!(
                        "terraform refused {MAX_REFUSED} plans; the last: {}",
                        messages()
                    );
                }
                for (address, reason) in culprits {
                    step(&label, format!("leave {address} unknown: {reason}"));
                    left_out.insert(address, reason);
                }
            }
        }
    }
}

/// The member of the resolution record that lists the outputs left
/// unknown.
pub const OUTPUTS_KEY: &str = "outputs";

/// Written into a module's folder of the copy: the outputs left unknown.
const OUTPUTS_OVERRIDE: &str = "iac_parity_outputs_override.tf";

/// Outputs terraform could not evaluate with the placeholders of the state
/// (an ARN split at `:` and sliced to seven fields, which a placeholder ARN
/// does not have), and that nothing in the configuration reads: an
/// override file in their module's folder of the copy gives each a value
/// known only after apply (`timestamp()`), so that they are left unknown
/// and what they cannot evaluate stops nothing else. An output that
/// something reads is not touched: its value may reach a resource, which
/// must then be left out as for any refused placeholder.
#[derive(Debug, Default)]
struct Outputs {
    /// By module folder, relative to the copy (`""` for the root): the
    /// names of its outputs left unknown.
    by_folder: BTreeMap<String, BTreeSet<String>>,
    /// By output address: why it was left unknown.
    reasons: BTreeMap<String, String>,
}

impl Outputs {
    /// Leaves unknown the outputs the diagnostics of a refused plan are
    /// about that nothing reads (`plan` holds the configuration); returns
    /// them with their reasons, nothing when there are none.
    fn leave_unknown(
        &mut self,
        workspace: &Workspace<'_>,
        diagnostics: &[Diagnostic],
        plan: &Json,
    ) -> anyhow::Result<Vec<(String, String)>> {
        let mut found = Vec::new();
        for diagnostic in diagnostics {
            let Some((folder, name)) = output_of(diagnostic) else {
                continue;
            };
            let Some(modules) = modules_in(&workspace.config, &folder) else {
                continue;
            };
            if modules
                .iter()
                .any(|module| output_is_read(&plan["configuration"], module, &name))
            {
                continue;
            }
            if !self
                .by_folder
                .entry(folder.clone())
                .or_default()
                .insert(name.clone())
            {
                continue;
            }
            let reason = format!(
                "terraform could not evaluate it with the placeholders of the state, and nothing \
                 in the configuration reads it: {}",
                diagnostic.message
            );
            for module in &modules {
                let address = output_address(module, &name);
                self.reasons
                    .entry(address.clone())
                    .or_insert_with(|| reason.clone());
                found.push((address, reason.clone()));
            }
            self.write(workspace, &folder)?;
        }
        Ok(found)
    }

    /// Writes the override of one module folder of the copy.
    fn write(&self, workspace: &Workspace<'_>, folder: &str) -> anyhow::Result<()> {
        let mut text = String::from(
            "# Written by cargo xtask plan-json: outputs that cannot be evaluated with the\n\
             # placeholders of the state, left unknown.\n",
        );
        for name in self.by_folder.get(folder).into_iter().flatten() {
            text.push_str(&format!(
                "\noutput \"{name}\" {{\n  value = timestamp()\n}}\n"
            ));
        }
        let path = workspace.config.join(folder).join(OUTPUTS_OVERRIDE);
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
    }
}

/// The module folder (relative to the configuration, `""` for the root) and
/// the name of the output a diagnostic is about: terraform names the block
/// it is in (`output "required_secrets"`) and the file.
fn output_of(diagnostic: &Diagnostic) -> Option<(String, String)> {
    let json: Json = serde_json::from_str(&diagnostic.text).ok()?;
    let name = json["snippet"]["context"]
        .as_str()?
        .strip_prefix("output \"")?
        .strip_suffix('"')?;
    let file = Path::new(json["range"]["filename"].as_str()?);
    let folder = file.parent().unwrap_or(Path::new(""));
    Some((folder_text(folder), name.to_owned()))
}

/// A folder relative to the configuration as one text: `/`-separated, no
/// `.` steps, `""` for the configuration itself.
fn folder_text(folder: &Path) -> String {
    folder
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The module calls whose module is in `folder` of the configuration, as
/// paths of call names (`["worker"]`, `["api", "queue"]`; the root module
/// is the empty path), from what `terraform init` wrote into
/// `.terraform/modules/modules.json`. `None` when it does not say.
fn modules_in(config: &Path, folder: &str) -> Option<Vec<Vec<String>>> {
    if folder.is_empty() {
        return Some(vec![Vec::new()]);
    }
    let text = fs::read_to_string(config.join(".terraform/modules/modules.json")).ok()?;
    let json: Json = serde_json::from_str(&text).ok()?;
    let modules: Vec<Vec<String>> = json["Modules"]
        .as_array()?
        .iter()
        .filter(|m| {
            m["Dir"]
                .as_str()
                .map(|d| folder_text(Path::new(d)))
                .as_deref()
                == Some(folder)
        })
        .filter_map(|m| m["Key"].as_str())
        .filter(|key| !key.is_empty())
        .map(|key| key.split('.').map(str::to_owned).collect())
        .collect();
    (!modules.is_empty()).then_some(modules)
}

/// The address of output `name` of the module at `path` of calls.
fn output_address(path: &[String], name: &str) -> String {
    path.iter()
        .map(|call| format!("module.{call}."))
        .chain(std::iter::once(format!("output.{name}")))
        .collect()
}

/// Whether an expression of the configuration (a plan's `configuration`)
/// reads output `name` of the module at `path` of calls: the module that
/// calls it refers to `module.<call>.<name>`, or to the whole module. A
/// root module's outputs are read by nothing in it.
///
/// Terraform lists with each reference the shorter ones it starts with
/// (`module.api.url` with `module.api`): `module.<call>` alone reads the
/// whole module only when its expression names nothing longer of it.
fn output_is_read(configuration: &Json, path: &[String], name: &str) -> bool {
    let Some((call, parents)) = path.split_last() else {
        return false;
    };
    let mut parent = &configuration["root_module"];
    for step in parents {
        parent = &parent["module_calls"][step]["module"];
    }
    let mut expressions = Vec::new();
    references_in_scope(parent, &mut expressions);
    let prefix = format!("module.{call}");
    // What follows `module.<call>` and its instance key, if anything.
    let rest = |reference: &str| -> Option<String> {
        let rest = reference.strip_prefix(&prefix)?;
        match rest.strip_prefix('[') {
            Some(inner) => inner.split_once(']').map(|(_, after)| after.to_owned()),
            None => (rest.is_empty() || rest.starts_with('.')).then(|| rest.to_owned()),
        }
    };
    expressions.iter().any(|references| {
        let rests: Vec<String> = references.iter().filter_map(|r| rest(r)).collect();
        let whole = rests.iter().any(String::is_empty) && rests.iter().all(String::is_empty);
        whole
            || rests.iter().any(|rest| {
                rest.strip_prefix('.')
                    .and_then(|r| r.strip_prefix(name))
                    .is_some_and(|r| r.is_empty() || r.starts_with(['.', '[']))
            })
    })
}

/// The references of every expression of one module of a plan's
/// `configuration` (the arguments of its module calls included, not what
/// the called modules hold), one list per expression.
fn references_in_scope(module: &Json, out: &mut Vec<Vec<String>>) {
    fn walk(json: &Json, out: &mut Vec<Vec<String>>) {
        match json {
            Json::Object(map) => {
                for (key, value) in map {
                    if key == "references" {
                        out.push(
                            value
                                .as_array()
                                .into_iter()
                                .flatten()
                                .filter_map(|r| r.as_str().map(str::to_owned))
                                .collect(),
                        );
                    } else {
                        walk(value, out);
                    }
                }
            }
            Json::Array(items) => items.iter().for_each(|item| walk(item, out)),
            _ => {}
        }
    }
    let Some(map) = module.as_object() else {
        return;
    };
    for (key, value) in map {
        if key == "module_calls" {
            for call in value.as_object().into_iter().flatten().map(|(_, c)| c) {
                for (key, value) in call.as_object().into_iter().flatten() {
                    if key != "module" {
                        walk(value, out);
                    }
                }
            }
        } else {
            walk(value, out);
        }
    }
}

/// Takes `ignore_changes` out of the `lifecycle` of every managed resource
/// of the copy that sets it (`all`, or a list), and returns those resources
/// (module folder, `type.name`).
///
/// Against the placeholder state, a resource that ignores changes keeps
/// the state's made-up values instead of what the configuration gives it:
/// a bootstrap task definition with `ignore_changes = all` would keep an
/// empty `container_definitions` and the made-up ARN of its execution role
/// for good. `ignore_changes` only matters to a resource that exists; the
/// plain plan creates it from its configuration, which is what the
/// resolution plans too. (An override file cannot do it: terraform merges
/// `ignore_changes = all` into the block, whatever the override says.)
/// The `.tf` files of the copy's root and of every module `terraform init`
/// installed are rewritten in the copy (a `resource "type" "name"` block
/// starts a line, as `terraform fmt` writes it).
fn plan_without_ignore_changes(workspace: &Workspace<'_>) -> anyhow::Result<Vec<(String, String)>> {
    let mut folders: BTreeSet<String> = BTreeSet::from([String::new()]);
    if let Ok(text) = fs::read_to_string(workspace.config.join(".terraform/modules/modules.json")) {
        let json: Json = serde_json::from_str(&text).unwrap_or_default();
        folders.extend(
            json["Modules"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|m| m["Dir"].as_str())
                .map(|d| folder_text(Path::new(d))),
        );
    }
    let mut out = Vec::new();
    for folder in folders {
        let Ok(entries) = fs::read_dir(workspace.config.join(&folder)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "tf"))
            .collect();
        files.sort();
        for file in files {
            let text = fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let (kept, resources) = without_ignore_changes(&text);
            if resources.is_empty() {
                continue;
            }
            fs::write(&file, kept).with_context(|| format!("cannot write {}", file.display()))?;
            out.extend(
                resources
                    .into_iter()
                    .map(|(kind, name)| (folder.clone(), format!("{kind}.{name}"))),
            );
        }
    }
    Ok(out)
}

/// A `.tf` file's text without the `ignore_changes` arguments of its
/// `resource` blocks (`= all`, or a list, over as many lines as it takes),
/// and those resources (type, name).
fn without_ignore_changes(text: &str) -> (String, Vec<(String, String)>) {
    let mut kept = String::with_capacity(text.len());
    let mut resources = Vec::new();
    let mut current: Option<(String, String)> = None;
    // Brackets still open in an `ignore_changes` list being left out.
    let mut open: Option<i64> = None;
    for line in text.split_inclusive('\n') {
        if let Some(depth) = open {
            let depth = depth + brackets(line);
            open = (depth > 0).then_some(depth);
            continue;
        }
        if !line.starts_with([' ', '\t', '}', '\n', '\r', '#', '/']) {
            let mut words = line.split_whitespace();
            current = match (words.next(), words.next(), words.next()) {
                (Some("resource"), Some(kind), Some(name)) => {
                    let unquote = |w: &str| w.trim_matches('"').to_owned();
                    Some((unquote(kind), unquote(name)))
                }
                _ => None,
            };
        }
        let value = line
            .trim_start()
            .strip_prefix("ignore_changes")
            .and_then(|rest| rest.trim_start().strip_prefix('='));
        match (value, &current) {
            (Some(value), Some(resource)) => {
                let depth = brackets(value);
                open = (depth > 0).then_some(depth);
                if !resources.contains(resource) {
                    resources.push(resource.clone());
                }
            }
            _ => kept.push_str(line),
        }
    }
    (kept, resources)
}

/// `[` less `]` on a line, comments left out.
fn brackets(line: &str) -> i64 {
    let code = line.split('#').next().unwrap_or_default();
    let code = code.split("//").next().unwrap_or_default();
    code.chars()
        .map(|c| match c {
            '[' => 1,
            ']' => -1,
            _ => 0,
        })
        .sum()
}

/// Counts the made-up values that did not hold in `next`: the resource is
/// replaced because of them, or (not replaced) they are unknown again.
fn did_not_hold(
    next: &Json,
    filled: &BTreeMap<String, Vec<(Vec<Segment>, Json)>>,
    attempts: &mut BTreeMap<(String, String), usize>,
) {
    let unknown: BTreeSet<(String, String)> = unknown_paths(next)
        .into_iter()
        .map(|(address, path)| (address, path_text(&path)))
        .collect();
    for change in state::changes(next) {
        let Some(address) = change["address"].as_str() else {
            continue;
        };
        let Some(values) = filled.get(address) else {
            continue;
        };
        let replaced = state::replaced_because_of(change);
        let replacing = change["change"]["actions"]
            .as_array()
            .is_some_and(|a| a.len() == 2);
        for (path, _) in values {
            let key = (address.to_owned(), path_text(path));
            let failed = if replacing {
                replaced.contains(path)
            } else {
                unknown.contains(&key)
            };
            if failed {
                *attempts.entry(key).or_default() += 1;
            }
        }
    }
}

/// How an attribute whose placeholder terraform refused is spelled from
/// the next round on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Respelling {
    /// In the ARN spelling: the provider said it wants an ARN where the
    /// plain spelling went (a listener's `target_group_arn` set from a
    /// target group's `id` in a `dynamic` block, which the plan's
    /// configuration does not show).
    Arn,
    /// As a name ([`state::Substitutes::spell_as_name`]).
    Name,
}

impl std::fmt::Display for Respelling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Respelling::Arn => "as an ARN",
            Respelling::Name => "as a name",
        })
    }
}

/// The attributes whose placeholders (in the ARN or plain spelling) a
/// refused plan's diagnostics quote, spelled otherwise from now on: in the
/// ARN spelling when the plain one was refused by a diagnostic that speaks
/// of an ARN, else as names ([`state::Substitutes::spell_as_name`]): a
/// provider that checks a name's characters (a log group name made from a
/// VPC's ID) takes letters, digits and hyphens. Those already so spelled
/// are not returned: when the name is refused too, the resource is left
/// out ([`culprits`]).
fn spell_as_names(
    diagnostics: &[Diagnostic],
    state: &Json,
    substitutes: &mut Substitutes,
    left_out: &BTreeMap<String, String>,
) -> Vec<(String, String, Respelling)> {
    let in_state = state_addresses(state);
    let mut out = Vec::new();
    for diagnostic in diagnostics {
        let wants_arn = diagnostic.message.contains("ARN");
        for (placeholder, arn_spelled) in placeholders_in(&diagnostic.text) {
            if !in_state.contains(&placeholder.address)
                || left_out.contains_key(&placeholder.address)
            {
                continue;
            }
            let path = placeholder.path.join(".");
            if wants_arn && !arn_spelled && substitutes.spell_as_arn(&placeholder.address, &path) {
                out.push((placeholder.address.clone(), path, Respelling::Arn));
            } else if substitutes.spell_as_name(&placeholder.address, &path) {
                out.push((placeholder.address.clone(), path, Respelling::Name));
            }
        }
    }
    out
}

/// The resource instances of the state that a refused plan's diagnostics
/// name as the cause, with the reason: the resource a placeholder in the
/// message stands for (by its text, or as a typed placeholder), else the
/// resource the diagnostic is about.
fn culprits(
    diagnostics: &[Diagnostic],
    state: &Json,
    substitutes: &Substitutes,
    left_out: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let in_state = state_addresses(state);
    let mut out = BTreeMap::new();
    for diagnostic in diagnostics {
        let mut named: Vec<(String, String)> = placeholders_in(&diagnostic.text)
            .into_iter()
            .map(|(p, _)| (p.address.clone(), p.attribute()))
            .collect();
        for (address, chosen) in &substitutes.chosen {
            for (path, value) in chosen {
                if parity_terraform::is_address_substitute(value)
                    && parity_terraform::contains_address(&diagnostic.text, value)
                {
                    named.push((address.clone(), path_text(path)));
                }
            }
        }
        named.retain(|(address, _)| in_state.contains(address) && !left_out.contains_key(address));
        if named.is_empty()
            && let Some(address) = &diagnostic.address
            && in_state.contains(address)
            && !left_out.contains_key(address)
        {
            named.push((address.clone(), String::new()));
        }
        for (address, attribute) in named {
            let reason = if attribute.is_empty() {
                format!(
                    "terraform refused its placeholder values: {}",
                    diagnostic.message
                )
            } else {
                format!(
                    "terraform refused the placeholder of its `{attribute}`: {}",
                    diagnostic.message
                )
            };
            out.entry(address).or_insert(reason);
        }
    }
    out
}

/// The resource instance addresses a state holds.
fn state_addresses(state: &Json) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for resource in state["resources"].as_array().into_iter().flatten() {
        let module = resource["module"]
            .as_str()
            .map(|m| format!("{m}."))
            .unwrap_or_default();
        let base = format!(
            "{module}{}.{}",
            resource["type"].as_str().unwrap_or_default(),
            resource["name"].as_str().unwrap_or_default()
        );
        for instance in resource["instances"].as_array().into_iter().flatten() {
            out.insert(match &instance["index_key"] {
                Json::Number(n) => format!("{base}[{n}]"),
                Json::String(key) => format!("{base}[{}]", Json::String(key.clone())),
                _ => base.clone(),
            });
        }
    }
    out
}

/// The placeholders written out in `text` (a diagnostic, as JSON), whatever
/// follows them (`/32`, `:username::`), each with whether it is in the ARN
/// spelling.
fn placeholders_in(text: &str) -> Vec<(Placeholder, bool)> {
    const ARN_HEAD: &str = "arn:aws:iacparity:";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = [ARN_HEAD, "iacparity:ref/"]
        .iter()
        .filter_map(|prefix| text[from..].find(prefix).map(|at| from + at))
        .min()
    {
        let rest = &text[found..];
        let run = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\\' | ',' | ')' | '}'))
            .unwrap_or(rest.len());
        let candidate = &rest[..run];
        let parsed = std::iter::once(run)
            .chain(candidate.rmatch_indices(['/', ':']).map(|(at, _)| at))
            .find_map(|end| Placeholder::parse(&candidate[..end]));
        out.extend(parsed.map(|p| (p, candidate.starts_with(ARN_HEAD))));
        from = found + run.max(1);
    }
    out
}

/// Every path a plan's managed resources leave unknown, by address (the
/// first unknown step of each).
fn unknown_paths(plan: &Json) -> Vec<(String, Vec<Segment>)> {
    fn walk(mask: &Json, path: &mut Vec<Segment>, out: &mut Vec<Vec<Segment>>) {
        match mask {
            Json::Bool(true) => out.push(path.clone()),
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Segment::Index(i));
                    walk(item, path, out);
                    path.pop();
                }
            }
            Json::Object(map) => {
                for (key, item) in map {
                    path.push(Segment::Key(key.clone()));
                    walk(item, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for change in state::changes(plan) {
        let Some(address) = change["address"].as_str() else {
            continue;
        };
        let mut paths = Vec::new();
        walk(
            &change["change"]["after_unknown"],
            &mut Vec::new(),
            &mut paths,
        );
        out.extend(paths.into_iter().map(|path| (address.to_owned(), path)));
    }
    out
}

/// The resource instances a plan changes (not a no-op).
fn changing(plan: &Json) -> BTreeSet<String> {
    state::changes(plan)
        .filter(|change| change["change"]["actions"] != serde_json::json!(["no-op"]))
        .filter_map(|change| change["address"].as_str().map(str::to_owned))
        .collect()
}

/// What the last plan leaves unknown, and why: a resource left out of the
/// state for the reason kept; else what it depends on that was left out,
/// or that it is still changing, or that the provider plans it unknown
/// whatever the state holds.
fn unresolved(
    plan: &Json,
    left_out: &BTreeMap<String, String>,
    changing: &BTreeSet<String>,
) -> Described {
    let mut out = Described::new();
    let left: Vec<&str> = left_out.keys().map(String::as_str).collect();
    for (address, path) in unknown_paths(plan) {
        let reason = if let Some(reason) = left_out.get(&address) {
            format!("left out of the placeholder state: {reason}")
        } else if changing.contains(&address) {
            format!("no fixpoint after {MAX_ROUNDS} rounds: the resource still changes")
        } else if !left.is_empty() {
            format!(
                "unknown in every round: it depends on what was left unknown ({})",
                left.join(", ")
            )
        } else {
            "unknown in every round: the provider plans it anew whatever the state holds".to_owned()
        };
        out.entry(address).or_default().push((path, reason));
    }
    out
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

/// The made-up values the last plan still holds where they were put. A
/// value left unset (null) holds when the last plan has it unset or holds
/// the zero value of its type: a provider built on the plugin SDK reads an
/// unset number, boolean or string as 0, false or "" (a listener action's
/// `order` left to AWS would read as 0, which AWS never chooses).
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
            .filter(|(path, value)| {
                let planned = at(after, path);
                planned == Some(value) || (value.is_null() && planned.is_some_and(is_zero))
            })
            .map(|(path, _)| path.clone())
            .collect();
        paths.sort_by_key(|path| path_key(path));
        if !paths.is_empty() {
            out.insert(address.to_owned(), paths);
        }
    }
    out
}

/// Whether a scalar is the zero value of its type: 0, false or "".
fn is_zero(json: &Json) -> bool {
    match json {
        Json::Number(n) => n.as_f64() == Some(0.0),
        Json::Bool(b) => !b,
        Json::String(s) => s.is_empty(),
        _ => false,
    }
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
/// member; every other byte as terraform wrote it. The outputs left
/// unknown ([`Outputs`]), when there are any, are the record's `outputs`
/// member (by output address, the reason), which the loader does not read:
/// the plan itself says those outputs are unknown.
fn with_resolution(
    plan: &str,
    resolution: &Resolution,
    outputs: &BTreeMap<String, String>,
) -> anyhow::Result<String> {
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
    let mut record = resolution.to_json();
    if !outputs.is_empty() {
        record[OUTPUTS_KEY] = serde_json::to_value(outputs)?;
    }
    Ok(format!(
        "{body}{separator}\"{RESOLUTION_KEY}\":{}}}{}",
        serde_json::to_string(&record)?,
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
    summary: bool,
}

impl Options {
    /// `None` when help was asked for.
    fn parse(args: &[String]) -> anyhow::Result<Option<Self>> {
        let mut plan = PlanOptions {
            resolve_unknowns: true,
            ..PlanOptions::default()
        };
        let (mut terraform_dir, mut output, mut plain_output) = (None, None, None);
        let mut summary = false;
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
                "--summary" if inline.is_none() => summary = true,
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
            summary,
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
    if let Some(reason) = &plans.gave_up {
        step(
            "plan-json",
            format!("the resolution gave up, the plain plan is written: {reason}"),
        );
    } else if options.plan.resolve_unknowns && plans.resolved.is_none() {
        step(
            "plan-json",
            "the plan leaves nothing unknown: it is written as it is",
        );
    }
    write(&options.output, plans.for_comparison())?;
    if options.summary {
        let shown = options.plan.terraform_dir.display().to_string();
        match &plans.resolved {
            Some(resolved) => print!("{}", summary(&shown, resolved)?),
            None => println!("{shown}: no resolution"),
        }
        println!("  wall time: {:.1} s", plans.seconds);
    }
    Ok(())
}

/// What a resolved plan's record says: rounds, values resolved, values left
/// unknown with the reasons (one line each), as `cargo xtask plan-json
/// --summary` and `cargo xtask resolution-report` print it.
pub fn summary(name: &str, resolved: &str) -> anyhow::Result<String> {
    let json = parse(resolved)?;
    let record = json
        .get(RESOLUTION_KEY)
        .with_context(|| format!("{name} holds no `{RESOLUTION_KEY}`: it is no resolved plan"))?;
    // The loader checks the record; read it as it does.
    parity_terraform::load_str(resolved, Path::new(name))?;
    let count = |key: &str| -> usize {
        record[key]
            .as_object()
            .map(|m| m.values().filter_map(Json::as_array).map(Vec::len).sum())
            .unwrap_or(0)
    };
    let mut out = format!(
        "{name}: {} rounds, {} values resolved, {} typed placeholders, {} values invented, {} left unknown\n",
        record["rounds"],
        record["resolved"].as_u64().unwrap_or(0),
        count("substitutes"),
        count("invented"),
        count("unresolved"),
    );
    for (address, reason) in record[OUTPUTS_KEY].as_object().into_iter().flatten() {
        out.push_str(&format!(
            "  output left unknown: {address}: {}\n",
            reason.as_str().unwrap_or_default()
        ));
    }
    for (address, entries) in record["unresolved"].as_object().into_iter().flatten() {
        for entry in entries.as_array().into_iter().flatten() {
            let path: Vec<String> = entry["path"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|step| match step {
                    Json::String(key) => key.clone(),
                    other => other.to_string(),
                })
                .collect();
            out.push_str(&format!(
                "  unknown: {address} {}: {}\n",
                path.join("."),
                entry["reason"].as_str().unwrap_or_default()
            ));
        }
    }
    Ok(out)
}

/// The file next to a committed resolved plan that holds what `plan-json
/// --summary` printed when it was made (its wall time among it).
pub const SUMMARY_FILE: &str = "resolution-summary.txt";

/// The committed resolved plans of real projects: every
/// `tfplan.resolved.json` under `testdata/real/tf-resolve/` and
/// `testdata/real-pairs/`, in the order of their paths.
pub fn committed_resolved_plans(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .file_name()
                .is_some_and(|n| n == "tfplan.resolved.json")
            {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root.join("testdata/real/tf-resolve"), &mut out);
    walk(&root.join("testdata/real-pairs"), &mut out);
    out.sort();
    out
}

/// The wall time line of the summary committed next to `plan`, when there
/// is one.
fn recorded_wall_time(plan: &Path) -> Option<String> {
    let summary = fs::read_to_string(plan.with_file_name(SUMMARY_FILE)).ok()?;
    summary
        .lines()
        .find(|line| line.trim_start().starts_with("wall time:"))
        .map(|line| format!("  {} (when it was rendered)\n", line.trim()))
}

/// `cargo xtask resolution-report [FILE...]`: the [`summary`] of each
/// resolved plan (by default, of every committed one of a real project),
/// with the wall time its committed summary gives.
pub fn report(args: &[String]) -> anyhow::Result<()> {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!(
            "usage: cargo xtask resolution-report [RESOLVED_PLAN...]\n\n\
             Prints what the resolution of each plan did: rounds, values resolved, typed\n\
             placeholders, values left unknown and why, and the wall time that the\n\
             `{SUMMARY_FILE}` next to it gives (see docs/known-after-apply.md). Without\n\
             arguments: every tfplan.resolved.json under testdata/real/tf-resolve/ and\n\
             testdata/real-pairs/."
        );
        return Ok(());
    }
    let root = crate::docs::repo_root();
    let files: Vec<PathBuf> = if args.is_empty() {
        committed_resolved_plans(&root)
    } else {
        args.iter().map(PathBuf::from).collect()
    };
    for file in &files {
        let text =
            fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let shown = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        print!("{}", summary(&shown, &text)?);
        if let Some(line) = recorded_wall_time(file) {
            print!("{line}");
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests;
