//! The comparison engine: pairs each Terraform resource with its
//! CloudFormation twin ([`align`]), compares each pair's canonical properties
//! with the rules users expect ([`values`]), and turns differences into
//! [`Finding`]s with an area and a severity. Then it classifies them:
//! [`waivers`] set intentional differences apart, and a [`Baseline`] of an
//! earlier run tells which findings are new.
//!
//! It computes; it never prints or reads files. Its input is what the loaders
//! produced and the project configuration, its output a [`Comparison`] that
//! renderers present as it is.
//!
//! ```no_run
//! # let (terraform, cloudformation) = (vec![], vec![]);
//! let table = parity_mapping::Table::builtin().unwrap();
//! let config = parity_engine::Config::default();
//! let comparison = parity_engine::compare(&terraform, &cloudformation, &table, &config, &Default::default()).unwrap();
//! println!("{} findings", comparison.findings.len());
//! ```

pub mod align;
mod areas;
mod baseline;
mod config;
mod coverage;
mod date;
mod diff;
mod fixes;
mod glob;
mod rules;
pub mod values;
pub mod waivers;

use parity_mapping::{Entity, Table};
use parity_model::{Area, Finding, Resource, ResourceId, Severity, Status};
use std::borrow::Cow;
use std::collections::VecDeque;

pub use align::{Alignment, Evidence, Pair, PairMethod};
pub use baseline::{Baseline, BaselineFinding, BaselineOutcome, FindingKey};
pub use config::{
    CdkSource, CompareDefaults, Config, ConfigError, ExplicitPair, Skip, Sources, TerraformSource,
};
pub use coverage::{AreaCoverage, PartCoverage, ResourceCoverage};
pub use date::Date;
pub use glob::Glob;
pub use rules::{Rules, RulesError};
pub use waivers::{PropertyPath, WaivedFinding, Waiver, WaiverUse};

/// What to compare.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these areas; all checked areas when empty.
    pub areas: Vec<Area>,
    /// The day of the comparison, against which waivers expire; without it
    /// no waiver expires. The engine never reads the clock.
    pub date: Option<Date>,
    /// An earlier run's findings: only findings not in it fail.
    pub baseline: Option<Baseline>,
}

/// Everything one comparison concluded.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The areas compared, in report order.
    pub scope: Vec<Area>,
    /// Every difference within the scope that no waiver covers, in a stable
    /// order.
    pub findings: Vec<Finding>,
    /// Differences within the scope kept on purpose, in the same order.
    pub waived: Vec<WaivedFinding>,
    /// Every waiver of the configuration, in its order, and how it fared.
    pub waivers: Vec<WaiverUse>,
    /// How the findings compare with the baseline, when one was given.
    pub baseline: Option<BaselineOutcome>,
    /// How resources were paired.
    pub pairs: Vec<PairedResources>,
    /// Resources of types the mapping table does not know yet: listed, not
    /// compared.
    pub unmapped: Vec<ListedResource>,
    /// Resources that have no twin by nature (generated values, CDK custom
    /// resources), with why.
    pub no_twin: Vec<ListedResource>,
    /// Resources the configuration leaves out, with its reason.
    pub skipped: Vec<ListedResource>,
    /// Resources of a type both sides know for which no twin was found,
    /// whatever the scope.
    pub unpaired: Vec<ListedResource>,
    /// What the engine could not do and the reader should know.
    pub notes: Vec<String>,
    /// How much of each area in scope was compared.
    pub coverage: std::collections::BTreeMap<Area, AreaCoverage>,
}

/// How an area stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaStatus {
    InSync,
    /// No difference found, but some values could not be compared.
    Unverifiable,
    /// No difference found in what was compared, but some of the area was
    /// not: parts of resources without a twin, or unknown before deploy.
    Partial,
    /// The area has resources or parts, and none of them was compared.
    NotCompared,
    Diverged,
}

impl AreaStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AreaStatus::InSync => "in-sync",
            AreaStatus::Unverifiable => "unverifiable",
            AreaStatus::Partial => "partial",
            AreaStatus::NotCompared => "not-compared",
            AreaStatus::Diverged => "diverged",
        }
    }
}

/// One line of the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaSummary {
    pub area: Area,
    pub status: AreaStatus,
    /// Findings other than unverifiable ones.
    pub discrepancies: usize,
    pub unverifiable: usize,
    /// Findings waived as intentional differences.
    pub waived: usize,
    /// What of the area was compared.
    pub coverage: AreaCoverage,
}

impl Comparison {
    /// Every area in scope, in report order.
    pub fn summary(&self) -> Vec<AreaSummary> {
        self.scope
            .iter()
            .map(|area| {
                let in_area = || self.findings.iter().filter(move |f| f.area == *area);
                let unverifiable = in_area()
                    .filter(|f| f.status == Status::Unverifiable)
                    .count();
                let discrepancies = in_area().count() - unverifiable;
                let waived = self
                    .waived
                    .iter()
                    .filter(|w| w.finding.area == *area)
                    .count();
                let coverage = self.coverage.get(area).cloned().unwrap_or_default();
                let status = if discrepancies > 0 {
                    AreaStatus::Diverged
                } else if coverage.compared_nothing() {
                    AreaStatus::NotCompared
                } else if coverage.is_partial() {
                    AreaStatus::Partial
                } else if unverifiable > 0 {
                    AreaStatus::Unverifiable
                } else {
                    AreaStatus::InSync
                };
                AreaSummary {
                    area: *area,
                    status,
                    discrepancies,
                    unverifiable,
                    waived,
                    coverage,
                }
            })
            .collect()
    }

    /// Whether a difference at least as severe as `fail_on` was found that
    /// no waiver covers and the baseline, if any, does not know: what makes
    /// the exit code 1. Unverifiable values never do.
    pub fn diverges(&self, fail_on: Severity) -> bool {
        self.findings
            .iter()
            .any(|f| f.status != Status::Unverifiable && f.severity <= fail_on && self.is_new(f))
    }

    /// Whether the gate fails: [`diverges`](Self::diverges), or, when
    /// `strict`, a waiver is stale.
    pub fn fails(&self, fail_on: Severity, strict: bool) -> bool {
        self.diverges(fail_on) || (strict && self.stale_waivers().next().is_some())
    }

    /// Whether a finding is not in the baseline; every finding is new
    /// without one.
    /// Fills where each finding (waived ones too) is written on each side,
    /// as far as `locations` knows.
    pub fn locate(&mut self, locations: &parity_model::Locations) {
        locations.apply(
            self.findings
                .iter_mut()
                .chain(self.waived.iter_mut().map(|w| &mut w.finding)),
        );
    }

    /// Fills where the Terraform side of each finding (waived ones too) is
    /// written in the configuration's sources, as far as `locator` finds:
    /// the attribute, else what of it is written, in the resource or in a
    /// piece folded into it, else the resource block.
    pub fn locate_terraform(&mut self, locator: &parity_mapping::TerraformLocator) {
        let mut folded: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
        for pair in &self.pairs {
            if let ResourceId::Terraform { address } = &pair.terraform {
                folded
                    .entry(address.as_str())
                    .or_default()
                    .extend(pair.folded.iter().filter_map(|id| match id {
                        ResourceId::Terraform { address } => Some(address.as_str()),
                        ResourceId::CloudFormation { .. } => None,
                    }));
            }
        }
        let findings = self
            .findings
            .iter_mut()
            .chain(self.waived.iter_mut().map(|w| &mut w.finding));
        for finding in findings {
            locate_terraform(finding, locator, &folded);
        }
    }

    pub fn is_new(&self, finding: &Finding) -> bool {
        self.baseline.as_ref().is_none_or(|b| {
            finding
                .each()
                .any(|f| !b.known.contains(&FindingKey::of(f)))
        })
    }

    /// When no resource found its twin although both sides have some: the
    /// number of resources of each side (Terraform, CloudFormation). Such
    /// inputs do not describe the same infrastructure, and a report of them
    /// would be nothing but resources on one side.
    pub fn nothing_paired(&self) -> Option<(usize, usize)> {
        if !self.pairs.is_empty() {
            return None;
        }
        let count =
            |side: parity_model::Side| self.unpaired.iter().filter(|r| r.id.side() == side).count();
        let (terraform, cloudformation) = (
            count(parity_model::Side::Terraform),
            count(parity_model::Side::CloudFormation),
        );
        (terraform > 0 && cloudformation > 0).then_some((terraform, cloudformation))
    }

    /// When the pairs found account for too little of the inputs to take
    /// them for twins (docs/alignment.md, "Inputs that are not twins"):
    /// how much they account for. Two unrelated projects built from the
    /// same modules pair their generic pieces (a VPC, a load balancer, a
    /// listener on port 80), some with high confidence; twins pair most of
    /// what they have. An explicit pair of the configuration says the
    /// inputs are related: never unrelated then.
    pub fn unrelated(&self) -> Option<Unrelated> {
        if self.pairs.is_empty() || self.pairs.iter().any(|p| p.method == PairMethod::Explicit) {
            return None;
        }
        let alone =
            |side: parity_model::Side| self.unpaired.iter().filter(|r| r.id.side() == side).count();
        let terraform = self.pairs.len() + alone(parity_model::Side::Terraform);
        let cloudformation = self.pairs.len() + alone(parity_model::Side::CloudFormation);
        let evidence: f64 = self.pairs.iter().map(|p| p.confidence).sum::<f64>()
            / terraform.max(cloudformation) as f64;
        (evidence < TWIN_EVIDENCE).then_some(Unrelated {
            pairs: self.pairs.len(),
            evidence,
            terraform,
            cloudformation,
        })
    }

    /// Waivers that select no finding.
    pub fn stale_waivers(&self) -> impl Iterator<Item = &WaiverUse> {
        self.waivers.iter().filter(|w| w.is_stale())
    }
}

/// The least share of the larger input that the pairs' confidences,
/// summed, must account for to take the inputs for twins: the real pairs
/// of `testdata/real-pairs/` account for 0.48 to 0.94, cross combinations
/// of them for 0.30 at most (docs/alignment.md).
pub const TWIN_EVIDENCE: f64 = 0.4;

/// Inputs whose pairs account for too little of them: see
/// [`Comparison::unrelated`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unrelated {
    pub pairs: usize,
    /// The pairs' confidences summed, over the resources of the larger
    /// side.
    pub evidence: f64,
    /// Resources of a known type on each side, paired or not.
    pub terraform: usize,
    pub cloudformation: usize,
}

/// A pair as reports show it.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedResources {
    pub canonical_type: String,
    /// The area the resources belong to (their findings may be of others).
    pub area: Area,
    pub terraform: ResourceId,
    pub cloudformation: ResourceId,
    pub construct_path: Option<String>,
    pub method: PairMethod,
    pub confidence: f64,
    /// Made on evidence below [`align::CONFIDENT`]: its differences are
    /// shown, marked so.
    pub uncertain: bool,
    /// The names, values and neighbours that made the pair.
    pub evidence: Evidence,
    /// Resources folded into either side of the pair.
    pub folded: Vec<ResourceId>,
}

/// A resource listed in a report without being compared, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedResource {
    pub id: ResourceId,
    pub resource_type: String,
    pub reason: String,
}

/// Why a comparison could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Rules(#[from] RulesError),
    #[error(transparent)]
    Names(#[from] align::NamesError),
}

impl Options {
    /// The areas in scope, in report order: the requested ones, or all.
    fn scope(&self) -> Vec<Area> {
        Area::ALL
            .into_iter()
            .filter(|a| self.areas.is_empty() || self.areas.contains(a))
            .collect()
    }
}

/// The comparison rules compiled in, read once per process: reading them
/// again for every comparison cost a small pair more than comparing it.
fn builtin_rules() -> Result<&'static Rules, Error> {
    static RULES: std::sync::OnceLock<Result<Rules, String>> = std::sync::OnceLock::new();
    match RULES.get_or_init(|| Rules::builtin().map_err(|e| e.to_string())) {
        Ok(rules) => Ok(rules),
        Err(message) => Err(RulesError::Invalid(message.clone()).into()),
    }
}

/// The alignment vocabulary compiled in, read once per process.
fn builtin_names() -> Result<&'static align::Names, Error> {
    static NAMES: std::sync::OnceLock<Result<align::Names, String>> = std::sync::OnceLock::new();
    match NAMES.get_or_init(|| align::Names::builtin().map_err(|e| e.to_string())) {
        Ok(names) => Ok(names),
        Err(message) => Err(align::NamesError(message.clone()).into()),
    }
}

/// Compares the resources of the two sides.
pub fn compare(
    terraform: &[Resource],
    cloudformation: &[Resource],
    table: &Table,
    config: &Config,
    options: &Options,
) -> Result<Comparison, Error> {
    compare_inputs(
        Cow::Borrowed(terraform),
        Cow::Borrowed(cloudformation),
        table,
        config,
        options,
    )
}

/// [`compare`], consuming the resources: each side's are dropped once
/// expressed in the canonical vocabulary (CloudFormation properties moved,
/// not copied), so that a large comparison does not hold its inputs twice.
pub fn compare_owned(
    terraform: Vec<Resource>,
    cloudformation: Vec<Resource>,
    table: &Table,
    config: &Config,
    options: &Options,
) -> Result<Comparison, Error> {
    compare_inputs(
        Cow::Owned(terraform),
        Cow::Owned(cloudformation),
        table,
        config,
        options,
    )
}

fn compare_inputs(
    terraform: Cow<'_, [Resource]>,
    cloudformation: Cow<'_, [Resource]>,
    table: &Table,
    config: &Config,
    options: &Options,
) -> Result<Comparison, Error> {
    let rules = builtin_rules()?;
    let mut skipped = Vec::new();
    let terraform = without_skipped(terraform, config, &mut skipped);
    let cloudformation = without_skipped(cloudformation, config, &mut skipped);
    let canonicalize = |resources: Cow<'_, [Resource]>| match resources {
        Cow::Borrowed(resources) => parity_mapping::canonicalize(resources, table),
        Cow::Owned(resources) => parity_mapping::canonicalize_owned(resources, table),
    };
    let tf = canonicalize(terraform);
    let cfn = canonicalize(cloudformation);

    let names = builtin_names()?;
    let alignment = align::align(table, names, config, &tf.entities, &cfn.entities);
    let scope = options.scope();
    let cx = areas::Context {
        table,
        rules,
        terraform: &tf.entities,
        cloudformation: &cfn.entities,
        alignment: &alignment,
    };
    let mut findings: Vec<Finding> = areas::findings(&cx);
    findings.shrink_to_fit();
    mark_uncertain(&mut findings, &alignment, &tf.entities, &cfn.entities);
    sort(&mut findings);
    let resources = waivers::Resources {
        rules,
        entities: tf
            .entities
            .iter()
            .chain(&cfn.entities)
            .map(|e| (&e.id, e))
            .collect(),
    };
    // Waivers meet every finding, in scope or not: a waiver for an area
    // left out of this run is not stale.
    let (mut waived, waivers) =
        waivers::apply(&config.waivers, &mut findings, &resources, options.date);
    findings.retain(|f| scope.contains(&f.area));
    waived.retain(|w| scope.contains(&w.finding.area));
    let baseline = options.baseline.as_ref().map(|b| {
        baseline::compare(
            b,
            findings.iter().chain(waived.iter().map(|w| &w.finding)),
            &scope,
        )
    });

    let findings = group(findings, rules);
    let coverage = coverage::coverage(rules, &tf.entities, &cfn.entities, &alignment, &scope);
    // The alignment's pairs are moved into the report's, evidence and all.
    let pairs = alignment
        .pairs
        .into_iter()
        .map(|p| {
            paired(
                &tf.entities[p.terraform],
                &cfn.entities[p.cloudformation],
                p,
            )
        })
        .collect();
    let listed = |(id, resource_type): &(ResourceId, String), reason: &str| ListedResource {
        id: id.clone(),
        resource_type: resource_type.clone(),
        reason: reason.to_owned(),
    };
    let mut unmapped: Vec<ListedResource> = tf
        .unmapped
        .iter()
        .chain(&cfn.unmapped)
        .map(|u| listed(u, "the mapping table does not cover this type yet"))
        .collect();
    unmapped.sort_by(|a, b| a.id.cmp(&b.id));
    let no_twin = tf
        .no_twin
        .iter()
        .chain(&cfn.no_twin)
        .map(|n| ListedResource {
            id: n.id.clone(),
            resource_type: n.resource_type.clone(),
            reason: n.reason.clone(),
        })
        .collect();
    let unpaired_entity = |e: &Entity| ListedResource {
        id: e.id.clone(),
        resource_type: e.canonical_type.clone(),
        reason: format!(
            "no {} twin found",
            if e.side() == parity_model::Side::Terraform {
                "CDK"
            } else {
                "Terraform"
            }
        ),
    };
    let unpaired = alignment
        .only_terraform
        .iter()
        .map(|i| unpaired_entity(&tf.entities[*i]))
        .chain(
            alignment
                .only_cloudformation
                .iter()
                .map(|i| unpaired_entity(&cfn.entities[*i])),
        )
        .collect();
    let mut notes = alignment.notes;
    notes.extend(
        tf.diagnostics
            .iter()
            .chain(&cfn.diagnostics)
            .map(|d| format!("{}: {}", d.id, d.message)),
    );
    Ok(Comparison {
        scope,
        findings,
        waived,
        waivers,
        baseline,
        pairs,
        unmapped,
        no_twin,
        skipped,
        unpaired,
        notes,
        coverage,
    })
}

/// The differences of an uncertain pair say so: they may be those of two
/// resources that are not twins.
fn mark_uncertain(
    findings: &mut [Finding],
    alignment: &Alignment,
    terraform: &[Entity],
    cloudformation: &[Entity],
) {
    let uncertain: std::collections::BTreeMap<(String, String), f64> = alignment
        .pairs
        .iter()
        .filter(|p| p.uncertain())
        .filter_map(|p| {
            let tf = match &terraform[p.terraform].id {
                ResourceId::Terraform { address } => address.clone(),
                ResourceId::CloudFormation { .. } => return None,
            };
            let cfn = match &cloudformation[p.cloudformation].id {
                ResourceId::CloudFormation { logical_id, .. } => logical_id.clone(),
                ResourceId::Terraform { .. } => return None,
            };
            Some(((tf, cfn), p.confidence))
        })
        .collect();
    if uncertain.is_empty() {
        return;
    }
    for finding in findings {
        let (Some(tf), Some(cfn)) = (&finding.terraform, &finding.cloudformation) else {
            continue;
        };
        if let Some(confidence) = uncertain.get(&(tf.resource.clone(), cfn.resource.clone())) {
            let mark = format!(
                "uncertain pair (confidence {confidence:.2}): check that these resources are twins"
            );
            finding.note = Some(match finding.note.take() {
                Some(note) => format!("{note}; {mark}"),
                None => mark,
            });
        }
    }
}

fn paired(tf: &Entity, cfn: &Entity, pair: Pair) -> PairedResources {
    PairedResources {
        canonical_type: tf.canonical_type.clone(),
        area: tf.area,
        terraform: tf.id.clone(),
        cloudformation: cfn.id.clone(),
        construct_path: cfn.construct_path.clone(),
        method: pair.method,
        confidence: pair.confidence,
        uncertain: pair.uncertain(),
        evidence: pair.evidence,
        folded: tf.folded.iter().chain(&cfn.folded).cloned().collect(),
    }
}

/// The resources the configuration does not skip; the skipped ones go to
/// `skipped` with the reason.
/// The resources no `skip` names: as given when none is skipped (the usual
/// case), and otherwise moved when they are owned, so that a large input is
/// not held twice.
fn without_skipped<'r>(
    resources: Cow<'r, [Resource]>,
    config: &Config,
    skipped: &mut Vec<ListedResource>,
) -> Cow<'r, [Resource]> {
    let before = skipped.len();
    let keep: Vec<bool> = resources
        .iter()
        .map(|r| {
            let skip = match &r.id {
                ResourceId::Terraform { address } => config
                    .skip_terraform
                    .iter()
                    .find(|s| s.pattern.matches(address)),
                ResourceId::CloudFormation { stack, logical_id } => {
                    config.skip_cloudformation.iter().find(|s| {
                        (s.pattern.matches(logical_id)
                            || r.construct_path
                                .as_deref()
                                .is_some_and(|p| s.pattern.matches(p)))
                            && s.stack.as_ref().is_none_or(|g| g.matches(stack))
                    })
                }
            };
            if let Some(skip) = skip {
                skipped.push(ListedResource {
                    id: r.id.clone(),
                    resource_type: r.resource_type.clone(),
                    reason: skip.reason.clone(),
                });
            }
            skip.is_none()
        })
        .collect();
    if skipped.len() == before {
        return resources;
    }
    match resources {
        Cow::Borrowed(resources) => Cow::Owned(
            resources
                .iter()
                .zip(&keep)
                .filter(|(_, keep)| **keep)
                .map(|(r, _)| r.clone())
                .collect(),
        ),
        Cow::Owned(resources) => Cow::Owned(
            resources
                .into_iter()
                .zip(keep)
                .filter(|(_, keep)| *keep)
                .map(|(r, _)| r)
                .collect(),
        ),
    }
}

/// The same difference on several resources becomes one finding that lists
/// them: the same attribute of the same type with the same values on each
/// side, or tags that differ by the same keys on resources of any type.
/// A resource on one side only and an unverifiable value stay findings of
/// their own.
fn group(findings: Vec<Finding>, rules: &Rules) -> Vec<Finding> {
    type Key = (
        Area,
        Severity,
        Status,
        String,
        String,
        Option<String>,
        String,
        String,
    );
    let key = |f: &Finding| -> Option<Key> {
        if f.attribute.is_empty() || f.status == Status::Unverifiable {
            return None;
        }
        let tags = rules.tags.is_tags(&f.attribute);
        let value = |side: &Option<parity_model::FindingSide>| match side {
            _ if tags => String::new(),
            Some(parity_model::FindingSide {
                value: Some(value), ..
            }) => format!("={value}"),
            Some(_) => "present".to_owned(),
            None => String::new(),
        };
        Some((
            f.area,
            f.severity,
            f.status,
            if tags {
                String::new()
            } else {
                f.resource_type.clone()
            },
            each_item(&f.attribute),
            f.note.clone(),
            value(&f.terraform),
            value(&f.cloudformation),
        ))
    };
    let mut members: std::collections::BTreeMap<Key, Vec<usize>> = Default::default();
    for (i, f) in findings.iter().enumerate() {
        if let Some(k) = key(f) {
            members.entry(k).or_default().push(i);
        }
    }
    let groups: Vec<Vec<usize>> = members.into_values().filter(|m| m.len() > 1).collect();
    let mut group_of = vec![None; findings.len()];
    for (g, group) in groups.iter().enumerate() {
        for i in group {
            group_of[*i] = Some(g);
        }
    }
    // Findings are moved within the buffer they came in, from the front to
    // the back or into their group: the findings of a large comparison are
    // not held twice.
    let mut lists: Vec<Vec<Finding>> = groups.iter().map(|g| Vec::with_capacity(g.len())).collect();
    let mut queue = VecDeque::from(findings);
    for g in &group_of {
        match (g, queue.pop_front()) {
            (Some(g), Some(f)) => lists[*g].push(f),
            (None, Some(f)) => queue.push_back(f),
            (_, None) => break,
        }
    }
    // Each group takes the place of its first member.
    for (i, g) in group_of.iter().enumerate() {
        match g {
            None => queue.rotate_left(1),
            Some(g) if groups[*g][0] == i => {
                let list = std::mem::take(&mut lists[*g]);
                let tags = rules.tags.is_tags(&list[0].attribute);
                queue.push_back(grouped(list, tags));
            }
            Some(_) => {}
        }
    }
    let mut findings = Vec::from(queue);
    findings.shrink_to_fit();
    findings
}

/// An attribute with every list item keyed by a reference written `[*]`:
/// each service's own registry (`ServiceRegistries[${…discovery…arn}]`)
/// is the same item of every service for grouping, as a list index is.
fn each_item(attribute: &str) -> String {
    let mut out = String::with_capacity(attribute.len());
    let mut rest = attribute;
    while let Some(start) = rest.find("[${") {
        // A reference may hold brackets of its own (`this["api"]`): it
        // ends at the first `}]`.
        let Some(len) = rest[start..].find("}]") else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str("[*]");
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// One finding for `members`: what they share. Tags name the keys each
/// side adds, whose values may differ from resource to resource.
fn grouped(members: Vec<Finding>, tags: bool) -> Finding {
    let first = &members[0];
    let same_type = members
        .iter()
        .all(|m| m.resource_type == first.resource_type);
    let side = |side: &Option<parity_model::FindingSide>| {
        side.as_ref().map(|s| parity_model::FindingSide {
            resource: String::new(),
            stack: None,
            value: match &s.value {
                Some(parity_model::Value::Map(map)) if tags => Some(parity_model::Value::List(
                    map.keys()
                        .map(|k| parity_model::Value::String(k.clone()))
                        .collect(),
                )),
                other => other.clone(),
            },
            location: None,
        })
    };
    Finding {
        area: first.area,
        severity: first.severity,
        status: first.status,
        resource_type: if same_type {
            first.resource_type.clone()
        } else {
            String::new()
        },
        attribute: if members.iter().all(|m| m.attribute == first.attribute) {
            first.attribute.clone()
        } else {
            each_item(&first.attribute)
        },
        terraform: side(&first.terraform),
        cloudformation: side(&first.cloudformation),
        note: first.note.clone(),
        broadens: first.broadens,
        members,
        // Each member says how to fix its own resource.
        fixes: Vec::new(),
    }
}

/// Sorts findings by [`finding_order`], stably, in place: their indices are
/// sorted, then each finding is moved to its place, so that a large
/// comparison's findings are not copied into a sort's scratch buffer.
fn sort(findings: &mut [Finding]) {
    // The index of the finding that belongs at each place.
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|a, b| finding_order(&findings[*a]).cmp(&finding_order(&findings[*b])));
    for start in 0..order.len() {
        // Along a cycle of places, each takes its finding from the next
        // place; the finding first at `start` is carried to the last. A
        // place is marked done by pointing to itself.
        let mut place = start;
        loop {
            let from = std::mem::replace(&mut order[place], place);
            if from == start {
                break;
            }
            findings.swap(place, from);
            place = from;
        }
    }
}

/// Findings are ordered by area, then resource, then attribute, so that the
/// same inputs always give the same report.
/// Findings in order of area, type, resources and attribute (a missing
/// side sorts first). Borrowed: a sort compares keys `n log n` times.
fn finding_order(f: &Finding) -> (Area, &str, &str, &str, &str) {
    fn side(s: &Option<parity_model::FindingSide>) -> &str {
        s.as_ref().map_or("", |s| s.resource.as_str())
    }
    (
        f.area,
        &f.resource_type,
        side(&f.terraform),
        side(&f.cloudformation),
        &f.attribute,
    )
}

/// Locates a finding's Terraform side, or those of the findings it groups.
fn locate_terraform(
    finding: &mut Finding,
    locator: &parity_mapping::TerraformLocator,
    folded: &std::collections::BTreeMap<&str, Vec<&str>>,
) {
    if !finding.members.is_empty() {
        for member in &mut finding.members {
            locate_terraform(member, locator, folded);
        }
        return;
    }
    if let Some(side) = finding.terraform.as_mut() {
        let pieces = folded
            .get(side.resource.as_str())
            .map_or(&[][..], Vec::as_slice);
        side.location = locator
            .locate(&side.resource, &finding.attribute, pieces)
            .map(Box::new);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(area: Area, attribute: &str, note: usize) -> Finding {
        Finding {
            area,
            severity: Severity::Consider,
            status: Status::Differs,
            resource_type: "AWS::ECS::Service".to_owned(),
            attribute: attribute.to_owned(),
            terraform: None,
            cloudformation: None,
            note: Some(note.to_string()),
            broadens: false,
            members: Vec::new(),
            fixes: Vec::new(),
        }
    }

    #[test]
    fn findings_are_sorted_as_a_stable_sort_sorts_them() {
        let attributes = ["Cpu", "Memory", "Tags", ""];
        let areas = [Area::Ecs, Area::Alb, Area::Iam];
        // Several cycles of places, fixed points and equal keys (told
        // apart by their note) in an order no simpler than a scramble.
        let findings: Vec<Finding> = (0..60)
            .map(|i| finding(areas[(i * 7) % 3], attributes[(i * 5) % 4], i))
            .collect();
        let mut expected = findings.clone();
        expected.sort_by(|a, b| finding_order(a).cmp(&finding_order(b)));
        let mut sorted = findings;
        sort(&mut sorted);
        let notes = |f: &[Finding]| f.iter().map(|f| f.note.clone()).collect::<Vec<_>>();
        assert_eq!(notes(&sorted), notes(&expected));
    }
}
