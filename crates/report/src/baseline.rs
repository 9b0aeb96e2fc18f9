//! Reads a JSON report back as a baseline: the findings of that run, known
//! by resource pair, attribute and kind. Only what identifies a finding is
//! read, so reports of other versions with the same `schema_version` work.

use parity_engine::{Baseline, BaselineFinding, FindingKey};
use parity_model::{Area, Severity};
use serde_json::Value as Json;

use crate::Error;
use crate::json::SCHEMA_VERSION;

/// The oldest report version read as a baseline: what identifies a finding
/// has not changed since.
const OLDEST_BASELINE: u32 = 1;

/// The findings of the JSON report `text`, waived ones included; `source`
/// names the file in errors and in the report.
pub fn read_baseline(text: &str, source: &str) -> Result<Baseline, Error> {
    // Read strictly: a key named twice (a finding's `terraform`, a
    // report's `findings`) is refused, not "the last one wins".
    let json: Json = parity_json::from_str(text).map_err(|e| {
        let position = e.position();
        let message = match e {
            parity_json::Error::Syntax(e) => {
                let message = e.to_string();
                let message = match message.rfind(" at line ") {
                    Some(at) => message[..at].to_owned(),
                    None => message,
                };
                format!("malformed JSON: {message}")
            }
            parity_json::Error::DuplicateKey(d) => format!(
                "the key {:?} twice in {}, first at {}",
                d.key, d.object, d.first
            ),
        };
        Error::Baseline {
            source_name: source.to_owned(),
            location: format!(":{}:{}", position.line, position.column),
            message,
        }
    })?;
    let fail = |pointer: &str, message: String| Error::Baseline {
        source_name: source.to_owned(),
        location: format!(": at {}", if pointer.is_empty() { "/" } else { pointer }),
        message,
    };
    let Some(top) = json.as_object() else {
        return Err(fail(
            "",
            "not an iac-parity JSON report: expected an object".to_owned(),
        ));
    };
    match top.get("schema_version").and_then(Json::as_u64) {
        Some(v) if (u64::from(OLDEST_BASELINE)..=u64::from(SCHEMA_VERSION)).contains(&v) => {}
        Some(v) => {
            return Err(fail(
                "/schema_version",
                format!(
                    "schema version {v}; this iac-parity reads versions {OLDEST_BASELINE} to {SCHEMA_VERSION}"
                ),
            ));
        }
        None => {
            return Err(fail(
                "/schema_version",
                "not an iac-parity JSON report: no schema_version (write one with --format json or `iac-parity baseline`)".to_owned(),
            ));
        }
    }
    let mut findings = Vec::new();
    for list in ["findings", "intentional"] {
        let items = match top.get(list) {
            None if list == "intentional" => continue,
            Some(Json::Array(items)) => items,
            _ => return Err(fail(&format!("/{list}"), "expected a list".to_owned())),
        };
        for (i, item) in items.iter().enumerate() {
            // A grouped finding is known by its members.
            match item.get("members").and_then(Json::as_array) {
                Some(members) => {
                    for (j, member) in members.iter().enumerate() {
                        findings.push(finding(member).map_err(|(field, m)| {
                            fail(&format!("/{list}/{i}/members/{j}{field}"), m)
                        })?);
                    }
                }
                None => findings.push(
                    finding(item).map_err(|(field, m)| fail(&format!("/{list}/{i}{field}"), m))?,
                ),
            }
        }
    }
    Ok(Baseline {
        source: source.to_owned(),
        findings,
    })
}

type FieldError = (String, String);

fn finding(item: &Json) -> Result<BaselineFinding, FieldError> {
    let text = |field: &str| -> Result<&str, FieldError> {
        item.get(field)
            .and_then(Json::as_str)
            .ok_or_else(|| (format!("/{field}"), "expected a string".to_owned()))
    };
    let status = text("status")?;
    let status = parity_engine::waivers::parse_kind(status)
        .ok_or_else(|| ("/status".to_owned(), format!("unknown status {status:?}")))?;
    let area = text("area")?;
    let area =
        Area::parse(area).ok_or_else(|| ("/area".to_owned(), format!("unknown area {area:?}")))?;
    let severity = text("severity")?;
    let severity = Severity::parse(severity).ok_or_else(|| {
        (
            "/severity".to_owned(),
            format!("unknown severity {severity:?}"),
        )
    })?;
    let side = |name: &str, fields: &[&str]| -> Result<Option<Vec<String>>, FieldError> {
        match item.get(name) {
            None | Some(Json::Null) => Ok(None),
            Some(side) => fields
                .iter()
                .map(|f| {
                    side.get(*f)
                        .and_then(Json::as_str)
                        .map(str::to_owned)
                        .ok_or_else(|| (format!("/{name}/{f}"), "expected a string".to_owned()))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
        }
    };
    let terraform = side("terraform", &["address"])?.map(|mut v| v.remove(0));
    let cloudformation = side("cloudformation", &["stack", "logical_id"])?.map(|mut v| {
        let logical_id = v.remove(1);
        (v.remove(0), logical_id)
    });
    if terraform.is_none() && cloudformation.is_none() {
        return Err((
            String::new(),
            "a finding names no resource on either side".to_owned(),
        ));
    }
    Ok(BaselineFinding {
        key: FindingKey {
            terraform,
            cloudformation,
            attribute: text("attribute")?.to_owned(),
            status,
        },
        area,
        severity,
        resource_type: item
            .get("resource_type")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned(),
    })
}
