//! The parity report as a document of sections, tables and diffs, laid out
//! by `text.rs` and `markdown.rs`. This is where findings become words; it
//! decides nothing about them.

use parity_engine::{AreaStatus, Comparison, ListedResource};
use parity_model::{Area, Finding, FindingSide, Severity, Side, Status, Value};

use crate::pretty;
use crate::{Report, ReportOptions};

/// Values longer than this are shown as a diff under the table.
const LONG_VALUE: usize = 60;

pub struct Document {
    pub title: String,
    /// `Date`, `Source of truth`, `Scope`, the inputs.
    pub facts: Vec<(String, String)>,
    pub sections: Vec<Section>,
    /// The last line: in parity or not.
    pub verdict: Verdict,
}

pub struct Verdict {
    pub in_parity: bool,
    pub text: String,
}

#[derive(Default)]
pub struct Section {
    pub heading: String,
    /// 2 for the report's parts, 3 for what is inside them.
    pub level: u8,
    pub paragraphs: Vec<String>,
    pub table: Option<Table>,
    pub diffs: Vec<Diff>,
    pub bullets: Vec<String>,
}

pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A table cell, with the emphasis a terminal may give it.
pub struct Cell {
    pub text: String,
    pub tone: Tone,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Good,
    Warning,
    Bad,
}

/// A long value shown as a unified diff from Terraform to CDK.
pub struct Diff {
    pub title: String,
    pub lines: Vec<String>,
}

impl Cell {
    fn plain(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            tone: Tone::Plain,
        }
    }
}

pub fn build(report: &Report<'_>) -> Document {
    let comparison = report.comparison;
    let options = &report.options;
    let mut facts = Vec::new();
    if !options.date.is_empty() {
        facts.push(("Date".to_owned(), options.date.clone()));
    }
    let truth = match options.source_of_truth {
        Some(side) => side.label().to_owned(),
        None => "none (decide per difference)".to_owned(),
    };
    facts.push(("Source of truth".to_owned(), truth));
    let scope = if comparison.scope.len() == Area::ALL.len() {
        "Full".to_owned()
    } else {
        format!(
            "Targeted ({})",
            comparison
                .scope
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    facts.push(("Scope".to_owned(), scope));
    facts.push(("Terraform".to_owned(), report.inputs.terraform.clone()));
    facts.push(("CDK".to_owned(), report.inputs.cloudformation.clone()));

    let mut sections = vec![summary(comparison)];
    sections.extend(discrepancies(comparison, options));
    sections.extend(only_on_one_side(comparison, options));
    sections.extend(unverifiable(comparison));
    sections.extend(recommendations(comparison, options));
    if options.show_pairs {
        sections.extend(pairs(comparison));
    } else {
        let not_compared =
            comparison.unmapped.len() + comparison.no_twin.len() + comparison.skipped.len();
        if not_compared > 0 {
            sections.push(Section {
                heading: "Not compared".to_owned(),
                level: 2,
                paragraphs: vec![format!(
                    "{} resources of types the mapping table does not cover, {} with no twin by nature, {} skipped by the configuration (--show-pairs lists them).",
                    comparison.unmapped.len(),
                    comparison.no_twin.len(),
                    comparison.skipped.len()
                )],
                ..Section::default()
            });
        }
    }
    if !comparison.notes.is_empty() {
        sections.push(Section {
            heading: "Notes".to_owned(),
            level: 2,
            bullets: comparison.notes.clone(),
            ..Section::default()
        });
    }
    Document {
        title: "Infrastructure Parity Report".to_owned(),
        facts,
        sections,
        verdict: verdict(comparison),
    }
}

fn summary(comparison: &Comparison) -> Section {
    let rows = comparison
        .summary()
        .into_iter()
        .map(|s| {
            let (text, tone) = match s.status {
                AreaStatus::InSync => ("In sync", Tone::Good),
                AreaStatus::Unverifiable => ("Unverifiable", Tone::Warning),
                AreaStatus::Diverged => ("Diverged", Tone::Bad),
            };
            vec![
                Cell::plain(s.area.title()),
                Cell {
                    text: text.to_owned(),
                    tone,
                },
                Cell::plain(s.discrepancies.to_string()),
                Cell::plain(s.unverifiable.to_string()),
            ]
        })
        .collect();
    Section {
        heading: "Summary".to_owned(),
        level: 2,
        table: Some(Table {
            header: ["Area", "Status", "Discrepancies", "Unverifiable"]
                .map(str::to_owned)
                .to_vec(),
            rows,
        }),
        ..Section::default()
    }
}

/// A finding about an attribute of a pair, differing or on one side.
fn is_discrepancy(f: &Finding) -> bool {
    f.status != Status::Unverifiable && !f.attribute.is_empty()
}

fn discrepancies(comparison: &Comparison, options: &ReportOptions) -> Vec<Section> {
    let mut sections = Vec::new();
    for area in &comparison.scope {
        let findings: Vec<&Finding> = comparison
            .findings
            .iter()
            .filter(|f| f.area == *area && is_discrepancy(f))
            .collect();
        if findings.is_empty() {
            continue;
        }
        let (statements, others): (Vec<&Finding>, Vec<&Finding>) = findings
            .into_iter()
            .partition(|f| f.attribute.contains(".Statement["));
        let mut section = Section {
            heading: area.title().to_owned(),
            level: 3,
            ..Section::default()
        };
        if !others.is_empty() {
            let with_notes = others.iter().any(|f| f.note.is_some());
            let mut header = [
                "Resource",
                "Attribute",
                "Terraform",
                "CDK",
                "Severity",
                "Action required",
            ]
            .map(str::to_owned)
            .to_vec();
            if with_notes {
                header.push("Note".to_owned());
            }
            let mut rows = Vec::new();
            for f in &others {
                let (tf, cfn, diff) = values_or_diff(f);
                section.diffs.extend(diff);
                let mut row = vec![
                    Cell::plain(pair_name(f)),
                    Cell::plain(f.attribute.clone()),
                    Cell::plain(tf),
                    Cell::plain(cfn),
                    severity_cell(f.severity),
                    Cell::plain(action(f, options)),
                ];
                if with_notes {
                    row.push(Cell::plain(f.note.clone().unwrap_or_default()));
                }
                rows.push(row);
            }
            section.table = Some(Table { header, rows });
        }
        sections.push(section);
        sections.extend(statement_tables(&statements, options));
    }
    if sections.is_empty() {
        return sections;
    }
    let mut all = vec![Section {
        heading: "Discrepancies".to_owned(),
        level: 2,
        ..Section::default()
    }];
    all.extend(sections);
    all
}

/// IAM statements only one side has, a table per resource pair as `cdk
/// diff` shows them: `-` only in Terraform, `+` only in CDK.
fn statement_tables(findings: &[&Finding], options: &ReportOptions) -> Vec<Section> {
    let mut by_pair: Vec<(String, Vec<&Finding>)> = Vec::new();
    for f in findings {
        let name = pair_name(f);
        match by_pair.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push(f),
            None => by_pair.push((name, vec![f])),
        }
    }
    by_pair
        .into_iter()
        .map(|(name, findings)| {
            let rows = findings
                .iter()
                .map(|f| {
                    let (sign, statement) = match f.status {
                        Status::OnlyInTerraform => {
                            ("-", f.terraform.as_ref().and_then(|s| s.value.as_ref()))
                        }
                        _ => (
                            "+",
                            f.cloudformation.as_ref().and_then(|s| s.value.as_ref()),
                        ),
                    };
                    let field = |name: &str| {
                        statement
                            .and_then(|s| s.get(name))
                            .map(pretty::inline)
                            .unwrap_or_default()
                    };
                    let principal = if field("Principal").is_empty() {
                        field("NotPrincipal")
                    } else {
                        field("Principal")
                    };
                    let action_field = if field("Action").is_empty() {
                        format!("not {}", field("NotAction"))
                    } else {
                        field("Action")
                    };
                    let resource = if field("Resource").is_empty() {
                        field("NotResource")
                    } else {
                        field("Resource")
                    };
                    vec![
                        Cell {
                            text: sign.to_owned(),
                            tone: if sign == "+" { Tone::Good } else { Tone::Bad },
                        },
                        Cell::plain(field("Effect")),
                        Cell::plain(action_field),
                        Cell::plain(resource),
                        Cell::plain(principal),
                        Cell::plain(field("Condition")),
                        Cell::plain(f.note.clone().unwrap_or_default()),
                        Cell::plain(action(f, options)),
                    ]
                })
                .collect();
            Section {
                heading: format!("{name}: policy statements (- Terraform only, + CDK only)"),
                level: 3,
                table: Some(Table {
                    header: [
                        "",
                        "Effect",
                        "Action",
                        "Resource",
                        "Principal",
                        "Condition",
                        "Note",
                        "Action required",
                    ]
                    .map(str::to_owned)
                    .to_vec(),
                    rows,
                }),
                ..Section::default()
            }
        })
        .collect()
}

fn only_on_one_side(comparison: &Comparison, options: &ReportOptions) -> Option<Section> {
    let findings: Vec<&Finding> = comparison
        .findings
        .iter()
        .filter(|f| f.attribute.is_empty() && f.status != Status::Unverifiable)
        .collect();
    if findings.is_empty() {
        return None;
    }
    let rows = findings
        .iter()
        .map(|f| {
            let (side, resource) = match (&f.terraform, &f.cloudformation) {
                (Some(t), _) => ("Terraform", t.resource.clone()),
                (None, Some(c)) => ("CDK", qualified(c)),
                (None, None) => ("", String::new()),
            };
            vec![
                Cell::plain(side),
                Cell::plain(resource),
                Cell::plain(f.resource_type.clone()),
                Cell::plain(f.area.title()),
                severity_cell(f.severity),
                Cell::plain(action(f, options)),
            ]
        })
        .collect();
    Some(Section {
        heading: "Resources only on one side".to_owned(),
        level: 2,
        table: Some(Table {
            header: [
                "Side",
                "Resource",
                "Type",
                "Area",
                "Severity",
                "Action required",
            ]
            .map(str::to_owned)
            .to_vec(),
            rows,
        }),
        ..Section::default()
    })
}

fn unverifiable(comparison: &Comparison) -> Option<Section> {
    let findings: Vec<&Finding> = comparison
        .findings
        .iter()
        .filter(|f| f.status == Status::Unverifiable)
        .collect();
    if findings.is_empty() {
        return None;
    }
    let rows = findings
        .iter()
        .map(|f| {
            vec![
                Cell::plain(pair_name(f)),
                Cell::plain(f.area.title()),
                Cell::plain(f.attribute.clone()),
                Cell::plain(shorten(&side_text(f, f.terraform.as_ref()))),
                Cell::plain(shorten(&side_text(f, f.cloudformation.as_ref()))),
                Cell::plain(f.note.clone().unwrap_or_default()),
            ]
        })
        .collect();
    Some(Section {
        heading: "Unverifiable values".to_owned(),
        level: 2,
        paragraphs: vec![
            "These values cannot be compared before deploy; they are neither counted as equal nor as different.".to_owned(),
        ],
        table: Some(Table {
            header: ["Resource", "Area", "Attribute", "Terraform", "CDK", "Why"].map(str::to_owned).to_vec(),
            rows,
        }),
        ..Section::default()
    })
}

fn recommendations(comparison: &Comparison, options: &ReportOptions) -> Option<Section> {
    let mut bullets = Vec::new();
    for severity in [Severity::MustFix, Severity::ShouldFix, Severity::Consider] {
        let items: Vec<String> = comparison
            .findings
            .iter()
            .filter(|f| f.status != Status::Unverifiable && f.severity == severity)
            .map(|f| {
                let what = if f.attribute.is_empty() {
                    format!(
                        "{} is only in {}",
                        side_resource(f),
                        if f.terraform.is_some() {
                            "Terraform"
                        } else {
                            "CDK"
                        }
                    )
                } else {
                    format!(
                        "{} {}: {}",
                        pair_name(f),
                        f.attribute,
                        status_words(f.status)
                    )
                };
                format!("{what} ({})", action(f, options))
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        bullets.push(format!("{}: {}", severity.title(), items.len()));
        bullets.extend(items.into_iter().map(|i| format!("  {i}")));
    }
    (!bullets.is_empty()).then(|| Section {
        heading: "Recommendations".to_owned(),
        level: 2,
        bullets,
        ..Section::default()
    })
}

fn pairs(comparison: &Comparison) -> Vec<Section> {
    let mut sections = vec![Section {
        heading: "Pairs".to_owned(),
        level: 2,
        table: Some(Table {
            header: ["Type", "Terraform", "CDK", "Method", "Confidence"]
                .map(str::to_owned)
                .to_vec(),
            rows: comparison
                .pairs
                .iter()
                .map(|p| {
                    vec![
                        Cell::plain(p.canonical_type.clone()),
                        Cell::plain(p.terraform.to_string()),
                        Cell::plain(p.cloudformation.to_string()),
                        Cell::plain(p.method.as_str()),
                        Cell::plain(format!("{:.2}", p.confidence)),
                    ]
                })
                .collect(),
        }),
        ..Section::default()
    }];
    for (title, listed) in [
        ("Without a twin", &comparison.unpaired),
        ("Skipped by the configuration", &comparison.skipped),
        ("No twin by nature", &comparison.no_twin),
        ("Not covered by the mapping table", &comparison.unmapped),
    ] {
        if listed.is_empty() {
            continue;
        }
        sections.push(Section {
            heading: title.to_owned(),
            level: 3,
            table: Some(listed_table(listed)),
            ..Section::default()
        });
    }
    sections
}

fn listed_table(listed: &[ListedResource]) -> Table {
    Table {
        header: ["Side", "Resource", "Type", "Why"]
            .map(str::to_owned)
            .to_vec(),
        rows: listed
            .iter()
            .map(|r| {
                vec![
                    Cell::plain(r.id.side().label()),
                    Cell::plain(r.id.to_string()),
                    Cell::plain(r.resource_type.clone()),
                    Cell::plain(r.reason.clone()),
                ]
            })
            .collect(),
    }
}

fn verdict(comparison: &Comparison) -> Verdict {
    let summary = comparison.summary();
    let discrepancies: usize = summary.iter().map(|s| s.discrepancies).sum();
    let unverifiable: usize = summary.iter().map(|s| s.unverifiable).sum();
    let unverifiable_text = match unverifiable {
        0 => String::new(),
        n => format!(" {n} values could not be compared before deploy."),
    };
    if discrepancies == 0 {
        Verdict {
            in_parity: true,
            text: format!("In parity.{unverifiable_text}"),
        }
    } else {
        let count = |s: Severity| {
            comparison
                .findings
                .iter()
                .filter(|f| f.status != Status::Unverifiable && f.severity == s)
                .count()
        };
        Verdict {
            in_parity: false,
            text: format!(
                "Diverged: {discrepancies} discrepancies ({} must fix, {} should fix, {} to consider).{unverifiable_text}",
                count(Severity::MustFix),
                count(Severity::ShouldFix),
                count(Severity::Consider)
            ),
        }
    }
}

/// What to do about a finding: fix the side that is not the source of
/// truth, or decide.
fn action(_finding: &Finding, options: &ReportOptions) -> String {
    match options.source_of_truth {
        Some(Side::Terraform) => "Fix in CDK",
        Some(Side::CloudFormation) => "Fix in Terraform",
        None => "Decide",
    }
    .to_owned()
}

fn severity_cell(severity: Severity) -> Cell {
    let tone = match severity {
        Severity::MustFix => Tone::Bad,
        Severity::ShouldFix => Tone::Warning,
        Severity::Consider => Tone::Plain,
    };
    Cell {
        text: severity.title().to_owned(),
        tone,
    }
}

fn status_words(status: Status) -> &'static str {
    match status {
        Status::OnlyInTerraform => "only in Terraform",
        Status::OnlyInCdk => "only in CDK",
        Status::Differs => "differs",
        Status::Unverifiable => "unverifiable",
    }
}

/// `aws_ecs_task_definition.api ↔ TaskDef54694570`.
fn pair_name(f: &Finding) -> String {
    match (&f.terraform, &f.cloudformation) {
        (Some(t), Some(c)) => format!("{} ↔ {}", t.resource, c.resource),
        _ => side_resource(f),
    }
}

fn side_resource(f: &Finding) -> String {
    match (&f.terraform, &f.cloudformation) {
        (Some(t), _) => t.resource.clone(),
        (None, Some(c)) => qualified(c),
        (None, None) => String::new(),
    }
}

fn qualified(side: &FindingSide) -> String {
    match &side.stack {
        Some(stack) => format!("{stack}/{}", side.resource),
        None => side.resource.clone(),
    }
}

fn side_text(f: &Finding, side: Option<&FindingSide>) -> String {
    match side {
        Some(FindingSide {
            value: Some(value), ..
        }) => pretty::inline(value),
        Some(_) if f.attribute.is_empty() => "(exists)".to_owned(),
        _ => "(absent)".to_owned(),
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= LONG_VALUE {
        return text.to_owned();
    }
    let cut: String = text.chars().take(LONG_VALUE - 1).collect();
    format!("{cut}…")
}

/// The two values for the table, or a pointer to a diff shown below it.
fn values_or_diff(f: &Finding) -> (String, String, Option<Diff>) {
    let (tf, cfn) = (
        side_text(f, f.terraform.as_ref()),
        side_text(f, f.cloudformation.as_ref()),
    );
    if tf.chars().count() <= LONG_VALUE && cfn.chars().count() <= LONG_VALUE {
        return (tf, cfn, None);
    }
    let value =
        |side: Option<&FindingSide>| side.and_then(|s| s.value.clone()).unwrap_or(Value::Null);
    let lines = pretty::unified_diff(
        &value(f.terraform.as_ref()),
        &value(f.cloudformation.as_ref()),
    );
    let title = format!("{} {}", pair_name(f), f.attribute);
    (
        "(see diff below)".to_owned(),
        "(see diff below)".to_owned(),
        Some(Diff { title, lines }),
    )
}
