use std::path::Path;

use std::collections::BTreeMap;

use parity_model::{Action, Ref, TemplatePart, Unknown, Value};
use serde_json::json;

use super::*;

fn placeholder(address: &str, path: &[&str]) -> Placeholder {
    Placeholder::new(address, path.iter().map(|s| (*s).to_owned()).collect())
}

fn render(address: &str, path: &[&str]) -> String {
    placeholder(address, path).render("us-east-1")
}

#[test]
fn a_placeholder_is_an_arn_of_no_service_and_no_account() {
    assert_eq!(
        render("aws_secretsmanager_secret.db", &["arn"]),
        "arn:aws:iacparity:us-east-1:000000000000:ref/aws_secretsmanager_secret.db/arn"
    );
    assert_eq!(
        render(
            "aws_db_instance.db",
            &["master_user_secret", "0", "secret_arn"]
        ),
        "arn:aws:iacparity:us-east-1:000000000000:ref/aws_db_instance.db/master_user_secret.0.secret_arn"
    );
}

#[test]
fn module_addresses_with_keys_round_trip() {
    let addresses = [
        "aws_iam_role.task",
        "aws_iam_role.task[0]",
        "module.api[\"eu/west.1\"].aws_iam_role.task",
        "module.api[\"say \\\"hi\\\"\"].module.db[3].aws_secretsmanager_secret.db[\"a:b::\"]",
        "module.api[\"50% off/ünïcode\"].aws_ssm_parameter.token[\"x\"]",
        "module.api[2].data.aws_iam_policy_document.assume",
    ];
    for address in addresses {
        for path in [
            &["arn"][..],
            &["tags", "a.b/c"],
            &["volume", "0", "file_system_id"],
        ] {
            let expected = placeholder(address, path);
            for text in [render(address, path), expected.render_plain()] {
                assert_eq!(Placeholder::parse(&text), Some(expected.clone()), "{text}");
                // Nothing an ARN or a JSON string would need to quote.
                assert!(
                    text.bytes()
                        .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\'),
                    "{text}"
                );
            }
        }
    }
    assert_eq!(
        render("module.api[\"eu/west.1\"].aws_iam_role.task", &["arn"]),
        "arn:aws:iacparity:us-east-1:000000000000:ref/module.api[%22eu%2Fwest.1%22].aws_iam_role.task/arn"
    );
    assert_eq!(
        placeholder("module.api[\"eu/west.1\"].aws_iam_role.task", &["id"]).render_plain(),
        "iacparity:ref/module.api[%22eu%2Fwest.1%22].aws_iam_role.task/id"
    );
}

#[test]
fn only_the_canonical_spelling_is_a_placeholder() {
    for text in [
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
        "arn:aws:iacparity:us-east-1:123456789012:ref/aws_x.y/arn",
        "arn:aws:iacparity:us-east-1:000000000000:aws_x.y/arn",
        "arn:aws:iacparity:us-east-1:000000000000:ref/aws_x.y",
        "arn:aws:iacparity:us-east-1:000000000000:ref/aws_x.y/",
        "arn:aws:iacparity:us-east-1:000000000000:ref/aws_x.y/arn.",
        "arn:aws:iacparity:us-east-1:000000000000:ref/aws_%78.y/arn",
        "arn:aws:iacparity:us-east-1:000000000000:ref/module.a[%2f].aws_x.y/arn",
        "arn:aws:iacparity:us-east-1:000000000000:ref/module.a[\"k\"].aws_x.y/arn",
        "arn:aws:iacparity:us-east-1:000000000000:ref/not-an-address/arn",
        "arn:aws:iacparity:us-east-1:000000000000:ref/aws_x.y/arn:username::",
        "arn:aws:iacparity:US-EAST-1:000000000000:ref/aws_x.y/arn",
        "arn:aws:iacparity:us-east-1:000000000000:ref/aws_x.y/a%2",
        "arn:aws:iacparity:us-east-1:000000000000:ref/aws_x.y/%FF",
        "iacparity:ref/aws_x.y",
        "iacparity:ref/aws_x.y/id:x",
        "xiacparity:ref/aws_x.y/id",
        "arn:aws:iacparity:us-east-1:000000000000:iacparity:ref/aws_x.y/id",
        "",
    ] {
        assert_eq!(Placeholder::parse(text), None, "{text}");
    }
    assert!(
        Placeholder::parse("arn:aws-us-gov:iacparity:us-gov-west-1:000000000000:ref/aws_x.y/arn")
            .is_some()
    );
}

fn known(placeholders: &[&str]) -> Placeholders {
    let mut index = Placeholders::default();
    index.collect(&json!({"values": placeholders, "other": "arn:aws:iam::aws:policy/x"}));
    index
}

fn role_arn() -> String {
    render("module.api[\"a/b\"].aws_iam_role.task[0]", &["arn"])
}

fn secret_arn() -> String {
    render("aws_secretsmanager_secret.db", &["arn"])
}

fn role() -> Ref {
    Ref::attribute("module.api[\"a/b\"].aws_iam_role.task[0]", "arn")
}

fn secret() -> Ref {
    Ref::attribute("aws_secretsmanager_secret.db", "arn")
}

fn rewrite(index: &Placeholders, value: Value, owner: &str) -> Value {
    let mut value = value;
    index.rewrite(&mut value, owner);
    value
}

#[test]
fn placeholders_become_references_whole_or_inside_strings() {
    let index = known(&[&secret_arn(), &role_arn()]);
    assert_eq!(
        rewrite(&index, Value::from(secret_arn().as_str()), "x.y"),
        Value::Ref(secret())
    );
    assert_eq!(
        rewrite(
            &index,
            Value::from(format!("{}:username::", secret_arn()).as_str()),
            "x.y"
        ),
        Value::template([secret().into(), ":username::".into()])
    );
    assert_eq!(
        rewrite(
            &index,
            Value::from(format!("{}/*,{}.", role_arn(), secret_arn()).as_str()),
            "x.y"
        ),
        Value::template([role().into(), "/*,".into(), secret().into(), ".".into()])
    );
    // Inside lists, maps and sensitive values; other ARNs stay as they are.
    let value = Value::List(vec![
        Value::from(role_arn().as_str()).into_sensitive(),
        Value::from("arn:aws:iam::aws:policy/x"),
    ]);
    assert_eq!(
        rewrite(&index, value, "x.y"),
        Value::List(vec![
            Value::Ref(role()).into_sensitive(),
            Value::from("arn:aws:iam::aws:policy/x")
        ])
    );
}

#[test]
fn plain_placeholders_become_references_too() {
    let role_id = placeholder("module.api[\"a/b\"].aws_iam_role.task[0]", &["id"]).render_plain();
    let index = known(&[&role_id, &secret_arn()]);
    let role = Ref::attribute("module.api[\"a/b\"].aws_iam_role.task[0]", "id");
    assert_eq!(
        rewrite(&index, Value::from(role_id.as_str()), "x.y"),
        Value::Ref(role.clone())
    );
    assert_eq!(
        rewrite(
            &index,
            Value::from(format!("{role_id}:{}:username::", secret_arn()).as_str()),
            "x.y"
        ),
        Value::template([
            role.into(),
            ":".into(),
            secret().into(),
            ":username::".into()
        ])
    );
}

#[test]
fn a_placeholder_of_the_resource_itself_stays_unknown() {
    let index = known(&[&secret_arn()]);
    assert_eq!(
        rewrite(
            &index,
            Value::from(secret_arn().as_str()),
            "aws_secretsmanager_secret.db"
        ),
        Value::Unknown(Unknown::default())
    );
    assert_eq!(
        rewrite(
            &index,
            Value::from(format!("{}:*", secret_arn()).as_str()),
            "aws_secretsmanager_secret.db"
        ),
        Value::Template(vec![
            TemplatePart::Unknown(Unknown::default()),
            TemplatePart::Literal(":*".to_owned())
        ])
    );
}

#[test]
fn an_address_cut_out_of_a_placeholder_is_unknown_not_text() {
    // `"service/${element(split("/", cluster_arn), 1)}/api"`: in a real ECS
    // cluster ARN the cluster's name, here the placeholder's address.
    let cluster = "module.ecs[\"a/b\"].aws_ecs_cluster.this[0]";
    let arn = render(cluster, &["arn"]);
    let index = known(&[&arn]);
    let encoded = "module.ecs[%22a%2Fb%22].aws_ecs_cluster.this[0]";
    let from_cluster = || {
        TemplatePart::Unknown(Unknown {
            refs: vec![cluster.to_owned()],
            reason: None,
        })
    };
    assert_eq!(
        rewrite(
            &index,
            Value::from(format!("service/{encoded}/api").as_str()),
            "aws_appautoscaling_target.api"
        ),
        Value::template(["service/".into(), from_cluster(), "/api".into()])
    );
    // Split at `:` instead: `ref/<address>/arn`.
    assert_eq!(
        rewrite(
            &index,
            Value::from(format!("ref/{encoded}/arn").as_str()),
            "a.b"
        ),
        Value::template(["ref/".into(), from_cluster(), "/arn".into()])
    );
    // Alone, it is the unknown value itself.
    assert_eq!(
        rewrite(&index, Value::from(encoded), "a.b"),
        Value::Unknown(Unknown {
            refs: vec![cluster.to_owned()],
            reason: None,
        })
    );
    // The whole placeholder is still a reference, and text that only
    // holds the address inside a longer name is left alone.
    assert_eq!(
        rewrite(&index, Value::from(format!("{arn}/x").as_str()), "a.b"),
        Value::template([Ref::attribute(cluster, "arn").into(), "/x".into()])
    );
    for text in [
        format!("x{encoded}"),
        format!("{encoded}.name"),
        format!("{encoded}-2"),
    ] {
        assert_eq!(
            rewrite(&index, Value::from(text.as_str()), "a.b"),
            Value::from(text.as_str())
        );
    }
}

#[test]
fn a_placeholder_as_route53_escapes_it_is_the_placeholder() {
    // The AWS provider stores an alias record's target name as Route 53
    // does: `:` as `\072`, `/` as `\057`, `[` and `]` as `\133`, `\135`.
    let lb = "module.cluster[0].aws_lb.this";
    let dns_name = placeholder(lb, &["dns_name"]).render_plain();
    let index = known(&[&dns_name]);
    let escaped = r"iacparity\072ref\057module.cluster\1330\135.aws_lb.this\057dns_name";
    assert_eq!(
        rewrite(&index, Value::from(escaped), "aws_route53_record.alias"),
        Value::Ref(Ref::attribute(lb, "dns_name"))
    );
    let arn = render("aws_lb.app", &["arn"]);
    let index = known(&[&arn]);
    let escaped =
        r"arn\072aws\072iacparity\072us-east-1\072000000000000\072ref\057aws_lb.app\057arn";
    assert_eq!(
        rewrite(&index, Value::from(escaped), "a.b"),
        Value::Ref(Ref::attribute("aws_lb.app", "arn"))
    );
}

#[test]
fn the_longest_known_placeholder_wins() {
    let name = render("aws_x.y", &["name"]);
    let prefix = render("aws_x.y", &["name_prefix"]);
    let index = known(&[&name, &prefix]);
    assert_eq!(
        rewrite(&index, Value::from(format!("{prefix}-1").as_str()), "a.b"),
        Value::template([Ref::attribute("aws_x.y", "name_prefix").into(), "-1".into()])
    );
    assert_eq!(
        rewrite(
            &index,
            Value::from(format!("{name}.example.com").as_str()),
            "a.b"
        ),
        Value::template([
            Ref::attribute("aws_x.y", "name").into(),
            ".example.com".into()
        ])
    );
    // Text that only looks like a placeholder, and is none of the state's,
    // is left alone.
    let unknown = render("aws_x.z", &["arn"]);
    assert_eq!(
        rewrite(&index, Value::from(unknown.as_str()), "a.b"),
        Value::from(unknown.as_str())
    );
}

/// A resolved plan of one module instance's task definition and policy, as
/// `cargo xtask plan-json` writes it: the placeholders are the state's
/// values, the task definition's container definitions and the policy hold
/// them inside JSON documents.
fn resolved_plan() -> String {
    let module = "module.svc[\"api/v1.0\"]";
    let secret = format!("{module}.aws_secretsmanager_secret.db[0]");
    let role = format!("{module}.aws_iam_role.task[\"main\"]");
    let task = format!("{module}.aws_ecs_task_definition.api");
    let policy = format!("{module}.aws_iam_role_policy.task");
    let secret_arn = Placeholder::new(&secret, vec!["arn".to_owned()]).render("eu-west-1");
    let role_arn = Placeholder::new(&role, vec!["arn".to_owned()]).render("eu-west-1");
    let role_id = Placeholder::new(&role, vec!["id".to_owned()]).render_plain();
    let task_arn = Placeholder::new(&task, vec!["arn".to_owned()]).render("eu-west-1");
    let definitions = json!([{
        "name": "api",
        "secrets": [{"name": "DB_USERNAME", "valueFrom": format!("{secret_arn}:username::")}],
    }])
    .to_string();
    let document = json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": [secret_arn, format!("{secret_arn}*")]}],
    })
    .to_string();
    let secret_values = json!({"arn": secret_arn, "id": secret_arn, "name": "db"});
    let role_values =
        json!({"arn": role_arn, "id": role_id, "name": "task", "max_session_duration": 1});
    let task_values = json!({"arn": task_arn, "revision": 1, "task_role_arn": role_arn, "container_definitions": definitions});
    let policy_values = json!({"id": "x", "role": role_id, "policy": document});
    let resource = |address: &str, ty: &str, values: &serde_json::Value| {
        let (name, index) = match address.rsplit_once('.').unwrap().1.split_once('[') {
            Some((name, key)) => (name.to_owned(), Some(key.trim_end_matches(']').to_owned())),
            None => (address.rsplit_once('.').unwrap().1.to_owned(), None),
        };
        let mut r = json!({"address": address, "mode": "managed", "type": ty, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws", "values": values, "sensitive_values": {}});
        if let Some(index) = index {
            r["index"] = serde_json::from_str(&index).unwrap();
        }
        r
    };
    let change = |address: &str, ty: &str, values: &serde_json::Value| {
        json!({"address": address, "module_address": module, "mode": "managed", "type": ty,
            "name": "x", "change": {"actions": ["no-op"], "before": values, "after": values,
            "after_unknown": {}, "after_sensitive": {}, "before_sensitive": {}}})
    };
    let resources = [
        (&secret, "aws_secretsmanager_secret", &secret_values),
        (&role, "aws_iam_role", &role_values),
        (&task, "aws_ecs_task_definition", &task_values),
        (&policy, "aws_iam_role_policy", &policy_values),
    ];
    let module_json = json!({"address": module,
        "resources": resources.iter().map(|(a, t, v)| resource(a, t, v)).collect::<Vec<_>>()});
    json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {"child_modules": [module_json]}},
        "prior_state": {"format_version": "1.0", "values": {"root_module": {"child_modules": [module_json]}}},
        "resource_changes": resources.iter().map(|(a, t, v)| change(a, t, v)).collect::<Vec<_>>(),
        "iac_parity_resolution": {
            "version": 1,
            "rounds": 3,
            "actions": resources.iter().map(|(a, _, _)| ((*a).clone(), json!(["create"]))).collect::<serde_json::Map<_, _>>(),
            "invented": {
                role.as_str(): [["arn"], ["id"], ["max_session_duration"]],
                task.as_str(): [["arn"], ["revision"]],
            },
        },
    })
    .to_string()
}

#[test]
fn a_resolved_plan_reads_as_the_plain_plan_with_references() {
    let input = crate::load_str(&resolved_plan(), Path::new("tfplan.resolved.json")).unwrap();
    let module = "module.svc[\"api/v1.0\"]";
    let resource = |name: &str| {
        input
            .resources
            .iter()
            .find(|r| r.id.to_string() == format!("{module}.{name}"))
            .unwrap_or_else(|| panic!("{name}"))
    };
    let secret = Ref::attribute(format!("{module}.aws_secretsmanager_secret.db[0]"), "arn");
    let role = |attribute: &str| {
        Ref::attribute(format!("{module}.aws_iam_role.task[\"main\"]"), attribute)
    };

    // The actions of the plan before resolution.
    assert!(
        input
            .resources
            .iter()
            .all(|r| r.action == Some(Action::Create))
    );

    // Inside the container definitions, a JSON document in a string.
    let task = resource("aws_ecs_task_definition.api");
    let definitions = task.properties["container_definitions"].as_list().unwrap();
    let secrets = definitions[0].get("secrets").unwrap().as_list().unwrap();
    assert_eq!(
        secrets[0].get("valueFrom"),
        Some(&Value::template([
            secret.clone().into(),
            ":username::".into()
        ]))
    );
    assert_eq!(task.properties["task_role_arn"], Value::Ref(role("arn")));
    // What the xtask invented is unknown, as in the plain plan, numbers too.
    assert!(matches!(task.properties["arn"], Value::Unknown(_)));
    assert!(matches!(task.properties["revision"], Value::Unknown(_)));
    let role_resource = resource("aws_iam_role.task[\"main\"]");
    assert!(matches!(
        role_resource.properties["max_session_duration"],
        Value::Unknown(_)
    ));
    assert_eq!(role_resource.properties["name"], Value::from("task"));

    // Inside an IAM policy, whole and with a suffix.
    let policy = resource("aws_iam_role_policy.task");
    assert_eq!(policy.properties["role"], Value::Ref(role("id")));
    let statement = &policy.properties["policy"]
        .get("Statement")
        .unwrap()
        .as_list()
        .unwrap()[0];
    assert_eq!(
        statement.get("Resource"),
        Some(&Value::List(vec![
            Value::Ref(secret.clone()),
            Value::template([secret.into(), "*".into()])
        ]))
    );
}

#[test]
fn a_resolution_names_only_resources_of_the_plan() {
    let plan =
        resolved_plan().replace("\"actions\":{", "\"actions\":{\"aws_x.gone\":[\"create\"],");
    let err = crate::load_str(&plan, Path::new("tfplan.json")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "tfplan.json: at /iac_parity_resolution/actions/aws_x.gone: \"aws_x.gone\" is not a resource instance of the plan's `resource_changes`"
    );
}

/// Whether a placeholder's text is left anywhere in a value.
fn holds_placeholder(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains(PLACEHOLDER_SERVICE),
        Value::Template(parts) => parts.iter().any(
            |p| matches!(p, TemplatePart::Literal(text) if text.contains(PLACEHOLDER_SERVICE)),
        ),
        Value::List(items) => items.iter().any(holds_placeholder),
        Value::Map(map) => map.values().any(holds_placeholder),
        Value::Sensitive(inner) => holds_placeholder(inner),
        _ => false,
    }
}

#[test]
fn the_resolved_fixture_holds_references_where_the_plain_plan_is_unknown() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/ecs-fargate-fresh/tfplan.resolved.json");
    let input = crate::load_file(&path).unwrap();
    for resource in input.resources.iter().chain(&input.data_sources) {
        for (attribute, value) in &resource.properties {
            assert!(
                !holds_placeholder(value),
                "{} {attribute}: {value:?}",
                resource.id
            );
        }
    }
    let task = input
        .resources
        .iter()
        .find(|r| r.id.to_string() == "aws_ecs_task_definition.api")
        .unwrap();
    let container = &task.properties["container_definitions"].as_list().unwrap()[0];
    let secrets = container.get("secrets").unwrap().as_list().unwrap();
    let value_from = |name: &str| {
        secrets
            .iter()
            .find(|s| s.get("name") == Some(&Value::from(name)))
            .and_then(|s| s.get("valueFrom"))
            .unwrap()
            .clone()
    };
    assert_eq!(
        value_from("DB_USERNAME"),
        Value::template([secret().into(), ":username::".into()])
    );
    assert_eq!(
        value_from("API_TOKEN"),
        Value::Ref(Ref::attribute("aws_ssm_parameter.api_token", "arn"))
    );
    // The role's ID is the plain spelling, which the provider takes for a
    // name.
    let policy = input
        .resources
        .iter()
        .find(|r| r.id.to_string() == "aws_iam_role_policy.task")
        .unwrap();
    assert_eq!(
        policy.properties["role"],
        Value::Ref(Ref::attribute("aws_iam_role.task", "id"))
    );
}

fn substitutes() -> Placeholders {
    let mut placeholders = Placeholders::default();
    let path = |p: &str| vec![Segment::Key(p.to_owned())];
    placeholders.add_substitutes(&BTreeMap::from([
        (
            "aws_eip.nat[0]".to_owned(),
            vec![(path("public_ip"), "192.0.2.7".to_owned())],
        ),
        (
            "aws_vpc.main".to_owned(),
            vec![(path("ipv6_cidr_block"), "2001:db8:1::/56".to_owned())],
        ),
        (
            "aws_acm_certificate.site".to_owned(),
            vec![(
                vec![
                    Segment::Key("domain_validation_options".to_owned()),
                    Segment::Index(0),
                    Segment::Key("resource_record_type".to_owned()),
                ],
                "CNAME".to_owned(),
            )],
        ),
    ]));
    placeholders
}

#[test]
fn typed_addresses_read_back_as_references_wherever_they_stand_alone() {
    let placeholders = substitutes();
    let rewrite = |text: &str, owner: &str| {
        let mut value = Value::String(text.to_owned());
        placeholders.rewrite(&mut value, owner);
        value
    };
    let nat = || TemplatePart::Ref(Ref::attribute("aws_eip.nat[0]", "public_ip"));
    assert_eq!(
        rewrite("192.0.2.7/32", "aws_x.rule"),
        Value::Template(vec![nat(), TemplatePart::Literal("/32".to_owned())])
    );
    assert_eq!(
        rewrite("192.0.2.7", "aws_x.rule"),
        Value::Ref(Ref::attribute("aws_eip.nat[0]", "public_ip"))
    );
    assert_eq!(
        rewrite("2001:db8:1::/56", "aws_x.subnet"),
        Value::Ref(Ref::attribute("aws_vpc.main", "ipv6_cidr_block"))
    );
    // Inside a longer address, or the owner's own value: not a reference.
    for text in ["192.0.2.70/32", "10.192.0.2.7", "192.0.2.7.1"] {
        assert_eq!(rewrite(text, "aws_x.rule"), Value::String(text.to_owned()));
    }
    assert_eq!(
        rewrite("192.0.2.7", "aws_eip.nat[0]"),
        Value::Unknown(Unknown::default())
    );
    // An enumeration's value is a reference only whole, and only where the
    // configuration depends on the resource.
    assert_eq!(
        rewrite("CNAME", "aws_route53_record.v"),
        Value::String("CNAME".to_owned())
    );
}

#[test]
fn typed_enums_read_back_only_where_the_configuration_depends_on_their_resource() {
    let placeholders = substitutes();
    let rewrite = |text: &str, depends: bool| {
        let mut value = Value::List(vec![Value::String(text.to_owned())]);
        placeholders.rewrite_enums(&mut value, "aws_route53_record.v", &|address| {
            depends && address == "aws_acm_certificate.site"
        });
        value
    };
    assert_eq!(
        rewrite("CNAME", true),
        Value::List(vec![Value::Ref(Ref::attribute(
            "aws_acm_certificate.site",
            "domain_validation_options.0.resource_record_type"
        ))])
    );
    assert_eq!(
        rewrite("CNAME", false),
        Value::List(vec![Value::String("CNAME".to_owned())])
    );
    assert_eq!(
        rewrite("A", true),
        Value::List(vec![Value::String("A".to_owned())])
    );
}
