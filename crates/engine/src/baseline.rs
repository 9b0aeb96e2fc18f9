//! The baseline: the findings of an earlier comparison (a JSON report).
//! With one, only findings that are not in it fail the gate, and those of
//! it that are gone are reported as fixed.
//!
//! A finding is known by its resource pair, attribute and kind: never by
//! its position in a report, which moves when anything before it changes.

use std::collections::BTreeSet;

use parity_model::{Area, Finding, Severity, Status};

/// What identifies a finding from one run to the next.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FindingKey {
    /// The Terraform address; `None` for a resource only in CDK.
    pub terraform: Option<String>,
    /// The CloudFormation stack and logical ID; `None` for a resource only
    /// in Terraform.
    pub cloudformation: Option<(String, String)>,
    pub attribute: String,
    pub status: Status,
}

impl FindingKey {
    pub fn of(f: &Finding) -> FindingKey {
        FindingKey {
            terraform: f.terraform.as_ref().map(|s| s.resource.clone()),
            cloudformation: f
                .cloudformation
                .as_ref()
                .map(|s| (s.stack.clone().unwrap_or_default(), s.resource.clone())),
            attribute: f.attribute.clone(),
            status: f.status,
        }
    }
}

/// A finding of the baseline, with what a report says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineFinding {
    pub key: FindingKey,
    pub area: Area,
    pub severity: Severity,
    pub resource_type: String,
}

/// An earlier run's findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    /// Where it was read from, as the user named it.
    pub source: String,
    pub findings: Vec<BaselineFinding>,
}

/// The comparison against a baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineOutcome {
    pub source: String,
    /// Current findings that the baseline has too.
    pub known: BTreeSet<FindingKey>,
    /// Baseline findings, within the scope, that are gone.
    pub fixed: Vec<BaselineFinding>,
}

/// Which current findings the baseline knows, and which of its findings
/// are gone. `current` holds every finding of this run, waived ones too: a
/// waived difference is not fixed.
pub(crate) fn compare<'a>(
    baseline: &Baseline,
    current: impl Iterator<Item = &'a Finding>,
    scope: &[Area],
) -> BaselineOutcome {
    let current: BTreeSet<FindingKey> = current.map(FindingKey::of).collect();
    let in_baseline: BTreeSet<&FindingKey> = baseline.findings.iter().map(|f| &f.key).collect();
    let known = current
        .iter()
        .filter(|k| in_baseline.contains(k))
        .cloned()
        .collect();
    let mut fixed: Vec<BaselineFinding> = baseline
        .findings
        .iter()
        .filter(|f| scope.contains(&f.area) && !current.contains(&f.key))
        .cloned()
        .collect();
    fixed.sort_by(|a, b| (a.area, &a.key).cmp(&(b.area, &b.key)));
    fixed.dedup();
    BaselineOutcome {
        source: baseline.source.clone(),
        known,
        fixed,
    }
}
