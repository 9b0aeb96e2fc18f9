//! Hand-written projects: a main stack nesting templates through S3 URLs,
//! folders of templates, template folders, real projects.

use std::path::Path;

use parity_model::{Ref, Value};
use serde_json::json;

use super::{fixture, resource};
use crate::nested::object_key;
use crate::{Options, load, load_path};

#[test]
fn s3_urls_name_their_object_key() {
    let cases = [
        // Path-style, literal (ecs-refarch-cloudformation).
        (
            json!("https://s3.amazonaws.com/ecs-refarch-cloudformation/infrastructure/vpc.yaml"),
            Some("infrastructure/vpc.yaml"),
        ),
        (
            json!("https://s3.eu-west-1.amazonaws.com/bucket/stacks/network.yaml"),
            Some("stacks/network.yaml"),
        ),
        (
            json!("https://s3-eu-west-1.amazonaws.com/bucket/network.yaml?versionId=3"),
            Some("network.yaml"),
        ),
        // Virtual-hosted.
        (
            json!("https://templates.s3.us-east-1.amazonaws.com/v2/network-stack.yaml"),
            Some("v2/network-stack.yaml"),
        ),
        (
            json!("s3://templates/v2/data-stack.json"),
            Some("v2/data-stack.json"),
        ),
        // Built with Fn::Sub: what follows the last variable.
        (
            json!({"Fn::Sub": "https://${TemplateS3Bucket}.s3.${AWS::Region}.amazonaws.com/${TemplateS3Prefix}network-stack.yaml"}),
            Some("network-stack.yaml"),
        ),
        (
            json!({"Fn::Sub": "https://${Bucket}.s3.amazonaws.com/nested/compute.yaml"}),
            Some("nested/compute.yaml"),
        ),
        (
            json!({"Fn::Sub": ["https://${B}.s3.${AWS::URLSuffix}/templates/x.yaml", {"B": {"Ref": "Bucket"}}]}),
            Some("templates/x.yaml"),
        ),
        (
            json!({"Fn::Sub": "https://s3.${AWS::Region}.amazonaws.com/${Bucket}/services.yaml"}),
            Some("services.yaml"),
        ),
        (
            json!({"Fn::Sub": ["https://${Bucket}.s3.amazonaws.com/${Name}", {"Bucket": {"Ref": "B"}, "Name": "stacks/queue.yaml"}]}),
            Some("stacks/queue.yaml"),
        ),
        // Built with Fn::Join.
        (
            json!({"Fn::Join": ["", ["https://", {"Ref": "Bucket"}, ".s3.amazonaws.com/", {"Ref": "Prefix"}, "/stacks/data.yaml"]]}),
            Some("stacks/data.yaml"),
        ),
        (
            json!({"Fn::Join": ["/", ["https://s3.amazonaws.com", {"Ref": "Bucket"}, "nested", "app.yaml"]]}),
            Some("nested/app.yaml"),
        ),
        // Nothing named before deploy.
        (json!("{{resolve:ssm:/templates/network}}"), None),
        (json!({"Ref": "NetworkTemplateUrl"}), None),
        (
            json!({"Fn::Sub": "https://${Bucket}.s3.amazonaws.com/${Key}"}),
            None,
        ),
    ];
    for (url, key) in cases {
        assert_eq!(object_key(&url).as_deref(), key, "{url}");
    }
}

/// Writes files (paths may hold folders) into a temporary folder.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const MAIN: &str = "Parameters:
  TemplateS3Bucket: {Type: String}
  Environment: {Type: String, Default: dev}
Resources:
  NetworkStack:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: !Sub 'https://${TemplateS3Bucket}.s3.${AWS::Region}.amazonaws.com/nested/network-stack.yaml'
      Parameters:
        Environment: !Ref Environment
  AppStack:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: !Sub 'https://${TemplateS3Bucket}.s3.${AWS::Region}.amazonaws.com/nested/app-stack.yaml'
      Parameters:
        VpcId: !GetAtt NetworkStack.Outputs.VpcId
";

const NETWORK: &str = "Parameters:
  Environment: {Type: String}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      Tags: [{Key: Environment, Value: !Ref Environment}]
Outputs:
  VpcId:
    Value: !Ref Vpc
    Export: {Name: !Sub '${Environment}-vpc'}
";

const APP: &str = "Parameters:
  VpcId: {Type: String}
  Environment: {Type: String, Default: dev}
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      VpcId: !Ref VpcId
      GroupDescription: !Sub '${Environment} app'
  Other:
    Type: AWS::EC2::SecurityGroup
    Properties:
      VpcId: !ImportValue dev-vpc
      GroupDescription: imported
";

/// The same export as the network stack's, in a template nothing deploys.
const DECOY: &str = "Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.9.0.0/16}}
Outputs:
  VpcId:
    Value: !Ref Vpc
    Export: {Name: dev-vpc}
";

fn check_project(deployment: &crate::Deployment) {
    let names: Vec<&str> = deployment.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "main-stack",
            "main-stack/NetworkStack",
            "main-stack/AppStack"
        ]
    );
    let sg = resource(deployment, "main-stack/AppStack/Sg");
    // A parameter given by the parent from a nested output.
    assert_eq!(
        sg.properties["VpcId"],
        Value::Ref(Ref::resource("main-stack/NetworkStack/Vpc"))
    );
    // The nested template's own default.
    assert_eq!(sg.properties["GroupDescription"], Value::from("dev app"));
    // An import of the sibling's export.
    let other = resource(deployment, "main-stack/AppStack/Other");
    assert_eq!(
        other.properties["VpcId"],
        Value::Ref(Ref::resource("main-stack/NetworkStack/Vpc"))
    );
}

#[test]
fn a_main_stack_nests_templates_its_s3_urls_name() {
    let dir = project(&[
        ("main-stack.yaml", MAIN),
        ("nested/network-stack.yaml", NETWORK),
        ("nested/app-stack.yaml", APP),
        ("nested/legacy-network.yaml", DECOY),
    ]);
    let deployment = load_path(&dir.path().join("main-stack.yaml")).unwrap();
    check_project(&deployment);
    assert!(
        deployment.diagnostics.is_empty(),
        "{:?}",
        deployment.diagnostics
    );
}

#[test]
fn nested_templates_are_found_in_the_template_folders() {
    // The templates are uploaded from another folder than the main stack's.
    let dir = project(&[
        ("cfn/main-stack.yaml", MAIN),
        ("templates/network-stack.yaml", NETWORK),
        ("templates/app-stack.yaml", APP),
    ]);
    let main = dir.path().join("cfn/main-stack.yaml");
    // Without the folder, a warning names each resource.
    let alone = load_path(&main).unwrap();
    let locations: Vec<&str> = alone
        .diagnostics
        .iter()
        .map(|d| d.location.as_str())
        .collect();
    assert_eq!(
        locations,
        [
            "/Resources/AppStack/Properties/TemplateURL",
            "/Resources/NetworkStack/Properties/TemplateURL"
        ]
    );
    assert!(
        alone.diagnostics[0].message.starts_with(
            "the nested stack's template nested/app-stack.yaml is not among the inputs"
        ),
        "{:?}",
        alone.diagnostics
    );
    let options = Options {
        template_dirs: vec![dir.path().join("templates")],
        ..Options::default()
    };
    let deployment = load(&[&main], &options).unwrap();
    check_project(&deployment);
}

#[test]
fn a_folder_loads_its_roots_and_says_which_templates_it_ignored() {
    let dir = project(&[
        ("main-stack.yaml", MAIN),
        ("network-stack.yaml", NETWORK),
        ("app-stack.yaml", APP),
        ("legacy-network.yaml", DECOY),
    ]);
    let deployment = load_path(dir.path()).unwrap();
    check_project(&deployment);
    let ignored: Vec<String> = deployment
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d.file.file_name().unwrap().to_string_lossy(),
                d.message
            )
        })
        .collect();
    assert_eq!(ignored.len(), 1, "{ignored:?}");
    assert!(
        ignored[0].starts_with("legacy-network.yaml not loaded: no template of "),
        "{ignored:?}"
    );
    // Every template given by name: the nested ones load under their
    // parent, once.
    let files: Vec<_> = ["app-stack.yaml", "main-stack.yaml", "network-stack.yaml"]
        .iter()
        .map(|f| dir.path().join(f))
        .collect();
    let paths: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let named = load(&paths, &Options::default()).unwrap();
    check_project(&named);
    // The undeployed template named too is deployed: two exports of one
    // name are trouble.
    let decoy = dir.path().join("legacy-network.yaml");
    let main = dir.path().join("main-stack.yaml");
    let err = load(&[&main, &decoy], &Options::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("the export name \"dev-vpc\" is also declared at"),
        "{err}"
    );
}

#[test]
fn a_nested_stack_whose_condition_is_false_exports_nothing() {
    let main = "Parameters:
  WithLegacy: {Type: String, Default: 'false'}
Conditions:
  Legacy: !Equals [!Ref WithLegacy, 'true']
Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/bucket/network-stack.yaml
      Parameters: {Environment: dev}
  LegacyNetwork:
    Type: AWS::CloudFormation::Stack
    Condition: Legacy
    Properties:
      TemplateURL: https://s3.amazonaws.com/bucket/legacy-network.yaml
  App:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/bucket/app-stack.yaml
      Parameters: {VpcId: !GetAtt Network.Outputs.VpcId}
";
    let dir = project(&[
        ("main.yaml", main),
        ("network-stack.yaml", NETWORK),
        ("app-stack.yaml", APP),
        ("legacy-network.yaml", DECOY),
    ]);
    let path = dir.path().join("main.yaml");
    let deployment = load_path(&path).unwrap();
    let other = resource(&deployment, "main/App/Other");
    assert_eq!(
        other.properties["VpcId"],
        Value::Ref(Ref::resource("main/Network/Vpc"))
    );
    assert!(
        !deployment
            .resources
            .iter()
            .any(|r| r.id.to_string().starts_with("main/LegacyNetwork/")),
    );
    // Deployed, the legacy stack exports the same name.
    let options = Options {
        parameters: vec![("WithLegacy".into(), "true".into())],
        ..Options::default()
    };
    let err = load(&[&path], &options).unwrap_err().to_string();
    assert!(err.contains("the export name \"dev-vpc\""), "{err}");
}

/// A real project: its main template, the parameters it needs, and how
/// many resources each stack holds (the main stack, then each nested stack
/// by name).
struct RealProject {
    main: &'static str,
    parameter_file: Option<&'static str>,
    parameters: &'static [(&'static str, &'static str)],
    stacks: &'static [(&'static str, usize)],
}

const REAL_PROJECTS: &[RealProject] = &[
    RealProject {
        main: "ecs-refarch-cloudformation/master.yaml",
        parameter_file: None,
        parameters: &[],
        stacks: &[
            ("master", 7),
            ("master/VPC", 21),
            ("master/SecurityGroups", 2),
            ("master/ALB", 3),
            ("master/ECS", 7),
            ("master/ProductService", 6),
            ("master/WebsiteService", 11),
            ("master/LifecycleHook", 6),
        ],
    },
    // The sample parameter file predates the PHP versions the template
    // allows now; CloudFormation would refuse it too.
    RealProject {
        main: "aws-refarch-wordpress/templates/aws-refarch-wordpress-master-newvpc.yaml",
        parameter_file: Some(
            "aws-refarch-wordpress/samples/aws-refarch-wordpress-parameters-newvpc.json",
        ),
        parameters: &[("PHPVersion", "7.4")],
        stacks: &[
            ("aws-refarch-wordpress-master-newvpc", 12),
            ("aws-refarch-wordpress-master-newvpc/bastion", 4),
            ("aws-refarch-wordpress-master-newvpc/cloudfront", 1),
            ("aws-refarch-wordpress-master-newvpc/dashboardwithalarms", 1),
            ("aws-refarch-wordpress-master-newvpc/efsfilesystem", 13),
            ("aws-refarch-wordpress-master-newvpc/efsalarms", 10),
            ("aws-refarch-wordpress-master-newvpc/elasticache", 2),
            ("aws-refarch-wordpress-master-newvpc/newvpc", 38),
            ("aws-refarch-wordpress-master-newvpc/publicalb", 3),
            ("aws-refarch-wordpress-master-newvpc/rds", 4),
            ("aws-refarch-wordpress-master-newvpc/route53", 1),
            ("aws-refarch-wordpress-master-newvpc/securitygroups", 7),
            ("aws-refarch-wordpress-master-newvpc/web", 4),
        ],
    },
];

#[test]
fn real_nested_projects_load_every_nested_template() {
    for project in REAL_PROJECTS {
        let folder = fixture("real/cfn-nested");
        let options = Options {
            parameter_files: project
                .parameter_file
                .map(|f| folder.join(f))
                .into_iter()
                .collect(),
            parameters: project
                .parameters
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            region: Some("us-east-2".into()),
            ..Options::default()
        };
        let deployment = load(&[&folder.join(project.main)], &options)
            .unwrap_or_else(|err| panic!("{}: {err}", project.main));
        let nested_warnings: Vec<_> = deployment
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("nested stack"))
            .collect();
        assert!(nested_warnings.is_empty(), "{nested_warnings:?}");
        let mut counts: Vec<(String, usize)> = Vec::new();
        for resource in &deployment.resources {
            let parity_model::ResourceId::CloudFormation { stack, .. } = &resource.id else {
                unreachable!()
            };
            match counts.iter_mut().find(|(name, _)| name == stack) {
                Some((_, count)) => *count += 1,
                None => counts.push((stack.clone(), 1)),
            }
        }
        let mut expected: Vec<(String, usize)> = project
            .stacks
            .iter()
            .map(|(name, count)| ((*name).to_owned(), *count))
            .collect();
        expected.sort();
        counts.sort();
        assert_eq!(counts, expected, "{}", project.main);
    }
}

/// The project with parameter files written beside it.
fn with_parameter_files(files: &[(&str, &str)]) -> tempfile::TempDir {
    let mut all = vec![
        ("main-stack.yaml", MAIN),
        ("network-stack.yaml", NETWORK),
        ("app-stack.yaml", APP),
    ];
    all.extend_from_slice(files);
    project(&all)
}

fn environment_of_app(deployment: &crate::Deployment) -> Value {
    resource(deployment, "main-stack/AppStack/Sg").properties["GroupDescription"].clone()
}

#[test]
fn parameter_files_as_people_keep_them() {
    let dir = with_parameter_files(&[
        // CodePipeline's template configuration file.
        (
            "pipeline-config.json",
            r#"{"Parameters": {"Environment": "qa", "TemplateS3Bucket": "t"}, "Tags": {"team": "platform"}, "StackPolicy": {"Statement": []}}"#,
        ),
        // `aws cloudformation deploy --parameter-overrides` words.
        (
            "overrides.env",
            "# deploy-time values\nEnvironment=staging TemplateS3Bucket=t\n\nTemplateS3Bucket=\"my templates\"\n",
        ),
        (
            "overrides.json",
            r#"["Environment=perf", "TemplateS3Bucket=t"]"#,
        ),
        ("broken.env", "Environment=prod\njust words\n"),
    ]);
    let main = dir.path().join("main-stack.yaml");
    let load_with = |files: &[&str]| {
        let options = Options {
            parameter_files: files.iter().map(|f| dir.path().join(f)).collect(),
            ..Options::default()
        };
        load(&[&main], &options)
    };
    let network = |deployment: &crate::Deployment| {
        resource(deployment, "main-stack/NetworkStack/Vpc").clone()
    };
    for (file, environment) in [
        ("pipeline-config.json", "qa"),
        ("overrides.env", "staging"),
        ("overrides.json", "perf"),
    ] {
        let deployment = load_with(&[file]).unwrap_or_else(|err| panic!("{file}: {err}"));
        // The main stack passes Environment to the network stack.
        let tags = &network(&deployment).properties["Tags"];
        assert_eq!(
            tags,
            &Value::List(vec![Value::Map(
                [
                    ("Key".to_owned(), Value::from("Environment")),
                    ("Value".to_owned(), Value::from(environment)),
                ]
                .into()
            )]),
            "{file}"
        );
    }
    let err = load_with(&["broken.env"]).unwrap_err().to_string();
    assert!(
        err.ends_with("broken.env: at line 2: expected Key=Value"),
        "{err}"
    );
}

#[test]
fn a_stack_parameter_file_gives_one_stack_its_values() {
    let dir = with_parameter_files(&[
        (
            "app.json",
            r#"[{"ParameterKey": "Environment", "ParameterValue": "prod"}]"#,
        ),
        ("network.env", "Environment=prod\n"),
        ("typo.env", "Enviroment=prod\n"),
    ]);
    let main = dir.path().join("main-stack.yaml");
    let stack_files = |files: &[(&str, &str)]| Options {
        stack_parameter_files: files
            .iter()
            .map(|(stack, file)| ((*stack).to_owned(), dir.path().join(file)))
            .collect(),
        ..Options::default()
    };
    let plain = load(&[&main], &Options::default()).unwrap();
    assert_eq!(environment_of_app(&plain), Value::from("dev app"));
    // The main stack gives the app stack no Environment: its own file does.
    let app = load(
        &[&main],
        &stack_files(&[("main-stack/AppStack", "app.json")]),
    )
    .unwrap();
    assert_eq!(environment_of_app(&app), Value::from("prod app"));
    // The main stack gives the network stack its Environment: that wins,
    // as at deploy time; the sibling's import of `dev-vpc` still resolves.
    let network = load(
        &[&main],
        &stack_files(&[("main-stack/NetworkStack", "network.env")]),
    )
    .unwrap();
    check_project(&network);
    // A stack that is not loaded, or a parameter it does not declare.
    let err = load(&[&main], &stack_files(&[("main-stack/Api", "app.json")]))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "--param main-stack/Api: a parameter file for a stack that is not loaded (stacks: main-stack, main-stack/NetworkStack, main-stack/AppStack)"
    );
    let err = load(
        &[&main],
        &stack_files(&[("main-stack/AppStack", "typo.env")]),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.ends_with("typo.env: at line 1: stack main-stack/AppStack declares no parameter named \"Enviroment\""),
        "{err}"
    );
}

#[test]
fn nested_templates_read_as_written_and_their_errors_name_them() {
    let main = "Transform: AWS::LanguageExtensions
Parameters:
  TemplateS3Bucket: {Type: String, Default: templates}
Resources:
  AppStack:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: !Sub 'https://${TemplateS3Bucket}.s3.amazonaws.com/app.yaml'
";
    // Anchors and aliases, a long multi-line !Sub, a template-level
    // Transform.
    let app = "Transform: AWS::Serverless-2016-10-31
Parameters:
  Environment: {Type: String, Default: prod}
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '${Environment}-jobs'
      Tags: &tags
        - {Key: team, Value: platform}
  Dead:
    Type: AWS::SQS::Queue
    Properties:
      Tags: *tags
  Script:
    Type: AWS::SSM::Document
    Properties:
      Content: !Sub |
        #!/bin/bash
        echo environment ${Environment}
        echo queue ${Jobs.QueueName}
        echo region ${!NotAVariable}
";
    let dir = project(&[("main.yaml", main), ("app.yaml", app)]);
    let deployment = load_path(&dir.path().join("main.yaml")).unwrap();
    let dead = resource(&deployment, "main/AppStack/Dead");
    let jobs = resource(&deployment, "main/AppStack/Jobs");
    assert_eq!(dead.properties["Tags"], jobs.properties["Tags"]);
    let script = resource(&deployment, "main/AppStack/Script");
    assert!(
        script.properties["Content"]
            .to_string()
            .contains("echo environment prod\necho queue "),
        "{}",
        script.properties["Content"]
    );
    let transform: Vec<_> = deployment
        .diagnostics
        .iter()
        .filter(|d| d.location == "/Transform")
        .collect();
    assert_eq!(transform.len(), 1, "{:?}", deployment.diagnostics);
    assert!(transform[0].file.ends_with("app.yaml"));
    // An error in a nested template: one line, its file and place.
    let broken = app.replace("!Sub '${Environment}-jobs'", "!Ref Enviroment");
    let dir = project(&[("main.yaml", main), ("app.yaml", &broken)]);
    let err = load_path(&dir.path().join("main.yaml"))
        .unwrap_err()
        .to_string();
    assert!(!err.contains('\n'), "{err}");
    assert!(
        err.ends_with("app.yaml: at /Resources/Jobs/Properties/QueueName/Ref: Ref to \"Enviroment\", which is neither a parameter nor a resource of this template"),
        "{err}"
    );
}
