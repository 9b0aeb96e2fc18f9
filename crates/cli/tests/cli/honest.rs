//! A report that does not pretend, on the real pairs of
//! `testdata/real-pairs/` (plain and resolved plans against their
//! `cdk.out`): a resource without a twin is one finding in every format, and
//! no area reads "in sync" when part of it was not compared.

use serde_json::Value;

use super::fresh::area;
use super::{iac_parity, repo_root, stdout};

/// Every real pair: (the plan, the cdk.out), plain and resolved.
fn real_pairs() -> Vec<(String, String)> {
    let root = repo_root().join("testdata/real-pairs");
    let mut out = Vec::new();
    for project in std::fs::read_dir(&root).unwrap() {
        let project = project.unwrap().path();
        if !project.is_dir() {
            continue;
        }
        for pair in std::fs::read_dir(&project).unwrap() {
            let pair = pair.unwrap().path();
            if !pair.join("EXPECTED_PAIRS.yaml").exists() {
                continue;
            }
            let relative = pair
                .strip_prefix(repo_root())
                .unwrap()
                .display()
                .to_string();
            for plan in ["tfplan.json", "tfplan.resolved.json"] {
                if pair.join(plan).exists() {
                    out.push((format!("{relative}/{plan}"), format!("{relative}/cdk.out")));
                }
            }
        }
    }
    out.sort();
    assert!(out.len() >= 6, "{out:?}");
    out
}

fn compare(plan: &str, cdk_out: &str, format: &str) -> String {
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        plan,
        "--cloudformation",
        cdk_out,
        "--format",
        format,
    ]);
    assert!(
        matches!(assert.get_output().status.code(), Some(0 | 1)),
        "{plan}: {:?}",
        assert.get_output()
    );
    stdout(&assert)
}

/// The JSON report of a real pair's resolved plan against its `cdk.out`
/// (`pair`: the folder under `testdata/real-pairs/`).
fn resolved_report(pair: &str) -> Value {
    let dir = format!("testdata/real-pairs/{pair}");
    let report = compare(
        &format!("{dir}/tfplan.resolved.json"),
        &format!("{dir}/cdk.out"),
        "json",
    );
    serde_json::from_str(&report).unwrap()
}

/// The resources on one side only, as `side resource`, from the JSON
/// report's `unpaired[]`.
fn one_sided(report: &Value) -> Vec<String> {
    report["unpaired"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| match r["address"].as_str() {
            Some(address) => format!("Terraform {address}"),
            None => format!(
                "CDK {}/{}",
                r["stack"].as_str().unwrap(),
                r["logical_id"].as_str().unwrap()
            ),
        })
        .collect()
}

#[test]
fn a_resource_without_a_twin_is_one_finding_in_every_format() {
    for (plan, cdk_out) in real_pairs() {
        let report: Value = serde_json::from_str(&compare(&plan, &cdk_out, "json")).unwrap();
        let alone = one_sided(&report);
        // JSON: one finding, with no attribute, per resource without a twin,
        // and no finding about any attribute of it.
        for side in &alone {
            let (label, resource) = side.split_once(' ').unwrap();
            let about = |f: &&Value| match label {
                "Terraform" => f["terraform"]["address"] == resource,
                _ => {
                    let (stack, id) = resource.split_once('/').unwrap();
                    f["cloudformation"]["stack"] == stack && f["cloudformation"]["logical_id"] == id
                }
            };
            let findings: Vec<&Value> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(about)
                .collect();
            assert_eq!(findings.len(), 1, "{plan}: {side}: {findings:#?}");
            assert_eq!(findings[0]["attribute"], "", "{plan}: {side}");
        }
        // Text and markdown: one row in the table of resources on one side,
        // one line among the recommendations.
        let text = compare(&plan, &cdk_out, "text");
        let markdown = compare(&plan, &cdk_out, "markdown");
        for side in &alone {
            let (label, resource) = side.split_once(' ').unwrap();
            let text_rows = text
                .lines()
                .filter(|l| l.trim_start().starts_with(&format!("{label} ")))
                .filter(|l| l.contains(&format!(" {resource} ")))
                .count();
            assert_eq!(text_rows, 1, "{plan}: {side}");
            let markdown_rows = markdown
                .lines()
                .filter(|l| l.starts_with(&format!("| `{label}` |")))
                .filter(|l| l.contains(&format!("`{resource}`")))
                .count();
            assert_eq!(markdown_rows, 1, "{plan}: {side}");
            let recommended = text
                .lines()
                .filter(|l| {
                    l.trim_start()
                        .starts_with(&format!("- {resource} is only in"))
                })
                .count();
            assert_eq!(recommended, 1, "{plan}: {side}");
        }
        // JUnit: one test case per resource without a twin, with one failure.
        let junit = compare(&plan, &cdk_out, "junit");
        for side in &alone {
            let resource = side
                .split_once(' ')
                .unwrap()
                .1
                .replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            let cases: Vec<&str> = junit
                .split("<testcase ")
                .skip(1)
                .filter(|c| c.contains(&format!("name=\"{resource} (only in ")))
                .collect();
            assert_eq!(cases.len(), 1, "{plan}: {side}");
            assert_eq!(cases[0].matches("<failure ").count(), 1, "{plan}: {side}");
        }
        // The summary counts each of them once.
        let counted: u64 = report["summary"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                a["coverage"]["resources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| {
                        r["only_in_terraform"].as_u64().unwrap()
                            + r["only_in_cdk"].as_u64().unwrap()
                    })
                    .sum::<u64>()
            })
            .sum();
        assert_eq!(counted, alone.len() as u64, "{plan}");
    }
}

#[test]
fn no_area_is_in_sync_when_part_of_it_was_not_compared() {
    for (plan, cdk_out) in real_pairs() {
        let report: Value = serde_json::from_str(&compare(&plan, &cdk_out, "json")).unwrap();
        let text = compare(&plan, &cdk_out, "text");
        let markdown = compare(&plan, &cdk_out, "markdown");
        for area in report["summary"].as_array().unwrap() {
            let coverage = &area["coverage"];
            let parts = coverage["parts"].as_array().unwrap();
            let resources = coverage["resources"].as_array().unwrap();
            let count = |v: &Value| v.as_u64().unwrap();
            let not_compared: u64 = parts
                .iter()
                .map(|p| {
                    let n = &p["not_compared"];
                    count(&n["without_twin"]) + count(&n["one_sided"]) + count(&n["unknown"])
                })
                .chain(
                    resources
                        .iter()
                        .map(|r| count(&r["only_in_terraform"]) + count(&r["only_in_cdk"])),
                )
                .sum();
            let compared: u64 = parts
                .iter()
                .map(|p| count(&p["compared"]))
                .chain(resources.iter().map(|r| count(&r["paired"])))
                .sum();
            let status = area["status"].as_str().unwrap();
            if not_compared > 0 {
                assert!(
                    matches!(status, "partial" | "not-compared" | "diverged"),
                    "{plan}: {area}"
                );
            }
            if compared == 0 && not_compared > 0 && status != "diverged" {
                assert_eq!(status, "not-compared", "{plan}: {area}");
            }
            // Every format says the same, in the same words: one phrase
            // per kind of resource or item, with its counts.
            let phrases: Vec<&str> = coverage["text"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect();
            assert_eq!(
                phrases.len(),
                resources.len() + parts.len(),
                "{plan}: {area}"
            );
            for (phrase, r) in phrases.iter().zip(resources) {
                let total =
                    count(&r["paired"]) + count(&r["only_in_terraform"]) + count(&r["only_in_cdk"]);
                let expected = format!(
                    "{} compared {}/{total}",
                    r["words"].as_str().unwrap(),
                    r["paired"]
                );
                assert!(phrase.starts_with(&expected), "{plan}: {phrase}");
            }
            for (phrase, p) in phrases.iter().skip(resources.len()).zip(parts) {
                assert!(
                    phrase.starts_with(&format!("{} compared ", p["words"].as_str().unwrap())),
                    "{plan}: {phrase}"
                );
            }
            let label = match status {
                "in-sync" => "In sync",
                "unverifiable" => "Unverifiable",
                "partial" => "Partial",
                "not-compared" => "Not compared",
                _ => "Diverged",
            };
            let title = area_title(area["area"].as_str().unwrap());
            let row = text
                .lines()
                .find(|l| l.starts_with(&format!(" {title} ")))
                .unwrap_or_else(|| panic!("{plan}: {title}"));
            assert!(row.contains(&format!("| {label} ")), "{plan}: {row}");
            assert!(row.contains(&phrases.join("; ")), "{plan}: {row}");
            let row = markdown
                .lines()
                .find(|l| l.starts_with(&format!("| `{title}` |")))
                .unwrap_or_else(|| panic!("{plan}: {title}"));
            assert!(row.contains(&format!("| `{label}` |")), "{plan}: {row}");
            assert!(row.contains(&phrases.join("; ")), "{plan}: {row}");
        }
    }
}

/// The summary's title of an area.
fn area_title(area: &str) -> &'static str {
    match area {
        "env" => "Environment variables",
        "secrets" => "Secrets",
        "efs" => "EFS",
        "alb" => "Load balancing",
        "iam" => "IAM",
        "ecs" => "ECS services",
        "networking" => "Networking",
        _ => "Other resources",
    }
}

/// spring-petclinic's plain plan knows most of its container definitions
/// only after apply: the environment of those containers was not
/// compared, and the report says so in the words of the area, never
/// "In sync"; its resolved plan compares them all.
///
/// The counts, from the two apps' sources: each side runs 11 services of
/// one container each. The 8 Spring services (`profile = true` in
/// `terraform/main.tf`) take a secret's `valueFrom` from an SSM parameter's
/// ARN, so their `container_definitions` are unknown in the plain plan: 8
/// containers not known before deploy. The other 3 are known on both sides
/// and named differently (`tracing-server`/`zipkin`, `grafana-server`/
/// `grafana`, `prometheus-server`/`prometheus`): each its task's only
/// container, compared with its twin all the same, its name one of the
/// differences. 3 of 11 compared, and diverged: each app sets
/// `SERVICE_NAME` to its own service name (`grafana-server`, `grafana`).
#[test]
fn containers_unknown_in_a_fresh_plan_leave_the_environment_not_compared() {
    let cdk_out = "testdata/real-pairs/spring-petclinic/services/cdk.out";
    let plain = "testdata/real-pairs/spring-petclinic/services/tfplan.json";
    let report: Value = serde_json::from_str(&compare(plain, cdk_out, "json")).unwrap();
    let env = area(&report, "env");
    assert_eq!(env["status"], "diverged", "{env}");
    assert_eq!(
        env["coverage"]["text"],
        serde_json::json!(["containers compared 3/11 (8 not known before deploy)"])
    );
    let text = compare(plain, cdk_out, "text");
    let row = text
        .lines()
        .find(|l| l.starts_with(" Environment variables "))
        .unwrap();
    assert!(!row.contains("In sync"), "{row}");

    let resolved = "testdata/real-pairs/spring-petclinic/services/tfplan.resolved.json";
    let report: Value = serde_json::from_str(&compare(resolved, cdk_out, "json")).unwrap();
    let env = area(&report, "env");
    let phrase = env["coverage"]["text"][0].as_str().unwrap();
    assert!(phrase.starts_with("containers compared "), "{phrase}");
    assert!(!phrase.starts_with("containers compared 0/"), "{phrase}");
}

/// A plan of one real project against the CDK output of another: never a
/// divergent report made of the few generic pieces any two such projects
/// share (a VPC, a load balancer, a listener on port 80), but exit 2 and
/// one line saying the inputs do not look like twins and what to do. Every
/// real pair itself gives a report (`compare` above checks its exit code).
#[test]
fn real_projects_that_are_not_twins_are_trouble() {
    let pairs = real_pairs();
    let plans: Vec<&String> = pairs
        .iter()
        .map(|(plan, _)| plan)
        .filter(|p| p.ends_with("/tfplan.json"))
        .collect();
    let mut outputs: Vec<&String> = pairs.iter().map(|(_, cdk_out)| cdk_out).collect();
    outputs.dedup();
    let mut crossed = 0;
    for plan in &plans {
        for cdk_out in &outputs {
            if plan.rsplit_once('/').unwrap().0 == cdk_out.rsplit_once('/').unwrap().0 {
                continue;
            }
            let assert = iac_parity(&[
                "compare",
                "--terraform",
                plan,
                "--cloudformation",
                cdk_out,
                "--format",
                "json",
            ])
            .code(2);
            assert_eq!(stdout(&assert), "", "{plan} x {cdk_out}");
            let err = super::stderr(&assert);
            assert_eq!(err.lines().count(), 1, "{plan} x {cdk_out}: {err}");
            assert!(
                err.starts_with("error: the inputs do not look like twins: ")
                    || err.starts_with(
                        "error: the inputs do not look like the same infrastructure: none of"
                    ),
                "{plan} x {cdk_out}: {err}"
            );
            crossed += 1;
        }
    }
    assert_eq!(crossed, plans.len() * (outputs.len() - 1));
}

/// Names the CDK generates when the app gives none (a task definition's
/// family made from the construct path, a role without a `RoleName`)
/// against names Terraform chose are intentional differences, with the
/// reason `comparison.yaml` gives; a name the CDK app chose that differs
/// stays a divergence.
#[test]
fn names_the_cdk_generates_are_intentional_differences() {
    let cases = [
        (
            "testdata/real-pairs/spring-petclinic/services",
            "AWS::ECS::TaskDefinition",
            "Family",
            "differs",
            11,
        ),
        (
            "testdata/real-pairs/spring-petclinic/services",
            "AWS::ApplicationAutoScaling::ScalingPolicy",
            "PolicyName",
            "differs",
            22,
        ),
        (
            "testdata/real-pairs/retail-store-sample-app/ecs",
            "AWS::IAM::Role",
            "RoleName",
            "only-in-terraform",
            10,
        ),
    ];
    for (pair, resource_type, attribute, status, count) in cases {
        for plan in ["tfplan.json", "tfplan.resolved.json"] {
            let plan = format!("{pair}/{plan}");
            let report: Value =
                serde_json::from_str(&compare(&plan, &format!("{pair}/cdk.out"), "json")).unwrap();
            let of =
                |f: &&Value| f["resource_type"] == resource_type && f["attribute"] == attribute;
            let intentional: Vec<&Value> = report["intentional"]
                .as_array()
                .unwrap()
                .iter()
                .filter(of)
                .collect();
            assert_eq!(
                intentional.len(),
                count,
                "{plan}: {resource_type} {attribute}"
            );
            for f in &intentional {
                assert_eq!(f["status"], status, "{plan}: {f:#}");
                assert_eq!(
                    f["reason"],
                    "the CDK generates this name when the app gives none; Terraform's is chosen"
                );
            }
            assert_eq!(
                each_finding(&report).iter().filter(of).count(),
                0,
                "{plan}: {resource_type} {attribute}"
            );
        }
    }
    // spring-petclinic's CDK app names its services itself
    // (`petclinic-admin`, Terraform `petclinic-admin-server`): divergences.
    let pair = "testdata/real-pairs/spring-petclinic/services";
    let report: Value = serde_json::from_str(&compare(
        &format!("{pair}/tfplan.resolved.json"),
        &format!("{pair}/cdk.out"),
        "json",
    ))
    .unwrap();
    let services = each_finding(&report)
        .into_iter()
        .filter(|f| f["attribute"] == "ServiceName" && f["status"] == "differs")
        .count();
    assert_eq!(services, 10);
    // The text report lists them among the intentional differences.
    let text = compare(
        &format!("{pair}/tfplan.resolved.json"),
        &format!("{pair}/cdk.out"),
        "text",
    );
    let intentional = text.split("INTENTIONAL DIFFERENCES").nth(1).unwrap();
    assert!(
        intentional.contains("PetclinicServicesAdminServerTaskDef6E8EB01F"),
        "{intentional}"
    );
}

/// The findings of a JSON report and of the groups in it, one by one.
fn each_finding(report: &Value) -> Vec<Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| match f["members"].as_array() {
            Some(members) => members.clone(),
            None => vec![f.clone()],
        })
        .collect()
}

const CORE_INFRA: (&str, &str) = (
    "testdata/real-pairs/ecs-blueprints/core-infra/tfplan.resolved.json",
    "testdata/real-pairs/ecs-blueprints/core-infra/cdk.out",
);

/// core-infra's Terraform tags its six subnets `Blueprint` and `GithubRepo`
/// and CDK does not: one finding that lists them. CDK's own tags
/// (`aws-cdk:subnet-name`, the `Name` it gives each subnet from its
/// construct path) are no difference of the user's; the VPC's `Name`, which
/// the CDK app sets itself, is one.
#[test]
fn the_same_tags_on_many_resources_are_one_finding() {
    let (plan, cdk_out) = CORE_INFRA;
    let report: Value = serde_json::from_str(&compare(plan, cdk_out, "json")).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let subnets = [
        "module.vpc.aws_subnet.private[0]",
        "module.vpc.aws_subnet.private[1]",
        "module.vpc.aws_subnet.private[2]",
        "module.vpc.aws_subnet.public[0]",
        "module.vpc.aws_subnet.public[1]",
        "module.vpc.aws_subnet.public[2]",
    ];
    let addresses = |f: &Value| -> Vec<String> {
        f["members"]
            .as_array()
            .map(|m| {
                m.iter()
                    .map(|m| m["terraform"]["address"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let group = findings
        .iter()
        .find(|f| {
            f["attribute"] == "Tags" && subnets.iter().all(|s| addresses(f).iter().any(|a| a == s))
        })
        .unwrap_or_else(|| panic!("{findings:#?}"));
    assert_eq!(
        group["note"], "Terraform adds `Blueprint`, `GithubRepo`",
        "{group:#}"
    );
    assert_eq!(group["severity"], "consider");
    assert_eq!(
        group["terraform"]["value"],
        serde_json::json!(["Blueprint", "GithubRepo"])
    );
    assert!(group["terraform"].get("address").is_none(), "{group:#}");
    let vpc = each_finding(&report)
        .into_iter()
        .find(|f| {
            f["attribute"] == "Tags" && f["terraform"]["address"] == "module.vpc.aws_vpc.this[0]"
        })
        .unwrap();
    assert_eq!(
        vpc["note"],
        "Terraform adds `Blueprint`, `GithubRepo`; `Name` differs"
    );
    // The same other difference on the three public subnets: one finding.
    let public_ip = findings
        .iter()
        .find(|f| f["attribute"] == "MapPublicIpOnLaunch")
        .unwrap();
    assert_eq!(public_ip["members"].as_array().unwrap().len(), 3);
    // One finding per tag key, or a tool's own tag, nowhere.
    for f in each_finding(&report) {
        let attribute = f["attribute"].as_str().unwrap();
        assert!(
            !attribute.starts_with("Tags.") && !attribute.starts_with("Tags["),
            "{f:#}"
        );
        assert!(!f.to_string().contains("aws-cdk:"), "{f:#}");
    }
    // A report with groups is a baseline: its members are known.
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    std::fs::write(&baseline, compare(plan, cdk_out, "json")).unwrap();
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        plan,
        "--cloudformation",
        cdk_out,
        "--baseline",
        baseline.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let again: Value = serde_json::from_str(&stdout(&assert.code(0))).unwrap();
    assert_eq!(again["baseline"]["new"], 0);
    assert_eq!(again["baseline"]["fixed"], serde_json::json!([]));
}

/// A list item keyed by a reference (each service's own Cloud Map
/// registry) is the same item on every resource: the same difference in it
/// is one finding, whose members keep their own keys.
#[test]
fn the_same_difference_in_items_keyed_by_references_is_one_finding() {
    let report = resolved_report("govuk-infrastructure/publishing-platform");
    let findings = report["findings"].as_array().unwrap();
    let registries: Vec<&Value> = findings
        .iter()
        .filter(|f| {
            f["attribute"]
                .as_str()
                .is_some_and(|a| a.starts_with("ServiceRegistries["))
        })
        .collect();
    assert_eq!(registries.len(), 1, "{registries:#?}");
    let group = registries[0];
    assert_eq!(group["attribute"], "ServiceRegistries[*].ContainerName");
    assert_eq!(group["terraform"]["value"], "app");
    let members = group["members"].as_array().unwrap();
    // Every app of the platform registers in Cloud Map with its container
    // named on the Terraform side only.
    assert_eq!(members.len(), 17, "{group:#}");
    for member in members {
        let attribute = member["attribute"].as_str().unwrap();
        let address = member["terraform"]["address"].as_str().unwrap();
        let module = address.split(".aws_ecs_service").next().unwrap();
        assert_eq!(
            attribute,
            format!(
                "ServiceRegistries[${{{module}.module.service_mesh_node.aws_service_discovery_service.service.arn}}].ContainerName"
            ),
            "{member:#}"
        );
    }
}

/// The ECS module's task execution policy is a managed policy attached to
/// the role; CDK writes the same statements inline. The role's effective
/// policies are compared statement by statement, so the policy without a
/// twin is packaging, not a permission of one side: it is listed, not
/// must-fix, and says where what it allows is compared.
#[test]
fn a_managed_policy_compared_through_its_roles_is_not_must_fix() {
    let report = resolved_report("spring-petclinic/services");
    let findings = report["findings"].as_array().unwrap();
    let policies: Vec<&Value> = findings
        .iter()
        .filter(|f| {
            f["resource_type"] == "AWS::IAM::ManagedPolicy" && f["attribute"].as_str() == Some("")
        })
        .collect();
    // One per service of the module (11 services).
    assert_eq!(policies.len(), 11, "{policies:#?}");
    for policy in policies {
        let address = policy["terraform"]["address"].as_str().unwrap();
        let role = address.replace("aws_iam_policy.task_exec", "aws_iam_role.task_exec");
        assert_eq!(policy["severity"], "consider", "{policy:#}");
        assert_eq!(
            policy["note"],
            format!("what it allows is compared as part of the policies of role {role}"),
        );
        // ...where its statements are: the role's own findings hold them.
        assert!(
            findings
                .iter()
                .any(|f| f["terraform"]["address"] == role.as_str()),
            "{role}"
        );
    }
    // A role's description is a note, not a permission.
    for f in each_finding(&report) {
        if f["attribute"] == "Description" && f["resource_type"] == "AWS::IAM::Role" {
            assert_eq!(f["severity"], "consider", "{f:#}");
        }
    }
}

/// Terraform names the retail store's KMS key by its ID in the secrets,
/// CDK by its ARN: the same key, no difference.
#[test]
fn a_kms_key_by_its_id_or_its_arn_is_the_same_key() {
    let report = resolved_report("retail-store-sample-app/ecs");
    let secrets: Vec<Value> = each_finding(&report)
        .into_iter()
        .filter(|f| f["resource_type"] == "AWS::SecretsManager::Secret")
        .collect();
    assert!(!secrets.is_empty());
    for f in secrets {
        assert_ne!(f["attribute"], "KmsKeyId", "{f:#}");
    }
}

/// What each tool writes by itself where the code says nothing: the AWS
/// provider's 0 for a Service Connect ingress port not overridden is no
/// difference; security group descriptions ("Managed by Terraform" against
/// the construct path, CDK's "from 0.0.0.0/0:80" on its rules) let no
/// traffic through and are only to consider.
#[test]
fn what_each_tool_writes_by_itself_is_not_a_difference_to_fix() {
    let report = resolved_report("terraform-aws-ecs/fargate");
    let mut descriptions = 0;
    for f in each_finding(&report) {
        let attribute = f["attribute"].as_str().unwrap();
        assert!(!attribute.contains("IngressPortOverride"), "{f:#}");
        if f["resource_type"] == "AWS::EC2::SecurityGroup"
            && (attribute == "GroupDescription" || attribute.ends_with("].Description"))
        {
            assert_eq!(f["severity"], "consider", "{f:#}");
            descriptions += 1;
        }
    }
    // The ALB's and the service's groups: their descriptions and their
    // rules' differ.
    assert!(descriptions >= 4, "{descriptions}");
}

/// Tags never fail the gate as must-fix, and the must-fix table and the
/// recommendations show the differences between twins before the
/// resources that have none.
#[test]
fn real_differences_come_before_tags_and_resources_without_a_twin() {
    let mut mixed = 0;
    for (plan, cdk_out) in real_pairs() {
        let report: Value = serde_json::from_str(&compare(&plan, &cdk_out, "json")).unwrap();
        for f in each_finding(&report) {
            if f["attribute"] == "Tags" {
                assert_ne!(f["severity"], "must-fix", "{plan}: {f:#}");
            }
        }
        let markdown = iac_parity(&[
            "compare",
            "--terraform",
            &plan,
            "--cloudformation",
            &cdk_out,
            "--format",
            "markdown",
            // Cut, the report shows every must-fix finding in one table
            // right after the summary.
            "--max-bytes",
            "6000",
        ]);
        let markdown = stdout(&markdown);
        let rows: Vec<&str> = markdown
            .split("### Must fix\n")
            .nth(1)
            .map(|rest| rest.trim_start().split("\n\n").next().unwrap_or_default())
            .unwrap_or_default()
            .lines()
            .skip(2)
            .collect();
        // The attribute is the third cell; empty for a resource on one side.
        let has_attribute = |row: &&str| row.split(" | ").nth(2).is_some_and(|c| !c.is_empty());
        let first_alone = rows.iter().position(|r| !has_attribute(r));
        if let Some(at) = first_alone {
            assert!(
                rows[at..].iter().all(|r| !has_attribute(r)),
                "{plan}:\n{}",
                rows.join("\n")
            );
            mixed += usize::from(at > 0);
        }
        let text = compare(&plan, &cdk_out, "text");
        let recommendations: Vec<&str> = text
            .split("RECOMMENDATIONS\n")
            .nth(1)
            .unwrap_or_default()
            .split("\n\n")
            .next()
            .unwrap()
            .lines()
            .collect();
        let mut seen_alone = false;
        for line in recommendations {
            if !line.starts_with("    - ") {
                seen_alone = false;
                continue;
            }
            let alone = line.contains(" is only in ");
            assert!(!seen_alone || alone, "{plan}: {line}");
            seen_alone |= alone;
        }
    }
    // Some real pair has both kinds of must-fix finding.
    assert!(mixed > 0);
}

/// What a tool writes for what the other leaves to AWS's defaults is no
/// difference: a container that is not interactive, privileged or given a
/// terminal and whose root file system is writable; a Linux x86 platform; a
/// service registry without ports (which the AWS provider writes as 0).
#[test]
fn defaults_one_tool_writes_out_are_no_difference() {
    for (plan, cdk_out) in real_pairs() {
        let report: Value = serde_json::from_str(&compare(&plan, &cdk_out, "json")).unwrap();
        // A value that differs from the default on the other side is a
        // difference (a read-only root file system on one side only).
        for f in each_finding(&report)
            .into_iter()
            .filter(|f| f["status"] != "differs")
        {
            let attribute = f["attribute"].as_str().unwrap();
            for artefact in [
                ".Interactive",
                ".Privileged",
                ".PseudoTerminal",
                ".ReadonlyRootFilesystem",
                "].Port",
                "].ContainerPort",
            ] {
                assert!(!attribute.ends_with(artefact), "{plan}: {f:#}");
            }
            assert!(!attribute.starts_with("RuntimePlatform"), "{plan}: {f:#}");
        }
    }
}
