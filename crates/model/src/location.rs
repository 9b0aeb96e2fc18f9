//! Where a finding is written in each side's sources, so that a reviewer can
//! go to the line: the template file, line and column for hand-written
//! CloudFormation, the construct path for what the CDK synthesized, the
//! `.tf` file and line of a Terraform attribute, and the source lines a user
//! edits when they are elsewhere (the CDK app's line that made a construct,
//! the module call that built a Terraform resource).

use std::collections::BTreeMap;

use crate::{Finding, FindingSide, ResourceId};

/// Where one side of a finding is written; every part only when known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user named it (relative paths stay relative).
    pub file: Option<String>,
    /// From 1.
    pub line: Option<usize>,
    /// From 1, in characters.
    pub column: Option<usize>,
    /// The CDK construct path (`aws:cdk:path`).
    pub construct_path: Option<String>,
    /// CDK: the line of the app that created the construct (from the
    /// creation trace `cdk synth --debug` records).
    pub source: Option<SourceLine>,
    /// Terraform: for a resource a module builds, the module call in its
    /// caller (the line a user edits); `file`, `line` and `column` are then
    /// inside the module.
    pub module_call: Option<SourceLine>,
}

/// A place in a source file the user edits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SourceLine {
    pub file: String,
    /// From 1.
    pub line: usize,
    /// From 1, in characters.
    pub column: Option<usize>,
}

/// One step of a path into a resource's configuration as its side writes
/// it: what a canonical attribute such as `HealthCheckPath` is in
/// Terraform (`health_check`, `path`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConfigStep {
    /// An argument, a nested block or an object key, by name (compared
    /// without case, `_` or `-`, so that `Environment` finds
    /// `environment`).
    Key(String),
    /// The item of a list (or the one of several nested blocks) whose
    /// values include each word of this text (`api`, `data /mnt/data`): how
    /// a canonical attribute names list items.
    Item(String),
}

/// A line and a column, both from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Where one resource is written, and its top-level properties.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceLocation {
    pub file: Option<String>,
    /// Where the resource starts (its logical ID or block).
    pub position: Option<Position>,
    /// Where each top-level property starts, by name.
    pub properties: BTreeMap<String, Position>,
    pub construct_path: Option<String>,
    /// The line of the CDK app that created the resource.
    pub source: Option<SourceLine>,
    /// The line of the CDK app that set a top-level property, by name, where
    /// that is another line than the resource's.
    pub property_sources: BTreeMap<String, SourceLine>,
}

/// What the loaders know of where resources are written, by resource.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Locations {
    resources: BTreeMap<ResourceId, ResourceLocation>,
}

impl Locations {
    pub fn insert(&mut self, id: ResourceId, location: ResourceLocation) {
        self.resources.insert(id, location);
    }

    pub fn extend(&mut self, other: Locations) {
        self.resources.extend(other.resources);
    }

    pub fn get(&self, id: &ResourceId) -> Option<&ResourceLocation> {
        self.resources.get(id)
    }

    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    /// Where an attribute (a canonical path such as
    /// `ContainerDefinitions[api].Environment[LOG_LEVEL]`) of a resource is
    /// written: its top-level property when that is known, else the
    /// resource. `None` when nothing is known.
    pub fn locate(&self, id: &ResourceId, attribute: &str) -> Option<Location> {
        let known = self.resources.get(id)?;
        let property = attribute.split(['.', '[']).next().filter(|p| !p.is_empty());
        let position = property
            .and_then(|p| known.properties.get(p))
            .or(known.position.as_ref());
        let source = property
            .and_then(|p| known.property_sources.get(p))
            .or(known.source.as_ref());
        let location = Location {
            file: known.file.clone(),
            line: position.map(|p| p.line),
            column: position.map(|p| p.column),
            construct_path: known.construct_path.clone(),
            source: source.cloned(),
            ..Location::default()
        };
        (location != Location::default()).then_some(location)
    }

    /// Fills the location of both sides of each finding, where known.
    pub fn apply<'a>(&self, findings: impl IntoIterator<Item = &'a mut Finding>) {
        for finding in findings {
            self.apply(finding.members.iter_mut());
            let attribute = finding.attribute.clone();
            let sides = [
                (finding.terraform.as_mut(), true),
                (finding.cloudformation.as_mut(), false),
            ];
            for (side, terraform) in sides {
                if let Some(side) = side {
                    side.location = self
                        .locate(&side_id(side, terraform), &attribute)
                        .map(Box::new);
                }
            }
        }
    }
}

fn side_id(side: &FindingSide, terraform: bool) -> ResourceId {
    match (&side.stack, terraform) {
        (Some(stack), false) => ResourceId::CloudFormation {
            stack: stack.clone(),
            logical_id: side.resource.clone(),
        },
        _ => ResourceId::Terraform {
            address: side.resource.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfn(logical_id: &str) -> ResourceId {
        ResourceId::CloudFormation {
            stack: "App".into(),
            logical_id: logical_id.into(),
        }
    }

    #[test]
    fn an_attribute_is_located_at_its_property_else_at_its_resource() {
        let mut locations = Locations::default();
        locations.insert(
            cfn("Task"),
            ResourceLocation {
                file: Some("app.yaml".into()),
                position: Some(Position { line: 4, column: 3 }),
                properties: [("Cpu".to_owned(), Position { line: 7, column: 7 })].into(),
                ..Default::default()
            },
        );
        let at = |attribute: &str| {
            let l = locations.locate(&cfn("Task"), attribute).unwrap();
            (l.line.unwrap(), l.column.unwrap())
        };
        assert_eq!(at("Cpu"), (7, 7));
        assert_eq!(at("Memory"), (4, 3));
        assert_eq!(at(""), (4, 3));
        assert_eq!(locations.locate(&cfn("Other"), "Cpu"), None);
    }

    #[test]
    fn a_construct_path_alone_is_a_location() {
        let mut locations = Locations::default();
        locations.insert(
            cfn("Svc"),
            ResourceLocation {
                construct_path: Some("App/Svc/Resource".into()),
                ..Default::default()
            },
        );
        let l = locations
            .locate(&cfn("Svc"), "ContainerDefinitions[api].Cpu")
            .unwrap();
        assert_eq!(l.file, None);
        assert_eq!(l.line, None);
        assert_eq!(l.construct_path.as_deref(), Some("App/Svc/Resource"));
        locations.insert(cfn("Empty"), ResourceLocation::default());
        assert_eq!(locations.locate(&cfn("Empty"), "Cpu"), None);
    }

    #[test]
    fn an_attribute_is_at_the_app_line_that_set_its_property_else_made_its_resource() {
        let line = |file: &str, line| SourceLine {
            file: file.into(),
            line,
            column: Some(5),
        };
        let mut locations = Locations::default();
        locations.insert(
            cfn("Service"),
            ResourceLocation {
                construct_path: Some("App/Service/Service".into()),
                source: Some(line("lib/app-stack.ts", 30)),
                property_sources: [("LoadBalancers".to_owned(), line("lib/app-stack.ts", 48))]
                    .into(),
                ..Default::default()
            },
        );
        let source = |attribute: &str| {
            let l = locations.locate(&cfn("Service"), attribute).unwrap();
            l.source.map(|s| s.line)
        };
        assert_eq!(source("LoadBalancers[api].ContainerPort"), Some(48));
        assert_eq!(source("DesiredCount"), Some(30));
        assert_eq!(source(""), Some(30));
    }
}
