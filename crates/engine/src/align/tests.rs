use std::path::Path;

use parity_mapping::{Entity, Table};
use parity_model::{Area, Map, ResourceId, Value};

use super::*;

fn entity(id: ResourceId, canonical_type: &str, properties: Vec<(&str, Value)>) -> Entity {
    Entity {
        id,
        source_type: String::new(),
        canonical_type: canonical_type.into(),
        area: Area::Other,
        properties: properties
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<Map>(),
        action: None,
        construct_path: None,
        folded: Vec::new(),
    }
}

fn tf(address: &str, ty: &str, properties: Vec<(&str, Value)>) -> Entity {
    let mut e = entity(
        ResourceId::Terraform {
            address: address.into(),
        },
        ty,
        properties,
    );
    e.source_type = "aws_efs_mount_target".into();
    e
}

fn cfn(logical_id: &str, ty: &str, properties: Vec<(&str, Value)>) -> Entity {
    entity(
        ResourceId::CloudFormation {
            stack: "Stack".into(),
            logical_id: logical_id.into(),
        },
        ty,
        properties,
    )
}

const MOUNT_TARGET: &str = "AWS::EFS::MountTarget";

fn mount_targets() -> (Vec<Entity>, Vec<Entity>) {
    let subnet = |s: &str| ("SubnetId", Value::from(s));
    (
        vec![
            tf(
                "aws_efs_mount_target.a",
                MOUNT_TARGET,
                vec![subnet("subnet-a"), ("IpAddress", Value::from("10.0.0.5"))],
            ),
            tf(
                "aws_efs_mount_target.b",
                MOUNT_TARGET,
                vec![subnet("subnet-b"), ("IpAddress", Value::from("10.0.1.5"))],
            ),
            tf(
                "aws_efs_mount_target.c",
                MOUNT_TARGET,
                vec![subnet("subnet-c")],
            ),
        ],
        vec![
            cfn(
                "MountTargetOne",
                MOUNT_TARGET,
                vec![subnet("subnet-b"), ("IpAddress", Value::from("10.0.1.5"))],
            ),
            cfn(
                "MountTargetTwo",
                MOUNT_TARGET,
                vec![subnet("subnet-a"), ("IpAddress", Value::from("10.0.0.5"))],
            ),
            cfn(
                "MountTargetThree",
                MOUNT_TARGET,
                vec![subnet("subnet-z"), ("IpAddress", Value::from("10.9.9.9"))],
            ),
        ],
    )
}

/// The pairs as (Terraform address, logical ID, method).
fn named(
    alignment: &Alignment,
    terraform: &[Entity],
    cloudformation: &[Entity],
) -> Vec<(String, String, PairMethod)> {
    let mut pairs: Vec<_> = alignment
        .pairs
        .iter()
        .map(|p| {
            (
                terraform[p.terraform].id.to_string(),
                cloudformation[p.cloudformation].id.to_string(),
                p.method,
            )
        })
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

#[test]
fn similarity_pairs_by_properties_and_leaves_the_unlike_unpaired() {
    let table = Table::builtin().unwrap();
    let (t, c) = mount_targets();
    let alignment = align(
        &table,
        &Names::builtin().unwrap(),
        &Config::default(),
        &t,
        &c,
    );
    assert_eq!(
        named(&alignment, &t, &c),
        vec![
            (
                "aws_efs_mount_target.a".into(),
                "Stack/MountTargetTwo".into(),
                PairMethod::Similarity
            ),
            (
                "aws_efs_mount_target.b".into(),
                "Stack/MountTargetOne".into(),
                PairMethod::Similarity
            ),
        ]
    );
    assert_eq!(alignment.only_terraform, vec![2]);
    assert_eq!(alignment.only_cloudformation, vec![2]);
}

#[test]
fn the_order_of_the_inputs_changes_nothing() {
    let table = Table::builtin().unwrap();
    let (t, c) = mount_targets();
    let expected = named(
        &align(
            &table,
            &Names::builtin().unwrap(),
            &Config::default(),
            &t,
            &c,
        ),
        &t,
        &c,
    );
    let (mut t2, mut c2) = (t.clone(), c.clone());
    t2.reverse();
    c2.rotate_left(1);
    assert_eq!(
        named(
            &align(
                &table,
                &Names::builtin().unwrap(),
                &Config::default(),
                &t2,
                &c2
            ),
            &t2,
            &c2
        ),
        expected
    );
}

#[test]
fn explicit_pairs_come_first_and_identity_before_similarity() {
    let table = Table::builtin().unwrap();
    let (t, c) = mount_targets();
    let config = Config::parse(
        "pairs:\n  - terraform: aws_efs_mount_target.c\n    cloudformation: MountTargetThree\n    reason: moved subnet\n",
        Path::new("parity.yaml"),
    )
    .unwrap();
    let alignment = align(&table, &Names::builtin().unwrap(), &config, &t, &c);
    let pairs = named(&alignment, &t, &c);
    assert!(pairs.contains(&(
        "aws_efs_mount_target.c".into(),
        "Stack/MountTargetThree".into(),
        PairMethod::Explicit
    )));
    assert_eq!(pairs.len(), 3);

    let roles = (
        vec![tf(
            "aws_iam_role.a",
            "AWS::IAM::Role",
            vec![("RoleName", Value::from("api"))],
        )],
        vec![cfn(
            "Role",
            "AWS::IAM::Role",
            vec![
                ("RoleName", Value::from("api")),
                ("Path", Value::from("/x/")),
            ],
        )],
    );
    let alignment = align(
        &table,
        &Names::builtin().unwrap(),
        &Config::default(),
        &roles.0,
        &roles.1,
    );
    assert_eq!(alignment.pairs[0].method, PairMethod::Identity);
}

#[test]
fn an_explicit_pair_that_matches_nothing_is_noted() {
    let table = Table::builtin().unwrap();
    let (t, c) = mount_targets();
    let config = Config::parse(
        "pairs:\n  - terraform: aws_lb.gone\n    cloudformation: Gone\n",
        Path::new("parity.yaml"),
    )
    .unwrap();
    let alignment = align(&table, &Names::builtin().unwrap(), &config, &t, &c);
    assert_eq!(alignment.notes.len(), 1, "{:?}", alignment.notes);
}

#[test]
fn a_block_too_large_to_score_whole_is_split_into_candidate_groups() {
    let table = Table::builtin().unwrap();
    let n = 3 * MAX_BLOCK;
    let subnet = |i: usize| ("SubnetId", Value::from(format!("subnet-{i:04}").as_str()));
    let ip = |i: usize| {
        (
            "IpAddress",
            Value::from(format!("10.0.{}.{}", i / 200, i % 200).as_str()),
        )
    };
    let t: Vec<Entity> = (0..n)
        .map(|i| {
            tf(
                &format!("aws_efs_mount_target.m[{i}]"),
                MOUNT_TARGET,
                vec![subnet(i), ip(i)],
            )
        })
        .collect();
    // The template lists them in another order.
    let c: Vec<Entity> = (0..n)
        .rev()
        .map(|i| {
            cfn(
                &format!("MountTarget{i}"),
                MOUNT_TARGET,
                vec![subnet(i), ip(i)],
            )
        })
        .collect();
    let alignment = align(
        &table,
        &Names::builtin().unwrap(),
        &Config::default(),
        &t,
        &c,
    );
    assert_eq!(alignment.pairs.len(), n, "{:?}", alignment.notes);
    for pair in &alignment.pairs {
        let i = pair.terraform;
        assert_eq!(
            c[pair.cloudformation].id.to_string(),
            format!("Stack/MountTarget{i}")
        );
    }
}

#[test]
fn a_large_block_groups_twins_by_the_neighbours_that_refer_to_them() {
    // More services than one block holds, each paired by its name, each
    // referring to a role; the roles are all alike and their names say
    // nothing: only the services that refer to them tell which is which.
    let table = Table::builtin().unwrap();
    let n = 2 * MAX_BLOCK;
    let service = "AWS::ECS::Service";
    let role = "AWS::IAM::Role";
    let policy = || {
        (
            "AssumeRolePolicyDocument",
            Value::from("ecs-tasks.amazonaws.com"),
        )
    };
    let mut t: Vec<Entity> = Vec::new();
    let mut c: Vec<Entity> = Vec::new();
    for i in 0..n {
        let mut s = tf(
            &format!("aws_ecs_service.s[{i}]"),
            service,
            vec![
                ("ServiceName", Value::from(format!("svc-{i}").as_str())),
                (
                    "Role",
                    Value::Unknown(parity_model::Unknown {
                        refs: vec![format!("aws_iam_role.r[{i}]")],
                        reason: None,
                    }),
                ),
            ],
        );
        s.source_type = "aws_ecs_service".into();
        t.push(s);
        let mut r = tf(&format!("aws_iam_role.r[{i}]"), role, vec![policy()]);
        r.source_type = "aws_iam_role".into();
        t.push(r);
    }
    // The template lists them in another order.
    for i in (0..n).rev() {
        c.push(cfn(
            &format!("Service{i}"),
            service,
            vec![
                ("ServiceName", Value::from(format!("svc-{i}").as_str())),
                (
                    "Role",
                    Value::Ref(parity_model::Ref {
                        target: format!("Role{i}"),
                        attribute: Some("Arn".into()),
                    }),
                ),
            ],
        ));
        c.push(cfn(&format!("Role{i}"), role, vec![policy()]));
    }
    let alignment = align(
        &table,
        &Names::builtin().unwrap(),
        &Config::default(),
        &t,
        &c,
    );
    let roles: Vec<_> = named(&alignment, &t, &c)
        .into_iter()
        .filter(|(address, _, _)| address.starts_with("aws_iam_role."))
        .collect();
    assert_eq!(roles.len(), n, "{:?}", alignment.notes);
    for (address, logical_id, method) in roles {
        let i = address
            .trim_start_matches("aws_iam_role.r[")
            .trim_end_matches(']');
        assert_eq!(logical_id, format!("Stack/Role{i}"));
        assert_eq!(method, PairMethod::Similarity);
    }
}

#[test]
fn a_kept_property_score_is_read_again_once_a_reference_has_a_twin() {
    let table = Table::builtin().unwrap();
    // The mount target's file system is known after apply, computed from
    // the file system; the template's refers to its file system.
    let unknown = Value::Unknown(parity_model::Unknown {
        refs: vec!["aws_efs_file_system.fs".into()],
        reason: None,
    });
    let terraform = vec![
        tf(
            "aws_efs_mount_target.a",
            MOUNT_TARGET,
            vec![("FileSystemId", unknown)],
        ),
        tf("aws_efs_file_system.fs", "AWS::EFS::FileSystem", vec![]),
    ];
    let cloudformation = vec![
        cfn(
            "MountA",
            MOUNT_TARGET,
            vec![(
                "FileSystemId",
                Value::Ref(parity_model::Ref::resource("Fs")),
            )],
        ),
        cfn("Fs", "AWS::EFS::FileSystem", vec![]),
    ];
    let memo = similarity::Memo::new(&terraform);
    let score = |refs: &References<'_>| {
        memo.score(
            (0, &terraform[0]),
            (0, &cloudformation[0]),
            memo.paired_references(0, refs),
            refs,
        )
    };
    let before = References::new(&table, &terraform, &cloudformation, &Alignment::default());
    let unpaired = score(&before);
    let alignment = Alignment {
        pairs: vec![Pair {
            terraform: 1,
            cloudformation: 1,
            method: PairMethod::Explicit,
            confidence: 1.0,
            evidence: Evidence::default(),
        }],
        ..Alignment::default()
    };
    let after = References::new(&table, &terraform, &cloudformation, &alignment);
    let paired = score(&after);
    assert_eq!(
        paired,
        similarity::score(&terraform[0], &cloudformation[0], &after)
    );
    assert!(paired > unpaired, "{paired} > {unpaired}");
    // Kept, and read again, as often as asked.
    assert_eq!(score(&after), paired);
    assert_eq!(score(&before), unpaired);
}

#[test]
fn adjacent_words_one_side_writes_as_one_are_that_word() {
    let names = Names::builtin().unwrap();
    const SECRET: &str = "AWS::SecretsManager::Secret";
    let terraform = vec![
        tf(
            "module.base.aws_efs_mount_target.litellm_master_salt",
            SECRET,
            vec![],
        ),
        tf("module.base.aws_efs_mount_target.web_app", SECRET, vec![]),
    ];
    let cloudformation = vec![
        cfn("LiteLLMSecretABE227BC", SECRET, vec![]),
        cfn("WebappKey0A1B2C3D", SECRET, vec![]),
    ];
    let (tf_words, cfn_words) = words(&names, &terraform, &cloudformation);
    let list = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>();
    // CDK's `LiteLLM` is Terraform's `litellm`, and Terraform's `web_app`
    // is CDK's `Webapp`: the parts are read as the one word, not besides.
    assert_eq!(list(&cfn_words[0]), vec!["litellm"]);
    assert_eq!(
        list(&tf_words[0]),
        vec!["base", "litellm", "master", "salt"]
    );
    assert_eq!(list(&tf_words[1]), vec!["base", "webapp"]);
    assert_eq!(list(&cfn_words[1]), vec!["key", "webapp"]);
}
