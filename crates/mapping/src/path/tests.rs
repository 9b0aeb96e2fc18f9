use super::*;

#[test]
fn parses_dots_brackets_and_stars() {
    assert_eq!(
        parse("TargetGroupAttributes[deregistration_delay.timeout_seconds]"),
        vec![
            Step::Key("TargetGroupAttributes".into()),
            Step::Key("deregistration_delay.timeout_seconds".into())
        ]
    );
    assert_eq!(
        parse("ContainerDefinitions.*.Essential"),
        vec![
            Step::Key("ContainerDefinitions".into()),
            Step::Each,
            Step::Key("Essential".into())
        ]
    );
}

#[test]
fn defaults_fill_only_what_is_absent() {
    let mut map = Map::from([(
        "A".to_owned(),
        Value::Map(Map::from([("x".to_owned(), Value::from("set"))])),
    )]);
    set_default(&mut map, &parse("A[x]"), &Value::from("default"));
    set_default(&mut map, &parse("A[y.z]"), &Value::from("default"));
    set_default(&mut map, &parse("B.C"), &Value::from("default"));
    assert_eq!(
        Value::Map(map).to_string(),
        "{A: {x: set, y.z: default}, B: {C: default}}"
    );
}

#[test]
fn a_star_reaches_into_an_optional_object_only_when_it_is_there() {
    let mut map = Map::from([("Alias".to_owned(), Value::Map(Map::new()))]);
    set_default(
        &mut map,
        &parse("Alias.*.EvaluateTargetHealth"),
        &Value::Bool(false),
    );
    set_default(&mut map, &parse("Geo.*.Country"), &Value::from("*"));
    assert_eq!(
        Value::Map(map).to_string(),
        "{Alias: {EvaluateTargetHealth: false}}"
    );
}

#[test]
fn every_value_at_a_path_of_keys_and_stars() {
    let rule = |tags: &str| Value::Map(Map::from([("Tags".to_owned(), Value::from(tags))]));
    let mut map = Map::from([(
        "Lifecycle".to_owned(),
        Value::Map(Map::from([(
            "Rules".to_owned(),
            Value::List(vec![rule("a"), rule("b")]),
        )])),
    )]);
    let mut seen = Vec::new();
    for_each_mut(&mut map, &parse("Lifecycle.Rules.*.Tags"), &mut |v| {
        seen.push(v.to_string());
        *v = Value::Null;
    });
    assert_eq!(seen, ["a", "b"]);
    assert_eq!(
        Value::Map(map).to_string(),
        "{Lifecycle: {Rules: [{Tags: null}, {Tags: null}]}}"
    );
}

#[test]
fn removes_every_value_at_a_path() {
    let code = |keys: &[&str]| {
        Value::Map(
            keys.iter()
                .map(|k| ((*k).to_owned(), Value::from("x")))
                .collect(),
        )
    };
    let mut map = Map::from([
        ("Code".to_owned(), code(&["S3Bucket", "ImageUri"])),
        (
            "Layers".to_owned(),
            Value::List(vec![code(&["S3Bucket"]), code(&["S3Key"])]),
        ),
    ]);
    remove(&mut map, &parse("Code.S3Bucket"));
    remove(&mut map, &parse("Layers.*.S3Bucket"));
    remove(&mut map, &parse("Missing.S3Bucket"));
    assert_eq!(
        Value::Map(map).to_string(),
        "{Code: {ImageUri: x}, Layers: [{}, {S3Key: x}]}"
    );
}
