use super::*;

#[test]
fn template_merges_literals_and_collapses_to_string() {
    assert_eq!(
        Value::template(["a".into(), "b".into()]),
        Value::String("ab".into())
    );
    let t = Value::template([
        Ref::resource("Secret").into(),
        ":".into(),
        "username::".into(),
    ]);
    assert_eq!(
        t,
        Value::Template(vec![
            TemplatePart::Ref(Ref::resource("Secret")),
            TemplatePart::Literal(":username::".into())
        ])
    );
}

#[test]
fn sensitive_values_never_display() {
    let v = Value::Map(BTreeMap::from([(
        "password".to_owned(),
        Value::String("hunter2".into()).into_sensitive(),
    )]));
    assert_eq!(v.to_string(), "{password: (sensitive)}");
    assert!(v.contains_sensitive());
}

#[test]
fn unknown_inside_template_is_detected() {
    let v = Value::Template(vec![
        TemplatePart::Literal("arn:".into()),
        TemplatePart::Unknown(Unknown::default()),
    ]);
    assert!(v.contains_unknown());
}
