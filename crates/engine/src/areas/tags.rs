//! Tags: a pair's tag differences as one finding — the keys only one side
//! has, the keys whose values differ — with the tags a tool adds by itself
//! (`comparison.yaml`'s `tags.tool`) compared on neither side.

use std::collections::BTreeSet;

use parity_model::{Finding, Map, Status, Value};

use super::{Twins, side_of};
use crate::values::{self, Verdict};

pub fn compare(twins: &Twins<'_>, out: &mut Vec<Finding>) {
    let rules = &twins.cx.rules.tags;
    for property in &rules.properties {
        let tf = twins.terraform.properties.get(property);
        let cfn = twins.cloudformation.properties.get(property);
        if tf.is_none() && cfn.is_none() {
            continue;
        }
        let as_map = |v: Option<&Value>| match v {
            None => Some(Map::new()),
            Some(v) => v.unmarked().0.as_map().cloned(),
        };
        let (Some(a), Some(b)) = (as_map(tf), as_map(cfn)) else {
            // Not maps: unknown before apply, or built by an intrinsic.
            let status = match values::compare(
                tf.unwrap_or(&Value::Null),
                cfn.unwrap_or(&Value::Null),
                twins.refs,
            ) {
                Verdict::Equal => continue,
                Verdict::Unverifiable => Status::Unverifiable,
                Verdict::Differs => Status::Differs,
            };
            out.push(finding(
                twins,
                property,
                status,
                tf.cloned(),
                cfn.cloned(),
                None,
            ));
            continue;
        };
        let construct_path = twins.cloudformation.construct_path.as_deref();
        let tool: BTreeSet<&String> = b
            .iter()
            .filter(|(k, v)| rules.is_tool_tag(k, v.as_str().unwrap_or_default(), construct_path))
            .map(|(k, _)| k)
            .collect();
        let keys: BTreeSet<&String> = a
            .keys()
            .chain(b.keys())
            .filter(|k| !tool.contains(k))
            .collect();
        let (mut only_tf, mut only_cfn, mut differ, mut unknown) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for key in keys {
            match (a.get(key), b.get(key)) {
                (Some(_), None) => only_tf.push(key),
                (None, Some(_)) => only_cfn.push(key),
                (Some(x), Some(y)) => match values::compare(x, y, twins.refs) {
                    Verdict::Equal => {}
                    Verdict::Differs => differ.push(key),
                    Verdict::Unverifiable => unknown.push(key),
                },
                (None, None) => {}
            }
        }
        if only_tf.is_empty() && only_cfn.is_empty() && differ.is_empty() && unknown.is_empty() {
            continue;
        }
        let kept = |map: &Map, own: &[&String]| -> Option<Value> {
            let kept: Map = map
                .iter()
                .filter(|(k, _)| own.contains(k) || differ.contains(k) || unknown.contains(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            (!kept.is_empty()).then_some(Value::Map(kept))
        };
        let (tf_value, cfn_value) = (kept(&a, &only_tf), kept(&b, &only_cfn));
        let status = match (&tf_value, &cfn_value) {
            _ if differ.is_empty() && only_tf.is_empty() && only_cfn.is_empty() => {
                Status::Unverifiable
            }
            (Some(_), None) => Status::OnlyInTerraform,
            (None, Some(_)) => Status::OnlyInCdk,
            _ => Status::Differs,
        };
        let names = |keys: &[&String]| {
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut note = Vec::new();
        if !only_tf.is_empty() {
            note.push(format!("Terraform adds {}", names(&only_tf)));
        }
        if !only_cfn.is_empty() {
            note.push(format!("CDK adds {}", names(&only_cfn)));
        }
        if !differ.is_empty() {
            note.push(format!(
                "{} {}",
                names(&differ),
                if differ.len() == 1 {
                    "differs"
                } else {
                    "differ"
                }
            ));
        }
        if !unknown.is_empty() {
            note.push(format!("{} unknown before deploy", names(&unknown)));
        }
        out.push(finding(
            twins,
            property,
            status,
            tf_value,
            cfn_value,
            Some(note.join("; ")),
        ));
    }
}

fn finding(
    twins: &Twins<'_>,
    property: &str,
    status: Status,
    terraform: Option<Value>,
    cloudformation: Option<Value>,
    note: Option<String>,
) -> Finding {
    let cx = twins.cx;
    let rules = cx.rules.for_type(&twins.terraform.canonical_type);
    let pattern = [property.to_owned()];
    let area = rules.area(&pattern).unwrap_or(twins.terraform.area);
    let severity = match (status, cx.rules.tags.severity) {
        (Status::Unverifiable, _) | (_, None) => cx.rules.severity(rules, area, &pattern, status),
        (_, Some(severity)) => severity,
    };
    Finding {
        area,
        severity,
        status,
        resource_type: twins.terraform.canonical_type.clone(),
        attribute: property.to_owned(),
        terraform: Some(side_of(&twins.terraform.id, terraform)),
        cloudformation: Some(side_of(&twins.cloudformation.id, cloudformation)),
        note,
        broadens: false,
        members: Vec::new(),
        fixes: Vec::new(),
    }
}
