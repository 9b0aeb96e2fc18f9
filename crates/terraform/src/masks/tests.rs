use serde_json::json;

use super::*;

fn pointers() -> MaskPointers {
    MaskPointers {
        unknown: Pointer::root().key("after_unknown"),
        sensitive: Pointer::root().key("after_sensitive"),
    }
}

fn build_with(after: Json, unknown: Json, sensitive: Json) -> Result<Value, Problem> {
    let path_text = |path: &[Segment]| Unknown {
        refs: vec![
            path.iter()
                .map(|s| match s {
                    Segment::Key(k) => k.clone(),
                    Segment::Index(i) => i.to_string(),
                })
                .collect::<Vec<_>>()
                .join("."),
        ],
        reason: None,
    };
    build(
        Some(&after),
        Some(&unknown),
        Some(&sensitive),
        &pointers(),
        &path_text,
    )
}

#[test]
fn unknown_leaves_carry_what_their_path_depends_on() {
    let value = build_with(
        json!({"name": "x", "tags": {"a": "1"}, "list": ["a", null]}),
        json!({"arn": true, "tags": {"b": true}, "list": [false, true]}),
        json!({}),
    )
    .unwrap();
    assert_eq!(
        value.to_string(),
        "{arn: (known after apply: arn), list: [a, (known after apply: list.1)], name: x, tags: {a: 1, b: (known after apply: tags.b)}}"
    );
}

#[test]
fn a_sensitive_parent_marks_the_whole_subtree() {
    let value = build_with(
        json!({"environment": [{"variables": {"A": "1", "B": "2"}}], "name": "n"}),
        json!({"environment": [{"variables": {"C": true}}]}),
        json!({"environment": true}),
    )
    .unwrap();
    let environment = value.get("environment").unwrap();
    assert_eq!(environment.to_string(), "(sensitive)");
    assert_eq!(environment.sensitive_leaves(), 3);
    assert_eq!(environment.unknown_leaves(), 1);
    assert_eq!(value.get("name"), Some(&Value::from("n")));
}

#[test]
fn wholly_unknown_stays_wholly_unknown() {
    let value = build_with(json!({}), json!({"container_definitions": true}), json!({})).unwrap();
    assert!(matches!(
        value.get("container_definitions"),
        Some(Value::Unknown(_))
    ));
}

#[test]
fn masks_of_another_shape_are_errors() {
    let err = build_with(
        json!({"tags": {"a": "1"}}),
        json!({"tags": [true]}),
        json!({}),
    )
    .unwrap_err();
    assert_eq!(err.0.to_string(), "/after_unknown/tags");
    assert_eq!(
        err.1,
        "an array in after_unknown, where the value is an object"
    );

    let err = build_with(
        json!({"name": "x"}),
        json!({}),
        json!({"name": {"a": true}}),
    )
    .unwrap_err();
    assert_eq!(err.0.to_string(), "/after_sensitive/name");

    let err = build_with(json!({}), json!({"arn": "yes"}), json!({})).unwrap_err();
    assert_eq!(err.0.to_string(), "/after_unknown/arn");
    assert_eq!(
        err.1,
        "expected true, false, an object or an array in after_unknown, found a string"
    );
}
