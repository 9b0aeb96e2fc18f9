//! The gate on the ecs-fargate fixture: waivers for the intentional
//! differences of `DIVERGENCES.md` (its `parity.yaml`), their expiry and
//! staleness, baselines, JUnit XML and markdown cut to a size.

use std::path::Path;

use serde_json::Value;

use super::{expect_file, iac_parity, repo_root, stderr, stdout};

const PLAN: &str = "testdata/ecs-fargate/tfplan.json";
const DIVERGENT: &str = "testdata/ecs-fargate/cdk.out";
const IN_SYNC: &str = "testdata/ecs-fargate/cdk.out.in-sync";
const CONFIG: &str = "testdata/ecs-fargate/parity.yaml";

fn compare(cloudformation: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut args = vec![
        "compare",
        "--terraform",
        PLAN,
        "--cloudformation",
        cloudformation,
    ];
    args.extend_from_slice(extra);
    iac_parity(&args)
}

fn json(assert: &assert_cmd::assert::Assert) -> Value {
    serde_json::from_str(&stdout(assert)).unwrap()
}

/// `(attribute, status)` of each entry of a list of findings.
fn attributes(list: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["attribute"].as_str().unwrap().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The four intentional differences of the infra-sync table, one waiver
/// each in the fixture's parity.yaml: circuit breaker only in CDK (a
/// JSONPath), HOME=/tmp only in CDK (an attribute), the DocumentDB
/// credentials CDK passes and Terraform gates (an attribute glob), the
/// Keycloak URL fallback (a JSONPath with filters; the URL is built from a
/// DNS name known only at deploy, but its scheme already differs). Each
/// selects its findings and nothing else; the seeded divergences still
/// fail.
#[test]
fn each_intentional_difference_of_the_skill_is_waived() {
    let report = json(&compare(DIVERGENT, &["--config", CONFIG, "--format", "json"]).code(1));
    let waived: Vec<(String, u64)> = {
        let mut v: Vec<(String, u64)> = report["intentional"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["attribute"].as_str().unwrap().to_owned(),
                    f["waiver"].as_u64().unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        waived,
        vec![
            ("ContainerDefinitions[api].Environment[HOME]".to_owned(), 1),
            (
                "ContainerDefinitions[api].Environment[KEYCLOAK_URL]".to_owned(),
                3
            ),
            (
                "ContainerDefinitions[api].Secrets[DOCUMENTDB_PASSWORD]".to_owned(),
                2
            ),
            (
                "ContainerDefinitions[api].Secrets[DOCUMENTDB_USERNAME]".to_owned(),
                2
            ),
            (
                "DeploymentConfiguration.DeploymentCircuitBreaker".to_owned(),
                0
            ),
        ]
    );
    for waiver in report["waivers"].as_array().unwrap() {
        assert_eq!(waiver["stale"], false, "{waiver}");
        assert_eq!(waiver["expired"], false, "{waiver}");
    }
    assert!(
        report["intentional"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("storage_backend")
            || report["intentional"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["reason"].as_str().unwrap().contains("storage_backend"))
    );
    // What is left is the seeded divergences that are not intentional.
    let left: Vec<(String, String)> = attributes(&report["findings"])
        .into_iter()
        .filter(|(_, status)| status != "unverifiable")
        .collect();
    assert_eq!(
        left,
        vec![
            (
                "ContainerDefinitions[api].Environment[FEATURE_SEARCH]".to_owned(),
                "only-in-terraform".to_owned()
            ),
            (
                "ContainerDefinitions[api].Environment[LOG_LEVEL]".to_owned(),
                "differs".to_owned()
            ),
            (
                "ContainerDefinitions[api].Secrets[DB_USERNAME].ValueFrom".to_owned(),
                "differs".to_owned()
            ),
            ("HealthCheckPath".to_owned(), "differs".to_owned()),
            ("PosixUser.Uid".to_owned(), "differs".to_owned()),
        ]
    );
    let ecs = report["summary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["area"] == "ecs")
        .unwrap();
    assert_eq!(
        (ecs["discrepancies"].as_u64(), ecs["waived"].as_u64()),
        (Some(0), Some(1))
    );
}

/// Waived findings are listed under "Intentional differences" with their
/// reason in every format.
#[test]
fn intentional_differences_in_text_and_markdown() {
    let text = stdout(&compare(DIVERGENT, &["--config", CONFIG]).code(1));
    expect_file("testdata/ecs-fargate/expected/compare-waived.txt", &text);
    let markdown =
        stdout(&compare(DIVERGENT, &["--config", CONFIG, "--format", "markdown"]).code(1));
    expect_file("testdata/ecs-fargate/expected/compare-waived.md", &markdown);
    assert!(
        markdown.contains("\n### Intentional differences\n"),
        "{markdown}"
    );
    assert!(text.contains("\nINTENTIONAL DIFFERENCES\n"), "{text}");
    let junit = stdout(&compare(DIVERGENT, &["--config", CONFIG, "--format", "junit"]).code(1));
    assert!(
        junit.contains("intentional (HOME=/tmp on the CDK container"),
        "{junit}"
    );
}

/// Only the waived findings remain between the gate and exit 0: with the
/// seeded divergences that are not intentional waived too, it passes.
#[test]
fn waived_findings_do_not_fail_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(repo_root().join(CONFIG)).unwrap();
    let config = write(
        &dir,
        "parity.yaml",
        &format!(
            "{base}  - area: env\n    attribute: ContainerDefinitions[api].Environment[*]\n    reason: the seeded env divergences\n"
        ),
    );
    compare(DIVERGENT, &["--config", &config, "--area", "env"]).code(0);
    compare(DIVERGENT, &["--config", CONFIG, "--area", "env"]).code(1);
}

fn one_waiver(dir: &tempfile::TempDir, expires: &str) -> String {
    write(
        dir,
        "parity.yaml",
        &format!(
            "waivers:\n  - attribute: ContainerDefinitions[api].Environment[HOME]\n    kind: only-in-cdk\n    reason: HOME=/tmp on purpose\n    expires: {expires}\n"
        ),
    )
}

/// A waiver waives through its expiry date and not a day longer (the
/// report date is 2026-09-21); expired, it says so and its finding counts
/// again.
#[test]
fn an_expired_waiver_stops_waiving_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let home = (
        "ContainerDefinitions[api].Environment[HOME]".to_owned(),
        "only-in-cdk".to_owned(),
    );

    let config = one_waiver(&dir, "2026-09-21");
    let report = json(&compare(DIVERGENT, &["--config", &config, "--format", "json"]).code(1));
    assert_eq!(attributes(&report["intentional"]), vec![home.clone()]);
    assert_eq!(report["waivers"][0]["expired"], false);

    let config = one_waiver(&dir, "2026-09-20");
    let report = json(&compare(DIVERGENT, &["--config", &config, "--format", "json"]).code(1));
    assert_eq!(report["intentional"], serde_json::json!([]));
    assert!(attributes(&report["findings"]).contains(&home));
    assert_eq!(report["waivers"][0]["expired"], true);
    assert_eq!(report["waivers"][0]["matched"], 1);
    let text = stdout(&compare(DIVERGENT, &["--config", &config]).code(1));
    assert!(
        text.contains("- waivers[0] (HOME=/tmp on purpose) expired on 2026-09-20: the 1 finding it selects counts again"),
        "{text}"
    );
    // Only HOME in the env area, so that the expiry alone decides.
    let config = write(
        &dir,
        "parity.yaml",
        "waivers:\n  - attribute: ContainerDefinitions[api].Environment[*]\n    reason: env on purpose\n    expires: 2026-09-20\n",
    );
    compare(DIVERGENT, &["--config", &config, "--area", "env"]).code(1);
    let config = write(
        &dir,
        "parity.yaml",
        "waivers:\n  - attribute: ContainerDefinitions[api].Environment[*]\n    reason: env on purpose\n    expires: 2026-09-21\n",
    );
    compare(DIVERGENT, &["--config", &config, "--area", "env"]).code(0);
}

/// A waiver that selects nothing is reported as stale, and fails the gate
/// with --strict (or `compare.strict`).
#[test]
fn a_stale_waiver_is_reported_and_fails_with_strict() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        &dir,
        "parity.yaml",
        "waivers:\n  - attribute: ContainerDefinitions[api].Environment[HOME]\n    reason: HOME=/tmp on purpose\n",
    );
    // The in-sync variant has no HOME: the waiver is stale.
    let assert = compare(IN_SYNC, &["--config", &config, "--area", "env"]).code(0);
    assert!(
        stdout(&assert).contains("- waivers[0] (HOME=/tmp on purpose) is stale: it selects nothing (remove it, or fix what it selects)"),
        "{}",
        stdout(&assert)
    );
    compare(IN_SYNC, &["--config", &config, "--area", "env", "--strict"]).code(1);
    let report = json(&compare(IN_SYNC, &["--config", &config, "--format", "json"]).code(0));
    assert_eq!(report["waivers"][0]["stale"], true);
    let strict = write(
        &dir,
        "strict.yaml",
        "compare:\n  strict: true\nwaivers:\n  - attribute: ContainerDefinitions[api].Environment[HOME]\n    reason: HOME=/tmp on purpose\n",
    );
    compare(IN_SYNC, &["--config", &strict, "--area", "env"]).code(1);
    // Against the divergent variant it selects HOME: not stale.
    compare(
        DIVERGENT,
        &[
            "--config",
            &strict,
            "--area",
            "secrets",
            "--fail-on",
            "should",
        ],
    )
    .code(1);
}

#[test]
fn a_bad_waiver_is_one_line_naming_file_and_place() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        &dir,
        "parity.yaml",
        "waivers:\n  - path: '$.[oops'\n    reason: r\n",
    );
    let assert = compare(DIVERGENT, &["--config", &config]).code(2);
    let err = stderr(&assert);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!("error: {config}: waivers[0].path: not a JSONPath")),
        "{err}"
    );
    assert_eq!(stdout(&assert), "");
}

// --- Baseline -------------------------------------------------------------

fn baseline(dir: &tempfile::TempDir, cloudformation: &str, extra: &[&str]) -> String {
    let path = dir.path().join("baseline.json");
    let path = path.to_str().unwrap().to_owned();
    let mut args = vec![
        "baseline",
        "--terraform",
        PLAN,
        "--cloudformation",
        cloudformation,
        "--output",
        &path,
    ];
    args.extend_from_slice(extra);
    let assert = iac_parity(&args).code(0);
    assert_eq!(stdout(&assert), "");
    path
}

/// With a baseline only findings not in it fail; the identity of a finding
/// is its pair, attribute and kind, not its place in the report.
#[test]
fn a_baseline_fails_only_on_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let path = baseline(&dir, DIVERGENT, &[]);
    // The same findings: nothing new.
    let report = json(&compare(DIVERGENT, &["--baseline", &path, "--format", "json"]).code(0));
    assert_eq!(report["baseline"]["new"], 0);
    assert_eq!(report["baseline"]["fixed"], serde_json::json!([]));
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["new"] == false)
    );

    // Reordered, the baseline still knows every finding.
    let mut reordered: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    reordered["findings"].as_array_mut().unwrap().reverse();
    std::fs::write(&path, serde_json::to_string_pretty(&reordered).unwrap()).unwrap();
    compare(DIVERGENT, &["--baseline", &path]).code(0);

    // A baseline of the env area only: the other seeded divergences are new.
    let path = baseline(&dir, DIVERGENT, &["--area", "env"]);
    let report = json(&compare(DIVERGENT, &["--baseline", &path, "--format", "json"]).code(1));
    let new: Vec<(String, String)> = attributes(&Value::Array(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["new"] == true && f["status"] != "unverifiable")
            .cloned()
            .collect(),
    ));
    assert!(
        new.iter().all(|(a, _)| !a.contains(".Environment[")),
        "{new:?}"
    );
    assert!(new.contains(&("PosixUser.Uid".to_owned(), "differs".to_owned())));
    compare(DIVERGENT, &["--baseline", &path, "--area", "env"]).code(0);
}

/// Findings of the baseline that are gone are reported as fixed.
#[test]
fn a_baseline_reports_what_was_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let path = baseline(&dir, DIVERGENT, &[]);
    let report = json(&compare(IN_SYNC, &["--baseline", &path, "--format", "json"]).code(0));
    let fixed: Vec<(String, String)> = attributes(&report["baseline"]["fixed"])
        .into_iter()
        .filter(|(_, status)| status != "unverifiable")
        .collect();
    let seeded = attributes(&json(&compare(DIVERGENT, &["--format", "json"]).code(1))["findings"])
        .into_iter()
        .filter(|(_, status)| status != "unverifiable")
        .collect::<Vec<_>>();
    assert_eq!(fixed, seeded);
    let text = stdout(&compare(IN_SYNC, &["--baseline", &path]).code(0));
    assert!(text.contains("\nBASELINE\n"), "{text}");
    assert!(
        text.contains("0 new discrepancies, 0 already in it, "),
        "{text}"
    );
    assert!(text.contains("PosixUser.Uid"), "{text}");
    // The other way round every finding is new.
    let path = baseline(&dir, IN_SYNC, &[]);
    let report = json(&compare(DIVERGENT, &["--baseline", &path, "--format", "json"]).code(1));
    assert_eq!(report["baseline"]["known"], 0);
    assert_eq!(
        report["baseline"]["new"].as_u64(),
        Some(seeded.len() as u64)
    );
}

/// What identifies a finding has not changed since the first version of
/// the report: a baseline kept from then still works.
#[test]
fn a_baseline_of_the_first_report_version_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = baseline(&dir, DIVERGENT, &[]);
    let text = std::fs::read_to_string(&path).unwrap();
    let current = format!("\"schema_version\": {}", parity_report::SCHEMA_VERSION);
    assert!(text.contains(&current), "{text}");
    std::fs::write(&path, text.replacen(&current, "\"schema_version\": 1", 1)).unwrap();
    let report = json(&compare(DIVERGENT, &["--baseline", &path, "--format", "json"]).code(0));
    assert_eq!(report["baseline"]["new"], 0);
}

#[test]
fn a_malformed_baseline_is_one_line_naming_file_and_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = baseline(&dir, DIVERGENT, &[]);
    let text = std::fs::read_to_string(&path).unwrap();
    let check = |content: &str, expected: &str| {
        std::fs::write(&path, content).unwrap();
        let assert = compare(DIVERGENT, &["--baseline", &path]).code(2);
        let err = stderr(&assert);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(err.trim_end(), format!("error: {path}{expected}"));
    };
    check(
        &text[..200],
        ":8:4: malformed JSON: EOF while parsing a value",
    );
    check(
        &text.replacen(
            "\"status\": \"only-in-terraform\"",
            "\"status\": \"gone\"",
            1,
        ),
        ": at /findings/0/status: unknown status \"gone\"",
    );
    check(
        &text.replacen("\"schema_version\": 2", "\"schema_version\": 9", 1),
        ": at /schema_version: schema version 9; this iac-parity reads versions 1 to 2",
    );
    check(
        "[]",
        ": at /: not an iac-parity JSON report: expected an object",
    );
}

/// A baseline that names a key twice is refused naming the key and both
/// places: read the usual way the last one would win, and a finding the
/// report calls new could be recorded as known.
#[test]
fn a_baseline_naming_a_key_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = baseline(&dir, DIVERGENT, &[]);
    let text = std::fs::read_to_string(&path).unwrap();
    let once = "\"status\": \"only-in-terraform\",";
    let at = text.find(once).expect("a finding only in Terraform");
    let twice = text.replacen(once, &format!("{once} \"status\": \"differs\","), 1);
    std::fs::write(&path, &twice).unwrap();
    let line = text[..at].lines().count();
    let first_column = at - text[..at].rfind('\n').unwrap();
    let second_column = first_column + once.len() + 1;
    let assert = compare(DIVERGENT, &["--baseline", &path]).code(2);
    let err = stderr(&assert);
    assert_eq!(stdout(&assert), "");
    assert_eq!(
        err.trim_end(),
        format!(
            "error: {path}:{line}:{second_column}: the key \"status\" twice in /findings/0, first at line {line}, column {first_column}"
        )
    );
}

/// The findings as waivers to start from: valid configuration that waives
/// every discrepancy, each reason "to review", no value written.
#[test]
fn baseline_writes_waivers_to_review() {
    let dir = tempfile::tempdir().unwrap();
    let path = baseline(&dir, DIVERGENT, &["--waivers"]);
    let yaml = std::fs::read_to_string(&path).unwrap();
    assert!(yaml.contains("    reason: \"to review\"\n"), "{yaml}");
    assert!(
        !yaml.contains("/healthz") && !yaml.contains("debug"),
        "{yaml}"
    );
    let report = json(
        &compare(
            DIVERGENT,
            &["--config", &path, "--format", "json", "--strict"],
        )
        .code(0),
    );
    assert_eq!(
        report["intentional"].as_array().unwrap().len(),
        report["waivers"].as_array().unwrap().len()
    );
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["status"] == "unverifiable")
    );
    // In sync, nothing to waive: still a valid configuration.
    let path = baseline(&dir, IN_SYNC, &["--waivers", "--area", "env"]);
    compare(IN_SYNC, &["--config", &path, "--area", "env"]).code(0);
}

// --- JUnit and cut markdown ----------------------------------------------------

/// An element of the parsed XML: name, attributes, text, children.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn attribute(&self, name: &str) -> &str {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("<{}> has no {name}", self.name))
    }

    fn all(&self, name: &str) -> Vec<&Element> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
}

/// Parses XML with quick-xml, failing on anything not well formed.
fn parse_xml(xml: &str) -> Element {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let element = |e: &quick_xml::events::BytesStart<'_>| Element {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attributes: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        ..Element::default()
    };
    let mut stack = vec![Element::default()];
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let child = element(&e);
                stack.last_mut().unwrap().children.push(child);
            }
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(t) => stack
                .last_mut()
                .unwrap()
                .text
                .push_str(&t.xml10_content().unwrap()),
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap().into_owned();
                let c = match name.as_str() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("unexpected entity &{other};"),
                };
                stack.last_mut().unwrap().text.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.pop().unwrap()
}

/// JUnit XML: a suite per area, a case per pair, a failure for each case
/// with discrepancies, counts that add up.
#[test]
fn junit_is_valid_xml_with_a_failure_per_divergent_pair() {
    let xml = stdout(&compare(DIVERGENT, &["--format", "junit"]).code(1));
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let root = parse_xml(&xml);
    assert_eq!(root.name, "testsuites");
    let suites = root.all("testsuite");
    let names: Vec<&str> = suites.iter().map(|s| s.attribute("name")).collect();
    assert_eq!(
        names,
        vec![
            "Environment variables",
            "Secrets",
            "EFS",
            "Load balancing",
            "IAM",
            "ECS services",
            "Networking",
            "Other resources"
        ]
    );
    let mut failed: Vec<(String, String, usize)> = Vec::new();
    let mut tests = 0;
    for suite in &suites {
        let cases = suite.all("testcase");
        assert_eq!(suite.attribute("tests"), cases.len().to_string());
        tests += cases.len();
        for case in cases {
            if let Some(failure) = case.all("failure").first() {
                failed.push((
                    suite.attribute("name").to_owned(),
                    case.attribute("name").to_owned(),
                    failure.text.lines().count(),
                ));
            }
        }
        let failures = suite
            .all("testcase")
            .iter()
            .filter(|c| !c.all("failure").is_empty())
            .count();
        assert_eq!(suite.attribute("failures"), failures.to_string());
    }
    assert_eq!(root.attribute("tests"), tests.to_string());
    assert_eq!(root.attribute("failures"), failed.len().to_string());
    let pair = "aws_ecs_task_definition.api ↔ ApiStack/TaskDef54694570";
    assert_eq!(
        failed,
        vec![
            ("Environment variables".to_owned(), pair.to_owned(), 4),
            ("Secrets".to_owned(), pair.to_owned(), 3),
            (
                "EFS".to_owned(),
                "aws_efs_access_point.data ↔ ApiStack/FileSystemAccessPointF8178182".to_owned(),
                1
            ),
            (
                "Load balancing".to_owned(),
                "aws_lb_target_group.api ↔ ApiStack/TargetGroup3D7CD9B8".to_owned(),
                1
            ),
            (
                "ECS services".to_owned(),
                "aws_ecs_service.api ↔ ApiStack/ServiceD69D759B".to_owned(),
                1
            ),
        ]
    );
    // Every pair has its test case; in sync, nothing fails.
    let in_sync = parse_xml(&stdout(&compare(IN_SYNC, &["--format", "junit"]).code(0)));
    assert_eq!(in_sync.attribute("failures"), "0");
    let cases: Vec<String> = in_sync
        .all("testsuite")
        .iter()
        .flat_map(|s| s.all("testcase"))
        .map(|c| c.attribute("name").to_owned())
        .collect();
    let report = json(&compare(IN_SYNC, &["--format", "json"]).code(0));
    for pair in report["pairs"].as_array().unwrap() {
        let name = format!(
            "{} ↔ {}/{}",
            pair["terraform"]["address"].as_str().unwrap(),
            pair["cloudformation"]["stack"].as_str().unwrap(),
            pair["cloudformation"]["logical_id"].as_str().unwrap()
        );
        assert!(cases.contains(&name), "no test case for {name}: {cases:?}");
    }
}

/// Under a small --max-bytes the markdown keeps its header, summary and
/// must-fix findings, and says what was cut.
#[test]
fn markdown_cut_to_max_bytes_keeps_the_summary_and_says_what_was_cut() {
    let full = stdout(&compare(DIVERGENT, &["--format", "markdown"]).code(1));
    assert!(full.len() > 6000, "{}", full.len());
    // Large enough: nothing cut.
    let same = stdout(
        &compare(
            DIVERGENT,
            &["--format", "markdown", "--max-bytes", "1000000"],
        )
        .code(1),
    );
    assert_eq!(same, full);
    for max in [4000usize, 6000] {
        let cut = stdout(
            &compare(
                DIVERGENT,
                &["--format", "markdown", "--max-bytes", &max.to_string()],
            )
            .code(1),
        );
        assert!(cut.len() <= max, "{max}: {} bytes", cut.len());
        assert!(
            cut.starts_with("## Infrastructure Parity Report\n"),
            "{cut}"
        );
        let summary = cut.find("\n### Summary\n").unwrap();
        let must_fix = cut.find("\n### Must fix\n").unwrap();
        assert!(summary < must_fix, "{cut}");
        for attribute in [
            "ContainerDefinitions[api].Environment[FEATURE_SEARCH]",
            "ContainerDefinitions[api].Secrets[DOCUMENTDB_PASSWORD]",
            "PosixUser.Uid",
        ] {
            assert!(cut.contains(attribute), "{max}: {attribute} cut:\n{cut}");
        }
        assert!(
            cut.contains(&format!("> **Cut to fit {max} bytes.** Left out: ")),
            "{cut}"
        );
        assert!(cut.contains("Unverifiable values"), "{cut}");
        assert!(cut.ends_with("**\n"), "{cut}");
        assert!(cut.contains("\n**Diverged: "), "{cut}");
    }
    expect_file(
        "testdata/ecs-fargate/expected/compare-4000-bytes.md",
        &stdout(&compare(DIVERGENT, &["--format", "markdown", "--max-bytes", "4000"]).code(1)),
    );
    let assert = compare(DIVERGENT, &["--format", "markdown", "--max-bytes", "300"]).code(2);
    let err = stderr(&assert);
    assert!(
        err.starts_with(
            "error: --max-bytes 300: too small for the report's header, summary and verdict ("
        ),
        "{err}"
    );
    let assert = compare(DIVERGENT, &["--max-bytes", "4000"]).code(2);
    assert_eq!(
        stderr(&assert),
        "error: --max-bytes applies to --format markdown only\n"
    );
}

/// The example configuration of a fixture names folders that exist.
#[test]
fn the_fixture_configuration_names_its_sources() {
    let text = std::fs::read_to_string(repo_root().join(CONFIG)).unwrap();
    for folder in ["terraform", "cdk"] {
        assert!(text.contains(&format!(
            "  {}: {folder}\n",
            if folder == "cdk" { "app" } else { "root" }
        )));
        assert!(Path::new(&repo_root().join("testdata/ecs-fargate").join(folder)).is_dir());
    }
}
