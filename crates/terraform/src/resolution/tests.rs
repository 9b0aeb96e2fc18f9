use std::path::Path;

use serde_json::json;

use super::*;

fn read(json: Json) -> Result<Resolution, Error> {
    let cx = Cx {
        path: Path::new("plan.json"),
    };
    Resolution::read(cx, &json, &Pointer::root().key(RESOLUTION_KEY))
}

fn example() -> Resolution {
    Resolution {
        rounds: 3,
        actions: BTreeMap::from([(
            "module.a[\"k\"].aws_lb_listener.http[0]".to_owned(),
            vec!["create".to_owned()],
        )]),
        invented: BTreeMap::from([(
            "module.a[\"k\"].aws_lb_listener.http[0]".to_owned(),
            vec![
                vec![Segment::Key("arn".to_owned())],
                vec![
                    Segment::Key("default_action".to_owned()),
                    Segment::Index(0),
                    Segment::Key("order".to_owned()),
                ],
            ],
        )]),
        substitutes: BTreeMap::from([(
            "aws_eip.nat[0]".to_owned(),
            vec![(
                vec![Segment::Key("public_ip".to_owned())],
                "192.0.2.1".to_owned(),
            )],
        )]),
        unresolved: BTreeMap::from([(
            "aws_sns_topic.t".to_owned(),
            vec![(
                vec![Segment::Key("arn".to_owned())],
                "left out of the placeholder state: refused".to_owned(),
            )],
        )]),
        resolved: 7,
    }
}

#[test]
fn the_record_round_trips() {
    let json = example().to_json();
    assert_eq!(
        json,
        json!({
            "version": 2,
            "rounds": 3,
            "resolved": 7,
            "actions": {"module.a[\"k\"].aws_lb_listener.http[0]": ["create"]},
            "invented": {"module.a[\"k\"].aws_lb_listener.http[0]": [["arn"], ["default_action", 0, "order"]]},
            "substitutes": {"aws_eip.nat[0]": [{"path": ["public_ip"], "value": "192.0.2.1"}]},
            "unresolved": {"aws_sns_topic.t": [{"path": ["arn"], "reason": "left out of the placeholder state: refused"}]},
        })
    );
    assert_eq!(read(json).unwrap(), example());
}

#[test]
fn a_version_1_record_has_no_substitutes_and_nothing_unresolved() {
    let record = json!({"version": 1, "rounds": 2, "substitutes": {"aws_x.y": 3}});
    assert_eq!(
        read(record).unwrap(),
        Resolution {
            rounds: 2,
            ..Resolution::default()
        }
    );
}

#[test]
fn invented_paths_join_the_unknown_mask() {
    let resolution = example();
    let address = "module.a[\"k\"].aws_lb_listener.http[0]";
    let after = json!({"arn": "x", "default_action": [{"forward": [], "order": 1}]});
    let mask = json!({"default_action": [{"forward": []}], "tags_all": true});
    assert_eq!(
        resolution.unknown_mask(address, Some(&after), Some(&mask)),
        Some(json!({
            "arn": true,
            "default_action": [{"forward": [], "order": true}],
            "tags_all": true,
        }))
    );
    assert_eq!(
        resolution.unknown_mask(address, Some(&after), None),
        Some(json!({"arn": true, "default_action": [{"order": true}]}))
    );
    assert_eq!(
        resolution.unknown_mask("aws_x.other", Some(&after), Some(&mask)),
        None
    );
    // What the value does not have is not marked: no mask for a list
    // index far beyond the list.
    let far = Resolution {
        invented: BTreeMap::from([(
            address.to_owned(),
            vec![vec![
                Segment::Key("default_action".to_owned()),
                Segment::Index(1 << 40),
                Segment::Key("order".to_owned()),
            ]],
        )]),
        ..Resolution::default()
    };
    assert_eq!(
        far.unknown_mask(address, Some(&after), None),
        Some(json!({}))
    );
}

#[test]
fn malformed_records_name_the_place() {
    let cases = [
        (
            json!([]),
            "/iac_parity_resolution: expected an object, found an array",
        ),
        (
            json!({}),
            "/iac_parity_resolution/version: missing: expected a version number",
        ),
        (
            json!({"version": 3}),
            "/iac_parity_resolution/version: unsupported version 3: iac-parity reads versions 1 to 2",
        ),
        (
            json!({"version": 2, "substitutes": {"aws_x.y": [{"path": ["ip"]}]}}),
            "/iac_parity_resolution/substitutes/aws_x.y/0/value: missing: expected a string",
        ),
        (
            json!({"version": 2, "unresolved": {"aws_x.y": [{"path": [], "reason": "r"}]}}),
            "/iac_parity_resolution/unresolved/aws_x.y/0/path: an empty path: expected an attribute first",
        ),
        (
            json!({"version": 2, "resolved": "many"}),
            "/iac_parity_resolution/resolved: expected a number of values, found a string",
        ),
        (
            json!({"version": 1, "rounds": -1}),
            "/iac_parity_resolution/rounds: expected a number of rounds, found a number",
        ),
        (
            json!({"version": 1, "actions": {"nope": ["create"]}}),
            "/iac_parity_resolution/actions/nope: \"nope\" is not the address of a managed resource instance",
        ),
        (
            json!({"version": 1, "actions": {"aws_x.y": "create"}}),
            "/iac_parity_resolution/actions/aws_x.y: expected an array, found a string",
        ),
        (
            json!({"version": 1, "invented": {"aws_x.y": [[]]}}),
            "/iac_parity_resolution/invented/aws_x.y/0: an empty path: expected an attribute first",
        ),
        (
            json!({"version": 1, "invented": {"aws_x.y": [["a", 1.5]]}}),
            "/iac_parity_resolution/invented/aws_x.y/0/1: expected a list index, found 1.5",
        ),
        (
            json!({"version": 1, "invented": {"data.aws_x.y": [["a"]]}}),
            "/iac_parity_resolution/invented/data.aws_x.y: \"data.aws_x.y\" is not the address of a managed resource instance",
        ),
    ];
    for (json, expected) in cases {
        let err = read(json).unwrap_err().to_string();
        assert_eq!(err, format!("plan.json: at {expected}"));
    }
}
