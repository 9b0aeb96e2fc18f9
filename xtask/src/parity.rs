//! `cargo xtask parity`: render both sides of a project with the real tools
//! and compare them, as a maintainer would by hand.
//!
//! The project's `parity.yaml` says where the Terraform root module and the
//! CDK app are (`terraform.root`, `cdk.app`, relative to the file), with var
//! files, variables, CDK context and stacks. In temporary directories the
//! task runs `terraform init`, `terraform plan -out` and `terraform show
//! -json` on a copy of the root module, and `npx cdk synth --debug` (which
//! records where the app made each resource, docs/locations.md) into a
//! fresh output folder; then `iac-parity compare` with the configuration, whose
//! exit status it returns. The generated plan and cloud assembly are kept
//! in a cache, named by a hash of everything they are made from, so that a
//! second run with nothing changed runs neither terraform nor cdk.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, bail};

use crate::process::{find_in, run_captured};

const USAGE: &str = "usage: cargo xtask parity [OPTIONS] [-- COMPARE-OPTIONS...]

Runs terraform (init, plan -out, show -json) and `npx cdk synth` for the
project that parity.yaml describes, in temporary directories, then
`iac-parity compare` with that configuration. Exit status: iac-parity's
(0 in parity, 1 divergent, 2 trouble).

options:
  --config FILE          the configuration (default: parity.yaml in the current directory)
  --terraform-json FILE  use this `terraform show -json` output; do not run terraform
  --cdk-out DIR          use this `cdk synth` output; do not run cdk
  --provider-mirror DIR  `terraform init -plugin-dir DIR` (default: $IAC_PARITY_TF_PROVIDER_MIRROR
                         when set; else terraform installs providers as configured)
  --no-resolve-unknowns  compare the plain plan: leave what a fresh plan cannot know
                         unverifiable instead of resolving it (docs/known-after-apply.md)
  --no-cache             regenerate even when the inputs have not changed
  -h, --help             print this help

After `--`, options for `iac-parity compare` (--format markdown, --baseline FILE, …).";

/// Environment variable naming a Terraform provider mirror.
const MIRROR_ENV: &str = "IAC_PARITY_TF_PROVIDER_MIRROR";

/// Folders of a CDK app that are outputs or installed, not sources.
const CDK_NOT_INPUTS: &[&str] = &["node_modules", "cdk.out", ".git"];

#[derive(Debug, Default, PartialEq)]
struct Options {
    config: Option<PathBuf>,
    terraform_json: Option<PathBuf>,
    cdk_out: Option<PathBuf>,
    provider_mirror: Option<PathBuf>,
    no_resolve_unknowns: bool,
    no_cache: bool,
    compare_args: Vec<String>,
}

impl Options {
    /// `None` when help was asked for.
    fn parse(args: &[String]) -> anyhow::Result<Option<Self>> {
        let mut options = Options::default();
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
                "--config" => options.config = Some(value()?),
                "--terraform-json" => options.terraform_json = Some(value()?),
                "--cdk-out" => options.cdk_out = Some(value()?),
                "--provider-mirror" => options.provider_mirror = Some(value()?),
                "--no-cache" => options.no_cache = true,
                "--no-resolve-unknowns" => options.no_resolve_unknowns = true,
                "--" => {
                    options.compare_args = args.cloned().collect();
                    break;
                }
                _ => bail!("unknown argument `{arg}`\n\n{USAGE}"),
            }
        }
        Ok(Some(options))
    }
}

pub fn run(args: &[String]) -> ExitCode {
    match try_run(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn try_run(args: &[String]) -> anyhow::Result<ExitCode> {
    let Some(options) = Options::parse(args)? else {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    };
    let config_path = options
        .config
        .clone()
        .unwrap_or_else(|| PathBuf::from("parity.yaml"));
    let text = fs::read_to_string(&config_path).with_context(|| {
        format!(
            "{}: cannot read the configuration (give one with --config FILE)",
            config_path.display()
        )
    })?;
    let config = parity_engine::Config::parse(&text, &config_path)?;
    let base = config_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_owned();
    let plan = Plan::new(&options, &config, &base)?;
    let cache = match &config.sources.cache_dir {
        Some(dir) => base.join(dir),
        None => crate::docs::repo_root().join("target").join("parity-cache"),
    };

    let terraform_json = match (&options.terraform_json, &plan.terraform) {
        (Some(file), _) => file.clone(),
        (None, Some(terraform)) => terraform.generate(&cache, options.no_cache)?,
        (None, None) => unreachable!("Plan::new checks that one is there"),
    };
    let cdk_out = match (&options.cdk_out, &plan.cdk) {
        (Some(dir), _) => dir.clone(),
        (None, Some(cdk)) => cdk.generate(&cache, options.no_cache)?,
        (None, None) => unreachable!("Plan::new checks that one is there"),
    };

    eprintln!("[parity] iac-parity compare");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let status = Command::new(cargo)
        .args(["run", "--quiet", "--package", "iac-parity", "--", "compare"])
        .arg("--terraform")
        .arg(&terraform_json)
        .arg("--cloudformation")
        .arg(&cdk_out)
        .arg("--config")
        .arg(&config_path)
        .args(&options.compare_args)
        .status()
        .context("cannot run `cargo run --package iac-parity`")?;
    Ok(match status.code() {
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
        None => ExitCode::from(2),
    })
}

/// What will be generated, checked before anything runs.
struct Plan {
    terraform: Option<TerraformJob>,
    cdk: Option<CdkJob>,
}

struct TerraformJob {
    terraform: PathBuf,
    root: PathBuf,
    var_files: Vec<PathBuf>,
    vars: BTreeMap<String, String>,
    mirror: Option<PathBuf>,
    /// Resolve what a fresh plan leaves unknown (the default).
    resolve_unknowns: bool,
}

struct CdkJob {
    npx: PathBuf,
    app: PathBuf,
    context: BTreeMap<String, String>,
    stacks: Vec<String>,
}

impl Plan {
    fn new(options: &Options, config: &parity_engine::Config, base: &Path) -> anyhow::Result<Plan> {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mirror = options.provider_mirror.clone().or_else(|| {
            std::env::var_os(MIRROR_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        let (plan, problems) = Plan::check(options, config, base, &path, mirror);
        if !problems.is_empty() {
            bail!(
                "cannot run the comparison:\n  - {}",
                problems.join("\n  - ")
            );
        }
        Ok(plan)
    }

    /// The jobs, and every reason they cannot run: tools missing from
    /// `path`, sources missing from the configuration or the disk.
    fn check(
        options: &Options,
        config: &parity_engine::Config,
        base: &Path,
        path: &OsStr,
        mirror: Option<PathBuf>,
    ) -> (Plan, Vec<String>) {
        let mut problems = Vec::new();
        let terraform = match (&options.terraform_json, &config.sources.terraform) {
            (Some(_), _) => None,
            (None, None) => {
                problems.push(
                    "the configuration says nowhere where the Terraform root module is: add \
                     `terraform: { root: DIR }` to it, or pass --terraform-json FILE"
                        .to_owned(),
                );
                None
            }
            (None, Some(source)) => {
                let root = base.join(&source.root);
                if !root.is_dir() {
                    problems.push(format!(
                        "the Terraform root module {} is not a folder (terraform.root in the configuration)",
                        root.display()
                    ));
                }
                let terraform = find_in("terraform", path);
                if terraform.is_none() {
                    problems.push(
                        "`terraform` is not on PATH: install Terraform 1.5 or later \
                         (https://developer.hashicorp.com/terraform/install), or pass \
                         --terraform-json FILE with `terraform show -json` output"
                            .to_owned(),
                    );
                }
                if let Some(dir) = &mirror
                    && !dir.join("registry.terraform.io").is_dir()
                {
                    problems.push(format!(
                        "the provider mirror {} holds no registry.terraform.io/ folder \
                             (`terraform providers mirror DIR` makes one)",
                        dir.display()
                    ));
                }
                Some(TerraformJob {
                    terraform: terraform.unwrap_or_default(),
                    root,
                    var_files: source.var_files.iter().map(|f| base.join(f)).collect(),
                    vars: source.vars.clone(),
                    mirror: mirror.clone(),
                    resolve_unknowns: !options.no_resolve_unknowns,
                })
            }
        };
        let cdk = match (&options.cdk_out, &config.sources.cdk) {
            (Some(_), _) => None,
            (None, None) => {
                problems.push(
                    "the configuration says nowhere where the CDK app is: add \
                     `cdk: { app: DIR }` to it, or pass --cdk-out DIR"
                        .to_owned(),
                );
                None
            }
            (None, Some(source)) => {
                let app = base.join(&source.app);
                let node_fix = "install Node.js 20 or later (https://nodejs.org), which brings \
                                npm and npx, or pass --cdk-out DIR with `cdk synth` output";
                if find_in("node", path).is_none() {
                    problems.push(format!("`node` is not on PATH: {node_fix}"));
                }
                let npx = find_in("npx", path);
                if npx.is_none() {
                    problems.push(format!("`npx` is not on PATH: {node_fix}"));
                }
                if !app.join("cdk.json").is_file() {
                    problems.push(format!(
                        "{} has no cdk.json: cdk.app in the configuration must name the CDK app's folder",
                        app.display()
                    ));
                } else if !app.join("node_modules").is_dir() {
                    problems.push(format!(
                        "{} is missing: run `npm ci` in {} (or pass --cdk-out DIR)",
                        app.join("node_modules").display(),
                        app.display()
                    ));
                } else if !app.join("node_modules").join(".bin").join("cdk").exists() {
                    problems.push(format!(
                        "{} has no CDK CLI: add `aws-cdk` to the app's devDependencies and run `npm ci` in {}",
                        app.join("node_modules").display(),
                        app.display()
                    ));
                }
                Some(CdkJob {
                    npx: npx.unwrap_or_default(),
                    app,
                    context: source.context.clone(),
                    stacks: source.stacks.clone(),
                })
            }
        };
        (Plan { terraform, cdk }, problems)
    }
}

fn step(what: impl std::fmt::Display) {
    eprintln!("[parity] {what}");
}

impl TerraformJob {
    /// The inputs' hash: the root module's files (`.terraform/` and state
    /// left out, as they are from the copy that is planned), the var files,
    /// the variables, the mirror and terraform's version.
    fn hash(&self) -> anyhow::Result<String> {
        let version = run_captured(
            "parity",
            "terraform version",
            tool(&self.terraform, &["version"]),
        )?;
        let mut hasher = InputHash::new("terraform");
        hasher.tree(&self.root, &|name| {
            name == ".terraform" || name.contains(".tfstate") || name == "tfplan"
        })?;
        for file in &self.var_files {
            hasher.file(file)?;
        }
        for (k, v) in &self.vars {
            hasher.text(&format!("var {k}={v}"));
        }
        if let Some(mirror) = &self.mirror {
            hasher.text(&format!("mirror {}", mirror.display()));
        }
        hasher.text(&format!("resolve unknowns {}", self.resolve_unknowns));
        hasher.bytes(&version);
        Ok(hasher.finish())
    }

    fn generate(&self, cache: &Path, no_cache: bool) -> anyhow::Result<PathBuf> {
        let hash = self.hash()?;
        let target = cache.join(format!("terraform-{hash}.json"));
        if target.is_file() && !no_cache {
            step(format!(
                "terraform: inputs unchanged, using {}",
                target.display()
            ));
            return Ok(target);
        }
        // Plan from an empty state and, unless asked not to, resolve what
        // the plan leaves unknown, as `cargo xtask plan-json` does.
        let plans = crate::resolve::plan_json(&crate::resolve::PlanOptions {
            terraform_dir: self.root.clone(),
            var_files: self
                .var_files
                .iter()
                .map(|f| {
                    fs::canonicalize(f)
                        .with_context(|| format!("{}: cannot read the var file", f.display()))
                })
                .collect::<anyhow::Result<_>>()?,
            vars: self
                .vars
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            terraform: Some(self.terraform.clone()),
            provider_mirror: self.mirror.clone(),
            resolve_unknowns: self.resolve_unknowns,
        })?;
        let json = plans.for_comparison().as_bytes().to_vec();
        fs::create_dir_all(cache).with_context(|| format!("cannot create {}", cache.display()))?;
        let partial = cache.join(format!(".terraform-{hash}.json.partial"));
        fs::write(&partial, json).with_context(|| format!("cannot write {}", partial.display()))?;
        fs::rename(&partial, &target)
            .with_context(|| format!("cannot write {}", target.display()))?;
        step(format!("wrote {}", target.display()));
        Ok(target)
    }
}

impl CdkJob {
    /// The inputs' hash: the app's files (without what is installed or
    /// generated), context, stacks and node's version.
    fn hash(&self) -> anyhow::Result<String> {
        let version = run_captured("parity", "npx --version", tool(&self.npx, &["--version"]))?;
        let mut hasher = InputHash::new("cdk");
        hasher.tree(&self.app, &|name| CDK_NOT_INPUTS.contains(&name))?;
        for (k, v) in &self.context {
            hasher.text(&format!("context {k}={v}"));
        }
        for stack in &self.stacks {
            hasher.text(&format!("stack {stack}"));
        }
        hasher.text("creation traces");
        hasher.bytes(&version);
        Ok(hasher.finish())
    }

    fn generate(&self, cache: &Path, no_cache: bool) -> anyhow::Result<PathBuf> {
        let hash = self.hash()?;
        let target = cache.join(format!("cdk-{hash}.out"));
        if target.join("manifest.json").is_file() && !no_cache {
            step(format!("cdk: inputs unchanged, using {}", target.display()));
            return Ok(target);
        }
        let out = tempfile::Builder::new()
            .prefix("iac-parity-cdk-")
            .tempdir()
            .context("cannot create a temporary directory")?;
        let mut command = Command::new(&self.npx);
        command
            .current_dir(&self.app)
            .args(["--no-install", "cdk", "synth", "--quiet", "--debug"])
            .args(["--no-version-reporting", "--no-notices"])
            .arg("--output")
            .arg(out.path());
        let mut shown = String::from("npx cdk synth --debug");
        for (k, v) in &self.context {
            command.arg("--context").arg(format!("{k}={v}"));
            shown.push_str(&format!(" -c {k}={v}"));
        }
        for stack in &self.stacks {
            command.arg(stack);
            shown.push_str(&format!(" {stack}"));
        }
        command.env("CDK_DISABLE_CLI_TELEMETRY", "true");
        step(format!("{shown} in {}", self.app.display()));
        run_captured("parity", &shown, command)?;
        if !out.path().join("manifest.json").is_file() {
            bail!("`{shown}` wrote no manifest.json");
        }
        fs::create_dir_all(cache).with_context(|| format!("cannot create {}", cache.display()))?;
        if target.exists() {
            fs::remove_dir_all(&target)
                .with_context(|| format!("cannot remove {}", target.display()))?;
        }
        // The temporary folder may be on another file system: copy, then
        // rename into place, so that a half-written cache entry never
        // looks complete.
        let partial = cache.join(format!(".cdk-{hash}.partial"));
        if partial.exists() {
            fs::remove_dir_all(&partial)
                .with_context(|| format!("cannot remove {}", partial.display()))?;
        }
        copy_tree(out.path(), &partial)?;
        fs::rename(&partial, &target)
            .with_context(|| format!("cannot write {}", target.display()))?;
        step(format!("wrote {}", target.display()));
        Ok(target)
    }
}

fn tool(program: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command.args(args);
    command
}

fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let path = entry?.path();
        let name = path.file_name().context("a folder entry without a name")?;
        if path.is_dir() {
            copy_tree(&path, &to.join(name))?;
        } else {
            fs::copy(&path, to.join(name))
                .with_context(|| format!("cannot copy {}", path.display()))?;
        }
    }
    Ok(())
}

/// A hash of the inputs of a generated artifact. std's SipHash: the key of
/// a cache entry, not a security boundary; a different toolchain may hash
/// differently, which costs one regeneration.
struct InputHash {
    hasher: std::hash::DefaultHasher,
}

impl InputHash {
    fn new(kind: &str) -> Self {
        let mut hasher = InputHash {
            hasher: std::hash::DefaultHasher::new(),
        };
        hasher.text(kind);
        hasher
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.hasher.write_usize(bytes.len());
        self.hasher.write(bytes);
    }

    fn text(&mut self, text: &str) {
        self.bytes(text.as_bytes());
    }

    fn file(&mut self, path: &Path) -> anyhow::Result<()> {
        let content = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        self.text(&path.display().to_string());
        self.bytes(&content);
        Ok(())
    }

    /// Every file under `root` but the names `skip` leaves out, in a fixed
    /// order, by path relative to `root`.
    fn tree(&mut self, root: &Path, skip: &dyn Fn(&str) -> bool) -> anyhow::Result<()> {
        let mut files = Vec::new();
        list_files(root, Path::new(""), skip, &mut files)?;
        files.sort();
        for relative in files {
            let content = fs::read(root.join(&relative))
                .with_context(|| format!("cannot read {}", root.join(&relative).display()))?;
            self.text(&relative.to_string_lossy());
            self.bytes(&content);
        }
        Ok(())
    }

    fn finish(&self) -> String {
        format!("{:016x}", self.hasher.finish())
    }
}

fn list_files(
    root: &Path,
    relative: &Path,
    skip: &dyn Fn(&str) -> bool,
    out: &mut Vec<PathBuf>,
) -> anyhow::Result<()> {
    let dir = root.join(relative);
    for entry in fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        if skip(&name.to_string_lossy()) {
            continue;
        }
        let path = relative.join(&name);
        if entry.file_type()?.is_dir() {
            list_files(root, &path, skip, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
