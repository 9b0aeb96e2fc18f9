//! Running terraform on a configuration: a temporary copy of it, initialised,
//! planned (against nothing, or against a state given) and shown as JSON.
//!
//! The copy keeps Terraform's working data (`.terraform/`, states, plans)
//! out of the configuration's folder, and an override file gives it the
//! local backend: whatever backend the configuration declares, the plan
//! starts from an empty state, or from the state written for it.

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
        let config = work.path().join("config");
        step(
            &terraform.label,
            format!("copy {shown} to a temporary directory"),
        );
        copy_config(source, &config)?;
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
        run_captured(&self.terraform.label, what, command)
    }

    /// `terraform plan`, against `state` when one is given (without
    /// refreshing it: that would ask AWS), and `terraform show -json` of the
    /// plan.
    pub fn plan(&self, state: Option<&[u8]>) -> anyhow::Result<String> {
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
        self.run(what, &args)?;
        let stdout = self.run(
            "terraform show -json",
            &["show".as_ref(), "-json".as_ref(), "tfplan".as_ref()],
        )?;
        String::from_utf8(stdout).context("`terraform show -json` printed invalid UTF-8")
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

/// Copies the configuration files, leaving out Terraform's working data.
pub fn copy_config(from: &Path, to: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let entries = fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        if name_str == ".terraform" || name_str.contains(".tfstate") || name_str == "tfplan" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_config(&path, &to.join(&name))?;
        } else {
            fs::copy(&path, to.join(&name))
                .with_context(|| format!("cannot copy {}", path.display()))?;
        }
    }
    Ok(())
}
