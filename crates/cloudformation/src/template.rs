//! One stack's template: parameters, conditions and resources.

use std::collections::BTreeMap;

use parity_model::{Resource, ResourceId, Unknown, Value};
use serde_json::Value as Json;

use crate::cdk_out::escape_pointer;
use crate::error::read_json;
use crate::intrinsics::Evaluator;
use crate::{Deployment, Diagnostic, Error, Stack};

/// Resource types CDK adds for its own bookkeeping; they deploy nothing.
const NOT_INFRASTRUCTURE: &[&str] = &["AWS::CDK::Metadata"];

/// Parameters CDK's default synthesizer adds to check the bootstrap stack.
const CDK_BOOKKEEPING_PARAMETERS: &[&str] = &["BootstrapVersion"];

pub fn load_stack(stack: Stack, qualify: bool, deployment: &mut Deployment) -> Result<(), Error> {
    let json = read_json(&stack.template)?;
    load_stack_json(stack, &json, qualify, deployment)
}

/// Loads a stack whose template is already parsed; `stack.template` names it
/// in errors.
pub fn load_stack_json(
    stack: Stack,
    json: &Json,
    qualify: bool,
    deployment: &mut Deployment,
) -> Result<(), Error> {
    let path = stack.template.clone();
    let template = json
        .as_object()
        .ok_or_else(|| Error::invalid(&path, "", "a template is a JSON object"))?;
    let resources = template
        .get("Resources")
        .and_then(Json::as_object)
        .ok_or_else(|| Error::invalid(&path, "/Resources", "missing or not an object"))?;
    let parameters = parameters(template, &path)?;

    let mut evaluator = Evaluator::new(&path, &stack, template, parameters, qualify);
    let mut loaded = Vec::new();
    for (logical_id, resource) in resources {
        let at = format!("/Resources/{}", escape_pointer(logical_id));
        let resource_type = resource.get("Type").and_then(Json::as_str).ok_or_else(|| {
            Error::invalid(&path, &format!("{at}/Type"), "missing or not a string")
        })?;
        if NOT_INFRASTRUCTURE.contains(&resource_type) {
            continue;
        }
        let mut undecided_condition = None;
        if let Some(condition) = resource.get("Condition") {
            let name = condition.as_str().ok_or_else(|| {
                Error::invalid(
                    &path,
                    &format!("{at}/Condition"),
                    "expected a condition name",
                )
            })?;
            match evaluator.condition(name, &format!("{at}/Condition"))? {
                Some(true) => {}
                Some(false) => continue,
                None => {
                    evaluator.diagnostics.push(Diagnostic {
                        file: path.clone(),
                        location: format!("{at}/Condition"),
                        message: format!(
                            "condition {name} cannot be decided before deploy; the resource is compared as if it exists"
                        ),
                    });
                    undecided_condition = Some(name.to_owned());
                }
            }
        }
        let properties = match resource.get("Properties") {
            None => BTreeMap::new(),
            Some(json) => match evaluator.eval(json, &format!("{at}/Properties"))? {
                Some(Value::Map(map)) => map,
                None => BTreeMap::new(),
                Some(_) => {
                    return Err(Error::invalid(
                        &path,
                        &format!("{at}/Properties"),
                        "expected an object",
                    ));
                }
            },
        };
        let construct_path = resource
            .get("Metadata")
            .and_then(|m| m.get("aws:cdk:path"))
            .and_then(Json::as_str)
            .map(str::to_owned);
        loaded.push(Resource {
            id: ResourceId::CloudFormation {
                stack: stack.name.clone(),
                logical_id: logical_id.clone(),
            },
            resource_type: resource_type.to_owned(),
            properties,
            action: None,
            construct_path,
            module: None,
            condition: undecided_condition,
        });
    }
    deployment.diagnostics.append(&mut evaluator.diagnostics);
    deployment.resources.extend(loaded);
    deployment.stacks.push(stack);
    Ok(())
}

/// Parameter values before deploy: the default, split for list types;
/// unknown without a default or when CloudFormation reads it from SSM;
/// sensitive when `NoEcho`.
fn parameters(
    template: &serde_json::Map<String, Json>,
    path: &std::path::Path,
) -> Result<BTreeMap<String, Value>, Error> {
    let mut values = BTreeMap::new();
    let Some(declared) = template.get("Parameters") else {
        return Ok(values);
    };
    let declared = declared
        .as_object()
        .ok_or_else(|| Error::invalid(path, "/Parameters", "expected an object"))?;
    for (name, parameter) in declared {
        if CDK_BOOKKEEPING_PARAMETERS.contains(&name.as_str()) {
            continue;
        }
        let at = format!("/Parameters/{}", escape_pointer(name));
        let parameter_type = parameter
            .get("Type")
            .and_then(Json::as_str)
            .ok_or_else(|| {
                Error::invalid(path, &format!("{at}/Type"), "missing or not a string")
            })?;
        let unknown = || {
            Value::Unknown(Unknown {
                refs: vec![name.clone()],
            })
        };
        let value = if parameter_type.starts_with("AWS::SSM::Parameter::Value<") {
            unknown()
        } else {
            match parameter.get("Default") {
                None => unknown(),
                Some(default) => {
                    let text = match default {
                        Json::String(s) => s.clone(),
                        Json::Number(n) => n.to_string(),
                        Json::Bool(b) => b.to_string(),
                        _ => {
                            return Err(Error::invalid(
                                path,
                                &format!("{at}/Default"),
                                "expected a string or a number",
                            ));
                        }
                    };
                    if parameter_type.starts_with("List<") || parameter_type == "CommaDelimitedList"
                    {
                        Value::List(text.split(',').map(|s| Value::from(s.trim())).collect())
                    } else {
                        Value::String(text)
                    }
                }
            }
        };
        let no_echo = matches!(parameter.get("NoEcho"), Some(Json::Bool(true)))
            || matches!(parameter.get("NoEcho"), Some(Json::String(s)) if s.eq_ignore_ascii_case("true"));
        values.insert(
            name.clone(),
            if no_echo {
                value.into_sensitive()
            } else {
                value
            },
        );
    }
    Ok(values)
}
