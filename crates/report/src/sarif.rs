//! The comparison as SARIF 2.1.0 (OASIS Static Analysis Results
//! Interchange Format), for code scanning: one result per finding, with a
//! location per side — the file, line and column where known, and the
//! Terraform address or the construct path as a logical location. A rule
//! per area and kind of difference (`env/differs`, `iam/only-in-cdk`).

use std::collections::BTreeSet;
use std::io;

use parity_model::{Finding, FindingSide, Severity, Status};
use serde_json::{Value as Json, json};

use crate::Report;
use crate::github::message;
use crate::visible::visible_lines;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

pub fn render(report: &Report<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let findings = &report.comparison.findings;
    let rules: Vec<(String, &Finding)> = {
        let mut seen = BTreeSet::new();
        let mut rules: Vec<(String, &Finding)> = findings
            .iter()
            .filter(|f| seen.insert(rule_id(f)))
            .map(|f| (rule_id(f), f))
            .collect();
        rules.sort_by(|a, b| a.0.cmp(&b.0));
        rules
    };
    let results: Vec<Json> = findings
        .iter()
        .map(|f| {
            let id = rule_id(f);
            let index = rules.iter().position(|(r, _)| *r == id).unwrap_or_default();
            result(f, id, index)
        })
        .collect();
    let document = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "iac-parity",
                    "rules": rules.iter().map(|(id, f)| rule(id, f)).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    crate::visible::write_json(out, &document)?;
    writeln!(out)
}

fn rule_id(f: &Finding) -> String {
    format!("{}/{}", f.area.as_str(), f.status.as_str())
}

fn rule(id: &str, f: &Finding) -> Json {
    let kind = match f.status {
        Status::OnlyInTerraform => "present in Terraform, absent from CDK",
        Status::OnlyInCdk => "present in CDK, absent from Terraform",
        Status::Differs => "different values in Terraform and CDK",
        Status::Unverifiable => "cannot be compared before deploy",
    };
    json!({
        "id": id,
        "shortDescription": { "text": format!("{}: {kind}", f.area.title()) },
        "properties": { "area": f.area.as_str(), "status": f.status.as_str() },
    })
}

fn level(f: &Finding) -> &'static str {
    match (f.status, f.severity) {
        (Status::Unverifiable, _) | (_, Severity::Consider) => "note",
        (_, Severity::MustFix) => "error",
        (_, Severity::ShouldFix) => "warning",
    }
}

fn result(f: &Finding, id: String, index: usize) -> Json {
    let mut locations: Vec<Json> = [(&f.terraform, true), (&f.cloudformation, false)]
        .into_iter()
        .filter_map(|(side, terraform)| side.as_ref().map(|s| location(s, terraform)))
        .collect();
    // The side located in a file first: viewers show the first location.
    locations.sort_by_key(|l| l.get("physicalLocation").is_none());
    let mut properties = serde_json::Map::new();
    properties.insert("severity".into(), f.severity.as_str().into());
    properties.insert("resourceType".into(), f.resource_type.clone().into());
    properties.insert("attribute".into(), f.attribute.clone().into());
    // SARIF's `fixes` are file edits (artifact changes with replacements);
    // a snippet to paste is not one, so it goes in the message and the
    // result's properties.
    let mut text = message(f);
    if !f.fixes.is_empty() {
        properties.insert("fixes".into(), fixes(f));
        for fix in &f.fixes {
            text.push_str(&format!(
                "\n\nFix in {} ({}):\n{}",
                fix.side.label(),
                fix.language.as_str(),
                visible_lines(&fix.code)
            ));
        }
    }
    json!({
        "ruleId": id,
        "ruleIndex": index,
        "level": level(f),
        "message": { "text": text },
        "locations": locations,
        "properties": properties,
    })
}

fn fixes(f: &Finding) -> Json {
    f.fixes
        .iter()
        .map(|fix| {
            json!({
                "side": crate::json::side_name(fix.side),
                "language": fix.language.as_str(),
                "code": fix.code,
            })
        })
        .collect()
}

fn location(side: &FindingSide, terraform: bool) -> Json {
    let mut location = serde_json::Map::new();
    let known = side.location.as_deref();
    // A CDK side is at the line of the app that made it, where known.
    if let Some(place) = known.and_then(crate::github::editable) {
        let mut physical = json!({ "artifactLocation": { "uri": uri(place.file) } });
        if let Some(line) = place.line {
            let mut region = json!({ "startLine": line });
            if let Some(column) = place.column {
                region["startColumn"] = column.into();
            }
            physical["region"] = region;
        }
        location.insert("physicalLocation".into(), physical);
    }
    let logical = if terraform {
        json!({ "fullyQualifiedName": side.resource, "kind": "resource" })
    } else {
        let name = match &side.stack {
            Some(stack) => format!("{stack}/{}", side.resource),
            None => side.resource.clone(),
        };
        match known.and_then(|l| l.construct_path.as_ref()) {
            Some(path) => json!({ "name": name, "fullyQualifiedName": path, "kind": "resource" }),
            None => json!({ "fullyQualifiedName": name, "kind": "resource" }),
        }
    };
    location.insert("logicalLocations".into(), json!([logical]));
    Json::Object(location)
}

/// A file path as a relative URI reference: `/` separators, and every byte
/// outside RFC 3986's unreserved characters percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for byte in path.replace('\\', "/").bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_uri_references() {
        assert_eq!(uri("infra/app stack#1.yaml"), "infra/app%20stack%231.yaml");
        assert_eq!(uri("infra\\é.json"), "infra/%C3%A9.json");
    }
}
