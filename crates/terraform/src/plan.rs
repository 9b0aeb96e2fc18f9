//! Plans: which resource instances exist after apply, with what values, and
//! what the plan does to each.
//!
//! `resource_changes` is the source when the plan has it (it carries the
//! actions and the unknown and sensitive masks), `planned_values` otherwise.
//! A resource deleted without a replacement does not exist after apply and
//! is left out; a deposed object is on its way out and is left out too.
//!
//! A plan whose unknowns were resolved (see [`crate::resolution`]) says what
//! the plan before resolution does to each resource, and which of its values
//! were invented: those actions are the resources' actions, those values are
//! unknown; the placeholders the plan holds become references.

use std::collections::{BTreeMap, BTreeSet};

use parity_model::{Action, Unknown, Value};
use serde_json::{Map, Value as Json};

use crate::address::Address;
use crate::config::Configuration;
use crate::document::{self, Header};
use crate::error::Cx;
use crate::masks::{self, MaskPointers, Segment};
use crate::placeholder::Placeholders;
use crate::plain;
use crate::pointer::{Pointer, kind, quote};
use crate::references::{Evidence, Index};
use crate::resolution::{RESOLUTION_KEY, Resolution};
use crate::values::{self, PLAN_KEYS, Values, expect_array, expect_object};
use crate::{Error, InputKind, TerraformInput};
use parity_model::Secrets;

/// One entry of `resource_changes`, checked.
struct Change<'j> {
    at: Pointer,
    header: values::Header<'j>,
    deposed: bool,
    /// `None` when the resource will not exist after apply.
    action: Option<Action>,
    change: &'j Map<String, Json>,
}

pub fn load(
    cx: Cx<'_>,
    root: &Map<String, Json>,
    header: Header<'_>,
) -> Result<TerraformInput, Error> {
    let top = Pointer::root();
    let mut input = header.input(InputKind::Plan);
    match root.get("errored") {
        None | Some(Json::Bool(false)) => {}
        Some(Json::Bool(true)) => {
            return Err(cx.error(
                &top.key("errored"),
                "the plan is marked errored: terraform could not finish planning, so it does not say what will exist",
            ));
        }
        Some(other) => {
            return Err(cx.error(
                &top.key("errored"),
                format!("expected true or false, found {}", kind(other)),
            ));
        }
    }
    let prior = prior_state(cx, root.get("prior_state"), &top.key("prior_state"))?;
    let planned = match root.get("planned_values") {
        None | Some(Json::Null) => Values::default(),
        Some(json) => values::read(cx, json, &top.key("planned_values"))?,
    };
    let changes = match root.get("resource_changes") {
        None | Some(Json::Null) => None,
        Some(json) => Some(resource_changes(cx, json, &top.key("resource_changes"))?),
    };

    let addresses = prior
        .instances
        .iter()
        .chain(&planned.instances)
        .map(|i| &i.header.parsed)
        .chain(changes.iter().flatten().map(|c| &c.header.parsed));
    let config = match root.get("configuration") {
        None | Some(Json::Null) => None,
        Some(json) => Some(
            Configuration::parse(json, &top.key("configuration"), module_instances(addresses))
                .map_err(|p| cx.problem(p))?,
        ),
    };
    let config = config.as_ref();
    let resolution = match root.get(RESOLUTION_KEY) {
        None | Some(Json::Null) => None,
        Some(json) => Some(Resolution::read(cx, json, &top.key(RESOLUTION_KEY))?),
    };
    if let Some(resolution) = &resolution {
        check_resolution(cx, resolution, changes.as_deref(), &top.key(RESOLUTION_KEY))?;
    }

    let mut placeholders = Placeholders::default();
    for instance in prior.instances.iter().chain(&planned.instances) {
        if let Some(values) = instance.values {
            placeholders.collect(values);
        }
    }
    for change in changes.iter().flatten() {
        if let Some(after) = change.change.get("after") {
            placeholders.collect(after);
        }
    }
    if let Some(resolution) = &resolution {
        placeholders.add_substitutes(&resolution.substitutes);
    }

    let mut index = Index::default();
    for instance in &prior.instances {
        if let (false, Some(values)) = (instance.header.data, instance.values) {
            index.add(&instance.header.address, values);
        }
    }

    let mut secrets = Secrets::default();
    let mut managed = Vec::new();
    match &changes {
        Some(changes) => {
            for change in changes {
                if change.deposed {
                    continue;
                }
                let recorded = resolution
                    .as_ref()
                    .and_then(|r| r.actions.get(&change.header.address));
                let action = match recorded {
                    Some(names) => {
                        let names: Vec<Json> =
                            names.iter().map(|n| Json::from(n.as_str())).collect();
                        let at = top
                            .key(RESOLUTION_KEY)
                            .key("actions")
                            .key(&change.header.address);
                        action(cx, &names, &at)?
                    }
                    None => change.action,
                };
                let Some(action) = action else {
                    continue;
                };
                let resource = from_change(
                    cx,
                    change,
                    action,
                    config,
                    resolution.as_ref(),
                    &mut secrets,
                )?;
                if change.header.data {
                    input.data_sources.push(resource);
                } else {
                    managed.push((resource, &change.header));
                }
            }
        }
        None => {
            for instance in &planned.instances {
                let mut resource = document::from_values(cx, instance, None, &mut secrets)?;
                if instance.sensitive_values.is_none() {
                    mark_from_configuration(
                        &mut resource.properties,
                        config,
                        &instance.header.parsed,
                    );
                }
                if instance.header.data {
                    input.data_sources.push(resource);
                } else {
                    managed.push((resource, &instance.header));
                }
            }
        }
    }
    // Data sources read while planning are in the prior state only.
    for instance in prior.instances.iter().filter(|i| i.header.data) {
        let address = &instance.header.address;
        if !input
            .data_sources
            .iter()
            .any(|r| &r.id.to_string() == address)
        {
            input
                .data_sources
                .push(document::from_values(cx, instance, None, &mut secrets)?);
        }
    }
    for resource in &mut input.data_sources {
        let owner = resource.id.to_string();
        for value in resource.properties.values_mut() {
            placeholders.rewrite(value, &owner);
        }
    }
    input.variables = variables(cx, root.get("variables"), &top.key("variables"), config)?;
    let harmless = plain::harmless_variables(&input.variables);
    for (mut resource, header) in managed {
        if let Some(config) = config {
            plain::unmark_harmless(
                &mut resource.properties,
                config,
                &header.parsed,
                &harmless,
                &mut secrets,
            );
        }
        for value in resource.properties.values_mut() {
            placeholders.rewrite(value, &header.address);
        }
        if let Some(config) = config {
            for (attribute, value) in resource.properties.iter_mut() {
                let path = [Segment::Key(attribute.clone())];
                let addresses = config.attribute(&header.parsed, &path).addresses;
                let depends_on = |address: &str| {
                    addresses.iter().any(|dependency| {
                        address == dependency
                            || address
                                .strip_prefix(dependency.as_str())
                                .is_some_and(|rest| rest.starts_with('['))
                    })
                };
                placeholders.rewrite_enums(value, &header.address, &depends_on);
            }
        }
        if !index.is_empty() {
            let evidence = match config {
                Some(config) => Evidence::Configuration(
                    resource
                        .properties
                        .keys()
                        .map(|attribute| {
                            let path = [Segment::Key(attribute.clone())];
                            (
                                attribute.clone(),
                                config.attribute(&header.parsed, &path).addresses,
                            )
                        })
                        .collect(),
                ),
                None => Evidence::Nothing,
            };
            index.rewrite(&mut resource.properties, &header.address, &evidence);
        }
        input.resources.push(resource);
    }

    input.outputs = match root.get("output_changes") {
        None | Some(Json::Null) => match planned.outputs {
            Some((outputs, at)) => document::outputs_from_values(cx, outputs, &at, &|name| {
                config.map(|c| c.output(name)).unwrap_or_default()
            })?,
            None => BTreeMap::new(),
        },
        Some(json) => output_changes(cx, json, &top.key("output_changes"), config, &planned)?,
    };
    for value in input.outputs.values_mut() {
        placeholders.rewrite(value, "");
    }
    document::hide_copies(&mut input, secrets);
    Ok(input)
}

/// A resolution names only resource instances the plan changes.
fn check_resolution(
    cx: Cx<'_>,
    resolution: &Resolution,
    changes: Option<&[Change<'_>]>,
    at: &Pointer,
) -> Result<(), Error> {
    let known = |address: &str| {
        changes
            .into_iter()
            .flatten()
            .any(|c| !c.deposed && c.header.address == address)
    };
    let recorded = [
        ("actions", resolution.actions.keys().collect::<Vec<_>>()),
        ("invented", resolution.invented.keys().collect()),
        ("substitutes", resolution.substitutes.keys().collect()),
        ("unresolved", resolution.unresolved.keys().collect()),
    ];
    for (member, addresses) in recorded {
        if let Some(address) = addresses.into_iter().find(|a| !known(a)) {
            return Err(cx.error(
                &at.key(member).key(address),
                format!(
                    "{} is not a resource instance of the plan's `resource_changes`",
                    quote(address)
                ),
            ));
        }
    }
    Ok(())
}

/// A plan's `prior_state` is a state document: `format_version` and
/// `values`.
fn prior_state<'j>(cx: Cx<'_>, json: Option<&'j Json>, at: &Pointer) -> Result<Values<'j>, Error> {
    let Some(json) = json.filter(|j| !j.is_null()) else {
        return Ok(Values::default());
    };
    let object = expect_object(cx, json, at)?;
    if let Some(key) = PLAN_KEYS.iter().find(|key| object.contains_key(**key)) {
        return Err(cx.error(
            at,
            format!("holds a plan (`{key}`) where the state before the plan belongs"),
        ));
    }
    match object.get("format_version") {
        None | Some(Json::String(_)) => {}
        Some(other) => {
            return Err(cx.error(
                &at.key("format_version"),
                format!("expected a string, found {}", kind(other)),
            ));
        }
    }
    match object.get("values") {
        None | Some(Json::Null) => Ok(Values::default()),
        Some(values) => values::read(cx, values, &at.key("values")),
    }
}

fn resource_changes<'j>(
    cx: Cx<'_>,
    json: &'j Json,
    at: &Pointer,
) -> Result<Vec<Change<'j>>, Error> {
    let mut changes = Vec::new();
    for (i, entry) in expect_array(cx, json, at)?.iter().enumerate() {
        let at = at.index(i);
        let object = expect_object(cx, entry, &at)?;
        let header = values::header(cx, object, &at, None)?;
        let deposed = match object.get("deposed") {
            None | Some(Json::Null) => false,
            Some(Json::String(_)) => true,
            Some(other) => {
                return Err(cx.error(
                    &at.key("deposed"),
                    format!(
                        "expected a deposed object's key (a string), found {}",
                        kind(other)
                    ),
                ));
            }
        };
        let change_at = at.key("change");
        let change = match object.get("change") {
            Some(json) => expect_object(cx, json, &change_at)?,
            None => return Err(cx.error(&change_at, "missing: expected an object")),
        };
        let actions_at = change_at.key("actions");
        let actions = match change.get("actions") {
            Some(json) => expect_array(cx, json, &actions_at)?,
            None => return Err(cx.error(&actions_at, "missing: expected an array")),
        };
        let action = action(cx, actions, &actions_at)?;
        match change.get("after") {
            None | Some(Json::Null | Json::Object(_)) => {}
            Some(other) => {
                return Err(cx.error(
                    &change_at.key("after"),
                    format!(
                        "expected an object of attributes or null, found {}",
                        kind(other)
                    ),
                ));
            }
        }
        changes.push(Change {
            at,
            header,
            deposed,
            action,
            change,
        });
    }
    Ok(changes)
}

/// The action after apply; `None` when the resource will not exist.
fn action(cx: Cx<'_>, actions: &[Json], at: &Pointer) -> Result<Option<Action>, Error> {
    const KNOWN: &[&str] = &["no-op", "create", "read", "update", "delete", "forget"];
    let mut names = Vec::with_capacity(actions.len());
    for (i, action) in actions.iter().enumerate() {
        match action.as_str() {
            Some(name) if KNOWN.contains(&name) => names.push(name),
            Some(name) => {
                return Err(cx.error(
                    &at.index(i),
                    format!(
                        "unknown action {} (terraform writes {})",
                        quote(name),
                        KNOWN.join(", ")
                    ),
                ));
            }
            None => {
                return Err(cx.error(
                    &at.index(i),
                    format!("expected an action (a string), found {}", kind(action)),
                ));
            }
        }
    }
    Ok(match names.as_slice() {
        ["no-op"] => Some(Action::NoOp),
        ["create"] => Some(Action::Create),
        ["update"] => Some(Action::Update),
        ["read"] => Some(Action::Read),
        ["delete", "create"] | ["create", "delete"] => Some(Action::Replace),
        // Replaced, and the old object left alone (`destroy = false`).
        ["create", "forget"] | ["forget", "create"] => Some(Action::Replace),
        ["delete"] | ["forget"] => None,
        [] => return Err(cx.error(at, "no action: terraform writes at least one")),
        other => {
            return Err(cx.error(
                at,
                format!("actions {other:?} are not a combination terraform writes"),
            ));
        }
    })
}

fn from_change(
    cx: Cx<'_>,
    change: &Change<'_>,
    action: Action,
    config: Option<&Configuration<'_>>,
    resolution: Option<&Resolution>,
    secrets: &mut Secrets,
) -> Result<parity_model::Resource, Error> {
    let at = change.at.key("change");
    let pointers = MaskPointers {
        unknown: at.key("after_unknown"),
        sensitive: at.key("after_sensitive"),
    };
    if change.change.get("after_unknown") == Some(&Json::Bool(true)) {
        return Err(cx.error(
            &pointers.unknown,
            "marks the whole resource unknown, where terraform marks its attributes",
        ));
    }
    let parsed = &change.header.parsed;
    let unknown_at = |path: &[Segment]| {
        let refs: Vec<String> = config
            .map(|c| c.attribute(parsed, path).addresses.into_iter().collect())
            .unwrap_or_default();
        let reason =
            resolution.and_then(|r| r.unresolved_reason(&change.header.address, path, &refs));
        Unknown { refs, reason }
    };
    let unknown = resolution.and_then(|r| {
        r.unknown_mask(
            &change.header.address,
            change.change.get("after"),
            change.change.get("after_unknown"),
        )
    });
    let value = masks::build(
        change.change.get("after"),
        unknown.as_ref().or(change.change.get("after_unknown")),
        change.change.get("after_sensitive"),
        &pointers,
        &unknown_at,
    )
    .map_err(|p| cx.problem(p))?;
    let mut resource = document::resource(
        cx,
        &change.header,
        value,
        Some(action),
        &at.key("after"),
        secrets,
    )?;
    if !change.change.contains_key("after_sensitive") {
        mark_from_configuration(&mut resource.properties, config, parsed);
    }
    Ok(resource)
}

/// Plans written before Terraform tracked sensitivity in values (format
/// 0.1 from Terraform 0.12 to 0.14) have no `after_sensitive`: an attribute
/// whose expression reads a sensitive variable or output is sensitive.
fn mark_from_configuration(
    properties: &mut BTreeMap<String, Value>,
    config: Option<&Configuration<'_>>,
    address: &Address,
) {
    let Some(config) = config else {
        return;
    };
    for (attribute, value) in properties.iter_mut() {
        if config
            .attribute(address, &[Segment::Key(attribute.clone())])
            .sensitive
        {
            *value = std::mem::replace(value, Value::Null).into_sensitive();
        }
    }
}

/// Every module instance the addresses name, and every instance on the way
/// to it.
fn module_instances<'a>(addresses: impl Iterator<Item = &'a Address>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for address in addresses {
        let mut prefix = String::new();
        for (name, key) in &address.modules {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(&format!("module.{name}{key}"));
            out.insert(prefix.clone());
        }
    }
    out
}

/// Root module variables; those the configuration declares sensitive are
/// marked.
fn variables(
    cx: Cx<'_>,
    json: Option<&Json>,
    at: &Pointer,
    config: Option<&Configuration<'_>>,
) -> Result<BTreeMap<String, Value>, Error> {
    let Some(json) = json.filter(|j| !j.is_null()) else {
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for (name, variable) in expect_object(cx, json, at)? {
        let at = at.key(name);
        let variable = expect_object(cx, variable, &at)?;
        let value = variable.get("value").map_or(Value::Null, Value::from_json);
        let sensitive = config.is_some_and(|c| c.variable_is_sensitive(name));
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

/// Root module outputs after apply, from `output_changes`.
fn output_changes(
    cx: Cx<'_>,
    json: &Json,
    at: &Pointer,
    config: Option<&Configuration<'_>>,
    planned: &Values<'_>,
) -> Result<BTreeMap<String, Value>, Error> {
    let mut out = BTreeMap::new();
    for (name, change) in expect_object(cx, json, at)? {
        let at = at.key(name);
        let change = expect_object(cx, change, &at)?;
        let actions_at = at.key("actions");
        let actions = match change.get("actions") {
            Some(json) => expect_array(cx, json, &actions_at)?,
            None => return Err(cx.error(&actions_at, "missing: expected an array")),
        };
        if action(cx, actions, &actions_at)?.is_none() {
            continue;
        }
        let resolved = config.map(|c| c.output(name)).unwrap_or_default();
        let pointers = MaskPointers {
            unknown: at.key("after_unknown"),
            sensitive: at.key("after_sensitive"),
        };
        let refs: Vec<String> = resolved.addresses.iter().cloned().collect();
        let value = masks::build(
            change.get("after"),
            change.get("after_unknown"),
            change.get("after_sensitive"),
            &pointers,
            &|_| Unknown {
                refs: refs.clone(),
                reason: None,
            },
        )
        .map_err(|p| cx.problem(p))?;
        let planned_sensitive = planned
            .outputs
            .as_ref()
            .and_then(|(outputs, _)| outputs.get(name))
            .and_then(|o| o.get("sensitive"))
            == Some(&Json::Bool(true));
        out.insert(
            name.clone(),
            if resolved.sensitive || planned_sensitive {
                value.into_sensitive()
            } else {
                value
            },
        );
    }
    Ok(out)
}
