use parity_model::{Ref, Resource, ResourceId, TemplatePart, Unknown, Value};

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
        "[{Essential: true, Interactive: false, LogConfiguration: {LogDriver: awslogs, Options: {awslogs-group: /ecs/api}}, Name: api, Privileged: false, PseudoTerminal: false, ReadonlyRootFilesystem: false}]"
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
                            reason: None,
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
fn a_rule_of_a_group_managed_elsewhere_is_compared_as_the_rule_resource_it_is() {
    let table = Table::builtin().unwrap();
    let tf = canonicalize(
        &[
            terraform(
                "aws_security_group.app",
                "aws_security_group",
                vec![("name", Value::from("app"))],
            ),
            terraform(
                "aws_security_group_rule.db_from_app",
                "aws_security_group_rule",
                vec![
                    ("type", Value::from("ingress")),
                    ("security_group_id", Value::from("sg-0db")),
                    ("from_port", num(5432)),
                    ("to_port", num(5432)),
                    ("protocol", Value::from("6")),
                    (
                        "source_security_group_id",
                        Value::Ref(Ref::attribute("aws_security_group.app", "id")),
                    ),
                    ("self", Value::Bool(false)),
                ],
            ),
            terraform(
                "aws_security_group_rule.db_to_any",
                "aws_security_group_rule",
                vec![
                    ("type", Value::from("egress")),
                    ("security_group_id", Value::from("sg-0db")),
                    ("from_port", num(0)),
                    ("to_port", num(0)),
                    ("protocol", Value::from("-1")),
                    ("cidr_blocks", list(vec![Value::from("0.0.0.0/0")])),
                ],
            ),
        ],
        &table,
    );
    let cfn = canonicalize(
        &[
            cloudformation(
                "AppSg",
                "AWS::EC2::SecurityGroup",
                vec![("GroupDescription", Value::from("app"))],
            ),
            cloudformation(
                "DbFromApp",
                "AWS::EC2::SecurityGroupIngress",
                vec![
                    ("GroupId", Value::from("sg-0db")),
                    ("FromPort", num(5432)),
                    ("ToPort", num(5432)),
                    ("IpProtocol", Value::from("tcp")),
                    (
                        "SourceSecurityGroupId",
                        Value::Ref(Ref::attribute("AppSg", "GroupId")),
                    ),
                ],
            ),
            cloudformation(
                "DbToAny",
                "AWS::EC2::SecurityGroupEgress",
                vec![
                    ("GroupId", Value::from("sg-0db")),
                    ("IpProtocol", Value::from("-1")),
                    ("CidrIp", Value::from("0.0.0.0/0")),
                ],
            ),
        ],
        &table,
    );
    let rules = |c: &Canonical| -> Vec<(String, String)> {
        c.entities
            .iter()
            .filter(|e| e.canonical_type != "AWS::EC2::SecurityGroup")
            .map(|e| {
                let mut p = e.properties.clone();
                p.remove("SourceSecurityGroupId");
                (e.canonical_type.clone(), Value::Map(p).to_string())
            })
            .collect()
    };
    assert_eq!(rules(&tf), rules(&cfn));
    assert_eq!(
        rules(&tf),
        vec![
            (
                "AWS::EC2::SecurityGroupIngress".to_owned(),
                "{FromPort: 5432, GroupId: sg-0db, IpProtocol: tcp, ToPort: 5432}".to_owned()
            ),
            (
                "AWS::EC2::SecurityGroupEgress".to_owned(),
                "{CidrIp: 0.0.0.0/0, GroupId: sg-0db, IpProtocol: -1}".to_owned()
            ),
        ]
    );
    // The peer is the other side's group, by its own reference on each side.
    assert!(matches!(
        tf.entities[1].properties.get("SourceSecurityGroupId"),
        Some(Value::Ref(r)) if r.target == "aws_security_group.app"
    ));
    assert_eq!(tf.entities[1].area, Area::Networking);
    assert!(
        tf.diagnostics
            .iter()
            .any(|d| d.message.ends_with("as AWS::EC2::SecurityGroupIngress")),
        "{:?}",
        tf.diagnostics
    );
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

/// A module's rule map sets a peer group for some rules and addresses for
/// others; the plan knows a rule's peer group only after apply when the
/// map's expression references a group, even for a rule with addresses.
/// Terraform refuses both at once, so that rule has no peer group.
#[test]
fn a_peer_group_known_after_apply_beside_addresses_is_none() {
    let table = Table::builtin().unwrap();
    let rule = |peer: Value| {
        terraform(
            "aws_security_group_rule.egress_all",
            "aws_security_group_rule",
            vec![
                ("type", Value::from("egress")),
                ("security_group_id", Value::from("sg-1")),
                ("from_port", num(0)),
                ("to_port", num(0)),
                ("protocol", Value::from("-1")),
                ("cidr_blocks", list(vec![Value::from("0.0.0.0/0")])),
                ("source_security_group_id", peer),
            ],
        )
    };
    let after_apply = Value::Unknown(Unknown {
        refs: vec!["aws_security_group.alb".into()],
        ..Unknown::default()
    });
    let tf = canonicalize(&[rule(after_apply)], &table);
    assert_eq!(
        tf.entities[0].properties.get("DestinationSecurityGroupId"),
        None,
        "{:?}",
        tf.entities[0].properties
    );
    assert_eq!(
        tf.entities[0].properties.get("CidrIp"),
        Some(&Value::from("0.0.0.0/0"))
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

/// A table of a few types, for the mechanisms rather than AWS.
fn table(yaml: &str) -> Table {
    Table::parse(&format!("version: 1\n{yaml}")).unwrap()
}

fn json(value: serde_json::Value) -> Value {
    Value::from_json(&value)
}

#[test]
fn blocks_become_a_map_keyed_by_one_of_their_attributes() {
    let table = table(
        r#"
terraform:
  x_group:
    cloudformation: X::Group
    properties:
      parameter: { to: Parameters, shape: map, item_key: name, value_key: value }
      body: { to: Bodies, shape: map, item_key: key, properties: { content: Content } }
cloudformation:
  X::Group: {}
"#,
    );
    let group = terraform(
        "x_group.a",
        "x_group",
        vec![
            (
                "parameter",
                json(serde_json::json!([
                    {"apply_method": "immediate", "name": "tls", "value": "enabled"},
                    {"apply_method": "pending-reboot", "name": "ttl", "value": "5"}
                ])),
            ),
            (
                "body",
                json(serde_json::json!([{"key": "denied", "content": "no"}])),
            ),
        ],
    );
    let entity = canonicalize(&[group], &table).entities.remove(0);
    assert_eq!(
        entity.properties["Parameters"].to_string(),
        "{tls: enabled, ttl: 5}"
    );
    assert_eq!(
        entity.properties["Bodies"].to_string(),
        "{denied: {Content: no}}"
    );
}

#[test]
fn a_tree_of_blocks_is_written_as_cloudformation_writes_it() {
    let table = table(
        r#"
terraform:
  x_acl:
    cloudformation: X::Acl
    properties:
      statement:
        to: Statement
        shape: pascal_blocks
        properties:
          ip_set_reference_statement: IPSetReferenceStatement
          and_statement.statement: { to: Statements, shape: blocks }
          text_transformation: { to: TextTransformations, shape: blocks }
cloudformation:
  X::Acl: {}
"#,
    );
    let statement = serde_json::json!([{
        "and_statement": [{
            "statement": [
                {"ip_set_reference_statement": [{"arn": "arn:ip-set"}], "not_statement": []},
                {"not_statement": [{"statement": [{"byte_match_statement": [{
                    "search_string": "admin",
                    "positional_constraint": "CONTAINS",
                    "field_to_match": [{"uri_path": [{}], "single_header": []}],
                    "text_transformation": [{"priority": 0, "type": "NONE"}]
                }]}]}]}
            ]
        }],
        "geo_match_statement": [],
        "label": null
    }]);
    let acl = terraform("x_acl.a", "x_acl", vec![("statement", json(statement))]);
    let entity = canonicalize(&[acl], &table).entities.remove(0);
    assert_eq!(
        entity.properties["Statement"].to_string(),
        "{AndStatement: {Statements: [{IPSetReferenceStatement: {Arn: arn:ip-set}}, \
         {NotStatement: {Statement: {ByteMatchStatement: {PositionalConstraint: CONTAINS, \
         SearchString: admin, TextTransformations: [{Priority: 0, Type: NONE}]}}}}]}}",
        "an empty block is an empty object, which means nothing unless the type keeps them"
    );
}

#[test]
fn empty_objects_stay_where_they_mean_something() {
    let yaml = |keep: bool| {
        format!(
            "terraform:\n  x_acl:\n    cloudformation: X::Acl\n    properties:\n      \
             default_action: {{ to: DefaultAction, shape: pascal_blocks }}\n\
             cloudformation:\n  X::Acl: {{ keep_empty_objects: {keep} }}\n"
        )
    };
    let action = serde_json::json!([{"allow": [{"custom_request_handling": []}], "block": []}]);
    for (keep, expected) in [(true, Some("{Allow: {}}")), (false, None)] {
        let tf = terraform(
            "x_acl.a",
            "x_acl",
            vec![("default_action", json(action.clone()))],
        );
        let cfn = cloudformation(
            "Acl",
            "X::Acl",
            vec![("DefaultAction", json(serde_json::json!({"Allow": {}})))],
        );
        let table = table(&yaml(keep));
        for entity in [
            &canonicalize(&[tf], &table).entities[0],
            &canonicalize(&[cfn], &table).entities[0],
        ] {
            assert_eq!(
                entity
                    .properties
                    .get("DefaultAction")
                    .map(Value::to_string)
                    .as_deref(),
                expected
            );
        }
    }
}

#[test]
fn name_value_lists_compare_as_maps_wherever_the_table_says() {
    let table = table(
        r#"
terraform: {}
cloudformation:
  X::Alarm:
    key_value_maps: [Dimensions, Metrics.*.MetricStat.Metric.Dimensions, Variables]
"#,
    );
    let alarm = cloudformation(
        "Alarm",
        "X::Alarm",
        vec![
            (
                "Dimensions",
                json(serde_json::json!([{"Name": "ClusterName", "Value": "api"}])),
            ),
            (
                "Metrics",
                json(
                    serde_json::json!([{"Id": "m1", "MetricStat": {"Metric": {"Dimensions": [{"Name": "A", "Value": "1"}]}}}]),
                ),
            ),
            // Items with more than a key and a value are no map.
            (
                "Variables",
                json(serde_json::json!([{"Name": "STAGE", "Type": "PLAINTEXT", "Value": "prod"}])),
            ),
        ],
    );
    let entity = canonicalize(&[alarm], &table).entities.remove(0);
    assert_eq!(
        entity.properties["Dimensions"].to_string(),
        "{ClusterName: api}"
    );
    assert_eq!(
        entity.properties["Metrics"].to_string(),
        "[{Id: m1, MetricStat: {Metric: {Dimensions: {A: 1}}}}]"
    );
    assert_eq!(
        entity.properties["Variables"].to_string(),
        "[{Name: STAGE, Type: PLAINTEXT, Value: prod}]"
    );
}

#[test]
fn documents_held_in_strings_are_compared_as_documents() {
    let table = table(
        r#"
terraform: {}
cloudformation:
  X::Project:
    documents: [Policy.Text, Source.BuildSpec, Secondary.*.BuildSpec]
"#,
    );
    let project = cloudformation(
        "Project",
        "X::Project",
        vec![
            (
                "Policy",
                json(serde_json::json!({"Text": "{\"rules\":[{\"rulePriority\":1}]}"})),
            ),
            (
                "Source",
                json(
                    serde_json::json!({"BuildSpec": "version: 0.2\nphases:\n  build:\n    commands: [make]\n"}),
                ),
            ),
            (
                "Secondary",
                json(serde_json::json!([{"BuildSpec": "buildspec.yml"}])),
            ),
        ],
    );
    let entity = canonicalize(&[project], &table).entities.remove(0);
    assert_eq!(
        entity.properties["Policy"].to_string(),
        "{Text: {rules: [{rulePriority: 1}]}}"
    );
    assert_eq!(
        entity.properties["Source"].to_string(),
        "{BuildSpec: {phases: {build: {commands: [make]}}, version: 0.2}}"
    );
    assert_eq!(
        entity.properties["Secondary"].to_string(),
        "[{BuildSpec: buildspec.yml}]",
        "a file name is no document"
    );
}

#[test]
fn a_fold_finds_its_parent_through_a_reference_both_make() {
    let table = table(
        r#"
terraform:
  x_target:
    cloudformation: X::TargetGroup
    properties: { proxy: Proxy, cluster: { to: Clusters, shape: list } }
  x_pool:
    fold:
      into: X::TargetGroup
      parent: Proxy
      by: [Proxy]
      set: { Pool: Pool }
    properties: { proxy: Proxy, max: { to: [Pool, Max] } }
cloudformation:
  X::TargetGroup: {}
"#,
    );
    let proxy = || Value::Ref(Ref::attribute("x_proxy.db", "id"));
    let canonical = canonicalize(
        &[
            terraform(
                "x_target.db",
                "x_target",
                vec![("proxy", proxy()), ("cluster", Value::from("db"))],
            ),
            terraform(
                "x_pool.db",
                "x_pool",
                vec![("proxy", proxy()), ("max", num(90))],
            ),
        ],
        &table,
    );
    assert!(
        canonical.diagnostics.is_empty(),
        "{:?}",
        canonical.diagnostics
    );
    assert_eq!(canonical.entities.len(), 1);
    assert_eq!(
        Value::Map(canonical.entities[0].properties.clone()).to_string(),
        "{Clusters: [db], Pool: {Max: 90}, Proxy: ${x_proxy.db.id}}"
    );
}

#[test]
fn a_scaling_policy_folds_into_the_target_whose_resource_id_is_built_the_same() {
    // `service/<cluster>/<service>`, the cluster known only after apply:
    // every target's ID is computed from the same cluster, so only the
    // whole template tells which target a policy scales.
    let table = Table::builtin().unwrap();
    let resource_id = |service: &str| {
        Value::template([
            "service/".into(),
            TemplatePart::Unknown(Unknown {
                refs: vec!["module.ecs.aws_ecs_cluster.this[0]".to_owned()],
                reason: None,
            }),
            format!("/{service}").as_str().into(),
        ])
    };
    let mut resources = Vec::new();
    for service in ["api", "worker"] {
        resources.push(terraform(
            &format!("module.{service}.aws_appautoscaling_target.this[0]"),
            "aws_appautoscaling_target",
            vec![("resource_id", resource_id(service))],
        ));
    }
    for service in ["worker", "api"] {
        resources.push(terraform(
            &format!("module.{service}.aws_appautoscaling_policy.this[\"cpu\"]"),
            "aws_appautoscaling_policy",
            vec![
                ("resource_id", resource_id(service)),
                ("name", Value::from("cpu")),
            ],
        ));
    }
    let canonical = canonicalize(&resources, &table);
    assert!(
        canonical.diagnostics.is_empty(),
        "{:?}",
        canonical.diagnostics
    );
    for service in ["api", "worker"] {
        let target = canonical
            .entities
            .iter()
            .find(|e| {
                e.id.to_string() == format!("module.{service}.aws_appautoscaling_target.this[0]")
            })
            .unwrap();
        let folded: Vec<String> = target.folded.iter().map(ToString::to_string).collect();
        assert_eq!(
            folded,
            vec![format!(
                "module.{service}.aws_appautoscaling_policy.this[\"cpu\"]"
            )]
        );
    }
}

#[test]
fn route53_names_lose_the_trailing_dot_and_txt_values_their_quotes() {
    let table =
        table("terraform: {}\ncloudformation:\n  X::Record: { normalize: [record_names] }\n");
    let record = cloudformation(
        "Txt",
        "X::Record",
        vec![
            ("Name", Value::from("Txt.Example.com.")),
            ("Type", Value::from("TXT")),
            (
                "ResourceRecords",
                list(vec![Value::from("\"hello\""), Value::from("\"a\" \"b\"")]),
            ),
        ],
    );
    let entity = canonicalize(&[record], &table).entities.remove(0);
    assert_eq!(entity.properties["Name"], Value::from("txt.example.com"));
    assert_eq!(
        entity.properties["ResourceRecords"].to_string(),
        "[hello, \"a\" \"b\"]"
    );
}

#[test]
fn a_certificate_names_its_domain_once_and_dns_validation_zones_not_at_all() {
    let table =
        table("terraform: {}\ncloudformation:\n  X::Cert: { normalize: [certificate_names] }\n");
    let certificate = cloudformation(
        "Cert",
        "X::Cert",
        vec![
            ("DomainName", Value::from("api.example.com")),
            (
                "SubjectAlternativeNames",
                list(vec![
                    Value::from("api.example.com"),
                    Value::from("www.example.com"),
                ]),
            ),
            (
                "DomainValidationOptions",
                json(serde_json::json!([
                    {"DomainName": "api.example.com", "HostedZoneId": "Z1"},
                    {"DomainName": "www.example.com", "ValidationDomain": "example.com"}
                ])),
            ),
        ],
    );
    let entity = canonicalize(&[certificate], &table).entities.remove(0);
    assert_eq!(
        entity.properties["SubjectAlternativeNames"].to_string(),
        "[www.example.com]"
    );
    assert_eq!(
        entity.properties["DomainValidationOptions"].to_string(),
        "[{DomainName: www.example.com, ValidationDomain: example.com}]"
    );
}

#[test]
fn a_distribution_says_nothing_of_what_does_not_apply() {
    let table =
        table("terraform: {}\ncloudformation:\n  X::Cdn: { normalize: [distribution_settings] }\n");
    let distribution = cloudformation(
        "Cdn",
        "X::Cdn",
        vec![(
            "DistributionConfig",
            json(serde_json::json!({
                "Enabled": true,
                "DefaultCacheBehavior": {"CachePolicyId": "p", "DefaultTTL": 0, "MaxTTL": 0, "TargetOriginId": "o"},
                "CacheBehaviors": [{"PathPattern": "/x/*", "MinTTL": 5, "TargetOriginId": "o"}],
                "Origins": [{"Id": "o", "S3OriginConfig": {"OriginAccessIdentity": ""}}],
                "ViewerCertificate": {"CloudFrontDefaultCertificate": true, "MinimumProtocolVersion": "TLSv1"}
            })),
        )],
    );
    let entity = canonicalize(&[distribution], &table).entities.remove(0);
    assert_eq!(
        entity.properties["DistributionConfig"].to_string(),
        "{CacheBehaviors: [{MinTTL: 5, PathPattern: /x/*, TargetOriginId: o}], \
         DefaultCacheBehavior: {CachePolicyId: p, TargetOriginId: o}, Enabled: true, Origins: [{Id: o}]}"
    );
}

#[test]
fn a_reference_to_an_id_that_repeats_a_name_is_one_to_the_name() {
    let table = table(
        r#"
terraform:
  x_role:
    cloudformation: X::Role
    ref: name
    id_is: name
    properties: { name: RoleName }
  x_profile:
    cloudformation: X::Profile
    properties: { role: { to: Roles, shape: list }, path: Path }
cloudformation:
  X::Role: {}
  X::Profile: {}
"#,
    );
    let canonical = canonicalize(
        &[
            terraform("x_role.app", "x_role", vec![("name", Value::from("app"))]),
            terraform(
                "x_profile.app",
                "x_profile",
                vec![
                    ("role", Value::Ref(Ref::attribute("x_role.app", "id"))),
                    (
                        "path",
                        Value::template([
                            TemplatePart::from("/"),
                            TemplatePart::Ref(Ref::attribute("x_other.thing", "id")),
                        ]),
                    ),
                ],
            ),
        ],
        &table,
    );
    let profile = &canonical.entities[1].properties;
    assert_eq!(profile["Roles"].to_string(), "[${x_role.app.name}]");
    assert_eq!(
        profile["Path"].to_string(),
        "/${x_other.thing.id}",
        "only the IDs of types that say so"
    );
}

#[test]
fn a_flattened_block_known_only_after_apply_leaves_the_rest_of_its_map() {
    let table = Table::builtin().unwrap();
    let tg = terraform(
        "aws_lb_target_group.api",
        "aws_lb_target_group",
        vec![
            ("name", Value::from("api")),
            ("deregistration_delay", Value::from("60")),
            ("target_health_state", Value::Unknown(Unknown::default())),
        ],
    );
    let entity = canonicalize(&[tg], &table).entities.remove(0);
    let attributes = &entity.properties["TargetGroupAttributes"];
    assert_eq!(
        attributes.get("deregistration_delay.timeout_seconds"),
        Some(&Value::from("60"))
    );
    assert_eq!(
        attributes.get("target_health_state.unhealthy.connection_termination.enabled"),
        Some(&Value::from("true")),
        "computed by the provider: what AWS applies, as on the other side"
    );
}

mod twins;

/// A state lists a rule managed as its own resource inside its group too;
/// folded in, it stays one rule.
#[test]
fn a_rule_a_state_lists_twice_counts_once() {
    let table = Table::builtin().unwrap();
    let rule = || {
        map(vec![
            ("from_port", num(443)),
            ("to_port", num(443)),
            ("protocol", Value::from("tcp")),
            ("cidr_blocks", list(vec![Value::from("10.0.0.0/8")])),
            ("ipv6_cidr_blocks", list(vec![])),
            ("prefix_list_ids", list(vec![])),
            ("security_groups", list(vec![])),
            ("self", Value::Bool(false)),
            ("description", Value::from("https")),
        ])
    };
    let tf = canonicalize(
        &[
            terraform(
                "aws_security_group.web",
                "aws_security_group",
                vec![
                    ("name", Value::from("web")),
                    ("ingress", list(vec![rule()])),
                ],
            ),
            terraform(
                "aws_security_group_rule.https",
                "aws_security_group_rule",
                vec![
                    ("type", Value::from("ingress")),
                    (
                        "security_group_id",
                        Value::Ref(Ref::attribute("aws_security_group.web", "id")),
                    ),
                    ("from_port", num(443)),
                    ("to_port", num(443)),
                    ("protocol", Value::from("tcp")),
                    ("cidr_blocks", list(vec![Value::from("10.0.0.0/8")])),
                    ("self", Value::Bool(false)),
                    ("description", Value::from("https")),
                ],
            ),
        ],
        &table,
    );
    assert_eq!(tf.entities.len(), 1, "{:?}", tf.diagnostics);
    assert_eq!(
        tf.entities[0].properties["SecurityGroupIngress"].to_string(),
        "[{CidrIp: 10.0.0.0/8, Description: https, FromPort: 443, IpProtocol: tcp, ToPort: 443}]"
    );
}

/// One entry of the table's `secrets` and a resource whose property at that
/// path holds `SECRET`.
struct SecretCase {
    resource_type: &'static str,
    path: &'static str,
    properties: fn() -> Vec<(&'static str, Value)>,
}

const SECRET: &str = "plain-text-secret-7d41";

fn secret_cases() -> Vec<SecretCase> {
    vec![
        SecretCase {
            resource_type: "AWS::SecretsManager::Secret",
            path: "SecretString",
            properties: || {
                vec![(
                    "SecretString",
                    Value::from(format!(r#"{{"username":"app","password":"{SECRET}"}}"#).as_str()),
                )]
            },
        },
        SecretCase {
            resource_type: "AWS::SecretsManager::Secret",
            path: "SecretBinary",
            properties: || vec![("SecretBinary", Value::from(SECRET))],
        },
        SecretCase {
            resource_type: "AWS::SSM::Parameter",
            path: "Value",
            properties: || {
                vec![
                    ("Type", Value::from("SecureString")),
                    ("Value", Value::from(SECRET)),
                ]
            },
        },
        SecretCase {
            resource_type: "AWS::RDS::DBCluster",
            path: "MasterUserPassword",
            properties: || vec![("MasterUserPassword", Value::from(SECRET))],
        },
        SecretCase {
            resource_type: "AWS::RDS::DBInstance",
            path: "MasterUserPassword",
            properties: || vec![("MasterUserPassword", Value::from(SECRET))],
        },
        SecretCase {
            resource_type: "AWS::DocDB::DBCluster",
            path: "MasterUserPassword",
            properties: || vec![("MasterUserPassword", Value::from(SECRET))],
        },
        SecretCase {
            resource_type: "AWS::DocDBElastic::Cluster",
            path: "AdminUserPassword",
            properties: || vec![("AdminUserPassword", Value::from(SECRET))],
        },
        SecretCase {
            resource_type: "AWS::Redshift::Cluster",
            path: "MasterUserPassword",
            properties: || vec![("MasterUserPassword", Value::from(SECRET))],
        },
        SecretCase {
            resource_type: "AWS::RedshiftServerless::Namespace",
            path: "AdminUserPassword",
            properties: || vec![("AdminUserPassword", Value::from(SECRET))],
        },
        SecretCase {
            resource_type: "AWS::ElastiCache::ReplicationGroup",
            path: "AuthToken",
            properties: || vec![("AuthToken", Value::from(SECRET))],
        },
        SecretCase {
            resource_type: "AWS::ElastiCache::User",
            path: "Passwords",
            properties: || vec![("Passwords", list(vec![Value::from(SECRET)]))],
        },
        SecretCase {
            resource_type: "AWS::ElastiCache::User",
            path: "AuthenticationMode.Passwords",
            properties: || {
                vec![(
                    "AuthenticationMode",
                    map(vec![("Passwords", list(vec![Value::from(SECRET)]))]),
                )]
            },
        },
        SecretCase {
            resource_type: "AWS::MemoryDB::User",
            path: "AuthenticationMode.Passwords",
            properties: || {
                vec![(
                    "AuthenticationMode",
                    map(vec![("Passwords", list(vec![Value::from(SECRET)]))]),
                )]
            },
        },
        SecretCase {
            resource_type: "AWS::IAM::User",
            path: "LoginProfile.Password",
            properties: || vec![("LoginProfile", map(vec![("Password", Value::from(SECRET))]))],
        },
        SecretCase {
            resource_type: "AWS::OpenSearchService::Domain",
            path: "AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword",
            properties: || {
                vec![(
                    "AdvancedSecurityOptions",
                    map(vec![(
                        "MasterUserOptions",
                        map(vec![("MasterUserPassword", Value::from(SECRET))]),
                    )]),
                )]
            },
        },
        SecretCase {
            resource_type: "AWS::AmazonMQ::Broker",
            path: "Users.*.Password",
            properties: || {
                vec![(
                    "Users",
                    list(vec![map(vec![
                        ("Username", Value::from("app")),
                        ("Password", Value::from(SECRET)),
                    ])]),
                )]
            },
        },
        SecretCase {
            resource_type: "AWS::DMS::Endpoint",
            path: "Password",
            properties: || vec![("Password", Value::from(SECRET))],
        },
    ]
}

/// A function whose environment copies `SECRET` into a connection string.
fn function_copying_the_secret() -> Resource {
    cloudformation(
        "Fn",
        "AWS::Lambda::Function",
        vec![(
            "Environment",
            map(vec![(
                "Variables",
                map(vec![
                    (
                        "DATABASE_URL",
                        Value::from(format!("postgres://app:{SECRET}@db:5432/app").as_str()),
                    ),
                    ("LOG_LEVEL", Value::from("info")),
                ]),
            )]),
        )],
    )
}

/// Each property the table says holds a secret is sensitive once
/// canonicalized, whatever the template marks, and hides its copies in
/// the other resources of the same side.
#[test]
fn each_secret_bearing_property_is_sensitive_and_hides_its_copies() {
    let table = Table::builtin().unwrap();
    let cases = secret_cases();
    for (resource_type, properties) in table.secrets() {
        for property in properties {
            assert!(
                cases
                    .iter()
                    .any(|c| c.resource_type == resource_type && c.path == property.path()),
                "{resource_type} {} has no test case",
                property.path()
            );
        }
    }
    for case in cases {
        let resource = cloudformation("Holder", case.resource_type, (case.properties)());
        let canonical = canonicalize(&[resource, function_copying_the_secret()], &table);
        let shown = format!("{:?}", canonical.entities);
        let mut displayed = String::new();
        for entity in &canonical.entities {
            for value in entity.properties.values() {
                displayed.push_str(&value.to_string());
            }
        }
        assert!(
            !displayed.contains(SECRET),
            "{} {}: the secret is shown: {displayed}",
            case.resource_type,
            case.path
        );
        // The holder is compared only when the table knows its type; its
        // secret hides the copy either way.
        let function = canonical
            .entities
            .iter()
            .find(|e| e.canonical_type == "AWS::Lambda::Function")
            .unwrap();
        let url =
            crate::value_at(&function.properties, "Environment.Variables.DATABASE_URL").unwrap();
        assert!(
            url.contains_sensitive(),
            "{} {}: the copy is not hidden: {shown}",
            case.resource_type,
            case.path
        );
        let level = crate::value_at(&function.properties, "Environment.Variables.LOG_LEVEL");
        assert_eq!(level, Some(&Value::from("info")));
        if let Some(holder) = canonical
            .entities
            .iter()
            .find(|e| e.canonical_type == case.resource_type)
        {
            let mut found = false;
            path::for_each_mut(
                &mut holder.properties.clone(),
                &path::parse(case.path),
                &mut |v| {
                    found = true;
                    assert!(matches!(v, Value::Sensitive(_)), "{}: {v:?}", case.path);
                },
            );
            assert!(
                found,
                "{} {}: nothing at the path",
                case.resource_type, case.path
            );
        }
    }
}

/// An SSM parameter of type `String` is no secret; its value is shown.
#[test]
fn a_plain_ssm_parameter_is_shown() {
    let table = Table::builtin().unwrap();
    let parameter = cloudformation(
        "Param",
        "AWS::SSM::Parameter",
        vec![
            ("Type", Value::from("String")),
            ("Value", Value::from(SECRET)),
        ],
    );
    let canonical = canonicalize(&[parameter, function_copying_the_secret()], &table);
    for entity in &canonical.entities {
        assert!(
            !entity.properties.values().any(Value::contains_sensitive),
            "{entity:?}"
        );
    }
}

/// Terraform's secret version folds into its secret, the binary form too,
/// and a null it marks sensitive is nothing.
#[test]
fn a_terraform_secret_version_folds_in_sensitive_and_a_sensitive_null_is_nothing() {
    let table = Table::builtin().unwrap();
    let secret = terraform(
        "aws_secretsmanager_secret.db",
        "aws_secretsmanager_secret",
        vec![("name", Value::from("db"))],
    );
    let version = terraform(
        "aws_secretsmanager_secret_version.db",
        "aws_secretsmanager_secret_version",
        vec![
            (
                "secret_id",
                Value::Ref(Ref::attribute("aws_secretsmanager_secret.db", "arn")),
            ),
            ("secret_string", Value::from(SECRET)),
            ("secret_binary", Value::Null.into_sensitive()),
        ],
    );
    let canonical = canonicalize(&[secret, version], &table);
    let entity = &canonical.entities[0];
    assert!(matches!(
        entity.properties.get("SecretString"),
        Some(Value::Sensitive(_))
    ));
    assert_eq!(entity.properties.get("SecretBinary"), None, "{entity:?}");
}

/// Terraform's effective tags are the resource's own plus the provider's
/// `default_tags`, in `tags_all`: those are what CloudFormation's tags are
/// compared with. While `tags_all` is unknown, the resource's own are.
#[test]
fn terraform_tags_are_the_effective_ones_with_default_tags() {
    let table = Table::builtin().unwrap();
    let s = |t: &str| Value::String(t.to_owned());
    let defaults = map(vec![("environment", s("test")), ("team", s("core"))]);
    let role = terraform(
        "aws_iam_role.app",
        "aws_iam_role",
        vec![
            ("name", s("app")),
            ("tags", map(vec![("team", s("core"))])),
            ("tags_all", defaults.clone()),
        ],
    );
    let unknown = terraform(
        "aws_iam_role.other",
        "aws_iam_role",
        vec![
            ("name", s("other")),
            ("tags", map(vec![("team", s("core"))])),
            (
                "tags_all",
                Value::Unknown(Unknown {
                    refs: Vec::new(),
                    reason: None,
                }),
            ),
        ],
    );
    let entities = canonicalize(&[role, unknown], &table).entities;
    assert_eq!(entities[0].properties.get("Tags"), Some(&defaults));
    assert_eq!(
        entities[1].properties.get("Tags"),
        Some(&map(vec![("team", s("core"))]))
    );
}

/// A health check on the target group's own port is on `traffic-port`, and
/// cross-zone load balancing set on behind an application load balancer is
/// what the load balancer does anyway: both are written as the table's
/// `same_values` say, so that either spelling compares equal.
#[test]
fn values_that_mean_the_same_are_written_alike() {
    let table = Table::builtin().unwrap();
    let s = |t: &str| Value::String(t.to_owned());
    let group = |protocol: &str, health_port: &str| {
        cloudformation(
            "TargetGroup",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            vec![
                ("Port", num(8080)),
                ("Protocol", s(protocol)),
                ("HealthCheckPort", s(health_port)),
                (
                    "TargetGroupAttributes",
                    list(vec![map(vec![
                        ("Key", s("load_balancing.cross_zone.enabled")),
                        ("Value", s("true")),
                    ])]),
                ),
            ],
        )
    };
    let entities = canonicalize(&[group("HTTP", "8080"), group("TCP", "8081")], &table).entities;
    let at = |i: usize, path: &str| path::get(&entities[i].properties, &path::parse(path)).cloned();
    let cross_zone = "TargetGroupAttributes[load_balancing.cross_zone.enabled]";
    assert_eq!(at(0, "HealthCheckPort"), Some(s("traffic-port")));
    assert_eq!(
        at(0, cross_zone),
        Some(s("use_load_balancer_configuration"))
    );
    // Another port is another port; a network load balancer's target group
    // turns cross-zone on only when it says so.
    assert_eq!(at(1, "HealthCheckPort"), Some(s("8081")));
    assert_eq!(at(1, cross_zone), Some(s("true")));
}

#[test]
fn container_health_checks_and_capacity_strategies_get_what_ecs_applies() {
    let table = Table::builtin().unwrap();
    let command = list(vec![Value::from("CMD-SHELL"), Value::from("exit 0")]);
    let task = cloudformation(
        "TaskDef",
        "AWS::ECS::TaskDefinition",
        vec![(
            "ContainerDefinitions",
            list(vec![
                map(vec![
                    ("Name", Value::from("app")),
                    ("HealthCheck", map(vec![("Command", command.clone())])),
                ]),
                map(vec![("Name", Value::from("sidecar"))]),
            ]),
        )],
    );
    let cluster = cloudformation(
        "Cluster",
        "AWS::ECS::Cluster",
        vec![(
            "DefaultCapacityProviderStrategy",
            list(vec![map(vec![(
                "CapacityProvider",
                Value::from("FARGATE_SPOT"),
            )])]),
        )],
    );
    let out = canonicalize(&[task, cluster], &table).entities;
    let containers = out[0].properties["ContainerDefinitions"].to_string();
    // A health check that does not say has ECS's interval, timeout and
    // retries; a container without one gets none.
    assert_eq!(
        containers,
        "[{Essential: true, HealthCheck: {Command: [CMD-SHELL, exit 0], Interval: 30, Retries: 3, \
         Timeout: 5}, Interactive: false, Name: app, Privileged: false, PseudoTerminal: false, \
         ReadonlyRootFilesystem: false}, {Essential: true, Interactive: false, Name: sidecar, \
         Privileged: false, PseudoTerminal: false, ReadonlyRootFilesystem: false}]"
    );
    assert_eq!(
        out[1].properties["DefaultCapacityProviderStrategy"].to_string(),
        "[{Base: 0, CapacityProvider: FARGATE_SPOT, Weight: 0}]"
    );
}

#[test]
fn a_container_port_is_its_host_port_in_awsvpc_mode_only() {
    let table = Table::builtin().unwrap();
    let task = |mode: &str| {
        cloudformation(
            "TaskDef",
            "AWS::ECS::TaskDefinition",
            vec![
                ("NetworkMode", Value::from(mode)),
                (
                    "ContainerDefinitions",
                    list(vec![map(vec![
                        ("Name", Value::from("app")),
                        (
                            "PortMappings",
                            list(vec![
                                map(vec![("ContainerPort", num(8080))]),
                                map(vec![("ContainerPort", num(9090)), ("HostPort", num(0))]),
                            ]),
                        ),
                    ])]),
                ),
            ],
        )
    };
    let out = canonicalize(&[task("awsvpc"), task("bridge")], &table).entities;
    let ports = |e: &Entity| {
        e.properties["ContainerDefinitions"].as_list().unwrap()[0]
            .get("PortMappings")
            .unwrap()
            .to_string()
    };
    // ECS makes the host port the container port; one written stays.
    assert_eq!(
        ports(&out[0]),
        "[{ContainerPort: 8080, HostPort: 8080}, {ContainerPort: 9090, HostPort: 0}]"
    );
    // In bridge mode a port left out is chosen at run time.
    assert_eq!(
        ports(&out[1]),
        "[{ContainerPort: 8080}, {ContainerPort: 9090, HostPort: 0}]"
    );
}

/// ECS mounts a volume writable unless the mount point says otherwise: CDK
/// writes `ReadOnly: false`, Terraform's container definitions leave it
/// out, and both mean the same.
#[test]
fn a_mount_point_is_writable_unless_it_says() {
    let table = Table::builtin().unwrap();
    let containers =
        r#"[{"name":"web","mountPoints":[{"sourceVolume":"data","containerPath":"/data"}]}]"#;
    let tf = terraform(
        "aws_ecs_task_definition.web",
        "aws_ecs_task_definition",
        vec![
            ("family", Value::from("web")),
            (
                "container_definitions",
                Value::from_json(&serde_json::from_str(containers).unwrap()),
            ),
        ],
    );
    let mount = |read_only: bool| {
        map(vec![
            ("SourceVolume", Value::from("data")),
            ("ContainerPath", Value::from("/data")),
            ("ReadOnly", Value::Bool(read_only)),
        ])
    };
    let cfn = cloudformation(
        "Web",
        "AWS::ECS::TaskDefinition",
        vec![(
            "ContainerDefinitions",
            list(vec![map(vec![
                ("Name", Value::from("web")),
                ("MountPoints", list(vec![mount(false)])),
            ])]),
        )],
    );
    let tf = canonicalize(&[tf], &table).entities.remove(0);
    let cfn = canonicalize(&[cfn], &table).entities.remove(0);
    let mount_points = |e: &Entity| {
        e.properties["ContainerDefinitions"]
            .as_list()
            .and_then(|c| c[0].get("MountPoints"))
            .cloned()
    };
    assert_eq!(mount_points(&tf), Some(list(vec![mount(false)])));
    assert_eq!(mount_points(&cfn), Some(list(vec![mount(false)])));
}

/// A scaling policy of each side beside its scalable target of namespace
/// `namespace`, canonicalized with the built-in table: the policies'
/// target-tracking configurations, Terraform's then CloudFormation's.
fn scaling_policies(namespace: &str, configuration: Value) -> (String, String) {
    let table = Table::builtin().unwrap();
    let tf = canonicalize(
        &[
            terraform(
                "aws_appautoscaling_target.t",
                "aws_appautoscaling_target",
                vec![
                    ("service_namespace", Value::from(namespace)),
                    ("resource_id", Value::from("table/orders")),
                    ("scalable_dimension", Value::from("x:y:z")),
                ],
            ),
            terraform(
                "aws_appautoscaling_policy.p",
                "aws_appautoscaling_policy",
                vec![
                    ("name", Value::from("cpu")),
                    ("service_namespace", Value::from(namespace)),
                    (
                        "resource_id",
                        Value::Ref(Ref {
                            target: "aws_appautoscaling_target.t".into(),
                            attribute: Some("resource_id".into()),
                        }),
                    ),
                    (
                        "target_tracking_scaling_policy_configuration",
                        list(vec![json(serde_json::json!({"target_value": 50}))]),
                    ),
                ],
            ),
        ],
        &table,
    );
    let cfn = canonicalize(
        &[
            cloudformation(
                "Target",
                "AWS::ApplicationAutoScaling::ScalableTarget",
                vec![
                    ("ServiceNamespace", Value::from(namespace)),
                    ("ResourceId", Value::from("table/orders")),
                ],
            ),
            cloudformation(
                "Policy",
                "AWS::ApplicationAutoScaling::ScalingPolicy",
                vec![
                    ("PolicyName", Value::from("cpu")),
                    ("ScalingTargetId", Value::Ref(Ref::resource("Target"))),
                    ("TargetTrackingScalingPolicyConfiguration", configuration),
                ],
            ),
        ],
        &table,
    );
    let policy = |c: &Canonical| {
        c.entities
            .iter()
            .find(|e| e.canonical_type == "AWS::ApplicationAutoScaling::ScalingPolicy")
            .unwrap()
            .properties["TargetTrackingScalingPolicyConfiguration"]
            .to_string()
    };
    (policy(&tf), policy(&cfn))
}

/// Application Auto Scaling's cooldowns depend on what the policy scales,
/// which the policy's own properties do not say in a template (it names
/// its scalable target): 300 s for an ECS service, 0 for a DynamoDB table,
/// nothing assumed for a namespace the table does not list.
#[test]
fn a_scaling_policy_takes_the_cooldowns_of_its_targets_namespace() {
    let configuration = map(vec![("TargetValue", num(50))]);
    let (tf, cfn) = scaling_policies("ecs", configuration.clone());
    let ecs =
        "{DisableScaleIn: false, ScaleInCooldown: 300, ScaleOutCooldown: 300, TargetValue: 50}";
    assert_eq!((tf.as_str(), cfn.as_str()), (ecs, ecs));
    let (tf, cfn) = scaling_policies("dynamodb", configuration.clone());
    let dynamodb =
        "{DisableScaleIn: false, ScaleInCooldown: 0, ScaleOutCooldown: 0, TargetValue: 50}";
    assert_eq!((tf.as_str(), cfn.as_str()), (dynamodb, dynamodb));
    let (tf, cfn) = scaling_policies("unheard-of", configuration);
    let unknown = "{DisableScaleIn: false, TargetValue: 50}";
    assert_eq!((tf.as_str(), cfn.as_str()), (unknown, unknown));
    // One written stays as it is.
    let written = map(vec![
        ("TargetValue", num(50)),
        ("ScaleOutCooldown", num(60)),
    ]);
    let (_, cfn) = scaling_policies("ecs", written);
    assert_eq!(
        cfn,
        "{DisableScaleIn: false, ScaleInCooldown: 300, ScaleOutCooldown: 60, TargetValue: 50}"
    );
}

/// A container's `LinuxParameters` that say nothing but ECS's defaults are
/// the same as none (the terraform-aws-modules container definition writes
/// `initProcessEnabled: false`); one that says something else stays whole.
#[test]
fn a_block_of_nothing_but_defaults_is_no_block() {
    let table = Table::builtin().unwrap();
    let task = |linux: serde_json::Value| {
        let containers = serde_json::json!([
            {"name": "web", "image": "nginx", "linuxParameters": linux}
        ]);
        let tf = terraform(
            "aws_ecs_task_definition.web",
            "aws_ecs_task_definition",
            vec![
                ("family", Value::from("web")),
                ("container_definitions", json(containers)),
            ],
        );
        let entity = canonicalize(&[tf], &table).entities.remove(0);
        entity.properties["ContainerDefinitions"].as_list().unwrap()[0]
            .get("LinuxParameters")
            .map(ToString::to_string)
    };
    assert_eq!(task(serde_json::json!({"initProcessEnabled": false})), None);
    assert_eq!(
        task(serde_json::json!({"initProcessEnabled": true})),
        Some("{InitProcessEnabled: true}".to_owned())
    );
    assert_eq!(
        task(serde_json::json!({"initProcessEnabled": false, "sharedMemorySize": 64})),
        Some("{InitProcessEnabled: false, SharedMemorySize: 64}".to_owned())
    );
}

/// Only a block beneath a list item is dropped for holding defaults: a
/// top-level one is filled on both sides alike, and a list item is one of
/// the list, never dropped.
#[test]
fn only_blocks_beneath_list_items_are_dropped_for_holding_defaults() {
    let table = table(
        r#"
terraform: {}
cloudformation:
  X::Thing:
    defaults:
      Top.Enabled: false
      Items.*.Enabled: false
      Items.*.Inner.Enabled: false
"#,
    );
    let thing = cloudformation(
        "Thing",
        "X::Thing",
        vec![
            ("Top", map(vec![("Enabled", Value::Bool(false))])),
            (
                "Items",
                list(vec![
                    map(vec![("Enabled", Value::Bool(false))]),
                    map(vec![
                        ("Name", Value::from("b")),
                        ("Inner", map(vec![("Enabled", Value::from("false"))])),
                    ]),
                ]),
            ),
        ],
    );
    let entity = canonicalize(&[thing], &table).entities.remove(0);
    assert_eq!(
        Value::Map(entity.properties).to_string(),
        "{Items: [{Enabled: false}, {Enabled: false, Name: b}], Top: {Enabled: false}}"
    );
}

#[test]
fn a_default_object_of_another_form_is_refused() {
    let refused = Table::parse(
        "version: 1\nterraform: {}\ncloudformation:\n  X::Thing:\n    defaults:\n      A: { by: B }\n",
    );
    let message = refused.unwrap_err().to_string();
    assert!(
        message.contains("X::Thing") && message.contains("default A"),
        "{message}"
    );
}

/// A start timeout bounds another container's wait for this one
/// (`DependsOn`), nothing else: the AWS provider's modules write one on
/// every container, and it stays only on a container another one waits
/// for.
#[test]
fn a_start_timeout_stays_only_where_a_container_waits() {
    let table = Table::builtin().unwrap();
    let task = cloudformation(
        "TaskDef",
        "AWS::ECS::TaskDefinition",
        vec![(
            "ContainerDefinitions",
            list(vec![
                map(vec![
                    ("Name", Value::from("app")),
                    ("StartTimeout", num(30)),
                    (
                        "DependsOn",
                        list(vec![map(vec![
                            ("Condition", Value::from("START")),
                            ("ContainerName", Value::from("log-router")),
                        ])]),
                    ),
                ]),
                map(vec![
                    ("Name", Value::from("log-router")),
                    ("StartTimeout", num(30)),
                ]),
                map(vec![
                    ("Name", Value::from("lone")),
                    ("StartTimeout", num(60)),
                ]),
            ]),
        )],
    );
    let out = canonicalize(&[task], &table).entities;
    let containers = out[0].properties["ContainerDefinitions"].as_list().unwrap();
    let timeout = |at: usize| containers[at].get("StartTimeout").map(Value::to_string);
    assert_eq!(timeout(0), None, "nothing waits for app");
    assert_eq!(
        timeout(1),
        Some("30".to_owned()),
        "app waits for log-router"
    );
    assert_eq!(timeout(2), None, "nothing waits for lone");
}

/// A scalable target of namespace `namespace` on each side, Terraform's
/// without a role, CloudFormation's with `role`, canonicalized with the
/// built-in table: each side's RoleARN.
fn scalable_target_roles(namespace: &str, role: Value) -> (Option<Value>, Option<Value>) {
    let table = Table::builtin().unwrap();
    let tf = canonicalize(
        &[terraform(
            "aws_appautoscaling_target.t",
            "aws_appautoscaling_target",
            vec![
                ("service_namespace", Value::from(namespace)),
                ("resource_id", Value::from("service/main/app")),
            ],
        )],
        &table,
    );
    let cfn = canonicalize(
        &[cloudformation(
            "Target",
            "AWS::ApplicationAutoScaling::ScalableTarget",
            vec![
                ("ServiceNamespace", Value::from(namespace)),
                ("ResourceId", Value::from("service/main/app")),
                ("RoleARN", role),
            ],
        )],
        &table,
    );
    let role = |c: &Canonical| c.entities[0].properties.get("RoleARN").cloned();
    (role(&tf), role(&cfn))
}

/// Without a role Application Auto Scaling uses its service-linked role
/// for the namespace, in whatever partition and account: CDK's ARN of it,
/// written out or joined from `AWS::Partition`, is the same as none; another
/// role, or another namespace's, is not.
#[test]
fn a_scalable_targets_service_linked_role_is_the_same_as_none() {
    let path = ":iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService";
    let written = Value::from(format!("arn:aws-cn{path}").as_str());
    assert_eq!(scalable_target_roles("ecs", written.clone()), (None, None));
    let joined = Value::Template(vec![
        TemplatePart::Literal("arn:".into()),
        TemplatePart::Unknown(Unknown {
            refs: vec!["AWS::Partition".into()],
            reason: None,
        }),
        TemplatePart::Literal(path.into()),
    ]);
    assert_eq!(scalable_target_roles("ecs", joined), (None, None));
    // DynamoDB's own role is another.
    assert_eq!(
        scalable_target_roles("dynamodb", written.clone()),
        (None, Some(written))
    );
    let own = Value::from("arn:aws:iam::123456789012:role/ecsAutoscaleRole");
    assert_eq!(scalable_target_roles("ecs", own.clone()), (None, Some(own)));
    let referenced = Value::Template(vec![
        TemplatePart::Literal("arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/".into()),
        TemplatePart::Ref(Ref::resource("Role")),
    ]);
    assert_eq!(
        scalable_target_roles("ecs", referenced.clone()),
        (None, Some(referenced))
    );
}
