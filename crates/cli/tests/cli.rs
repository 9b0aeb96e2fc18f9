//! The `iac-parity` binary, run on the committed fixtures.
//!
//! Expected reports live next to their fixture (`testdata/*/expected/`);
//! `UPDATE_EXPECT=1 cargo test` rewrites them from the current output.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

#[path = "cli/compare.rs"]
mod compare;
#[path = "cli/fresh.rs"]
mod fresh;
#[path = "cli/gate.rs"]
mod gate;
#[path = "cli/mapping.rs"]
mod mapping;
#[path = "cli/pairing.rs"]
mod pairing;

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
