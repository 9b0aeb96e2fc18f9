//! env: every environment variable of every container, by name.

use parity_model::{Area, Finding, Severity, Status};

use super::{KeyedList, Twins};

const TASK_DEFINITION: &str = "AWS::ECS::TaskDefinition";

/// Compares the containers of twin task definitions: a container on one side
/// only misses all its variables on the other; within containers on both sides, each
/// `Environment` entry is compared by `Name`.
pub fn compare(twins: &Twins<'_>, out: &mut Vec<Finding>) {
    if twins.terraform.canonical_type != TASK_DEFINITION {
        return;
    }
    let tf = twins.terraform.properties.get("ContainerDefinitions");
    let cfn = twins.cloudformation.properties.get("ContainerDefinitions");
    let (Some(tf_containers), Some(cfn_containers)) =
        (super::keyed(tf, "Name"), super::keyed(cfn, "Name"))
    else {
        // Terraform leaves all container definitions unknown when any value
        // in them is: no variable can be compared.
        let status = Status::Unverifiable;
        out.push(twins.finding(
            Area::Env,
            Severity::Consider,
            status,
            "ContainerDefinitions".to_owned(),
            tf,
            cfn,
        ));
        return;
    };
    let names: std::collections::BTreeSet<&String> =
        tf_containers.keys().chain(cfn_containers.keys()).collect();
    for name in names {
        let attribute = format!("ContainerDefinitions[{name}]");
        match (tf_containers.get(name), cfn_containers.get(name)) {
            (Some(t), Some(c)) => {
                let list = KeyedList {
                    area: Area::Env,
                    attribute: format!("{attribute}.Environment"),
                    key: "Name",
                    field: Some("Value"),
                    severity,
                };
                twins.keyed_lists(&list, t.get("Environment"), c.get("Environment"), out);
            }
            (t, c) => {
                let status = if t.is_some() {
                    Status::OnlyInTerraform
                } else {
                    Status::OnlyInCdk
                };
                out.push(twins.finding(
                    Area::Ecs,
                    Severity::MustFix,
                    status,
                    attribute,
                    t.copied(),
                    c.copied(),
                ));
            }
        }
    }
}

/// A variable the application expects and does not get breaks it; a
/// different value usually changes behaviour without breaking it.
fn severity(status: Status) -> Severity {
    match status {
        Status::OnlyInTerraform | Status::OnlyInCdk => Severity::MustFix,
        Status::Differs => Severity::ShouldFix,
        Status::Unverifiable => Severity::Consider,
    }
}
