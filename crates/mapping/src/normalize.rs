//! Normalizations too particular to write as table data.

use parity_model::{Map, Ref, ResourceId, Value};

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
                    // A state lists a rule managed as a resource of its own
                    // in its group too; folded in, it would count twice.
                    let mut unique: Vec<Value> = Vec::new();
                    let own = Value::Ref(own.clone());
                    for rule in rules
                        .iter()
                        .flat_map(|r| security_group_rule(r, peer, &own))
                    {
                        if !unique.contains(&rule) {
                            unique.push(rule);
                        }
                    }
                    let rules = unique;
                    entity
                        .properties
                        .insert(list.to_owned(), Value::List(rules));
                }
            }
        }
        Normalization::SecurityGroupRule => {
            let peer = if entity.canonical_type.ends_with("Egress") {
                "DestinationSecurityGroupId"
            } else {
                "SourceSecurityGroupId"
            };
            // `Self` names the rule's own group.
            let own = entity
                .properties
                .get("GroupId")
                .cloned()
                .unwrap_or(Value::Null);
            let rule = Value::Map(std::mem::take(&mut entity.properties));
            match security_group_rule(&rule, peer, &own).as_slice() {
                [Value::Map(one)] => entity.properties = one.clone(),
                // Several peers are several CloudFormation rules: the rule
                // stays as it is.
                _ => {
                    if let Value::Map(properties) = rule {
                        entity.properties = properties;
                    }
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
        Normalization::AwsvpcHostPorts => awsvpc_host_ports(&mut entity.properties),
        Normalization::UnwaitedStartTimeouts => unwaited_start_timeouts(&mut entity.properties),
        Normalization::FlowLogDestination => {
            let terraform = matches!(entity.id, ResourceId::Terraform { .. });
            flow_log_destination(&mut entity.properties, terraform);
        }
        Normalization::RecordNames => record_names(&mut entity.properties),
        Normalization::CertificateNames => certificate_names(&mut entity.properties),
        Normalization::DistributionSettings => {
            if let Some(Value::Map(config)) = entity.properties.get_mut("DistributionConfig") {
                distribution_settings(config);
            }
        }
    }
}

/// A Route 53 name as the service keeps it: lower case, no trailing dot.
fn dns_name(name: &mut Value) {
    if let Value::String(text) = name {
        *text = text.strip_suffix('.').unwrap_or(text).to_lowercase();
    }
}

fn awsvpc_host_ports(properties: &mut Map) {
    let awsvpc = properties
        .get("NetworkMode")
        .and_then(|m| m.unmarked().0.as_str())
        == Some("awsvpc");
    if !awsvpc {
        return;
    }
    let Some(Value::List(containers)) = properties.get_mut("ContainerDefinitions") else {
        return;
    };
    for container in containers {
        let Value::Map(container) = container else {
            continue;
        };
        let Some(Value::List(mappings)) = container.get_mut("PortMappings") else {
            continue;
        };
        for mapping in mappings {
            if let Value::Map(mapping) = mapping
                && !mapping.contains_key("HostPort")
                && let Some(port) = mapping.get("ContainerPort").cloned()
            {
                mapping.insert("HostPort".to_owned(), port);
            }
        }
    }
}

/// ECS waits for a container to reach the condition another container's
/// `DependsOn` names for as long as its `StartTimeout` says: that is all
/// the timeout does. A container no other one waits for has it removed.
fn unwaited_start_timeouts(properties: &mut Map) {
    let Some(Value::List(containers)) = properties.get_mut("ContainerDefinitions") else {
        return;
    };
    let waited: Vec<Value> = containers
        .iter()
        .filter_map(|c| match c.get("DependsOn").map(|d| d.unmarked().0) {
            Some(Value::List(dependencies)) => Some(dependencies),
            _ => None,
        })
        .flatten()
        .filter_map(|d| d.get("ContainerName"))
        .map(|name| name.unmarked().0.clone())
        .collect();
    for container in containers {
        let Value::Map(container) = container else {
            continue;
        };
        let name = container.get("Name").map(|n| n.unmarked().0);
        if !name.is_some_and(|n| waited.contains(n)) {
            container.remove("StartTimeout");
        }
    }
}

/// `LogDestination` holding a log group's ARN, for CloudWatch Logs (the
/// destination type when none is given), becomes `LogGroupName`: the
/// provider's `arn` of a group is a reference to its `name`, a template's
/// `Fn::GetAtt [Group, Arn]` a `Ref` to it, and a literal ARN
/// (`arn:aws:logs:…:log-group:NAME`, with or without `:*`) the name; an
/// ARN known after apply names the group known after apply.
fn flow_log_destination(properties: &mut Map, terraform: bool) {
    let to_logs = properties
        .get("LogDestinationType")
        .is_none_or(|t| t.unmarked().0.as_str() == Some("cloud-watch-logs"));
    if !to_logs || properties.contains_key("LogGroupName") {
        return;
    }
    let name = match properties.get("LogDestination") {
        Some(Value::Ref(r)) if terraform && r.attribute.as_deref() == Some("arn") => {
            Value::Ref(Ref::attribute(r.target.clone(), "name"))
        }
        Some(Value::Ref(r)) if !terraform && r.attribute.as_deref() == Some("Arn") => {
            Value::Ref(Ref::resource(r.target.clone()))
        }
        // A group not created yet: the same group, known after apply.
        Some(unknown @ Value::Unknown(_)) => unknown.clone(),
        Some(Value::String(arn)) => match arn.split_once(":log-group:") {
            Some((prefix, rest)) if prefix.starts_with("arn:") => {
                Value::from(rest.strip_suffix(":*").unwrap_or(rest))
            }
            _ => return,
        },
        _ => return,
    };
    properties.remove("LogDestination");
    properties.insert("LogGroupName".to_owned(), name);
}

fn record_names(properties: &mut Map) {
    if let Some(name) = properties.get_mut("Name") {
        dns_name(name);
    }
    if let Some(Value::Map(alias)) = properties.get_mut("AliasTarget")
        && let Some(name) = alias.get_mut("DNSName")
    {
        dns_name(name);
    }
    // A TXT value is one quoted string to Route 53; CDK writes the quotes,
    // the AWS provider adds them itself.
    let quoted = matches!(
        properties.get("Type").and_then(Value::as_str),
        Some("TXT" | "SPF")
    );
    if quoted && let Some(Value::List(records)) = properties.get_mut("ResourceRecords") {
        for record in records {
            if let Value::String(text) = record
                && let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"'))
                && !inner.contains('"')
            {
                *text = inner.to_owned();
            }
        }
    }
}

fn certificate_names(properties: &mut Map) {
    if let Some(domain) = properties.get("DomainName").cloned()
        && let Some(Value::List(names)) = properties.get_mut("SubjectAlternativeNames")
    {
        names.retain(|name| *name != domain);
        if names.is_empty() {
            properties.remove("SubjectAlternativeNames");
        }
    }
    if let Some(Value::List(options)) = properties.get_mut("DomainValidationOptions") {
        for option in options.iter_mut() {
            if let Value::Map(option) = option {
                option.remove("HostedZoneId");
            }
        }
        // What is left of DNS validation is the domain name alone.
        options.retain(|o| {
            o.as_map()
                .is_some_and(|m| m.keys().any(|k| k != "DomainName"))
        });
        if options.is_empty() {
            properties.remove("DomainValidationOptions");
        }
    }
}

fn distribution_settings(config: &mut Map) {
    // CloudFront's API answers "" for what is not set (an S3 origin's
    // access identity under origin access control).
    drop_empty_strings(config);
    let default_certificate = config
        .get("ViewerCertificate")
        .and_then(|c| c.get("CloudFrontDefaultCertificate"))
        .is_some_and(|v| matches!(v, Value::Bool(true)) || v.as_str() == Some("true"));
    if default_certificate {
        // CloudFront's own certificate has no options to choose.
        config.remove("ViewerCertificate");
    }
    if let Some(behavior) = config.get_mut("DefaultCacheBehavior") {
        ttls_under_cache_policy(behavior);
    }
    if let Some(Value::List(behaviors)) = config.get_mut("CacheBehaviors") {
        behaviors.iter_mut().for_each(ttls_under_cache_policy);
    }
    crate::canonical::prune_empty(config, false);
}

/// A cache policy decides the TTLs; the behavior's own are not used.
fn ttls_under_cache_policy(behavior: &mut Value) {
    if let Value::Map(behavior) = behavior
        && behavior.contains_key("CachePolicyId")
    {
        for ttl in ["DefaultTTL", "MaxTTL", "MinTTL"] {
            behavior.remove(ttl);
        }
    }
}

fn drop_empty_strings(map: &mut Map) {
    map.retain(|_, value| {
        match value {
            Value::Map(inner) => drop_empty_strings(inner),
            Value::List(items) => {
                for item in items {
                    if let Value::Map(inner) = item {
                        drop_empty_strings(inner);
                    }
                }
            }
            _ => {}
        }
        !matches!(value, Value::String(s) if s.is_empty())
    });
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
fn listener_condition(condition: &mut Map) {
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
            Value::Map(Map::from([("Values".to_owned(), values)])),
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
fn security_group_rule(rule: &Value, peer_field: &str, own: &Value) -> Vec<Value> {
    let Value::Map(rule) = rule else {
        return vec![rule.clone()];
    };
    let mut base: Map = rule.clone();
    // The kind of a standalone Terraform rule is the list it is in now.
    base.remove("Type");
    if let Some(protocol) = base.get("IpProtocol").map(protocol_name) {
        if protocol == "-1" {
            base.remove("FromPort");
            base.remove("ToPort");
        }
        base.insert("IpProtocol".to_owned(), Value::String(protocol));
    }
    // Terraform refuses a standalone rule that names both addresses and a
    // peer group: beside known addresses, a peer group known only after
    // apply is none. A module's rule map can hold one (its expression
    // references the groups other rules of the map name).
    let addresses = ["CidrIp", "CidrIpv6"].iter().any(|field| {
        base.get(*field).is_some_and(|v| match v.unmarked().0 {
            Value::List(items) => !items.is_empty() && !v.contains_unknown(),
            Value::Unknown(_) => false,
            _ => true,
        })
    });
    if addresses
        && base
            .get("PeerSecurityGroupId")
            .is_some_and(|v| matches!(v.unmarked().0, Value::Unknown(_)))
    {
        base.remove("PeerSecurityGroupId");
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
        peers.push((peer_field.to_owned(), own.clone()));
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
