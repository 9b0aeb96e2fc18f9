//! Running terraform on a configuration: a temporary copy of it, initialised,
//! planned (against nothing, or against a state given) and shown as JSON.
//!
//! The copy keeps Terraform's working data (`.terraform/`, states, plans)
//! out of the configuration's folder, and an override file gives it the
//! local backend: whatever backend the configuration declares, the plan
//! starts from an empty state, or from the state written for it.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use serde_json::Value as Json;

use crate::process::{run_captured, scrub_env, step};

/// Environment variable naming the Terraform provider mirror.
pub const MIRROR_ENV: &str = "IAC_PARITY_TF_PROVIDER_MIRROR";

/// Written into the copy: the local backend, whatever the configuration
/// declares (an override file replaces the `backend` block, or adds one).
const BACKEND_OVERRIDE: (&str, &str) = (
    "iac_parity_override.tf",
    "# Written by cargo xtask: plan against the local state of this copy.\n\
     terraform {\n  backend \"local\" {}\n}\n",
);

/// How terraform is run.
#[derive(Debug, Clone)]
pub struct Terraform {
    pub program: PathBuf,
    /// A filesystem mirror of the providers (a folder holding
    /// `registry.terraform.io/`); `None` installs them as the configuration
    /// and the user's CLI configuration say.
    pub mirror: Option<PathBuf>,
    /// Leave the user's settings out (`TF_*`, `AWS_*` variables, the CLI
    /// configuration), so that what is generated depends on the
    /// configuration alone.
    pub hermetic: bool,
    /// What progress lines start with (`[ecs-fargate]`).
    pub label: String,
}

impl Terraform {
    /// Terraform from `PATH`.
    pub fn find(mirror: Option<PathBuf>, hermetic: bool, label: &str) -> anyhow::Result<Self> {
        let program = crate::process::find_on_path("terraform").context(
            "`terraform` is not on PATH: install Terraform 1.5 or later \
             (https://developer.hashicorp.com/terraform/install)",
        )?;
        Ok(Terraform {
            program,
            mirror,
            hermetic,
            label: label.to_owned(),
        })
    }
}

/// The provider mirror: `flag` when given, else `$IAC_PARITY_TF_PROVIDER_MIRROR`
/// when set; checked and made absolute.
pub fn mirror_from(flag: Option<PathBuf>) -> anyhow::Result<Option<PathBuf>> {
    let (dir, source) = match flag {
        Some(dir) => (dir, "--provider-mirror".to_owned()),
        None => match std::env::var_os(MIRROR_ENV) {
            Some(dir) if !dir.is_empty() => (PathBuf::from(dir), format!("${MIRROR_ENV}")),
            _ => return Ok(None),
        },
    };
    check_mirror(&dir, &source)
        .map(Some)
        .map_err(anyhow::Error::msg)
}

/// `dir` made absolute when it is a provider mirror; else what is wrong with
/// it and how to make one.
pub fn check_mirror(dir: &Path, source: &str) -> Result<PathBuf, String> {
    let fix = format!(
        "pass --provider-mirror DIR or set {MIRROR_ENV}=DIR, where DIR holds \
         registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/ for the provider \
         versions the configurations pin (`terraform providers mirror DIR` in a \
         configuration's folder creates one)"
    );
    if !dir.is_dir() {
        return Err(format!(
            "the provider mirror {} (from {source}) is not a directory: {fix}",
            dir.display()
        ));
    }
    if !dir.join("registry.terraform.io").is_dir() {
        return Err(format!(
            "the provider mirror {} (from {source}) holds no registry.terraform.io/ folder: {fix}",
            dir.display()
        ));
    }
    fs::canonicalize(dir).map_err(|err| {
        format!(
            "cannot resolve the provider mirror {}: {err}",
            dir.display()
        )
    })
}

/// A temporary copy of a configuration, initialised.
pub struct Workspace<'a> {
    terraform: &'a Terraform,
    /// Kept until the workspace is dropped.
    _work: tempfile::TempDir,
    /// The copy of the configuration, where terraform runs.
    pub config: PathBuf,
    /// An empty CLI configuration, for hermetic runs.
    cli_config: Option<PathBuf>,
    /// `-var-file` arguments of every plan, absolute.
    var_files: Vec<PathBuf>,
    /// `-var` arguments of every plan.
    vars: Vec<(String, String)>,
    /// The configuration, as progress lines and errors name it.
    shown: String,
}

impl<'a> Workspace<'a> {
    /// Copies the configuration in `source` (`shown` names it in progress
    /// lines) and runs `terraform init`; every plan reads `var_files` and
    /// sets `vars`.
    pub fn init(
        terraform: &'a Terraform,
        source: &Path,
        shown: &str,
        var_files: &[PathBuf],
        vars: &[(String, String)],
    ) -> anyhow::Result<Self> {
        if !source.is_dir() {
            bail!(
                "the Terraform configuration {} is not a directory",
                source.display()
            );
        }
        let var_files = var_files
            .iter()
            .map(|file| {
                fs::canonicalize(file)
                    .with_context(|| format!("cannot read the variables file {}", file.display()))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let work = tempfile::Builder::new()
            .prefix("iac-parity-terraform-")
            .tempdir()
            .context("cannot create a temporary directory")?;
        step(
            &terraform.label,
            format!("copy {shown} to a temporary directory"),
        );
        let config = copy_with_local_modules(source, &work.path().join("config"))?;
        let (name, text) = BACKEND_OVERRIDE;
        fs::write(config.join(name), text)
            .with_context(|| format!("cannot write {name} in the copy"))?;

        // An empty CLI configuration, so that the user's (plugin cache,
        // credentials, provider installation) plays no part.
        let cli_config = if terraform.hermetic {
            let path = work.path().join("terraformrc");
            fs::write(&path, "").context("cannot write the Terraform CLI configuration")?;
            Some(path)
        } else {
            None
        };
        let workspace = Workspace {
            terraform,
            _work: work,
            config,
            cli_config,
            var_files,
            vars: vars.to_vec(),
            shown: shown.to_owned(),
        };
        let mut args: Vec<&OsStr> = vec![
            "init".as_ref(),
            "-input=false".as_ref(),
            "-no-color".as_ref(),
        ];
        if let Some(mirror) = &terraform.mirror {
            args.push("-plugin-dir".as_ref());
            args.push(mirror.as_os_str());
        }
        workspace.run("terraform init", &args)?;
        Ok(workspace)
    }

    /// What progress lines start with.
    pub fn label(&self) -> &str {
        &self.terraform.label
    }

    /// Runs terraform in the workspace; returns what it printed.
    pub fn run(&self, what: &str, args: &[&OsStr]) -> anyhow::Result<Vec<u8>> {
        step(&self.terraform.label, what);
        run_captured(&self.terraform.label, what, self.command(args))
    }

    /// terraform with `args`, in the workspace.
    fn command(&self, args: &[&OsStr]) -> Command {
        let mut command = Command::new(&self.terraform.program);
        command.args(args).current_dir(&self.config);
        if self.terraform.hermetic {
            scrub_env(&mut command, &["TF_", "AWS_", "CHECKPOINT_"]);
        } else {
            // What would make terraform work elsewhere than in the copy.
            scrub_env(
                &mut command,
                &["TF_DATA_DIR", "TF_WORKSPACE", "TF_CLI_ARGS"],
            );
        }
        if let Some(cli_config) = &self.cli_config {
            command.env("TF_CLI_CONFIG_FILE", cli_config);
        }
        command
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1");
        command
    }

    /// `terraform plan`, against `state` when one is given (without
    /// refreshing it: that would ask AWS), and `terraform show -json` of the
    /// plan.
    pub fn plan(&self, state: Option<&[u8]>) -> anyhow::Result<String> {
        match self.try_plan(state)? {
            Ok(plan) => Ok(plan),
            Err(diagnostics) => bail!(
                "[{}] terraform cannot plan {}:\n{}",
                self.terraform.label,
                self.shown,
                diagnostics
                    .iter()
                    .map(Diagnostic::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        }
    }

    /// Like [`Workspace::plan`], but a plan that terraform refuses is its
    /// error diagnostics, not a failure.
    pub fn try_plan(
        &self,
        state: Option<&[u8]>,
    ) -> anyhow::Result<Result<String, Vec<Diagnostic>>> {
        let var_files: Vec<String> = self
            .var_files
            .iter()
            .map(|file| format!("-var-file={}", file.display()))
            .chain(self.vars.iter().map(|(k, v)| format!("-var={k}={v}")))
            .collect();
        let mut args: Vec<&OsStr> = vec![
            "plan".as_ref(),
            "-input=false".as_ref(),
            "-no-color".as_ref(),
            "-json".as_ref(),
            "-out=tfplan".as_ref(),
        ];
        args.extend(var_files.iter().map(|arg| OsStr::new(arg.as_str())));
        let state_path = self.config.join("terraform.tfstate");
        let what = match state {
            Some(state) => {
                fs::write(&state_path, state)
                    .with_context(|| format!("cannot write {}", state_path.display()))?;
                args.push("-refresh=false".as_ref());
                "terraform plan -refresh=false"
            }
            None => {
                if state_path.exists() {
                    fs::remove_file(&state_path)
                        .with_context(|| format!("cannot remove {}", state_path.display()))?;
                }
                "terraform plan"
            }
        };
        step(&self.terraform.label, what);
        let output = self
            .command(&args)
            .output()
            .with_context(|| format!("[{}] cannot run `{what}`", self.terraform.label))?;
        if !output.status.success() {
            let diagnostics = Diagnostic::from_json_lines(&output.stdout);
            if diagnostics.is_empty() {
                eprintln!("[{}] `{what}` failed; its output:", self.terraform.label);
                eprintln!("{}", String::from_utf8_lossy(&output.stdout));
                eprintln!("{}", String::from_utf8_lossy(&output.stderr));
                bail!(
                    "[{}] `{what}` failed ({})",
                    self.terraform.label,
                    output.status
                );
            }
            return Ok(Err(diagnostics));
        }
        let stdout = self.run(
            "terraform show -json",
            &["show".as_ref(), "-json".as_ref(), "tfplan".as_ref()],
        )?;
        String::from_utf8(stdout)
            .map(Ok)
            .context("`terraform show -json` printed invalid UTF-8")
    }

    /// `terraform providers schema -json`.
    pub fn providers_schema(&self) -> anyhow::Result<Json> {
        serde_json::from_slice(&self.run(
            "terraform providers schema -json",
            &["providers".as_ref(), "schema".as_ref(), "-json".as_ref()],
        )?)
        .context("`terraform providers schema -json` printed invalid JSON")
    }

    /// `terraform show -json` of a state file.
    pub fn show_state(&self, state: &[u8]) -> anyhow::Result<Vec<u8>> {
        let name = "shown.tfstate";
        let path = self.config.join(name);
        fs::write(&path, state).with_context(|| format!("cannot write {}", path.display()))?;
        self.run(
            &format!("terraform show -json {name}"),
            &["show".as_ref(), "-json".as_ref(), OsStr::new(name)],
        )
    }
}

/// An error terraform reports while planning (`terraform plan -json`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The summary and the detail, as terraform writes them.
    pub message: String,
    /// The resource instance it is about, when terraform says.
    pub address: Option<String>,
    /// Everything it says, the values of the expression included: where
    /// the values that made it fail can be found.
    pub text: String,
}

impl Diagnostic {
    /// The error diagnostics of `terraform plan -json`'s output.
    pub fn from_json_lines(output: &[u8]) -> Vec<Diagnostic> {
        String::from_utf8_lossy(output)
            .lines()
            .filter_map(|line| serde_json::from_str::<Json>(line).ok())
            .filter(|line| line["type"] == "diagnostic" && line["@level"] == "error")
            .map(|line| {
                let diagnostic = &line["diagnostic"];
                let text = |key: &str| diagnostic[key].as_str().unwrap_or_default().trim();
                let message = [text("summary"), text("detail")]
                    .into_iter()
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>()
                    .join(": ");
                Diagnostic {
                    message: message.split_whitespace().collect::<Vec<_>>().join(" "),
                    address: diagnostic["address"].as_str().map(str::to_owned),
                    text: diagnostic.to_string(),
                }
            })
            .collect()
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.address {
            Some(address) => write!(f, "{address}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Copies the configuration in `source` into `work` with the local modules
/// it calls from outside its folder (`source = "../modules/x"`, directly
/// or through other local modules), placed where they are relative to it
/// so that every relative path holds. Returns where the copy of `source`
/// is: `work` itself when every module it calls is inside it.
pub fn copy_with_local_modules(source: &Path, work: &Path) -> anyhow::Result<PathBuf> {
    let root =
        fs::canonicalize(source).with_context(|| format!("cannot resolve {}", source.display()))?;
    let outside = local_modules_outside(&root)?;
    // The nearest folder that holds the root and every module outside it.
    let mut base = root.as_path();
    for dir in &outside {
        while !dir.starts_with(base) {
            match base.parent() {
                Some(parent) => base = parent,
                None => break,
            }
        }
    }
    let place = |dir: &Path| work.join(dir.strip_prefix(base).unwrap_or(dir));
    for dir in &outside {
        copy_config(dir, &place(dir))?;
    }
    let config = place(&root);
    copy_config(&root, &config)?;
    Ok(config)
}

/// The folders of the local modules the configuration in `root` calls,
/// directly or through other local modules, that are not inside `root`;
/// one inside another of them is left to that one's copy.
fn local_modules_outside(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut seen = BTreeSet::from([root.to_path_buf()]);
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for called in local_module_sources(&dir)? {
            // A source that is no folder is terraform's to report.
            let Ok(called) = fs::canonicalize(dir.join(called)) else {
                continue;
            };
            if called.is_dir() && seen.insert(called.clone()) {
                pending.push(called);
            }
        }
    }
    let outside: Vec<&PathBuf> = seen.iter().filter(|d| !d.starts_with(root)).collect();
    Ok(outside
        .iter()
        .filter(|d| !outside.iter().any(|o| o != *d && d.starts_with(o)))
        .map(|d| (*d).clone())
        .collect())
}

/// The local paths (`./…`, `../…`) that the `module` blocks of the
/// configuration files of `dir` (`*.tf`, `*.tf.json`) give as `source`.
/// A file terraform cannot read either is terraform's to report.
fn local_module_sources(dir: &Path) -> anyhow::Result<Vec<String>> {
    let is_local = |s: &str| s.starts_with("./") || s.starts_with("../");
    let entries = fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let (hcl, json) = (name.ends_with(".tf"), name.ends_with(".tf.json"));
        if !hcl && !json {
            continue;
        }
        let text =
            fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        if hcl {
            let Ok(body) = hcl_edit::parser::parse_body(&text) else {
                continue;
            };
            for block in body.get_blocks("module") {
                if let Some(attribute) = block.body.get_attribute("source")
                    && let hcl_edit::expr::Expression::String(source) = &attribute.value
                    && is_local(source.as_str())
                {
                    out.push(source.as_str().to_owned());
                }
            }
        } else if let Ok(json) = serde_json::from_str::<Json>(&text) {
            // `"module": {"name": {"source": …}}`, or a list of such objects.
            let blocks: Vec<&Json> = match &json["module"] {
                Json::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for block in blocks.iter().filter_map(|b| b.as_object()) {
                for module in block.values() {
                    if let Some(source) = module["source"].as_str().filter(|s| is_local(s)) {
                        out.push(source.to_owned());
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Copies the configuration files, leaving out Terraform's working data
/// but what the configuration may read in `.terraform/` (built archives,
/// installed modules): not its providers, backend or workspace.
pub fn copy_config(from: &Path, to: &Path) -> anyhow::Result<()> {
    copy_tree(from, to, false)
}

fn copy_tree(from: &Path, to: &Path, in_data_dir: bool) -> anyhow::Result<()> {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let entries = fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        let working_data = in_data_dir
            && matches!(
                name_str.as_ref(),
                "providers" | "plugins" | "terraform.tfstate" | "environment"
            );
        if working_data
            || name_str == ".git"
            || name_str.contains(".tfstate")
            || name_str == "tfplan"
        {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(
                &path,
                &to.join(&name),
                in_data_dir || name_str == ".terraform",
            )?;
        } else {
            fs::copy(&path, to.join(&name))
                .with_context(|| format!("cannot copy {}", path.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
