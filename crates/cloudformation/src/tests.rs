use std::path::{Path, PathBuf};

use parity_model::{Ref, Value};
use serde_json::Value as Json;

use super::*;

mod corpus;
mod nested;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .unwrap()
        .to_owned()
}

fn real(set: &str) -> PathBuf {
    repo_root().join("testdata/real/cdk").join(set)
}

/// A set of real `cdk synth` output: what to load, and what it holds.
struct RealSet {
    name: &'static str,
    /// Relative to the set's folder; empty for the folder itself.
    input: &'static str,
    stacks: usize,
    resources: usize,
}

const REAL_SETS: &[RealSet] = &[
    RealSet {
        name: "aws-cdk-efs-access-point",
        input: "",
        stacks: 1,
        resources: 26,
    },
    RealSet {
        name: "aws-cdk-fargate-cross-stack-imports",
        input: "",
        stacks: 2,
        resources: 28,
    },
    // The manifest is from a later commit than the template and names an
    // assertion stack whose template the set does not hold.
    RealSet {
        name: "aws-cdk-fargate-efs",
        input: "aws-ecs-fargate-efs.template.json",
        stacks: 1,
        resources: 29,
    },
    RealSet {
        name: "aws-cdk-fargate-secret-json-key",
        input: "",
        stacks: 1,
        resources: 5,
    },
    RealSet {
        name: "aws-samples-netcore-fargate-aurora-cdkv1",
        input: "",
        stacks: 1,
        resources: 49,
    },
    RealSet {
        name: "ecs-service-extensions-all-addons",
        input: "",
        stacks: 1,
        resources: 97,
    },
    RealSet {
        name: "ecs-service-extensions-nested-stack",
        input: "",
        stacks: 2,
        resources: 35,
    },
    RealSet {
        name: "solutions-constructs-alb-fargate-two-targets",
        input: "",
        stacks: 2,
        resources: 53,
    },
    RealSet {
        name: "solutions-constructs-fargate-secretsmanager",
        input: "",
        stacks: 2,
        resources: 44,
    },
];

#[test]
fn every_real_set_loads_with_its_resource_count() {
    let mut folders: Vec<String> = std::fs::read_dir(repo_root().join("testdata/real/cdk"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let listed: Vec<&str> = REAL_SETS.iter().map(|s| s.name).collect();
    assert_eq!(
        folders, listed,
        "every set under testdata/real/cdk has a row"
    );
    for set in REAL_SETS {
        let path = real(set.name).join(set.input);
        let deployment = load_path(&path).unwrap_or_else(|e| panic!("{}: {e}", set.name));
        assert_eq!(deployment.stacks.len(), set.stacks, "{}", set.name);
        assert_eq!(deployment.resources.len(), set.resources, "{}", set.name);
        assert!(
            deployment
                .resources
                .iter()
                .all(|r| r.resource_type != "AWS::CDK::Metadata"),
            "{}",
            set.name
        );
    }
}

/// Every `Fn::ImportValue` whose export is among the templates resolves to
/// the exporting stack's value.
#[test]
fn real_imports_resolve_to_the_exported_values() {
    for set in REAL_SETS {
        let folder = real(set.name);
        let deployment = load_path(&folder.join(set.input)).unwrap();
        let templates: Vec<(String, Json)> = deployment
            .stacks
            .iter()
            .map(|s| {
                let text = std::fs::read_to_string(&s.template).unwrap();
                (s.name.clone(), serde_json::from_str(&text).unwrap())
            })
            .collect();
        let mut exports = std::collections::BTreeMap::new();
        for (stack, template) in &templates {
            for output in template["Outputs"].as_object().into_iter().flatten() {
                if let Some(name) = output.1["Export"]["Name"].as_str() {
                    exports.insert(name.to_owned(), (stack.clone(), output.1["Value"].clone()));
                }
            }
        }
        for (stack, template) in &templates {
            let mut imports = Vec::new();
            find_imports(template, String::new(), &mut imports);
            for (pointer, name) in imports {
                let Some((exporter, exported)) = exports.get(&name) else {
                    continue;
                };
                let value = value_at(&deployment, stack, &pointer)
                    .unwrap_or_else(|| panic!("{}: {stack} {pointer}", set.name));
                let target = exported["Ref"].as_str().unwrap();
                assert_eq!(
                    value,
                    &Value::Ref(Ref::resource(format!("{exporter}/{target}"))),
                    "{}: {stack} {pointer}",
                    set.name
                );
            }
        }
    }
}

fn find_imports(json: &Json, at: String, out: &mut Vec<(String, String)>) {
    match json {
        Json::Object(map) => {
            if let (1, Some(Json::String(name))) = (map.len(), map.get("Fn::ImportValue")) {
                out.push((at, name.clone()));
                return;
            }
            for (k, v) in map {
                find_imports(v, format!("{at}/{k}"), out);
            }
        }
        Json::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                find_imports(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The loaded value at `/Resources/Id/Properties/...` of a stack.
fn value_at<'d>(deployment: &'d Deployment, stack: &str, pointer: &str) -> Option<&'d Value> {
    let mut segments = pointer.split('/').skip(1);
    let (Some("Resources"), Some(id), Some("Properties"), Some(property)) = (
        segments.next(),
        segments.next(),
        segments.next(),
        segments.next(),
    ) else {
        return None;
    };
    let resource = deployment.resources.iter().find(|r| {
        r.id == parity_model::ResourceId::CloudFormation {
            stack: stack.to_owned(),
            logical_id: id.to_owned(),
        }
    })?;
    let mut value = resource.properties.get(property)?;
    for segment in segments {
        value = match value {
            Value::List(items) => items.get(segment.parse::<usize>().ok()?)?,
            Value::Map(map) => map.get(segment)?,
            _ => return None,
        };
    }
    Some(value)
}

#[test]
fn a_real_nested_stack_loads_with_its_parent_and_gives_its_outputs() {
    let deployment = load_path(&real("ecs-service-extensions-nested-stack")).unwrap();
    let nested =
        "imported-environment-integ/ResourcesNestedStackResourcesNestedStackResourceCDA26E60";
    let names: Vec<&str> = deployment.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["imported-environment-integ", nested]);
    let service = deployment
        .resources
        .iter()
        .find(|r| r.resource_type == "AWS::ECS::Service")
        .unwrap();
    assert_eq!(
        service.properties["Cluster"],
        Value::Ref(Ref::resource(format!(
            "{nested}/EnvironmentenvironmentclusterA67A8E69"
        )))
    );
    assert!(
        deployment
            .resources
            .iter()
            .any(|r| r.id.to_string() == format!("{nested}/EnvironmentenvironmentclusterA67A8E69"))
    );
}

#[test]
fn a_folder_of_templates_is_one_deployment() {
    let deployment = load_path(&real("aws-cdk-fargate-cross-stack-imports")).unwrap();
    let names: Vec<&str> = deployment.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "aws-ecs-integ-imported-taskdef-consumer",
            "aws-ecs-integ-imported-taskdef-producer"
        ]
    );
    // Given one by one, the same two templates are one deployment too.
    let folder = real("aws-cdk-fargate-cross-stack-imports");
    let consumer = folder.join("aws-ecs-integ-imported-taskdef-consumer.template.json");
    let producer = folder.join("aws-ecs-integ-imported-taskdef-producer.template.json");
    let apart = load(&[&producer, &consumer], &Options::default()).unwrap();
    assert_eq!(apart.resources.len(), deployment.resources.len());
    // Alone, the consumer imports what nothing given exports: the value
    // stays a reference to the export, by name.
    let alone = load_path(&consumer).unwrap();
    let export = "aws-ecs-integ-imported-taskdef-producer:ExportsOutputRefClusterEB0386A796A0E3FE";
    let service = resource(
        &alone,
        "aws-ecs-integ-imported-taskdef-consumer/ServiceWithImportedTaskDefService119AA3AC",
    );
    assert_eq!(
        service.properties["Cluster"],
        Value::Unknown(parity_model::Unknown {
            refs: vec![export.into()],
            reason: None,
        })
    );
    assert!(
        alone.diagnostics.iter().any(|d| d.location
            == "/Resources/ServiceWithImportedTaskDefService119AA3AC/Properties/Cluster/Fn::ImportValue"
            && d.message.starts_with(&format!("no stack given exports {export:?}"))),
        "{:?}",
        alone.diagnostics
    );
}

#[test]
fn the_same_stack_twice_is_refused() {
    let set = real("aws-cdk-fargate-secret-json-key");
    let err = load(&[&set, &set], &Options::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("a stack named aws-ecs-integ-secret is also loaded from"),
        "{err}"
    );
}

/// A deployment as JSON: per resource its type, undecided condition and
/// properties, values in the JSON report's notation; then the diagnostics.
fn resolved_json(deployment: &Deployment) -> Json {
    fn value(v: &Value) -> Json {
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::String(s.clone()),
            Value::List(items) => Json::Array(items.iter().map(value).collect()),
            Value::Map(map) => {
                Json::Object(map.iter().map(|(k, v)| (k.clone(), value(v))).collect())
            }
            Value::Ref(r) => serde_json::json!({"$ref": r.to_string()}),
            Value::Template(parts) => Json::from(
                parts
                    .iter()
                    .map(|p| match p {
                        parity_model::TemplatePart::Literal(s) => Json::from(s.as_str()),
                        parity_model::TemplatePart::Ref(r) => {
                            serde_json::json!({"$ref": r.to_string()})
                        }
                        parity_model::TemplatePart::Unknown(u) => {
                            serde_json::json!({"$unknown": u.refs})
                        }
                    })
                    .collect::<Vec<_>>(),
            ),
            Value::Unknown(u) => serde_json::json!({"$unknown": u.refs}),
            Value::Sensitive(_) | Value::Masked(_) => serde_json::json!({"$sensitive": true}),
            Value::Conditional(c) => {
                let mut choice = serde_json::Map::new();
                choice.insert("condition".into(), Json::from(c.condition.as_str()));
                if let Some(v) = &c.if_true {
                    choice.insert("then".into(), value(v));
                }
                if let Some(v) = &c.if_false {
                    choice.insert("else".into(), value(v));
                }
                serde_json::json!({"$if": choice})
            }
        }
    }
    let root = repo_root();
    let relative = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    let resources: serde_json::Map<String, Json> = deployment
        .resources
        .iter()
        .map(|r| {
            let mut entry = serde_json::Map::new();
            entry.insert("Type".into(), Json::from(r.resource_type.as_str()));
            if let Some(condition) = &r.condition {
                entry.insert("Condition".into(), Json::from(condition.as_str()));
            }
            entry.insert(
                "Properties".into(),
                value(&Value::Map(r.properties.clone())),
            );
            (r.id.to_string(), Json::Object(entry))
        })
        .collect();
    let diagnostics: Vec<String> = deployment
        .diagnostics
        .iter()
        .map(|d| format!("{}: at {}: {}", relative(&d.file), d.location, d.message))
        .collect();
    serde_json::json!({"resources": resources, "diagnostics": diagnostics})
}

/// Compares with an expected file, or rewrites it with UPDATE_EXPECT=1.
fn expect_json(relative: &str, actual: &Json) {
    let path = repo_root().join(relative);
    let actual = format!("{}\n", serde_json::to_string_pretty(actual).unwrap());
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{relative}: {e} (UPDATE_EXPECT=1 creates it)"));
    assert!(
        expected == actual,
        "{relative} differs from what loads now (UPDATE_EXPECT=1 rewrites it):\n{actual}"
    );
}

#[test]
fn every_short_tag_and_yaml_1_1_scalar_resolves_as_expected() {
    let deployment = load_path(&repo_root().join("testdata/yaml-short-tags")).unwrap();
    expect_json(
        "testdata/yaml-short-tags/expected.json",
        &resolved_json(&deployment),
    );
}

pub(super) fn fixture(path: &str) -> PathBuf {
    repo_root().join("testdata").join(path)
}

pub(super) fn resource<'d>(deployment: &'d Deployment, id: &str) -> &'d parity_model::Resource {
    deployment
        .resources
        .iter()
        .find(|r| r.id.to_string() == id)
        .unwrap_or_else(|| panic!("no resource {id}"))
}

/// The environment variable `name` of the first container of a task
/// definition; `None` when the variable has no value.
fn env_var<'r>(task: &'r parity_model::Resource, name: &str) -> Option<&'r Value> {
    task.properties["ContainerDefinitions"].as_list().unwrap()[0]
        .get("Environment")
        .and_then(Value::as_list)
        .unwrap()
        .iter()
        .find(|e| e.get("Name") == Some(&Value::from(name)))
        .unwrap_or_else(|| panic!("no variable {name}"))
        .get("Value")
}

#[test]
fn weak_and_strong_cross_stack_references_resolve_alike() {
    let weak = load_path(&fixture("cdk-cross-stack/cdk.out")).unwrap();
    let strong = load_path(&fixture("cdk-cross-stack/cdk.out.exports")).unwrap();
    assert_eq!(weak.resources, strong.resources);
    assert_eq!(weak.diagnostics, []);
    assert_eq!(strong.diagnostics, []);
    let service = resource(&weak, "ServiceStack/ServiceD69D759B");
    let network = service.properties["NetworkConfiguration"]
        .get("AwsvpcConfiguration")
        .unwrap();
    assert_eq!(
        network.get("Subnets").unwrap(),
        &Value::List(vec![
            Value::Ref(Ref::resource("NetworkStack/Isolated1")),
            Value::Ref(Ref::resource("NetworkStack/Isolated2")),
        ])
    );
    assert_eq!(
        network.get("SecurityGroups").unwrap(),
        &Value::List(vec![Value::Ref(Ref::attribute(
            "NetworkStack/ServiceSecurityGroup61DE1A49",
            "GroupId"
        ))])
    );
    let task = resource(&weak, "ServiceStack/TaskDef54694570");
    assert_eq!(
        env_var(task, "TABLE_NAME"),
        Some(&Value::Ref(Ref::resource("DataStack/OrdersA9B65338")))
    );
    expect_json(
        "testdata/cdk-cross-stack/expected/resolved.json",
        &resolved_json(&weak),
    );
}

#[test]
fn a_nested_stack_takes_parameters_from_its_parent_and_gives_it_outputs() {
    let deployment = load_path(&fixture("cdk-nested-stack/cdk.out")).unwrap();
    let nested = "IngestStack/MessagingNestedStackMessagingNestedStackResource44F98313";
    let names: Vec<&str> = deployment.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["IngestStack", nested]);
    // The parent reads the nested stack's queue through its outputs.
    let url = resource(&deployment, "IngestStack/QueueUrl7D9C5587");
    assert_eq!(
        url.properties["Value"],
        Value::Ref(Ref::resource(format!("{nested}/Queue4A7E3555")))
    );
    // The nested stack reads the parent's bucket through its parameters.
    let bucket = resource(&deployment, &format!("{nested}/ArchiveBucket9DECBF5D"));
    assert_eq!(
        bucket.properties["Value"],
        Value::Ref(Ref::resource("IngestStack/ArchiveDA4CB258"))
    );
    expect_json(
        "testdata/cdk-nested-stack/expected/resolved.json",
        &resolved_json(&deployment),
    );
}

#[test]
fn parameters_decide_conditions_and_conditions_decide_resources() {
    let path = fixture("cdk-conditions/cdk.out");
    let defaults = load_path(&path).unwrap();
    let ids: Vec<String> = defaults
        .resources
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    assert!(ids.contains(&"ConfigurableStack/DebugA7303C21".to_owned()));
    assert!(!ids.iter().any(|id| id.contains("Alarms")));
    let task = resource(&defaults, "ConfigurableStack/TaskDef54694570");
    assert_eq!(env_var(task, "LOG_LEVEL"), Some(&Value::from("debug")));
    assert_eq!(env_var(task, "ALARM_TOPIC"), None);
    assert_eq!(
        env_var(task, "FIRST_SUBNET"),
        Some(&Value::from("subnet-0aaa"))
    );
    assert_eq!(env_var(task, "API_URL").unwrap().to_string(), "(sensitive)");
    expect_json(
        "testdata/cdk-conditions/expected/resolved.json",
        &resolved_json(&defaults),
    );

    let prod = Options {
        parameters: vec![("Stage".into(), "prod".into())],
        region: Some("eu-central-1".into()),
        ..Options::default()
    };
    let prod = load(&[&path], &prod).unwrap();
    let ids: Vec<String> = prod.resources.iter().map(|r| r.id.to_string()).collect();
    assert!(!ids.contains(&"ConfigurableStack/DebugA7303C21".to_owned()));
    // Whether an alarm email is given is known only at deploy time.
    let alarms = resource(&prod, "ConfigurableStack/Alarms04B5A0BF");
    assert_eq!(alarms.condition.as_deref(), Some("ProdAlarms"));
    let task = resource(&prod, "ConfigurableStack/TaskDef54694570");
    assert_eq!(env_var(task, "LOG_LEVEL"), Some(&Value::from("warn")));
    assert_eq!(env_var(task, "REGION"), Some(&Value::from("eu-central-1")));
    assert_eq!(
        env_var(task, "ALARM_TOPIC").unwrap().to_string(),
        "(if ProdAlarms: ${Alarms04B5A0BF}; else: (absent))"
    );
    expect_json(
        "testdata/cdk-conditions/expected/resolved-prod.json",
        &resolved_json(&prod),
    );
}

/// Writes files into a temporary folder and loads the folder.
fn load_files(files: &[(&str, &str)]) -> Result<Deployment, Error> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    load_path(dir.path())
}

#[test]
fn export_names_built_from_parameters_resolve() {
    let deployment = load_files(&[
        (
            "network.yaml",
            "Parameters:\n  Prefix: {Type: String, Default: shop}\nResources:\n  Vpc: {Type: AWS::EC2::VPC}\nOutputs:\n  VpcId:\n    Value: !Ref Vpc\n    Export: {Name: !Sub '${Prefix}-vpc'}\n",
        ),
        (
            "app.yaml",
            "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      VpcId: !ImportValue shop-vpc\n",
        ),
    ])
    .unwrap();
    let sg = resource(&deployment, "app/Sg");
    assert_eq!(
        sg.properties["VpcId"],
        Value::Ref(Ref::resource("network/Vpc"))
    );
}

#[test]
fn an_export_name_only_deploy_time_knows_leaves_imports_unknown() {
    // A template's stack name is chosen when it is deployed.
    let deployment = load_files(&[
        (
            "network.yaml",
            "Resources:\n  Vpc: {Type: AWS::EC2::VPC}\nOutputs:\n  VpcId:\n    Value: !Ref Vpc\n    Export: {Name: !Sub '${AWS::StackName}-vpc'}\n",
        ),
        (
            "app.yaml",
            "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      VpcId: !ImportValue network-vpc\n",
        ),
    ])
    .unwrap();
    let sg = resource(&deployment, "app/Sg");
    assert_eq!(
        sg.properties["VpcId"],
        Value::Unknown(parity_model::Unknown {
            refs: vec!["network-vpc".into()],
            reason: None,
        })
    );
    assert_eq!(
        deployment.diagnostics.len(),
        1,
        "{:?}",
        deployment.diagnostics
    );
}

#[test]
fn an_output_of_a_stack_not_given_stays_unknown() {
    let deployment = load_files(&[(
        "app.yaml",
        "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      VpcId: !GetStackOutput {StackName: network, OutputName: VpcId}\n",
    )])
    .unwrap();
    let sg = resource(&deployment, "app/Sg");
    assert_eq!(
        sg.properties["VpcId"],
        Value::Unknown(parity_model::Unknown {
            refs: vec!["network.Outputs.VpcId".into()],
            reason: None,
        })
    );
    assert!(
        deployment.diagnostics[0]
            .message
            .starts_with("stack network is not among the inputs"),
        "{:?}",
        deployment.diagnostics
    );
}

#[test]
fn a_local_nested_template_needs_its_parameters() {
    let err = load_files(&[
        (
            "parent.yaml",
            "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: child.yaml\n",
        ),
        (
            "child.yaml",
            "Parameters:\n  Name: {Type: String}\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: !Ref Name}\n",
        ),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        err.ends_with("parent.yaml: at /Resources/Child/Properties/Parameters: no value for the nested stack's parameter Name, which has no default"),
        "{err}"
    );
    let deployment = load_files(&[
        (
            "parent.yaml",
            "Parameters:\n  Env: {Type: String, Default: dev}\nConditions:\n  IsDev: !Equals [!Ref Env, dev]\nResources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Condition: IsDev\n    Properties:\n      TemplateURL: child.yaml\n      Parameters: {Name: !Sub '${Env}-jobs'}\n",
        ),
        (
            "child.yaml",
            "Parameters:\n  Name: {Type: String}\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: !Ref Name}\n",
        ),
    ])
    .unwrap();
    let queue = resource(&deployment, "parent/Child/Queue");
    assert_eq!(queue.properties["QueueName"], Value::from("dev-jobs"));
}
