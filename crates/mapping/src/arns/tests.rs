use std::collections::BTreeMap;

use parity_model::Unknown;

use super::*;
use crate::Table;

/// Reads `parts` as if the targets were of these types.
fn read_as(parts: &[TemplatePart]) -> Option<Vec<TemplatePart>> {
    read_with(parts, read_arns)
}

fn with_suffixes(parts: &[TemplatePart]) -> Option<Vec<TemplatePart>> {
    read_with(parts, with_get_att_suffixes)
}

type Reader = for<'t> fn(
    &[TemplatePart],
    &dyn Fn(&str) -> Option<&'t CloudFormationType>,
) -> Option<Vec<TemplatePart>>;

fn read_with(parts: &[TemplatePart], reader: Reader) -> Option<Vec<TemplatePart>> {
    let table = Table::builtin().unwrap();
    let types = BTreeMap::from([
        ("Token", "AWS::SSM::Parameter"),
        ("AccessPoint", "AWS::EFS::AccessPoint"),
        ("ApiStack/AccessPoint", "AWS::EFS::AccessPoint"),
        ("LogGroup", "AWS::Logs::LogGroup"),
        ("Queue", "AWS::SQS::Queue"),
    ]);
    reader(parts, &|target| {
        types.get(target).and_then(|t| table.cloudformation_type(t))
    })
}

fn literal(text: &str) -> TemplatePart {
    TemplatePart::Literal(text.to_owned())
}

fn reference(target: &str) -> TemplatePart {
    TemplatePart::Ref(Ref::resource(target))
}

fn get_att(target: &str, attribute: &str) -> TemplatePart {
    TemplatePart::Ref(Ref::attribute(target, attribute))
}

#[test]
fn an_arn_built_from_a_ref_is_the_arn() {
    assert_eq!(
        read_as(&[
            literal("arn:aws:ssm:us-east-1:123456789012:parameter"),
            reference("Token"),
        ]),
        Some(vec![get_att("Token", "Arn")])
    );
    // Inside a longer string, with what only deploy time knows.
    let unknown = |name: &str| {
        TemplatePart::Unknown(Unknown {
            refs: vec![name.to_owned()],
            reason: None,
        })
    };
    assert_eq!(
        read_as(&[
            literal("x:arn:"),
            unknown("AWS::Partition"),
            literal(":elasticfilesystem:"),
            unknown("AWS::Region"),
            literal(":123456789012:access-point/"),
            reference("ApiStack/AccessPoint"),
            literal("/*"),
        ]),
        Some(vec![
            literal("x:"),
            get_att("ApiStack/AccessPoint", "Arn"),
            literal("/*"),
        ])
    );
}

#[test]
fn other_spellings_are_not_arns() {
    for parts in [
        // Another service, another resource type, no ARN before the Ref.
        &[
            literal("arn:aws:sqs:us-east-1:123456789012:parameter"),
            reference("Token"),
        ][..],
        &[
            literal("arn:aws:ssm:us-east-1:123456789012:parameter"),
            reference("Queue"),
        ],
        &[literal("parameter"), reference("Token")],
        &[reference("Token")],
        &[get_att("AccessPoint", "Arn")],
        &[reference("Unknown")],
    ] {
        assert_eq!(read_as(parts), None, "{parts:?}");
    }
}

#[test]
fn a_log_groups_arn_ends_in_a_wildcard() {
    assert_eq!(
        with_suffixes(&[get_att("LogGroup", "Arn")]),
        Some(vec![get_att("LogGroup", "Arn"), literal(":*")])
    );
    assert_eq!(
        with_suffixes(&[literal("x "), get_att("LogGroup", "Arn"), literal(":*")]),
        Some(vec![
            literal("x "),
            get_att("LogGroup", "Arn"),
            literal(":*:*")
        ])
    );
    assert_eq!(with_suffixes(&[reference("LogGroup")]), None);
    assert_eq!(with_suffixes(&[get_att("AccessPoint", "Arn")]), None);
    assert_eq!(read_as(&[get_att("LogGroup", "Arn")]), None);
}
