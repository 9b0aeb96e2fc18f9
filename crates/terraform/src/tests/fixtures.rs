//! What the loader must make of the generated `testdata/tf-*` fixtures.

use parity_model::{Action, Ref, Resource, Value};

use super::testdata;
use crate::{InputKind, TerraformInput, load_file};

fn load(file: &str) -> TerraformInput {
    load_file(&testdata().join(file)).unwrap_or_else(|e| panic!("{e}"))
}

fn resource<'a>(input: &'a TerraformInput, address: &str) -> &'a Resource {
    input
        .resources
        .iter()
        .find(|r| r.id.to_string() == address)
        .unwrap_or_else(|| panic!("{address} is not loaded"))
}

fn property<'a>(input: &'a TerraformInput, address: &str, name: &str) -> &'a Value {
    resource(input, address)
        .properties
        .get(name)
        .unwrap_or_else(|| panic!("{address} has no {name}"))
}

/// What an unknown value waits for; panics when the value is known.
fn waits_for(value: &Value) -> Vec<&str> {
    match value.unmarked().0 {
        Value::Unknown(unknown) => unknown.refs.iter().map(String::as_str).collect(),
        other => panic!("expected an unknown value, found {other}"),
    }
}

fn arn(target: &str) -> Value {
    Value::Ref(Ref::attribute(target, "arn"))
}

#[test]
fn nested_modules_with_count_and_for_each() {
    let input = load("tf-modules/tfplan.json");
    assert_eq!(input.kind, InputKind::Plan);
    assert_eq!(input.resources.len(), 22);
    let queue = r#"module.service["api"].module.queue[1]"#;
    let parameter = resource(
        &input,
        &format!(r#"{queue}.aws_ssm_parameter.queue["arn"]"#),
    );
    assert_eq!(parameter.module.as_deref(), Some(queue));
    assert_eq!(parameter.action, Some(Action::Create));
    // each.value of a for_each over the queue's attributes.
    assert_eq!(
        waits_for(&parameter.properties["value"]),
        [format!("{queue}.aws_sqs_queue.this")]
    );
    // A module input (var.role_arn) from the calling module instance.
    assert_eq!(
        waits_for(property(
            &input,
            &format!("{queue}.aws_sqs_queue_policy.this"),
            "policy"
        )),
        [
            r#"module.service["api"].aws_iam_role.task"#.to_owned(),
            format!("{queue}.aws_sqs_queue.this")
        ]
    );
    // Two calls up, to the root module.
    assert_eq!(
        waits_for(property(
            &input,
            r#"module.service["worker"].aws_iam_role_policy.read_secret"#,
            "policy"
        )),
        ["aws_secretsmanager_secret.shared"]
    );
    // A count that resolved to one instance in one service, none in the other.
    assert!(
        input.resources.iter().any(
            |r| r.id.to_string() == r#"module.service["api"].aws_cloudwatch_log_group.this[0]"#
        )
    );
    assert!(!input.resources.iter().any(|r| {
        r.id.to_string()
            .starts_with(r#"module.service["worker"].aws_cloudwatch_log_group"#)
    }));
    // An output through a module output.
    assert_eq!(
        waits_for(&input.outputs["api_role_arn"]),
        [r#"module.service["api"].aws_iam_role.task"#]
    );
}

#[test]
fn sensitive_variables_mark_what_they_flow_into() {
    let input = load("tf-sensitive/tfplan.json");
    let password = property(&input, "aws_ssm_parameter.db_password", "value");
    assert_eq!(password.to_string(), "(sensitive)");
    assert_eq!(
        property(&input, "aws_ssm_parameter.db_password", "description"),
        &Value::from("database password")
    );
    // jsonencode of a sensitive value: the whole document is sensitive, and
    // still decoded underneath.
    let definitions = property(
        &input,
        "aws_ecs_task_definition.api",
        "container_definitions",
    );
    let (document, sensitive) = definitions.unmarked();
    assert!(sensitive);
    let environment = document.as_list().unwrap()[0].get("environment").unwrap();
    assert_eq!(environment.as_list().unwrap().len(), 2);
    // A sensitive map element marks that element only.
    let tags = property(&input, "aws_ssm_parameter.log_level", "tags");
    assert_eq!(tags.get("Partner").unwrap().to_string(), "(sensitive)");
    assert_eq!(tags.get("Team"), Some(&Value::from("platform")));
    // The provider copies it into tags_all unmarked; it is a secret there too.
    let tags_all = property(&input, "aws_ssm_parameter.log_level", "tags_all");
    assert_eq!(tags_all.get("Partner").unwrap().to_string(), "(sensitive)");
    // Through a module input that is not declared sensitive.
    assert!(
        property(&input, "module.parameter.aws_ssm_parameter.this", "value")
            .unmarked()
            .1
    );
    assert!(
        property(
            &input,
            "aws_secretsmanager_secret_version.api",
            "secret_string"
        )
        .unmarked()
        .1
    );
    // Sensitive variables and outputs.
    assert!(input.variables["db_password"].unmarked().1);
    assert!(input.variables["api_keys"].unmarked().1);
    assert_eq!(input.variables["log_level"], Value::from("info"));
    assert!(input.outputs["db_password"].unmarked().1);
    assert_eq!(
        input.outputs["db_password_parameter"],
        Value::from("/app/db-password")
    );
    // No value shows a secret's text.
    for resource in &input.resources {
        let shown = Value::Map(resource.properties.clone()).to_string();
        assert!(!shown.contains("fixture-"), "{}: {shown}", resource.id);
    }
}

#[test]
fn unknown_arns_inside_container_definitions_and_policies() {
    let input = load("tf-unknown-arns/tfplan.json");
    // jsonencode with one unknown ARN: the whole document is unknown, and
    // says what it waits for.
    assert_eq!(
        waits_for(property(
            &input,
            "aws_ecs_task_definition.api",
            "container_definitions"
        )),
        [
            "aws_cloudwatch_log_group.api",
            "aws_secretsmanager_secret.db",
            "aws_ssm_parameter.api_token"
        ]
    );
    assert_eq!(
        waits_for(property(
            &input,
            "aws_ecs_task_definition.api",
            "execution_role_arn"
        )),
        ["aws_iam_role.execution"]
    );
    assert_eq!(
        waits_for(property(&input, "aws_iam_role_policy.execution", "policy")),
        [
            "aws_secretsmanager_secret.db",
            "aws_ssm_parameter.api_token"
        ]
    );
    assert_eq!(
        waits_for(property(&input, "aws_iam_policy.logs", "policy")),
        ["data.aws_iam_policy_document.logs"]
    );
    // Computed attributes depend on nothing in the configuration.
    assert!(waits_for(property(&input, "aws_secretsmanager_secret.db", "arn")).is_empty());
    // The policy document is read during apply; it is a data source, never
    // a resource to compare.
    let [document] = input.data_sources.as_slice() else {
        panic!("{:?}", input.data_sources);
    };
    assert_eq!(document.id.to_string(), "data.aws_iam_policy_document.logs");
    assert_eq!(document.action, Some(Action::Read));
    assert!(
        !input
            .resources
            .iter()
            .any(|r| r.resource_type == "aws_iam_policy_document")
    );
}

#[test]
fn a_plan_against_a_state_replaces_updates_deletes_and_creates() {
    let input = load("tf-prior-state/tfplan.json");
    let action = |address: &str| resource(&input, address).action;
    assert_eq!(action("aws_ecs_task_definition.api"), Some(Action::Replace));
    assert_eq!(action("aws_cloudwatch_log_group.api"), Some(Action::Update));
    assert_eq!(action("aws_sqs_queue.jobs"), Some(Action::Create));
    assert_eq!(action("aws_iam_role.execution"), Some(Action::NoOp));
    assert!(
        !input
            .resources
            .iter()
            .any(|r| r.id.to_string() == "aws_ssm_parameter.legacy"),
        "a deleted resource does not exist after apply"
    );
    known_arns_are_references(&input);
    // An ID is a reference where the configuration says so.
    assert_eq!(
        property(&input, "aws_iam_role_policy.execution", "role"),
        &Value::Ref(Ref::attribute("aws_iam_role.execution", "id"))
    );
}

#[test]
fn a_state_is_what_exists_now() {
    let input = load("tf-prior-state/tfstate.json");
    assert_eq!(input.kind, InputKind::State);
    assert_eq!(input.resources.len(), 6);
    assert!(input.resources.iter().all(|r| r.action.is_none()));
    assert!(
        property(&input, "aws_ssm_parameter.legacy", "value")
            .unmarked()
            .1
    );
    known_arns_are_references(&input);
    // An ID is a reference where the state records the dependency.
    assert_eq!(
        property(&input, "aws_iam_role_policy.execution", "role"),
        &Value::Ref(Ref::attribute("aws_iam_role.execution", "id"))
    );
    assert_eq!(
        input.outputs["secret_arn"]
            .as_str()
            .map(|arn| arn.starts_with("arn:")),
        Some(true)
    );
}

/// The secret's and the role's ARNs, known from the state, are references
/// wherever they appear: whole, inside a string, inside a JSON document.
fn known_arns_are_references(input: &TerraformInput) {
    let secret = "aws_secretsmanager_secret.db";
    assert_eq!(
        property(input, "aws_ecs_task_definition.api", "execution_role_arn"),
        &arn("aws_iam_role.execution")
    );
    let definitions = property(
        input,
        "aws_ecs_task_definition.api",
        "container_definitions",
    );
    let secrets = definitions.as_list().unwrap()[0].get("secrets").unwrap();
    assert_eq!(
        secrets.as_list().unwrap()[0].get("valueFrom"),
        Some(&Value::template([
            Ref::attribute(secret, "arn").into(),
            ":username::".into()
        ]))
    );
    let policy = property(input, "aws_iam_role_policy.execution", "policy");
    let statement = &policy.get("Statement").unwrap().as_list().unwrap()[0];
    assert_eq!(
        statement.get("Resource"),
        Some(&Value::List(vec![arn(secret)]))
    );
    // A resource's own ARN stays what it is.
    assert!(matches!(
        property(input, secret, "arn"),
        Value::String(text) if text.starts_with("arn:")
    ));
}

/// Why an unknown value stayed unknown; panics when the value is known.
fn unknown_reason(value: &Value) -> Option<&str> {
    match value.unmarked().0 {
        Value::Unknown(unknown) => unknown.reason.as_deref(),
        other => panic!("expected an unknown value, found {other}"),
    }
}

/// A resolution that left the VPC unknown (terraform refused its ID's
/// placeholder in a log group's name): what is built from the VPC's ID
/// stays unknown, with the record's reason and the provider's, which names
/// what it refused; the plain plan's unknowns have no reason but apply.
#[test]
fn what_a_resolution_left_unknown_says_why() {
    let resolved = load("tf-resolve/flow-logs/tfplan.resolved.json");
    for (address, name) in [
        ("aws_subnet.private", "vpc_id"),
        ("aws_cloudwatch_log_group.flow", "name"),
    ] {
        let value = property(&resolved, address, name);
        assert_eq!(waits_for(value), ["aws_vpc.main"]);
        let reason = unknown_reason(value).unwrap_or_else(|| panic!("{address}.{name}"));
        assert!(
            reason.contains("depends on what was left unknown (aws_vpc.main)")
                && reason.contains("aws_vpc.main: left out of the placeholder state")
                && reason.contains("isn't a valid log group name"),
            "{address}.{name}: {reason}"
        );
    }
    // What the resolution made known has no reason to give.
    assert_eq!(
        property(&resolved, "aws_iam_role_policy.flow", "role"),
        &Value::Ref(Ref::attribute("aws_iam_role.flow", "id"))
    );

    let plain = load("tf-resolve/flow-logs/tfplan.plain.json");
    assert_eq!(
        unknown_reason(property(&plain, "aws_subnet.private", "vpc_id")),
        None
    );
}
