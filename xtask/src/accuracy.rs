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
//! The tests at the bottom assert the lists on every real pair present.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
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
    Ok(Measure {
        total,
        by_category: CATEGORIES
            .iter()
            .filter_map(|c| by_category.get(c).map(|counts| (*c, counts.clone())))
            .collect(),
        findings: comparison.findings.len(),
        missed,
        wrong,
        unknown,
        unaudited,
    })
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
EXPECTED_PAIRS.yaml. --verbose lists the missed and the wrong pairs.";

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
