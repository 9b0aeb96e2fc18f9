//! `--format github` and `--format sarif`: an annotation or a result per
//! finding, pointing at the template line of hand-written CloudFormation
//! (`testdata/cfn-nested-pair`), naming the construct path of what the CDK
//! synthesized (`testdata/ecs-fargate`), and pointing at the app's lines
//! when the cloud assembly holds creation traces.

use serde_json::Value;

use super::{expect_file, iac_parity, stdout};

const NESTED: [&str; 7] = [
    "--terraform",
    "testdata/ecs-fargate/tfplan.resolved.json",
    "--cloudformation",
    "testdata/cfn-nested-pair/main-stack.yaml",
    "--param-file",
    "testdata/cfn-nested-pair/parameters.json",
    "--format",
];

/// A cloud assembly without creation traces.
const CDK: [&str; 5] = [
    "--terraform",
    "testdata/ecs-fargate/tfplan.json",
    "--cloudformation",
    "testdata/ecs-fargate/cdk.out.no-traces",
    "--format",
];

/// With creation traces (`cdk synth --debug`), the app named by the
/// configuration.
const CDK_TRACED: [&str; 7] = [
    "--terraform",
    "testdata/ecs-fargate/tfplan.json",
    "--cloudformation",
    "testdata/ecs-fargate/cdk.out",
    "--config",
    "testdata/ecs-fargate/parity.yaml",
    "--format",
];

fn compare(inputs: &[&str], format: &str) -> String {
    let mut args = vec!["compare"];
    args.extend(inputs);
    args.push(format);
    stdout(&iac_parity(&args).code(1))
}

fn findings(inputs: &[&str]) -> Vec<Value> {
    let report: Value = serde_json::from_str(&compare(inputs, "json")).unwrap();
    report["findings"].as_array().unwrap().clone()
}

#[test]
fn github_annotations_point_at_template_lines() {
    let out = compare(&NESTED, "github");
    expect_file("testdata/cfn-nested-pair/expected/compare.github", &out);
    let findings = findings(&NESTED);
    assert_eq!(out.lines().count(), findings.len());
    for (line, finding) in out.lines().zip(&findings) {
        let location = &finding["cloudformation"]["location"];
        let expected = format!(
            "file={},line={},col={},",
            location["file"].as_str().unwrap(),
            location["line"],
            location["column"]
        );
        assert!(line.contains(&expected), "{line}");
        let level = match finding["severity"].as_str().unwrap() {
            _ if finding["status"] == "unverifiable" => "notice",
            "must-fix" => "error",
            "should-fix" => "warning",
            _ => "notice",
        };
        assert!(line.starts_with(&format!("::{level} ")), "{line}");
    }
}

#[test]
fn github_annotations_without_a_file_name_the_construct() {
    let out = compare(&CDK, "github");
    expect_file("testdata/ecs-fargate/expected/compare.github", &out);
    assert_eq!(out.lines().count(), findings(&CDK).len());
    assert!(!out.contains("file="));
    assert!(out.contains("(ApiStack/TaskDef/Resource)"));
}

fn validate(sarif: &str) -> Value {
    let schema_text =
        std::fs::read_to_string(super::repo_root().join("testdata/sarif/sarif-schema-2.1.0.json"))
            .unwrap();
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let document: Value = serde_json::from_str(sarif).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    document
}

#[test]
fn sarif_is_valid_and_locates_both_sides() {
    let out = compare(&NESTED, "sarif");
    expect_file("testdata/cfn-nested-pair/expected/compare.sarif", &out);
    let sarif = validate(&out);
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    let findings = findings(&NESTED);
    assert_eq!(results.len(), findings.len());
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for (result, finding) in results.iter().zip(&findings) {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert_eq!(
            result["ruleId"],
            format!(
                "{}/{}",
                finding["area"].as_str().unwrap(),
                finding["status"].as_str().unwrap()
            )
        );
        let locations = result["locations"].as_array().unwrap();
        let physical = &locations[0]["physicalLocation"];
        let location = &finding["cloudformation"]["location"];
        assert_eq!(physical["artifactLocation"]["uri"], location["file"]);
        assert_eq!(physical["region"]["startLine"], location["line"]);
        assert_eq!(physical["region"]["startColumn"], location["column"]);
        let names: Vec<&str> = locations
            .iter()
            .map(|l| {
                l["logicalLocations"][0]["fullyQualifiedName"]
                    .as_str()
                    .unwrap()
            })
            .collect();
        if let Some(address) = finding["terraform"]["address"].as_str() {
            assert!(names.contains(&address), "{names:?}");
        }
    }
}

#[test]
fn sarif_of_a_cdk_app_names_construct_paths() {
    let out = compare(&CDK, "sarif");
    let sarif = validate(&out);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings(&CDK).len());
    assert!(!out.contains("physicalLocation"));
    assert!(out.contains("\"fullyQualifiedName\": \"ApiStack/TaskDef/Resource\""));
}

#[test]
fn github_and_sarif_point_at_the_app_lines_of_a_traced_cdk_app() {
    // The CDK side is the one to fix: GitHub annotates its app line.
    let mut to_fix = CDK_TRACED.to_vec();
    to_fix.splice(0..0, ["--source-of-truth", "terraform"]);
    let github = compare(&to_fix, "github");
    expect_file(
        "testdata/ecs-fargate/expected/compare-app-lines.github",
        &github,
    );
    // Both sides located: the app line, and the Terraform line.
    let sarif = validate(&compare(&CDK_TRACED, "sarif"));
    let findings = findings(&CDK_TRACED);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    assert_eq!(github.lines().count(), findings.len());
    for ((result, finding), line) in results.iter().zip(&findings).zip(github.lines()) {
        let source = &finding["cloudformation"]["location"]["source"];
        let file = source["file"].as_str().unwrap();
        assert!(file.starts_with("testdata/ecs-fargate/cdk/lib/"), "{file}");
        // SARIF: the CDK side's physical location is the app line.
        let physical = result["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| &l["physicalLocation"])
            .find(|p| p["artifactLocation"]["uri"] == file)
            .unwrap_or_else(|| panic!("no location at {file}: {result}"));
        assert_eq!(physical["region"]["startLine"], source["line"]);
        assert_eq!(physical["region"]["startColumn"], source["column"]);
        // And the Terraform side's at its line of the configuration.
        let terraform = &finding["terraform"]["location"];
        let tf_file = terraform["file"].as_str().unwrap();
        assert!(
            tf_file.starts_with("testdata/ecs-fargate/terraform/"),
            "{tf_file}"
        );
        let physical = result["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| &l["physicalLocation"])
            .find(|p| p["artifactLocation"]["uri"] == tf_file)
            .unwrap_or_else(|| panic!("no location at {tf_file}: {result}"));
        assert_eq!(physical["region"]["startLine"], terraform["line"]);
        let at = format!(
            "file={file},line={},col={},",
            source["line"], source["column"]
        );
        assert!(line.contains(&at), "{line}");
    }
}

#[test]
fn an_invalid_document_fails_validation() {
    // The validation above can fail: a result without its message is refused.
    let out = compare(&NESTED, "sarif");
    let mut sarif: Value = serde_json::from_str(&out).unwrap();
    sarif["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(super::repo_root().join("testdata/sarif/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    assert!(!jsonschema::draft4::new(&schema).unwrap().is_valid(&sarif));
}
