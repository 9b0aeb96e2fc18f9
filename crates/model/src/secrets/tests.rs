use super::*;
use crate::Masked;

fn map(entries: &[(&str, Value)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<crate::Map>(),
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
        "{Partner: (sensitive), Team: platform, Url: https://x/?key=(sensitive)}"
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

#[test]
fn a_secret_document_hides_each_of_its_strings() {
    let mut secrets = Secrets::default();
    secrets.collect_secret(&Value::from(
        r#"{"username":"admin","password":"fixture-pass-2"}"#,
    ));
    let mut environment = map(&[
        ("URL", Value::from("postgres://admin:fixture-pass-2@db/app")),
        ("USER", Value::from("admin")),
    ]);
    secrets.mark(&mut environment);
    // `admin` is a word, not a secret: its copies stay shown.
    assert_eq!(
        environment.to_string(),
        "{URL: postgres://admin:(sensitive)@db/app, USER: admin}"
    );
    // Compared by its whole text, shown with the secret hidden.
    let url = environment.get("URL").unwrap();
    assert!(url.contains_sensitive());
    assert_eq!(
        url.unmarked(),
        (&Value::from("postgres://admin:fixture-pass-2@db/app"), true)
    );
}

#[test]
fn what_can_carry_a_secret() {
    for text in [
        "", "  ", "[]", "{}", "null", "true", "idp", "yes", "admin", "postgres", "Platform",
    ] {
        assert!(!can_carry_secret(text), "{text:?}");
    }
    for text in [
        "hunter22x",
        "4821",
        "s3cr3t",
        "correcthorse",
        "idp-alb-key",
        "p@ss",
    ] {
        assert!(can_carry_secret(text), "{text:?}");
    }
}

/// Sensitive values that hold no secret (a product's name, a user name,
/// empty values) do not hide their copies.
#[test]
fn words_and_empty_values_do_not_hide_their_copies() {
    let mut secrets = Secrets::default();
    for text in ["idp", "admin", "", "[]"] {
        secrets.collect(&Value::from(text).into_sensitive());
    }
    assert!(secrets.is_empty());
    let mut value = map(&[
        ("Name", Value::from("admin")),
        ("TargetOriginId", Value::from("idp-alb")),
        ("Description", Value::from("IdP web client secret")),
        ("Origins", Value::from("[]")),
    ]);
    let before = value.clone();
    secrets.mark(&mut value);
    assert_eq!(value, before);
}

#[test]
fn a_forgotten_text_hides_nothing() {
    let mut secrets = Secrets::default();
    secrets.collect(&Value::from("idp database credentials").into_sensitive());
    secrets.forget(&Value::from("idp database credentials"));
    let mut value = Value::from("idp database credentials");
    secrets.mark(&mut value);
    assert_eq!(value, Value::from("idp database credentials"));
}

/// Only the secrets of a longer string are hidden, wherever and however
/// often they occur, overlapping ones as one.
#[test]
fn only_the_secret_parts_of_a_string_are_hidden() {
    let masked = Masked::new(
        "a=hunter22hunter22; b=hunter22; c=xhunter22-suffix",
        ["hunter22", "hunter22-suffix"],
    );
    assert_eq!(masked.shown, "a=(sensitive); b=(sensitive); c=x(sensitive)");
    let masked = Masked::new("ünïcode-sëcret-1 and more", ["sëcret-1"]);
    assert_eq!(masked.shown, "ünïcode-(sensitive) and more");
}
