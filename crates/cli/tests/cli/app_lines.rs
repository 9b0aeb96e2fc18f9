//! The lines of the CDK app where findings are edited, from the creation
//! traces `cdk synth --debug` records (`testdata/ecs-fargate` and
//! `ecs-fargate-fresh`, synthesized with them), checked against the app's
//! committed source; and the same report as before from a cloud assembly
//! without traces (`cdk.out.no-traces`, the same app without `--debug`).

use serde_json::Value;

use super::{iac_parity, repo_root, seeded_divergences, stderr, stdout};

/// The JSON report of `compare ARGS`, which finds divergences.
fn report(args: &[&str]) -> Value {
    let mut all = vec!["compare", "--format", "json"];
    all.extend(args);
    serde_json::from_str(&stdout(&iac_parity(&all).code(1))).unwrap()
}

/// The id the app gave the construct: the last part of its construct path,
/// or the one before when the last is the name the CDK gives the resource
/// inside a construct (`Resource`, a service's `Service`).
fn construct_id(construct_path: &str) -> &str {
    let mut parts: Vec<&str> = construct_path.split('/').collect();
    if parts.len() > 2 && ["Resource", "Service", "Default"].contains(parts.last().unwrap()) {
        parts.pop();
    }
    parts.last().unwrap()
}

/// Every seeded divergence of `fixture` (its resolved plan, where every
/// row shows) is located at a line of the app that creates its construct:
/// the line names the construct's id.
fn every_seeded_divergence_is_at_its_constructs_creation(fixture: &str, cdk_out: &str) {
    let config = format!("testdata/{fixture}/parity.yaml");
    let plan = format!("testdata/{fixture}/tfplan.resolved.json");
    let cdk_out = format!("testdata/{fixture}/{cdk_out}");
    // ecs-fargate's configuration names the app (`cdk.app`); for the
    // other, the command line does.
    let app = format!("testdata/{fixture}/cdk");
    let mut args = vec![
        "--terraform",
        &plan,
        "--cloudformation",
        &cdk_out,
        "--config",
        &config,
    ];
    if fixture != "ecs-fargate" {
        args.extend(["--cdk-app", &app]);
    }
    let report = report(&args);
    let findings: Vec<&Value> = ["findings", "intentional"]
        .iter()
        .flat_map(|key| report[key].as_array().into_iter().flatten())
        .collect();
    let seeded = seeded_divergences(fixture);
    assert!(!seeded.is_empty());
    for divergence in seeded {
        let finding = findings
            .iter()
            .find(|f| {
                f["attribute"] == divergence.attribute.as_str()
                    && f["cloudformation"]["logical_id"] == divergence.cdk_resource.as_str()
            })
            .unwrap_or_else(|| panic!("{fixture}: no finding for {divergence:?}"));
        let location = &finding["cloudformation"]["location"];
        let source = &location["source"];
        let file = source["file"].as_str().unwrap_or_else(|| {
            panic!(
                "{fixture}: {} has no app line: {location}",
                divergence.attribute
            )
        });
        assert!(
            file.starts_with(&format!("testdata/{fixture}/cdk/")),
            "{file}"
        );
        let text = std::fs::read_to_string(repo_root().join(file)).unwrap();
        let line = source["line"].as_u64().unwrap() as usize;
        let written = text.lines().nth(line - 1).unwrap();
        let id = construct_id(location["construct_path"].as_str().unwrap());
        assert!(
            written.contains(&format!("'{id}'")),
            "{fixture}: {} is at {file}:{line}, which does not create {id}: {written}",
            divergence.attribute
        );
        // The column is where the construct's creation starts on the line.
        let column = source["column"].as_u64().unwrap() as usize;
        assert!(column <= written.chars().count(), "{written}");
    }
}

#[test]
fn ecs_fargate_divergences_are_at_the_lines_that_create_their_constructs() {
    every_seeded_divergence_is_at_its_constructs_creation("ecs-fargate", "cdk.out");
}

#[test]
fn ecs_fargate_fresh_divergences_are_at_the_lines_that_create_their_constructs() {
    every_seeded_divergence_is_at_its_constructs_creation("ecs-fargate-fresh", "cdk.out");
}

/// Every `source` of a JSON report taken out.
fn without_sources(mut report: Value) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if map.contains_key("construct_path") {
                    map.remove("source");
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut report);
    report
}

#[test]
fn without_traces_the_report_is_the_same_but_for_the_app_lines() {
    let args = |cdk_out: &'static str| {
        [
            "--terraform",
            "testdata/ecs-fargate/tfplan.json",
            "--cloudformation",
            cdk_out,
        ]
    };
    let mut traced = report(&args("testdata/ecs-fargate/cdk.out"));
    let untraced = report(&args("testdata/ecs-fargate/cdk.out.no-traces"));
    // The inputs are named as given.
    traced["inputs"]["cloudformation"] = untraced["inputs"]["cloudformation"].clone();
    assert!(!untraced.to_string().contains("\"source\""));
    assert!(traced.to_string().contains("\"source\""));
    assert_eq!(without_sources(traced), untraced);
    for format in ["text", "markdown", "github"] {
        let mut all = vec!["compare", "--format", format];
        all.extend(args("testdata/ecs-fargate/cdk.out.no-traces"));
        let assert = iac_parity(&all).code(1);
        // No location, and nothing said about it.
        assert_eq!(stderr(&assert), "", "{format}");
        let out = stdout(&assert);
        assert!(!out.contains("Where to edit"), "{format}");
        assert!(!out.contains("file="), "{format}");
        assert!(!out.contains("api-stack.ts"), "{format}");
    }
}

#[test]
fn without_the_app_at_hand_app_lines_are_named_inside_the_app() {
    // No configuration and a cloud assembly outside the app's folder: the
    // app's folder is found from the layout of the files the traces name.
    let report = report(&[
        "--terraform",
        "testdata/ecs-fargate/tfplan.json",
        "--cloudformation",
        "testdata/ecs-fargate/cdk.out",
    ]);
    let sources: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["cloudformation"]["location"]["source"]["file"].as_str())
        .collect();
    assert!(!sources.is_empty());
    assert!(
        sources.iter().all(|f| *f == "lib/api-stack.ts"),
        "{sources:?}"
    );
}

#[test]
fn github_annotates_the_app_line_when_the_cdk_side_is_to_fix() {
    let args = [
        "compare",
        "--terraform",
        "testdata/ecs-fargate/tfplan.json",
        "--cloudformation",
        "testdata/ecs-fargate/cdk.out",
        "--config",
        "testdata/ecs-fargate/parity.yaml",
        "--source-of-truth",
        "terraform",
        "--format",
        "github",
    ];
    let out = stdout(&iac_parity(&args).code(1));
    let health = out.lines().find(|l| l.contains("HealthCheckPath")).unwrap();
    let text =
        std::fs::read_to_string(repo_root().join("testdata/ecs-fargate/cdk/lib/api-stack.ts"))
            .unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("new elbv2.ApplicationTargetGroup(this, 'TargetGroup'"))
        .unwrap()
        + 1;
    assert!(
        health.contains(&format!(
            "file=testdata/ecs-fargate/cdk/lib/api-stack.ts,line={line},"
        )),
        "{health}"
    );
}
