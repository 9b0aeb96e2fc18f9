//! Terraform source locations (`--terraform-source`, `terraform.root`):
//! every seeded divergence is located at a line of the committed `.tf`
//! files that writes it, checked by reading that line.

use serde_json::Value;

use super::compare::compare_json;
use super::*;

/// Names compared as both sides spell them: without case, `_` or `-`.
fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The text of a line of a file, the file relative to the repository.
fn source_line(file: &str, line: u64) -> String {
    let text =
        std::fs::read_to_string(repo_root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    text.lines()
        .nth(usize::try_from(line).unwrap() - 1)
        .unwrap_or_else(|| panic!("{file} has no line {line}"))
        .to_owned()
}

/// The findings of a JSON report, waived ones too.
fn all_findings(report: &Value) -> Vec<&Value> {
    let findings = report["findings"].as_array().unwrap().iter();
    // Waived findings are findings with their waiver.
    let waived = report["intentional"].as_array().unwrap().iter();
    findings.chain(waived).collect()
}

/// The parts of a canonical attribute: names, and what brackets hold.
fn parts(attribute: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut rest = attribute;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']').unwrap();
            out.push((true, inner[..end].to_owned()));
            rest = &inner[end + 1..];
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            out.push((false, rest[..end].to_owned()));
            rest = &rest[end..];
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    out
}

/// Checks that each seeded divergence of `fixture` is located at a line
/// that writes it: the attribute's last part or the Terraform value where
/// Terraform has one; else a name of the attribute's path, a word of the
/// list item's key, or the resource block.
fn check_seeded(fixture: &str, report: &Value) {
    let findings = all_findings(report);
    for seeded in seeded_divergences(fixture) {
        let finding = findings
            .iter()
            .find(|f| {
                f["terraform"]["address"] == seeded.terraform_resource.as_str()
                    && f["attribute"] == seeded.attribute.as_str()
            })
            .unwrap_or_else(|| panic!("{fixture}: no finding for {seeded:?}"));
        let location = &finding["terraform"]["location"];
        let file = location["file"]
            .as_str()
            .unwrap_or_else(|| panic!("{fixture}: {} has no file: {finding}", seeded.attribute));
        assert!(
            file.starts_with(&format!("testdata/{fixture}/terraform/")),
            "{file}"
        );
        let line = source_line(file, location["line"].as_u64().unwrap());
        let written = plain(&line);
        let parts = parts(&seeded.attribute);
        let (_, last) = parts.last().unwrap();
        let address: Vec<&str> = seeded.terraform_resource.split('.').collect();
        let header = format!("resource \"{}\" \"{}\"", address[0], address[1]);
        let ok = match &seeded.terraform {
            Some(value) => written.contains(&plain(last)) || line.contains(value.as_str()),
            None => {
                parts
                    .iter()
                    .any(|(item, p)| !*item && written.contains(&plain(p)))
                    || last
                        .split([' ', ','])
                        .any(|w| !w.is_empty() && line.to_lowercase().contains(&w.to_lowercase()))
                    || line.contains(&header)
            }
        };
        assert!(
            ok,
            "{fixture}: {} of {} is located at {file}:{}, which reads {line:?}",
            seeded.attribute, seeded.terraform_resource, location["line"]
        );
    }
}

#[test]
fn every_seeded_divergence_of_ecs_fargate_is_located_in_the_terraform() {
    let report = compare_json(
        "testdata/ecs-fargate/tfplan.resolved.json",
        "testdata/ecs-fargate/cdk.out",
        &["--terraform-source", "testdata/ecs-fargate/terraform"],
        1,
    );
    check_seeded("ecs-fargate", &report);
}

#[test]
fn every_seeded_divergence_of_ecs_fargate_fresh_is_located_through_terraform_root() {
    // `terraform.root` of parity.yaml, relative to it.
    let report = compare_json(
        "testdata/ecs-fargate-fresh/tfplan.resolved.json",
        "testdata/ecs-fargate-fresh/cdk.out",
        &["--config", "testdata/ecs-fargate-fresh/parity.yaml"],
        1,
    );
    check_seeded("ecs-fargate-fresh", &report);
}

#[test]
fn without_sources_the_report_has_no_terraform_location() {
    let report = compare_json(
        "testdata/ecs-fargate/tfplan.resolved.json",
        "testdata/ecs-fargate/cdk.out",
        &[],
        1,
    );
    for finding in all_findings(&report) {
        assert!(finding["terraform"].get("location").is_none(), "{finding}");
    }
}

#[test]
fn unreadable_sources_are_a_warning_and_the_report_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_lb\" \"x\" {\n  name = \n",
    )
    .unwrap();
    let root = dir.path().to_str().unwrap();
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        "testdata/ecs-fargate/tfplan.resolved.json",
        "--cloudformation",
        "testdata/ecs-fargate/cdk.out",
        "--terraform-source",
        root,
        "--format",
        "json",
    ])
    .code(1);
    let warning = stderr(&assert);
    assert!(
        warning.starts_with("warning: ")
            && warning.contains("main.tf:")
            && warning.contains("malformed HCL"),
        "{warning}"
    );
    let report: Value = serde_json::from_str(&stdout(&assert)).unwrap();
    assert_eq!(report["in_parity"], false);

    let missing = iac_parity(&[
        "compare",
        "--terraform",
        "testdata/ecs-fargate/tfplan.resolved.json",
        "--cloudformation",
        "testdata/ecs-fargate/cdk.out",
        "--terraform-source",
        "testdata/ecs-fargate/no-such-folder",
    ])
    .code(1);
    assert_eq!(
        stderr(&missing),
        "warning: testdata/ecs-fargate/no-such-folder: not a folder: the Terraform source locations are left out\n"
    );
}

/// The paired fixtures whose two sides are at hand (a Terraform root and a
/// CDK app synthesized with creation traces, both named by the fixture's
/// `parity.yaml`): the plan compared, the exit code, and the expected
/// report and its format, if the fixture has one of its own (ecs-fargate's
/// is `compare-waived.md`, checked in gate.rs). multi-service's is JSON:
/// in parity, its findings are unverifiable values, which markdown lists
/// without their places.
const WITH_SOURCES: &[Sources] = &[
    Sources {
        fixture: "ecs-fargate",
        plan: "tfplan.resolved.json",
        code: 1,
        expected: None,
    },
    Sources {
        fixture: "ecs-fargate-fresh",
        plan: "tfplan.resolved.json",
        code: 1,
        expected: Some(("compare.md", "markdown")),
    },
    Sources {
        fixture: "multi-service",
        plan: "tfplan.json",
        code: 0,
        expected: Some(("compare.json", "json")),
    },
    Sources {
        fixture: "secrets-pair",
        plan: "tfplan.json",
        code: 1,
        expected: Some(("compare.md", "markdown")),
    },
];

/// One entry of [`WITH_SOURCES`].
struct Sources {
    fixture: &'static str,
    plan: &'static str,
    code: i32,
    /// The expected report's file and format.
    expected: Option<(&'static str, &'static str)>,
}

#[test]
fn the_fixtures_with_sources_say_where_and_how_to_fix_each_finding() {
    for Sources {
        fixture,
        plan,
        code,
        expected,
    } in WITH_SOURCES
    {
        let plan = format!("testdata/{fixture}/{plan}");
        let cdk_out = format!("testdata/{fixture}/cdk.out");
        let config = format!("testdata/{fixture}/parity.yaml");
        let report = compare_json(&plan, &cdk_out, &["--config", &config], *code);
        let mut seen = 0;
        for finding in all_findings(&report) {
            let members = finding["members"].as_array().filter(|m| !m.is_empty());
            for f in members.map_or_else(|| vec![finding], |m| m.iter().collect()) {
                let name = format!(
                    "{fixture}: {} {}",
                    f["terraform"]["address"], f["attribute"]
                );
                if !f["terraform"].is_null() {
                    let location = &f["terraform"]["location"];
                    let file = location["file"]
                        .as_str()
                        .unwrap_or_else(|| panic!("{name}"));
                    assert!(
                        file.starts_with(&format!("testdata/{fixture}/terraform/")),
                        "{name}: {file}"
                    );
                    assert!(
                        !source_line(file, location["line"].as_u64().unwrap())
                            .trim()
                            .is_empty(),
                        "{name}"
                    );
                }
                if !f["cloudformation"].is_null() {
                    let source = &f["cloudformation"]["location"]["source"];
                    let file = source["file"]
                        .as_str()
                        .unwrap_or_else(|| panic!("{name}: {f}"));
                    assert!(
                        file.starts_with(&format!("testdata/{fixture}/cdk/")),
                        "{name}: {file}"
                    );
                    assert!(
                        !source_line(file, source["line"].as_u64().unwrap())
                            .trim()
                            .is_empty(),
                        "{name}"
                    );
                }
                let between_twins = !f["terraform"].is_null() && !f["cloudformation"].is_null();
                // A fix for a side at least: none is written for a value
                // that refers to a resource without a twin.
                if between_twins && f["status"] != "unverifiable" {
                    let fixes = f["fixes"].as_array().map_or(0, Vec::len);
                    assert!(fixes > 0, "{name}: no fix");
                }
                seen += 1;
            }
        }
        assert!(seen > 0, "{fixture}: no finding");
        if let Some((expected, format)) = expected {
            let out = stdout(
                &iac_parity(&[
                    "compare",
                    "--terraform",
                    &plan,
                    "--cloudformation",
                    &cdk_out,
                    "--config",
                    &config,
                    "--format",
                    format,
                ])
                .code(*code),
            );
            if *format == "markdown" {
                assert!(out.contains("<summary>Where and how to fix"), "{fixture}");
                assert!(
                    out.contains(&format!("- Terraform: `testdata/{fixture}/terraform/")),
                    "{fixture}"
                );
                assert!(
                    out.contains(&format!("created at testdata/{fixture}/cdk/")),
                    "{fixture}"
                );
            }
            for secret in ["fixture-tf-password-1", "fixture-cdk-password-2"] {
                assert!(!out.contains(secret), "{fixture}: {secret}");
            }
            expect_file(&format!("testdata/{fixture}/expected/{expected}"), &out);
        }
    }
}
