//! A hand-written CloudFormation project (a main stack nesting templates
//! through S3 URLs, cross-stack imports, a parameter file, an undeployed
//! decoy) compared with its Terraform twin: `testdata/cfn-nested-pair`.

use serde_json::Value;

use super::{divergences_found, iac_parity, seeded_divergences, stderr, stdout};

const PLAN: &str = "testdata/ecs-fargate/tfplan.resolved.json";
const PAIR: &str = "testdata/cfn-nested-pair";
const PARAMETERS: &str = "testdata/cfn-nested-pair/parameters.json";

/// The JSON report and the warnings of `compare` on `cloudformation`.
fn compare(cloudformation: &[&str], code: i32) -> (Value, String) {
    let mut args = vec!["compare", "--terraform", PLAN];
    for input in cloudformation {
        args.extend(["--cloudformation", input]);
    }
    args.extend(["--param-file", PARAMETERS, "--format", "json"]);
    let assert = iac_parity(&args).code(code);
    (
        serde_json::from_str(&stdout(&assert)).unwrap(),
        stderr(&assert),
    )
}

/// The stacks the report's findings and pairs name.
fn stacks(report: &Value) -> Vec<String> {
    let mut stacks: Vec<String> = report["pairs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["cloudformation"]["stack"].as_str().map(str::to_owned))
        .collect();
    stacks.sort();
    stacks.dedup();
    stacks
}

#[test]
fn the_main_stack_finds_exactly_the_seeded_divergences() {
    let main = format!("{PAIR}/main-stack.yaml");
    let (report, warnings) = compare(&[&main], 1);
    // Every nested template loads and every import resolves: nothing to
    // warn about.
    assert_eq!(warnings, "");
    let found = divergences_found(&report, |f| f["status"] != "unverifiable");
    assert_eq!(found, seeded_divergences("cfn-nested-pair"));
    // The only unverifiable value is the region the log driver is given.
    let unverifiable = divergences_found(&report, |f| f["status"] == "unverifiable");
    let attributes: Vec<&str> = unverifiable.iter().map(|d| d.attribute.as_str()).collect();
    assert_eq!(
        attributes,
        ["ContainerDefinitions[api].LogConfiguration.Options[awslogs-region]"]
    );
}

#[test]
fn every_nested_template_loads_under_the_main_stack() {
    let assert = iac_parity(&[
        "inventory",
        &format!("{PAIR}/main-stack.yaml"),
        "--param-file",
        PARAMETERS,
        "--format",
        "json",
    ])
    .code(0);
    let inventory: Value = serde_json::from_str(&stdout(&assert)).unwrap();
    let mut by_stack: Vec<(String, usize)> = Vec::new();
    for resource in inventory["resources"].as_array().unwrap() {
        let stack = resource["stack"].as_str().unwrap().to_owned();
        match by_stack.iter_mut().find(|(s, _)| *s == stack) {
            Some((_, n)) => *n += 1,
            None => by_stack.push((stack, 1)),
        }
        // Imports resolve to the exporting stack's resources: no value is
        // left waiting for an export.
        let unresolved = resource["unresolved"].as_array().unwrap();
        assert!(unresolved.iter().all(|u| u == "AWS::Region"), "{resource}");
    }
    let expected: Vec<(String, usize)> = [
        ("main-stack", 5),
        ("main-stack/NetworkStack", 5),
        ("main-stack/ComputeStack", 5),
        ("main-stack/DataStack", 4),
        ("main-stack/IamStack", 2),
        ("main-stack/ServicesStack", 2),
    ]
    .iter()
    .map(|(s, n)| ((*s).to_owned(), *n))
    .collect();
    assert_eq!(by_stack, expected);
}

#[test]
fn the_folder_gives_the_same_result_and_ignores_the_decoy() {
    let (main, _) = compare(&[&format!("{PAIR}/main-stack.yaml")], 1);
    let (folder, warnings) = compare(&[PAIR], 1);
    assert_eq!(
        divergences_found(&folder, |_| true),
        divergences_found(&main, |_| true)
    );
    assert_eq!(
        stacks(&main),
        [
            "main-stack/ComputeStack",
            "main-stack/DataStack",
            "main-stack/IamStack",
            "main-stack/NetworkStack",
            "main-stack/ServicesStack"
        ]
    );
    assert_eq!(stacks(&folder), stacks(&main));
    assert_eq!(
        warnings.trim_end(),
        "warning: testdata/cfn-nested-pair/legacy-services-stack.yaml: at /: not loaded: no template of testdata/cfn-nested-pair nests it (an undeployed template?); give it by name to load it"
    );
    // The report says so too.
    assert_eq!(
        folder["notes"],
        serde_json::json!([
            "testdata/cfn-nested-pair/legacy-services-stack.yaml was not loaded: no template of testdata/cfn-nested-pair nests it (an undeployed template?); give it by name to load it"
        ])
    );
    assert_eq!(main["notes"], serde_json::json!([]));
    // Every template named: the nested ones load under the main stack,
    // once; the decoy named too deploys a second export of one name.
    let templates = [
        "main-stack.yaml",
        "network-stack.yaml",
        "compute-stack.yaml",
        "data-stack.yaml",
        "iam-stack.yaml",
        "services-stack.yaml",
    ]
    .map(|t| format!("{PAIR}/{t}"));
    let named: Vec<&str> = templates.iter().map(String::as_str).collect();
    let (every, warnings) = compare(&named, 1);
    assert_eq!(warnings, "");
    assert_eq!(
        divergences_found(&every, |_| true),
        divergences_found(&main, |_| true)
    );
    let decoy = format!("{PAIR}/legacy-services-stack.yaml");
    let main_stack = format!("{PAIR}/main-stack.yaml");
    let (_, err) = {
        let assert = iac_parity(&[
            "compare",
            "--terraform",
            PLAN,
            "--cloudformation",
            &main_stack,
            "--cloudformation",
            &decoy,
            "--param-file",
            PARAMETERS,
        ])
        .code(2);
        (stdout(&assert), stderr(&assert))
    };
    assert!(
        err.contains("the export name \"api-ServiceName\" is also declared at"),
        "{err}"
    );
}

/// Every finding of a hand-written template points at the line that writes
/// it: the top-level property the attribute starts with, or, when the
/// property is absent there, the resource's logical ID.
#[test]
fn findings_point_at_their_line_in_the_templates() {
    let main = format!("{PAIR}/main-stack.yaml");
    let (report, _) = compare(&[&main], 1);
    let (mut located, mut at_property) = (0, 0);
    for finding in report["findings"].as_array().unwrap() {
        let side = &finding["cloudformation"];
        if side.is_null() {
            continue;
        }
        let location = &side["location"];
        let file = location["file"].as_str().expect("a file");
        assert!(file.starts_with(PAIR), "{file}");
        assert!(location.get("construct_path").is_none());
        let text = std::fs::read_to_string(super::repo_root().join(file)).unwrap();
        let line = location["line"].as_u64().expect("a line") as usize;
        let column = location["column"].as_u64().expect("a column") as usize;
        let written = &text.lines().nth(line - 1).unwrap()[column - 1..];
        let attribute = finding["attribute"].as_str().unwrap();
        let property = attribute.split(['.', '[']).next().unwrap();
        let logical_id = side["logical_id"].as_str().unwrap();
        assert!(
            (!property.is_empty() && written.starts_with(&format!("{property}:")))
                || written.starts_with(&format!("{logical_id}:")),
            "{file}:{line}:{column} `{written}` for {logical_id} {attribute}"
        );
        located += 1;
        if !property.is_empty() && written.starts_with(&format!("{property}:")) {
            at_property += 1;
        }
    }
    assert!(located > 5, "{located}");
    // Most point at the property itself, not only at the resource.
    assert!(at_property * 2 > located, "{at_property} of {located}");
}
