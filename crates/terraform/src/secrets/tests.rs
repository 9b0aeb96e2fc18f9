use std::collections::BTreeMap;

use super::*;

fn map(entries: &[(&str, Value)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
    )
}

#[test]
fn a_copy_of_a_sensitive_value_is_sensitive() {
    let mut secrets = Secrets::default();
    secrets.collect(&map(&[(
        "tags",
        map(&[("Partner", Value::from("partner-key").into_sensitive())]),
    )]));
    let mut tags_all = map(&[
        ("Partner", Value::from("partner-key")),
        ("Url", Value::from("https://x/?key=partner-key")),
        ("Team", Value::from("platform")),
    ]);
    secrets.mark(&mut tags_all);
    assert_eq!(
        tags_all.to_string(),
        "{Partner: (sensitive), Team: platform, Url: (sensitive)}"
    );
}

#[test]
fn short_values_are_no_secrets() {
    let mut secrets = Secrets::default();
    secrets.collect(&Value::from("yes").into_sensitive());
    let mut value = Value::from("yes");
    secrets.mark(&mut value);
    assert_eq!(value, Value::from("yes"));
}
