//! What a difference between two secret references means: another source
//! (Secrets Manager or SSM Parameter Store), another secret, or another JSON
//! key, version stage or version of the same secret.

use parity_model::{Status, TemplatePart, Value};

use crate::diff::Difference;
use crate::values::{self, References, Verdict};

/// A note for a `Secrets[…].ValueFrom` difference that says which part
/// differs.
pub fn note(d: &Difference, refs: &References<'_>) -> Option<String> {
    if d.status != Status::Differs
        || !d
            .pattern
            .ends_with(&["Secrets".to_owned(), "*".to_owned(), "ValueFrom".to_owned()])
    {
        return None;
    }
    // The parts of a sensitive reference are not for reports either.
    if [&d.terraform, &d.cloudformation]
        .iter()
        .any(|v| v.as_ref().is_some_and(Value::contains_sensitive))
    {
        return None;
    }
    let tf = SecretReference::parse(d.terraform.as_ref()?)?;
    let cfn = SecretReference::parse(d.cloudformation.as_ref()?)?;
    if tf.source != cfn.source {
        return Some(format!(
            "the source differs: {} in Terraform, {} in CDK",
            tf.source, cfn.source
        ));
    }
    if values::compare(&tf.secret, &cfn.secret, refs) != Verdict::Equal {
        return Some("they point at different secrets".to_owned());
    }
    let mut parts = Vec::new();
    for (what, a, b) in [
        ("JSON key", &tf.json_key, &cfn.json_key),
        ("version stage", &tf.version_stage, &cfn.version_stage),
        ("version ID", &tf.version_id, &cfn.version_id),
    ] {
        if a != b {
            parts.push(format!(
                "{what} {} in Terraform, {} in CDK",
                shown(a),
                shown(b)
            ));
        }
    }
    (!parts.is_empty()).then(|| format!("same secret; the {}", parts.join("; the ")))
}

fn shown(part: &str) -> String {
    if part.is_empty() {
        "(none)".to_owned()
    } else {
        format!("`{part}`")
    }
}

/// A container secret's `ValueFrom`, taken apart.
#[derive(Debug, PartialEq)]
struct SecretReference {
    source: &'static str,
    /// The secret or parameter itself.
    secret: Value,
    json_key: String,
    version_stage: String,
    version_id: String,
}

impl SecretReference {
    /// `arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf[:json-key:version-stage:version-id]`,
    /// an SSM parameter ARN or name, or a reference followed by the suffix.
    fn parse(value: &Value) -> Option<SecretReference> {
        let (secret, suffix) = match value.unmarked().0 {
            Value::String(text) if text.contains(":ssm:") || text.starts_with('/') => {
                return Some(SecretReference {
                    source: "SSM Parameter Store",
                    secret: Value::from(text.as_str()),
                    ..Self::empty()
                });
            }
            Value::String(text) if text.contains(":secretsmanager:") => {
                let fields: Vec<&str> = text.splitn(8, ':').collect();
                if fields.len() < 7 {
                    return None;
                }
                (
                    Value::from(fields[..7].join(":").as_str()),
                    fields.get(7).copied().unwrap_or("").to_owned(),
                )
            }
            // `${Secret}:username::`: a reference to the secret, then the suffix.
            Value::Ref(_) => (value.unmarked().0.clone(), String::new()),
            Value::Template(parts) => match parts.split_last() {
                Some((TemplatePart::Literal(last), rest)) if last.starts_with(':') => {
                    (Value::template(rest.iter().cloned()), last[1..].to_owned())
                }
                _ => (value.unmarked().0.clone(), String::new()),
            },
            _ => return None,
        };
        let mut suffix = suffix.split(':');
        Some(SecretReference {
            source: "Secrets Manager",
            secret,
            json_key: suffix.next().unwrap_or("").to_owned(),
            version_stage: suffix.next().unwrap_or("").to_owned(),
            version_id: suffix.next().unwrap_or("").to_owned(),
        })
    }

    fn empty() -> SecretReference {
        SecretReference {
            source: "",
            secret: Value::Null,
            json_key: String::new(),
            version_stage: String::new(),
            version_id: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn difference(tf: Value, cfn: Value) -> Difference {
        Difference {
            attribute: "ContainerDefinitions[api].Secrets[DB].ValueFrom".into(),
            pattern: ["ContainerDefinitions", "*", "Secrets", "*", "ValueFrom"]
                .map(str::to_owned)
                .to_vec(),
            status: Status::Differs,
            terraform: Some(tf),
            cloudformation: Some(cfn),
        }
    }

    fn check(d: &Difference) -> Option<String> {
        let table = parity_mapping::Table::builtin().unwrap();
        let refs = References::new(&table, &[], &[], &crate::Alignment::default());
        note(d, &refs)
    }

    #[test]
    fn names_the_json_key_that_differs() {
        let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api/db-AbCdEf";
        let d = difference(
            Value::from(format!("{arn}:username::").as_str()),
            Value::from(format!("{arn}:password::").as_str()),
        );
        assert_eq!(
            check(&d).unwrap(),
            "same secret; the JSON key `username` in Terraform, `password` in CDK"
        );
    }

    #[test]
    fn names_the_source_that_differs() {
        let d = difference(
            Value::from("arn:aws:ssm:us-east-1:123456789012:parameter/api/token"),
            Value::from("arn:aws:secretsmanager:us-east-1:123456789012:secret:api/token-AbCdEf"),
        );
        assert_eq!(
            check(&d).unwrap(),
            "the source differs: SSM Parameter Store in Terraform, Secrets Manager in CDK"
        );
    }
}
