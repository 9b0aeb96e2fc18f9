//! IAM: policies compared by what they allow, with AWS's policy-equivalence
//! rules, and reported statement by statement like `cdk diff` does.
//!
//! Each statement is taken apart into single permissions — one effect, one
//! action, one resource, one principal, one condition block — so that the
//! way statements are split or merged, their order and their `Sid` do not
//! matter; a scalar equals a one-element list; actions and condition keys
//! are case-insensitive; a 12-digit account equals `arn:aws:iam::ID:root`.
//! Permissions only one side has are put back together into statements for
//! the report.

use std::collections::BTreeMap;

use parity_mapping::Entity;
use parity_model::{Finding, Map, ResourceId, Status, TemplatePart, Value};

use super::{Twins, side_of, terraform_unknown};
use crate::rules::{Rules, TypeRules};
use crate::values::{self, Verdict};

pub const MANAGED_POLICY: &str = "AWS::IAM::ManagedPolicy";

/// The role properties that together make its effective policy.
pub fn is_effective_policy(path: &[String]) -> bool {
    matches!(
        path.first().map(String::as_str),
        Some("Policies" | "ManagedPolicyArns")
    )
}

pub fn compare(twins: &Twins<'_>, rules: &TypeRules, out: &mut Vec<Finding>) {
    let (tf, cfn) = (twins.terraform, twins.cloudformation);
    for name in rules.policy_properties() {
        let documents = |e: &Entity| {
            e.properties
                .get(name)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        };
        compare_documents(twins, name, &documents(tf), &documents(cfn), out);
    }
    if rules.effective_policy {
        let (tf_docs, tf_arns) = effective(tf, twins.cx.terraform);
        let (cfn_docs, cfn_arns) = effective(cfn, twins.cx.cloudformation);
        compare_documents(twins, "Policies", &tf_docs, &cfn_docs, out);
        compare_managed_arns(twins, &tf_arns, &cfn_arns, out);
    }
}

/// A role's inline policy documents and attached customer-managed policy
/// documents, and the managed policy ARNs that cannot be looked into (AWS
/// managed, or outside the deployment).
fn effective(role: &Entity, side: &[Entity]) -> (Vec<Value>, Vec<Value>) {
    let mut documents = Vec::new();
    if let Some(policies) = role.properties.get("Policies") {
        match policies.unmarked().0 {
            Value::List(items) => {
                documents.extend(
                    items
                        .iter()
                        .map(|p| p.get("PolicyDocument").cloned().unwrap_or(Value::Null)),
                );
            }
            // Unknown as a whole: nothing can be said of what it allows.
            other => documents.push(other.clone()),
        }
    }
    let mut arns = Vec::new();
    if let Some(Value::List(items)) = role
        .properties
        .get("ManagedPolicyArns")
        .map(|v| v.unmarked().0)
    {
        for arn in items {
            match customer_policy(arn, side) {
                Some(policy) => documents.push(
                    policy
                        .properties
                        .get("PolicyDocument")
                        .cloned()
                        .unwrap_or(Value::Null),
                ),
                None => arns.push(arn.clone()),
            }
        }
    }
    (documents, arns)
}

/// The customer-managed policy of this side an ARN value refers to.
fn customer_policy<'e>(arn: &Value, side: &'e [Entity]) -> Option<&'e Entity> {
    let target = policy_target(arn)?;
    side.iter()
        .find(|e| e.canonical_type == MANAGED_POLICY && names_entity(e, &target))
}

/// What a managed policy ARN value refers to.
fn policy_target(arn: &Value) -> Option<String> {
    match arn.unmarked().0 {
        Value::Ref(r) => Some(r.target.clone()),
        Value::Unknown(u) => u.refs.first().cloned(),
        Value::Template(parts) => parts.iter().find_map(|p| match p {
            TemplatePart::Ref(r) => Some(r.target.clone()),
            _ => None,
        }),
        _ => None,
    }
}

fn names_entity(e: &Entity, target: &str) -> bool {
    reference_names(e).iter().any(|name| name == target)
}

/// The names a reference may give an entity: its address, or its logical
/// ID alone or after its stack.
fn reference_names(e: &Entity) -> Vec<String> {
    match &e.id {
        ResourceId::Terraform { address } => vec![address.clone()],
        ResourceId::CloudFormation { stack, logical_id } => {
            vec![logical_id.clone(), format!("{stack}/{logical_id}")]
        }
    }
}

/// For each customer-managed policy of a side (by index), the roles of that
/// side it is attached to: what they allow counts it in, so that the policy
/// is compared through them (a module's `aws_iam_policy` attached to the
/// role whose CDK twin holds the same statements inline).
pub fn roles_of_managed_policies(side: &[Entity], rules: &Rules) -> BTreeMap<usize, Vec<usize>> {
    let mut policies: BTreeMap<String, usize> = BTreeMap::new();
    for (i, e) in side.iter().enumerate() {
        if e.canonical_type != MANAGED_POLICY {
            continue;
        }
        // The first of equal names wins, as `customer_policy` finds it.
        for name in reference_names(e) {
            policies.entry(name).or_insert(i);
        }
    }
    let mut roles: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (r, role) in side.iter().enumerate() {
        if !rules.for_type(&role.canonical_type).effective_policy {
            continue;
        }
        let Some(Value::List(arns)) = role
            .properties
            .get("ManagedPolicyArns")
            .map(|v| v.unmarked().0)
        else {
            continue;
        };
        for arn in arns {
            if let Some(policy) = policy_target(arn).and_then(|t| policies.get(&t)) {
                let attached = roles.entry(*policy).or_default();
                if !attached.contains(&r) {
                    attached.push(r);
                }
            }
        }
    }
    roles
}

fn compare_documents(
    twins: &Twins<'_>,
    attribute: &str,
    tf_docs: &[Value],
    cfn_docs: &[Value],
    out: &mut Vec<Finding>,
) {
    let (Some(tf_atoms), Some(cfn_atoms)) = (permissions(tf_docs), permissions(cfn_docs)) else {
        if tf_docs.is_empty() && cfn_docs.is_empty() {
            return;
        }
        // A document unknown as a whole (Terraform's `jsonencode` of a
        // value known only after apply) cannot be taken apart.
        let tf_docs = Value::List(tf_docs.to_vec());
        let note = if tf_docs.contains_unknown() {
            terraform_unknown(&tf_docs, "Terraform knows this policy only after apply")
        } else {
            "CloudFormation knows this policy only at deploy time".to_owned()
        };
        out.push(finding(
            twins,
            attribute.to_owned(),
            Status::Unverifiable,
            Some(tf_docs),
            Some(Value::List(cfn_docs.to_vec())),
            Some(note),
            false,
        ));
        return;
    };
    let mut cfn_left: Vec<&Value> = cfn_atoms.iter().collect();
    let mut tf_only = Vec::new();
    let mut unverifiable = Vec::new();
    for atom in &tf_atoms {
        if let Some(at) = cfn_left
            .iter()
            .position(|c| values::compare(atom, c, twins.refs) == Verdict::Equal)
        {
            cfn_left.remove(at);
        } else if let Some(at) = cfn_left
            .iter()
            .position(|c| values::compare(atom, c, twins.refs) == Verdict::Unverifiable)
        {
            unverifiable.push((atom.clone(), cfn_left.remove(at).clone()));
        } else {
            tf_only.push(atom.clone());
        }
    }
    let cfn_only: Vec<Value> = cfn_left.into_iter().cloned().collect();
    for (status, atoms) in [
        (Status::OnlyInTerraform, tf_only),
        (Status::OnlyInCdk, cfn_only),
    ] {
        for statement in statements(&atoms) {
            let effect = statement
                .get("Effect")
                .map(Value::to_string)
                .unwrap_or_default();
            let grants = effect == "Allow";
            let (more, less) = if status == Status::OnlyInTerraform {
                ("Terraform", "CDK")
            } else {
                ("CDK", "Terraform")
            };
            let note = if grants {
                format!("{more} grants more than {less}")
            } else {
                format!("only {more} denies this: {less} grants more")
            };
            let (t, c) = if status == Status::OnlyInTerraform {
                (Some(statement.clone()), None)
            } else {
                (None, Some(statement.clone()))
            };
            out.push(finding(
                twins,
                statement_attribute(attribute, &statement),
                status,
                t,
                c,
                Some(note),
                true,
            ));
        }
    }
    for (tf_atom, cfn_atom) in unverifiable {
        let note = terraform_unknown(
            &tf_atom,
            "a resource or principal of this statement is known only after apply",
        );
        out.push(finding(
            twins,
            statement_attribute(attribute, &tf_atom),
            Status::Unverifiable,
            Some(tf_atom),
            Some(cfn_atom),
            Some(note),
            false,
        ));
    }
}

fn compare_managed_arns(twins: &Twins<'_>, tf: &[Value], cfn: &[Value], out: &mut Vec<Finding>) {
    let mut cfn_left: Vec<&Value> = cfn.iter().collect();
    let mut tf_only = Vec::new();
    for arn in tf {
        match cfn_left
            .iter()
            .map(|c| values::compare(arn, c, twins.refs))
            .enumerate()
            .min_by_key(|(_, v)| *v)
        {
            Some((at, Verdict::Equal | Verdict::Unverifiable)) => {
                cfn_left.remove(at);
            }
            _ => tf_only.push(arn),
        }
    }
    let listed = [
        (Status::OnlyInTerraform, tf_only),
        (Status::OnlyInCdk, cfn_left),
    ];
    for (status, arns) in listed {
        for arn in arns {
            let side = if status == Status::OnlyInTerraform {
                "Terraform"
            } else {
                "CDK"
            };
            let (t, c) = if status == Status::OnlyInTerraform {
                (Some(arn.clone()), None)
            } else {
                (None, Some(arn.clone()))
            };
            out.push(finding(
                twins,
                format!("ManagedPolicyArns[{arn}]"),
                status,
                t,
                c,
                Some(format!(
                    "only {side} attaches this managed policy: it grants more"
                )),
                true,
            ));
        }
    }
}

fn finding(
    twins: &Twins<'_>,
    attribute: String,
    status: Status,
    terraform: Option<Value>,
    cloudformation: Option<Value>,
    note: Option<String>,
    broadens: bool,
) -> Finding {
    let rules = twins.cx.rules.for_type(&twins.terraform.canonical_type);
    let area = twins.terraform.area;
    let pattern = vec![
        attribute
            .split(['.', '['])
            .next()
            .unwrap_or_default()
            .to_owned(),
    ];
    Finding {
        area,
        severity: twins.cx.rules.severity(rules, area, &pattern, status),
        status,
        resource_type: twins.terraform.canonical_type.clone(),
        attribute,
        terraform: Some(side_of(&twins.terraform.id, terraform)),
        cloudformation: Some(side_of(&twins.cloudformation.id, cloudformation)),
        note,
        broadens,
        members: Vec::new(),
        fixes: Vec::new(),
    }
}

/// `Policies.Statement[Allow s3:GetObject, s3:PutObject]`: stable across
/// runs, readable in a baseline.
fn statement_attribute(base: &str, statement: &Value) -> String {
    if statement.contains_sensitive() {
        return format!("{base}.Statement[(sensitive)]");
    }
    let effect = statement
        .get("Effect")
        .map(Value::to_string)
        .unwrap_or_default();
    let actions = match statement
        .get("Action")
        .or_else(|| statement.get("NotAction"))
        .map(|v| v.unmarked().0)
    {
        Some(Value::List(items)) => items
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let not = if statement.get("NotAction").is_some() {
        "not "
    } else {
        ""
    };
    format!("{base}.Statement[{effect} {not}{actions}]")
}

/// Every single permission of these documents; `None` when a document or
/// its statements are unknown as a whole.
fn permissions(documents: &[Value]) -> Option<Vec<Value>> {
    let mut atoms = Vec::new();
    for document in documents {
        let (document, sensitive) = document.unmarked();
        if matches!(document, Value::Null) {
            continue;
        }
        let statements = match document.get("Statement").map(|s| s.unmarked().0)? {
            Value::List(items) => items.clone(),
            map @ Value::Map(_) => vec![map.clone()],
            _ => return None,
        };
        for statement in &statements {
            let (statement, statement_sensitive) = statement.unmarked();
            let found = statement_permissions(statement)?;
            // A sensitive policy's permissions are reported as sensitive.
            if sensitive || statement_sensitive {
                atoms.extend(found.into_iter().map(Value::into_sensitive));
            } else {
                atoms.extend(found);
            }
        }
    }
    Some(atoms)
}

fn statement_permissions(statement: &Value) -> Option<Vec<Value>> {
    let Value::Map(fields) = statement else {
        return None;
    };
    let effect = fields
        .get("Effect")
        .cloned()
        .unwrap_or(Value::from("Allow"));
    let actions = split("Action", "NotAction", fields, lowercase);
    let resources = split("Resource", "NotResource", fields, Clone::clone);
    let principals = principals(fields);
    let condition = fields.get("Condition").map(condition);
    let mut atoms = Vec::new();
    for action in &actions {
        for resource in &resources {
            for principal in &principals {
                let mut atom = Map::from([("Effect".to_owned(), effect.clone())]);
                for part in [action, resource, principal].into_iter().flatten() {
                    atom.insert(part.0.clone(), part.1.clone());
                }
                if let Some(condition) = &condition {
                    atom.insert("Condition".to_owned(), condition.clone());
                }
                atoms.push(Value::Map(atom));
            }
        }
    }
    Some(atoms)
}

/// The values of `field` one by one, or the `not_field` list as one value
/// (its meaning is the whole list), or nothing: `[None]`.
fn split(
    field: &str,
    not_field: &str,
    fields: &Map,
    normalize: impl Fn(&Value) -> Value,
) -> Vec<Option<(String, Value)>> {
    if let Some(value) = fields.get(field) {
        return as_list(value)
            .iter()
            .map(|v| Some((field.to_owned(), normalize(v))))
            .collect();
    }
    if let Some(value) = fields.get(not_field) {
        let mut items: Vec<Value> = as_list(value).iter().map(&normalize).collect();
        items.sort_by_key(Value::to_string);
        return vec![Some((not_field.to_owned(), Value::List(items)))];
    }
    vec![None]
}

/// `"*"` is every AWS principal; a bare account ID is its root.
fn principals(fields: &Map) -> Vec<Option<(String, Value)>> {
    for name in ["Principal", "NotPrincipal"] {
        let Some(value) = fields.get(name) else {
            continue;
        };
        let pairs: Vec<(String, Value)> = match value.unmarked().0 {
            Value::String(s) if s == "*" => vec![("AWS".to_owned(), Value::from("*"))],
            Value::Map(kinds) => kinds
                .iter()
                .flat_map(|(kind, v)| {
                    as_list(v)
                        .into_iter()
                        .map(move |p| (kind.clone(), account_root(&p)))
                })
                .collect(),
            other => vec![("AWS".to_owned(), other.clone())],
        };
        return pairs
            .into_iter()
            .map(|(kind, v)| Some((name.to_owned(), Value::Map(Map::from([(kind, v)])))))
            .collect();
    }
    vec![None]
}

fn account_root(principal: &Value) -> Value {
    match principal.unmarked().0 {
        Value::String(s) if s.len() == 12 && s.chars().all(|c| c.is_ascii_digit()) => {
            Value::from(format!("arn:aws:iam::{s}:root").as_str())
        }
        _ => principal.clone(),
    }
}

/// Condition operator → key (case-insensitive) → the values as a sorted set.
fn condition(value: &Value) -> Value {
    let Value::Map(operators) = value.unmarked().0 else {
        return value.clone();
    };
    Value::Map(
        operators
            .iter()
            .map(|(operator, keys)| {
                let keys = match keys.unmarked().0 {
                    Value::Map(keys) => Value::Map(
                        keys.iter()
                            .map(|(k, v)| {
                                let mut items: Vec<Value> =
                                    as_list(v).into_iter().map(|x| scalar_string(&x)).collect();
                                items.sort_by_key(Value::to_string);
                                (k.to_lowercase(), Value::List(items))
                            })
                            .collect(),
                    ),
                    other => other.clone(),
                };
                (operator.clone(), keys)
            })
            .collect(),
    )
}

fn as_list(value: &Value) -> Vec<Value> {
    match value.unmarked().0 {
        Value::List(items) => items.clone(),
        other => vec![other.clone()],
    }
}

fn lowercase(value: &Value) -> Value {
    match value.unmarked().0 {
        Value::String(s) => Value::String(s.to_lowercase()),
        other => other.clone(),
    }
}

/// Condition values are strings to IAM: `true` and `"true"` are one value.
fn scalar_string(value: &Value) -> Value {
    match value.unmarked().0 {
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Number(n) => Value::String(n.to_string()),
        other => other.clone(),
    }
}

/// Single permissions put back together: one statement per effect,
/// resource, principal and condition, with all its actions.
/// A statement being put back together: its fields but `Action` and
/// `Resource`, its actions, its resources.
type Statement = (Map, Vec<Value>, Vec<Value>);

fn statements(atoms: &[Value]) -> Vec<Value> {
    // Sensitive permissions are shown one by one, as `(sensitive)`.
    let (sensitive, atoms): (Vec<&Value>, Vec<&Value>) =
        atoms.iter().partition(|a| matches!(a, Value::Sensitive(_)));
    let mut by_grant: BTreeMap<String, (Map, Vec<Value>)> = BTreeMap::new();
    for atom in atoms {
        let Value::Map(fields) = atom else { continue };
        let mut rest = fields.clone();
        let action = rest.remove("Action");
        let entry = by_grant
            .entry(Value::Map(rest.clone()).to_string())
            .or_insert_with(|| (rest, Vec::new()));
        entry.1.extend(action);
    }
    // Statements that differ only in their resource are shown as one, with
    // the resources listed.
    let mut merged: BTreeMap<String, Statement> = BTreeMap::new();
    for (mut fields, mut actions) in by_grant.into_values() {
        actions.sort_by_key(Value::to_string);
        actions.dedup();
        let resource = fields.remove("Resource");
        let mut key = fields.clone();
        key.insert("Action".to_owned(), Value::List(actions.clone()));
        let entry = merged
            .entry(Value::Map(key).to_string())
            .or_insert_with(|| (fields, actions, Vec::new()));
        entry.2.extend(resource);
    }
    let known = merged
        .into_values()
        .map(|(mut fields, actions, mut resources)| {
            if !actions.is_empty() {
                fields.insert("Action".to_owned(), Value::List(actions));
            }
            if !resources.is_empty() {
                resources.sort_by_key(Value::to_string);
                fields.insert("Resource".to_owned(), Value::List(resources));
            }
            Value::Map(fields)
        });
    known.chain(sensitive.into_iter().cloned()).collect()
}

#[cfg(test)]
mod tests;
