//! Intentional differences: waivers from `parity.yaml` select findings that
//! are kept on purpose, give the reason, and may expire. A waived finding no
//! longer counts against parity; an expired waiver stops waiving; a waiver
//! that selects nothing is stale.

use std::collections::{BTreeMap, VecDeque};

use jsonpath_rust::parser::model::JpQuery;
use parity_mapping::Entity;
use parity_model::{Area, Finding, FindingSide, Map, ResourceId, Status, Value};
use serde_json::Value as Json;

use crate::date::Date;
use crate::diff::{display_key, key_text};
use crate::glob::Glob;
use crate::rules::{ListRule, Rules, TypeRules};

/// One entry of `waivers:`. Every selector given must match; at least one
/// other than `kind` is required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    pub area: Option<Area>,
    /// The resource on either side: a Terraform address, or a CloudFormation
    /// logical ID, `Stack/LogicalId` or construct path.
    pub resource: Option<Glob>,
    pub terraform: Option<Glob>,
    pub cloudformation: Option<Glob>,
    /// The attribute path as reports print it; a waiver for a path covers
    /// what lies under it.
    pub attribute: Option<Glob>,
    /// A JSONPath over the pair's canonical properties.
    pub path: Option<PropertyPath>,
    pub kind: Option<Status>,
    pub reason: String,
    /// The last day it waives.
    pub expires: Option<Date>,
    /// It may select nothing without being stale: a difference only some
    /// inputs show (a policy a fresh plan leaves unknown shows only once the
    /// plan is resolved).
    pub optional: bool,
}

/// A JSONPath over canonical properties, e.g.
/// `$.ContainerDefinitions[?(@.Name == 'api')].Environment[?(@.Name == 'HOME')]`.
#[derive(Debug, Clone)]
pub struct PropertyPath {
    text: String,
    query: JpQuery,
}

impl PropertyPath {
    pub fn parse(text: &str) -> Result<PropertyPath, String> {
        let query = jsonpath_rust::parser::parse_json_path(text)
            .map_err(|e| format!("not a JSONPath ({}): {text}", one_line(&e.to_string())))?;
        Ok(PropertyPath {
            text: text.to_owned(),
            query,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl PartialEq for PropertyPath {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for PropertyPath {}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The finding kinds a waiver may name, by their report names.
pub fn parse_kind(name: &str) -> Option<Status> {
    [
        Status::OnlyInTerraform,
        Status::OnlyInCdk,
        Status::Differs,
        Status::Unverifiable,
    ]
    .into_iter()
    .find(|s| s.as_str() == name)
}

/// A finding an active waiver covers.
#[derive(Debug, Clone, PartialEq)]
pub struct WaivedFinding {
    pub finding: Finding,
    /// Index of the waiver in the configuration's `waivers:`.
    pub waiver: usize,
}

/// How one waiver fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiverUse {
    /// Index in `waivers:`.
    pub index: usize,
    pub reason: String,
    pub expires: Option<Date>,
    /// Findings it selects, whether or not it waived them.
    pub matched: usize,
    /// Past its expiry date on the day of the comparison: it waives nothing.
    pub expired: bool,
    /// Selecting nothing is expected of it (see [`Waiver::optional`]).
    pub optional: bool,
}

impl WaiverUse {
    /// Selects no finding when it should: the difference it was written
    /// for is gone, or it is written wrong.
    pub fn is_stale(&self) -> bool {
        self.matched == 0 && !self.optional
    }
}

/// What waivers need to know about the resources.
pub(crate) struct Resources<'a> {
    pub rules: &'a Rules,
    pub entities: BTreeMap<&'a ResourceId, &'a Entity>,
}

/// Takes the waived findings out of `findings`, which keeps those that
/// count, in their order: in place, so that a large comparison does not
/// hold its findings twice.
pub(crate) fn apply(
    waivers: &[Waiver],
    findings: &mut Vec<Finding>,
    resources: &Resources<'_>,
    today: Option<Date>,
) -> (Vec<WaivedFinding>, Vec<WaiverUse>) {
    let mut uses: Vec<WaiverUse> = waivers
        .iter()
        .enumerate()
        .map(|(index, w)| WaiverUse {
            index,
            reason: w.reason.clone(),
            expires: w.expires,
            matched: 0,
            expired: match (w.expires, today) {
                (Some(expires), Some(today)) => today > expires,
                _ => false,
            },
            optional: w.optional,
        })
        .collect();
    let mut paths = PathMatches::default();
    let mut waived = Vec::new();
    let mut generated = Vec::new();
    // Each finding is taken from the front and, when it counts, put back
    // at the end: those that count end in their order, in the buffer they
    // came in.
    let mut queue = VecDeque::from(std::mem::take(findings));
    for _ in 0..queue.len() {
        let Some(finding) = queue.pop_front() else {
            break;
        };
        let mut by = None;
        for (i, waiver) in waivers.iter().enumerate() {
            if waiver.selects(&finding, resources, &mut paths, i) {
                uses[i].matched += 1;
                if by.is_none() && !uses[i].expired {
                    by = Some(i);
                }
            }
        }
        match by {
            Some(waiver) => waived.push(WaivedFinding { finding, waiver }),
            None if generated::is_generated_name(&finding, resources) => generated.push(finding),
            None => queue.push_back(finding),
        }
    }
    *findings = Vec::from(queue);
    // Names the CDK generates are intentional differences of their own,
    // listed after the configuration's waivers when they waive something.
    if !generated.is_empty() {
        let index = uses.len();
        uses.push(WaiverUse {
            index,
            reason: resources.rules.generated_names.reason.clone(),
            expires: None,
            matched: generated.len(),
            expired: false,
            optional: true,
        });
        waived.extend(generated.into_iter().map(|finding| WaivedFinding {
            finding,
            waiver: index,
        }));
    }
    (waived, uses)
}

impl Waiver {
    fn selects(
        &self,
        f: &Finding,
        resources: &Resources<'_>,
        paths: &mut PathMatches,
        index: usize,
    ) -> bool {
        let terraform = |glob: &Glob| {
            f.terraform
                .as_ref()
                .is_some_and(|s| glob.matches(&s.resource))
        };
        let cloudformation = |glob: &Glob| {
            f.cloudformation.as_ref().is_some_and(|s| {
                let construct_path = resources
                    .entities
                    .get(&cloudformation_id(s))
                    .and_then(|e| e.construct_path.as_deref());
                glob.matches(&s.resource)
                    || s.stack
                        .as_ref()
                        .is_some_and(|stack| glob.matches(&format!("{stack}/{}", s.resource)))
                    || construct_path.is_some_and(|p| glob.matches(p))
            })
        };
        self.kind.is_none_or(|k| k == f.status)
            && self.area.is_none_or(|a| a == f.area)
            && self.terraform.as_ref().is_none_or(terraform)
            && self.cloudformation.as_ref().is_none_or(cloudformation)
            && self
                .resource
                .as_ref()
                .is_none_or(|g| terraform(g) || cloudformation(g))
            && self
                .attribute
                .as_ref()
                .is_none_or(|g| attribute_and_ancestors(&f.attribute).any(|a| g.matches(a)))
            && self
                .path
                .as_ref()
                .is_none_or(|p| paths.selects(index, p, f, resources))
    }
}

fn cloudformation_id(side: &FindingSide) -> ResourceId {
    ResourceId::CloudFormation {
        stack: side.stack.clone().unwrap_or_default(),
        logical_id: side.resource.clone(),
    }
}

fn terraform_id(side: &FindingSide) -> ResourceId {
    ResourceId::Terraform {
        address: side.resource.clone(),
    }
}

/// `A.B[k].C`, then `A.B[k]`, `A.B`, `A`: an attribute and the paths it lies
/// under. Brackets may hold dots (`[deregistration_delay.timeout_seconds]`).
fn attribute_and_ancestors(attribute: &str) -> impl Iterator<Item = &str> {
    let mut cuts = Vec::new();
    let mut depth = 0usize;
    for (i, c) in attribute.char_indices() {
        match c {
            '[' => {
                if depth == 0 && i > 0 {
                    cuts.push(i);
                }
                depth += 1;
            }
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => cuts.push(i),
            _ => {}
        }
    }
    std::iter::once(attribute).chain(cuts.into_iter().rev().map(move |i| &attribute[..i]))
}

/// The attribute paths, as reports print them, that each waiver's JSONPath
/// selects in each resource; computed once per pair.
#[derive(Default)]
struct PathMatches {
    cache: BTreeMap<(usize, ResourceId), Vec<String>>,
}

impl PathMatches {
    fn selects(
        &mut self,
        index: usize,
        path: &PropertyPath,
        f: &Finding,
        resources: &Resources<'_>,
    ) -> bool {
        let ids = f
            .terraform
            .as_ref()
            .map(terraform_id)
            .into_iter()
            .chain(f.cloudformation.as_ref().map(cloudformation_id));
        for id in ids {
            let Some(entity) = resources.entities.get(&id) else {
                continue;
            };
            let selected = self
                .cache
                .entry((index, id.clone()))
                .or_insert_with(|| selected_attributes(path, entity, resources.rules));
            if selected.iter().any(|s| lies_under(&f.attribute, s)) {
                return true;
            }
        }
        false
    }
}

/// Whether `attribute` is `at` or lies under it.
fn lies_under(attribute: &str, at: &str) -> bool {
    at.is_empty()
        || attribute == at
        || attribute
            .strip_prefix(at)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// A step from a JSON node to one of its children.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The attributes a JSONPath selects in an entity's properties, named as
/// the diff names them.
fn selected_attributes(path: &PropertyPath, entity: &Entity, rules: &Rules) -> Vec<String> {
    let json = Json::Object(
        entity
            .properties
            .iter()
            .map(|(k, v)| (k.clone(), to_json(v)))
            .collect(),
    );
    let mut locations = BTreeMap::new();
    locate(&json, &mut Vec::new(), &mut locations);
    let Ok(found) = jsonpath_rust::query::js_path_process(&path.query, &json) else {
        return Vec::new();
    };
    let type_rules = rules.for_type(&entity.canonical_type);
    let mut out: Vec<String> = found
        .into_iter()
        .filter_map(|r| locations.get(&(r.val as *const Json as usize)))
        .map(|steps| display_of(steps, &entity.properties, type_rules))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Every node of a JSON tree by its address, with the steps to it: the
/// JSONPath library answers with references into the tree.
fn locate(node: &Json, steps: &mut Vec<Step>, out: &mut BTreeMap<usize, Vec<Step>>) {
    out.insert(node as *const Json as usize, steps.clone());
    match node {
        Json::Object(map) => {
            for (k, v) in map {
                steps.push(Step::Key(k.clone()));
                locate(v, steps, out);
                steps.pop();
            }
        }
        Json::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                steps.push(Step::Index(i));
                locate(v, steps, out);
                steps.pop();
            }
        }
        _ => {}
    }
}

/// The attribute path the diff gives the node at `steps`: list items by
/// their identity key, a keyed item's compared field at the item, a set's
/// items at the set.
fn display_of(steps: &[Step], properties: &Map, rules: &TypeRules) -> String {
    let mut display = String::new();
    let mut pattern: Vec<String> = Vec::new();
    let Some((Step::Key(first), rest)) = steps.split_first() else {
        return display;
    };
    let Some(mut value) = properties.get(first) else {
        return display;
    };
    display = display_key("", first);
    pattern.push(first.clone());
    let mut rest = rest.iter();
    while let Some(step) = rest.next() {
        match (value.unmarked().0, step) {
            (Value::Map(map), Step::Key(k)) => {
                let Some(child) = map.get(k) else { break };
                display = display_key(&display, k);
                pattern.push(k.clone());
                value = child;
            }
            (Value::List(items), Step::Index(i)) => {
                let Some(item) = items.get(*i) else { break };
                match rules.list(&pattern) {
                    Some(ListRule::Keyed {
                        key, value: field, ..
                    }) => {
                        display = format!("{display}[{}]", key_text(item, key, *i));
                        pattern.push("*".to_owned());
                        if let Some(field) = field {
                            // Only that field is compared, and shown at the item.
                            match rest.next() {
                                Some(Step::Key(k)) if k == field => match item.get(field) {
                                    Some(v) => value = v,
                                    None => break,
                                },
                                _ => break,
                            }
                        } else {
                            value = item;
                        }
                    }
                    Some(ListRule::Ordered) => {
                        display = format!("{display}[{i}]");
                        pattern.push("*".to_owned());
                        value = item;
                    }
                    None if items
                        .iter()
                        .any(|v| matches!(v.unmarked().0, Value::Map(_))) =>
                    {
                        display = format!("{display}[{i}]");
                        pattern.push("*".to_owned());
                        value = item;
                    }
                    // A list of scalars is a set: compared as a whole.
                    None => break,
                }
            }
            _ => break,
        }
    }
    display
}

/// A value as JSON for JSONPath: plain data as itself, what deploy time
/// decides as the text reports show, a sensitive value as a mark only, so
/// that no selector can test what it holds.
fn to_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => Json::Number(n.clone()),
        Value::String(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(map) => Json::Object(map.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
        Value::Sensitive(_) => {
            let mut mark = serde_json::Map::new();
            mark.insert("$sensitive".to_owned(), Json::Bool(true));
            Json::Object(mark)
        }
        other => Json::String(other.to_string()),
    }
}

mod generated;

#[cfg(test)]
mod tests;
