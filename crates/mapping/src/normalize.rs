//! Normalizations too particular to write as table data.

use std::collections::BTreeMap;

use parity_model::{Ref, ResourceId, Value};

use crate::{Entity, Normalization};

pub fn apply(normalization: Normalization, entity: &mut Entity) {
    match normalization {
        Normalization::SecurityGroupRules => {
            let own = match &entity.id {
                ResourceId::Terraform { address } => Ref::attribute(address.clone(), "id"),
                ResourceId::CloudFormation { logical_id, .. } => {
                    Ref::attribute(logical_id.clone(), "GroupId")
                }
            };
            for (list, peer) in [
                ("SecurityGroupIngress", "SourceSecurityGroupId"),
                ("SecurityGroupEgress", "DestinationSecurityGroupId"),
            ] {
                if let Some(Value::List(rules)) = entity.properties.get(list) {
                    let rules = rules
                        .iter()
                        .flat_map(|r| security_group_rule(r, peer, &own))
                        .collect();
                    entity
                        .properties
                        .insert(list.to_owned(), Value::List(rules));
                }
            }
        }
        Normalization::ListenerConditions => {
            if let Some(Value::List(conditions)) = entity.properties.get_mut("Conditions") {
                for condition in conditions {
                    if let Value::Map(condition) = condition {
                        listener_condition(condition);
                    }
                }
            }
        }
    }
}

/// The `*Config` property of each legacy condition `Field`.
const CONDITION_FIELDS: &[(&str, &str)] = &[
    ("host-header", "HostHeaderConfig"),
    ("path-pattern", "PathPatternConfig"),
    ("http-request-method", "HttpRequestMethodConfig"),
    ("source-ip", "SourceIpConfig"),
];

/// `{Field: path-pattern, Values: [...]}` and `{Field, PathPatternConfig}`
/// both become `{PathPatternConfig: {Values: [...]}}`.
fn listener_condition(condition: &mut BTreeMap<String, Value>) {
    let Some(field) = condition
        .get("Field")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return;
    };
    let Some((_, config)) = CONDITION_FIELDS.iter().find(|(f, _)| *f == field) else {
        return;
    };
    let values = condition.remove("Values");
    condition.remove("Field");
    if let (false, Some(values)) = (condition.contains_key(*config), values) {
        condition.insert(
            (*config).to_owned(),
            Value::Map(BTreeMap::from([("Values".to_owned(), values)])),
        );
    }
}

/// Fields of a rule that name its peer; CloudFormation allows one per rule,
/// Terraform's inline blocks a list of each.
const PEERS: &[&str] = &[
    "PeerSecurityGroupId",
    "PeerPrefixListId",
    "CidrIp",
    "CidrIpv6",
    "SourceSecurityGroupId",
    "DestinationSecurityGroupId",
    "SourcePrefixListId",
    "DestinationPrefixListId",
];

/// One Terraform-style rule → CloudFormation-style rules: one per peer,
/// `Self: true` as a reference to the group itself, protocol numbers as
/// names, and no ports when the protocol is "all".
fn security_group_rule(rule: &Value, peer_field: &str, own: &Ref) -> Vec<Value> {
    let Value::Map(rule) = rule else {
        return vec![rule.clone()];
    };
    let mut base: BTreeMap<String, Value> = rule.clone();
    // The kind of a standalone Terraform rule is the list it is in now.
    base.remove("Type");
    if let Some(protocol) = base.get("IpProtocol").map(protocol_name) {
        if protocol == "-1" {
            base.remove("FromPort");
            base.remove("ToPort");
        }
        base.insert("IpProtocol".to_owned(), Value::String(protocol));
    }
    let mut peers: Vec<(String, Value)> = Vec::new();
    for field in PEERS {
        // Terraform's standalone rules name the peer group or prefix list
        // the same way for both directions.
        let name = match *field {
            "PeerSecurityGroupId" => peer_field.to_owned(),
            "PeerPrefixListId" => peer_field.replace("SecurityGroupId", "PrefixListId"),
            other => other.to_owned(),
        };
        match base.remove(*field) {
            Some(Value::List(items)) => peers.extend(items.into_iter().map(|v| (name.clone(), v))),
            Some(v) => peers.push((name, v)),
            None => {}
        }
    }
    if matches!(base.remove("Self"), Some(Value::Bool(true))) {
        peers.push((peer_field.to_owned(), Value::Ref(own.clone())));
    }
    if peers.is_empty() {
        return vec![Value::Map(base)];
    }
    peers
        .into_iter()
        .map(|(field, peer)| {
            let mut one = base.clone();
            one.insert(field, peer);
            Value::Map(one)
        })
        .collect()
}

/// CloudFormation and the EC2 API accept protocol numbers and names; the
/// common ones are compared by name.
fn protocol_name(value: &Value) -> String {
    let text = value.to_string();
    match text.as_str() {
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        "58" => "icmpv6",
        "all" | "-1" => "-1",
        _ => return text.to_lowercase(),
    }
    .to_owned()
}
