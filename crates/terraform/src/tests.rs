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
            // States are named so (SOURCES.md).
            let name = path.file_name().unwrap().to_string_lossy();
            let kind = if name.contains("-state-") {
                InputKind::State
            } else {
                InputKind::Plan
            };
            assert_eq!(input.kind, kind, "{}", path.display());
        }
    }
}

#[test]
fn an_empty_state_has_no_resources() {
    let input = load(r#"{"format_version":"1.0"}"#).unwrap();
    assert_eq!(input.kind, InputKind::State);
    assert!(input.resources.is_empty());
}

#[test]
fn a_byte_order_mark_is_no_problem() {
    let input = load_slice(
        b"\xEF\xBB\xBF{\"format_version\":\"1.0\"}",
        Path::new("state.json"),
    )
    .unwrap();
    assert_eq!(input.kind, InputKind::State);
}

#[test]
fn without_resource_changes_planned_values_say_what_exists() {
    let input = load(
        r#"{"format_version":"0.1","planned_values":{"root_module":{"child_modules":[{"address":"module.m",
        "resources":[{"address":"module.m.aws_sqs_queue.q","mode":"managed","type":"aws_sqs_queue","name":"q","values":{"name":"q"}},
        {"address":"module.m.data.aws_region.r","mode":"data","type":"aws_region","name":"r","values":{"name":"eu-west-1"}}]}]}}}"#,
    )
    .unwrap();
    let [queue] = input.resources.as_slice() else {
        panic!("{:?}", input.resources);
    };
    assert_eq!(queue.id.to_string(), "module.m.aws_sqs_queue.q");
    assert_eq!(queue.module.as_deref(), Some("module.m"));
    assert_eq!(queue.action, None);
    assert_eq!(input.data_sources.len(), 1);
}

#[test]
fn deposed_objects_and_forgotten_resources_are_gone_after_apply() {
    let input = load(
        r#"{"format_version":"1.2","resource_changes":[
        {"address":"aws_x.a","mode":"managed","type":"aws_x","deposed":"00000001","change":{"actions":["delete"],"after":null}},
        {"address":"aws_x.a","mode":"managed","type":"aws_x","change":{"actions":["create","forget"],"after":{"n":1}}},
        {"address":"aws_x.b","mode":"managed","type":"aws_x","change":{"actions":["forget"],"after":null}}]}"#,
    )
    .unwrap();
    let [a] = input.resources.as_slice() else {
        panic!("{:?}", input.resources);
    };
    assert_eq!(a.id.to_string(), "aws_x.a");
    assert_eq!(a.action, Some(Action::Replace));
}

/// Terraform 0.12 wrote a child module's prior state with addresses
/// relative to the module.
#[test]
fn relative_addresses_in_an_old_prior_state_are_made_absolute() {
    let input = load(
        r#"{"format_version":"0.1","terraform_version":"0.12.24",
        "prior_state":{"format_version":"0.1","values":{"root_module":{"child_modules":[{"address":"module.m",
            "resources":[{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r",
            "values":{"arn":"arn:aws:iam::123456789012:role/r","id":"r","name":"r"}}]}]}}},
        "resource_changes":[
            {"address":"module.m.aws_iam_role.r","mode":"managed","type":"aws_iam_role","change":{"actions":["no-op"],
             "after":{"arn":"arn:aws:iam::123456789012:role/r","id":"r","name":"r"}}},
            {"address":"aws_lambda_function.f","mode":"managed","type":"aws_lambda_function","change":{"actions":["no-op"],
             "after":{"role":"arn:aws:iam::123456789012:role/r"}}}]}"#,
    )
    .unwrap();
    assert_eq!(
        input.resources[1].properties["role"],
        Value::Ref(parity_model::Ref::attribute(
            "module.m.aws_iam_role.r",
            "arn"
        ))
    );
}

/// Plans from Terraform 0.12 to 0.14 have no `after_sensitive`: the
/// configuration says which attributes read a sensitive variable.
#[test]
fn without_after_sensitive_the_configuration_marks_sensitive_attributes() {
    let input = load(
        r#"{"format_version":"0.1",
        "variables":{"password":{"value":"fixture-password"}},
        "configuration":{"root_module":{"variables":{"password":{"sensitive":true}},
            "resources":[{"address":"aws_ssm_parameter.p","mode":"managed","type":"aws_ssm_parameter","name":"p",
            "expressions":{"value":{"references":["var.password"]},"name":{"constant_value":"/p"}}}]}},
        "resource_changes":[{"address":"aws_ssm_parameter.p","mode":"managed","type":"aws_ssm_parameter",
            "change":{"actions":["create"],"after":{"name":"/p","value":"fixture-password"},"after_unknown":{}}}]}"#,
    )
    .unwrap();
    let p = &input.resources[0];
    assert_eq!(p.properties["value"].to_string(), "(sensitive)");
    assert_eq!(p.properties["name"], Value::from("/p"));
    assert_eq!(input.variables["password"].to_string(), "(sensitive)");
}

/// Terraform 0.12.0's states give an instance's key as `index` alone, its
/// address without it; the key is put back, a string key quoted as
/// Terraform prints it.
#[test]
fn an_index_beside_an_address_without_key_is_the_instance_key() {
    let input = load(
        r#"{"format_version":"0.1","terraform_version":"0.12.0","values":{"root_module":{"resources":[
        {"address":"aws_instance.x","mode":"managed","type":"aws_instance","name":"x","index":"test.1","values":{}},
        {"address":"aws_instance.x","mode":"managed","type":"aws_instance","name":"x","index":"test.2","values":{}},
        {"address":"null_resource.baz[0]","mode":"managed","type":"null_resource","name":"baz","index":0,"values":{}},
        {"address":"null_resource.baz","mode":"managed","type":"null_resource","name":"baz","index":1,"values":{}}
        ]}}}"#,
    )
    .unwrap();
    let addresses: Vec<String> = input.resources.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(
        addresses,
        [
            r#"aws_instance.x["test.1"]"#,
            r#"aws_instance.x["test.2"]"#,
            "null_resource.baz[0]",
            "null_resource.baz[1]"
        ]
    );
    let err = load(
        r#"{"format_version":"0.1","values":{"root_module":{"resources":[
        {"address":"aws_instance.x","mode":"managed","type":"aws_instance","index":[1],"values":{}}]}}}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "plan.json: at /values/root_module/resources/0/index: expected an instance key (a whole number or a string), found an array"
    );
}

#[test]
fn what_is_never_read_is_left_out_but_still_checked() {
    let plan = |before: &str, description: &str| {
        format!(
            r#"{{"format_version":"1.2","resource_changes":[{{"address":"aws_iam_role.r","mode":"managed",
            "type":"aws_iam_role","change":{{"actions":["update"],"before":{before},
            "after":{{"name":"r","arn":"x"}},"after_unknown":{{"arn":true}}}}}}],
            "configuration":{{"root_module":{{"resources":[{{"address":"aws_iam_role.r","mode":"managed",
            "type":"aws_iam_role","expressions":{{"name":{{"constant_value":"r"}},
            "description":{{"constant_value":{description}}}}}}}]}}}}}}"#
        )
    };
    let plain = load(&plan("{}", r#""d""#)).unwrap();
    // What exists before apply and constant values in the configuration
    // are not read: whatever they hold, the resources are the same.
    let other = load(&plan(r#"[1, {"x": null}]"#, r#"{"a": [1, 2]}"#)).unwrap();
    assert_eq!(plain.resources, other.resources);
    assert_eq!(plain.resources[0].properties["name"], Value::from("r"));
    // They are still JSON read strictly.
    let err = load(&plan(r#"{"k": 1, "k": 2}"#, r#""d""#)).unwrap_err();
    assert!(
        err.to_string()
            .contains(r#"duplicate key "k" in /resource_changes/0/change/before"#),
        "{err}"
    );
    let err = load(&plan("{}", r#"{"a": 1,}"#)).unwrap_err();
    assert!(
        err.to_string().ends_with("malformed JSON: trailing comma"),
        "{err}"
    );
}

/// The JSON files under `folder`, at any depth, in a stable order.
fn json_files(folder: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "json") {
            out.push(path);
        }
    }
}

/// What `unread.rs` leaves out while parsing is never read, and reading
/// `resource_changes` from the text one entry at a time reads the same:
/// every Terraform output committed under `testdata/` loads to the same
/// input (resources, data sources, outputs, variables) or the same error,
/// parsed pruned and streamed as parsed whole.
#[test]
fn committed_terraform_outputs_load_the_same_pruned_and_whole() {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let mut files = Vec::new();
    json_files(&testdata, &mut files);
    let (mut plans, mut with_changes, mut states) = (0, 0, 0);
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let Ok(mut whole) = parity_json::from_slice(text) else {
            continue;
        };
        if !is_terraform_json(&whole) {
            continue;
        }
        let loaded_whole = document::load(&mut whole, path, None);
        drop(whole);
        let loaded_pruned = load_slice(&bytes, path);
        assert_eq!(
            format!("{loaded_pruned:?}"),
            format!("{loaded_whole:?}"),
            "{} loads differently pruned",
            path.display()
        );
        // Read from the file, the later passes read the file again.
        assert_eq!(
            format!("{:?}", load_file(path)),
            format!("{loaded_whole:?}"),
            "{} loads differently from its file",
            path.display()
        );
        match &loaded_whole {
            Ok(input) if input.kind == InputKind::Plan => {
                plans += 1;
                let text = String::from_utf8_lossy(text);
                if text.contains("\"resource_changes\"") && text.contains("\"planned_values\"") {
                    with_changes += 1;
                }
            }
            Ok(_) => states += 1,
            Err(_) => {}
        }
    }
    // The real projects' plans and the fixtures' plans and states.
    assert!(
        plans >= 20 && with_changes >= 20 && states >= 1,
        "{plans} plans ({with_changes} with resource_changes), {states} states"
    );
}

#[test]
fn terraform_text_is_told_by_its_top_level_keys() {
    assert_eq!(
        is_terraform_text(br#"{"format_version":"1.2","resource_changes":[]}"#),
        Some(true)
    );
    assert_eq!(
        is_terraform_text(br#"{"version":4,"lineage":"x","resources":[]}"#),
        Some(true)
    );
    // A template, even one with a key that Terraform uses too.
    assert_eq!(
        is_terraform_text(br#"{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}},"values":{}}"#),
        Some(false)
    );
    assert_eq!(is_terraform_text(b"[1]"), Some(false));
    assert_eq!(is_terraform_text(b"Resources:\n  Q: {}\n"), None);
    assert_eq!(is_terraform_text(br#"{"format_version": }"#), None);
}

/// `resource_changes` is read one entry at a time after the configuration,
/// yet a plan with several problems reports the one it reported when the
/// whole document was read first: a malformed entry before a malformed
/// configuration, the configuration before a resource that cannot be
/// built, and of those the first.
#[test]
fn problems_are_reported_in_the_order_of_the_whole_document() {
    let entry = |i: usize, change: &str| {
        format!(r#"{{"address":"aws_x.r{i}","mode":"managed","type":"aws_x","change":{change}}}"#)
    };
    let fine = r#"{"actions":["create"],"after":{"a":1}}"#;
    // Built only once every entry is read: the whole resource unknown.
    let unbuildable = r#"{"actions":["create"],"after":{},"after_unknown":true}"#;
    let malformed = r#"{"actions":["explode"]}"#;
    let config = r#""configuration":{"root_module":{"resources":[{"address":7}]}}"#;
    let plans = [
        (
            format!(
                r#"{{"format_version":"1.2","resource_changes":[{},{},{}],{config}}}"#,
                entry(0, unbuildable),
                entry(1, fine),
                entry(2, malformed)
            ),
            "at /resource_changes/2/change/actions/0: unknown action",
        ),
        (
            format!(
                r#"{{"format_version":"1.2","resource_changes":[{},{}],{config}}}"#,
                entry(0, unbuildable),
                entry(1, fine)
            ),
            "at /configuration/root_module/resources/0/address: expected a string",
        ),
        (
            format!(
                r#"{{"format_version":"1.2","resource_changes":[{},{},{}]}}"#,
                entry(0, fine),
                entry(1, unbuildable),
                entry(2, unbuildable)
            ),
            "at /resource_changes/1/change/after_unknown: marks the whole resource unknown",
        ),
    ];
    for (plan, expected) in plans {
        let path = Path::new("plan.json");
        let streamed = load(&plan).unwrap_err().to_string();
        let whole = document::load(&mut parity_json::from_str(&plan).unwrap(), path, None)
            .unwrap_err()
            .to_string();
        assert_eq!(streamed, whole);
        assert!(
            streamed.starts_with(&format!("plan.json: {expected}")),
            "{streamed}"
        );
    }
}

#[test]
fn a_plan_file_that_changes_while_it_is_read_is_refused() {
    let text =
        r#"{"format_version":"1.2","configuration":{"root_module":{}},"resource_changes":[]}"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    std::fs::write(&path, text).unwrap();
    let file = std::fs::File::open(&path).unwrap();
    let mut json = parity_json::from_str(text).unwrap();
    // As if the first pass had read one byte fewer than the file now holds.
    let read_before = plan::Text::File {
        file: &file,
        start: 0,
        len: text.len() as u64 - 1,
    };
    let err = document::load(&mut json, &path, Some(read_before)).unwrap_err();
    assert!(matches!(err, Error::Changed { .. }), "{err}");
    assert!(
        err.to_string().contains("changed while it was read"),
        "{err}"
    );
    let read_as_is = plan::Text::File {
        file: &file,
        start: 0,
        len: text.len() as u64,
    };
    let mut json = parity_json::from_str(text).unwrap();
    assert!(document::load(&mut json, &path, Some(read_as_is)).is_ok());
}

/// A malformed configuration is reported with the same pointer and message
/// whether the plan is read from a file (its configuration parsed in a
/// pass of its own, resource by resource) or from memory.
#[test]
fn malformed_configurations_read_from_a_file_name_where_and_what() {
    let cases = [
        (
            r#"[]"#,
            "/configuration",
            "expected an object, found an array",
        ),
        (
            r#"{"root_module":3}"#,
            "/configuration/root_module",
            "expected an object, found a number",
        ),
        (
            r#"{"root_module":{"resources":{}}}"#,
            "/configuration/root_module/resources",
            "expected an array, found an object",
        ),
        (
            r#"{"root_module":{"resources":[{"address":"aws_x.a"},"aws_x.b"]}}"#,
            "/configuration/root_module/resources/1",
            "expected an object, found a string",
        ),
        (
            r#"{"root_module":{"resources":[{"mode":"managed"}]}}"#,
            "/configuration/root_module/resources/0/address",
            "missing: expected a string",
        ),
        (
            r#"{"root_module":{"resources":[{"address":7}]}}"#,
            "/configuration/root_module/resources/0/address",
            "expected a string, found a number",
        ),
        (
            r#"{"root_module":{"resources":[{"address":"aws_x.a","expressions":[]}]}}"#,
            "/configuration/root_module/resources/0/expressions",
            "expected an object, found an array",
        ),
        (
            r#"{"root_module":{"resources":[{"address":"aws_x.a","expressions":{"v":3}}]}}"#,
            "/configuration/root_module/resources/0/expressions/v",
            "expected an expression object or a list of nested blocks, found a number",
        ),
        (
            r#"{"root_module":{"resources":[{"address":"aws_x.a","expressions":{"v":{"references":"aws_x.b"}}}]}}"#,
            "/configuration/root_module/resources/0/expressions/v/references",
            "expected an array of references, found a string",
        ),
        (
            r#"{"root_module":{"resources":[{"address":"aws_x.a","expressions":{"b":[{"v":{"references":[""]}}]}}]}}"#,
            "/configuration/root_module/resources/0/expressions/b/0/v/references/0",
            "expected a reference (a non-empty string), found a string",
        ),
        (
            r#"{"root_module":{"resources":[{"address":"aws_x.a","for_each_expression":true}]}}"#,
            "/configuration/root_module/resources/0/for_each_expression",
            "expected an object, found a boolean",
        ),
        (
            r#"{"root_module":{"module_calls":[]}}"#,
            "/configuration/root_module/module_calls",
            "expected an object, found an array",
        ),
        (
            r#"{"root_module":{"module_calls":{"m":true}}}"#,
            "/configuration/root_module/module_calls/m",
            "expected an object, found a boolean",
        ),
        (
            r#"{"root_module":{"module_calls":{"m":{"source":"./m"}}}}"#,
            "/configuration/root_module/module_calls/m/module",
            "missing: the called module",
        ),
        (
            r#"{"root_module":{"module_calls":{"m":{"module":null}}}}"#,
            "/configuration/root_module/module_calls/m/module",
            "expected an object, found null",
        ),
        (
            r#"{"root_module":{"module_calls":{"m":{"module":{},"count_expression":{"references":[1]}}}}}"#,
            "/configuration/root_module/module_calls/m/count_expression/references/0",
            "expected a reference (a non-empty string), found a number",
        ),
        (
            r#"{"root_module":{"module_calls":{"m":{"module":{"module_calls":{"n":{"module":{"resources":[{"address":null}]}}}}}}}}"#,
            "/configuration/root_module/module_calls/m/module/module_calls/n/module/resources/0/address",
            "expected a string, found null",
        ),
        (
            r#"{"root_module":{"outputs":[]}}"#,
            "/configuration/root_module/outputs",
            "expected an object, found an array",
        ),
        (
            r#"{"root_module":{"outputs":{"o":{"expression":{"references":{}}}}}}"#,
            "/configuration/root_module/outputs/o/expression/references",
            "expected an array of references, found an object",
        ),
        (
            r#"{"root_module":{"variables":{"v":{"sensitive":"yes"}}}}"#,
            "/configuration/root_module/variables/v/sensitive",
            "expected true or false, found a string",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    for (configuration, pointer, message) in cases {
        let plan = format!(
            r#"{{"format_version":"1.2","configuration":{configuration},"resource_changes":[]}}"#
        );
        std::fs::write(&path, &plan).unwrap();
        for err in [load_file(&path), load(&plan)].map(Result::unwrap_err) {
            let Error::Format {
                pointer: at,
                message: what,
                ..
            } = &err
            else {
                panic!("{configuration}: {err}");
            };
            assert_eq!(
                (at.as_str(), what.as_str()),
                (pointer, message),
                "{configuration}"
            );
        }
    }
}
