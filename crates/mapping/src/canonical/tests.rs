use parity_model::{Ref, Resource, ResourceId, Unknown, Value};

use super::*;

fn terraform(address: &str, resource_type: &str, properties: Vec<(&str, Value)>) -> Resource {
    Resource {
        id: ResourceId::Terraform {
            address: address.into(),
        },
        resource_type: resource_type.into(),
        properties: properties
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        action: None,
        construct_path: None,
        module: None,
        condition: None,
    }
}

fn cloudformation(
    logical_id: &str,
    resource_type: &str,
    properties: Vec<(&str, Value)>,
) -> Resource {
    Resource {
        id: ResourceId::CloudFormation {
            stack: "Stack".into(),
            logical_id: logical_id.into(),
        },
        resource_type: resource_type.into(),
        properties: properties
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        action: None,
        construct_path: None,
        module: None,
        condition: None,
    }
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

fn list(items: Vec<Value>) -> Value {
    Value::List(items)
}

fn num(n: u64) -> Value {
    Value::Number(n.into())
}

#[test]
fn builtin_table_loads() {
    let table = Table::builtin().unwrap();
    assert!(table.terraform_types().count() > 10);
}

#[test]
fn container_definitions_become_pascal_case_but_log_options_keep_their_keys() {
    let table = Table::builtin().unwrap();
    let defs = list(vec![map(vec![
        ("name", Value::from("api")),
        (
            "logConfiguration",
            map(vec![
                ("logDriver", Value::from("awslogs")),
                (
                    "options",
                    map(vec![("awslogs-group", Value::from("/ecs/api"))]),
                ),
            ]),
        ),
    ])]);
    let resource = terraform(
        "aws_ecs_task_definition.api",
        "aws_ecs_task_definition",
        vec![
            ("container_definitions", defs),
            ("family", Value::from("api")),
            ("arn", Value::from("arn:aws:ecs:x")),
            ("cpu", Value::Null),
        ],
    );
    let canonical = canonicalize(&[resource], &table);
    let entity = &canonical.entities[0];
    assert_eq!(entity.canonical_type, "AWS::ECS::TaskDefinition");
    assert_eq!(
        entity.properties["ContainerDefinitions"].to_string(),
        "[{Essential: true, LogConfiguration: {LogDriver: awslogs, Options: {awslogs-group: /ecs/api}}, Name: api}]"
    );
    assert!(
        !entity.properties.contains_key("Cpu"),
        "null attributes are not set"
    );
    assert!(
        !entity.properties.contains_key("arn"),
        "unmapped attributes are not compared"
    );
}

#[test]
fn types_without_a_twin_say_why_and_unknown_types_are_unmapped() {
    let table = Table::builtin().unwrap();
    let canonical = canonicalize(
        &[
            terraform("null_resource.x", "null_resource", vec![]),
            terraform("aws_made_up.x", "aws_made_up", vec![]),
            cloudformation("Provider", "Custom::AWS", vec![]),
        ],
        &table,
    );
    assert!(canonical.entities.is_empty());
    assert_eq!(
        canonical.unmapped,
        vec![(
            ResourceId::Terraform {
                address: "aws_made_up.x".into()
            },
            "aws_made_up".to_owned()
        )]
    );
    assert_eq!(canonical.no_twin.len(), 2);
}

#[test]
fn health_check_block_flattens_and_attributes_merge_into_one_map() {
    let table = Table::builtin().unwrap();
    let tg = terraform(
        "aws_lb_target_group.api",
        "aws_lb_target_group",
        vec![
            ("name", Value::from("api")),
            ("deregistration_delay", Value::from("60")),
            (
                "health_check",
                list(vec![map(vec![
                    ("path", Value::from("/health")),
                    ("matcher", Value::from("200")),
                ])]),
            ),
            (
                "stickiness",
                list(vec![map(vec![
                    ("enabled", Value::Bool(false)),
                    ("type", Value::from("lb_cookie")),
                ])]),
            ),
        ],
    );
    let cfn = cloudformation(
        "TargetGroup",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        vec![
            ("Name", Value::from("api")),
            ("HealthCheckPath", Value::from("/health")),
            (
                "TargetGroupAttributes",
                list(vec![map(vec![
                    ("Key", Value::from("deregistration_delay.timeout_seconds")),
                    ("Value", Value::from("60")),
                ])]),
            ),
        ],
    );
    let tf = canonicalize(&[tg], &table).entities.remove(0);
    let cfn = canonicalize(&[cfn], &table).entities.remove(0);
    assert_eq!(tf.properties["HealthCheckPath"], Value::from("/health"));
    assert_eq!(tf.properties["Matcher"].to_string(), "{HttpCode: 200}");
    assert_eq!(
        tf.properties["TargetGroupAttributes"].get("deregistration_delay.timeout_seconds"),
        Some(&Value::from("60"))
    );
    assert_eq!(
        tf.properties["TargetGroupAttributes"].get("stickiness.enabled"),
        Some(&Value::Bool(false))
    );
    // The template's attribute list is a map too, with the defaults filled in.
    assert_eq!(
        cfn.properties["TargetGroupAttributes"].get("deregistration_delay.timeout_seconds"),
        Some(&Value::from("60"))
    );
    assert_eq!(
        cfn.properties["TargetGroupAttributes"].get("stickiness.enabled"),
        Some(&Value::from("false"))
    );
    assert_eq!(cfn.properties["HealthCheckIntervalSeconds"], num(30));
}

#[test]
fn role_policies_fold_into_their_role_on_both_sides() {
    let table = Table::builtin().unwrap();
    let doc = map(vec![("Version", Value::from("2012-10-17"))]);
    let tf = canonicalize(
        &[
            terraform(
                "aws_iam_role.task",
                "aws_iam_role",
                vec![
                    ("name", Value::from("api-task")),
                    ("inline_policy", Value::Unknown(Unknown::default())),
                    ("managed_policy_arns", Value::Unknown(Unknown::default())),
                ],
            ),
            terraform(
                "aws_iam_role_policy.task",
                "aws_iam_role_policy",
                vec![
                    ("name", Value::from("api-task")),
                    ("policy", doc.clone()),
                    (
                        "role",
                        Value::Unknown(Unknown {
                            refs: vec!["aws_iam_role.task".into()],
                        }),
                    ),
                ],
            ),
            terraform(
                "aws_iam_role_policy_attachment.task",
                "aws_iam_role_policy_attachment",
                vec![
                    ("role", Value::from("api-task")),
                    ("policy_arn", Value::from("arn:aws:iam::aws:policy/X")),
                ],
            ),
        ],
        &table,
    );
    assert_eq!(tf.entities.len(), 1, "{:?}", tf.diagnostics);
    let role = &tf.entities[0];
    assert_eq!(
        role.properties["Policies"].to_string(),
        "[{PolicyDocument: {Version: 2012-10-17}, PolicyName: api-task}]"
    );
    assert_eq!(
        role.properties["ManagedPolicyArns"].to_string(),
        "[arn:aws:iam::aws:policy/X]"
    );
    assert_eq!(role.folded.len(), 2);

    let cfn = canonicalize(
        &[
            cloudformation("TaskRole", "AWS::IAM::Role", vec![]),
            cloudformation(
                "TaskRoleDefaultPolicy",
                "AWS::IAM::Policy",
                vec![
                    ("PolicyName", Value::from("TaskRoleDefaultPolicy")),
                    ("PolicyDocument", doc),
                    ("Roles", list(vec![Value::Ref(Ref::resource("TaskRole"))])),
                ],
            ),
        ],
        &table,
    );
    assert_eq!(cfn.entities.len(), 1);
    assert_eq!(
        cfn.entities[0].properties["Policies"].to_string(),
        "[{PolicyDocument: {Version: 2012-10-17}, PolicyName: TaskRoleDefaultPolicy}]"
    );
}

#[test]
fn a_role_with_nothing_folded_in_has_no_policies_rather_than_unknown_ones() {
    let table = Table::builtin().unwrap();
    let tf = canonicalize(
        &[terraform(
            "aws_iam_role.r",
            "aws_iam_role",
            vec![("inline_policy", Value::Unknown(Unknown::default()))],
        )],
        &table,
    );
    assert!(!tf.entities[0].properties.contains_key("Policies"));
}

#[test]
fn a_fold_without_its_parent_stays_and_says_so() {
    let table = Table::builtin().unwrap();
    let tf = canonicalize(
        &[terraform(
            "aws_iam_role_policy_attachment.x",
            "aws_iam_role_policy_attachment",
            vec![
                ("role", Value::from("elsewhere")),
                ("policy_arn", Value::from("arn:aws:iam::aws:policy/X")),
            ],
        )],
        &table,
    );
    assert_eq!(tf.entities.len(), 1);
    assert_eq!(tf.diagnostics.len(), 1);
}

#[test]
fn security_group_rules_split_per_peer_and_standalone_rules_fold_in() {
    let table = Table::builtin().unwrap();
    let tf = canonicalize(
        &[
            terraform(
                "aws_security_group.alb",
                "aws_security_group",
                vec![
                    ("name", Value::from("alb")),
                    (
                        "ingress",
                        list(vec![map(vec![
                            ("from_port", num(80)),
                            ("to_port", num(80)),
                            ("protocol", Value::from("tcp")),
                            (
                                "cidr_blocks",
                                list(vec![
                                    Value::from("10.0.0.0/8"),
                                    Value::from("192.168.0.0/16"),
                                ]),
                            ),
                            ("self", Value::Bool(false)),
                        ])]),
                    ),
                    (
                        "egress",
                        list(vec![map(vec![
                            ("from_port", num(0)),
                            ("to_port", num(0)),
                            ("protocol", Value::from("-1")),
                            ("cidr_blocks", list(vec![Value::from("0.0.0.0/0")])),
                        ])]),
                    ),
                ],
            ),
            terraform(
                "aws_security_group_rule.https",
                "aws_security_group_rule",
                vec![
                    ("type", Value::from("ingress")),
                    (
                        "security_group_id",
                        Value::Ref(Ref::attribute("aws_security_group.alb", "id")),
                    ),
                    ("from_port", num(443)),
                    ("to_port", num(443)),
                    ("protocol", Value::from("6")),
                    ("source_security_group_id", Value::from("sg-123")),
                ],
            ),
        ],
        &table,
    );
    assert_eq!(tf.entities.len(), 1, "{:?}", tf.diagnostics);
    let sg = &tf.entities[0];
    assert_eq!(
        sg.properties["SecurityGroupIngress"].to_string(),
        "[{CidrIp: 10.0.0.0/8, FromPort: 80, IpProtocol: tcp, ToPort: 80}, \
         {CidrIp: 192.168.0.0/16, FromPort: 80, IpProtocol: tcp, ToPort: 80}, \
         {FromPort: 443, IpProtocol: tcp, SourceSecurityGroupId: sg-123, ToPort: 443}]"
    );
    assert_eq!(
        sg.properties["SecurityGroupEgress"].to_string(),
        "[{CidrIp: 0.0.0.0/0, IpProtocol: -1}]"
    );
}

#[test]
fn listener_rule_conditions_lose_their_legacy_field() {
    let table = Table::builtin().unwrap();
    let cfn = canonicalize(
        &[cloudformation(
            "Rule",
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            vec![(
                "Conditions",
                list(vec![map(vec![
                    ("Field", Value::from("path-pattern")),
                    (
                        "PathPatternConfig",
                        map(vec![("Values", list(vec![Value::from("/api/*")]))]),
                    ),
                ])]),
            )],
        )],
        &table,
    );
    assert_eq!(
        cfn.entities[0].properties["Conditions"].to_string(),
        "[{PathPatternConfig: {Values: [/api/*]}}]"
    );
}
