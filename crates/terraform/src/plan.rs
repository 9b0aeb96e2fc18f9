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

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};

use parity_model::{Action, Unknown, Value};
use serde::de;
use serde_json::{Map, Value as Json};

use crate::address::Address;
use crate::config::{Configuration, Problem};
use crate::document::{self, Header};
use crate::error::Cx;
use crate::masks::{self, MaskPointers, Segment};
use crate::placeholder::Placeholders;
use crate::plain;
use crate::pointer::{Pointer, kind, quote};
use crate::references::{Evidence, Index};
use crate::resolution::{RESOLUTION_KEY, Resolution};
use crate::unread::Unread;
use crate::values::{self, PLAN_KEYS, Values, expect_array, expect_object};
use crate::{Error, InputKind, TerraformInput};
use parity_model::Secrets;

/// The `configuration` of a plan file whose first pass left it out (see
/// [`Unread::RootOfFile`]), read again from the file into its compact form
/// as it is parsed (no document of it is built); a problem in it is
/// returned, to be reported when a whole-document read would.
fn read_configuration(
    cx: Cx<'_>,
    file: &File,
    start: u64,
    len: u64,
) -> Result<Result<Option<Configuration>, Problem>, Error> {
    let reader = reopen(cx, file, start, len)?;
    // Its syntax was read in the first pass: what fails now was written
    // since.
    let changed = |_| Error::Changed {
        path: cx.path.to_owned(),
    };
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let read = Configuration::read_plan(&mut deserializer).map_err(changed)?;
    if read.is_ok() {
        deserializer.end().map_err(changed)?;
    }
    Ok(read)
}

/// The plan file, at `start` again, if it still has the length it had when
/// it was read.
fn reopen<'f>(
    cx: Cx<'_>,
    mut file: &'f File,
    start: u64,
    len: u64,
) -> Result<BufReader<&'f File>, Error> {
    let read_error = |source| Error::Read {
        path: cx.path.to_owned(),
        source,
    };
    if file.metadata().map_err(read_error)?.len() != len {
        return Err(Error::Changed {
            path: cx.path.to_owned(),
        });
    }
    file.seek(SeekFrom::Start(start)).map_err(read_error)?;
    Ok(BufReader::with_capacity(1 << 16, file))
}

/// Where the second pass reads `resource_changes` from: the text the
/// document was parsed from (without a byte order mark).
#[derive(Clone, Copy)]
pub enum Text<'t> {
    /// Held in memory.
    Bytes(&'t [u8]),
    /// A regular file, read again from `start` (after a byte order mark)
    /// through the handle it was read with, so that a large plan is not held
    /// whole while its resources are built; `len` is its length then.
    File {
        file: &'t File,
        start: u64,
        len: u64,
    },
}

/// One entry of `resource_changes`, checked.
struct Change<'j> {
    at: Pointer,
    header: values::Header<'j>,
    deposed: bool,
    /// `None` when the resource will not exist after apply.
    action: Option<Action>,
    change: &'j Map<String, Json>,
}

/// Loads a plan from its document, taking the `configuration` out of it:
/// once read into its own compact form, its document is not held while
/// the resources are built.
pub fn load(
    cx: Cx<'_>,
    root: &mut Map<String, Json>,
    header: Header<'_>,
    text: Option<Text<'_>>,
) -> Result<TerraformInput, Error> {
    let top = Pointer::root();
    // A plan file's first pass left the configuration out: it is read in a
    // pass of its own from the file, the text the first pass held dropped
    // by then. A plan in memory has it in its document, read the same way.
    let configuration = match text {
        Some(Text::File { file, start, len }) => read_configuration(cx, file, start, len)?,
        _ => match root.get_mut("configuration").map(Json::take) {
            None => Ok(None),
            Some(json) => Configuration::read(json, &top.key("configuration")),
        },
    };
    let root = &*root;
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
    let changes = root.get("resource_changes").filter(|json| !json.is_null());
    if let Some(json) = changes {
        expect_array(cx, json, &top.key("resource_changes"))?;
    }

    // The entries of `resource_changes` are read one at a time below, after
    // the configuration they need; a problem in any of them still comes
    // before a problem in the configuration or in the resolution, and a
    // problem building a resource after all of those, as when the whole
    // document was read first.
    let change_addresses: Vec<Address> = changes.map(change_addresses).unwrap_or_default();
    let addresses = prior
        .instances
        .iter()
        .chain(&planned.instances)
        .map(|i| &i.header.parsed)
        .chain(&change_addresses);
    let config = configuration
        .map(|config| config.map(|c| c.with_instances(module_instances(addresses))))
        .map_err(|p| cx.problem(p));
    drop(change_addresses);
    let resolution = match root.get(RESOLUTION_KEY) {
        None | Some(Json::Null) => Ok(None),
        Some(json) => Resolution::read(cx, json, &top.key(RESOLUTION_KEY)).map(Some),
    };

    let mut placeholders = Placeholders::default();
    for instance in prior.instances.iter().chain(&planned.instances) {
        if let Some(values) = instance.values {
            placeholders.collect(values);
        }
    }

    let mut index = Index::default();
    for instance in &prior.instances {
        if let (false, Some(values)) = (instance.header.data, instance.values) {
            index.add(&instance.header.address, values);
        }
    }

    let mut secrets = Secrets::default();
    let mut managed: Vec<(parity_model::Resource, String, Address)> = Vec::new();
    // The resource instances the plan changes (for the resolution), and the
    // first problem building a resource.
    let mut known = BTreeSet::new();
    let mut failure = None;
    if let Some(json) = changes {
        let mut read = |change: Change<'_>| {
            if let Some(after) = change.change.get("after") {
                placeholders.collect(after);
            }
            if change.deposed {
                return;
            }
            known.insert(change.header.address.clone());
            let (None, Ok(config), Ok(resolution)) = (&failure, &config, &resolution) else {
                return;
            };
            match build(
                cx,
                &change,
                config.as_ref(),
                resolution.as_ref(),
                &mut secrets,
            ) {
                Ok(None) => {}
                Ok(Some(resource)) if change.header.data => input.data_sources.push(resource),
                Ok(Some(resource)) => {
                    let values::Header {
                        address, parsed, ..
                    } = change.header;
                    managed.push((resource, address, parsed));
                }
                Err(err) => failure = Some(err),
            }
        };
        match text {
            Some(text) => stream_changes(cx, text, &top.key("resource_changes"), &mut read)?,
            None => {
                let at = top.key("resource_changes");
                for (i, entry) in expect_array(cx, json, &at)?.iter().enumerate() {
                    read(resource_change(cx, entry, at.index(i))?);
                }
            }
        }
    }
    let config = config?;
    let resolution = resolution?;
    if let Some(resolution) = &resolution {
        check_resolution(cx, resolution, &known, &top.key(RESOLUTION_KEY))?;
        placeholders.add_substitutes(&resolution.substitutes);
    }
    if let Some(err) = failure {
        return Err(err);
    }
    // Without `resource_changes`, the planned values are the resources.
    if changes.is_none() {
        for instance in &planned.instances {
            let mut resource = document::from_values(cx, instance, None, &mut secrets)?;
            if instance.sensitive_values.is_none() {
                mark_from_configuration(
                    &mut resource.properties,
                    config.as_ref(),
                    &instance.header.parsed,
                );
            }
            if instance.header.data {
                input.data_sources.push(resource);
            } else {
                let header = &instance.header;
                managed.push((resource, header.address.clone(), header.parsed.clone()));
            }
        }
    }
    finish(
        cx,
        root,
        input,
        Loaded {
            prior,
            planned,
            config,
            placeholders,
            index,
            secrets,
            managed,
        },
    )
}

/// What the resources of a plan are finished with.
struct Loaded<'j> {
    prior: Values<'j>,
    planned: Values<'j>,
    config: Option<Configuration>,
    placeholders: Placeholders,
    index: Index,
    secrets: Secrets,
    /// Managed resources, with their address written and parsed.
    managed: Vec<(parity_model::Resource, String, Address)>,
}

/// The resource a change leaves after apply (`None` when there is none).
fn build(
    cx: Cx<'_>,
    change: &Change<'_>,
    config: Option<&Configuration>,
    resolution: Option<&Resolution>,
    secrets: &mut Secrets,
) -> Result<Option<parity_model::Resource>, Error> {
    let recorded = resolution.and_then(|r| r.actions.get(&change.header.address));
    let action = match recorded {
        Some(names) => {
            let names: Vec<Json> = names.iter().map(|n| Json::from(n.as_str())).collect();
            let at = Pointer::root()
                .key(RESOLUTION_KEY)
                .key("actions")
                .key(&change.header.address);
            action(cx, &names, &at)?
        }
        None => change.action,
    };
    let Some(action) = action else {
        return Ok(None);
    };
    from_change(cx, change, action, config, resolution, secrets).map(Some)
}

/// Data sources, variables, placeholders, references and outputs, once
/// every resource is built.
fn finish(
    cx: Cx<'_>,
    root: &Map<String, Json>,
    mut input: TerraformInput,
    loaded: Loaded<'_>,
) -> Result<TerraformInput, Error> {
    let top = Pointer::root();
    let Loaded {
        prior,
        planned,
        config,
        placeholders,
        index,
        mut secrets,
        managed,
    } = loaded;
    let config = config.as_ref();
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
    for (mut resource, address, parsed) in managed {
        if let Some(config) = config {
            plain::unmark_harmless(
                &mut resource.properties,
                config,
                &parsed,
                &harmless,
                &mut secrets,
            );
        }
        for value in resource.properties.values_mut() {
            placeholders.rewrite(value, &address);
        }
        if let Some(config) = config {
            for (attribute, value) in resource.properties.iter_mut() {
                let path = [Segment::Key(attribute.clone())];
                let addresses = config.attribute(&parsed, &path).addresses;
                let depends_on = |address: &str| {
                    addresses.iter().any(|dependency| {
                        address == dependency
                            || address
                                .strip_prefix(dependency.as_str())
                                .is_some_and(|rest| rest.starts_with('['))
                    })
                };
                placeholders.rewrite_enums(value, &address, &depends_on);
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
                                config.attribute(&parsed, &path).addresses,
                            )
                        })
                        .collect(),
                ),
                None => Evidence::Nothing,
            };
            index.rewrite(&mut resource.properties, &address, &evidence);
        }
        input.resources.push(resource);
    }

    input.outputs = match root.get("output_changes") {
        None | Some(Json::Null) => match planned.outputs {
            Some((outputs, at)) => document::outputs_from_values(cx, outputs, &at, &|name| {
                config.map(|c| c.output(name)).unwrap_or_default()
            })?,
            None => parity_model::Map::new(),
        },
        Some(json) => output_changes(cx, json, &top.key("output_changes"), config, &planned)?,
    };
    for value in input.outputs.values_mut() {
        placeholders.rewrite(value, "");
    }
    document::hide_copies(&mut input, secrets);
    Ok(input)
}

/// A resolution names only resource instances the plan changes (`known`).
fn check_resolution(
    cx: Cx<'_>,
    resolution: &Resolution,
    known: &BTreeSet<String>,
    at: &Pointer,
) -> Result<(), Error> {
    let recorded = [
        ("actions", resolution.actions.keys().collect::<Vec<_>>()),
        ("invented", resolution.invented.keys().collect()),
        ("substitutes", resolution.substitutes.keys().collect()),
        ("unresolved", resolution.unresolved.keys().collect()),
    ];
    for (member, addresses) in recorded {
        if let Some(address) = addresses.into_iter().find(|a| !known.contains(a.as_str())) {
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

/// The parsed addresses of `resource_changes` (those that are addresses:
/// the others are refused when their entry is read).
fn change_addresses(json: &Json) -> Vec<Address> {
    let entries = json.as_array().map(Vec::as_slice).unwrap_or_default();
    entries
        .iter()
        .filter_map(|entry| entry.get("address")?.as_str())
        .filter_map(Address::parse)
        .collect()
}

/// Reads the entries of the document's `resource_changes` from its text,
/// one at a time, each parsed as [`Unread::Change`] says and given to
/// `read` before the next is parsed: the plan's largest part is never
/// whole in memory. The text was read whole once before (its syntax, keys
/// named once).
fn stream_changes(
    cx: Cx<'_>,
    text: Text<'_>,
    at: &Pointer,
    read: &mut dyn FnMut(Change<'_>),
) -> Result<(), Error> {
    let mut problem = None;
    let seed = ChangesOfRoot {
        cx,
        at,
        read,
        problem: &mut problem,
    };
    let result = match text {
        Text::Bytes(bytes) => {
            let mut deserializer = serde_json::Deserializer::from_slice(bytes);
            de::Deserializer::deserialize_map(&mut deserializer, seed)
        }
        Text::File { file, start, len } => {
            let reader = reopen(cx, file, start, len)?;
            let mut deserializer = serde_json::Deserializer::from_reader(reader);
            de::Deserializer::deserialize_map(&mut deserializer, seed)
        }
    };
    match (result, problem) {
        (_, Some(problem)) => Err(problem),
        (Ok(()), None) => Ok(()),
        (Err(err), None) => Err(Error::Json {
            path: cx.path.to_owned(),
            line: err.line(),
            column: err.column(),
            message: err.to_string(),
        }),
    }
}

/// The top-level object (`resource_changes` read, the rest skipped), then
/// the array of `resource_changes`.
struct ChangesOfRoot<'a, 'r> {
    cx: Cx<'a>,
    at: &'a Pointer,
    read: &'r mut dyn FnMut(Change<'_>),
    problem: &'r mut Option<Error>,
}

impl<'de> de::Visitor<'de> for ChangesOfRoot<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a plan")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seed = Some(self);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match (key.as_ref(), seed.take()) {
                ("resource_changes", Some(changes)) => map.next_value_seed(changes)?,
                (_, taken) => {
                    seed = taken;
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.entries(seq)
    }
}

impl<'de> de::DeserializeSeed<'de> for ChangesOfRoot<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl ChangesOfRoot<'_, '_> {
    /// The entries of `resource_changes`.
    fn entries<'de, A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        while let Some(entry) = seq.next_element_seed(parity_json::Strict(Unread::Change))? {
            match resource_change(self.cx, &entry, self.at.index(i)) {
                Ok(change) => (self.read)(change),
                Err(problem) => {
                    *self.problem = Some(problem);
                    return Err(de::Error::custom("a resource change is malformed"));
                }
            }
            i += 1;
        }
        Ok(())
    }
}

/// One entry of `resource_changes`, checked.
fn resource_change<'j>(cx: Cx<'_>, entry: &'j Json, at: Pointer) -> Result<Change<'j>, Error> {
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
    Ok(Change {
        at,
        header,
        deposed,
        action,
        change,
    })
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
    config: Option<&Configuration>,
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
    properties: &mut parity_model::Map,
    config: Option<&Configuration>,
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
    config: Option<&Configuration>,
) -> Result<parity_model::Map, Error> {
    let Some(json) = json.filter(|j| !j.is_null()) else {
        return Ok(parity_model::Map::new());
    };
    let mut out = parity_model::Map::new();
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
    config: Option<&Configuration>,
    planned: &Values<'_>,
) -> Result<parity_model::Map, Error> {
    let mut out = parity_model::Map::new();
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
