//! A plan's `configuration`: which resources each attribute's expression
//! references, resolved to absolute addresses, and whether it reads a
//! sensitive variable or output.
//!
//! Terraform lists references relative to the module they are written in
//! (`aws_iam_role.task.arn`, `var.role_arn`, `module.app.arn`). This module
//! follows them: a variable to the expression its module call passes in, an
//! output to its expression inside the child module, `each.value` to the
//! `for_each` expression. `local.`, `count.`, `each.key`, `path.` and
//! `terraform.` are not resources; locals are not in the plan, so what a
//! local refers to is not known.
//!
//! Only a compact form is kept: each expression's references, nested
//! blocks by name. It is built as the configuration is parsed, from a plan
//! file's text ([`Configuration::read_plan`]) or from a document
//! ([`Configuration::read`], a plan held in memory), by the same code: one
//! resource, one module call's expressions, one module's outputs or
//! variables parsed as a small document at a time, checked, made compact
//! and dropped, so that no document of the whole configuration is built.

use std::collections::{BTreeMap, BTreeSet};

use parity_json::Strict;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value as Json};

use crate::address::{Address, Reference, is_key, module_prefix};
use crate::masks::Segment;
use crate::pointer::{Pointer, kind};
use crate::unread::Unread;

/// Deeper chains of variables and outputs than this are not followed (a
/// real configuration never comes close; a hostile file could loop).
const MAX_DEPTH: usize = 32;

/// The configuration of a plan, checked, holding only what is followed:
/// the references of expressions, not the document they were read from.
#[derive(Debug)]
pub struct Configuration {
    root: Module,
    /// Every module instance the document names (`module.a["k"]`), to
    /// expand references to a module called with `count` or `for_each`.
    instances: BTreeSet<String>,
}

#[derive(Debug, Default)]
struct Module {
    /// By address inside the module (`aws_x.y`, `data.aws_x.y`).
    resources: BTreeMap<String, ConfigResource>,
    calls: BTreeMap<String, Call>,
    outputs: BTreeMap<String, Output>,
    /// Input variables, and whether each is sensitive.
    variables: BTreeMap<String, bool>,
}

#[derive(Debug)]
struct ConfigResource {
    expressions: Option<Block>,
    for_each: Option<Expression>,
}

#[derive(Debug)]
struct Call {
    expressions: Option<Block>,
    for_each: Option<Expression>,
    module: Module,
}

#[derive(Debug)]
struct Output {
    expression: Option<Expression>,
    sensitive: bool,
}

/// What the configuration writes for an attribute, with only its
/// references kept (a constant's value is not followed).
#[derive(Debug)]
enum Expression {
    /// `{}`, `{"constant_value": …}`, `{"references": […]}` or both.
    References(Box<[Box<str>]>),
    /// A nested block of expressions.
    Block(Block),
    /// A list of nested blocks.
    Blocks(Box<[Block]>),
}

/// The expressions of a resource, a module call or a nested block, by
/// name, in the order the configuration lists them.
#[derive(Debug, Default)]
struct Block(Box<[(Box<str>, Expression)]>);

impl Block {
    fn get(&self, name: &str) -> Option<&Expression> {
        self.0.iter().find(|(n, _)| &**n == name).map(|(_, e)| e)
    }

    fn expressions(&self) -> impl Iterator<Item = &Expression> {
        self.0.iter().map(|(_, e)| e)
    }
}

/// What an expression depends on.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Absolute resource addresses (`module.app.aws_iam_role.task`, with the
    /// instance key when the reference gives it).
    pub addresses: BTreeSet<String>,
    /// It reads a sensitive variable or output.
    pub sensitive: bool,
    /// The root module variables declared sensitive that it reads.
    pub sensitive_variables: BTreeSet<String>,
    /// Where its sensitivity comes from is not all known: it reads a local
    /// value (not followed), or a module variable or output declared
    /// sensitive, whatever it was given.
    pub opaque: bool,
}

/// A problem in the configuration: where, and what.
pub type Problem = (Pointer, String);

impl Configuration {
    /// The `configuration` of the plan whose top-level object `deserializer`
    /// reads (its other members skipped, not built), read as it is parsed
    /// (see [`Part`]): `None` when the plan has none (or `null`), the first
    /// problem when it is malformed. The error is the deserializer's: the
    /// text is not JSON.
    pub fn read_plan<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Result<Option<Configuration>, Problem>, D::Error> {
        let mut problem = None;
        let read = Streamed(OfPlan {
            problem: &mut problem,
        })
        .deserialize(deserializer);
        settle(read, problem)
    }

    /// The `configuration` (at `at`) of a plan held as a document, read the
    /// same way from it, each part dropped once read.
    pub fn read(json: Json, at: &Pointer) -> Result<Option<Configuration>, Problem> {
        let mut problem = None;
        let read = Streamed(OfConfiguration {
            at: at.clone(),
            problem: &mut problem,
        })
        .deserialize(json);
        // A document cannot fail to deserialize: only a problem ends it.
        settle(read, problem).unwrap_or_else(|err| Err((at.clone(), err.to_string())))
    }

    /// The configuration whose references to modules called with `count`
    /// or `for_each` expand to `instances`, the module instances that the
    /// rest of the document names.
    pub fn with_instances(self, instances: BTreeSet<String>) -> Configuration {
        Configuration { instances, ..self }
    }

    /// Checks `configuration` (at `at`), an object.
    #[cfg(test)]
    pub fn parse(
        json: &mut Json,
        at: &Pointer,
        instances: BTreeSet<String>,
    ) -> Result<Configuration, Problem> {
        let config = Configuration::read(json.take(), at)?
            .ok_or_else(|| expected_object(&Json::Null, at))?;
        Ok(config.with_instances(instances))
    }

    /// The resources and the sensitivity behind the value at `path` of the
    /// resource instance `address`. Nested blocks are matched by name, not
    /// by position: a set of blocks is not in configuration order.
    pub fn attribute(&self, address: &Address, path: &[Segment]) -> Resolved {
        let mut out = Resolved::default();
        let Some(module) = self.module(address.modules.iter().map(|(name, _)| name.as_str()))
        else {
            return out;
        };
        let Some(resource) = module.resources.get(address.config_address().as_str()) else {
            return out;
        };
        let Some(expressions) = &resource.expressions else {
            return out;
        };
        let mut references = Vec::new();
        references_at(expressions, path, &mut references);
        let scope = Scope {
            steps: address.modules.clone(),
        };
        self.resolve(&scope, &references, resource.for_each.as_ref(), &mut out, 0);
        out
    }

    /// What a root module output's expression depends on.
    pub fn output(&self, name: &str) -> Resolved {
        let mut out = Resolved::default();
        if let Some(output) = self.root.outputs.get(name) {
            out.sensitive = output.sensitive;
            let mut references = Vec::new();
            if let Some(expression) = &output.expression {
                all_references(expression, &mut references);
            }
            self.resolve(&Scope::default(), &references, None, &mut out, 0);
        }
        out
    }

    /// Whether a root module variable is declared sensitive.
    pub fn variable_is_sensitive(&self, name: &str) -> bool {
        self.root.variables.get(name).copied().unwrap_or(false)
    }

    fn module<'n>(&self, mut names: impl Iterator<Item = &'n str>) -> Option<&Module> {
        names.try_fold(&self.root, |module, name| {
            module.calls.get(name).map(|call| &call.module)
        })
    }

    /// Resolves references written in the module instance `scope`;
    /// `for_each` is the expression `each.value` stands for there.
    fn resolve(
        &self,
        scope: &Scope,
        references: &[&str],
        for_each: Option<&Expression>,
        out: &mut Resolved,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(module) = self.module(scope.steps.iter().map(|(name, _)| name.as_str())) else {
            return;
        };
        let parsed: Vec<Reference<'_>> = references.iter().map(|r| Reference::parse(r)).collect();
        let mut found = BTreeSet::new();
        for (i, reference) in parsed.iter().enumerate() {
            match reference {
                Reference::NotAResource => {
                    if references[i].starts_with("local.") {
                        out.opaque = true;
                    }
                }
                Reference::Resource {
                    data,
                    resource_type,
                    name,
                    key,
                } => {
                    // `aws_x.y[0]` says more than the bare `aws_x.y` that
                    // Terraform lists beside it.
                    let keyed_elsewhere = key.is_empty()
                        && parsed.iter().any(|other| {
                            matches!(other, Reference::Resource { data: d, resource_type: t, name: n, key: k }
                                if d == data && t == resource_type && n == name && !k.is_empty())
                        });
                    if !keyed_elsewhere {
                        let data = if *data { "data." } else { "" };
                        found.insert(format!(
                            "{}{data}{resource_type}.{name}{key}",
                            scope.prefix()
                        ));
                    }
                }
                Reference::Variable(name) => {
                    if module.variables.get(*name).copied().unwrap_or(false) {
                        out.sensitive = true;
                        if scope.steps.is_empty() {
                            out.sensitive_variables.insert((*name).to_owned());
                        } else {
                            out.opaque = true;
                        }
                    }
                    let Some(((call_name, _), parent_steps)) = scope.steps.split_last() else {
                        continue;
                    };
                    let parent = Scope {
                        steps: parent_steps.to_vec(),
                    };
                    let Some(call) = self
                        .module(parent.steps.iter().map(|(name, _)| name.as_str()))
                        .and_then(|m| m.calls.get(call_name.as_str()))
                    else {
                        continue;
                    };
                    if let Some(expression) = call.expressions.as_ref().and_then(|e| e.get(name)) {
                        let mut inner = Vec::new();
                        all_references(expression, &mut inner);
                        self.resolve(&parent, &inner, call.for_each.as_ref(), out, depth + 1);
                    }
                }
                Reference::EachValue => {
                    if let Some(expression) = for_each {
                        let mut inner = Vec::new();
                        all_references(expression, &mut inner);
                        self.resolve(scope, &inner, None, out, depth + 1);
                    }
                }
                Reference::Module { name, key, output } => {
                    let Some(call) = module.calls.get(*name) else {
                        continue;
                    };
                    // `module.app` beside `module.app.arn` adds nothing.
                    if output.is_none()
                        && parsed.iter().enumerate().any(|(j, other)| {
                            j != i && matches!(other, Reference::Module { name: n, output: Some(_), .. } if n == name)
                        })
                    {
                        continue;
                    }
                    let outputs: Vec<&str> = match output {
                        Some(output) => vec![output],
                        None => call.module.outputs.keys().map(String::as_str).collect(),
                    };
                    for child in self.call_instances(scope, name, *key) {
                        for output in &outputs {
                            let Some(definition) = call.module.outputs.get(*output) else {
                                continue;
                            };
                            if definition.sensitive {
                                out.sensitive = true;
                                out.opaque = true;
                            }
                            let mut inner = Vec::new();
                            if let Some(expression) = &definition.expression {
                                all_references(expression, &mut inner);
                            }
                            self.resolve(&child, &inner, None, out, depth + 1);
                        }
                    }
                }
            }
        }
        out.addresses.extend(found);
    }

    /// The instances of the module call `name` in `scope`: the one the
    /// reference names, or every instance with a key the document shows (a
    /// call with `count`/`for_each`; the configuration does not always say
    /// so), or the only one.
    fn call_instances(&self, scope: &Scope, name: &str, key: Option<&str>) -> Vec<Scope> {
        let with_key = |key: &str| {
            let mut steps = scope.steps.clone();
            steps.push((name.to_owned(), key.to_owned()));
            Scope { steps }
        };
        if let Some(key) = key {
            return vec![with_key(key)];
        }
        let prefix = format!("{}module.{name}", scope.prefix());
        let instances: Vec<Scope> = self
            .instances
            .iter()
            .filter_map(|instance| instance.strip_prefix(prefix.as_str()))
            .filter(|key| is_key(key))
            .map(with_key)
            .collect();
        if !instances.is_empty() {
            return instances;
        }
        vec![with_key("")]
    }
}

/// A module instance: the calls that lead to it, with their keys.
#[derive(Debug, Clone, Default)]
struct Scope {
    steps: Vec<(String, String)>,
}

impl Scope {
    fn prefix(&self) -> String {
        module_prefix(&self.steps)
    }
}

/// Reads a configuration as it is parsed, one resource at a time: each
/// entry of a module's `resources` is parsed as a small document (pruned
/// as [`Unread::Resource`] says, keys named once), made into its compact
/// form and dropped before the next is parsed; a module call's `module`
/// is read the same way, its other members parsed as small documents;
/// `outputs` and `variables` are parsed whole (they are small) and then
/// made compact. Only the compact form grows with the configuration.
///
/// The checks are those of the document read whole, member by member in
/// the order the text gives them: of several problems, the first in the
/// text is reported (a module call's `module` before its `expressions`
/// when the text lists it first).
///
/// A seed ([`Streamed`]) reads one part; the first problem is left in
/// `problem` and ends the parse with a serde error, which [`settle`] turns
/// back into the problem.
trait Part<'de>: Sized {
    type Value;

    /// An object: by default not one this part can be (its members are
    /// skipped, only its kind is told).
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.other(Json::Object(Map::new()))
    }

    /// An array: by default not one this part can be.
    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.other(Json::Array(Vec::new()))
    }

    /// Any other value, of which only its kind is told (an object, array
    /// or string is skipped, an empty one in its place): what the part
    /// makes of it, usually a problem.
    fn other<E: de::Error>(self, found: Json) -> Result<Self::Value, E>;
}

/// Reads the part `S` from a deserializer.
struct Streamed<S>(S);

impl<'de, S: Part<'de>> DeserializeSeed<'de> for Streamed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, S: Part<'de>> Visitor<'de> for Streamed<S> {
    type Value = S::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a plan's configuration")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<S::Value, E> {
        self.0.other(Json::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<S::Value, E> {
        self.0.other(Json::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<S::Value, E> {
        self.0.other(Json::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<S::Value, E> {
        self.0.other(Json::from(v))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<S::Value, E> {
        self.0.other(Json::String(String::new()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<S::Value, E> {
        self.0.other(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<S::Value, A::Error> {
        self.0.seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<S::Value, A::Error> {
        self.0.map(map)
    }
}

/// Leaves the first problem where the reader finds it, and ends the parse.
fn fail<E: de::Error>(slot: &mut Option<Problem>, problem: Problem) -> E {
    *slot = Some(problem);
    E::custom("the configuration is malformed")
}

/// What a read gives: the configuration, or the problem that ended it.
fn settle<E>(
    read: Result<Option<Module>, E>,
    problem: Option<Problem>,
) -> Result<Result<Option<Configuration>, Problem>, E> {
    match (read, problem) {
        (_, Some(problem)) => Ok(Err(problem)),
        (Ok(root), None) => Ok(Ok(root.map(|root| Configuration {
            root,
            instances: BTreeSet::new(),
        }))),
        (Err(err), None) => Err(err),
    }
}

/// A plan's top-level object: its `configuration`, the rest skipped.
struct OfPlan<'p> {
    problem: &'p mut Option<Problem>,
}

impl<'de> Part<'de> for OfPlan<'_> {
    type Value = Option<Module>;

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Module>, A::Error> {
        let mut root = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "configuration" {
                root = map.next_value_seed(Streamed(OfConfiguration {
                    at: Pointer::root().key("configuration"),
                    problem: &mut *self.problem,
                }))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(root)
    }

    fn other<E: de::Error>(self, _: Json) -> Result<Option<Module>, E> {
        Ok(None)
    }
}

/// `configuration`: its `root_module` (`None` when it is `null`).
struct OfConfiguration<'p> {
    at: Pointer,
    problem: &'p mut Option<Problem>,
}

impl<'de> Part<'de> for OfConfiguration<'_> {
    type Value = Option<Module>;

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Module>, A::Error> {
        let mut root = Module::default();
        while let Some(key) = map.next_key::<String>()? {
            if key == "root_module" {
                root = map.next_value_seed(Streamed(OfModule {
                    at: self.at.key("root_module"),
                    problem: &mut *self.problem,
                }))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Some(root))
    }

    fn other<E: de::Error>(self, found: Json) -> Result<Option<Module>, E> {
        match found {
            Json::Null => Ok(None),
            found => Err(fail(self.problem, expected_object(&found, &self.at))),
        }
    }
}

/// A module: the root module, or the one a module call calls.
struct OfModule<'p> {
    at: Pointer,
    problem: &'p mut Option<Problem>,
}

impl<'de> Part<'de> for OfModule<'_> {
    type Value = Module;

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Module, A::Error> {
        let Self { at, problem } = self;
        let mut module = Module::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "resources" => {
                    module.resources = map.next_value_seed(Streamed(Resources {
                        at: at.key("resources"),
                        problem: &mut *problem,
                    }))?;
                }
                "module_calls" => {
                    module.calls = map.next_value_seed(Streamed(Calls {
                        at: at.key("module_calls"),
                        problem: &mut *problem,
                    }))?;
                }
                "outputs" => {
                    let json = map.next_value_seed(Strict(Unread::Outputs))?;
                    module.outputs =
                        outputs(&json, &at.key("outputs")).map_err(|p| fail(problem, p))?;
                }
                "variables" => {
                    let json = map.next_value_seed(Strict(Unread::Variables))?;
                    module.variables =
                        variables(&json, &at.key("variables")).map_err(|p| fail(problem, p))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(module)
    }

    fn other<E: de::Error>(self, found: Json) -> Result<Module, E> {
        Err(fail(self.problem, expected_object(&found, &self.at)))
    }
}

/// A module's `resources`, one entry at a time.
struct Resources<'p> {
    at: Pointer,
    problem: &'p mut Option<Problem>,
}

impl<'de> Part<'de> for Resources<'_> {
    type Value = BTreeMap<String, ConfigResource>;

    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut resources = BTreeMap::new();
        let mut i = 0;
        while let Some(entry) = seq.next_element_seed(Strict(Unread::Resource))? {
            let (address, resource) = ConfigResource::read(&entry, &self.at.index(i))
                .map_err(|p| fail(self.problem, p))?;
            resources.insert(address, resource);
            i += 1;
        }
        Ok(resources)
    }

    fn other<E: de::Error>(self, found: Json) -> Result<Self::Value, E> {
        let problem = (
            self.at.clone(),
            format!("expected an array, found {}", kind(&found)),
        );
        Err(fail(self.problem, problem))
    }
}

/// A module's `module_calls`, one call at a time.
struct Calls<'p> {
    at: Pointer,
    problem: &'p mut Option<Problem>,
}

impl<'de> Part<'de> for Calls<'_> {
    type Value = BTreeMap<String, Call>;

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut calls = BTreeMap::new();
        while let Some(name) = map.next_key::<String>()? {
            let call = map.next_value_seed(Streamed(OfCall {
                at: self.at.key(&name),
                problem: &mut *self.problem,
            }))?;
            calls.insert(name, call);
        }
        Ok(calls)
    }

    fn other<E: de::Error>(self, found: Json) -> Result<Self::Value, E> {
        Err(fail(self.problem, expected_object(&found, &self.at)))
    }
}

/// A module call: its `module` read as a module, its expressions parsed
/// as small documents.
struct OfCall<'p> {
    at: Pointer,
    problem: &'p mut Option<Problem>,
}

impl<'de> Part<'de> for OfCall<'_> {
    type Value = Call;

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Call, A::Error> {
        let Self { at, problem } = self;
        let mut header = Map::new();
        let mut module = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "module" => {
                    module = Some(map.next_value_seed(Streamed(OfModule {
                        at: at.key("module"),
                        problem: &mut *problem,
                    }))?);
                }
                "expressions" | "for_each_expression" | "count_expression" => {
                    let json = map.next_value_seed(Strict(Unread::Expressions))?;
                    header.insert(key, json);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let (expressions, for_each) = expressions_of(&header, &at).map_err(|p| fail(problem, p))?;
        let Some(module) = module else {
            let missing = (at.key("module"), "missing: the called module".to_owned());
            return Err(fail(problem, missing));
        };
        Ok(Call {
            expressions,
            for_each,
            module,
        })
    }

    fn other<E: de::Error>(self, found: Json) -> Result<Call, E> {
        Err(fail(self.problem, expected_object(&found, &self.at)))
    }
}

impl ConfigResource {
    /// One entry of a module's `resources`, and its address.
    fn read(json: &Json, at: &Pointer) -> Result<(String, ConfigResource), Problem> {
        let resource = expect_object(json, at)?;
        let address = match resource.get("address") {
            Some(Json::String(address)) => address.clone(),
            other => return Err(expected_string(other, &at.key("address"))),
        };
        let (expressions, for_each) = expressions_of(resource, at)?;
        Ok((
            address,
            ConfigResource {
                expressions,
                for_each,
            },
        ))
    }
}

/// The `expressions` and `for_each_expression` of a resource or a module
/// call (`count_expression` checked).
fn expressions_of(
    object: &Map<String, Json>,
    at: &Pointer,
) -> Result<(Option<Block>, Option<Expression>), Problem> {
    let expressions = match object.get("expressions") {
        None => None,
        Some(json) => {
            let at = at.key("expressions");
            let map = expect_object(json, &at)?;
            check_block(map, &at)?;
            Some(block(map))
        }
    };
    let for_each = optional_expression(object, "for_each_expression", at)?;
    optional_expression(object, "count_expression", at)?;
    Ok((expressions, for_each))
}

/// A module's `outputs`.
fn outputs(json: &Json, at: &Pointer) -> Result<BTreeMap<String, Output>, Problem> {
    let mut out = BTreeMap::new();
    for (name, output) in expect_object(json, at)? {
        let at = at.key(name);
        let output_object = expect_object(output, &at)?;
        let expression = optional_expression(output_object, "expression", &at)?;
        let sensitive = optional_bool(output_object, "sensitive", &at)?;
        out.insert(
            name.clone(),
            Output {
                expression,
                sensitive,
            },
        );
    }
    Ok(out)
}

/// A module's `variables`, and whether each is sensitive.
fn variables(json: &Json, at: &Pointer) -> Result<BTreeMap<String, bool>, Problem> {
    let mut out = BTreeMap::new();
    for (name, variable) in expect_object(json, at)? {
        let at = at.key(name);
        let sensitive = optional_bool(expect_object(variable, &at)?, "sensitive", &at)?;
        out.insert(name.clone(), sensitive);
    }
    Ok(out)
}

/// The references of the expressions that make the value at `path`: the
/// expression of the attribute, or of the nested block attribute, that the
/// path leads to; everything below when the path ends at a block.
fn references_at<'c>(block: &'c Block, path: &[Segment], out: &mut Vec<&'c str>) {
    let Some((Segment::Key(name), rest)) = path.split_first() else {
        for entry in block.expressions() {
            all_references(entry, out);
        }
        return;
    };
    let Some(entry) = block.get(name) else {
        return;
    };
    match entry {
        Expression::References(_) => all_references(entry, out),
        Expression::Block(block) => references_at(block, rest, out),
        Expression::Blocks(blocks) => {
            let rest = match rest.split_first() {
                Some((Segment::Index(_), rest)) => rest,
                _ => rest,
            };
            for block in blocks {
                references_at(block, rest, out);
            }
        }
    }
}

/// Every reference in an expression or in the blocks under it.
fn all_references<'c>(expression: &'c Expression, out: &mut Vec<&'c str>) {
    match expression {
        Expression::References(references) => out.extend(references.iter().map(|r| &**r)),
        Expression::Block(block) => block.expressions().for_each(|e| all_references(e, out)),
        Expression::Blocks(blocks) => blocks
            .iter()
            .flat_map(Block::expressions)
            .for_each(|e| all_references(e, out)),
    }
}

/// The references of a checked expression or nested block.
fn expression(json: &Json) -> Expression {
    match json {
        Json::Object(map) if is_expression(map) => {
            Expression::References(match map.get("references") {
                Some(Json::Array(references)) => references
                    .iter()
                    .filter_map(Json::as_str)
                    .map(Box::from)
                    .collect(),
                _ => Box::default(),
            })
        }
        Json::Object(map) => Expression::Block(block(map)),
        Json::Array(blocks) => Expression::Blocks(
            blocks
                .iter()
                .filter_map(Json::as_object)
                .map(block)
                .collect(),
        ),
        // Checked before: nothing else is an expression.
        _ => Expression::References(Box::default()),
    }
}

/// The expressions of a checked block.
fn block(map: &Map<String, Json>) -> Block {
    Block(
        map.iter()
            .map(|(name, json)| (Box::from(name.as_str()), expression(json)))
            .collect(),
    )
}

/// An expression is `{}`, `{"constant_value": …}`, `{"references": […]}`
/// or both; any other object is a nested block of expressions.
fn is_expression(map: &Map<String, Json>) -> bool {
    map.keys()
        .all(|key| key == "constant_value" || key == "references")
}

/// Checks a block of expressions: every entry an expression, a nested
/// block, or a list of nested blocks; every `references` a list of strings.
fn check_block(block: &Map<String, Json>, at: &Pointer) -> Result<(), Problem> {
    for (name, entry) in block {
        check_entry(entry, &at.key(name))?;
    }
    Ok(())
}

fn check_entry(entry: &Json, at: &Pointer) -> Result<(), Problem> {
    match entry {
        Json::Object(map) if is_expression(map) => check_expression(map, at),
        Json::Object(map) => check_block(map, at),
        Json::Array(blocks) => {
            for (i, block) in blocks.iter().enumerate() {
                let at = at.index(i);
                check_block(expect_object(block, &at)?, &at)?;
            }
            Ok(())
        }
        other => Err((
            at.clone(),
            format!(
                "expected an expression object or a list of nested blocks, found {}",
                kind(other)
            ),
        )),
    }
}

fn check_expression(map: &Map<String, Json>, at: &Pointer) -> Result<(), Problem> {
    match map.get("references") {
        None => Ok(()),
        Some(Json::Array(references)) => {
            for (i, reference) in references.iter().enumerate() {
                match reference {
                    Json::String(text) if !text.is_empty() => {}
                    other => {
                        return Err((
                            at.key("references").index(i),
                            format!(
                                "expected a reference (a non-empty string), found {}",
                                kind(other)
                            ),
                        ));
                    }
                }
            }
            Ok(())
        }
        Some(other) => Err((
            at.key("references"),
            format!("expected an array of references, found {}", kind(other)),
        )),
    }
}

fn optional_expression(
    object: &Map<String, Json>,
    key: &str,
    at: &Pointer,
) -> Result<Option<Expression>, Problem> {
    match object.get(key) {
        None => Ok(None),
        Some(json) => {
            let at = at.key(key);
            let map = expect_object(json, &at)?;
            if is_expression(map) {
                check_expression(map, &at)?;
            } else {
                check_block(map, &at)?;
            }
            Ok(Some(expression(json)))
        }
    }
}

fn optional_bool(object: &Map<String, Json>, key: &str, at: &Pointer) -> Result<bool, Problem> {
    match object.get(key) {
        None | Some(Json::Null) => Ok(false),
        Some(Json::Bool(b)) => Ok(*b),
        Some(other) => Err((
            at.key(key),
            format!("expected true or false, found {}", kind(other)),
        )),
    }
}

fn expect_object<'j>(json: &'j Json, at: &Pointer) -> Result<&'j Map<String, Json>, Problem> {
    json.as_object().ok_or_else(|| expected_object(json, at))
}

fn expected_object(found: &Json, at: &Pointer) -> Problem {
    (
        at.clone(),
        format!("expected an object, found {}", kind(found)),
    )
}

fn expected_string(found: Option<&Json>, at: &Pointer) -> Problem {
    match found {
        None => (at.clone(), "missing: expected a string".to_owned()),
        Some(other) => (
            at.clone(),
            format!("expected a string, found {}", kind(other)),
        ),
    }
}

#[cfg(test)]
mod tests;
