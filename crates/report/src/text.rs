//! The plain-text report: a summary table, then one table per area.

use std::io;

use parity_model::{Finding, FindingSide};
use tabled::builder::Builder;
use tabled::settings::Style;

use crate::{Report, status_words};

pub fn render(report: &Report<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let comparison = report.comparison;
    writeln!(out, "Infrastructure parity report")?;
    writeln!(out, "Terraform: {}", report.inputs.terraform)?;
    writeln!(out, "CDK:       {}", report.inputs.cloudformation)?;
    writeln!(out)?;

    let mut summary = Builder::default();
    summary.push_record(["Area", "Status", "Discrepancies", "Unverifiable"]);
    for area in &comparison.scope {
        summary.push_record([
            area.title().to_owned(),
            report.area_status(*area).title().to_owned(),
            report.discrepancies(*area).to_string(),
            report.unverifiable(*area).to_string(),
        ]);
    }
    write_table(out, summary)?;

    for area in &comparison.scope {
        let findings: Vec<&Finding> = report.area_findings(*area).collect();
        if findings.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{}", area.title())?;
        let mut table = Builder::default();
        table.push_record([
            "Terraform",
            "CDK",
            "Attribute",
            "Status",
            "Terraform value",
            "CDK value",
        ]);
        for finding in findings {
            table.push_record([
                resource(finding.terraform.as_ref()),
                resource(finding.cloudformation.as_ref()),
                if finding.attribute.is_empty() {
                    "(whole resource)".to_owned()
                } else {
                    finding.attribute.clone()
                },
                status_words(finding.status).to_owned(),
                value(finding, finding.terraform.as_ref()),
                value(finding, finding.cloudformation.as_ref()),
            ]);
        }
        write_table(out, table)?;
    }

    if report.show_pairs {
        writeln!(out)?;
        writeln!(out, "Pairs")?;
        let mut table = Builder::default();
        table.push_record(["Type", "Terraform", "CDK", "Method", "Confidence"]);
        for pair in &comparison.pairs {
            table.push_record([
                pair.canonical_type.clone(),
                pair.terraform.to_string(),
                pair.cloudformation.to_string(),
                pair.method.as_str().to_owned(),
                format!("{:.2}", pair.confidence),
            ]);
        }
        write_table(out, table)?;
        for (title, listed) in [
            ("Without a twin", &comparison.unpaired),
            ("Skipped by the configuration", &comparison.skipped),
            ("No twin by nature", &comparison.no_twin),
            ("Not covered by the mapping table", &comparison.unmapped),
        ] {
            if listed.is_empty() {
                continue;
            }
            writeln!(out)?;
            writeln!(out, "{title}")?;
            let mut table = Builder::default();
            table.push_record(["Side", "Resource", "Type", "Why"]);
            for r in listed {
                table.push_record([
                    r.id.side().label().to_owned(),
                    r.id.to_string(),
                    r.resource_type.clone(),
                    r.reason.clone(),
                ]);
            }
            write_table(out, table)?;
        }
    } else {
        let not_compared = comparison.unmapped.len() + comparison.no_twin.len() + comparison.skipped.len();
        if not_compared > 0 {
            writeln!(out)?;
            writeln!(
                out,
                "Not compared: {} resources not covered by the mapping table, {} with no twin by nature, {} skipped by the configuration (--show-pairs lists them).",
                comparison.unmapped.len(),
                comparison.no_twin.len(),
                comparison.skipped.len()
            )?;
        }
    }
    if !comparison.notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "Notes")?;
        for note in &comparison.notes {
            writeln!(out, "- {note}")?;
        }
    }
    writeln!(out)?;
    if report.in_parity() {
        writeln!(out, "In parity.")?;
    } else {
        let n: usize = comparison
            .scope
            .iter()
            .map(|a| report.discrepancies(*a))
            .sum();
        writeln!(out, "Diverged: {n} discrepancies.")?;
    }
    Ok(())
}

/// Writes a table without the padding tabled leaves at the end of lines.
pub(crate) fn write_table(out: &mut dyn io::Write, table: Builder) -> io::Result<()> {
    let rendered = table.build().with(Style::psql()).to_string();
    for line in rendered.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn resource(side: Option<&FindingSide>) -> String {
    side.map_or_else(|| "-".to_owned(), |s| s.resource.clone())
}

fn value(finding: &Finding, side: Option<&FindingSide>) -> String {
    match side {
        Some(FindingSide {
            value: Some(value), ..
        }) => value.to_string(),
        // A whole resource present on this side only.
        Some(_) if finding.attribute.is_empty() => "(exists)".to_owned(),
        _ => "(absent)".to_owned(),
    }
}
