//! The comparison as JUnit XML, for CI test reporting: a test suite per
//! area, a test case per resource pair (or one-sided resource) with
//! something to say in that area or belonging to it, and a failure for each
//! test case with findings that count against parity.

use std::collections::BTreeMap;
use std::io;

use parity_model::{Area, Finding, ResourceId, Status};

use crate::Report;
use crate::visible::visible_lines;

/// A test case: a pair or a one-sided resource, within one area.
#[derive(Default)]
struct Case<'a> {
    name: String,
    failures: Vec<&'a Finding>,
    /// Findings that do not fail: unverifiable, or already in the baseline.
    other: Vec<String>,
    intentional: Vec<String>,
}

pub fn render(report: &Report<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let comparison = report.comparison;
    // Test cases by area, then by the pair's identity, in report order.
    let mut suites: BTreeMap<Area, Vec<(String, Case<'_>)>> = BTreeMap::new();
    fn case<'s, 'a>(
        suites: &'s mut BTreeMap<Area, Vec<(String, Case<'a>)>>,
        area: Area,
        key: String,
        name: String,
    ) -> &'s mut Case<'a> {
        let cases = suites.entry(area).or_default();
        let at = match cases.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                cases.push((
                    key,
                    Case {
                        name,
                        ..Case::default()
                    },
                ));
                cases.len() - 1
            }
        };
        &mut cases[at].1
    }
    for area in &comparison.scope {
        suites.entry(*area).or_default();
    }
    for pair in &comparison.pairs {
        if comparison.scope.contains(&pair.area) {
            case(
                &mut suites,
                pair.area,
                pair_key(&pair.terraform.to_string(), &pair.cloudformation),
                format!("{} ↔ {}", pair.terraform, pair.cloudformation),
            );
        }
    }
    let (key_of, name_of) = (
        |f: &Finding| match (&f.terraform, &f.cloudformation) {
            (Some(t), Some(c)) => pair_key(
                &t.resource,
                &ResourceId::CloudFormation {
                    stack: c.stack.clone().unwrap_or_default(),
                    logical_id: c.resource.clone(),
                },
            ),
            (Some(t), None) => format!("terraform:{}", t.resource),
            (None, Some(c)) => format!(
                "cloudformation:{}/{}",
                c.stack.clone().unwrap_or_default(),
                c.resource
            ),
            (None, None) => String::new(),
        },
        |f: &Finding| match (&f.terraform, &f.cloudformation) {
            (Some(t), Some(c)) => format!(
                "{} ↔ {}",
                t.resource,
                ResourceId::CloudFormation {
                    stack: c.stack.clone().unwrap_or_default(),
                    logical_id: c.resource.clone(),
                }
            ),
            (Some(t), None) => format!("{} (only in Terraform)", t.resource),
            (None, Some(c)) => format!(
                "{}/{} (only in CDK)",
                c.stack.clone().unwrap_or_default(),
                c.resource
            ),
            (None, None) => String::new(),
        },
    );
    // A grouped finding is a failure of each resource it stands for.
    for f in comparison.findings.iter().flat_map(Finding::each) {
        let c = case(&mut suites, f.area, key_of(f), name_of(f));
        if f.status != Status::Unverifiable && comparison.is_new(f) {
            c.failures.push(f);
        } else if f.status == Status::Unverifiable {
            c.other.push(format!("unverifiable: {}", line(f)));
        } else {
            c.other.push(format!("in the baseline: {}", line(f)));
        }
    }
    for w in &comparison.waived {
        let reason = comparison
            .waivers
            .get(w.waiver)
            .map(|u| u.reason.as_str())
            .unwrap_or_default();
        case(
            &mut suites,
            w.finding.area,
            key_of(&w.finding),
            name_of(&w.finding),
        )
        .intentional
        .push(format!("intentional ({reason}): {}", line(&w.finding)));
    }

    let tests: usize = suites.values().map(Vec::len).sum();
    let failures: usize = suites
        .values()
        .flatten()
        .filter(|(_, c)| !c.failures.is_empty())
        .count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="iac-parity" tests="{tests}" failures="{failures}">"#
    )?;
    for (area, cases) in &suites {
        let failed = cases.iter().filter(|(_, c)| !c.failures.is_empty()).count();
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{failed}" errors="0" skipped="0">"#,
            attr(area.title()),
            cases.len()
        )?;
        for (_, c) in cases {
            let open = format!(
                r#"    <testcase name="{}" classname="iac-parity.{}""#,
                attr(&c.name),
                area.as_str()
            );
            if c.failures.is_empty() && c.other.is_empty() && c.intentional.is_empty() {
                writeln!(out, "{open}/>")?;
                continue;
            }
            writeln!(out, "{open}>")?;
            if let Some(worst) = c.failures.iter().map(|f| f.severity).min() {
                let n = c.failures.len();
                writeln!(
                    out,
                    r#"      <failure message="{n} {}" type="{}">{}</failure>"#,
                    if n == 1 {
                        "discrepancy"
                    } else {
                        "discrepancies"
                    },
                    worst.as_str(),
                    text(
                        &c.failures
                            .iter()
                            .map(|f| format!("{}: {}", f.severity.as_str(), line(f)))
                            .collect::<Vec<_>>()
                            .join("\n")
                    )
                )?;
            }
            let said: Vec<&String> = c.intentional.iter().chain(&c.other).collect();
            if !said.is_empty() {
                writeln!(
                    out,
                    "      <system-out>{}</system-out>",
                    text(
                        &said
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join("\n")
                    )
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

fn pair_key(terraform: &str, cloudformation: &ResourceId) -> String {
    format!("pair:{terraform}|{cloudformation}")
}

/// One finding on one line: attribute, what differs, values, and the
/// note when the values alone do not say it (why a value is unverifiable).
pub(crate) fn line(f: &Finding) -> String {
    let value = |side: &Option<parity_model::FindingSide>| match side {
        Some(s) => match &s.value {
            Some(v) => v.to_string(),
            None if f.attribute.is_empty() => "(exists)".to_owned(),
            None => "(absent)".to_owned(),
        },
        None => "(absent)".to_owned(),
    };
    let what = if f.attribute.is_empty() {
        "the resource".to_owned()
    } else {
        f.attribute.clone()
    };
    let line = format!(
        "{what} {}: Terraform {}, CDK {}",
        f.status.as_str(),
        value(&f.terraform),
        value(&f.cloudformation)
    );
    match &f.note {
        Some(note) => format!("{line} ({note})"),
        None => line,
    }
}

/// Text content: markup escaped, and hidden characters (control
/// characters, which XML 1.0 cannot hold anyway, bidirectional overrides,
/// zero-width characters) shown escaped; line breaks stay.
fn text(s: &str) -> String {
    let s = visible_lines(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// An attribute value: text escaping plus quotes, and line breaks as
/// character references so that they survive attribute normalisation.
fn attr(s: &str) -> String {
    text(s)
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}
