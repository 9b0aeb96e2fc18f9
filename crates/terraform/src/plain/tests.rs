use super::*;

#[test]
fn variables_that_hold_no_secret() {
    let variables = Map::from([
        ("product".to_owned(), Value::from("idp").into_sensitive()),
        ("user".to_owned(), Value::from("admin").into_sensitive()),
        ("empty".to_owned(), Value::from("").into_sensitive()),
        ("list".to_owned(), Value::from("[]").into_sensitive()),
        (
            "words".to_owned(),
            Value::List(vec![Value::from("eu"), Value::from("west")]).into_sensitive(),
        ),
        (
            "password".to_owned(),
            Value::from("fixture-pass-1").into_sensitive(),
        ),
        (
            "pin".to_owned(),
            Value::Number(4821.into()).into_sensitive(),
        ),
        (
            "keys".to_owned(),
            Value::Map(Map::from([
                ("a".to_owned(), Value::from("admin")),
                ("b".to_owned(), Value::from("partner-key-1")),
            ]))
            .into_sensitive(),
        ),
        // Not sensitive: nothing to unmark.
        ("region".to_owned(), Value::from("eu")),
    ]);
    let harmless: Vec<String> = harmless_variables(&variables).into_iter().collect();
    assert_eq!(harmless, ["empty", "list", "product", "user", "words"]);
}
