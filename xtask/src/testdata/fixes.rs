//! The fix snippets of the paired fixtures, checked in their own
//! languages: the TypeScript ones type-check (`tsc --noEmit`) in a copy of
//! the fixture's CDK app, each in a function of a file added to the copy,
//! with the handles they name declared with the types an app holds them
//! in; the Python ones compile (`python3 -m py_compile`). A removal is
//! checked as the code it says to delete.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};
use serde_json::Value;

use super::{Fixture, Tools, copy_sources, link_folder, step};
use crate::process::run_captured;

/// The fixtures whose snippets are checked, with the plan compared.
pub const CHECKED: &[(&str, &str)] = &[
    ("ecs-fargate", "tfplan.resolved.json"),
    ("ecs-fargate-fresh", "tfplan.resolved.json"),
];

/// What the snippets name, as the ecs-fargate apps hold them.
const TYPESCRIPT_PRELUDE: &str = "\
// Written by `cargo xtask testdata` to type-check fix snippets; not part of the app.
import * as cdk from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';

declare const container: ecs.ContainerDefinition;
declare const secret: secretsmanager.ISecret;
declare const parameter: ssm.IParameter;
declare const role: iam.Role;
declare const targetGroup: elbv2.ApplicationTargetGroup;
declare const service: ecs.FargateService;
declare const taskDefinition: ecs.FargateTaskDefinition;
declare const accessPoint: efs.AccessPoint;
declare const fileSystem: efs.FileSystem;
declare const listener: elbv2.ApplicationListener;
declare const listenerRule: elbv2.ApplicationListenerRule;
declare const loadBalancer: elbv2.ApplicationLoadBalancer;
";

const PYTHON_PRELUDE: &str = "\
# Written by `cargo xtask testdata` to compile fix snippets; not part of an app.
";

/// The synthesis without creation traces, beside the traced `cdk.out`.
const UNTRACED: &str = "cdk.out.no-traces";

pub fn check(fixture: &Fixture, dir: &Path, tools: &Tools) -> anyhow::Result<()> {
    let Some((_, plan)) = CHECKED.iter().find(|(name, _)| *name == fixture.name) else {
        return Ok(());
    };
    let typescript = snippets(fixture, dir, plan, "cdk.out", "typescript")?;
    // A traced synthesis says the app is TypeScript, and that wins over
    // --cdk-language; Python snippets come from the untraced synthesis,
    // where there is one.
    let python = if dir.join(UNTRACED).is_dir() {
        Some(snippets(fixture, dir, plan, UNTRACED, "python")?)
    } else {
        eprintln!(
            "[{}] no {UNTRACED} synthesis: the Python snippets are not compiled",
            fixture.name
        );
        None
    };
    if typescript.is_empty() || python.as_ref().is_some_and(Vec::is_empty) {
        bail!(
            "[{}] the comparison gave no TypeScript or no Python fix snippet to check",
            fixture.name
        );
    }

    let work = tempfile::Builder::new()
        .prefix("iac-parity-fixes-")
        .tempdir()
        .context("cannot create a temporary directory")?;
    let app = dir.join(fixture.cdk_dir);
    let copy = work.path().join("app");
    copy_sources(&app, &copy)?;
    let modules = fs::canonicalize(app.join("node_modules"))
        .with_context(|| format!("cannot read {}", app.join("node_modules").display()))?;
    link_folder(&modules, &copy.join("node_modules"))?;
    let mut file = String::from(TYPESCRIPT_PRELUDE);
    for (i, code) in typescript.iter().enumerate() {
        let _ = write!(
            file,
            "\nexport function fix{i}(): void {{\n{}\n}}\n",
            indent(code)
        );
    }
    fs::write(copy.join("lib").join("fix-snippets.ts"), file)
        .context("cannot write the TypeScript snippets")?;
    let mut command = Command::new(&tools.npx);
    command
        .current_dir(&copy)
        .args(["--no-install", "tsc", "--noEmit", "-p", "."]);
    step(
        fixture,
        format!(
            "tsc --noEmit: {} TypeScript fix snippets in a copy of {}",
            typescript.len(),
            fixture.cdk_dir
        ),
    );
    run_captured(fixture.name, "tsc --noEmit", command)?;

    if let Some(python) = python {
        let mut file = String::from(PYTHON_PRELUDE);
        for (i, code) in python.iter().enumerate() {
            let _ = write!(file, "\n\ndef fix{i}():\n{}\n", indent(code));
        }
        let path = work.path().join("fix_snippets.py");
        fs::write(&path, file).context("cannot write the Python snippets")?;
        let mut command = Command::new("python3");
        command.args(["-m", "py_compile"]).arg(&path);
        step(
            fixture,
            format!(
                "python3 -m py_compile: {} Python fix snippets",
                python.len()
            ),
        );
        run_captured(fixture.name, "python3 -m py_compile", command)?;
    }
    Ok(())
}

/// The fix snippets in `language` of every finding (waived ones too),
/// removals uncommented.
fn snippets(
    fixture: &Fixture,
    dir: &Path,
    plan: &str,
    cdk_out: &str,
    language: &str,
) -> anyhow::Result<Vec<String>> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["run", "--quiet", "--package", "iac-parity", "--", "compare"])
        .arg("--terraform")
        .arg(dir.join(plan))
        .arg("--cloudformation")
        .arg(dir.join(cdk_out))
        .args(["--format", "json", "--cdk-language", language]);
    let output = command
        .output()
        .context("cannot run `cargo run --package iac-parity`")?;
    // 1: divergent, as these fixtures are.
    if output.status.code() != Some(1) {
        bail!(
            "[{}] iac-parity compare exited with {}: {}",
            fixture.name,
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let report: Value = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("[{}] the JSON report does not parse", fixture.name))?;
    let mut found = Vec::new();
    let mut visit = |finding: &Value| {
        for fix in finding["fixes"].as_array().into_iter().flatten() {
            if fix["language"] == language
                && let Some(code) = fix["code"].as_str()
            {
                found.push(uncommented(code, language));
            }
        }
    };
    for finding in report["findings"]
        .as_array()
        .into_iter()
        .chain(report["intentional"].as_array())
        .flatten()
    {
        visit(finding);
        for member in finding["members"].as_array().into_iter().flatten() {
            visit(member);
        }
    }
    Ok(found)
}

/// A removal's commented code, as code; other snippets as they are.
fn uncommented(code: &str, language: &str) -> String {
    let comment = if language == "python" { "# " } else { "// " };
    let mut out = Vec::new();
    let mut removing = false;
    for line in code.lines() {
        if removing {
            out.push(line.strip_prefix(comment).unwrap_or(line).to_owned());
        } else {
            removing = line.starts_with(&format!("{comment}remove ("));
            out.push(line.to_owned());
        }
    }
    out.join("\n")
}

fn indent(code: &str) -> String {
    code.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_removal_is_checked_as_the_code_it_deletes() {
        let code = "// container: x\n// remove (Terraform does not have it): delete what does this\n// container.addEnvironment(\"HOME\", \"/tmp\");";
        assert_eq!(
            uncommented(code, "typescript").lines().last(),
            Some("container.addEnvironment(\"HOME\", \"/tmp\");")
        );
        let code = "# role: x\n# remove (Terraform does not have it): delete what does this\n# role.add_to_policy(x)";
        assert!(uncommented(code, "python").ends_with("\nrole.add_to_policy(x)"));
        assert_eq!(uncommented("a\n// b", "typescript"), "a\n// b");
    }
}
