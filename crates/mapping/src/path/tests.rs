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
    let mut map = BTreeMap::from([(
        "A".to_owned(),
        Value::Map(BTreeMap::from([("x".to_owned(), Value::from("set"))])),
    )]);
    set_default(&mut map, &parse("A[x]"), &Value::from("default"));
    set_default(&mut map, &parse("A[y.z]"), &Value::from("default"));
    set_default(&mut map, &parse("B.C"), &Value::from("default"));
    assert_eq!(
        Value::Map(map).to_string(),
        "{A: {x: set, y.z: default}, B: {C: default}}"
    );
}
