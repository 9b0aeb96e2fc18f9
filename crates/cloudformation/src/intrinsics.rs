//! The intrinsic-function evaluator: what CloudFormation would compute at
//! deploy time, as far as it is known before deploy.
//!
//! A value that depends on a condition only deploy time decides is a
//! [`Conditional`] holding both possibilities. An intrinsic that needs such
//! a value to be decided (`Fn::Join` of a list holding one, say) is
//! evaluated once for each outcome of the condition, and is itself a
//! `Conditional` of the two results.

mod conditions;
mod lists;
mod strings;

use std::collections::BTreeMap;
use std::path::Path;

use parity_model::{Conditional, Ref, TemplatePart, Unknown, Value};
use serde_json::{Map, Value as Json};

use crate::deployment::Context;
use crate::inputs::{Source, url_suffix};
use crate::{Error, pointer};

/// How many undecided conditions one value may depend on before it is
/// treated as unknown: each one doubles the work.
const MAX_UNDECIDED: usize = 6;

/// Why evaluation stopped short of a value.
pub enum Stop {
    /// The input is not valid CloudFormation.
    Invalid(Error),
    /// The value depends on this undecided condition (a condition key):
    /// the intrinsic being evaluated is evaluated for each outcome.
    Undecided(String),
}

impl From<Error> for Stop {
    fn from(err: Error) -> Self {
        Stop::Invalid(err)
    }
}

type Eval<T> = Result<T, Stop>;

/// Evaluates the intrinsics of one stack's template.
pub struct Evaluator<'c> {
    ctx: &'c Context,
    index: usize,
    source: &'c Source,
    file: &'c Path,
    /// Conditions already evaluated; `None` when undecidable before deploy.
    conditions: BTreeMap<String, Option<bool>>,
    /// Conditions being evaluated, to stop cycles.
    evaluating: Vec<String>,
    /// Outcomes of undecided conditions (by condition key) taken for the
    /// value being evaluated.
    assumptions: Vec<(String, bool)>,
    /// Conditions evaluated under the current assumptions; emptied when
    /// they change, so that conditions referring to one another are each
    /// evaluated once per set of assumptions, not once per path.
    assumed_conditions: BTreeMap<String, Option<bool>>,
}

impl<'c> Evaluator<'c> {
    pub fn new(ctx: &'c Context, index: usize) -> Self {
        let source = &ctx.sources[index];
        Evaluator {
            ctx,
            index,
            source,
            file: &source.stack.template,
            conditions: BTreeMap::new(),
            evaluating: Vec::new(),
            assumptions: Vec::new(),
            assumed_conditions: BTreeMap::new(),
        }
    }

    /// Evaluates a property value; `None` is `AWS::NoValue` (the property or
    /// list item does not exist).
    pub fn eval(&mut self, json: &Json, at: &str) -> Result<Option<Value>, Error> {
        self.value(json, at).map_err(|stop| self.escaped(stop, at))
    }

    /// [`Self::eval`] as if the condition `name` held: the properties of a
    /// resource exist only when its condition does.
    pub fn eval_assuming(
        &mut self,
        name: &str,
        json: &Json,
        at: &str,
    ) -> Result<Option<Value>, Error> {
        self.assume(self.condition_key(name), true);
        let value = self.eval(json, at);
        self.unassume();
        value
    }

    /// The reference target for a logical ID of this stack.
    pub fn target(&self, logical_id: &str) -> String {
        if self.ctx.qualify {
            format!("{}/{logical_id}", self.source.stack.name)
        } else {
            logical_id.to_owned()
        }
    }

    /// How a condition of this stack is named in values and assumptions.
    pub fn condition_key(&self, name: &str) -> String {
        self.target(name)
    }

    /// The value of an output; `None` when its condition is false.
    pub fn output(&mut self, name: &str) -> Result<Option<Value>, Error> {
        let at = pointer::join("/Outputs", name);
        let Some(output) = self.outputs().get(name) else {
            return Err(self.error(&at, "no such output"));
        };
        let output = output
            .as_object()
            .ok_or_else(|| self.error(&at, "expected an object"))?;
        let value_at = format!("{at}/Value");
        let value = output
            .get("Value")
            .ok_or_else(|| self.error(&value_at, "missing"))?;
        let value = match self.decide_condition(output, &at)? {
            Some(None) => return Ok(None),
            Some(Some(condition)) => self.eval_assuming(&condition, value, &value_at)?,
            None => self.eval(value, &value_at)?,
        };
        value
            .map(Some)
            .ok_or_else(|| self.error(&value_at, "AWS::NoValue is not allowed here"))
    }

    /// The export name of an output: `None` when the output does not exist
    /// (its condition is false), `Some(None)` when the name is not known
    /// before deploy.
    pub fn export_name(&mut self, name: &str) -> Result<Option<Option<String>>, Error> {
        let at = pointer::join("/Outputs", name);
        let Some(output) = self.outputs().get(name).and_then(Json::as_object) else {
            return Ok(None);
        };
        let Some(export) = output.get("Export") else {
            return Ok(None);
        };
        let name_at = format!("{at}/Export/Name");
        let name_json = export
            .get("Name")
            .ok_or_else(|| self.error(&name_at, "missing"))?;
        let value = match self.decide_condition(output, &at)? {
            Some(None) => return Ok(None),
            Some(Some(condition)) => self.eval_assuming(&condition, name_json, &name_at)?,
            None => self.eval(name_json, &name_at)?,
        };
        let at = name_at;
        match value.map(|v| unmark(v).0) {
            Some(Value::String(name)) => Ok(Some(Some(name))),
            Some(Value::Number(n)) => Ok(Some(Some(n.to_string()))),
            Some(other) if is_opaque(&other) || matches!(other, Value::Conditional(_)) => {
                Ok(Some(None))
            }
            _ => Err(self.error(&at, "an export name is a string")),
        }
    }

    /// The value the resource `logical_id` (an `AWS::CloudFormation::Stack`)
    /// gives its nested stack's parameter `name`; `None` when it gives none.
    pub fn nested_parameter(
        &mut self,
        logical_id: &str,
        name: &str,
    ) -> Result<Option<Value>, Error> {
        let resource_at = pointer::join("/Resources", logical_id);
        let at = format!("{resource_at}/Properties/Parameters");
        let resource = self.resources().get(logical_id).and_then(Json::as_object);
        let Some(resource) = resource else {
            return Ok(None);
        };
        let Some(parameters) = resource.get("Properties").and_then(|p| p.get("Parameters")) else {
            return Ok(None);
        };
        let condition = self.decide_condition(resource, &resource_at)?.flatten();
        let evaluate = |this: &mut Self, json: &Json, at: &str| match &condition {
            Some(condition) => this.eval_assuming(condition, json, at),
            None => this.eval(json, at),
        };
        match parameters {
            Json::Object(map) if !is_intrinsic(map) => match map.get(name) {
                Some(json) => evaluate(self, json, &pointer::join(&at, name)),
                None => Ok(None),
            },
            other => match evaluate(self, other, &at)?.map(|v| unmark(v).0) {
                Some(Value::Map(map)) => Ok(map.get(name).cloned()),
                Some(v) if is_opaque(&v) => Ok(Some(v)),
                _ => Err(self.error(&at, "expected an object")),
            },
        }
    }

    /// The condition of an output or resource: `None` without one,
    /// `Some(None)` when it is false, `Some(Some(name))` when it holds or
    /// cannot be decided (then evaluate assuming it holds).
    fn decide_condition(
        &mut self,
        owner: &Map<String, Json>,
        owner_at: &str,
    ) -> Result<Option<Option<String>>, Error> {
        let Some(condition) = owner.get("Condition") else {
            return Ok(None);
        };
        let at = format!("{owner_at}/Condition");
        let name = condition
            .as_str()
            .ok_or_else(|| self.error(&at, "expected a condition name"))?;
        Ok(Some(match self.condition(name, &at)? {
            Some(false) => None,
            _ => Some(name.to_owned()),
        }))
    }

    fn value(&mut self, json: &Json, at: &str) -> Eval<Option<Value>> {
        match json {
            Json::Object(map) => {
                if is_intrinsic(map) {
                    let (name, args) = map.iter().next().expect("one key");
                    return self.intrinsic(name, args, &pointer::join(at, name));
                }
                let mut out = parity_model::Map::new();
                for (key, value) in map {
                    if let Some(v) = self.value(value, &pointer::join(at, key))? {
                        out.insert(key.clone(), v);
                    }
                }
                Ok(Some(Value::Map(out)))
            }
            Json::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    if let Some(v) = self.value(item, &format!("{at}/{i}"))? {
                        out.push(v);
                    }
                }
                Ok(Some(Value::List(out)))
            }
            scalar => Ok(Some(Value::from_json(scalar))),
        }
    }

    fn value_required(&mut self, json: &Json, at: &str) -> Eval<Value> {
        self.value(json, at)?
            .ok_or_else(|| self.error(at, "AWS::NoValue is not allowed here").into())
    }

    /// An argument an intrinsic computes with: decided, so that it holds no
    /// `Conditional` (one whose condition is not assumed yet stops the
    /// evaluation with [`Stop::Undecided`]).
    fn arg(&mut self, json: &Json, at: &str) -> Eval<Value> {
        let value = self.value_required(json, at)?;
        self.settle(value)?
            .ok_or_else(|| self.error(at, "AWS::NoValue is not allowed here").into())
    }

    fn intrinsic(&mut self, name: &str, args: &Json, at: &str) -> Eval<Option<Value>> {
        match self.intrinsic_once(name, args, at) {
            Err(Stop::Undecided(key)) => {
                self.both_ways(key, at, |this, _| this.intrinsic(name, args, at))
            }
            other => other,
        }
    }

    fn intrinsic_once(&mut self, name: &str, args: &Json, at: &str) -> Eval<Option<Value>> {
        let value = match name {
            "Ref" => return self.reference(args, at),
            "Fn::If" => return self.if_(args, at),
            "Fn::GetAtt" => self.get_att(args, at)?,
            "Fn::Join" => self.join(args, at)?,
            "Fn::Sub" => self.sub(args, at)?,
            "Fn::Select" => self.select(args, at)?,
            "Fn::Split" => self.split(args, at)?,
            "Fn::FindInMap" => self.find_in_map(args, at)?,
            "Fn::ImportValue" => self.import_value(args, at)?,
            "Fn::GetStackOutput" => self.get_stack_output(args, at)?,
            "Fn::GetAZs" => self.get_azs(args, at)?,
            "Fn::Cidr" => self.cidr(args, at)?,
            "Fn::Length" => self.length(args, at)?,
            "Fn::ToJsonString" => self.json_string(args, at)?,
            // CloudFormation encodes at deploy time; comparing the input is
            // what users mean (Terraform sides hold it decoded too).
            "Fn::Base64" => self.value_required(args, at)?,
            "Fn::Transform" => {
                self.diagnose(
                    at,
                    "Fn::Transform runs a macro at deploy time; its value is treated as unknown",
                );
                unknown(name)
            }
            _ => {
                self.diagnose(
                    at,
                    format!("{name} is not evaluated; its value is treated as unknown"),
                );
                unknown(name)
            }
        };
        Ok(Some(value))
    }

    fn reference(&mut self, args: &Json, at: &str) -> Eval<Option<Value>> {
        let name = args
            .as_str()
            .ok_or_else(|| self.error(at, "Ref takes a name"))?;
        self.named(name, at)
    }

    /// A name as `Ref` and `Fn::Sub` see it: pseudo-parameter, parameter or
    /// resource.
    fn named(&mut self, name: &str, at: &str) -> Eval<Option<Value>> {
        if let Some(pseudo) = name.strip_prefix("AWS::") {
            return self.pseudo(pseudo, name, at);
        }
        if let Some(value) = self.ctx.parameter(self.index, name)? {
            return Ok(Some(value));
        }
        if self.resources().contains_key(name) {
            self.check_exists(name, at)?;
            return Ok(Some(Value::Ref(Ref::resource(self.target(name)))));
        }
        Err(self
            .error(
                at,
                format!(
                    "Ref to {name:?}, which is neither a parameter nor a resource of this template"
                ),
            )
            .into())
    }

    /// A pseudo-parameter: known from the cloud assembly or the caller, or
    /// unknown; `None` is `AWS::NoValue`.
    fn pseudo(&self, short: &str, name: &str, at: &str) -> Eval<Option<Value>> {
        let stack = &self.source.stack;
        let known = match short {
            "NoValue" => return Ok(None),
            "Region" => stack.region.clone(),
            "AccountId" => stack.account.clone(),
            "Partition" => stack.partition.clone(),
            "URLSuffix" => stack
                .partition
                .as_deref()
                .and_then(url_suffix)
                .map(str::to_owned),
            "StackName" => self.source.named.then(|| stack.name.clone()),
            "StackId" | "NotificationARNs" => None,
            _ => {
                return Err(self
                    .error(at, format!("{name} is not a pseudo-parameter"))
                    .into());
            }
        };
        Ok(Some(known.map_or_else(|| unknown(name), Value::String)))
    }

    /// A reference to a resource whose condition is false names nothing.
    fn check_exists(&mut self, logical_id: &str, at: &str) -> Result<(), Error> {
        let condition = self
            .resources()
            .get(logical_id)
            .and_then(|r| r.get("Condition"))
            .and_then(Json::as_str);
        if let Some(condition) = condition {
            let condition_at = format!("{}/Condition", pointer::join("/Resources", logical_id));
            if self.condition(condition, &condition_at)? == Some(false) {
                return Err(self.error(
                    at,
                    format!("{logical_id} does not exist: its condition {condition} is false"),
                ));
            }
        }
        Ok(())
    }

    fn get_att(&mut self, args: &Json, at: &str) -> Eval<Value> {
        let (resource, attribute) = match args {
            Json::String(s) => s
                .split_once('.')
                .map(|(r, a)| (r.to_owned(), a.to_owned()))
                .ok_or_else(|| self.error(at, "expected \"LogicalId.Attribute\""))?,
            Json::Array(items) if items.len() == 2 => {
                // `AWS::LanguageExtensions` lets the logical ID be computed
                // (`!Sub 'Topic${Name}'` in a loop).
                let resource = match &items[0] {
                    Json::String(s) => s.clone(),
                    other => match unmark(self.arg(other, &format!("{at}/0"))?).0 {
                        Value::String(s) => s,
                        _ => {
                            return Err(self
                                .error(&format!("{at}/0"), "expected a logical ID")
                                .into());
                        }
                    },
                };
                let attribute = match unmark(self.arg(&items[1], &format!("{at}/1"))?).0 {
                    Value::String(s) => s,
                    _ => {
                        return Err(self
                            .error(
                                &format!("{at}/1"),
                                "the attribute name must be known before deploy",
                            )
                            .into());
                    }
                };
                (resource.to_owned(), attribute)
            }
            _ => return Err(self.error(at, "expected [LogicalId, Attribute]").into()),
        };
        if !self.resources().contains_key(&resource) {
            return Err(self
                .error(
                    at,
                    format!("Fn::GetAtt on {resource:?}, which is not a resource of this template"),
                )
                .into());
        }
        self.check_exists(&resource, at)?;
        if let (Some(output), Some(&nested)) = (
            attribute.strip_prefix("Outputs."),
            self.source.nested.get(&resource),
        ) {
            return Ok(self.ctx.output(nested, output, self.file, at)?);
        }
        Ok(Value::Ref(Ref::attribute(
            self.target(&resource),
            attribute,
        )))
    }

    fn import_value(&mut self, args: &Json, at: &str) -> Eval<Value> {
        let (name, _) = unmark(self.arg(args, at)?);
        let name = match name {
            Value::String(name) => name,
            Value::Number(n) => n.to_string(),
            other if is_opaque(&other) => {
                self.diagnose(
                    at,
                    "the name of the export is not known before deploy; the imported value is treated as unknown",
                );
                return Ok(Value::Unknown(Unknown {
                    refs: refs_of(&other),
                    reason: None,
                }));
            }
            _ => {
                return Err(self
                    .error(at, "Fn::ImportValue takes an export name")
                    .into());
            }
        };
        Ok(self.ctx.import(&name, self.file, at)?)
    }

    /// `Fn::GetStackOutput`: an output of another stack, by the stack's
    /// name; a stack that is not among the inputs (another account or
    /// region, say) leaves it unknown.
    fn get_stack_output(&mut self, args: &Json, at: &str) -> Eval<Value> {
        const SHAPE: &str = "expected {StackName, OutputName} and optionally Region and RoleArn";
        let fields = args
            .as_object()
            .filter(|map| !is_intrinsic(map))
            .ok_or_else(|| self.error(at, SHAPE))?;
        let text = |this: &mut Self, key: &str| -> Eval<Option<Result<String, Value>>> {
            let Some(json) = fields.get(key) else {
                return Ok(None);
            };
            let field_at = pointer::join(at, key);
            Ok(Some(match unmark(this.arg(json, &field_at)?).0 {
                Value::String(s) => Ok(s),
                other if is_opaque(&other) => Err(other),
                _ => return Err(this.error(&field_at, "expected a string").into()),
            }))
        };
        let (Some(stack), Some(output)) = (text(self, "StackName")?, text(self, "OutputName")?)
        else {
            return Err(self.error(at, SHAPE).into());
        };
        let region = text(self, "Region")?;
        let (stack, output) = match (stack, output) {
            (Ok(stack), Ok(output)) => (stack, output),
            (stack, output) => {
                self.diagnose(
                    at,
                    "the stack or output name is not known before deploy; the output is treated as unknown",
                );
                let mut refs = Vec::new();
                for part in [stack, output] {
                    refs.extend(match part {
                        Ok(name) => vec![name],
                        Err(value) => refs_of(&value),
                    });
                }
                return Ok(Value::Unknown(Unknown { refs, reason: None }));
            }
        };
        let region = match region {
            Some(Ok(region)) => Some(region),
            Some(Err(_)) => None,
            None => self.source.stack.region.clone(),
        };
        match self.ctx.stack_named(&stack, region.as_deref()) {
            Some(index) => Ok(self.ctx.output(index, &output, self.file, at)?),
            None => {
                self.diagnose(
                    at,
                    format!(
                        "stack {stack} is not among the inputs; its output {output} is treated as unknown"
                    ),
                );
                Ok(Value::Unknown(Unknown {
                    refs: vec![format!("{stack}.Outputs.{output}")],
                    reason: None,
                }))
            }
        }
    }

    /// Settles the `Conditional`s of a value whose condition is assumed;
    /// any other stops evaluation with [`Stop::Undecided`]. `None` when the
    /// value itself does not exist under the assumptions.
    fn settle(&self, value: Value) -> Eval<Option<Value>> {
        Ok(match value {
            Value::Conditional(c) => {
                let Some(decided) = self.assumed(&c.condition) else {
                    return Err(Stop::Undecided(c.condition));
                };
                let branch = if decided { c.if_true } else { c.if_false };
                match branch {
                    Some(value) => self.settle(*value)?,
                    None => None,
                }
            }
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.extend(self.settle(item)?);
                }
                Some(Value::List(out))
            }
            Value::Map(map) => {
                let mut out = parity_model::Map::new();
                for (key, value) in map {
                    if let Some(value) = self.settle(value)? {
                        out.insert(key, value);
                    }
                }
                Some(Value::Map(out))
            }
            Value::Sensitive(inner) => self.settle(*inner)?.map(Value::into_sensitive),
            other => Some(other),
        })
    }

    fn assume(&mut self, key: String, decided: bool) {
        self.assumptions.push((key, decided));
        self.assumed_conditions.clear();
    }

    fn unassume(&mut self) {
        self.assumptions.pop();
        self.assumed_conditions.clear();
    }

    fn assumed(&self, key: &str) -> Option<bool> {
        self.assumptions
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, decided)| *decided)
    }

    /// Evaluates `f` once assuming the condition `key` holds and once
    /// assuming it does not: the two possibilities of the value.
    fn both_ways(
        &mut self,
        key: String,
        at: &str,
        mut f: impl FnMut(&mut Self, bool) -> Eval<Option<Value>>,
    ) -> Eval<Option<Value>> {
        if self.assumed(&key).is_some() {
            return Err(self
                .error(
                    at,
                    format!("condition {key} is decided and undecided at once"),
                )
                .into());
        }
        if self.assumptions.len() >= MAX_UNDECIDED {
            self.diagnose(
                at,
                format!(
                    "depends on more than {MAX_UNDECIDED} conditions that cannot be decided before deploy; the value is treated as unknown"
                ),
            );
            return Ok(Some(unknown(&key)));
        }
        let mut branches = [None, None];
        for (branch, decided) in branches.iter_mut().zip([true, false]) {
            self.assume(key.clone(), decided);
            let value = f(self, decided);
            self.unassume();
            *branch = value?;
        }
        let [if_true, if_false] = branches;
        Ok(Conditional::choose(key, if_true, if_false))
    }

    fn args<'j, const N: usize>(
        &self,
        args: &'j Json,
        at: &str,
        shape: &str,
    ) -> Result<[&'j Json; N], Error> {
        args.as_array()
            .filter(|items| items.len() == N)
            .map(|items| std::array::from_fn(|i| &items[i]))
            .ok_or_else(|| self.error(at, format!("expected {shape}")))
    }

    fn section(&self, name: &str) -> &'c Map<String, Json> {
        static EMPTY: std::sync::OnceLock<Map<String, Json>> = std::sync::OnceLock::new();
        self.source
            .template
            .get(name)
            .and_then(Json::as_object)
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
    }

    fn resources(&self) -> &'c Map<String, Json> {
        self.section("Resources")
    }

    fn outputs(&self) -> &'c Map<String, Json> {
        self.section("Outputs")
    }

    fn error(&self, at: &str, message: impl Into<String>) -> Error {
        Error::invalid(self.file, at, message)
    }

    fn diagnose(&self, at: &str, message: impl Into<String>) {
        self.ctx.diagnose(self.file, at, message.into());
    }

    /// `Stop` as an error, for the public entry points: an undecided
    /// condition never gets past the intrinsic that met it.
    fn escaped(&self, stop: Stop, at: &str) -> Error {
        match stop {
            Stop::Invalid(err) => err,
            Stop::Undecided(key) => self.error(
                at,
                format!("condition {key} cannot be decided here before deploy"),
            ),
        }
    }
}

/// `{"Fn::X": args}` or `{"Ref": name}`: an object with exactly one key that
/// names an intrinsic function.
pub fn is_intrinsic(map: &Map<String, Json>) -> bool {
    map.len() == 1
        && map
            .keys()
            .next()
            .is_some_and(|key| key == "Ref" || key.starts_with("Fn::"))
}

fn unknown(name: &str) -> Value {
    Value::Unknown(Unknown {
        refs: vec![name.to_owned()],
        reason: None,
    })
}

/// A value and whether it was marked sensitive.
fn unmark(value: Value) -> (Value, bool) {
    match value {
        Value::Sensitive(inner) => (unmark(*inner).0, true),
        other => (other, false),
    }
}

fn mark(value: Value, sensitive: bool) -> Value {
    if sensitive {
        value.into_sensitive()
    } else {
        value
    }
}

/// A value whose shape only deploy time knows: a reference (an attribute
/// may be a list) or something unknown.
fn is_opaque(value: &Value) -> bool {
    matches!(value, Value::Ref(_) | Value::Unknown(_)) || value.contains_unknown()
}

/// What a value not known before deploy depends on.
fn refs_of(value: &Value) -> Vec<String> {
    match value {
        Value::Ref(r) => vec![r.to_string()],
        Value::Template(parts) => parts
            .iter()
            .flat_map(|p| match p {
                TemplatePart::Ref(r) => vec![r.to_string()],
                TemplatePart::Unknown(u) => u.refs.clone(),
                TemplatePart::Literal(_) => Vec::new(),
            })
            .collect(),
        other => other.unknown_refs(),
    }
}

#[cfg(test)]
mod tests;
