//! What must never reach a report: secrets, in any format.

use super::*;

/// The plaintext passwords of `secrets-pair`: Terraform's (a sensitive
/// variable) and the CDK app's (written into the template in the clear).
const PASSWORDS: &[&str] = &["fixture-tf-password-1", "fixture-cdk-password-2"];

/// Every way `compare` and `baseline` print the `secrets-pair` fixture.
fn every_output_of_secrets_pair() -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let inputs = [
        "--terraform",
        "testdata/secrets-pair/tfplan.json",
        "--cloudformation",
        "testdata/secrets-pair/cdk.out",
    ];
    let mut outputs = Vec::new();
    for format in ["text", "markdown", "json", "junit"] {
        let mut args = vec!["compare"];
        args.extend(inputs);
        args.extend(["--show-pairs", "--format", format]);
        let assert = iac_parity(&args).code(1);
        outputs.push((format.to_owned(), stdout(&assert) + &stderr(&assert)));
    }
    for (name, extra) in [("baseline", &[][..]), ("waivers", &["--waivers"][..])] {
        let file = dir.path().join(name);
        let mut args = vec!["baseline"];
        args.extend(inputs);
        args.extend(["--output", file.to_str().unwrap()]);
        args.extend(extra);
        let assert = iac_parity(&args);
        let written = std::fs::read_to_string(&file).unwrap_or_default();
        outputs.push((
            name.to_owned(),
            stdout(&assert) + &stderr(&assert) + &written,
        ));
    }
    for input in [
        "testdata/secrets-pair/tfplan.json",
        "testdata/secrets-pair/cdk.out",
    ] {
        for format in ["text", "json"] {
            let assert = iac_parity(&["inventory", input, "--format", format]);
            outputs.push((
                format!("inventory {input} {format}"),
                stdout(&assert) + &stderr(&assert),
            ));
        }
    }
    outputs
}

/// A CDK app that writes a password into a secret's `SecretString` (and a
/// parameter, and a container's environment), paired with a Terraform plan
/// whose secret version is sensitive: the pairs are compared and found to
/// differ, and no output prints either password.
#[test]
fn a_secret_written_in_plain_text_is_printed_by_no_format() {
    for (name, output) in every_output_of_secrets_pair() {
        for password in PASSWORDS {
            assert!(
                !output.contains(password),
                "{name} prints {password}:\n{output}"
            );
        }
    }
    // The report still says that the secrets differ, without their values.
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        "testdata/secrets-pair/tfplan.json",
        "--cloudformation",
        "testdata/secrets-pair/cdk.out",
        "--format",
        "json",
    ])
    .code(1);
    let report: serde_json::Value = serde_json::from_str(&stdout(&assert)).unwrap();
    let secret_string = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["attribute"] == "SecretString")
        .expect("the secret's value is compared");
    assert_eq!(secret_string["status"], "differs");
    for side in ["terraform", "cloudformation"] {
        assert_eq!(secret_string[side]["display"], "(sensitive)", "{side}");
    }
}

#[test]
fn secrets_pair_text_report() {
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        "testdata/secrets-pair/tfplan.json",
        "--cloudformation",
        "testdata/secrets-pair/cdk.out",
    ])
    .code(1);
    expect_file(
        "testdata/secrets-pair/expected/report.txt",
        &stdout(&assert),
    );
}
