//! The current findings as waivers to start from: one `waivers:` entry per
//! discrepancy, selecting exactly it, its reason "to review". Values are
//! not written (they may be secrets): a comment says what the finding is.

use std::io;

use parity_engine::Comparison;
use parity_model::Status;

pub fn render_waivers(comparison: &Comparison, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(
        out,
        "# Waivers for the findings of iac-parity, to start from. Keep those that are"
    )?;
    writeln!(
        out,
        "# intentional differences, write why in `reason`, and delete the others."
    )?;
    writeln!(out, "waivers:")?;
    let findings: Vec<_> = comparison
        .findings
        .iter()
        .flat_map(parity_model::Finding::each)
        .filter(|f| f.status != Status::Unverifiable)
        .collect();
    if findings.is_empty() {
        // An empty list, still valid YAML for `parity.yaml`.
        writeln!(out, "  []")?;
    }
    for f in findings {
        writeln!(
            out,
            "  # {} {}, {}: {}",
            f.area.title(),
            f.severity.as_str(),
            f.resource_type,
            f.status.as_str()
        )?;
        let mut first = true;
        let mut field = |out: &mut dyn io::Write, key: &str, value: &str| -> io::Result<()> {
            let dash = if first { "- " } else { "  " };
            first = false;
            writeln!(out, "  {dash}{key}: {}", quoted(value))
        };
        field(out, "area", f.area.as_str())?;
        if let Some(t) = &f.terraform {
            field(out, "terraform", &t.resource)?;
        }
        if let Some(c) = &f.cloudformation {
            let name = match &c.stack {
                Some(stack) => format!("{stack}/{}", c.resource),
                None => c.resource.clone(),
            };
            field(out, "cloudformation", &name)?;
        }
        if !f.attribute.is_empty() {
            field(out, "attribute", &f.attribute)?;
        }
        field(out, "kind", f.status.as_str())?;
        field(out, "reason", "to review")?;
    }
    Ok(())
}

/// A YAML double-quoted scalar: JSON's string syntax is YAML's.
fn quoted(text: &str) -> String {
    crate::visible::json_escaped(&serde_json::Value::String(text.to_owned()).to_string())
        .into_owned()
}
