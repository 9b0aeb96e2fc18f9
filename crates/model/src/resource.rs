//! Resources as the loaders hand them over.

use crate::Map;
use std::fmt;

/// Which tool a resource or value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    Terraform,
    CloudFormation,
}

impl Side {
    /// The word users use for the side: the CloudFormation side is "CDK"
    /// because that is what they write, even when they hand us templates.
    pub fn label(self) -> &'static str {
        match self {
            Side::Terraform => "Terraform",
            Side::CloudFormation => "CDK",
        }
    }
}

/// Where a resource lives on its side.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceId {
    /// A Terraform resource instance address, exactly as Terraform prints it
    /// (`module.a.aws_x.y["k"]`).
    Terraform { address: String },
    /// A CloudFormation resource: the stack it is in and its logical ID.
    CloudFormation { stack: String, logical_id: String },
}

impl ResourceId {
    pub fn side(&self) -> Side {
        match self {
            ResourceId::Terraform { .. } => Side::Terraform,
            ResourceId::CloudFormation { .. } => Side::CloudFormation,
        }
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResourceId::Terraform { address } => f.write_str(address),
            ResourceId::CloudFormation { stack, logical_id } => write!(f, "{stack}/{logical_id}"),
        }
    }
}

/// What a Terraform plan will do to a resource; `None` for states and for
/// CloudFormation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    NoOp,
    Create,
    Update,
    Replace,
    Read,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::NoOp => "no-op",
            Action::Create => "create",
            Action::Update => "update",
            Action::Replace => "replace",
            Action::Read => "read",
        }
    }
}

/// One resource of one side, with its properties resolved as far as they can
/// be before deploy.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub id: ResourceId,
    /// The side's own type name: `aws_ecs_task_definition` or
    /// `AWS::ECS::TaskDefinition`.
    pub resource_type: String,
    /// Terraform attributes or CloudFormation properties, by name.
    pub properties: Map,
    /// What the plan does to it (Terraform plans only).
    pub action: Option<Action>,
    /// The CDK construct path (`aws:cdk:path`), when the template has one.
    pub construct_path: Option<String>,
    /// The Terraform module instance it belongs to (`module.a.module.b[0]`);
    /// `None` in the root module and for CloudFormation.
    pub module: Option<String>,
    /// The CloudFormation condition it depends on, when that condition
    /// cannot be decided before deploy (a resource whose condition is false
    /// is not loaded at all).
    pub condition: Option<String>,
}

impl Resource {
    pub fn side(&self) -> Side {
        self.id.side()
    }
}
