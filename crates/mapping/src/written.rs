//! The table read backwards: where a CloudFormation property is written in
//! a Terraform resource (the blocks and the attribute), so that a fix can be
//! written in the configuration's own terms.

use std::collections::BTreeMap;

use crate::table::{PropertyMapping, Shape, TerraformType};

/// One step of where a property is written in a Terraform resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written<'t> {
    /// A nested block (`health_check { … }`).
    Block(&'t str),
    /// One block of a repeated block (`volume { … }` of a task
    /// definition): the item of a list of objects, `*` in the path.
    Item(&'t str),
    /// The attribute that holds the value (`path = …`); the last step.
    Attribute(&'t str),
    /// An attribute whose values the two sides spell differently
    /// (Terraform's `internal = true` is `Scheme: internal`): Terraform's
    /// spelling → CloudFormation's (`null`: not set); the last step.
    Spelled {
        name: &'t str,
        values: &'t BTreeMap<String, serde_json::Value>,
    },
    /// A whole nested block that holds the value, its sub-attributes named
    /// by `properties` (CloudFormation name → Terraform name); the last
    /// step.
    WholeBlock {
        name: &'t str,
        properties: BTreeMap<&'t str, &'t str>,
    },
}

impl TerraformType {
    /// Where the property at `path` (CloudFormation names, outermost
    /// first, `*` for an item of a list: `Volumes`, `*`,
    /// `EFSVolumeConfiguration`) is written in a resource of this type;
    /// `None` when the table
    /// does not map it, or maps it in a way that cannot be written back
    /// (a key inside a map the table keeps as it is).
    pub fn written(&self, path: &[&str]) -> Option<Vec<Written<'_>>> {
        written_in(&self.properties, path)
    }
}

fn written_in<'t>(
    properties: &'t BTreeMap<String, PropertyMapping>,
    path: &[&str],
) -> Option<Vec<Written<'t>>> {
    // Of several arguments that write the property (`value` and
    // `insecure_value` of a parameter), the one named as it.
    if let [property] = path
        && let Some((name, _)) = properties.iter().find(|(name, m)| {
            matches!(m, PropertyMapping::Rename(to) if to == property)
                && name.replace('_', "").eq_ignore_ascii_case(property)
        })
    {
        return Some(vec![Written::Attribute(name)]);
    }
    for (name, mapping) in properties {
        match mapping {
            PropertyMapping::Rename(to) => {
                if path == [to.as_str()] {
                    return Some(vec![Written::Attribute(name)]);
                }
            }
            PropertyMapping::Full(full) => {
                let Some(to) = &full.to else {
                    if full.shape == Shape::Flatten
                        && let Some(mut inner) = written_in(&full.properties, path)
                    {
                        inner.insert(0, Written::Block(name));
                        return Some(inner);
                    }
                    continue;
                };
                let segments = to.segments();
                if !path.starts_with(&segments) {
                    continue;
                }
                let rest = &path[segments.len()..];
                match (full.shape, rest.is_empty()) {
                    (Shape::Block, true) => {
                        let properties = full
                            .properties
                            .iter()
                            .filter_map(|(tf, m)| match m {
                                PropertyMapping::Rename(cfn) => Some((cfn.as_str(), tf.as_str())),
                                PropertyMapping::Full(_) => None,
                            })
                            .collect();
                        return Some(vec![Written::WholeBlock { name, properties }]);
                    }
                    (Shape::Block, false) => {
                        let mut inner = written_in(&full.properties, rest)?;
                        inner.insert(0, Written::Block(name));
                        return Some(inner);
                    }
                    (Shape::Blocks, false) if rest[0] == "*" => {
                        let mut inner = if rest.len() == 1 {
                            Vec::new()
                        } else {
                            written_in(&full.properties, &rest[1..])?
                        };
                        inner.insert(0, Written::Item(name));
                        return Some(inner);
                    }
                    (Shape::Same, true) if full.values.is_empty() => {
                        return Some(vec![Written::Attribute(name)]);
                    }
                    (Shape::Same, true) => {
                        return Some(vec![Written::Spelled {
                            name,
                            values: &full.values,
                        }]);
                    }
                    _ => return None,
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Table;

    #[test]
    fn properties_are_found_where_terraform_writes_them() {
        let table = Table::builtin().unwrap();
        let tg = table.terraform_type("aws_lb_target_group").unwrap();
        assert_eq!(
            tg.written(&["HealthCheckPath"]),
            Some(vec![
                Written::Block("health_check"),
                Written::Attribute("path")
            ])
        );
        let ap = table.terraform_type("aws_efs_access_point").unwrap();
        assert_eq!(
            ap.written(&["PosixUser", "Uid"]),
            Some(vec![
                Written::Block("posix_user"),
                Written::Attribute("uid")
            ])
        );
        let service = table.terraform_type("aws_ecs_service").unwrap();
        let Some(steps) = service.written(&["DeploymentConfiguration", "DeploymentCircuitBreaker"])
        else {
            panic!("the circuit breaker is mapped");
        };
        assert!(matches!(
            &steps[..],
            [Written::WholeBlock { name: "deployment_circuit_breaker", properties }]
                if properties.get("Enable") == Some(&"enable")
        ));
        assert_eq!(tg.written(&["NoSuchProperty"]), None);
        // `value` and `insecure_value` both write `Value`.
        let parameter = table.terraform_type("aws_ssm_parameter").unwrap();
        assert_eq!(
            parameter.written(&["Value"]),
            Some(vec![Written::Attribute("value")])
        );
    }

    #[test]
    fn items_of_lists_are_blocks_of_repeated_blocks() {
        let table = Table::builtin().unwrap();
        let td = table.terraform_type("aws_ecs_task_definition").unwrap();
        assert_eq!(
            td.written(&[
                "Volumes",
                "*",
                "EFSVolumeConfiguration",
                "TransitEncryption"
            ]),
            Some(vec![
                Written::Item("volume"),
                Written::Block("efs_volume_configuration"),
                Written::Attribute("transit_encryption")
            ])
        );
        assert_eq!(
            td.written(&["Volumes", "*"]),
            Some(vec![Written::Item("volume")])
        );
        // A list's item is named by `*`, not by a property.
        assert_eq!(td.written(&["Volumes", "Name"]), None);
        let rule = table.terraform_type("aws_lb_listener_rule").unwrap();
        assert_eq!(
            rule.written(&["Conditions", "*", "PathPatternConfig", "Values"]),
            Some(vec![
                Written::Item("condition"),
                Written::Block("path_pattern"),
                Written::Attribute("values")
            ])
        );
    }
}
