//! The inventory: what a loader made of one input, resource by resource.

use std::io;

use parity_model::{Resource, ResourceId, Side, Value};
use serde::Serialize;
use tabled::builder::Builder;

use crate::text::{write_markdown_table, write_table};
use crate::{Error, Format};

/// The resources loaded from one input.
pub struct Inventory<'a> {
    pub side: Side,
    /// The input as the user named it.
    pub input: &'a str,
    pub resources: &'a [Resource],
}

#[derive(Serialize)]
struct JsonInventory<'a> {
    schema_version: u32,
    input: &'a str,
    side: &'static str,
    resources: Vec<JsonEntry>,
}

#[derive(Serialize)]
struct JsonEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stack: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_id: Option<String>,
    #[serde(rename = "type")]
    resource_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    module: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    construct_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<String>,
    unknown_leaves: usize,
    sensitive_leaves: usize,
    unresolved: Vec<String>,
}

impl Inventory<'_> {
    pub fn render(&self, format: Format, out: &mut dyn io::Write) -> Result<(), Error> {
        match format {
            // An inventory is no test report nor a list of findings: JUnit,
            // GitHub and SARIF fall back to text (the CLI does not offer them
            // for inventories).
            Format::Text | Format::Junit | Format::Github | Format::Sarif => {
                self.text(out, false)?
            }
            Format::Markdown => self.text(out, true)?,
            Format::Json => self.json(out)?,
        }
        Ok(())
    }

    fn text(&self, out: &mut dyn io::Write, markdown: bool) -> io::Result<()> {
        let mut table = Builder::default();
        match self.side {
            Side::Terraform => {
                table.push_record([
                    "Address",
                    "Type",
                    "Module",
                    "Action",
                    "Unknown",
                    "Sensitive",
                ]);
                for r in self.resources {
                    let (unknown, sensitive, _) = leaves(r);
                    table.push_record(
                        [
                            r.id.to_string(),
                            r.resource_type.clone(),
                            r.module.clone().unwrap_or_default(),
                            r.action.map_or("", |a| a.as_str()).to_owned(),
                            unknown.to_string(),
                            sensitive.to_string(),
                        ]
                        .map(shown),
                    );
                }
            }
            Side::CloudFormation => {
                table.push_record([
                    "Stack",
                    "Logical ID",
                    "Type",
                    "Construct path",
                    "Condition",
                    "Unresolved",
                ]);
                for r in self.resources {
                    let (stack, logical_id) = match &r.id {
                        ResourceId::CloudFormation { stack, logical_id } => {
                            (stack.clone(), logical_id.clone())
                        }
                        ResourceId::Terraform { address } => (String::new(), address.clone()),
                    };
                    let (_, _, unresolved) = leaves(r);
                    table.push_record(
                        [
                            stack,
                            logical_id,
                            r.resource_type.clone(),
                            r.construct_path.clone().unwrap_or_default(),
                            r.condition.clone().unwrap_or_default(),
                            unresolved.join(", "),
                        ]
                        .map(shown),
                    );
                }
            }
        }
        if markdown {
            write_markdown_table(out, table)?;
        } else {
            write_table(out, table)?;
        }
        writeln!(out)?;
        writeln!(out, "{} resources in {}", self.resources.len(), self.input)
    }

    fn json(&self, out: &mut dyn io::Write) -> io::Result<()> {
        let resources = self
            .resources
            .iter()
            .map(|r| {
                let (unknown_leaves, sensitive_leaves, unresolved) = leaves(r);
                let (address, stack, logical_id) = match &r.id {
                    ResourceId::Terraform { address } => (Some(address.clone()), None, None),
                    ResourceId::CloudFormation { stack, logical_id } => {
                        (None, Some(stack.clone()), Some(logical_id.clone()))
                    }
                };
                JsonEntry {
                    address,
                    stack,
                    logical_id,
                    resource_type: r.resource_type.clone(),
                    module: r.module.clone(),
                    action: r.action.map(|a| a.as_str()),
                    construct_path: r.construct_path.clone(),
                    condition: r.condition.clone(),
                    unknown_leaves,
                    sensitive_leaves,
                    unresolved,
                }
            })
            .collect();
        let side = match self.side {
            Side::Terraform => "terraform",
            Side::CloudFormation => "cloudformation",
        };
        let document = JsonInventory {
            schema_version: crate::json::SCHEMA_VERSION,
            input: self.input,
            side,
            resources,
        };
        crate::visible::write_json(out, &document)?;
        writeln!(out)
    }
}

/// Unknown leaves, sensitive leaves, and what the unknown parts depend on.
fn leaves(resource: &Resource) -> (usize, usize, Vec<String>) {
    let all = Value::Map(resource.properties.clone());
    (
        all.unknown_leaves(),
        all.sensitive_leaves(),
        all.unknown_refs(),
    )
}

/// A cell as the reader's terminal may show it (see [`crate::visible`]).
fn shown(text: String) -> String {
    crate::visible::visible(&text).into_owned()
}
