use std::path::Path;

use super::*;
use crate::Config;

fn parse(text: &str) -> Result<Config, String> {
    Config::parse(text, Path::new("parity.yaml")).map_err(|e| e.to_string())
}

#[test]
fn reads_every_selector() {
    let config = parse(
        r#"
waivers:
  - area: ecs
    resource: aws_ecs_service.*
    terraform: aws_ecs_service.api
    cloudformation: ApiStack/Service*
    attribute: DeploymentConfiguration.DeploymentCircuitBreaker
    path: $.DeploymentConfiguration.DeploymentCircuitBreaker
    kind: only-in-cdk
    reason: faster failure detection
    expires: 2027-01-31
"#,
    )
    .unwrap();
    let w = &config.waivers[0];
    assert_eq!(w.area, Some(Area::Ecs));
    assert_eq!(w.kind, Some(Status::OnlyInCdk));
    assert_eq!(w.expires.unwrap().to_string(), "2027-01-31");
    assert_eq!(
        w.path.as_ref().unwrap().as_str(),
        "$.DeploymentConfiguration.DeploymentCircuitBreaker"
    );
}

#[test]
fn a_waiver_needs_a_reason_a_selector_and_valid_fields() {
    let cases = [
        (
            "waivers:\n  - attribute: x\n",
            "parity.yaml: waivers[0]: missing field `reason` at line 2 column 5",
        ),
        (
            "waivers:\n  - attribute: x\n    reason: ' '\n",
            "parity.yaml: waivers[0]: give the reason the difference is intentional",
        ),
        (
            "waivers:\n  - kind: differs\n    reason: r\n",
            "parity.yaml: waivers[0]: select findings with at least one of area, resource, terraform, cloudformation, attribute, path",
        ),
        (
            "waivers:\n  - area: dns\n    reason: r\n",
            "parity.yaml: waivers[0].area: unknown area \"dns\" (areas: env, secrets, efs, alb, iam, ecs, networking, other)",
        ),
        (
            "waivers:\n  - attribute: x\n    kind: only-in-cfn\n    reason: r\n",
            "parity.yaml: waivers[0].kind: unknown kind \"only-in-cfn\" (kinds: only-in-terraform, only-in-cdk, differs, unverifiable)",
        ),
        (
            "waivers:\n  - attribute: x\n    reason: r\n    expires: 2026-02-30\n",
            "parity.yaml: waivers[0].expires: \"2026-02-30\" is not a day of the calendar",
        ),
        (
            "waivers:\n  - attribute: x\n    reason: r\n    expires: next week\n",
            "parity.yaml: waivers[0].expires: expected a date as YYYY-MM-DD, found \"next week\"",
        ),
        (
            "waivers:\n  - attribute: x\n    reason: r\n  - attribute: ''\n    reason: r\n",
            "parity.yaml: waivers[1].attribute: must not be empty",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(parse(text).unwrap_err(), expected, "{text}");
    }
    let err = parse("waivers:\n  - path: '$.[unclosed'\n    reason: r\n").unwrap_err();
    assert!(
        err.starts_with("parity.yaml: waivers[0].path: not a JSONPath (") && !err.contains('\n'),
        "{err}"
    );
}

#[test]
fn reads_the_comparison_options_and_the_sources() {
    let config = parse(
        r#"
compare:
  areas: [env, secrets]
  fail_on: must
  source_of_truth: cdk
  strict: true
terraform:
  root: terraform
  var_files: [prod.tfvars]
  vars: { replicas: 2, name: api }
cdk:
  app: cdk
  context: { inSync: true }
  stacks: [ApiStack]
cache_dir: .cache
"#,
    )
    .unwrap();
    assert_eq!(config.compare.areas, vec![Area::Env, Area::Secrets]);
    assert_eq!(
        config.compare.fail_on,
        Some(parity_model::Severity::MustFix)
    );
    assert_eq!(
        config.compare.source_of_truth,
        Some(parity_model::Side::CloudFormation)
    );
    assert_eq!(config.compare.strict, Some(true));
    let terraform = config.sources.terraform.unwrap();
    assert_eq!(terraform.vars["replicas"], "2");
    let cdk = config.sources.cdk.unwrap();
    assert_eq!(cdk.context["inSync"], "true");
    assert_eq!(cdk.stacks, vec!["ApiStack".to_owned()]);
    let err = parse("compare:\n  fail_on: always\n").unwrap_err();
    assert_eq!(
        err,
        "parity.yaml: compare.fail_on: expected must, should or consider, found \"always\""
    );
    let err = parse("cdk:\n  app: cdk\n  context: { list: [1] }\n").unwrap_err();
    assert_eq!(
        err,
        "parity.yaml: cdk.context.list: expected a string, number or boolean"
    );
}

#[test]
fn dates_order_and_print_as_written() {
    let d = |t: &str| Date::parse(t).unwrap();
    assert!(d("2026-09-21") > d("2026-09-20"));
    assert!(d("2027-01-01") > d("2026-12-31"));
    assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
    assert!(Date::parse("2023-02-29").is_err());
    assert!(Date::parse("2100-02-29").is_err());
    assert!(Date::parse("2000-02-29").is_ok());
    assert!(Date::parse("2026-9-21").is_err());
    assert!(Date::parse("2026-13-01").is_err());
}

#[test]
fn an_attribute_lies_under_its_ancestors() {
    let all: Vec<&str> = attribute_and_ancestors(
        "LoadBalancerAttributes[deregistration_delay.timeout_seconds].Value",
    )
    .collect();
    assert_eq!(
        all,
        vec![
            "LoadBalancerAttributes[deregistration_delay.timeout_seconds].Value",
            "LoadBalancerAttributes[deregistration_delay.timeout_seconds]",
            "LoadBalancerAttributes",
        ]
    );
    assert!(lies_under("A.B[k].C", "A.B"));
    assert!(lies_under("A.B[k].C", "A.B[k]"));
    assert!(!lies_under("A.BC", "A.B"));
    assert!(lies_under("", ""));
}
