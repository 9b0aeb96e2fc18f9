//! The intrinsic-function evaluator: what CloudFormation would compute at
//! deploy time, as far as it is known before deploy.

use std::collections::BTreeMap;
use std::path::Path;

use parity_model::{Ref, TemplatePart, Unknown, Value};
use serde_json::{Map, Value as Json};

use crate::cdk_out::escape_pointer;
use crate::{Diagnostic, Error, Stack};

/// Evaluates the intrinsics of one template.
pub struct Evaluator<'t> {
    file: &'t Path,
    stack: &'t Stack,
    template: &'t Map<String, Json>,
    parameters: BTreeMap<String, Value>,
    /// Conditions already evaluated; `None` when undecidable before deploy.
    conditions: BTreeMap<String, Option<bool>>,
    /// Conditions being evaluated, to stop cycles.
    evaluating: Vec<String>,
    /// Prefix for reference targets when the deployment has several stacks.
    qualify: bool,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'t> Evaluator<'t> {
    pub fn new(
        file: &'t Path,
        stack: &'t Stack,
        template: &'t Map<String, Json>,
        parameters: BTreeMap<String, Value>,
        qualify: bool,
    ) -> Self {
        Evaluator {
            file,
            stack,
            template,
            parameters,
            conditions: BTreeMap::new(),
            evaluating: Vec::new(),
            qualify,
            diagnostics: Vec::new(),
        }
    }

    /// The reference target for a logical ID of this stack.
    pub fn target(&self, logical_id: &str) -> String {
        if self.qualify {
            format!("{}/{logical_id}", self.stack.name)
        } else {
            logical_id.to_owned()
        }
    }

    /// Evaluates a property value; `None` is `AWS::NoValue` (the property or
    /// list item does not exist).
    pub fn eval(&mut self, json: &Json, at: &str) -> Result<Option<Value>, Error> {
        match json {
            Json::Object(map) => {
                if let Some((name, args)) = single_intrinsic(map) {
                    return self.intrinsic(name, args, &format!("{at}/{}", escape_pointer(name)));
                }
                let mut out = BTreeMap::new();
                for (key, value) in map {
                    if let Some(v) = self.eval(value, &format!("{at}/{}", escape_pointer(key)))? {
                        out.insert(key.clone(), v);
                    }
                }
                Ok(Some(Value::Map(out)))
            }
            Json::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    if let Some(v) = self.eval(item, &format!("{at}/{i}"))? {
                        out.push(v);
                    }
                }
                Ok(Some(Value::List(out)))
            }
            scalar => Ok(Some(Value::from_json(scalar))),
        }
    }

    fn eval_value(&mut self, json: &Json, at: &str) -> Result<Value, Error> {
        self.eval(json, at)?
            .ok_or_else(|| self.error(at, "AWS::NoValue is not allowed here"))
    }

    fn intrinsic(&mut self, name: &str, args: &Json, at: &str) -> Result<Option<Value>, Error> {
        let value = match name {
            "Ref" => return self.reference(args, at),
            "Fn::GetAtt" => self.get_att(args, at)?,
            "Fn::Join" => self.join(args, at)?,
            "Fn::Sub" => self.sub(args, at)?,
            "Fn::Select" => self.select(args, at)?,
            "Fn::Split" => self.split(args, at)?,
            "Fn::If" => return self.if_(args, at),
            "Fn::FindInMap" => self.find_in_map(args, at)?,
            // CloudFormation encodes at deploy time; comparing the input is
            // what users mean (Terraform sides hold it decoded too).
            "Fn::Base64" => self.eval_value(args, at)?,
            "Fn::GetAZs" => Value::Unknown(Unknown {
                refs: vec!["Fn::GetAZs".to_owned()],
            }),
            _ => {
                self.diagnostics.push(Diagnostic {
                    file: self.file.to_owned(),
                    location: at.to_owned(),
                    message: format!(
                        "{name} is not evaluated yet; its value is treated as unknown"
                    ),
                });
                Value::Unknown(Unknown {
                    refs: vec![name.to_owned()],
                })
            }
        };
        Ok(Some(value))
    }

    fn reference(&mut self, args: &Json, at: &str) -> Result<Option<Value>, Error> {
        let name = args
            .as_str()
            .ok_or_else(|| self.error(at, "Ref takes a name"))?;
        self.named(name, at)
    }

    /// A name as `Ref` and `Fn::Sub` see it: pseudo-parameter, parameter or
    /// resource.
    fn named(&mut self, name: &str, at: &str) -> Result<Option<Value>, Error> {
        if let Some(pseudo) = name.strip_prefix("AWS::") {
            return Ok(self
                .pseudo(pseudo)
                .map(|v| v.unwrap_or_else(|| unknown(name))));
        }
        if let Some(value) = self.parameters.get(name) {
            return Ok(Some(value.clone()));
        }
        if self.resources().contains_key(name) {
            return Ok(Some(Value::Ref(Ref::resource(self.target(name)))));
        }
        Err(self.error(
            at,
            format!(
                "Ref to {name:?}, which is neither a parameter nor a resource of this template"
            ),
        ))
    }

    /// Pseudo-parameters: the outer `None` is `AWS::NoValue`, the inner one a
    /// value unknown before deploy.
    fn pseudo(&self, name: &str) -> Option<Option<Value>> {
        let region = self.stack.region.as_deref();
        let known = match name {
            "NoValue" => return None,
            "Region" => region.map(str::to_owned),
            "AccountId" => self.stack.account.clone(),
            "StackName" => Some(self.stack.name.clone()),
            "Partition" => region.map(|r| partition(r).0.to_owned()),
            "URLSuffix" => region.map(|r| partition(r).1.to_owned()),
            _ => None,
        };
        Some(known.map(Value::String))
    }

    fn get_att(&mut self, args: &Json, at: &str) -> Result<Value, Error> {
        let (resource, attribute) = match args {
            Json::String(s) => s
                .split_once('.')
                .map(|(r, a)| (r.to_owned(), a.to_owned()))
                .ok_or_else(|| self.error(at, "expected \"Resource.Attribute\""))?,
            Json::Array(items) if items.len() == 2 => {
                let resource = items[0]
                    .as_str()
                    .ok_or_else(|| self.error(at, "expected a logical ID"))?;
                let attribute = match self.eval_value(&items[1], &format!("{at}/1"))? {
                    Value::String(s) => s,
                    _ => {
                        return Err(
                            self.error(at, "the attribute name must be known before deploy")
                        );
                    }
                };
                (resource.to_owned(), attribute)
            }
            _ => return Err(self.error(at, "expected [LogicalId, Attribute]")),
        };
        if !self.resources().contains_key(&resource) {
            return Err(self.error(
                at,
                format!("Fn::GetAtt on {resource:?}, which is not a resource of this template"),
            ));
        }
        Ok(Value::Ref(Ref::attribute(
            self.target(&resource),
            attribute,
        )))
    }

    fn join(&mut self, args: &Json, at: &str) -> Result<Value, Error> {
        let [delimiter, list] = self.args::<2>(args, at, "[delimiter, [values]]")?;
        let delimiter = delimiter
            .as_str()
            .ok_or_else(|| self.error(at, "the delimiter must be a string"))?;
        let items = match self.eval_value(list, &format!("{at}/1"))? {
            Value::List(items) => items,
            other if other.contains_unknown() => return Ok(other),
            _ => return Err(self.error(&format!("{at}/1"), "expected a list")),
        };
        let mut parts = Vec::new();
        let mut sensitive = false;
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                parts.push(TemplatePart::Literal(delimiter.to_owned()));
            }
            let (item_parts, item_sensitive) = self.string_parts(item).ok_or_else(|| {
                self.error(&format!("{at}/1/{i}"), "cannot join a list or an object")
            })?;
            parts.extend(item_parts);
            sensitive |= item_sensitive;
        }
        Ok(mark(Value::template(parts), sensitive))
    }

    fn sub(&mut self, args: &Json, at: &str) -> Result<Value, Error> {
        let (text, variables) = match args {
            Json::String(s) => (s.as_str(), None),
            Json::Array(items) if items.len() == 2 => {
                let text = items[0]
                    .as_str()
                    .ok_or_else(|| self.error(at, "expected a string to substitute"))?;
                let vars = items[1]
                    .as_object()
                    .ok_or_else(|| self.error(at, "expected a map of variables"))?;
                (text, Some(vars))
            }
            _ => return Err(self.error(at, "expected a string or [string, {variables}]")),
        };
        let mut parts = Vec::new();
        let mut sensitive = false;
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            parts.push(TemplatePart::Literal(rest[..start].to_owned()));
            let after = &rest[start + 2..];
            let end = after
                .find('}')
                .ok_or_else(|| self.error(at, "unclosed ${ in Fn::Sub"))?;
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                parts.push(TemplatePart::Literal(format!("${{{literal}}}")));
                continue;
            }
            let value = match variables.and_then(|v| v.get(name)) {
                Some(json) => self.eval_value(json, &format!("{at}/1/{}", escape_pointer(name)))?,
                None => match name.split_once('.') {
                    Some((resource, attribute)) if !name.starts_with("AWS::") => {
                        self.get_att(&Json::String(format!("{resource}.{attribute}")), at)?
                    }
                    _ => self
                        .named(name, at)?
                        .ok_or_else(|| self.error(at, "AWS::NoValue in Fn::Sub"))?,
                },
            };
            let (value_parts, value_sensitive) = self
                .string_parts(value)
                .ok_or_else(|| self.error(at, format!("${{{name}}} is not a string")))?;
            parts.extend(value_parts);
            sensitive |= value_sensitive;
        }
        parts.push(TemplatePart::Literal(rest.to_owned()));
        Ok(mark(Value::template(parts), sensitive))
    }

    fn select(&mut self, args: &Json, at: &str) -> Result<Value, Error> {
        let [index, list] = self.args::<2>(args, at, "[index, [values]]")?;
        let index = match self.eval_value(index, &format!("{at}/0"))? {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
        .ok_or_else(|| {
            self.error(
                &format!("{at}/0"),
                "the index must be a non-negative integer",
            )
        })?;
        match self.eval_value(list, &format!("{at}/1"))? {
            Value::List(items) => {
                let len = items.len();
                let index = usize::try_from(index).unwrap_or(usize::MAX);
                items.into_iter().nth(index).ok_or_else(|| {
                    self.error(
                        at,
                        format!("index {index} is out of range for a list of {len}"),
                    )
                })
            }
            other if other.contains_unknown() => Ok(other),
            _ => Err(self.error(&format!("{at}/1"), "expected a list")),
        }
    }

    fn split(&mut self, args: &Json, at: &str) -> Result<Value, Error> {
        let [delimiter, source] = self.args::<2>(args, at, "[delimiter, string]")?;
        let delimiter = delimiter
            .as_str()
            .ok_or_else(|| self.error(at, "the delimiter must be a string"))?;
        match self.eval_value(source, &format!("{at}/1"))? {
            Value::String(s) => Ok(Value::List(s.split(delimiter).map(Value::from).collect())),
            // Splitting a string not known before deploy gives a list whose
            // length is not known either.
            other => Ok(Value::Unknown(Unknown {
                refs: refs_of(&other),
            })),
        }
    }

    fn if_(&mut self, args: &Json, at: &str) -> Result<Option<Value>, Error> {
        let [condition, when_true, when_false] =
            self.args::<3>(args, at, "[condition, value if true, value if false]")?;
        let name = condition
            .as_str()
            .ok_or_else(|| self.error(at, "the condition must be a name"))?;
        match self.condition(name, &format!("{at}/0"))? {
            Some(true) => self.eval(when_true, &format!("{at}/1")),
            Some(false) => self.eval(when_false, &format!("{at}/2")),
            None => {
                self.diagnostics.push(Diagnostic {
                    file: self.file.to_owned(),
                    location: at.to_owned(),
                    message: format!("condition {name} cannot be decided before deploy; the value is treated as unknown"),
                });
                Ok(Some(unknown(name)))
            }
        }
    }

    fn find_in_map(&mut self, args: &Json, at: &str) -> Result<Value, Error> {
        let items = args.as_array().filter(|a| a.len() == 3 || a.len() == 4).ok_or_else(|| {
            self.error(at, "expected [MapName, TopLevelKey, SecondLevelKey] and an optional {DefaultValue}")
        })?;
        let mut keys = Vec::new();
        for (i, item) in items[..3].iter().enumerate() {
            match self.eval_value(item, &format!("{at}/{i}"))? {
                Value::String(s) => keys.push(s),
                other if other.contains_unknown() => return Ok(other),
                _ => return Err(self.error(&format!("{at}/{i}"), "expected a string key")),
            }
        }
        let found = self
            .template
            .get("Mappings")
            .and_then(|m| m.get(&keys[0]))
            .and_then(|m| m.get(&keys[1]))
            .and_then(|m| m.get(&keys[2]))
            .cloned();
        match (found, items.get(3).and_then(|d| d.get("DefaultValue"))) {
            (Some(json), _) => {
                self.eval_value(&json, &format!("/Mappings/{}", escape_pointer(&keys[0])))
            }
            (None, Some(default)) => self.eval_value(default, &format!("{at}/3/DefaultValue")),
            (None, None) => Err(self.error(
                at,
                format!("no mapping {}/{}/{}", keys[0], keys[1], keys[2]),
            )),
        }
    }

    /// Evaluates a named condition: `Some(decided)`, or `None` when it
    /// depends on something unknown before deploy.
    pub fn condition(&mut self, name: &str, at: &str) -> Result<Option<bool>, Error> {
        if let Some(decided) = self.conditions.get(name) {
            return Ok(*decided);
        }
        if self.evaluating.iter().any(|n| n == name) {
            let cycle = [self.evaluating.as_slice(), &[name.to_owned()]]
                .concat()
                .join(" -> ");
            return Err(self.error(at, format!("the conditions form a cycle: {cycle}")));
        }
        let definition = self
            .template
            .get("Conditions")
            .and_then(|c| c.get(name))
            .ok_or_else(|| self.error(at, format!("no condition named {name:?}")))?;
        self.evaluating.push(name.to_owned());
        let decided =
            self.condition_expression(definition, &format!("/Conditions/{}", escape_pointer(name)));
        self.evaluating.pop();
        let decided = decided?;
        self.conditions.insert(name.to_owned(), decided);
        Ok(decided)
    }

    fn condition_expression(&mut self, json: &Json, at: &str) -> Result<Option<bool>, Error> {
        let Some((name, args)) = json.as_object().and_then(single_intrinsic) else {
            return Err(self.error(
                at,
                "expected Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition",
            ));
        };
        let at = format!("{at}/{}", escape_pointer(name));
        match name {
            "Condition" => {
                let other = args
                    .as_str()
                    .ok_or_else(|| self.error(&at, "expected a condition name"))?;
                self.condition(other, &at)
            }
            "Fn::Equals" => {
                let [a, b] = self.args::<2>(args, &at, "[value, value]")?;
                let a = self.eval_value(a, &format!("{at}/0"))?;
                let b = self.eval_value(b, &format!("{at}/1"))?;
                Ok(match (scalar_text(&a), scalar_text(&b)) {
                    (Some(a), Some(b)) => Some(a == b),
                    _ => None,
                })
            }
            "Fn::Not" => {
                let [inner] = self.args::<1>(args, &at, "[condition]")?;
                Ok(self
                    .condition_expression(inner, &format!("{at}/0"))?
                    .map(|b| !b))
            }
            "Fn::And" | "Fn::Or" => {
                let items = args
                    .as_array()
                    .ok_or_else(|| self.error(&at, "expected a list of conditions"))?;
                let mut decided = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    decided.push(self.condition_expression(item, &format!("{at}/{i}"))?);
                }
                let short_circuit = name == "Fn::Or";
                Ok(if decided.contains(&Some(short_circuit)) {
                    Some(short_circuit)
                } else if decided.iter().all(Option::is_some) {
                    Some(!short_circuit)
                } else {
                    None
                })
            }
            other => Err(self.error(&at, format!("{other} is not a condition function"))),
        }
    }

    /// A value as pieces of a string; `None` for lists and maps.
    fn string_parts(&self, value: Value) -> Option<(Vec<TemplatePart>, bool)> {
        match value {
            Value::String(s) => Some((vec![TemplatePart::Literal(s)], false)),
            Value::Number(n) => Some((vec![TemplatePart::Literal(n.to_string())], false)),
            Value::Bool(b) => Some((vec![TemplatePart::Literal(b.to_string())], false)),
            Value::Ref(r) => Some((vec![TemplatePart::Ref(r)], false)),
            Value::Template(parts) => Some((parts, false)),
            Value::Unknown(u) => Some((vec![TemplatePart::Unknown(u)], false)),
            Value::Sensitive(inner) => self.string_parts(*inner).map(|(parts, _)| (parts, true)),
            Value::Null | Value::List(_) | Value::Map(_) | Value::Conditional(_) => None,
        }
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

    fn resources(&self) -> &'t Map<String, Json> {
        static EMPTY: std::sync::OnceLock<Map<String, Json>> = std::sync::OnceLock::new();
        self.template
            .get("Resources")
            .and_then(Json::as_object)
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
    }

    fn error(&self, at: &str, message: impl Into<String>) -> Error {
        Error::invalid(self.file, at, message)
    }
}

/// `{"Fn::X": args}` or `{"Ref": name}`: an object with exactly one key that
/// names an intrinsic.
fn single_intrinsic(map: &Map<String, Json>) -> Option<(&str, &Json)> {
    if map.len() != 1 {
        return None;
    }
    let (key, value) = map.iter().next()?;
    (key == "Ref" || key == "Condition" || key.starts_with("Fn::")).then_some((key.as_str(), value))
}

fn unknown(name: &str) -> Value {
    Value::Unknown(Unknown {
        refs: vec![name.to_owned()],
    })
}

fn mark(value: Value, sensitive: bool) -> Value {
    if sensitive {
        value.into_sensitive()
    } else {
        value
    }
}

fn refs_of(value: &Value) -> Vec<String> {
    match value {
        Value::Ref(r) => vec![r.target.clone()],
        Value::Unknown(u) => u.refs.clone(),
        Value::Template(parts) => parts
            .iter()
            .flat_map(|p| match p {
                TemplatePart::Ref(r) => vec![r.target.clone()],
                TemplatePart::Unknown(u) => u.refs.clone(),
                TemplatePart::Literal(_) => Vec::new(),
            })
            .collect(),
        Value::Sensitive(inner) => refs_of(inner),
        _ => Vec::new(),
    }
}

/// The text CloudFormation compares in `Fn::Equals`.
fn scalar_text(value: &Value) -> Option<String> {
    match value.unmarked().0 {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The partition and URL suffix of a region.
fn partition(region: &str) -> (&'static str, &'static str) {
    if region.starts_with("cn-") {
        ("aws-cn", "amazonaws.com.cn")
    } else if region.starts_with("us-gov-") {
        ("aws-us-gov", "amazonaws.com")
    } else if region.starts_with("us-iso-") {
        ("aws-iso", "c2s.ic.gov")
    } else if region.starts_with("us-isob-") {
        ("aws-iso-b", "sc2s.sgov.gov")
    } else {
        ("aws", "amazonaws.com")
    }
}
