//! Pairing across modules, `count`/`for_each` and stacks, on the
//! multi-service fixture: a Terraform root module with a shared cluster and
//! load balancer that calls `modules/service` once per service (`for_each`),
//! which counts its parameters, secret and policy attachments and calls
//! `modules/ecs-role` twice; and a CDK app with a shared stack and a services
//! stack that builds both services with one construct, through exports and
//! `Fn::ImportValue`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{iac_parity, repo_root, stdout};

const PLAN: &str = "testdata/multi-service/tfplan.json";
const CDK_OUT: &str = "testdata/multi-service/cdk.out";
const CONFIG: &str = "testdata/multi-service/parity.yaml";

const SHARED: &str = "ShopSharedStack";
const SERVICES: &str = "ShopServicesStack";

/// The pairs the report must list, one a line: the Terraform address, the
/// CloudFormation resource as `Stack/LogicalId` and how the pair is made.
/// Indented under a pair: the resources folded into its two sides. Every
/// resource of the plan and of both templates is in one of these lines.
/// Resources with a name pair by it; the listener and the listener rules,
/// which have none, by their properties.
const EXPECTED_PAIRS: &str = r##"
# The root module and the shared stack.
aws_ecs_cluster.main                                                ShopSharedStack/ClusterEB0386A7                         identity
aws_security_group.alb                                              ShopSharedStack/AlbSecurityGroup86A59E99                identity
aws_lb.main                                                         ShopSharedStack/Alb16C2F182                             identity
aws_lb_listener.http                                                ShopSharedStack/AlbHttpListener00C8B33E                 similarity

# module.service["orders"] and the construct ShopServicesStack/Orders.
module.service["orders"].aws_cloudwatch_log_group.this              ShopServicesStack/OrdersLogGroupE26395F1                identity
module.service["orders"].aws_ssm_parameter.setting[0]               ShopServicesStack/OrdersUpstreamUrlParameterE555C5EE    identity
module.service["orders"].aws_ssm_parameter.setting[1]               ShopServicesStack/OrdersFeatureFlagsParameter26A56AAC   identity
module.service["orders"].module.execution_role.aws_iam_role.this    ShopServicesStack/OrdersExecutionRole2A1CE4F0           identity
    module.service["orders"].module.execution_role.aws_iam_role_policy.this
    module.service["orders"].module.execution_role.aws_iam_role_policy_attachment.managed[0]
    ShopServicesStack/OrdersExecutionRoleDefaultPolicyCDEED363
module.service["orders"].module.task_role.aws_iam_role.this         ShopServicesStack/OrdersTaskRoleF2658B04                identity
    module.service["orders"].module.task_role.aws_iam_role_policy.this
    module.service["orders"].module.task_role.aws_iam_role_policy_attachment.managed[0]
    ShopServicesStack/OrdersTaskRoleDefaultPolicy332FBEEB
module.service["orders"].aws_ecs_task_definition.this               ShopServicesStack/OrdersTaskDefDFB0001A                 identity
module.service["orders"].aws_security_group.service                 ShopServicesStack/OrdersSecurityGroup2E5456CF           identity
    module.service["orders"].aws_vpc_security_group_ingress_rule.from_alb
    ShopServicesStack/OrdersSecurityGroupfromShopServicesStackAlbSecurityGroup5316496D808085D7705A
module.service["orders"].aws_ecs_service.this                       ShopServicesStack/OrdersServiceD066556E                 identity
module.service["orders"].aws_lb_target_group.this                   ShopServicesStack/OrdersTargetGroup6F7DDFA8             identity
module.service["orders"].aws_lb_listener_rule.this                  ShopServicesStack/OrdersListenerRule7F040BD9            similarity

# module.service["billing"] and the construct ShopServicesStack/Billing: one
# parameter, and the signing key that orders does not have.
module.service["billing"].aws_cloudwatch_log_group.this             ShopServicesStack/BillingLogGroupD1D8C0BD               identity
module.service["billing"].aws_ssm_parameter.setting[0]              ShopServicesStack/BillingInvoicePrefixParameter66A6522C identity
module.service["billing"].aws_secretsmanager_secret.signing_key[0]  ShopServicesStack/BillingSigningKey43869D48             identity
module.service["billing"].module.execution_role.aws_iam_role.this   ShopServicesStack/BillingExecutionRole22581479          identity
    module.service["billing"].module.execution_role.aws_iam_role_policy.this
    module.service["billing"].module.execution_role.aws_iam_role_policy_attachment.managed[0]
    ShopServicesStack/BillingExecutionRoleDefaultPolicy407BB98F
module.service["billing"].module.task_role.aws_iam_role.this        ShopServicesStack/BillingTaskRoleC97ADA14               identity
    module.service["billing"].module.task_role.aws_iam_role_policy.this
    module.service["billing"].module.task_role.aws_iam_role_policy_attachment.managed[0]
    ShopServicesStack/BillingTaskRoleDefaultPolicyC52D0334
module.service["billing"].aws_ecs_task_definition.this              ShopServicesStack/BillingTaskDefA3CEB7C6                identity
module.service["billing"].aws_security_group.service                ShopServicesStack/BillingSecurityGroup2A1E6403          identity
    module.service["billing"].aws_vpc_security_group_ingress_rule.from_alb
    ShopServicesStack/BillingSecurityGroupfromShopServicesStackAlbSecurityGroup5316496D80805558FC99
module.service["billing"].aws_ecs_service.this                      ShopServicesStack/BillingService6EF06DC0                identity
module.service["billing"].aws_lb_target_group.this                  ShopServicesStack/BillingTargetGroup40DFB839            identity
module.service["billing"].aws_lb_listener_rule.this                 ShopServicesStack/BillingListenerRuleE7BA0549           similarity
"##;

/// Resources left without a twin, one a line: none, the two sides describe
/// the same infrastructure.
const EXPECTED_UNPAIRED: &str = "";

/// A pair: Terraform address, `Stack/LogicalId`, method, and what is folded
/// into it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Pair {
    terraform: String,
    cloudformation: String,
    method: String,
    folded: BTreeSet<String>,
}

fn expected_pairs() -> BTreeSet<Pair> {
    let mut pairs: Vec<Pair> = Vec::new();
    for line in EXPECTED_PAIRS.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with(' ') {
            let pair = pairs.last_mut().expect("a folded resource under no pair");
            pair.folded.insert(line.trim().to_owned());
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [terraform, cloudformation, method] = fields[..] else {
            panic!("not `address Stack/LogicalId method`: {line}");
        };
        pairs.push(Pair {
            terraform: terraform.to_owned(),
            cloudformation: cloudformation.to_owned(),
            method: method.to_owned(),
            folded: BTreeSet::new(),
        });
    }
    pairs.into_iter().collect()
}

/// Below this a similarity pair is not made (`SIMILARITY_FLOOR` in the
/// engine).
const SIMILARITY_FLOOR: f64 = 0.5;

fn report() -> Value {
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        PLAN,
        "--cloudformation",
        CDK_OUT,
        "--config",
        CONFIG,
        "--format",
        "json",
    ]);
    let code = assert.get_output().status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "exit status {code:?}: {}",
        String::from_utf8_lossy(&assert.get_output().stderr)
    );
    serde_json::from_str(&stdout(&assert)).unwrap()
}

/// A resource of the report: its Terraform address, or `Stack/LogicalId`.
fn name(resource: &Value) -> String {
    match (
        resource["address"].as_str(),
        resource["stack"].as_str(),
        resource["logical_id"].as_str(),
    ) {
        (Some(address), None, None) => address.to_owned(),
        (None, Some(stack), Some(logical_id)) => format!("{stack}/{logical_id}"),
        _ => panic!("neither a Terraform nor a CloudFormation resource: {resource}"),
    }
}

fn list<'a>(report: &'a Value, key: &str) -> &'a [Value] {
    report[key]
        .as_array()
        .unwrap_or_else(|| panic!("the report has no `{key}` list"))
}

#[test]
fn every_resource_pairs_with_its_twin_across_modules_and_stacks() {
    let report = report();
    let pairs = list(&report, "pairs");
    let found: BTreeSet<Pair> = pairs
        .iter()
        .map(|p| Pair {
            terraform: name(&p["terraform"]),
            cloudformation: name(&p["cloudformation"]),
            method: p["method"].as_str().unwrap().to_owned(),
            folded: p["folded"].as_array().unwrap().iter().map(name).collect(),
        })
        .collect();
    assert_eq!(found.len(), pairs.len(), "the report lists a pair twice");
    let expected = expected_pairs();
    let missing: Vec<_> = expected.difference(&found).collect();
    let unexpected: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "expected, not in the report: {missing:#?}\nin the report, not expected: {unexpected:#?}"
    );

    let unpaired: BTreeSet<String> = list(&report, "unpaired").iter().map(name).collect();
    let expected_unpaired: BTreeSet<String> =
        EXPECTED_UNPAIRED.lines().map(str::to_owned).collect();
    assert_eq!(unpaired, expected_unpaired);
}

#[test]
fn confidence_says_how_sure_each_pair_is() {
    for p in list(&report(), "pairs") {
        let confidence = p["confidence"].as_f64().unwrap();
        match p["method"].as_str().unwrap() {
            "identity" | "explicit" => assert_eq!(confidence, 1.0, "{p}"),
            "similarity" => assert!(
                (SIMILARITY_FLOOR..=1.0).contains(&confidence),
                "a similarity pair under the floor: {p}"
            ),
            method => panic!("unknown method {method}: {p}"),
        }
    }
}

/// Nothing is dropped silently: each resource of the plan and of the
/// templates is in exactly one place of the report.
#[test]
fn every_resource_of_both_inputs_is_accounted_for_once() {
    let root = repo_root();
    let plan: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join(PLAN)).unwrap()).unwrap();
    let mut inputs: Vec<String> = list(&plan, "resource_changes")
        .iter()
        .map(|r| r["address"].as_str().unwrap().to_owned())
        .collect();
    for stack in [SHARED, SERVICES] {
        let path = root.join(CDK_OUT).join(format!("{stack}.template.json"));
        let template: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        inputs.extend(
            template["Resources"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(_, resource)| resource["Type"] != "AWS::CDK::Metadata")
                .map(|(logical_id, _)| format!("{stack}/{logical_id}")),
        );
    }
    inputs.sort();

    let report = report();
    let mut reported: Vec<String> = Vec::new();
    for p in list(&report, "pairs") {
        reported.push(name(&p["terraform"]));
        reported.push(name(&p["cloudformation"]));
        reported.extend(p["folded"].as_array().unwrap().iter().map(name));
    }
    for key in ["unpaired", "unmapped", "no_twin", "skipped"] {
        reported.extend(list(&report, key).iter().map(name));
    }
    reported.sort();
    assert_eq!(reported, inputs);
}
