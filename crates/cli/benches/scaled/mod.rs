//! Copies of the real pairs under `testdata/real-pairs/`, ×N, every name
//! renamed per copy, so that the copies are as distinct as the resources of
//! one larger deployment: one set of renaming rules, applied either to
//! loaded resources ([`copies`], for timing the comparison) or to the input
//! files themselves ([`scaled_plan`], [`scaled_template`], for measuring
//! the binary on larger inputs).
//!
//! Copy 0 is the original. In copy `k` > 0:
//!
//! - a Terraform address is in a module of its own (`module.copyk.…`);
//! - a logical ID starts with the copy's name (`Copyk…`, CDK's hash stays
//!   at the end), in the same stack; a construct path is under a construct
//!   of its own (`Stack/Copyk/…`);
//! - every literal string has each part between `/` and `:` renamed
//!   (`service/cluster/orders` becomes
//!   `copyk-service/copyk-cluster/copyk-orders`), so that a name inside a
//!   path or an ARN still names the copy's own resource; JSON documents held
//!   in strings are renamed inside; a string the mapping table reads as a
//!   resource's kind stays ([`kinds`]);
//! - references follow the resources they name.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use parity_model::{Ref, Resource, ResourceId, TemplatePart, Unknown, Value};
use serde_json::{Map, Value as Json, json};

/// The folders of the real pairs (each holds an `EXPECTED_PAIRS.yaml`), in
/// order.
pub fn real_pair_dirs(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        if dir.join("EXPECTED_PAIRS.yaml").is_file() {
            out.push(dir.clone());
        }
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() && path.file_name().is_some_and(|n| n != "cdk.out") {
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `n` copies of a deployment, each resource, every reference, construct
/// path and string inside it renamed with the copy's number.
pub fn copies(resources: &[Resource], n: usize) -> Vec<Resource> {
    (0..n)
        .flat_map(|copy| {
            resources.iter().map(move |r| {
                let mut r = r.clone();
                let side = r.id.side();
                r.id = match r.id {
                    ResourceId::Terraform { address } => ResourceId::Terraform {
                        address: renamed_address(&address, copy),
                    },
                    ResourceId::CloudFormation { stack, logical_id } => {
                        ResourceId::CloudFormation {
                            stack,
                            logical_id: renamed_logical_id(&logical_id, copy),
                        }
                    }
                };
                r.construct_path = r.construct_path.map(|p| renamed_path(&p, copy));
                r.properties = r
                    .properties
                    .into_iter()
                    .map(|(k, v)| (k, rename_refs(v, copy, side)))
                    .collect();
                r
            })
        })
        .collect()
}

/// Copy `n` of a Terraform address is in a module of its own.
pub fn renamed_address(address: &str, copy: usize) -> String {
    if copy == 0 {
        address.to_owned()
    } else {
        format!("module.copy{copy}.{address}")
    }
}

/// Copy `n` of a logical ID starts with the copy's name (CDK's hash stays
/// at the end).
pub fn renamed_logical_id(logical_id: &str, copy: usize) -> String {
    if copy == 0 {
        logical_id.to_owned()
    } else {
        format!("Copy{copy}{logical_id}")
    }
}

/// A CloudFormation reference target or `stack/logical ID`.
pub fn renamed_target(target: &str, copy: usize) -> String {
    match target.split_once('/') {
        Some((stack, logical_id)) => format!("{stack}/{}", renamed_logical_id(logical_id, copy)),
        None => renamed_logical_id(target, copy),
    }
}

/// Copy `n` of a construct path is under a construct of its own.
pub fn renamed_path(path: &str, copy: usize) -> String {
    match (copy, path.split_once('/')) {
        (0, _) | (_, None) => path.to_owned(),
        (_, Some((stack, rest))) => format!("{stack}/Copy{copy}/{rest}"),
    }
}

/// Every part of a string between `/` and `:` is renamed, so that a name
/// inside a path or an ARN (`service/cluster/orders`) is still the name of
/// the copy's resource (`copy3-orders`), as in one larger deployment. A
/// resource's kind ([`kinds`]) stays.
pub fn renamed_string(s: &str, copy: usize) -> String {
    if copy == 0 || kinds().contains(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut part = String::new();
    let flush = |part: &mut String, out: &mut String| {
        if !part.is_empty() {
            out.push_str(&format!("copy{copy}-{part}"));
            part.clear();
        }
    };
    for ch in s.chars() {
        if ch == '/' || ch == ':' {
            flush(&mut part, &mut out);
            out.push(ch);
        } else {
            part.push(ch);
        }
    }
    flush(&mut part, &mut out);
    out
}

/// The values the mapping table reads as the kind of a resource, not the
/// name of one: a Terraform security group rule's `type` (`ingress`,
/// `egress`), which CloudFormation spells as the rule's resource type.
/// Renamed on the Terraform side only, as the resource type is not, they
/// would make a copy's rules of no known kind, without a twin; in a larger
/// deployment they are the same in every copy.
pub fn kinds() -> &'static BTreeSet<String> {
    static KINDS: OnceLock<BTreeSet<String>> = OnceLock::new();
    KINDS.get_or_init(|| {
        let table = parity_mapping::Table::builtin().expect("the built-in table loads");
        let mut kinds = BTreeSet::new();
        for (_, terraform) in table.terraform_types() {
            let Some(fold) = &terraform.fold else {
                continue;
            };
            if let Some(alone) = &fold.alone {
                kinds.extend(alone.types.keys().cloned());
            }
            if let parity_mapping::FoldAction::AppendBy { lists, .. } = &fold.action {
                kinds.extend(lists.keys().cloned());
            }
        }
        kinds
    })
}

fn rename_refs(value: Value, copy: usize, side: parity_model::Side) -> Value {
    let target = |t: &str| match side {
        parity_model::Side::Terraform => renamed_address(t, copy),
        parity_model::Side::CloudFormation => renamed_target(t, copy),
    };
    let rename = |r: Ref| Ref {
        target: target(&r.target),
        attribute: r.attribute,
    };
    let unknown = |u: Unknown| Unknown {
        refs: u
            .refs
            .iter()
            .map(|r| match side {
                parity_model::Side::Terraform => target(r),
                // Pseudo-parameters (`AWS::Region`) stay as they are.
                parity_model::Side::CloudFormation => r.clone(),
            })
            .collect(),
        reason: u.reason,
    };
    match value {
        Value::Ref(r) => Value::Ref(rename(r)),
        Value::Unknown(u) => Value::Unknown(unknown(u)),
        Value::Template(parts) => Value::Template(
            parts
                .into_iter()
                .map(|p| match p {
                    TemplatePart::Ref(r) => TemplatePart::Ref(rename(r)),
                    TemplatePart::Unknown(u) => TemplatePart::Unknown(unknown(u)),
                    TemplatePart::Literal(s) => TemplatePart::Literal(renamed_string(&s, copy)),
                })
                .collect(),
        ),
        Value::List(items) => Value::List(
            items
                .into_iter()
                .map(|v| rename_refs(v, copy, side))
                .collect(),
        ),
        Value::Map(map) => Value::Map(
            map.into_iter()
                .map(|(k, v)| (k, rename_refs(v, copy, side)))
                .collect(),
        ),
        Value::Sensitive(inner) => rename_refs(*inner, copy, side).into_sensitive(),
        Value::String(s) => Value::String(renamed_string(&s, copy)),
        other => other,
    }
}

/// `terraform show -json` output holding `n` copies of `plan`: copy 0 is
/// the plan itself, copy `k` its root module called as `module.copyk`
/// (resource changes, planned values, prior state and configuration), every
/// literal string of its values renamed. Root outputs and variables stay
/// copy 0's.
pub fn scaled_plan(plan: &Json, n: usize) -> Json {
    let mut out = plan.clone();
    for copy in 1..n {
        let call = format!("copy{copy}");
        if let (Some(changes), Some(into)) = (
            plan["resource_changes"].as_array(),
            out["resource_changes"].as_array_mut(),
        ) {
            for change in changes {
                let mut change = change.clone();
                rename_address(&mut change, copy);
                change["module_address"] = match change["module_address"].as_str() {
                    Some(inner) => Json::String(renamed_address(inner, copy)),
                    None => Json::String(format!("module.{call}")),
                };
                for side in ["before", "after"] {
                    if let Some(values) = change["change"].get_mut(side) {
                        rename_plan_strings(values, copy);
                    }
                }
                into.push(change);
            }
        }
        for pointer in ["/planned_values", "/prior_state/values"] {
            let Some(root) = plan.pointer(&format!("{pointer}/root_module")) else {
                continue;
            };
            let mut module = root.clone();
            rename_module(&mut module, copy);
            module["address"] = Json::String(format!("module.{call}"));
            let root = out
                .pointer_mut(&format!("{pointer}/root_module"))
                .and_then(Json::as_object_mut)
                .expect("the root module was copied");
            if !matches!(root.get("child_modules"), Some(Json::Array(_))) {
                root.insert("child_modules".into(), Json::Array(Vec::new()));
            }
            root["child_modules"]
                .as_array_mut()
                .expect("an array")
                .push(module);
        }
        if let Some(config) = plan.pointer("/configuration/root_module") {
            let root = out
                .pointer_mut("/configuration/root_module")
                .and_then(Json::as_object_mut)
                .expect("the configuration was copied");
            if !matches!(root.get("module_calls"), Some(Json::Object(_))) {
                root.insert("module_calls".into(), Json::Object(Map::new()));
            }
            root["module_calls"]
                .as_object_mut()
                .expect("an object")
                .insert(call, json!({"source": "./copy", "module": config}));
        }
    }
    out
}

/// A module of the values representation as copy `copy`: every resource's
/// and child module's address renamed, and every literal string of the
/// resources' values.
fn rename_module(module: &mut Json, copy: usize) {
    if let Some(resources) = module.get_mut("resources").and_then(Json::as_array_mut) {
        for resource in resources {
            rename_address(resource, copy);
            if let Some(values) = resource.get_mut("values") {
                rename_plan_strings(values, copy);
            }
        }
    }
    if let Some(children) = module.get_mut("child_modules").and_then(Json::as_array_mut) {
        for child in children {
            rename_address(child, copy);
            rename_module(child, copy);
        }
    }
}

fn rename_address(object: &mut Json, copy: usize) {
    if let Some(address) = object.get("address").and_then(Json::as_str) {
        object["address"] = Json::String(renamed_address(address, copy));
    }
}

/// Every literal string of Terraform values renamed, inside JSON documents
/// held in strings too.
fn rename_plan_strings(value: &mut Json, copy: usize) {
    match value {
        Json::String(text) => {
            let document = text
                .starts_with(['{', '['])
                .then(|| serde_json::from_str::<Json>(text).ok())
                .flatten();
            *text = match document {
                Some(mut document) => {
                    rename_plan_strings(&mut document, copy);
                    document.to_string()
                }
                None => renamed_string(text, copy),
            };
        }
        Json::Array(items) => items.iter_mut().for_each(|v| rename_plan_strings(v, copy)),
        Json::Object(map) => map.values_mut().for_each(|v| rename_plan_strings(v, copy)),
        _ => {}
    }
}

/// A CloudFormation template holding `n` copies of the resources and
/// outputs of `template`, in the same stack: logical IDs, construct paths,
/// references and literal strings renamed per copy. Parameters, mappings
/// and conditions are shared.
pub fn scaled_template(template: &Json, n: usize) -> Json {
    let mut out = template.clone();
    let empty = Map::new();
    let resources = template["Resources"].as_object().unwrap_or(&empty);
    let outputs = template["Outputs"].as_object().unwrap_or(&empty);
    let names = Names(resources);
    let (mut new_resources, mut new_outputs) = (Map::new(), Map::new());
    for copy in 0..n {
        for (id, resource) in resources {
            let mut resource = resource.clone();
            if let Some(object) = resource.as_object_mut() {
                for (key, value) in object.iter_mut() {
                    match key.as_str() {
                        "Properties" => names.rename(value, copy),
                        "DependsOn" => match value {
                            Json::String(id) => *id = names.renamed(id, copy),
                            Json::Array(ids) => ids
                                .iter_mut()
                                .filter_map(|id| match id {
                                    Json::String(id) => Some(id),
                                    _ => None,
                                })
                                .for_each(|id| *id = names.renamed(id, copy)),
                            _ => {}
                        },
                        "Metadata" => {
                            if let Some(Json::String(path)) = value.get_mut("aws:cdk:path") {
                                *path = renamed_path(path, copy);
                            }
                        }
                        _ => {}
                    }
                }
            }
            new_resources.insert(renamed_logical_id(id, copy), resource);
        }
        for (name, output) in outputs {
            let mut output = output.clone();
            for key in ["Value", "Export"] {
                if let Some(value) = output.get_mut(key) {
                    names.rename(value, copy);
                }
            }
            new_outputs.insert(renamed_logical_id(name, copy), output);
        }
    }
    out["Resources"] = Json::Object(new_resources);
    if template.get("Outputs").is_some() {
        out["Outputs"] = Json::Object(new_outputs);
    }
    out
}

/// The logical IDs of a template's resources, which references rename.
struct Names<'a>(&'a Map<String, Json>);

impl Names<'_> {
    fn renamed(&self, id: &str, copy: usize) -> String {
        if self.0.contains_key(id) {
            renamed_logical_id(id, copy)
        } else {
            id.to_owned()
        }
    }

    /// Renames the literal strings and the references to resources of a
    /// template value; what names parameters, mappings, conditions and
    /// attributes, and the delimiters and indexes of functions, stay.
    fn rename(&self, value: &mut Json, copy: usize) {
        if copy == 0 {
            return;
        }
        match value {
            Json::String(text) => *text = renamed_string(text, copy),
            Json::Array(items) => items.iter_mut().for_each(|v| self.rename(v, copy)),
            Json::Object(map) if map.len() == 1 => {
                let (key, arg) = map.iter_mut().next().expect("one entry");
                match (key.as_str(), arg) {
                    ("Ref", Json::String(id)) => *id = self.renamed(id, copy),
                    ("Fn::GetAtt", Json::Array(args)) => {
                        if let Some(Json::String(id)) = args.first_mut() {
                            *id = self.renamed(id, copy);
                        }
                    }
                    ("Fn::GetAtt", Json::String(text)) => {
                        if let Some((id, attribute)) = text.split_once('.') {
                            *text = format!("{}.{attribute}", self.renamed(id, copy));
                        }
                    }
                    ("Fn::Sub", Json::String(text)) => *text = self.renamed_sub(text, copy),
                    ("Fn::Sub", Json::Array(args)) => {
                        if let Some(Json::String(text)) = args.first_mut() {
                            *text = self.renamed_sub(text, copy);
                        }
                        if let Some(Json::Object(vars)) = args.get_mut(1) {
                            vars.values_mut().for_each(|v| self.rename(v, copy));
                        }
                    }
                    ("Fn::Join" | "Fn::Split" | "Fn::Select" | "Fn::If", Json::Array(args)) => {
                        args.iter_mut().skip(1).for_each(|v| self.rename(v, copy));
                    }
                    ("Fn::FindInMap" | "Fn::GetAZs" | "Fn::Cidr" | "Condition", _) => {}
                    (_, arg) => self.rename(arg, copy),
                }
            }
            Json::Object(map) => map.values_mut().for_each(|v| self.rename(v, copy)),
            _ => {}
        }
    }

    /// An `Fn::Sub` string: literal parts renamed as strings, `${Id}` and
    /// `${Id.Attribute}` of resources renamed as references.
    fn renamed_sub(&self, text: &str, copy: usize) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&renamed_string(&rest[..start], copy));
            let Some(end) = rest[start..].find('}') else {
                rest = &rest[start..];
                break;
            };
            let inner = &rest[start + 2..start + end];
            let (id, attribute) = match inner.split_once('.') {
                Some((id, attribute)) => (id, Some(attribute)),
                None => (inner, None),
            };
            out.push_str("${");
            out.push_str(&self.renamed(id, copy));
            if let Some(attribute) = attribute {
                out.push('.');
                out.push_str(attribute);
            }
            out.push('}');
            rest = &rest[start + end + 1..];
        }
        out.push_str(&renamed_string(rest, copy));
        out
    }
}
