//! The mapping table's data types, read from `mapping.yaml`.

use std::collections::BTreeMap;

use parity_model::Area;
use serde::Deserialize;

use crate::Error;

const BUILTIN: &str = include_str!("../mapping.yaml");

/// The `version` of the table format this code reads.
const FORMAT_VERSION: u32 = 1;

/// How every known Terraform type becomes CloudFormation, and what is known
/// about each CloudFormation type.
#[derive(Debug, Clone)]
pub struct Table {
    terraform: BTreeMap<String, TerraformType>,
    /// Exact CloudFormation type names.
    cloudformation: BTreeMap<String, CloudFormationType>,
    /// Type patterns ending in `*` (`Custom::*`), longest first.
    cloudformation_patterns: Vec<(String, CloudFormationType)>,
    /// CloudFormation type → its properties that hold a secret by nature.
    secrets: BTreeMap<String, Vec<SensitiveProperty>>,
    /// Terraform attribute → the attribute that holds its effective value
    /// (`tags` → `tags_all`, with the provider's `default_tags`).
    effective: BTreeMap<String, String>,
}

/// A value that means the same as `value`, which is what is compared: the
/// value at `at` when it equals the value at `equal_to` (a health check on
/// the target group's own port is on `traffic-port`), or when it is `is`
/// and every property of `when` has one of the values listed (cross-zone
/// on behind an application load balancer, where it always is).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SameValue {
    pub at: String,
    pub value: serde_json::Value,
    #[serde(default)]
    pub equal_to: Option<String>,
    #[serde(default)]
    pub is: Option<serde_json::Value>,
    #[serde(default)]
    pub when: BTreeMap<String, Vec<serde_json::Value>>,
}

/// A default as the table writes it: a value; `{same_as: Property}`, that
/// property's value (a health check's protocol is the target group's); or
/// `{by: Property, values: {value: default}}`, the default for the value
/// that property has, none for a value not listed (a scaling policy's
/// cooldown is 300 s for an ECS service, 0 for a DynamoDB table).
/// The property read is the resource's own or, where it does not set it,
/// that of the parent a kept folded resource is folded into (a scaling
/// policy that names its scalable target has the target's namespace).
/// An ARN spelled with `{partition}`, `{region}` or `{account}` (a
/// service-linked role's) is not written out where the property is absent:
/// a value spelled so is taken out instead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DefaultValue<'t> {
    Value(&'t serde_json::Value),
    SameAs(&'t str),
    By {
        property: &'t str,
        values: &'t serde_json::Map<String, serde_json::Value>,
    },
}

impl<'t> DefaultValue<'t> {
    /// Reads a default of the table; an object that is neither form above
    /// is an error naming what it holds.
    pub fn read(value: &'t serde_json::Value) -> Result<DefaultValue<'t>, String> {
        let Some(object) = value.as_object() else {
            return Ok(DefaultValue::Value(value));
        };
        let text = |key: &str| object.get(key).and_then(serde_json::Value::as_str);
        let keys: Vec<&str> = object.keys().map(String::as_str).collect();
        match keys.as_slice() {
            ["same_as"] => text("same_as")
                .map(DefaultValue::SameAs)
                .ok_or_else(|| "`same_as` names a property".to_owned()),
            ["by", "values"] => match (text("by"), object["values"].as_object()) {
                (Some(property), Some(values)) => Ok(DefaultValue::By { property, values }),
                _ => {
                    Err("`by` names a property and `values` maps its values to defaults".to_owned())
                }
            },
            _ => Err(format!(
                "a default object is {{same_as}} or {{by, values}}, not {{{}}}",
                keys.join(", ")
            )),
        }
    }
}

/// What one Terraform resource type is in CloudFormation's vocabulary.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerraformType {
    /// The CloudFormation type; `None` for a type that only folds into
    /// another resource or has no twin.
    #[serde(default)]
    pub cloudformation: Option<String>,
    /// Why this type has no CloudFormation twin (`random_password`, …).
    #[serde(default)]
    pub no_twin: Option<String>,
    /// The Terraform attribute that holds what CloudFormation's `Ref`
    /// returns.
    #[serde(default, rename = "ref")]
    pub ref_attribute: Option<String>,
    /// CloudFormation `Fn::GetAtt` attribute → Terraform attribute.
    #[serde(default)]
    pub get_att: BTreeMap<String, String>,
    /// Terraform attribute → CloudFormation property.
    #[serde(default)]
    pub properties: BTreeMap<String, PropertyMapping>,
    /// Terraform-only folding: where this resource goes on its parent.
    #[serde(default)]
    pub fold: Option<Fold>,
    /// Canonical properties Terraform computes from other resources when
    /// the configuration does not set them (a role's inline policies, a
    /// security group's rules): unknown in a plan, they are what the
    /// resources folded into them make them, and nothing if none is.
    #[serde(default)]
    pub computed_from_others: Vec<String>,
    /// The attribute the Terraform ID repeats (a role's ID is its name):
    /// the loader makes references to IDs, and a reference to this ID is
    /// one to that attribute, which CloudFormation's `Ref` answers.
    #[serde(default)]
    pub id_is: Option<String>,
}

/// What is known about one CloudFormation type, whichever side an entity of
/// it came from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudFormationType {
    /// The report area its differences belong to.
    #[serde(default, deserialize_with = "area")]
    pub area: Option<Area>,
    /// Properties that name a resource on both sides (physical names and the
    /// like); paths separated by dots.
    #[serde(default)]
    pub identity: Vec<String>,
    /// Lists of `{Key, Value}` (or `{Name, Value}`) that are compared as
    /// maps (tags, load balancer and target group attributes, alarm
    /// dimensions); paths as for defaults.
    #[serde(default)]
    pub key_value_maps: Vec<String>,
    /// Properties whose string value is a JSON or YAML document (an ECR
    /// lifecycle policy's text, a CodeBuild buildspec): compared as the
    /// document, whichever side holds it as a string.
    #[serde(default)]
    pub documents: Vec<String>,
    /// Empty objects mean something here (WAF's `Allow: {}`) and are kept;
    /// elsewhere an empty object is the same as an absent one.
    #[serde(default)]
    pub keep_empty_objects: bool,
    /// Properties neither side can compare, left out of both: where each
    /// tool put an asset (a Lambda function's zip). Paths as for defaults.
    #[serde(default)]
    pub not_compared: Vec<String>,
    /// Values AWS applies when a property is not set: an absent property
    /// equals its default. Paths separated by dots; a map key that itself
    /// contains dots is written in brackets: `TargetGroupAttributes[stickiness.enabled]`.
    /// A default is a value, or reads another property ([`DefaultValue`]).
    #[serde(default)]
    pub defaults: BTreeMap<String, serde_json::Value>,
    /// Values that mean the same as another: written as that one.
    #[serde(default)]
    pub same_values: Vec<SameValue>,
    /// Normalizations done in code, by name (`security_group_rules`).
    #[serde(default)]
    pub normalize: Vec<Normalization>,
    /// Folding that applies to this type on both sides.
    #[serde(default)]
    pub fold: Option<Fold>,
    /// Why this type has no Terraform twin (CDK custom resources, …).
    #[serde(default)]
    pub no_twin: Option<String>,
    /// How templates build this type's ARN from its `Ref` (CDK's
    /// `formatArn`), read as the `Fn::GetAtt` that is the ARN.
    #[serde(default)]
    pub arn_from_ref: Option<ArnFromRef>,
    /// `Fn::GetAtt` attributes that are the attribute `get_att` maps them
    /// to followed by a text (a log group's `Arn` ends in `:*`, the ARN the
    /// AWS provider keeps does not).
    #[serde(default)]
    pub get_att_suffix: BTreeMap<String, String>,
}

/// A property that holds a secret: always, or when other properties of the
/// resource have the given values (an SSM parameter's `Value` when its
/// `Type` is `SecureString`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum SensitiveProperty {
    Always(String),
    When {
        path: String,
        when: BTreeMap<String, serde_json::Value>,
    },
}

impl SensitiveProperty {
    /// The property's path.
    pub fn path(&self) -> &str {
        match self {
            SensitiveProperty::Always(path) | SensitiveProperty::When { path, .. } => path,
        }
    }

    /// The properties and values that make it a secret; none when it
    /// always is.
    pub fn conditions(&self) -> Option<&BTreeMap<String, serde_json::Value>> {
        match self {
            SensitiveProperty::Always(_) => None,
            SensitiveProperty::When { when, .. } => Some(when),
        }
    }
}

/// ARNs a template builds from a resource's `Ref`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArnFromRef {
    /// The `Fn::GetAtt` attribute (as `get_att` names it) that is the ARN.
    pub attribute: String,
    /// The spellings: `{partition}`, `{region}` and `{account}` stand for
    /// whatever the template has there, pseudo-parameters included; each
    /// ends with `{ref}`, the `Ref`.
    pub formats: Vec<String>,
}

/// A normalization too particular to write as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalization {
    /// Security-group rules as CloudFormation writes them: one peer per rule,
    /// protocol names, no ports for "all traffic".
    SecurityGroupRules,
    /// The same for a rule that is a resource of its own (an ingress or
    /// egress whose group is not on its side).
    SecurityGroupRule,
    /// Listener-rule conditions in their `*Config` form only (CloudFormation
    /// also accepts the older `Field` and `Values`, and CDK writes both).
    ListenerConditions,
    /// Route 53 names without the trailing dot CloudFormation accepts, and
    /// TXT values without the quotes CDK writes and the AWS provider adds.
    RecordNames,
    /// A certificate's alternative names without its domain name, which the
    /// AWS provider lists there too; and no hosted zones for DNS validation,
    /// which Terraform does with records of its own.
    CertificateNames,
    /// A CloudFront distribution's settings that say nothing: empty strings,
    /// the default certificate's options, TTLs a cache policy overrides.
    DistributionSettings,
    /// A container's host port in `awsvpc` network mode, which ECS makes
    /// the container port when the task definition leaves it out (the AWS
    /// provider's modules write it, CDK does not).
    AwsvpcHostPorts,
    /// A container's start timeout where no container of the task waits
    /// for it (`DependsOn`): it bounds only that wait, so it says nothing
    /// (the AWS provider's modules write one on every container, CDK only
    /// where the app sets it).
    UnwaitedStartTimeouts,
    /// A flow log to CloudWatch Logs names its log group: by `LogGroupName`
    /// or by the group's ARN in `LogDestination`, which both CloudFormation
    /// and the AWS provider accept (CDK writes the name, the provider's
    /// `log_destination` the ARN); compared as the name.
    FlowLogDestination,
}

/// How a Terraform attribute becomes a property.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum PropertyMapping {
    /// Renamed, value taken as it is.
    Rename(String),
    Full(Box<FullMapping>),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FullMapping {
    /// The property path; `None` for `flatten`, whose sub-attributes become
    /// properties of the resource itself.
    #[serde(default)]
    pub to: Option<PropertyPath>,
    #[serde(default)]
    pub shape: Shape,
    /// For blocks: how each sub-attribute becomes a sub-property.
    #[serde(default)]
    pub properties: BTreeMap<String, PropertyMapping>,
    /// For `pascal_keys`: keys under which maps hold user data whose keys
    /// stay as they are.
    #[serde(default)]
    pub keep_keys_under: Vec<String>,
    /// Values written differently on the two sides (`true` → `ENABLED`).
    #[serde(default)]
    pub values: BTreeMap<String, serde_json::Value>,
    /// For `list`: each item becomes `{item_key: item}`
    /// (`certificate_arn` → `Certificates: [{CertificateArn}]`). For `map`:
    /// the sub-attribute whose value is the key.
    #[serde(default)]
    pub item_key: Option<String>,
    /// For `map`: the sub-attribute whose value is the value; without it,
    /// the rest of the block.
    #[serde(default)]
    pub value_key: Option<String>,
    /// Properties set to these values wherever the attribute is set: what
    /// CloudFormation says in a property of its own and Terraform by which
    /// attribute it sets (a flow log's `vpc_id` is a `ResourceId` whose
    /// `ResourceType` is `VPC`).
    #[serde(default)]
    pub also: BTreeMap<String, serde_json::Value>,
}

/// A property path: one name, or several for a property inside another
/// (`[TargetGroupAttributes, deregistration_delay.timeout_seconds]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum PropertyPath {
    One(String),
    Path(Vec<String>),
}

impl PropertyPath {
    pub fn segments(&self) -> Vec<&str> {
        match self {
            PropertyPath::One(name) => vec![name.as_str()],
            PropertyPath::Path(path) => path.iter().map(String::as_str).collect(),
        }
    }
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
    /// A nested block Terraform keeps as a one-element list: an object.
    Block,
    /// A list of nested blocks: a list of objects.
    Blocks,
    /// A one-element block whose sub-attributes become properties of the
    /// resource itself (a target group's `health_check`).
    Flatten,
    /// A scalar CloudFormation keeps in a list (`role` → `Roles`).
    List,
    /// A list of blocks that CloudFormation keeps as a map from one
    /// sub-attribute of each (`item_key`) to another (`value_key`): a
    /// parameter group's `parameter` blocks → `Parameters`.
    Map,
    /// A tree of nested blocks of any depth, written as CloudFormation writes
    /// it (WAF rule statements): keys PascalCase, a block Terraform keeps in
    /// a one-element list as an object. `properties` gives the keys spelled
    /// otherwise, anywhere in the tree (`ip_set_reference_statement:
    /// IPSetReferenceStatement`, or `and_statement.statement` for a key
    /// under one parent only), and with `shape: blocks` the ones that are
    /// lists.
    PascalBlocks,
}

/// Where a folded resource goes on its parent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fold {
    /// The parent's CloudFormation type.
    pub into: String,
    /// The (canonical) property of the folded resource that refers to its
    /// parent or parents.
    pub parent: String,
    /// Parent properties that the folded resource's parent reference may
    /// equal instead of naming the parent: a literal (a role's name) or a
    /// reference both make to a third resource (a proxy's target group and
    /// its targets both name the proxy).
    #[serde(default)]
    pub by: Vec<String>,
    /// What the parent receives.
    #[serde(flatten)]
    pub action: FoldAction,
    /// The folded resource stays a resource of its own (a managed policy
    /// attached to roles is still a policy); only its parent reference goes.
    #[serde(default)]
    pub keep: bool,
    /// What the resource is compared as when its parent is not on its side
    /// (a rule of a group that another deployment manages).
    #[serde(default)]
    pub alone: Option<Alone>,
}

/// The type a folded resource whose parent is elsewhere is compared as:
/// `types` by the value of its property `by` (`Type: ingress` →
/// `AWS::EC2::SecurityGroupIngress`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alone {
    pub by: String,
    pub types: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FoldAction {
    /// Appends an item to a list property: `{list property: item}`, where the
    /// item is a property of the folded resource or a map of them.
    Append(BTreeMap<String, FoldValue>),
    /// Sets parent properties from the folded resource's: `{parent
    /// property: value}`.
    Set(BTreeMap<String, FoldValue>),
    /// Appends to the list named by a property's value
    /// (`Type: ingress` → `SecurityGroupIngress`).
    AppendBy {
        property: String,
        lists: BTreeMap<String, String>,
        item: FoldValue,
    },
}

/// A value built from the folded resource: one of its properties (`.` for
/// the whole resource without its parent reference, `@ref` for a reference
/// to it), or a map of them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum FoldValue {
    Property(String),
    Map(BTreeMap<String, String>),
}

fn area<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Area>, D::Error> {
    let name = Option::<String>::deserialize(deserializer)?;
    name.map(|n| {
        Area::parse(&n).ok_or_else(|| serde::de::Error::custom(format!("unknown area {n:?}")))
    })
    .transpose()
}

/// The file's shape.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    terraform: BTreeMap<String, TerraformType>,
    cloudformation: BTreeMap<String, CloudFormationType>,
    #[serde(default)]
    secrets: BTreeMap<String, Vec<SensitiveProperty>>,
    #[serde(default)]
    effective: BTreeMap<String, String>,
}

impl Table {
    /// The table compiled into the binary.
    pub fn builtin() -> Result<Table, Error> {
        Table::parse(BUILTIN)
    }

    pub fn parse(text: &str) -> Result<Table, Error> {
        let file: File = yaml_serde::from_str(text)?;
        if file.version != FORMAT_VERSION {
            return Err(Error::Version {
                found: file.version,
                expected: FORMAT_VERSION,
            });
        }
        let invalid = |name: &str, message: String| Error::Invalid {
            type_name: name.to_owned(),
            message,
        };
        for (name, t) in &file.terraform {
            match (&t.cloudformation, &t.no_twin, &t.fold) {
                (Some(_), None, _) | (None, Some(_), None) | (None, None, Some(_)) => {}
                _ => {
                    return Err(invalid(
                        name,
                        "give exactly one of `cloudformation`, `no_twin`, or `fold` alone"
                            .to_owned(),
                    ));
                }
            }
            if let Some(cfn) = &t.cloudformation
                && !file.cloudformation.contains_key(cfn)
            {
                return Err(invalid(
                    name,
                    format!("{cfn} has no entry under `cloudformation`"),
                ));
            }
        }
        for (name, t) in &file.cloudformation {
            for (at, default) in &t.defaults {
                DefaultValue::read(default)
                    .map_err(|message| invalid(name, format!("default {at}: {message}")))?;
            }
        }
        let mut cloudformation = BTreeMap::new();
        let mut cloudformation_patterns = Vec::new();
        for (name, t) in file.cloudformation {
            if let Some(prefix) = name.strip_suffix('*') {
                cloudformation_patterns.push((prefix.to_owned(), t));
            } else {
                cloudformation.insert(name, t);
            }
        }
        cloudformation_patterns.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Ok(Table {
            terraform: file.terraform,
            cloudformation,
            cloudformation_patterns,
            secrets: file.secrets,
            effective: file.effective,
        })
    }

    /// Terraform attributes whose effective value another attribute holds,
    /// with that attribute: what is compared when it is known.
    pub fn effective(&self) -> impl Iterator<Item = (&str, &str)> {
        self.effective.iter().map(|(a, e)| (a.as_str(), e.as_str()))
    }

    pub fn terraform_type(&self, terraform_type: &str) -> Option<&TerraformType> {
        self.terraform.get(terraform_type)
    }

    /// What is known of a CloudFormation type, by exact name or pattern.
    pub fn cloudformation_type(&self, cloudformation_type: &str) -> Option<&CloudFormationType> {
        self.cloudformation.get(cloudformation_type).or_else(|| {
            self.cloudformation_patterns
                .iter()
                .find(|(prefix, _)| cloudformation_type.starts_with(prefix.as_str()))
                .map(|(_, t)| t)
        })
    }

    /// The properties of a CloudFormation type that hold a secret by
    /// nature (a secret's `SecretString`, a database's master password):
    /// sensitive on both sides whatever the input marks.
    pub fn secret_properties(&self, cloudformation_type: &str) -> &[SensitiveProperty] {
        self.secrets
            .get(cloudformation_type)
            .map_or(&[], Vec::as_slice)
    }

    /// Every CloudFormation type with properties that hold a secret, by
    /// name.
    pub fn secrets(&self) -> impl Iterator<Item = (&str, &[SensitiveProperty])> {
        self.secrets.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Every Terraform type, by name.
    pub fn terraform_types(&self) -> impl Iterator<Item = (&str, &TerraformType)> {
        self.terraform.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Every CloudFormation entry, exact names then patterns (`Custom::*`).
    pub fn cloudformation_types(&self) -> impl Iterator<Item = (String, &CloudFormationType)> {
        self.cloudformation
            .iter()
            .map(|(k, v)| (k.clone(), v))
            .chain(
                self.cloudformation_patterns
                    .iter()
                    .map(|(k, v)| (format!("{k}*"), v)),
            )
    }

    /// The Terraform types whose twin is `cloudformation_type`.
    pub fn terraform_twins(
        &self,
        cloudformation_type: &str,
    ) -> impl Iterator<Item = (&str, &TerraformType)> {
        self.terraform_types()
            .filter(move |(_, t)| t.cloudformation.as_deref() == Some(cloudformation_type))
    }

    /// The report area of a CloudFormation type.
    pub fn area(&self, cloudformation_type: &str) -> Area {
        self.cloudformation_type(cloudformation_type)
            .and_then(|t| t.area)
            .unwrap_or(Area::Other)
    }
}

impl TerraformType {
    /// The Terraform attribute that holds what CloudFormation's `Ref`
    /// (`attribute` = `None`) or `Fn::GetAtt` returns.
    pub fn terraform_attribute_for(&self, attribute: Option<&str>) -> Option<&str> {
        match attribute {
            None => self.ref_attribute.as_deref(),
            Some(name) => self.get_att.get(name).map(String::as_str),
        }
    }
}
