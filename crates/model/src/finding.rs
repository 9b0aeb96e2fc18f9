//! Findings: what the engine concludes and the renderers present.

use std::fmt;

use crate::{Location, Side, Value};

/// The part of the infrastructure a finding is about, in the words reviewers
/// use. Order is the order of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    Env,
    Secrets,
    Efs,
    Alb,
    Iam,
    Ecs,
    Networking,
    Other,
}

impl Area {
    pub const ALL: [Area; 8] = [
        Area::Env,
        Area::Secrets,
        Area::Efs,
        Area::Alb,
        Area::Iam,
        Area::Ecs,
        Area::Networking,
        Area::Other,
    ];

    /// The stable machine name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Env => "env",
            Area::Secrets => "secrets",
            Area::Efs => "efs",
            Area::Alb => "alb",
            Area::Iam => "iam",
            Area::Ecs => "ecs",
            Area::Networking => "networking",
            Area::Other => "other",
        }
    }

    /// The heading a report gives the area.
    pub fn title(self) -> &'static str {
        match self {
            Area::Env => "Environment variables",
            Area::Secrets => "Secrets",
            Area::Efs => "EFS",
            Area::Alb => "Load balancing",
            Area::Iam => "IAM",
            Area::Ecs => "ECS services",
            Area::Networking => "Networking",
            Area::Other => "Other resources",
        }
    }

    pub fn parse(name: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How urgently a difference needs attention; ordered from most to least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    MustFix,
    ShouldFix,
    Consider,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::MustFix => "must-fix",
            Severity::ShouldFix => "should-fix",
            Severity::Consider => "consider",
        }
    }

    pub fn parse(name: &str) -> Option<Severity> {
        [Severity::MustFix, Severity::ShouldFix, Severity::Consider]
            .into_iter()
            .find(|s| s.as_str() == name)
    }

    pub fn title(self) -> &'static str {
        match self {
            Severity::MustFix => "Must fix",
            Severity::ShouldFix => "Should fix",
            Severity::Consider => "Consider",
        }
    }
}

/// What kind of difference a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Present in Terraform, absent from CDK.
    OnlyInTerraform,
    /// Present in CDK, absent from Terraform.
    OnlyInCdk,
    /// Present on both sides with different values.
    Differs,
    /// Cannot be decided before deploy (a value is unknown on one side).
    Unverifiable,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::OnlyInTerraform,
        Status::OnlyInCdk,
        Status::Differs,
        Status::Unverifiable,
    ];

    /// The status a report names (`only-in-cdk`).
    pub fn parse(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::OnlyInTerraform => "only-in-terraform",
            Status::OnlyInCdk => "only-in-cdk",
            Status::Differs => "differs",
            Status::Unverifiable => "unverifiable",
        }
    }
}

/// One side of a finding: the resource and the value it holds there.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingSide {
    /// Terraform address, or CloudFormation logical ID.
    pub resource: String,
    /// The CloudFormation stack (CloudFormation side only).
    pub stack: Option<String>,
    /// `None` when the attribute is absent on this side.
    pub value: Option<Value>,
    /// Where it is written in this side's sources, when known (filled
    /// after comparison by [`crate::Locations::apply`]). Boxed: a finding
    /// is made without one, and a large comparison holds many findings.
    pub location: Option<Box<Location>>,
}

/// One difference between the two sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub area: Area,
    pub severity: Severity,
    pub status: Status,
    /// The canonical (CloudFormation) type of the resource pair.
    pub resource_type: String,
    /// Where in the canonical properties, with list items named by their
    /// identity key: `ContainerDefinitions[api].Environment[LOG_LEVEL]`.
    pub attribute: String,
    pub terraform: Option<FindingSide>,
    pub cloudformation: Option<FindingSide>,
    /// What the difference means, when the values alone do not say it
    /// ("the JSON key differs: username vs password", why a value is
    /// unverifiable).
    pub note: Option<String>,
    /// The side that has more grants more: an IAM permission only one side
    /// allows.
    pub broadens: bool,
    /// A grouped finding stands for the same difference on several
    /// resources: these, each a finding of its own. Its sides then name no
    /// resource, and hold the value the members share (for tags, the keys
    /// each side adds).
    pub members: Vec<Finding>,
    /// How to make the side to fix match the other, as code to paste: one
    /// per side to fix (both when no side is the source of truth), in that
    /// side's language. Empty when nothing can be said.
    pub fixes: Vec<Fix>,
}

/// A change to paste into one side's sources so that it says what the
/// other side says. Never holds a sensitive value: a placeholder stands
/// for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The side to change.
    pub side: Side,
    pub language: FixLanguage,
    /// The code, one or more lines, without a trailing newline.
    pub code: String,
}

/// The language a [`Fix`] is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FixLanguage {
    /// Terraform's configuration language.
    Hcl,
    /// A CDK app in TypeScript.
    TypeScript,
    /// A CDK app in Python.
    Python,
    /// A CloudFormation property path and value, in YAML.
    CloudFormation,
}

impl FixLanguage {
    /// The stable machine name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FixLanguage::Hcl => "hcl",
            FixLanguage::TypeScript => "typescript",
            FixLanguage::Python => "python",
            FixLanguage::CloudFormation => "cloudformation",
        }
    }

    /// The info string of a markdown code fence holding code of this
    /// language.
    pub fn fence(self) -> &'static str {
        match self {
            FixLanguage::CloudFormation => "yaml",
            other => other.as_str(),
        }
    }
}

impl Finding {
    /// This finding, or the findings it groups.
    pub fn each(&self) -> Box<dyn Iterator<Item = &Finding> + '_> {
        if self.members.is_empty() {
            Box::new(std::iter::once(self))
        } else {
            Box::new(self.members.iter())
        }
    }
}
