use parity_mapping::Table;
use parity_model::{Area, Finding, FindingSide, FixLanguage, Ref, Severity, Side, Status, Value};

use super::{Context, fix, steps};

fn context(table: &Table, language: FixLanguage) -> Context<'_> {
    Context {
        table,
        rules: crate::builtin_rules().unwrap(),
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

/// A finding between twins of `resource_type`, each side's value given.
fn finding(
    resource_type: &str,
    address: &str,
    attribute: &str,
    terraform: Option<Value>,
    cloudformation: Option<Value>,
) -> Finding {
    let mut f = env_finding(terraform, cloudformation);
    f.resource_type = resource_type.into();
    f.attribute = attribute.into();
    f.terraform.as_mut().unwrap().resource = address.into();
    f
}

fn text(s: &str) -> Value {
    Value::String(s.into())
}

fn map(entries: &[(&str, Value)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

/// The fix of each side, in HCL, TypeScript and Python: the HCL parses
/// and ends with `hcl`, the CDK code ends with `typescript` / `python`.
fn fixes_are(f: &Finding, hcl: &str, typescript: &str, python: &str) {
    let table = Table::builtin().unwrap();
    let ts = context(&table, FixLanguage::TypeScript);
    let terraform = fix(f, Side::Terraform, &ts).unwrap_or_else(|| panic!("no HCL: {f:?}"));
    assert_eq!(terraform.language, FixLanguage::Hcl);
    parses_as_hcl(&terraform.code);
    assert!(
        terraform.code.ends_with(hcl),
        "{}:\n{}",
        f.attribute,
        terraform.code
    );
    for (language, expected) in [
        (FixLanguage::TypeScript, typescript),
        (FixLanguage::Python, python),
    ] {
        let cdk = fix(f, Side::CloudFormation, &context(&table, language))
            .unwrap_or_else(|| panic!("no {language:?}: {f:?}"));
        assert_eq!(cdk.language, language, "{}:\n{}", f.attribute, cdk.code);
        assert!(
            cdk.code.ends_with(expected),
            "{} ({language:?}):\n{}",
            f.attribute,
            cdk.code
        );
    }
}

#[test]
fn an_env_var_is_added_changed_or_removed() {
    let td = "AWS::ECS::TaskDefinition";
    let at = "ContainerDefinitions[api].Environment[LOG_LEVEL]";
    let address = "aws_ecs_task_definition.api";
    // Changed: each side gets the other's value.
    fixes_are(
        &finding(td, address, at, Some(text("info")), Some(text("debug"))),
        "environment = [\n  { name = \"LOG_LEVEL\", value = \"debug\" },\n]",
        "container.addEnvironment(\"LOG_LEVEL\", \"info\");",
        "container.add_environment(\"LOG_LEVEL\", \"info\")",
    );
    // Only in the CDK: Terraform adds it, the CDK app removes it.
    fixes_are(
        &finding(td, address, at, None, Some(text("debug"))),
        "environment = [\n  { name = \"LOG_LEVEL\", value = \"debug\" },\n]",
        "// remove (Terraform does not have it): delete what does this\n// container.addEnvironment(\"LOG_LEVEL\", \"debug\");",
        "# remove (Terraform does not have it): delete what does this\n# container.add_environment(\"LOG_LEVEL\", \"debug\")",
    );
    // Only in Terraform: Terraform removes it, the CDK app adds it.
    fixes_are(
        &finding(td, address, at, Some(text("info")), None),
        "# remove (the CDK does not have it):\n# environment = [\n#   { name = \"LOG_LEVEL\", value = \"info\" },\n# ]",
        "container.addEnvironment(\"LOG_LEVEL\", \"info\");",
        "container.add_environment(\"LOG_LEVEL\", \"info\")",
    );
}

#[test]
fn a_secret_is_added_or_changed() {
    let td = "AWS::ECS::TaskDefinition";
    let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
    fixes_are(
        &finding(
            td,
            "aws_ecs_task_definition.api",
            "ContainerDefinitions[api].Secrets[DB_PASSWORD]",
            None,
            Some(map(&[
                ("Name", text("DB_PASSWORD")),
                ("ValueFrom", text(&format!("{arn}:password::"))),
            ])),
        ),
        &format!(
            "secrets = [\n  {{ name = \"DB_PASSWORD\", valueFrom = \"{arn}:password::\" }},\n]"
        ),
        "// container.addSecret(\"DB_PASSWORD\", ecs.Secret.fromSecretsManager(secret, \"password\"));",
        "# container.add_secret(\"DB_PASSWORD\", ecs.Secret.from_secrets_manager(secret, \"password\"))",
    );
    fixes_are(
        &finding(
            td,
            "aws_ecs_task_definition.api",
            "ContainerDefinitions[api].Secrets[DB_USER].ValueFrom",
            Some(text(&format!("{arn}:username::"))),
            Some(text(&format!("{arn}:user::"))),
        ),
        &format!("secrets = [\n  {{ name = \"DB_USER\", valueFrom = \"{arn}:user::\" }},\n]"),
        "container.addSecret(\"DB_USER\", ecs.Secret.fromSecretsManager(secret, \"username\"));",
        "container.add_secret(\"DB_USER\", ecs.Secret.from_secrets_manager(secret, \"username\"))",
    );
}

#[test]
fn an_efs_volume_access_point_and_mount_point() {
    let td = "AWS::ECS::TaskDefinition";
    let address = "aws_ecs_task_definition.api";
    // A volume only Terraform has: the CDK app adds it.
    let volume = map(&[
        ("Name", text("cache")),
        (
            "EFSVolumeConfiguration",
            map(&[
                ("FilesystemId", text("fs-12345678")),
                ("TransitEncryption", text("ENABLED")),
                (
                    "AuthorizationConfig",
                    map(&[("AccessPointId", text("fsap-1")), ("IAM", text("ENABLED"))]),
                ),
            ]),
        ),
    ]);
    fixes_are(
        &finding(td, address, "Volumes[cache]", Some(volume), None),
        "# volume {\n#   name = \"cache\"\n#   efs_volume_configuration {\n#     authorization_config {\n#       access_point_id = \"fsap-1\"\n#       iam = \"ENABLED\"\n#     }\n#     file_system_id = \"fs-12345678\"\n#     transit_encryption = \"ENABLED\"\n#   }\n# }",
        "taskDefinition.addVolume({ name: \"cache\", efsVolumeConfiguration: { fileSystemId: \"fs-12345678\", transitEncryption: \"ENABLED\", authorizationConfig: { accessPointId: \"fsap-1\", iam: \"ENABLED\" } } });",
        "task_definition.add_volume(name=\"cache\", efs_volume_configuration=ecs.EfsVolumeConfiguration(file_system_id=\"fs-12345678\", transit_encryption=\"ENABLED\", authorization_config=ecs.AuthorizationConfig(access_point_id=\"fsap-1\", iam=\"ENABLED\")))",
    );
    // A setting of a volume both have: Terraform's block of that volume;
    // the CDK side gets the CloudFormation property, the volume named.
    let f = finding(
        td,
        address,
        "Volumes[data].EFSVolumeConfiguration.TransitEncryption",
        Some(text("DISABLED")),
        Some(text("ENABLED")),
    );
    let table = Table::builtin().unwrap();
    let hcl = fix(
        &f,
        Side::Terraform,
        &context(&table, FixLanguage::TypeScript),
    )
    .unwrap();
    parses_as_hcl(&hcl.code);
    assert!(
        hcl.code.ends_with(
            "volume {\n  name = \"data\"\n  efs_volume_configuration {\n    transit_encryption = \"ENABLED\"\n  }\n}"
        ),
        "{}",
        hcl.code
    );
    let cdk = fix(
        &f,
        Side::CloudFormation,
        &context(&table, FixLanguage::Python),
    )
    .unwrap();
    assert_eq!(cdk.language, FixLanguage::CloudFormation);
    assert!(
        cdk.code.ends_with(
            "Properties:\n  Volumes:\n  - Name: data\n    EFSVolumeConfiguration:\n      TransitEncryption: DISABLED"
        ),
        "{}",
        cdk.code
    );
    fixes_are(
        &finding(
            "AWS::EFS::AccessPoint",
            "aws_efs_access_point.data",
            "PosixUser.Uid",
            Some(Value::Number(1000.into())),
            Some(text("1001")),
        ),
        "posix_user {\n  uid = \"1001\"\n}",
        "(accessPoint.node.defaultChild as cdk.CfnResource).addPropertyOverride(\"PosixUser.Uid\", 1000);",
        "access_point.node.default_child.add_property_override(\"PosixUser.Uid\", 1000)",
    );
    fixes_are(
        &finding(
            td,
            address,
            "ContainerDefinitions[api].MountPoints[data /mnt/data].ReadOnly",
            Some(Value::Bool(false)),
            Some(Value::Bool(true)),
        ),
        "mountPoints = [\n  { containerPath = \"/mnt/data\", readOnly = true, sourceVolume = \"data\" },\n]",
        "container.addMountPoints({ sourceVolume: \"data\", containerPath: \"/mnt/data\", readOnly: false });",
        "container.add_mount_points(ecs.MountPoint(source_volume=\"data\", container_path=\"/mnt/data\", read_only=False))",
    );
}

#[test]
fn a_health_check_and_a_listener_rule() {
    fixes_are(
        &finding(
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            "aws_lb_target_group.api",
            "HealthCheckIntervalSeconds",
            Some(Value::Number(30.into())),
            Some(Value::Number(15.into())),
        ),
        "health_check {\n  interval = 15\n}",
        "targetGroup.configureHealthCheck({ interval: cdk.Duration.seconds(30) });",
        "target_group.configure_health_check(interval=cdk.Duration.seconds(30))",
    );
    let rule = "AWS::ElasticLoadBalancingV2::ListenerRule";
    let address = "aws_lb_listener_rule.api";
    fixes_are(
        &finding(
            rule,
            address,
            "Priority",
            Some(Value::Number(10.into())),
            Some(Value::Number(15.into())),
        ),
        "priority = 15",
        "(listenerRule.node.defaultChild as cdk.CfnResource).addPropertyOverride(\"Priority\", 10);",
        "listener_rule.node.default_child.add_property_override(\"Priority\", 10)",
    );
    // Conditions are compared in order: the item is named by its position.
    fixes_are(
        &finding(
            rule,
            address,
            "Conditions[0].PathPatternConfig.Values",
            Some(Value::List(vec![text("/api/*")])),
            Some(Value::List(vec![text("/v2/*")])),
        ),
        "# the 1st condition block (blocks in order, counted from 1)\ncondition {\n  path_pattern {\n    values = [\"/v2/*\"]\n  }\n}",
        "(listenerRule.node.defaultChild as cdk.CfnResource).addPropertyOverride(\"Conditions.0.PathPatternConfig.Values\", [\"/api/*\"]);",
        "listener_rule.node.default_child.add_property_override(\"Conditions.0.PathPatternConfig.Values\", [\"/api/*\"])",
    );
    let conditions = Value::List(vec![
        map(&[(
            "PathPatternConfig",
            map(&[("Values", Value::List(vec![text("/api/*")]))]),
        )]),
        map(&[(
            "HostHeaderConfig",
            map(&[("Values", Value::List(vec![text("api.example.com")]))]),
        )]),
    ]);
    fixes_are(
        &finding(rule, address, "Conditions", None, Some(conditions)),
        "# in place of every condition block\ncondition {\n  path_pattern {\n    values = [\"/api/*\"]\n  }\n}\ncondition {\n  host_header {\n    values = [\"api.example.com\"]\n  }\n}",
        "addPropertyDeletionOverride(\"Conditions\");",
        "add_property_deletion_override(\"Conditions\")",
    );
}

#[test]
fn an_iam_statement_on_a_role() {
    let statement = map(&[
        ("Action", Value::List(vec![text("s3:getobject")])),
        ("Effect", text("Allow")),
        ("Resource", Value::List(vec![text("arn:aws:s3:::bucket/*")])),
    ]);
    fixes_are(
        &finding(
            "AWS::IAM::Role",
            "aws_iam_role.task",
            "Policies.Statement[Allow s3:getobject]",
            Some(statement),
            None,
        ),
        "statement {\n#   actions = [\"s3:getobject\"]\n#   effect = \"Allow\"\n#   resources = [\"arn:aws:s3:::bucket/*\"]\n# }",
        "role.addToPolicy(new iam.PolicyStatement({ actions: [\"s3:getobject\"], effect: iam.Effect.ALLOW, resources: [\"arn:aws:s3:::bucket/*\"] }));",
        "role.add_to_policy(iam.PolicyStatement(actions=[\"s3:getobject\"], effect=iam.Effect.ALLOW, resources=[\"arn:aws:s3:::bucket/*\"]))",
    );
}

#[test]
fn service_settings() {
    let service = "AWS::ECS::Service";
    fixes_are(
        &finding(
            service,
            "aws_ecs_service.api",
            "DesiredCount",
            Some(Value::Number(2.into())),
            Some(Value::Number(3.into())),
        ),
        "desired_count = 3",
        "(service.node.defaultChild as cdk.CfnResource).addPropertyOverride(\"DesiredCount\", 2);",
        "service.node.default_child.add_property_override(\"DesiredCount\", 2)",
    );
    let breaker = map(&[
        ("Enable", Value::Bool(true)),
        ("Rollback", Value::Bool(true)),
    ]);
    fixes_are(
        &finding(
            service,
            "aws_ecs_service.api",
            "DeploymentConfiguration.DeploymentCircuitBreaker",
            Some(breaker),
            None,
        ),
        "# deployment_circuit_breaker {\n#   enable = true\n#   rollback = true\n# }",
        "(service.node.defaultChild as cdk.CfnResource).addPropertyOverride(\"DeploymentConfiguration.DeploymentCircuitBreaker\", { \"Enable\": true, \"Rollback\": true });",
        "service.node.default_child.add_property_override(\"DeploymentConfiguration.DeploymentCircuitBreaker\", { \"Enable\": True, \"Rollback\": True })",
    );
    for (attribute, tf, cfn) in [("Cpu", "512", "1024"), ("Memory", "1024", "2048")] {
        fixes_are(
            &finding(
                "AWS::ECS::TaskDefinition",
                "aws_ecs_task_definition.api",
                attribute,
                Some(text(tf)),
                Some(text(cfn)),
            ),
            &format!("{} = \"{cfn}\"", attribute.to_lowercase()),
            &format!(
                "(taskDefinition.node.defaultChild as cdk.CfnResource).addPropertyOverride(\"{attribute}\", \"{tf}\");"
            ),
            &format!(
                "task_definition.node.default_child.add_property_override(\"{attribute}\", \"{tf}\")"
            ),
        );
    }
}

#[test]
fn other_types_get_the_cloudformation_property_and_value() {
    let f = finding(
        "AWS::Logs::LogGroup",
        "aws_cloudwatch_log_group.api",
        "RetentionInDays",
        Some(Value::Number(30.into())),
        Some(Value::Number(7.into())),
    );
    let table = Table::builtin().unwrap();
    for language in [FixLanguage::TypeScript, FixLanguage::Python] {
        let cdk = fix(&f, Side::CloudFormation, &context(&table, language)).unwrap();
        assert_eq!(cdk.language, FixLanguage::CloudFormation);
        assert!(
            cdk.code.ends_with("Properties:\n  RetentionInDays: 30"),
            "{}",
            cdk.code
        );
    }
    let hcl = fix(
        &f,
        Side::Terraform,
        &context(&table, FixLanguage::TypeScript),
    )
    .unwrap();
    parses_as_hcl(&hcl.code);
    assert!(hcl.code.ends_with("retention_in_days = 7"), "{}", hcl.code);
}

#[test]
fn values_spelled_otherwise_are_written_as_terraform_spells_them() {
    let table = Table::builtin().unwrap();
    let f = finding(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "aws_lb.api",
        "Scheme",
        Some(text("internet-facing")),
        Some(text("internal")),
    );
    let hcl = fix(
        &f,
        Side::Terraform,
        &context(&table, FixLanguage::TypeScript),
    )
    .unwrap();
    parses_as_hcl(&hcl.code);
    assert!(hcl.code.ends_with("\ninternal = true"), "{}", hcl.code);
    // A value without another spelling is written as it is.
    let f = finding(
        "AWS::Logs::LogGroup",
        "aws_cloudwatch_log_group.api",
        "RetentionInDays",
        None,
        Some(Value::Number(14.into())),
    );
    let hcl = fix(
        &f,
        Side::Terraform,
        &context(&table, FixLanguage::TypeScript),
    )
    .unwrap();
    assert!(
        hcl.code.ends_with("\nretention_in_days = 14"),
        "{}",
        hcl.code
    );
}

#[test]
fn a_property_terraform_writes_in_a_folded_piece_is_written_there() {
    let table = Table::builtin().unwrap();
    let secret = Value::Sensitive(Box::new(text("hunter2")));
    let f = finding(
        "AWS::SecretsManager::Secret",
        "aws_secretsmanager_secret.db",
        "SecretString",
        Some(secret.clone()),
        Some(secret),
    );
    let hcl = fix(
        &f,
        Side::Terraform,
        &context(&table, FixLanguage::TypeScript),
    )
    .unwrap();
    parses_as_hcl(&hcl.code);
    assert!(
        hcl.code.starts_with(
            "# the aws_secretsmanager_secret_version whose secret_id is aws_secretsmanager_secret.db\n"
        ),
        "{}",
        hcl.code
    );
    assert!(
        hcl.code.ends_with("\nsecret_string = var.sensitive_value"),
        "{}",
        hcl.code
    );
    assert!(!hcl.code.contains("hunter2"), "{}", hcl.code);
}
