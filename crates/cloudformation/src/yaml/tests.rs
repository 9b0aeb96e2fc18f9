use std::path::Path;

use serde_json::json;

use super::*;

fn yaml(text: &str) -> Json {
    parse(text, Path::new("t.yaml")).unwrap()
}

fn yaml_err(text: &str) -> String {
    parse(text, Path::new("t.yaml")).unwrap_err().to_string()
}

#[test]
fn yaml_1_1_booleans_but_not_y_and_n() {
    assert_eq!(
        yaml("[yes, Yes, YES, on, On, ON, no, No, NO, off, Off, OFF, y, n, true, False]"),
        json!([
            true, true, true, true, true, true, false, false, false, false, false, false, "y", "n",
            true, false
        ])
    );
}

#[test]
fn yaml_1_1_integers() {
    assert_eq!(
        yaml("[0755, -010, 0b1010, 0b1_0, 0x1F, 0x_1f, 1_000, +12, 1:30, 190:20:30, 0, 08, 0o17]"),
        json!([493, -8, 10, 2, 31, 31, 1000, 12, 90, 685230, 0, "08", 15])
    );
}

#[test]
fn yaml_1_1_floats() {
    assert_eq!(
        yaml("[1.5, 1_000.5, 1:30.5, .5, 1.5e+3, -2., 1.2.3, 1:60]"),
        json!([1.5, 1000.5, 90.5, 0.5, 1500.0, -2.0, "1.2.3", "1:60"])
    );
    assert_eq!(
        yaml("[.inf, -.inf, .nan]"),
        json!([".inf", "-.inf", ".nan"])
    );
}

#[test]
fn quoted_and_tagged_scalars_stay_strings() {
    assert_eq!(
        yaml("[\"yes\", 'on', '0755', !!str off, \"1_000\", ! yes]"),
        json!(["yes", "on", "0755", "off", "1_000", "yes"])
    );
    assert_eq!(
        yaml("a: |\n  yes\nb: >-\n  0755\nc: !!str &x on\nd: plain\n  yes"),
        json!({"a": "yes\n", "b": "0755", "c": "on", "d": "plain yes"})
    );
    assert_eq!(yaml("a: &x yes\nb: *x"), json!({"a": true, "b": true}));
}

#[test]
fn nulls_and_keys() {
    assert_eq!(
        yaml("a: ~\nb:\n1: x\nyes: y\n'no': z"),
        json!({"a": null, "b": null, "1": "x", "true": "y", "no": "z"})
    );
}

#[test]
fn short_tags_are_written_out_long() {
    assert_eq!(
        yaml(
            "a: !Ref Bucket\nb: !GetAtt Role.Arn\nc: !GetAtt Db.Endpoint.Address\nd: !Sub '${AWS::Region}'\ne: !Condition IsProd\nf: !GetAtt [A, B]\ng: !Ref yes\nh: !Ref 0755"
        ),
        json!({
            "a": {"Ref": "Bucket"},
            "b": {"Fn::GetAtt": ["Role", "Arn"]},
            "c": {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
            "d": {"Fn::Sub": "${AWS::Region}"},
            "e": {"Condition": "IsProd"},
            "f": {"Fn::GetAtt": ["A", "B"]},
            "g": {"Ref": "yes"},
            "h": {"Ref": "0755"},
        })
    );
    assert_eq!(
        yaml("!Join [',', [!Select [0, !GetAZs ''], yes]]"),
        json!({"Fn::Join": [",", [{"Fn::Select": [0, {"Fn::GetAZs": ""}]}, true]]})
    );
}

#[test]
fn a_duplicate_key_names_both_places() {
    assert_eq!(
        yaml_err("R:\n  B:\n    T: x\n    \"T\": y\n"),
        "t.yaml:4:5: malformed YAML: R.B: duplicate key \"T\", first at line 3, column 5"
    );
    assert_eq!(
        yaml_err("- {'a': 1, b: 2, a: 3}\n"),
        "t.yaml:1:18: malformed YAML: .[0]: duplicate key \"a\", first at line 1, column 4"
    );
    // The same key in two mappings is no duplicate.
    assert_eq!(
        yaml("a: {k: 1}\nb: {k: 2}\n"),
        json!({"a": {"k": 1}, "b": {"k": 2}})
    );
}

#[test]
fn bad_yaml_names_line_and_column() {
    assert_eq!(
        yaml_err("a: !Frobnicate x\n"),
        "t.yaml:1:4: malformed YAML: a: unknown tag !Frobnicate"
    );
    assert_eq!(
        yaml_err("a: 1\na: 2\n"),
        "t.yaml:2:1: malformed YAML: duplicate key \"a\", first at line 1, column 1"
    );
    assert_eq!(
        yaml_err("a: b\n---\nc: d\n"),
        "t.yaml:2:1: malformed YAML: a template is one YAML document, this is a second one"
    );
    assert_eq!(
        yaml_err(""),
        "t.yaml:1:1: malformed YAML: the document is empty"
    );
}

#[test]
fn aliases_that_multiply_stop() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let prev = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let err = yaml_err(&text);
    assert!(err.starts_with("t.yaml:"), "{err}");
    assert!(err.contains("malformed YAML: "), "{err}");
}

#[test]
fn wide_aliases_stop_on_the_budget() {
    let big: Vec<String> = (0..20_000).map(|i| i.to_string()).collect();
    let mut text = format!("big: &big [{}]\nmany: [", big.join(", "));
    text.push_str(&vec!["*big"; 100].join(", "));
    text.push_str("]\n");
    assert!(
        yaml_err(&text).contains("the document expands to more than 1000000 nodes"),
        "{}",
        yaml_err(&text)
    );
}

#[test]
fn deep_nesting_stops() {
    let text = format!("{}x{}", "[".repeat(10_000), "]".repeat(10_000));
    let err = yaml_err(&text);
    assert!(err.contains("recursion limit exceeded"), "{err}");
}
