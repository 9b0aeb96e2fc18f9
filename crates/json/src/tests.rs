use super::*;

fn duplicate(text: &str) -> String {
    from_str(text).unwrap_err().to_string()
}

#[test]
fn builds_what_serde_json_builds() {
    let text = r#"{"b": [1, -2, 3.5, 1e400, "x\u00e9", true, null, {}], "a": {"c": 18446744073709551615}}"#;
    let strict = from_str(&text.replace("1e400", "1e300")).unwrap();
    let lenient: Value = serde_json::from_str(&text.replace("1e400", "1e300")).unwrap();
    assert_eq!(strict, lenient);
    // Key order is kept, as serde_json's preserve_order keeps it.
    let keys: Vec<&String> = strict.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["b", "a"]);
}

#[test]
fn a_key_twice_names_both_places_and_the_object() {
    let text = "{\n  \"Resources\": {\n    \"Bucket\": {},\n    \"Queue\": {},\n    \"Bucket\": {}\n  }\n}\n";
    assert_eq!(
        duplicate(text),
        r#"5:5: duplicate key "Bucket" in /Resources, first at line 3, column 5"#
    );
}

#[test]
fn keys_are_compared_after_unescaping() {
    assert_eq!(
        duplicate(r#"{"A": 1, "\u0041": 2}"#),
        r#"1:10: duplicate key "A" in /, first at line 1, column 2"#
    );
}

#[test]
fn the_object_is_found_through_arrays_and_escaped_keys() {
    assert_eq!(
        duplicate(r#"{"a/b": [{"k": "}\"{"}, {"k": 1, "k": 2}]}"#),
        r#"1:34: duplicate key "k" in /a~1b/1, first at line 1, column 26"#
    );
}

#[test]
fn the_same_key_in_different_objects_is_fine() {
    let value = from_str(r#"{"a": {"k": 1}, "b": {"k": 1}, "k": [{"k": 2}]}"#).unwrap();
    assert_eq!(value["k"][0]["k"], 2);
}

#[test]
fn syntax_errors_keep_serde_json_s_position_and_message() {
    let err = from_str("{\"a\": 1,\n}").unwrap_err();
    assert_eq!(err.to_string(), "2:1: trailing comma");
    assert_eq!(err.position(), Position { line: 2, column: 1 });
    let err = from_str("{} {}").unwrap_err();
    assert_eq!(err.message(), "trailing characters");
}

#[test]
fn the_recursion_limit_still_holds() {
    let deep = "[".repeat(10_000);
    assert!(
        from_str(&deep)
            .unwrap_err()
            .message()
            .contains("recursion limit")
    );
}

#[test]
fn a_hostile_key_in_the_pointer_is_cut_and_escaped() {
    let long = "x".repeat(200);
    let text = format!(r#"{{"{long}\n": {{"k": 1, "k": 2}}}}"#);
    let message = duplicate(&text);
    assert_eq!(message.lines().count(), 1);
    assert!(
        message.contains(&format!("in /{}…,", "x".repeat(80))),
        "{message}"
    );
    let text = r#"{"a\nb": {"k": 1, "k": 2}}"#;
    assert!(
        duplicate(text).contains(r"in /a\nb,"),
        "{}",
        duplicate(text)
    );
}

/// Keeps `a` whole, `b` as null and leaves `c` out; inside arrays under
/// `d`, every item is null.
#[derive(Clone, Copy)]
enum Rule {
    Root,
    All,
    Items,
}

impl Prune for Rule {
    fn enter(self, key: Option<&str>) -> Step<Self> {
        match (self, key) {
            (Rule::All, _) => Step::Keep(Rule::All),
            (Rule::Items, None) => Step::Null,
            (Rule::Items, Some(_)) => Step::Keep(Rule::All),
            (Rule::Root, Some("b")) => Step::Null,
            (Rule::Root, Some("c")) => Step::Drop,
            (Rule::Root, Some("d")) => Step::Keep(Rule::Items),
            (Rule::Root, _) => Step::Keep(Rule::All),
        }
    }
}

#[test]
fn a_pruned_document_keeps_what_the_rule_keeps() {
    let text = r#"{"a": {"x": [1, {"y": 2}]}, "b": {"z": 3}, "c": [4], "d": [{"w": 5}, 6]}"#;
    let pruned = from_slice_pruned(text.as_bytes(), Rule::Root).unwrap();
    assert_eq!(
        pruned,
        serde_json::json!({"a": {"x": [1, {"y": 2}]}, "b": null, "d": [null, null]})
    );
    assert_eq!(
        from_slice_pruned(text.as_bytes(), KeepAll).unwrap(),
        from_str(text).unwrap()
    );
}

#[test]
fn what_is_left_out_is_read_as_strictly() {
    let inside = |text: &str| {
        from_slice_pruned(text.as_bytes(), Rule::Root)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        inside(r#"{"b": {"k": 1, "k": 2}}"#),
        r#"1:16: duplicate key "k" in /b, first at line 1, column 8"#
    );
    assert_eq!(
        inside(r#"{"d": [{"k": 1, "k": 2}]}"#),
        r#"1:17: duplicate key "k" in /d/0, first at line 1, column 9"#
    );
    // A key left out, named again.
    assert_eq!(
        inside(r#"{"c": 1, "c": 2}"#),
        r#"1:10: duplicate key "c" in /, first at line 1, column 2"#
    );
    assert!(inside(r#"{"c": [1,]}"#).starts_with("1:10: "));
}

#[test]
fn top_level_keys_are_read_without_the_document() {
    assert_eq!(
        top_level_keys(br#"{"format_version": "1.2", "planned_values": {"x": [1, {"y": 2}]}}"#)
            .unwrap(),
        Some(vec![
            "format_version".to_owned(),
            "planned_values".to_owned()
        ])
    );
    assert_eq!(top_level_keys(b"[1, 2]").unwrap(), None);
    assert_eq!(top_level_keys(b" \"text\" ").unwrap(), None);
    let err = top_level_keys(b"{\"a\": 1} {").unwrap_err();
    assert_eq!(
        err.position(),
        Position {
            line: 1,
            column: 10
        }
    );
    assert!(top_level_keys(b"{\"a\": [1,]}").is_err());
}
