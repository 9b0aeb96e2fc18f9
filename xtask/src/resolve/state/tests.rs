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
        substitutes: None,
        attempts: &BTreeMap::new(),
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
        reads: BTreeSet::new(),
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
    let made = from_plan(
        &plan,
        &schemas,
        &Filling::Deployed,
        &mut Substitutes::default(),
        &BTreeSet::new(),
        &BTreeMap::new(),
    )
    .unwrap();
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
    // A placeholder that made the provider replace the resource did not hold.
    let attempts = BTreeMap::from([(
        (
            "aws_lb_target_group.api".to_owned(),
            "protocol_version".to_owned(),
        ),
        1,
    )]);
    let filling = Filling::Traceable {
        region: "us-east-1".to_owned(),
        arn_sinks: BTreeSet::new(),
        reads: BTreeSet::new(),
    };
    let filler = Filler {
        address: "aws_lb_target_group.api",
        filling: &filling,
        left_empty: vec![vec![key("protocol_version")]],
        filled: std::cell::RefCell::new(Vec::new()),
        substitutes: None,
        attempts: &attempts,
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

fn traceable() -> Filling {
    Filling::Traceable {
        region: "us-east-1".to_owned(),
        arn_sinks: BTreeSet::new(),
        reads: BTreeSet::from([(Vec::new(), "aws_x.read".to_owned(), "owner".to_owned())]),
    }
}

#[test]
fn addresses_and_enums_get_values_the_provider_accepts_each_address_once() {
    let block = json!({"attributes": {
        "public_ip": {"type": "string", "computed": true},
        "private_ip": {"type": "string", "computed": true},
        "ipv6_cidr_block": {"type": "string", "computed": true},
        "cidr_block": {"type": "string", "computed": true},
        "domain_validation_options": {"type": ["set", ["object", {
            "resource_record_type": "string", "resource_record_name": "string"}]], "computed": true}
    }});
    // The plan holds 192.0.2.1 itself: it is never a placeholder.
    let plan = json!({"variables": {"allowed": {"value": "192.0.2.1/32"}}});
    let mut substitutes = Substitutes::new(&plan);
    let cell = std::cell::RefCell::new(std::mem::take(&mut substitutes));
    let filling = traceable();
    let attempts = BTreeMap::new();
    let filler = Filler {
        address: "aws_x.a",
        filling: &filling,
        left_empty: Vec::new(),
        filled: std::cell::RefCell::new(Vec::new()),
        substitutes: Some(&cell),
        attempts: &attempts,
    };
    let unknown = json!({"public_ip": true, "private_ip": true, "ipv6_cidr_block": true,
        "cidr_block": true, "domain_validation_options": [{"resource_record_type": true,
        "resource_record_name": true}]});
    let after = json!({"domain_validation_options": [{}]});
    let filled = filler.fill(&after, &unknown, &Type::Block(&block), &mut Vec::new());
    let text = |key: &str| filled[key].as_str().unwrap().to_owned();
    assert_eq!(text("ipv6_cidr_block"), "2001:db8:1::/56");
    let cidr = text("cidr_block");
    let addresses = [
        text("public_ip"),
        text("private_ip"),
        cidr.trim_end_matches("/32").to_owned(),
    ];
    assert!(cidr.ends_with("/32"), "{cidr}");
    for address in &addresses {
        assert!(address.starts_with("192.0.2."), "{address}");
        assert_ne!(address, "192.0.2.1");
    }
    assert_eq!(addresses.iter().collect::<BTreeSet<_>>().len(), 3);
    let options = &filled["domain_validation_options"][0];
    assert_eq!(options["resource_record_type"], "CNAME");
    assert_eq!(
        options["resource_record_name"],
        "iacparity:ref/aws_x.a/domain_validation_options.0.resource_record_name"
    );
    // The same attribute keeps its value the next round.
    let again = filler.fill(&after, &unknown, &Type::Block(&block), &mut Vec::new());
    assert_eq!(again, filled);
    let chosen = &cell.borrow().chosen["aws_x.a"];
    assert_eq!(chosen.len(), 5);
}

#[test]
fn only_computed_attributes_get_placeholders_and_optional_ones_only_when_read() {
    let block = json!({"attributes": {
        "name": {"type": "string", "required": true},
        "id": {"type": "string", "optional": true, "computed": true},
        "arn": {"type": "string", "computed": true},
        "owner": {"type": "string", "optional": true, "computed": true},
        "fifo_throughput_scope": {"type": "string", "optional": true, "computed": true}
    }});
    let filling = traceable();
    let unknown = json!({"name": true, "id": true, "arn": true, "owner": true,
        "fifo_throughput_scope": true});
    let fill = |address: &str, attempts: &BTreeMap<(String, String), usize>| {
        let filler = Filler {
            address,
            filling: &filling,
            left_empty: Vec::new(),
            filled: std::cell::RefCell::new(Vec::new()),
            substitutes: None,
            attempts,
        };
        filler.fill(&json!({}), &unknown, &Type::Block(&block), &mut Vec::new())
    };
    let filled = fill("aws_x.read", &BTreeMap::new());
    // Set by the configuration: the provider's "none", whatever the
    // attempts, never a placeholder (the next plan evaluates it again).
    assert_eq!(filled["name"], "");
    let name = || ("aws_x.read".to_owned(), "name".to_owned());
    assert_eq!(
        fill("aws_x.read", &BTreeMap::from([(name(), 2)]))["name"],
        ""
    );
    // The plugin SDK's `id` is optional and computed, and read by nothing
    // here; unset, the provider would plan the resource anew.
    assert_eq!(filled["id"], "iacparity:ref/aws_x.read/id");
    assert_eq!(
        filled["arn"],
        "arn:aws:iacparity:us-east-1:000000000000:ref/aws_x.read/arn"
    );
    // Read by the configuration: a placeholder.
    assert_eq!(filled["owner"], "iacparity:ref/aws_x.read/owner");
    // Left to AWS and read by nothing: unset.
    assert_eq!(filled["fifo_throughput_scope"], Json::Null);
    // Unset, it stayed unknown: the provider's "none", then a placeholder.
    let key = || ("aws_x.read".to_owned(), "fifo_throughput_scope".to_owned());
    let filled = fill("aws_x.read", &BTreeMap::from([(key(), 1)]));
    assert_eq!(filled["fifo_throughput_scope"], "");
    let filled = fill("aws_x.read", &BTreeMap::from([(key(), 2)]));
    assert_eq!(
        filled["fifo_throughput_scope"],
        "iacparity:ref/aws_x.read/fifo_throughput_scope"
    );
    // None held: unset again, for good.
    for attempts in [3, 9] {
        let filled = fill("aws_x.read", &BTreeMap::from([(key(), attempts)]));
        assert_eq!(filled["fifo_throughput_scope"], Json::Null);
    }
}

#[test]
fn terraform_data_is_written_with_the_types_of_its_values_and_output_is_input() {
    let schemas = json!({"provider_schemas": {"terraform.io/builtin/terraform": {"resource_schemas": {
        "terraform_data": {"version": 0, "block": {"attributes": {
            "id": {"type": "string", "computed": true},
            "input": {"type": "dynamic", "optional": true},
            "output": {"type": "dynamic", "computed": true},
            "triggers_replace": {"type": "dynamic", "optional": true}
        }}}
    }}}});
    let plan = json!({"terraform_version": "1.11.4", "resource_changes": [{
        "address": "terraform_data.topic", "module_address": "", "mode": "managed",
        "type": "terraform_data", "name": "topic",
        "provider_name": "terraform.io/builtin/terraform",
        "change": {"actions": ["no-op"],
            "after": {"input": {"arn": "arn:x", "always_run": "yes", "n": 2}, "triggers_replace": ["arn:x", true]},
            "after_unknown": {"id": true, "output": true}}}]});
    let made = from_plan(
        &plan,
        &schemas,
        &traceable(),
        &mut Substitutes::default(),
        &BTreeSet::new(),
        &BTreeMap::new(),
    )
    .unwrap();
    let attributes = &made.state["resources"][0]["instances"][0]["attributes"];
    let input = json!({"value": {"arn": "arn:x", "always_run": "yes", "n": 2},
        "type": ["object", {"always_run": "string", "arn": "string", "n": "number"}]});
    assert_eq!(attributes["input"], input);
    assert_eq!(attributes["output"], input);
    assert_eq!(
        attributes["triggers_replace"],
        json!({"value": ["arn:x", true], "type": ["tuple", ["string", "bool"]]})
    );
    assert_eq!(attributes["id"], "iacparity:ref/terraform_data.topic/id");
    // What the output holds is determined: not made up.
    assert!(
        made.filled["terraform_data.topic"]
            .iter()
            .all(|(path, _)| path[0] != Segment::Key("output".to_owned()))
    );
}

#[test]
fn left_out_instances_are_not_in_the_state() {
    let schemas = json!({"provider_schemas": {"registry.terraform.io/hashicorp/aws": {"resource_schemas": {
        "aws_ecs_task_definition": {"version": 1, "block": task_definition_block()}
    }}}});
    let change = |name: &str| {
        json!({"address": format!("aws_ecs_task_definition.{name}"), "module_address": "",
            "mode": "managed", "type": "aws_ecs_task_definition", "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "after": {}, "after_unknown": {"arn": true}}})
    };
    let plan = json!({"resource_changes": [change("a"), change("b")]});
    let made = from_plan(
        &plan,
        &schemas,
        &traceable(),
        &mut Substitutes::default(),
        &BTreeSet::from(["aws_ecs_task_definition.a".to_owned()]),
        &BTreeMap::new(),
    )
    .unwrap();
    let names: Vec<&Json> = made.state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["name"])
        .collect();
    assert_eq!(names, vec!["b"]);
}

#[test]
fn the_configuration_reads_what_any_expression_references() {
    let plan = json!({"configuration": {"root_module": {
        "resources": [{"address": "aws_route53_record.v", "expressions": {
            "type": {"references": ["each.value.resource_record_type", "each.value"]}},
            "for_each_expression": {"references": [
                "aws_acm_certificate.site.domain_validation_options", "aws_acm_certificate.site"]}}],
        "module_calls": {"app": {"expressions": {}, "module": {"outputs": {"ip": {"expression": {
            "references": ["aws_eip.nat[0].public_ip", "aws_eip.nat[0]", "aws_eip.nat"]}}}}}}
    }}});
    let reads = reads(&plan);
    assert!(reads.contains(&(
        Vec::new(),
        "aws_acm_certificate.site".to_owned(),
        "domain_validation_options".to_owned()
    )));
    assert!(reads.contains(&(
        vec!["app".to_owned()],
        "aws_eip.nat".to_owned(),
        "public_ip".to_owned()
    )));
    assert!(
        !reads
            .iter()
            .any(|(_, resource, _)| resource.starts_with("each"))
    );
}

#[test]
fn a_resource_read_at_a_key_known_only_when_evaluated_is_read_whole() {
    // `aws_ssm_parameter.p[each.key].arn` in a module call's argument:
    // terraform lists the resource alone, as it lists the end of every
    // reference's shorter ones (`aws_secretsmanager_secret.s.arn`).
    let plan = json!({"configuration": {"root_module": {
        "resources": [{"address": "aws_lambda_function.f", "expressions": {
            "role": {"references": ["aws_iam_role.r[0].arn", "aws_iam_role.r[0]", "aws_iam_role.r"]}}}],
        "module_calls": {"service": {"expressions": {"container_definitions": {"references": [
            "each.key", "aws_ssm_parameter.p", "each.value.key", "each.value",
            "aws_secretsmanager_secret.s.arn", "aws_secretsmanager_secret.s"]}},
            "module": {}}}
    }}});
    let reads = reads(&plan);
    let sink =
        |resource: &str, attribute: &str| (Vec::new(), resource.to_owned(), attribute.to_owned());
    assert!(reads.contains(&sink("aws_ssm_parameter.p", WHOLE_RESOURCE)));
    assert!(reads.contains(&sink("aws_secretsmanager_secret.s", "arn")));
    assert!(!reads.contains(&sink("aws_secretsmanager_secret.s", WHOLE_RESOURCE)));
    assert!(reads.contains(&sink("aws_iam_role.r", "arn")));
    assert!(!reads.contains(&sink("aws_iam_role.r", WHOLE_RESOURCE)));

    // Its optional and computed `arn` (an SSM parameter's) gets a
    // placeholder: left unset, the next plan holds it null, and a
    // container's secret loses its `valueFrom`.
    let block = json!({"attributes": {
        "arn": {"type": "string", "optional": true, "computed": true},
        "tier": {"type": "string", "optional": true, "computed": true}
    }});
    let filling = Filling::Traceable {
        region: "us-east-1".to_owned(),
        arn_sinks: BTreeSet::new(),
        reads,
    };
    let attempts = BTreeMap::new();
    let fill = |address: &str| {
        let filler = Filler {
            address,
            filling: &filling,
            left_empty: Vec::new(),
            filled: std::cell::RefCell::new(Vec::new()),
            substitutes: None,
            attempts: &attempts,
        };
        filler.fill(
            &json!({}),
            &json!({"arn": true, "tier": true}),
            &Type::Block(&block),
            &mut Vec::new(),
        )
    };
    let filled = fill("aws_ssm_parameter.p[\"admin\"]");
    assert_eq!(
        filled["arn"],
        "arn:aws:iacparity:us-east-1:000000000000:ref/aws_ssm_parameter.p[%22admin%22]/arn"
    );
    // Not its settings, where a placeholder may contradict the rest of
    // the resource.
    assert_eq!(filled["tier"], Json::Null);
    // A resource read only at a named attribute keeps the others unset.
    let filled = fill("aws_secretsmanager_secret.s");
    assert_ne!(filled["arn"], Json::Null);
    assert_eq!(filled["tier"], Json::Null);
}

#[test]
fn a_placeholder_terraform_refused_is_spelled_as_a_name_each_once() {
    let block = json!({"attributes": {
        "id": {"type": "string", "optional": true, "computed": true},
        "unique_id": {"type": "string", "computed": true}
    }});
    let mut substitutes = Substitutes::new(&json!({"variables": {"n": {"value": "iacparity-1"}}}));
    assert!(substitutes.spell_as_name("aws_x.a", "id"));
    assert!(!substitutes.spell_as_name("aws_x.a", "id"));
    let cell = std::cell::RefCell::new(substitutes);
    let filling = traceable();
    let attempts = BTreeMap::new();
    let filler = Filler {
        address: "aws_x.a",
        filling: &filling,
        left_empty: Vec::new(),
        filled: std::cell::RefCell::new(Vec::new()),
        substitutes: Some(&cell),
        attempts: &attempts,
    };
    let unknown = json!({"id": true, "unique_id": true});
    let filled = filler.fill(&json!({}), &unknown, &Type::Block(&block), &mut Vec::new());
    // The plan holds `iacparity-1` itself: never a placeholder.
    assert_eq!(filled["id"], "iacparity-2");
    assert_eq!(filled["unique_id"], "iacparity:ref/aws_x.a/unique_id");
    assert_eq!(
        cell.borrow().chosen["aws_x.a"],
        vec![(
            vec![Segment::Key("id".to_owned())],
            "iacparity-2".to_owned()
        )]
    );
}
