//! The top level of `terraform show -json` output: which format and version
//! it is, whether a plan or a state, and a state's resources and outputs.

use std::path::Path;

use parity_model::{Resource, ResourceId, Unknown, Value};
use serde_json::{Map, Value as Json};

use crate::config::Resolved;
use crate::error::Cx;
use crate::masks::{self, MaskPointers};
use crate::placeholder::Placeholders;
use crate::pointer::{Pointer, kind, quote};
use crate::references::{Evidence, Index};
use crate::values::{self, Instance, PLAN_KEYS};
use crate::{Error, InputKind, TerraformInput, address, json_documents, plan};
use parity_model::Secrets;

/// Loads a parsed document; `text`, when given, is the text it was parsed
/// from (without a byte order mark), with `resource_changes` left out but
/// each entry's address: the entries are then read from the text one at a
/// time. Without it, everything is read from the document.
pub fn load(
    json: &mut Json,
    path: &Path,
    text: Option<plan::Text<'_>>,
) -> Result<TerraformInput, Error> {
    let cx = Cx { path };
    let at = Pointer::root();
    let found = kind(json);
    let Some(root) = json.as_object_mut() else {
        return Err(cx.error(
            &at,
            format!("expected an object, as `terraform show -json` writes, found {found}"),
        ));
    };
    if let Some(other) = other_output(root) {
        return Err(cx.error(&at, other));
    }
    let format_version = match root.get("format_version") {
        Some(Json::String(v)) => v.clone(),
        Some(other) => {
            return Err(cx.error(
                &at.key("format_version"),
                format!("expected a string, found {}", kind(other)),
            ));
        }
        None => return Err(cx.error(&at.key("format_version"), missing_version(root))),
    };
    check_format_version(&format_version).map_err(|m| cx.error(&at.key("format_version"), m))?;
    let terraform_version = match root.get("terraform_version") {
        Some(Json::String(v)) => Some(v.clone()),
        None | Some(Json::Null) => None,
        Some(other) => {
            return Err(cx.error(
                &at.key("terraform_version"),
                format!("expected a string, found {}", kind(other)),
            ));
        }
    };
    let plan_key = PLAN_KEYS.iter().find(|key| root.contains_key(**key));
    let header = Header {
        path,
        format_version,
        terraform_version,
    };
    match (plan_key, root.contains_key("values")) {
        (Some(key), true) => Err(cx.error(
            &at.key("values"),
            format!(
                "a state's `values` beside a plan's `{key}`: this file is neither a plan nor a state"
            ),
        )),
        (Some(_), false) => plan::load(cx, root, header, text),
        (None, _) => load_state(cx, root, header),
    }
}

/// What every Terraform output says about itself.
pub struct Header<'a> {
    pub path: &'a Path,
    pub format_version: String,
    pub terraform_version: Option<String>,
}

impl Header<'_> {
    pub fn input(self, kind: InputKind) -> TerraformInput {
        TerraformInput {
            path: self.path.to_owned(),
            kind,
            format_version: self.format_version,
            terraform_version: self.terraform_version,
            resources: Vec::new(),
            data_sources: Vec::new(),
            outputs: parity_model::Map::new(),
            variables: parity_model::Map::new(),
        }
    }
}

/// What to give instead, said at the end of each message about the wrong
/// kind of Terraform JSON.
const GIVE_INSTEAD: &str = "give the output of `terraform show -json tfplan` (a plan file) or `terraform show -json` (the state)";

/// Terraform's other JSON outputs, which carry a `format_version` too but
/// describe no resources: loading them as an empty plan would say "in
/// parity" about nothing.
fn other_output(root: &Map<String, Json>) -> Option<String> {
    let what = if root.contains_key("provider_schemas") {
        "`terraform providers schema -json` output (the providers' schemas)"
    } else if root.contains_key("valid") && root.contains_key("diagnostics") {
        "`terraform validate -json` output (diagnostics)"
    } else {
        return None;
    };
    Some(format!(
        "this is {what}, which lists no resources: {GIVE_INSTEAD}"
    ))
}

/// Whether a JSON document is one of Terraform's outputs (or a state file),
/// by its top-level keys, even when it is not the kind iac-parity reads:
/// then the Terraform loader can say what it is and what to give instead.
/// CloudFormation templates have none of these keys.
pub fn is_terraform_json(json: &Json) -> bool {
    json.as_object()
        .is_some_and(|root| has_terraform_keys(|key| root.contains_key(key)))
}

/// [`is_terraform_json`] for JSON text, reading only its top-level keys (no
/// document is built: a large file costs no memory to tell apart); `None`
/// when the text is not JSON.
pub fn is_terraform_text(text: &[u8]) -> Option<bool> {
    match parity_json::top_level_keys(text).ok()? {
        Some(keys) => Some(has_terraform_keys(|key| keys.iter().any(|k| k == key))),
        None => Some(false),
    }
}

/// Whether a top-level object with these keys (`has` says whether it
/// names one) is Terraform's.
fn has_terraform_keys(has: impl Fn(&str) -> bool) -> bool {
    !has("Resources")
        && [
            "format_version",
            "terraform_version",
            "lineage",
            "values",
            "provider_schemas",
            "@level",
        ]
        .iter()
        .chain(PLAN_KEYS)
        .any(|key| has(key))
}

/// Says what the file looks like when it is not Terraform's JSON output.
fn missing_version(root: &Map<String, Json>) -> String {
    let plan_key = PLAN_KEYS.iter().find(|key| root.contains_key(**key));
    let looks_like = if root.contains_key("AWSTemplateFormatVersion")
        || root.contains_key("Resources")
    {
        "this looks like a CloudFormation template, not `terraform show -json` output".to_owned()
    } else if root.contains_key("lineage") || root.contains_key("serial") {
        "this is a state file as Terraform stores it (terraform.tfstate), not its JSON rendering: give the output of `terraform show -json` (the state) instead".to_owned()
    } else if let Some(key) = plan_key {
        format!(
            "a plan's `{key}` without the format_version that `terraform show -json` always writes: give the unedited output of `terraform show -json tfplan`"
        )
    } else if root.contains_key("@level") || root.contains_key("@message") {
        "this looks like `terraform plan -json` log output; give the output of `terraform show -json` on the plan file instead".to_owned()
    } else {
        format!("this is not `terraform show -json` output: {GIVE_INSTEAD}")
    };
    format!("missing: {looks_like}")
}

/// Terraform's JSON output formats promise compatibility within a major
/// version; 0.x (from 0.1) and 1.x are the ones that exist.
fn check_format_version(version: &str) -> Result<(), String> {
    let parsed = version
        .split_once('.')
        .filter(|(major, minor)| is_number(major) && is_number(minor))
        .and_then(|(major, minor)| Some((major.parse::<u64>().ok()?, minor.parse::<u64>().ok()?)));
    match parsed {
        Some((0, minor)) if minor >= 1 => Ok(()),
        Some((1, _)) => Ok(()),
        Some(_) => Err(format!(
            "unsupported format_version {}: iac-parity reads versions 0.1 to 1.x",
            quote(version)
        )),
        None => Err(format!(
            "format_version {} is not a version number (MAJOR.MINOR)",
            quote(version)
        )),
    }
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.len() <= 9 && text.bytes().all(|b| b.is_ascii_digit())
}

/// A state: `values` (absent when the state is empty).
fn load_state(
    cx: Cx<'_>,
    root: &Map<String, Json>,
    header: Header<'_>,
) -> Result<TerraformInput, Error> {
    let mut input = header.input(InputKind::State);
    let Some(values_json) = root.get("values") else {
        return Ok(input);
    };
    let values = values::read(cx, values_json, &Pointer::root().key("values"))?;
    let mut index = Index::default();
    let mut secrets = Secrets::default();
    let mut placeholders = Placeholders::default();
    for instance in &values.instances {
        if let Some(values) = instance.values {
            placeholders.collect(values);
        }
    }
    for instance in &values.instances {
        if !instance.header.data
            && let Some(values) = instance.values
        {
            index.add(&instance.header.address, values);
        }
    }
    for instance in &values.instances {
        let mut resource = from_values(cx, instance, None, &mut secrets)?;
        for value in resource.properties.values_mut() {
            placeholders.rewrite(value, &instance.header.address);
        }
        if instance.header.data {
            input.data_sources.push(resource);
        } else {
            let evidence = Evidence::DependsOn(instance.depends_on.clone());
            index.rewrite(
                &mut resource.properties,
                &instance.header.address,
                &evidence,
            );
            input.resources.push(resource);
        }
    }
    if let Some((outputs, at)) = values.outputs {
        input.outputs = outputs_from_values(cx, outputs, &at, &|_| Default::default())?;
        for value in input.outputs.values_mut() {
            placeholders.rewrite(value, "");
        }
    }
    hide_copies(&mut input, secrets);
    Ok(input)
}

/// Marks the copies of sensitive values, wherever they are (see
/// [`Secrets`]).
pub fn hide_copies(input: &mut TerraformInput, mut secrets: Secrets) {
    for value in input.variables.values().chain(input.outputs.values()) {
        secrets.collect(value);
    }
    let resources = input.resources.iter_mut().chain(&mut input.data_sources);
    for value in resources.flat_map(|r| r.properties.values_mut()) {
        secrets.mark(value);
    }
    for value in input.outputs.values_mut() {
        secrets.mark(value);
    }
}

/// A resource of a values representation: its values with their
/// `sensitive_values`, JSON documents decoded.
pub fn from_values(
    cx: Cx<'_>,
    instance: &Instance<'_>,
    action: Option<parity_model::Action>,
    secrets: &mut Secrets,
) -> Result<Resource, Error> {
    let at = &instance.at;
    let pointers = MaskPointers {
        unknown: at.key("values"),
        sensitive: at.key("sensitive_values"),
    };
    let value = masks::build(
        instance.values,
        None,
        instance.sensitive_values,
        &pointers,
        &|_| Unknown::default(),
    )
    .map_err(|p| cx.problem(p))?;
    resource(
        cx,
        &instance.header,
        value,
        action,
        &at.key("values"),
        secrets,
    )
}

/// Builds the resource from its attribute value; remembers its sensitive
/// strings in `secrets`.
pub fn resource(
    cx: Cx<'_>,
    header: &values::Header<'_>,
    value: Value,
    action: Option<parity_model::Action>,
    at: &Pointer,
    secrets: &mut Secrets,
) -> Result<Resource, Error> {
    secrets.collect(&value);
    let mut properties = match value {
        Value::Map(map) => map,
        Value::Null => parity_model::Map::new(),
        // A mark on the whole resource marks every attribute.
        Value::Sensitive(inner) => match *inner {
            Value::Map(map) => map
                .into_iter()
                .map(|(key, value)| (key, value.into_sensitive()))
                .collect(),
            Value::Null => parity_model::Map::new(),
            _ => return Err(cx.error(at, "expected an object of attributes")),
        },
        Value::Unknown(_) => {
            return Err(cx.error(
                at,
                "the whole resource is marked unknown: expected an object of attributes",
            ));
        }
        _ => return Err(cx.error(at, "expected an object of attributes")),
    };
    json_documents::decode(&mut properties, header.resource_type, &header.address, at)
        .map_err(|p| cx.problem(p))?;
    Ok(Resource {
        id: ResourceId::Terraform {
            address: header.address.to_owned(),
        },
        resource_type: header.resource_type.to_owned(),
        properties,
        action,
        construct_path: None,
        module: address::module_of(&header.address).map(str::to_owned),
        condition: None,
    })
}

/// Root module outputs of a values representation; an output without a
/// `value` is unknown. `config` says what an output depends on and whether
/// the configuration declares it sensitive.
pub fn outputs_from_values(
    cx: Cx<'_>,
    outputs: &Map<String, Json>,
    at: &Pointer,
    config: &dyn Fn(&str) -> Resolved,
) -> Result<parity_model::Map, Error> {
    let mut out = parity_model::Map::new();
    for (name, output) in outputs {
        let at = at.key(name);
        let output = values::expect_object(cx, output, &at)?;
        let resolved = config(name);
        let value = match output.get("value") {
            Some(json) => Value::from_json(json),
            None => Value::Unknown(Unknown {
                refs: resolved.addresses.into_iter().collect(),
                reason: None,
            }),
        };
        let sensitive = resolved.sensitive || output.get("sensitive") == Some(&Json::Bool(true));
        out.insert(
            name.clone(),
            if sensitive {
                value.into_sensitive()
            } else {
                value
            },
        );
    }
    Ok(out)
}
