//! Fix snippets: for each finding, the code that makes the side to fix say
//! what the other side says — HCL for Terraform, the CDK app's language
//! (TypeScript or Python) for the CDK, or the CloudFormation property and
//! value for types without CDK code here. Written from the other side's
//! value, its references turned into the twins' names; a sensitive value
//! never appears, a placeholder stands for it.

mod cdk;
mod hcl;
mod yaml;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use parity_mapping::Table;
use parity_model::{Finding, FindingSide, Fix, FixLanguage, ResourceId, Side, Status, Value};

use crate::Comparison;
use crate::rules::{ListRule, Rules};

/// One step of a finding's attribute: a property, and the identity key of
/// the list item it names (`Environment[LOG_LEVEL]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Step<'a> {
    pub name: &'a str,
    pub key: Option<&'a str>,
}

/// `ContainerDefinitions[api].Environment[LOG_LEVEL]` as its steps; keys
/// may hold dots and spaces.
pub(crate) fn steps(attribute: &str) -> Vec<Step<'_>> {
    let mut steps = Vec::new();
    let bytes = attribute.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i] != b'.' && bytes[i] != b'[' {
            i += 1;
        }
        let name = &attribute[start..i];
        let mut key = None;
        if i < bytes.len() && bytes[i] == b'[' {
            let mut depth = 0;
            let open = i;
            while i < bytes.len() {
                match bytes[i] {
                    b'[' => depth += 1,
                    b']' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            key = Some(&attribute[open + 1..i.min(bytes.len())]);
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
        }
        steps.push(Step { name, key });
    }
    steps
}

/// What the side to fix has to do.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Change<'a> {
    /// Say this (the other side's value).
    Set(&'a Value),
    /// Stop saying this (its own value, which the other side lacks).
    Remove(&'a Value),
}

/// What every writer needs: the tables, and each resource's twin.
pub(crate) struct Context<'a> {
    pub table: &'a Table,
    /// The comparison rules: which lists are keyed by what.
    pub rules: &'a Rules,
    /// Terraform address → CloudFormation logical ID.
    pub cloudformation_twin: BTreeMap<String, String>,
    /// CloudFormation logical ID (also stack-qualified) → Terraform address.
    pub terraform_twin: BTreeMap<String, String>,
    pub cdk_language: FixLanguage,
}

impl Context<'_> {
    /// The Terraform expression for a CloudFormation `Ref` or `Fn::GetAtt`
    /// of `target`: its twin's attribute, when the table says which.
    pub fn terraform_reference(&self, target: &str, attribute: Option<&str>) -> Option<String> {
        let address = self.terraform_twin.get(target)?;
        let mapping = self.table.terraform_type(terraform_type(address)?)?;
        let name = mapping.terraform_attribute_for(attribute)?;
        Some(format!("{address}.{name}"))
    }

    /// The CloudFormation logical ID and attribute (`None`: `Ref`) for a
    /// Terraform reference to `address`'s `attribute`.
    pub fn cloudformation_reference(
        &self,
        address: &str,
        attribute: Option<&str>,
    ) -> Option<(String, Option<String>)> {
        let logical_id = self.cloudformation_twin.get(address)?.clone();
        let mapping = self.table.terraform_type(terraform_type(address)?)?;
        let attribute = attribute?;
        if mapping.ref_attribute.as_deref() == Some(attribute) {
            return Some((logical_id, None));
        }
        let get_att = mapping
            .get_att
            .iter()
            .find(|(_, tf)| tf.as_str() == attribute)
            .map(|(cfn, _)| cfn.clone())?;
        Some((logical_id, Some(get_att)))
    }
}

/// The resource type of a Terraform address (`module.a.aws_x.y["k"]` →
/// `aws_x`).
pub(crate) fn terraform_type(address: &str) -> Option<&str> {
    let mut rest = address;
    loop {
        if let Some(after) = rest.strip_prefix("module.") {
            // The module's name, then its key if any, then a dot.
            let end = after.find(['.', '['])?;
            let mut tail = &after[end..];
            if tail.starts_with('[') {
                tail = &tail[tail.find("].")? + 1..];
            }
            rest = tail.strip_prefix('.')?;
        } else if let Some(after) = rest.strip_prefix("data.") {
            rest = after;
        } else {
            return rest.split('.').next().filter(|t| !t.is_empty());
        }
    }
}

impl Comparison {
    /// Gives each finding its fixes: for the side to fix, or for both
    /// sides when `truth` is `None`. `cdk_language` is the CDK app's
    /// language when nothing closer says it (a construct's source file).
    pub fn suggest_fixes(&mut self, table: &Table, truth: Option<Side>, cdk_language: FixLanguage) {
        // The rules the comparison was made with: read already.
        let Ok(rules) = crate::builtin_rules() else {
            return;
        };
        let mut context = Context {
            table,
            rules,
            cloudformation_twin: BTreeMap::new(),
            terraform_twin: BTreeMap::new(),
            cdk_language,
        };
        for pair in &self.pairs {
            if let (
                ResourceId::Terraform { address },
                ResourceId::CloudFormation { stack, logical_id },
            ) = (&pair.terraform, &pair.cloudformation)
            {
                context
                    .cloudformation_twin
                    .insert(address.clone(), logical_id.clone());
                context
                    .terraform_twin
                    .insert(logical_id.clone(), address.clone());
                context
                    .terraform_twin
                    .insert(format!("{stack}/{logical_id}"), address.clone());
            }
        }
        let sides: &[Side] = match truth {
            Some(Side::Terraform) => &[Side::CloudFormation],
            Some(Side::CloudFormation) => &[Side::Terraform],
            None => &[Side::Terraform, Side::CloudFormation],
        };
        for finding in self
            .findings
            .iter_mut()
            .chain(self.waived.iter_mut().map(|w| &mut w.finding))
        {
            attach(finding, sides, &context);
        }
    }
}

fn attach(finding: &mut Finding, sides: &[Side], context: &Context<'_>) {
    for member in &mut finding.members {
        attach(member, sides, context);
    }
    if !finding.members.is_empty() {
        return;
    }
    finding.fixes = sides
        .iter()
        .filter_map(|side| fix(finding, *side, context))
        .collect();
}

/// The fix of `side` for one finding, when one can be written.
pub(crate) fn fix(finding: &Finding, side: Side, context: &Context<'_>) -> Option<Fix> {
    if finding.status == Status::Unverifiable || finding.attribute.is_empty() {
        return None;
    }
    let (own, other) = match side {
        Side::Terraform => (
            finding.terraform.as_ref()?,
            finding.cloudformation.as_ref()?,
        ),
        Side::CloudFormation => (
            finding.cloudformation.as_ref()?,
            finding.terraform.as_ref()?,
        ),
    };
    let change = match (&other.value, &own.value) {
        (Some(value), _) => Change::Set(value),
        (None, Some(value)) => Change::Remove(value),
        (None, None) => return None,
    };
    let steps = steps(&finding.attribute);
    match side {
        Side::Terraform => hcl::fix(finding, own, &steps, change, context).map(|code| Fix {
            side,
            language: FixLanguage::Hcl,
            code,
        }),
        // A hand-written template (located in its file, not synthesized
        // by the CDK): the property and value, as the template writes them.
        Side::CloudFormation
            if own.location.as_ref().is_some_and(|l| {
                l.file.is_some() && l.construct_path.is_none() && l.source.is_none()
            }) =>
        {
            yaml::fix(finding, own, &steps, change, context).map(|code| Fix {
                side,
                language: FixLanguage::CloudFormation,
                code,
            })
        }
        Side::CloudFormation => {
            let language = cdk_language(own).unwrap_or(context.cdk_language);
            cdk::fix(finding, own, &steps, change, context, language)
                .map(|code| Fix {
                    side,
                    language,
                    code,
                })
                .or_else(|| {
                    yaml::fix(finding, own, &steps, change, context).map(|code| Fix {
                        side,
                        language: FixLanguage::CloudFormation,
                        code,
                    })
                })
        }
    }
}

/// The language of the app line that made the construct, when known.
fn cdk_language(side: &FindingSide) -> Option<FixLanguage> {
    let file = &side.location.as_ref()?.source.as_ref()?.file;
    let extension = file.rsplit_once('.')?.1;
    match extension {
        "py" => Some(FixLanguage::Python),
        "ts" | "mts" | "cts" | "js" | "mjs" | "cjs" => Some(FixLanguage::TypeScript),
        _ => None,
    }
}

/// Characters a snippet writes as escapes: controls, and those that make
/// text read otherwise than it is (bidirectional, zero-width).
pub(crate) fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// Whether a value must not be shown: sensitive, or with secrets inside.
pub(crate) fn is_secret(value: &Value) -> bool {
    matches!(value, Value::Sensitive(_) | Value::Masked(_))
}

/// The name of a construct for a comment: its construct path without the
/// trailing `/Resource`, else `stack/logical ID`.
pub(crate) fn construct_name(side: &FindingSide) -> String {
    if let Some(path) = side
        .location
        .as_ref()
        .and_then(|l| l.construct_path.as_deref())
    {
        return path.strip_suffix("/Resource").unwrap_or(path).to_owned();
    }
    match &side.stack {
        Some(stack) => format!("{stack}/{}", side.resource),
        None => side.resource.clone(),
    }
}

/// `PosixUser` → `posixUser`.
pub(crate) fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `healthyThresholdCount` → `healthy_threshold_count`.
pub(crate) fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Which item of a list a step's key names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// The item whose key fields (CloudFormation names) hold these values,
    /// by `comparison.yaml`'s list keys; `value` is the one field compared
    /// when the list is one of key and value (`Environment`: `Value`).
    Keyed {
        fields: Vec<(String, String)>,
        value: Option<String>,
    },
    /// The item at this position (counted from 0) of a list compared in
    /// order.
    Index(usize),
}

/// The item the key of the last step of `steps` names, by the list rules
/// of `resource_type`: `MountPoints[data /mnt/data]` is the mount point
/// whose `SourceVolume` is `data` and `ContainerPath` `/mnt/data`,
/// `Conditions[0]` the first condition.
pub(crate) fn item_of(rules: &Rules, resource_type: &str, steps: &[Step<'_>]) -> Option<Item> {
    let (last, before) = steps.split_last()?;
    let key = last.key?;
    let mut pattern: Vec<String> = Vec::new();
    for step in before {
        pattern.push(step.name.to_owned());
        if step.key.is_some() {
            pattern.push("*".to_owned());
        }
    }
    pattern.push(last.name.to_owned());
    match rules.for_type(resource_type).list(&pattern) {
        Some(ListRule::Keyed {
            key: fields, value, ..
        }) if !fields.is_empty() => {
            // Key values are joined by spaces; the last may hold spaces.
            let values: Vec<&str> = key.splitn(fields.len(), ' ').collect();
            if values.len() == fields.len() {
                Some(Item::Keyed {
                    fields: fields
                        .iter()
                        .zip(values)
                        .map(|(f, v)| (f.clone(), v.to_owned()))
                        .collect(),
                    value: value.clone(),
                })
            } else {
                // An item that sets no key field is named by its position.
                key.parse().ok().map(Item::Index)
            }
        }
        _ => key.parse().ok().map(Item::Index),
    }
}
