use parity_mapping::{Entity, Table};
use parity_model::{Area, Finding, ResourceId, Status, Value};

use super::*;
use crate::align::{Alignment, Pair, PairMethod};
use crate::areas::{Context, Twins};
use crate::rules::Rules;
use crate::values::References;

fn json(text: &str) -> Value {
    Value::from_json(&serde_json_text(text))
}

/// Policies in tests are written as JSON, as both tools write them.
fn serde_json_text(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

fn role(id: ResourceId, policies: &[&str]) -> Entity {
    let policies = policies
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            Value::Map(Map::from([
                (
                    "PolicyName".to_owned(),
                    Value::from(format!("p{i}").as_str()),
                ),
                ("PolicyDocument".to_owned(), json(doc)),
            ]))
        })
        .collect();
    Entity {
        id,
        source_type: "aws_iam_role".into(),
        canonical_type: "AWS::IAM::Role".into(),
        area: Area::Iam,
        properties: Map::from([("Policies".to_owned(), Value::List(policies))]),
        action: None,
        construct_path: None,
        folded: Vec::new(),
    }
}

fn findings(terraform: &[&str], cloudformation: &[&str]) -> Vec<Finding> {
    let table = Table::builtin().unwrap();
    let rules = Rules::builtin().unwrap();
    let tf = [role(
        ResourceId::Terraform {
            address: "aws_iam_role.r".into(),
        },
        terraform,
    )];
    let cfn = [role(
        ResourceId::CloudFormation {
            stack: "S".into(),
            logical_id: "Role".into(),
        },
        cloudformation,
    )];
    let alignment = Alignment {
        pairs: vec![Pair {
            terraform: 0,
            cloudformation: 0,
            method: PairMethod::Identity,
            confidence: 1.0,
            evidence: Default::default(),
        }],
        ..Alignment::default()
    };
    let cx = Context {
        table: &table,
        rules: &rules,
        terraform: &tf,
        cloudformation: &cfn,
        alignment: &alignment,
    };
    let refs = References::new(&table, &tf, &cfn, &alignment);
    let twins = Twins {
        terraform: &tf[0],
        cloudformation: &cfn[0],
        cx: &cx,
        refs: &refs,
    };
    let mut out = Vec::new();
    compare(&twins, rules.for_type("AWS::IAM::Role"), &mut out);
    out
}

#[test]
fn a_scalar_equals_a_one_element_list_and_order_and_sid_do_not_matter() {
    let tf = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
        {"Effect":"Allow","Action":["sqs:SendMessage"],"Resource":["arn:aws:sqs:us-east-1:123456789012:q"]}]}"#;
    let cfn = r#"{"Statement":[
        {"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:q"},
        {"Effect":"Allow","Action":["S3:GetObject"],"Resource":["arn:aws:s3:::b/*"]}]}"#;
    assert_eq!(findings(&[tf], &[cfn]), Vec::new());
}

#[test]
fn statements_split_or_merged_are_the_same_permissions() {
    let merged = r#"{"Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:*:*"}]}"#;
    let split_a = r#"{"Statement":[{"Effect":"Allow","Action":"logs:CreateLogStream","Resource":"arn:aws:logs:*:*:*"}]}"#;
    let split_b = r#"{"Statement":[{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"arn:aws:logs:*:*:*"}]}"#;
    assert_eq!(findings(&[merged], &[split_a, split_b]), Vec::new());
}

#[test]
fn an_account_id_equals_its_root_arn_and_condition_values_are_sets() {
    let tf = r#"{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"123456789012"},
        "Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/Team":["b","a"]}}}]}"#;
    let cfn = r#"{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":["arn:aws:iam::123456789012:root"]},
        "Resource":["*"],"Condition":{"StringEquals":{"AWS:PrincipalTag/Team":["a","b"]}}}]}"#;
    assert_eq!(findings(&[tf], &[cfn]), Vec::new());
}

#[test]
fn one_more_action_on_one_side_broadens_it() {
    let tf = r#"{"Statement":[{"Effect":"Allow","Action":["elasticfilesystem:ClientMount","elasticfilesystem:ClientWrite"],"Resource":"*"}]}"#;
    let cfn = r#"{"Statement":[{"Effect":"Allow","Action":["elasticfilesystem:ClientMount","elasticfilesystem:ClientRootAccess","elasticfilesystem:ClientWrite"],"Resource":"*"}]}"#;
    let found = findings(&[tf], &[cfn]);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f.status, Status::OnlyInCdk);
    assert!(f.broadens);
    assert_eq!(
        f.attribute,
        "Policies.Statement[Allow elasticfilesystem:clientrootaccess]"
    );
    assert_eq!(f.note.as_deref(), Some("CDK grants more than Terraform"));
    assert_eq!(
        f.cloudformation
            .as_ref()
            .unwrap()
            .value
            .as_ref()
            .unwrap()
            .to_string(),
        "{Action: [elasticfilesystem:clientrootaccess], Effect: Allow, Resource: [*]}"
    );
}

#[test]
fn a_different_condition_is_a_different_permission() {
    let tf = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#;
    let cfn = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    let found = findings(&[tf], &[cfn]);
    let statuses: Vec<Status> = found.iter().map(|f| f.status).collect();
    assert_eq!(statuses, vec![Status::OnlyInTerraform, Status::OnlyInCdk]);
}

#[test]
fn a_policy_unknown_before_apply_is_unverifiable() {
    let table = Table::builtin().unwrap();
    let rules = Rules::builtin().unwrap();
    let mut tf = role(
        ResourceId::Terraform {
            address: "aws_iam_role.r".into(),
        },
        &[],
    );
    tf.properties.insert(
        "Policies".to_owned(),
        Value::List(vec![Value::Map(Map::from([(
            "PolicyDocument".to_owned(),
            Value::Unknown(parity_model::Unknown::default()),
        )]))]),
    );
    let cfn = role(
        ResourceId::CloudFormation {
            stack: "S".into(),
            logical_id: "Role".into(),
        },
        &[r#"{"Statement":[]}"#],
    );
    let (tf, cfn) = ([tf], [cfn]);
    let alignment = Alignment {
        pairs: vec![Pair {
            terraform: 0,
            cloudformation: 0,
            method: PairMethod::Identity,
            confidence: 1.0,
            evidence: Default::default(),
        }],
        ..Alignment::default()
    };
    let cx = Context {
        table: &table,
        rules: &rules,
        terraform: &tf,
        cloudformation: &cfn,
        alignment: &alignment,
    };
    let refs = References::new(&table, &tf, &cfn, &alignment);
    let twins = Twins {
        terraform: &tf[0],
        cloudformation: &cfn[0],
        cx: &cx,
        refs: &refs,
    };
    let mut out = Vec::new();
    compare(&twins, rules.for_type("AWS::IAM::Role"), &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].status, Status::Unverifiable);
    assert_eq!(
        out[0].note.as_deref(),
        Some("Terraform knows this policy only after apply")
    );
}
