//! The mapping table's data types.

use std::collections::BTreeMap;

use parity_model::Area;
use serde::Deserialize;

use crate::Error;

const BUILTIN: &str = include_str!("../mapping.yaml");

/// The `version` of the table format this code reads.
const FORMAT_VERSION: u32 = 1;

/// How every known Terraform type becomes CloudFormation.
#[derive(Debug, Clone)]
pub struct Table {
    types: BTreeMap<String, TypeMapping>,
}

/// How one Terraform type becomes one CloudFormation type.
#[derive(Debug, Clone)]
pub struct TypeMapping {
    pub terraform: String,
    pub cloudformation: String,
    pub area: Area,
    pub identity: Vec<String>,
    pub ref_attribute: Option<String>,
    pub get_att: BTreeMap<String, String>,
    /// Terraform attribute → how it becomes a property.
    pub properties: BTreeMap<String, PropertyMapping>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyMapping {
    pub to: String,
    pub shape: Shape,
    pub keep_keys_under: Vec<String>,
}

/// How a Terraform value is reshaped into CloudFormation's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Taken as it is.
    #[default]
    Same,
    /// Map keys written PascalCase (ECS and IAM API documents).
    PascalKeys,
}

impl Table {
    /// The table compiled into the binary.
    pub fn builtin() -> Result<Table, Error> {
        Table::parse(BUILTIN)
    }

    pub fn parse(text: &str) -> Result<Table, Error> {
        let file: raw::File = yaml_serde::from_str(text)?;
        if file.version != FORMAT_VERSION {
            return Err(Error::Version {
                found: file.version,
                expected: FORMAT_VERSION,
            });
        }
        let mut types = BTreeMap::new();
        for (terraform, raw) in file.types {
            let area = Area::parse(&raw.area).ok_or_else(|| Error::Invalid {
                terraform_type: terraform.clone(),
                message: format!("unknown area {:?}", raw.area),
            })?;
            let properties = raw
                .properties
                .into_iter()
                .map(|(attribute, p)| {
                    let mapping = match p {
                        raw::Property::Rename(to) => PropertyMapping {
                            to,
                            shape: Shape::Same,
                            keep_keys_under: Vec::new(),
                        },
                        raw::Property::Full {
                            to,
                            shape,
                            keep_keys_under,
                        } => PropertyMapping {
                            to,
                            shape,
                            keep_keys_under,
                        },
                    };
                    (attribute, mapping)
                })
                .collect();
            let mapping = TypeMapping {
                terraform: terraform.clone(),
                cloudformation: raw.cloudformation,
                area,
                identity: raw.identity,
                ref_attribute: raw.r#ref,
                get_att: raw.get_att,
                properties,
            };
            types.insert(terraform, mapping);
        }
        Ok(Table { types })
    }

    pub fn terraform_type(&self, terraform_type: &str) -> Option<&TypeMapping> {
        self.types.get(terraform_type)
    }

    /// The mapping whose CloudFormation side is `cloudformation_type`.
    pub fn cloudformation_type(&self, cloudformation_type: &str) -> Option<&TypeMapping> {
        self.types
            .values()
            .find(|m| m.cloudformation == cloudformation_type)
    }

    pub fn types(&self) -> impl Iterator<Item = &TypeMapping> {
        self.types.values()
    }
}

impl TypeMapping {
    /// The Terraform attribute that holds what CloudFormation's `Ref`
    /// (`attribute` = `None`) or `Fn::GetAtt` returns.
    pub fn terraform_attribute_for(&self, attribute: Option<&str>) -> Option<&str> {
        match attribute {
            None => self.ref_attribute.as_deref(),
            Some(name) => self.get_att.get(name).map(String::as_str),
        }
    }
}

/// The file's shape, as written.
mod raw {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::Shape;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct File {
        pub version: u32,
        pub types: BTreeMap<String, Type>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Type {
        pub cloudformation: String,
        pub area: String,
        #[serde(default)]
        pub identity: Vec<String>,
        #[serde(default)]
        pub r#ref: Option<String>,
        #[serde(default)]
        pub get_att: BTreeMap<String, String>,
        #[serde(default)]
        pub properties: BTreeMap<String, Property>,
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    pub enum Property {
        Rename(String),
        Full {
            to: String,
            #[serde(default)]
            shape: Shape,
            #[serde(default)]
            keep_keys_under: Vec<String>,
        },
    }
}
