use super::*;

#[test]
fn module_instances_with_keys_and_indexes() {
    assert_eq!(module_of("aws_x.y"), None);
    assert_eq!(module_of("aws_x.y[0]"), None);
    assert_eq!(module_of("module.a.aws_x.y"), Some("module.a"));
    assert_eq!(
        module_of("module.a[0].module.b[\"k.v\"].aws_x.y[\"z\"]"),
        Some("module.a[0].module.b[\"k.v\"]")
    );
    assert_eq!(
        module_of("module.sg[\"awful_example\"].aws_security_group.this"),
        Some("module.sg[\"awful_example\"]")
    );
    assert_eq!(module_of("data.aws_iam_policy_document.x"), None);
}

#[test]
fn parses_instance_addresses() {
    let address = Address::parse("module.a[\"k.v\"].module.b.data.aws_x.y[2]").unwrap();
    let modules: Vec<(&str, &str)> = address
        .modules
        .iter()
        .map(|(name, key)| (name.as_str(), key.as_str()))
        .collect();
    assert_eq!(modules, vec![("a", "[\"k.v\"]"), ("b", "")]);
    assert!(address.data);
    assert_eq!(
        (address.resource_type.as_str(), address.name.as_str()),
        ("aws_x", "y")
    );
    assert_eq!(address.key, "[2]");
    assert_eq!(
        module_prefix(&address.modules),
        "module.a[\"k.v\"].module.b."
    );
    assert_eq!(address.config_address(), "data.aws_x.y");

    assert_eq!(
        Address::parse("aws_x.y").unwrap().config_address(),
        "aws_x.y"
    );
    for bad in [
        "",
        "aws_x",
        "aws_x.y.z",
        "module.a",
        "module..aws_x.y",
        "aws_x.y[0",
    ] {
        assert_eq!(Address::parse(bad), None, "{bad:?}");
    }
}

#[test]
fn strips_instance_keys() {
    assert_eq!(
        without_instance_key("module.a[0].aws_x.y[\"k]\"]"),
        "module.a[0].aws_x.y"
    );
    assert_eq!(
        without_instance_key("module.a[0].aws_x.y"),
        "module.a[0].aws_x.y"
    );
    assert_eq!(
        without_keys("module.a[0].module.b[\"x.y\"].aws_x.y[\"k\"]"),
        "module.a.module.b.aws_x.y"
    );
}

#[test]
fn classifies_references() {
    assert_eq!(
        Reference::parse("var.db_arn"),
        Reference::Variable("db_arn")
    );
    assert_eq!(Reference::parse("var.list[0]"), Reference::Variable("list"));
    assert_eq!(Reference::parse("each.value.arn"), Reference::EachValue);
    for not_a_resource in [
        "each.key",
        "count.index",
        "local.name",
        "path.module",
        "terraform.workspace",
        "self.id",
        "var",
    ] {
        assert_eq!(
            Reference::parse(not_a_resource),
            Reference::NotAResource,
            "{not_a_resource}"
        );
    }
    assert_eq!(
        Reference::parse("module.app[\"a\"].role_arn"),
        Reference::Module {
            name: "app",
            key: Some("[\"a\"]"),
            output: Some("role_arn")
        }
    );
    assert_eq!(
        Reference::parse("module.app"),
        Reference::Module {
            name: "app",
            key: None,
            output: None
        }
    );
    assert_eq!(
        Reference::parse("aws_iam_role.task[0].arn"),
        Reference::Resource {
            data: false,
            resource_type: "aws_iam_role",
            name: "task",
            key: "[0]"
        }
    );
    assert_eq!(
        Reference::parse("data.aws_caller_identity.current.account_id"),
        Reference::Resource {
            data: true,
            resource_type: "aws_caller_identity",
            name: "current",
            key: ""
        }
    );
}
