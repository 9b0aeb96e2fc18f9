use serde_json::json;

use crate::terraform::MIRROR_ENV;

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
            summary: false,
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
            // Left unset: the plugin SDK plans its zero value.
            (
                vec![key("action"), Segment::Index(0), key("order")],
                Json::Null,
            ),
            (vec![key("enabled")], Json::Null),
            (vec![key("weight")], Json::Null),
        ],
    )]);
    let plan = json!({"resource_changes": [change("aws_x.a", json!(["no-op"]), json!({
        "arn": "arn:aws:iacparity:…",
        "policy": "{\"Version\":\"2012-10-17\"}",
        "rule": [{"order": 1}],
        "action": [{"order": 0}],
        "enabled": false,
        "weight": 5,
    }))]});
    assert_eq!(
        still_invented(&plan, &made_up),
        BTreeMap::from([(
            "aws_x.a".to_owned(),
            vec![
                vec![key("action"), Segment::Index(0), key("order")],
                vec![key("arn")],
                vec![key("enabled")],
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
    let none = BTreeMap::new();
    assert_eq!(
        with_resolution(
            "{\"format_version\":\"1.2\",\"timestamp\":\"t\"}\n",
            &resolution,
            &none
        )
        .unwrap(),
        "{\"format_version\":\"1.2\",\"timestamp\":\"t\",\"iac_parity_resolution\":{\"version\":2,\"rounds\":3,\"resolved\":0,\"actions\":{},\"invented\":{},\"substitutes\":{},\"unresolved\":{}}}\n"
    );
    // The outputs left unknown, when there are any.
    let outputs = BTreeMap::from([("output.name".to_owned(), "why".to_owned())]);
    assert!(
        with_resolution("{}", &resolution, &outputs)
            .unwrap()
            .contains(",\"outputs\":{\"output.name\":\"why\"}}}"),
    );
    assert!(with_resolution("[]", &resolution, &none).is_err());
    let again = with_resolution("{}", &resolution, &none).unwrap();
    assert!(with_resolution(&again, &resolution, &none).is_err());
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

#[test]
fn placeholders_are_found_in_a_diagnostic_whatever_follows_them() {
    let text = r#"{"summary":"\"iacparity:ref/aws_eip.nat[0]/public_ip/32\" is not a valid CIDR block","detail":"got arn:aws:iacparity:eu-west-1:000000000000:ref/module.a[%22k%22].aws_sns_topic.t/arn:x::, and iacparity:ref/nothing"}"#;
    assert_eq!(
        placeholders_in(text),
        vec![
            (
                Placeholder::new("aws_eip.nat[0]", vec!["public_ip".to_owned()]),
                false
            ),
            (
                Placeholder::new("module.a[\"k\"].aws_sns_topic.t", vec!["arn".to_owned()]),
                true
            ),
        ]
    );
}

fn diagnostic(message: &str, address: Option<&str>) -> Diagnostic {
    Diagnostic {
        message: message.to_owned(),
        address: address.map(str::to_owned),
        text: serde_json::to_string(&json!({"summary": message, "address": address})).unwrap(),
    }
}

#[test]
fn a_refused_plan_leaves_out_what_its_placeholder_stands_for_else_the_resource_it_names() {
    let state = json!({"resources": [
        {"type": "aws_eip", "name": "nat", "instances": [{"index_key": 0}]},
        {"type": "aws_sns_topic", "name": "t", "module": "module.a", "instances": [{}]},
        {"type": "aws_sqs_queue", "name": "q", "instances": [{"index_key": "k"}]},
    ]});
    let mut substitutes = Substitutes::default();
    substitutes.chosen.insert(
        "aws_eip.nat[0]".to_owned(),
        vec![(
            vec![Segment::Key("public_ip".to_owned())],
            "192.0.2.7".to_owned(),
        )],
    );
    let left_out = BTreeMap::new();
    let by_value = culprits(
        &[diagnostic(
            "\"192.0.2.7/24\" is not allowed here",
            Some("aws_x.rule"),
        )],
        &state,
        &substitutes,
        &left_out,
    );
    assert_eq!(
        by_value,
        BTreeMap::from([(
            "aws_eip.nat[0]".to_owned(),
            "terraform refused the placeholder of its `public_ip`: \"192.0.2.7/24\" is not allowed here"
                .to_owned()
        )])
    );
    // 192.0.2.70 is not 192.0.2.7; the resource the diagnostic names is in
    // the state: its own values are the cause.
    let by_address = culprits(
        &[diagnostic(
            "192.0.2.70 is not allowed",
            Some("aws_sqs_queue.q[\"k\"]"),
        )],
        &state,
        &substitutes,
        &left_out,
    );
    assert_eq!(
        by_address.keys().collect::<Vec<_>>(),
        vec!["aws_sqs_queue.q[\"k\"]"]
    );
    // Nothing of the state named: nothing to leave out.
    assert!(
        culprits(
            &[diagnostic("Unsupported argument", Some("aws_x.other"))],
            &state,
            &substitutes,
            &left_out
        )
        .is_empty()
    );
    // Left out already: no progress.
    let left_out = BTreeMap::from([("aws_sqs_queue.q[\"k\"]".to_owned(), "x".to_owned())]);
    assert!(
        culprits(
            &[diagnostic("bad", Some("aws_sqs_queue.q[\"k\"]"))],
            &state,
            &substitutes,
            &left_out
        )
        .is_empty()
    );
    assert_eq!(
        state_addresses(&state),
        BTreeSet::from([
            "aws_eip.nat[0]".to_owned(),
            "module.a.aws_sns_topic.t".to_owned(),
            "aws_sqs_queue.q[\"k\"]".to_owned(),
        ])
    );
}

#[test]
fn what_stays_unknown_says_why() {
    let plan = json!({"resource_changes": [
        {"address": "aws_sns_topic.t", "mode": "managed", "change": {"actions": ["create"],
            "after_unknown": {"arn": true, "tags": {}}}},
        {"address": "aws_x.a", "mode": "managed", "change": {"actions": ["no-op"],
            "after_unknown": {"rule": [{"cidr": true}]}}},
    ]});
    let left_out = BTreeMap::from([("aws_sns_topic.t".to_owned(), "refused".to_owned())]);
    let key = |k: &str| Segment::Key(k.to_owned());
    assert_eq!(
        unresolved(&plan, &left_out, &BTreeSet::new()),
        BTreeMap::from([
            (
                "aws_sns_topic.t".to_owned(),
                vec![(
                    vec![key("arn")],
                    "left out of the placeholder state: refused".to_owned()
                )]
            ),
            (
                "aws_x.a".to_owned(),
                vec![(
                    vec![key("rule"), Segment::Index(0), key("cidr")],
                    "unknown in every round: it depends on what was left unknown (aws_sns_topic.t)"
                        .to_owned()
                )]
            ),
        ])
    );
    let changing = BTreeSet::from(["aws_x.a".to_owned()]);
    assert!(
        unresolved(&plan, &BTreeMap::new(), &changing)["aws_x.a"][0]
            .1
            .starts_with("no fixpoint")
    );
}

#[test]
fn made_up_values_that_did_not_hold_are_counted() {
    let next = json!({"resource_changes": [
        {"address": "aws_x.a", "mode": "managed", "change": {"actions": ["no-op"],
            "after_unknown": {"owner": true}}},
        {"address": "aws_x.b", "mode": "managed", "change": {"actions": ["delete", "create"],
            "after_unknown": {"owner": true, "name_prefix": true},
            "replace_paths": [["name_prefix"]]}},
    ]});
    let key = |k: &str| vec![Segment::Key(k.to_owned())];
    let filled = BTreeMap::from([
        (
            "aws_x.a".to_owned(),
            vec![(key("owner"), Json::Null), (key("arn"), json!("x"))],
        ),
        (
            "aws_x.b".to_owned(),
            vec![(key("owner"), Json::Null), (key("name_prefix"), Json::Null)],
        ),
    ]);
    let mut attempts = BTreeMap::new();
    did_not_hold(&next, &filled, &mut attempts);
    let entry = |a: &str, p: &str| ((a.to_owned(), p.to_owned()), 1);
    assert_eq!(
        attempts,
        BTreeMap::from([entry("aws_x.a", "owner"), entry("aws_x.b", "name_prefix")])
    );
}

// --- With the real terraform ---------------------------------------------------

/// The resolution of `testdata/tf-resolve/<name>`, loaded; `None` (saying
/// so) when terraform or a provider mirror is missing.
fn resolve_with_terraform(
    name: &str,
    prepare: impl FnOnce(&Path),
) -> Option<(Plans, parity_terraform::TerraformInput)> {
    let Some(mirror) = std::env::var_os(MIRROR_ENV).filter(|m| !m.is_empty()) else {
        eprintln!(
            "SKIPPED: {MIRROR_ENV} names no provider mirror, so terraform cannot plan {name}"
        );
        return None;
    };
    if crate::process::find_on_path("terraform").is_none() {
        eprintln!("SKIPPED: terraform is not on PATH, so {name} cannot be planned");
        return None;
    }
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/tf-resolve")
        .join(name);
    let work = tempfile::tempdir().unwrap();
    terraform::copy_config(&source, work.path()).unwrap();
    prepare(work.path());
    let plans = plan_json(&PlanOptions {
        terraform_dir: work.path().to_owned(),
        provider_mirror: Some(PathBuf::from(mirror)),
        resolve_unknowns: true,
        ..PlanOptions::default()
    })
    .unwrap();
    assert_eq!(plans.gave_up, None);
    let resolved = plans.resolved.clone().expect("a resolved plan");
    let input = parity_terraform::load_str(&resolved, Path::new(name)).unwrap();
    Some((plans, input))
}

fn property<'i>(
    input: &'i parity_terraform::TerraformInput,
    address: &str,
    attribute: &str,
) -> &'i parity_model::Value {
    let resource = input
        .resources
        .iter()
        .find(|r| r.id.to_string() == address)
        .unwrap_or_else(|| panic!("no {address}"));
    &resource.properties[attribute]
}

fn reference(address: &str, attribute: &str) -> parity_model::Value {
    parity_model::Value::Ref(parity_model::Ref::attribute(address, attribute))
}

fn record(plans: &Plans) -> Json {
    parse(plans.resolved.as_deref().unwrap()).unwrap()[RESOLUTION_KEY].clone()
}

#[test]
fn an_ip_address_turned_into_a_cidr_block_reads_back_as_the_reference() {
    let Some((plans, input)) = resolve_with_terraform("ip-cidr", |_| {}) else {
        return;
    };
    use parity_model::{TemplatePart, Value};
    assert_eq!(
        property(&input, "aws_security_group_rule.from_nat", "cidr_blocks"),
        &Value::List(vec![Value::Template(vec![
            TemplatePart::Ref(parity_model::Ref::attribute("aws_eip.nat", "public_ip")),
            TemplatePart::Literal("/32".to_owned()),
        ])])
    );
    assert!(matches!(
        property(&input, "aws_eip.nat", "public_ip"),
        Value::Unknown(_)
    ));
    let substitutes = &record(&plans)["substitutes"]["aws_eip.nat"];
    assert!(
        substitutes
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["path"] == json!(["public_ip"])),
        "{substitutes}"
    );
}

#[test]
fn an_enum_passed_on_reads_back_as_the_reference_and_a_literal_stays_itself() {
    let Some((_, input)) = resolve_with_terraform("enum", |_| {}) else {
        return;
    };
    assert_eq!(
        property(
            &input,
            "aws_route53_record.validation[\"example.com\"]",
            "type"
        ),
        &reference(
            "aws_acm_certificate.site",
            "domain_validation_options.0.resource_record_type"
        )
    );
    assert_eq!(
        property(&input, "aws_route53_record.www", "type"),
        &parity_model::Value::String("CNAME".to_owned())
    );
}

#[test]
fn an_optional_computed_attribute_left_to_aws_gets_no_placeholder() {
    let Some((plans, input)) = resolve_with_terraform("optional-computed", |_| {}) else {
        return;
    };
    assert_eq!(
        property(&input, "aws_sns_topic_subscription.events", "topic_arn"),
        &reference("aws_sns_topic.events", "arn")
    );
    assert!(matches!(
        property(&input, "aws_sns_topic.events", "fifo_throughput_scope"),
        parity_model::Value::Unknown(_)
    ));
    assert_eq!(record(&plans)["unresolved"], json!({}));
}

#[test]
fn an_arn_read_at_a_key_of_the_expression_reaches_the_container_secret() {
    let Some((plans, input)) = resolve_with_terraform("keyed-reference", |_| {}) else {
        return;
    };
    assert_eq!(record(&plans)["unresolved"], json!({}));
    for key in ["api", "worker"] {
        let task = property(
            &input,
            &format!("aws_ecs_task_definition.service[\"{key}\"]"),
            "container_definitions",
        );
        let mut found = Vec::new();
        values_under(task, "valueFrom", &mut found);
        assert_eq!(
            found,
            vec![&reference(
                &format!("aws_ssm_parameter.profile[\"{key}\"]"),
                "arn"
            )],
            "{task:?}"
        );
    }
}

#[test]
fn a_target_group_whose_optional_computed_attributes_are_left_to_aws_settles() {
    let Some((plans, input)) = resolve_with_terraform("target-group", |_| {}) else {
        return;
    };
    // Its `id` holds a placeholder, its `protocol_version` none: the
    // provider plans no replacement, so its ARN is known to what reads it.
    assert_eq!(record(&plans)["unresolved"], json!({}));
    assert_eq!(
        property(&input, "aws_ssm_parameter.target_group", "value")
            .unmarked()
            .0,
        &reference("aws_lb_target_group.app[\"app\"]", "arn")
    );
    assert!(matches!(
        property(
            &input,
            "aws_lb_target_group.app[\"app\"]",
            "protocol_version"
        ),
        parity_model::Value::Unknown(_)
    ));
    // The listener's `target_group_arn`, set from the target group's `id`
    // in a `dynamic` block, refused the plain spelling of the placeholder
    // and took the ARN one.
    let listener = property(&input, "aws_lb_listener.http", "default_action");
    let mut found = Vec::new();
    values_under(listener, "target_group_arn", &mut found);
    assert_eq!(
        found,
        vec![&reference("aws_lb_target_group.app[\"app\"]", "id")],
        "{listener:?}"
    );
}

#[test]
fn a_rule_whose_source_is_set_by_the_configuration_is_planned_against_the_state() {
    let Some((plans, input)) = resolve_with_terraform("rule-source", |_| {}) else {
        return;
    };
    assert_eq!(record(&plans)["unresolved"], json!({}));
    assert_eq!(
        property(
            &input,
            "aws_vpc_security_group_ingress_rule.service_from_alb",
            "referenced_security_group_id"
        ),
        &reference("aws_security_group.alb", "id")
    );
}

#[test]
fn terraform_data_is_written_so_that_terraform_reads_it() {
    let Some((_, input)) = resolve_with_terraform("terraform-data", |_| {}) else {
        return;
    };
    // The role's ARN passed through terraform_data's output reads back as
    // the reference to the role.
    let policy = property(&input, "aws_iam_role_policy.deployer", "policy");
    let mut found = Vec::new();
    values_under(policy, "Resource", &mut found);
    assert_eq!(
        found,
        vec![&reference("aws_iam_role.task", "arn")],
        "{policy:?}"
    );
}

#[test]
fn an_output_that_cannot_split_a_placeholder_arn_is_left_unknown_alone() {
    let Some((plans, input)) = resolve_with_terraform("output-split", |_| {}) else {
        return;
    };
    use parity_model::{TemplatePart, Value};
    // The secrets the outputs slice are resolved, and so is the task
    // definition that names them.
    let record = record(&plans);
    assert_eq!(record["unresolved"], json!({}));
    let definitions = property(
        &input,
        "module.worker.aws_ecs_task_definition.this",
        "container_definitions",
    );
    let mut found = Vec::new();
    values_under(definitions, "valueFrom", &mut found);
    assert_eq!(
        found,
        vec![
            &reference("aws_secretsmanager_secret.api_key", "arn"),
            &Value::Template(vec![
                TemplatePart::Ref(parity_model::Ref::attribute(
                    "aws_secretsmanager_secret.db",
                    "arn"
                )),
                TemplatePart::Literal(":password::".to_owned()),
            ]),
        ],
        "{definitions:?}"
    );
    // The module's other output, which a parameter reads, is known.
    assert_eq!(
        property(&input, "aws_ssm_parameter.task_definition", "value")
            .unmarked()
            .0,
        &reference("module.worker.aws_ecs_task_definition.this", "arn")
    );
    // The two outputs are left unknown, each with terraform's reason.
    let outputs = record[OUTPUTS_KEY].as_object().unwrap();
    assert_eq!(
        outputs.keys().collect::<Vec<_>>(),
        [
            "module.worker.output.required_secrets",
            "output.db_secret_name"
        ]
    );
    assert!(
        outputs["module.worker.output.required_secrets"]
            .as_str()
            .unwrap()
            .contains("end_index"),
        "{outputs:?}"
    );
    assert!(
        matches!(input.outputs["db_secret_name"], Value::Unknown(_)),
        "{:?}",
        input.outputs
    );
    let summary = summary("output-split", plans.resolved.as_deref().unwrap()).unwrap();
    assert!(
        summary.contains("output left unknown: output.db_secret_name: terraform could not"),
        "{summary}"
    );
}

#[test]
fn a_resource_that_ignores_changes_is_planned_from_its_configuration() {
    let Some((plans, input)) = resolve_with_terraform("ignore-changes", |_| {}) else {
        return;
    };
    assert_eq!(record(&plans)["unresolved"], json!({}));
    for address in [
        "aws_ecs_task_definition.bootstrap",
        "aws_ecs_task_definition.worker",
    ] {
        let definitions = property(&input, address, "container_definitions");
        let mut found = Vec::new();
        values_under(definitions, "valueFrom", &mut found);
        assert_eq!(
            found,
            vec![&reference(
                "aws_secretsmanager_secret.secret_key_base",
                "arn"
            )],
            "{address}: {definitions:?}"
        );
        assert_eq!(
            property(&input, address, "execution_role_arn"),
            &reference("aws_iam_role.execution", "arn"),
            "{address}"
        );
    }
}

#[test]
fn ignore_changes_is_taken_out_of_resource_blocks_only() {
    let text = "resource \"aws_ecs_task_definition\" \"a\" {\n  family = \"a\"\n\n  lifecycle {\n    ignore_changes = all\n  }\n}\n\n\
                resource \"aws_ecs_service\" \"b\" {\n  lifecycle {\n    create_before_destroy = true\n    ignore_changes = [\n      task_definition, # CI\n      tags[\"x\"],\n    ]\n  }\n  name = \"b\"\n}\n\n\
                module \"m\" {\n  ignore_changes = true\n}\n";
    let (kept, resources) = without_ignore_changes(text);
    assert_eq!(
        resources,
        [
            ("aws_ecs_task_definition".to_owned(), "a".to_owned()),
            ("aws_ecs_service".to_owned(), "b".to_owned())
        ]
    );
    assert_eq!(
        kept,
        "resource \"aws_ecs_task_definition\" \"a\" {\n  family = \"a\"\n\n  lifecycle {\n  }\n}\n\n\
         resource \"aws_ecs_service\" \"b\" {\n  lifecycle {\n    create_before_destroy = true\n  }\n  name = \"b\"\n}\n\n\
         module \"m\" {\n  ignore_changes = true\n}\n"
    );
    assert_eq!(
        without_ignore_changes("locals {}\n"),
        ("locals {}\n".to_owned(), Vec::new())
    );
}

#[test]
fn an_output_is_read_where_its_module_is_called() {
    // As terraform lists references: each with the shorter ones it starts
    // with.
    let configuration = json!({"root_module": {
        "outputs": {"name": {"expression": {"references": ["module.api.arns", "module.api"]}}},
        "resources": [
            {"expressions": {"value": {"references": ["module.queue[\"a\"].url", "module.queue[\"a\"]", "module.queue"]}}},
            {"expressions": {"value": {"references": ["module.whole"]}}}
        ],
        "module_calls": {
            "api": {"expressions": {"x": {"references": ["module.db.required_secrets[0]", "module.db.required_secrets", "module.db"]}},
                    "module": {"module_calls": {"inner": {"module": {}}},
                               "resources": [{"expressions": {"v": {"references": ["module.inner.id", "module.inner"]}}}]}},
            "db": {"module": {}},
            "queue": {"module": {}},
            "whole": {"module": {}},
            "unread": {"module": {}}
        }
    }});
    let path = |p: &[&str]| p.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let read = |p: &[&str], name: &str| output_is_read(&configuration, &path(p), name);
    // A root module's outputs are read by nothing in it.
    assert!(!read(&[], "name"));
    assert!(read(&["db"], "required_secrets"));
    assert!(!read(&["db"], "required"));
    assert!(!read(&["db"], "other"));
    assert!(read(&["queue"], "url"));
    assert!(!read(&["queue"], "arn"));
    assert!(read(&["api"], "arns"));
    assert!(!read(&["api"], "anything"));
    assert!(read(&["api", "inner"], "id"));
    assert!(!read(&["api", "inner"], "arn"));
    // `module.whole` alone reads every output.
    assert!(read(&["whole"], "id"));
    assert!(!read(&["unread"], "id"));
    assert_eq!(
        output_address(&path(&["api", "inner"]), "id"),
        "module.api.module.inner.output.id"
    );
    assert_eq!(
        folder_text(Path::new("./modules/service")),
        "modules/service"
    );
}

#[test]
fn files_the_configuration_reads_under_dot_terraform_are_kept() {
    let Some((_, input)) = resolve_with_terraform("dot-terraform", |dir| {
        let build = dir.join(".terraform/build");
        std::fs::create_dir_all(&build).unwrap();
        std::fs::write(
            build.join("handler.zip"),
            b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        )
        .unwrap();
    }) else {
        return;
    };
    assert_eq!(
        property(&input, "aws_lambda_function.fn", "role"),
        &reference("aws_iam_role.fn", "arn")
    );
}

#[test]
fn a_refused_placeholder_is_spelled_as_a_name_then_left_unknown_with_the_providers_reason() {
    let Some((plans, input)) = resolve_with_terraform("refused", |_| {}) else {
        return;
    };
    use parity_model::{TemplatePart, Value};
    // A log group's name refuses the placeholder's `:`, and takes the same
    // spelled as a name: the name reads back as the reference.
    assert_eq!(
        property(&input, "aws_cloudwatch_log_group.reader", "name"),
        &Value::Template(vec![
            TemplatePart::Literal("/reader/".to_owned()),
            TemplatePart::Ref(parity_model::Ref::attribute(
                "aws_iam_role.reader",
                "unique_id"
            )),
        ])
    );
    let record = record(&plans);
    let named = record["substitutes"]["aws_iam_role.reader"][0]["value"]
        .as_str()
        .unwrap();
    assert!(
        named.starts_with(parity_terraform::NAME_SUBSTITUTE_PREFIX),
        "{named}"
    );
    // What does not depend on the refused placeholder is resolved.
    let policy = property(&input, "aws_iam_role_policy.reader", "policy");
    assert!(
        format!("{policy:?}").contains("aws_sqs_queue.events"),
        "{policy:?}"
    );
    // A CIDR block refuses both spellings: the topic is left unknown.
    assert!(matches!(
        property(&input, "aws_sns_topic_subscription.events", "topic_arn"),
        Value::Unknown(_)
    ));
    let unresolved = &record["unresolved"];
    let reason = unresolved["aws_sns_topic.events"][0]["reason"]
        .as_str()
        .unwrap();
    assert!(reason.contains("CIDR"), "{reason}");
    assert!(
        unresolved["aws_security_group_rule.events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["path"][0] == "cidr_blocks"),
        "{unresolved}"
    );
}

// --- The committed resolved plans of real projects ------------------------------

/// The values under key `key` anywhere in `value`.
pub(crate) fn values_under<'v>(
    value: &'v parity_model::Value,
    key: &str,
    out: &mut Vec<&'v parity_model::Value>,
) {
    use parity_model::Value;
    match value {
        Value::Map(map) => {
            for (k, v) in map {
                if k == key {
                    out.push(v);
                }
                values_under(v, key, out);
            }
        }
        Value::List(items) => items.iter().for_each(|v| values_under(v, key, out)),
        Value::Sensitive(inner) => values_under(inner, key, out),
        _ => {}
    }
}

/// The literal text of `value`: its strings and the literal parts of its
/// templates.
fn literal_texts<'v>(value: &'v parity_model::Value, out: &mut Vec<&'v str>) {
    use parity_model::{TemplatePart, Value};
    match value {
        Value::String(text) => out.push(text),
        Value::Template(parts) => out.extend(parts.iter().filter_map(|part| match part {
            TemplatePart::Literal(text) => Some(text.as_str()),
            _ => None,
        })),
        Value::List(items) => items.iter().for_each(|v| literal_texts(v, out)),
        Value::Map(map) => map.values().for_each(|v| literal_texts(v, out)),
        Value::Sensitive(inner) => literal_texts(inner, out),
        _ => {}
    }
}

/// Whether `text` holds `address` between characters no address holds.
fn holds_alone(text: &str, address: &str) -> bool {
    let in_address =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']' | '%');
    text.match_indices(address).any(|(at, _)| {
        !text[..at].chars().next_back().is_some_and(in_address)
            && !text[at + address.len()..]
                .chars()
                .next()
                .is_some_and(in_address)
    })
}

/// A secret's `valueFrom` or a statement's `Resource` that names a resource
/// of the plan reads as a reference to it: never unknown, never a
/// placeholder left as text, and what it refers to is a resource of the
/// plan (`addresses`).
fn check_reads_back(
    what: &str,
    value: &parity_model::Value,
    addresses: &BTreeSet<String>,
    problems: &mut Vec<String>,
) {
    use parity_model::{TemplatePart, Value};
    let check_ref = |target: &str, problems: &mut Vec<String>| {
        if !addresses.contains(target) {
            problems.push(format!(
                "{what}: refers to {target}, no resource of the plan"
            ));
        }
    };
    match value.unmarked().0 {
        Value::List(items) => items
            .iter()
            .for_each(|item| check_reads_back(what, item, addresses, problems)),
        Value::String(text) if text.contains(parity_terraform::PLACEHOLDER_SERVICE) => {
            problems.push(format!("{what}: a placeholder left as text: {text}"));
        }
        other if other.contains_unknown() => {
            problems.push(format!("{what}: unknown"));
        }
        Value::Ref(reference) => check_ref(&reference.target, problems),
        Value::Template(parts) => {
            for part in parts {
                match part {
                    TemplatePart::Ref(reference) => check_ref(&reference.target, problems),
                    TemplatePart::Literal(text)
                        if text.contains(parity_terraform::PLACEHOLDER_SERVICE) =>
                    {
                        problems.push(format!("{what}: a placeholder left as text: {text}"));
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

#[test]
fn real_resolved_plans_know_containers_and_refer_where_they_name_resources() {
    let plans = committed_resolved_plans(&crate::docs::repo_root());
    assert!(
        plans.len() >= 4,
        "the real resolved plans are missing: {plans:?}"
    );
    // The Terraform side of every real pair has its resolved plan.
    let root = crate::docs::repo_root();
    for pair in std::fs::read_dir(root.join("testdata/real-pairs")).unwrap() {
        for side in std::fs::read_dir(pair.unwrap().path())
            .into_iter()
            .flatten()
        {
            let dir = side.unwrap().path();
            if dir.join("tfplan.json").is_file() {
                assert!(
                    plans.contains(&dir.join("tfplan.resolved.json")),
                    "{} has no resolved plan",
                    dir.display()
                );
            }
        }
    }
    let (mut task_definitions, mut secrets, mut resources, mut records) = (0, 0, 0, 0);
    let mut problems = Vec::new();
    for path in &plans {
        // The resolution completed, with the current record, and left
        // nothing unknown.
        let record = &parse(&std::fs::read_to_string(path).unwrap()).unwrap()[RESOLUTION_KEY];
        if record["version"] != parity_terraform::RESOLUTION_VERSION {
            problems.push(format!(
                "{}: resolution record version {}",
                path.display(),
                record["version"]
            ));
        }
        let unresolved = record["unresolved"].as_object();
        if unresolved.is_none_or(|u| !u.is_empty()) {
            problems.push(format!(
                "{}: left unknown: {}",
                path.display(),
                record["unresolved"]
            ));
        }
        // Each typed placeholder is the one the resolver gives that
        // attribute now: a plan rendered before a kind changed (a flag
        // given an address) is stale.
        for (address, entries) in record["substitutes"].as_object().into_iter().flatten() {
            for entry in entries.as_array().into_iter().flatten() {
                let attribute = entry["path"]
                    .as_array()
                    .and_then(|p| p.iter().rev().find_map(Json::as_str))
                    .unwrap_or_default();
                if let Some(state::SubstituteKind::Enum(value)) =
                    state::SubstituteKind::of(attribute)
                    && entry["value"] != value
                {
                    problems.push(format!(
                        "{}: {address} `{attribute}` holds {}, the resolver gives {value}",
                        path.display(),
                        entry["value"]
                    ));
                }
            }
        }
        let input = parity_terraform::load_file(path).unwrap();
        let addresses: BTreeSet<String> =
            input.resources.iter().map(|r| r.id.to_string()).collect();
        // A placeholder's address as its text spells it: what a part of a
        // placeholder taken apart holds.
        let spelled: Vec<String> = addresses
            .iter()
            .map(|a| {
                let text = parity_terraform::Placeholder::new(a.clone(), vec!["x".to_owned()])
                    .render_plain();
                text["iacparity:ref/".len()..text.len() - "/x".len()].to_owned()
            })
            .collect();
        for resource in &input.resources {
            let address = format!("{}: {}", path.display(), resource.id);
            for (attribute, value) in &resource.properties {
                let mut texts = Vec::new();
                literal_texts(value, &mut texts);
                for text in texts {
                    if text.contains(parity_terraform::PLACEHOLDER_SERVICE)
                        || spelled.iter().any(|s| holds_alone(text, s))
                    {
                        problems.push(format!(
                            "{address} {attribute}: a placeholder's text read as a value: {text}"
                        ));
                    }
                }
            }
            if resource.resource_type == "aws_ecs_task_definition" {
                task_definitions += 1;
                let definitions = &resource.properties["container_definitions"];
                if definitions.contains_unknown() {
                    problems.push(format!("{address}: container_definitions unknown"));
                }
                let mut found = Vec::new();
                values_under(definitions, "valueFrom", &mut found);
                secrets += found.len();
                for value in found {
                    check_reads_back(
                        &format!("{address} valueFrom"),
                        value,
                        &addresses,
                        &mut problems,
                    );
                }
            }
            if resource.resource_type == "aws_route53_record" {
                // A validation record is built from its certificate's
                // `domain_validation_options`.
                for attribute in ["name", "type", "records"] {
                    if let Some(value) = resource.properties.get(attribute) {
                        records += 1;
                        check_reads_back(
                            &format!("{address} {attribute}"),
                            value,
                            &addresses,
                            &mut problems,
                        );
                    }
                }
            }
            for (attribute, value) in &resource.properties {
                let mut found = Vec::new();
                values_under(value, "Resource", &mut found);
                resources += found.len();
                for value in found {
                    check_reads_back(
                        &format!("{address} {attribute} Resource"),
                        value,
                        &addresses,
                        &mut problems,
                    );
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // What was checked is there to check.
    assert!(task_definitions > 10, "{task_definitions}");
    assert!(secrets > 0 && resources > 10, "{secrets} {resources}");
    assert!(records > 10, "{records}");
}

#[test]
fn typed_placeholders_follow_what_the_attribute_holds() {
    use state::SubstituteKind as Kind;
    for (attribute, kind) in [
        ("public_ip", Some(Kind::Ipv4)),
        ("private_ips", Some(Kind::Ipv4)),
        ("ipv6_address", Some(Kind::Ipv6)),
        ("cidr_block", Some(Kind::Ipv4Cidr)),
        ("ipv6_cidr_block", Some(Kind::Ipv6Cidr)),
        ("resource_record_type", Some(Kind::Enum("CNAME"))),
        // A target group's flag, "true" or "false": an address there
        // would be planned as a change that replaces the target group.
        ("preserve_client_ip", Some(Kind::Enum("false"))),
        ("arn", None),
        ("ip_address_type", Some(Kind::Enum("ipv4"))),
    ] {
        assert_eq!(Kind::of(attribute), kind, "{attribute}");
    }
}
