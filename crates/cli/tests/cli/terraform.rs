//! Terraform inputs: the real plans collected from public repositories, the
//! generated `tf-*` fixtures, and the malformed corpus.

use std::path::Path;

use serde_json::Value;

use super::{expect_file, iac_parity, repo_root, stderr, stdout};

/// The managed resource instances that exist after apply, counted from
/// `planned_values` alone (the loader reads `resource_changes`), or that
/// exist now, from a state's `values`.
fn planned_managed_instances(plan: &Value) -> usize {
    fn walk(module: &Value) -> usize {
        let here = module["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["mode"] == "managed")
            .count();
        let below: usize = module["child_modules"]
            .as_array()
            .into_iter()
            .flatten()
            .map(walk)
            .sum();
        here + below
    }
    match plan.get("planned_values") {
        Some(values) => walk(&values["root_module"]),
        None => walk(&plan["values"]["root_module"]),
    }
}

/// `iac-parity inventory FILE --format json`, parsed.
fn inventory(file: &str) -> Value {
    let assert = iac_parity(&["inventory", file, "--format", "json"]).code(0);
    serde_json::from_str(&stdout(&assert)).unwrap()
}

fn check_real_plan(name: &str) {
    let file = format!("testdata/real/tfplan/{name}");
    let plan: Value =
        serde_json::from_slice(&std::fs::read(repo_root().join(&file)).unwrap()).unwrap();
    let report = inventory(&file);
    assert_eq!(report["side"], "terraform", "{file}");
    let resources = report["resources"].as_array().unwrap();
    assert_eq!(
        resources.len(),
        planned_managed_instances(&plan),
        "{file}: the inventory and planned_values disagree on what exists after apply"
    );
    // Each instance keeps its key: no address twice.
    let mut addresses: Vec<&str> = resources
        .iter()
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    addresses.sort_unstable();
    let count = addresses.len();
    addresses.dedup();
    assert_eq!(addresses.len(), count, "{file}: an address is listed twice");
}

macro_rules! real_plans {
    ($($test:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check_real_plan($file);
            }
        )*

        const REAL_PLANS: &[&str] = &[$($file),*];
    };
}

real_plans! {
    real_checkov_ecs_task_definition => "checkov-ecs-task-definition.json",
    real_checkov_iam_oidc_module => "checkov-iam-oidc-module.json",
    real_checkov_iam_policies => "checkov-iam-policies.json",
    real_checkov_mixed_55_resources_tf012 => "checkov-mixed-55-resources-tf012.json",
    real_checkov_secretsmanager_replace => "checkov-secretsmanager-replace.json",
    real_checkov_secretsmanager_secret => "checkov-secretsmanager-secret.json",
    real_checkov_sg_module_for_each => "checkov-sg-module-for-each.json",
    real_iampolicyvalidator_identity_policies => "iampolicyvalidator-identity-policies.json",
    real_iampolicyvalidator_resource_policies_tf1_12 => "iampolicyvalidator-resource-policies-tf1_12.json",
    real_infracost_deep_nested_modules_tf014 => "infracost-deep-nested-modules-tf014.json",
    real_tfjson_no_changes_state_tf012 => "tfjson-no-changes-state-tf012.json",
    real_tfcompliance_alb_asg_iam_modules => "tfcompliance-alb-asg-iam-modules.json",
    real_tfcompliance_apigw_nested_modules_sensitive => "tfcompliance-apigw-nested-modules-sensitive.json",
    real_tfcompliance_lambda_iam_sg_drift => "tfcompliance-lambda-iam-sg-drift.json",
    real_tfcompliance_module_for_each_iam => "tfcompliance-module-for-each-iam.json",
}

#[test]
fn every_real_plan_has_its_test() {
    let dir = repo_root().join("testdata/real/tfplan");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    let mut listed: Vec<&str> = REAL_PLANS.to_vec();
    listed.sort_unstable();
    assert_eq!(files, listed, "add a line to real_plans! for each new plan");
}

/// The generated fixtures: the inventory of each, as a file beside it.
#[test]
fn inventories_of_the_terraform_fixtures() {
    for (input, expected) in [
        (
            "testdata/tf-modules/tfplan.json",
            "testdata/tf-modules/expected/inventory.txt",
        ),
        (
            "testdata/tf-sensitive/tfplan.json",
            "testdata/tf-sensitive/expected/inventory.txt",
        ),
        (
            "testdata/tf-unknown-arns/tfplan.json",
            "testdata/tf-unknown-arns/expected/inventory.txt",
        ),
        (
            "testdata/tf-prior-state/tfplan.json",
            "testdata/tf-prior-state/expected/inventory-plan.txt",
        ),
        (
            "testdata/tf-prior-state/tfstate.json",
            "testdata/tf-prior-state/expected/inventory-state.txt",
        ),
    ] {
        let assert = iac_parity(&["inventory", input]).code(0);
        expect_file(expected, &stdout(&assert));
    }
}

#[test]
fn a_deleted_resource_is_not_in_the_inventory_and_a_replaced_one_says_so() {
    let report = inventory("testdata/tf-prior-state/tfplan.json");
    let action = |address: &str| {
        report["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == address)
            .map(|r| r["action"].as_str().unwrap().to_owned())
    };
    assert_eq!(action("aws_ssm_parameter.legacy"), None);
    assert_eq!(
        action("aws_ecs_task_definition.api").as_deref(),
        Some("replace")
    );
    assert_eq!(
        action("aws_cloudwatch_log_group.api").as_deref(),
        Some("update")
    );
    assert_eq!(action("aws_sqs_queue.jobs").as_deref(), Some("create"));
    assert_eq!(action("aws_iam_role.execution").as_deref(), Some("no-op"));
}

/// Each malformed input under `testdata/bad/terraform/` has its one-line
/// message in a `.stderr` file beside it (`UPDATE_EXPECT=1` rewrites them).
#[test]
fn malformed_terraform_inputs_exit_2_with_one_line() {
    let dir = repo_root().join("testdata/bad/terraform");
    let mut inputs: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with(".stderr"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 20, "only {} malformed inputs", inputs.len());
    for name in &inputs {
        let file = format!("testdata/bad/terraform/{name}");
        let assert = iac_parity(&[
            "compare",
            "--terraform",
            &file,
            "--cloudformation",
            "testdata/ecs-fargate/cdk.out",
        ])
        .code(2);
        assert_eq!(stdout(&assert), "", "{file}");
        let err = stderr(&assert);
        assert_eq!(err.lines().count(), 1, "{file}: more than one line: {err}");
        assert!(
            err.starts_with(&format!("error: {file}")),
            "{file}: the message does not name the file: {err}"
        );
        expect_file(&format!("{file}.stderr"), &err);
    }
    // No expected message without its input.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(input) = name.strip_suffix(".stderr") {
            assert!(
                Path::new(&dir).join(input).is_file(),
                "{name} has no input beside it"
            );
        }
    }
}

/// Terraform JSON of the wrong kind is recognised as Terraform's even where
/// the side is guessed (`inventory`), and refused with the same line as
/// under `--terraform`: what the file is and the command that makes the
/// right one. Before, `terraform validate -json` and `terraform providers
/// schema -json` loaded as empty plans, and a state file or a plan without
/// its `format_version` went to the template loader.
#[test]
fn the_wrong_kind_of_terraform_json_is_refused_where_the_side_is_guessed() {
    for name in [
        "validate-output.json",
        "providers-schema-output.json",
        "raw-state-file.json",
        "plan-without-format-version.json",
    ] {
        let file = format!("testdata/bad/terraform/{name}");
        let assert = iac_parity(&["inventory", &file]).code(2);
        assert_eq!(stdout(&assert), "", "{file}");
        let expected = std::fs::read_to_string(repo_root().join(format!("{file}.stderr"))).unwrap();
        assert_eq!(stderr(&assert), expected, "{file}");
    }
}
