//! `iac-parity compare` on the ecs-fargate fixture: the seeded divergences
//! of `DIVERGENCES.md`, no more and no fewer, every format byte for byte,
//! the exit codes.

use serde_json::Value;

use super::{
    Divergence, divergences_found, expect_file, iac_parity, repo_root, seeded_divergences, stderr,
    stdout,
};

const PLAN: &str = "testdata/ecs-fargate/tfplan.json";
const DIVERGENT: &str = "testdata/ecs-fargate/cdk.out";
const IN_SYNC: &str = "testdata/ecs-fargate/cdk.out.in-sync";

const RESOLVED: &str = "testdata/ecs-fargate/tfplan.resolved.json";

/// The JSON report of `compare` on the fixture's plain plan, which exits with
/// `code`.
fn json_report(cloudformation: &str, code: i32) -> Value {
    compare_json(PLAN, cloudformation, &[], code)
}

/// The JSON report of `compare --terraform PLAN --cloudformation CDK EXTRA…`,
/// which exits with `code`.
pub(super) fn compare_json(plan: &str, cloudformation: &str, extra: &[&str], code: i32) -> Value {
    let mut args = vec![
        "compare",
        "--terraform",
        plan,
        "--cloudformation",
        cloudformation,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    serde_json::from_str(&stdout(&iac_parity(&args).code(code))).unwrap()
}

fn found(report: &Value, keep: impl Fn(&Value) -> bool) -> Vec<Divergence> {
    divergences_found(report, keep)
}

fn seeded() -> Vec<Divergence> {
    seeded_divergences("ecs-fargate")
}

#[test]
fn finds_exactly_the_seeded_divergences() {
    let report = json_report(DIVERGENT, 1);
    // In a fresh plan Terraform knows the role policies only after apply:
    // the seeded IAM divergence is unverifiable here, and found in the
    // resolved plan of ecs-fargate-fresh.
    let (iam, expected): (Vec<Divergence>, Vec<Divergence>) =
        seeded().into_iter().partition(|d| d.area == "iam");
    assert_eq!(found(&report, |f| f["status"] != "unverifiable"), expected);
    assert!(!iam.is_empty());
    let unverifiable_policies = found(&report, |f| {
        f["status"] == "unverifiable" && f["attribute"] == "Policies"
    });
    assert!(
        unverifiable_policies
            .iter()
            .any(|d| d.cdk_resource == "TaskRole30FC0FBB"),
        "{unverifiable_policies:#?}"
    );
    assert_eq!(report["in_parity"], false);
}

#[test]
fn each_seeded_divergence_has_its_area_and_severity() {
    let report = json_report(DIVERGENT, 1);
    let finding = |attribute: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["attribute"] == attribute)
            .cloned()
            .unwrap()
    };
    let check = |attribute: &str, area: &str, status: &str, severity: &str| {
        let f = finding(attribute);
        assert_eq!(
            (
                f["area"].as_str(),
                f["status"].as_str(),
                f["severity"].as_str()
            ),
            (Some(area), Some(status), Some(severity)),
            "{attribute}"
        );
    };
    check(
        "ContainerDefinitions[api].Environment[LOG_LEVEL]",
        "env",
        "differs",
        "should-fix",
    );
    check(
        "ContainerDefinitions[api].Environment[HOME]",
        "env",
        "only-in-cdk",
        "must-fix",
    );
    check(
        "ContainerDefinitions[api].Environment[FEATURE_SEARCH]",
        "env",
        "only-in-terraform",
        "must-fix",
    );
    check(
        "ContainerDefinitions[api].Secrets[DB_USERNAME].ValueFrom",
        "secrets",
        "differs",
        "must-fix",
    );
    check("PosixUser.Uid", "efs", "differs", "must-fix");
    check("HealthCheckPath", "alb", "differs", "should-fix");
    assert_eq!(
        finding("ContainerDefinitions[api].Secrets[DB_USERNAME].ValueFrom")["note"],
        "same secret; the JSON key `username` in Terraform, `password` in CDK"
    );
}

#[test]
fn the_in_sync_variant_has_no_discrepancy_in_any_area() {
    let report = json_report(IN_SYNC, 0);
    assert_eq!(report["in_parity"], true);
    for area in report["summary"].as_array().unwrap() {
        assert_eq!(area["discrepancies"], 0, "{area}");
    }
    assert_eq!(
        found(&report, |f| f["status"] != "unverifiable"),
        Vec::new()
    );
}

#[test]
fn divergent_text_report() {
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        PLAN,
        "--cloudformation",
        DIVERGENT,
    ]);
    expect_file(
        "testdata/ecs-fargate/expected/compare.txt",
        &stdout(&assert.code(1)),
    );
}

#[test]
fn divergent_markdown_report_with_cdk_as_source_of_truth() {
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        PLAN,
        "--cloudformation",
        DIVERGENT,
        "--format",
        "markdown",
        "--source-of-truth",
        "cdk",
    ]);
    expect_file(
        "testdata/ecs-fargate/expected/compare.md",
        &stdout(&assert.code(1)),
    );
}

#[test]
fn divergent_json_report() {
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        PLAN,
        "--cloudformation",
        DIVERGENT,
        "--format",
        "json",
    ]);
    expect_file(
        "testdata/ecs-fargate/expected/compare.json",
        &stdout(&assert.code(1)),
    );
}

#[test]
fn in_sync_env_exits_zero() {
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        PLAN,
        "--cloudformation",
        IN_SYNC,
        "--area",
        "env",
    ]);
    let out = stdout(&assert.code(0));
    assert!(out.contains("| In sync "), "{out}");
    expect_file(
        "testdata/ecs-fargate/expected/compare-in-sync-env.txt",
        &out,
    );
}

#[test]
fn fail_on_sets_the_least_severe_difference_that_fails() {
    let run = |fail_on: &str, area: &str| {
        let args = [
            "compare",
            "--terraform",
            PLAN,
            "--cloudformation",
            DIVERGENT,
            "--area",
            area,
            "--fail-on",
            fail_on,
        ];
        iac_parity(&args).get_output().status.code()
    };
    // The health check path is a should-fix difference.
    assert_eq!(run("must", "alb"), Some(0));
    assert_eq!(run("should", "alb"), Some(1));
    assert_eq!(run("consider", "alb"), Some(1));
    assert_eq!(run("must", "secrets"), Some(1));
}

#[test]
fn output_writes_the_report_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.md");
    let path_text = path.to_str().unwrap();
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        PLAN,
        "--cloudformation",
        DIVERGENT,
        "--format",
        "markdown",
        "--output",
        path_text,
    ]);
    assert_eq!(stdout(&assert.code(1)), "");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        written.starts_with("## Infrastructure Parity Report\n"),
        "{written}"
    );
}

#[test]
fn same_inputs_give_byte_identical_reports() {
    for format in ["text", "markdown", "json"] {
        let run = || {
            stdout(&iac_parity(&[
                "compare",
                "--terraform",
                PLAN,
                "--cloudformation",
                DIVERGENT,
                "--format",
                format,
            ]))
        };
        assert_eq!(run(), run(), "{format}");
    }
}

/// Every kind of trouble: exit 2, nothing on stdout, one line on stderr that
/// names the file and what is wrong.
fn trouble(args: &[&str], expected_stderr: &str) {
    let assert = iac_parity(args).code(2);
    assert_eq!(stdout(&assert), "");
    let err = stderr(&assert);
    assert_eq!(err.lines().count(), 1, "more than one line: {err}");
    assert_eq!(err.trim_end(), expected_stderr);
}

/// A plan and a cloud assembly of two different projects: not one resource
/// finds its twin, and a report of them would list every resource as on one
/// side only.
#[test]
fn inputs_without_a_single_pair_are_trouble() {
    for format in ["text", "json"] {
        trouble(
            &[
                "compare",
                "--terraform",
                "testdata/ecs-fargate-fresh/tfplan.plain.json",
                "--cloudformation",
                "testdata/cdk-nested-stack/cdk.out",
                "--format",
                format,
            ],
            "error: the inputs do not look like the same infrastructure: none of the 18 resources of testdata/ecs-fargate-fresh/tfplan.plain.json has a twin among the 7 of testdata/cdk-nested-stack/cdk.out (give both sides of one project, or pair resources in parity.yaml)",
        );
    }
}

#[test]
fn missing_terraform_file() {
    let err = std::io::Error::from_raw_os_error(2);
    trouble(
        &[
            "compare",
            "--terraform",
            "testdata/no-such-plan.json",
            "--cloudformation",
            DIVERGENT,
        ],
        &format!("error: testdata/no-such-plan.json: cannot read file: {err}"),
    );
}

#[test]
fn missing_cdk_out() {
    let err = std::io::Error::from_raw_os_error(2);
    trouble(
        &[
            "compare",
            "--terraform",
            PLAN,
            "--cloudformation",
            "testdata/no-such-cdk.out",
        ],
        &format!("error: testdata/no-such-cdk.out: cannot read: {err}"),
    );
}

#[test]
fn malformed_plan_json() {
    trouble(
        &[
            "compare",
            "--terraform",
            "testdata/bad/terraform/truncated.json",
            "--cloudformation",
            DIVERGENT,
        ],
        "error: testdata/bad/terraform/truncated.json:7:0: malformed JSON: EOF while parsing a list",
    );
}

#[test]
fn a_folder_that_is_not_a_cdk_out() {
    trouble(
        &[
            "compare",
            "--terraform",
            PLAN,
            "--cloudformation",
            "testdata/bad/cloudformation/not-a-cdk-out",
        ],
        "error: testdata/bad/cloudformation/not-a-cdk-out: not a cdk.out folder: it has no manifest.json (give the folder `cdk synth` wrote, or a template file)",
    );
}

#[test]
fn a_configuration_with_a_skip_and_no_reason() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("parity.yaml");
    std::fs::write(&config, "skip:\n  terraform:\n    - pattern: aws_lb.api\n").unwrap();
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        PLAN,
        "--cloudformation",
        DIVERGENT,
        "--config",
        config.to_str().unwrap(),
    ])
    .code(2);
    let err = stderr(&assert);
    assert!(
        err.starts_with(&format!(
            "error: {}: skip.terraform[0]: missing field `reason`",
            config.display()
        )),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn inventory_reads_both_sides_and_standard_input() {
    let count = |args: &[&str], stdin: Option<Vec<u8>>| {
        let mut cmd = assert_cmd::Command::cargo_bin("iac-parity").unwrap();
        cmd.current_dir(repo_root()).args(args);
        if let Some(bytes) = stdin {
            cmd.write_stdin(bytes);
        }
        let out = cmd.assert().code(0).get_output().stdout.clone();
        let json: Value = serde_json::from_slice(&out).unwrap();
        (
            json["side"].as_str().unwrap().to_owned(),
            json["resources"].as_array().unwrap().len(),
        )
    };
    let plan = std::fs::read(repo_root().join(PLAN)).unwrap();
    let planned: Value = serde_json::from_slice(&plan).unwrap();
    let planned_count = planned["planned_values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(
        count(&["inventory", PLAN, "--format", "json"], None),
        ("terraform".to_owned(), planned_count)
    );
    assert_eq!(
        count(&["inventory", "-", "--format", "json"], Some(plan)),
        ("terraform".to_owned(), planned_count)
    );
    let template =
        std::fs::read(repo_root().join(DIVERGENT).join("ApiStack.template.json")).unwrap();
    let template_json: Value = serde_json::from_slice(&template).unwrap();
    let cdk_metadata = template_json["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::CDK::Metadata")
        .count();
    let expected = template_json["Resources"].as_object().unwrap().len() - cdk_metadata;
    assert_eq!(
        count(&["inventory", DIVERGENT, "--format", "json"], None),
        ("cloudformation".to_owned(), expected)
    );
    assert_eq!(
        count(&["inventory", "-", "--format", "json"], Some(template)),
        ("cloudformation".to_owned(), expected)
    );
}

/// Values Terraform marks sensitive (`tf-sensitive`: sensitive variables
/// in an SSM parameter, a secret version and a container environment) and
/// a CloudFormation `NoEcho` parameter given on the command line, paired so
/// that they show up in findings: no format prints any of them.
#[test]
fn no_format_prints_a_sensitive_value() {
    const DISTINCTIVE: &[&str] = &[
        "fixture-password",
        "fixture-partner-key",
        "cli-secret-value-9f3a",
        "not-a-real-password",
    ];
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("parity.yaml");
    std::fs::write(
        &config,
        "pairs:\n  - terraform: aws_ecs_task_definition.api\n    cloudformation: Service\n    reason: both carry secrets in their containers\n",
    )
    .unwrap();
    for format in ["text", "markdown", "json"] {
        let assert = iac_parity(&[
            "compare",
            "--terraform",
            "testdata/tf-sensitive/tfplan.json",
            "--cloudformation",
            "testdata/yaml-short-tags/app.yaml",
            "--cloudformation",
            "testdata/yaml-short-tags/network.yaml",
            "--param",
            "DbPassword=cli-secret-value-9f3a",
            "--config",
            config.to_str().unwrap(),
            "--show-pairs",
            "--format",
            format,
        ]);
        let assert = assert.code(1);
        let (out, err) = (stdout(&assert), stderr(&assert));
        for secret in DISTINCTIVE {
            assert!(
                !out.contains(secret) && !err.contains(secret),
                "{format} prints {secret}:\n{out}"
            );
        }
        assert!(
            out.contains("sensitive"),
            "{format}: the sensitive values are not even mentioned:\n{out}"
        );
    }
}

/// Every resource of ecs-fargate pairs with its twin, including what one
/// side keeps standalone and the other inline: role policies and the
/// managed-policy attachment into their roles, ingress rules into their
/// security groups, the file-system policy into its file system.
#[test]
fn every_resource_of_ecs_fargate_pairs_with_its_twin() {
    let report = json_report(IN_SYNC, 0);
    let mut pairs: Vec<(String, String, Vec<String>)> = report["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let mut folded: Vec<String> = p["folded"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    f.get("address")
                        .or_else(|| f.get("logical_id"))
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_owned()
                })
                .collect();
            folded.sort();
            (
                p["terraform"]["address"].as_str().unwrap().to_owned(),
                p["cloudformation"]["logical_id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                folded,
            )
        })
        .collect();
    pairs.sort();
    let expected: Vec<(&str, &str, Vec<&str>)> = vec![
        ("aws_cloudwatch_log_group.api", "LogGroupF5B46931", vec![]),
        ("aws_ecs_cluster.api", "ClusterEB0386A7", vec![]),
        ("aws_ecs_service.api", "ServiceD69D759B", vec![]),
        ("aws_ecs_task_definition.api", "TaskDef54694570", vec![]),
        (
            "aws_efs_access_point.data",
            "FileSystemAccessPointF8178182",
            vec![],
        ),
        (
            "aws_efs_file_system.data",
            "FileSystem8A8E25C0",
            vec!["aws_efs_file_system_policy.data"],
        ),
        (
            "aws_efs_mount_target.data[\"us-east-1a\"]",
            "FileSystemEfsMountTargetPrivateSubnet1BB305AF3",
            vec![],
        ),
        (
            "aws_efs_mount_target.data[\"us-east-1b\"]",
            "FileSystemEfsMountTargetPrivateSubnet265F3ED67",
            vec![],
        ),
        (
            "aws_iam_role.execution",
            "ExecutionRole605A040B",
            vec![
                "ExecutionRoleDefaultPolicyA5B92313",
                "aws_iam_role_policy.execution",
                "aws_iam_role_policy_attachment.execution",
            ],
        ),
        (
            "aws_iam_role.task",
            "TaskRole30FC0FBB",
            vec!["TaskRoleDefaultPolicy07FC53DE", "aws_iam_role_policy.task"],
        ),
        ("aws_lb.api", "Alb16C2F182", vec![]),
        ("aws_lb_listener.http", "AlbHttpListener00C8B33E", vec![]),
        ("aws_lb_target_group.api", "TargetGroup3D7CD9B8", vec![]),
        ("aws_security_group.alb", "AlbSecurityGroup86A59E99", vec![]),
        (
            "aws_security_group.efs",
            "EfsSecurityGroupEC5F36AC",
            vec![
                "EfsSecurityGroupfromApiStackServiceSecurityGroupD8C94C0D204933F74A0C",
                "aws_vpc_security_group_ingress_rule.efs_from_service",
            ],
        ),
        (
            "aws_security_group.service",
            "ServiceSecurityGroup61DE1A49",
            vec![
                "ServiceSecurityGroupfromApiStackAlbSecurityGroup36B0EC20808092954D40",
                "aws_vpc_security_group_ingress_rule.service_from_alb",
            ],
        ),
    ];
    let expected: Vec<(String, String, Vec<String>)> = expected
        .into_iter()
        .map(|(t, c, f)| {
            (
                t.to_owned(),
                c.to_owned(),
                f.into_iter().map(str::to_owned).collect(),
            )
        })
        .collect();
    assert_eq!(pairs, expected);
    for list in ["unpaired", "unmapped", "skipped", "notes"] {
        assert_eq!(report[list], serde_json::json!([]), "{list}");
    }
}

/// With what the fresh plan leaves unknown resolved, the IAM rows show too:
/// every row of DIVERGENCES.md and nothing else, and nothing is left to
/// deploy time.
#[test]
fn the_resolved_plan_finds_every_seeded_divergence_iam_included() {
    let report = compare_json(RESOLVED, DIVERGENT, &[], 1);
    assert_eq!(found(&report, |f| f["status"] != "unverifiable"), seeded());
    let unverifiable: Vec<String> = found(&report, |f| f["status"] == "unverifiable")
        .into_iter()
        .map(|d| d.attribute)
        .collect();
    assert_eq!(unverifiable, Vec::<String>::new());
}

/// Resolved, the in-sync variant is in sync in every area, with nothing
/// left unverifiable.
#[test]
fn the_resolved_plan_and_the_in_sync_variant_are_in_sync_in_every_area() {
    let report = compare_json(RESOLVED, IN_SYNC, &[], 0);
    for area in report["summary"].as_array().unwrap() {
        assert_eq!(
            (area["status"].as_str(), area["unverifiable"].as_u64()),
            (Some("in-sync"), Some(0)),
            "{area}"
        );
    }
}

/// The fixture's configuration on the resolved plan: the intentional
/// differences are waived, including the execution role's reading of the
/// DocumentDB secret that only a resolved plan shows (an optional waiver,
/// not stale on the plain plan), and what remains are the seeded rows that
/// are not intentional.
#[test]
fn the_resolved_plan_with_its_waivers_leaves_the_seeded_divergences() {
    let run = |plan: &str| {
        compare_json(
            plan,
            DIVERGENT,
            &["--config", "testdata/ecs-fargate/parity.yaml"],
            1,
        )
    };
    let resolved = run(RESOLVED);
    let waived: Vec<String> = resolved["intentional"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["attribute"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        waived.contains(&"Policies.Statement[Allow secretsmanager:describesecret, secretsmanager:getsecretvalue]".to_owned()),
        "{waived:?}"
    );
    let intentional: Vec<&str> = waived.iter().map(String::as_str).collect();
    let expected: Vec<Divergence> = seeded()
        .into_iter()
        .filter(|d| !intentional.contains(&d.attribute.as_str()))
        .collect();
    assert_eq!(
        found(&resolved, |f| f["status"] != "unverifiable"),
        expected
    );
    for plan in [
        "testdata/ecs-fargate/tfplan.json",
        "testdata/ecs-fargate/tfplan.resolved.json",
    ] {
        for waiver in run(plan)["waivers"].as_array().unwrap() {
            assert_eq!(waiver["stale"], false, "{plan}: {waiver}");
        }
    }
}
