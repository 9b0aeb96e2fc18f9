use std::path::Path;

use super::*;

#[test]
fn reads_pairs_and_skips_with_reasons() {
    let config = Config::parse(
        r#"
pairs:
  - terraform: 'aws_efs_mount_target.data["us-east-1a"]'
    cloudformation: FileSystemEfsMountTargetPrivateSubnet1*
    stack: ApiStack
skip:
  terraform:
    - pattern: random_password.*
      reason: CloudFormation generates the password
  cloudformation:
    - pattern: '*/ServiceRole/*'
      reason: CDK's Lambda helper role
"#,
        Path::new("parity.yaml"),
    )
    .unwrap();
    assert_eq!(config.pairs.len(), 1);
    assert!(
        config.pairs[0]
            .terraform
            .matches("aws_efs_mount_target.data[\"us-east-1a\"]")
    );
    assert_eq!(
        config.skip_terraform[0].reason,
        "CloudFormation generates the password"
    );
    assert_eq!(config.skip_cloudformation.len(), 1);
}

#[test]
fn reads_the_tf_cfn_mappings_format() {
    let config = Config::parse(
        r#"
mappings:
  module.app.aws_ecs_service.main: AppService
skip_tf_patterns:
  - "*.aws_cloudwatch_dashboard.*"
skip_cfn_patterns:
  - CustomResource*
known_gaps:
  - resource: "module.app.aws_cloudwatch_metric_alarm.*"
    description: alarms not written in CDK yet
"#,
        Path::new("tf-cfn-mappings.yaml"),
    )
    .unwrap();
    assert_eq!(config.pairs[0].cloudformation.as_str(), "AppService");
    assert_eq!(config.skip_terraform.len(), 2);
    assert_eq!(
        config.skip_terraform[1].reason,
        "known gap: alarms not written in CDK yet"
    );
    assert_eq!(
        config.skip_cloudformation[0].reason,
        "listed in skip_cfn_patterns"
    );
}

#[test]
fn a_skip_needs_a_reason_and_unknown_keys_are_refused() {
    let err = Config::parse(
        "skip:\n  terraform:\n    - pattern: x\n      reason: ' '\n",
        Path::new("parity.yaml"),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "parity.yaml: skip.terraform[0]: give the reason for skipping x"
    );
    let err = Config::parse("pairz: []\n", Path::new("parity.yaml")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("parity.yaml: unknown field `pairz`"),
        "{err}"
    );
}
