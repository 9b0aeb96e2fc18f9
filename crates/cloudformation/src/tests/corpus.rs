//! Valid templates as people write them that a run over public templates
//! found rejected or misread: `testdata/cfn-corpus/`, one defect a file.

use parity_model::{Conditional, TemplatePart, Unknown, Value};

use super::{fixture, resource};
use crate::{Options, load, load_path};

fn corpus(file: &str) -> crate::Deployment {
    load_path(&fixture(&format!("cfn-corpus/{file}"))).unwrap_or_else(|err| panic!("{file}: {err}"))
}

fn unknown(refs: &[&str]) -> Value {
    Value::Unknown(Unknown {
        refs: refs.iter().map(|r| (*r).to_owned()).collect(),
        reason: None,
    })
}

#[test]
fn for_each_loops_make_resources_conditions_and_outputs() {
    let deployment = corpus("foreach.yaml");
    let ids: Vec<String> = deployment
        .resources
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "foreach/SnsTopicSuccess",
            "foreach/SnsTopicFailure",
            "foreach/SnsTopicTimeout",
            "foreach/SnsTopicUnknown",
            "foreach/Queueorders",
            "foreach/Queueinvoices"
        ]
    );
    let failure = resource(&deployment, "foreach/SnsTopicFailure");
    assert_eq!(failure.properties["TopicName"], Value::from("Failure"));
    assert_eq!(
        failure.properties["DisplayName"],
        Value::Template(vec![
            TemplatePart::Literal("Failure on ".into()),
            TemplatePart::Unknown(Unknown {
                refs: vec!["AWS::Region".into()],
                reason: None,
            }),
        ])
    );
    // The collection is a list parameter.
    let queue = resource(&deployment, "foreach/Queueinvoices");
    assert_eq!(queue.properties["QueueName"], Value::from("invoices"));
    // The parameter decides the collection.
    let given = load(
        &[&fixture("cfn-corpus/foreach.yaml")],
        &Options {
            parameters: vec![("Queues".into(), "refunds".into())],
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(given.resources.len(), 5);
    assert_eq!(given.resources[4].id.to_string(), "foreach/Queuerefunds");
    // Every output and condition the loops make evaluates (a template
    // whose outputs do not evaluate is refused).
    assert!(
        deployment.diagnostics.is_empty(),
        "{:?}",
        deployment.diagnostics
    );
}

#[test]
fn get_azs_without_a_region_is_the_stacks_region() {
    for file in ["get-azs-current-region.yaml", "get-azs-null.json"] {
        let deployment = load(
            &[&fixture(&format!("cfn-corpus/{file}"))],
            &Options {
                region: Some("eu-west-1".into()),
                ..Options::default()
            },
        )
        .unwrap_or_else(|err| panic!("{file}: {err}"));
        for subnet in &deployment.resources {
            assert_eq!(
                subnet.properties["AvailabilityZone"],
                unknown(&["Fn::GetAZs"]),
                "{file}"
            );
        }
    }
}

#[test]
fn sub_names_may_have_spaces_around_them() {
    let deployment = load(
        &[&fixture("cfn-corpus/sub-spaces.yaml")],
        &Options {
            region: Some("eu-west-1".into()),
            ..Options::default()
        },
    )
    .unwrap();
    let queue = resource(&deployment, "sub-spaces/Jobs");
    assert_eq!(
        queue.properties["QueueName"],
        Value::from("staging-jobs-eu-west-1")
    );
    // `${! Name}` stays literal, as written.
    let tags = &queue.properties["Tags"];
    assert_eq!(
        tags,
        &Value::List(vec![Value::Map(
            [
                ("Key".to_owned(), Value::from("literal")),
                ("Value".to_owned(), Value::from("${ Environment }")),
            ]
            .into()
        )])
    );
}

#[test]
fn byte_order_marks_and_utf16_are_read() {
    for file in ["bom.json", "bom.yaml", "utf16le.yaml", "utf16be.json"] {
        let deployment = corpus(file);
        let queue = &deployment.resources[0];
        assert_eq!(
            queue.id.to_string(),
            format!("{}/Jobs", &file[..file.find('.').unwrap()]),
            "{file}"
        );
        assert_eq!(queue.properties["QueueName"], Value::from("jobs"), "{file}");
    }
    // Bytes that are no text say so, naming the file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.yaml");
    std::fs::write(&path, b"Resources:\n  Caf\xe9: {Type: AWS::SQS::Queue}\n").unwrap();
    let err = load_path(&path).unwrap_err().to_string();
    assert!(
        err.ends_with(
            "latin1.yaml: cannot read: not valid UTF-8 (nor UTF-16 with a byte order mark)"
        ),
        "{err}"
    );
}

#[test]
fn properties_chosen_by_an_undecided_condition_depend_on_it() {
    let deployment = corpus("properties-if.yaml");
    let queue = resource(&deployment, "properties-if/Jobs");
    let conditional = |if_true: Option<Value>, if_false: Option<Value>| {
        Value::Conditional(Conditional {
            condition: "IsProd".into(),
            if_true: if_true.map(Box::new),
            if_false: if_false.map(Box::new),
        })
    };
    assert_eq!(queue.properties["QueueName"], Value::from("jobs"));
    assert_eq!(
        queue.properties["MessageRetentionPeriod"],
        conditional(Some(Value::Number(1_209_600.into())), None)
    );
    assert_eq!(
        queue.properties["VisibilityTimeout"],
        conditional(None, Some(Value::Number(30.into())))
    );
    // Decided, the condition picks one object.
    let prod = load(
        &[&fixture("cfn-corpus/properties-if.yaml")],
        &Options {
            parameters: vec![("Environment".into(), "prod".into())],
            ..Options::default()
        },
    )
    .unwrap();
    let keys: Vec<&String> = prod.resources[0].properties.keys().collect();
    assert_eq!(keys, ["MessageRetentionPeriod", "QueueName"]);
}

#[test]
fn an_import_of_an_export_not_among_the_inputs_is_a_named_unknown() {
    let deployment = corpus("import-not-among-inputs.yaml");
    let service = resource(&deployment, "import-not-among-inputs/Service");
    assert_eq!(
        service.properties["Cluster"],
        unknown(&["network-ClusterName"])
    );
    let diagnostic = &deployment.diagnostics[0];
    assert_eq!(
        diagnostic.location,
        "/Resources/Service/Properties/Cluster/Fn::ImportValue"
    );
    assert!(
        diagnostic
            .message
            .starts_with("no stack given exports \"network-ClusterName\""),
        "{diagnostic:?}"
    );
}

#[test]
fn a_template_url_resolved_from_ssm_is_not_a_local_path() {
    let deployment = corpus("template-url-ssm.yaml");
    assert_eq!(deployment.resources.len(), 2);
    let diagnostic = &deployment.diagnostics[0];
    assert_eq!(
        diagnostic.location,
        "/Resources/Network/Properties/TemplateURL"
    );
    assert!(
        diagnostic.message.contains("not among the inputs"),
        "{diagnostic:?}"
    );
}
