//! The comparisons that produce findings, one module per area.

mod env;

use std::collections::BTreeMap;

use parity_mapping::{Entity, Table};
use parity_model::{Area, Finding, FindingSide, ResourceId, Severity, Status, Value};

use crate::Alignment;
use crate::values::{References, Verdict};

pub struct Context<'a> {
    pub table: &'a Table,
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
            refs: &refs,
        };
        env::compare(&twins, &mut out);
    }
    out
}

/// Resources of a type both sides know, present on one side only.
fn unpaired(cx: &Context<'_>) -> Vec<Finding> {
    let tf = cx
        .alignment
        .only_terraform
        .iter()
        .map(|i| (&cx.terraform[*i], Status::OnlyInTerraform));
    let cfn = cx
        .alignment
        .only_cloudformation
        .iter()
        .map(|i| (&cx.cloudformation[*i], Status::OnlyInCdk));
    tf.chain(cfn)
        .map(|(entity, status)| {
            let side = Some(FindingSide {
                resource: resource_name(&entity.id),
                stack: stack_of(&entity.id),
                value: None,
            });
            let (terraform, cloudformation) = if status == Status::OnlyInTerraform {
                (side, None)
            } else {
                (None, side)
            };
            Finding {
                area: entity.area,
                severity: Severity::MustFix,
                status,
                resource_type: entity.canonical_type.clone(),
                attribute: String::new(),
                terraform,
                cloudformation,
            }
        })
        .collect()
}

/// A pair of twin entities under comparison.
pub struct Twins<'a> {
    pub terraform: &'a Entity,
    pub cloudformation: &'a Entity,
    pub refs: &'a References<'a>,
}

impl Twins<'_> {
    /// A finding about `attribute` of this pair; `None` values are absent.
    fn finding(
        &self,
        area: Area,
        severity: Severity,
        status: Status,
        attribute: String,
        terraform: Option<&Value>,
        cloudformation: Option<&Value>,
    ) -> Finding {
        Finding {
            area,
            severity,
            status,
            resource_type: self.terraform.canonical_type.clone(),
            attribute,
            terraform: Some(FindingSide {
                resource: resource_name(&self.terraform.id),
                stack: None,
                value: terraform.cloned(),
            }),
            cloudformation: Some(FindingSide {
                resource: resource_name(&self.cloudformation.id),
                stack: stack_of(&self.cloudformation.id),
                value: cloudformation.cloned(),
            }),
        }
    }

    /// Compares two lists item by item, pairing items by the list's key
    /// (CloudFormation lists such as `Environment` are identified by `Name`,
    /// not position).
    fn keyed_lists<'v>(
        &self,
        list: &KeyedList,
        terraform: Option<&'v Value>,
        cloudformation: Option<&'v Value>,
        out: &mut Vec<Finding>,
    ) {
        let (tf, cfn) = match (keyed(terraform, list.key), keyed(cloudformation, list.key)) {
            (Some(tf), Some(cfn)) => (tf, cfn),
            _ => {
                // A list whose items cannot be named (unknown before apply)
                // can only be reported as a whole.
                let status = Status::Unverifiable;
                out.push(self.finding(
                    list.area,
                    (list.severity)(status),
                    status,
                    list.attribute.clone(),
                    terraform,
                    cloudformation,
                ));
                return;
            }
        };
        let names: std::collections::BTreeSet<&String> = tf.keys().chain(cfn.keys()).collect();
        for name in names {
            let path = format!("{}[{name}]", list.attribute);
            let payload = |item: Option<&'v Value>| match list.field {
                Some(field) => item.and_then(|i| i.get(field)),
                None => item,
            };
            let (t, c) = (
                payload(tf.get(name).copied()),
                payload(cfn.get(name).copied()),
            );
            let status = match (tf.contains_key(name), cfn.contains_key(name)) {
                (true, false) => Status::OnlyInTerraform,
                (false, true) => Status::OnlyInCdk,
                _ => match (t, c) {
                    (Some(t), Some(c)) => match crate::values::compare(t, c, self.refs) {
                        Verdict::Equal => continue,
                        Verdict::Differs => Status::Differs,
                        Verdict::Unverifiable => Status::Unverifiable,
                    },
                    (None, None) => continue,
                    _ => Status::Differs,
                },
            };
            out.push(self.finding(list.area, (list.severity)(status), status, path, t, c));
        }
    }
}

/// A list whose items are identified by a key field.
pub struct KeyedList {
    pub area: Area,
    /// The list's path, to which `[name]` is appended for each item.
    pub attribute: String,
    /// The field naming each item (`Name`).
    pub key: &'static str,
    /// The field holding what is compared (`Value`), or the whole item.
    pub field: Option<&'static str>,
    /// How much a difference of each kind matters.
    pub severity: fn(Status) -> Severity,
}

/// The items of a list by the value of their `key` field, or `None` when a
/// name cannot be known. An absent list is an empty one.
fn keyed<'v>(list: Option<&'v Value>, key: &str) -> Option<BTreeMap<String, &'v Value>> {
    let Some(list) = list else {
        return Some(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for item in list.unmarked().0.as_list()? {
        let name = item.get(key)?.unmarked().0.as_str()?;
        out.insert(name.to_owned(), item);
    }
    Some(out)
}

fn resource_name(id: &ResourceId) -> String {
    match id {
        ResourceId::Terraform { address } => address.clone(),
        ResourceId::CloudFormation { logical_id, .. } => logical_id.clone(),
    }
}

fn stack_of(id: &ResourceId) -> Option<String> {
    match id {
        ResourceId::CloudFormation { stack, .. } => Some(stack.clone()),
        ResourceId::Terraform { .. } => None,
    }
}
