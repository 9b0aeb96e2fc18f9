//! CloudFormation inputs: several `--cloudformation` inputs as one
//! deployment, YAML templates and folders of templates, the flags that fill
//! in what templates do not say, and the malformed corpus.

use assert_cmd::Command;
use serde_json::Value;

use super::{iac_parity, repo_root, stderr, stdout};

const PLAN: &str = "testdata/ecs-fargate/tfplan.json";
const BAD: &str = "testdata/bad/cloudformation";

/// Each malformed or hostile input under `testdata/bad/cloudformation/`,
/// the flags it is given with (a parameter file goes with a good input),
/// and the one line iac-parity must answer with.
const MALFORMED: &[(&str, &str)] = &[
    (
        "bad-indentation.yaml",
        "bad-indentation.yaml:4:4: malformed YAML: did not find expected key",
    ),
    (
        "billion-laughs.yaml",
        "billion-laughs.yaml:3:14: malformed YAML: aliases repeat the document beyond the parser's limit",
    ),
    (
        "cidr-does-not-fit.yaml",
        "cidr-does-not-fit.yaml: at /Resources/Subnets/Properties/CidrBlock/Fn::Select/1/Fn::Cidr: 10.0.0.0/24 holds 4 blocks of 6 host bits, not 8",
    ),
    (
        "condition-cycle.yaml",
        "condition-cycle.yaml: at /Conditions/HasLogs/Fn::Not/0/Condition: the conditions form a cycle: IsProd -> HasLogs -> IsProd",
    ),
    (
        "deep-nesting.json",
        "deep-nesting.json:1:200: malformed JSON: recursion limit exceeded",
    ),
    (
        "deep-nesting.yaml",
        "deep-nesting.yaml:5:137: malformed YAML: recursion limit exceeded",
    ),
    (
        "default-not-allowed.yaml",
        "default-not-allowed.yaml: at /Parameters/Env/Default: \"qa\" is not one of the AllowedValues (dev, prod)",
    ),
    (
        "duplicate-key.yaml",
        "duplicate-key.yaml:4:3: malformed YAML: Resources: duplicate key \"Bucket\", first at line 2, column 3",
    ),
    (
        "duplicate-logical-id.json",
        "duplicate-logical-id.json:13:5: duplicate key \"Queue\" in /Resources, first at line 4, column 5",
    ),
    (
        "duplicate-property.json",
        "duplicate-property.json:10:9: duplicate key \"BucketName\" in /Resources/Bucket/Properties, first at line 6, column 9",
    ),
    (
        "duplicate-property.yaml",
        "duplicate-property.yaml:10:11: malformed YAML: Resources.Function.Properties.Environment.Variables: duplicate key \"STAGE\", first at line 9, column 11",
    ),
    (
        "empty.yaml",
        "empty.yaml:1:1: malformed YAML: the document is empty",
    ),
    (
        "export-cycle",
        "export-cycle/queues.yaml: at /Outputs/QueueName/Value/Fn::ImportValue: the references form a cycle: topics:Outputs/TopicName -> queues:Outputs/QueueName -> topics:Outputs/TopicName",
    ),
    (
        "find-in-map-missing-key.yaml",
        "find-in-map-missing-key.yaml: at /Resources/Function/Properties/MemorySize/Fn::FindInMap: no mapping Sizes/staging/Memory",
    ),
    (
        "getatt-to-nothing.yaml",
        "getatt-to-nothing.yaml: at /Resources/Queue/Properties/RedrivePolicy/deadLetterTargetArn/Fn::GetAtt: Fn::GetAtt on \"DeadLetters\", which is not a resource of this template",
    ),
    (
        "getatt-without-attribute.yaml",
        "getatt-without-attribute.yaml:7:15: malformed YAML: Resources.Policy.Properties.Bucket: !GetAtt takes LogicalId.Attribute or [LogicalId, Attribute], found \"Bucket\"",
    ),
    (
        "manifest-bad-environment",
        "manifest-bad-environment/manifest.json: at /artifacts/App/environment: expected aws://ACCOUNT/REGION, found \"aws:/123456789012/us-east-1\"",
    ),
    (
        "manifest-without-stacks",
        "manifest-without-stacks: not a cdk.out folder: manifest.json lists no aws:cloudformation:stack artifact",
    ),
    (
        "nested-stack-cycle",
        "nested-stack-cycle/b.yaml: at /Resources/Child/Properties/TemplateURL: the nested stacks form a cycle: a.yaml -> b.yaml -> a.yaml",
    ),
    (
        "nested-template-missing",
        "nested-template-missing/parent.yaml: at /Resources/Network/Properties/TemplateURL: the nested stack's template testdata/bad/cloudformation/nested-template-missing/network.yaml is missing",
    ),
    (
        "no-resources.json",
        "no-resources.json: at /Resources: missing",
    ),
    (
        "not-a-cdk-out",
        "not-a-cdk-out: not a cdk.out folder: it has no manifest.json (give the folder `cdk synth` wrote, or a template file)",
    ),
    (
        "not-an-object.json",
        "not-an-object.json: at /: a template is an object (with Resources)",
    ),
    (
        "parameter-file-for-no-parameter.json",
        "parameter-file-for-no-parameter.json: at /Parameters/Env: no template given declares a parameter named \"Env\"",
    ),
    (
        "parameter-file-not-a-list.json",
        "parameter-file-not-a-list.json: at /: a parameter file is a list of {\"ParameterKey\", \"ParameterValue\"}, an object with Parameters, or Key=Value lines",
    ),
    (
        "ref-to-a-resource-that-does-not-exist.yaml",
        "ref-to-a-resource-that-does-not-exist.yaml: at /Resources/Subscription/Properties/TopicArn/Ref: Alarms does not exist: its condition IsProd is false",
    ),
    (
        "ref-to-nothing.yaml",
        "ref-to-nothing.yaml: at /Resources/Bucket/Properties/BucketName/Ref: Ref to \"BucketName\", which is neither a parameter nor a resource of this template",
    ),
    (
        "resource-without-type.json",
        "resource-without-type.json: at /Resources/Bucket/Type: missing or not a string",
    ),
    (
        "select-out-of-range.yaml",
        "select-out-of-range.yaml: at /Resources/Subnet/Properties/AvailabilityZone/Fn::Select: index 3 is out of range for a list of 3",
    ),
    (
        "sub-unclosed.yaml",
        "sub-unclosed.yaml: at /Resources/Bucket/Properties/BucketName/Fn::Sub: unclosed ${ in Fn::Sub",
    ),
    (
        "truncated.json",
        "truncated.json:5:0: malformed JSON: EOF while parsing a value",
    ),
    (
        "two-documents.yaml",
        "two-documents.yaml:4:1: malformed YAML: a template is one YAML document, this is a second one",
    ),
    (
        "undefined-condition.yaml",
        "undefined-condition.yaml: at /Resources/Bucket/Properties/BucketName/Fn::If/0: no condition named \"IsProd\"",
    ),
    (
        "unknown-format-version.json",
        "unknown-format-version.json: at /AWSTemplateFormatVersion: unknown template format version \"2011-01-01\" (CloudFormation knows 2010-09-09)",
    ),
    (
        "unknown-pseudo-parameter.yaml",
        "unknown-pseudo-parameter.yaml: at /Resources/Bucket/Properties/BucketName/Fn::Sub: AWS::Regoin is not a pseudo-parameter",
    ),
    (
        "unknown-section.json",
        "unknown-section.json: at /Output: Output is not a template section",
    ),
    (
        "unknown-tag.yaml",
        "unknown-tag.yaml:5:19: malformed YAML: Resources.Bucket.Properties.BucketName: unknown tag !Frobnicate",
    ),
    (
        "wide-aliases.yaml",
        "wide-aliases.yaml:2:7830: malformed YAML: Resources.Bucket.Properties.Tags[498][1488]: the document expands to more than 1000000 nodes (aliases repeating it?)",
    ),
];

/// Exit 2, nothing on standard output, one line on standard error.
fn trouble(args: &[&str]) -> String {
    let assert = iac_parity(args).code(2);
    assert_eq!(stdout(&assert), "", "{args:?}");
    let err = stderr(&assert);
    assert_eq!(
        err.lines().count(),
        1,
        "{args:?}: more than one line: {err}"
    );
    err.trim_end().to_owned()
}

#[test]
fn every_malformed_input_is_one_line_naming_file_and_location() {
    let mut entries: Vec<String> = std::fs::read_dir(repo_root().join(BAD))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    let listed: Vec<&str> = MALFORMED.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        entries, listed,
        "every input under {BAD} has a row, in order"
    );
    assert!(MALFORMED.len() >= 20);
    for (name, expected) in MALFORMED {
        let path = format!("{BAD}/{name}");
        let args: Vec<&str> = if name.starts_with("parameter-file") {
            vec![
                "compare",
                "--terraform",
                PLAN,
                "--cloudformation",
                "testdata/ecs-fargate/cdk.out",
                "--param-file",
                &path,
            ]
        } else {
            vec!["compare", "--terraform", PLAN, "--cloudformation", &path]
        };
        assert_eq!(trouble(&args), format!("error: {BAD}/{expected}"), "{name}");
    }
}

#[test]
fn a_parameter_no_template_declares_is_refused() {
    assert_eq!(
        trouble(&[
            "compare",
            "--terraform",
            PLAN,
            "--cloudformation",
            "testdata/ecs-fargate/cdk.out",
            "--param",
            "Evn=prod",
        ]),
        "error: --param Evn: no template given declares this parameter"
    );
}

/// `iac-parity inventory ARGS --format json`, parsed.
fn inventory(args: &[&str], stdin: Option<Vec<u8>>) -> Value {
    let mut cmd = Command::cargo_bin("iac-parity").unwrap();
    cmd.current_dir(repo_root())
        .arg("inventory")
        .args(args)
        .args(["--format", "json"]);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes);
    }
    let out = cmd.assert().code(0).get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

fn ids(inventory: &Value) -> Vec<String> {
    inventory["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}/{}",
                r["stack"].as_str().unwrap(),
                r["logical_id"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn inventory_of_yaml_templates_folders_and_standard_input() {
    let folder = inventory(&["testdata/yaml-short-tags"], None);
    assert_eq!(folder["side"], "cloudformation");
    assert_eq!(
        ids(&folder),
        [
            "app/Vpc",
            "app/Subnet",
            "app/Queue",
            "app/Service",
            "app/Database",
            "network/Vpc"
        ]
    );
    let queue = &folder["resources"][2];
    assert_eq!(queue["condition"], "HasReplicas");
    let service = &folder["resources"][3];
    let unresolved: Vec<&str> = service["unresolved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(unresolved.contains(&"ImageTag"), "{unresolved:?}");
    assert!(unresolved.contains(&"AWS::Region"), "{unresolved:?}");

    let network = inventory(&["testdata/yaml-short-tags/network.yaml"], None);
    assert_eq!(ids(&network), ["network/Vpc"]);
    let text = std::fs::read(repo_root().join("testdata/yaml-short-tags/network.yaml")).unwrap();
    let piped = inventory(&["-"], Some(text));
    assert_eq!(piped["side"], "cloudformation");
    assert_eq!(ids(&piped), ["<stdin>/Vpc"]);
}

#[test]
fn flags_fill_in_the_environment_and_parameters() {
    // Without a region, AWS::Region stays unknown; with one, it is known.
    let unknown = inventory(&["testdata/yaml-short-tags"], None);
    let known = inventory(
        &[
            "testdata/yaml-short-tags",
            "--region",
            "eu-west-1",
            "--account",
            "111122223333",
            "--param",
            "Replicas=3",
        ],
        None,
    );
    let service = |inventory: &Value| inventory["resources"][3]["unresolved"].clone();
    assert!(
        service(&unknown)
            .as_array()
            .unwrap()
            .contains(&Value::from("AWS::Region"))
    );
    let resolved = service(&known);
    for gone in [
        "AWS::Region",
        "AWS::AccountId",
        "AWS::Partition",
        "Replicas",
    ] {
        assert!(
            !resolved.as_array().unwrap().contains(&Value::from(gone)),
            "{gone}: {resolved}"
        );
    }
    // Replicas=3 decides HasReplicas: the queue exists, unconditionally.
    assert_eq!(known["resources"][2]["logical_id"], "Queue");
    assert_eq!(known["resources"][2].get("condition"), None);
}

#[test]
fn several_inputs_are_one_deployment() {
    let folder = "testdata/real/cdk/aws-cdk-fargate-cross-stack-imports";
    let consumer = format!("{folder}/aws-ecs-integ-imported-taskdef-consumer.template.json");
    let producer = format!("{folder}/aws-ecs-integ-imported-taskdef-producer.template.json");
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        PLAN,
        "--cloudformation",
        &consumer,
        "--cloudformation",
        &producer,
        "--format",
        "json",
    ]);
    // The two templates are one CDK side of 23 resources, which a plan of
    // another project does not twin.
    let err = stderr(&assert.code(2));
    assert!(
        err.contains(&format!(
            "of the 23 resources of the CDK side ({consumer}, {producer})"
        )),
        "{err}"
    );
    // The consumer alone imports what nothing given exports: the cluster
    // is a reference to the export, by name.
    let alone = iac_parity(&["inventory", &consumer, "--format", "json"]).code(0);
    let inventory: Value = serde_json::from_str(&stdout(&alone)).unwrap();
    let service = inventory["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["logical_id"] == "ServiceWithImportedTaskDefService119AA3AC")
        .unwrap();
    assert!(
        service["unresolved"]
            .as_array()
            .unwrap()
            .contains(&Value::from(
                "aws-ecs-integ-imported-taskdef-producer:ExportsOutputRefClusterEB0386A796A0E3FE"
            )),
        "{service}"
    );
}

/// `inventory` of a real hand-written project: every resource of every
/// nested template, each under its parent stack.
#[test]
fn inventory_of_a_real_nested_project_lists_every_nested_resource() {
    let assert = iac_parity(&[
        "inventory",
        "testdata/real/cfn-nested/ecs-refarch-cloudformation/master.yaml",
        "--format",
        "json",
    ])
    .code(0);
    let inventory: Value = serde_json::from_str(&stdout(&assert)).unwrap();
    let resources = inventory["resources"].as_array().unwrap();
    let mut stacks: Vec<&str> = resources
        .iter()
        .map(|r| r["stack"].as_str().unwrap())
        .collect();
    stacks.dedup();
    assert_eq!(
        stacks,
        [
            "master",
            "master/VPC",
            "master/SecurityGroups",
            "master/ALB",
            "master/ECS",
            "master/ProductService",
            "master/WebsiteService",
            "master/LifecycleHook"
        ]
    );
    assert_eq!(resources.len(), 63);
    // Both services' templates are `service.yaml`, in their own folders.
    let website = resources
        .iter()
        .filter(|r| r["stack"] == "master/WebsiteService")
        .count();
    assert_eq!(website, 11);
}

/// Nested templates kept in another folder than the main stack's are found
/// through `--template-dir` or the configuration's `cloudformation.templates`.
#[test]
fn template_folders_come_from_the_flag_or_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let cfn = dir.path().join("cfn");
    let nested = dir.path().join("uploaded");
    std::fs::create_dir_all(&cfn).unwrap();
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(
        cfn.join("main-stack.yaml"),
        "Parameters:\n  TemplateS3Bucket: {Type: String, Default: templates}\nResources:\n  QueueStack:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: !Sub 'https://${TemplateS3Bucket}.s3.${AWS::Region}.amazonaws.com/queue-stack.yaml'\n",
    )
    .unwrap();
    std::fs::write(
        nested.join("queue-stack.yaml"),
        "Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: jobs}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("parity.yaml"),
        "cloudformation:\n  templates: [uploaded]\n",
    )
    .unwrap();
    let main = cfn.join("main-stack.yaml");
    let main = main.to_str().unwrap();
    let config = dir.path().join("parity.yaml");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "compare",
            "--terraform",
            PLAN,
            "--cloudformation",
            main,
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let assert = iac_parity(&args);
        let report: Value = serde_json::from_str(&stdout(&assert)).unwrap();
        (report, stderr(&assert))
    };
    let nested_queue = |report: &Value| {
        report
            .to_string()
            .contains(r#""stack":"main-stack/QueueStack""#)
    };
    let (alone, warnings) = run(&[]);
    assert!(!nested_queue(&alone));
    assert!(
        warnings.contains("at /Resources/QueueStack/Properties/TemplateURL: the nested stack's template queue-stack.yaml is not among the inputs"),
        "{warnings}"
    );
    let dir_flag = nested.to_str().unwrap();
    let (flag, warnings) = run(&["--template-dir", dir_flag]);
    assert!(nested_queue(&flag), "{warnings}");
    let (configured, warnings) = run(&["--config", config.to_str().unwrap()]);
    assert!(nested_queue(&configured), "{warnings}");
}
