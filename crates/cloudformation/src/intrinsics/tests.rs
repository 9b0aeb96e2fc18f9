use std::path::Path;

use parity_model::{Conditional, Ref, TemplatePart, Unknown, Value};

use super::lists::cidr_blocks;
use crate::{Deployment, Options, load_text};

/// Loads a YAML template with the given options.
fn load_with(yaml: &str, options: &Options) -> Deployment {
    load_text(yaml, Path::new("t.yaml"), options).unwrap()
}

fn load(yaml: &str) -> Deployment {
    load_with(yaml, &Options::default())
}

fn error(yaml: &str) -> String {
    load_text(yaml, Path::new("t.yaml"), &Options::default())
        .unwrap_err()
        .to_string()
}

/// The properties of resource `R` of a template whose only resource is
/// `R`, with `properties` as its `Properties`.
fn props(head: &str, properties: &str) -> Value {
    let yaml =
        format!("{head}\nResources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n{properties}");
    let deployment = load(&yaml);
    Value::Map(deployment.resources[0].properties.clone())
}

fn prop(head: &str, value: &str) -> Value {
    props(head, &format!("      P: {value}\n"))
        .get("P")
        .cloned()
        .unwrap_or(Value::Null)
}

fn s(text: &str) -> Value {
    Value::from(text)
}

fn unknown(refs: &[&str]) -> Value {
    Value::Unknown(Unknown {
        refs: refs.iter().map(|r| (*r).to_owned()).collect(),
        reason: None,
    })
}

fn list(items: &[&str]) -> Value {
    Value::List(items.iter().map(|i| s(i)).collect())
}

const PARAMS: &str = "Parameters:
  Env: {Type: String, Default: prod}
  Secret: {Type: String, Default: hunter2, NoEcho: true}
  Subnets: {Type: CommaDelimitedList, Default: 'a, b,c'}
  FromSsm: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /x/y}
  Open: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsOpen: !Equals [!Ref Open, yes]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Condition IsOpen]
  Either: !Or [!Condition IsProd, !Condition IsOpen]
Mappings:
  Sizes:
    prod: {Cpu: 1024, Tags: [a, b]}
";

#[test]
fn refs_to_parameters_resources_and_pseudo_parameters() {
    let head = PARAMS;
    assert_eq!(prop(head, "!Ref Env"), s("prod"));
    assert_eq!(prop(head, "!Ref Subnets"), list(&["a", "b", "c"]));
    assert_eq!(prop(head, "!Ref FromSsm"), unknown(&["FromSsm"]));
    assert_eq!(prop(head, "!Ref Open"), unknown(&["Open"]));
    assert_eq!(prop(head, "!Ref R"), Value::Ref(Ref::resource("R")));
    assert_eq!(prop(head, "!Ref AWS::Region"), unknown(&["AWS::Region"]));
    assert_eq!(
        prop(head, "!Ref AWS::StackName"),
        unknown(&["AWS::StackName"])
    );
    assert_eq!(
        prop(head, "!GetAtt R.Arn"),
        Value::Ref(Ref::attribute("R", "Arn"))
    );
    assert_eq!(
        prop(head, "!GetAtt R.Endpoint.Address"),
        Value::Ref(Ref::attribute("R", "Endpoint.Address"))
    );
    assert_eq!(
        prop(head, "{'Fn::GetAtt': [R, !Ref Env]}"),
        Value::Ref(Ref::attribute("R", "prod"))
    );
}

#[test]
fn pseudo_parameters_from_the_caller() {
    let options = Options {
        account: Some("111122223333".into()),
        region: Some("cn-north-1".into()),
        ..Options::default()
    };
    let yaml = "Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      A: !Sub '${AWS::AccountId}:${AWS::Region}:${AWS::Partition}:${AWS::URLSuffix}'\n      B: !Ref AWS::StackId\n";
    let d = load_with(yaml, &options);
    assert_eq!(
        d.resources[0].properties["A"],
        s("111122223333:cn-north-1:aws-cn:amazonaws.com.cn")
    );
    assert_eq!(d.resources[0].properties["B"], unknown(&["AWS::StackId"]));
    let partition_only = Options {
        partition: Some("aws-us-gov".into()),
        ..Options::default()
    };
    let d = load_with(yaml, &partition_only);
    let Value::Template(parts) = &d.resources[0].properties["A"] else {
        panic!("{:?}", d.resources[0].properties["A"]);
    };
    assert!(parts.contains(&TemplatePart::Literal(":aws-us-gov:amazonaws.com".into())));
}

#[test]
fn no_value_removes_properties_and_list_items() {
    let p = props(
        "",
        "      A: !Ref AWS::NoValue\n      B: [x, !Ref AWS::NoValue, y]\n      C: {D: !Ref AWS::NoValue}\n",
    );
    assert_eq!(p.get("A"), None);
    assert_eq!(p.get("B"), Some(&list(&["x", "y"])));
    assert_eq!(p.get("C"), Some(&Value::Map(Default::default())));
}

#[test]
fn join_sub_select_split() {
    let head = PARAMS;
    assert_eq!(prop(head, "!Join ['-', [a, !Ref Env, 3]]"), s("a-prod-3"));
    assert_eq!(
        prop(head, "!Join ['', ['arn:', !Ref R, ':x']]"),
        Value::Template(vec!["arn:".into(), Ref::resource("R").into(), ":x".into()])
    );
    assert_eq!(
        prop(head, "!Sub '${Env}-${!Literal}-${R.Arn}'"),
        Value::Template(vec![
            "prod-${Literal}-".into(),
            Ref::attribute("R", "Arn").into()
        ])
    );
    assert_eq!(
        prop(head, "!Sub ['${A}/${Env}', {A: !Select [1, !Ref Subnets]}]"),
        s("b/prod")
    );
    assert_eq!(prop(head, "!Select [0, !Split [',', 'x,y']]"), s("x"));
    assert_eq!(prop(head, "!Select ['1', [p, q]]"), s("q"));
    assert_eq!(
        prop(head, "!Split [':', !GetAtt R.Arn]"),
        unknown(&["R.Arn"])
    );
    assert_eq!(
        prop(head, "!Select [0, !GetAZs '']"),
        unknown(&["Fn::GetAZs"])
    );
    assert_eq!(
        prop(head, "!Join [',', !GetAtt R.SecurityGroups]"),
        unknown(&["R.SecurityGroups"])
    );
}

#[test]
fn sensitive_parameters_mark_what_is_built_from_them() {
    let head = PARAMS;
    let v = prop(head, "!Sub 'user:${Secret}'");
    assert!(v.contains_sensitive());
    assert_eq!(v.to_string(), "(sensitive)");
    assert!(prop(head, "!Select [0, !Split [h, !Ref Secret]]").contains_sensitive());
    assert!(prop(head, "!Join ['', [!Ref Secret]]").contains_sensitive());
    assert!(!prop(head, "!Ref Env").contains_sensitive());
}

#[test]
fn find_in_map_with_and_without_default() {
    let head = PARAMS;
    assert_eq!(
        prop(head, "!FindInMap [Sizes, !Ref Env, Cpu]"),
        Value::Number(1024.into())
    );
    assert_eq!(
        prop(head, "!FindInMap [Sizes, !Ref Env, Tags]"),
        list(&["a", "b"])
    );
    assert_eq!(
        prop(head, "!FindInMap [Sizes, dev, Cpu, {DefaultValue: 256}]"),
        Value::Number(256.into())
    );
    assert_eq!(
        prop(head, "!FindInMap [Sizes, !Ref Open, Cpu]"),
        unknown(&["Open"])
    );
}

#[test]
fn length_to_json_string_cidr_base64() {
    let head = PARAMS;
    assert_eq!(prop(head, "!Length [a, b, c]"), Value::Number(3.into()));
    assert_eq!(
        prop(head, "!Length {Ref: Subnets}"),
        Value::Number(3.into())
    );
    assert_eq!(
        prop(
            head,
            "!ToJsonString {z: 1, a: [!Ref Env, true, null], r: !Ref R, n: !Ref AWS::NoValue}"
        ),
        Value::Template(vec![
            r#"{"z":1,"a":["prod",true,null],"r":""#.into(),
            Ref::resource("R").into(),
            r#""}"#.into(),
        ])
    );
    assert_eq!(
        prop(head, "!Cidr [10.0.0.0/16, 3, 8]"),
        list(&["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"])
    );
    assert_eq!(
        prop(head, "!Cidr [!GetAtt R.CidrBlock, 3, 8]"),
        unknown(&["R.CidrBlock"])
    );
    assert_eq!(prop(head, "!Base64 {Ref: Env}"), s("prod"));
}

#[test]
fn cidr_blocks_v4_and_v6() {
    assert_eq!(
        cidr_blocks("192.168.0.0/24", 6, 5).unwrap(),
        [
            "192.168.0.0/27",
            "192.168.0.32/27",
            "192.168.0.64/27",
            "192.168.0.96/27",
            "192.168.0.128/27",
            "192.168.0.160/27"
        ]
    );
    assert_eq!(
        cidr_blocks("2600:1f16:0:0::/56", 2, 64).unwrap(),
        ["2600:1f16::/64", "2600:1f16:0:1::/64"]
    );
    assert!(cidr_blocks("10.0.0.0/24", 3, 9).is_err());
    assert!(cidr_blocks("10.0.0.0/24", 5, 6).is_err());
    assert!(cidr_blocks("10.0.0/24", 1, 8).is_err());
}

#[test]
fn conditions_decide_resources_and_branches() {
    let yaml = format!(
        "{PARAMS}Resources:
  Always:
    Type: AWS::X::Y
    Properties:
      Size: !If [IsProd, big, small]
      Gone: !If [NotProd, x, !Ref AWS::NoValue]
      Both: !If [Both, a, b]
      Either: !If [Either, a, b]
  OnlyOutsideProd:
    Type: AWS::X::Y
    Condition: NotProd
  MaybeOpen:
    Type: AWS::X::Y
    Condition: IsOpen
    Properties:
      Open: !If [IsOpen, yes, no]
"
    );
    let d = load(&yaml);
    let ids: Vec<String> = d.resources.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(ids, ["t/Always", "t/MaybeOpen"]);
    let always = &d.resources[0].properties;
    assert_eq!(always["Size"], s("big"));
    assert_eq!(always.get("Gone"), None);
    assert_eq!(always["Either"], s("a"));
    assert_eq!(
        always["Both"],
        Value::Conditional(Conditional {
            condition: "Both".into(),
            if_true: Some(Box::new(s("a"))),
            if_false: Some(Box::new(s("b"))),
        })
    );
    // Inside a resource that exists only when IsOpen holds, IsOpen holds.
    let open = &d.resources[1];
    assert_eq!(open.condition.as_deref(), Some("IsOpen"));
    assert_eq!(open.properties["Open"], Value::Bool(true));
}

#[test]
fn an_undecided_if_inside_a_function_yields_both_results() {
    let head = PARAMS;
    let joined = prop(head, "!Join ['-', [x, !If [IsOpen, a, !Ref AWS::NoValue]]]");
    assert_eq!(
        joined,
        Value::Conditional(Conditional {
            condition: "IsOpen".into(),
            if_true: Some(Box::new(s("x-a"))),
            if_false: Some(Box::new(s("x"))),
        })
    );
    let absent = prop(head, "!If [IsOpen, !Ref AWS::NoValue, v]");
    assert_eq!(
        absent,
        Value::Conditional(Conditional {
            condition: "IsOpen".into(),
            if_true: None,
            if_false: Some(Box::new(s("v"))),
        })
    );
    // The same condition twice is decided the same way in one value.
    let twice = prop(head, "!Join ['', [!If [IsOpen, a, b], !If [IsOpen, c, d]]]");
    assert_eq!(twice.to_string(), "(if IsOpen: ac; else: bd)");
    // Branches that agree are one value.
    assert_eq!(prop(head, "!Select [0, [x, !If [IsOpen, a, b]]]"), s("x"));
}

#[test]
fn parameters_from_the_caller_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("params.json");
    std::fs::write(
        &file,
        r#"[{"ParameterKey": "Env", "ParameterValue": "dev"}, {"ParameterKey": "Open", "UsePreviousValue": true}]"#,
    )
    .unwrap();
    let yaml = format!(
        "{PARAMS}Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      E: !Ref Env\n      O: !Ref Open\n      S: !If [IsProd, p, d]\n"
    );
    let options = Options {
        parameter_files: vec![file.clone()],
        ..Options::default()
    };
    let d = load_with(&yaml, &options);
    assert_eq!(d.resources[0].properties["E"], s("dev"));
    assert_eq!(d.resources[0].properties["O"], unknown(&["Open"]));
    assert_eq!(d.resources[0].properties["S"], s("d"));
    let flag_wins = Options {
        parameter_files: vec![file],
        parameters: vec![("Env".into(), "prod".into()), ("Open".into(), "yes".into())],
        ..Options::default()
    };
    let d = load_with(&yaml, &flag_wins);
    assert_eq!(d.resources[0].properties["E"], s("prod"));
    assert_eq!(d.resources[0].properties["O"], s("yes"));
    let typo = Options {
        parameters: vec![("Evn".into(), "x".into())],
        ..Options::default()
    };
    let err = load_text(&yaml, Path::new("t.yaml"), &typo).unwrap_err();
    assert_eq!(
        err.to_string(),
        "--param Evn: no template given declares this parameter"
    );
}

#[test]
fn invalid_intrinsics_name_the_location() {
    let bad = |value: &str| {
        error(&format!(
            "{PARAMS}Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      P: {value}\n"
        ))
    };
    assert_eq!(
        bad("!Select [5, [a]]"),
        "t.yaml: at /Resources/R/Properties/P/Fn::Select: index 5 is out of range for a list of 1"
    );
    assert_eq!(
        bad("!Ref Nope"),
        "t.yaml: at /Resources/R/Properties/P/Ref: Ref to \"Nope\", which is neither a parameter nor a resource of this template"
    );
    assert_eq!(
        bad("!Ref AWS::Nope"),
        "t.yaml: at /Resources/R/Properties/P/Ref: AWS::Nope is not a pseudo-parameter"
    );
    assert_eq!(
        bad("!FindInMap [Sizes, dev, Cpu]"),
        "t.yaml: at /Resources/R/Properties/P/Fn::FindInMap: no mapping Sizes/dev/Cpu"
    );
    assert_eq!(
        bad("!If [Nope, a, b]"),
        "t.yaml: at /Resources/R/Properties/P/Fn::If/0: no condition named \"Nope\""
    );
    assert_eq!(
        bad("!Sub '${Env'"),
        "t.yaml: at /Resources/R/Properties/P/Fn::Sub: unclosed ${ in Fn::Sub"
    );
    assert_eq!(
        bad("!Cidr [10.0.0.0/24, 300, 2]"),
        "t.yaml: at /Resources/R/Properties/P/Fn::Cidr/1: the count must be an integer from 1 to 256"
    );
}

#[test]
fn condition_cycles_and_deep_chains_stop() {
    let cycle = "Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  R: {Type: AWS::X::Y}\n";
    assert_eq!(
        error(cycle),
        "t.yaml: at /Conditions/B/Not/Condition: the conditions form a cycle: A -> B -> A"
            .replace("/Not/", "/Fn::Not/0/")
    );
    let mut deep = String::from("Conditions:\n");
    for i in 0..200 {
        deep.push_str(&format!("  C{i}: !Condition C{}\n", i + 1));
    }
    deep.push_str("  C200: !Equals [a, a]\nResources:\n  R: {Type: AWS::X::Y}\n");
    assert!(error(&deep).contains("conditions refer to conditions more than 64 deep"));
}

#[test]
fn deeply_nested_intrinsics_do_not_overflow() {
    let mut value = String::from("x");
    for _ in 0..60 {
        value = format!("!Join ['', [{value}]]");
    }
    assert_eq!(prop("", &value), s("x"));
}

#[test]
fn conditions_that_share_conditions_are_evaluated_once_per_assumption() {
    // Each condition refers to the next one twice: 2^40 paths, 41 conditions.
    let mut yaml = String::from("Parameters:\n  Open: {Type: String}\nConditions:\n");
    for i in 0..40 {
        yaml.push_str(&format!(
            "  C{i}: !And [!Condition C{next}, !Not [!Not [!Condition C{next}]]]\n",
            next = i + 1
        ));
    }
    yaml.push_str("  C40: !Equals [!Ref Open, yes]\n  Other: !Equals [!Ref Open, no]\n");
    yaml.push_str("Resources:\n  R:\n    Type: AWS::X::Y\n    Condition: Other\n    Properties:\n      P: !If [C0, a, b]\n");
    let d = load(&yaml);
    assert_eq!(
        d.resources[0].properties["P"].to_string(),
        "(if C0: a; else: b)"
    );
}
