//! The mapping table on real twins: for every focus-area type, the real
//! Terraform resource and its real CDK twin in the in-sync fixtures
//! canonicalize to the same properties. What a fresh plan cannot know yet
//! (an ARN of a resource not created) is unverifiable, never different.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{iac_parity, stdout};

/// In-sync pairs of real artifacts: (Terraform plan, CDK output).
const IN_SYNC: &[(&str, &str)] = &[
    (
        "testdata/ecs-fargate/tfplan.json",
        "testdata/ecs-fargate/cdk.out.in-sync",
    ),
    (
        "testdata/multi-service/tfplan.json",
        "testdata/multi-service/cdk.out",
    ),
];

const FOCUS_TYPES: &[&str] = &[
    "AWS::ECS::Cluster",
    "AWS::ECS::Service",
    "AWS::ECS::TaskDefinition",
    "AWS::EFS::AccessPoint",
    "AWS::EFS::FileSystem",
    "AWS::EFS::MountTarget",
    "AWS::EC2::SecurityGroup",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::IAM::Role",
    "AWS::Logs::LogGroup",
    "AWS::SSM::Parameter",
    "AWS::SecretsManager::Secret",
];

#[test]
fn focus_area_types_canonicalize_to_the_same_properties_on_both_sides() {
    let mut paired: BTreeMap<String, usize> = BTreeMap::new();
    for (plan, cdk) in IN_SYNC {
        let assert = iac_parity(&[
            "compare",
            "--terraform",
            plan,
            "--cloudformation",
            cdk,
            "--format",
            "json",
        ]);
        let report: Value = serde_json::from_str(&stdout(&assert.code(0))).unwrap();
        for pair in report["pairs"].as_array().unwrap() {
            *paired
                .entry(pair["resource_type"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
        for finding in report["findings"].as_array().unwrap() {
            assert_eq!(
                finding["status"], "unverifiable",
                "{plan}: a difference between twins: {finding:#}"
            );
            let note = finding["note"].as_str().unwrap_or_default();
            assert!(
                note.starts_with("Terraform knows this"),
                "{plan}: unverifiable for another reason than a value known after apply: {finding:#}"
            );
        }
    }
    let missing: BTreeSet<&str> = FOCUS_TYPES
        .iter()
        .copied()
        .filter(|t| !paired.contains_key(*t))
        .collect();
    assert!(
        missing.is_empty(),
        "no real pair of {missing:?} in the in-sync fixtures"
    );
}
