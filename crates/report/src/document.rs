//! The parity report as a document of sections, tables and diffs, laid out
//! by `text.rs` and `markdown.rs`. This is where findings become words; it
//! decides nothing about them.

use parity_engine::{AreaCoverage, AreaStatus, BaselineFinding, Comparison, ListedResource};
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
    /// The must-fix findings in one table, for a report cut to a size:
    /// it then comes right after the summary.
    pub must_fix: Option<Section>,
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
    /// Where each finding of the table is written and how to fix it, by
    /// row: a report cut to a size keeps a row and its fix together.
    pub fixes: Vec<FixBlock>,
}

/// One finding's locations and fix snippets.
pub struct FixBlock {
    /// The table row of the finding.
    pub row: usize,
    pub title: String,
    /// `Terraform: main.tf:12:3`, one per side located.
    pub locations: Vec<String>,
    pub snippets: Vec<Snippet>,
}

pub struct Snippet {
    /// `Terraform (hcl)`.
    pub label: String,
    /// The code fence's info string.
    pub fence: &'static str,
    pub code: String,
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
    sections.extend(intentional(comparison));
    sections.extend(waivers_to_review(comparison));
    sections.extend(baseline(comparison));
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
        must_fix: must_fix(comparison, options),
    }
}

fn summary(comparison: &Comparison) -> Section {
    // The column appears when there is something to count, so that reports
    // of projects without waivers stay as they were.
    let with_waived = !comparison.waived.is_empty();
    let rows = comparison
        .summary()
        .into_iter()
        .map(|s| {
            let (text, tone) = match s.status {
                AreaStatus::InSync => ("In sync", Tone::Good),
                AreaStatus::Unverifiable => ("Unverifiable", Tone::Warning),
                AreaStatus::Partial => ("Partial", Tone::Warning),
                AreaStatus::NotCompared => ("Not compared", Tone::Warning),
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
                Cell::plain(coverage_text(&s.coverage)),
            ]
            .into_iter()
            .chain(with_waived.then(|| Cell::plain(s.waived.to_string())))
            .collect()
        })
        .collect();
    let mut header: Vec<String> = [
        "Area",
        "Status",
        "Discrepancies",
        "Unverifiable",
        "Compared",
    ]
    .map(str::to_owned)
    .to_vec();
    if with_waived {
        header.push("Intentional".to_owned());
    }
    Section {
        heading: "Summary".to_owned(),
        level: 2,
        table: Some(Table { header, rows }),
        ..Section::default()
    }
}

/// What of an area was compared, in the words users read areas in, one
/// phrase per kind of resource or item: `target groups compared 4/5 (1
/// only in Terraform)`, `containers compared 7/10 (3 in unpaired task
/// definitions)`.
pub(crate) fn coverage_phrases(coverage: &AreaCoverage) -> Vec<String> {
    let counted = |n: usize, what: String| (n > 0).then(|| format!("{n} {what}"));
    let phrase = |words: &str, compared: usize, total: usize, why: Vec<Option<String>>| {
        let why: Vec<String> = why.into_iter().flatten().collect();
        let mut text = format!("{words} compared {compared}/{total}");
        if !why.is_empty() {
            text.push_str(&format!(" ({})", why.join(", ")));
        }
        text
    };
    let mut phrases = Vec::new();
    for r in &coverage.resources {
        phrases.push(phrase(
            &r.words,
            r.paired,
            r.total(),
            vec![
                counted(r.only_terraform, "only in Terraform".to_owned()),
                counted(r.only_cloudformation, "only in CDK".to_owned()),
                counted(r.uncertain, "paired uncertainly".to_owned()),
            ],
        ));
    }
    for part in &coverage.parts {
        phrases.push(phrase(
            &part.words,
            part.compared,
            part.total(),
            vec![
                counted(part.unpaired, format!("in unpaired {}", part.holders)),
                counted(part.one_sided, "on one side only".to_owned()),
                counted(part.unknown, "not known before deploy".to_owned()),
            ],
        ));
    }
    phrases
}

/// [`coverage_phrases`] as one cell.
fn coverage_text(coverage: &AreaCoverage) -> String {
    let phrases = coverage_phrases(coverage);
    if phrases.is_empty() {
        "nothing to compare".to_owned()
    } else {
        phrases.join("; ")
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
            if comparison.baseline.is_some() {
                header.push("Baseline".to_owned());
            }
            let mut rows = Vec::new();
            for f in &others {
                let (tf, cfn, diff) = values_or_diff(f);
                section.diffs.extend(diff);
                section.diffs.extend(members(f));
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
                row.extend(baseline_cell(comparison, f));
                section.fixes.extend(fix_block(rows.len(), f));
                rows.push(row);
            }
            section.table = Some(Table { header, rows });
        }
        section
            .diffs
            .extend(where_to_edit(others.iter().chain(&statements).copied()));
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
            let fixes = findings
                .iter()
                .enumerate()
                .filter_map(|(row, f)| fix_block(row, f))
                .collect();
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
                fixes,
                ..Section::default()
            }
        })
        .collect()
}

/// A finding's locations and fixes, when it has either.
fn fix_block(row: usize, f: &Finding) -> Option<FixBlock> {
    let locations: Vec<String> = [
        ("Terraform", f.terraform.as_ref()),
        ("CDK", f.cloudformation.as_ref()),
    ]
    .into_iter()
    .filter_map(|(label, side)| {
        let text = location_text(side?.location.as_ref()?);
        (!text.is_empty()).then(|| format!("{label}: {text}"))
    })
    .collect();
    if locations.is_empty() && f.fixes.is_empty() {
        return None;
    }
    Some(FixBlock {
        row,
        title: format!("{} {}", pair_name(f), f.attribute),
        locations,
        snippets: f
            .fixes
            .iter()
            .map(|fix| Snippet {
                label: format!("{} ({})", fix.side.label(), fix.language.as_str()),
                fence: fix.language.fence(),
                code: fix.code.clone(),
            })
            .collect(),
    })
}

/// Where a side is written, in one line: the file, line and column, the
/// module call that builds it, the construct path and the app's line.
pub(crate) fn location_text(l: &parity_model::Location) -> String {
    let mut parts = Vec::new();
    if let Some(file) = &l.file {
        let mut at = file.clone();
        if let Some(line) = l.line {
            at.push_str(&format!(":{line}"));
            if let Some(column) = l.column {
                at.push_str(&format!(":{column}"));
            }
        }
        parts.push(at);
    }
    if let Some(call) = &l.module_call {
        parts.push(format!("module call at {}", source_line(call)));
    }
    if let Some(path) = &l.construct_path {
        parts.push(format!("construct {path}"));
    }
    if let Some(source) = &l.source {
        parts.push(format!("created at {}", source_line(source)));
    }
    parts.join(", ")
}

fn source_line(s: &parity_model::SourceLine) -> String {
    match s.column {
        Some(column) => format!("{}:{}:{column}", s.file, s.line),
        None => format!("{}:{}", s.file, s.line),
    }
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
    // A managed policy compared through its roles says so.
    let with_notes = findings.iter().any(|f| f.note.is_some());
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
            .into_iter()
            .chain(with_notes.then(|| Cell::plain(f.note.clone().unwrap_or_default())))
            .chain(baseline_cell(comparison, f))
            .collect()
        })
        .collect();
    let mut header: Vec<String> = [
        "Side",
        "Resource",
        "Type",
        "Area",
        "Severity",
        "Action required",
    ]
    .map(str::to_owned)
    .to_vec();
    if with_notes {
        header.push("Note".to_owned());
    }
    if comparison.baseline.is_some() {
        header.push("Baseline".to_owned());
    }
    Some(Section {
        heading: "Resources only on one side".to_owned(),
        level: 2,
        table: Some(Table { header, rows }),
        diffs: where_to_edit(findings.iter().copied())
            .into_iter()
            .collect(),
        ..Section::default()
    })
}

/// The lines of the CDK app where the findings of a table are edited, one
/// a line, under the table (a grouped finding's by member); `None` when no
/// app line is known (a cloud assembly without creation traces).
fn where_to_edit<'a>(findings: impl Iterator<Item = &'a Finding>) -> Option<Diff> {
    let lines: Vec<String> = findings
        .flat_map(|f| {
            let each: Vec<&Finding> = if f.members.is_empty() {
                vec![f]
            } else {
                f.members.iter().collect()
            };
            each.into_iter().filter_map(|m| {
                let side = m.cloudformation.as_ref()?;
                let source = side.location.as_ref()?.source.as_ref()?;
                let mut at = format!("{}:{}", source.file, source.line);
                if let Some(column) = source.column {
                    at.push_str(&format!(":{column}"));
                }
                let what = if m.attribute.is_empty() {
                    qualified(side)
                } else {
                    format!("{} {}", qualified(side), m.attribute)
                };
                Some(format!("{what}: {at}"))
            })
        })
        .collect();
    (!lines.is_empty()).then(|| Diff {
        title: "Where to edit in the CDK app".to_owned(),
        lines,
    })
}

/// `new` or `known` when a baseline was given.
fn baseline_cell(comparison: &Comparison, f: &Finding) -> Option<Cell> {
    comparison.baseline.as_ref()?;
    Some(if comparison.is_new(f) {
        Cell {
            text: "new".to_owned(),
            tone: Tone::Bad,
        }
    } else {
        Cell::plain("known")
    })
}

/// The differences kept on purpose, each with the reason its waiver gives:
/// the infra-sync report's "Intentional differences".
fn intentional(comparison: &Comparison) -> Option<Section> {
    if comparison.waived.is_empty() {
        return None;
    }
    let with_expiry = comparison.waived.iter().any(|w| {
        comparison
            .waivers
            .get(w.waiver)
            .is_some_and(|u| u.expires.is_some())
    });
    let rows = comparison
        .waived
        .iter()
        .map(|w| {
            let f = &w.finding;
            let waiver = comparison.waivers.get(w.waiver);
            let mut row = vec![
                Cell::plain(if f.attribute.is_empty() {
                    side_resource(f)
                } else {
                    pair_name(f)
                }),
                Cell::plain(f.attribute.clone()),
                Cell::plain(status_words(f.status)),
                Cell::plain(shorten(&side_text(f, f.terraform.as_ref()))),
                Cell::plain(shorten(&side_text(f, f.cloudformation.as_ref()))),
                Cell::plain(waiver.map(|u| u.reason.clone()).unwrap_or_default()),
            ];
            if with_expiry {
                row.push(Cell::plain(
                    waiver
                        .and_then(|u| u.expires)
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                ));
            }
            row
        })
        .collect();
    let mut header: Vec<String> = [
        "Resource",
        "Attribute",
        "Kind",
        "Terraform",
        "CDK",
        "Reason",
    ]
    .map(str::to_owned)
    .to_vec();
    if with_expiry {
        header.push("Expires".to_owned());
    }
    Some(Section {
        heading: "Intentional differences".to_owned(),
        level: 2,
        paragraphs: vec![
            "These differences are by design (waivers in the configuration): they are not counted as discrepancies and do not fail the gate.".to_owned(),
        ],
        table: Some(Table { header, rows }),
        ..Section::default()
    })
}

/// Waivers that expired or select nothing (but those that may: optional).
fn waivers_to_review(comparison: &Comparison) -> Option<Section> {
    let bullets: Vec<String> = comparison
        .waivers
        .iter()
        .filter_map(|u| {
            if u.optional && u.matched == 0 {
                return None;
            }
            let name = format!("waivers[{}] ({})", u.index, u.reason);
            match (u.expired, u.matched) {
                (true, 0) => Some(format!(
                    "{name} expired on {} and selects nothing: remove it",
                    u.expires.map(|d| d.to_string()).unwrap_or_default()
                )),
                (true, n) => Some(format!(
                    "{name} expired on {}: the {n} {} it selects {} again",
                    u.expires.map(|d| d.to_string()).unwrap_or_default(),
                    if n == 1 { "finding" } else { "findings" },
                    if n == 1 { "counts" } else { "count" }
                )),
                (false, 0) => Some(format!(
                    "{name} is stale: it selects nothing (remove it, or fix what it selects)"
                )),
                (false, _) => None,
            }
        })
        .collect();
    (!bullets.is_empty()).then(|| Section {
        heading: "Waivers to review".to_owned(),
        level: 2,
        bullets,
        ..Section::default()
    })
}

/// What changed since the baseline: how many findings are new, and the
/// baseline's findings that are gone.
fn baseline(comparison: &Comparison) -> Option<Section> {
    let outcome = comparison.baseline.as_ref()?;
    let discrepancies = || {
        comparison
            .findings
            .iter()
            .filter(|f| f.status != Status::Unverifiable)
    };
    let new = discrepancies().filter(|f| comparison.is_new(f)).count();
    let known = discrepancies().count() - new;
    let mut section = Section {
        heading: "Baseline".to_owned(),
        level: 2,
        paragraphs: vec![format!(
            "Compared with the baseline {}: {new} new {}, {known} already in it, {} fixed since.",
            outcome.source,
            if new == 1 {
                "discrepancy"
            } else {
                "discrepancies"
            },
            outcome.fixed.len()
        )],
        ..Section::default()
    };
    if !outcome.fixed.is_empty() {
        section
            .paragraphs
            .push("Fixed since the baseline:".to_owned());
        section.table = Some(Table {
            header: ["Resource", "Attribute", "Kind", "Area", "Severity"]
                .map(str::to_owned)
                .to_vec(),
            rows: outcome.fixed.iter().map(fixed_row).collect(),
        });
    }
    Some(section)
}

fn fixed_row(f: &BaselineFinding) -> Vec<Cell> {
    let cfn = f.key.cloudformation.as_ref().map(|(stack, id)| {
        if stack.is_empty() {
            id.clone()
        } else {
            format!("{stack}/{id}")
        }
    });
    let resource = match (&f.key.terraform, cfn) {
        (Some(t), Some(c)) => format!("{t} ↔ {c}"),
        (Some(t), None) => t.clone(),
        (None, Some(c)) => c,
        (None, None) => String::new(),
    };
    vec![
        Cell::plain(resource),
        Cell::plain(f.key.attribute.clone()),
        Cell::plain(status_words(f.key.status)),
        Cell::plain(f.area.title()),
        Cell::plain(f.severity.title()),
    ]
}

/// Every must-fix finding in one table.
fn must_fix(comparison: &Comparison, options: &ReportOptions) -> Option<Section> {
    // Differences between twins first: resources on one side only, often
    // many where pairing is still incomplete, come after them.
    let must: Vec<&Finding> = comparison
        .findings
        .iter()
        .filter(|f| f.status != Status::Unverifiable && f.severity == Severity::MustFix)
        .collect();
    let rows: Vec<Vec<Cell>> = must
        .iter()
        .filter(|f| !f.attribute.is_empty())
        .chain(must.iter().filter(|f| f.attribute.is_empty()))
        .map(|f| {
            let (tf, cfn) = if f.attribute.is_empty() {
                (
                    if f.terraform.is_some() {
                        "(exists)"
                    } else {
                        "(absent)"
                    }
                    .to_owned(),
                    if f.cloudformation.is_some() {
                        "(exists)"
                    } else {
                        "(absent)"
                    }
                    .to_owned(),
                )
            } else {
                (
                    shorten(&side_text(f, f.terraform.as_ref())),
                    shorten(&side_text(f, f.cloudformation.as_ref())),
                )
            };
            vec![
                Cell::plain(pair_name(f)),
                Cell::plain(f.area.title()),
                Cell::plain(f.attribute.clone()),
                Cell::plain(tf),
                Cell::plain(cfn),
                Cell::plain(action(f, options)),
            ]
        })
        .collect();
    (!rows.is_empty()).then(|| Section {
        heading: "Must fix".to_owned(),
        level: 2,
        table: Some(Table {
            header: [
                "Resource",
                "Area",
                "Attribute",
                "Terraform",
                "CDK",
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
        let of_severity: Vec<&Finding> = comparison
            .findings
            .iter()
            .filter(|f| f.status != Status::Unverifiable && f.severity == severity)
            .collect();
        // Differences between twins first, then resources on one side.
        let items: Vec<String> = of_severity
            .iter()
            .filter(|f| !f.attribute.is_empty())
            .chain(of_severity.iter().filter(|f| f.attribute.is_empty()))
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

/// A pair's evidence in one line: the words, values and neighbours that
/// made it.
fn evidence(evidence: &parity_engine::Evidence) -> String {
    let mut parts = Vec::new();
    if !evidence.names.is_empty() {
        parts.push(format!("names: {}", evidence.names.join(", ")));
    }
    if !evidence.values.is_empty() {
        parts.push(format!("values: {}", evidence.values.join(", ")));
    }
    if !evidence.neighbours.is_empty() {
        parts.push(format!(
            "neighbours: {}",
            evidence
                .neighbours
                .iter()
                .map(|(t, _)| t.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    parts.join("; ")
}

fn pairs(comparison: &Comparison) -> Vec<Section> {
    let mut sections = vec![Section {
        heading: "Pairs".to_owned(),
        level: 2,
        table: Some(Table {
            header: [
                "Type",
                "Terraform",
                "CDK",
                "Method",
                "Confidence",
                "Evidence",
            ]
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
                        Cell::plain(if p.uncertain {
                            format!("{:.2} uncertain", p.confidence)
                        } else {
                            format!("{:.2}", p.confidence)
                        }),
                        Cell::plain(evidence(&p.evidence)),
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
    let mut unverifiable_text = match unverifiable {
        0 => String::new(),
        n => format!(" {n} values could not be compared before deploy."),
    };
    match comparison.waived.len() {
        0 => {}
        1 => unverifiable_text.push_str(" 1 intentional difference waived."),
        n => unverifiable_text.push_str(&format!(" {n} intentional differences waived.")),
    }
    if comparison.baseline.is_some() {
        let new = comparison
            .findings
            .iter()
            .filter(|f| f.status != Status::Unverifiable && comparison.is_new(f))
            .count();
        unverifiable_text.push_str(&format!(" {new} new since the baseline."));
    }
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

/// The resources a grouped finding stands for, one a line, under the table.
fn members(f: &Finding) -> Option<Diff> {
    if f.members.is_empty() {
        return None;
    }
    Some(Diff {
        title: format!("{} on {} resources", f.attribute, f.members.len()),
        lines: f
            .members
            .iter()
            .map(|m| match &m.note {
                Some(note) if m.note != f.note => format!("{} ({note})", pair_name(m)),
                _ => pair_name(m),
            })
            .collect(),
    })
}

/// `aws_ecs_task_definition.api ↔ TaskDef54694570`; for a grouped finding,
/// how many resources it stands for.
fn pair_name(f: &Finding) -> String {
    if !f.members.is_empty() {
        return format!("{} resources (listed below)", f.members.len());
    }
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
