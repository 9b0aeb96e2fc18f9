use parity_mapping::Table;
use parity_model::{Area, Finding, FindingSide, FixLanguage, Ref, Severity, Side, Status, Value};

use super::{Context, fix, steps};

fn context(table: &Table, language: FixLanguage) -> Context<'_> {
    Context {
        table,
        cloudformation_twin: [("aws_lb.api".to_owned(), "Alb16C2F182".to_owned())].into(),
        terraform_twin: [("Alb16C2F182".to_owned(), "aws_lb.api".to_owned())].into(),
        cdk_language: language,
    }
}

fn env_finding(terraform: Option<Value>, cloudformation: Option<Value>) -> Finding {
    let side = |resource: &str, stack: Option<&str>, value| FindingSide {
        resource: resource.into(),
        stack: stack.map(Into::into),
        value,
        location: None,
    };
    Finding {
        area: Area::Env,
        severity: Severity::MustFix,
        status: Status::Differs,
        resource_type: "AWS::ECS::TaskDefinition".into(),
        attribute: "ContainerDefinitions[api].Environment[TOKEN]".into(),
        terraform: Some(side("aws_ecs_task_definition.api", None, terraform)),
        cloudformation: Some(side("TaskDef", Some("App"), cloudformation)),
        note: None,
        broadens: false,
        members: Vec::new(),
        fixes: Vec::new(),
    }
}

fn parses_as_hcl(code: &str) {
    if let Err(e) = hcl_edit::parser::parse_body(code) {
        panic!("not HCL: {e}\n{code}");
    }
}

#[test]
fn attributes_split_into_steps_with_keys_holding_dots_and_spaces() {
    let s = steps("ContainerDefinitions[api].MountPoints[data /mnt/data].ReadOnly");
    let names: Vec<(&str, Option<&str>)> = s.iter().map(|s| (s.name, s.key)).collect();
    assert_eq!(
        names,
        [
            ("ContainerDefinitions", Some("api")),
            ("MountPoints", Some("data /mnt/data")),
            ("ReadOnly", None)
        ]
    );
    let s = steps("TargetGroupAttributes[deregistration_delay.timeout_seconds]");
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].key, Some("deregistration_delay.timeout_seconds"));
}

#[test]
fn a_sensitive_value_never_appears_in_a_fix() {
    let table = Table::builtin().unwrap();
    let secret = Value::Sensitive(Box::new(Value::String("hunter2".into())));
    let finding = env_finding(Some(secret.clone()), Some(secret));
    for language in [FixLanguage::TypeScript, FixLanguage::Python] {
        let context = context(&table, language);
        for side in [Side::Terraform, Side::CloudFormation] {
            let fix = fix(&finding, side, &context).unwrap();
            assert!(!fix.code.contains("hunter2"), "{}", fix.code);
            assert!(fix.code.contains("sensitive"), "{}", fix.code);
            if side == Side::Terraform {
                parses_as_hcl(&fix.code);
            }
        }
    }
}

#[test]
fn hcl_strings_escape_what_terraform_would_read_as_templates() {
    let table = Table::builtin().unwrap();
    let context = context(&table, FixLanguage::TypeScript);
    let value = Value::String("a \"quoted\" ${not.a.ref} %{if x}\\n\nline\u{202e}".into());
    let finding = env_finding(None, Some(value));
    let fix = fix(&finding, Side::Terraform, &context).unwrap();
    parses_as_hcl(&fix.code);
    assert!(fix.code.contains("$${not.a.ref} %%{if x}"), "{}", fix.code);
    assert!(!fix.code.contains('\u{202e}'), "{}", fix.code);
}

#[test]
fn references_become_the_twins_names_on_the_side_to_fix() {
    let table = Table::builtin().unwrap();
    let context = context(&table, FixLanguage::Python);
    let cfn = Value::Template(vec![
        "http://".into(),
        Ref::attribute("Alb16C2F182", "DNSName").into(),
    ]);
    let tf = Value::Template(vec![
        "https://".into(),
        Ref::attribute("aws_lb.api", "dns_name").into(),
    ]);
    let finding = env_finding(Some(tf), Some(cfn));
    let hcl = fix(&finding, Side::Terraform, &context).unwrap();
    parses_as_hcl(&hcl.code);
    assert!(
        hcl.code.contains("\"http://${aws_lb.api.dns_name}\""),
        "{}",
        hcl.code
    );
    let python = fix(&finding, Side::CloudFormation, &context).unwrap();
    assert_eq!(python.language, FixLanguage::Python);
    assert!(
        python.code.ends_with(
            "container.add_environment(\"TOKEN\", cdk.Fn.join(\"\", [\"https://\", cdk.Fn.get_att(\"Alb16C2F182\", \"DNSName\").to_string()]))"
        ),
        "{}",
        python.code
    );
}

#[test]
fn a_reference_to_a_resource_without_twin_gives_no_fix() {
    let table = Table::builtin().unwrap();
    let context = context(&table, FixLanguage::TypeScript);
    let finding = env_finding(
        Some(Value::String("x".into())),
        Some(Value::Ref(Ref::attribute("Lonely", "Arn"))),
    );
    assert!(fix(&finding, Side::Terraform, &context).is_none());
    assert!(fix(&finding, Side::CloudFormation, &context).is_some());
}
