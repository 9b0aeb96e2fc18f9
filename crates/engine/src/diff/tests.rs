use parity_mapping::{Table, canonicalize};
use parity_model::{Map, Resource, ResourceId, Status, Value};

use super::*;
use crate::Alignment;
use crate::rules::Rules;

fn json(text: &str) -> Value {
    Value::from_json(&serde_json::from_str(text).unwrap())
}

fn properties(text: &str) -> Map {
    match json(text) {
        Value::Map(map) => map,
        _ => panic!("not an object"),
    }
}

/// The differences between two canonical property maps of `ty`, as
/// `(attribute, status)`.
fn differences(ty: &str, tf: &str, cfn: &str) -> Vec<(String, Status)> {
    let table = Table::builtin().unwrap();
    let rules = Rules::builtin().unwrap();
    let refs = References::new(&table, &[], &[], &Alignment::default());
    diff_properties(
        &properties(tf),
        &properties(cfn),
        rules.for_type(ty),
        &refs,
        &|_| false,
    )
    .into_iter()
    .map(|d| (d.attribute, d.status))
    .collect()
}

const TASK: &str = "AWS::ECS::TaskDefinition";

#[test]
fn environment_variables_pair_by_name_whatever_their_order() {
    let tf = r#"{"ContainerDefinitions":[{"Name":"api","Environment":[
        {"Name":"A","Value":"1"},{"Name":"B","Value":"2"},{"Name":"C","Value":"3"}]}]}"#;
    let cfn = r#"{"ContainerDefinitions":[{"Name":"api","Environment":[
        {"Name":"C","Value":"3"},{"Name":"B","Value":"two"},{"Name":"D","Value":"4"}]}]}"#;
    assert_eq!(
        differences(TASK, tf, cfn),
        vec![
            (
                "ContainerDefinitions[api].Environment[A]".to_owned(),
                Status::OnlyInTerraform
            ),
            (
                "ContainerDefinitions[api].Environment[B]".to_owned(),
                Status::Differs
            ),
            (
                "ContainerDefinitions[api].Environment[D]".to_owned(),
                Status::OnlyInCdk
            ),
        ]
    );
}

#[test]
fn secrets_pair_by_name_and_compare_their_reference() {
    let tf = r#"{"ContainerDefinitions":[{"Name":"api","Secrets":[
        {"Name":"DB","ValueFrom":"arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf:username::"},
        {"Name":"TOKEN","ValueFrom":"arn:aws:ssm:us-east-1:1:parameter/token"}]}]}"#;
    let cfn = r#"{"ContainerDefinitions":[{"Name":"api","Secrets":[
        {"Name":"TOKEN","ValueFrom":"arn:aws:ssm:us-east-1:1:parameter/token"},
        {"Name":"DB","ValueFrom":"arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf:password::"}]}]}"#;
    assert_eq!(
        differences(TASK, tf, cfn),
        vec![(
            "ContainerDefinitions[api].Secrets[DB].ValueFrom".to_owned(),
            Status::Differs
        )]
    );
}

#[test]
fn mount_points_pair_by_volume_and_path() {
    let tf = r#"{"ContainerDefinitions":[{"Name":"api","MountPoints":[
        {"SourceVolume":"data","ContainerPath":"/mnt/data","ReadOnly":false}]}]}"#;
    let cfn = r#"{"ContainerDefinitions":[{"Name":"api","MountPoints":[
        {"SourceVolume":"data","ContainerPath":"/mnt/data","ReadOnly":true}]}]}"#;
    assert_eq!(
        differences(TASK, tf, cfn),
        vec![(
            "ContainerDefinitions[api].MountPoints[data /mnt/data].ReadOnly".to_owned(),
            Status::Differs
        )]
    );
}

#[test]
fn lists_of_scalars_are_sets_unless_ordered() {
    let service = "AWS::ECS::Service";
    let tf =
        r#"{"NetworkConfiguration":{"AwsvpcConfiguration":{"Subnets":["subnet-a","subnet-b"]}}}"#;
    let cfn =
        r#"{"NetworkConfiguration":{"AwsvpcConfiguration":{"Subnets":["subnet-b","subnet-a"]}}}"#;
    assert_eq!(differences(service, tf, cfn), Vec::new());
    let tf = r#"{"ContainerDefinitions":[{"Name":"api","Command":["serve","--port","80"]}]}"#;
    let cfn = r#"{"ContainerDefinitions":[{"Name":"api","Command":["--port","80","serve"]}]}"#;
    assert_eq!(
        differences(TASK, tf, cfn),
        vec![
            (
                "ContainerDefinitions[api].Command[0]".to_owned(),
                Status::Differs
            ),
            (
                "ContainerDefinitions[api].Command[1]".to_owned(),
                Status::Differs
            ),
            (
                "ContainerDefinitions[api].Command[2]".to_owned(),
                Status::Differs
            ),
        ]
    );
}

#[test]
fn what_is_inside_a_sensitive_value_stays_sensitive() {
    let table = Table::builtin().unwrap();
    let rules = Rules::builtin().unwrap();
    let refs = References::new(&table, &[], &[], &Alignment::default());
    let tf = Map::from([(
        "ContainerDefinitions".to_owned(),
        json(r#"[{"Name":"api","Environment":[{"Name":"PASSWORD","Value":"hunter2"}]}]"#)
            .into_sensitive(),
    )]);
    let cfn = properties(
        r#"{"ContainerDefinitions":[{"Name":"api","Environment":[{"Name":"PASSWORD","Value":"other"}]}]}"#,
    );
    let found = diff_properties(&tf, &cfn, rules.for_type(TASK), &refs, &|_| false);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].attribute,
        "ContainerDefinitions[api].Environment[PASSWORD]"
    );
    assert_eq!(
        found[0].terraform.as_ref().unwrap().to_string(),
        "(sensitive)"
    );
    // The other side's value stands where the secret stands: hidden too.
    assert_eq!(
        found[0].cloudformation.as_ref().unwrap().to_string(),
        "(sensitive)"
    );
}

/// A value either side marks sensitive is sensitive on both: a plaintext
/// secret next to Terraform's `(sensitive)` is never shown, whether the
/// two differ, one is absent, or they are whole lists; what is equal is
/// no difference at all.
#[test]
fn a_value_sensitive_on_one_side_is_sensitive_on_both() {
    let table = Table::builtin().unwrap();
    let rules = Rules::builtin().unwrap();
    let refs = References::new(&table, &[], &[], &Alignment::default());
    let diff = |tf: Map, cfn: Map| {
        diff_properties(
            &tf,
            &cfn,
            rules.for_type("AWS::SecretsManager::Secret"),
            &refs,
            &|_| false,
        )
    };
    let secret = |text: &str| Value::from(text).into_sensitive();
    let one = |key: &str, value: Value| Map::from([(key.to_owned(), value)]);

    let found = diff(
        one("SecretString", secret("tf-pass")),
        one("SecretString", Value::from("cdk-pass")),
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].status, Status::Differs);
    for value in [&found[0].terraform, &found[0].cloudformation] {
        assert_eq!(value.as_ref().unwrap().to_string(), "(sensitive)");
    }

    // The CloudFormation side marks it, Terraform does not.
    let found = diff(
        one("Description", Value::from("tf-text")),
        one("Description", secret("cdk-text")),
    );
    assert_eq!(
        found[0].terraform.as_ref().unwrap().to_string(),
        "(sensitive)"
    );

    // Equal content is no difference.
    assert!(
        diff(
            one("SecretString", secret("same")),
            one("SecretString", Value::from("same"))
        )
        .is_empty()
    );

    // A list of scalars compared as a set, one item marked.
    let found = diff(
        one(
            "ReplicaRegions",
            Value::List(vec![secret("eu-west-1-key"), Value::from("a")]),
        ),
        one(
            "ReplicaRegions",
            Value::List(vec![Value::from("eu-west-1-other"), Value::from("a")]),
        ),
    );
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].cloudformation.as_ref().unwrap().to_string(),
        "(sensitive)"
    );
}

/// A Terraform target group and a template that leaves AWS defaults out.
#[test]
fn absent_properties_equal_aws_defaults() {
    let table = Table::builtin().unwrap();
    let rules = Rules::builtin().unwrap();
    let resource = |id: ResourceId, ty: &str, props: &str| Resource {
        id,
        resource_type: ty.to_owned(),
        properties: properties(props),
        action: None,
        construct_path: None,
        module: None,
        condition: None,
    };
    let tf = canonicalize(
        &[resource(
            ResourceId::Terraform {
                address: "aws_lb_target_group.api".into(),
            },
            "aws_lb_target_group",
            r#"{"name":"api","port":8080,"protocol":"HTTP","deregistration_delay":"300",
                "health_check":[{"interval":30,"timeout":5,"healthy_threshold":5,"unhealthy_threshold":2,
                                 "path":"/","matcher":"200","protocol":"HTTP","port":"traffic-port","enabled":true}],
                "stickiness":[{"enabled":false,"type":"lb_cookie","cookie_duration":86400}]}"#,
        )],
        &table,
    );
    let cfn = canonicalize(
        &[resource(
            ResourceId::CloudFormation {
                stack: "S".into(),
                logical_id: "TargetGroup".into(),
            },
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            r#"{"Name":"api","Port":8080,"Protocol":"HTTP"}"#,
        )],
        &table,
    );
    let refs = References::new(&table, &[], &[], &Alignment::default());
    let rules = rules.for_type("AWS::ElasticLoadBalancingV2::TargetGroup");
    let found = diff_properties(
        &tf.entities[0].properties,
        &cfn.entities[0].properties,
        rules,
        &refs,
        &|_| false,
    );
    assert_eq!(found, Vec::new());
}

/// A CDK app's `Fn::If` on a list item: the item pairs by the key it has in
/// the branch where it exists, and what the undecided condition chooses is
/// unverifiable, never only on one side.
#[test]
fn items_that_depend_on_an_undecided_condition() {
    let table = Table::builtin().unwrap();
    let rules = Rules::builtin().unwrap();
    let refs = References::new(&table, &[], &[], &Alignment::default());
    let item = |name: &str, value: &str| json(&format!(r#"{{"Name":"{name}","Value":"{value}"}}"#));
    let conditional = |if_true: Option<Value>, if_false: Option<Value>| {
        parity_model::Conditional::choose("IsProd", if_true, if_false).unwrap()
    };
    let tf = properties(
        r#"{"ContainerDefinitions":[{"Name":"api","Environment":[{"Name":"MODE","Value":"busy"}]}]}"#,
    );
    let environment = vec![
        // MODE is busy in production, quiet elsewhere.
        conditional(Some(item("MODE", "busy")), Some(item("MODE", "quiet"))),
        // REPLICAS exists in production only.
        conditional(Some(item("REPLICAS", "3")), None),
    ];
    let cfn = Map::from([(
        "ContainerDefinitions".to_owned(),
        Value::List(vec![Value::Map(Map::from([
            ("Name".to_owned(), Value::from("api")),
            ("Environment".to_owned(), Value::List(environment)),
        ]))]),
    )]);
    let found: Vec<(String, Status)> =
        diff_properties(&tf, &cfn, rules.for_type(TASK), &refs, &|_| false)
            .into_iter()
            .map(|d| (d.attribute, d.status))
            .collect();
    assert_eq!(
        found,
        vec![
            (
                "ContainerDefinitions[api].Environment[MODE]".to_owned(),
                Status::Unverifiable
            ),
            (
                "ContainerDefinitions[api].Environment[REPLICAS]".to_owned(),
                Status::Unverifiable
            ),
        ]
    );
}

/// A task's only container, named differently on each side, is compared
/// with its twin: its name is one difference, its environment is compared
/// variable by variable.
#[test]
fn the_lone_container_of_each_side_is_compared_whatever_its_name() {
    let tf = r#"{"ContainerDefinitions":[{"Name":"api-server","Image":"app:1","Environment":[
        {"Name":"MODE","Value":"busy"},{"Name":"PORT","Value":"80"}]}]}"#;
    let cfn = r#"{"ContainerDefinitions":[{"Name":"api","Image":"app:1","Environment":[
        {"Name":"MODE","Value":"idle"},{"Name":"PORT","Value":"80"}]}]}"#;
    assert_eq!(
        differences(TASK, tf, cfn),
        vec![
            (
                "ContainerDefinitions[api-server].Environment[MODE]".to_owned(),
                Status::Differs
            ),
            (
                "ContainerDefinitions[api-server].Name".to_owned(),
                Status::Differs
            ),
        ]
    );
}

/// Containers that have a twin by name pair by name; the one left on each
/// side pair with each other.
#[test]
fn a_renamed_container_beside_a_sidecar_pairs_with_its_twin() {
    let tf = r#"{"ContainerDefinitions":[
        {"Name":"log-router","Image":"fluent-bit:2"},{"Name":"web","Image":"app:1"}]}"#;
    let cfn = r#"{"ContainerDefinitions":[
        {"Name":"app","Image":"app:2"},{"Name":"log-router","Image":"fluent-bit:2"}]}"#;
    assert_eq!(
        differences(TASK, tf, cfn),
        vec![
            (
                "ContainerDefinitions[web].Image".to_owned(),
                Status::Differs
            ),
            ("ContainerDefinitions[web].Name".to_owned(), Status::Differs),
        ]
    );
}

/// Two containers left on each side cannot be told apart: each is on one
/// side only, and neither is compared.
#[test]
fn two_unpaired_containers_on_each_side_stay_one_sided() {
    let tf = r#"{"ContainerDefinitions":[{"Name":"a","Image":"x"},{"Name":"b","Image":"y"}]}"#;
    let cfn = r#"{"ContainerDefinitions":[{"Name":"c","Image":"x"},{"Name":"d","Image":"y"}]}"#;
    assert_eq!(
        differences(TASK, tf, cfn),
        vec![
            (
                "ContainerDefinitions[a]".to_owned(),
                Status::OnlyInTerraform
            ),
            (
                "ContainerDefinitions[b]".to_owned(),
                Status::OnlyInTerraform
            ),
            ("ContainerDefinitions[c]".to_owned(), Status::OnlyInCdk),
            ("ContainerDefinitions[d]".to_owned(), Status::OnlyInCdk),
        ]
    );
}

/// Environment variables are not paired when alone: a variable spelled
/// differently on each side is one missing and one extra, as a reader of
/// either side's code would see it.
#[test]
fn a_lone_environment_variable_on_each_side_is_not_paired() {
    let tf = r#"{"ContainerDefinitions":[{"Name":"api","Environment":[{"Name":"DB_USER","Value":"app"}]}]}"#;
    let cfn = r#"{"ContainerDefinitions":[{"Name":"api","Environment":[{"Name":"DB_USERNAME","Value":"app"}]}]}"#;
    assert_eq!(
        differences(TASK, tf, cfn),
        vec![
            (
                "ContainerDefinitions[api].Environment[DB_USER]".to_owned(),
                Status::OnlyInTerraform
            ),
            (
                "ContainerDefinitions[api].Environment[DB_USERNAME]".to_owned(),
                Status::OnlyInCdk
            ),
        ]
    );
}
