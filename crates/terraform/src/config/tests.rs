use serde_json::json;

use super::*;

/// A root module calling `app` (twice, with `for_each`), which calls `db`;
/// references written in every way Terraform lists them.
fn configuration() -> Json {
    json!({
        "root_module": {
            "variables": {"password": {"sensitive": true}, "region": {}},
            "outputs": {
                "role_arn": {"expression": {"references": ["module.app[\"a\"].role_arn", "module.app[\"a\"]", "module.app"]}},
                "password": {"sensitive": true, "expression": {"references": ["var.password"]}}
            },
            "resources": [
                {"address": "aws_secretsmanager_secret.db", "mode": "managed", "type": "aws_secretsmanager_secret", "name": "db",
                 "expressions": {"name": {"constant_value": "db"}}},
                {"address": "aws_iam_role.task", "mode": "managed", "type": "aws_iam_role", "name": "task",
                 "count_expression": {"constant_value": 2},
                 "expressions": {
                    "name": {"references": ["count.index"]},
                    "description": {"references": ["var.password", "local.x"]},
                    "inline_policy": [
                        {"name": {"constant_value": "a"}, "policy": {"references": ["aws_secretsmanager_secret.db.arn", "aws_secretsmanager_secret.db"]}},
                        {"name": {"constant_value": "b"}, "policy": {"references": ["data.aws_caller_identity.me.account_id", "data.aws_caller_identity.me"]}}
                    ]}}
            ],
            "module_calls": {
                "app": {
                    "source": "./app",
                    "for_each_expression": {"references": ["aws_iam_role.task"]},
                    "expressions": {
                        "secret_arn": {"references": ["aws_secretsmanager_secret.db.arn", "aws_secretsmanager_secret.db"]},
                        "role": {"references": ["each.value"]},
                        "name": {"references": ["each.key"]},
                        "password": {"references": ["var.password"]}
                    },
                    "module": {
                        "variables": {"secret_arn": {}, "role": {}, "name": {}, "password": {}},
                        "outputs": {"role_arn": {"expression": {"references": ["aws_iam_role.app.arn", "aws_iam_role.app"]}}},
                        "resources": [
                            {"address": "aws_iam_role.app", "mode": "managed", "type": "aws_iam_role", "name": "app",
                             "expressions": {
                                "name": {"references": ["var.name"]},
                                "permissions_boundary": {"references": ["var.role"]},
                                "description": {"references": ["var.password"]},
                                "assume_role_policy": {"references": ["module.db.arn", "module.db"]}
                             }}
                        ],
                        "module_calls": {
                            "db": {
                                "source": "./db",
                                "expressions": {"secret_arn": {"references": ["var.secret_arn"]}},
                                "module": {
                                    "variables": {"secret_arn": {"sensitive": true}},
                                    "outputs": {"arn": {"expression": {"references": ["aws_ssm_parameter.p.arn", "aws_ssm_parameter.p"]}}},
                                    "resources": [
                                        {"address": "aws_ssm_parameter.p", "mode": "managed", "type": "aws_ssm_parameter", "name": "p",
                                         "expressions": {"value": {"references": ["var.secret_arn"]}}}
                                    ]
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

fn resolve(json: &Json, address: &str, path: &[&str]) -> (Vec<String>, bool) {
    let instances = BTreeSet::from([
        "module.app[\"a\"]".to_owned(),
        "module.app[\"b\"]".to_owned(),
        "module.app[\"a\"].module.db".to_owned(),
    ]);
    let config = Configuration::parse(
        &mut json.clone(),
        &Pointer::root().key("configuration"),
        instances,
    )
    .unwrap();
    let path: Vec<Segment> = path
        .iter()
        .map(|s| match s.parse::<usize>() {
            Ok(i) => Segment::Index(i),
            Err(_) => Segment::Key((*s).to_owned()),
        })
        .collect();
    let resolved = config.attribute(&Address::parse(address).unwrap(), &path);
    (resolved.addresses.into_iter().collect(), resolved.sensitive)
}

fn addresses(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn references_in_the_same_module_become_absolute() {
    let json = configuration();
    assert_eq!(
        resolve(
            &json,
            "aws_iam_role.task[1]",
            &["inline_policy", "0", "policy"]
        ),
        (
            addresses(&[
                "aws_secretsmanager_secret.db",
                "data.aws_caller_identity.me"
            ]),
            false
        ),
        "blocks are matched by name, not position"
    );
    assert_eq!(
        resolve(&json, "aws_iam_role.task[1]", &["name"]),
        (vec![], false),
        "count.index is not a resource"
    );
    assert_eq!(
        resolve(&json, "aws_iam_role.task[0]", &["arn"]),
        (vec![], false),
        "a computed attribute has no expression"
    );
}

#[test]
fn variables_follow_the_module_call() {
    let json = configuration();
    assert_eq!(
        resolve(
            &json,
            "module.app[\"a\"].module.db.aws_ssm_parameter.p",
            &["value"]
        ),
        (addresses(&["aws_secretsmanager_secret.db"]), true),
        "two calls up; the child's variable is sensitive"
    );
    assert_eq!(
        resolve(
            &json,
            "module.app[\"b\"].aws_iam_role.app",
            &["permissions_boundary"]
        ),
        (addresses(&["aws_iam_role.task"]), false),
        "each.value is what for_each iterates"
    );
    assert_eq!(
        resolve(&json, "module.app[\"b\"].aws_iam_role.app", &["name"]),
        (vec![], false),
        "each.key is a key"
    );
    assert_eq!(
        resolve(
            &json,
            "module.app[\"b\"].aws_iam_role.app",
            &["description"]
        ),
        (vec![], true),
        "a sensitive root variable, passed down"
    );
}

#[test]
fn outputs_lead_into_the_child_module_instance() {
    let mut json = configuration();
    assert_eq!(
        resolve(
            &json,
            "module.app[\"a\"].aws_iam_role.app",
            &["assume_role_policy"]
        ),
        (
            addresses(&["module.app[\"a\"].module.db.aws_ssm_parameter.p"]),
            false
        )
    );
    let instances = BTreeSet::from(["module.app[\"a\"]".to_owned()]);
    let config = Configuration::parse(&mut json, &Pointer::root(), instances).unwrap();
    assert_eq!(
        config.output("role_arn").addresses,
        BTreeSet::from(["module.app[\"a\"].aws_iam_role.app".to_owned()])
    );
    assert!(config.output("password").sensitive);
    assert!(config.variable_is_sensitive("password"));
    assert!(!config.variable_is_sensitive("region"));
}

#[test]
fn a_reference_to_a_module_without_key_means_every_instance() {
    let mut json = json!({"root_module": {
        "resources": [{"address": "aws_x.y", "expressions": {"v": {"references": ["module.app.arn", "module.app"]}}}],
        "module_calls": {"app": {"count_expression": {"constant_value": 2}, "module": {
            "outputs": {"arn": {"expression": {"references": ["aws_iam_role.r.arn", "aws_iam_role.r"]}}}
        }}}
    }});
    let instances = BTreeSet::from(["module.app[0]".to_owned(), "module.app[1]".to_owned()]);
    let config = Configuration::parse(&mut json, &Pointer::root(), instances).unwrap();
    let resolved = config.attribute(
        &Address::parse("aws_x.y").unwrap(),
        &[Segment::Key("v".to_owned())],
    );
    assert_eq!(
        resolved.addresses,
        BTreeSet::from([
            "module.app[0].aws_iam_role.r".to_owned(),
            "module.app[1].aws_iam_role.r".to_owned()
        ])
    );
}

#[test]
fn a_cycle_ends() {
    // Not a configuration Terraform accepts; a file could say it anyway.
    let mut json = json!({"root_module": {"module_calls": {"m": {
        "expressions": {"a": {"references": ["module.m.out"]}},
        "module": {
            "outputs": {"out": {"expression": {"references": ["var.a"]}}},
            "resources": [{"address": "aws_x.y", "expressions": {"v": {"references": ["var.a"]}}}]
        }
    }}}});
    let config = Configuration::parse(&mut json, &Pointer::root(), BTreeSet::new()).unwrap();
    let resolved = config.attribute(
        &Address::parse("module.m.aws_x.y").unwrap(),
        &[Segment::Key("v".to_owned())],
    );
    assert!(resolved.addresses.is_empty());
}

#[test]
fn malformed_configurations_are_errors_with_a_pointer() {
    let cases = [
        (
            json!([]),
            "/configuration",
            "expected an object, found an array",
        ),
        (
            json!({"root_module": {"resources": {}}}),
            "/configuration/root_module/resources",
            "expected an array, found an object",
        ),
        (
            json!({"root_module": {"resources": [{"address": "aws_x.y", "expressions": {"v": {"references": "aws_z.w"}}}]}}),
            "/configuration/root_module/resources/0/expressions/v/references",
            "expected an array of references, found a string",
        ),
        (
            json!({"root_module": {"module_calls": {"m": {"source": "./m"}}}}),
            "/configuration/root_module/module_calls/m/module",
            "missing: the called module",
        ),
        (
            json!({"root_module": {"variables": {"v": {"sensitive": "yes"}}}}),
            "/configuration/root_module/variables/v/sensitive",
            "expected true or false, found a string",
        ),
    ];
    for (mut json, pointer, message) in cases {
        let (at, text) = Configuration::parse(
            &mut json,
            &Pointer::root().key("configuration"),
            BTreeSet::new(),
        )
        .unwrap_err();
        assert_eq!((at.to_string().as_str(), text.as_str()), (pointer, message));
    }
}
