//! A report that does not pretend, on the real pairs of
//! `testdata/real-pairs/` (plain and resolved plans against their
//! `cdk.out`): a resource without a twin is one finding in every format, and
//! no area reads "in sync" when part of it was not compared.

use serde_json::Value;

use super::{iac_parity, repo_root, stdout};

/// Every real pair: (the plan, the cdk.out), plain and resolved.
fn real_pairs() -> Vec<(String, String)> {
    let root = repo_root().join("testdata/real-pairs");
    let mut out = Vec::new();
    for project in std::fs::read_dir(&root).unwrap() {
        let project = project.unwrap().path();
        if !project.is_dir() {
            continue;
        }
        for pair in std::fs::read_dir(&project).unwrap() {
            let pair = pair.unwrap().path();
            if !pair.join("EXPECTED_PAIRS.yaml").exists() {
                continue;
            }
            let relative = pair
                .strip_prefix(repo_root())
                .unwrap()
                .display()
                .to_string();
            for plan in ["tfplan.json", "tfplan.resolved.json"] {
                if pair.join(plan).exists() {
                    out.push((format!("{relative}/{plan}"), format!("{relative}/cdk.out")));
                }
            }
        }
    }
    out.sort();
    assert!(out.len() >= 6, "{out:?}");
    out
}

fn compare(plan: &str, cdk_out: &str, format: &str) -> String {
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        plan,
        "--cloudformation",
        cdk_out,
        "--format",
        format,
    ]);
    assert!(
        matches!(assert.get_output().status.code(), Some(0 | 1)),
        "{plan}: {:?}",
        assert.get_output()
    );
    stdout(&assert)
}

/// The resources on one side only, as `side resource`, from the JSON
/// report's `unpaired[]`.
fn one_sided(report: &Value) -> Vec<String> {
    report["unpaired"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| match r["address"].as_str() {
            Some(address) => format!("Terraform {address}"),
            None => format!(
                "CDK {}/{}",
                r["stack"].as_str().unwrap(),
                r["logical_id"].as_str().unwrap()
            ),
        })
        .collect()
}

#[test]
fn a_resource_without_a_twin_is_one_finding_in_every_format() {
    for (plan, cdk_out) in real_pairs() {
        let report: Value = serde_json::from_str(&compare(&plan, &cdk_out, "json")).unwrap();
        let alone = one_sided(&report);
        // JSON: one finding, with no attribute, per resource without a twin,
        // and no finding about any attribute of it.
        for side in &alone {
            let (label, resource) = side.split_once(' ').unwrap();
            let about = |f: &&Value| match label {
                "Terraform" => f["terraform"]["address"] == resource,
                _ => {
                    let (stack, id) = resource.split_once('/').unwrap();
                    f["cloudformation"]["stack"] == stack && f["cloudformation"]["logical_id"] == id
                }
            };
            let findings: Vec<&Value> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(about)
                .collect();
            assert_eq!(findings.len(), 1, "{plan}: {side}: {findings:#?}");
            assert_eq!(findings[0]["attribute"], "", "{plan}: {side}");
        }
        // Text and markdown: one row in the table of resources on one side,
        // one line among the recommendations.
        let text = compare(&plan, &cdk_out, "text");
        let markdown = compare(&plan, &cdk_out, "markdown");
        for side in &alone {
            let (label, resource) = side.split_once(' ').unwrap();
            let text_rows = text
                .lines()
                .filter(|l| l.trim_start().starts_with(&format!("{label} ")))
                .filter(|l| l.contains(&format!(" {resource} ")))
                .count();
            assert_eq!(text_rows, 1, "{plan}: {side}");
            let markdown_rows = markdown
                .lines()
                .filter(|l| l.starts_with(&format!("| `{label}` |")))
                .filter(|l| l.contains(&format!("`{resource}`")))
                .count();
            assert_eq!(markdown_rows, 1, "{plan}: {side}");
            let recommended = text
                .lines()
                .filter(|l| {
                    l.trim_start()
                        .starts_with(&format!("- {resource} is only in"))
                })
                .count();
            assert_eq!(recommended, 1, "{plan}: {side}");
        }
        // JUnit: one test case per resource without a twin, with one failure.
        let junit = compare(&plan, &cdk_out, "junit");
        for side in &alone {
            let resource = side
                .split_once(' ')
                .unwrap()
                .1
                .replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            let cases: Vec<&str> = junit
                .split("<testcase ")
                .skip(1)
                .filter(|c| c.contains(&format!("name=\"{resource} (only in ")))
                .collect();
            assert_eq!(cases.len(), 1, "{plan}: {side}");
            assert_eq!(cases[0].matches("<failure ").count(), 1, "{plan}: {side}");
        }
        // The summary counts each of them once.
        let counted: u64 = report["summary"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                a["coverage"]["resources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| {
                        r["only_in_terraform"].as_u64().unwrap()
                            + r["only_in_cdk"].as_u64().unwrap()
                    })
                    .sum::<u64>()
            })
            .sum();
        assert_eq!(counted, alone.len() as u64, "{plan}");
    }
}

#[test]
fn no_area_is_in_sync_when_part_of_it_was_not_compared() {
    for (plan, cdk_out) in real_pairs() {
        let report: Value = serde_json::from_str(&compare(&plan, &cdk_out, "json")).unwrap();
        for area in report["summary"].as_array().unwrap() {
            let coverage = &area["coverage"];
            let not_compared: u64 = coverage["parts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let n = &p["not_compared"];
                    n["without_twin"].as_u64().unwrap()
                        + n["one_sided"].as_u64().unwrap()
                        + n["unknown"].as_u64().unwrap()
                })
                .sum();
            let compared: u64 = coverage["parts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["compared"].as_u64().unwrap())
                .chain(
                    coverage["resources"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r["paired"].as_u64().unwrap()),
                )
                .sum();
            let status = area["status"].as_str().unwrap();
            if not_compared > 0 {
                assert!(
                    matches!(status, "partial" | "not-compared" | "diverged"),
                    "{plan}: {area}"
                );
            }
            if compared == 0 && not_compared > 0 && status != "diverged" {
                assert_eq!(status, "not-compared", "{plan}: {area}");
            }
        }
    }
}
