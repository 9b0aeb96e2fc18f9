use super::*;

#[test]
fn a_type_is_called_by_its_words_or_the_words_of_its_name() {
    let rules = Rules::builtin().unwrap();
    assert_eq!(rules.words("AWS::ECS::Service"), "ECS services");
    assert_eq!(
        rules.words("AWS::ElasticLoadBalancingV2::TargetGroup"),
        "target groups"
    );
    assert_eq!(rules.words("AWS::IAM::Role"), "roles");
    assert_eq!(rules.words("AWS::IAM::ManagedPolicy"), "managed policies");
    assert_eq!(rules.words("AWS::EC2::VPC"), "VPCs");
    assert_eq!(rules.words("AWS::EC2::VPCEndpoint"), "VPC endpoints");
    assert_eq!(rules.words("AWS::KMS::Alias"), "aliases");
    assert_eq!(rules.words("AWS::EC2::NatGateway"), "NAT gateways");
}

#[test]
fn the_items_of_a_list_are_called_by_their_words_or_the_list_s_name() {
    let rules = Rules::builtin().unwrap();
    assert_eq!(
        rules.item_words("AWS::ECS::TaskDefinition", "ContainerDefinitions"),
        "containers"
    );
    assert_eq!(
        rules.item_words("AWS::ECS::Service", "LoadBalancers"),
        "load balancer attachments"
    );
    assert_eq!(
        rules.item_words("AWS::ECS::Service", "ServiceRegistries"),
        "service registries"
    );
}

/// `pair_lone` compares whole items, their keys among their fields; a list
/// compared by one field only could not show that the keys differ.
#[test]
fn pair_lone_with_a_value_field_is_refused() {
    let rule = "ContainerDefinitions.*.Environment: { key: [Name], value: Value }";
    assert!(BUILTIN.contains(rule));
    let text = BUILTIN.replace(
        rule,
        "ContainerDefinitions.*.Environment: { key: [Name], value: Value, pair_lone: true }",
    );
    let err = Rules::parse(&text).unwrap_err().to_string();
    assert!(err.contains("pair_lone"), "{err}");
}
