use serde_json::json;

use super::*;

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn parses_flags_with_separate_and_inline_values() {
    let options = Options::parse(&args(&[
        "--terraform-dir",
        "infra",
        "--var-file=prod.tfvars",
        "--var-file",
        "secrets.tfvars",
        "--provider-mirror",
        "mirror",
        "--output=tfplan.resolved.json",
        "--plain-output",
        "tfplan.json",
    ]))
    .unwrap()
    .unwrap();
    assert_eq!(
        options,
        Options {
            plan: PlanOptions {
                terraform_dir: PathBuf::from("infra"),
                var_files: vec![
                    PathBuf::from("prod.tfvars"),
                    PathBuf::from("secrets.tfvars")
                ],
                provider_mirror: Some(PathBuf::from("mirror")),
                resolve_unknowns: true,
                ..PlanOptions::default()
            },
            output: PathBuf::from("tfplan.resolved.json"),
            plain_output: Some(PathBuf::from("tfplan.json")),
        }
    );
    let options = Options::parse(&args(&[
        "--no-resolve-unknowns",
        "--terraform-dir=.",
        "--output=plan.json",
    ]))
    .unwrap()
    .unwrap();
    assert!(!options.plan.resolve_unknowns);
}

#[test]
fn help_and_bad_arguments() {
    assert_eq!(Options::parse(&args(&["-h"])).unwrap(), None);
    for bad in [
        &["--output", "x"][..],
        &["--terraform-dir", "x"],
        &["--terraform-dir"],
        &[
            "--terraform-dir=x",
            "--output=y",
            "--no-resolve-unknowns=yes",
        ],
        &["--terraform-dir=x", "--output=y", "--frobnicate"],
    ] {
        assert!(Options::parse(&args(bad)).is_err(), "{bad:?}");
    }
}

#[test]
fn the_region_is_the_aws_providers_constant_or_variable() {
    let constant = json!({"configuration": {"provider_config": {"aws": {"name": "aws",
        "expressions": {"region": {"constant_value": "eu-central-1"}}}}}});
    assert_eq!(provider_region(&constant), "eu-central-1");
    let variable = json!({"variables": {"region": {"value": "ap-south-2"}},
        "configuration": {"provider_config": {"aws": {"name": "aws",
        "expressions": {"region": {"references": ["var.region"]}}}}}});
    assert_eq!(provider_region(&variable), "ap-south-2");
    let computed = json!({"configuration": {"provider_config": {"aws": {"name": "aws",
        "expressions": {"region": {"references": ["local.region"]}}}}}});
    assert_eq!(provider_region(&computed), DEFAULT_REGION);
    assert_eq!(provider_region(&json!({})), DEFAULT_REGION);
}

fn change(address: &str, actions: Json, after: Json) -> Json {
    json!({"address": address, "mode": "managed", "type": "aws_x",
        "change": {"actions": actions, "after": after, "after_unknown": {}}})
}

#[test]
fn the_plain_plans_actions_are_recorded_for_what_the_last_plan_keeps() {
    let first = json!({"resource_changes": [
        change("aws_x.a", json!(["create"]), json!({})),
        change("aws_x.b[\"k\"]", json!(["create"]), json!({})),
        {"address": "data.aws_x.d", "mode": "data", "type": "aws_x", "change": {"actions": ["read"]}},
    ]});
    let last = json!({"resource_changes": [
        change("aws_x.a", json!(["no-op"]), json!({})),
        change("aws_x.b[\"k\"]", json!(["no-op"]), json!({})),
    ]});
    assert_eq!(
        actions(&first, &last),
        BTreeMap::from([
            ("aws_x.a".to_owned(), vec!["create".to_owned()]),
            ("aws_x.b[\"k\"]".to_owned(), vec!["create".to_owned()]),
        ])
    );
}

#[test]
fn only_made_up_values_the_last_plan_still_holds_are_invented() {
    let key = |k: &str| Segment::Key(k.to_owned());
    let made_up = BTreeMap::from([(
        "aws_x.a".to_owned(),
        vec![
            (vec![key("arn")], json!("arn:aws:iacparity:…")),
            (vec![key("policy")], json!("")),
            (vec![key("rule"), Segment::Index(0), key("order")], json!(1)),
        ],
    )]);
    let plan = json!({"resource_changes": [change("aws_x.a", json!(["no-op"]), json!({
        "arn": "arn:aws:iacparity:…",
        "policy": "{\"Version\":\"2012-10-17\"}",
        "rule": [{"order": 1}],
    }))]});
    assert_eq!(
        still_invented(&plan, &made_up),
        BTreeMap::from([(
            "aws_x.a".to_owned(),
            vec![
                vec![key("arn")],
                vec![key("rule"), Segment::Index(0), key("order")]
            ]
        )])
    );
}

#[test]
fn the_resolution_is_the_plans_last_member() {
    let resolution = Resolution {
        rounds: 3,
        ..Resolution::default()
    };
    assert_eq!(
        with_resolution(
            "{\"format_version\":\"1.2\",\"timestamp\":\"t\"}\n",
            &resolution
        )
        .unwrap(),
        "{\"format_version\":\"1.2\",\"timestamp\":\"t\",\"iac_parity_resolution\":{\"version\":1,\"rounds\":3,\"actions\":{},\"invented\":{}}}\n"
    );
    assert!(with_resolution("[]", &resolution).is_err());
    let again = with_resolution("{}", &resolution).unwrap();
    assert!(with_resolution(&again, &resolution).is_err());
}

#[test]
fn unsettled_resources_say_what_is_unknown_or_how_they_change() {
    let plan = json!({"resource_changes": [
        {"address": "aws_x.a", "mode": "managed", "change": {"actions": ["update"],
            "after_unknown": {"arn": true, "tags": {}, "rule": [{"order": false}]}}},
        {"address": "aws_x.b", "mode": "managed", "change": {"actions": ["update"], "after_unknown": {}}},
        {"address": "aws_x.c", "mode": "managed", "change": {"actions": ["no-op"], "after_unknown": {}}},
    ]});
    assert_eq!(
        unsettled(&plan),
        vec!["aws_x.a (unknown: arn)", "aws_x.b ([\"update\"])"]
    );
}

#[test]
fn a_configuration_folder_that_does_not_exist_is_named() {
    let mirror = tempfile::tempdir().unwrap();
    std::fs::create_dir(mirror.path().join("registry.terraform.io")).unwrap();
    let err = plan_json(&PlanOptions {
        terraform_dir: PathBuf::from("no/such/configuration"),
        provider_mirror: Some(mirror.path().to_owned()),
        terraform: Some(PathBuf::from("terraform")),
        resolve_unknowns: true,
        ..PlanOptions::default()
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the Terraform configuration no/such/configuration is not a directory"
    );
}
