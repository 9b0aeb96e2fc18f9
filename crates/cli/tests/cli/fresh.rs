//! `iac-parity compare` on the ecs-fargate-fresh fixture: a plan for an
//! environment where nothing exists yet, plain and with its unknowns
//! resolved (`cargo xtask plan-json`). The plain plan cannot say what the
//! containers get or what the roles may do; the resolved plan finds the
//! seeded divergences of `DIVERGENCES.md`, no more and no fewer.

use serde_json::Value;

use super::{Divergence, divergences_found, expect_file, iac_parity, repo_root, stderr, stdout};

const PLAIN: &str = "testdata/ecs-fargate-fresh/tfplan.plain.json";
const RESOLVED: &str = "testdata/ecs-fargate-fresh/tfplan.resolved.json";
const DIVERGENT: &str = "testdata/ecs-fargate-fresh/cdk.out";
const IN_SYNC: &str = "testdata/ecs-fargate-fresh/cdk.out.in-sync";

type Row = Divergence;

fn seeded_divergences() -> Vec<Row> {
    super::seeded_divergences("ecs-fargate-fresh")
}

fn report(terraform: &str, cloudformation: &str) -> Value {
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        terraform,
        "--cloudformation",
        cloudformation,
        "--format",
        "json",
    ]);
    serde_json::from_str(&stdout(&assert.code(1))).unwrap()
}

/// The findings of a report whose status `keep` accepts, as rows.
fn rows(report: &Value, keep: impl Fn(&str) -> bool) -> Vec<Row> {
    divergences_found(report, |f| keep(f["status"].as_str().unwrap_or_default()))
}

fn unverifiable(report: &Value) -> Vec<(String, String)> {
    rows(report, |status| status == "unverifiable")
        .into_iter()
        .map(|row| (row.cdk_resource, row.attribute))
        .collect()
}

fn pair(resource: &str, attribute: &str) -> (String, String) {
    (resource.to_owned(), attribute.to_owned())
}

#[test]
fn the_plain_plan_cannot_compare_containers_policies_or_the_efs_volume() {
    let report = report(PLAIN, DIVERGENT);
    let unverifiable = unverifiable(&report);
    for expected in [
        // `jsonencode` of the secrets' ARNs: environment, secrets and
        // mount points with it.
        pair("TaskDef54694570", "ContainerDefinitions"),
        pair("ExecutionRole605A040B", "Policies"),
        pair("TaskRole30FC0FBB", "Policies"),
        pair(
            "TaskDef54694570",
            "Volumes[data].EFSVolumeConfiguration.FilesystemId",
        ),
        pair(
            "TaskDef54694570",
            "Volumes[data].EFSVolumeConfiguration.AuthorizationConfig.AccessPointId",
        ),
    ] {
        assert!(
            unverifiable.contains(&expected),
            "{expected:?} in {unverifiable:#?}"
        );
    }
    // Of the seeded divergences, only those outside the unknown documents
    // are found.
    let known_in_both: Vec<Row> = seeded_divergences()
        .into_iter()
        .filter(|row| row.attribute == "HealthCheckPath" || row.attribute == "Type")
        .collect();
    assert_eq!(known_in_both.len(), 2);
    assert_eq!(
        rows(&report, |status| status != "unverifiable"),
        known_in_both
    );
}

#[test]
fn the_resolved_plan_finds_exactly_the_seeded_divergences() {
    let report = report(RESOLVED, DIVERGENT);
    assert_eq!(
        rows(&report, |status| status != "unverifiable"),
        seeded_divergences()
    );
    // Nothing is left to deploy time.
    assert_eq!(unverifiable(&report), Vec::<(String, String)>::new());
}

#[test]
fn the_resolved_plan_and_the_in_sync_app_differ_only_where_cloudformation_cannot_follow() {
    let report = report(RESOLVED, IN_SYNC);
    let parameter_type: Vec<Row> = seeded_divergences()
        .into_iter()
        .filter(|row| row.attribute == "Type")
        .collect();
    assert_eq!(
        rows(&report, |status| status != "unverifiable"),
        parameter_type
    );
    assert_eq!(unverifiable(&report), Vec::<(String, String)>::new());
}

/// The summary line of `area`.
pub(crate) fn area<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["summary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["area"] == name)
        .unwrap()
}

/// The plain plan knows the container definitions only after apply: not one
/// container's environment was compared, so the area is not in sync but
/// not compared, and says why; the resolved plan compares it.
#[test]
fn an_environment_unknown_before_apply_is_not_compared() {
    let plain = report(PLAIN, DIVERGENT);
    let env = area(&plain, "env");
    assert_eq!(env["status"], "not-compared", "{env}");
    assert_eq!(
        env["coverage"]["parts"],
        serde_json::json!([{
            "resource_type": "AWS::ECS::TaskDefinition",
            "items": "ContainerDefinitions",
            "words": "containers",
            "holders": "task definitions",
            "properties": ["Environment", "EnvironmentFiles"],
            "compared": 0,
            "not_compared": { "without_twin": 0, "one_sided": 0, "unknown": 1 }
        }])
    );
    // Each format says so in the words of the area.
    assert_eq!(
        env["coverage"]["text"],
        serde_json::json!(["containers compared 0/1 (1 not known before deploy)"])
    );
    for format in ["text", "markdown"] {
        let assert = iac_parity(&[
            "compare",
            "--terraform",
            PLAIN,
            "--cloudformation",
            DIVERGENT,
            "--format",
            format,
        ]);
        let out = stdout(&assert);
        let line = out
            .lines()
            .find(|l| l.contains("Environment variables"))
            .unwrap();
        assert!(line.contains("Not compared"), "{format}: {line}");
        assert!(
            line.contains("containers compared 0/1 (1 not known before deploy)"),
            "{format}: {line}"
        );
    }
    // The file system and access points were compared, the container's
    // mount points were not: the EFS area is partial.
    assert_eq!(area(&plain, "efs")["status"], "partial");

    let resolved = report(RESOLVED, DIVERGENT);
    let env = area(&resolved, "env");
    assert_eq!(env["status"], "diverged", "{env}");
    assert_eq!(env["coverage"]["parts"][0]["compared"], 1, "{env}");
}

/// With the waiver its `parity.yaml` gives, with its reason, the resolved
/// plan and the in-sync app are in parity in every area, with nothing left
/// unverifiable.
#[test]
fn the_resolved_plan_and_the_in_sync_app_are_in_sync_in_every_area() {
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        RESOLVED,
        "--cloudformation",
        IN_SYNC,
        "--config",
        "testdata/ecs-fargate-fresh/parity.yaml",
        "--strict",
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(&stdout(&assert.code(0))).unwrap();
    for area in report["summary"].as_array().unwrap() {
        assert_eq!(area["status"], "in-sync", "{area}");
        assert_eq!(area["unverifiable"], 0, "{area}");
    }
}

fn inventory(plan: &str) -> Vec<Value> {
    let assert = iac_parity(&["inventory", plan, "--format", "json"]);
    let inventory: Value = serde_json::from_str(&stdout(&assert.success())).unwrap();
    inventory["resources"].as_array().unwrap().clone()
}

#[test]
fn the_resolved_plan_creates_what_the_plain_plan_creates() {
    let (plain, resolved) = (inventory(PLAIN), inventory(RESOLVED));
    let actions = |resources: &[Value]| -> Vec<(String, String)> {
        resources
            .iter()
            .map(|r| {
                (
                    r["address"].as_str().unwrap().to_owned(),
                    r["action"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(actions(&resolved), actions(&plain));
    assert!(
        actions(&resolved)
            .iter()
            .all(|(_, action)| action == "create")
    );
    // What the plain plan leaves unknown is known in the resolved one,
    // but for what AWS alone decides.
    for (p, r) in plain.iter().zip(&resolved) {
        let unknown = |r: &Value| r["unknown_leaves"].as_u64().unwrap();
        assert!(unknown(r) <= unknown(p), "{p} / {r}");
    }
    let task = |resources: &[Value]| {
        resources
            .iter()
            .find(|r| r["address"] == "aws_ecs_task_definition.api")
            .unwrap()["unknown_leaves"]
            .as_u64()
            .unwrap()
    };
    assert!(task(&resolved) < task(&plain));
}

#[test]
fn a_resolution_record_of_another_version_is_trouble_at_its_place() {
    let plan = std::fs::read_to_string(repo_root().join(RESOLVED)).unwrap();
    // The committed plan carries the record of the current version.
    use parity_terraform::RESOLUTION_VERSION as CURRENT;
    let needle = format!("\"iac_parity_resolution\":{{\"version\":{CURRENT},");
    assert_eq!(plan.matches(&needle).count(), 1);
    let next = CURRENT + 1;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tfplan.json");
    std::fs::write(
        &path,
        plan.replace(
            &needle,
            &format!("\"iac_parity_resolution\":{{\"version\":{next},"),
        ),
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        path,
        "--cloudformation",
        DIVERGENT,
    ]);
    assert_eq!(
        stderr(&assert.code(2)),
        format!(
            "error: {path}: at /iac_parity_resolution/version: unsupported version {next}: iac-parity reads versions 1 to {CURRENT}\n"
        )
    );
}

/// A resolution that left something unknown: terraform refused the
/// placeholder of a VPC's ID in a log group's name, so the VPC, and what is
/// built from its ID, stayed unknown (`testdata/tf-resolve/flow-logs`).
const FLOW_LOGS: &str = "testdata/tf-resolve/flow-logs";

/// Every format's report says, for each value the resolution left unknown,
/// that it is unknown after resolution and why, the provider's message
/// included; for the plain plan, that Terraform knows it only after apply.
#[test]
fn what_a_resolution_left_unknown_is_unverifiable_with_its_reason_in_every_format() {
    let template = format!("{FLOW_LOGS}/template.yaml");
    let compare = |plan: &str, format: &str| {
        let plan = format!("{FLOW_LOGS}/{plan}");
        let assert = iac_parity(&[
            "compare",
            "--terraform",
            &plan,
            "--cloudformation",
            &template,
            "--format",
            format,
        ]);
        stdout(&assert.code(1))
    };
    for (format, file) in [
        ("text", "compare.txt"),
        ("markdown", "compare.md"),
        ("json", "compare.json"),
        ("github", "compare.github"),
        ("sarif", "compare.sarif"),
    ] {
        let resolved = compare("tfplan.resolved.json", format);
        for attribute in ["VpcId", "LogGroupName", "Policies"] {
            assert!(resolved.contains(attribute), "{format}: {attribute}");
        }
        for why in [
            "unknown after resolution: unknown in every round: it depends on what was left unknown (aws_vpc.main)",
            "left out of the placeholder state: terraform refused the placeholder of its `id`",
            "isn't a valid log group name",
        ] {
            assert!(resolved.contains(why), "{format}: {why}\n{resolved}");
        }
        assert!(
            !resolved.contains("only after apply"),
            "{format}\n{resolved}"
        );
        expect_file(&format!("{FLOW_LOGS}/expected/{file}"), &resolved);

        let plain = compare("tfplan.plain.json", format);
        assert!(
            plain.contains("Terraform knows this value only after apply"),
            "{format}"
        );
        assert!(!plain.contains("unknown after resolution"), "{format}");
    }
}
