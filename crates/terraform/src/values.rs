//! The values representation of Terraform's JSON: a plan's `planned_values`
//! and `prior_state.values`, a state's `values`. Root module and child
//! modules, each resource instance with its values.

use std::collections::BTreeSet;

use serde_json::{Map, Value as Json};

use crate::Error;
use crate::address::Address;
use crate::error::Cx;
use crate::pointer::{Pointer, kind, quote};

/// Keys only a plan has at its top level.
pub const PLAN_KEYS: &[&str] = &[
    "planned_values",
    "resource_changes",
    "resource_drift",
    "output_changes",
    "prior_state",
    "configuration",
    "relevant_attributes",
];

/// What every resource instance says about itself, checked.
#[derive(Debug)]
pub struct Header<'j> {
    /// The absolute address.
    pub address: String,
    pub parsed: Address,
    pub data: bool,
    pub resource_type: &'j str,
}

/// A resource instance of a values representation.
#[derive(Debug)]
pub struct Instance<'j> {
    pub at: Pointer,
    pub header: Header<'j>,
    pub values: Option<&'j Json>,
    pub sensitive_values: Option<&'j Json>,
    /// The resources the state records as dependencies.
    pub depends_on: BTreeSet<String>,
}

/// A values representation, read.
#[derive(Debug, Default)]
pub struct Values<'j> {
    /// Root module outputs, and where they are.
    pub outputs: Option<(&'j Map<String, Json>, Pointer)>,
    pub instances: Vec<Instance<'j>>,
}

/// Reads a values representation (`{"outputs": …, "root_module": …}`).
pub fn read<'j>(cx: Cx<'_>, json: &'j Json, at: &Pointer) -> Result<Values<'j>, Error> {
    let object = expect_object(cx, json, at)?;
    if object.contains_key("format_version") || object.contains_key("values") {
        return Err(cx.error(
            at,
            "holds a whole state document where a values object (`outputs`, `root_module`) belongs",
        ));
    }
    if let Some(key) = PLAN_KEYS.iter().find(|key| object.contains_key(**key)) {
        return Err(cx.error(
            at,
            format!(
                "holds a plan (`{key}`) where a values object (`outputs`, `root_module`) belongs"
            ),
        ));
    }
    let mut values = Values::default();
    if let Some(outputs) = object.get("outputs") {
        let at = at.key("outputs");
        let map = expect_object(cx, outputs, &at)?;
        for (name, output) in map {
            let at = at.key(name);
            let output = expect_object(cx, output, &at)?;
            match output.get("sensitive") {
                None | Some(Json::Bool(_)) => {}
                Some(other) => {
                    return Err(cx.error(
                        &at.key("sensitive"),
                        format!("expected true or false, found {}", kind(other)),
                    ));
                }
            }
        }
        values.outputs = Some((map, at));
    }
    if let Some(root) = object.get("root_module") {
        module(
            cx,
            root,
            &at.key("root_module"),
            None,
            &mut values.instances,
            0,
        )?;
    }
    Ok(values)
}

/// Modules nest no deeper than JSON does; this bounds the recursion all the
/// same.
const MAX_MODULE_DEPTH: usize = 100;

/// One module of the tree; `address` is the child module's own address.
fn module<'j>(
    cx: Cx<'_>,
    json: &'j Json,
    at: &Pointer,
    address: Option<&str>,
    out: &mut Vec<Instance<'j>>,
    depth: usize,
) -> Result<(), Error> {
    if depth > MAX_MODULE_DEPTH {
        return Err(cx.error(at, "modules nested too deep"));
    }
    let object = expect_object(cx, json, at)?;
    if let Some(resources) = object.get("resources") {
        let at = at.key("resources");
        for (i, resource) in expect_array(cx, resources, &at)?.iter().enumerate() {
            let at = at.index(i);
            let object = expect_object(cx, resource, &at)?;
            let header = header(cx, object, &at, address)?;
            let values = match object.get("values") {
                None | Some(Json::Null) => None,
                Some(json @ Json::Object(_)) => Some(json),
                Some(other) => {
                    return Err(cx.error(
                        &at.key("values"),
                        format!("expected an object of attributes, found {}", kind(other)),
                    ));
                }
            };
            let mut depends_on = BTreeSet::new();
            if let Some(list) = object.get("depends_on") {
                let at = at.key("depends_on");
                for (j, dependency) in expect_array(cx, list, &at)?.iter().enumerate() {
                    match dependency.as_str() {
                        Some(address) => depends_on.insert(address.to_owned()),
                        None => {
                            return Err(cx.error(
                                &at.index(j),
                                format!("expected a resource address, found {}", kind(dependency)),
                            ));
                        }
                    };
                }
            }
            out.push(Instance {
                at,
                header,
                values,
                sensitive_values: object.get("sensitive_values"),
                depends_on,
            });
        }
    }
    if let Some(children) = object.get("child_modules") {
        let at = at.key("child_modules");
        for (i, child) in expect_array(cx, children, &at)?.iter().enumerate() {
            let at = at.index(i);
            let child_address = match expect_object(cx, child, &at)?.get("address") {
                Some(Json::String(address)) => Some(address.as_str()),
                None => None,
                Some(other) => {
                    return Err(cx.error(
                        &at.key("address"),
                        format!("expected a module address, found {}", kind(other)),
                    ));
                }
            };
            module(cx, child, &at, child_address, out, depth + 1)?;
        }
    }
    Ok(())
}

/// Reads `address`, `mode` and `type`, and checks that they agree. In a
/// child module, an address without the module's prefix is taken as
/// relative to it (Terraform 0.12 wrote prior states that way).
pub fn header<'j>(
    cx: Cx<'_>,
    object: &'j Map<String, Json>,
    at: &Pointer,
    module: Option<&str>,
) -> Result<Header<'j>, Error> {
    let field = |name: &str| -> Result<&'j str, Error> {
        match object.get(name) {
            Some(Json::String(text)) => Ok(text.as_str()),
            None => Err(cx.error(&at.key(name), "missing: expected a string")),
            Some(other) => Err(cx.error(
                &at.key(name),
                format!("expected a string, found {}", kind(other)),
            )),
        }
    };
    let written = field("address")?;
    let mut address = match module {
        Some(module) if !written.starts_with(&format!("{module}.")) => {
            format!("{module}.{written}")
        }
        _ => written.to_owned(),
    };
    let mut parsed = Address::parse(&address).ok_or_else(|| {
        cx.error(
            &at.key("address"),
            format!("{} is not a resource instance address", quote(written)),
        )
    })?;
    // Terraform 0.12.0's states (format 0.1) leave the instance key out of
    // the address and give it as `index` alone: three `null_resource.baz`.
    if parsed.key.is_empty()
        && let Some(key) = instance_key(cx, object, at)?
    {
        address.push_str(&key);
        parsed.key = key;
    }
    let data = match field("mode")? {
        "managed" => false,
        "data" => true,
        other => {
            return Err(cx.error(
                &at.key("mode"),
                format!(
                    "unknown mode {}: expected \"managed\" or \"data\"",
                    quote(other)
                ),
            ));
        }
    };
    if data != parsed.data {
        return Err(cx.error(
            &at.key("mode"),
            format!(
                "mode {:?} disagrees with the address {}",
                if data { "data" } else { "managed" },
                quote(written)
            ),
        ));
    }
    let resource_type = field("type")?;
    if resource_type != parsed.resource_type {
        return Err(cx.error(
            &at.key("type"),
            format!(
                "type {} disagrees with the address {}",
                quote(resource_type),
                quote(written)
            ),
        ));
    }
    Ok(Header {
        address,
        parsed,
        data,
        resource_type,
    })
}

/// The instance key that `index` gives, brackets included, as Terraform
/// prints it in addresses: `[0]`, `["test.1"]`.
fn instance_key(
    cx: Cx<'_>,
    object: &Map<String, Json>,
    at: &Pointer,
) -> Result<Option<String>, Error> {
    match object.get("index") {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Number(n)) if n.is_u64() => Ok(Some(format!("[{n}]"))),
        Some(Json::String(key)) => Ok(Some(format!("[{}]", Json::String(key.clone())))),
        Some(other) => Err(cx.error(
            &at.key("index"),
            format!(
                "expected an instance key (a whole number or a string), found {}",
                kind(other)
            ),
        )),
    }
}

pub fn expect_object<'j>(
    cx: Cx<'_>,
    json: &'j Json,
    at: &Pointer,
) -> Result<&'j Map<String, Json>, Error> {
    json.as_object()
        .ok_or_else(|| cx.error(at, format!("expected an object, found {}", kind(json))))
}

pub fn expect_array<'j>(cx: Cx<'_>, json: &'j Json, at: &Pointer) -> Result<&'j Vec<Json>, Error> {
    json.as_array()
        .ok_or_else(|| cx.error(at, format!("expected an array, found {}", kind(json))))
}
