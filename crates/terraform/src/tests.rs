use std::path::Path;

use parity_model::{Action, Value};

use super::*;

fn load(text: &str) -> Result<TerraformInput, Error> {
    load_str(text, Path::new("plan.json"))
}

#[test]
fn unknown_and_sensitive_masks_become_values() {
    let input = load(
        r#"{"format_version":"1.2","resource_changes":[{"address":"aws_ssm_parameter.p","mode":"managed",
        "type":"aws_ssm_parameter","change":{"actions":["create"],"after":{"name":"/p","value":"s3cr3t"},
        "after_unknown":{"arn":true},"after_sensitive":{"value":true}}}]}"#,
    )
    .unwrap();
    let p = &input.resources[0];
    assert_eq!(input.kind, InputKind::Plan);
    assert_eq!(p.action, Some(Action::Create));
    assert!(matches!(p.properties["arn"], Value::Unknown(_)));
    assert_eq!(p.properties["value"].to_string(), "(sensitive)");
    assert_eq!(p.properties["name"], Value::from("/p"));
}

#[test]
fn deleted_resources_do_not_exist_after_apply() {
    let input = load(
        r#"{"format_version":"1.0","resource_changes":[{"address":"aws_x.gone","mode":"managed","type":"aws_x",
        "change":{"actions":["delete"],"before":{},"after":null}}]}"#,
    )
    .unwrap();
    assert!(input.resources.is_empty());
}

#[test]
fn container_definitions_are_decoded() {
    let input = load(
        r#"{"format_version":"1.2","resource_changes":[{"address":"aws_ecs_task_definition.t","mode":"managed",
        "type":"aws_ecs_task_definition","change":{"actions":["create"],
        "after":{"container_definitions":"[{\"name\":\"api\"}]"},"after_unknown":{}}}]}"#,
    )
    .unwrap();
    let defs = &input.resources[0].properties["container_definitions"];
    assert_eq!(
        defs.as_list().unwrap()[0].get("name"),
        Some(&Value::from("api"))
    );
}

#[test]
fn rejects_unknown_major_format_version() {
    let err = load(r#"{"format_version":"2.0","planned_values":{}}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "plan.json: at /format_version: unsupported format_version \"2.0\": iac-parity reads versions 0.1 to 1.x"
    );
}

#[test]
fn malformed_json_names_line_and_column() {
    let err = load("{\n  \"format_version\": ").unwrap_err();
    assert!(err.to_string().starts_with("plan.json:2:"), "{err}");
}

mod fixtures;

/// The repository's `testdata/` folder.
fn testdata() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

#[test]
fn every_real_plan_loads() {
    let dir = testdata().join("real/tfplan");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let input = load_file(&path).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(input.kind, InputKind::Plan, "{}", path.display());
        }
    }
}
