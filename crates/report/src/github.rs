//! The comparison as GitHub Actions workflow commands, one per finding, so
//! that a pull request shows each difference as an annotation:
//! `::error file=app.yaml,line=42,col=7,title=…::message`. The commands and
//! their escaping are those GitHub documents ("Workflow commands for GitHub
//! Actions": `%`, `\r` and `\n` in messages; also `:` and `,` in
//! properties).

use std::io;

use parity_model::{Finding, FindingSide, Location, Severity, Side, Status};

use crate::Report;
use crate::visible::visible;

pub fn render(report: &Report<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    for finding in &report.comparison.findings {
        writeln!(out, "{}", command(finding, report.options.source_of_truth))?;
    }
    Ok(())
}

/// `error` for what must be fixed, `warning` for what should be, `notice`
/// for the rest and for what cannot be decided before deploy.
fn level(finding: &Finding) -> &'static str {
    match (finding.status, finding.severity) {
        (Status::Unverifiable, _) | (_, Severity::Consider) => "notice",
        (_, Severity::MustFix) => "error",
        (_, Severity::ShouldFix) => "warning",
    }
}

/// A line of a file an annotation can point at.
pub(crate) struct Place<'a> {
    pub file: &'a str,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// Where a side is edited: the line of the CDK app that made it when known
/// (the template in `cdk.out` is not edited), else the file it is written
/// in, or the module call of a module downloaded by `terraform init`.
pub(crate) fn editable(location: &Location) -> Option<Place<'_>> {
    match &location.source {
        Some(source) => Some(Place {
            file: &source.file,
            line: Some(source.line),
            column: source.column,
        }),
        None => {
            // A location in a module `terraform init` downloaded (under
            // `.terraform/`, not in the repository) is edited at its module
            // call.
            let file = location.file.as_deref()?;
            let downloaded = file.starts_with(".terraform/") || file.contains("/.terraform/");
            Some(match &location.module_call {
                Some(call) if downloaded => Place {
                    file: &call.file,
                    line: Some(call.line),
                    column: call.column,
                },
                _ => Place {
                    file,
                    line: location.line,
                    column: location.column,
                },
            })
        }
    }
}

/// The place an annotation points at: the side to fix when one is the
/// source of truth and the other is located in a file, else the first side
/// located in a file.
pub(crate) fn annotated(finding: &Finding, truth: Option<Side>) -> Option<Place<'_>> {
    fn located(side: &Option<FindingSide>) -> Option<Place<'_>> {
        side.as_ref()
            .and_then(|s| s.location.as_deref())
            .and_then(editable)
    }
    let terraform = || located(&finding.terraform);
    let cloudformation = || located(&finding.cloudformation);
    match truth {
        Some(Side::Terraform) => cloudformation().or_else(terraform),
        _ => terraform().or_else(cloudformation),
    }
}

fn command(finding: &Finding, truth: Option<Side>) -> String {
    let mut properties = Vec::new();
    if let Some(location) = annotated(finding, truth) {
        properties.push(format!("file={}", property(location.file)));
        if let Some(line) = location.line {
            properties.push(format!("line={line}"));
        }
        if let Some(column) = location.column {
            properties.push(format!("col={column}"));
        }
    }
    let title = format!(
        "iac-parity: {} ({})",
        finding.area.title(),
        finding.severity.as_str()
    );
    properties.push(format!("title={}", property(&title)));
    format!(
        "::{} {}::{}",
        level(finding),
        properties.join(","),
        data(&message(finding))
    )
}

/// The finding in one line: both resources (with their construct path when
/// known) and what differs.
pub(crate) fn message(finding: &Finding) -> String {
    let side = |side: &Option<FindingSide>| {
        side.as_ref().map(|s| {
            let name = match &s.stack {
                Some(stack) => format!("{stack}/{}", s.resource),
                None => s.resource.clone(),
            };
            match s.location.as_ref().and_then(|l| l.construct_path.as_ref()) {
                Some(path) => format!("{name} ({path})"),
                None => name,
            }
        })
    };
    let resources: Vec<String> = [side(&finding.terraform), side(&finding.cloudformation)]
        .into_iter()
        .flatten()
        .collect();
    visible(&format!(
        "{}: {}",
        resources.join(" ↔ "),
        crate::junit::line(finding)
    ))
    .into_owned()
}

/// A message, escaped as GitHub's `escapeData` does.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value, escaped as GitHub's `escapeProperty` does.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped_as_github_documents() {
        assert_eq!(data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn a_downloaded_module_is_annotated_at_its_module_call() {
        let call = parity_model::SourceLine {
            file: "infra/main.tf".into(),
            line: 12,
            column: Some(3),
        };
        let mut location = Location {
            file: Some("infra/.terraform/modules/web/main.tf".into()),
            line: Some(40),
            column: Some(5),
            module_call: Some(call),
            ..Location::default()
        };
        assert_eq!(
            editable(&location).map(|p| (p.file, p.line, p.column)),
            Some(("infra/main.tf", Some(12), Some(3)))
        );
        location.file = Some("infra/modules/web/main.tf".into());
        assert_eq!(
            editable(&location).map(|p| (p.file, p.line, p.column)),
            Some(("infra/modules/web/main.tf", Some(40), Some(5)))
        );
    }
}
