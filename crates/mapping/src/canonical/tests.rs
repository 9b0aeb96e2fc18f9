use parity_model::{Resource, ResourceId, Value};

use super::*;

#[test]
fn builtin_table_loads() {
    let table = Table::builtin().unwrap();
    assert!(table.types().count() > 0);
}

#[test]
fn container_definitions_become_pascal_case_but_log_options_keep_their_keys() {
    let table = Table::builtin().unwrap();
    let defs = Value::List(vec![Value::Map(BTreeMap::from([
        ("name".to_owned(), Value::from("api")),
        (
            "logConfiguration".to_owned(),
            Value::Map(BTreeMap::from([
                ("logDriver".to_owned(), Value::from("awslogs")),
                (
                    "options".to_owned(),
                    Value::Map(BTreeMap::from([(
                        "awslogs-group".to_owned(),
                        Value::from("/ecs/api"),
                    )])),
                ),
            ])),
        ),
    ]))]);
    let resource = Resource {
        id: ResourceId::Terraform {
            address: "aws_ecs_task_definition.api".into(),
        },
        resource_type: "aws_ecs_task_definition".into(),
        properties: BTreeMap::from([
            ("container_definitions".to_owned(), defs),
            ("family".to_owned(), Value::from("api")),
            ("arn".to_owned(), Value::from("arn:aws:ecs:...")),
            ("cpu".to_owned(), Value::Null),
        ]),
        action: None,
        construct_path: None,
        module: None,
        condition: None,
    };
    let canonical = canonicalize(&[resource], &table);
    let entity = &canonical.entities[0];
    assert_eq!(entity.canonical_type, "AWS::ECS::TaskDefinition");
    assert_eq!(
        entity.properties["ContainerDefinitions"].to_string(),
        "[{LogConfiguration: {LogDriver: awslogs, Options: {awslogs-group: /ecs/api}}, Name: api}]"
    );
    assert!(
        !entity.properties.contains_key("Cpu"),
        "null attributes are not set"
    );
    assert!(
        !entity.properties.contains_key("arn"),
        "unmapped attributes are not compared"
    );
}

#[test]
fn unknown_terraform_types_are_reported_as_unmapped() {
    let table = Table::builtin().unwrap();
    let resource = Resource {
        id: ResourceId::Terraform {
            address: "null_resource.x".into(),
        },
        resource_type: "null_resource".into(),
        properties: BTreeMap::new(),
        action: None,
        construct_path: None,
        module: None,
        condition: None,
    };
    let canonical = canonicalize(&[resource], &table);
    assert!(canonical.entities.is_empty());
    assert_eq!(canonical.unmapped.len(), 1);
}
