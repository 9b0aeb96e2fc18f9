use super::*;

fn task_definition_block() -> Json {
    json!({
        "attributes": {
            "arn": {"type": "string"},
            "id": {"type": "string"},
            "revision": {"type": "number"},
            "container_definitions": {"type": "string"},
            "tags_all": {"type": ["map", "string"]}
        },
        "block_types": {"volume": {"nesting_mode": "set", "block": {"attributes": {
            "name": {"type": "string"},
            "file_system_id": {"type": "string"}
        }}}}
    })
}

fn fill(
    address: &str,
    filling: &Filling,
    after: &Json,
    unknown: &Json,
) -> (Json, Vec<(Vec<Segment>, Json)>) {
    let block = task_definition_block();
    let filler = Filler {
        address,
        filling,
        left_empty: Vec::new(),
        filled: std::cell::RefCell::new(Vec::new()),
    };
    let filled = filler.fill(after, unknown, &Type::Block(&block), &mut Vec::new());
    (filled, filler.filled.into_inner())
}

#[test]
fn deployed_values_have_the_schema_type() {
    let (filled, _) = fill(
        "module.a[\"k\"].aws_ecs_task_definition.api",
        &Filling::Deployed,
        &json!({"family": "api"}),
        &json!({"arn": true, "id": true, "revision": true, "tags_all": true, "volume": true,
            "container_definitions": true}),
    );
    assert_eq!(
        filled,
        json!({
            "family": "api",
            "arn": "arn:aws:ecs:eu-west-1:123456789012:ecs_task_definition/module-a-k-aws-ecs-task-definition-api",
            "id": "ph-module-a-k-aws-ecs-task-definition-api-id",
            "revision": 1,
            "tags_all": {},
            "volume": [],
            "container_definitions": ""
        })
    );
}

#[test]
fn traceable_placeholders_name_the_resource_and_the_path() {
    let address = "module.a[\"k/v\"].aws_ecs_task_definition.api[0]";
    let filling = Filling::Traceable {
        region: "us-east-1".to_owned(),
        arn_sinks: BTreeSet::from([(
            vec!["a".to_owned()],
            "aws_ecs_task_definition.api".to_owned(),
            "id".to_owned(),
        )]),
    };
    let (filled, made) = fill(
        address,
        &filling,
        &json!({"family": "api", "volume": [{"name": "data"}]}),
        &json!({"arn": true, "id": true, "revision": true, "container_definitions": true,
            "volume": [{"file_system_id": true}]}),
    );
    let placeholder =
        |path: &[&str]| Placeholder::new(address, path.iter().map(|s| (*s).to_owned()).collect());
    assert_eq!(
        filled,
        json!({
            "family": "api",
            "arn": placeholder(&["arn"]).render("us-east-1"),
            // The configuration passes it where an ARN goes.
            "id": placeholder(&["id"]).render("us-east-1"),
            "revision": 1,
            "container_definitions": "",
            "volume": [{"name": "data",
                "file_system_id": placeholder(&["volume", "0", "file_system_id"]).render_plain()}]
        })
    );
    assert_eq!(
        Placeholder::parse(filled["arn"].as_str().unwrap()),
        Some(placeholder(&["arn"]))
    );
    let key = |k: &str| Segment::Key(k.to_owned());
    assert_eq!(
        made,
        vec![
            (vec![key("arn")], filled["arn"].clone()),
            (vec![key("id")], filled["id"].clone()),
            (vec![key("revision")], json!(1)),
            (vec![key("container_definitions")], json!("")),
            (
                vec![key("volume"), Segment::Index(0), key("file_system_id")],
                filled["volume"][0]["file_system_id"].clone()
            ),
        ]
    );
}

#[test]
fn a_state_holds_module_instances_with_their_keys() {
    let schemas = json!({"provider_schemas": {"registry.terraform.io/hashicorp/aws": {"resource_schemas": {
        "aws_ecs_task_definition": {"version": 1, "block": task_definition_block()}
    }}}});
    let change = |address: &str, index: Json| {
        json!({"address": address, "module_address": "module.a[\"k\"]", "mode": "managed",
            "type": "aws_ecs_task_definition", "name": "api", "index": index,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "after": {"family": "api"},
                "after_unknown": {"arn": true}, "after_sensitive": {"family": true}}})
    };
    let plan = json!({
        "terraform_version": "1.11.4",
        "resource_changes": [
            change("module.a[\"k\"].aws_ecs_task_definition.api[\"x\"]", json!("x")),
            change("module.a[\"k\"].aws_ecs_task_definition.api[\"y\"]", json!("y")),
        ],
    });
    let made = from_plan(&plan, &schemas, &Filling::Deployed).unwrap();
    let resource = &made.state["resources"][0];
    assert_eq!(made.state["version"], 4);
    assert_eq!(resource["module"], "module.a[\"k\"]");
    assert_eq!(resource["each"], "map");
    assert_eq!(resource["instances"][1]["index_key"], "y");
    assert_eq!(resource["instances"][0]["schema_version"], 1);
    assert_eq!(
        resource["instances"][0]["sensitive_attributes"],
        json!([[{"type": "get_attr", "value": "family"}]])
    );
    assert_eq!(made.filled.len(), 2);
    assert!(!has_unknowns(&json!({"resource_changes": []})));
    assert!(has_unknowns(&plan));
}

#[test]
fn sensitive_paths_name_attributes_and_map_keys() {
    let block =
        json!({"attributes": {"tags": {"type": ["map", "string"]}, "value": {"type": "string"}}});
    let mut out = Vec::new();
    sensitive_paths(
        &json!({"tags": {"Partner": true}, "value": true}),
        &Type::Block(&block),
        &mut Vec::new(),
        &mut out,
    );
    assert_eq!(
        out,
        vec![
            json!([{"type": "get_attr", "value": "tags"}, {"type": "index", "value": {"value": "Partner", "type": "string"}}]),
            json!([{"type": "get_attr", "value": "value"}]),
        ]
    );
}

#[test]
fn module_addresses_without_keys() {
    assert_eq!(
        without_keys("module.a[\"k.v\"].module.b[0]"),
        vec!["a".to_owned(), "b".to_owned()]
    );
    assert!(without_keys("").is_empty());
}

#[test]
fn arn_sinks_are_what_the_configuration_passes_where_an_arn_goes() {
    let expression = |references: &[&str]| json!({"references": references});
    let plan = json!({"configuration": {"root_module": {
        "resources": [
            {"address": "aws_lb_listener.http", "expressions": {
                "load_balancer_arn": expression(&["aws_lb.api.id", "aws_lb.api"]),
                "default_action": [{"target_group_arn": expression(&["aws_lb_target_group.api[0].id", "aws_lb_target_group.api[0]", "aws_lb_target_group.api"]), "type": {"constant_value": "forward"}}],
            }},
            {"address": "aws_iam_role_policy.task", "expressions": {
                "role": expression(&["aws_iam_role.task.id", "aws_iam_role.task"]),
                "policy_arn": expression(&["var.policy", "data.aws_iam_policy.p.arn", "local.x"]),
            }},
        ],
        "module_calls": {"svc": {
            "expressions": {"topic_arn": expression(&["aws_sns_topic.t.id", "aws_sns_topic.t"])},
            "module": {
                "resources": [{"address": "aws_x.y", "expressions": {"key_arn": expression(&["aws_kms_key.k[\"a.b\"].key_id"])}}],
                "outputs": {"role_arn": {"expression": expression(&["aws_iam_role.r.unique_id"])}},
            },
        }},
    }}});
    let sink = |modules: &[&str], resource: &str, attribute: &str| {
        (
            modules.iter().map(|m| (*m).to_owned()).collect::<Vec<_>>(),
            resource.to_owned(),
            attribute.to_owned(),
        )
    };
    assert_eq!(
        arn_sinks(&plan),
        BTreeSet::from([
            sink(&[], "aws_lb.api", "id"),
            sink(&[], "aws_lb_target_group.api", "id"),
            sink(&[], "aws_sns_topic.t", "id"),
            sink(&["svc"], "aws_kms_key.k", "key_id"),
            sink(&["svc"], "aws_iam_role.r", "unique_id"),
        ])
    );
    assert_eq!(
        sink_of("module.svc[\"a.b\"].aws_kms_key.k[\"x.y\"]", "key_id"),
        sink(&["svc"], "aws_kms_key.k", "key_id")
    );
    assert_eq!(sink_of("aws_lb.api", "id"), sink(&[], "aws_lb.api", "id"));
}

#[test]
fn what_made_the_provider_replace_the_resource_is_left_empty() {
    let change = json!({"change": {"actions": ["delete", "create"],
        "replace_paths": [["protocol_version"], ["volume", 0, "name"]]}});
    let key = |k: &str| Segment::Key(k.to_owned());
    assert_eq!(
        replaced_because_of(&change),
        vec![
            vec![key("protocol_version")],
            vec![key("volume"), Segment::Index(0), key("name")]
        ]
    );
    let updated = json!({"change": {"actions": ["update"], "replace_paths": [["x"]]}});
    assert!(replaced_because_of(&updated).is_empty());

    let block =
        json!({"attributes": {"arn": {"type": "string"}, "protocol_version": {"type": "string"}}});
    let filling = Filling::Traceable {
        region: "us-east-1".to_owned(),
        arn_sinks: BTreeSet::new(),
    };
    let filler = Filler {
        address: "aws_lb_target_group.api",
        filling: &filling,
        left_empty: vec![vec![key("protocol_version")]],
        filled: std::cell::RefCell::new(Vec::new()),
    };
    let filled = filler.fill(
        &json!({}),
        &json!({"arn": true, "protocol_version": true}),
        &Type::Block(&block),
        &mut Vec::new(),
    );
    assert_eq!(filled["protocol_version"], Json::Null);
    assert!(
        filled["arn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:iacparity:")
    );
    assert_eq!(filler.filled.into_inner().len(), 2);
}
