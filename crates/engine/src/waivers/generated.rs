//! Names the CDK generates when the app gives none (`comparison.yaml`'s
//! `generated_names`): a Terraform name chosen against a CDK name absent or
//! made from the construct path is an intentional difference.

use parity_model::{Finding, Status, Value};

use super::{Resources, cloudformation_id};

/// Whether `finding` is a name the CDK side leaves to be generated, or
/// generated, where Terraform chose one.
pub(super) fn is_generated_name(finding: &Finding, resources: &Resources<'_>) -> bool {
    if !matches!(finding.status, Status::Differs | Status::OnlyInTerraform)
        || !resources
            .rules
            .generated_names
            .names(&finding.resource_type, &finding.attribute)
    {
        return false;
    }
    let chosen = finding
        .terraform
        .as_ref()
        .and_then(|t| t.value.as_ref())
        .is_some_and(|v| matches!(v.unmarked().0, Value::String(_)));
    let Some(cdk) = finding.cloudformation.as_ref() else {
        return false;
    };
    let generated = match cdk.value.as_ref().map(|v| v.unmarked().0) {
        None => true,
        Some(Value::String(name)) => {
            let construct_path = resources
                .entities
                .get(&cloudformation_id(cdk))
                .and_then(|e| e.construct_path.as_deref());
            construct_path.is_some_and(|path| made_from_path(name, path))
        }
        Some(_) => false,
    };
    chosen && generated
}

/// Whether `name` is what the CDK makes of a construct path: the IDs from
/// the stack down (or from below the stack, as logical IDs are), without
/// `Default`, without an ID the one kept before it ends with
/// (`LBService/Service` is `LBService`), then without `Resource`, letters
/// and digits only, then eight hexadecimal digits of a hash.
fn made_from_path(name: &str, path: &str) -> bool {
    if !name.is_ascii() {
        return false;
    }
    let Some(stem) = name.len().checked_sub(8).map(|at| &name[..at]) else {
        return false;
    };
    let hash = &name[stem.len()..];
    if !hash
        .chars()
        .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c))
    {
        return false;
    }
    let ids: Vec<&str> = path.split('/').filter(|id| *id != "Default").collect();
    let from = |start: usize| {
        let mut kept: Vec<&str> = Vec::new();
        for id in ids.iter().skip(start) {
            if kept.last().is_none_or(|last| !last.ends_with(id)) {
                kept.push(id);
            }
        }
        kept.into_iter()
            .filter(|id| *id != "Resource")
            .flat_map(|id| id.chars().filter(char::is_ascii_alphanumeric))
            .collect::<String>()
    };
    !stem.is_empty() && (stem == from(0) || stem == from(1))
}

#[cfg(test)]
mod tests;
