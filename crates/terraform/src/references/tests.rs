use serde_json::json;

use super::*;

const SECRET_ARN: &str = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";

fn index() -> Index {
    let mut index = Index::default();
    index.add(
        "aws_secretsmanager_secret.db",
        &json!({"arn": SECRET_ARN, "id": SECRET_ARN, "name": "db"}),
    );
    index.add(
        "aws_iam_role.task",
        &json!({"arn": "arn:aws:iam::123456789012:role/task", "id": "task", "name": "task"}),
    );
    index.add(
        "aws_security_group.api[0]",
        &json!({"arn": "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc", "id": "sg-0abc", "name": "api"}),
    );
    // A policy resource's ID is its secret's ARN: the secret keeps it.
    index.add(
        "aws_secretsmanager_secret_policy.db",
        &json!({"id": SECRET_ARN, "secret_arn": SECRET_ARN}),
    );
    index
}

fn rewrite(owner: &str, value: Value, evidence: &Evidence) -> Value {
    let mut properties = Map::from([("attribute".to_owned(), value)]);
    index().rewrite(&mut properties, owner, evidence);
    properties.remove("attribute").unwrap()
}

fn secret() -> Ref {
    Ref::attribute("aws_secretsmanager_secret.db", "arn")
}

#[test]
fn an_arn_becomes_a_reference_whole_or_inside_a_string() {
    assert_eq!(
        rewrite("x.y", Value::from(SECRET_ARN), &Evidence::Nothing),
        Value::Ref(secret())
    );
    assert_eq!(
        rewrite(
            "x.y",
            Value::from(format!("{SECRET_ARN}:username::").as_str()),
            &Evidence::Nothing
        ),
        Value::template([secret().into(), ":username::".into()])
    );
    assert_eq!(
        rewrite(
            "x.y",
            Value::from(format!("[\"{SECRET_ARN}\",\"{SECRET_ARN}/*\"]").as_str()),
            &Evidence::Nothing
        ),
        Value::template([
            "[\"".into(),
            secret().into(),
            "\",\"".into(),
            secret().into(),
            "/*\"]".into()
        ])
    );
}

#[test]
fn an_arn_that_goes_on_is_another_arn() {
    for other in [
        format!("{SECRET_ARN}-2"),
        format!("{SECRET_ARN}x"),
        format!("x{SECRET_ARN}"),
        format!("arn:aws:iam::1:{SECRET_ARN}"),
    ] {
        let value = Value::from(other.as_str());
        assert_eq!(rewrite("x.y", value.clone(), &Evidence::Nothing), value);
    }
}

#[test]
fn a_resource_never_references_itself() {
    let value = Value::from(SECRET_ARN);
    assert_eq!(
        rewrite(
            "aws_secretsmanager_secret.db",
            value.clone(),
            &Evidence::Nothing
        ),
        value
    );
}

#[test]
fn sensitive_and_nested_values_are_rewritten_in_place() {
    let value = Value::List(vec![Value::Map(Map::from([(
        "valueFrom".to_owned(),
        Value::from(SECRET_ARN).into_sensitive(),
    )]))]);
    let rewritten = rewrite("x.y", value, &Evidence::Nothing);
    let inner = rewritten.as_list().unwrap()[0].get("valueFrom").unwrap();
    assert_eq!(inner.unmarked(), (&Value::Ref(secret()), true));
}

#[test]
fn an_id_needs_evidence_that_the_resource_depends_on_its_owner() {
    let role = Value::Ref(Ref::attribute("aws_iam_role.task", "id"));
    let group = Value::Ref(Ref::attribute("aws_security_group.api[0]", "id"));
    // No evidence: the same text may be the same name by chance.
    assert_eq!(
        rewrite("x.y", Value::from("task"), &Evidence::Nothing),
        Value::from("task")
    );
    // The configuration of the attribute references the role.
    let configured = Evidence::Configuration(BTreeMap::from([(
        "attribute".to_owned(),
        BTreeSet::from(["aws_iam_role.task".to_owned()]),
    )]));
    assert_eq!(rewrite("x.y", Value::from("task"), &configured), role);
    // A state's dependency is enough for a generated ID, not for a name.
    let depends = Evidence::DependsOn(BTreeSet::from([
        "aws_iam_role.task".to_owned(),
        "aws_security_group.api".to_owned(),
    ]));
    assert_eq!(
        rewrite("x.y", Value::from("task"), &depends),
        Value::from("task")
    );
    assert_eq!(rewrite("x.y", Value::from("sg-0abc"), &depends), group);
}

#[test]
fn an_arn_two_resources_claim_names_neither() {
    let mut index = Index::default();
    let arn = "arn:aws:s3:::bucket";
    index.add("aws_s3_bucket.a", &json!({"arn": arn}));
    index.add("aws_s3_bucket.b", &json!({"arn": arn}));
    let mut properties = Map::from([("p".to_owned(), Value::from(arn))]);
    index.rewrite(&mut properties, "x.y", &Evidence::Nothing);
    assert_eq!(properties["p"], Value::from(arn));
}
