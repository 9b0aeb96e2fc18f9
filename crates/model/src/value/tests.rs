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
    let v = Value::Map(Map::from([(
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

#[test]
fn leaves_are_counted_through_structures() {
    let v = Value::Map(Map::from([
        (
            "a".to_owned(),
            Value::Unknown(Unknown {
                refs: vec!["x".into()],
                reason: None,
            }),
        ),
        (
            "b".to_owned(),
            Value::List(vec![Value::from("1"), Value::from("2")]).into_sensitive(),
        ),
        (
            "c".to_owned(),
            Value::Template(vec![
                TemplatePart::Literal("arn:".into()),
                TemplatePart::Unknown(Unknown {
                    refs: vec!["AWS::Region".into(), "x".into()],
                    reason: None,
                }),
            ]),
        ),
    ]));
    assert_eq!(v.unknown_leaves(), 2);
    assert_eq!(v.sensitive_leaves(), 2);
    assert_eq!(
        v.unknown_refs(),
        vec!["AWS::Region".to_owned(), "x".to_owned()]
    );
}

#[test]
fn conditional_keeps_both_branches_and_collapses_when_they_agree() {
    assert_eq!(
        Conditional::choose("IsProd", Some("a".into()), Some("a".into())),
        Some(Value::from("a"))
    );
    assert_eq!(Conditional::choose("IsProd", None, None), None);
    let v = Conditional::choose(
        "IsProd",
        Some(Value::String("secret".into()).into_sensitive()),
        None,
    )
    .unwrap();
    assert_eq!(v.to_string(), "(if IsProd: (sensitive); else: (absent))");
    assert!(v.contains_sensitive());
    let unknown = Conditional::choose(
        "IsProd",
        Some(Value::Unknown(Unknown {
            refs: vec!["Db".into()],
            reason: None,
        })),
        Some("x".into()),
    )
    .unwrap();
    assert!(unknown.contains_unknown());
    assert_eq!(unknown.unknown_refs(), vec!["Db".to_owned()]);
}
