//! The real pairs under `testdata/real-pairs/<project>/<pair>/`: a public
//! project's Terraform plan and the `cdk synth` output of the same
//! infrastructure, with the hand-audited list of twins (EXPECTED_PAIRS.yaml).
//! These tests check that every pair loads, and that its audited list names
//! resources that exist, each once, with the type they have. A list kept as
//! EXPECTED_PAIRS.pending.yaml (a pair that `cargo xtask accuracy` does not
//! measure yet, see the pair's SOURCES.md) is checked the same way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{iac_parity, repo_root, stdout};

const PAIRS_DIR: &str = "testdata/real-pairs";

/// The names an audited list may have: measured, or pending.
const LISTS: [&str; 2] = ["EXPECTED_PAIRS.yaml", "EXPECTED_PAIRS.pending.yaml"];

/// Every folder under testdata/real-pairs/ that holds an audited list,
/// relative to the repository root, sorted.
fn pair_dirs() -> Vec<String> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() && name != "node_modules" && name != "cdk.out" && name != "cdk" {
                walk(&path, found);
            } else if LISTS.contains(&name.as_str()) {
                found.push(dir.to_owned());
            }
        }
    }
    let root = repo_root();
    let mut found = Vec::new();
    walk(&root.join(PAIRS_DIR), &mut found);
    let mut dirs: Vec<String> = found
        .iter()
        .map(|dir| {
            dir.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// `iac-parity inventory PATH --format json`, parsed.
fn inventory(path: &str) -> Value {
    let assert = iac_parity(&["inventory", path, "--format", "json"]).code(0);
    serde_json::from_str(&stdout(&assert)).unwrap()
}

/// The managed resource instances of a plan's `planned_values`.
fn planned_addresses(plan: &Value) -> BTreeSet<String> {
    fn walk(module: &Value, out: &mut BTreeSet<String>) {
        for resource in module["resources"].as_array().into_iter().flatten() {
            if resource["mode"] == "managed" {
                out.insert(resource["address"].as_str().unwrap().to_owned());
            }
        }
        for child in module["child_modules"].as_array().into_iter().flatten() {
            walk(child, out);
        }
    }
    let mut out = BTreeSet::new();
    walk(&plan["planned_values"]["root_module"], &mut out);
    out
}

/// What one side of a pair holds: Terraform address → type, or
/// `<stack>/<logical id>` → CloudFormation type.
struct Side {
    types: BTreeMap<String, String>,
}

fn terraform_side(file: &str) -> Side {
    let plan: Value =
        serde_json::from_slice(&std::fs::read(repo_root().join(file)).unwrap()).unwrap();
    let report = inventory(file);
    assert_eq!(report["side"], "terraform", "{file}");
    let types: BTreeMap<String, String> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["address"].as_str().unwrap().to_owned(),
                r["type"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let listed: BTreeSet<String> = types.keys().cloned().collect();
    assert_eq!(
        listed,
        planned_addresses(&plan),
        "{file}: the inventory and planned_values disagree on what exists after apply"
    );
    Side { types }
}

fn cloudformation_side(folder: &str) -> Side {
    let report = inventory(folder);
    assert_eq!(report["side"], "cloudformation", "{folder}");
    let types = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                format!(
                    "{}/{}",
                    r["stack"].as_str().unwrap(),
                    r["logical_id"].as_str().unwrap()
                ),
                r["type"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    Side { types }
}

/// The audited list of a pair, as JSON.
fn expected_pairs(dir: &str) -> Value {
    let file = list_file(dir);
    let text = std::fs::read_to_string(repo_root().join(&file)).unwrap();
    yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The audited list of the pair in `dir`: exactly one of [`LISTS`].
fn list_file(dir: &str) -> String {
    let present: Vec<String> = LISTS
        .iter()
        .map(|name| format!("{dir}/{name}"))
        .filter(|file| repo_root().join(file).is_file())
        .collect();
    assert_eq!(present.len(), 1, "{dir}: one audited list, not {present:?}");
    present[0].clone()
}

fn entries<'a>(list: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    list[key].as_array().into_iter().flatten()
}

fn field<'a>(entry: &'a Value, key: &str, file: &str) -> &'a str {
    entry[key]
        .as_str()
        .filter(|value| !value.trim().is_empty())
        .unwrap_or_else(|| panic!("{file}: an entry has no `{key}`: {entry}"))
}

/// Checks the audited list of `dir` against its inputs; returns the number of
/// pairs it lists.
fn check_pair(dir: &str) -> usize {
    let file = list_file(dir);
    let terraform = terraform_side(&format!("{dir}/tfplan.json"));
    let resolved = format!("{dir}/tfplan.resolved.json");
    if repo_root().join(&resolved).is_file() {
        let resolved = terraform_side(&resolved);
        assert_eq!(
            resolved.types, terraform.types,
            "{dir}: the resolved plan must hold the resources of the plain plan"
        );
    }
    let cloudformation = cloudformation_side(&format!("{dir}/cdk.out"));
    let list = expected_pairs(dir);

    let mut seen_terraform = BTreeSet::new();
    let mut seen_cloudformation = BTreeSet::new();
    let mut terraform_entry = |address: &str| {
        assert!(
            terraform.types.contains_key(address),
            "{file}: {address} is not in the plan"
        );
        assert!(
            seen_terraform.insert(address.to_owned()),
            "{file}: {address} is listed twice"
        );
    };
    let mut cloudformation_entry = |id: &str| -> String {
        let found = cloudformation
            .types
            .get(id)
            .unwrap_or_else(|| panic!("{file}: {id} is not in cdk.out"));
        assert!(
            seen_cloudformation.insert(id.to_owned()),
            "{file}: {id} is listed twice"
        );
        found.clone()
    };

    let mut pairs = 0;
    for pair in entries(&list, "pairs") {
        let address = field(pair, "terraform", &file);
        let id = field(pair, "cloudformation", &file);
        let kind = field(pair, "type", &file);
        field(pair, "reason", &file);
        terraform_entry(address);
        let found = cloudformation_entry(id);
        assert_eq!(found, kind, "{file}: {id} is a {found}, not a {kind}");
        pairs += 1;
    }
    for entry in entries(&list, "terraform_only") {
        terraform_entry(field(entry, "terraform", &file));
        field(entry, "reason", &file);
    }
    for entry in entries(&list, "cloudformation_only") {
        cloudformation_entry(field(entry, "cloudformation", &file));
        field(entry, "reason", &file);
    }
    assert!(pairs > 0, "{file} lists no pair");
    pairs
}

#[test]
fn every_real_pair_loads_and_its_audited_list_names_what_exists() {
    let dirs = pair_dirs();
    assert!(!dirs.is_empty(), "no audited list under {PAIRS_DIR}");
    for dir in &dirs {
        check_pair(dir);
    }
}

/// Counts per pair, as read from the inputs and the audited list: a pair
/// whose rendering or list changes must change here too.
#[test]
fn real_pair_counts() {
    // (pair, Terraform managed instances, CloudFormation resources, audited pairs)
    let expected: &[(&str, usize, usize, usize)] = &[
        ("terraform-aws-ecs/fargate", 55, 55, 36),
        ("spring-petclinic/services", 207, 178, 138),
    ];
    for &(pair, terraform, cloudformation, pairs) in expected {
        let dir = format!("{PAIRS_DIR}/{pair}");
        let plan = terraform_side(&format!("{dir}/tfplan.json"));
        let synth = cloudformation_side(&format!("{dir}/cdk.out"));
        assert_eq!(plan.types.len(), terraform, "{pair}: Terraform resources");
        assert_eq!(
            synth.types.len(),
            cloudformation,
            "{pair}: CloudFormation resources"
        );
        assert_eq!(check_pair(&dir), pairs, "{pair}: audited pairs");
    }
}
