//! One deployment: every stack given, and what crosses between them —
//! exports and imports, a nested stack's parameters and outputs — each
//! evaluated once, on demand, with cycles among them reported rather than
//! followed.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use parity_model::{Map, Unknown, Value};
use serde_json::Value as Json;

use crate::inputs::{Discovery, Source};
use crate::intrinsics::Evaluator;
use crate::parameters::Overrides;
use crate::template::{self, Presence};
use crate::{Deployment, Diagnostic, Error, Ignored, Options, pointer};

/// What is being evaluated across stacks, to stop cycles.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    Output(usize, String),
    Parameter(usize, String),
    ExportNames,
}

/// The exports of every stack: export name → (stack, output).
#[derive(Debug, Default)]
struct Exports {
    by_name: BTreeMap<String, (usize, String)>,
    /// Some export name is not known before deploy.
    undetermined: bool,
}

/// The stacks of one deployment and what is evaluated across them.
pub struct Context {
    pub sources: Vec<Source>,
    /// Reference targets and condition keys name their stack: there are
    /// several.
    pub qualify: bool,
    /// The parameter values of top-level stacks; a nested stack's come
    /// from its parent, on demand.
    root_parameters: Vec<Option<Map>>,
    /// What the caller gave: nested stacks' own parameter files.
    overrides: Overrides,
    nested_parameters: RefCell<BTreeMap<(usize, String), Value>>,
    outputs: RefCell<BTreeMap<(usize, String), Value>>,
    exports: RefCell<Option<Rc<Exports>>>,
    pending: RefCell<Vec<(Pending, String)>>,
    diagnostics: RefCell<Vec<Diagnostic>>,
    ignored: Vec<Ignored>,
}

pub fn load(mut discovery: Discovery, options: &Options) -> Result<Deployment, Error> {
    let traces = std::mem::take(&mut discovery.traces);
    let overrides = Overrides::read(options)?;
    let declared: Vec<_> = discovery
        .sources
        .iter()
        .filter(|s| s.parent.is_none())
        .map(|s| &s.declared)
        .collect();
    let stacks: Vec<_> = discovery
        .sources
        .iter()
        .map(|s| (s.stack.name.as_str(), &s.declared))
        .collect();
    overrides.check_declared(&declared, &stacks)?;
    let mut root_parameters = Vec::new();
    for source in &discovery.sources {
        root_parameters.push(match source.parent {
            None => Some(overrides.resolve(&source.stack.name, &source.declared)?),
            Some(_) => None,
        });
    }
    let ctx = Context {
        overrides,
        qualify: discovery.sources.len() > 1,
        sources: discovery.sources,
        root_parameters,
        nested_parameters: RefCell::default(),
        outputs: RefCell::default(),
        exports: RefCell::default(),
        pending: RefCell::default(),
        diagnostics: RefCell::new(discovery.diagnostics),
        ignored: discovery.ignored,
    };

    let mut deployment = Deployment {
        stacks: Vec::new(),
        resources: Vec::new(),
        diagnostics: Vec::new(),
        ignored: ctx.ignored.clone(),
        traces,
    };
    // Whether each stack exists, and the undecided condition it depends on.
    let mut presence = vec![Presence::Present(None); ctx.sources.len()];
    for index in 0..ctx.sources.len() {
        let condition = match &presence[index] {
            Presence::Absent => {
                for &child in ctx.sources[index].nested.values() {
                    presence[child] = Presence::Absent;
                }
                continue;
            }
            Presence::Present(condition) => condition.clone(),
        };
        let loaded = template::load(&ctx, index, condition.as_deref())?;
        for (logical_id, child_presence) in loaded.nested {
            if let Some(&child) = ctx.sources[index].nested.get(&logical_id) {
                presence[child] = child_presence;
            }
        }
        deployment.resources.extend(loaded.resources);
        deployment.stacks.push(ctx.sources[index].stack.clone());
    }
    let mut diagnostics = ctx.diagnostics.into_inner();
    diagnostics.sort();
    diagnostics.dedup();
    deployment.diagnostics = diagnostics;
    Ok(deployment)
}

impl Context {
    /// The value of a parameter of stack `index`; `None` when it declares
    /// no such parameter.
    pub fn parameter(&self, index: usize, name: &str) -> Result<Option<Value>, Error> {
        if let Some(values) = &self.root_parameters[index] {
            return Ok(values.get(name).cloned());
        }
        let source = &self.sources[index];
        let (Some(declared), Some((parent, logical_id))) =
            (source.declared.get(name), &source.parent)
        else {
            return Ok(None);
        };
        let key = (index, name.to_owned());
        if let Some(value) = self.nested_parameters.borrow().get(&key) {
            return Ok(Some(value.clone()));
        }
        let parent_file = &self.sources[*parent].stack.template;
        let at = format!(
            "{}/Properties/Parameters",
            pointer::join("/Resources", logical_id)
        );
        let given = self.guarded(
            Pending::Parameter(index, name.to_owned()),
            format!("{}:Parameters/{name}", source.stack.name),
            parent_file,
            &pointer::join(&at, name),
            || Evaluator::new(self, *parent).nested_parameter(logical_id, name),
        )?;
        let own = match given {
            Some(_) => None,
            None => self.overrides.nested(&source.stack.name, name, declared)?,
        };
        let value = match (given, own, &declared.default) {
            (Some(value), _, _) => declared.computed(name, value),
            (None, Some(text), _) => declared.value(name, text.as_deref()),
            (None, None, Some(default)) => declared.value(name, Some(default)),
            (None, None, None) => {
                return Err(Error::invalid(
                    parent_file,
                    &at,
                    format!(
                        "no value for the nested stack's parameter {name}, which has no default"
                    ),
                ));
            }
        };
        self.nested_parameters
            .borrow_mut()
            .insert(key, value.clone());
        Ok(Some(value))
    }

    /// The value of output `name` of stack `index`, for a reference at
    /// `at` in `file`.
    pub fn output(&self, index: usize, name: &str, file: &Path, at: &str) -> Result<Value, Error> {
        let key = (index, name.to_owned());
        if let Some(value) = self.outputs.borrow().get(&key) {
            return Ok(value.clone());
        }
        let source = &self.sources[index];
        let exists = source
            .template
            .get("Outputs")
            .and_then(|o| o.get(name))
            .is_some();
        if !exists {
            return Err(Error::invalid(
                file,
                at,
                format!("stack {} has no output {name:?}", source.stack.name),
            ));
        }
        let value = self.guarded(
            Pending::Output(index, name.to_owned()),
            format!("{}:Outputs/{name}", source.stack.name),
            file,
            at,
            || Evaluator::new(self, index).output(name),
        )?;
        let value = value.ok_or_else(|| {
            Error::invalid(
                file,
                at,
                format!(
                    "output {name} of stack {} does not exist: its condition is false",
                    source.stack.name
                ),
            )
        })?;
        self.outputs.borrow_mut().insert(key, value.clone());
        Ok(value)
    }

    /// The stack a cloud assembly names `name`, in `region` when both it
    /// and the stack's region are known.
    pub fn stack_named(&self, name: &str, region: Option<&str>) -> Option<usize> {
        self.sources.iter().position(|source| {
            source.named
                && source.stack.name == name
                && match (region, source.stack.region.as_deref()) {
                    (Some(wanted), Some(actual)) => wanted == actual,
                    _ => true,
                }
        })
    }

    /// The value exported as `name`, for an `Fn::ImportValue` at `at` in
    /// `file`.
    pub fn import(&self, name: &str, file: &Path, at: &str) -> Result<Value, Error> {
        let exports = self.exports(file, at)?;
        match exports.by_name.get(name) {
            Some((index, output)) => self.output(*index, output, file, at),
            None if exports.undetermined => {
                self.diagnose(
                    file,
                    at,
                    format!(
                        "no stack exports {name:?} under a name known before deploy; the imported value is treated as unknown"
                    ),
                );
                Ok(Value::Unknown(Unknown {
                    refs: vec![name.to_owned()],
                    reason: None,
                }))
            }
            // Partial inputs are normal (a CI job given one stack): the
            // import stays a reference to the export, by name.
            None => {
                self.diagnose(
                    file,
                    at,
                    format!(
                        "no stack given exports {name:?}; the imported value is treated as unknown (give the exporting stack to resolve it)"
                    ),
                );
                Ok(Value::Unknown(Unknown {
                    refs: vec![name.to_owned()],
                    reason: None,
                }))
            }
        }
    }

    fn exports(&self, file: &Path, at: &str) -> Result<Rc<Exports>, Error> {
        if let Some(exports) = self.exports.borrow().as_ref() {
            return Ok(Rc::clone(exports));
        }
        let exports = self.guarded(
            Pending::ExportNames,
            "the export names".to_owned(),
            file,
            at,
            || self.collect_exports(),
        )?;
        let exports = Rc::new(exports);
        *self.exports.borrow_mut() = Some(Rc::clone(&exports));
        Ok(exports)
    }

    fn collect_exports(&self) -> Result<Exports, Error> {
        let mut exports = Exports::default();
        let mut declared_at: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        for (index, source) in self.sources.iter().enumerate() {
            let Some(outputs) = source.template.get("Outputs").and_then(Json::as_object) else {
                continue;
            };
            // A nested stack whose resource's condition is false exports
            // nothing.
            if !self.exists(index)? {
                continue;
            }
            let mut evaluator = Evaluator::new(self, index);
            for output in outputs.keys() {
                let name = match evaluator.export_name(output)? {
                    None => continue,
                    Some(None) => {
                        exports.undetermined = true;
                        continue;
                    }
                    Some(Some(name)) => name,
                };
                let at = format!("{}/Export/Name", pointer::join("/Outputs", output));
                if let Some((first_file, first_at)) = declared_at.get(&name) {
                    return Err(Error::invalid(
                        &source.stack.template,
                        &at,
                        format!(
                            "the export name {name:?} is also declared at {} {first_at}",
                            first_file.display()
                        ),
                    ));
                }
                declared_at.insert(name.clone(), (source.stack.template.clone(), at));
                exports.by_name.insert(name, (index, output.clone()));
            }
        }
        Ok(exports)
    }

    /// Whether stack `index` is deployed: a nested stack is not when the
    /// condition of the resource that creates it (or of an ancestor's) is
    /// false.
    fn exists(&self, index: usize) -> Result<bool, Error> {
        let Some((parent, logical_id)) = &self.sources[index].parent else {
            return Ok(true);
        };
        if !self.exists(*parent)? {
            return Ok(false);
        }
        let condition = self.sources[*parent]
            .template
            .get("Resources")
            .and_then(|r| r.get(logical_id))
            .and_then(|r| r.get("Condition"))
            .and_then(Json::as_str);
        let Some(condition) = condition else {
            return Ok(true);
        };
        let at = format!("{}/Condition", pointer::join("/Resources", logical_id));
        Ok(Evaluator::new(self, *parent).condition(condition, &at)? != Some(false))
    }

    /// Runs `f` for `key`, unless `key` is already being evaluated further
    /// up: then the references form a cycle, reported where it closes.
    fn guarded<T>(
        &self,
        key: Pending,
        description: String,
        file: &Path,
        at: &str,
        f: impl FnOnce() -> Result<T, Error>,
    ) -> Result<T, Error> {
        {
            let pending = self.pending.borrow();
            if let Some(start) = pending.iter().position(|(k, _)| *k == key) {
                let chain: Vec<&str> = pending[start..]
                    .iter()
                    .map(|(_, d)| d.as_str())
                    .chain([description.as_str()])
                    .collect();
                return Err(Error::invalid(
                    file,
                    at,
                    format!("the references form a cycle: {}", chain.join(" -> ")),
                ));
            }
        }
        self.pending.borrow_mut().push((key, description));
        let result = f();
        self.pending.borrow_mut().pop();
        result
    }

    pub fn diagnose(&self, file: &Path, at: &str, message: String) {
        self.diagnostics.borrow_mut().push(Diagnostic {
            file: file.to_owned(),
            location: at.to_owned(),
            message,
        });
    }
}
