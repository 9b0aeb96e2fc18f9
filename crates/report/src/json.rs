//! The JSON report. Its types are the wire format, kept apart from the
//! domain types so that the format changes only on purpose; the shape is
//! documented in `docs/report-format.md` and versioned by `schema_version`.

use std::io;

use parity_engine::{
    AreaCoverage, BaselineFinding, Comparison, ListedResource, PairedResources, WaivedFinding,
    WaiverUse,
};
use parity_model::{Finding, FindingSide, ResourceId, Side, TemplatePart, Unknown, Value};
use serde::Serialize;
use serde_json::{Value as Json, json};

use crate::Report;

/// Bumped whenever a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    #[serde(skip_serializing_if = "str::is_empty")]
    date: &'a str,
    source_of_truth: Option<&'static str>,
    inputs: JsonInputs<'a>,
    in_parity: bool,
    scope: Vec<&'static str>,
    summary: Vec<JsonAreaSummary>,
    findings: Each<'a, Finding, JsonFinding<'a>>,
    pairs: Each<'a, PairedResources, JsonPair>,
    unmapped: Vec<JsonResource>,
    no_twin: Vec<JsonResource>,
    skipped: Vec<JsonResource>,
    unpaired: Vec<JsonResource>,
    notes: &'a [String],
    intentional: Each<'a, WaivedFinding, JsonWaived<'a>>,
    waivers: Vec<JsonWaiver>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<JsonBaseline>,
}

/// A list written one item at a time: each item's wire form is made just
/// before it is written and dropped after, so that a large comparison is
/// not held a second time as its JSON while the report is written.
struct Each<'a, T, J>(&'a [T], &'a dyn Fn(&'a T) -> J);

impl<T, J: Serialize> Serialize for Each<'_, T, J> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(self.1))
    }
}

impl<T, J> Each<'_, T, J> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Serialize)]
struct JsonWaived<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    waiver: usize,
    reason: String,
}

#[derive(Serialize)]
struct JsonWaiver {
    index: usize,
    reason: String,
    expires: Option<String>,
    matched: usize,
    expired: bool,
    optional: bool,
    stale: bool,
}

#[derive(Serialize)]
struct JsonBaseline {
    source: String,
    new: usize,
    known: usize,
    fixed: Vec<JsonFixed>,
}

#[derive(Serialize)]
struct JsonFixed {
    area: &'static str,
    status: &'static str,
    severity: &'static str,
    resource_type: String,
    attribute: String,
    terraform: Option<JsonResourceRef>,
    cloudformation: Option<JsonResourceRef>,
}

#[derive(Serialize)]
struct JsonInputs<'a> {
    terraform: &'a str,
    cloudformation: &'a str,
}

#[derive(Serialize)]
struct JsonAreaSummary {
    area: &'static str,
    status: &'static str,
    discrepancies: usize,
    unverifiable: usize,
    waived: usize,
    coverage: JsonCoverage,
}

#[derive(Serialize)]
struct JsonCoverage {
    /// What the text and markdown reports say, one phrase per kind.
    text: Vec<String>,
    resources: Vec<JsonResourceCoverage>,
    parts: Vec<JsonPartCoverage>,
}

#[derive(Serialize)]
struct JsonResourceCoverage {
    resource_type: String,
    words: String,
    paired: usize,
    uncertain: usize,
    only_in_terraform: usize,
    only_in_cdk: usize,
}

#[derive(Serialize)]
struct JsonPartCoverage {
    resource_type: String,
    items: String,
    words: String,
    holders: String,
    properties: Vec<String>,
    compared: usize,
    not_compared: JsonNotCompared,
}

#[derive(Serialize)]
struct JsonNotCompared {
    without_twin: usize,
    one_sided: usize,
    unknown: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    area: &'static str,
    status: &'static str,
    severity: &'static str,
    resource_type: String,
    attribute: String,
    terraform: Option<JsonSide>,
    cloudformation: Option<JsonSide>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    broadens: bool,
    /// Not in the baseline; only when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<bool>,
    /// The findings a grouped finding stands for.
    #[serde(skip_serializing_if = "Each::is_empty")]
    members: Each<'a, Finding, JsonFinding<'a>>,
    /// Code to paste into the side to fix.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<JsonFix>,
}

#[derive(Serialize)]
struct JsonFix {
    side: &'static str,
    language: &'static str,
    code: String,
}

#[derive(Serialize)]
struct JsonSide {
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stack: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_id: Option<String>,
    present: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<JsonLocation>,
}

/// Where a side of a finding is written; each part only when known.
#[derive(Serialize)]
struct JsonLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    construct_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<JsonSourceLine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    module_call: Option<JsonSourceLine>,
}

/// A line of a source file the user edits.
#[derive(Serialize)]
struct JsonSourceLine {
    file: String,
    line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

impl From<&parity_model::SourceLine> for JsonSourceLine {
    fn from(s: &parity_model::SourceLine) -> Self {
        JsonSourceLine {
            file: s.file.clone(),
            line: s.line,
            column: s.column,
        }
    }
}

#[derive(Serialize)]
struct JsonPair {
    resource_type: String,
    terraform: JsonResourceRef,
    cloudformation: JsonResourceRef,
    method: &'static str,
    confidence: f64,
    uncertain: bool,
    evidence: JsonEvidence,
    folded: Vec<JsonResourceRef>,
}

#[derive(Serialize)]
struct JsonEvidence {
    names: Vec<String>,
    values: Vec<String>,
    neighbours: Vec<JsonNeighbour>,
    scores: JsonScores,
}

#[derive(Serialize)]
struct JsonNeighbour {
    terraform: String,
    cloudformation: String,
}

#[derive(Serialize)]
struct JsonScores {
    properties: f64,
    values: f64,
    names: f64,
    neighbours: f64,
}

#[derive(Serialize)]
struct JsonResourceRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stack: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    construct_path: Option<String>,
}

#[derive(Serialize)]
struct JsonResource {
    side: &'static str,
    resource_type: String,
    #[serde(flatten)]
    id: JsonResourceRef,
    reason: String,
}

fn coverage(c: &AreaCoverage) -> JsonCoverage {
    JsonCoverage {
        text: crate::document::coverage_phrases(c),
        resources: c
            .resources
            .iter()
            .map(|r| JsonResourceCoverage {
                resource_type: r.resource_type.clone(),
                words: r.words.clone(),
                paired: r.paired,
                uncertain: r.uncertain,
                only_in_terraform: r.only_terraform,
                only_in_cdk: r.only_cloudformation,
            })
            .collect(),
        parts: c
            .parts
            .iter()
            .map(|p| JsonPartCoverage {
                resource_type: p.resource_type.clone(),
                items: p.items.clone(),
                words: p.words.clone(),
                holders: p.holders.clone(),
                properties: p.properties.clone(),
                compared: p.compared,
                not_compared: JsonNotCompared {
                    without_twin: p.unpaired,
                    one_sided: p.one_sided,
                    unknown: p.unknown,
                },
            })
            .collect(),
    }
}

pub fn render(report: &Report<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let comparison = report.comparison;
    let document = JsonReport {
        schema_version: SCHEMA_VERSION,
        date: &report.options.date,
        source_of_truth: report.options.source_of_truth.map(side_name),
        inputs: JsonInputs {
            terraform: &report.inputs.terraform,
            cloudformation: &report.inputs.cloudformation,
        },
        in_parity: comparison.summary().iter().all(|s| s.discrepancies == 0),
        scope: comparison.scope.iter().map(|a| a.as_str()).collect(),
        summary: comparison
            .summary()
            .into_iter()
            .map(|s| JsonAreaSummary {
                area: s.area.as_str(),
                status: s.status.as_str(),
                discrepancies: s.discrepancies,
                unverifiable: s.unverifiable,
                waived: s.waived,
                coverage: coverage(&s.coverage),
            })
            .collect(),
        findings: Each(&comparison.findings, &|f| {
            let mut json = finding(f);
            if comparison.baseline.is_some() {
                json.new = Some(comparison.is_new(f));
            }
            json
        }),
        pairs: Each(&comparison.pairs, &|p| JsonPair {
            resource_type: p.canonical_type.clone(),
            terraform: resource_ref(&p.terraform, None),
            cloudformation: resource_ref(&p.cloudformation, p.construct_path.clone()),
            method: p.method.as_str(),
            confidence: p.confidence,
            uncertain: p.uncertain,
            evidence: JsonEvidence {
                names: p.evidence.names.clone(),
                values: p.evidence.values.clone(),
                neighbours: p
                    .evidence
                    .neighbours
                    .iter()
                    .map(|(t, c)| JsonNeighbour {
                        terraform: t.clone(),
                        cloudformation: c.clone(),
                    })
                    .collect(),
                scores: JsonScores {
                    properties: p.evidence.properties,
                    values: p.evidence.value_score,
                    names: p.evidence.name_score,
                    neighbours: p.evidence.neighbour_score,
                },
            },
            folded: p.folded.iter().map(|id| resource_ref(id, None)).collect(),
        }),
        unmapped: comparison.unmapped.iter().map(listed).collect(),
        no_twin: comparison.no_twin.iter().map(listed).collect(),
        skipped: comparison.skipped.iter().map(listed).collect(),
        unpaired: comparison.unpaired.iter().map(listed).collect(),
        notes: &comparison.notes,
        intentional: Each(&comparison.waived, &|w| JsonWaived {
            finding: finding(&w.finding),
            waiver: w.waiver,
            reason: comparison
                .waivers
                .get(w.waiver)
                .map(|u| u.reason.clone())
                .unwrap_or_default(),
        }),
        waivers: comparison.waivers.iter().map(waiver).collect(),
        baseline: baseline(comparison),
    };
    crate::visible::write_json(out, &document)?;
    writeln!(out)
}

fn listed(resource: &ListedResource) -> JsonResource {
    JsonResource {
        side: resource.id.side().label(),
        resource_type: resource.resource_type.clone(),
        id: resource_ref(&resource.id, None),
        reason: resource.reason.clone(),
    }
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    // A grouped finding's sides name no resource: its members do.
    let named = !is_group(f);
    let side = |s: &FindingSide, terraform: bool| JsonSide {
        address: (named && terraform).then(|| s.resource.clone()),
        stack: s.stack.clone(),
        logical_id: (named && !terraform).then(|| s.resource.clone()),
        present: s.value.is_some() || f.attribute.is_empty(),
        value: s.value.as_ref().map(value),
        display: s.value.as_ref().map(Value::to_string),
        location: s.location.as_ref().map(|l| JsonLocation {
            file: l.file.clone(),
            line: l.line,
            column: l.column,
            construct_path: l.construct_path.clone(),
            source: l.source.as_ref().map(JsonSourceLine::from),
            module_call: l.module_call.as_ref().map(JsonSourceLine::from),
        }),
    };
    JsonFinding {
        area: f.area.as_str(),
        status: f.status.as_str(),
        severity: f.severity.as_str(),
        resource_type: f.resource_type.clone(),
        attribute: f.attribute.clone(),
        terraform: f.terraform.as_ref().map(|s| side(s, true)),
        cloudformation: f.cloudformation.as_ref().map(|s| side(s, false)),
        note: f.note.clone(),
        broadens: f.broadens,
        new: None,
        members: Each(&f.members, &finding),
        fixes: f
            .fixes
            .iter()
            .map(|fix| JsonFix {
                side: side_name(fix.side),
                language: fix.language.as_str(),
                code: fix.code.clone(),
            })
            .collect(),
    }
}

/// A side as the command line names it.
pub(crate) fn side_name(side: Side) -> &'static str {
    match side {
        Side::Terraform => "terraform",
        Side::CloudFormation => "cdk",
    }
}

fn is_group(f: &Finding) -> bool {
    !f.members.is_empty()
}

fn waiver(u: &WaiverUse) -> JsonWaiver {
    JsonWaiver {
        index: u.index,
        reason: u.reason.clone(),
        expires: u.expires.map(|d| d.to_string()),
        matched: u.matched,
        expired: u.expired,
        optional: u.optional,
        stale: u.is_stale(),
    }
}

fn baseline(comparison: &Comparison) -> Option<JsonBaseline> {
    let outcome = comparison.baseline.as_ref()?;
    let discrepancies: Vec<&Finding> = comparison
        .findings
        .iter()
        .flat_map(Finding::each)
        .filter(|f| f.status != parity_model::Status::Unverifiable)
        .collect();
    let new = discrepancies
        .iter()
        .filter(|f| comparison.is_new(f))
        .count();
    Some(JsonBaseline {
        source: outcome.source.clone(),
        new,
        known: discrepancies.len() - new,
        fixed: outcome.fixed.iter().map(fixed).collect(),
    })
}

fn fixed(f: &BaselineFinding) -> JsonFixed {
    JsonFixed {
        area: f.area.as_str(),
        status: f.key.status.as_str(),
        severity: f.severity.as_str(),
        resource_type: f.resource_type.clone(),
        attribute: f.key.attribute.clone(),
        terraform: f.key.terraform.as_ref().map(|address| JsonResourceRef {
            address: Some(address.clone()),
            stack: None,
            logical_id: None,
            construct_path: None,
        }),
        cloudformation: f
            .key
            .cloudformation
            .as_ref()
            .map(|(stack, logical_id)| JsonResourceRef {
                address: None,
                stack: Some(stack.clone()),
                logical_id: Some(logical_id.clone()),
                construct_path: None,
            }),
    }
}

fn resource_ref(id: &ResourceId, construct_path: Option<String>) -> JsonResourceRef {
    match id {
        ResourceId::Terraform { address } => JsonResourceRef {
            address: Some(address.clone()),
            stack: None,
            logical_id: None,
            construct_path: None,
        },
        ResourceId::CloudFormation { stack, logical_id } => JsonResourceRef {
            address: None,
            stack: Some(stack.clone()),
            logical_id: Some(logical_id.clone()),
            construct_path,
        },
    }
}

/// `{"$unknown": {"refs": […]}}`, with the `reason` a resolution of
/// unknowns recorded when it left the value unknown.
fn unknown(u: &Unknown) -> Json {
    let mut unknown = json!({ "refs": u.refs });
    if let Some(reason) = &u.reason {
        unknown["reason"] = Json::String(reason.clone());
    }
    json!({ "$unknown": unknown })
}

/// A value as JSON: plain data as itself; what only deploy time knows, and
/// anything sensitive, as an object with a single `$`-prefixed key. A
/// sensitive value's content is never written.
pub(crate) fn value(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => Json::Number(n.clone()),
        Value::String(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(items.iter().map(value).collect()),
        Value::Map(map) => Json::Object(map.iter().map(|(k, v)| (k.clone(), value(v))).collect()),
        Value::Ref(r) => json!({ "$ref": { "target": r.target, "attribute": r.attribute } }),
        Value::Template(parts) => {
            let parts: Vec<Json> = parts
                .iter()
                .map(|p| match p {
                    TemplatePart::Literal(s) => Json::String(s.clone()),
                    TemplatePart::Ref(r) => {
                        json!({ "$ref": { "target": r.target, "attribute": r.attribute } })
                    }
                    TemplatePart::Unknown(u) => unknown(u),
                })
                .collect();
            json!({ "$template": parts })
        }
        Value::Unknown(u) => unknown(u),
        Value::Sensitive(_) => json!({ "$sensitive": true }),
        Value::Masked(masked) => json!({ "$sensitive": true, "shown": masked.shown }),
        Value::Conditional(c) => {
            let mut branches = serde_json::Map::new();
            branches.insert("condition".to_owned(), Json::String(c.condition.clone()));
            if let Some(v) = &c.if_true {
                branches.insert("then".to_owned(), value(v));
            }
            if let Some(v) = &c.if_false {
                branches.insert("else".to_owned(), value(v));
            }
            json!({ "$if": branches })
        }
    }
}
