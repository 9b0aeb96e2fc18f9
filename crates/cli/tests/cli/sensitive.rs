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

/// Terraform marks the secret's description and name sensitive because
/// they are built from sensitive variables (`product = "idp"`): no secret,
/// so they are shown, and the description's difference can be read. What
/// the password is part of stays hidden.
#[test]
fn values_built_only_from_sensitive_variables_that_hold_no_secret_are_shown() {
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        "testdata/secrets-pair/tfplan.json",
        "--cloudformation",
        "testdata/secrets-pair/cdk.out",
        "--show-pairs",
        "--format",
        "json",
    ])
    .code(1);
    let report: serde_json::Value = serde_json::from_str(&stdout(&assert)).unwrap();
    let finding = |attribute: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["attribute"] == attribute)
            .unwrap_or_else(|| panic!("no finding at {attribute}"))
            .clone()
    };
    let description = finding("Description");
    assert_eq!(
        description["terraform"]["display"],
        "idp database credentials (managed by Terraform)"
    );
    assert_eq!(
        description["cloudformation"]["display"],
        "idp database credentials"
    );
    for attribute in [
        "Value",
        "SecretString",
        "ContainerDefinitions[api].Environment[DATABASE_URL]",
    ] {
        assert_eq!(
            finding(attribute)["terraform"]["display"],
            "(sensitive)",
            "{attribute}"
        );
    }
    // The CDK app copies its password into a connection string: only the
    // password is hidden there.
    for attribute in [
        "Value",
        "ContainerDefinitions[api].Environment[DATABASE_URL]",
    ] {
        let cdk = &finding(attribute)["cloudformation"];
        assert_eq!(
            cdk["display"], "postgres://admin:(sensitive)@db:5432/app",
            "{attribute}"
        );
        assert_eq!(cdk["value"]["$sensitive"], true, "{attribute}");
    }
    // The parameters built from `product` pair by their names, shown.
    let inventory = iac_parity(&[
        "inventory",
        "testdata/secrets-pair/tfplan.json",
        "--format",
        "json",
    ]);
    let inventory: serde_json::Value = serde_json::from_str(&stdout(&inventory)).unwrap();
    let sensitive = |address: &str| {
        inventory["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == address)
            .unwrap()["sensitive_leaves"]
            .as_u64()
            .unwrap()
    };
    // `/idp/extra-origins` and `[]` are shown; what is left is the null
    // write-only value the provider marks.
    assert_eq!(sensitive("aws_ssm_parameter.origins"), 1);
    // The secret: its name, description and tags are shown.
    assert_eq!(sensitive("aws_secretsmanager_secret.db"), 0);
    assert!(sensitive("aws_ssm_parameter.db_url") > 0);
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

/// Characters a report must never write raw: control characters (but the
/// line breaks the report itself writes), bidirectional overrides and
/// isolates, zero-width characters.
fn raw_hidden(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(
                    c,
                    '\u{061c}'
                        | '\u{200b}'..='\u{200f}'
                        | '\u{202a}'..='\u{202e}'
                        | '\u{2060}'..='\u{2069}'
                        | '\u{feff}'
                )
        })
        .collect()
}

const HOSTILE: [&str; 4] = [
    "--terraform",
    "testdata/hostile-values/tfplan.json",
    "--cloudformation",
    "testdata/hostile-values/template.json",
];

/// `hostile-values`: terminal escapes, an 8-bit CSI, bidirectional and
/// zero-width characters, markdown and HTML, mentions and a long value in
/// environment variables, tags, descriptions and resource names, on both
/// sides. Every format shows them, escaped.
#[test]
fn hostile_values_are_shown_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs: Vec<(String, String)> = Vec::new();
    for (format, extra) in [
        ("text", &[][..]),
        ("markdown", &[][..]),
        ("markdown", &["--max-bytes", "20000"][..]),
        ("json", &[][..]),
        ("junit", &[][..]),
    ] {
        let mut args = vec!["compare"];
        args.extend(HOSTILE);
        args.extend(["--show-pairs", "--format", format]);
        args.extend(extra);
        let assert = iac_parity(&args).code(1);
        outputs.push((
            format!("{format} {extra:?}"),
            stdout(&assert) + &stderr(&assert),
        ));
    }
    let waivers = dir.path().join("waivers.yaml");
    let mut args = vec!["baseline"];
    args.extend(HOSTILE);
    args.extend(["--waivers", "--output", waivers.to_str().unwrap()]);
    iac_parity(&args);
    outputs.push((
        "waivers".to_owned(),
        std::fs::read_to_string(&waivers).unwrap(),
    ));
    for input in [HOSTILE[1], HOSTILE[3]] {
        for format in ["text", "markdown", "json"] {
            let assert = iac_parity(&["inventory", input, "--format", format]);
            outputs.push((
                format!("inventory {input} {format}"),
                stdout(&assert) + &stderr(&assert),
            ));
        }
    }
    for (name, output) in &outputs {
        let raw = raw_hidden(output);
        assert!(raw.is_empty(), "{name} writes {raw:?} raw:\n{output}");
    }
    let text = &outputs[0].1;
    for shown in [
        r"\u{1b}[31mred\u{1b}[0m",
        r"\u{1b}]0;pwned\u{7}",
        r"\u{1b}[2J",
        r"\u{9b}31m\u{7f}",
        r"invoice\u{202e}gnp.exe",
        r"zero\u{200b}width",
    ] {
        assert!(
            text.contains(shown),
            "the text report does not show {shown}"
        );
    }
    // The JSON report keeps the values themselves, as JSON escapes.
    let json: serde_json::Value = serde_json::from_str(&outputs[3].1).unwrap();
    let displays: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["cloudformation"]["display"].as_str())
        .collect();
    for value in [
        "cloudformation \u{1b}[31mred\u{1b}[0m",
        "cloudformation invoice\u{202e}gnp.exe \u{2066}isolate\u{2069} \u{200f}mark",
    ] {
        assert!(displays.contains(&value), "{value:?} not in {displays:?}");
    }
    // Markdown: outside code, no HTML gets through and no one is
    // mentioned.
    for markdown in [&outputs[1].1, &outputs[2].1] {
        let prose = outside_code(markdown);
        for interpreted in ["<script>", "<img", "@octocat", "@example-org"] {
            assert!(!prose.contains(interpreted), "{interpreted} in:\n{prose}");
        }
    }
}

/// Markdown without its fenced code blocks and code spans.
fn outside_code(markdown: &str) -> String {
    let mut prose = String::new();
    let mut fence: Option<String> = None;
    for line in markdown.lines() {
        let ticks: String = line.chars().take_while(|&c| c == '`').collect();
        match &fence {
            Some(open) if ticks.len() >= open.len() && line.trim_end() == ticks => fence = None,
            Some(_) => {}
            None if ticks.len() >= 3 => fence = Some(ticks),
            None => {
                prose.push_str(&without_code_spans(line));
                prose.push('\n');
            }
        }
    }
    prose
}

/// A line without its code spans (a run of backticks opens one that the
/// next run of the same length closes) and its backslash escapes.
fn without_code_spans(line: &str) -> String {
    let mut unescaped = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
            unescaped.push('·');
        } else {
            unescaped.push(c);
        }
    }
    let mut out = String::new();
    let mut rest = unescaped.as_str();
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let run = rest[start..].chars().take_while(|&c| c == '`').count();
        let after = &rest[start + run..];
        let mut search = 0;
        let mut close = None;
        while let Some(at) = after[search..].find('`') {
            let at = search + at;
            let len = after[at..].chars().take_while(|&c| c == '`').count();
            if len == run {
                close = Some(at + len);
                break;
            }
            search = at + len;
        }
        match close {
            Some(end) => rest = &after[end..],
            None => {
                out.push_str(&rest[start..start + run]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Warnings and errors on stderr quote the inputs too (a property's key in
/// a location, an export's name): they show hidden characters escaped as
/// the reports do, so a template cannot retitle or clear the terminal of
/// whoever runs iac-parity on it.
#[test]
fn warnings_and_errors_on_stderr_show_hidden_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let warned = dir.path().join("warned.template.json");
    std::fs::write(
        &warned,
        r#"{"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {
            "QueueName": {"Fn::ImportValue": "exported\u001b]0;pwned\u0007"},
            "Tags": [{"Key": "k\u202eey", "Value": {"Fn::ImportValue": "other\u200b"}}],
            "Clear\u001b[2J": {"Fn::ImportValue": "x"}}}}}"#,
    )
    .unwrap();
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        "testdata/hostile-values/tfplan.json",
        "--cloudformation",
        warned.to_str().unwrap(),
    ]);
    let err = stderr(&assert);
    assert!(err.contains("warning: "), "{err}");
    assert_eq!(raw_hidden(&err), Vec::<char>::new(), "{err}");
    assert!(err.contains(r"Clear\u{1b}[2J"), "{err}");

    let failed = dir.path().join("failed.template.json");
    std::fs::write(
        &failed,
        r#"{"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {
            "Clear\u001b[2J\u202e": {"Ref": "Nothing"}}}}}"#,
    )
    .unwrap();
    let assert = iac_parity(&[
        "compare",
        "--terraform",
        "testdata/hostile-values/tfplan.json",
        "--cloudformation",
        failed.to_str().unwrap(),
    ])
    .code(2);
    let err = stderr(&assert);
    assert!(err.starts_with("error: "), "{err}");
    assert_eq!(raw_hidden(&err), Vec::<char>::new(), "{err}");
    assert!(err.contains(r"Clear\u{1b}[2J\u{202e}"), "{err}");
}
