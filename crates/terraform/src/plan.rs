//! Reading plans and states: which resource instances exist after apply, and
//! with what values.

use std::collections::BTreeMap;
use std::path::Path;

use parity_model::{Action, Resource, ResourceId, Value};
use serde_json::Value as Json;

use crate::{Error, InputKind, TerraformInput, address, json_documents, masks};

pub fn load(json: &Json, path: &Path) -> Result<TerraformInput, Error> {
    let cx = Context { path };
    let root = json.as_object().ok_or_else(|| {
        cx.error(
            "",
            "expected a JSON object, as `terraform show -json` writes",
        )
    })?;
    let format_version = match root.get("format_version") {
        Some(Json::String(v)) => v.clone(),
        Some(_) => return Err(cx.error("/format_version", "expected a string")),
        None => {
            return Err(cx.error(
                "/format_version",
                "missing: this is not `terraform show -json` output",
            ));
        }
    };
    check_format_version(&format_version).map_err(|m| cx.error("/format_version", &m))?;
    let terraform_version = match root.get("terraform_version") {
        Some(Json::String(v)) => Some(v.clone()),
        None => None,
        Some(_) => return Err(cx.error("/terraform_version", "expected a string")),
    };

    let is_plan = [
        "planned_values",
        "resource_changes",
        "prior_state",
        "configuration",
    ]
    .iter()
    .any(|key| root.contains_key(*key));
    let (kind, resources) = if is_plan {
        let resources = match root.get("resource_changes") {
            Some(changes) => cx.resource_changes(changes)?,
            None => match root.get("planned_values") {
                Some(values) => cx.module_values(values, "/planned_values")?,
                None => Vec::new(),
            },
        };
        (InputKind::Plan, resources)
    } else {
        let resources = match root.get("values") {
            Some(values) => cx.module_values(values, "/values")?,
            None => Vec::new(),
        };
        (InputKind::State, resources)
    };
    Ok(TerraformInput {
        path: path.to_owned(),
        kind,
        format_version,
        terraform_version,
        resources,
    })
}

/// Terraform's JSON output formats promise compatibility within a major
/// version; 0.x and 1.x are the ones that exist.
fn check_format_version(version: &str) -> Result<(), String> {
    let major = version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u64>().ok());
    match major {
        Some(0 | 1) => Ok(()),
        Some(_) => Err(format!(
            "unsupported format_version {version:?}: iac-parity reads versions 0.1 to 1.x"
        )),
        None => Err(format!(
            "format_version {version:?} is not a version number"
        )),
    }
}

struct Context<'a> {
    path: &'a Path,
}

impl Context<'_> {
    fn error(&self, pointer: &str, message: &str) -> Error {
        let pointer = if pointer.is_empty() {
            "/".to_owned()
        } else {
            pointer.to_owned()
        };
        Error::Format {
            path: self.path.to_owned(),
            pointer,
            message: message.to_owned(),
        }
    }

    fn resource_changes(&self, changes: &Json) -> Result<Vec<Resource>, Error> {
        let changes = changes
            .as_array()
            .ok_or_else(|| self.error("/resource_changes", "expected an array"))?;
        let mut resources = Vec::new();
        for (i, change) in changes.iter().enumerate() {
            let at = format!("/resource_changes/{i}");
            let header = self.header(change, &at)?;
            let body = change
                .get("change")
                .and_then(Json::as_object)
                .ok_or_else(|| self.error(&format!("{at}/change"), "missing or not an object"))?;
            let actions = body
                .get("actions")
                .and_then(Json::as_array)
                .ok_or_else(|| {
                    self.error(&format!("{at}/change/actions"), "missing or not an array")
                })?;
            let action = self.action(actions, &format!("{at}/change/actions"))?;
            if header.mode != "managed" {
                continue;
            }
            let Some(action) = action else {
                // Deleted (or forgotten) without a replacement: gone after apply.
                continue;
            };
            let after = body.get("after");
            let properties = masks::apply(
                after.filter(|a| !a.is_null()),
                body.get("after_unknown"),
                body.get("after_sensitive"),
            );
            let properties = self.properties(
                properties,
                header.resource_type,
                &format!("{at}/change/after"),
            )?;
            resources.push(Resource {
                id: ResourceId::Terraform {
                    address: header.address.to_owned(),
                },
                resource_type: header.resource_type.to_owned(),
                properties,
                action: Some(action),
                construct_path: None,
                module: address::module_of(header.address).map(str::to_owned),
                condition: None,
            });
        }
        Ok(resources)
    }

    /// Walks `root_module` and its `child_modules` (plans' `planned_values`,
    /// states' `values`).
    fn module_values(&self, values: &Json, at: &str) -> Result<Vec<Resource>, Error> {
        let mut resources = Vec::new();
        let Some(root) = values.get("root_module") else {
            return Ok(resources);
        };
        self.module(root, &format!("{at}/root_module"), &mut resources)?;
        Ok(resources)
    }

    fn module(&self, module: &Json, at: &str, out: &mut Vec<Resource>) -> Result<(), Error> {
        if !module.is_object() {
            return Err(self.error(at, "expected a module object"));
        }
        if let Some(list) = module.get("resources") {
            let list = list
                .as_array()
                .ok_or_else(|| self.error(&format!("{at}/resources"), "expected an array"))?;
            for (i, resource) in list.iter().enumerate() {
                let at = format!("{at}/resources/{i}");
                let header = self.header(resource, &at)?;
                if header.mode != "managed" {
                    continue;
                }
                let properties = masks::apply(
                    resource.get("values").filter(|v| !v.is_null()),
                    None,
                    resource.get("sensitive_values"),
                );
                let properties =
                    self.properties(properties, header.resource_type, &format!("{at}/values"))?;
                out.push(Resource {
                    id: ResourceId::Terraform {
                        address: header.address.to_owned(),
                    },
                    resource_type: header.resource_type.to_owned(),
                    properties,
                    action: None,
                    construct_path: None,
                    module: address::module_of(header.address).map(str::to_owned),
                    condition: None,
                });
            }
        }
        if let Some(children) = module.get("child_modules") {
            let children = children
                .as_array()
                .ok_or_else(|| self.error(&format!("{at}/child_modules"), "expected an array"))?;
            for (i, child) in children.iter().enumerate() {
                self.module(child, &format!("{at}/child_modules/{i}"), out)?;
            }
        }
        Ok(())
    }

    fn header<'j>(&self, resource: &'j Json, at: &str) -> Result<Header<'j>, Error> {
        if !resource.is_object() {
            return Err(self.error(at, "expected a resource object"));
        }
        let field = |name: &str| -> Result<&'j str, Error> {
            resource
                .get(name)
                .and_then(Json::as_str)
                .ok_or_else(|| self.error(&format!("{at}/{name}"), "missing or not a string"))
        };
        Ok(Header {
            address: field("address")?,
            mode: field("mode")?,
            resource_type: field("type")?,
        })
    }

    /// The action after apply; `None` when the resource will not exist.
    fn action(&self, actions: &[Json], at: &str) -> Result<Option<Action>, Error> {
        let names: Option<Vec<&str>> = actions.iter().map(Json::as_str).collect();
        let names = names.ok_or_else(|| self.error(at, "expected an array of strings"))?;
        let action = match names.as_slice() {
            ["no-op"] => Some(Action::NoOp),
            ["create"] => Some(Action::Create),
            ["update"] => Some(Action::Update),
            ["read"] => Some(Action::Read),
            ["delete", "create"] | ["create", "delete"] => Some(Action::Replace),
            ["delete"] | ["forget"] => None,
            other => {
                return Err(self.error(at, &format!("unknown combination of actions {other:?}")));
            }
        };
        Ok(action)
    }

    /// The attribute map of a resource, with JSON documents held in strings
    /// decoded.
    fn properties(
        &self,
        value: Value,
        resource_type: &str,
        at: &str,
    ) -> Result<BTreeMap<String, Value>, Error> {
        let mut map = match value {
            Value::Map(map) => map,
            Value::Null => BTreeMap::new(),
            _ => return Err(self.error(at, "expected an object of attributes")),
        };
        for path in json_documents::paths_for(resource_type) {
            let (first, rest) = path.split_first().expect("paths are never empty");
            if let Some(value) = map.get_mut(*first) {
                self.decode_documents(value, rest, &format!("{at}/{first}"))?;
            }
        }
        Ok(map)
    }

    fn decode_documents(&self, value: &mut Value, path: &[&str], at: &str) -> Result<(), Error> {
        match (path.split_first(), &mut *value) {
            (None, Value::Sensitive(inner)) => self.decode_documents(inner, path, at),
            (None, Value::String(text)) => {
                let json: Json = serde_json::from_str(text).map_err(|err| {
                    self.error(
                        at,
                        &format!("the JSON document in this string is malformed: {err}"),
                    )
                })?;
                *value = Value::from_json(&json);
                Ok(())
            }
            (None, _) => Ok(()),
            (Some((&"*", rest)), Value::List(items)) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.decode_documents(item, rest, &format!("{at}/{i}"))?;
                }
                Ok(())
            }
            (Some((key, rest)), Value::Map(map)) => match map.get_mut(*key) {
                Some(child) => self.decode_documents(child, rest, &format!("{at}/{key}")),
                None => Ok(()),
            },
            (Some(_), _) => Ok(()),
        }
    }
}

struct Header<'j> {
    address: &'j str,
    mode: &'j str,
    resource_type: &'j str,
}
