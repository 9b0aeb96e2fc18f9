//! Fix snippets: every seeded divergence of the ecs-fargate fixtures has
//! one for each side to fix, every HCL snippet parses, and only the side
//! to fix gets one when a side is the source of truth.

use serde_json::Value;

use super::{iac_parity, seeded_divergences, stdout};

fn report(fixture: &str, cdk_out: &str, extra: &[&str]) -> Value {
    let plan = format!("testdata/{fixture}/tfplan.resolved.json");
    let cdk = format!("testdata/{fixture}/{cdk_out}");
    let mut args = vec![
        "compare",
        "--terraform",
        &plan,
        "--cloudformation",
        &cdk,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    serde_json::from_str(&stdout(&iac_parity(&args).code(1))).unwrap()
}

/// Every finding, the members of grouped ones in their place.
fn each(report: &Value) -> Vec<&Value> {
    let mut all = Vec::new();
    for f in report["findings"].as_array().unwrap() {
        match f.get("members").and_then(Value::as_array) {
            Some(members) => all.extend(members),
            None => all.push(f),
        }
    }
    all
}

/// A fix as (side, language, code).
type FixText = (String, String, String);

/// Each seeded divergence, named, with its finding's fixes.
fn fixes_of_seeded(fixture: &str, extra: &[&str]) -> Vec<(String, Vec<FixText>)> {
    fixes_of_seeded_in(fixture, "cdk.out", extra)
}

/// As [`fixes_of_seeded`], against another synthesis of the fixture's app.
fn fixes_of_seeded_in(fixture: &str, cdk_out: &str, extra: &[&str]) -> Vec<(String, Vec<FixText>)> {
    let report = report(fixture, cdk_out, extra);
    let findings = each(&report);
    seeded_divergences(fixture)
        .into_iter()
        .map(|d| {
            let finding = findings
                .iter()
                .find(|f| {
                    f["attribute"] == d.attribute.as_str()
                        && f["terraform"]["address"] == d.terraform_resource.as_str()
                        && f["cloudformation"]["logical_id"] == d.cdk_resource.as_str()
                })
                .unwrap_or_else(|| panic!("{fixture}: no finding for {}", d.attribute));
            let fixes = finding["fixes"]
                .as_array()
                .map(|fixes| {
                    fixes
                        .iter()
                        .map(|x| {
                            let text = |k: &str| x[k].as_str().unwrap().to_owned();
                            (text("side"), text("language"), text("code"))
                        })
                        .collect()
                })
                .unwrap_or_default();
            (format!("{fixture} {}", d.attribute), fixes)
        })
        .collect()
}

#[test]
fn every_seeded_divergence_has_a_fix_on_each_side_and_hcl_parses() {
    for fixture in ["ecs-fargate", "ecs-fargate-fresh"] {
        for (divergence, fixes) in fixes_of_seeded(fixture, &[]) {
            let sides: Vec<&str> = fixes.iter().map(|(side, ..)| side.as_str()).collect();
            assert_eq!(sides, ["terraform", "cdk"], "{divergence}");
            for (side, language, code) in &fixes {
                match side.as_str() {
                    "terraform" => {
                        assert_eq!(language, "hcl", "{divergence}");
                        if let Err(e) = hcl_edit::parser::parse_body(code) {
                            panic!("{divergence}: not HCL: {e}\n{code}");
                        }
                    }
                    _ => assert!(
                        ["typescript", "cloudformation"].contains(&language.as_str()),
                        "{divergence}: {language}"
                    ),
                }
            }
        }
    }
}

#[test]
fn only_the_side_to_fix_gets_a_fix_in_the_language_asked_for() {
    // Without creation traces nothing says what the app is written in, so
    // the language asked for is the one written.
    for (divergence, fixes) in fixes_of_seeded_in(
        "ecs-fargate",
        "cdk.out.no-traces",
        &["--source-of-truth", "terraform", "--cdk-language", "python"],
    ) {
        assert_eq!(fixes.len(), 1, "{divergence}");
        let (side, language, _) = &fixes[0];
        assert_eq!(side, "cdk", "{divergence}");
        assert!(
            ["python", "cloudformation"].contains(&language.as_str()),
            "{divergence}: {language}"
        );
    }
    for (divergence, fixes) in fixes_of_seeded("ecs-fargate", &["--source-of-truth", "cdk"]) {
        let sides: Vec<&str> = fixes.iter().map(|(side, ..)| side.as_str()).collect();
        assert_eq!(sides, ["terraform"], "{divergence}");
    }
}

#[test]
fn the_app_line_a_trace_names_says_the_language_of_the_fix() {
    // The traced construct was made in a TypeScript file: a snippet in
    // another language could not be pasted there, whatever was asked.
    for (divergence, fixes) in fixes_of_seeded(
        "ecs-fargate",
        &["--source-of-truth", "terraform", "--cdk-language", "python"],
    ) {
        let (_, language, _) = &fixes[0];
        assert!(
            ["typescript", "cloudformation"].contains(&language.as_str()),
            "{divergence}: {language}"
        );
    }
}
