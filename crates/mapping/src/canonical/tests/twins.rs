//! Twins: a Terraform resource as `terraform show -json` writes it (AWS
//! provider 5) and what `cdk synth` writes for the same infrastructure come
//! out of canonicalization with the same properties.

use std::collections::BTreeMap;

use parity_model::{Map, Ref, Resource, ResourceId, TemplatePart, Unknown, Value};
use serde_json::{Value as Json, json};

use crate::{Canonical, Entity, Table, canonicalize};

/// A Terraform resource; its type is the first part of its address. A
/// string `"${aws_x.y.attr}"` stands for what the loader makes of another
/// resource's ID or ARN: a reference to it, alone or in a string;
/// `"(known after apply)"` for what the provider computes, and `"(known
/// after apply: aws_x.y)"` for what the configuration takes from another
/// resource not created yet.
fn tf(address: &str, attributes: Json) -> Resource {
    Resource {
        id: ResourceId::Terraform {
            address: address.into(),
        },
        resource_type: address.split('.').next().unwrap_or_default().into(),
        properties: properties(attributes, &terraform_value),
        action: None,
        construct_path: None,
        module: None,
        condition: None,
    }
}

/// A CloudFormation resource, with `Ref` and `Fn::GetAtt` as references.
fn cfn(logical_id: &str, resource_type: &str, template_properties: Json) -> Resource {
    Resource {
        id: ResourceId::CloudFormation {
            stack: "Stack".into(),
            logical_id: logical_id.into(),
        },
        resource_type: resource_type.into(),
        properties: properties(template_properties, &cloudformation_value),
        action: None,
        construct_path: None,
        module: None,
        condition: None,
    }
}

fn properties(json: Json, convert: &dyn Fn(&Json) -> Value) -> Map {
    let Json::Object(map) = json else {
        panic!("properties are an object")
    };
    map.iter().map(|(k, v)| (k.clone(), convert(v))).collect()
}

fn terraform_value(json: &Json) -> Value {
    match json {
        Json::String(s) if s == "(known after apply)" => Value::Unknown(Unknown::default()),
        Json::String(s) if s.starts_with("(known after apply: ") => Value::Unknown(Unknown {
            refs: vec![s["(known after apply: ".len()..s.len() - 1].to_owned()],
            reason: None,
        }),
        Json::String(s) if s.contains("${") => terraform_template(s),
        Json::Array(items) => Value::List(items.iter().map(terraform_value).collect()),
        Json::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| (k.clone(), terraform_value(v)))
                .collect(),
        ),
        other => Value::from_json(other),
    }
}

/// `"${aws_s3_bucket.b.arn}/*"`: literals and references.
fn terraform_template(text: &str) -> Value {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        parts.push(TemplatePart::from(&rest[..start]));
        let end = rest[start..].find('}').expect("a closing brace") + start;
        let (target, attribute) = rest[start + 2..end]
            .rsplit_once('.')
            .expect("${type.name.attribute}");
        parts.push(TemplatePart::Ref(Ref::attribute(target, attribute)));
        rest = &rest[end + 1..];
    }
    parts.push(TemplatePart::from(rest));
    match Value::template(parts) {
        Value::Template(parts) if parts.len() == 1 => match &parts[0] {
            TemplatePart::Ref(r) => Value::Ref(r.clone()),
            _ => Value::Template(parts),
        },
        other => other,
    }
}

fn cloudformation_value(json: &Json) -> Value {
    match json {
        Json::Object(map) if map.len() == 1 && map.contains_key("Ref") => {
            Value::Ref(Ref::resource(map["Ref"].as_str().unwrap_or_default()))
        }
        Json::Object(map) if map.len() == 1 && map.contains_key("Fn::GetAtt") => {
            let target = map["Fn::GetAtt"][0].as_str().unwrap_or_default();
            let attribute = map["Fn::GetAtt"][1].as_str().unwrap_or_default();
            Value::Ref(Ref::attribute(target, attribute))
        }
        Json::Object(map) if map.len() == 1 && map.contains_key("Fn::Join") => {
            let parts = map["Fn::Join"][1]
                .as_array()
                .expect("Fn::Join [\"\", [parts]]");
            Value::template(parts.iter().map(|part| match cloudformation_value(part) {
                Value::Ref(r) => TemplatePart::Ref(r),
                Value::String(s) => TemplatePart::Literal(s),
                other => panic!("a part of a join: {other}"),
            }))
        }
        Json::Array(items) => Value::List(items.iter().map(cloudformation_value).collect()),
        Json::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| (k.clone(), cloudformation_value(v)))
                .collect(),
        ),
        other => Value::from_json(other),
    }
}

/// Both sides canonicalized, and which resources are twins.
struct Twins {
    table: Table,
    terraform: Canonical,
    cloudformation: Canonical,
    /// Logical ID → Terraform address.
    pairs: BTreeMap<String, String>,
}

impl Twins {
    /// `pairs`: (Terraform address, logical ID) of every twin the
    /// resources refer to.
    fn new(
        terraform: Vec<Resource>,
        cloudformation: Vec<Resource>,
        pairs: &[(&str, &str)],
    ) -> Twins {
        let table = Table::builtin().unwrap();
        let both = Twins {
            terraform: canonicalize(&terraform, &table),
            cloudformation: canonicalize(&cloudformation, &table),
            table,
            pairs: pairs
                .iter()
                .map(|(t, c)| ((*c).to_owned(), (*t).to_owned()))
                .collect(),
        };
        for side in [&both.terraform, &both.cloudformation] {
            assert!(side.diagnostics.is_empty(), "{:?}", side.diagnostics);
            assert!(side.unmapped.is_empty(), "{:?}", side.unmapped);
        }
        both
    }

    fn terraform_entity(&self, address: &str) -> &Entity {
        let found = self
            .terraform
            .entities
            .iter()
            .find(|e| e.id.to_string() == address);
        found.unwrap_or_else(|| panic!("no entity {address}; folded away?"))
    }

    fn cloudformation_entity(&self, logical_id: &str) -> &Entity {
        let found = self
            .cloudformation
            .entities
            .iter()
            .find(|e| matches!(&e.id, ResourceId::CloudFormation { logical_id: l, .. } if l == logical_id));
        found.unwrap_or_else(|| panic!("no entity {logical_id}; folded away?"))
    }

    /// The twins have the same type and the same properties, by
    /// CloudFormation's rules: scalars by their text, lists of scalars as
    /// sets, references equal when they name the same attribute of twins.
    fn assert_same(&self, address: &str, logical_id: &str) {
        let (t, c) = (
            self.terraform_entity(address),
            self.cloudformation_entity(logical_id),
        );
        assert_eq!(
            t.canonical_type, c.canonical_type,
            "{address} and {logical_id}"
        );
        let t_plain = plain(&Value::Map(t.properties.clone()), &|r| r.to_string());
        let c_plain = plain(&Value::Map(c.properties.clone()), &|r| self.as_terraform(r));
        let (t_text, c_text) = (
            serde_json::to_string_pretty(&t_plain).unwrap(),
            serde_json::to_string_pretty(&c_plain).unwrap(),
        );
        assert!(
            t_text == c_text,
            "{address}:\n{t_text}\n\n{logical_id}:\n{c_text}"
        );
    }

    /// A CloudFormation reference written as the Terraform one it equals.
    fn as_terraform(&self, r: &Ref) -> String {
        let Some(address) = self.pairs.get(&r.target) else {
            return format!("(no twin for {r})");
        };
        let resource_type = address.split('.').next().unwrap_or_default();
        let mapping = self.table.terraform_type(resource_type);
        match mapping.and_then(|m| m.terraform_attribute_for(r.attribute.as_deref())) {
            Some(attribute) => format!("{address}.{attribute}"),
            None => format!("(no Terraform attribute for {r})"),
        }
    }
}

fn plain(value: &Value, reference: &dyn Fn(&Ref) -> String) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::String(b.to_string()),
        Value::Number(n) => Json::String(n.to_string()),
        Value::String(s) => Json::String(s.clone()),
        Value::Ref(r) => Json::String(format!("${{{}}}", reference(r))),
        Value::Template(parts) => Json::String(
            parts
                .iter()
                .map(|p| match p {
                    TemplatePart::Literal(s) => s.clone(),
                    TemplatePart::Ref(r) => format!("${{{}}}", reference(r)),
                    TemplatePart::Unknown(u) => u.to_string(),
                })
                .collect(),
        ),
        Value::List(items) => {
            let mut items: Vec<Json> = items.iter().map(|v| plain(v, reference)).collect();
            if items.iter().all(Json::is_string) {
                items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            }
            Json::Array(items)
        }
        Value::Map(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), plain(v, reference)))
                .collect(),
        ),
        Value::Sensitive(inner) => plain(inner, reference),
        Value::Masked(masked) => plain(&masked.value, reference),
        Value::Unknown(u) => Json::String(u.to_string()),
        Value::Conditional(_) => Json::String(value.to_string()),
    }
}

#[test]
fn a_vpc_with_subnets_routes_and_gateways() {
    let twins = Twins::new(
        vec![
            tf(
                "aws_vpc.main",
                json!({
                    "assign_generated_ipv6_cidr_block": null, "cidr_block": "10.0.0.0/16",
                    "enable_dns_hostnames": true, "enable_dns_support": true, "instance_tenancy": "default",
                    "ipv4_ipam_pool_id": null, "ipv4_netmask_length": null, "ipv6_ipam_pool_id": null,
                    "ipv6_netmask_length": null, "tags": {"Name": "Net/Vpc"}, "tags_all": {"Name": "Net/Vpc"}
                }),
            ),
            tf(
                "aws_subnet.public",
                json!({
                    "assign_ipv6_address_on_creation": false, "availability_zone": "eu-west-1a",
                    "cidr_block": "10.0.0.0/18", "customer_owned_ipv4_pool": null, "enable_dns64": false,
                    "enable_lni_at_device_index": null, "enable_resource_name_dns_a_record_on_launch": false,
                    "enable_resource_name_dns_aaaa_record_on_launch": false, "ipv6_cidr_block": null,
                    "ipv6_native": false, "map_customer_owned_ip_on_launch": null,
                    "map_public_ip_on_launch": true, "outpost_arn": null,
                    "tags": {"Name": "Net/Vpc/PublicSubnet1", "aws-cdk:subnet-name": "Public", "aws-cdk:subnet-type": "Public"},
                    "timeouts": null, "vpc_id": "${aws_vpc.main.id}"
                }),
            ),
            tf(
                "aws_internet_gateway.main",
                json!({"tags": {"Name": "Net/Vpc"}, "timeouts": null, "vpc_id": "${aws_vpc.main.id}"}),
            ),
            tf(
                "aws_route_table.public",
                json!({
                    "route": [{
                        "carrier_gateway_id": "", "cidr_block": "0.0.0.0/0", "core_network_arn": "",
                        "destination_prefix_list_id": "", "egress_only_gateway_id": "",
                        "gateway_id": "${aws_internet_gateway.main.id}", "ipv6_cidr_block": "",
                        "local_gateway_id": "", "nat_gateway_id": "", "network_interface_id": "",
                        "transit_gateway_id": "", "vpc_endpoint_id": "", "vpc_peering_connection_id": ""
                    }],
                    "tags": {"Name": "Net/Vpc/PublicSubnet1"}, "timeouts": null, "vpc_id": "${aws_vpc.main.id}"
                }),
            ),
            tf(
                "aws_route_table_association.public",
                json!({
                    "gateway_id": null, "route_table_id": "${aws_route_table.public.id}",
                    "subnet_id": "${aws_subnet.public.id}", "timeouts": null
                }),
            ),
            tf(
                "aws_eip.nat",
                json!({
                    "address": null, "associate_with_private_ip": null, "customer_owned_ipv4_pool": null,
                    "domain": "vpc", "tags": {"Name": "Net/Vpc/PublicSubnet1"}, "timeouts": null
                }),
            ),
            tf(
                "aws_nat_gateway.main",
                json!({
                    "allocation_id": "${aws_eip.nat.id}", "connectivity_type": "public",
                    "secondary_allocation_ids": null, "subnet_id": "${aws_subnet.public.id}",
                    "tags": {"Name": "Net/Vpc/PublicSubnet1"}, "timeouts": null
                }),
            ),
            tf(
                "aws_route_table.private",
                json!({"route": [], "tags": {"Name": "Net/Vpc/PrivateSubnet1"}, "timeouts": null, "vpc_id": "${aws_vpc.main.id}"}),
            ),
            tf(
                "aws_route.private_default",
                json!({
                    "carrier_gateway_id": null, "core_network_arn": null, "destination_cidr_block": "0.0.0.0/0",
                    "destination_ipv6_cidr_block": null, "destination_prefix_list_id": null,
                    "egress_only_gateway_id": null, "gateway_id": null, "local_gateway_id": null,
                    "nat_gateway_id": "${aws_nat_gateway.main.id}", "route_table_id": "${aws_route_table.private.id}",
                    "timeouts": null, "transit_gateway_id": null, "vpc_endpoint_id": null,
                    "vpc_peering_connection_id": null
                }),
            ),
        ],
        vec![
            cfn(
                "Vpc8378EB38",
                "AWS::EC2::VPC",
                json!({
                    "CidrBlock": "10.0.0.0/16", "EnableDnsHostnames": true, "EnableDnsSupport": true,
                    "InstanceTenancy": "default", "Tags": [{"Key": "Name", "Value": "Net/Vpc"}]
                }),
            ),
            cfn(
                "VpcPublicSubnet1Subnet5C2D37C4",
                "AWS::EC2::Subnet",
                json!({
                    "AvailabilityZone": "eu-west-1a", "CidrBlock": "10.0.0.0/18", "MapPublicIpOnLaunch": true,
                    "Tags": [
                        {"Key": "aws-cdk:subnet-name", "Value": "Public"},
                        {"Key": "aws-cdk:subnet-type", "Value": "Public"},
                        {"Key": "Name", "Value": "Net/Vpc/PublicSubnet1"}
                    ],
                    "VpcId": {"Ref": "Vpc8378EB38"}
                }),
            ),
            cfn(
                "VpcIGWD7BA715C",
                "AWS::EC2::InternetGateway",
                json!({"Tags": [{"Key": "Name", "Value": "Net/Vpc"}]}),
            ),
            cfn(
                "VpcVPCGWBF912B6E",
                "AWS::EC2::VPCGatewayAttachment",
                json!({"InternetGatewayId": {"Ref": "VpcIGWD7BA715C"}, "VpcId": {"Ref": "Vpc8378EB38"}}),
            ),
            cfn(
                "VpcPublicSubnet1RouteTable6C95E38E",
                "AWS::EC2::RouteTable",
                json!({"Tags": [{"Key": "Name", "Value": "Net/Vpc/PublicSubnet1"}], "VpcId": {"Ref": "Vpc8378EB38"}}),
            ),
            cfn(
                "VpcPublicSubnet1RouteTableAssociation97140677",
                "AWS::EC2::SubnetRouteTableAssociation",
                json!({
                    "RouteTableId": {"Ref": "VpcPublicSubnet1RouteTable6C95E38E"},
                    "SubnetId": {"Ref": "VpcPublicSubnet1Subnet5C2D37C4"}
                }),
            ),
            cfn(
                "VpcPublicSubnet1DefaultRoute3DA9E72A",
                "AWS::EC2::Route",
                json!({
                    "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": {"Ref": "VpcIGWD7BA715C"},
                    "RouteTableId": {"Ref": "VpcPublicSubnet1RouteTable6C95E38E"}
                }),
            ),
            cfn(
                "VpcPublicSubnet1EIPD7E02669",
                "AWS::EC2::EIP",
                json!({"Domain": "vpc", "Tags": [{"Key": "Name", "Value": "Net/Vpc/PublicSubnet1"}]}),
            ),
            cfn(
                "VpcPublicSubnet1NATGateway4D7517AA",
                "AWS::EC2::NatGateway",
                json!({
                    "AllocationId": {"Fn::GetAtt": ["VpcPublicSubnet1EIPD7E02669", "AllocationId"]},
                    "SubnetId": {"Ref": "VpcPublicSubnet1Subnet5C2D37C4"},
                    "Tags": [{"Key": "Name", "Value": "Net/Vpc/PublicSubnet1"}]
                }),
            ),
            cfn(
                "VpcPrivateSubnet1RouteTableB2C5B500",
                "AWS::EC2::RouteTable",
                json!({"Tags": [{"Key": "Name", "Value": "Net/Vpc/PrivateSubnet1"}], "VpcId": {"Ref": "Vpc8378EB38"}}),
            ),
            cfn(
                "VpcPrivateSubnet1DefaultRouteBE02A9ED",
                "AWS::EC2::Route",
                json!({
                    "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": {"Ref": "VpcPublicSubnet1NATGateway4D7517AA"},
                    "RouteTableId": {"Ref": "VpcPrivateSubnet1RouteTableB2C5B500"}
                }),
            ),
        ],
        &[
            ("aws_vpc.main", "Vpc8378EB38"),
            ("aws_subnet.public", "VpcPublicSubnet1Subnet5C2D37C4"),
            ("aws_internet_gateway.main", "VpcIGWD7BA715C"),
            (
                "aws_route_table.public",
                "VpcPublicSubnet1RouteTable6C95E38E",
            ),
            (
                "aws_route_table_association.public",
                "VpcPublicSubnet1RouteTableAssociation97140677",
            ),
            ("aws_eip.nat", "VpcPublicSubnet1EIPD7E02669"),
            ("aws_nat_gateway.main", "VpcPublicSubnet1NATGateway4D7517AA"),
            (
                "aws_route_table.private",
                "VpcPrivateSubnet1RouteTableB2C5B500",
            ),
        ],
    );
    for (address, logical_id) in twins
        .pairs
        .iter()
        .map(|(c, t)| (t.clone(), c.clone()))
        .collect::<Vec<_>>()
    {
        twins.assert_same(&address, &logical_id);
    }
    // The gateway's attachment and every route went into their parents.
    assert_eq!(twins.cloudformation.entities.len(), 8);
    assert_eq!(twins.terraform.entities.len(), 8);
}

#[test]
fn vpc_endpoints_service_discovery_and_service_scaling() {
    let twins = Twins::new(
        vec![
            tf(
                "aws_vpc_endpoint.s3",
                json!({
                    "auto_accept": null, "policy": "(known after apply)", "private_dns_enabled": "(known after apply)",
                    "resource_configuration_arn": null, "route_table_ids": ["${aws_route_table.private.id}"],
                    "service_name": "com.amazonaws.eu-west-1.s3", "service_network_arn": null,
                    "tags": {"Name": "Net/Vpc"}, "timeouts": null, "vpc_endpoint_type": "Gateway",
                    "vpc_id": "${aws_vpc.main.id}"
                }),
            ),
            tf(
                "aws_vpc_endpoint.ecr",
                json!({
                    "auto_accept": null, "dns_options": "(known after apply)", "ip_address_type": "(known after apply)",
                    "policy": "(known after apply)", "private_dns_enabled": true, "resource_configuration_arn": null,
                    "security_group_ids": ["${aws_security_group.endpoints.id}"],
                    "service_name": "com.amazonaws.eu-west-1.ecr.api", "service_network_arn": null,
                    "subnet_ids": ["${aws_subnet.private.id}"], "tags": {"Name": "Net/Vpc"}, "timeouts": null,
                    "vpc_endpoint_type": "Interface", "vpc_id": "${aws_vpc.main.id}"
                }),
            ),
            tf(
                "aws_service_discovery_private_dns_namespace.internal",
                json!({"description": null, "name": "internal.local", "tags": null, "vpc": "${aws_vpc.main.id}"}),
            ),
            tf(
                "aws_service_discovery_service.api",
                json!({
                    "description": null,
                    "dns_config": [{
                        "dns_records": [{"ttl": 60, "type": "A"}],
                        "namespace_id": "${aws_service_discovery_private_dns_namespace.internal.id}",
                        "routing_policy": "MULTIVALUE"
                    }],
                    "force_destroy": false, "health_check_config": [],
                    "health_check_custom_config": [{"failure_threshold": 1}],
                    "name": "api", "namespace_id": "(known after apply)", "tags": null, "type": "(known after apply)"
                }),
            ),
            tf(
                "aws_appautoscaling_target.api",
                json!({
                    "max_capacity": 4, "min_capacity": 1, "resource_id": "service/api/api",
                    "role_arn": "arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService",
                    "scalable_dimension": "ecs:service:DesiredCount", "service_namespace": "ecs",
                    "suspended_state": "(known after apply)", "tags": null
                }),
            ),
            tf(
                "aws_appautoscaling_policy.cpu",
                json!({
                    "name": "cpu", "policy_type": "TargetTrackingScaling", "resource_id": "service/api/api",
                    "scalable_dimension": "ecs:service:DesiredCount", "service_namespace": "ecs",
                    "step_scaling_policy_configuration": [],
                    "target_tracking_scaling_policy_configuration": [{
                        "customized_metric_specification": [], "disable_scale_in": false,
                        "predefined_metric_specification": [{
                            "predefined_metric_type": "ECSServiceAverageCPUUtilization", "resource_label": null
                        }],
                        "scale_in_cooldown": 60, "scale_out_cooldown": 60, "target_value": 50
                    }]
                }),
            ),
        ],
        vec![
            cfn(
                "VpcS3A5408339",
                "AWS::EC2::VPCEndpoint",
                json!({
                    "RouteTableIds": [{"Ref": "VpcPrivateSubnet1RouteTableB2C5B500"}],
                    "ServiceName": "com.amazonaws.eu-west-1.s3", "Tags": [{"Key": "Name", "Value": "Net/Vpc"}],
                    "VpcEndpointType": "Gateway", "VpcId": {"Ref": "Vpc8378EB38"}
                }),
            ),
            cfn(
                "VpcEcr3359179F",
                "AWS::EC2::VPCEndpoint",
                json!({
                    "PrivateDnsEnabled": true,
                    "SecurityGroupIds": [{"Fn::GetAtt": ["VpcEcrSecurityGroupFBE67914", "GroupId"]}],
                    "ServiceName": "com.amazonaws.eu-west-1.ecr.api",
                    "SubnetIds": [{"Ref": "VpcPrivateSubnet1Subnet536B997A"}],
                    "Tags": [{"Key": "Name", "Value": "Net/Vpc"}], "VpcEndpointType": "Interface",
                    "VpcId": {"Ref": "Vpc8378EB38"}
                }),
            ),
            cfn(
                "Ns33A06F6E",
                "AWS::ServiceDiscovery::PrivateDnsNamespace",
                json!({"Name": "internal.local", "Vpc": {"Ref": "Vpc8378EB38"}}),
            ),
            cfn(
                "NsApiE1C5AC9D",
                "AWS::ServiceDiscovery::Service",
                json!({
                    "DnsConfig": {
                        "DnsRecords": [{"TTL": 60, "Type": "A"}],
                        "NamespaceId": {"Fn::GetAtt": ["Ns33A06F6E", "Id"]}, "RoutingPolicy": "MULTIVALUE"
                    },
                    "HealthCheckCustomConfig": {"FailureThreshold": 1}, "Name": "api",
                    "NamespaceId": {"Fn::GetAtt": ["Ns33A06F6E", "Id"]}
                }),
            ),
            cfn(
                "ServiceTaskCountTarget23E25614",
                "AWS::ApplicationAutoScaling::ScalableTarget",
                json!({
                    "MaxCapacity": 4, "MinCapacity": 1, "ResourceId": "service/api/api",
                    "RoleARN": "arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService",
                    "ScalableDimension": "ecs:service:DesiredCount", "ServiceNamespace": "ecs"
                }),
            ),
            cfn(
                "ServiceTaskCountTargetCpu569B72C6",
                "AWS::ApplicationAutoScaling::ScalingPolicy",
                json!({
                    "PolicyName": "cpu", "PolicyType": "TargetTrackingScaling",
                    "ScalingTargetId": {"Ref": "ServiceTaskCountTarget23E25614"},
                    "TargetTrackingScalingPolicyConfiguration": {
                        "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
                        "ScaleInCooldown": 60, "ScaleOutCooldown": 60, "TargetValue": 50
                    }
                }),
            ),
        ],
        &[
            ("aws_vpc.main", "Vpc8378EB38"),
            (
                "aws_route_table.private",
                "VpcPrivateSubnet1RouteTableB2C5B500",
            ),
            ("aws_subnet.private", "VpcPrivateSubnet1Subnet536B997A"),
            (
                "aws_security_group.endpoints",
                "VpcEcrSecurityGroupFBE67914",
            ),
            ("aws_vpc_endpoint.s3", "VpcS3A5408339"),
            ("aws_vpc_endpoint.ecr", "VpcEcr3359179F"),
            (
                "aws_service_discovery_private_dns_namespace.internal",
                "Ns33A06F6E",
            ),
            ("aws_service_discovery_service.api", "NsApiE1C5AC9D"),
            (
                "aws_appautoscaling_target.api",
                "ServiceTaskCountTarget23E25614",
            ),
            (
                "aws_appautoscaling_policy.cpu",
                "ServiceTaskCountTargetCpu569B72C6",
            ),
        ],
    );
    twins.assert_same("aws_vpc_endpoint.s3", "VpcS3A5408339");
    twins.assert_same("aws_vpc_endpoint.ecr", "VpcEcr3359179F");
    twins.assert_same(
        "aws_service_discovery_private_dns_namespace.internal",
        "Ns33A06F6E",
    );
    twins.assert_same("aws_service_discovery_service.api", "NsApiE1C5AC9D");
    // The policy stays a resource of its own; its target lists it.
    twins.assert_same(
        "aws_appautoscaling_target.api",
        "ServiceTaskCountTarget23E25614",
    );
    twins.assert_same(
        "aws_appautoscaling_policy.cpu",
        "ServiceTaskCountTargetCpu569B72C6",
    );
}

/// The key policy CDK writes for a key, as the AWS provider reads it back.
fn key_policy() -> Json {
    json!({
        "Statement": [{
            "Action": "kms:*", "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Resource": "*"
        }],
        "Version": "2012-10-17"
    })
}

#[test]
fn a_key_an_alarm_and_the_topic_it_notifies() {
    let twins = Twins::new(
        vec![
            tf(
                "aws_kms_key.main",
                json!({
                    "bypass_policy_lockout_safety_check": false, "custom_key_store_id": null,
                    "customer_master_key_spec": "SYMMETRIC_DEFAULT", "deletion_window_in_days": 7,
                    "description": "main", "enable_key_rotation": true, "is_enabled": true,
                    "key_usage": "ENCRYPT_DECRYPT", "multi_region": "(known after apply)", "policy": key_policy(),
                    "rotation_period_in_days": "(known after apply)", "tags": null, "timeouts": null,
                    "xks_key_id": null
                }),
            ),
            tf(
                "aws_kms_alias.main",
                json!({"name": "alias/main", "target_key_id": "${aws_kms_key.main.arn}"}),
            ),
            tf(
                "aws_sns_topic.alerts",
                json!({
                    "application_failure_feedback_role_arn": null, "archive_policy": null,
                    "content_based_deduplication": false, "delivery_policy": null, "display_name": null,
                    "fifo_throughput_scope": "(known after apply)", "fifo_topic": false,
                    "kms_master_key_id": "${aws_kms_key.main.arn}", "name": "alerts",
                    "policy": "(known after apply)", "signature_version": "(known after apply)", "tags": null,
                    "tracing_config": "(known after apply)"
                }),
            ),
            tf(
                "aws_sns_topic_subscription.ops",
                json!({
                    "confirmation_timeout_in_minutes": 1, "delivery_policy": null, "endpoint": "ops@example.com",
                    "endpoint_auto_confirms": false, "filter_policy": "{\"severity\":[\"high\"]}",
                    "filter_policy_scope": "(known after apply)", "protocol": "email", "raw_message_delivery": false,
                    "redrive_policy": null, "replay_policy": null, "subscription_role_arn": null,
                    "topic_arn": "${aws_sns_topic.alerts.arn}"
                }),
            ),
            tf(
                "aws_sns_topic_policy.alerts",
                json!({
                    "arn": "${aws_sns_topic.alerts.arn}",
                    "policy": {
                        "Statement": [{
                            "Action": "sns:Publish", "Effect": "Allow",
                            "Principal": {"Service": "cloudwatch.amazonaws.com"},
                            "Resource": "${aws_sns_topic.alerts.arn}", "Sid": "0"
                        }],
                        "Version": "2012-10-17"
                    }
                }),
            ),
            tf(
                "aws_cloudwatch_metric_alarm.cpu",
                json!({
                    "actions_enabled": true, "alarm_actions": ["${aws_sns_topic.alerts.arn}"],
                    "alarm_description": null, "alarm_name": "api-cpu-high",
                    "comparison_operator": "GreaterThanOrEqualToThreshold", "datapoints_to_alarm": null,
                    "dimensions": {"ClusterName": "api", "ServiceName": "api"},
                    "evaluate_low_sample_count_percentiles": "(known after apply)", "evaluation_periods": 2,
                    "extended_statistic": null, "insufficient_data_actions": null, "metric_name": "CPUUtilization",
                    "metric_query": [], "namespace": "AWS/ECS", "ok_actions": null, "period": 300,
                    "statistic": "Average", "tags": null, "threshold": 80, "threshold_metric_id": null,
                    "treat_missing_data": "notBreaching", "unit": null
                }),
            ),
            tf(
                "aws_cloudwatch_metric_alarm.errors",
                json!({
                    "actions_enabled": true, "alarm_actions": ["${aws_sns_topic.alerts.arn}"],
                    "alarm_name": "api-5xx", "comparison_operator": "GreaterThanThreshold",
                    "dimensions": null, "evaluation_periods": 1, "metric_name": null, "namespace": null,
                    "period": null, "statistic": null, "threshold": 1, "treat_missing_data": "missing",
                    "metric_query": [
                        {
                            "account_id": null, "expression": "m1 / 60", "id": "e1", "label": "per second",
                            "metric": [], "period": null, "return_data": true
                        },
                        {
                            "account_id": null, "expression": null, "id": "m1", "label": null,
                            "metric": [{
                                "dimensions": {"LoadBalancer": "app/api/abc"},
                                "metric_name": "HTTPCode_Target_5XX_Count", "namespace": "AWS/ApplicationELB",
                                "period": 60, "stat": "Sum", "unit": null
                            }],
                            "period": null, "return_data": false
                        }
                    ]
                }),
            ),
        ],
        vec![
            cfn(
                "Key961B73FD",
                "AWS::KMS::Key",
                json!({
                    "Description": "main", "EnableKeyRotation": true, "KeyPolicy": key_policy(),
                    "PendingWindowInDays": 7
                }),
            ),
            cfn(
                "KeyAlias910D852D",
                "AWS::KMS::Alias",
                json!({"AliasName": "alias/main", "TargetKeyId": {"Fn::GetAtt": ["Key961B73FD", "Arn"]}}),
            ),
            cfn(
                "Alerts91F83244",
                "AWS::SNS::Topic",
                json!({"KmsMasterKeyId": {"Fn::GetAtt": ["Key961B73FD", "Arn"]}, "TopicName": "alerts"}),
            ),
            cfn(
                "Alertsopsexamplecom487C7FF2",
                "AWS::SNS::Subscription",
                json!({
                    "Endpoint": "ops@example.com", "FilterPolicy": {"severity": ["high"]}, "Protocol": "email",
                    "TopicArn": {"Ref": "Alerts91F83244"}
                }),
            ),
            cfn(
                "AlertsPolicy425C338D",
                "AWS::SNS::TopicPolicy",
                json!({
                    "PolicyDocument": {
                        "Statement": [{
                            "Action": "sns:Publish", "Effect": "Allow",
                            "Principal": {"Service": "cloudwatch.amazonaws.com"},
                            "Resource": {"Ref": "Alerts91F83244"}, "Sid": "0"
                        }],
                        "Version": "2012-10-17"
                    },
                    "Topics": [{"Ref": "Alerts91F83244"}]
                }),
            ),
            cfn(
                "CpuE6EA7902",
                "AWS::CloudWatch::Alarm",
                json!({
                    "AlarmActions": [{"Ref": "Alerts91F83244"}], "AlarmName": "api-cpu-high",
                    "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                    "Dimensions": [{"Name": "ClusterName", "Value": "api"}, {"Name": "ServiceName", "Value": "api"}],
                    "EvaluationPeriods": 2, "MetricName": "CPUUtilization", "Namespace": "AWS/ECS", "Period": 300,
                    "Statistic": "Average", "Threshold": 80, "TreatMissingData": "notBreaching"
                }),
            ),
            cfn(
                "Errors1A2B3C4D",
                "AWS::CloudWatch::Alarm",
                json!({
                    "AlarmActions": [{"Ref": "Alerts91F83244"}], "AlarmName": "api-5xx",
                    "ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1,
                    "Metrics": [
                        {"Expression": "m1 / 60", "Id": "e1", "Label": "per second"},
                        {
                            "Id": "m1",
                            "MetricStat": {
                                "Metric": {
                                    "Dimensions": [{"Name": "LoadBalancer", "Value": "app/api/abc"}],
                                    "MetricName": "HTTPCode_Target_5XX_Count", "Namespace": "AWS/ApplicationELB"
                                },
                                "Period": 60, "Stat": "Sum"
                            },
                            "ReturnData": false
                        }
                    ],
                    "Threshold": 1
                }),
            ),
        ],
        &[
            ("aws_kms_key.main", "Key961B73FD"),
            ("aws_kms_alias.main", "KeyAlias910D852D"),
            ("aws_sns_topic.alerts", "Alerts91F83244"),
            (
                "aws_sns_topic_subscription.ops",
                "Alertsopsexamplecom487C7FF2",
            ),
            ("aws_sns_topic_policy.alerts", "AlertsPolicy425C338D"),
            ("aws_cloudwatch_metric_alarm.cpu", "CpuE6EA7902"),
            ("aws_cloudwatch_metric_alarm.errors", "Errors1A2B3C4D"),
        ],
    );
    for (logical_id, address) in &twins.pairs {
        twins.assert_same(address, logical_id);
    }
}

#[test]
fn a_repository_with_its_lifecycle_and_repository_policies() {
    let lifecycle = r#"{"rules":[{"action":{"type":"expire"},"description":"keep 10","rulePriority":1,"selection":{"countNumber":10,"countType":"imageCountMoreThan","tagStatus":"any"}}]}"#;
    let pull = json!({
        "Statement": [{
            "Action": ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Sid": "pull"
        }],
        "Version": "2012-10-17"
    });
    let twins = Twins::new(
        vec![
            tf(
                "aws_ecr_repository.api",
                json!({
                    "encryption_configuration": [], "force_delete": null,
                    "image_scanning_configuration": [{"scan_on_push": true}],
                    "image_tag_mutability": "IMMUTABLE", "name": "api", "tags": null, "timeouts": null
                }),
            ),
            // As the loader gives it: the policy decoded, the repository
            // named as configured (known before apply).
            tf(
                "aws_ecr_lifecycle_policy.api",
                json!({
                    "policy": serde_json::from_str::<Json>(lifecycle).unwrap(),
                    "registry_id": "(known after apply)", "repository": "api"
                }),
            ),
            tf(
                "aws_ecr_repository_policy.api",
                json!({"policy": pull, "registry_id": "(known after apply)", "repository": "api"}),
            ),
        ],
        vec![cfn(
            "Repo02AC86CF",
            "AWS::ECR::Repository",
            json!({
                "ImageScanningConfiguration": {"ScanOnPush": true}, "ImageTagMutability": "IMMUTABLE",
                "LifecyclePolicy": {
                    "LifecyclePolicyText": "{\"rules\":[{\"rulePriority\":1,\"description\":\"keep 10\",\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":10},\"action\":{\"type\":\"expire\"}}]}"
                },
                "RepositoryName": "api", "RepositoryPolicyText": pull
            }),
        )],
        &[("aws_ecr_repository.api", "Repo02AC86CF")],
    );
    assert_eq!(
        twins.terraform.entities.len(),
        1,
        "both policies fold into the repository"
    );
    twins.assert_same("aws_ecr_repository.api", "Repo02AC86CF");
}

#[test]
fn a_certificate_and_its_dns_records() {
    let twins = Twins::new(
        vec![
            tf(
                "aws_acm_certificate.api",
                json!({
                    "certificate_authority_arn": null, "certificate_body": null, "certificate_chain": null,
                    "domain_name": "api.example.com",
                    "domain_validation_options": [{"domain_name": "api.example.com"}, {"domain_name": "www.api.example.com"}],
                    "early_renewal_duration": null, "key_algorithm": "(known after apply)",
                    "options": "(known after apply)", "private_key": null,
                    "subject_alternative_names": ["api.example.com", "www.api.example.com"],
                    "tags": {"Name": "Net/Cert"}, "validation_method": "DNS", "validation_option": []
                }),
            ),
            tf(
                "aws_acm_certificate_validation.api",
                json!({
                    "certificate_arn": "${aws_acm_certificate.api.arn}", "timeouts": null,
                    "validation_record_fqdns": ["_x.api.example.com"]
                }),
            ),
            tf(
                "aws_route53_record.api",
                json!({
                    "alias": [{
                        "evaluate_target_health": false, "name": "my-alb-123.eu-west-1.elb.amazonaws.com",
                        "zone_id": "Z32O12XQLNTSW2"
                    }],
                    "allow_overwrite": "(known after apply)", "cidr_routing_policy": [], "failover_routing_policy": [],
                    "geolocation_routing_policy": [], "geoproximity_routing_policy": [], "health_check_id": null,
                    "latency_routing_policy": [], "multivalue_answer_routing_policy": null, "name": "api.example.com",
                    "records": null, "set_identifier": null, "timeouts": null, "ttl": null, "type": "A",
                    "weighted_routing_policy": [], "zone_id": "Z0123456789ABCDEFGHIJ"
                }),
            ),
            tf(
                "aws_route53_record.txt",
                json!({
                    "alias": [], "cidr_routing_policy": [], "failover_routing_policy": [],
                    "geolocation_routing_policy": [], "geoproximity_routing_policy": [], "health_check_id": null,
                    "latency_routing_policy": [], "multivalue_answer_routing_policy": null, "name": "txt.example.com",
                    "records": ["hello"], "set_identifier": null, "timeouts": null, "ttl": 300, "type": "TXT",
                    "weighted_routing_policy": [], "zone_id": "Z0123456789ABCDEFGHIJ"
                }),
            ),
        ],
        vec![
            cfn(
                "Cert5C9FAEC1",
                "AWS::CertificateManager::Certificate",
                json!({
                    "DomainName": "api.example.com",
                    "DomainValidationOptions": [
                        {"DomainName": "api.example.com", "HostedZoneId": "Z0123456789ABCDEFGHIJ"},
                        {"DomainName": "www.api.example.com", "HostedZoneId": "Z0123456789ABCDEFGHIJ"}
                    ],
                    "SubjectAlternativeNames": ["www.api.example.com"],
                    "Tags": [{"Key": "Name", "Value": "Net/Cert"}], "ValidationMethod": "DNS"
                }),
            ),
            cfn(
                "ApiF70053CD",
                "AWS::Route53::RecordSet",
                json!({
                    "AliasTarget": {"DNSName": "my-alb-123.eu-west-1.elb.amazonaws.com", "HostedZoneId": "Z32O12XQLNTSW2"},
                    "HostedZoneId": "Z0123456789ABCDEFGHIJ", "Name": "api.example.com.", "Type": "A"
                }),
            ),
            cfn(
                "Txt6EF23DA0",
                "AWS::Route53::RecordSet",
                json!({
                    "HostedZoneId": "Z0123456789ABCDEFGHIJ", "Name": "txt.example.com.",
                    "ResourceRecords": ["\"hello\""], "TTL": "300", "Type": "TXT"
                }),
            ),
        ],
        &[
            ("aws_acm_certificate.api", "Cert5C9FAEC1"),
            ("aws_route53_record.api", "ApiF70053CD"),
            ("aws_route53_record.txt", "Txt6EF23DA0"),
        ],
    );
    for (logical_id, address) in &twins.pairs {
        twins.assert_same(address, logical_id);
    }
    assert_eq!(twins.terraform.no_twin.len(), 1, "the validation is a wait");
}

#[test]
fn cloudfront_distributions_in_front_of_a_bucket_and_an_api() {
    let behavior = |target: &str, methods: Json, policy: &str, viewer: &str| {
        json!({
            "allowed_methods": methods, "cache_policy_id": policy, "cached_methods": ["GET", "HEAD"],
            "compress": true, "default_ttl": "(known after apply)", "field_level_encryption_id": null,
            "forwarded_values": [], "function_association": [], "grpc_config": "(known after apply)",
            "lambda_function_association": [], "max_ttl": "(known after apply)", "min_ttl": 0,
            "origin_request_policy_id": null, "realtime_log_config_arn": null,
            "response_headers_policy_id": null, "smooth_streaming": null, "target_origin_id": target,
            "viewer_protocol_policy": viewer
        })
    };
    let caching_optimized = "658327ea-f89d-4fab-a63d-7e88639e58f6";
    let mut static_files = behavior(
        "api",
        json!(["GET", "HEAD"]),
        caching_optimized,
        "allow-all",
    );
    static_files["path_pattern"] = json!("/static/*");
    let origin = |id: &str, domain: &str, oac: &str, custom: Json| {
        json!({
            "connection_attempts": 3, "connection_timeout": 10, "custom_header": [], "custom_origin_config": custom,
            "domain_name": domain, "origin_access_control_id": oac, "origin_id": id, "origin_path": "",
            "origin_shield": [], "s3_origin_config": [], "vpc_origin_config": []
        })
    };
    let twins = Twins::new(
        vec![
            tf(
                "aws_cloudfront_origin_access_control.site",
                json!({
                    "description": null, "name": "site", "origin_access_control_origin_type": "s3",
                    "signing_behavior": "always", "signing_protocol": "sigv4"
                }),
            ),
            tf(
                "aws_cloudfront_distribution.site",
                json!({
                    "aliases": null, "comment": "site", "custom_error_response": [],
                    "default_cache_behavior": [behavior("site", json!(["GET", "HEAD"]), caching_optimized, "redirect-to-https")],
                    "default_root_object": "index.html", "enabled": true, "http_version": "http2",
                    "is_ipv6_enabled": true, "logging_config": [], "ordered_cache_behavior": [],
                    "origin": [origin(
                        "site", "my-bucket-123.s3.eu-west-1.amazonaws.com",
                        "${aws_cloudfront_origin_access_control.site.id}", json!([])
                    )],
                    "origin_group": [], "price_class": "PriceClass_100",
                    "restrictions": [{"geo_restriction": [{"locations": "(known after apply)", "restriction_type": "none"}]}],
                    "retain_on_delete": false, "staging": false, "tags": null,
                    "viewer_certificate": [{
                        "acm_certificate_arn": null, "cloudfront_default_certificate": true,
                        "iam_certificate_id": null, "minimum_protocol_version": "TLSv1", "ssl_support_method": null
                    }],
                    "wait_for_deployment": true, "web_acl_id": null
                }),
            ),
            tf(
                "aws_cloudfront_distribution.api",
                json!({
                    "aliases": ["www.example.com"], "comment": null, "custom_error_response": [],
                    "default_cache_behavior": [behavior(
                        "api", json!(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]),
                        "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "allow-all"
                    )],
                    "default_root_object": null, "enabled": true, "http_version": "http2", "is_ipv6_enabled": true,
                    "logging_config": [{"bucket": "logs-bucket.s3.amazonaws.com", "include_cookies": false, "prefix": "cdn/"}],
                    "ordered_cache_behavior": [static_files],
                    "origin": [origin("api", "api.example.com", "", json!([{
                        "http_port": 80, "https_port": 443, "origin_keepalive_timeout": 5,
                        "origin_protocol_policy": "https-only", "origin_read_timeout": 30,
                        "origin_ssl_protocols": ["TLSv1.2"]
                    }]))],
                    "origin_group": [], "price_class": "PriceClass_All",
                    "restrictions": [{"geo_restriction": [{"locations": ["DE", "FR"], "restriction_type": "whitelist"}]}],
                    "retain_on_delete": false, "staging": false, "tags": null,
                    "viewer_certificate": [{
                        "acm_certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
                        "cloudfront_default_certificate": null, "iam_certificate_id": null,
                        "minimum_protocol_version": "TLSv1.2_2021", "ssl_support_method": "sni-only"
                    }],
                    "wait_for_deployment": true, "web_acl_id": null
                }),
            ),
        ],
        vec![
            cfn(
                "CdnOrigin1S3OriginAccessControl6AC0AEFC",
                "AWS::CloudFront::OriginAccessControl",
                json!({"OriginAccessControlConfig": {
                    "Name": "site", "OriginAccessControlOriginType": "s3", "SigningBehavior": "always",
                    "SigningProtocol": "sigv4"
                }}),
            ),
            cfn(
                "Cdn9963B1AD",
                "AWS::CloudFront::Distribution",
                json!({"DistributionConfig": {
                    "Comment": "site",
                    "DefaultCacheBehavior": {
                        "CachePolicyId": caching_optimized, "Compress": true, "TargetOriginId": "site",
                        "ViewerProtocolPolicy": "redirect-to-https"
                    },
                    "DefaultRootObject": "index.html", "Enabled": true, "HttpVersion": "http2", "IPV6Enabled": true,
                    "Origins": [{
                        "DomainName": "my-bucket-123.s3.eu-west-1.amazonaws.com", "Id": "site",
                        "OriginAccessControlId": {"Fn::GetAtt": ["CdnOrigin1S3OriginAccessControl6AC0AEFC", "Id"]},
                        "S3OriginConfig": {"OriginAccessIdentity": ""}
                    }],
                    "PriceClass": "PriceClass_100"
                }}),
            ),
            cfn(
                "Cdn23A06CBDE",
                "AWS::CloudFront::Distribution",
                json!({"DistributionConfig": {
                    "Aliases": ["www.example.com"],
                    "CacheBehaviors": [{
                        "CachePolicyId": caching_optimized, "Compress": true, "PathPattern": "/static/*",
                        "TargetOriginId": "api", "ViewerProtocolPolicy": "allow-all"
                    }],
                    "DefaultCacheBehavior": {
                        "AllowedMethods": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
                        "CachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "Compress": true,
                        "TargetOriginId": "api", "ViewerProtocolPolicy": "allow-all"
                    },
                    "Enabled": true, "HttpVersion": "http2", "IPV6Enabled": true,
                    "Logging": {"Bucket": "logs-bucket.s3.amazonaws.com", "Prefix": "cdn/"},
                    "Origins": [{
                        "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]},
                        "DomainName": "api.example.com", "Id": "api"
                    }],
                    "Restrictions": {"GeoRestriction": {"Locations": ["DE", "FR"], "RestrictionType": "whitelist"}},
                    "ViewerCertificate": {
                        "AcmCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
                        "MinimumProtocolVersion": "TLSv1.2_2021", "SslSupportMethod": "sni-only"
                    }
                }}),
            ),
        ],
        &[
            (
                "aws_cloudfront_origin_access_control.site",
                "CdnOrigin1S3OriginAccessControl6AC0AEFC",
            ),
            ("aws_cloudfront_distribution.site", "Cdn9963B1AD"),
            ("aws_cloudfront_distribution.api", "Cdn23A06CBDE"),
        ],
    );
    for (logical_id, address) in &twins.pairs {
        twins.assert_same(address, logical_id);
    }
}

#[test]
fn a_web_acl_with_a_managed_and_a_rate_rule_its_association_and_logging() {
    let visibility = |name: &str| json!([{"cloudwatch_metrics_enabled": true, "metric_name": name, "sampled_requests_enabled": true}]);
    let no_statement = json!({
        "and_statement": [], "asn_match_statement": [], "byte_match_statement": [], "geo_match_statement": [],
        "ip_set_reference_statement": [], "label_match_statement": [], "managed_rule_group_statement": [],
        "not_statement": [], "or_statement": [], "rate_based_statement": [], "regex_match_statement": [],
        "regex_pattern_set_reference_statement": [], "rule_group_reference_statement": [],
        "size_constraint_statement": [], "sqli_match_statement": [], "xss_match_statement": []
    });
    let mut managed = no_statement.clone();
    managed["managed_rule_group_statement"] = json!([{
        "managed_rule_group_configs": [], "name": "AWSManagedRulesCommonRuleSet",
        "rule_action_override": [{
            "action_to_use": [{
                "allow": [], "block": [], "captcha": [], "challenge": [],
                "count": [{"custom_request_handling": []}]
            }],
            "name": "SizeRestrictions_BODY"
        }],
        "scope_down_statement": [], "vendor_name": "AWS", "version": ""
    }]);
    let mut rate = no_statement;
    rate["rate_based_statement"] = json!([{
        "aggregate_key_type": "IP", "custom_key": [], "evaluation_window_sec": 300, "forwarded_ip_config": [],
        "limit": 1000, "scope_down_statement": []
    }]);
    let cfn_visibility = |name: &str| json!({"CloudWatchMetricsEnabled": true, "MetricName": name, "SampledRequestsEnabled": true});
    let twins = Twins::new(
        vec![
            tf(
                "aws_wafv2_web_acl.api",
                json!({
                    "association_config": [], "captcha_config": [], "challenge_config": [], "custom_response_body": [],
                    "data_protection_config": [],
                    "default_action": [{"allow": [{"custom_request_handling": []}], "block": []}],
                    "description": null, "name": "api",
                    "rule": [
                        {
                            "action": [], "captcha_config": [], "challenge_config": [], "name": "common",
                            "override_action": [{"count": [], "none": [{}]}], "priority": 1, "rule_label": [],
                            "statement": [managed], "visibility_config": visibility("common")
                        },
                        {
                            "action": [{"allow": [], "block": [{"custom_response": []}], "captcha": [], "challenge": [], "count": []}],
                            "captcha_config": [], "challenge_config": [], "name": "rate", "override_action": [],
                            "priority": 2, "rule_label": [], "statement": [rate], "visibility_config": visibility("rate")
                        }
                    ],
                    "rule_json": null, "scope": "REGIONAL", "tags": null, "token_domains": null,
                    "visibility_config": visibility("api")
                }),
            ),
            tf(
                "aws_wafv2_web_acl_association.api",
                json!({
                    "resource_arn": "${aws_lb.api.arn}", "timeouts": null, "web_acl_arn": "${aws_wafv2_web_acl.api.arn}"
                }),
            ),
            tf(
                "aws_wafv2_web_acl_logging_configuration.api",
                json!({
                    "log_destination_configs": ["${aws_cloudwatch_log_group.waf.arn}"], "logging_filter": [],
                    "redacted_fields": [{"method": [], "query_string": [], "single_header": [{"name": "authorization"}], "uri_path": []}],
                    "resource_arn": "${aws_wafv2_web_acl.api.arn}"
                }),
            ),
        ],
        vec![
            cfn(
                "Acl",
                "AWS::WAFv2::WebACL",
                json!({
                    "DefaultAction": {"Allow": {}}, "Name": "api",
                    "Rules": [
                        {
                            "Name": "common", "OverrideAction": {"None": {}}, "Priority": 1,
                            "Statement": {"ManagedRuleGroupStatement": {
                                "Name": "AWSManagedRulesCommonRuleSet", "VendorName": "AWS",
                                "RuleActionOverrides": [{"ActionToUse": {"Count": {}}, "Name": "SizeRestrictions_BODY"}]
                            }},
                            "VisibilityConfig": cfn_visibility("common")
                        },
                        {
                            "Action": {"Block": {}}, "Name": "rate", "Priority": 2,
                            "Statement": {"RateBasedStatement": {"AggregateKeyType": "IP", "Limit": 1000}},
                            "VisibilityConfig": cfn_visibility("rate")
                        }
                    ],
                    "Scope": "REGIONAL", "VisibilityConfig": cfn_visibility("api")
                }),
            ),
            cfn(
                "AclAssoc",
                "AWS::WAFv2::WebACLAssociation",
                json!({"ResourceArn": {"Ref": "AlbF5F7ED27"}, "WebACLArn": {"Fn::GetAtt": ["Acl", "Arn"]}}),
            ),
            cfn(
                "AclLogs",
                "AWS::WAFv2::LoggingConfiguration",
                json!({
                    "LogDestinationConfigs": [{"Fn::GetAtt": ["WafLogs", "Arn"]}],
                    "RedactedFields": [{"SingleHeader": {"Name": "authorization"}}],
                    "ResourceArn": {"Fn::GetAtt": ["Acl", "Arn"]}
                }),
            ),
        ],
        &[
            ("aws_wafv2_web_acl.api", "Acl"),
            ("aws_wafv2_web_acl_association.api", "AclAssoc"),
            ("aws_wafv2_web_acl_logging_configuration.api", "AclLogs"),
            ("aws_lb.api", "AlbF5F7ED27"),
            ("aws_cloudwatch_log_group.waf", "WafLogs"),
        ],
    );
    for (address, logical_id) in [
        ("aws_wafv2_web_acl.api", "Acl"),
        ("aws_wafv2_web_acl_association.api", "AclAssoc"),
        ("aws_wafv2_web_acl_logging_configuration.api", "AclLogs"),
    ] {
        twins.assert_same(address, logical_id);
    }
}

#[test]
fn an_aurora_cluster_with_its_writer_parameters_subnets_and_proxy() {
    let twins = Twins::new(
        vec![
            tf(
                "aws_rds_cluster.db",
                json!({
                    "allocated_storage": "(known after apply)", "allow_major_version_upgrade": null,
                    "backtrack_window": null, "backup_retention_period": 7, "cluster_identifier": "db",
                    "copy_tags_to_snapshot": true, "database_name": "app", "db_cluster_instance_class": null,
                    "db_cluster_parameter_group_name": "${aws_rds_cluster_parameter_group.db.id}",
                    "db_instance_parameter_group_name": null, "db_subnet_group_name": "${aws_db_subnet_group.db.id}",
                    "delete_automated_backups": true, "deletion_protection": null, "domain": null,
                    "enable_global_write_forwarding": false, "enable_http_endpoint": false,
                    "enable_local_write_forwarding": false, "enabled_cloudwatch_logs_exports": null,
                    "engine": "aurora-postgresql", "engine_mode": "provisioned", "engine_version": "15.4",
                    "iam_database_authentication_enabled": null, "iam_roles": "(known after apply)",
                    "kms_key_id": "(known after apply)", "manage_master_user_password": true,
                    "master_password": null, "master_username": "app", "port": 5432,
                    "preferred_backup_window": "(known after apply)", "restore_to_point_in_time": [],
                    "s3_import": [], "scaling_configuration": [],
                    "serverlessv2_scaling_configuration": [{
                        "max_capacity": 4, "min_capacity": 0.5, "seconds_until_auto_pause": "(known after apply)"
                    }],
                    "skip_final_snapshot": true, "snapshot_identifier": null, "storage_encrypted": true,
                    "tags": null, "vpc_security_group_ids": ["${aws_security_group.db.id}"]
                }),
            ),
            tf(
                "aws_rds_cluster_instance.writer",
                json!({
                    "auto_minor_version_upgrade": true, "cluster_identifier": "${aws_rds_cluster.db.id}",
                    "copy_tags_to_snapshot": false, "custom_iam_instance_profile": null,
                    "db_parameter_group_name": "(known after apply)", "engine": "aurora-postgresql",
                    "force_destroy": false, "identifier": "db-1", "instance_class": "db.serverless",
                    "monitoring_interval": 0, "promotion_tier": 0, "publicly_accessible": "(known after apply)",
                    "tags": null
                }),
            ),
            tf(
                "aws_rds_cluster_parameter_group.db",
                json!({
                    "description": "Cluster parameter group for aurora-postgresql15", "family": "aurora-postgresql15",
                    "name": "db", "parameter": [{"apply_method": "immediate", "name": "log_min_duration_statement", "value": "1000"}],
                    "tags": null
                }),
            ),
            tf(
                "aws_db_subnet_group.db",
                json!({
                    "description": "Subnets for Db database", "name": "db",
                    "subnet_ids": ["${aws_subnet.private_a.id}", "${aws_subnet.private_b.id}"], "tags": null
                }),
            ),
            tf(
                "aws_db_proxy.db",
                json!({
                    "auth": [{
                        "auth_scheme": "SECRETS", "client_password_auth_type": "(known after apply)",
                        "description": "", "iam_auth": "DISABLED",
                        "secret_arn": "${aws_secretsmanager_secret.db.arn}", "username": ""
                    }],
                    "debug_logging": null, "engine_family": "POSTGRESQL", "idle_client_timeout": "(known after apply)",
                    "name": "db", "require_tls": true, "role_arn": "${aws_iam_role.proxy.arn}", "tags": null,
                    "vpc_security_group_ids": ["${aws_security_group.proxy.id}"],
                    "vpc_subnet_ids": ["${aws_subnet.private_a.id}", "${aws_subnet.private_b.id}"]
                }),
            ),
            tf(
                "aws_db_proxy_default_target_group.db",
                json!({
                    "connection_pool_config": [{
                        "connection_borrow_timeout": 120, "init_query": null, "max_connections_percent": 90,
                        "max_idle_connections_percent": 50, "session_pinning_filters": null
                    }],
                    "db_proxy_name": "${aws_db_proxy.db.id}", "timeouts": null
                }),
            ),
            tf(
                "aws_db_proxy_target.db",
                json!({
                    "db_cluster_identifier": "${aws_rds_cluster.db.id}", "db_instance_identifier": null,
                    "db_proxy_name": "${aws_db_proxy.db.id}", "target_group_name": "default"
                }),
            ),
        ],
        vec![
            cfn(
                "Db5D02A0A9",
                "AWS::RDS::DBCluster",
                json!({
                    "BackupRetentionPeriod": 7, "CopyTagsToSnapshot": true, "DBClusterIdentifier": "db",
                    "DBClusterParameterGroupName": {"Ref": "DbParameterGroupB60E38C6"},
                    "DBSubnetGroupName": {"Ref": "DbSubnets93851898"}, "DatabaseName": "app",
                    "Engine": "aurora-postgresql", "EngineVersion": "15.4", "ManageMasterUserPassword": true,
                    "MasterUsername": "app", "Port": 5432,
                    "ServerlessV2ScalingConfiguration": {"MaxCapacity": 4, "MinCapacity": 0.5},
                    "StorageEncrypted": true,
                    "VpcSecurityGroupIds": [{"Fn::GetAtt": ["DbSecurityGroupC34ABFAB", "GroupId"]}]
                }),
            ),
            cfn(
                "Dbwriter9B286E50",
                "AWS::RDS::DBInstance",
                json!({
                    "DBClusterIdentifier": {"Ref": "Db5D02A0A9"}, "DBInstanceClass": "db.serverless",
                    "DBInstanceIdentifier": "db-1", "Engine": "aurora-postgresql", "PromotionTier": 0
                }),
            ),
            cfn(
                "DbParameterGroupB60E38C6",
                "AWS::RDS::DBClusterParameterGroup",
                json!({
                    "DBClusterParameterGroupName": "db",
                    "Description": "Cluster parameter group for aurora-postgresql15", "Family": "aurora-postgresql15",
                    "Parameters": {"log_min_duration_statement": "1000"}
                }),
            ),
            cfn(
                "DbSubnets93851898",
                "AWS::RDS::DBSubnetGroup",
                json!({
                    "DBSubnetGroupDescription": "Subnets for Db database", "DBSubnetGroupName": "db",
                    "SubnetIds": [{"Ref": "VpcPrivateSubnet1Subnet536B997A"}, {"Ref": "VpcPrivateSubnet2Subnet3788AAA1"}]
                }),
            ),
            cfn(
                "DbProxy8FB1B91A",
                "AWS::RDS::DBProxy",
                json!({
                    "Auth": [{"AuthScheme": "SECRETS", "IAMAuth": "DISABLED", "SecretArn": {"Ref": "DbSecret"}}],
                    "DBProxyName": "db", "EngineFamily": "POSTGRESQL", "RequireTLS": true,
                    "RoleArn": {"Fn::GetAtt": ["DbProxyIAMRoleB3C60B70", "Arn"]},
                    "VpcSecurityGroupIds": [{"Fn::GetAtt": ["DbProxyProxySecurityGroup5CA069F5", "GroupId"]}],
                    "VpcSubnetIds": [{"Ref": "VpcPrivateSubnet1Subnet536B997A"}, {"Ref": "VpcPrivateSubnet2Subnet3788AAA1"}]
                }),
            ),
            cfn(
                "DbProxyProxyTargetGroup7F38655A",
                "AWS::RDS::DBProxyTargetGroup",
                json!({
                    "ConnectionPoolConfigurationInfo": {"MaxConnectionsPercent": 90},
                    "DBClusterIdentifiers": [{"Ref": "Db5D02A0A9"}], "DBProxyName": {"Ref": "DbProxy8FB1B91A"},
                    "TargetGroupName": "default"
                }),
            ),
        ],
        &[
            ("aws_rds_cluster.db", "Db5D02A0A9"),
            ("aws_rds_cluster_instance.writer", "Dbwriter9B286E50"),
            (
                "aws_rds_cluster_parameter_group.db",
                "DbParameterGroupB60E38C6",
            ),
            ("aws_db_subnet_group.db", "DbSubnets93851898"),
            ("aws_db_proxy.db", "DbProxy8FB1B91A"),
            ("aws_db_proxy_target.db", "DbProxyProxyTargetGroup7F38655A"),
            ("aws_security_group.db", "DbSecurityGroupC34ABFAB"),
            (
                "aws_security_group.proxy",
                "DbProxyProxySecurityGroup5CA069F5",
            ),
            ("aws_subnet.private_a", "VpcPrivateSubnet1Subnet536B997A"),
            ("aws_subnet.private_b", "VpcPrivateSubnet2Subnet3788AAA1"),
            ("aws_secretsmanager_secret.db", "DbSecret"),
            ("aws_iam_role.proxy", "DbProxyIAMRoleB3C60B70"),
        ],
    );
    for (address, logical_id) in [
        ("aws_rds_cluster.db", "Db5D02A0A9"),
        ("aws_rds_cluster_instance.writer", "Dbwriter9B286E50"),
        (
            "aws_rds_cluster_parameter_group.db",
            "DbParameterGroupB60E38C6",
        ),
        ("aws_db_subnet_group.db", "DbSubnets93851898"),
        ("aws_db_proxy.db", "DbProxy8FB1B91A"),
        // The default target group's pool folded into the target.
        ("aws_db_proxy_target.db", "DbProxyProxyTargetGroup7F38655A"),
    ] {
        twins.assert_same(address, logical_id);
    }
}

#[test]
fn a_documentdb_cluster_with_its_instance_parameters_and_subnets() {
    let twins = Twins::new(
        vec![
            tf(
                "aws_docdb_cluster.docs",
                json!({
                    "allow_major_version_upgrade": null, "apply_immediately": null, "backup_retention_period": 1,
                    "cluster_identifier": "docs", "db_cluster_parameter_group_name": "${aws_docdb_cluster_parameter_group.docs.id}",
                    "db_subnet_group_name": "${aws_docdb_subnet_group.docs.id}", "deletion_protection": null,
                    "enabled_cloudwatch_logs_exports": null, "engine": "docdb", "engine_version": "(known after apply)",
                    "final_snapshot_identifier": null, "global_cluster_identifier": null,
                    "kms_key_id": "(known after apply)", "manage_master_user_password": true, "master_password": null,
                    "master_username": "docs", "port": 27017, "preferred_backup_window": "(known after apply)",
                    "restore_to_point_in_time": [], "skip_final_snapshot": true, "snapshot_identifier": null,
                    "storage_encrypted": true, "storage_type": null, "tags": null,
                    "vpc_security_group_ids": ["${aws_security_group.docs.id}"]
                }),
            ),
            tf(
                "aws_docdb_cluster_instance.docs",
                json!({
                    "apply_immediately": null, "auto_minor_version_upgrade": true,
                    "cluster_identifier": "${aws_docdb_cluster.docs.id}", "copy_tags_to_snapshot": null,
                    "enable_performance_insights": null, "engine": "docdb", "identifier": "docsinstance1",
                    "instance_class": "db.r6g.large", "promotion_tier": 0, "tags": null
                }),
            ),
            tf(
                "aws_docdb_cluster_parameter_group.docs",
                json!({
                    "description": "Cluster parameter group for docdb5.0", "family": "docdb5.0", "name": "docs",
                    "parameter": [{"apply_method": "pending-reboot", "name": "tls", "value": "enabled"}], "tags": null
                }),
            ),
            tf(
                "aws_docdb_subnet_group.docs",
                json!({
                    "description": "Subnets for Docs database", "name": "docs",
                    "subnet_ids": ["${aws_subnet.private_a.id}", "${aws_subnet.private_b.id}"], "tags": null
                }),
            ),
        ],
        vec![
            cfn(
                "DocsA50029D5",
                "AWS::DocDB::DBCluster",
                json!({
                    "DBClusterIdentifier": "docs", "DBClusterParameterGroupName": {"Ref": "DocsParams41A14CE9"},
                    "DBSubnetGroupName": {"Ref": "DocsSubnets4F998750"}, "ManageMasterUserPassword": true,
                    "MasterUsername": "docs", "StorageEncrypted": true,
                    "VpcSecurityGroupIds": [{"Fn::GetAtt": ["DocsSecurityGroup56757BF4", "GroupId"]}]
                }),
            ),
            cfn(
                "DocsInstance13F31438B",
                "AWS::DocDB::DBInstance",
                json!({
                    "DBClusterIdentifier": {"Ref": "DocsA50029D5"}, "DBInstanceClass": "db.r6g.large",
                    "DBInstanceIdentifier": "docsinstance1"
                }),
            ),
            cfn(
                "DocsParams41A14CE9",
                "AWS::DocDB::DBClusterParameterGroup",
                json!({
                    "Description": "Cluster parameter group for docdb5.0", "Family": "docdb5.0", "Name": "docs",
                    "Parameters": {"tls": "enabled"}
                }),
            ),
            cfn(
                "DocsSubnets4F998750",
                "AWS::DocDB::DBSubnetGroup",
                json!({
                    "DBSubnetGroupDescription": "Subnets for Docs database", "DBSubnetGroupName": "docs",
                    "SubnetIds": [{"Ref": "VpcPrivateSubnet1Subnet536B997A"}, {"Ref": "VpcPrivateSubnet2Subnet3788AAA1"}]
                }),
            ),
        ],
        &[
            ("aws_docdb_cluster.docs", "DocsA50029D5"),
            ("aws_docdb_cluster_instance.docs", "DocsInstance13F31438B"),
            (
                "aws_docdb_cluster_parameter_group.docs",
                "DocsParams41A14CE9",
            ),
            ("aws_docdb_subnet_group.docs", "DocsSubnets4F998750"),
            ("aws_security_group.docs", "DocsSecurityGroup56757BF4"),
            ("aws_subnet.private_a", "VpcPrivateSubnet1Subnet536B997A"),
            ("aws_subnet.private_b", "VpcPrivateSubnet2Subnet3788AAA1"),
        ],
    );
    for (address, logical_id) in [
        ("aws_docdb_cluster.docs", "DocsA50029D5"),
        ("aws_docdb_cluster_instance.docs", "DocsInstance13F31438B"),
        (
            "aws_docdb_cluster_parameter_group.docs",
            "DocsParams41A14CE9",
        ),
        ("aws_docdb_subnet_group.docs", "DocsSubnets4F998750"),
    ] {
        twins.assert_same(address, logical_id);
    }
}

#[test]
fn a_postgres_instance_a_redis_replication_group_with_its_subnets_and_parameters() {
    let twins = Twins::new(
        vec![
            tf(
                "aws_db_instance.db",
                json!({
                    "address": "(known after apply)", "allocated_storage": 20, "allow_major_version_upgrade": null,
                    "apply_immediately": false, "auto_minor_version_upgrade": true, "blue_green_update": [],
                    "copy_tags_to_snapshot": false, "custom_iam_instance_profile": null, "db_name": "app",
                    "db_subnet_group_name": "${aws_db_subnet_group.db.name}", "dedicated_log_volume": false,
                    "delete_automated_backups": true, "deletion_protection": false, "domain": null,
                    "enabled_cloudwatch_logs_exports": null, "engine": "postgres", "engine_version": "15",
                    "final_snapshot_identifier": null, "iam_database_authentication_enabled": null,
                    "identifier": "app-db", "instance_class": "db.t3.micro", "manage_master_user_password": null,
                    "max_allocated_storage": null, "monitoring_interval": 0, "password": "s3cret-pass",
                    "publicly_accessible": false, "replicate_source_db": null, "resource_id": "(known after apply)",
                    "restore_to_point_in_time": [], "s3_import": [], "skip_final_snapshot": true,
                    "storage_encrypted": true, "storage_type": "gp3", "tags": null, "username": "app",
                    "vpc_security_group_ids": ["${aws_security_group.db.id}"]
                }),
            ),
            tf(
                "aws_elasticache_subnet_group.cache",
                json!({
                    "arn": "(known after apply)", "description": "Subnets for the cache", "name": "cache",
                    "subnet_ids": ["${aws_subnet.private_a.id}", "${aws_subnet.private_b.id}"], "tags": null,
                    "vpc_id": "(known after apply)"
                }),
            ),
            tf(
                "aws_elasticache_parameter_group.cache",
                json!({
                    "arn": "(known after apply)", "description": "Cache parameters", "family": "redis7",
                    "name": "cache-params", "parameter": [{"name": "maxmemory-policy", "value": "allkeys-lru"}],
                    "tags": null
                }),
            ),
            tf(
                "aws_elasticache_replication_group.cache",
                json!({
                    "apply_immediately": "(known after apply)", "arn": "(known after apply)",
                    "at_rest_encryption_enabled": "true", "auth_token": "t0ken-t0ken-t0ken-1",
                    "auth_token_update_strategy": "ROTATE", "auto_minor_version_upgrade": "(known after apply)",
                    "automatic_failover_enabled": true, "cluster_mode": "(known after apply)",
                    "description": "Session cache", "engine": "redis", "engine_version": "7.1",
                    "final_snapshot_identifier": null, "kms_key_id": null, "log_delivery_configuration": [],
                    "maintenance_window": "(known after apply)", "multi_az_enabled": false,
                    "node_type": "cache.t3.micro", "notification_topic_arn": null, "num_cache_clusters": 2,
                    "parameter_group_name": "${aws_elasticache_parameter_group.cache.name}", "port": 6379,
                    "primary_endpoint_address": "(known after apply)", "replication_group_id": "cache",
                    "security_group_ids": ["${aws_security_group.cache.id}"], "snapshot_retention_limit": null,
                    "subnet_group_name": "${aws_elasticache_subnet_group.cache.name}", "tags": null,
                    "transit_encryption_enabled": true
                }),
            ),
        ],
        vec![
            cfn(
                "Db",
                "AWS::RDS::DBInstance",
                json!({
                    "AllocatedStorage": "20", "DBInstanceClass": "db.t3.micro", "DBInstanceIdentifier": "app-db",
                    "DBName": "app", "DBSubnetGroupName": {"Ref": "DbSubnets"}, "Engine": "postgres",
                    "EngineVersion": "15", "MasterUserPassword": "s3cret-pass", "MasterUsername": "app",
                    "PubliclyAccessible": false, "StorageEncrypted": true, "StorageType": "gp3",
                    "VPCSecurityGroups": [{"Fn::GetAtt": ["DbSecurityGroup", "GroupId"]}]
                }),
            ),
            cfn(
                "CacheSubnets",
                "AWS::ElastiCache::SubnetGroup",
                json!({
                    "CacheSubnetGroupName": "cache", "Description": "Subnets for the cache",
                    "SubnetIds": [{"Ref": "VpcPrivateSubnet1Subnet536B997A"}, {"Ref": "VpcPrivateSubnet2Subnet3788AAA1"}]
                }),
            ),
            cfn(
                "CacheParams",
                "AWS::ElastiCache::ParameterGroup",
                json!({
                    "CacheParameterGroupFamily": "redis7", "Description": "Cache parameters",
                    "Properties": {"maxmemory-policy": "allkeys-lru"}
                }),
            ),
            cfn(
                "Cache",
                "AWS::ElastiCache::ReplicationGroup",
                json!({
                    "AtRestEncryptionEnabled": true, "AuthToken": "t0ken-t0ken-t0ken-1",
                    "AutomaticFailoverEnabled": true, "CacheNodeType": "cache.t3.micro",
                    "CacheParameterGroupName": {"Ref": "CacheParams"}, "CacheSubnetGroupName": {"Ref": "CacheSubnets"},
                    "Engine": "redis", "EngineVersion": "7.1", "NumCacheClusters": 2, "Port": 6379,
                    "ReplicationGroupDescription": "Session cache", "ReplicationGroupId": "cache",
                    "SecurityGroupIds": [{"Fn::GetAtt": ["CacheSecurityGroup", "GroupId"]}],
                    "TransitEncryptionEnabled": true
                }),
            ),
        ],
        &[
            ("aws_db_instance.db", "Db"),
            ("aws_db_subnet_group.db", "DbSubnets"),
            ("aws_security_group.db", "DbSecurityGroup"),
            ("aws_elasticache_subnet_group.cache", "CacheSubnets"),
            ("aws_elasticache_parameter_group.cache", "CacheParams"),
            ("aws_elasticache_replication_group.cache", "Cache"),
            ("aws_security_group.cache", "CacheSecurityGroup"),
            ("aws_subnet.private_a", "VpcPrivateSubnet1Subnet536B997A"),
            ("aws_subnet.private_b", "VpcPrivateSubnet2Subnet3788AAA1"),
        ],
    );
    for (address, logical_id) in [
        ("aws_db_instance.db", "Db"),
        ("aws_elasticache_subnet_group.cache", "CacheSubnets"),
        ("aws_elasticache_parameter_group.cache", "CacheParams"),
        ("aws_elasticache_replication_group.cache", "Cache"),
    ] {
        twins.assert_same(address, logical_id);
    }
    // The password and the auth token are secrets on both sides.
    for (entity, property) in [
        (
            twins.terraform_entity("aws_db_instance.db"),
            "MasterUserPassword",
        ),
        (twins.cloudformation_entity("Db"), "MasterUserPassword"),
        (
            twins.terraform_entity("aws_elasticache_replication_group.cache"),
            "AuthToken",
        ),
        (twins.cloudformation_entity("Cache"), "AuthToken"),
    ] {
        assert!(
            matches!(entity.properties[property], Value::Sensitive(_)),
            "{}: {property}",
            entity.id
        );
    }
}

#[test]
fn flow_logs_of_a_vpc_to_a_log_group_and_of_a_subnet_to_a_bucket() {
    let twins = Twins::new(
        vec![
            tf(
                "aws_flow_log.vpc",
                json!({
                    "arn": "(known after apply)", "deliver_cross_account_role": null, "destination_options": [],
                    "eni_id": null, "iam_role_arn": "${aws_iam_role.flow.arn}", "id": "(known after apply)",
                    "log_destination": "${aws_cloudwatch_log_group.flow.arn}", "log_destination_type": "cloud-watch-logs",
                    "log_format": "(known after apply)", "log_group_name": "(known after apply)",
                    "max_aggregation_interval": 60, "subnet_id": null, "tags": null, "traffic_type": "ALL",
                    "transit_gateway_attachment_id": null, "transit_gateway_id": null,
                    "vpc_id": "${aws_vpc.main.id}"
                }),
            ),
            tf(
                "aws_flow_log.subnet",
                json!({
                    "arn": "(known after apply)", "deliver_cross_account_role": null,
                    "destination_options": [{"file_format": "parquet", "hive_compatible_partitions": false, "per_hour_partition": true}],
                    "eni_id": null, "iam_role_arn": null, "id": "(known after apply)",
                    "log_destination": "${aws_s3_bucket.flow.arn}", "log_destination_type": "s3",
                    "log_format": "(known after apply)", "log_group_name": "(known after apply)",
                    "max_aggregation_interval": 600, "subnet_id": "${aws_subnet.private_a.id}", "tags": null,
                    "traffic_type": "REJECT", "transit_gateway_attachment_id": null, "transit_gateway_id": null,
                    "vpc_id": null
                }),
            ),
        ],
        vec![
            cfn(
                "VpcFlowLog",
                "AWS::EC2::FlowLog",
                json!({
                    "DeliverLogsPermissionArn": {"Fn::GetAtt": ["VpcFlowLogRole", "Arn"]},
                    "LogDestinationType": "cloud-watch-logs", "LogGroupName": {"Ref": "VpcFlowLogGroup"},
                    "MaxAggregationInterval": 60, "ResourceId": {"Ref": "Vpc8378EB38"}, "ResourceType": "VPC",
                    "TrafficType": "ALL"
                }),
            ),
            cfn(
                "SubnetFlowLog",
                "AWS::EC2::FlowLog",
                json!({
                    "DestinationOptions": {"FileFormat": "parquet", "HiveCompatiblePartitions": false, "PerHourPartition": true},
                    "LogDestination": {"Fn::GetAtt": ["FlowBucket", "Arn"]}, "LogDestinationType": "s3",
                    "ResourceId": {"Ref": "VpcPrivateSubnet1Subnet536B997A"}, "ResourceType": "Subnet",
                    "TrafficType": "REJECT"
                }),
            ),
        ],
        &[
            ("aws_flow_log.vpc", "VpcFlowLog"),
            ("aws_flow_log.subnet", "SubnetFlowLog"),
            ("aws_iam_role.flow", "VpcFlowLogRole"),
            ("aws_cloudwatch_log_group.flow", "VpcFlowLogGroup"),
            ("aws_vpc.main", "Vpc8378EB38"),
            ("aws_subnet.private_a", "VpcPrivateSubnet1Subnet536B997A"),
            ("aws_s3_bucket.flow", "FlowBucket"),
        ],
    );
    twins.assert_same("aws_flow_log.vpc", "VpcFlowLog");
    twins.assert_same("aws_flow_log.subnet", "SubnetFlowLog");
    // To CloudWatch Logs, the group's ARN is compared as its name.
    assert_eq!(
        twins.terraform_entity("aws_flow_log.vpc").properties["LogGroupName"],
        Value::Ref(Ref::attribute("aws_cloudwatch_log_group.flow", "name"))
    );
}

#[test]
fn a_bucket_with_its_settings_as_resources_of_their_own_and_its_policy() {
    // A new bucket's name is known after apply only: its settings name it by
    // what they depend on; a bucket that exists is named by its name.
    let new_bucket = "(known after apply: aws_s3_bucket.site)";
    let deny_insecure = |arn: Json, objects: Json| {
        json!({
            "Statement": [{
                "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}, "Effect": "Deny",
                "Principal": {"AWS": "*"}, "Resource": [arn, objects]
            }],
            "Version": "2012-10-17"
        })
    };
    let twins = Twins::new(
        vec![
            tf(
                "aws_s3_bucket.site",
                json!({
                    "bucket": "my-bucket-123", "force_destroy": false, "object_lock_enabled": "(known after apply)",
                    "tags": null, "timeouts": null
                }),
            ),
            tf(
                "aws_s3_bucket_versioning.site",
                json!({
                    "bucket": new_bucket, "expected_bucket_owner": null, "mfa": null,
                    "versioning_configuration": [{"mfa_delete": "(known after apply)", "status": "Enabled"}]
                }),
            ),
            tf(
                "aws_s3_bucket_public_access_block.site",
                json!({
                    "block_public_acls": true, "block_public_policy": true, "bucket": new_bucket,
                    "ignore_public_acls": true, "restrict_public_buckets": true
                }),
            ),
            tf(
                "aws_s3_bucket_server_side_encryption_configuration.site",
                json!({
                    "bucket": "my-bucket-123", "expected_bucket_owner": null,
                    "rule": [{
                        "apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": "AES256"}],
                        "bucket_key_enabled": null
                    }]
                }),
            ),
            tf(
                "aws_s3_bucket_lifecycle_configuration.site",
                json!({
                    "bucket": new_bucket, "expected_bucket_owner": "(known after apply)", "timeouts": null,
                    "transition_default_minimum_object_size": "all_storage_classes_128K",
                    "rule": [
                        {
                            "abort_incomplete_multipart_upload": [{"days_after_initiation": 7}],
                            "expiration": [{"date": null, "days": 30, "expired_object_delete_marker": false}],
                            "filter": [{"and": [], "object_size_greater_than": null, "object_size_less_than": null, "prefix": "", "tag": []}],
                            "id": "expire",
                            "noncurrent_version_expiration": [{"newer_noncurrent_versions": null, "noncurrent_days": 7}],
                            "noncurrent_version_transition": [], "prefix": "", "status": "Enabled",
                            "transition": [{"date": null, "days": 30, "storage_class": "STANDARD_IA"}]
                        },
                        {
                            "abort_incomplete_multipart_upload": [], "expiration": [{"date": null, "days": 1, "expired_object_delete_marker": false}],
                            "filter": [{
                                "and": [{"object_size_greater_than": null, "object_size_less_than": null, "prefix": "tmp/", "tags": {"temporary": "true"}}],
                                "object_size_greater_than": null, "object_size_less_than": null, "prefix": "", "tag": []
                            }],
                            "id": "temporary", "noncurrent_version_expiration": [], "noncurrent_version_transition": [],
                            "prefix": "", "status": "Enabled", "transition": []
                        }
                    ]
                }),
            ),
            tf(
                "aws_s3_bucket_ownership_controls.site",
                json!({"bucket": "my-bucket-123", "rule": [{"object_ownership": "BucketOwnerEnforced"}]}),
            ),
            tf(
                "aws_s3_bucket_policy.site",
                json!({
                    "bucket": "${aws_s3_bucket.site.id}",
                    "policy": deny_insecure(json!("${aws_s3_bucket.site.arn}"), json!("${aws_s3_bucket.site.arn}/*"))
                }),
            ),
        ],
        vec![
            cfn(
                "Bucket83908E77",
                "AWS::S3::Bucket",
                json!({
                    "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
                    "BucketName": "my-bucket-123",
                    "LifecycleConfiguration": {"Rules": [
                        {
                            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}, "ExpirationInDays": 30,
                            "Id": "expire", "NoncurrentVersionExpiration": {"NoncurrentDays": 7}, "Status": "Enabled",
                            "Transitions": [{"StorageClass": "STANDARD_IA", "TransitionInDays": 30}]
                        },
                        {
                            "ExpirationInDays": 1, "Id": "temporary", "Prefix": "tmp/", "Status": "Enabled",
                            "TagFilters": [{"Key": "temporary", "Value": "true"}]
                        }
                    ]},
                    "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true,
                        "RestrictPublicBuckets": true
                    },
                    "VersioningConfiguration": {"Status": "Enabled"}
                }),
            ),
            cfn(
                "BucketPolicyE9A3008A",
                "AWS::S3::BucketPolicy",
                json!({
                    "Bucket": {"Ref": "Bucket83908E77"},
                    "PolicyDocument": deny_insecure(
                        json!({"Fn::GetAtt": ["Bucket83908E77", "Arn"]}),
                        json!({"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket83908E77", "Arn"]}, "/*"]]})
                    )
                }),
            ),
        ],
        &[
            ("aws_s3_bucket.site", "Bucket83908E77"),
            ("aws_s3_bucket_policy.site", "BucketPolicyE9A3008A"),
        ],
    );
    assert_eq!(
        twins.terraform.entities.len(),
        2,
        "every setting folds into the bucket"
    );
    twins.assert_same("aws_s3_bucket.site", "Bucket83908E77");
    twins.assert_same("aws_s3_bucket_policy.site", "BucketPolicyE9A3008A");
}

#[test]
fn a_bucket_that_says_nothing_has_what_s3_gives_every_new_bucket() {
    let twins = Twins::new(
        vec![tf(
            "aws_s3_bucket.logs",
            json!({"bucket": "logs-123", "force_destroy": false, "tags": null}),
        )],
        vec![cfn(
            "Logs",
            "AWS::S3::Bucket",
            json!({"BucketName": "logs-123"}),
        )],
        &[("aws_s3_bucket.logs", "Logs")],
    );
    twins.assert_same("aws_s3_bucket.logs", "Logs");
    let bucket = &twins.terraform_entity("aws_s3_bucket.logs").properties;
    assert_eq!(
        bucket["BucketEncryption"].to_string(),
        "{ServerSideEncryptionConfiguration: [{BucketKeyEnabled: false, ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}}]}"
    );
}

#[test]
fn a_function_the_permission_to_invoke_it_a_build_project_and_a_prometheus_workspace() {
    let twins = Twins::new(
        vec![
            tf(
                "aws_lambda_function.fn",
                json!({
                    "architectures": "(known after apply)", "code_signing_config_arn": null,
                    "dead_letter_config": [], "description": null, "environment": [{"variables": {"A": "1"}}],
                    "ephemeral_storage": "(known after apply)", "file_system_config": [], "filename": "fn.zip",
                    "function_name": "fn", "handler": "index.handler", "image_config": [], "image_uri": null,
                    "kms_key_arn": null, "layers": null, "logging_config": "(known after apply)", "memory_size": 256,
                    "package_type": "Zip", "publish": false, "reserved_concurrent_executions": -1,
                    "role": "${aws_iam_role.fn.arn}", "runtime": "nodejs20.x", "s3_bucket": null, "s3_key": null,
                    "skip_destroy": false, "snap_start": [], "source_code_hash": "(known after apply)", "tags": null,
                    "timeout": 10, "timeouts": null, "tracing_config": "(known after apply)", "vpc_config": []
                }),
            ),
            tf(
                "aws_lambda_permission.sns",
                json!({
                    "action": "lambda:InvokeFunction", "event_source_token": null,
                    "function_name": "${aws_lambda_function.fn.arn}", "function_url_auth_type": null,
                    "principal": "sns.amazonaws.com", "principal_org_id": null, "qualifier": null,
                    "source_account": null, "source_arn": "${aws_sns_topic.alerts.arn}", "statement_id": "AllowSNS"
                }),
            ),
            tf(
                "aws_codebuild_project.build",
                json!({
                    "artifacts": [{
                        "artifact_identifier": null, "bucket_owner_access": null, "encryption_disabled": false,
                        "location": null, "name": null, "namespace_type": null, "override_artifact_name": false,
                        "packaging": null, "path": null, "type": "NO_ARTIFACTS"
                    }],
                    "badge_enabled": false, "build_batch_config": [], "build_timeout": 60, "cache": [],
                    "concurrent_build_limit": null, "description": "(known after apply)",
                    "encryption_key": "(known after apply)",
                    "environment": [{
                        "certificate": null, "compute_type": "BUILD_GENERAL1_SMALL",
                        "environment_variable": [{"name": "STAGE", "type": "PLAINTEXT", "value": "prod"}],
                        "fleet": [], "image": "aws/codebuild/standard:7.0", "image_pull_credentials_type": "CODEBUILD",
                        "privileged_mode": false, "registry_credential": [], "type": "LINUX_CONTAINER"
                    }],
                    "file_system_locations": [], "logs_config": [], "name": "build", "project_visibility": "PRIVATE",
                    "queued_timeout": 480, "resource_access_role": null, "secondary_artifacts": [],
                    "secondary_source_version": [], "secondary_sources": [], "service_role": "${aws_iam_role.build.arn}",
                    "source": [{
                        "auth": [], "build_status_config": [], "buildspec": "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n",
                        "git_clone_depth": null, "git_submodules_config": [], "insecure_ssl": null, "location": null,
                        "report_build_status": null, "type": "NO_SOURCE"
                    }],
                    "source_version": null, "tags": null, "vpc_config": []
                }),
            ),
            tf(
                "aws_prometheus_workspace.main",
                json!({"alias": "main", "kms_key_arn": null, "logging_configuration": [], "tags": null}),
            ),
        ],
        vec![
            cfn(
                "Fn9270CBC0",
                "AWS::Lambda::Function",
                json!({
                    "Code": {"S3Bucket": "cdk-hnb659fds-assets-123456789012-eu-west-1", "S3Key": "2819175352ad1ce0.zip"},
                    "Environment": {"Variables": {"A": "1"}}, "FunctionName": "fn", "Handler": "index.handler",
                    "MemorySize": 256, "Role": {"Fn::GetAtt": ["FnServiceRoleB9001A96", "Arn"]},
                    "Runtime": "nodejs20.x", "Timeout": 10
                }),
            ),
            cfn(
                "FnAllowSNSCDF6CEE5",
                "AWS::Lambda::Permission",
                json!({
                    "Action": "lambda:InvokeFunction", "FunctionName": {"Fn::GetAtt": ["Fn9270CBC0", "Arn"]},
                    "Principal": "sns.amazonaws.com", "SourceArn": {"Ref": "Alerts91F83244"}
                }),
            ),
            cfn(
                "Build45A36621",
                "AWS::CodeBuild::Project",
                json!({
                    "Artifacts": {"Type": "NO_ARTIFACTS"}, "Cache": {"Type": "NO_CACHE"}, "EncryptionKey": "alias/aws/s3",
                    "Environment": {
                        "ComputeType": "BUILD_GENERAL1_SMALL",
                        "EnvironmentVariables": [{"Name": "STAGE", "Type": "PLAINTEXT", "Value": "prod"}],
                        "Image": "aws/codebuild/standard:7.0", "ImagePullCredentialsType": "CODEBUILD",
                        "PrivilegedMode": false, "Type": "LINUX_CONTAINER"
                    },
                    "Name": "build", "ServiceRole": {"Fn::GetAtt": ["BuildRoleB7C66CB2", "Arn"]},
                    "Source": {
                        "BuildSpec": "{\n  \"version\": \"0.2\",\n  \"phases\": {\n    \"build\": {\n      \"commands\": [\n        \"make\"\n      ]\n    }\n  }\n}",
                        "Type": "NO_SOURCE"
                    }
                }),
            ),
            cfn("Prom", "AWS::APS::Workspace", json!({"Alias": "main"})),
            cfn(
                "DbSecretAttachment7AED447C",
                "AWS::SecretsManager::SecretTargetAttachment",
                json!({"SecretId": {"Ref": "DbSecret"}, "TargetId": {"Ref": "Db5D02A0A9"}, "TargetType": "AWS::RDS::DBCluster"}),
            ),
        ],
        &[
            ("aws_lambda_function.fn", "Fn9270CBC0"),
            ("aws_lambda_permission.sns", "FnAllowSNSCDF6CEE5"),
            ("aws_codebuild_project.build", "Build45A36621"),
            ("aws_prometheus_workspace.main", "Prom"),
            ("aws_iam_role.fn", "FnServiceRoleB9001A96"),
            ("aws_iam_role.build", "BuildRoleB7C66CB2"),
            ("aws_sns_topic.alerts", "Alerts91F83244"),
        ],
    );
    for (address, logical_id) in [
        ("aws_lambda_function.fn", "Fn9270CBC0"),
        ("aws_lambda_permission.sns", "FnAllowSNSCDF6CEE5"),
        ("aws_codebuild_project.build", "Build45A36621"),
        ("aws_prometheus_workspace.main", "Prom"),
    ] {
        twins.assert_same(address, logical_id);
    }
    assert_eq!(
        twins.cloudformation.no_twin.len(),
        1,
        "the database's connection details in its secret"
    );
}

#[test]
fn a_listener_with_attributes_and_sign_in_and_a_target_group_that_fails_over() {
    let twins = Twins::new(
        vec![
            tf(
                "aws_lb_listener.https",
                json!({
                    "alpn_policy": null, "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
                    "default_action": [{
                        "authenticate_cognito": [], "fixed_response": [], "forward": [], "redirect": [],
                        "target_group_arn": null, "type": "authenticate-oidc", "order": 1,
                        "authenticate_oidc": [{
                            "authentication_request_extra_params": null,
                            "authorization_endpoint": "https://idp.example.com/authorize", "client_id": "app",
                            "client_secret": "s3cret", "issuer": "https://idp.example.com",
                            "on_unauthenticated_request": "(known after apply)", "scope": "(known after apply)",
                            "session_cookie_name": "(known after apply)", "session_timeout": "(known after apply)",
                            "token_endpoint": "https://idp.example.com/token",
                            "user_info_endpoint": "https://idp.example.com/userinfo"
                        }]
                    }],
                    "load_balancer_arn": "${aws_lb.api.arn}", "mutual_authentication": [], "port": 443,
                    "protocol": "HTTPS", "routing_http_response_server_enabled": false,
                    "routing_http_response_strict_transport_security_header_value": "max-age=31536000",
                    "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "tags": null,
                    "tcp_idle_timeout_seconds": null
                }),
            ),
            tf(
                "aws_lb_target_group.api",
                json!({
                    "deregistration_delay": "300", "name": "api", "port": 8080, "protocol": "HTTP",
                    "target_type": "ip", "vpc_id": "${aws_vpc.main.id}",
                    "target_failover": [{"on_deregistration": "rebalance", "on_unhealthy": "rebalance"}],
                    "target_group_health": [{
                        "dns_failover": [{"minimum_healthy_targets_count": "1", "minimum_healthy_targets_percentage": "off"}],
                        "unhealthy_state_routing": [{"minimum_healthy_targets_count": 2, "minimum_healthy_targets_percentage": "off"}]
                    }],
                    "target_health_state": []
                }),
            ),
        ],
        vec![
            cfn(
                "AlbHttps",
                "AWS::ElasticLoadBalancingV2::Listener",
                json!({
                    "Certificates": [{"CertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc"}],
                    "DefaultActions": [{
                        "AuthenticateOidcConfig": {
                            "AuthorizationEndpoint": "https://idp.example.com/authorize", "ClientId": "app",
                            "ClientSecret": "s3cret", "Issuer": "https://idp.example.com",
                            "TokenEndpoint": "https://idp.example.com/token",
                            "UserInfoEndpoint": "https://idp.example.com/userinfo"
                        },
                        "Order": 1, "Type": "authenticate-oidc"
                    }],
                    "ListenerAttributes": [
                        {"Key": "routing.http.response.server.enabled", "Value": "false"},
                        {"Key": "routing.http.response.strict_transport_security.header_value", "Value": "max-age=31536000"}
                    ],
                    "LoadBalancerArn": {"Ref": "Alb"}, "Port": 443, "Protocol": "HTTPS",
                    "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"
                }),
            ),
            cfn(
                "ApiTargetGroup",
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                json!({
                    "Name": "api", "Port": 8080, "Protocol": "HTTP", "TargetType": "ip", "VpcId": {"Ref": "Vpc8378EB38"},
                    "TargetGroupAttributes": [
                        {"Key": "target_failover.on_deregistration", "Value": "rebalance"},
                        {"Key": "target_failover.on_unhealthy", "Value": "rebalance"},
                        {"Key": "target_group_health.dns_failover.minimum_healthy_targets.count", "Value": "1"},
                        {"Key": "target_group_health.dns_failover.minimum_healthy_targets.percentage", "Value": "off"},
                        {"Key": "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "Value": "2"},
                        {"Key": "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "Value": "off"}
                    ]
                }),
            ),
        ],
        &[
            ("aws_lb_listener.https", "AlbHttps"),
            ("aws_lb_target_group.api", "ApiTargetGroup"),
            ("aws_lb.api", "Alb"),
            ("aws_vpc.main", "Vpc8378EB38"),
        ],
    );
    twins.assert_same("aws_lb_listener.https", "AlbHttps");
    twins.assert_same("aws_lb_target_group.api", "ApiTargetGroup");
}

#[test]
fn a_task_definition_behind_an_app_mesh_proxy_and_a_service_with_service_connect_tls() {
    let twins = Twins::new(
        vec![
            tf(
                "aws_ecs_task_definition.api",
                json!({
                    "family": "api", "network_mode": "awsvpc", "requires_compatibilities": ["FARGATE"],
                    "cpu": "256", "memory": "512",
                    "proxy_configuration": [{
                        "container_name": "envoy", "type": "APPMESH",
                        "properties": {"AppPorts": "8080", "IgnoredUID": "1337", "ProxyIngressPort": "15000"}
                    }],
                    "inference_accelerator": [], "volume": [], "tags": null
                }),
            ),
            tf(
                "aws_service_discovery_http_namespace.apps",
                json!({"description": null, "name": "apps", "tags": null}),
            ),
            tf(
                "aws_ecs_service.api",
                json!({
                    "name": "api", "cluster": "${aws_ecs_cluster.main.arn}", "desired_count": 2,
                    "launch_type": "FARGATE", "task_definition": "${aws_ecs_task_definition.api.arn}",
                    "service_connect_configuration": [{
                        "enabled": true, "namespace": "${aws_service_discovery_http_namespace.apps.arn}",
                        "log_configuration": [],
                        "service": [{
                            "client_alias": [{"dns_name": "api", "port": 8080}], "discovery_name": "api",
                            "ingress_port_override": null, "port_name": "http",
                            "timeout": [{"idle_timeout_seconds": 300, "per_request_timeout_seconds": 60}],
                            "tls": [{
                                "issuer_cert_authority": [{"aws_pca_authority_arn": "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/ca"}],
                                "kms_key": null, "role_arn": "${aws_iam_role.tls.arn}"
                            }]
                        }]
                    }],
                    "vpc_lattice_configurations": [],
                    "volume_configuration": []
                }),
            ),
        ],
        vec![
            cfn(
                "TaskDef",
                "AWS::ECS::TaskDefinition",
                json!({
                    "Cpu": "256", "Family": "api", "Memory": "512", "NetworkMode": "awsvpc",
                    "ProxyConfiguration": {
                        "ContainerName": "envoy", "Type": "APPMESH",
                        "ProxyConfigurationProperties": [
                            {"Name": "AppPorts", "Value": "8080"}, {"Name": "IgnoredUID", "Value": "1337"},
                            {"Name": "ProxyIngressPort", "Value": "15000"}
                        ]
                    },
                    "RequiresCompatibilities": ["FARGATE"]
                }),
            ),
            cfn(
                "Apps",
                "AWS::ServiceDiscovery::HttpNamespace",
                json!({"Name": "apps"}),
            ),
            cfn(
                "Service",
                "AWS::ECS::Service",
                json!({
                    "Cluster": {"Fn::GetAtt": ["Cluster", "Arn"]}, "DesiredCount": 2, "LaunchType": "FARGATE",
                    "ServiceName": "api", "TaskDefinition": {"Ref": "TaskDef"},
                    "ServiceConnectConfiguration": {
                        "Enabled": true, "Namespace": {"Fn::GetAtt": ["Apps", "Arn"]},
                        "Services": [{
                            "ClientAliases": [{"DnsName": "api", "Port": 8080}], "DiscoveryName": "api", "PortName": "http",
                            "Timeout": {"IdleTimeoutSeconds": 300, "PerRequestTimeoutSeconds": 60},
                            "Tls": {
                                "IssuerCertificateAuthority": {"AwsPcaAuthorityArn": "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/ca"},
                                "RoleArn": {"Fn::GetAtt": ["TlsRole", "Arn"]}
                            }
                        }]
                    }
                }),
            ),
        ],
        &[
            ("aws_ecs_task_definition.api", "TaskDef"),
            ("aws_ecs_service.api", "Service"),
            ("aws_ecs_cluster.main", "Cluster"),
            ("aws_iam_role.tls", "TlsRole"),
            ("aws_service_discovery_http_namespace.apps", "Apps"),
        ],
    );
    twins.assert_same("aws_ecs_task_definition.api", "TaskDef");
    twins.assert_same("aws_ecs_service.api", "Service");
    twins.assert_same("aws_service_discovery_http_namespace.apps", "Apps");
}

#[test]
fn an_app_mesh_mesh_virtual_node_and_virtual_service() {
    let twins = Twins::new(
        vec![
            tf(
                "aws_appmesh_mesh.govuk",
                json!({
                    "arn": "(known after apply)", "id": "(known after apply)", "mesh_owner": "(known after apply)",
                    "name": "govuk-ecs", "resource_owner": "(known after apply)",
                    "spec": [{"egress_filter": [{"type": "ALLOW_ALL"}], "service_discovery": []}],
                    "tags": {"Name": "govuk"}
                }),
            ),
            tf(
                "aws_appmesh_virtual_node.static",
                json!({
                    "arn": "(known after apply)", "id": "(known after apply)",
                    "mesh_name": "${aws_appmesh_mesh.govuk.id}", "mesh_owner": "(known after apply)",
                    "name": "static", "resource_owner": "(known after apply)",
                    "spec": [{
                        "backend": [{"virtual_service": [{
                            "client_policy": [],
                            "virtual_service_name": "${aws_appmesh_virtual_service.statsd.name}"
                        }]}],
                        "backend_defaults": [],
                        "listener": [{
                            "connection_pool": [], "health_check": [], "outlier_detection": [],
                            "port_mapping": [{"port": 80, "protocol": "http"}], "timeout": [], "tls": []
                        }],
                        "logging": [{"access_log": [{"file": [{"format": [], "path": "/dev/stdout"}]}]}],
                        "service_discovery": [{
                            "aws_cloud_map": [{
                                "attributes": null,
                                "namespace_name": "mesh.ecs.test.govuk-internal.digital",
                                "service_name": "${aws_service_discovery_service.static.name}"
                            }],
                            "dns": []
                        }]
                    }],
                    "tags": {"Name": "static"}
                }),
            ),
            tf(
                "aws_appmesh_virtual_service.static",
                json!({
                    "arn": "(known after apply)", "id": "(known after apply)",
                    "mesh_name": "${aws_appmesh_mesh.govuk.id}", "mesh_owner": "(known after apply)",
                    "name": "static.mesh.ecs.test.govuk-internal.digital", "resource_owner": "(known after apply)",
                    "spec": [{"provider": [{
                        "virtual_node": [{"virtual_node_name": "${aws_appmesh_virtual_node.static.name}"}],
                        "virtual_router": []
                    }]}],
                    "tags": {"Name": "static"}
                }),
            ),
        ],
        vec![
            cfn(
                "Mesh73A573F6",
                "AWS::AppMesh::Mesh",
                json!({
                    "MeshName": "govuk-ecs", "Spec": {"EgressFilter": {"Type": "ALLOW_ALL"}},
                    "Tags": [{"Key": "Name", "Value": "govuk"}]
                }),
            ),
            cfn(
                "StaticNode10248531",
                "AWS::AppMesh::VirtualNode",
                json!({
                    "MeshName": {"Fn::GetAtt": ["Mesh73A573F6", "MeshName"]},
                    "Spec": {
                        "Backends": [{"VirtualService": {
                            "VirtualServiceName": {"Fn::GetAtt": ["StatsdVirtualService1D7C3B05", "VirtualServiceName"]}
                        }}],
                        "Listeners": [{"PortMapping": {"Port": 80, "Protocol": "http"}}],
                        "Logging": {"AccessLog": {"File": {"Path": "/dev/stdout"}}},
                        "ServiceDiscovery": {"AWSCloudMap": {
                            "NamespaceName": "mesh.ecs.test.govuk-internal.digital",
                            "ServiceName": {"Fn::GetAtt": ["StaticDiscoveryD8A1F6FC", "Name"]}
                        }}
                    },
                    "Tags": [{"Key": "Name", "Value": "static"}],
                    "VirtualNodeName": "static"
                }),
            ),
            cfn(
                "StaticVirtualService69B00D1E",
                "AWS::AppMesh::VirtualService",
                json!({
                    "MeshName": {"Fn::GetAtt": ["Mesh73A573F6", "MeshName"]},
                    "Spec": {"Provider": {"VirtualNode": {
                        "VirtualNodeName": {"Fn::GetAtt": ["StaticNode10248531", "VirtualNodeName"]}
                    }}},
                    "Tags": [{"Key": "Name", "Value": "static"}],
                    "VirtualServiceName": "static.mesh.ecs.test.govuk-internal.digital"
                }),
            ),
        ],
        &[
            ("aws_appmesh_mesh.govuk", "Mesh73A573F6"),
            ("aws_appmesh_virtual_node.static", "StaticNode10248531"),
            (
                "aws_appmesh_virtual_service.statsd",
                "StatsdVirtualService1D7C3B05",
            ),
            (
                "aws_service_discovery_service.static",
                "StaticDiscoveryD8A1F6FC",
            ),
        ],
    );
    twins.assert_same("aws_appmesh_mesh.govuk", "Mesh73A573F6");
    twins.assert_same("aws_appmesh_virtual_node.static", "StaticNode10248531");
    twins.assert_same(
        "aws_appmesh_virtual_service.static",
        "StaticVirtualService69B00D1E",
    );
}
