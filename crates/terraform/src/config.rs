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

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value as Json};

use crate::address::{Address, Reference, is_key, module_prefix};
use crate::masks::Segment;
use crate::pointer::{Pointer, kind};

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
    /// Checks `configuration` (at `at`). `instances` are the module
    /// instances that the rest of the document names.
    /// Each resource's and module call's part of the document is dropped
    /// once read, so that the document and what is read from it are not
    /// held whole together.
    pub fn parse(
        json: &mut Json,
        at: &Pointer,
        instances: BTreeSet<String>,
    ) -> Result<Configuration, Problem> {
        let found = kind(json);
        let object = json
            .as_object_mut()
            .ok_or_else(|| (at.clone(), format!("expected an object, found {found}")))?;
        let root = match object.get_mut("root_module") {
            Some(module) => Module::parse(module, &at.key("root_module"))?,
            None => Module::default(),
        };
        Ok(Configuration { root, instances })
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

impl Module {
    fn parse(json: &mut Json, at: &Pointer) -> Result<Module, Problem> {
        expect_object(json, at)?;
        let object = json.as_object_mut().expect("checked");
        let mut module = Module::default();
        if let Some(resources) = object.get_mut("resources") {
            let at = at.key("resources");
            let found = kind(resources);
            let list = resources
                .as_array_mut()
                .ok_or_else(|| (at.clone(), format!("expected an array, found {found}")))?;
            for (i, json) in list.iter_mut().enumerate() {
                let at = at.index(i);
                let resource = expect_object(json, &at)?;
                let address = match resource.get("address") {
                    Some(Json::String(address)) => address.clone(),
                    other => return Err(expected_string(other, &at.key("address"))),
                };
                let expressions = match resource.get("expressions") {
                    None => None,
                    Some(json) => {
                        let at = at.key("expressions");
                        let map = expect_object(json, &at)?;
                        check_block(map, &at)?;
                        Some(block(map))
                    }
                };
                let for_each = optional_expression(resource, "for_each_expression", &at)?;
                optional_expression(resource, "count_expression", &at)?;
                module.resources.insert(
                    address,
                    ConfigResource {
                        expressions,
                        for_each,
                    },
                );
                json.take();
            }
        }
        if let Some(calls) = object.get_mut("module_calls") {
            let at = at.key("module_calls");
            expect_object(calls, &at)?;
            for (name, call) in calls.as_object_mut().expect("checked") {
                let at = at.key(name);
                let call_object = expect_object(call, &at)?;
                let expressions = match call_object.get("expressions") {
                    None => None,
                    Some(json) => {
                        let at = at.key("expressions");
                        let map = expect_object(json, &at)?;
                        check_block(map, &at)?;
                        Some(block(map))
                    }
                };
                let for_each = optional_expression(call_object, "for_each_expression", &at)?;
                optional_expression(call_object, "count_expression", &at)?;
                if !call_object.contains_key("module") {
                    return Err((at.key("module"), "missing: the called module".to_owned()));
                }
                let module_json = &mut call.as_object_mut().expect("checked")["module"];
                module.calls.insert(
                    name.clone(),
                    Call {
                        expressions,
                        for_each,
                        module: Module::parse(module_json, &at.key("module"))?,
                    },
                );
                call.take();
            }
        }
        if let Some(outputs) = object.get("outputs") {
            let at = at.key("outputs");
            for (name, output) in expect_object(outputs, &at)? {
                let at = at.key(name);
                let output_object = expect_object(output, &at)?;
                let expression = optional_expression(output_object, "expression", &at)?;
                let sensitive = optional_bool(output_object, "sensitive", &at)?;
                module.outputs.insert(
                    name.clone(),
                    Output {
                        expression,
                        sensitive,
                    },
                );
            }
        }
        if let Some(variables) = object.get("variables") {
            let at = at.key("variables");
            for (name, variable) in expect_object(variables, &at)? {
                let at = at.key(name);
                let sensitive = optional_bool(expect_object(variable, &at)?, "sensitive", &at)?;
                module.variables.insert(name.clone(), sensitive);
            }
        }
        Ok(module)
    }
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
    json.as_object().ok_or_else(|| {
        (
            at.clone(),
            format!("expected an object, found {}", kind(json)),
        )
    })
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
