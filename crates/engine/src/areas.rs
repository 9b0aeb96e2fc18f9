//! Findings: each pair's differences with an area, a severity and, where the
//! values alone do not say it, a note. The structural diff does most of the
//! work by the rules of `comparison.yaml`; IAM policies and secret
//! references have modules of their own.

mod iam;
mod secrets;
mod tags;

use parity_mapping::{Entity, Table};
use parity_model::{Finding, FindingSide, ResourceId, Status, Value};

use crate::Alignment;
use crate::diff::{self, Difference};
use crate::rules::Rules;
use crate::values::References;

pub struct Context<'a> {
    pub table: &'a Table,
    pub rules: &'a Rules,
    pub terraform: &'a [Entity],
    pub cloudformation: &'a [Entity],
    pub alignment: &'a Alignment,
}

/// Every finding of every area.
pub fn findings(cx: &Context<'_>) -> Vec<Finding> {
    let refs = References::new(cx.table, cx.terraform, cx.cloudformation, cx.alignment);
    let mut out = unpaired(cx);
    for pair in &cx.alignment.pairs {
        let twins = Twins {
            terraform: &cx.terraform[pair.terraform],
            cloudformation: &cx.cloudformation[pair.cloudformation],
            cx,
            refs: &refs,
        };
        let rules = cx.rules.for_type(&twins.terraform.canonical_type);
        let skip = |path: &[String]| {
            rules.is_policy(path)
                || (rules.effective_policy && iam::is_effective_policy(path))
                || (path.len() == 1 && cx.rules.tags.is_tags(&path[0]))
        };
        for difference in diff::diff_properties(
            &twins.terraform.properties,
            &twins.cloudformation.properties,
            rules,
            &refs,
            &skip,
        ) {
            out.push(twins.finding(difference));
        }
        iam::compare(&twins, rules, &mut out);
        tags::compare(&twins, &mut out);
    }
    out
}

/// Resources of a type both sides know, present on one side only.
fn unpaired(cx: &Context<'_>) -> Vec<Finding> {
    let tf_compared = compared_through_roles(cx, cx.terraform, &cx.alignment.only_terraform, |p| {
        p.terraform
    });
    let cfn_compared = compared_through_roles(
        cx,
        cx.cloudformation,
        &cx.alignment.only_cloudformation,
        |p| p.cloudformation,
    );
    let tf = cx.alignment.only_terraform.iter().map(|i| {
        (
            &cx.terraform[*i],
            Status::OnlyInTerraform,
            tf_compared.get(i),
        )
    });
    let cfn = cx.alignment.only_cloudformation.iter().map(|i| {
        (
            &cx.cloudformation[*i],
            Status::OnlyInCdk,
            cfn_compared.get(i),
        )
    });
    tf.chain(cfn)
        .map(|(entity, status, roles)| {
            let side = Some(side_of(&entity.id, None));
            let (terraform, cloudformation) = if status == Status::OnlyInTerraform {
                (side, None)
            } else {
                (None, side)
            };
            // A managed policy whose statements are compared in the roles
            // it is attached to differs only in how the permissions are
            // packaged (a module's policy against CDK's inline one).
            let (severity, note) = match roles {
                Some(roles) => (
                    parity_model::Severity::Consider,
                    Some(format!(
                        "what it allows is compared as part of {}",
                        roles.join(", ")
                    )),
                ),
                None => (cx.rules.area_severity(entity.area).resource, None),
            };
            Finding {
                area: entity.area,
                severity,
                status,
                resource_type: entity.canonical_type.clone(),
                attribute: String::new(),
                terraform,
                cloudformation,
                note,
                broadens: false,
                members: Vec::new(),
                fixes: Vec::new(),
            }
        })
        .collect()
}

/// The one-sided managed policies of a side (by index) that are attached
/// only to roles with a twin, each with those roles' effective policies
/// named (`the policies of role aws_iam_role.exec`).
fn compared_through_roles(
    cx: &Context<'_>,
    side: &[Entity],
    one_sided: &[usize],
    index: impl Fn(&crate::align::Pair) -> usize,
) -> std::collections::BTreeMap<usize, Vec<String>> {
    let mut out = std::collections::BTreeMap::new();
    if !one_sided
        .iter()
        .any(|i| side[*i].canonical_type == iam::MANAGED_POLICY)
    {
        return out;
    }
    let paired: std::collections::BTreeSet<usize> = cx.alignment.pairs.iter().map(index).collect();
    for (policy, roles) in iam::roles_of_managed_policies(side, cx.rules) {
        if !one_sided.contains(&policy) || !roles.iter().all(|r| paired.contains(r)) {
            continue;
        }
        let mut names: Vec<String> = roles
            .iter()
            .map(|r| format!("the policies of role {}", side[*r].id))
            .collect();
        names.sort();
        out.insert(policy, names);
    }
    out
}

/// A pair of twin entities under comparison.
pub struct Twins<'a> {
    pub terraform: &'a Entity,
    pub cloudformation: &'a Entity,
    pub cx: &'a Context<'a>,
    pub refs: &'a References<'a>,
}

impl Twins<'_> {
    fn finding(&self, d: Difference) -> Finding {
        let rules = self.cx.rules.for_type(&self.terraform.canonical_type);
        let area = rules.area(&d.pattern).unwrap_or(self.terraform.area);
        let severity = self.cx.rules.severity(rules, area, &d.pattern, d.status);
        let note = secrets::note(&d, self.refs).or_else(|| unverifiable_note(&d));
        Finding {
            area,
            severity,
            status: d.status,
            resource_type: self.terraform.canonical_type.clone(),
            attribute: d.attribute,
            terraform: Some(side_of(&self.terraform.id, d.terraform)),
            cloudformation: Some(side_of(&self.cloudformation.id, d.cloudformation)),
            note,
            broadens: false,
            members: Vec::new(),
            fixes: Vec::new(),
        }
    }
}

/// Why a value cannot be compared before deploy.
fn unverifiable_note(d: &Difference) -> Option<String> {
    if d.status != Status::Unverifiable {
        return None;
    }
    let unknown = |v: &Option<Value>| v.as_ref().is_some_and(Value::contains_unknown);
    let refers = |v: &Option<Value>| {
        v.as_ref()
            .is_some_and(|v| matches!(v.unmarked().0, Value::Ref(_) | Value::Template(_)))
    };
    if let Some(Value::Conditional(c)) = d.cloudformation.as_ref().map(|v| v.unmarked().0) {
        return Some(format!(
            "it depends on the condition {}, undecided before deploy",
            c.condition
        ));
    }
    if let Some(value) = d.terraform.as_ref().filter(|v| v.contains_unknown()) {
        return Some(terraform_unknown(
            value,
            "Terraform knows this value only after apply",
        ));
    }
    Some(
        if unknown(&d.cloudformation) {
            "CloudFormation knows this value only at deploy time"
        } else if d
            .cloudformation
            .as_ref()
            .is_some_and(crate::values::dynamic_reference)
        {
            "CloudFormation reads this dynamic reference only at deploy time"
        } else if refers(&d.terraform) != refers(&d.cloudformation) {
            "one side refers to a resource, the other holds a literal value"
        } else {
            "the references cannot be matched to twin resources"
        }
        .to_owned(),
    )
}

/// Why Terraform does not know `value`: what the resolution of unknowns
/// (`cargo xtask plan-json`) recorded when it left the value unknown, else
/// `after_apply`, since nothing but apply can know it.
fn terraform_unknown(value: &Value, after_apply: &str) -> String {
    let reasons = value.unknown_reasons();
    if reasons.is_empty() {
        after_apply.to_owned()
    } else {
        format!("unknown after resolution: {}", reasons.join("; "))
    }
}

pub(super) fn side_of(id: &ResourceId, value: Option<Value>) -> FindingSide {
    match id {
        ResourceId::Terraform { address } => FindingSide {
            resource: address.clone(),
            stack: None,
            value,
            location: None,
        },
        ResourceId::CloudFormation { stack, logical_id } => FindingSide {
            resource: logical_id.clone(),
            stack: Some(stack.clone()),
            value,
            location: None,
        },
    }
}
