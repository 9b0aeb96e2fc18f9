use parity_mapping::{Entity, Table};
use parity_model::{Area, Map, Ref, ResourceId, TemplatePart, Unknown, Value};

use super::*;
use crate::align::{Pair, PairMethod};

fn check(tf: Value, cfn: Value) -> Verdict {
    let table = Table::builtin().unwrap();
    let refs = References::new(&table, &[], &[], &Alignment::default());
    compare(&tf, &cfn, &refs)
}

fn number(n: u64) -> Value {
    Value::Number(n.into())
}

#[test]
fn numbers_and_booleans_equal_their_strings() {
    assert_eq!(check(Value::from("10"), number(10)), Verdict::Equal);
    assert_eq!(
        check(Value::Bool(true), Value::from("true")),
        Verdict::Equal
    );
    assert_eq!(check(Value::from("1.0"), number(1)), Verdict::Equal);
    assert_eq!(check(Value::from("10"), number(11)), Verdict::Differs);
}

#[test]
fn a_scalar_equals_a_one_element_list() {
    assert_eq!(
        check(Value::from("a"), Value::List(vec![Value::from("a")])),
        Verdict::Equal
    );
    assert_eq!(
        check(
            Value::from("a"),
            Value::List(vec![Value::from("a"), Value::from("b")])
        ),
        Verdict::Differs
    );
}

#[test]
fn unknown_is_never_equal() {
    let unknown = Value::Unknown(Unknown::default());
    assert_eq!(check(unknown.clone(), unknown), Verdict::Unverifiable);
}

#[test]
fn sensitive_values_compare_by_their_content() {
    assert_eq!(
        check(Value::from("x").into_sensitive(), Value::from("x")),
        Verdict::Equal
    );
    assert_eq!(
        check(Value::from("x").into_sensitive(), Value::from("y")),
        Verdict::Differs
    );
}

#[test]
fn a_reference_and_a_literal_cannot_be_shown_equal() {
    assert_eq!(
        check(
            Value::from("arn:aws:x"),
            Value::Ref(Ref::resource("Secret"))
        ),
        Verdict::Unverifiable
    );
}

fn entity(id: ResourceId, source_type: &str) -> Entity {
    Entity {
        id,
        source_type: source_type.into(),
        canonical_type: "AWS::ECS::TaskDefinition".into(),
        area: Area::Ecs,
        properties: Map::new(),
        action: None,
        construct_path: None,
        folded: Vec::new(),
    }
}

/// The first Terraform entity and the first CloudFormation one are twins.
fn first_twins() -> Alignment {
    Alignment {
        pairs: vec![Pair {
            terraform: 0,
            cloudformation: 0,
            method: PairMethod::Identity,
            confidence: 1.0,
            evidence: Default::default(),
        }],
        ..Alignment::default()
    }
}

#[test]
fn references_are_equal_through_the_alignment() {
    let table = Table::builtin().unwrap();
    let tf = [entity(
        ResourceId::Terraform {
            address: "aws_ecs_task_definition.api".into(),
        },
        "aws_ecs_task_definition",
    )];
    let cfn = [entity(
        ResourceId::CloudFormation {
            stack: "ApiStack".into(),
            logical_id: "TaskDef".into(),
        },
        "AWS::ECS::TaskDefinition",
    )];
    let alignment = first_twins();
    let refs = References::new(&table, &tf, &cfn, &alignment);
    let tf_ref = Value::Template(vec![
        TemplatePart::Ref(Ref::attribute("aws_ecs_task_definition.api", "arn")),
        TemplatePart::Literal(":x".into()),
    ]);
    let cfn_ref = Value::Template(vec![
        TemplatePart::Ref(Ref::resource("TaskDef")),
        TemplatePart::Literal(":x".into()),
    ]);
    assert_eq!(compare(&tf_ref, &cfn_ref, &refs), Verdict::Equal);
    let other = Value::Template(vec![
        TemplatePart::Ref(Ref::resource("Other")),
        TemplatePart::Literal(":x".into()),
    ]);
    assert_eq!(compare(&tf_ref, &other, &refs), Verdict::Differs);
}

#[test]
fn an_undecided_choice_is_unverifiable_unless_both_branches_agree() {
    let choice = |a: Option<Value>, b: Option<Value>| {
        Value::Conditional(parity_model::Conditional {
            condition: "IsProd".into(),
            if_true: a.map(Box::new),
            if_false: b.map(Box::new),
        })
    };
    let same = choice(Some(Value::from("10")), Some(number(10)));
    assert_eq!(check(Value::from("10"), same), Verdict::Equal);
    let both_differ = choice(Some(Value::from("a")), Some(Value::from("b")));
    assert_eq!(check(Value::from("c"), both_differ), Verdict::Differs);
    let one_matches = choice(Some(Value::from("a")), None);
    assert_eq!(check(Value::from("a"), one_matches), Verdict::Unverifiable);
}

#[test]
fn arns_a_template_spells_otherwise_are_the_twins_arns() {
    let table = Table::builtin().unwrap();
    let with_type = |mut e: Entity, canonical_type: &str| {
        e.canonical_type = canonical_type.into();
        e
    };
    let tf = [
        with_type(
            entity(
                ResourceId::Terraform {
                    address: "aws_ssm_parameter.token".into(),
                },
                "aws_ssm_parameter",
            ),
            "AWS::SSM::Parameter",
        ),
        with_type(
            entity(
                ResourceId::Terraform {
                    address: "aws_cloudwatch_log_group.api".into(),
                },
                "aws_cloudwatch_log_group",
            ),
            "AWS::Logs::LogGroup",
        ),
    ];
    let cfn = [
        with_type(
            entity(
                ResourceId::CloudFormation {
                    stack: "ApiStack".into(),
                    logical_id: "Token".into(),
                },
                "AWS::SSM::Parameter",
            ),
            "AWS::SSM::Parameter",
        ),
        with_type(
            entity(
                ResourceId::CloudFormation {
                    stack: "ApiStack".into(),
                    logical_id: "LogGroup".into(),
                },
                "AWS::Logs::LogGroup",
            ),
            "AWS::Logs::LogGroup",
        ),
    ];
    let pair = |i| Pair {
        terraform: i,
        cloudformation: i,
        method: PairMethod::Identity,
        confidence: 1.0,
        evidence: Default::default(),
    };
    let alignment = Alignment {
        pairs: vec![pair(0), pair(1)],
        ..Alignment::default()
    };
    let refs = References::new(&table, &tf, &cfn, &alignment);
    let literal = |text: &str| TemplatePart::Literal(text.into());

    // CDK builds a parameter's ARN from its name; the provider has `arn`.
    let tf_arn = Value::Ref(Ref::attribute("aws_ssm_parameter.token", "arn"));
    let cfn_arn = Value::Template(vec![
        literal("arn:aws:ssm:us-east-1:123456789012:parameter"),
        TemplatePart::Ref(Ref::resource("Token")),
    ]);
    assert_eq!(compare(&tf_arn, &cfn_arn, &refs), Verdict::Equal);
    let elsewhere = Value::Template(vec![
        literal("arn:aws:ssm:us-east-1:123456789012:document/"),
        TemplatePart::Ref(Ref::resource("Token")),
    ]);
    assert_eq!(compare(&tf_arn, &elsewhere, &refs), Verdict::Differs);

    // A log group's `Fn::GetAtt Arn` ends in `:*`; the provider's `arn`
    // does not.
    let cfn_log = Value::Ref(Ref::attribute("LogGroup", "Arn"));
    let tf_log_streams = Value::Template(vec![
        TemplatePart::Ref(Ref::attribute("aws_cloudwatch_log_group.api", "arn")),
        literal(":*"),
    ]);
    assert_eq!(compare(&tf_log_streams, &cfn_log, &refs), Verdict::Equal);
    let tf_log = Value::Ref(Ref::attribute("aws_cloudwatch_log_group.api", "arn"));
    assert_eq!(compare(&tf_log, &cfn_log, &refs), Verdict::Differs);
}

#[test]
fn known_parts_of_a_string_tell_it_apart() {
    let dns = || TemplatePart::Ref(Ref::attribute("Alb", "DNSName"));
    let fallback = Value::Template(vec![TemplatePart::Literal("http://".into()), dns()]);
    assert_eq!(
        check(Value::from("https://auth.example.com"), fallback),
        Verdict::Differs
    );
    let same_scheme = Value::Template(vec![TemplatePart::Literal("https://".into()), dns()]);
    assert_eq!(
        check(Value::from("https://auth.example.com"), same_scheme),
        Verdict::Unverifiable
    );
    // An unknown secret ARN with another JSON key is another value.
    let tf = Value::Template(vec![
        TemplatePart::Unknown(Unknown {
            refs: vec!["aws_secretsmanager_secret.db".into()],
            reason: None,
        }),
        TemplatePart::Literal(":username::".into()),
    ]);
    let cfn = Value::Template(vec![
        TemplatePart::Ref(Ref::resource("Db")),
        TemplatePart::Literal(":password::".into()),
    ]);
    assert_eq!(check(tf.clone(), cfn), Verdict::Differs);
    let cfn = Value::Template(vec![
        TemplatePart::Ref(Ref::resource("Db")),
        TemplatePart::Literal(":username::".into()),
    ]);
    assert_eq!(check(tf, cfn), Verdict::Unverifiable);
}

#[test]
fn every_text_that_parses_as_a_number_is_read_as_one() {
    // What is told apart without parsing must be no number at all.
    for text in [
        "1",
        "-1.5",
        "+3",
        ".5",
        "5.",
        "1e5",
        "-2E-3",
        "inf",
        "-Infinity",
        "+INF",
        "NaN",
        "nan",
        "0x10",
        "sg-123",
        "abc",
        "",
        "-",
        "+",
        "e5",
        "tcp",
        "ingress",
        "10.0.0.0/16",
    ] {
        if text.parse::<f64>().is_ok() {
            assert!(may_be_number(text), "{text:?} parses as a number");
        }
    }
    assert!(numerically_equal("1.0", "1"));
    assert!(numerically_equal("+1", "1e0"));
    assert!(!numerically_equal("sg-1", "sg-1.0"));
    assert!(!may_be_number("sg-123"));
    assert!(!may_be_number("tcp"));
}

/// A container's log group, written out by name in Terraform and
/// referenced in the template (whose log group CloudFormation names at
/// deploy): the literal is what the Terraform twin of the referenced log
/// group is called, so both take their own twin. Another name cannot be
/// shown equal.
#[test]
fn a_literal_that_is_the_twin_s_name_equals_the_reference() {
    let table = Table::builtin().unwrap();
    let log_group = |id, source_type: &str, name: Option<&str>| {
        let mut e = entity(id, source_type);
        e.canonical_type = "AWS::Logs::LogGroup".into();
        e.area = Area::Other;
        if let Some(name) = name {
            e.properties
                .insert("LogGroupName".into(), Value::from(name));
        }
        e
    };
    let tf = [log_group(
        ResourceId::Terraform {
            address: "aws_cloudwatch_log_group.api".into(),
        },
        "aws_cloudwatch_log_group",
        Some("/ecs/api"),
    )];
    let cfn = [log_group(
        ResourceId::CloudFormation {
            stack: "ApiStack".into(),
            logical_id: "ApiLogs".into(),
        },
        "AWS::Logs::LogGroup",
        None,
    )];
    let reference = Value::Ref(Ref::resource("ApiLogs"));
    let unpaired = References::new(&table, &tf, &cfn, &Alignment::default());
    assert_eq!(
        compare(&Value::from("/ecs/api"), &reference, &unpaired),
        Verdict::Unverifiable
    );
    let alignment = first_twins();
    let refs = References::new(&table, &tf, &cfn, &alignment);
    assert_eq!(
        compare(&Value::from("/ecs/api"), &reference, &refs),
        Verdict::Equal
    );
    assert_eq!(
        compare(&Value::from("/ecs/other"), &reference, &refs),
        Verdict::Unverifiable
    );
}

/// A service takes its task definition by family and revision, as the
/// registry module writes it, where the template refers to the task
/// definition: the same resource when the family is the twin's.
#[test]
fn a_family_and_revision_names_the_twin_task_definition() {
    let table = Table::builtin().unwrap();
    let mut tf = entity(
        ResourceId::Terraform {
            address: "aws_ecs_task_definition.web".into(),
        },
        "aws_ecs_task_definition",
    );
    tf.properties.insert("Family".into(), Value::from("web"));
    let cfn = entity(
        ResourceId::CloudFormation {
            stack: "Stack".into(),
            logical_id: "TaskDef".into(),
        },
        "AWS::ECS::TaskDefinition",
    );
    let (tf, cfn) = ([tf], [cfn]);
    let reference = Value::Ref(Ref::resource("TaskDef"));
    let refs = References::new(&table, &tf, &cfn, &first_twins());
    for name in ["web", "web:3"] {
        assert!(refs.same_resource(&Value::from(name), &reference), "{name}");
    }
    for name in ["web:", "web:latest", "web-2:3", "other"] {
        assert!(
            !refs.same_resource(&Value::from(name), &reference),
            "{name}"
        );
    }
    let unpaired = References::new(&table, &tf, &cfn, &Alignment::default());
    assert!(!unpaired.same_resource(&Value::from("web:3"), &reference));
}

/// An IAM statement on `*` against one on a log group the template names
/// (CDK's grant to the execution role): no log group's ARN is `*`, so they
/// differ, whatever the ARN turns out to be. A template parameter may hold
/// `*`: a reference to one stays undecided, as another literal does.
#[test]
fn a_wildcard_is_no_resource_s_attribute() {
    let table = Table::builtin().unwrap();
    let mut log_group = entity(
        ResourceId::CloudFormation {
            stack: "ApiStack".into(),
            logical_id: "ApiLogs".into(),
        },
        "AWS::Logs::LogGroup",
    );
    log_group.canonical_type = "AWS::Logs::LogGroup".into();
    let cfn = [log_group];
    let refs = References::new(&table, &[], &cfn, &Alignment::default());
    let arn = Value::Ref(Ref::attribute("ApiLogs", "Arn"));
    assert_eq!(compare(&Value::from("*"), &arn, &refs), Verdict::Differs);
    // A log group's ARN ends in `:*`: a literal with a wildcard in it may
    // be one.
    assert_eq!(
        compare(
            &Value::from("arn:aws:logs:eu-west-1:1:log-group:x:*"),
            &arn,
            &refs
        ),
        Verdict::Unverifiable
    );
    let parameter = Value::Ref(Ref::resource("ResourceParameter"));
    assert_eq!(
        compare(&Value::from("*"), &parameter, &refs),
        Verdict::Unverifiable
    );
    // And the other way round: a Terraform reference to one of its
    // resources against a template's `*`.
    let tf = [entity(
        ResourceId::Terraform {
            address: "aws_cloudwatch_log_group.api".into(),
        },
        "aws_cloudwatch_log_group",
    )];
    let refs = References::new(&table, &tf, &[], &Alignment::default());
    let tf_arn = Value::Ref(Ref::attribute("aws_cloudwatch_log_group.api", "arn"));
    assert_eq!(compare(&tf_arn, &Value::from("*"), &refs), Verdict::Differs);
}

#[test]
fn a_dynamic_reference_is_known_only_at_deploy() {
    // The database's password read from its secret, as CDK writes it.
    let from_secret = Value::Template(vec![
        TemplatePart::Literal("{{resolve:secretsmanager:".into()),
        TemplatePart::Ref(Ref::resource("DbSecret")),
        TemplatePart::Literal(":SecretString:password::}}".into()),
    ]);
    let password = Value::Sensitive(Box::new(Value::from("hunter2")));
    assert_eq!(
        check(password.clone(), Value::Sensitive(Box::new(from_secret))),
        Verdict::Unverifiable
    );
    assert_eq!(
        check(
            Value::from("admin"),
            Value::from("{{resolve:ssm:/db/user}}")
        ),
        Verdict::Unverifiable
    );
    // Known text around the reference does not make it differ either.
    assert_eq!(
        check(
            Value::from("postgresql://app:pw@db:5432/app"),
            Value::from("postgresql://{{resolve:ssm:/db/user}}:x@db:5432/app")
        ),
        Verdict::Unverifiable
    );
    // The same reference written on both sides is the same value.
    assert_eq!(
        check(
            Value::from("{{resolve:ssm:/db/user}}"),
            Value::from("{{resolve:ssm:/db/user}}")
        ),
        Verdict::Equal
    );
}
