//! The `iac-parity` binary, run on the committed fixtures.
//!
//! Expected reports live next to their fixture (`testdata/*/expected/`);
//! `UPDATE_EXPECT=1 cargo test` rewrites them from the current output.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

#[path = "cli/pairing.rs"]
mod pairing;

#[path = "cli/cloudformation.rs"]
mod cloudformation;
#[path = "cli/terraform.rs"]
mod terraform;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .unwrap()
        .to_owned()
}

/// `iac-parity ARGS`, run from the repository root so that paths in reports
/// are the short ones users type.
fn iac_parity(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("iac-parity")
        .unwrap()
        .current_dir(repo_root())
        .args(args)
        .assert()
}

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

/// Compares output with the expected file, or rewrites it in update mode.
fn expect_file(relative: &str, actual: &str) {
    let path = repo_root().join(relative);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_EXPECT=1 to create it)",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{relative} is not what iac-parity prints now (UPDATE_EXPECT=1 rewrites it):\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

const PLAN: &str = "testdata/ecs-fargate/tfplan.json";
const DIVERGENT: &str = "testdata/ecs-fargate/cdk.out";
const IN_SYNC: &str = "testdata/ecs-fargate/cdk.out.in-sync";

/// A row of the seeded-divergence table in DIVERGENCES.md.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Divergence {
    area: String,
    terraform_resource: String,
    cdk_resource: String,
    attribute: String,
    terraform: Option<String>,
    cdk: Option<String>,
}

fn seeded_divergences(area: &str) -> Vec<Divergence> {
    let text =
        std::fs::read_to_string(repo_root().join("testdata/ecs-fargate/DIVERGENCES.md")).unwrap();
    let value = |cell: &str| (cell != "(absent)").then(|| cell.to_owned());
    let mut rows: Vec<Divergence> = text
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| Area"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(
                cells.len(),
                6,
                "DIVERGENCES.md row with {} cells: {line}",
                cells.len()
            );
            Divergence {
                area: cells[0].to_owned(),
                terraform_resource: cells[1].to_owned(),
                cdk_resource: cells[2].to_owned(),
                attribute: cells[3].to_owned(),
                terraform: value(cells[4]),
                cdk: value(cells[5]),
            }
        })
        .filter(|d| d.area == area)
        .collect();
    rows.sort();
    rows
}

#[test]
fn finds_exactly_the_seeded_env_divergences() {
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        PLAN,
        "--cloudformation",
        DIVERGENT,
        "--format",
        "json",
    ]);
    let assert = assert.code(1);
    let report: Value = serde_json::from_str(&stdout(&assert)).unwrap();
    let side_value = |side: &Value| side.get("value").and_then(Value::as_str).map(str::to_owned);
    let mut found: Vec<Divergence> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["area"] == "env")
        .map(|f| Divergence {
            area: "env".to_owned(),
            terraform_resource: f["terraform"]["address"].as_str().unwrap().to_owned(),
            cdk_resource: f["cloudformation"]["logical_id"]
                .as_str()
                .unwrap()
                .to_owned(),
            attribute: f["attribute"].as_str().unwrap().to_owned(),
            terraform: side_value(&f["terraform"]),
            cdk: side_value(&f["cloudformation"]),
        })
        .collect();
    found.sort();
    let expected = seeded_divergences("env");
    assert!(
        !expected.is_empty(),
        "DIVERGENCES.md lists no env divergence"
    );
    assert_eq!(found, expected);
    assert_eq!(report["in_parity"], false);
}

#[test]
fn env_findings_carry_status_and_severity() {
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        PLAN,
        "--cloudformation",
        DIVERGENT,
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(&stdout(&assert.code(1))).unwrap();
    let by_attribute = |name: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["attribute"] == format!("ContainerDefinitions[api].Environment[{name}]"))
            .cloned()
            .unwrap()
    };
    assert_eq!(by_attribute("LOG_LEVEL")["status"], "differs");
    assert_eq!(by_attribute("HOME")["status"], "only-in-cdk");
    assert_eq!(
        by_attribute("FEATURE_SEARCH")["status"],
        "only-in-terraform"
    );
    assert_eq!(by_attribute("FEATURE_SEARCH")["severity"], "must-fix");
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
    assert!(out.ends_with("In parity.\n"), "{out}");
    expect_file(
        "testdata/ecs-fargate/expected/compare-in-sync-env.txt",
        &out,
    );
}

#[test]
fn same_inputs_give_byte_identical_reports() {
    let run = || {
        stdout(&iac_parity(&[
            "compare",
            "--terraform",
            PLAN,
            "--cloudformation",
            DIVERGENT,
            "--format",
            "json",
        ]))
    };
    assert_eq!(run(), run());
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
fn unsupported_plan_format_version() {
    trouble(
        &[
            "compare",
            "--terraform",
            "testdata/bad/terraform/format-version-2.json",
            "--cloudformation",
            DIVERGENT,
        ],
        "error: testdata/bad/terraform/format-version-2.json: at /format_version: unsupported format_version \"2.0\": iac-parity reads versions 0.1 to 1.x",
    );
}

#[test]
fn container_definitions_that_are_not_json() {
    trouble(
        &[
            "compare",
            "--terraform",
            "testdata/bad/terraform/container-definitions-not-json.json",
            "--cloudformation",
            DIVERGENT,
        ],
        "error: testdata/bad/terraform/container-definitions-not-json.json: at /resource_changes/0/change/after/container_definitions: the JSON document in this string is malformed: EOF while parsing a value at line 1 column 16",
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
fn an_area_this_version_does_not_compare() {
    trouble(
        &[
            "compare",
            "--terraform",
            PLAN,
            "--cloudformation",
            IN_SYNC,
            "--area",
            "iam",
        ],
        "error: area iam is not compared by this version of iac-parity (it compares: env)",
    );
}

#[test]
fn inventory_reads_both_sides_and_standard_input() {
    let count = |args: &[&str], stdin: Option<Vec<u8>>| {
        let mut cmd = Command::cargo_bin("iac-parity").unwrap();
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
