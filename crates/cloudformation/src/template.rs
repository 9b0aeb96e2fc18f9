//! One stack's template: its sections checked, its conditions evaluated, its
//! resources resolved.

use parity_model::{Conditional, Resource, ResourceId, Value};
use serde_json::{Map, Value as Json};

use crate::deployment::Context;
use crate::intrinsics::Evaluator;
use crate::{Error, pointer};

/// Resource types CDK adds for its own bookkeeping; they deploy nothing.
const NOT_INFRASTRUCTURE: &[&str] = &["AWS::CDK::Metadata"];

const NESTED_STACK: &str = "AWS::CloudFormation::Stack";

/// The only template format version there is.
const FORMAT_VERSION: &str = "2010-09-09";

/// Sections a template may have, and whether each must be an object.
const SECTIONS: &[(&str, bool)] = &[
    ("AWSTemplateFormatVersion", false),
    ("Description", false),
    ("Globals", true),
    ("Hooks", true),
    ("Metadata", true),
    ("Parameters", true),
    ("Rules", true),
    ("Mappings", true),
    ("Conditions", true),
    ("Transform", false),
    ("Resources", true),
    ("Outputs", true),
];

/// Whether a stack (or a nested stack) exists once deployed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    /// It exists; when it depends on a condition that cannot be decided
    /// before deploy, that condition's key.
    Present(Option<String>),
    /// The condition of the resource that would create it is false.
    Absent,
}

/// The resources of one stack, and whether each of its nested stacks exists.
pub struct Loaded {
    pub resources: Vec<Resource>,
    pub nested: Vec<(String, Presence)>,
}

/// Loads the resources of stack `index`; `inherited` is the undecided
/// condition the whole stack depends on (a nested stack's parent resource's).
pub fn load(ctx: &Context, index: usize, inherited: Option<&str>) -> Result<Loaded, Error> {
    let source = &ctx.sources[index];
    let path = &source.stack.template;
    let template = &source.template;
    check_sections(template, path)?;
    let empty = Map::new();
    let resources = match template.get("Resources") {
        Some(resources) => resources
            .as_object()
            .ok_or_else(|| Error::invalid(path, "/Resources", "expected an object"))?,
        // `cdk synth` writes stacks without resources (integration-test
        // assertion stacks); a template written by hand needs them.
        None if source.named => &empty,
        None => return Err(Error::invalid(path, "/Resources", "missing")),
    };
    let mut evaluator = Evaluator::new(ctx, index);
    if let Some(transform) = template.get("Transform") {
        check_transform(ctx, transform, path);
    }
    // CloudFormation checks every condition, used or not.
    if let Some(conditions) = template.get("Conditions").and_then(Json::as_object) {
        for name in conditions.keys() {
            evaluator.condition(name, &pointer::join("/Conditions", name))?;
        }
    }

    let mut loaded = Loaded {
        resources: Vec::new(),
        nested: Vec::new(),
    };
    for (logical_id, resource) in resources {
        let at = pointer::join("/Resources", logical_id);
        let resource = resource
            .as_object()
            .ok_or_else(|| Error::invalid(path, &at, "expected an object"))?;
        let resource_type = resource.get("Type").and_then(Json::as_str).ok_or_else(|| {
            Error::invalid(path, &format!("{at}/Type"), "missing or not a string")
        })?;
        if NOT_INFRASTRUCTURE.contains(&resource_type) {
            continue;
        }
        let mut undecided = None;
        if let Some(condition) = resource.get("Condition") {
            let condition_at = format!("{at}/Condition");
            let name = condition
                .as_str()
                .ok_or_else(|| Error::invalid(path, &condition_at, "expected a condition name"))?;
            match evaluator.condition(name, &condition_at)? {
                Some(true) => {}
                Some(false) => {
                    if resource_type == NESTED_STACK {
                        loaded.nested.push((logical_id.clone(), Presence::Absent));
                    }
                    continue;
                }
                None => {
                    ctx.diagnose(
                        path,
                        &condition_at,
                        format!(
                            "condition {name} cannot be decided before deploy; the resource is compared as if it exists"
                        ),
                    );
                    undecided = Some(name.to_owned());
                }
            }
        }
        let properties_at = format!("{at}/Properties");
        let properties = match (resource.get("Properties"), &undecided) {
            (None, _) => None,
            (Some(json), Some(name)) => evaluator.eval_assuming(name, json, &properties_at)?,
            (Some(json), None) => evaluator.eval(json, &properties_at)?,
        };
        let properties = match properties {
            None => parity_model::Map::new(),
            Some(value) => property_map(value)
                .ok_or_else(|| Error::invalid(path, &properties_at, "expected an object"))?,
        };
        let construct_path = resource
            .get("Metadata")
            .and_then(|m| m.get("aws:cdk:path"))
            .and_then(Json::as_str)
            .map(str::to_owned);
        let condition = match &undecided {
            Some(name) if inherited.is_none() => Some(name.clone()),
            Some(name) => Some(evaluator.condition_key(name)),
            None => inherited.map(str::to_owned),
        };
        if resource_type == NESTED_STACK {
            let key = undecided
                .as_deref()
                .map(|name| evaluator.condition_key(name));
            loaded.nested.push((
                logical_id.clone(),
                Presence::Present(key.or_else(|| inherited.map(str::to_owned))),
            ));
        }
        loaded.resources.push(Resource {
            id: ResourceId::CloudFormation {
                stack: source.stack.name.clone(),
                logical_id: logical_id.clone(),
            },
            resource_type: resource_type.to_owned(),
            properties,
            action: None,
            construct_path,
            module: None,
            condition,
        });
    }

    // CloudFormation refuses a template whose outputs do not evaluate.
    if let Some(outputs) = template.get("Outputs").and_then(Json::as_object) {
        for name in outputs.keys() {
            evaluator.output(name)?;
        }
    }
    Ok(loaded)
}

/// The properties of a resource: an object, or `Fn::If` between objects on
/// a condition only deploy time decides, which makes each property that
/// differs between them depend on that condition.
fn property_map(value: Value) -> Option<parity_model::Map> {
    match value {
        Value::Map(map) => Some(map),
        Value::Conditional(conditional) => {
            let branch = |value: Option<Box<Value>>| match value {
                None => Some(parity_model::Map::new()),
                Some(value) => property_map(*value),
            };
            let mut if_true = branch(conditional.if_true)?;
            let mut if_false = branch(conditional.if_false)?;
            let names: Vec<String> = if_true.keys().chain(if_false.keys()).cloned().collect();
            let mut out = parity_model::Map::new();
            for name in names {
                if out.contains_key(&name) {
                    continue;
                }
                let chosen = Conditional::choose(
                    conditional.condition.clone(),
                    if_true.remove(&name),
                    if_false.remove(&name),
                );
                if let Some(value) = chosen {
                    out.insert(name, value);
                }
            }
            Some(out)
        }
        _ => None,
    }
}

fn check_sections(template: &Map<String, Json>, path: &std::path::Path) -> Result<(), Error> {
    for (key, value) in template {
        let at = pointer::join("", key);
        let Some((_, object)) = SECTIONS.iter().find(|(name, _)| name == key) else {
            return Err(Error::invalid(
                path,
                &at,
                format!("{key} is not a template section"),
            ));
        };
        if *object && !value.is_object() {
            return Err(Error::invalid(path, &at, "expected an object"));
        }
    }
    if let Some(version) = template.get("AWSTemplateFormatVersion")
        && version.as_str() != Some(FORMAT_VERSION)
    {
        return Err(Error::invalid(
            path,
            "/AWSTemplateFormatVersion",
            format!(
                "unknown template format version {version} (CloudFormation knows {FORMAT_VERSION})"
            ),
        ));
    }
    Ok(())
}

/// Transforms run at deploy time; only `AWS::LanguageExtensions`, whose
/// functions this loader evaluates, leaves the template as it reads.
fn check_transform(ctx: &Context, transform: &Json, path: &std::path::Path) {
    let names: Vec<String> = match transform {
        Json::String(name) => vec![name.clone()],
        Json::Array(items) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map_or_else(|| item.to_string(), str::to_owned)
            })
            .collect(),
        other => vec![other.to_string()],
    };
    for name in names {
        if name != "AWS::LanguageExtensions" {
            ctx.diagnose(
                path,
                "/Transform",
                format!(
                    "the transform {name} changes the template at deploy time; what it adds or changes is not loaded"
                ),
            );
        }
    }
}
