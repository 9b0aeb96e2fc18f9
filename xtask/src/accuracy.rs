//! `cargo xtask accuracy`: how well alignment pairs the twins of real
//! projects, against the hand-audited lists.
//!
//! Every folder under `testdata/real-pairs/` that holds an
//! `EXPECTED_PAIRS.yaml` is a real pair: next to the list, `tfplan.json`
//! (the plain plan), optionally `tfplan.resolved.json` (`cargo xtask
//! plan-json`), and `cdk.out/`; the project's `SOURCES.md` one level up says
//! where they come from. Each is compared with the library, with no
//! configuration, once per Terraform rendering it has (the plain plan and,
//! when present, the resolved one), and the pairs made are measured against
//! the audited list:
//!
//! - recall: the audited twins paired together, over the audited twins;
//! - precision: the pairs made that the list holds, over the pairs made
//!   that touch a resource the list names (a pair of a resource the list
//!   says has no twin, or of an audited twin with another resource, is
//!   wrong); pairs of resources the list does not name are counted apart,
//!   as unaudited.
//!
//! A real pair may also hold an `EXPECTED_FINDINGS.yaml`: the differences
//! of some audited twins, read from both sides by hand, for one plan (its
//! `plan`). On that plan the tool's findings of those twins are matched to
//! the list by attribute and status:
//!
//! - recall: the audited differences reported, over the audited ones;
//! - precision: the reported findings the list holds, over the findings
//!   reported on those twins.
//!
//! A resource on one side only is measured by the pairs (the list's
//! `terraform_only` and `cloudformation_only`), not here: the findings
//! list names twins only.
//!
//! The tests at the bottom assert the lists on every real pair present.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use parity_model::Status;
use serde::Deserialize;

/// The audited list of one real pair (`EXPECTED_PAIRS.yaml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    pub pairs: Vec<ExpectedPair>,
    #[serde(default)]
    pub terraform_only: Vec<OneSided>,
    #[serde(default)]
    pub cloudformation_only: Vec<OneSided>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedPair {
    pub terraform: String,
    /// `<stack name>/<logical id>`.
    pub cloudformation: String,
    /// The canonical CloudFormation type.
    #[serde(rename = "type")]
    pub resource_type: String,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneSided {
    #[serde(default)]
    pub terraform: Option<String>,
    #[serde(default)]
    pub cloudformation: Option<String>,
    pub reason: String,
}

/// The audited differences of some twins of one real pair
/// (`EXPECTED_FINDINGS.yaml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFindings {
    /// The plan file next to it these differences are for.
    pub plan: String,
    pub pairs: Vec<AuditedPair>,
}

/// Twins of `EXPECTED_PAIRS.yaml` whose every property was read on both
/// sides: what is not listed is the same on both.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditedPair {
    pub terraform: String,
    /// `<stack name>/<logical id>`.
    pub cloudformation: String,
    #[serde(default)]
    pub differences: Vec<ExpectedDifference>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedDifference {
    /// As a report writes it (docs/report-format.md).
    pub attribute: String,
    /// `differs`, `only-in-terraform`, `only-in-cdk` or `unverifiable`.
    pub status: String,
    pub why: String,
}

/// A finding as the findings measure knows it: the twins, the attribute
/// and the status.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FindingKey {
    pub terraform: String,
    pub cloudformation: String,
    pub attribute: String,
    pub status: String,
}

impl std::fmt::Display for FindingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} <-> {}: {} {}",
            self.terraform, self.cloudformation, self.attribute, self.status
        )
    }
}

/// The findings of the audited twins against their audited differences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingsMeasure {
    pub counts: Counts,
    /// Reported and not in the list.
    pub unexpected: Vec<FindingKey>,
    /// In the list and not reported.
    pub missing: Vec<FindingKey>,
}

/// Matches reported findings to expected ones, each matched at most once:
/// `made` is what was reported, `expected` what the list holds, `correct`
/// what they share.
pub fn match_findings(expected: &[FindingKey], reported: &[FindingKey]) -> FindingsMeasure {
    let mut left: BTreeMap<&FindingKey, usize> = BTreeMap::new();
    for key in expected {
        *left.entry(key).or_default() += 1;
    }
    let mut unexpected = Vec::new();
    let mut correct = 0;
    for key in reported {
        match left.get_mut(key) {
            Some(n) if *n > 0 => {
                *n -= 1;
                correct += 1;
            }
            _ => unexpected.push(key.clone()),
        }
    }
    let mut missing: Vec<FindingKey> = left
        .into_iter()
        .flat_map(|(key, n)| std::iter::repeat_n(key.clone(), n))
        .collect();
    unexpected.sort();
    missing.sort();
    FindingsMeasure {
        counts: Counts {
            made: reported.len(),
            correct,
            expected: expected.len(),
            unaudited: 0,
        },
        unexpected,
        missing,
    }
}

pub fn read_expected_findings(path: &Path, pairs: &Expected) -> anyhow::Result<ExpectedFindings> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let findings: ExpectedFindings =
        yaml_serde::from_str(&text).with_context(|| format!("{}", path.display()))?;
    let dir = path.parent().expect("a file has a parent");
    if !dir.join(&findings.plan).is_file() {
        bail!("{}: no plan {} next to it", path.display(), findings.plan);
    }
    let mut seen = BTreeSet::new();
    for p in &findings.pairs {
        if !pairs
            .pairs
            .iter()
            .any(|e| e.terraform == p.terraform && e.cloudformation == p.cloudformation)
        {
            bail!(
                "{}: {} <-> {} is not a pair of EXPECTED_PAIRS.yaml",
                path.display(),
                p.terraform,
                p.cloudformation
            );
        }
        if !seen.insert(&p.terraform) {
            bail!("{}: {} is listed twice", path.display(), p.terraform);
        }
        for d in &p.differences {
            if Status::parse(&d.status).is_none() {
                bail!(
                    "{}: {} {}: status `{}` is none of {}",
                    path.display(),
                    p.terraform,
                    d.attribute,
                    d.status,
                    Status::ALL.map(Status::as_str).join(", ")
                );
            }
            // A difference without a reason is not an audit.
            if d.attribute.trim().is_empty() || d.why.trim().is_empty() {
                bail!(
                    "{}: {}: a difference needs an attribute and a why",
                    path.display(),
                    p.terraform
                );
            }
        }
    }
    Ok(findings)
}

/// One real pair with one Terraform rendering.
#[derive(Debug, Clone)]
pub struct Case {
    /// `<project>/<pair>`.
    pub name: String,
    /// `plain` or `resolved`.
    pub variant: &'static str,
    pub plan: PathBuf,
    pub cdk_out: PathBuf,
    pub expected: PathBuf,
}

impl Case {
    pub fn label(&self) -> String {
        format!("{} [{}]", self.name, self.variant)
    }
}

/// Counts for one group of audited twins (a whole pair, or one type).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Pairs the tool made that touch an audited resource.
    pub made: usize,
    /// Of those, pairs the list holds.
    pub correct: usize,
    /// Audited twins.
    pub expected: usize,
    /// Pairs made of resources the list does not name.
    pub unaudited: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.made == 0 {
            100.0
        } else {
            100.0 * self.correct as f64 / self.made as f64
        }
    }

    pub fn recall(&self) -> f64 {
        if self.expected == 0 {
            100.0
        } else {
            100.0 * self.correct as f64 / self.expected as f64
        }
    }

    fn add(&mut self, other: &Counts) {
        self.made += other.made;
        self.correct += other.correct;
        self.expected += other.expected;
        self.unaudited += other.unaudited;
    }
}

/// What one case measured.
#[derive(Debug, Clone)]
pub struct Measure {
    pub total: Counts,
    /// By the groups of [`category`], in their order.
    pub by_category: Vec<(&'static str, Counts)>,
    pub findings: usize,
    /// Against `EXPECTED_FINDINGS.yaml`, when there is one for this plan.
    pub findings_measure: Option<FindingsMeasure>,
    /// Audited twins not paired together: `terraform <-> cloudformation`
    /// and what each was paired with instead, if anything.
    pub missed: Vec<String>,
    /// Pairs made that the list contradicts.
    pub wrong: Vec<String>,
    /// Resources the list names that the comparison does not have.
    pub unknown: Vec<String>,
    /// Pairs made of resources the list does not name.
    pub unaudited: Vec<String>,
}

/// The groups the accuracy is reported by, from a canonical type.
pub fn category(resource_type: &str) -> &'static str {
    match resource_type {
        "AWS::ECS::Service" => "ECS services",
        "AWS::ECS::TaskDefinition" => "task definitions",
        "AWS::ElasticLoadBalancingV2::TargetGroup" => "target groups",
        "AWS::ElasticLoadBalancingV2::Listener" | "AWS::ElasticLoadBalancingV2::ListenerRule" => {
            "listeners"
        }
        "AWS::Logs::LogGroup" => "log groups",
        "AWS::SecretsManager::Secret" | "AWS::SSM::Parameter" => "secrets",
        "AWS::IAM::Role" => "roles",
        t if t.starts_with("AWS::EFS::") => "EFS",
        _ => "others",
    }
}

const CATEGORIES: &[&str] = &[
    "ECS services",
    "task definitions",
    "target groups",
    "listeners",
    "log groups",
    "secrets",
    "roles",
    "EFS",
    "others",
];

/// Every real pair under `root` (`testdata/real-pairs`), one case per
/// Terraform rendering, in path order.
pub fn discover(root: &Path) -> anyhow::Result<Vec<Case>> {
    let mut found = Vec::new();
    find_expected(root, &mut found)?;
    found.sort();
    let mut cases = Vec::new();
    for expected in found {
        let dir = expected.parent().expect("a file has a parent").to_owned();
        let name = dir
            .strip_prefix(root)
            .unwrap_or(&dir)
            .to_string_lossy()
            .replace('\\', "/");
        let cdk_out = dir.join("cdk.out");
        if !cdk_out.is_dir() {
            bail!("{}: no cdk.out next to it", expected.display());
        }
        let mut any = false;
        for (variant, file) in [
            ("plain", "tfplan.json"),
            ("resolved", "tfplan.resolved.json"),
        ] {
            let plan = dir.join(file);
            if plan.is_file() {
                any = true;
                cases.push(Case {
                    name: name.clone(),
                    variant,
                    plan,
                    cdk_out: cdk_out.clone(),
                    expected: expected.clone(),
                });
            }
        }
        if !any {
            bail!("{}: no tfplan.json next to it", expected.display());
        }
    }
    Ok(cases)
}

fn find_expected(dir: &Path, found: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            // A cloud assembly holds no real pair.
            if path.file_name().is_some_and(|n| n != "cdk.out") {
                find_expected(&path, found)?;
            }
        } else if path.file_name().is_some_and(|n| n == "EXPECTED_PAIRS.yaml") {
            found.push(path);
        }
    }
    Ok(())
}

pub fn read_expected(path: &Path) -> anyhow::Result<Expected> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let expected: Expected =
        yaml_serde::from_str(&text).with_context(|| format!("{}", path.display()))?;
    // Every entry says why: a list without reasons is not an audit.
    for p in &expected.pairs {
        if p.reason.trim().is_empty() {
            bail!(
                "{}: the pair of {} has no reason",
                path.display(),
                p.terraform
            );
        }
    }
    for o in expected
        .terraform_only
        .iter()
        .chain(&expected.cloudformation_only)
    {
        let name = match (&o.terraform, &o.cloudformation) {
            (Some(name), None) | (None, Some(name)) => name,
            _ => bail!(
                "{}: a one-sided entry names exactly one side (reason: {})",
                path.display(),
                o.reason
            ),
        };
        if o.reason.trim().is_empty() {
            bail!("{}: {name} has no reason", path.display());
        }
    }
    Ok(expected)
}

/// Compares one case with the library and measures it against its list.
pub fn measure(case: &Case) -> anyhow::Result<Measure> {
    let expected = read_expected(&case.expected)?;
    let terraform = parity_terraform::load_file(&case.plan)
        .with_context(|| format!("loading {}", case.plan.display()))?;
    let cloudformation =
        parity_cloudformation::load(&[case.cdk_out.as_path()], &Default::default())
            .with_context(|| format!("loading {}", case.cdk_out.display()))?;
    let table = parity_mapping::Table::builtin()?;
    let comparison = parity_engine::compare(
        &terraform.resources,
        &cloudformation.resources,
        &table,
        &parity_engine::Config::default(),
        &parity_engine::Options::default(),
    )?;

    // Every resource the comparison knows, paired or not.
    let mut known: BTreeSet<String> = BTreeSet::new();
    let mut made: BTreeMap<String, String> = BTreeMap::new();
    let mut made_back: BTreeMap<String, String> = BTreeMap::new();
    let mut made_type: BTreeMap<String, String> = BTreeMap::new();
    for pair in &comparison.pairs {
        let (t, c) = (pair.terraform.to_string(), pair.cloudformation.to_string());
        known.insert(t.clone());
        known.insert(c.clone());
        made_type.insert(t.clone(), pair.canonical_type.clone());
        made_back.insert(c.clone(), t.clone());
        made.insert(t, c);
    }
    for listed in comparison
        .unpaired
        .iter()
        .chain(&comparison.no_twin)
        .chain(&comparison.unmapped)
        .chain(&comparison.skipped)
    {
        known.insert(listed.id.to_string());
    }
    for pair in &comparison.pairs {
        for folded in &pair.folded {
            known.insert(folded.to_string());
        }
    }

    let mut unknown = Vec::new();
    let mut audited: BTreeSet<&str> = BTreeSet::new();
    for name in expected
        .pairs
        .iter()
        .flat_map(|p| [p.terraform.as_str(), p.cloudformation.as_str()])
        .chain(
            expected
                .terraform_only
                .iter()
                .chain(&expected.cloudformation_only)
                .flat_map(|o| o.terraform.iter().chain(&o.cloudformation))
                .map(String::as_str),
        )
    {
        if !known.contains(name) {
            unknown.push(name.to_owned());
        }
        audited.insert(name);
    }
    let twin: BTreeMap<&str, &ExpectedPair> = expected
        .pairs
        .iter()
        .map(|p| (p.terraform.as_str(), p))
        .collect();

    let mut by_category: BTreeMap<&'static str, Counts> = BTreeMap::new();
    let mut missed = Vec::new();
    let mut wrong = Vec::new();
    let mut unaudited = Vec::new();
    for p in &expected.pairs {
        let counts = by_category.entry(category(&p.resource_type)).or_default();
        counts.expected += 1;
        if made.get(&p.terraform) != Some(&p.cloudformation) {
            let with = |other: Option<&String>| other.map_or("nothing".to_owned(), Clone::clone);
            missed.push(format!(
                "{} <-> {} ({}): paired with {} and {}",
                p.terraform,
                p.cloudformation,
                p.resource_type,
                with(made.get(&p.terraform)),
                with(made_back.get(&p.cloudformation)),
            ));
        }
    }
    for (t, c) in &made {
        let resource_type = made_type.get(t).map_or("", String::as_str);
        let counts = by_category.entry(category(resource_type)).or_default();
        if !audited.contains(t.as_str()) && !audited.contains(c.as_str()) {
            counts.unaudited += 1;
            unaudited.push(format!("{t} <-> {c} ({resource_type})"));
            continue;
        }
        counts.made += 1;
        if twin.get(t.as_str()).is_some_and(|p| p.cloudformation == *c) {
            counts.correct += 1;
        } else {
            wrong.push(format!("{t} <-> {c} ({resource_type})"));
        }
    }

    let mut total = Counts::default();
    for counts in by_category.values() {
        total.add(counts);
    }
    let findings_file = case.expected.with_file_name("EXPECTED_FINDINGS.yaml");
    let findings_measure = if findings_file.is_file() {
        let audited = read_expected_findings(&findings_file, &expected)?;
        let measured = case.plan.file_name().is_some_and(|n| *n == *audited.plan);
        measured.then(|| measure_findings(&audited, &comparison.findings))
    } else {
        None
    };
    Ok(Measure {
        total,
        by_category: CATEGORIES
            .iter()
            .filter_map(|c| by_category.get(c).map(|counts| (*c, counts.clone())))
            .collect(),
        findings: comparison.findings.len(),
        findings_measure,
        missed,
        wrong,
        unknown,
        unaudited,
    })
}

/// The findings of the audited twins, a grouped finding by its members,
/// matched to their audited differences.
fn measure_findings(
    audited: &ExpectedFindings,
    findings: &[parity_model::Finding],
) -> FindingsMeasure {
    let twins: BTreeSet<(&str, &str)> = audited
        .pairs
        .iter()
        .map(|p| (p.terraform.as_str(), p.cloudformation.as_str()))
        .collect();
    let mut reported = Vec::new();
    let mut stack: Vec<&parity_model::Finding> = findings.iter().collect();
    while let Some(finding) = stack.pop() {
        stack.extend(&finding.members);
        let (Some(t), Some(c)) = (&finding.terraform, &finding.cloudformation) else {
            continue;
        };
        let c = format!("{}/{}", c.stack.as_deref().unwrap_or_default(), c.resource);
        if twins.contains(&(t.resource.as_str(), c.as_str())) {
            reported.push(FindingKey {
                terraform: t.resource.clone(),
                cloudformation: c,
                attribute: finding.attribute.clone(),
                status: finding.status.as_str().to_owned(),
            });
        }
    }
    let expected: Vec<FindingKey> = audited
        .pairs
        .iter()
        .flat_map(|p| {
            p.differences.iter().map(|d| FindingKey {
                terraform: p.terraform.clone(),
                cloudformation: p.cloudformation.clone(),
                attribute: d.attribute.clone(),
                status: d.status.clone(),
            })
        })
        .collect();
    match_findings(&expected, &reported)
}

fn findings_line(counts: &Counts) -> String {
    format!(
        "findings: precision {:.1}% ({}/{}), recall {:.1}% ({}/{})",
        counts.precision(),
        counts.correct,
        counts.made,
        counts.recall(),
        counts.correct,
        counts.expected
    )
}

fn line(label: &str, counts: &Counts) -> String {
    let mut out = format!(
        "{label}: pairs {}, precision {:.1}%, recall {:.1}% ({}/{})",
        counts.made,
        counts.precision(),
        counts.recall(),
        counts.correct,
        counts.expected
    );
    if counts.unaudited > 0 {
        let _ = write!(out, ", unaudited pairs {}", counts.unaudited);
    }
    out
}

const USAGE: &str = "usage: cargo xtask accuracy [--verbose]

Measures alignment on every real pair under testdata/real-pairs/ against its
EXPECTED_PAIRS.yaml, and the findings of audited twins against its
EXPECTED_FINDINGS.yaml when it has one (on the plan that file names, listing
what does not match). --verbose lists the missed and the wrong pairs.";

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut verbose = false;
    for arg in args {
        match arg.as_str() {
            "--verbose" | "-v" => verbose = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => bail!("unknown argument `{other}`\n\n{USAGE}"),
        }
    }
    let root = crate::docs::repo_root().join("testdata/real-pairs");
    let cases = discover(&root)?;
    if cases.is_empty() {
        bail!("no EXPECTED_PAIRS.yaml under {}", root.display());
    }
    let mut trouble = false;
    for case in &cases {
        let measure = measure(case)?;
        let mut summary = line(&case.label(), &measure.total);
        let _ = write!(summary, ", findings {}", measure.findings);
        println!("{summary}");
        for (category, counts) in &measure.by_category {
            println!("  {}", line(category, counts));
        }
        if let Some(f) = &measure.findings_measure {
            println!("  {}", findings_line(&f.counts));
            for key in &f.unexpected {
                println!("    reported, not expected: {key}");
            }
            for key in &f.missing {
                println!("    expected, not reported: {key}");
            }
        }
        for name in &measure.unknown {
            trouble = true;
            println!("  not in the inputs: {name}");
        }
        if verbose {
            for m in &measure.missed {
                println!("  missed: {m}");
            }
            for w in &measure.wrong {
                println!("  wrong: {w}");
            }
            for u in &measure.unaudited {
                println!("  unaudited: {u}");
            }
        }
    }
    if trouble {
        bail!("some audited resources are not in their inputs");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cases() -> Vec<Case> {
        let root = crate::docs::repo_root().join("testdata/real-pairs");
        let cases = discover(&root).unwrap();
        assert!(!cases.is_empty(), "no real pair under {}", root.display());
        cases
    }

    #[test]
    fn every_audited_resource_is_in_its_inputs() {
        for case in cases() {
            let measure = measure(&case).unwrap();
            assert!(
                measure.unknown.is_empty(),
                "{}: {:?}",
                case.label(),
                measure.unknown
            );
        }
    }

    /// What alignment must reach on every real pair: precision of at least
    /// 98 % and recall of at least 95 % of the audited twins overall, and
    /// every ECS service, task definition and target group paired with its
    /// twin and nothing else.
    const MIN_PRECISION: f64 = 98.0;
    const MIN_RECALL: f64 = 95.0;
    const EXACT: [&str; 3] = ["ECS services", "task definitions", "target groups"];

    #[test]
    fn precision_and_recall_reach_the_bar_on_every_real_pair() {
        for case in cases() {
            let measure = measure(&case).unwrap();
            let (precision, recall) = (measure.total.precision(), measure.total.recall());
            assert!(
                precision >= MIN_PRECISION && recall >= MIN_RECALL,
                "{}: precision {precision:.1}%, recall {recall:.1}%\nwrong:\n{}\nmissed:\n{}",
                case.label(),
                measure.wrong.join("\n"),
                measure.missed.join("\n")
            );
        }
    }

    #[test]
    fn every_service_task_definition_and_target_group_pairs_with_its_twin() {
        for case in cases() {
            let measure = measure(&case).unwrap();
            for (category, counts) in &measure.by_category {
                if EXACT.contains(category) {
                    assert!(
                        counts.correct == counts.expected && counts.correct == counts.made,
                        "{}: {category}: {counts:?}",
                        case.label()
                    );
                }
            }
        }
    }

    /// Terraform's vpc module makes one route table per tier, the CDK one
    /// per subnet: no table of one is the twin of a table of the other
    /// (the audited lists say so), and none pairs with one.
    #[test]
    fn route_tables_of_a_tier_pair_with_no_route_table_of_one_subnet() {
        for case in cases() {
            let measure = measure(&case).unwrap();
            let wrong: Vec<&String> = measure
                .wrong
                .iter()
                .filter(|w| w.ends_with("(AWS::EC2::RouteTable)"))
                .collect();
            assert!(wrong.is_empty(), "{}: {wrong:?}", case.label());
        }
    }

    /// Every `EXPECTED_FINDINGS.yaml` reads, names audited twins and a plan
    /// of its pair, and is measured.
    #[test]
    fn every_findings_list_is_measured() {
        let cases = cases();
        for case in &cases {
            let file = case.expected.with_file_name("EXPECTED_FINDINGS.yaml");
            if !file.is_file() {
                continue;
            }
            let measured = cases
                .iter()
                .filter(|c| c.name == case.name)
                .filter(|c| measure(c).unwrap().findings_measure.is_some())
                .count();
            assert_eq!(measured, 1, "{}", file.display());
        }
    }

    fn key(t: &str, attribute: &str, status: &str) -> FindingKey {
        FindingKey {
            terraform: t.to_owned(),
            cloudformation: "Stack/Id".to_owned(),
            attribute: attribute.to_owned(),
            status: status.to_owned(),
        }
    }

    #[test]
    fn findings_match_by_twins_attribute_and_status() {
        let expected = [
            key("a", "Cpu", "differs"),
            key("a", "Tags", "only-in-terraform"),
            key(
                "a",
                "Policies.Statement[Allow s3:getobject]",
                "only-in-terraform",
            ),
            key("a", "Policies.Statement[Allow s3:getobject]", "only-in-cdk"),
        ];
        let reported = [
            // Another status, another resource: neither matches.
            key("a", "Tags", "only-in-cdk"),
            key("b", "Cpu", "differs"),
            key("a", "Cpu", "differs"),
            key("a", "Policies.Statement[Allow s3:getobject]", "only-in-cdk"),
            // Matched once only.
            key("a", "Cpu", "differs"),
        ];
        let m = match_findings(&expected, &reported);
        assert_eq!(
            m.counts,
            Counts {
                made: 5,
                correct: 2,
                expected: 4,
                unaudited: 0
            }
        );
        assert_eq!(
            m.unexpected,
            [
                key("a", "Cpu", "differs"),
                key("a", "Tags", "only-in-cdk"),
                key("b", "Cpu", "differs"),
            ]
        );
        assert_eq!(
            m.missing,
            [
                key(
                    "a",
                    "Policies.Statement[Allow s3:getobject]",
                    "only-in-terraform"
                ),
                key("a", "Tags", "only-in-terraform"),
            ]
        );
        assert_eq!(m.counts.precision(), 40.0);
        assert_eq!(m.counts.recall(), 50.0);
        assert_eq!(
            findings_line(&m.counts),
            "findings: precision 40.0% (2/5), recall 50.0% (2/4)"
        );
    }

    #[test]
    fn counts_are_ratios_of_what_was_made_and_expected() {
        let counts = Counts {
            made: 4,
            correct: 3,
            expected: 6,
            unaudited: 1,
        };
        assert_eq!(counts.precision(), 75.0);
        assert_eq!(counts.recall(), 50.0);
        assert_eq!(Counts::default().precision(), 100.0);
        assert_eq!(category("AWS::EFS::AccessPoint"), "EFS");
        assert_eq!(category("AWS::EC2::Subnet"), "others");
    }
}
