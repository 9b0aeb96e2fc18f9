//! Parameters: what a template declares, and the values they take before
//! deploy — given by the caller (`--param`, parameter files), a default, or
//! unknown until deploy.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use parity_model::{Unknown, Value};
use serde_json::{Map, Value as Json};

use crate::error::{parse_json, read_text};
use crate::{Error, Options, pointer};

/// Parameters CDK's default synthesizer adds to check the bootstrap stack.
const CDK_BOOKKEEPING_PARAMETERS: &[&str] = &["BootstrapVersion"];

/// A parameter as the template declares it.
#[derive(Debug, Clone)]
pub struct Declared {
    /// `String`, `Number`, `List<Number>`, `CommaDelimitedList`,
    /// `AWS::EC2::VPC::Id`, `AWS::SSM::Parameter::Value<String>`, …
    pub parameter_type: String,
    pub default: Option<String>,
    pub no_echo: bool,
    pub allowed_values: Option<Vec<String>>,
}

impl Declared {
    fn is_list(&self) -> bool {
        let inner = self
            .parameter_type
            .strip_prefix("AWS::SSM::Parameter::Value<")
            .unwrap_or(&self.parameter_type);
        inner.starts_with("List<") || inner.starts_with("CommaDelimitedList")
    }

    /// CloudFormation reads the value from Systems Manager at deploy time:
    /// what is given is the parameter's name, not its value.
    fn is_ssm(&self) -> bool {
        self.parameter_type
            .starts_with("AWS::SSM::Parameter::Value<")
    }

    /// The value of the parameter given `text` (or nothing: unknown).
    pub fn value(&self, name: &str, text: Option<&str>) -> Value {
        let value = match text {
            Some(text) if !self.is_ssm() => {
                if self.is_list() {
                    Value::List(text.split(',').map(|s| Value::from(s.trim())).collect())
                } else {
                    Value::String(text.to_owned())
                }
            }
            _ => unknown(name),
        };
        self.mark(value)
    }

    /// A value another template computes (a nested stack's parameter):
    /// kept as it is, except that a list parameter needs a list, which only
    /// a literal string can be split into.
    pub fn computed(&self, name: &str, value: Value) -> Value {
        let (value, sensitive) = match value {
            Value::Sensitive(inner) => (*inner, true),
            other => (other, false),
        };
        let value = match value {
            Value::String(text) => self.value(name, Some(&text)),
            other if self.is_list() || self.is_ssm() => self.mark(Value::Unknown(Unknown {
                refs: refs(name, &other),
                reason: None,
            })),
            other => self.mark(other),
        };
        if sensitive {
            value.into_sensitive()
        } else {
            value
        }
    }

    fn mark(&self, value: Value) -> Value {
        if self.no_echo {
            value.into_sensitive()
        } else {
            value
        }
    }
}

fn unknown(name: &str) -> Value {
    Value::Unknown(Unknown {
        refs: vec![name.to_owned()],
        reason: None,
    })
}

fn refs(name: &str, value: &Value) -> Vec<String> {
    let mut refs = value.unknown_refs();
    if refs.is_empty() {
        refs.push(name.to_owned());
    }
    refs
}

/// The parameters a template declares, by name, leaving out CDK's
/// bookkeeping.
pub fn declared(
    template: &Map<String, Json>,
    path: &Path,
) -> Result<BTreeMap<String, Declared>, Error> {
    let mut out = BTreeMap::new();
    let Some(section) = template.get("Parameters") else {
        return Ok(out);
    };
    let section = section
        .as_object()
        .ok_or_else(|| Error::invalid(path, "/Parameters", "expected an object"))?;
    for (name, parameter) in section {
        if CDK_BOOKKEEPING_PARAMETERS.contains(&name.as_str()) {
            continue;
        }
        let at = pointer::join("/Parameters", name);
        let parameter_type = parameter
            .get("Type")
            .and_then(Json::as_str)
            .ok_or_else(|| Error::invalid(path, &format!("{at}/Type"), "missing or not a string"))?
            .to_owned();
        let default = match parameter.get("Default") {
            None => None,
            Some(default) => Some(scalar_text(default).ok_or_else(|| {
                Error::invalid(
                    path,
                    &format!("{at}/Default"),
                    "expected a string or a number",
                )
            })?),
        };
        let no_echo = match parameter.get("NoEcho") {
            Some(Json::Bool(b)) => *b,
            Some(Json::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        };
        let allowed_values = match parameter.get("AllowedValues") {
            None => None,
            Some(Json::Array(items)) => Some(
                items
                    .iter()
                    .map(scalar_text)
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| {
                        Error::invalid(
                            path,
                            &format!("{at}/AllowedValues"),
                            "expected a list of strings",
                        )
                    })?,
            ),
            Some(_) => {
                return Err(Error::invalid(
                    path,
                    &format!("{at}/AllowedValues"),
                    "expected a list of strings",
                ));
            }
        };
        let declared = Declared {
            parameter_type,
            default,
            no_echo,
            allowed_values,
        };
        if let Some(default) = &declared.default
            && let Some(message) = not_allowed(&declared, default)
        {
            return Err(Error::invalid(path, &format!("{at}/Default"), message));
        }
        out.insert(name.clone(), declared);
    }
    Ok(out)
}

/// Why `text` is not a value the parameter allows, if it is not.
fn not_allowed(declared: &Declared, text: &str) -> Option<String> {
    let allowed = declared.allowed_values.as_ref()?;
    let values: Vec<&str> = if declared.is_list() {
        text.split(',').map(str::trim).collect()
    } else {
        vec![text]
    };
    let bad = values
        .into_iter()
        .find(|v| !allowed.iter().any(|a| a == v))?;
    Some(format!(
        "{bad:?} is not one of the AllowedValues ({})",
        allowed.join(", ")
    ))
}

fn scalar_text(json: &Json) -> Option<String> {
    match json {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Where a value the caller gave comes from.
#[derive(Debug, Clone)]
enum Origin {
    Flag,
    /// A parameter file, and the JSON pointer of the entry (or its line).
    File(PathBuf, String),
}

/// A value the caller gave; `None` when a parameter file asks for the
/// previous value, which is not known here.
#[derive(Debug, Clone)]
struct Given {
    name: String,
    value: Option<String>,
    origin: Origin,
}

/// The values the caller gave, in the order they apply.
#[derive(Debug, Default)]
pub struct Overrides {
    /// Parameter files, then `--param`s: for every top-level stack.
    given: Vec<Given>,
    /// Parameter files for one stack, by its name.
    stacks: Vec<(String, Vec<Given>)>,
}

impl Overrides {
    pub fn read(options: &Options) -> Result<Overrides, Error> {
        let mut given = Vec::new();
        for file in &options.parameter_files {
            given.extend(read_file(file)?);
        }
        for (name, value) in &options.parameters {
            if name.is_empty() {
                return Err(Error::Parameter {
                    name: format!("={value}"),
                    message: "expected NAME=VALUE".to_owned(),
                });
            }
            given.push(Given {
                name: name.clone(),
                value: Some(value.clone()),
                origin: Origin::Flag,
            });
        }
        let mut stacks = Vec::new();
        for (stack, file) in &options.stack_parameter_files {
            stacks.push((stack.clone(), read_file(file)?));
        }
        Ok(Overrides { given, stacks })
    }

    /// The value the caller gave stack `stack`'s parameter `name`: a
    /// `--param` wins over that stack's own files, which win over the
    /// files for every stack; only the stack's own files when `nested`
    /// (a nested stack's parameters come from its parent).
    fn given(&self, stack: &str, name: &str, nested: bool) -> Option<&Given> {
        let (files, flags): (Vec<&Given>, Vec<&Given>) = self
            .given
            .iter()
            .filter(|g| g.name == name)
            .partition(|g| matches!(g.origin, Origin::File(..)));
        let own = self
            .stacks
            .iter()
            .rev()
            .filter(|(s, _)| s == stack)
            .find_map(|(_, given)| given.iter().rev().find(|g| g.name == name));
        if nested {
            return own;
        }
        flags.last().copied().or(own).or(files.last().copied())
    }

    /// The values of a top-level stack's parameters: the value given for
    /// each, else its default, else unknown.
    pub fn resolve(
        &self,
        stack: &str,
        declared: &BTreeMap<String, Declared>,
    ) -> Result<parity_model::Map, Error> {
        let mut values = parity_model::Map::new();
        for (name, parameter) in declared {
            let text = match self.given(stack, name, false) {
                Some(given) => given.checked(parameter)?,
                None => parameter.default.as_deref(),
            };
            values.insert(name.clone(), parameter.value(name, text));
        }
        Ok(values)
    }

    /// The value a nested stack's own parameter file gives `name`, when its
    /// parent gives none.
    pub fn nested(
        &self,
        stack: &str,
        name: &str,
        parameter: &Declared,
    ) -> Result<Option<Option<String>>, Error> {
        match self.given(stack, name, true) {
            Some(given) => Ok(Some(given.checked(parameter)?.map(str::to_owned))),
            None => Ok(None),
        }
    }

    /// Fails on a value given for a parameter no stack declares: a typo
    /// would otherwise go unnoticed, and CloudFormation refuses it too.
    /// `roots` are the top-level stacks' parameters, `stacks` every
    /// stack's, by name.
    pub fn check_declared(
        &self,
        roots: &[&BTreeMap<String, Declared>],
        stacks: &[(&str, &BTreeMap<String, Declared>)],
    ) -> Result<(), Error> {
        for given in &self.given {
            if !roots.iter().any(|d| d.contains_key(&given.name)) {
                let message = match given.origin {
                    Origin::Flag => "no template given declares this parameter".to_owned(),
                    Origin::File(..) => format!(
                        "no template given declares a parameter named {:?}",
                        given.name
                    ),
                };
                return Err(given.error(message));
            }
        }
        for (stack, given) in &self.stacks {
            let Some((_, declared)) = stacks.iter().find(|(name, _)| name == stack) else {
                let names: Vec<&str> = stacks.iter().map(|(name, _)| *name).collect();
                return Err(Error::Parameter {
                    name: crate::error::one_line(stack),
                    message: format!(
                        "a parameter file for a stack that is not loaded (stacks: {})",
                        crate::error::one_line(&names.join(", "))
                    ),
                });
            };
            if let Some(unknown) = given.iter().find(|g| !declared.contains_key(&g.name)) {
                return Err(unknown.error(format!(
                    "stack {stack} declares no parameter named {:?}",
                    unknown.name
                )));
            }
        }
        Ok(())
    }
}

impl Given {
    /// The value, checked against the parameter's allowed values.
    fn checked(&self, parameter: &Declared) -> Result<Option<&str>, Error> {
        if let Some(message) = self
            .value
            .as_deref()
            .and_then(|text| not_allowed(parameter, text))
        {
            return Err(self.error(message));
        }
        Ok(self.value.as_deref())
    }

    fn error(&self, message: String) -> Error {
        match &self.origin {
            Origin::Flag => Error::Parameter {
                name: crate::error::one_line(&self.name),
                message: crate::error::one_line(&message),
            },
            Origin::File(path, at) => Error::invalid(path, at, message),
        }
    }
}

const FILE_SHAPES: &str = "a parameter file is a list of {\"ParameterKey\", \"ParameterValue\"}, an object with Parameters, or Key=Value lines";

/// `Key=Value` overrides, as `aws cloudformation deploy
/// --parameter-overrides` takes them: one a line, or several on a line
/// separated by spaces (when every word is one); `#` starts a comment line.
/// Quotes around a value are not part of it.
fn read_overrides(text: &str, path: &Path) -> Result<Vec<Given>, Error> {
    let mut given = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let several = words.len() > 1
            && words
                .iter()
                .all(|w| w.split_once('=').is_some_and(|(k, _)| is_name(k)));
        let entries = if several { words } else { vec![line] };
        for entry in entries {
            let at = format!("line {}", number + 1);
            let Some((name, value)) = entry.split_once('=').filter(|(k, _)| !k.trim().is_empty())
            else {
                return Err(Error::invalid(path, &at, "expected Key=Value"));
            };
            let value = value.trim();
            let value = ['"', '\'']
                .iter()
                .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
                .unwrap_or(value);
            given.push(Given {
                name: name.trim().to_owned(),
                value: Some(value.to_owned()),
                origin: Origin::File(path.to_owned(), at),
            });
        }
    }
    Ok(given)
}

/// A parameter name: alphanumeric, as CloudFormation requires.
fn is_name(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A CloudFormation parameter file: the `aws cloudformation` form
/// `[{"ParameterKey": "K", "ParameterValue": "V"}]` (with
/// `UsePreviousValue`), or the template configuration form
/// `{"Parameters": {"K": "V"}}`.
fn read_file(path: &Path) -> Result<Vec<Given>, Error> {
    let text = read_text(path)?;
    if !text.trim_start().starts_with(['[', '{']) {
        return read_overrides(&text, path);
    }
    let json = parse_json(&text, path)?;
    let origin = |at: String| Origin::File(path.to_owned(), at);
    let mut given = Vec::new();
    match &json {
        Json::Array(entries) => {
            for (i, entry) in entries.iter().enumerate() {
                let at = format!("/{i}");
                // `aws cloudformation deploy --parameter-overrides
                // file://…` takes a list of "Key=Value".
                if let Json::String(word) = entry {
                    let (name, value) = word
                        .split_once('=')
                        .ok_or_else(|| Error::invalid(path, &at, "expected \"Key=Value\""))?;
                    given.push(Given {
                        name: name.to_owned(),
                        value: Some(value.to_owned()),
                        origin: origin(at),
                    });
                    continue;
                }
                let entry = entry.as_object().ok_or_else(|| {
                    Error::invalid(path, &at, "expected {\"ParameterKey\", \"ParameterValue\"}")
                })?;
                let name = entry
                    .get("ParameterKey")
                    .and_then(Json::as_str)
                    .ok_or_else(|| {
                        Error::invalid(
                            path,
                            &format!("{at}/ParameterKey"),
                            "missing or not a string",
                        )
                    })?;
                let previous = entry.get("UsePreviousValue") == Some(&Json::Bool(true));
                let value = match entry.get("ParameterValue") {
                    Some(value) => Some(scalar_text(value).ok_or_else(|| {
                        Error::invalid(path, &format!("{at}/ParameterValue"), "expected a string")
                    })?),
                    None if previous => None,
                    None => {
                        return Err(Error::invalid(
                            path,
                            &format!("{at}/ParameterValue"),
                            "missing (and UsePreviousValue is not true)",
                        ));
                    }
                };
                given.push(Given {
                    name: name.to_owned(),
                    value,
                    origin: origin(format!("{at}/ParameterKey")),
                });
            }
        }
        Json::Object(object) => {
            let parameters = object
                .get("Parameters")
                .ok_or_else(|| Error::invalid(path, "/", FILE_SHAPES))?
                .as_object()
                .ok_or_else(|| Error::invalid(path, "/Parameters", "expected an object"))?;
            for (name, value) in parameters {
                let at = pointer::join("/Parameters", name);
                let text = scalar_text(value)
                    .ok_or_else(|| Error::invalid(path, &at, "expected a string"))?;
                given.push(Given {
                    name: name.clone(),
                    value: Some(text),
                    origin: origin(at),
                });
            }
        }
        _ => return Err(Error::invalid(path, "/", FILE_SHAPES)),
    }
    Ok(given)
}
