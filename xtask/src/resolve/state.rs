//! The state a plan would leave after apply, made without AWS: every
//! resource instance the plan keeps or creates, with its planned values, and
//! each value the plan leaves unknown replaced by a value of the right type
//! (read from the provider's schema).
//!
//! What replaces an unknown value depends on what the state is for
//! ([`Filling`]): a placeholder that names the resource and the attribute
//! (`cargo xtask plan-json`), or a value that looks like a deployed one (the
//! `tf-prior-state` fixture). An attribute that holds a JSON document (a
//! policy, container definitions) gets an empty string in both — the
//! provider's "none" — numbers 1, booleans false, collections are empty. A
//! resource's dependencies are the resources its configuration references in
//! its own module, as Terraform records them after apply.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::bail;
use parity_terraform::{Placeholder, Segment};
use serde_json::{Map, Value as Json, json};

/// What an unknown string becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filling {
    /// A placeholder ([`Placeholder`]) that the loader reads back as a
    /// reference, in the provider's region.
    Traceable { region: String },
    /// A value as a deployment would have it, that the loader takes for a
    /// real one: an ARN attribute holds
    /// `arn:aws:<service>:eu-west-1:123456789012:<type>/<address>`, any
    /// other string `ph-<address>-<attribute>`.
    Deployed,
}

const DEPLOYED_ACCOUNT: &str = "123456789012";
const DEPLOYED_REGION: &str = "eu-west-1";

/// A state, and the values put in it for what the plan left unknown.
#[derive(Debug)]
pub struct Made {
    /// The state file (format 4).
    pub state: Json,
    /// By resource instance address: where a value was made up, and what.
    pub filled: BTreeMap<String, Vec<(Vec<Segment>, Json)>>,
}

/// Whether a managed resource will have a value only known after apply.
pub fn has_unknowns(plan: &Json) -> bool {
    fn any_true(mask: &Json) -> bool {
        match mask {
            Json::Bool(b) => *b,
            Json::Array(items) => items.iter().any(any_true),
            Json::Object(map) => map.values().any(any_true),
            _ => false,
        }
    }
    changes(plan).any(|change| any_true(&change["change"]["after_unknown"]))
}

/// The managed resource instances that exist after apply.
pub fn changes(plan: &Json) -> impl Iterator<Item = &Json> {
    plan["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|change| change["mode"] == "managed" && change.get("deposed").is_none())
        .filter(|change| {
            let actions = &change["change"]["actions"];
            *actions != json!(["delete"]) && *actions != json!(["forget"])
        })
}

/// The state file (format 4) the plan would leave after apply, unknown
/// values filled as `filling` says.
pub fn from_plan(plan: &Json, schemas: &Json, filling: &Filling) -> anyhow::Result<Made> {
    let mut resources: BTreeMap<(String, String, String), Json> = BTreeMap::new();
    let mut filled = BTreeMap::new();
    for change in changes(plan) {
        let text = |key: &str| change[key].as_str().unwrap_or_default().to_owned();
        let (address, module, resource_type, name) = (
            text("address"),
            text("module_address"),
            text("type"),
            text("name"),
        );
        let provider = text("provider_name");
        let schema = &schemas["provider_schemas"][&provider]["resource_schemas"][&resource_type];
        if !schema.is_object() {
            bail!("the schema of {provider} has no resource type {resource_type}");
        }
        let filler = Filler {
            address: &address,
            filling,
            filled: std::cell::RefCell::new(Vec::new()),
        };
        let ty = Type::Block(&schema["block"]);
        let attributes = filler.fill(
            &change["change"]["after"],
            &change["change"]["after_unknown"],
            &ty,
            &mut Vec::new(),
        );
        let made = filler.filled.into_inner();
        if !made.is_empty() {
            filled.insert(address.clone(), made);
        }
        let mut sensitive = Vec::new();
        sensitive_paths(
            &change["change"]["after_sensitive"],
            &ty,
            &mut Vec::new(),
            &mut sensitive,
        );
        let mut instance = json!({
            "schema_version": schema["version"],
            "attributes": attributes,
            "sensitive_attributes": sensitive,
            "dependencies": dependencies(plan, &module, &resource_type, &name),
        });
        let entry = resources
            .entry((module.clone(), resource_type.clone(), name.clone()))
            .or_insert_with(|| {
                let mut resource = json!({
                    "mode": "managed",
                    "type": resource_type,
                    "name": name,
                    "provider": format!("provider[\"{provider}\"]"),
                    "instances": [],
                });
                if !module.is_empty() {
                    resource["module"] = json!(module);
                }
                resource
            });
        if let Some(index) = change.get("index") {
            instance["index_key"] = index.clone();
            entry["each"] = json!(if index.is_number() { "list" } else { "map" });
        }
        entry["instances"]
            .as_array_mut()
            .expect("instances is an array")
            .push(instance);
    }
    let mut outputs = Map::new();
    if let Some(planned) = plan["planned_values"]["outputs"].as_object() {
        for (name, output) in planned {
            if let (Some(value), Some(ty)) = (output.get("value"), output.get("type")) {
                outputs.insert(
                    name.clone(),
                    json!({"value": value, "type": ty, "sensitive": output["sensitive"] == true}),
                );
            }
        }
    }
    let state = json!({
        "version": 4,
        "terraform_version": plan["terraform_version"],
        "serial": 1,
        "lineage": "00000000-0000-4000-8000-000000000000",
        "outputs": outputs,
        "resources": resources.into_values().collect::<Vec<_>>(),
        "check_results": null,
    });
    Ok(Made { state, filled })
}

/// Where a value sits in a resource's schema.
enum Type<'s> {
    /// A block: attributes and nested block types.
    Block(&'s Json),
    /// A nested block type with a nesting mode (`list`, `set`, `map`).
    Blocks(&'s Json),
    /// An attribute of this cty type (`"string"`, `["list", "string"]`).
    Cty(&'s Json),
    Unknown,
}

/// One step into a value.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'s> Type<'s> {
    fn child(&self, step: &Step<'_>) -> Type<'s> {
        match (self, step) {
            (Type::Block(block), Step::Key(key)) => {
                if let Some(attribute) = block["attributes"].get(*key) {
                    attribute.get("type").map_or(Type::Unknown, Type::Cty)
                } else if let Some(nested) = block["block_types"].get(*key) {
                    match nested["nesting_mode"].as_str() {
                        Some("single" | "group") => Type::Block(&nested["block"]),
                        _ => Type::Blocks(nested),
                    }
                } else {
                    Type::Unknown
                }
            }
            (Type::Blocks(nested), _) => Type::Block(&nested["block"]),
            (Type::Cty(Json::Array(ty)), step) => match (ty.first().and_then(Json::as_str), step) {
                (Some("list" | "set" | "map"), _) => Type::Cty(&ty[1]),
                (Some("object"), Step::Key(key)) => {
                    ty[1].get(*key).map_or(Type::Unknown, Type::Cty)
                }
                (Some("tuple"), Step::Index(i)) => ty[1].get(*i).map_or(Type::Unknown, Type::Cty),
                _ => Type::Unknown,
            },
            _ => Type::Unknown,
        }
    }

    /// Whether a key one step down is a map key (an index) rather than an
    /// attribute name.
    fn keys_are_indexes(&self) -> bool {
        match self {
            Type::Blocks(nested) => nested["nesting_mode"] == "map",
            Type::Cty(Json::Array(ty)) => ty.first().and_then(Json::as_str) == Some("map"),
            _ => false,
        }
    }
}

struct Filler<'a> {
    address: &'a str,
    filling: &'a Filling,
    /// What was made up, and where.
    filled: std::cell::RefCell<Vec<(Vec<Segment>, Json)>>,
}

impl Filler<'_> {
    /// The planned value with every unknown part replaced by a placeholder.
    fn fill(&self, after: &Json, unknown: &Json, ty: &Type<'_>, path: &mut Vec<Segment>) -> Json {
        match unknown {
            Json::Bool(true) => {
                let value = self.placeholder(ty, path);
                self.filled.borrow_mut().push((path.clone(), value.clone()));
                value
            }
            Json::Object(mask) => {
                let mut out = after.as_object().cloned().unwrap_or_default();
                for (key, mask) in mask {
                    path.push(Segment::Key(key.clone()));
                    let child = ty.child(&Step::Key(key));
                    let value =
                        self.fill(after.get(key).unwrap_or(&Json::Null), mask, &child, path);
                    path.pop();
                    out.insert(key.clone(), value);
                }
                Json::Object(out)
            }
            Json::Array(mask) => {
                let items = after.as_array().cloned().unwrap_or_default();
                let len = items.len().max(mask.len());
                (0..len)
                    .map(|i| {
                        path.push(Segment::Index(i));
                        let child = ty.child(&Step::Index(i));
                        let value = self.fill(
                            items.get(i).unwrap_or(&Json::Null),
                            mask.get(i).unwrap_or(&Json::Bool(false)),
                            &child,
                            path,
                        );
                        path.pop();
                        value
                    })
                    .collect()
            }
            _ => after.clone(),
        }
    }

    fn placeholder(&self, ty: &Type<'_>, path: &[Segment]) -> Json {
        let attribute = path
            .iter()
            .rev()
            .find_map(|step| match step {
                Segment::Key(key) => Some(key.as_str()),
                Segment::Index(_) => None,
            })
            .unwrap_or("");
        let steps: Vec<String> = path
            .iter()
            .map(|step| match step {
                Segment::Key(key) => key.clone(),
                Segment::Index(i) => i.to_string(),
            })
            .collect();
        match ty {
            Type::Cty(Json::String(kind)) => match kind.as_str() {
                "string" => match self.filling {
                    Filling::Deployed if is_arn_attribute(attribute) => json!(self.arn()),
                    _ if is_document_attribute(attribute) => json!(""),
                    Filling::Traceable { region } => {
                        json!(Placeholder::new(self.address, steps).render(region))
                    }
                    Filling::Deployed => json!(format!(
                        "ph-{}-{}",
                        sanitize(self.address),
                        sanitize(&steps.join("-"))
                    )),
                },
                "number" => json!(1),
                "bool" => json!(false),
                _ => Json::Null,
            },
            Type::Cty(Json::Array(ty)) => match ty.first().and_then(Json::as_str) {
                Some("list" | "set" | "tuple") => json!([]),
                Some("map") => json!({}),
                Some("object") => Json::Object(
                    ty[1]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(key, _)| (key.clone(), Json::Null))
                        .collect(),
                ),
                _ => Json::Null,
            },
            Type::Blocks(nested) if nested["nesting_mode"] == "map" => json!({}),
            Type::Blocks(_) => json!([]),
            _ => Json::Null,
        }
    }

    /// `arn:aws:iam:eu-west-1:123456789012:iam_role/module-a-aws-iam-role-x`
    fn arn(&self) -> String {
        let resource = self.address.rsplit('.').nth(1).unwrap_or(self.address);
        let resource = resource.strip_prefix("aws_").unwrap_or(resource);
        let service = resource.split('_').next().unwrap_or("aws");
        format!(
            "arn:aws:{service}:{DEPLOYED_REGION}:{DEPLOYED_ACCOUNT}:{resource}/{}",
            sanitize(self.address)
        )
    }
}

fn is_arn_attribute(name: &str) -> bool {
    name == "arn" || name.starts_with("arn_") || name.ends_with("_arn")
}

fn is_document_attribute(name: &str) -> bool {
    ["policy", "policies", "definitions", "definition", "json"]
        .iter()
        .any(|end| name.ends_with(end))
}

/// Letters, digits and single dashes: valid in names, IDs and ARNs.
fn sanitize(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// The paths `after_sensitive` marks, as a state's `sensitive_attributes`
/// lists them.
fn sensitive_paths(mask: &Json, ty: &Type<'_>, path: &mut Vec<Json>, out: &mut Vec<Json>) {
    match mask {
        Json::Bool(true) => out.push(Json::Array(path.clone())),
        Json::Object(map) => {
            for (key, mask) in map {
                let step = if ty.keys_are_indexes() {
                    json!({"type": "index", "value": {"value": key, "type": "string"}})
                } else {
                    json!({"type": "get_attr", "value": key})
                };
                path.push(step);
                sensitive_paths(mask, &ty.child(&Step::Key(key)), path, out);
                path.pop();
            }
        }
        Json::Array(items) => {
            for (i, mask) in items.iter().enumerate() {
                path.push(json!({"type": "index", "value": {"value": i, "type": "number"}}));
                sensitive_paths(mask, &ty.child(&Step::Index(i)), path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The resources the configuration of `module_address`'s `type.name`
/// references in the same module, and its `depends_on`, as absolute
/// addresses without instance keys.
fn dependencies(plan: &Json, module_address: &str, resource_type: &str, name: &str) -> Vec<String> {
    let calls = without_keys(module_address);
    let mut module = &plan["configuration"]["root_module"];
    for call in calls.iter() {
        module = &module["module_calls"][call]["module"];
    }
    let prefix: String = calls.iter().map(|call| format!("module.{call}.")).collect();
    let own = format!("{resource_type}.{name}");
    let mut found = BTreeSet::new();
    let Some(resource) = module["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["address"] == own.as_str())
    else {
        return Vec::new();
    };
    let mut references = Vec::new();
    collect_references(&resource["expressions"], &mut references);
    for dependency in resource["depends_on"].as_array().into_iter().flatten() {
        references.extend(dependency.as_str());
    }
    for reference in references {
        let parts: Vec<&str> = reference.split('.').collect();
        let strip = |part: &str| part.split('[').next().unwrap_or(part).to_owned();
        let address = match parts.as_slice() {
            ["data", ty, name, ..] => format!("data.{ty}.{}", strip(name)),
            [first, ..]
                if matches!(
                    *first,
                    "var" | "local" | "module" | "count" | "each" | "path" | "self" | "terraform"
                ) =>
            {
                continue;
            }
            [ty, name, ..] => format!("{ty}.{}", strip(name)),
            _ => continue,
        };
        if address != own {
            found.insert(format!("{prefix}{address}"));
        }
    }
    found.into_iter().collect()
}

fn collect_references<'j>(json: &'j Json, out: &mut Vec<&'j str>) {
    match json {
        Json::Object(map) => {
            if let Some(Json::Array(references)) = map.get("references") {
                out.extend(references.iter().filter_map(Json::as_str));
            }
            for (key, value) in map {
                if key != "references" && key != "constant_value" {
                    collect_references(value, out);
                }
            }
        }
        Json::Array(items) => items.iter().for_each(|item| collect_references(item, out)),
        _ => {}
    }
}

/// `module.a["k.v"].module.b[0]` → `["a", "b"]`.
fn without_keys(module_address: &str) -> Vec<String> {
    let mut plain = String::new();
    let (mut depth, mut quoted) = (0usize, false);
    for c in module_address.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    plain
        .split('.')
        .collect::<Vec<_>>()
        .chunks(2)
        .filter_map(|pair| match pair {
            ["module", name] => Some((*name).to_owned()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
