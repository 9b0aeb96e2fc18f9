use parity_model::ConfigStep::{self, Item, Key};

use super::*;

fn paths(terraform_type: &str, attribute: &str) -> Vec<Vec<ConfigStep>> {
    terraform_paths(&Table::builtin().unwrap(), terraform_type, attribute)
}

fn steps(text: &[&str]) -> Vec<ConfigStep> {
    text.iter()
        .map(|s| match s.strip_prefix('[') {
            Some(item) => Item(item.trim_end_matches(']').to_owned()),
            None => Key((*s).to_owned()),
        })
        .collect()
}

#[test]
fn canonical_attributes_are_read_back_to_terraform_paths() {
    assert_eq!(
        paths("aws_lb_target_group", "HealthCheckPath")[0],
        steps(&["health_check", "path"])
    );
    assert_eq!(
        paths(
            "aws_ecs_task_definition",
            "ContainerDefinitions[api].Environment[LOG_LEVEL]"
        )[0],
        steps(&[
            "container_definitions",
            "[api]",
            "Environment",
            "[LOG_LEVEL]"
        ])
    );
    assert_eq!(
        paths("aws_efs_access_point", "PosixUser.Uid")[0],
        steps(&["posix_user", "uid"])
    );
    assert_eq!(
        paths(
            "aws_ecs_service",
            "DeploymentConfiguration.DeploymentCircuitBreaker"
        )[0],
        steps(&["deployment_circuit_breaker"])
    );
    // A key of an attribute list that holds dots.
    assert_eq!(
        paths(
            "aws_lb_target_group",
            "TargetGroupAttributes[stickiness.enabled]"
        )[0],
        steps(&["stickiness", "enabled"])
    );
    assert_eq!(
        paths(
            "aws_lb_target_group",
            "TargetGroupAttributes[deregistration_delay.timeout_seconds]"
        )[0],
        steps(&["deregistration_delay"])
    );
    // A list of blocks, by the item's key.
    assert_eq!(
        paths(
            "aws_ecs_task_definition",
            "Volumes[data].EFSVolumeConfiguration.FilesystemId"
        )[0],
        steps(&[
            "volume",
            "[data]",
            "efs_volume_configuration",
            "file_system_id"
        ])
    );
    assert_eq!(
        paths("aws_ecs_task_definition", "NoSuchProperty"),
        Vec::<Vec<_>>::new()
    );
    assert_eq!(paths("aws_no_such_type", "Cpu"), Vec::<Vec<_>>::new());
}

#[test]
fn a_folded_piece_holds_what_it_gives_its_parent() {
    let table = Table::builtin().unwrap();
    assert_eq!(
        folded_paths(
            &table,
            "aws_iam_role_policy",
            "Policies.Statement[Allow s3:getobject]"
        )[0],
        steps(&["policy", "Statement", "[Allow s3:getobject]"])
    );
    assert_eq!(
        folded_paths(&table, "aws_iam_role_policy", "RoleName"),
        Vec::<Vec<_>>::new()
    );
}

#[test]
fn brackets_nest_and_hold_dots() {
    assert_eq!(
        tokens("A.B[k].C[x.y[0]]"),
        vec![
            Token::Name("A".into()),
            Token::Name("B".into()),
            Token::Select("k".into()),
            Token::Name("C".into()),
            Token::Select("x.y[0]".into()),
        ]
    );
}
