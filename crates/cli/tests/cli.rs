//! The `iac-parity` binary, run on the committed fixtures.
//!
//! Expected reports live next to their fixture (`testdata/*/expected/`);
//! `UPDATE_EXPECT=1 cargo test` rewrites them from the current output.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

#[path = "cli/annotations.rs"]
mod annotations;
#[path = "cli/app_lines.rs"]
mod app_lines;
#[path = "cli/compare.rs"]
mod compare;
#[path = "cli/fixes.rs"]
mod fixes;
#[path = "cli/fresh.rs"]
mod fresh;
#[path = "cli/gate.rs"]
mod gate;
#[path = "cli/honest.rs"]
mod honest;
#[path = "cli/locations.rs"]
mod locations;
#[path = "cli/mapping.rs"]
mod mapping;
#[path = "cli/nested.rs"]
mod nested;
#[path = "cli/pairing.rs"]
mod pairing;
#[path = "cli/real_pairs.rs"]
mod real_pairs;
#[path = "cli/sensitive.rs"]
mod sensitive;

#[path = "cli/cloudformation.rs"]
mod cloudformation;
#[path = "cli/terraform.rs"]
mod terraform;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .unwrap()
        .to_owned()
}

/// `iac-parity ARGS`, run from the repository root so that paths in reports
/// are the short ones users type.
fn iac_parity(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("iac-parity")
        .unwrap()
        .current_dir(repo_root())
        // Reports carry a date: a fixed one makes them comparable.
        .env("SOURCE_DATE_EPOCH", REPORT_EPOCH)
        .env_remove("NO_COLOR")
        .args(args)
        .assert()
}

/// 2026-09-21, the date of the expected reports.
const REPORT_EPOCH: &str = "1790000000";

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

/// Compares output with the expected file, or rewrites it in update mode.
fn expect_file(relative: &str, actual: &str) {
    let path = repo_root().join(relative);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_EXPECT=1 to create it)",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{relative} is not what iac-parity prints now (UPDATE_EXPECT=1 rewrites it):\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

/// A difference as a row of the table in a fixture's DIVERGENCES.md:
/// `| Area | Terraform resource | CDK resource | Attribute | Terraform | CDK |`,
/// the values as the JSON report's `display` shows them, `(absent)` for none.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Divergence {
    area: String,
    terraform_resource: String,
    cdk_resource: String,
    attribute: String,
    terraform: Option<String>,
    cdk: Option<String>,
}

/// The rows of `testdata/FIXTURE/DIVERGENCES.md`, sorted.
fn seeded_divergences(fixture: &str) -> Vec<Divergence> {
    let path = repo_root()
        .join("testdata")
        .join(fixture)
        .join("DIVERGENCES.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let value = |cell: &str| (cell != "(absent)").then(|| cell.to_owned());
    let mut rows: Vec<Divergence> = text
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| Area"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(
                cells.len(),
                6,
                "{}: a row with {} cells: {line}",
                path.display(),
                cells.len()
            );
            Divergence {
                area: cells[0].to_owned(),
                terraform_resource: cells[1].to_owned(),
                cdk_resource: cells[2].to_owned(),
                attribute: cells[3].to_owned(),
                terraform: value(cells[4]),
                cdk: value(cells[5]),
            }
        })
        .collect();
    rows.sort();
    rows
}

/// The findings of a JSON report that `keep` accepts, as rows, sorted.
fn divergences_found(
    report: &serde_json::Value,
    keep: impl Fn(&serde_json::Value) -> bool,
) -> Vec<Divergence> {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let display = |side: &serde_json::Value| {
        side.get("display")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let mut rows: Vec<Divergence> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| keep(f))
        .map(|f| Divergence {
            area: text(&f["area"]),
            terraform_resource: text(&f["terraform"]["address"]),
            cdk_resource: text(&f["cloudformation"]["logical_id"]),
            attribute: text(&f["attribute"]),
            terraform: display(&f["terraform"]),
            cdk: display(&f["cloudformation"]),
        })
        .collect();
    rows.sort();
    rows
}
